/* motcua-server: the central server the clerk workstations sync with.
 * Stateless: every request reads and writes PostgreSQL only, so several
 * servers on one database serve the same clients. See docs/api.md. */
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
/* PQexecParams with text parameters (NULL = SQL NULL); never NULL. */
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
 * (reference data). data is JSON text. */
int db_add_change(PGconn *c, const char *entity, const char *id, long long rev,
		  const char *unit, const char *data, struct strbuf *err);
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
int cmd_import(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_indicators(int argc, char **argv); /* indicators.c */

/* Writes the 'user' change of username (in the current transaction). */
int admin_user_change(PGconn *c, const char *username, struct strbuf *err);

/* ---- http.c: requests and responses ------------------------------------------ */

struct session {
	char username[64];
	char full_name[256];
	char unit_code[32];
	char role[16];
	char device_id[72];
};

#define REQ_MAX_HEADERS 8

struct upload_stream; /* files.c: a PATCH being received */

struct req {
	struct MHD_Connection *conn;
	const char *method;
	char *path;          /* as received (already percent-decoded by MHD) */
	int route;           /* index in the route table, -1 when none */
	struct strbuf body;
	bool too_large;
	bool gzipped;        /* the body came gzipped (Content-Encoding) */
	bool responded;
	unsigned status;
	size_t resp_len;
	double start;        /* seconds, monotonic */
	struct session s;    /* after auth_require */
	bool authed;
	/* extra response headers (names static, values owned) */
	const char *hdr_names[REQ_MAX_HEADERS];
	char *hdr_values[REQ_MAX_HEADERS];
	int nhdrs;
	char allow[64];      /* methods of the path, for 405 */
	struct upload_stream *upload; /* PATCH /api/v1/uploads/{id} */
	/* push statistics for the access log */
	int ops_applied, ops_duplicate, ops_conflict, ops_rejected;
};

/* Queues a JSON response (takes the reference of v) / an error body. */
void respond_json(struct req *r, unsigned status, json_t *v);
void respond_error(struct req *r, unsigned status, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void respond_text(struct req *r, unsigned status, const char *ctype, char *text /* owned */);
/* A response without a body (204, HEAD answers). */
void respond_empty(struct req *r, unsigned status);
/* Adds a response header (value copied) to the response to come. */
void req_add_header(struct req *r, const char *name, const char *value);
/* The last path segment (the {param} of a route). */
const char *req_param(struct req *r);
/* 503 db_unavailable. */
void respond_db_down(struct req *r);
/* A query parameter, or NULL; one holding a NUL byte (%00) is "\x7f". */
const char *req_arg(struct req *r, const char *key);
const char *req_header(struct req *r, const char *key);
/* The sync protocol version the request says (header Motcua-Protocol; 1
 * when it says none). Answers 400 and returns -1 for one this server does
 * not speak: bad_request (not a number), protocol_outdated (below serve
 * --min-protocol: the workstation must be updated), protocol_unsupported
 * (above SYNC_PROTOCOL: the server must be). */
int req_protocol(struct req *r);
/* Parses the body as a JSON object; on failure responds 400 bad_json and
 * returns NULL. */
json_t *req_json(struct req *r);
/* Checks the bearer token; fills r->s and returns 0, or responds 401/503 and
 * returns -1. */
int auth_require(struct req *r, PGconn *c);
/* The server's clock as "YYYY-MM-DDTHH:MM:SS+07:00" (buf >= 32). */
void server_clock(char *buf, size_t n);

/* ---- api.c / push.c: the handlers ------------------------------------------ */
void api_healthz(struct req *r);
void api_metrics(struct req *r);
void api_login(struct req *r);
void api_logout(struct req *r);
void api_me(struct req *r);
void api_push(struct req *r);
void api_changes(struct req *r);
void api_leases(struct req *r);
void api_lookup(struct req *r);
void api_indicators(struct req *r); /* indicators.c */

/* ---- files.c: blobs and tus 1.0 uploads ------------------------------------------- */
#define UPLOAD_MAX_DEFAULT (256ull << 20) /* bytes of one file */
void api_blob_head(struct req *r);
void api_upload_options(struct req *r);
void api_upload_create(struct req *r);
void api_upload_head(struct req *r);
void api_upload_delete(struct req *r);
/* PATCH streams: begin at the headers (may respond at once), data for each
 * piece of the body, end when it is all in; abort when the link is cut
 * (what arrived is kept). */
void upload_patch_begin(struct req *r);
void upload_patch_data(struct req *r, const char *data, size_t n);
void upload_patch_end(struct req *r);
void upload_patch_abort(struct req *r);

/* ---- metrics.c ------------------------------------------------------------------ */
void metrics_request(const char *route, unsigned status, double seconds);
void metrics_ops(int applied, int duplicate, int conflict, int rejected);
char *metrics_render(void); /* Prometheus text; malloc'd */

#endif
