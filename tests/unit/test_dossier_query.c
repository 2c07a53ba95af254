/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Dossier queries on a real store (a temporary SQLite file made by
 * store_open), filled with plain SQL INSERTs. "Now" is 2025-11-27T10:00. */
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "client/store/dossier_query.h"
#include "client/store/store.h"
#include "core/text.h"

static struct store st;
static char dir[] = "/tmp/mc-query-XXXXXX";
static char path[64];
static struct mc_dt now = { 2025, 11, 27, 10, 0 };

struct fixture {
	const char *code, *name, *id_number;
	int status;
	const char *received, *appointment, *unit;
};

/* rowid = index + 1 */
static const struct fixture dossiers[] = {
	/* 1 */ { "H01.00004-251120-0001", "Nguyễn Văn An", "001090000001", 10,
		  "2025-11-20T08:00", "2025-11-21T16:00", "00004" },
	/* 2 */ { "H01.00004-251121-0001", "Đặng Thị Đào", "001190000002", 2,
		  "2025-11-21T09:00", "2025-11-26T16:00", "00004" },
	/* 3 */ { "H01.00004-251124-0001", "Trần Đức Anh", "036080000003", 4,
		  "2025-11-24T10:00", "2025-11-27T16:00", "00004" },
	/* 4 */ { "H01.00004-251125-0001", "Nguyễn Thị Ánh", "036180000004", 5,
		  "2025-11-25T08:30", "2025-11-28T16:00", "00004" },
	/* 5 */ { "H01.00008-251126-0001", "NGUYỄN VĂN ANH", "079090000005", 2,
		  "2025-11-26T14:00", "2025-11-28T16:00", "00008" },
	/* 6 */ { "H01.00004-251127-0001", "Lê Thị Đào", "001195000006", 2,
		  "2025-11-27T08:00", "2025-12-02T16:00", "00004" },
	/* 7 */ { "H01.00004-251127-0002", "Ngô Văn Đạt", "123456789", 9,
		  "2025-11-27T09:00", "2025-11-27T09:30", "00004" },
	/* 8 */ { "H01.00004-251127-0003", "Phạm Ngọc-Ánh Vân", "001300000008", 3,
		  "2025-11-27T09:30", "2025-12-01T16:00", "00004" },
	/* 9 */ { "H01.00004-251127-0004", "Vũ Minh Hải", "123456789012", 4,
		  "2025-11-27T09:45", "2025-11-28T10:00", "00004" },
	/* 10 */ { "H01.00004-251119-0001", "Hoàng Thị Mai", NULL, 1,
		   "2025-11-19T10:00", "2025-11-26T10:00", "00004" },
};
#define N_DOSSIERS ((int)(sizeof(dossiers) / sizeof(dossiers[0])))

static void exec(const char *sql)
{
	struct strbuf err = STRBUF_INIT;
	if (store_exec(&st, sql, &err))
		fail_msg("%s: %s", sql, err.buf);
	strbuf_release(&err);
}

static int setup(void **state)
{
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/store.db", dir);
	struct strbuf err = STRBUF_INIT;
	assert_int_equal(store_open(&st, path, STORE_CREATE, &err), 0);
	sqlite3_stmt *q = store_prepare(&st,
		"INSERT INTO dossiers(id, code, procedure_code, procedure_name, unit_code, clerk,"
		" status, received_at, appointment, applicant_name, applicant_fold, id_number,"
		" updated_at) VALUES (?1, ?2, '1.001193', 'Thủ tục đăng ký khai sinh', ?3,"
		" 'canbo1', ?4, ?5, ?6, ?7, ?8, ?9, ?5)");
	for (int i = 0; i < N_DOSSIERS; i++) {
		const struct fixture *f = &dossiers[i];
		char id[16];
		snprintf(id, sizeof(id), "id-%d", i + 1);
		char *fold = mc_text_fold(f->name);
		sqlite3_bind_text(q, 1, id, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(q, 2, f->code, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 3, f->unit, -1, SQLITE_STATIC);
		sqlite3_bind_int(q, 4, f->status);
		sqlite3_bind_text(q, 5, f->received, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 6, f->appointment, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 7, f->name, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 8, fold, -1, SQLITE_TRANSIENT);
		if (f->id_number)
			sqlite3_bind_text(q, 9, f->id_number, -1, SQLITE_STATIC);
		else
			sqlite3_bind_null(q, 9);
		assert_int_equal(sqlite3_step(q), SQLITE_DONE);
		sqlite3_reset(q);
		free(fold);
	}
	sqlite3_finalize(q);
	exec("INSERT INTO dossier_components(dossier_id, seq, name, kind, mandatory,"
	     " originals_required, copies_required, originals, copies, override_reason) VALUES"
	     " ('id-2', 2, 'Giấy tờ tùy thân', 'present', 1, 1, 0, 1, 0, NULL),"
	     " ('id-2', 1, 'Tờ khai đăng ký khai sinh', 'submit', 1, 1, 0, 0, 0, 'Nộp bổ sung sau');"
	     "INSERT INTO events(id, dossier_id, kind, status_from, status_to, actor, unit_code,"
	     " device_time, payload) VALUES"
	     " ('e2', 'id-2', 'status', 2, 4, 'canbo2', '00004', '2025-11-22T08:00', NULL),"
	     " ('e1', 'id-2', 'receive', NULL, 2, 'canbo1', '00004', '2025-11-21T09:00', '{}');");
	strbuf_release(&err);
	return 0;
}

static int teardown(void **state)
{
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

/* The rowids of rows, as "5 4 1". */
static char *ids_of(const struct dossier_rows *rows)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, "");
	for (size_t i = 0; i < rows->n; i++)
		strbuf_addf(&sb, "%s%lld", i ? " " : "", rows->v[i].rowid);
	return strbuf_detach(&sb);
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
	char *ids = ids_of(&rows);
	dossier_rows_release(&rows);
	strbuf_release(&err);
	return ids;
}

/* Every name search runs with both plans: sorting the full-text matches, and
 * walking back from the newest dossier. Both must give the same answer. */
static const long plans[][2] = {
	{ -1, -1 },                     /* the defaults */
	{ 0, 0 },                       /* always walk */
	{ LONG_MAX / 2, 0 },            /* always sort the full-text matches */
	{ 0, LONG_MAX / 2 },            /* with a status filter, read those */
};
#define N_PLANS (sizeof(plans) / sizeof(plans[0]))

static void check_search_mask(const char *query, unsigned mask, const char *want)
{
	for (size_t p = 0; p < N_PLANS; p++) {
		dossier_search_tune(plans[p][0], plans[p][1]);
		char *got = search_ids(query, mask, 0, 50);
		if (strcmp(got, want))
			fail_msg("search [%s] mask %#x plan %zu: got [%s], want [%s]", query, mask,
				 p, got, want);
		free(got);
	}
	dossier_search_tune(-1, -1);
}

static void check_search(const char *query, const char *want)
{
	check_search_mask(query, 0, want);
}

