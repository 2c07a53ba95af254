/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One dossier: its fields, its components (required and presented, with
 * override reasons) and its event timeline, as lines of text formatted for
 * the screen's width and scrolled like the help screen. F9 prints the forms
 * the dossier has (client/print/forms.h): the receipt at once when it is the only
 * one, else a menu of the receipt (01) and the forms whose events exist
 * (02-05). F2 (or a) opens the menu of the actions the dossier allows now
 * (client/services/dossier_action.h): each asks what it needs in dialogs, a unit
 * picker or a choice (ratings with keys 1-2-3), confirms and runs. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "client/tui/app.h"
#include "client/store/catalog.h"
#include "client/store/docstore.h"
#include "client/base/clock.h"
#include "client/tui/dialog.h"
#include "client/services/dossier_action.h"
#include "client/store/dossier_query.h"
#include "client/store/lookup.h"
#include "client/print/forms.h"
#include "client/tui/listview.h"
#include "client/tui/menu.h"
#include "client/tui/picker.h"
#include "client/print/print.h"
#include "client/services/reception.h"
#include "core/lifecycle.h"
#include "core/text.h"
#include "screens/screens.h"

#define LABEL_W 14 /* "Số định danh: " */
#define NONE_TEXT "—"

struct detail_line {
	char *text;
	enum style style;
	attr_t extra; /* added to the style (A_BOLD for what is late or missing) */
};

/* What the action menu is showing. */
enum act_mode {
	AM_NONE,   /* the detail */
	AM_MENU,   /* the actions allowed now */
	AM_UNIT,   /* transfer: the unit picker */
	AM_CHOICE, /* return method or rating: a short list, keys 1-3 */
	AM_DIALOG, /* a prompt, the confirmation or a message */
	AM_FORMS,  /* F9: the forms to print */
	AM_SCAN    /* s: the components to scan (screens/scan.c) */
};

/* The questions an action asks, in order (see flows below). */
enum act_step {
	ST_UNIT, ST_NOTE, ST_PAPERS, ST_REASON, ST_SCHEDULE, ST_RESULT_CODE, ST_RESULT_FILE,
	ST_METHOD, ST_RECIPIENT, ST_RATING, ST_COMMENT, ST_CONFIRM, ST_END
};

struct act_flow {
	enum act_mode mode;
	struct dossier_action_choice choices[MC_ACTION_COUNT]; /* the menu's */
	const enum act_step *steps;
	int step;
	struct dossier_action_input in;
	char *unit_label;          /* the chosen unit, for the confirmation */
	struct dialog dlg;
	bool dlg_live, message;    /* message: a refusal or why-not that ends the flow */
	struct picker units;
	bool units_live;
};

struct dossier_view {
	struct app *app;
	struct dossier_detail d;
	char *clerk_name;   /* the receiving clerk's full name */
	char *commune;      /* "Phường Ba Đình, Thành phố Hà Nội", or NULL */
	bool overdue;
	struct detail_line *lines;
	size_t n, alloc;
	int width;          /* the lines were formatted for this width */
	struct listview view; /* a pager over the lines */
	struct act_flow act;
	/* the numbered menu shown (AM_MENU, AM_CHOICE, AM_FORMS, AM_SCAN) */
	struct menu box;
	struct menu_item *box_items;
	char **box_labels;  /* the rows' labels, owned */
	size_t box_n;
	struct {
		int kinds[FORM_CONTROL];  /* form numbers shown, in order */
		int n;
	} forms;
	struct {
		int *seqs;                /* the components that may be scanned */
		char **rows;
		bool *ok;                 /* false: digitized already (dimmed) */
		int n, sel;
	} scan;
};

/* ---- menus: the actions, a choice, the forms, the papers ------------------ */

static void box_release(struct dossier_view *v)
{
	for (size_t i = 0; i < v->box_n; i++)
		free(v->box_labels[i]);
	FREE(&v->box_labels);
	FREE(&v->box_items);
	v->box_n = 0;
}

/* Room for n rows, each then set by box_row. */
static void box_start(struct dossier_view *v, size_t n)
{
	box_release(v);
	v->box_items = xcalloc(n ? n : 1, sizeof(*v->box_items));
	v->box_labels = xcalloc(n ? n : 1, sizeof(*v->box_labels));
	v->box_n = n;
}

/* Row i: label (taken), dimmed when enabled says so. */
static void box_row(struct dossier_view *v, size_t i, char *label,
		    bool (*enabled)(const void *ctx, int id))
{
	v->box_labels[i] = label;
	v->box_items[i] = (struct menu_item){ .label = label, .id = (int)i, .enabled = enabled };
}

/* Shows the menu as mode, row sel selected. */
static void box_show(struct dossier_view *v, enum act_mode mode, const char *title,
		     const char *footer, size_t sel)
{
	menu_open(&v->box, title, v->box_items, v->box_n, v);
	v->box.numbered = true;
	v->box.footer = footer;
	menu_select(&v->box, sel);
	v->act.mode = mode;
}

/* ---- lines ---------------------------------------------------------------- */

static void add_line(struct dossier_view *v, enum style style, attr_t extra, char *text)
{
	if (v->n == v->alloc) {
		v->alloc = v->alloc ? 2 * v->alloc : 64;
		v->lines = xrealloc(v->lines, v->alloc * sizeof(*v->lines));
	}
	v->lines[v->n++] = (struct detail_line){ text, style, extra };
}

static void drop_lines(struct dossier_view *v)
{
	for (size_t i = 0; i < v->n; i++)
		free(v->lines[i].text);
	v->n = 0;
}

static const char *or_none(const char *s)
{
	return s && *s ? s : NONE_TEXT;
}

/* Pads sb with spaces to column w (at least one space). */
static void pad_to(struct strbuf *sb, int w)
{
	int now = mc_text_width(sb->buf);
	do
		strbuf_addch(sb, ' ');
	while (++now < w);
}

