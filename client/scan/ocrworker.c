/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reading the papers' text page by page; see ocrworker.h. */
#include "client/scan/ocrworker.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "client/base/files.h"
#include "client/base/sealed.h"
#include "client/scan/ocr.h"
#include "client/store/docstore.h"

/* Papers taken from the store at a time (more are taken as these end). */
#define PAPERS_AT_ONCE 8

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

/* ---- the folders ---- */

static char *ocr_root(const char *db_path)
{
	const char *slash = strrchr(db_path, '/');
	return slash ? xasprintf("%.*s/ocr", (int)(slash - db_path), db_path) : xstrdup("ocr");
}

char *ocr_pages_dir(const char *db_path, const char *doc_id)
{
	char *root = ocr_root(db_path);
	char *dir = xasprintf("%s/%s", root, doc_id);
	free(root);
	return dir;
}

int ocr_keep_pages(struct pagestore *ps, const char *db_path, const char *doc_id,
		   struct strbuf *err)
{
	char *root = ocr_root(db_path);
	char *dir = ocr_pages_dir(db_path, doc_id);
	int rc = 0;
	if ((mkdir(root, 0700) && errno != EEXIST) || rename(ps->dir, dir))
		rc = pagestore_remove(ps, err); /* read from the PDF then */
	else
		pagestore_release(ps);
	free(dir);
	free(root);
	return rc;
}

/* Removes every file of dir, then dir. */
/* An exclusive lock on the folder dir (the fd holding it), or -1 when it is
 * missing or another process holds it. */
static int lock_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB)) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* ---- a paper being read ---- */

struct paper;

struct page_tag {
	struct paper *p;
	size_t i;
};

struct paper {
	char id[37];
	char *dir;             /* its pages folder, or a temporary folder of its PDF's */
	char *tmp;             /* a temporary folder (in memory) of the pages
	                        * enlarged or put together for tesseract, or NULL */
	int lock;              /* the pages folder's lock, or -1 */
	bool kept;             /* dir is the pages folder, ps its pages */
	struct pagestore ps;
	char **pngs;           /* else: the PDF's pages rendered */
	size_t n;              /* pages */
	char **texts;          /* each page's, once read */
	struct page_tag *tags;
	size_t next;           /* the next page to start */
	size_t running, read;
	bool failed;
};

static char *text_file(const struct paper *p, size_t i)
{
	return xasprintf("%s/%.7s.txt", p->dir, p->ps.pages[i].file);
}

/* Where page i goes when tesseract is given it enlarged or put together:
 * never beside the page (a sealed page's plaintext must not reach the
 * disk), but in a folder in memory (ocr_render_base), made at the first
 * such page; NULL when it cannot be made. */
static char *scaled_file(struct paper *p, size_t i)
{
	if (!p->tmp) {
		char *tmp = xasprintf("%s/motcua-ocr-XXXXXX", ocr_render_base());
		if (!mkdtemp(tmp)) {
			free(tmp);
			return NULL;
		}
		p->tmp = tmp;
	}
	return xasprintf("%s/%.7s.pgm", p->tmp, p->ps.pages[i].file);
}

/* A page's text kept beside it (sealed in an encrypted store), or NULL. */
static char *read_text(const char *path)
{
	if (access(path, F_OK))
		return NULL;
	unsigned char *data = NULL;
	size_t n = 0;
	struct strbuf err = STRBUF_INIT;
	int rc = sealed_read_all(path, &data, &n, &err);
	strbuf_release(&err);
	return rc ? NULL : (char *)data;
}

static void paper_free(struct paper *p)
{
	if (p->kept)
		pagestore_release(&p->ps);
	else if (p->dir)
		files_remove_dir(p->dir); /* the PDF's pages rendered: made again next time */
	for (size_t i = 0; i < p->n; i++) {
		free(p->texts[i]);
		if (p->pngs)
			free(p->pngs[i]);
	}
	free(p->pngs);
	free(p->texts);
	free(p->tags);
	if (p->tmp)
		files_remove_dir(p->tmp);
	free(p->tmp);
	if (p->lock >= 0)
		close(p->lock);
	free(p->dir);
	free(p);
}

