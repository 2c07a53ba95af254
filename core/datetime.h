/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Civil dates and local date-times (minute precision), no time zones: all
 * times are the office's local time. Pure functions, no I/O. */
#ifndef MC_DATETIME_H
#define MC_DATETIME_H
#include <stdbool.h>
#include <stddef.h>

struct mc_date {
	int y, m, d;
};

struct mc_dt {
	int y, m, d;   /* civil date */
	int hh, mi;    /* local time of day */
};

/* Days since 1970-01-01 (proleptic Gregorian), and back. */
long mc_days_from_civil(int y, int m, int d);
void mc_civil_from_days(long days, int *y, int *m, int *d);
/* 0 = Sunday ... 6 = Saturday. */
int mc_weekday(long days);
bool mc_date_valid(int y, int m, int d);

/* Strict parsers: "YYYY-MM-DD" and "YYYY-MM-DDTHH:MM" (a space is accepted
 * for the T). Return 0, or -1 for a malformed or impossible value. */
int mc_parse_date(const char *s, struct mc_date *out);
int mc_parse_dt(const char *s, struct mc_dt *out);

/* A date typed by a clerk, day first: DDMMYYYY, or D/M/YYYY with one or two
 * digits for the day and the month, four for the year and '/', '-' or '.'
 * between the parts (DD/MM/YYYY, DD-MM-YYYY, D.M.YYYY); blanks anywhere
 * are ignored. YYYY-MM-DD as mc_parse_date takes it is accepted too.
 * Returns 0 with the date, or -1 for anything else or a day that does not
 * exist (29/02/1985, 31/04/2025). */
int mc_parse_date_vn(const char *s, struct mc_date *out);
/* A date and an optional time typed by a clerk: the date as
 * mc_parse_date_vn takes it (up to the first space), then after a space
 * the time as HH:MM, HHhMM, HHgMM, HHMM or HH (blanks around it ignored);
 * without a time, that of base. Returns 0 with out set, or -1. */
int mc_parse_dt_vn(const char *s, const struct mc_dt *base, struct mc_dt *out);

/* Minutes since 1970-01-01T00:00 and back; ordering and arithmetic. */
long long mc_dt_minutes(const struct mc_dt *t);
void mc_dt_from_minutes(long long minutes, struct mc_dt *out);
int mc_dt_cmp(const struct mc_dt *a, const struct mc_dt *b);

/* "YYYY-MM-DDTHH:MM" into buf (>= 17 bytes); "YYYY-MM-DD" (>= 11 bytes);
 * "DD/MM/YYYY" for Vietnamese display (>= 11 bytes). */
void mc_format_dt(char *buf, size_t n, const struct mc_dt *t);
void mc_format_date(char *buf, size_t n, int y, int m, int d);
void mc_format_date_vn(char *buf, size_t n, int y, int m, int d);

#endif
