/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the dossier actions (client/services/dossier_action.c) read and
 * write in the store besides the event and the outbox row of
 * client/store/dossier_tx.h: the dossier as it is and what its events say,
 * the clerk who acts or receives it, and the dossier's row after an action
 * or a reassignment. The rules stay in the service; these say only what
 * the store holds. Functions return SQLite result codes. */
#ifndef MC_ACTION_STORE_H
#define MC_ACTION_STORE_H
#include <stdbool.h>

#include "client/store/store.h"
#include "core/datetime.h"

/* A dossier as an action sees it; strings owned (action_dossier_release). */
struct action_dossier {
	char *id, *code, *unit_code, *handling_unit, *applicant_name; /* handling_unit NULLable */
	int status;
	long long rev;
	char appointment_text[20]; /* as stored, "YYYY-MM-DDTHH:MM" */
	struct mc_dt appointment;  /* not set here: the caller reads the text and
				      decides what an unreadable one means */
	/* what its events say (action_store_history) */
	int apologies;
	char apology_at[20];    /* the first apology's device time */
	char *rating;           /* the first rating event's payload ("{}" when none) */
	bool paused;            /* a request-supplement event exists */
	char pause_event[37];   /* the latest one's id ... */
	char paused_since[20];  /* ... and device time */
};
void action_dossier_release(struct action_dossier *d);

/* Reads the dossier whose code is exactly code (already trimmed and upper
 * case) into d (zeroed first). SQLITE_ROW found, SQLITE_DONE none, or the
 * error. */
int action_store_dossier(struct store *st, const char *code, struct action_dossier *d);
/* Reads what d's apologize, rate and request-supplement events say into d.
 * SQLITE_DONE, or the error. */
int action_store_history(struct store *st, struct action_dossier *d);

/* A clerk account; strings owned (action_clerk_release). */
struct action_clerk {
	char *full_name, *unit_code, *role;
	bool disabled;
};
void action_clerk_release(struct action_clerk *c);
/* SQLITE_ROW with c filled, SQLITE_DONE when there is no such clerk, or the
 * error. */
int action_store_clerk(struct store *st, const char *username, struct action_clerk *c);

/* The username of the clerk in charge of dossier id now (the last
 * reassignment's, else the receiver's), malloc'd; "" when unknown. */
char *action_store_clerk_in_charge(struct store *st, const char *id);

/* The dossier's row after an action, if it is still at revision rev:
 * status, rev + 1, updated_at = now, appointment, handling_unit when not
 * NULL, and finished_at: set to now when finish is 1, to now when unset
 * when finish is 2, kept when 0. SQLITE_OK, SQLITE_CONSTRAINT when the row
 * is not at rev, or the error. */
struct action_update {
	const char *id;
	long long rev;
	int status;
	const char *now, *appointment, *handling_unit;
	int finish;
};
int action_store_update(struct store *st, const struct action_update *u);
/* rev + 1 and updated_at = now only (a reassignment), as above. */
int action_store_touch(struct store *st, const char *id, long long rev, const char *now);

#endif
