/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The text field's editing logic, and the dialogs built on it (the prompt
 * is a field), driven without curses; drawing is covered by the UI tests. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "client/tui/dialog.h"
#include "client/tui/field.h"
#include "core/text.h"
#include "tests/unit/fixtures.h"

/* A key pressed in the field, as the loop delivers it (fixture_key). */
static enum widget_rc press(struct field *f, wint_t ch, bool fn)
{
	struct key_event ev = fixture_key(ch, fn);
	return field_key(f, ev.edit, key_event_char(&ev));
}

static enum widget_rc press_dialog(struct dialog *d, wint_t ch, bool fn)
{
	struct key_event ev = fixture_key(ch, fn);
	return dialog_key(d, ev.edit, key_event_char(&ev));
}

/* Types s (UTF-8) key by key as get_wch would deliver it. */
static void type(struct field *f, const char *s)
{
	size_t len = strlen(s);
	while (len) {
		int32_t cp;
		size_t k = mc_utf8_next(s, len, &cp);
		press(f, (wint_t)cp, false);
		s += k;
		len -= k;
	}
}

static void test_insert_and_move(void **state)
{
	struct field f;
	field_init(&f, 0, 0);
	assert_true(field_empty(&f));
	assert_string_equal(field_text(&f), "");
	type(&f, "Tran");
	assert_string_equal(field_text(&f), "Tran");
	assert_int_equal(field_cursor_index(&f), 4);
	assert_int_equal(press(&f, KEY_LEFT, true), WIDGET_HANDLED);
	assert_int_equal(press(&f, KEY_LEFT, true), WIDGET_HANDLED);
	type(&f, "X");
	assert_string_equal(field_text(&f), "TrXan");
	assert_int_equal(field_cursor_index(&f), 3);
	assert_int_equal(press(&f, KEY_BACKSPACE, true), WIDGET_CHANGED);
	assert_string_equal(field_text(&f), "Tran");
	assert_int_equal(press(&f, KEY_DC, true), WIDGET_CHANGED);
	assert_string_equal(field_text(&f), "Trn");
	assert_int_equal(press(&f, 1, false), WIDGET_HANDLED); /* C-a */
	assert_int_equal(field_cursor_index(&f), 0);
	assert_int_equal(press(&f, KEY_BACKSPACE, true), WIDGET_HANDLED);
	assert_string_equal(field_text(&f), "Trn");
	assert_int_equal(press(&f, 5, false), WIDGET_HANDLED); /* C-e */
	assert_int_equal(field_cursor_index(&f), 3);
	assert_int_equal(press(&f, KEY_DC, true), WIDGET_HANDLED);
	assert_int_equal(press(&f, KEY_HOME, true), WIDGET_HANDLED);
	assert_int_equal(press(&f, KEY_RIGHT, true), WIDGET_HANDLED);
	assert_int_equal(field_cursor_index(&f), 1);
	assert_int_equal(press(&f, KEY_END, true), WIDGET_HANDLED);
	assert_int_equal(press(&f, KEY_RIGHT, true), WIDGET_HANDLED);
	assert_int_equal(field_cursor_index(&f), 3);
	/* an action as the loop looked it up in the keymap */
	assert_int_equal(field_key(&f, ACTION_HOME, 0), WIDGET_HANDLED);
	assert_int_equal(field_cursor_index(&f), 0);
	assert_string_equal(field_text(&f), "Trn");
	field_release(&f);
}

