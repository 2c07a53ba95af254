/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The HTTP engine: libmicrohttpd with a thread pool, routing over the table
 * `serve` hands it, request bodies with a size limit, JSON responses and
 * errors, the bearer token, the access log. See server/http.h. */
#include "server/http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>
#include <sodium.h>

#include "core/gzip.h"
#include "core/syncproto.h"
#include "core/text.h"

static size_t max_body = MAX_BODY_DEFAULT;
static int min_protocol = 1; /* serve --min-protocol */

static double now_mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void server_clock(char *buf, size_t n)
{
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	char z[8];
	strftime(z, sizeof(z), "%z", &tm); /* +0700 */
	char day[24];
	strftime(day, sizeof(day), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, n, "%s%.3s:%.2s", day, z, z + 3);
}

/* ---- limits of `serve` ------------------------------------------------------- */

static int token_days = 30;        /* --token-days */
static int lookup_per_minute = 60; /* --lookup-per-minute */

int http_token_days(void)
{
	return token_days;
}

int http_lookup_per_minute(void)
{
	return lookup_per_minute;
}

/* ---- routes ------------------------------------------------------------------- */

/* The table being served (set by http_serve before the daemon starts). */
static const struct route *routes;
static size_t nroutes;

static bool path_matches(const struct route *rt, const char *path)
{
	const char *brace = strchr(rt->path, '{');
	if (!brace)
		return !strcmp(path, rt->path);
	size_t n = (size_t)(brace - rt->path);
	return !strncmp(path, rt->path, n) && path[n] && !strchr(path + n, '/');
}

static bool method_matches(const struct route *rt, const char *method)
{
	return !strcmp(method, rt->method) || (!strcmp(rt->method, "GET") && !strcmp(method, "HEAD"));
}

const char *req_param(struct req *r)
{
	return strrchr(r->path, '/') + 1;
}

/* Paths with dot segments, empty segments, control bytes or backslashes are
 * refused before routing: nothing here maps a path to a file, but a proxy
 * in front might. MHD has already decoded %XX. */
bool http_path_sane(const char *p)
{
	if (p[0] != '/' || strlen(p) > MAX_PATH_LEN)
		return false;
	for (const unsigned char *s = (const unsigned char *)p; *s; s++)
		if (*s < 0x20 || *s == 0x7f || *s == '\\')
			return false;
	if (strstr(p, "//"))
		return false;
	for (const char *s = p; (s = strchr(s, '/')); s++) {
		if (s[1] == '.' && (s[2] == '/' || !s[2] || (s[2] == '.' && (s[3] == '/' || !s[3]))))
			return false;
	}
	return true;
}

/* ---- responses ------------------------------------------------------------------- */

#define STR_(x) #x
#define STR(x) STR_(x)
static const char protocol_text[] = STR(SYNC_PROTOCOL);

/* Answers at least this long go gzipped to a client that accepts it, when
 * they are text (JSON, the metrics): files (PDF, JPEG) are compressed
 * already and are served as they are stored. */
#define GZIP_FROM 256

static bool compressible(const char *ctype)
{
	return !strncmp(ctype, "application/json", 16) || !strncmp(ctype, "text/", 5);
}

static void queue(struct req *r, unsigned status, const char *ctype, char *body, size_t len)
{
	if (r->responded) {
		free(body);
		return;
	}
	bool gz = len >= GZIP_FROM && compressible(ctype) && mc_accepts_gzip(req_header(r, "Accept-Encoding"));
	if (gz) {
		struct strbuf z = STRBUF_INIT;
		mc_gzip(body, len, &z);
		free(body);
		len = z.len;
		body = strbuf_detach(&z);
	}
	struct MHD_Response *resp =
		MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	MHD_add_response_header(resp, "Content-Type", ctype);
	MHD_add_response_header(resp, "Vary", "Accept-Encoding");
	MHD_add_response_header(resp, "Accept-Encoding", "gzip"); /* what requests may use */
	MHD_add_response_header(resp, SYNC_PROTOCOL_HEADER, protocol_text);
	if (gz)
		MHD_add_response_header(resp, "Content-Encoding", "gzip");
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	if (status == 405 && r->allow[0])
		MHD_add_response_header(resp, "Allow", r->allow);
	for (int i = 0; i < r->nhdrs; i++)
		MHD_add_response_header(resp, r->hdr_names[i], r->hdr_values[i]);
	if (status == 401)
		MHD_add_response_header(resp, "WWW-Authenticate", "Bearer realm=\"motcua\"");
	MHD_queue_response(r->conn, status, resp);
	MHD_destroy_response(resp);
	r->responded = true;
	r->status = status;
	r->resp_len = len;
}

