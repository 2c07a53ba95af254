/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench_reception: the counter's writes on the benchmark store.
 *
 *   bench_reception [--db PATH] [--runs N] [--summary FILE]
 *
 * Times reception_commit (client/services/reception.h), the code behind the wizard's
 * confirmation and `motcua receive`, N times (default 50) without the receipt
 * PDF and N times with it (written next to the store, no printer), each a
 * birth registration with every mandatory component presented, received at
 * the store's bench.now by the demo clerk. Then it times the login's
 * Argon2id check (auth_check) of the demo clerk, the deliberate cost that the
 * TUI benchmark leaves out.
 *
 * The store is left as it was: the receptions, their components, events and
 * outbox rows, the receipts and the day's code counter are removed again at
 * the end (the counter is first brought up to the day's codes that
 * gen_store wrote without it, as a real device's counter would be). Needs a
 * store made by gen_store with `motcua init --demo` run on it (procedures,
 * communes, the unit and the clerk canbo). Exit status 1 when a median is
 * over its budget. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench/bench.h"
#include "client/store/auth.h"
#include "client/services/reception.h"
#include "client/store/store.h"
#include "core/xalloc.h"

#define KEY_MS 16.0 /* the confirmation is a keystroke */
#define PROCEDURE "1.001193"
#define CLERK "canbo"
#define PASSWORD "motcua"

static struct store st;
static struct mc_dt now;
static int runs = 50;
static int over;
static FILE *summary;

static void die(const char *what, const char *msg)
{
	fprintf(stderr, "bench_reception: %s: %s\n", what, msg ? msg : "?");
	exit(1);
}

static void exec_or_die(const char *sql)
{
	struct strbuf err = STRBUF_INIT;
	if (store_exec(&st, sql, &err))
		die(sql, err.buf);
	strbuf_release(&err);
}

/* One line of the table; budget 0: shown for information only. */
static void report(const char *name, double *t, int n, double budget)
{
	qsort(t, (size_t)n, sizeof(*t), bench_cmp_double);
	double median = t[n / 2], p95 = t[(n * 95 + 99) / 100 - 1], max = t[n - 1];
	int ok = !budget || median < budget;
	over += !ok;
	char b[16] = "-";
	if (budget)
		snprintf(b, sizeof(b), "%.0f", budget);
	printf("%-44s %5d %8.2f %8.2f %8.2f %6s  %s\n", name, n, median, p95, max, b,
	       !budget ? "" : ok ? "ok" : "OVER");
	if (summary)
		fprintf(summary, "%s\t%.2f ms (median; p95 %.2f, max %.2f)\t%s%s%s\t%s\n", name,
			median, p95, max, budget ? "< " : "", b, budget ? " ms" : "",
			!budget ? "-" : ok ? "ok" : "OVER");
}

/* A birth registration with every mandatory component presented. */
static void make_input(struct reception_input *in, int i)
{
	if (!bench_reception_input(&st, in, PROCEDURE, i))
		die(PROCEDURE, "no mandatory component: was `motcua init --demo` run on the store?");
}

struct made {
	char (*ids)[37];
	char **receipts;
	int n;
};

static void receive_n(const char *name, unsigned flags, struct made *m)
{
	double *t = xmalloc((size_t)runs * sizeof(double));
	for (int r = 0; r < runs; r++) {
		struct reception_input in;
		struct reception_result res;
		struct reception_error err;
		make_input(&in, m->n);
		reception_result_init(&res);
		struct timespec t0;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		int rc = reception_commit_flags(&st, &in, CLERK, &now, flags, &res, &err);
		t[r] = bench_ms_since(&t0);
		if (rc)
			die(name, err.msg);
		if (!(flags & RECEPTION_NO_RECEIPT) && !res.receipt_path)
			die(name, res.receipt_error);
		memcpy(m->ids[m->n], res.id, sizeof(res.id));
		m->receipts[m->n] = res.receipt_path ? xstrdup(res.receipt_path) : NULL;
		m->n++;
		reception_result_release(&res);
		reception_input_release(&in);
	}
	report(name, t, runs, (flags & RECEPTION_NO_RECEIPT) ? KEY_MS : 0);
	free(t);
}

/* The day's code counter catches up with the codes gen_store wrote. */
static void counter_catch_up(void)
{
	exec_or_die("CREATE TEMP TABLE seq_before AS SELECT * FROM code_seq");
	char *ident = store_get_setting(&st, "unit_ident");
	if (!ident)
		die("unit_ident", "no unit: was `motcua init --demo` run on the store?");
	char day[8];
	snprintf(day, sizeof(day), "%02d%02d%02d", now.y % 100, now.m, now.d);
	char *prefix = xasprintf("%s-%s-", ident, day);
	sqlite3_stmt *q = store_prepare(&st,
		"INSERT INTO code_seq(unit_ident, day, last)"
		" SELECT ?1, ?2, coalesce(max(CAST(substr(code, length(?3) + 1) AS INTEGER)), 0)"
		" FROM dossiers WHERE substr(code, instr(code, '-') + 1) BETWEEN ?2 || '-' AND ?2 || '.'"
		" AND code LIKE ?3 || '%'"
		" ON CONFLICT(unit_ident, day) DO UPDATE SET last = max(last, excluded.last)");
	sqlite3_bind_text(q, 1, ident, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, day, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, prefix, -1, SQLITE_STATIC);
	if (sqlite3_step(q) != SQLITE_DONE)
		die("code_seq", sqlite3_errmsg(st.db));
	sqlite3_finalize(q);
	free(prefix);
	free(ident);
}

/* Removes what the receptions wrote and puts the counter back. */
static void undo(const struct made *m)
{
	static const char *const sql[] = {
		"DELETE FROM dossier_components WHERE dossier_id = ?",
		"DELETE FROM events WHERE dossier_id = ?",
		"DELETE FROM outbox WHERE entity = 'dossier' AND entity_id = ?",
		"DELETE FROM dossiers WHERE id = ?",
	};
	exec_or_die("BEGIN IMMEDIATE");
	for (size_t s = 0; s < sizeof(sql) / sizeof(sql[0]); s++) {
		sqlite3_stmt *q = store_prepare(&st, sql[s]);
		for (int i = 0; i < m->n; i++) {
			sqlite3_bind_text(q, 1, m->ids[i], -1, SQLITE_STATIC);
			if (sqlite3_step(q) != SQLITE_DONE)
				die(sql[s], sqlite3_errmsg(st.db));
			sqlite3_reset(q);
		}
		sqlite3_finalize(q);
	}
	exec_or_die("DELETE FROM code_seq; INSERT INTO code_seq SELECT * FROM temp.seq_before;"
		    " DROP TABLE temp.seq_before; COMMIT");
	char *dir = NULL;
	for (int i = 0; i < m->n; i++) {
		if (!m->receipts[i])
			continue;
		unlink(m->receipts[i]);
		free(m->receipts[i]);
	}
	dir = reception_receipt_dir(&st);
	rmdir(dir); /* only when the benchmark made it (it is empty then) */
	free(dir);
}

static void bench_login(void)
{
	int n = 10;
	double t[10];
	for (int r = 0; r < n; r++) {
		struct clerk c;
		struct strbuf err = STRBUF_INIT;
		struct timespec t0;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		int rc = auth_check(&st, CLERK, PASSWORD, &c, &err);
		t[r] = bench_ms_since(&t0);
		if (rc)
			die("auth_check " CLERK, err.buf);
		clerk_release(&c);
		strbuf_release(&err);
	}
	report("login: Argon2id check (auth_check)", t, n, 0);
}

int main(int argc, char **argv)
{
	const char *db = "bench/out/bench.db", *summary_path = NULL;
	for (int i = 1; i < argc; i++) {
		if (i + 1 < argc && !strcmp(argv[i], "--db"))
			db = argv[++i];
		else if (i + 1 < argc && !strcmp(argv[i], "--runs"))
			runs = atoi(argv[++i]);
		else if (i + 1 < argc && !strcmp(argv[i], "--summary"))
			summary_path = argv[++i];
		else {
			fputs("usage: bench_reception [--db PATH] [--runs N] [--summary FILE]\n", stderr);
			return 2;
		}
	}
	if (runs < 1)
		runs = 1;
	if (summary_path && !(summary = fopen(summary_path, "a")))
		die(summary_path, "cannot append");
	struct strbuf err = STRBUF_INIT;
	if (auth_init(&err) || store_open(&st, db, STORE_EXCLUSIVE, &err))
		die(db, err.buf);
	char *now_s = store_get_setting(&st, "bench.now");
	if (!now_s || mc_parse_dt(now_s, &now))
		die(db, "not made by gen_store (no bench.now)");
	printf("bench_reception: %s, now %s, %d receptions each (times in ms)\n\n", db, now_s, runs);
	printf("%-44s %5s %8s %8s %8s %6s\n", "case", "n", "median", "p95", "max", "budget");

	struct made m = { xcalloc((size_t)runs * 2, sizeof(*m.ids)),
			  xcalloc((size_t)runs * 2, sizeof(char *)), 0 };
	counter_catch_up();
	receive_n("reception: save (no receipt PDF)", RECEPTION_NO_RECEIPT, &m);
	receive_n("reception: save + receipt PDF", 0, &m);
	undo(&m);
	bench_login();

	free(m.ids);
	free(m.receipts);
	free(now_s);
	store_close(&st);
	strbuf_release(&err);
	if (summary)
		fclose(summary);
	return over ? 1 : 0;
}
