/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Running a helper program (lpstat, tesseract, scanimage...) and reading
 * what it says, with a time limit: no shell, stdin from /dev/null, LC_ALL=C
 * so that its words can be read, and the child killed when it takes too long. */
#ifndef MC_PROC_H
#define MC_PROC_H
#include <stdbool.h>

#include "core/xalloc.h"

struct proc_result {
	int status;        /* exit status; -1 when it did not run or was killed */
	bool missing;      /* the program is not installed (execvp: ENOENT) */
	bool timed_out;    /* killed after timeout_ms */
	struct strbuf out; /* stdout and stderr together, at most 64 KiB */
};

/* Runs argv[0] (looked up in PATH) with argv; waits at most timeout_ms.
 * Returns 0 when it ran and exited (r->status says how), -1 when it could
 * not start, was missing or was killed (r->missing, r->timed_out). Release
 * r with proc_result_release. */
int proc_run(const char *const *argv, int timeout_ms, struct proc_result *r);
void proc_result_release(struct proc_result *r);

#endif
