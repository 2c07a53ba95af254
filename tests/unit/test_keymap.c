/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "tests/unit/fixtures.h"

#include <curses.h>

#include "client/tui/keymap.h"
#include "core/xalloc.h"

static struct key K(wint_t ch, bool fn)
{
	struct key k = { ch, fn };
	return k;
}

static void check_parse(const char *name, wint_t ch, bool fn)
{
	struct key k = { 0, false };
	if (key_parse(name, &k))
		fail_msg("key_parse(%s) failed", name);
	assert_int_equal(k.ch, ch);
	assert_int_equal(k.fn, fn);
}

static void check_bad(const char *name)
{
	struct key k;
	if (!key_parse(name, &k))
		fail_msg("key_parse(%s) accepted a bad name", name);
}

static void check_format(wint_t ch, bool fn, const char *want_name, const char *want_label)
{
	struct key k = K(ch, fn);
	char buf[32];
	key_format(&k, buf, sizeof(buf));
	assert_string_equal(buf, want_name);
	key_label(&k, buf, sizeof(buf));
	assert_string_equal(buf, want_label);
	/* the printed name reads back as the same key */
	struct key back;
	assert_int_equal(key_parse(want_name, &back), 0);
	assert_int_equal(back.ch, ch);
	assert_int_equal(back.fn, fn);
}

static void test_actions(void **state)
{
	assert_string_equal(action_name(ACTION_QUIT), "quit");
	assert_string_equal(action_help(ACTION_QUIT), "Thoát");
	assert_string_equal(action_name(ACTION_TOGGLE_TELEX), "toggle-telex");
	assert_string_equal(action_help(ACTION_TOGGLE_TELEX), "Bật/tắt gõ Telex");
	assert_string_equal(action_name(ACTION_NONE), "none");
	assert_string_equal(action_help(ACTION_NONE), "");
	assert_null(action_name(ACTION__COUNT));
	assert_int_equal(action_from_name("none"), ACTION_NONE);
	assert_int_equal(action_from_name("no-such-action"), -1);
	assert_int_equal(action_from_name("QUIT"), -1);
	/* every action has a unique name that maps back, and Vietnamese help */
	for (int a = 1; a < ACTION__COUNT; a++) {
		assert_int_equal(action_from_name(action_name((enum action)a)), a);
		assert_true(strlen(action_help((enum action)a)) > 0);
	}
	assert_string_equal(keymap_name(KEYMAP_GENERIC), "generic");
	assert_int_equal(keymap_from_name("reception"), KEYMAP_RECEPTION);
	assert_int_equal(keymap_from_name("detail"), KEYMAP_DETAIL);
	assert_int_equal(keymap_from_name("Home"), -1);
	assert_null(keymap_name(KEYMAP__COUNT));
}

static void test_key_names(void **state)
{
	check_parse("<F1>", KEY_F(1), true);
	check_parse("<f12>", KEY_F(12), true);
	check_parse("<C-a>", 1, false);
	check_parse("<C-T>", 20, false);
	check_parse("<c-z>", 26, false);
	check_parse("<Enter>", KEY_ENTER, true);
	check_parse("<ENTER>", KEY_ENTER, true);
	check_parse("<C-m>", KEY_ENTER, true); /* same key as Enter */
	check_parse("<C-j>", KEY_ENTER, true);
	check_parse("<C-h>", KEY_BACKSPACE, true);
	check_parse("<Esc>", 27, false);
	check_parse("<Escape>", 27, false);
	check_parse("<Tab>", '\t', false);
	check_parse("<C-i>", '\t', false);
	check_parse("<S-Tab>", KEY_BTAB, true);
	check_parse("<BackTab>", KEY_BTAB, true);
	check_parse("<Up>", KEY_UP, true);
	check_parse("<Down>", KEY_DOWN, true);
	check_parse("<Left>", KEY_LEFT, true);
	check_parse("<Right>", KEY_RIGHT, true);
	check_parse("<PgUp>", KEY_PPAGE, true);
	check_parse("<PageDown>", KEY_NPAGE, true);
	check_parse("<Home>", KEY_HOME, true);
	check_parse("<End>", KEY_END, true);
	check_parse("<Backspace>", KEY_BACKSPACE, true);
	check_parse("<Delete>", KEY_DC, true);
	check_parse("<Insert>", KEY_IC, true);
	check_parse("<Space>", ' ', false);
	check_parse("<Hash>", '#', false);
	check_parse("q", 'q', false);
	check_parse("/", '/', false);
	check_parse("<", '<', false);
	check_parse("đ", 0x111, false);
	check_parse("Đ", 0x110, false);
	check_parse("e\xcc\x82", 0xea, false); /* decomposed ê is one key */

	check_bad("");
	check_bad("<F0>");
	check_bad("<F13>");
	check_bad("<F01>");
	check_bad("<C-1>");
	check_bad("<C-ab>");
	check_bad("<Foo>");
	check_bad("<>");
	check_bad("<Enter");
	check_bad("ab");
	check_bad("\x01");
	check_bad("\xff");
}

