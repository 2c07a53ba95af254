/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The visible stamp of a signature; see stamp.h. */
#include "client/sign/stamp.h"

#include <stdlib.h>
#include <string.h>

#include <cairo.h>
#include <pango/pangocairo.h>
#include <poppler.h>
#include <zlib.h>
/* last: they rename the library functions above (client/base/lazylib.h) */
#include "client/base/lazy_cairo.h"
#include "client/base/lazy_glib.h"
#include "client/base/lazy_pango.h"
#include "client/base/lazy_poppler.h"

#define STAMP_SCALE 3.0
#define STAMP_FONT "Noto Sans,DejaVu Sans,sans"

/* The lines as one pango layout of font size pt, width wide (points). */
static PangoLayout *layout_of(cairo_t *cr, const char *text, double pt, double wide)
{
	PangoLayout *l = pango_cairo_create_layout(cr);
	PangoFontDescription *fd = pango_font_description_from_string(STAMP_FONT);
	pango_font_description_set_size(fd, (gint)(pt * PANGO_SCALE));
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	pango_layout_set_width(l, (int)(wide * PANGO_SCALE));
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_text(l, text, -1);
	return l;
}

int stamp_render(const char *const *lines, size_t n, double w, double h, struct stamp_image *img,
		 struct strbuf *err)
{
	memset(img, 0, sizeof(*img));
	int pw = (int)(w * STAMP_SCALE + 0.5), ph = (int)(h * STAMP_SCALE + 0.5);
	if (pw < 30 || ph < 15 || pw > 6000 || ph > 6000) {
		strbuf_addstr(err, "khung dấu chữ ký quá nhỏ hoặc quá lớn");
		return -1;
	}
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, pw, ph);
	cairo_t *cr = cairo_create(s);
	cairo_scale(cr, STAMP_SCALE, STAMP_SCALE);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	/* a red frame and red text, as a seal on paper */
	cairo_set_source_rgb(cr, 0.72, 0.05, 0.05);
	cairo_set_line_width(cr, 1.2);
	cairo_rectangle(cr, 0.6, 0.6, w - 1.2, h - 1.2);
	cairo_stroke(cr);
	struct strbuf text = STRBUF_INIT;
	for (size_t i = 0; i < n; i++)
		strbuf_addf(&text, "%s%s", i ? "\n" : "", lines[i]);
	double pad = 4, pt = 9;
	PangoLayout *l = NULL;
	for (;; pt -= 0.5) {
		if (l)
			g_object_unref(l);
		l = layout_of(cr, text.buf ? text.buf : "", pt, w - 2 * pad);
		int lw, lh;
		pango_layout_get_size(l, &lw, &lh);
		if ((double)lh / PANGO_SCALE <= h - 2 * pad || pt <= 4)
			break;
	}
	int lh;
	pango_layout_get_size(l, NULL, &lh);
	double top = (h - (double)lh / PANGO_SCALE) / 2;
	cairo_move_to(cr, pad, top > pad ? top : pad);
	pango_cairo_show_layout(cr, l);
	g_object_unref(l);
	strbuf_release(&text);
	cairo_destroy(cr);
	cairo_surface_flush(s);

	/* xRGB words -> RGB bytes -> zlib */
	const unsigned char *px = cairo_image_surface_get_data(s);
	int stride = cairo_image_surface_get_stride(s);
	size_t raw_len = (size_t)pw * (size_t)ph * 3;
	unsigned char *raw = xmalloc(raw_len);
	for (int y = 0; y < ph; y++) {
		const uint32_t *row = (const uint32_t *)(const void *)(px + (size_t)y * (size_t)stride);
		unsigned char *o = raw + (size_t)y * (size_t)pw * 3;
		for (int x = 0; x < pw; x++) {
			o[3 * x] = (unsigned char)(row[x] >> 16);
			o[3 * x + 1] = (unsigned char)(row[x] >> 8);
			o[3 * x + 2] = (unsigned char)row[x];
		}
	}
	cairo_surface_destroy(s);
	uLongf zlen = compressBound((uLong)raw_len);
	img->data = xmalloc(zlen);
	if (compress2(img->data, &zlen, raw, (uLong)raw_len, 9) != Z_OK) {
		free(raw);
		stamp_image_release(img);
		strbuf_addstr(err, "không nén được ảnh dấu chữ ký");
		return -1;
	}
	free(raw);
	img->len = zlen;
	img->w = pw;
	img->h = ph;
	return 0;
}

