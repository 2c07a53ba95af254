/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The pages of a paper in progress, on disk; see pagestore.h. */
#include "client/scan/pagestore.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jpeglib.h>

#include "client/base/files.h"
#include "client/base/sealed.h"
#include "client/scan/pageauto.h"
/* last: they rename the library functions above (client/base/lazylib.h) */
#include "client/base/lazy_jpeg.h"

#define MANIFEST "pages"
#define MANIFEST_HEAD "motcua-pages 1"

static const char *const kind_names[] = { "color", "gray", "lineart", "mixed" };
#define NKINDS (sizeof(kind_names) / sizeof(kind_names[0]))

const char *page_kind_name(enum page_kind k)
{
	return (unsigned)k < NKINDS ? kind_names[k] : "?";
}

int page_kind_parse(const char *name)
{
	for (int i = 0; i < (int)NKINDS; i++)
		if (!strcmp(name, kind_names[i]))
			return i;
	return -1;
}

size_t page_image_row_bytes(enum page_kind kind, int width)
{
	switch (kind) {
	case PAGE_COLOR: return (size_t)width * 3;
	case PAGE_GRAY: return (size_t)width;
	case PAGE_LINEART: return ((size_t)width + 7) / 8;
	case PAGE_MIXED: break;
	}
	return 0;
}

void page_image_alloc(struct page_image *img, enum page_kind kind, int width, int height, int dpi)
{
	img->kind = kind;
	img->width = width;
	img->height = height;
	img->dpi = dpi;
	img->stride = page_image_row_bytes(kind, width);
	img->data = xcalloc(img->stride ? img->stride : 1, height > 0 ? (size_t)height : 1);
}

void page_image_release(struct page_image *img)
{
	FREE(&img->data);
	img->width = img->height = 0;
	img->stride = 0;
}

/* ---- files ---- */

int pagestore_write_file(const char *path, const void *data, size_t n, const char *what,
			 struct strbuf *err)
{
	if (sealed_write_file(path, data, n)) {
		strbuf_addf(err, "không ghi được %s (%s): %s", what, path, files_errno_vn(errno));
		return -1;
	}
	return 0;
}

static int read_whole(const char *path, unsigned char **data, size_t *n, struct strbuf *err)
{
	return sealed_read_all(path, data, n, err);
}

static int mkdir_p(const char *dir)
{
	char *tmp = xstrdup(dir);
	int rc = 0;
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0700) && errno != EEXIST)
			rc = -1;
		*p = '/';
		if (rc)
			break;
	}
	if (!rc && mkdir(tmp, 0700) && errno != EEXIST)
		rc = -1;
	free(tmp);
	return rc;
}

/* ---- encoding ---- */

struct jerr {
	struct jpeg_error_mgr mgr;
	jmp_buf jmp;
	char msg[JMSG_LENGTH_MAX];
};

static void jerr_exit(j_common_ptr c)
{
	struct jerr *e = (struct jerr *)c->err;
	c->err->format_message(c, e->msg);
	longjmp(e->jmp, 1);
}

static void jerr_quiet(j_common_ptr c)
{
	(void)c;
}

/* JPEG of a COLOR or GRAY image into a malloc'd buffer; -1 on a libjpeg error. */
static int encode_jpeg(const struct page_image *img, int quality, unsigned char **out, size_t *n)
{
	struct jpeg_compress_struct c;
	struct jerr je;
	unsigned char *buf = NULL;
	unsigned long size = 0;

	memset(&c, 0, sizeof(c));
	c.err = jpeg_std_error(&je.mgr);
	je.mgr.error_exit = jerr_exit;
	je.mgr.output_message = jerr_quiet;
	if (setjmp(je.jmp)) {
		jpeg_destroy_compress(&c);
		free(buf);
		return -1;
	}
	jpeg_create_compress(&c);
	jpeg_mem_dest(&c, &buf, &size);
	c.image_width = (JDIMENSION)img->width;
	c.image_height = (JDIMENSION)img->height;
	c.input_components = img->kind == PAGE_COLOR ? 3 : 1;
	c.in_color_space = img->kind == PAGE_COLOR ? JCS_RGB : JCS_GRAYSCALE;
	jpeg_set_defaults(&c);
	jpeg_set_quality(&c, quality, TRUE);
	c.optimize_coding = TRUE; /* a few percent smaller, for free */
	if (img->dpi > 0 && img->dpi < 65536) {
		c.write_JFIF_header = TRUE;
		c.density_unit = 1; /* dots per inch */
		c.X_density = c.Y_density = (UINT16)img->dpi;
	}
	jpeg_start_compress(&c, TRUE);
	while (c.next_scanline < c.image_height) {
		JSAMPROW row = img->data + (size_t)c.next_scanline * img->stride;
		jpeg_write_scanlines(&c, &row, 1);
	}
	jpeg_finish_compress(&c);
	jpeg_destroy_compress(&c);
	*out = buf;
	*n = size;
	return 0;
}

