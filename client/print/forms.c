/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Forms 02-05 from the stored dossier and its events; see forms.h and
 * docs/forms.md for the layouts and the field sources. Drawn top to bottom
 * with the flowing helpers of pdf.h like the receipt (client/print/receipt.c), so
 * long lists wrap and continue on the next page under a continuation line. */
#include "client/print/forms.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include "client/store/lookup.h"
#include "client/store/visit.h"
#include "core/lifecycle.h"
#include "core/text.h"
#include "core/xalloc.h"

#define BLANK PDF_BLANK
#define NONE_CELL "—"

/* Type sizes, points (those of the receipt). */
#define SZ_TITLE 11
#define SZ_BODY 9
#define SZ_TABLE 8
#define SZ_SMALL 7
#define SIGN_ROOM 14.0 /* mm left blank to sign */

static const struct pdf_style st_title = { SZ_TITLE, true, false, PDF_CENTER, 0 };
static const struct pdf_style st_center = { SZ_BODY, false, false, PDF_CENTER, 0.9 };
static const struct pdf_style st_body = { SZ_BODY, false, false, PDF_LEFT, 0.9 };
static const struct pdf_style st_cont = { SZ_SMALL, false, true, PDF_LEFT, 0.9 };
static const struct pdf_style st_foot = { SZ_SMALL + 0.5, false, true, PDF_LEFT, 0.9 };

static bool empty(const char *s)
{
	return !s || !*s;
}

const char *form_title(int kind)
{
	switch (kind) {
	case FORM_RECEIPT: return "Giấy tiếp nhận hồ sơ và hẹn trả kết quả";
	case FORM_SUPPLEMENT: return "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ";
	case FORM_REFUSAL: return "Phiếu từ chối tiếp nhận giải quyết hồ sơ";
	case FORM_APOLOGY: return "Phiếu xin lỗi và hẹn lại ngày trả kết quả";
	case FORM_CONTROL: return "Phiếu kiểm soát quá trình giải quyết hồ sơ";
	default: return NULL;
	}
}

/* ---- the unit ------------------------------------------------------------ */

char *form_unit_name(struct store *st, const char *code)
{
	if (empty(code))
		return xstrdup("");
	char *name = lookup_unit_name(st, code);
	return name ? name : xstrdup(code);
}

/* ---- markup helpers ------------------------------------------------------ */


/* "09 giờ 32 phút, ngày 27 tháng 10 năm 2023", or the blank. */
static void add_when(struct strbuf *sb, const char *at)
{
	struct mc_dt t;
	if (empty(at) || mc_parse_dt(at, &t)) {
		strbuf_addstr(sb, BLANK);
		return;
	}
	pdf_markup_add_when(sb, &t);
}

/* "10:05 27/10/2025" */
static void short_when(char *buf, size_t n, const char *at)
{
	struct mc_dt t;
	if (empty(at) || mc_parse_dt(at, &t)) {
		snprintf(buf, n, "%s", at ? at : "");
		return;
	}
	snprintf(buf, n, "%02d:%02d %02d/%02d/%04d", t.hh, t.mi, t.d, t.m, t.y);
}

static void para(struct pdf_doc *d, struct strbuf *sb, const struct pdf_style *st)
{
	pdf_para(d, pdf_x0(d), pdf_text_width(d), sb->buf ? sb->buf : "", st);
	d->y += 0.7;
	strbuf_reset(sb);
}

/* ---- header, title, signature -------------------------------------------- */

void form_draw_header(struct pdf_doc *d, const struct form_unit *u, const struct mc_dt *date,
		      double left_frac)
{
	pdf_state_header(d, u->parent_name, u->name, u->place, date, left_frac, 4);
}

/* The signature at the right half, kept whole on one page. */
static void draw_signature(struct pdf_doc *d, const char *title, const char *hint, const char *name)
{
	double tw = pdf_text_width(d), w = tw * 0.55, x = pdf_x0(d) + tw - w;
	double h = pdf_signature(d, x, w, 0, title, hint, name, SIGN_ROOM, false);
	d->y += 3;
	pdf_need(d, h);
	pdf_signature(d, x, w, d->y, title, hint, name, SIGN_ROOM, true);
	d->y += h;
}

/* ---- the dossier and its events ------------------------------------------ */

/* What a form is drawn from. Everything the store says is read first
 * (form_write, through the store's functions); the drawing below reads
 * only this. */
struct form_ctx {
	struct store *st;       /* while loading only */
	struct dossier_detail d;
	json_t **payloads;      /* per event; NULL when none or not JSON */
	char (*in_force)[17];   /* the appointment before each event */
	char (*after)[17];      /* the appointment after each event */
	char *address;          /* street, commune, province */
	char *receiving_name;   /* the receiving unit, for sentences */
	int kind;
	size_t ev;              /* the form's event */
	struct form_unit unit;  /* the issuing unit */
	char *clerk;            /* 02, 03: the full name of the event's clerk */
	char *handling;         /* 05: the unit handling the dossier */
	struct form_control_row *rows; /* 05: the hand-overs */
	size_t n_rows;
	bool visit;             /* 02, 03 of a counter visit: no dossier, no code */
};

static const char *jstr(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s && *s ? s : NULL;
}

static bool valid_dt(const char *s)
{
	struct mc_dt t;
	return s && !mc_parse_dt(s, &t);
}

