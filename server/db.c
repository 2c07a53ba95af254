/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PostgreSQL access: connections, small query helpers, the change log and
 * the embedded forward-only migrations. */
#include "server/server.h"

#include <pthread.h>
#include <stdint.h>
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

/* The statements prepared on the thread's own connection, by a hash of
 * their text (named after it). A statement is parsed and planned once per
 * connection instead of once per call: a push runs the same dozen
 * statements for every operation. Only that connection: the others
 * (commands, jobs) come and go. */
#define PREPARED_MAX 256
static _Thread_local struct {
	PGconn *conn;
	uint64_t hash[PREPARED_MAX];
	size_t n;
} prepared;

static uint64_t sql_hash(const char *sql)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */
	for (const unsigned char *p = (const unsigned char *)sql; *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	return h;
}

static void prepared_reset(PGconn *c)
{
	prepared.conn = c;
	prepared.n = 0;
}

PGresult *db_query(PGconn *c, const char *sql, int n, const char *const *params)
{
	PGresult *r;
	if (n > 0 && c && c == prepared.conn) {
		uint64_t h = sql_hash(sql);
		char name[24];
		snprintf(name, sizeof(name), "mc_%016llx", (unsigned long long)h);
		bool have = false;
		for (size_t i = 0; i < prepared.n && !have; i++)
			have = prepared.hash[i] == h;
		if (!have && prepared.n < PREPARED_MAX) {
			r = PQprepare(c, name, sql, n, NULL);
			if (!r)
				abort(); /* out of memory */
			if (!db_ok(r))
				return r;
			PQclear(r);
			prepared.hash[prepared.n++] = h;
			have = true;
		}
		r = have ? PQexecPrepared(c, name, n, params, NULL, NULL, 0)
			 : PQexecParams(c, sql, n, NULL, params, NULL, NULL, 0);
	} else {
		r = PQexecParams(c, sql, n, NULL, params, NULL, NULL, 0);
	}
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

/* The change rows a batch defers (db_changes_defer): five texts each,
 * entity, entity_id, rev, unit_code (may be NULL), data. */
static _Thread_local struct {
	bool on;
	char **v;
	size_t n, cap; /* rows */
} deferred;

int db_lock_changes(PGconn *c, struct strbuf *err)
{
	if (deferred.on)
		return 0; /* taken by db_changes_flush */
	return db_exec(c, "SELECT pg_advisory_xact_lock(" LOCK_CHANGES ")", err);
}

int db_add_change(PGconn *c, const char *entity, const char *id, long long rev,
		  const char *unit, const char *data, struct strbuf *err)
{
	char revs[24];
	snprintf(revs, sizeof(revs), "%lld", rev);
	if (deferred.on) {
		if (deferred.n == deferred.cap) {
			deferred.cap = deferred.cap ? 2 * deferred.cap : 64;
			deferred.v = xrealloc(deferred.v, deferred.cap * 5 * sizeof(*deferred.v));
		}
		char **row = deferred.v + 5 * deferred.n++;
		row[0] = xstrdup(entity);
		row[1] = xstrdup(id);
		row[2] = xstrdup(revs);
		row[3] = unit ? xstrdup(unit) : NULL;
		row[4] = xstrdup(data);
		return 0;
	}
	const char *p[] = { entity, id, revs, unit, data };
	return db_execp(c, "INSERT INTO changes(entity, entity_id, rev, unit_code, data)"
			   " VALUES ($1, $2, $3, $4, $5::jsonb)", 5, p, err);
}

void db_changes_defer(void)
{
	db_changes_end();
	deferred.on = true;
}

size_t db_changes_mark(void)
{
	return deferred.n;
}

void db_changes_truncate(size_t mark)
{
	while (deferred.n > mark) {
		deferred.n--;
		for (int k = 0; k < 5; k++)
			free(deferred.v[5 * deferred.n + k]);
	}
}

void db_changes_end(void)
{
	db_changes_truncate(0);
	FREE(&deferred.v);
	deferred.cap = 0;
	deferred.on = false;
}

/* Rows of a multi-row INSERT: at most this many (5 parameters each). */
#define FLUSH_ROWS 200

int db_changes_flush(PGconn *c, struct strbuf *err)
{
	if (!deferred.n)
		return 0;
	if (db_exec(c, "SELECT pg_advisory_xact_lock(" LOCK_CHANGES ")", err))
		return -1;
	/* The rows in the order they came: seq follows it, and the trigger
	 * changes_units of each row sees the rows before it (0003_scope.sql). */
	for (size_t first = 0; first < deferred.n; first += FLUSH_ROWS) {
		size_t k = deferred.n - first < FLUSH_ROWS ? deferred.n - first : FLUSH_ROWS;
		struct strbuf sql = STRBUF_INIT;
		strbuf_addstr(&sql, "INSERT INTO changes(entity, entity_id, rev, unit_code, data) VALUES ");
		for (size_t i = 0; i < k; i++)
			strbuf_addf(&sql, "%s($%zu, $%zu, $%zu::integer, $%zu, $%zu::jsonb)",
				    i ? ", " : "", 5 * i + 1, 5 * i + 2, 5 * i + 3, 5 * i + 4, 5 * i + 5);
		/* the same text for every full chunk: prepared once */
		int rc = db_execp(c, sql.buf, (int)(5 * k), (const char *const *)deferred.v + 5 * first,
				  err);
		strbuf_release(&sql);
		if (rc)
			return -1;
	}
	return 0;
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
	prepared_reset(NULL);
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
	prepared_reset(c);
	if (!c)
		server_log(LOG_ERR, SERVER_NAME ": %s", err.buf);
	strbuf_release(&err);
	pthread_setspecific(conn_key, c);
	return c;
}
