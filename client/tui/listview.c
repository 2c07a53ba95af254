/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The list model and its one-page cache. */
#include "client/tui/listview.h"

#include <stdlib.h>
#include <string.h>

#include "core/text.h"

static size_t max_top(const struct listview *lv)
{
	size_t h = (size_t)lv->height;
	return lv->count > h ? lv->count - h : 0;
}

/* Top row such that the selection is shown and no rows are wasted at the
 * end of the list (a pager: only the latter). */
static void keep_visible(struct listview *lv)
{
	size_t h = (size_t)lv->height;
	if (!lv->pager && lv->selected < lv->top)
		lv->top = lv->selected;
	if (!lv->pager && lv->selected >= lv->top + h)
		lv->top = lv->selected - h + 1;
	if (lv->top > max_top(lv))
		lv->top = max_top(lv);
	if (lv->pager)
		lv->selected = lv->top;
}

static void drop_page(struct listview *lv)
{
	for (size_t i = 0; i < lv->page_len; i++)
		FREE(&lv->page[i].text);
	lv->page_len = 0;
	lv->page_valid = false;
}

void listview_init(struct listview *lv, listview_fetch_fn fetch, void *data)
{
	memset(lv, 0, sizeof(*lv));
	lv->height = 1;
	lv->fetch = fetch;
	lv->data = data;
}

void listview_release(struct listview *lv)
{
	drop_page(lv);
	FREE(&lv->page);
	FREE(&lv->empty);
	lv->page_alloc = 0;
}

void listview_set_empty(struct listview *lv, const char *text)
{
	FREE(&lv->empty);
	if (text)
		lv->empty = xstrdup(text);
}

void listview_set_count(struct listview *lv, size_t count)
{
	lv->count = count;
	if (lv->selected >= count)
		lv->selected = count ? count - 1 : 0;
	keep_visible(lv);
	drop_page(lv);
}

void listview_invalidate(struct listview *lv)
{
	drop_page(lv);
}

void listview_set_height(struct listview *lv, int height)
{
	lv->height = height < 1 ? 1 : height;
	keep_visible(lv);
}

enum widget_rc listview_select(struct listview *lv, size_t index)
{
	if (!lv->count)
		return WIDGET_HANDLED;
	lv->selected = index < lv->count ? index : lv->count - 1;
	keep_visible(lv);
	return WIDGET_HANDLED;
}

enum widget_rc listview_move(struct listview *lv, long delta)
{
	if (delta < 0 && (size_t)-delta > lv->selected)
		return listview_select(lv, 0);
	return listview_select(lv, lv->selected + (size_t)delta);
}

/* A page: the selection and the view move together by the height. */
enum widget_rc listview_page(struct listview *lv, int pages)
{
	size_t h = (size_t)lv->height;
	if (!lv->count)
		return WIDGET_HANDLED;
	if (pages > 0) {
		size_t by = h * (size_t)pages;
		lv->top = lv->top + by > max_top(lv) ? max_top(lv) : lv->top + by;
		lv->selected = lv->selected + by >= lv->count ? lv->count - 1 : lv->selected + by;
	} else if (pages < 0) {
		size_t by = h * (size_t)-pages;
		lv->top = lv->top > by ? lv->top - by : 0;
		lv->selected = lv->selected > by ? lv->selected - by : 0;
	}
	keep_visible(lv);
	return WIDGET_HANDLED;
}

enum widget_rc listview_home(struct listview *lv)
{
	return listview_select(lv, 0);
}

enum widget_rc listview_end(struct listview *lv)
{
	return listview_select(lv, lv->count ? lv->count - 1 : 0);
}

/* A pager scrolls: the top line moves, clamped. */
static enum widget_rc pager_scroll(struct listview *lv, long delta)
{
	if (delta < 0 && (size_t)-delta > lv->top)
		lv->top = 0;
	else
		lv->top += (size_t)delta;
	if (lv->top > max_top(lv))
		lv->top = max_top(lv);
	lv->selected = lv->top;
	return WIDGET_HANDLED;
}

bool listview_moves(const struct listview *lv, enum action act)
{
	switch (act) {
	case ACTION_NEXT_FIELD:
	case ACTION_PREV_FIELD:
		return !lv || lv->tab;
	case ACTION_MOVE_UP:
	case ACTION_MOVE_DOWN:
	case ACTION_PAGE_UP:
	case ACTION_PAGE_DOWN:
	case ACTION_HOME:
	case ACTION_END:
		return true;
	default:
		return false;
	}
}

