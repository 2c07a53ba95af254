/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Files -> pages; see fileimport.h. */
#include "client/scan/fileimport.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cairo.h>
#include <jpeglib.h>
#include <poppler.h>
#include <tiffio.h>
/* last: they rename the library functions above (client/base/lazylib.h) */
#include "client/base/lazy_cairo.h"
#include "client/base/lazy_glib.h"
#include "client/base/lazy_jpeg.h"
#include "client/base/lazy_poppler.h"
#include "client/base/lazy_tiff.h"

/* Larger than any paper at 600 dpi: a bigger image is refused, not decoded. */
#define MAX_PIXELS (100LL * 1000 * 1000)
#define MAX_FILE (512LL * 1024 * 1024)

enum { OK = 0, BAD = 1, FAULT = -1 };

enum import_type fileimport_sniff(const unsigned char *h, size_t n)
{
	if (n >= 5 && !memcmp(h, "%PDF-", 5))
		return IMPORT_PDF;
	if (n >= 3 && h[0] == 0xFF && h[1] == 0xD8 && h[2] == 0xFF)
		return IMPORT_JPEG;
	if (n >= 8 && !memcmp(h, "\x89PNG\r\n\x1a\n", 8))
		return IMPORT_PNG;
	if (n >= 4 && (!memcmp(h, "II*\0", 4) || !memcmp(h, "MM\0*", 4)))
		return IMPORT_TIFF;
	return IMPORT_UNKNOWN;
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s && s[1] ? s + 1 : path;
}

static bool ends_with_ci(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && !strcasecmp(s + n - m, suffix);
}

