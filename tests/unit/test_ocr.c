/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The automatic scan mode and the OCR of the pages, for real: an A4 page of
 * Vietnamese text rendered with pango (tests/paper_vi.h) as a scanner sees
 * it, judged (pageauto), kept (pagestore), made a PDF (docpdf: G4 checked
 * with pdfimages, pdftoppm and against `tiffcp -c g4` of the same bits)
 * and read back by the OCR worker's pass from its pages into a real store
 * (tesseract, Vietnamese: character error rate under 2% on NFC text); SANE's
 * test backend in the automatic mode; the OCR pass page by page (a stopped
 * pass keeps what it read, a folder another program holds is left alone,
 * folders of papers already read go, a paper without its pages is read
 * from its PDF); in an encrypted store, the kept pages read from memory
 * and nothing of them left in plaintext. Speed is not asserted here: bench/bench_scan measures it. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <tiffio.h>

#include "client/base/sealed.h"
#include "client/scan/docpdf.h"
#include "client/scan/ocr.h"
#include "client/scan/ocrworker.h"
#include "client/scan/pageauto.h"
#include "client/scan/pagestore.h"
#include "client/scan/scan.h"
#include "client/print/pdf.h" /* its LeakSanitizer suppression for fontconfig */
#include "client/store/docstore.h"
#include "client/store/dossier_query.h"
#include "core/text.h"
#include "core/xalloc.h"
#include "tests/paper_vi.h"
#include "tests/unit/fixtures.h"

/* paper_vi_cer: edit distance / reference length, on NFC code points,
 * runs of white space as one space */
static void test_cer(void **state)
{
	assert_true(paper_vi_cer("Hà Nội", "Hà  Nội\n") == 0.0);
	double one = paper_vi_cer("Hà Nội", "Ha Nội"); /* 1 of 6 */
	assert_true(one > 0.16 && one < 0.17);
	assert_true(paper_vi_cer("Hà", "Ha\xcc\x80") == 0.0); /* decomposed: the same in NFC */
	assert_true(paper_vi_cer("Hà Nội", "") == 1.0);
}

/* ---- helpers ---- */

static char *scratch; /* the group's folder */

static long long file_size(const char *path)
{
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	return st.st_size;
}

static bool exists(const char *path)
{
	return access(path, F_OK) == 0;
}

static struct pagestore open_pages(const char *name)
{
	char *dir = xasprintf("%s/%s", scratch, name);
	struct pagestore ps;
	struct strbuf err = STRBUF_INIT;
	if (pagestore_open(&ps, dir, &err))
		fail_msg("pagestore_open: %s", err.buf);
	free(dir);
	strbuf_release(&err);
	return ps;
}

static void write_pdf(const struct pagestore *ps, const char *pdf, struct docpdf_info *info)
{
	struct strbuf err = STRBUF_INIT;
	if (docpdf_write(ps, pdf, NULL, NULL, info, &err))
		fail_msg("docpdf_write: %s", err.buf);
	strbuf_release(&err);
}

/* An uncompressed 1-bit TIFF of img, for tiffcp. */
static void write_tiff(const char *path, const struct page_image *img)
{
	TIFF *t = TIFFOpen(path, "w");
	assert_non_null(t);
	TIFFSetField(t, TIFFTAG_IMAGEWIDTH, (uint32_t)img->width);
	TIFFSetField(t, TIFFTAG_IMAGELENGTH, (uint32_t)img->height);
	TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, 1);
	TIFFSetField(t, TIFFTAG_SAMPLESPERPIXEL, 1);
	TIFFSetField(t, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISWHITE);
	TIFFSetField(t, TIFFTAG_COMPRESSION, COMPRESSION_NONE);
	TIFFSetField(t, TIFFTAG_ROWSPERSTRIP, (uint32_t)img->height);
	TIFFSetField(t, TIFFTAG_XRESOLUTION, (float)img->dpi);
	TIFFSetField(t, TIFFTAG_YRESOLUTION, (float)img->dpi);
	TIFFSetField(t, TIFFTAG_RESOLUTIONUNIT, RESUNIT_INCH);
	for (int y = 0; y < img->height; y++) {
		unsigned char *row = img->data + (size_t)y * img->stride;
		assert_int_equal(TIFFWriteScanline(t, row, (uint32_t)y, 0), 1);
	}
	TIFFClose(t);
}

/* ---- the automatic mode on a page of text ---- */

