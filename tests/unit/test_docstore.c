/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The document store and OCR, for real: a store on disk with a dossier
 * written by SQL, papers filed by their SHA-256, attach and reuse with their
 * rows, refusals that change nothing, the list of a person's valid papers,
 * the search by OCR text; and tesseract (Vietnamese) on text rendered with
 * pango, to an image and to a PDF (client/print/pdf.h, which also brings the
 * LeakSanitizer suppression for fontconfig's own leaks), under 2% character
 * error rate. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cairo.h>
#include <pango/pangocairo.h>
#include <utf8proc.h>

#include "client/base/files.h"
#include "client/scan/docpdf.h"
#include "client/store/docstore.h"
#include "client/store/dossier_query.h"
#include "client/scan/ocr.h"
#include "client/print/pdf.h"
#include "client/store/store.h"
#include "core/text.h"
#include "core/xalloc.h"

static char tmpdir[] = "/tmp/motcua-docs-XXXXXX";

static const char *const TEXT =
	"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
	"Độc lập - Tự do - Hạnh phúc\n"
	"GIẤY KHAI SINH\n"
	"Họ, chữ đệm, tên: Nguyễn Thị Phương Thảo\n"
	"Ngày, tháng, năm sinh: 17 tháng 5 năm 2020\n"
	"Nơi sinh: Bệnh viện Phụ sản Hà Nội\n"
	"Quê quán: xã Đông Hưng, tỉnh Thái Bình\n"
	"Họ tên người mẹ: Trần Thị Hường\n"
	"Ủy ban nhân dân phường Ba Đình, thành phố Hà Nội";

/* ---- character error rate ---- */

/* Code points of s in NFC, white space runs as one space, trimmed. */
static int32_t *codepoints(const char *s, size_t *n)
{
	char *nfc = mc_text_nfc(s);
	size_t len = strlen(nfc);
	int32_t *v = xcalloc(len + 1, sizeof *v);
	size_t k = 0;
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)nfc;
	while (*p) {
		utf8proc_int32_t c;
		utf8proc_ssize_t r = utf8proc_iterate(p, -1, &c);
		assert_true(r > 0);
		p += r;
		bool space = c == ' ' || c == '\n' || c == '\t' || c == '\f' || c == '\r';
		if (space) {
			if (k && v[k - 1] != ' ')
				v[k++] = ' ';
		} else {
			v[k++] = c;
		}
	}
	while (k && v[k - 1] == ' ')
		k--;
	free(nfc);
	*n = k;
	return v;
}

static size_t levenshtein(const int32_t *a, size_t n, const int32_t *b, size_t m)
{
	size_t *row = xcalloc(m + 1, sizeof *row);
	for (size_t j = 0; j <= m; j++)
		row[j] = j;
	for (size_t i = 1; i <= n; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= m; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	size_t d = row[m];
	free(row);
	return d;
}

static double cer(const char *want, const char *got)
{
	size_t n, m;
	int32_t *a = codepoints(want, &n), *b = codepoints(got, &m);
	double r = (double)levenshtein(a, n, b, m) / (double)n;
	free(a);
	free(b);
	return r;
}

static void test_cer(void **state)
{
	(void)state;
	assert_true(cer("Hà Nội", "Hà Nội") == 0.0);
	assert_true(cer("Hà  Nội\n", "Ha Nội") > 0.14 && cer("Hà Nội", "Ha Nội") < 0.17);
	/* a decomposed "à" is the same code point in NFC */
	assert_true(cer("Hà", "Ha\xcc\x80") == 0.0);
}

/* ---- rendering ---- */

static void draw_text(cairo_t *cr, double scale)
{
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_scale(cr, scale, scale);
	cairo_move_to(cr, 40, 40);
	PangoLayout *l = pango_cairo_create_layout(cr);
	PangoFontDescription *f = pango_font_description_from_string("DejaVu Sans 13");
	pango_layout_set_font_description(l, f);
	pango_layout_set_text(l, TEXT, -1);
	pango_layout_set_spacing(l, 6 * PANGO_SCALE);
	pango_cairo_show_layout(cr, l);
	pango_font_description_free(f);
	g_object_unref(l);
}

/* A4-wide page at 300 dpi (points * 300 / 72). */
static void render_png(const char *path)
{
	double scale = 300.0 / 72.0;
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)(595 * scale),
							(int)(330 * scale));
	cairo_t *cr = cairo_create(s);
	draw_text(cr, scale);
	cairo_destroy(cr);
	assert_int_equal(cairo_surface_write_to_png(s, path), CAIRO_STATUS_SUCCESS);
	cairo_surface_destroy(s);
}

