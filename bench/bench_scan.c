/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench_scan: scanning to a PDF, pages per minute and bytes per page.
 *
 *   bench_scan [--runs N] [--summary FILE]
 *
 * 1. Speed: SANE's `test` backend (a SANE_CONFIG_DIR of its own, made in a
 *    temporary folder) feeds its 10 sheets through the feeder at 150 and 300
 *    dpi in colour, grey and black-and-white, N times each (default 3): the
 *    whole of what a clerk waits for, from opening the scanner to the PDF
 *    written (the child process, the pages' transfer, JPEG or PBM, each page
 *    fsynced to the pagestore, the PDF, its SHA-256). The backend makes its
 *    pages in memory at once, so this is our pipeline's capacity; a real
 *    feeder's 20 to 60 pages a minute is the mechanical limit.
 *    Its "Color pattern" is one-pixel coloured lines: the worst case for
 *    JPEG, so its bytes per page are shown but are not a paper's.
 * 2. Size: a real paper instead, an A4 page of Vietnamese text (pdf.h, the
 *    forms' fonts) rendered by poppler as a scanner would see it, kept in
 *    each mode at 150, 200 and 300 dpi through the same pagestore and PDF
 *    code: the bytes per page a clerk's PDFs will have.
 * 3. The automatic mode (the scan screen's default) on the page of
 *    tests/paper_vi.h (an application, 13 pt, on tinted noisy paper), plain
 *    and with a red seal and a blue signature, at 150, 200 and 300 dpi: the
 *    kind chosen and the bytes, against the colour, grey and black-and-white
 *    modes; and the 1-bit page's PDF against `tiffcp -c g4` of its bits.
 *    Budgets (issues 17 and 13): a text page <= 60 kB and a colour page <=
 *    150 kB at 200 dpi, the PDF within 1.2 times the G4 TIFF.
 * 4. OCR: the page at 200 dpi in the automatic mode (black and white), as
 *    BENCH_OCR_PAPERS papers (3) of BENCH_OCR_PAGES pages (4) filed in a
 *    store of their own, read by the OCR worker's pass (ocrworker.h: the
 *    pool of ocr_workers() tesseract processes, the pages kept, the text
 *    stored page by page): pages a minute of wall time, the CPU time a page
 *    costs (tesseract's, from getrusage of the children, plus the pass's
 *    own) and the pages a minute the machine's cores allow at that cost, the
 *    character error rate; then, for comparison, the way it was before on
 *    2 of those pages (pdftoppm at 300 dpi, one tesseract at a time) and one
 *    page read enlarged to 300 dpi. The load average is shown: the wall
 *    times count what else the machine runs. Budget: >= 20 pages a minute.
 *
 * Each line also goes to FILE as "measure<TAB>value<TAB>budget<TAB>ok|OVER|-"
 * for bench/run.sh's summary; exit 1 when a budget is missed. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cairo.h>
#include <poppler.h>
#include <sqlite3.h>
#include <tiffio.h>

#include "bench/bench.h"
#include "client/scan/docpdf.h"
#include "client/scan/ocr.h"
#include "client/scan/ocrworker.h"
#include "client/scan/pageauto.h"
#include "client/scan/pagestore.h"
#include "client/print/pdf.h"
#include "client/scan/scan.h"
#include "client/store/store.h"
#include "core/xalloc.h"
#include "tests/paper_vi.h"

static int runs = 3;
static FILE *summary;
static int status;
static char tmpdir[] = "/tmp/motcua-bench-scan-XXXXXX";
static int seq;

static void die(const char *what, const char *msg)
{
	fprintf(stderr, "bench_scan: %s: %s\n", what, msg ? msg : "?");
	exit(1);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (!f || fputs(text, f) < 0 || fclose(f))
		die(path, "cannot write");
}

static const char *mode_vn(enum page_kind k)
{
	return k == PAGE_COLOR ? "colour" : k == PAGE_GRAY ? "grey" : "black and white";
}

static int keep(void *arg, int page, struct page_image *img, struct strbuf *err)
{
	return pagestore_add(arg, img, err);
}

/* One batch of the feeder into a PDF; returns its time in ms. */
static double one_batch(enum page_kind mode, int dpi, int *pages, long long *bytes,
			double *scan_ms)
{
	char *dir = xasprintf("%s/pages-%d", tmpdir, ++seq);
	char *pdf = xasprintf("%s/batch-%d.pdf", tmpdir, seq);
	struct strbuf err = STRBUF_INIT;
	struct pagestore ps;
	struct scanner *s;
	struct timespec t0;
	struct scan_result r;
	struct docpdf_info info;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (scan_open(&s, "test:0", NULL, &err))
		die("scan_open", err.buf);
	struct scan_settings want = { SCAN_ADF, mode, dpi };
	if (scan_configure(s, &want, NULL, NULL, &err))
		die("scan_configure", err.buf);
	if (pagestore_open(&ps, dir, &err))
		die("pagestore_open", err.buf);
	struct scan_job job = { 0, keep, NULL, NULL, &ps };
	if (scan_run(s, &job, &r, &err))
		die("scan_run", err.buf);
	scan_close(s);
	*scan_ms = bench_ms_since(&t0);
	if (docpdf_write(&ps, pdf, NULL, NULL, &info, &err))
		die("docpdf_write", err.buf);
	double ms = bench_ms_since(&t0);
	*pages = info.pages;
	*bytes = info.bytes;
	if (pagestore_remove(&ps, &err))
		die("pagestore_remove", err.buf);
	unlink(pdf);
	free(pdf);
	free(dir);
	strbuf_release(&err);
	return ms;
}

static void bench_speed(void)
{
	static const enum page_kind modes[] = { PAGE_COLOR, PAGE_GRAY, PAGE_LINEART };
	static const int dpis[] = { 150, 300 };

	printf("bench_scan: the test backend's feeder (10 sheets of 200 x 200 mm, \"Color pattern\"),\n"
	       "scanner opened to PDF written, %d runs each\n\n", runs);
	printf("%-36s %10s %10s %10s %12s\n", "case", "pages/min", "batch ms", "PDF ms", "bytes/page");
	for (size_t d = 0; d < 2; d++)
		for (size_t m = 0; m < 3; m++) {
			double *t = xcalloc((size_t)runs, sizeof(*t)), pdf_ms = 0;
			int pages = 0;
			long long bytes = 0;
			for (int i = 0; i < runs; i++) {
				double scan_ms;
				t[i] = one_batch(modes[m], dpis[d], &pages, &bytes, &scan_ms);
				pdf_ms += t[i] - scan_ms;
			}
			qsort(t, (size_t)runs, sizeof(*t), bench_cmp_double);
			double median = t[runs / 2];
			double ppm = pages * 60000.0 / median;
			char name[96], value[96];
			snprintf(name, sizeof(name), "%d dpi %s", dpis[d], mode_vn(modes[m]));
			printf("%-36s %10.0f %10.0f %10.0f %12lld\n", name, ppm, median, pdf_ms / runs,
			       bytes / pages);
			if (summary) {
				snprintf(value, sizeof(value), "%.0f pages/min (test pattern: %lld KB/page)",
					 ppm, bytes / pages / 1024);
				fprintf(summary, "scan -> PDF, %s (test backend)\t%s\t-\t-\n", name, value);
			}
			free(t);
		}
	printf("\n");
}

/* An A4 page of a citizen's paper, as text. */
static void make_paper(const char *path)
{
	struct pdf_doc d;
	struct strbuf err = STRBUF_INIT;
	if (pdf_open(&d, path, PDF_A4_W, PDF_A4_H, &err))
		die("pdf_open", err.buf);
	pdf_set_margins(&d, 20, 20, 20, 30);
	struct pdf_style head = { 13, true, false, PDF_CENTER, 0 };
	struct pdf_style body = { 13, false, false, PDF_JUSTIFY, 1.3 };
	pdf_para(&d, pdf_x0(&d), pdf_text_width(&d),
		 "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc", &head);
	d.y += 8;
	pdf_para(&d, pdf_x0(&d), pdf_text_width(&d), "GIẤY CHỨNG NHẬN KẾT HÔN", &head);
	d.y += 6;
	for (int i = 0; i < 9; i++)
		pdf_para(&d, pdf_x0(&d), pdf_text_width(&d),
			 "Họ, chữ đệm, tên người chồng: Nguyễn Văn Hùng; ngày, tháng, năm sinh: 12/03/1990; "
			 "dân tộc: Kinh; quốc tịch: Việt Nam; nơi cư trú: số 12 ngõ 5 phố Đội Cấn, phường "
			 "Ngọc Hà, thành phố Hà Nội; giấy tờ tùy thân: thẻ Căn cước số 001090012345.",
			 &body);
	if (pdf_close(&d, &err))
		die("pdf_close", err.buf);
	strbuf_release(&err);
}

/* The paper rendered at dpi, as a page of mode. */
static void render(PopplerPage *page, int dpi, enum page_kind mode, struct page_image *img)
{
	double w, h;
	poppler_page_get_size(page, &w, &h);
	int pw = (int)ceil(w * dpi / 72.0), ph = (int)ceil(h * dpi / 72.0);
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, pw, ph);
	cairo_t *cr = cairo_create(s);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_scale(cr, dpi / 72.0, dpi / 72.0);
	poppler_page_render_for_printing(page, cr);
	cairo_destroy(cr);
	cairo_surface_flush(s);
	page_image_alloc(img, mode, pw, ph, dpi);
	const unsigned char *data = cairo_image_surface_get_data(s);
	int stride = cairo_image_surface_get_stride(s);
	for (int y = 0; y < ph; y++) {
		const uint32_t *row = (const uint32_t *)(const void *)(data + (size_t)y * (size_t)stride);
		unsigned char *dst = img->data + (size_t)y * img->stride;
		for (int x = 0; x < pw; x++) {
			unsigned r = row[x] >> 16 & 255, g = row[x] >> 8 & 255, b = row[x] & 255;
			unsigned yv = (299 * r + 587 * g + 114 * b) / 1000;
			if (mode == PAGE_COLOR) {
				dst[3 * x] = (unsigned char)r;
				dst[3 * x + 1] = (unsigned char)g;
				dst[3 * x + 2] = (unsigned char)b;
			} else if (mode == PAGE_GRAY) {
				dst[x] = (unsigned char)yv;
			} else if (yv < 128) {
				dst[x / 8] |= (unsigned char)(0x80 >> (x % 8));
			}
		}
	}
	cairo_surface_destroy(s);
}

