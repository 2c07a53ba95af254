/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The client's sync on real SQLite stores (sync/): numbering with leases and
 * the fallback, applying the change feed (local changes never overwritten,
 * older revisions ignored, code clashes reported, reference data), the
 * status bar's words, backoff, URLs, the JSON summary, and a pass against a
 * server that is not there. The pass against a real server is proven in
 * tests/sync/t_client.sh. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <jansson.h>

#include "client/store/store.h"
#include "core/dcode.h"
#include "core/syncproto.h"
#include "core/xalloc.h"
#include "sync/apply.h"
#include "sync/http.h"
#include "sync/numbering.h"
#include "sync/sync.h"

static char tmpdir[] = "/tmp/motcua-sync-XXXXXX";
static int serial;

struct fixture {
	char *path;
	struct store st;
};

static void exec_ok(struct store *st, const char *sql)
{
	struct strbuf err = STRBUF_INIT;
	if (store_exec(st, sql, &err))
		fail_msg("%s: %s", sql, err.buf);
	strbuf_release(&err);
}

static long count(struct store *st, const char *sql)
{
	sqlite3_stmt *q = store_prepare(st, sql);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	long n = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return n;
}

/* The first column of the first row as text ("" for NULL); malloc'd. */
static char *text(struct store *st, const char *sql)
{
	sqlite3_stmt *q = store_prepare(st, sql);
	char *s = NULL;
	if (sqlite3_step(q) == SQLITE_ROW)
		s = xstrdup(sqlite3_column_text(q, 0) ? (const char *)sqlite3_column_text(q, 0) : "");
	sqlite3_finalize(q);
	return s ? s : xstrdup("(no row)");
}

static void assert_text(struct store *st, const char *sql, const char *want)
{
	char *got = text(st, sql);
	if (strcmp(got, want))
		fail_msg("%s: got [%s], want [%s]", sql, got, want);
	free(got);
}

static int setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof(*f));
	f->path = xasprintf("%s/s%d.db", tmpdir, serial++);
	struct strbuf err = STRBUF_INIT;
	if (store_open(&f->st, f->path, STORE_CREATE, &err)) {
		fprintf(stderr, "%s\n", err.buf);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	store_close(&f->st);
	unlink(f->path);
	free(f->path);
	free(f);
	return 0;
}

/* ---- numbering ------------------------------------------------------------------ */

static char *next(struct store *st, const char *day, bool *review)
{
	struct mc_dt d;
	assert_int_equal(mc_parse_dt(day, &d), 0);
	char code[MC_DCODE_MAX];
	int sqlrc = 0;
	exec_ok(st, "BEGIN IMMEDIATE");
	if (numbering_next(st, "H01.00004", &d, code, sizeof code, review, &sqlrc))
		fail_msg("numbering_next failed: %d", sqlrc);
	/* the code is taken, as a reception would take it */
	char *sql = xasprintf("INSERT INTO dossiers(id, code, procedure_code, procedure_name,"
			      " unit_code, clerk, status, received_at, appointment, applicant_name,"
			      " applicant_fold, updated_at) VALUES ('%s', '%s', 'p', 'p', '00004', 'c',"
			      " 2, 'x', 'x', 'n', 'n', 'x')", code, code);
	exec_ok(st, sql);
	free(sql);
	exec_ok(st, "COMMIT");
	return xstrdup(code);
}

static void expect_next(struct store *st, const char *day, const char *want, bool want_review)
{
	bool review = !want_review;
	char *got = next(st, day, &review);
	if (strcmp(got, want))
		fail_msg("next code: got %s, want %s", got, want);
	assert_int_equal(review, want_review);
	free(got);
}

static void lease(struct store *st, const char *day, long first, long last)
{
	exec_ok(st, "BEGIN");
	assert_int_equal(numbering_add_lease(st, "H01.00004", day, first, last, "2025-10-27T08:00"),
			 SQLITE_OK);
	exec_ok(st, "COMMIT");
}