/* "label value" with value word-wrapped under itself. */
static void add_field(struct dossier_view *v, int width, const char *label, const char *value,
		      attr_t extra)
{
	int vw = width - LABEL_W;
	const char *text = or_none(value);
	char *clean = mc_text_sanitize(text);
	for (char *p = clean; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	int start[64], len[64];
	int n = layout_wrap(clean, vw > 10 ? vw : 10, start, len, 64);
	for (int i = 0; i < (n ? n : 1); i++) {
		struct strbuf sb = STRBUF_INIT;
		strbuf_addstr(&sb, i ? "" : label);
		pad_to(&sb, LABEL_W);
		if (n)
			strbuf_add(&sb, clean + start[i], (size_t)len[i]);
		add_line(v, STYLE_NORMAL, extra, strbuf_detach(&sb));
	}
	free(clean);
}

/* Two "label value" pairs on one line; each value is clipped to its half. */
static void add_pair(struct dossier_view *v, int width, const char *l1, const char *v1,
		     const char *l2, const char *v2)
{
	int half = width / 2 + 1;
	struct listview_column cols[4] = {
		{ LABEL_W - 1, false }, { half - LABEL_W - 1, false }, { 12, false }, { 0, false }
	};
	const char *cells[4] = { l1, or_none(v1), l2, or_none(v2) };
	add_line(v, STYLE_NORMAL, 0, listview_columns(cols, 4, cells, width));
}

static void add_heading(struct dossier_view *v, const char *fmt, size_t count)
{
	add_line(v, STYLE_NORMAL, 0, xstrdup(""));
	add_line(v, STYLE_HEADER, 0, xasprintf(fmt, count));
}

/* "YYYY-MM-DDTHH:MM" -> "DD/MM/YYYY HH:MM"; "YYYY-MM-DD" -> "DD/MM/YYYY". */
static char *format_when(const char *at)
{
	struct mc_dt t;
	struct mc_date d;
	if (!at || !*at)
		return NULL;
	if (!mc_parse_dt(at, &t))
		return xasprintf("%02d/%02d/%04d %02d:%02d", t.d, t.m, t.y, t.hh, t.mi);
	if (!mc_parse_date(at, &d))
		return xasprintf("%02d/%02d/%04d", d.d, d.m, d.y);
	return xstrdup(at);
}

/* "1 bản chính", "2 bản sao", "1 chính, 1 sao", or NULL for nothing. */
static char *format_copies(int originals, int copies)
{
	if (originals > 0 && copies > 0)
		return xasprintf("%d chính, %d sao", originals, copies);
	if (originals > 0)
		return xasprintf("%d bản chính", originals);
	if (copies > 0)
		return xasprintf("%d bản sao", copies);
	return NULL;
}

static const char *channel_name(int channel)
{
	switch (channel) {
	case 1: return "Trực tiếp";
	case 2: return "Trực tuyến";
	case 3: return "Bưu chính công ích";
	default: return NULL;
	}
}

static const char *sex_name(const char *sex)
{
	if (sex && !strcmp(sex, "M"))
		return "Nam";
	if (sex && !strcmp(sex, "F"))
		return "Nữ";
	return sex;
}

/* "Phường Ngọc Hà, Thành phố Hà Nội (00008)": a unit, else a commune. */
static char *unit_name(struct store *st, const char *code)
{
	char *place = NULL, *name;
	if (lookup_place(st, code, &place) == SQLITE_ROW)
		name = xasprintf("%s (%s)", place, code);
	else
		name = xstrdup(code);
	free(place);
	return name;
}

static void add_dossier(struct dossier_view *v, int width)
{
	const struct dossier_detail *d = &v->d;
	const char *status = mc_status_name(d->status);
	char *st = xasprintf("%s%s", status ? status : "?", v->overdue ? "  ! Quá hạn" : "");
	add_field(v, width, "Trạng thái:", st, v->overdue ? A_BOLD : 0);
	free(st);
	char *proc = xasprintf("%s %s", d->procedure_code, d->procedure_name);
	add_field(v, width, "Thủ tục:", proc, 0);
	free(proc);
	char *received = format_when(d->received_at), *due = format_when(d->appointment);
	add_pair(v, width, "Tiếp nhận:", received, "Hẹn trả:", due);
	free(received);
	free(due);
	char *clerk = v->clerk_name ? xasprintf("%s (%s)", v->clerk_name, d->clerk)
				    : xstrdup(d->clerk);
	add_pair(v, width, "Cán bộ:", clerk, "Hình thức:", channel_name(d->channel));
	free(clerk);
	if (d->handling_unit && *d->handling_unit) {
		char *unit = unit_name(&v->app->store, d->handling_unit);
		add_field(v, width, "Xử lý tại:", unit, 0);
		free(unit);
	}
	if (d->finished_at) {
		char *done = format_when(d->finished_at);
		add_field(v, width, "Kết thúc:", done, 0);
		free(done);
	}
}

static void add_applicant(struct dossier_view *v, int width)
{
	const struct dossier_detail *d = &v->d;
	add_line(v, STYLE_NORMAL, 0, xstrdup(""));
	add_line(v, STYLE_HEADER, 0, xstrdup("Người nộp hồ sơ"));
	add_pair(v, width, "Họ và tên:", d->applicant_name, "Giới tính:", sex_name(d->sex));
	char *birth = format_when(d->birth_date);
	add_pair(v, width, "Số định danh:", d->id_number, "Ngày sinh:", birth);
	free(birth);
	add_pair(v, width, "Điện thoại:", d->phone, "Thư điện tử:", d->email);
	struct strbuf addr = STRBUF_INIT;
	strbuf_addstr(&addr, d->address ? d->address : "");
	if (v->commune) {
		if (addr.len)
			strbuf_addstr(&addr, ", ");
		strbuf_addstr(&addr, v->commune);
	}
	add_field(v, width, "Địa chỉ:", addr.buf, 0);
	strbuf_release(&addr);
	if (d->note && *d->note)
		add_field(v, width, "Ghi chú:", d->note, 0);
}

enum { CC_SEQ, CC_NAME, CC_MANDATORY, CC_REQUIRED, CC_GIVEN, N_CC };

static void component_columns(struct listview_column cols[N_CC])
{
	cols[CC_SEQ] = (struct listview_column){ 3, true };
	cols[CC_NAME] = (struct listview_column){ 0, false };
	cols[CC_MANDATORY] = (struct listview_column){ 8, false };
	cols[CC_REQUIRED] = (struct listview_column){ 14, false };
	cols[CC_GIVEN] = (struct listview_column){ 14, false };
}

/* Width of the name column (what listview_columns gives the flexible one). */
static int name_width(int width)
{
	struct listview_column cols[N_CC];
	component_columns(cols);
	int w = width - (N_CC - 1);
	for (int i = 0; i < N_CC; i++)
		w -= cols[i].width;
	return w > 8 ? w : 8;
}

/* A line of the component table: name continues on the lines after the
 * first, with blank cells around it. */
static char *component_row(int width, const char *seq, const char *name, const char *mandatory,
			   const char *required, const char *given)
{
	struct listview_column cols[N_CC];
	component_columns(cols);
	const char *cells[N_CC] = { seq, name, mandatory, required, given };
	return listview_columns(cols, N_CC, cells, width);
}

static void add_component(struct dossier_view *v, int width, const struct dossier_component *c)
{
	char seq[16];
	snprintf(seq, sizeof(seq), "%d.", c->seq);
	char *name = xasprintf("%s%s", c->name, strcmp(c->kind, "present") ? "" : " (xuất trình)");
	char *required = format_copies(c->originals_required, c->copies_required);
	char *given = format_copies(c->originals, c->copies);
	bool missing = c->override_reason ||
		       (c->mandatory && (c->originals < c->originals_required ||
					 c->copies < c->copies_required));
	int start[32], len[32];
	int nw = name_width(width);
	int n = layout_wrap(name, nw, start, len, 32);
	for (int i = 0; i < (n ? n : 1); i++) {
		char *part = n ? xstrndup(name + start[i], (size_t)len[i]) : xstrdup("");
		char *line = i ? component_row(width, "", part, "", "", "")
			       : component_row(width, seq, part, c->mandatory ? "Có" : "Không",
					       or_none(required), given ? given : "Chưa nộp");
		add_line(v, STYLE_NORMAL, !i && missing ? A_BOLD : 0, line);
		free(part);
	}
	if (c->override_reason) {
		char *why = xasprintf("Nhận thiếu, lý do: %s", c->override_reason);
		char *clean = mc_text_sanitize(why);
		int m = layout_wrap(clean, nw, start, len, 32);
		for (int i = 0; i < m; i++) {
			char *part = xstrndup(clean + start[i], (size_t)len[i]);
			add_line(v, STYLE_NORMAL, 0, component_row(width, "", part, "", "", ""));
			free(part);
		}
		free(clean);
		free(why);
	}
	free(name);
	free(required);
	free(given);
}

/* What the clerk must see: a mandatory paper, one that was presented, or
 * one taken missing with a reason. The others (optional and not brought,
 * often most of a procedure's list) are only counted. */
static bool component_shown(const struct dossier_component *c)
{
	return c->mandatory || c->originals > 0 || c->copies > 0 || c->override_reason;
}

static void add_components(struct dossier_view *v, int width)
{
	size_t hidden = 0;
	add_heading(v, "Thành phần hồ sơ (%zu)", v->d.n_components);
	if (!v->d.n_components) {
		add_line(v, STYLE_DIM, 0, xstrdup("  Không có thành phần hồ sơ nào được ghi nhận"));
		return;
	}
	add_line(v, STYLE_DIM, 0,
		 component_row(width, "", "Giấy tờ", "Bắt buộc", "Yêu cầu", "Đã nhận"));
	for (size_t i = 0; i < v->d.n_components; i++) {
		if (component_shown(&v->d.components[i]))
			add_component(v, width, &v->d.components[i]);
		else
			hidden++;
	}
	if (hidden)
		add_line(v, STYLE_DIM, 0,
			 xasprintf("    và %zu giấy tờ không bắt buộc, không nộp", hidden));
}

static char *event_action(const char *kind)
{
	int a = mc_action_from_id(kind);
	if (!strcmp(kind, MC_REASSIGN_ID))
		return xstrdup(MC_REASSIGN_LABEL);
	return xstrdup(a >= 0 ? mc_action_label((enum mc_action)a) : kind);
}

static const char *jstr(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* "12 giờ 30 phút" of working minutes. */
static void add_duration(struct strbuf *sb, long long minutes)
{
	if (minutes >= 60)
		strbuf_addf(sb, "%lld giờ", minutes / 60);
	if (minutes % 60 || minutes < 60)
		strbuf_addf(sb, "%s%lld phút", minutes >= 60 ? " " : "", minutes % 60);
}

/* "; " then "label: value" when value is a non-empty string. */
static void add_part(struct strbuf *sb, const char *label, const char *value)
{
	if (!value || !*value)
		return;
	if (sb->len)
		strbuf_addstr(sb, "; ");
	if (label)
		strbuf_addf(sb, "%s: ", label);
	strbuf_addstr(sb, value);
}

/* Strings of a JSON array joined by "; " (malloc'd). */
static char *joined(json_t *list)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;
	json_t *x;
	strbuf_addstr(&sb, "");
	json_array_foreach(list, i, x) {
		if (!json_is_string(x))
			continue;
		if (sb.len)
			strbuf_addstr(&sb, "; ");
		strbuf_addstr(&sb, json_string_value(x));
	}
	return strbuf_detach(&sb);
}

/* What an event's payload says, in a line (malloc'd), or NULL. The payload
 * shapes are those of docs/lifecycle.md. */
static char *event_summary(const struct dossier_event *e)
{
	if (!e->payload)
		return NULL;
	json_t *p = json_loads(e->payload, 0, NULL);
	if (!json_is_object(p)) {
		json_decref(p);
		return NULL;
	}
	struct strbuf sb = STRBUF_INIT;
	char *list = NULL, *when = NULL, *before = NULL;
	strbuf_addstr(&sb, "");
	int a = mc_action_from_id(e->kind);
	if (!strcmp(e->kind, MC_REASSIGN_ID) && jstr(p, "to_clerk_name") && jstr(p, "to_clerk")) {
		strbuf_addf(&sb, "Giao cho: %s (%s)", jstr(p, "to_clerk_name"), jstr(p, "to_clerk"));
		add_part(&sb, "Lý do", jstr(p, "reason"));
	}
	switch (a) {
	case MC_ACT_TRANSFER:
		if (jstr(p, "to_unit_name") && jstr(p, "to_unit"))
			strbuf_addf(&sb, "Đến: %s (%s)", jstr(p, "to_unit_name"), jstr(p, "to_unit"));
		add_part(&sb, "Ghi chú", jstr(p, "reason"));
		break;
	case MC_ACT_REQUEST_SUPPLEMENT:
		list = joined(json_object_get(p, "papers"));
		add_part(&sb, "Cần bổ sung", list);
		add_part(&sb, "Lý do", jstr(p, "reason"));
		break;
	case MC_ACT_SUPPLEMENT_RECEIVED:
		if (json_is_integer(json_object_get(p, "paused_minutes"))) {
			strbuf_addstr(&sb, "Thời gian chờ bổ sung: ");
			add_duration(&sb, json_integer_value(json_object_get(p, "paused_minutes")));
			strbuf_addstr(&sb, " làm việc");
		}
		when = format_when(jstr(p, "appointment"));
		add_part(&sb, "hẹn trả mới", when);
		add_part(&sb, "Ghi chú", jstr(p, "reason"));
		break;
	case MC_ACT_REFUSE:
		list = joined(json_object_get(p, "reasons"));
		add_part(&sb, "Lý do", list);
		break;
	case MC_ACT_APOLOGIZE:
		when = format_when(jstr(p, "appointment"));
		before = format_when(jstr(p, "appointment_before"));
		add_part(&sb, "Hẹn lại", when);
		add_part(&sb, "hẹn trước đó", before);
		add_part(&sb, "Lý do", jstr(p, "reason"));
		break;
	case MC_ACT_RESULT_READY:
		add_part(&sb, "Kết quả số", jstr(p, "result_code"));
		add_part(&sb, "Tệp", jstr(json_object_get(p, "file"), "name"));
		break;
	case MC_ACT_RETURN:
		add_part(&sb, "Trả", jstr(p, "method_name"));
		add_part(&sb, "người nhận", jstr(p, "recipient"));
		break;
	case MC_ACT_RATE:
		add_part(&sb, NULL, jstr(p, "rating_name"));
		add_part(&sb, "Ý kiến", jstr(p, "comment"));
		break;
	case MC_ACT_WITHDRAW:
	case MC_ACT_STOP:
		add_part(&sb, "Lý do", jstr(p, "reason"));
		break;
	default:
		break;
	}
	json_decref(p);
	free(list);
	free(when);
	free(before);
	if (!sb.len) {
		strbuf_release(&sb);
		return NULL;
	}
	return strbuf_detach(&sb);
}

enum { EC_TIME, EC_ACTOR, EC_ACTION, N_EC };

static void add_event(struct dossier_view *v, int width, const struct dossier_event *e)
{
	struct listview_column cols[N_EC] = { { 16, false }, { 20, false }, { 0, false } };
	char *when = format_when(e->device_time);
	char *actor = lookup_clerk_name(&v->app->store, e->actor);
	char *action = event_action(e->kind);
	const char *cells[N_EC] = { or_none(when), actor ? actor : e->actor, action };
	add_line(v, STYLE_NORMAL, 0, listview_columns(cols, N_EC, cells, width));
	if ((e->status_from || e->status_to) && e->status_from != e->status_to) {
		const char *from = mc_status_name(e->status_from), *to = mc_status_name(e->status_to);
		char *change = from ? xasprintf("%s → %s", from, to ? to : "?")
				    : xasprintf("→ %s", to ? to : "?");
		struct listview_column two[2] = { { 16, false }, { 0, false } };
		const char *c2[2] = { "", change };
		add_line(v, STYLE_DIM, 0, listview_columns(two, 2, c2, width));
		free(change);
	}
	char *summary = event_summary(e);
	if (summary) {
		char *clean = mc_text_sanitize(summary);
		for (char *p = clean; *p; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				*p = ' ';
		int start[32], len[32];
		int n = layout_wrap(clean, width > 26 ? width - 17 : 10, start, len, 32);
		for (int i = 0; i < n; i++) {
			char *part = xstrndup(clean + start[i], (size_t)len[i]);
			struct listview_column two[2] = { { 16, false }, { 0, false } };
			const char *c2[2] = { "", part };
			add_line(v, STYLE_DIM, 0, listview_columns(two, 2, c2, width));
			free(part);
		}
		free(clean);
		free(summary);
	}
	free(when);
	free(actor);
	free(action);
}

static void add_events(struct dossier_view *v, int width)
{
	add_heading(v, "Quá trình xử lý (%zu)", v->d.n_events);
	if (!v->d.n_events) {
		add_line(v, STYLE_DIM, 0, xstrdup("  Chưa có sự kiện nào"));
		return;
	}
	for (size_t i = 0; i < v->d.n_events; i++)
		add_event(v, width, &v->d.events[i]);
}

static void build(struct dossier_view *v, int width)
{
	drop_lines(v);
	v->width = width;
	add_dossier(v, width);
	add_applicant(v, width);
	add_components(v, width);
	add_events(v, width);
}

/* ---- the screen ---------------------------------------------------------- */

static char *commune_name(struct store *st, const char *code)
{
	char *name = NULL, *province = NULL;
	if (!code || !*code || !lookup_commune(st, code, &name, &province))
		return NULL;
	char *both = xasprintf("%s, %s", name, province);
	free(name);
	free(province);
	return both;
}

/* (Re)loads the dossier and what the lines show. Returns 0, or -1 with an
 * error on the status line. */
static int load(struct dossier_view *v, const char *code)
{
	struct app *app = v->app;
	struct strbuf err = STRBUF_INIT;
	struct dossier_detail d;
	int rc = dossier_get(&app->store, code ? code : "", &d, &err);
	if (rc <= 0) {
		if (rc < 0)
			app_error(app, "%s", err.buf);
		else
			app_error(app, "Không tìm thấy hồ sơ %s", code ? code : "");
		strbuf_release(&err);
		dossier_detail_release(&d);
		return -1;
	}
	strbuf_release(&err);
	dossier_detail_release(&v->d);
	v->d = d;
	free(v->clerk_name);
	free(v->commune);
	v->clerk_name = lookup_clerk_name(&app->store, v->d.clerk);
	v->commune = commune_name(&app->store, v->d.commune_code);
	struct mc_dt now;
	char nowtext[20] = "";
	if (!clock_now(&now))
		mc_format_dt(nowtext, sizeof(nowtext), &now);
	v->overdue = (DQ_OPEN & DQ_STATUS(v->d.status)) && strcmp(v->d.appointment, nowtext) < 0;
	v->width = 0; /* rebuild the lines at the next draw */
	return 0;
}

static int dossier_open(struct app *app, void *priv, const void *arg)
{
	struct dossier_view *v = priv;
	v->app = app;
	listview_init(&v->view, NULL, NULL);
	v->view.pager = true;
	return load(v, arg);
}

static void act_end(struct dossier_view *v);
static void scan_menu_release(struct dossier_view *v);

static void dossier_done(struct app *app, void *priv)
{
	struct dossier_view *v = priv;
	(void)app;
	act_end(v);
	scan_menu_release(v);
	box_release(v);
	if (v->act.units_live)
		picker_release(&v->act.units);
	drop_lines(v);
	free(v->lines);
	free(v->clerk_name);
	free(v->commune);
	dossier_detail_release(&v->d);
}

static void act_draw(struct dossier_view *v, WINDOW *win, const struct rect *body);

static void dossier_draw(struct app *app, void *priv, WINDOW *win, const struct rect *body)
{
	struct dossier_view *v = priv;
	(void)app;
	int x = body->x + 1, w = body->w - 2;
	if (w != v->width)
		build(v, w);
	listview_set_count(&v->view, v->n);
	listview_set_height(&v->view, body->h - 1);
	size_t top = v->view.top, page = (size_t)v->view.height;

	char *title = xasprintf("Hồ sơ %s", v->d.code);
	char right[48] = "";
	if (v->n > page) {
		size_t last = top + page;
		snprintf(right, sizeof(right), "dòng %zu–%zu/%zu", top + 1,
			 last < v->n ? last : v->n, v->n);
	}
	int rw = mc_text_width(right);
	wattrset(win, term_style(STYLE_HEADER));
	term_text(win, body->y, x, w - rw - 1, title);
	wattrset(win, term_style(STYLE_DIM));
	term_text(win, body->y, x + w - rw, rw, right);
	free(title);

	for (size_t r = 0; r < page && top + r < v->n; r++) {
		const struct detail_line *l = &v->lines[top + r];
		wattrset(win, term_style(l->style) | l->extra);
		term_text(win, body->y + 1 + (int)r, x, w, l->text);
	}
	wattrset(win, term_style(STYLE_NORMAL));
	act_draw(v, win, body);
}

/* Sends the PDF at path (what: "giấy tiếp nhận", ...) to the printer when
 * one is set, and says what happened. */
static void deliver(struct dossier_view *v, const char *path, const char *what)
{
	struct strbuf err = STRBUF_INIT;
	char *printer = store_get_setting(&v->app->store, "printer");
	if (!printer || !*printer)
		app_info(v->app, "Chưa cấu hình máy in: đã ghi %s", path);
	else if (print_pdf(printer, path, &err))
		app_error(v->app, "Không in được: %s. Đã ghi %s", err.buf, path);
	else
		app_info(v->app, "Đã gửi %s tới máy in %s", what, printer);
	free(printer);
	strbuf_release(&err);
}

/* Writes form kind (01: the receipt again, 02-05: client/print/forms.h) into the
 * receipts folder next to the store (reception_receipt_dir), as CODE.pdf
 * for the receipt and CODE-mau-NN.pdf for the others, and prints it. */
static int print_form(struct dossier_view *v, int kind)
{
	struct store *st = &v->app->store;
	struct strbuf err = STRBUF_INIT;
	char *dir = reception_receipt_dir(st);
	char *path = kind == FORM_RECEIPT ? xasprintf("%s/%s.pdf", dir, v->d.code)
					  : xasprintf("%s/%s-mau-%02d.pdf", dir, v->d.code, kind);
	if (mkdir(dir, 0700) && errno != EEXIST) {
		app_error(v->app, "Không tạo được thư mục giấy tiếp nhận %s: %s", dir,
			  strerror(errno));
	} else if (kind == FORM_RECEIPT) {
		if (reception_write_receipt(st, v->d.code, path, &err))
			app_error(v->app, "Không ghi được giấy tiếp nhận: %s", err.buf);
		else
			deliver(v, path, "giấy tiếp nhận");
	} else if (form_write(st, v->d.code, kind, path, &err)) {
		app_error(v->app, "Không ghi được %s (mẫu %02d): %s", form_title(kind), kind, err.buf);
	} else {
		char *what = xasprintf("%s (mẫu %02d)", form_title(kind), kind);
		what[0] = 'p'; /* "Phiếu ..." inside a sentence */
		deliver(v, path, what);
		free(what);
	}
	free(path);
	free(dir);
	strbuf_release(&err);
	return SCR_HANDLED;
}

static const char *form_menu_label(int kind);

/* F9: the receipt at once when the dossier has no other form, else the
 * menu of its forms. */
static int forms_menu(struct dossier_view *v)
{
	unsigned have = form_available(&v->d);
	v->forms.n = 0;
	for (int k = FORM_RECEIPT; k <= FORM_CONTROL; k++)
		if (have & FORM_MASK(k))
			v->forms.kinds[v->forms.n++] = k;
	if (v->forms.n <= 1)
		return print_form(v, FORM_RECEIPT);
	box_start(v, (size_t)v->forms.n);
	for (int i = 0; i < v->forms.n; i++)
		box_row(v, (size_t)i, xstrdup(form_menu_label(v->forms.kinds[i])), NULL);
	box_show(v, AM_FORMS, "In biểu mẫu", "Số hoặc ↑↓ Enter · Esc: đóng", 0);
	return SCR_HANDLED;
}

/* ---- scanning: which component ------------------------------------------ */

static void scan_menu_release(struct dossier_view *v)
{
	for (int i = 0; i < v->scan.n; i++)
		free(v->scan.rows[i]);
	FREE(&v->scan.rows);
	FREE(&v->scan.seqs);
	FREE(&v->scan.ok);
	v->scan.n = 0;
}

static bool scan_ok(const void *ctx, int i)
{
	const struct dossier_view *v = ctx;
	return v->scan.ok[i];
}

/* s: the components worth scanning (mandatory, brought or digitized), the
 * first still to scan selected; one alone opens the scan screen at once. */
static int scan_menu(struct dossier_view *v)
{
	scan_menu_release(v);
	struct docstore_components all = { 0 };
	struct strbuf err = STRBUF_INIT;
	if (docstore_components_load(&v->app->store, v->d.id, &all, &err)) {
		app_error(v->app, "%s", err.buf);
		strbuf_release(&err);
		docstore_components_release(&all);
		return SCR_HANDLED;
	}
	strbuf_release(&err);
	v->scan.sel = -1;
	if (all.n) { /* room for every component; the wanted ones are kept */
		v->scan.seqs = xcalloc(all.n, sizeof(int));
		v->scan.rows = xcalloc(all.n, sizeof(char *));
		v->scan.ok = xcalloc(all.n, sizeof(bool));
	}
	int k = 0;
	for (size_t i = 0; i < all.n; i++) {
		const struct docstore_component *c = &all.v[i];
		if (!c->wanted)
			continue;
		v->scan.seqs[k] = c->seq;
		v->scan.ok[k] = !c->digitized;
		v->scan.rows[k] = xasprintf("%s%s", c->digitized ? "Đã số hóa: " : "", c->name);
		if (!c->digitized && v->scan.sel < 0)
			v->scan.sel = k;
		k++;
	}
	v->scan.n = k;
	docstore_components_release(&all);
	if (v->scan.sel < 0)
		v->scan.sel = 0;
	if (!v->scan.n) {
		app_info(v->app, "Hồ sơ không có thành phần nào để số hóa");
		return SCR_HANDLED;
	}
	if (v->scan.n == 1) {
		scan_screen_open(v->app, v->d.id, v->scan.seqs[0]);
		return SCR_HANDLED;
	}
	box_start(v, (size_t)v->scan.n);
	for (int i = 0; i < v->scan.n; i++)
		box_row(v, (size_t)i, xstrdup(v->scan.rows[i]), scan_ok);
	box_show(v, AM_SCAN, "Số hóa giấy tờ", "Số hoặc ↑↓ Enter: quét · Esc: đóng",
		 (size_t)v->scan.sel);
	return SCR_HANDLED;
}

static const char *form_menu_label(int kind)
{
	switch (kind) {
	case FORM_RECEIPT: return "Giấy tiếp nhận và hẹn trả (01)";
	case FORM_SUPPLEMENT: return "Phiếu yêu cầu bổ sung (02)";
	case FORM_REFUSAL: return "Phiếu từ chối tiếp nhận (03)";
	case FORM_APOLOGY: return "Phiếu xin lỗi, hẹn lại (04)";
	default: return "Phiếu kiểm soát quá trình (05)";
	}
}

/* ---- actions ------------------------------------------------------------ */

#define MENU_W 48
#define UNIT_PICK_MAX 100

/* What each action asks, in order (docs/lifecycle.md). */
static const enum act_step flow_transfer[] = { ST_UNIT, ST_NOTE, ST_CONFIRM, ST_END };
static const enum act_step flow_supplement[] = { ST_PAPERS, ST_NOTE, ST_CONFIRM, ST_END };
static const enum act_step flow_confirm[] = { ST_CONFIRM, ST_END };
static const enum act_step flow_reason[] = { ST_REASON, ST_CONFIRM, ST_END };
static const enum act_step flow_apology[] = { ST_SCHEDULE, ST_REASON, ST_CONFIRM, ST_END };
static const enum act_step flow_result[] = { ST_RESULT_CODE, ST_RESULT_FILE, ST_CONFIRM, ST_END };
static const enum act_step flow_return[] = { ST_METHOD, ST_RECIPIENT, ST_CONFIRM, ST_END };
static const enum act_step flow_rate[] = { ST_RATING, ST_COMMENT, ST_CONFIRM, ST_END };

static const enum act_step *flow_of(enum mc_action a)
{
	switch (a) {
	case MC_ACT_TRANSFER: return flow_transfer;
	case MC_ACT_REQUEST_SUPPLEMENT: return flow_supplement;
	case MC_ACT_APOLOGIZE: return flow_apology;
	case MC_ACT_RESULT_READY: return flow_result;
	case MC_ACT_RETURN: return flow_return;
	case MC_ACT_RATE: return flow_rate;
	case MC_ACT_REFUSE:
	case MC_ACT_WITHDRAW:
	case MC_ACT_STOP: return flow_reason;
	default: return flow_confirm;
	}
}

/* The rows of a choice step: return methods or ratings. */
static const char *const method_ids[] = { "counter", "post", "online" };

static const char *choice_row(enum act_step step, int i)
{
	return step == ST_METHOD ? dossier_return_method_name(method_ids[i])
				 : dossier_rating_name(i + 1);
}

static void dialog_close(struct act_flow *f)
{
	if (f->dlg_live)
		dialog_release(&f->dlg);
	f->dlg_live = false;
	f->message = false;
}

/* Ends the flow: back to the detail. */
static void act_end(struct dossier_view *v)
{
	struct act_flow *f = &v->act;
	dialog_close(f);
	dossier_action_input_release(&f->in);
	FREE(&f->unit_label);
	f->mode = AM_NONE;
}

/* A message box (a refusal, why an action is not possible) that ends the flow. */
static void show_message(struct dossier_view *v, const char *title, const char *text)
{
	struct act_flow *f = &v->act;
	dialog_close(f);
	dialog_init_message(&f->dlg, title, text);
	f->dlg_live = true;
	f->message = true;
	f->mode = AM_DIALOG;
}

/* ---- the unit picker: units (agencies, synced) first, then communes ---- */

static bool has_id(const struct picker_item *items, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(items[i].id, id))
			return true;
	return false;
}

static size_t query_units(void *data, const char *text, struct picker_item *items, size_t max)
{
	struct dossier_view *v = data;
	struct store *st = &v->app->store;
	struct lookup_unit *units = xcalloc(max ? max : 1, sizeof(*units));
	size_t n = lookup_units_matching(st, text, units, max);
	for (size_t i = 0; i < n; i++) {
		items[i].id = xstrdup(units[i].code);
		items[i].label = xasprintf("%s (%s)", units[i].name ? units[i].name : units[i].code,
					   units[i].code);
	}
	lookup_units_release(units, n);
	free(units);
	struct catalog_communes r;
	catalog_commune_search(st, text ? text : "", (int)max, &r);
	for (size_t i = 0; i < r.n && n < max; i++) {
		const struct catalog_commune *c = &r.items[i];
		if (has_id(items, n, c->code))
			continue;
		items[n].id = xstrdup(c->code);
		if (c->via_old_name)
			items[n].label = xasprintf("%s, %s (%s; trước đây: %s)", c->name,
						   c->province_name, c->code, c->via_old_name);
		else
			items[n].label = xasprintf("%s, %s (%s)", c->name, c->province_name, c->code);
		n++;
	}
	catalog_communes_release(&r);
	listview_set_empty(&v->act.units.list, "Không tìm thấy đơn vị nào");
	return n;
}

/* ---- the questions ------------------------------------------------------ */

/* "Giấy chứng sinh; Tờ khai": the mandatory papers taken missing, as the
 * first guess of what to ask for (short names: the text before ';'). */
static char *missing_papers(const struct dossier_detail *d)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, "");
	for (size_t i = 0; i < d->n_components; i++) {
		const struct dossier_component *c = &d->components[i];
		if (!c->override_reason && !(c->mandatory && (c->originals < c->originals_required ||
							      c->copies < c->copies_required)))
			continue;
		size_t len = strcspn(c->name, ";");
		char *name = xstrndup(c->name, len);
		size_t keep = mc_text_clip(name, 80);
		if (sb.len)
			strbuf_addstr(&sb, "; ");
		strbuf_add(&sb, name, keep);
		free(name);
	}
	return strbuf_detach(&sb);
}

