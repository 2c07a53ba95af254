/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gzip (RFC 1952) in memory, for HTTP bodies both ways: the client's push
 * bodies (Content-Encoding: gzip) and the server's answers to a client that
 * accepts gzip. zlib, no I/O.
 *
 *	struct strbuf z = STRBUF_INIT;
 *	mc_gzip(text, strlen(text), &z);
 *	struct strbuf back = STRBUF_INIT;
 *	switch (mc_gunzip(z.buf, z.len, 4u << 20, &back)) { ... }
 */
#ifndef MC_GZIP_H
#define MC_GZIP_H
#include <stdbool.h>
#include <stddef.h>

#include "core/xalloc.h"

/* Appends the gzip stream of n bytes of in to out. */
void mc_gzip(const void *in, size_t n, struct strbuf *out);

enum mc_gunzip_rc {
	MC_GUNZIP_OK = 0,
	MC_GUNZIP_BAD = -1,      /* not a complete gzip stream */
	MC_GUNZIP_TOO_LARGE = 1  /* it would inflate beyond max bytes */
};

/* Appends the bytes the gzip stream in (n bytes; several members
 * concatenated are one stream) inflates to, at most max of them: inflating
 * stops as soon as max would be passed, so a small stream that inflates to
 * gigabytes costs max bytes of memory, not more. */
enum mc_gunzip_rc mc_gunzip(const void *in, size_t n, size_t max, struct strbuf *out);

/* Whether an Accept-Encoding value (RFC 9110) accepts gzip: "gzip" or "*"
 * listed without q=0. */
bool mc_accepts_gzip(const char *accept_encoding);

#endif
