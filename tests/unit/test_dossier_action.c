/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Dossier actions (client/services/dossier_action.h) on real stores: one template
 * store gets the real reference data, the demo unit (00004 Phường Ba Đình)
 * and clerk and the official holidays of data/holidays.txt; every test works
 * on its own copy and receives its dossiers through reception_commit.
 *
 * Checks every action row by row (dossier, event and its payload, outbox in
 * the server's shape with its hash), every forbidden action leaving the store
 * exactly as it was, every (status, action) pair against the lifecycle table,
 * and the clock with cases computed by hand from the calendar: office hours
 * 07:00-11:30 and 13:30-17:00 (480 working minutes a day); 2025: 30/04,
 * 01/05 and 02/05 off (02/05 swapped with Saturday 17/05, worked), 01/09 and
 * 02/09 off; 2026: Tết from 16/02 to 20/02. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include <jansson.h>
#include <sodium.h>

#include "client/store/calendar_store.h"
#include "client/services/dossier_action.h"
#include "client/store/dossier_tx.h"
#include "client/services/reception.h"
#include "client/store/store.h"
#include "core/datetime.h"
#include "core/syncproto.h"
#include "core/xalloc.h"
#include "tests/unit/fixtures.h"


/* ---- helpers ------------------------------------------------------------- */

/* The first column of the first row, as text ("" for NULL). */
static char *query(struct store *st, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static char *query(struct store *st, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *sql = xvasprintf(fmt, ap);
	va_end(ap);
	sqlite3_stmt *q = store_prepare(st, sql);
	char *s = NULL;
	if (sqlite3_step(q) == SQLITE_ROW)
		s = xstrdup(sqlite3_column_text(q, 0) ? (const char *)sqlite3_column_text(q, 0) : "");
	sqlite3_finalize(q);
	if (!s)
		fail_msg("no row: %s", sql);
	free(sql);
	return s;
}

#define assert_query(st, want, ...) do { \
	char *got_ = query((st), __VA_ARGS__); \
	assert_string_equal(got_, (want)); \
	free(got_); \
} while (0)

/* Everything an action may change: row counts and the whole dossier table. */
static char *snapshot(struct store *st)
{
	return query(st, "SELECT (SELECT count(*) FROM dossiers) || ' ' ||"
			 " (SELECT count(*) FROM events) || ' ' || (SELECT count(*) FROM outbox) || ' ' ||"
			 " (SELECT group_concat(code || '|' || status || '|' || rev || '|' || appointment"
			 " || '|' || coalesce(handling_unit, '-') || '|' || coalesce(finished_at, '-')"
			 " || '|' || updated_at, ';') FROM dossiers)");
}

/* A dossier of the birth registration received at `at` (the
 * appointment: one working day later, same time). Returns its code. */
static char *receive_at(struct fixture *f, const char *at)
{
	return fixture_receive(f, at, "Nguyễn Văn An", NULL, NULL);
}

static void set_appointment(struct fixture *f, const char *code, const char *at)
{
	exec_ok(&f->st, "UPDATE dossiers SET appointment = '%s' WHERE code = '%s'", at, code);
}

static void set_status(struct fixture *f, const char *code, int status)
{
	exec_ok(&f->st, "UPDATE dossiers SET status = %d WHERE code = '%s'", status, code);
}

/* An input for action a with the given options (NULL-terminated "key",
 * "value" pairs; days and rating as text). */
static void input(struct dossier_action_input *in, enum mc_action a, ...)
{
	dossier_action_input_init(in, a);
	va_list ap;
	va_start(ap, a);
	for (const char *k = va_arg(ap, const char *); k; k = va_arg(ap, const char *)) {
		const char *v = va_arg(ap, const char *);
		if (!strcmp(k, "reason"))
			in->reason = xstrdup(v);
		else if (!strcmp(k, "to"))
			in->to_unit = xstrdup(v);
		else if (!strcmp(k, "days"))
			in->days = atoi(v);
		else if (!strcmp(k, "date"))
			in->date = xstrdup(v);
		else if (!strcmp(k, "rating"))
			in->rating = atoi(v);
		else if (!strcmp(k, "comment"))
			in->comment = xstrdup(v);
		else if (!strcmp(k, "result_code"))
			in->result_code = xstrdup(v);
		else if (!strcmp(k, "file"))
			in->result_file = xstrdup(v);
		else if (!strcmp(k, "method"))
			in->method = xstrdup(v);
		else if (!strcmp(k, "recipient"))
			in->recipient = xstrdup(v);
		else if (!strcmp(k, "papers"))
			in->papers = xstrdup(v);
		else
			fail_msg("unknown input key %s", k);
	}
	va_end(ap);
}

/* Runs the action; fails the test unless it is done. */
static void act_ok(struct fixture *f, const char *code, struct dossier_action_input *in,
		   const char *now, struct dossier_action_result *res)
{
	struct strbuf err = STRBUF_INIT;
	struct mc_dt t = dt(now);
	int rc = dossier_action_commit(&f->st, code, in, "canbo", &t, res, &err);
	if (rc)
		fail_msg("%s refused (%d): %s", mc_action_id(in->action), rc, err.buf);
	strbuf_release(&err);
	dossier_action_input_release(in);
}

/* Runs the action; it must be refused with a message containing want and
 * leave the store exactly as it was. */
static void act_refused(struct fixture *f, const char *code, struct dossier_action_input *in,
			const char *now, const char *want)
{
	char *before = snapshot(&f->st);
	struct strbuf err = STRBUF_INIT;
	struct dossier_action_result res;
	struct mc_dt t = dt(now);
	int rc = dossier_action_commit(&f->st, code, in, "canbo", &t, &res, &err);
	if (rc != DOSSIER_ACTION_REFUSED)
		fail_msg("%s: want refused, got %d (%s)", mc_action_id(in->action), rc,
			 err.buf ? err.buf : "");
	if (!err.buf || !strstr(err.buf, want))
		fail_msg("message [%s] lacks [%s]", err.buf ? err.buf : "", want);
	char *after = snapshot(&f->st);
	assert_string_equal(before, after);
	free(before);
	free(after);
	strbuf_release(&err);
	dossier_action_input_release(in);
}

/* The event's payload of the dossier's latest event, parsed. */
static json_t *last_payload(struct fixture *f, const char *code)
{
	char *text = query(&f->st, "SELECT e.payload FROM events e JOIN dossiers d ON d.id ="
				   " e.dossier_id WHERE d.code = '%s' ORDER BY e.rowid DESC LIMIT 1",
			   code);
	json_t *j = json_loads(text, 0, NULL);
	assert_non_null(j);
	free(text);
	return j;
}

static void assert_json_str(json_t *o, const char *key, const char *want)
{
	json_t *v = json_object_get(o, key);
	if (!json_is_string(v))
		fail_msg("%s is not a string", key);
	assert_string_equal(json_string_value(v), want);
}

static void assert_json_int(json_t *o, const char *key, long long want)
{
	json_t *v = json_object_get(o, key);
	if (!json_is_integer(v))
		fail_msg("%s is not an integer", key);
	assert_int_equal(json_integer_value(v), want);
}

static void assert_json_null(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	if (!v || !json_is_null(v))
		fail_msg("%s is not null", key);
}

/* The keys of an object, in order, joined by ','. */
static char *keys_of(json_t *o)
{
	struct strbuf sb = STRBUF_INIT;
	const char *k;
	json_t *v;
	strbuf_addstr(&sb, "");
	json_object_foreach(o, k, v) {
		if (sb.len)
			strbuf_addch(&sb, ',');
		strbuf_addstr(&sb, k);
	}
	return strbuf_detach(&sb);
}

#define assert_keys(o, want) do { \
	char *k_ = keys_of(o); \
	assert_string_equal(k_, (want)); \
	free(k_); \
} while (0)