static void test_key_format(void **state)
{
	check_format(KEY_F(1), true, "<F1>", "F1");
	check_format(KEY_F(10), true, "<F10>", "F10");
	check_format(20, false, "<C-t>", "C-t");
	check_format(KEY_ENTER, true, "<Enter>", "Enter");
	check_format(27, false, "<Esc>", "Esc");
	check_format('\t', false, "<Tab>", "Tab");
	check_format(KEY_BTAB, true, "<S-Tab>", "S-Tab");
	check_format(KEY_NPAGE, true, "<PgDown>", "PgDown");
	check_format(' ', false, "<Space>", "Space");
	check_format('#', false, "<Hash>", "Hash");
	check_format('q', false, "q", "q");
	check_format(0x111, false, "đ", "đ");
}

static void test_normalize(void **state)
{
	struct key k = K('\r', false);
	key_normalize(&k);
	assert_true(k.fn && k.ch == KEY_ENTER);
	k = K('\n', false);
	key_normalize(&k);
	assert_true(k.fn && k.ch == KEY_ENTER);
	k = K(127, false);
	key_normalize(&k);
	assert_true(k.fn && k.ch == KEY_BACKSPACE);
	k = K(8, false);
	key_normalize(&k);
	assert_true(k.fn && k.ch == KEY_BACKSPACE);
	k = K(KEY_ENTER, true);
	key_normalize(&k);
	assert_true(k.fn && k.ch == KEY_ENTER);
	k = K('a', false);
	key_normalize(&k);
	assert_true(!k.fn && k.ch == 'a');
}

static enum action lookup(const struct keymap *km, enum keymap_id id, const char *name)
{
	struct key k;
	assert_int_equal(key_parse(name, &k), 0);
	return keymap_lookup(km, id, &k);
}

static void test_parse_and_fallback(void **state)
{
	struct keymap km;
	keymap_init(&km);
	int w = keymap_load_string(&km,
				   "# comment line\n"
				   "\n"
				   "bind generic <F10> quit\n"
				   "   bind generic <Esc>\tback   # trailing comment\n"
				   "bind home q quit\n"
				   "bind home <Esc> none\n"
				   "bind generic <F2> help\n"
				   "bind generic <F2> open-catalog\n" /* replaces the line above */
				   "bind dossiers đ filter\r\n",
				   "test.keys");
	assert_int_equal(w, 0);
	assert_int_equal(km.nwarnings, 0);
	assert_int_equal(lookup(&km, KEYMAP_GENERIC, "<F10>"), ACTION_QUIT);
	assert_int_equal(lookup(&km, KEYMAP_HOME, "<F10>"), ACTION_QUIT); /* fallback */
	assert_int_equal(lookup(&km, KEYMAP_HOME, "q"), ACTION_QUIT);
	assert_int_equal(lookup(&km, KEYMAP_CATALOG, "q"), ACTION_NONE); /* home only */
	assert_int_equal(lookup(&km, KEYMAP_CATALOG, "<Esc>"), ACTION_BACK);
	assert_int_equal(lookup(&km, KEYMAP_HOME, "<Esc>"), ACTION_NONE); /* hidden */
	assert_int_equal(lookup(&km, KEYMAP_HOME, "<F2>"), ACTION_OPEN_CATALOG);
	assert_int_equal(km.count[KEYMAP_GENERIC], 3);
	assert_int_equal(lookup(&km, KEYMAP_DOSSIERS, "đ"), ACTION_FILTER);
	assert_int_equal(lookup(&km, KEYMAP_DOSSIERS, "d"), ACTION_NONE);

	struct key k;
	assert_true(keymap_key_for(&km, KEYMAP_HOME, ACTION_QUIT, &k));
	assert_true(!k.fn && k.ch == 'q'); /* the screen's own key first */
	assert_true(keymap_key_for(&km, KEYMAP_CATALOG, ACTION_QUIT, &k));
	assert_true(k.fn && k.ch == (wint_t)KEY_F(10));
	assert_false(keymap_key_for(&km, KEYMAP_HOME, ACTION_BACK, &k)); /* hidden */
	assert_false(keymap_key_for(&km, KEYMAP_HOME, ACTION_HELP, &k)); /* replaced */
	assert_false(keymap_key_for(&km, KEYMAP_HOME, ACTION_NONE, &k));
	keymap_release(&km);
}