/* The PDF through client/print/pdf.h, as the receipts are made. */
static void render_pdf(const char *path, int pages)
{
	struct pdf_doc d;
	struct strbuf err = STRBUF_INIT;
	assert_int_equal(pdf_open(&d, path, 210, 297, &err), 0);
	struct pdf_style st = { .size = 13, .spacing = 1.3 };
	for (int i = 0; i < pages; i++) {
		if (i)
			pdf_new_page(&d);
		pdf_draw(&d, 20, 20, 180, TEXT, &st);
	}
	assert_int_equal(pdf_close(&d, &err), 0);
	strbuf_release(&err);
}

static void test_ocr_image(void **state)
{
	(void)state;
	char *png = xasprintf("%s/text.png", tmpdir);
	render_png(png);
	char *text = NULL;
	struct strbuf err = STRBUF_INIT;
	assert_int_equal(ocr_image(png, &text, &err), 0);
	double r = cer(TEXT, text);
	if (r >= 0.02)
		fprintf(stderr, "CER %.4f, OCR text:\n%s\n", r, text);
	assert_true(r < 0.02);
	free(text);
	strbuf_release(&err);
	unlink(png);
	free(png);
}

static void test_ocr_pdf(void **state)
{
	(void)state;
	char *pdf = xasprintf("%s/text.pdf", tmpdir);
	render_pdf(pdf, 2);
	char *text = NULL;
	struct strbuf err = STRBUF_INIT;
	assert_int_equal(ocr_pdf(pdf, &text, &err), 0);
	/* two pages, a form feed between them */
	char *ff = strchr(text, '\f');
	assert_non_null(ff);
	*ff = '\0';
	double r1 = cer(TEXT, text), r2 = cer(TEXT, ff + 1);
	if (r1 >= 0.02 || r2 >= 0.02)
		fprintf(stderr, "CER %.4f %.4f, OCR text:\n%s\n--\n%s\n", r1, r2, text, ff + 1);
	assert_true(r1 < 0.02);
	assert_true(r2 < 0.02);
	free(text);
	/* no page images left behind in TMPDIR */
	DIR *d = opendir(tmpdir);
	struct dirent *e;
	while ((e = readdir(d)))
		assert_null(strstr(e->d_name, "motcua-ocr-"));
	closedir(d);
	/* a damaged PDF is an error, with a message */
	FILE *f = fopen(pdf, "w");
	fputs("%PDF-1.4\nnot really\n", f);
	fclose(f);
	assert_int_equal(ocr_pdf(pdf, &text, &err), -1);
	assert_non_null(strstr(err.buf, "pdftoppm"));
	strbuf_release(&err);
	unlink(pdf);
	free(pdf);
}

/* ---- the store ---- */

struct fix {
	struct store st;
	char *db, *docs;
};

static void exec_ok(struct store *st, const char *sql)
{
	struct strbuf err = STRBUF_INIT;
	if (store_exec(st, sql, &err))
		fail_msg("%s: %s", sql, err.buf);
	strbuf_release(&err);
}

