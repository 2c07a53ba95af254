/* SPDX-License-Identifier: GPL-3.0-or-later */
/* motcua-server: the central server the clerk workstations sync with.
 * Stateless: every request reads and writes PostgreSQL only, so several
 * servers on one database serve the same clients. See docs/api.md.
 *
 * The server's own layers (docs/hacking.md), each including only those
 * below it:
 *   server.h   PostgreSQL (db.c), metrics, the commands
 *   http.h     the HTTP engine (http.c): requests, responses, errors, the
 *              bearer token, the shape of a route; it knows no handler
 *   api.h      the handlers (api.c, push.c, indicators.c, files.c) and
 *   ops.h      the operations of a push (push.c, attach.c)
 *   routes.c   the route table, handed to the engine by `serve` */
#ifndef MC_SERVER_H
#define MC_SERVER_H
#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>
#include <libpq-fe.h>

#include "core/xalloc.h"

#define SERVER_NAME "motcua-server"
#define MAX_BODY_DEFAULT (4u << 20) /* bytes of a request body */
#define MAX_PATH_LEN 512

/* ---- db.c: PostgreSQL ------------------------------------------------------ */

/* Connects (client encoding UTF8, time zone Asia/Ho_Chi_Minh); NULL with a
 * Vietnamese message in err. */
PGconn *db_connect(const char *conninfo, struct strbuf *err);
/* PQexecParams with text parameters (NULL = SQL NULL); never NULL. On the
 * thread's own connection (db_thread_conn) a statement with parameters is
 * prepared once and then reused by name. */
PGresult *db_query(PGconn *c, const char *sql, int n, const char *const *params);
/* Whether r is COMMAND_OK or TUPLES_OK. */
bool db_ok(const PGresult *r);
/* The SQLSTATE of a failed result ("" if none). */
const char *db_state(const PGresult *r);
/* Runs a statement without parameters; 0, or -1 with the error in err. */
int db_exec(PGconn *c, const char *sql, struct strbuf *err);
/* Runs a parameterised statement and drops the result: 0 or -1 (err may be NULL). */
int db_execp(PGconn *c, const char *sql, int n, const char *const *params, struct strbuf *err);
/* Takes the advisory lock that orders the change log (see 0001_init.sql);
 * inside a transaction, before the first INSERT INTO changes. */
int db_lock_changes(PGconn *c, struct strbuf *err);
/* Appends to the change log in the current transaction. unit may be NULL
 * (reference data). data is JSON text. While the calling thread defers its
 * changes (db_changes_defer), the row is kept in memory instead and
 * db_lock_changes does nothing: db_changes_flush writes them all at once. */
int db_add_change(PGconn *c, const char *entity, const char *id, long long rev,
		  const char *unit, const char *data, struct strbuf *err);
/* A transaction's change rows, written together just before its commit: the
 * lock that orders the log is then held for one multi-row INSERT and the
 * commit, not for the checks before. db_changes_mark and
 * db_changes_truncate drop the rows queued since a mark (a rollback);
 * db_changes_flush takes the lock and inserts the rows in order (they stay
 * queued until truncated); db_changes_end stops deferring and drops what is
 * left. */
void db_changes_defer(void);
size_t db_changes_mark(void);
void db_changes_truncate(size_t mark);
int db_changes_flush(PGconn *c, struct strbuf *err);
void db_changes_end(void);
/* Applies the embedded migrations not yet applied. *from and *to receive the
 * versions before and after. */
int db_migrate(PGconn *c, int *from, int *to, struct strbuf *err);
/* The schema version the database has, and the one this binary brings. */
int db_schema_version(PGconn *c);
int db_schema_latest(void);

/* The connection of the calling thread (opened on first use, reset after a
 * failure, closed when the thread ends). NULL when the database is down. */
PGconn *db_thread_conn(void);
void db_thread_setup(const char *conninfo);
void db_thread_teardown(void);

/* ---- admin.c / import.c: command-line administration ---------------------- */
int cmd_migrate(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_token(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_leases(int argc, char **argv);
int cmd_snapshot(int argc, char **argv);   /* snapshot.c: a snapshot for new workstations */
int cmd_device(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_indicators(int argc, char **argv); /* indicators.c */
int cmd_portal(int argc, char **argv);     /* portal.c */
int cmd_notify(int argc, char **argv);     /* notify.c */
int cmd_serve(int argc, char **argv);      /* routes.c */
int cmd_routes(int argc, char **argv);     /* routes.c: the route table, one line a route */

/* Writes the 'user' change of username (in the current transaction). */
int admin_user_change(PGconn *c, const char *username, struct strbuf *err);

/* ---- metrics.c ------------------------------------------------------------------ */
void metrics_request(const char *route, unsigned status, double seconds);
void metrics_ops(int applied, int duplicate, int conflict, int rejected);
char *metrics_render(void); /* Prometheus text; malloc'd */
/* portal.c: the publication queue by state, the portal's failures and the
 * online dossiers (Prometheus text, read from the database; NULL when it
 * cannot be read). */
char *portal_metrics(PGconn *c);

/* ---- config.c: settings (server.conf, MOTCUA_* variables; motcua-server(8)) ---- */
struct sockaddr_in;
struct server_config {
	const char *file;           /* the file read, NULL when none */
	char *pg;                   /* libpq connection string; NULL: nothing names a database */
	const char *listen;         /* "127.0.0.1:8080" */
	const char *metrics_listen; /* NULL: /metrics on listen */
	const char *tls_cert, *tls_key, *data; /* NULL when unset */
	long threads;
	size_t max_body;
	long long snapshot_min_changes; /* a scope with fewer changes has no snapshot */
	long long snapshot_max_age;     /* seconds a snapshot is served before a new one */
};
#define SNAPSHOT_MIN_CHANGES_DEFAULT 10000
#define SNAPSHOT_MAX_AGE_DEFAULT 3600
/* Reads path (NULL: $MOTCUA_CONFIG, else the installed server.conf if any),
 * then the MOTCUA_* variables; 0, or -1 with a message in err. */
int config_load(const char *path, struct strbuf *err);
/* The settings (defaults before config_load). */
const struct server_config *config_get(void);
void config_release(void);
/* "HOST:PORT" (HOST an IPv4 address or *) into sa; 0 or -1. */
int config_parse_listen(const char *s, struct sockaddr_in *sa);
/* Warns on stderr when a connection string holds a password. */
void config_warn_password(const char *conninfo);

/* ---- log.c: the running server's log lines, each with a level -------------------- */
#include <stdarg.h>
#include <syslog.h> /* LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG */
void server_log(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void server_vlog(int level, const char *fmt, va_list ap);
/* libmicrohttpd's MHD_OPTION_EXTERNAL_LOGGER: its messages as errors. */
void server_mhd_log(void *cls, const char *fmt, va_list ap);

/* metrics.c: /metrics on an address of its own (metrics_listen); 0 or -1 */
int metrics_serve_start(const char *listen, struct strbuf *err);
void metrics_serve_stop(void);

#endif
