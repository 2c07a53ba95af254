/* Supervisor: the unit's queues (Enter lists them), each clerk's workload and
 * the Decision 766 indicators for this week, month or year (w, m, y). Read
 * when the screen opens, when the clerk comes back to it and when the period
 * changes. The body scrolls (PgUp/PgDn) when the terminal is short. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/app.h"
#include "client/clock.h"
#include "client/indicators.h"
#include "core/text.h"
#include "screens/screens.h"

/* Enter on a queue opens the list with this filter (same order as
 * SUPERVISOR_QUEUES). */
static const enum dossiers_filter queue_filters[SQ_COUNT] = {
	DOSSIERS_OVERDUE, DOSSIERS_DUE_TODAY, DOSSIERS_DUE_SOON, DOSSIERS_SUPPLEMENT,
	DOSSIERS_RESULT,
};

enum period { PERIOD_WEEK, PERIOD_MONTH, PERIOD_YEAR };

struct clerk_load {
	char *name;
	long open, today, week, late;
};

struct supervisor {
	int sel; /* the selected queue */
	int top; /* the first body line shown */
	enum period period;
	long queues[SQ_COUNT];
	struct clerk_load *clerks;
	int n_clerks;
	struct mc_ind_period range;
	struct mc_indicator_value ind[MC_IND_COUNT];
	bool ind_ok;
	int body_h; /* rows of the body at the last draw */
};

/* Open: not finished (new, received, processing, waiting, fees, result
 * ready). Late: being handled (2, 4) past the appointment. ?1 today,
 * ?2 tomorrow, ?3 Monday of this week, ?4 now, ?5 the unit. One count per
 * clerk and measure, each a range of the store's indexes on (unit_code,
 * clerk, status, appointment) and (unit_code, clerk, received_at). */
static const char clerk_sql[] =
	"SELECT c.full_name,"
	" (SELECT count(*) FROM dossiers d WHERE d.unit_code = ?5 AND d.clerk = c.username"
	"  AND d.status IN (1, 2, 4, 5, 6, 9)),"
	" (SELECT count(*) FROM dossiers d WHERE d.unit_code = ?5 AND d.clerk = c.username"
	"  AND d.received_at >= ?1 AND d.received_at < ?2),"
	" (SELECT count(*) FROM dossiers d WHERE d.unit_code = ?5 AND d.clerk = c.username"
	"  AND d.received_at >= ?3 AND d.received_at < ?2),"
	" (SELECT count(*) FROM dossiers d WHERE d.unit_code = ?5 AND d.clerk = c.username"
	"  AND d.status IN (2, 4) AND d.appointment < ?4)"
	" FROM clerks c WHERE c.unit_code = ?5 AND c.disabled = 0"
	" ORDER BY c.full_name, c.username";

static void clerks_free(struct supervisor *s)
{
	for (int i = 0; i < s->n_clerks; i++)
		free(s->clerks[i].name);
	FREE(&s->clerks);
	s->n_clerks = 0;
}

static void date_at(long days, char *buf, size_t n)
{
	int y, m, d;
	mc_civil_from_days(days, &y, &m, &d);
	mc_format_date(buf, n, y, m, d);
}

static void load_clerks(struct app *app, struct supervisor *s, const struct mc_dt *now)
{
	clerks_free(s);
	long today = mc_days_from_civil(now->y, now->m, now->d);
	long monday = today - (mc_weekday(today) + 6) % 7;
	char d_today[16], d_tomorrow[16], d_monday[16], nowtext[20];
	date_at(today, d_today, sizeof(d_today));
	date_at(today + 1, d_tomorrow, sizeof(d_tomorrow));
	date_at(monday, d_monday, sizeof(d_monday));
	mc_format_dt(nowtext, sizeof(nowtext), now);
	sqlite3_stmt *q = store_prepare(&app->store, clerk_sql);
	if (!q)
		return;
	sqlite3_bind_text(q, 1, d_today, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, d_tomorrow, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, d_monday, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, nowtext, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 5, app->unit_code ? app->unit_code : "", -1, SQLITE_STATIC);
	while (sqlite3_step(q) == SQLITE_ROW) {
		s->clerks = xrealloc(s->clerks, (size_t)(s->n_clerks + 1) * sizeof(*s->clerks));
		struct clerk_load *c = &s->clerks[s->n_clerks++];
		c->name = xstrdup((const char *)sqlite3_column_text(q, 0));
		c->open = sqlite3_column_int64(q, 1);
		c->today = sqlite3_column_int64(q, 2);
		c->week = sqlite3_column_int64(q, 3);
		c->late = sqlite3_column_int64(q, 4);
	}
	sqlite3_finalize(q);
}