/* ---- fixtures -------------------------------------------------------------- */

/* ---- the clock, by hand ------------------------------------------------------ */

static void load_cal(struct fixture *f, struct mc_calendar *cal)
{
	mc_calendar_init(cal);
	struct strbuf err = STRBUF_INIT;
	if (calendar_load_store(&f->st, cal, &err))
		fail_msg("%s", err.buf);
	strbuf_release(&err);
}

static void assert_minutes(const struct mc_calendar *cal, const char *from, const char *to,
			   long long want)
{
	struct mc_dt a = dt(from), b = dt(to);
	long long got = dossier_clock_working_minutes(cal, &a, &b);
	if (got != want)
		fail_msg("[%s, %s): %lld working minutes, want %lld", from, to, got, want);
}

static void assert_add(const struct mc_calendar *cal, const char *from, long long minutes,
		       const char *want)
{
	struct mc_dt a = dt(from), out;
	char got[20];
	assert_int_equal(dossier_clock_add_minutes(cal, &a, minutes, &out), 0);
	mc_format_dt(got, sizeof got, &out);
	if (strcmp(got, want))
		fail_msg("%s + %lld working minutes = %s, want %s", from, minutes, got, want);
}

static void test_clock(void **state)
{
	struct fixture *f = *state;
	struct mc_calendar cal;
	load_cal(f, &cal);
	/* Friday 15:00 to Tuesday 09:00: 120 (Fri) + 480 (Mon) + 120 (Tue). */
	assert_minutes(&cal, "2025-10-24T15:00", "2025-10-28T09:00", 720);
	/* Lunch and evenings do not count; nor does a reversed interval. */
	assert_minutes(&cal, "2025-10-27T11:40", "2025-10-27T13:20", 0);
	assert_minutes(&cal, "2025-10-27T11:00", "2025-10-27T14:00", 60);
	assert_minutes(&cal, "2025-10-27T16:30", "2025-10-28T07:30", 60);
	assert_minutes(&cal, "2025-10-28T09:00", "2025-10-24T15:00", 0);
	/* Tue 29/04 16:00 to Tue 06/05 08:00: 30/04, 01/05, 02/05 and the
	 * weekend off: 60 + 480 (Mon 05/05) + 60. */
	assert_minutes(&cal, "2025-04-29T16:00", "2025-05-06T08:00", 600);
	/* The swapped Saturday 17/05/2025 is a working day, 16/05 a Friday. */
	assert_minutes(&cal, "2025-05-16T17:00", "2025-05-19T07:00", 480);
	/* Tết 2026: Fri 13/02 10:00 to Mon 23/02 10:00: 300 + 180. */
	assert_minutes(&cal, "2026-02-13T10:00", "2026-02-23T10:00", 480);

	/* Adding back: Wed 29/10 14:10 + 720 = 170 (Wed) + 480 (Thu) + 70 -> Fri 08:10. */
	assert_add(&cal, "2025-10-29T14:10", 720, "2025-10-31T08:10");
	/* Fri 16/05 10:00 + 600 = 90 + 210 (Fri) + 270 + 30 (Sat 17/05, worked). */
	assert_add(&cal, "2025-05-16T10:00", 600, "2025-05-17T14:00");
	/* Thu 04/09 15:00 + 540 = 120 (Thu) + 270 + 150 (Fri) -> 16:00. */
	assert_add(&cal, "2025-09-04T15:00", 540, "2025-09-05T16:00");
	/* Fri 29/08 16:00 + 120: 60 on Friday, then 30/08 to 02/09 off -> Wed 03/09 08:00. */
	assert_add(&cal, "2025-08-29T16:00", 120, "2025-09-03T08:00");
	/* A period's end is reached, not passed; lunch and nights are skipped. */
	assert_add(&cal, "2025-10-27T11:00", 30, "2025-10-27T11:30");
	assert_add(&cal, "2025-10-27T11:00", 31, "2025-10-27T13:31");
	assert_add(&cal, "2025-10-27T17:00", 30, "2025-10-28T07:30");
	assert_add(&cal, "2025-10-25T09:00", 30, "2025-10-27T07:30"); /* from a Saturday */
	assert_add(&cal, "2025-10-27T09:32", 0, "2025-10-27T09:32");

	/* Working days for an apology, time of day kept. */
	struct mc_dt out, t = dt("2025-04-29T15:00");
	char got[20];
	assert_int_equal(dossier_clock_add_days(&cal, &t, 2, &out), 0);
	mc_format_dt(got, sizeof got, &out);
	assert_string_equal(got, "2025-05-06T15:00");
	t = dt("2025-05-16T10:00");
	assert_int_equal(dossier_clock_add_days(&cal, &t, 1, &out), 0);
	mc_format_dt(got, sizeof got, &out);
	assert_string_equal(got, "2025-05-17T10:00");

	/* The apology's last day: the working day before the due date. */
	t = dt("2025-05-08T09:00");
	assert_int_equal(dossier_clock_apology_deadline(&cal, &t), mc_days_from_civil(2025, 5, 7));
	t = dt("2025-05-05T10:00"); /* before it: 04, 03, 02 (swap), 01, 30/04 off */
	assert_int_equal(dossier_clock_apology_deadline(&cal, &t), mc_days_from_civil(2025, 4, 29));
	t = dt("2025-05-19T08:00"); /* Monday after the worked Saturday */
	assert_int_equal(dossier_clock_apology_deadline(&cal, &t), mc_days_from_civil(2025, 5, 17));
	mc_calendar_release(&cal);
}

