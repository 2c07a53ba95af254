/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Sealed files: see sealed.h and docs/security.md. */
#include "client/base/sealed.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "client/base/files.h"

#define HEADER_BYTES (sizeof(SEALED_MAGIC) - 1 + crypto_secretstream_xchacha20poly1305_HEADERBYTES)
#define ABYTES crypto_secretstream_xchacha20poly1305_ABYTES
#define MAX_STORES 8

/* The sealed folders of the stores unlocked in this process. */
static struct {
	char *folder; /* realpath of the store's folder */
	unsigned char key[SEALED_KEYBYTES];
} stores[MAX_STORES];
static pthread_mutex_t stores_lock = PTHREAD_MUTEX_INITIALIZER;

static const char *const sealed_dirs[] = { "documents", "scans", "receipts", "ocr" };

/* realpath of the folder of path; NULL when it does not resolve. */
static char *folder_of(const char *path)
{
	char *copy = xstrdup(path);
	char *real = realpath(dirname(copy), NULL);
	free(copy);
	return real;
}

int sealed_register(const char *db_path, const unsigned char key[SEALED_KEYBYTES])
{
	char *folder = folder_of(db_path);
	if (!folder)
		return -1;
	pthread_mutex_lock(&stores_lock);
	int slot = -1;
	for (int i = 0; i < MAX_STORES; i++) {
		if (stores[i].folder && !strcmp(stores[i].folder, folder)) {
			slot = i;
			break;
		}
		if (!stores[i].folder && slot < 0)
			slot = i;
	}
	if (slot >= 0) {
		free(stores[slot].folder);
		stores[slot].folder = folder;
		memcpy(stores[slot].key, key, SEALED_KEYBYTES);
	}
	pthread_mutex_unlock(&stores_lock);
	if (slot < 0) {
		free(folder);
		return -1;
	}
	return 0;
}

void sealed_forget(const char *db_path)
{
	char *folder = folder_of(db_path);
	if (!folder)
		return;
	pthread_mutex_lock(&stores_lock);
	for (int i = 0; i < MAX_STORES; i++) {
		if (stores[i].folder && !strcmp(stores[i].folder, folder)) {
			FREE(&stores[i].folder);
			sodium_memzero(stores[i].key, SEALED_KEYBYTES);
		}
	}
	pthread_mutex_unlock(&stores_lock);
	free(folder);
}

/* Whether dir (a realpath) is inside one of folder's sealed folders. */
static bool inside(const char *dir, const char *folder)
{
	size_t n = strlen(folder);
	if (strncmp(dir, folder, n) || dir[n] != '/')
		return false;
	for (size_t i = 0; i < sizeof(sealed_dirs) / sizeof(sealed_dirs[0]); i++) {
		size_t m = strlen(sealed_dirs[i]);
		if (!strncmp(dir + n + 1, sealed_dirs[i], m) &&
		    (dir[n + 1 + m] == '\0' || dir[n + 1 + m] == '/'))
			return true;
	}
	return false;
}

/* The key of the files at path into key; false when path is not sealed. */
static bool key_for(const char *path, unsigned char key[SEALED_KEYBYTES])
{
	char *dir = folder_of(path);
	if (!dir)
		return false;
	bool found = false;
	pthread_mutex_lock(&stores_lock);
	for (int i = 0; i < MAX_STORES && !found; i++) {
		if (stores[i].folder && inside(dir, stores[i].folder)) {
			memcpy(key, stores[i].key, SEALED_KEYBYTES);
			found = true;
		}
	}
	pthread_mutex_unlock(&stores_lock);
	free(dir);
	return found;
}

bool sealed_wanted(const char *path)
{
	unsigned char key[SEALED_KEYBYTES];
	bool found = key_for(path, key);
	sodium_memzero(key, sizeof(key));
	return found;
}

/* ---- writing ---- */

