/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Form 01, the reception receipt, as an A5 PDF. See receipt.h and
 * docs/forms.md for the layout. Everything is drawn top to bottom with the
 * flowing helpers of pdf.h, so long names wrap and many components continue
 * on a second page (with a continuation header) instead of overflowing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/print/pdf.h"
#include "client/print/receipt.h"
#include "core/barcode.h"
#include "core/datetime.h"

#define TITLE "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"
#define BLANK PDF_BLANK

/* Type sizes, points. */
#define SZ_TITLE 11
#define SZ_BODY 9
#define SZ_TABLE 8
#define SZ_SMALL 7

#define BAR_MODULE 0.36 /* mm, widest Code 128 module */
#define BAR_HEIGHT 8.0
#define QR_SIZE 19.0
#define SIGN_ROOM 12.0 /* mm left blank to sign */

static const struct pdf_style st_title = { SZ_TITLE, true, false, PDF_CENTER, 0 };
static const struct pdf_style st_center = { SZ_BODY, false, false, PDF_CENTER, 0.9 };
static const struct pdf_style st_note = { SZ_SMALL + 0.5, false, true, PDF_CENTER, 0.9 };
static const struct pdf_style st_body = { SZ_BODY, false, false, PDF_LEFT, 0.9 };
static const struct pdf_style st_small = { SZ_SMALL, false, false, PDF_CENTER, 0.9 };
static const struct pdf_style st_url = { SZ_SMALL - 0.5, false, false, PDF_CENTER, 0.9 };
static const struct pdf_style st_cont = { SZ_SMALL, false, true, PDF_LEFT, 0.9 };

static bool empty(const char *s)
{
	return !s || !*s;
}

/* Draws the paragraph built in sb and empties sb. */
static void para(struct pdf_doc *d, struct strbuf *sb)
{
	pdf_para(d, pdf_x0(d), pdf_text_width(d), sb->buf ? sb->buf : "", &st_body);
	strbuf_reset(sb);
}

static void continuation_header(struct pdf_doc *d, void *arg)
{
	const struct receipt *r = arg;
	struct strbuf sb = STRBUF_INIT;

	strbuf_addstr(&sb, "Giấy tiếp nhận hồ sơ và hẹn trả kết quả — mã hồ sơ ");
	pdf_markup_add(&sb, r->code);
	strbuf_addf(&sb, " (tiếp theo, trang %d)", d->page);
	d->y += pdf_draw(d, pdf_x0(d), d->y, pdf_text_width(d), sb.buf, &st_cont);
	pdf_hrule(d, pdf_x0(d), d->y + 0.5, pdf_text_width(d), 0.4);
	d->y += 3;
	strbuf_release(&sb);
}

/* Title, the Code 128 of the code and the code under it, the copy label. */
static void draw_title(struct pdf_doc *d, const struct receipt *r, const char *modules)
{
	struct strbuf sb = STRBUF_INIT;
	double x0 = pdf_x0(d), tw = pdf_text_width(d);

	pdf_para(d, x0, tw, TITLE, &st_title);
	d->y += 1.2;

	/* modules as wide as fits with the quiet zones, at most BAR_MODULE mm */
	double nmod = (double)strlen(modules);
	double m = (tw - 2 * CODE128_QUIET * BAR_MODULE) / nmod;
	if (m > BAR_MODULE)
		m = BAR_MODULE;
	pdf_barcode(d, x0 + (tw - nmod * m) / 2, d->y, m, BAR_HEIGHT, modules);
	d->y += BAR_HEIGHT + 0.5;

	strbuf_addstr(&sb, "Mã hồ sơ: <b>");
	pdf_markup_add(&sb, r->code);
	strbuf_addstr(&sb, "</b>");
	pdf_para(d, x0, tw, sb.buf, &st_center);
	if (!empty(r->copy_label)) {
		strbuf_reset(&sb);
		strbuf_addch(&sb, '(');
		pdf_markup_add(&sb, r->copy_label);
		strbuf_addch(&sb, ')');
		pdf_para(d, x0, tw, sb.buf, &st_note);
	}
	d->y += 2;
	strbuf_release(&sb);
}