/* in_force and after for every event (see forms.h). */
static void walk_appointments(struct form_ctx *c)
{
	const struct dossier_detail *d = &c->d;
	const char *a = d->appointment;
	for (size_t i = d->n_events; i-- > 0;) {
		snprintf(c->after[i], sizeof c->after[i], "%s", a ? a : "");
		const char *before = jstr(c->payloads[i], "appointment_before");
		if (valid_dt(before))
			a = before;
		snprintf(c->in_force[i], sizeof c->in_force[i], "%s", a ? a : "");
	}
	/* an event's own "appointment" is the one after it */
	for (size_t i = 0; i < d->n_events; i++) {
		const char *own = jstr(c->payloads[i], "appointment");
		if (valid_dt(own))
			snprintf(c->after[i], sizeof c->after[i], "%s", own);
	}
}

static char *clerk_full_name(struct store *st, const char *username)
{
	if (empty(username))
		return NULL;
	char *name = lookup_clerk_name(st, username);
	if (name && !*name)
		FREE(&name);
	return name ? name : xstrdup(username);
}

static char *full_address(struct store *st, const struct dossier_detail *d)
{
	struct strbuf sb = STRBUF_INIT;
	if (!empty(d->address))
		strbuf_addstr(&sb, d->address);
	char *parts[2] = { NULL, NULL };
	if (!empty(d->commune_code) && lookup_commune(st, d->commune_code, &parts[0], &parts[1])) {
		for (int i = 0; i < 2; i++) {
			if (empty(parts[i]))
				continue;
			if (sb.len)
				strbuf_addstr(&sb, ", ");
			strbuf_addstr(&sb, parts[i]);
		}
	}
	free(parts[0]);
	free(parts[1]);
	if (!sb.len) {
		strbuf_release(&sb);
		return NULL;
	}
	return strbuf_detach(&sb);
}

static void ctx_release(struct form_ctx *c)
{
	for (size_t i = 0; i < c->d.n_events; i++)
		if (c->payloads && c->payloads[i])
			json_decref(c->payloads[i]);
	FREE(&c->payloads);
	FREE(&c->in_force);
	FREE(&c->after);
	FREE(&c->address);
	FREE(&c->receiving_name);
	FREE(&c->clerk);
	FREE(&c->handling);
	form_control_rows_free(c->rows, c->n_rows);
	c->rows = NULL;
	c->n_rows = 0;
	form_unit_release(&c->unit);
	dossier_detail_release(&c->d);
}

/* Parses the payloads and walks the appointments of a loaded dossier. */
static void ctx_events(struct form_ctx *c)
{
	size_t n = c->d.n_events ? c->d.n_events : 1;
	c->payloads = xcalloc(n, sizeof(*c->payloads));
	c->in_force = xcalloc(n, sizeof(*c->in_force));
	c->after = xcalloc(n, sizeof(*c->after));
	for (size_t i = 0; i < c->d.n_events; i++) {
		const char *p = c->d.events[i].payload;
		json_t *j = p ? json_loads(p, 0, NULL) : NULL;
		if (j && !json_is_object(j)) {
			json_decref(j);
			j = NULL;
		}
		c->payloads[i] = j;
	}
	walk_appointments(c);
}

static const char *event_kind_of(int kind)
{
	switch (kind) {
	case FORM_SUPPLEMENT: return "request-supplement";
	case FORM_REFUSAL: return "refuse";
	case FORM_APOLOGY: return "apologize";
	default: return NULL;
	}
}

/* The index of the latest event of this kind, or -1. */
static long last_event(const struct dossier_detail *d, const char *kind)
{
	for (size_t i = d->n_events; i-- > 0;)
		if (d->events[i].kind && !strcmp(d->events[i].kind, kind))
			return (long)i;
	return -1;
}

unsigned form_available(const struct dossier_detail *d)
{
	unsigned m = FORM_MASK(FORM_RECEIPT);
	for (int k = FORM_SUPPLEMENT; k <= FORM_APOLOGY; k++)
		if (last_event(d, event_kind_of(k)) >= 0)
			m |= FORM_MASK(k);
	for (size_t i = 0; i < d->n_events; i++)
		if (d->events[i].kind && strcmp(d->events[i].kind, "receive"))
			m |= FORM_MASK(FORM_CONTROL);
	return m;
}

/* ---- timing ---------------------------------------------------------------- */

enum form_timing form_timing(const struct mc_dt *at, const struct mc_dt *appointment)
{
	if (mc_dt_cmp(at, appointment) > 0)
		return FORM_LATE;
	if (at->y == appointment->y && at->m == appointment->m && at->d == appointment->d)
		return FORM_ON_TIME;
	return FORM_EARLY;
}

const char *form_timing_name(enum form_timing t)
{
	switch (t) {
	case FORM_EARLY: return "Trước hạn";
	case FORM_ON_TIME: return "Đúng hạn";
	case FORM_LATE: return "Quá hạn";
	default: return NULL;
	}
}

/* ---- the control slip's rows ------------------------------------------------ */

/* "a; b; c" from a JSON array of strings, or NULL. */
static char *joined(json_t *list, const char *sep)
{
	if (!json_is_array(list) || !json_array_size(list))
		return NULL;
	struct strbuf sb = STRBUF_INIT;
	size_t i;
	json_t *v;
	json_array_foreach(list, i, v) {
		const char *s = json_string_value(v);
		if (empty(s))
			continue;
		if (sb.len)
			strbuf_addstr(&sb, sep);
		strbuf_addstr(&sb, s);
	}
	if (!sb.len) {
		strbuf_release(&sb);
		return NULL;
	}
	return strbuf_detach(&sb);
}

static char *citizen(const struct dossier_detail *d)
{
	return xasprintf("Ông/Bà %s", d->applicant_name ? d->applicant_name : "");
}

