/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A supervisor's queue (from the supervisor screen): its dossiers with the
 * clerk in charge of each, across every unit of the store. s cycles the
 * order (due date, received, clerk, procedure); c and u cycle a clerk and a
 * unit filter; / filters by words (code, applicant, procedure, clerk,
 * without diacritics); x clears the filters; Enter opens the dossier; r
 * hands it to another clerk of its unit (a picker, then an optional reason:
 * client/services/dossier_action.h, dossier_reassign_commit). Read when the screen
 * opens and whenever it is on top again. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/tui/app.h"
#include "client/base/clock.h"
#include "client/tui/dialog.h"
#include "client/services/dossier_action.h"
#include "client/tui/listview.h"
#include "client/tui/menu.h"
#include "client/tui/picker.h"
#include "client/store/auth.h"
#include "client/store/supervision.h"
#include "core/text.h"
#include "screens/screens.h"

#define MAX_ROWS 5000

enum mode { M_LIST, M_TEXT, M_PICK, M_REASON };

struct superqueue {
	struct app *app;
	enum supervisor_queue q;
	struct queue_items items;
	size_t *shown, nshown;
	struct listview list; /* the selected row of shown (a page: the rows less one) */
	long top;
	enum queue_sort sort;
	char *clerk, *clerk_name, *unit, *text; /* filters, NULL: none */
	enum mode mode;
	struct dialog dlg;
	struct picker pick;
	char *code, *to, *to_name, *pick_unit, *pick_from; /* the dossier being reassigned */
};

static void select_rows(struct superqueue *s)
{
	free(s->shown);
	struct queue_view_filter f = { s->clerk, s->unit, s->text };
	s->nshown = queue_select(&s->items, &f, s->sort, &s->shown);
	listview_set_count(&s->list, s->nshown);
}

static const struct queue_item *selected(const struct superqueue *s)
{
	return s->nshown ? &s->items.v[s->shown[s->list.selected]] : NULL;
}

/* Reads the queue again, keeping the selection on the same dossier. */
static void reload(struct superqueue *s)
{
	const struct queue_item *it = selected(s);
	char *keep = it ? xstrdup(it->row.code) : NULL;
	queue_items_release(&s->items);
	struct mc_dt now;
	struct strbuf err = STRBUF_INIT;
	if (clock_now(&now) ||
	    queue_items_load(&s->app->store, s->q, &now, NULL, MAX_ROWS, &s->items, &err))
		app_error(s->app, "Không đọc được hàng chờ: %s", err.buf ? err.buf : "đồng hồ sai");
	strbuf_release(&err);
	select_rows(s);
	for (size_t i = 0; keep && i < s->nshown; i++)
		if (!strcmp(s->items.v[s->shown[i]].row.code, keep))
			listview_select(&s->list, i);
	free(keep);
}

static int superqueue_open(struct app *app, void *priv, const void *arg)
{
	struct superqueue *s = priv;
	s->app = app;
	if (!auth_role_supervises(app->clerk.role)) {
		app_error(app, "Hàng chờ giám sát chỉ dành cho lãnh đạo, cán bộ giám sát");
		return -1;
	}
	s->q = arg ? *(const enum supervisor_queue *)arg : SQ_overdue;
	listview_init(&s->list, NULL, NULL);
	s->sort = QS_due;
	reload(s);
	return 0;
}

static void superqueue_resume(struct app *app, void *priv)
{
	(void)app;
	reload(priv);
}

static void flow_end(struct superqueue *s)
{
	if (s->mode == M_TEXT || s->mode == M_REASON)
		dialog_release(&s->dlg);
	if (s->mode == M_PICK)
		picker_release(&s->pick);
	s->mode = M_LIST;
	FREE(&s->code);
	FREE(&s->to);
	FREE(&s->to_name);
	FREE(&s->pick_unit);
	FREE(&s->pick_from);
}

static void superqueue_done(struct app *app, void *priv)
{
	(void)app;
	struct superqueue *s = priv;
	flow_end(s);
	queue_items_release(&s->items);
	free(s->shown);
	free(s->clerk);
	free(s->clerk_name);
	free(s->unit);
	free(s->text);
}

