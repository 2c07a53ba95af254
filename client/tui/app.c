/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "client/tui/app.h"

#include "client/base/progress.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>
#include <wctype.h>

#include "client/base/exitcode.h"
#include "client/base/clock.h"
#include "client/scan/ocrworker.h"
#include "client/store/keyring.h"
#include "client/store/units.h"
#include "client/tui/job.h"
#include "client/tui/listview.h"
#include "core/version.h"
#include "core/text.h"
#include "sync/sync.h"
#include "sync/worker.h"

#define SYNC_OFFLINE "Ngoại tuyến"

wint_t key_event_char(const struct key_event *ev)
{
	wint_t c = ev->key.ch;
	if (ev->key.fn || c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c > 0x10ffff)
		return 0;
	return c;
}

/* Events */

int app_events_init(struct app *app)
{
	if (pipe2(app->event_pipe, O_CLOEXEC)) {
		app->event_pipe[0] = app->event_pipe[1] = -1;
		return -1;
	}
	/* The loop drains without blocking; writers may block when it is full. */
	fcntl(app->event_pipe[0], F_SETFL, O_NONBLOCK);
	return 0;
}

void app_events_release(struct app *app)
{
	for (int i = 0; i < 2; i++) {
		if (app->event_pipe[i] >= 0)
			close(app->event_pipe[i]);
		app->event_pipe[i] = -1;
	}
}

int app_post_event(struct app *app, app_event_fn *fn, void *data)
{
	struct app_event ev = { fn, data };
	/* One write of less than PIPE_BUF bytes is atomic between threads. */
	for (;;) {
		ssize_t n = write(app->event_pipe[1], &ev, sizeof(ev));
		if (n == (ssize_t)sizeof(ev))
			return 0;
		if (n < 0 && errno == EINTR)
			continue;
		return -1;
	}
}

int app_run_events(struct app *app)
{
	int ran = 0;
	struct app_event ev;
	for (;;) {
		ssize_t n = read(app->event_pipe[0], &ev, sizeof(ev));
		if (n < 0 && errno == EINTR)
			continue;
		if (n != (ssize_t)sizeof(ev))
			return ran;
		ev.fn(app, ev.data);
		ran++;
	}
}

void app_busy_begin(struct app *app)
{
	app->busy++;
}

void app_busy_end(struct app *app)
{
	if (app->busy)
		app->busy--;
}

/* Status line */

static void set_status(struct app *app, enum status_kind kind, const char *fmt, va_list ap)
{
	free(app->status);
	app->status = xvasprintf(fmt, ap);
	app->status_kind = kind;
}

void app_info(struct app *app, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	set_status(app, STATUS_INFO, fmt, ap);
	va_end(ap);
}

void app_error(struct app *app, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	set_status(app, STATUS_ERROR, fmt, ap);
	va_end(ap);
}

void app_clear_status(struct app *app)
{
	FREE(&app->status);
	app->status_kind = STATUS_NONE;
}

void app_set_cursor(struct app *app, int y, int x)
{
	app->cursor_y = y;
	app->cursor_x = x;
	app->cursor_shown = true;
}

/* The screen stack */

const struct app_screen *app_top(const struct app *app)
{
	return app->depth ? &app->stack[app->depth - 1] : NULL;
}

/* Opens a screen; 0 with *out ready, or -1 (already cleaned up). */
static int screen_open(struct app *app, const struct screen_ops *ops, const void *arg,
		       struct app_screen *out)
{
	int km = keymap_from_name(ops->keymap ? ops->keymap : "generic");
	out->ops = ops;
	out->keymap = km < 0 ? KEYMAP_GENERIC : (enum keymap_id)km;
	out->priv = xcalloc(1, ops->private_size ? ops->private_size : 1);
	if (ops->open && ops->open(app, out->priv, arg)) {
		if (ops->done)
			ops->done(app, out->priv);
		FREE(&out->priv);
		return -1;
	}
	return 0;
}

/* Closed screens are freed after the dispatch that closed them, so that a
 * handler may replace its own screen and still return. */
static void bury(struct app *app, const struct app_screen *s)
{
	if (app->ndead == app->dead_alloc) {
		app->dead_alloc = app->dead_alloc ? 2 * app->dead_alloc : 4;
		app->dead = xrealloc(app->dead, app->dead_alloc * sizeof(*app->dead));
	}
	app->dead[app->ndead++] = *s;
}