static void test_text_page(void **state)
{
	struct page_image img, mask;
	assert_true(paper_vi_render(200, false, &img));
	struct page_auto_stats st;
	assert_int_equal(page_auto(&img, &mask, &st), PAGE_LINEART);
	print_message("text page: threshold %d, paper %d, %ld blocks: %ld colour, %ld tone\n",
		      st.threshold, st.paper, st.blocks, st.color_blocks, st.tone_blocks);
	assert_int_equal(img.kind, PAGE_LINEART);
	assert_int_equal(img.width, 1654);
	assert_int_equal(img.height, 2339);

	struct pagestore ps = open_pages("text");
	struct strbuf err = STRBUF_INIT;
	assert_int_equal(pagestore_add(&ps, &img, &err), 0);
	char *pdf = xasprintf("%s/text.pdf", scratch);
	struct docpdf_info info;
	write_pdf(&ps, pdf, &info);
	/* G4, and no bigger than 60 KB */
	char *list = run("pdfimages -list '%s' | tail -n +3", pdf);
	assert_non_null(strstr(list, "stencil  1654  2339  -       1   1  ccitt"));
	free(list);
	print_message("text page: PDF %lld bytes\n", info.bytes);
	assert_true(info.bytes <= 60 * 1000);
	/* within 1.2 times the same bits as a G4 TIFF of tiffcp */
	char *raw = xasprintf("%s/text-raw.tif", scratch);
	char *g4 = xasprintf("%s/text-g4.tif", scratch);
	write_tiff(raw, &img);
	free(run("tiffcp -c g4 '%s' '%s'", raw, g4));
	long long tiff = file_size(g4);
	print_message("text page: tiffcp -c g4 %lld bytes, PDF / TIFF %.3f\n", tiff,
		      (double)info.bytes / (double)tiff);
	assert_true(info.bytes * 10 <= tiff * 12);
	/* and the PDF's page is the bits */
	free(run("pdftoppm -r 200 -mono '%s' '%s/text-r'", pdf, scratch));
	char *back = xasprintf("%s/text-r-1.pbm", scratch);
	FILE *f = fopen(back, "rb");
	assert_non_null(f);
	int w, h;
	assert_int_equal(fscanf(f, "P4 %d %d", &w, &h), 2);
	fgetc(f);
	/* the page is the image rounded up to whole points: 596 x 843 pt */
	assert_int_equal(w, 1656);
	assert_int_equal(h, 2342);
	size_t row = page_image_row_bytes(PAGE_LINEART, w);
	unsigned char *bits = xmalloc(row * (size_t)h);
	assert_int_equal(fread(bits, 1, row * (size_t)h, f), row * (size_t)h);
	fclose(f);
	long differ = 0, black = 0;
	for (int y = 0; y < img.height; y++)
		for (int x = 0; x < img.width; x++) {
			int a = bits[(size_t)y * row + (size_t)x / 8] >> (7 - x % 8) & 1;
			int b = img.data[(size_t)y * img.stride + (size_t)x / 8] >> (7 - x % 8) & 1;
			differ += a != b;
			black += b;
		}
	assert_true(black > 100000);
	assert_int_equal(differ, 0);
	free(bits);
	free(back);
	free(raw);
	free(g4);
	free(pdf);
	pagestore_release(&ps);
	page_image_release(&img);
	strbuf_release(&err);
}

/* A page with a red seal and a blue signature: mixed, the seal red in the
 * PDF, under 150 KB; the same page in colour as the clerk's colour mode
 * keeps it is several times that. */
