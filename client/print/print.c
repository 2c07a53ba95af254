/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Printing with CUPS lp; see print.h. No shell: fork + execvp, lp's stdout
 * goes to /dev/null (it would spoil the CLI's JSON and the curses screen), its
 * stderr is read back for the error message, and a close-on-exec pipe tells
 * "lp is not installed" apart from "lp failed". */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "client/base/sealed.h"
#include "client/print/print.h"

#include <stdlib.h>

#include "client/base/proc.h"

/* CUPS printer names: printable, no space, tab, / \ ' " ? # (and no leading
 * '-', which lp would read as an option). */
static bool printer_name_ok(const char *p)
{
	if (!*p || *p == '-' || strlen(p) > 127)
		return false;
	for (const unsigned char *s = (const unsigned char *)p; *s; s++)
		if (*s <= ' ' || *s == 127 || strchr("/\\'\"?#", *s))
			return false;
	return true;
}

static ssize_t read_full(int fd, void *buf, size_t n)
{
	size_t got = 0;
	while (got < n) {
		ssize_t r = read(fd, (char *)buf + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

/* Reads all of fd, keeping the first line (at most 300 bytes) in out. */
static void read_first_line(int fd, char *out, size_t n)
{
	char buf[512];
	size_t kept = 0;
	bool done = false;
	ssize_t r;

	out[0] = '\0';
	while ((r = read(fd, buf, sizeof(buf))) != 0) {
		if (r < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (ssize_t i = 0; i < r && !done; i++) {
			if (buf[i] == '\n') {
				done = kept > 0;
				continue;
			}
			if (kept + 1 < n)
				out[kept++] = buf[i];
		}
		out[kept] = '\0';
	}
}

int print_pdf(const char *printer, const char *path, struct strbuf *err)
{
	int errp[2], execp[2];

	if (!printer || !*printer) {
		strbuf_addstr(err, "chưa cấu hình máy in (cài đặt \"printer\" đang để trống)");
		return -1;
	}
	if (!printer_name_ok(printer)) {
		strbuf_addf(err, "tên máy in không hợp lệ: \"%s\"", printer);
		return -1;
	}
	if (access(path, R_OK)) {
		strbuf_addf(err, "không đọc được tệp cần in %s", path);
		return -1;
	}
	/* a sealed receipt goes to lp decrypted, on its standard input */
	int plain = -1;
	if (sealed_is_sealed(path) && (plain = sealed_open(path, NULL, err)) < 0)
		return -1;
	if (pipe2(errp, O_CLOEXEC))
		goto sys_fail;
	if (pipe2(execp, O_CLOEXEC)) {
		close(errp[0]);
		close(errp[1]);
		goto sys_fail;
	}

	pid_t pid = fork();
	if (pid < 0) {
		close(errp[0]);
		close(errp[1]);
		close(execp[0]);
		close(execp[1]);
		goto sys_fail;
	}
	if (pid == 0) {
		char *argv[] = { "lp", "-d", (char *)printer, "--", (char *)path, NULL };
		if (plain >= 0)
			argv[3] = NULL; /* no file: lp reads its standard input */
		/* lp gets its signals, whatever thread forked it (a TUI job
		 * blocks them all: client/tui/job.h) */
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		int devnull = open("/dev/null", O_RDWR);
		if (devnull >= 0) {
			dup2(plain >= 0 ? plain : devnull, 0);
			dup2(devnull, 1);
		}
		dup2(errp[1], 2);
		execvp("lp", argv);
		int e = errno;
		ssize_t w = write(execp[1], &e, sizeof(e));
		(void)w;
		_exit(127);
	}

	close(errp[1]);
	close(execp[1]);
	if (plain >= 0)
		close(plain);
	int exec_errno = 0;
	ssize_t n = read_full(execp[0], &exec_errno, sizeof(exec_errno));
	close(execp[0]);
	char msg[301];
	read_first_line(errp[0], msg, sizeof(msg));
	close(errp[0]);

	int status;
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			strbuf_addf(err, "không chờ được lệnh in lp: %s", strerror(errno));
			return -1;
		}
	}
	if (n == (ssize_t)sizeof(exec_errno)) {
		if (exec_errno == ENOENT)
			strbuf_addstr(err, "không tìm thấy lệnh in \"lp\" (CUPS): hãy cài gói cups-client, "
				      "hoặc để trống cài đặt máy in");
		else
			strbuf_addf(err, "không chạy được lệnh in \"lp\": %s", strerror(exec_errno));
		return -1;
	}
	if (WIFSIGNALED(status)) {
		strbuf_addf(err, "lệnh in lp bị dừng (tín hiệu %d)", WTERMSIG(status));
		return -1;
	}
	if (WEXITSTATUS(status) != 0) {
		strbuf_addf(err, "máy in \"%s\" không nhận lệnh in (lp thoát với mã %d)%s%s", printer,
			    WEXITSTATUS(status), msg[0] ? ": " : "", msg);
		return -1;
	}
	return 0;

sys_fail:
	strbuf_addf(err, "không chạy được lệnh in: %s", strerror(errno));
	if (plain >= 0)
		close(plain);
	return -1;
}

/* ---- what CUPS knows --------------------------------------------------- */

#define LPSTAT_TIMEOUT_MS 10000

static int lpstat(const char *const *argv, struct proc_result *r, struct strbuf *err)
{
	if (proc_run(argv, LPSTAT_TIMEOUT_MS, r)) {
		if (r->missing)
			strbuf_addstr(err, "không tìm thấy lệnh \"lpstat\" của CUPS: hãy cài gói cups-client");
		else if (r->timed_out)
			strbuf_addstr(err, "dịch vụ in CUPS không trả lời (lpstat quá thời gian chờ)");
		else
			strbuf_addstr(err, "không chạy được lệnh \"lpstat\" của CUPS");
		return -1;
	}
	return 0;
}

static int scheduler_running(struct strbuf *err)
{
	static const char *const argv[] = { "lpstat", "-r", NULL };
	struct proc_result r;
	int rc = lpstat(argv, &r, err);
	if (!rc && (!strstr(r.out.buf, "scheduler is running") || strstr(r.out.buf, "not running"))) {
		strbuf_addstr(err, "dịch vụ in CUPS không chạy trên máy này (hãy cài và bật gói cups,"
			      " hoặc đặt CUPS_SERVER chỉ tới máy chủ in)");
		rc = -1;
	}
	proc_result_release(&r);
	return rc;
}

int print_printer_list(struct strbuf *out, struct strbuf *err)
{
	if (scheduler_running(err))
		return -1;
	static const char *const argv[] = { "lpstat", "-e", NULL };
	struct proc_result r;
	if (lpstat(argv, &r, err)) {
		proc_result_release(&r);
		return -1;
	}
	/* "lpstat: No destinations added." is an empty list, not a name */
	if (r.status == 0 && !strstr(r.out.buf, "lpstat:"))
		strbuf_addstr(out, r.out.buf);
	proc_result_release(&r);
	return 0;
}

int print_printer_check(const char *printer, struct strbuf *err)
{
	if (!printer || !printer_name_ok(printer)) {
		strbuf_addf(err, "tên máy in không hợp lệ: \"%s\"", printer ? printer : "");
		return 1;
	}
	struct strbuf names = STRBUF_INIT;
	if (print_printer_list(&names, err)) {
		strbuf_release(&names);
		return -1;
	}
	int found = 1;
	char *save = NULL;
	struct strbuf known = STRBUF_INIT;
	for (char *line = strtok_r(names.buf ? names.buf : (char[]){ 0 }, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (!strcmp(line, printer))
			found = 0;
		strbuf_addf(&known, "%s%s", known.len ? ", " : "", line);
	}
	if (found)
		strbuf_addf(err, "CUPS không có máy in \"%s\"; %s%s", printer,
			    known.len ? "các máy in hiện có: " : "chưa có máy in nào được cài",
			    known.len ? known.buf : "");
	strbuf_release(&known);
	strbuf_release(&names);
	return found;
}