/* "... tiếp nhận hồ sơ của:" and the applicant, the request, the fees. */
static void draw_applicant(struct pdf_doc *d, const struct receipt *r)
{
	struct strbuf sb = STRBUF_INIT;

	pdf_markup_add(&sb, r->unit_name);
	strbuf_addstr(&sb, " tiếp nhận hồ sơ của:");
	para(d, &sb);

	bool org = !empty(r->tax_code);
	strbuf_addstr(&sb, org ? "Tổ chức: <b>" : "Ông/Bà: <b>");
	pdf_markup_add_or_blank(&sb, r->applicant_name);
	strbuf_addstr(&sb, "</b>");
	para(d, &sb);
	if (org) {
		strbuf_addstr(&sb, "Mã số thuế: ");
		pdf_markup_add_nobreak(&sb, r->tax_code);
		para(d, &sb);
		strbuf_addstr(&sb, "Người đại diện: <b>");
		pdf_markup_add_or_blank(&sb, r->representative_name);
		strbuf_addstr(&sb, "</b>");
		if (!empty(r->representative_role)) {
			strbuf_addstr(&sb, " (");
			pdf_markup_add(&sb, r->representative_role);
			strbuf_addstr(&sb, ")");
		}
		para(d, &sb);
	}

	/* ID number and phone side by side */
	struct strbuf e = STRBUF_INIT;
	strbuf_addstr(&sb, "Số định danh cá nhân/CCCD: ");
	pdf_markup_add_or_blank(&sb, org ? r->representative_id : r->id_number);
	strbuf_addstr(&e, "Số điện thoại: ");
	if (empty(r->phone))
		pdf_markup_add_or_blank(&e, r->phone);
	else
		pdf_markup_add_nobreak(&e, r->phone);
	double tw = pdf_text_width(d), x[2] = { pdf_x0(d), pdf_x0(d) + tw * 0.56 };
	double w[2] = { tw * 0.56, tw * 0.44 };
	const char *m[2] = { sb.buf, e.buf };
	const struct pdf_style *s[2] = { &st_body, &st_body };
	pdf_columns(d, 2, x, w, m, s);
	strbuf_reset(&sb);
	strbuf_release(&e);

	if (!empty(r->second_name)) {
		strbuf_addstr(&sb, "Bên thứ hai: <b>");
		pdf_markup_add(&sb, r->second_name);
		strbuf_addstr(&sb, "</b>, CCCD: ");
		pdf_markup_add_or_blank(&sb, r->second_id);
		para(d, &sb);
	}

	strbuf_addstr(&sb, "Email: ");
	pdf_markup_add_or_blank(&sb, r->email);
	para(d, &sb);

	strbuf_addstr(&sb, "Địa chỉ: ");
	pdf_markup_add_or_blank(&sb, r->address);
	para(d, &sb);

	strbuf_addstr(&sb, "Nội dung yêu cầu giải quyết: <b>");
	pdf_markup_add_or_blank(&sb, r->procedure_name);
	strbuf_addstr(&sb, "</b>");
	if (!empty(r->procedure_code)) {
		strbuf_addstr(&sb, " (mã thủ tục ");
		pdf_markup_add(&sb, r->procedure_code);
		strbuf_addch(&sb, ')');
	}
	para(d, &sb);

	strbuf_addstr(&sb, "Phí, lệ phí: ");
	pdf_markup_add_or_blank(&sb, r->fee_text);
	para(d, &sb);
	strbuf_release(&sb);
}

/* A count as presented; "0/1" (presented/required) when short. */
static char *count_cell(int presented, int required)
{
	if (presented < required)
		return xasprintf("<b>%d/%d</b>", presented, required);
	return xasprintf("%d", presented);
}