/* ---- each action ------------------------------------------------------------- */

static void test_transfer(void **state)
{
	struct fixture *f = *state;
	char *code = receive_at(f, "2025-10-27T09:32");
	char *id = query(&f->st, "SELECT id FROM dossiers WHERE code = '%s'", code);
	struct dossier_action_input in;
	struct dossier_action_result res;
	input(&in, MC_ACT_TRANSFER, "to", " 00008 ", "reason", "  Chuyển  công chức tư pháp ", NULL);
	act_ok(f, code, &in, "2025-10-27T10:05", &res);
	assert_int_equal(res.status_from, 2);
	assert_int_equal(res.status, 4);
	assert_int_equal(res.rev, 2);
	assert_string_equal(res.appointment, "2025-10-28T09:32");
	assert_query(&f->st, "4|2|00008|2025-10-27T10:05|2025-10-28T09:32|",
		     "SELECT status || '|' || rev || '|' || handling_unit || '|' || updated_at || '|'"
		     " || appointment || '|' || coalesce(finished_at, '') FROM dossiers WHERE code = '%s'",
		     code);
	assert_query(&f->st, "transfer|2|4|canbo|00004|2025-10-27T10:05",
		     "SELECT kind || '|' || status_from || '|' || status_to || '|' || actor || '|' ||"
		     " unit_code || '|' || device_time FROM events WHERE id = '%s'", res.event_id);
	json_t *p = last_payload(f, code);
	assert_keys(p, "code,from_unit,to_unit,to_unit_name,reason,appointment");
	assert_json_str(p, "code", code);
	assert_json_str(p, "from_unit", "00004");
	assert_json_str(p, "to_unit", "00008");
	assert_json_str(p, "to_unit_name", "Phường Ngọc Hà, Thành phố Hà Nội");
	assert_json_str(p, "reason", "Chuyển công chức tư pháp");
	json_decref(p);

	/* The outbox row: what the server's push accepts (docs/api.md). */
	char *row = query(&f->st, "SELECT op || '|' || entity || '|' || entity_id || '|' || base_rev"
				  " || '|' || state FROM outbox WHERE op_id = '%s'", res.op_id);
	char *want = xasprintf("transfer|dossier|%s|1|pending", id);
	assert_string_equal(row, want);
	free(row);
	free(want);
	char *text = query(&f->st, "SELECT payload FROM outbox WHERE op_id = '%s'", res.op_id);
	char *hash = query(&f->st, "SELECT payload_hash FROM outbox WHERE op_id = '%s'", res.op_id);
	char hex[65];
	sync_payload_hash_text(text, hex);
	assert_string_equal(hash, hex);
	json_t *op = json_loads(text, 0, NULL);
	assert_non_null(op);
	assert_keys(op, "id,status,rev,updated_at,handling_unit,event");
	assert_json_str(op, "id", id);
	assert_json_int(op, "status", 4);
	assert_json_int(op, "rev", 2);
	assert_json_str(op, "handling_unit", "00008");
	json_t *ev = json_object_get(op, "event");
	assert_keys(ev, "id,dossier_id,kind,status_from,status_to,actor,unit_code,device_time,payload");
	assert_json_str(ev, "id", res.event_id);
	assert_json_str(ev, "kind", "transfer");
	assert_json_int(ev, "status_from", 2);
	assert_json_int(ev, "status_to", 4);
	assert_json_str(json_object_get(ev, "payload"), "to_unit", "00008");
	/* compact text in member order, as the server recomputes the hash */
	char *again = json_dumps(op, JSON_COMPACT);
	assert_string_equal(again, text);
	free(again);
	json_decref(op);
	free(text);
	free(hash);

	/* Handed on again (liên thông): 4 -> 4, from the unit handling it. */
	input(&in, MC_ACT_TRANSFER, "to", "00025", NULL);
	act_ok(f, code, &in, "2025-10-27T14:00", &res);
	assert_int_equal(res.status_from, 4);
	assert_int_equal(res.status, 4);
	p = last_payload(f, code);
	assert_json_str(p, "from_unit", "00008");
	assert_json_null(p, "reason");
	json_decref(p);
	assert_query(&f->st, "2|3", "SELECT base_rev || '|' || json_extract(payload, '$.rev') FROM outbox"
				    " WHERE op_id = '%s'", res.op_id);

	/* Refusals: the unit handling it, an unknown unit, no unit. */
	input(&in, MC_ACT_TRANSFER, "to", "00025", NULL);
	act_refused(f, code, &in, "2025-10-27T15:00", "đang được xử lý tại Phường Giảng Võ");
	input(&in, MC_ACT_TRANSFER, "to", "99999", NULL);
	act_refused(f, code, &in, "2025-10-27T15:00", "Không có đơn vị hoặc xã, phường mã «99999»");
	input(&in, MC_ACT_TRANSFER, NULL);
	act_refused(f, code, &in, "2025-10-27T15:00", "cần đơn vị nhận hồ sơ (--to)");
	free(id);
	free(code);
}

/* Supplement: the clock pauses at the request and the appointment moves by
 * the working time waited when the papers come. */
static void supplement_case(struct fixture *f, const char *appointment, const char *asked,
			    const char *back, long long minutes, const char *want)
{
	char *code = receive_at(f, "2025-01-06T08:00");
	set_appointment(f, code, appointment);
	struct dossier_action_input in;
	struct dossier_action_result res;
	input(&in, MC_ACT_REQUEST_SUPPLEMENT, "papers", "Giấy chứng sinh (bản chính);\n Tờ khai ; ;",
	      "reason", "Giấy chứng sinh là bản chụp", NULL);
	act_ok(f, code, &in, asked, &res);
	assert_int_equal(res.status, 5);
	assert_string_equal(res.appointment, appointment);
	json_t *p = last_payload(f, code);
	assert_keys(p, "code,papers,reason,paused_since,appointment");
	assert_int_equal(json_array_size(json_object_get(p, "papers")), 2);
	assert_string_equal(json_string_value(json_array_get(json_object_get(p, "papers"), 0)),
			    "Giấy chứng sinh (bản chính)");
	assert_string_equal(json_string_value(json_array_get(json_object_get(p, "papers"), 1)),
			    "Tờ khai");
	assert_json_str(p, "paused_since", asked);
	assert_json_str(p, "appointment", appointment);
	json_decref(p);
	char *request = xstrdup(res.event_id);

	input(&in, MC_ACT_SUPPLEMENT_RECEIVED, NULL);
	act_ok(f, code, &in, back, &res);
	assert_int_equal(res.status_from, 5);
	assert_int_equal(res.status, 4);
	assert_int_equal(res.paused_minutes, minutes);
	assert_string_equal(res.appointment, want);
	assert_query(&f->st, want, "SELECT appointment FROM dossiers WHERE code = '%s'", code);
	p = last_payload(f, code);
	assert_keys(p, "code,request_event,paused_since,resumed_at,paused_minutes,reason,"
		       "appointment_before,appointment");
	assert_json_str(p, "request_event", request);
	assert_json_str(p, "paused_since", asked);
	assert_json_str(p, "resumed_at", back);
	assert_json_int(p, "paused_minutes", minutes);
	assert_json_str(p, "appointment_before", appointment);
	assert_json_str(p, "appointment", want);
	json_decref(p);
	/* the new appointment travels to the server */
	char *sent = query(&f->st, "SELECT json_extract(payload, '$.appointment') FROM outbox"
				   " WHERE op_id = '%s'", res.op_id);
	assert_string_equal(sent, strcmp(want, appointment) ? want : "");
	free(sent);
	free(request);
	free(code);
}

