/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A screen is a table of functions; the framework owns its state (tig's
 * view_ops). Each file in screens/ ends by defining its `const struct
 * screen_ops NAME_screen`, listed in screens/screens.h.
 *
 * Life cycle: app_push_screen() allocates private_size zeroed bytes and calls
 * open(app, priv, arg); the loop then calls draw() before every wait for
 * input and handle() for every key; when the screen leaves the stack the
 * framework calls done() and frees priv. A screen never frees its priv, never
 * pops itself and never touches the terminal outside draw().
 *
 * Keys: the loop maps each key through the screen's keymap (falling back to
 * "generic") and calls handle(app, priv, action, ev); ev->edit is the same
 * key looked up with the field keymap first, for a text field that has
 * the cursor (pass it and key_event_char(ev) to field_key, picker_key or
 * dialog_key: the character typed always types). handle returns SCR_*
 * flags (htop): only the loop acts on them. A screen returns SCR_IGNORED
 * for what it does not use; the loop then moves the screen's list when the
 * action moves lists (see list below), else applies the global meaning of
 * the action (quit, help, back, open a screen, sync, redraw).
 *
 * Lists (tig's view_driver): a screen with a list keeps a struct listview
 * (client/tui/listview.h) in its private state, as the model of what it
 * draws, and returns it from list(); move-up, move-down, page-up,
 * page-down, home and end are then done by the loop, the same way on
 * every screen (listview_act: a pager scrolls, a wrapping list wraps), and
 * moved() lets the screen follow the new selection.
 *
 * Drawing: draw(app, priv, win, body) draws inside body (screen coordinates
 * in win, which is stdscr) with term_text()/term_style() from client/tui/term.h.
 * The loop erases the screen and draws the bars around it; a screen with a
 * text cursor calls app_set_cursor() from draw. */
#ifndef MC_SCREEN_H
#define MC_SCREEN_H
#include <curses.h>
#include <stdbool.h>
#include <stddef.h>

#include "client/tui/actions.h"
#include "client/tui/keymap.h"
#include "client/tui/layout.h"

struct app;
struct listview;

/* One key press: the action it is bound to on this screen (or ACTION_NONE),
 * the action it has in a text field (the field keymap first, then as
 * action) and the key itself, so that text fields get their characters. */
struct key_event {
	enum action action;
	enum action edit;
	struct key key;
};

/* The character to insert into a text field for ev, or 0 when ev is not a
 * printable character (a function key, a control key, Enter, Tab...). */
wint_t key_event_char(const struct key_event *ev);

/* What a handler tells the loop (htop's HandlerResult). */
enum screen_result {
	SCR_HANDLED = 1 << 0, /* the key was used */
	SCR_IGNORED = 1 << 1, /* not used here: the loop applies its global meaning */
	SCR_REDRAW = 1 << 2,  /* repaint the whole terminal (after a child process...) */
	SCR_BACK = 1 << 3,    /* close this screen (pop it) */
	SCR_QUIT = 1 << 4     /* leave the program */
};

struct screen_ops {
	const char *name;   /* "home": technical name, logs and tests */
	const char *title;  /* "Màn hình chính": shown in the title bar */
	const char *keymap; /* a keymap name from KEYMAPS in client/tui/keymap.h */
	bool fields;        /* has text fields: F1 lists the field keymap too */
	size_t private_size;
	/* Actions shown on the hint line with their keys, ACTION_NONE-terminated;
	 * may be NULL. */
	const enum action *hints;
	/* Returns 0, or -1 to refuse (the screen is not pushed; done is still
	 * called on the zeroed or partly filled priv). Optional. */
	int (*open)(struct app *app, void *priv, const void *arg);
	/* The screen is on top again after the one above it closed. Optional. */
	void (*resume)(struct app *app, void *priv);
	void (*draw)(struct app *app, void *priv, WINDOW *win, const struct rect *body);
	/* Returns SCR_* flags. */
	int (*handle)(struct app *app, void *priv, enum action act, const struct key_event *ev);
	/* The list that act (a move: listview_moves) moves now, or NULL when
	 * none does; called when handle ignored act. Optional. */
	struct listview *(*list)(struct app *app, void *priv, enum action act);
	/* The loop moved lv, the list list() gave: follow the selection.
	 * Optional. */
	void (*moved)(struct app *app, void *priv, struct listview *lv);
	/* Frees what priv points to (not priv itself). Optional. */
	void (*done)(struct app *app, void *priv);
};

#endif