static void test_keys_left_to_the_caller(void **state)
{
	struct field f;
	field_init(&f, 0, 0);
	assert_int_equal(press(&f, '\n', false), WIDGET_IGNORED);
	assert_int_equal(press(&f, '\r', false), WIDGET_IGNORED);
	assert_int_equal(press(&f, KEY_ENTER, true), WIDGET_IGNORED);
	assert_int_equal(press(&f, 27, false), WIDGET_IGNORED);
	assert_int_equal(press(&f, '\t', false), WIDGET_IGNORED);
	assert_int_equal(press(&f, KEY_BTAB, true), WIDGET_IGNORED);
	assert_int_equal(press(&f, KEY_UP, true), WIDGET_IGNORED);
	assert_int_equal(press(&f, KEY_DOWN, true), WIDGET_IGNORED);
	assert_int_equal(press(&f, KEY_F(10), true), WIDGET_IGNORED);
	assert_int_equal(field_key(&f, ACTION_CONFIRM, 0), WIDGET_IGNORED);
	assert_true(field_empty(&f));
	assert_int_equal(fixture_key(KEY_NPAGE, true).edit, ACTION_PAGE_DOWN);
	assert_int_equal(fixture_key(127, false).edit, ACTION_DELETE_BACK);
	assert_int_equal(fixture_key(8, false).edit, ACTION_DELETE_BACK);
	assert_int_equal(fixture_key(KEY_F(4), true).edit, ACTION_TOGGLE_TELEX);
	assert_int_equal(fixture_key(20, false).edit, ACTION_TOGGLE_TELEX);
	assert_int_equal(fixture_key('a', false).edit, ACTION_NONE);
	/* 'a' with fkey set is a key code, not a letter */
	assert_int_equal(press(&f, 'a', true), WIDGET_IGNORED);
	assert_true(field_empty(&f));
	field_release(&f);
}

/* The cursor steps over a base and its combining marks together. */
static void test_graphemes(void **state)
{
	struct field f;
	field_init(&f, 0, 0);
	field_set_text(&f, "Nguye\xcc\x82\xcc\x83n"); /* decomposed ễ */
	assert_string_equal(field_text(&f), "Nguyễn");
	assert_int_equal(field_length(&f), 6);
	field_left(&f);
	field_left(&f);
	assert_int_equal(field_cursor_index(&f), 4);
	assert_int_equal(f.cursor, strlen("Nguy"));
	field_delete(&f);
	assert_string_equal(field_text(&f), "Nguyn");

	/* q + U+0301 has no precomposed form: two code points, one character */
	field_set_text(&f, "aq\xcc\x81z");
	assert_int_equal(field_length(&f), 3);
	field_left(&f);
	field_left(&f);
	assert_int_equal(f.cursor, 1);
	field_right(&f);
	assert_int_equal(f.cursor, 4);
	field_backspace(&f);
	assert_string_equal(field_text(&f), "az");
	field_release(&f);
}

/* A terminal input method may send e, U+0302, U+0303 as three wchar_t. */
static void test_decomposed_input(void **state)
{
	struct field f;
	field_init(&f, 0, 0);
	assert_int_equal(press(&f, 'e', false), WIDGET_CHANGED);
	assert_int_equal(press(&f, 0x0302, false), WIDGET_CHANGED);
	assert_int_equal(press(&f, 0x0303, false), WIDGET_CHANGED);
	assert_string_equal(field_text(&f), "ễ");
	assert_int_equal(field_length(&f), 1);
	assert_int_equal(field_cursor_index(&f), 1);
	type(&f, "Nguye\xcc\x82\xcc\x83n");
	char *v = field_value(&f);
	assert_string_equal(v, "ễNguyễn");
	free(v);
	/* inserted in the middle too */
	field_set_text(&f, "Tran");
	field_left(&f);
	type(&f, "\xcc\x80"); /* combining grave after the a */
	assert_string_equal(field_text(&f), "Tràn");
	assert_int_equal(field_cursor_index(&f), 3);
	field_release(&f);
}