/* ---- the keys' menu --------------------------------------------------------- */

static void cycle(struct superqueue *s, bool units);
static void start_reassign(struct superqueue *s);

static int open_dossier(struct app *app, void *priv, int unused)
{
	const struct queue_item *it = selected(priv);
	if (it)
		app_push_screen(app, &dossier_screen, it->row.code);
	return SCR_HANDLED;
}

static int next_sort(struct app *app, void *priv, int unused)
{
	struct superqueue *s = priv;
	s->sort = (enum queue_sort)((s->sort + 1) % QS_COUNT);
	listview_home(&s->list);
	select_rows(s);
	return SCR_HANDLED;
}

static int next_filter(struct app *app, void *priv, int units)
{
	cycle(priv, units);
	return SCR_HANDLED;
}

static int clear_filters(struct app *app, void *priv, int unused)
{
	struct superqueue *s = priv;
	FREE(&s->clerk);
	FREE(&s->clerk_name);
	FREE(&s->unit);
	FREE(&s->text);
	listview_home(&s->list);
	select_rows(s);
	return SCR_HANDLED;
}

static int text_filter(struct app *app, void *priv, int unused)
{
	struct superqueue *s = priv;
	dialog_init_prompt(&s->dlg, "Lọc theo chữ", "Các từ phải có trong mã hồ sơ, tên người"
			   " nộp, thủ tục hoặc tên cán bộ (gõ không dấu cũng được). Để trống:"
			   " bỏ lọc.", 100, false);
	if (s->text)
		field_set_text(&s->dlg.field, s->text);
	s->mode = M_TEXT;
	return SCR_HANDLED;
}

static int reassign(struct app *app, void *priv, int unused)
{
	start_reassign(priv);
	return SCR_HANDLED;
}

/* What the list's keys do, shown under it. */
static const struct menu_item queue_menu[] = {
	{ .action = ACTION_CONFIRM, .label = "mở", .run = open_dossier },
	{ .action = ACTION_SORT, .label = "sắp xếp", .run = next_sort },
	{ .action = ACTION_NEXT_CLERK, .label = "cán bộ", .run = next_filter, .id = false },
	{ .action = ACTION_NEXT_UNIT, .label = "đơn vị", .run = next_filter, .id = true },
	{ .action = ACTION_SEARCH, .label = "lọc chữ", .run = text_filter },
	{ .action = ACTION_CLEAR_FILTERS, .label = "bỏ lọc", .run = clear_filters },
	{ .action = ACTION_REASSIGN, .label = "giao lại", .run = reassign },
};
#define N_QUEUE_MENU (sizeof(queue_menu) / sizeof(queue_menu[0]))

/* ---- drawing ---------------------------------------------------------------- */

static void short_date(char *buf, size_t n, const char *at, bool with_time)
{
	/* "YYYY-MM-DDTHH:MM" -> "DD/MM" or "DD/MM HH:MM" */
	if (strlen(at) < 16) {
		snprintf(buf, n, "%s", at);
		return;
	}
	if (with_time)
		snprintf(buf, n, "%.2s/%.2s %.5s", at + 8, at + 5, at + 11);
	else
		snprintf(buf, n, "%.2s/%.2s", at + 8, at + 5);
}

static void draw_pick(struct superqueue *s, WINDOW *win, const struct rect *body)
{
	int x = body->x + 1, w = body->w - 2, y = body->y;
	wattrset(win, term_style(STYLE_NORMAL));
	for (int r = 0; r < body->h; r++)
		term_blank(win, body->y + r, body->x, body->w);
	wattrset(win, term_style(STYLE_HEADER));
	char *title = xasprintf("Giao hồ sơ %s cho cán bộ:", s->code);
	term_text(win, y, x, w, title);
	free(title);
	wattrset(win, term_style(STYLE_NORMAL));
	picker_draw(&s->pick, win, y + 1, x, w, body->h - 2, true);
	int cy, cx;
	getyx(win, cy, cx);
	wattrset(win, term_style(STYLE_DIM));
	term_text(win, body->y + body->h - 1, x, w,
		  "Gõ tên cán bộ (có dấu hoặc không) · ↑↓ · Enter: chọn · Esc: thôi");
	wattrset(win, term_style(STYLE_NORMAL));
	app_set_cursor(s->app, cy, cx);
}