static void encode_pbm(const struct page_image *img, struct strbuf *sb)
{
	size_t row = page_image_row_bytes(PAGE_LINEART, img->width);
	strbuf_addf(sb, "P4\n%d %d\n", img->width, img->height);
	for (int y = 0; y < img->height; y++)
		strbuf_add(sb, img->data + (size_t)y * img->stride, row);
}

/* ---- the manifest ---- */

char *pagestore_dir_for(const char *db_path, const char *key)
{
	char *copy = xstrdup(db_path);
	char *dir = xasprintf("%s/scans/%s", dirname(copy), key);
	free(copy);
	return dir;
}

char *pagestore_path(const struct pagestore *ps, size_t i)
{
	return xasprintf("%s/%s", ps->dir, ps->pages[i].file);
}

/* A mixed page's background: its file name with .jpg for .pbm. */
static char *background_name(const char *file)
{
	size_t n = strlen(file);
	return xasprintf("%.*s.jpg", (int)(n > 4 ? n - 4 : n), file);
}

char *pagestore_background_path(const struct pagestore *ps, size_t i)
{
	char *name = background_name(ps->pages[i].file);
	char *path = xasprintf("%s/%s", ps->dir, name);
	free(name);
	return path;
}

static int write_manifest(const struct pagestore *ps, const struct page_info *pages, size_t n,
			  struct strbuf *err)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, MANIFEST_HEAD "\n");
	for (size_t i = 0; i < n; i++)
		strbuf_addf(&sb, "%s %s %d %d %d\n", pages[i].file, page_kind_name(pages[i].kind),
			    pages[i].width, pages[i].height, pages[i].dpi);
	char *path = xasprintf("%s/" MANIFEST, ps->dir);
	int rc = pagestore_write_file(path, sb.buf, sb.len, "danh sách trang", err);
	free(path);
	strbuf_release(&sb);
	return rc;
}

/* "p000123.jpg" or "p000123.pbm". */
static bool page_file_name(const char *name, unsigned *id)
{
	if (strlen(name) != 11 || name[0] != 'p' || name[7] != '.' ||
	    (strcmp(name + 8, "jpg") && strcmp(name + 8, "pbm")))
		return false;
	unsigned v = 0;
	for (int i = 1; i < 7; i++) {
		if (name[i] < '0' || name[i] > '9')
			return false;
		v = v * 10 + (unsigned)(name[i] - '0');
	}
	*id = v;
	return true;
}

static bool listed(const struct pagestore *ps, const char *name)
{
	for (size_t i = 0; i < ps->n; i++) {
		if (!strcmp(ps->pages[i].file, name))
			return true;
		if (ps->pages[i].kind == PAGE_MIXED && !strncmp(ps->pages[i].file, name, 8) &&
		    !strcmp(name + 8, "jpg"))
			return true;
	}
	return false;
}

static void grow(struct pagestore *ps, size_t need)
{
	if (need <= ps->alloc)
		return;
	ps->alloc = need < 16 ? 16 : need * 2;
	ps->pages = xrealloc(ps->pages, ps->alloc * sizeof(*ps->pages));
}

