/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The procedure catalog: browse by field (lĩnh vực) or search by name or
 * code, as typed (with or without diacritics, or through the built-in Telex).
 *
 * Browsing: the fields with their procedure counts; Enter lists the field's
 * procedures (code, name, processing time). From WIDE_MIN_COLS columns the
 * two lists stand side by side and the procedures follow the field
 * selection; below it (80x24) one list is shown at a time and Esc goes back
 * from the procedures to the fields.
 *
 * Searching: `/` (or any unbound letter or digit) opens a search line over
 * the list; every change reruns catalog_search and the list shows the
 * results live; Up/Down move, Enter opens, Esc leaves the search. FILTER
 * (F3) searches in the selected field only, and switches that on and off
 * while searching.
 *
 * The bottom lines of the body show the selected procedure's whole name,
 * which the list clips. Enter opens the procedure (screens/procedure.c);
 * OPEN_RECEPTION starts a reception with the selected procedure. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/tui/app.h"
#include "client/store/catalog.h"
#include "client/tui/dialog.h"
#include "client/tui/listview.h"
#include "core/text.h"
#include "screens/screens.h"

#define WIDE_MIN_COLS 120 /* two panes from this body width */
#define FIELDS_PANE_W 46  /* the field list's width in two panes */
#define PREVIEW_LINES 3   /* the selected procedure, under the list */
#define SEARCH_MAX 100    /* characters in the search line */
#define CODE_W 8          /* "1.001193" */
#define TIME_W 16         /* "15 ngày làm việc" */
#define COUNT_W 5

enum view {
	VIEW_FIELDS, /* the field list has the focus */
	VIEW_PROCS   /* the procedure list has the focus */
};

struct catalog {
	struct catalog_fields fields;
	int total;                   /* procedures in every field */
	struct catalog_procs procs;  /* the selected field's, or the search results */
	size_t procs_of;             /* the field procs belong to; SIZE_MAX: search */
	struct listview lv_fields, lv_procs;
	enum view view;
	bool searching;
	bool in_field;               /* the search covers the selected field only */
	struct field search;
	bool wide;                   /* two panes, as last drawn */
	int fields_w, procs_w;       /* row widths, as last drawn */
};

/* Starting a reception: the wizard opens on the applicant page with the
 * procedure chosen. */
int catalog_start_reception(struct app *app, const char *code)
{
	app_push_screen(app, &reception_screen, code);
	return SCR_HANDLED;
}

/* Rows */

static size_t fetch_fields(void *data, size_t first, size_t count, struct listview_row *rows)
{
	struct catalog *s = data;
	static const struct listview_column cols[] = { { 0, false }, { COUNT_W, true } };
	size_t n = 0;
	for (; n < count && first + n < s->fields.n; n++) {
		const struct catalog_field *f = &s->fields.items[first + n];
		char num[16];
		snprintf(num, sizeof(num), "%d", f->count);
		const char *cells[] = { f->field, num };
		rows[n].text = listview_columns(cols, 2, cells, s->fields_w);
	}
	return n;
}

static size_t fetch_procs(void *data, size_t first, size_t count, struct listview_row *rows)
{
	struct catalog *s = data;
	static const struct listview_column cols[] = { { CODE_W, false }, { 0, false },
						       { TIME_W, false } };
	size_t n = 0;
	for (; n < count && first + n < s->procs.n; n++) {
		const struct catalog_proc *p = &s->procs.items[first + n];
		char time[128];
		catalog_time_display(p, time, sizeof(time));
		const char *cells[] = { p->code, p->name, time };
		rows[n].text = listview_columns(cols, 3, cells, s->procs_w);
	}
	return n;
}

/* Loading */

static const struct catalog_field *selected_field(const struct catalog *s)
{
	return s->lv_fields.selected < s->fields.n ? &s->fields.items[s->lv_fields.selected] : NULL;
}

static const struct catalog_proc *selected_proc(const struct catalog *s)
{
	return s->lv_procs.selected < s->procs.n ? &s->procs.items[s->lv_procs.selected] : NULL;
}