static void test_numbering_local(void **state)
{
	struct fixture *f = *state;
	/* not syncing: the day's plain counter, as before sync existed */
	expect_next(&f->st, "2025-10-27T09:00", "H01.00004-251027-0001", false);
	expect_next(&f->st, "2025-10-27T09:05", "H01.00004-251027-0002", false);
	expect_next(&f->st, "2025-10-28T09:00", "H01.00004-251028-0001", false);
	/* a code that came another way is skipped */
	exec_ok(&f->st, "UPDATE dossiers SET code = 'H01.00004-251027-0003' WHERE code = 'H01.00004-251028-0001'");
	expect_next(&f->st, "2025-10-27T09:10", "H01.00004-251027-0004", false);
	/* leases are not used before this workstation syncs */
	lease(&f->st, "*", 201, 300);
	expect_next(&f->st, "2025-10-27T09:20", "H01.00004-251027-0005", false);
}

static void test_numbering_leased(void **state)
{
	struct fixture *f = *state;
	exec_ok(&f->st, "UPDATE sync_state SET server_url = 'http://x', device_id = 'dev-1'");
	long slot = numbering_slot("dev-1");
	assert_true(slot >= 0 && slot < NUMBERING_FALLBACK_SLOTS);
	assert_int_equal(numbering_slot("dev-1"), slot);

	assert_int_equal(numbering_free(&f->st, "H01.00004", "2025-10-27"), 0);
	lease(&f->st, "*", 201, 203);
	lease(&f->st, "2025-10-28", 204, 204); /* that day only */
	assert_int_equal(numbering_free(&f->st, "H01.00004", "2025-10-27"), 3);
	assert_int_equal(numbering_free(&f->st, "H01.00004", "2025-10-28"), 4);
	assert_int_equal(numbering_free(&f->st, "H01.00009", "2025-10-27"), 0);

	expect_next(&f->st, "2025-10-27T09:00", "H01.00004-251027-0201", false);
	expect_next(&f->st, "2025-10-27T09:01", "H01.00004-251027-0202", false);
	assert_int_equal(numbering_free(&f->st, "H01.00004", "2025-10-27"), 1);
	expect_next(&f->st, "2025-10-27T09:02", "H01.00004-251027-0203", false);
	assert_int_equal(numbering_free(&f->st, "H01.00004", "2025-10-27"), 0);
	/* no number left: this workstation's range, flagged */
	char *want1 = xasprintf("H01.00004-251027-9%04ld0001", slot);
	char *want2 = xasprintf("H01.00004-251027-9%04ld0002", slot);
	expect_next(&f->st, "2025-10-27T09:03", want1, true);
	expect_next(&f->st, "2025-10-27T09:04", want2, true);
	/* another day: the "*" block again, then the dated one */
	expect_next(&f->st, "2025-10-28T09:00", "H01.00004-251028-0201", false);
	expect_next(&f->st, "2025-10-28T09:00", "H01.00004-251028-0202", false);
	expect_next(&f->st, "2025-10-28T09:00", "H01.00004-251028-0203", false);
	expect_next(&f->st, "2025-10-28T09:00", "H01.00004-251028-0204", false);
	/* a new block: leased numbers again, above the day's last */
	lease(&f->st, "*", 501, 502);
	expect_next(&f->st, "2025-10-27T10:00", "H01.00004-251027-0501", false);
	assert_int_equal(numbering_free(&f->st, "H01.00004", "2025-10-27"), 1);
	free(want1);
	free(want2);

	/* the same block twice (a repeated answer) is kept once */
	lease(&f->st, "*", 501, 502);
	assert_int_equal(count(&f->st, "SELECT count(*) FROM sync_leases"), 3);
	/* flagging writes code_review */
	exec_ok(&f->st, "BEGIN");
	assert_int_equal(numbering_flag(&f->st, "d1", "H01.00004-251027-900010001", "2025-10-27T09:03"),
			 SQLITE_OK);
	exec_ok(&f->st, "COMMIT");
	assert_text(&f->st, "SELECT code FROM code_review", "H01.00004-251027-900010001");
}

static void test_numbering_after_local(void **state)
{
	struct fixture *f = *state;
	/* codes issued before the login, then a lease that starts below them */
	expect_next(&f->st, "2025-10-27T09:00", "H01.00004-251027-0001", false);
	expect_next(&f->st, "2025-10-27T09:00", "H01.00004-251027-0002", false);
	exec_ok(&f->st, "UPDATE sync_state SET server_url = 'http://x', device_id = 'dev-2'");
	lease(&f->st, "*", 1, 100);
	assert_int_equal(numbering_free(&f->st, "H01.00004", "2025-10-27"), 98);
	expect_next(&f->st, "2025-10-27T09:10", "H01.00004-251027-0003", false);
}