static void superqueue_draw(struct app *app, void *priv, WINDOW *win, const struct rect *body)
{
	struct superqueue *s = priv;
	if (s->mode == M_PICK) {
		draw_pick(s, win, body);
		return;
	}
	int x = body->x + 1, w = body->w - 2, y = body->y;
	char buf[256];
	listview_set_height(&s->list, body->h > 5 ? body->h - 5 : 1);
	long sel = (long)s->list.selected;
	int rows = body->h - 4;
	if (rows < 1)
		rows = 1;
	if (sel < s->top)
		s->top = sel;
	if (sel >= s->top + rows)
		s->top = sel - rows + 1;

	wattrset(win, term_style(STYLE_HEADER));
	snprintf(buf, sizeof(buf), "%s: %zu hồ sơ%s · sắp xếp theo %s", supervisor_queue_name(s->q),
		 s->nshown, s->items.truncated ? " (chỉ đọc 5000 hồ sơ đầu)" : "",
		 queue_sort_name(s->sort));
	term_text(win, y, x, w, buf);
	wattrset(win, term_style(STYLE_NORMAL));
	snprintf(buf, sizeof(buf), "Lọc: cán bộ %s · đơn vị %s · chữ %s%s%s",
		 s->clerk_name ? s->clerk_name : "tất cả", s->unit ? s->unit : "tất cả",
		 s->text ? "«" : "", s->text ? s->text : "—", s->text ? "»" : "");
	term_text(win, y + 1, x, w, buf);
	wattrset(win, term_style(STYLE_DIM));
	term_text(win, y + 2, x, 21, "Mã hồ sơ");
	term_text(win, y + 2, x + 22, 14, "Người nộp");
	term_text(win, y + 2, x + 37, 8, "Thủ tục");
	term_text(win, y + 2, x + 46, 13, "Cán bộ");
	term_text(win, y + 2, x + 60, 5, "Nhận");
	term_text(win, y + 2, x + 66, 11, "Hẹn trả");
	wattrset(win, term_style(STYLE_NORMAL));
	if (!s->nshown)
		term_text(win, y + 3, x, w, s->items.n ? "(không có hồ sơ nào khớp bộ lọc)"
						       : "(hàng chờ trống)");
	for (int r = 0; r < rows && s->top + r < (long)s->nshown; r++) {
		long i = s->top + r;
		const struct queue_item *it = &s->items.v[s->shown[i]];
		int row = y + 3 + r;
		wattrset(win, term_style(i == sel ? STYLE_SELECTED : STYLE_NORMAL));
		if (i == sel)
			term_blank(win, row, x, w);
		char rec[16], due[24];
		short_date(rec, sizeof(rec), it->row.received_at, false);
		short_date(due, sizeof(due), it->row.appointment, true);
		term_text(win, row, x, 21, it->row.code);
		term_text(win, row, x + 22, 14, it->row.applicant_name);
		term_text(win, row, x + 37, 8, it->row.procedure_code);
		term_text(win, row, x + 46, 13, it->clerk_name);
		term_text(win, row, x + 60, 5, rec);
		term_text(win, row, x + 66, 11, due);
	}
	wattrset(win, term_style(STYLE_DIM));
	char *keys = menu_legend(&app->keymap, KEYMAP_SUPERQUEUE, queue_menu, N_QUEUE_MENU, "%s %s",
				 " · ");
	term_text(win, y + body->h - 1, x, w, keys);
	free(keys);
	wattrset(win, term_style(STYLE_NORMAL));
	if (s->mode == M_TEXT || s->mode == M_REASON) {
		dialog_draw(&s->dlg, win);
		int cy, cx;
		getyx(win, cy, cx);
		app_set_cursor(s->app, cy, cx);
	}
}