static int read_manifest(struct pagestore *ps, struct strbuf *err)
{
	char *path = xasprintf("%s/" MANIFEST, ps->dir);
	unsigned char *data = NULL;
	size_t len = 0;
	int rc = 0;

	if (access(path, F_OK)) {
		free(path);
		return 0; /* a new folder */
	}
	if (read_whole(path, &data, &len, err)) {
		free(path);
		return -1;
	}
	char *save = NULL, *line = strtok_r((char *)data, "\n", &save);
	if (!line || strcmp(line, MANIFEST_HEAD)) {
		rc = -1;
	} else {
		int lineno = 1;
		while ((line = strtok_r(NULL, "\n", &save))) {
			char file[32], kind[16];
			struct page_info p = { 0 };
			unsigned id;
			int k;
			lineno++;
			if (sscanf(line, "%31s %15s %d %d %d", file, kind, &p.width, &p.height,
				   &p.dpi) != 5 || !page_file_name(file, &id) ||
			    (k = page_kind_parse(kind)) < 0 || p.width <= 0 || p.height <= 0 ||
			    p.dpi <= 0) {
				rc = -1;
				break;
			}
			p.kind = (enum page_kind)k;
			if (p.kind == PAGE_MIXED && strcmp(file + 8, "pbm")) {
				rc = -1;
				break;
			}
			p.file = xstrdup(file);
			char *bg = p.kind == PAGE_MIXED ? background_name(file) : NULL;
			char *fp = xasprintf("%s/%s", ps->dir, file);
			char *bp = bg ? xasprintf("%s/%s", ps->dir, bg) : NULL;
			/* their sizes as written, sealed or not */
			int fd = open(fp, O_RDONLY | O_CLOEXEC);
			int bfd = fd >= 0 && bp ? open(bp, O_RDONLY | O_CLOEXEC) : -1;
			if (fd < 0 || (bp && bfd < 0)) {
				strbuf_addf(err, "thiếu tệp của trang %d (%s) trong %s", lineno - 1,
					    fd >= 0 ? bg : file, ps->dir);
				if (fd >= 0)
					close(fd);
				free(fp);
				free(bp);
				free(bg);
				free(p.file);
				free(data);
				free(path);
				return -1;
			}
			free(fp);
			free(bp);
			free(bg);
			p.bytes = sealed_plain_size(fd) + (bfd >= 0 ? sealed_plain_size(bfd) : 0);
			close(fd);
			if (bfd >= 0)
				close(bfd);
			grow(ps, ps->n + 1);
			ps->pages[ps->n++] = p;
			if (id >= ps->next_id)
				ps->next_id = id + 1;
		}
	}
	free(data);
	if (rc)
		strbuf_addf(err, "danh sách trang %s bị hỏng", path);
	free(path);
	return rc;
}

/* Page files the manifest does not name are what a crash left half-done. */
static void remove_strays(struct pagestore *ps)
{
	DIR *d = opendir(ps->dir);
	struct dirent *de;
	if (!d)
		return;
	while ((de = readdir(d))) {
		unsigned id;
		size_t len = strlen(de->d_name);
		bool tmp = len > 4 && !strcmp(de->d_name + len - 4, ".tmp");
		if (!tmp && !page_file_name(de->d_name, &id))
			continue;
		if (!tmp && listed(ps, de->d_name)) {
			continue;
		}
		if (!tmp && id >= ps->next_id)
			ps->next_id = id + 1;
		char *p = xasprintf("%s/%s", ps->dir, de->d_name);
		unlink(p);
		free(p);
	}
	closedir(d);
}

int pagestore_open(struct pagestore *ps, const char *dir, struct strbuf *err)
{
	memset(ps, 0, sizeof(*ps));
	ps->next_id = 1;
	ps->jpeg_quality = PAGESTORE_JPEG_QUALITY;
	if (!dir || !*dir) {
		strbuf_addstr(err, "thiếu thư mục lưu các trang");
		return -1;
	}
	if (mkdir_p(dir)) {
		strbuf_addf(err, "không tạo được thư mục %s: %s", dir, files_errno_vn(errno));
		return -1;
	}
	ps->dir = xstrdup(dir);
	if (read_manifest(ps, err)) {
		pagestore_release(ps);
		return -1;
	}
	remove_strays(ps);
	return 0;
}

