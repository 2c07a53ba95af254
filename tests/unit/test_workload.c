/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Each clerk's workload (client/store/workload.h) on a real store: dossiers
 * written by SQL, some reassigned by a 'reassign' event, counted by hand
 * and by a plain reference query that reads every dossier. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/store/workload.h"
#include "core/xalloc.h"
#include "tests/unit/fixtures.h"

static void add_clerk(struct store *st, const char *user, const char *name, const char *unit,
		      int disabled)
{
	exec_ok(st, "INSERT INTO clerks(username, full_name, unit_code, role, pw_hash, disabled)"
		    " VALUES ('%s', '%s', '%s', 'clerk', 'x', %d)", user, name, unit, disabled);
}

static void add_dossier(struct store *st, int n, const char *unit, const char *clerk, int status,
			const char *received, const char *appointment)
{
	exec_ok(st, "INSERT INTO dossiers(id, code, procedure_code, procedure_name, unit_code,"
		    " clerk, status, received_at, appointment, applicant_name, applicant_fold,"
		    " updated_at) VALUES ('w%d', 'W-%d', '1.001193', 'Thủ tục', '%s', '%s', %d,"
		    " '%s', '%s', 'Người nộp', 'nguoi nop', '%s')",
		n, n, unit, clerk, status, received, appointment, received);
}

static void reassign(struct store *st, int n, const char *to, const char *at)
{
	exec_ok(st, "INSERT INTO events(id, dossier_id, kind, actor, unit_code, device_time,"
		    " payload) VALUES ('r%d-%s', 'w%d', 'reassign', 'giamsat', '00004', '%s',"
		    " json_object('to_clerk', '%s'))", n, at, n, at, to);
}

static void seed(struct store *st)
{
	add_clerk(st, "an", "Trần Văn An", "00004", 0);
	add_clerk(st, "binh", "Lê Thị Bình", "00004", 0);
	add_clerk(st, "cu", "Phạm Văn Cũ", "00004", 1);
	add_clerk(st, "tam", "Đỗ Văn Tám", "00008", 0);
	/* now: Thursday 2025-11-27 10:00; the week from Monday 2025-11-24 */
	add_dossier(st, 1, "00004", "an", 2, "2025-11-27T08:00", "2025-11-28T10:00");
	add_dossier(st, 2, "00004", "an", 4, "2025-11-24T08:00", "2025-11-26T10:00");
	add_dossier(st, 3, "00004", "an", 10, "2025-11-25T08:00", "2025-11-26T10:00");
	add_dossier(st, 4, "00004", "binh", 5, "2025-11-20T08:00", "2025-11-25T10:00");
	add_dossier(st, 5, "00004", "binh", 2, "2025-11-21T08:00", "2025-11-26T16:00");
	add_dossier(st, 6, "00004", "canbo", 2, "2025-11-27T09:00", "2025-11-27T09:30");
	add_dossier(st, 7, "00008", "an", 2, "2025-11-27T08:30", "2025-11-20T10:00");
	add_dossier(st, 8, "00004", "cu", 2, "2025-11-27T08:45", "2025-11-20T10:00");
	add_dossier(st, 9, "00004", "an", 1, "2025-11-23T10:00", "2025-11-20T10:00");
	reassign(st, 5, "tam", "2025-11-22T08:00");
	reassign(st, 5, "an", "2025-11-22T09:00"); /* the latest wins */
	reassign(st, 6, "binh", "2025-11-27T09:10");
}

static void expect(const struct clerk_workload *w, const char *user, const char *name,
		   long open, long late, long today, long week)
{
	assert_string_equal(w->username, user);
	assert_string_equal(w->name, name);
	assert_int_equal(w->open, open);
	assert_int_equal(w->late, late);
	assert_int_equal(w->today, today);
	assert_int_equal(w->week, week);
}

static void test_by_hand(void **state)
{
	struct fixture *f = *state;
	seed(&f->st);
	struct clerk_workloads w = { 0 };
	struct strbuf err = STRBUF_INIT;
	struct mc_dt now = dt("2025-11-27T10:00");
	assert_int_equal(clerk_workload_load(&f->st, "00004", &now, &w, &err), 0);
	/* by full name: Lê, Nguyễn, Trần; the disabled clerk and the other
	 * unit's are not listed */
	assert_int_equal(w.n, 3);
	expect(&w.v[0], "binh", "Lê Thị Bình", 2, 1, 0, 0);      /* 4, and 6 given to her */
	expect(&w.v[1], "canbo", "Nguyễn Thị Lan", 0, 0, 1, 1);  /* received 6 */
	expect(&w.v[2], "an", "Trần Văn An", 4, 2, 1, 3);        /* 1 2 5 9; late 2 5 */
	clerk_workloads_release(&w);
	assert_int_equal(w.n, 0);

	/* another unit; no unit at all */
	assert_int_equal(clerk_workload_load(&f->st, "00008", &now, &w, &err), 0);
	assert_int_equal(w.n, 1);
	expect(&w.v[0], "tam", "Đỗ Văn Tám", 0, 0, 0, 0); /* 7 is an's, and 5 went on to an */
	clerk_workloads_release(&w);
	assert_int_equal(clerk_workload_load(&f->st, NULL, &now, &w, &err), 0);
	assert_int_equal(w.n, 0);
	strbuf_release(&err);
}

