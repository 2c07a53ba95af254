/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Administration from the command line: migrate, user add/disable/enable,
 * token revoke, stats. Exit status: 0 done, 1 failure (database), 2 bad
 * input (a Vietnamese message on stderr, nothing changed). */
#include "server/admincmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

static int migrate_work(PGconn *c, void *arg, struct strbuf *err)
{
	(void)arg;
	int from = 0, to = 0;
	if (db_migrate(c, &from, &to, err))
		return -1;
	printf("{\"schema_from\":%d,\"schema_to\":%d}\n", from, to);
	return 0;
}

/* A command whose one option is --pg (the configured one by default),
 * running work outside a transaction of its own. */
static int run_with_pg(int argc, char **argv, const char *usage, admin_work_fn *work)
{
	const char *pg = config_get()->pg;
	const struct admin_opt opts[] = { { .name = "pg", .value = &pg }, { .name = NULL } };
	if (admin_options(argc, argv, opts, usage))
		return 2;
	if (!pg)
		return admin_bad("%s", usage);
	return admin_run(pg, false, work, NULL);
}

int cmd_migrate(int argc, char **argv)
{
	return run_with_pg(argc, argv, "cách dùng: motcua-server migrate --pg CONNINFO", migrate_work);
}

/* ---- users ------------------------------------------------------------------- */

static bool username_valid(const char *u)
{
	size_t n = strlen(u);
	if (n == 0 || n > 63)
		return false;
	for (const char *p = u; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' ||
		      *p == '-'))
			return false;
	return true;
}

int admin_user_change(PGconn *c, const char *username, struct strbuf *err)
{
	const char *p[] = { username };
	PGresult *res = db_query(c, "SELECT unit_code, json_build_object('username', username,"
				    " 'full_name', full_name, 'unit_code', unit_code, 'role', role,"
				    " 'disabled', disabled)::text FROM users WHERE username = $1", 1, p);
	if (!db_ok(res) || PQntuples(res) != 1) {
		strbuf_addf(err, "không đọc được tài khoản %s", username);
		PQclear(res);
		return -1;
	}
	int rc = db_lock_changes(c, err) ||
		 db_add_change(c, "user", username, 1, PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1), err);
	PQclear(res);
	return rc ? -1 : 0;
}

/* Reads the password: one line of stdin, new line removed. */
static char *read_password(void)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n = getline(&line, &cap, stdin);
	if (n < 0) {
		free(line);
		return NULL;
	}
	line[strcspn(line, "\r\n")] = '\0';
	return line;
}

/* Hashes the password read from stdin (Argon2id) into hash; 0, or the exit
 * status with the reason said. */
static int password_hash(char hash[crypto_pwhash_STRBYTES])
{
	char *pw = read_password();
	if (!pw || strlen(pw) < 6 || strlen(pw) > 1024) {
		free(pw);
		return admin_bad("mật khẩu (một dòng trên stdin) phải có từ 6 ký tự");
	}
	if (sodium_init() < 0) {
		free(pw);
		return admin_bad("không khởi tạo được libsodium");
	}
	int rc = 0;
	if (crypto_pwhash_str(hash, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE)) {
		fprintf(stderr, SERVER_NAME ": không đủ bộ nhớ để băm mật khẩu (Argon2id)\n");
		rc = 1;
	}
	sodium_memzero(pw, strlen(pw));
	free(pw);
	return rc;
}

struct user_add {
	const char *user, *role, *full, *hash;
	const char *units[16];
	size_t nunits;
};

static int user_add_work(PGconn *c, void *arg, struct strbuf *err)
{
	const struct user_add *u = arg;
	for (size_t i = 0; i < u->nunits; i++) {
		const char *p[] = { u->units[i] };
		PGresult *res = db_query(c, "SELECT 1 FROM units WHERE code = $1", 1, p);
		bool ok = db_ok(res), found = ok && PQntuples(res) == 1;
		PQclear(res);
		if (!ok)
			return -1;
		if (!found)
			return admin_bad("không có đơn vị mã %s (hãy chạy motcua-server import trước)",
					 u->units[i]);
	}
	const char *p[] = { u->user, u->full ? u->full : u->user, u->units[0], u->role, u->hash };
	PGresult *res = db_query(c, "INSERT INTO users(username, full_name, unit_code, role, pw_hash)"
				    " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (username) DO NOTHING"
				    " RETURNING username", 5, p);
	bool ok = db_ok(res), added = ok && PQntuples(res) == 1;
	PQclear(res);
	if (!ok) {
		strbuf_addstr(err, "không ghi được tài khoản");
		return -1;
	}
	if (!added)
		return admin_bad("đã có tài khoản %s", u->user);
	for (size_t i = 1; i < u->nunits; i++) {
		const char *q[] = { u->user, u->units[i] };
		if (db_execp(c, "INSERT INTO user_units(username, unit_code) VALUES ($1, $2)"
				" ON CONFLICT DO NOTHING", 2, q, err))
			return -1;
	}
	if (admin_user_change(c, u->user, err))
		return -1;
	printf("{\"username\":\"%s\",\"role\":\"%s\",\"unit_code\":\"%s\"}\n", u->user, u->role,
	       u->units[0]);
	return 0;
}

