/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The file queue of a sync pass (docs/sync-client.md "Files"): the scans
 * of documents (documents/<sha256>.pdf) go to the server after the records,
 * content-addressed and resumable (tus 1.0, docs/api.md "Files").
 *
 * Table file_uploads (client/store/store.c, 7 -> 8) has one row per file, made
 * when a document is filed. For each 'pending' row, oldest first:
 *   - no upload under way: HEAD /api/v1/blobs/{sha256}: the server has it
 *     already (another workstation sent the same paper) -> 'sent', no byte
 *     sent; else POST /api/v1/uploads creates one, whose URL is stored
 *     before a byte is sent;
 *   - an upload under way (a cut link, a stopped program): HEAD on its URL
 *     tells the offset the server holds; only the rest is sent;
 *   - PATCH in chunks of UPLOAD_CHUNK bytes, the server's offset stored
 *     after each, until the last one, which the server checks against the
 *     SHA-256 (422 hash_mismatch: the upload is dropped; the file here is
 *     hashed again: damaged here -> 'failed', never sent again; intact ->
 *     still pending, sent again at the next pass). Either way the error is
 *     said and the queue goes on with the next file.
 * A link that fails stops the queue (SYNC_OFFLINE: the pass is retried with
 * backoff); a refused token stops it too (SYNC_DENIED). */
#ifndef MC_SYNC_UPLOAD_H
#define MC_SYNC_UPLOAD_H
#include <stdatomic.h>

#include "client/store/store.h"
#include "sync/http.h"
#include "sync/sync.h"

#define UPLOAD_CHUNK (4LL << 20) /* bytes of one PATCH */

/* Sends the pending files; counts in sum (files_sent, files_known,
 * files_failed, bytes_sent; errors in Vietnamese). now: the device clock
 * ("YYYY-MM-DDTHH:MM"), for the rows' times. */
enum sync_outcome sync_upload_files(struct store *st, struct sync_http *http,
				    const atomic_int *cancel, const char *now,
				    struct sync_summary *sum);

/* File sha came from the server (a paper fetched for reuse, sync/papers.h):
 * nothing to send, marked sent. 0, or -1 on a store fault. */
int sync_upload_held(struct store *st, const char *sha, const char *now);

/* Files the server says it lacks (a push answer's missing_files: restored
 * from an older backup) that this store holds as sent: pending again, so
 * that this pass's file queue asks (HEAD) and sends them. Inside the
 * caller's transaction. Returns how many, -1 on a store fault. */
long sync_upload_resend(struct store *st, char *const *shas, size_t n);

/* Files waiting to be sent and the bytes of them the server does not hold
 * yet (as last known). */
void sync_upload_pending(struct store *st, long *files, long long *bytes);

#endif
