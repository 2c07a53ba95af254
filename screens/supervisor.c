/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Supervisor: the unit's queues (Enter opens one: screens/superqueue.c, with
 * sort, filters, reassignment), each clerk's workload (open and late by the
 * clerk in charge, received by the clerk who received) and the Decision 766
 * indicators for a week, month or year (w, m, y; [ and ] step back and
 * forward), for a unit (u) and a clerk (c), with a bar and the 8-week trend;
 * e exports them to CSV. Read when the screen opens, when the clerk comes
 * back to it and when the choice changes. The body scrolls (PgUp/PgDn)
 * when the terminal is short. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "client/tui/app.h"
#include "client/base/clock.h"
#include "client/tui/dialog.h"
#include "client/tui/listview.h"
#include "client/tui/menu.h"
#include "client/services/dossier_action.h"
#include "client/store/auth.h"
#include "client/store/indicators.h"
#include "client/store/lookup.h"
#include "client/store/supervision.h"
#include "client/store/units.h"
#include "client/store/workload.h"
#include "core/text.h"
#include "screens/screens.h"

/* Enter on a queue opens it (screens/superqueue.c). */
static const enum supervisor_queue queue_ids[SQ_COUNT] = {
	SQ_overdue, SQ_due_today, SQ_due_soon, SQ_waiting, SQ_ready,
};

#define TREND_WEEKS 8

enum period { PERIOD_WEEK, PERIOD_MONTH, PERIOD_YEAR };

struct supervisor {
	struct listview queues_lv; /* the selected queue (up, down and Tab wrap) */
	struct listview body;      /* a pager over the body's lines */
	enum period period;
	int shift;          /* periods before (< 0) or after this one */
	char *ind_unit;     /* the indicators' unit (NULL: this workstation's) */
	char *ind_clerk, *ind_clerk_name; /* NULL: every clerk */
	struct mc_ind_period trend[TREND_WEEKS];
	struct mc_indicator_value trend_v[TREND_WEEKS][MC_IND_COUNT];
	bool trend_ok;
	bool exporting;     /* the CSV path prompt is open */
	struct dialog dlg;
	long queues[SQ_COUNT];
	struct clerk_workloads clerks;
	struct mc_ind_period range;
	struct mc_indicator_value ind[MC_IND_COUNT];
	bool ind_ok;
};

static void date_at(long days, char *buf, size_t n)
{
	int y, m, d;
	mc_civil_from_days(days, &y, &m, &d);
	mc_format_date(buf, n, y, m, d);
}

static void load_clerks(struct app *app, struct supervisor *s, const struct mc_dt *now)
{
	clerk_workloads_release(&s->clerks);
	struct strbuf err = STRBUF_INIT;
	if (clerk_workload_load(&app->store, app->unit_code, now, &s->clerks, &err))
		app_error(app, "%s", err.buf);
	strbuf_release(&err);
}

static const char *ind_unit(const struct app *app, const struct supervisor *s)
{
	return s->ind_unit ? s->ind_unit : app->unit_code;
}

/* The whole week (Monday to Sunday), month or year around today, moved by
 * s->shift periods; the trend: the 8 weeks up to the period's end, or up to
 * today when the period goes on past it. */
