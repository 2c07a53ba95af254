/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Dossier codes: formatting, the three accepted forms, rejections. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "tests/unit/fixtures.h"

#include <string.h>

#include "core/dcode.h"

static void test_unit_ident(void **state)
{
	assert_true(mc_unit_ident_valid("000.00.06.H56"));
	assert_true(mc_unit_ident_is_qcvn102("000.00.06.H56"));
	assert_true(mc_unit_ident_is_qcvn102("000.20.14.G12"));
	assert_true(mc_unit_ident_valid("H56.20.14"));
	assert_false(mc_unit_ident_is_qcvn102("H56.20.14"));
	assert_true(mc_unit_ident_valid("H56"));
	assert_true(mc_unit_ident_valid("G01.001.002.003"));
	/* 35 characters is the limit. */
	assert_true(mc_unit_ident_valid("A2345678901234567890123456789012345"));
	assert_false(mc_unit_ident_valid("A23456789012345678901234567890123456"));
	assert_false(mc_unit_ident_valid(""));
	assert_false(mc_unit_ident_valid(".H56"));
	assert_false(mc_unit_ident_valid("H56."));
	assert_false(mc_unit_ident_valid("H56..20"));
	assert_false(mc_unit_ident_valid("h56.20"));
	assert_false(mc_unit_ident_valid("H56-20"));
	assert_false(mc_unit_ident_valid("H56 20"));
	assert_false(mc_unit_ident_valid("Đ56.20"));
	assert_false(mc_unit_ident_is_qcvn102("000.00.06.556"));
	assert_false(mc_unit_ident_is_qcvn102("000.00.06.H5"));
	assert_false(mc_unit_ident_is_qcvn102("000.00.06.H56.1"));
}

static void test_format(void **state)
{
	char buf[MC_DCODE_MAX];
	assert_int_equal(mc_dcode_format(buf, sizeof buf, "000.00.06.H56", 2023, 10, 27, 361), 25);
	assert_string_equal(buf, "000.00.06.H56-231027-0361");
	assert_int_equal(mc_dcode_format(buf, sizeof buf, "H56.20.14", 2025, 7, 1, 1), 21);
	assert_string_equal(buf, "H56.20.14-250701-0001");
	/* More than 9999 dossiers a day: the sequence grows. */
	mc_dcode_format(buf, sizeof buf, "H56.20.14", 2025, 7, 1, 12345);
	assert_string_equal(buf, "H56.20.14-250701-12345");
	/* Refusals. */
	assert_int_equal(mc_dcode_format(buf, sizeof buf, "h56", 2025, 7, 1, 1), -1);
	assert_int_equal(mc_dcode_format(buf, sizeof buf, "H56", 2025, 2, 29, 1), -1);
	assert_int_equal(mc_dcode_format(buf, sizeof buf, "H56", 1999, 12, 31, 1), -1);
	assert_int_equal(mc_dcode_format(buf, sizeof buf, "H56", 2100, 1, 1, 1), -1);
	assert_int_equal(mc_dcode_format(buf, sizeof buf, "H56", 2025, 7, 1, 0), -1);
	assert_int_equal(mc_dcode_format(buf, sizeof buf, "H56", 2025, 7, 1, 1000000000L), -1);
	assert_int_equal(mc_dcode_format(buf, 10, "H56.20.14", 2025, 7, 1, 1), -1);
}

static void test_parse_qcvn102(void **state)
{
	struct mc_dcode c;
	const char *why = NULL;
	assert_int_equal(mc_dcode_parse("000.00.06.H56-231027-0361", &c, &why), 0);
	assert_string_equal(c.ident, "000.00.06.H56");
	assert_int_equal(c.form, MC_DCODE_QCVN102);
	assert_int_equal(c.y * 10000 + c.m * 100 + c.d, 20231027);
	assert_int_equal(c.seq, 361);
	assert_int_equal(c.seq_digits, 4);
	assert_int_equal(c.platform, -1);
	/* Typed in lower case with blanks around it. */
	assert_int_equal(mc_dcode_parse("  000.00.06.h56-231027-0361\n", &c, &why), 0);
	assert_string_equal(c.ident, "000.00.06.H56");
}

static void test_parse_qd20(void **state)
{
	struct mc_dcode c;
	assert_int_equal(mc_dcode_parse("H56.20.14-250701-0042", &c, NULL), 0);
	assert_int_equal(c.form, MC_DCODE_QD20);
	assert_string_equal(c.ident, "H56.20.14");
	assert_int_equal(c.seq, 42);
	assert_int_equal(mc_dcode_parse("G01.001.002.003-240229-123456789", &c, NULL), 0);
	assert_int_equal(c.seq, 123456789);
	assert_int_equal(c.seq_digits, 9);
	/* A 6-digit sequence on an ordinary identifier is just a sequence. */
	assert_int_equal(mc_dcode_parse("H56.20.14-250701-120042", &c, NULL), 0);
	assert_int_equal(c.form, MC_DCODE_QD20);
	assert_int_equal(c.seq, 120042);
	/* Round trip with the formatter. */
	char buf[MC_DCODE_MAX];
	mc_dcode_format(buf, sizeof buf, "H56.20.14", 2025, 12, 31, 77);
	assert_int_equal(mc_dcode_parse(buf, &c, NULL), 0);
	assert_int_equal(c.y * 10000 + c.m * 100 + c.d, 20251231);
	assert_int_equal(c.seq, 77);
}

