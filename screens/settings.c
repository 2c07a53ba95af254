/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The workstation's settings: the table of client/services/settings.h, one
 * row each (its words, its value, "mặc định" when it has never been set),
 * the selected one's description under the list. Enter edits the value in a
 * prompt and saves it through settings_set, which checks it as `motcua
 * config set` does: a refused value stays in the prompt with the reason.
 * Del (or x) brings the default back; p (or F9) prints the test page.
 *
 * Decision: for admins and supervisors only. A clerk does not see the entry
 * on the home menu, and its key is refused with a reason on the status
 * line: the printer, the unit and the lookup address are set once per
 * office, and a clerk who needs to know them asks `motcua doctor`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/base/clock.h"
#include "client/services/settings.h"
#include "client/tui/app.h"
#include "client/tui/dialog.h"
#include "client/tui/listview.h"
#include "core/text.h"
#include "screens/screens.h"

#define LABEL_COLS 24
#define SETTING_INPUT_MAX 300
#define DESC_ROWS 3

struct settings_view {
	struct app *app;
	struct listview lv;
	const struct setting_def *defs;
	size_t ndefs;
	int width;
	bool editing;
	struct dialog dlg;
};

static size_t fetch(void *data, size_t first, size_t count, struct listview_row *rows)
{
	struct settings_view *s = data;
	static const struct listview_column cols[] = { { LABEL_COLS, false }, { 0, false } };
	size_t n = 0;
	for (size_t i = first; i < s->ndefs && n < count; i++, n++) {
		bool dflt;
		char *v = settings_value(&s->app->store, &s->defs[i], &dflt);
		char *shown = dflt ? (*v ? xasprintf("%s (mặc định)", v) : xstrdup("(để trống)"))
				   : xstrdup(v);
		const char *cells[2] = { s->defs[i].label, shown };
		rows[n].text = listview_columns(cols, 2, cells, s->width);
		rows[n].attr = 0;
		free(shown);
		free(v);
	}
	return n;
}

static bool may_configure(const struct app *app)
{
	const char *role = app->clerk.role ? app->clerk.role : "";
	return !strcmp(role, "admin") || !strcmp(role, "supervisor");
}

static int st_open(struct app *app, void *priv, const void *arg)
{
	struct settings_view *s = priv;
	s->app = app;
	listview_init(&s->lv, fetch, s);
	if (!may_configure(app)) {
		app_error(app, "Chỉ quản trị viên hoặc lãnh đạo đơn vị được đổi cài đặt máy trạm");
		return -1;
	}
	s->defs = settings_defs(&s->ndefs);
	listview_set_count(&s->lv, s->ndefs);
	return 0;
}

static void st_done(struct app *app, void *priv)
{
	struct settings_view *s = priv;
	listview_release(&s->lv);
	if (s->editing)
		dialog_release(&s->dlg);
}

static void st_draw(struct app *app, void *priv, WINDOW *win, const struct rect *body)
{
	struct settings_view *s = priv;
	int x = body->x + 1, y = body->y, w = body->w - 2;
	if (w != s->width) {
		s->width = w;
		listview_invalidate(&s->lv);
	}
	wattrset(win, term_style(STYLE_HEADER));
	term_text(win, y, x, w, "Cài đặt của máy trạm này (cũng xem được bằng: motcua config list)");
	static const struct listview_column cols[] = { { LABEL_COLS, false }, { 0, false } };
	static const char *const heads[] = { "Cài đặt", "Giá trị" };
	char *head = listview_columns(cols, 2, heads, w);
	wattrset(win, term_style(STYLE_DIM));
	term_text(win, y + 1, x, w, head);
	free(head);
	wattrset(win, term_style(STYLE_NORMAL));
	int list_h = body->h - 2 - 1 - DESC_ROWS;
	if (list_h < 1)
		list_h = 1;
	listview_draw(&s->lv, win, y + 2, x, w, list_h, !s->editing);
	if (s->lv.selected < s->ndefs) {
		const struct setting_def *d = &s->defs[s->lv.selected];
		char *text = xasprintf("%s: %s", d->name, d->description);
		size_t n;
		char **lines = dialog_wrap(text, w, &n);
		wattrset(win, term_style(STYLE_DIM));
		for (size_t i = 0; i < n && i < DESC_ROWS; i++)
			term_text(win, y + 3 + list_h + (int)i, x, w, lines[i]);
		wattrset(win, term_style(STYLE_NORMAL));
		dialog_wrap_free(lines, n);
		free(text);
	}
	if (s->editing)
		dialog_draw(&s->dlg, win);
}

static const struct setting_def *current(const struct settings_view *s)
{
	return s->lv.selected < s->ndefs ? &s->defs[s->lv.selected] : NULL;
}