static void load_indicators(struct app *app, struct supervisor *s, const struct mc_dt *now)
{
	long today = mc_days_from_civil(now->y, now->m, now->d), lo, hi;
	int y = now->y, m = now->m;
	switch (s->period) {
	case PERIOD_WEEK:
		lo = today - (mc_weekday(today) + 6) % 7 + 7L * s->shift;
		hi = lo + 6;
		break;
	case PERIOD_MONTH: {
		int k = y * 12 + (m - 1) + s->shift;
		y = k / 12;
		m = k % 12 + 1;
		lo = mc_days_from_civil(y, m, 1);
		hi = (m == 12 ? mc_days_from_civil(y + 1, 1, 1) : mc_days_from_civil(y, m + 1, 1)) - 1;
		break;
	}
	default:
		lo = mc_days_from_civil(y + s->shift, 1, 1);
		hi = mc_days_from_civil(y + s->shift, 12, 31);
		break;
	}
	char from[16], to[16], last[16];
	date_at(lo, from, sizeof(from));
	date_at(hi, to, sizeof(to));
	date_at(hi < today ? hi : today < lo ? lo : today, last, sizeof(last));
	struct strbuf err = STRBUF_INIT;
	const char *unit = ind_unit(app, s);
	s->ind_ok = mc_ind_period_parse(&s->range, from, to, &err) == 0 &&
		    indicators_compute(&app->store, &s->range, unit, s->ind_clerk, s->ind, &err) == 0;
	s->trend_ok = s->ind_ok && indicators_trend(&app->store, last, TREND_WEEKS, unit,
						    s->ind_clerk, s->trend, s->trend_v, &err) == 0;
	if (!s->trend_ok)
		app_error(app, "%s", err.buf ? err.buf : "Không tính được chỉ tiêu");
	strbuf_release(&err);
}

/* The next unit with dossiers in the store (the workstation's first). */
static void next_unit(struct app *app, struct supervisor *s)
{
	char *next = units_next_with_dossiers(&app->store, app->unit_code, ind_unit(app, s));
	FREE(&s->ind_unit);
	s->ind_unit = next;
	FREE(&s->ind_clerk); /* a clerk of another unit: start again from all */
	FREE(&s->ind_clerk_name);
}

/* The next active clerk of the indicators' unit; all after the last. */
static void next_clerk(struct app *app, struct supervisor *s)
{
	struct clerk_list all = { 0 };
	struct strbuf err = STRBUF_INIT;
	if (auth_unit_clerks(&app->store, ind_unit(app, s), &all, &err))
		app_error(app, "%s", err.buf);
	strbuf_release(&err);
	char *user = NULL, *name = NULL;
	bool take = !s->ind_clerk;
	for (size_t i = 0; i < all.n; i++) {
		if (take) {
			user = xstrdup(all.v[i].username);
			name = xstrdup(all.v[i].full_name);
			break;
		}
		take = !strcmp(all.v[i].username, s->ind_clerk);
	}
	clerk_list_release(&all);
	free(s->ind_clerk);
	free(s->ind_clerk_name);
	s->ind_clerk = user;
	s->ind_clerk_name = name;
}

/* A name for the unit: its name in the units or communes table, or its code. */
static char *unit_label(struct app *app, const char *code)
{
	if (!code)
		return xstrdup("tất cả");
	char *name = lookup_unit_name(&app->store, code);
	char *label = name ? xasprintf("%s (%s)", name, code) : xstrdup(code);
	free(name);
	return label;
}

static char *default_export_path(struct app *app, struct supervisor *s)
{
	char *dir = supervision_export_dir(app->store.path ? app->store.path : "motcua.db");
	const char *unit = ind_unit(app, s);
	char *path = xasprintf("%s/chi-tieu-%s%s%s-%s-%s.csv", dir, unit ? unit : "tat-ca",
			       s->ind_clerk ? "-" : "", s->ind_clerk ? s->ind_clerk : "",
			       s->range.from, s->range.to);
	free(dir);
	return path;
}

static void export_csv(struct app *app, struct supervisor *s, const char *path)
{
	struct strbuf err = STRBUF_INIT;
	char *dir = supervision_export_dir(app->store.path ? app->store.path : "motcua.db");
	if (!strncmp(path, dir, strlen(dir)) && path[strlen(dir)] == '/')
		mkdir(dir, 0700); /* the default folder: made on first use */
	free(dir);
	if (!s->ind_ok)
		app_error(app, "Chưa tính được chỉ tiêu: không có gì để xuất");
	else if (indicators_write_csv(path, &s->range, ind_unit(app, s), s->ind_clerk, s->ind,
				      s->trend_ok ? TREND_WEEKS : 0, s->trend,
				      (const struct mc_indicator_value(*)[MC_IND_COUNT])s->trend_v,
				      &err))
		app_error(app, "Không xuất được chỉ tiêu: %s", err.buf);
	else
		app_info(app, "Đã xuất chỉ tiêu ra %s", path);
	strbuf_release(&err);
}