void pagestore_release(struct pagestore *ps)
{
	for (size_t i = 0; i < ps->n; i++)
		free(ps->pages[i].file);
	FREE(&ps->pages);
	FREE(&ps->dir);
	ps->n = ps->alloc = 0;
}

/* Removes a page's file (and a mixed page's background). */
static void unlink_page(const struct pagestore *ps, const struct page_info *p)
{
	char *path = xasprintf("%s/%s", ps->dir, p->file);
	unlink(path);
	free(path);
	if (p->kind == PAGE_MIXED) {
		char *bg = background_name(p->file);
		path = xasprintf("%s/%s", ps->dir, bg);
		unlink(path);
		free(path);
		free(bg);
	}
}

int pagestore_remove(struct pagestore *ps, struct strbuf *err)
{
	char *path = xasprintf("%s/" MANIFEST, ps->dir);
	int rc = 0;
	if (unlink(path) && errno != ENOENT)
		rc = -1;
	free(path);
	for (size_t i = 0; !rc && i < ps->n; i++)
		unlink_page(ps, &ps->pages[i]);
	if (!rc) {
		for (size_t i = 0; i < ps->n; i++)
			free(ps->pages[i].file);
		ps->n = 0;
		remove_strays(ps);
		if (rmdir(ps->dir) && errno != ENOENT)
			rc = -1;
	}
	if (rc)
		strbuf_addf(err, "không xóa được thư mục %s: %s", ps->dir, files_errno_vn(errno));
	pagestore_release(ps);
	return rc;
}

/* Writes a new page file for img; fills *p (file name, sizes). */
static int write_page(struct pagestore *ps, const struct page_image *img, struct page_info *p,
		      struct strbuf *err)
{
	unsigned char *data = NULL;
	size_t n = 0;
	struct strbuf pbm = STRBUF_INIT;

	if (img->width <= 0 || img->height <= 0 || !img->data || img->kind == PAGE_MIXED) {
		strbuf_addstr(err, "trang rỗng");
		return -1;
	}
	if (img->kind == PAGE_LINEART) {
		encode_pbm(img, &pbm);
		data = (unsigned char *)pbm.buf;
		n = pbm.len;
	} else if (encode_jpeg(img, ps->jpeg_quality, &data, &n)) {
		strbuf_addstr(err, "không nén được trang thành JPEG");
		return -1;
	}
	memset(p, 0, sizeof(*p));
	p->file = xasprintf("p%06u.%s", ps->next_id++, img->kind == PAGE_LINEART ? "pbm" : "jpg");
	p->kind = img->kind;
	p->width = img->width;
	p->height = img->height;
	p->dpi = img->dpi > 0 ? img->dpi : 150;
	p->bytes = (long long)n;
	char *path = xasprintf("%s/%s", ps->dir, p->file);
	char *what = xasprintf("trang %zu", ps->n + 1);
	int rc = pagestore_write_file(path, data, n, what, err);
	free(what);
	free(path);
	if (img->kind == PAGE_LINEART)
		strbuf_release(&pbm);
	else
		free(data);
	if (rc)
		FREE(&p->file);
	return rc;
}

/* The manifest for pages[] as they are now; on failure the new page's
 * files (undo, if any) go. */
static int commit(struct pagestore *ps, const struct page_info *undo, struct strbuf *err)
{
	if (write_manifest(ps, ps->pages, ps->n, err)) {
		if (undo)
			unlink_page(ps, undo);
		return -1;
	}
	return 0;
}

static int append(struct pagestore *ps, struct page_info *p, struct strbuf *err)
{
	grow(ps, ps->n + 1);
	ps->pages[ps->n++] = *p;
	if (commit(ps, p, err)) {
		ps->n--;
		free(p->file);
		return -1;
	}
	return 0;
}

