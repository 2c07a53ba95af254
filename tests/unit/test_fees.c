/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The fees recorded at reception (client/store/fees.h through
 * client/services/reception.c) on real stores: each kind written in the
 * reception's transaction with its dossier, a refused fee leaving nothing,
 * the closing report's sums per clerk, and a store of the version before
 * fees (its table undone, its version stepped back) opened by this program
 * answering as a new one does. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/services/reception.h"
#include "client/store/fees.h"
#include "core/xalloc.h"
#include "tests/unit/fixtures.h"

/* A birth registration at `at` with this fee (status NULL: the default);
 * returns the code (malloc'd), or NULL with err when refused. */
static char *receive_fee(struct fixture *f, const char *at, const char *status, long long amount,
			 bool has_amount, const char *reason, struct reception_error *err)
{
	struct reception_input in;
	fixture_reception_input(&in, at, "Nguyễn Văn An", NULL, NULL);
	if (status)
		in.fee.status = xstrdup(status);
	in.fee.amount = amount;
	in.fee.has_amount = has_amount;
	if (reason)
		in.fee.reason = xstrdup(reason);
	struct reception_result res;
	struct mc_dt now = dt(at);
	char *code = NULL;
	if (!reception_commit_flags(&f->st, &in, "canbo", &now, RECEPTION_NO_RECEIPT, &res, err))
		code = xstrdup(res.code);
	reception_result_release(&res);
	reception_input_release(&in);
	return code;
}

static long count(struct fixture *f, const char *sql)
{
	sqlite3_stmt *q = store_prepare(&f->st, sql);
	long n = sqlite3_step(q) == SQLITE_ROW ? (long)sqlite3_column_int64(q, 0) : -1;
	sqlite3_finalize(q);
	return n;
}

