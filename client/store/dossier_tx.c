/* One transaction per change of a dossier: see dossier_tx.h. */
#include "client/store/dossier_tx.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/xalloc.h"

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

static json_t *opt_int(int v)
{
	return v ? json_integer(v) : json_null();
}

int dossier_tx_event(struct store *st, const struct dossier_tx_event *e, json_t **json)
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
	if (rc != SQLITE_OK || !json)
		return rc;
	json_t *j = json_object();
	json_object_set_new(j, "id", json_string(e->id));
	json_object_set_new(j, "dossier_id", json_string(e->dossier_id));
	json_object_set_new(j, "kind", json_string(e->kind));
	json_object_set_new(j, "status_from", opt_int(e->status_from));
	json_object_set_new(j, "status_to", opt_int(e->status_to));
	json_object_set_new(j, "actor", json_string(e->actor));
	json_object_set_new(j, "unit_code", json_string(e->unit_code));
	json_object_set_new(j, "device_time", json_string(e->device_time));
	json_object_set_new(j, "payload", e->payload ? json_incref(e->payload) : json_null());
	*json = j;
	return rc;
}

void dossier_tx_hash(const char *text, char hex[65])
{
	unsigned char hash[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(hash, (const unsigned char *)text, strlen(text));
	sodium_bin2hex(hex, 65, hash, sizeof hash);
}

int dossier_tx_outbox(struct store *st, const char *op_id, const char *dossier_id, long long base_rev,
		      const char *op, const json_t *payload, const char *now)
{
	char *text = json_dumps(payload, JSON_COMPACT);
	char hex[65];
	dossier_tx_hash(text, hex);
	sqlite3_stmt *q = store_prepare(st,
		"INSERT INTO outbox(op_id, entity, entity_id, base_rev, op, payload, payload_hash,"
		" state, created_at) VALUES (?, 'dossier', ?, ?, ?, ?, ?, 'pending', ?)");
	sqlite3_bind_text(q, 1, op_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, dossier_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 3, base_rev);
	sqlite3_bind_text(q, 4, op, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 5, text, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 6, hex, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 7, now, -1, SQLITE_STATIC);
	int rc = step_done(q);
	free(text);
	return rc;
}
