/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Scanning, pages on disk, the compact PDF and file import, for real:
 * SANE's `test` backend (SANE_CONFIG_DIR points at a dll.conf with "test"),
 * its pages compared byte for byte with what scanimage gets from the same
 * backend; PDFs checked with poppler (pdfinfo, pdfimages, pdftoppm, whose
 * rendering is compared with the pages); files made with cairo, libjpeg and
 * libtiff, whole and cut short. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <jpeglib.h>
#include <tiffio.h>

#include "client/base/files.h"
#include "client/scan/docpdf.h"
#include "client/scan/fileimport.h"
#include "client/scan/pagestore.h"
#include "client/print/pdf.h"
#include "client/scan/scan.h"
#include "core/xalloc.h"
#include "tests/unit/fixtures.h"

static char tmpdir[] = "/tmp/motcua-scan-XXXXXX";
static int dir_seq;

/* ---- helpers ---- */

static bool exists(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0;
}

static long long file_size(const char *path)
{
	struct stat sb;
	assert_int_equal(stat(path, &sb), 0);
	return sb.st_size;
}

/* A fresh folder under tmpdir. */
static char *new_dir(const char *name)
{
	char *d = xasprintf("%s/%s-%d", tmpdir, name, ++dir_seq);
	assert_int_equal(mkdir(d, 0700), 0);
	return d;
}

static int count_files(const char *dir)
{
	DIR *d = opendir(dir);
	int n = 0;
	struct dirent *de;
	if (!d)
		return -1;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

static void write_bytes(const char *path, const void *data, size_t n)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

static unsigned char *read_bytes(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	struct strbuf sb = STRBUF_INIT;
	char buf[65536];
	size_t r;
	while ((r = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_add(&sb, buf, r);
	fclose(f);
	*n = sb.len;
	strbuf_addstr(&sb, "");
	return (unsigned char *)strbuf_detach(&sb);
}

/* A PNM (P4, P5, P6) read back: its pixels as a page image. */
static void read_pnm(const char *path, struct page_image *img)
{
	size_t n;
	unsigned char *d = read_bytes(path, &n);
	size_t i = 2;
	int v[3] = { 0, 0, 255 }, want = d[1] == '4' ? 2 : 3;
	assert_true(d[0] == 'P' && (d[1] == '4' || d[1] == '5' || d[1] == '6'));
	for (int k = 0; k < want; k++) {
		while (i < n && (d[i] == ' ' || d[i] == '\n' || d[i] == '\r' || d[i] == '\t' ||
				 d[i] == '#')) {
			if (d[i] == '#')
				while (i < n && d[i] != '\n')
					i++;
			else
				i++;
		}
		v[k] = atoi((char *)d + i);
		while (i < n && d[i] >= '0' && d[i] <= '9')
			i++;
	}
	i++; /* the one white space after the header */
	enum page_kind kind = d[1] == '4' ? PAGE_LINEART : d[1] == '5' ? PAGE_GRAY : PAGE_COLOR;
	assert_true(v[2] == 255 || v[2] == 65535);
	page_image_alloc(img, kind, v[0], v[1], 0);
	size_t bytes = img->stride * (size_t)img->height;
	if (v[2] == 65535) { /* 16-bit samples, big-endian: their high bytes */
		assert_true(i + 2 * bytes <= n);
		for (size_t k = 0; k < bytes; k++)
			img->data[k] = d[i + 2 * k];
	} else {
		assert_true(i + bytes <= n);
		memcpy(img->data, d + i, bytes);
	}
	free(d);
}

/* Mean absolute difference of two 8-bit images of one kind and size. */
static double mean_diff(const struct page_image *a, const struct page_image *b)
{
	assert_int_equal(a->kind, b->kind);
	assert_int_equal(a->width, b->width);
	assert_int_equal(a->height, b->height);
	size_t row = page_image_row_bytes(a->kind, a->width);
	double sum = 0;
	for (int y = 0; y < a->height; y++)
		for (size_t x = 0; x < row; x++) {
			int d = a->data[(size_t)y * a->stride + x] - b->data[(size_t)y * b->stride + x];
			sum += d < 0 ? -d : d;
		}
	return sum / ((double)row * a->height);
}

/* Same black-and-white pixels. a may be a rendering of a page a few pixels
 * wider or taller than b (a page is a whole number of points; poppler also
 * rounds an image's edge outwards): the extra is ignored. */
static bool same_bits(const struct page_image *a, const struct page_image *b)
{
	if (a->kind != b->kind || a->width < b->width || a->height < b->height ||
	    a->width > b->width + 5 || a->height > b->height + 5)
		return false;
	for (int y = 0; y < b->height; y++)
		for (int x = 0; x < b->width; x++) {
			int pa = a->data[(size_t)y * a->stride + (size_t)x / 8] >> (7 - x % 8) & 1;
			int pb = b->data[(size_t)y * b->stride + (size_t)x / 8] >> (7 - x % 8) & 1;
			if (pa != pb)
				return false;
		}
	return true;
}

/* Mean absolute difference of the luma (ITU-R BT.601, as JPEG's Y) of two
 * colour images of one size: what JPEG keeps at full resolution. */
static double luma_diff(const struct page_image *a, const struct page_image *b)
{
	assert_int_equal(a->kind, PAGE_COLOR);
	assert_int_equal(b->kind, PAGE_COLOR);
	assert_int_equal(a->width, b->width);
	assert_int_equal(a->height, b->height);
	double sum = 0;
	for (int y = 0; y < a->height; y++)
		for (int x = 0; x < a->width; x++) {
			const unsigned char *p = a->data + (size_t)y * a->stride + 3 * (size_t)x;
			const unsigned char *q = b->data + (size_t)y * b->stride + 3 * (size_t)x;
			double ya = 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2];
			double yb = 0.299 * q[0] + 0.587 * q[1] + 0.114 * q[2];
			sum += ya > yb ? ya - yb : yb - ya;
		}
	return sum / ((double)a->width * a->height);
}

/* A rendering cut to the image it shows (its page is a whole number of
 * points, up to a point larger). */
static void crop(struct page_image *r, const struct page_image *to)
{
	assert_true(r->width >= to->width && r->width <= to->width + 5);
	assert_true(r->height >= to->height && r->height <= to->height + 5);
	r->width = to->width;
	r->height = to->height;
}

static bool same_bytes(const struct page_image *a, const struct page_image *b)
{
	if (a->kind != b->kind || a->width != b->width || a->height != b->height)
		return false;
	size_t row = page_image_row_bytes(a->kind, a->width);
	for (int y = 0; y < a->height; y++)
		if (memcmp(a->data + (size_t)y * a->stride, b->data + (size_t)y * b->stride, row))
			return false;
	return true;
}

/* Test images: a grey ramp, a colour pattern, a black-and-white grid. */
static void make_gray(struct page_image *img, int w, int h, int dpi)
{
	page_image_alloc(img, PAGE_GRAY, w, h, dpi);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++)
			img->data[(size_t)y * img->stride + (size_t)x] = (unsigned char)((x * 255) / (w - 1));
}

static void make_color(struct page_image *img, int w, int h, int dpi)
{
	page_image_alloc(img, PAGE_COLOR, w, h, dpi);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			unsigned char *p = img->data + (size_t)y * img->stride + 3 * (size_t)x;
			p[0] = x < w / 2 ? 200 : 30;
			p[1] = y < h / 2 ? 40 : 180;
			p[2] = 90;
		}
}

static void make_lineart(struct page_image *img, int w, int h, int dpi)
{
	page_image_alloc(img, PAGE_LINEART, w, h, dpi);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++)
			if ((x / 7 + y / 5) % 2 || x == y)
				img->data[(size_t)y * img->stride + (size_t)x / 8] |=
					(unsigned char)(0x80 >> (x % 8));
}

static void open_store(struct pagestore *ps, const char *dir)
{
	struct strbuf err = STRBUF_INIT;
	if (pagestore_open(ps, dir, &err))
		fail_msg("pagestore_open: %s", err.buf);
	strbuf_release(&err);
}

