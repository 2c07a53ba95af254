/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Small file helpers of the workstation: errno in Vietnamese, hex, SHA-256,
 * the sweep of what killed writers left. */
#include "client/base/files.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sodium.h>

#include "client/base/sealed.h"

const char *files_errno_vn(int e)
{
	switch (e) {
	case ENOSPC: return "ổ đĩa đã đầy";
#ifdef EDQUOT
	case EDQUOT: return "đã hết hạn mức dung lượng";
#endif
	case EFBIG: return "tệp vượt quá kích thước cho phép";
	case ENOENT: return "thư mục không tồn tại";
	case ENOTDIR: return "đường dẫn không phải là thư mục";
	case EACCES:
	case EPERM: return "không có quyền ghi";
	case EROFS: return "ổ đĩa chỉ cho phép đọc";
	case EISDIR: return "đường dẫn là một thư mục";
	case EIO: return "lỗi đọc/ghi ổ đĩa";
	case ENAMETOOLONG: return "đường dẫn quá dài";
	default: return strerror(e);
	}
}

int files_sync_dir(const char *path)
{
	char *copy = xstrdup(path);
	int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(copy);
	if (fd < 0)
		return 0; /* best effort: some file systems do not allow it */
	int rc = fsync(fd);
	int e = errno;
	close(fd);
	if (rc && e != EINVAL && e != EROFS) {
		errno = e;
		return -1;
	}
	return 0;
}

int files_fsync(const char *path)
{
	int fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	close(fd);
	return rc;
}

void files_remove_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char *f = xasprintf("%s/%s", dir, e->d_name);
		unlink(f);
		free(f);
	}
	if (d)
		closedir(d);
	rmdir(dir);
}

int files_write_atomic(const char *path, const void *data, size_t len, mode_t mode,
		       struct strbuf *err)
{
	const char *p = data;
	char *tmp = xasprintf("%s.tmp", path);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	int e = fd < 0 ? errno : 0;
	while (!e && len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			e = n < 0 ? errno : ENOSPC;
			break;
		}
		p += n;
		len -= (size_t)n;
	}
	if (fd >= 0) {
		if (!e && fsync(fd))
			e = errno;
		if (close(fd) && !e)
			e = errno;
		if (!e && rename(tmp, path))
			e = errno;
		if (e)
			unlink(tmp);
	}
	if (!e) /* the rename itself on disk: best effort */
		(void)files_sync_dir(path);
	free(tmp);
	if (e) {
		strbuf_addf(err, "không ghi được tệp %s: %s", path, files_errno_vn(e));
		return -1;
	}
	return 0;
}

void files_hex(const unsigned char *d, size_t n, char *hex)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		hex[2 * i] = digits[d[i] >> 4];
		hex[2 * i + 1] = digits[d[i] & 15];
	}
	hex[2 * n] = '\0';
}

int files_sha256(const char *path, char hex[65], struct strbuf *err)
{
	int fd = sealed_open(path, NULL, err);
	if (fd < 0)
		return -1;
	crypto_hash_sha256_state sha;
	unsigned char buf[65536];
	crypto_hash_sha256_init(&sha);
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			strbuf_addf(err, "không đọc được %s: %s", path, strerror(errno));
			close(fd);
			return -1;
		}
		if (n == 0)
			break;
		crypto_hash_sha256_update(&sha, buf, (size_t)n);
	}
	close(fd);
	unsigned char digest[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_final(&sha, digest);
	files_hex(digest, sizeof(digest), hex);
	return 0;
}

/* Whether name is a temporary file of ours: "*.tmp", or ".incoming-*" (a
 * paper made but not filed yet). */
static int temporary(const char *name, int *incoming)
{
	size_t n = strlen(name);
	*incoming = !strncmp(name, ".incoming-", 10);
	return *incoming || (n > 4 && !strcmp(name + n - 4, ".tmp"));
}

