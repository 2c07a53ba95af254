/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "sync/worker.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "client/store/store.h"

struct sync_worker {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	atomic_int stop;      /* also the passes' cancel flag */
	unsigned requests;    /* asked by the clerk, not yet run (under lock) */
	bool nudged;          /* a new operation was queued (under lock) */
	bool automatic;
	long interval_s;
	char *db_path;
	sync_worker_notify_fn *notify;
	sync_progress_fn *progress;
	void *arg;
};

static void deadline_in(struct timespec *ts, long ms)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

static bool due(const struct timespec *at)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec > at->tv_sec || (now.tv_sec == at->tv_sec && now.tv_nsec >= at->tv_nsec);
}

/* Waits (lock held) until something is to be done; false when stopping. */
static bool wait_for_work(struct sync_worker *w, const struct timespec *next, bool paused)
{
	for (;;) {
		if (atomic_load(&w->stop))
			return false;
		if (w->requests)
			return true;
		if (w->automatic && !paused && (w->nudged || due(next)))
			return true;
		if (w->automatic && !paused)
			pthread_cond_timedwait(&w->cond, &w->lock, next);
		else
			pthread_cond_wait(&w->cond, &w->lock);
	}
}

static void *run(void *arg)
{
	struct sync_worker *w = arg;
	struct store st;
	struct strbuf err = STRBUF_INIT;
	bool opened = store_open(&st, w->db_path, 0, &err) == 0;
	struct timespec next;
	deadline_in(&next, 0);
	int failures = 0;
	bool paused = false; /* the token was refused: only the clerk restarts */
	struct sync_options opt = { .cancel = &w->stop, .progress = w->progress,
				    .progress_arg = w->arg };

	pthread_mutex_lock(&w->lock);
	while (wait_for_work(w, &next, paused)) {
		unsigned requests = w->requests;
		w->requests = 0;
		w->nudged = false;
		pthread_mutex_unlock(&w->lock);

		struct sync_summary sum;
		sync_summary_init(&sum);
		enum sync_outcome o = SYNC_FAULT;
		char *message;
		bool ok = false;
		if (opened) {
			o = sync_run(&st, &opt, &sum);
			message = sync_outcome_text(o, &sum);
			ok = o == SYNC_DONE && !sum.nerrors;
		} else {
			message = xasprintf("Không mở được kho dữ liệu để đồng bộ: %s", err.buf);
		}
		sync_summary_release(&sum);
		w->notify(w->arg, ok, message, requests);

		paused = o == SYNC_DENIED || o == SYNC_UNCONFIGURED || !opened;
		long ms = (long)w->interval_s * 1000;
		if (o == SYNC_DONE)
			failures = 0;
		else if (o != SYNC_CANCELLED)
			ms = sync_backoff_ms(failures++, SYNC_BACKOFF_CAP_MS, randombytes_random());
		deadline_in(&next, ms);
		pthread_mutex_lock(&w->lock);
	}
	pthread_mutex_unlock(&w->lock);
	if (opened)
		store_close(&st);
	strbuf_release(&err);
	return NULL;
}

struct sync_worker *sync_worker_start(const char *db_path, bool automatic, long interval_s,
				      sync_worker_notify_fn *notify, sync_progress_fn *progress,
				      void *arg, struct strbuf *err)
{
	struct sync_worker *w = xcalloc(1, sizeof(*w));
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&w->cond, &ca);
	pthread_condattr_destroy(&ca);
	pthread_mutex_init(&w->lock, NULL);
	atomic_init(&w->stop, 0);
	w->automatic = automatic;
	w->interval_s = interval_s > 0 ? interval_s : SYNC_WORKER_INTERVAL_S;
	w->db_path = xstrdup(db_path);
	w->notify = notify;
	w->progress = progress;
	w->arg = arg;
	int rc = pthread_create(&w->thread, NULL, run, w);
	if (rc) {
		strbuf_addf(err, "không tạo được luồng đồng bộ: %s", strerror(rc));
		pthread_cond_destroy(&w->cond);
		pthread_mutex_destroy(&w->lock);
		free(w->db_path);
		free(w);
		return NULL;
	}
	return w;
}

void sync_worker_wake(struct sync_worker *w, bool requested)
{
	pthread_mutex_lock(&w->lock);
	if (requested)
		w->requests++;
	else
		w->nudged = true;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
}

void sync_worker_stop(struct sync_worker *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	atomic_store(&w->stop, 1);
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	pthread_cond_destroy(&w->cond);
	pthread_mutex_destroy(&w->lock);
	free(w->db_path);
	free(w);
}
