/* OCR through the tesseract and pdftoppm commands: see ocr.h. */
#include "client/scan/ocr.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "client/base/sealed.h"
#include "core/text.h"

/* Runs argv[0] (searched in PATH) with OMP_THREAD_LIMIT=1, stdin from in
 * (-1: /dev/null) and stderr on /dev/null; its stdout is appended to out
 * (NULL: discarded). Returns its exit status, or -1 when it could not run
 * or was killed. */
static int run(char *const argv[], int in, struct strbuf *out)
{
	int fds[2];
	if (pipe(fds))
		return -1;
	pid_t pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);
		dup2(in >= 0 ? in : null, 0);
		dup2(null, 2);
		dup2(out ? fds[1] : null, 1);
		close(fds[0]);
		close(fds[1]);
		setenv("OMP_THREAD_LIMIT", "1", 1);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(fds[1]);
	char buf[8192];
	ssize_t n;
	while ((n = read(fds[0], buf, sizeof buf)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		if (out)
			strbuf_add(out, buf, (size_t)n);
	}
	close(fds[0]);
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int fail(struct strbuf *err, int status, const char *tool, const char *path)
{
	strbuf_reset(err);
	if (status == 127)
		strbuf_addf(err, "Không chạy được %s: hãy cài gói %s", tool,
			    strcmp(tool, "tesseract") ? "poppler-utils"
						      : "tesseract-ocr và tesseract-ocr-vie");
	else
		strbuf_addf(err, "%s không đọc được %s (mã lỗi %d)", tool, path, status);
	return -1;
}

/* tesseract's text of one image, appended to text. */
static int ocr_one(const char *path, struct strbuf *text, struct strbuf *err)
{
	char *argv[] = { "tesseract", (char *)path, "stdout", "-l", "vie", "--psm", "3", NULL };
	int st = run(argv, -1, text);
	return st ? fail(err, st, "tesseract", path) : 0;
}

static char *detach_nfc(struct strbuf *sb)
{
	char *raw = strbuf_detach(sb);
	char *nfc = mc_text_nfc(raw);
	free(raw);
	return nfc;
}

int ocr_image(const char *path, char **text, struct strbuf *err)
{
	struct strbuf sb = STRBUF_INIT;
	if (ocr_one(path, &sb, err)) {
		strbuf_release(&sb);
		return -1;
	}
	*text = detach_nfc(&sb);
	return 0;
}

static int is_png(const struct dirent *e)
{
	size_t n = strlen(e->d_name);
	return n > 4 && !strcmp(e->d_name + n - 4, ".png");
}

/* Whether dir is a folder in memory (tmpfs, ramfs): pages rendered there
 * never reach the disk. */
static bool in_memory(const char *dir)
{
	struct statfs fs;
	struct stat sb;
	return dir && *dir && !stat(dir, &sb) && S_ISDIR(sb.st_mode) && !access(dir, W_OK) &&
	       !statfs(dir, &fs) && (fs.f_type == TMPFS_MAGIC || fs.f_type == RAMFS_MAGIC);
}

/* Where the rendered pages go: a folder in memory when there is one
 * ($TMPDIR, $XDG_RUNTIME_DIR, /dev/shm), else $TMPDIR or /tmp. */
static const char *render_base(void)
{
	const char *tmp = getenv("TMPDIR"), *run_dir = getenv("XDG_RUNTIME_DIR");
	if (in_memory(tmp))
		return tmp;
	if (in_memory(run_dir))
		return run_dir;
	if (in_memory("/dev/shm"))
		return "/dev/shm";
	return tmp && *tmp ? tmp : "/tmp";
}

int ocr_pdf(const char *path, char **text, struct strbuf *err)
{
	return ocr_pdf_progress(path, text, NULL, err);
}

int ocr_pdf_progress(const char *path, char **text, struct progress *progress, struct strbuf *err)
{
	/* the paper's plaintext, read from memory when it is sealed */
	strbuf_reset(err);
	int pdf = sealed_open(path, NULL, err);
	if (pdf < 0)
		return -1;
	char *dir = xasprintf("%s/motcua-ocr-XXXXXX", render_base());
	if (!mkdtemp(dir)) {
		strbuf_reset(err);
		strbuf_addf(err, "Không tạo được thư mục tạm cho OCR: %s", strerror(errno));
		free(dir);
		close(pdf);
		return -1;
	}
	char *prefix = xasprintf("%s/p", dir);
	char dpi[16];
	snprintf(dpi, sizeof dpi, "%d", OCR_DPI);
	char *argv[] = { "pdftoppm", "-r", dpi, "-png", "/dev/stdin", prefix, NULL };
	int rc = 0, st = run(argv, pdf, NULL);
	close(pdf);
	if (st)
		rc = fail(err, st, "pdftoppm", path);

	struct dirent **names = NULL;
	int n = scandir(dir, &names, is_png, alphasort); /* pdftoppm pads the numbers */
	if (progress && n > 0)
		progress_total(progress, n);
	struct strbuf sb = STRBUF_INIT;
	for (int i = 0; i < n; i++) {
		char *page = xasprintf("%s/%s", dir, names[i]->d_name);
		if (!rc && i)
			strbuf_addch(&sb, '\f');
		if (!rc)
			rc = ocr_one(page, &sb, err);
		if (!rc && progress)
			progress_add(progress, 1);
		unlink(page);
		free(page);
		free(names[i]);
	}
	free(names);
	if (!rc && n <= 0)
		rc = fail(err, 1, "pdftoppm", path);
	rmdir(dir);
	free(prefix);
	free(dir);
	if (rc) {
		strbuf_release(&sb);
		return -1;
	}
	*text = detach_nfc(&sb);
	return 0;
}