static void test_query_kind(void **state)
{
	assert_int_equal(dossier_query_kind(""), DQ_KIND_EMPTY);
	assert_int_equal(dossier_query_kind("   "), DQ_KIND_EMPTY);
	assert_int_equal(dossier_query_kind("\"*)"), DQ_KIND_EMPTY);
	assert_int_equal(dossier_query_kind(NULL), DQ_KIND_EMPTY);
	assert_int_equal(dossier_query_kind("H01.00004-251127-0001"), DQ_KIND_CODE);
	assert_int_equal(dossier_query_kind(" 251127-0001 "), DQ_KIND_CODE);
	assert_int_equal(dossier_query_kind("000.00.06.H56-231027-0361"), DQ_KIND_CODE);
	assert_int_equal(dossier_query_kind("001190000002"), DQ_KIND_ID);
	assert_int_equal(dossier_query_kind("123456789"), DQ_KIND_ID);
	assert_int_equal(dossier_query_kind("12345678"), DQ_KIND_NAME);
	assert_int_equal(dossier_query_kind("1234567890123"), DQ_KIND_NAME);
	assert_int_equal(dossier_query_kind("Nguyễn Văn An"), DQ_KIND_NAME);
	assert_int_equal(dossier_query_kind("nguyen-1"), DQ_KIND_CODE);
}

static void test_search_name(void **state)
{
	/* newest received first, with or without diacritics, any case */
	check_search("nguyen", "5 4 1");
	check_search("Nguyễn", "5 4 1");
	check_search("NGUYỄN", "5 4 1");
	check_search("  nguyen   van ", "5 1");
	check_search("nguyen van an", "5 1"); /* "an" is a prefix of "anh" */
	check_search("nguyen van anh", "5");
	check_search("van nguyen", "5 1"); /* any order */
	check_search("ng v a", "8 5 1");   /* every word a prefix: Phạm Ngọc-Ánh Vân too */
	/* đ folds to d */
	check_search("dang", "2");
	check_search("Đặng", "2");
	check_search("dao", "6 2");
	check_search("ĐÀO", "6 2");
	check_search("đ", "7 6 3 2");
	check_search("d", "7 6 3 2");
	check_search("dang thi dao", "2");
	check_search("Đặng Thị Đào", "2");
	check_search("tran duc anh", "3");
	/* a hyphenated name is two words */
	check_search("anh", "8 5 4 3");
	check_search("ngoc anh", "8");
	check_search("ngoc-anh", "8");
	/* no match */
	check_search("nguyen thi dao", "");
	check_search("xyz", "");
	check_search("nguyenx", "");
}

static void test_search_injection(void **state)
{
	/* Nothing typed is FTS syntax: quotes, stars, operators are just text. */
	check_search("\"", "");
	check_search("*", "");
	check_search(")", "");
	check_search("(", "");
	check_search("\"nguyen", "5 4 1");
	check_search("nguyen\"*", "5 4 1");
	check_search("nguyen*", "5 4 1");
	check_search("(nguyen)", "5 4 1");
	check_search("AND", "");
	check_search("nguyen AND", "");
	check_search("nguyen OR tran", "");
	check_search("NOT nguyen", "");
	check_search("NEAR(nguyen van)", "");
	check_search("applicant_fold:nguyen", "");
	check_search("^nguyen", "5 4 1");
	check_search("nguyen' OR 1=1 --", "");
	check_search("'; DROP TABLE dossiers; --", "");
	check_search("%", "");
	check_search("_", "");
	check_search("\xff\xfe", "");
	/* still all there */
	check_search("nguyen", "5 4 1");
}

static void test_search_code(void **state)
{
	check_search("H01.00004-251127-0001", "6");
	check_search("h01.00004-251127-0001", "6");
	check_search(" H01.00004-251127-0002 ", "7");
	/* prefix: newest code first */
	check_search("H01.00004-251127", "9 8 7 6");
	check_search("H01.00008", "5");
	/* the part after the unit identifier */
	check_search("251127-0003", "8");
	check_search("251126-0001", "5");
	check_search("251127-", "9 8 7 6");
	check_search("251127-000", "9 8 7 6");
	/* exact first, then the rest */
	check_search("H01.00004-251120-0001", "1");
	check_search("H01.00009-251127-0001", "");
	check_search("27-0001", "");
	check_search("9.9.9-1", "");
}

static void test_search_id(void **state)
{
	check_search("001190000002", "2");
	check_search("001190000", "2");
	check_search("0011", "");           /* too short: a name, and no name has digits */
	check_search("123456789", "7 9");    /* exact first, then the longer one */
	check_search("123456789012", "9");
	check_search("999999999", "");
}

/* A phone number (10 or 11 digits), however it is typed, and a part of a
 * CCCD (six digits or more: the end a citizen reads out) find the dossier. */
static void test_search_phone_and_part(void **state)
{
	(void)state;
	exec("UPDATE dossiers SET phone = '0912 345 678' WHERE id = 'id-4';"
	     " UPDATE dossiers SET phone = '+84 988.111.222' WHERE id = 'id-3'");
	check_search("0912345678", "4");
	check_search("0912 345 678", "4");
	check_search("+84 912 345 678", "4");
	check_search("912345", "");       /* a part of a phone is not searched */
	check_search("0988111222", "3");
	check_search("+84 988 111 222", "3");
	check_search("000004", "4");      /* the end of 036180000004 */
	check_search("90000", "");         /* five digits: too short, a name */
	check_search("80000", "");         /* five digits */
	check_search("000000", "8 5 4 3 2 1"); /* every CCCD holding it, newest first */
	check_search("0000000", "");       /* seven digits: a name search */
	check_search("001190000002", "2");
	exec("UPDATE dossiers SET phone = NULL WHERE id IN ('id-3', 'id-4')");
}

static void test_search_status_and_pages(void **state)
{
	check_search_mask("nguyen", DQ_STATUS(2), "5");
	check_search_mask("nguyen", DQ_OPEN, "5");
	check_search_mask("nguyen", DQ_STATUS(5) | DQ_STATUS(10), "4 1");
	check_search_mask("H01.00004-251127", DQ_STATUS(9) | DQ_STATUS(3), "8 7");
	check_search_mask("123456789", DQ_STATUS(4), "9");
	check_search_mask("nguyen", DQ_STATUS(7), "");
	for (size_t p = 0; p < N_PLANS; p++) {
		dossier_search_tune(plans[p][0], plans[p][1]);
		char *got = search_ids("nguyen", 0, 1, 1);
		assert_string_equal(got, "4");
		free(got);
		got = search_ids("nguyen", 0, 2, 5);
		assert_string_equal(got, "1");
		free(got);
		got = search_ids("nguyen", 0, 3, 5);
		assert_string_equal(got, "");
		free(got);
		got = search_ids("d", 0, 1, 2);
		assert_string_equal(got, "6 3");
		free(got);
	}
	dossier_search_tune(-1, -1);
	char *got = search_ids("H01.00004-251127", 0, 1, 2);
	assert_string_equal(got, "8 7");
	free(got);
	got = search_ids("nguyen", 0, 0, 0);
	assert_string_equal(got, "");
	free(got);
}

