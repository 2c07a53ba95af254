/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PostgreSQL access: connections, small query helpers, the change log and
 * the embedded forward-only migrations. */
#include "server/server.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct server_migration {
	const char *name;
	const char *sql;
};
extern const struct server_migration server_migrations[];
extern const size_t server_nmigrations;

/* Advisory lock keys (arbitrary, fixed). */
#define LOCK_MIGRATE "7000"
#define LOCK_CHANGES "7001"

static void silent_notice(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

PGconn *db_connect(const char *conninfo, struct strbuf *err)
{
	PGconn *c = PQconnectdb(conninfo);
	if (PQstatus(c) != CONNECTION_OK) {
		const char *m = PQerrorMessage(c);
		strbuf_addf(err, "không kết nối được cơ sở dữ liệu PostgreSQL: %.*s",
			    (int)strcspn(m, "\n"), m);
		PQfinish(c);
		return NULL;
	}
	PQsetNoticeProcessor(c, silent_notice, NULL);
	PQsetClientEncoding(c, "UTF8");
	PGresult *r = PQexec(c, "SET TIME ZONE 'Asia/Ho_Chi_Minh'");
	PQclear(r);
	return c;
}

PGresult *db_query(PGconn *c, const char *sql, int n, const char *const *params)
{
	PGresult *r = PQexecParams(c, sql, n, NULL, params, NULL, NULL, 0);
	if (!r)
		abort(); /* out of memory */
	return r;
}

bool db_ok(const PGresult *r)
{
	ExecStatusType st = PQresultStatus(r);
	return st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
}

const char *db_state(const PGresult *r)
{
	const char *s = PQresultErrorField(r, PG_DIAG_SQLSTATE);
	return s ? s : "";
}

static void add_error(struct strbuf *err, PGconn *c, const PGresult *r)
{
	if (!err)
		return;
	const char *m = r ? PQresultErrorMessage(r) : "";
	if (!*m)
		m = PQerrorMessage(c);
	strbuf_addf(err, "lỗi cơ sở dữ liệu: %.*s", (int)strcspn(m, "\n"), m);
}

int db_exec(PGconn *c, const char *sql, struct strbuf *err)
{
	PGresult *r = PQexec(c, sql);
	int rc = db_ok(r) ? 0 : -1;
	if (rc)
		add_error(err, c, r);
	PQclear(r);
	return rc;
}

int db_execp(PGconn *c, const char *sql, int n, const char *const *params, struct strbuf *err)
{
	PGresult *r = db_query(c, sql, n, params);
	int rc = db_ok(r) ? 0 : -1;
	if (rc)
		add_error(err, c, r);
	PQclear(r);
	return rc;
}

int db_lock_changes(PGconn *c, struct strbuf *err)
{
	return db_exec(c, "SELECT pg_advisory_xact_lock(" LOCK_CHANGES ")", err);
}

int db_add_change(PGconn *c, const char *entity, const char *id, long long rev,
		  const char *unit, const char *data, struct strbuf *err)
{
	char revs[24];
	snprintf(revs, sizeof(revs), "%lld", rev);
	const char *p[] = { entity, id, revs, unit, data };
	return db_execp(c, "INSERT INTO changes(entity, entity_id, rev, unit_code, data)"
			   " VALUES ($1, $2, $3, $4, $5::jsonb)", 5, p, err);
}

int db_schema_latest(void)
{
	return (int)server_nmigrations;
}

int db_schema_version(PGconn *c)
{
	PGresult *r = PQexec(c, "SELECT coalesce(max(version), 0) FROM schema_version");
	int v = db_ok(r) && PQntuples(r) == 1 ? atoi(PQgetvalue(r, 0, 0)) : -1;
	PQclear(r);
	return v;
}

int db_migrate(PGconn *c, int *from, int *to, struct strbuf *err)
{
	/* Two servers started at once: one migrates, the other waits. */
	if (db_exec(c, "SELECT pg_advisory_lock(" LOCK_MIGRATE ")", err))
		return -1;
	int rc = -1;
	if (db_exec(c, "CREATE TABLE IF NOT EXISTS schema_version(version integer PRIMARY KEY,"
		       " name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())", err))
		goto out;
	int v = db_schema_version(c);
	*from = v;
	*to = v;
	if (v < 0) {
		strbuf_addstr(err, "không đọc được phiên bản lược đồ (bảng schema_version)");
		goto out;
	}
	if (v > (int)server_nmigrations) {
		strbuf_addf(err, "cơ sở dữ liệu có lược đồ phiên bản %d, mới hơn chương trình này (%zu);"
			    " hãy cập nhật motcua-server", v, server_nmigrations);
		goto out;
	}
	for (size_t i = (size_t)v; i < server_nmigrations; i++) {
		char ver[24];
		snprintf(ver, sizeof(ver), "%zu", i + 1);
		const char *p[] = { ver, server_migrations[i].name };
		if (db_exec(c, "BEGIN", err))
			goto out;
		if (db_exec(c, server_migrations[i].sql, err) ||
		    db_execp(c, "INSERT INTO schema_version(version, name) VALUES ($1, $2)", 2, p, err) ||
		    db_exec(c, "COMMIT", err)) {
			db_exec(c, "ROLLBACK", NULL);
			strbuf_addf(err, " (tệp %s)", server_migrations[i].name);
			goto out;
		}
		*to = (int)i + 1;
	}
	rc = 0;
out:
	db_exec(c, "SELECT pg_advisory_unlock(" LOCK_MIGRATE ")", NULL);
	return rc;
}

/* ---- one connection per server thread ------------------------------------------ */

static pthread_key_t conn_key;
static char *thread_conninfo;

static void conn_destroy(void *p)
{
	PQfinish(p);
}

void db_thread_setup(const char *conninfo)
{
	thread_conninfo = xstrdup(conninfo);
	pthread_key_create(&conn_key, conn_destroy);
}

void db_thread_teardown(void)
{
	PGconn *c = pthread_getspecific(conn_key);
	if (c) {
		PQfinish(c);
		pthread_setspecific(conn_key, NULL);
	}
	pthread_key_delete(conn_key);
	FREE(&thread_conninfo);
}

PGconn *db_thread_conn(void)
{
	PGconn *c = pthread_getspecific(conn_key);
	if (c && PQstatus(c) == CONNECTION_OK && PQtransactionStatus(c) == PQTRANS_IDLE)
		return c;
	if (c) {
		/* A broken connection, or one left inside a transaction: start afresh. */
		PQfinish(c);
		pthread_setspecific(conn_key, NULL);
	}
	struct strbuf err = STRBUF_INIT;
	c = db_connect(thread_conninfo, &err);
	if (!c)
		server_log(LOG_ERR, SERVER_NAME ": %s", err.buf);
	strbuf_release(&err);
	pthread_setspecific(conn_key, c);
	return c;
}
