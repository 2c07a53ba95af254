/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A scrolling list or table over rows the caller supplies by index.
 *
 * The list holds no data: a fetch callback fills the rows of the visible
 * page when it is drawn, and only that page is kept (a million dossiers
 * cost one page of strings). The model (count, selection, top row, paging)
 * is pure and tested without curses; listview_draw is the only curses part.
 *
 * The model is also what the framework moves for every screen with a list
 * (screen_ops.list, tig's view_driver): listview_act is the one place where
 * move-up, move-down, page-up, page-down, home and end are implemented,
 * for lists the screen draws itself too (fetch NULL) and for pagers (text
 * that scrolls, no selection).
 *
 *	struct listview lv;
 *	listview_init(&lv, fetch_dossiers, &query);
 *	listview_set_count(&lv, n);
 *	... listview_act(&lv, ACTION_MOVE_DOWN); listview_draw(&lv, win, 2, 0, cols, rows - 3, true);
 *	listview_release(&lv);
 */
#ifndef MC_LISTVIEW_H
#define MC_LISTVIEW_H
#include <stdbool.h>
#include <stddef.h>
#include <curses.h>

#include "client/tui/field.h" /* enum action, enum widget_rc */

struct listview_row {
	char *text;    /* the formatted line (malloc'd by fetch, freed by the list) */
	unsigned attr; /* curses attributes for the row (A_BOLD...), 0 for normal */
};

/* Fills rows[0 .. count) with the rows first .. first + count - 1 (each
 * text malloc'd, or left NULL for a blank line) and returns how many it
 * filled; rows it did not fill are drawn blank. */
typedef size_t (*listview_fetch_fn)(void *data, size_t first, size_t count,
				    struct listview_row *rows);

struct listview {
	size_t count;    /* rows in the list */
	size_t selected; /* the selected row (0 when the list is empty) */
	size_t top;      /* the first row shown */
	int height;      /* rows shown, from listview_set_height or the last draw */
	listview_fetch_fn fetch;
	void *data;
	char *empty;     /* shown when there are no rows, or NULL */
	bool wrap;       /* move-up on the first row goes to the last, and back */
	bool pager;      /* no selection: the moves scroll the view, a page
			  * being the height less one line */
	bool tab;        /* next-field and prev-field move it too (a menu) */
	/* the visible page: rows [page_first, page_first + page_len) */
	struct listview_row *page;
	size_t page_first, page_len, page_alloc;
	bool page_valid;
};

/* Sets up an empty list (no allocation); height starts at 1. */
void listview_init(struct listview *lv, listview_fetch_fn fetch, void *data);
/* Frees the cached page and the empty text. */
void listview_release(struct listview *lv);

/* The text shown when the list is empty ("Không có hồ sơ nào"); copied. */
void listview_set_empty(struct listview *lv, const char *text);
/* The number of rows changed (a new query): the selection is kept when it
 * still exists, else clamped; the page is fetched again. */
void listview_set_count(struct listview *lv, size_t count);
/* The rows' contents changed: fetch the page again on the next use. */
void listview_invalidate(struct listview *lv);
/* Rows shown (>= 1); scrolls to keep the selection visible. */
void listview_set_height(struct listview *lv, int height);

/* Moves the selection; each keeps it visible and returns WIDGET_HANDLED. */
enum widget_rc listview_select(struct listview *lv, size_t index);
enum widget_rc listview_move(struct listview *lv, long delta);
enum widget_rc listview_page(struct listview *lv, int pages); /* +1 down, -1 up */
enum widget_rc listview_home(struct listview *lv);
enum widget_rc listview_end(struct listview *lv);

/* True for the actions that move in a list: move-up, move-down, page-up,
 * page-down, home, end, and next-field and prev-field for a list with tab
 * set (lv may be NULL: any list). */
bool listview_moves(const struct listview *lv, enum action act);
/* Applies one of them (WIDGET_HANDLED); anything else is WIDGET_IGNORED. */
enum widget_rc listview_act(struct listview *lv, enum action act);

/* Row index as fetched, when it is on the visible page (fetching the page
 * if needed); NULL otherwise or when fetch left it blank. */
const struct listview_row *listview_row(struct listview *lv, size_t index);

/* Draws height rows at (y, x) of w, width columns each (sets the height).
 * The selected row is reversed when focused, bold otherwise. */
void listview_draw(struct listview *lv, WINDOW *w, int y, int x, int width, int height,
		   bool focused);

/* ---- Columns ----------------------------------------------------------- */

struct listview_column {
	int width;  /* display columns; 0: what is left of the line */
	bool right; /* aligned right (numbers, dates) */
};

/* One line of n cells in columns separated by one space, exactly width
 * columns wide: each cell is clipped by display width (never inside a
 * character) and padded with spaces; control characters show as spaces and
 * invalid bytes as U+FFFD. Returns a malloc'd string. */
char *listview_columns(const struct listview_column *cols, size_t n, const char *const *cells,
		       int width);

#endif