static void add_page(struct pagestore *ps, const struct page_image *img)
{
	struct strbuf err = STRBUF_INIT;
	if (pagestore_add(ps, img, &err))
		fail_msg("pagestore_add: %s", err.buf);
	strbuf_release(&err);
}

/* ================= pagestore ================= */

static void test_pagestore_edit(void **state)
{
	char *dir = xasprintf("%s/edit/scans/draft-1", tmpdir); /* parents made too */
	struct pagestore ps, again;
	struct page_image g, c, l, g2;
	struct strbuf err = STRBUF_INIT;

	make_gray(&g, 60, 40, 100);
	make_color(&c, 50, 70, 200);
	make_lineart(&l, 83, 31, 300);
	make_gray(&g2, 20, 20, 150);
	open_store(&ps, dir);
	assert_int_equal(ps.n, 0);
	add_page(&ps, &g);
	add_page(&ps, &c);
	add_page(&ps, &l);
	assert_int_equal(ps.n, 3);
	assert_string_equal(ps.pages[0].file, "p000001.jpg");
	assert_string_equal(ps.pages[2].file, "p000003.pbm");
	assert_int_equal(ps.pages[1].kind, PAGE_COLOR);
	assert_int_equal(ps.pages[1].dpi, 200);
	char *p0 = pagestore_path(&ps, 0);
	assert_int_equal(ps.pages[0].bytes, file_size(p0));
	free(p0);

	/* another process opening the folder sees the same pages */
	open_store(&again, dir);
	assert_int_equal(again.n, 3);
	for (size_t i = 0; i < 3; i++) {
		assert_string_equal(again.pages[i].file, ps.pages[i].file);
		assert_int_equal(again.pages[i].kind, ps.pages[i].kind);
		assert_int_equal(again.pages[i].width, ps.pages[i].width);
		assert_int_equal(again.pages[i].height, ps.pages[i].height);
		assert_int_equal(again.pages[i].dpi, ps.pages[i].dpi);
	}
	pagestore_release(&again);

	/* the black-and-white page comes back bit for bit */
	struct page_image back;
	assert_int_equal(pagestore_load_lineart(&ps, 2, &back, &err), 0);
	assert_true(same_bits(&back, &l));
	assert_int_equal(back.dpi, 300);
	page_image_release(&back);

	/* reorder: the grid first */
	assert_int_equal(pagestore_move(&ps, 2, 0, &err), 0);
	assert_string_equal(ps.pages[0].file, "p000003.pbm");
	assert_string_equal(ps.pages[1].file, "p000001.jpg");
	assert_string_equal(ps.pages[2].file, "p000002.jpg");
	/* delete the grey page */
	char *gone = pagestore_path(&ps, 1);
	assert_int_equal(pagestore_delete(&ps, 1, &err), 0);
	assert_int_equal(ps.n, 2);
	assert_false(exists(gone));
	free(gone);
	/* re-scan the colour page: a new file, the old one removed */
	char *old = pagestore_path(&ps, 1);
	assert_int_equal(pagestore_replace(&ps, 1, &g2, &err), 0);
	assert_false(exists(old));
	free(old);
	assert_string_equal(ps.pages[1].file, "p000004.jpg");
	assert_int_equal(ps.pages[1].kind, PAGE_GRAY);
	assert_int_equal(ps.pages[1].width, 20);
	/* out of range */
	assert_int_equal(pagestore_delete(&ps, 5, &err), -1);
	assert_non_null(strstr(err.buf, "không có trang 6"));
	strbuf_reset(&err);
	assert_int_equal(pagestore_move(&ps, 0, 2, &err), -1);
	strbuf_reset(&err);

	open_store(&again, dir);
	assert_int_equal(again.n, 2);
	assert_string_equal(again.pages[0].file, "p000003.pbm");
	assert_string_equal(again.pages[1].file, "p000004.jpg");
	assert_int_equal(count_files(dir), 3); /* two pages and the manifest */
	pagestore_release(&again);

	assert_int_equal(pagestore_truncate(&ps, 1, &err), 0);
	assert_int_equal(ps.n, 1);
	assert_int_equal(count_files(dir), 2);
	assert_int_equal(pagestore_remove(&ps, &err), 0);
	assert_false(exists(dir));

	char *dbdir = pagestore_dir_for("/var/lib/motcua/motcua.db", "H01-5");
	assert_string_equal(dbdir, "/var/lib/motcua/scans/H01-5");
	free(dbdir);
	page_image_release(&g);
	page_image_release(&c);
	page_image_release(&l);
	page_image_release(&g2);
	strbuf_release(&err);
	free(dir);
}

/* A process that dies after adding pages loses none of them; what a crash
 * left half-written is cleared when the folder is opened again. */
static void test_pagestore_crash(void **state)
{
	char *dir = new_dir("crash");
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct pagestore ps;
		struct page_image g;
		struct strbuf err = STRBUF_INIT;
		make_gray(&g, 30, 30, 150);
		if (pagestore_open(&ps, dir, &err) || pagestore_add(&ps, &g, &err) ||
		    pagestore_add(&ps, &g, &err))
			_exit(1);
		/* the next page's file was written, the manifest not yet */
		char *stray = xasprintf("%s/p000099.jpg", dir);
		FILE *f = fopen(stray, "w");
		fputs("half", f);
		fclose(f);
		char *tmp = xasprintf("%s/pages.tmp", dir);
		f = fopen(tmp, "w");
		fclose(f);
		_exit(0); /* no release, no cleanup: a crash */
	}
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);

	struct pagestore ps;
	open_store(&ps, dir);
	assert_int_equal(ps.n, 2);
	char *stray = xasprintf("%s/p000099.jpg", dir);
	char *tmp = xasprintf("%s/pages.tmp", dir);
	assert_false(exists(stray));
	assert_false(exists(tmp));
	/* the stray's number is not given again */
	struct page_image g;
	make_gray(&g, 10, 10, 150);
	add_page(&ps, &g);
	assert_string_equal(ps.pages[2].file, "p000100.jpg");
	page_image_release(&g);
	pagestore_release(&ps);
	free(stray);
	free(tmp);
	free(dir);
}

static void test_pagestore_damaged(void **state)
{
	char *dir = new_dir("damaged");
	char *manifest = xasprintf("%s/pages", dir);
	struct pagestore ps;
	struct strbuf err = STRBUF_INIT;

	write_bytes(manifest, "not a manifest\n", 15);
	assert_int_equal(pagestore_open(&ps, dir, &err), -1);
	assert_non_null(strstr(err.buf, "bị hỏng"));
	strbuf_reset(&err);
	const char *m = "motcua-pages 1\np000001.jpg gray 10 10 150\n";
	write_bytes(manifest, m, strlen(m));
	assert_int_equal(pagestore_open(&ps, dir, &err), -1);
	assert_non_null(strstr(err.buf, "thiếu tệp của trang 1 (p000001.jpg)"));
	strbuf_reset(&err);
	assert_int_equal(pagestore_open(&ps, "", &err), -1);
	strbuf_release(&err);
	free(manifest);
	free(dir);
}

/* A full disk while a page is written: the page is refused, the pages and
 * the folder stay as they were. */
static void test_pagestore_disk_full(void **state)
{
	char *dir = new_dir("full");
	struct pagestore ps;
	struct page_image small, big;
	make_gray(&small, 20, 20, 150);
	open_store(&ps, dir);
	add_page(&ps, &small);
	pagestore_release(&ps);

	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct rlimit rl = { 4096, 4096 };
		struct strbuf err = STRBUF_INIT;
		signal(SIGXFSZ, SIG_IGN);
		setrlimit(RLIMIT_FSIZE, &rl);
		make_color(&big, 400, 400, 150);
		/* noise: a JPEG far bigger than 4 KiB */
		for (size_t i = 0; i < big.stride * 400; i++)
			big.data[i] = (unsigned char)(i * 2654435761u >> 24);
		if (pagestore_open(&ps, dir, &err))
			_exit(10);
		if (pagestore_add(&ps, &big, &err) != -1)
			_exit(11);
		if (!strstr(err.buf, "không ghi được trang 2") ||
		    !strstr(err.buf, "tệp vượt quá kích thước cho phép"))
			_exit(12);
		if (ps.n != 1)
			_exit(13);
		_exit(0);
	}
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	open_store(&ps, dir);
	assert_int_equal(ps.n, 1);
	assert_int_equal(count_files(dir), 2);
	pagestore_release(&ps);
	page_image_release(&small);
	free(dir);
}

