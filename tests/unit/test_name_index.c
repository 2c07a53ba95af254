/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The name search through the index by reception time (dossier_name_fts,
 * client/store/store.c migration 9 -> 10; search_keyed in client/store/dossier_query.c)
 * on a store of a few thousand dossiers with many in the same minute, some
 * received out of order, then edited, deleted, given a reception time the
 * index cannot hold, and migrated again. Every search is compared with the
 * rule written out here: every word of the query starts a word of the folded
 * name, newest received first, and between dossiers received in the same
 * minute the one stored last (larger rowid) first; then the offset and the
 * limit. The same searches also run with the index turned off (the plans of
 * before it), which must agree. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <cmocka.h>

#include "client/store/dossier_query.h"
#include "client/store/store.h"
#include "core/text.h"

static struct store st;
static char dir[] = "/tmp/mc-nameidx-XXXXXX";
static char path[64];
static uint64_t seed = 42;

static unsigned rnd(unsigned n)
{
	seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)((seed >> 33) % n);
}

static void exec(const char *sql)
{
	struct strbuf err = STRBUF_INIT;
	if (store_exec(&st, sql, &err))
		fail_msg("%s: %s", sql, err.buf);
	strbuf_release(&err);
}

/* Names with words as common as in a real commune ("thi", "van", "nguyen")
 * and rare ones ("khuc"), so that both of search_keyed's plans run. */
static const char *const family[] = { "Nguyễn", "Nguyễn", "Nguyễn", "Trần", "Lê", "Phạm",
				       "Đặng", "Lê", "Trần" };
static const char *const middle[] = { "Thị", "Thị", "Văn", "Văn", "Thu", "Minh", "Đức" };
static const char *const given[] = { "An", "Anh", "Hương", "Hà", "Hằng", "Đào",
				      "Tuấn", "Lan", "Thu", "Trang", "Huy" };
#define PICK(v) v[rnd(sizeof(v) / sizeof(v[0]))]

/* A dossier received at `received`. The store gets 2,500: more than the
 * 2,000 newest names the search looks at to plan (PROBE_ROWS). */
static void add(int i, const char *received)
{
	/* one in a hundred a Khúc, one in a hundred a Diệp: "khuc thi diep" is
	 * rare enough for the index to be asked for its rare words only */
	char *name = xasprintf("%s %s %s", rnd(100) ? PICK(family) : "Khúc", PICK(middle),
			       rnd(100) ? PICK(given) : "Diệp");
	char *fold = mc_text_fold(name);
	sqlite3_stmt *q = store_prepare(&st,
		"INSERT INTO dossiers(id, code, procedure_code, procedure_name, unit_code, clerk,"
		" status, received_at, appointment, applicant_name, applicant_fold, updated_at)"
		" VALUES (?1, ?2, '1.001193', 'Thủ tục đăng ký khai sinh', '00004', 'cb', ?3, ?4,"
		" ?4, ?5, ?6, ?4)");
	char *id = xasprintf("n-%d", i), *code = xasprintf("H01.00004-251127-%05d", i);
	sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, code, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 3, 1 + (int)rnd(10));
	sqlite3_bind_text(q, 4, received, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 5, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 6, fold, -1, SQLITE_STATIC);
	if (sqlite3_step(q) != SQLITE_DONE)
		fail_msg("insert %d: %s", i, sqlite3_errmsg(st.db));
	sqlite3_finalize(q);
	free(code);
	free(id);
	free(fold);
	free(name);
}

static int setup(void **state)
{
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/store.db", dir);
	struct strbuf err = STRBUF_INIT;
	assert_int_equal(store_open(&st, path, STORE_CREATE, &err), 0);
	strbuf_release(&err);
	exec("BEGIN");
	/* mostly in order, three or four a minute; one in ten received days
	 * before it was stored (as a sync brings them) */
	for (int i = 0; i < 2500; i++) {
		int minute = i / 4 - (rnd(10) ? 0 : (int)rnd(2000));
		if (minute < 0)
			minute = 0;
		char *at = xasprintf("2025-%02d-%02dT%02d:%02d", 10 + minute / (24 * 60 * 28),
				     1 + minute / (24 * 60) % 28, minute / 60 % 24, minute % 60);
		add(i, at);
		free(at);
	}
	exec("COMMIT");
	return 0;
}