static void test_seal_page(void **state)
{
	struct page_image img, copy, mask;
	assert_true(paper_vi_render(200, true, &img));
	page_image_alloc(&copy, PAGE_COLOR, img.width, img.height, img.dpi);
	memcpy(copy.data, img.data, img.stride * (size_t)img.height);
	struct page_auto_stats st;
	assert_int_equal(page_auto(&copy, &mask, &st), PAGE_MIXED);
	print_message("seal page: %ld blocks: %ld colour, %ld tone\n", st.blocks, st.color_blocks,
		      st.tone_blocks);
	assert_int_equal(copy.kind, PAGE_COLOR);
	assert_int_equal(mask.kind, PAGE_LINEART);
	page_image_release(&copy);
	page_image_release(&mask);

	struct pagestore ps = open_pages("seal");
	struct strbuf err = STRBUF_INIT;
	page_image_alloc(&copy, PAGE_COLOR, img.width, img.height, img.dpi);
	memcpy(copy.data, img.data, img.stride * (size_t)img.height);
	assert_int_equal(pagestore_add_auto(&ps, &copy, &err), 0);
	page_image_release(&copy);
	assert_int_equal(pagestore_add(&ps, &img, &err), 0); /* the colour mode's page */
	assert_int_equal(ps.pages[0].kind, PAGE_MIXED);
	assert_int_equal(ps.pages[1].kind, PAGE_COLOR);
	char *bg = pagestore_background_path(&ps, 0);
	assert_true(exists(bg));
	free(bg);

	/* each alone in a PDF */
	struct pagestore one = open_pages("seal-color");
	assert_int_equal(pagestore_add(&one, &img, &err), 0);
	char *cpdf = xasprintf("%s/seal-color.pdf", scratch);
	struct docpdf_info cinfo;
	write_pdf(&one, cpdf, &cinfo);
	assert_int_equal(pagestore_truncate(&ps, 1, &err), 0);
	char *pdf = xasprintf("%s/seal.pdf", scratch);
	struct docpdf_info info;
	write_pdf(&ps, pdf, &info);
	print_message("seal page: mixed %lld bytes, colour mode %lld bytes\n", info.bytes,
		      cinfo.bytes);
	assert_true(info.bytes <= 150 * 1000);
	assert_true(cinfo.bytes > 3 * info.bytes);
	char *list = run("pdfimages -list '%s' | tail -n +3", pdf);
	assert_non_null(strstr(list, "image    1654  2339  rgb     3   8  jpeg"));
	assert_non_null(strstr(list, "stencil  1654  2339  -       1   1  ccitt"));
	free(list);
	/* rendered: the seal is red, the text black */
	free(run("pdftoppm -r 50 '%s' '%s/seal-r'", pdf, scratch));
	char *back = xasprintf("%s/seal-r-1.ppm", scratch);
	FILE *f = fopen(back, "rb");
	assert_non_null(f);
	int w, h;
	assert_int_equal(fscanf(f, "P6 %d %d 255", &w, &h), 2);
	fgetc(f);
	long red = 0, dark = 0;
	for (long i = 0; i < (long)w * h; i++) {
		int r = fgetc(f), g = fgetc(f), b = fgetc(f);
		red += r > 150 && g < 120 && b < 120;
		dark += r < 100 && g < 100 && b < 100;
	}
	fclose(f);
	print_message("seal page at 50 dpi: %ld red pixels, %ld dark\n", red, dark);
	assert_true(red > 200);
	assert_true(dark > 2000);
	free(back);

	/* a mixed page goes with its background: deleted, both files go */
	char *pbm = pagestore_path(&ps, 0);
	bg = pagestore_background_path(&ps, 0);
	assert_int_equal(pagestore_delete(&ps, 0, &err), 0);
	assert_false(exists(pbm));
	assert_false(exists(bg));
	free(pbm);
	free(bg);

	pagestore_release(&one);
	pagestore_release(&ps);
	page_image_release(&img);
	free(cpdf);
	free(pdf);
	strbuf_release(&err);
}

/* The pagestore keeps a mixed page's two files through a re-scan, a reopen
 * (its background is not a stray) and a damaged folder (background gone). */
static void test_mixed_pagestore(void **state)
{
	struct pagestore ps = open_pages("mixed");
	struct strbuf err = STRBUF_INIT;
	struct page_image img;
	assert_true(paper_vi_render(100, true, &img));
	assert_int_equal(pagestore_add_auto(&ps, &img, &err), 0);
	page_image_release(&img);
	assert_int_equal(ps.pages[0].kind, PAGE_MIXED);
	assert_string_equal(ps.pages[0].file, "p000001.pbm");
	/* a re-scan of the plain page: black and white, the old files gone */
	assert_true(paper_vi_render(100, false, &img));
	assert_int_equal(pagestore_replace_auto(&ps, 0, &img, &err), 0);
	page_image_release(&img);
	assert_int_equal(ps.pages[0].kind, PAGE_LINEART);
	char *old_bg = xasprintf("%s/p000001.jpg", ps.dir);
	assert_false(exists(old_bg));
	free(old_bg);
	/* a mixed page again, then the folder opened again */
	assert_true(paper_vi_render(100, true, &img));
	assert_int_equal(pagestore_add_auto(&ps, &img, &err), 0);
	page_image_release(&img);
	char *dir = xstrdup(ps.dir);
	char *bg = pagestore_background_path(&ps, 1);
	long long bytes = ps.pages[1].bytes;
	pagestore_release(&ps);
	assert_int_equal(pagestore_open(&ps, dir, &err), 0);
	assert_int_equal(ps.n, 2);
	assert_int_equal(ps.pages[1].kind, PAGE_MIXED);
	assert_int_equal(ps.pages[1].bytes, bytes);
	assert_true(exists(bg));
	/* grey for the OCR: the text over the background */
	struct page_image g;
	assert_int_equal(pagestore_load_gray(&ps, 1, &g, &err), 0);
	assert_int_equal(g.kind, PAGE_GRAY);
	assert_int_equal(g.dpi, 100);
	page_image_release(&g);
	pagestore_release(&ps);
	/* its background lost: the folder is refused, with the file named */
	assert_int_equal(unlink(bg), 0);
	assert_int_equal(pagestore_open(&ps, dir, &err), -1);
	assert_non_null(strstr(err.buf, "p000003.jpg"));
	free(bg);
	free(dir);
	strbuf_release(&err);
}

