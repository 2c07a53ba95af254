/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A single-line UTF-8 text field, and what every widget shares: the result
 * codes.
 *
 * The editing logic is pure (tests/unit/test_field.c drives it without
 * curses); only field_draw touches curses, and only from the main thread.
 * The text is kept NFC: a decomposed "ễ" arriving from a terminal input
 * method as e, U+0302, U+0303 ends up as one character. The cursor moves by
 * grapheme cluster (a base and its combining marks move together) and the
 * view scrolls by display columns (core/text.h), never by bytes.
 *
 * Keys reach widgets as actions (client/tui/actions.h), looked up by the
 * loop in the keymaps (the field keymap first while a field has the
 * cursor), and as the character typed, if any: no widget decodes a raw key.
 *
 * Embed by value:
 *	struct field name;
 *	field_init(&name, 100, 0);
 *	... field_key(&name, ev->edit, key_event_char(ev)); field_draw(&name, win, y, x, 30, true);
 *	char *v = field_value(&name); ... free(v);
 *	field_release(&name);
 */
#ifndef MC_FIELD_H
#define MC_FIELD_H
#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>
#include <curses.h>

#include "client/tui/actions.h"
#include "core/xalloc.h"

/* ---- Shared by every widget (field, listview, picker, dialog, menu) ----- */

/* What a widget did with a key; the loop acts on it (beep, redraw, close). */
enum widget_rc {
	WIDGET_IGNORED = 0, /* not for this widget: the caller may use the key */
	WIDGET_HANDLED,     /* used: the cursor or the selection may have moved */
	WIDGET_CHANGED,     /* used and the value changed */
	WIDGET_REFUSED,     /* used but refused (field full, not a digit...): beep */
	WIDGET_DONE,        /* Enter accepted: picker chose, dialog agreed */
	WIDGET_CANCEL,      /* Esc or "Hủy": close without a result */
};

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
	bool telex;         /* letters go through core/telex (ACTION_TOGGLE_TELEX) */
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

/* True for the actions a text field uses by itself: moving in the text
 * (left, right, home, end) and deleting (delete-back, delete-char,
 * delete-word, kill-to-end, clear-field). Enter, Tab, Esc, Up, Down and
 * the Telex switch are the screen's to use. */
bool field_edits(enum action act);

/* One key: ch, the character typed, is inserted (whatever act is: text
 * typing stays text); without one (ch 0) act is done when field_edits(act),
 * and ACTION_TOGGLE_TELEX toggles f->telex (WIDGET_HANDLED: the caller may
 * mirror it in the status bar); anything else is WIDGET_IGNORED. */
enum widget_rc field_key(struct field *f, enum action act, wint_t ch);

/* Pure layout for a view width columns wide: scrolls so that the cursor is
 * shown (and no more than needed), returns the cursor's column (0-based). */
int field_layout(struct field *f, int width);

/* Draws the visible part at (y, x) of w over width columns (underlined to
 * show the field's extent; the hint dimmed when empty). When focused it
 * leaves the curses cursor on the field's cursor: draw the focused widget
 * last. */
void field_draw(struct field *f, WINDOW *w, int y, int x, int width, bool focused);

#endif
