/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The workstation-care helpers of client/base: the progress reports as JSON
 * lines (the first at 0, the last with "end"), nothing when asked for none,
 * the bytes in Vietnamese form,
 * and the helper runner: a program's output and status, a missing program,
 * one killed at its time limit (with what it started). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "tests/unit/fixtures.h"

#include "client/base/proc.h"
#include "client/base/progress.h"
#include "core/xalloc.h"

/* Runs fn with stderr in a temporary file; returns what it wrote. */
static char *capture_stderr(void (*fn)(void))
{
	char path[] = "/tmp/motcua-care-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	fflush(stderr);
	int saved = dup(2);
	dup2(fd, 2);
	fn();
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	long n = lseek(fd, 0, SEEK_END);
	char *buf = xcalloc(1, (size_t)n + 1);
	assert_int_equal(pread(fd, buf, (size_t)n, 0), n);
	close(fd);
	unlink(path);
	return buf;
}

static void json_steps(void)
{
	struct progress p;
	progress_begin(&p, "backup", "Sao lưu", 0, PROGRESS_ITEMS);
	progress_total(&p, 40);
	for (int i = 1; i <= 40; i++)
		progress_set(&p, i);
	progress_end(&p);
	progress_end(&p); /* a second end says nothing */
}

static void test_progress_json(void **state)
{
	setenv("MOTCUA_PROGRESS", "json", 1);
	assert_int_equal(progress_mode(), PROGRESS_JSON);
	char *out = capture_stderr(json_steps);
	/* the first line at once, the last at the end (in between at most one a
	 * second: how many depends on the machine's speed, so only their form is
	 * checked) */
	const char *first = "{\"progress\":\"backup\",\"done\":0,\"total\":0}\n";
	const char *last = "{\"progress\":\"backup\",\"done\":40,\"total\":40,\"end\":true}\n";
	assert_memory_equal(out, first, strlen(first));
	size_t n = strlen(out);
	assert_true(n >= strlen(first) + strlen(last));
	assert_string_equal(out + n - strlen(last), last);
	const char *head = "{\"progress\":\"backup\",\"done\":";
	for (char *line = out; *line; line = strchr(line, '\n') + 1)
		assert_memory_equal(line, head, strlen(head));
	free(out);
	setenv("MOTCUA_PROGRESS", "none", 1);
	assert_int_equal(progress_mode(), PROGRESS_NONE);
	out = capture_stderr(json_steps);
	assert_string_equal(out, "");
	free(out);
	unsetenv("MOTCUA_PROGRESS");
}

static void test_progress_bytes(void **state)
{
	char buf[24];
	progress_bytes(12, buf, sizeof buf);
	assert_string_equal(buf, "12 B");
	progress_bytes(850000, buf, sizeof buf);
	assert_string_equal(buf, "850 kB");
	progress_bytes(1250000, buf, sizeof buf);
	assert_string_equal(buf, "1,2 MB");
	progress_bytes(3400000000LL, buf, sizeof buf);
	assert_string_equal(buf, "3,4 GB");
}

static void test_proc_output(void **state)
{
	const char *argv[] = { "sh", "-c", "echo một; echo hai >&2; exit 3", NULL };
	struct proc_result r;
	assert_int_equal(proc_run(argv, 60000, &r), 0);
	assert_int_equal(r.status, 3);
	assert_false(r.missing);
	assert_false(r.timed_out);
	assert_string_equal(r.out.buf, "một\nhai\n");
	proc_result_release(&r);
	/* LC_ALL=C for the helper, so that its words can be read */
	const char *env[] = { "sh", "-c", "printf %s \"$LC_ALL\"", NULL };
	assert_int_equal(proc_run(env, 60000, &r), 0);
	assert_string_equal(r.out.buf, "C");
	proc_result_release(&r);
}

static void test_proc_missing(void **state)
{
	const char *argv[] = { "motcua-no-such-program", NULL };
	struct proc_result r;
	assert_int_equal(proc_run(argv, 60000, &r), -1);
	assert_true(r.missing);
	assert_int_equal(r.status, -1);
	proc_result_release(&r);
}

static void test_proc_timeout(void **state)
{
	/* a helper that never ends, and one it started that keeps the output open */
	const char *argv[] = { "sh", "-c", "sleep 600 & echo started; sleep 600", NULL };
	struct proc_result r;
	assert_int_equal(proc_run(argv, 300, &r), -1);
	assert_true(r.timed_out);
	assert_false(r.missing);
	assert_string_equal(r.out.buf, "started\n");
	proc_result_release(&r);
}

TESTS_MAIN(test_progress_json, test_progress_bytes, test_proc_output, test_proc_missing,
	     test_proc_timeout)
