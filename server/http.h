/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The HTTP engine (http.c): libmicrohttpd with a thread pool, request bodies
 * with a size limit, JSON responses and errors, the bearer token, the access
 * log. It knows no handler: `serve` hands it a table of routes
 * (server/routes.c), each {name, method, path, auth, handler}. */
#ifndef MC_SERVER_HTTP_H
#define MC_SERVER_HTTP_H
#include <stdbool.h>
#include <stddef.h>

#include "core/errors.h"
#include "server/server.h"

struct session {
	char username[64];
	char full_name[256];
	char unit_code[32];
	char role[16];
	char device_id[72];
};

#define REQ_MAX_HEADERS 8

struct route;

struct req {
	struct MHD_Connection *conn;
	const char *method;
	char *path;          /* as received (already percent-decoded by MHD) */
	const struct route *route; /* NULL when none */
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
	void *stream;        /* a streamed body being received (owned by the route's hooks) */
	/* push statistics for the access log */
	int ops_applied, ops_duplicate, ops_conflict, ops_rejected;
	int ops_compact;     /* of them, dossiers in the compact form (protocol 2) */
};

/* ---- routes ------------------------------------------------------------------ */

enum route_auth {
	ROUTE_PUBLIC, /* no token */
	ROUTE_TOKEN   /* a bearer token: checked before the handler runs (r->s filled) */
};

/* A body streamed to the handler as it arrives instead of kept in r->body
 * (tus PATCH). begin runs at the headers: it responds at once (a refusal)
 * or sets r->stream; data and end follow only when r->stream is set; abort
 * runs when the link is cut before the end and frees r->stream. */
struct route_stream {
	void (*begin)(struct req *r);
	void (*data)(struct req *r, const char *data, size_t n);
	void (*end)(struct req *r);
	void (*abort)(struct req *r);
};

struct route {
	const char *name;   /* the metrics label */
	const char *method; /* GET routes also answer HEAD */
	const char *path;   /* as in docs/openapi.yaml: a last "{param}" is one segment */
	enum route_auth auth;
	void (*fn)(struct req *r);          /* the whole body received; NULL when streamed */
	const struct route_stream *stream;  /* NULL unless fn is */
};

/* Serves the routes until SIGINT or SIGTERM (`motcua-server serve`, its
 * options in argv). Exit status: 0, 1 (fault), 2 (bad options). */
int http_serve(int argc, char **argv, const struct route *routes, size_t nroutes);
/* Whether a path (already percent-decoded) may be routed: no dot or empty
 * segments, control bytes or backslashes. */
bool http_path_sane(const char *p);
/* The route of table (n rows) for method and path, or NULL with allow
 * (allow_size bytes) listing the path's methods when only the method is
 * wrong (*path_known set). */
const struct route *http_route_find(const struct route *table, size_t n, const char *method,
				    const char *path, char *allow, size_t allow_size, bool *path_known);

/* Days a token lives (serve --token-days; 30 by default). */
int http_token_days(void);
/* Public lookups per minute and address (serve --lookup-per-minute; 60 by
 * default, 0: no limit). */
int http_lookup_per_minute(void);

/* ---- responses ----------------------------------------------------------------- */

/* Queues a JSON response (takes the reference of v). */
void respond_json(struct req *r, unsigned status, json_t *v);
/* The error body {"error": {"code", "message"}} with the code's status
 * (core/errors.h). */
/* The JSON of an error answer, {"error": {"code", "message"}}: the
 * message's bytes that are not UTF-8 replaced by U+FFFD. */
json_t *http_error_json(enum mc_err code, const char *msg);
void respond_error(struct req *r, enum mc_err code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void respond_text(struct req *r, unsigned status, const char *ctype, char *text /* owned */);
/* n bytes (owned, any content). */
void respond_bytes(struct req *r, unsigned status, const char *ctype, char *bytes, size_t n);
/* A response without a body (204, HEAD answers). */
void respond_empty(struct req *r, unsigned status);
/* Adds a response header (value copied) to the response to come. */
void req_add_header(struct req *r, const char *name, const char *value);
/* The last path segment (the {param} of a route). */
const char *req_param(struct req *r);
/* 503 db_unavailable. */
void respond_db_down(struct req *r);
/* The one row a query finds; NULL when r is answered already: 503 when the
 * database fails, else code with the message missing when there is no
 * single row. PQclear the result. */
PGresult *query_row(struct req *r, PGconn *c, const char *sql, int n, const char *const *params,
		    enum mc_err code, const char *missing);
/* A query parameter, or NULL; one holding a NUL byte (%00) is "\x7f". */
const char *req_arg(struct req *r, const char *key);
const char *req_header(struct req *r, const char *key);
/* The sync protocol version the request says (header Motcua-Protocol; 1
 * when it says none). Answers 400 and returns -1 for one this server does
 * not speak: bad_request (not a number), protocol_outdated (below serve
 * --min-protocol: the workstation must be updated), protocol_unsupported
 * (above SYNC_PROTOCOL: the server must be). */
int req_protocol(struct req *r);
/* The client's address as text ("-" when unknown); n >= 46. */
void req_addr(struct req *r, char *addr, size_t n);
/* Parses the body as a JSON object; on failure responds 400 bad_json and
 * returns NULL. */
json_t *req_json(struct req *r);
/* Checks the bearer token; fills r->s and returns 0, or responds 401/503 and
 * returns -1. Routes marked ROUTE_TOKEN have passed it already. */
int auth_require(struct req *r, PGconn *c);
/* The server's clock as "YYYY-MM-DDTHH:MM:SS+07:00" (buf >= 32). */
void server_clock(char *buf, size_t n);

#endif