static void add_dossier(struct store *st, const char *id, const char *code, const char *name,
			const char *idnum, const char *at)
{
	char *fold = mc_text_fold(name);
	char *sql = xasprintf(
		"INSERT INTO dossiers(id, code, procedure_code, procedure_name, unit_code, clerk,"
		" status, received_at, appointment, applicant_name, applicant_fold, id_number,"
		" updated_at) VALUES ('%s', '%s', '1.001193', 'Đăng ký khai sinh', '00004', 'an',"
		" 2, '%s', '2025-10-30T10:00', '%s', '%s', '%s', '%s');"
		"INSERT INTO dossier_components(dossier_id, seq, name, kind, mandatory,"
		" originals_required, copies_required, originals, copies) VALUES"
		" ('%s', 1, 'Tờ khai', 'submit', 1, 1, 0, 1, 0), ('%s', 2, 'Giấy chứng sinh', 'submit', 1, 1, 0, 1, 0)",
		id, code, at, name, fold, idnum, at, id, id);
	exec_ok(st, sql);
	free(sql);
	free(fold);
}

static int setup_store(void **state)
{
	struct fix *f = xcalloc(1, sizeof *f);
	static int seq;
	char *dir = xasprintf("%s/store%d", tmpdir, ++seq);
	f->db = xasprintf("%s/motcua.db", dir);
	f->docs = docstore_dir(f->db);
	struct strbuf err = STRBUF_INIT;
	assert_int_equal(store_open(&f->st, f->db, STORE_CREATE, &err), 0);
	strbuf_release(&err);
	add_dossier(&f->st, "d1", "H01.00004-251027-0001", "Nguyễn Văn An", "001090012345",
		    "2025-10-27T09:00");
	add_dossier(&f->st, "d2", "H01.00004-251027-0002", "Nguyễn Văn An", "001090012345",
		    "2025-10-27T09:30");
	add_dossier(&f->st, "d3", "H01.00004-251027-0003", "Trần Thị Bình", "036090099999",
		    "2025-10-27T09:45");
	assert_int_equal(mkdir(f->docs, 0755), 0);
	free(dir);
	*state = f;
	return 0;
}

static int teardown_store(void **state)
{
	struct fix *f = *state;
	store_close(&f->st);
	char *cmd = xasprintf("rm -rf '%s'", f->docs);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(f->db);
	free(f->docs);
	free(f);
	return 0;
}

static long long count(struct store *st, const char *sql)
{
	sqlite3_stmt *q = store_prepare(st, sql);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	long long n = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return n;
}