/* The floor sent with lease requests: the highest of the leased blocks, the
 * day counters and the codes held, never a fallback number, never another
 * identifier's. */
static void test_numbering_high(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(numbering_high(&f->st, "H01.00004"), 0);
	lease(&f->st, "*", 201, 300);
	assert_int_equal(numbering_high(&f->st, "H01.00004"), 300);
	exec_ok(&f->st, "INSERT INTO code_seq(unit_ident, day, last) VALUES ('H01.00004', '251027', 350),"
			" ('H01.00009', '251027', 9000)");
	assert_int_equal(numbering_high(&f->st, "H01.00004"), 350);
	/* a pulled dossier of another workstation; a fallback code; another unit */
	exec_ok(&f->st, "INSERT INTO dossiers(id, code, procedure_code, procedure_name, unit_code,"
			" clerk, status, received_at, appointment, applicant_name, applicant_fold,"
			" updated_at) VALUES ('o0', 'H01.00004-251029-1234', 'p', 'p', '00004', 'c', 2,"
			" 'x', 'x', 'n', 'n', 'x'), ('o1', 'H01.00004.1-251029-5000', 'p', 'p', 'x', 'c', 2,"
			" 'x', 'x', 'n', 'n', 'x'), ('o2', 'H01.00008-251029-7000', 'p', 'p', 'x', 'c',"
			" 2, 'x', 'x', 'n', 'n', 'x'), ('o3', 'H01.00004-251029-912340001', 'p', 'p',"
			" '00004', 'c', 2, 'x', 'x', 'n', 'n', 'x')");
	exec_ok(&f->st, "INSERT INTO code_fallback(unit_ident, day, last) VALUES ('H01.00004', '251029', 1)");
	assert_int_equal(numbering_high(&f->st, "H01.00004"), 1234);
	assert_int_equal(numbering_high(&f->st, "H01.00008"), 7000);
}

/* ---- applying changes --------------------------------------------------------------- */

static json_t *dossier(const char *id, const char *code, int rev, int status, const char *name)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:s, s:s, s:i, s:s,"
			 " s:{s:s, s:s, s:s}, s:[{s:i, s:s, s:s, s:b, s:i, s:i, s:i, s:i}],"
			 " s:{s:s, s:s, s:i, s:i, s:s, s:s, s:s}}",
			 "id", id, "code", code, "procedure_code", "1.001193", "procedure_name",
			 "Đăng ký khai sinh", "unit_code", "00004", "unit_ident", "H01.00004",
			 "clerk", "cl_b", "channel", 1, "received_at", "2025-10-27T09:00",
			 "appointment", "2025-10-28T09:00", "status", status, "updated_at",
			 "2025-10-27T09:00", "applicant", "full_name", name, "id_number",
			 "001090012345", "commune", "00004", "components", "seq", 1, "name", "Tờ khai",
			 "kind", "submit", "mandatory", 1, "originals_required", 1, "copies_required",
			 0, "originals", 1, "copies", 0, "event", "id", code, "kind", "receive",
			 "status_from", 1, "status_to", 2, "actor", "cl_b", "unit_code", "00004",
			 "device_time", "2025-10-27T09:00");
}

static int apply1(struct store *st, const char *entity, const char *id, long long rev,
		  json_t *data, struct apply_stats *as)
{
	struct sync_change ch = { 1, (char *)entity, (char *)id, rev, data };
	exec_ok(st, "BEGIN");
	int rc = sync_apply_change(st, &ch, as);
	exec_ok(st, "COMMIT");
	json_decref(data);
	return rc;
}