static void test_search_rows(void **state)
{
	struct dossier_rows rows;
	dossier_rows_init(&rows);
	assert_int_equal(dossier_search(&st, "dang thi dao", 0, 0, 10, &rows, NULL), 1);
	const struct dossier_row *r = &rows.v[0];
	assert_string_equal(r->code, "H01.00004-251121-0001");
	assert_string_equal(r->applicant_name, "Đặng Thị Đào");
	assert_string_equal(r->id_number, "001190000002");
	assert_string_equal(r->procedure_code, "1.001193");
	assert_string_equal(r->procedure_name, "Thủ tục đăng ký khai sinh");
	assert_string_equal(r->unit_code, "00004");
	assert_int_equal(r->status, 2);
	assert_string_equal(r->received_at, "2025-11-21T09:00");
	assert_string_equal(r->appointment, "2025-11-26T16:00");
	/* appends */
	assert_int_equal(dossier_search(&st, "mai", 0, 0, 10, &rows, NULL), 1);
	assert_int_equal(rows.n, 2);
	assert_string_equal(rows.v[1].id_number, "");
	dossier_rows_release(&rows);
	assert_int_equal(rows.n, 0);
}

static void test_fts_follows_edits(void **state)
{
	exec("UPDATE dossiers SET applicant_name = 'Bùi Thị Mai',"
	     " applicant_fold = 'bui thi mai' WHERE code = 'H01.00004-251119-0001'");
	check_search("hoang", "");
	check_search("bui thi", "10");
	exec("UPDATE dossiers SET applicant_name = 'Hoàng Thị Mai',"
	     " applicant_fold = 'hoang thi mai' WHERE code = 'H01.00004-251119-0001'");
	check_search("hoang", "10");
	check_search("bui", "");
}

/* ---- the list ---- */

static char *list_ids(const struct dossier_filter *f)
{
	struct dossier_rows rows;
	dossier_rows_init(&rows);
	struct strbuf err = STRBUF_INIT;
	if (dossier_list(&st, f, 0, 100, &rows, &err) < 0)
		fail_msg("list: %s", err.buf);
	char *ids = ids_of(&rows);
	dossier_rows_release(&rows);
	strbuf_release(&err);
	return ids;
}

/* The list must read the same through every paging API, and count right. */
static void check_list(const struct dossier_filter *f, const char *want)
{
	char *all = list_ids(f);
	if (strcmp(all, want))
		fail_msg("list: got [%s], want [%s]", all, want);
	struct dossier_rows rows, fwd, back, off;
	dossier_rows_init(&rows);
	dossier_rows_init(&fwd);
	dossier_rows_init(&back);
	dossier_rows_init(&off);
	int listed = dossier_list(&st, f, 0, 100, &rows, NULL);
	assert_int_equal(listed, (int)rows.n);
	long n = dossier_count(&st, f, NULL);
	assert_int_equal(n, (long)rows.n);
	for (int size = 1; size <= 3; size++) {
		/* forward by keys */
		struct dossier_key k;
		const struct dossier_key *after = NULL;
		int got;
		do {
			got = dossier_list_after(&st, f, after, size, &fwd, NULL);
			assert_true(got >= 0 && got <= size);
			if (got) {
				dossier_row_key(&fwd.v[fwd.n - 1], f->order, &k);
				after = &k;
			}
		} while (got == size);
		char *ids = ids_of(&fwd);
		assert_string_equal(ids, want);
		free(ids);
		/* backward by keys, from the end */
		const struct dossier_key *before = NULL;
		struct dossier_rows page;
		dossier_rows_init(&page);
		for (;;) {
			got = dossier_list_before(&st, f, before, size, &page, NULL);
			assert_true(got >= 0 && got <= size);
			/* prepend this page to back */
			struct dossier_rows merged;
			dossier_rows_init(&merged);
			merged.v = xmalloc((page.n + back.n + 1) * sizeof(*merged.v));
			if (page.n)
				memcpy(merged.v, page.v, page.n * sizeof(*page.v));
			if (back.n)
				memcpy(merged.v + page.n, back.v, back.n * sizeof(*back.v));
			merged.n = merged.alloc = page.n + back.n;
			free(page.v);
			free(back.v);
			back = merged;
			dossier_rows_init(&page);
			if (got < size)
				break;
			dossier_row_key(&back.v[0], f->order, &k);
			before = &k;
		}
		ids = ids_of(&back);
		assert_string_equal(ids, want);
		free(ids);
		/* by offset */
		for (int o = 0; o < (int)rows.n + 1; o += size)
			assert_true(dossier_list(&st, f, o, size, &off, NULL) >= 0);
		ids = ids_of(&off);
		assert_string_equal(ids, want);
		free(ids);
		dossier_rows_release(&fwd);
		dossier_rows_release(&back);
		dossier_rows_release(&off);
	}
	dossier_rows_release(&rows);
	free(all);
}

static void test_list_filters(void **state)
{
	struct dossier_filter f;
	dossier_filter_init(&f, &now);
	/* every dossier, nearest appointment first; ties by rowid (4, 5) */
	check_list(&f, "1 10 2 7 3 9 4 5 8 6");
	f.order = DQ_BY_RECEIVED;
	check_list(&f, "9 8 7 6 5 4 3 2 1 10");

	dossier_filter_init(&f, &now);
	f.status_mask = DQ_STATUS(2);
	check_list(&f, "2 5 6");
	f.status_mask = DQ_OPEN;
	check_list(&f, "2 3 9 5 6");
	f.order = DQ_BY_RECEIVED;
	check_list(&f, "9 6 5 3 2");
	f.status_mask = DQ_STATUS(9) | DQ_STATUS(10);
	check_list(&f, "7 1");
	f.order = DQ_BY_APPOINTMENT;
	check_list(&f, "1 7");
	f.status_mask = DQ_STATUS_ALL & ~DQ_STATUS(2);
	check_list(&f, "1 10 7 3 9 4 8");
	f.status_mask = DQ_STATUS(6);
	check_list(&f, "");

	/* the buckets: open dossiers only (5 pauses the clock, 1 and 9 are not
	 * running), relative to now */
	dossier_filter_init(&f, &now);
	f.due = DQ_DUE_OVERDUE;
	check_list(&f, "2");
	f.due = DQ_DUE_TODAY;
	check_list(&f, "3");
	f.due = DQ_DUE_SOON;
	f.days = 1;
	check_list(&f, "3 9 5");
	f.days = 5;
	check_list(&f, "3 9 5 6");
	f.due = DQ_DUE_RECEIVED_TODAY;
	check_list(&f, "7 9 8 6");
	f.order = DQ_BY_RECEIVED;
	check_list(&f, "9 8 7 6");
	f.status_mask = DQ_STATUS(2) | DQ_STATUS(3);
	check_list(&f, "8 6");

	/* a status filter narrows a bucket; a finished one empties it */
	dossier_filter_init(&f, &now);
	f.due = DQ_DUE_SOON;
	f.days = 1;
	f.status_mask = DQ_STATUS(4);
	check_list(&f, "3 9");
	f.status_mask = DQ_STATUS(10);
	check_list(&f, "");

	/* by unit */
	dossier_filter_init(&f, &now);
	f.unit_code = "00008";
	check_list(&f, "5");
	f.unit_code = "00004";
	f.status_mask = DQ_OPEN;
	check_list(&f, "2 3 9 6");
	f.status_mask = DQ_STATUS(10) | DQ_STATUS(1);
	check_list(&f, "1 10");
	f.due = DQ_DUE_OVERDUE;
	f.status_mask = 0;
	check_list(&f, "2");
	f.unit_code = "99999";
	check_list(&f, "");
}