static int files_in(const char *dir)
{
	DIR *d = opendir(dir);
	assert_non_null(d);
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

/* Writes text to docs/.incoming-N.pdf (a stand-in for the PDF docpdf makes). */
static char *incoming(struct fix *f, int n, const char *text)
{
	char *p = xasprintf("%s/.incoming-%d.pdf", f->docs, n);
	FILE *fp = fopen(p, "w");
	fputs(text, fp);
	fclose(fp);
	return p;
}

static const struct mc_dt NOW = { 2025, 10, 27, 10, 0 };

static void test_attach_and_reuse(void **state)
{
	struct fix *f = *state;
	struct strbuf err = STRBUF_INIT;
	char sha[65], doc[37], doc2[37];
	bool created;

	/* the same content filed twice is one file */
	char *p1 = incoming(f, 1, "paper one");
	assert_int_equal(files_sha256(p1, sha, &err), 0);
	assert_int_equal(docstore_file_in(f->db, p1, sha, &created, &err), 0);
	assert_true(created);
	char *p2 = incoming(f, 2, "paper one");
	assert_int_equal(docstore_file_in(f->db, p2, sha, &created, &err), 0);
	assert_false(created);
	assert_int_equal(files_in(f->docs), 1);
	assert_int_equal(access(p2, F_OK), -1);
	char *file = docstore_file(f->db, sha);
	assert_int_equal(access(file, F_OK), 0);

	struct doc_meta m = { .kind = "cccd", .number = "001090012345", .issuer = "Bộ Công an",
			      .issued_on = "2021-01-02", .expires_on = "2030-05-17" };
	assert_int_equal(docstore_attach_new(&f->st, "h01.00004-251027-0001", 2, &m, sha, 1, 9,
					     "an", &NOW, doc, &err), DOCSTORE_OK);
	assert_int_equal(count(&f->st, "SELECT count(*) FROM documents WHERE owner_id_number ="
				       " '001090012345' AND ocr_state = 'pending'"), 1);
	assert_int_equal(count(&f->st, "SELECT count(*) FROM dossier_components WHERE"
				       " dossier_id = 'd1' AND seq = 2 AND document_id IS NOT NULL AND reused = 0"), 1);
	assert_int_equal(count(&f->st, "SELECT count(*) FROM events WHERE kind = 'attach'"), 1);
	assert_int_equal(count(&f->st, "SELECT count(*) FROM outbox WHERE op = 'attach'"
				       " AND entity_id = 'd1' AND base_rev = 1"), 1);

	/* reuse: no file, no document row; the component says reused */
	assert_int_equal(docstore_attach_reuse(&f->st, "H01.00004-251027-0002", 2, doc, "an", &NOW,
					       &err), DOCSTORE_OK);
	assert_int_equal(files_in(f->docs), 1);
	assert_int_equal(count(&f->st, "SELECT count(*) FROM documents"), 1);
	assert_int_equal(count(&f->st, "SELECT count(*) FROM dossier_components WHERE"
				       " dossier_id = 'd2' AND seq = 2 AND reused = 1"), 1);
	assert_int_equal(count(&f->st, "SELECT count(*) FROM events WHERE kind = 'attach'"
				       " AND json_extract(payload, '$.reused') = 1"), 1);

	/* refusals change nothing */
	long long before = count(&f->st, "SELECT (SELECT count(*) FROM events) * 1000 +"
					 " (SELECT count(*) FROM outbox) * 100 + (SELECT count(*) FROM"
					 " dossier_components WHERE document_id IS NOT NULL)");
	assert_int_equal(docstore_attach_reuse(&f->st, "H01.00004-251027-0003", 1, doc, "an", &NOW,
					       &err), DOCSTORE_REFUSED);
	assert_non_null(strstr(err.buf, "không phải của người nộp"));
	assert_int_equal(docstore_attach_reuse(&f->st, "H01.00004-251027-0009", 1, doc, "an", &NOW,
					       &err), DOCSTORE_REFUSED);
	assert_int_equal(docstore_attach_reuse(&f->st, "H01.00004-251027-0002", 7, doc, "an", &NOW,
					       &err), DOCSTORE_REFUSED);
	assert_int_equal(docstore_attach_reuse(&f->st, "H01.00004-251027-0002", 1, "x", "an", &NOW,
					       &err), DOCSTORE_REFUSED);

	/* an expired paper: stored, listed no more, not reusable */
	struct doc_meta old = { .kind = "cccd", .expires_on = "2025-10-26" };
	assert_int_equal(docstore_attach_new(&f->st, "H01.00004-251027-0001", 1, &old, sha, 1, 9,
					     "an", &NOW, doc2, &err), DOCSTORE_OK);
	before += 1000 + 100; /* its event and outbox row; component 1 now has a document */
	before += 1;
	assert_int_equal(docstore_attach_reuse(&f->st, "H01.00004-251027-0002", 1, doc2, "an", &NOW,
					       &err), DOCSTORE_REFUSED);
	assert_non_null(strstr(err.buf, "đã hết hạn ngày 2025-10-26"));
	assert_int_equal(count(&f->st, "SELECT (SELECT count(*) FROM events) * 1000 +"
				       " (SELECT count(*) FROM outbox) * 100 + (SELECT count(*) FROM"
				       " dossier_components WHERE document_id IS NOT NULL)"), before);

	json_t *list = NULL;
	struct mc_date today = { 2025, 10, 27 };
	assert_int_equal(docstore_list_valid(&f->st, "001090012345", &today, &list, &err), 0);
	assert_int_equal(json_array_size(list), 1);
	json_t *d0 = json_array_get(list, 0);
	assert_string_equal(json_string_value(json_object_get(d0, "id")), doc);
	assert_string_equal(json_string_value(json_object_get(d0, "sha256")), sha);
	json_t *ds = json_object_get(d0, "dossiers");
	assert_int_equal(json_array_size(ds), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(ds, 1), "code")),
			    "H01.00004-251027-0002");
	assert_true(json_is_true(json_object_get(json_array_get(ds, 1), "reused")));
	json_decref(list);
	struct mc_date before_expiry = { 2025, 10, 26 };
	assert_int_equal(docstore_list_valid(&f->st, "001090012345", &before_expiry, &list, &err), 0);
	assert_int_equal(json_array_size(list), 2);
	json_decref(list);
	assert_int_equal(docstore_list_valid(&f->st, "036090099999", &today, &list, &err), 0);
	assert_int_equal(json_array_size(list), 0);
	json_decref(list);

	/* OCR text is searchable without diacritics; the dossiers using it come back */
	assert_int_equal(docstore_set_ocr(&f->st, doc, "Giấy khai sinh: Phương Thảo, Thái Bình", &err), 0);
	struct dossier_rows rows;
	dossier_rows_init(&rows);
	assert_int_equal(dossier_search_papers(&f->st, "phuong thao thai", 0, 10, &rows, &err), 2);
	assert_string_equal(rows.v[0].code, "H01.00004-251027-0002"); /* newest first */
	assert_string_equal(rows.v[1].code, "H01.00004-251027-0001");
	/* already found: not twice */
	assert_int_equal(dossier_search_papers(&f->st, "khai sinh", 0, 10, &rows, &err), 0);
	dossier_rows_release(&rows);
	assert_int_equal(dossier_search_papers(&f->st, "khai sinh", DQ_STATUS(4), 10, &rows, &err), 0);
	assert_int_equal(dossier_search_papers(&f->st, "hai", 0, 10, &rows, &err), 0);
	dossier_rows_release(&rows);
	assert_int_equal(docstore_set_ocr(&f->st, doc, NULL, &err), 0);
	assert_int_equal(count(&f->st, "SELECT count(*) FROM documents WHERE ocr_state = 'failed'"), 1);
	assert_int_equal(dossier_search_papers(&f->st, "phuong", 0, 10, &rows, &err), 0);
	dossier_rows_release(&rows);

	strbuf_release(&err);
	free(file);
	free(p1);
	free(p2);
}