static const char *reason_question(enum mc_action a)
{
	switch (a) {
	case MC_ACT_REFUSE: return "Lý do từ chối tiếp nhận (nhiều lý do cách nhau bằng dấu ;):";
	case MC_ACT_APOLOGIZE: return "Lý do chậm trả kết quả:";
	case MC_ACT_WITHDRAW: return "Lý do rút hồ sơ (theo yêu cầu của người nộp):";
	default: return "Lý do dừng xử lý hồ sơ:";
	}
}

static void prompt(struct act_flow *f, const char *message, size_t max, bool required,
		   const char *text, bool telex, bool app_telex)
{
	dialog_close(f);
	dialog_init_prompt(&f->dlg, mc_action_label(f->in.action), message, max, required);
	if (!telex)
		f->dlg.field.flags |= FIELD_NO_TELEX;
	field_set_telex(&f->dlg.field, app_telex);
	if (text && *text)
		field_set_text(&f->dlg.field, text);
	f->dlg_live = true;
	f->mode = AM_DIALOG;
}

static void format_due(char *buf, size_t n, const char *at)
{
	struct mc_dt t;
	if (mc_parse_dt(at, &t))
		snprintf(buf, n, "%s", at);
	else
		snprintf(buf, n, "%02d:%02d %02d/%02d/%04d", t.hh, t.mi, t.d, t.m, t.y);
}

