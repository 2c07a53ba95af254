/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The dossier list: one filter at a time (F3 menu), a live search line (/)
 * over every dossier whatever the filter, and Enter to open a dossier.
 *
 * The list never holds more than a few pages: the listview asks for rows by
 * index and fetch_rows takes them from the query layer's pager
 * (client/store/dossier_query.h), which moves its window with keyset pages, so
 * scrolling a million dossiers costs one small query per page. The search
 * keeps the results loaded so far (SEARCH_CHUNK at a time, more as the
 * selection nears their end). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "client/tui/app.h"
#include "client/store/calendar_store.h"
#include "client/base/clock.h"
#include "client/store/dossier_query.h"
#include "client/tui/listview.h"
#include "client/tui/menu.h"
#include "core/lifecycle.h"
#include "core/text.h"
#include "screens/screens.h"

#define SEARCH_CHUNK 100
#define PAGER_ROWS 50 /* rows per read of the list */
#define SOON_WORKING_DAYS 2
#define SEARCH_HINT "mã hồ sơ, tên người nộp (không cần dấu) hoặc số định danh"

static const unsigned open_mask = DQ_STATUS(MC_ST_NEW) | DQ_STATUS(MC_ST_RECEIVED) |
				  DQ_STATUS(MC_ST_PROCESSING) | DQ_STATUS(MC_ST_SUPPLEMENT) |
				  DQ_STATUS(MC_ST_FINANCE) | DQ_STATUS(MC_ST_RESULT);
static const unsigned closed_mask = DQ_STATUS(MC_ST_REFUSED) | DQ_STATUS(MC_ST_WITHDRAWN) |
				    DQ_STATUS(MC_ST_STOPPED) | DQ_STATUS(MC_ST_RETURNED);

/* The filter menu, in enum dossiers_filter order. */
static const struct {
	const char *label;
	enum dossier_due due;
	unsigned status; /* status mask; 0 every status */
} filters[DOSSIERS__COUNT] = {
	[DOSSIERS_ALL] = { "Tất cả hồ sơ", DQ_DUE_ANY, 0 },
	[DOSSIERS_OPEN] = { "Chưa kết thúc", DQ_DUE_ANY, 0 },
	[DOSSIERS_RECEIVED] = { "Đã tiếp nhận", DQ_DUE_ANY, DQ_STATUS(MC_ST_RECEIVED) },
	[DOSSIERS_PROCESSING] = { "Đang xử lý", DQ_DUE_ANY, DQ_STATUS(MC_ST_PROCESSING) },
	[DOSSIERS_SUPPLEMENT] = { "Chờ bổ sung", DQ_DUE_ANY, DQ_STATUS(MC_ST_SUPPLEMENT) },
	[DOSSIERS_RESULT] = { "Đã có kết quả", DQ_DUE_ANY, DQ_STATUS(MC_ST_RESULT) },
	[DOSSIERS_RETURNED] = { "Đã trả kết quả", DQ_DUE_ANY, DQ_STATUS(MC_ST_RETURNED) },
	[DOSSIERS_CLOSED] = { "Đã kết thúc", DQ_DUE_ANY, 0 },
	[DOSSIERS_OVERDUE] = { "Quá hạn", DQ_DUE_OVERDUE, 0 },
	[DOSSIERS_DUE_TODAY] = { "Đến hạn trả hôm nay", DQ_DUE_TODAY, 0 },
	[DOSSIERS_DUE_SOON] = { "Đến hạn trong 2 ngày làm việc", DQ_DUE_SOON, 0 },
	[DOSSIERS_RECEIVED_TODAY] = { "Tiếp nhận hôm nay", DQ_DUE_RECEIVED_TODAY, 0 },
};

