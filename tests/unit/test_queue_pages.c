/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The supervisor's queue read a page at a time (client/store/supervision.h,
 * queue_page, queue_pager) on a generated store of 4,000 dossiers: every
 * page read returns exactly the page, the page after the last item of one
 * continues where it left off (and the page before goes back), in each
 * order, with each filter, and the pages put end to end are the queue that
 * queue_select sorts and filters in memory. "Now" is 2025-11-27T10:00. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "client/store/store.h"
#include "client/store/supervision.h"
#include "core/text.h"
#include "core/xalloc.h"

#define N_DOSSIERS 4000
#define PAGE 37

static struct store st;
static char dir[] = "/tmp/mc-qpages-XXXXXX";
static char path[64];
static const struct mc_dt now = { 2025, 11, 27, 10, 0 };

static void exec(const char *sql)
{
	struct strbuf err = STRBUF_INIT;
	if (store_exec(&st, sql, &err))
		fail_msg("%s: %s", sql, err.buf);
	strbuf_release(&err);
}

/* Dossiers over a year up to now, statuses 1..10 (a third open), two
 * units, six clerks (one unknown to the clerks table, two with the same
 * name), appointments on the hour so that many tie, every seventh handed
 * to another clerk. A small pseudo-random sequence: the same store each run. */