/* The pager answers rows by index like the list itself, in any order. */
static void check_pager(const struct dossier_filter *f, int page, const long *order, int n_order)
{
	struct dossier_rows truth;
	dossier_rows_init(&truth);
	assert_true(dossier_list(&st, f, 0, 100, &truth, NULL) >= 0);
	struct dossier_pager p;
	struct strbuf err = STRBUF_INIT;
	assert_int_equal(dossier_pager_open(&p, &st, f, page, &err), 0);
	assert_int_equal(p.total, (long)truth.n);
	for (int i = 0; i < n_order; i++) {
		long index = order[i];
		const struct dossier_row *r = dossier_pager_row(&p, index, &err);
		if (index < 0 || index >= (long)truth.n) {
			assert_null(r);
			continue;
		}
		assert_non_null(r);
		if (r->rowid != truth.v[index].rowid)
			fail_msg("pager page %d, row %ld: rowid %lld, want %lld", page, index, r->rowid,
				 truth.v[index].rowid);
		assert_string_equal(r->code, truth.v[index].code);
		assert_true(p.rows.n <= (size_t)page * 4);
	}
	dossier_pager_release(&p);
	dossier_rows_release(&truth);
	strbuf_release(&err);
}

static void test_pager(void **state)
{
	static const long down[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, -1 };
	static const long up[] = { 9, 8, 7, 6, 5, 4, 3, 2, 1, 0 };
	static const long jumps[] = { 5, 0, 9, 3, 7, 2, 2, 8, 1, 6, 4, 9, 0, 12 };
	struct dossier_filter f;
	dossier_filter_init(&f, &now);
	for (int page = 1; page <= 4; page++) {
		check_pager(&f, page, down, 12);
		check_pager(&f, page, up, 10);
		check_pager(&f, page, jumps, 14);
	}
	f.order = DQ_BY_RECEIVED;
	f.status_mask = DQ_OPEN | DQ_STATUS(10);
	check_pager(&f, 2, down, 12);
	check_pager(&f, 1, up, 10);
	check_pager(&f, 2, jumps, 14);
	f.status_mask = DQ_STATUS(6);
	check_pager(&f, 2, down, 3);
}

static void test_count_complement(void **state)
{
	/* a status set counts exactly its statuses, even with a status outside
	 * 1..10 in the store (which only "every status" counts) */
	struct dossier_filter f;
	dossier_filter_init(&f, &now);
	f.status_mask = DQ_STATUS(10);
	assert_int_equal(dossier_count(&st, &f, NULL), 1);
	f.status_mask = DQ_STATUS_ALL & ~DQ_STATUS(2);
	assert_int_equal(dossier_count(&st, &f, NULL), 7);
	exec("UPDATE dossiers SET status = 11 WHERE code = 'H01.00004-251120-0001'");
	f.status_mask = DQ_STATUS(10);
	assert_int_equal(dossier_count(&st, &f, NULL), 0);
	f.status_mask = DQ_STATUS(10) | DQ_STATUS(9);
	assert_int_equal(dossier_count(&st, &f, NULL), 1);
	exec("UPDATE dossiers SET status = 10 WHERE code = 'H01.00004-251120-0001'");
	assert_int_equal(dossier_count(&st, &f, NULL), 2);
}

static void test_today_counts(void **state)
{
	struct dossier_counts c;
	assert_int_equal(dossier_today_counts(&st, &now, &c, NULL), 0);
	assert_int_equal(c.received_today, 4);
	assert_int_equal(c.due_today, 1);
	assert_int_equal(c.overdue, 1);
	assert_int_equal(c.waiting, 1);
	/* at 17:00 the one due today is overdue too */
	struct mc_dt later = { 2025, 11, 27, 17, 0 };
	assert_int_equal(dossier_today_counts(&st, &later, &c, NULL), 0);
	assert_int_equal(c.due_today, 0);
	assert_int_equal(c.overdue, 2);
	/* the next day nothing was received yet */
	struct mc_dt next = { 2025, 11, 28, 7, 0 };
	assert_int_equal(dossier_today_counts(&st, &next, &c, NULL), 0);
	assert_int_equal(c.received_today, 0);
	assert_int_equal(c.due_today, 2); /* 9 at 10:00, 5 at 16:00 */
	assert_int_equal(c.overdue, 2);
}

/* A day is its date: a reception or an appointment of that day counts for
 * it whatever the form of the time after the date (the date alone, a space
 * and seconds), as the home screen has always counted; and the list that
 * Enter on a count opens holds the same dossiers. */
static void check_day_counts(const struct mc_dt *at, long received, long due, long overdue)
{
	struct dossier_counts c;
	struct strbuf err = STRBUF_INIT;
	assert_int_equal(dossier_today_counts(&st, at, &c, &err), 0);
	assert_int_equal(c.received_today, received);
	assert_int_equal(c.due_today, due);
	assert_int_equal(c.overdue, overdue);
	assert_int_equal(c.waiting, 1);
	static const enum dossier_due buckets[] = { DQ_DUE_RECEIVED_TODAY, DQ_DUE_TODAY,
						    DQ_DUE_OVERDUE };
	const long want[] = { received, due, overdue };
	for (int i = 0; i < 3; i++) {
		struct dossier_filter f;
		dossier_filter_init(&f, at);
		f.due = buckets[i];
		assert_int_equal(dossier_count(&st, &f, &err), want[i]);
		struct dossier_rows rows;
		dossier_rows_init(&rows);
		assert_int_equal(dossier_list(&st, &f, 0, 100, &rows, &err), want[i]);
		dossier_rows_release(&rows);
	}
	strbuf_release(&err);
}

