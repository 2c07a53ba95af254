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
 *
 * Each line also goes to FILE as "measure<TAB>value<TAB>-<TAB>-" for
 * bench/run.sh's summary. No budget: figures for docs/PERFORMANCE.md. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cairo.h>
#include <poppler.h>

#include "bench/bench.h"
#include "client/scan/docpdf.h"
#include "client/scan/pagestore.h"
#include "client/print/pdf.h"
#include "client/scan/scan.h"
#include "core/xalloc.h"

static int runs = 3;
static FILE *summary;
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

	unlink(dll);
	unlink(conf);
	rmdir(sane);
	rmdir(tmpdir);
	free(sane);
	free(dll);
	free(conf);
	if (summary)
		fclose(summary);
	return 0;
}
