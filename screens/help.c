/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Help (F1): the keys of the screen below, those of its text fields when it
 * has some and the generic ones, each with its action and Vietnamese help,
 * generated from the loaded keymaps (so a user's bindings show as they
 * are), then any keymap warnings. A pager: the framework scrolls it. */
#include <stdlib.h>
#include <string.h>

#include "client/tui/app.h"
#include "client/tui/listview.h"
#include "core/text.h"
#include "screens/screens.h"

#define KEYS_W 22
#define NAME_W 16

struct help_line {
	char *text;
	enum style style;
};

struct help {
	struct help_line *lines;
	size_t n, alloc;
	struct listview view; /* a pager over the lines */
	char *title;  /* the screen explained */
};

static void add_line(struct help *h, enum style style, char *text)
{
	if (h->n == h->alloc) {
		h->alloc = h->alloc ? 2 * h->alloc : 64;
		h->lines = xrealloc(h->lines, h->alloc * sizeof(*h->lines));
	}
	h->lines[h->n++] = (struct help_line){ text, style };
}

/* Pads s with spaces to w display columns (at least one space after). */
static void add_padded(struct strbuf *sb, const char *s, int w)
{
	strbuf_addstr(sb, s);
	int pad = w - mc_text_width(s);
	do
		strbuf_addch(sb, ' ');
	while (--pad > 0);
}

/* How a key reaches an action on the screen explained: through its
 * keymap (and generic), or in one of its text fields (the field keymap
 * first). */
static enum action reached(const struct keymap *km, enum keymap_id id, bool field,
			   const struct key *k)
{
	return field ? keymap_lookup_field(km, id, k) : keymap_lookup(km, id, k);
}

/* One line per action bound in table (and still reaching it on a screen
 * using keymap id, in a field when field): keys, action name, help.
 * Returns the lines added. */
static int add_bindings(struct help *h, const struct keymap *km, enum keymap_id table,
			enum keymap_id id, bool field)
{
	int added = 0;
	for (enum action a = ACTION_NONE + 1; a < ACTION__COUNT; a++) {
		struct strbuf keys = STRBUF_INIT;
		for (size_t i = 0; i < km->count[table]; i++) {
			const struct binding *b = &km->bindings[table][i];
			if (b->action != a || reached(km, id, field, &b->key) != a)
				continue;
			char name[32];
			key_format(&b->key, name, sizeof(name));
			if (keys.len)
				strbuf_addstr(&keys, ", ");
			strbuf_addstr(&keys, name);
		}
		if (!keys.len)
			continue;
		struct strbuf line = STRBUF_INIT;
		strbuf_addstr(&line, "  ");
		add_padded(&line, keys.buf, KEYS_W);
		add_padded(&line, action_name(a), NAME_W);
		strbuf_addstr(&line, action_help(a));
		add_line(h, STYLE_NORMAL, strbuf_detach(&line));
		strbuf_release(&keys);
		added++;
	}
	return added;
}