static void bench_size(void)
{
	char *paper = xasprintf("%s/paper.pdf", tmpdir);
	make_paper(paper);
	char *uri = xasprintf("file://%s", paper);
	GError *gerr = NULL;
	PopplerDocument *doc = poppler_document_new_from_file(uri, NULL, &gerr);
	if (!doc)
		die(paper, gerr ? gerr->message : "?");
	PopplerPage *page = poppler_document_get_page(doc, 0);
	static const enum page_kind modes[] = { PAGE_COLOR, PAGE_GRAY, PAGE_LINEART };
	static const int dpis[] = { 150, 200, 300 };

	printf("bench_scan: an A4 page of Vietnamese text, one page's PDF (JPEG quality %d)\n\n",
	       PAGESTORE_JPEG_QUALITY);
	printf("%-36s %12s %12s\n", "case", "bytes/page", "page ms");
	for (size_t d = 0; d < 3; d++)
		for (size_t m = 0; m < 3; m++) {
			struct page_image img;
			struct pagestore ps;
			struct docpdf_info info;
			struct strbuf err = STRBUF_INIT;
			char *dir = xasprintf("%s/paper-%d", tmpdir, ++seq);
			char *pdf = xasprintf("%s/paper-%d.pdf", tmpdir, seq);
			render(page, dpis[d], modes[m], &img);
			struct timespec t0;
			clock_gettime(CLOCK_MONOTONIC, &t0);
			if (pagestore_open(&ps, dir, &err) || pagestore_add(&ps, &img, &err) ||
			    docpdf_write(&ps, pdf, NULL, NULL, &info, &err))
				die("paper", err.buf);
			double ms = bench_ms_since(&t0);
			char name[96];
			snprintf(name, sizeof(name), "%d dpi %s", dpis[d], mode_vn(modes[m]));
			printf("%-36s %12lld %12.1f\n", name, info.bytes, ms);
			if (summary)
				fprintf(summary, "PDF of an A4 text page, %s\t%lld KB\t-\t-\n", name,
					info.bytes / 1024);
			pagestore_remove(&ps, &err);
			unlink(pdf);
			page_image_release(&img);
			strbuf_release(&err);
			free(dir);
			free(pdf);
		}
	printf("\n");
	g_object_unref(page);
	g_object_unref(doc);
	unlink(paper);
	free(uri);
	free(paper);
}