static void test_supplement_weekend(void **state)
{
	/* Fri 24/10 15:00 to Tue 28/10 09:00: 720 minutes (see test_clock);
	 * Wed 29/10 14:10 + 720 -> Fri 31/10 08:10. */
	supplement_case(*state, "2025-10-29T14:10", "2025-10-24T15:00", "2025-10-28T09:00", 720,
			"2025-10-31T08:10");
}

static void test_supplement_holidays(void **state)
{
	/* Tue 29/04 16:00 to Tue 06/05 08:00 across 30/04-04/05: 600 minutes;
	 * Fri 16/05 10:00 + 600 ends on the worked Saturday 17/05 at 14:00. */
	supplement_case(*state, "2025-05-16T10:00", "2025-04-29T16:00", "2025-05-06T08:00", 600,
			"2025-05-17T14:00");
}

static void test_supplement_national_day(void **state)
{
	/* Fri 29/08 11:00 to Wed 03/09 14:00: 30 + 210 (Fri), 30/08-02/09 off,
	 * 270 + 30 (Wed) = 540; Thu 04/09 15:00 + 540 -> Fri 05/09 16:00. */
	supplement_case(*state, "2025-09-04T15:00", "2025-08-29T11:00", "2025-09-03T14:00", 540,
			"2025-09-05T16:00");
}

static void test_supplement_tet(void **state)
{
	/* Fri 13/02/2026 10:00 to Mon 23/02 10:00 across Tết: 300 + 180 = 480,
	 * one working day: Tue 24/02 09:00 -> Wed 25/02 09:00. */
	supplement_case(*state, "2026-02-24T09:00", "2026-02-13T10:00", "2026-02-23T10:00", 480,
			"2026-02-25T09:00");
}

static void test_supplement_lunch(void **state)
{
	/* Asked at 11:40, brought back at 13:20: no working time passed. */
	supplement_case(*state, "2025-10-28T09:32", "2025-10-27T11:40", "2025-10-27T13:20", 0,
			"2025-10-28T09:32");
}

static void test_supplement_twice(void **state)
{
	struct fixture *f = *state;
	char *code = receive_at(f, "2025-10-20T08:00");
	set_appointment(f, code, "2025-10-31T10:00");
	struct dossier_action_input in;
	struct dossier_action_result res;
	/* 1st pause: Mon 20/10 10:00 -> 15:00 = 90 + 90 = 180; Fri 31/10 10:00 +
	 * 180 = 90 before lunch, 90 after -> 15:00. */
	input(&in, MC_ACT_REQUEST_SUPPLEMENT, "papers", "Tờ khai", NULL);
	act_ok(f, code, &in, "2025-10-20T10:00", &res);
	input(&in, MC_ACT_SUPPLEMENT_RECEIVED, "reason", "Đã nhận đủ", NULL);
	act_ok(f, code, &in, "2025-10-20T15:00", &res);
	assert_string_equal(res.appointment, "2025-10-31T15:00");
	/* 2nd pause counts from its own request: Tue 21/10 16:00 -> Wed 22/10
	 * 08:00 = 60 + 60 = 120 -> Fri 31/10 17:00, the closing time itself. */
	input(&in, MC_ACT_REQUEST_SUPPLEMENT, "papers", "Giấy chứng sinh", NULL);
	act_ok(f, code, &in, "2025-10-21T16:00", &res);
	input(&in, MC_ACT_SUPPLEMENT_RECEIVED, NULL);
	act_ok(f, code, &in, "2025-10-22T08:00", &res);
	assert_int_equal(res.paused_minutes, 120);
	assert_string_equal(res.appointment, "2025-10-31T17:00");
	/* received without a request on record (a dossier set to 5 elsewhere):
	 * the appointment stays, the payload says the pause is unknown */
	char *other = receive_at(f, "2025-10-20T09:00");
	set_status(f, other, 5);
	input(&in, MC_ACT_SUPPLEMENT_RECEIVED, NULL);
	act_ok(f, other, &in, "2025-10-22T08:00", &res);
	assert_int_equal(res.paused_minutes, 0);
	assert_string_equal(res.appointment, "2025-10-21T09:00");
	json_t *p = last_payload(f, other);
	assert_json_null(p, "paused_since");
	assert_json_null(p, "request_event");
	json_decref(p);
	/* not waiting for a supplement any more */
	input(&in, MC_ACT_SUPPLEMENT_RECEIVED, NULL);
	act_refused(f, code, &in, "2025-10-22T09:00", "Không thể nhận hồ sơ bổ sung khi hồ sơ không"
						      " chờ bổ sung (trạng thái hiện tại: Đang xử lý)");
	input(&in, MC_ACT_REQUEST_SUPPLEMENT, NULL);
	act_refused(f, code, &in, "2025-10-22T09:00", "cần giấy tờ cần bổ sung (--papers)");
	struct strbuf many = STRBUF_INIT;
	for (int i = 1; i <= 31; i++)
		strbuf_addf(&many, "Giấy tờ %d;", i);
	input(&in, MC_ACT_REQUEST_SUPPLEMENT, "papers", many.buf, NULL);
	act_refused(f, code, &in, "2025-10-22T09:00", "Giấy tờ cần bổ sung: nhiều hơn 30 mục");
	strbuf_release(&many);
	input(&in, MC_ACT_REQUEST_SUPPLEMENT, "papers", " ; ;", NULL);
	act_refused(f, code, &in, "2025-10-22T09:00", "cần ít nhất một giấy tờ");
	free(other);
	free(code);
}

