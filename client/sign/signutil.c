/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared helpers of client/sign/; see signutil.h. */
#include "client/sign/signutil.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <zlib.h>

#include "client/base/clock.h"
#include "client/base/exitcode.h"
#include "client/base/files.h"
#include "client/base/sealed.h"
/* last: they rename the library functions above (client/base/lazylib.h) */
#include "client/base/lazy_crypto.h"

#define INFLATE_MAX (256UL * 1024 * 1024)

int signutil_read(const char *path, unsigned char **buf, size_t *len, struct strbuf *err)
{
	*buf = NULL;
	*len = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		if (e == ENOENT || e == ENOTDIR || e == ENAMETOOLONG) {
			strbuf_addf(err, "không mở được tệp %s: không có tệp này", path);
			return MC_EXIT_BADINPUT;
		}
		strbuf_addf(err, "không mở được tệp %s: %s", path, files_errno_vn(e));
		return MC_EXIT_FAULT;
	}
	struct stat st;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		strbuf_addf(err, "%s không phải một tệp", path);
		return MC_EXIT_BADINPUT;
	}
	if (st.st_size > SIGN_MAX_FILE) {
		close(fd);
		strbuf_addf(err, "tệp %s quá lớn (hơn 1 GB)", path);
		return MC_EXIT_BADINPUT;
	}
	if (sealed_is_sealed(path)) { /* a paper of an encrypted store: its plaintext */
		close(fd);
		if ((fd = sealed_open(path, NULL, err)) < 0)
			return MC_EXIT_FAULT;
		if (fstat(fd, &st)) {
			int e = errno;
			close(fd);
			strbuf_addf(err, "không đọc được tệp %s: %s", path, files_errno_vn(e));
			return MC_EXIT_FAULT;
		}
	}
	size_t n = (size_t)st.st_size, got = 0;
	unsigned char *b = xmalloc(n + 1);
	while (got < n) {
		ssize_t r = read(fd, b + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			int e = r < 0 ? errno : EIO;
			close(fd);
			free(b);
			strbuf_addf(err, "không đọc được tệp %s: %s", path, files_errno_vn(e));
			return MC_EXIT_FAULT;
		}
		got += (size_t)r;
	}
	close(fd);
	b[n] = 0;
	*buf = b;
	*len = n;
	return MC_EXIT_OK;
}

int signutil_write(const char *path, const unsigned char *buf, size_t len, struct strbuf *err)
{
	if (sealed_wanted(path)) { /* into an encrypted store's folder: sealed */
		if (sealed_write_file(path, buf, len)) {
			strbuf_addf(err, "không ghi được tệp %s: %s", path, files_errno_vn(errno));
			return MC_EXIT_FAULT;
		}
		return MC_EXIT_OK;
	}
	return files_write_atomic(path, buf, len, 0644, err) ? MC_EXIT_FAULT : MC_EXIT_OK;
}

int signutil_inflate(const unsigned char *in, size_t n, struct strbuf *out, struct strbuf *err)
{
	z_stream z;
	memset(&z, 0, sizeof(z));
	if (inflateInit(&z) != Z_OK) {
		strbuf_addstr(err, "không khởi động được zlib");
		return -1;
	}
	z.next_in = (Bytef *)in;
	z.avail_in = (uInt)n;
	unsigned char chunk[65536];
	int zr;
	do {
		z.next_out = chunk;
		z.avail_out = sizeof(chunk);
		zr = inflate(&z, Z_NO_FLUSH);
		if (zr != Z_OK && zr != Z_STREAM_END && zr != Z_BUF_ERROR)
			break;
		strbuf_add(out, chunk, sizeof(chunk) - z.avail_out);
		if (out->len > INFLATE_MAX) {
			zr = Z_MEM_ERROR;
			break;
		}
		if (zr == Z_BUF_ERROR && z.avail_in == 0)
			break; /* truncated data: keep what came out, as readers do */
	} while (zr != Z_STREAM_END);
	inflateEnd(&z);
	if (zr != Z_STREAM_END && zr != Z_BUF_ERROR) {
		strbuf_addstr(err, "luồng nén (FlateDecode) trong tệp PDF bị hỏng");
		return -1;
	}
	return 0;
}

int signutil_now(time_t *t, struct strbuf *err)
{
	if (!clock_is_fixed()) {
		*t = time(NULL);
		return 0;
	}
	struct mc_dt now;
	if (clock_now(&now)) {
		strbuf_addstr(err, "MOTCUA_NOW không hợp lệ (cần dạng YYYY-MM-DDTHH:MM)");
		return -1;
	}
	struct tm tm;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = now.y - 1900;
	tm.tm_mon = now.m - 1;
	tm.tm_mday = now.d;
	tm.tm_hour = now.hh;
	tm.tm_min = now.mi;
	tm.tm_isdst = -1;
	*t = mktime(&tm);
	return 0;
}

char *signutil_name(const X509_NAME *n)
{
	BIO *b = BIO_new(BIO_s_mem());
	X509_NAME_print_ex(b, n, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
	char *p;
	long len = BIO_get_mem_data(b, &p);
	char *s = xstrndup(p, len > 0 ? (size_t)len : 0);
	BIO_free(b);
	return s;
}

char *signutil_cn(X509 *x)
{
	const X509_NAME *n = X509_get_subject_name(x);
	int i = X509_NAME_get_index_by_NID(n, NID_commonName, -1);
	if (i >= 0) {
		ASN1_STRING *d = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(n, i));
		unsigned char *u = NULL;
		int len = ASN1_STRING_to_UTF8(&u, d);
		if (len >= 0) {
			char *s = xstrndup((const char *)u, (size_t)len);
			OPENSSL_free(u);
			return s;
		}
	}
	return signutil_name(n);
}

void signutil_iso_local(time_t t, char *buf, size_t n)
{
	struct tm tm;
	localtime_r(&t, &tm);
	int off = (int)(tm.tm_gmtoff / 60 % (24 * 60));
	char sign = off < 0 ? '-' : '+';
	if (off < 0)
		off = -off;
	snprintf(buf, n, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", (tm.tm_year + 1900) % 10000,
		 (tm.tm_mon + 1) % 100, tm.tm_mday % 100, tm.tm_hour % 100, tm.tm_min % 100, tm.tm_sec % 100,
		 sign, off / 60, off % 60);
}
