/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "client/tui/term.h"

#include <errno.h>
#include <langinfo.h>
#include <poll.h>
#include <stdint.h>
#include <strings.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/text.h"

static attr_t styles[STYLE__COUNT];

/* Monochrome first: every style must read without colour. */
static const attr_t mono_styles[STYLE__COUNT] = {
	[STYLE_NORMAL] = A_NORMAL,
	[STYLE_TITLE] = A_REVERSE | A_BOLD,
	[STYLE_STATUS] = A_REVERSE,
	[STYLE_HINT_KEY] = A_REVERSE,
	[STYLE_INFO] = A_BOLD,
	[STYLE_ERROR] = A_BOLD | A_REVERSE,
	[STYLE_HEADER] = A_BOLD,
	[STYLE_SELECTED] = A_REVERSE,
	[STYLE_FIELD] = A_UNDERLINE,
	[STYLE_FOCUS] = A_REVERSE | A_UNDERLINE,
	[STYLE_DIM] = A_DIM,
};

static void init_colors(void)
{
	static const struct {
		enum style style;
		short fg, bg;
		attr_t extra;
	} colored[] = {
		{ STYLE_TITLE, COLOR_WHITE, COLOR_BLUE, A_BOLD },
		{ STYLE_STATUS, COLOR_BLACK, COLOR_CYAN, A_NORMAL },
		{ STYLE_HINT_KEY, COLOR_BLACK, COLOR_CYAN, A_NORMAL },
		{ STYLE_INFO, COLOR_GREEN, -1, A_BOLD },
		{ STYLE_ERROR, COLOR_WHITE, COLOR_RED, A_BOLD },
		{ STYLE_HEADER, COLOR_YELLOW, -1, A_BOLD },
		{ STYLE_SELECTED, COLOR_BLACK, COLOR_CYAN, A_NORMAL },
		{ STYLE_FIELD, -1, -1, A_UNDERLINE },
		{ STYLE_FOCUS, COLOR_BLACK, COLOR_YELLOW, A_NORMAL },
	};
	start_color();
	int has_default = use_default_colors() == OK;
	for (size_t i = 0; i < sizeof(colored) / sizeof(colored[0]); i++) {
		short fg = colored[i].fg, bg = colored[i].bg;
		if (!has_default) {
			fg = fg < 0 ? COLOR_WHITE : fg;
			bg = bg < 0 ? COLOR_BLACK : bg;
		}
		short pair = (short)(i + 1);
		if (pair >= COLOR_PAIRS || init_pair(pair, fg, bg) != OK)
			continue;
		styles[colored[i].style] = COLOR_PAIR(pair) | colored[i].extra;
	}
}

attr_t term_style(enum style s)
{
	return (unsigned)s < STYLE__COUNT ? styles[s] : A_NORMAL;
}

static int is_utf8_locale(void)
{
	const char *cs = nl_langinfo(CODESET);
	return cs && (!strcasecmp(cs, "UTF-8") || !strcasecmp(cs, "utf8"));
}

static int parse_size(const char *s, int *cols, int *rows)
{
	char *end;
	long c = strtol(s, &end, 10);
	if (end == s || (*end != 'x' && *end != 'X'))
		return -1;
	const char *r0 = end + 1;
	long r = strtol(r0, &end, 10);
	if (end == r0 || *end || c < 1 || r < 1 || c > 1000 || r > 1000)
		return -1;
	*cols = (int)c;
	*rows = (int)r;
	return 0;
}

static int open_headless(struct term *t, const char *script, struct strbuf *err)
{
	int cols = 80, rows = 24;
	const char *size = getenv("MOTCUA_SIZE");
	if (size && *size && parse_size(size, &cols, &rows)) {
		strbuf_addf(err, "MOTCUA_SIZE '%s' không hợp lệ (cần dạng CỘTxDÒNG, ví dụ 80x24)", size);
		return -1;
	}
	t->headless = true;
	t->script_path = xstrdup(script);
	t->script = fopen(script, "r");
	if (!t->script) {
		strbuf_addf(err, "không đọc được kịch bản phím %s: %s", script, strerror(errno));
		return -1;
	}
	t->out = fopen("/dev/null", "w");
	t->in = fopen("/dev/null", "r");
	t->own_streams = true;
	if (!t->out || !t->in) {
		strbuf_addf(err, "không mở được /dev/null: %s", strerror(errno));
		return -1;
	}
	/* A fixed terminal type: the dump must not depend on the caller's TERM. */
	static const char *const types[] = { "xterm", "xterm-256color", "vt100" };
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]) && !t->scr; i++)
		t->scr = newterm(types[i], t->out, t->in);
	if (!t->scr) {
		strbuf_addstr(err, "không khởi tạo được màn hình ảo (thiếu terminfo xterm)");
		return -1;
	}
	set_term(t->scr);
	resize_term(rows, cols);
	return 0;
}