static void test_telex_mode(void **state)
{
	struct field f;
	field_init(&f, 0, 0);
	type(&f, "Nguyeenx");
	assert_string_equal(field_text(&f), "Nguyeenx"); /* Telex off by default */
	field_clear(&f);
	assert_int_equal(press(&f, 20, false), WIDGET_HANDLED); /* C-t */
	assert_true(f.telex);
	type(&f, "Nguyeenx Vawn Aan, 12 DDuwowngf Laangs");
	assert_string_equal(field_text(&f), "Nguyễn Văn Ân, 12 Đường Lấng");
	assert_int_equal(field_length(&f), 28);
	char *v = field_value(&f);
	assert_string_equal(v, "Nguyễn Văn Ân, 12 Đường Lấng");
	free(v);

	/* the word before the cursor: fix a tone in the middle of the text */
	field_set_text(&f, "Tran Van");
	field_home(&f);
	for (int i = 0; i < 4; i++)
		field_right(&f);
	type(&f, "af");
	assert_string_equal(field_text(&f), "Trần Van");
	assert_int_equal(field_cursor_index(&f), 4);

	/* toggled off again by F4 */
	assert_int_equal(press(&f, KEY_F(4), true), WIDGET_HANDLED);
	assert_false(f.telex);
	field_end(&f);
	type(&f, "s");
	assert_string_equal(field_text(&f), "Trần Vans");
	field_release(&f);

	/* e-mail and password fields never go through Telex */
	field_init(&f, 0, FIELD_NO_TELEX);
	field_set_telex(&f, true);
	type(&f, "ass@example.com");
	assert_string_equal(field_text(&f), "ass@example.com");
	field_release(&f);
	field_init(&f, 0, FIELD_MASK);
	field_set_telex(&f, true);
	type(&f, "aas");
	assert_string_equal(field_text(&f), "aas");
	field_release(&f);
}

static void test_max_chars(void **state)
{
	struct field f;
	field_init(&f, 5, 0);
	type(&f, "Đặng");
	assert_int_equal(press(&f, 'A', false), WIDGET_CHANGED);
	assert_int_equal(press(&f, 'B', false), WIDGET_REFUSED);
	assert_string_equal(field_text(&f), "ĐặngA");
	/* a combining mark does not add a character */
	assert_int_equal(press(&f, 0x0301, false), WIDGET_CHANGED);
	assert_string_equal(field_text(&f), "ĐặngÁ");
	/* Telex that keeps the length is accepted when full */
	field_set_telex(&f, true);
	field_set_text(&f, "ab ca");
	assert_int_equal(press(&f, 'a', false), WIDGET_CHANGED);
	assert_string_equal(field_text(&f), "ab câ");
	assert_int_equal(press(&f, 'n', false), WIDGET_REFUSED);
	/* deleting always works, and set_text cuts */
	assert_int_equal(field_backspace(&f), WIDGET_CHANGED);
	field_set_text(&f, "Nguyễn Văn");
	assert_string_equal(field_text(&f), "Nguyễ");
	field_release(&f);
}

static void test_digits_and_controls(void **state)
{
	struct field f;
	field_init(&f, 12, FIELD_DIGITS);
	type(&f, "0012");
	assert_int_equal(press(&f, 'a', false), WIDGET_REFUSED);
	assert_int_equal(press(&f, 0x0661, false), WIDGET_REFUSED); /* Arabic-Indic 1 */
	assert_int_equal(field_insert(&f, "34x"), WIDGET_REFUSED);
	assert_string_equal(field_text(&f), "0012");
	field_set_text(&f, "001 203-004 005 6");
	assert_string_equal(field_text(&f), "001203004005");
	field_release(&f);

	field_init(&f, 0, 0);
	field_set_text(&f, "a\tb\x1b[31mc\x7f" "d\xff");
	assert_string_equal(field_text(&f), "ab[31mcd\xef\xbf\xbd");
	assert_int_equal(field_insert_char(&f, 0x9b), WIDGET_REFUSED); /* C1 CSI */
	assert_int_equal(field_insert_char(&f, 0x110000), WIDGET_REFUSED);
	field_release(&f);
}

