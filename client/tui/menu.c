/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Menus from tables: dispatch, legends, boxes. */
#include "client/tui/menu.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/tui/app.h"
#include "client/tui/term.h"
#include "core/text.h"

/* ---- Key menus ------------------------------------------------------------ */

static bool item_enabled(const struct menu_item *it, const void *ctx)
{
	return !it->heading && (!it->enabled || it->enabled(ctx, it->id));
}

int menu_item_run(struct app *app, void *priv, const struct menu_item *it)
{
	if (it->run)
		return it->run(app, priv, it->id);
	return app_do_action(app, it->action);
}

int menu_find(const struct menu_item *items, size_t n, enum action act)
{
	if (act == ACTION_NONE)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (!items[i].heading && items[i].action == act)
			return (int)i;
	return -1;
}

int menu_run(struct app *app, void *priv, const struct menu_item *items, size_t n,
	     enum action act)
{
	int i = menu_find(items, n, act);
	if (i < 0)
		return 0;
	if (!item_enabled(&items[i], priv))
		return SCR_HANDLED;
	return menu_item_run(app, priv, &items[i]) | SCR_HANDLED;
}

/* The label of the key running it on a screen using keymap id ("1", "F2"),
 * or "" when no key does. */
static void key_label_of(const struct keymap *km, enum keymap_id id, const struct menu_item *it,
			 char *buf, size_t n)
{
	struct key k;
	if (n)
		buf[0] = '\0';
	if (keymap_key_for(km, id, it->action, &k))
		key_label(&k, buf, n);
}

char *menu_legend(const struct keymap *km, enum keymap_id id, const struct menu_item *items,
		  size_t n, const char *fmt, const char *sep)
{
	struct strbuf sb = STRBUF_INIT, keys = STRBUF_INIT;
	strbuf_addstr(&sb, "");
	for (size_t i = 0; i < n; i++) {
		char key[32];
		key_label_of(km, id, &items[i], key, sizeof(key));
		if (!*key)
			continue;
		if (keys.len)
			strbuf_addch(&keys, ' ');
		strbuf_addstr(&keys, key);
		if (!items[i].label)
			continue; /* joined to the next row's key */
		if (sb.len)
			strbuf_addstr(&sb, sep);
		char *one = xasprintf(fmt, keys.buf, items[i].label);
		strbuf_addstr(&sb, one);
		free(one);
		strbuf_reset(&keys);
	}
	strbuf_release(&keys);
	return strbuf_detach(&sb);
}

void menu_draw_keys(const struct keymap *km, enum keymap_id id, const struct menu_item *items,
		    size_t n, int sel, WINDOW *win, int y, int x, int w)
{
	for (size_t i = 0; i < n; i++) {
		char label[32];
		key_label_of(km, id, &items[i], label, sizeof(label));
		if (!*label)
			snprintf(label, sizeof(label), " ");
		bool selected = (int)i == sel;
		int pad = 2 - mc_text_width(label);
		char *line = xasprintf("%s %s%*s %s", selected ? ">" : " ", label, pad > 0 ? pad : 0,
				       "", items[i].label);
		wattrset(win, term_style(selected ? STYLE_SELECTED : STYLE_NORMAL));
		if (selected)
			term_blank(win, y + (int)i, x, w);
		term_text(win, y + (int)i, x, w, line);
		free(line);
	}
	wattrset(win, term_style(STYLE_NORMAL));
}

/* ---- Boxes -------------------------------------------------------------- */

void menu_open(struct menu *m, const char *title, const struct menu_item *items, size_t n,
	       const void *ctx)
{
	memset(m, 0, sizeof(*m)); /* the list is a model: nothing to release */
	m->title = title;
	m->items = items;
	m->n = n;
	m->ctx = ctx;
	m->marked = -1;
	m->width = 48;
	m->chosen = -1;
	listview_init(&m->list, NULL, NULL);
	listview_set_height(&m->list, n ? (int)n : 1);
	listview_set_count(&m->list, n);
	menu_select(m, 0);
}