static void reload(struct app *app, struct supervisor *s)
{
	struct mc_dt now;
	if (clock_now(&now))
		return;
	for (int i = 0; i < SQ_COUNT; i++) {
		struct dossier_filter f;
		dossier_filter_init(&f, &now);
		s->queues[i] = supervisor_queue_filter(&app->store, i, &now, &f, NULL) == 0
				       ? dossier_count(&app->store, &f, NULL)
				       : -1;
	}
	load_clerks(app, s, &now);
	load_indicators(app, s, &now);
}

static int supervisor_open(struct app *app, void *priv, const void *arg)
{
	(void)arg;
	struct supervisor *s = priv;
	if (!auth_role_supervises(app->clerk.role)) { /* a clerk sees only their own work */
		app_error(app, "Màn hình Giám sát chỉ dành cho lãnh đạo, cán bộ giám sát");
		return -1;
	}
	s->period = PERIOD_MONTH;
	listview_init(&s->queues_lv, NULL, NULL);
	s->queues_lv.wrap = true;
	s->queues_lv.tab = true;
	listview_set_height(&s->queues_lv, SQ_COUNT);
	listview_set_count(&s->queues_lv, SQ_COUNT);
	listview_init(&s->body, NULL, NULL);
	s->body.pager = true;
	reload(app, s);
	return 0;
}

static void supervisor_resume(struct app *app, void *priv)
{
	reload(app, priv);
}

static void supervisor_done(struct app *app, void *priv)
{
	(void)app;
	struct supervisor *s = priv;
	clerk_workloads_release(&s->clerks);
	free(s->ind_unit);
	free(s->ind_clerk);
	free(s->ind_clerk_name);
	if (s->exporting)
		dialog_release(&s->dlg);
}

/* The indicators again, for the new choice. */
static int recompute(struct app *app, struct supervisor *s)
{
	struct mc_dt now;
	if (!clock_now(&now))
		load_indicators(app, s, &now);
	return SCR_HANDLED;
}

static int set_period(struct app *app, void *priv, int period)
{
	struct supervisor *s = priv;
	if ((enum period)period != s->period)
		s->shift = 0;
	s->period = (enum period)period;
	return recompute(app, s);
}

static int shift_period(struct app *app, void *priv, int by)
{
	struct supervisor *s = priv;
	s->shift += by;
	return recompute(app, s);
}

static int choose_unit(struct app *app, void *priv, int unused)
{
	next_unit(app, priv);
	return recompute(app, priv);
}

static int choose_clerk(struct app *app, void *priv, int unused)
{
	next_clerk(app, priv);
	return recompute(app, priv);
}

static int start_export(struct app *app, void *priv, int unused)
{
	struct supervisor *s = priv;
	char *path = default_export_path(app, s);
	dialog_init_prompt(&s->dlg, "Xuất chỉ tiêu (CSV)", "Ghi ra tệp:", 1000, true);
	field_set_text(&s->dlg.field, path);
	free(path);
	s->exporting = true;
	return SCR_HANDLED;
}

/* The indicators' menus, drawn as the keys above and under them. */
static const struct menu_item period_menu[] = {
	{ .action = ACTION_PERIOD_WEEK, .label = "tuần", .run = set_period, .id = PERIOD_WEEK },
	{ .action = ACTION_PERIOD_MONTH, .label = "tháng", .run = set_period, .id = PERIOD_MONTH },
	{ .action = ACTION_PERIOD_YEAR, .label = "năm", .run = set_period, .id = PERIOD_YEAR },
};
#define N_PERIOD_MENU (sizeof(period_menu) / sizeof(period_menu[0]))