static void paper_pages(struct paper *p, size_t n)
{
	p->n = n;
	p->texts = xcalloc(n ? n : 1, sizeof(*p->texts));
	p->tags = xcalloc(n ? n : 1, sizeof(*p->tags));
	for (size_t i = 0; i < n; i++)
		p->tags[i] = (struct page_tag){ p, i };
}

/* The paper id: its kept pages (with the texts already read), or its PDF
 * rendered. NULL when another process is reading it. A PDF that cannot be
 * rendered gives a paper of no pages, failed. */
static struct paper *paper_open(const char *db_path, const struct docstore_ocr_todo *t)
{
	struct paper *p = xcalloc(1, sizeof(*p));
	snprintf(p->id, sizeof p->id, "%s", t->id);
	p->lock = -1;
	char *dir = ocr_pages_dir(db_path, t->id);
	struct stat st;
	if (!stat(dir, &st) && S_ISDIR(st.st_mode)) {
		p->lock = lock_dir(dir);
		if (p->lock < 0) {
			free(dir);
			free(p);
			return NULL;
		}
		struct strbuf err = STRBUF_INIT;
		if (!pagestore_open(&p->ps, dir, &err) && p->ps.n) {
			p->kept = true;
			p->dir = dir;
			dir = NULL;
			paper_pages(p, p->ps.n);
			for (size_t i = 0; i < p->n; i++) {
				char *f = text_file(p, i);
				p->texts[i] = read_text(f);
				free(f);
				if (p->texts[i])
					p->read++;
			}
			p->next = 0;
		} else if (!err.len) {
			pagestore_release(&p->ps);
		}
		strbuf_release(&err);
	}
	if (!p->kept) { /* its PDF, then */
		free(dir);
		/* rendered in memory when the machine has a folder there */
		p->dir = xasprintf("%s/motcua-ocr-XXXXXX", ocr_render_base());
		struct strbuf err = STRBUF_INIT;
		int pages = 0;
		char *pdf = docstore_file(db_path, t->sha256);
		if (!mkdtemp(p->dir) || ocr_render_pdf(pdf, p->dir, &p->pngs, &pages, &err))
			p->failed = true;
		free(pdf);
		strbuf_release(&err);
		paper_pages(p, (size_t)pages);
	}
	return p;
}

/* The next page to read of p, or -1. */
static long next_page(struct paper *p)
{
	while (p->next < p->n && p->texts[p->next])
		p->next++;
	return p->next < p->n ? (long)p->next++ : -1;
}

/* The texts read so far, pages separated by form feeds. */
static char *joined(const struct paper *p)
{
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < p->n; i++) {
		if (i)
			strbuf_addch(&sb, '\f');
		if (p->texts[i])
			strbuf_addstr(&sb, p->texts[i]);
	}
	strbuf_addstr(&sb, "");
	return strbuf_detach(&sb);
}

/* Nothing more to read: every page read, or one failed (no other page
 * starts then) and those running are over. */
static bool complete(const struct paper *p)
{
	return !p->running && (p->failed || p->read == p->n);
}

/* The paper's text so far into the store; when it is complete, its state
 * and the folder goes. -1 with err when the store fails. */
static int paper_store(struct store *st, struct paper *p, int *done, int *failed,
		       struct strbuf *err)
{
	bool end = complete(p);
	const char *state = !end ? "pending" : p->failed ? "failed" : "done";
	char *text = p->n ? joined(p) : NULL;
	int rc = docstore_set_ocr_progress(st, p->id, text, state, err);
	free(text);
	if (rc)
		return -1;
	if (end) {
		if (p->failed)
			(*failed)++;
		else
			(*done)++;
		files_remove_dir(p->dir); /* the pages, their texts, or the rendered PDF */
	}
	return 0;
}

/* Pages folders of papers no longer pending (a program stopped between
 * storing a paper's text and removing its folder): removed, unless another
 * program holds them. The folders are listed before the store is asked, so
 * a paper filed meanwhile (its row first, then its folder) is never taken
 * for one. */