/* The first row from `from` on, going dir, that is not a heading; -1 if
 * none. */
static long row_from(const struct menu *m, long from, int dir)
{
	for (long i = from; i >= 0 && i < (long)m->n; i += dir)
		if (!m->items[i].heading)
			return i;
	return -1;
}

void menu_select(struct menu *m, size_t row)
{
	long i = row_from(m, (long)row, 1);
	listview_select(&m->list, i >= 0 ? (size_t)i : row);
}

/* The list's own move, then on past a heading the same way (home and
 * page-up: down to the first row; end and page-down: up to the last);
 * nothing but headings that way: the row stays. */
static void step(struct menu *m, enum action act)
{
	size_t before = m->list.selected;
	listview_act(&m->list, act);
	if (!m->n || !m->items[m->list.selected].heading)
		return;
	int dir = act == ACTION_MOVE_UP || act == ACTION_END || act == ACTION_PAGE_DOWN ? -1 : 1;
	long i = row_from(m, (long)m->list.selected, dir);
	listview_select(&m->list, i >= 0 ? (size_t)i : before);
}

enum menu_rc menu_key(struct menu *m, enum action act, wint_t ch)
{
	if (m->numbered && ch >= '1' && ch <= '9' && (size_t)(ch - '0') <= m->n) {
		m->chosen = (int)(ch - '1');
		listview_select(&m->list, (size_t)m->chosen);
		return MENU_CHOSEN;
	}
	switch (act) {
	case ACTION_NEXT_FIELD:
		step(m, ACTION_MOVE_DOWN);
		return MENU_HANDLED;
	case ACTION_PREV_FIELD:
		step(m, ACTION_MOVE_UP);
		return MENU_HANDLED;
	case ACTION_CONFIRM:
		if (!m->n)
			return MENU_HANDLED;
		m->chosen = (int)m->list.selected;
		return MENU_CHOSEN;
	case ACTION_BACK:
		return MENU_CLOSED;
	default:
		if (!listview_moves(&m->list, act))
			return MENU_IGNORED;
		step(m, act);
		return MENU_HANDLED;
	}
}

void menu_draw(struct menu *m, WINDOW *win, const struct rect *body)
{
	int h = (int)m->n + 2 + (m->footer ? 2 : 0);
	int w = m->width < body->w - 4 ? m->width : body->w - 4;
	if (h > body->h - 1)
		h = body->h - 1;
	WINDOW *sub = derwin(win, h, w, body->y + 1, body->x + 2);
	if (!sub)
		return;
	wattrset(sub, term_style(STYLE_NORMAL));
	werase(sub);
	box(sub, 0, 0);
	wattrset(sub, A_BOLD);
	char *t = xasprintf(" %s ", m->title ? m->title : "");
	term_text(sub, 0, 2, w - 4, t);
	free(t);
	int last = h - 1 - (m->footer ? 1 : 0);
	for (size_t i = 0; i < m->n && (int)i + 1 < last; i++) {
		const struct menu_item *it = &m->items[i];
		int row = 1 + (int)i;
		if (it->heading) {
			wattrset(sub, term_style(STYLE_HEADER));
			term_text(sub, row, 2, w - 4, it->label);
			continue;
		}
		char *line = m->numbered ? xasprintf("%zu  %s", i + 1, it->label)
					 : xasprintf(" %s %s", (int)i == m->marked ? "•" : " ", it->label);
		bool sel = i == m->list.selected;
		wattrset(sub, term_style(sel ? STYLE_SELECTED
					 : item_enabled(it, m->ctx) ? STYLE_NORMAL : STYLE_DIM));
		term_blank(sub, row, 1, w - 2);
		term_text(sub, row, 2, w - 4, line);
		free(line);
	}
	if (m->footer) {
		wattrset(sub, term_style(STYLE_DIM));
		term_text(sub, h - 2, 2, w - 4, m->footer);
	}
	wattrset(sub, A_NORMAL);
	wsyncup(sub);
	delwin(sub);
}