static void reap(struct app *app)
{
	/* done may close more screens: take one at a time */
	while (app->ndead) {
		struct app_screen s = app->dead[--app->ndead];
		if (s.ops->done)
			s.ops->done(app, s.priv);
		free(s.priv);
	}
}

static void stack_push(struct app *app, const struct app_screen *s)
{
	if (app->depth == app->stack_alloc) {
		app->stack_alloc = app->stack_alloc ? 2 * app->stack_alloc : 8;
		app->stack = xrealloc(app->stack, app->stack_alloc * sizeof(*app->stack));
	}
	app->stack[app->depth++] = *s;
}

int app_push_screen(struct app *app, const struct screen_ops *ops, const void *arg)
{
	struct app_screen s;
	if (screen_open(app, ops, arg, &s))
		return -1;
	stack_push(app, &s);
	return 0;
}

static void resume_top(struct app *app)
{
	const struct app_screen *top = app_top(app);
	if (top && top->ops->resume)
		top->ops->resume(app, top->priv);
}

/* Closes the screen whose private state is priv, wherever it is. */
static void close_screen(struct app *app, const void *priv)
{
	for (size_t i = app->depth; i-- > 0;) {
		if (app->stack[i].priv != priv)
			continue;
		bury(app, &app->stack[i]);
		memmove(&app->stack[i], &app->stack[i + 1], (app->depth - i - 1) * sizeof(*app->stack));
		app->depth--;
		if (i == app->depth)
			resume_top(app);
		return;
	}
}

int app_set_root_screen(struct app *app, const struct screen_ops *ops, const void *arg)
{
	struct app_screen s;
	if (screen_open(app, ops, arg, &s))
		return -1;
	while (app->depth)
		bury(app, &app->stack[--app->depth]);
	stack_push(app, &s);
	return 0;
}

/* The clerk and the unit */

static void load_unit(struct app *app, const char *code)
{
	FREE(&app->unit_code);
	FREE(&app->unit_name);
	if (!code || !*code)
		return;
	app->unit_code = xstrdup(code);
	app->unit_name = units_name(&app->store, code);
	if (!app->unit_name)
		app->unit_name = xasprintf("Đơn vị %s", code);
}

void app_login(struct app *app, struct clerk *c)
{
	clerk_release(&app->clerk);
	app->clerk = *c;
	memset(c, 0, sizeof(*c));
	app->logged_in = true;
	if (!app->unit_code || strcmp(app->unit_code, app->clerk.unit_code))
		load_unit(app, app->clerk.unit_code);
	app_set_root_screen(app, app->screens->home, NULL);
}

void app_logout(struct app *app)
{
	char *user = xstrdup(app->clerk.username ? app->clerk.username : "");
	clerk_release(&app->clerk);
	app->logged_in = false;
	app_set_root_screen(app, app->screens->login, user);
	free(user);
	app_info(app, "Đã đăng xuất");
}

/* Global actions */

static int open_action(struct app *app, enum action act)
{
	for (size_t i = 0; i < app->screens->nopeners; i++) {
		const struct app_opener *o = &app->screens->openers[i];
		if (o->action != act)
			continue;
		if (!app->logged_in)
			return SCR_IGNORED;
		app_push_screen(app, o->ops, NULL);
		return SCR_HANDLED;
	}
	return SCR_IGNORED;
}

static void key_hint(const struct app *app, enum action act, char *buf, size_t n)
{
	struct key k;
	const struct app_screen *top = app_top(app);
	if (keymap_key_for(&app->keymap, top ? top->keymap : KEYMAP_GENERIC, act, &k))
		key_label(&k, buf, n);
	else
		snprintf(buf, n, "%s", action_name(act));
}

