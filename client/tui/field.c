/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The text field: every edit is one replace() of a byte range, after which
 * the whole text is normalised to NFC and the cursor is put back after the
 * same number of grapheme clusters. Fields are short, so the simple way
 * (scan from the start) is fast enough and obviously right. */
#include "client/tui/field.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "core/telex.h"
#include "core/text.h"

/* ---- Grapheme clusters -------------------------------------------------- */

static const char *text_of(const struct field *f)
{
	return f->text.buf ? f->text.buf : "";
}

/* End of the grapheme cluster starting at pos. */
static size_t next_grapheme(const char *s, size_t len, size_t pos)
{
	if (pos >= len)
		return len;
	int32_t prev, cp;
	utf8proc_int32_t state = 0;
	pos += mc_utf8_next(s + pos, len - pos, &prev);
	while (pos < len) {
		size_t k = mc_utf8_next(s + pos, len - pos, &cp);
		if (utf8proc_grapheme_break_stateful(prev, cp, &state))
			break;
		prev = cp;
		pos += k;
	}
	return pos;
}

/* Start of the grapheme cluster that ends at pos. */
static size_t prev_grapheme(const char *s, size_t len, size_t pos)
{
	size_t at = 0, last = 0;
	while (at < pos && at < len) {
		last = at;
		at = next_grapheme(s, len, at);
	}
	return last;
}

static size_t count_graphemes(const char *s, size_t len)
{
	size_t n = 0;
	for (size_t at = 0; at < len; at = next_grapheme(s, len, at))
		n++;
	return n;
}

static size_t grapheme_offset(const char *s, size_t len, size_t index)
{
	size_t at = 0;
	while (index-- && at < len)
		at = next_grapheme(s, len, at);
	return at;
}

/* Display columns of the grapheme [from, to): '*' for a masked field. */
static int grapheme_width(const struct field *f, const char *s, size_t from, size_t to)
{
	if (f->flags & FIELD_MASK)
		return 1;
	char *g = xstrndup(s + from, to - from);
	int w = mc_text_width(g);
	free(g);
	return w;
}

static int columns(const struct field *f, size_t from, size_t to)
{
	const char *s = text_of(f);
	int w = 0;
	while (from < to) {
		size_t e = next_grapheme(s, to, from);
		w += grapheme_width(f, s, from, e);
		from = e;
	}
	return w;
}

/* ---- Editing -------------------------------------------------------------- */

static bool is_control(int32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp < 0xa0);
}

/* s without control characters (and only digits for FIELD_DIGITS);
 * *dropped says whether anything was left out. */
static char *keep_allowed(const struct field *f, const char *s, bool *dropped)
{
	struct strbuf sb = STRBUF_INIT;
	size_t len = strlen(s);
	strbuf_addstr(&sb, "");
	*dropped = false;
	while (len) {
		int32_t cp;
		size_t k = mc_utf8_next(s, len, &cp);
		bool ok = !is_control(cp) && (!(f->flags & FIELD_DIGITS) || (cp >= '0' && cp <= '9'));
		if (ok) {
			char enc[4];
			strbuf_add(&sb, enc, mc_utf8_put(cp, enc));
		} else {
			*dropped = true;
		}
		s += k;
		len -= k;
	}
	return strbuf_detach(&sb);
}

/* Replaces bytes [from, to) with s (already filtered), normalises to NFC
 * and puts the cursor after s. Refused when the text would grow beyond
 * max_chars. */
static enum widget_rc replace(struct field *f, size_t from, size_t to, const char *s)
{
	const char *old = text_of(f);
	size_t old_len = f->text.len;
	size_t scroll_index = count_graphemes(old, f->scroll);
	struct strbuf sb = STRBUF_INIT;
	strbuf_add(&sb, old, from);
	strbuf_addstr(&sb, s);
	size_t index = count_graphemes(sb.buf, sb.len);
	strbuf_addstr(&sb, old + to);
	char *nfc = mc_text_nfc(sb.buf);
	strbuf_release(&sb);

	size_t n = strlen(nfc);
	size_t chars = count_graphemes(nfc, n);
	if (f->max_chars && chars > f->max_chars && chars > count_graphemes(old, old_len)) {
		free(nfc);
		return WIDGET_REFUSED;
	}
	bool same = n == old_len && !memcmp(nfc, old, n);
	strbuf_reset(&f->text);
	strbuf_add(&f->text, nfc, n);
	free(nfc);
	f->cursor = grapheme_offset(text_of(f), n, index);
	f->scroll = grapheme_offset(text_of(f), n, scroll_index);
	if (f->scroll > f->cursor)
		f->scroll = f->cursor;
	return same ? WIDGET_HANDLED : WIDGET_CHANGED;
}