static void test_apply_dossiers(void **state)
{
	struct fixture *f = *state;
	struct store *st = &f->st;
	struct apply_stats as;
	apply_stats_init(&as);
	assert_int_equal(apply1(st, "dossier", "d-1", 1, dossier("d-1", "H01.00004-251027-0007", 1, 2,
								  "Trần Thị Bình"), &as), SQLITE_OK);
	assert_int_equal(as.applied, 1);
	assert_text(st, "SELECT code || '|' || status || '|' || rev || '|' || applicant_fold"
			" FROM dossiers WHERE id = 'd-1'", "H01.00004-251027-0007|2|1|tran thi binh");
	assert_int_equal(count(st, "SELECT count(*) FROM dossier_components WHERE dossier_id = 'd-1'"), 1);
	assert_int_equal(count(st, "SELECT count(*) FROM events WHERE dossier_id = 'd-1'"), 1);
	/* the name search finds it (FTS follows the upsert) */
	assert_int_equal(count(st, "SELECT count(*) FROM dossier_fts WHERE dossier_fts MATCH 'binh'"), 1);

	/* a newer revision replaces it, an older one does not */
	assert_int_equal(apply1(st, "dossier", "d-1", 3, dossier("d-1", "H01.00004-251027-0007", 3, 4,
								  "Trần Thị Bình"), &as), SQLITE_OK);
	assert_text(st, "SELECT status || '|' || rev FROM dossiers WHERE id = 'd-1'", "4|3");
	assert_int_equal(apply1(st, "dossier", "d-1", 2, dossier("d-1", "H01.00004-251027-0007", 2, 9,
								  "Trần Thị Bình"), &as), SQLITE_OK);
	assert_text(st, "SELECT status || '|' || rev FROM dossiers WHERE id = 'd-1'", "4|3");

	/* a local change not yet accepted is never overwritten */
	exec_ok(st, "INSERT INTO outbox(op_id, entity, entity_id, base_rev, op, payload,"
		    " payload_hash, created_at) VALUES ('op-1', 'dossier', 'd-1', 3, 'action', '{}',"
		    " 'x', 'x')");
	long kept = as.kept_local;
	assert_int_equal(apply1(st, "dossier", "d-1", 5, dossier("d-1", "H01.00004-251027-0007", 5, 10,
								  "Trần Thị Bình"), &as), SQLITE_OK);
	assert_int_equal(as.kept_local, kept + 1);
	assert_text(st, "SELECT status || '|' || rev FROM dossiers WHERE id = 'd-1'", "4|3");
	/* rejected or in conflict: still a local change, still kept */
	exec_ok(st, "UPDATE outbox SET state = 'conflict'");
	assert_int_equal(apply1(st, "dossier", "d-1", 5, dossier("d-1", "H01.00004-251027-0007", 5, 10,
								  "Trần Thị Bình"), &as), SQLITE_OK);
	assert_text(st, "SELECT rev FROM dossiers WHERE id = 'd-1'", "3");
	exec_ok(st, "UPDATE outbox SET state = 'done'");
	assert_int_equal(apply1(st, "dossier", "d-1", 5, dossier("d-1", "H01.00004-251027-0007", 5, 10,
								  "Trần Thị Bình"), &as), SQLITE_OK);
	assert_text(st, "SELECT status || '|' || rev FROM dossiers WHERE id = 'd-1'", "10|5");

	/* another dossier with a code this store already has: not applied, said */
	long skipped = as.skipped;
	assert_int_equal(apply1(st, "dossier", "d-2", 1, dossier("d-2", "H01.00004-251027-0007", 1, 2,
								  "Lê Văn Cường"), &as), SQLITE_OK);
	assert_int_equal(as.skipped, skipped + 1);
	assert_non_null(strstr(as.notes.buf, "trùng mã"));
	assert_int_equal(count(st, "SELECT count(*) FROM dossiers WHERE id = 'd-2'"), 0);
	/* malformed: skipped, nothing written */
	json_t *bad = dossier("d-3", "H01.00004-251027-0009", 1, 2, "X");
	json_object_del(bad, "clerk");
	assert_int_equal(apply1(st, "dossier", "d-3", 1, bad, &as), SQLITE_OK);
	assert_int_equal(count(st, "SELECT count(*) FROM dossiers WHERE id = 'd-3'"), 0);
	apply_stats_release(&as);
}