static int read_file(const char *path, unsigned char **data, size_t *n, struct strbuf *err)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	*data = NULL;
	*n = 0;
	if (fd < 0) {
		if (errno == ENOENT)
			strbuf_addf(err, "không có tệp %s", path);
		else if (errno == EACCES)
			strbuf_addf(err, "không có quyền đọc tệp %s", path);
		else
			strbuf_addf(err, "không mở được tệp %s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		strbuf_addf(err, "%s không phải là một tệp", path);
		close(fd);
		return -1;
	}
	if (st.st_size == 0) {
		strbuf_addf(err, "tệp %s rỗng", path);
		close(fd);
		return -1;
	}
	if (st.st_size > MAX_FILE) {
		strbuf_addf(err, "tệp %s quá lớn (hơn 512 MB)", path);
		close(fd);
		return -1;
	}
	size_t len = (size_t)st.st_size, got = 0;
	unsigned char *buf = xmalloc(len);
	while (got < len) {
		ssize_t r = read(fd, buf + got, len - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	if (got != len) {
		strbuf_addf(err, "không đọc hết được tệp %s (ổ đĩa hoặc USB bị lỗi?)", path);
		free(buf);
		return -1;
	}
	*data = buf;
	*n = len;
	return 0;
}

/* A resolution for an image that does not say its own: the one that makes
 * it an A4 page (portrait or landscape, as the image is). */
static int fit_a4(int w, int h)
{
	double a = w > h ? 11.69 : 8.27, b = w > h ? 8.27 : 11.69;
	double dpi = fmax(w / a, h / b);
	int v = (int)ceil(dpi);
	return v < 50 ? 50 : v;
}

static int store_rc(int rc)
{
	return rc ? FAULT : OK;
}

/* ---- images in memory -> pages ---- */

/* An RGB24 cairo surface (white background already) as a COLOR, GRAY or
 * LINEART page, whichever keeps every pixel. */
static void page_from_rgb24(cairo_surface_t *s, int dpi, struct page_image *img)
{
	int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
	int stride = cairo_image_surface_get_stride(s);
	const unsigned char *data = cairo_image_surface_get_data(s);
	bool gray = true, bilevel = true;

	cairo_surface_flush(s);
	for (int y = 0; y < h && gray; y++) {
		const uint32_t *row = (const uint32_t *)(const void *)(data + (size_t)y * (size_t)stride);
		for (int x = 0; x < w; x++) {
			uint32_t p = row[x];
			unsigned r = (p >> 16) & 255, g = (p >> 8) & 255, b = p & 255;
			if (r != g || g != b) {
				gray = false;
				break;
			}
			if (r != 0 && r != 255)
				bilevel = false;
		}
	}
	enum page_kind kind = !gray ? PAGE_COLOR : bilevel ? PAGE_LINEART : PAGE_GRAY;
	page_image_alloc(img, kind, w, h, dpi);
	for (int y = 0; y < h; y++) {
		const uint32_t *row = (const uint32_t *)(const void *)(data + (size_t)y * (size_t)stride);
		unsigned char *dst = img->data + (size_t)y * img->stride;
		for (int x = 0; x < w; x++) {
			uint32_t p = row[x];
			if (kind == PAGE_COLOR) {
				dst[3 * x] = (unsigned char)(p >> 16);
				dst[3 * x + 1] = (unsigned char)(p >> 8);
				dst[3 * x + 2] = (unsigned char)p;
			} else if (kind == PAGE_GRAY) {
				dst[x] = (unsigned char)p;
			} else if (!(p & 255)) {
				dst[x / 8] |= (unsigned char)(0x80 >> (x % 8));
			}
		}
	}
}

/* A white RGB24 surface w x h, or NULL when too big. */
static cairo_surface_t *white_surface(int w, int h)
{
	if (w <= 0 || h <= 0 || (long long)w * h > MAX_PIXELS)
		return NULL;
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
		cairo_surface_destroy(s);
		return NULL;
	}
	cairo_t *cr = cairo_create(s);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_destroy(cr);
	return s;
}

static int add_surface(struct pagestore *ps, cairo_surface_t *s, int dpi, struct strbuf *err)
{
	struct page_image img;
	page_from_rgb24(s, dpi, &img);
	int rc = pagestore_add(ps, &img, err);
	page_image_release(&img);
	return store_rc(rc);
}

/* ---- JPEG ---- */

struct jerr {
	struct jpeg_error_mgr mgr;
	jmp_buf jmp;
	int warnings;
};

static void jerr_exit(j_common_ptr c)
{
	longjmp(((struct jerr *)c->err)->jmp, 1);
}

static void jerr_emit(j_common_ptr c, int level)
{
	if (level < 0) /* a warning: corrupt data, premature end of the file */
		((struct jerr *)c->err)->warnings++;
}

static void jerr_quiet(j_common_ptr c)
{
	(void)c;
}

static int jpeg_dpi(const struct jpeg_decompress_struct *c)
{
	if (c->density_unit == 1 && c->X_density > 1)
		return c->X_density;
	if (c->density_unit == 2 && c->X_density > 1)
		return (int)(c->X_density * 2.54 + 0.5);
	return 0;
}

static int import_jpeg(struct pagestore *ps, const char *path, const unsigned char *data,
		       size_t n, struct strbuf *err)
{
	struct jpeg_decompress_struct c;
	struct jerr je;
	struct page_image img = { 0 };
	unsigned char *row = NULL;

	memset(&c, 0, sizeof(c));
	c.err = jpeg_std_error(&je.mgr);
	je.mgr.error_exit = jerr_exit;
	je.mgr.emit_message = jerr_emit;
	je.mgr.output_message = jerr_quiet;
	je.warnings = 0;
	if (setjmp(je.jmp)) {
		jpeg_destroy_decompress(&c);
		page_image_release(&img);
		free(row);
		strbuf_addf(err, "tệp JPEG %s bị hỏng hoặc không đầy đủ", path);
		return BAD;
	}
	jpeg_create_decompress(&c);
	jpeg_mem_src(&c, data, (unsigned long)n);
	jpeg_read_header(&c, TRUE);
	bool cmyk = c.jpeg_color_space == JCS_CMYK || c.jpeg_color_space == JCS_YCCK;
	bool keep = !cmyk && (c.num_components == 1 || c.num_components == 3);
	if ((long long)c.image_width * c.image_height > MAX_PIXELS) {
		jpeg_destroy_decompress(&c);
		strbuf_addf(err, "ảnh %s quá lớn (%u x %u điểm ảnh)", path, c.image_width,
			    c.image_height);
		return BAD;
	}
	if (cmyk)
		c.out_color_space = JCS_CMYK;
	else if (!keep)
		c.out_color_space = JCS_RGB;
	jpeg_start_decompress(&c);
	int w = (int)c.output_width, h = (int)c.output_height;
	int dpi = jpeg_dpi(&c);
	if (!dpi)
		dpi = fit_a4(w, h);
	/* Decoding every row checks the whole file; the rows are kept only
	 * when the JPEG is not kept as it is. */
	row = xmalloc((size_t)w * (size_t)c.output_components);
	if (!keep)
		page_image_alloc(&img, PAGE_COLOR, w, h, dpi);
	while (c.output_scanline < c.output_height) {
		int y = (int)c.output_scanline;
		JSAMPROW r = row;
		jpeg_read_scanlines(&c, &r, 1);
		if (keep)
			continue;
		unsigned char *dst = img.data + (size_t)y * img.stride;
		for (int x = 0; x < w; x++) {
			if (cmyk) {
				/* Adobe's inverted CMYK, as Photoshop writes it */
				unsigned k = row[4 * x + 3];
				for (int i = 0; i < 3; i++)
					dst[3 * x + i] = (unsigned char)(row[4 * x + i] * k / 255);
			} else {
				memcpy(dst + 3 * x, row + 3 * x, 3);
			}
		}
	}
	int components = c.num_components;
	jpeg_finish_decompress(&c);
	jpeg_destroy_decompress(&c);
	free(row);
	if (je.warnings) {
		page_image_release(&img);
		strbuf_addf(err, "tệp JPEG %s bị hỏng hoặc không đầy đủ", path);
		return BAD;
	}
	int rc;
	if (keep)
		rc = pagestore_add_jpeg(ps, data, n, w, h, components, dpi, err);
	else
		rc = pagestore_add(ps, &img, err);
	page_image_release(&img);
	return store_rc(rc);
}

/* ---- PNG ---- */

struct mem_reader {
	const unsigned char *p;
	size_t left;
};

static cairo_status_t mem_read(void *closure, unsigned char *data, unsigned int len)
{
	struct mem_reader *m = closure;
	if (len > m->left)
		return CAIRO_STATUS_READ_ERROR;
	memcpy(data, m->p, len);
	m->p += len;
	m->left -= len;
	return CAIRO_STATUS_SUCCESS;
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The PNG's pHYs resolution in dpi, 0 if none; false when the chunks do
 * not reach IEND (a cut file) or the header is impossible. */
static bool png_walk(const unsigned char *d, size_t n, int *dpi, int *w, int *h)
{
	size_t off = 8;
	*dpi = 0;
	*w = *h = 0;
	while (off + 12 <= n) {
		uint32_t len = be32(d + off);
		const unsigned char *type = d + off + 4;
		if (len > n - off - 12)
			return false;
		if (!memcmp(type, "IHDR", 4) && len >= 8) {
			uint32_t ww = be32(d + off + 8), hh = be32(d + off + 12);
			if (ww == 0 || hh == 0 || ww > 1000000 || hh > 1000000)
				return false;
			*w = (int)ww;
			*h = (int)hh;
		}
		if (!memcmp(type, "pHYs", 4) && len == 9 && d[off + 16] == 1)
			*dpi = (int)(be32(d + off + 8) * 0.0254 + 0.5);
		if (!memcmp(type, "IEND", 4))
			return *w > 0;
		off += 12 + (size_t)len;
	}
	return false;
}

static int import_png(struct pagestore *ps, const char *path, const unsigned char *data,
		      size_t n, struct strbuf *err)
{
	int dpi, w, h;
	if (!png_walk(data, n, &dpi, &w, &h)) {
		strbuf_addf(err, "tệp PNG %s bị hỏng hoặc không đầy đủ", path);
		return BAD;
	}
	if ((long long)w * h > MAX_PIXELS) {
		strbuf_addf(err, "ảnh %s quá lớn (%d x %d điểm ảnh)", path, w, h);
		return BAD;
	}
	struct mem_reader m = { data, n };
	cairo_surface_t *png = cairo_image_surface_create_from_png_stream(mem_read, &m);
	if (cairo_surface_status(png) != CAIRO_STATUS_SUCCESS) {
		cairo_surface_destroy(png);
		strbuf_addf(err, "tệp PNG %s bị hỏng hoặc không đầy đủ", path);
		return BAD;
	}
	w = cairo_image_surface_get_width(png);
	h = cairo_image_surface_get_height(png);
	cairo_surface_t *s = white_surface(w, h);
	if (!s) {
		cairo_surface_destroy(png);
		strbuf_addf(err, "ảnh %s quá lớn (%d x %d điểm ảnh)", path, w, h);
		return BAD;
	}
	cairo_t *cr = cairo_create(s);
	cairo_set_source_surface(cr, png, 0, 0);
	cairo_paint(cr); /* transparency over white paper */
	cairo_destroy(cr);
	cairo_surface_destroy(png);
	int rc = add_surface(ps, s, dpi > 0 ? dpi : fit_a4(w, h), err);
	cairo_surface_destroy(s);
	return rc;
}

/* ---- TIFF ---- */

struct tiff_mem {
	const unsigned char *data;
	size_t n, pos;
	int errors;
};

static tmsize_t tm_read(thandle_t h, void *buf, tmsize_t size)
{
	struct tiff_mem *m = h;
	size_t left = m->pos < m->n ? m->n - m->pos : 0;
	size_t take = (size_t)size < left ? (size_t)size : left;
	memcpy(buf, m->data + m->pos, take);
	m->pos += take;
	return (tmsize_t)take;
}

static tmsize_t tm_write(thandle_t h, void *buf, tmsize_t size)
{
	return -1;
}

static toff_t tm_seek(thandle_t h, toff_t off, int whence)
{
	struct tiff_mem *m = h;
	long long base = whence == SEEK_CUR ? (long long)m->pos : whence == SEEK_END ? (long long)m->n : 0;
	long long to = base + (long long)off;
	if (to < 0)
		return (toff_t)-1;
	m->pos = (size_t)to;
	return (toff_t)to;
}

static int tm_close(thandle_t h)
{
	return 0;
}

static toff_t tm_size(thandle_t h)
{
	return ((struct tiff_mem *)h)->n;
}

static int tm_map(thandle_t h, void **base, toff_t *size)
{
	return 0;
}

static void tm_unmap(thandle_t h, void *base, toff_t size)
{
}

static int tiff_error(TIFF *tif, void *user, const char *module, const char *fmt, va_list ap)
{
	((struct tiff_mem *)user)->errors++;
	return 1;
}

static int tiff_warning(TIFF *tif, void *user, const char *module, const char *fmt, va_list ap)
{
	return 1; /* unknown tags and the like: not our business */
}

static int tiff_dpi(TIFF *tif)
{
	float xres = 0;
	uint16_t unit = RESUNIT_INCH;
	if (!TIFFGetField(tif, TIFFTAG_XRESOLUTION, &xres) || !(xres > 1) || xres > 100000)
		return 0;
	TIFFGetFieldDefaulted(tif, TIFFTAG_RESOLUTIONUNIT, &unit);
	if (unit == RESUNIT_CENTIMETER)
		return (int)(xres * 2.54f + 0.5f);
	if (unit == RESUNIT_INCH)
		return (int)(xres + 0.5f);
	return 0;
}

static int tiff_page(struct pagestore *ps, TIFF *tif, struct tiff_mem *m, const char *path,
		     int index, struct strbuf *err)
{
	uint32_t w = 0, h = 0;
	if (!TIFFGetField(tif, TIFFTAG_IMAGEWIDTH, &w) || !TIFFGetField(tif, TIFFTAG_IMAGELENGTH, &h) ||
	    w == 0 || h == 0) {
		strbuf_addf(err, "trang %d của tệp TIFF %s bị hỏng", index + 1, path);
		return BAD;
	}
	cairo_surface_t *s = white_surface((int)w, (int)h);
	if (!s) {
		strbuf_addf(err, "ảnh %s quá lớn (%u x %u điểm ảnh)", path, w, h);
		return BAD;
	}
	uint32_t *raster = xmalloc((size_t)w * h * sizeof(uint32_t));
	if (!TIFFReadRGBAImageOriented(tif, w, h, raster, ORIENTATION_TOPLEFT, 1) || m->errors) {
		free(raster);
		cairo_surface_destroy(s);
		strbuf_addf(err, "tệp TIFF %s bị hỏng hoặc không đầy đủ (trang %d)", path, index + 1);
		return BAD;
	}
	cairo_surface_flush(s);
	unsigned char *data = cairo_image_surface_get_data(s);
	int stride = cairo_image_surface_get_stride(s);
	for (uint32_t y = 0; y < h; y++) {
		uint32_t *dst = (uint32_t *)(void *)(data + (size_t)y * (size_t)stride);
		for (uint32_t x = 0; x < w; x++) {
			uint32_t p = raster[(size_t)y * w + x];
			unsigned a = TIFFGetA(p);
			/* over white: c * a + 255 * (1 - a), premultiplied by libtiff */
			unsigned r = TIFFGetR(p) + 255 - a, g = TIFFGetG(p) + 255 - a,
				 b = TIFFGetB(p) + 255 - a;
			dst[x] = (r > 255 ? 255 : r) << 16 | (g > 255 ? 255 : g) << 8 | (b > 255 ? 255 : b);
		}
	}
	cairo_surface_mark_dirty(s);
	free(raster);
	int dpi = tiff_dpi(tif);
	int rc = add_surface(ps, s, dpi > 0 ? dpi : fit_a4((int)w, (int)h), err);
	cairo_surface_destroy(s);
	return rc;
}

static int import_tiff(struct pagestore *ps, const char *path, const unsigned char *data,
		       size_t n, struct strbuf *err)
{
	struct tiff_mem m = { data, n, 0, 0 };
	TIFFOpenOptions *o = TIFFOpenOptionsAlloc();
	TIFFOpenOptionsSetErrorHandlerExtR(o, tiff_error, &m);
	TIFFOpenOptionsSetWarningHandlerExtR(o, tiff_warning, &m);
	TIFF *tif = TIFFClientOpenExt(path, "rm", &m, tm_read, tm_write, tm_seek, tm_close, tm_size,
				      tm_map, tm_unmap, o);
	TIFFOpenOptionsFree(o);
	if (!tif) {
		strbuf_addf(err, "tệp TIFF %s bị hỏng hoặc không đầy đủ", path);
		return BAD;
	}
	int rc = OK, index = 0;
	do {
		rc = tiff_page(ps, tif, &m, path, index++, err);
	} while (rc == OK && TIFFReadDirectory(tif));
	if (rc == OK && m.errors) {
		strbuf_addf(err, "tệp TIFF %s bị hỏng hoặc không đầy đủ", path);
		rc = BAD;
	}
	TIFFClose(tif);
	return rc;
}

/* ---- PDF ---- */

static void quiet_log(const gchar *domain, GLogLevelFlags level, const gchar *msg, gpointer data)
{
	(void)domain;
	(void)level;
	(void)msg;
	(void)data;
}

static int import_pdf(struct pagestore *ps, const char *path, const unsigned char *data, size_t n,
		      int dpi, struct strbuf *err)
{
	GError *gerr = NULL;
	/* poppler reports the damage it repairs through GLib's log: the
	 * clerk's terminal is not the place for it */
	guint handler = g_log_set_handler("Poppler", G_LOG_LEVEL_MASK, quiet_log, NULL);
	GBytes *bytes = g_bytes_new_static(data, n);
	PopplerDocument *doc = poppler_document_new_from_bytes(bytes, NULL, &gerr);
	int rc = OK;

	if (!doc) {
		if (gerr && gerr->domain == POPPLER_ERROR && gerr->code == POPPLER_ERROR_ENCRYPTED)
			strbuf_addf(err, "tệp PDF %s có mật khẩu: hãy mở khóa rồi nhập lại", path);
		else
			strbuf_addf(err, "tệp PDF %s bị hỏng hoặc không đầy đủ", path);
		g_clear_error(&gerr);
		rc = BAD;
	} else {
		int pages = poppler_document_get_n_pages(doc);
		if (pages <= 0) {
			strbuf_addf(err, "tệp PDF %s bị hỏng hoặc không đầy đủ (không đọc được trang nào)",
				    path);
			rc = BAD;
		}
		for (int i = 0; i < pages && rc == OK; i++) {
			PopplerPage *page = poppler_document_get_page(doc, i);
			double wpt = 0, hpt = 0;
			if (page)
				poppler_page_get_size(page, &wpt, &hpt);
			int w = (int)ceil(wpt * dpi / 72.0), h = (int)ceil(hpt * dpi / 72.0);
			cairo_surface_t *s = page ? white_surface(w, h) : NULL;
			if (!s) {
				strbuf_addf(err, "không đọc được trang %d của tệp PDF %s", i + 1, path);
				rc = BAD;
			} else {
				cairo_t *cr = cairo_create(s);
				cairo_scale(cr, dpi / 72.0, dpi / 72.0);
				poppler_page_render_for_printing(page, cr);
				cairo_destroy(cr);
				rc = add_surface(ps, s, dpi, err);
				cairo_surface_destroy(s);
			}
			if (page)
				g_object_unref(page);
		}
		g_object_unref(doc);
	}
	g_bytes_unref(bytes);
	g_log_remove_handler("Poppler", handler);
	return rc;
}

int fileimport_file(struct pagestore *ps, const char *path, int pdf_dpi, size_t *added,
		    struct strbuf *err)
{
	unsigned char *data;
	size_t n;
	size_t before = ps->n;
	int rc;

	if (added)
		*added = 0;
	if (read_file(path, &data, &n, err))
		return BAD;
	switch (fileimport_sniff(data, n)) {
	case IMPORT_JPEG:
		rc = import_jpeg(ps, path, data, n, err);
		break;
	case IMPORT_PNG:
		rc = import_png(ps, path, data, n, err);
		break;
	case IMPORT_TIFF:
		rc = import_tiff(ps, path, data, n, err);
		break;
	case IMPORT_PDF:
		rc = import_pdf(ps, path, data, n, pdf_dpi > 0 ? pdf_dpi : FILEIMPORT_PDF_DPI, err);
		break;
	default: {
		const char *name = base_name(path);
		if (ends_with_ci(name, ".pdf"))
			strbuf_addf(err, "tệp %s không phải là PDF (tên có đuôi .pdf nhưng nội dung thì không)",
				    path);
		else if (ends_with_ci(name, ".jpg") || ends_with_ci(name, ".jpeg") ||
			 ends_with_ci(name, ".png") || ends_with_ci(name, ".tif") ||
			 ends_with_ci(name, ".tiff"))
			strbuf_addf(err, "tệp %s không phải là ảnh (nội dung không khớp với đuôi tên tệp)",
				    path);
		else
			strbuf_addf(err, "tệp %s không phải là PDF, JPEG, PNG hay TIFF", path);
		rc = BAD;
	}
	}
	free(data);
	if (rc != OK) {
		struct strbuf ignored = STRBUF_INIT;
		pagestore_truncate(ps, before, &ignored);
		strbuf_release(&ignored);
		return rc;
	}
	if (added)
		*added = ps->n - before;
	return OK;
}