static void draw_components(struct pdf_doc *d, const struct receipt *r)
{
	static const char *const head[] = { "TT", "Tên giấy tờ", "Bản chính", "Bản sao" };
	static const enum pdf_align align[] = { PDF_CENTER, PDF_LEFT, PDF_CENTER, PDF_CENTER };
	double tw = pdf_text_width(d);
	double widths[4] = { 7, 0, 16, 16 };
	widths[1] = tw - widths[0] - widths[2] - widths[3];
	struct pdf_table t = {
		.ncols = 4, .x = pdf_x0(d), .widths = widths, .header = head, .align = align,
		.style = { SZ_TABLE, false, false, PDF_LEFT, 0.9 },
		.header_style = { SZ_TABLE, true, false, PDF_CENTER, 0.9 },
		.pad = 0.6,
	};
	struct strbuf sb = STRBUF_INIT;

	strbuf_addstr(&sb, "1. Thành phần hồ sơ nộp gồm:");
	pdf_need(d, 16); /* keep the heading with the table head and a row */
	para(d, &sb);
	d->y += 0.6;
	pdf_table_header(d, &t);
	for (size_t i = 0; i < r->n_components; i++) {
		const struct receipt_component *c = &r->components[i];
		char *num = xasprintf("%zu", i + 1);
		char *orig = count_cell(c->presented_originals, c->originals);
		char *copy = count_cell(c->presented_copies, c->copies);
		struct strbuf name = STRBUF_INIT;
		pdf_markup_add_or_blank(&name, c->name);
		if (!empty(c->note)) {
			strbuf_addstr(&name, " <i>(");
			pdf_markup_add(&name, c->note);
			strbuf_addstr(&name, ")</i>");
		}
		const char *cells[4] = { num, name.buf, orig, copy };
		pdf_table_row(d, &t, cells);
		free(num);
		free(orig);
		free(copy);
		strbuf_release(&name);
	}
	if (r->n_components == 0) {
		const char *cells[4] = { "", BLANK, "", "" };
		pdf_table_row(d, &t, cells);
	}
	d->y += 1.2;
	strbuf_release(&sb);
}

static void draw_terms(struct pdf_doc *d, const struct receipt *r, const struct mc_dt *recv,
		       const struct mc_dt *due)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb, "2. Số lượng hồ sơ: %02d (bộ)", r->n_sets > 0 ? r->n_sets : 1);
	para(d, &sb);

	strbuf_addstr(&sb, "3. Thời gian giải quyết hồ sơ theo quy định: ");
	pdf_markup_add_or_blank(&sb, r->processing_time_text);
	para(d, &sb);

	strbuf_addstr(&sb, "4. Thời gian nhận hồ sơ: ");
	pdf_markup_add_when(&sb, recv);
	para(d, &sb);

	strbuf_addstr(&sb, "5. Thời gian trả kết quả giải quyết hồ sơ: <b>");
	pdf_markup_add_when(&sb, due);
	strbuf_addstr(&sb, "</b>");
	para(d, &sb);

	strbuf_addstr(&sb, "6. Đăng ký nhận kết quả tại: ");
	pdf_markup_add_or_blank(&sb, r->return_place);
	if (!empty(r->unit_address) || !empty(r->unit_phone)) {
		strbuf_addstr(&sb, " (");
		if (!empty(r->unit_address)) {
			strbuf_addstr(&sb, "địa chỉ: ");
			pdf_markup_add(&sb, r->unit_address);
		}
		if (!empty(r->unit_phone)) {
			strbuf_addstr(&sb, empty(r->unit_address) ? "điện thoại: " : "; điện thoại: ");
			pdf_markup_add_nobreak(&sb, r->unit_phone);
		}
		strbuf_addch(&sb, ')');
	}
	para(d, &sb);

	strbuf_addstr(&sb, "Vào Sổ theo dõi hồ sơ, Quyển số: ");
	pdf_markup_add_or_blank(&sb, r->ledger_book);
	strbuf_addstr(&sb, ", Số thứ tự: ");
	pdf_markup_add_or_blank(&sb, r->ledger_number);
	para(d, &sb);
	strbuf_release(&sb);
}

/* One signature column: title, hint, room to sign, the printed name. */
static double signature(struct pdf_doc *d, double x, double w, double y, const char *title,
			const char *name, bool draw)
{
	return pdf_signature(d, x, w, y, title, "(Ký và ghi rõ họ tên)", name, SIGN_ROOM, draw);
}

/* The signatures, with the QR code of the lookup page between them and the
 * code under it; kept together on one page. */
static void draw_signatures(struct pdf_doc *d, const struct receipt *r, const char *qr_text)
{
	double tw = pdf_text_width(d), x0 = pdf_x0(d);
	double mw = QR_SIZE + 19;                     /* middle column: QR and code */
	double sw = (tw - mw) / 2;                    /* each signature column */
	double mx = x0 + sw, qx = mx + (mw - QR_SIZE) / 2;
	struct strbuf sb = STRBUF_INIT;

	pdf_markup_add(&sb, r->code);
	double ch;
	pdf_measure(d, sb.buf, &st_small, mw, NULL, &ch);
	const char *signer = !empty(r->tax_code) && !empty(r->representative_name)
				     ? r->representative_name
				     : r->applicant_name;
	double hl = signature(d, x0, sw, 0, "NGƯỜI NỘP HỒ SƠ", signer, false);
	double hr = signature(d, x0 + tw - sw, sw, 0, "NGƯỜI TIẾP NHẬN HỒ SƠ", r->clerk_name, false);
	double hq = 2 + QR_SIZE + 0.5 + ch;
	double h = hl > hr ? hl : hr;
	if (hq > h)
		h = hq;

	d->y += 2;
	pdf_need(d, h);
	double y = d->y;
	signature(d, x0, sw, y, "NGƯỜI NỘP HỒ SƠ", signer, true);
	signature(d, x0 + tw - sw, sw, y, "NGƯỜI TIẾP NHẬN HỒ SƠ", r->clerk_name, true);
	pdf_qr(d, qx, y + 2, QR_SIZE, qr_text);
	pdf_draw(d, mx, y + 2 + QR_SIZE + 0.5, mw, sb.buf, &st_small);
	d->y = y + h;
	strbuf_release(&sb);
}

