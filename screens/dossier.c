/* One dossier: its fields, its components (required and presented, with
 * override reasons) and its event timeline, as lines of text formatted for
 * the screen's width and scrolled like the help screen. F9 reprints the
 * receipt. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "client/app.h"
#include "client/clock.h"
#include "client/dossier_query.h"
#include "client/listview.h"
#include "client/print.h"
#include "client/reception.h"
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

struct dossier_view {
	struct app *app;
	struct dossier_detail d;
	char *clerk_name;   /* the receiving clerk's full name */
	char *commune;      /* "Phường Ba Đình, Thành phố Hà Nội", or NULL */
	bool overdue;
	struct detail_line *lines;
	size_t n, alloc;
	int width;          /* the lines were formatted for this width */
	size_t top;         /* first line shown */
	int page;           /* lines shown by the last draw */
};

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

/* The full name of a clerk (malloc'd), or NULL when unknown. */
static char *clerk_name(struct store *st, const char *username)
{
	char *name = NULL;
	sqlite3_stmt *q = store_prepare(st, "SELECT full_name FROM clerks WHERE username = ?");
	sqlite3_bind_text(q, 1, username, -1, SQLITE_STATIC);
	if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0))
		name = xstrdup((const char *)sqlite3_column_text(q, 0));
	sqlite3_finalize(q);
	return name;
}

static char *event_action(const char *kind)
{
	int a = mc_action_from_id(kind);
	return xstrdup(a >= 0 ? mc_action_label((enum mc_action)a) : kind);
}

enum { EC_TIME, EC_ACTOR, EC_ACTION, N_EC };

