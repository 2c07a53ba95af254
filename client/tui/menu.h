/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Menus driven from tables: each row is a struct menu_item {key or number,
 * action or handler, label, enabled-predicate}, and this file is the one
 * piece of code that draws them and dispatches their keys.
 *
 * Two kinds of menu share the rows:
 *  - key menus: each row runs its action, chosen by the row's key from the
 *    keymap (the home screen's 1 Tiếp nhận hồ sơ, the supervisor's w tuần):
 *    menu_run dispatches an action to its row, menu_draw_keys draws the rows
 *    one per line, menu_legend writes them on one line;
 *  - boxes over the screen (struct menu): numbered rows chosen by typing
 *    their number (the dossier's actions, forms and papers), or rows with a
 *    bullet on the current choice (the dossier list's filters), moved with
 *    the list keys, Enter chooses, Esc closes (menu_key, menu_draw).
 *
 *	static const struct menu_item rows[] = {
 *		{ ACTION_OPEN_RECEPTION, "Tiếp nhận hồ sơ", NULL, 0, NULL, false },
 *	};
 *	... rc = menu_run(app, priv, rows, n, act); if (rc) return rc;
 */
#ifndef MC_MENU_H
#define MC_MENU_H
#include <stdbool.h>
#include <stddef.h>
#include <curses.h>

#include "client/tui/actions.h"
#include "client/tui/keymap.h"
#include "client/tui/layout.h"
#include "client/tui/listview.h"

struct app;

struct menu_item {
	/* Key menus: the action of the row, its key from the keymap. Boxes:
	 * ACTION_NONE (the row's number is its key). */
	enum action action;
	/* Shown. In a legend, NULL joins the key to the next row's ("[ ]"). */
	const char *label;
	/* What choosing the row does, given id; returns SCR_* flags. NULL:
	 * app_do_action(action) for a key menu, the caller's for a box. */
	int (*run)(struct app *app, void *priv, int id);
	int id;
	/* NULL: always. A row not enabled is dimmed; menu_run does not run it
	 * (the key does nothing), a box still chooses it (to say why not). A
	 * key menu's ctx is the priv given to menu_run, a box's its ctx. */
	bool (*enabled)(const void *ctx, int id);
	bool heading; /* a box's title between rows, never selected */
};

/* Runs it (its run, else app_do_action of its action): SCR_* flags. */
int menu_item_run(struct app *app, void *priv, const struct menu_item *it);
/* The row of items[0..n) whose action is act, or -1. */
int menu_find(const struct menu_item *items, size_t n, enum action act);
/* Dispatches act to its row when it has one and is enabled (ctx: priv);
 * returns the row's SCR_* flags, or 0 when act is no row's. */
int menu_run(struct app *app, void *priv, const struct menu_item *items, size_t n,
	     enum action act);

/* One line of the rows with a key: each written with fmt (its key's label,
 * then its label: "%s %s", "[%s] %s"), separated by sep (malloc'd). */
char *menu_legend(const struct keymap *km, enum keymap_id id, const struct menu_item *items,
		  size_t n, const char *fmt, const char *sep);
/* The rows one per line from (y, x), w columns: "> K  label" for the
 * selected row (sel; -1: none), "  K  label" for the others. */
void menu_draw_keys(const struct keymap *km, enum keymap_id id, const struct menu_item *items,
		    size_t n, int sel, WINDOW *win, int y, int x, int w);

/* ---- Boxes ---------------------------------------------------------------- */

struct menu {
	const char *title;
	const char *footer;   /* a dim line under the rows, or NULL */
	const struct menu_item *items;
	size_t n;
	const void *ctx;      /* given to the rows' enabled() */
	bool numbered;        /* "1  label": typing 1..9 chooses the row */
	int marked;           /* not numbered: the row with a bullet, or -1 */
	int width;            /* the box's width, at most */
	struct listview list; /* the selected row: a model, moved by listview_act */
	int chosen;           /* after MENU_CHOSEN: the row chosen */
};

enum menu_rc {
	MENU_IGNORED, /* not a menu key: the caller's */
	MENU_HANDLED, /* moved, or a number that is no row's */
	MENU_CHOSEN,  /* m->chosen; the caller runs it (menu_item_run) */
	MENU_CLOSED,  /* back: the caller closes the menu */
};

/* Sets up a box over items (borrowed, n rows) with the first row that is
 * not a heading selected. */
void menu_open(struct menu *m, const char *title, const struct menu_item *items, size_t n,
	       const void *ctx);
/* Selects row (a heading: the next row that is not); m->list.selected is
 * the row selected. */
void menu_select(struct menu *m, size_t row);

/* One key: act as the screen got it, ch the character typed (or 0). A
 * number chooses its row; move-up, move-down, page-up, page-down, home,
 * end, next-field and prev-field move (over the headings); confirm chooses
 * the selected row; back closes. Anything else is MENU_IGNORED. */
enum menu_rc menu_key(struct menu *m, enum action act, wint_t ch);

/* Draws the box at the top left of body, over what the screen drew. */
void menu_draw(struct menu *m, WINDOW *win, const struct rect *body);

#endif
