/* SPDX-License-Identifier: GPL-3.0-or-later */
/* OCR through the tesseract and pdftoppm commands: see ocr.h. */
#include "client/scan/ocr.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "client/base/files.h"
#include "client/base/sealed.h"
#include "core/text.h"

extern char **environ;

/* How much below the program the readers run (nice), and how often a
 * waiting pool looks at its stop flag. */
#define OCR_NICE 10
#define STOP_POLL_MS 100

int ocr_workers(void)
{
	const char *e = getenv("MOTCUA_OCR_WORKERS");
	long n = e && *e ? strtol(e, NULL, 10) : sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > 16 ? 16 : (int)n;
}

/* ---- child processes ---- */

/* The environment of the children: ours, with OMP_THREAD_LIMIT=1 (one
 * core each: the pool makes the parallelism). Built before fork, since a
 * child of a threaded program may only exec. */
static char **child_env(void)
{
	size_t n = 0;
	while (environ[n])
		n++;
	char **env = xcalloc(n + 2, sizeof(*env));
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (strncmp(environ[i], "OMP_THREAD_LIMIT=", 17))
			env[k++] = environ[i];
	env[k] = "OMP_THREAD_LIMIT=1";
	return env;
}

/* Starts argv[0] (searched in PATH) niced below us, stdin from in (-1:
 * /dev/null), stderr on /dev/null, stdout into *out_fd (or /dev/null when
 * out_fd is NULL). Returns the pid, or -1 (errno set). */
static pid_t spawn(char *const argv[], int in, int *out_fd)
{
	int fds[2] = { -1, -1 };
	if (out_fd && pipe2(fds, O_CLOEXEC))
		return -1;
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	char **env = child_env();
	int prio = getpriority(PRIO_PROCESS, 0) + OCR_NICE;
	pid_t pid = fork();
	if (pid == 0) {
		setpriority(PRIO_PROCESS, 0, prio > 19 ? 19 : prio);
		if (in >= 0)
			dup2(in, 0);
		else if (null >= 0)
			dup2(null, 0);
		if (null >= 0)
			dup2(null, 2);
		dup2(out_fd ? fds[1] : null, 1);
		execvpe(argv[0], argv, env);
		_exit(127);
	}
	int e = errno;
	free(env);
	if (null >= 0)
		close(null);
	if (out_fd) {
		close(fds[1]);
		if (pid < 0)
			close(fds[0]);
		else
			*out_fd = fds[0];
	}
	errno = e;
	return pid;
}

