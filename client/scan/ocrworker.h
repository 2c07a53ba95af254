/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reading the text of the stored papers (documents.ocr_state 'pending': a
 * paper just saved by the scan screen, or attached with `motcua attach`),
 * page by page, so that the search finds a paper by its words as soon as
 * each page is read.
 *
 * The pages come from the images the paper was made of: once its PDF is
 * filed, the pages folder moves to <store folder>/ocr/<document id>
 * (ocr_keep_pages) and each page is read from there as it is, or at
 * OCR_DPI when its resolution is outside what tesseract reads well (ocr.h)
 * - no PDF is rendered again. A paper without such a folder (attached
 * before, or its folder lost) is read from its PDF (pdftoppm). The pages of
 * every pending paper are read by one pool of tesseract processes, one per
 * core, niced below the program; each page's text is written next to its
 * image (pNNNNNN.txt, so a pass that stops loses no page read) and the
 * paper's text in the store is updated at once (docstore_set_ocr_progress:
 * 'pending' until the last page, then 'done', or 'failed' when a page could
 * not be read); then the folder goes. A process reading a paper holds a
 * lock on its folder, so two programs on one store never read the same
 * paper twice.
 *
 * In an encrypted store the ocr/ folder is sealed like scans/ (client/base/
 * sealed.h): the pages moved there stay sealed, each page's text is written
 * sealed, and tesseract is given a page's plaintext from memory (ocr.h); a
 * page enlarged or put together for it is written in a folder in memory
 * (ocr_render_base) and removed as soon as it is read.
 *
 * The TUI's worker is a thread with its own SQLite connection. It runs a
 * pass when woken (ocr_worker_wake: at start, after a paper is saved) and
 * sleeps otherwise; each wake is answered by one notify call after the pass
 * that covers it, so the app can count the wakes as busy work and headless
 * scripts stay deterministic. notify runs on the worker thread: the app
 * turns it into an app_post_event. Nothing here touches curses. */
#ifndef MC_OCRWORKER_H
#define MC_OCRWORKER_H
#include <stdatomic.h>

#include "client/base/progress.h"
#include "client/scan/pagestore.h"
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
/* Stops the pages being read (what was read is kept for the next pass),
 * joins the thread, frees w. NULL is fine. */
void ocr_worker_stop(struct ocr_worker *w);

/* <folder of db_path>/ocr/<doc_id> (malloc'd). */
char *ocr_pages_dir(const char *db_path, const char *doc_id);

/* The pages of the paper doc_id, just filed, kept for its OCR: ps's folder
 * moves to ocr_pages_dir and ps is released. When it cannot move, the pages
 * are removed (the paper is then read from its PDF); -1 with err only when
 * they could not be removed either. */
int ocr_keep_pages(struct pagestore *ps, const char *db_path, const char *doc_id,
		   struct strbuf *err);

/* One pass on st (db_path: where its folders are): every pending paper,
 * oldest first, or only the paper only when not NULL, until none is left
 * or *stop becomes non-zero (stop may be NULL). Adds to *done and *failed.
 * -1 with err when the store fails (the pass ends there). */
int ocr_pending_pass(struct store *st, const char *db_path, const char *only,
		     const atomic_int *stop, int *done, int *failed, struct strbuf *err);
/* The same, counting the pages read on progress (its total grows with the
 * pages of the papers taken; pages read by an earlier pass count as read). */
int ocr_pending_pass_progress(struct store *st, const char *db_path, const char *only,
			      const atomic_int *stop, struct progress *progress, int *done,
			      int *failed, struct strbuf *err);

#endif
