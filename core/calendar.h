/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The working-day calendar and appointment dates (ngày hẹn trả).
 *
 * A day is a working day when it is Monday to Friday and not marked off, or a
 * Saturday/Sunday marked work (a swapped working Saturday). The office is open
 * in up to four periods a day (default 07:00-11:30 and 13:30-17:00); a dossier
 * received outside them counts from the next opening. Pure code, no I/O: the
 * holidays come from a text (a file the caller read), the store or
 * core/lunar.h's computed statutory defaults. */
#ifndef MC_CALENDAR_H
#define MC_CALENDAR_H
#include <stdbool.h>
#include <stddef.h>

#include "core/datetime.h"
#include "core/xalloc.h"

#define MC_MAX_PERIODS 4

enum mc_day_kind {
	MC_DAY_OFF,  /* a weekday off: holiday, compensatory or swapped day */
	MC_DAY_WORK  /* a Saturday or Sunday worked (swap) */
};

struct mc_day_override {
	long day;              /* days since 1970-01-01 (core/datetime.h) */
	enum mc_day_kind kind;
	char *name;            /* owned; may be NULL */
};

/* Office period [start, end) in minutes since midnight. */
struct mc_period {
	int start, end;
};

struct mc_calendar {
	struct mc_day_override *days; /* sorted by day, unique */
	size_t ndays, alloc;
	struct mc_period periods[MC_MAX_PERIODS]; /* sorted, disjoint */
	int nperiods;
	int cutoff; /* minutes; "in the day" dossiers received at/after it are due the next working day */
};

/* Default office hours and cutoff, no day overrides; release frees them. */
void mc_calendar_init(struct mc_calendar *cal);
void mc_calendar_release(struct mc_calendar *cal);

/* Marks a day off or work, replacing any earlier mark of that day. */
void mc_calendar_set_day(struct mc_calendar *cal, long day, enum mc_day_kind kind, const char *name);
/* The override of a day, or NULL. */
const struct mc_day_override *mc_calendar_get_day(const struct mc_calendar *cal, long day);
/* Whether any day of civil year y is overridden (the year has official data). */
bool mc_calendar_has_year(const struct mc_calendar *cal, int y);
bool mc_is_working_day(const struct mc_calendar *cal, long day);
/* The first working day strictly after day (day + 1 onwards); -1 if none within ten years. */
long mc_next_working_day(const struct mc_calendar *cal, long day);

/* Parses a holidays text: one `YYYY-MM-DD off [name]` or `YYYY-MM-DD work [name]`
 * per line; `#` starts a comment (at the start of a line or after a blank),
 * blank lines are skipped, CRLF and a UTF-8 BOM are accepted. Good lines are
 * applied to cal (replacing earlier marks of the same day); each bad line adds
 * "FILE:LINE: message\n" (Vietnamese) to errs. Returns the number of bad lines.
 * A caller that wants all-or-nothing parses into a fresh calendar. */
int mc_calendar_parse(struct mc_calendar *cal, const char *text, const char *filename,
		      struct strbuf *errs);

/* "HH:MM" -> minutes since midnight (00:00..23:59, or 24:00 when allow_24).
 * Returns 0 or -1. */
int mc_parse_hhmm(const char *s, bool allow_24, int *minutes);
/* Office hours "07:00-11:30,13:30-17:00" (1 to 4 periods, increasing, not
 * overlapping). On success replaces cal's periods and returns 0; otherwise
 * returns -1 with a Vietnamese message in err and leaves cal unchanged. The
 * cutoff is set separately (mc_calendar_set_cutoff). */
int mc_calendar_parse_hours(struct mc_calendar *cal, const char *text, struct strbuf *err);
/* Cutoff "HH:MM"; 0 or -1 with a message in err. */
int mc_calendar_set_cutoff(struct mc_calendar *cal, const char *text, struct strbuf *err);
/* Writes the office hours back as "07:00-11:30,13:30-17:00" (buf >= 48 bytes). */
void mc_calendar_format_hours(const struct mc_calendar *cal, char *buf, size_t n);

enum mc_time_unit {
	MC_UNIT_DAYS,  /* N working days (N = 0 is "in the day") */
	MC_UNIT_HOURS, /* N working hours */
	MC_UNIT_INDAY  /* in the day: amount is ignored */
};

/* The moment the processing clock starts: received itself when the office is
 * open then, else the next opening (lunch break, after closing, day off). */
int mc_calendar_normalize(const struct mc_calendar *cal, const struct mc_dt *received,
			  struct mc_dt *out);

/* The appointment of a dossier received at `received`:
 * - MC_UNIT_DAYS, amount >= 1: the normalized reception time, amount working
 *   days later (same time of day). Received 09:32 Friday 2023-10-27 with 5 days
 *   -> 2023-11-03T09:32.
 * - MC_UNIT_DAYS with amount 0, or MC_UNIT_INDAY: received on a working day
 *   before the cutoff -> that day at closing time; otherwise the next working
 *   day at closing time.
 * - MC_UNIT_HOURS: amount * 60 working minutes after the normalized time,
 *   counted across the office periods (may end exactly at a closing time).
 * Returns 0, or -1 for a negative amount or a calendar without working days. */
int mc_appointment(const struct mc_calendar *cal, const struct mc_dt *received, int amount,
		   enum mc_time_unit unit, struct mc_dt *out);

#endif
