/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The API handlers other than push: health, metrics, login and logout, the
 * change feed, dossier-number leases and the public lookup. */
#include "server/api.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "core/datetime.h"
#include "core/dcode.h"
#include "core/lifecycle.h"
#include "core/dossier_doc.h"
#include "core/syncproto.h"

/* Connection for a handler, or a 503 already sent. */
static PGconn *conn_or_503(struct req *r)
{
	PGconn *c = db_thread_conn();
	if (!c)
		respond_db_down(r);
	return c;
}

static const char *jstr(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

void api_healthz(struct req *r)
{
	PGconn *c = conn_or_503(r);
	if (!c)
		return;
	PGresult *res = PQexec(c, "SELECT 1");
	bool ok = db_ok(res);
	PQclear(res);
	if (!ok) {
		respond_db_down(r);
		return;
	}
	char clock[40];
	server_clock(clock, sizeof(clock));
	respond_json(r, 200, json_pack("{s:s, s:s, s:s}", "status", "ok", "db", "ok",
				       "server_clock", clock));
}

void api_metrics(struct req *r)
{
	if (config_get()->metrics_listen) { /* served on its own address only */
		respond_error(r, MC_ERR_NOT_FOUND, "Không có tài nguyên này trên máy chủ");
		return;
	}
	char *text = metrics_render();
	PGconn *c = db_thread_conn();
	char *portal = c ? portal_metrics(c) : NULL;
	if (portal) {
		char *both = xasprintf("%s%s", text, portal);
		free(text);
		free(portal);
		text = both;
	}
	respond_text(r, 200, "text/plain; version=0.0.4; charset=utf-8", text);
}

/* ---- login, logout ------------------------------------------------------------- */

/* The units a user serves as a JSON array of {code, name, ident, kind, parent_code}. */
static json_t *user_units(PGconn *c, const char *username)
{
	const char *p[] = { username };
	PGresult *res = db_query(c, "SELECT code, name, ident, kind, parent_code FROM units"
				    " WHERE code IN (SELECT unit_code FROM user_scope($1)) ORDER BY code",
				 1, p);
	if (!db_ok(res)) {
		PQclear(res);
		return NULL;
	}
	json_t *arr = json_array();
	for (int i = 0; i < PQntuples(res); i++) {
		json_t *u = json_pack("{s:s, s:s, s:s, s:s}", "code", PQgetvalue(res, i, 0),
				      "name", PQgetvalue(res, i, 1), "ident", PQgetvalue(res, i, 2),
				      "kind", PQgetvalue(res, i, 3));
		json_object_set_new(u, "parent_code", PQgetisnull(res, i, 4) ? json_null()
						: json_string(PQgetvalue(res, i, 4)));
		json_array_append_new(arr, u);
	}
	PQclear(res);
	return arr;
}

static json_t *user_json(const struct session *s)
{
	return json_pack("{s:s, s:s, s:s, s:s}", "username", s->username, "full_name", s->full_name,
			 "unit_code", s->unit_code, "role", s->role);
}

static void token_hash_hex(const char *token, char out[2 * crypto_hash_sha256_BYTES + 3])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
	out[0] = '\\';
	out[1] = 'x';
	sodium_bin2hex(out + 2, 2 * crypto_hash_sha256_BYTES + 1, h, sizeof(h));
}

/* An Argon2id hash of nothing in particular: an unknown user name costs the
 * same verification as a known one, so timing does not tell which exist. */
