/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The closing report printed: see closing.h. */
#include "client/print/closing.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/base/files.h"
#include "client/print/forms.h"
#include "client/print/pdf.h"
#include "core/datetime.h"
#include "core/fee.h"
#include "core/text.h"

#define NCOLS 9

static const struct pdf_style st_title = { 13, true, false, PDF_CENTER, 0 };
static const struct pdf_style st_sub = { 10, false, true, PDF_CENTER, 0.9 };
static const struct pdf_style st_body = { 10, false, false, PDF_LEFT, 0.95 };

/* A4 portrait, margins 15 left and 10 right: 185 mm. */
static const double widths[NCOLS] = { 9, 38, 36, 17, 17, 22, 15, 15, 16 };
static const enum pdf_align aligns[NCOLS] = {
	PDF_CENTER, PDF_LEFT, PDF_LEFT, PDF_RIGHT, PDF_RIGHT, PDF_RIGHT, PDF_RIGHT, PDF_RIGHT,
	PDF_RIGHT
};
static const char *const heads[NCOLS] = {
	"TT", "Đơn vị", "Cán bộ tiếp nhận", "Hồ sơ tiếp nhận", "Đã thu phí (hồ sơ)",
	"Số tiền đã thu (đồng)", "Miễn phí (hồ sơ)", "Nộp sau (hồ sơ)", "Chưa ghi phí (hồ sơ)"
};

/* "1.234.567" */
static void dots(long long v, char *buf, size_t n)
{
	char vnd[48];
	mc_fee_format_vnd(v, vnd, sizeof vnd);
	char *sp = strchr(vnd, ' ');
	if (sp)
		*sp = '\0';
	snprintf(buf, n, "%s", vnd);
}

static char *markup(const char *s)
{
	struct strbuf m = STRBUF_INIT;
	pdf_markup_add(&m, s ? s : "");
	return strbuf_detach(&m);
}

static char *who(const char *name, const char *code)
{
	if (name && *name)
		return xasprintf("%s (%s)", name, code ? code : "");
	return xstrdup(code ? code : "");
}

static void pdf_row(struct pdf_doc *d, const struct pdf_table *t, const char *no,
		    const struct closing_row *r, bool total)
{
	char *texts[NCOLS];
	char n[7][48];
	char *unit = total ? xstrdup("<b>Tổng cộng</b>") : NULL;
	if (!unit) {
		char *u = who(r->unit_name, r->unit_code);
		unit = markup(u);
		free(u);
	}
	char *clerk = NULL;
	if (!total) {
		char *c = who(r->clerk_name, r->clerk);
		clerk = markup(c);
		free(c);
	}
	snprintf(n[0], sizeof n[0], "%ld", r->received);
	snprintf(n[1], sizeof n[1], "%ld", r->collected);
	dots(r->collected_amount, n[2], sizeof n[2]);
	snprintf(n[3], sizeof n[3], "%ld", r->exempt);
	snprintf(n[4], sizeof n[4], "%ld", r->later);
	snprintf(n[5], sizeof n[5], "%ld", r->unrecorded);
	texts[0] = xstrdup(no);
	texts[1] = unit;
	texts[2] = clerk ? clerk : xstrdup("");
	for (int k = 0; k < 6; k++)
		texts[3 + k] = total ? xasprintf("<b>%s</b>", n[k]) : xstrdup(n[k]);
	const char *cells[NCOLS];
	for (int k = 0; k < NCOLS; k++)
		cells[k] = texts[k];
	pdf_table_row(d, t, cells);
	for (int k = 0; k < NCOLS; k++)
		free(texts[k]);
}

int closing_write_pdf(const struct closing *c, const struct form_unit *u, const char *path,
		      struct strbuf *err)
{
	struct pdf_doc d;
	if (pdf_open(&d, path, PDF_A4_W, PDF_A4_H, err))
		return -1;
	pdf_set_margins(&d, 12, 10, 12, 15);
	char created[17];
	snprintf(created, sizeof created, "%sT00:00", c->day);
	pdf_set_metadata(&d, "Báo cáo cuối ngày", created);
	struct mc_dt day = { 0 };
	struct mc_date dd;
	mc_parse_date(c->day, &dd);
	day.y = dd.y;
	day.m = dd.m;
	day.d = dd.d;
	form_draw_header(&d, u, &day, 0.42);

