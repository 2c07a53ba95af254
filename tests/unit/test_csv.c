/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The reference data's CSV lines (core/csv.h): plain and quoted fields,
 * doubled quotes, empty fields, too many fields, an unterminated quote. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/csv.h"

static void test_plain(void **state)
{
	(void)state;
	char line[] = "00004,Phường Ba Đình,phuong,01,Hà Nội";
	char *f[8];
	assert_int_equal(mc_csv_split(line, f, 8), 5);
	assert_string_equal(f[0], "00004");
	assert_string_equal(f[1], "Phường Ba Đình");
	assert_string_equal(f[4], "Hà Nội");
}

static void test_quoted(void **state)
{
	(void)state;
	char line[] = "a,\"b, c\",\"d\"\"e\",,\"\"";
	char *f[8];
	assert_int_equal(mc_csv_split(line, f, 8), 5);
	assert_string_equal(f[0], "a");
	assert_string_equal(f[1], "b, c");
	assert_string_equal(f[2], "d\"e");
	assert_string_equal(f[3], "");
	assert_string_equal(f[4], "");
}

static void test_limits(void **state)
{
	(void)state;
	char many[] = "1,2,3,4";
	char *f[3];
	assert_int_equal(mc_csv_split(many, f, 3), 4); /* more than max */
	char open[] = "\"unterminated, still one";
	assert_int_equal(mc_csv_split(open, f, 3), 1);
	assert_string_equal(f[0], "unterminated, still one");
	char empty[] = "";
	assert_int_equal(mc_csv_split(empty, f, 3), 1);
	assert_string_equal(f[0], "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_quoted),
		cmocka_unit_test(test_limits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
