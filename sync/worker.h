/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The TUI's sync worker: a thread with its own SQLite connection that runs
 * sync passes (sync/sync.h) so that no key press ever waits for the network.
 *
 * Automatic mode (a terminal): a pass at start, then every interval while
 * they succeed, after a failure with jittered exponential backoff; a refused
 * token (401/403) stops the automatic passes until the clerk asks (F5).
 * Without automatic mode (headless UI tests) it runs only the passes asked
 * for, so that scripts stay deterministic.
 *
 * After every pass it calls notify(arg, ...) from the worker thread; the
 * app turns that into an app_post_event and reads the state from the store
 * on the main thread. */
#ifndef MC_SYNC_WORKER_H
#define MC_SYNC_WORKER_H
#include <stdbool.h>

#include "core/xalloc.h"
#include "sync/sync.h"

#define SYNC_WORKER_INTERVAL_S 30

struct sync_worker;

/* ok: the pass completed without error; message: the pass told in
 * Vietnamese (malloc'd, the callee frees it); requests: how many
 * wake(…, true) calls this pass answers. */
typedef void sync_worker_notify_fn(void *arg, bool ok, char *message, unsigned requests);

/* Starts the thread on the store at db_path. progress (may be NULL) is
 * called from the worker thread, with arg, as a pass goes on (sync.h's
 * struct sync_progress). NULL with err on failure. */
struct sync_worker *sync_worker_start(const char *db_path, bool automatic, long interval_s,
				      sync_worker_notify_fn *notify, sync_progress_fn *progress,
				      void *arg, struct strbuf *err);
/* requested: the clerk asked (F5): a pass now, answered in notify's
 * requests; otherwise a hint (a new operation was queued) that an automatic
 * worker may sync now. */
void sync_worker_wake(struct sync_worker *w, bool requested);
/* Stops a transfer in flight, joins the thread, frees w. */
void sync_worker_stop(struct sync_worker *w);

#endif