static void note_add(struct strbuf *sb, const char *label, const char *value)
{
	if (empty(value))
		return;
	if (sb->len)
		strbuf_addstr(sb, "; ");
	if (label)
		strbuf_addf(sb, "%s: ", label);
	strbuf_addstr(sb, value);
}

/* A unit in a row: the receiving unit by its full name (the centre, as on
 * the form's header), another by its catalog name (malloc'd). */
static char *unit_label(struct store *st, const struct form_ctx *c, const char *code)
{
	if (!empty(code) && c->d.unit_code && !strcmp(code, c->d.unit_code) &&
	    !empty(c->receiving_name))
		return xstrdup(c->receiving_name);
	return form_unit_name(st, code);
}

/* Fills row from event i; holder is the code of the unit holding the
 * dossier (updated by transfers and results). Returns false for an event
 * that is no row (a rating). */
static bool control_row(struct store *st, const struct form_ctx *c, size_t i, char **holder,
			struct form_control_row *row)
{
	const struct dossier_detail *d = &c->d;
	const struct dossier_event *e = &d->events[i];
	json_t *p = c->payloads[i];
	const char *kind = e->kind ? e->kind : "";
	struct strbuf note = STRBUF_INIT;
	bool judged = false;
	char when[32];

	if (!strcmp(kind, "rate"))
		return false;
	memset(row, 0, sizeof(*row));
	row->kind = xstrdup(kind);
	snprintf(row->when, sizeof row->when, "%s", e->device_time ? e->device_time : "");
	row->actor = clerk_full_name(st, e->actor);

	if (!strcmp(kind, "receive")) {
		row->from = citizen(d);
		row->to = unit_label(st, c, d->unit_code);
		note_add(&note, NULL, "Tiếp nhận hồ sơ");
	} else if (!strcmp(kind, "transfer")) {
		const char *from = jstr(p, "from_unit");
		const char *to = jstr(p, "to_unit");
		const char *to_name = jstr(p, "to_unit_name");
		row->from = unit_label(st, c, from ? from : *holder);
		if (to_name)
			row->to = xstrdup(to_name);
		else if (to)
			row->to = unit_label(st, c, to);
		else if (d->handling_unit)
			row->to = unit_label(st, c, d->handling_unit);
		else
			row->to = xstrdup("");
		if (to) {
			free(*holder);
			*holder = xstrdup(to);
		}
		note_add(&note, NULL, "Chuyển xử lý");
		note_add(&note, NULL, jstr(p, "reason"));
		judged = true;
	} else if (!strcmp(kind, "request-supplement")) {
		row->from = unit_label(st, c, e->unit_code);
		row->to = citizen(d);
		char *papers = joined(json_object_get(p, "papers"), "; ");
		note_add(&note, "Yêu cầu bổ sung", papers ? papers : "(không ghi)");
		free(papers);
		note_add(&note, "lý do", jstr(p, "reason"));
		note_add(&note, NULL, "tạm dừng tính thời gian");
		judged = true;
	} else if (!strcmp(kind, "supplement-received")) {
		row->from = citizen(d);
		row->to = unit_label(st, c, e->unit_code);
		note_add(&note, NULL, "Nhận hồ sơ bổ sung");
		if (strcmp(c->in_force[i], c->after[i])) {
			short_when(when, sizeof when, c->after[i]);
			note_add(&note, "hẹn trả mới", when);
		}
		note_add(&note, NULL, jstr(p, "reason"));
	} else if (!strcmp(kind, "apologize")) {
		row->from = unit_label(st, c, e->unit_code);
		row->to = citizen(d);
		short_when(when, sizeof when, c->after[i]);
		note_add(&note, "Xin lỗi, hẹn lại ngày trả kết quả", when);
		note_add(&note, "lý do", jstr(p, "reason"));
		judged = true;
	} else if (!strcmp(kind, "result-ready")) {
		row->from = unit_label(st, c, *holder);
		row->to = unit_label(st, c, d->unit_code);
		note_add(&note, "Có kết quả", jstr(p, "result_code") ? jstr(p, "result_code")
								 : "(không ghi số)");
		free(*holder);
		*holder = xstrdup(d->unit_code ? d->unit_code : "");
		judged = true;
	} else if (!strcmp(kind, "return")) {
		const char *who = jstr(p, "recipient");
		row->from = unit_label(st, c, d->unit_code);
		row->to = who ? xasprintf("Ông/Bà %s", who) : citizen(d);
		note_add(&note, "Trả kết quả", jstr(p, "method_name") ? jstr(p, "method_name")
								   : "Trực tiếp");
		judged = true;
	} else if (!strcmp(kind, "refuse") || !strcmp(kind, "withdraw") || !strcmp(kind, "stop")) {
		row->from = unit_label(st, c, e->unit_code);
		row->to = citizen(d);
		int a = mc_action_from_id(kind);
		const char *label = a >= 0 ? mc_action_label((enum mc_action)a) : kind;
		char *reasons = joined(json_object_get(p, "reasons"), "; ");
		note_add(&note, label, reasons ? reasons : jstr(p, "reason") ? jstr(p, "reason")
									     : "(không ghi lý do)");
		free(reasons);
	} else {
		int a = mc_action_from_id(kind);
		row->from = unit_label(st, c, e->unit_code);
		row->to = xstrdup("");
		note_add(&note, NULL, a >= 0 ? mc_action_label((enum mc_action)a) : kind);
	}