int app_do_action(struct app *app, enum action act)
{
	char key[32];
	const struct app_screen *top = app_top(app);
	switch (act) {
	case ACTION_QUIT:
		return SCR_QUIT;
	case ACTION_HELP:
		app_push_screen(app, app->screens->help, top ? top->ops : NULL);
		return SCR_HANDLED;
	case ACTION_BACK:
		if (app->depth > 1)
			return SCR_BACK;
		key_hint(app, ACTION_QUIT, key, sizeof(key));
		app_info(app, "Nhấn %s để thoát chương trình", key);
		return SCR_HANDLED;
	case ACTION_OPEN_HOME:
		if (!app->logged_in)
			return SCR_IGNORED;
		app_set_root_screen(app, app->screens->home, NULL);
		return SCR_HANDLED;
	case ACTION_LOGOUT:
		if (!app->logged_in)
			return SCR_IGNORED;
		app_logout(app);
		return SCR_HANDLED;
	case ACTION_SYNC_NOW:
		if (app->sync) {
			/* the worker answers with what really happened */
			app_busy_begin(app);
			sync_worker_wake(app->sync, true);
			app_info(app, "Đang đồng bộ với máy chủ...");
			return SCR_HANDLED;
		}
		app_info(app, "Chưa cấu hình máy chủ đồng bộ: làm việc ngoại tuyến,"
			 " dữ liệu lưu trên máy này");
		return SCR_HANDLED;
	case ACTION_REFRESH:
		return SCR_REDRAW;
	case ACTION_TOGGLE_TELEX:
		/* one switch for every field; screens mirror it in their fields */
		app->telex = !app->telex;
		app_info(app, app->telex ? "Đã bật gõ Telex" : "Đã tắt gõ Telex");
		return SCR_HANDLED;
	default:
		return open_action(app, act);
	}
}

/* Benchmark log (bench/run.sh, docs/PERFORMANCE.md). MOTCUA_BENCH_LOG=FILE
 * appends one line per event, fields separated by one space:
 *   start NS             CLOCK_MONOTONIC in ns when app_main began
 *   first-screen NS      CLOCK_MONOTONIC in ns when the first screen was drawn
 *   key US NAME          a key, from its read to the end of the screen update
 *                        it caused (doupdate), in microseconds; NAME as in
 *                        keymaps (<Down>, a)
 *   rss PEAK_KB NOW_KB   at exit: peak (getrusage) and current resident set
 * With MOTCUA_BENCH_CPU=1 too, the CPU time (user + sys, every thread:
 * CLOCK_PROCESS_CPUTIME_ID) beside each, which a loaded machine does not
 * inflate as it does the wall time:
 *   cpu-first US         the process's CPU time from exec to the first screen
 *   cpu-key US           after each key line: that key's CPU time
 * Unset, it costs one pointer test per key and per screen update. Nothing
 * else in the program reads or writes this state. */
static struct {
	FILE *f;
	bool drawn, key_pending, cpu;
	struct timespec key_t0, key_cpu0;
	char key_name[32];
} bench;

static long long bench_ns(const struct timespec *t)
{
	return (long long)t->tv_sec * 1000000000LL + t->tv_nsec;
}

static void bench_open(void)
{
	const char *path = getenv("MOTCUA_BENCH_LOG");
	if (!path || !*path || !(bench.f = fopen(path, "a")))
		return;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	fprintf(bench.f, "start %lld\n", bench_ns(&now));
	const char *cpu = getenv("MOTCUA_BENCH_CPU");
	bench.cpu = cpu && !strcmp(cpu, "1");
}

static void bench_key(const struct key *k)
{
	clock_gettime(CLOCK_MONOTONIC, &bench.key_t0);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &bench.key_cpu0);
	key_format(k, bench.key_name, sizeof(bench.key_name));
	bench.key_pending = true;
}

static void bench_drawn(void)
{
	struct timespec now, cpu;
	clock_gettime(CLOCK_MONOTONIC, &now);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu);
	if (!bench.drawn) {
		fprintf(bench.f, "first-screen %lld\n", bench_ns(&now));
		if (bench.cpu)
			fprintf(bench.f, "cpu-first %lld\n", bench_ns(&cpu) / 1000);
	}
	if (bench.key_pending) {
		fprintf(bench.f, "key %lld %s\n", (bench_ns(&now) - bench_ns(&bench.key_t0)) / 1000,
			bench.key_name);
		if (bench.cpu)
			fprintf(bench.f, "cpu-key %lld\n",
				(bench_ns(&cpu) - bench_ns(&bench.key_cpu0)) / 1000);
	}
	bench.drawn = true;
	bench.key_pending = false;
}

