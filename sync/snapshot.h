/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A new workstation's first pull from a snapshot (docs/api.md "Snapshot",
 * server/snapshot.c): when the store has no cursor and no dossier yet, GET
 * /api/v1/snapshot names the snapshot of the user's units; its bytes come
 * with GET /api/v1/snapshots/{id}, kept in the store's table
 * snapshot_download as they arrive, so that a cut link resumes with HTTP
 * Range where it stopped (in this pass, and in the next ones). Complete and
 * matching its SHA-256, it is applied in one transaction with the feed's
 * rules (sync/apply.h) together with the cursor that follows it; the feed
 * then goes on from there. A server without snapshots, or a scope with few
 * changes (404), leaves the pull to the feed. */
#ifndef MC_SYNC_SNAPSHOT_H
#define MC_SYNC_SNAPSHOT_H
#include <stdatomic.h>

#include "client/store/store.h"
#include "sync/apply.h"
#include "sync/http.h"
#include "sync/sync.h"

/* Attempts to fetch the snapshot in one pass (each resumes the last). */
#define SYNC_SNAPSHOT_TRIES 4

/* Downloads and applies the snapshot when the store is new; SYNC_DONE also
 * when there is none to take (the feed does it all). *woken: operations
 * waiting for a dossier the snapshot brought. Applied changes are counted
 * in as. */
enum sync_outcome sync_snapshot(struct store *st, struct sync_http *http, const atomic_int *cancel,
				struct apply_stats *as, long *woken, struct sync_summary *sum);

#endif
