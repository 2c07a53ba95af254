/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "core/lunar.h"

#include <math.h>
#include <stdlib.h>

#include "core/datetime.h"

/* Julian Day Number of 1970-01-01, the epoch of core/datetime.h day numbers. */
#define JDN_UNIX_EPOCH 2440588L
#define SYNODIC_MONTH 29.530588861
#define MIN_YEAR 1800
#define MAX_YEAR 2199

static double rad(double deg)
{
	return deg * M_PI / 180.0;
}

static double norm360(double deg)
{
	deg = fmod(deg, 360.0);
	return deg < 0 ? deg + 360.0 : deg;
}

/* ΔT = TT - UT in seconds for a decimal year (Espenak & Meeus polynomials,
 * as published with NASA's eclipse canon). Only minutes matter here: they
 * decide the day of a new moon or a solar term close to midnight. */
static double delta_t(double y)
{
	double t;
	if (y < 1860) {
		t = y - 1800;
		return 13.72 - 0.332447 * t + 0.0068612 * t * t + 0.0041116 * pow(t, 3) -
		       0.00037436 * pow(t, 4) + 0.0000121272 * pow(t, 5) - 0.0000001699 * pow(t, 6) +
		       0.000000000875 * pow(t, 7);
	}
	if (y < 1900) {
		t = y - 1860;
		return 7.62 + 0.5737 * t - 0.251754 * t * t + 0.01680668 * pow(t, 3) -
		       0.0004473624 * pow(t, 4) + pow(t, 5) / 233174;
	}
	if (y < 1920) {
		t = y - 1900;
		return -2.79 + 1.494119 * t - 0.0598939 * t * t + 0.0061966 * pow(t, 3) -
		       0.000197 * pow(t, 4);
	}
	if (y < 1941) {
		t = y - 1920;
		return 21.20 + 0.84493 * t - 0.076100 * t * t + 0.0020936 * pow(t, 3);
	}
	if (y < 1961) {
		t = y - 1950;
		return 29.07 + 0.407 * t - t * t / 233 + pow(t, 3) / 2547;
	}
	if (y < 1986) {
		t = y - 1975;
		return 45.45 + 1.067 * t - t * t / 260 - pow(t, 3) / 718;
	}
	if (y < 2005) {
		t = y - 2000;
		return 63.86 + 0.3345 * t - 0.060374 * t * t + 0.0017275 * pow(t, 3) +
		       0.000651814 * pow(t, 4) + 0.00002373599 * pow(t, 5);
	}
	if (y < 2050) {
		t = y - 2000;
		return 62.92 + 0.32217 * t + 0.005589 * t * t;
	}
	double u = (y - 1820) / 100;
	if (y < 2150)
		return -20 + 32 * u * u - 0.5628 * (2150 - y);
	return -20 + 32 * u * u;
}

/* Julian day (TT) of a Julian day in UT. */
static double ut_to_tt(double jd_ut)
{
	double year = 2000.0 + (jd_ut - 2451545.0) / 365.25;
	return jd_ut + delta_t(year) / 86400.0;
}

/*
 * Mean new moon number k (k = 0 near 2000-01-06) -> instant of the true new
 * moon as a Julian day in TT, Meeus chapter 49 (error below a minute).
 */
