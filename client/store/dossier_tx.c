/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One transaction per change of a dossier: see dossier_tx.h. */
#include "client/store/dossier_tx.h"

#include <stdlib.h>

int dossier_tx_begin(struct dossier_tx *t, struct store *st)
{
	t->st = st;
	t->nested = !sqlite3_get_autocommit(st->db);
	return sqlite3_exec(st->db, t->nested ? "SAVEPOINT dossier_tx" : "BEGIN IMMEDIATE", NULL,
			    NULL, NULL);
}

void dossier_tx_rollback(struct dossier_tx *t)
{
	if (t->nested)
		sqlite3_exec(t->st->db, "ROLLBACK TO dossier_tx; RELEASE dossier_tx", NULL, NULL, NULL);
	else
		store_rollback(t->st);
}

int dossier_tx_commit(struct dossier_tx *t)
{
	int rc = sqlite3_exec(t->st->db, t->nested ? "RELEASE dossier_tx" : "COMMIT", NULL, NULL,
			      NULL);
	if (rc != SQLITE_OK)
		dossier_tx_rollback(t);
	return rc;
}

/* Runs and finalizes a statement that returns no row. */
static int step_done(sqlite3_stmt *q)
{
	int rc = sqlite3_step(q);
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static void bind_opt_int(sqlite3_stmt *q, int i, int v)
{
	if (v)
		sqlite3_bind_int(q, i, v);
	else
		sqlite3_bind_null(q, i);
}

int dossier_tx_event(struct store *st, const struct dossier_doc_event *e, json_t **json)
{
	char *text = e->payload ? json_dumps(e->payload, JSON_COMPACT) : NULL;
	sqlite3_stmt *q = store_prepare(st,
		"INSERT INTO events(id, dossier_id, kind, status_from, status_to, actor, unit_code,"
		" device_time, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
	sqlite3_bind_text(q, 1, e->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, e->dossier_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, e->kind, -1, SQLITE_STATIC);
	bind_opt_int(q, 4, e->status_from);
	bind_opt_int(q, 5, e->status_to);
	sqlite3_bind_text(q, 6, e->actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 7, e->unit_code, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 8, e->device_time, -1, SQLITE_STATIC);
	if (text)
		sqlite3_bind_text(q, 9, text, -1, SQLITE_STATIC);
	int rc = step_done(q);
	free(text);
	if (rc == SQLITE_OK && json)
		*json = dossier_doc_event_encode(e);
	return rc;
}
