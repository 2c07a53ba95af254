/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The working-day calendar kept in the store: table holidays(date, kind, name)
 * and the settings `office_hours` ("07:00-11:30,13:30-17:00") and `cutoff`
 * ("15:00"). Years the table does not mention get the statutory holidays
 * computed by core/lunar.h. */
#ifndef MC_CALENDAR_STORE_H
#define MC_CALENDAR_STORE_H
#include "client/store/store.h"
#include "core/calendar.h"

/* The years that get computed statutory defaults when they hold no data. */
#define CALENDAR_DEFAULT_FIRST_YEAR 2000
#define CALENDAR_DEFAULT_LAST_YEAR 2100

/* Fills the years without data with the statutory defaults. */
void calendar_fill_defaults(struct mc_calendar *cal);

/* Loads the store's calendar into cal, which the caller has initialised with
 * mc_calendar_init (and releases). Returns 0, or -1 with a Vietnamese message
 * in err when the store holds a malformed day or setting. */
int calendar_load_store(struct store *st, struct mc_calendar *cal, struct strbuf *err);

/* Only the days of the holidays table into cal (no hours, no computed
 * defaults). Returns 0, or -1 with a Vietnamese message in err when a day is
 * malformed or the store fails. */
int calendar_load_days(struct store *st, struct mc_calendar *cal, struct strbuf *err);

/* Replaces the store's holidays table with cal's days and writes its office
 * hours and cutoff, inside the caller's transaction. Returns 0 or -1 (err).
 * Every day of cal becomes data: save a calendar parsed from official data
 * (e.g. data/holidays.txt), not one already filled with computed defaults. */
int calendar_save_store(struct store *st, const struct mc_calendar *cal, struct strbuf *err);

#endif
