/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The PDF structure behind signatures (core/pdfdoc, core/pdfsig), on files
 * made by hand here: values, cross-reference tables and streams (with a PNG
 * predictor) and object streams, the page tree; the incremental update that
 * adds a signature (what it rewrites, where /ByteRange and /Contents are),
 * read back; a second update; what later revisions changed; refusals. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "tests/unit/fixtures.h"
#include <zlib.h>

#include "core/pdfdoc.h"
#include "core/pdfsig.h"
#include "core/xalloc.h"

static int test_inflate(const unsigned char *in, size_t n, struct strbuf *out, struct strbuf *err)
{
	unsigned char buf[1 << 16];
	uLongf len = sizeof(buf);
	if (uncompress(buf, &len, in, (uLong)n) != Z_OK) {
		strbuf_addstr(err, "inflate");
		return -1;
	}
	strbuf_add(out, buf, len);
	return 0;
}

/* A classic PDF of the objects given (object i+1 is objs[i]), its table and
 * trailer ("<< /Size n /Root 1 0 R" + extra + ">>"). */
static void mkpdf(struct strbuf *pdf, const char *const *objs, int n, const char *extra)
{
	size_t off[32];
	strbuf_reset(pdf);
	strbuf_addstr(pdf, "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n");
	for (int i = 0; i < n; i++) {
		off[i] = pdf->len;
		strbuf_addf(pdf, "%d 0 obj\n%s\nendobj\n", i + 1, objs[i]);
	}
	size_t x = pdf->len;
	strbuf_addf(pdf, "xref\n0 %d\n0000000000 65535 f \n", n + 1);
	for (int i = 0; i < n; i++)
		strbuf_addf(pdf, "%010zu 00000 n \n", off[i]);
	strbuf_addf(pdf, "trailer\n<< /Size %d /Root 1 0 R %s >>\nstartxref\n%zu\n%%%%EOF\n", n + 1,
		    extra ? extra : "", x);
}

static const char *const simple[] = {
	"<< /Type /Catalog /Pages 2 0 R >>",
	"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 /MediaBox [0 0 595 842] >>",
	"<< /Type /Page /Parent 2 0 R /Contents 5 0 R >>",
	"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 842 595] /Annots [6 0 R] >>",
	"<< /Length 11 >>\nstream\n0 0 m 1 1 l\nendstream",
	"<< /Type /Annot /Subtype /Link /Rect [0 0 10 10] >>",
	"<< /Producer (t\\351st) /Title <FEFF0054006900EA0075> >>",
};

static void test_values(void **state)
{
	struct strbuf err = STRBUF_INIT;
	struct pdf_obj o = PDF_OBJ_INIT;
	const char *src = " % a comment\n<< /Na#6De (a\\(b\\)\\n\\101\\\nc (nested)) /H <48 6 9 4>"
			  " /R 12 0 R /A [1 -2.5 .5 true false null /x] /D << >> >>";
	size_t pos = 0;
	assert_int_equal(pdf_parse_value((const unsigned char *)src, strlen(src), &pos, 0, &o, &err), 0);
	assert_int_equal(pos, strlen(src));
	assert_int_equal(o.kind, PDF_DICT);
	assert_int_equal(o.n, 5);
	assert_int_equal(o.at, strchr(src, '<') - src);
	const struct pdf_obj *v = pdf_dict_get(&o, "Name");
	assert_non_null(v);
	assert_int_equal(v->kind, PDF_STRING);
	assert_string_equal(v->s, "a(b)\nAc (nested)");
	v = pdf_dict_get(&o, "H");
	assert_int_equal(v->n, 3);
	assert_memory_equal(v->s, "Hi@", 3); /* odd final digit: padded with 0 */
	v = pdf_dict_get(&o, "R");
	assert_int_equal(v->kind, PDF_REF);
	assert_int_equal(v->i, 12);
	assert_int_equal(v->gen, 0);
	assert_int_equal(v->rawlen, 6);
	assert_memory_equal(v->raw, "12 0 R", 6);
	v = pdf_dict_get(&o, "A");
	assert_int_equal(v->kind, PDF_ARRAY);
	assert_int_equal(v->n, 7);
	assert_int_equal(v->items[0].kind, PDF_INT);
	assert_int_equal(v->items[1].kind, PDF_REAL);
	assert_true(v->items[1].r == -2.5);
	assert_true(v->items[2].r == 0.5);
	assert_int_equal(v->items[3].kind, PDF_BOOL);
	assert_int_equal(v->items[3].i, 1);
	assert_int_equal(v->items[5].kind, PDF_NULL);
	assert_true(pdf_is_name(&v->items[6], "x"));
	assert_int_equal(pdf_dict_get(&o, "D")->kind, PDF_DICT);
	assert_null(pdf_dict_get(&o, "Missing"));

	/* equality: key order does not matter, numbers by value */
	struct pdf_obj a = PDF_OBJ_INIT, b = PDF_OBJ_INIT;
	const char *sa = "<< /A 1 /B [2 3 0 R] >>", *sb = "<</B[2.0 3 0 R]/A 1>>";
	pos = 0;
	assert_int_equal(pdf_parse_value((const unsigned char *)sa, strlen(sa), &pos, 0, &a, &err), 0);
	pos = 0;
	assert_int_equal(pdf_parse_value((const unsigned char *)sb, strlen(sb), &pos, 0, &b, &err), 0);
	assert_true(pdf_obj_equal(&a, &b));
	assert_false(pdf_obj_equal(&a, &o));
	pdf_obj_release(&a);
	pdf_obj_release(&b);
	pdf_obj_release(&o);

	/* refused: unclosed, a key that is not a name, too deep */
	const char *bad[] = { "<< /A 1", "(open", "<< 1 2 >>", "[1 2", "<4G>", "}" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		pos = 0;
		strbuf_reset(&err);
		assert_int_equal(pdf_parse_value((const unsigned char *)bad[i], strlen(bad[i]), &pos, 0, &o, &err), -1);
		assert_non_null(strstr(err.buf, "cấu trúc PDF hỏng"));
	}
	struct strbuf deep = STRBUF_INIT;
	for (int i = 0; i < 100; i++)
		strbuf_addch(&deep, '[');
	pos = 0;
	assert_int_equal(pdf_parse_value((const unsigned char *)deep.buf, deep.len, &pos, 0, &o, &err), -1);
	strbuf_release(&deep);
	strbuf_release(&err);
}