void req_add_header(struct req *r, const char *name, const char *value)
{
	if (r->nhdrs == REQ_MAX_HEADERS)
		return;
	r->hdr_names[r->nhdrs] = name;
	r->hdr_values[r->nhdrs++] = xstrdup(value);
}

void respond_empty(struct req *r, unsigned status)
{
	if (r->responded)
		return;
	struct MHD_Response *resp = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	MHD_add_response_header(resp, SYNC_PROTOCOL_HEADER, protocol_text);
	for (int i = 0; i < r->nhdrs; i++)
		MHD_add_response_header(resp, r->hdr_names[i], r->hdr_values[i]);
	MHD_queue_response(r->conn, status, resp);
	MHD_destroy_response(resp);
	r->responded = true;
	r->status = status;
	r->resp_len = 0;
}

void respond_text(struct req *r, unsigned status, const char *ctype, char *text)
{
	queue(r, status, ctype, text, strlen(text));
}

void respond_bytes(struct req *r, unsigned status, const char *ctype, char *bytes, size_t n)
{
	queue(r, status, ctype, bytes, n);
}

void respond_json(struct req *r, unsigned status, json_t *v)
{
	char *s = json_dumps(v, JSON_COMPACT);
	json_decref(v);
	if (!s)
		abort();
	size_t n = strlen(s);
	s = xrealloc(s, n + 2);
	s[n] = '\n';
	s[n + 1] = '\0';
	queue(r, status, "application/json; charset=utf-8", s, n + 1);
}

json_t *http_error_json(enum mc_err code, const char *msg)
{
	/* a message quoting a request's bytes (a query argument, the method)
	 * may not be UTF-8, which a JSON string cannot carry */
	char *clean = mc_text_valid(msg) ? NULL : mc_text_sanitize(msg);
	json_t *v = json_pack("{s:{s:s, s:s}}", "error", "code", mc_err_wire(code), "message",
			      clean ? clean : msg);
	free(clean);
	return v;
}

void respond_error(struct req *r, enum mc_err code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	respond_json(r, (unsigned)mc_err_status(code), http_error_json(code, msg));
	free(msg);
}

void respond_db_down(struct req *r)
{
	respond_error(r, MC_ERR_DB_UNAVAILABLE, "%s", mc_err_text(MC_ERR_DB_UNAVAILABLE));
}

PGresult *query_row(struct req *r, PGconn *c, const char *sql, int n, const char *const *params,
		    enum mc_err code, const char *missing)
{
	PGresult *res = db_query(c, sql, n, params);
	if (!db_ok(res)) {
		PQclear(res);
		respond_db_down(r);
		return NULL;
	}
	if (PQntuples(res) != 1) {
		PQclear(res);
		respond_error(r, code, "%s", missing);
		return NULL;
	}
	return res;
}

const char *req_arg(struct req *r, const char *key)
{
	const char *v = NULL;
	size_t n = 0;
	if (MHD_lookup_connection_value_n(r->conn, MHD_GET_ARGUMENT_KIND, key, strlen(key), &v, &n) !=
	    MHD_YES)
		return NULL;
	/* "%00" decodes to a NUL byte: a value no parameter accepts */
	return v && strlen(v) == n ? v : "\x7f";
}