/* Pages of other kinds: a blank page is black and white, a photo-like one
 * colour, a page with a grey photo mixed with a grey background. */
static void test_judgement(void **state)
{
	struct page_image img, mask;
	page_image_alloc(&img, PAGE_COLOR, 800, 1000, 100);
	memset(img.data, 250, img.stride * 1000);
	assert_int_equal(page_auto(&img, &mask, NULL), PAGE_LINEART);
	for (size_t i = 0; i < img.stride * 1000; i++)
		assert_int_equal(img.data[i], 0); /* nothing black */
	page_image_release(&img);

	/* a smooth colour gradient over the whole page: a photo */
	page_image_alloc(&img, PAGE_COLOR, 800, 1000, 100);
	for (int y = 0; y < 1000; y++)
		for (int x = 0; x < 800; x++) {
			unsigned char *p = img.data + (size_t)y * img.stride + 3 * (size_t)x;
			p[0] = (unsigned char)(x * 255 / 800);
			p[1] = (unsigned char)(y * 255 / 1000);
			p[2] = 128;
		}
	assert_int_equal(page_auto(&img, &mask, NULL), PAGE_COLOR);
	page_image_release(&img);

	/* a grey photo the size of an ID card on a page of text */
	assert_true(paper_vi_render(100, false, &img));
	for (int y = 100; y < 310; y++)
		for (int x = 500; x < 840 && x < img.width; x++) {
			unsigned char *p = img.data + (size_t)y * img.stride + 3 * (size_t)x;
			memset(p, 90 + (x + y) % 80, 3);
		}
	struct page_auto_stats st;
	assert_int_equal(page_auto(&img, &mask, &st), PAGE_MIXED);
	print_message("grey photo: threshold %d, paper %d, %ld blocks: %ld colour, %ld tone\n",
		      st.threshold, st.paper, st.blocks, st.color_blocks, st.tone_blocks);
	assert_int_equal(img.kind, PAGE_GRAY); /* no colour: a grey background */
	page_image_release(&img);
	page_image_release(&mask);
}

/* ---- SANE's test backend in the automatic mode ---- */

static int keep_auto(void *arg, int page, struct page_image *img, struct strbuf *err)
{
	return pagestore_add_auto(arg, img, err);
}

/* One page of picture on the flatbed, 200 dpi, automatic: its kind, the
 * PDF's bytes and pdfimages' list of it. */
static long long auto_scan(const char *picture, enum page_kind *kind, char **images)
{
	struct scanner *s;
	struct strbuf err = STRBUF_INIT;
	if (scan_open(&s, "test:0", NULL, &err))
		fail_msg("scan_open: %s", err.buf);
	enum page_kind mode = PAGE_LINEART;
	bool automatic = false;
	assert_int_equal(scan_mode_parse("auto", &mode, &automatic), 0);
	assert_true(automatic);
	assert_int_equal(mode, PAGE_COLOR);
	struct scan_settings want = { SCAN_FLATBED, mode, 200 };
	if (scan_configure(s, &want, NULL, NULL, &err) ||
	    scan_set_option(s, "test-picture", picture, &err))
		fail_msg("configure: %s", err.buf);
	char *name = xasprintf("sane-%s", picture);
	for (char *c = name; *c; c++)
		if (*c == ' ')
			*c = '-';
	struct pagestore ps = open_pages(name);
	struct scan_job job = { 1, keep_auto, NULL, NULL, &ps };
	struct scan_result r;
	if (scan_run(s, &job, &r, &err))
		fail_msg("scan_run: %s", err.buf);
	scan_close(s);
	assert_int_equal(ps.n, 1);
	*kind = ps.pages[0].kind;
	char *pdf = xasprintf("%s/%s.pdf", scratch, name);
	struct docpdf_info info;
	write_pdf(&ps, pdf, &info);
	*images = run("pdfimages -list '%s' | tail -n +3", pdf);
	print_message("test backend, %s, automatic: %s page, PDF %lld bytes\n", picture,
		      page_kind_name(*kind), info.bytes);
	pagestore_release(&ps);
	free(pdf);
	free(name);
	strbuf_release(&err);
	return info.bytes;
}