static void test_text(void **state)
{
	char *s = pdf_text_to_utf8("\xfe\xff\x00N\x1e\xc5\xd8\x3d\xde\x00", 10);
	assert_string_equal(s, "Nễ\xf0\x9f\x98\x80"); /* a surrogate pair */
	free(s);
	s = pdf_text_to_utf8("caf\xe9", 4);
	assert_string_equal(s, "café");
	free(s);
	char buf[32];
	assert_int_equal(pdf_date_iso("D:20251027093015+07'00'", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "2025-10-27T09:30:15+07:00");
	assert_int_equal(pdf_date_iso("D:2025102709Z", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "2025-10-27T09:00:00Z");
	assert_int_equal(pdf_date_iso("D:2025", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "2025-01-01T00:00:00");
	assert_int_equal(pdf_date_iso("2025", buf, sizeof(buf)), -1);
	assert_int_equal(pdf_date_iso("D:20251327", buf, sizeof(buf)), -1);
}

static void test_classic(void **state)
{
	struct strbuf pdf = STRBUF_INIT, err = STRBUF_INIT;
	mkpdf(&pdf, simple, 7, "/Info 7 0 R /ID [<0102> <0304>]");
	struct pdfdoc d;
	assert_int_equal(pdfdoc_open(&d, (unsigned char *)pdf.buf, pdf.len, NULL, &err), 0);
	assert_int_equal(d.root, 1);
	assert_int_equal(d.info, 7);
	assert_int_equal(d.size, 8);
	assert_int_equal(d.sections, 1);
	assert_false(d.xref_stream);
	assert_int_equal(d.id.kind, PDF_ARRAY);
	assert_memory_equal(d.id.items[1].s, "\x03\x04", 2);
	/* objects and streams */
	struct pdf_obj o = PDF_OBJ_INIT;
	struct pdf_stream st;
	assert_int_equal(pdfdoc_get(&d, 5, NULL, &o, &st, &err), 0);
	assert_true(st.present);
	assert_int_equal(st.len, 11);
	assert_memory_equal(st.data, "0 0 m 1 1 l", 11);
	pdf_obj_release(&o);
	/* a wrong /Length: the data still runs to endstream */
	char *len11 = strstr(pdf.buf, "/Length 11");
	len11[8] = '5';
	len11[9] = ' ';
	assert_int_equal(pdfdoc_get(&d, 5, NULL, &o, &st, &err), 0);
	assert_int_equal(st.len, 11);
	pdf_obj_release(&o);
	assert_int_equal(pdfdoc_get(&d, 9, NULL, &o, NULL, &err), -1);
	/* the page tree: the first page inherits its box, the second has its own */
	struct pdfdoc_page pg;
	assert_int_equal(pdfdoc_page(&d, 0, &pg, &err), 0);
	assert_int_equal(pg.num, 3);
	assert_int_equal(pg.count, 2);
	assert_true(pg.box[2] == 595 && pg.box[3] == 842);
	assert_int_equal(pdfdoc_page(&d, 1, &pg, &err), 0);
	assert_int_equal(pg.num, 4);
	assert_true(pg.box[2] == 842 && pg.box[3] == 595);
	strbuf_reset(&err);
	assert_int_equal(pdfdoc_page(&d, 2, &pg, &err), -1);
	assert_string_equal(err.buf, "tệp PDF chỉ có 2 trang, không có trang 3");
	pdfdoc_release(&d);

	/* not a PDF; cut short; an xref that points at the wrong object */
	strbuf_reset(&err);
	assert_int_equal(pdfdoc_open(&d, (unsigned char *)"hello world", 11, NULL, &err), -1);
	assert_non_null(strstr(err.buf, "không phải tệp PDF"));
	pdfdoc_release(&d);
	strbuf_reset(&err);
	assert_int_equal(pdfdoc_open(&d, (unsigned char *)pdf.buf, pdf.len / 2, NULL, &err), -1);
	assert_non_null(strstr(err.buf, "startxref"));
	pdfdoc_release(&d);
	char *swapped = strstr(pdf.buf, "2 0 obj");
	swapped[0] = '9';
	assert_int_equal(pdfdoc_open(&d, (unsigned char *)pdf.buf, pdf.len, NULL, &err), 0);
	strbuf_reset(&err);
	assert_int_equal(pdfdoc_get(&d, 2, NULL, &o, NULL, &err), -1);
	assert_non_null(strstr(err.buf, "bảng xref chỉ đối tượng 2"));
	pdfdoc_release(&d);
	strbuf_release(&pdf);
	strbuf_release(&err);
}

/* A PDF 1.5 file whose objects 2 and 3 are in an object stream (4) and
 * whose cross-reference is a stream (5) with /W [1 2 1], FlateDecode and
 * the PNG Up predictor. */
static void mkstreams(struct strbuf *pdf)
{
	const char *inner = "<< /Type /Pages /Kids [3 0 R] /Count 1 >> << /Type /Page /Parent 2 0 R "
			    "/MediaBox [0 0 300 400] >>";
	char head[32];
	int hl = snprintf(head, sizeof(head), "2 0 3 %zu ", strlen("<< /Type /Pages /Kids [3 0 R] /Count 1 >> "));
	struct strbuf objs = STRBUF_INIT;
	strbuf_addf(&objs, "%s%s", head, inner);
	unsigned char z[4096];
	uLongf zl = sizeof(z);
	assert_int_equal(compress(z, &zl, (unsigned char *)objs.buf, objs.len), Z_OK);

	strbuf_reset(pdf);
	strbuf_addstr(pdf, "%PDF-1.5\n");
	size_t off1 = pdf->len;
	strbuf_addstr(pdf, "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
	size_t off4 = pdf->len;
	strbuf_addf(pdf, "4 0 obj\n<< /Type /ObjStm /N 2 /First %d /Filter /FlateDecode /Length %lu >>\nstream\n",
		    hl, (unsigned long)zl);
	strbuf_add(pdf, z, zl);
	strbuf_addstr(pdf, "\nendstream\nendobj\n");
	size_t off5 = pdf->len;
	/* rows: type, offset (2), gen/index (1); PNG Up: each row less the one above */
	unsigned char rows[6][4] = {
		{ 0, 0, 0, 255 },
		{ 1, (unsigned char)(off1 >> 8), (unsigned char)off1, 0 },
		{ 2, 0, 4, 0 },
		{ 2, 0, 4, 1 },
		{ 1, (unsigned char)(off4 >> 8), (unsigned char)off4, 0 },
		{ 1, (unsigned char)(off5 >> 8), (unsigned char)off5, 0 },
	};
	unsigned char filtered[6 * 5];
	for (int r = 0; r < 6; r++) {
		filtered[r * 5] = 2;
		for (int c = 0; c < 4; c++)
			filtered[r * 5 + 1 + c] = (unsigned char)(rows[r][c] - (r ? rows[r - 1][c] : 0));
	}
	zl = sizeof(z);
	assert_int_equal(compress(z, &zl, filtered, sizeof(filtered)), Z_OK);
	strbuf_addf(pdf, "5 0 obj\n<< /Type /XRef /Size 6 /W [1 2 1] /Root 1 0 R /Filter /FlateDecode "
			 "/DecodeParms << /Predictor 12 /Columns 4 >> /Length %lu >>\nstream\n",
		    (unsigned long)zl);
	strbuf_add(pdf, z, zl);
	strbuf_addf(pdf, "\nendstream\nendobj\nstartxref\n%zu\n%%%%EOF\n", off5);
	strbuf_release(&objs);
}

static void test_streams(void **state)
{
	struct strbuf pdf = STRBUF_INIT, err = STRBUF_INIT;
	mkstreams(&pdf);
	struct pdfdoc d;
	/* without an inflate function: refused, with the reason */
	assert_int_equal(pdfdoc_open(&d, (unsigned char *)pdf.buf, pdf.len, NULL, &err), -1);
	assert_non_null(strstr(err.buf, "luồng nén"));
	pdfdoc_release(&d);
	strbuf_reset(&err);
	assert_int_equal(pdfdoc_open(&d, (unsigned char *)pdf.buf, pdf.len, test_inflate, &err), 0);
	assert_true(d.xref_stream);
	assert_int_equal(d.xref[2].type, 2);
	assert_int_equal(d.xref[3].gen, 1);
	struct pdf_obj o = PDF_OBJ_INIT;
	assert_int_equal(pdfdoc_get(&d, 3, NULL, &o, NULL, &err), 0);
	assert_true(pdf_is_name(pdf_dict_get(&o, "Type"), "Page"));
	assert_int_equal(o.at, (size_t)-1); /* inside an object stream */
	pdf_obj_release(&o);
	struct pdfdoc_page pg;
	assert_int_equal(pdfdoc_page(&d, 0, &pg, &err), 0);
	assert_int_equal(pg.num, 3);
	assert_true(pg.box[2] == 300 && pg.box[3] == 400);
	pdfdoc_release(&d);
	strbuf_release(&pdf);
	strbuf_release(&err);
}

static const unsigned char id16[16] = "0123456789abcdef";

static void request(struct pdf_sig_request *rq)
{
	memset(rq, 0, sizeof(*rq));
	rq->m = "D:20251027093000+07'00'";
	rq->name = "Nguyễn Văn An";
	rq->reason = "Kiểm tra (thử)";
	rq->contents_max = 256;
	rq->new_id = id16;
}

/* Prepares a signature on buf and fills it with fake CMS bytes; out gets
 * the new file. */
static void sign_fake(const struct strbuf *in, pdf_inflate_fn inflate, const struct pdf_sig_request *rq,
		      struct strbuf *out, struct pdf_sig_layout *lay)
{
	struct strbuf err = STRBUF_INIT;
	struct pdfdoc d;
	assert_int_equal(pdfdoc_open(&d, (unsigned char *)in->buf, in->len, inflate, &err), 0);
	strbuf_reset(out);
	assert_int_equal(pdf_sig_prepare(&d, rq, out, lay, &err), 0);
	const unsigned char cms[4] = { 0x30, 0x02, 0xAB, 0xCD };
	assert_int_equal(pdf_sig_fill((unsigned char *)out->buf, out->len, lay, cms, 4, &err), 0);
	pdfdoc_release(&d);
	strbuf_release(&err);
}

static void test_update(void **state)
{
	struct strbuf pdf = STRBUF_INIT, out = STRBUF_INIT, err = STRBUF_INIT;
	mkpdf(&pdf, simple, 7, "/Info 7 0 R /ID [<0102> <0304>]");
	struct pdf_sig_request rq;
	struct pdf_sig_layout lay;
	request(&rq);
	rq.page = 1;
	sign_fake(&pdf, NULL, &rq, &out, &lay);
	assert_string_equal(lay.field, "Signature1");

	/* the original first, untouched */
	assert_true(out.len > pdf.len);
	assert_memory_equal(out.buf, pdf.buf, pdf.len);
	/* the byte range: all but the hex string and its brackets */
	assert_int_equal(lay.range[0], 0);
	assert_int_equal(out.buf[lay.range[1]], '<');
	assert_int_equal(lay.range[1] + 1, (long long)lay.contents_at);
	assert_int_equal(lay.range[2], (long long)(lay.contents_at + lay.contents_hexlen + 1));
	assert_int_equal(out.buf[lay.range[2] - 1], '>');
	assert_int_equal(lay.range[2] + lay.range[3], (long long)out.len);
	assert_int_equal(lay.contents_hexlen, 512);
	assert_memory_equal(out.buf + lay.contents_at, "3002abcd0000", 12);
	char br[80];
	snprintf(br, sizeof(br), "/ByteRange [0 %lld %lld %lld]", lay.range[1], lay.range[2], lay.range[3]);
	assert_non_null(strstr(out.buf + pdf.len, br));

	/* read back: two sections, the new one a table with /Prev */
	struct pdfdoc d;
	assert_int_equal(pdfdoc_open(&d, (unsigned char *)out.buf, out.len, NULL, &err), 0);
	assert_int_equal(d.sections, 2);
	assert_int_equal(d.root, 1);
	assert_int_equal(d.info, 7);
	assert_memory_equal(d.id.items[0].s, "\x01\x02", 2);   /* the first /ID kept */
	assert_memory_equal(d.id.items[1].s, id16, 16);        /* the second new */
	assert_int_equal(d.size, 12);                           /* 8 + sig, widget, AP, form */
	assert_non_null(strstr(out.buf + pdf.len, "/Prev "));
	/* the page (4) lists its link and the widget; the catalog the form */
	struct pdf_obj o = PDF_OBJ_INIT, f = PDF_OBJ_INIT;
	assert_int_equal(pdfdoc_get(&d, 4, NULL, &o, NULL, &err), 0);
	const struct pdf_obj *annots = pdf_dict_get(&o, "Annots");
	assert_int_equal(annots->n, 2);
	assert_int_equal(annots->items[0].i, 6);
	assert_int_equal(annots->items[1].i, 9);
	assert_non_null(pdf_dict_get(&o, "MediaBox"));         /* the rest kept */
	pdf_obj_release(&o);
	assert_int_equal(pdfdoc_get(&d, 1, NULL, &o, NULL, &err), 0);
	const struct pdf_obj *form = pdfdoc_resolve(&d, pdf_dict_get(&o, "AcroForm"), &f, &err);
	assert_non_null(form);
	assert_int_equal(pdf_dict_get(form, "SigFlags")->i, 3);
	assert_int_equal(pdf_dict_get(form, "Fields")->items[0].i, 9);
	pdf_obj_release(&f);
	pdf_obj_release(&o);
	assert_int_equal(pdfdoc_get(&d, 9, NULL, &o, NULL, &err), 0);
	assert_true(pdf_is_name(pdf_dict_get(&o, "FT"), "Sig"));
	assert_int_equal(pdf_dict_get(&o, "P")->i, 4);
	pdf_obj_release(&o);

	/* the signature as a checker finds it */
	struct pdf_sig *sigs;
	size_t n;
	assert_int_equal(pdf_sig_list(&d, &sigs, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_string_equal(sigs[0].field, "Signature1");
	assert_true(sigs[0].range_ok);
	assert_true(sigs[0].covers_whole_file);
	assert_int_equal(sigs[0].later, PDF_LATER_NONE);
	assert_string_equal(sigs[0].subfilter, "ETSI.CAdES.detached");
	assert_string_equal(sigs[0].name, "Nguyễn Văn An");
	assert_string_equal(sigs[0].reason, "Kiểm tra (thử)");
	assert_string_equal(sigs[0].m, "D:20251027093000+07'00'");
	assert_int_equal(sigs[0].contents_len, 256);
	assert_memory_equal(sigs[0].contents, "\x30\x02\xab\xcd\x00", 5);
	pdf_sig_list_free(sigs, n);
	pdfdoc_release(&d);

	/* a second signature: Signature2, the first now followed by signatures only */
	struct strbuf twice = STRBUF_INIT;
	struct pdf_sig_layout lay2;
	rq.page = 0;
	rq.rect[0] = 10;
	rq.rect[1] = 10;
	rq.rect[2] = 110;
	rq.rect[3] = 40;
	unsigned char img[3 * 4] = { 0 };
	rq.image = img;
	rq.image_len = sizeof(img);
	rq.image_w = 2;
	rq.image_h = 2;
	rq.image_components = 3;
	sign_fake(&out, NULL, &rq, &twice, &lay2);
	assert_string_equal(lay2.field, "Signature2");
	assert_int_equal(pdfdoc_open(&d, (unsigned char *)twice.buf, twice.len, NULL, &err), 0);
	assert_int_equal(d.sections, 3);
	assert_int_equal(pdf_sig_list(&d, &sigs, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_string_equal(sigs[0].field, "Signature1");
	assert_false(sigs[0].covers_whole_file);
	assert_int_equal(sigs[0].revision_end, out.len);
	assert_int_equal(sigs[0].later, PDF_LATER_SIGNATURES);
	assert_string_equal(sigs[1].field, "Signature2");
	assert_true(sigs[1].covers_whole_file);
	pdf_sig_list_free(sigs, n);
	/* the visible one: a form XObject drawing the image over the rectangle */
	assert_int_equal(pdfdoc_get(&d, 13, NULL, &o, NULL, &err), 0);
	const struct pdf_obj *r = pdf_dict_get(&o, "Rect");
	assert_true(r->items[0].r == 10 && r->items[3].r == 40);
	pdf_obj_release(&o);
	assert_non_null(strstr(twice.buf + out.len, "/Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceRGB"));
	assert_non_null(strstr(twice.buf + out.len, "q 100.00 0 0 30.00 0 0 cm /Im0 Do Q"));
	pdfdoc_release(&d);

	pdf_sig_layout_release(&lay);
	pdf_sig_layout_release(&lay2);
	strbuf_release(&twice);
	strbuf_release(&pdf);
	strbuf_release(&out);
	strbuf_release(&err);
}

/* Appends an update that redefines object num as text (and, when num2,
 * frees num2): what a later revision might do. */
static void append_update(struct strbuf *pdf, int num, const char *text, int freed)
{
	struct pdfdoc d;
	struct strbuf err = STRBUF_INIT;
	assert_int_equal(pdfdoc_open(&d, (unsigned char *)pdf->buf, pdf->len, NULL, &err), 0);
	size_t prev = d.startxref, size = (size_t)d.size;
	pdfdoc_release(&d);
	size_t at = pdf->len;
	strbuf_addf(pdf, "%d 0 obj\n%s\nendobj\n", num, text);
	size_t x = pdf->len;
	strbuf_addf(pdf, "xref\n%d 1\n%010zu 00000 n \n", num, at);
	if (freed)
		strbuf_addf(pdf, "%d 1\n0000000000 00001 f \n", freed);
	strbuf_addf(pdf, "trailer\n<< /Size %zu /Root 1 0 R /Prev %zu >>\nstartxref\n%zu\n%%%%EOF\n", size,
		    prev, x);
	strbuf_release(&err);
}

static enum pdf_later later_of_first(const struct strbuf *pdf, char **detail)
{
	struct pdfdoc d;
	struct strbuf err = STRBUF_INIT;
	struct pdf_sig *sigs;
	size_t n;
	assert_int_equal(pdfdoc_open(&d, (unsigned char *)pdf->buf, pdf->len, NULL, &err), 0);
	assert_int_equal(pdf_sig_list(&d, &sigs, &n, &err), 0);
	assert_true(n >= 1);
	enum pdf_later l = sigs[0].later;
	*detail = sigs[0].later_detail ? xstrdup(sigs[0].later_detail) : NULL;
	pdf_sig_list_free(sigs, n);
	pdfdoc_release(&d);
	strbuf_release(&err);
	return l;
}

static void test_later(void **state)
{
	struct strbuf pdf = STRBUF_INIT, signed1 = STRBUF_INIT, t = STRBUF_INIT;
	mkpdf(&pdf, simple, 7, "/Info 7 0 R");
	struct pdf_sig_request rq;
	struct pdf_sig_layout lay;
	request(&rq);
	sign_fake(&pdf, NULL, &rq, &signed1, &lay);
	pdf_sig_layout_release(&lay);
	char *detail;

	/* the page's content replaced */
	strbuf_reset(&t);
	strbuf_add(&t, signed1.buf, signed1.len);
	append_update(&t, 5, "<< /Length 3 >>\nstream\nq Q\nendstream", 0);
	assert_int_equal(later_of_first(&t, &detail), PDF_LATER_OTHER);
	assert_string_equal(detail, "luồng (nội dung) của đối tượng 5 bị thay đổi");
	free(detail);
	/* the page pointed at other content */
	strbuf_reset(&t);
	strbuf_add(&t, signed1.buf, signed1.len);
	append_update(&t, 3, "<< /Type /Page /Parent 2 0 R /Contents 6 0 R /Annots [9 0 R] >>", 0);
	assert_int_equal(later_of_first(&t, &detail), PDF_LATER_OTHER);
	assert_string_equal(detail, "đối tượng 3: /Contents bị thay đổi");
	free(detail);
	/* an annotation that is not a signature added to the page */
	strbuf_reset(&t);
	strbuf_add(&t, signed1.buf, signed1.len);
	append_update(&t, 3, "<< /Type /Page /Parent 2 0 R /Contents 5 0 R /Annots [9 0 R 6 0 R] >>", 0);
	assert_int_equal(later_of_first(&t, &detail), PDF_LATER_OTHER);
	assert_string_equal(detail, "đối tượng 3: /Annots bị thay đổi");
	free(detail);
	/* an object freed */
	strbuf_reset(&t);
	strbuf_add(&t, signed1.buf, signed1.len);
	append_update(&t, 7, "<< /Producer (x) >>", 6);
	assert_int_equal(later_of_first(&t, &detail), PDF_LATER_OTHER);
	assert_string_equal(detail, "đối tượng 6 bị xóa");
	free(detail);
	/* harmless: the document information changed, an object written again
	 * the same, a new object nothing points at */
	strbuf_reset(&t);
	strbuf_add(&t, signed1.buf, signed1.len);
	append_update(&t, 7, "<< /Producer (other) /ModDate (D:20260101) >>", 0);
	append_update(&t, 2, "<< /Count 2 /Kids [3 0 R 4 0 R] /Type /Pages /MediaBox [0 0 595.0 842] >>", 0);
	append_update(&t, 40, "<< /Whatever true >>", 0);
	assert_int_equal(later_of_first(&t, &detail), PDF_LATER_SIGNATURES);
	assert_null(detail);

	/* a /ByteRange that leaves out more than the hex string */
	strbuf_reset(&t);
	strbuf_add(&t, signed1.buf, signed1.len);
	char *br = strstr(t.buf + pdf.len, "/ByteRange [0 ");
	br[14] = br[14] == '1' ? '2' : '1';
	struct pdfdoc d;
	struct strbuf err = STRBUF_INIT;
	struct pdf_sig *sigs;
	size_t n;
	assert_int_equal(pdfdoc_open(&d, (unsigned char *)t.buf, t.len, NULL, &err), 0);
	assert_int_equal(pdf_sig_list(&d, &sigs, &n, &err), 0);
	assert_false(sigs[0].range_ok);
	assert_string_equal(sigs[0].range_problem, "/ByteRange không chừa ra đúng chuỗi /Contents");
	pdf_sig_list_free(sigs, n);
	pdfdoc_release(&d);

	strbuf_release(&err);
	strbuf_release(&pdf);
	strbuf_release(&signed1);
	strbuf_release(&t);
}

static void test_forms(void **state)
{
	struct strbuf pdf = STRBUF_INIT, out = STRBUF_INIT, err = STRBUF_INIT;
	struct pdf_sig_request rq;
	struct pdf_sig_layout lay;
	struct pdfdoc d;
	struct pdf_obj o = PDF_OBJ_INIT;
	request(&rq);

	/* a form in the catalog itself, an indirect /Annots array, an
	 * indirect /Fields array that already holds a "Signature1" */
	const char *objs[] = {
		"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields 6 0 R /DA (/Helv 0 Tf) >> >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /Annots 4 0 R >>",
		"[5 0 R]",
		"<< /Type /Annot /Subtype /Widget /FT /Tx /T (Signature1) /Rect [0 0 1 1] >>",
		"[5 0 R]",
	};
	mkpdf(&pdf, objs, 6, NULL);
	sign_fake(&pdf, NULL, &rq, &out, &lay);
	assert_string_equal(lay.field, "Signature2");
	pdf_sig_layout_release(&lay);
	assert_int_equal(pdfdoc_open(&d, (unsigned char *)out.buf, out.len, NULL, &err), 0);
	assert_int_equal(pdfdoc_get(&d, 4, NULL, &o, NULL, &err), 0); /* the annotations */
	assert_int_equal(o.n, 2);
	assert_int_equal(o.items[1].i, 8);
	pdf_obj_release(&o);
	assert_int_equal(pdfdoc_get(&d, 6, NULL, &o, NULL, &err), 0); /* the fields */
	assert_int_equal(o.n, 2);
	pdf_obj_release(&o);
	assert_int_equal(pdfdoc_get(&d, 1, NULL, &o, NULL, &err), 0); /* the form moved out */
	const struct pdf_obj *af = pdf_dict_get(&o, "AcroForm");
	assert_int_equal(af->kind, PDF_REF);
	struct pdf_obj form = PDF_OBJ_INIT;
	assert_non_null(pdfdoc_resolve(&d, af, &form, &err));
	assert_int_equal(pdf_dict_get(&form, "SigFlags")->i, 3);
	assert_int_equal(pdf_dict_get(&form, "Fields")->i, 6);
	assert_string_equal(pdf_dict_get(&form, "DA")->s, "/Helv 0 Tf");
	pdf_obj_release(&form);
	pdf_obj_release(&o);
	/* the page itself was not written again */
	assert_null(strstr(out.buf + pdf.len, "3 0 obj"));
	pdfdoc_release(&d);

	/* refused: a certified file that allows no change; an encrypted one */
	const char *locked[] = {
		"<< /Type /Catalog /Pages 2 0 R /Perms << /DocMDP 4 0 R >> >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R >>",
		"<< /Type /Sig /Reference [<< /TransformMethod /DocMDP /TransformParams << /P 1 >> >>] >>",
	};
	mkpdf(&pdf, locked, 4, NULL);
	assert_int_equal(pdfdoc_open(&d, (unsigned char *)pdf.buf, pdf.len, NULL, &err), 0);
	strbuf_reset(&out);
	strbuf_reset(&err);
	assert_int_equal(pdf_sig_prepare(&d, &rq, &out, &lay, &err), -1);
	assert_non_null(strstr(err.buf, "DocMDP P=1"));
	pdfdoc_release(&d);
	mkpdf(&pdf, simple, 7, "/Encrypt << /Filter /Standard >>");
	assert_int_equal(pdfdoc_open(&d, (unsigned char *)pdf.buf, pdf.len, NULL, &err), 0);
	strbuf_reset(&err);
	assert_int_equal(pdf_sig_prepare(&d, &rq, &out, &lay, &err), -1);
	assert_non_null(strstr(err.buf, "mã hóa"));
	pdfdoc_release(&d);

	/* a CMS larger than the room kept for it */
	mkpdf(&pdf, simple, 7, NULL);
	assert_int_equal(pdfdoc_open(&d, (unsigned char *)pdf.buf, pdf.len, NULL, &err), 0);
	strbuf_reset(&out);
	assert_int_equal(pdf_sig_prepare(&d, &rq, &out, &lay, &err), 0);
	unsigned char big[300] = { 0 };
	strbuf_reset(&err);
	assert_int_equal(pdf_sig_fill((unsigned char *)out.buf, out.len, &lay, big, sizeof(big), &err), -1);
	assert_string_equal(err.buf, "chữ ký (300 byte) không vừa chỗ dành cho nó (256 byte)");
	pdf_sig_layout_release(&lay);
	pdfdoc_release(&d);

	strbuf_release(&pdf);
	strbuf_release(&out);
	strbuf_release(&err);
}

static void test_update_streams(void **state)
{
	/* the original's cross-reference is a stream: so is the update's, and
	 * objects in the object stream stay where they were */
	struct strbuf pdf = STRBUF_INIT, out = STRBUF_INIT, err = STRBUF_INIT;
	mkstreams(&pdf);
	struct pdf_sig_request rq;
	struct pdf_sig_layout lay;
	request(&rq);
	sign_fake(&pdf, test_inflate, &rq, &out, &lay);
	struct pdfdoc d;
	assert_int_equal(pdfdoc_open(&d, (unsigned char *)out.buf, out.len, test_inflate, &err), 0);
	assert_true(d.xref_stream);
	assert_int_equal(d.sections, 2);
	assert_int_equal(d.xref[2].type, 2);   /* the page tree root, still compressed */
	assert_int_equal(d.xref[3].type, 1);   /* the page, written again */
	assert_non_null(strstr(out.buf + pdf.len, "/Type /XRef /Size 11 /W [1 4 2] /Index [1 1 3 1 6 5]"));
	struct pdf_sig *sigs;
	size_t n;
	assert_int_equal(pdf_sig_list(&d, &sigs, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_true(sigs[0].range_ok && sigs[0].covers_whole_file);
	pdf_sig_list_free(sigs, n);
	pdfdoc_release(&d);

	/* poppler reads the update: the field is there (the fake CMS is not
	 * a signature, so it is not valid) */
	char path[] = "/tmp/motcua-pdfsig-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, out.buf, out.len), (ssize_t)out.len);
	close(fd);
	char *cmd = xasprintf("pdfsig '%s' 2>&1; pdfinfo '%s' 2>&1", path, path);
	FILE *p = popen(cmd, "r");
	char line[512];
	struct strbuf got = STRBUF_INIT;
	while (fgets(line, sizeof(line), p))
		strbuf_addstr(&got, line);
	pclose(p);
	unlink(path);
	free(cmd);
	assert_non_null(strstr(got.buf, "Signature Field Name: Signature1"));
	assert_non_null(strstr(got.buf, "Signed Ranges: [0 - "));
	const char *pages = strstr(got.buf, "Pages:");
	int npages = 0;
	assert_non_null(pages);
	assert_int_equal(sscanf(pages + 6, "%d", &npages), 1);
	assert_int_equal(npages, 1);
	assert_null(strstr(got.buf, "Syntax Error"));
	strbuf_release(&got);

	pdf_sig_layout_release(&lay);
	strbuf_release(&pdf);
	strbuf_release(&out);
	strbuf_release(&err);
}

TESTS_MAIN(test_values, test_text, test_classic, test_streams, test_update, test_later,
	     test_forms, test_update_streams)