static const char *or_blank(const char *s)
{
	return s && *s ? s : "(không ghi)";
}

/* The confirmation: the action, the dossier and every answer. */
static char *confirm_text(const struct dossier_view *v)
{
	const struct dossier_action_input *in = &v->act.in;
	struct strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "Xác nhận «%s» cho hồ sơ %s?", mc_action_label(in->action), v->d.code);
	if (in->action == MC_ACT_TRANSFER)
		strbuf_addf(&sb, "\nĐến: %s", v->act.unit_label ? v->act.unit_label : in->to_unit);
	if (in->papers)
		strbuf_addf(&sb, "\nGiấy tờ cần bổ sung: %s", in->papers);
	if (in->action == MC_ACT_SUPPLEMENT_RECEIVED)
		strbuf_addstr(&sb, "\nNgày hẹn trả lùi thêm đúng thời gian làm việc đã chờ bổ sung.");
	if (in->action == MC_ACT_REQUEST_SUPPLEMENT)
		strbuf_addstr(&sb, "\nThời hạn giải quyết tạm dừng đến khi nhận đủ hồ sơ.");
	if (in->days)
		strbuf_addf(&sb, "\nHẹn lại: thêm %d ngày làm việc", in->days);
	if (in->date) {
		char due[32];
		format_due(due, sizeof due, in->date);
		strbuf_addf(&sb, "\nHẹn lại: ngày %s", in->date[10] ? due : in->date);
	}
	if (in->action == MC_ACT_APOLOGIZE)
		strbuf_addstr(&sb, " (chỉ được hẹn lại một lần)");
	if (in->reason || flow_of(in->action) == flow_reason ||
	    (in->action != MC_ACT_APOLOGIZE && flow_of(in->action)[1] == ST_NOTE))
		strbuf_addf(&sb, "\nLý do: %s", or_blank(in->reason));
	if (in->result_code)
		strbuf_addf(&sb, "\nSố, ký hiệu kết quả: %s", in->result_code);
	if (in->action == MC_ACT_RESULT_READY)
		strbuf_addf(&sb, "\nTệp kết quả: %s", or_blank(in->result_file));
	if (in->method)
		strbuf_addf(&sb, "\nHình thức: %s", dossier_return_method_name(in->method));
	if (in->recipient)
		strbuf_addf(&sb, "\nNgười nhận: %s", in->recipient);
	if (in->rating)
		strbuf_addf(&sb, "\nMức độ hài lòng: %s", dossier_rating_name(in->rating));
	if (in->action == MC_ACT_RATE)
		strbuf_addf(&sb, "\nÝ kiến: %s", or_blank(in->comment));
	return strbuf_detach(&sb);
}