static char dummy_hash[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void dummy_init(void)
{
	static const char pw[] = "motcua-timing-equaliser";
	if (crypto_pwhash_str(dummy_hash, pw, sizeof(pw) - 1, crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE))
		dummy_hash[0] = '\0';
}

static bool password_ok(const char *hash, const char *pass)
{
	if (hash)
		return crypto_pwhash_str_verify(hash, pass, strlen(pass)) == 0;
	pthread_once(&dummy_once, dummy_init);
	volatile int sink = dummy_hash[0] ? crypto_pwhash_str_verify(dummy_hash, pass, strlen(pass)) : 0;
	(void)sink;
	return false;
}

/* ---- throttled logins, expiring tokens ------------------------------------------- */

#define LOGIN_WINDOW "900"   /* seconds in which failures count */
#define LOGIN_USER_MAX 5     /* failures of one user name in the window: locked */
#define LOGIN_ADDR_MAX 20    /* failures from one address in the window: locked */
#define LOGIN_LOCK "300"     /* seconds a lock lasts after the last failure */

/* A user name as the log may show it: printable ASCII, others as '?'. */
static void log_name(const char *in, char *out, size_t n)
{
	size_t i = 0;
	for (; in[i] && i + 1 < n; i++)
		out[i] = in[i] > 0x20 && in[i] < 0x7f ? in[i] : '?';
	out[i] = '\0';
}

/* Seconds until user and addr may try a password again: 0 now, -1 on a
 * database failure. Asked before the (costly) hash. */
static long login_wait(PGconn *c, const char *user, const char *addr)
{
	char umax[16], amax[16];
	snprintf(umax, sizeof(umax), "%d", LOGIN_USER_MAX);
	snprintf(amax, sizeof(amax), "%d", LOGIN_ADDR_MAX);
	const char *p[] = { user, addr, umax, amax };
	PGresult *res = db_query(c, "SELECT greatest(0,"
				    " (SELECT CASE WHEN count(*) >= $3::int THEN"
				    " ceil(extract(epoch FROM max(at) + " LOGIN_LOCK " * interval '1 s' - now()))"
				    " ELSE 0 END FROM login_failures WHERE username = $1"
				    " AND at > now() - " LOGIN_WINDOW " * interval '1 s'),"
				    " (SELECT CASE WHEN count(*) >= $4::int THEN"
				    " ceil(extract(epoch FROM max(at) + " LOGIN_LOCK " * interval '1 s' - now()))"
				    " ELSE 0 END FROM login_failures WHERE addr = $2"
				    " AND at > now() - " LOGIN_WINDOW " * interval '1 s'))::bigint", 4, p);
	long v = db_ok(res) && PQntuples(res) == 1 ? atol(PQgetvalue(res, 0, 0)) : -1;
	PQclear(res);
	return v;
}

/* Records a failed login and logs it (and the lock it starts). */
static void login_failed(PGconn *c, const char *user, const char *addr)
{
	const char *p[] = { user, addr };
	PGresult *res = db_query(c, "WITH old AS (DELETE FROM login_failures"
				    " WHERE at < now() - interval '1 day'),"
				    " ins AS (INSERT INTO login_failures(username, addr) VALUES ($1, $2))"
				    " SELECT (SELECT count(*) FROM login_failures WHERE username = $1"
				    " AND at > now() - " LOGIN_WINDOW " * interval '1 s') + 1,"
				    " (SELECT count(*) FROM login_failures WHERE addr = $2"
				    " AND at > now() - " LOGIN_WINDOW " * interval '1 s') + 1", 2, p);
	char name[64];
	log_name(user, name, sizeof(name));
	if (db_ok(res) && PQntuples(res) == 1) {
		long nu = atol(PQgetvalue(res, 0, 0)), na = atol(PQgetvalue(res, 0, 1));
		server_log(LOG_WARNING, SERVER_NAME ": login: failed for %s from %s (%ld for the name, %ld"
			" from the address in " LOGIN_WINDOW " s)%s\n", name, addr, nu, na,
			nu >= LOGIN_USER_MAX || na >= LOGIN_ADDR_MAX ? "; locked for " LOGIN_LOCK " s" : "");
	}
	PQclear(res);
}

/* 429 too_many_attempts with Retry-After. */
static void respond_throttled(struct req *r, const char *user, const char *addr, long wait)
{
	char secs[24], name[64];
	snprintf(secs, sizeof(secs), "%ld", wait);
	log_name(user, name, sizeof(name));
	server_log(LOG_WARNING, SERVER_NAME ": login: %s from %s refused, locked for %ld s more\n", name,
		addr, wait);
	req_add_header(r, "Retry-After", secs);
	respond_error(r, MC_ERR_TOO_MANY_ATTEMPTS, "Đăng nhập sai quá nhiều lần; hãy thử lại sau %ld"
		      " giây", wait);
}

/* A new token of user on device dev, valid token_days: its text in token
 * (>= 69 bytes) and its expiry in expires (>= 40 bytes), inside the caller's
 * transaction. 0, or -1 (database). */
static int token_issue(PGconn *c, const char *dev, const char *user, char *token, char *expires)
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof(raw));
	memcpy(token, "mc1_", 4);
	sodium_bin2hex(token + 4, 2 * sizeof(raw) + 1, raw, sizeof(raw));
	char hash[2 * crypto_hash_sha256_BYTES + 3];
	token_hash_hex(token, hash);
	char days[16];
	snprintf(days, sizeof(days), "%d", http_token_days());
	const char *tp[] = { hash, dev, user, days };
	PGresult *res = db_query(c, "INSERT INTO tokens(token_hash, device_id, username, expires_at)"
				    " VALUES ($1::bytea, $2, $3, now() + $4::int * interval '1 day')"
				    " RETURNING to_char(expires_at AT TIME ZONE 'Asia/Ho_Chi_Minh',"
				    " 'YYYY-MM-DD\"T\"HH24:MI:SS\"+07:00\"')", 4, tp);
	int rc = db_ok(res) && PQntuples(res) == 1 ? 0 : -1;
	if (!rc)
		snprintf(expires, 40, "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	return rc;
}