static double new_moon_tt(long k)
{
	double kk = (double)k;
	double T = kk / 1236.85, T2 = T * T, T3 = T2 * T, T4 = T3 * T;
	double jde = 2451550.09766 + SYNODIC_MONTH * kk + 0.00015437 * T2 - 0.000000150 * T3 +
		     0.00000000073 * T4;
	double E = 1 - 0.002516 * T - 0.0000074 * T2;
	double M = rad(2.5534 + 29.10535670 * kk - 0.0000014 * T2 - 0.00000011 * T3);
	double Mp = rad(201.5643 + 385.81693528 * kk + 0.0107582 * T2 + 0.00001238 * T3 -
			0.000000058 * T4);
	double F = rad(160.7108 + 390.67050284 * kk - 0.0016118 * T2 - 0.00000227 * T3 +
		       0.000000011 * T4);
	double Om = rad(124.7746 - 1.56375588 * kk + 0.0020672 * T2 + 0.00000215 * T3);

	double c = -0.40720 * sin(Mp) + 0.17241 * E * sin(M) + 0.01608 * sin(2 * Mp) +
		   0.01039 * sin(2 * F) + 0.00739 * E * sin(Mp - M) - 0.00514 * E * sin(Mp + M) +
		   0.00208 * E * E * sin(2 * M) - 0.00111 * sin(Mp - 2 * F) -
		   0.00057 * sin(Mp + 2 * F) + 0.00056 * E * sin(2 * Mp + M) -
		   0.00042 * sin(3 * Mp) + 0.00042 * E * sin(M + 2 * F) +
		   0.00038 * E * sin(M - 2 * F) - 0.00024 * E * sin(2 * Mp - M) -
		   0.00017 * sin(Om) - 0.00007 * sin(Mp + 2 * M) + 0.00004 * sin(2 * Mp - 2 * F) +
		   0.00004 * sin(3 * M) + 0.00003 * sin(Mp + M - 2 * F) +
		   0.00003 * sin(2 * Mp + 2 * F) - 0.00003 * sin(Mp + M + 2 * F) +
		   0.00003 * sin(Mp - M + 2 * F) - 0.00002 * sin(Mp - M - 2 * F) -
		   0.00002 * sin(3 * Mp + M) + 0.00002 * sin(4 * Mp);

	/* Planetary arguments: [constant, coefficient of k, amplitude in 1e-6 day]. */
	static const double planet[14][3] = {
		{ 299.77, 0.107408, 325 }, { 251.88, 0.016321, 165 }, { 251.83, 26.651886, 164 },
		{ 349.42, 36.412478, 126 }, { 84.66, 18.206239, 110 }, { 141.74, 53.303771, 62 },
		{ 207.14, 2.453732, 60 },   { 154.84, 7.306860, 56 },  { 34.52, 27.261239, 47 },
		{ 207.19, 0.121824, 42 },   { 291.34, 1.844379, 40 },  { 161.72, 24.198154, 37 },
		{ 239.56, 25.513099, 35 },  { 331.55, 3.592518, 23 },
	};
	double a = 0;
	for (int i = 0; i < 14; i++) {
		double arg = planet[i][0] + planet[i][1] * kk - (i == 0 ? 0.009173 * T2 : 0);
		a += planet[i][2] * 1e-6 * sin(rad(arg));
	}
	return jde + c + a;
}

/* Local civil day (days since 1970-01-01) of an instant given in TT. */
static long local_day_of_tt(double jde, double tz)
{
	double year = 2000.0 + (jde - 2451545.0) / 365.25;
	double jd_ut = jde - delta_t(year) / 86400.0;
	return (long)floor(jd_ut + 0.5 + tz / 24.0) - JDN_UNIX_EPOCH;
}

static long new_moon_day(long k, double tz)
{
	return local_day_of_tt(new_moon_tt(k), tz);
}

/* Apparent geometric longitude of the Sun in degrees at an instant in TT,
 * Meeus chapter 25 (low accuracy: about 0.01°, a quarter of an hour). */
static double sun_longitude_tt(double jde)
{
	double T = (jde - 2451545.0) / 36525.0;
	double L0 = 280.46646 + 36000.76983 * T + 0.0003032 * T * T;
	double M = rad(357.52911 + 35999.05029 * T - 0.0001537 * T * T);
	double C = (1.914602 - 0.004817 * T - 0.000014 * T * T) * sin(M) +
		   (0.019993 - 0.000101 * T) * sin(2 * M) + 0.000289 * sin(3 * M);
	double omega = rad(125.04 - 1934.136 * T);
	return norm360(L0 + C - 0.00569 - 0.00478 * sin(omega));
}

/* Which 30° sector (0..11) the Sun is in at the start (local midnight) of a day. */
static int sun_sector_at_day_start(long day, double tz)
{
	double jd_ut = (double)(day + JDN_UNIX_EPOCH) - 0.5 - tz / 24.0;
	return (int)(sun_longitude_tt(ut_to_tt(jd_ut)) / 30.0) % 12;
}

/* Local day of the winter solstice (solar longitude 270°) of solar year y. */
static long winter_solstice_day(int y, double tz)
{
	double jde = (double)(mc_days_from_civil(y, 12, 21) + JDN_UNIX_EPOCH);
	for (int i = 0; i < 8; i++) {
		double diff = 270.0 - sun_longitude_tt(jde);
		if (diff > 180)
			diff -= 360;
		if (diff < -180)
			diff += 360;
		jde += 58.13 * sin(rad(diff));
	}
	return local_day_of_tt(jde, tz);
}

/* The number k of the new moon that starts month 11 of solar year y (the
 * month holding the winter solstice): the last new moon on or before the
 * solstice's local day. */
static long month11_k(int y, double tz)
{
	long ws = winter_solstice_day(y, tz);
	double jd = (double)(ws + JDN_UNIX_EPOCH);
	long k = (long)floor((jd - 2451550.09766) / SYNODIC_MONTH);
	while (new_moon_day(k + 1, tz) <= ws)
		k++;
	while (new_moon_day(k, tz) > ws)
		k--;
	return k;
}