static int setup(void **state)
{
	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/store.db", dir);
	struct strbuf err = STRBUF_INIT;
	assert_int_equal(store_open(&st, path, STORE_CREATE, &err), 0);
	exec("INSERT INTO clerks(username, full_name, unit_code, pw_hash) VALUES"
	     " ('lan', 'Trần Thị Lan', '00004', 'x'), ('an', 'Lê Văn An', '00004', 'x'),"
	     " ('an2', 'Lê Văn An', '00008', 'x'), ('dao', 'Đặng Thị Đào', '00008', 'x'),"
	     " ('bich', 'Ngô Bích', '00004', 'x')");
	static const char *const clerks[] = { "lan", "an", "an2", "dao", "bich", "ghost" };
	static const char *const names[] = { "Nguyễn Văn An", "Đặng Thị Bích", "Phạm Đức",
					     "Trần Thu Hà", "Lê Minh" };
	static const char *const procs[] = { "1.001193", "1.000894", "2.000305", "1.003583" };
	static const int statuses[] = { 2, 4, 2, 4, 5, 9, 10, 10, 3, 6, 1, 2 };
	exec("BEGIN");
	sqlite3_stmt *q = store_prepare(&st,
		"INSERT INTO dossiers(id, code, procedure_code, procedure_name, unit_code, clerk,"
		" status, received_at, appointment, applicant_name, applicant_fold, updated_at)"
		" VALUES (?1, ?2, ?3, 'Thủ tục', ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?7)");
	sqlite3_stmt *a = store_prepare(&st,
		"INSERT INTO dossier_assignments(dossier_id, clerk, event_id, at)"
		" VALUES (?1, ?2, 'e-' || ?1, '2025-11-01T08:00')");
	unsigned long long x = 88172645463325252ULL;
	for (int i = 0; i < N_DOSSIERS; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		long day = mc_days_from_civil(2025, 11, 27) - (long)(x % 365);
		long due = day + 1 + (long)(x >> 20) % 20;
		int y, m, d, y2, m2, d2;
		mc_civil_from_days(day, &y, &m, &d);
		mc_civil_from_days(due, &y2, &m2, &d2);
		char id[16], code[40], rec[20], app[20];
		snprintf(id, sizeof(id), "id-%d", i);
		const char *unit = (x >> 8) % 3 ? "00004" : "00008";
		snprintf(code, sizeof(code), "H01.%s-%02d%02d%02d-%05d", unit, y % 100, m, d, i);
		snprintf(rec, sizeof(rec), "%04d-%02d-%02dT%02d:%02d", y, m, d, 8 + (int)(x >> 30) % 9,
			 (int)(x >> 40) % 60);
		snprintf(app, sizeof(app), "%04d-%02d-%02dT%02d:00", y2, m2, d2, 8 + (int)(x >> 34) % 9);
		const char *name = names[(x >> 12) % 5];
		char *fold = mc_text_fold(name);
		sqlite3_bind_text(q, 1, id, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(q, 2, code, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(q, 3, procs[(x >> 16) % 4], -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 4, unit, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 5, clerks[(x >> 24) % 6], -1, SQLITE_STATIC);
		sqlite3_bind_int(q, 6, statuses[(x >> 28) % 12]);
		sqlite3_bind_text(q, 7, rec, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(q, 8, app, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(q, 9, name, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 10, fold, -1, SQLITE_TRANSIENT);
		assert_int_equal(sqlite3_step(q), SQLITE_DONE);
		sqlite3_reset(q);
		free(fold);
		if (i % 7 == 3) {
			sqlite3_bind_text(a, 1, id, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(a, 2, clerks[(x >> 44) % 6], -1, SQLITE_STATIC);
			assert_int_equal(sqlite3_step(a), SQLITE_DONE);
			sqlite3_reset(a);
		}
	}
	sqlite3_finalize(q);
	sqlite3_finalize(a);
	exec("COMMIT");
	strbuf_release(&err);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	store_close(&st);
	unlink(path);
	char *side = xasprintf("%s-wal", path);
	unlink(side);
	free(side);
	side = xasprintf("%s-shm", path);
	unlink(side);
	free(side);
	rmdir(dir);
	return 0;
}

/* The codes of the queue as queue_select sorts and filters every item. */
static char **reference(enum supervisor_queue which, const struct queue_view_filter *f,
			enum queue_sort s, size_t *n)
{
	struct queue_items all;
	struct strbuf err = STRBUF_INIT;
	assert_int_equal(queue_items_load(&st, which, &now, NULL, SIZE_MAX, &all, &err), 0);
	assert_false(all.truncated);
	size_t *idx;
	*n = queue_select(&all, f, s, &idx);
	char **codes = xcalloc(*n + 1, sizeof(*codes));
	for (size_t i = 0; i < *n; i++)
		codes[i] = xstrdup(all.v[idx[i]].row.code);
	free(idx);
	queue_items_release(&all);
	strbuf_release(&err);
	return codes;
}

static void free_codes(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Walks the queue forward a page at a time, then backward from its end,
 * and reads some items by index; each must give the reference's codes. */
static void check_pages(enum supervisor_queue which, const struct queue_view_filter *f,
			enum queue_sort s)
{
	size_t n;
	char **want = reference(which, f, s, &n);
	struct queue_query qq;
	struct strbuf err = STRBUF_INIT;
	assert_int_equal(queue_query_init(&qq, &st, which, &now, NULL, &err), 0);
	qq.f = *f;
	qq.sort = s;
	assert_int_equal(queue_count(&st, &qq, &err), (long)n);

	/* forward: every page is exactly PAGE items but the last, and starts
	 * right after the previous page's last item */
	struct queue_items page = { 0 };
	size_t seen = 0;
	for (;;) {
		struct queue_items next = { 0 };
		int got = queue_page(&st, &qq, page.n ? &page.v[page.n - 1] : NULL, false, PAGE,
				     &next, &err);
		size_t left = n - seen;
		assert_int_equal(got, left < PAGE ? (int)left : PAGE);
		assert_int_equal(next.n, (size_t)got);
		for (size_t i = 0; i < next.n; i++)
			assert_string_equal(next.v[i].row.code, want[seen + i]);
		seen += next.n;
		queue_items_release(&page);
		page = next;
		if (got < PAGE)
			break;
	}
	assert_int_equal(seen, n);
	queue_items_release(&page);

	/* backward from the end, page by page */
	size_t end = n;
	for (;;) {
		struct queue_items prev = { 0 };
		int got = queue_page(&st, &qq, page.n ? &page.v[0] : NULL, true, PAGE, &prev, &err);
		assert_int_equal(got, end < PAGE ? (int)end : PAGE);
		for (size_t i = 0; i < prev.n; i++)
			assert_string_equal(prev.v[i].row.code, want[end - prev.n + i]);
		end -= prev.n;
		queue_items_release(&page);
		page = prev;
		if (got < PAGE)
			break;
	}
	assert_int_equal(end, 0);
	queue_items_release(&page);

	/* the pager by index: in order, jumping, and an item's index */
	struct queue_pager p;
	assert_int_equal(queue_pager_open(&p, &st, &qq, PAGE, &err), 0);
	assert_int_equal(p.total, (long)n);
	long probes[] = { 0, 1, (long)n / 2, (long)n / 2 - 1, (long)n - 1, 5, (long)n / 3 };
	for (size_t k = 0; k < sizeof(probes) / sizeof(probes[0]); k++) {
		if (probes[k] < 0 || probes[k] >= (long)n)
			continue;
		const struct queue_item *it = queue_pager_item(&p, probes[k], &err);
		assert_non_null(it);
		assert_string_equal(it->row.code, want[probes[k]]);
		assert_int_equal(queue_index_of(&st, &qq, it, &err), probes[k]);
	}
	assert_null(queue_pager_item(&p, (long)n, &err));
	queue_pager_release(&p);
	free_codes(want, n);
	strbuf_release(&err);
}

static void test_pages_each_order(void **state)
{
	(void)state;
	static const enum supervisor_queue queues[] = { SQ_overdue, SQ_due_soon, SQ_waiting,
							SQ_ready };
	struct queue_view_filter none = { NULL, NULL, NULL };
	for (size_t i = 0; i < sizeof(queues) / sizeof(queues[0]); i++)
		for (int s = 0; s < QS_COUNT; s++)
			check_pages(queues[i], &none, (enum queue_sort)s);
}

static void test_pages_filtered(void **state)
{
	(void)state;
	struct queue_view_filter clerk = { "an", NULL, NULL };
	struct queue_view_filter ghost = { "ghost", "00008", NULL };
	struct queue_view_filter words = { NULL, NULL, "DANG bich" };
	struct queue_view_filter clerk_words = { NULL, NULL, "le van an 1.001" };
	struct queue_view_filter nothing = { "an", NULL, "khong co ai" };
	for (int s = 0; s < QS_COUNT; s++) {
		check_pages(SQ_overdue, &clerk, (enum queue_sort)s);
		check_pages(SQ_ready, &ghost, (enum queue_sort)s);
		check_pages(SQ_overdue, &words, (enum queue_sort)s);
		check_pages(SQ_waiting, &clerk_words, (enum queue_sort)s);
		check_pages(SQ_overdue, &nothing, (enum queue_sort)s);
	}
}

/* The clerks and units to cycle through: those of the queue's dossiers,
 * clerks by name, units by code. */
static void test_choices(void **state)
{
	(void)state;
	struct queue_query qq;
	struct strbuf err = STRBUF_INIT;
	assert_int_equal(queue_query_init(&qq, &st, SQ_overdue, &now, NULL, &err), 0);
	struct queue_choice *v;
	long n = queue_choices(&st, &qq, false, &v, &err);
	assert_int_equal(n, 6);
	const char *want[] = { "an", "an2", "bich", "lan", "ghost", "dao" };
	for (long i = 0; i < n; i++)
		assert_string_equal(v[i].key, want[i]);
	assert_string_equal(v[4].name, "ghost"); /* unknown: the username */
	queue_choices_free(v, n);
	n = queue_choices(&st, &qq, true, &v, &err);
	assert_int_equal(n, 2);
	assert_string_equal(v[0].key, "00004");
	assert_string_equal(v[1].key, "00008");
	queue_choices_free(v, n);
	strbuf_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pages_each_order),
		cmocka_unit_test(test_pages_filtered),
		cmocka_unit_test(test_choices),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