static void bench_close(void)
{
	if (!bench.f)
		return;
	struct rusage ru;
	long now_kb = 0, pages;
	FILE *statm = fopen("/proc/self/statm", "r");
	if (statm && fscanf(statm, "%*d %ld", &pages) == 1)
		now_kb = pages * (sysconf(_SC_PAGESIZE) / 1024);
	if (statm)
		fclose(statm);
	getrusage(RUSAGE_SELF, &ru);
	fprintf(bench.f, "rss %ld %ld\n", ru.ru_maxrss, now_kb);
	fclose(bench.f);
	bench.f = NULL;
}

/* Drawing */

static void draw_title(struct app *app, const struct rect *r)
{
	const struct app_screen *top = app_top(app);
	wattrset(stdscr, term_style(STYLE_TITLE));
	term_blank(stdscr, r->y, r->x, r->w);
	char *left = xasprintf(" Một cửa — %s", top && top->ops->title ? top->ops->title : "");
	char right[32];
	snprintf(right, sizeof(right), "motcua %s ", MOTCUA_VERSION);
	int rw = mc_text_width(right);
	term_text(stdscr, r->y, r->x, r->w - rw - 1, left);
	term_text(stdscr, r->y, r->x + r->w - rw, rw, right);
	free(left);
}

static const char *const weekdays[] = { "Chủ nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư",
					"Thứ Năm", "Thứ Sáu", "Thứ Bảy" };

static void draw_status(struct app *app, const struct rect *r)
{
	wattrset(stdscr, term_style(STYLE_STATUS));
	term_blank(stdscr, r->y, r->x, r->w);
	struct mc_dt now;
	char when[64] = "";
	if (!clock_now(&now)) {
		char date[16];
		mc_format_date_vn(date, sizeof(date), now.y, now.m, now.d);
		long days = mc_days_from_civil(now.y, now.m, now.d);
		snprintf(when, sizeof(when), "%s %s %02d:%02d", weekdays[mc_weekday(days)], date,
			 now.hh, now.mi);
	}
	char *right = xasprintf("%s%s │ %s ", app->telex ? "TELEX │ " : "", when,
				app->sync_state);
	char *left = xasprintf(" %s │ %s",
			       app->logged_in ? app->clerk.full_name : "Chưa đăng nhập",
			       app->unit_name ? app->unit_name
			       : app_locked(app) ? "Kho dữ liệu đã mã hóa"
			       : "Chưa cấu hình đơn vị");
	int rw = mc_text_width(right);
	term_text(stdscr, r->y, r->x, r->w - rw - 1, left);
	term_text(stdscr, r->y, r->x + r->w - rw, rw, right);
	free(left);
	free(right);
}

#define HINT_GAP 2

/* The columns "F1 Trợ giúp" takes on the hint line; 0 when act has no key. */
static int hint_width(struct app *app, enum action act)
{
	struct key k;
	if (!keymap_key_for(&app->keymap, app_top(app)->keymap, act, &k))
		return 0;
	char label[32];
	key_label(&k, label, sizeof(label));
	return mc_text_width(label) + 1 + mc_text_width(action_help(act));
}

/* Draws the hint for act at *x if it fits before end, and moves *x past it
 * and the gap after it. */
static void draw_hint(struct app *app, int y, int *x, int end, enum action act)
{
	struct key k;
	int need = hint_width(app, act);
	if (!need || *x + need > end || !keymap_key_for(&app->keymap, app_top(app)->keymap, act, &k))
		return;
	char label[32];
	key_label(&k, label, sizeof(label));
	wattrset(stdscr, term_style(STYLE_HINT_KEY));
	int used = term_text(stdscr, y, *x, need, label);
	wattrset(stdscr, term_style(STYLE_NORMAL));
	term_text(stdscr, y, *x + used + 1, need - used - 1, action_help(act));
	*x += need + HINT_GAP;
}

