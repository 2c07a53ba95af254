/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "tests/unit/fixtures.h"
#include <string.h>

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

static void date_vn_ok(const char *s, int y, int m, int d)
{
	struct mc_date out = { 0, 0, 0 };
	if (mc_parse_date_vn(s, &out))
		fail_msg("mc_parse_date_vn(\"%s\") refused a date", s);
	if (out.y != y || out.m != m || out.d != d)
		fail_msg("mc_parse_date_vn(\"%s\") = %04d-%02d-%02d", s, out.y, out.m, out.d);
}

static void date_vn_bad(const char *s)
{
	struct mc_date out = { 7, 7, 7 };
	if (!mc_parse_date_vn(s, &out))
		fail_msg("mc_parse_date_vn(\"%s\") accepted %04d-%02d-%02d", s, out.y, out.m, out.d);
	assert_int_equal(out.y * 10000 + out.m * 100 + out.d, 70707); /* untouched */
}

/* What the reception's birth date, the scanned paper's dates and the
 * dossier's new appointment accept: the union of the parsers they had. */
static void test_parse_date_vn(void **state)
{
	date_vn_ok("05031990", 1990, 3, 5);
	date_vn_ok("05/03/1990", 1990, 3, 5);
	date_vn_ok("5/3/1990", 1990, 3, 5);
	date_vn_ok("05-03-1990", 1990, 3, 5);
	date_vn_ok("5.3.1990", 1990, 3, 5);
	date_vn_ok("5/03-1990", 1990, 3, 5);          /* separators may differ */
	date_vn_ok(" 05 / 03 / 1990 ", 1990, 3, 5);   /* blanks ignored */
	date_vn_ok("05 03 1990", 1990, 3, 5);         /* eight digits with blanks */
	date_vn_ok("1990-03-05", 1990, 3, 5);         /* YYYY-MM-DD */
	date_vn_ok("29/02/2024", 2024, 2, 29);
	date_vn_ok("29022000", 2000, 2, 29);
	date_vn_ok("31/12/9999", 9999, 12, 31);
	date_vn_ok("1/1/1800", 1800, 1, 1);

	date_vn_bad("29/02/1985");  /* not a leap year */
	date_vn_bad("29021900");
	date_vn_bad("31/04/2025");  /* April has 30 days */
	date_vn_bad("00/01/2025");
	date_vn_bad("1/13/2025");
	date_vn_bad("1/1/1799");
	date_vn_bad("5/3/90");      /* the year has four digits */
	date_vn_bad("5/3/019900");
	date_vn_bad("123/3/1990");
	date_vn_bad("5/123/1990");
	date_vn_bad("5//1990");
	date_vn_bad("/5/3/1990");
	date_vn_bad("5/3/1990/");
	date_vn_bad("5/3");
	date_vn_bad("5031990");     /* seven digits */
	date_vn_bad("050319901");
	date_vn_bad("123456789012");
	date_vn_bad("");
	date_vn_bad("   ");
	date_vn_bad("ngày 5/3/1990");
	date_vn_bad("05/03/1990x");
	date_vn_bad("5\t/3/1990");
	date_vn_bad("2025-3-5");
	date_vn_bad("1990-02-30");
	date_vn_bad(NULL);
}

static void dt_vn(const char *s, int rc, const char *want)
{
	struct mc_dt base = { 2025, 8, 5, 9, 30 }, out = { 0, 0, 0, 0, 0 };
	int got = mc_parse_dt_vn(s, &base, &out);
	if (got != rc)
		fail_msg("mc_parse_dt_vn(\"%s\") returned %d", s, got);
	if (!rc) {
		char buf[32];
		mc_format_dt(buf, sizeof buf, &out);
		if (strcmp(buf, want))
			fail_msg("mc_parse_dt_vn(\"%s\") = %s, want %s", s, buf, want);
	}
}

/* The appointment typed on the reception's summary. */
static void test_parse_dt_vn(void **state)
{
	dt_vn("12/08/2025 14:00", 0, "2025-08-12T14:00");
	dt_vn("12/08/2025", 0, "2025-08-12T09:30");       /* base's time */
	dt_vn("  12082025   ", 0, "2025-08-12T09:30");
	dt_vn("12/08/2025 14h30", 0, "2025-08-12T14:30");
	dt_vn("12/08/2025 14g", 0, "2025-08-12T14:00");
	dt_vn("12/08/2025 1430", 0, "2025-08-12T14:30");
	dt_vn("12/08/2025 7", 0, "2025-08-12T07:00");
	dt_vn("12/08/2025 \t 7:05 \t", 0, "2025-08-12T07:05");
	dt_vn("2025-08-12 16:45", 0, "2025-08-12T16:45");
	dt_vn("12/08/2025 24:00", -1, NULL);
	dt_vn("12/08/2025 14:60", -1, NULL);
	dt_vn("12/08/2025 14 00", -1, NULL);
	dt_vn("12/08/2025 14:000", -1, NULL);
	dt_vn("12/08/2025 143", -1, NULL);
	dt_vn("12/08/2025 99999999999999", -1, NULL);
	dt_vn("12/08/2025 :30", -1, NULL);
	dt_vn("12/08/2025 14:30x", -1, NULL);
	dt_vn("31/09/2025 10:00", -1, NULL);
	dt_vn("12 / 08 / 2025", -1, NULL); /* the time starts at the first space */
	dt_vn("", -1, NULL);
}

TESTS_MAIN(test_civil_roundtrip, test_parse, test_parse_date_vn, test_parse_dt_vn)