/* A paper's type and signature recorded (document_papers), carried by the
 * outbox and listed; reuse refused for a component of another type. */
static void test_typed_paper(void **state)
{
	struct fix *f = *state;
	struct strbuf err = STRBUF_INIT;
	char sha[65], doc[37], cccd[37];
	char *p1 = incoming(f, 1, "typed paper");
	bool created;
	assert_int_equal(files_sha256(p1, sha, &err), 0);
	assert_int_equal(docstore_file_in(f->db, p1, sha, &created, &err), 0);
	exec_ok(&f->st, "INSERT INTO dossier_components(dossier_id, seq, name, kind, mandatory,"
			" originals_required, copies_required, originals, copies) VALUES ('d2', 3,"
			" 'Một trong các giấy tờ sau: Căn cước điện tử; Thẻ căn cước công dân hoặc Hộ chiếu',"
			" 'submit', 1, 1, 0, 0, 0)");
	struct doc_meta birth = { .kind = "giay-khai-sinh", .paper_type = "birth" };
	assert_int_equal(docstore_attach_new(&f->st, "H01.00004-251027-0001", 2, &birth, sha, 1, 9,
					     "an", &NOW, doc, &err), DOCSTORE_OK);
	struct doc_meta id = { .kind = "cccd", .paper_type = "cccd", .signer = "Nguyễn Văn An",
			       .signed_at = "2025-10-27T09:00:00+07:00" };
	assert_int_equal(docstore_attach_new(&f->st, "H01.00004-251027-0001", 1, &id, sha, 1, 9,
					     "an", &NOW, cccd, &err), DOCSTORE_OK);
	assert_int_equal(count(&f->st, "SELECT count(*) FROM document_papers"), 2);
	assert_int_equal(count(&f->st, "SELECT count(*) FROM outbox WHERE op = 'attach' AND"
				       " json_extract(payload, '$.document.paper_type') = 'cccd' AND"
				       " json_extract(payload, '$.document.signer') = 'Nguyễn Văn An'"), 1);
	char *signer = NULL;
	assert_int_equal(docstore_signer(&f->st, cccd, &signer, &err), 0);
	assert_string_equal(signer, "Nguyễn Văn An");
	free(signer);
	assert_int_equal(docstore_signer(&f->st, doc, &signer, &err), 0);
	assert_null(signer);

	long long before = count(&f->st, "SELECT count(*) FROM events");
	assert_int_equal(docstore_attach_reuse(&f->st, "H01.00004-251027-0002", 3, doc, "an", &NOW,
					       &err), DOCSTORE_REFUSED);
	assert_non_null(strstr(err.buf, "là Giấy khai sinh: không phải loại giấy tờ"));
	assert_int_equal(count(&f->st, "SELECT count(*) FROM events"), before);
	assert_int_equal(docstore_attach_reuse(&f->st, "H01.00004-251027-0002", 3, cccd, "an", &NOW,
					       &err), DOCSTORE_OK);
	/* a component that names no type does not refuse a typed paper */
	assert_int_equal(docstore_attach_reuse(&f->st, "H01.00004-251027-0002", 2, doc, "an", &NOW,
					       &err), DOCSTORE_OK);

	json_t *list = NULL;
	struct mc_date today = { 2025, 10, 27 };
	assert_int_equal(docstore_list_valid(&f->st, "001090012345", &today, &list, &err), 0);
	assert_int_equal(json_array_size(list), 2);
	json_t *d0 = json_array_get(list, 0); /* newest first: the CCCD */
	assert_string_equal(json_string_value(json_object_get(d0, "paper_type")), "cccd");
	assert_string_equal(json_string_value(json_object_get(d0, "signer")), "Nguyễn Văn An");
	json_t *d1 = json_array_get(list, 1);
	assert_string_equal(json_string_value(json_object_get(d1, "paper_type")), "birth");
	assert_null(json_object_get(d1, "signer"));
	json_decref(list);
	strbuf_release(&err);
	free(p1);
}