static void test_refuse(void **state)
{
	struct fixture *f = *state;
	char *code = receive_at(f, "2025-10-27T09:32");
	struct dossier_action_input in;
	struct dossier_action_result res;
	/* A counter dossier is received at once: it can no longer be refused. */
	input(&in, MC_ACT_REFUSE, "reason", "Không thuộc thẩm quyền", NULL);
	act_refused(f, code, &in, "2025-10-27T10:00",
		    "Không thể từ chối tiếp nhận hồ sơ đã được tiếp nhận (trạng thái hiện tại:"
		    " Đã tiếp nhận)");
	/* An online dossier still new (status 1). */
	set_status(f, code, 1);
	input(&in, MC_ACT_REFUSE, NULL);
	act_refused(f, code, &in, "2025-10-27T10:00", "cần lý do (--reason)");
	input(&in, MC_ACT_REFUSE, "reason", " ;; ", NULL);
	act_refused(f, code, &in, "2025-10-27T10:00", "cần lý do (--reason)");
	input(&in, MC_ACT_REFUSE, "reason", "Không thuộc thẩm quyền giải quyết của xã; Hồ sơ giả mạo",
	      NULL);
	act_ok(f, code, &in, "2025-10-27T10:00", &res);
	assert_int_equal(res.status, 3);
	assert_query(&f->st, "3|2025-10-27T10:00", "SELECT status || '|' || finished_at FROM dossiers"
						   " WHERE code = '%s'", code);
	json_t *p = last_payload(f, code);
	assert_keys(p, "code,reasons,appointment");
	json_t *r = json_object_get(p, "reasons");
	assert_int_equal(json_array_size(r), 2);
	assert_string_equal(json_string_value(json_array_get(r, 1)), "Hồ sơ giả mạo");
	json_decref(p);
	/* final */
	input(&in, MC_ACT_TRANSFER, "to", "00008", NULL);
	act_refused(f, code, &in, "2025-10-27T11:00",
		    "Hồ sơ đã kết thúc (Không được tiếp nhận), không thể thực hiện «Chuyển xử lý»");
	free(code);
}

static void test_apologize(void **state)
{
	struct fixture *f = *state;
	char *code = receive_at(f, "2025-04-21T08:00");
	set_appointment(f, code, "2025-05-08T09:00"); /* Thursday: last day Wed 07/05 */
	struct dossier_action_input in;
	struct dossier_action_result res;
	/* too late: the due day itself */
	input(&in, MC_ACT_APOLOGIZE, "days", "2", "reason", "Chờ xác minh", NULL);
	act_refused(f, code, &in, "2025-05-08T08:00",
		    "Đã quá thời hạn xin lỗi, hẹn lại: phải thực hiện chậm nhất 1 ngày làm việc trước"
		    " ngày hẹn trả 08/05/2025, tức là đến hết ngày 07/05/2025");
	/* bad inputs */
	input(&in, MC_ACT_APOLOGIZE, "days", "2", NULL);
	act_refused(f, code, &in, "2025-05-07T16:00", "cần lý do (--reason)");
	input(&in, MC_ACT_APOLOGIZE, "reason", "Chờ xác minh", NULL);
	act_refused(f, code, &in, "2025-05-07T16:00", "cần số ngày làm việc gia hạn (--days) hoặc");
	input(&in, MC_ACT_APOLOGIZE, "days", "2", "date", "2025-05-12", "reason", "x", NULL);
	act_refused(f, code, &in, "2025-05-07T16:00", "không cho cả hai");
	input(&in, MC_ACT_APOLOGIZE, "days", "0", "date", "2025-05-10", "reason", "x", NULL);
	act_refused(f, code, &in, "2025-05-07T16:00", "Ngày hẹn trả mới (09:00 10/05/2025) không phải"
						      " ngày làm việc");
	input(&in, MC_ACT_APOLOGIZE, "date", "2025-05-08T08:00", "reason", "x", NULL);
	act_refused(f, code, &in, "2025-05-07T16:00", "phải sau ngày hẹn trả hiện tại (09:00 08/05/2025)");
	input(&in, MC_ACT_APOLOGIZE, "date", "08/05/2025", "reason", "x", NULL);
	act_refused(f, code, &in, "2025-05-07T16:00", "Ngày hẹn trả mới «08/05/2025» không hợp lệ");
	input(&in, MC_ACT_APOLOGIZE, "days", "366", "reason", "x", NULL);
	act_refused(f, code, &in, "2025-05-07T16:00", "phải từ 1 đến 365");
	/* in time, the last day: Thu 08/05 + 2 working days = Mon 12/05 */
	input(&in, MC_ACT_APOLOGIZE, "days", "2", "reason", "Chờ kết quả xác minh của xã khác", NULL);
	act_ok(f, code, &in, "2025-05-07T16:00", &res);
	assert_int_equal(res.status, 2);
	assert_string_equal(res.appointment, "2025-05-12T09:00");
	assert_string_equal(res.appointment_before, "2025-05-08T09:00");
	json_t *p = last_payload(f, code);
	assert_keys(p, "code,reason,days,appointment_before,appointment");
	assert_json_int(p, "days", 2);
	assert_json_str(p, "appointment", "2025-05-12T09:00");
	json_decref(p);
	assert_query(&f->st, "2025-05-12T09:00", "SELECT json_extract(payload, '$.appointment')"
						 " FROM outbox WHERE op_id = '%s'", res.op_id);
	/* once only */
	input(&in, MC_ACT_APOLOGIZE, "date", "2025-05-20", "reason", "Lần nữa", NULL);
	act_refused(f, code, &in, "2025-05-08T10:00",
		    "đã được xin lỗi, hẹn lại một lần (lúc 16:00 07/05/2025): không được hẹn lại lần nữa");

	/* A date across the holidays, the time of day kept; Tue 29/04 is the
	 * last day for a dossier due Mon 05/05 (30/04 to 04/05 off). */
	char *other = receive_at(f, "2025-04-21T09:00");
	set_appointment(f, other, "2025-05-05T10:00");
	input(&in, MC_ACT_APOLOGIZE, "date", "2025-05-17", "reason", "x", NULL);
	act_refused(f, other, &in, "2025-04-30T08:00", "tức là đến hết ngày 29/04/2025");
	input(&in, MC_ACT_APOLOGIZE, "date", "2025-05-17", "reason", "Thiếu chữ ký", NULL);
	act_ok(f, other, &in, "2025-04-29T11:00", &res);
	assert_string_equal(res.appointment, "2025-05-17T10:00"); /* the worked Saturday */
	p = last_payload(f, other);
	assert_json_null(p, "days");
	json_decref(p);
	free(other);
	free(code);
}