int pagestore_add(struct pagestore *ps, const struct page_image *img, struct strbuf *err)
{
	struct page_info p;
	if (write_page(ps, img, &p, err))
		return -1;
	return append(ps, &p, err);
}

/* Writes a mixed page's two files: the background, then the mask. */
static int write_mixed(struct pagestore *ps, const struct page_image *bg,
		       const struct page_image *mask, struct page_info *p, struct strbuf *err)
{
	unsigned char *jpeg = NULL;
	size_t n = 0;
	if (bg->kind == PAGE_LINEART || mask->kind != PAGE_LINEART || bg->width != mask->width ||
	    bg->height != mask->height || !bg->data || !mask->data || bg->width <= 0 ||
	    bg->height <= 0) {
		strbuf_addstr(err, "trang rỗng");
		return -1;
	}
	if (encode_jpeg(bg, ps->jpeg_quality, &jpeg, &n)) {
		strbuf_addstr(err, "không nén được trang thành JPEG");
		return -1;
	}
	struct strbuf pbm = STRBUF_INIT;
	encode_pbm(mask, &pbm);
	memset(p, 0, sizeof(*p));
	unsigned id = ps->next_id++;
	p->file = xasprintf("p%06u.pbm", id);
	p->kind = PAGE_MIXED;
	p->width = mask->width;
	p->height = mask->height;
	p->dpi = mask->dpi > 0 ? mask->dpi : 150;
	p->bytes = (long long)(n + pbm.len);
	char *bg_path = xasprintf("%s/p%06u.jpg", ps->dir, id);
	char *path = xasprintf("%s/%s", ps->dir, p->file);
	char *what = xasprintf("trang %zu", ps->n + 1);
	int rc = pagestore_write_file(bg_path, jpeg, n, what, err);
	if (!rc && (rc = pagestore_write_file(path, pbm.buf, pbm.len, what, err)))
		unlink(bg_path);
	free(what);
	free(path);
	free(bg_path);
	free(jpeg);
	strbuf_release(&pbm);
	if (rc)
		FREE(&p->file);
	return rc;
}

int pagestore_add_mixed(struct pagestore *ps, const struct page_image *background,
			const struct page_image *mask, struct strbuf *err)
{
	struct page_info p;
	if (write_mixed(ps, background, mask, &p, err))
		return -1;
	return append(ps, &p, err);
}

static int replace_with(struct pagestore *ps, size_t i, struct page_info *p, struct strbuf *err);

/* Writes img as the automatic mode keeps it. */
static int write_auto(struct pagestore *ps, struct page_image *img, struct page_info *p,
		      struct strbuf *err)
{
	struct page_image mask;
	if (page_auto(img, &mask, NULL) != PAGE_MIXED)
		return write_page(ps, img, p, err);
	int rc = write_mixed(ps, img, &mask, p, err);
	page_image_release(&mask);
	return rc;
}

int pagestore_add_auto(struct pagestore *ps, struct page_image *img, struct strbuf *err)
{
	struct page_info p;
	if (write_auto(ps, img, &p, err))
		return -1;
	return append(ps, &p, err);
}

int pagestore_replace_auto(struct pagestore *ps, size_t i, struct page_image *img,
			   struct strbuf *err)
{
	struct page_info p;
	if (i >= ps->n) {
		strbuf_addf(err, "không có trang %zu", i + 1);
		return -1;
	}
	if (write_auto(ps, img, &p, err))
		return -1;
	return replace_with(ps, i, &p, err);
}

int pagestore_add_jpeg(struct pagestore *ps, const void *jpeg, size_t n, int width, int height,
		       int components, int dpi, struct strbuf *err)
{
	struct page_info p = { 0 };
	p.file = xasprintf("p%06u.jpg", ps->next_id++);
	p.kind = components == 1 ? PAGE_GRAY : PAGE_COLOR;
	p.width = width;
	p.height = height;
	p.dpi = dpi > 0 ? dpi : 150;
	p.bytes = (long long)n;
	char *path = xasprintf("%s/%s", ps->dir, p.file);
	char *what = xasprintf("trang %zu", ps->n + 1);
	int rc = pagestore_write_file(path, jpeg, n, what, err);
	free(what);
	free(path);
	if (rc) {
		free(p.file);
		return -1;
	}
	return append(ps, &p, err);
}