static void draw_hints(struct app *app, const struct rect *r)
{
	wattrset(stdscr, term_style(STYLE_NORMAL));
	term_blank(stdscr, r->y, r->x, r->w);
	if (app->status) {
		bool err = app->status_kind == STATUS_ERROR;
		wattrset(stdscr, term_style(err ? STYLE_ERROR : STYLE_INFO));
		if (err)
			term_blank(stdscr, r->y, r->x, r->w);
		term_text(stdscr, r->y, r->x + 1, r->w - 2, app->status);
		return;
	}
	/* F1 first, the screen's own, F10 last: room for F10 is kept */
	const struct app_screen *top = app_top(app);
	int x = r->x + 1, end = r->x + r->w;
	draw_hint(app, r->y, &x, end, ACTION_HELP);
	int quit_w = hint_width(app, ACTION_QUIT) + HINT_GAP;
	for (const enum action *a = top->ops->hints; a && *a; a++)
		if (*a != ACTION_HELP && *a != ACTION_QUIT)
			draw_hint(app, r->y, &x, end - quit_w, *a);
	draw_hint(app, r->y, &x, end, ACTION_QUIT);
}

/* The message, word-wrapped in the middle of the whole screen. */
static void draw_too_small(const struct layout *l)
{
	char *msg = xasprintf("Cửa sổ quá nhỏ: cần ít nhất %dx%d (hiện tại %dx%d)",
			      LAYOUT_MIN_COLS, LAYOUT_MIN_ROWS, l->cols, l->rows);
	int start[16], len[16];
	int n = layout_wrap(msg, l->cols > 2 ? l->cols - 2 : l->cols, start, len, 16);
	int y0 = (l->rows - n) / 2;
	wattrset(stdscr, term_style(STYLE_ERROR));
	for (int i = 0; i < n && y0 + i < l->rows; i++) {
		char *line = xstrndup(msg + start[i], (size_t)len[i]);
		int w = mc_text_width(line);
		int x = w < l->cols ? (l->cols - w) / 2 : 0;
		if (y0 + i >= 0)
			term_text(stdscr, y0 + i, x, l->cols, line);
		free(line);
	}
	free(msg);
}

static void draw_all(struct app *app)
{
	const struct layout *l = &app->layout;
	werase(stdscr);
	app->cursor_shown = false;
	if (l->too_small) {
		draw_too_small(l);
	} else {
		const struct app_screen *top = app_top(app);
		draw_title(app, &l->title);
		wattrset(stdscr, term_style(STYLE_NORMAL));
		if (top && top->ops->draw)
			top->ops->draw(app, top->priv, stdscr, &l->body);
		draw_status(app, &l->status);
		draw_hints(app, &l->hints);
	}
	wattrset(stdscr, A_NORMAL);
	if (app->cursor_shown) {
		curs_set(1);
		wmove(stdscr, app->cursor_y, app->cursor_x);
	} else {
		curs_set(0);
	}
	wnoutrefresh(stdscr);
	doupdate();
	if (bench.f)
		bench_drawn();
}

/* Sync: the worker and the status bar */

/* The status bar's sync words, read from the store (the worker writes it);
 * a newly queued operation wakes an automatic worker. */
static void sync_refresh(struct app *app)
{
	if (!app->sync)
		return;
	struct sync_view v;
	sync_view_load(&app->store, &v);
	struct mc_dt now;
	char today[16] = "";
	if (!clock_now(&now))
		mc_format_date(today, sizeof(today), now.y, now.m, now.d);
	free(app->sync_text);
	app->sync_text = sync_view_text(&v, today);
	app->sync_state = app->sync_text;
	if (v.pending > app->sync_pending)
		sync_worker_wake(app->sync, false);
	app->sync_pending = v.pending;
	sync_view_release(&v);
}

struct sync_done {
	bool ok;
	char *message;
	unsigned requests;
};

static void on_sync_done(struct app *app, void *data)
{
	struct sync_done *d = data;
	if (d->requests) {
		/* F5: the status line says what really happened */
		if (d->ok)
			app_info(app, "%s", d->message);
		else
			app_error(app, "%s", d->message);
	}
	for (unsigned i = 0; i < d->requests; i++)
		app_busy_end(app);
	free(d->message);
	free(d);
	sync_refresh(app);
}

/* A pass going on: the status bar counts its items and bytes. */
static void on_sync_progress(struct app *app, void *data)
{
	struct sync_progress *sp = data;
	static const struct {
		const char *phase, *words;
	} phases[] = { { "push", "gửi" }, { "pull", "nhận" }, { "files", "gửi tệp" } };
	const char *words = sp->phase;
	for (size_t i = 0; i < sizeof(phases) / sizeof(phases[0]); i++)
		if (!strcmp(phases[i].phase, sp->phase))
			words = phases[i].words;
	char bytes[24];
	progress_bytes((long long)sp->bytes, bytes, sizeof bytes);
	free(app->sync_text);
	if (sp->items_total > 0)
		app->sync_text = xasprintf("Đồng bộ: %s %ld/%ld · %s", words, sp->items_done,
					   sp->items_total, bytes);
	else
		app->sync_text = xasprintf("Đồng bộ: %s %ld · %s", words, sp->items_done, bytes);
	app->sync_state = app->sync_text;
	free(sp);
}

