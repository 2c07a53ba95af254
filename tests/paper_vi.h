/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A page of Vietnamese administrative text as a scanner gives it, for the
 * scanning and OCR tests (tests/unit/test_ocr.c) and the bench
 * (bench/bench_scan.c): an A4 application for a building permit, 13 pt
 * Noto Serif (the forms' font), rendered with pango and cairo at any
 * resolution on slightly tinted paper with a little noise, optionally with
 * a red seal and a signature in blue ink over its foot. paper_vi_text() is
 * what is printed, the reference of the OCR's character error rate
 * (paper_vi_cer).
 *
 * Header-only (static functions): included by one test and one bench. */
#ifndef MC_TESTS_PAPER_VI_H
#define MC_TESTS_PAPER_VI_H
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>
#include <pango/pangocairo.h>
#include <utf8proc.h>

#include "client/scan/pagestore.h"
#include "core/text.h"
#include "core/xalloc.h"

static const char PAPER_VI_HEAD[] =
	"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
	"Độc lập - Tự do - Hạnh phúc\n"
	"\n"
	"ĐƠN ĐỀ NGHỊ CẤP GIẤY PHÉP XÂY DỰNG\n"
	"(Sử dụng cho công trình nhà ở riêng lẻ)";

static const char PAPER_VI_BODY[] =
	"Kính gửi: Ủy ban nhân dân xã Phúc Thịnh, huyện Chiêm Hóa, tỉnh Tuyên Quang.\n"
	"1. Thông tin về chủ đầu tư: Tên chủ hộ: Trần Thị Thu Hương. Người đại diện: Đặng "
	"Quốc Khánh; chức vụ: chủ hộ. Địa chỉ liên hệ: thôn Nà Mý, xã Phúc Thịnh, huyện Chiêm "
	"Hóa. Số nhà: 27; đường phố: Quốc lộ 2C. Số điện thoại: 0912 345 678.\n"
	"2. Thông tin công trình: Địa điểm xây dựng: lô đất số 14, diện tích 186,5 mét vuông, "
	"thuộc tờ bản đồ số 9, giấy chứng nhận quyền sử dụng đất số CS 04127 do Sở Tài nguyên và "
	"Môi trường cấp ngày 15 tháng 8 năm 2021.\n"
	"3. Nội dung đề nghị cấp phép: Loại công trình: nhà ở riêng lẻ, cấp III. Diện tích xây "
	"dựng tầng một: 96 mét vuông. Tổng diện tích sàn: 288 mét vuông, gồm ba tầng và một tum "
	"thang. Chiều cao công trình: 12,6 mét. Cốt nền cao hơn mặt đường hiện trạng 0,45 mét. "
	"Màu sơn bên ngoài: vàng nhạt, mái lợp ngói đỏ.\n"
	"4. Đơn vị hoặc người chủ nhiệm thiết kế: Công ty cổ phần tư vấn kiến trúc Hưng Thịnh; "
	"chứng chỉ năng lực hoạt động xây dựng số BXD-00012847, hạng II. Người chủ trì thiết kế: "
	"kỹ sư Lê Văn Đức, chứng chỉ hành nghề số HAN-00021563.\n"
	"5. Phương án phá dỡ, di dời (nếu có): không có. Dự kiến thời gian hoàn thành công trình: "
	"mười hai tháng kể từ ngày khởi công.\n"
	"6. Cam kết: Tôi xin cam đoan làm theo đúng giấy phép được cấp, nếu sai tôi xin hoàn toàn "
	"chịu trách nhiệm và bị xử lý theo quy định của pháp luật.\n"
	"Hồ sơ gửi kèm gồm: bản sao giấy chứng nhận quyền sử dụng đất; hai bộ bản vẽ thiết kế "
	"mặt bằng, mặt đứng, mặt cắt; ảnh chụp hiện trạng khu đất.\n"
	"Phúc Thịnh, ngày 03 tháng 11 năm 2025\n"
	"Người làm đơn (ký, ghi rõ họ tên)\n"
	"Trần Thị Thu Hương";

/* The whole text as printed: the head, then the body. */
static const char *paper_vi_text(void)
{
	static char buf[sizeof(PAPER_VI_HEAD) + sizeof(PAPER_VI_BODY) + 2];
	if (!buf[0])
		snprintf(buf, sizeof buf, "%s\n%s", PAPER_VI_HEAD, PAPER_VI_BODY);
	return buf;
}

#define PAPER_VI_MM(dpi) ((dpi) / 25.4)

/* Lays out text (13 pt) at the top of w_mm wide, from y_mm down; returns
 * the y below it, in mm. */
static double paper_vi_block(cairo_t *cr, int dpi, double x_mm, double y_mm, double w_mm,
			     const char *text, bool center, bool bold)
{
	double px = PAPER_VI_MM(dpi);
	PangoLayout *l = pango_cairo_create_layout(cr);
	PangoFontDescription *fd = pango_font_description_from_string("Noto Serif, DejaVu Serif");
	pango_font_description_set_absolute_size(fd, 13.0 / 72.0 * dpi * PANGO_SCALE);
	if (bold)
		pango_font_description_set_weight(fd, PANGO_WEIGHT_BOLD);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	pango_layout_set_width(l, (int)(w_mm * px * PANGO_SCALE));
	pango_layout_set_wrap(l, PANGO_WRAP_WORD);
	pango_layout_set_alignment(l, center ? PANGO_ALIGN_CENTER : PANGO_ALIGN_LEFT);
	pango_layout_set_justify(l, !center);
	pango_layout_set_spacing(l, (int)(0.8 * px * PANGO_SCALE));
	pango_layout_set_text(l, text, -1);
	cairo_move_to(cr, x_mm * px, y_mm * px);
	pango_cairo_show_layout(cr, l);
	int h;
	pango_layout_get_pixel_size(l, NULL, &h);
	g_object_unref(l);
	return y_mm + h / px;
}

/* A round red seal at (cx, cy) mm and a signature in blue ink over it. */
static void paper_vi_seal(cairo_t *cr, int dpi, double cx, double cy)
{
	double px = PAPER_VI_MM(dpi);
	cairo_save(cr);
	cairo_scale(cr, px, px); /* millimetres */
	cairo_new_path(cr);
	cairo_set_source_rgba(cr, 0.84, 0.10, 0.12, 0.85);
	cairo_set_line_width(cr, 1.0);
	cairo_arc(cr, cx, cy, 19, 0, 2 * M_PI);
	cairo_stroke(cr);
	cairo_set_line_width(cr, 0.4);
	cairo_arc(cr, cx, cy, 16, 0, 2 * M_PI);
	cairo_stroke(cr);
	cairo_arc(cr, cx, cy, 9, 0, 2 * M_PI);
	cairo_stroke(cr);
	static const char ring[] = "UY BAN NHAN DAN XA PHUC THINH * ";
	cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
	cairo_set_font_size(cr, 3.2);
	size_t n = strlen(ring);
	for (size_t i = 0; i < n; i++) {
		double a = (double)i * 2 * M_PI / (double)n;
		char c[2] = { ring[i], 0 };
		cairo_save(cr);
		cairo_translate(cr, cx + 12.5 * sin(a), cy - 12.5 * cos(a));
		cairo_rotate(cr, a);
		cairo_move_to(cr, -1, 1.2);
		cairo_show_text(cr, c);
		cairo_restore(cr);
	}
	cairo_set_source_rgb(cr, 0.10, 0.16, 0.62);
	cairo_set_line_width(cr, 0.5);
	cairo_move_to(cr, cx - 24, cy - 3);
	for (int i = 1; i <= 40; i++)
		cairo_line_to(cr, cx - 24 + i * 1.2, cy - 3 + 5 * sin(i * 0.9) + i * 0.1);
	cairo_stroke(cr);
	cairo_restore(cr);
}

/* The page at dpi in colour (PAGE_COLOR), into img (page_image_alloc'd):
 * A4, margins 20 mm (30 on the left), on paper of RGB (252, 250, 244) with
 * noise of +-3 on each channel (a fixed sequence: the same page each
 * time); the seal and signature when seal. false when the text would not
 * fit the page. */
static bool paper_vi_render(int dpi, bool seal, struct page_image *img)
{
	int w = (int)ceil(210 * PAPER_VI_MM(dpi)), h = (int)ceil(297 * PAPER_VI_MM(dpi));
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
	cairo_t *cr = cairo_create(s);
	cairo_set_source_rgb(cr, 252 / 255.0, 250 / 255.0, 244 / 255.0);
	cairo_paint(cr);
	cairo_set_source_rgb(cr, 0.08, 0.08, 0.08);
	double y = paper_vi_block(cr, dpi, 30, 20, 160, PAPER_VI_HEAD, true, true);
	y = paper_vi_block(cr, dpi, 30, y + 4, 160, PAPER_VI_BODY, false, false);
	if (seal)
		paper_vi_seal(cr, dpi, 150, y - 14);
	cairo_destroy(cr);
	cairo_surface_flush(s);
	page_image_alloc(img, PAGE_COLOR, w, h, dpi);
	const unsigned char *data = cairo_image_surface_get_data(s);
	int stride = cairo_image_surface_get_stride(s);
	uint32_t seed = 12345;
	for (int yy = 0; yy < h; yy++) {
		const void *line = data + (size_t)yy * (size_t)stride;
		const uint32_t *row = line;
		unsigned char *d = img->data + (size_t)yy * img->stride;
		for (int x = 0; x < w; x++) {
			seed = seed * 1103515245u + 12345u;
			int noise = (int)(seed >> 16) % 7 - 3;
			for (int c = 0; c < 3; c++) {
				int v = (int)(row[x] >> (16 - 8 * c) & 255) + noise;
				d[3 * x + c] = (unsigned char)(v < 0 ? 0 : v > 255 ? 255 : v);
			}
		}
	}
	cairo_surface_destroy(s);
	return y < 277;
}

/* The code points of s in NFC, runs of white space as one space, trimmed
 * (malloc'd, *n of them). */
static int32_t *paper_vi_codepoints(const char *s, size_t *n)
{
	char *nfc = mc_text_nfc(s);
	int32_t *v = xcalloc(strlen(nfc) + 1, sizeof(*v));
	size_t k = 0;
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)nfc;
	while (*p) {
		utf8proc_int32_t c;
		utf8proc_ssize_t r = utf8proc_iterate(p, -1, &c);
		if (r <= 0)
			break;
		p += r;
		if (c == ' ' || c == '\n' || c == '\t' || c == '\f' || c == '\r') {
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

/* The character error rate of got against want: the edit distance
 * (Levenshtein, on code points) over want's length, both in NFC with runs
 * of white space as one space. */
static double paper_vi_cer(const char *want, const char *got)
{
	size_t n, m;
	int32_t *a = paper_vi_codepoints(want, &n), *b = paper_vi_codepoints(got, &m);
	size_t *row = xcalloc(m + 1, sizeof(*row));
	for (size_t j = 0; j <= m; j++)
		row[j] = j;
	for (size_t i = 1; i <= n; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= m; j++) {
			size_t up = row[j], best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	double r = (double)row[m] / (double)(n ? n : 1);
	free(row);
	free(a);
	free(b);
	return r;
}

#endif