static void test_today_counts_day_bounds(void **state)
{
	exec("INSERT INTO dossiers(id, code, procedure_code, procedure_name, unit_code, clerk,"
	     " status, received_at, appointment, applicant_name, applicant_fold, updated_at)"
	     " VALUES"
	     /* today, the date alone; due tomorrow, the date alone */
	     " ('odd-1', 'X-1', '1.001193', 'Thủ tục', '00004', 'canbo1', 4, '2025-11-27',"
	     "  '2025-11-28', 'Odd One', 'odd one', '2025-11-27'),"
	     /* yesterday, with seconds; due today before 10:00 */
	     " ('odd-2', 'X-2', '1.001193', 'Thủ tục', '00004', 'canbo1', 2, '2025-11-26 23:59:59',"
	     "  '2025-11-27 09:00:00', 'Odd Two', 'odd two', '2025-11-26'),"
	     /* today, with seconds */
	     " ('odd-3', 'X-3', '1.001193', 'Thủ tục', '00004', 'canbo1', 2, '2025-11-27 08:15:00',"
	     "  '2025-12-01T16:00', 'Odd Three', 'odd three', '2025-11-27'),"
	     /* tomorrow, the date alone */
	     " ('odd-4', 'X-4', '1.001193', 'Thủ tục', '00004', 'canbo1', 1, '2025-11-28',"
	     "  '2025-12-05T16:00', 'Odd Four', 'odd four', '2025-11-28')");
	/* test_today_counts' 4, 1, 1 with odd-1 and odd-3 received today and
	 * odd-2 overdue; odd-1 is due tomorrow, odd-4 received tomorrow */
	check_day_counts(&now, 6, 1, 2);
	/* the next day: odd-4 received today; odd-1, due "2025-11-28" without
	 * a time, is overdue from the start of its day */
	struct mc_dt next = { 2025, 11, 28, 7, 0 };
	check_day_counts(&next, 1, 2, 4);
	exec("DELETE FROM dossiers WHERE id LIKE 'odd-%'");
	test_today_counts(state);
}

static void test_get(void **state)
{
	struct dossier_detail d;
	struct strbuf err = STRBUF_INIT;
	assert_int_equal(dossier_get(&st, " h01.00004-251121-0001 ", &d, &err), 1);
	assert_string_equal(d.code, "H01.00004-251121-0001");
	assert_string_equal(d.id, "id-2");
	assert_string_equal(d.applicant_name, "Đặng Thị Đào");
	assert_string_equal(d.id_number, "001190000002");
	assert_int_equal(d.status, 2);
	assert_null(d.finished_at);
	assert_null(d.email);
	assert_string_equal(d.appointment, "2025-11-26T16:00");
	assert_int_equal(d.n_components, 2);
	assert_int_equal(d.components[0].seq, 1);
	assert_string_equal(d.components[0].name, "Tờ khai đăng ký khai sinh");
	assert_string_equal(d.components[0].override_reason, "Nộp bổ sung sau");
	assert_int_equal(d.components[1].seq, 2);
	assert_string_equal(d.components[1].kind, "present");
	assert_null(d.components[1].override_reason);
	assert_int_equal(d.n_events, 2);
	assert_string_equal(d.events[0].kind, "receive");
	assert_int_equal(d.events[0].status_from, 0);
	assert_int_equal(d.events[0].status_to, 2);
	assert_string_equal(d.events[1].kind, "status");
	assert_string_equal(d.events[1].device_time, "2025-11-22T08:00");
	assert_int_equal(d.events[1].status_to, 4);
	assert_null(d.events[1].payload);
	dossier_detail_release(&d);
	assert_int_equal(dossier_get(&st, "H01.00004-999999-0001", &d, &err), 0);
	assert_null(d.code);
	dossier_detail_release(&d);
	/* a dossier without components or events */
	assert_int_equal(dossier_get(&st, "H01.00008-251126-0001", &d, &err), 1);
	assert_int_equal(d.n_components, 0);
	assert_int_equal(d.n_events, 0);
	dossier_detail_release(&d);
	strbuf_release(&err);
}

/* ---- the per-status counts (dossier_status_counts) ---- */

static long long scalar(struct store *s, const char *sql)
{
	sqlite3_stmt *q = store_prepare(s, sql);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	long long v = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return v;
}

/* COUNT(*) over the dossiers themselves: what dossier_count must say for a
 * status set (every status, even one outside 1..10, when mask is all). */
static long count_star(struct store *s, unsigned mask, const char *unit)
{
	sqlite3_stmt *q = store_prepare(s,
		"SELECT count(*) FROM dossiers WHERE (?1 OR (status BETWEEN 1 AND 10"
		" AND (?2 >> status) & 1)) AND (?3 IS NULL OR unit_code = ?3)");
	sqlite3_bind_int(q, 1, mask == DQ_STATUS_ALL);
	sqlite3_bind_int64(q, 2, mask);
	if (unit)
		sqlite3_bind_text(q, 3, unit, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	long n = (long)sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return n;
}

/* The counts are exact: the table holds what GROUP BY finds, and for every
 * status set (1,024 of them), every unit and none, dossier_count and the
 * pager's total say what COUNT(*) says; the buckets stay counted right. */
static void check_counts_on(struct store *s, const char *where)
{
	/* nothing in the table that the dossiers do not have, and back */
	long long extra = scalar(s,
		"SELECT count(*) FROM (SELECT unit_code, status, n FROM dossier_status_counts"
		" WHERE n <> 0 EXCEPT SELECT unit_code, status, count(*) FROM dossiers"
		" GROUP BY unit_code, status)");
	long long missing = scalar(s,
		"SELECT count(*) FROM (SELECT unit_code, status, count(*) FROM dossiers"
		" GROUP BY unit_code, status EXCEPT SELECT unit_code, status, n"
		" FROM dossier_status_counts)");
	if (extra || missing)
		fail_msg("%s: the counts table differs from the dossiers (%lld extra, %lld missing)",
			 where, extra, missing);
	assert_int_equal(scalar(s, "SELECT count(*) FROM dossier_status_counts WHERE n < 0"), 0);

	static const char *const units[] = { NULL, "00004", "00008", "00009", "99999" };
	struct dossier_filter f;
	for (size_t u = 0; u < sizeof(units) / sizeof(units[0]); u++) {
		for (unsigned mask = 0; mask <= DQ_STATUS_ALL; mask += 2) {
			dossier_filter_init(&f, &now);
			f.status_mask = mask;
			f.unit_code = units[u];
			struct strbuf err = STRBUF_INIT;
			long got = dossier_count(s, &f, &err);
			long want = count_star(s, mask ? mask : DQ_STATUS_ALL, units[u]);
			if (got != want)
				fail_msg("%s: count of statuses %#x unit %s: %ld, COUNT(*) %ld (%s)",
					 where, mask, units[u] ? units[u] : "any", got, want,
					 err.len ? err.buf : "");
			strbuf_release(&err);
		}
		/* the pager's total is that count too */
		dossier_filter_init(&f, &now);
		f.unit_code = units[u];
		struct dossier_pager p;
		assert_int_equal(dossier_pager_open(&p, s, &f, 2, NULL), 0);
		assert_int_equal(p.total, count_star(s, DQ_STATUS_ALL, units[u]));
		dossier_pager_release(&p);
		/* the due-date buckets still count their index ranges */
		static const unsigned masks[] = { 0, DQ_OPEN, DQ_STATUS(2), DQ_STATUS(4),
						  DQ_STATUS(2) | DQ_STATUS(10) };
		for (int due = DQ_DUE_OVERDUE; due <= DQ_DUE_RECEIVED_TODAY; due++) {
			for (size_t m = 0; m < sizeof(masks) / sizeof(masks[0]); m++) {
				f.due = (enum dossier_due)due;
				f.days = 3;
				f.status_mask = masks[m];
				struct dossier_rows rows;
				dossier_rows_init(&rows);
				assert_true(dossier_list(s, &f, 0, 1000, &rows, NULL) >= 0);
				long got = dossier_count(s, &f, NULL);
				if (got != (long)rows.n)
					fail_msg("%s: bucket %d statuses %#x unit %s: count %ld, %zu rows",
						 where, due, masks[m], units[u] ? units[u] : "any",
						 got, rows.n);
				dossier_rows_release(&rows);
			}
		}
	}
}

static void check_counts(const char *where)
{
	check_counts_on(&st, where);
}

/* A dossier with only what the counts look at (and the FTS wants). */
static void add_dossier(struct store *s, const char *id, const char *code, const char *unit,
			int status, const char *received, const char *appointment)
{
	sqlite3_stmt *q = store_prepare(s,
		"INSERT INTO dossiers(id, code, procedure_code, procedure_name, unit_code, clerk,"
		" status, received_at, appointment, applicant_name, applicant_fold, updated_at)"
		" VALUES (?1, ?2, '1.001193', 'Thủ tục đăng ký khai sinh', ?3, 'canbo1', ?4, ?5, ?6,"
		" 'Trịnh Văn Thử', 'trinh van thu', ?5)");
	sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, code, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, unit, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 4, status);
	sqlite3_bind_text(q, 5, received, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 6, appointment, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(q), SQLITE_DONE);
	sqlite3_finalize(q);
}