const char *req_header(struct req *r, const char *key)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, key);
}

int req_protocol(struct req *r)
{
	const char *v = req_header(r, SYNC_PROTOCOL_HEADER);
	if (!v)
		v = "1";
	char *end;
	long n = strtol(v, &end, 10);
	if (end == v || *end || n < 1) {
		respond_error(r, MC_ERR_BAD_REQUEST, "Tiêu đề %s phải là một số nguyên dương (phiên bản"
			      " giao thức đồng bộ)", SYNC_PROTOCOL_HEADER);
		return -1;
	}
	if (n < min_protocol) {
		respond_error(r, MC_ERR_PROTOCOL_OUTDATED, "Phần mềm motcua của máy trạm đã cũ (giao thức"
			      " đồng bộ %ld; máy chủ cần từ %d đến %d): hãy cập nhật motcua rồi đồng bộ"
			      " lại", n, min_protocol, SYNC_PROTOCOL);
		return -1;
	}
	if (n > SYNC_PROTOCOL) {
		respond_error(r, MC_ERR_PROTOCOL_UNSUPPORTED, "Máy chủ chỉ hỗ trợ giao thức đồng bộ %d"
			      " đến %d (máy trạm dùng %ld): hãy cập nhật máy chủ", min_protocol,
			      SYNC_PROTOCOL, n);
		return -1;
	}
	return (int)n;
}

json_t *req_json(struct req *r)
{
	json_error_t je;
	json_t *v = r->body.len ? json_loadb(r->body.buf, r->body.len, JSON_REJECT_DUPLICATES, &je)
				: NULL;
	if (!r->body.len) {
		respond_error(r, MC_ERR_BAD_JSON, "Thiếu nội dung JSON của yêu cầu");
		return NULL;
	}
	if (!v) {
		respond_error(r, MC_ERR_BAD_JSON, "Nội dung không phải JSON hợp lệ (dòng %d, cột %d): %s",
			      je.line, je.column, je.text);
		return NULL;
	}
	if (!json_is_object(v)) {
		json_decref(v);
		respond_error(r, MC_ERR_BAD_JSON, "Nội dung JSON phải là một đối tượng {...}");
		return NULL;
	}
	return v;
}

/* ---- the bearer token ---------------------------------------------------------------- */

static void copy_field(char *dst, size_t n, const PGresult *res, int col)
{
	snprintf(dst, n, "%s", PQgetvalue(res, 0, col));
}

