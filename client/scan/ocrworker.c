#include "client/scan/ocrworker.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "client/store/docstore.h"
#include "client/scan/ocr.h"

struct ocr_worker {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	atomic_int stop;
	unsigned requests; /* wakes not yet answered (under lock) */
	char *db_path;
	ocr_worker_notify_fn *notify;
	void *arg;
};

int ocr_pending_pass(struct store *st, const char *db_path, const atomic_int *stop, int *done,
		     int *failed, struct strbuf *err)
{
	char id[37], sha[65];
	int rc = DOCSTORE_NONE;
	while (!(stop && atomic_load(stop)) &&
	       (rc = docstore_next_ocr_pending(st, id, sha, err)) == DOCSTORE_OK) {
		char *file = docstore_file(db_path, sha);
		char *text = NULL;
		struct strbuf why = STRBUF_INIT;
		if (ocr_pdf(file, &text, &why))
			FREE(&text); /* stored as 'failed': the paper stays attached */
		strbuf_release(&why);
		free(file);
		/* the state leaves 'pending' either way, so the pass moves on */
		bool read = text != NULL;
		int set = docstore_set_ocr(st, id, text, err);
		free(text);
		if (set)
			return -1;
		if (read)
			(*done)++;
		else
			(*failed)++;
	}
	return rc < 0 ? -1 : 0;
}

/* Waits (lock held) for a request; false when stopping. */
static bool wait_for_work(struct ocr_worker *w)
{
	for (;;) {
		if (atomic_load(&w->stop))
			return false;
		if (w->requests)
			return true;
		pthread_cond_wait(&w->cond, &w->lock);
	}
}

static void *run(void *arg)
{
	struct ocr_worker *w = arg;
	struct store st;
	struct strbuf err = STRBUF_INIT;
	bool opened = store_open(&st, w->db_path, 0, &err) == 0;

	pthread_mutex_lock(&w->lock);
	while (wait_for_work(w)) {
		unsigned requests = w->requests;
		w->requests = 0;
		pthread_mutex_unlock(&w->lock);
		int done = 0, failed = 0;
		if (opened) {
			strbuf_reset(&err);
			ocr_pending_pass(&st, w->db_path, &w->stop, &done, &failed, &err);
		}
		w->notify(w->arg, done, failed, requests);
		pthread_mutex_lock(&w->lock);
	}
	pthread_mutex_unlock(&w->lock);
	if (opened)
		store_close(&st);
	strbuf_release(&err);
	return NULL;
}

struct ocr_worker *ocr_worker_start(const char *db_path, ocr_worker_notify_fn *notify, void *arg,
				    struct strbuf *err)
{
	struct ocr_worker *w = xcalloc(1, sizeof(*w));
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->cond, NULL);
	atomic_init(&w->stop, 0);
	w->db_path = xstrdup(db_path);
	w->notify = notify;
	w->arg = arg;
	int rc = pthread_create(&w->thread, NULL, run, w);
	if (rc) {
		strbuf_addf(err, "không tạo được luồng nhận dạng chữ: %s", strerror(rc));
		pthread_cond_destroy(&w->cond);
		pthread_mutex_destroy(&w->lock);
		free(w->db_path);
		free(w);
		return NULL;
	}
	return w;
}

void ocr_worker_wake(struct ocr_worker *w)
{
	pthread_mutex_lock(&w->lock);
	w->requests++;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
}

void ocr_worker_stop(struct ocr_worker *w)
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
