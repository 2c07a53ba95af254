/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Log lines of the running server, each with its level. On the journal
 * (systemd sets JOURNAL_STREAM to the device and inode of the stream it
 * gave as stderr) a line starts with a syslog priority, "<6>", which
 * journald takes as the entry's priority (journalctl -p warning) and strips;
 * anywhere else (a terminal, a file) with "level=info ", "level=warning "... */
#include "server/server.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int journal = -1; /* unknown yet */

static bool on_journal(void)
{
	const char *js = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;
	if (!js || sscanf(js, "%llu:%llu", &dev, &ino) != 2 || fstat(2, &st))
		return false;
	return (unsigned long long)st.st_dev == dev && (unsigned long long)st.st_ino == ino;
}

static const char *level_name(int level)
{
	switch (level) {
	case LOG_ERR: return "error";
	case LOG_WARNING: return "warning";
	case LOG_INFO: return "info";
	default: return "debug";
	}
}

void server_vlog(int level, const char *fmt, va_list ap)
{
	if (journal < 0)
		journal = on_journal();
	struct strbuf sb = STRBUF_INIT;
	if (journal)
		strbuf_addf(&sb, "<%d>", level);
	else
		strbuf_addf(&sb, "level=%s ", level_name(level));
	char *msg = xvasprintf(fmt, ap);
	strbuf_addstr(&sb, msg);
	free(msg);
	/* one line each: a message of several lines is joined */
	for (size_t i = 0; i < sb.len; i++)
		if (sb.buf[i] == '\n')
			sb.buf[i] = ' ';
	while (sb.len && sb.buf[sb.len - 1] == ' ')
		sb.buf[--sb.len] = '\0';
	strbuf_addch(&sb, '\n');
	fwrite(sb.buf, 1, sb.len, stderr); /* one write: lines of threads do not mix */
	fflush(stderr);
	strbuf_release(&sb);
}

void server_log(int level, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	server_vlog(level, fmt, ap);
	va_end(ap);
}

void server_mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	server_vlog(LOG_ERR, fmt, ap);
}
