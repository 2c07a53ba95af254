/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "core/gzip.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <zlib.h>

#define GZIP_WINDOW (15 + 16) /* zlib: a gzip header and trailer */
#define CHUNK 16384

void mc_gzip(const void *in, size_t n, struct strbuf *out)
{
	z_stream z;
	memset(&z, 0, sizeof(z));
	if (deflateInit2(&z, 6, Z_DEFLATED, GZIP_WINDOW, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		abort(); /* out of memory */
	z.next_in = (Bytef *)(uintptr_t)in;
	int rc;
	unsigned char buf[CHUNK];
	do {
		/* zlib's avail_in is 32 bits: feed a larger input in pieces */
		size_t left = n - (size_t)((const unsigned char *)z.next_in - (const unsigned char *)in);
		z.avail_in = left > (1u << 30) ? 1u << 30 : (uInt)left;
		int flush = left > (1u << 30) ? Z_NO_FLUSH : Z_FINISH;
		do {
			z.next_out = buf;
			z.avail_out = sizeof(buf);
			rc = deflate(&z, flush);
			if (rc == Z_STREAM_ERROR)
				abort();
			strbuf_add(out, buf, sizeof(buf) - z.avail_out);
		} while (z.avail_out == 0);
	} while (rc != Z_STREAM_END);
	deflateEnd(&z);
}

enum mc_gunzip_rc mc_gunzip(const void *in, size_t n, size_t max, struct strbuf *out)
{
	z_stream z;
	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, GZIP_WINDOW) != Z_OK)
		abort();
	const unsigned char *p = in, *end = p + n;
	size_t total = 0;
	enum mc_gunzip_rc result = MC_GUNZIP_BAD;
	unsigned char buf[CHUNK];
	int rc = Z_OK;
	while (p < end) {
		size_t left = (size_t)(end - p);
		z.next_in = (Bytef *)(uintptr_t)p;
		z.avail_in = left > (1u << 30) ? 1u << 30 : (uInt)left;
		z.next_out = buf;
		z.avail_out = sizeof(buf);
		rc = inflate(&z, Z_NO_FLUSH);
		p = z.next_in;
		size_t got = sizeof(buf) - z.avail_out;
		if (rc != Z_OK && rc != Z_STREAM_END && !(rc == Z_BUF_ERROR && got))
			goto out;
		if (got > max - total) {
			result = MC_GUNZIP_TOO_LARGE;
			goto out;
		}
		strbuf_add(out, buf, got);
		total += got;
		if (rc == Z_STREAM_END) {
			if (p == end)
				break;
			if (inflateReset(&z) != Z_OK) /* a next member */
				goto out;
		}
	}
	/* input consumed: what zlib still holds comes out with empty input */
	while (rc != Z_STREAM_END) {
		z.next_in = NULL;
		z.avail_in = 0;
		z.next_out = buf;
		z.avail_out = sizeof(buf);
		rc = inflate(&z, Z_NO_FLUSH);
		size_t got = sizeof(buf) - z.avail_out;
		if (got > max - total) {
			result = MC_GUNZIP_TOO_LARGE;
			goto out;
		}
		strbuf_add(out, buf, got);
		total += got;
		if (rc != Z_OK && rc != Z_STREAM_END)
			goto out; /* truncated */
		if (rc == Z_OK && !got)
			goto out;
	}
	result = MC_GUNZIP_OK;
out:
	inflateEnd(&z);
	return result;
}

bool mc_accepts_gzip(const char *v)
{
	if (!v)
		return false;
	const char *p = v;
	while (*p) {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		const char *tok = p;
		while (*p && *p != ',' && *p != ';' && *p != ' ' && *p != '\t')
			p++;
		size_t len = (size_t)(p - tok);
		bool name = (len == 4 && !strncasecmp(tok, "gzip", 4)) ||
			    (len == 6 && !strncasecmp(tok, "x-gzip", 6)) || (len == 1 && *tok == '*');
		bool zero = false;
		while (*p && *p != ',') {
			/* parameters: only q matters */
			while (*p == ' ' || *p == '\t' || *p == ';')
				p++;
			if ((*p == 'q' || *p == 'Q') && p[1] == '=') {
				double q = strtod(p + 2, NULL);
				zero = q <= 0.0;
			}
			while (*p && *p != ',' && *p != ';')
				p++;
		}
		if (name && len)
			return !zero;
	}
	return false;
}
