/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The working-day calendar: hand-computed appointments (2023-10-27 was a
 * Friday; default office hours 07:00-11:30 and 13:30-17:00, cutoff 15:00). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "client/store/calendar_store.h"
#include "core/calendar.h"
#include "core/lunar.h"

/* The official 2025 days that the tests rely on, as an administrator writes them. */
static const char holidays_2025[] =
	"# 2025\n"
	"2025-01-01 off Tết Dương lịch\n"
	"2025-01-27 off Tết\n"
	"2025-01-28 off Tết\n"
	"2025-01-29 off Tết\n"
	"2025-01-30 off Tết\n"
	"2025-01-31 off Tết\n"
	"2025-04-07 off Giỗ Tổ Hùng Vương\n"
	"2025-04-30 off Ngày Chiến thắng\n"
	"2025-05-01 off Quốc tế Lao động\n"
	"2025-05-02 off Nghỉ hoán đổi\n"
	"2025-05-17 work Làm bù\n"
	"2025-09-01 off Quốc khánh\n"
	"2025-09-02 off Quốc khánh\n";

static long day_of(const char *date)
{
	struct mc_date d;
	assert_int_equal(mc_parse_date(date, &d), 0);
	return mc_days_from_civil(d.y, d.m, d.d);
}

/* Computes an appointment and returns it formatted (static buffer). */
static const char *due(const struct mc_calendar *cal, const char *from, int amount,
		       enum mc_time_unit unit)
{
	static char buf[32];
	struct mc_dt t, out;
	assert_int_equal(mc_parse_dt(from, &t), 0);
	if (mc_appointment(cal, &t, amount, unit, &out))
		return "ERROR";
	mc_format_dt(buf, sizeof buf, &out);
	return buf;
}

static int setup_plain(void **state)
{
	struct mc_calendar *cal = malloc(sizeof(*cal));
	mc_calendar_init(cal);
	*state = cal;
	return 0;
}

static int setup_2025(void **state)
{
	setup_plain(state);
	struct strbuf errs = STRBUF_INIT;
	assert_int_equal(mc_calendar_parse(*state, holidays_2025, "2025.txt", &errs), 0);
	strbuf_release(&errs);
	return 0;
}

static int teardown(void **state)
{
	mc_calendar_release(*state);
	free(*state);
	return 0;
}

static void test_working_days(void **state)
{
	struct mc_calendar *cal = *state;
	assert_true(mc_is_working_day(cal, day_of("2023-10-27")));  /* Friday */
	assert_false(mc_is_working_day(cal, day_of("2023-10-28"))); /* Saturday */
	assert_false(mc_is_working_day(cal, day_of("2023-10-29"))); /* Sunday */
	assert_true(mc_is_working_day(cal, day_of("2023-10-30")));  /* Monday */
	mc_calendar_set_day(cal, day_of("2023-10-30"), MC_DAY_OFF, "nghỉ");
	mc_calendar_set_day(cal, day_of("2023-10-28"), MC_DAY_WORK, "làm bù");
	assert_false(mc_is_working_day(cal, day_of("2023-10-30")));
	assert_true(mc_is_working_day(cal, day_of("2023-10-28")));
	/* Replacing a mark keeps one entry per day. */
	mc_calendar_set_day(cal, day_of("2023-10-30"), MC_DAY_WORK, NULL);
	assert_true(mc_is_working_day(cal, day_of("2023-10-30")));
	assert_int_equal(cal->ndays, 2);
	assert_null(mc_calendar_get_day(cal, day_of("2023-10-30"))->name);
	assert_string_equal(mc_calendar_get_day(cal, day_of("2023-10-28"))->name, "làm bù");
	assert_null(mc_calendar_get_day(cal, day_of("2023-10-31")));
	assert_int_equal(mc_next_working_day(cal, day_of("2023-10-27")), day_of("2023-10-28"));
	assert_true(mc_calendar_has_year(cal, 2023));
	assert_false(mc_calendar_has_year(cal, 2022));
	assert_false(mc_calendar_has_year(cal, 2024));
}