void api_login(struct req *r)
{
	json_t *in = req_json(r);
	if (!in)
		return;
	const char *user = jstr(in, "username"), *pass = jstr(in, "password");
	const char *dev = jstr(in, "device_id"), *dname = jstr(in, "device_name");
	if (!user || !pass || !*user || strlen(user) > 63 || strlen(pass) > 1024) {
		respond_error(r, MC_ERR_BAD_REQUEST, "Cần \"username\" và \"password\" (chuỗi)");
		goto out;
	}
	if (!sync_id_valid(dev)) {
		respond_error(r, MC_ERR_BAD_REQUEST, "Cần \"device_id\": 1 đến %d ký tự"
			      " A-Z a-z 0-9 . _ : -", SYNC_ID_MAX);
		goto out;
	}
	if (json_object_get(in, "device_name") && (!dname || strlen(dname) > 128)) {
		respond_error(r, MC_ERR_BAD_REQUEST, "\"device_name\" phải là chuỗi tối đa 128 byte");
		goto out;
	}
	PGconn *c = conn_or_503(r);
	if (!c)
		goto out;
	char addr[64];
	req_addr(r, addr, sizeof(addr));
	long wait = login_wait(c, user, addr);
	if (wait < 0) {
		respond_db_down(r);
		goto out;
	}
	if (wait > 0) {
		respond_throttled(r, user, addr, wait);
		goto out;
	}
	const char *p[] = { user };
	PGresult *res = db_query(c, "SELECT pw_hash, disabled, full_name, unit_code, role"
				    " FROM users WHERE username = $1", 1, p);
	if (!db_ok(res)) {
		PQclear(res);
		respond_db_down(r);
		goto out;
	}
	bool found = PQntuples(res) == 1;
	bool good = password_ok(found ? PQgetvalue(res, 0, 0) : NULL, pass);
	if (!good) {
		PQclear(res);
		login_failed(c, user, addr);
		respond_error(r, MC_ERR_BAD_CREDENTIALS, "Sai tên đăng nhập hoặc mật khẩu");
		goto out;
	}
	if (!strcmp(PQgetvalue(res, 0, 1), "t")) {
		PQclear(res);
		respond_error(r, MC_ERR_USER_DISABLED, "Tài khoản đã bị khóa; hãy liên hệ quản trị viên");
		goto out;
	}
	struct session s = { 0 };
	snprintf(s.username, sizeof(s.username), "%s", user);
	snprintf(s.full_name, sizeof(s.full_name), "%s", PQgetvalue(res, 0, 2));
	snprintf(s.unit_code, sizeof(s.unit_code), "%s", PQgetvalue(res, 0, 3));
	snprintf(s.role, sizeof(s.role), "%s", PQgetvalue(res, 0, 4));
	PQclear(res);
	db_execp(c, "DELETE FROM login_failures WHERE username = $1", 1, p, NULL);

	/* A device is bound to its unit: a clerk who serves that unit may log in
	 * on it (a commune's PC shared by its clerks: the binding moves to them
	 * and the previous user's tokens on it are revoked); a user of another
	 * unit is refused until an admin releases it (device release). */
	const char *dq[] = { dev, user };
	res = db_query(c, "SELECT d.username, d.unit_code, d.unit_code IN (SELECT user_scope($2))"
			  " FROM devices d WHERE d.device_id = $1 AND d.released_at IS NULL", 2, dq);
	if (!db_ok(res)) {
		PQclear(res);
		respond_db_down(r);
		goto out;
	}
	bool bound = PQntuples(res) == 1;
	char prev[64] = "", dunit[32] = "";
	if (bound) {
		snprintf(prev, sizeof(prev), "%s", PQgetvalue(res, 0, 0));
		snprintf(dunit, sizeof(dunit), "%s", PQgetvalue(res, 0, 1));
	}
	bool taken = bound && strcmp(prev, user) && strcmp(PQgetvalue(res, 0, 2), "t");
	PQclear(res);
	char name[64];
	log_name(user, name, sizeof(name));
	if (taken) {
		server_log(LOG_WARNING, SERVER_NAME ": login: device %s of unit %s (user %s) refused"
			   " to %s", dev, dunit, prev, name);
		respond_error(r, MC_ERR_DEVICE_TAKEN, "Thiết bị %s đã gắn với đơn vị %s; cán bộ của"
			      " đơn vị khác cần quản trị viên gỡ thiết bị trước (motcua-server device"
			      " release)", dev, dunit);
		goto out;
	}
	bool moved = bound && strcmp(prev, user);
	char token[72], expires[40];
	const char *dp[] = { dev, dname, user, s.unit_code };
	if (db_exec(c, "BEGIN", NULL) ||
	    db_execp(c, "INSERT INTO devices(device_id, name, username, unit_code, last_seen_at)"
			" VALUES ($1, $2, $3, $4, now()) ON CONFLICT (device_id) DO UPDATE SET"
			" name = coalesce(excluded.name, devices.name), username = excluded.username,"
			" unit_code = CASE WHEN devices.released_at IS NULL AND devices.unit_code IS NOT NULL"
			" THEN devices.unit_code ELSE excluded.unit_code END,"
			" last_seen_at = now(), released_at = NULL", 4, dp, NULL) ||
	    (moved && db_execp(c, "UPDATE tokens SET revoked_at = now() WHERE device_id = $1"
				  " AND username <> $2 AND revoked_at IS NULL", 2, dq, NULL)) ||
	    token_issue(c, dev, user, token, expires) || db_exec(c, "COMMIT", NULL)) {
		db_exec(c, "ROLLBACK", NULL);
		respond_db_down(r);
		goto out;
	}
	if (moved)
		server_log(LOG_INFO, SERVER_NAME ": login: device %s of unit %s moved from %s to %s;"
			   " %s's tokens on it revoked", dev, dunit, prev, name, prev);
	json_t *units = user_units(c, user);
	if (!units) {
		respond_db_down(r);
		goto out;
	}
	r->authed = true;
	r->s = s;
	respond_json(r, 200, json_pack("{s:s, s:s, s:o, s:o}", "token", token, "expires_at", expires,
				       "user", user_json(&s), "units", units));
	sodium_memzero(token, sizeof(token));
out:
	json_decref(in);
}

/* The hash of the request's bearer token (authenticated: the header is
 * there), as token_hash_hex writes it. */
static void bearer_hash(struct req *r, char hash[2 * crypto_hash_sha256_BYTES + 3])
{
	const char *tok = req_header(r, "Authorization") + 7;
	while (*tok == ' ')
		tok++;
	token_hash_hex(tok, hash);
}