static void set_procs(struct catalog *s, struct catalog_procs *p, size_t of)
{
	catalog_procs_release(&s->procs);
	s->procs = *p;
	s->procs_of = of;
	s->lv_procs.selected = 0;
	s->lv_procs.top = 0;
	listview_set_count(&s->lv_procs, s->procs.n);
	listview_invalidate(&s->lv_procs);
}

struct keyed_proc {
	char *key;
	struct catalog_proc proc;
};

static int keyed_cmp(const void *a, const void *b)
{
	const struct keyed_proc *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c ? c : strcmp(x->proc.code, y->proc.code);
}

/* In Vietnamese order: by the folded name ("đăng" with "dang", before
 * "ghi"), a leading "Thủ tục" aside as in search, not by bytes as the
 * store returns them. */
static void sort_by_name(struct catalog_procs *p)
{
	struct keyed_proc *k = xmalloc((p->n ? p->n : 1) * sizeof(*k));
	for (size_t i = 0; i < p->n; i++) {
		char *fold = mc_text_fold(p->items[i].name);
		static const char tt[] = "thu tuc ";
		bool skip = !strncmp(fold, tt, sizeof(tt) - 1);
		k[i].key = xstrdup(fold + (skip ? sizeof(tt) - 1 : 0));
		free(fold);
		k[i].proc = p->items[i];
	}
	qsort(k, p->n, sizeof(*k), keyed_cmp);
	for (size_t i = 0; i < p->n; i++) {
		p->items[i] = k[i].proc;
		free(k[i].key);
	}
	free(k);
}

/* The procedures of the selected field, unless they are already listed. */
static void load_field_procs(struct app *app, struct catalog *s)
{
	const struct catalog_field *f = selected_field(s);
	if (!f || s->procs_of == s->lv_fields.selected)
		return;
	struct catalog_procs p;
	catalog_by_field(&app->store, f->field, &p);
	sort_by_name(&p);
	set_procs(s, &p, s->lv_fields.selected);
}

static bool blank(const char *t)
{
	return !t[strspn(t, " ")];
}

static void run_search(struct app *app, struct catalog *s)
{
	struct catalog_procs p = { NULL, 0 };
	const char *text = field_text(&s->search);
	const struct catalog_field *f = s->in_field ? selected_field(s) : NULL;
	if (!blank(text))
		catalog_search(&app->store, text, f ? f->field : NULL, 0, &p);
	set_procs(s, &p, SIZE_MAX);
	listview_set_empty(&s->lv_procs, blank(text) ? "Gõ tên thủ tục (có dấu hay không dấu)"
						       " hoặc mã thủ tục, ví dụ 1.001193"
						     : "Không tìm thấy thủ tục nào");
}

static void start_search(struct app *app, struct catalog *s, bool in_field)
{
	s->searching = true;
	s->in_field = in_field;
	field_clear(&s->search);
	run_search(app, s);
}

static void leave_search(struct app *app, struct catalog *s)
{
	s->searching = false;
	s->in_field = false;
	field_clear(&s->search);
	listview_set_empty(&s->lv_procs, "Không có thủ tục nào");
	s->procs_of = SIZE_MAX;
	load_field_procs(app, s); /* back to the list the search covered */
}

static int catalog_open(struct app *app, void *priv, const void *arg)
{
	struct catalog *s = priv;
	(void)arg;
	catalog_fields(&app->store, &s->fields);
	for (size_t i = 0; i < s->fields.n; i++)
		s->total += s->fields.items[i].count;
	listview_init(&s->lv_fields, fetch_fields, s);
	listview_init(&s->lv_procs, fetch_procs, s);
	listview_set_empty(&s->lv_fields, "Danh mục thủ tục trống: hãy nhập bằng lệnh motcua init");
	listview_set_empty(&s->lv_procs, "Không có thủ tục nào");
	listview_set_count(&s->lv_fields, s->fields.n);
	field_init(&s->search, SEARCH_MAX, 0);
	field_set_hint(&s->search, "tên hoặc mã thủ tục");
	s->procs_of = SIZE_MAX;
	s->fields_w = s->procs_w = 1;
	load_field_procs(app, s);
	return 0;
}

