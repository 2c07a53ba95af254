/* A single-line UTF-8 text field, and what every widget shares: the widget
 * actions and result codes.
 *
 * The editing logic is pure (tests/unit/test_field.c drives it without
 * curses); only field_draw touches curses, and only from the main thread.
 * The text is kept NFC: a decomposed "ễ" arriving from a terminal input
 * method as e, U+0302, U+0303 ends up as one character. The cursor moves by
 * grapheme cluster (a base and its combining marks move together) and the
 * view scrolls by display columns (core/text.h), never by bytes.
 *
 * Embed by value:
 *	struct field name;
 *	field_init(&name, 100, 0);
 *	... field_key(&name, ch, is_fkey, WK_NONE); field_draw(&name, win, y, x, 30, true);
 *	char *v = field_value(&name); ... free(v);
 *	field_release(&name);
 */
#ifndef MC_FIELD_H
#define MC_FIELD_H
#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>
#include <curses.h>

#include "core/xalloc.h"

/* ---- Shared by every widget (field, listview, picker, dialog) ---------- */

/* What a key means to a widget. The loop may pass an action it already
 * mapped from the keymap; with WK_NONE the widget decodes the raw key with
 * widget_action_of(). */
enum widget_action {
	WK_NONE = 0,
	WK_LEFT, WK_RIGHT, WK_UP, WK_DOWN,
	WK_HOME, WK_END, WK_PAGE_UP, WK_PAGE_DOWN,
	WK_BACKSPACE,   /* delete the character before the cursor */
	WK_DELETE,      /* delete the character under the cursor */
	WK_CLEAR,       /* C-u: empty the field */
	WK_DELETE_WORD, /* C-w: delete the word before the cursor */
	WK_KILL_END,    /* C-k: delete from the cursor to the end */
	WK_ENTER,       /* accept */
	WK_CANCEL,      /* Esc */
	WK_NEXT,        /* Tab: next choice (dialog buttons) or next field */
	WK_PREV,        /* Shift-Tab */
	WK_TELEX,       /* C-t or F4: toggle the built-in Telex */
};

/* What a widget did with a key; the loop acts on it (beep, redraw, close). */
enum widget_rc {
	WIDGET_IGNORED = 0, /* not for this widget: the caller may use the key */
	WIDGET_HANDLED,     /* used: the cursor or the selection may have moved */
	WIDGET_CHANGED,     /* used and the value changed */
	WIDGET_REFUSED,     /* used but refused (field full, not a digit...): beep */
	WIDGET_DONE,        /* Enter accepted: picker chose, dialog agreed */
	WIDGET_CANCEL,      /* Esc or "Hủy": close without a result */
};

/* The default meaning of a raw key from get_wch (fkey: it returned
 * KEY_CODE_YES): arrows, Home/End (also C-a/C-e), PgUp/PgDn, Backspace (also
 * C-h and DEL), Delete (also C-d), C-u, C-w, C-k, Enter, Esc, Tab,
 * Shift-Tab, C-t and F4. Anything else is WK_NONE. */
enum widget_action widget_action_of(wint_t ch, bool fkey);

/* ---- The text field ----------------------------------------------------- */

enum field_flags {
	FIELD_MASK = 1 << 0,     /* password: drawn as one '*' per character */
	FIELD_DIGITS = 1 << 1,   /* only 0-9 accepted (ID numbers, phone) */
	FIELD_NO_TELEX = 1 << 2, /* never through Telex (e-mail, codes) */
};

struct field {
	struct strbuf text; /* NFC UTF-8; use field_text() to read it */
	size_t cursor;      /* byte offset in text, on a grapheme boundary */
	size_t scroll;      /* byte offset of the first grapheme shown */
	size_t max_chars;   /* most characters (grapheme clusters); 0: no limit */
	unsigned flags;     /* enum field_flags */
	bool telex;         /* letters go through core/telex (see WK_TELEX) */
	char *hint;         /* shown dimmed while the field is empty, or NULL */
};

/* Sets up an empty field (no allocation). */
void field_init(struct field *f, size_t max_chars, unsigned flags);
/* Frees the contents; the field may be initialised again. */
void field_release(struct field *f);

/* Format hint shown dimmed while the field is empty ("dd/mm/yyyy"); the
 * string is copied; NULL removes it. */
void field_set_hint(struct field *f, const char *hint);
/* Turns the built-in Telex on or off for this field (FIELD_MASK,
 * FIELD_DIGITS and FIELD_NO_TELEX fields never use it). */
void field_set_telex(struct field *f, bool on);

/* Replaces the text (normalised to NFC, invalid bytes shown as U+FFFD,
 * control characters dropped, cut at max_chars; with FIELD_DIGITS only the
 * digits are kept); the cursor goes to the end. */
void field_set_text(struct field *f, const char *s);
/* The current text, NFC, borrowed (valid until the next change). */
const char *field_text(const struct field *f);
/* A malloc'd NFC copy of the text (what to store). */
char *field_value(const struct field *f);
bool field_empty(const struct field *f);
/* Characters (grapheme clusters) in the text. */
size_t field_length(const struct field *f);
/* Characters before the cursor. */
size_t field_cursor_index(const struct field *f);

/* Editing, at the cursor. Each returns WIDGET_CHANGED, WIDGET_HANDLED (no
 * change, e.g. Backspace at the start) or WIDGET_REFUSED. */
enum widget_rc field_insert(struct field *f, const char *s); /* UTF-8, no Telex */
enum widget_rc field_insert_char(struct field *f, wint_t ch); /* Telex when on */
enum widget_rc field_backspace(struct field *f);
enum widget_rc field_delete(struct field *f);
enum widget_rc field_clear(struct field *f);
enum widget_rc field_delete_word(struct field *f);
enum widget_rc field_kill_end(struct field *f);
enum widget_rc field_left(struct field *f);
enum widget_rc field_right(struct field *f);
enum widget_rc field_home(struct field *f);
enum widget_rc field_end(struct field *f);

/* One key: act if the loop mapped it, else WK_NONE and the raw key. Moves,
 * edits and printable characters are used; WK_TELEX toggles f->telex
 * (WIDGET_HANDLED: the caller may mirror it in the status bar); Enter, Esc,
 * Tab, Up, Down and the rest are WIDGET_IGNORED. */
enum widget_rc field_key(struct field *f, wint_t ch, bool fkey, enum widget_action act);

/* Pure layout for a view width columns wide: scrolls so that the cursor is
 * shown (and no more than needed), returns the cursor's column (0-based). */
int field_layout(struct field *f, int width);

/* Draws the visible part at (y, x) of w over width columns (underlined to
 * show the field's extent; the hint dimmed when empty). When focused it
 * leaves the curses cursor on the field's cursor: draw the focused widget
 * last. */
void field_draw(struct field *f, WINDOW *w, int y, int x, int width, bool focused);

#endif