/* ---- 3. the automatic mode on a page of text ---- */

static void result(const char *measure, const char *value, const char *budget, bool ok)
{
	if (!ok)
		status = 1;
	if (summary)
		fprintf(summary, "%s\t%s\t%s\t%s\n", measure, value, budget, ok ? "ok" : "OVER");
}

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static double cpu_s(int who)
{
	struct rusage ru;
	getrusage(who, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static void copy_image(const struct page_image *from, struct page_image *to)
{
	page_image_alloc(to, from->kind, from->width, from->height, from->dpi);
	memcpy(to->data, from->data, from->stride * (size_t)from->height);
}

/* The colour page as the grey or the black-and-white mode would keep it
 * (the device's own: luma, and luma under 128 black). */
static void as_mode(const struct page_image *color, enum page_kind mode, struct page_image *out)
{
	page_image_alloc(out, mode, color->width, color->height, color->dpi);
	for (int y = 0; y < color->height; y++) {
		const unsigned char *src = color->data + (size_t)y * color->stride;
		unsigned char *dst = out->data + (size_t)y * out->stride;
		for (int x = 0; x < color->width; x++) {
			const unsigned char *p = src + 3 * x;
			unsigned l = (299u * p[0] + 587u * p[1] + 114u * p[2]) / 1000;
			if (mode == PAGE_GRAY)
				dst[x] = (unsigned char)l;
			else if (l < 128)
				dst[x / 8] |= (unsigned char)(0x80 >> (x % 8));
		}
	}
}

/* Bytes of the one-page PDF of img kept as mode (PAGE_MIXED: automatic,
 * the kind chosen in *kind); img is consumed. */
static long long page_pdf(struct page_image *img, bool automatic, enum page_kind *kind)
{
	char *dir = xasprintf("%s/auto-%d", tmpdir, ++seq);
	char *pdf = xasprintf("%s/auto-%d.pdf", tmpdir, seq);
	struct pagestore ps;
	struct strbuf err = STRBUF_INIT;
	struct docpdf_info info;
	if (pagestore_open(&ps, dir, &err) ||
	    (automatic ? pagestore_add_auto(&ps, img, &err) : pagestore_add(&ps, img, &err)) ||
	    docpdf_write(&ps, pdf, NULL, NULL, &info, &err))
		die("page", err.buf);
	if (kind)
		*kind = ps.pages[0].kind;
	pagestore_remove(&ps, &err);
	unlink(pdf);
	page_image_release(img);
	strbuf_release(&err);
	free(dir);
	free(pdf);
	return info.bytes;
}

static const char *kind_en(enum page_kind k)
{
	return k == PAGE_COLOR ? "colour" : k == PAGE_GRAY ? "grey"
		: k == PAGE_LINEART ? "b/w" : "mixed";
}

/* The page's 1-bit PDF against `tiffcp -c g4` of the same bits. */
static void g4_ratio(void)
{
	struct page_image img, mask;
	if (!paper_vi_render(200, false, &img) || page_auto(&img, &mask, NULL) != PAGE_LINEART)
		die("g4", "the page of text is not black and white");
	char *raw = xasprintf("%s/g4-raw.tif", tmpdir), *g4 = xasprintf("%s/g4.tif", tmpdir);
	TIFF *t = TIFFOpen(raw, "w");
	if (!t)
		die(raw, "cannot write");
	TIFFSetField(t, TIFFTAG_IMAGEWIDTH, (uint32_t)img.width);
	TIFFSetField(t, TIFFTAG_IMAGELENGTH, (uint32_t)img.height);
	TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, 1);
	TIFFSetField(t, TIFFTAG_SAMPLESPERPIXEL, 1);
	TIFFSetField(t, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISWHITE);
	TIFFSetField(t, TIFFTAG_ROWSPERSTRIP, (uint32_t)img.height);
	for (int y = 0; y < img.height; y++)
		TIFFWriteScanline(t, img.data + (size_t)y * img.stride, (uint32_t)y, 0);
	TIFFClose(t);
	char *cmd = xasprintf("tiffcp -c g4 '%s' '%s'", raw, g4);
	if (system(cmd))
		die("tiffcp", "failed (Debian package libtiff-tools)");
	struct stat st;
	stat(g4, &st);
	long long pdf = page_pdf(&img, false, NULL);
	double ratio = (double)pdf / (double)st.st_size;
	printf("the 1-bit page at 200 dpi: PDF %lld bytes, tiffcp -c g4 %lld bytes: %.3f times\n\n",
	       pdf, (long long)st.st_size, ratio);
	char value[96];
	snprintf(value, sizeof value, "%.3f (%lld / %lld bytes)", ratio, pdf,
		 (long long)st.st_size);
	result("1-bit text page, 200 dpi: PDF / tiffcp -c g4", value, "<= 1.2", ratio <= 1.2);
	unlink(raw);
	unlink(g4);
	free(cmd);
	free(raw);
	free(g4);
}

static void bench_auto(void)
{
	static const int dpis[] = { 150, 200, 300 };
	printf("bench_scan: the automatic mode on an A4 application (tests/paper_vi.h),\n"
	       "one page's PDF in kB (1000 bytes); JPEG quality %d\n\n", PAGESTORE_JPEG_QUALITY);
	printf("%-28s %18s %10s %10s %10s %10s\n", "page", "automatic", "colour", "grey", "b/w",
	       "judge ms");
	for (size_t d = 0; d < 3; d++)
		for (int seal = 0; seal < 2; seal++) {
			struct page_image page, img;
			if (!paper_vi_render(dpis[d], seal, &page))
				die("paper_vi_render", "the text does not fit the page");
			enum page_kind kind;
			struct page_image mask;
			copy_image(&page, &img);
			double j0 = cpu_s(RUSAGE_SELF);
			if (page_auto(&img, &mask, NULL) == PAGE_MIXED)
				page_image_release(&mask);
			double judge = (cpu_s(RUSAGE_SELF) - j0) * 1000;
			page_image_release(&img);
			copy_image(&page, &img);
			long long a = page_pdf(&img, true, &kind);
			copy_image(&page, &img);
			long long c = page_pdf(&img, false, NULL);
			as_mode(&page, PAGE_GRAY, &img);
			long long g = page_pdf(&img, false, NULL);
			as_mode(&page, PAGE_LINEART, &img);
			long long b = page_pdf(&img, false, NULL);
			page_image_release(&page);
			char name[64], av[32];
			snprintf(name, sizeof name, "%d dpi, %s", dpis[d],
				 seal ? "text, seal, signature" : "text");
			snprintf(av, sizeof av, "%s %.1f", kind_en(kind), a / 1000.0);
			printf("%-28s %18s %10.1f %10.1f %10.1f %10.0f\n", name, av, c / 1000.0,
			       g / 1000.0, b / 1000.0, judge);
			char measure[128], value[128];
			snprintf(measure, sizeof measure, "scan, automatic mode: A4 %s", name);
			snprintf(value, sizeof value, "%s, %.1f kB (colour mode %.1f kB)",
				 kind_en(kind), a / 1000.0, c / 1000.0);
			if (dpis[d] == 200)
				result(measure, value, seal ? "<= 150 kB" : "<= 60 kB",
				       a <= (seal ? 150000 : 60000));
			else if (summary)
				fprintf(summary, "%s\t%s\t-\t-\n", measure, value);
		}
	printf("\n");
	g4_ratio();
}

/* ---- 4. OCR ---- */

static double loadavg(void)
{
	double l = -1;
	FILE *f = fopen("/proc/loadavg", "r");
	if (f) {
		if (fscanf(f, "%lf", &l) != 1)
			l = -1;
		fclose(f);
	}
	return l;
}

static void exec_sql(struct store *st, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK)
		die(sql, msg);
}