static int teardown(void **state)
{
	store_close(&st);
	static const char *const sides[] = { "", "-wal", "-shm" };
	for (size_t i = 0; i < 3; i++) {
		char *side = xasprintf("%s%s", path, sides[i]);
		unlink(side);
		free(side);
	}
	rmdir(dir);
	return 0;
}

/* ---- the rule, written out ---- */

struct ref {
	long long rowid;
	char at[32];
};

static int ref_cmp(const void *a, const void *b)
{
	const struct ref *x = a, *y = b;
	int c = strcmp(y->at, x->at);
	return c ? c : (y->rowid > x->rowid) - (y->rowid < x->rowid);
}

static bool word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Every word of the folded query (words) starts a word of fold (plain
 * ASCII here). */
static bool rule_matches(const char *fold, char **words)
{
	if (!*words)
		return false;
	for (char **w = words; *w; w++) {
		size_t len = strlen(*w);
		bool found = false;
		for (const char *p = fold; *p && !found; p++)
			if (word_char(*p) && (p == fold || !word_char(p[-1])))
				found = !strncasecmp(p, *w, len);
		if (!found)
			return false;
	}
	return true;
}

/* Every match of query by the rule, in order (rowids, n of them). */
static struct ref *rule_all(const char *query, unsigned mask, size_t *count)
{
	char *fold = mc_text_fold(query), *words[32];
	size_t nw = 0;
	for (char *w = strtok(fold, " "); w && nw < 31; w = strtok(NULL, " "))
		words[nw++] = w;
	words[nw] = NULL;
	sqlite3_stmt *q = store_prepare(&st, "SELECT rowid, received_at, status, applicant_fold"
					     " FROM dossiers");
	struct ref *v = NULL;
	size_t n = 0, alloc = 0;
	while (sqlite3_step(q) == SQLITE_ROW) {
		int status = sqlite3_column_int(q, 2);
		if (mask && !(mask & DQ_STATUS(status)))
			continue;
		if (!rule_matches((const char *)sqlite3_column_text(q, 3), words))
			continue;
		if (n == alloc)
			v = xrealloc(v, (alloc = alloc ? 2 * alloc : 64) * sizeof(*v));
		v[n].rowid = sqlite3_column_int64(q, 0);
		snprintf(v[n].at, sizeof(v[n].at), "%s", (const char *)sqlite3_column_text(q, 1));
		n++;
	}
	sqlite3_finalize(q);
	free(fold);
	if (n > 1)
		qsort(v, n, sizeof(*v), ref_cmp);
	*count = n;
	return v;
}

/* The page offset .. offset + limit - 1 of v, as "12 7 3". */
static char *page_ids(const struct ref *v, size_t n, int offset, int limit)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, "");
	for (size_t i = (size_t)offset; i < n && i < (size_t)offset + (size_t)limit; i++)
		strbuf_addf(&sb, "%s%lld", i > (size_t)offset ? " " : "", v[i].rowid);
	return strbuf_detach(&sb);
}

static char *rule_ids(const char *query, unsigned mask, int offset, int limit)
{
	size_t n;
	struct ref *v = rule_all(query, mask, &n);
	char *ids = page_ids(v, n, offset, limit);
	free(v);
	return ids;
}

static char *search_ids(const char *query, unsigned mask, int offset, int limit)
{
	struct dossier_rows rows;
	struct strbuf err = STRBUF_INIT;
	dossier_rows_init(&rows);
	int n = dossier_search(&st, query, mask, offset, limit, &rows, &err);
	if (n < 0)
		fail_msg("search [%s]: %s", query, err.buf);
	assert_int_equal((size_t)n, rows.n);
	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, "");
	for (size_t i = 0; i < rows.n; i++)
		strbuf_addf(&sb, "%s%lld", i ? " " : "", rows.v[i].rowid);
	dossier_rows_release(&rows);
	strbuf_release(&err);
	return strbuf_detach(&sb);
}