/* ================= docpdf ================= */

static void page_size_pt(const char *pdf, int page, double *w, double *h)
{
	char *info = run("pdfinfo -f %d -l %d '%s'", page, page, pdf);
	char key[32];
	snprintf(key, sizeof(key), "Page %4d size:", page);
	const char *p = strstr(info, key);
	if (!p)
		fail_msg("no [%s] in %s", key, info);
	assert_int_equal(sscanf(p + strlen(key), " %lf x %lf", w, h), 2);
	free(info);
}

static void test_docpdf(void **state)
{
	char *dir = new_dir("doc");
	char *pdf = xasprintf("%s/doc.pdf", tmpdir);
	struct pagestore ps;
	struct page_image c, g, l;
	struct docpdf_info info;
	struct strbuf err = STRBUF_INIT;

	make_color(&c, 170, 220, 200);
	make_gray(&g, 120, 90, 100);
	make_lineart(&l, 301, 203, 300);
	open_store(&ps, dir);
	add_page(&ps, &c);
	add_page(&ps, &g);
	add_page(&ps, &l);
	if (docpdf_write(&ps, pdf, "Giấy khai sinh", "2025-10-27T09:30", &info, &err))
		fail_msg("docpdf_write: %s", err.buf);
	assert_int_equal(info.pages, 3);
	assert_int_equal(info.bytes, file_size(pdf));
	assert_int_equal(info.bytes_per_page, (info.bytes + 1) / 3);
	char hex[65];
	assert_int_equal(files_sha256(pdf, hex, &err), 0);
	assert_string_equal(info.sha256, hex);
	char *sum = run("sha256sum '%s' | cut -c1-64", pdf);
	assert_memory_equal(sum, hex, 64);
	free(sum);
	char *tmp = xasprintf("%s.tmp", pdf);
	assert_false(exists(tmp));

	/* each page the size of its image at its resolution */
	double w, h;
	page_size_pt(pdf, 1, &w, &h);
	assert_float_equal(w, 62, 0.001); /* 61.2 pt rounded up */
	assert_float_equal(h, 80, 0.001); /* 79.2 */
	page_size_pt(pdf, 2, &w, &h);
	assert_float_equal(w, 87, 0.001); /* 86.4 */
	assert_float_equal(h, 65, 0.001); /* 64.8 */
	page_size_pt(pdf, 3, &w, &h);
	assert_float_equal(w, 73, 0.001); /* 72.24 */
	assert_float_equal(h, 49, 0.001); /* 48.72 */
	char *meta = run("pdfinfo '%s'", pdf);
	assert_non_null(strstr(meta, "Giấy khai sinh"));
	const char *creator = strstr(meta, "Creator:");
	assert_non_null(creator);
	assert_true(strstr(creator, "motcua") < strchr(creator, '\n'));
	free(meta);

	/* JPEG pages embedded as they are, the grid as a 1-bit stencil */
	char *list = run("pdfimages -list '%s' | tail -n +3", pdf);
	char *line2 = strchr(list, '\n') + 1, *line3 = strchr(line2, '\n') + 1;
	assert_non_null(strstr(list, "   170   220  rgb     3   8  jpeg"));
	assert_non_null(strstr(line2, "   120    90  gray    1   8  jpeg"));
	assert_non_null(strstr(line3, "stencil   301   203  -       1   1  image"));
	free(list);
	free(run("cd '%s' && pdfimages -j -f 1 -l 2 '%s' emb", tmpdir, pdf));
	for (int i = 0; i < 2; i++) {
		size_t na, nb;
		char *a = xasprintf("%s/emb-%03d.jpg", tmpdir, i);
		char *b = pagestore_path(&ps, (size_t)i);
		unsigned char *da = read_bytes(a, &na), *db = read_bytes(b, &nb);
		assert_int_equal(na, nb);
		assert_memory_equal(da, db, na);
		free(da);
		free(db);
		free(a);
		free(b);
	}

	/* rendered at their resolution, the pages are the images */
	struct page_image r;
	free(run("pdftoppm -r 300 -f 3 -l 3 -mono '%s' '%s/r3'", pdf, tmpdir));
	char *r3 = xasprintf("%s/r3-3.pbm", tmpdir);
	read_pnm(r3, &r);
	if (!same_bits(&r, &l)) {
		int bad = 0;
		for (int y = 0; y < l.height; y++)
			for (int x = 0; x < l.width; x++)
				bad += (r.data[(size_t)y * r.stride + (size_t)x / 8] ^ l.data[(size_t)y * l.stride + (size_t)x / 8]) >> (7 - x % 8) & 1;
		fail_msg("%d of %d pixels differ (%dx%d vs %dx%d)", bad, l.width * l.height, r.width, r.height, l.width, l.height);
	}
	page_image_release(&r);
	free(run("pdftoppm -r 100 -f 2 -l 2 -gray '%s' '%s/r2'", pdf, tmpdir));
	char *r2 = xasprintf("%s/r2-2.pgm", tmpdir);
	read_pnm(r2, &r);
	crop(&r, &g);
	assert_true(mean_diff(&r, &g) < 3.0);
	page_image_release(&r);
	free(run("pdftoppm -r 200 -f 1 -l 1 '%s' '%s/r1'", pdf, tmpdir));
	char *r1 = xasprintf("%s/r1-1.ppm", tmpdir);
	read_pnm(r1, &r);
	crop(&r, &c);
	assert_true(mean_diff(&r, &c) < 4.0);
	page_image_release(&r);

	/* no pages: nothing to write */
	struct pagestore empty;
	char *edir = new_dir("doc-empty");
	open_store(&empty, edir);
	char *none = xasprintf("%s/none.pdf", tmpdir);
	assert_int_equal(docpdf_write(&empty, none, NULL, NULL, &info, &err), -1);
	assert_non_null(strstr(err.buf, "chưa có trang nào"));
	assert_false(exists(none));
	pagestore_release(&empty);

	pagestore_release(&ps);
	page_image_release(&c);
	page_image_release(&g);
	page_image_release(&l);
	strbuf_release(&err);
	free(edir);
	free(none);
	free(r1);
	free(r2);
	free(r3);
	free(tmp);
	free(pdf);
	free(dir);
}

/* A full disk while the PDF is written: -1 and why, the file at the path as
 * it was, no half PDF, the pages still there. */
static void test_docpdf_disk_full(void **state)
{
	char *dir = new_dir("docfull");
	char *pdf = xasprintf("%s/full.pdf", tmpdir);
	char *tmp = xasprintf("%s.tmp", pdf);
	struct pagestore ps;
	struct page_image c;

	make_color(&c, 300, 300, 150);
	for (size_t i = 0; i < c.stride * 300; i++)
		c.data[i] = (unsigned char)(i * 2654435761u >> 24);
	open_store(&ps, dir);
	add_page(&ps, &c);
	add_page(&ps, &c);
	pagestore_release(&ps);
	write_bytes(pdf, "the previous scan", 17);
	char *first = xasprintf("%s/p000001.jpg", dir);
	long long page = file_size(first);
	free(first);

	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct rlimit rl = { (rlim_t)page * 3 / 2, (rlim_t)page * 3 / 2 };
		struct strbuf err = STRBUF_INIT;
		struct docpdf_info info;
		signal(SIGXFSZ, SIG_IGN);
		setrlimit(RLIMIT_FSIZE, &rl);
		if (pagestore_open(&ps, dir, &err))
			_exit(10);
		if (docpdf_write(&ps, pdf, NULL, NULL, &info, &err) != -1)
			_exit(11);
		if (!strstr(err.buf, "không ghi được tệp PDF") ||
		    !strstr(err.buf, "tệp vượt quá kích thước cho phép"))
			_exit(12);
		_exit(0);
	}
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	assert_false(exists(tmp));
	size_t n;
	unsigned char *left = read_bytes(pdf, &n);
	assert_string_equal((char *)left, "the previous scan");
	free(left);
	open_store(&ps, dir);
	assert_int_equal(ps.n, 2);
	pagestore_release(&ps);
	page_image_release(&c);
	free(tmp);
	free(pdf);
	free(dir);
}