static void act_commit(struct dossier_view *v);

/* Asks the question of the current step (or runs the action at the end). */
static void ask(struct dossier_view *v)
{
	struct act_flow *f = &v->act;
	bool telex = v->app->telex;
	enum mc_action a = f->in.action;
	char due[32], *text;
	switch (f->steps[f->step]) {
	case ST_UNIT:
		dialog_close(f);
		if (!f->units_live) {
			picker_init(&f->units, NULL, UNIT_PICK_MAX, query_units, v);
			f->units_live = true;
		}
		field_set_telex(&f->units.field, telex);
		picker_set_text(&f->units, "");
		f->mode = AM_UNIT;
		break;
	case ST_NOTE:
		prompt(f, a == MC_ACT_TRANSFER ? "Ghi chú khi chuyển (có thể để trống):"
					       : "Lý do yêu cầu bổ sung (có thể để trống):",
		       DOSSIER_ACTION_TEXT_MAX, false, NULL, true, telex);
		break;
	case ST_PAPERS:
		text = missing_papers(&v->d);
		prompt(f, "Giấy tờ cần bổ sung, hoàn thiện (cách nhau bằng dấu ;):",
		       DOSSIER_ACTION_TEXT_MAX * 4, true, text, true, telex);
		free(text);
		break;
	case ST_REASON:
		prompt(f, reason_question(a), DOSSIER_ACTION_TEXT_MAX, true, NULL, true, telex);
		break;
	case ST_SCHEDULE:
		format_due(due, sizeof due, v->d.appointment);
		text = xasprintf("Hẹn trả hiện tại: %s. Hẹn lại sau bao nhiêu ngày làm việc (ví dụ 3),"
				 " hoặc đến ngày nào (DD/MM/YYYY)?", due);
		prompt(f, text, 20, true, NULL, false, telex);
		free(text);
		break;
	case ST_RESULT_CODE:
		prompt(f, "Số, ký hiệu của kết quả giải quyết:", DOSSIER_ACTION_CODE_MAX, true, NULL,
		       false, telex);
		break;
	case ST_RESULT_FILE:
		prompt(f, "Tệp kết quả đã số hóa (đường dẫn; có thể để trống):", 1000, false, NULL,
		       false, telex);
		break;
	case ST_RECIPIENT:
		prompt(f, "Người nhận kết quả:", DOSSIER_ACTION_NAME_MAX, true, v->d.applicant_name,
		       true, telex);
		break;
	case ST_COMMENT:
		prompt(f, "Ý kiến của người nộp (có thể để trống):", DOSSIER_ACTION_TEXT_MAX, false,
		       NULL, true, telex);
		break;
	case ST_METHOD:
	case ST_RATING:
		dialog_close(f);
		box_start(v, 3);
		for (int i = 0; i < 3; i++)
			box_row(v, (size_t)i, xstrdup(choice_row(f->steps[f->step], i)), NULL);
		box_show(v, AM_CHOICE,
			 f->steps[f->step] == ST_METHOD ? "Hình thức trả kết quả" : "Mức độ hài lòng",
			 "Phím 1, 2, 3 hoặc ↑↓ Enter · Esc: thôi", 0);
		break;
	case ST_CONFIRM:
		dialog_close(f);
		text = confirm_text(v);
		dialog_init_confirm(&f->dlg, mc_action_label(a), text, true);
		free(text);
		f->dlg_live = true;
		f->mode = AM_DIALOG;
		break;
	case ST_END:
		act_commit(v);
		break;
	}
}