/* Worker thread: a copy of where the pass is, for the main thread. */
static void sync_progress_post(void *arg, const struct sync_progress *p)
{
	struct sync_progress *copy = xmalloc(sizeof(*copy));
	*copy = *p;
	if (app_post_event(arg, on_sync_progress, copy))
		free(copy);
}

/* Worker thread: hands the pass over to the main thread. */
static void sync_notify(void *arg, bool ok, char *message, unsigned requests)
{
	struct sync_done *d = xmalloc(sizeof(*d));
	*d = (struct sync_done){ ok, message, requests };
	if (app_post_event(arg, on_sync_done, d)) {
		free(message);
		free(d);
	}
}

/* A worker only when a server is configured; headless, it syncs only when
 * asked (once at start, then F5), so that scripts stay deterministic. */
static void sync_start(struct app *app)
{
	if (!sync_configured(&app->store))
		return;
	struct strbuf err = STRBUF_INIT;
	bool automatic = !app->term.headless;
	app->sync = sync_worker_start(app->store.path, automatic, 0, sync_notify, sync_progress_post,
				      app, &err);
	if (!app->sync) {
		app_error(app, "Không chạy được đồng bộ: %s", err.buf);
		strbuf_release(&err);
		return;
	}
	if (!automatic) {
		app_busy_begin(app);
		sync_worker_wake(app->sync, true);
	}
	sync_refresh(app);
}

static void sync_stop(struct app *app)
{
	if (!app->sync)
		return;
	sync_worker_stop(app->sync);
	app->sync = NULL;
	app_run_events(app); /* what the worker posted before it stopped */
}

/* OCR: the worker and its passes */

struct ocr_done {
	unsigned requests;
};

static void on_ocr_done(struct app *app, void *data)
{
	struct ocr_done *d = data;
	for (unsigned i = 0; i < d->requests; i++)
		app_busy_end(app);
	free(d);
}

/* Worker thread: the pass is over. */
static void ocr_notify(void *arg, int done, int failed, unsigned requests)
{
	(void)done;
	(void)failed;
	struct ocr_done *d = xmalloc(sizeof(*d));
	d->requests = requests;
	if (app_post_event(arg, on_ocr_done, d))
		free(d);
}

void app_ocr_wake(struct app *app)
{
	if (!app->ocr)
		return;
	app_busy_begin(app);
	ocr_worker_wake(app->ocr);
}

/* A pass at start for what was left pending (in headless mode too: the
 * script waits for it, so what it sees does not depend on timing). */
static void ocr_start(struct app *app)
{
	struct strbuf err = STRBUF_INIT;
	app->ocr = ocr_worker_start(app->store.path, ocr_notify, app, &err);
	if (!app->ocr)
		app_error(app, "Không chạy được nhận dạng chữ (OCR): %s", err.buf);
	else
		app_ocr_wake(app);
	strbuf_release(&err);
}

static void ocr_stop(struct app *app)
{
	if (!app->ocr)
		return;
	ocr_worker_stop(app->ocr);
	app->ocr = NULL;
	app_run_events(app); /* what the worker posted before it stopped */
}

/* An encrypted store: locked until a clerk's password opens it */

bool app_locked(const struct app *app)
{
	return app->store.db == NULL;
}

/* What follows the store's opening: its unit, the sweep of what a killed
 * session left, the workers. */
static void store_ready(struct app *app)
{
	char *unit = store_get_setting(&app->store, "unit_code");
	load_unit(app, unit);
	free(unit);
	store_sweep(app->store.path);
	sync_start(app);
	ocr_start(app);
}