static int user_add(int argc, char **argv)
{
	static const char usage[] = "cách dùng: motcua-server user add --pg CONNINFO --username U"
				    " --unit MÃ [--unit MÃ...] --role clerk|supervisor|admin"
				    " [--full-name TÊN] (mật khẩu đọc từ stdin)";
	struct user_add u = { .role = "clerk" };
	const char *pg = config_get()->pg;
	const struct admin_opt opts[] = {
		{ .name = "pg", .value = &pg },
		{ .name = "username", .value = &u.user },
		{ .name = "unit", .value = u.units, .count = &u.nunits, .max = 16 },
		{ .name = "role", .value = &u.role },
		{ .name = "full-name", .value = &u.full },
		{ .name = NULL },
	};
	if (admin_options(argc, argv, opts, usage))
		return 2;
	if (!u.user || !u.nunits)
		return admin_bad("%s", usage);
	if (!username_valid(u.user))
		return admin_bad("tên đăng nhập \"%s\" không hợp lệ: 1 đến 63 ký tự a-z 0-9 . _ -",
				 u.user);
	if (strcmp(u.role, "clerk") && strcmp(u.role, "supervisor") && strcmp(u.role, "admin"))
		return admin_bad("vai trò phải là clerk, supervisor hoặc admin (nhận \"%s\")", u.role);
	if (u.full && (!*u.full || strlen(u.full) > 200))
		return admin_bad("họ tên phải từ 1 đến 200 byte");
	char hash[crypto_pwhash_STRBYTES];
	int rc = password_hash(hash);
	if (rc)
		return rc;
	u.hash = hash;
	return admin_run(pg, true, user_add_work, &u);
}

struct user_state {
	const char *user;
	bool disable;
};

static int user_set_disabled_work(PGconn *c, void *arg, struct strbuf *err)
{
	const struct user_state *u = arg;
	const char *p[] = { u->user, u->disable ? "true" : "false" };
	PGresult *res = db_query(c, "UPDATE users SET disabled = $2 WHERE username = $1"
				    " RETURNING username", 2, p);
	bool ok = db_ok(res), found = ok && PQntuples(res) == 1;
	PQclear(res);
	if (!ok) {
		strbuf_addstr(err, "không cập nhật được tài khoản");
		return -1;
	}
	if (!found)
		return admin_bad("không có tài khoản %s", u->user);
	if ((u->disable && db_execp(c, "UPDATE tokens SET revoked_at = now() WHERE username = $1"
				       " AND revoked_at IS NULL", 1, p, err)) ||
	    admin_user_change(c, u->user, err))
		return -1;
	printf("{\"username\":\"%s\",\"disabled\":%s}\n", u->user, u->disable ? "true" : "false");
	return 0;
}

static int user_set_disabled(int argc, char **argv, bool disable)
{
	char usage[128];
	snprintf(usage, sizeof usage, "cách dùng: motcua-server user %s --pg CONNINFO --username U",
		 disable ? "disable" : "enable");
	struct user_state u = { .disable = disable };
	const char *pg = config_get()->pg;
	const struct admin_opt opts[] = { { .name = "pg", .value = &pg },
					  { .name = "username", .value = &u.user },
					  { .name = NULL } };
	if (admin_options(argc, argv, opts, usage))
		return 2;
	if (!u.user)
		return admin_bad("%s", usage);
	return admin_run(pg, true, user_set_disabled_work, &u);
}

int cmd_user(int argc, char **argv)
{
	if (argc < 2)
		return admin_bad("cách dùng: motcua-server user add|disable|enable ...");
	if (!strcmp(argv[1], "add"))
		return user_add(argc - 1, argv + 1);
	if (!strcmp(argv[1], "disable"))
		return user_set_disabled(argc - 1, argv + 1, true);
	if (!strcmp(argv[1], "enable"))
		return user_set_disabled(argc - 1, argv + 1, false);
	return admin_bad("lệnh user không rõ: %s (add, disable, enable)", argv[1]);
}

/* ---- tokens ------------------------------------------------------------------------ */

struct token_revoke {
	const char *dev, *user;
};