static void test_apply_reference(void **state)
{
	struct fixture *f = *state;
	struct store *st = &f->st;
	struct apply_stats as;
	apply_stats_init(&as);
	apply1(st, "unit", "00004", 1, json_pack("{s:s, s:s, s:s, s:s, s:s}", "code", "00004", "name",
						 "Phường Ba Đình", "ident", "H01.00004", "kind",
						 "commune", "parent_code", "01"), &as);
	assert_text(st, "SELECT name || '|' || ident || '|' || parent_code FROM units", "Phường Ba Đình|H01.00004|01");
	apply1(st, "procedure", "1.001193", 1,
	       json_pack("{s:s, s:s, s:s, s:f, s:s, s:s, s:I, s:b, s:[{s:i, s:s, s:s}],"
			 " s:[{s:i, s:s, s:i, s:i, s:s, s:b}, {s:i, s:s, s:i, s:i, s:s, s:b}]}",
			 "code", "1.001193", "name", "Đăng ký khai sinh", "field", "Hộ tịch",
			 "time_value", 1.0, "time_unit", "day", "fee_text", "Miễn phí", "fee_amount",
			 (json_int_t)0, "needs_review", 0, "channels", "seq", 1, "channel", "Trực tiếp",
			 "time_text", "1 ngày", "components", "seq", 1, "name", "Tờ khai", "originals", 1,
			 "copies", 0, "kind", "submit", "mandatory", 1, "seq", 2, "name", "CCCD",
			 "originals", 1, "copies", 0, "kind", "present", "mandatory", 1), &as);
	assert_text(st, "SELECT name || '|' || field || '|' || time_unit || '|' || fold FROM procedures",
		    "Đăng ký khai sinh|Hộ tịch|day|1.001193 dang ky khai sinh");
	assert_int_equal(count(st, "SELECT count(*) FROM components WHERE procedure_code = '1.001193'"), 2);
	assert_int_equal(count(st, "SELECT count(*) FROM procedure_channels"), 1);
	/* the latest version replaces the parts */
	apply1(st, "procedure", "1.001193", 1,
	       json_pack("{s:s, s:s, s:[{s:i, s:s}]}", "code", "1.001193", "name", "Đăng ký khai sinh",
			 "components", "seq", 1, "name", "Tờ khai"), &as);
	assert_int_equal(count(st, "SELECT count(*) FROM components WHERE procedure_code = '1.001193'"), 1);
	assert_int_equal(count(st, "SELECT count(*) FROM procedure_channels"), 0);
	apply1(st, "procedure", "1.001193", 1, json_pack("{s:s, s:b}", "code", "1.001193", "deleted", 1), &as);
	assert_int_equal(count(st, "SELECT count(*) FROM procedures"), 0);
	assert_int_equal(count(st, "SELECT count(*) FROM components"), 0);

	apply1(st, "holiday", "2025-09-02", 1, json_pack("{s:s, s:s, s:s}", "date", "2025-09-02",
							 "kind", "off", "name", "Quốc khánh"), &as);
	assert_text(st, "SELECT kind || '|' || name FROM holidays", "off|Quốc khánh");
	apply1(st, "holiday", "2025-09-02", 1, json_pack("{s:s, s:b}", "date", "2025-09-02",
							 "deleted", 1), &as);
	assert_int_equal(count(st, "SELECT count(*) FROM holidays"), 0);

	/* clerks: no password comes down; a local one is kept */
	exec_ok(st, "INSERT INTO clerks(username, full_name, unit_code, role, pw_hash)"
		    " VALUES ('lan', 'Lan', '00004', 'clerk', '$argon2id$x')");
	apply1(st, "user", "lan", 1, json_pack("{s:s, s:s, s:s, s:s, s:b}", "username", "lan",
					       "full_name", "Nguyễn Thị Lan", "unit_code", "00004",
					       "role", "supervisor", "disabled", 0), &as);
	apply1(st, "user", "binh", 1, json_pack("{s:s, s:s, s:s, s:s, s:b}", "username", "binh",
						"full_name", "Trần Bình", "unit_code", "00004",
						"role", "clerk", "disabled", 1), &as);
	assert_text(st, "SELECT group_concat(username || ':' || role || ':' || pw_hash || ':' || disabled, ' ')"
			" FROM (SELECT * FROM clerks ORDER BY username)",
		    "binh:clerk::1 lan:supervisor:$argon2id$x:0");
	long skipped = as.skipped;
	apply1(st, "user", "Bad Name", 1, json_pack("{s:s, s:s}", "username", "Bad Name", "unit_code",
						    "00004"), &as);
	apply1(st, "file", "x", 1, json_object(), &as); /* a newer server's entity */
	assert_int_equal(as.skipped, skipped + 2);
	apply_stats_release(&as);
}

/* ---- the status bar, backoff, URLs, summary ----------------------------------------- */

