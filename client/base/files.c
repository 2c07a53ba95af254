/* Small file helpers of the workstation: errno in Vietnamese, hex, SHA-256,
 * the sweep of what killed writers left. */
#include "client/base/files.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
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
