/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "client/base/proc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PROC_MAX_OUT (64 * 1024)

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void proc_result_release(struct proc_result *r)
{
	strbuf_release(&r->out);
}

int proc_run(const char *const *argv, int timeout_ms, struct proc_result *r)
{
	memset(r, 0, sizeof(*r));
	r->status = -1;
	strbuf_init(&r->out);
	int outp[2], execp[2];
	if (pipe2(outp, O_CLOEXEC))
		return -1;
	if (pipe2(execp, O_CLOEXEC)) {
		close(outp[0]);
		close(outp[1]);
		return -1;
	}
	pid_t pid = fork();
	if (pid < 0) {
		close(outp[0]);
		close(outp[1]);
		close(execp[0]);
		close(execp[1]);
		return -1;
	}
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDONLY);
		if (devnull >= 0)
			dup2(devnull, 0);
		dup2(outp[1], 1);
		dup2(outp[1], 2);
		setpgid(0, 0); /* its own group: a timeout kills what it started too */
		setenv("LC_ALL", "C", 1);
		execvp(argv[0], (char *const *)argv);
		int e = errno;
		ssize_t w = write(execp[1], &e, sizeof(e));
		(void)w;
		_exit(127);
	}
	close(outp[1]);
	close(execp[1]);
	int exec_errno = 0;
	ssize_t n;
	while ((n = read(execp[0], &exec_errno, sizeof(exec_errno))) < 0 && errno == EINTR)
		;
	close(execp[0]);
	bool started = n != (ssize_t)sizeof(exec_errno);

	long long deadline = now_ms() + timeout_ms;
	char buf[4096];
	for (;;) {
		long long left = deadline - now_ms();
		if (left <= 0) {
			r->timed_out = true;
			break;
		}
		struct pollfd pfd = { outp[0], POLLIN, 0 };
		int pr = poll(&pfd, 1, (int)(left > 1000 ? 1000 : left));
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr < 0)
			break;
		if (pr == 0)
			continue;
		ssize_t got = read(outp[0], buf, sizeof(buf));
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		if (r->out.len < PROC_MAX_OUT)
			strbuf_add(&r->out, buf, (size_t)got);
	}
	close(outp[0]);
	int status = 0;
	/* its output closed: it may still run (a child of its own kept nothing) */
	while (!r->timed_out) {
		pid_t w = waitpid(pid, &status, WNOHANG);
		if (w == pid || (w < 0 && errno != EINTR))
			break;
		if (now_ms() >= deadline) {
			r->timed_out = true;
			break;
		}
		struct timespec ts = { 0, 10 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	if (r->timed_out) {
		kill(-pid, SIGKILL);
		kill(pid, SIGKILL);
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	}
	if (!r->out.buf)
		strbuf_addstr(&r->out, "");
	if (!started) {
		r->missing = exec_errno == ENOENT;
		return -1;
	}
	if (r->timed_out || !WIFEXITED(status))
		return -1;
	r->status = WEXITSTATUS(status);
	return 0;
}
