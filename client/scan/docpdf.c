/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Pages -> one PDF; see docpdf.h. */
#include "client/scan/docpdf.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <sodium.h>

#include "client/base/files.h"
#include "client/base/sealed.h"
#include "client/scan/g4.h"
/* last: they rename the library functions above (client/base/lazylib.h) */
#include "client/base/lazy_cairo.h"

struct writer {
	struct sealed_out out; /* sealed in an encrypted store's documents/ */
	bool open;
	int write_errno;
	long long bytes;
	crypto_hash_sha256_state sha;
};

static cairo_status_t write_out(void *closure, const unsigned char *data, unsigned int len)
{
	struct writer *w = closure;

	if (w->write_errno)
		return CAIRO_STATUS_WRITE_ERROR;
	crypto_hash_sha256_update(&w->sha, data, len); /* the plaintext's hash */
	w->bytes += len;
	if (sealed_out_write(&w->out, data, len)) {
		w->write_errno = errno;
		return CAIRO_STATUS_WRITE_ERROR;
	}
	return CAIRO_STATUS_SUCCESS;
}


/* A page's side in points: the image's, rounded up to a whole point.
 * cairo clips what it draws to its surface's size in whole points (a
 * 72.24 pt page gets "0 0 72 ..." as its clip), which would cut up to a
 * point off the image's right and bottom edges; the page is made the
 * larger, and the image keeps its exact size and pixels. */
static double page_pt(int pixels, int dpi)
{
	return ceil((double)pixels * 72.0 / (dpi > 0 ? dpi : 150) - 1e-6);
}

static inline unsigned char reverse_bits(unsigned char b)
{
	b = (unsigned char)((b & 0xF0) >> 4 | (b & 0x0F) << 4);
	b = (unsigned char)((b & 0xCC) >> 2 | (b & 0x33) << 2);
	b = (unsigned char)((b & 0xAA) >> 1 | (b & 0x55) << 1);
	return b;
}

/* A colour or grey page, or a mixed page's background: its JPEG as the
 * mime data of an image surface of the same size. The surface's own pixels
 * are never drawn (cairo's PDF backend embeds the JPEG), so it is a 1-bit
 * one: 1/32 of the memory. */
static int draw_jpeg(cairo_t *cr, const struct pagestore *ps, size_t i, struct strbuf *err)
{
	const struct page_info *p = &ps->pages[i];
	unsigned char *jpeg;
	size_t n;

	if (p->kind == PAGE_MIXED ? pagestore_read_background(ps, i, &jpeg, &n, err)
				  : pagestore_read(ps, i, &jpeg, &n, err))
		return -1;
	cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_A1, p->width, p->height);
	if (cairo_surface_status(img) != CAIRO_STATUS_SUCCESS ||
	    cairo_surface_set_mime_data(img, CAIRO_MIME_TYPE_JPEG, jpeg, n, free, jpeg) !=
		    CAIRO_STATUS_SUCCESS) {
		cairo_surface_destroy(img);
		free(jpeg);
		strbuf_addf(err, "không đưa được trang %zu vào PDF", i + 1);
		return -1;
	}
	cairo_set_source_surface(cr, img, 0, 0);
	cairo_paint(cr);
	cairo_surface_destroy(img);
	return 0;
}

/* Gives cairo the G4 coding of img for the PDF (CCITTFaxDecode), when it is
 * smaller than the Flate that cairo would write of the same bits: about 35
 * KB for a page of text at 200 dpi instead of 53. -1 when it cannot. */
static int attach_g4(cairo_surface_t *a1, const struct page_image *img)
{
	unsigned char *g4;
	size_t n, flate;
	if (g4_encode(img, &g4, &n))
		return -1;
	if (!g4_flate_size(img, &flate) && flate < n) {
		free(g4);
		return 0;
	}
	/* cairo owns what it accepts; what it refuses stays ours */
	if (cairo_surface_set_mime_data(a1, CAIRO_MIME_TYPE_CCITT_FAX, g4, n, free, g4)) {
		free(g4);
		return -1;
	}
	char *params = g4_pdf_params(img->width, img->height);
	if (cairo_surface_set_mime_data(a1, CAIRO_MIME_TYPE_CCITT_FAX_PARAMS,
					(unsigned char *)params, strlen(params), free, params)) {
		free(params);
		return -1;
	}
	return 0;
}

/* A black-and-white page, or a mixed page's text: a 1-bit stencil painted
 * in black. */
