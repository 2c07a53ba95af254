/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench_query: times the dossier queries (client/store/dossier_query.c) on the
 * benchmark store made by gen_store, against their budgets.
 *
 *   bench_query [--db PATH] [--runs N] [--summary FILE] [--typing]
 *
 * Each case runs N times (default 20) on one connection; the table shows the
 * first run (cold SQLite page cache, warm OS cache), the median and the 95th
 * percentile in milliseconds. Exit status 1 when a median is over its budget
 * (cases without one, shown "-", are there to show what they cost).
 * Also the supervisor's workload table (client/store/workload.c).
 * The last table types names, an ID number and codes letter by letter as
 * the dossier list's live search runs them (100 rows a key) and gives each
 * typed text's keys as a whole: median, 95th percentile and maximum, against
 * the keystroke budget (16 ms at the 95th percentile), and its slowest key.
 * --typing runs only that table.
 * --summary appends bench/run.sh's lines ("measure<TAB>value<TAB>budget<TAB>
 * verdict"): the worst median of the name searches, and of the rest, and the
 * worst 95th percentile of a typed search's keys. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench/bench.h"
#include "client/store/dossier_query.h"
#include "client/store/keyring.h"
#include "client/store/store.h"
#include "client/store/supervision.h"
#include "client/store/workload.h"
#include "core/xalloc.h"

#define BUDGET_MS 30.0 /* interactive: search, a list page, counts */
#define KEY_BUDGET_MS 16.0 /* one keystroke of the live search, at its p95 */
#define SEARCH_CHUNK 100   /* rows the dossier list screen asks for (screens/dossiers.c) */

static struct store st;
static struct mc_dt now;
static int runs = 20;
static int over;
static int search_limit = 50;
static const char *only; /* --only TEXT: the cases whose name holds it */
/* the worst budgeted medians, for --summary: name searches, the rest */
static double worst_name, worst_other;
static char worst_name_case[128], worst_other_case[128];
/* the worst 95th percentile of a key of the typing cases, for --summary */
static double worst_key;
static char worst_key_case[160];

static void die(const char *what, struct strbuf *err)
{
	fprintf(stderr, "bench_query: %s: %s\n", what, err->buf ? err->buf : "?");
	exit(1);
}

/* One line of the table; budget 0: shown for information only. t: wall
 * times, cpu: the process's CPU times (user + sys) of the same runs. */
static void report(const char *name, double *t, double *cpu, int n, long rows, double budget)
{
	double first = t[0];
	qsort(t, (size_t)n, sizeof(*t), bench_cmp_double);
	qsort(cpu, (size_t)n, sizeof(*cpu), bench_cmp_double);
	double median = t[n / 2], p95 = t[(n * 95 + 99) / 100 - 1];
	double p99 = t[(n * 99 + 99) / 100 - 1];
	double cpu_median = cpu[n / 2], cpu_p99 = cpu[(n * 99 + 99) / 100 - 1];
	int ok = !budget || median < budget;
	over += !ok;
	bool is_name = !strncmp(name, "search name", 11);
	double *worst = is_name ? &worst_name : &worst_other;
	if (budget && median >= *worst) {
		*worst = median;
		snprintf(is_name ? worst_name_case : worst_other_case, sizeof(worst_name_case), "%s",
			 name);
	}
	char b[16] = "-";
	if (budget)
		snprintf(b, sizeof(b), "%.0f", budget);
	printf("%-54s %7ld %8.2f %8.2f %8.2f %8.2f %8.2f %8.2f %6s  %s\n", name, rows, first, median,
	       p95, p99, cpu_median, cpu_p99, b, !budget ? "" : ok ? "ok" : "OVER");
}

