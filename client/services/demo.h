/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Data that `motcua init` seeds beyond the reference import (client/store/import.h):
 * the official holidays (always) and, with --demo, some dossiers for the demo
 * unit so that every screen has something to show. Both run inside init's
 * transaction. */
#ifndef MC_DEMO_H
#define MC_DEMO_H
#include "client/store/store.h"
#include "core/datetime.h"

#define DEMO_HOLIDAYS "holidays.txt"

/* Loads <datadir>/holidays.txt into the store's calendar (table holidays):
 * the years the file lists replace those years in the store, other years the
 * store holds are kept, and the office hours and cutoff settings are kept
 * (defaults when unset). A missing file changes nothing (the computed
 * statutory holidays apply). Returns 0, or -1 with err for a malformed file
 * (every bad line as "file:line: message") or a store failure. */
int demo_seed_calendar(struct store *st, struct strbuf *err);

/* About 30 dossiers of the demo unit over the last three weeks, received
 * through reception_commit itself (real codes, events, outbox rows; no receipt
 * PDFs): some received today, some due today, a few overdue, one waiting for a
 * supplement, the older ones returned. now NULL means clock_now() (MOTCUA_NOW
 * honoured). Only a store without any dossier is seeded: demo dossiers are
 * never mixed with real ones. Returns the number of dossiers written, or -1
 * with err. */
int demo_seed_dossiers(struct store *st, const char *clerk, const struct mc_dt *now,
		       struct strbuf *err);

#endif
