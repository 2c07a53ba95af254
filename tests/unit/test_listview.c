/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The list model, its one-page cache, the columns helper and the picker
 * built on them, without curses. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "client/tui/listview.h"
#include "client/tui/picker.h"
#include "core/text.h"
#include "core/xalloc.h"
#include "tests/unit/fixtures.h"

/* A key on a screen whose list the loop moves (screen_ops.list). */
static enum widget_rc press(struct listview *lv, wint_t ch, bool fn)
{
	return listview_act(lv, fixture_key(ch, fn).action);
}

/* A key in a picker, as the loop delivers it (fixture_key). */
static enum widget_rc press_picker(struct picker *p, wint_t ch, bool fn)
{
	struct key_event ev = fixture_key(ch, fn);
	return picker_key(p, ev.edit, key_event_char(&ev));
}

/* A data source of any size that counts what it was asked for. */
struct source {
	size_t calls, rows_fetched, last_first;
	const char *prefix;
};

static size_t fetch_numbers(void *data, size_t first, size_t count, struct listview_row *rows)
{
	struct source *s = data;
	s->calls++;
	s->rows_fetched += count;
	s->last_first = first;
	for (size_t i = 0; i < count; i++) {
		rows[i].text = xasprintf("%s%zu", s->prefix, first + i);
		rows[i].attr = (first + i) % 2;
	}
	return count;
}

static void test_million_rows_one_page(void **state)
{
	struct source src = { .prefix = "hồ sơ " };
	struct listview lv;
	listview_init(&lv, fetch_numbers, &src);
	listview_set_count(&lv, 1000000);
	listview_set_height(&lv, 20);
	assert_int_equal(src.calls, 0); /* nothing fetched before it is shown */

	const struct listview_row *r = listview_row(&lv, 0);
	assert_non_null(r);
	assert_string_equal(r->text, "hồ sơ 0");
	assert_int_equal(src.calls, 1);
	assert_int_equal(src.rows_fetched, 20);
	assert_string_equal(listview_row(&lv, 19)->text, "hồ sơ 19");
	assert_int_equal(listview_row(&lv, 7)->attr, 1);
	assert_int_equal(src.calls, 1); /* the page is cached */
	assert_null(listview_row(&lv, 20)); /* not on the page */

	assert_int_equal(listview_end(&lv), WIDGET_HANDLED);
	assert_int_equal(lv.selected, 999999);
	assert_int_equal(lv.top, 999980);
	assert_string_equal(listview_row(&lv, 999999)->text, "hồ sơ 999999");
	assert_null(listview_row(&lv, 0));
	assert_int_equal(src.calls, 2);
	assert_int_equal(src.last_first, 999980);
	assert_int_equal(src.rows_fetched, 40);
	assert_int_equal(lv.page_len, 20);

	/* the data changed: fetched again, once */
	listview_invalidate(&lv);
	listview_row(&lv, 999990);
	listview_row(&lv, 999991);
	assert_int_equal(src.calls, 3);
	listview_release(&lv);
}

static void test_moves_and_pages(void **state)
{
	struct source src = { .prefix = "" };
	struct listview lv;
	listview_init(&lv, fetch_numbers, &src);
	listview_set_count(&lv, 100);
	listview_set_height(&lv, 10);

	assert_int_equal(press(&lv, KEY_DOWN, true), WIDGET_HANDLED);
	assert_int_equal(lv.selected, 1);
	assert_int_equal(lv.top, 0);
	assert_int_equal(press(&lv, KEY_UP, true), WIDGET_HANDLED);
	assert_int_equal(press(&lv, KEY_UP, true), WIDGET_HANDLED);
	assert_int_equal(lv.selected, 0);
	/* scrolls one row when the selection leaves the page */
	listview_move(&lv, 10);
	assert_int_equal(lv.selected, 10);
	assert_int_equal(lv.top, 1);
	/* a page moves selection and view together */
	assert_int_equal(press(&lv, KEY_NPAGE, true), WIDGET_HANDLED);
	assert_int_equal(lv.selected, 20);
	assert_int_equal(lv.top, 11);
	listview_act(&lv, ACTION_PAGE_UP);
	assert_int_equal(lv.selected, 10);
	assert_int_equal(lv.top, 1);
	listview_page(&lv, -1);
	assert_int_equal(lv.selected, 0);
	assert_int_equal(lv.top, 0);
	/* the last page is full, never past the end */
	listview_select(&lv, 95);
	listview_page(&lv, 1);
	assert_int_equal(lv.selected, 99);
	assert_int_equal(lv.top, 90);
	listview_move(&lv, -1000);
	assert_int_equal(lv.selected, 0);
	listview_move(&lv, 1000);
	assert_int_equal(lv.selected, 99);
	assert_int_equal(press(&lv, KEY_HOME, true), WIDGET_HANDLED);
	assert_int_equal(lv.selected, 0);
	assert_int_equal(press(&lv, 'x', false), WIDGET_IGNORED);
	assert_int_equal(press(&lv, '\n', false), WIDGET_IGNORED);

	/* a taller view shows more at the end; a new count clamps */
	listview_end(&lv);
	listview_set_height(&lv, 30);
	assert_int_equal(lv.top, 70);
	listview_set_count(&lv, 40);
	assert_int_equal(lv.selected, 39);
	assert_int_equal(lv.top, 10);
	listview_set_count(&lv, 5);
	assert_int_equal(lv.selected, 4);
	assert_int_equal(lv.top, 0);
	listview_release(&lv);
}