/* Runs body `runs` times, timing each run; rowsvar is what it found. */
#define TIME_CASE(name, rowsvar, body) TIME_CASE_B(name, rowsvar, BUDGET_MS, body)
#define TIME_CASE_B(name, rowsvar, budget, body)                              \
	do {                                                                  \
		if (only && !strstr(name, only))                              \
			break;                                                \
		double *t_ = xmalloc((size_t)runs * sizeof(double));          \
		double *c_ = xmalloc((size_t)runs * sizeof(double));          \
		for (int r_ = 0; r_ < runs; r_++) {                           \
			struct timespec t0_, c0_;                             \
			clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0_);        \
			clock_gettime(CLOCK_MONOTONIC, &t0_);                 \
			body;                                                 \
			t_[r_] = bench_ms_since(&t0_);                        \
			c_[r_] = bench_cpu_ms_since(&c0_);                    \
		}                                                             \
		report(name, t_, c_, runs, rowsvar, budget);                  \
		free(t_);                                                     \
		free(c_);                                                     \
	} while (0)

static long search(const char *q, unsigned mask, int offset)
{
	struct dossier_rows rows;
	struct strbuf err = STRBUF_INIT;
	dossier_rows_init(&rows);
	int n = dossier_search(&st, q, mask, offset, search_limit, &rows, &err);
	if (n < 0)
		die(q, &err);
	dossier_rows_release(&rows);
	return n;
}

static void bench_search(const char *label, const char *q, unsigned mask, int offset)
{
	char name[128];
	long rows = 0;
	snprintf(name, sizeof(name), "search %s \"%s\"%s%s", label, q,
		 offset ? " page 11" : mask ? " status 5" : "",
		 search_limit != 50 ? " 100 rows" : "");
	/* the budget is for what each keystroke shows: the first page */
	TIME_CASE_B(name, rows, offset ? 0 : BUDGET_MS, rows = search(q, mask, offset));
}

static char *pick(const char *sql)
{
	sqlite3_stmt *q = store_prepare(&st, sql);
	char *v = NULL;
	if (sqlite3_step(q) == SQLITE_ROW)
		v = xstrdup((const char *)sqlite3_column_text(q, 0));
	sqlite3_finalize(q);
	if (!v) {
		fprintf(stderr, "bench_query: no row for %s\n", sql);
		exit(1);
	}
	return v;
}

static long list_first(const struct dossier_filter *f)
{
	struct dossier_rows rows;
	struct strbuf err = STRBUF_INIT;
	dossier_rows_init(&rows);
	int n = dossier_list_after(&st, f, NULL, 50, &rows, &err);
	if (n < 0)
		die("list", &err);
	dossier_rows_release(&rows);
	return n;
}

static long list_after(const struct dossier_filter *f, const struct dossier_key *k)
{
	struct dossier_rows rows;
	struct strbuf err = STRBUF_INIT;
	dossier_rows_init(&rows);
	int n = dossier_list_after(&st, f, k, 50, &rows, &err);
	if (n < 0)
		die("list", &err);
	dossier_rows_release(&rows);
	return n;
}

static long list_last(const struct dossier_filter *f)
{
	struct dossier_rows rows;
	struct strbuf err = STRBUF_INIT;
	dossier_rows_init(&rows);
	int n = dossier_list_before(&st, f, NULL, 50, &rows, &err);
	if (n < 0)
		die("list", &err);
	dossier_rows_release(&rows);
	return n;
}

static long list_offset(const struct dossier_filter *f, int offset)
{
	struct dossier_rows rows;
	struct strbuf err = STRBUF_INIT;
	dossier_rows_init(&rows);
	int n = dossier_list(&st, f, offset, 50, &rows, &err);
	if (n < 0)
		die("list", &err);
	dossier_rows_release(&rows);
	return n;
}

static long count(const struct dossier_filter *f)
{
	struct strbuf err = STRBUF_INIT;
	long n = dossier_count(&st, f, &err);
	if (n < 0)
		die("count", &err);
	return n;
}