static void test_overrides_stay_sorted(void **state)
{
	struct mc_calendar *cal = *state;
	/* Insert 200 days in a scrambled order; lookups must find each one. */
	for (int i = 0; i < 200; i++) {
		long d = day_of("2030-01-01") + (i * 73) % 200;
		mc_calendar_set_day(cal, d, MC_DAY_OFF, "x");
	}
	assert_int_equal(cal->ndays, 200);
	for (size_t i = 1; i < cal->ndays; i++)
		assert_true(cal->days[i - 1].day < cal->days[i].day);
	for (int i = 0; i < 200; i++)
		assert_non_null(mc_calendar_get_day(cal, day_of("2030-01-01") + i));
	assert_null(mc_calendar_get_day(cal, day_of("2030-01-01") + 200));
	assert_null(mc_calendar_get_day(cal, day_of("2030-01-01") - 1));
}

/* The domain example, and receptions outside office hours. */
static void test_days_plain(void **state)
{
	struct mc_calendar *cal = *state;
	/* A provincial system: 09:32 Friday 27/10/2023, 5 working days. */
	assert_string_equal(due(cal, "2023-10-27T09:32", 5, MC_UNIT_DAYS), "2023-11-03T09:32");
	assert_string_equal(due(cal, "2023-10-27T09:32", 1, MC_UNIT_DAYS), "2023-10-30T09:32");
	assert_string_equal(due(cal, "2023-10-27T09:32", 10, MC_UNIT_DAYS), "2023-11-10T09:32");
	/* 16:59 is still open: the time is kept. */
	assert_string_equal(due(cal, "2023-10-27T16:59", 1, MC_UNIT_DAYS), "2023-10-30T16:59");
	/* 17:00 is closed: counts from Monday's opening. */
	assert_string_equal(due(cal, "2023-10-27T17:00", 1, MC_UNIT_DAYS), "2023-10-31T07:00");
	assert_string_equal(due(cal, "2023-10-27T22:10", 1, MC_UNIT_DAYS), "2023-10-31T07:00");
	/* Lunch break (11:30 included) counts from 13:30. */
	assert_string_equal(due(cal, "2023-10-26T11:45", 2, MC_UNIT_DAYS), "2023-10-30T13:30");
	assert_string_equal(due(cal, "2023-10-26T11:30", 1, MC_UNIT_DAYS), "2023-10-27T13:30");
	assert_string_equal(due(cal, "2023-10-26T11:29", 1, MC_UNIT_DAYS), "2023-10-27T11:29");
	/* Before opening. */
	assert_string_equal(due(cal, "2023-10-30T06:30", 1, MC_UNIT_DAYS), "2023-10-31T07:00");
	assert_string_equal(due(cal, "2023-10-30T00:00", 1, MC_UNIT_DAYS), "2023-10-31T07:00");
	/* Exactly at an opening. */
	assert_string_equal(due(cal, "2023-10-30T07:00", 3, MC_UNIT_DAYS), "2023-11-02T07:00");
	assert_string_equal(due(cal, "2023-10-30T13:30", 3, MC_UNIT_DAYS), "2023-11-02T13:30");
	/* On a Saturday and a Sunday: Monday's opening, then N days. */
	assert_string_equal(due(cal, "2023-10-28T09:00", 5, MC_UNIT_DAYS), "2023-11-06T07:00");
	assert_string_equal(due(cal, "2023-10-29T10:00", 1, MC_UNIT_DAYS), "2023-10-31T07:00");
	/* Across a month and a year end. */
	assert_string_equal(due(cal, "2023-12-29T08:00", 1, MC_UNIT_DAYS), "2024-01-01T08:00");
	assert_string_equal(due(cal, "2024-02-28T08:00", 2, MC_UNIT_DAYS), "2024-03-01T08:00");
	/* Negative amounts are refused. */
	assert_string_equal(due(cal, "2023-10-27T09:32", -1, MC_UNIT_DAYS), "ERROR");
	assert_string_equal(due(cal, "2023-10-27T09:32", -1, MC_UNIT_HOURS), "ERROR");
}

static void test_normalize(void **state)
{
	struct mc_calendar *cal = *state;
	struct mc_dt t, out;
	char buf[32];
	mc_parse_dt("2023-10-27T12:00", &t);
	assert_int_equal(mc_calendar_normalize(cal, &t, &out), 0);
	mc_format_dt(buf, sizeof buf, &out);
	assert_string_equal(buf, "2023-10-27T13:30");
	mc_parse_dt("2023-10-27T17:00", &t);
	assert_int_equal(mc_calendar_normalize(cal, &t, &out), 0);
	mc_format_dt(buf, sizeof buf, &out);
	assert_string_equal(buf, "2023-10-30T07:00");
	mc_parse_dt("2023-10-27T10:00", &t);
	assert_int_equal(mc_calendar_normalize(cal, &t, &out), 0);
	mc_format_dt(buf, sizeof buf, &out);
	assert_string_equal(buf, "2023-10-27T10:00");
}