static int help_open(struct app *app, void *priv, const void *arg)
{
	struct help *h = priv;
	const struct screen_ops *below = arg;
	const struct keymap *km = &app->keymap;
	int id = below ? keymap_from_name(below->keymap) : KEYMAP_GENERIC;
	if (id < 0)
		id = KEYMAP_GENERIC;
	h->title = xstrdup(below && below->title ? below->title : "Chung");

	if (id != KEYMAP_GENERIC) {
		add_line(h, STYLE_HEADER, xasprintf("Phím riêng của màn hình «%s» (bảng phím %s)",
						     h->title, keymap_name((enum keymap_id)id)));
		if (!add_bindings(h, km, (enum keymap_id)id, (enum keymap_id)id, false))
			add_line(h, STYLE_DIM, xstrdup("  (không có phím riêng)"));
		add_line(h, STYLE_NORMAL, xstrdup(""));
	}
	add_line(h, STYLE_HEADER, xstrdup("Phím chung (bảng phím generic)"));
	add_bindings(h, km, KEYMAP_GENERIC, (enum keymap_id)id, false);
	add_line(h, STYLE_NORMAL, xstrdup(""));
	if (below && below->fields) {
		add_line(h, STYLE_HEADER, xstrdup("Khi gõ trong một ô chữ (bảng phím field)"));
		add_bindings(h, km, KEYMAP_FIELD, (enum keymap_id)id, true);
		add_line(h, STYLE_NORMAL, xstrdup(""));
	}

	if (km->nwarnings) {
		add_line(h, STYLE_HEADER, xasprintf("Cảnh báo khi đọc tệp phím (%zu)", km->nwarnings));
		for (size_t i = 0; i < km->nwarnings; i++)
			add_line(h, STYLE_ERROR, xasprintf("  %s", km->warnings[i]));
		add_line(h, STYLE_NORMAL, xstrdup(""));
	}
	add_line(h, STYLE_DIM, xasprintf("Đổi phím trong tệp %s bằng các dòng",
					  app->keys_path ? app->keys_path : ""));
	add_line(h, STYLE_DIM, xstrdup("  bind BẢNG_PHÍM PHÍM HÀNH_ĐỘNG"));
	add_line(h, STYLE_DIM, xstrdup("ví dụ: bind generic <F2> open-reception"));
	listview_init(&h->view, NULL, NULL);
	h->view.pager = true;
	listview_set_count(&h->view, h->n);
	return 0;
}

static void help_draw(struct app *app, void *priv, WINDOW *win, const struct rect *body)
{
	struct help *h = priv;
	int page = body->h - 2;
	listview_set_height(&h->view, page > 1 ? page : 1);
	size_t top = h->view.top, shown = (size_t)h->view.height;

	wattrset(win, term_style(STYLE_HEADER));
	char *head = xasprintf("Trợ giúp phím — %s", h->title);
	term_text(win, body->y, body->x + 1, body->w - 20, head);
	free(head);
	if (h->n > shown) {
		size_t last = top + shown;
		char *pos = xasprintf("dòng %zu-%zu/%zu", top + 1, last < h->n ? last : h->n, h->n);
		int pw = mc_text_width(pos);
		wattrset(win, term_style(STYLE_DIM));
		term_text(win, body->y, body->x + body->w - pw - 1, pw, pos);
		free(pos);
	}
	for (size_t i = 0; i < shown && top + i < h->n; i++) {
		const struct help_line *l = &h->lines[top + i];
		wattrset(win, term_style(l->style));
		term_text(win, body->y + 2 + (int)i, body->x + 1, body->w - 2, l->text);
	}
	wattrset(win, term_style(STYLE_NORMAL));
}

static int help_handle(struct app *app, void *priv, enum action act, const struct key_event *ev)
{
	switch (act) {
	case ACTION_BACK:
	case ACTION_HELP:
	case ACTION_CONFIRM:
		return SCR_BACK;
	default:
		return SCR_IGNORED; /* the moves scroll (help_list) */
	}
}

static struct listview *help_list(struct app *app, void *priv, enum action act)
{
	struct help *h = priv;
	return &h->view;
}

static void help_done(struct app *app, void *priv)
{
	struct help *h = priv;
	for (size_t i = 0; i < h->n; i++)
		free(h->lines[i].text);
	free(h->lines);
	free(h->title);
	listview_release(&h->view);
}

static const enum action help_hints[] = { ACTION_MOVE_DOWN, ACTION_PAGE_DOWN, ACTION_BACK,
					  ACTION_NONE };

const struct screen_ops help_screen = {
	.name = "help",
	.title = "Trợ giúp",
	.keymap = "help",
	.private_size = sizeof(struct help),
	.hints = help_hints,
	.open = help_open,
	.draw = help_draw,
	.handle = help_handle,
	.list = help_list,
	.done = help_done,
};
