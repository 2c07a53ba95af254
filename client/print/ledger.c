/* The ledger (form 06): see ledger.h and docs/forms.md. The rows come from
 * the dossiers, their ledger numbers (table ledger_numbers, kept by triggers)
 * and their events; the PDF draws its two-level table header itself and
 * repeats it on every page from the page-header hook. */
#include "client/print/ledger.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "core/datetime.h"
#include "core/lifecycle.h"
#include "core/text.h"
#include "core/xalloc.h"

#define NCOLS 14
#define DATE_COL 7   /* first of the five date columns */
#define NDATES 5
#define PAD 0.6      /* cell padding, mm */
#define SZ_CELL 7
#define SZ_HEADCELL 6.5

static const struct pdf_style st_title = { 12, true, false, PDF_CENTER, 0 };
static const struct pdf_style st_sub = { 9, false, true, PDF_CENTER, 0.9 };
static const struct pdf_style st_hcell = { SZ_HEADCELL, true, false, PDF_CENTER, 0.85 };
static const struct pdf_style st_num = { SZ_HEADCELL, false, true, PDF_CENTER, 0.85 };
static const struct pdf_style st_cont = { 7, false, true, PDF_LEFT, 0.9 };
static const struct pdf_style st_page = { 7, false, false, PDF_RIGHT, 0.9 };
static const struct pdf_style st_sum = { 9, false, false, PDF_LEFT, 0.9 };

/* Column widths, mm (A4 landscape, margins 12 left and 8 right: 277 mm). */
static const double widths[NCOLS] = { 9, 30, 29, 11, 25, 29, 22, 15, 15, 15, 15, 15, 22, 25 };
static const enum pdf_align aligns[NCOLS] = {
	PDF_CENTER, PDF_LEFT, PDF_LEFT, PDF_CENTER, PDF_LEFT, PDF_LEFT, PDF_LEFT,
	PDF_CENTER, PDF_CENTER, PDF_CENTER, PDF_CENTER, PDF_CENTER, PDF_LEFT, PDF_LEFT
};
/* The header as printed (columns 7-11 under "Ngày, tháng, năm"), and as one
 * line of the CSV. */
static const char *const heads[NCOLS] = {
	"TT", "Mã hồ sơ", "Tên TTHC", "Số lượng hồ sơ (bộ)", "Tên cá nhân, tổ chức",
	"Địa chỉ, số điện thoại", "Cơ quan chủ trì giải quyết", "Nhận hồ sơ", "Hẹn trả kết quả",
	"Chuyển hồ sơ đến cơ quan giải quyết", "Có kết quả giải quyết", "Trả kết quả",
	"Người nhận kết quả (ký, ghi rõ họ tên)", "Ghi chú"
};
static const char *const csv_heads[NCOLS] = {
	"STT", "Mã hồ sơ", "Tên TTHC", "Số lượng hồ sơ (bộ)", "Tên cá nhân, tổ chức",
	"Địa chỉ, số điện thoại", "Cơ quan chủ trì giải quyết", "Ngày nhận hồ sơ",
	"Ngày hẹn trả kết quả", "Ngày chuyển hồ sơ đến cơ quan giải quyết",
	"Ngày có kết quả giải quyết", "Ngày trả kết quả", "Người nhận kết quả", "Ghi chú"
};
#define DATES_GROUP "Ngày, tháng, năm"

static bool empty(const char *s)
{
	return !s || !*s;
}

