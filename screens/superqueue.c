/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A supervisor's queue (from the supervisor screen): its dossiers with the
 * clerk in charge of each, across every unit of the store. s cycles the
 * order (due date, received, clerk, procedure); c and u cycle a clerk and a
 * unit filter; / filters by words (code, applicant, procedure, clerk,
 * without diacritics); x clears the filters; Enter opens the dossier; r
 * hands it to another clerk of its unit (a picker, then an optional reason:
 * client/services/dossier_action.h, dossier_reassign_commit). Counted when the
 * screen opens, whenever it is on top again and when the order or a filter
 * changes; only the rows it shows are read, a page at a time
 * (client/store/supervision.h, queue_pager), whatever the queue's length. */
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

#define PAGER_ROWS 50 /* rows per read of the queue */

enum mode { M_LIST, M_TEXT, M_PICK, M_REASON };

struct superqueue {
	struct app *app;
	enum supervisor_queue q;
	struct queue_query qq;     /* the queue at the last reload, with the view's filters */
	struct queue_pager pager;  /* its rows by index */
	long queue_total;          /* the queue's dossiers, the filters left out */
	struct listview list; /* the selected row of the pager (a page: the rows less one) */
	long top;
	enum queue_sort sort;
	char *clerk, *clerk_name, *unit, *text; /* filters, NULL: none */
	enum mode mode;
	struct dialog dlg;
	struct picker pick;
	char *code, *to, *to_name, *pick_unit, *pick_from; /* the dossier being reassigned */
};

/* Counts the rows with the current order and filters; nothing is read yet. */
static void select_rows(struct superqueue *s)
{
	s->qq.f = (struct queue_view_filter){ s->clerk, s->unit, s->text };
	s->qq.sort = s->sort;
	queue_pager_release(&s->pager);
	struct strbuf err = STRBUF_INIT;
	if (queue_pager_open(&s->pager, &s->app->store, &s->qq, PAGER_ROWS, &err))
		app_error(s->app, "Không đọc được hàng chờ: %s", err.buf);
	strbuf_release(&err);
	if (s->pager.total < 0)
		s->pager.total = 0;
	listview_set_count(&s->list, (size_t)s->pager.total);
}

static const struct queue_item *item_at(struct superqueue *s, long index)
{
	struct strbuf err = STRBUF_INIT;
	const struct queue_item *it = queue_pager_item(&s->pager, index, &err);
	if (!it && err.len)
		app_error(s->app, "Không đọc được hàng chờ: %s", err.buf);
	strbuf_release(&err);
	return it;
}

static const struct queue_item *selected(struct superqueue *s)
{
	return s->pager.total ? item_at(s, (long)s->list.selected) : NULL;
}

/* Counts the queue again at the clock's time, keeping the selection on the
 * same dossier: its index is the count of the rows before it. */
static void reload(struct superqueue *s)
{
	const struct queue_item *it = selected(s);
	struct queue_item keep;
	bool kept = it != NULL;
	if (kept)
		queue_item_copy(&keep, it);
	struct mc_dt now;
	struct strbuf err = STRBUF_INIT;
	if (clock_now(&now) || queue_query_init(&s->qq, &s->app->store, s->q, &now, NULL, &err)) {
		app_error(s->app, "Không đọc được hàng chờ: %s", err.buf ? err.buf : "đồng hồ sai");
		strbuf_release(&err);
		if (kept)
			queue_item_release(&keep);
		return;
	}
	s->queue_total = queue_count(&s->app->store, &s->qq, &err);
	strbuf_release(&err);
	select_rows(s);
	if (kept) {
		long at = queue_index_of(&s->app->store, &s->qq, &keep, &err);
		strbuf_release(&err);
		const struct queue_item *now_at = at >= 0 ? item_at(s, at) : NULL;
		if (now_at && !strcmp(now_at->row.code, keep.row.code))
			listview_select(&s->list, (size_t)at);
		queue_item_release(&keep);
	}
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
	queue_pager_release(&s->pager);
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
	snprintf(buf, sizeof(buf), "%s: %ld hồ sơ · sắp xếp theo %s", supervisor_queue_name(s->q),
		 s->pager.total, queue_sort_name(s->sort));
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
	if (!s->pager.total)
		term_text(win, y + 3, x, w, s->queue_total > 0 ? "(không có hồ sơ nào khớp bộ lọc)"
							       : "(hàng chờ trống)");
	for (int r = 0; r < rows && s->top + r < s->pager.total; r++) {
		long i = s->top + r;
		const struct queue_item *it = item_at(s, i);
		if (!it)
			break;
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

/* The next clerk (or unit) filter after the current one, among the clerks
 * in charge (units) of the queue's dossiers; none after the last. */
static void cycle(struct superqueue *s, bool units)
{
	struct queue_choice *v;
	struct strbuf err = STRBUF_INIT;
	long n = queue_choices(&s->app->store, &s->qq, units, &v, &err);
	if (n < 0) {
		app_error(s->app, "Không đọc được hàng chờ: %s", err.buf);
		n = 0;
	}
	strbuf_release(&err);
	const char *cur = units ? s->unit : s->clerk;
	long k = 0;
	if (cur)
		while (k < n && strcmp(v[k].key, cur))
			k++;
	long next = cur ? k + 1 : 0;
	char **slot = units ? &s->unit : &s->clerk;
	FREE(slot);
	if (!units)
		FREE(&s->clerk_name);
	if (next < n) {
		*slot = xstrdup(v[next].key);
		if (!units)
			s->clerk_name = xstrdup(v[next].name);
	}
	queue_choices_free(v, n);
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