	struct mc_dt at, due;
	if (judged && !mc_parse_dt(row->when, &at) && !mc_parse_dt(c->in_force[i], &due)) {
		row->timing = form_timing(&at, &due);
		snprintf(row->in_force, sizeof row->in_force, "%s", c->in_force[i]);
	}
	row->note = note.len ? strbuf_detach(&note) : NULL;
	strbuf_release(&note);
	return true;
}

static size_t ctx_control_rows(const struct form_ctx *c, struct form_control_row **rows)
{
	const struct dossier_detail *d = &c->d;
	*rows = xcalloc(d->n_events ? d->n_events : 1, sizeof(**rows));
	char *holder = xstrdup(d->unit_code ? d->unit_code : "");
	size_t n = 0;
	for (size_t i = 0; i < d->n_events; i++)
		if (control_row(c->st, c, i, &holder, &(*rows)[n]))
			n++;
	free(holder);
	return n;
}

size_t form_control_rows(struct store *st, const struct dossier_detail *d,
			 struct form_control_row **rows)
{
	/* borrow d into a context: only the events and appointments are used */
	struct form_ctx c;
	memset(&c, 0, sizeof c);
	c.st = st;
	c.d = *d;
	ctx_events(&c);
	struct form_unit u;
	form_unit_load(st, d->unit_code, &u);
	c.receiving_name = u.name;
	size_t n = ctx_control_rows(&c, rows);
	form_unit_release(&u);
	for (size_t i = 0; i < d->n_events; i++)
		if (c.payloads[i])
			json_decref(c.payloads[i]);
	free(c.payloads);
	free(c.in_force);
	free(c.after);
	return n;
}

void form_control_rows_free(struct form_control_row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(rows[i].kind);
		free(rows[i].from);
		free(rows[i].to);
		free(rows[i].actor);
		free(rows[i].note);
	}
	free(rows);
}

/* ---- drawing the forms ---------------------------------------------------- */

static void continuation_header(struct pdf_doc *d, void *arg)
{
	const struct form_ctx *c = arg;
	struct strbuf sb = STRBUF_INIT;

	strbuf_addstr(&sb, form_title(c->kind));
	if (!c->visit) {
		strbuf_addstr(&sb, " — mã hồ sơ ");
		pdf_markup_add(&sb, c->d.code);
	}
	strbuf_addf(&sb, " (tiếp theo, trang %d)", d->page);
	d->y += pdf_draw(d, pdf_x0(d), d->y, pdf_text_width(d), sb.buf, &st_cont);
	pdf_hrule(d, pdf_x0(d), d->y + 0.5, pdf_text_width(d), 0.4);
	d->y += 3;
	strbuf_release(&sb);
}

/* The title upper-cased and "Mã hồ sơ: CODE" under it. */
static void draw_title(struct pdf_doc *d, const struct form_ctx *c)
{
	struct strbuf sb = STRBUF_INIT;
	pdf_markup_add_upper(&sb, form_title(c->kind));
	pdf_para(d, pdf_x0(d), pdf_text_width(d), sb.buf, &st_title);
	strbuf_reset(&sb);
	d->y += 1;
	if (!c->visit) {
		strbuf_addstr(&sb, "Mã hồ sơ: <b>");
		pdf_markup_add(&sb, c->d.code);
		strbuf_addstr(&sb, "</b>");
		pdf_para(d, pdf_x0(d), pdf_text_width(d), sb.buf, &st_center);
	}
	d->y += 3;
	strbuf_release(&sb);
}

/* Ông/Bà, the request, address, phone and e-mail. */
static void draw_applicant(struct pdf_doc *d, const struct form_ctx *c, bool contact)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, "Ông/Bà: <b>");
	pdf_markup_add_or_blank(&sb, c->d.applicant_name);
	strbuf_addstr(&sb, "</b>");
	para(d, &sb, &st_body);

	strbuf_addstr(&sb, "Nội dung yêu cầu giải quyết: <b>");
	pdf_markup_add_or_blank(&sb, c->d.procedure_name);
	strbuf_addstr(&sb, "</b>");
	if (!empty(c->d.procedure_code)) {
		strbuf_addstr(&sb, " (mã thủ tục ");
		pdf_markup_add(&sb, c->d.procedure_code);
		strbuf_addch(&sb, ')');
	}
	para(d, &sb, &st_body);
	if (!contact) {
		strbuf_release(&sb);
		return;
	}
	strbuf_addstr(&sb, "Địa chỉ: ");
	pdf_markup_add_or_blank(&sb, c->address);
	para(d, &sb, &st_body);

	strbuf_addstr(&sb, "Số điện thoại: ");
	if (empty(c->d.phone))
		pdf_markup_add_or_blank(&sb, NULL);
	else
		pdf_markup_add_nobreak(&sb, c->d.phone);
	strbuf_addstr(&sb, "    Email: ");
	pdf_markup_add_or_blank(&sb, c->d.email);
	para(d, &sb, &st_body);
	strbuf_release(&sb);
}

/* "1. item" lines, indented; the blank when the list is empty. */
static void draw_list(struct pdf_doc *d, json_t *list)
{
	struct strbuf sb = STRBUF_INIT;
	size_t n = 0, i;
	json_t *v;
	json_array_foreach(list, i, v) {
		const char *s = json_string_value(v);
		if (empty(s))
			continue;
		strbuf_addf(&sb, "%zu. ", ++n);
		pdf_markup_add(&sb, s);
		pdf_para(d, pdf_x0(d) + 5, pdf_text_width(d) - 5, sb.buf, &st_body);
		strbuf_reset(&sb);
	}
	if (!n) {
		strbuf_addstr(&sb, "1. " BLANK BLANK);
		pdf_para(d, pdf_x0(d) + 5, pdf_text_width(d) - 5, sb.buf, &st_body);
	}
	strbuf_release(&sb);
}