static const struct menu_item scope_menu[] = {
	{ .action = ACTION_PERIOD_EARLIER, .label = NULL, .run = shift_period, .id = -1 },
	{ .action = ACTION_PERIOD_LATER, .label = "kỳ trước/sau", .run = shift_period, .id = 1 },
	{ .action = ACTION_NEXT_UNIT, .label = "đơn vị", .run = choose_unit },
	{ .action = ACTION_NEXT_CLERK, .label = "cán bộ", .run = choose_clerk },
	{ .action = ACTION_EXPORT, .label = "xuất CSV", .run = start_export },
};
#define N_SCOPE_MENU (sizeof(scope_menu) / sizeof(scope_menu[0]))

/* A bar of width cells for permille (0..1000) in block characters: full
 * cells, one partial cell in eighths, the rest light shade. */
static void bar(char *buf, size_t n, int permille, int width)
{
	static const char *const eighths[] = { "", "▏", "▎", "▍", "▌", "▋", "▊", "▉" };
	int units = (permille * width * 8 + 500) / 1000;
	struct strbuf sb = STRBUF_INIT;
	int cells = 0;
	for (; units >= 8; units -= 8, cells++)
		strbuf_addstr(&sb, "█");
	if (units > 0) {
		strbuf_addstr(&sb, eighths[units]);
		cells++;
	}
	for (; cells < width; cells++)
		strbuf_addstr(&sb, "░");
	snprintf(buf, n, "%s", sb.buf ? sb.buf : "");
	strbuf_release(&sb);
}

/* Body lines: 0 queues header, 1..5 queues, 7 workload header, 8 column
 * heads, clerks, a blank, the indicators header and the indicators. */
#define L_QUEUES 1
#define L_LOAD (L_QUEUES + SQ_COUNT + 1)

static int n_lines(const struct supervisor *s)
{
	/* clerks, a blank, the header, the scope, the column heads, the
	 * indicators, the keys */
	return L_LOAD + 2 + (s->clerks.n ? (int)s->clerks.n : 1) + 4 + MC_IND_COUNT + 1;
}

struct painter {
	WINDOW *win;
	int y0, x, w, top, h;
};

/* Draws s on body line `line` if it is visible, in the current style. */
static void put(const struct painter *p, int line, int col, int maxw, const char *s)
{
	int row = line - p->top;
	if (row < 0 || row >= p->h || col >= p->w)
		return;
	term_text(p->win, p->y0 + row, p->x + col, maxw < p->w - col ? maxw : p->w - col, s);
}


/* The selected queue's line above the view: back to the top. */
static void show_queue(struct supervisor *s)
{
	if (L_QUEUES + s->queues_lv.selected < s->body.top)
		listview_act(&s->body, ACTION_HOME);
}

static const char *const period_names[] = { "tuần này", "tháng này", "năm nay" };
static const char *const period_kinds[] = { "tuần", "tháng", "năm" };