static int remove_stale(struct store *st, const char *db_path, struct strbuf *err)
{
	char *root = ocr_root(db_path);
	DIR *d = opendir(root);
	char **names = NULL;
	size_t n = 0;
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		names = xrealloc(names, (n + 1) * sizeof(*names));
		names[n++] = xstrdup(e->d_name);
	}
	if (d)
		closedir(d);
	int rc = 0;
	struct docstore_ocr_todo *todo = NULL;
	size_t m = 0;
	if (n && docstore_ocr_pending(st, (size_t)1 << 40, &todo, &m, err))
		rc = -1;
	for (size_t i = 0; i < n; i++) {
		bool pending = false;
		for (size_t k = 0; k < m && !pending; k++)
			pending = !strcmp(todo[k].id, names[i]);
		if (!rc && !pending) {
			char *dir = xasprintf("%s/%s", root, names[i]);
			int fd = lock_dir(dir);
			if (fd >= 0) {
				files_remove_dir(dir);
				close(fd);
			}
			free(dir);
		}
		free(names[i]);
	}
	free(names);
	free(todo);
	free(root);
	return rc;
}

/* ---- the pass ---- */

struct pass {
	struct store *st;
	const char *db_path, *only;
	struct ocr_pool *pool;
	struct paper **papers; /* being read */
	size_t npapers;
	char **seen;           /* ids taken in this pass */
	size_t nseen;
	bool all_taken;
	int *done, *failed;
	struct progress *progress; /* the pages read, or NULL */
	long long pages;           /* of the papers taken */
};

static bool seen(const struct pass *ps, const char *id)
{
	for (size_t i = 0; i < ps->nseen; i++)
		if (!strcmp(ps->seen[i], id))
			return true;
	return false;
}

static void drop(struct pass *ps, size_t k)
{
	paper_free(ps->papers[k]);
	memmove(ps->papers + k, ps->papers + k + 1, (ps->npapers - k - 1) * sizeof(*ps->papers));
	ps->npapers--;
}

/* Takes more pending papers from the store (the one paper ps->only, when
 * set). 0, or -1 with err. */
static int take(struct pass *ps, struct strbuf *err)
{
	struct docstore_ocr_todo *todo = NULL;
	size_t n = 0;
	if (ps->only) {
		todo = xcalloc(1, sizeof(*todo));
		snprintf(todo->id, sizeof todo->id, "%s", ps->only);
		int r = docstore_sha256(ps->st, ps->only, todo->sha256, err);
		if (r == DOCSTORE_FAULT) {
			free(todo);
			return -1;
		}
		n = r == DOCSTORE_OK;
	} else if (docstore_ocr_pending(ps->st, ps->nseen + PAPERS_AT_ONCE, &todo, &n, err)) {
		return -1;
	}
	size_t added = 0;
	for (size_t i = 0; i < n && added < PAPERS_AT_ONCE; i++) {
		if (seen(ps, todo[i].id))
			continue;
		added++;
		ps->seen = xrealloc(ps->seen, (ps->nseen + 1) * sizeof(*ps->seen));
		ps->seen[ps->nseen++] = xstrdup(todo[i].id);
		struct paper *p = paper_open(ps->db_path, &todo[i]);
		if (!p)
			continue; /* another program reads it */
		ps->papers = xrealloc(ps->papers, (ps->npapers + 1) * sizeof(*ps->papers));
		ps->papers[ps->npapers++] = p;
		if (ps->progress) {
			ps->pages += (long long)p->n;
			progress_total(ps->progress, ps->pages);
			progress_add(ps->progress, (long long)p->read);
		}
		if (complete(p)) { /* nothing left to read: a pass stopped after its last page */
			int rc = paper_store(ps->st, p, ps->done, ps->failed, err);
			drop(ps, ps->npapers - 1);
			if (rc) {
				free(todo);
				return -1;
			}
		}
	}
	if (!added)
		ps->all_taken = true;
	free(todo);
	return 0;
}