static void catalog_done(struct app *app, void *priv)
{
	struct catalog *s = priv;
	(void)app;
	listview_release(&s->lv_fields);
	listview_release(&s->lv_procs);
	field_release(&s->search);
	catalog_fields_release(&s->fields);
	catalog_procs_release(&s->procs);
}

/* Drawing */

static void text_at(WINDOW *win, int y, int x, int w, enum style st, const char *t)
{
	wattrset(win, term_style(st));
	term_text(win, y, x, w, t);
	wattrset(win, term_style(STYLE_NORMAL));
}

/* t on the left, right on the right of a w-column line. */
static void line_lr(WINDOW *win, int y, int x, int w, enum style st, const char *t,
		    const char *right)
{
	int rw = right ? mc_text_width(right) : 0;
	text_at(win, y, x, rw ? w - rw - 1 : w, st, t);
	if (rw && rw < w)
		text_at(win, y, x + w - rw, rw, STYLE_DIM, right);
}

static void set_width(struct listview *lv, int *have, int w)
{
	if (*have != w) {
		*have = w;
		listview_invalidate(lv);
	}
}

static void draw_fields(struct catalog *s, WINDOW *win, int y, int x, int w, int h)
{
	char *head = xasprintf("Lĩnh vực (%zu)", s->fields.n);
	char *right = xasprintf("%d thủ tục", s->total);
	line_lr(win, y, x, w, STYLE_HEADER, head, right);
	free(head);
	free(right);
	static const struct listview_column cols[] = { { 0, false }, { COUNT_W, true } };
	const char *cells[] = { "Tên lĩnh vực", "Số TT" };
	char *ch = listview_columns(cols, 2, cells, w);
	text_at(win, y + 1, x, w, STYLE_DIM, ch);
	free(ch);
	set_width(&s->lv_fields, &s->fields_w, w);
	listview_draw(&s->lv_fields, win, y + 2, x, w, h - 2, s->view == VIEW_FIELDS);
}

static void draw_procs(struct catalog *s, WINDOW *win, int y, int x, int w, int h)
{
	if (!s->searching) {
		const struct catalog_field *f = selected_field(s);
		char *right = xasprintf("%zu thủ tục", s->procs.n);
		line_lr(win, y, x, w, STYLE_HEADER, f ? f->field : "", right);
		free(right);
	}
	static const struct listview_column cols[] = { { CODE_W, false }, { 0, false },
						       { TIME_W, false } };
	const char *cells[] = { "Mã", "Tên thủ tục", "Thời hạn" };
	char *ch = listview_columns(cols, 3, cells, w);
	text_at(win, y + 1, x, w, STYLE_DIM, ch);
	free(ch);
	set_width(&s->lv_procs, &s->procs_w, w);
	listview_draw(&s->lv_procs, win, y + 2, x, w, h - 2, s->searching || s->view == VIEW_PROCS);
}

static void draw_search_line(struct app *app, struct catalog *s, WINDOW *win, int y, int x,
			     int w)
{
	const struct catalog_field *f = s->in_field ? selected_field(s) : NULL;
	char *label = f ? xasprintf("Tìm trong %s:", f->field) : xstrdup("Tìm thủ tục:");
	size_t cut = mc_text_clip(label, w / 2);
	label[cut] = '\0';
	int lw = mc_text_width(label);
	text_at(win, y, x, w, STYLE_HEADER, label);
	char right[32] = "";
	if (!blank(field_text(&s->search)))
		snprintf(right, sizeof(right), "%zu kết quả", s->procs.n);
	int rw = mc_text_width(right);
	int fx = x + lw + 1, fw = w - lw - 1 - (rw ? rw + 2 : 0);
	if (rw)
		text_at(win, y, x + w - rw, rw, STYLE_DIM, right);
	wattrset(win, term_style(STYLE_FOCUS));
	field_draw(&s->search, win, y, fx, fw, true);
	wattrset(win, term_style(STYLE_NORMAL));
	app_set_cursor(app, y, fx + field_layout(&s->search, fw));
	free(label);
}