void api_logout(struct req *r)
{
	PGconn *c = conn_or_503(r);
	if (!c)
		return;
	char hash[2 * crypto_hash_sha256_BYTES + 3];
	bearer_hash(r, hash);
	const char *p[] = { hash };
	if (db_execp(c, "UPDATE tokens SET revoked_at = now() WHERE token_hash = $1::bytea"
			" AND revoked_at IS NULL", 1, p, NULL)) {
		respond_db_down(r);
		return;
	}
	respond_json(r, 200, json_pack("{s:b}", "revoked", 1));
}

/* POST /api/v1/auth/refresh: a new token for the same user and device, the
 * one used revoked; an expired or revoked token cannot refresh. */
void api_refresh(struct req *r)
{
	PGconn *c = conn_or_503(r);
	if (!c)
		return;
	char hash[2 * crypto_hash_sha256_BYTES + 3];
	bearer_hash(r, hash);
	const char *p[] = { hash };
	char token[72], expires[40];
	if (db_exec(c, "BEGIN", NULL) ||
	    db_execp(c, "UPDATE tokens SET revoked_at = now() WHERE token_hash = $1::bytea"
			" AND revoked_at IS NULL", 1, p, NULL) ||
	    token_issue(c, r->s.device_id, r->s.username, token, expires) ||
	    db_exec(c, "COMMIT", NULL)) {
		db_exec(c, "ROLLBACK", NULL);
		respond_db_down(r);
		return;
	}
	respond_json(r, 200, json_pack("{s:s, s:s}", "token", token, "expires_at", expires));
	sodium_memzero(token, sizeof(token));
}

void api_me(struct req *r)
{
	PGconn *c = conn_or_503(r);
	if (!c)
		return;
	json_t *units = user_units(c, r->s.username);
	if (!units) {
		respond_db_down(r);
		return;
	}
	respond_json(r, 200, json_pack("{s:o, s:s, s:o}", "user", user_json(&r->s),
				       "device_id", r->s.device_id, "units", units));
}

/* ---- the change feed -------------------------------------------------------------- */

/* A cursor is "<epoch>.<seq>.<scope>.<mark>": the database's random epoch,
 * the last seq delivered, a fingerprint of the units the user served and the
 * mark of the change at that seq (0 for none). Opaque to clients; any
 * mismatch is 410 cursor_expired (start again from scratch).
 *
 * The mark is there for a database restored from an older dump: its epoch is
 * the dump's and its seqs start again after the dump's last one, so a cursor
 * given out after the dump points either beyond the log (seq > max) or, once
 * new changes have been written, at another change than the one delivered
 * (the mark differs). Either way the client pulls again from the beginning;
 * its outbox and its unpushed changes stay (the client's rule). */
/* CURSOR_MARK: server/api.h */

/* The changes a user pulls: reference data (unit_code NULL) and the changes
 * of dossiers whose receiving unit (unit_code) or handling unit (units, see
 * 0003_scope.sql) is one the user serves. $2 is the user name. */
#define FEED_FROM " FROM changes, (SELECT coalesce(array_agg(unit_code), '{}') AS mine" \
		  " FROM user_scope($2)) s WHERE seq > $1 AND (changes.unit_code IS NULL OR" \
		  " changes.unit_code = ANY(s.mine) OR changes.units && s.mine)"

struct scope_info {
	char epoch[16];
	char scope[16];
	long long max_seq;
};

static int scope_info(PGconn *c, const char *user, struct scope_info *si)
{
	const char *p[] = { user };
	PGresult *res = db_query(c, "SELECT (SELECT epoch FROM server_meta),"
				    " substr(md5(coalesce((SELECT string_agg(unit_code, ',' ORDER BY unit_code)"
				    " FROM user_scope($1)), '')), 1, 8),"
				    " (SELECT coalesce(max(seq), 0) FROM changes)", 1, p);
	int rc = db_ok(res) && PQntuples(res) == 1 ? 0 : -1;
	if (!rc) {
		snprintf(si->epoch, sizeof(si->epoch), "%s", PQgetvalue(res, 0, 0));
		snprintf(si->scope, sizeof(si->scope), "%s", PQgetvalue(res, 0, 1));
		si->max_seq = atoll(PQgetvalue(res, 0, 2));
	}
	PQclear(res);
	return rc;
}

/* The parts of a cursor, checked against the database's epoch, the user's
 * scope and the log's last seq (pure). 0, or -1 when it is not one of ours. */
static int parse_cursor(const char *s, const struct scope_info *si, long long *seq, char *mark,
			size_t n)
{
	const char *d1 = strchr(s, '.');
	const char *d2 = d1 ? strchr(d1 + 1, '.') : NULL;
	const char *d3 = d2 ? strchr(d2 + 1, '.') : NULL;
	if (!d1 || !d2 || !d3 || strlen(s) > 64 || strlen(d3 + 1) >= n)
		return -1;
	if ((size_t)(d1 - s) != strlen(si->epoch) || strncmp(s, si->epoch, (size_t)(d1 - s)))
		return -1;
	if ((size_t)(d3 - d2 - 1) != strlen(si->scope) || strncmp(d2 + 1, si->scope, strlen(si->scope)))
		return -1;
	char *end;
	long long v = strtoll(d1 + 1, &end, 10);
	if (end != d2 || d1 + 1 == d2 || !isdigit((unsigned char)d1[1]) || v < 0 || v > si->max_seq)
		return -1;
	*seq = v;
	snprintf(mark, n, "%s", d3 + 1);
	return 0;
}