static void supervisor_draw(struct app *app, void *priv, WINDOW *win, const struct rect *body)
{
	struct supervisor *s = priv;
	listview_set_count(&s->body, (size_t)n_lines(s));
	listview_set_height(&s->body, body->h);
	struct painter p = { win, body->y, body->x + 2, body->w - 4, (int)s->body.top, body->h };
	char buf[160];

	wattrset(win, term_style(STYLE_HEADER));
	put(&p, 0, 0, p.w, "Hàng chờ của đơn vị");
	for (int i = 0; i < SQ_COUNT; i++) {
		int line = L_QUEUES + i;
		bool sel = i == (int)s->queues_lv.selected;
		wattrset(win, term_style(sel ? STYLE_SELECTED : STYLE_NORMAL));
		if (sel && line - p.top >= 0 && line - p.top < p.h)
			term_blank(win, p.y0 + line - p.top, p.x, 44 < p.w ? 44 : p.w);
		put(&p, line, 0, 2, sel ? ">" : " ");
		put(&p, line, 2, 34, supervisor_queue_name(i));
		if (s->queues[i] < 0)
			snprintf(buf, sizeof(buf), "%6s", "?");
		else
			snprintf(buf, sizeof(buf), "%6ld", s->queues[i]);
		if (i == SQ_overdue && s->queues[i] > 0 && !sel)
			wattrset(win, term_style(STYLE_ERROR));
		put(&p, line, 38, 6, buf);
	}

	wattrset(win, term_style(STYLE_HEADER));
	put(&p, L_LOAD, 0, p.w, "Khối lượng theo cán bộ");
	wattrset(win, term_style(STYLE_DIM));
	put(&p, L_LOAD + 1, 2, 28, "Cán bộ");
	put(&p, L_LOAD + 1, 30, 8, " Đang mở");
	put(&p, L_LOAD + 1, 39, 12, "Nhận hôm nay");
	put(&p, L_LOAD + 1, 53, 8, "Tuần này");
	put(&p, L_LOAD + 1, 63, 8, " Quá hạn");
	wattrset(win, term_style(STYLE_NORMAL));
	int line = L_LOAD + 2;
	if (!s->clerks.n)
		put(&p, line++, 2, p.w, "(không có cán bộ nào của đơn vị)");
	for (size_t i = 0; i < s->clerks.n; i++, line++) {
		const struct clerk_workload *c = &s->clerks.v[i];
		put(&p, line, 2, 27, c->name);
		snprintf(buf, sizeof(buf), "%8ld", c->open);
		put(&p, line, 30, 8, buf);
		snprintf(buf, sizeof(buf), "%12ld", c->today);
		put(&p, line, 39, 12, buf);
		snprintf(buf, sizeof(buf), "%8ld", c->week);
		put(&p, line, 53, 8, buf);
		snprintf(buf, sizeof(buf), "%8ld", c->late);
		if (c->late > 0)
			wattrset(win, term_style(STYLE_ERROR));
		put(&p, line, 63, 8, buf);
		wattrset(win, term_style(STYLE_NORMAL));
	}

	line++;
	char from[16], to[16];
	struct mc_date a = { 0 }, b = { 0 };
	mc_parse_date(s->range.from, &a);
	mc_parse_date(s->range.to, &b);
	mc_format_date_vn(from, sizeof(from), a.y, a.m, a.d);
	mc_format_date_vn(to, sizeof(to), b.y, b.m, b.d);
	char *keys = menu_legend(&app->keymap, KEYMAP_SUPERVISOR, period_menu, N_PERIOD_MENU,
				 "[%s] %s", " ");
	snprintf(buf, sizeof(buf), "Chỉ tiêu %s (%s - %s)  %s",
		 s->shift ? period_kinds[s->period] : period_names[s->period], from, to, keys);
	free(keys);
	wattrset(win, term_style(STYLE_HEADER));
	put(&p, line++, 0, p.w, buf);
	wattrset(win, term_style(STYLE_NORMAL));
	char *unit = unit_label(app, ind_unit(app, s));
	snprintf(buf, sizeof(buf), "Đơn vị: %s · Cán bộ: %s", unit,
		 s->ind_clerk_name ? s->ind_clerk_name : "tất cả");
	free(unit);
	put(&p, line++, 2, p.w - 2, buf);
	wattrset(win, term_style(STYLE_DIM));
	put(&p, line, 30, 12, "Tử số/Mẫu số");
	put(&p, line, 45, 5, "Tỷ lệ");
	put(&p, line, 52, 12, "Mức");
	put(&p, line++, 65, 8, "8 tuần");
	wattrset(win, term_style(STYLE_NORMAL));
	for (int i = 0; i < MC_IND_COUNT; i++, line++) {
		const struct mc_indicator_value *v = &s->ind[i];
		put(&p, line, 2, 29, mc_indicator_name(i));
		if (!s->ind_ok)
			continue;
		char frac[48], right[64];
		snprintf(frac, sizeof(frac), "%lld/%lld", v->numerator, v->denominator);
		snprintf(right, sizeof(right), "%11s", frac);
		put(&p, line, 31, 11, right);
		char pct[16];
		mc_indicator_format_percent(pct, sizeof(pct), v);
		snprintf(buf, sizeof(buf), "%6s%s", pct, strcmp(pct, "-") ? "%" : " ");
		put(&p, line, 43, 7, buf);
		int pm = mc_indicator_permille(v);
		bar(buf, sizeof(buf), pm < 0 ? 0 : pm, 12);
		put(&p, line, 52, 12, buf);
		if (!s->trend_ok)
			continue;
		struct mc_indicator_value w[TREND_WEEKS];
		for (int k = 0; k < TREND_WEEKS; k++)
			w[k] = s->trend_v[k][i];
		indicators_sparkline(buf, sizeof(buf), w, TREND_WEEKS);
		put(&p, line, 65, 8, buf);
	}
	wattrset(win, term_style(STYLE_DIM));
	keys = menu_legend(&app->keymap, KEYMAP_SUPERVISOR, scope_menu, N_SCOPE_MENU, "%s %s", " · ");
	put(&p, line, 0, p.w, keys);
	free(keys);
	wattrset(win, term_style(STYLE_NORMAL));
	if (s->exporting) {
		dialog_draw(&s->dlg, win);
		int cy, cx;
		getyx(win, cy, cx);
		app_set_cursor(app, cy, cx);
	}
}