/* A small file standing for the scanned result. */
static char *result_file(struct fixture *f)
{
	char *path = xasprintf("%s/ket-qua.pdf", f->dir);
	FILE *out = fopen(path, "wb");
	assert_non_null(out);
	fputs("%PDF-1.4 giấy khai sinh\n", out);
	assert_int_equal(fclose(out), 0);
	return path;
}

static void test_result_return_rate(void **state)
{
	struct fixture *f = *state;
	char *code = receive_at(f, "2025-10-27T09:32");
	struct dossier_action_input in;
	struct dossier_action_result res;
	input(&in, MC_ACT_TRANSFER, "to", "00004", NULL); /* our own specialist */
	act_ok(f, code, &in, "2025-10-27T09:40", &res);
	/* a result that is not ready cannot be returned, nor rated */
	input(&in, MC_ACT_RETURN, NULL);
	act_refused(f, code, &in, "2025-10-27T10:00",
		    "Không thể trả kết quả khi hồ sơ chưa có kết quả (trạng thái hiện tại: Đang xử lý)");
	input(&in, MC_ACT_RATE, "rating", "1", NULL);
	act_refused(f, code, &in, "2025-10-27T10:00", "Chỉ đánh giá được hồ sơ đã trả kết quả");
	/* result-ready needs its code; a missing file is refused */
	input(&in, MC_ACT_RESULT_READY, NULL);
	act_refused(f, code, &in, "2025-10-27T10:00", "cần số, ký hiệu của kết quả (--result-code)");
	char *missing = xasprintf("%s/none.pdf", f->dir);
	input(&in, MC_ACT_RESULT_READY, "result_code", "123/2025", "file", missing, NULL);
	act_refused(f, code, &in, "2025-10-27T10:00", "Không mở được tệp kết quả");
	input(&in, MC_ACT_RESULT_READY, "result_code", "123/2025", "file", f->dir, NULL);
	act_refused(f, code, &in, "2025-10-27T10:00", "không phải một tệp thông thường");
	free(missing);

	char *file = result_file(f);
	input(&in, MC_ACT_RESULT_READY, "result_code", "Số 123/2025/GKS", "file", file, NULL);
	act_ok(f, code, &in, "2025-10-28T08:00", &res);
	assert_int_equal(res.status, 9);
	assert_query(&f->st, "2025-10-28T08:00", "SELECT finished_at FROM dossiers WHERE code = '%s'",
		     code);
	json_t *p = last_payload(f, code);
	assert_keys(p, "code,result_code,file,on_time,appointment");
	assert_json_str(p, "result_code", "Số 123/2025/GKS");
	json_t *fj = json_object_get(p, "file");
	assert_keys(fj, "name,path,size,sha256");
	assert_json_str(fj, "name", "ket-qua.pdf");
	assert_json_int(fj, "size", (long long)strlen("%PDF-1.4 giấy khai sinh\n"));
	unsigned char h[32];
	char hex[65];
	const char *content = "%PDF-1.4 giấy khai sinh\n";
	crypto_hash_sha256(h, (const unsigned char *)content, strlen(content));
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	assert_json_str(fj, "sha256", hex);
	assert_true(json_is_true(json_object_get(p, "on_time")));
	json_decref(p);
	free(file);

	/* return: by post, to a relative; finished_at stays the result's */
	input(&in, MC_ACT_RETURN, "method", "fax", NULL);
	act_refused(f, code, &in, "2025-10-28T09:00", "Hình thức trả kết quả «fax» không hợp lệ");
	input(&in, MC_ACT_RETURN, "method", "post", "recipient", "Trần Thị Bình (vợ)", NULL);
	act_ok(f, code, &in, "2025-10-28T09:00", &res);
	assert_int_equal(res.status, 10);
	assert_query(&f->st, "10|2025-10-28T08:00", "SELECT status || '|' || finished_at FROM dossiers"
						    " WHERE code = '%s'", code);
	p = last_payload(f, code);
	assert_keys(p, "code,method,method_name,recipient,appointment");
	assert_json_str(p, "method", "post");
	assert_json_str(p, "method_name", "Qua dịch vụ bưu chính công ích");
	assert_json_str(p, "recipient", "Trần Thị Bình (vợ)");
	json_decref(p);

	/* rate: 1..3, once */
	input(&in, MC_ACT_RATE, "rating", "4", NULL);
	act_refused(f, code, &in, "2025-10-28T09:05", "Mức độ hài lòng phải là 1");
	input(&in, MC_ACT_RATE, "rating", "2", "comment", "Cán bộ  hướng dẫn tận tình", NULL);
	act_ok(f, code, &in, "2025-10-28T09:05", &res);
	assert_int_equal(res.status, 10);
	p = last_payload(f, code);
	assert_keys(p, "code,rating,rating_name,comment,appointment");
	assert_json_int(p, "rating", 2);
	assert_json_str(p, "rating_name", "Hài lòng");
	assert_json_str(p, "comment", "Cán bộ hướng dẫn tận tình");
	json_decref(p);
	input(&in, MC_ACT_RATE, "rating", "1", NULL);
	act_refused(f, code, &in, "2025-10-28T09:10",
		    "đã được đánh giá (Hài lòng): mỗi hồ sơ chỉ đánh giá một lần");

	/* returned at the counter to the applicant by default */
	char *other = receive_at(f, "2025-10-27T10:00");
	input(&in, MC_ACT_RESULT_READY, "result_code", "124/2025", NULL);
	act_ok(f, other, &in, "2025-10-28T11:00", &res); /* late: 10:00 was due */
	p = last_payload(f, other);
	assert_json_null(p, "file");
	assert_false(json_is_true(json_object_get(p, "on_time")));
	json_decref(p);
	input(&in, MC_ACT_RETURN, NULL);
	act_ok(f, other, &in, "2025-10-28T14:00", &res);
	p = last_payload(f, other);
	assert_json_str(p, "method", "counter");
	assert_json_str(p, "method_name", "Trực tiếp tại Bộ phận Một cửa");
	assert_json_str(p, "recipient", "Nguyễn Văn An");
	json_decref(p);
	/* a returned dossier without finished_at (from elsewhere) gets one */
	exec_ok(&f->st, "UPDATE dossiers SET status = 9, finished_at = NULL WHERE code = '%s'", other);
	input(&in, MC_ACT_RETURN, NULL);
	act_ok(f, other, &in, "2025-10-28T15:00", &res);
	assert_query(&f->st, "2025-10-28T15:00", "SELECT finished_at FROM dossiers WHERE code = '%s'",
		     other);
	free(other);
	free(code);
}

