#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/datetime.h"

static void test_civil_roundtrip(void **state)
{
	assert_int_equal(mc_days_from_civil(1970, 1, 1), 0);
	assert_int_equal(mc_days_from_civil(2023, 10, 27), 19657);
	for (long d = -800000; d < 800000; d += 97) {
		int y, m, dd;
		mc_civil_from_days(d, &y, &m, &dd);
		assert_int_equal(mc_days_from_civil(y, m, dd), d);
	}
	/* 27/10/2023 was a Friday. */
	assert_int_equal(mc_weekday(mc_days_from_civil(2023, 10, 27)), 5);
	assert_int_equal(mc_weekday(mc_days_from_civil(1969, 12, 28)), 0);
}

static void test_parse(void **state)
{
	struct mc_dt t;
	struct mc_date d;
	assert_int_equal(mc_parse_dt("2023-10-27T09:32", &t), 0);
	assert_int_equal(t.y * 10000 + t.m * 100 + t.d, 20231027);
	assert_int_equal(t.hh * 100 + t.mi, 932);
	assert_int_equal(mc_parse_dt("2023-02-29T09:32", &t), -1);
	assert_int_equal(mc_parse_dt("2024-02-29T24:00", &t), -1);
	assert_int_equal(mc_parse_dt("2024-02-29 23:59", &t), 0);
	assert_int_equal(mc_parse_date("2024-13-01", &d), -1);
	assert_int_equal(mc_parse_date("2024-1-01", &d), -1);
	assert_int_equal(mc_parse_date("2024-12-31", &d), 0);
	char buf[32];
	mc_dt_from_minutes(mc_dt_minutes(&t) + 1, &t);
	mc_format_dt(buf, sizeof buf, &t);
	assert_string_equal(buf, "2024-03-01T00:00");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_civil_roundtrip),
		cmocka_unit_test(test_parse),
	};
	return cmocka_run_group_tests_name("datetime", tests, NULL, NULL);
}