/* Exit status of pid, or -1 when it was killed or cannot be waited for. */
static int reap(pid_t pid)
{
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void fail(struct strbuf *err, int status, const char *tool, const char *path)
{
	strbuf_reset(err);
	if (status == 127)
		strbuf_addf(err, "Không chạy được %s: hãy cài gói %s", tool,
			    strcmp(tool, "tesseract") ? "poppler-utils"
						      : "tesseract-ocr và tesseract-ocr-vie");
	else
		strbuf_addf(err, "%s không đọc được %s (mã lỗi %d)", tool, path, status);
}

/* ---- where temporary images go ---- */

/* Whether dir is a folder in memory (tmpfs, ramfs): files written there
 * never reach the disk. */
static bool in_memory(const char *dir)
{
	struct statfs fs;
	struct stat sb;
	return dir && *dir && !stat(dir, &sb) && S_ISDIR(sb.st_mode) && !access(dir, W_OK) &&
	       !statfs(dir, &fs) && (fs.f_type == TMPFS_MAGIC || fs.f_type == RAMFS_MAGIC);
}

const char *ocr_render_base(void)
{
	const char *tmp = getenv("TMPDIR"), *run_dir = getenv("XDG_RUNTIME_DIR");
	if (in_memory(tmp))
		return tmp;
	if (in_memory(run_dir))
		return run_dir;
	if (in_memory("/dev/shm"))
		return "/dev/shm";
	return tmp && *tmp ? tmp : "/tmp";
}

/* ---- the pool ---- */

struct reader {
	pid_t pid;        /* 0: free */
	int fd;
	void *tag;
	char *path;
	struct strbuf out;
};

struct ocr_pool {
	int n, running;
	struct reader *r;
};

struct ocr_pool *ocr_pool_new(int workers)
{
	struct ocr_pool *p = xcalloc(1, sizeof(*p));
	p->n = workers < 1 ? 1 : workers;
	p->r = xcalloc((size_t)p->n, sizeof(*p->r));
	for (int i = 0; i < p->n; i++)
		strbuf_init(&p->r[i].out);
	return p;
}

static void reader_clear(struct ocr_pool *p, struct reader *r)
{
	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
	r->pid = 0;
	r->tag = NULL;
	FREE(&r->path);
	strbuf_reset(&r->out);
	p->running--;
}

static void kill_all(struct ocr_pool *p)
{
	for (int i = 0; i < p->n; i++) {
		struct reader *r = &p->r[i];
		if (!r->pid)
			continue;
		kill(r->pid, SIGKILL);
		reap(r->pid);
		reader_clear(p, r);
	}
}

void ocr_pool_free(struct ocr_pool *p)
{
	if (!p)
		return;
	kill_all(p);
	for (int i = 0; i < p->n; i++)
		strbuf_release(&p->r[i].out);
	free(p->r);
	free(p);
}

int ocr_pool_running(const struct ocr_pool *p)
{
	return p->running;
}

bool ocr_pool_full(const struct ocr_pool *p)
{
	return p->running >= p->n;
}

int ocr_pool_start(struct ocr_pool *p, const char *path, int dpi, void *tag, struct strbuf *err)
{
	struct reader *r = NULL;
	for (int i = 0; i < p->n && !r; i++)
		if (!p->r[i].pid)
			r = &p->r[i];
	if (!r) {
		strbuf_addstr(err, "đang đọc đủ số trang cùng lúc");
		return -1;
	}
	char res[16];
	snprintf(res, sizeof res, "%d", dpi);
	char *argv[16];
	int a = 0;
	argv[a++] = "tesseract";
	argv[a++] = "-"; /* the image on stdin: a sealed page's plaintext from memory */
	argv[a++] = "stdout";
	argv[a++] = "-l";
	argv[a++] = "vie";
	argv[a++] = "--oem";
	argv[a++] = "1";
	argv[a++] = "--psm";
	argv[a++] = "3";
	if (dpi > 0) {
		argv[a++] = "--dpi";
		argv[a++] = res;
	}
	/* no second try of each line inverted (white on black): papers have
	 * none, and it costs time on every line read with low confidence */
	argv[a++] = "-c";
	argv[a++] = "tessedit_do_invert=0";
	argv[a] = NULL;
	int in = sealed_open(path, NULL, err);
	if (in < 0)
		return -1;
	int fd;
	pid_t pid = spawn(argv, in, &fd);
	int e = errno;
	close(in);
	errno = e;
	if (pid < 0) {
		strbuf_addf(err, "Không chạy được tesseract: %s", strerror(errno));
		return -1;
	}
	r->pid = pid;
	r->fd = fd;
	r->tag = tag;
	r->path = xstrdup(path);
	strbuf_reset(&r->out);
	p->running++;
	return 0;
}

/* A reader's output is complete: its result. */
static int finish(struct ocr_pool *p, struct reader *r, void **tag, char **text,
		  struct strbuf *err)
{
	int st = reap(r->pid);
	*tag = r->tag;
	*text = NULL;
	if (st) {
		fail(err, st, "tesseract", r->path);
	} else {
		strbuf_addstr(&r->out, ""); /* a page without text is "" */
		*text = mc_text_nfc(r->out.buf);
	}
	reader_clear(p, r);
	return 0;
}

int ocr_pool_wait(struct ocr_pool *p, const atomic_int *stop, void **tag, char **text,
		  struct strbuf *err)
{
	struct pollfd *pfd = xcalloc((size_t)p->n, sizeof(*pfd));
	struct reader **who = xcalloc((size_t)p->n, sizeof(*who));
	int rc = 1;
	while (p->running) {
		if (stop && atomic_load(stop)) {
			kill_all(p);
			rc = 2;
			break;
		}
		int k = 0;
		for (int i = 0; i < p->n; i++)
			if (p->r[i].pid) {
				pfd[k] = (struct pollfd){ p->r[i].fd, POLLIN, 0 };
				who[k++] = &p->r[i];
			}
		int pr = poll(pfd, (nfds_t)k, stop ? STOP_POLL_MS : -1);
		if (pr < 0 && errno != EINTR)
			break;
		bool done = false;
		for (int i = 0; pr > 0 && i < k && !done; i++) {
			if (!pfd[i].revents)
				continue;
			char buf[8192];
			ssize_t n = read(pfd[i].fd, buf, sizeof buf);
			if (n < 0 && (errno == EINTR || errno == EAGAIN))
				continue;
			if (n > 0) {
				strbuf_add(&who[i]->out, buf, (size_t)n);
				continue;
			}
			rc = finish(p, who[i], tag, text, err); /* end of its output */
			done = true;
		}
		if (done)
			break;
	}
	free(pfd);
	free(who);
	return rc;
}

/* ---- the image tesseract reads ---- */

/* src (grey) at another resolution: bilinear when enlarged, the mean of
 * the pixels each new one covers when reduced. */
static void resample(const struct page_image *src, int to_dpi, struct page_image *dst)
{
	double s = (double)to_dpi / (double)src->dpi;
	int w = (int)(src->width * s + 0.5), h = (int)(src->height * s + 0.5);
	if (w < 1)
		w = 1;
	if (h < 1)
		h = 1;
	page_image_alloc(dst, PAGE_GRAY, w, h, to_dpi);
	if (s >= 1) {
		for (int y = 0; y < h; y++) {
			double fy = (y + 0.5) / s - 0.5;
			int y0 = fy < 0 ? 0 : (int)fy;
			int y1 = y0 + 1 < src->height ? y0 + 1 : y0;
			double ay = fy < 0 ? 0 : fy - y0;
			const unsigned char *r0 = src->data + (size_t)y0 * src->stride;
			const unsigned char *r1 = src->data + (size_t)y1 * src->stride;
			unsigned char *d = dst->data + (size_t)y * dst->stride;
			for (int x = 0; x < w; x++) {
				double fx = (x + 0.5) / s - 0.5;
				int x0 = fx < 0 ? 0 : (int)fx;
				int x1 = x0 + 1 < src->width ? x0 + 1 : x0;
				double ax = fx < 0 ? 0 : fx - x0;
				double v = (1 - ay) * ((1 - ax) * r0[x0] + ax * r0[x1]) +
					   ay * ((1 - ax) * r1[x0] + ax * r1[x1]);
				d[x] = (unsigned char)(v + 0.5);
			}
		}
		return;
	}
	for (int y = 0; y < h; y++) {
		int sy0 = (int)(y / s), sy1 = (int)((y + 1) / s);
		if (sy1 > src->height)
			sy1 = src->height;
		if (sy1 <= sy0)
			sy1 = sy0 + 1 <= src->height ? sy0 + 1 : sy0;
		unsigned char *d = dst->data + (size_t)y * dst->stride;
		for (int x = 0; x < w; x++) {
			int sx0 = (int)(x / s), sx1 = (int)((x + 1) / s);
			if (sx1 > src->width)
				sx1 = src->width;
			if (sx1 <= sx0)
				sx1 = sx0 + 1 <= src->width ? sx0 + 1 : sx0;
			unsigned sum = 0, n = 0;
			for (int yy = sy0; yy < sy1; yy++)
				for (int xx = sx0; xx < sx1; xx++, n++)
					sum += src->data[(size_t)yy * src->stride + (size_t)xx];
			d[x] = (unsigned char)(n ? (sum + n / 2) / n : 255);
		}
	}
}

static int write_pgm(const char *path, const struct page_image *img)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	fprintf(f, "P5\n%d %d\n255\n", img->width, img->height);
	for (int y = 0; y < img->height; y++)
		fwrite(img->data + (size_t)y * img->stride, 1, (size_t)img->width, f);
	bool bad = ferror(f);
	return fclose(f) || bad ? -1 : 0;
}

