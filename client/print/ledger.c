/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The ledger (form 06) printed: see ledger.h and docs/forms.md. The rows
 * come loaded (client/store/ledger_query.h); the PDF draws its two-level
 * table header itself and repeats it on every page from the page-header
 * hook. */
#include "client/print/ledger.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/base/files.h"
#include "core/datetime.h"
#include "core/text.h"
#include "core/xalloc.h"
/* last: they rename the library functions above (client/base/lazylib.h) */
#include "client/base/lazy_cairo.h"

#define NCOLS 14
#define DATE_COL 7   /* first of the five date columns */
#define NDATES 5
#define PAD 0.6      /* cell padding, mm */
#define SZ_CELL 7
#define SZ_HEADCELL 6.5

static const struct pdf_style st_title = { 12, true, false, PDF_CENTER, 0 };
static const struct pdf_style st_sub = { 9, false, true, PDF_CENTER, 0.9 };
static const struct pdf_style st_hcell = { SZ_HEADCELL, true, false, PDF_CENTER, 0.85 };
static const struct pdf_style st_num = { SZ_HEADCELL, false, true, PDF_CENTER, 0.85 };
static const struct pdf_style st_cont = { 7, false, true, PDF_LEFT, 0.9 };
static const struct pdf_style st_page = { 7, false, false, PDF_RIGHT, 0.9 };
static const struct pdf_style st_sum = { 9, false, false, PDF_LEFT, 0.9 };

/* Column widths, mm (A4 landscape, margins 12 left and 8 right: 277 mm). */
static const double widths[NCOLS] = { 9, 30, 29, 11, 25, 29, 22, 15, 15, 15, 15, 15, 22, 25 };
static const enum pdf_align aligns[NCOLS] = {
	PDF_CENTER, PDF_LEFT, PDF_LEFT, PDF_CENTER, PDF_LEFT, PDF_LEFT, PDF_LEFT,
	PDF_CENTER, PDF_CENTER, PDF_CENTER, PDF_CENTER, PDF_CENTER, PDF_LEFT, PDF_LEFT
};
/* The header as printed (columns 7-11 under "Ngày, tháng, năm"), and as one
 * line of the CSV. */
static const char *const heads[NCOLS] = {
	"TT", "Mã hồ sơ", "Tên TTHC", "Số lượng hồ sơ (bộ)", "Tên cá nhân, tổ chức",
	"Địa chỉ, số điện thoại", "Cơ quan chủ trì giải quyết", "Nhận hồ sơ", "Hẹn trả kết quả",
	"Chuyển hồ sơ đến cơ quan giải quyết", "Có kết quả giải quyết", "Trả kết quả",
	"Người nhận kết quả (ký, ghi rõ họ tên)", "Ghi chú"
};
static const char *const csv_heads[NCOLS] = {
	"STT", "Mã hồ sơ", "Tên TTHC", "Số lượng hồ sơ (bộ)", "Tên cá nhân, tổ chức",
	"Địa chỉ, số điện thoại", "Cơ quan chủ trì giải quyết", "Ngày nhận hồ sơ",
	"Ngày hẹn trả kết quả", "Ngày chuyển hồ sơ đến cơ quan giải quyết",
	"Ngày có kết quả giải quyết", "Ngày trả kết quả", "Người nhận kết quả", "Ghi chú"
};
#define DATES_GROUP "Ngày, tháng, năm"

static bool empty(const char *s)
{
	return !s || !*s;
}

/* ---- cells ------------------------------------------------------------------- */

/* The text of column i of row r ("" for none); dates as "27/10/2025\n09:35"
 * in the PDF, "2025-10-27 09:35" in the CSV. Returns malloc'd plain text. */
static char *cell_text(const struct ledger_row *r, int i, bool csv)
{
	const char *at = NULL;
	switch (i) {
	case 0: return xasprintf("%d", r->no);
	case 1: return xstrdup(r->code ? r->code : "");
	case 2: return xstrdup(r->procedure ? r->procedure : "");
	case 3: return xasprintf(csv ? "%d" : "%02d", r->n_sets);
	case 4: return xstrdup(r->applicant ? r->applicant : "");
	case 5: return xstrdup(r->address_phone ? r->address_phone : "");
	case 6: return xstrdup(r->handling ? r->handling : "");
	case 7: at = r->received_at; break;
	case 8: at = r->appointment; break;
	case 9: at = r->transferred_at; break;
	case 10: at = r->result_at; break;
	case 11: at = r->returned_at; break;
	case 12: return xstrdup(r->recipient ? r->recipient : "");
	default: return xstrdup(r->note ? r->note : "");
	}
	struct mc_dt t;
	if (empty(at) || mc_parse_dt(at, &t))
		return xstrdup(at ? at : "");
	if (csv)
		return xasprintf("%04d-%02d-%02d %02d:%02d", t.y, t.m, t.d, t.hh, t.mi);
	return xasprintf("%02d/%02d/%04d\n%02d:%02d", t.d, t.m, t.y, t.hh, t.mi);
}