static size_t count_events(const struct dossier_detail *d, const char *kind, size_t upto)
{
	size_t n = 0;
	for (size_t i = 0; i <= upto && i < d->n_events; i++)
		if (d->events[i].kind && !strcmp(d->events[i].kind, kind))
			n++;
	return n;
}

/* The end of form 02 for a counter visit: the papers to add before the
 * dossier can be received (no pause: nothing was received). */
static void draw_guidance(struct pdf_doc *d, const struct form_ctx *c, const char *clerk,
			  struct strbuf *sb)
{
	json_t *p = c->payloads[c->ev];
	d->y += 1.5;
	strbuf_addstr(sb, "<b>Yêu cầu bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:</b>");
	para(d, sb, &st_body);
	draw_list(d, json_object_get(p, "papers"));
	strbuf_addstr(sb, "Lý do: ");
	pdf_markup_add_or_blank(sb, jstr(p, "reason"));
	para(d, sb, &st_body);
	strbuf_addstr(sb, "Hồ sơ chưa được tiếp nhận. Khi đã bổ sung, hoàn thiện đủ các nội dung trên,"
			  " Ông/Bà nộp lại hồ sơ tại ");
	pdf_markup_add(sb, c->unit.name);
	strbuf_addstr(sb, ". Nếu có vướng mắc, Ông/Bà liên hệ với ");
	pdf_markup_add_or_blank(sb, clerk);
	strbuf_addstr(sb, ", số điện thoại ");
	if (empty(c->unit.phone))
		pdf_markup_add_or_blank(sb, NULL);
	else
		pdf_markup_add_nobreak(sb, c->unit.phone);
	strbuf_addstr(sb, " để được hướng dẫn.");
	para(d, sb, &st_body);
	strbuf_addstr(sb, "Xin trân trọng cảm ơn./.");
	para(d, sb, &st_body);
	strbuf_release(sb);
	draw_signature(d, "NGƯỜI HƯỚNG DẪN", "(Ký và ghi rõ họ tên)", clerk);
}

static void draw_supplement(struct pdf_doc *d, const struct form_ctx *c, const char *clerk)
{
	const struct dossier_event *e = &c->d.events[c->ev];
	json_t *p = c->payloads[c->ev];
	struct strbuf sb = STRBUF_INIT;

	pdf_markup_add(&sb, c->unit.name);
	strbuf_addstr(&sb, c->visit ? " đã xem xét hồ sơ của:" : " đã nhận hồ sơ của:");
	para(d, &sb, &st_body);
	draw_applicant(d, c, true);
	strbuf_addstr(&sb, c->visit ? "Thời gian: " : "Thời gian nhận hồ sơ: ");
	add_when(&sb, c->d.received_at);
	para(d, &sb, &st_body);
	if (c->visit) {
		draw_guidance(d, c, clerk, &sb);
		return;
	}

	size_t nth = count_events(&c->d, "request-supplement", c->ev);
	d->y += 1.5;
	strbuf_addstr(&sb, "<b>Yêu cầu bổ sung, hoàn thiện hồ sơ gồm những nội dung sau");
	if (nth > 1)
		strbuf_addf(&sb, " (lần %zu)", nth);
	strbuf_addstr(&sb, ":</b>");
	para(d, &sb, &st_body);
	draw_list(d, json_object_get(p, "papers"));

	strbuf_addstr(&sb, "Lý do: ");
	pdf_markup_add_or_blank(&sb, jstr(p, "reason"));
	para(d, &sb, &st_body);

	const char *since = jstr(p, "paused_since");
	strbuf_addstr(&sb, "Thời gian giải quyết hồ sơ tạm dừng từ ");
	add_when(&sb, valid_dt(since) ? since : e->device_time);
	strbuf_addstr(&sb, " cho đến khi nhận được hồ sơ đã bổ sung, hoàn thiện; ngày hẹn trả kết"
			   " quả sẽ được lùi tương ứng.");
	para(d, &sb, &st_body);

	strbuf_addstr(&sb, "Trong quá trình hoàn thiện hồ sơ nếu có vướng mắc, Ông/Bà liên hệ với ");
	pdf_markup_add_or_blank(&sb, clerk);
	strbuf_addstr(&sb, " (");
	pdf_markup_add(&sb, c->unit.name);
	strbuf_addstr(&sb, "), số điện thoại ");
	if (empty(c->unit.phone))
		pdf_markup_add_or_blank(&sb, NULL);
	else
		pdf_markup_add_nobreak(&sb, c->unit.phone);
	strbuf_addstr(&sb, " để được hướng dẫn.");
	para(d, &sb, &st_body);
	strbuf_addstr(&sb, "Xin trân trọng cảm ơn./.");
	para(d, &sb, &st_body);
	strbuf_release(&sb);
	draw_signature(d, "NGƯỜI HƯỚNG DẪN", "(Ký và ghi rõ họ tên)", clerk);
}