/* The selected procedure's whole name (the list clips it), its field and
 * fee; or what Enter does on a field. */
static void draw_preview(struct catalog *s, WINDOW *win, int y, int x, int w)
{
	wattrset(win, term_style(STYLE_DIM));
	mvwhline(win, y, x, ACS_HLINE, w);
	wattrset(win, term_style(STYLE_NORMAL));
	y++;
	const struct catalog_proc *p = selected_proc(s);
	bool on_proc = p && (s->view == VIEW_PROCS || s->searching);
	if (!on_proc) {
		const struct catalog_field *f = selected_field(s);
		if (s->searching || !f)
			return;
		char *line = xasprintf("%s: %d thủ tục", f->field, f->count);
		text_at(win, y, x, w, STYLE_NORMAL, line);
		free(line);
		text_at(win, y + 1, x, w, STYLE_DIM,
			"Enter: xem các thủ tục của lĩnh vực   /: tìm theo tên hoặc mã");
		return;
	}
	size_t n;
	char *title = xasprintf("%s  %s", p->code, p->name);
	char **lines = dialog_wrap(title, w, &n);
	free(title);
	int room = PREVIEW_LINES - 1;
	for (int i = 0; i < room && (size_t)i < n; i++) {
		char *shown = lines[i];
		char *cut = NULL;
		if (i == room - 1 && (size_t)i + 1 < n) {
			size_t k = mc_text_clip(lines[i], w - 1);
			cut = xasprintf("%.*s…", (int)k, lines[i]);
			shown = cut;
		}
		text_at(win, y + i, x, w, STYLE_NORMAL, shown);
		free(cut);
	}
	dialog_wrap_free(lines, n);
	char *meta = xasprintf("Lĩnh vực: %s   Phí, lệ phí: %s%s", p->field,
			       p->fee_text && *p->fee_text ? p->fee_text : "không rõ",
			       p->needs_review ? "   (cần rà soát)" : "");
	text_at(win, y + room, x, w, STYLE_DIM, meta);
	free(meta);
}

static void catalog_draw(struct app *app, void *priv, WINDOW *win, const struct rect *body)
{
	struct catalog *s = priv;
	int x = body->x + 1, w = body->w - 2, y = body->y;
	int h = body->h - PREVIEW_LINES - 1; /* the lists' rows, headings included */
	s->wide = body->w >= WIDE_MIN_COLS;
	if (s->searching) {
		/* the results take the whole width, under the search line */
		draw_procs(s, win, y, x, w, h);
		draw_search_line(app, s, win, y, x, w);
	} else if (s->wide) {
		int fw = FIELDS_PANE_W;
		draw_fields(s, win, y, x, fw, h);
		wattrset(win, term_style(STYLE_DIM));
		mvwvline(win, y, x + fw + 1, ACS_VLINE, h);
		wattrset(win, term_style(STYLE_NORMAL));
		draw_procs(s, win, y, x + fw + 3, w - fw - 3, h);
	} else if (s->view == VIEW_FIELDS) {
		draw_fields(s, win, y, x, w, h);
	} else {
		draw_procs(s, win, y, x, w, h);
	}
	draw_preview(s, win, y + h, x, w);
}

/* Keys */

static void open_selected(struct app *app, struct catalog *s)
{
	const struct catalog_proc *p = selected_proc(s);
	if (p)
		app_push_screen(app, &procedure_screen, p->code);
}

static int reception(struct app *app, struct catalog *s)
{
	const struct catalog_proc *p = selected_proc(s);
	if (!p || !(s->view == VIEW_PROCS || s->searching))
		return SCR_IGNORED; /* a reception without a preselected procedure */
	return catalog_start_reception(app, p->code);
}

static void type_char(struct app *app, struct catalog *s, wint_t c)
{
	field_set_telex(&s->search, app->telex);
	if (field_insert_char(&s->search, c) == WIDGET_CHANGED)
		run_search(app, s);
}

