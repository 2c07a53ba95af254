/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Menus from tables (client/tui/menu.h), without curses: a numbered box,
 * a box with headings, key menus dispatched by action and written as a
 * legend with the keys of the compiled-in keymaps. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "client/tui/menu.h"
#include "client/tui/screen.h"
#include "tests/unit/fixtures.h"

/* A key in a box, as the loop delivers it to the screen. */
static enum menu_rc press(struct menu *m, wint_t ch, bool fn)
{
	struct key_event ev = fixture_key(ch, fn);
	return menu_key(m, ev.action, key_event_char(&ev));
}

static bool odd_only(const void *ctx, int id)
{
	return id % 2;
}

static void test_numbered(void **state)
{
	static const struct menu_item rows[] = {
		{ .label = "Chuyển xử lý", .id = 0, .enabled = odd_only },
		{ .label = "Yêu cầu bổ sung", .id = 1, .enabled = odd_only },
		{ .label = "Xin lỗi, hẹn lại", .id = 2, .enabled = odd_only },
	};
	struct menu m;
	menu_open(&m, "Xử lý hồ sơ", rows, 3, NULL);
	m.numbered = true;
	assert_int_equal(m.list.selected, 0);
	/* the number typed chooses its row, enabled or not (the caller says
	 * why not); a number past the rows does nothing */
	assert_int_equal(press(&m, '3', false), MENU_CHOSEN);
	assert_int_equal(m.chosen, 2);
	assert_int_equal(press(&m, '4', false), MENU_IGNORED);
	assert_int_equal(press(&m, '0', false), MENU_IGNORED);
	/* the moves stop at the ends; Tab moves too; Enter chooses */
	assert_int_equal(press(&m, KEY_HOME, true), MENU_HANDLED);
	assert_int_equal(press(&m, KEY_UP, true), MENU_HANDLED);
	assert_int_equal(m.list.selected, 0);
	assert_int_equal(press(&m, '\t', false), MENU_HANDLED);
	assert_int_equal(m.list.selected, 1);
	assert_int_equal(press(&m, KEY_NPAGE, true), MENU_HANDLED);
	assert_int_equal(m.list.selected, 2);
	assert_int_equal(press(&m, KEY_DOWN, true), MENU_HANDLED);
	assert_int_equal(m.list.selected, 2);
	assert_int_equal(press(&m, KEY_BTAB, true), MENU_HANDLED);
	assert_int_equal(press(&m, '\n', false), MENU_CHOSEN);
	assert_int_equal(m.chosen, 1);
	assert_int_equal(press(&m, 27, false), MENU_CLOSED);
	/* letters and other actions are the caller's */
	assert_int_equal(press(&m, 'a', false), MENU_IGNORED);
	assert_int_equal(press(&m, KEY_F(1), true), MENU_IGNORED);
	/* not numbered: digits are not rows */
	m.numbered = false;
	assert_int_equal(press(&m, '1', false), MENU_IGNORED);
}

/* The dossier list's filters: the moves step over the headings. */
static void test_headings(void **state)
{
	static const struct menu_item rows[] = {
		{ .label = "Theo trạng thái", .heading = true },
		{ .label = "Tất cả hồ sơ", .id = 10 },
		{ .label = "Chưa kết thúc", .id = 11 },
		{ .label = "Theo hạn trả", .heading = true },
		{ .label = "Quá hạn", .id = 12 },
		{ .label = "Đến hạn trả hôm nay", .id = 13 },
	};
	struct menu m;
	menu_open(&m, "Lọc danh sách", rows, 6, NULL);
	assert_int_equal(m.list.selected, 1); /* not the heading */
	assert_int_equal(press(&m, KEY_UP, true), MENU_HANDLED);
	assert_int_equal(m.list.selected, 1); /* only a heading above */
	press(&m, KEY_DOWN, true);
	assert_int_equal(m.list.selected, 2);
	press(&m, KEY_DOWN, true);
	assert_int_equal(m.list.selected, 4); /* over the heading */
	press(&m, KEY_UP, true);
	assert_int_equal(m.list.selected, 2);
	press(&m, KEY_END, true);
	assert_int_equal(m.list.selected, 5);
	press(&m, KEY_PPAGE, true);
	assert_int_equal(m.list.selected, 1);
	press(&m, KEY_NPAGE, true);
	assert_int_equal(m.list.selected, 5);
	press(&m, KEY_HOME, true);
	assert_int_equal(m.list.selected, 1);
	menu_select(&m, 3);
	assert_int_equal(m.list.selected, 4);
	assert_int_equal(press(&m, KEY_ENTER, true), MENU_CHOSEN);
	assert_int_equal(rows[m.chosen].id, 12);
	assert_int_equal(menu_find(rows, 6, ACTION_NONE), -1);

	struct menu empty;
	menu_open(&empty, "Trống", rows, 0, NULL);
	assert_int_equal(press(&empty, KEY_DOWN, true), MENU_HANDLED);
	assert_int_equal(press(&empty, '\n', false), MENU_HANDLED);
}