/* Page i becomes p, whose files are written. */
static int replace_with(struct pagestore *ps, size_t i, struct page_info *p, struct strbuf *err)
{
	struct page_info old = ps->pages[i];
	ps->pages[i] = *p;
	if (commit(ps, p, err)) {
		ps->pages[i] = old;
		free(p->file);
		return -1;
	}
	unlink_page(ps, &old);
	free(old.file);
	return 0;
}

int pagestore_replace(struct pagestore *ps, size_t i, const struct page_image *img,
		      struct strbuf *err)
{
	struct page_info p;
	if (i >= ps->n) {
		strbuf_addf(err, "không có trang %zu", i + 1);
		return -1;
	}
	if (write_page(ps, img, &p, err))
		return -1;
	return replace_with(ps, i, &p, err);
}

int pagestore_delete(struct pagestore *ps, size_t i, struct strbuf *err)
{
	if (i >= ps->n) {
		strbuf_addf(err, "không có trang %zu", i + 1);
		return -1;
	}
	struct page_info old = ps->pages[i];
	memmove(ps->pages + i, ps->pages + i + 1, (ps->n - i - 1) * sizeof(*ps->pages));
	ps->n--;
	if (commit(ps, NULL, err)) {
		memmove(ps->pages + i + 1, ps->pages + i, (ps->n - i) * sizeof(*ps->pages));
		ps->pages[i] = old;
		ps->n++;
		return -1;
	}
	unlink_page(ps, &old);
	free(old.file);
	return 0;
}

static void move_entry(struct page_info *v, size_t from, size_t to)
{
	struct page_info p = v[from];
	if (from < to)
		memmove(v + from, v + from + 1, (to - from) * sizeof(*v));
	else if (from > to)
		memmove(v + to + 1, v + to, (from - to) * sizeof(*v));
	v[to] = p;
}

int pagestore_move(struct pagestore *ps, size_t from, size_t to, struct strbuf *err)
{
	if (from >= ps->n || to >= ps->n) {
		strbuf_addf(err, "không có trang %zu", (from >= ps->n ? from : to) + 1);
		return -1;
	}
	if (from == to)
		return 0;
	move_entry(ps->pages, from, to);
	if (commit(ps, NULL, err)) {
		move_entry(ps->pages, to, from);
		return -1;
	}
	return 0;
}

int pagestore_truncate(struct pagestore *ps, size_t n, struct strbuf *err)
{
	if (n >= ps->n)
		return 0;
	size_t had = ps->n;
	ps->n = n;
	if (commit(ps, NULL, err)) {
		ps->n = had;
		return -1;
	}
	for (size_t i = n; i < had; i++) {
		unlink_page(ps, &ps->pages[i]);
		free(ps->pages[i].file);
	}
	return 0;
}

int pagestore_read(const struct pagestore *ps, size_t i, unsigned char **data, size_t *n,
		   struct strbuf *err)
{
	char *path = pagestore_path(ps, i);
	int rc = read_whole(path, data, n, err);
	free(path);
	return rc;
}

int pagestore_read_background(const struct pagestore *ps, size_t i, unsigned char **data,
			      size_t *n, struct strbuf *err)
{
	char *path = pagestore_background_path(ps, i);
	int rc = read_whole(path, data, n, err);
	free(path);
	return rc;
}

int pagestore_load_lineart(const struct pagestore *ps, size_t i, struct page_image *img,
			   struct strbuf *err)
{
	unsigned char *data;
	size_t n;
	const struct page_info *p = &ps->pages[i];

