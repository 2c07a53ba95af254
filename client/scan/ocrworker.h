/* The TUI's OCR worker: a thread with its own SQLite connection that reads
 * the text of the stored papers still waiting for it (documents.ocr_state
 * 'pending': a paper just saved by the scan screen, or attached with
 * `motcua attach --no-ocr`) with client/scan/ocr.h (tesseract child processes,
 * OMP_THREAD_LIMIT=1) and stores it with docstore_set_ocr, so that the
 * search finds it. No key press ever waits for it.
 *
 * It runs a pass when woken (ocr_worker_wake: at start, after a paper is
 * saved) and sleeps otherwise; each wake is answered by one notify call
 * after the pass that covers it, so the app can count the wakes as busy
 * work and headless scripts stay deterministic. notify runs on the worker
 * thread: the app turns it into an app_post_event. */
#ifndef MC_OCRWORKER_H
#define MC_OCRWORKER_H
#include <stdatomic.h>

#include "client/store/store.h"
#include "core/xalloc.h"

struct ocr_worker;

/* done: papers whose text was stored by the pass; failed: papers OCR could
 * not read (ocr_state 'failed'); requests: the wakes this pass answers. */
typedef void ocr_worker_notify_fn(void *arg, int done, int failed, unsigned requests);

/* Starts the thread on the store at db_path. NULL with err on failure. */
struct ocr_worker *ocr_worker_start(const char *db_path, ocr_worker_notify_fn *notify, void *arg,
				    struct strbuf *err);
/* Asks for a pass (one more request answered by notify). */
void ocr_worker_wake(struct ocr_worker *w);
/* Stops after the paper being read, joins the thread, frees w. NULL is fine. */
void ocr_worker_stop(struct ocr_worker *w);

/* One pass on st (db_path: where its documents folder is): every pending
 * paper, oldest first, until none is left or *stop becomes non-zero (stop
 * may be NULL). Adds to *done and *failed. -1 with err when the store
 * fails (the pass ends there). */
int ocr_pending_pass(struct store *st, const char *db_path, const atomic_int *stop, int *done,
		     int *failed, struct strbuf *err);

#endif