struct counter {
	int runs, last;
};

static int count_run(struct app *app, void *priv, int id)
{
	struct counter *c = priv;
	c->runs++;
	c->last = id;
	return SCR_REDRAW;
}

static bool never(const void *ctx, int id)
{
	return false;
}

/* Key menus: dispatched by action, written with their keys. */
static void test_key_menus(void **state)
{
	static const struct menu_item rows[] = {
		{ .action = ACTION_PERIOD_EARLIER, .label = NULL, .run = count_run, .id = -1 },
		{ .action = ACTION_PERIOD_LATER, .label = "kỳ trước/sau", .run = count_run, .id = 1 },
		{ .action = ACTION_NEXT_UNIT, .label = "đơn vị", .run = count_run, .id = 7 },
		{ .action = ACTION_EXPORT, .label = "xuất CSV", .run = count_run, .enabled = never },
		{ .action = ACTION_REASSIGN, .label = "giao lại", .run = count_run },
	};
	struct counter c = { 0, 0 };
	assert_int_equal(menu_run(NULL, &c, rows, 5, ACTION_NEXT_UNIT), SCR_REDRAW | SCR_HANDLED);
	assert_int_equal(c.runs, 1);
	assert_int_equal(c.last, 7);
	assert_int_equal(menu_run(NULL, &c, rows, 5, ACTION_PERIOD_EARLIER),
			 SCR_REDRAW | SCR_HANDLED);
	assert_int_equal(c.last, -1);
	/* a row not enabled: the key does nothing */
	assert_int_equal(menu_run(NULL, &c, rows, 5, ACTION_EXPORT), SCR_HANDLED);
	assert_int_equal(c.runs, 2);
	/* not a row's action: the caller's */
	assert_int_equal(menu_run(NULL, &c, rows, 5, ACTION_SORT), 0);
	assert_int_equal(menu_run(NULL, &c, rows, 5, ACTION_NONE), 0);
	assert_int_equal(menu_find(rows, 5, ACTION_EXPORT), 3);

	struct keymap km;
	keymap_init(&km);
	assert_int_equal(keymap_load_defaults(&km), 0);
	/* reassign has no key on the supervisor's screen: left out */
	char *line = menu_legend(&km, KEYMAP_SUPERVISOR, rows, 5, "%s %s", " · ");
	assert_string_equal(line, "[ ] kỳ trước/sau · u đơn vị · e xuất CSV");
	free(line);
	line = menu_legend(&km, KEYMAP_SUPERQUEUE, rows + 2, 3, "[%s] %s", " ");
	assert_string_equal(line, "[u] đơn vị [r] giao lại");
	free(line);
	/* a user's key shows as it is bound */
	assert_int_equal(keymap_load_string(&km, "bind supervisor <F7> next-unit\n"
						 "bind supervisor u none\n", "user"), 0);
	line = menu_legend(&km, KEYMAP_SUPERVISOR, rows + 2, 1, "%s %s", " · ");
	assert_string_equal(line, "F7 đơn vị");
	free(line);
	keymap_release(&km);
}

TESTS_MAIN(test_numbered, test_headings, test_key_menus)
