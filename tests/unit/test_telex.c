/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tests/unit/fixtures.h"

#include "core/telex.h"
#include "core/text.h"

static void check(const char *typed, const char *want)
{
	char *got = telex_convert(typed);
	if (strcmp(got, want))
		print_error("telex_convert(\"%s\") = \"%s\", want \"%s\"\n", typed, got, want);
	assert_string_equal(got, want);
	/* output is NFC */
	char *nfc = mc_text_nfc(got);
	assert_string_equal(nfc, got);
	free(nfc);
	free(got);
}

static void test_names(void **state)
{
	check("Nguyeenx Vawn Aan", "Nguyễn Văn Ân");
	check("Nguyeenx", "Nguyễn");
	check("Traafn", "Trần");
	check("Trafan", "Trần");
	check("Phamj", "Phạm");
	check("DDawngj", "Đặng");
	check("Huyfnh", "Huỳnh");
	check("Huynhf", "Huỳnh");
	check("Hoafng", "Hoàng");
	check("Hoangf", "Hoàng");
	check("Quyeets", "Quyết");
	check("Quyeest", "Quyết");
	check("Giang", "Giang");
	check("Lee Thij Hoaf", "Lê Thị Hòa");
	check("Vox Minh Tuaans", "Võ Minh Tuấn");
	check("Voox", "Vỗ");
	check("Buif Thanh Hieeus", "Bùi Thanh Hiếu");
	check("DDoox Thuyf Dung", "Đỗ Thùy Dung");
	check("Hoof Chis Minh", "Hồ Chí Minh");
	check("Phuwowngf", "Phường");
	check("Phuowngf", "Phường");
	check("Nghiax", "Nghĩa");
	check("Nghixa", "Nghĩa");
	check("Khuyeens", "Khuyến");
	check("Luwu", "Lưu");
	check("Luuw", "Lưu");
	check("Dduwowngf", "Đường");
	check("Ngoo Baor Chaau", "Ngô Bảo Châu");
	check("Trinhj Coong Sown", "Trịnh Công Sơn");
}

static void test_words(void **state)
{
	check("DDawng kys khai sinh", "Đăng ký khai sinh");
	check("Thur tucj hanhf chinhs", "Thủ tục hành chính");
	check("nguowif", "người");
	check("nguoiwf", "người");
	check("dduwowngf", "đường");
	check("ruwowuj", "rượu");
	check("muoons", "muốn");
	check("thuowr", "thuở");
	check("huow", "huơ");
	check("huowu", "hươu");
	check("huowng", "hương");
	check("thuowngf", "thường");
	check("khuowr", "khuở");
	check("thuoww", "thươ");
	check("tuooir", "tuổi");
	check("gif", "gì");
	check("ginf", "gìn");
	check("giuwx", "giữ");
	check("giwx", "giữ");
	check("giuwax", "giữa");
	check("giaf", "già");
	check("gieengs", "giếng");
	check("quys", "quý");
	check("quaf", "quà");
	check("quoocs", "quốc");
	check("quaan", "quân");
	check("khoais", "khoái");
	check("xoays", "xoáy");
	check("khuyur", "khuỷu");
	check("khuya", "khuya");
	check("muaf", "mùa");
	check("muwa", "mưa");
	check("muaw", "mưa");
	check("luwar", "lửa");
	check("mias", "mía");
	check("hoawcj", "hoặc");
	check("xoawn", "xoăn");
	check("thuees", "thuế");
	check("yeeu", "yêu");
	check("ddieeuf", "điều");
	check("hoajch", "hoạch");
	check("huyts", "huýt");
	check("trw", "trư");
	check("w", "ư");
	check("W", "Ư");
	check("nhw", "như");
	check("tw", "tư");
	check("cuwr", "cử");
	check("gowir", "gởi");
	check("guwir", "gửi");
	check("xasc nhaajn", "xác nhận");
	check("xaxc", "xãc"); /* the tone stays where it was typed */
	check("dangd", "đang");
	check("tuanas", "tuấn");
}

/* Old-style placement: open oa, oe, uy, ua, ia take the tone on the first
 * vowel; a final consonant moves it to the second. */
static void test_tone_placement(void **state)
{
	check("hoas", "hóa");
	check("hoasn", "hoán");
	check("hoaf", "hòa");
	check("hoafn", "hoàn");
	check("khoer", "khỏe");
	check("Thuyr", "Thủy");
	check("thuyr", "thủy");
	check("tuyf", "tùy");
	check("tuyeenr", "tuyển");
	check("thuyeefn", "thuyền");
	check("baif", "bài");
	check("saos", "sáo");
	check("keeu", "kêu");
	check("ddoir", "đỏi");
	check("ddooir", "đổi");
	check("towis", "tới");
	check("chuwax", "chữa");
	check("tieengs", "tiếng");
	check("sinh", "sinh");
}

