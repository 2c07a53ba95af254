/* The write side of a change to a dossier: ONE transaction that updates the
 * dossier, appends its event and queues the outbox row the sync pushes
 * (../shared/design/sync.md, docs/api.md). Shared by the reception
 * (client/services/reception.c) and the dossier actions (client/services/dossier_action.c).
 *
 *	struct dossier_tx t;
 *	if (dossier_tx_begin(&t, st) != SQLITE_OK) ...
 *	rc = ...writes...;
 *	rc = rc == SQLITE_OK ? dossier_tx_commit(&t) : (dossier_tx_rollback(&t), rc);
 */
#ifndef MC_DOSSIER_TX_H
#define MC_DOSSIER_TX_H
#include <stdbool.h>

#include <jansson.h>

#include "client/store/store.h"

/* One transaction of our own (BEGIN IMMEDIATE: writers are serialised), or a
 * savepoint inside the caller's transaction. */
struct dossier_tx {
	struct store *st;
	bool nested;
};

/* Each returns an SQLite result code (SQLITE_OK on success). commit rolls
 * back when SQLite refuses (full disk, read-only store). */
int dossier_tx_begin(struct dossier_tx *t, struct store *st);
int dossier_tx_commit(struct dossier_tx *t);
void dossier_tx_rollback(struct dossier_tx *t);

/* An event as the events table and the server keep it. payload is borrowed. */
struct dossier_tx_event {
	const char *id, *dossier_id, *kind;
	int status_from, status_to; /* 0: none */
	const char *actor, *unit_code, *device_time;
	json_t *payload; /* an object, or NULL */
};

/* Inserts the event row (its payload as compact JSON). On success *json
 * (when not NULL) gets the event as the outbox carries it: id, dossier_id,
 * kind, status_from, status_to, actor, unit_code, device_time, payload (a new
 * reference). */
int dossier_tx_event(struct store *st, const struct dossier_tx_event *e, json_t **json);

/* Inserts a pending outbox row for entity 'dossier': op_id, the dossier id,
 * base_rev (the revision the change was made on), op (the lifecycle action),
 * payload as compact JSON in member order and its SHA-256 (payload_hash,
 * lowercase hex, as the server checks it), created_at = now. */
int dossier_tx_outbox(struct store *st, const char *op_id, const char *dossier_id, long long base_rev,
		      const char *op, const json_t *payload, const char *now);

/* SHA-256 of text as 64 lowercase hex digits (hex gets 65 bytes). */
void dossier_tx_hash(const char *text, char hex[65]);

#endif