static void test_parse_platform(void **state)
{
	struct mc_dcode c;
	assert_int_equal(mc_dcode_parse("M01.123.45-250701-020042", &c, NULL), 0);
	assert_int_equal(c.form, MC_DCODE_PLATFORM);
	assert_string_equal(c.ident, "M01.123.45");
	assert_int_equal(c.platform, 2);
	assert_int_equal(c.seq, 42);
	assert_int_equal(c.seq_digits, 4);
	assert_int_equal(mc_dcode_parse("MA1.B2C.D3-251231-999999", &c, NULL), 0);
	assert_int_equal(c.platform, 99);
	assert_int_equal(c.seq, 9999);
	/* The platform identifier with a 4-digit sequence is a plain code. */
	assert_int_equal(mc_dcode_parse("M01.123.45-250701-0042", &c, NULL), 0);
	assert_int_equal(c.form, MC_DCODE_QD20);
	assert_int_equal(c.platform, -1);
	/* The day's number cannot be zero. */
	assert_int_equal(mc_dcode_parse("M01.123.45-250701-020000", &c, NULL), -1);
}

static void test_parse_rejects(void **state)
{
	static const struct {
		const char *code, *why;
	} bad[] = {
		{ "", "trống" },
		{ "   ", "trống" },
		{ "000.00.06.H56", "phải có dạng" },
		{ "000.00.06.H56-231027", "phải có dạng" },
		{ "000.00.06.H56-231027-0361-1", "quá nhiều dấu gạch" },
		{ "000..06.H56-231027-0361", "mã định danh" },
		{ "000.00.06.H56.-231027-0361", "mã định danh" },
		{ "-231027-0361", "mã định danh" },
		{ "Đ56-231027-0361", "mã định danh" },
		{ "A2345678901234567890123456789012345X-231027-0361", "mã định danh" },
		{ "000.00.06.H56-23102-0361", "6 chữ số" },
		{ "000.00.06.H56-2310271-0361", "6 chữ số" },
		{ "000.00.06.H56-23A027-0361", "6 chữ số" },
		{ "000.00.06.H56-231327-0361", "không tồn tại" },
		{ "000.00.06.H56-230229-0361", "không tồn tại" },
		{ "000.00.06.H56-231000-0361", "không tồn tại" },
		{ "000.00.06.H56-231027-361", "từ 4 đến 9" },
		{ "000.00.06.H56-231027-0123456789", "từ 4 đến 9" },
		{ "000.00.06.H56-231027-03a1", "chỉ gồm chữ số" },
		{ "000.00.06.H56-231027-0000", "từ 1 trở lên" },
		{ "000.00.06.H56-231027-", "từ 4 đến 9" },
		{ "000.00.06.H56-231027-0361 x", "chỉ gồm chữ số" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct mc_dcode c;
		const char *why = NULL;
		if (mc_dcode_parse(bad[i].code, &c, &why) != -1)
			fail_msg("accepted [%s]", bad[i].code);
		assert_non_null(why);
		if (!strstr(why, bad[i].why))
			fail_msg("[%s]: reason [%s] lacks [%s]", bad[i].code, why, bad[i].why);
	}
	/* A code longer than any we issue. */
	char longcode[200];
	memset(longcode, 'A', sizeof longcode - 1);
	longcode[sizeof longcode - 1] = '\0';
	struct mc_dcode c;
	assert_int_equal(mc_dcode_parse(longcode, &c, NULL), -1);
}

/* A device's fallback range: its slot is FNV-1a of its id modulo 10,000
 * (the client numbers there, the server accepts only that device's). */
static void test_fallback_range(void **state)
{
	(void)state;
	/* FNV-1a 64 of "" is the offset basis */
	assert_int_equal(mc_dcode_fallback_slot(""), (long)(14695981039346656037ULL % 10000ULL));
	long slot = mc_dcode_fallback_slot("dev-b");
	assert_true(slot >= 0 && slot < MC_DCODE_FALLBACK_SLOTS);
	long first = MC_DCODE_FALLBACK_BASE + slot * 10000;
	assert_false(mc_dcode_fallback_of("dev-b", first));
	assert_true(mc_dcode_fallback_of("dev-b", first + 1));
	assert_true(mc_dcode_fallback_of("dev-b", first + 9999));
	assert_false(mc_dcode_fallback_of("dev-b", first + 10000));
	assert_false(mc_dcode_fallback_of("dev-b", 1));
	assert_false(mc_dcode_fallback_of("dev-b", 899999999));
	long other = mc_dcode_fallback_slot("dev-a");
	if (other != slot)
		assert_false(mc_dcode_fallback_of("dev-b", MC_DCODE_FALLBACK_BASE + other * 10000 + 1));
}

TESTS_MAIN(test_unit_ident, test_format, test_parse_qcvn102, test_parse_qd20,
	     test_parse_platform, test_parse_rejects, test_fallback_range)