static const unsigned masks[] = { 0, DQ_STATUS(5), DQ_STATUS(9) | DQ_STATUS(10) };
static const int pages[][2] = { { 0, 100 }, { 7, 13 }, { 100, 100 } };

/* query (typed letter by letter: every prefix) against the rule, with the
 * index and without it, with and without reading a status filter whole. */
static void check_typed(const char *query)
{
	size_t len = strlen(query);
	for (size_t k = 1; k <= len; k++) {
		if (k < len && ((unsigned char)query[k] & 0xc0) == 0x80)
			continue; /* inside a character */
		char *typed = xstrndup(query, k);
		for (size_t m = 0; m < sizeof(masks) / sizeof(masks[0]); m++) {
			size_t n;
			struct ref *all = rule_all(typed, masks[m], &n);
			for (size_t p = 0; p < sizeof(pages) / sizeof(pages[0]); p++) {
				char *want = page_ids(all, n, pages[p][0], pages[p][1]);
				for (int plan = 0; plan < 3; plan++) {
					if (plan == 1 && !masks[m])
						continue; /* only status filters are read whole */
					dossier_search_tune_keyed(plan != 2);
					dossier_search_tune(-1, plan == 1 ? 0 : -1);
					char *got = search_ids(typed, masks[m], pages[p][0], pages[p][1]);
					if (strcmp(got, want))
						fail_msg("[%s] mask %#x offset %d limit %d plan %d:\n"
							 " got [%s]\nwant [%s]", typed, masks[m],
							 pages[p][0], pages[p][1], plan, got, want);
					free(got);
				}
				free(want);
			}
			free(all);
		}
		free(typed);
	}
	dossier_search_tune_keyed(true);
	dossier_search_tune(-1, -1);
}

static const char *const typed[] = {
	"nguyen van an", "tran thi thu h", "khuc thi diep", "dang thi dao", "Đặng Thị Đào",
	"thi diep khuc", "van a", "an an", "ng v a", "KHÚC THỊ DIỆP", "zzz thi",
};

static void check_all(void)
{
	for (size_t i = 0; i < sizeof(typed) / sizeof(typed[0]); i++)
		check_typed(typed[i]);
}

static long scalar(const char *sql)
{
	sqlite3_stmt *q = store_prepare(&st, sql);
	long v = sqlite3_step(q) == SQLITE_ROW ? (long)sqlite3_column_int64(q, 0) : -1;
	sqlite3_finalize(q);
	return v;
}

static void test_order_and_pages(void **state)
{
	/* the store has what the test means to test */
	assert_true(scalar("SELECT count(*) FROM (SELECT received_at FROM dossiers"
			   " GROUP BY received_at HAVING count(*) > 1)") > 100);
	assert_true(scalar("SELECT count(*) FROM dossiers a JOIN dossiers b ON b.rowid = a.rowid + 1"
			   " WHERE b.received_at < a.received_at") > 100);
	assert_int_equal(scalar("SELECT count(*) FROM dossier_name_fts"), 2500);
	check_all();
	/* same minute: the one stored last comes first */
	char *got = search_ids("thi", 0, 0, 2500);
	char *want = rule_ids("thi", 0, 0, 2500);
	assert_string_equal(got, want);
	free(got);
	free(want);
}

static void test_follows_edits(void **state)
{
	exec("BEGIN;"
	     " UPDATE dossiers SET received_at = '2025-12-01T08:00' WHERE rowid % 97 = 0;"
	     " UPDATE dossiers SET received_at = '2025-01-01T08:00' WHERE rowid % 89 = 0;"
	     " UPDATE dossiers SET applicant_name = 'Khúc Thị Diệp', applicant_fold = 'khuc thi diep'"
	     "  WHERE rowid % 83 = 0;"
	     " UPDATE dossiers SET status = 5 WHERE rowid % 7 = 0;"
	     " DELETE FROM dossiers WHERE rowid % 79 = 0;"
	     " COMMIT");
	/* an upsert, as the sync client's */
	exec("INSERT INTO dossiers(id, code, procedure_code, procedure_name, unit_code, clerk,"
	     " status, received_at, appointment, applicant_name, applicant_fold, updated_at)"
	     " VALUES ('n-5', 'H01.00004-251127-00005', '1.001193', 'x', '00004', 'cb', 2,"
	     " '2025-12-02T09:00', '2025-12-02T09:00', 'Khúc Văn An', 'khuc van an', 'x')"
	     " ON CONFLICT(id) DO UPDATE SET received_at = excluded.received_at,"
	     " applicant_name = excluded.applicant_name, applicant_fold = excluded.applicant_fold");
	/* a rolled back change leaves the index as it was */
	exec("BEGIN; DELETE FROM dossiers WHERE rowid % 5 = 0; ROLLBACK");
	assert_int_equal(scalar("SELECT count(*) FROM dossier_name_fts"),
			 scalar("SELECT count(*) FROM dossiers"));
	exec("INSERT INTO dossier_name_fts(dossier_name_fts) VALUES ('integrity-check')");
	check_all();
}

