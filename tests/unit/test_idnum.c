/* SPDX-License-Identifier: GPL-3.0-or-later */
/* CCCD numbers against birth year and sex; business tax codes. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "tests/unit/fixtures.h"

#include <string.h>

#include "core/idnum.h"

static void test_cccd_valid(void **state)
{
	struct mc_cccd c;
	assert_int_equal(mc_cccd_check("001087123456", 1987, 'M', &c), MC_CCCD_OK);
	assert_int_equal(c.province, 1);
	assert_string_equal(c.province_name, "Hà Nội");
	assert_int_equal(c.birth_year, 1987);
	assert_int_equal(c.sex, 'M');

	assert_int_equal(mc_cccd_check("079203000123", 2003, 'M', &c), MC_CCCD_OK);
	assert_string_equal(c.province_name, "TP Hồ Chí Minh");
	assert_int_equal(mc_cccd_check("001190000001", 1990, 'F', &c), MC_CCCD_OK);
	assert_int_equal(mc_cccd_check("036305012345", 2005, 'F', &c), MC_CCCD_OK);
	assert_string_equal(c.province_name, "Nam Định");
	assert_int_equal(mc_cccd_check("096100999999", 1900, 'F', &c), MC_CCCD_OK);
	assert_string_equal(c.province_name, "Cà Mau");
	/* Later centuries. */
	assert_int_equal(mc_cccd_check("001487000000", 2187, 'M', &c), MC_CCCD_OK);
	assert_int_equal(mc_cccd_check("001587000000", 2187, 'F', NULL), MC_CCCD_OK);
	assert_int_equal(mc_cccd_check("001687000000", 2287, 'M', NULL), MC_CCCD_OK);
	assert_int_equal(mc_cccd_check("001987000000", 2387, 'F', NULL), MC_CCCD_OK);
	/* Unknown year or sex: not checked. */
	assert_int_equal(mc_cccd_check("001087123456", 0, 0, &c), MC_CCCD_OK);
	assert_int_equal(c.birth_year, 1987);
}

static void test_cccd_invalid(void **state)
{
	static const struct {
		const char *id;
		int year;
		char sex;
		enum mc_cccd_result want;
	} cases[] = {
		{ "00108712345", 1987, 'M', MC_CCCD_LENGTH },
		{ "0010871234567", 1987, 'M', MC_CCCD_LENGTH },
		{ "00108712345a", 1987, 'M', MC_CCCD_LENGTH },
		{ " 01087123456", 1987, 'M', MC_CCCD_LENGTH },
		{ "", 0, 0, MC_CCCD_LENGTH },
		{ "000087123456", 1987, 'M', MC_CCCD_PROVINCE },
		{ "003087123456", 1987, 'M', MC_CCCD_PROVINCE }, /* no province 003 */
		{ "097087123456", 1987, 'M', MC_CCCD_PROVINCE },
		{ "100087123456", 1987, 'M', MC_CCCD_PROVINCE },
		{ "001087123456", 1988, 'M', MC_CCCD_YEAR },
		{ "001087123456", 2087, 'M', MC_CCCD_YEAR },     /* century digit says 1900s */
		{ "001287123456", 1987, 'M', MC_CCCD_YEAR },
		{ "001087123456", 1987, 'F', MC_CCCD_SEX },
		{ "001187123456", 1987, 'M', MC_CCCD_SEX },
		{ "001087123456", 1990, 'F', MC_CCCD_YEAR },     /* both: the year first */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum mc_cccd_result r = mc_cccd_check(cases[i].id, cases[i].year, cases[i].sex, NULL);
		if (r != cases[i].want)
			fail_msg("[%s]: got %d (%s), want %d", cases[i].id, r, mc_cccd_message(r),
				 cases[i].want);
	}
}

static void test_cccd_messages(void **state)
{
	assert_string_equal(mc_cccd_message(MC_CCCD_LENGTH), "Số CCCD phải gồm đúng 12 chữ số");
	assert_non_null(strstr(mc_cccd_message(MC_CCCD_PROVINCE), "mã tỉnh"));
	assert_non_null(strstr(mc_cccd_message(MC_CCCD_YEAR), "năm sinh"));
	assert_non_null(strstr(mc_cccd_message(MC_CCCD_SEX), "giới tính"));
}

