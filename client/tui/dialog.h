/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Modal boxes centred on the screen: a message, a confirmation ("Đồng ý" /
 * "Hủy") and a one-line prompt (an override reason). Key handling and
 * layout are pure; dialog_draw draws in a curses subwindow of the parent.
 *
 *	struct dialog d;
 *	dialog_init_confirm(&d, "Xác nhận", "Lưu hồ sơ và in giấy tiếp nhận?", true);
 *	... rc = dialog_key(&d, ev->edit, key_event_char(ev)); dialog_draw(&d, stdscr);
 *	WIDGET_DONE: agreed; WIDGET_CANCEL: refused or closed
 *	dialog_release(&d);
 */
#ifndef MC_DIALOG_H
#define MC_DIALOG_H
#include <stdbool.h>
#include <stddef.h>
#include <curses.h>

#include "client/tui/field.h"

enum dialog_kind {
	DIALOG_MESSAGE, /* text and one button "Đóng" */
	DIALOG_CONFIRM, /* text and "Đồng ý" / "Hủy" */
	DIALOG_PROMPT,  /* text, a field, Enter: Đồng ý, Esc: Hủy */
};

struct dialog {
	enum dialog_kind kind;
	char *title;    /* on the top border, or NULL */
	char *message;
	char *error;    /* prompt: why Enter was refused, or NULL */
	int button;     /* confirm: 0 "Đồng ý" focused, 1 "Hủy" */
	bool required;  /* prompt: an empty or blank answer is refused */
	struct field field; /* prompt only */
};

/* Where the box goes on a rows x cols screen (pure). */
struct dialog_box {
	int y, x, height, width;
	int lines; /* message lines shown */
};

void dialog_init_message(struct dialog *d, const char *title, const char *message);
void dialog_init_confirm(struct dialog *d, const char *title, const char *message,
			 bool default_yes);
/* max_chars as in field_init; required: refuse an empty answer. */
void dialog_init_prompt(struct dialog *d, const char *title, const char *message,
			size_t max_chars, bool required);
void dialog_release(struct dialog *d);

/* One key: act as the loop looked it up (the field keymap first), ch the
 * character typed or 0.
 * Message: confirm (Enter) or a Space give WIDGET_DONE, back (Esc)
 * WIDGET_CANCEL.
 * Confirm: move-left, move-right, next-field and prev-field move between
 * the buttons (WIDGET_HANDLED); confirm gives WIDGET_DONE on "Đồng ý" and
 * WIDGET_CANCEL on "Hủy"; back gives WIDGET_CANCEL.
 * Prompt: the rest edits the field (field_key); confirm gives WIDGET_DONE,
 * or WIDGET_REFUSED with d->error set when a required answer is blank;
 * back WIDGET_CANCEL. */
enum widget_rc dialog_key(struct dialog *d, enum action act, wint_t ch);

/* The prompt's answer, NFC and trimmed (malloc'd); "" for other kinds. */
char *dialog_value(const struct dialog *d);

/* Lines of text at most width columns wide, broken at spaces (a word longer
 * than a line is cut between characters) and at '\n'. Returns a malloc'd
 * array of malloc'd strings and sets *n. */
char **dialog_wrap(const char *text, int width, size_t *n);
void dialog_wrap_free(char **lines, size_t n);

void dialog_layout(const struct dialog *d, int rows, int cols, struct dialog_box *box);

/* Draws the box over parent (its size from getmaxyx). For a prompt the
 * cursor is left in the field: draw the dialog last. */
void dialog_draw(struct dialog *d, WINDOW *parent);

#endif
