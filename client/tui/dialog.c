/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Dialog boxes. Layout of a box (border, one column of padding):
 *
 *	┌─ Title ───────────────┐
 *	│ message line 1         │
 *	│ message line 2         │
 *	│ [field.............]   │   prompt only
 *	│ error or blank         │   prompt only
 *	│                        │   message and confirm only
 *	│    [ Đồng ý ]  [ Hủy ] │   or the prompt's key line
 *	└────────────────────────┘
 */
#include "client/tui/dialog.h"

#include <stdlib.h>
#include <string.h>

#include "core/text.h"

#define BTN_YES "[ Đồng ý ]"
#define BTN_NO "[ Hủy ]"
#define BTN_CLOSE "[ Đóng ]"
#define PROMPT_KEYS "Enter: Đồng ý   Esc: Hủy"
#define MIN_WIDTH 36
#define MAX_WIDTH 70

static void init_common(struct dialog *d, enum dialog_kind kind, const char *title,
			const char *message)
{
	memset(d, 0, sizeof(*d));
	d->kind = kind;
	d->title = title ? mc_text_sanitize(title) : NULL;
	d->message = mc_text_sanitize(message ? message : "");
	field_init(&d->field, 0, 0);
}

void dialog_init_message(struct dialog *d, const char *title, const char *message)
{
	init_common(d, DIALOG_MESSAGE, title, message);
}

void dialog_init_confirm(struct dialog *d, const char *title, const char *message,
			 bool default_yes)
{
	init_common(d, DIALOG_CONFIRM, title, message);
	d->button = default_yes ? 0 : 1;
}

void dialog_init_prompt(struct dialog *d, const char *title, const char *message,
			size_t max_chars, bool required)
{
	init_common(d, DIALOG_PROMPT, title, message);
	d->field.max_chars = max_chars;
	d->required = required;
}

void dialog_release(struct dialog *d)
{
	FREE(&d->title);
	FREE(&d->message);
	FREE(&d->error);
	field_release(&d->field);
}

/* The text without leading and trailing white space (malloc'd). */
static char *trimmed(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return xstrndup(s, n);
}

char *dialog_value(const struct dialog *d)
{
	if (d->kind != DIALOG_PROMPT)
		return xstrdup("");
	char *v = field_value(&d->field);
	char *t = trimmed(v);
	free(v);
	return t;
}

static enum widget_rc prompt_key(struct dialog *d, enum action act, wint_t ch)
{
	if (!ch && act == ACTION_CONFIRM) {
		char *v = dialog_value(d);
		bool blank = !*v;
		free(v);
		FREE(&d->error);
		if (blank && d->required) {
			d->error = xstrdup("Vui lòng nhập nội dung.");
			return WIDGET_REFUSED;
		}
		return WIDGET_DONE;
	}
	enum widget_rc rc = field_key(&d->field, act, ch);
	if (rc == WIDGET_CHANGED)
		FREE(&d->error);
	return rc;
}

enum widget_rc dialog_key(struct dialog *d, enum action act, wint_t ch)
{
	if (!ch && act == ACTION_BACK)
		return WIDGET_CANCEL;
	switch (d->kind) {
	case DIALOG_MESSAGE:
		if ((!ch && act == ACTION_CONFIRM) || ch == ' ')
			return WIDGET_DONE;
		return WIDGET_HANDLED; /* modal: nothing else gets through */
	case DIALOG_CONFIRM:
		switch (ch ? ACTION_NONE : act) {
		case ACTION_MOVE_LEFT:
		case ACTION_MOVE_RIGHT:
		case ACTION_NEXT_FIELD:
		case ACTION_PREV_FIELD:
			d->button = !d->button;
			return WIDGET_HANDLED;
		case ACTION_CONFIRM:
			return d->button == 0 ? WIDGET_DONE : WIDGET_CANCEL;
		default:
			return WIDGET_HANDLED;
		}
	case DIALOG_PROMPT:
		return prompt_key(d, act, ch);
	}
	return WIDGET_IGNORED;
}

/* ---- Wrapping and layout ----------------------------------------------- */

static void add_line(char ***lines, size_t *n, const char *s, size_t len)
{
	*lines = xrealloc(*lines, (*n + 1) * sizeof(**lines));
	(*lines)[(*n)++] = xstrndup(s, len);
}

/* One paragraph (no '\n') into lines. */
static void wrap_paragraph(const char *p, size_t len, int width, char ***lines, size_t *n)
{
	char *para = xstrndup(p, len);
	const char *s = para;
	for (bool first = true;; first = false) {
		while (*s == ' ')
			s++;
		if (!*s && !first)
			break;
		size_t fit = mc_text_clip(s, width);
		if (!s[fit]) {
			while (fit > 0 && s[fit - 1] == ' ')
				fit--;
			add_line(lines, n, s, fit);
			break;
		}
		size_t cut = fit;
		while (cut > 0 && s[cut] != ' ')
			cut--;
		if (cut == 0) /* one word longer than the line: cut it */
			cut = fit;
		if (cut == 0) { /* a character wider than the line */
			int32_t cp;
			cut = mc_utf8_next(s, strlen(s), &cp);
		}
		size_t end = cut;
		while (end > 0 && s[end - 1] == ' ')
			end--;
		add_line(lines, n, s, end);
		s += cut;
	}
	free(para);
}

char **dialog_wrap(const char *text, int width, size_t *n)
{
	char **lines = NULL;
	*n = 0;
	if (width < 1)
		width = 1;
	const char *s = text;
	for (;;) {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s);
		wrap_paragraph(s, len, width, &lines, n);
		if (!nl)
			break;
		s = nl + 1;
	}
	return lines;
}