static int open_tty(struct term *t, struct strbuf *err)
{
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		strbuf_addstr(err, "giao diện cần chạy trong một cửa sổ dòng lệnh (terminal);"
			      " các lệnh không giao diện: motcua --help");
		return -1;
	}
	t->out = stdout;
	t->in = stdin;
	t->scr = newterm(NULL, stdout, stdin);
	if (!t->scr) {
		const char *type = getenv("TERM");
		strbuf_addf(err, "không dùng được loại terminal '%s'; hãy đặt TERM, ví dụ TERM=xterm",
			    type ? type : "");
		return -1;
	}
	set_term(t->scr);
	return 0;
}

int term_open(struct term *t, struct strbuf *err)
{
	memset(t, 0, sizeof(*t));
	if (!is_utf8_locale()) {
		strbuf_addstr(err, "cần môi trường UTF-8 để hiển thị tiếng Việt;"
			      " hãy đặt, ví dụ: export LANG=C.UTF-8");
		return -1;
	}
	const char *script = getenv("MOTCUA_SCRIPT");
	int rc = (script && *script) ? open_headless(t, script, err) : open_tty(t, err);
	if (rc) {
		term_close(t);
		return -1;
	}
	raw(); /* keys like C-s and C-q reach us; no XON/XOFF freezes */
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	memcpy(styles, mono_styles, sizeof(styles));
	const char *nocolor = getenv("NO_COLOR");
	if (has_colors() && !(nocolor && *nocolor)) {
		init_colors();
		t->colors = true;
	}
	return 0;
}

void term_close(struct term *t)
{
	if (t->scr) {
		endwin();
		delscreen(t->scr);
		t->scr = NULL;
	}
	if (t->own_streams) {
		if (t->out)
			fclose(t->out);
		if (t->in)
			fclose(t->in);
	}
	t->out = t->in = NULL;
	if (t->script)
		fclose(t->script);
	t->script = NULL;
	FREE(&t->script_path);
	FREE(&t->typed);
	FREE(&t->error);
}

void term_size(int *cols, int *rows)
{
	int y, x;
	getmaxyx(stdscr, y, x);
	*cols = x;
	*rows = y;
}

/* Interactive input */

static enum term_input read_tty(struct term *t, int wake_fd, int timeout_ms, struct key *key)
{
	for (;;) {
		wint_t ch;
		int rc = wget_wch(stdscr, &ch);
		if (rc == KEY_CODE_YES && ch == KEY_RESIZE)
			return TERM_RESIZE;
		if (rc == OK || rc == KEY_CODE_YES) {
			key->ch = ch;
			key->fn = rc == KEY_CODE_YES;
			key_normalize(key);
			return TERM_KEY;
		}
		struct pollfd p[2] = {
			{ .fd = fileno(t->in), .events = POLLIN },
			{ .fd = wake_fd, .events = POLLIN },
		};
		int n = poll(p, wake_fd >= 0 ? 2 : 1, timeout_ms);
		if (n == 0)
			return TERM_TICK;
		if (n < 0) {
			if (errno == EINTR) /* SIGWINCH: get_wch now says KEY_RESIZE */
				continue;
			return TERM_EOF;
		}
		if (wake_fd >= 0 && (p[1].revents & POLLIN))
			return TERM_EVENT;
		if ((p[0].revents & (POLLHUP | POLLERR | POLLNVAL)) && !(p[0].revents & POLLIN))
			return TERM_EOF;
	}
}

/* Headless input */

static enum term_input script_error(struct term *t, const char *fmt, const char *arg)
{
	char *msg = xasprintf(fmt, arg);
	free(t->error);
	t->error = xasprintf("%s:%d: %s", t->script_path, t->script_line, msg);
	free(msg);
	return TERM_ERROR;
}

