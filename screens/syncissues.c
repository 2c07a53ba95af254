/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Sync: the state (server, online or not, pending operations, last
 * successful sync, last error) and the list of what needs a person: the
 * operations the server rejected or found in conflict, with its reason, and
 * the dossier codes numbered without a lease (to check for duplicates).
 * Enter on an operation offers to send it again (the server judges it
 * anew); F5 syncs now. Everything is read from the store on every draw: the
 * worker thread writes it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/tui/app.h"
#include "client/base/clock.h"
#include "client/tui/dialog.h"
#include "client/tui/listview.h"
#include "client/store/outbox.h"
#include "core/lifecycle.h"
#include "core/text.h"
#include "screens/screens.h"
#include "sync/sync.h"

#define HEAD_ROWS 6 /* state lines above the list */

struct syncissues {
	struct app *app;
	struct listview lv;
	struct sync_view view;
	int width;
	bool confirming;
	struct dialog dlg;
	char *op_id; /* the operation the dialog is about */
};

static const char *state_label(enum sync_issue_kind kind)
{
	switch (kind) {
	case SYNC_ISSUE_CONFLICT: return "Xung đột";
	case SYNC_ISSUE_REJECTED: return "Bị từ chối";
	case SYNC_ISSUE_WAITING: return "Chờ hồ sơ";
	default: return "Rà soát mã";
	}
}

static const char *op_label(const char *op)
{
	int a = mc_action_from_id(op);
	return a < 0 ? op : mc_action_label((enum mc_action)a);
}

static size_t fetch(void *data, size_t first, size_t count, struct listview_row *rows)
{
	struct syncissues *s = data;
	static const struct listview_column cols[] = { { 23, false }, { 12, false }, { 10, false },
						       { 0, false } };
	struct sync_issue *issues = xcalloc(count ? count : 1, sizeof(*issues));
	size_t n = sync_issues(&s->app->store, first, count, issues);
	for (size_t i = 0; i < n; i++) {
		const char *cells[4] = { issues[i].code, op_label(issues[i].op),
					 state_label(issues[i].kind), issues[i].reason };
		rows[i].text = listview_columns(cols, 4, cells, s->width);
		rows[i].attr = 0;
		sync_issue_release(&issues[i]);
	}
	free(issues);
	return n;
}

/* The selected row's reason and operation id (malloc'd, or NULL). */
static void selected(struct syncissues *s, char **reason, char **op_id)
{
	*reason = *op_id = NULL;
	if (!s->lv.count)
		return;
	struct sync_issue issue;
	if (sync_issues(&s->app->store, s->lv.selected, 1, &issue) == 1) {
		*reason = issue.reason;
		*op_id = issue.op_id;
		issue.reason = issue.op_id = NULL; /* moved */
		sync_issue_release(&issue);
	}
}

static void reload(struct syncissues *s)
{
	sync_view_release(&s->view);
	sync_view_load(&s->app->store, &s->view);
	listview_set_count(&s->lv, (size_t)(s->view.problems + s->view.waiting + s->view.review));
	listview_invalidate(&s->lv);
}

static int si_open(struct app *app, void *priv, const void *arg)
{
	struct syncissues *s = priv;
	s->app = app;
	listview_init(&s->lv, fetch, s);
	listview_set_empty(&s->lv, "Không có thao tác nào bị từ chối hay xung đột");
	reload(s);
	return 0;
}

static void si_done(struct app *app, void *priv)
{
	struct syncissues *s = priv;
	listview_release(&s->lv);
	sync_view_release(&s->view);
	if (s->confirming)
		dialog_release(&s->dlg);
	free(s->op_id);
}

static void line(WINDOW *win, int y, int x, int w, enum style style, const char *label,
		 const char *value)
{
	wattrset(win, term_style(STYLE_DIM));
	int lw = term_text(win, y, x, w, label);
	wattrset(win, term_style(style));
	term_text(win, y, x + lw, w - lw, value);
	wattrset(win, term_style(STYLE_NORMAL));
}

static void draw_head(struct syncissues *s, WINDOW *win, int y, int x, int w)
{
	const struct sync_view *v = &s->view;
	line(win, y, x, w, STYLE_NORMAL, "Máy chủ: ",
	     v->server_url ? v->server_url : "chưa cấu hình (motcua login --server URL)");
	const char *state = !v->configured ? "làm việc ngoại tuyến"
			    : v->stopped   ? "máy chủ từ chối mã truy cập: cần đăng nhập lại"
			    : v->online    ? "trực tuyến"
					   : "ngoại tuyến (sẽ thử lại)";
	line(win, y + 1, x, w, v->stopped ? STYLE_ERROR : STYLE_NORMAL, "Trạng thái: ", state);
	char when[32] = "chưa lần nào";
	if (v->last_sync_at && strlen(v->last_sync_at) >= 16)
		snprintf(when, sizeof(when), "%.2s/%.2s/%.4s %.5s", v->last_sync_at + 8,
			 v->last_sync_at + 5, v->last_sync_at, v->last_sync_at + 11);
	line(win, y + 2, x, w, STYLE_NORMAL, "Đồng bộ thành công gần nhất: ", when);
	long tenths = (long)(v->pending_mb * 10 + 0.5);
	char *pend = xasprintf("%ld thao tác, %ld,%ld MB tệp", v->pending, tenths / 10, tenths % 10);
	line(win, y + 3, x, w, STYLE_NORMAL, "Chờ gửi: ", pend);
	free(pend);
	line(win, y + 4, x, w, v->last_error ? STYLE_ERROR : STYLE_NORMAL, "Lỗi gần nhất: ",
	     v->last_error ? v->last_error : "không có");
}