/* Whether the change at seq still has the mark the cursor carries: 1 yes,
 * 0 no (another change, or none, after a restore), -1 database failure. */
static int mark_holds(PGconn *c, long long seq, const char *mark)
{
	if (seq == 0)
		return !strcmp(mark, "0");
	char seqs[24];
	snprintf(seqs, sizeof(seqs), "%lld", seq);
	const char *p[] = { seqs };
	PGresult *res = db_query(c, "SELECT " CURSOR_MARK " FROM changes WHERE seq = $1", 1, p);
	int rc = !db_ok(res) ? -1 : PQntuples(res) == 1 && !strcmp(PQgetvalue(res, 0, 0), mark);
	PQclear(res);
	return rc;
}

/* The limit parameter: 0, or -1 with a 400 sent. */
static int feed_limit(struct req *r, long *limit)
{
	const char *lim = req_arg(r, "limit");
	*limit = SYNC_DEFAULT_CHANGES;
	if (!lim)
		return 0;
	char *end;
	*limit = strtol(lim, &end, 10);
	if (*end || !*lim || *limit < 1 || *limit > SYNC_MAX_CHANGES) {
		respond_error(r, MC_ERR_BAD_REQUEST, "\"limit\" phải từ 1 đến %d", SYNC_MAX_CHANGES);
		return -1;
	}
	return 0;
}

/* One page after seq from into ch; *last and mark follow its last change.
 * 0, or -1 (database). */
static int feed_page(PGconn *c, const char *user, long long from, long limit,
		     struct sync_changes *ch, long long *last, char *mark, size_t n)
{
	char froms[24], lims[24];
	snprintf(froms, sizeof(froms), "%lld", from);
	snprintf(lims, sizeof(lims), "%ld", limit);
	const char *p[] = { froms, user, lims };
	PGresult *res = db_query(c, "SELECT seq, entity, entity_id, rev, data::text, " CURSOR_MARK
				    FEED_FROM " ORDER BY seq LIMIT $3", 3, p);
	if (!db_ok(res)) {
		PQclear(res);
		return -1;
	}
	*last = from;
	for (int i = 0; i < PQntuples(res); i++) {
		json_t *data = json_loads(PQgetvalue(res, i, 4), 0, NULL);
		*last = atoll(PQgetvalue(res, i, 0));
		snprintf(mark, n, "%s", PQgetvalue(res, i, 5));
		sync_changes_add(ch, *last, PQgetvalue(res, i, 1), PQgetvalue(res, i, 2),
				 atoll(PQgetvalue(res, i, 3)), data ? data : json_null());
		json_decref(data);
	}
	PQclear(res);
	return 0;
}

/* How many changes the user has after seq; -1 (database). */
static long long feed_remaining(PGconn *c, const char *user, long long after)
{
	char afters[24];
	snprintf(afters, sizeof(afters), "%lld", after);
	const char *p[] = { afters, user };
	PGresult *res = db_query(c, "SELECT count(*)" FEED_FROM, 2, p);
	long long n = db_ok(res) ? atoll(PQgetvalue(res, 0, 0)) : -1;
	PQclear(res);
	return n;
}

/* The catalogs of the procedures of a page of changes, each read once. */
struct catalogs {
	size_t n;
	char **codes;
	json_t **procs;
	struct dossier_doc_component **cats;
	size_t *ncats;
};

static void catalogs_release(struct catalogs *k)
{
	for (size_t i = 0; i < k->n; i++) {
		free(k->codes[i]);
		json_decref(k->procs[i]);
		free(k->cats[i]);
	}
	free(k->codes);
	free(k->procs);
	free(k->cats);
	free(k->ncats);
}

/* The catalog of a procedure (empty when the server does not know it), or
 * NULL when the database failed. */
static const struct dossier_doc_component *catalog_of(PGconn *c, struct catalogs *k,
						       const char *code, size_t *n)
{
	for (size_t i = 0; i < k->n; i++)
		if (!strcmp(k->codes[i], code)) {
			*n = k->ncats[i];
			return k->cats[i];
		}
	const char *p[] = { code };
	PGresult *res = db_query(c, "SELECT data::text FROM procedures WHERE code = $1", 1, p);
	if (!db_ok(res)) {
		PQclear(res);
		return NULL;
	}
	json_t *proc = PQntuples(res) == 1 ? json_loads(PQgetvalue(res, 0, 0), 0, NULL) : NULL;
	PQclear(res);
	size_t i = k->n++;
	k->codes = xrealloc(k->codes, k->n * sizeof(*k->codes));
	k->procs = xrealloc(k->procs, k->n * sizeof(*k->procs));
	k->cats = xrealloc(k->cats, k->n * sizeof(*k->cats));
	k->ncats = xrealloc(k->ncats, k->n * sizeof(*k->ncats));
	k->codes[i] = xstrdup(code);
	k->procs[i] = proc; /* the catalog's strings point into it */
	k->cats[i] = dossier_doc_catalog(proc, &k->ncats[i]);
	*n = k->ncats[i];
	return k->cats[i];
}

/* The dossiers of a page in the compact form (core/dossier_doc.h) where it
 * is exact against the server's catalog; the others go whole. -1 when the
 * database failed. */