/* Saves value for the selected setting: 0, or -1 with the reason in why. */
static int save(struct settings_view *s, const char *value, struct strbuf *why)
{
	const struct setting_def *d = current(s);
	struct strbuf warn = STRBUF_INIT;
	int rc = settings_set(&s->app->store, d, value, &warn, why);
	if (!rc) {
		if (warn.len)
			app_info(s->app, "Đã lưu %s; lưu ý: %s", d->label, warn.buf);
		else
			app_info(s->app, "Đã lưu %s", d->label);
		listview_invalidate(&s->lv);
	}
	strbuf_release(&warn);
	return rc ? -1 : 0;
}

static void start_edit(struct settings_view *s)
{
	const struct setting_def *d = current(s);
	if (!d)
		return;
	if (d->kind == SETTING_SERVER) {
		app_error(s->app, "Máy chủ đồng bộ chỉ đổi bằng lệnh: motcua login --server URL"
				  " --username TÊN");
		return;
	}
	char *msg = xasprintf("%s\n(để trống: về giá trị mặc định)", d->description);
	dialog_init_prompt(&s->dlg, d->label, msg, SETTING_INPUT_MAX, false);
	free(msg);
	s->dlg.field.flags |= FIELD_NO_TELEX;
	bool dflt;
	char *v = settings_value(&s->app->store, d, &dflt);
	if (!dflt)
		field_set_text(&s->dlg.field, v);
	free(v);
	s->editing = true;
}

static int handle_edit(struct settings_view *s, const struct key_event *ev)
{
	enum widget_rc rc = dialog_key(&s->dlg, ev->edit, key_event_char(ev));
	if (rc == WIDGET_DONE) {
		char *v = dialog_value(&s->dlg);
		struct strbuf why = STRBUF_INIT;
		if (save(s, v, &why)) {
			/* the prompt stays, with the reason (whole on the status line) */
			app_error(s->app, "%s", why.buf);
			free(s->dlg.error);
			s->dlg.error = strbuf_detach(&why);
			rc = WIDGET_HANDLED;
		}
		strbuf_release(&why);
		free(v);
	}
	if (rc == WIDGET_DONE || rc == WIDGET_CANCEL) {
		dialog_release(&s->dlg);
		s->editing = false;
	}
	return SCR_HANDLED;
}

static void test_page(struct settings_view *s)
{
	struct mc_dt now;
	if (clock_now(&now)) {
		app_error(s->app, "MOTCUA_NOW không hợp lệ");
		return;
	}
	char *pdf = NULL;
	bool printed = false;
	struct strbuf err = STRBUF_INIT;
	int rc = settings_test_page(&s->app->store, NULL, NULL, &now, &pdf, &printed, &err);
	if (rc == -1)
		app_error(s->app, "Không tạo được trang in thử: %s", err.buf);
	else if (rc)
		app_error(s->app, "Không in được trang thử: %s", err.buf);
	else if (printed)
		app_info(s->app, "Đã gửi trang in thử tới máy in");
	else
		app_info(s->app, "Chưa đặt máy in: trang in thử được lưu ở %s", pdf);
	free(pdf);
	strbuf_release(&err);
}

static int st_handle(struct app *app, void *priv, enum action act, const struct key_event *ev)
{
	struct settings_view *s = priv;
	if (s->editing && act != ACTION_QUIT)
		return handle_edit(s, ev);
	switch (act) {
	case ACTION_CONFIRM:
		start_edit(s);
		return SCR_HANDLED;
	case ACTION_RESET_SETTING: {
		const struct setting_def *d = current(s);
		struct strbuf why = STRBUF_INIT;
		if (d && save(s, "", &why))
			app_error(app, "%s", why.buf);
		strbuf_release(&why);
		return SCR_HANDLED;
	}
	case ACTION_TEST_PRINTER:
		test_page(s);
		return SCR_HANDLED | SCR_REDRAW;
	default:
		return SCR_IGNORED; /* the moves: st_list */
	}
}

static struct listview *st_list(struct app *app, void *priv, enum action act)
{
	struct settings_view *s = priv;
	return s->editing ? NULL : &s->lv;
}

static const enum action st_hints[] = { ACTION_CONFIRM, ACTION_RESET_SETTING,
					ACTION_TEST_PRINTER, ACTION_BACK, ACTION_NONE };

const struct screen_ops settings_screen = {
	.name = "settings",
	.title = "Cài đặt máy trạm",
	.keymap = "settings",
	.fields = true,
	.private_size = sizeof(struct settings_view),
	.hints = st_hints,
	.open = st_open,
	.draw = st_draw,
	.handle = st_handle,
	.list = st_list,
	.done = st_done,
};