/* ---- filters ------------------------------------------------------------------ */

/* The distinct clerks (username, name) or units of the loaded queue,
 * sorted; *n set. Strings borrowed from the items. */
static const struct queue_item **distinct(const struct superqueue *s, bool units, size_t *n)
{
	const struct queue_item **v = xcalloc(s->items.n + 1, sizeof(*v));
	*n = 0;
	for (size_t i = 0; i < s->items.n; i++) {
		const struct queue_item *it = &s->items.v[i];
		const char *key = units ? it->row.unit_code : it->clerk;
		size_t k = 0;
		while (k < *n && strcmp(units ? v[k]->row.unit_code : v[k]->clerk, key))
			k++;
		if (k < *n)
			continue;
		/* insertion by name (clerks) or code (units) */
		const char *name = units ? key : it->clerk_name;
		size_t at = *n;
		while (at > 0 && strcmp(units ? v[at - 1]->row.unit_code : v[at - 1]->clerk_name,
					name) > 0) {
			v[at] = v[at - 1];
			at--;
		}
		v[at] = it;
		(*n)++;
	}
	return v;
}

/* The next clerk (or unit) filter after the current one; none after the last. */
static void cycle(struct superqueue *s, bool units)
{
	size_t n;
	const struct queue_item **v = distinct(s, units, &n);
	const char *cur = units ? s->unit : s->clerk;
	size_t k = 0;
	if (cur)
		while (k < n && strcmp(units ? v[k]->row.unit_code : v[k]->clerk, cur))
			k++;
	size_t next = cur ? k + 1 : 0;
	char **slot = units ? &s->unit : &s->clerk;
	FREE(slot);
	if (!units)
		FREE(&s->clerk_name);
	if (next < n) {
		*slot = xstrdup(units ? v[next]->row.unit_code : v[next]->clerk);
		if (!units)
			s->clerk_name = xstrdup(v[next]->clerk_name);
	}
	free(v);
	listview_home(&s->list);
	select_rows(s);
}

/* ---- reassignment ----------------------------------------------------------- */

static size_t query_clerks(void *data, const char *text, struct picker_item *items, size_t max)
{
	struct superqueue *s = data;
	char *want = mc_text_fold(text ? text : "");
	struct clerk_list all = { 0 };
	struct strbuf err = STRBUF_INIT;
	if (auth_unit_clerks(&s->app->store, s->pick_unit, &all, &err))
		app_error(s->app, "%s", err.buf);
	strbuf_release(&err);
	size_t n = 0;
	for (size_t i = 0; n < max && i < all.n; i++) {
		const char *user = all.v[i].username;
		if (s->pick_from && !strcmp(user, s->pick_from))
			continue;
		char *label = xasprintf("%s (%s)", all.v[i].full_name, user);
		char *fold = mc_text_fold(label);
		if (strstr(fold, want)) {
			items[n].label = label;
			items[n].id = xstrdup(user);
			n++;
		} else {
			free(label);
		}
		free(fold);
	}
	clerk_list_release(&all);
	free(want);
	return n;
}

static void start_reassign(struct superqueue *s)
{
	const struct queue_item *it = selected(s);
	if (!it)
		return;
	if (!auth_role_supervises(s->app->clerk.role)) {
		app_error(s->app, "Chỉ cán bộ giám sát (supervisor, admin) mới giao được hồ sơ");
		return;
	}
	s->code = xstrdup(it->row.code);
	s->pick_unit = xstrdup(it->row.unit_code);
	s->pick_from = xstrdup(it->clerk);
	s->mode = M_PICK;
	picker_init(&s->pick, NULL, 50, query_clerks, s);
}

