/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Vietnamese lunisolar calendar (âm lịch) and the statutory holidays it
 * gives. The rules are the ones Hồ Ngọc Đức describes for the Vietnamese
 * calendar, computed here from the astronomy (Meeus, Astronomical Algorithms):
 * - a month starts on the local day (UTC+7) of a new moon;
 * - month 11 is the month holding the winter solstice;
 * - when 13 months lie between two months 11, the first month after month 11
 *   that holds no principal solar term (trung khí, a multiple of 30° of solar
 *   longitude) is a leap month and repeats the number of the month before it.
 * The time zone is what separates the Vietnamese calendar from the Chinese one
 * (UTC+8): Tết 1985 fell on 21 January in Việt Nam and on 20 February in China.
 * Supported solar years: 1800 to 2199. Pure code, no I/O. */
#ifndef MC_LUNAR_H
#define MC_LUNAR_H
#include <stdbool.h>

#include "core/calendar.h"

#define MC_LUNAR_TZ 7.0 /* hours east of UTC for Việt Nam */

struct mc_lunar_date {
	int y;     /* the lunar year, named by the solar year its month 1 starts in */
	int m;     /* 1..12 */
	int d;     /* 1..30 */
	bool leap; /* a leap month (tháng nhuận) repeating month m */
};

/* Solar (Gregorian) date -> lunar date. Returns 0, or -1 outside the
 * supported range or for an impossible date. */
int mc_solar_to_lunar(int y, int m, int d, struct mc_lunar_date *out);
/* Lunar date -> solar date. Returns 0, or -1 when that lunar date does not
 * exist (day 30 of a 29-day month, a leap flag on a month that is not leap). */
int mc_lunar_to_solar(const struct mc_lunar_date *ld, int *y, int *m, int *d);
/* The same for another time zone (hours east of UTC), e.g. 8.0 for the
 * Chinese calendar; used by the tests to show the time zone matters. */
int mc_solar_to_lunar_tz(int y, int m, int d, double tz, struct mc_lunar_date *out);
int mc_lunar_to_solar_tz(const struct mc_lunar_date *ld, double tz, int *y, int *m, int *d);

/* Days of the lunar month (29 or 30), or -1. */
int mc_lunar_month_days(int lunar_year, int month, bool leap);
/* The leap month of a lunar year (1..12), or 0 when the year has none. */
int mc_lunar_leap_month(int lunar_year);

/* Adds the public holidays of Labour Code 2019 Art. 112 for solar year
 * `year` as computed defaults, each marked off with its Vietnamese name:
 * 1/1; Tết (the last day of the lunar year and lunar 1/1 to 4/1: 5 days);
 * Hùng Kings (10/3 lunar); 30/4; 1/5; 2/9 and one adjacent day; and for every
 * holiday falling on a Saturday or Sunday, a compensatory day off on the next
 * working day (Art. 112(3)). A day that cal already marks is left alone, so
 * official data always wins. */
void mc_calendar_add_statutory(struct mc_calendar *cal, int year);
/* Adds the statutory defaults to every year in [first, last] for which cal
 * holds no day at all (a year with any official data is taken as given). */
void mc_calendar_fill_statutory(struct mc_calendar *cal, int first, int last);

#endif