void dialog_wrap_free(char **lines, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
}

static int widest_line(const char *text)
{
	int best = 0;
	char *copy = xstrdup(text);
	for (char *line = strtok(copy, "\n"); line; line = strtok(NULL, "\n")) {
		int w = mc_text_width(line);
		if (w > best)
			best = w;
	}
	free(copy);
	return best;
}

/* Rows below the message: field + error + keys, or blank + buttons. */
static int extra_rows(const struct dialog *d)
{
	return d->kind == DIALOG_PROMPT ? 3 : 2;
}

void dialog_layout(const struct dialog *d, int rows, int cols, struct dialog_box *box)
{
	int inner = widest_line(d->message);
	if (d->title && mc_text_width(d->title) + 2 > inner)
		inner = mc_text_width(d->title) + 2;
	box->width = inner + 4;
	if (box->width < MIN_WIDTH)
		box->width = MIN_WIDTH;
	if (box->width > MAX_WIDTH)
		box->width = MAX_WIDTH;
	if (box->width > cols)
		box->width = cols;
	inner = box->width - 4 > 1 ? box->width - 4 : 1;

	size_t n;
	char **lines = dialog_wrap(d->message, inner, &n);
	dialog_wrap_free(lines, n);
	int room = rows - 2 - extra_rows(d);
	box->lines = (int)n < room ? (int)n : (room > 0 ? room : 0);
	box->height = box->lines + 2 + extra_rows(d);
	if (box->height > rows)
		box->height = rows;
	box->y = (rows - box->height) / 2;
	box->x = (cols - box->width) / 2;
	if (box->y < 0)
		box->y = 0;
	if (box->x < 0)
		box->x = 0;
}

/* ---- Drawing ------------------------------------------------------------ */

static void put_clipped(WINDOW *w, int y, int x, const char *s, int width)
{
	if (width < 1)
		return;
	wmove(w, y, x);
	waddnstr(w, s, (int)mc_text_clip(s, width));
}

static void draw_buttons(const struct dialog *d, WINDOW *sub, int y, int width)
{
	if (d->kind == DIALOG_MESSAGE) {
		int bw = mc_text_width(BTN_CLOSE);
		wattr_on(sub, A_REVERSE, NULL);
		put_clipped(sub, y, (width - bw) / 2, BTN_CLOSE, width - 2);
		wattr_off(sub, A_REVERSE, NULL);
		return;
	}
	int yes = mc_text_width(BTN_YES), no = mc_text_width(BTN_NO);
	int x = (width - yes - 2 - no) / 2;
	if (x < 1)
		x = 1;
	wattrset(sub, d->button == 0 ? A_REVERSE : A_NORMAL);
	put_clipped(sub, y, x, BTN_YES, width - 1 - x);
	wattrset(sub, d->button == 1 ? A_REVERSE : A_NORMAL);
	put_clipped(sub, y, x + yes + 2, BTN_NO, width - 1 - (x + yes + 2));
	wattrset(sub, A_NORMAL);
}

/* A frame of Unicode box-drawing characters (readable in screen dumps and
 * shown by the Linux console's fonts), not the alternate character set. */
static void frame(WINDOW *w)
{
	static const wchar_t chars[] = L"│─┌┐└┘";
	cchar_t c[6];
	for (int i = 0; i < 6; i++) {
		wchar_t one[2] = { chars[i], L'\0' };
		setcchar(&c[i], one, A_NORMAL, 0, NULL);
	}
	wborder_set(w, &c[0], &c[0], &c[1], &c[1], &c[2], &c[3], &c[4], &c[5]);
}

void dialog_draw(struct dialog *d, WINDOW *parent)
{
	int rows, cols;
	struct dialog_box b;
	getmaxyx(parent, rows, cols);
	dialog_layout(d, rows, cols, &b);
	if (b.height < 3 || b.width < 5)
		return;
	WINDOW *sub = derwin(parent, b.height, b.width, b.y, b.x);
	if (!sub)
		return;
	int inner = b.width - 4;
	werase(sub);
	frame(sub);
	if (d->title) {
		wattr_on(sub, A_BOLD, NULL);
		put_clipped(sub, 0, 2, " ", 1);
		waddnstr(sub, d->title, (int)mc_text_clip(d->title, b.width - 6));
		waddch(sub, ' ');
		wattr_off(sub, A_BOLD, NULL);
	}
	size_t n;
	char **lines = dialog_wrap(d->message, inner, &n);
	for (int i = 0; i < b.lines && (size_t)i < n; i++)
		put_clipped(sub, 1 + i, 2, lines[i], inner);
	dialog_wrap_free(lines, n);

	int y = 1 + b.lines;
	if (d->kind == DIALOG_PROMPT) {
		field_draw(&d->field, sub, y, 2, inner, false);
		if (d->error) {
			wattr_on(sub, A_BOLD, NULL);
			put_clipped(sub, y + 1, 2, d->error, inner);
			wattr_off(sub, A_BOLD, NULL);
		}
		wattr_on(sub, A_DIM, NULL);
		put_clipped(sub, y + 2, 2, PROMPT_KEYS, inner);
		wattr_off(sub, A_DIM, NULL);
	} else {
		draw_buttons(d, sub, y + 1, b.width);
	}
	wsyncup(sub);
	delwin(sub);
	if (d->kind == DIALOG_PROMPT)
		wmove(parent, b.y + y, b.x + 2 + field_layout(&d->field, inner));
}