static void test_sane_auto(void **state)
{
	/* the backend's own config: no config file, its defaults */
	char *sane = xasprintf("%s/sane", scratch);
	mkdir(sane, 0700);
	char *dll = xasprintf("%s/dll.conf", sane);
	FILE *f = fopen(dll, "w");
	fputs("test\n", f);
	fclose(f);
	setenv("SANE_CONFIG_DIR", sane, 1);
	unsetenv("SANE_DEFAULT_DEVICE");
	unsetenv("SANE_NET_HOSTS");

	enum page_kind kind;
	char *images;
	/* black lines on white: black and white, small */
	long long bytes = auto_scan("Grid", &kind, &images);
	assert_int_equal(kind, PAGE_LINEART);
	assert_non_null(strstr(images, "stencil  1574  1574  -       1   1"));
	assert_true(bytes <= 60 * 1000);
	free(images);
	/* a blank sheet: almost nothing */
	bytes = auto_scan("Solid white", &kind, &images);
	assert_int_equal(kind, PAGE_LINEART);
	assert_true(bytes <= 5 * 1000);
	free(images);
	bytes = auto_scan("Solid black", &kind, &images);
	assert_int_equal(kind, PAGE_LINEART);
	assert_true(bytes <= 5 * 1000);
	free(images);
	/* the colour test pattern stays colour (one-pixel coloured lines:
	 * JPEG's worst case, so its bytes say nothing of a paper's) */
	bytes = auto_scan("Color pattern", &kind, &images);
	assert_int_equal(kind, PAGE_COLOR);
	assert_non_null(strstr(images, " 1574  1574  rgb     3   8  jpeg"));
	free(images);

	unlink(dll);
	rmdir(sane);
	free(dll);
	free(sane);
}

/* ---- OCR into a store ---- */

static int group_setup(void **state)
{
	scratch = xstrdup("/tmp/motcua-ocrpages-XXXXXX");
	if (!mkdtemp(scratch))
		return -1;
	return fixture_group_setup("ocr");
}

static int group_teardown(void **state)
{
	free(run("rm -rf '%s'", scratch));
	free(scratch);
	return fixture_group_teardown(state);
}

/* A dossier with a paper of the pages of ps attached to component 5, its
 * pages kept for the OCR (ps released): the document's id in doc. */
static void file_paper(struct fixture *f, struct pagestore *ps, char doc[37])
{
	char *code = fixture_receive(f, "2025-10-27T09:30", "Trần Thị Thu Hương", NULL, NULL);
	char *docs = docstore_dir(f->path);
	mkdir(docs, 0755);
	char *tmp = xasprintf("%s/.incoming.pdf", docs);
	struct docpdf_info info;
	write_pdf(ps, tmp, &info);
	struct strbuf err = STRBUF_INIT;
	bool created;
	if (docstore_file_in(f->path, tmp, info.sha256, &created, &err))
		fail_msg("docstore_file_in: %s", err.buf);
	struct doc_meta m = { .kind = "giay-phep", .title = "Đơn đề nghị" };
	struct mc_dt now = dt("2025-10-27T09:40");
	if (docstore_attach_new(&f->st, code, 5, &m, info.sha256, info.pages, info.bytes, "canbo",
				&now, doc, &err))
		fail_msg("docstore_attach_new: %s", err.buf);
	if (ocr_keep_pages(ps, f->path, doc, &err))
		fail_msg("ocr_keep_pages: %s", err.buf);
	free(tmp);
	free(docs);
	free(code);
	strbuf_release(&err);
}

static char *doc_text(struct fixture *f, const char *doc, char state[16])
{
	char *sql = xasprintf("SELECT ocr_state || '|' || coalesce(ocr_text, '') FROM documents"
			      " WHERE id = '%s'", doc);
	char *out = run("sqlite3 '%s' \"%s\"", f->path, sql);
	free(sql);
	char *bar = strchr(out, '|');
	assert_non_null(bar);
	snprintf(state, 16, "%.*s", (int)(bar - out), out);
	char *text = xstrdup(bar + 1);
	size_t n = strlen(text);
	if (n && text[n - 1] == '\n') /* sqlite3's end of row */
		text[n - 1] = '\0';
	free(out);
	return text;
}