/* "Tra cứu hồ sơ: URL" at the foot of the form. */
static void draw_lookup(struct pdf_doc *d, const struct receipt *r)
{
	struct strbuf sb = STRBUF_INIT;

	if (empty(r->lookup_url))
		return;
	strbuf_addstr(&sb, "Tra cứu hồ sơ: ");
	pdf_markup_add(&sb, r->lookup_url);
	d->y += 1.5;
	pdf_para(d, pdf_x0(d), pdf_text_width(d), sb.buf, &st_url);
	strbuf_release(&sb);
}

static int check(const struct receipt *r, struct mc_dt *recv, struct mc_dt *due, char **modules,
		 struct strbuf *err)
{
	if (empty(r->code)) {
		strbuf_addstr(err, "giấy tiếp nhận thiếu mã hồ sơ");
		return -1;
	}
	*modules = code128b_encode(r->code);
	if (!*modules) {
		strbuf_addf(err, "mã hồ sơ \"%s\" có ký tự không in được thành mã vạch", r->code);
		return -1;
	}
	if (empty(r->unit_name) || empty(r->applicant_name) || empty(r->procedure_name)) {
		strbuf_addstr(err, "giấy tiếp nhận thiếu tên đơn vị, người nộp hoặc thủ tục");
		goto fail;
	}
	if (empty(r->received_at) || mc_parse_dt(r->received_at, recv)) {
		strbuf_addf(err, "thời gian nhận hồ sơ không hợp lệ: \"%s\" (cần YYYY-MM-DDTHH:MM)",
			    r->received_at ? r->received_at : "");
		goto fail;
	}
	if (empty(r->appointment) || mc_parse_dt(r->appointment, due)) {
		strbuf_addf(err, "ngày hẹn trả không hợp lệ: \"%s\" (cần YYYY-MM-DDTHH:MM)",
			    r->appointment ? r->appointment : "");
		goto fail;
	}
	if (pdf_qr_modules(empty(r->lookup_url) ? r->code : r->lookup_url) < 0) {
		strbuf_addstr(err, "địa chỉ tra cứu quá dài, không in được thành mã QR");
		goto fail;
	}
	if (r->n_components > 0 && !r->components) {
		strbuf_addstr(err, "giấy tiếp nhận thiếu danh sách thành phần hồ sơ");
		goto fail;
	}
	return 0;
fail:
	FREE(modules);
	return -1;
}

int receipt_write_pdf(const struct receipt *r, const char *path, struct strbuf *err)
{
	struct mc_dt recv, due;
	char *modules = NULL;
	struct pdf_doc d;

	if (check(r, &recv, &due, &modules, err))
		return -1;
	if (pdf_open(&d, path, PDF_A5_W, PDF_A5_H, err)) {
		free(modules);
		return -1;
	}
	pdf_set_margins(&d, 8, 10, 8, 15);
	pdf_set_metadata(&d, "Giấy tiếp nhận hồ sơ và hẹn trả kết quả", r->received_at);
	d.page_header = continuation_header;
	d.page_header_arg = (void *)r;

	/* issuing body and national motto in two columns, the place and date */
	pdf_state_header(&d, r->unit_parent_name, r->unit_name, r->place, &recv, 0.42, 3);
	draw_title(&d, r, modules);
	draw_applicant(&d, r);
	draw_components(&d, r);
	draw_terms(&d, r, &recv, &due);
	draw_signatures(&d, r, empty(r->lookup_url) ? r->code : r->lookup_url);
	draw_lookup(&d, r);
	free(modules);
	return pdf_close(&d, err);
}