/* Starts pages until the pool is full or nothing is left to start. */
static int fill(struct pass *ps, struct strbuf *err)
{
	while (!ocr_pool_full(ps->pool)) {
		struct paper *p = NULL;
		long i = -1;
		for (size_t k = 0; k < ps->npapers && i < 0; k++) {
			if (ps->papers[k]->failed)
				continue;
			p = ps->papers[k];
			i = next_page(p);
		}
		if (i < 0) {
			if (ps->all_taken)
				return 0;
			if (take(ps, err))
				return -1;
			continue;
		}
		char *path = NULL;
		int dpi = OCR_DPI;
		struct strbuf why = STRBUF_INIT;
		int rc;
		if (p->kept) {
			char *tmp = scaled_file(p, (size_t)i);
			if (tmp)
				rc = ocr_image_for(&p->ps, (size_t)i, tmp, &path, &dpi, &why);
			else
				rc = -1;
			free(tmp);
		} else {
			path = xstrdup(p->pngs[i]);
			rc = 0;
		}
		if (!rc)
			rc = ocr_pool_start(ps->pool, path, dpi, &p->tags[i], &why);
		if (rc)
			p->failed = true; /* stored as such once its pages being read end */
		else
			p->running++;
		free(path);
		strbuf_release(&why);
	}
	return 0;
}

int ocr_pending_pass(struct store *st, const char *db_path, const char *only,
		     const atomic_int *stop, int *done, int *failed, struct strbuf *err)
{
	return ocr_pending_pass_progress(st, db_path, only, stop, NULL, done, failed, err);
}

int ocr_pending_pass_progress(struct store *st, const char *db_path, const char *only,
			      const atomic_int *stop, struct progress *progress, int *done,
			      int *failed, struct strbuf *err)
{
	if (!only && remove_stale(st, db_path, err))
		return -1;
	struct pass ps = { st, db_path, only, ocr_pool_new(ocr_workers()), NULL, 0, NULL, 0,
			   false, done, failed, progress, 0 };
	int rc = 0;
	for (;;) {
		if (fill(&ps, err)) {
			rc = -1;
			break;
		}
		void *tag;
		char *text;
		struct strbuf why = STRBUF_INIT;
		int w = ocr_pool_wait(ps.pool, stop, &tag, &text, &why);
		strbuf_release(&why);
		if (w == 1 && !ps.npapers)
			break; /* nothing read, nothing left */
		if (w == 2)
			break; /* stopped: the pages read are kept */
		if (w == 1) { /* papers that failed before any page ran */
			for (size_t k = ps.npapers; k-- > 0;)
				if (complete(ps.papers[k])) {
					if (paper_store(st, ps.papers[k], done, failed, err))
						rc = -1;
					drop(&ps, k);
				}
			if (rc)
				break;
			continue;
		}
		struct page_tag *t = tag;
		struct paper *p = t->p;
		p->running--;
		if (text) {
			p->texts[t->i] = text;
			p->read++;
			if (progress)
				progress_add(progress, 1);
			if (p->kept) {
				char *f = text_file(p, t->i);
				struct strbuf ignored = STRBUF_INIT;
				/* lost only if the disk is full: the page is read again */
				pagestore_write_file(f, text, strlen(text), "chữ của trang",
						     &ignored);
				strbuf_release(&ignored);
				free(f);
			}
		} else {
			p->failed = true;
		}
		if (p->kept && p->tmp) { /* the page enlarged or put together goes at once */
			char *tmp = scaled_file(p, t->i);
			unlink(tmp);
			free(tmp);
		}
		if (paper_store(st, p, done, failed, err)) {
			rc = -1;
			break;
		}
		if (complete(p))
			for (size_t k = 0; k < ps.npapers; k++)
				if (ps.papers[k] == p) {
					drop(&ps, k);
					break;
				}
	}
	ocr_pool_free(ps.pool);
	while (ps.npapers)
		drop(&ps, ps.npapers - 1);
	free(ps.papers);
	for (size_t i = 0; i < ps.nseen; i++)
		free(ps.seen[i]);
	free(ps.seen);
	return rc;
}

/* ---- the TUI's thread ---- */

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
			ocr_pending_pass(&st, w->db_path, NULL, &w->stop, &done, &failed, &err);
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