int ocr_image_for(const struct pagestore *ps, size_t i, const char *tmp, char **path, int *dpi,
		  struct strbuf *err)
{
	const struct page_info *p = &ps->pages[i];
	*path = NULL;
	*dpi = p->dpi;
	if (p->dpi >= OCR_MIN_DPI && p->dpi <= OCR_MAX_DPI && p->kind != PAGE_MIXED) {
		*path = pagestore_path(ps, i);
		return 0;
	}
	struct page_image gray, scaled;
	if (pagestore_load_gray(ps, i, &gray, err))
		return -1;
	if (p->dpi >= OCR_MIN_DPI && p->dpi <= OCR_MAX_DPI) /* a mixed page, put together */
		scaled = gray;
	else {
		resample(&gray, OCR_DPI, &scaled);
		page_image_release(&gray);
	}
	int rc = write_pgm(tmp, &scaled);
	page_image_release(&scaled);
	if (rc) {
		strbuf_addf(err, "không ghi được ảnh trang %zu cho OCR (%s): %s", i + 1, tmp,
			    strerror(errno));
		unlink(tmp);
		return -1;
	}
	*path = xstrdup(tmp);
	*dpi = p->dpi >= OCR_MIN_DPI && p->dpi <= OCR_MAX_DPI ? p->dpi : OCR_DPI;
	return 0;
}