int app_unlock(struct app *app, const char *username, const char *password, struct clerk *out,
	       struct strbuf *err)
{
	memset(out, 0, sizeof(*out));
	int rc = keyring_unlock(app->store.path, username, password, err);
	if (rc)
		return rc == KEYRING_REFUSED ? AUTH_REFUSED : AUTH_FAULT;
	char *path = xstrdup(app->store.path);
	if (store_open(&app->store, path, STORE_EXCLUSIVE | STORE_HAVE_LOCK, err)) {
		/* the lock went with it: take it again for the next try */
		struct strbuf ignored = STRBUF_INIT;
		store_init(&app->store, path);
		store_lock(&app->store, &ignored);
		strbuf_release(&ignored);
		free(path);
		return AUTH_FAULT;
	}
	free(path);
	store_ready(app);
	if (auth_load_clerk(&app->store, username, out)) {
		strbuf_addstr(err, AUTH_BAD_LOGIN);
		return AUTH_REFUSED;
	}
	if (out->disabled) {
		strbuf_addf(err, "Tài khoản '%s' đã bị khóa; hãy liên hệ quản trị viên", username);
		clerk_release(out);
		return AUTH_REFUSED;
	}
	return 0;
}

int app_encrypt_pending(struct app *app, const char *username, const char *password,
			struct strbuf *err)
{
	if (app_locked(app) || !store_encryption_pending(&app->store))
		return 0;
	ocr_stop(app); /* their connections would keep the plain file */
	sync_stop(app);
	int rc = keyring_encrypt_pending(&app->store, username, password, err);
	if (!rc && sync_token_reseal(&app->store)) {
		strbuf_addstr(err, "không mã hóa được mã đăng nhập máy chủ");
		rc = -1;
	}
	if (app->store.db) {
		sync_start(app);
		ocr_start(app);
	}
	return rc < 0 ? -1 : 0;
}

/* The loop */

/* The one place that handles a new terminal size. */
static void on_resize(struct app *app)
{
	int cols, rows;
	term_size(&cols, &rows);
	layout_compute(cols, rows, &app->layout);
	clearok(curscr, TRUE);
}

static void apply(struct app *app, const void *priv, int flags)
{
	if (flags & SCR_REDRAW)
		clearok(curscr, TRUE);
	if (flags & SCR_QUIT)
		app->quit = true;
	if (flags & SCR_BACK)
		close_screen(app, priv);
}

/* What the screen ignored and moves lists: its list moves (tig's
 * view_driver), the same way on every screen. */
static int move_list(struct app *app, const struct screen_ops *ops, void *priv,
		     enum action act, int flags)
{
	struct listview *lv;
	if (!listview_moves(NULL, act) || !ops->list || !(lv = ops->list(app, priv, act)) ||
	    listview_act(lv, act) == WIDGET_IGNORED)
		return flags;
	if (ops->moved)
		ops->moved(app, priv, lv);
	return (flags & ~SCR_IGNORED) | SCR_HANDLED;
}

static void dispatch_key(struct app *app, const struct key *k)
{
	const struct app_screen *top = app_top(app);
	struct key_event ev = { keymap_lookup(&app->keymap, top->keymap, k),
				keymap_lookup_field(&app->keymap, top->keymap, k), *k };
	if (app->layout.too_small) {
		/* nothing but the message until the window grows; F10 still quits */
		if (ev.action == ACTION_QUIT)
			app->quit = true;
		return;
	}
	app_clear_status(app);
	/* handle may push screens (the stack may move): keep what we need */
	const struct screen_ops *ops = top->ops;
	void *priv = top->priv;
	int flags = ops->handle ? ops->handle(app, priv, ev.action, &ev) : SCR_IGNORED;
	if (flags & SCR_IGNORED)
		flags = move_list(app, ops, priv, ev.action, flags);
	if (flags & SCR_IGNORED)
		flags |= app_do_action(app, ev.action);
	apply(app, priv, flags);
}

/* Milliseconds until the clock on the status bar changes; -1 when fixed. */
static int tick_timeout(void)
{
	if (clock_is_fixed())
		return -1;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	long ms = (long)(ts.tv_sec % 60) * 1000 + ts.tv_nsec / 1000000;
	return (int)(60000 - ms + 50);
}