/* The page at 200 dpi (black and white) and at 100 dpi (colour, read
 * enlarged to 300): both read from the pages kept, page by page, into the
 * store, under 2% of characters wrong; found by the search; the folder
 * gone. */
static void test_ocr_pages(void **state)
{
	struct fixture *f = *state;
	struct pagestore ps = open_pages("ocr-pages");
	struct strbuf err = STRBUF_INIT;
	struct page_image img;
	assert_true(paper_vi_render(200, false, &img));
	assert_int_equal(pagestore_add_auto(&ps, &img, &err), 0);
	page_image_release(&img);
	assert_true(paper_vi_render(100, false, &img));
	assert_int_equal(pagestore_add(&ps, &img, &err), 0);
	page_image_release(&img);
	assert_int_equal(ps.pages[0].kind, PAGE_LINEART);
	assert_int_equal(ps.pages[1].kind, PAGE_COLOR);
	char doc[37];
	file_paper(f, &ps, doc);
	char *dir = ocr_pages_dir(f->path, doc);
	assert_true(exists(dir));

	int done = 0, failed = 0;
	if (ocr_pending_pass(&f->st, f->path, NULL, NULL, &done, &failed, &err))
		fail_msg("ocr_pending_pass: %s", err.buf);
	assert_int_equal(done, 1);
	assert_int_equal(failed, 0);
	char state_[16];
	char *text = doc_text(f, doc, state_);
	assert_string_equal(state_, "done");
	char *ff = strchr(text, '\f');
	assert_non_null(ff);
	*ff = '\0';
	double c1 = paper_vi_cer(paper_vi_text(), text), c2 = paper_vi_cer(paper_vi_text(), ff + 1);
	print_message("OCR: 200 dpi black and white CER %.4f, 100 dpi colour CER %.4f\n", c1, c2);
	if (c1 >= 0.02 || c2 >= 0.02)
		fprintf(stderr, "page 1:\n%s\n--\npage 2:\n%s\n", text, ff + 1);
	assert_true(c1 < 0.02);
	assert_true(c2 < 0.02);
	free(text);
	assert_false(exists(dir));

	struct dossier_rows rows;
	dossier_rows_init(&rows);
	assert_int_equal(dossier_search_papers(&f->st, "giay phep xay dung chiem hoa", 0, 10, &rows,
					       &err), 1);
	dossier_rows_release(&rows);
	free(dir);
	strbuf_release(&err);
}

/* One line of text on a small page, quick to read. */
static void line_page(const char *text, int dpi, struct page_image *img)
{
	int w = dpi * 5, h = dpi / 2;
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
	cairo_t *cr = cairo_create(s);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);
	paper_vi_block(cr, dpi, 5, 3, 117, text, false, false);
	cairo_destroy(cr);
	cairo_surface_flush(s);
	page_image_alloc(img, PAGE_GRAY, w, h, dpi);
	const unsigned char *d = cairo_image_surface_get_data(s);
	int stride = cairo_image_surface_get_stride(s);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++)
			img->data[(size_t)y * img->stride + (size_t)x] =
				d[(size_t)y * (size_t)stride + 4 * (size_t)x + 1];
	cairo_surface_destroy(s);
}

static void add_line(struct pagestore *ps, const char *text)
{
	struct page_image img;
	struct strbuf err = STRBUF_INIT;
	line_page(text, 200, &img);
	if (pagestore_add(ps, &img, &err))
		fail_msg("pagestore_add: %s", err.buf);
	page_image_release(&img);
	strbuf_release(&err);
}

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* A pass that stops keeps nothing half done; the next reads only the pages
 * not read yet; a folder another program holds is left to it; the folder
 * of a paper already read goes; a paper without its pages is read from its
 * PDF. */