int auth_require(struct req *r, PGconn *c)
{
	const char *h = req_header(r, "Authorization");
	const char *tok = NULL;
	if (h && !strncasecmp(h, "Bearer ", 7))
		tok = h + 7;
	while (tok && *tok == ' ')
		tok++;
	if (!tok || !*tok || strlen(tok) > 256) {
		respond_error(r, MC_ERR_UNAUTHORIZED, "Cần đăng nhập: thiếu mã truy cập"
			      " (Authorization: Bearer ...)");
		return -1;
	}
	unsigned char hash[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(hash, (const unsigned char *)tok, strlen(tok));
	char hex[2 * sizeof(hash) + 3] = "\\x";
	sodium_bin2hex(hex + 2, sizeof(hex) - 2, hash, sizeof(hash));
	const char *p[] = { hex };
	PGresult *res = query_row(r, c, "SELECT u.username, u.full_name, u.unit_code, u.role, t.device_id,"
				    " t.expires_at <= now() FROM tokens t JOIN users u ON u.username = t.username"
				    " WHERE t.token_hash = $1::bytea AND t.revoked_at IS NULL"
				    " AND NOT u.disabled", 1, p, MC_ERR_UNAUTHORIZED,
				  "Mã truy cập không hợp lệ hoặc đã bị thu hồi;"
			      " hãy đăng nhập lại");
	if (!res)
		return -1;
	if (!strcmp(PQgetvalue(res, 0, 5), "t")) {
		PQclear(res);
		respond_error(r, MC_ERR_TOKEN_EXPIRED, "Mã truy cập đã hết hạn; hãy đăng nhập lại");
		return -1;
	}
	copy_field(r->s.username, sizeof(r->s.username), res, 0);
	copy_field(r->s.full_name, sizeof(r->s.full_name), res, 1);
	copy_field(r->s.unit_code, sizeof(r->s.unit_code), res, 2);
	copy_field(r->s.role, sizeof(r->s.role), res, 3);
	copy_field(r->s.device_id, sizeof(r->s.device_id), res, 4);
	PQclear(res);
	r->authed = true;
	return 0;
}

/* ---- the request cycle ----------------------------------------------------------------- */

/* The route of the request, or NULL with r->allow listing the methods of
 * the path when only the method is wrong (*path_known set). */
const struct route *http_route_find(const struct route *table, size_t n, const char *method,
				    const char *path, char *allow, size_t allow_size, bool *path_known)
{
	*path_known = false;
	allow[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (!path_matches(&table[i], path))
			continue;
		if (method_matches(&table[i], method))
			return &table[i];
		*path_known = true;
		size_t len = strlen(allow);
		snprintf(allow + len, allow_size - len, "%s%s%s", len ? ", " : "", table[i].method,
			 !strcmp(table[i].method, "GET") ? ", HEAD" : "");
	}
	return NULL;
}

static const struct route *find_route(struct req *r, bool *path_known)
{
	return http_route_find(routes, nroutes, r->method, r->path, r->allow, sizeof(r->allow),
			       path_known);
}

/* Answers at once what needs no body: a bad path, no route, a wrong method.
 * Returns the route, or NULL when answered. */
static const struct route *route_or_answer(struct req *r)
{
	if (!http_path_sane(r->path)) {
		respond_error(r, MC_ERR_BAD_PATH, "Đường dẫn không hợp lệ");
		return NULL;
	}
	bool path_known;
	r->route = find_route(r, &path_known);
	if (!r->route && path_known)
		respond_error(r, MC_ERR_METHOD_NOT_ALLOWED, "Phương thức %s không dùng được cho"
			      " đường dẫn này", r->method);
	else if (!r->route)
		respond_error(r, MC_ERR_NOT_FOUND, "Không có tài nguyên này trên máy chủ");
	return r->route;
}

/* The route's authentication: 0 when it may run (r->s filled for a
 * ROUTE_TOKEN route), -1 when answered 401 or 503. */
static int authenticate(struct req *r)
{
	if (r->route->auth == ROUTE_PUBLIC)
		return 0;
	PGconn *c = db_thread_conn();
	if (!c) {
		respond_db_down(r);
		return -1;
	}
	return auth_require(r, c);
}

/* A gzipped body (Content-Encoding: gzip) replaced by what it inflates to,
 * the limit applied to that: a small body that inflates beyond max_body is
 * refused like a large one. Returns 0, or -1 when answered. */
static int inflate_body(struct req *r)
{
	const char *ce = req_header(r, MHD_HTTP_HEADER_CONTENT_ENCODING);
	if (!ce || strcasecmp(ce, "gzip") || !r->body.len)
		return 0;
	struct strbuf plain = STRBUF_INIT;
	enum mc_gunzip_rc rc = mc_gunzip(r->body.buf, r->body.len, max_body, &plain);
	if (rc == MC_GUNZIP_TOO_LARGE)
		respond_error(r, MC_ERR_PAYLOAD_TOO_LARGE, "Nội dung yêu cầu sau khi giải nén quá lớn"
			      " (tối đa %zu byte)", max_body);
	else if (rc != MC_GUNZIP_OK)
		respond_error(r, MC_ERR_BAD_ENCODING, "Nội dung nén gzip bị hỏng hoặc không trọn vẹn");
	if (rc != MC_GUNZIP_OK) {
		strbuf_release(&plain);
		return -1;
	}
	strbuf_release(&r->body);
	r->body = plain;
	r->gzipped = true;
	return 0;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	(void)cls;
	(void)version;
	struct req *r = *con_cls;
	if (!r) {
		r = xcalloc(1, sizeof(*r));
		r->conn = conn;
		r->method = method;
		r->path = xstrndup(url, MAX_PATH_LEN + 1);
		r->start = now_mono();
		strbuf_init(&r->body);
		*con_cls = r;
		if (!route_or_answer(r))
			return MHD_YES;
		if (r->route->stream) {
			/* streamed: no size limit but the handler's */
			if (!authenticate(r))
				r->route->stream->begin(r);
			return MHD_YES;
		}
		const char *ce = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
							     MHD_HTTP_HEADER_CONTENT_ENCODING);
		if (ce && strcasecmp(ce, "gzip") && strcasecmp(ce, "identity")) {
			respond_error(r, MC_ERR_UNSUPPORTED_ENCODING, "Máy chủ chỉ nhận nội dung nén"
				      " gzip (Content-Encoding: %.32s không hỗ trợ)", ce);
			r->too_large = true; /* the body is not kept */
			return MHD_YES;
		}
		const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
							     MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (cl && strtoull(cl, NULL, 10) > max_body) {
			r->too_large = true;
			respond_error(r, MC_ERR_PAYLOAD_TOO_LARGE,
				      "Nội dung yêu cầu quá lớn (tối đa %zu byte)", max_body);
		}
		return MHD_YES;
	}
	if (*upload_size) {
		if (r->stream && !r->responded)
			r->route->stream->data(r, upload, *upload_size);
		else if (!r->too_large && r->body.len + *upload_size > max_body)
			r->too_large = true;
		else if (!r->too_large && !r->responded)
			strbuf_add(&r->body, upload, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	if (r->responded)
		return MHD_YES;
	if (r->stream) {
		r->route->stream->end(r);
	} else if (r->too_large) {
		respond_error(r, MC_ERR_PAYLOAD_TOO_LARGE, "Nội dung yêu cầu quá lớn (tối đa %zu byte)",
			      max_body);
	} else if (r->route->fn && !authenticate(r) && !inflate_body(r)) {
		r->route->fn(r);
	}
	if (!r->responded)
		respond_error(r, MC_ERR_INTERNAL, "%s", mc_err_text(MC_ERR_INTERNAL));
	return MHD_YES;
}

void req_addr(struct req *r, char *addr, size_t n)
{
	snprintf(addr, n, "-");
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;
		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr,
				  addr, (socklen_t)n);
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
				  addr, (socklen_t)n);
	}
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	struct req *r = *con_cls;
	if (!r)
		return;
	if (r->stream)
		r->route->stream->abort(r); /* keeps what arrived; frees the stream */
	double secs = now_mono() - r->start;
	const char *route = r->route ? r->route->name : "other";
	metrics_request(route, r->status, secs);
	char addr[INET6_ADDRSTRLEN];
	req_addr(r, addr, sizeof(addr));
	char clock[40];
	server_clock(clock, sizeof(clock));
	struct strbuf line = STRBUF_INIT;
	strbuf_addf(&line, "%s %s %s ", clock, addr, r->method);
	/* the path as received, control bytes and quotes escaped */
	for (const unsigned char *p = (const unsigned char *)r->path; *p; p++) {
		if (*p < 0x20 || *p == 0x7f || *p == '"' || *p == '\\')
			strbuf_addf(&line, "\\x%02x", *p);
		else
			strbuf_addch(&line, (char)*p);
	}
	strbuf_addf(&line, " %u %zu %.1fms user=%s", r->status, r->resp_len, secs * 1000.0,
		    r->authed ? r->s.username : "-");
	if (r->ops_applied + r->ops_duplicate + r->ops_conflict + r->ops_rejected)
		strbuf_addf(&line, " ops=%d/%d/%d/%d", r->ops_applied, r->ops_duplicate,
			    r->ops_conflict, r->ops_rejected);
	if (r->ops_compact)
		strbuf_addf(&line, " compact=%d", r->ops_compact);
	if (r->gzipped)
		strbuf_addstr(&line, " in=gzip");
	if (toe != MHD_REQUEST_TERMINATED_COMPLETED_OK)
		strbuf_addf(&line, " aborted=%d", (int)toe);
	server_log(r->status >= 500 ? LOG_WARNING : LOG_INFO, "%s", line.buf);
	strbuf_release(&line);
	strbuf_release(&r->body);
	for (int i = 0; i < r->nhdrs; i++)
		free(r->hdr_values[i]);
	free(r->path);
	free(r);
	*con_cls = NULL;
}