/* ---- PDF ------------------------------------------------------------------------ */

struct pdf_ctx {
	const struct ledger *lg;
	double x[NCOLS + 1]; /* column edges */
};

static double cell_height(struct pdf_doc *d, const char *markup, double w,
			  const struct pdf_style *st)
{
	double h;
	pdf_measure(d, markup, st, w - 2 * PAD, NULL, &h);
	return h + 2 * PAD;
}

/* A bordered cell with its text centred vertically. */
static void cell(struct pdf_doc *d, double x, double y, double w, double h, const char *markup,
		 const struct pdf_style *st)
{
	double th;
	cairo_save(d->cr);
	cairo_set_line_width(d->cr, 0.5 * 25.4 / 72.0);
	cairo_rectangle(d->cr, x, y, w, h);
	cairo_stroke(d->cr);
	cairo_restore(d->cr);
	pdf_measure(d, markup, st, w - 2 * PAD, NULL, &th);
	pdf_draw(d, x + PAD, y + (h - th) / 2, w - 2 * PAD, markup, st);
}

/* The table's header: two rows (the dates under "Ngày, tháng, năm") and a
 * row of column numbers. */
static void draw_table_head(struct pdf_doc *d, const struct pdf_ctx *c)
{
	double group_w = c->x[DATE_COL + NDATES] - c->x[DATE_COL];
	double h1 = cell_height(d, DATES_GROUP, group_w, &st_hcell), h2 = 0;
	for (int i = DATE_COL; i < DATE_COL + NDATES; i++) {
		double h = cell_height(d, heads[i], widths[i], &st_hcell);
		if (h > h2)
			h2 = h;
	}
	for (int i = 0; i < NCOLS; i++) {
		if (i >= DATE_COL && i < DATE_COL + NDATES)
			continue;
		double h = cell_height(d, heads[i], widths[i], &st_hcell);
		if (h > h1 + h2)
			h2 = h - h1;
	}
	double y = d->y;
	for (int i = 0; i < NCOLS; i++) {
		if (i >= DATE_COL && i < DATE_COL + NDATES)
			cell(d, c->x[i], y + h1, widths[i], h2, heads[i], &st_hcell);
		else
			cell(d, c->x[i], y, widths[i], h1 + h2, heads[i], &st_hcell);
	}
	cell(d, c->x[DATE_COL], y, group_w, h1, DATES_GROUP, &st_hcell);
	y += h1 + h2;
	double hn = cell_height(d, "(1)", widths[0], &st_num);
	for (int i = 0; i < NCOLS; i++) {
		char num[16];
		snprintf(num, sizeof num, "(%d)", i + 1);
		cell(d, c->x[i], y, widths[i], hn, num, &st_num);
	}
	d->y = y + hn;
}

static void draw_page_number(struct pdf_doc *d)
{
	char buf[32];
	snprintf(buf, sizeof buf, "Trang %d", d->page);
	pdf_draw(d, pdf_x0(d), d->h - d->bottom + 2.5, pdf_text_width(d), buf, &st_page);
}

static void book_label(struct strbuf *sb, const struct ledger *lg)
{
	char f[11], t[11];
	struct mc_date a, b;
	mc_parse_date(lg->from, &a);
	mc_parse_date(lg->to, &b);
	mc_format_date_vn(f, sizeof f, a.y, a.m, a.d);
	mc_format_date_vn(t, sizeof t, b.y, b.m, b.d);
	strbuf_addf(sb, "Quyển số: 01/%04d — từ ngày %s đến ngày %s", lg->year, f, t);
}

static void continuation(struct pdf_doc *d, void *arg)
{
	const struct pdf_ctx *c = arg;
	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, "Sổ theo dõi hồ sơ — ");
	pdf_markup_add(&sb, c->lg->unit.name);
	strbuf_addstr(&sb, " — ");
	book_label(&sb, c->lg);
	strbuf_addf(&sb, " (tiếp theo, trang %d)", d->page);
	d->y += pdf_draw(d, pdf_x0(d), d->y, pdf_text_width(d), sb.buf, &st_cont) + 1.5;
	strbuf_release(&sb);
	draw_page_number(d);
	draw_table_head(d, c);
}