void stamp_image_release(struct stamp_image *img)
{
	free(img->data);
	memset(img, 0, sizeof(*img));
}

/* Room kept free around the stamp and from the page's edges, the search's
 * step, all in points; how dark a pixel (0-255) counts as ink. */
#define PLACE_PAD 4
#define PLACE_MARGIN 14
#define PLACE_STEP 4
#define PLACE_INK 200

int stamp_place(const unsigned char *pdf, size_t len, int page, const double box[4], int rotate,
		double w, double h, double rect[4])
{
	GBytes *bytes = g_bytes_new_static(pdf, len);
	GError *gerr = NULL;
	PopplerDocument *doc = poppler_document_new_from_bytes(bytes, NULL, &gerr);
	PopplerPage *pg = doc ? poppler_document_get_page(doc, page) : NULL;
	int rc = -1;
	if (gerr)
		g_error_free(gerr);
	double pw = box[2] - box[0], ph = box[3] - box[1];
	if (!pg || rotate || pw < w + 2 * PLACE_MARGIN ||
	    ph < h + 2 * PLACE_MARGIN || pw > 14400 || ph > 14400)
		goto out;
	/* one pixel a point */
	int W = (int)pw, H = (int)ph;
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, W, H);
	cairo_t *cr = cairo_create(s);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	poppler_page_render(pg, cr);
	cairo_destroy(cr);
	cairo_surface_flush(s);
	/* a summed-area table of ink */
	const unsigned char *px = cairo_image_surface_get_data(s);
	int stride = cairo_image_surface_get_stride(s);
	unsigned *sum = xcalloc((size_t)(W + 1) * (size_t)(H + 1), sizeof(*sum));
#define SUM(x, y) sum[(size_t)(y) * (size_t)(W + 1) + (size_t)(x)]
	for (int y = 0; y < H; y++) {
		const uint32_t *row = (const uint32_t *)(const void *)(px + (size_t)y * (size_t)stride);
		unsigned line = 0;
		for (int x = 0; x < W; x++) {
			uint32_t c = row[x];
			unsigned lum = (((c >> 16) & 255) * 30 + ((c >> 8) & 255) * 59 + (c & 255) * 11) / 100;
			line += lum < PLACE_INK;
			SUM(x + 1, y + 1) = SUM(x + 1, y) + line;
		}
	}
	cairo_surface_destroy(s);
	int iw = (int)(w + 0.999), ih = (int)(h + 0.999);
	/* from the bottom up, each row from the right */
	for (int y0 = H - PLACE_MARGIN - ih; y0 >= PLACE_MARGIN && rc; y0 -= PLACE_STEP) {
		for (int x0 = W - PLACE_MARGIN - iw; x0 >= PLACE_MARGIN; x0 -= PLACE_STEP) {
			int ax = x0 - PLACE_PAD, ay = y0 - PLACE_PAD;
			int bx = x0 + iw + PLACE_PAD, by = y0 + ih + PLACE_PAD;
			if (ax < 0 || ay < 0 || bx > W || by > H)
				continue;
			if (SUM(bx, by) - SUM(ax, by) - SUM(bx, ay) + SUM(ax, ay) == 0) {
				rect[0] = box[0] + x0;
				rect[1] = box[1] + (ph - y0 - h);
				rect[2] = rect[0] + w;
				rect[3] = rect[1] + h;
				rc = 0;
				break;
			}
		}
	}
#undef SUM
	free(sum);
out:
	if (pg)
		g_object_unref(pg);
	if (doc)
		g_object_unref(doc);
	g_bytes_unref(bytes);
	return rc;
}