/* ---- motcua-server serve ------------------------------------------------------------------ */

static char *read_file(const char *path, struct strbuf *err)
{
	FILE *fp = fopen(path, "rb");
	if (!fp) {
		strbuf_addf(err, "không mở được tệp %s: %s", path, strerror(errno));
		return NULL;
	}
	struct strbuf sb = STRBUF_INIT;
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		strbuf_add(&sb, buf, n);
	fclose(fp);
	strbuf_addch(&sb, '\0');
	return strbuf_detach(&sb);
}

static void serve_usage(void)
{
	fputs("Cách dùng: motcua-server serve --pg CONNINFO [--listen ĐỊA_CHỈ:CỔNG]"
	      " [--threads N] [--max-body BYTE] [--min-protocol N] [--tls-cert TỆP --tls-key TỆP]"
	      " [--token-days N] [--lookup-per-minute N]\n",
	      stderr);
}

int http_serve(int argc, char **argv, const struct route *table, size_t ntable)
{
	routes = table;
	nroutes = ntable;
	static const struct option opts[] = {
		{ "pg", required_argument, NULL, 'p' },
		{ "listen", required_argument, NULL, 'l' },
		{ "threads", required_argument, NULL, 't' },
		{ "max-body", required_argument, NULL, 'b' },
		{ "min-protocol", required_argument, NULL, 'm' },
		{ "tls-cert", required_argument, NULL, 'c' },
		{ "tls-key", required_argument, NULL, 'k' },
		{ "token-days", required_argument, NULL, 'd' },
		{ "lookup-per-minute", required_argument, NULL, 'L' },
		{ NULL, 0, NULL, 0 },
	};
	/* defaults from server.conf and MOTCUA_* (config.c); options win */
	const struct server_config *cfg = config_get();
	const char *pg = cfg->pg, *listen = cfg->listen, *cert = cfg->tls_cert, *key = cfg->tls_key;
	long threads = cfg->threads;
	max_body = cfg->max_body;
	int o;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		char *end;
		switch (o) {
		case 'p': pg = optarg; break;
		case 'l': listen = optarg; break;
		case 'm':
			min_protocol = (int)strtol(optarg, &end, 10);
			if (*end || min_protocol < 1 || min_protocol > SYNC_PROTOCOL) {
				fprintf(stderr, SERVER_NAME ": --min-protocol phải từ 1 đến %d\n",
					SYNC_PROTOCOL);
				return 2;
			}
			break;
		case 'c': cert = optarg; break;
		case 'k': key = optarg; break;
		case 't':
			threads = strtol(optarg, &end, 10);
			if (*end || threads < 1 || threads > 256) {
				fprintf(stderr, SERVER_NAME ": --threads phải từ 1 đến 256\n");
				return 2;
			}
			break;
		case 'd': {
			long days = strtol(optarg, &end, 10);
			if (*end || days < 1 || days > 3650) {
				fprintf(stderr, SERVER_NAME ": --token-days phải từ 1 đến 3650\n");
				return 2;
			}
			token_days = (int)days;
			break;
		}
		case 'L': {
			long n = strtol(optarg, &end, 10);
			if (*end || !*optarg || n < 0 || n > 1000000) {
				fprintf(stderr, SERVER_NAME ": --lookup-per-minute phải từ 0 đến 1000000\n");
				return 2;
			}
			lookup_per_minute = (int)n;
			break;
		}
		case 'b': {
			unsigned long long v = strtoull(optarg, &end, 10);
			if (*end || v < 1024 || v > (1ull << 30)) {
				fprintf(stderr, SERVER_NAME ": --max-body phải từ 1024 đến 1073741824\n");
				return 2;
			}
			max_body = (size_t)v;
			break;
		}
		default:
			serve_usage();
			return 2;
		}
	}
	struct sockaddr_in sa;
	if (!pg || optind != argc || (!cert) != (!key)) {
		serve_usage();
		return 2;
	}
	if (config_parse_listen(listen, &sa)) {
		fprintf(stderr, SERVER_NAME ": địa chỉ nghe không hợp lệ: %s (ví dụ 127.0.0.1:8080)\n",
			listen);
		return 2;
	}

	struct strbuf err = STRBUF_INIT;
	PGconn *c = db_connect(pg, &err);
	if (!c) {
		server_log(LOG_ERR, SERVER_NAME ": %s", err.buf);
		strbuf_release(&err);
		return 1;
	}
	int have = db_schema_version(c), want = db_schema_latest();
	PQfinish(c);
	if (have != want) {
		server_log(LOG_ERR, SERVER_NAME ": lược đồ cơ sở dữ liệu ở phiên bản %d, cần %d;"
			   " hãy chạy: motcua-server migrate --pg ...", have < 0 ? 0 : have, want);
		return 1;
	}
	char *cert_pem = NULL, *key_pem = NULL;
	if (cert && (!(cert_pem = read_file(cert, &err)) || !(key_pem = read_file(key, &err)))) {
		server_log(LOG_ERR, SERVER_NAME ": %s", err.buf);
		strbuf_release(&err);
		free(cert_pem);
		return 1;
	}

	/* Signals are taken by this thread only (sigwait below). */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	db_thread_setup(pg);
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ERROR_LOG;
	if (cert)
		flags |= MHD_USE_TLS;
	struct MHD_OptionItem tls[] = {
		{ cert ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, 0, cert_pem },
		{ cert ? MHD_OPTION_HTTPS_MEM_KEY : MHD_OPTION_END, 0, key_pem },
		{ MHD_OPTION_END, 0, NULL },
	};
	struct MHD_Daemon *d = MHD_start_daemon(
		flags, 0, NULL, NULL, on_request, NULL,
		MHD_OPTION_EXTERNAL_LOGGER, server_mhd_log, NULL, /* first, says MHD */
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)threads,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)120,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024),
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
		MHD_OPTION_ARRAY, tls,
		MHD_OPTION_END);
	if (!d) {
		server_log(LOG_ERR, SERVER_NAME ": không mở được cổng %s: %s", listen, strerror(errno));
		db_thread_teardown();
		free(cert_pem);
		free(key_pem);
		strbuf_release(&err);
		return 1;
	}
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	char host[INET_ADDRSTRLEN];
	inet_ntop(AF_INET, &sa.sin_addr, host, sizeof(host));
	int sig = 0;
	/* /metrics on its own address first: "listening on" says all is up */
	if (cfg->metrics_listen && metrics_serve_start(cfg->metrics_listen, &err)) {
		server_log(LOG_ERR, SERVER_NAME ": %s", err.buf);
		sig = -1;
	} else {
		server_log(LOG_INFO, SERVER_NAME ": listening on %s://%s:%u (pid %ld)",
			   cert ? "https" : "http", host,
			   info ? (unsigned)info->port : (unsigned)ntohs(sa.sin_port), (long)getpid());
		sigwait(&set, &sig);
		server_log(LOG_INFO, SERVER_NAME ": signal %d, stopping", sig);
	}
	metrics_serve_stop();
	MHD_stop_daemon(d);
	db_thread_teardown();
	free(cert_pem);
	free(key_pem);
	strbuf_release(&err);
	return sig < 0;
}
