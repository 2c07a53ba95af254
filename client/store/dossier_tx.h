/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The write side of a change to a dossier: ONE transaction that updates the
 * dossier, appends its event and queues the outbox row the sync pushes
 * (outbox_add, client/store/outbox.h; ../shared/design/sync.md,
 * docs/api.md). Shared by the reception (client/services/reception.c), the
 * dossier actions (client/services/dossier_action.c) and the document store
 * (client/store/docstore.c).
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
#include "core/dossier_doc.h"

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

/* Inserts the event row (core/dossier_doc.h: the event as the events table
 * and the server keep it; its payload as compact JSON). On success *json
 * (when not NULL) gets the event as the outbox carries it
 * (dossier_doc_event_encode: id, dossier_id, kind, status_from, status_to,
 * actor, unit_code, device_time, payload). The outbox row itself is
 * client/store/outbox.h's. */
int dossier_tx_event(struct store *st, const struct dossier_doc_event *e, json_t **json);

#endif