	memset(img, 0, sizeof(*img));
	if (pagestore_read(ps, i, &data, &n, err))
		return -1;
	int w = 0, h = 0, off = 0;
	size_t row = page_image_row_bytes(PAGE_LINEART, p->width);
	if (sscanf((char *)data, "P4 %d %d%n", &w, &h, &off) != 2 || w != p->width ||
	    h != p->height || (size_t)off + 1 + row * (size_t)h > n) {
		strbuf_addf(err, "tệp của trang %zu (%s) bị hỏng", i + 1, p->file);
		free(data);
		return -1;
	}
	page_image_alloc(img, PAGE_LINEART, w, h, p->dpi);
	memcpy(img->data, data + off + 1, row * (size_t)h);
	free(data);
	return 0;
}

/* A JPEG in grey (libjpeg does the colour conversion). */
static int decode_jpeg_gray(const unsigned char *data, size_t n, struct page_image *img)
{
	struct jpeg_decompress_struct d;
	struct jerr je;
	memset(&d, 0, sizeof(d));
	memset(img, 0, sizeof(*img));
	d.err = jpeg_std_error(&je.mgr);
	je.mgr.error_exit = jerr_exit;
	je.mgr.output_message = jerr_quiet;
	if (setjmp(je.jmp)) {
		jpeg_destroy_decompress(&d);
		page_image_release(img);
		return -1;
	}
	jpeg_create_decompress(&d);
	jpeg_mem_src(&d, data, (unsigned long)n);
	jpeg_read_header(&d, TRUE);
	d.out_color_space = JCS_GRAYSCALE;
	jpeg_start_decompress(&d);
	page_image_alloc(img, PAGE_GRAY, (int)d.output_width, (int)d.output_height, 0);
	while (d.output_scanline < d.output_height) {
		JSAMPROW row = img->data + (size_t)d.output_scanline * img->stride;
		jpeg_read_scanlines(&d, &row, 1);
	}
	jpeg_finish_decompress(&d);
	jpeg_destroy_decompress(&d);
	return 0;
}

int pagestore_load_gray(const struct pagestore *ps, size_t i, struct page_image *img,
			struct strbuf *err)
{
	const struct page_info *p = &ps->pages[i];
	if (p->kind == PAGE_MIXED) { /* its background, the text over it */
		unsigned char *data;
		size_t n;
		struct page_image bits;
		if (pagestore_read_background(ps, i, &data, &n, err))
			return -1;
		int rc = decode_jpeg_gray(data, n, img);
		free(data);
		if (rc || img->width != p->width || img->height != p->height) {
			page_image_release(img);
			strbuf_addf(err, "tệp nền của trang %zu (%s) bị hỏng", i + 1, p->file);
			return -1;
		}
		if (pagestore_load_lineart(ps, i, &bits, err)) {
			page_image_release(img);
			return -1;
		}
		for (int y = 0; y < bits.height; y++) {
			const unsigned char *src = bits.data + (size_t)y * bits.stride;
			unsigned char *dst = img->data + (size_t)y * img->stride;
			for (int x = 0; x < bits.width; x++)
				if (src[x / 8] >> (7 - x % 8) & 1)
					dst[x] = 0;
		}
		page_image_release(&bits);
		img->dpi = p->dpi;
		return 0;
	}
	if (p->kind == PAGE_LINEART) {
		struct page_image bits;
		if (pagestore_load_lineart(ps, i, &bits, err))
			return -1;
		page_image_alloc(img, PAGE_GRAY, bits.width, bits.height, p->dpi);
		for (int y = 0; y < bits.height; y++) {
			const unsigned char *src = bits.data + (size_t)y * bits.stride;
			unsigned char *dst = img->data + (size_t)y * img->stride;
			for (int x = 0; x < bits.width; x++)
				dst[x] = src[x / 8] >> (7 - x % 8) & 1 ? 0 : 255;
		}
		page_image_release(&bits);
		return 0;
	}
	unsigned char *data;
	size_t n;
	if (pagestore_read(ps, i, &data, &n, err))
		return -1;
	int rc = decode_jpeg_gray(data, n, img);
	free(data);
	if (rc || img->width != p->width || img->height != p->height) {
		page_image_release(img);
		strbuf_addf(err, "tệp của trang %zu (%s) bị hỏng", i + 1, p->file);
		return -1;
	}
	img->dpi = p->dpi;
	return 0;
}
