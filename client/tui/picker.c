/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The picker: a field, a results array and a listview over that array. */
#include "client/tui/picker.h"

#include <stdlib.h>
#include <string.h>

#include "core/text.h"

static void free_items(struct picker *p)
{
	for (size_t i = 0; i < p->nitems; i++) {
		FREE(&p->items[i].label);
		FREE(&p->items[i].id);
	}
	p->nitems = 0;
}

static size_t fetch_items(void *data, size_t first, size_t count, struct listview_row *rows)
{
	struct picker *p = data;
	size_t n = 0;
	for (; n < count && first + n < p->nitems; n++)
		rows[n].text = xstrdup(p->items[first + n].label ? p->items[first + n].label : "");
	return n;
}

static void run_query(struct picker *p)
{
	free_items(p);
	memset(p->items, 0, p->max * sizeof(*p->items));
	size_t n = p->query ? p->query(p->data, field_text(&p->field), p->items, p->max) : 0;
	p->nitems = n > p->max ? p->max : n;
	for (size_t i = p->nitems; i < p->max; i++) { /* whatever it left past its count */
		FREE(&p->items[i].label);
		FREE(&p->items[i].id);
	}
	p->list.selected = 0;
	p->list.top = 0;
	listview_set_count(&p->list, p->nitems);
}

void picker_init(struct picker *p, const char *title, size_t max_results, picker_query_fn query,
		 void *data)
{
	memset(p, 0, sizeof(*p));
	p->title = title ? xstrdup(title) : NULL;
	field_init(&p->field, 100, 0);
	listview_init(&p->list, fetch_items, p);
	listview_set_empty(&p->list, "Không tìm thấy kết quả nào");
	p->max = max_results ? max_results : 1;
	p->items = xcalloc(p->max, sizeof(*p->items));
	p->query = query;
	p->data = data;
	run_query(p);
}

void picker_release(struct picker *p)
{
	free_items(p);
	FREE(&p->items);
	FREE(&p->title);
	field_release(&p->field);
	listview_release(&p->list);
}

void picker_set_text(struct picker *p, const char *text)
{
	field_set_text(&p->field, text);
	run_query(p);
}

void picker_refresh(struct picker *p)
{
	size_t keep = p->list.selected;
	run_query(p);
	listview_select(&p->list, keep);
}

const struct picker_item *picker_selected(const struct picker *p)
{
	return p->nitems ? &p->items[p->list.selected] : NULL;
}

enum widget_rc picker_key(struct picker *p, enum action act, wint_t ch)
{
	if (!ch) {
		switch (act) {
		case ACTION_MOVE_UP:
		case ACTION_MOVE_DOWN:
		case ACTION_PAGE_UP:
		case ACTION_PAGE_DOWN:
			return listview_act(&p->list, act);
		case ACTION_CONFIRM:
			return picker_selected(p) ? WIDGET_DONE : WIDGET_REFUSED;
		case ACTION_BACK:
			return WIDGET_CANCEL;
		default:
			break;
		}
	}
	enum widget_rc rc = field_key(&p->field, act, ch);
	if (rc == WIDGET_CHANGED)
		run_query(p);
	return rc;
}

void picker_draw(struct picker *p, WINDOW *w, int y, int x, int width, int height, bool focused)
{
	if (width < 1 || height < 1)
		return;
	if (p->title) {
		size_t n = mc_text_clip(p->title, width);
		wmove(w, y, x);
		wattr_on(w, A_BOLD, NULL);
		waddnstr(w, p->title, (int)n);
		wattr_off(w, A_BOLD, NULL);
		for (int c = mc_text_width(p->title); c < width; c++)
			waddch(w, ' ');
		y++;
		height--;
	}
	if (height > 1)
		listview_draw(&p->list, w, y + 1, x, width, height - 1, focused);
	/* the field last: the cursor stays in it */
	field_draw(&p->field, w, y, x, width, focused);
}