static void test_view_text(void **state)
{
	struct fixture *f = *state;
	struct sync_view v;
	sync_view_load(&f->st, &v);
	assert_false(v.configured);
	char *s = sync_view_text(&v, "2025-10-27");
	assert_string_equal(s, "Ngoại tuyến");
	free(s);
	sync_view_release(&v);

	exec_ok(&f->st, "UPDATE sync_state SET server_url = 'http://x', device_id = 'd', online = 1,"
			" last_sync_at = '2025-10-27T09:40'");
	exec_ok(&f->st, "INSERT INTO outbox(op_id, entity, entity_id, op, payload, payload_hash,"
			" created_at) VALUES ('a', 'dossier', 'e', 'receive', '{}', 'x', 'x'),"
			" ('b', 'dossier', 'e', 'receive', '{}', 'x', 'x')");
	sync_view_load(&f->st, &v);
	s = sync_view_text(&v, "2025-10-27");
	assert_string_equal(s, "Trực tuyến · chờ 2 · 09:40");
	free(s);
	s = sync_view_text(&v, "2025-10-28");
	assert_string_equal(s, "Trực tuyến · chờ 2 · 27/10");
	free(s);
	sync_view_release(&v);

	exec_ok(&f->st, "UPDATE sync_state SET online = 0, last_error = 'mất mạng'");
	exec_ok(&f->st, "UPDATE outbox SET state = 'rejected' WHERE op_id = 'a'");
	sync_view_load(&f->st, &v);
	assert_int_equal(v.pending, 1);
	assert_int_equal(v.problems, 1);
	s = sync_view_text(&v, "2025-10-27");
	assert_string_equal(s, "Ngoại tuyến · chờ 1 · 09:40 · 1 lỗi");
	free(s);
	sync_view_release(&v);

	exec_ok(&f->st, "UPDATE sync_state SET stopped = 1, last_sync_at = NULL");
	exec_ok(&f->st, "UPDATE outbox SET state = 'done' WHERE op_id = 'a'");
	exec_ok(&f->st, "INSERT INTO code_review VALUES ('d', 'H01.00004-251027-900010001', 'x', 'x')");
	sync_view_load(&f->st, &v);
	s = sync_view_text(&v, "2025-10-27");
	assert_string_equal(s, "Bị từ chối · chờ 1 · chưa đồng bộ · 1 rà soát");
	free(s);
	sync_view_release(&v);

	/* files waiting: the megabytes the server still lacks (sync/upload.c) */
	exec_ok(&f->st, "UPDATE sync_state SET stopped = 0, online = 1, last_error = NULL,"
			" last_sync_at = '2025-10-27T09:40'; DELETE FROM code_review;"
			" INSERT INTO file_uploads(sha256, bytes, server_offset) VALUES"
			" ('a', 20971520, 10000000), ('b', 1000, 0);"
			" INSERT INTO file_uploads(sha256, bytes, state) VALUES ('c', 5000000, 'sent'),"
			" ('d', 7000000, 'remote'), ('e', 9000000, 'failed')");
	sync_view_load(&f->st, &v);
	assert_int_equal(v.pending_files, 2);
	assert_int_equal(v.failed_files, 1);
	s = sync_view_text(&v, "2025-10-27");
	assert_string_equal(s, "Trực tuyến · chờ 1 (11,0 MB) · 09:40 · 1 tệp hỏng");
	free(s);
	sync_view_release(&v);
	exec_ok(&f->st, "UPDATE outbox SET state = 'done'; UPDATE file_uploads SET state = 'sent'"
			" WHERE sha256 IN ('a', 'e')");
	sync_view_load(&f->st, &v);
	s = sync_view_text(&v, "2025-10-27");
	assert_string_equal(s, "Trực tuyến · chờ 0,1 MB · 09:40");
	free(s);
	sync_view_release(&v);
}

static void test_backoff(void **state)
{
	long prev_max = 0;
	for (int n = 0; n < 30; n++) {
		long d = SYNC_BACKOFF_START_MS;
		for (int i = 0; i < n && d < SYNC_BACKOFF_CAP_MS; i++)
			d *= 2;
		if (d > SYNC_BACKOFF_CAP_MS)
			d = SYNC_BACKOFF_CAP_MS;
		long lo = sync_backoff_ms(n, SYNC_BACKOFF_CAP_MS, 0);
		long hi = sync_backoff_ms(n, SYNC_BACKOFF_CAP_MS, UINT_MAX);
		assert_int_equal(lo, d / 2);
		assert_true(hi >= lo && hi <= d);
		for (unsigned r = 0; r < 1000; r += 37) {
			long x = sync_backoff_ms(n, SYNC_BACKOFF_CAP_MS, r * 2654435761u);
			assert_true(x >= d / 2 && x <= d);
		}
		assert_true(d >= prev_max);
		prev_max = d;
	}
	assert_int_equal(sync_backoff_ms(0, SYNC_BACKOFF_CAP_MS, 0), 125);
	assert_int_equal(sync_backoff_ms(100, 1000, 0), 500);
}