static void test_ocr_pass(void **state)
{
	struct fixture *f = *state;
	struct strbuf err = STRBUF_INIT;
	int done = 0, failed = 0;
	char st[16];

	/* two pages, the first read by a pass that stopped after it */
	struct pagestore ps = open_pages("pass-a");
	add_line(&ps, "Giấy khai sinh của Nguyễn Thị Phương Thảo");
	add_line(&ps, "Ủy ban nhân dân phường Ba Đình, thành phố Hà Nội");
	char a[37];
	file_paper(f, &ps, a);
	char *adir = ocr_pages_dir(f->path, a);
	char *t1 = xasprintf("%s/p000001.txt", adir);
	write_text(t1, "ĐÃ ĐỌC TRƯỚC");
	/* stopped before it began: nothing changes */
	atomic_int stop = 1;
	assert_int_equal(ocr_pending_pass(&f->st, f->path, NULL, &stop, &done, &failed, &err), 0);
	assert_int_equal(done + failed, 0);
	char *text = doc_text(f, a, st);
	assert_string_equal(st, "pending");
	free(text);

	/* another program holds it: left pending, its folder as it was */
	int fd = open(adir, O_RDONLY | O_DIRECTORY);
	assert_true(fd >= 0);
	assert_int_equal(flock(fd, LOCK_EX | LOCK_NB), 0);
	assert_int_equal(ocr_pending_pass(&f->st, f->path, NULL, NULL, &done, &failed, &err), 0);
	assert_int_equal(done + failed, 0);
	text = doc_text(f, a, st);
	assert_string_equal(st, "pending");
	free(text);
	assert_true(exists(t1));
	close(fd);

	/* now read: page 1 is what was read before, page 2 is read */
	assert_int_equal(ocr_pending_pass(&f->st, f->path, NULL, NULL, &done, &failed, &err), 0);
	assert_int_equal(done, 1);
	text = doc_text(f, a, st);
	assert_string_equal(st, "done");
	char *ff = strchr(text, '\f');
	assert_non_null(ff);
	*ff = '\0';
	assert_string_equal(text, "ĐÃ ĐỌC TRƯỚC");
	assert_true(paper_vi_cer("Ủy ban nhân dân phường Ba Đình, thành phố Hà Nội", ff + 1) <
		    0.05);
	free(text);
	assert_false(exists(adir));

	/* a folder left for a paper already read goes at the next pass */
	assert_int_equal(mkdir(adir, 0700), 0);
	write_text(t1, "x");
	done = 0;
	assert_int_equal(ocr_pending_pass(&f->st, f->path, NULL, NULL, &done, &failed, &err), 0);
	assert_int_equal(done, 0);
	assert_false(exists(adir));

	/* a paper without its pages: read from its PDF */
	ps = open_pages("pass-b");
	add_line(&ps, "Giấy chứng nhận kết hôn");
	char b[37];
	file_paper(f, &ps, b);
	char *bdir = ocr_pages_dir(f->path, b);
	free(run("rm -rf '%s'", bdir));
	assert_int_equal(ocr_pending_pass(&f->st, f->path, b, NULL, &done, &failed, &err), 0);
	assert_int_equal(done, 1);
	text = doc_text(f, b, st);
	assert_string_equal(st, "done");
	assert_true(paper_vi_cer("Giấy chứng nhận kết hôn", text) < 0.1);
	free(text);

	free(bdir);
	free(t1);
	free(adir);
	strbuf_release(&err);
}

/* The entries of dir whose name begins with prefix. */
static int count_named(const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	int n = 0;
	struct dirent *e;
	while (d && (e = readdir(d)))
		n += !strncmp(e->d_name, prefix, strlen(prefix));
	if (d)
		closedir(d);
	return n;
}

/* In an encrypted store: the pages kept for the OCR are sealed (in
 * scans/, then in ocr/), and so would be each page's text; tesseract reads
 * a page at 200 dpi from memory, and a page at 100 dpi enlarged in a folder
 * in memory, which is empty again after the pass; the text is read. */