static int write_all(int fd, const unsigned char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (w == 0)
				errno = ENOSPC;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int fail(struct sealed_out *o, int e)
{
	if (!o->error)
		o->error = e;
	errno = o->error;
	return -1;
}

int sealed_out_open(struct sealed_out *o, const char *path)
{
	memset(o, 0, sizeof(*o));
	unsigned char key[SEALED_KEYBYTES];
	o->sealed = key_for(path, key);
	o->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (o->fd < 0) {
		int e = errno;
		sodium_memzero(key, sizeof(key));
		errno = e;
		return -1;
	}
	flock(o->fd, LOCK_EX | LOCK_NB); /* a writer's file: files_sweep_stale leaves it */
	if (o->sealed) {
		unsigned char head[HEADER_BYTES];
		memcpy(head, SEALED_MAGIC, sizeof(SEALED_MAGIC) - 1);
		crypto_secretstream_xchacha20poly1305_init_push(&o->state,
								head + sizeof(SEALED_MAGIC) - 1, key);
		o->buf = xmalloc(SEALED_CHUNK);
		if (write_all(o->fd, head, sizeof(head)))
			fail(o, errno);
	}
	sodium_memzero(key, sizeof(key));
	if (o->error) {
		int e = o->error;
		sealed_out_abort(o);
		errno = e;
		return -1;
	}
	return 0;
}

static int push(struct sealed_out *o, unsigned char tag)
{
	unsigned char *c = xmalloc(o->n + ABYTES);
	unsigned long long clen = 0;
	crypto_secretstream_xchacha20poly1305_push(&o->state, c, &clen, o->buf, o->n, NULL, 0, tag);
	sodium_memzero(o->buf, o->n);
	o->n = 0;
	int rc = write_all(o->fd, c, (size_t)clen);
	int e = errno;
	free(c);
	return rc ? fail(o, e) : 0;
}

int sealed_out_write(struct sealed_out *o, const void *data, size_t n)
{
	if (o->error)
		return fail(o, o->error);
	o->plain_bytes += n;
	if (!o->sealed)
		return write_all(o->fd, data, n) ? fail(o, errno) : 0;
	const unsigned char *p = data;
	while (n > 0) {
		if (o->n == SEALED_CHUNK && push(o, crypto_secretstream_xchacha20poly1305_TAG_MESSAGE))
			return -1;
		size_t k = SEALED_CHUNK - o->n < n ? SEALED_CHUNK - o->n : n;
		memcpy(o->buf + o->n, p, k);
		o->n += k;
		p += k;
		n -= k;
	}
	return 0;
}

int sealed_out_close(struct sealed_out *o)
{
	if (!o->error && o->sealed)
		push(o, crypto_secretstream_xchacha20poly1305_TAG_FINAL);
	if (!o->error && fsync(o->fd))
		fail(o, errno);
	if (close(o->fd) && !o->error)
		fail(o, errno);
	o->fd = -1;
	int e = o->error;
	sealed_out_abort(o);
	if (e) {
		errno = e;
		return -1;
	}
	return 0;
}

void sealed_out_abort(struct sealed_out *o)
{
	if (o->fd >= 0)
		close(o->fd);
	o->fd = -1;
	if (o->buf) {
		sodium_memzero(o->buf, SEALED_CHUNK);
		FREE(&o->buf);
	}
	sodium_memzero(&o->state, sizeof(o->state));
}

int sealed_write_file(const char *path, const void *data, size_t n)
{
	char *tmp = xasprintf("%s.tmp", path);
	struct sealed_out o;
	int e = 0;
	if (sealed_out_open(&o, tmp)) {
		e = errno;
	} else {
		if (sealed_out_write(&o, data, n))
			e = errno;
		if (sealed_out_close(&o) && !e)
			e = errno;
		if (!e && rename(tmp, path))
			e = errno;
		if (!e && files_sync_dir(path))
			e = errno;
		if (e)
			unlink(tmp);
	}
	free(tmp);
	errno = e;
	return e ? -1 : 0;
}

/* ---- reading ---- */

static ssize_t read_full(int fd, void *buf, size_t n)
{
	size_t got = 0;
	while (got < n) {
		ssize_t r = read(fd, (char *)buf + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

static bool fd_is_sealed(int fd)
{
	char head[sizeof(SEALED_MAGIC) - 1];
	return pread(fd, head, sizeof(head), 0) == (ssize_t)sizeof(head) &&
	       !memcmp(head, SEALED_MAGIC, sizeof(head));
}

bool sealed_is_sealed(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	bool s = fd_is_sealed(fd);
	close(fd);
	return s;
}

long long sealed_plain_size(int fd)
{
	struct stat sb;
	if (fstat(fd, &sb))
		return -1;
	long long size = (long long)sb.st_size;
	if (!fd_is_sealed(fd))
		return size;
	long long body = size - (long long)HEADER_BYTES;
	if (body < (long long)ABYTES)
		return 0;
	long long chunks = (body + SEALED_CHUNK + ABYTES - 1) / (SEALED_CHUNK + ABYTES);
	return body - chunks * (long long)ABYTES;
}

/* Decrypts the sealed file fd into out (a memory file). 0, or -1 with a
 * reason in *why (a static string). */
static int unseal(int fd, const unsigned char key[SEALED_KEYBYTES], int out, const char **why)
{
	unsigned char head[HEADER_BYTES];
	crypto_secretstream_xchacha20poly1305_state st;
	if (read_full(fd, head, sizeof(head)) != (ssize_t)sizeof(head)) {
		*why = "tệp bị cắt ngắn";
		return -1;
	}
	if (crypto_secretstream_xchacha20poly1305_init_pull(&st, head + sizeof(SEALED_MAGIC) - 1,
							     key)) {
		*why = "phần đầu tệp mã hóa bị hỏng";
		return -1;
	}
	unsigned char *c = xmalloc(SEALED_CHUNK + ABYTES), *m = xmalloc(SEALED_CHUNK);
	int rc = -1;
	bool final = false;
	*why = "tệp bị cắt ngắn";
	for (;;) {
		ssize_t n = read_full(fd, c, SEALED_CHUNK + ABYTES);
		if (n < 0) {
			*why = "lỗi đọc/ghi ổ đĩa";
			break;
		}
		if (n == 0) {
			if (final)
				rc = 0;
			break;
		}
		if (final) {
			*why = "tệp có dữ liệu thừa sau phần cuối";
			break;
		}
		unsigned long long mlen = 0;
		unsigned char tag = 0;
		if (crypto_secretstream_xchacha20poly1305_pull(&st, m, &mlen, &tag, c, (size_t)n,
							       NULL, 0)) {
			*why = (size_t)n < ABYTES ? "tệp bị cắt ngắn"
				: "tệp đã bị sửa hoặc hỏng, hoặc không thuộc kho dữ liệu này";
			break;
		}
		if (write_all(out, m, (size_t)mlen)) {
			*why = files_errno_vn(errno);
			break;
		}
		final = tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL;
		if (!final && (size_t)n != SEALED_CHUNK + ABYTES)
			break; /* a short chunk that is not the last: cut */
	}
	sodium_memzero(m, SEALED_CHUNK);
	sodium_memzero(&st, sizeof(st));
	free(c);
	free(m);
	return rc;
}

int sealed_open(const char *path, int *e, struct strbuf *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (e)
			*e = errno;
		strbuf_addf(err, "không đọc được %s: %s", path, files_errno_vn(errno));
		return -1;
	}
	if (!fd_is_sealed(fd)) {
		lseek(fd, 0, SEEK_SET);
		return fd;
	}
	unsigned char key[SEALED_KEYBYTES];
	if (!key_for(path, key)) {
		close(fd);
		if (e)
			*e = EACCES;
		strbuf_addf(err, "tệp %s đã được mã hóa: cần mở kho dữ liệu bằng mật khẩu của cán bộ"
			    " trước", path);
		return -1;
	}
	int out = memfd_create("motcua-plain", MFD_CLOEXEC);
	const char *why = NULL;
	int rc = out < 0 ? -1 : unseal(fd, key, out, &why);
	int saved = errno;
	sodium_memzero(key, sizeof(key));
	close(fd);
	if (out < 0) {
		if (e)
			*e = saved;
		strbuf_addf(err, "không giải mã được %s: %s", path, files_errno_vn(saved));
		return -1;
	}
	if (rc) {
		close(out);
		if (e)
			*e = EIO;
		strbuf_addf(err, "không giải mã được %s: %s", path, why);
		return -1;
	}
	lseek(out, 0, SEEK_SET);
	return out;
}

int sealed_read_all(const char *path, unsigned char **data, size_t *n, struct strbuf *err)
{
	*data = NULL;
	*n = 0;
	int fd = sealed_open(path, NULL, err);
	if (fd < 0)
		return -1;
	struct stat sb;
	if (fstat(fd, &sb)) {
		strbuf_addf(err, "không đọc được %s: %s", path, files_errno_vn(errno));
		close(fd);
		return -1;
	}
	size_t len = (size_t)sb.st_size;
	unsigned char *buf = xmalloc(len + 1);
	ssize_t got = read_full(fd, buf, len);
	close(fd);
	if (got != (ssize_t)len) {
		strbuf_addf(err, "không đọc được %s: tệp bị cắt ngắn", path);
		free(buf);
		return -1;
	}
	buf[len] = '\0';
	*data = buf;
	*n = len;
	return 0;
}

/* Overwrites the whole of fd with zeros, then syncs it (best effort). */
static void wipe(int fd)
{
	struct stat sb;
	if (fstat(fd, &sb))
		return;
	static const unsigned char zeros[65536];
	off_t left = sb.st_size, at = 0;
	while (left > 0) {
		size_t k = left > (off_t)sizeof(zeros) ? sizeof(zeros) : (size_t)left;
		ssize_t w = pwrite(fd, zeros, k, at);
		if (w <= 0)
			break;
		at += w;
		left -= w;
	}
	fdatasync(fd);
}

int sealed_seal_in_place(const char *path, struct strbuf *err)
{
	if (!sealed_wanted(path) || sealed_is_sealed(path))
		return 0;
	int old = open(path, O_RDWR | O_CLOEXEC);
	if (old < 0) {
		strbuf_addf(err, "không đọc được %s: %s", path, files_errno_vn(errno));
		return -1;
	}
	char *tmp = xasprintf("%s.tmp", path);
	struct sealed_out o;
	unsigned char *buf = xmalloc(SEALED_CHUNK);
	int e = 0;
	if (sealed_out_open(&o, tmp)) {
		e = errno;
	} else {
		ssize_t n;
		while ((n = read_full(old, buf, SEALED_CHUNK)) > 0)
			if (sealed_out_write(&o, buf, (size_t)n))
				break;
		if (n < 0)
			o.error = o.error ? o.error : errno;
		if (sealed_out_close(&o))
			e = errno;
		if (!e && rename(tmp, path))
			e = errno;
		if (!e && files_sync_dir(path))
			e = errno;
		if (e)
			unlink(tmp);
	}
	sodium_memzero(buf, SEALED_CHUNK);
	free(buf);
	free(tmp);
	if (!e)
		wipe(old); /* the old inode, no longer named */
	close(old);
	if (e) {
		strbuf_addf(err, "không mã hóa được %s: %s", path, files_errno_vn(e));
		return -1;
	}
	return 1;
}