/* Every warning, word for word (tig's test/tigrc/parse-test). */
static void test_warnings(void **state)
{
	static const char text[] =
		"bind generic <F1> help\n"
		"set foo bar\n"
		"bind generic <F1>\n"
		"bind\n"
		"bind generic <F1> help extra\n"
		"bind nosuch <F1> help\n"
		"bind generic <F13> help\n"
		"bind generic ab help\n"
		"bind generic <F2> fly\n"
		"bind generic \xff help\n"
		"bind generic # help\n"
		"bind home 1 open-reception\n";
	static const char *const want[] = {
		"x.keys:2: lệnh không hợp lệ 'set' (chỉ có lệnh 'bind')",
		"x.keys:3: thiếu tham số: cần 'bind BẢNG_PHÍM PHÍM HÀNH_ĐỘNG'",
		"x.keys:4: thiếu tham số: cần 'bind BẢNG_PHÍM PHÍM HÀNH_ĐỘNG'",
		"x.keys:5: thừa tham số sau 'help'",
		"x.keys:6: không có bảng phím 'nosuch'",
		"x.keys:7: tên phím không hợp lệ '<F13>'",
		"x.keys:8: tên phím không hợp lệ 'ab'",
		"x.keys:9: không có hành động 'fly'",
		"x.keys:10: dòng không phải UTF-8 hợp lệ",
		"x.keys:11: thiếu tham số: cần 'bind BẢNG_PHÍM PHÍM HÀNH_ĐỘNG'",
	};
	size_t nwant = sizeof(want) / sizeof(want[0]);
	struct keymap km;
	keymap_init(&km);
	assert_int_equal(keymap_load_string(&km, text, "x.keys"), (int)nwant);
	assert_int_equal(km.nwarnings, nwant);
	for (size_t i = 0; i < nwant; i++)
		assert_string_equal(km.warnings[i], want[i]);
	/* the good lines around the bad ones were loaded */
	assert_int_equal(lookup(&km, KEYMAP_LOGIN, "<F1>"), ACTION_HELP);
	assert_int_equal(lookup(&km, KEYMAP_HOME, "1"), ACTION_OPEN_RECEPTION);
	assert_int_equal(lookup(&km, KEYMAP_HOME, "<F2>"), ACTION_NONE);
	keymap_release(&km);
}