static char *col_dup(sqlite3_stmt *q, int i)
{
	const unsigned char *s = sqlite3_column_text(q, i);
	return s && *s ? xstrdup((const char *)s) : NULL;
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
		r->code = col_dup(q, 2);
		r->procedure = col_dup(q, 3);
		r->applicant = col_dup(q, 4);
		r->address_phone = address_phone(q, 5);
		const char *handling = (const char *)sqlite3_column_text(q, 9);
		sqlite3_reset(un);
		sqlite3_bind_text(un, 1, handling ? handling : "", -1, SQLITE_TRANSIENT);
		r->handling = sqlite3_step(un) == SQLITE_ROW ? col_dup(un, 0) : NULL;
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

/* ---- cells ------------------------------------------------------------------- */

/* The text of column i of row r ("" for none); dates as "27/10/2025\n09:35"
 * in the PDF, "2025-10-27 09:35" in the CSV. Returns malloc'd plain text. */
static char *cell_text(const struct ledger_row *r, int i, bool csv)
{
	const char *at = NULL;
	switch (i) {
	case 0: return xasprintf("%d", r->no);
	case 1: return xstrdup(r->code ? r->code : "");
	case 2: return xstrdup(r->procedure ? r->procedure : "");
	case 3: return xasprintf(csv ? "%d" : "%02d", r->n_sets);
	case 4: return xstrdup(r->applicant ? r->applicant : "");
	case 5: return xstrdup(r->address_phone ? r->address_phone : "");
	case 6: return xstrdup(r->handling ? r->handling : "");
	case 7: at = r->received_at; break;
	case 8: at = r->appointment; break;
	case 9: at = r->transferred_at; break;
	case 10: at = r->result_at; break;
	case 11: at = r->returned_at; break;
	case 12: return xstrdup(r->recipient ? r->recipient : "");
	default: return xstrdup(r->note ? r->note : "");
	}
	struct mc_dt t;
	if (empty(at) || mc_parse_dt(at, &t))
		return xstrdup(at ? at : "");
	if (csv)
		return xasprintf("%04d-%02d-%02d %02d:%02d", t.y, t.m, t.d, t.hh, t.mi);
	return xasprintf("%02d/%02d/%04d\n%02d:%02d", t.d, t.m, t.y, t.hh, t.mi);
}

/* ---- PDF ------------------------------------------------------------------------ */

struct pdf_ctx {
	const struct ledger *lg;
	double x[NCOLS + 1]; /* column edges */
};

static double cell_height(struct pdf_doc *d, const char *markup, double w,
			  const struct pdf_style *st)
{
	double h;
	pdf_measure(d, markup, st, w - 2 * PAD, NULL, &h);
	return h + 2 * PAD;
}

/* A bordered cell with its text centred vertically. */
static void cell(struct pdf_doc *d, double x, double y, double w, double h, const char *markup,
		 const struct pdf_style *st)
{
	double th;
	cairo_save(d->cr);
	cairo_set_line_width(d->cr, 0.5 * 25.4 / 72.0);
	cairo_rectangle(d->cr, x, y, w, h);
	cairo_stroke(d->cr);
	cairo_restore(d->cr);
	pdf_measure(d, markup, st, w - 2 * PAD, NULL, &th);
	pdf_draw(d, x + PAD, y + (h - th) / 2, w - 2 * PAD, markup, st);
}

/* The table's header: two rows (the dates under "Ngày, tháng, năm") and a
 * row of column numbers. */
static void draw_table_head(struct pdf_doc *d, const struct pdf_ctx *c)
{
	double group_w = c->x[DATE_COL + NDATES] - c->x[DATE_COL];
	double h1 = cell_height(d, DATES_GROUP, group_w, &st_hcell), h2 = 0;
	for (int i = DATE_COL; i < DATE_COL + NDATES; i++) {
		double h = cell_height(d, heads[i], widths[i], &st_hcell);
		if (h > h2)
			h2 = h;
	}
	for (int i = 0; i < NCOLS; i++) {
		if (i >= DATE_COL && i < DATE_COL + NDATES)
			continue;
		double h = cell_height(d, heads[i], widths[i], &st_hcell);
		if (h > h1 + h2)
			h2 = h - h1;
	}
	double y = d->y;
	for (int i = 0; i < NCOLS; i++) {
		if (i >= DATE_COL && i < DATE_COL + NDATES)
			cell(d, c->x[i], y + h1, widths[i], h2, heads[i], &st_hcell);
		else
			cell(d, c->x[i], y, widths[i], h1 + h2, heads[i], &st_hcell);
	}
	cell(d, c->x[DATE_COL], y, group_w, h1, DATES_GROUP, &st_hcell);
	y += h1 + h2;
	double hn = cell_height(d, "(1)", widths[0], &st_num);
	for (int i = 0; i < NCOLS; i++) {
		char num[16];
		snprintf(num, sizeof num, "(%d)", i + 1);
		cell(d, c->x[i], y, widths[i], hn, num, &st_num);
	}
	d->y = y + hn;
}

static void draw_page_number(struct pdf_doc *d)
{
	char buf[32];
	snprintf(buf, sizeof buf, "Trang %d", d->page);
	pdf_draw(d, pdf_x0(d), d->h - d->bottom + 2.5, pdf_text_width(d), buf, &st_page);
}

static void book_label(struct strbuf *sb, const struct ledger *lg)
{
	char f[11], t[11];
	struct mc_date a, b;
	mc_parse_date(lg->from, &a);
	mc_parse_date(lg->to, &b);
	mc_format_date_vn(f, sizeof f, a.y, a.m, a.d);
	mc_format_date_vn(t, sizeof t, b.y, b.m, b.d);
	strbuf_addf(sb, "Quyển số: 01/%04d — từ ngày %s đến ngày %s", lg->year, f, t);
}

static void continuation(struct pdf_doc *d, void *arg)
{
	const struct pdf_ctx *c = arg;
	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, "Sổ theo dõi hồ sơ — ");
	pdf_markup_add(&sb, c->lg->unit.name);
	strbuf_addstr(&sb, " — ");
	book_label(&sb, c->lg);
	strbuf_addf(&sb, " (tiếp theo, trang %d)", d->page);
	d->y += pdf_draw(d, pdf_x0(d), d->y, pdf_text_width(d), sb.buf, &st_cont) + 1.5;
	strbuf_release(&sb);
	draw_page_number(d);
	draw_table_head(d, c);
}