/* The table's rows, as "00004:2=3 ...", to compare before and after. */
static char *counts_snapshot(struct store *s)
{
	sqlite3_stmt *q = store_prepare(s, "SELECT unit_code, status, n FROM dossier_status_counts"
					   " WHERE n <> 0 ORDER BY unit_code, status");
	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, "");
	while (sqlite3_step(q) == SQLITE_ROW)
		strbuf_addf(&sb, "%s:%d=%lld ", (const char *)sqlite3_column_text(q, 0),
			    sqlite3_column_int(q, 1), (long long)sqlite3_column_int64(q, 2));
	sqlite3_finalize(q);
	return strbuf_detach(&sb);
}

static void test_status_counts_follow_changes(void **state)
{
	struct dossier_filter f;
	dossier_filter_init(&f, &now);
	check_counts("the fixture");
	assert_int_equal(dossier_count(&st, &f, NULL), N_DOSSIERS);

	/* inserts, in a unit of their own too */
	add_dossier(&st, "c-1", "H01.00004-251127-0101", "00004", 2, "2025-11-27T09:50",
		    "2025-11-27T15:00");
	add_dossier(&st, "c-2", "H01.00009-251127-0001", "00009", 6, "2025-11-27T09:55",
		    "2025-12-03T16:00");
	add_dossier(&st, "c-3", "H01.00009-251126-0001", "00009", 7, "2025-11-26T08:00",
		    "2025-11-26T09:00");
	check_counts("after inserts");
	assert_int_equal(dossier_count(&st, &f, NULL), N_DOSSIERS + 3);

	/* status changes, one and many at a time, and "changes" to the same value */
	exec("UPDATE dossiers SET status = 4 WHERE id = 'c-1'");
	check_counts("after a status change");
	exec("UPDATE dossiers SET status = status WHERE 1");
	exec("UPDATE dossiers SET status = 4 WHERE id = 'c-1'");
	check_counts("after updates that change nothing");
	exec("UPDATE dossiers SET status = 10 WHERE unit_code = '00009'");
	check_counts("after a change of many rows");
	exec("UPDATE dossiers SET note = 'x', rev = rev + 1 WHERE id = 'c-2'");
	check_counts("after a change of other columns");

	/* unit changes, alone and with the status */
	exec("UPDATE dossiers SET unit_code = '00008' WHERE id = 'c-1'");
	check_counts("after a unit change");
	exec("UPDATE dossiers SET unit_code = '00004', status = 9 WHERE id = 'c-2'");
	check_counts("after a unit and status change");

	/* the sync's upsert: an insert that turns into an update */
	exec("INSERT INTO dossiers(id, code, procedure_code, procedure_name, unit_code, clerk,"
	     " status, received_at, appointment, applicant_name, applicant_fold, updated_at)"
	     " VALUES ('c-3', 'H01.00009-251126-0001', '1.001193', 'x', '00008', 'canbo1', 5,"
	     " '2025-11-26T08:00', '2025-11-26T09:00', 'A', 'a', '2025-11-27T10:00')"
	     " ON CONFLICT(id) DO UPDATE SET unit_code = excluded.unit_code,"
	     " status = excluded.status");
	check_counts("after an upsert");

	/* statuses outside 1..10 are counted by "every status" only */
	exec("UPDATE dossiers SET status = 11 WHERE id = 'c-3'");
	exec("UPDATE dossiers SET status = 0 WHERE id = 'c-2'");
	check_counts("with statuses outside 1..10");

	/* a statement that fails leaves no trace: its triggers' work is undone */
	struct strbuf err = STRBUF_INIT;
	assert_int_not_equal(store_exec(&st, "UPDATE dossiers SET status = 3,"
					 " code = 'H01.00004-251120-0001' WHERE id = 'c-1'", &err), 0);
	strbuf_release(&err);
	check_counts("after a failed update");

	/* a transaction that is rolled back changes nothing */
	char *before = counts_snapshot(&st);
	assert_int_equal(store_begin(&st, NULL), 0);
	add_dossier(&st, "c-4", "H01.00004-251127-0102", "00004", 2, "2025-11-27T09:58",
		    "2025-11-27T16:00");
	exec("UPDATE dossiers SET status = 5 WHERE id = 'id-3'");
	exec("UPDATE dossiers SET unit_code = '00009' WHERE id = 'id-2'");
	exec("DELETE FROM dossiers WHERE id = 'id-1'");
	check_counts("inside a transaction");
	store_rollback(&st);
	char *after = counts_snapshot(&st);
	assert_string_equal(after, before);
	free(after);
	free(before);
	check_counts("after a rollback");

	/* deletes, down to an empty unit */
	exec("DELETE FROM dossiers WHERE id = 'c-1'");
	check_counts("after a delete");
	exec("DELETE FROM dossiers WHERE id IN ('c-2', 'c-3')");
	check_counts("after deletes");
	assert_int_equal(dossier_count(&st, &f, NULL), N_DOSSIERS);
	f.unit_code = "00009";
	assert_int_equal(dossier_count(&st, &f, NULL), 0);

	/* the search's choice of plan reads the same counts: a status with few
	 * dossiers is searched by reading them, with the same answer */
	check_search_mask("dao", DQ_STATUS(2), "6 2");
}

