/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Home: today's work at the counter and the menu. The counts are read when
 * the screen opens and again whenever the clerk comes back to it; Enter on
 * a count opens the dossier list filtered to those dossiers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/tui/app.h"
#include "client/base/clock.h"
#include "client/store/dossier_query.h"
#include "client/store/online.h"
#include "client/tui/listview.h"
#include "client/tui/menu.h"
#include "core/text.h"
#include "screens/screens.h"

/* The menu; each row runs its action, whose key comes from the keymap. The
 * settings are shown to admins and supervisors only (screens/settings.c). */
static const struct menu_item menu[] = {
	{ .action = ACTION_OPEN_RECEPTION, .label = "Tiếp nhận hồ sơ" },
	{ .action = ACTION_OPEN_CATALOG, .label = "Tra cứu thủ tục" },
	{ .action = ACTION_OPEN_DOSSIERS, .label = "Danh sách hồ sơ" },
	{ .action = ACTION_OPEN_SUPERVISOR, .label = "Giám sát" },
	{ .action = ACTION_OPEN_ONLINE, .label = "Hồ sơ trực tuyến" },
	{ .action = ACTION_OPEN_SETTINGS, .label = "Cài đặt máy trạm" },
	{ .action = ACTION_LOGOUT, .label = "Đăng xuất" },
};
#define MENU_MAX ((int)(sizeof(menu) / sizeof(menu[0])))
#define N_MENU (s->nmenu)

enum count {
	COUNT_ONLINE,     /* submitted online, waiting at the counter (client/store/online.h) */
	COUNT_RECEIVED,   /* received today */
	COUNT_DUE,        /* open, due later today */
	COUNT_OVERDUE,    /* open, appointment passed */
	COUNT_SUPPLEMENT, /* waiting for the citizen's supplement (status 5) */
	COUNT__N
};

static const char *const count_labels[COUNT__N] = {
	"Trực tuyến chờ tiếp nhận",
	"Tiếp nhận hôm nay",
	"Đến hạn trả trong hôm nay",
	"Quá hạn",
	"Chờ bổ sung",
};

/* Enter on a count lists those dossiers (the online ones: their screen). */
static const enum dossiers_filter count_filters[COUNT__N] = {
	DOSSIERS__COUNT, DOSSIERS_RECEIVED_TODAY, DOSSIERS_DUE_TODAY, DOSSIERS_OVERDUE,
	DOSSIERS_SUPPLEMENT,
};

/* Selectable rows: the counts, then the menu (where the selection starts). */
#define N_ROWS (COUNT__N + N_MENU)

struct home {
	long counts[COUNT__N];
	struct menu_item shown[MENU_MAX]; /* the rows of menu this clerk sees */
	int nmenu;
	/* the selected row: 0 .. COUNT__N - 1 a count, then shown[row - COUNT__N];
	 * up and down wrap around */
	struct listview rows;
	char today_vn[16];
};

/* Today's counts, as dossier_today_counts computes them, and the online
 * dossiers waiting (online_count). */
static void refresh_counts(struct app *app, struct home *s)
{
	struct mc_dt now;
	if (clock_now(&now))
		return;
	mc_format_date_vn(s->today_vn, sizeof(s->today_vn), now.y, now.m, now.d);
	struct dossier_counts c = { 0 };
	struct strbuf err = STRBUF_INIT;
	if (dossier_today_counts(&app->store, &now, &c, &err))
		app_error(app, "%s", err.buf);
	strbuf_release(&err);
	s->counts[COUNT_RECEIVED] = c.received_today;
	s->counts[COUNT_DUE] = c.due_today;
	s->counts[COUNT_OVERDUE] = c.overdue;
	s->counts[COUNT_SUPPLEMENT] = c.waiting;
	online_count(&app->store, app->unit_code, &s->counts[COUNT_ONLINE]); /* 0 when unread */
}