static void test_ocr_sealed(void **state)
{
	struct fixture *f = *state;
	unsigned char key[SEALED_KEYBYTES];
	randombytes_buf(key, sizeof key);
	assert_int_equal(sealed_register(f->path, key), 0);
	/* a folder in memory of the test's own, when the machine has one */
	char *mem = NULL;
	const char *old_tmpdir = getenv("TMPDIR");
	char *saved = old_tmpdir ? xstrdup(old_tmpdir) : NULL;
	if (!access("/dev/shm", W_OK)) {
		mem = xstrdup("/dev/shm/motcua-test-XXXXXX");
		if (mkdtemp(mem))
			setenv("TMPDIR", mem, 1);
		else
			FREE(&mem);
	}
	bool in_mem = mem && !strcmp(ocr_render_base(), mem);

	struct strbuf err = STRBUF_INIT;
	char *pages = pagestore_dir_for(f->path, "sealed-ocr");
	struct pagestore ps;
	if (pagestore_open(&ps, pages, &err))
		fail_msg("pagestore_open: %s", err.buf);
	add_line(&ps, "Giấy khai sinh của Nguyễn Thị Phương Thảo");
	struct page_image img;
	line_page("Ủy ban nhân dân phường Ba Đình", 100, &img);
	assert_int_equal(pagestore_add(&ps, &img, &err), 0);
	page_image_release(&img);
	for (size_t i = 0; i < ps.n; i++) {
		char *pf = pagestore_path(&ps, i);
		assert_true(sealed_is_sealed(pf));
		free(pf);
	}
	char doc[37];
	file_paper(f, &ps, doc);
	char *kept = ocr_pages_dir(f->path, doc);
	assert_true(exists(kept));
	DIR *d = opendir(kept);
	assert_non_null(d);
	struct dirent *e;
	int files = 0;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char *fp = xasprintf("%s/%s", kept, e->d_name);
		if (!sealed_is_sealed(fp))
			fail_msg("%s is not sealed", fp);
		free(fp);
		files++;
	}
	closedir(d);
	assert_true(files >= 3); /* the manifest and two pages */
	char *t1 = xasprintf("%s/p000001.txt", kept);
	assert_true(sealed_wanted(t1));

	int done = 0, failed = 0;
	if (ocr_pending_pass(&f->st, f->path, NULL, NULL, &done, &failed, &err))
		fail_msg("ocr_pending_pass: %s", err.buf);
	assert_int_equal(done, 1);
	assert_int_equal(failed, 0);
	char st[16];
	char *text = doc_text(f, doc, st);
	assert_string_equal(st, "done");
	char *ff = strchr(text, '\f');
	assert_non_null(ff);
	*ff = '\0';
	assert_true(paper_vi_cer("Giấy khai sinh của Nguyễn Thị Phương Thảo", text) < 0.05);
	assert_true(paper_vi_cer("Ủy ban nhân dân phường Ba Đình", ff + 1) < 0.05);
	free(text);
	assert_false(exists(kept));
	if (in_mem)
		assert_int_equal(count_named(mem, "motcua-ocr-"), 0);
	else
		print_message("no folder in memory: the enlarged page went to %s\n",
			      ocr_render_base());

	if (saved)
		setenv("TMPDIR", saved, 1);
	else
		unsetenv("TMPDIR");
	if (mem)
		rmdir(mem);
	sealed_forget(f->path);
	free(saved);
	free(mem);
	free(t1);
	free(kept);
	free(pages);
	strbuf_release(&err);
}

/* What tesseract is given: the page's own file from 200 to 300 dpi, a grey
 * PGM at 300 dpi otherwise, a mixed page put together. */
static void test_ocr_image_for(void **state)
{
	struct pagestore ps = open_pages("image-for");
	struct strbuf err = STRBUF_INIT;
	struct page_image img;
	line_page("Hà Nội", 200, &img);
	assert_int_equal(pagestore_add(&ps, &img, &err), 0);
	page_image_release(&img);
	line_page("Hà Nội", 100, &img);
	assert_int_equal(pagestore_add(&ps, &img, &err), 0);
	page_image_release(&img);
	line_page("Hà Nội", 600, &img);
	assert_int_equal(pagestore_add(&ps, &img, &err), 0);
	page_image_release(&img);
	char *tmp = xasprintf("%s/for.pgm", scratch);
	char *path;
	int dpi;
	assert_int_equal(ocr_image_for(&ps, 0, tmp, &path, &dpi, &err), 0);
	char *own = pagestore_path(&ps, 0);
	assert_string_equal(path, own);
	assert_int_equal(dpi, 200);
	free(own);
	free(path);
	for (size_t i = 1; i <= 2; i++) {
		assert_int_equal(ocr_image_for(&ps, i, tmp, &path, &dpi, &err), 0);
		assert_string_equal(path, tmp);
		assert_int_equal(dpi, 300);
		char *head = run("head -c 15 '%s' | head -2 | tail -1", tmp);
		assert_string_equal(head, "1500 150\n");
		free(head);
		free(path);
	}
	pagestore_release(&ps);
	free(tmp);
	strbuf_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cer),
		cmocka_unit_test(test_text_page),
		cmocka_unit_test(test_seal_page),
		cmocka_unit_test(test_mixed_pagestore),
		cmocka_unit_test(test_judgement),
		cmocka_unit_test(test_sane_auto),
		cmocka_unit_test(test_ocr_image_for),
		cmocka_unit_test_setup_teardown(test_ocr_pages, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_ocr_pass, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_ocr_sealed, fixture_setup, fixture_teardown),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