static int draw_lineart(cairo_t *cr, const struct pagestore *ps, size_t i, struct strbuf *err)
{
	struct page_image img;
	if (pagestore_load_lineart(ps, i, &img, err))
		return -1;
	cairo_surface_t *a1 = cairo_image_surface_create(CAIRO_FORMAT_A1, img.width, img.height);
	if (cairo_surface_status(a1) != CAIRO_STATUS_SUCCESS) {
		cairo_surface_destroy(a1);
		page_image_release(&img);
		strbuf_addf(err, "không đưa được trang %zu vào PDF", i + 1);
		return -1;
	}
	cairo_surface_flush(a1);
	unsigned char *dst = cairo_image_surface_get_data(a1);
	int stride = cairo_image_surface_get_stride(a1);
	size_t row = page_image_row_bytes(PAGE_LINEART, img.width);
	unsigned char last_mask = (unsigned char)(img.width % 8 ? 0xFF00 >> (img.width % 8) : 0xFF);
	for (int y = 0; y < img.height; y++) {
		const unsigned char *src = img.data + (size_t)y * img.stride;
		unsigned char *d = dst + (size_t)y * (size_t)stride;
		memset(d, 0, (size_t)stride);
		for (size_t x = 0; x < row; x++) {
			unsigned char b = x + 1 == row ? src[x] & last_mask : src[x];
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
			d[x] = reverse_bits(b); /* cairo's A1: leftmost pixel in the low bit */
#else
			d[x] = b;
#endif
		}
	}
	cairo_surface_mark_dirty(a1);
	int rc = attach_g4(a1, &img);
	page_image_release(&img);
	if (rc) {
		cairo_surface_destroy(a1);
		strbuf_addf(err, "không nén được trang %zu (G4)", i + 1);
		return -1;
	}
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_mask_surface(cr, a1, 0, 0);
	cairo_surface_destroy(a1);
	return 0;
}

static void set_metadata(cairo_surface_t *s, const char *title, const char *date)
{
	if (title)
		cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, title);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "motcua");
	if (date && strlen(date) == 16) {
		char buf[32];
		snprintf(buf, sizeof(buf), "%.10sT%.5s:00", date, date + 11);
		cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, buf);
	}
}

int docpdf_write(const struct pagestore *ps, const char *path, const char *title,
		 const char *date, struct docpdf_info *info, struct strbuf *err)
{
	struct writer w = { .open = false };
	const char *why = NULL;
	int rc = -1;

	memset(info, 0, sizeof(*info));
	if (sodium_init() < 0) {
		strbuf_addstr(err, "không khởi động được libsodium");
		return -1;
	}
	if (ps->n == 0) {
		strbuf_addstr(err, "chưa có trang nào để ghi thành PDF");
		return -1;
	}
	char *tmp = xasprintf("%s.tmp", path);
	w.open = sealed_out_open(&w.out, tmp) == 0;
	if (!w.open) {
		strbuf_addf(err, "không tạo được tệp PDF %s: %s", path, files_errno_vn(errno));
		free(tmp);
		return -1;
	}
	crypto_hash_sha256_init(&w.sha);

	const struct page_info *p0 = &ps->pages[0];
	cairo_surface_t *surface = cairo_pdf_surface_create_for_stream(
		write_out, &w, page_pt(p0->width, p0->dpi), page_pt(p0->height, p0->dpi));
	set_metadata(surface, title, date);
	cairo_t *cr = cairo_create(surface);
	int page_rc = 0;
	for (size_t i = 0; i < ps->n && !page_rc && !w.write_errno; i++) {
		const struct page_info *p = &ps->pages[i];
		cairo_pdf_surface_set_size(surface, page_pt(p->width, p->dpi), page_pt(p->height, p->dpi));
		cairo_save(cr);
		cairo_scale(cr, 72.0 / p->dpi, 72.0 / p->dpi);
		if (p->kind == PAGE_LINEART)
			page_rc = draw_lineart(cr, ps, i, err);
		else if (p->kind == PAGE_MIXED) /* the background, the text over it */
			page_rc = draw_jpeg(cr, ps, i, err) || draw_lineart(cr, ps, i, err)
					  ? -1 : 0;
		else
			page_rc = draw_jpeg(cr, ps, i, err);
		cairo_restore(cr);
		cairo_show_page(cr);
	}
	cairo_status_t cst = cairo_status(cr);
	cairo_destroy(cr);
	cairo_surface_finish(surface);
	if (cst == CAIRO_STATUS_SUCCESS)
		cst = cairo_surface_status(surface);
	cairo_surface_destroy(surface);

	if (page_rc)
		why = NULL; /* err already says which page */
	else if (w.write_errno)
		why = files_errno_vn(w.write_errno);
	else if (cst != CAIRO_STATUS_SUCCESS)
		why = cairo_status_to_string(cst);
	else if ((w.open = false, sealed_out_close(&w.out)))
		why = files_errno_vn(errno);
	else {
		if (rename(tmp, path))
			why = files_errno_vn(errno);
		else if (files_sync_dir(path))
			why = files_errno_vn(errno);
		else
			rc = 0;
	}
	if (w.open)
		sealed_out_abort(&w.out);
	if (rc) {
		if (why)
			strbuf_addf(err, "không ghi được tệp PDF %s: %s", path, why);
		unlink(tmp);
	} else {
		unsigned char digest[crypto_hash_sha256_BYTES];
		crypto_hash_sha256_final(&w.sha, digest);
		files_hex(digest, sizeof(digest), info->sha256);
		info->pages = (int)ps->n;
		info->bytes = w.bytes;
		info->bytes_per_page = (w.bytes + info->pages / 2) / info->pages;
	}
	free(tmp);
	return rc;
}