static int home_open(struct app *app, void *priv, const void *arg)
{
	struct home *s = priv;
	const char *role = app->clerk.role ? app->clerk.role : "";
	bool admin = !strcmp(role, "admin") || !strcmp(role, "supervisor");
	for (int i = 0; i < MENU_MAX; i++)
		if (menu[i].action != ACTION_OPEN_SETTINGS || admin)
			s->shown[s->nmenu++] = menu[i];
	listview_init(&s->rows, NULL, NULL);
	s->rows.wrap = true;
	s->rows.tab = true;
	listview_set_height(&s->rows, N_ROWS);
	listview_set_count(&s->rows, N_ROWS);
	listview_select(&s->rows, COUNT__N);
	refresh_counts(app, priv);
	return 0;
}

static void home_resume(struct app *app, void *priv)
{
	refresh_counts(app, priv);
}

static void home_draw(struct app *app, void *priv, WINDOW *win, const struct rect *body)
{
	struct home *s = priv;
	int sel = (int)s->rows.selected;
	int x = body->x + 2, y = body->y + 1, w = body->w - 4;
	char *hello = xasprintf("Xin chào, %s", app->clerk.full_name ? app->clerk.full_name : "");
	wattrset(win, term_style(STYLE_HEADER));
	term_text(win, y, x, w, hello);
	free(hello);

	char *title = xasprintf("Công việc hôm nay (%s)", s->today_vn);
	term_text(win, y + 2, x, w, title);
	free(title);
	wattrset(win, term_style(STYLE_NORMAL));
	for (int i = 0; i < COUNT__N; i++) {
		int row = y + 3 + i;
		if (i == sel) {
			wattrset(win, term_style(STYLE_SELECTED));
			term_blank(win, row, x, 40);
			term_text(win, row, x, 2, ">");
		}
		term_text(win, row, x + 2, 30, count_labels[i]);
		char num[24];
		snprintf(num, sizeof(num), "%6ld", s->counts[i]);
		if (i == COUNT_OVERDUE && s->counts[i] > 0 && i != sel)
			wattrset(win, term_style(STYLE_ERROR));
		term_text(win, row, x + 32, 8, num);
		wattrset(win, term_style(STYLE_NORMAL));
	}

	int my = y + 4 + COUNT__N;
	wattrset(win, term_style(STYLE_HEADER));
	term_text(win, my, x, w, "Chọn chức năng");
	menu_draw_keys(&app->keymap, KEYMAP_HOME, s->shown, (size_t)N_MENU, sel - COUNT__N, win, my + 1,
		       x, 30);
}

static int home_handle(struct app *app, void *priv, enum action act, const struct key_event *ev)
{
	struct home *s = priv;
	size_t sel = s->rows.selected;
	switch (act) {
	case ACTION_CONFIRM:
		if (sel == COUNT_ONLINE) {
			app_push_screen(app, &online_screen, NULL);
			return SCR_HANDLED;
		}
		if (sel < COUNT__N) {
			app_push_screen(app, &dossiers_screen, &count_filters[sel]);
			return SCR_HANDLED;
		}
		/* the action may replace this screen: nothing after it */
		return menu_item_run(app, s, &s->shown[sel - COUNT__N]) | SCR_HANDLED;
	default: {
		/* a menu key: its row is selected, the loop runs its action */
		int i = menu_find(s->shown, (size_t)N_MENU, act);
		if (i >= 0)
			listview_select(&s->rows, (size_t)(COUNT__N + i));
		return SCR_IGNORED;
	}
	}
}

/* The rows: up and down (and Tab) wrap, home and end go to the first and
 * last. */
static struct listview *home_list(struct app *app, void *priv, enum action act)
{
	struct home *s = priv;
	return &s->rows;
}

static const enum action home_hints[] = { ACTION_OPEN_RECEPTION, ACTION_OPEN_CATALOG,
					  ACTION_OPEN_DOSSIERS, ACTION_NONE };

const struct screen_ops home_screen = {
	.name = "home",
	.title = "Màn hình chính",
	.keymap = "home",
	.private_size = sizeof(struct home),
	.hints = home_hints,
	.open = home_open,
	.resume = home_resume,
	.draw = home_draw,
	.handle = home_handle,
	.list = home_list,
};
