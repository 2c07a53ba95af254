/* Home: today's work at the counter and the menu. The counts are read when
 * the screen opens and again whenever the clerk comes back to it; Enter on
 * a count opens the dossier list filtered to those dossiers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/tui/app.h"
#include "client/base/clock.h"
#include "core/text.h"
#include "screens/screens.h"

/* The menu; each entry runs an action, whose key comes from the keymap. */
static const struct {
	const char *label;
	enum action action;
	bool admin; /* shown to admins and supervisors only */
} menu[] = {
	{ "Tiếp nhận hồ sơ", ACTION_OPEN_RECEPTION, false },
	{ "Tra cứu thủ tục", ACTION_OPEN_CATALOG, false },
	{ "Danh sách hồ sơ", ACTION_OPEN_DOSSIERS, false },
	{ "Giám sát", ACTION_OPEN_SUPERVISOR, false },
	{ "Cài đặt máy trạm", ACTION_OPEN_SETTINGS, true },
	{ "Đăng xuất", ACTION_LOGOUT, false },
};
#define MENU_MAX ((int)(sizeof(menu) / sizeof(menu[0])))

enum count {
	COUNT_RECEIVED,   /* received today */
	COUNT_DUE,        /* open, due later today */
	COUNT_OVERDUE,    /* open, appointment passed */
	COUNT_SUPPLEMENT, /* waiting for the citizen's supplement (status 5) */
	COUNT__N
};

static const char *const count_labels[COUNT__N] = {
	"Tiếp nhận hôm nay",
	"Đến hạn trả trong hôm nay",
	"Quá hạn",
	"Chờ bổ sung",
};

/* ?1 today "YYYY-MM-DD", ?2 tomorrow, ?3 now "YYYY-MM-DDTHH:MM". Open
 * dossiers are those received (2) or being processed (4). */
static const char *const count_sql[COUNT__N] = {
	"SELECT count(*) FROM dossiers WHERE received_at >= ?1 AND received_at < ?2",
	"SELECT count(*) FROM dossiers WHERE status IN (2, 4)"
	" AND appointment >= ?3 AND appointment < ?2",
	"SELECT count(*) FROM dossiers WHERE status IN (2, 4) AND appointment < ?3",
	"SELECT count(*) FROM dossiers WHERE status = 5",
};

/* Enter on a count lists those dossiers. */
static const enum dossiers_filter count_filters[COUNT__N] = {
	DOSSIERS_RECEIVED_TODAY, DOSSIERS_DUE_TODAY, DOSSIERS_OVERDUE, DOSSIERS_SUPPLEMENT,
};

/* Selectable rows: the counts, then the menu (where the selection starts). */
#define N_ROWS (COUNT__N + s->nmenu)

struct home {
	long counts[COUNT__N];
	int sel; /* 0 .. COUNT__N - 1: a count; then menu[shown[sel - COUNT__N]] */
	int shown[MENU_MAX], nmenu; /* the menu entries this clerk sees */
	char today_vn[16];
};

static void refresh_counts(struct app *app, struct home *s)
{
	struct mc_dt now;
	if (clock_now(&now))
		return;
	char today[16], tomorrow[16], nowtext[20];
	mc_format_date(today, sizeof(today), now.y, now.m, now.d);
	int y, m, d;
	mc_civil_from_days(mc_days_from_civil(now.y, now.m, now.d) + 1, &y, &m, &d);
	mc_format_date(tomorrow, sizeof(tomorrow), y, m, d);
	mc_format_dt(nowtext, sizeof(nowtext), &now);
	mc_format_date_vn(s->today_vn, sizeof(s->today_vn), now.y, now.m, now.d);
	for (int i = 0; i < COUNT__N; i++) {
		sqlite3_stmt *q = store_prepare(&app->store, count_sql[i]);
		sqlite3_bind_text(q, 1, today, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 2, tomorrow, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 3, nowtext, -1, SQLITE_STATIC);
		s->counts[i] = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
		sqlite3_finalize(q);
	}
}

static int home_open(struct app *app, void *priv, const void *arg)
{
	struct home *s = priv;
	const char *role = app->clerk.role ? app->clerk.role : "";
	bool admin = !strcmp(role, "admin") || !strcmp(role, "supervisor");
	for (int i = 0; i < MENU_MAX; i++)
		if (!menu[i].admin || admin)
			s->shown[s->nmenu++] = i;
	s->sel = COUNT__N;
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
		if (i == s->sel) {
			wattrset(win, term_style(STYLE_SELECTED));
			term_blank(win, row, x, 40);
			term_text(win, row, x, 2, ">");
		}
		term_text(win, row, x + 2, 30, count_labels[i]);
		char num[24];
		snprintf(num, sizeof(num), "%6ld", s->counts[i]);
		if (i == COUNT_OVERDUE && s->counts[i] > 0 && i != s->sel)
			wattrset(win, term_style(STYLE_ERROR));
		term_text(win, row, x + 32, 8, num);
		wattrset(win, term_style(STYLE_NORMAL));
	}

	int my = y + 4 + COUNT__N;
	wattrset(win, term_style(STYLE_HEADER));
	term_text(win, my, x, w, "Chọn chức năng");
	for (int i = 0; i < s->nmenu; i++) {
		int m = s->shown[i];
		struct key k;
		char label[32] = " ";
		if (keymap_key_for(&app->keymap, KEYMAP_HOME, menu[m].action, &k))
			key_label(&k, label, sizeof(label));
		bool sel = COUNT__N + i == s->sel;
		int pad = 2 - mc_text_width(label);
		char *line = xasprintf("%s %s%*s %s", sel ? ">" : " ", label, pad > 0 ? pad : 0, "",
				       menu[m].label);
		wattrset(win, term_style(sel ? STYLE_SELECTED : STYLE_NORMAL));
		if (sel)
			term_blank(win, my + 1 + i, x, 30);
		term_text(win, my + 1 + i, x, 30, line);
		free(line);
	}
	wattrset(win, term_style(STYLE_NORMAL));
}

static int home_handle(struct app *app, void *priv, enum action act, const struct key_event *ev)
{
	struct home *s = priv;
	switch (act) {
	case ACTION_MOVE_UP:
	case ACTION_PREV_FIELD:
		s->sel = (s->sel + N_ROWS - 1) % N_ROWS;
		return SCR_HANDLED;
	case ACTION_MOVE_DOWN:
	case ACTION_NEXT_FIELD:
		s->sel = (s->sel + 1) % N_ROWS;
		return SCR_HANDLED;
	case ACTION_HOME:
		s->sel = 0;
		return SCR_HANDLED;
	case ACTION_END:
		s->sel = N_ROWS - 1;
		return SCR_HANDLED;
	case ACTION_CONFIRM:
		if (s->sel < COUNT__N) {
			app_push_screen(app, &dossiers_screen, &count_filters[s->sel]);
			return SCR_HANDLED;
		}
		/* the action may replace this screen: nothing after it */
		return app_do_action(app, menu[s->shown[s->sel - COUNT__N]].action) | SCR_HANDLED;
	default:
		for (int i = 0; i < s->nmenu; i++)
			if (menu[s->shown[i]].action == act)
				s->sel = COUNT__N + i;
		return SCR_IGNORED;
	}
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
};