/* What the scan screen and the OCR worker read: the dossier by id or code,
 * its components with their papers, the papers still waiting for OCR. */
static void test_scan_reads(void **state)
{
	struct fix *f = *state;
	struct strbuf err = STRBUF_INIT;
	char id[37], sha[65], doc1[37], doc2[37], got[37], got_sha[65];
	char *code = NULL;

	assert_int_equal(docstore_dossier(&f->st, "d2", id, &code, &err), DOCSTORE_OK);
	assert_string_equal(id, "d2");
	assert_string_equal(code, "H01.00004-251027-0002");
	free(code);
	assert_int_equal(docstore_dossier(&f->st, "h01.00004-251027-0003", id, &code, &err),
			 DOCSTORE_OK);
	assert_string_equal(id, "d3");
	assert_string_equal(code, "H01.00004-251027-0003");
	free(code);
	assert_int_equal(docstore_dossier(&f->st, "H01.00004-251027-0009", id, &code, &err),
			 DOCSTORE_REFUSED);
	assert_null(code);
	assert_string_equal(err.buf, "Không tìm thấy hồ sơ H01.00004-251027-0009");

	/* nothing waits for OCR yet */
	assert_int_equal(docstore_next_ocr_pending(&f->st, got, got_sha, &err), DOCSTORE_NONE);

	/* a third component nobody brought, not mandatory */
	exec_ok(&f->st, "INSERT INTO dossier_components(dossier_id, seq, name, kind, mandatory,"
			" originals_required, copies_required, originals, copies) VALUES"
			" ('d1', 3, 'Giấy ủy quyền', 'submit', 0, 1, 0, 0, 0)");
	struct docstore_components c = { 0 };
	assert_int_equal(docstore_components_load(&f->st, "d1", &c, &err), DOCSTORE_OK);
	assert_int_equal(c.n, 3);
	for (size_t i = 0; i < c.n; i++) {
		assert_int_equal(c.v[i].seq, (int)i + 1);
		assert_false(c.v[i].digitized);
		assert_null(c.v[i].doc_kind);
		assert_null(c.v[i].doc_sha256);
		assert_int_equal(c.v[i].wanted, i < 2);
	}
	assert_string_equal(c.v[2].name, "Giấy ủy quyền");
	docstore_components_release(&c);
	assert_int_equal(c.n, 0);

	/* two papers, filed a minute apart: the older one is read first */
	char *p = incoming(f, 1, "paper for OCR");
	assert_int_equal(files_sha256(p, sha, &err), 0);
	bool created;
	assert_int_equal(docstore_file_in(f->db, p, sha, &created, &err), 0);
	struct doc_meta m = { .kind = "giay-uy-quyen" };
	struct mc_dt later = NOW;
	later.mi += 1;
	assert_int_equal(docstore_attach_new(&f->st, "H01.00004-251027-0001", 3, &m, sha, 2, 1234,
					     "an", &later, doc2, &err), DOCSTORE_OK);
	assert_int_equal(docstore_attach_new(&f->st, "H01.00004-251027-0002", 1, &m, sha, 2, 1234,
					     "an", &NOW, doc1, &err), DOCSTORE_OK);
	assert_int_equal(docstore_components_load(&f->st, "d1", &c, &err), DOCSTORE_OK);
	assert_int_equal(c.n, 3);
	assert_true(c.v[2].wanted); /* digitized now */
	assert_true(c.v[2].digitized);
	assert_string_equal(c.v[2].doc_kind, "giay-uy-quyen");
	assert_string_equal(c.v[2].doc_sha256, sha);
	assert_int_equal(c.v[2].doc_pages, 2);
	assert_int_equal(c.v[2].doc_bytes, 1234);
	docstore_components_release(&c);

	assert_int_equal(docstore_next_ocr_pending(&f->st, got, got_sha, &err), DOCSTORE_OK);
	assert_string_equal(got, doc1);
	assert_string_equal(got_sha, sha);
	assert_int_equal(docstore_set_ocr(&f->st, doc1, "Giấy ủy quyền", &err), 0);
	assert_int_equal(docstore_next_ocr_pending(&f->st, got, got_sha, &err), DOCSTORE_OK);
	assert_string_equal(got, doc2);
	assert_int_equal(docstore_set_ocr(&f->st, doc2, NULL, &err), 0);
	assert_int_equal(docstore_next_ocr_pending(&f->st, got, got_sha, &err), DOCSTORE_NONE);

	strbuf_release(&err);
	free(p);
}

int main(void)
{
	if (!mkdtemp(tmpdir))
		return 1;
	setenv("TMPDIR", tmpdir, 1);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cer),
		cmocka_unit_test(test_ocr_image),
		cmocka_unit_test(test_ocr_pdf),
		cmocka_unit_test_setup_teardown(test_attach_and_reuse, setup_store, teardown_store),
		cmocka_unit_test_setup_teardown(test_typed_paper, setup_store, teardown_store),
		cmocka_unit_test_setup_teardown(test_scan_reads, setup_store, teardown_store),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	char *cmd = xasprintf("rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		rc = 1;
	free(cmd);
	return rc;
}