static void next_step(struct dossier_view *v)
{
	v->act.step++;
	ask(v);
}

/* Starts the chosen action of the menu. */
static void act_start(struct dossier_view *v, int i)
{
	struct act_flow *f = &v->act;
	const struct dossier_action_choice *c = &f->choices[i];
	if (!c->ok) {
		show_message(v, mc_action_label(c->action), c->why);
		return;
	}
	dossier_action_input_release(&f->in);
	dossier_action_input_init(&f->in, c->action);
	FREE(&f->unit_label);
	f->steps = flow_of(c->action);
	f->step = 0;
	ask(v);
}

static bool choice_ok(const void *ctx, int i)
{
	const struct dossier_view *v = ctx;
	return v->act.choices[i].ok;
}

/* Opens the menu of the actions allowed now. */
static int act_menu(struct dossier_view *v)
{
	struct act_flow *f = &v->act;
	struct mc_dt now;
	struct strbuf err = STRBUF_INIT;
	if (clock_now(&now)) {
		app_error(v->app, "MOTCUA_NOW không hợp lệ: cần dạng YYYY-MM-DDTHH:MM");
		return SCR_HANDLED;
	}
	int n = dossier_action_choices(&v->app->store, v->d.code, &now, f->choices,
				       MC_ACTION_COUNT, &err);
	if (n < 0)
		app_error(v->app, "%s", err.buf);
	else if (n == 0)
		app_info(v->app, "Hồ sơ đã kết thúc (%s): không còn thao tác nào",
			 mc_status_name(v->d.status) ? mc_status_name(v->d.status) : "?");
	else {
		box_start(v, (size_t)n);
		for (int i = 0; i < n; i++) {
			const char *label = mc_action_label(f->choices[i].action);
			box_row(v, (size_t)i, f->choices[i].ok ? xstrdup(label)
					      : xasprintf("%s (không được)", label), choice_ok);
		}
		box_show(v, AM_MENU, "Xử lý hồ sơ", "Số hoặc ↑↓ Enter · Esc: đóng", 0);
	}
	strbuf_release(&err);
	return SCR_HANDLED;
}

