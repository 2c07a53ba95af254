/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "server/admincmd.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int admin_bad(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs(SERVER_NAME ": ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	return 2;
}

int admin_fault(struct strbuf *err)
{
	fprintf(stderr, SERVER_NAME ": %s\n", err->buf);
	strbuf_release(err);
	return 1;
}

PGconn *admin_connect(const char *pg, struct strbuf *err)
{
	if (!pg) {
		strbuf_addstr(err, "thiếu --pg CONNINFO (ví dụ --pg 'host=/run/postgresql dbname=motcua')");
		return NULL;
	}
	return db_connect(pg, err);
}

enum { MAX_OPTS = 8 };

int admin_options(int argc, char **argv, const struct admin_opt *opts, const char *usage)
{
	struct option lo[MAX_OPTS + 1];
	size_t n = 0;
	for (; opts[n].name; n++) {
		if (n == MAX_OPTS)
			abort();
		lo[n] = (struct option){ opts[n].name, opts[n].flag ? no_argument : required_argument,
					 NULL, (int)n + 1 };
	}
	lo[n] = (struct option){ NULL, 0, NULL, 0 };
	int o;
	while ((o = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		if (o < 1 || (size_t)o > n)
			return admin_bad("%s", usage);
		const struct admin_opt *a = &opts[o - 1];
		if (a->flag) {
			*a->flag = true;
		} else if (a->count) {
			if (*a->count == a->max)
				return admin_bad("tối đa %zu lần --%s", a->max, a->name);
			a->value[(*a->count)++] = optarg;
		} else {
			*a->value = optarg;
		}
	}
	return optind == argc ? 0 : admin_bad("%s", usage);
}

int admin_run(const char *pg, bool tx, admin_work_fn *work, void *arg)
{
	struct strbuf err = STRBUF_INIT;
	PGconn *c = admin_connect(pg, &err);
	if (!c)
		return admin_fault(&err);
	int rc = tx && db_exec(c, "BEGIN", &err) ? -1 : work(c, arg, &err);
	if (tx && rc == 0 && db_exec(c, "COMMIT", &err))
		rc = -1;
	if (tx && rc != 0)
		db_exec(c, "ROLLBACK", NULL);
	PQfinish(c);
	if (rc == -1)
		return admin_fault(&err);
	strbuf_release(&err);
	return rc;
}