/* The key of the row at offset in the list (found once, outside timing). */
static void key_at(const struct dossier_filter *f, int offset, struct dossier_key *k)
{
	struct dossier_rows rows;
	struct strbuf err = STRBUF_INIT;
	dossier_rows_init(&rows);
	if (dossier_list(&st, f, offset, 1, &rows, &err) != 1)
		die("key", &err);
	dossier_row_key(&rows.v[0], f->order, k);
	dossier_rows_release(&rows);
}

/* The next page of a pager whose window is at row `at` (PgDn deep down). */
static long pager_next(struct dossier_pager *p, long *at)
{
	struct strbuf err = STRBUF_INIT;
	*at += p->page;
	if (!dossier_pager_row(p, *at, &err))
		die("pager", &err);
	return p->page;
}

/* budget 0: a filter the budgets do not cover (shown for information) */
static void bench_list(const char *label, const struct dossier_filter *f, int deep, double budget)
{
	char name[128];
	long rows = 0;
	snprintf(name, sizeof(name), "list %s: count", label);
	TIME_CASE_B(name, rows, budget, rows = count(f));
	long total = rows;
	snprintf(name, sizeof(name), "list %s: first page", label);
	TIME_CASE_B(name, rows, budget, rows = list_first(f));
	snprintf(name, sizeof(name), "list %s: last page", label);
	TIME_CASE_B(name, rows, budget, rows = list_last(f));
	if (total > deep + 50L * (runs + 1) && deep > 0) {
		struct dossier_key k;
		key_at(f, deep, &k);
		snprintf(name, sizeof(name), "list %s: page after row %d", label, deep);
		TIME_CASE_B(name, rows, budget, rows = list_after(f, &k));
		struct dossier_pager p;
		struct strbuf err = STRBUF_INIT;
		long at = deep;
		if (dossier_pager_open(&p, &st, f, 50, &err) || !dossier_pager_row(&p, at, &err))
			die("pager", &err);
		snprintf(name, sizeof(name), "list %s: pager PgDn at row %d", label, deep);
		TIME_CASE_B(name, rows, budget, rows = pager_next(&p, &at));
		dossier_pager_release(&p);
		snprintf(name, sizeof(name), "list %s: offset %d", label, deep);
		TIME_CASE_B(name, rows, 0, rows = list_offset(f, deep));
	}
}

/* Typing a search letter by letter, as the dossier list's live search does
 * (screens/dossiers.c): each key searches the text typed so far for its
 * first SEARCH_CHUNK rows. The line gives the number of keys, the slowest key
 * of the first run, the median and the 95th percentile over every key of
 * every run, and the maximum; the next line names the slowest key (by its
 * median over the runs). A case is over budget when its p95 is. */