static void si_draw(struct app *app, void *priv, WINDOW *win, const struct rect *body)
{
	struct syncissues *s = priv;
	int x = body->x + 1, w = body->w - 2, y = body->y;
	if (s->width != w) {
		s->width = w;
		listview_invalidate(&s->lv);
	}
	reload(s);
	draw_head(s, win, y, x, w);

	wattrset(win, term_style(STYLE_HEADER));
	char *title = s->view.waiting
		? xasprintf("Cần xử lý: %ld thao tác bị từ chối/xung đột, %ld chờ hồ sơ, %ld mã cần"
			    " rà soát", s->view.problems, s->view.waiting, s->view.review)
		: xasprintf("Cần xử lý: %ld thao tác bị từ chối/xung đột, %ld mã cần rà soát",
			    s->view.problems, s->view.review);
	term_text(win, y + HEAD_ROWS - 1, x, w, title);
	free(title);
	static const struct listview_column cols[] = { { 23, false }, { 12, false }, { 10, false },
						       { 0, false } };
	static const char *const heads[] = { "Mã hồ sơ", "Thao tác", "Tình trạng", "Lý do" };
	char *head = listview_columns(cols, 4, heads, w);
	wattrset(win, term_style(STYLE_DIM));
	term_text(win, y + HEAD_ROWS, x, w, head);
	free(head);
	wattrset(win, term_style(STYLE_NORMAL));

	/* the list, then the selected row's whole reason under it */
	int list_h = body->h - HEAD_ROWS - 1 - 3;
	if (list_h < 1)
		list_h = 1;
	listview_draw(&s->lv, win, y + HEAD_ROWS + 1, x, w, list_h, true);
	char *reason, *op_id;
	selected(s, &reason, &op_id);
	if (reason) {
		size_t n;
		char **lines = dialog_wrap(reason, w, &n);
		wattrset(win, term_style(STYLE_DIM));
		for (size_t i = 0; i < n && i < 3; i++)
			term_text(win, y + HEAD_ROWS + 1 + list_h + (int)i, x, w, lines[i]);
		wattrset(win, term_style(STYLE_NORMAL));
		dialog_wrap_free(lines, n);
	}
	free(reason);
	free(op_id);
	if (s->confirming) {
		dialog_draw(&s->dlg, win);
		app->cursor_shown = false;
	}
}

/* Sends the operation again: pending, its error kept until the answer. */
static void requeue(struct syncissues *s)
{
	int rc = outbox_retry(&s->app->store, s->op_id);
	if (rc != SQLITE_OK)
		app_error(s->app, "Không ghi được: %s", store_errmsg_vn(rc));
	else if (s->app->sync)
		app_info(s->app, "Thao tác sẽ được gửi lại ở lần đồng bộ tới (F5: đồng bộ ngay)");
	else
		app_info(s->app, "Thao tác sẽ được gửi lại khi máy trạm đồng bộ với máy chủ");
	reload(s);
}

static int handle_dialog(struct syncissues *s, const struct key_event *ev)
{
	enum widget_rc rc = dialog_key(&s->dlg, ev->edit, key_event_char(ev));
	if (rc == WIDGET_DONE)
		requeue(s);
	if (rc == WIDGET_DONE || rc == WIDGET_CANCEL) {
		dialog_release(&s->dlg);
		s->confirming = false;
		FREE(&s->op_id);
	}
	return SCR_HANDLED;
}

static int si_handle(struct app *app, void *priv, enum action act, const struct key_event *ev)
{
	struct syncissues *s = priv;
	if (s->confirming && act != ACTION_QUIT)
		return handle_dialog(s, ev);
	if (act != ACTION_CONFIRM)
		return SCR_IGNORED; /* the moves: si_list */
	char *reason;
	selected(s, &reason, &s->op_id);
	free(reason);
	if (!s->op_id) {
		app_info(app, s->lv.count ? "Mã này cần được kiểm tra trùng với máy chủ; không có gì"
					    " để gửi lại" : "Không có gì để gửi lại");
		return SCR_HANDLED;
	}
	dialog_init_confirm(&s->dlg, "Gửi lại thao tác",
			    "Gửi lại thao tác này cho máy chủ? Máy chủ sẽ xét lại từ đầu.", false);
	s->confirming = true;
	return SCR_HANDLED;
}

static struct listview *si_list(struct app *app, void *priv, enum action act)
{
	struct syncissues *s = priv;
	return &s->lv;
}

static const enum action si_hints[] = { ACTION_CONFIRM, ACTION_SYNC_NOW, ACTION_BACK,
					ACTION_NONE };

const struct screen_ops syncissues_screen = {
	.name = "syncissues",
	.title = "Đồng bộ và lỗi đồng bộ",
	.keymap = "sync",
	.private_size = sizeof(struct syncissues),
	.hints = si_hints,
	.open = si_open,
	.draw = si_draw,
	.handle = si_handle,
	.list = si_list,
	.done = si_done,
};