/* Official 2025 days: Tết, 30/4-1/5 with a swapped Saturday, 2/9. */
static void test_days_2025(void **state)
{
	struct mc_calendar *cal = *state;
	/* Friday before Tết: 27-31/01 off, back on Monday 03/02. */
	assert_string_equal(due(cal, "2025-01-24T14:00", 1, MC_UNIT_DAYS), "2025-02-03T14:00");
	assert_string_equal(due(cal, "2025-01-24T14:00", 2, MC_UNIT_DAYS), "2025-02-04T14:00");
	assert_string_equal(due(cal, "2025-01-23T10:15", 3, MC_UNIT_DAYS), "2025-02-04T10:15");
	/* Received during Tết (a holiday Wednesday): from Monday 03/02 07:00. */
	assert_string_equal(due(cal, "2025-01-29T09:00", 1, MC_UNIT_DAYS), "2025-02-04T07:00");
	/* Hùng Kings, Monday 07/04. */
	assert_string_equal(due(cal, "2025-04-04T15:10", 1, MC_UNIT_DAYS), "2025-04-08T15:10");
	/* 30/04, 01/05 and the swapped 02/05 off. */
	assert_string_equal(due(cal, "2025-04-29T08:15", 3, MC_UNIT_DAYS), "2025-05-07T08:15");
	assert_string_equal(due(cal, "2025-04-29T08:15", 1, MC_UNIT_DAYS), "2025-05-05T08:15");
	/* The swapped Saturday 17/05 is a working day. */
	assert_string_equal(due(cal, "2025-05-15T09:00", 2, MC_UNIT_DAYS), "2025-05-17T09:00");
	assert_string_equal(due(cal, "2025-05-17T10:00", 1, MC_UNIT_DAYS), "2025-05-19T10:00");
	assert_string_equal(due(cal, "2025-05-17T17:30", 1, MC_UNIT_DAYS), "2025-05-20T07:00");
	/* An ordinary Saturday is not. */
	assert_string_equal(due(cal, "2025-05-24T10:00", 1, MC_UNIT_DAYS), "2025-05-27T07:00");
	/* Received on 01/09 (off): from Wednesday 03/09 07:00. */
	assert_string_equal(due(cal, "2025-09-01T08:00", 1, MC_UNIT_DAYS), "2025-09-04T07:00");
	assert_string_equal(due(cal, "2025-08-29T16:00", 2, MC_UNIT_DAYS), "2025-09-04T16:00");
	/* 15 working days over 30/04-02/05 and through Saturday 17/05: 25 calendar days. */
	assert_string_equal(due(cal, "2025-04-25T09:00", 15, MC_UNIT_DAYS), "2025-05-20T09:00");
}

/* Tết 2024 computed from the lunar calendar: 09/02-13/02 and two
 * compensatory days (14/02, 15/02) for Saturday and Sunday. */
static void test_days_computed_tet(void **state)
{
	struct mc_calendar *cal = *state;
	mc_calendar_add_statutory(cal, 2024);
	assert_string_equal(due(cal, "2024-02-08T10:00", 1, MC_UNIT_DAYS), "2024-02-16T10:00");
	assert_string_equal(due(cal, "2024-02-08T10:00", 3, MC_UNIT_DAYS), "2024-02-20T10:00");
	assert_string_equal(due(cal, "2024-02-11T10:00", 1, MC_UNIT_DAYS), "2024-02-19T07:00");
}