/* The schema of version 2: migrations 0 and 1 of client/store/store.c as released
 * (commit 36061c2), before the counts table. A store made with them is what
 * the upgrade meets on a workstation. */
static const char *const schema_v2[] = {
	/* 0 -> 1: the reception store */
	"CREATE TABLE settings(key TEXT PRIMARY KEY, value TEXT NOT NULL);\n"

	"CREATE TABLE provinces(code TEXT PRIMARY KEY, name TEXT NOT NULL);\n"
	"CREATE TABLE communes(code TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL,"
	" province_code TEXT NOT NULL, province_name TEXT NOT NULL,"
	" fold TEXT NOT NULL);\n" /* folded 'name province_name' for the picker */
	"CREATE TABLE commune_merges(code TEXT NOT NULL, old_code TEXT NOT NULL,"
	" old_name TEXT NOT NULL, merge TEXT NOT NULL, fold TEXT NOT NULL,"
	" PRIMARY KEY(code, old_code));\n"
	/* Receiving and handling units: communes and agencies, with the identifier
	 * used in dossier codes (QCVN 102:2016 or Decision 20/2020 form). */
	"CREATE TABLE units(code TEXT PRIMARY KEY, name TEXT NOT NULL, ident TEXT NOT NULL,"
	" kind TEXT NOT NULL DEFAULT 'commune', parent_code TEXT, address TEXT, phone TEXT);\n"

	"CREATE TABLE procedures(code TEXT PRIMARY KEY, name TEXT NOT NULL, field TEXT NOT NULL,"
	" level TEXT, kind TEXT, decision TEXT, applicants TEXT, agency TEXT, steps TEXT,"
	" conditions TEXT, legal_basis TEXT, result TEXT, url TEXT,"
	" time_text TEXT, time_value REAL, time_unit TEXT," /* 'day' (working days) | 'hour' | 'inday' | NULL */
	" fee_text TEXT, fee_amount INTEGER,"               /* VND; 0 free; NULL unknown */
	" needs_review INTEGER NOT NULL DEFAULT 0, review_notes TEXT,"
	" fold TEXT NOT NULL);\n"                           /* folded 'code name' for search */
	"CREATE INDEX procedures_field ON procedures(field, name);\n"
	"CREATE TABLE procedure_channels(procedure_code TEXT NOT NULL, seq INTEGER NOT NULL,"
	" channel TEXT NOT NULL, time_text TEXT, fee_text TEXT, description TEXT,"
	" PRIMARY KEY(procedure_code, seq));\n"
	/* A component's id is its seq within the procedure (1, 2, ...). */
	"CREATE TABLE components(procedure_code TEXT NOT NULL, seq INTEGER NOT NULL,"
	" grp TEXT, name TEXT NOT NULL, form TEXT,"
	" originals INTEGER NOT NULL DEFAULT 0, copies INTEGER NOT NULL DEFAULT 0,"
	" kind TEXT NOT NULL DEFAULT 'submit'," /* 'submit' (kept) | 'present' (shown, returned) */
	" mandatory INTEGER NOT NULL DEFAULT 1, needs_review INTEGER NOT NULL DEFAULT 0,"
	" raw TEXT, PRIMARY KEY(procedure_code, seq));\n"

	"CREATE TABLE holidays(date TEXT PRIMARY KEY,"
	" kind TEXT NOT NULL CHECK(kind IN ('off','work')), name TEXT);\n"

	"CREATE TABLE clerks(username TEXT PRIMARY KEY, full_name TEXT NOT NULL,"
	" unit_code TEXT NOT NULL, role TEXT NOT NULL DEFAULT 'clerk',"
	" pw_hash TEXT NOT NULL, disabled INTEGER NOT NULL DEFAULT 0);\n"

	"CREATE TABLE dossiers(id TEXT PRIMARY KEY, code TEXT NOT NULL UNIQUE,"
	" procedure_code TEXT NOT NULL, procedure_name TEXT NOT NULL,"
	" unit_code TEXT NOT NULL, handling_unit TEXT, clerk TEXT NOT NULL,"
	" channel INTEGER NOT NULL DEFAULT 1, applicant_kind INTEGER NOT NULL DEFAULT 1,"
	" status INTEGER NOT NULL, received_at TEXT NOT NULL, appointment TEXT NOT NULL,"
	" finished_at TEXT,"
	" applicant_name TEXT NOT NULL, applicant_fold TEXT NOT NULL, id_number TEXT,"
	" birth_date TEXT, sex TEXT, phone TEXT, email TEXT, address TEXT, commune_code TEXT,"
	" note TEXT, rev INTEGER NOT NULL DEFAULT 1, updated_at TEXT NOT NULL);\n"
	"CREATE INDEX dossiers_status_due ON dossiers(status, appointment);\n"
	"CREATE INDEX dossiers_due ON dossiers(appointment);\n"
	"CREATE INDEX dossiers_received ON dossiers(received_at);\n"
	"CREATE INDEX dossiers_idnum ON dossiers(id_number);\n"
	/* Diacritic-free name search: FTS5 over our own folding (đ -> d). */
	"CREATE VIRTUAL TABLE dossier_fts USING fts5(applicant_fold, content='dossiers',"
	" content_rowid='rowid', prefix='1 2 3');\n"
	"CREATE TRIGGER dossiers_ai AFTER INSERT ON dossiers BEGIN"
	" INSERT INTO dossier_fts(rowid, applicant_fold) VALUES (new.rowid, new.applicant_fold); END;\n"
	"CREATE TRIGGER dossiers_ad AFTER DELETE ON dossiers BEGIN"
	" INSERT INTO dossier_fts(dossier_fts, rowid, applicant_fold)"
	" VALUES ('delete', old.rowid, old.applicant_fold); END;\n"
	"CREATE TRIGGER dossiers_au AFTER UPDATE OF applicant_fold ON dossiers BEGIN"
	" INSERT INTO dossier_fts(dossier_fts, rowid, applicant_fold)"
	" VALUES ('delete', old.rowid, old.applicant_fold);"
	" INSERT INTO dossier_fts(rowid, applicant_fold) VALUES (new.rowid, new.applicant_fold); END;\n"

	"CREATE TABLE dossier_components(dossier_id TEXT NOT NULL REFERENCES dossiers(id),"
	" seq INTEGER NOT NULL, name TEXT NOT NULL, kind TEXT NOT NULL, mandatory INTEGER NOT NULL,"
	" originals_required INTEGER NOT NULL, copies_required INTEGER NOT NULL,"
	" originals INTEGER NOT NULL, copies INTEGER NOT NULL, override_reason TEXT,"
	" PRIMARY KEY(dossier_id, seq));\n"

	/* Append-only: who did what, when (device clock; server time after sync). */
	"CREATE TABLE events(id TEXT PRIMARY KEY, dossier_id TEXT NOT NULL, kind TEXT NOT NULL,"
	" status_from INTEGER, status_to INTEGER, actor TEXT NOT NULL, unit_code TEXT NOT NULL,"
	" device_time TEXT NOT NULL, server_time TEXT, payload TEXT);\n"
	"CREATE INDEX events_dossier ON events(dossier_id, device_time);\n"

	/* Written in the same transaction as the change it carries. */
	"CREATE TABLE outbox(op_id TEXT PRIMARY KEY, entity TEXT NOT NULL, entity_id TEXT NOT NULL,"
	" base_rev INTEGER, op TEXT NOT NULL, payload TEXT NOT NULL, payload_hash TEXT NOT NULL,"
	" attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at TEXT, last_error TEXT,"
	" state TEXT NOT NULL DEFAULT 'pending'"
	" CHECK(state IN ('pending','sending','done','rejected','conflict')),"
	" created_at TEXT NOT NULL);\n"
	"CREATE INDEX outbox_state ON outbox(state, created_at);\n"

	/* Local dossier numbering per unit identifier and day (leases come with sync). */
	"CREATE TABLE code_seq(unit_ident TEXT NOT NULL, day TEXT NOT NULL,"
	" last INTEGER NOT NULL, PRIMARY KEY(unit_ident, day));\n",

	/* 1 -> 2: dossier search and list (client/store/dossier_query.c). Indexes: a
	 * code's part after the unit identifier ("251127-0001", the very
	 * expression the queries use), statuses by reception time (the list's
	 * other order), units and statuses (counts by unit). And the name index
	 * rebuilt with prefixes of up to 6 letters ("nguyen", "truong"), so that a
	 * prefix query never merges a common word's whole doclist; the triggers
	 * of 0 -> 1 keep it in sync (they name the table, not its options). */
	"CREATE INDEX dossiers_code_tail ON dossiers(substr(code, instr(code, '-') + 1));\n"
	"CREATE INDEX dossiers_status_received ON dossiers(status, received_at);\n"
	"CREATE INDEX dossiers_unit_status ON dossiers(unit_code, status);\n"
	"DROP TABLE dossier_fts;\n"
	"CREATE VIRTUAL TABLE dossier_fts USING fts5(applicant_fold, content='dossiers',"
	" content_rowid='rowid', prefix='1 2 3 4 5 6');\n"
	"INSERT INTO dossier_fts(dossier_fts) VALUES ('rebuild');\n",
};