static void queue_text(struct term *t, const char *s)
{
	t->ntyped = t->typed_pos = 0;
	size_t len = strlen(s);
	while (len) {
		int32_t cp;
		size_t used = mc_utf8_next(s, len, &cp);
		if (t->ntyped == t->typed_alloc) {
			t->typed_alloc = t->typed_alloc ? 2 * t->typed_alloc : 64;
			t->typed = xrealloc(t->typed, t->typed_alloc * sizeof(wint_t));
		}
		t->typed[t->ntyped++] = (wint_t)cp;
		s += used;
		len -= used;
	}
}

static int wake_ready(int wake_fd, int timeout_ms)
{
	if (wake_fd < 0)
		return 0;
	struct pollfd p = { .fd = wake_fd, .events = POLLIN };
	for (;;) {
		int n = poll(&p, 1, timeout_ms);
		if (n >= 0)
			return n > 0;
		if (errno != EINTR)
			return 0;
	}
}

/* Runs a :command line. Returns true with *out set when it makes an input
 * (a resize, an error), false when the script reads on. */
static bool script_command(struct term *t, char *line, enum term_input *out)
{
	char *arg = strchr(line, ' ');
	if (arg)
		*arg++ = '\0';
	if (!strcmp(line, ":type") && arg) {
		queue_text(t, arg);
		return false;
	}
	if (!strcmp(line, ":save-display") && arg) {
		struct strbuf err = STRBUF_INIT;
		if (term_dump(arg, &err)) {
			*out = script_error(t, "%s", err.buf);
			strbuf_release(&err);
			return true;
		}
		strbuf_release(&err);
		return false;
	}
	if (!strcmp(line, ":resize") && arg) {
		int cols, rows;
		if (parse_size(arg, &cols, &rows))
			*out = script_error(t, "kích thước không hợp lệ '%s'", arg);
		else if (resize_term(rows, cols) == ERR)
			*out = script_error(t, "không đổi được kích thước thành '%s'", arg);
		else
			*out = TERM_RESIZE;
		return true;
	}
	if (!strcmp(line, ":count-keys") && arg && (!strcmp(arg, "on") || !strcmp(arg, "off"))) {
		t->counting = !strcmp(arg, "on");
		if (t->counting)
			t->key_count = 0;
		return false;
	}
	if (!strcmp(line, ":hold-events") && arg && (!strcmp(arg, "on") || !strcmp(arg, "off"))) {
		t->holding = !strcmp(arg, "on");
		return false;
	}
	if (!strcmp(line, ":save-count") && arg) {
		FILE *f = fopen(arg, "w");
		if (!f || fprintf(f, "%u\n", t->key_count) < 0 || fclose(f)) {
			*out = script_error(t, "không ghi được %s", arg);
			return true;
		}
		return false;
	}
	*out = script_error(t, "lệnh kịch bản không hợp lệ '%s'", line);
	return true;
}

static enum term_input next_typed(struct term *t, struct key *key)
{
	key->ch = t->typed[t->typed_pos++];
	key->fn = false;
	key_normalize(key);
	return TERM_KEY;
}

static enum term_input read_script(struct term *t, int wake_fd, bool busy, struct key *key)
{
	char *line = NULL;
	size_t cap = 0;
	enum term_input r;
	for (;;) {
		/* Idle first: deliver worker events, wait for running workers
		 * (unless the script holds them back to see the screen while
		 * they run; checked again after each command line, so that
		 * :hold-events off delivers what was held). */
		if (!t->holding && wake_ready(wake_fd, busy ? -1 : 0)) {
			r = TERM_EVENT;
			break;
		}
		if (t->typed_pos < t->ntyped) {
			r = next_typed(t, key);
			break;
		}
		ssize_t len = getline(&line, &cap, t->script);
		if (len < 0) {
			r = TERM_EOF;
			break;
		}
		t->script_line++;
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (!len || line[0] == '#')
			continue;
		if (line[0] == ':' && line[1]) {
			if (script_command(t, line, &r))
				break;
			continue;
		}
		if (key_parse(line, key)) {
			r = script_error(t, "tên phím không hợp lệ '%s'", line);
			break;
		}
		if (t->counting)
			t->key_count++;
		r = TERM_KEY;
		break;
	}
	free(line);
	return r;
}