int files_sweep_stale(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	int removed = 0;
	time_t now = time(NULL);
	struct dirent *de;
	while ((de = readdir(d))) {
		int incoming;
		if (!temporary(de->d_name, &incoming))
			continue;
		char *p = xasprintf("%s/%s", dir, de->d_name);
		int fd = open(p, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
		struct stat sb;
		/* a writer holds a lock on the file it writes; a paper made but
		 * not filed yet is named for a minute or so, and has no writer */
		if (fd >= 0 && !fstat(fd, &sb) && S_ISREG(sb.st_mode) &&
		    !flock(fd, LOCK_EX | LOCK_NB) &&
		    (!incoming || now - sb.st_mtime > FILES_STALE_SECONDS) && !unlink(p))
			removed++;
		if (fd >= 0)
			close(fd); /* the lock goes with it */
		free(p);
	}
	closedir(d);
	return removed;
}

/* A folder in memory the user alone may write: $XDG_RUNTIME_DIR (emptied
 * when the user's session ends), else /dev/shm; NULL when neither is. */
static const char *memory_dir(void)
{
	const char *run = getenv("XDG_RUNTIME_DIR");
	if (run && *run && !access(run, W_OK))
		return run;
	return access("/dev/shm", W_OK) ? NULL : "/dev/shm";
}

/* What the viewer opens: path itself, or for a sealed paper its plaintext
 * copied (0600) into a private folder in memory, never on disk. Malloc'd;
 * NULL with err. */
static int spawn_viewer(const char *v, const char *path, struct strbuf *err);

static char *viewable(const char *path, struct strbuf *err)
{
	if (!sealed_is_sealed(path))
		return xstrdup(path);
	const char *mem = memory_dir();
	if (!mem) {
		strbuf_addstr(err, "giấy tờ được mã hóa chỉ mở được khi máy có thư mục trong bộ nhớ"
				   " ($XDG_RUNTIME_DIR hoặc /dev/shm)");
		return NULL;
	}
	unsigned char *data = NULL;
	size_t n = 0;
	if (sealed_read_all(path, &data, &n, err))
		return NULL;
	char *dir = xasprintf("%s/motcua-view-XXXXXX", mem);
	const char *base = strrchr(path, '/');
	char *copy = NULL;
	if (mkdtemp(dir)) {
		copy = xasprintf("%s/%s", dir, base ? base + 1 : path);
		int fd = open(copy, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		bool ok = fd >= 0 && write(fd, data, n) == (ssize_t)n;
		if (fd >= 0 && close(fd))
			ok = false;
		if (!ok) {
			strbuf_addf(err, "không chép được giấy tờ để xem: %s", files_errno_vn(errno));
			unlink(copy);
			rmdir(dir);
			FREE(&copy);
		}
	} else {
		strbuf_addf(err, "không tạo được thư mục %s: %s", dir, files_errno_vn(errno));
	}
	sodium_memzero(data, n);
	free(data);
	free(dir);
	return copy;
}

int files_open(const char *path, const char **viewer, struct strbuf *err)
{
	const char *v = getenv("MOTCUA_VIEWER");
	if (!v || !*v)
		v = "xdg-open";
	if (viewer)
		*viewer = v;
	if (access(path, R_OK)) {
		strbuf_addf(err, "không đọc được tệp %s: %s", path, files_errno_vn(errno));
		return -1;
	}
	char *shown = viewable(path, err);
	if (!shown)
		return -1;
	int rc = spawn_viewer(v, shown, err);
	free(shown);
	return rc;
}

/* The viewer v on path, twice forked. */
static int spawn_viewer(const char *v, const char *path, struct strbuf *err)
{
	/* twice forked: the viewer belongs to no one here, and leaves no zombie */
	pid_t pid = fork();
	if (pid < 0) {
		strbuf_addf(err, "không mở được chương trình xem tệp: %s", files_errno_vn(errno));
		return -1;
	}
	if (pid == 0) {
		if (fork() == 0) {
			setsid();
			int fd = open("/dev/null", O_RDWR);
			if (fd >= 0) {
				dup2(fd, 0);
				dup2(fd, 1);
				dup2(fd, 2);
				if (fd > 2)
					close(fd);
			}
			execlp(v, v, path, (char *)NULL);
			_exit(127);
		}
		_exit(0);
	}
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return 0;
}

int files_read(const char *path, struct strbuf *out)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	char chunk[8192];
	for (size_t n = fread(chunk, 1, sizeof chunk, f); n > 0; n = fread(chunk, 1, sizeof chunk, f))
		strbuf_add(out, chunk, n);
	int bad = ferror(f);
	fclose(f);
	if (!out->buf)
		strbuf_addstr(out, "");
	return bad ? -1 : 0;
}