static char *doc_text(struct store *st, const char *id)
{
	sqlite3_stmt *q;
	sqlite3_prepare_v2(st->db, "SELECT ocr_state, ocr_text FROM documents WHERE id = ?", -1,
			   &q, NULL);
	sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
	char *text = NULL;
	if (sqlite3_step(q) == SQLITE_ROW &&
	    !strcmp((const char *)sqlite3_column_text(q, 0), "done"))
		text = xstrdup((const char *)sqlite3_column_text(q, 1));
	sqlite3_finalize(q);
	return text;
}

/* The worst character error rate of the pages of text (form feeds apart). */
static double worst_cer(const char *text)
{
	double worst = 0;
	char *copy = xstrdup(text), *save = NULL;
	int pages = 0;
	for (char *p = strtok_r(copy, "\f", &save); p; p = strtok_r(NULL, "\f", &save), pages++) {
		double c = paper_vi_cer(paper_vi_text(), p);
		if (c > worst)
			worst = c;
	}
	free(copy);
	return pages ? worst : 1;
}

/* The way before: the PDF rendered at 300 dpi by pdftoppm, then one
 * tesseract after the other, as ocr.c did. CPU and wall seconds a page. */
static void ocr_before(const struct page_image *bw, int pages, double *cpu, double *wall)
{
	char *dir = xasprintf("%s/before", tmpdir), *pdf = xasprintf("%s/before.pdf", tmpdir);
	struct pagestore ps;
	struct strbuf err = STRBUF_INIT;
	struct docpdf_info info;
	if (pagestore_open(&ps, dir, &err))
		die("before", err.buf);
	for (int i = 0; i < pages; i++)
		if (pagestore_add(&ps, bw, &err))
			die("before", err.buf);
	if (docpdf_write(&ps, pdf, NULL, NULL, &info, &err))
		die("before", err.buf);
	double c0 = cpu_s(RUSAGE_CHILDREN), t0 = now_s();
	char *cmd = xasprintf("cd '%s' && pdftoppm -r 300 -png '%s' r && for f in r-*.png; do"
			      " OMP_THREAD_LIMIT=1 tesseract $f stdout -l vie --psm 3 >/dev/null"
			      " 2>&1 || exit 1; done", dir, pdf);
	if (system(cmd))
		die("before", "pdftoppm or tesseract failed");
	*wall = (now_s() - t0) / pages;
	*cpu = (cpu_s(RUSAGE_CHILDREN) - c0) / pages;
	free(cmd);
	cmd = xasprintf("rm -rf '%s' '%s'", dir, pdf);
	if (system(cmd))
		die("before", "cannot clean up");
	free(cmd);
	pagestore_release(&ps);
	strbuf_release(&err);
	free(dir);
	free(pdf);
}

