/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A search-as-you-type chooser: a field on top, results below. Every change
 * of the field's text runs the caller's query, which fills up to max
 * results (label + id); Up/Down/PgUp/PgDn move, Enter chooses, Esc cancels.
 * Used for the commune picker (3,321 communes) and for procedures.
 *
 *	struct picker p;
 *	picker_init(&p, "Chọn xã, phường", 200, query_communes, store);
 *	rc = picker_key(&p, ev->edit, key_event_char(ev));
 *	if (rc == WIDGET_DONE) use(picker_selected(&p)->id);
 *	picker_release(&p);
 */
#ifndef MC_PICKER_H
#define MC_PICKER_H
#include <stdbool.h>
#include <stddef.h>
#include <curses.h>

#include "client/tui/field.h"
#include "client/tui/listview.h"

struct picker_item {
	char *label; /* shown (malloc'd) */
	char *id;    /* returned (malloc'd): a commune code, a procedure code */
};

/* Fills items[0 .. max) for the search text (NFC; fold it with
 * mc_text_fold to match without diacritics) with malloc'd label and id;
 * returns how many. An empty text may list the usual or recent choices. */
typedef size_t (*picker_query_fn)(void *data, const char *text, struct picker_item *items,
				  size_t max);

struct picker {
	char *title;      /* drawn on the top line, or NULL */
	struct field field;
	struct listview list;
	struct picker_item *items;
	size_t nitems, max;
	picker_query_fn query;
	void *data;
};

/* Sets up the picker and runs the query for the empty text. title may be
 * NULL; max_results >= 1. */
void picker_init(struct picker *p, const char *title, size_t max_results, picker_query_fn query,
		 void *data);
void picker_release(struct picker *p);

/* Puts text in the field (cursor at the end) and runs the query. */
void picker_set_text(struct picker *p, const char *text);
/* Runs the query again for the current text (the data changed). */
void picker_refresh(struct picker *p);

/* move-up, move-down, page-up, page-down move in the results
 * (WIDGET_HANDLED); confirm gives WIDGET_DONE with a result selected, else
 * WIDGET_REFUSED; back gives WIDGET_CANCEL; the rest, and ch (the character
 * typed, or 0), go to the field as field_key takes them (WIDGET_CHANGED
 * reruns the query and selects the first result). */
enum widget_rc picker_key(struct picker *p, enum action act, wint_t ch);

/* The selected result, or NULL when there is none. */
const struct picker_item *picker_selected(const struct picker *p);

/* Draws in the box (y, x, height, width) of w: the title (if any), the
 * field, then the results. Needs height >= 3 (2 without a title). */
void picker_draw(struct picker *p, WINDOW *w, int y, int x, int width, int height, bool focused);

#endif