static void test_kill_keys(void **state)
{
	struct field f;
	field_init(&f, 0, 0);
	field_set_text(&f, "Nguyễn Văn  Ân");
	assert_int_equal(press(&f, 23, false), WIDGET_CHANGED); /* C-w */
	assert_string_equal(field_text(&f), "Nguyễn Văn  ");
	assert_int_equal(press(&f, 23, false), WIDGET_CHANGED);
	assert_string_equal(field_text(&f), "Nguyễn ");
	field_left(&f);
	field_left(&f);
	assert_int_equal(press(&f, 11, false), WIDGET_CHANGED); /* C-k */
	assert_string_equal(field_text(&f), "Nguyễ");
	field_home(&f);
	assert_int_equal(field_delete_word(&f), WIDGET_HANDLED);
	assert_int_equal(press(&f, 21, false), WIDGET_CHANGED); /* C-u */
	assert_true(field_empty(&f));
	assert_int_equal(field_cursor_index(&f), 0);
	assert_int_equal(field_clear(&f), WIDGET_HANDLED);
	field_release(&f);
}

static void test_layout_scrolls_by_columns(void **state)
{
	struct field f;
	field_init(&f, 0, 0);
	field_set_text(&f, "abcdefghij");
	/* cursor at the end: 4 characters and the cursor cell fit in 5 */
	assert_int_equal(field_layout(&f, 5), 4);
	assert_int_equal(f.scroll, 6);
	field_home(&f);
	assert_int_equal(field_layout(&f, 5), 0);
	assert_int_equal(f.scroll, 0);
	field_end(&f);
	field_layout(&f, 5);
	/* deleting from the end scrolls back to show as much as fits */
	for (int i = 0; i < 6; i++)
		field_backspace(&f);
	assert_string_equal(field_text(&f), "abcd");
	assert_int_equal(field_layout(&f, 5), 4);
	assert_int_equal(f.scroll, 0);

	/* wide characters count two columns; Vietnamese marks none */
	field_set_text(&f, "日本語テキスト");
	assert_int_equal(field_layout(&f, 6), 4);
	assert_int_equal(f.scroll, strlen("日本語テキ"));
	field_set_text(&f, "Nguye\xcc\x82\xcc\x83n Va\xcc\x86n");
	assert_int_equal(field_layout(&f, 20), 10);
	assert_int_equal(f.scroll, 0);
	field_home(&f);
	field_right(&f);
	assert_int_equal(field_layout(&f, 20), 1);
	assert_int_equal(field_layout(&f, 1), 0);
	assert_int_equal(f.scroll, 1);
	field_release(&f);
}

static void test_mask_and_hint(void **state)
{
	struct field f;
	field_init(&f, 0, FIELD_MASK);
	field_set_hint(&f, "Mật khẩu");
	field_set_hint(&f, "Nhập mật khẩu");
	assert_string_equal(f.hint, "Nhập mật khẩu");
	type(&f, "mậtkhẩu日本");
	assert_string_equal(field_text(&f), "mậtkhẩu日本");
	/* one column per character when masked */
	assert_int_equal(field_layout(&f, 40), 9);
	field_set_hint(&f, NULL);
	assert_null(f.hint);
	field_release(&f);
	/* released fields can be used again */
	field_init(&f, 3, 0);
	type(&f, "abcd");
	assert_string_equal(field_text(&f), "abc");
	field_release(&f);
}

/* Random keys (letters, marks, moves, deletions, Telex on and off) keep the
 * field consistent: NFC text, cursor on a boundary, within the limit. */