enum widget_rc listview_act(struct listview *lv, enum action act)
{
	if (!listview_moves(lv, act))
		return WIDGET_IGNORED;
	if (act == ACTION_NEXT_FIELD || act == ACTION_PREV_FIELD)
		act = act == ACTION_NEXT_FIELD ? ACTION_MOVE_DOWN : ACTION_MOVE_UP;
	if (lv->pager) {
		long page = lv->height > 1 ? lv->height - 1 : 1;
		switch (act) {
		case ACTION_MOVE_UP: return pager_scroll(lv, -1);
		case ACTION_MOVE_DOWN: return pager_scroll(lv, 1);
		case ACTION_PAGE_UP: return pager_scroll(lv, -page);
		case ACTION_PAGE_DOWN: return pager_scroll(lv, page);
		case ACTION_HOME: return pager_scroll(lv, -(long)lv->top);
		case ACTION_END: return pager_scroll(lv, (long)max_top(lv));
		default: return WIDGET_IGNORED;
		}
	}
	switch (act) {
	case ACTION_MOVE_UP:
		if (lv->wrap && lv->count && !lv->selected)
			return listview_end(lv);
		return listview_move(lv, -1);
	case ACTION_MOVE_DOWN:
		if (lv->wrap && lv->count && lv->selected + 1 == lv->count)
			return listview_home(lv);
		return listview_move(lv, 1);
	case ACTION_PAGE_UP: return listview_page(lv, -1);
	case ACTION_PAGE_DOWN: return listview_page(lv, 1);
	case ACTION_HOME: return listview_home(lv);
	case ACTION_END: return listview_end(lv);
	default: return WIDGET_IGNORED;
	}
}

/* The page [top, top + height) once per change of view or data. */
static void load_page(struct listview *lv)
{
	size_t want = lv->count - lv->top < (size_t)lv->height ? lv->count - lv->top : (size_t)lv->height;
	if (lv->page_valid && lv->page_first == lv->top && lv->page_len == want)
		return;
	drop_page(lv);
	if (want > lv->page_alloc) {
		lv->page = xrealloc(lv->page, want * sizeof(*lv->page));
		lv->page_alloc = want;
	}
	memset(lv->page, 0, want * sizeof(*lv->page));
	if (lv->fetch && want) {
		size_t got = lv->fetch(lv->data, lv->top, want, lv->page);
		for (size_t i = got; i < want; i++) { /* not filled: blank */
			FREE(&lv->page[i].text);
			lv->page[i].attr = 0;
		}
	}
	lv->page_first = lv->top;
	lv->page_len = want;
	lv->page_valid = true;
}

const struct listview_row *listview_row(struct listview *lv, size_t index)
{
	if (index < lv->top || index >= lv->count || index - lv->top >= (size_t)lv->height)
		return NULL;
	load_page(lv);
	const struct listview_row *r = &lv->page[index - lv->page_first];
	return r->text ? r : NULL;
}

static void draw_text(WINDOW *w, const char *s, int width)
{
	size_t n = mc_text_clip(s, width);
	char *part = xstrndup(s, n);
	int used = mc_text_width(part);
	waddnstr(w, part, (int)n);
	free(part);
	for (; used < width; used++)
		waddch(w, ' ');
}

void listview_draw(struct listview *lv, WINDOW *w, int y, int x, int width, int height,
		   bool focused)
{
	if (width < 1 || height < 1)
		return;
	listview_set_height(lv, height);
	for (int r = 0; r < height; r++) {
		size_t index = lv->top + (size_t)r;
		const char *text = "";
		attr_t attr = A_NORMAL;
		if (index < lv->count) {
			const struct listview_row *row = listview_row(lv, index);
			if (row) {
				text = row->text;
				attr = row->attr;
			}
			if (index == lv->selected)
				attr |= focused ? A_REVERSE : A_BOLD;
		} else if (r == 0 && !lv->count && lv->empty) {
			text = lv->empty;
			attr = A_DIM;
		}
		wmove(w, y + r, x);
		wattrset(w, attr);
		draw_text(w, text, width);
		wattrset(w, A_NORMAL);
	}
	if (lv->count && focused)
		wmove(w, y + (int)(lv->selected - lv->top), x);
}

/* ---- Columns ----------------------------------------------------------- */

/* s with invalid bytes as U+FFFD and control characters as spaces. */
static char *cell_text(const char *s)
{
	char *t = mc_text_sanitize(s ? s : "");
	for (char *p = t; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	return t;
}

static void add_spaces(struct strbuf *sb, int n)
{
	for (int i = 0; i < n; i++)
		strbuf_addch(sb, ' ');
}

char *listview_columns(const struct listview_column *cols, size_t n, const char *const *cells,
		       int width)
{
	struct strbuf sb = STRBUF_INIT;
	int fixed = 0, flexible = 0, used = 0;
	strbuf_addstr(&sb, "");
	for (size_t i = 0; i < n; i++) {
		if (cols[i].width > 0)
			fixed += cols[i].width;
		else
			flexible++;
	}
	int sep = n ? (int)n - 1 : 0;
	int rest = width - fixed - sep;
	for (size_t i = 0; i < n && used < width; i++) {
		int cw = cols[i].width > 0 ? cols[i].width : (rest > 0 ? rest / flexible : 0);
		if (i > 0) {
			strbuf_addch(&sb, ' ');
			used++;
		}
		if (cw > width - used)
			cw = width - used;
		char *t = cell_text(cells[i]);
		size_t k = mc_text_clip(t, cw);
		t[k] = '\0';
		int pad = cw - mc_text_width(t);
		if (cols[i].right)
			add_spaces(&sb, pad);
		strbuf_addstr(&sb, t);
		if (!cols[i].right)
			add_spaces(&sb, pad);
		used += cw;
		free(t);
	}
	add_spaces(&sb, width - used);
	return strbuf_detach(&sb);
}