int compact_feed(PGconn *c, struct sync_changes *ch)
{
	struct catalogs k = { 0 };
	int rc = 0;
	for (size_t i = 0; i < ch->nchanges && !rc; i++) {
		const char *code = json_string_value(json_object_get(ch->changes[i].data,
								     "procedure_code"));
		if (strcmp(ch->changes[i].entity, "dossier") || !code)
			continue;
		size_t n;
		const struct dossier_doc_component *cat = catalog_of(c, &k, code, &n);
		if (!cat) {
			rc = -1;
			break;
		}
		json_t *compact = dossier_doc_compact_exact(ch->changes[i].data, cat, n);
		json_decref(ch->changes[i].data);
		ch->changes[i].data = compact;
	}
	catalogs_release(&k);
	return rc;
}

void api_changes(struct req *r)
{
	PGconn *c = conn_or_503(r);
	if (!c)
		return;
	int protocol = req_protocol(r);
	if (protocol < 0)
		return;
	const char *since = req_arg(r, "since");
	long limit;
	if (feed_limit(r, &limit))
		return;
	struct scope_info si;
	if (scope_info(c, r->s.username, &si)) {
		respond_db_down(r);
		return;
	}
	long long from = 0;
	char mark[16] = "0";
	int holds = 1;
	if (since && *since) {
		holds = parse_cursor(since, &si, &from, mark, sizeof(mark)) ? 0
									   : mark_holds(c, from, mark);
	}
	if (holds < 0) {
		respond_db_down(r);
		return;
	}
	if (!holds) {
		respond_error(r, MC_ERR_CURSOR_EXPIRED, "Con trỏ đồng bộ không còn hiệu lực;"
			      " hãy tải lại dữ liệu từ đầu");
		return;
	}
	struct sync_changes ch;
	sync_changes_init(&ch);
	long long last;
	if (feed_page(c, r->s.username, from, limit, &ch, &last, mark, sizeof(mark)) ||
	    (ch.remaining = feed_remaining(c, r->s.username, last)) < 0) {
		sync_changes_release(&ch);
		respond_db_down(r);
		return;
	}
	if (protocol >= 2 && compact_feed(c, &ch)) {
		sync_changes_release(&ch);
		respond_db_down(r);
		return;
	}
	ch.next = xasprintf("%s.%lld.%s.%s", si.epoch, last, si.scope, mark);
	char *body = sync_changes_encode(&ch);
	sync_changes_release(&ch);
	size_t n = strlen(body);
	body = xrealloc(body, n + 2);
	memcpy(body + n, "\n", 2);
	respond_text(r, 200, "application/json; charset=utf-8", body);
}

/* ---- leases ------------------------------------------------------------------------- */

/* Workstations number without a lease from 900,000,000 on (core/dcode.h):
 * codes there say nothing about the counter, and no lease reaches them. */
#define LEASE_CODES_BELOW "900000000"
#define LEASE_MAX_BLOCK 1000 /* numbers of one lease */
/* How far above the unit's counter a request's floor may lift it: a
 * workstation's floor says which numbers it holds after the server was
 * restored from an older dump (a few blocks above the dump's counter); a
 * floor beyond this is refused, so that one request cannot drag the counter
 * to the end of the range. Only the server moves the counter further. */
#define LEASE_FLOOR_MAX_JUMP (10 * LEASE_MAX_BLOCK)

/* Takes count numbers of ident's counter, in the caller's transaction: the
 * block ends at the returned number (-1: database failure). The counter
 * first rises to the request's floor (the highest number the workstation
 * holds) and to the highest number of the codes this database holds for
 * ident: after a restore from an older dump, the counter is the dump's, and
 * without these a block leased after the dump would be leased again. */
static long long lease_take(PGconn *c, const char *ident, const char *count, const char *floor)
{
	const char *p[] = { ident, count, floor };
	PGresult *res = db_query(c, "WITH held AS (SELECT coalesce(max(n), 0) AS n FROM"
				    " (SELECT substring(code FROM '-([0-9]{1,9})$')::bigint AS n FROM dossiers"
				    " WHERE code >= $1 || '-' AND code < $1 || '.' AND code LIKE $1 || '-%') x"
				    " WHERE n < " LEASE_CODES_BELOW ")"
				    " INSERT INTO lease_counters(unit_ident, last)"
				    " SELECT $1, greatest($3::bigint, held.n) + $2::bigint FROM held"
				    " ON CONFLICT (unit_ident) DO UPDATE SET last = greatest(lease_counters.last,"
				    " excluded.last - $2::bigint) + $2::bigint RETURNING last", 3, p);
	long long last = db_ok(res) && PQntuples(res) == 1 ? atoll(PQgetvalue(res, 0, 0)) : -1;
	PQclear(res);
	return last;
}

/* The unit identifier's counter (0 when none yet), -1 on a database failure. */
static long long lease_counter(PGconn *c, const char *ident)
{
	const char *p[] = { ident };
	PGresult *res = db_query(c, "SELECT coalesce((SELECT last FROM lease_counters"
				    " WHERE unit_ident = $1), 0)", 1, p);
	long long v = db_ok(res) && PQntuples(res) == 1 ? atoll(PQgetvalue(res, 0, 0)) : -1;
	PQclear(res);
	return v;
}