static int token_revoke_work(PGconn *c, void *arg, struct strbuf *err)
{
	const struct token_revoke *t = arg;
	const char *p[] = { t->dev ? t->dev : t->user };
	PGresult *res = db_query(c, t->dev ? "UPDATE tokens SET revoked_at = now() WHERE device_id = $1"
					     " AND revoked_at IS NULL"
					   : "UPDATE tokens SET revoked_at = now() WHERE username = $1"
					     " AND revoked_at IS NULL", 1, p);
	int rc = 0;
	if (!db_ok(res)) {
		strbuf_addf(err, "không thu hồi được: %s", PQresultErrorMessage(res));
		rc = -1;
	} else {
		printf("{\"revoked\":%s}\n", PQcmdTuples(res));
	}
	PQclear(res);
	return rc;
}

int cmd_token(int argc, char **argv)
{
	static const char usage[] = "cách dùng: motcua-server token revoke --pg CONNINFO"
				    " (--device MÃ_THIẾT_BỊ | --username U)";
	if (argc < 2 || strcmp(argv[1], "revoke"))
		return admin_bad("%s", usage);
	struct token_revoke t = { NULL, NULL };
	const char *pg = config_get()->pg;
	const struct admin_opt opts[] = { { .name = "pg", .value = &pg },
					  { .name = "device", .value = &t.dev },
					  { .name = "username", .value = &t.user },
					  { .name = NULL } };
	if (admin_options(argc - 1, argv + 1, opts, usage))
		return 2;
	if ((!t.dev) == (!t.user))
		return admin_bad("%s", usage);
	return admin_run(pg, false, token_revoke_work, &t);
}

/* ---- stats ----------------------------------------------------------------------------- */

static int stats_work(PGconn *c, void *arg, struct strbuf *err)
{
	(void)arg;
	PGresult *res = PQexec(c, "SELECT json_build_object("
			       "'dossiers', (SELECT count(*) FROM dossiers),"
			       "'events', (SELECT count(*) FROM events),"
			       "'files', (SELECT count(*) FROM blobs),"
			       "'documents', (SELECT count(*) FROM documents),"
			       "'documents_without_file', (SELECT count(*) FROM documents d"
			       " WHERE NOT EXISTS (SELECT 1 FROM blobs b WHERE b.sha256 = d.sha256)),"
			       "'devices', (SELECT count(*) FROM devices),"
			       "'ops', (SELECT count(*) FROM ops),"
			       "'op_problems', (SELECT count(*) FROM op_problems),"
			       "'changes', (SELECT count(*) FROM changes),"
			       "'users', (SELECT count(*) FROM users),"
			       "'units', (SELECT count(*) FROM units),"
			       "'procedures', (SELECT count(*) FROM procedures),"
			       "'holidays', (SELECT count(*) FROM holidays),"
			       "'schema_version', (SELECT max(version) FROM schema_version))::text");
	int rc = 0;
	if (!db_ok(res)) {
		strbuf_addf(err, "không đọc được số liệu: %s", PQresultErrorMessage(res));
		rc = -1;
	} else {
		printf("%s\n", PQgetvalue(res, 0, 0));
	}
	PQclear(res);
	return rc;
}

int cmd_stats(int argc, char **argv)
{
	return run_with_pg(argc, argv, "cách dùng: motcua-server stats --pg CONNINFO", stats_work);
}

/* ---- leases ------------------------------------------------------------------------ */

/* A unit's dossier-number counter and leases as JSON ($1: the unit code):
 * the counter, the leases and the highest leased number below the
 * workstations' fallback range, the highest number of the codes held. */
#define LEASES_INFO "WITH u AS (SELECT code, ident FROM units WHERE code = $1)," \
	" held AS (SELECT coalesce(max(n), 0) AS n FROM (SELECT substring(d.code FROM" \
	" '-([0-9]{1,9})$')::bigint AS n FROM dossiers d, u WHERE d.code LIKE u.ident || '-%') x" \
	" WHERE n < 900000000)" \
	" SELECT json_build_object('unit_code', u.code, 'unit_ident', u.ident," \
	" 'counter', (SELECT last FROM lease_counters WHERE unit_ident = u.ident)," \
	" 'leases', (SELECT count(*) FROM leases WHERE unit_ident = u.ident)," \
	" 'highest_leased', (SELECT coalesce(max(last), 0) FROM leases WHERE unit_ident = u.ident" \
	" AND last < 900000000)," \
	" 'leases_in_fallback_range', (SELECT count(*) FROM leases WHERE unit_ident = u.ident" \
	" AND last >= 900000000)," \
	" 'highest_code', held.n)::text, u.ident, greatest(held.n, (SELECT coalesce(max(last), 0)" \
	" FROM leases WHERE unit_ident = u.ident AND last < 900000000)) FROM u, held"