static int handle_search(struct app *app, struct catalog *s, enum action act,
			 const struct key_event *ev)
{
	wint_t c = key_event_char(ev);
	if (c) {
		type_char(app, s, c);
		return SCR_HANDLED;
	}
	if (field_edits(ev->edit)) {
		if (field_key(&s->search, ev->edit, 0) == WIDGET_CHANGED)
			run_search(app, s);
		return SCR_HANDLED;
	}
	switch (act) {
	case ACTION_CONFIRM:
		open_selected(app, s);
		return SCR_HANDLED;
	case ACTION_BACK:
		leave_search(app, s);
		return SCR_HANDLED;
	case ACTION_OPEN_RECEPTION:
		return reception(app, s);
	case ACTION_FILTER:
		s->in_field = !s->in_field;
		run_search(app, s);
		return SCR_HANDLED;
	case ACTION_SEARCH:
	case ACTION_NEXT_FIELD:
	case ACTION_PREV_FIELD:
		return SCR_HANDLED;
	default:
		return SCR_IGNORED; /* the moves (catalog_list), Telex, help, quit... */
	}
}

static int handle_browse(struct app *app, struct catalog *s, enum action act,
			 const struct key_event *ev)
{
	switch (act) {
	case ACTION_CONFIRM:
		if (s->view == VIEW_FIELDS) {
			load_field_procs(app, s);
			if (s->procs.n)
				s->view = VIEW_PROCS;
		} else {
			open_selected(app, s);
		}
		return SCR_HANDLED;
	case ACTION_BACK:
		if (s->view == VIEW_FIELDS)
			return SCR_IGNORED; /* leave the catalog */
		s->view = VIEW_FIELDS;
		return SCR_HANDLED;
	case ACTION_NEXT_FIELD:
	case ACTION_PREV_FIELD:
		if (s->wide && (s->view == VIEW_PROCS || s->procs.n))
			s->view = s->view == VIEW_FIELDS ? VIEW_PROCS : VIEW_FIELDS;
		return SCR_HANDLED;
	case ACTION_SEARCH:
		start_search(app, s, false);
		return SCR_HANDLED;
	case ACTION_FILTER:
		start_search(app, s, true);
		return SCR_HANDLED;
	case ACTION_OPEN_RECEPTION:
		return reception(app, s);
	case ACTION_NONE: {
		/* an unbound letter or digit starts a search with it */
		wint_t c = key_event_char(ev);
		if (!c || c == ' ')
			return SCR_IGNORED;
		start_search(app, s, false);
		type_char(app, s, c);
		return SCR_HANDLED;
	}
	default:
		return SCR_IGNORED;
	}
}

static int catalog_handle(struct app *app, void *priv, enum action act, const struct key_event *ev)
{
	struct catalog *s = priv;
	return s->searching ? handle_search(app, s, act, ev) : handle_browse(app, s, act, ev);
}

/* The list the moves go to: the procedures while searching or when they
 * have the focus, else the fields. */
static struct listview *catalog_list(struct app *app, void *priv, enum action act)
{
	struct catalog *s = priv;
	return s->searching || s->view == VIEW_PROCS ? &s->lv_procs : &s->lv_fields;
}

/* A new field selected: its procedures (beside it in two panes). */
static void catalog_moved(struct app *app, void *priv, struct listview *lv)
{
	struct catalog *s = priv;
	if (!s->searching && s->view == VIEW_FIELDS)
		load_field_procs(app, s);
}

static const enum action catalog_hints[] = { ACTION_SEARCH, ACTION_OPEN_RECEPTION, ACTION_BACK,
					     ACTION_NONE };

const struct screen_ops catalog_screen = {
	.name = "catalog",
	.title = "Tra cứu thủ tục",
	.keymap = "catalog",
	.fields = true,
	.private_size = sizeof(struct catalog),
	.hints = catalog_hints,
	.open = catalog_open,
	.draw = catalog_draw,
	.handle = catalog_handle,
	.list = catalog_list,
	.moved = catalog_moved,
	.done = catalog_done,
};