/* https:// for any server; http:// only to this machine, however it is
 * written (a user@ before the host is another host). */
static void test_urls_secure(void **state)
{
	(void)state;
	char *u;
	static const char *const ok[] = { "https://motcua.example.vn", "https://10.0.0.5:8443/x",
					  "http://127.0.0.1:8080", "http://127.1.2.3", "http://[::1]:80",
					  "http://localhost:9", "http://LOCALHOST/" };
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_true(sync_url_secure(ok[i]));
		assert_true(sync_url_valid(ok[i], &u));
		free(u);
	}
	static const char *const bad[] = { "http://motcua.example.vn", "http://10.0.0.5:8080",
					   "http://127.0.0.1@evil.example", "http://128.0.0.1",
					   "http://localhost.evil.example", "http://[::2]", "http://127.0.0.1.evil" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_false(sync_url_secure(bad[i]));
		assert_false(sync_url_valid(bad[i], &u));
		assert_null(u);
	}
	assert_true(sync_url_loopback("http://127.0.0.1:1"));
	assert_false(sync_url_loopback("http://192.168.1.1"));
}

static void test_urls(void **state)
{
	char *u;
	assert_true(sync_url_valid("https://motcua.hanoi.gov.vn/", &u));
	assert_string_equal(u, "https://motcua.hanoi.gov.vn");
	free(u);
	assert_true(sync_url_valid("http://127.0.0.1:8080", &u));
	assert_string_equal(u, "http://127.0.0.1:8080");
	free(u);
	static const char *const bad[] = { "ftp://x", "http://", "https:///a", "http://a b",
					   "http://x/?q", "motcua.vn", "", "http://x#f" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_false(sync_url_valid(bad[i], &u));
		assert_null(u);
	}
	char *e = sync_url_escape("3f9a0c1e.3357.8d41c2aa");
	assert_string_equal(e, "3f9a0c1e.3357.8d41c2aa");
	free(e);
	e = sync_url_escape("a b&c=d/é");
	assert_string_equal(e, "a%20b%26c%3Dd%2F%C3%A9");
	free(e);
}

static void test_summary_json(void **state)
{
	struct sync_summary a, b;
	sync_summary_init(&a);
	sync_summary_init(&b);
	b.pushed = 3;
	b.duplicates = 1;
	b.pulled = 7;
	b.have_skew = true;
	b.skew_s = -42;
	b.errors = xcalloc(1, sizeof(char *));
	b.errors[0] = xstrdup("mất mạng");
	b.nerrors = 1;
	sync_summary_add(&a, &b);
	sync_summary_add(&a, &b); /* the same error twice is said once */
	char *s = sync_summary_json(&a);
	json_error_t je;
	json_t *o = json_loads(s, 0, &je);
	assert_non_null(o);
	assert_int_equal(json_integer_value(json_object_get(o, "pushed")), 6);
	assert_int_equal(json_integer_value(json_object_get(o, "duplicates")), 2);
	assert_int_equal(json_integer_value(json_object_get(o, "pulled")), 14);
	assert_int_equal(json_integer_value(json_object_get(o, "files_sent")), 0);
	assert_int_equal(json_integer_value(json_object_get(o, "server_clock_skew_s")), -42);
	assert_int_equal(json_array_size(json_object_get(o, "errors")), 1);
	static const char *const keys[] = { "rejected", "conflicts", "requeued", "leased", "pending",
					    "online", "warnings" };
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		assert_non_null(json_object_get(o, keys[i]));
	json_decref(o);
	free(s);
	sync_summary_release(&a);
	sync_summary_release(&b);
}

/* ---- a pass without a server ------------------------------------------------------- */

/* What `motcua login` keeps: the server, the user, the token; the queue
 * runs again; the feed's cursor stays. */