struct leases {
	const char *unit;
	bool reset;
};

static int leases_work(PGconn *c, void *arg, struct strbuf *err)
{
	const struct leases *l = arg;
	const char *p[] = { l->unit };
	PGresult *res = db_query(c, LEASES_INFO, 1, p);
	if (!db_ok(res)) {
		strbuf_addf(err, "không đọc được bộ đếm: %s", PQresultErrorMessage(res));
		PQclear(res);
		return -1;
	}
	if (PQntuples(res) != 1) {
		PQclear(res);
		return admin_bad("không có đơn vị mã %s", l->unit);
	}
	if (!l->reset) {
		printf("%s\n", PQgetvalue(res, 0, 0));
		PQclear(res);
		return 0;
	}
	/* The counter goes back to the highest number in use: the codes held and
	 * the blocks leased below the fallback range; blocks inside that range
	 * (which no server grants any more) are dropped. */
	const char *rp[] = { PQgetvalue(res, 0, 1), PQgetvalue(res, 0, 2) };
	fprintf(stderr, SERVER_NAME ": leases: %s before the reset: %s\n", l->unit,
		PQgetvalue(res, 0, 0));
	int rc = db_execp(c, "DELETE FROM leases WHERE unit_ident = $1 AND last >= 900000000", 1, rp,
			  err) ||
		 db_execp(c, "INSERT INTO lease_counters(unit_ident, last) VALUES ($1, $2)"
			     " ON CONFLICT (unit_ident) DO UPDATE SET last = excluded.last", 2, rp, err);
	PQclear(res);
	if (rc)
		return -1;
	res = db_query(c, LEASES_INFO, 1, p);
	if (!db_ok(res) || PQntuples(res) != 1) {
		strbuf_addstr(err, "không đọc được bộ đếm sau khi đặt lại");
		PQclear(res);
		return -1;
	}
	printf("%s\n", PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

int cmd_leases(int argc, char **argv)
{
	static const char usage[] = "cách dùng: motcua-server leases --pg CONNINFO --unit MÃ_ĐƠN_VỊ"
				    " [--reset]";
	struct leases l = { NULL, false };
	const char *pg = NULL;
	const struct admin_opt opts[] = { { .name = "pg", .value = &pg },
					  { .name = "unit", .value = &l.unit },
					  { .name = "reset", .flag = &l.reset },
					  { .name = NULL } };
	if (admin_options(argc, argv, opts, usage))
		return 2;
	if (!l.unit || !pg)
		return admin_bad("%s", usage);
	return admin_run(pg, true, leases_work, &l);
}

/* ---- devices -------------------------------------------------------------------------- */

static int device_release_work(PGconn *c, void *arg, struct strbuf *err)
{
	const char *dev = arg;
	const char *p[] = { dev };
	PGresult *res = db_query(c, "UPDATE devices SET released_at = now() WHERE device_id = $1"
				    " RETURNING username", 1, p);
	bool ok = db_ok(res), found = ok && PQntuples(res) == 1;
	char *was = found ? xstrdup(PQgetvalue(res, 0, 0)) : NULL;
	PQclear(res);
	if (!ok) {
		strbuf_addstr(err, "không cập nhật được thiết bị");
		return -1;
	}
	if (!found)
		return admin_bad("không có thiết bị %s", dev);
	int rc = -1;
	if (!db_execp(c, "UPDATE tokens SET revoked_at = now() WHERE device_id = $1"
			 " AND revoked_at IS NULL", 1, p, err)) {
		printf("{\"device_id\":\"%s\",\"released_from\":\"%s\"}\n", dev, was);
		rc = 0;
	}
	free(was);
	return rc;
}

/* motcua-server device release --device ID: the device belongs to no one
 * until its next login (bound then to that user's unit); its tokens go. */
int cmd_device(int argc, char **argv)
{
	static const char usage[] = "cách dùng: motcua-server device release --pg CONNINFO"
				    " --device MÃ_THIẾT_BỊ";
	if (argc < 2 || strcmp(argv[1], "release"))
		return admin_bad("%s", usage);
	const char *pg = NULL, *dev = NULL;
	const struct admin_opt opts[] = { { .name = "pg", .value = &pg },
					  { .name = "device", .value = &dev },
					  { .name = NULL } };
	if (admin_options(argc - 1, argv + 1, opts, usage))
		return 2;
	if (!dev || !pg)
		return admin_bad("%s", usage);
	return admin_run(pg, true, device_release_work, (void *)dev);
}