static void test_withdraw_stop(void **state)
{
	struct fixture *f = *state;
	char *a = receive_at(f, "2025-10-27T09:32"), *b = receive_at(f, "2025-10-27T09:40");
	struct dossier_action_input in;
	struct dossier_action_result res;
	input(&in, MC_ACT_WITHDRAW, NULL);
	act_refused(f, a, &in, "2025-10-27T10:00", "cần lý do (--reason)");
	input(&in, MC_ACT_WITHDRAW, "reason", "Công dân xin rút để bổ sung giấy tờ", NULL);
	act_ok(f, a, &in, "2025-10-27T10:00", &res);
	assert_int_equal(res.status, 7);
	json_t *p = last_payload(f, a);
	assert_keys(p, "code,reason,appointment");
	assert_json_str(p, "reason", "Công dân xin rút để bổ sung giấy tờ");
	json_decref(p);
	input(&in, MC_ACT_STOP, "reason", "Người yêu cầu đã chết", NULL);
	act_ok(f, b, &in, "2025-10-27T10:05", &res);
	assert_int_equal(res.status, 8);
	assert_query(&f->st, "8|2025-10-27T10:05", "SELECT status || '|' || finished_at FROM dossiers"
						   " WHERE code = '%s'", b);
	input(&in, MC_ACT_RESULT_READY, "result_code", "1", NULL);
	act_refused(f, b, &in, "2025-10-27T10:10", "Hồ sơ đã kết thúc (Dừng xử lý)");
	input(&in, MC_ACT_WITHDRAW, "reason", "x", NULL);
	act_refused(f, a, &in, "2025-10-27T10:10", "Hồ sơ đã kết thúc (Đã rút theo yêu cầu");
	free(a);
	free(b);
}

/* ---- bad input, unknown dossiers and clerks, store faults -------------------- */