static void test_provinces(void **state)
{
	int n = 0;
	for (int code = 0; code <= 999; code++)
		n += mc_cccd_province_name(code) != NULL;
	assert_int_equal(n, 63);
	assert_string_equal(mc_cccd_province_name(1), "Hà Nội");
	assert_string_equal(mc_cccd_province_name(48), "Đà Nẵng");
	assert_string_equal(mc_cccd_province_name(79), "TP Hồ Chí Minh");
	assert_string_equal(mc_cccd_province_name(92), "Cần Thơ");
	assert_null(mc_cccd_province_name(3));
	assert_null(mc_cccd_province_name(97));
	/* Every province of 1 July 2025 (data/provinces-2025.csv) kept a code of the list. */
	static const int new_codes[] = { 1,  4,  8,  11, 12, 14, 15, 19, 20, 22, 24, 25,
					 31, 33, 37, 38, 40, 42, 44, 46, 48, 51, 52, 56,
					 66, 68, 75, 79, 80, 82, 86, 91, 92, 96 };
	for (size_t i = 0; i < sizeof(new_codes) / sizeof(new_codes[0]); i++)
		assert_non_null(mc_cccd_province_name(new_codes[i]));
}

static void test_taxcode_valid(void **state)
{
	char norm[16];
	assert_int_equal(mc_taxcode_check("0100109106", norm, sizeof norm), MC_TAXCODE_OK);
	assert_string_equal(norm, "0100109106");
	assert_int_equal(mc_taxcode_check("0101248141", NULL, 0), MC_TAXCODE_OK);
	assert_int_equal(mc_taxcode_check("0300588569", NULL, 0), MC_TAXCODE_OK);
	/* The worked example of the tax circular: 010004751 -> check digit 6. */
	assert_int_equal(mc_taxcode_check("0100047516", NULL, 0), MC_TAXCODE_OK);
	/* Remainder 10 gives check digit 0. */
	assert_int_equal(mc_taxcode_check("0100000010", NULL, 0), MC_TAXCODE_OK);
	/* Two more codes of registered organisations, a head office and a
	 * branch: 1*29 + 2*17 + 3*13 + 3*7 + 4*5 + 8*3 = 167, 10 - 167 mod 11 = 8. */
	assert_int_equal(mc_taxcode_check("0100233488", NULL, 0), MC_TAXCODE_OK);
	assert_int_equal(mc_taxcode_check("0314409058-002", NULL, 0), MC_TAXCODE_OK);
	assert_int_equal(mc_taxcode_check("0100233480", NULL, 0), MC_TAXCODE_CHECKSUM);
	/* Branches, with or without the dash. */
	assert_int_equal(mc_taxcode_check("0100109106-001", norm, sizeof norm), MC_TAXCODE_OK);
	assert_string_equal(norm, "0100109106-001");
	assert_int_equal(mc_taxcode_check("0100109106999", norm, sizeof norm), MC_TAXCODE_OK);
	assert_string_equal(norm, "0100109106-999");
}

static void test_taxcode_invalid(void **state)
{
	static const struct {
		const char *code;
		enum mc_taxcode_result want;
	} cases[] = {
		{ "0100109107", MC_TAXCODE_CHECKSUM },
		{ "0100109105", MC_TAXCODE_CHECKSUM },
		{ "1100109106", MC_TAXCODE_CHECKSUM },
		{ "0100109106-002", MC_TAXCODE_OK },
		{ "0100109107-001", MC_TAXCODE_CHECKSUM },
		/* 010000005 weighs 0 mod 11: no check digit can make it valid. */
		{ "0100000050", MC_TAXCODE_CHECKSUM },
		{ "0100000059", MC_TAXCODE_CHECKSUM },
		{ "0100109106-000", MC_TAXCODE_BRANCH },
		{ "0100109106000", MC_TAXCODE_BRANCH },
		{ "0000000001", MC_TAXCODE_ZERO },
		{ "0100000000", MC_TAXCODE_ZERO },
		{ "010010910", MC_TAXCODE_FORMAT },
		{ "01001091066", MC_TAXCODE_FORMAT },
		{ "0100109106-01", MC_TAXCODE_FORMAT },
		{ "0100109106-0001", MC_TAXCODE_FORMAT },
		{ "0100109106_001", MC_TAXCODE_FORMAT },
		{ "01001091O6", MC_TAXCODE_FORMAT },
		{ "", MC_TAXCODE_FORMAT },
		{ "0100109106 ", MC_TAXCODE_FORMAT },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum mc_taxcode_result r = mc_taxcode_check(cases[i].code, NULL, 0);
		if (r != cases[i].want)
			fail_msg("[%s]: got %d (%s), want %d", cases[i].code, r,
				 mc_taxcode_message(r), cases[i].want);
	}
	assert_non_null(strstr(mc_taxcode_message(MC_TAXCODE_CHECKSUM), "kiểm tra"));
}

TESTS_MAIN(test_cccd_valid, test_cccd_invalid, test_cccd_messages, test_provinces,
	     test_taxcode_valid, test_taxcode_invalid)