static void test_random_edits(void **state)
{
	static const wint_t keys[] = {
		'a', 'e', 'o', 'u', 'w', 'd', 's', 'f', 'x', 'j', 'z', 'n', 'g', ' ', 'A', 'D',
		0x0302, 0x0303, 0x0301, 0x1EC5, 0x65E5, 20, 21, 23, 11, 8, 1, 5, 2, 6, 4,
	};
	static const wint_t fkeys[] = { KEY_LEFT, KEY_RIGHT, KEY_HOME, KEY_END, KEY_BACKSPACE, KEY_DC };
	unsigned long seed = 777;
	struct field f;
	field_init(&f, 24, 0);
	for (int i = 0; i < 20000; i++) {
		seed = seed * 6364136223846793005UL + 1442695040888963407UL;
		unsigned r = (unsigned)(seed >> 33);
		if (r % 5 == 0)
			press(&f, fkeys[(r / 5) % 6], true);
		else
			press(&f, keys[(r / 5) % (sizeof(keys) / sizeof(keys[0]))], false);
		const char *t = field_text(&f);
		char *nfc = mc_text_nfc(t);
		assert_string_equal(nfc, t);
		free(nfc);
		assert_true(f.cursor <= f.text.len);
		assert_true(field_length(&f) <= 24);
		/* the cursor is on a grapheme boundary: stepping right then left
		 * comes back to it */
		size_t at = f.cursor;
		if (at < f.text.len) {
			field_right(&f);
			field_left(&f);
			assert_int_equal(f.cursor, at);
		}
		int col = field_layout(&f, 1 + (int)(r % 12));
		assert_true(col >= 0 && col <= 12);
		assert_true(f.scroll <= f.cursor);
	}
	field_release(&f);
}

/* ---- Dialogs ------------------------------------------------------------ */

static void check_wrap(const char *text, int width, const char *const *want, size_t nwant)
{
	size_t n;
	char **lines = dialog_wrap(text, width, &n);
	for (size_t i = 0; i < n && i < nwant; i++)
		assert_string_equal(lines[i], want[i]);
	assert_int_equal(n, nwant);
	for (size_t i = 0; i < n; i++) /* but a character wider than the line */
		assert_true(mc_text_width(lines[i]) <= (width > 1 ? width : 2));
	dialog_wrap_free(lines, n);
}

static void test_dialog_wrap(void **state)
{
	const char *a[] = { "Thiếu thành phần", "bắt buộc: Tờ khai", "đăng ký khai sinh." };
	check_wrap("Thiếu thành phần bắt buộc: Tờ khai đăng ký khai sinh.", 18, a, 3);
	const char *b[] = { "Một", "", "Hai  ba" };
	check_wrap("Một\n\nHai  ba ", 10, b, 3);
	const char *c[] = { "000.00.06", ".H56-2310", "27-0361" };
	check_wrap("000.00.06.H56-231027-0361", 9, c, 3);
	const char *d[] = { "日本", "語" };
	check_wrap("日本語", 5, d, 2);
	const char *e[] = { "日", "本" };
	check_wrap("日本", 1, e, 2);
	const char *f[] = { "" };
	check_wrap("", 10, f, 1);
}

static void test_dialog_layout(void **state)
{
	struct dialog d;
	struct dialog_box b;
	dialog_init_confirm(&d, "Xác nhận", "Lưu hồ sơ?", true);
	dialog_layout(&d, 24, 80, &b);
	assert_int_equal(b.width, 36);
	assert_int_equal(b.lines, 1);
	assert_int_equal(b.height, 5);
	assert_int_equal(b.y, 9);
	assert_int_equal(b.x, 22);
	dialog_release(&d);

	/* a long message wraps inside the widest box; a tiny screen clamps */
	char *longmsg = xasprintf("%s", "Hồ sơ này thiếu thành phần bắt buộc. Nhập lý do "
					"tiếp nhận (ví dụ: công dân bổ sung sau trong ngày) "
					"để ghi vào nhật ký hồ sơ.");
	dialog_init_prompt(&d, "Lý do", longmsg, 200, true);
	dialog_layout(&d, 24, 80, &b);
	assert_int_equal(b.width, 70);
	assert_int_equal(b.lines, 2);
	assert_int_equal(b.height, 7);
	dialog_layout(&d, 6, 20, &b);
	assert_int_equal(b.width, 20);
	assert_int_equal(b.height, 6);
	assert_int_equal(b.lines, 1);
	assert_int_equal(b.y, 0);
	assert_int_equal(b.x, 0);
	free(longmsg);
	dialog_release(&d);
}

