/* bench_query: times the dossier queries (client/dossier_query.c) on the
 * benchmark store made by gen_store, against their budgets.
 *
 *   bench_query [--db PATH] [--runs N]
 *
 * Each case runs N times (default 20) on one connection; the table shows the
 * first run (cold SQLite page cache, warm OS cache), the median and the 95th
 * percentile in milliseconds. Exit status 1 when a median is over its budget
 * (cases without one, shown "-", are there to show what they cost). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "client/dossier_query.h"
#include "client/store.h"
#include "core/xalloc.h"

#define BUDGET_MS 30.0 /* interactive: search, a list page, counts */

static struct store st;
static struct mc_dt now;
static int runs = 20;
static int over;

static double ms_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static void die(const char *what, struct strbuf *err)
{
	fprintf(stderr, "bench_query: %s: %s\n", what, err->buf ? err->buf : "?");
	exit(1);
}

/* One line of the table; budget 0: shown for information only. */
static void report(const char *name, double *t, int n, long rows, double budget)
{
	double first = t[0];
	qsort(t, (size_t)n, sizeof(*t), cmp_double);
	double median = t[n / 2], p95 = t[(n * 95 + 99) / 100 - 1];
	int ok = !budget || median < budget;
	over += !ok;
	char b[16] = "-";
	if (budget)
		snprintf(b, sizeof(b), "%.0f", budget);
	printf("%-54s %7ld %8.2f %8.2f %8.2f %6s  %s\n", name, rows, first, median, p95, b,
	       !budget ? "" : ok ? "ok" : "OVER");
}

/* Runs body `runs` times, timing each run; rowsvar is what it found. */
#define TIME_CASE(name, rowsvar, body) TIME_CASE_B(name, rowsvar, BUDGET_MS, body)
#define TIME_CASE_B(name, rowsvar, budget, body)                              \
	do {                                                                  \
		double *t_ = xmalloc((size_t)runs * sizeof(double));          \
		for (int r_ = 0; r_ < runs; r_++) {                           \
			struct timespec t0_;                                  \
			clock_gettime(CLOCK_MONOTONIC, &t0_);                 \
			body;                                                 \
			t_[r_] = ms_since(&t0_);                              \
		}                                                             \
		report(name, t_, runs, rowsvar, budget);                      \
		free(t_);                                                     \
	} while (0)

static long search(const char *q, unsigned mask, int offset)
{
	struct dossier_rows rows;
	struct strbuf err = STRBUF_INIT;
	dossier_rows_init(&rows);
	int n = dossier_search(&st, q, mask, offset, 50, &rows, &err);
	if (n < 0)
		die(q, &err);
	dossier_rows_release(&rows);
	return n;
}

static void bench_search(const char *label, const char *q, unsigned mask, int offset)
{
	char name[128];
	long rows = 0;
	snprintf(name, sizeof(name), "search %s \"%s\"%s", label, q,
		 offset ? " page 11" : mask ? " status 5" : "");
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

int main(int argc, char **argv)
{
	const char *db = "bench/out/bench.db";
	for (int i = 1; i < argc; i++) {
		if (i + 1 < argc && !strcmp(argv[i], "--db"))
			db = argv[++i];
		else if (i + 1 < argc && !strcmp(argv[i], "--runs"))
			runs = atoi(argv[++i]);
		else {
			fputs("usage: bench_query [--db PATH] [--runs N]\n", stderr);
			return 2;
		}
	}
	if (runs < 1)
		runs = 1;
	struct strbuf err = STRBUF_INIT;
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
	printf("%-54s %7s %8s %8s %8s %6s\n", "case", "rows", "first", "median", "p95", "budget");

	/* Names typed without diacritics, from the most common to rare ones. */
	static const char *const names[] = {
		"nguyen van an", "nguyen", "n", "ng v a", "tran duc anh", "dang thi dao",
		"le thi thu h", "pham minh", "hoang", "khuc thi diep", "Đặng Thị Đào",
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		bench_search("name", names[i], 0, 0);
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

	struct dossier_detail d;
	TIME_CASE("detail: dossier_get", rows,
		  if (dossier_get(&st, code, &d, &err) != 1) die("get", &err);
		  rows = (long)(d.n_components + d.n_events); dossier_detail_release(&d));

	printf("\ntoday: received %ld, due %ld, overdue %ld, waiting for supplement %ld\n",
	       c.received_today, c.due_today, c.overdue, c.waiting);
	printf("%s\n", over ? "bench_query: some medians are over budget" : "bench_query: all within budget");
	free(code);
	free(tail);
	free(prefix);
	free(idnum);
	free(now_s);
	free(count_s);
	store_close(&st);
	strbuf_release(&err);
	return over ? 1 : 0;
}