/* The months from month 11 of solar year y-1 up to (not including) month 11 of
 * solar year y: 12 or 13 of them. In this span months 11 and 12 belong to
 * lunar year y-1, the others to lunar year y. */
struct lunar_span {
	int year;        /* y */
	long start[14];  /* start[i]: first day of month i; start[n]: next month 11 */
	int n;           /* 12 or 13 */
	int leap;        /* index of the leap month, 0 when none */
	double tz;
};

static void span_init(struct lunar_span *sp, int y, double tz)
{
	long k0 = month11_k(y - 1, tz), k1 = month11_k(y, tz);
	sp->year = y;
	sp->tz = tz;
	sp->n = (int)(k1 - k0);
	for (int i = 0; i <= sp->n; i++)
		sp->start[i] = new_moon_day(k0 + i, tz);
	sp->leap = 0;
	if (sp->n == 13) {
		/* The first month after month 11 without a principal term. */
		for (int i = 1; i < 13; i++) {
			if (sun_sector_at_day_start(sp->start[i], tz) ==
			    sun_sector_at_day_start(sp->start[i + 1], tz)) {
				sp->leap = i;
				break;
			}
		}
		if (!sp->leap)
			sp->leap = 12; /* cannot happen: 13 months hold only 12 terms */
	}
}

/* Month number, leap flag and lunar year of month index i of a span. */
static void span_month(const struct lunar_span *sp, int i, int *month, bool *leap, int *year)
{
	int m = 11 + i - (sp->leap && i >= sp->leap ? 1 : 0);
	*leap = sp->leap && i == sp->leap;
	*month = (m - 1) % 12 + 1;
	*year = (*month >= 11 && i < 4) ? sp->year - 1 : sp->year;
}

static bool year_ok(int y)
{
	return y >= MIN_YEAR && y <= MAX_YEAR;
}

int mc_solar_to_lunar_tz(int y, int m, int d, double tz, struct mc_lunar_date *out)
{
	if (!year_ok(y) || !mc_date_valid(y, m, d))
		return -1;
	long day = mc_days_from_civil(y, m, d);
	struct lunar_span sp;
	span_init(&sp, y + 1, tz);
	if (day < sp.start[0])
		span_init(&sp, y, tz);
	int i = sp.n - 1;
	while (i > 0 && sp.start[i] > day)
		i--;
	span_month(&sp, i, &out->m, &out->leap, &out->y);
	out->d = (int)(day - sp.start[i]) + 1;
	return 0;
}

int mc_solar_to_lunar(int y, int m, int d, struct mc_lunar_date *out)
{
	return mc_solar_to_lunar_tz(y, m, d, MC_LUNAR_TZ, out);
}

/* Finds the span and month index of a lunar month; -1 when it does not exist. */
static int find_month(int year, int month, bool leap, double tz, struct lunar_span *sp)
{
	if (!year_ok(year) || !year_ok(year + 1) || month < 1 || month > 12)
		return -1;
	span_init(sp, month >= 11 ? year + 1 : year, tz);
	for (int i = 0; i < sp->n; i++) {
		int mm, yy;
		bool lp;
		span_month(sp, i, &mm, &lp, &yy);
		if (mm == month && lp == leap && yy == year)
			return i;
	}
	return -1;
}

int mc_lunar_to_solar_tz(const struct mc_lunar_date *ld, double tz, int *y, int *m, int *d)
{
	struct lunar_span sp;
	int i = find_month(ld->y, ld->m, ld->leap, tz, &sp);
	if (i < 0 || ld->d < 1 || ld->d > sp.start[i + 1] - sp.start[i])
		return -1;
	mc_civil_from_days(sp.start[i] + ld->d - 1, y, m, d);
	return 0;
}

int mc_lunar_to_solar(const struct mc_lunar_date *ld, int *y, int *m, int *d)
{
	return mc_lunar_to_solar_tz(ld, MC_LUNAR_TZ, y, m, d);
}

int mc_lunar_month_days(int lunar_year, int month, bool leap)
{
	struct lunar_span sp;
	int i = find_month(lunar_year, month, leap, MC_LUNAR_TZ, &sp);
	return i < 0 ? -1 : (int)(sp.start[i + 1] - sp.start[i]);
}

