/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The ledger's rows (form 06): see ledger_query.h and docs/forms.md. The
 * rows come from the dossiers, their ledger numbers (table ledger_numbers,
 * kept by triggers) and their events. */
#include "client/store/ledger_query.h"
#include "client/store/visit.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/datetime.h"
#include "core/lifecycle.h"
#include "core/text.h"
#include "core/xalloc.h"

static bool empty(const char *s)
{
	return !s || !*s;
}

/* ---- range ----------------------------------------------------------------- */

/* "YYYY", "YYYY-MM" or "YYYY-MM-DD" into its first and last day. */
static int parse_period(const char *s, struct mc_date *first, struct mc_date *last)
{
	size_t n = strlen(s);
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] == '-' && (i == 4 || i == 7))))
			return -1;
	int y, m = 0;
	if (n == 4 && sscanf(s, "%4d", &y) == 1) {
		*first = (struct mc_date){ y, 1, 1 };
		*last = (struct mc_date){ y, 12, 31 };
	} else if (n == 7 && sscanf(s, "%4d-%2d", &y, &m) == 2 && m >= 1 && m <= 12) {
		*first = (struct mc_date){ y, m, 1 };
		long next = m == 12 ? mc_days_from_civil(y + 1, 1, 1) : mc_days_from_civil(y, m + 1, 1);
		mc_civil_from_days(next - 1, &last->y, &last->m, &last->d);
	} else if (n == 10 && !mc_parse_date(s, first)) {
		*last = *first;
	} else {
		return -1;
	}
	return first->y >= 1900 && first->y <= 2099 ? 0 : -1;
}

int ledger_parse_range(const char *from, const char *to, char out_from[11], char out_to[11],
		       struct strbuf *err)
{
	struct mc_date f1, f2, t1, t2;
	if (empty(from)) {
		strbuf_addstr(err, "thiếu --from NGÀY (YYYY-MM-DD, YYYY-MM hoặc YYYY)");
		return -1;
	}
	if (parse_period(from, &f1, &f2)) {
		strbuf_addf(err, "--from «%.20s» không hợp lệ: cần YYYY-MM-DD, YYYY-MM hoặc YYYY", from);
		return -1;
	}
	if (empty(to)) {
		t2 = f2;
	} else if (parse_period(to, &t1, &t2)) {
		strbuf_addf(err, "--to «%.20s» không hợp lệ: cần YYYY-MM-DD, YYYY-MM hoặc YYYY", to);
		return -1;
	}
	if (t2.y != f1.y) {
		strbuf_addf(err, "sổ theo dõi hồ sơ mở theo năm: --from và --to phải trong cùng một năm"
			    " (%04d và %04d)", f1.y, t2.y);
		return -1;
	}
	if (mc_days_from_civil(t2.y, t2.m, t2.d) < mc_days_from_civil(f1.y, f1.m, f1.d)) {
		strbuf_addstr(err, "--to phải không sớm hơn --from");
		return -1;
	}
	mc_format_date(out_from, 11, f1.y, f1.m, f1.d);
	mc_format_date(out_to, 11, t2.y, t2.m, t2.d);
	return 0;
}

/* ---- loading ------------------------------------------------------------------ */

static const char *jstr(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s && *s ? s : NULL;
}