/* The moves the framework does for a screen's list (screen_ops.list):
 * wrapping, Tab, and a pager that scrolls text without a selection. */
static void test_wrap_tab_pager(void **state)
{
	struct listview lv;
	listview_init(&lv, NULL, NULL);
	listview_set_count(&lv, 9);
	listview_set_height(&lv, 9);
	/* a plain list stops at its ends and leaves Tab alone */
	assert_int_equal(listview_act(&lv, ACTION_MOVE_UP), WIDGET_HANDLED);
	assert_int_equal(lv.selected, 0);
	assert_int_equal(listview_act(&lv, ACTION_NEXT_FIELD), WIDGET_IGNORED);
	assert_false(listview_moves(&lv, ACTION_NEXT_FIELD));
	assert_true(listview_moves(NULL, ACTION_NEXT_FIELD));
	assert_true(listview_moves(&lv, ACTION_END));
	assert_false(listview_moves(&lv, ACTION_CONFIRM));
	assert_int_equal(listview_act(&lv, ACTION_MOVE_LEFT), WIDGET_IGNORED);
	/* the home screen's rows: up from the first goes to the last */
	lv.wrap = true;
	lv.tab = true;
	assert_int_equal(listview_act(&lv, ACTION_MOVE_UP), WIDGET_HANDLED);
	assert_int_equal(lv.selected, 8);
	assert_int_equal(listview_act(&lv, ACTION_NEXT_FIELD), WIDGET_HANDLED);
	assert_int_equal(lv.selected, 0);
	assert_int_equal(listview_act(&lv, ACTION_PREV_FIELD), WIDGET_HANDLED);
	assert_int_equal(lv.selected, 8);
	assert_int_equal(listview_act(&lv, ACTION_PAGE_DOWN), WIDGET_HANDLED);
	assert_int_equal(lv.selected, 8); /* pages do not wrap */
	assert_int_equal(listview_act(&lv, ACTION_HOME), WIDGET_HANDLED);
	assert_int_equal(lv.selected, 0);
	listview_set_count(&lv, 0);
	assert_int_equal(listview_act(&lv, ACTION_MOVE_UP), WIDGET_HANDLED);
	assert_int_equal(lv.selected, 0);

	/* a pager: 50 lines, 20 shown; a page keeps one line of the last */
	struct listview pg;
	listview_init(&pg, NULL, NULL);
	pg.pager = true;
	listview_set_count(&pg, 50);
	listview_set_height(&pg, 20);
	assert_int_equal(listview_act(&pg, ACTION_MOVE_UP), WIDGET_HANDLED);
	assert_int_equal(pg.top, 0);
	listview_act(&pg, ACTION_MOVE_DOWN);
	assert_int_equal(pg.top, 1);
	listview_act(&pg, ACTION_PAGE_DOWN);
	assert_int_equal(pg.top, 20);
	listview_act(&pg, ACTION_PAGE_DOWN);
	assert_int_equal(pg.top, 30); /* the last line at the bottom, no further */
	listview_act(&pg, ACTION_MOVE_DOWN);
	assert_int_equal(pg.top, 30);
	listview_act(&pg, ACTION_PAGE_UP);
	assert_int_equal(pg.top, 11);
	listview_act(&pg, ACTION_END);
	assert_int_equal(pg.top, 30);
	listview_act(&pg, ACTION_HOME);
	assert_int_equal(pg.top, 0);
	/* a taller window or shorter text keeps the last page full */
	listview_act(&pg, ACTION_END);
	listview_set_height(&pg, 40);
	assert_int_equal(pg.top, 10);
	listview_set_count(&pg, 30);
	assert_int_equal(pg.top, 0);
	assert_int_equal(listview_act(&pg, ACTION_NEXT_FIELD), WIDGET_IGNORED);
	listview_release(&pg);
	listview_release(&lv);
}