/* A store at version 2 with dossiers in it, made without store_open. */
static void make_v2_store(const char *file, int dossiers_per_status)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open(file, &db), SQLITE_OK);
	for (size_t i = 0; i < sizeof(schema_v2) / sizeof(schema_v2[0]); i++)
		assert_int_equal(sqlite3_exec(db, schema_v2[i], NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 2", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_stmt *q;
	assert_int_equal(sqlite3_prepare_v2(db,
		"INSERT INTO dossiers(id, code, procedure_code, procedure_name, unit_code, clerk,"
		" status, received_at, appointment, applicant_name, applicant_fold, updated_at)"
		" VALUES (?1, ?1, '1.001193', 'x', ?2, 'canbo1', ?3, ?4, ?4, 'Lý Thị Nụ',"
		" 'ly thi nu', ?4)", -1, &q, NULL), SQLITE_OK);
	static const char *const units[] = { "00004", "00008", "00009" };
	int k = 0;
	for (int status = 1; status <= 10; status++) {
		/* a different number per status and unit, some none at all */
		for (int u = 0; u < 3; u++) {
			int n = (dossiers_per_status * (status + u)) % 7;
			for (int i = 0; i < n; i++, k++) {
				char id[32], at[17];
				snprintf(id, sizeof(id), "H01.%s-251120-%04d", units[u], k);
				snprintf(at, sizeof(at), "2025-11-%02dT%02d:00", 10 + k % 18, 8 + k % 9);
				sqlite3_bind_text(q, 1, id, -1, SQLITE_TRANSIENT);
				sqlite3_bind_text(q, 2, units[u], -1, SQLITE_STATIC);
				sqlite3_bind_int(q, 3, status);
				sqlite3_bind_text(q, 4, at, -1, SQLITE_TRANSIENT);
				assert_int_equal(sqlite3_step(q), SQLITE_DONE);
				sqlite3_reset(q);
			}
		}
	}
	sqlite3_finalize(q);
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

static void upgrade_and_check(int dossiers_per_status)
{
	char *file = xasprintf("%s/v2-%d.db", dir, dossiers_per_status);
	make_v2_store(file, dossiers_per_status);
	struct store old;
	struct strbuf err = STRBUF_INIT;
	if (store_open(&old, file, 0, &err))
		fail_msg("opening a version 2 store: %s", err.buf);
	assert_int_equal(scalar(&old, "PRAGMA user_version"), store_schema_version());
	check_counts_on(&old, "after the upgrade");
	/* and the triggers keep them from then on */
	add_dossier(&old, "u-1", "H01.00004-251127-0001", "00004", 2, "2025-11-27T09:00",
		    "2025-11-28T16:00");
	assert_int_equal(store_exec(&old, "UPDATE dossiers SET status = 4 WHERE rowid % 3 = 0;"
				    " UPDATE dossiers SET unit_code = '00008' WHERE rowid % 5 = 0;"
				    " DELETE FROM dossiers WHERE rowid % 7 = 0", &err), 0);
	check_counts_on(&old, "after changes to an upgraded store");
	store_close(&old);
	/* opened again, nothing is migrated twice */
	assert_int_equal(store_open(&old, file, 0, &err), 0);
	check_counts_on(&old, "reopened");
	store_close(&old);
	strbuf_release(&err);
	static const char *const sides[] = { "", "-wal", "-shm" };
	for (size_t i = 0; i < 3; i++) {
		char *side = xasprintf("%s%s", file, sides[i]);
		unlink(side);
		free(side);
	}
	free(file);
}

static void test_status_counts_upgrade(void **state)
{
	upgrade_and_check(0); /* no dossier yet */
	upgrade_and_check(3);
	upgrade_and_check(12);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_query_kind),
		cmocka_unit_test(test_search_name),
		cmocka_unit_test(test_search_injection),
		cmocka_unit_test(test_search_code),
		cmocka_unit_test(test_search_id),
		cmocka_unit_test(test_search_phone_and_part),
		cmocka_unit_test(test_search_status_and_pages),
		cmocka_unit_test(test_search_rows),
		cmocka_unit_test(test_fts_follows_edits),
		cmocka_unit_test(test_list_filters),
		cmocka_unit_test(test_pager),
		cmocka_unit_test(test_count_complement),
		cmocka_unit_test(test_today_counts),
		cmocka_unit_test(test_today_counts_day_bounds),
		cmocka_unit_test(test_get),
		cmocka_unit_test(test_status_counts_follow_changes),
		cmocka_unit_test(test_status_counts_upgrade),
	};
	return cmocka_run_group_tests_name("dossier_query", tests, setup, teardown);
}