/* The fee of the dossier with this code, "status|amount|reason". */
static char *fee_of(struct fixture *f, const char *code)
{
	sqlite3_stmt *q = store_prepare(&f->st, "SELECT id FROM dossiers WHERE code = ?");
	sqlite3_bind_text(q, 1, code, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	char *id = xstrdup((const char *)sqlite3_column_text(q, 0));
	sqlite3_finalize(q);
	struct fee_record r;
	int rc = fees_get(&f->st, id, &r);
	free(id);
	char *s = rc == SQLITE_ROW ? xasprintf("%s|%lld|%s", mc_fee_status_id(r.status), r.amount,
					       r.reason ? r.reason : "")
				   : xstrdup("");
	fee_record_release(&r);
	return s;
}

static void expect_fee(struct fixture *f, const char *code, const char *want)
{
	char *got = fee_of(f, code);
	assert_string_equal(got, want);
	free(got);
}

static void test_kinds(void **state)
{
	struct fixture *f = *state;
	struct reception_error err;
	char *c1 = receive_fee(f, "2025-10-27T08:00", "collected", 50000, true, NULL, &err);
	char *c2 = receive_fee(f, "2025-10-27T08:10", "exempt", 0, false, "  Hộ   nghèo ", &err);
	char *c3 = receive_fee(f, "2025-10-27T08:20", "later", 8000, true, NULL, &err);
	char *c4 = receive_fee(f, "2025-10-27T08:30", NULL, 0, false, NULL, &err);
	assert_non_null(c1);
	assert_non_null(c2);
	assert_non_null(c3);
	assert_non_null(c4);
	expect_fee(f, c1, "collected|50000|");
	expect_fee(f, c2, "exempt|0|Hộ nghèo");
	expect_fee(f, c3, "later|8000|");
	expect_fee(f, c4, "collected|0|"); /* the catalogue's: 0 đồng */
	free(c1);
	free(c2);
	free(c3);
	free(c4);

	/* refused: nothing at all is written */
	long dossiers = count(f, "SELECT count(*) FROM dossiers");
	long fees = count(f, "SELECT count(*) FROM dossier_fees");
	long outbox = count(f, "SELECT count(*) FROM outbox");
	const struct {
		const char *status;
		long long amount;
		bool has;
		const char *reason, *want;
	} bad[] = {
		{ "exempt", 0, false, NULL, "lý do" },
		{ "later", -1, true, NULL, "từ 0 đến" },
		{ "collected", MC_FEE_MAX + 1, true, NULL, "từ 0 đến" },
		{ "paid", 1, true, NULL, "không hợp lệ" },
		{ NULL, 5, true, NULL, "Chưa chọn" },
		{ "later", 5, true, "x", "chỉ ghi khi miễn" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char *c = receive_fee(f, "2025-10-27T09:00", bad[i].status, bad[i].amount, bad[i].has,
				      bad[i].reason, &err);
		if (c)
			fail_msg("case %zu accepted as %s", i, c);
		assert_int_equal(err.field, RF_FEE);
		if (!strstr(err.msg, bad[i].want))
			fail_msg("case %zu: «%s» lacks «%s»", i, err.msg, bad[i].want);
	}
	assert_int_equal(count(f, "SELECT count(*) FROM dossiers"), dossiers);
	assert_int_equal(count(f, "SELECT count(*) FROM dossier_fees"), fees);
	assert_int_equal(count(f, "SELECT count(*) FROM outbox"), outbox);
}

static void test_closing(void **state)
{
	struct fixture *f = *state;
	struct reception_error err;
	free(receive_fee(f, "2025-10-27T08:00", "collected", 50000, true, NULL, &err));
	free(receive_fee(f, "2025-10-27T09:00", "collected", 20000, true, NULL, &err));
	free(receive_fee(f, "2025-10-27T10:00", "later", 8000, true, NULL, &err));
	free(receive_fee(f, "2025-10-27T11:00", "exempt", 0, false, "Trẻ em", &err));
	free(receive_fee(f, "2025-10-28T08:00", "collected", 7000, true, NULL, &err)); /* the next day */
	/* a dossier without a recorded fee (received before fees were) */
	exec_ok(&f->st, "DELETE FROM dossier_fees WHERE dossier_id = (SELECT id FROM dossiers"
			" WHERE received_at = '2025-10-27T09:00')");
	struct closing c;
	assert_int_equal(fees_closing(&f->st, "2025-10-27", NULL, &c), SQLITE_OK);
	assert_string_equal(c.day, "2025-10-27");
	long day = count(f, "SELECT count(*) FROM dossiers WHERE received_at LIKE '2025-10-27T%'");
	assert_int_equal(c.total.received, day);
	assert_int_equal(c.total.collected, 1);
	assert_int_equal(c.total.collected_amount, 50000);
	assert_int_equal(c.total.later, 1);
	assert_int_equal(c.total.later_amount, 8000);
	assert_int_equal(c.total.exempt, 1);
	assert_int_equal(c.total.unrecorded, day - 3);
	assert_int_equal(c.n, 1);
	assert_string_equal(c.rows[0].unit_code, "00004");
	assert_string_equal(c.rows[0].clerk, "canbo");
	assert_int_equal(c.rows[0].received, c.total.received);
	closing_release(&c);
	assert_int_equal(fees_closing(&f->st, "2025-10-27", "someone", &c), SQLITE_OK);
	assert_int_equal(c.n, 0);
	assert_int_equal(c.total.received, 0);
	closing_release(&c);
}

static void reopen(struct fixture *f)
{
	store_close(&f->st);
	struct strbuf err = STRBUF_INIT;
	if (store_open(&f->st, f->path, 0, &err))
		fail_msg("reopen: %s", err.buf);
	strbuf_release(&err);
}

static void test_upgrade(void **state)
{
	struct fixture *f = *state;
	struct reception_error err;
	char *before = receive_fee(f, "2025-10-27T08:00", NULL, 0, false, NULL, &err);
	assert_non_null(before);
	/* a store of version 14: no dossier_fees */
	exec_ok(&f->st, "DROP TABLE dossier_fees; PRAGMA user_version = 14");
	reopen(f);
	assert_int_equal(count(f, "PRAGMA user_version"), store_schema_version());
	assert_int_equal(count(f, "SELECT count(*) FROM dossier_fees"), 0);
	expect_fee(f, before, ""); /* received before fees: none */
	char *after = receive_fee(f, "2025-10-27T09:00", "later", 3000, true, NULL, &err);
	assert_non_null(after);
	expect_fee(f, after, "later|3000|");
	/* the step runs again on a store that has the table */
	exec_ok(&f->st, "PRAGMA user_version = 14");
	reopen(f);
	expect_fee(f, after, "later|3000|");
	free(before);
	free(after);
}

FIXTURE_MAIN("fees", test_kinds, test_closing, test_upgrade)