/* Menu rows: headings (-1) and filters. */
static const int menu_rows[] = {
	-1, DOSSIERS_ALL, DOSSIERS_OPEN, DOSSIERS_RECEIVED, DOSSIERS_PROCESSING,
	DOSSIERS_SUPPLEMENT, DOSSIERS_RESULT, DOSSIERS_RETURNED, DOSSIERS_CLOSED,
	-2, DOSSIERS_OVERDUE, DOSSIERS_DUE_TODAY, DOSSIERS_DUE_SOON, DOSSIERS_RECEIVED_TODAY,
};
#define N_MENU_ROWS ((int)(sizeof(menu_rows) / sizeof(menu_rows[0])))
#define MENU_W 40

struct dossiers {
	struct app *app;
	struct mc_dt now;
	int width;        /* the list's width when its rows were formatted */

	enum dossiers_filter filter;
	struct dossier_filter query;
	struct dossier_pager pager; /* the filtered list's rows by index */
	long total;       /* rows of the filtered list */
	struct listview lv;

	bool searching;   /* the search line is shown and has the focus */
	bool active;      /* it holds something to search: the list shows results */
	struct field search;
	struct dossier_rows found; /* search results loaded so far */
	bool more;                 /* there may be more after them */

	bool menu;        /* the filter menu is open */
	struct menu filter_menu;
	struct menu_item menu_items[N_MENU_ROWS]; /* its rows, from menu_rows */
};

/* ---- formatting ------------------------------------------------------ */