static void bench_typing(const char *label, const char *text)
{
	size_t len = strlen(text), keys = 0;
	size_t *ends = xmalloc((len + 1) * sizeof(*ends));
	for (size_t i = 1; i <= len; i++)
		if (i == len || ((unsigned char)text[i] & 0xc0) != 0x80)
			ends[keys++] = i; /* a key ends where a character does */
	double *all = xmalloc(keys * (size_t)runs * sizeof(double));
	double *per = xmalloc((size_t)runs * sizeof(double));
	double first = 0, worst_median = -1;
	char *prefix = xmalloc(len + 1), worst_prefix[128] = "";
	for (int r = 0; r < runs; r++) {
		for (size_t k = 0; k < keys; k++) {
			memcpy(prefix, text, ends[k]);
			prefix[ends[k]] = '\0';
			struct dossier_rows rows;
			struct strbuf err = STRBUF_INIT;
			dossier_rows_init(&rows);
			struct timespec t0;
			clock_gettime(CLOCK_MONOTONIC, &t0);
			if (dossier_search(&st, prefix, 0, 0, SEARCH_CHUNK, &rows, &err) < 0)
				die(prefix, &err);
			double t = bench_ms_since(&t0);
			dossier_rows_release(&rows);
			all[k * (size_t)runs + (size_t)r] = t;
			if (!r && t > first)
				first = t;
		}
	}
	for (size_t k = 0; k < keys; k++) {
		memcpy(per, &all[k * (size_t)runs], (size_t)runs * sizeof(double));
		qsort(per, (size_t)runs, sizeof(double), bench_cmp_double);
		if (per[runs / 2] > worst_median) {
			worst_median = per[runs / 2];
			snprintf(worst_prefix, sizeof(worst_prefix), "%.*s", (int)ends[k], text);
		}
	}
	size_t n = keys * (size_t)runs;
	qsort(all, n, sizeof(double), bench_cmp_double);
	double median = all[n / 2], p95 = all[(n * 95 + 99) / 100 - 1], max = all[n - 1];
	int ok = p95 < KEY_BUDGET_MS;
	over += !ok;
	char name[160];
	snprintf(name, sizeof(name), "typing %s \"%s\"", label, text);
	if (p95 >= worst_key) {
		worst_key = p95;
		snprintf(worst_key_case, sizeof(worst_key_case), "%s", name);
	}
	printf("%-40s %4zu keys %8.2f %8.2f %8.2f %8.2f %6.0f  %s\n", name, keys, first, median,
	       p95, max, KEY_BUDGET_MS, ok ? "ok" : "OVER");
	printf("    slowest key: \"%s\" (median %.2f ms)\n", worst_prefix, worst_median);
	free(prefix);
	free(per);
	free(all);
	free(ends);
}