int mc_lunar_leap_month(int lunar_year)
{
	/* A leap month of lunar year Y lies in the span ending with month 11 of
	 * solar year Y (months 1..10) or of Y + 1 (a leap 11 or 12). */
	for (int y = lunar_year; y <= lunar_year + 1; y++) {
		if (!year_ok(y))
			continue;
		struct lunar_span sp;
		span_init(&sp, y, MC_LUNAR_TZ);
		if (!sp.leap)
			continue;
		int mm, yy;
		bool lp;
		span_month(&sp, sp.leap, &mm, &lp, &yy);
		if (yy == lunar_year)
			return mm;
	}
	return 0;
}

/* ---- statutory holidays (Labour Code 2019 Art. 112) ---- */

struct holiday {
	long day;
	const char *name;
};

struct holiday_set {
	struct holiday h[24];
	int n;
};

static bool set_has(const struct holiday_set *s, long day)
{
	for (int i = 0; i < s->n; i++)
		if (s->h[i].day == day)
			return true;
	return false;
}

static void set_add(struct holiday_set *s, long day, const char *name)
{
	if (!set_has(s, day) && s->n < (int)(sizeof(s->h) / sizeof(s->h[0])))
		s->h[s->n++] = (struct holiday){ day, name };
}

static int by_day(const void *a, const void *b)
{
	long x = ((const struct holiday *)a)->day, y = ((const struct holiday *)b)->day;
	return (x > y) - (x < y);
}

static bool is_weekend(long day)
{
	int wd = mc_weekday(day);
	return wd == 0 || wd == 6;
}

static long lunar_day(int year, int month, int d)
{
	struct mc_lunar_date ld = { year, month, d, false };
	int y, m, dd;
	if (mc_lunar_to_solar(&ld, &y, &m, &dd))
		return -1;
	return mc_days_from_civil(y, m, dd);
}

void mc_calendar_add_statutory(struct mc_calendar *cal, int year)
{
	struct holiday_set s = { .n = 0 };
	set_add(&s, mc_days_from_civil(year, 1, 1), "Tết Dương lịch");
	long tet = lunar_day(year, 1, 1);
	if (tet >= 0) {
		set_add(&s, tet - 1, "Tết Nguyên đán (ngày cuối năm âm lịch)");
		set_add(&s, tet, "Tết Nguyên đán (mùng 1)");
		set_add(&s, tet + 1, "Tết Nguyên đán (mùng 2)");
		set_add(&s, tet + 2, "Tết Nguyên đán (mùng 3)");
		set_add(&s, tet + 3, "Tết Nguyên đán (mùng 4)");
	}
	long hung = lunar_day(year, 3, 10);
	if (hung >= 0)
		set_add(&s, hung, "Giỗ Tổ Hùng Vương (10/3 âm lịch)");
	set_add(&s, mc_days_from_civil(year, 4, 30), "Ngày Chiến thắng (30/4)");
	set_add(&s, mc_days_from_civil(year, 5, 1), "Ngày Quốc tế Lao động (1/5)");
	/* Art. 112 gives 2/9 "and one day before or after it"; the Prime Minister
	 * picks which each year, so the choice is annual official data. The default
	 * is the day before (1/9), the choice made in most recent years. */
	set_add(&s, mc_days_from_civil(year, 9, 1), "Quốc khánh (ngày liền kề 2/9)");
	set_add(&s, mc_days_from_civil(year, 9, 2), "Quốc khánh (2/9)");
	qsort(s.h, (size_t)s.n, sizeof(s.h[0]), by_day);

	/* Art. 112(3): a holiday on the weekly rest day is taken on the next
	 * working day, in order, never on another holiday or one already taken. */
	int nbase = s.n;
	for (int i = 0; i < nbase; i++) {
		if (!is_weekend(s.h[i].day))
			continue;
		long c = s.h[i].day + 1;
		while (is_weekend(c) || set_has(&s, c) ||
		       (mc_calendar_get_day(cal, c) && !mc_is_working_day(cal, c)))
			c++;
		set_add(&s, c, "Nghỉ bù ngày lễ, Tết trùng ngày nghỉ hằng tuần");
	}
	for (int i = 0; i < s.n; i++)
		if (!mc_calendar_get_day(cal, s.h[i].day))
			mc_calendar_set_day(cal, s.h[i].day, MC_DAY_OFF, s.h[i].name);
}

void mc_calendar_fill_statutory(struct mc_calendar *cal, int first, int last)
{
	if (first < MIN_YEAR + 1)
		first = MIN_YEAR + 1;
	if (last > MAX_YEAR - 1)
		last = MAX_YEAR - 1;
	for (int y = first; y <= last; y++)
		if (!mc_calendar_has_year(cal, y))
			mc_calendar_add_statutory(cal, y);
}
