/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The screen's layout as a pure function of the terminal size (neomutt's
 * reflow, ncdu's minimum size): no curses here, tested in test_layout.c.
 *
 *   row 0          title bar
 *   rows 1..R-3    body (the current screen draws here)
 *   row R-2        status bar: clerk, unit, date and time, sync state
 *   row R-1        key hints, or the status message when there is one
 */
#ifndef MC_LAYOUT_H
#define MC_LAYOUT_H
#include <stdbool.h>

#define LAYOUT_MIN_COLS 80
#define LAYOUT_MIN_ROWS 24

/* A rectangle in screen cells; x, y of the top-left corner. */
struct rect {
	int x, y, w, h;
};

struct layout {
	int cols, rows;
	/* Below LAYOUT_MIN_COLS x LAYOUT_MIN_ROWS: only the "too small" message
	 * is shown, in body (the whole screen); the other rects are empty. */
	bool too_small;
	struct rect title, body, status, hints;
};

void layout_compute(int cols, int rows, struct layout *out);

/* A w x h box centred in outer (clipped to it). */
struct rect rect_center(const struct rect *outer, int w, int h);

/* Word-wraps UTF-8 s into lines of at most width columns (by display width;
 * a single word longer than width gets a line of its own). Writes the byte
 * offset and length of each line (spaces at the breaks dropped) and returns
 * the number of lines, at most max. */
int layout_wrap(const char *s, int width, int *start, int *len, int max);

#endif