static void act_commit(struct dossier_view *v)
{
	struct act_flow *f = &v->act;
	struct mc_dt now;
	struct strbuf err = STRBUF_INIT;
	struct dossier_action_result res;
	const char *label = mc_action_label(f->in.action);
	if (clock_now(&now)) {
		show_message(v, label, "MOTCUA_NOW không hợp lệ: cần dạng YYYY-MM-DDTHH:MM");
		return;
	}
	int rc = dossier_action_commit(&v->app->store, v->d.code, &f->in, v->app->clerk.username,
				       &now, &res, &err);
	if (rc) {
		show_message(v, rc == DOSSIER_ACTION_FAULT ? "Lỗi kho dữ liệu" : "Không thực hiện được",
			     err.buf);
		strbuf_release(&err);
		return;
	}
	strbuf_release(&err);
	char *code = xstrdup(v->d.code);
	act_end(v);
	load(v, code);
	char due[32];
	format_due(due, sizeof due, res.appointment);
	if (strcmp(res.appointment, res.appointment_before))
		app_info(v->app, "Đã ghi «%s»: %s, hẹn trả mới %s", label, mc_status_name(res.status),
			 due);
	else
		app_info(v->app, "Đã ghi «%s»: %s", label, mc_status_name(res.status));
	free(code);
}

/* "12" -> 12 working days; a date as mc_parse_date_vn takes it
 * (DD/MM/YYYY...) -> that day. Sets the input or returns the error to show
 * under the field. */
static const char *take_schedule(struct dossier_action_input *in, const char *text)
{
	int n = 0;
	char rest;
	struct mc_date d;
	if (sscanf(text, "%d %c", &n, &rest) == 1 && strspn(text, "0123456789 ") == strlen(text)) {
		if (n < 1 || n > DOSSIER_ACTION_DAYS_MAX)
			return "Số ngày làm việc phải từ 1 đến 365";
		in->days = n;
		return NULL;
	}
	if (!mc_parse_date_vn(text, &d)) {
		free(in->date);
		in->date = xasprintf("%04d-%02d-%02d", d.y, d.m, d.d);
		return NULL;
	}
	return "Nhập số ngày làm việc (ví dụ 3) hoặc ngày DD/MM/YYYY";
}

/* The answer of a prompt step: stored, or refused (the prompt stays). */
static bool take_answer(struct dossier_view *v)
{
	struct act_flow *f = &v->act;
	struct dossier_action_input *in = &f->in;
	char *value = dialog_value(&f->dlg);
	char **slot = NULL;
	switch (f->steps[f->step]) {
	case ST_NOTE:
	case ST_REASON: slot = &in->reason; break;
	case ST_PAPERS: slot = &in->papers; break;
	case ST_RESULT_CODE: slot = &in->result_code; break;
	case ST_RESULT_FILE: slot = &in->result_file; break;
	case ST_RECIPIENT: slot = &in->recipient; break;
	case ST_COMMENT: slot = &in->comment; break;
	case ST_SCHEDULE: {
		const char *why = take_schedule(in, value);
		free(value);
		if (why) {
			free(f->dlg.error);
			f->dlg.error = xstrdup(why);
			return false;
		}
		return true;
	}
	default: break;
	}
	if (slot) {
		free(*slot);
		*slot = *value ? value : NULL;
		if (!*value)
			free(value);
	} else {
		free(value);
	}
	return true;
}

