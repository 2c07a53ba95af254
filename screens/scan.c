/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Scanning the papers of a dossier, one component at a time.
 *
 * The screen shows one component of a dossier (PgUp/PgDn: the others), the
 * scanner and its settings (the device chosen once and remembered in the
 * store's settings with the source, the mode and the resolution), and the
 * pages scanned or imported so far, each with its size on disk. The pages
 * live in a pagestore folder of their own (client/scan/pagestore.h, under
 * scans/<dossier id>-<component>), so nothing already scanned is lost when
 * the scanner goes away, a file is refused or the program stops: they are
 * there again the next time the component is opened.
 *
 * Work that may block (finding the scanners, a batch of pages, importing a
 * file, writing the PDF) runs in a worker thread, one job at a time. While
 * a job runs the pagestore is the worker's: the main thread draws from its
 * own copy of the page list (rows), updated by the events the worker posts
 * (app_post_event), and touches the pagestore again only after the job's
 * last event. Each job is busy work for the app (app_busy_begin/end), so a
 * headless script waits for it.
 *
 * F2 asks for the paper's metadata (kind, number, issuer, dates) and saves
 * the pages as ONE compact PDF (client/scan/docpdf.h) filed in the document
 * store by its SHA-256 (client/store/docstore.h): the component is then
 * digitized, the pages handed to the OCR worker (ocr_keep_pages: it reads
 * them as they are, then removes them) and the worker woken; the screen
 * moves on to the next component still to scan. */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "client/base/files.h"
#include "client/tui/app.h"
#include "client/base/clock.h"
#include "client/tui/dialog.h"
#include "client/scan/docpdf.h"
#include "client/store/docstore.h"
#include "client/scan/fileimport.h"
#include "client/scan/ocrworker.h"
#include "client/tui/listview.h"
#include "client/scan/pagestore.h"
#include "client/scan/scan.h"
#include "core/datetime.h"
#include "core/text.h"
#include "screens/screens.h"

/* The resolutions the clerk cycles through (d). */
static const int dpis[] = { 100, 150, 200, 300, 400, 600 };
#define NDPIS (sizeof(dpis) / sizeof(dpis[0]))

/* ---- state ---------------------------------------------------------------- */

struct comp {
	int seq;
	char *name;
	bool digitized;
	char *doc_kind;       /* the paper attached, when digitized */
	char *doc_sha;
	int doc_pages;
	long long doc_bytes;
};

/* One page as the list shows it. */
struct row {
	enum page_kind kind;
	int width, height, dpi;
	long long bytes;
};

enum job_kind { JOB_DEVICES, JOB_SCAN, JOB_RESCAN, JOB_IMPORT, JOB_PDF };

struct scan_view;

/* A job for the worker thread. The main thread creates it and frees it in
 * the job's last event; v is cleared when the screen goes first. */
struct job {
	enum job_kind kind;
	struct app *app;
	struct scan_view *v;     /* main thread only */
	pthread_t thread;
	bool joined;             /* main thread only */
	struct pagestore *ps;    /* the worker's while the job runs */
	size_t before;           /* pages before the job */
	/* in */
	char *device, *path, *title, *date;
	struct scan_settings set;
	bool automatic;          /* the pages kept as pageauto.h chooses */
	size_t index;            /* JOB_RESCAN: the page scanned again */
	/* cancel (SCAN, RESCAN) */
	pthread_mutex_t lock;
	struct scanner *scanner; /* open while not NULL (under lock) */
	bool cancel;             /* under lock */
	int shown;               /* the worker's last progress step posted */
	/* out */
	int rc;
	bool bad;
	struct strbuf err;
	struct scan_result r;
	struct scan_device_list devs;
	size_t added;
	struct docpdf_info info;
};

enum scan_mode {
	SM_PAGES,   /* the pages */
	SM_DEVICES, /* choosing the scanner */
	SM_DIALOG,  /* the import path, or deleting a page */
	SM_META     /* the paper's metadata before saving */
};

enum { MF_KIND, MF_NUMBER, MF_ISSUER, MF_ISSUED, MF_EXPIRES, N_MF };

static const char *const meta_labels[N_MF] = { "Loại giấy tờ:", "Số, ký hiệu:", "Nơi cấp:",
					       "Ngày cấp:", "Có giá trị đến:" };

struct scan_view {
	struct app *app;
	char dossier_id[37];
	char *code;
	struct comp *comps;
	size_t ncomps, cur;
	struct pagestore ps;
	bool ps_open;
	struct row *rows;
	size_t nrows, rows_alloc;
	size_t sel, top;
	int page_rows;           /* rows of pages shown by the last draw */
	/* the list the framework moves (scan_list): the pages, or the scanners
	 * while choosing one; sel and dev_sel are kept, the jobs move them too */
	struct listview nav;
	char *device;            /* setting scan_device, or NULL */
	struct scan_settings set;
	bool automatic;          /* scan_mode auto (set.mode is then PAGE_COLOR) */
	struct job *job;         /* running, or NULL */
	char *progress;          /* what the running job is doing */
	enum scan_mode mode;
	struct scan_device_list devs;
	size_t dev_sel;
	bool scan_after_pick;    /* s with no scanner chosen: scan once chosen */
	struct dialog dlg;
	bool dlg_live;
	enum { DLG_DELETE, DLG_IMPORT, DLG_MESSAGE } dlg_what;
	struct field meta[N_MF];
	int focus;
	char *meta_vals[N_MF];   /* what is being saved (JOB_PDF) */
};

/* ---- small helpers -------------------------------------------------------- */

static const char *kind_vn(enum page_kind k)
{
	switch (k) {
	case PAGE_COLOR: return "Màu";
	case PAGE_GRAY: return "Xám";
	case PAGE_MIXED: return "Hỗn hợp";
	default: return "Đen trắng";
	}
}

static const char *mode_vn(const struct scan_view *v)
{
	return v->automatic ? "Tự động" : kind_vn(v->set.mode);
}

static const char *source_vn(enum scan_source s)
{
	return s == SCAN_ADF ? "Khay nạp giấy" : "Mặt kính";
}

/* "812 byte", "45 KB", "12 MB". */
static void format_bytes(char *buf, size_t n, long long b)
{
	if (b < 10 * 1024)
		snprintf(buf, n, "%lld byte", b);
	else if (b < 10LL * 1024 * 1024)
		snprintf(buf, n, "%lld KB", (b + 512) / 1024);
	else
		snprintf(buf, n, "%lld MB", (b + 512 * 1024) / (1024 * 1024));
}

/* ---- settings ------------------------------------------------------------- */

static void load_settings(struct scan_view *v)
{
	struct store *st = &v->app->store;
	free(v->device);
	v->device = store_get_setting(st, "scan_device");
	if (v->device && !*v->device)
		FREE(&v->device);
	/* by default each page is kept as compact as what is on it allows */
	v->set = (struct scan_settings){ SCAN_FLATBED, PAGE_COLOR, SCAN_DEFAULT_DPI };
	v->automatic = true;
	char *s = store_get_setting(st, "scan_source");
	if (s && scan_source_parse(s) >= 0)
		v->set.source = (enum scan_source)scan_source_parse(s);
	free(s);
	s = store_get_setting(st, "scan_mode");
	if (s)
		scan_mode_parse(s, &v->set.mode, &v->automatic);
	free(s);
	s = store_get_setting(st, "scan_dpi");
	if (s && atoi(s) >= 50 && atoi(s) <= 1200)
		v->set.dpi = atoi(s);
	free(s);
}

static void save_setting(struct scan_view *v, const char *key, const char *value)
{
	if (store_set_setting(&v->app->store, key, value, NULL))
		app_error(v->app, "Không ghi được thiết lập máy quét vào kho dữ liệu");
}

/* ---- the dossier's components --------------------------------------------- */

static void comps_release(struct scan_view *v)
{
	for (size_t i = 0; i < v->ncomps; i++) {
		free(v->comps[i].name);
		free(v->comps[i].doc_kind);
		free(v->comps[i].doc_sha);
	}
	FREE(&v->comps);
	v->ncomps = 0;
}

/* The components worth scanning: mandatory, brought, or digitized already;
 * and want (a component number) whatever it is. -1 when none. */
static int load_comps(struct scan_view *v, int want)
{
	comps_release(v);
	struct docstore_components all = { 0 };
	struct strbuf err = STRBUF_INIT;
	if (docstore_components_load(&v->app->store, v->dossier_id, &all, &err))
		app_error(v->app, "%s", err.buf);
	strbuf_release(&err);
	size_t alloc = 0;
	for (size_t i = 0; i < all.n; i++) {
		struct docstore_component *c = &all.v[i];
		if (!c->wanted && c->seq != want)
			continue;
		if (v->ncomps == alloc) {
			alloc = alloc ? 2 * alloc : 8;
			v->comps = xrealloc(v->comps, alloc * sizeof(*v->comps));
		}
		v->comps[v->ncomps++] = (struct comp){
			.seq = c->seq,
			.name = c->name,
			.digitized = c->digitized,
			.doc_kind = c->doc_kind,
			.doc_pages = c->doc_pages,
			.doc_bytes = c->doc_bytes,
			.doc_sha = c->doc_sha256,
		};
		c->name = c->doc_kind = c->doc_sha256 = NULL; /* moved */
	}
	docstore_components_release(&all);
	return v->ncomps ? 0 : -1;
}

/* ---- pages ---------------------------------------------------------------- */

static void rows_set(struct scan_view *v, size_t i, const struct page_info *p)
{
	if (i >= v->rows_alloc) {
		v->rows_alloc = i + 16;
		v->rows = xrealloc(v->rows, v->rows_alloc * sizeof(*v->rows));
	}
	v->rows[i] = (struct row){ p->kind, p->width, p->height, p->dpi, p->bytes };
	if (i >= v->nrows)
		v->nrows = i + 1;
}

/* The list from the pagestore (main thread, no job running). */
static void rows_rebuild(struct scan_view *v)
{
	v->nrows = 0;
	for (size_t i = 0; v->ps_open && i < v->ps.n; i++)
		rows_set(v, i, &v->ps.pages[i]);
	if (v->sel >= v->nrows)
		v->sel = v->nrows ? v->nrows - 1 : 0;
}

static long long rows_bytes(const struct scan_view *v)
{
	long long b = 0;
	for (size_t i = 0; i < v->nrows; i++)
		b += v->rows[i].bytes;
	return b;
}

/* The scans folder (parent of every pages folder): removed when empty. */
static void remove_scans_dir(const char *pages_dir)
{
	char *scans = xstrdup(pages_dir);
	char *slash = strrchr(scans, '/');
	if (slash) {
		*slash = '\0';
		rmdir(scans); /* only when no other paper is being scanned */
	}
	free(scans);
}

/* Lets the pagestore go; an empty one leaves no folder behind. */
static void close_pages(struct scan_view *v)
{
	if (!v->ps_open)
		return;
	v->ps_open = false;
	if (v->ps.n) {
		pagestore_release(&v->ps);
		return;
	}
	char *dir = xstrdup(v->ps.dir);
	struct strbuf err = STRBUF_INIT;
	pagestore_remove(&v->ps, &err); /* releases it either way */
	strbuf_release(&err);
	remove_scans_dir(dir);
	free(dir);
}

/* Shows component i: its pages folder opened (the pages kept from before). */
static void show_comp(struct scan_view *v, size_t i)
{
	close_pages(v);
	v->cur = i;
	v->sel = v->top = 0;
	char *key = xasprintf("%s-%d", v->dossier_id, v->comps[i].seq);
	char *dir = pagestore_dir_for(v->app->store.path, key);
	struct strbuf err = STRBUF_INIT;
	if (pagestore_open(&v->ps, dir, &err))
		app_error(v->app, "%s", err.buf);
	else
		v->ps_open = true;
	strbuf_release(&err);
	free(dir);
	free(key);
	rows_rebuild(v);
}

/* ---- jobs (the worker thread) -------------------------------------------- */

static void job_free(struct job *j)
{
	free(j->device);
	free(j->path);
	free(j->title);
	free(j->date);
	strbuf_release(&j->err);
	scan_device_list_release(&j->devs);
	pthread_mutex_destroy(&j->lock);
	free(j);
}

struct page_event {
	struct job *job;
	size_t index;
	struct page_info info; /* file not set */
};

struct progress_event {
	struct job *job;
	int page, percent;
};

static void on_page(struct app *app, void *data)
{
	struct page_event *e = data;
	struct scan_view *v = e->job->v;
	(void)app;
	if (v) {
		rows_set(v, e->index, &e->info);
		v->sel = e->index;
		free(v->progress);
		char size[32];
		format_bytes(size, sizeof(size), e->info.bytes);
		v->progress = xasprintf("Đã quét trang %zu (%d × %d điểm ảnh, %d dpi, %s)",
					e->index + 1, e->info.width, e->info.height, e->info.dpi, size);
	}
	free(e);
}

static void on_progress(struct app *app, void *data)
{
	struct progress_event *e = data;
	struct scan_view *v = e->job->v;
	(void)app;
	if (v) {
		size_t page = e->job->kind == JOB_RESCAN ? e->job->index + 1
							 : e->job->before + (size_t)e->page + 1;
		free(v->progress);
		v->progress = xasprintf("Đang quét trang %zu: %d%%", page, e->percent);
	}
	free(e);
}

/* Worker: a page is complete; keep it first, then tell the main thread. */
static int job_keep_page(void *arg, int page, struct page_image *img, struct strbuf *err)
{
	struct job *j = arg;
	size_t at;
	(void)page;
	j->shown = 0;
	if (j->kind == JOB_RESCAN) {
		if (j->automatic ? pagestore_replace_auto(j->ps, j->index, img, err)
				 : pagestore_replace(j->ps, j->index, img, err))
			return -1;
		at = j->index;
	} else {
		if (j->automatic ? pagestore_add_auto(j->ps, img, err)
				 : pagestore_add(j->ps, img, err))
			return -1;
		at = j->ps->n - 1;
	}
	struct page_event *e = xcalloc(1, sizeof(*e));
	e->job = j;
	e->index = at;
	e->info = j->ps->pages[at];
	e->info.file = NULL;
	if (app_post_event(j->app, on_page, e))
		free(e);
	return 0;
}

static void job_progress(void *arg, int page, int percent)
{
	struct job *j = arg;
	if (percent < 0 || percent / 10 <= j->shown)
		return;
	j->shown = percent / 10;
	struct progress_event *e = xmalloc(sizeof(*e));
	*e = (struct progress_event){ j, page, percent };
	if (app_post_event(j->app, on_progress, e))
		free(e);
}

static void job_scan(struct job *j)
{
	struct scanner *s;
	if (scan_open(&s, j->device, &j->bad, &j->err)) {
		j->rc = -1;
		return;
	}
	pthread_mutex_lock(&j->lock);
	j->scanner = s;
	bool cancelled = j->cancel;
	pthread_mutex_unlock(&j->lock);
	j->r.end = SCAN_END_CANCELLED;
	int conf = cancelled ? 0 : scan_configure(s, &j->set, NULL, &j->bad, &j->err);
	if (conf && j->automatic && !j->bad) { /* a scanner without colour: grey, judged the same */
		strbuf_reset(&j->err);
		j->set.mode = PAGE_GRAY;
		conf = scan_configure(s, &j->set, NULL, &j->bad, &j->err);
	}
	if (conf) {
		j->rc = -1;
		j->r.end = SCAN_END_DEVICE;
	} else if (!cancelled) {
		/* a flatbed gives one page a press; the feeder until it is empty */
		int pages = j->kind == JOB_RESCAN || j->set.source == SCAN_FLATBED ? 1 : 0;
		struct scan_job job = { pages, job_keep_page, job_progress, NULL, j };
		j->rc = scan_run(s, &job, &j->r, &j->err);
	}
	pthread_mutex_lock(&j->lock);
	j->scanner = NULL;
	pthread_mutex_unlock(&j->lock);
	scan_close(s);
}

static void on_job_end(struct app *app, void *data);

static void *job_run(void *arg)
{
	struct job *j = arg;
	switch (j->kind) {
	case JOB_DEVICES:
		j->rc = scan_list_devices(&j->devs, &j->err);
		break;
	case JOB_SCAN:
	case JOB_RESCAN:
		job_scan(j);
		break;
	case JOB_IMPORT:
		j->rc = fileimport_file(j->ps, j->path, 0, &j->added, &j->err);
		break;
	case JOB_PDF:
		j->rc = docpdf_write(j->ps, j->path, j->title, j->date, &j->info, &j->err);
		break;
	}
	app_post_event(j->app, on_job_end, j);
	return NULL;
}

static struct job *job_new(struct scan_view *v, enum job_kind kind)
{
	struct job *j = xcalloc(1, sizeof(*j));
	j->kind = kind;
	j->app = v->app;
	j->v = v;
	j->ps = &v->ps;
	j->before = v->nrows;
	strbuf_init(&j->err);
	pthread_mutex_init(&j->lock, NULL);
	return j;
}

/* Starts j on its thread; false (j freed, the clerk told) when it cannot. */
static bool job_start(struct scan_view *v, struct job *j, const char *doing)
{
	int rc = pthread_create(&j->thread, NULL, job_run, j);
	if (rc) {
		app_error(v->app, "Không tạo được luồng làm việc: %s", strerror(rc));
		job_free(j);
		return false;
	}
	v->job = j;
	app_busy_begin(v->app);
	free(v->progress);
	v->progress = xstrdup(doing);
	return true;
}

/* ---- what a job ended with (main thread) ---------------------------------- */

/* A failure told in a box (wrapped, whole) until the clerk presses Enter. */
static void show_message(struct scan_view *v, const char *title, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void show_message(struct scan_view *v, const char *title, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *text = xvasprintf(fmt, ap);
	va_end(ap);
	if (v->dlg_live)
		dialog_release(&v->dlg);
	dialog_init_message(&v->dlg, title, text);
	free(text);
	v->dlg_live = true;
	v->dlg_what = DLG_MESSAGE;
	v->mode = SM_DIALOG;
}

/* scan.c says "máy quét ngừng ở trang N: why" with N counted in the batch:
 * why alone (borrowed from msg). */
static const char *scan_why(const char *msg)
{
	static const char head[] = "máy quét ngừng ở trang ";
	if (strncmp(msg, head, sizeof(head) - 1))
		return msg;
	const char *p = msg + sizeof(head) - 1;
	while (*p >= '0' && *p <= '9')
		p++;
	return p[0] == ':' && p[1] == ' ' ? p + 2 : msg;
}

static void end_devices(struct scan_view *v, struct job *j)
{
	if (j->rc) {
		app_error(v->app, "Không tìm được máy quét: %s", j->err.buf);
		return;
	}
	if (!j->devs.n) {
		app_error(v->app, "Không thấy máy quét: cắm, bật máy rồi nhấn v để tìm lại, hoặc i"
			  " để nhập tệp");
		return;
	}
	scan_device_list_release(&v->devs);
	v->devs = j->devs;
	memset(&j->devs, 0, sizeof(j->devs));
	v->dev_sel = 0;
	for (size_t i = 0; v->device && i < v->devs.n; i++)
		if (!strcmp(v->devs.v[i].name, v->device))
			v->dev_sel = i;
	v->mode = SM_DEVICES;
}

static void end_scan(struct scan_view *v, struct job *j)
{
	size_t kept = j->kind == JOB_RESCAN ? 0 : v->ps.n - j->before;
	if (j->rc && j->r.end == SCAN_END_STORE) {
		show_message(v, "Không giữ được trang vừa quét", "%s.\n\n%zu trang đã quét vẫn được"
			     " giữ.", j->err.buf, v->ps.n);
	} else if (j->rc && j->bad) {
		show_message(v, "Không dùng được máy quét", "%s.\n\nNhấn v để chọn máy quét khác,"
			     " hoặc i để nhập tệp.", j->err.buf);
	} else if (j->rc && j->r.end == SCAN_END_DEVICE) {
		show_message(v, "Máy quét lỗi", "Máy quét ngừng ở trang %zu: %s.\n\n%zu trang đã"
			     " quét vẫn được giữ. Kiểm tra máy quét (giấy kẹt, cáp, nguồn) rồi nhấn"
			     " s để quét tiếp.", (j->kind == JOB_RESCAN ? j->index : v->ps.n) + 1,
			     scan_why(j->err.buf), v->ps.n);
	} else if (j->rc) {
		show_message(v, "Máy quét lỗi", "%s.\n\n%zu trang đã quét vẫn được giữ.",
			     j->err.buf, v->ps.n);
	} else if (j->r.end == SCAN_END_CANCELLED) {
		app_info(v->app, "Đã dừng quét; %zu trang đã quét được giữ", v->ps.n);
	} else if (j->kind == JOB_RESCAN) {
		app_info(v->app, "Đã quét lại trang %zu", j->index + 1);
	} else {
		char size[32];
		format_bytes(size, sizeof(size), rows_bytes(v));
		app_info(v->app, "Đã quét %zu trang; tổng %zu trang, %s", kept, v->ps.n, size);
	}
	if (j->kind == JOB_RESCAN)
		v->sel = j->index;
	else if (kept)
		v->sel = v->ps.n - 1;
}

static void end_import(struct scan_view *v, struct job *j)
{
	if (j->rc)
		show_message(v, "Không nhập được tệp", "%s.\n\nKhông thêm trang nào; %zu trang đã"
			     " có vẫn được giữ.", j->err.buf, v->ps.n);
	else {
		app_info(v->app, "Đã nhập %zu trang từ %s", j->added, j->path);
		if (j->added)
			v->sel = v->ps.n - 1;
	}
}

static void meta_vals_release(struct scan_view *v)
{
	for (int i = 0; i < N_MF; i++)
		FREE(&v->meta_vals[i]);
}

/* The next component still to scan after the current one, or cur. */
static size_t next_to_scan(const struct scan_view *v)
{
	for (size_t k = 1; k < v->ncomps; k++) {
		size_t i = (v->cur + k) % v->ncomps;
		if (!v->comps[i].digitized)
			return i;
	}
	return v->cur;
}

static void end_pdf(struct scan_view *v, struct job *j)
{
	struct app *app = v->app;
	struct strbuf err = STRBUF_INIT;
	const struct docpdf_info *info = &j->info;
	struct comp *c = &v->comps[v->cur];
	if (j->rc) {
		show_message(v, "Chưa lưu được", "%s.\n\nCác trang vẫn được giữ.", j->err.buf);
		goto out;
	}
	bool created = false;
	if (docstore_file_in(app->store.path, j->path, info->sha256, &created, &err)) {
		unlink(j->path);
		show_message(v, "Chưa lưu được", "%s.\n\nCác trang vẫn được giữ.", err.buf);
		goto out;
	}
	struct mc_dt now;
	char doc_id[37];
	struct doc_meta m = { .kind = v->meta_vals[MF_KIND], .title = c->name,
			      .number = v->meta_vals[MF_NUMBER], .issuer = v->meta_vals[MF_ISSUER],
			      .issued_on = v->meta_vals[MF_ISSUED],
			      .expires_on = v->meta_vals[MF_EXPIRES] };
	int r = clock_now(&now) ? DOCSTORE_FAULT
				: docstore_attach_new(&app->store, v->code, c->seq, &m, info->sha256,
						      info->pages, info->bytes, app->clerk.username,
						      &now, doc_id, &err);
	if (r) {
		if (created) { /* nothing half-written: the file we filed goes too */
			char *file = docstore_file(app->store.path, info->sha256);
			unlink(file);
			free(file);
		}
		show_message(v, "Chưa lưu được", "%s.\n\nCác trang vẫn được giữ.",
			     err.len ? err.buf : "Không đọc được đồng hồ");
		goto out;
	}
	/* filed: the pages go to the OCR worker, which reads them as they are */
	char *dir = xstrdup(v->ps.dir);
	strbuf_reset(&err);
	v->ps_open = false;
	ocr_keep_pages(&v->ps, app->store.path, doc_id, &err); /* releases it either way */
	remove_scans_dir(dir);
	free(dir);
	int seq = c->seq;
	char total[32], per[32];
	format_bytes(total, sizeof(total), info->bytes);
	format_bytes(per, sizeof(per), info->bytes_per_page);
	char *msg = xasprintf("Đã lưu thành phần %d: %d trang, %s, %s/trang", seq, info->pages,
			      total, per);
	load_comps(v, seq);
	size_t here = 0;
	for (size_t i = 0; i < v->ncomps; i++)
		if (v->comps[i].seq == seq)
			here = i;
	v->cur = here;
	size_t next = next_to_scan(v);
	show_comp(v, next);
	if (next != here)
		app_info(app, "%s. Tiếp: thành phần %d", msg, v->comps[next].seq);
	else
		app_info(app, "%s", msg);
	free(msg);
	app_ocr_wake(app); /* its text, for the search */
out:
	meta_vals_release(v);
	strbuf_release(&err);
}

static void on_job_end(struct app *app, void *data)
{
	struct job *j = data;
	if (!j->joined)
		pthread_join(j->thread, NULL);
	app_busy_end(app);
	struct scan_view *v = j->v;
	if (v) {
		v->job = NULL;
		FREE(&v->progress);
		if (j->kind != JOB_DEVICES)
			rows_rebuild(v);
		switch (j->kind) {
		case JOB_DEVICES: {
			bool then_scan = v->scan_after_pick;
			end_devices(v, j);
			v->scan_after_pick = then_scan && v->mode == SM_DEVICES;
			break;
		}
		case JOB_SCAN:
		case JOB_RESCAN: end_scan(v, j); break;
		case JOB_IMPORT: end_import(v, j); break;
		case JOB_PDF: end_pdf(v, j); break;
		}
	}
	job_free(j);
}

/* Stops a batch: the page being scanned is dropped, those before it kept. */
static void job_cancel(struct job *j)
{
	pthread_mutex_lock(&j->lock);
	j->cancel = true;
	if (j->scanner)
		scan_cancel(j->scanner);
	pthread_mutex_unlock(&j->lock);
}

/* ---- starting jobs -------------------------------------------------------- */

static int start_devices(struct scan_view *v, bool then_scan)
{
	v->scan_after_pick = then_scan;
	job_start(v, job_new(v, JOB_DEVICES), "Đang tìm máy quét...");
	return SCR_HANDLED;
}

static int start_scan(struct scan_view *v, bool rescan)
{
	if (!v->ps_open) {
		app_error(v->app, "Không mở được thư mục trang của thành phần này");
		return SCR_HANDLED;
	}
	if (!v->device)
		return start_devices(v, !rescan);
	if (rescan && !v->nrows) {
		app_error(v->app, "Chưa có trang nào để quét lại: nhấn s để quét");
		return SCR_HANDLED;
	}
	struct job *j = job_new(v, rescan ? JOB_RESCAN : JOB_SCAN);
	j->device = xstrdup(v->device);
	j->set = v->set;
	j->automatic = v->automatic;
	j->index = v->sel;
	char *doing = rescan ? xasprintf("Đang quét lại trang %zu...", v->sel + 1)
			     : xasprintf("Đang quét trang %zu...", v->nrows + 1);
	job_start(v, j, doing);
	free(doing);
	return SCR_HANDLED;
}

/* "~/x" is in the home folder. */
static char *expand_path(const char *typed)
{
	const char *home = getenv("HOME");
	if (typed[0] == '~' && (typed[1] == '/' || !typed[1]) && home)
		return xasprintf("%s%s", home, typed + 1);
	return xstrdup(typed);
}

static void start_import(struct scan_view *v, const char *typed)
{
	struct job *j = job_new(v, JOB_IMPORT);
	size_t n = strlen(typed);
	if (n >= 2 && (typed[0] == '\'' || typed[0] == '"') && typed[n - 1] == typed[0]) {
		char *inner = xstrndup(typed + 1, n - 2);
		j->path = expand_path(inner);
		free(inner);
	} else {
		j->path = expand_path(typed);
	}
	char *doing = xasprintf("Đang nhập tệp %s...", j->path);
	job_start(v, j, doing);
	free(doing);
}

/* ---- the metadata form ---------------------------------------------------- */

static void meta_release(struct scan_view *v)
{
	for (int i = 0; i < N_MF; i++)
		field_release(&v->meta[i]);
}

static void meta_open(struct scan_view *v)
{
	if (!v->nrows) {
		app_error(v->app, "Chưa có trang nào: quét (s) hoặc nhập tệp (i) trước khi lưu");
		return;
	}
	meta_release(v);
	for (int i = 0; i < N_MF; i++) {
		bool date = i == MF_ISSUED || i == MF_EXPIRES;
		field_init(&v->meta[i], date ? 10 : 200, date ? FIELD_NO_TELEX : 0);
		if (date)
			field_set_hint(&v->meta[i], "dd/mm/yyyy");
	}
	field_set_text(&v->meta[MF_KIND], v->comps[v->cur].name);
	field_home(&v->meta[MF_KIND]); /* its start shown, not its end */
	v->meta[MF_KIND].scroll = 0;
	v->focus = MF_NUMBER;
	v->mode = SM_META;
}

/* A date field as YYYY-MM-DD in *out (NULL when empty); false with the
 * clerk told when it is not a date. */
static bool meta_date(struct scan_view *v, int f, char **out)
{
	char *s = field_value(&v->meta[f]);
	*out = NULL;
	if (!*s) {
		free(s);
		return true;
	}
	struct mc_date d;
	if (mc_parse_date_vn(s, &d)) {
		app_error(v->app, "%s «%s» không phải một ngày (dd/mm/yyyy)", meta_labels[f], s);
		free(s);
		v->focus = f;
		return false;
	}
	free(s);
	char iso[16];
	mc_format_date(iso, sizeof(iso), d.y, d.m, d.d);
	*out = xstrdup(iso);
	return true;
}

static int meta_save(struct scan_view *v)
{
	char *issued, *expires;
	if (!meta_date(v, MF_ISSUED, &issued))
		return SCR_HANDLED;
	if (!meta_date(v, MF_EXPIRES, &expires)) {
		free(issued);
		return SCR_HANDLED;
	}
	if (issued && expires && strcmp(expires, issued) < 0) {
		app_error(v->app, "Ngày hết hạn trước ngày cấp");
		v->focus = MF_EXPIRES;
		free(issued);
		free(expires);
		return SCR_HANDLED;
	}
	meta_vals_release(v);
	for (int i = MF_KIND; i <= MF_ISSUER; i++) {
		v->meta_vals[i] = field_value(&v->meta[i]);
		if (!*v->meta_vals[i])
			FREE(&v->meta_vals[i]);
	}
	if (!v->meta_vals[MF_KIND])
		v->meta_vals[MF_KIND] = xstrdup(v->comps[v->cur].name);
	v->meta_vals[MF_ISSUED] = issued;
	v->meta_vals[MF_EXPIRES] = expires;

	char *docs = docstore_dir(v->app->store.path);
	if (mkdir(docs, 0700) && errno != EEXIST) {
		app_error(v->app, "Không tạo được thư mục %s: %s", docs, files_errno_vn(errno));
		free(docs);
		meta_vals_release(v);
		return SCR_HANDLED;
	}
	char uuid[37];
	store_uuid7(uuid);
	struct job *j = job_new(v, JOB_PDF);
	j->path = xasprintf("%s/.incoming-%s.pdf", docs, uuid);
	free(docs);
	j->title = xstrdup(v->comps[v->cur].name);
	struct mc_dt now;
	char date[32];
	if (!clock_now(&now)) {
		mc_format_dt(date, sizeof(date), &now);
		j->date = xstrdup(date);
	}
	v->mode = SM_PAGES;
	if (!job_start(v, j, "Đang ghi tệp PDF..."))
		meta_vals_release(v);
	return SCR_HANDLED;
}

static int meta_key(struct scan_view *v, enum action act, const struct key_event *ev)
{
	struct field *f = &v->meta[v->focus];
	if (act == ACTION_QUIT || act == ACTION_HELP || act == ACTION_TOGGLE_TELEX)
		return SCR_IGNORED;
	wint_t c = key_event_char(ev);
	if (!c) {
		switch (act) {
		case ACTION_BACK:
			v->mode = SM_PAGES;
			return SCR_HANDLED;
		case ACTION_SAVE:
			return meta_save(v);
		case ACTION_CONFIRM:
			if (v->focus == N_MF - 1)
				return meta_save(v);
			v->focus++;
			return SCR_HANDLED;
		case ACTION_NEXT_FIELD:
		case ACTION_MOVE_DOWN:
			v->focus = (v->focus + 1) % N_MF;
			return SCR_HANDLED;
		case ACTION_PREV_FIELD:
		case ACTION_MOVE_UP:
			v->focus = (v->focus + N_MF - 1) % N_MF;
			return SCR_HANDLED;
		default:
			break;
		}
	}
	if (!(f->flags & FIELD_NO_TELEX))
		field_set_telex(f, v->app->telex);
	field_key(f, ev->edit, c);
	return SCR_HANDLED;
}

/* ---- keys ----------------------------------------------------------------- */

static int devices_key(struct scan_view *v, enum action act)
{
	if (listview_moves(NULL, act))
		return SCR_IGNORED; /* scan_list (Tab too) */
	switch (act) {
	case ACTION_BACK:
		v->mode = SM_PAGES;
		v->scan_after_pick = false;
		return SCR_HANDLED;
	case ACTION_CONFIRM: {
		free(v->device);
		v->device = xstrdup(v->devs.v[v->dev_sel].name);
		save_setting(v, "scan_device", v->device);
		v->mode = SM_PAGES;
		app_info(v->app, "Đã chọn máy quét %s", v->device);
		if (v->scan_after_pick) {
			v->scan_after_pick = false;
			return start_scan(v, false);
		}
		return SCR_HANDLED;
	}
	case ACTION_QUIT:
	case ACTION_HELP:
		return SCR_IGNORED;
	default:
		return SCR_HANDLED;
	}
}

static void dialog_end(struct scan_view *v)
{
	if (v->dlg_live)
		dialog_release(&v->dlg);
	v->dlg_live = false;
	v->mode = SM_PAGES;
}

static int delete_page(struct scan_view *v)
{
	struct strbuf err = STRBUF_INIT;
	size_t i = v->sel;
	if (pagestore_delete(&v->ps, i, &err))
		app_error(v->app, "%s", err.buf);
	else
		app_info(v->app, "Đã xóa trang %zu; còn %zu trang", i + 1, v->ps.n);
	strbuf_release(&err);
	rows_rebuild(v);
	return SCR_HANDLED;
}

static int dialog_key_scan(struct scan_view *v, enum action act, const struct key_event *ev)
{
	if (act == ACTION_QUIT)
		return SCR_IGNORED;
	enum widget_rc rc = dialog_key(&v->dlg, ev->edit, key_event_char(ev));
	if (rc == WIDGET_CANCEL) {
		dialog_end(v);
	} else if (rc == WIDGET_DONE) {
		int what = v->dlg_what;
		char *typed = dialog_value(&v->dlg);
		dialog_end(v);
		if (what == DLG_DELETE)
			delete_page(v);
		else if (what == DLG_IMPORT)
			start_import(v, typed);
		free(typed);
	}
	return SCR_HANDLED;
}

static int move_page(struct scan_view *v, int delta)
{
	if (!v->nrows)
		return SCR_HANDLED;
	size_t to = v->sel;
	if (delta < 0 && v->sel > 0)
		to = v->sel - 1;
	else if (delta > 0 && v->sel + 1 < v->nrows)
		to = v->sel + 1;
	if (to == v->sel)
		return SCR_HANDLED;
	struct strbuf err = STRBUF_INIT;
	if (pagestore_move(&v->ps, v->sel, to, &err)) {
		app_error(v->app, "%s", err.buf);
	} else {
		app_info(v->app, "Trang %zu thành trang %zu", v->sel + 1, to + 1);
		v->sel = to;
	}
	strbuf_release(&err);
	rows_rebuild(v);
	return SCR_HANDLED;
}

static int cycle_setting(struct scan_view *v, enum action act)
{
	char buf[16];
	switch (act) {
	case ACTION_SCAN_SOURCE:
		v->set.source = v->set.source == SCAN_FLATBED ? SCAN_ADF : SCAN_FLATBED;
		save_setting(v, "scan_source", scan_source_name(v->set.source));
		break;
	case ACTION_SCAN_MODE:
		/* colour, grey, black and white, automatic */
		if (v->automatic) {
			v->automatic = false;
			v->set.mode = PAGE_COLOR;
		} else if (v->set.mode == PAGE_LINEART) {
			v->automatic = true;
			v->set.mode = PAGE_COLOR;
		} else {
			v->set.mode = v->set.mode == PAGE_COLOR ? PAGE_GRAY : PAGE_LINEART;
		}
		save_setting(v, "scan_mode", scan_mode_name(v->set.mode, v->automatic));
		break;
	default: {
		size_t i = 0;
		while (i < NDPIS && dpis[i] <= v->set.dpi)
			i++;
		v->set.dpi = dpis[i < NDPIS ? i : 0];
		snprintf(buf, sizeof(buf), "%d", v->set.dpi);
		save_setting(v, "scan_dpi", buf);
		break;
	}
	}
	return SCR_HANDLED;
}

static int switch_comp(struct scan_view *v, int delta)
{
	if (v->ncomps < 2)
		return SCR_HANDLED;
	size_t i = (v->cur + v->ncomps + (size_t)(delta < 0 ? v->ncomps - 1 : 1)) % v->ncomps;
	show_comp(v, i);
	return SCR_HANDLED;
}

static int pages_key(struct scan_view *v, enum action act)
{
	switch (act) {
	case ACTION_PREV_COMPONENT:
		return switch_comp(v, -1);
	case ACTION_NEXT_COMPONENT:
		return switch_comp(v, 1);
	case ACTION_SCAN:
		return start_scan(v, false);
	case ACTION_RESCAN:
		return start_scan(v, true);
	case ACTION_SCAN_DEVICE:
		return start_devices(v, false);
	case ACTION_SCAN_SOURCE:
	case ACTION_SCAN_MODE:
	case ACTION_SCAN_DPI:
		return cycle_setting(v, act);
	case ACTION_PAGE_EARLIER:
		return move_page(v, -1);
	case ACTION_PAGE_LATER:
		return move_page(v, 1);
	case ACTION_DELETE_PAGE: {
		if (!v->nrows)
			return SCR_HANDLED;
		char *q = xasprintf("Xóa trang %zu của thành phần %d?", v->sel + 1,
				    v->comps[v->cur].seq);
		dialog_init_confirm(&v->dlg, "Xóa trang", q, false);
		free(q);
		v->dlg_live = true;
		v->dlg_what = DLG_DELETE;
		v->mode = SM_DIALOG;
		return SCR_HANDLED;
	}
	case ACTION_IMPORT_FILE:
		if (!v->ps_open) {
			app_error(v->app, "Không mở được thư mục trang của thành phần này");
			return SCR_HANDLED;
		}
		dialog_init_prompt(&v->dlg, "Nhập tệp",
				   "Đường dẫn tệp PDF, JPEG, PNG hoặc TIFF (trên máy hoặc USB):",
				   1000, true);
		v->dlg.field.flags |= FIELD_NO_TELEX;
		v->dlg_live = true;
		v->dlg_what = DLG_IMPORT;
		v->mode = SM_DIALOG;
		return SCR_HANDLED;
	case ACTION_SAVE:
		meta_open(v);
		return SCR_HANDLED;
	default:
		return SCR_IGNORED; /* the moves: scan_list */
	}
}

static int scan_handle(struct app *app, void *priv, enum action act, const struct key_event *ev)
{
	struct scan_view *v = priv;
	(void)app;
	if (v->job) {
		if (act == ACTION_QUIT || act == ACTION_HELP || act == ACTION_REFRESH)
			return SCR_IGNORED;
		if (act == ACTION_BACK && (v->job->kind == JOB_SCAN || v->job->kind == JOB_RESCAN)) {
			job_cancel(v->job);
			free(v->progress);
			v->progress = xstrdup("Đang dừng quét...");
			return SCR_HANDLED;
		}
		app_info(v->app, "Xin chờ: %s", v->progress ? v->progress : "đang làm việc");
		return SCR_HANDLED;
	}
	switch (v->mode) {
	case SM_DEVICES: return devices_key(v, act);
	case SM_DIALOG: return dialog_key_scan(v, act, ev);
	case SM_META: return meta_key(v, act, ev);
	case SM_PAGES: break;
	}
	return pages_key(v, act);
}

/* The pages, or the scanners while choosing one: the model is set from the
 * selection the screen keeps (a job may move it), moved by the framework,
 * then read back by scan_moved. */
static struct listview *scan_list(struct app *app, void *priv, enum action act)
{
	struct scan_view *v = priv;
	if (v->job || (v->mode != SM_PAGES && v->mode != SM_DEVICES))
		return NULL;
	bool devs = v->mode == SM_DEVICES;
	size_t n = devs ? v->devs.n : v->nrows;
	int h = devs ? (int)v->devs.n : v->page_rows;
	listview_set_count(&v->nav, n);
	listview_set_height(&v->nav, h > 0 ? h : 1);
	v->nav.tab = devs;
	listview_select(&v->nav, devs ? v->dev_sel : v->sel);
	return &v->nav;
}

static void scan_moved(struct app *app, void *priv, struct listview *lv)
{
	struct scan_view *v = priv;
	if (v->mode == SM_DEVICES)
		v->dev_sel = lv->selected;
	else
		v->sel = lv->selected;
}

/* ---- drawing -------------------------------------------------------------- */

static void draw_line(WINDOW *win, int y, int x, int w, enum style st, const char *s)
{
	wattrset(win, term_style(st));
	term_text(win, y, x, w, s);
}

/* Left and right parts of a line. */
static void draw_split(WINDOW *win, int y, int x, int w, enum style ls, const char *left,
		       enum style rs, const char *right)
{
	int rw = mc_text_width(right);
	if (rw > w / 2)
		rw = w / 2;
	draw_line(win, y, x, w - rw - 1, ls, left);
	draw_line(win, y, x + w - rw, rw, rs, right);
}

enum { PC_NO, PC_MODE, PC_SIZE, PC_DPI, PC_BYTES, N_PC };

static char *page_line(const struct row *r, size_t i, int width)
{
	struct listview_column cols[N_PC] = {
		{ 5, true }, { 10, false }, { 14, false }, { 12, true }, { 0, false }
	};
	char no[24], size[32], dpi[24], bytes[32];
	snprintf(no, sizeof(no), "%zu", i + 1);
	snprintf(size, sizeof(size), "%d × %d", r->width, r->height);
	snprintf(dpi, sizeof(dpi), "%d dpi", r->dpi);
	format_bytes(bytes, sizeof(bytes), r->bytes);
	const char *cells[N_PC] = { no, kind_vn(r->kind), size, dpi, bytes };
	return listview_columns(cols, N_PC, cells, width);
}

static void draw_pages(struct scan_view *v, WINDOW *win, int y, int x, int w, int h)
{
	if (h < 3)
		return;
	struct listview_column cols[N_PC] = {
		{ 5, true }, { 10, false }, { 14, false }, { 12, true }, { 0, false }
	};
	const char *head[N_PC] = { "Trang", "Chế độ", "Kích thước", "Độ phân giải", "Dung lượng" };
	char *hl = listview_columns(cols, N_PC, head, w);
	draw_line(win, y, x, w, STYLE_DIM, hl);
	free(hl);
	int n = h - 2;
	v->page_rows = n;
	if (v->sel < v->top)
		v->top = v->sel;
	if (v->sel >= v->top + (size_t)n)
		v->top = v->sel - (size_t)n + 1;
	if (!v->nrows)
		draw_line(win, y + 1, x, w, STYLE_DIM,
			  "  Chưa có trang nào: nhấn s để quét, i để nhập tệp từ máy hoặc USB");
	for (int r = 0; r < n && v->top + (size_t)r < v->nrows; r++) {
		size_t i = v->top + (size_t)r;
		char *line = page_line(&v->rows[i], i, w);
		bool sel = i == v->sel && v->mode == SM_PAGES;
		wattrset(win, term_style(sel ? STYLE_SELECTED : STYLE_NORMAL));
		if (sel)
			term_blank(win, y + 1 + r, x, w);
		term_text(win, y + 1 + r, x, w, line);
		free(line);
	}
	if (v->nrows) {
		char bytes[32], *total;
		format_bytes(bytes, sizeof(bytes), rows_bytes(v));
		total = xasprintf("Tổng: %zu trang, %s", v->nrows, bytes);
		draw_line(win, y + h - 1, x, w, STYLE_NORMAL, total);
		free(total);
	}
}

static void draw_meta(struct scan_view *v, WINDOW *win, int y, int x, int w, int h)
{
	draw_line(win, y, x, w, STYLE_HEADER, "Thông tin giấy tờ trước khi lưu");
	int lw = 17, fy = -1, fx = 0;
	for (int i = 0; i < N_MF && 1 + i < h; i++) {
		draw_line(win, y + 1 + i, x + 2, lw, STYLE_NORMAL, meta_labels[i]);
		if (i == v->focus) {
			fy = y + 1 + i;
			fx = i;
			continue;
		}
		field_draw(&v->meta[i], win, y + 1 + i, x + 2 + lw, w - lw - 2, false);
	}
	if (N_MF + 2 < h)
		draw_line(win, y + N_MF + 2, x, w, STYLE_DIM,
			  "Tab/↑↓: ô khác · Enter: ô kế tiếp, ở ô cuối thì lưu · F2: lưu · Esc: quay lại");
	if (fy >= 0) { /* the focused field last: it leaves the cursor */
		field_draw(&v->meta[fx], win, fy, x + 2 + lw, w - lw - 2, true);
		int cy, cx;
		getyx(win, cy, cx);
		app_set_cursor(v->app, cy, cx);
	}
}

static void draw_devices(struct scan_view *v, WINDOW *win, const struct rect *body)
{
	int n = (int)v->devs.n;
	int h = n + 4, w = body->w - 4 < 70 ? body->w - 4 : 70;
	if (h > body->h - 1)
		h = body->h - 1;
	WINDOW *sub = derwin(win, h, w, body->y + 2, body->x + 2);
	if (!sub)
		return;
	wattrset(sub, term_style(STYLE_NORMAL));
	werase(sub);
	box(sub, 0, 0);
	wattrset(sub, A_BOLD);
	term_text(sub, 0, 2, w - 4, " Chọn máy quét ");
	for (int i = 0; i < n && i + 1 < h - 2; i++) {
		const struct scan_device *d = &v->devs.v[i];
		char *line = xasprintf("%s — %s %s (%s)", d->name, d->vendor ? d->vendor : "",
				       d->model ? d->model : "", d->type ? d->type : "");
		wattrset(sub, term_style((size_t)i == v->dev_sel ? STYLE_SELECTED : STYLE_NORMAL));
		term_blank(sub, 1 + i, 1, w - 2);
		term_text(sub, 1 + i, 2, w - 4, line);
		free(line);
	}
	wattrset(sub, term_style(STYLE_DIM));
	term_text(sub, h - 2, 2, w - 4, "↑↓ Enter: chọn (được ghi nhớ) · Esc: thôi");
	wattrset(sub, A_NORMAL);
	wsyncup(sub);
	delwin(sub);
}

static void scan_draw(struct app *app, void *priv, WINDOW *win, const struct rect *body)
{
	struct scan_view *v = priv;
	(void)app;
	int x = body->x + 1, w = body->w - 2, y = body->y;
	const struct comp *c = &v->comps[v->cur];
	char *left = xasprintf("Hồ sơ %s · thành phần %zu/%zu", v->code, v->cur + 1, v->ncomps);
	draw_split(win, y, x, w, STYLE_HEADER, left, STYLE_DIM,
		   v->ncomps > 1 ? "PgUp/PgDn: thành phần khác" : "");
	free(left);
	char *name = xasprintf("%d. %s", c->seq, c->name);
	const char *state = c->digitized ? "Đã số hóa" : "Chưa số hóa";
	wattrset(win, term_style(STYLE_NORMAL) | A_BOLD);
	int sw = mc_text_width(state);
	term_text(win, y + 1, x, w - sw - 2, name);
	draw_line(win, y + 1, x + w - sw, sw, c->digitized ? STYLE_NORMAL : STYLE_DIM, state);
	free(name);
	if (c->digitized) {
		char b[32], per[32];
		format_bytes(b, sizeof(b), c->doc_bytes);
		format_bytes(per, sizeof(per), c->doc_pages ? c->doc_bytes / c->doc_pages : 0);
		char *doc = xasprintf("Đã lưu %d trang, %s (%s/trang), SHA-256 %.16s…", c->doc_pages,
				      b, per, c->doc_sha ? c->doc_sha : "");
		draw_line(win, y + 4, x, w, STYLE_DIM, doc);
		free(doc);
	}
	char *dev = v->device ? xasprintf("Máy quét: %s   (v: chọn máy khác)", v->device)
			      : xstrdup("Máy quét: chưa chọn (v: chọn; s: chọn rồi quét)");
	draw_line(win, y + 2, x, w, STYLE_NORMAL, dev);
	free(dev);
	char *set = xasprintf("Nguồn: %s (f) · Chế độ: %s (m) · Độ phân giải: %d dpi (d)",
			      source_vn(v->set.source), mode_vn(v), v->set.dpi);
	draw_line(win, y + 3, x, w, STYLE_NORMAL, set);
	free(set);

	int top = y + 5, h = body->h - 5 - 1;
	if (v->mode == SM_META)
		draw_meta(v, win, top, x, w, h);
	else
		draw_pages(v, win, top, x, w, h);

	const char *last = v->progress ? v->progress
		: "s: quét · r: quét lại · x: xóa · -/+: đổi thứ tự · i: nhập tệp · F2: lưu";
	draw_line(win, y + body->h - 1, x, w, v->progress ? STYLE_INFO : STYLE_DIM, last);
	wattrset(win, term_style(STYLE_NORMAL));

	if (v->mode == SM_DEVICES) {
		draw_devices(v, win, body);
	} else if (v->mode == SM_DIALOG && v->dlg_live) {
		dialog_draw(&v->dlg, win);
		if (v->dlg.kind == DIALOG_PROMPT) {
			int cy, cx;
			getyx(win, cy, cx);
			app_set_cursor(v->app, cy, cx);
		}
	}
}

/* ---- open and done -------------------------------------------------------- */

static int scan_open_screen(struct app *app, void *priv, const void *arg)
{
	struct scan_view *v = priv;
	const struct scan_screen_arg *a = arg;
	v->app = app;
	listview_init(&v->nav, NULL, NULL);
	if (!a || !a->dossier) {
		app_error(app, "Chưa chọn hồ sơ để số hóa");
		return -1;
	}
	struct strbuf err = STRBUF_INIT;
	int found = docstore_dossier(&app->store, a->dossier, v->dossier_id, &v->code, &err);
	if (found != DOCSTORE_OK)
		app_error(app, "%s", err.buf);
	strbuf_release(&err);
	if (found != DOCSTORE_OK)
		return -1;
	if (load_comps(v, a->component)) {
		app_error(app, "Hồ sơ %s không có thành phần nào để số hóa", v->code);
		return -1;
	}
	size_t start = v->ncomps;
	for (size_t i = 0; i < v->ncomps; i++)
		if (v->comps[i].seq == a->component)
			start = i;
	if (a->component > 0 && start == v->ncomps) {
		app_error(app, "Hồ sơ %s không có thành phần số %d", v->code, a->component);
		return -1;
	}
	if (start == v->ncomps) { /* the first one still to scan */
		v->cur = v->ncomps - 1;
		start = v->comps[0].digitized ? next_to_scan(v) : 0;
	}
	load_settings(v);
	show_comp(v, start);
	return 0;
}

static void scan_done(struct app *app, void *priv)
{
	struct scan_view *v = priv;
	if (v->job) {
		/* the worker finishes (a batch is cancelled), then its events run
		 * with nobody to show them to; the last one frees the job */
		struct job *j = v->job;
		j->v = NULL;
		job_cancel(j);
		pthread_join(j->thread, NULL);
		j->joined = true;
		v->job = NULL;
		app_run_events(app);
	}
	close_pages(v);
	comps_release(v);
	if (v->dlg_live)
		dialog_release(&v->dlg);
	meta_release(v);
	meta_vals_release(v);
	scan_device_list_release(&v->devs);
	free(v->rows);
	free(v->code);
	free(v->device);
	free(v->progress);
}

int scan_screen_open(struct app *app, const char *dossier, int component)
{
	struct scan_screen_arg a = { dossier, component };
	return app_push_screen(app, &scan_screen, &a);
}

static const enum action scan_hints[] = { ACTION_SCAN, ACTION_IMPORT_FILE, ACTION_SAVE,
					  ACTION_BACK, ACTION_NONE };

const struct screen_ops scan_screen = {
	.name = "scan",
	.title = "Số hóa giấy tờ",
	.keymap = "scan",
	.fields = true,
	.private_size = sizeof(struct scan_view),
	.hints = scan_hints,
	.open = scan_open_screen,
	.draw = scan_draw,
	.handle = scan_handle,
	.list = scan_list,
	.moved = scan_moved,
	.done = scan_done,
};
