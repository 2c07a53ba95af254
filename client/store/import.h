/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Importing the reference data (provinces, communes, commune merges and the
 * commune-level procedures) from the data folder into the store, and seeding
 * a demo unit and clerk. Reference tables are replaced as a whole; dossiers,
 * events and the outbox are never touched. Free of printing: malformed lines
 * are collected as "file:line: message" lines. */
#ifndef MC_IMPORT_H
#define MC_IMPORT_H
#include "client/base/progress.h"
#include "client/store/store.h"

#define IMPORT_PROVINCES "provinces-2025.csv"
#define IMPORT_COMMUNES "communes-2025.csv"
#define IMPORT_MERGES "commune-merges-2025.csv"
#define IMPORT_PROCEDURES "procedures.jsonl"

struct import_counts {
	int provinces, communes, merges;
	int procedures, channels, components;
	int needs_review;      /* procedures flagged for review */
	int components_review; /* components flagged for review */
	int errors;            /* malformed lines skipped (reported in warnings) */
};

/* Checks that every data file of dir is readable; -1 with err if not. */
int import_check_files(const char *dir, struct strbuf *err);

/* Imports everything from dir inside the caller's open transaction. Returns 0,
 * or -1 with err when a file is missing or the store refuses (the caller then
 * rolls back). Malformed lines append "file:line: message\n" to warnings and
 * count in errors without stopping. */
int import_reference_tx(struct store *st, const char *dir, struct import_counts *counts,
			struct strbuf *warnings, struct strbuf *err);

/* The same, telling progress (may be NULL) the bytes of the files read. */
int import_reference_progress(struct store *st, const char *dir, struct import_counts *counts,
			      struct strbuf *warnings, struct progress *progress, struct strbuf *err);

/* The same in one transaction of its own: all or nothing. */
int import_reference(struct store *st, const char *dir, struct import_counts *counts,
		     struct strbuf *warnings, struct strbuf *err);

/* The demo office, documented in docs/import.md. Call inside a transaction,
 * after the communes were imported. */
#define DEMO_UNIT_CODE "00004"       /* Phường Ba Đình, Thành phố Hà Nội */
#define DEMO_UNIT_IDENT "H01.00004"  /* Decision 20/2020 form, level 1 left */
#define DEMO_CLERK "canbo"
#define DEMO_CLERK_NAME "Nguyễn Thị Lan"
#define DEMO_PASSWORD "motcua"
#define DEMO_OFFICE_HOURS "07:00-11:30,13:30-17:00"
#define DEMO_CUTOFF "15:00"

/* Seeds the demo receiving unit (units row and settings unit_code, unit_ident,
 * office_hours, cutoff) and the demo clerk (Argon2id hash). Later changes add
 * demo holidays and dossiers here. Returns 0 or -1 with err. */
int demo_seed(struct store *st, struct strbuf *err);

/* Makes the commune `code` this workstation's receiving unit (units row,
 * settings unit_code and unit_ident), inside the caller's transaction. ident
 * NULL gives the default "H<province>.<code>". Returns 0 or -1 (err). */
int import_set_unit(struct store *st, const char *code, const char *ident, struct strbuf *err);

#endif