enum term_input term_read(struct term *t, int wake_fd, bool busy, int timeout_ms,
			  struct key *key)
{
	if (t->headless)
		return read_script(t, wake_fd, busy, key);
	return read_tty(t, wake_fd, timeout_ms, key);
}

/* Screen dump */

/* VT100 line drawing (A_ALTCHARSET cells) as Unicode. */
static wchar_t acs_unicode(wchar_t c)
{
	static const struct {
		char acs;
		wchar_t uni;
	} map[] = {
		{ 'q', 0x2500 }, { 'x', 0x2502 }, { 'l', 0x250c }, { 'k', 0x2510 },
		{ 'm', 0x2514 }, { 'j', 0x2518 }, { 't', 0x251c }, { 'u', 0x2524 },
		{ 'w', 0x252c }, { 'v', 0x2534 }, { 'n', 0x253c }, { 'a', 0x2592 },
		{ '~', 0x00b7 }, { '`', 0x25c6 }, { '0', 0x2588 },
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (c == (wchar_t)map[i].acs)
			return map[i].uni;
	return c;
}

static void dump_row(FILE *f, int y, int cols, cchar_t *cells)
{
	struct strbuf sb = STRBUF_INIT;
	size_t keep = 0; /* length without trailing spaces */
	int n = mvwin_wchnstr(curscr, y, 0, cells, cols);
	for (int x = 0; n != ERR && x < cols; x++) {
		wchar_t wch[CCHARW_MAX + 1];
		attr_t attrs;
		short pair;
		if (getcchar(&cells[x], wch, &attrs, &pair, NULL) == ERR)
			break;
		if (!wch[0])
			break; /* end of the row (wide characters use two cells) */
		for (int i = 0; wch[i]; i++) {
			wchar_t c = (attrs & A_ALTCHARSET) ? acs_unicode(wch[i]) : wch[i];
			char utf8[5] = { 0 };
			strbuf_add(&sb, utf8, mc_utf8_put((int32_t)c, utf8));
		}
		if (wch[0] != L' ' || wch[1])
			keep = sb.len;
	}
	if (sb.buf)
		fwrite(sb.buf, 1, keep, f);
	fputc('\n', f);
	strbuf_release(&sb);
}

int term_dump(const char *path, struct strbuf *err)
{
	FILE *f = fopen(path, "w");
	if (!f) {
		strbuf_addf(err, "không ghi được %s: %s", path, strerror(errno));
		return -1;
	}
	int rows, cols;
	getmaxyx(curscr, rows, cols);
	cchar_t *cells = xcalloc((size_t)cols + 1, sizeof(cchar_t));
	for (int y = 0; y < rows; y++)
		dump_row(f, y, cols, cells);
	free(cells);
	if (fclose(f)) {
		strbuf_addf(err, "không ghi được %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* Drawing helpers */

/* A copy of s with invalid bytes as U+FFFD and control characters (a tab
 * or newline in stored data would move the cursor) as '?'; NULL when s is
 * fine as it is. */
static char *printable_copy(const char *s)
{
	bool controls = false;
	for (const unsigned char *p = (const unsigned char *)s; *p && !controls; p++)
		controls = *p < 0x20 || *p == 0x7f;
	if (!controls && mc_text_valid(s))
		return NULL;
	char *copy = mc_text_sanitize(s);
	for (char *p = copy; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	return copy;
}

int term_text(WINDOW *w, int y, int x, int maxw, const char *s)
{
	if (maxw <= 0 || !s)
		return 0;
	char *clean = printable_copy(s);
	if (clean)
		s = clean;
	size_t n = mc_text_clip(s, maxw);
	int used = 0;
	if (n) {
		char *part = xstrndup(s, n);
		used = mc_text_width(part);
		mvwaddnstr(w, y, x, part, (int)n);
		free(part);
	} else {
		wmove(w, y, x);
	}
	free(clean);
	return used;
}

void term_blank(WINDOW *w, int y, int x, int n)
{
	if (n <= 0)
		return;
	wmove(w, y, x);
	for (int i = 0; i < n; i++)
		waddch(w, ' ');
}