void api_leases(struct req *r)
{
	PGconn *c = conn_or_503(r);
	if (!c)
		return;
	json_t *in = req_json(r);
	if (!in)
		return;
	const char *ident = jstr(in, "unit_ident"), *day = jstr(in, "day");
	const char *request_id = jstr(in, "request_id");
	json_t *cnt = json_object_get(in, "count"), *jfloor = json_object_get(in, "floor");
	struct mc_date dd;
	if (!ident || !mc_unit_ident_valid(ident)) {
		respond_error(r, MC_ERR_BAD_REQUEST, "\"unit_ident\" phải là mã định danh đơn vị hợp lệ");
		goto out;
	}
	if (json_object_get(in, "day") && !json_is_null(json_object_get(in, "day")) &&
	    (!day || (strcmp(day, "*") && mc_parse_date(day, &dd)))) {
		respond_error(r, MC_ERR_BAD_REQUEST, "\"day\" phải là \"*\" (mọi ngày) hoặc YYYY-MM-DD");
		goto out;
	}
	if (!json_is_integer(cnt) || json_integer_value(cnt) < 1 ||
	    json_integer_value(cnt) > LEASE_MAX_BLOCK) {
		respond_error(r, MC_ERR_BAD_REQUEST, "\"count\" phải là số nguyên từ 1 đến %d",
			      LEASE_MAX_BLOCK);
		goto out;
	}
	if (jfloor && (!json_is_integer(jfloor) || json_integer_value(jfloor) < 0 ||
		       json_integer_value(jfloor) >= MC_DCODE_FALLBACK_BASE)) {
		respond_error(r, MC_ERR_BAD_REQUEST, "\"floor\" phải là số nguyên từ 0 đến %ld",
			      MC_DCODE_FALLBACK_BASE - 1);
		goto out;
	}
	if (json_object_get(in, "request_id") && !sync_id_valid(request_id)) {
		respond_error(r, MC_ERR_BAD_REQUEST, "\"request_id\" phải gồm 1 đến %d ký tự"
			      " A-Z a-z 0-9 . _ : -", SYNC_ID_MAX);
		goto out;
	}
	if (!day)
		day = "*";
	char count[24], floor[24];
	snprintf(count, sizeof(count), "%lld", (long long)json_integer_value(cnt));
	snprintf(floor, sizeof(floor), "%lld", jfloor ? (long long)json_integer_value(jfloor) : 0LL);
	const char *sp[] = { ident, r->s.username };
	PGresult *res = db_query(c, "SELECT 1 FROM units WHERE ident = $1 AND code IN"
				    " (SELECT unit_code FROM user_scope($2))", 2, sp);
	if (!db_ok(res)) {
		PQclear(res);
		respond_db_down(r);
		goto out;
	}
	bool mine = PQntuples(res) == 1;
	PQclear(res);
	if (!mine) {
		respond_error(r, MC_ERR_OUT_OF_SCOPE, "Đơn vị %s không thuộc phạm vi của tài khoản %s",
			      ident, r->s.username);
		goto out;
	}
	for (int attempt = 0; attempt < 3; attempt++) {
		if (request_id) {
			const char *rp[] = { request_id };
			res = db_query(c, "SELECT unit_ident, day, first, last, device_id FROM leases"
					  " WHERE request_id = $1", 1, rp);
			if (!db_ok(res)) {
				PQclear(res);
				respond_db_down(r);
				goto out;
			}
			if (PQntuples(res) == 1) {
				if (strcmp(PQgetvalue(res, 0, 0), ident) || strcmp(PQgetvalue(res, 0, 4), r->s.device_id))
					respond_error(r, MC_ERR_REQUEST_ID_REUSED, "request_id đã được dùng"
						      " cho một yêu cầu cấp số khác");
				else
					respond_json(r, 200, json_pack("{s:s, s:s, s:I, s:I}", "unit_ident", ident,
								       "day", PQgetvalue(res, 0, 1),
								       "first", (json_int_t)atoll(PQgetvalue(res, 0, 2)),
								       "last", (json_int_t)atoll(PQgetvalue(res, 0, 3))));
				PQclear(res);
				goto out;
			}
			PQclear(res);
		}
		if (db_exec(c, "BEGIN", NULL)) {
			respond_db_down(r);
			goto out;
		}
		long long now = lease_counter(c, ident);
		if (now >= 0 && jfloor && json_integer_value(jfloor) > now + LEASE_FLOOR_MAX_JUMP) {
			db_exec(c, "ROLLBACK", NULL);
			server_log(LOG_WARNING, SERVER_NAME ": leases: floor %lld of %s refused (counter %lld,"
				" device %s, user %s)\n", (long long)json_integer_value(jfloor), ident, now,
				r->s.device_id, r->s.username);
			respond_error(r, MC_ERR_FLOOR_OUT_OF_RANGE, "\"floor\" %lld vượt quá bộ đếm số hồ"
				      " sơ của đơn vị %s (%lld) hơn %d: hãy liên hệ quản trị viên"
				      " (motcua-server leases)", (long long)json_integer_value(jfloor), ident,
				      now, LEASE_FLOOR_MAX_JUMP);
			goto out;
		}
		long long last = now < 0 ? -1 : lease_take(c, ident, count, floor);
		long long first = last - json_integer_value(cnt) + 1;
		if (last >= MC_DCODE_FALLBACK_BASE) {
			db_exec(c, "ROLLBACK", NULL);
			respond_error(r, MC_ERR_LEASES_EXHAUSTED, "Đã hết số hồ sơ có thể cấp cho đơn vị %s",
				      ident);
			goto out;
		}
		char fs[24], ls[24];
		snprintf(fs, sizeof(fs), "%lld", first);
		snprintf(ls, sizeof(ls), "%lld", last);
		const char *lp[] = { request_id, ident, day, fs, ls, r->s.device_id, r->s.username };
		res = last < 0 ? NULL
			       : db_query(c, "INSERT INTO leases(request_id, unit_ident, day, first, last,"
					     " device_id, username) VALUES ($1, $2, $3, $4, $5, $6, $7)", 7, lp);
		bool ok = res && db_ok(res);
		bool retry = res && !ok && !strcmp(db_state(res), "23505");
		PQclear(res);
		if (!ok || db_exec(c, "COMMIT", NULL)) {
			db_exec(c, "ROLLBACK", NULL);
			if (retry)
				continue;
			respond_db_down(r);
			goto out;
		}
		respond_json(r, 200, json_pack("{s:s, s:s, s:I, s:I}", "unit_ident", ident, "day", day,
					       "first", (json_int_t)first, "last", (json_int_t)last));
		goto out;
	}
	respond_db_down(r);
out:
	json_decref(in);
}