int ledger_write_pdf(const struct ledger *lg, const char *path, struct strbuf *err)
{
	struct pdf_doc d;
	if (pdf_open(&d, path, PDF_A4_H, PDF_A4_W, err))
		return -1;
	pdf_set_margins(&d, 10, 8, 10, 12);
	char created[17];
	snprintf(created, sizeof created, "%sT00:00", lg->to);
	pdf_set_metadata(&d, "Sổ theo dõi hồ sơ", created);

	struct pdf_ctx c = { .lg = lg };
	c.x[0] = pdf_x0(&d);
	for (int i = 0; i < NCOLS; i++)
		c.x[i + 1] = c.x[i] + widths[i];
	d.page_header = continuation;
	d.page_header_arg = &c;

	form_draw_header(&d, &lg->unit, NULL, 0.38);
	pdf_para(&d, pdf_x0(&d), pdf_text_width(&d), "SỔ THEO DÕI HỒ SƠ", &st_title);
	struct strbuf sb = STRBUF_INIT;
	book_label(&sb, lg);
	d.y += 0.5;
	pdf_para(&d, pdf_x0(&d), pdf_text_width(&d), sb.buf, &st_sub);
	strbuf_reset(&sb);
	d.y += 2.5;
	draw_page_number(&d);
	draw_table_head(&d, &c);

	struct pdf_table t = {
		.ncols = NCOLS, .x = c.x[0], .widths = widths, .header = NULL, .align = aligns,
		.style = { SZ_CELL, false, false, PDF_LEFT, 0.9 },
		.header_style = st_hcell, .pad = PAD,
	};
	for (size_t i = 0; i < lg->n; i++) {
		char *texts[NCOLS];
		const char *cells[NCOLS];
		for (int k = 0; k < NCOLS; k++) {
			struct strbuf m = STRBUF_INIT;
			char *s = cell_text(&lg->rows[i], k, false);
			pdf_markup_add(&m, s);
			free(s);
			texts[k] = strbuf_detach(&m);
			cells[k] = texts[k];
		}
		pdf_table_row(&d, &t, cells);
		for (int k = 0; k < NCOLS; k++)
			free(texts[k]);
	}
	if (lg->n == 0) {
		double w = c.x[NCOLS] - c.x[0];
		struct pdf_table one = {
			.ncols = 1, .x = c.x[0], .widths = &w,
			.style = { SZ_CELL + 1, false, true, PDF_CENTER, 0.9 }, .pad = 2,
		};
		const char *cells[1] = { "Không có hồ sơ nào được tiếp nhận trong thời gian này." };
		pdf_table_row(&d, &one, cells);
	}
	d.y += 2;
	if (lg->n)
		strbuf_addf(&sb, "Tổng số: %zu hồ sơ (số thứ tự từ %d đến %d).", lg->n,
			    lg->rows[0].no, lg->rows[lg->n - 1].no);
	else
		strbuf_addstr(&sb, "Tổng số: 0 hồ sơ.");
	pdf_para(&d, pdf_x0(&d), pdf_text_width(&d), sb.buf, &st_sum);
	strbuf_release(&sb);
	return pdf_close(&d, err);
}