static void draw_refusal(struct pdf_doc *d, const struct form_ctx *c, const char *clerk)
{
	json_t *p = c->payloads[c->ev];
	struct strbuf sb = STRBUF_INIT;

	pdf_markup_add(&sb, c->unit.name);
	strbuf_addstr(&sb, " nhận được hồ sơ của:");
	para(d, &sb, &st_body);
	draw_applicant(d, c, true);
	strbuf_addstr(&sb, "Thời gian nhận hồ sơ: ");
	add_when(&sb, c->d.received_at);
	para(d, &sb, &st_body);

	d->y += 1.5;
	strbuf_addstr(&sb, "Qua xem xét, đối chiếu hồ sơ với quy định, ");
	pdf_markup_add(&sb, c->unit.name);
	strbuf_addstr(&sb, " thông báo <b>không tiếp nhận, giải quyết</b> hồ sơ này với lý do cụ thể"
			   " như sau:");
	para(d, &sb, &st_body);
	json_t *reasons = json_object_get(p, "reasons");
	if (!json_is_array(reasons) && jstr(p, "reason")) {
		json_t *one = json_pack("[s]", jstr(p, "reason"));
		draw_list(d, one);
		json_decref(one);
	} else {
		draw_list(d, reasons);
	}
	strbuf_addstr(&sb, "Xin thông báo cho Ông/Bà được biết và thực hiện./.");
	para(d, &sb, &st_body);
	strbuf_release(&sb);
	draw_signature(d, "NGƯỜI TIẾP NHẬN HỒ SƠ", "(Ký và ghi rõ họ tên)", clerk);
}

static void draw_apology(struct pdf_doc *d, const struct form_ctx *c)
{
	json_t *p = c->payloads[c->ev];
	struct strbuf sb = STRBUF_INIT;
	struct mc_dt recv;
	char date[64];

	if (!mc_parse_dt(c->d.received_at, &recv)) {
		pdf_vn_date(date, sizeof date, recv.y, recv.m, recv.d);
		date[0] = 'N'; /* "Ngày ..." starts the sentence */
		pdf_markup_add_nobreak(&sb, date);
		strbuf_addstr(&sb, ", ");
	}
	pdf_markup_add(&sb, c->receiving_name);
	strbuf_addstr(&sb, " tiếp nhận giải quyết hồ sơ của:");
	para(d, &sb, &st_body);
	draw_applicant(d, c, false);

	strbuf_addstr(&sb, "Thời gian hẹn trả kết quả giải quyết hồ sơ: <b>");
	const char *before = jstr(p, "appointment_before");
	add_when(&sb, valid_dt(before) ? before : c->in_force[c->ev]);
	strbuf_addstr(&sb, "</b>.");
	para(d, &sb, &st_body);

	strbuf_addstr(&sb, "Tuy nhiên, ");
	pdf_markup_add(&sb, c->unit.name);
	strbuf_addstr(&sb, " không thể trả kết quả giải quyết hồ sơ của Ông/Bà theo đúng thời gian"
			   " hẹn ghi trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả.");
	para(d, &sb, &st_body);

	strbuf_addstr(&sb, "Lý do: ");
	pdf_markup_add_or_blank(&sb, jstr(p, "reason"));
	para(d, &sb, &st_body);

	strbuf_addstr(&sb, "Sự chậm trễ này đã gây phiền hà cho Ông/Bà. ");
	pdf_markup_add(&sb, c->unit.name);
	strbuf_addstr(&sb, " xin lỗi Ông/Bà và sẽ trả kết quả giải quyết hồ sơ cho Ông/Bà vào: <b>");
	add_when(&sb, c->after[c->ev]);
	strbuf_addstr(&sb, "</b>.");
	para(d, &sb, &st_body);
	strbuf_addstr(&sb, "Xin chân thành cảm ơn Ông/Bà./.");
	para(d, &sb, &st_body);
	strbuf_release(&sb);
	draw_signature(d, "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ", "(Ký, ghi rõ họ tên và đóng dấu)", NULL);
}

/* "10 giờ 05 phút\nngày 27/10/2025" */
static void cell_when(struct strbuf *sb, const char *at)
{
	struct mc_dt t;
	if (empty(at) || mc_parse_dt(at, &t)) {
		pdf_markup_add(sb, at);
		return;
	}
	strbuf_addf(sb, "%02d giờ %02d phút\nngày %02d/%02d/%04d", t.hh, t.mi, t.d, t.m, t.y);
}

