/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Vietnamese lunar calendar and the statutory holidays computed from it. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "tests/unit/fixtures.h"

#include <stdio.h>
#include <string.h>

#include "core/lunar.h"

static const char *solar_of(int y, int m, int d, bool leap, double tz)
{
	static char buf[16];
	struct mc_lunar_date ld = { y, m, d, leap };
	int sy, sm, sd;
	if (mc_lunar_to_solar_tz(&ld, tz, &sy, &sm, &sd))
		return "none";
	mc_format_date(buf, sizeof buf, sy, sm, sd);
	return buf;
}

static const char *lunar_of(const char *date)
{
	static char buf[32];
	struct mc_date d;
	struct mc_lunar_date ld;
	assert_int_equal(mc_parse_date(date, &d), 0);
	assert_int_equal(mc_solar_to_lunar(d.y, d.m, d.d, &ld), 0);
	snprintf(buf, sizeof buf, "%d/%d%s/%d", ld.d, ld.m, ld.leap ? "L" : "", ld.y);
	return buf;
}

static long day_of(const char *date)
{
	struct mc_date d;
	assert_int_equal(mc_parse_date(date, &d), 0);
	return mc_days_from_civil(d.y, d.m, d.d);
}

static void test_tet(void **state)
{
	assert_string_equal(solar_of(2024, 1, 1, false, 7), "2024-02-10");
	assert_string_equal(solar_of(2025, 1, 1, false, 7), "2025-01-29");
	assert_string_equal(solar_of(2026, 1, 1, false, 7), "2026-02-17");
	/* More years, as in every Vietnamese wall calendar. */
	assert_string_equal(solar_of(2000, 1, 1, false, 7), "2000-02-05");
	assert_string_equal(solar_of(2020, 1, 1, false, 7), "2020-01-25");
	assert_string_equal(solar_of(2021, 1, 1, false, 7), "2021-02-12");
	assert_string_equal(solar_of(2022, 1, 1, false, 7), "2022-02-01");
	assert_string_equal(solar_of(2023, 1, 1, false, 7), "2023-01-22");
	assert_string_equal(solar_of(2027, 1, 1, false, 7), "2027-02-06");
	assert_string_equal(solar_of(2028, 1, 1, false, 7), "2028-01-26");
}

static void test_hung_kings(void **state)
{
	assert_string_equal(solar_of(2025, 3, 10, false, 7), "2025-04-07");
	assert_string_equal(solar_of(2024, 3, 10, false, 7), "2024-04-18");
	assert_string_equal(solar_of(2026, 3, 10, false, 7), "2026-04-26");
}

/* UTC+7 against UTC+8: the years the Vietnamese and Chinese calendars part. */
static void test_time_zone(void **state)
{
	assert_string_equal(solar_of(1985, 1, 1, false, 7), "1985-01-21");
	assert_string_equal(solar_of(1985, 1, 1, false, 8), "1985-02-20");
	assert_string_equal(solar_of(1968, 1, 1, false, 7), "1968-01-29");
	assert_string_equal(solar_of(1968, 1, 1, false, 8), "1968-01-30");
	assert_string_equal(solar_of(2007, 1, 1, false, 7), "2007-02-17");
	assert_string_equal(solar_of(2007, 1, 1, false, 8), "2007-02-18");
	assert_string_equal(solar_of(2030, 1, 1, false, 7), "2030-02-02");
	assert_string_equal(solar_of(2030, 1, 1, false, 8), "2030-02-03");
	/* Most years agree. */
	assert_string_equal(solar_of(2025, 1, 1, false, 8), "2025-01-29");
	/* China's leap 10th month of 1984. */
	assert_string_equal(solar_of(1984, 10, 1, true, 8), "1984-11-23");
	assert_string_equal(solar_of(1984, 10, 1, true, 7), "none");
}

static void test_leap_months(void **state)
{
	assert_int_equal(mc_lunar_leap_month(2020), 4);
	assert_int_equal(mc_lunar_leap_month(2023), 2);
	assert_int_equal(mc_lunar_leap_month(2024), 0);
	assert_int_equal(mc_lunar_leap_month(2025), 6);
	assert_int_equal(mc_lunar_leap_month(2026), 0);
	assert_int_equal(mc_lunar_leap_month(2028), 5);
	/* 2033: the leap month comes after month 11. */
	assert_int_equal(mc_lunar_leap_month(2033), 11);
	/* Leap 6th month of 2025: 25/07 to 22/08. */
	assert_string_equal(lunar_of("2025-06-25"), "1/6/2025");
	assert_string_equal(lunar_of("2025-07-24"), "30/6/2025");
	assert_string_equal(lunar_of("2025-07-25"), "1/6L/2025");
	assert_string_equal(lunar_of("2025-08-22"), "29/6L/2025");
	assert_string_equal(lunar_of("2025-08-23"), "1/7/2025");
	assert_int_equal(mc_lunar_month_days(2025, 6, true), 29);
	assert_int_equal(mc_lunar_month_days(2025, 6, false), 30);
	assert_int_equal(mc_lunar_month_days(2025, 5, true), -1);
	/* Leap 2nd month of 2023. */
	assert_string_equal(lunar_of("2023-03-22"), "1/2L/2023");
	assert_string_equal(solar_of(2023, 2, 1, true, 7), "2023-03-22");
	assert_string_equal(solar_of(2023, 3, 1, true, 7), "none");
}

