/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What signing and verifying share inside client/sign/: the file read whole
 * and written atomically, the inflate core/pdfdoc.h asks for, the clock in
 * seconds, names of certificates. */
#ifndef MC_SIGN_SIGNUTIL_H
#define MC_SIGN_SIGNUTIL_H
#include <stddef.h>
#include <time.h>

#include <openssl/x509.h>

#include "core/xalloc.h"

/* The largest PDF signed or checked. */
#define SIGN_MAX_FILE (1024L * 1024 * 1024)

/* A whole file, malloc'd: its plaintext when it is sealed (a paper of an
 * encrypted store, client/base/sealed.h). MC_EXIT_BADINPUT when it is not
 * there (or too large), MC_EXIT_FAULT when it cannot be read. */
int signutil_read(const char *path, unsigned char **buf, size_t *len, struct strbuf *err);
/* buf into path through path.tmp, fsync'd and renamed; sealed when path is
 * in an encrypted store's sealed folder. MC_EXIT_FAULT. */
int signutil_write(const char *path, const unsigned char *buf, size_t len, struct strbuf *err);
/* zlib inflate, at most 256 MB out (a pdf_inflate_fn). */
int signutil_inflate(const unsigned char *in, size_t n, struct strbuf *out, struct strbuf *err);
/* Now: MOTCUA_NOW when it fixes the clock (whole minutes), else the system
 * clock. -1 with err when MOTCUA_NOW is malformed. */
int signutil_now(time_t *t, struct strbuf *err);
/* The common name of a certificate's subject (UTF-8), else the whole
 * subject; malloc'd. */
char *signutil_cn(X509 *x);
/* A name as RFC 2253 text, UTF-8 kept (malloc'd). */
char *signutil_name(const X509_NAME *n);
/* t as "YYYY-MM-DDTHH:MM:SS+HH:MM" in local time (buf >= 32). */
void signutil_iso_local(time_t t, char *buf, size_t n);

#endif