static void test_undo(void **state)
{
	check("ass", "as");
	check("asss", "ass");
	check("aa", "â");
	check("aaa", "aa");
	check("aaaa", "aaa");
	check("dd", "đ");
	check("ddd", "dd");
	check("ww", "w");
	check("www", "ww");
	check("uwuw", "uuw"); /* the second w undoes the horn of ưu */
	check("ee", "ê");
	check("eee", "ee");
	check("oo", "ô");
	check("ooo", "oo");
	check("aw", "ă");
	check("aww", "aw");
	check("toans", "toán");
	check("toanss", "toans");
	check("asz", "a");
	check("az", "az");
	check("afs", "á"); /* another tone replaces */
	check("Vieetj Nam", "Việt Nam");
	check("Vieejtt", "Việtt");
}

static void test_case(void **state)
{
	check("NGUYEENX", "NGUYỄN");
	check("DDAWNGF", "ĐẰNG");
	check("DDaWNGF", "ĐằNG"); /* a mark keeps the case of its letter */
	check("Dd", "Đ");
	check("dD", "đ");
	check("VIEETJ NAM", "VIỆT NAM");
	check("PHUWOWNGF", "PHƯỜNG");
	check("UOW", "ƯƠ");
	check("uow", "ươ");
}

/* Words that cannot be Vietnamese are left as typed. */
static void test_not_vietnamese(void **state)
{
	check("UBND", "UBND");
	check("CCCD", "CCCD");
	check("class", "class");
	check("email", "email");
	check("John", "John");
	check("123 abc", "123 abc");
	check("fax", "fax");
	check("jazz", "jazz");
	check("Nguyễn", "Nguyễn"); /* already Vietnamese: unchanged */
	check("", "");
}

static void check_apply(const char *word, int32_t key, const char *want)
{
	char *got = telex_apply(word, key);
	assert_string_equal(got, want);
	free(got);
}

static void test_apply(void **state)
{
	check_apply("", 'a', "a");
	check_apply("a", 'a', "â");
	check_apply("Nguyên", 'x', "Nguyễn");
	check_apply("Nguyễn", 'x', "Nguyênx");
	check_apply("Nguyễn", 'z', "Nguyên");
	check_apply("hòa", 'n', "hoàn");
	check_apply("hoá", 'n', "hoán");
	/* decomposed input (as a terminal IME may send) is read as NFC */
	check_apply("Nguye\xcc\x82", 'x', "Nguyễ");
	check_apply("e", 0x0302, "ê");
	check_apply("ê", '1', "ê1");
	check_apply("\xe1\xba\xa1", 'a', "\xe1\xba\xad"); /* ạ + a -> ậ */
}

static void test_word_start(void **state)
{
	const char *s = "Số 12 Nguyễn";
	assert_int_equal(telex_word_start(s, strlen(s)), strlen("Số 12 "));
	assert_int_equal(telex_word_start(s, strlen("Số")), 0);
	assert_int_equal(telex_word_start(s, strlen("Số 12")), strlen("Số 12"));
	assert_int_equal(telex_word_start("", 0), 0);
	/* combining marks belong to the word */
	const char *d = "x e\xcc\x82";
	assert_int_equal(telex_word_start(d, strlen(d)), 2);
	assert_true(telex_is_key('a'));
	assert_true(telex_is_key('Z'));
	assert_false(telex_is_key('1'));
	assert_false(telex_is_key(0x1EC5));
}

/* Any key sequence gives valid NFC text (a fixed pseudo-random walk). */
static void test_random_keys(void **state)
{
	static const char keys[] = "aeiouywdsfrxjzqngAEOWDSFX ,.1";
	unsigned long seed = 12345;
	char typed[40];
	for (int round = 0; round < 3000; round++) {
		size_t n = 1 + round % 30;
		for (size_t i = 0; i < n; i++) {
			seed = seed * 6364136223846793005UL + 1442695040888963407UL;
			typed[i] = keys[(seed >> 33) % (sizeof(keys) - 1)];
		}
		typed[n] = '\0';
		char *got = telex_convert(typed);
		assert_true(mc_text_valid(got));
		char *nfc = mc_text_nfc(got);
		assert_string_equal(nfc, got);
		free(nfc);
		free(got);
	}
}

TESTS_MAIN(test_names, test_words, test_tone_placement, test_undo, test_case,
	     test_not_vietnamese, test_apply, test_word_start, test_random_keys)