static void test_in_the_day(void **state)
{
	struct mc_calendar *cal = *state;
	assert_string_equal(due(cal, "2023-10-30T14:59", 0, MC_UNIT_INDAY), "2023-10-30T17:00");
	assert_string_equal(due(cal, "2023-10-30T14:59", 0, MC_UNIT_DAYS), "2023-10-30T17:00");
	assert_string_equal(due(cal, "2023-10-30T06:00", 0, MC_UNIT_INDAY), "2023-10-30T17:00");
	assert_string_equal(due(cal, "2023-10-30T12:00", 0, MC_UNIT_INDAY), "2023-10-30T17:00");
	/* At or after the cutoff: the next working day. */
	assert_string_equal(due(cal, "2023-10-30T15:00", 0, MC_UNIT_INDAY), "2023-10-31T17:00");
	assert_string_equal(due(cal, "2023-10-27T16:59", 0, MC_UNIT_INDAY), "2023-10-30T17:00");
	assert_string_equal(due(cal, "2023-10-27T18:00", 0, MC_UNIT_DAYS), "2023-10-30T17:00");
	/* On a Sunday. */
	assert_string_equal(due(cal, "2023-10-29T09:00", 0, MC_UNIT_INDAY), "2023-10-30T17:00");
	/* Another cutoff. */
	struct strbuf err = STRBUF_INIT;
	assert_int_equal(mc_calendar_set_cutoff(cal, "16:00", &err), 0);
	assert_string_equal(due(cal, "2023-10-30T15:30", 0, MC_UNIT_INDAY), "2023-10-30T17:00");
	assert_int_equal(mc_calendar_set_cutoff(cal, "16h", &err), -1);
	assert_non_null(strstr(err.buf, "16h"));
	assert_int_equal(cal->cutoff, 16 * 60);
	strbuf_release(&err);
}

static void test_in_the_day_2025(void **state)
{
	struct mc_calendar *cal = *state;
	assert_string_equal(due(cal, "2025-01-24T15:30", 0, MC_UNIT_INDAY), "2025-02-03T17:00");
	assert_string_equal(due(cal, "2025-05-16T15:30", 0, MC_UNIT_INDAY), "2025-05-17T17:00");
}

static void test_hours(void **state)
{
	struct mc_calendar *cal = *state;
	/* A whole day holds 8 working hours and may end at closing time. */
	assert_string_equal(due(cal, "2023-10-30T07:00", 8, MC_UNIT_HOURS), "2023-10-30T17:00");
	assert_string_equal(due(cal, "2023-10-30T07:00", 24, MC_UNIT_HOURS), "2023-11-01T17:00");
	/* 1h30 before lunch, 2h30 after. */
	assert_string_equal(due(cal, "2023-10-30T10:00", 4, MC_UNIT_HOURS), "2023-10-30T16:00");
	/* Morning 4h30 then 30 min after lunch. */
	assert_string_equal(due(cal, "2023-10-30T07:00", 5, MC_UNIT_HOURS), "2023-10-30T14:00");
	/* Ends exactly at the lunch break. */
	assert_string_equal(due(cal, "2023-10-30T09:30", 2, MC_UNIT_HOURS), "2023-10-30T11:30");
	/* Received at lunch: from 13:30. */
	assert_string_equal(due(cal, "2023-10-30T12:00", 1, MC_UNIT_HOURS), "2023-10-30T14:30");
	/* Friday afternoon into Monday. */
	assert_string_equal(due(cal, "2023-10-27T16:00", 2, MC_UNIT_HOURS), "2023-10-30T08:00");
	assert_string_equal(due(cal, "2023-10-27T16:59", 1, MC_UNIT_HOURS), "2023-10-30T07:59");
	/* Zero hours: the normalized reception time. */
	assert_string_equal(due(cal, "2023-10-28T11:00", 0, MC_UNIT_HOURS), "2023-10-30T07:00");
}

static void test_hours_2025(void **state)
{
	struct mc_calendar *cal = *state;
	/* Friday 24/01 16:00 + 4h: 1h on Friday, 3h from Monday 03/02. */
	assert_string_equal(due(cal, "2025-01-24T16:00", 4, MC_UNIT_HOURS), "2025-02-03T10:00");
	/* Through the swapped Saturday 17/05. */
	assert_string_equal(due(cal, "2025-05-16T16:00", 2, MC_UNIT_HOURS), "2025-05-17T08:00");
}