void field_init(struct field *f, size_t max_chars, unsigned flags)
{
	memset(f, 0, sizeof(*f));
	strbuf_init(&f->text);
	f->max_chars = max_chars;
	f->flags = flags;
}

void field_release(struct field *f)
{
	strbuf_release(&f->text);
	FREE(&f->hint);
	f->cursor = f->scroll = 0;
}

void field_set_hint(struct field *f, const char *hint)
{
	FREE(&f->hint);
	if (hint)
		f->hint = xstrdup(hint);
}

void field_set_telex(struct field *f, bool on)
{
	f->telex = on;
}

void field_set_text(struct field *f, const char *s)
{
	bool dropped;
	char *clean = mc_text_sanitize(s ? s : "");
	char *kept = keep_allowed(f, clean, &dropped);
	char *nfc = mc_text_nfc(kept);
	size_t n = strlen(nfc);
	if (f->max_chars)
		n = grapheme_offset(nfc, n, f->max_chars);
	strbuf_reset(&f->text);
	strbuf_add(&f->text, nfc, n);
	f->cursor = n;
	f->scroll = 0;
	free(clean);
	free(kept);
	free(nfc);
}

const char *field_text(const struct field *f)
{
	return text_of(f);
}

char *field_value(const struct field *f)
{
	return mc_text_nfc(text_of(f));
}

bool field_empty(const struct field *f)
{
	return f->text.len == 0;
}

size_t field_length(const struct field *f)
{
	return count_graphemes(text_of(f), f->text.len);
}

size_t field_cursor_index(const struct field *f)
{
	return count_graphemes(text_of(f), f->cursor);
}

enum widget_rc field_insert(struct field *f, const char *s)
{
	bool dropped;
	char *clean = mc_text_sanitize(s);
	char *kept = keep_allowed(f, clean, &dropped);
	free(clean);
	enum widget_rc rc = dropped ? WIDGET_REFUSED : replace(f, f->cursor, f->cursor, kept);
	free(kept);
	return rc;
}

static bool telex_applies(const struct field *f, wint_t ch)
{
	return f->telex && !(f->flags & (FIELD_MASK | FIELD_DIGITS | FIELD_NO_TELEX)) &&
	       telex_is_key((int32_t)ch);
}

enum widget_rc field_insert_char(struct field *f, wint_t ch)
{
	if (ch > 0x10FFFF || is_control((int32_t)ch))
		return WIDGET_REFUSED;
	if (!telex_applies(f, ch)) {
		char enc[5];
		enc[mc_utf8_put((int32_t)ch, enc)] = '\0';
		return field_insert(f, enc);
	}
	const char *s = text_of(f);
	size_t start = telex_word_start(s, f->cursor);
	char *word = xstrndup(s + start, f->cursor - start);
	char *typed = telex_apply(word, (int32_t)ch);
	enum widget_rc rc = replace(f, start, f->cursor, typed);
	free(word);
	free(typed);
	return rc;
}

enum widget_rc field_backspace(struct field *f)
{
	if (!f->cursor)
		return WIDGET_HANDLED;
	return replace(f, prev_grapheme(text_of(f), f->text.len, f->cursor), f->cursor, "");
}

enum widget_rc field_delete(struct field *f)
{
	if (f->cursor >= f->text.len)
		return WIDGET_HANDLED;
	return replace(f, f->cursor, next_grapheme(text_of(f), f->text.len, f->cursor), "");
}

enum widget_rc field_clear(struct field *f)
{
	return replace(f, 0, f->text.len, "");
}

static bool is_space_at(const char *s, size_t len, size_t pos)
{
	int32_t cp;
	mc_utf8_next(s + pos, len - pos, &cp);
	return cp == ' ' || cp == '\t' || utf8proc_category(cp) == UTF8PROC_CATEGORY_ZS;
}

/* C-w as in readline: the spaces before the cursor, then the word. */
enum widget_rc field_delete_word(struct field *f)
{
	const char *s = text_of(f);
	size_t len = f->text.len, at = f->cursor;
	while (at > 0) {
		size_t p = prev_grapheme(s, len, at);
		if (!is_space_at(s, len, p))
			break;
		at = p;
	}
	while (at > 0) {
		size_t p = prev_grapheme(s, len, at);
		if (is_space_at(s, len, p))
			break;
		at = p;
	}
	return at == f->cursor ? WIDGET_HANDLED : replace(f, at, f->cursor, "");
}