int ledger_write_pdf(const struct ledger *lg, const char *path, struct strbuf *err)
{
	struct pdf_doc d;
	if (pdf_open(&d, path, PDF_A4_H, PDF_A4_W, err))
		return -1;
	pdf_set_margins(&d, 10, 8, 10, 12);
	char created[17];
	snprintf(created, sizeof created, "%sT00:00", lg->to);
	pdf_set_metadata(&d, "Sổ theo dõi hồ sơ", created);

	struct pdf_ctx c = { .lg = lg };
	c.x[0] = pdf_x0(&d);
	for (int i = 0; i < NCOLS; i++)
		c.x[i + 1] = c.x[i] + widths[i];
	d.page_header = continuation;
	d.page_header_arg = &c;

	form_draw_header(&d, &lg->unit, NULL, 0.38);
	pdf_para(&d, pdf_x0(&d), pdf_text_width(&d), "SỔ THEO DÕI HỒ SƠ", &st_title);
	struct strbuf sb = STRBUF_INIT;
	book_label(&sb, lg);
	d.y += 0.5;
	pdf_para(&d, pdf_x0(&d), pdf_text_width(&d), sb.buf, &st_sub);
	strbuf_reset(&sb);
	d.y += 2.5;
	draw_page_number(&d);
	draw_table_head(&d, &c);

	struct pdf_table t = {
		.ncols = NCOLS, .x = c.x[0], .widths = widths, .header = NULL, .align = aligns,
		.style = { SZ_CELL, false, false, PDF_LEFT, 0.9 },
		.header_style = st_hcell, .pad = PAD,
	};
	for (size_t i = 0; i < lg->n; i++) {
		char *texts[NCOLS];
		const char *cells[NCOLS];
		for (int k = 0; k < NCOLS; k++) {
			struct strbuf m = STRBUF_INIT;
			char *s = cell_text(&lg->rows[i], k, false);
			pdf_markup_add(&m, s);
			free(s);
			texts[k] = strbuf_detach(&m);
			cells[k] = texts[k];
		}
		pdf_table_row(&d, &t, cells);
		for (int k = 0; k < NCOLS; k++)
			free(texts[k]);
	}
	if (lg->n == 0) {
		double w = c.x[NCOLS] - c.x[0];
		struct pdf_table one = {
			.ncols = 1, .x = c.x[0], .widths = &w,
			.style = { SZ_CELL + 1, false, true, PDF_CENTER, 0.9 }, .pad = 2,
		};
		const char *cells[1] = { "Không có hồ sơ nào được tiếp nhận trong thời gian này." };
		pdf_table_row(&d, &one, cells);
	}
	d.y += 2;
	if (lg->n)
		strbuf_addf(&sb, "Tổng số: %zu hồ sơ (số thứ tự từ %d đến %d).", lg->n,
			    lg->rows[0].no, lg->rows[lg->n - 1].no);
	else
		strbuf_addstr(&sb, "Tổng số: 0 hồ sơ.");
	if (lg->refused || lg->guided)
		strbuf_addf(&sb, " Không tiếp nhận tại quầy (không vào sổ): %ld lượt từ chối"
			    " (mẫu 03), %ld lượt hướng dẫn bổ sung (mẫu 02).", lg->refused, lg->guided);
	pdf_para(&d, pdf_x0(&d), pdf_text_width(&d), sb.buf, &st_sum);
	strbuf_release(&sb);
	return pdf_close(&d, err);
}

/* ---- CSV -------------------------------------------------------------------------- */

int ledger_write_csv(const struct ledger *lg, const char *path, struct strbuf *err)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, "\xef\xbb\xbf"); /* BOM: Excel reads the file as UTF-8 */
	for (int k = 0; k < NCOLS; k++)
		mc_csv_field(&sb, csv_heads[k], k == NCOLS - 1);
	for (size_t i = 0; i < lg->n; i++) {
		for (int k = 0; k < NCOLS; k++) {
			char *s = cell_text(&lg->rows[i], k, true);
			char *nfc = mc_text_nfc(s);
			mc_csv_field(&sb, nfc, k == NCOLS - 1);
			free(nfc);
			free(s);
		}
	}
	int rc = files_write_atomic(path, sb.buf, sb.len, 0644, err);
	strbuf_release(&sb);
	return rc;
}