static void test_dialog_confirm_keys(void **state)
{
	struct dialog d;
	dialog_init_confirm(&d, "Xác nhận", "Lưu hồ sơ?", true);
	assert_int_equal(press_dialog(&d, 'x', false), WIDGET_HANDLED); /* modal */
	assert_int_equal(press_dialog(&d, '\n', false), WIDGET_DONE);
	assert_int_equal(press_dialog(&d, KEY_RIGHT, true), WIDGET_HANDLED);
	assert_int_equal(d.button, 1);
	assert_int_equal(press_dialog(&d, KEY_ENTER, true), WIDGET_CANCEL);
	assert_int_equal(press_dialog(&d, '\t', false), WIDGET_HANDLED);
	assert_int_equal(d.button, 0);
	assert_int_equal(press_dialog(&d, 27, false), WIDGET_CANCEL);
	char *v = dialog_value(&d);
	assert_string_equal(v, "");
	free(v);
	dialog_release(&d);

	dialog_init_confirm(&d, NULL, "Hủy hồ sơ đang nhập?", false);
	assert_int_equal(press_dialog(&d, '\r', false), WIDGET_CANCEL);
	dialog_release(&d);

	dialog_init_message(&d, "Lỗi", "Không mở được máy in.");
	assert_int_equal(press_dialog(&d, KEY_DOWN, true), WIDGET_HANDLED);
	assert_int_equal(press_dialog(&d, ' ', false), WIDGET_DONE);
	assert_int_equal(press_dialog(&d, 27, false), WIDGET_CANCEL);
	dialog_release(&d);
}

static void test_dialog_prompt(void **state)
{
	struct dialog d;
	dialog_init_prompt(&d, "Lý do", "Nhập lý do tiếp nhận thiếu thành phần:", 20, true);
	assert_int_equal(press_dialog(&d, '\n', false), WIDGET_REFUSED);
	assert_non_null(d.error);
	const char *typed = "  Bo sung sau ";
	for (const char *p = typed; *p; p++)
		press_dialog(&d, (wint_t)*p, false);
	assert_null(d.error); /* typing clears the error */
	assert_int_equal(press_dialog(&d, KEY_LEFT, true), WIDGET_HANDLED);
	assert_int_equal(press_dialog(&d, '\n', false), WIDGET_DONE);
	char *v = dialog_value(&d);
	assert_string_equal(v, "Bo sung sau");
	free(v);
	/* Telex in the prompt (C-t), and the field's limit */
	press_dialog(&d, 21, false);
	press_dialog(&d, 20, false);
	for (const char *p = "Boor sung sau"; *p; p++)
		press_dialog(&d, (wint_t)*p, false);
	v = dialog_value(&d);
	assert_string_equal(v, "Bổ sung sau");
	free(v);
	for (int i = 0; i < 30; i++)
		press_dialog(&d, 'x', false);
	assert_int_equal(field_length(&d.field), 20);
	assert_int_equal(press_dialog(&d, 27, false), WIDGET_CANCEL);
	dialog_release(&d);

	dialog_init_prompt(&d, NULL, "Ghi chú (không bắt buộc):", 0, false);
	assert_int_equal(press_dialog(&d, '\n', false), WIDGET_DONE);
	dialog_release(&d);
}

TESTS_MAIN(test_insert_and_move, test_keys_left_to_the_caller, test_graphemes,
	     test_decomposed_input, test_telex_mode, test_max_chars, test_digits_and_controls,
	     test_kill_keys, test_layout_scrolls_by_columns, test_mask_and_hint,
	     test_random_edits, test_dialog_wrap, test_dialog_layout, test_dialog_confirm_keys,
	     test_dialog_prompt)