static void bench_ocr(void)
{
	const char *e = getenv("BENCH_OCR_PAPERS");
	int papers = e && atoi(e) > 0 ? atoi(e) : 3;
	e = getenv("BENCH_OCR_PAGES");
	int per = e && atoi(e) > 0 ? atoi(e) : 4, pages = papers * per;
	int workers = ocr_workers();
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	char *db = xasprintf("%s/ocr/bench.db", tmpdir);
	struct store st;
	struct strbuf err = STRBUF_INIT;
	if (store_open(&st, db, STORE_CREATE, &err))
		die("store_open", err.buf);
	struct page_image page, mask;
	if (!paper_vi_render(200, false, &page) || page_auto(&page, &mask, NULL) != PAGE_LINEART)
		die("ocr", "the page of text is not black and white");
	for (int p = 0; p < papers; p++) {
		char id[37];
		snprintf(id, sizeof id, "bench-ocr-%d", p);
		char *dir = ocr_pages_dir(db, id);
		struct pagestore ps;
		if (pagestore_open(&ps, dir, &err))
			die("pagestore_open", err.buf);
		for (int i = 0; i < per; i++)
			if (pagestore_add(&ps, &page, &err))
				die("pagestore_add", err.buf);
		pagestore_release(&ps);
		free(dir);
		char *sql = xasprintf("INSERT INTO documents(id, kind, sha256, pages, ocr_state,"
				      " created_at) VALUES ('%s', 'bench', '%064d', %d, 'pending',"
				      " '2025-11-27T10:0%d')", id, 0, per, p);
		exec_sql(&st, sql);
		free(sql);
	}
	double load0 = loadavg();
	printf("bench_scan: OCR of %d papers of %d pages (A4 text, 200 dpi, black and white),\n"
	       "%d tesseract processes on %ld cores; load average %.1f\n\n", papers, per, workers,
	       cores, load0);
	double c0 = cpu_s(RUSAGE_CHILDREN), s0 = cpu_s(RUSAGE_SELF), t0 = now_s();
	int done = 0, failed = 0;
	if (ocr_pending_pass(&st, db, NULL, NULL, &done, &failed, &err))
		die("ocr_pending_pass", err.buf);
	double wall = now_s() - t0, child = cpu_s(RUSAGE_CHILDREN) - c0;
	double self = cpu_s(RUSAGE_SELF) - s0;
	if (done != papers || failed)
		die("ocr", "not every paper was read (is tesseract-ocr-vie installed?)");
	double worst = 0;
	for (int p = 0; p < papers; p++) {
		char id[37];
		snprintf(id, sizeof id, "bench-ocr-%d", p);
		char *text = doc_text(&st, id);
		double c = text ? worst_cer(text) : 1;
		if (c > worst)
			worst = c;
		free(text);
	}
	double cpu_page = (child + self) / pages, ppm = pages * 60.0 / wall;
	double capacity = 60.0 * (double)cores / cpu_page;
	double load = loadavg();
	printf("%-44s %10.1f pages/min (%.1f s for %d pages)\n", "wall time", ppm, wall, pages);
	printf("%-44s %10.2f s/page (tesseract %.2f, the pass %.3f)\n", "CPU time", cpu_page,
	       child / pages, self / pages);
	printf("%-44s %10.1f pages/min\n", "what the cores allow at that CPU time", capacity);
	printf("%-44s %10.2f %% (worst page)\n", "character error rate", worst * 100);
	printf("%-44s %10.1f\n", "load average at the end", load);

	/* the way before, and the page at 300 dpi */
	double b_cpu, b_wall;
	ocr_before(&page, 2, &b_cpu, &b_wall);
	printf("%-44s %10.1f pages/min (CPU %.2f s/page)\n",
	       "before: pdftoppm 300 dpi, one at a time", 60.0 / b_wall, b_cpu);
	page_image_release(&page);
	struct page_image hi;
	if (!paper_vi_render(300, false, &hi) || page_auto(&hi, &mask, NULL) != PAGE_LINEART)
		die("ocr", "the page at 300 dpi is not black and white");
	char *pbm = xasprintf("%s/hi.pbm", tmpdir);
	FILE *f = fopen(pbm, "wb");
	fprintf(f, "P4\n%d %d\n", hi.width, hi.height);
	fwrite(hi.data, 1, hi.stride * (size_t)hi.height, f);
	fclose(f);
	page_image_release(&hi);
	struct ocr_pool *pool = ocr_pool_new(1);
	double h0 = cpu_s(RUSAGE_CHILDREN);
	void *tag;
	char *text = NULL;
	if (ocr_pool_start(pool, pbm, 300, NULL, &err) ||
	    ocr_pool_wait(pool, NULL, &tag, &text, &err) || !text)
		die("ocr at 300 dpi", err.buf);
	double hi_cpu = cpu_s(RUSAGE_CHILDREN) - h0, hi_cer = paper_vi_cer(paper_vi_text(), text);
	printf("%-44s %10.2f s/page CPU, CER %.2f %%\n\n", "the page scanned at 300 dpi", hi_cpu,
	       hi_cer * 100);
	free(text);
	ocr_pool_free(pool);
	unlink(pbm);
	free(pbm);

	/* judged by the wall time, unless other programs had more than the
	 * cores: then by what the cores allow at the CPU time measured */
	bool busy = load0 > (double)cores;
	char value[200];
	snprintf(value, sizeof value, "%.1f pages/min wall (load %.1f-%.1f on %ld cores), %.1f by"
		 " CPU time%s", ppm, load0, load, cores, capacity, busy ? " (judged: busy)" : "");
	result("OCR, A4 text pages, 200 dpi, on the machine's cores", value, ">= 20/min",
	       busy ? capacity >= 20 : ppm >= 20);
	snprintf(value, sizeof value, "%.2f s a page (before: %.2f s, pdftoppm 300 dpi)", cpu_page,
		 b_cpu);
	if (summary)
		fprintf(summary, "OCR, CPU time a page\t%s\t-\t-\n", value);
	snprintf(value, sizeof value, "%.2f %% (worst page)", worst * 100);
	result("OCR, character error rate", value, "< 2 %", worst < 0.02);

	store_close(&st);
	char *cmd = xasprintf("rm -rf '%s/ocr'", tmpdir);
	if (system(cmd))
		die("ocr", "cannot clean up");
	free(cmd);
	free(db);
	strbuf_release(&err);
}

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--runs") && i + 1 < argc) {
			runs = atoi(argv[++i]);
		} else if (!strcmp(argv[i], "--summary") && i + 1 < argc) {
			summary = fopen(argv[++i], "a");
			if (!summary)
				die(argv[i], "cannot open");
		} else {
			fprintf(stderr, "usage: bench_scan [--runs N] [--summary FILE]\n");
			return 2;
		}
	}
	if (runs < 1)
		runs = 1;
	if (!mkdtemp(tmpdir))
		die(tmpdir, "mkdtemp");
	char *sane = xasprintf("%s/sane", tmpdir);
	char *dll = xasprintf("%s/dll.conf", sane);
	char *conf = xasprintf("%s/test.conf", sane);
	mkdir(sane, 0700);
	write_file(dll, "test\n");
	write_file(conf, "test-picture \"Color pattern\"\n");
	setenv("SANE_CONFIG_DIR", sane, 1);

	bench_speed();
	bench_size();
	bench_auto();
	bench_ocr();

	unlink(dll);
	unlink(conf);
	rmdir(sane);
	rmdir(tmpdir);
	free(sane);
	free(dll);
	free(conf);
	if (summary)
		fclose(summary);
	return status;
}