static void test_config_save_login(void **state)
{
	struct fixture *f = *state;
	struct strbuf err = STRBUF_INIT;
	char *id = sync_device_id(&f->st);
	exec_ok(&f->st, "UPDATE sync_state SET cursor = 'c-42', stopped = 1,"
			" last_error = 'Máy chủ từ chối thẻ', ca_file = '/old/ca.pem'");
	assert_int_equal(sync_config_save_login(&f->st, "https://mc.example", "lan", "mc1_tok",
						NULL, "Máy 1", &err), 0);
	struct sync_config c;
	assert_int_equal(sync_config_load(&f->st, &c), 0);
	assert_string_equal(c.server_url, "https://mc.example");
	assert_string_equal(c.username, "lan");
	assert_string_equal(c.token, "mc1_tok");
	assert_string_equal(c.device_name, "Máy 1");
	assert_string_equal(c.device_id, id);
	assert_null(c.ca_file);
	assert_false(c.stopped);
	sync_config_release(&c);
	assert_text(&f->st, "SELECT cursor || '|' || (last_error IS NULL) FROM sync_state", "c-42|1");
	assert_int_equal(sync_config_save_login(&f->st, "https://mc2.example", "lan", "mc1_tok2",
						"/etc/ca.pem", NULL, &err), 0);
	assert_text(&f->st, "SELECT server_url || '|' || ca_file || '|' || (device_name IS NULL)"
			    " FROM sync_state", "https://mc2.example|/etc/ca.pem|1");
	free(id);
	strbuf_release(&err);
}

static void test_run_without_server(void **state)
{
	struct fixture *f = *state;
	struct sync_summary sum;
	sync_summary_init(&sum);
	assert_int_equal(sync_run(&f->st, NULL, &sum), SYNC_UNCONFIGURED);
	sync_summary_release(&sum);

	/* configured, but nothing listens there: offline, said, kept */
	char *id = sync_device_id(&f->st);
	char *again = sync_device_id(&f->st);
	assert_string_equal(id, again);
	exec_ok(&f->st, "UPDATE sync_state SET server_url = 'http://127.0.0.1:1', token = 'mc1_x'");
	exec_ok(&f->st, "INSERT INTO outbox(op_id, entity, entity_id, op, payload, payload_hash,"
			" created_at) VALUES ('a', 'dossier', 'e', 'receive', '{}', 'x', 'x')");
	sync_summary_init(&sum);
	assert_int_equal(sync_run(&f->st, NULL, &sum), SYNC_OFFLINE);
	assert_int_equal(sum.nerrors, 1);
	assert_non_null(strstr(sum.errors[0], "không kết nối được máy chủ"));
	assert_int_equal(sum.pending, 1);
	assert_false(sum.online);
	assert_text(&f->st, "SELECT online || '|' || (last_error IS NOT NULL) || '|' ||"
			    " (last_sync_at IS NULL) || '|' || stopped FROM sync_state", "0|1|1|0");
	char *t = sync_outcome_text(SYNC_OFFLINE, &sum);
	assert_non_null(strstr(t, "Không đồng bộ được"));
	free(t);
	sync_summary_release(&sum);

	/* a cancelled pass stops at once */
	atomic_int stop;
	atomic_init(&stop, 1);
	struct sync_options opt = { .cancel = &stop };
	sync_summary_init(&sum);
	assert_int_equal(sync_run(&f->st, &opt, &sum), SYNC_CANCELLED);
	sync_summary_release(&sum);
	free(id);
	free(again);
}

int main(void)
{
	if (!mkdtemp(tmpdir))
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_numbering_local, setup, teardown),
		cmocka_unit_test_setup_teardown(test_numbering_leased, setup, teardown),
		cmocka_unit_test_setup_teardown(test_numbering_after_local, setup, teardown),
		cmocka_unit_test_setup_teardown(test_numbering_high, setup, teardown),
		cmocka_unit_test_setup_teardown(test_apply_dossiers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_apply_reference, setup, teardown),
		cmocka_unit_test_setup_teardown(test_view_text, setup, teardown),
		cmocka_unit_test(test_backoff),
		cmocka_unit_test(test_urls),
		cmocka_unit_test(test_urls_secure),
		cmocka_unit_test(test_summary_json),
		cmocka_unit_test_setup_teardown(test_config_save_login, setup, teardown),
		cmocka_unit_test_setup_teardown(test_run_without_server, setup, teardown),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	rmdir(tmpdir);
	return rc;
}
