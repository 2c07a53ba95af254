/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the administration subcommands share (admin.c, portal.c): the two
 * ways of failing, the options, the connection and one transaction around
 * the work. Exit status: 0 done, 1 failure (database), 2 bad input (a
 * Vietnamese message on stderr, nothing changed). */
#ifndef MOTCUA_SERVER_ADMINCMD_H
#define MOTCUA_SERVER_ADMINCMD_H

#include <stdbool.h>
#include <stddef.h>

#include "server/server.h"

/* "motcua-server: " and the message on stderr; returns 2. */
int admin_bad(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "motcua-server: " and err on stderr; releases err; returns 1. */
int admin_fault(struct strbuf *err);
/* A connection to pg; NULL (err says why, also when pg is NULL). */
PGconn *admin_connect(const char *pg, struct strbuf *err);

/* One long option: "--name VALUE" stored in *value, or "--name" alone
 * setting *flag; with count, each "--name VALUE" is appended to value[]
 * (at most max of them). */
struct admin_opt {
	const char *name;
	const char **value;
	bool *flag;
	size_t *count, max;
};

/* Reads argv's long options (opts ends with a NULL name); no arguments
 * may follow them. 0, or says usage and returns 2. */
int admin_options(int argc, char **argv, const struct admin_opt *opts, const char *usage);

/* The work of one subcommand on a connection: 0 done, 2 bad input (it has
 * said why), -1 failure (err says why). */
typedef int admin_work_fn(PGconn *c, void *arg, struct strbuf *err);

/* Connects to pg and runs work, inside BEGIN ... COMMIT when tx (rolled
 * back unless the work is done); the exit status. */
int admin_run(const char *pg, bool tx, admin_work_fn *work, void *arg);

#endif
