/* SPDX-License-Identifier: GPL-3.0-or-later */
/* CCITT G4 through libtiff, in memory; see g4.h. */
#include "client/scan/g4.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tiffio.h>

#include "core/xalloc.h"
/* last: they rename the library functions above (client/base/lazylib.h) */
#include "client/base/lazy_tiff.h"

/* A TIFF file in memory, written then read back. */
struct mem {
	unsigned char *buf;
	size_t len, alloc, pos;
	int errors;
};

static tmsize_t m_read(thandle_t h, void *p, tmsize_t size)
{
	struct mem *m = h;
	size_t left = m->pos < m->len ? m->len - m->pos : 0;
	size_t take = (size_t)size < left ? (size_t)size : left;
	memcpy(p, m->buf + m->pos, take);
	m->pos += take;
	return (tmsize_t)take;
}

static tmsize_t m_write(thandle_t h, void *p, tmsize_t size)
{
	struct mem *m = h;
	size_t end = m->pos + (size_t)size;
	if (end > m->alloc) {
		m->alloc = end < 65536 ? 65536 : end * 2;
		m->buf = xrealloc(m->buf, m->alloc);
	}
	if (m->pos > m->len) /* a seek past the end: zeros in between */
		memset(m->buf + m->len, 0, m->pos - m->len);
	memcpy(m->buf + m->pos, p, (size_t)size);
	m->pos = end;
	if (end > m->len)
		m->len = end;
	return size;
}

static toff_t m_seek(thandle_t h, toff_t off, int whence)
{
	struct mem *m = h;
	long long base = whence == SEEK_CUR ? (long long)m->pos
			 : whence == SEEK_END ? (long long)m->len : 0;
	long long to = base + (long long)off;
	if (to < 0)
		return (toff_t)-1;
	m->pos = (size_t)to;
	return (toff_t)to;
}

static int m_close(thandle_t h)
{
	return 0;
}

static toff_t m_size(thandle_t h)
{
	return ((struct mem *)h)->len;
}

static int m_map(thandle_t h, void **base, toff_t *size)
{
	return 0;
}

static void m_unmap(thandle_t h, void *base, toff_t size)
{
}

/* libtiff would print to stderr, which belongs to curses or the CLI's JSON. */
static int m_error(TIFF *tif, void *user, const char *module, const char *fmt, va_list ap)
{
	((struct mem *)user)->errors++;
	return 1;
}

static int m_warning(TIFF *tif, void *user, const char *module, const char *fmt, va_list ap)
{
	return 1;
}

static TIFF *open_mem(struct mem *m, const char *mode)
{
	TIFFOpenOptions *o = TIFFOpenOptionsAlloc();
	TIFFOpenOptionsSetErrorHandlerExtR(o, m_error, m);
	TIFFOpenOptionsSetWarningHandlerExtR(o, m_warning, m);
	TIFF *tif = TIFFClientOpenExt("g4", mode, m, m_read, m_write, m_seek, m_close, m_size,
				      m_map, m_unmap, o);
	TIFFOpenOptionsFree(o);
	return tif;
}

/* img as one strip of a TIFF compressed with compression; its data out of
 * the strip (malloc'd). */
static int encode(const struct page_image *img, int compression, unsigned char **out, size_t *n)
{
	struct mem m = { 0 };
	*out = NULL;
	*n = 0;
	if (img->kind != PAGE_LINEART || img->width <= 0 || img->height <= 0)
		return -1;
	TIFF *tif = open_mem(&m, "w");
	if (!tif) {
		free(m.buf);
		return -1;
	}
	/* one strip: the whole page is one stream, as PDF wants it */
	TIFFSetField(tif, TIFFTAG_IMAGEWIDTH, (uint32_t)img->width);
	TIFFSetField(tif, TIFFTAG_IMAGELENGTH, (uint32_t)img->height);
	TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE, 1);
	TIFFSetField(tif, TIFFTAG_SAMPLESPERPIXEL, 1);
	TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISWHITE); /* 1 = black */
	TIFFSetField(tif, TIFFTAG_FILLORDER, FILLORDER_MSB2LSB);
	TIFFSetField(tif, TIFFTAG_COMPRESSION, compression);
	TIFFSetField(tif, TIFFTAG_ROWSPERSTRIP, (uint32_t)img->height);
	int ok = 1;
	for (int y = 0; ok && y < img->height; y++) {
		unsigned char *row = img->data + (size_t)y * img->stride;
		ok = TIFFWriteScanline(tif, row, (uint32_t)y, 0) == 1;
	}
	ok = ok && TIFFWriteDirectory(tif);
	TIFFClose(tif);
	if (!ok || m.errors) {
		free(m.buf);
		return -1;
	}
	m.pos = 0;
	tif = open_mem(&m, "rm");
	unsigned char *g4 = NULL;
	tmsize_t size = tif ? TIFFRawStripSize(tif, 0) : -1;
	if (size > 0) {
		g4 = xmalloc((size_t)size);
		if (TIFFReadRawStrip(tif, 0, g4, size) != size)
			size = -1;
	}
	if (tif)
		TIFFClose(tif);
	free(m.buf);
	if (size <= 0 || m.errors) {
		free(g4);
		return -1;
	}
	*out = g4;
	*n = (size_t)size;
	return 0;
}

int g4_encode(const struct page_image *img, unsigned char **out, size_t *n)
{
	return encode(img, COMPRESSION_CCITTFAX4, out, n);
}

int g4_flate_size(const struct page_image *img, size_t *n)
{
	unsigned char *data;
	if (encode(img, COMPRESSION_ADOBE_DEFLATE, &data, n))
		return -1;
	free(data);
	return 0;
}

char *g4_pdf_params(int width, int height)
{
	return xasprintf("Columns=%d Rows=%d K=-1 BlackIs1=true", width, height);
}