static int handle_dialog(struct dossier_view *v, enum action act, const struct key_event *ev)
{
	struct act_flow *f = &v->act;
	if (act == ACTION_QUIT || act == ACTION_TOGGLE_TELEX)
		return SCR_IGNORED; /* the loop quits or switches Telex for the app */
	field_set_telex(&f->dlg.field, v->app->telex);
	enum widget_rc rc = dialog_key(&f->dlg, ev->edit, key_event_char(ev));
	if (rc == WIDGET_CANCEL || (rc == WIDGET_DONE && f->message)) {
		act_end(v);
	} else if (rc == WIDGET_DONE && f->dlg.kind == DIALOG_PROMPT) {
		if (take_answer(v))
			next_step(v);
	} else if (rc == WIDGET_DONE) {
		next_step(v); /* the confirmation: run it */
	}
	return SCR_HANDLED;
}

static int handle_units(struct dossier_view *v, enum action act, const struct key_event *ev)
{
	struct act_flow *f = &v->act;
	if (act == ACTION_QUIT || act == ACTION_TOGGLE_TELEX)
		return SCR_IGNORED;
	field_set_telex(&f->units.field, v->app->telex);
	wint_t c = key_event_char(ev);
	if (c || (ev->edit != ACTION_BACK && ev->edit != ACTION_CONFIRM)) {
		picker_key(&f->units, ev->edit, c);
		return SCR_HANDLED;
	}
	if (ev->edit == ACTION_BACK) {
		act_end(v);
	} else {
		const struct picker_item *it = picker_selected(&f->units);
		if (!it) {
			app_error(v->app, "Chưa chọn đơn vị: gõ tên xã, phường hoặc cơ quan để tìm");
			return SCR_HANDLED;
		}
		free(f->in.to_unit);
		f->in.to_unit = xstrdup(it->id);
		free(f->unit_label);
		f->unit_label = xstrdup(it->label);
		next_step(v);
	}
	return SCR_HANDLED;
}

/* A numbered menu: a number or the moves and Enter choose, Esc or the key
 * that opened it closes it. */
static int handle_box(struct dossier_view *v, enum action act, const struct key_event *ev)
{
	struct act_flow *f = &v->act;
	if (act == ACTION_QUIT || act == ACTION_HELP)
		return SCR_IGNORED;
	enum act_mode mode = f->mode;
	enum action opener = mode == AM_FORMS  ? ACTION_PRINT
			   : mode == AM_SCAN   ? ACTION_SCAN_PAPERS
					       : ACTION_DOSSIER_ACTIONS;
	enum menu_rc rc = menu_key(&v->box, act, key_event_char(ev));
	if (rc == MENU_IGNORED && act == opener)
		rc = MENU_CLOSED;
	int i = v->box.chosen;
	if (rc == MENU_CLOSED && (mode == AM_MENU || mode == AM_CHOICE)) {
		act_end(v);
	} else if (rc == MENU_CLOSED) {
		f->mode = AM_NONE;
	} else if (rc == MENU_CHOSEN && mode == AM_MENU) {
		act_start(v, i);
	} else if (rc == MENU_CHOSEN && mode == AM_CHOICE) {
		if (f->steps[f->step] == ST_METHOD) {
			free(f->in.method);
			f->in.method = xstrdup(method_ids[i]);
		} else {
			f->in.rating = i + 1;
		}
		next_step(v);
	} else if (rc == MENU_CHOSEN && mode == AM_FORMS) {
		f->mode = AM_NONE;
		print_form(v, v->forms.kinds[i]);
	} else if (rc == MENU_CHOSEN && mode == AM_SCAN) {
		f->mode = AM_NONE;
		scan_screen_open(v->app, v->d.id, v->scan.seqs[i]);
	}
	return SCR_HANDLED;
}

/* ---- drawing ------------------------------------------------------------- */

static void draw_units(struct dossier_view *v, WINDOW *win, const struct rect *body)
{
	struct act_flow *f = &v->act;
	int x = body->x + 1, w = body->w - 2, y = body->y;
	wattrset(win, term_style(STYLE_NORMAL));
	for (int r = 0; r < body->h; r++)
		term_blank(win, body->y + r, body->x, body->w);
	wattrset(win, term_style(STYLE_HEADER));
	char *title = xasprintf("Chuyển hồ sơ %s đến đơn vị:", v->d.code);
	term_text(win, y, x, w, title);
	free(title);
	wattrset(win, term_style(STYLE_NORMAL));
	picker_draw(&f->units, win, y + 1, x, w, body->h - 2, true);
	int cy, cx;
	getyx(win, cy, cx);
	wattrset(win, term_style(STYLE_DIM));
	term_text(win, body->y + body->h - 1, x, w, "Gõ tên xã, phường, cơ quan (có dấu hoặc không) · ↑↓ · Enter: chọn · Esc: thôi");
	wattrset(win, term_style(STYLE_NORMAL));
	app_set_cursor(v->app, cy, cx);
}

/* The action's layer over the detail (called at the end of draw). */
static void act_draw(struct dossier_view *v, WINDOW *win, const struct rect *body)
{
	struct act_flow *f = &v->act;
	switch (f->mode) {
	case AM_NONE:
		return;
	case AM_MENU:
	case AM_FORMS:
	case AM_SCAN:
	case AM_CHOICE:
		menu_draw(&v->box, win, body);
		return;
	case AM_UNIT:
		draw_units(v, win, body);
		return;
	case AM_DIALOG:
		dialog_draw(&f->dlg, win);
		if (f->dlg.kind == DIALOG_PROMPT) {
			int cy, cx;
			getyx(win, cy, cx);
			app_set_cursor(v->app, cy, cx);
		}
		return;
	}
}

static int dossier_handle(struct app *app, void *priv, enum action act,
			  const struct key_event *ev)
{
	struct dossier_view *v = priv;
	(void)app;
	switch (v->act.mode) {
	case AM_MENU:
	case AM_CHOICE:
	case AM_FORMS:
	case AM_SCAN: return handle_box(v, act, ev);
	case AM_UNIT: return handle_units(v, act, ev);
	case AM_DIALOG: return handle_dialog(v, act, ev);
	case AM_NONE: break;
	}
	switch (act) {
	case ACTION_PRINT: return forms_menu(v);
	case ACTION_DOSSIER_ACTIONS: return act_menu(v);
	case ACTION_SCAN_PAPERS: return scan_menu(v);
	default: return SCR_IGNORED; /* the moves scroll (detail_list) */
	}
}

/* The detail scrolls like a pager; a menu or a dialog takes every key. */
static struct listview *detail_list(struct app *app, void *priv, enum action act)
{
	struct dossier_view *v = priv;
	return v->act.mode == AM_NONE ? &v->view : NULL;
}

/* Back from a screen above (scanning adds 'attach' events): read it again. */
static void dossier_resume(struct app *app, void *priv)
{
	struct dossier_view *v = priv;
	(void)app;
	char *code = xstrdup(v->d.code);
	load(v, code);
	free(code);
}

/* s (scan-papers) is not on the hint line: it does not fit at 80 columns
 * beside these; F1 lists it. */
static const enum action dossier_hints[] = { ACTION_DOSSIER_ACTIONS, ACTION_PRINT, ACTION_BACK,
					     ACTION_NONE };

const struct screen_ops dossier_screen = {
	.name = "dossier",
	.title = "Chi tiết hồ sơ",
	.keymap = "detail",
	.fields = true,
	.private_size = sizeof(struct dossier_view),
	.hints = dossier_hints,
	.open = dossier_open,
	.resume = dossier_resume,
	.draw = dossier_draw,
	.handle = dossier_handle,
	.list = detail_list,
	.done = dossier_done,
};