static void test_bad_input(void **state)
{
	struct fixture *f = *state;
	char *code = receive_at(f, "2025-10-27T09:32");
	struct dossier_action_input in;
	input(&in, MC_ACT_RATE, "rating", "1", "to", "00008", NULL);
	act_refused(f, code, &in, "2025-10-27T10:00",
		    "Thao tác «Đánh giá mức độ hài lòng» không dùng đơn vị nhận hồ sơ (--to)");
	input(&in, MC_ACT_WITHDRAW, "reason", "x", "days", "2", NULL);
	act_refused(f, code, &in, "2025-10-27T10:00", "không dùng số ngày làm việc gia hạn (--days)");
	input(&in, MC_ACT_RECEIVE, NULL);
	act_refused(f, code, &in, "2025-10-27T10:00", "Thao tác «Tiếp nhận» không thực hiện được");
	input(&in, MC_ACT_REQUEST_PAYMENT, NULL);
	act_refused(f, code, &in, "2025-10-27T10:00", "không thực hiện được");
	input(&in, MC_ACT_STOP, "reason", "lý do\x01 lạ", NULL);
	act_refused(f, code, &in, "2025-10-27T10:00", "Lý do chứa ký tự điều khiển");
	input(&in, MC_ACT_STOP, "reason", "\xff\xfe", NULL);
	act_refused(f, code, &in, "2025-10-27T10:00", "Lý do chứa byte không phải UTF-8");
	char *longer = xmalloc(502 * 2 + 1);
	for (int i = 0; i < 501; i++)
		memcpy(longer + 2 * i, "đ", 2);
	longer[1002] = '\0';
	input(&in, MC_ACT_STOP, "reason", longer, NULL);
	act_refused(f, code, &in, "2025-10-27T10:00", "Lý do dài quá 500 ký tự (501 ký tự)");
	free(longer);
	input(&in, MC_ACT_STOP, "reason", "x", NULL);
	act_refused(f, "H01.00004-251027-9999", &in, "2025-10-27T10:00",
		    "Không có hồ sơ mã «H01.00004-251027-9999»");

	/* lower case and blanks around the code are fine */
	char *lower = xasprintf("  %s ", code);
	for (char *p = lower; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	struct dossier_action_result res;
	input(&in, MC_ACT_STOP, "reason", "Theo yêu cầu", NULL);
	act_ok(f, lower, &in, "2025-10-27T10:00", &res);
	assert_string_equal(res.code, code);
	free(lower);

	/* clerks */
	char *other = receive_at(f, "2025-10-27T09:40");
	char *before = snapshot(&f->st);
	struct strbuf err = STRBUF_INIT;
	struct mc_dt now = dt("2025-10-27T10:00");
	input(&in, MC_ACT_STOP, "reason", "x", NULL);
	assert_int_equal(dossier_action_commit(&f->st, other, &in, "khach", &now, &res, &err),
			 DOSSIER_ACTION_REFUSED);
	assert_non_null(strstr(err.buf, "Không có cán bộ «khach»"));
	exec_ok(&f->st, "UPDATE clerks SET disabled = 1 WHERE username = 'canbo'");
	strbuf_reset(&err);
	assert_int_equal(dossier_action_commit(&f->st, other, &in, "canbo", &now, &res, &err),
			 DOSSIER_ACTION_REFUSED);
	assert_non_null(strstr(err.buf, "Tài khoản cán bộ «canbo» đã bị khóa"));
	exec_ok(&f->st, "UPDATE clerks SET disabled = 0 WHERE username = 'canbo'");
	char *after = snapshot(&f->st);
	assert_string_equal(before, after);
	free(before);
	free(after);
	dossier_action_input_release(&in);
	strbuf_release(&err);
	free(other);
	free(code);
}

static void test_store_fault(void **state)
{
	struct fixture *f = *state;
	char *code = receive_at(f, "2025-10-27T09:32");
	char *before = snapshot(&f->st);
	store_close(&f->st);
	struct strbuf err = STRBUF_INIT;
	assert_int_equal(store_open(&f->st, f->path, STORE_READONLY, &err), 0);
	struct dossier_action_input in;
	struct dossier_action_result res;
	struct mc_dt now = dt("2025-10-27T10:00");
	input(&in, MC_ACT_TRANSFER, "to", "00008", NULL);
	assert_int_equal(dossier_action_commit(&f->st, code, &in, "canbo", &now, &res, &err),
			 DOSSIER_ACTION_FAULT);
	assert_non_null(strstr(err.buf, "chưa có gì được ghi vào kho"));
	assert_string_equal(res.event_id, "");
	store_close(&f->st);
	assert_int_equal(store_open(&f->st, f->path, 0, &err), 0);
	char *after = snapshot(&f->st);
	assert_string_equal(before, after);
	/* Inside a caller's transaction: a savepoint, undone with the caller. */
	assert_int_equal(store_begin(&f->st, &err), 0);
	act_ok(f, code, &in, "2025-10-27T10:00", &res);
	assert_query(&f->st, "4", "SELECT status FROM dossiers WHERE code = '%s'", code);
	store_rollback(&f->st);
	free(after);
	after = snapshot(&f->st);
	assert_string_equal(before, after);
	free(before);
	free(after);
	strbuf_release(&err);
	free(code);
}

/* ---- the lifecycle table through the store ------------------------------------ */

/* A good input for each action: what varies is only the dossier's status. */
static void good_input(struct dossier_action_input *in, enum mc_action a)
{
	switch (a) {
	case MC_ACT_TRANSFER: input(in, a, "to", "00008", NULL); break;
	case MC_ACT_REQUEST_SUPPLEMENT: input(in, a, "papers", "Tờ khai", NULL); break;
	case MC_ACT_REFUSE: input(in, a, "reason", "Không thuộc thẩm quyền", NULL); break;
	case MC_ACT_APOLOGIZE: input(in, a, "days", "2", "reason", "Chờ xác minh", NULL); break;
	case MC_ACT_RESULT_READY: input(in, a, "result_code", "12/2025", NULL); break;
	case MC_ACT_RATE: input(in, a, "rating", "1", NULL); break;
	case MC_ACT_WITHDRAW:
	case MC_ACT_STOP: input(in, a, "reason", "Theo đề nghị", NULL); break;
	default: input(in, a, NULL); break;
	}
}

static void test_every_transition(void **state)
{
	struct fixture *f = *state;
	char *code = receive_at(f, "2025-10-27T09:32");
	size_t n;
	const struct mc_transition *table = mc_lifecycle_table(&n);
	int allowed = 0, forbidden = 0;
	for (int status = MC_STATUS_MIN; status <= MC_STATUS_MAX; status++) {
		for (int a = 0; a < MC_ACTION_COUNT; a++) {
			if (!dossier_action_supported((enum mc_action)a))
				continue;
			/* the same dossier each time: status set, far from its due date,
			 * nothing handled, apologised or rated yet */
			exec_ok(&f->st, "UPDATE dossiers SET status = %d, handling_unit = NULL,"
					" appointment = '2025-12-30T10:00' WHERE code = '%s';"
					" DELETE FROM events WHERE kind IN ('apologize', 'rate')",
				status, code);
			struct dossier_action_input in;
			good_input(&in, (enum mc_action)a);
			const struct mc_transition *t = NULL;
			for (size_t i = 0; i < n; i++)
				if ((int)table[i].from == status && (int)table[i].action == a)
					t = &table[i];
			if (t) {
				struct dossier_action_result res;
				act_ok(f, code, &in, "2025-10-28T10:00", &res);
				if (res.status != (int)t->to || res.status_from != status)
					fail_msg("%d --%s--> %d, want %d", status, mc_action_id(t->action),
						 res.status, t->to);
				allowed++;
			} else {
				act_refused(f, code, &in, "2025-10-28T10:00", "");
				forbidden++;
			}
		}
	}
	/* 10 statuses x 10 actions; the table's rows with these actions */
	assert_int_equal(allowed + forbidden, 100);
	assert_int_equal(allowed, 22);
	free(code);
}

/* ---- what the menu offers --------------------------------------------------------- */

static void test_choices(void **state)
{
	struct fixture *f = *state;
	char *code = receive_at(f, "2025-10-27T09:32");
	struct dossier_action_choice c[MC_ACTION_COUNT];
	struct strbuf err = STRBUF_INIT;
	struct mc_dt now = dt("2025-10-27T10:00");
	int n = dossier_action_choices(&f->st, code, &now, c, MC_ACTION_COUNT, &err);
	assert_int_equal(n, 6);
	enum mc_action want[] = { MC_ACT_TRANSFER, MC_ACT_REQUEST_SUPPLEMENT, MC_ACT_APOLOGIZE,
				  MC_ACT_RESULT_READY, MC_ACT_WITHDRAW, MC_ACT_STOP };
	for (int i = 0; i < n; i++) {
		assert_int_equal(c[i].action, want[i]);
		assert_true(c[i].ok);
	}
	/* due tomorrow at 09:32: the apology was due today at the latest */
	now = dt("2025-10-28T08:00");
	n = dossier_action_choices(&f->st, code, &now, c, MC_ACTION_COUNT, &err);
	assert_false(c[2].ok);
	assert_non_null(strstr(c[2].why, "Đã quá thời hạn xin lỗi, hẹn lại"));
	/* returned and rated */
	struct dossier_action_input in;
	struct dossier_action_result res;
	input(&in, MC_ACT_RESULT_READY, "result_code", "1", NULL);
	act_ok(f, code, &in, "2025-10-27T11:00", &res);
	input(&in, MC_ACT_RETURN, NULL);
	act_ok(f, code, &in, "2025-10-27T11:05", &res);
	n = dossier_action_choices(&f->st, code, &now, c, MC_ACTION_COUNT, &err);
	assert_int_equal(n, 1);
	assert_int_equal(c[0].action, MC_ACT_RATE);
	assert_true(c[0].ok);
	input(&in, MC_ACT_RATE, "rating", "3", "comment", "Chờ lâu", NULL);
	act_ok(f, code, &in, "2025-10-27T11:06", &res);
	n = dossier_action_choices(&f->st, code, &now, c, MC_ACTION_COUNT, &err);
	assert_int_equal(n, 1);
	assert_false(c[0].ok);
	assert_non_null(strstr(c[0].why, "đã được đánh giá (Không hài lòng)"));
	assert_int_equal(dossier_action_choices(&f->st, "H01.00004-251027-9999", &now, c,
						MC_ACTION_COUNT, &err), -1);
	assert_non_null(strstr(err.buf, "Không có hồ sơ mã"));
	strbuf_release(&err);
	free(code);
}

FIXTURE_MAIN("action", test_clock, test_transfer, test_supplement_weekend,
	     test_supplement_holidays, test_supplement_national_day, test_supplement_tet,
	     test_supplement_lunch, test_supplement_twice, test_refuse, test_apologize,
	     test_result_return_rate, test_withdraw_stop, test_bad_input, test_store_fault,
	     test_every_transition, test_choices)