enum widget_rc field_kill_end(struct field *f)
{
	return replace(f, f->cursor, f->text.len, "");
}

enum widget_rc field_left(struct field *f)
{
	f->cursor = prev_grapheme(text_of(f), f->text.len, f->cursor);
	return WIDGET_HANDLED;
}

enum widget_rc field_right(struct field *f)
{
	f->cursor = next_grapheme(text_of(f), f->text.len, f->cursor);
	return WIDGET_HANDLED;
}

enum widget_rc field_home(struct field *f)
{
	f->cursor = 0;
	return WIDGET_HANDLED;
}

enum widget_rc field_end(struct field *f)
{
	f->cursor = f->text.len;
	return WIDGET_HANDLED;
}

bool field_edits(enum action act)
{
	switch (act) {
	case ACTION_MOVE_LEFT:
	case ACTION_MOVE_RIGHT:
	case ACTION_HOME:
	case ACTION_END:
	case ACTION_DELETE_BACK:
	case ACTION_DELETE_CHAR:
	case ACTION_DELETE_WORD:
	case ACTION_KILL_TO_END:
	case ACTION_CLEAR_FIELD:
		return true;
	default:
		return false;
	}
}

enum widget_rc field_key(struct field *f, enum action act, wint_t ch)
{
	if (ch)
		return is_control((int32_t)ch) ? WIDGET_IGNORED : field_insert_char(f, ch);
	switch (act) {
	case ACTION_MOVE_LEFT: return field_left(f);
	case ACTION_MOVE_RIGHT: return field_right(f);
	case ACTION_HOME: return field_home(f);
	case ACTION_END: return field_end(f);
	case ACTION_DELETE_BACK: return field_backspace(f);
	case ACTION_DELETE_CHAR: return field_delete(f);
	case ACTION_CLEAR_FIELD: return field_clear(f);
	case ACTION_DELETE_WORD: return field_delete_word(f);
	case ACTION_KILL_TO_END: return field_kill_end(f);
	case ACTION_TOGGLE_TELEX:
		f->telex = !f->telex;
		return WIDGET_HANDLED;
	default:
		return WIDGET_IGNORED;
	}
}

/* ---- Layout and drawing ----------------------------------------------- */

int field_layout(struct field *f, int width)
{
	const char *s = text_of(f);
	size_t len = f->text.len;
	if (width < 1)
		width = 1;
	if (f->scroll > f->cursor) { /* moved left of the view: show a third before it */
		f->scroll = f->cursor;
		while (f->scroll > 0) {
			size_t p = prev_grapheme(s, len, f->scroll);
			if (columns(f, p, f->cursor) > width / 3)
				break;
			f->scroll = p;
		}
	}
	/* the cursor's own cell: the grapheme under it, or one blank at the end */
	size_t under = next_grapheme(s, len, f->cursor);
	int cell = f->cursor < len ? grapheme_width(f, s, f->cursor, under) : 1;
	while (f->scroll < f->cursor && columns(f, f->scroll, f->cursor) + cell > width)
		f->scroll = next_grapheme(s, len, f->scroll);
	/* scroll back when the end of the text leaves room (after deletions) */
	while (f->scroll > 0) {
		size_t p = prev_grapheme(s, len, f->scroll);
		int tail = columns(f, p, len) + (f->cursor == len ? 1 : 0);
		if (tail > width)
			break;
		f->scroll = p;
	}
	return columns(f, f->scroll, f->cursor);
}

void field_draw(struct field *f, WINDOW *w, int y, int x, int width, bool focused)
{
	if (width < 1)
		return;
	int cur = field_layout(f, width);
	const char *s = text_of(f);
	size_t len = f->text.len;
	int col = 0;
	wattr_on(w, A_UNDERLINE, NULL);
	wmove(w, y, x);
	if (!len && f->hint) {
		size_t n = mc_text_clip(f->hint, width);
		wattr_on(w, A_DIM, NULL);
		waddnstr(w, f->hint, (int)n);
		wattr_off(w, A_DIM, NULL);
		col = mc_text_width(f->hint);
		if (col > width)
			col = width;
	}
	for (size_t at = f->scroll; at < len;) {
		size_t e = next_grapheme(s, len, at);
		int gw = grapheme_width(f, s, at, e);
		if (col + gw > width)
			break;
		if (f->flags & FIELD_MASK)
			waddch(w, '*');
		else
			waddnstr(w, s + at, (int)(e - at));
		col += gw;
		at = e;
	}
	for (; col < width; col++)
		waddch(w, ' ');
	wattr_off(w, A_UNDERLINE, NULL);
	if (focused)
		wmove(w, y, x + cur);
}