/* ---- public lookup ---------------------------------------------------------------------- */

/* Lookups per minute and client address (serve --lookup-per-minute; 0: no
 * limit): a token bucket per address, in this process's memory, so that a
 * commune's codes cannot be walked through to count its daily volume and
 * procedures. Buckets live in a fixed table indexed by a hash of the
 * address; two addresses on one slot share a bucket (a stranger may take
 * another's turn, never more than the rate). */
#define LOOKUP_SLOTS 4096
struct lookup_bucket {
	double tokens, at; /* tokens left, when last counted (monotonic seconds) */
};
static struct lookup_bucket lookup_buckets[LOOKUP_SLOTS];
static pthread_mutex_t lookup_mu = PTHREAD_MUTEX_INITIALIZER;

/* 0 when addr may look up now (a token taken), else the seconds to wait. */
static long lookup_wait(const char *addr)
{
	int lookup_per_minute = http_lookup_per_minute();
	if (lookup_per_minute <= 0)
		return 0;
	unsigned long long h = 14695981039346656037ULL;
	for (const unsigned char *p = (const unsigned char *)addr; *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	double now = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
	double cap = lookup_per_minute, rate = cap / 60.0;
	long wait = 0;
	pthread_mutex_lock(&lookup_mu);
	struct lookup_bucket *b = &lookup_buckets[h % LOOKUP_SLOTS];
	if (b->at == 0)
		b->tokens = cap;
	else
		b->tokens = b->tokens + (now - b->at) * rate > cap ? cap : b->tokens + (now - b->at) * rate;
	b->at = now;
	if (b->tokens >= 1)
		b->tokens -= 1;
	else
		wait = (long)((1 - b->tokens) / rate) + 1;
	pthread_mutex_unlock(&lookup_mu);
	return wait;
}

void api_lookup(struct req *r)
{
	char addr[64];
	req_addr(r, addr, sizeof(addr));
	long wait = lookup_wait(addr);
	if (wait) {
		char secs[24];
		snprintf(secs, sizeof(secs), "%ld", wait);
		req_add_header(r, "Retry-After", secs);
		respond_error(r, MC_ERR_TOO_MANY_REQUESTS, "Tra cứu quá nhiều lần; hãy thử lại sau %ld"
			      " giây", wait);
		return;
	}
	const char *raw = req_param(r);
	struct mc_dcode dc;
	char code[MC_DCODE_MAX];
	size_t n = strlen(raw);
	if (n >= sizeof(code) || mc_dcode_parse(raw, &dc, NULL)) {
		respond_error(r, MC_ERR_NOT_FOUND, "Không tìm thấy hồ sơ có mã này");
		return;
	}
	for (size_t i = 0; i <= n; i++)
		code[i] = (char)toupper((unsigned char)raw[i]);
	PGconn *c = conn_or_503(r);
	if (!c)
		return;
	const char *p[] = { code };
	PGresult *res = query_row(r, c, "SELECT d.code, d.status, d.received_at, d.appointment,"
				    " d.procedure_code, d.procedure_name, d.unit_code, u.name"
				    " FROM dossiers d JOIN units u ON u.code = d.unit_code"
				    " WHERE d.code = $1", 1, p, MC_ERR_NOT_FOUND,
				  "Không tìm thấy hồ sơ có mã này");
	if (!res)
		return;
	int st = atoi(PQgetvalue(res, 0, 1));
	const char *name = mc_status_name(st);
	respond_json(r, 200, json_pack("{s:s, s:i, s:s, s:s, s:s, s:{s:s, s:s}, s:{s:s, s:s}}",
				       "code", PQgetvalue(res, 0, 0), "status", st,
				       "status_name", name ? name : "", "received_at",
				       PQgetvalue(res, 0, 2), "appointment", PQgetvalue(res, 0, 3),
				       "procedure", "code", PQgetvalue(res, 0, 4), "name",
				       PQgetvalue(res, 0, 5), "unit", "code", PQgetvalue(res, 0, 6),
				       "name", PQgetvalue(res, 0, 7)));
	PQclear(res);
}
