/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "tests/unit/fixtures.h"

#include "client/tui/layout.h"
#include "core/text.h"

static void check_rect(struct rect r, int x, int y, int w, int h)
{
	assert_int_equal(r.x, x);
	assert_int_equal(r.y, y);
	assert_int_equal(r.w, w);
	assert_int_equal(r.h, h);
}

static void test_standard(void **state)
{
	struct layout l;
	layout_compute(80, 24, &l);
	assert_false(l.too_small);
	assert_int_equal(l.cols, 80);
	assert_int_equal(l.rows, 24);
	check_rect(l.title, 0, 0, 80, 1);
	check_rect(l.body, 0, 1, 80, 21);
	check_rect(l.status, 0, 22, 80, 1);
	check_rect(l.hints, 0, 23, 80, 1);
}

static void test_large(void **state)
{
	struct layout l;
	layout_compute(200, 60, &l);
	assert_false(l.too_small);
	check_rect(l.title, 0, 0, 200, 1);
	check_rect(l.body, 0, 1, 200, 57);
	check_rect(l.status, 0, 58, 200, 1);
	check_rect(l.hints, 0, 59, 200, 1);
	/* the rows add up exactly */
	assert_int_equal(l.title.h + l.body.h + l.status.h + l.hints.h, 60);
}

static void test_too_small(void **state)
{
	static const int sizes[][2] = { { 79, 24 }, { 80, 23 }, { 60, 20 }, { 1, 1 }, { 0, 0 } };
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		struct layout l;
		layout_compute(sizes[i][0], sizes[i][1], &l);
		assert_true(l.too_small);
		check_rect(l.body, 0, 0, sizes[i][0], sizes[i][1]);
		check_rect(l.title, 0, 0, 0, 0);
		check_rect(l.status, 0, 0, 0, 0);
		check_rect(l.hints, 0, 0, 0, 0);
	}
	struct layout l;
	layout_compute(-5, -1, &l);
	assert_true(l.too_small);
	check_rect(l.body, 0, 0, 0, 0);
}

static void test_center(void **state)
{
	struct rect outer = { 0, 1, 80, 21 };
	check_rect(rect_center(&outer, 52, 8), 14, 7, 52, 8);
	check_rect(rect_center(&outer, 100, 30), 0, 1, 80, 21); /* clipped */
	check_rect(rect_center(&outer, 0, 0), 40, 11, 0, 0);
	struct rect odd = { 3, 2, 11, 5 };
	check_rect(rect_center(&odd, 4, 2), 6, 3, 4, 2);
}

static void check_wrap(const char *s, int width, int n, const char *const *want)
{
	int start[16], len[16];
	int got = layout_wrap(s, width, start, len, 16);
	assert_int_equal(got, n);
	for (int i = 0; i < n; i++) {
		char line[256];
		memcpy(line, s + start[i], (size_t)len[i]);
		line[len[i]] = '\0';
		assert_string_equal(line, want[i]);
		/* no line is wider than asked, unless it is a single long word */
		if (strchr(line, ' '))
			assert_true(mc_text_width(line) <= width);
	}
}

static void test_wrap(void **state)
{
	static const char *const a[] = { "Cửa sổ quá nhỏ: cần", "ít nhất 80x24 (hiện",
					 "tại 60x20)" };
	check_wrap("Cửa sổ quá nhỏ: cần ít nhất 80x24 (hiện tại 60x20)", 19, 3, a);
	static const char *const b[] = { "Cửa sổ quá nhỏ: cần ít nhất 80x24 (hiện tại 60x20)" };
	check_wrap("Cửa sổ quá nhỏ: cần ít nhất 80x24 (hiện tại 60x20)", 58, 1, b);
	static const char *const c[] = { "một", "từ_rất_dài_quá_khổ", "ở", "đây" };
	check_wrap("  một từ_rất_dài_quá_khổ ở   đây  ", 4, 4, c);
	check_wrap("", 10, 0, NULL);
	check_wrap("    ", 10, 0, NULL);
	/* width counts columns, not bytes: "Đặng Thị" is 8 columns, 12 bytes */
	static const char *const d[] = { "Đặng Thị", "Ánh" };
	check_wrap("Đặng Thị Ánh", 8, 2, d);
	/* max bounds the lines written */
	int start[2], len[2];
	assert_int_equal(layout_wrap("a b c d", 1, start, len, 2), 2);
}

TESTS_MAIN(test_standard, test_large, test_too_small, test_center, test_wrap)