/* ================= file import ================= */

static int import(struct pagestore *ps, const char *path, int dpi, size_t *added,
		  struct strbuf *err)
{
	strbuf_reset(err);
	return fileimport_file(ps, path, dpi, added, err);
}

static void write_png(const char *path, int w, int h, int what)
{
	cairo_surface_t *s = cairo_image_surface_create(what == 3 ? CAIRO_FORMAT_ARGB32 :
							CAIRO_FORMAT_RGB24, w, h);
	cairo_t *cr = cairo_create(s);
	if (what == 0) { /* grey ramp */
		cairo_pattern_t *p = cairo_pattern_create_linear(0, 0, w, 0);
		cairo_pattern_add_color_stop_rgb(p, 0, 0, 0, 0);
		cairo_pattern_add_color_stop_rgb(p, 1, 1, 1, 1);
		cairo_set_source(cr, p);
		cairo_paint(cr);
		cairo_pattern_destroy(p);
	} else if (what == 1) { /* colour */
		cairo_set_source_rgb(cr, 0.8, 0.1, 0.1);
		cairo_paint(cr);
		cairo_set_source_rgb(cr, 0.1, 0.1, 0.8);
		cairo_rectangle(cr, 0, 0, w / 2.0, h);
		cairo_fill(cr);
	} else if (what == 2) { /* black and white */
		cairo_set_source_rgb(cr, 1, 1, 1);
		cairo_paint(cr);
		cairo_set_antialias(cr, CAIRO_ANTIALIAS_NONE);
		cairo_set_source_rgb(cr, 0, 0, 0);
		cairo_rectangle(cr, 4, 4, 10, 6);
		cairo_fill(cr);
	} else { /* transparent, a black square in the middle */
		cairo_set_operator(cr, CAIRO_OPERATOR_SOURCE);
		cairo_set_source_rgba(cr, 0, 0, 0, 0);
		cairo_paint(cr);
		cairo_set_source_rgba(cr, 0, 0, 0, 1);
		cairo_rectangle(cr, w / 4, h / 4, w / 2, h / 2);
		cairo_fill(cr);
	}
	cairo_destroy(cr);
	assert_int_equal(cairo_surface_write_to_png(s, path), CAIRO_STATUS_SUCCESS);
	cairo_surface_destroy(s);
}

static void write_jpeg(const char *path, int w, int h, int comps, int dpi)
{
	struct jpeg_compress_struct c;
	struct jpeg_error_mgr jerr;
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	c.err = jpeg_std_error(&jerr);
	jpeg_create_compress(&c);
	jpeg_stdio_dest(&c, f);
	c.image_width = (JDIMENSION)w;
	c.image_height = (JDIMENSION)h;
	c.input_components = comps;
	c.in_color_space = comps == 1 ? JCS_GRAYSCALE : comps == 3 ? JCS_RGB : JCS_CMYK;
	jpeg_set_defaults(&c);
	if (dpi) {
		c.density_unit = 1;
		c.X_density = c.Y_density = (UINT16)dpi;
	}
	jpeg_start_compress(&c, TRUE);
	unsigned char *row = xmalloc((size_t)w * (size_t)comps);
	while (c.next_scanline < c.image_height) {
		for (int x = 0; x < w * comps; x++)
			row[x] = (unsigned char)((x + (int)c.next_scanline) * 3);
		if (comps == 4) /* Adobe CMYK, inverted: 255 is no ink; a pure blue */
			for (int x = 0; x < w; x++) {
				row[4 * x] = 255;
				row[4 * x + 1] = 255;
				row[4 * x + 2] = 0;
				row[4 * x + 3] = 255;
			}
		JSAMPROW r = row;
		jpeg_write_scanlines(&c, &r, 1);
	}
	jpeg_finish_compress(&c);
	jpeg_destroy_compress(&c);
	fclose(f);
	free(row);
}

/* Two pages: colour 8-bit RGB (LZW), then 1-bit CCITT G4, at 200 dpi. */
static void write_tiff(const char *path)
{
	TIFF *t = TIFFOpen(path, "w");
	assert_non_null(t);
	for (int page = 0; page < 2; page++) {
		int w = 64, h = 48;
		TIFFSetField(t, TIFFTAG_IMAGEWIDTH, w);
		TIFFSetField(t, TIFFTAG_IMAGELENGTH, h);
		TIFFSetField(t, TIFFTAG_XRESOLUTION, 200.0);
		TIFFSetField(t, TIFFTAG_YRESOLUTION, 200.0);
		TIFFSetField(t, TIFFTAG_RESOLUTIONUNIT, RESUNIT_INCH);
		TIFFSetField(t, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
		TIFFSetField(t, TIFFTAG_SUBFILETYPE, FILETYPE_PAGE);
		TIFFSetField(t, TIFFTAG_PAGENUMBER, page, 2);
		unsigned char row[64 * 3];
		if (page == 0) {
			TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, 8);
			TIFFSetField(t, TIFFTAG_SAMPLESPERPIXEL, 3);
			TIFFSetField(t, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_RGB);
			TIFFSetField(t, TIFFTAG_COMPRESSION, COMPRESSION_LZW);
			TIFFSetField(t, TIFFTAG_ROWSPERSTRIP, 8);
			for (int y = 0; y < h; y++) {
				for (int x = 0; x < w; x++) {
					row[3 * x] = 220;
					row[3 * x + 1] = (unsigned char)(x * 4);
					row[3 * x + 2] = 20;
				}
				assert_int_equal(TIFFWriteScanline(t, row, (uint32_t)y, 0), 1);
			}
		} else {
			TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, 1);
			TIFFSetField(t, TIFFTAG_SAMPLESPERPIXEL, 1);
			TIFFSetField(t, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISWHITE);
			TIFFSetField(t, TIFFTAG_COMPRESSION, COMPRESSION_CCITTFAX4);
			TIFFSetField(t, TIFFTAG_ROWSPERSTRIP, h);
			for (int y = 0; y < h; y++) {
				memset(row, 0, sizeof(row));
				for (int x = 0; x < w; x++)
					if ((x / 8 + y / 8) % 2)
						row[x / 8] |= (unsigned char)(0x80 >> (x % 8)); /* 1 = black */
				assert_int_equal(TIFFWriteScanline(t, row, (uint32_t)y, 0), 1);
			}
		}
		assert_int_equal(TIFFWriteDirectory(t), 1);
	}
	TIFFClose(t);
}