	pdf_para(&d, pdf_x0(&d), pdf_text_width(&d), "BÁO CÁO CUỐI NGÀY", &st_title);
	char vn[16];
	mc_format_date_vn(vn, sizeof vn, dd.y, dd.m, dd.d);
	struct strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "Hồ sơ tiếp nhận và phí, lệ phí ngày %s", vn);
	d.y += 0.5;
	pdf_para(&d, pdf_x0(&d), pdf_text_width(&d), sb.buf, &st_sub);
	strbuf_reset(&sb);
	d.y += 3;

	const char *hm[NCOLS];
	for (int k = 0; k < NCOLS; k++)
		hm[k] = heads[k];
	struct pdf_table t = {
		.ncols = NCOLS, .x = pdf_x0(&d), .widths = widths, .header = hm, .align = aligns,
		.style = { 8.5, false, false, PDF_LEFT, 0.9 },
		.header_style = { 8, true, false, PDF_CENTER, 0.85 }, .pad = 0.8,
	};
	pdf_table_header(&d, &t);
	for (size_t i = 0; i < c->n; i++) {
		char no[24];
		snprintf(no, sizeof no, "%zu", i + 1);
		pdf_row(&d, &t, no, &c->rows[i], false);
	}
	pdf_row(&d, &t, "", &c->total, true);
	d.y += 3;

	char collected[48], later[48];
	dots(c->total.collected_amount, collected, sizeof collected);
	dots(c->total.later_amount, later, sizeof later);
	strbuf_addf(&sb, "Tổng số hồ sơ tiếp nhận: <b>%ld</b>. Phí, lệ phí đã thu: <b>%s đồng</b>"
		    " (%ld hồ sơ); miễn: %ld hồ sơ; nộp sau: %ld hồ sơ, %s đồng; chưa ghi: %ld hồ sơ.",
		    c->total.received, collected, c->total.collected, c->total.exempt, c->total.later,
		    later, c->total.unrecorded);
	pdf_para(&d, pdf_x0(&d), pdf_text_width(&d), sb.buf, &st_body);
	strbuf_release(&sb);
	d.y += 4;

	double w = pdf_text_width(&d) / 2;
	double h = pdf_signature(&d, pdf_x0(&d), w, d.y, "NGƯỜI NHẬN BÀN GIAO",
				 "(Ký, ghi rõ họ tên)", NULL, 22, false);
	if (pdf_need(&d, h))
		pdf_new_page(&d);
	const char *name = c->n == 1 ? (c->rows[0].clerk_name ? c->rows[0].clerk_name
								: c->rows[0].clerk) : NULL;
	pdf_signature(&d, pdf_x0(&d), w, d.y, "NGƯỜI NHẬN BÀN GIAO", "(Ký, ghi rõ họ tên)", NULL, 22,
		      true);
	pdf_signature(&d, pdf_x0(&d) + w, w, d.y, "NGƯỜI LẬP BÁO CÁO", "(Ký, ghi rõ họ tên)", name,
		      22, true);
	d.y += h;
	return pdf_close(&d, err);
}

/* ---- CSV -------------------------------------------------------------------------- */

static void csv_row(struct strbuf *sb, const char *day, const struct closing_row *r, bool total)
{
	char n[8][32];
	snprintf(n[0], sizeof n[0], "%ld", r->received);
	snprintf(n[1], sizeof n[1], "%ld", r->collected);
	snprintf(n[2], sizeof n[2], "%lld", r->collected_amount);
	snprintf(n[3], sizeof n[3], "%ld", r->exempt);
	snprintf(n[4], sizeof n[4], "%ld", r->later);
	snprintf(n[5], sizeof n[5], "%lld", r->later_amount);
	snprintf(n[6], sizeof n[6], "%ld", r->unrecorded);
	char *uname = r->unit_name ? mc_text_nfc(r->unit_name) : NULL;
	char *cname = r->clerk_name ? mc_text_nfc(r->clerk_name) : NULL;
	mc_csv_field(sb, day, false);
	mc_csv_field(sb, total ? "Tổng cộng" : r->unit_code, false);
	mc_csv_field(sb, uname, false);
	mc_csv_field(sb, r->clerk, false);
	mc_csv_field(sb, cname, false);
	for (int k = 0; k < 7; k++)
		mc_csv_field(sb, n[k], k == 6);
	free(uname);
	free(cname);
}

int closing_write_csv(const struct closing *c, const char *path, struct strbuf *err)
{
	static const char *const csv_heads[] = {
		"Ngày", "Mã đơn vị", "Tên đơn vị", "Cán bộ", "Họ tên cán bộ", "Số hồ sơ tiếp nhận",
		"Số hồ sơ đã thu phí", "Số tiền đã thu (đồng)", "Số hồ sơ miễn phí",
		"Số hồ sơ nộp sau", "Số tiền nộp sau (đồng)", "Số hồ sơ chưa ghi phí"
	};
	size_t nh = sizeof csv_heads / sizeof csv_heads[0];
	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, "\xef\xbb\xbf"); /* BOM: Excel reads the file as UTF-8 */
	for (size_t k = 0; k < nh; k++)
		mc_csv_field(&sb, csv_heads[k], k == nh - 1);
	for (size_t i = 0; i < c->n; i++)
		csv_row(&sb, c->day, &c->rows[i], false);
	csv_row(&sb, c->day, &c->total, true);
	int rc = files_write_atomic(path, sb.buf, sb.len, 0644, err);
	strbuf_release(&sb);
	return rc;
}