/* The plain query: every dossier of the unit read, each counted for the
 * clerk in charge (open, late) or the clerk who received it (today, week). */
static long reference(struct store *st, const char *what, const char *user, const char *unit,
		      const char *today, const char *tomorrow, const char *monday,
		      const char *now)
{
	char *sql = xasprintf(
		"SELECT count(*) FROM dossiers d LEFT JOIN dossier_assignments da"
		" ON da.dossier_id = d.id WHERE d.unit_code = '%s' AND %s",
		unit,
		!strcmp(what, "open") ? "coalesce(da.clerk, d.clerk) = ?1 AND d.status IN (1, 2, 4, 5, 6, 9)"
		: !strcmp(what, "late") ? "coalesce(da.clerk, d.clerk) = ?1 AND d.status IN (2, 4)"
					  " AND d.appointment < ?5"
		: !strcmp(what, "today") ? "d.clerk = ?1 AND d.received_at >= ?2 AND d.received_at < ?3"
					 : "d.clerk = ?1 AND d.received_at >= ?4 AND d.received_at < ?3");
	sqlite3_stmt *q = store_prepare(st, sql);
	const char *v[] = { user, today, tomorrow, monday, now };
	for (int i = 0; i < 5; i++)
		sqlite3_bind_text(q, i + 1, v[i], -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	long n = (long)sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	free(sql);
	return n;
}

static void test_like_reference(void **state)
{
	struct fixture *f = *state;
	seed(&f->st);
	/* more of them: every status, received over three weeks, due around
	 * now, a fifth reassigned */
	static const char *const clerks[] = { "an", "binh", "canbo", "cu" };
	for (int i = 100; i < 400; i++) {
		char received[20], due[20];
		snprintf(received, sizeof received, "2025-11-%02dT%02d:%02d", 10 + i % 20, 7 + i % 10,
			 i % 60);
		snprintf(due, sizeof due, "2025-11-%02dT%02d:00", 20 + i % 10, 8 + i % 9);
		add_dossier(&f->st, i, i % 7 ? "00004" : "00008", clerks[i % 4], 1 + i % 10,
			    received, due);
		if (i % 5 == 0)
			reassign(&f->st, i, clerks[(i / 5) % 4], "2025-11-26T08:00");
	}
	static const char *const nows[] = { "2025-11-27T10:00", "2025-11-24T07:00",
					    "2025-11-30T23:30", "2025-12-01T08:00" };
	for (size_t k = 0; k < sizeof nows / sizeof nows[0]; k++) {
		struct mc_dt now = dt(nows[k]);
		long day = mc_days_from_civil(now.y, now.m, now.d);
		long monday = day - (mc_weekday(day) + 6) % 7;
		char d_today[16], d_tomorrow[16], d_monday[16];
		int y, m, d;
		mc_civil_from_days(day, &y, &m, &d);
		mc_format_date(d_today, sizeof d_today, y, m, d);
		mc_civil_from_days(day + 1, &y, &m, &d);
		mc_format_date(d_tomorrow, sizeof d_tomorrow, y, m, d);
		mc_civil_from_days(monday, &y, &m, &d);
		mc_format_date(d_monday, sizeof d_monday, y, m, d);
		struct clerk_workloads w = { 0 };
		struct strbuf err = STRBUF_INIT;
		assert_int_equal(clerk_workload_load(&f->st, "00004", &now, &w, &err), 0);
		assert_int_equal(w.n, 3);
		long total = 0;
		for (size_t i = 0; i < w.n; i++) {
			const struct clerk_workload *c = &w.v[i];
			const char *u = c->username;
#define REF(what) reference(&f->st, what, u, "00004", d_today, d_tomorrow, d_monday, nows[k])
			assert_int_equal(c->open, REF("open"));
			assert_int_equal(c->late, REF("late"));
			assert_int_equal(c->today, REF("today"));
			assert_int_equal(c->week, REF("week"));
#undef REF
			total += c->open + c->late + c->today + c->week;
		}
		assert_true(total > 0); /* the comparison compared something */
		clerk_workloads_release(&w);
		strbuf_release(&err);
	}
}

FIXTURE_MAIN("workload", test_by_hand, test_like_reference)