static void test_office_hours(void **state)
{
	struct mc_calendar *cal = *state;
	struct strbuf err = STRBUF_INIT;
	char buf[64];
	mc_calendar_format_hours(cal, buf, sizeof buf);
	assert_string_equal(buf, "07:00-11:30,13:30-17:00");

	assert_int_equal(mc_calendar_parse_hours(cal, " 08:00-12:00 , 13:00-17:00 ", &err), 0);
	assert_int_equal(cal->nperiods, 2);
	mc_calendar_format_hours(cal, buf, sizeof buf);
	assert_string_equal(buf, "08:00-12:00,13:00-17:00");
	assert_string_equal(due(cal, "2023-10-27T12:30", 1, MC_UNIT_DAYS), "2023-10-30T13:00");
	assert_string_equal(due(cal, "2023-10-27T07:30", 1, MC_UNIT_DAYS), "2023-10-30T08:00");
	assert_string_equal(due(cal, "2023-10-30T08:00", 8, MC_UNIT_HOURS), "2023-10-30T17:00");

	/* One period; and four. */
	assert_int_equal(mc_calendar_parse_hours(cal, "07:30-16:30", &err), 0);
	assert_string_equal(due(cal, "2023-10-30T12:00", 1, MC_UNIT_DAYS), "2023-10-31T12:00");
	assert_string_equal(due(cal, "2023-10-30T12:00", 0, MC_UNIT_INDAY), "2023-10-30T16:30");
	assert_int_equal(mc_calendar_parse_hours(cal, "07:00-08:00,09:00-10:00,11:00-12:00,13:00-24:00",
						 &err), 0);
	assert_int_equal(cal->nperiods, 4);
	assert_string_equal(due(cal, "2023-10-30T08:30", 1, MC_UNIT_DAYS), "2023-10-31T09:00");
	assert_string_equal(due(cal, "2023-10-30T07:30", 2, MC_UNIT_HOURS), "2023-10-30T11:30");
	assert_string_equal(err.buf ? err.buf : "", "");

	/* Refused values leave the periods unchanged and say why. */
	static const char *const bad[] = {
		"", "08:00", "08:00-07:00", "08:00-08:00", "08:00-12:00,11:00-13:00",
		"13:00-17:00,07:00-11:00", "25:00-26:00", "8:00-12:00", "08:00-12:60",
		"24:00-24:00", "07:00-08:00,08:00-09:00,09:00-10:00,10:00-11:00,11:00-12:00",
		"07:00-11:30;13:30-17:00", "07:00-11:30,", "sáng",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		strbuf_reset(&err);
		assert_int_equal(mc_calendar_parse_hours(cal, bad[i], &err), -1);
		assert_true(err.len > 0);
		assert_int_equal(cal->nperiods, 4);
	}
	strbuf_release(&err);
}

static void test_parse(void **state)
{
	struct mc_calendar *cal = *state;
	struct strbuf errs = STRBUF_INIT;
	const char *text = "\xEF\xBB\xBF# lịch nghỉ\n"
			   "\n"
			   "2025-01-01 off Tết Dương lịch\n"
			   "2025-05-17 work Làm bù   # hoán đổi với 02/05\r\n"
			   "   2025-04-30\tOFF   \n"
			   "2025-09-02 off Lễ#2\n"
			   "#2025-09-03 off commented out\n"
			   "2025-09-01 off";
	assert_int_equal(mc_calendar_parse(cal, text, "holidays.txt", &errs), 0);
	assert_int_equal((int)errs.len, 0);
	assert_int_equal(cal->ndays, 5);
	const struct mc_day_override *o = mc_calendar_get_day(cal, day_of("2025-01-01"));
	assert_non_null(o);
	assert_int_equal(o->kind, MC_DAY_OFF);
	assert_string_equal(o->name, "Tết Dương lịch");
	o = mc_calendar_get_day(cal, day_of("2025-05-17"));
	assert_int_equal(o->kind, MC_DAY_WORK);
	assert_string_equal(o->name, "Làm bù");
	assert_null(mc_calendar_get_day(cal, day_of("2025-04-30"))->name);
	assert_string_equal(mc_calendar_get_day(cal, day_of("2025-09-02"))->name, "Lễ#2");
	assert_null(mc_calendar_get_day(cal, day_of("2025-09-03")));
	assert_non_null(mc_calendar_get_day(cal, day_of("2025-09-01")));
	strbuf_release(&errs);
}

static void test_parse_nfc_names(void **state)
{
	struct mc_calendar *cal = *state;
	/* "Tết" typed decomposed: e + U+0302 + U+0301 is stored as NFC. */
	assert_int_equal(mc_calendar_parse(cal, "2025-01-29 off Te\xCC\x82\xCC\x81t\n", "x", NULL), 0);
	assert_string_equal(mc_calendar_get_day(cal, day_of("2025-01-29"))->name, "Tết");
}