static void note_add(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note_add(struct strbuf *sb, const char *fmt, ...)
{
	if (sb->len)
		strbuf_addstr(sb, "; ");
	va_list ap;
	va_start(ap, fmt);
	char *s = xvasprintf(fmt, ap);
	va_end(ap);
	strbuf_addstr(sb, s);
	free(s);
}

static void short_when(char *buf, size_t n, const char *at)
{
	struct mc_dt t;
	if (empty(at) || mc_parse_dt(at, &t))
		snprintf(buf, n, "%s", at ? at : "");
	else
		snprintf(buf, n, "%02d/%02d/%04d %02d:%02d", t.d, t.m, t.y, t.hh, t.mi);
}

/* The reason of an ending event: "reason", or refuse's "reasons" joined
 * with "; " (malloc'd, NULL when none). */
static char *reasons_of(json_t *p)
{
	if (jstr(p, "reason"))
		return xstrdup(jstr(p, "reason"));
	json_t *list = json_object_get(p, "reasons");
	struct strbuf sb = STRBUF_INIT;
	size_t i;
	json_t *v;
	json_array_foreach(list, i, v) {
		const char *s = json_string_value(v);
		if (empty(s))
			continue;
		if (sb.len)
			strbuf_addstr(&sb, "; ");
		strbuf_addstr(&sb, s);
	}
	if (sb.len)
		return strbuf_detach(&sb);
	strbuf_release(&sb);
	return NULL;
}

/* The event columns and the note of one row, from the dossier's events. */
static void read_events(sqlite3_stmt *ev, const char *dossier_id, int status,
			const char *applicant, struct ledger_row *r)
{
	struct strbuf note = STRBUF_INIT;
	int supplements = 0;
	const char *late_against = r->appointment;
	char apology_before[17] = "", when[32];
	bool on_time_known = false, on_time = true, returned = false;
	char *recipient = NULL, *method = NULL, *end_reason = NULL;

	sqlite3_reset(ev);
	sqlite3_bind_text(ev, 1, dossier_id, -1, SQLITE_STATIC);
	while (sqlite3_step(ev) == SQLITE_ROW) {
		const char *kind = (const char *)sqlite3_column_text(ev, 0);
		const char *at = (const char *)sqlite3_column_text(ev, 1);
		const char *text = (const char *)sqlite3_column_text(ev, 2);
		json_t *p = text ? json_loads(text, 0, NULL) : NULL;
		if (!kind || !at) {
			json_decref(p);
			continue;
		}
		if (!strcmp(kind, "transfer") && !r->transferred_at[0]) {
			snprintf(r->transferred_at, sizeof r->transferred_at, "%s", at);
		} else if (!strcmp(kind, "request-supplement")) {
			supplements++;
		} else if (!strcmp(kind, "apologize")) {
			const char *b = jstr(p, "appointment_before");
			snprintf(apology_before, sizeof apology_before, "%s", b ? b : "");
		} else if (!strcmp(kind, "result-ready")) {
			snprintf(r->result_at, sizeof r->result_at, "%s", at);
			json_t *o = json_object_get(p, "on_time");
			on_time_known = json_is_boolean(o);
			on_time = !on_time_known || json_is_true(o);
		} else if (!strcmp(kind, "return")) {
			snprintf(r->returned_at, sizeof r->returned_at, "%s", at);
			returned = true;
			free(recipient);
			recipient = jstr(p, "recipient") ? xstrdup(jstr(p, "recipient")) : NULL;
			free(method);
			method = jstr(p, "method") && strcmp(jstr(p, "method"), "counter") &&
					 jstr(p, "method_name")
				 ? xstrdup(jstr(p, "method_name")) : NULL;
		} else if (!strcmp(kind, "withdraw") || !strcmp(kind, "stop") ||
			   !strcmp(kind, "refuse")) {
			free(end_reason);
			end_reason = reasons_of(p);
		}
		json_decref(p);
	}
	sqlite3_reset(ev);

	if (status != MC_ST_RETURNED && mc_status_name(status))
		note_add(&note, "%s", mc_status_name(status));
	if (end_reason)
		note_add(&note, "lý do: %s", end_reason);
	if (supplements == 1)
		note_add(&note, "Có yêu cầu bổ sung hồ sơ");
	else if (supplements > 1)
		note_add(&note, "Yêu cầu bổ sung hồ sơ %d lần", supplements);
	if (apology_before[0]) {
		short_when(when, sizeof when, apology_before);
		note_add(&note, "Đã xin lỗi, hẹn lại (hẹn trước: %s)", when);
	}
	if (r->result_at[0]) {
		bool late = on_time_known ? !on_time : strcmp(r->result_at, late_against) > 0;
		if (late)
			note_add(&note, "Có kết quả quá hạn");
	}
	if (method)
		note_add(&note, "Trả kết quả %s", method);
	if (returned)
		r->recipient = xstrdup(recipient ? recipient : applicant ? applicant : "");
	r->note = note.len ? strbuf_detach(&note) : NULL;
	strbuf_release(&note);
	free(recipient);
	free(method);
	free(end_reason);
}

static void row_release(struct ledger_row *r)
{
	FREE(&r->code);
	FREE(&r->procedure);
	FREE(&r->applicant);
	FREE(&r->address_phone);
	FREE(&r->handling);
	FREE(&r->recipient);
	FREE(&r->note);
}

void ledger_release(struct ledger *lg)
{
	for (size_t i = 0; i < lg->n; i++)
		row_release(&lg->rows[i]);
	FREE(&lg->rows);
	lg->n = 0;
	FREE(&lg->unit_code);
	form_unit_release(&lg->unit);
}

/* "Số 3 ngõ 6, Phường Ngọc Hà, Thành phố Hà Nội; ĐT: 0983 111 222" */
static char *address_phone(sqlite3_stmt *q, int col)
{
	struct strbuf sb = STRBUF_INIT;
	for (int i = col; i < col + 3; i++) {
		const char *p = (const char *)sqlite3_column_text(q, i);
		if (empty(p))
			continue;
		if (sb.len)
			strbuf_addstr(&sb, ", ");
		strbuf_addstr(&sb, p);
	}
	const char *phone = (const char *)sqlite3_column_text(q, col + 3);
	if (!empty(phone))
		strbuf_addf(&sb, "%sĐT: %s", sb.len ? "; " : "", phone);
	if (sb.len)
		return strbuf_detach(&sb);
	strbuf_release(&sb);
	return NULL;
}

int ledger_load(struct store *st, const char *unit_code, const char *from, const char *to,
		struct ledger *lg, struct strbuf *err)
{
	memset(lg, 0, sizeof(*lg));
	if (ledger_parse_range(from, to, lg->from, lg->to, err))
		return 1;
	lg->year = atoi(lg->from);
	lg->unit_code = empty(unit_code) ? store_get_setting(st, "unit_code") : xstrdup(unit_code);
	if (empty(lg->unit_code)) {
		strbuf_addstr(err, "máy trạm chưa được gán đơn vị tiếp nhận (cài đặt unit_code):"
			    " dùng --unit MÃ_ĐƠN_VỊ");
		ledger_release(lg);
		return 1;
	}
	sqlite3_stmt *q = store_prepare(st, "SELECT 1 FROM units WHERE code = ?");
	sqlite3_bind_text(q, 1, lg->unit_code, -1, SQLITE_STATIC);
	int step = sqlite3_step(q);
	sqlite3_finalize(q);
	if (step != SQLITE_ROW) {
		if (step == SQLITE_DONE)
			strbuf_addf(err, "không có đơn vị mã «%.20s» trong danh mục",
				    mc_text_valid(lg->unit_code) ? lg->unit_code : "?");
		else
			strbuf_addf(err, "không đọc được danh mục đơn vị: %s", store_errmsg_vn(step));
		ledger_release(lg);
		return step == SQLITE_DONE ? 1 : -1;
	}
	form_unit_load(st, lg->unit_code, &lg->unit);

	/* received_at is "YYYY-MM-DDTHH:MM": the day after `to` bounds it */
	struct mc_date t;
	mc_parse_date(lg->to, &t);
	char until[11];
	long next = mc_days_from_civil(t.y, t.m, t.d) + 1;
	int y, m, dd;
	mc_civil_from_days(next, &y, &m, &dd);
	mc_format_date(until, sizeof until, y, m, dd);

	q = store_prepare(st,
		"SELECT l.no, d.id, d.code, d.procedure_name, d.applicant_name, d.address, c.name,"
		" c.province_name, d.phone, coalesce(d.handling_unit, d.unit_code), d.received_at,"
		" d.appointment, d.status"
		" FROM ledger_numbers l JOIN dossiers d ON d.id = l.dossier_id"
		" LEFT JOIN communes c ON c.code = d.commune_code"
		" WHERE l.unit_code = ?1 AND l.year = ?2 AND d.received_at >= ?3 AND d.received_at < ?4"
		" ORDER BY l.no");
	sqlite3_bind_text(q, 1, lg->unit_code, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 2, lg->year);
	sqlite3_bind_text(q, 3, lg->from, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, until, -1, SQLITE_STATIC);
	struct visit_counts vc;
	if (visit_count(st, lg->unit_code, lg->from, until, &vc)) {
		sqlite3_finalize(q);
		strbuf_addf(err, "không đọc được các lượt tiếp công dân: %s",
			    store_errmsg_vn(SQLITE_ERROR));
		ledger_release(lg);
		return -1;
	}
	lg->refused = vc.refused;
	lg->guided = vc.guided;
	sqlite3_stmt *ev = store_prepare(st,
		"SELECT kind, device_time, payload FROM events WHERE dossier_id = ?"
		" ORDER BY device_time, rowid");
	sqlite3_stmt *un = store_prepare(st,
		"SELECT name FROM units WHERE code = ?1"
		" UNION ALL SELECT name FROM communes WHERE code = ?1 LIMIT 1");
	size_t alloc = 0;
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		if (lg->n == alloc) {
			alloc = alloc ? 2 * alloc : 64;
			lg->rows = xrealloc(lg->rows, alloc * sizeof(*lg->rows));
		}
		struct ledger_row *r = &lg->rows[lg->n++];
		memset(r, 0, sizeof(*r));
		r->no = sqlite3_column_int(q, 0);
		r->code = store_col_nonempty(q, 2);
		r->procedure = store_col_nonempty(q, 3);
		r->applicant = store_col_nonempty(q, 4);
		r->address_phone = address_phone(q, 5);
		const char *handling = (const char *)sqlite3_column_text(q, 9);
		sqlite3_reset(un);
		sqlite3_bind_text(un, 1, handling ? handling : "", -1, SQLITE_TRANSIENT);
		r->handling = sqlite3_step(un) == SQLITE_ROW ? store_col_nonempty(un, 0) : NULL;
		if (!r->handling && handling)
			r->handling = xstrdup(handling);
		r->n_sets = 1;
		snprintf(r->received_at, sizeof r->received_at, "%s",
			 (const char *)sqlite3_column_text(q, 10));
		snprintf(r->appointment, sizeof r->appointment, "%s",
			 (const char *)sqlite3_column_text(q, 11));
		read_events(ev, (const char *)sqlite3_column_text(q, 1), sqlite3_column_int(q, 12),
			    r->applicant, r);
	}
	sqlite3_finalize(un);
	sqlite3_finalize(ev);
	sqlite3_finalize(q);
	if (step != SQLITE_DONE) {
		strbuf_addf(err, "không đọc được sổ theo dõi hồ sơ: %s", store_errmsg_vn(step));
		ledger_release(lg);
		return -1;
	}
	return 0;
}

int ledger_number_of(struct store *st, const char *code, char book[16], char number[16])
{
	sqlite3_stmt *q = store_prepare(st,
		"SELECT l.year, l.no FROM ledger_numbers l JOIN dossiers d ON d.id = l.dossier_id"
		" WHERE d.code = ?");
	sqlite3_bind_text(q, 1, code ? code : "", -1, SQLITE_STATIC);
	int step = sqlite3_step(q), rc = 0;
	if (step == SQLITE_ROW) {
		snprintf(book, 16, "01/%04d", sqlite3_column_int(q, 0) % 10000);
		snprintf(number, 16, "%04d", sqlite3_column_int(q, 1) % 100000000);
		rc = 1;
	} else if (step != SQLITE_DONE) {
		rc = -1;
	}
	sqlite3_finalize(q);
	return rc;
}