static void test_empty_and_short(void **state)
{
	struct source src = { .prefix = "" };
	struct listview lv;
	listview_init(&lv, fetch_numbers, &src);
	listview_set_empty(&lv, "Không có hồ sơ nào");
	assert_string_equal(lv.empty, "Không có hồ sơ nào");
	listview_set_height(&lv, 10);
	assert_int_equal(press(&lv, KEY_DOWN, true), WIDGET_HANDLED);
	assert_int_equal(listview_end(&lv), WIDGET_HANDLED);
	assert_int_equal(listview_page(&lv, 1), WIDGET_HANDLED);
	assert_int_equal(lv.selected, 0);
	assert_null(listview_row(&lv, 0));
	assert_int_equal(src.calls, 0);
	/* fewer rows than the height: only those are fetched */
	listview_set_count(&lv, 3);
	assert_string_equal(listview_row(&lv, 2)->text, "2");
	assert_int_equal(src.rows_fetched, 3);
	listview_page(&lv, 1);
	assert_int_equal(lv.selected, 2);
	assert_int_equal(lv.top, 0);
	listview_release(&lv);
}

/* A source that fills fewer rows than asked: the rest are blank. */
static size_t fetch_short(void *data, size_t first, size_t count, struct listview_row *rows)
{
	rows[0].text = xstrdup("một");
	return 1;
}

static void test_partial_fetch(void **state)
{
	struct listview lv;
	listview_init(&lv, fetch_short, NULL);
	listview_set_count(&lv, 5);
	listview_set_height(&lv, 5);
	assert_string_equal(listview_row(&lv, 0)->text, "một");
	assert_null(listview_row(&lv, 1));
	listview_release(&lv);
}

static void test_columns(void **state)
{
	const struct listview_column cols[] = {
		{ 8, false }, /* code */
		{ 0, false }, /* name: the rest */
		{ 5, true },  /* days */
	};
	const char *a[] = { "1.001193", "Đăng ký khai sinh", "5" };
	char *line = listview_columns(cols, 3, a, 40);
	assert_string_equal(line, "1.001193 Đăng ký khai sinh             5");
	assert_int_equal(mc_text_width(line), 40);
	free(line);

	/* clipped by display width, never inside a character */
	const char *b[] = { "000.00.06.H56-231027-0361", "Nguyễn Thị Phương Thảo", "12" };
	line = listview_columns(cols, 3, b, 30);
	assert_string_equal(line, "000.00.0 Nguyễn Thị Phươ    12");
	assert_int_equal(mc_text_width(line), 30);
	free(line);

	/* wide characters: a 2-column character that does not fit is left out */
	const struct listview_column two[] = { { 5, false }, { 3, false } };
	const char *c[] = { "日本語", "ab\tc\n" };
	line = listview_columns(two, 2, c, 9);
	assert_string_equal(line, "日本  ab ");
	free(line);

	/* decomposed marks take no column; invalid bytes show as U+FFFD */
	const char *d[] = { "Nguye\xcc\x82\xcc\x83n", "\xff" };
	line = listview_columns(two, 2, d, 9);
	assert_string_equal(line, "Nguye\xcc\x82\xcc\x83 \xef\xbf\xbd  ");
	assert_int_equal(mc_text_width(line), 9);
	free(line);

	/* narrower than the fixed columns: cut at width */
	line = listview_columns(cols, 3, a, 10);
	assert_int_equal(mc_text_width(line), 10);
	assert_string_equal(line, "1.001193  ");
	free(line);
	const char *e[] = { NULL, "x", "" };
	line = listview_columns(cols, 3, e, 20);
	assert_string_equal(line, "         x          ");
	free(line);
}

/* ---- The picker over an in-memory commune list -------------------------- */

static const char *const communes[][2] = {
	{ "00004", "Phường Ba Đình" },
	{ "00008", "Phường Ngọc Hà" },
	{ "00025", "Phường Giảng Võ" },
	{ "26734", "Phường Sài Gòn" },
	{ "26740", "Phường Tân Định" },
	{ "26743", "Phường Bến Thành" },
	{ "27007", "Xã Đông Thạnh" },
	{ "31117", "Xã Định Hòa" },
};