static void add_event(struct dossier_view *v, int width, const struct dossier_event *e)
{
	struct listview_column cols[N_EC] = { { 16, false }, { 20, false }, { 0, false } };
	char *when = format_when(e->device_time);
	char *actor = clerk_name(&v->app->store, e->actor);
	char *action = event_action(e->kind);
	const char *cells[N_EC] = { or_none(when), actor ? actor : e->actor, action };
	add_line(v, STYLE_NORMAL, 0, listview_columns(cols, N_EC, cells, width));
	if (e->status_from || e->status_to) {
		const char *from = mc_status_name(e->status_from), *to = mc_status_name(e->status_to);
		char *change = from ? xasprintf("%s → %s", from, to ? to : "?")
				    : xasprintf("→ %s", to ? to : "?");
		struct listview_column two[2] = { { 16, false }, { 0, false } };
		const char *c2[2] = { "", change };
		add_line(v, STYLE_DIM, 0, listview_columns(two, 2, c2, width));
		free(change);
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
	char *name = NULL;
	if (!code || !*code)
		return NULL;
	sqlite3_stmt *q = store_prepare(st, "SELECT name, province_name FROM communes WHERE code = ?");
	sqlite3_bind_text(q, 1, code, -1, SQLITE_STATIC);
	if (sqlite3_step(q) == SQLITE_ROW)
		name = xasprintf("%s, %s", sqlite3_column_text(q, 0), sqlite3_column_text(q, 1));
	sqlite3_finalize(q);
	return name;
}

static int dossier_open(struct app *app, void *priv, const void *arg)
{
	struct dossier_view *v = priv;
	const char *code = arg;
	struct strbuf err = STRBUF_INIT;
	v->app = app;
	int rc = dossier_get(&app->store, code ? code : "", &v->d, &err);
	if (rc <= 0) {
		if (rc < 0)
			app_error(app, "%s", err.buf);
		else
			app_error(app, "Không tìm thấy hồ sơ %s", code ? code : "");
		strbuf_release(&err);
		return -1;
	}
	strbuf_release(&err);
	v->clerk_name = clerk_name(&app->store, v->d.clerk);
	v->commune = commune_name(&app->store, v->d.commune_code);
	struct mc_dt now;
	char nowtext[20] = "";
	if (!clock_now(&now))
		mc_format_dt(nowtext, sizeof(nowtext), &now);
	v->overdue = (DQ_OPEN & DQ_STATUS(v->d.status)) && strcmp(v->d.appointment, nowtext) < 0;
	return 0;
}

static void dossier_done(struct app *app, void *priv)
{
	struct dossier_view *v = priv;
	(void)app;
	drop_lines(v);
	free(v->lines);
	free(v->clerk_name);
	free(v->commune);
	dossier_detail_release(&v->d);
}

static size_t max_top(const struct dossier_view *v)
{
	size_t page = v->page > 0 ? (size_t)v->page : 1;
	return v->n > page ? v->n - page : 0;
}

static void dossier_draw(struct app *app, void *priv, WINDOW *win, const struct rect *body)
{
	struct dossier_view *v = priv;
	(void)app;
	int x = body->x + 1, w = body->w - 2;
	if (w != v->width)
		build(v, w);
	v->page = body->h - 1;
	if (v->top > max_top(v))
		v->top = max_top(v);

	char *title = xasprintf("Hồ sơ %s", v->d.code);
	char right[48] = "";
	if (v->n > (size_t)v->page) {
		size_t last = v->top + (size_t)v->page;
		snprintf(right, sizeof(right), "dòng %zu–%zu/%zu", v->top + 1,
			 last < v->n ? last : v->n, v->n);
	}
	int rw = mc_text_width(right);
	wattrset(win, term_style(STYLE_HEADER));
	term_text(win, body->y, x, w - rw - 1, title);
	wattrset(win, term_style(STYLE_DIM));
	term_text(win, body->y, x + w - rw, rw, right);
	free(title);

	for (int r = 0; r < v->page && v->top + (size_t)r < v->n; r++) {
		const struct detail_line *l = &v->lines[v->top + (size_t)r];
		wattrset(win, term_style(l->style) | l->extra);
		term_text(win, body->y + 1 + r, x, w, l->text);
	}
	wattrset(win, term_style(STYLE_NORMAL));
}

static void scroll_by(struct dossier_view *v, long delta)
{
	if (delta < 0 && (size_t)-delta > v->top)
		v->top = 0;
	else
		v->top += (size_t)delta;
	if (v->top > max_top(v))
		v->top = max_top(v);
}

/* Writes the receipt again into the receipts folder next to the store
 * (reception_receipt_dir) and sends it to the printer when one is set. */
static int reprint(struct dossier_view *v)
{
	struct store *st = &v->app->store;
	struct strbuf err = STRBUF_INIT;
	char *dir = reception_receipt_dir(st);
	char *path = xasprintf("%s/%s.pdf", dir, v->d.code);
	char *printer = NULL;
	if (mkdir(dir, 0700) && errno != EEXIST) {
		app_error(v->app, "Không tạo được thư mục giấy tiếp nhận %s: %s", dir,
			  strerror(errno));
	} else if (reception_write_receipt(st, v->d.code, path, &err)) {
		app_error(v->app, "Không ghi được giấy tiếp nhận: %s", err.buf);
	} else {
		printer = store_get_setting(st, "printer");
		if (!printer || !*printer)
			app_info(v->app, "Chưa cấu hình máy in: đã ghi %s", path);
		else if (print_pdf(printer, path, &err))
			app_error(v->app, "Không in được: %s. Đã ghi %s", err.buf, path);
		else
			app_info(v->app, "Đã gửi giấy tiếp nhận tới máy in %s", printer);
	}
	free(printer);
	free(path);
	free(dir);
	strbuf_release(&err);
	return SCR_HANDLED;
}

static int dossier_handle(struct app *app, void *priv, enum action act,
			  const struct key_event *ev)
{
	struct dossier_view *v = priv;
	(void)app;
	(void)ev;
	long page = v->page > 1 ? v->page - 1 : 1;
	switch (act) {
	case ACTION_MOVE_UP: scroll_by(v, -1); return SCR_HANDLED;
	case ACTION_MOVE_DOWN: scroll_by(v, 1); return SCR_HANDLED;
	case ACTION_PAGE_UP: scroll_by(v, -page); return SCR_HANDLED;
	case ACTION_PAGE_DOWN: scroll_by(v, page); return SCR_HANDLED;
	case ACTION_HOME: v->top = 0; return SCR_HANDLED;
	case ACTION_END: v->top = max_top(v); return SCR_HANDLED;
	case ACTION_PRINT: return reprint(v);
	default: return SCR_IGNORED;
	}
}

static const enum action dossier_hints[] = { ACTION_PRINT, ACTION_PAGE_DOWN, ACTION_BACK,
					     ACTION_NONE };

const struct screen_ops dossier_screen = {
	.name = "dossier",
	.title = "Chi tiết hồ sơ",
	.keymap = "detail",
	.private_size = sizeof(struct dossier_view),
	.hints = dossier_hints,
	.open = dossier_open,
	.draw = dossier_draw,
	.handle = dossier_handle,
	.done = dossier_done,
};