static void commit_reassign(struct superqueue *s, const char *reason)
{
	struct mc_dt now;
	struct strbuf err = STRBUF_INIT;
	struct dossier_action_result res;
	if (clock_now(&now)) {
		app_error(s->app, "Đồng hồ của máy không hợp lệ");
	} else if (dossier_reassign_commit(&s->app->store, s->code, s->to, reason,
					   s->app->clerk.username, &now, &res, &err)) {
		app_error(s->app, "%s", err.buf);
	} else {
		app_info(s->app, "Đã giao hồ sơ %s cho %s (%s)", res.code, s->to_name, s->to);
	}
	strbuf_release(&err);
	flow_end(s);
	reload(s);
}

static int handle_pick(struct superqueue *s, enum action act, const struct key_event *ev)
{
	if (act == ACTION_QUIT || act == ACTION_TOGGLE_TELEX)
		return SCR_IGNORED;
	field_set_telex(&s->pick.field, s->app->telex);
	wint_t c = key_event_char(ev);
	if (c || (ev->edit != ACTION_BACK && ev->edit != ACTION_CONFIRM)) {
		picker_key(&s->pick, ev->edit, c);
		return SCR_HANDLED;
	}
	if (ev->edit == ACTION_BACK) {
		flow_end(s);
	} else {
		const struct picker_item *it = picker_selected(&s->pick);
		if (!it) {
			app_error(s->app, "Chưa chọn cán bộ: gõ tên để tìm");
			return SCR_HANDLED;
		}
		s->to = xstrdup(it->id);
		s->to_name = xstrdup(it->label);
		char *p = strrchr(s->to_name, '(');
		if (p && p > s->to_name)
			p[-1] = '\0';
		picker_release(&s->pick);
		char *msg = xasprintf("Giao hồ sơ %s cho %s (%s)?\nLý do (có thể để trống):", s->code,
				      s->to_name, s->to);
		dialog_init_prompt(&s->dlg, MC_REASSIGN_LABEL, msg, DOSSIER_ACTION_TEXT_MAX, false);
		free(msg);
		s->mode = M_REASON;
	}
	return SCR_HANDLED;
}

static int handle_dialog(struct superqueue *s, enum action act, const struct key_event *ev)
{
	if (act == ACTION_QUIT || act == ACTION_TOGGLE_TELEX)
		return SCR_IGNORED;
	field_set_telex(&s->dlg.field, s->app->telex);
	enum widget_rc rc = dialog_key(&s->dlg, ev->edit, key_event_char(ev));
	if (rc == WIDGET_CANCEL) {
		flow_end(s);
	} else if (rc == WIDGET_DONE && s->mode == M_TEXT) {
		char *v = dialog_value(&s->dlg);
		FREE(&s->text);
		if (*v)
			s->text = v;
		else
			free(v);
		flow_end(s);
		listview_home(&s->list);
		select_rows(s);
	} else if (rc == WIDGET_DONE) {
		char *v = dialog_value(&s->dlg);
		commit_reassign(s, v);
		free(v);
	}
	return SCR_HANDLED;
}

static int superqueue_handle(struct app *app, void *priv, enum action act,
			     const struct key_event *ev)
{
	struct superqueue *s = priv;
	if (s->mode == M_PICK)
		return handle_pick(s, act, ev);
	if (s->mode != M_LIST)
		return handle_dialog(s, act, ev);
	int rc = menu_run(app, s, queue_menu, N_QUEUE_MENU, act);
	return rc ? rc : SCR_IGNORED; /* the moves: superqueue_list */
}

static struct listview *superqueue_list(struct app *app, void *priv, enum action act)
{
	struct superqueue *s = priv;
	return s->mode == M_LIST ? &s->list : NULL;
}

static const enum action superqueue_hints[] = { ACTION_CONFIRM, ACTION_BACK, ACTION_NONE };

const struct screen_ops superqueue_screen = {
	.name = "superqueue",
	.title = "Hàng chờ giám sát",
	.keymap = "superqueue",
	.fields = true,
	.private_size = sizeof(struct superqueue),
	.hints = superqueue_hints,
	.open = superqueue_open,
	.resume = superqueue_resume,
	.draw = superqueue_draw,
	.handle = superqueue_handle,
	.list = superqueue_list,
	.done = superqueue_done,
};