/* Two A5 pages: a red band with black text, then black lines only. */
static void write_pdf(const char *path)
{
	cairo_surface_t *s = cairo_pdf_surface_create(path, 419.53, 595.28);
	cairo_t *cr = cairo_create(s);
	cairo_set_source_rgb(cr, 0.8, 0, 0);
	cairo_rectangle(cr, 40, 40, 300, 60);
	cairo_fill(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_move_to(cr, 40, 200);
	cairo_set_font_size(cr, 24);
	cairo_show_text(cr, "CONG HOA XA HOI CHU NGHIA VIET NAM");
	cairo_show_page(cr);
	cairo_set_antialias(cr, CAIRO_ANTIALIAS_NONE);
	cairo_rectangle(cr, 72, 72, 144, 144);
	cairo_fill(cr);
	cairo_show_page(cr);
	cairo_destroy(cr);
	cairo_surface_destroy(s);
}

static void cut(const char *from, const char *to, double keep)
{
	size_t n;
	unsigned char *d = read_bytes(from, &n);
	write_bytes(to, d, (size_t)((double)n * keep));
	free(d);
}

static void test_import_images(void **state)
{
	char *dir = new_dir("import");
	struct pagestore ps;
	struct strbuf err = STRBUF_INIT;
	size_t added;
	char *f[8];
	for (int i = 0; i < 8; i++)
		f[i] = xasprintf("%s/in-%d", tmpdir, i);

	open_store(&ps, dir);
	/* PNG: grey, colour, black and white, transparent (over white paper) */
	char *png = xasprintf("%s.png", f[0]);
	write_png(png, 160, 90, 0);
	assert_int_equal(import(&ps, png, 0, &added, &err), 0);
	assert_int_equal(added, 1);
	assert_int_equal(ps.pages[0].kind, PAGE_GRAY);
	assert_int_equal(ps.pages[0].width, 160);
	/* no resolution in the file: an A4 width (landscape: 11.69 in) */
	assert_int_equal(ps.pages[0].dpi, 50); /* 14 dpi would do; 50 at least */
	write_png(png, 40, 30, 1);
	assert_int_equal(import(&ps, png, 0, &added, &err), 0);
	assert_int_equal(ps.pages[1].kind, PAGE_COLOR);
	write_png(png, 40, 30, 2);
	assert_int_equal(import(&ps, png, 0, &added, &err), 0);
	assert_int_equal(ps.pages[2].kind, PAGE_LINEART);
	struct page_image bw;
	assert_int_equal(pagestore_load_lineart(&ps, 2, &bw, &err), 0);
	assert_int_equal(bw.data[5 * bw.stride] & 0x08, 0x08);   /* (4, 5) black */
	assert_int_equal(bw.data[20 * bw.stride] & 0xFF, 0);      /* row 20 white */
	page_image_release(&bw);
	write_png(png, 40, 40, 3);
	assert_int_equal(import(&ps, png, 0, &added, &err), 0);
	assert_int_equal(ps.pages[3].kind, PAGE_LINEART); /* black on white paper */

	/* JPEG: kept as it is, its resolution read */
	char *jpg = xasprintf("%s.jpg", f[1]);
	write_jpeg(jpg, 120, 80, 1, 300);
	assert_int_equal(import(&ps, jpg, 0, &added, &err), 0);
	assert_int_equal(ps.pages[4].kind, PAGE_GRAY);
	assert_int_equal(ps.pages[4].dpi, 300);
	size_t na, nb;
	unsigned char *a = read_bytes(jpg, &na);
	char *kept = pagestore_path(&ps, 4);
	unsigned char *b = read_bytes(kept, &nb);
	assert_int_equal(na, nb);
	assert_memory_equal(a, b, na);
	free(a);
	free(b);
	free(kept);
	write_jpeg(jpg, 50, 40, 3, 0);
	assert_int_equal(import(&ps, jpg, 0, &added, &err), 0);
	assert_int_equal(ps.pages[5].kind, PAGE_COLOR);
	/* CMYK (as Photoshop writes it) becomes RGB: blue */
	write_jpeg(jpg, 32, 32, 4, 150);
	assert_int_equal(import(&ps, jpg, 0, &added, &err), 0);
	assert_int_equal(ps.pages[6].kind, PAGE_COLOR);
	assert_int_equal(ps.pages[6].dpi, 50); /* no JFIF header in CMYK: no resolution */

	/* TIFF: two pages, colour then black and white */
	char *tif = xasprintf("%s.tif", f[2]);
	write_tiff(tif);
	assert_int_equal(import(&ps, tif, 0, &added, &err), 0);
	assert_int_equal(added, 2);
	assert_int_equal(ps.pages[7].kind, PAGE_COLOR);
	assert_int_equal(ps.pages[7].dpi, 200);
	assert_int_equal(ps.pages[8].kind, PAGE_LINEART);
	assert_int_equal(ps.pages[8].width, 64);
	assert_int_equal(pagestore_load_lineart(&ps, 8, &bw, &err), 0);
	assert_int_equal(bw.data[0], 0x00);          /* row 0: white then black */
	assert_int_equal(bw.data[1], 0xFF);
	assert_int_equal(bw.data[8 * bw.stride], 0xFF);
	page_image_release(&bw);

	/* PDF: two A5 pages rendered at 100 dpi */
	char *pdf = xasprintf("%s.pdf", f[3]);
	write_pdf(pdf);
	assert_int_equal(import(&ps, pdf, 100, &added, &err), 0);
	assert_int_equal(added, 2);
	assert_int_equal(ps.pages[9].kind, PAGE_COLOR);
	assert_int_equal(ps.pages[9].width, 583);
	assert_int_equal(ps.pages[9].height, 827);
	assert_int_equal(ps.pages[9].dpi, 100);
	assert_int_equal(ps.pages[10].kind, PAGE_LINEART);
	assert_int_equal(ps.n, 11);

	/* the lot as one PDF */
	char *out = xasprintf("%s/imported.pdf", tmpdir);
	struct docpdf_info info;
	if (docpdf_write(&ps, out, NULL, NULL, &info, &err))
		fail_msg("docpdf_write: %s", err.buf);
	assert_int_equal(info.pages, 11);
	char *pages = run("pdfinfo '%s' | sed -n 's/^Pages: *//p'", out);
	assert_string_equal(pages, "11\n");
	free(pages);

	pagestore_release(&ps);
	for (int i = 0; i < 8; i++)
		free(f[i]);
	free(out);
	free(png);
	free(jpg);
	free(tif);
	free(pdf);
	strbuf_release(&err);
	free(dir);
}

/* Every bad file: refused with a message, the pagestore as it was. */
static void test_import_bad(void **state)
{
	char *dir = new_dir("bad");
	struct pagestore ps;
	struct strbuf err = STRBUF_INIT;
	struct page_image g;
	size_t added = 99;

	make_gray(&g, 20, 20, 150);
	open_store(&ps, dir);
	add_page(&ps, &g);
	page_image_release(&g);
	int files = count_files(dir);

	char *png = xasprintf("%s/good.png", tmpdir), *jpg = xasprintf("%s/good.jpg", tmpdir);
	char *tif = xasprintf("%s/good.tif", tmpdir), *pdf = xasprintf("%s/good.pdf", tmpdir);
	write_png(png, 200, 150, 1);
	write_jpeg(jpg, 200, 150, 3, 0);
	write_tiff(tif);
	write_pdf(pdf);
	struct {
		const char *from;
		double keep;
		const char *name;
		const char *msg;
	} cases[] = {
		{ png, 0.5, "cut.png", "tệp PNG %s bị hỏng hoặc không đầy đủ" },
		{ png, 0.97, "end.png", "tệp PNG %s bị hỏng hoặc không đầy đủ" },
		{ jpg, 0.5, "cut.jpg", "tệp JPEG %s bị hỏng hoặc không đầy đủ" },
		{ jpg, 0.002, "head.jpg", "tệp JPEG %s bị hỏng hoặc không đầy đủ" },
		/* the second page's strip is what goes: the first page is undone */
		{ tif, 0.9, "cut.tif", "tệp TIFF %s bị hỏng hoặc không đầy đủ" },
		{ tif, 0.1, "head.tif", "tệp TIFF %s bị hỏng hoặc không đầy đủ" },
		{ pdf, 0.2, "cut.pdf", "tệp PDF %s bị hỏng hoặc không đầy đủ" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *path = xasprintf("%s/%s", tmpdir, cases[i].name);
		cut(cases[i].from, path, cases[i].keep);
		char *want = xasprintf(cases[i].msg, path);
		assert_int_equal(import(&ps, path, 0, &added, &err), 1);
		if (!strstr(err.buf, want))
			fail_msg("%s: [%s], want [%s]", cases[i].name, err.buf, want);
		assert_int_equal(added, 0);
		assert_int_equal(ps.n, 1);
		assert_int_equal(count_files(dir), files);
		free(want);
		free(path);
	}
	char *text = xasprintf("%s/text.pdf", tmpdir);
	write_bytes(text, "xin chào\n", 10);
	assert_int_equal(import(&ps, text, 0, &added, &err), 1);
	assert_non_null(strstr(err.buf, "không phải là PDF"));
	char *txt = xasprintf("%s/notes.txt", tmpdir);
	write_bytes(txt, "xin chào\n", 10);
	assert_int_equal(import(&ps, txt, 0, &added, &err), 1);
	assert_non_null(strstr(err.buf, "không phải là PDF, JPEG, PNG hay TIFF"));
	char *photo = xasprintf("%s/photo.jpg", tmpdir);
	write_bytes(photo, "GIF89a........", 14);
	assert_int_equal(import(&ps, photo, 0, &added, &err), 1);
	assert_non_null(strstr(err.buf, "không phải là ảnh"));
	char *empty = xasprintf("%s/empty.png", tmpdir);
	write_bytes(empty, "", 0);
	assert_int_equal(import(&ps, empty, 0, &added, &err), 1);
	assert_non_null(strstr(err.buf, "rỗng"));
	char *missing = xasprintf("%s/none.jpg", tmpdir);
	assert_int_equal(import(&ps, missing, 0, &added, &err), 1);
	assert_non_null(strstr(err.buf, "không có tệp"));
	assert_int_equal(import(&ps, tmpdir, 0, &added, &err), 1);
	assert_non_null(strstr(err.buf, "không phải là một tệp"));
	assert_int_equal(ps.n, 1);
	assert_int_equal(count_files(dir), files);

	assert_int_equal(fileimport_sniff((const unsigned char *)"%PDF-1.7", 8), IMPORT_PDF);
	assert_int_equal(fileimport_sniff((const unsigned char *)"II*\0\x08\0\0\0", 8), IMPORT_TIFF);
	assert_int_equal(fileimport_sniff((const unsigned char *)"MM\0*", 4), IMPORT_TIFF);
	assert_int_equal(fileimport_sniff((const unsigned char *)"\xFF\xD8\xFF\xE0", 4), IMPORT_JPEG);
	assert_int_equal(fileimport_sniff((const unsigned char *)"\x89PNG\r\n\x1a\n", 8), IMPORT_PNG);
	assert_int_equal(fileimport_sniff((const unsigned char *)"\x89PN", 3), IMPORT_UNKNOWN);

	pagestore_release(&ps);
	free(png);
	free(jpg);
	free(tif);
	free(pdf);
	free(text);
	free(txt);
	free(photo);
	free(empty);
	free(missing);
	strbuf_release(&err);
	free(dir);
}

/* ================= scanning ================= */

struct collect {
	struct pagestore *ps;
	struct scanner *s;
	int progress_calls, last_pct;
	int fail_at;         /* on_next of this page sets an error in the backend */
	const char *fail_status;
	int cancel_at;       /* on_next of this page cancels */
	int slow_at;         /* on_next of this page slows the backend down */
	/* the canceller thread */
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool started;        /* a progress report of page slow_at arrived */
};

static int keep(void *arg, int page, struct page_image *img, struct strbuf *err)
{
	struct collect *c = arg;
	assert_int_equal(page, (int)c->ps->n);
	return pagestore_add(c->ps, img, err);
}

static void progress(void *arg, int page, int pct)
{
	struct collect *c = arg;
	c->progress_calls++;
	assert_true(pct >= -1 && pct <= 100);
	c->last_pct = pct;
	if (c->slow_at && page == c->slow_at) {
		pthread_mutex_lock(&c->lock);
		c->started = true;
		pthread_cond_signal(&c->cond);
		pthread_mutex_unlock(&c->lock);
	}
}

static bool next(void *arg, int page)
{
	struct collect *c = arg;
	struct strbuf err = STRBUF_INIT;
	if (page == c->fail_at &&
	    scan_set_option(c->s, "read-return-value", c->fail_status, &err))
		fail_msg("scan_set_option: %s", err.buf);
	if (page == c->slow_at) {
		/* 1 KiB a read, 20 ms apart: a page takes seconds */
		if (scan_set_option(c->s, "read-limit", "yes", &err) ||
		    scan_set_option(c->s, "read-limit-size", "1024", &err) ||
		    scan_set_option(c->s, "read-delay", "yes", &err) ||
		    scan_set_option(c->s, "read-delay-duration", "20000", &err))
			fail_msg("scan_set_option: %s", err.buf);
	}
	if (page == c->cancel_at)
		scan_cancel(c->s);
	strbuf_release(&err);
	return true;
}

static struct scanner *open_test(const char *dev, enum scan_source src, enum page_kind mode,
				 int dpi)
{
	struct scanner *s;
	struct strbuf err = STRBUF_INIT;
	struct scan_settings want = { src, mode, dpi }, got;
	bool bad = true;
	if (scan_open(&s, dev, &bad, &err))
		fail_msg("scan_open: %s", err.buf);
	assert_false(bad);
	if (scan_configure(s, &want, &got, &bad, &err))
		fail_msg("scan_configure: %s", err.buf);
	assert_int_equal(got.dpi, dpi);
	strbuf_release(&err);
	return s;
}

/* Runs a batch into a fresh pagestore. */
static int batch(struct scanner *s, struct collect *c, struct pagestore *ps, int pages, bool ask,
		 struct scan_result *r, struct strbuf *err)
{
	char *dir = new_dir("batch");
	open_store(ps, dir);
	free(dir);
	c->ps = ps;
	c->s = s;
	c->last_pct = -2;
	struct scan_job job = { pages, keep, progress, ask ? next : NULL, c };
	return scan_run(s, &job, r, err);
}

/* What scanimage gets from the test backend with the same settings. */
static void scanimage(const char *opts, struct page_image *img)
{
	char *pnm = xasprintf("%s/scanimage.pnm", tmpdir);
	char *out = run("scanimage -d test:0 -l 0 -t 0 -x 200 -y 200 %s --format=pnm -o '%s' 2>&1",
			opts, pnm);
	free(out);
	read_pnm(pnm, img);
	free(pnm);
}

static void decode_jpeg(const char *path, struct page_image *img)
{
	struct jpeg_decompress_struct d;
	struct jpeg_error_mgr jerr;
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	d.err = jpeg_std_error(&jerr);
	jpeg_create_decompress(&d);
	jpeg_stdio_src(&d, f);
	jpeg_read_header(&d, TRUE);
	jpeg_start_decompress(&d);
	page_image_alloc(img, d.output_components == 1 ? PAGE_GRAY : PAGE_COLOR, (int)d.output_width,
			 (int)d.output_height, 0);
	while (d.output_scanline < d.output_height) {
		JSAMPROW row = img->data + (size_t)d.output_scanline * img->stride;
		jpeg_read_scanlines(&d, &row, 1);
	}
	jpeg_finish_decompress(&d);
	jpeg_destroy_decompress(&d);
	fclose(f);
}

static void scanned(const struct pagestore *ps, size_t i, struct page_image *img)
{
	struct strbuf err = STRBUF_INIT;
	if (ps->pages[i].kind == PAGE_LINEART) {
		assert_int_equal(pagestore_load_lineart(ps, i, img, &err), 0);
	} else {
		char *path = pagestore_path(ps, i);
		decode_jpeg(path, img);
		free(path);
	}
	strbuf_release(&err);
}

static void test_scan_devices(void **state)
{
	struct scan_device_list l;
	struct strbuf err = STRBUF_INIT;
	assert_int_equal(scan_list_devices(&l, &err), 0);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[0].name, "test:0");
	assert_string_equal(l.v[0].vendor, "Noname");
	assert_string_equal(l.v[0].model, "frontend-tester");
	assert_string_equal(l.v[1].name, "test:1");
	scan_device_list_release(&l);

	struct scanner *s;
	bool bad = false;
	assert_int_equal(scan_open(&s, "nosuch:0", &bad, &err), -1);
	assert_true(bad);
	assert_non_null(strstr(err.buf, "không tìm thấy máy quét «nosuch:0»"));
	strbuf_reset(&err);
	assert_int_equal(scan_open(&s, "", &bad, &err), -1);
	assert_true(bad);
	strbuf_reset(&err);

	s = open_test("test:1", SCAN_FLATBED, PAGE_GRAY, 75);
	assert_int_equal(scan_set_option(s, "no-such-option", "1", &err), -1);
	assert_non_null(strstr(err.buf, "không có tùy chọn «no-such-option»"));
	strbuf_reset(&err);
	assert_int_equal(scan_set_option(s, "test-picture", "Plaid", &err), -1);
	strbuf_reset(&err);
	assert_int_equal(scan_set_option(s, "hand-scanner", "maybe", &err), -1);
	assert_non_null(strstr(err.buf, "yes hoặc no"));
	scan_close(s);
	scan_close(NULL);
	strbuf_release(&err);
	assert_int_equal(scan_source_parse("adf"), SCAN_ADF);
	assert_int_equal(scan_source_parse("feeder"), -1);
	assert_string_equal(scan_source_name(SCAN_FLATBED), "flatbed");
}

/* A flatbed page in each mode: the very pixels scanimage gets. */
static void test_scan_flatbed(void **state)
{
	static const struct {
		enum page_kind mode;
		const char *opts;
	} modes[] = {
		{ PAGE_COLOR, "--mode Color --depth 8 --resolution 75" },
		{ PAGE_GRAY, "--mode Gray --depth 8 --resolution 75" },
		{ PAGE_LINEART, "--mode Gray --depth 1 --resolution 75" },
	};
	for (size_t i = 0; i < 3; i++) {
		struct scanner *s = open_test("test:0", SCAN_FLATBED, modes[i].mode, 75);
		struct collect c = { 0 };
		struct pagestore ps;
		struct scan_result r;
		struct strbuf err = STRBUF_INIT;
		if (batch(s, &c, &ps, 0, false, &r, &err))
			fail_msg("scan_run: %s", err.buf);
		scan_close(s);
		assert_int_equal(r.end, SCAN_END_DONE);
		assert_int_equal(r.pages, 1); /* a flatbed: one page unless asked */
		assert_int_equal(ps.n, 1);
		assert_int_equal(ps.pages[0].kind, modes[i].mode);
		assert_int_equal(ps.pages[0].width, 590); /* 200 mm at 75 dpi */
		assert_int_equal(ps.pages[0].height, 590);
		assert_int_equal(ps.pages[0].dpi, 75);
		assert_true(c.progress_calls > 0);
		assert_int_equal(c.last_pct, 100);

		struct page_image ours, ref;
		scanned(&ps, 0, &ours);
		scanimage(modes[i].opts, &ref);
		if (modes[i].mode == PAGE_LINEART) {
			assert_true(same_bits(&ours, &ref));
		} else {
			/* through JPEG: the test pattern's one-pixel colour lines
			 * lose their chroma (subsampled), not their luma */
			double md = modes[i].mode == PAGE_COLOR ? luma_diff(&ours, &ref) :
								  mean_diff(&ours, &ref);
			if (md >= 6.0)
				fail_msg("mode %zu: mean difference %.2f", i, md);
		}
		page_image_release(&ours);
		page_image_release(&ref);
		pagestore_release(&ps);
		strbuf_release(&err);
	}
}

/* The raw frames, before JPEG: three-pass colour, 16-bit samples and a
 * hand scanner (no length known in advance) give the very bytes of a plain
 * 8-bit scan. */
static int grab(void *arg, int page, struct page_image *img, struct strbuf *err)
{
	struct page_image *out = arg;
	*out = *img;
	img->data = NULL;
	return 0;
}

static void raw_scan(const char *const *opts, enum page_kind mode, struct page_image *img)
{
	struct scanner *s = open_test("test:0", SCAN_FLATBED, mode, 75);
	struct strbuf err = STRBUF_INIT;
	for (const char *const *o = opts; o && *o; o += 2)
		if (scan_set_option(s, o[0], o[1], &err))
			fail_msg("scan_set_option %s: %s", o[0], err.buf);
	struct scan_job job = { 1, grab, NULL, NULL, img };
	struct scan_result r;
	memset(img, 0, sizeof(*img));
	if (scan_run(s, &job, &r, &err))
		fail_msg("scan_run: %s", err.buf);
	assert_int_equal(r.pages, 1);
	scan_close(s);
	strbuf_release(&err);
}

static void test_scan_frames(void **state)
{
	struct page_image plain, other;
	raw_scan(NULL, PAGE_COLOR, &plain);
	assert_int_equal(plain.kind, PAGE_COLOR);
	struct page_image ref;
	scanimage("--mode Color --depth 8 --resolution 75", &ref);
	assert_true(same_bytes(&plain, &ref));
	page_image_release(&ref);

	static const char *const three[] = { "three-pass", "yes", NULL };
	raw_scan(three, PAGE_COLOR, &other);
	assert_true(same_bytes(&plain, &other));
	page_image_release(&other);

	/* the backend draws another pattern in 16 bits: compared with
	 * scanimage's 16-bit scan, of which we keep the high bytes */
	static const char *const deep[] = { "depth", "16", NULL };
	raw_scan(deep, PAGE_COLOR, &other);
	assert_int_equal(other.kind, PAGE_COLOR);
	scanimage("--mode Color --depth 16 --resolution 75", &ref);
	assert_true(same_bytes(&ref, &other));
	page_image_release(&ref);
	page_image_release(&other);

	static const char *const hand[] = { "hand-scanner", "yes", NULL };
	raw_scan(hand, PAGE_GRAY, &other);
	assert_int_equal(other.kind, PAGE_GRAY);
	scanimage("--mode Gray --depth 8 --resolution 75 --hand-scanner=yes", &ref);
	assert_true(same_bytes(&ref, &other));
	page_image_release(&ref);
	page_image_release(&other);
	page_image_release(&plain);
}

/* The feeder holds 10 sheets: all of them, or as many as asked. */
static void test_scan_feeder(void **state)
{
	struct scanner *s = open_test("test:0", SCAN_ADF, PAGE_GRAY, 50);
	struct collect c = { 0 };
	struct pagestore ps;
	struct scan_result r;
	struct strbuf err = STRBUF_INIT;
	if (batch(s, &c, &ps, 0, false, &r, &err))
		fail_msg("scan_run: %s", err.buf);
	assert_int_equal(r.end, SCAN_END_EMPTY);
	assert_int_equal(r.pages, 10);
	assert_int_equal(ps.n, 10);
	char *pdf = xasprintf("%s/feeder.pdf", tmpdir);
	struct docpdf_info info;
	if (docpdf_write(&ps, pdf, NULL, NULL, &info, &err))
		fail_msg("docpdf_write: %s", err.buf);
	assert_int_equal(info.pages, 10);
	char *n = run("pdfimages -list '%s' | grep -c ' gray    1   8  jpeg '", pdf);
	assert_string_equal(n, "10\n");
	free(n);
	free(pdf);
	pagestore_release(&ps);
	scan_close(s);

	/* fewer than it holds */
	s = open_test("test:0", SCAN_ADF, PAGE_LINEART, 50);
	memset(&c, 0, sizeof(c));
	if (batch(s, &c, &ps, 3, false, &r, &err))
		fail_msg("scan_run: %s", err.buf);
	assert_int_equal(r.end, SCAN_END_DONE);
	assert_int_equal(r.pages, 3);
	assert_int_equal(ps.pages[2].kind, PAGE_LINEART);
	pagestore_release(&ps);
	/* the same scanner again: a new batch */
	memset(&c, 0, sizeof(c));
	if (batch(s, &c, &ps, 2, false, &r, &err))
		fail_msg("scan_run: %s", err.buf);
	assert_int_equal(r.pages, 2);
	pagestore_release(&ps);
	scan_close(s);
	strbuf_release(&err);
}

/* The scanner fails at page 3 (the backend returns SANE_STATUS_IO_ERROR
 * from then on, as a scanner unplugged mid-batch): the two pages before it
 * are kept, the error says where and why. */
static void test_scan_fails_midbatch(void **state)
{
	struct scanner *s = open_test("test:0", SCAN_ADF, PAGE_COLOR, 50);
	struct collect c = { .fail_at = 2, .fail_status = "SANE_STATUS_IO_ERROR" };
	struct pagestore ps;
	struct scan_result r;
	struct strbuf err = STRBUF_INIT;
	assert_int_equal(batch(s, &c, &ps, 0, true, &r, &err), -1);
	assert_int_equal(r.end, SCAN_END_DEVICE);
	assert_int_equal(r.pages, 2);
	assert_int_equal(ps.n, 2);
	assert_string_equal(err.buf, "máy quét ngừng ở trang 3: mất liên lạc với máy quét (lỗi vào/ra)");
	/* the pages are on disk for whoever opens the folder next */
	struct pagestore again;
	open_store(&again, ps.dir);
	assert_int_equal(again.n, 2);
	pagestore_release(&again);
	pagestore_release(&ps);
	/* the failed scanner is let go: it is opened again to go on */
	strbuf_reset(&err);
	struct scan_settings want = { SCAN_ADF, PAGE_GRAY, 50 };
	assert_int_equal(scan_configure(s, &want, NULL, NULL, &err), -1);
	assert_non_null(strstr(err.buf, "máy quét «test:0» đã ngắt; hãy mở lại"));
	scan_close(s);

	/* jammed at the first sheet: nothing scanned, the reason given */
	s = open_test("test:0", SCAN_ADF, PAGE_GRAY, 50);
	strbuf_reset(&err);
	assert_int_equal(scan_set_option(s, "read-return-value", "SANE_STATUS_JAMMED", &err), 0);
	memset(&c, 0, sizeof(c));
	assert_int_equal(batch(s, &c, &ps, 0, false, &r, &err), -1);
	assert_int_equal(r.end, SCAN_END_DEVICE);
	assert_int_equal(r.pages, 0);
	assert_non_null(strstr(err.buf, "kẹt giấy trong khay nạp"));
	pagestore_release(&ps);
	scan_close(s);
	strbuf_release(&err);
}

/* Cancelling between two pages: the pages before are kept. */
static void test_scan_cancel(void **state)
{
	struct scanner *s = open_test("test:0", SCAN_ADF, PAGE_GRAY, 50);
	struct collect c = { .cancel_at = 2 };
	struct pagestore ps;
	struct scan_result r;
	struct strbuf err = STRBUF_INIT;
	assert_int_equal(batch(s, &c, &ps, 0, true, &r, &err), 0);
	assert_int_equal(r.end, SCAN_END_CANCELLED);
	assert_int_equal(r.pages, 2);
	assert_int_equal(ps.n, 2);
	pagestore_release(&ps);
	scan_close(s);
	strbuf_release(&err);
}

/* Cancelling from another thread while a page is read (the backend made
 * slow for it): that page is dropped, the one before kept. */
static void *canceller(void *arg)
{
	struct collect *c = arg;
	pthread_mutex_lock(&c->lock);
	while (!c->started)
		pthread_cond_wait(&c->cond, &c->lock);
	pthread_mutex_unlock(&c->lock);
	scan_cancel(c->s);
	return NULL;
}

static void test_scan_cancel_thread(void **state)
{
	struct scanner *s = open_test("test:0", SCAN_ADF, PAGE_GRAY, 50);
	struct collect c = { .slow_at = 1 };
	struct pagestore ps;
	struct scan_result r;
	struct strbuf err = STRBUF_INIT;
	pthread_t t;
	pthread_mutex_init(&c.lock, NULL);
	pthread_cond_init(&c.cond, NULL);
	c.s = s;
	assert_int_equal(pthread_create(&t, NULL, canceller, &c), 0);
	if (batch(s, &c, &ps, 0, true, &r, &err))
		fail_msg("scan_run: %s", err.buf);
	pthread_join(t, NULL);
	assert_int_equal(r.end, SCAN_END_CANCELLED);
	assert_int_equal(r.pages, 1);
	assert_int_equal(ps.n, 1);
	pagestore_release(&ps);
	scan_close(s);
	pthread_mutex_destroy(&c.lock);
	pthread_cond_destroy(&c.cond);
	strbuf_release(&err);
}

/* A page that cannot be kept (the pagestore's disk is full) stops the batch. */
static int refuse(void *arg, int page, struct page_image *img, struct strbuf *err)
{
	int *kept = arg;
	if (page == 1) {
		strbuf_addstr(err, "không ghi được trang 2: ổ đĩa đã đầy");
		return -1;
	}
	(*kept)++;
	return 0;
}

static void test_scan_store_fails(void **state)
{
	struct scanner *s = open_test("test:0", SCAN_ADF, PAGE_GRAY, 50);
	int kept = 0;
	struct scan_job job = { 0, refuse, NULL, NULL, &kept };
	struct scan_result r;
	struct strbuf err = STRBUF_INIT;
	assert_int_equal(scan_run(s, &job, &r, &err), -1);
	assert_int_equal(r.end, SCAN_END_STORE);
	assert_int_equal(r.pages, 1);
	assert_int_equal(kept, 1);
	assert_string_equal(err.buf, "không ghi được trang 2: ổ đĩa đã đầy");
	/* the scanner is still usable */
	strbuf_reset(&err);
	struct page_image img;
	struct scan_job one = { 1, grab, NULL, NULL, &img };
	assert_int_equal(scan_run(s, &one, &r, &err), 0);
	assert_int_equal(r.pages, 1);
	page_image_release(&img);
	scan_close(s);
	strbuf_release(&err);
}

static int setup(void **state)
{
	/* client/print/pdf.c carries the program's LeakSanitizer suppressions
	 * (fontconfig, which poppler loads to render PDF pages): linked in
	 * through one of its functions */
	char date[64];
	pdf_vn_date(date, sizeof(date), 2025, 10, 27);
	if (!mkdtemp(tmpdir))
		return -1;
	char *sane = xasprintf("%s/sane", tmpdir);
	mkdir(sane, 0700);
	char *dll = xasprintf("%s/dll.conf", sane);
	write_bytes(dll, "test\n", 5);
	char *conf = xasprintf("%s/test.conf", sane);
	const char *tc = "test-picture \"Color pattern\"\n";
	write_bytes(conf, tc, strlen(tc));
	setenv("SANE_CONFIG_DIR", sane, 1);
	free(sane);
	free(dll);
	free(conf);
	return 0;
}

static int teardown(void **state)
{
	char *cmd = xasprintf("rm -rf '%s'", tmpdir);
	int rc = system(cmd);
	free(cmd);
	return rc == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pagestore_edit),
		cmocka_unit_test(test_pagestore_crash),
		cmocka_unit_test(test_pagestore_damaged),
		cmocka_unit_test(test_pagestore_disk_full),
		cmocka_unit_test(test_docpdf),
		cmocka_unit_test(test_docpdf_disk_full),
		cmocka_unit_test(test_import_images),
		cmocka_unit_test(test_import_bad),
		cmocka_unit_test(test_scan_devices),
		cmocka_unit_test(test_scan_flatbed),
		cmocka_unit_test(test_scan_frames),
		cmocka_unit_test(test_scan_feeder),
		cmocka_unit_test(test_scan_fails_midbatch),
		cmocka_unit_test(test_scan_cancel),
		cmocka_unit_test(test_scan_cancel_thread),
		cmocka_unit_test(test_scan_store_fails),
	};
	return cmocka_run_group_tests_name("scan", tests, setup, teardown);
}