static void test_conversions(void **state)
{
	/* The last day of the Giáp Thìn year, the eve of Tết 2025. */
	assert_string_equal(lunar_of("2025-01-28"), "29/12/2024");
	assert_string_equal(lunar_of("2025-01-29"), "1/1/2025");
	assert_string_equal(lunar_of("2024-02-09"), "30/12/2023");
	/* Mid-autumn 2024 (15/8) was 17/09/2024. */
	assert_string_equal(solar_of(2024, 8, 15, false, 7), "2024-09-17");
	assert_string_equal(lunar_of("2024-09-17"), "15/8/2024");
	/* Month 11 and 12 belong to the lunar year that started the previous Tết. */
	assert_string_equal(lunar_of("2025-01-01"), "2/12/2024");
	assert_string_equal(lunar_of("2024-12-21"), "21/11/2024");
	/* Day 30 of a 29-day month does not exist. */
	assert_int_equal(mc_lunar_month_days(2024, 12, false), 29);
	assert_string_equal(solar_of(2024, 12, 30, false, 7), "none");
	assert_string_equal(solar_of(2024, 12, 29, false, 7), "2025-01-28");
	/* Out of range. */
	struct mc_lunar_date ld;
	assert_int_equal(mc_solar_to_lunar(1799, 12, 31, &ld), -1);
	assert_int_equal(mc_solar_to_lunar(2200, 1, 1, &ld), -1);
	assert_int_equal(mc_solar_to_lunar(2025, 2, 29, &ld), -1);
	assert_string_equal(solar_of(2025, 13, 1, false, 7), "none");
	assert_string_equal(solar_of(2025, 1, 0, false, 7), "none");
}

/* Every day from 1990 to 2040: lunar days follow one another, months have 29
 * or 30 days, and converting back gives the same solar day. */
static void test_continuity(void **state)
{
	struct mc_lunar_date prev = { 0, 0, 0, false }, cur;
	int months = 0, leaps = 0;
	bool counting = false; /* from the first Tết on, count each year's months */
	for (long day = day_of("1990-01-01"); day <= day_of("2040-12-31"); day++) {
		int y, m, d;
		mc_civil_from_days(day, &y, &m, &d);
		assert_int_equal(mc_solar_to_lunar(y, m, d, &cur), 0);
		int by, bm, bd;
		assert_int_equal(mc_lunar_to_solar(&cur, &by, &bm, &bd), 0);
		assert_int_equal(mc_days_from_civil(by, bm, bd), day);
		if (prev.y && cur.d != 1) {
			assert_int_equal(cur.d, prev.d + 1);
			assert_int_equal(cur.m, prev.m);
			assert_int_equal(cur.leap, prev.leap);
			assert_int_equal(cur.y, prev.y);
		} else if (prev.y) {
			assert_true(prev.d == 29 || prev.d == 30);
			months++;
			if (cur.leap) {
				assert_int_equal(cur.m, prev.m);
				assert_false(prev.leap);
				leaps++;
			} else {
				assert_int_equal(cur.m, prev.m % 12 + 1);
			}
			if (cur.m == 1 && !cur.leap) {
				assert_int_equal(cur.y, prev.y + 1);
				if (counting) {
					assert_true(months == 12 || months == 13);
					assert_int_equal(months - 12, leaps);
				}
				counting = true;
				months = leaps = 0;
			} else {
				assert_int_equal(cur.y, prev.y);
			}
		}
		prev = cur;
	}
}

/* The days a calendar marks off, as "MM-DD" joined by spaces. */
static void off_days(const struct mc_calendar *cal, int y, char *buf, size_t n)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < cal->ndays; i++) {
		int yy, m, d;
		mc_civil_from_days(cal->days[i].day, &yy, &m, &d);
		if (yy != y || cal->days[i].kind != MC_DAY_OFF)
			continue;
		used += (size_t)snprintf(buf + used, n - used, "%s%02d-%02d", used ? " " : "", m, d);
	}
}

