/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The dossier actions' reads and writes: see action_store.h. */
#include "client/store/action_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/store/dossier_query.h"

void action_dossier_release(struct action_dossier *d)
{
	free(d->id);
	free(d->code);
	free(d->unit_code);
	free(d->handling_unit);
	free(d->applicant_name);
	free(d->rating);
	memset(d, 0, sizeof(*d));
}

int action_store_dossier(struct store *st, const char *code, struct action_dossier *d)
{
	memset(d, 0, sizeof(*d));
	sqlite3_stmt *q = store_prepare(st,
		"SELECT id, code, status, rev, appointment, unit_code, handling_unit, applicant_name"
		" FROM dossiers WHERE code = ?");
	sqlite3_bind_text(q, 1, code, -1, SQLITE_STATIC);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		d->id = store_col_text(q, 0);
		d->code = store_col_text(q, 1);
		d->status = sqlite3_column_int(q, 2);
		d->rev = sqlite3_column_int64(q, 3);
		store_col_copy(q, 4, d->appointment_text, sizeof d->appointment_text);
		d->unit_code = store_col_text(q, 5);
		d->handling_unit = store_col_text(q, 6);
		d->applicant_name = store_col_text(q, 7);
	}
	sqlite3_finalize(q);
	return rc;
}

int action_store_history(struct store *st, struct action_dossier *d)
{
	sqlite3_stmt *q = store_prepare(st,
		"SELECT kind, device_time, payload, id FROM events WHERE dossier_id = ?"
		" AND kind IN ('apologize', 'rate', 'request-supplement')"
		" ORDER BY device_time, rowid");
	sqlite3_bind_text(q, 1, d->id, -1, SQLITE_STATIC);
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *kind = (const char *)sqlite3_column_text(q, 0);
		if (!strcmp(kind, "apologize")) {
			if (!d->apologies++)
				store_col_copy(q, 1, d->apology_at, sizeof d->apology_at);
		} else if (!strcmp(kind, "rate")) {
			if (!d->rating)
				d->rating = xstrdup(sqlite3_column_text(q, 2)
							    ? (const char *)sqlite3_column_text(q, 2)
							    : "{}");
		} else { /* the latest request wins */
			d->paused = true;
			store_col_copy(q, 1, d->paused_since, sizeof d->paused_since);
			store_col_copy(q, 3, d->pause_event, sizeof d->pause_event);
		}
	}
	sqlite3_finalize(q);
	return rc;
}

void action_clerk_release(struct action_clerk *c)
{
	free(c->full_name);
	free(c->unit_code);
	free(c->role);
	memset(c, 0, sizeof(*c));
}

int action_store_clerk(struct store *st, const char *username, struct action_clerk *c)
{
	memset(c, 0, sizeof(*c));
	sqlite3_stmt *q = store_prepare(st,
		"SELECT full_name, unit_code, role, disabled FROM clerks WHERE username = ?");
	sqlite3_bind_text(q, 1, username, -1, SQLITE_STATIC);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		c->full_name = store_col_text(q, 0);
		c->unit_code = store_col_text(q, 1);
		c->role = store_col_text(q, 2);
		c->disabled = sqlite3_column_int(q, 3) != 0;
	}
	sqlite3_finalize(q);
	return rc;
}

char *action_store_clerk_in_charge(struct store *st, const char *id)
{
	sqlite3_stmt *q = store_prepare(st,
		"SELECT " DOSSIER_CLERK_IN_CHARGE " FROM dossiers d"
		" LEFT JOIN dossier_assignments da ON da.dossier_id = d.id WHERE d.id = ?");
	sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
	char *who = sqlite3_step(q) == SQLITE_ROW ? store_col_text(q, 0) : NULL;
	sqlite3_finalize(q);
	return who ? who : xstrdup("");
}

/* Steps a statement that changes one row; SQLITE_CONSTRAINT when it changed none. */
static int change_one(struct store *st, sqlite3_stmt *q)
{
	int rc = sqlite3_step(q);
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return rc;
	return sqlite3_changes(st->db) == 1 ? SQLITE_OK : SQLITE_CONSTRAINT;
}

int action_store_update(struct store *st, const struct action_update *u)
{
	sqlite3_stmt *q = store_prepare(st,
		"UPDATE dossiers SET status = ?1, rev = rev + 1, updated_at = ?2,"
		" appointment = ?3, handling_unit = coalesce(?4, handling_unit),"
		" finished_at = CASE ?5 WHEN 1 THEN ?2 WHEN 2 THEN coalesce(finished_at, ?2)"
		" ELSE finished_at END WHERE id = ?6 AND rev = ?7");
	sqlite3_bind_int(q, 1, u->status);
	sqlite3_bind_text(q, 2, u->now, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, u->appointment, -1, SQLITE_STATIC);
	if (u->handling_unit)
		sqlite3_bind_text(q, 4, u->handling_unit, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 5, u->finish);
	sqlite3_bind_text(q, 6, u->id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 7, u->rev);
	return change_one(st, q);
}

int action_store_touch(struct store *st, const char *id, long long rev, const char *now)
{
	sqlite3_stmt *q = store_prepare(st, "UPDATE dossiers SET rev = rev + 1, updated_at = ?1"
					    " WHERE id = ?2 AND rev = ?3");
	sqlite3_bind_text(q, 1, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 3, rev);
	return change_one(st, q);
}