/* "1.234.567" (Vietnamese grouping). */
static void format_count(char *buf, size_t n, long v)
{
	char digits[32];
	snprintf(digits, sizeof(digits), "%ld", v < 0 ? 0 : v);
	size_t len = strlen(digits), o = 0;
	for (size_t i = 0; i < len && o + 2 < n; i++) {
		if (i && (len - i) % 3 == 0)
			buf[o++] = '.';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
}

/* "YYYY-MM-DDTHH:MM" in a column of width 11 ("DD/MM HH:MM") or 5
 * ("DD/MM"). Another year than this one shows instead as "DD/MM/YYYY"
 * or "YYYY": a date two years old must not pass for this week's. */
static void format_short(char *buf, size_t n, const char *at, int width, int this_year)
{
	struct mc_dt t;
	if (mc_parse_dt(at, &t))
		snprintf(buf, n, "%s", at);
	else if (t.y != this_year && width > 5)
		snprintf(buf, n, "%02d/%02d/%04d", t.d, t.m, t.y);
	else if (t.y != this_year)
		snprintf(buf, n, "%04d", t.y);
	else if (width > 5)
		snprintf(buf, n, "%02d/%02d %02d:%02d", t.d, t.m, t.hh, t.mi);
	else
		snprintf(buf, n, "%02d/%02d", t.d, t.m);
}

static bool is_overdue(const struct dossiers *s, const struct dossier_row *r)
{
	char now[20];
	mc_format_dt(now, sizeof(now), &s->now);
	return (DQ_OPEN & DQ_STATUS(r->status)) && strcmp(r->appointment, now) < 0;
}

/* Codes are "<unit identifier>-YYMMDD-NNNN": below FULL_CODE_COLS columns
 * the list shows the part after the identifier ("250805-0001", what the
 * clerk reads and types); the detail shows the whole code. */
#define FULL_CODE_COLS 120
#define CODE_W 26

static const char *shown_code(const char *code, int width)
{
	const char *dash = strchr(code, '-');
	return width < FULL_CODE_COLS && dash && dash[1] ? dash + 1 : code;
}

/* "Thủ tục đăng ký khai sinh" -> "Đăng ký khai sinh": the column is narrow
 * and nearly every name starts with the same words (malloc'd). */
static char *procedure_label(const char *name)
{
	static const char prefix[] = "Thủ tục ";
	size_t n = sizeof(prefix) - 1;
	if (strncmp(name, prefix, n) || !name[n])
		return xstrdup(name);
	const char *rest = name + n;
	int32_t cp;
	size_t used = mc_utf8_next(rest, strlen(rest), &cp);
	char first[8];
	size_t len = mc_utf8_put(utf8proc_toupper(cp), first);
	return xasprintf("%.*s%s", (int)len, first, rest + used);
}

enum { COL_CODE, COL_NAME, COL_PROC, COL_STATUS, COL_RECEIVED, COL_DUE, N_COLS };

/* Column widths for a list width columns wide; the procedure takes the rest. */
static void columns(int width, struct listview_column cols[N_COLS])
{
	bool wide = width >= 96;
	cols[COL_CODE] = (struct listview_column){ width >= FULL_CODE_COLS ? CODE_W : 12, false };
	cols[COL_NAME] = (struct listview_column){ wide ? 20 : 16, false };
	cols[COL_PROC] = (struct listview_column){ 0, false };
	cols[COL_STATUS] = (struct listview_column){ width >= FULL_CODE_COLS ? 20 : wide ? 16 : 14,
						    false };
	cols[COL_RECEIVED] = (struct listview_column){ wide ? 11 : 5, false };
	cols[COL_DUE] = (struct listview_column){ 11, false };
}

static char *format_heading(int width)
{
	struct listview_column cols[N_COLS];
	columns(width, cols);
	const char *cells[N_COLS] = { " Mã hồ sơ", "Người nộp", "Thủ tục", "Trạng thái",
				      width >= 96 ? "Tiếp nhận" : "Nhận", "Hẹn trả" };
	return listview_columns(cols, N_COLS, cells, width);
}

/* One row; overdue ones start with "!" and are bold. */
static void format_row(const struct dossiers *s, const struct dossier_row *r,
		       struct listview_row *out)
{
	struct listview_column cols[N_COLS];
	columns(s->width, cols);
	bool late = is_overdue(s, r);
	char *code = xasprintf("%s%s", late ? "!" : " ", shown_code(r->code, s->width));
	char received[20], due[20];
	format_short(received, sizeof(received), r->received_at, cols[COL_RECEIVED].width,
		     s->now.y);
	format_short(due, sizeof(due), r->appointment, cols[COL_DUE].width, s->now.y);
	const char *status = mc_status_name(r->status);
	char *proc = procedure_label(r->procedure_name);
	const char *cells[N_COLS] = { code, r->applicant_name, proc,
				      status ? status : "?", received, due };
	out->text = listview_columns(cols, N_COLS, cells, s->width);
	out->attr = late ? A_BOLD : 0;
	free(proc);
	free(code);
}

/* ---- the filtered list ------------------------------------------------- */

static bool showing_search(const struct dossiers *s)
{
	return s->searching && s->active;
}

/* Working days are the store's calendar: "within 2 working days" ends on
 * the second working day after today. */
static int soon_days(struct dossiers *s)
{
	struct mc_calendar cal;
	struct strbuf err = STRBUF_INIT;
	mc_calendar_init(&cal);
	int days = SOON_WORKING_DAYS;
	if (calendar_load_store(&s->app->store, &cal, &err)) {
		app_error(s->app, "Lịch làm việc: %s", err.buf);
	} else {
		long today = mc_days_from_civil(s->now.y, s->now.m, s->now.d), day = today;
		for (int i = 0; i < SOON_WORKING_DAYS && day >= 0; i++)
			day = mc_next_working_day(&cal, day);
		if (day > today)
			days = (int)(day - today);
	}
	mc_calendar_release(&cal);
	strbuf_release(&err);
	return days;
}

static void set_empty_text(struct dossiers *s)
{
	char *text;
	if (showing_search(s))
		text = xasprintf(" Không tìm thấy hồ sơ nào khớp với “%s”", field_text(&s->search));
	else if (s->filter == DOSSIERS_ALL)
		text = xstrdup(" Chưa có hồ sơ nào");
	else
		text = xasprintf(" Không có hồ sơ nào: %s", filters[s->filter].label);
	listview_set_empty(&s->lv, text);
	free(text);
}

/* Opens the pager on the filtered list again: counts it, and the rows are
 * read on the next draw. */
static void recount(struct dossiers *s)
{
	struct strbuf err = STRBUF_INIT;
	dossier_pager_release(&s->pager);
	if (dossier_pager_open(&s->pager, &s->app->store, &s->query, PAGER_ROWS, &err)) {
		app_error(s->app, "%s", err.buf);
		s->pager.total = 0;
	}
	s->total = s->pager.total;
	strbuf_release(&err);
	if (!showing_search(s))
		listview_set_count(&s->lv, (size_t)s->total);
	set_empty_text(s);
}

static void set_filter(struct dossiers *s, enum dossiers_filter f)
{
	s->filter = f;
	dossier_filter_init(&s->query, &s->now);
	s->query.due = filters[f].due;
	s->query.status_mask = f == DOSSIERS_OPEN ? open_mask
			     : f == DOSSIERS_CLOSED ? closed_mask : filters[f].status;
	bool by_due = f == DOSSIERS_OVERDUE || f == DOSSIERS_DUE_TODAY || f == DOSSIERS_DUE_SOON;
	s->query.order = by_due ? DQ_BY_APPOINTMENT : DQ_BY_RECEIVED;
	if (f == DOSSIERS_DUE_SOON)
		s->query.days = soon_days(s);
	recount(s);
	listview_home(&s->lv);
}

/* The row at index i of what the list shows, or NULL. */
static const struct dossier_row *row_at(struct dossiers *s, size_t i)
{
	if (showing_search(s))
		return i < s->found.n ? &s->found.v[i] : NULL;
	struct strbuf err = STRBUF_INIT;
	const struct dossier_row *r = dossier_pager_row(&s->pager, (long)i, &err);
	if (!r && err.len)
		app_error(s->app, "%s", err.buf);
	strbuf_release(&err);
	return r;
}

static size_t fetch_rows(void *data, size_t first, size_t count, struct listview_row *rows)
{
	struct dossiers *s = data;
	size_t filled = 0;
	for (size_t i = 0; i < count; i++) {
		const struct dossier_row *r = row_at(s, first + i);
		if (!r)
			continue;
		format_row(s, r, &rows[i]);
		filled = i + 1;
	}
	return filled;
}

/* ---- search ------------------------------------------------------------ */

/* Loads the next chunk of results. */
static void search_more(struct dossiers *s)
{
	struct strbuf err = STRBUF_INIT;
	int n = dossier_search(&s->app->store, field_text(&s->search), 0, (int)s->found.n,
			       SEARCH_CHUNK, &s->found, &err);
	if (n < 0)
		app_error(s->app, "%s", err.buf);
	s->more = n == SEARCH_CHUNK;
	strbuf_release(&err);
	listview_set_count(&s->lv, s->found.n);
}

/* The text changed: search again from the first result. */
static void search_run(struct dossiers *s)
{
	dossier_rows_release(&s->found);
	s->more = false;
	s->active = s->searching && dossier_query_kind(field_text(&s->search)) != DQ_KIND_EMPTY;
	if (showing_search(s))
		search_more(s);
	else
		listview_set_count(&s->lv, (size_t)s->total);
	listview_invalidate(&s->lv);
	listview_home(&s->lv);
	set_empty_text(s);
}

/* Near the end of the loaded results: load more. */
static void search_follow(struct dossiers *s)
{
	if (showing_search(s) && s->more &&
	    s->lv.selected + 2 * (size_t)s->lv.height >= s->found.n)
		search_more(s);
}

static void search_close(struct dossiers *s)
{
	s->searching = false;
	field_clear(&s->search);
	search_run(s);
}

/* ---- the screen ---------------------------------------------------------- */

static int dossiers_open(struct app *app, void *priv, const void *arg)
{
	struct dossiers *s = priv;
	s->app = app;
	s->width = LAYOUT_MIN_COLS;
	if (clock_now(&s->now))
		return -1;
	dossier_rows_init(&s->found);
	field_init(&s->search, 60, 0);
	field_set_hint(&s->search, SEARCH_HINT);
	listview_init(&s->lv, fetch_rows, s);
	for (int i = 0; i < N_MENU_ROWS; i++) {
		int f = menu_rows[i];
		s->menu_items[i] = (struct menu_item){ .id = f, .heading = f < 0,
			.label = f == -1 ? "Theo trạng thái" : f == -2 ? "Theo hạn trả" : filters[f].label };
	}
	const enum dossiers_filter *f = arg;
	set_filter(s, f && *f < DOSSIERS__COUNT ? *f : DOSSIERS_ALL);
	return 0;
}

/* Back from a dossier: the counts and rows may have changed. */
static void dossiers_resume(struct app *app, void *priv)
{
	struct dossiers *s = priv;
	(void)app;
	clock_now(&s->now);
	s->query.now = s->now;
	recount(s);
	listview_invalidate(&s->lv);
}

static void dossiers_done(struct app *app, void *priv)
{
	struct dossiers *s = priv;
	(void)app;
	listview_release(&s->lv);
	dossier_pager_release(&s->pager);
	dossier_rows_release(&s->found);
	field_release(&s->search);
}

static void draw_header(struct dossiers *s, WINDOW *win, const struct rect *body)
{
	int y = body->y, x = body->x + 1, w = body->w - 2;
	char count[32], right[64];
	if (s->searching) {
		bool any = showing_search(s);
		format_count(count, sizeof(count), (long)s->found.n);
		snprintf(right, sizeof(right), "%s%s kết quả", any ? count : "",
			 any ? (s->more ? "+" : "") : "");
		if (!any)
			right[0] = '\0';
		int rw = mc_text_width(right);
		wattrset(win, term_style(STYLE_HEADER));
		int lw = term_text(win, y, x, w, "Tìm:");
		wattrset(win, term_style(STYLE_NORMAL));
		term_text(win, y, x + w - rw, rw, right);
		int fx = x + lw + 1, fw = w - lw - 1 - (rw ? rw + 2 : 0);
		field_draw(&s->search, win, y, fx, fw, !s->menu);
		if (!s->menu)
			app_set_cursor(s->app, y, fx + field_layout(&s->search, fw));
		return;
	}
	format_count(count, sizeof(count), s->total);
	char *left = xasprintf("Lọc: %s", filters[s->filter].label);
	snprintf(right, sizeof(right), "%s hồ sơ", count);
	int rw = mc_text_width(right);
	wattrset(win, term_style(STYLE_HEADER));
	term_text(win, y, x, w - rw - 1, left);
	term_text(win, y, x + w - rw, rw, right);
	wattrset(win, term_style(STYLE_NORMAL));
	free(left);
}

static void dossiers_draw(struct app *app, void *priv, WINDOW *win, const struct rect *body)
{
	struct dossiers *s = priv;
	(void)app;
	if (body->w != s->width) {
		s->width = body->w;
		listview_invalidate(&s->lv);
	}
	draw_header(s, win, body);
	char *heading = format_heading(s->width);
	wattrset(win, term_style(STYLE_DIM) | A_UNDERLINE);
	term_text(win, body->y + 1, body->x, body->w, heading);
	wattrset(win, term_style(STYLE_NORMAL));
	free(heading);
	listview_draw(&s->lv, win, body->y + 2, body->x, body->w, body->h - 2, !s->menu);
	if (s->menu)
		menu_draw(&s->filter_menu, win, body);
}

/* The filter menu (F3), the current filter marked and selected. */
static void menu_show(struct dossiers *s)
{
	int row = 0;
	for (int i = 0; i < N_MENU_ROWS; i++)
		if (menu_rows[i] == (int)s->filter)
			row = i;
	menu_open(&s->filter_menu, "Lọc danh sách", s->menu_items, N_MENU_ROWS, s);
	s->filter_menu.width = MENU_W;
	s->filter_menu.marked = row;
	menu_select(&s->filter_menu, (size_t)row);
	s->menu = true;
}

static int menu_handle(struct dossiers *s, enum action act)
{
	switch (menu_key(&s->filter_menu, act, 0)) {
	case MENU_CHOSEN:
		s->menu = false;
		if (s->searching)
			search_close(s);
		set_filter(s, (enum dossiers_filter)s->menu_items[s->filter_menu.chosen].id);
		return SCR_HANDLED;
	case MENU_CLOSED:
		s->menu = false;
		return SCR_HANDLED;
	case MENU_HANDLED:
		return SCR_HANDLED;
	case MENU_IGNORED:
		break;
	}
	switch (act) {
	case ACTION_FILTER:
		s->menu = false;
		return SCR_HANDLED;
	case ACTION_HELP:
	case ACTION_QUIT:
		return SCR_IGNORED;
	default:
		return SCR_HANDLED;
	}
}

static int open_selected(struct dossiers *s)
{
	listview_row(&s->lv, s->lv.selected); /* fetches the page if needed */
	const struct dossier_row *r = s->lv.count ? row_at(s, s->lv.selected) : NULL;
	if (!r) {
		app_info(s->app, "Không có hồ sơ nào để mở");
		return SCR_HANDLED;
	}
	char *code = xstrdup(r->code);
	app_push_screen(s->app, &dossier_screen, code);
	free(code);
	return SCR_HANDLED;
}

static int search_handle(struct dossiers *s, enum action act, const struct key_event *ev)
{
	wint_t c = key_event_char(ev);
	if (!c) {
		switch (act) {
		case ACTION_CONFIRM:
			return open_selected(s);
		case ACTION_BACK:
			search_close(s);
			return SCR_HANDLED;
		case ACTION_FILTER:
			menu_show(s);
			return SCR_HANDLED;
		case ACTION_TOGGLE_TELEX:
			field_key(&s->search, ACTION_TOGGLE_TELEX, 0);
			app_info(s->app, "Gõ Telex: %s", s->search.telex ? "bật" : "tắt");
			return SCR_HANDLED;
		default:
			break;
		}
	}
	/* the text, or an editing key; the rest (the moves) is the loop's */
	enum widget_rc rc = field_key(&s->search, ev->edit, c);
	if (rc == WIDGET_CHANGED)
		search_run(s);
	if (rc == WIDGET_REFUSED)
		beep();
	return rc == WIDGET_IGNORED ? SCR_IGNORED : SCR_HANDLED;
}

static int dossiers_handle(struct app *app, void *priv, enum action act,
			   const struct key_event *ev)
{
	struct dossiers *s = priv;
	(void)app;
	if (s->menu)
		return menu_handle(s, act);
	if (s->searching)
		return search_handle(s, act, ev);
	switch (act) {
	case ACTION_CONFIRM:
		return open_selected(s);
	case ACTION_SEARCH:
		s->searching = true;
		return SCR_HANDLED;
	case ACTION_FILTER:
		menu_show(s);
		return SCR_HANDLED;
	default:
		return SCR_IGNORED;
	}
}

static struct listview *dossiers_list(struct app *app, void *priv, enum action act)
{
	struct dossiers *s = priv;
	return s->menu ? NULL : &s->lv;
}

/* The selection moved: more results when it nears the end of those read. */
static void dossiers_moved(struct app *app, void *priv, struct listview *lv)
{
	search_follow(priv);
}

static const enum action dossiers_hints[] = { ACTION_SEARCH, ACTION_FILTER, ACTION_CONFIRM,
					      ACTION_BACK, ACTION_NONE };

const struct screen_ops dossiers_screen = {
	.name = "dossiers",
	.title = "Danh sách hồ sơ",
	.keymap = "dossiers",
	.fields = true,
	.private_size = sizeof(struct dossiers),
	.hints = dossiers_hints,
	.open = dossiers_open,
	.resume = dossiers_resume,
	.draw = dossiers_draw,
	.handle = dossiers_handle,
	.list = dossiers_list,
	.moved = dossiers_moved,
	.done = dossiers_done,
};