/* The whole week (Monday to Sunday), month or year around today. */
static void load_indicators(struct app *app, struct supervisor *s, const struct mc_dt *now)
{
	long today = mc_days_from_civil(now->y, now->m, now->d), lo, hi;
	switch (s->period) {
	case PERIOD_WEEK:
		lo = today - (mc_weekday(today) + 6) % 7;
		hi = lo + 6;
		break;
	case PERIOD_MONTH:
		lo = mc_days_from_civil(now->y, now->m, 1);
		hi = (now->m == 12 ? mc_days_from_civil(now->y + 1, 1, 1)
				   : mc_days_from_civil(now->y, now->m + 1, 1)) - 1;
		break;
	default:
		lo = mc_days_from_civil(now->y, 1, 1);
		hi = mc_days_from_civil(now->y, 12, 31);
		break;
	}
	char from[16], to[16];
	date_at(lo, from, sizeof(from));
	date_at(hi, to, sizeof(to));
	struct strbuf err = STRBUF_INIT;
	s->ind_ok = mc_ind_period_parse(&s->range, from, to, &err) == 0 &&
		    indicators_compute(&app->store, &s->range, app->unit_code, NULL, s->ind,
				       &err) == 0;
	if (!s->ind_ok)
		app_error(app, "%s", err.buf ? err.buf : "Không tính được chỉ tiêu");
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
	s->period = PERIOD_MONTH;
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
	clerks_free(priv);
}

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
	return L_LOAD + 2 + (s->n_clerks ? s->n_clerks : 1) + 2 + MC_IND_COUNT;
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

static void scroll_to(struct supervisor *s, int top, int h)
{
	int max = n_lines(s) - h;
	s->top = top > max ? max : top;
	if (s->top < 0)
		s->top = 0;
}

static const char *const period_names[] = { "tuần này", "tháng này", "năm nay" };

static void supervisor_draw(struct app *app, void *priv, WINDOW *win, const struct rect *body)
{
	(void)app;
	struct supervisor *s = priv;
	struct painter p = { win, body->y, body->x + 2, body->w - 4, s->top, body->h };
	char buf[160];
	s->body_h = body->h;
	scroll_to(s, s->top, body->h);
	p.top = s->top;

	wattrset(win, term_style(STYLE_HEADER));
	put(&p, 0, 0, p.w, "Hàng chờ của đơn vị");
	for (int i = 0; i < SQ_COUNT; i++) {
		int line = L_QUEUES + i;
		bool sel = i == s->sel;
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
	if (!s->n_clerks)
		put(&p, line++, 2, p.w, "(không có cán bộ nào của đơn vị)");
	for (int i = 0; i < s->n_clerks; i++, line++) {
		const struct clerk_load *c = &s->clerks[i];
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
	snprintf(buf, sizeof(buf), "Chỉ tiêu %s (%s - %s)  [w] tuần [m] tháng [y] năm",
		 period_names[s->period], from, to);
	wattrset(win, term_style(STYLE_HEADER));
	put(&p, line++, 0, p.w, buf);
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
		bar(buf, sizeof(buf), pm < 0 ? 0 : pm, 20);
		put(&p, line, 52, 20, buf);
	}
}

static int supervisor_handle(struct app *app, void *priv, enum action act,
			     const struct key_event *ev)
{
	struct supervisor *s = priv;
	struct rect body = { 0, 0, 0, s->body_h > 0 ? s->body_h : 1 };
	switch (act) {
	case ACTION_MOVE_UP:
	case ACTION_PREV_FIELD:
		s->sel = (s->sel + SQ_COUNT - 1) % SQ_COUNT;
		scroll_to(s, L_QUEUES + s->sel < s->top ? 0 : s->top, body.h);
		return SCR_HANDLED;
	case ACTION_MOVE_DOWN:
	case ACTION_NEXT_FIELD:
		s->sel = (s->sel + 1) % SQ_COUNT;
		scroll_to(s, L_QUEUES + s->sel < s->top ? 0 : s->top, body.h);
		return SCR_HANDLED;
	case ACTION_PAGE_DOWN:
		scroll_to(s, s->top + body.h - 1, body.h);
		return SCR_HANDLED;
	case ACTION_PAGE_UP:
		scroll_to(s, s->top - (body.h - 1), body.h);
		return SCR_HANDLED;
	case ACTION_HOME:
		s->top = 0;
		return SCR_HANDLED;
	case ACTION_END:
		scroll_to(s, n_lines(s), body.h);
		return SCR_HANDLED;
	case ACTION_CONFIRM:
		app_push_screen(app, &dossiers_screen, &queue_filters[s->sel]);
		return SCR_HANDLED;
	default:
		break;
	}
	wint_t ch = key_event_char(ev);
	enum period np = ch == L'w' ? PERIOD_WEEK : ch == L'm' ? PERIOD_MONTH
					 : ch == L'y' ? PERIOD_YEAR : (enum period)-1;
	if ((int)np < 0)
		return SCR_IGNORED;
	s->period = np;
	struct mc_dt now;
	if (!clock_now(&now))
		load_indicators(app, s, &now);
	return SCR_HANDLED;
}

static const enum action supervisor_hints[] = { ACTION_CONFIRM, ACTION_PAGE_DOWN, ACTION_BACK,
						ACTION_NONE };

const struct screen_ops supervisor_screen = {
	.name = "supervisor",
	.title = "Giám sát",
	.keymap = "generic",
	.private_size = sizeof(struct supervisor),
	.hints = supervisor_hints,
	.open = supervisor_open,
	.resume = supervisor_resume,
	.draw = supervisor_draw,
	.handle = supervisor_handle,
	.done = supervisor_done,
};