static void test_parse_errors(void **state)
{
	struct mc_calendar *cal = *state;
	struct strbuf errs = STRBUF_INIT;
	const char *text = "2025-01-01 off Tết Dương lịch\n" /* 1 good */
			   "2025-02-30 off\n"                 /* 2 impossible date */
			   "2025-1-01 off\n"                  /* 3 malformed date */
			   "2025-01-02\n"                     /* 4 no kind */
			   "2025-01-02 holiday\n"             /* 5 bad kind */
			   "2025-01-01 work\n"                /* 6 duplicate of line 1 */
			   "nghỉ lễ\n"                        /* 7 not a date */
			   "2025-01-03 off \xff\xfe\n"        /* 8 invalid UTF-8 */
			   "2025-01-06 off Ngày tốt\n";       /* 9 good */
	assert_int_equal(mc_calendar_parse(cal, text, "holidays.txt", &errs), 7);
	const char *want[] = {
		"holidays.txt:2: ngày không hợp lệ «2025-02-30»",
		"holidays.txt:3: ngày không hợp lệ «2025-1-01»",
		"holidays.txt:4: thiếu loại ngày sau 2025-01-02",
		"holidays.txt:5: loại ngày «holiday» không hợp lệ",
		"holidays.txt:6: ngày 2025-01-01 đã được khai báo ở dòng 1",
		"holidays.txt:7: ngày không hợp lệ «nghỉ»",
		"holidays.txt:8: tên ngày không phải văn bản UTF-8 hợp lệ",
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		if (!strstr(errs.buf, want[i]))
			fail_msg("missing [%s] in:\n%s", want[i], errs.buf);
	}
	/* One message a line, each ending with a newline. */
	int lines = 0;
	for (const char *p = errs.buf; *p; p++)
		lines += *p == '\n';
	assert_int_equal(lines, 7);
	/* The good lines were applied; the duplicate did not replace line 1. */
	assert_int_equal(cal->ndays, 2);
	assert_int_equal(mc_calendar_get_day(cal, day_of("2025-01-01"))->kind, MC_DAY_OFF);
	assert_non_null(mc_calendar_get_day(cal, day_of("2025-01-06")));
	/* Without a buffer the count is still returned. */
	assert_int_equal(mc_calendar_parse(cal, "x off\n", NULL, NULL), 1);
	strbuf_reset(&errs);
	assert_int_equal(mc_calendar_parse(cal, "x off\n", NULL, &errs), 1);
	assert_non_null(strstr(errs.buf, ":1: "));
	strbuf_release(&errs);
}

/* The shipped data/holidays.txt parses cleanly and says what we expect. */
static void test_shipped_file(void **state)
{
	struct mc_calendar *cal = *state;
	FILE *f = fopen(MOTCUA_DATADIR "/holidays.txt", "rb");
	assert_non_null(f);
	struct strbuf sb = STRBUF_INIT, errs = STRBUF_INIT;
	char chunk[4096];
	for (size_t n = fread(chunk, 1, sizeof chunk, f); n > 0; n = fread(chunk, 1, sizeof chunk, f))
		strbuf_add(&sb, chunk, n);
	fclose(f);
	int bad = mc_calendar_parse(cal, sb.buf, "holidays.txt", &errs);
	if (bad)
		fail_msg("%s", errs.buf);
	assert_true(mc_calendar_has_year(cal, 2025));
	assert_true(mc_calendar_has_year(cal, 2026));
	assert_false(mc_is_working_day(cal, day_of("2025-01-27")));
	assert_true(mc_is_working_day(cal, day_of("2025-05-17")));
	assert_false(mc_is_working_day(cal, day_of("2026-02-20")));
	assert_false(mc_is_working_day(cal, day_of("2026-04-27")));
	/* Every "work" line is a weekend day, every "off" line a weekday. */
	for (size_t i = 0; i < cal->ndays; i++) {
		int wd = mc_weekday(cal->days[i].day);
		bool weekend = wd == 0 || wd == 6;
		assert_int_equal(weekend, cal->days[i].kind == MC_DAY_WORK);
		assert_non_null(cal->days[i].name);
	}
	assert_string_equal(due(cal, "2025-01-24T14:00", 2, MC_UNIT_DAYS), "2025-02-04T14:00");
	strbuf_release(&sb);
	strbuf_release(&errs);
}