/* Names, ID numbers and codes typed as a clerk types them. */
static void bench_typings(void)
{
	printf("\n%-40s %9s %8s %8s %8s %8s %6s\n", "typed letter by letter, 100 rows a key",
	       "", "first", "median", "p95", "max", "budget");
	static const char *const names[] = {
		"nguyen van an", "nguyen thi huong", "tran thi thu h", "tran van", "le thi thu h",
		"le van hung", "pham minh tuan", "hoang thi h", "huynh", "vu thi lan",
		"dang thi dao", "thi huong", "linh", "van a", "khuc thi diep", "Đặng Thị Đào",
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		bench_typing("name", names[i]);
	char *idnum = pick("SELECT id_number FROM dossiers WHERE rowid = (SELECT max(rowid) / 2 FROM dossiers)");
	bench_typing("id", idnum);
	char *code = pick("SELECT code FROM dossiers WHERE rowid = (SELECT max(rowid) / 3 FROM dossiers)");
	bench_typing("code", code);
	bench_typing("code tail", strchr(code, '-') + 1);
	char *recent = pick("SELECT substr(code, instr(code, '-') + 1, 9) FROM dossiers"
			    " WHERE rowid = (SELECT max(rowid) FROM dossiers)");
	bench_typing("code tail", recent);
	free(recent);
	free(code);
	free(idnum);
}

int main(int argc, char **argv)
{
	const char *db = "bench/out/bench.db", *summary = NULL;
	bool typing_only = false;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--typing"))
			typing_only = true;
		else if (i + 1 < argc && !strcmp(argv[i], "--db"))
			db = argv[++i];
		else if (i + 1 < argc && !strcmp(argv[i], "--runs"))
			runs = atoi(argv[++i]);
		else if (i + 1 < argc && !strcmp(argv[i], "--only"))
			only = argv[++i];
		else if (i + 1 < argc && !strcmp(argv[i], "--summary"))
			summary = argv[++i];
		else {
			fputs("usage: bench_query [--db PATH] [--runs N] [--summary FILE] [--typing] [--only TEXT]\n", stderr);
			return 2;
		}
	}
	if (runs < 1)
		runs = 1;
	struct strbuf err = STRBUF_INIT;
	/* an encrypted store (bench/run.sh, BENCH_ENCRYPTED=1): opened with
	 * MOTCUA_USER (canbo by default) and MOTCUA_PASSWORD */
	if (keyring_is_encrypted(db)) {
		const char *user = getenv("MOTCUA_USER"), *pw = getenv("MOTCUA_PASSWORD");
		if (keyring_unlock(db, user && *user ? user : "canbo", pw ? pw : "", &err))
			die(db, &err);
	}
	if (store_open(&st, db, 0, &err))
		die(db, &err);
	char *now_s = store_get_setting(&st, "bench.now");
	char *count_s = store_get_setting(&st, "bench.count");
	if (!now_s || mc_parse_dt(now_s, &now)) {
		fprintf(stderr, "bench_query: %s was not made by gen_store\n", db);
		return 1;
	}
	printf("bench_query: %s, %s dossiers, now %s, %d runs per case (times in ms)\n\n", db,
	       count_s ? count_s : "?", now_s, runs);
	if (typing_only) {
		bench_typings();
		goto done;
	}
	printf("%-54s %7s %8s %8s %8s %8s %8s %8s %6s\n", "case", "rows", "first", "median", "p95",
	       "p99", "cpu med", "cpu p99", "budget");

	/* Names typed without diacritics, from the most common to rare ones. */
	static const char *const names[] = {
		"nguyen van an", "nguyen", "n", "ng v a", "tran duc anh", "dang thi dao",
		"le thi thu h", "pham minh", "hoang", "khuc thi diep", "Đặng Thị Đào",
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		bench_search("name", names[i], 0, 0);
	/* the dossier list screen asks for 100 rows at a time (SEARCH_CHUNK):
	 * names with 0.2-0.4 % of the store, found by typing letter by letter,
	 * are the slowest then (docs/PERFORMANCE.md) */
	search_limit = 100;
	bench_search("name", "tran thi thu", 0, 0);
	bench_search("name", "nguyen van an", 0, 0);
	bench_search("name", "dang thi d", 0, 0);
	search_limit = 50;
	bench_search("name", "nguyen van an", 0, 500);
	bench_search("name", "nguyen", DQ_STATUS(5), 0);
	bench_search("name", "tran duc anh", DQ_STATUS(5), 0);

	char *code = pick("SELECT code FROM dossiers WHERE rowid = (SELECT max(rowid) / 3 FROM dossiers)");
	char *tail = xstrdup(strchr(code, '-') + 1);
	char *prefix = xstrndup(code, strlen(code) - 7);
	bench_search("code", code, 0, 0);
	bench_search("code tail", tail, 0, 0);
	bench_search("code prefix", prefix, 0, 0);
	char *idnum = pick("SELECT id_number FROM dossiers WHERE rowid = (SELECT max(rowid) / 2 FROM dossiers)");
	bench_search("id", idnum, 0, 0);
	idnum[9] = '\0';
	bench_search("id prefix", idnum, 0, 0);

	struct dossier_counts c;
	long rows = 0;
	TIME_CASE("home: today's counts", rows,
		  if (dossier_today_counts(&st, &now, &c, &err)) die("counts", &err);
		  rows = 4);

	struct dossier_filter f;
	dossier_filter_init(&f, &now);
	bench_list("all by appointment", &f, 500000, BUDGET_MS);
	f.order = DQ_BY_RECEIVED;
	bench_list("all newest first", &f, 500000, BUDGET_MS);
	dossier_filter_init(&f, &now);
	f.status_mask = DQ_OPEN;
	bench_list("open by appointment", &f, 5000, BUDGET_MS);
	f.status_mask = DQ_STATUS(9) | DQ_STATUS(10);
	bench_list("results (9,10) by appointment", &f, 500000, BUDGET_MS);
	f.order = DQ_BY_RECEIVED;
	bench_list("results (9,10) newest first", &f, 500000, BUDGET_MS);
	dossier_filter_init(&f, &now);
	f.due = DQ_DUE_OVERDUE;
	bench_list("overdue", &f, 5000, BUDGET_MS);
	f.due = DQ_DUE_RECEIVED_TODAY;
	bench_list("received today", &f, 0, BUDGET_MS);
	dossier_filter_init(&f, &now);
	f.unit_code = "00070";
	bench_list("one unit of four (10%) by appointment", &f, 50000, 0);

	/* the supervisor's workload table: the unit's clerks (bench/run.sh adds
	 * canbo1..6), informative (its screen's budget is the whole screen's) */
	struct clerk_workloads w = { 0 };
	TIME_CASE_B("supervisor: each clerk's workload, unit 00004", rows, 0,
		    if (clerk_workload_load(&st, "00004", &now, &w, &err)) die("workload", &err);
		    rows = (long)w.n; clerk_workloads_release(&w));

	/* the supervisor's queues (screens/superqueue.c): what Enter on a queue
	 * reads (the count, the first page of 50 with the clerks joined), then
	 * the next page from the first's last row, in each order */
	static const enum supervisor_queue queues[] = { SQ_overdue, SQ_waiting, SQ_ready };
	for (size_t qi = 0; qi < sizeof(queues) / sizeof(queues[0]); qi++) {
		for (int so = 0; so < QS_COUNT; so++) {
			struct queue_query qq;
			if (queue_query_init(&qq, &st, queues[qi], &now, NULL, &err))
				die("queue", &err);
			qq.sort = (enum queue_sort)so;
			char name[128];
			struct queue_items page = { 0 }, next = { 0 };
			snprintf(name, sizeof(name), "queue %s by %s: count, page 1",
				 supervisor_queue_name(queues[qi]), queue_sort_name(qq.sort));
			TIME_CASE(name, rows,
				  long n = queue_count(&st, &qq, &err);
				  queue_items_release(&page);
				  if (n < 0 || queue_page(&st, &qq, NULL, false, 50, &page, &err) < 0)
					  die("queue", &err);
				  rows = n);
			snprintf(name, sizeof(name), "queue %s by %s: page 2",
				 supervisor_queue_name(queues[qi]), queue_sort_name(qq.sort));
			TIME_CASE(name, rows,
				  queue_items_release(&next);
				  if (page.n && queue_page(&st, &qq, &page.v[page.n - 1], false, 50,
							   &next, &err) < 0)
					  die("queue", &err);
				  rows = (long)next.n);
			queue_items_release(&page);
			queue_items_release(&next);
		}
	}

	struct dossier_detail d;
	TIME_CASE("detail: dossier_get", rows,
		  if (dossier_get(&st, code, &d, &err) != 1) die("get", &err);
		  rows = (long)(d.n_components + d.n_events); dossier_detail_release(&d));

	printf("\ntoday: received %ld, due %ld, overdue %ld, waiting for supplement %ld\n",
	       c.received_today, c.due_today, c.overdue, c.waiting);
	if (!only)
		bench_typings();
	free(code);
	free(tail);
	free(prefix);
	free(idnum);
done:
	printf("%s\n", over ? "bench_query: some cases are over budget" : "bench_query: all within budget");
	FILE *sf = summary ? fopen(summary, "a") : NULL;
	if (sf && !typing_only) {
		fprintf(sf, "query: search without diacritics (worst median)\t%.2f ms: %s\t< %.0f ms\t%s\n",
			worst_name, worst_name_case, BUDGET_MS, worst_name < BUDGET_MS ? "ok" : "OVER");
		fprintf(sf, "query: list, count, code, ID, home (worst median)\t%.2f ms: %s\t< %.0f ms\t%s\n",
			worst_other, worst_other_case, BUDGET_MS, worst_other < BUDGET_MS ? "ok" : "OVER");
	}
	if (sf) {
		fprintf(sf, "query: a search keystroke, 100 rows (worst p95)\t%.2f ms: %s\t< %.0f ms\t%s\n",
			worst_key, worst_key_case, KEY_BUDGET_MS,
			worst_key < KEY_BUDGET_MS ? "ok" : "OVER");
		fclose(sf);
	}
	free(now_s);
	free(count_s);
	store_close(&st);
	strbuf_release(&err);
	return over ? 1 : 0;
}
