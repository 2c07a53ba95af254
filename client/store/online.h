/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Online dossiers in the store (docs/portal.md "At the counter"): dossiers
 * submitted on the National Public Service Portal come down the changes
 * feed like any dossier, with channel 2, status 1 (or 5 once a supplement
 * was asked for) and no reception time yet (received_at ""): that is what
 * "waiting at the counter" means here. Their papers are documents whose
 * files the sync fetches (sync/download.c). The rules of accepting,
 * refusing and asking for a supplement are client/services/online.c's;
 * this module only reads and writes rows. Functions return SQLite codes. */
#ifndef MC_STORE_ONLINE_H
#define MC_STORE_ONLINE_H
#include <stdbool.h>
#include <stddef.h>

#include "client/store/store.h"

/* A paper of an online dossier. */
struct online_paper {
	int seq;               /* its component */
	char *name;
	char *document_id;     /* NULL: none attached */
	char *sha256;
	long long bytes;
	char *path;            /* the file here (documents/<sha256>.pdf), NULL until fetched */
};

/* An online dossier; strings owned (online_dossier_release). */
struct online_dossier {
	char *id, *code, *procedure_code, *procedure_name, *unit_code;
	char *applicant_name, *id_number, *phone, *email, *address;
	int applicant_kind, status;
	long long rev;
	bool waiting;            /* not received yet (status 1 or 5, no reception time) */
	char submitted_at[20];   /* "YYYY-MM-DDTHH:MM" (its 'online-submit' event) */
	char supplement_at[20];  /* the last supplement request, "" when none */
	bool supplemented;       /* the portal brought new papers after that request */
	struct online_paper *papers;
	size_t npapers, nhere;   /* papers, and those whose file is here */
};
void online_dossier_release(struct online_dossier *d);
void online_list_free(struct online_dossier *list, size_t n);

/* The online dossiers waiting of unit (NULL: of every unit), the oldest
 * submitted first, with their papers. */
int online_list(struct store *st, const char *unit, struct online_dossier **out, size_t *n);
/* How many are waiting (the home screen's count). */
int online_count(struct store *st, const char *unit, long *n);
/* The online dossier (channel 2, waiting or not) whose code is exactly
 * code: SQLITE_ROW with d filled, SQLITE_DONE when none. */
int online_get(struct store *st, const char *code, struct online_dossier *d);

/* The row of an accepted online dossier, if still at revision rev: its new
 * code, status 2, received_at, appointment, the clerk who received it,
 * rev + 1, updated_at. SQLITE_OK, SQLITE_CONSTRAINT when not at rev. */
struct online_accept_row {
	const char *id, *code, *received_at, *appointment, *clerk, *now;
	long long rev;
};
int online_store_accept(struct store *st, const struct online_accept_row *u);

/* The procedure's processing time as the catalog has it: *unit "day",
 * "hour", "inday" or NULL (not known), *value. SQLITE_ROW or SQLITE_DONE. */
int online_procedure_time(struct store *st, const char *code, char **unit, double *value);

/* The SHA-256 of the papers of waiting online dossiers whose file is not
 * here (malloc'd array of malloc'd strings). */
int online_missing_files(struct store *st, char ***out, size_t *n);

#endif