/* ---- CSV -------------------------------------------------------------------------- */

static void csv_field(struct strbuf *sb, const char *s, bool last)
{
	strbuf_addch(sb, '"');
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			strbuf_addch(sb, '"');
		strbuf_addch(sb, *p);
	}
	strbuf_addstr(sb, last ? "\"\r\n" : "\",");
}

static const char *errno_vn(int e)
{
	switch (e) {
	case ENOSPC: return "ổ đĩa đã đầy";
	case EFBIG: return "tệp vượt quá kích thước cho phép";
	case ENOENT: return "thư mục không tồn tại";
	case ENOTDIR: return "đường dẫn không phải là thư mục";
	case EACCES:
	case EPERM: return "không có quyền ghi";
	case EROFS: return "ổ đĩa chỉ cho phép đọc";
	case EISDIR: return "đường dẫn là một thư mục";
	case EIO: return "lỗi đọc/ghi ổ đĩa";
	default: return strerror(e);
	}
}

/* Writes data to path through path.tmp, fsynced and renamed. */
static int write_atomic(const char *path, const char *data, size_t len, struct strbuf *err)
{
	char *tmp = xasprintf("%s.tmp", path);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	int e = 0;
	if (fd < 0) {
		strbuf_addf(err, "không tạo được tệp %s: %s", path, errno_vn(errno));
		free(tmp);
		return -1;
	}
	while (len > 0) {
		ssize_t n = write(fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			e = n < 0 ? errno : ENOSPC;
			break;
		}
		data += n;
		len -= (size_t)n;
	}
	if (!e && fsync(fd))
		e = errno;
	if (close(fd) && !e)
		e = errno;
	if (!e && rename(tmp, path))
		e = errno;
	if (!e) {
		char *copy = xstrdup(path);
		int dfd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		free(copy);
		if (dfd >= 0) {
			fsync(dfd); /* best effort */
			close(dfd);
		}
	}
	if (e) {
		unlink(tmp);
		strbuf_addf(err, "không ghi được tệp %s: %s", path, errno_vn(e));
	}
	free(tmp);
	return e ? -1 : 0;
}

int ledger_write_csv(const struct ledger *lg, const char *path, struct strbuf *err)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, "\xef\xbb\xbf"); /* BOM: Excel reads the file as UTF-8 */
	for (int k = 0; k < NCOLS; k++)
		csv_field(&sb, csv_heads[k], k == NCOLS - 1);
	for (size_t i = 0; i < lg->n; i++) {
		for (int k = 0; k < NCOLS; k++) {
			char *s = cell_text(&lg->rows[i], k, true);
			char *nfc = mc_text_nfc(s);
			csv_field(&sb, nfc, k == NCOLS - 1);
			free(nfc);
			free(s);
		}
	}
	int rc = write_atomic(path, sb.buf, sb.len, err);
	strbuf_release(&sb);
	return rc;
}