static void test_defaults(void **state)
{
	struct keymap km;
	keymap_init(&km);
	assert_int_equal(keymap_load_defaults(&km), 0);
	assert_int_equal(km.nwarnings, 0);
	static const struct {
		enum keymap_id id;
		const char *key;
		enum action action;
	} want[] = {
		{ KEYMAP_LOGIN, "<F1>", ACTION_HELP },
		{ KEYMAP_RECEPTION, "<F10>", ACTION_QUIT },
		{ KEYMAP_CATALOG, "<Esc>", ACTION_BACK },
		{ KEYMAP_RECEPTION, "<Tab>", ACTION_NEXT_FIELD },
		{ KEYMAP_RECEPTION, "<S-Tab>", ACTION_PREV_FIELD },
		{ KEYMAP_LOGIN, "<Enter>", ACTION_CONFIRM },
		{ KEYMAP_CATALOG, "/", ACTION_SEARCH },
		{ KEYMAP_DOSSIERS, "/", ACTION_SEARCH },
		{ KEYMAP_RECEPTION, "<C-t>", ACTION_TOGGLE_TELEX },
		{ KEYMAP_RECEPTION, "<F4>", ACTION_TOGGLE_TELEX },
		{ KEYMAP_RECEPTION, "<C-r>", ACTION_REFUSE_VISIT },
		{ KEYMAP_RECEPTION, "<C-g>", ACTION_GUIDE_VISIT },
		{ KEYMAP_HOME, "<F5>", ACTION_SYNC_NOW },
		{ KEYMAP_HOME, "1", ACTION_OPEN_RECEPTION },
		{ KEYMAP_HOME, "2", ACTION_OPEN_CATALOG },
		{ KEYMAP_HOME, "3", ACTION_OPEN_DOSSIERS },
		{ KEYMAP_HOME, "7", ACTION_OPEN_ONLINE },
		{ KEYMAP_ONLINE, "a", ACTION_ACCEPT_ONLINE },
		{ KEYMAP_ONLINE, "s", ACTION_ASK_SUPPLEMENT },
		{ KEYMAP_ONLINE, "r", ACTION_REFUSE_ONLINE },
		{ KEYMAP_ONLINE, "o", ACTION_OPEN_PAPER },
		{ KEYMAP_HELP, "q", ACTION_BACK },
		{ KEYMAP_LOGIN, "q", ACTION_NONE }, /* letters type on forms */
		{ KEYMAP_RECEPTION, "/", ACTION_NONE },
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		enum action got = lookup(&km, want[i].id, want[i].key);
		if (got != want[i].action)
			fail_msg("%s %s: got %s, want %s", keymap_name(want[i].id), want[i].key,
				 action_name(got), action_name(want[i].action));
	}
	/* the defaults then a user file: the user's line wins */
	assert_int_equal(keymap_load_string(&km, "bind generic <F10> none\n"
						 "bind generic <C-q> quit\n", "user"), 0);
	assert_int_equal(lookup(&km, KEYMAP_HOME, "<F10>"), ACTION_NONE);
	assert_int_equal(lookup(&km, KEYMAP_HOME, "<C-q>"), ACTION_QUIT);
	keymap_release(&km);
}

/* The keys of a text field: the field keymap first, then the screen's,
 * then generic; every screen's own keys in their own keymap. */
static void test_field_keys(void **state)
{
	struct keymap km;
	keymap_init(&km);
	assert_int_equal(keymap_load_defaults(&km), 0);
	static const struct {
		enum keymap_id id;
		const char *key;
		enum action on_screen, in_field;
	} want[] = {
		{ KEYMAP_LOGIN, "<Backspace>", ACTION_NONE, ACTION_DELETE_BACK },
		{ KEYMAP_LOGIN, "<C-h>", ACTION_NONE, ACTION_DELETE_BACK },
		{ KEYMAP_LOGIN, "<Delete>", ACTION_NONE, ACTION_DELETE_CHAR },
		{ KEYMAP_LOGIN, "<C-u>", ACTION_NONE, ACTION_CLEAR_FIELD },
		{ KEYMAP_LOGIN, "<C-w>", ACTION_NONE, ACTION_DELETE_WORD },
		{ KEYMAP_LOGIN, "<C-k>", ACTION_NONE, ACTION_KILL_TO_END },
		{ KEYMAP_LOGIN, "<C-a>", ACTION_NONE, ACTION_HOME },
		{ KEYMAP_LOGIN, "<C-n>", ACTION_NONE, ACTION_MOVE_DOWN },
		{ KEYMAP_LOGIN, "<Left>", ACTION_MOVE_LEFT, ACTION_MOVE_LEFT },
		{ KEYMAP_LOGIN, "<Home>", ACTION_HOME, ACTION_HOME },
		{ KEYMAP_LOGIN, "<Enter>", ACTION_CONFIRM, ACTION_CONFIRM },
		{ KEYMAP_RECEPTION, "<F6>", ACTION_OVERRIDE, ACTION_OVERRIDE },
		{ KEYMAP_RECEPTION, "<C-t>", ACTION_TOGGLE_TELEX, ACTION_TOGGLE_TELEX },
		/* the scan screen's Del deletes a page, in its fields a character */
		{ KEYMAP_SCAN, "<Del>", ACTION_DELETE_PAGE, ACTION_DELETE_CHAR },
		{ KEYMAP_SCAN, "<PgDown>", ACTION_NEXT_COMPONENT, ACTION_NEXT_COMPONENT },
		{ KEYMAP_SUPERVISOR, "w", ACTION_PERIOD_WEEK, ACTION_PERIOD_WEEK },
		{ KEYMAP_SUPERVISOR, "[", ACTION_PERIOD_EARLIER, ACTION_PERIOD_EARLIER },
		{ KEYMAP_SUPERVISOR, "e", ACTION_EXPORT, ACTION_EXPORT },
		{ KEYMAP_SUPERQUEUE, "r", ACTION_REASSIGN, ACTION_REASSIGN },
		{ KEYMAP_SUPERQUEUE, "/", ACTION_SEARCH, ACTION_SEARCH },
		{ KEYMAP_SUPERQUEUE, "w", ACTION_NONE, ACTION_NONE },
		{ KEYMAP_SYNC, "<Enter>", ACTION_CONFIRM, ACTION_CONFIRM },
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		struct key k;
		assert_int_equal(key_parse(want[i].key, &k), 0);
		enum action a = keymap_lookup(&km, want[i].id, &k);
		enum action f = keymap_lookup_field(&km, want[i].id, &k);
		if (a != want[i].on_screen || f != want[i].in_field)
			fail_msg("%s %s: got %s / %s in a field", keymap_name(want[i].id), want[i].key,
				 action_name(a), action_name(f));
	}
	/* a user's field line wins in fields only; none hides the default */
	assert_int_equal(keymap_load_string(&km, "bind field <C-u> none\n"
						 "bind field <F6> home\n", "user"), 0);
	assert_int_equal(lookup(&km, KEYMAP_RECEPTION, "<F6>"), ACTION_OVERRIDE);
	struct key k;
	key_parse("<F6>", &k);
	assert_int_equal(keymap_lookup_field(&km, KEYMAP_RECEPTION, &k), ACTION_HOME);
	key_parse("<C-u>", &k);
	assert_int_equal(keymap_lookup_field(&km, KEYMAP_RECEPTION, &k), ACTION_NONE);
	keymap_release(&km);
}