/* The store's calendar (client/store/calendar_store.c) on a real SQLite store. */
static void test_store_roundtrip(void **state)
{
	struct mc_calendar *cal = *state;
	char dir[] = "/tmp/motcua-cal-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char *path = xasprintf("%s/s.db", dir);
	struct store st;
	struct strbuf err = STRBUF_INIT;
	if (store_open(&st, path, STORE_CREATE, &err))
		fail_msg("%s", err.buf);

	assert_int_equal(mc_calendar_parse(cal, holidays_2025, "2025.txt", NULL), 0);
	assert_int_equal(mc_calendar_parse_hours(cal, "07:30-11:30,13:00-16:30", &err), 0);
	assert_int_equal(mc_calendar_set_cutoff(cal, "14:00", &err), 0);
	assert_int_equal(store_begin(&st, &err), 0);
	assert_int_equal(calendar_save_store(&st, cal, &err), 0);
	assert_int_equal(store_commit(&st, &err), 0);

	struct mc_calendar back;
	mc_calendar_init(&back);
	if (calendar_load_store(&st, &back, &err))
		fail_msg("%s", err.buf);
	/* The 2025 data as saved, and computed defaults for the other years. */
	assert_int_equal(back.cutoff, 14 * 60);
	char buf[64];
	mc_calendar_format_hours(&back, buf, sizeof buf);
	assert_string_equal(buf, "07:30-11:30,13:00-16:30");
	for (size_t i = 0; i < cal->ndays; i++) {
		const struct mc_day_override *o = mc_calendar_get_day(&back, cal->days[i].day);
		assert_non_null(o);
		assert_int_equal(o->kind, cal->days[i].kind);
		assert_string_equal(o->name, cal->days[i].name);
	}
	assert_true(mc_is_working_day(&back, day_of("2025-02-01") + 2)); /* no computed 03/02 */
	assert_false(mc_is_working_day(&back, day_of("2024-02-12")));    /* computed Tết 2024 */
	assert_false(mc_is_working_day(&back, day_of("2030-02-04")));    /* computed Tết 2030 */
	assert_string_equal(due(&back, "2025-01-24T14:00", 2, MC_UNIT_DAYS), "2025-02-04T14:00");
	mc_calendar_release(&back);

	/* A malformed day in the table is reported, not guessed. */
	assert_int_equal(store_exec(&st, "INSERT INTO holidays VALUES ('2025-13-01', 'off', NULL)", &err), 0);
	mc_calendar_init(&back);
	strbuf_reset(&err);
	assert_int_equal(calendar_load_store(&st, &back, &err), -1);
	assert_non_null(strstr(err.buf, "2025-13-01"));
	mc_calendar_release(&back);

	store_close(&st);
	strbuf_release(&err);
	static const char *const suffixes[] = { "", "-wal", "-shm" };
	for (size_t i = 0; i < 3; i++) {
		char *f = xasprintf("%s%s", path, suffixes[i]);
		unlink(f);
		free(f);
	}
	assert_int_equal(rmdir(dir), 0);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_working_days, setup_plain, teardown),
		cmocka_unit_test_setup_teardown(test_overrides_stay_sorted, setup_plain, teardown),
		cmocka_unit_test_setup_teardown(test_days_plain, setup_plain, teardown),
		cmocka_unit_test_setup_teardown(test_normalize, setup_plain, teardown),
		cmocka_unit_test_setup_teardown(test_days_2025, setup_2025, teardown),
		cmocka_unit_test_setup_teardown(test_days_computed_tet, setup_plain, teardown),
		cmocka_unit_test_setup_teardown(test_in_the_day, setup_plain, teardown),
		cmocka_unit_test_setup_teardown(test_in_the_day_2025, setup_2025, teardown),
		cmocka_unit_test_setup_teardown(test_hours, setup_plain, teardown),
		cmocka_unit_test_setup_teardown(test_hours_2025, setup_2025, teardown),
		cmocka_unit_test_setup_teardown(test_office_hours, setup_plain, teardown),
		cmocka_unit_test_setup_teardown(test_parse, setup_plain, teardown),
		cmocka_unit_test_setup_teardown(test_parse_nfc_names, setup_plain, teardown),
		cmocka_unit_test_setup_teardown(test_parse_errors, setup_plain, teardown),
		cmocka_unit_test_setup_teardown(test_shipped_file, setup_plain, teardown),
		cmocka_unit_test_setup_teardown(test_store_roundtrip, setup_plain, teardown),
	};
	return cmocka_run_group_tests_name("calendar", tests, NULL, NULL);
}
