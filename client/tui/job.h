/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Jobs: a slow side effect of a user action (a PDF to lay out, a printer to
 * wait for) run on a thread of its own once the action's transaction has
 * committed, so that no key handler waits for it (docs/hacking.md, "Side
 * effects and workers").
 *
 * Only the main thread touches curses and the store: whatever the job needs
 * from the store is read before it starts, and it reports back through
 * events (app_post_event), which the main loop runs.
 *
 *	on the main thread, after COMMIT:   prepare(data) from the store;
 *	                                     app_job_start(app, run, done, data)
 *	on the job's thread:                 run(app, data): the slow part; may
 *	                                     app_post_event progress
 *	on the main thread, later:           done(app, data): show the outcome,
 *	                                     free data
 *
 * A job counts as busy work until done has run, so headless scripts wait for
 * it before their next line (client/tui/term.h; :hold-events shows the
 * screen while it runs). */
#ifndef MC_JOB_H
#define MC_JOB_H
#include "client/tui/app.h"

/* Runs on the job's thread: it may call app_post_event and nothing else of
 * the app. */
typedef void app_job_fn(struct app *app, void *data);

/* Starts run(app, data) on a new thread, then done(app, data) runs on the
 * main thread after everything run posted. The thread has every signal
 * blocked (SIGWINCH and the keys' signals stay the main thread's). Returns
 * 0, or -1 (errno set) when no thread could start: nothing ran, and data is
 * still the caller's. */
int app_job_start(struct app *app, app_job_fn *run, app_event_fn *done, void *data);

/* Waits for every job still running and runs its done (main thread; at exit,
 * once the screens are closed). */
void app_jobs_finish(struct app *app);

#endif