/* ---- PDF ---- */

static int is_png(const struct dirent *e)
{
	size_t n = strlen(e->d_name);
	return n > 4 && !strcmp(e->d_name + n - 4, ".png");
}

/* "p-1.png" before "p-10.png": by the number after the dash (pdftoppm pads
 * it only to the width of the last page's number). */
static int page_order(const struct dirent **a, const struct dirent **b)
{
	long x = strtol((*a)->d_name + 2, NULL, 10), y = strtol((*b)->d_name + 2, NULL, 10);
	return (x > y) - (x < y);
}

int ocr_render_pdf(const char *path, const char *dir, char ***files, int *pages,
		   struct strbuf *err)
{
	*files = NULL;
	*pages = 0;
	/* the paper's plaintext, read from memory when it is sealed */
	int pdf = sealed_open(path, NULL, err);
	if (pdf < 0)
		return -1;
	char *prefix = xasprintf("%s/p", dir);
	char res[16];
	snprintf(res, sizeof res, "%d", OCR_DPI);
	char *argv[] = { "pdftoppm", "-r", res, "-png", "/dev/stdin", prefix, NULL };
	pid_t pid = spawn(argv, pdf, NULL);
	int st = pid < 0 ? 127 : reap(pid);
	close(pdf);
	free(prefix);
	if (st) {
		fail(err, st, "pdftoppm", path);
		return -1;
	}
	struct dirent **names = NULL;
	int n = scandir(dir, &names, is_png, page_order);
	if (n > 0)
		*files = xcalloc((size_t)n, sizeof(**files));
	for (int i = 0; i < n; i++) {
		(*files)[i] = xasprintf("%s/%s", dir, names[i]->d_name);
		free(names[i]);
	}
	free(names);
	if (n <= 0) {
		fail(err, 1, "pdftoppm", path);
		return -1;
	}
	*pages = n;
	return 0;
}

/* Reads the images paths[0..n), dpi each, with a pool, counting the pages
 * read on progress (NULL: none); the texts joined by form feeds. */
static int read_all(char **paths, int n, int dpi, char **text, struct progress *progress,
		    struct strbuf *err)
{
	if (progress)
		progress_total(progress, n);
	struct ocr_pool *pool = ocr_pool_new(ocr_workers());
	char **texts = xcalloc((size_t)n, sizeof(*texts));
	int next = 0, rc = 0;
	while (!rc) {
		while (next < n && !ocr_pool_full(pool) && !rc) {
			rc = ocr_pool_start(pool, paths[next], dpi, &texts[next], err);
			next++;
		}
		void *tag;
		char *t;
		int w = rc ? 1 : ocr_pool_wait(pool, NULL, &tag, &t, err);
		if (w)
			break;
		if (!t)
			rc = -1;
		else if (progress)
			progress_add(progress, 1);
		*(char **)tag = t;
	}
	ocr_pool_free(pool);
	struct strbuf sb = STRBUF_INIT;
	for (int i = 0; i < n; i++) {
		if (i)
			strbuf_addch(&sb, '\f');
		if (texts[i])
			strbuf_addstr(&sb, texts[i]);
		free(texts[i]);
	}
	free(texts);
	if (rc) {
		strbuf_release(&sb);
		return -1;
	}
	strbuf_addstr(&sb, "");
	*text = strbuf_detach(&sb);
	return 0;
}

int ocr_pdf(const char *path, char **text, struct strbuf *err)
{
	return ocr_pdf_progress(path, text, NULL, err);
}

int ocr_pdf_progress(const char *path, char **text, struct progress *progress, struct strbuf *err)
{
	char *dir = xasprintf("%s/motcua-ocr-XXXXXX", ocr_render_base());
	if (!mkdtemp(dir)) {
		strbuf_reset(err);
		strbuf_addf(err, "Không tạo được thư mục tạm cho OCR: %s", strerror(errno));
		free(dir);
		return -1;
	}
	int pages = 0;
	char **paths;
	int rc = ocr_render_pdf(path, dir, &paths, &pages, err);
	if (!rc)
		rc = read_all(paths, pages, OCR_DPI, text, progress, err);
	for (int i = 0; i < pages; i++) {
		unlink(paths[i]);
		free(paths[i]);
	}
	free(paths);
	files_remove_dir(dir); /* and whatever else pdftoppm left (a page cut short) */
	free(dir);
	return rc;
}

int ocr_image(const char *path, char **text, struct strbuf *err)
{
	char *paths[] = { (char *)path };
	return read_all(paths, 1, 0, text, NULL, err);
}