static void test_unkeyed_dossiers(void **state)
{
	/* a reception time the index cannot hold: the search falls back, and
	 * still orders it as text */
	exec("UPDATE dossiers SET received_at = '2025-11-27 10:00' WHERE rowid = 10");
	exec("INSERT INTO dossiers(id, code, procedure_code, procedure_name, unit_code, clerk,"
	     " status, received_at, appointment, applicant_name, applicant_fold, updated_at)"
	     " VALUES ('odd', 'H01.00004-251127-99999', '1.001193', 'x', '00004', 'cb', 2,"
	     " 'hôm qua', '2025-12-02T09:00', 'Khúc Thị Hà', 'khuc thi ha', 'x')");
	assert_int_equal(scalar("SELECT count(*) FROM dossier_name_fts") + 2,
			 scalar("SELECT count(*) FROM dossiers"));
	check_typed("khuc thi h");
	check_typed("nguyen van an");
	/* a rowid the key cannot carry */
	exec("INSERT INTO dossiers(rowid, id, code, procedure_code, procedure_name, unit_code,"
	     " clerk, status, received_at, appointment, applicant_name, applicant_fold, updated_at)"
	     " VALUES (2147483648, 'big', 'H01.00004-251127-99998', '1.001193', 'x', '00004', 'cb',"
	     " 2, '2025-11-27T09:00', '2025-12-02T09:00', 'Khúc Thị Hà', 'khuc thi ha', 'x')");
	check_typed("khuc thi h");
	/* all back in the index: it is read again */
	exec("DELETE FROM dossiers WHERE id IN ('odd', 'big');"
	     " UPDATE dossiers SET received_at = '2025-11-27T10:00' WHERE rowid = 10");
	assert_int_equal(scalar("SELECT count(*) FROM dossier_name_fts"),
			 scalar("SELECT count(*) FROM dossiers"));
	check_typed("khuc thi h");
}

static void test_migration_again(void **state)
{
	/* the migration is safe to run again: step the version back and reopen */
	char *back = xasprintf("PRAGMA user_version = %d", store_schema_version() - 1);
	exec(back);
	free(back);
	store_close(&st);
	struct strbuf err = STRBUF_INIT;
	if (store_open(&st, path, 0, &err))
		fail_msg("reopening: %s", err.buf);
	strbuf_release(&err);
	assert_int_equal(scalar("PRAGMA user_version"), store_schema_version());
	assert_int_equal(scalar("SELECT count(*) FROM dossier_name_fts"),
			 scalar("SELECT count(*) FROM dossiers"));
	assert_int_equal(scalar("SELECT count(*) FROM sqlite_master WHERE name LIKE 'dossier_name_fts_a_'"), 3);
	exec("INSERT INTO dossier_name_fts(dossier_name_fts) VALUES ('integrity-check')");
	check_all();
	/* and the triggers still follow the dossiers */
	exec("UPDATE dossiers SET applicant_fold = 'khuc thi diep' WHERE rowid % 11 = 0");
	check_typed("khuc thi diep");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order_and_pages),
		cmocka_unit_test(test_follows_edits),
		cmocka_unit_test(test_unkeyed_dossiers),
		cmocka_unit_test(test_migration_again),
	};
	return cmocka_run_group_tests_name("name_index", tests, setup, teardown);
}