static void draw_control(struct pdf_doc *d, const struct form_ctx *c)
{
	struct strbuf sb = STRBUF_INIT;

	draw_applicant(d, c, false);
	strbuf_addstr(&sb, "Thời gian nhận hồ sơ: ");
	add_when(&sb, c->d.received_at);
	para(d, &sb, &st_body);
	strbuf_addstr(&sb, "Thời gian hẹn trả kết quả: <b>");
	add_when(&sb, c->d.appointment);
	strbuf_addstr(&sb, "</b>");
	para(d, &sb, &st_body);
	strbuf_addstr(&sb, "Cơ quan (bộ phận) tiếp nhận: ");
	pdf_markup_add(&sb, c->receiving_name);
	para(d, &sb, &st_body);
	strbuf_addstr(&sb, "Cơ quan (bộ phận) giải quyết hồ sơ: ");
	pdf_markup_add(&sb, c->handling);
	para(d, &sb, &st_body);
	strbuf_addstr(&sb, "Trạng thái hiện tại: ");
	pdf_markup_add_or_blank(&sb, mc_status_name(c->d.status));
	para(d, &sb, &st_body);
	d->y += 2;

	static const char *const head[] = {
		"TT", "Tên cơ quan giao, nhận hồ sơ", "Thời gian giao, nhận hồ sơ",
		"Cán bộ thực hiện", "Kết quả giải quyết hồ sơ (trước hạn/ đúng hạn/ quá hạn)", "Ghi chú"
	};
	static const enum pdf_align align[] = { PDF_CENTER, PDF_LEFT, PDF_CENTER, PDF_LEFT,
						PDF_CENTER, PDF_LEFT };
	double tw = pdf_text_width(d);
	double widths[6] = { 8, 50, 30, 28, 27, 0 };
	widths[5] = tw - widths[0] - widths[1] - widths[2] - widths[3] - widths[4];
	struct pdf_table t = {
		.ncols = 6, .x = pdf_x0(d), .widths = widths, .header = head, .align = align,
		.style = { SZ_TABLE, false, false, PDF_LEFT, 0.9 },
		.header_style = { SZ_TABLE, true, false, PDF_CENTER, 0.9 },
		.pad = 0.8,
	};
	pdf_need(d, 30);
	pdf_table_header(d, &t);

	for (size_t i = 0; i < c->n_rows; i++) {
		const struct form_control_row *r = &c->rows[i];
		char num[24];
		snprintf(num, sizeof num, "%zu", i + 1);
		struct strbuf who = STRBUF_INIT, when = STRBUF_INIT, res = STRBUF_INIT,
			      note = STRBUF_INIT, actor = STRBUF_INIT;
		strbuf_addstr(&who, "Giao: ");
		pdf_markup_add_or_blank(&who, r->from);
		strbuf_addstr(&who, "\nNhận: ");
		pdf_markup_add_or_blank(&who, r->to);
		cell_when(&when, r->when);
		pdf_markup_add(&actor, r->actor);
		if (r->timing != FORM_TIMING_NONE) {
			char due[32];
			short_when(due, sizeof due, r->in_force);
			strbuf_addf(&res, "<b>%s</b>\n<small>(hẹn %s)</small>",
				    form_timing_name(r->timing), due);
		} else {
			strbuf_addstr(&res, NONE_CELL);
		}
		pdf_markup_add(&note, r->note);
		const char *cells[6] = { num, who.buf, when.buf, actor.len ? actor.buf : "",
					 res.buf, note.len ? note.buf : "" };
		pdf_table_row(d, &t, cells);
		strbuf_release(&who);
		strbuf_release(&when);
		strbuf_release(&res);
		strbuf_release(&note);
		strbuf_release(&actor);
	}

	d->y += 2;
	strbuf_addstr(&sb, "Ghi chú: mỗi lần giao, nhận do cơ quan, bộ phận giải quyết thực hiện được so"
			   " với thời gian hẹn trả kết quả có hiệu lực lúc đó (sau các lần bổ sung, hẹn"
			   " lại): <i>trước hạn</i> khi giao, nhận trước ngày hẹn; <i>đúng hạn</i> khi"
			   " trong ngày hẹn, không muộn hơn giờ hẹn; <i>quá hạn</i> khi sau giờ hẹn."
			   " Việc nhận hồ sơ, hồ sơ bổ sung từ người nộp không tính hạn (—).");
	pdf_para(d, pdf_x0(d), pdf_text_width(d), sb.buf, &st_foot);
	strbuf_release(&sb);
}

/* ---- the entry point ------------------------------------------------------- */

static int no_event(const struct form_ctx *c, struct strbuf *err)
{
	switch (c->kind) {
	case FORM_SUPPLEMENT:
		strbuf_addf(err, "hồ sơ %s chưa có yêu cầu bổ sung, hoàn thiện nào: không có phiếu yêu"
			    " cầu bổ sung, hoàn thiện hồ sơ (mẫu 02)", c->d.code);
		break;
	case FORM_REFUSAL:
		strbuf_addf(err, "hồ sơ %s không bị từ chối tiếp nhận: không có phiếu từ chối tiếp"
			    " nhận giải quyết hồ sơ (mẫu 03)", c->d.code);
		break;
	case FORM_APOLOGY:
		strbuf_addf(err, "hồ sơ %s chưa được xin lỗi, hẹn lại: không có phiếu xin lỗi và hẹn"
			    " lại ngày trả kết quả (mẫu 04)", c->d.code);
		break;
	default:
		strbuf_addf(err, "hồ sơ %s chưa có sự kiện nào: không lập được phiếu kiểm soát quá"
			    " trình giải quyết hồ sơ (mẫu 05)", c->d.code);
		break;
	}
	return 1;
}

static int render(struct form_ctx *c, const char *path, struct strbuf *err)
{
	struct pdf_doc d;
	bool a4 = c->kind == FORM_CONTROL;
	if (pdf_open(&d, path, a4 ? PDF_A4_W : PDF_A5_W, a4 ? PDF_A4_H : PDF_A5_H, err))
		return -1;
	if (a4)
		pdf_set_margins(&d, 12, 12, 12, 20);
	else
		pdf_set_margins(&d, 8, 10, 8, 15);
	const char *at = c->kind == FORM_CONTROL ? c->d.received_at
						 : c->d.events[c->ev].device_time;
	pdf_set_metadata(&d, form_title(c->kind), at);
	d.page_header = continuation_header;
	d.page_header_arg = c;

	struct mc_dt date;
	bool dated = at && !mc_parse_dt(at, &date);
	form_draw_header(&d, &c->unit, dated ? &date : NULL, 0.42);
	draw_title(&d, c);
	switch (c->kind) {
	case FORM_SUPPLEMENT: draw_supplement(&d, c, c->clerk); break;
	case FORM_REFUSAL: draw_refusal(&d, c, c->clerk); break;
	case FORM_APOLOGY: draw_apology(&d, c); break;
	default: draw_control(&d, c); break;
	}
	return pdf_close(&d, err);
}

