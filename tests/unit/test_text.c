/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tests/unit/fixtures.h"

#include "core/text.h"

static void check_fold(const char *in, const char *want)
{
	char *got = mc_text_fold(in);
	assert_string_equal(got, want);
	free(got);
}

static void test_fold(void **state)
{
	check_fold("Thủ tục đăng ký khai sinh", "thu tuc dang ky khai sinh");
	check_fold("  ĐẶNG   Thị Ngọc-Ánh ", "dang thi ngoc-anh");
	/* decomposed input (e + U+0302 + U+0303) folds like the composed one */
	check_fold("Nguye\xcc\x82\xcc\x83n", "nguyen");
	check_fold("1.001193", "1.001193");
	check_fold("abc\xff" "def", "abc def");
}

static void test_nfc_width(void **state)
{
	char *n = mc_text_nfc("e\xcc\x82\xcc\x83");
	assert_string_equal(n, "ễ");
	free(n);
	assert_int_equal(mc_text_width("Nguyễn Văn Ân"), 13);
	assert_int_equal(mc_text_width("e\xcc\x82\xcc\x83"), 1);
	assert_int_equal(mc_text_width("\xff"), 1);
	assert_int_equal(mc_text_clip("Đăng ký", 3), strlen("Đăn"));
}

static void check_ellipsize(const char *in, int cols, const char *want)
{
	char *got = mc_text_ellipsize(in, cols);
	assert_string_equal(got, want);
	assert_true(mc_text_width(got) <= (cols > 0 ? cols : 0));
	free(got);
}

static void test_ellipsize(void **state)
{
	(void)state;
	check_ellipsize("Phường Ba Đình", 20, "Phường Ba Đình");
	check_ellipsize("Phường Ba Đình", 14, "Phường Ba Đình");
	check_ellipsize("Phường Ba Đình, Thành phố Hà Nội", 15, "Phường … Hà Nội");
	check_ellipsize("abcdef", 1, "…");
	check_ellipsize("abcdef", 0, "");
	/* a decomposed letter is never split from its marks */
	check_ellipsize("Nguye\xcc\x82\xcc\x83n Va\xcc\x86n", 6, "Ngu…a\xcc\x86n");
	/* wide characters count two columns */
	check_ellipsize("漢字漢字漢字", 7, "漢…字");
}

static void test_setting(void **state)
{
	char line[] = "  pg_host =  \"/run/postgresql\" \r\n", blank[] = " \t\n",
	     comment[] = "  # listen = x", noeq[] = "listen 127.0.0.1", quote[] = "a=\"";
	char *k = NULL, *v = NULL;
	assert_int_equal(mc_text_setting(line, &k, &v), 1);
	assert_string_equal(k, "pg_host");
	assert_string_equal(v, "/run/postgresql");
	assert_int_equal(mc_text_setting(blank, &k, &v), 0);
	assert_int_equal(mc_text_setting(comment, &k, &v), 0);
	assert_int_equal(mc_text_setting(noeq, &k, &v), -1);
	assert_int_equal(mc_text_setting(quote, &k, &v), 1);
	assert_string_equal(k, "a");
	assert_string_equal(v, "\"");
	char t[] = "\t x y \r\n";
	assert_string_equal(mc_text_trim(t), "x y");
}

static void test_form(void **state)
{
	struct strbuf err = STRBUF_INIT;
	char *out = (char *)"x";
	assert_int_equal(mc_text_form("  \t", "Lý do", 10, &out, &err), 0);
	assert_null(out);
	assert_int_equal(mc_text_form(" Thiếu   giấy \t tờ ", "Lý do", 20, &out, &err), 0);
	assert_string_equal(out, "Thiếu giấy tờ");
	free(out);
	assert_int_equal(mc_text_form("abc\xff", "Lý do", 10, &out, &err), -1);
	assert_string_equal(err.buf, "Lý do chứa byte không phải UTF-8");
	strbuf_reset(&err);
	assert_int_equal(mc_text_form("a\x01b", "Ý kiến", 10, &out, &err), -1);
	assert_string_equal(err.buf, "Ý kiến chứa ký tự điều khiển không hợp lệ");
	strbuf_reset(&err);
	assert_int_equal(mc_text_form("Nguyễn Văn", "Tên", 5, &out, &err), -1);
	assert_string_equal(err.buf, "Tên dài quá 5 ký tự (10 ký tự)");
	assert_null(out);
	strbuf_release(&err);
}

/* A fixed buffer's copy cut inside a character loses that character only. */
static void test_cut_whole(void **state)
{
	(void)state;
	const char *full = "Lê Đình Ưng 😀";
	for (size_t n = 1; n <= strlen(full) + 1; n++) {
		char buf[64];
		snprintf(buf, n, "%s", full);
		mc_text_cut_whole(buf);
		assert_true(mc_text_valid(buf));
		assert_true(!strncmp(buf, full, strlen(buf)));
		assert_true(strlen(buf) + 4 >= n - 1); /* at most one character lost */
	}
	char whole[] = "Đ";
	mc_text_cut_whole(whole);
	assert_string_equal(whole, "Đ");
	char ascii[] = "abc";
	mc_text_cut_whole(ascii);
	assert_string_equal(ascii, "abc");
}

TESTS_MAIN(test_fold, test_nfc_width, test_ellipsize, test_setting, test_form, test_cut_whole)