static int handle_export(struct app *app, struct supervisor *s, enum action act,
			 const struct key_event *ev)
{
	if (act == ACTION_QUIT)
		return SCR_IGNORED;
	enum widget_rc rc = dialog_key(&s->dlg, ev->edit, key_event_char(ev));
	if (rc == WIDGET_DONE) {
		char *path = dialog_value(&s->dlg);
		export_csv(app, s, path);
		free(path);
	}
	if (rc == WIDGET_DONE || rc == WIDGET_CANCEL) {
		dialog_release(&s->dlg);
		s->exporting = false;
	}
	return SCR_HANDLED;
}

static int supervisor_handle(struct app *app, void *priv, enum action act,
			     const struct key_event *ev)
{
	struct supervisor *s = priv;
	if (s->exporting)
		return handle_export(app, s, act, ev);
	switch (act) {
	case ACTION_CONFIRM:
		app_push_screen(app, &superqueue_screen, &queue_ids[s->queues_lv.selected]);
		return SCR_HANDLED;
	default: {
		int rc = menu_run(app, s, period_menu, N_PERIOD_MENU, act);
		if (!rc)
			rc = menu_run(app, s, scope_menu, N_SCOPE_MENU, act);
		return rc ? rc : SCR_IGNORED; /* the moves: supervisor_list */
	}
	}
}

/* Up and down (and Tab) choose a queue; the other moves scroll the body. */
static struct listview *supervisor_list(struct app *app, void *priv, enum action act)
{
	struct supervisor *s = priv;
	if (s->exporting)
		return NULL;
	return act == ACTION_MOVE_UP || act == ACTION_MOVE_DOWN || act == ACTION_NEXT_FIELD ||
			       act == ACTION_PREV_FIELD
		       ? &s->queues_lv
		       : &s->body;
}

static void supervisor_moved(struct app *app, void *priv, struct listview *lv)
{
	struct supervisor *s = priv;
	if (lv == &s->queues_lv)
		show_queue(s);
}

static const enum action supervisor_hints[] = { ACTION_CONFIRM, ACTION_PAGE_DOWN, ACTION_BACK,
						ACTION_NONE };

const struct screen_ops supervisor_screen = {
	.name = "supervisor",
	.title = "Giám sát",
	.keymap = "supervisor",
	.fields = true,
	.private_size = sizeof(struct supervisor),
	.hints = supervisor_hints,
	.open = supervisor_open,
	.resume = supervisor_resume,
	.draw = supervisor_draw,
	.handle = supervisor_handle,
	.list = supervisor_list,
	.moved = supervisor_moved,
	.done = supervisor_done,
};
