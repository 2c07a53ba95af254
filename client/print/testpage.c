/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The printer test page (print.h): what a clerk prints once after setting a
 * printer up, to see that Vietnamese letters, the unit's header and a QR code
 * come out right on paper. */
#include <stdio.h>

#include "client/print/pdf.h"
#include "client/print/print.h"

/* Every Vietnamese vowel with its five tones, and đ. */
static const char *const pangram[] = {
	"Trăm năm trong cõi người ta, chữ tài chữ mệnh khéo là ghét nhau.",
	"a à á ả ã ạ · ă ằ ắ ẳ ẵ ặ · â ầ ấ ẩ ẫ ậ · e è é ẻ ẽ ẹ · ê ề ế ể ễ ệ",
	"i ì í ỉ ĩ ị · o ò ó ỏ õ ọ · ô ồ ố ổ ỗ ộ · ơ ờ ớ ở ỡ ợ",
	"u ù ú ủ ũ ụ · ư ừ ứ ử ữ ự · y ỳ ý ỷ ỹ ỵ · đ Đ",
	"ĐƯỜNG ĐỒNG XUÂN · PHƯỜNG BA ĐÌNH · THỦ TỤC HÀNH CHÍNH",
};

static const struct pdf_style st_title = { 15, true, false, PDF_CENTER, 0 };
static const struct pdf_style st_body = { 12, false, false, PDF_LEFT, 1.1 };
static const struct pdf_style st_small = { 10, false, true, PDF_CENTER, 1 };

int print_test_page_pdf(const struct print_test_page *t, const char *path, struct strbuf *err)
{
	struct pdf_doc d;
	if (pdf_open(&d, path, PDF_A4_W, PDF_A4_H, err))
		return -1;
	char when[20] = "";
	if (t->when)
		mc_format_dt(when, sizeof when, t->when);
	pdf_set_metadata(&d, "Trang in thử motcua", t->when ? when : NULL);
	pdf_state_header(&d, t->parent_name, t->unit_name, t->place, t->when, 0.42, 8);
	double x0 = pdf_x0(&d), tw = pdf_text_width(&d);
	pdf_para(&d, x0, tw, "TRANG IN THỬ", &st_title);
	d.y += 4;

	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, "Máy in: <b>");
	pdf_markup_add_or_blank(&sb, t->printer);
	strbuf_addstr(&sb, "</b>");
	pdf_para(&d, x0, tw, sb.buf, &st_body);
	strbuf_reset(&sb);
	strbuf_addstr(&sb, "Địa chỉ: ");
	pdf_markup_add_or_blank(&sb, t->address);
	strbuf_addstr(&sb, " · Điện thoại: ");
	pdf_markup_add_or_blank(&sb, t->phone);
	pdf_para(&d, x0, tw, sb.buf, &st_body);
	if (t->when) {
		strbuf_reset(&sb);
		strbuf_addstr(&sb, "In lúc: ");
		pdf_markup_add_when(&sb, t->when);
		pdf_para(&d, x0, tw, sb.buf, &st_body);
	}
	d.y += 4;
	for (size_t i = 0; i < sizeof(pangram) / sizeof(pangram[0]); i++) {
		strbuf_reset(&sb);
		pdf_markup_add(&sb, pangram[i]);
		pdf_para(&d, x0, tw, sb.buf, &st_body);
	}
	d.y += 6;
	const char *qr = t->qr_text && *t->qr_text ? t->qr_text : "motcua";
	double size = 40;
	if (pdf_qr(&d, x0 + (tw - size) / 2, d.y, size, qr) < 0) {
		strbuf_release(&sb);
		pdf_discard(&d);
		strbuf_addstr(err, "địa chỉ tra cứu quá dài để in thành mã QR");
		return -1;
	}
	d.y += size + 3;
	strbuf_reset(&sb);
	strbuf_addstr(&sb, "Mã QR trỏ tới trang tra cứu mà giấy tiếp nhận dùng: ");
	pdf_markup_add(&sb, qr);
	pdf_para(&d, x0, tw, sb.buf, &st_small);
	strbuf_release(&sb);
	return pdf_close(&d, err);
}