static void test_statutory_2024(void **state)
{
	struct mc_calendar cal;
	char buf[512];
	mc_calendar_init(&cal);
	mc_calendar_add_statutory(&cal, 2024);
	off_days(&cal, 2024, buf, sizeof buf);
	/* Tết: 30 Chạp (Fri 09/02) to mùng 4 (Tue 13/02); Saturday and Sunday
	 * give 14/02 and 15/02. 01/09 is a Sunday: compensatory Tuesday 03/09. */
	assert_string_equal(buf, "01-01 02-09 02-10 02-11 02-12 02-13 02-14 02-15 04-18 04-30 05-01"
				 " 09-01 09-02 09-03");
	const struct mc_day_override *o = mc_calendar_get_day(&cal, day_of("2024-02-10"));
	assert_string_equal(o->name, "Tết Nguyên đán (mùng 1)");
	o = mc_calendar_get_day(&cal, day_of("2024-02-15"));
	assert_non_null(strstr(o->name, "Nghỉ bù"));
	mc_calendar_release(&cal);
}

static void test_statutory_2025_2026(void **state)
{
	struct mc_calendar cal;
	char buf[512];
	mc_calendar_init(&cal);
	mc_calendar_add_statutory(&cal, 2025);
	mc_calendar_add_statutory(&cal, 2026);
	off_days(&cal, 2025, buf, sizeof buf);
	/* Computed (not the official 27-31/01): 29 Chạp Tue 28/01 to mùng 4 Sat
	 * 01/02, compensatory Mon 03/02; Hùng Kings Mon 07/04. */
	assert_string_equal(buf, "01-01 01-28 01-29 01-30 01-31 02-01 02-03 04-07 04-30 05-01"
				 " 09-01 09-02");
	off_days(&cal, 2026, buf, sizeof buf);
	/* Tết Mon 16/02 to Fri 20/02; Hùng Kings on Sunday 26/04 -> Mon 27/04. */
	assert_string_equal(buf, "01-01 02-16 02-17 02-18 02-19 02-20 04-26 04-27 04-30 05-01"
				 " 09-01 09-02");
	mc_calendar_release(&cal);
}

static void test_statutory_weekend_new_year(void **state)
{
	struct mc_calendar cal;
	char buf[512];
	mc_calendar_init(&cal);
	/* 01/01/2028 is a Saturday: compensatory Monday 03/01. 30/04 Sunday and
	 * 01/05 Monday: compensatory Tuesday 02/05. 02/09 Saturday, 01/09 Friday:
	 * compensatory Monday 04/09. */
	mc_calendar_add_statutory(&cal, 2028);
	off_days(&cal, 2028, buf, sizeof buf);
	assert_string_equal(buf, "01-01 01-03 01-25 01-26 01-27 01-28 01-29 01-31 04-04 04-30"
				 " 05-01 05-02 09-01 09-02 09-04");
	mc_calendar_release(&cal);
}

static void test_official_data_wins(void **state)
{
	struct mc_calendar cal;
	mc_calendar_init(&cal);
	/* The administrator moved the adjacent day of 2/9/2027 to 03/09. */
	mc_calendar_set_day(&cal, day_of("2027-09-01"), MC_DAY_WORK, "làm việc");
	mc_calendar_set_day(&cal, day_of("2027-09-03"), MC_DAY_OFF, "Quốc khánh (liền kề)");
	mc_calendar_add_statutory(&cal, 2027);
	assert_true(mc_is_working_day(&cal, day_of("2027-09-01")));
	assert_string_equal(mc_calendar_get_day(&cal, day_of("2027-09-03"))->name,
			    "Quốc khánh (liền kề)");
	mc_calendar_release(&cal);

	/* fill_statutory leaves a year with data as it is. */
	mc_calendar_init(&cal);
	assert_int_equal(mc_calendar_parse(&cal, "2025-01-27 off Tết\n2025-01-28 off Tết\n", "x", NULL), 0);
	mc_calendar_fill_statutory(&cal, 2024, 2026);
	assert_true(mc_is_working_day(&cal, day_of("2025-01-01"))); /* not in the data */
	assert_false(mc_is_working_day(&cal, day_of("2025-01-27")));
	assert_false(mc_is_working_day(&cal, day_of("2024-02-12")));  /* computed */
	assert_false(mc_is_working_day(&cal, day_of("2026-02-16")));  /* computed */
	assert_true(mc_is_working_day(&cal, day_of("2027-02-08")));   /* outside the range */
	mc_calendar_release(&cal);
}

TESTS_MAIN(test_tet, test_hung_kings, test_time_zone, test_leap_months, test_conversions,
	     test_continuity, test_statutory_2024, test_statutory_2025_2026,
	     test_statutory_weekend_new_year, test_official_data_wins)