static void test_files(void **state)
{
	char dir[] = "/tmp/motcua-keymap-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char *missing = xasprintf("%s/missing", dir);
	char *path = xasprintf("%s/keys", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("bind generic <F2> help\nbind generic <F3> nothing\n", f);
	fclose(f);

	struct keymap km;
	keymap_init(&km);
	assert_int_equal(keymap_load_file(&km, missing, NULL), 0);
	assert_int_equal(km.nwarnings, 0);
	assert_int_equal(keymap_load_file(&km, path, NULL), 1);
	char *want = xasprintf("%s:2: không có hành động 'nothing'", path);
	assert_string_equal(km.warnings[0], want);
	free(want);
	assert_int_equal(lookup(&km, KEYMAP_HOME, "<F2>"), ACTION_HELP);
	/* a directory cannot be read as a keymap */
	assert_int_equal(keymap_load_file(&km, dir, "~/keys"), 1);
	assert_string_equal(km.warnings[1], "~/keys: không đọc được tệp phím (đây là một thư mục)");
	/* the name shown in warnings */
	assert_int_equal(keymap_load_file(&km, path, "~/.config/motcua/keys"), 1);
	assert_string_equal(km.warnings[2], "~/.config/motcua/keys:2: không có hành động 'nothing'");
	keymap_release(&km);

	unlink(path);
	rmdir(dir);
	free(path);
	free(missing);
}

static void test_user_path(void **state)
{
	setenv("XDG_CONFIG_HOME", "/x/config", 1);
	char *p = keymap_user_path();
	assert_string_equal(p, "/x/config/motcua/keys");
	free(p);
	unsetenv("XDG_CONFIG_HOME");
	setenv("HOME", "/home/canbo", 1);
	p = keymap_user_path();
	assert_string_equal(p, "/home/canbo/.config/motcua/keys");
	char *shown = keymap_shown_path(p);
	assert_string_equal(shown, "~/.config/motcua/keys");
	free(shown);
	free(p);
	shown = keymap_shown_path("/home/canbox/keys"); /* not under HOME */
	assert_string_equal(shown, "/home/canbox/keys");
	free(shown);
	setenv("HOME", "/home/canbo/", 1);
	shown = keymap_shown_path("/home/canbo/keys");
	assert_string_equal(shown, "~/keys");
	free(shown);
	setenv("HOME", "/", 1);
	shown = keymap_shown_path("/etc/keys");
	assert_string_equal(shown, "/etc/keys");
	free(shown);
}

TESTS_MAIN(test_actions, test_key_names, test_key_format, test_normalize,
	     test_parse_and_fallback, test_warnings, test_defaults, test_field_keys, test_files,
	     test_user_path)
