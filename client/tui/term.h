/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The terminal: curses setup and teardown, key input (stdin polled together
 * with the app's wake-up pipe), display styles and text drawing helpers, and
 * the headless mode used by the UI tests (tig's harness).
 *
 * Headless mode: MOTCUA_SCRIPT=FILE makes curses draw into /dev/null at a
 * fixed size (MOTCUA_SIZE=COLSxROWS, default 80x24) and take its keys from
 * FILE, one line at a time, only when the program is idle (no pending worker
 * event, no running worker). A line is:
 *   KEY                   a key name as in keymaps: <F10>, <Enter>, <Tab>, a, đ
 *   :type TEXT            types TEXT, one character at a time
 *   :save-display FILE    writes every row of the screen (UTF-8, trailing
 *                         spaces trimmed) to FILE
 *   :resize COLSxROWS     resizes the screen (the program sees KEY_RESIZE)
 *   :count-keys on|off    counts the KEY lines while on (not :type text)
 *   :save-count FILE      writes that count to FILE
 *   :hold-events on|off   while on, reads on without running the workers'
 *                         events nor waiting for them: the screen stays as
 *                         the last key left it (what a job shows while it
 *                         runs); off delivers them, waiting as usual
 *   # ...                 a comment; blank lines are skipped
 * At the end of the script the program quits cleanly. Only the main thread
 * calls anything here. */
#ifndef MC_TERM_H
#define MC_TERM_H
#include <curses.h>
#include <stdbool.h>
#include <stdio.h>
#include <wchar.h>

#include "client/tui/keymap.h"
#include "core/xalloc.h"

struct term {
	SCREEN *scr;
	FILE *out, *in;   /* the terminal's streams (/dev/null when headless) */
	bool own_streams; /* out and in were opened here */
	bool colors;
	/* headless */
	bool headless;
	FILE *script;
	char *script_path;
	int script_line;
	wint_t *typed; /* pending characters of a :type line */
	size_t ntyped, typed_pos, typed_alloc;
	bool counting;
	unsigned key_count;
	bool holding; /* :hold-events on */
	char *error; /* why term_read returned TERM_ERROR (malloc'd) */
};

enum term_input {
	TERM_KEY,    /* *key holds a key */
	TERM_RESIZE, /* the terminal changed size (KEY_RESIZE) */
	TERM_EVENT,  /* the wake-up fd is readable: worker events are waiting */
	TERM_TICK,   /* the timeout passed (the clock on the status bar moved) */
	TERM_EOF,    /* the script ended, or the terminal went away */
	TERM_ERROR   /* a bad script line; t->error says which */
};

/* Starts curses on the terminal, or headless when MOTCUA_SCRIPT is set.
 * Returns -1 with a Vietnamese message in err (not a terminal, unknown TERM,
 * no UTF-8 locale, unreadable script, bad MOTCUA_SIZE). */
int term_open(struct term *t, struct strbuf *err);
/* Ends curses and frees everything; safe on a term that failed to open. */
void term_close(struct term *t);

/* Waits for the next input. wake_fd is polled along with the keyboard;
 * timeout_ms (-1 for none) bounds the wait in interactive mode. When
 * headless, busy (workers running) makes it wait on wake_fd instead of
 * reading the script. */
enum term_input term_read(struct term *t, int wake_fd, bool busy, int timeout_ms,
			  struct key *key);

/* The current terminal size. */
void term_size(int *cols, int *rows);

/* Writes what is on the screen (curscr) to path: one line per row, UTF-8,
 * combining marks kept, line-drawing characters as Unicode, trailing spaces
 * trimmed. Returns -1 with err on failure. */
int term_dump(const char *path, struct strbuf *err);

/* Display styles. Every style is readable without colour (reverse, bold,
 * underline), colours are added when the terminal has them and NO_COLOR is
 * not set. */
enum style {
	STYLE_NORMAL,
	STYLE_TITLE,    /* title bar */
	STYLE_STATUS,   /* status bar */
	STYLE_HINT_KEY, /* a key on the hint line */
	STYLE_INFO,     /* status message */
	STYLE_ERROR,    /* error message */
	STYLE_HEADER,   /* a heading in the body */
	STYLE_SELECTED, /* the selected row of a list or menu */
	STYLE_FIELD,    /* an input field */
	STYLE_FOCUS,    /* the input field with the focus */
	STYLE_DIM,      /* secondary text */
	STYLE__COUNT
};
attr_t term_style(enum style s);

/* Prints UTF-8 s at (y, x) clipped to maxw columns (invalid bytes show as
 * U+FFFD); returns the columns used. */
int term_text(WINDOW *w, int y, int x, int maxw, const char *s);
/* Blanks n cells from (y, x) in the window's current attributes. */
void term_blank(WINDOW *w, int y, int x, int n);

#endif