static int run_loop(struct app *app)
{
	on_resize(app);
	while (!app->quit && app->depth) {
		if (store_damaged(NULL))
			return MC_EXIT_FAULT; /* a damaged store: leave, said by app_main */
		sync_refresh(app);
		draw_all(app);
		struct key k;
		enum term_input in = term_read(&app->term, app->event_pipe[0], app->busy > 0,
					       tick_timeout(), &k);
		switch (in) {
		case TERM_KEY:
			if (bench.f)
				bench_key(&k);
			dispatch_key(app, &k);
			break;
		case TERM_RESIZE:
			on_resize(app);
			break;
		case TERM_EVENT:
			app_run_events(app);
			break;
		case TERM_TICK:
			break;
		case TERM_EOF:
			app->quit = true;
			break;
		case TERM_ERROR:
			return MC_EXIT_BADINPUT;
		}
		reap(app);
	}
	return MC_EXIT_OK;
}

/* Start and end */

static void load_keymaps(struct app *app)
{
	keymap_init(&app->keymap);
	keymap_load_defaults(&app->keymap);
	char *path = keymap_user_path();
	app->keys_path = keymap_shown_path(path);
	keymap_load_file(&app->keymap, path, app->keys_path);
	free(path);
	size_t n = app->keymap.nwarnings;
	if (n == 1)
		app_error(app, "Tệp phím: %s", app->keymap.warnings[0]);
	else if (n > 1)
		app_error(app, "Tệp phím %s có %zu dòng lỗi, đã bỏ qua (xem F1)", app->keys_path, n);
}

static void app_release(struct app *app)
{
	ocr_stop(app);
	sync_stop(app);
	while (app->depth)
		bury(app, &app->stack[--app->depth]);
	reap(app);
	app_jobs_finish(app); /* a receipt being printed is printed */
	free(app->stack);
	free(app->dead);
	term_close(&app->term);
	app_events_release(app);
	clerk_release(&app->clerk);
	keymap_release(&app->keymap);
	store_close(&app->store);
	free(app->unit_code);
	free(app->unit_name);
	free(app->keys_path);
	free(app->status);
	free(app->preselect_user);
	bench_close();
	free(app->sync_text);
}

static int fault(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int fault(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("motcua: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	return MC_EXIT_FAULT;
}

int app_main(const struct app_screens *screens, const char *path, const char *user)
{
	char *script_err = NULL;
	int rc;
	bench_open();
	struct app app;
	memset(&app, 0, sizeof(app));
	app.screens = screens;
	app.event_pipe[0] = app.event_pipe[1] = -1;
	app.store.lock_fd = -1;
	app.sync_state = SYNC_OFFLINE;
	app.preselect_user = user ? xstrdup(user) : NULL;

	struct strbuf err = STRBUF_INIT;
	rc = MC_EXIT_FAULT;
	/* An encrypted store stays locked (only its lock taken) until the
	 * login screen opens it with a clerk's password. */
	bool locked = keyring_is_encrypted(path) && !keyring_unlocked(path);
	if (auth_init(&err)) {
		fault("%s", err.buf);
		goto out;
	}
	if (locked) {
		store_init(&app.store, path);
		if (store_lock(&app.store, &err)) {
			fault("%s", err.buf);
			goto out;
		}
	} else if (store_open(&app.store, path, STORE_EXCLUSIVE, &err)) {
		fault("%s", err.buf);
		goto out;
	}
	if (app_events_init(&app)) {
		fault("không tạo được kênh sự kiện: %s", strerror(errno));
		goto out;
	}
	if (!locked) {
		/* a damaged store is said before the screen takes the terminal */
		char *unit = store_get_setting(&app.store, "unit_code");
		load_unit(&app, unit);
		free(unit);
		if (store_damaged(&err)) {
			fault("%s", err.buf);
			goto out;
		}
	}
	load_keymaps(&app);
	if (term_open(&app.term, &err)) {
		fault("%s", err.buf);
		goto out;
	}
	if (!locked)
		store_ready(&app);
	if (app_push_screen(&app, screens->login, app.preselect_user)) {
		rc = MC_EXIT_FAULT;
		goto out;
	}
	rc = run_loop(&app);
	/* a damaged store or a bad script line: said once the screen is gone */
	if (rc == MC_EXIT_FAULT && store_damaged(&err))
		script_err = strbuf_detach(&err);
	else if (rc)
		script_err = xstrdup(app.term.error ? app.term.error : "?");
out:
	app_release(&app);
	if (script_err)
		fprintf(stderr, "motcua: %s\n", script_err);
	free(script_err);
	strbuf_release(&err);
	return rc;
}