struct commune_query {
	size_t runs;
	char last[64];
};

static size_t query_communes(void *data, const char *text, struct picker_item *items, size_t max)
{
	struct commune_query *q = data;
	char *key = mc_text_fold(text);
	size_t n = 0;
	q->runs++;
	snprintf(q->last, sizeof(q->last), "%s", text);
	for (size_t i = 0; i < sizeof(communes) / sizeof(communes[0]) && n < max; i++) {
		char *name = mc_text_fold(communes[i][1]);
		if (strstr(name, key)) {
			items[n].label = xasprintf("%s  %s", communes[i][0], communes[i][1]);
			items[n].id = xstrdup(communes[i][0]);
			n++;
		}
		free(name);
	}
	free(key);
	return n;
}

static void type_into(struct picker *p, const char *s)
{
	for (; *s; s++)
		press_picker(p, (wint_t)(unsigned char)*s, false);
}

static void test_picker(void **state)
{
	struct commune_query q = { 0 };
	struct picker p;
	picker_init(&p, "Chọn xã, phường", 5, query_communes, &q);
	assert_int_equal(q.runs, 1); /* the empty text lists the first ones */
	assert_int_equal(p.nitems, 5);
	assert_string_equal(picker_selected(&p)->id, "00004");

	/* typed without diacritics, one query per change */
	type_into(&p, "dinh");
	assert_int_equal(q.runs, 5);
	assert_string_equal(q.last, "dinh");
	assert_int_equal(p.nitems, 3);
	assert_string_equal(picker_selected(&p)->id, "00004");
	assert_int_equal(press_picker(&p, KEY_DOWN, true), WIDGET_HANDLED);
	assert_string_equal(picker_selected(&p)->id, "26740");
	assert_string_equal(picker_selected(&p)->label, "26740  Phường Tân Định");
	assert_int_equal(press_picker(&p, KEY_DOWN, true), WIDGET_HANDLED);
	assert_int_equal(press_picker(&p, KEY_DOWN, true), WIDGET_HANDLED);
	assert_string_equal(picker_selected(&p)->id, "31117");
	/* moving does not query; Home/End edit the field */
	assert_int_equal(q.runs, 5);
	assert_int_equal(press_picker(&p, KEY_HOME, true), WIDGET_HANDLED);
	assert_int_equal(p.field.cursor, 0);
	assert_string_equal(picker_selected(&p)->id, "31117");
	assert_int_equal(press_picker(&p, '\n', false), WIDGET_DONE);

	/* refining the text selects the first result again */
	press_picker(&p, KEY_END, true);
	type_into(&p, " hoa");
	assert_int_equal(p.nitems, 1);
	assert_string_equal(picker_selected(&p)->id, "31117");
	/* nothing found: Enter is refused */
	type_into(&p, "zz");
	assert_int_equal(p.nitems, 0);
	assert_null(picker_selected(&p));
	assert_int_equal(press_picker(&p, KEY_ENTER, true), WIDGET_REFUSED);
	/* C-u clears and lists again */
	assert_int_equal(press_picker(&p, 21, false), WIDGET_CHANGED);
	assert_int_equal(p.nitems, 5);

	/* with Telex on, "ddoong" finds Đông */
	field_set_telex(&p.field, true);
	type_into(&p, "ddoong");
	assert_string_equal(field_text(&p.field), "đông");
	assert_int_equal(p.nitems, 1);
	assert_string_equal(picker_selected(&p)->id, "27007");
	assert_int_equal(press_picker(&p, 27, false), WIDGET_CANCEL);
	assert_int_equal(press_picker(&p, '\t', false), WIDGET_IGNORED);

	picker_set_text(&p, "Phường");
	assert_int_equal(p.nitems, 5);
	listview_set_height(&p.list, 3);
	picker_key(&p, ACTION_PAGE_DOWN, 0);
	assert_string_equal(picker_selected(&p)->id, "26734");
	picker_refresh(&p);
	assert_string_equal(picker_selected(&p)->id, "26734");
	picker_release(&p);
}

TESTS_MAIN(test_million_rows_one_page, test_moves_and_pages, test_wrap_tab_pager,
	     test_empty_and_short, test_partial_fetch, test_columns, test_picker)