int form_write(struct store *st, const char *code, int kind, const char *path, struct strbuf *err)
{
	if (kind == FORM_RECEIPT) {
		strbuf_addstr(err, "giấy tiếp nhận (mẫu 01) được ghi bằng motcua receipt");
		return 1;
	}
	if (!form_title(kind)) {
		strbuf_addf(err, "không có mẫu số %02d: chọn 02, 03, 04 hoặc 05", kind);
		return 1;
	}
	struct form_ctx c;
	memset(&c, 0, sizeof c);
	c.st = st;
	c.kind = kind;
	int rc = dossier_get(st, code ? code : "", &c.d, err);
	if (rc < 0)
		return -1;
	if (rc == 0) {
		const char *shown = code && mc_text_valid(code) ? code : "?";
		strbuf_addf(err, "không có hồ sơ mã %s", shown);
		return 1;
	}
	ctx_events(&c);

	const char *kind_id = event_kind_of(kind);
	long ev = kind_id ? last_event(&c.d, kind_id) : (c.d.n_events ? 0 : -1);
	if (ev < 0) {
		rc = no_event(&c, err);
		ctx_release(&c);
		return rc;
	}
	c.ev = (size_t)ev;
	const char *issuer = kind == FORM_CONTROL ? c.d.unit_code : c.d.events[c.ev].unit_code;
	form_unit_load(st, empty(issuer) ? c.d.unit_code : issuer, &c.unit);
	if (kind == FORM_CONTROL || !strcmp(c.unit.code ? c.unit.code : "", c.d.unit_code)) {
		c.receiving_name = xstrdup(c.unit.name);
	} else {
		struct form_unit recv;
		form_unit_load(st, c.d.unit_code, &recv);
		c.receiving_name = recv.name;
		recv.name = NULL;
		form_unit_release(&recv);
	}
	c.address = full_address(st, &c.d);
	if (kind == FORM_CONTROL) {
		c.handling = unit_label(st, &c, c.d.handling_unit ? c.d.handling_unit
								   : c.d.unit_code);
		c.n_rows = ctx_control_rows(&c, &c.rows);
	} else {
		c.clerk = clerk_full_name(st, c.d.events[c.ev].actor);
	}
	c.st = NULL; /* drawn from c alone */
	rc = render(&c, path, err);
	ctx_release(&c);
	return rc;
}

/* ---- a counter visit (forms 02, 03 without a dossier) ----------------------------- */

struct form_visit {
	struct form_ctx c;
};

static char *dup_or_null(const char *s)
{
	return s && *s ? xstrdup(s) : NULL;
}

struct form_visit *form_visit_load(struct store *st, const char *id, struct strbuf *err)
{
	struct visit v;
	int rc = visit_get(st, id, &v);
	if (rc <= 0) {
		if (rc < 0)
			strbuf_addstr(err, "không đọc được lượt tiếp công dân từ kho dữ liệu");
		else
			strbuf_addstr(err, "không có lượt tiếp công dân này trong kho dữ liệu");
		return NULL;
	}
	struct form_visit *fv = xcalloc(1, sizeof(*fv));
	struct form_ctx *c = &fv->c;
	c->visit = true;
	c->kind = v.kind == VISIT_REFUSE ? FORM_REFUSAL : FORM_SUPPLEMENT;
	struct dossier_detail *d = &c->d;
	d->id = xstrdup(v.id);
	d->code = xstrdup("");
	d->procedure_code = dup_or_null(v.procedure_code);
	d->procedure_name = dup_or_null(v.procedure_name);
	d->unit_code = dup_or_null(v.unit_code);
	d->clerk = dup_or_null(v.clerk);
	d->received_at = xstrdup(v.at);
	d->applicant_name = dup_or_null(v.applicant_name);
	d->phone = dup_or_null(v.phone);
	d->email = dup_or_null(v.email);
	d->address = dup_or_null(v.address);
	d->commune_code = dup_or_null(v.commune_code);
	d->n_events = 1;
	d->events = xcalloc(1, sizeof(*d->events));
	d->events[0].kind = xstrdup(v.kind == VISIT_REFUSE ? "visit-refuse" : "visit-guide");
	d->events[0].actor = dup_or_null(v.clerk);
	d->events[0].unit_code = dup_or_null(v.unit_code);
	d->events[0].device_time = xstrdup(v.at);
	c->payloads = xcalloc(1, sizeof(*c->payloads));
	c->in_force = xcalloc(1, sizeof(*c->in_force));
	c->after = xcalloc(1, sizeof(*c->after));
	c->payloads[0] = json_pack("{s:O}", v.kind == VISIT_REFUSE ? "reasons" : "papers", v.items);
	if (v.note)
		json_object_set_new(c->payloads[0], "reason", json_string(v.note));
	c->ev = 0;
	form_unit_load(st, v.unit_code, &c->unit);
	c->receiving_name = xstrdup(c->unit.name ? c->unit.name : "");
	c->address = full_address(st, d);
	c->clerk = clerk_full_name(st, v.clerk);
	visit_release(&v);
	return fv;
}

int form_visit_render(struct form_visit *fv, const char *path, struct strbuf *err)
{
	return render(&fv->c, path, err);
}

void form_visit_free(struct form_visit *fv)
{
	if (!fv)
		return;
	ctx_release(&fv->c);
	free(fv);
}

int form_write_visit(struct store *st, const char *id, const char *path, struct strbuf *err)
{
	struct form_visit *fv = form_visit_load(st, id, err);
	if (!fv)
		return 1;
	int rc = form_visit_render(fv, path, err);
	form_visit_free(fv);
	return rc;
}
