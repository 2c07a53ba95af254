/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Administration from the command line: migrate, user add/disable/enable,
 * token revoke, stats. Exit status: 0 done, 1 failure (database), 2 bad
 * input (a Vietnamese message on stderr, nothing changed). */
#include "server/server.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

static int bad(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int bad(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs(SERVER_NAME ": ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	return 2;
}

static int fault(struct strbuf *err)
{
	fprintf(stderr, SERVER_NAME ": %s\n", err->buf);
	strbuf_release(err);
	return 1;
}

static PGconn *open_db(const char *pg, struct strbuf *err)
{
	if (!pg) {
		strbuf_addstr(err, "thiếu --pg CONNINFO (ví dụ --pg 'host=/run/postgresql dbname=motcua')");
		return NULL;
	}
	return db_connect(pg, err);
}

int cmd_migrate(int argc, char **argv)
{
	static const struct option opts[] = { { "pg", required_argument, NULL, 'p' },
					      { NULL, 0, NULL, 0 } };
	const char *pg = config_get()->pg;
	int o;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (o != 'p')
			return bad("cách dùng: motcua-server migrate --pg CONNINFO");
		pg = optarg;
	}
	if (optind != argc || !pg)
		return bad("cách dùng: motcua-server migrate --pg CONNINFO");
	struct strbuf err = STRBUF_INIT;
	PGconn *c = open_db(pg, &err);
	if (!c)
		return fault(&err);
	int from = 0, to = 0;
	int rc = db_migrate(c, &from, &to, &err);
	PQfinish(c);
	if (rc)
		return fault(&err);
	printf("{\"schema_from\":%d,\"schema_to\":%d}\n", from, to);
	return 0;
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

static int user_add(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "pg", required_argument, NULL, 'p' },
		{ "username", required_argument, NULL, 'u' },
		{ "unit", required_argument, NULL, 'n' },
		{ "role", required_argument, NULL, 'r' },
		{ "full-name", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	const char *pg = config_get()->pg, *user = NULL, *role = "clerk", *full = NULL;
	const char *units[16];
	size_t nunits = 0;
	int o;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'p': pg = optarg; break;
		case 'u': user = optarg; break;
		case 'r': role = optarg; break;
		case 'f': full = optarg; break;
		case 'n':
			if (nunits == 16)
				return bad("tối đa 16 lần --unit");
			units[nunits++] = optarg;
			break;
		default:
			return bad("cách dùng: motcua-server user add --pg CONNINFO --username U --unit MÃ"
				   " [--unit MÃ...] --role clerk|supervisor|admin [--full-name TÊN]"
				   " (mật khẩu đọc từ stdin)");
		}
	}
	if (optind != argc || !user || !nunits)
		return bad("cách dùng: motcua-server user add --pg CONNINFO --username U --unit MÃ"
			   " --role clerk|supervisor|admin [--full-name TÊN] (mật khẩu đọc từ stdin)");
	if (!username_valid(user))
		return bad("tên đăng nhập \"%s\" không hợp lệ: 1 đến 63 ký tự a-z 0-9 . _ -", user);
	if (strcmp(role, "clerk") && strcmp(role, "supervisor") && strcmp(role, "admin"))
		return bad("vai trò phải là clerk, supervisor hoặc admin (nhận \"%s\")", role);
	if (full && (!*full || strlen(full) > 200))
		return bad("họ tên phải từ 1 đến 200 byte");
	char *pw = read_password();
	if (!pw || strlen(pw) < 6 || strlen(pw) > 1024) {
		free(pw);
		return bad("mật khẩu (một dòng trên stdin) phải có từ 6 ký tự");
	}
	if (sodium_init() < 0) {
		free(pw);
		return bad("không khởi tạo được libsodium");
	}
	char hash[crypto_pwhash_STRBYTES];
	if (crypto_pwhash_str(hash, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE)) {
		sodium_memzero(pw, strlen(pw));
		free(pw);
		fprintf(stderr, SERVER_NAME ": không đủ bộ nhớ để băm mật khẩu (Argon2id)\n");
		return 1;
	}
	sodium_memzero(pw, strlen(pw));
	free(pw);

	struct strbuf err = STRBUF_INIT;
	PGconn *c = open_db(pg, &err);
	if (!c)
		return fault(&err);
	int rc = 1;
	for (size_t i = 0; i < nunits; i++) {
		const char *p[] = { units[i] };
		PGresult *res = db_query(c, "SELECT 1 FROM units WHERE code = $1", 1, p);
		bool ok = db_ok(res), found = ok && PQntuples(res) == 1;
		PQclear(res);
		if (!ok) {
			rc = fault(&err);
			goto out;
		}
		if (!found) {
			rc = bad("không có đơn vị mã %s (hãy chạy motcua-server import trước)", units[i]);
			goto out;
		}
	}
	const char *p[] = { user, full ? full : user, units[0], role, hash };
	if (db_exec(c, "BEGIN", &err))
		goto fail;
	PGresult *res = db_query(c, "INSERT INTO users(username, full_name, unit_code, role, pw_hash)"
				    " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (username) DO NOTHING"
				    " RETURNING username", 5, p);
	bool ok = db_ok(res), added = ok && PQntuples(res) == 1;
	PQclear(res);
	if (!ok) {
		strbuf_addstr(&err, "không ghi được tài khoản");
		goto fail;
	}
	if (!added) {
		db_exec(c, "ROLLBACK", NULL);
		rc = bad("đã có tài khoản %s", user);
		goto out;
	}
	for (size_t i = 1; i < nunits; i++) {
		const char *q[] = { user, units[i] };
		if (db_execp(c, "INSERT INTO user_units(username, unit_code) VALUES ($1, $2)"
				" ON CONFLICT DO NOTHING", 2, q, &err))
			goto fail;
	}
	if (admin_user_change(c, user, &err) || db_exec(c, "COMMIT", &err))
		goto fail;
	printf("{\"username\":\"%s\",\"role\":\"%s\",\"unit_code\":\"%s\"}\n", user, role, units[0]);
	rc = 0;
	goto out;
fail:
	db_exec(c, "ROLLBACK", NULL);
	rc = fault(&err);
out:
	strbuf_release(&err);
	PQfinish(c);
	return rc;
}

static int user_set_disabled(int argc, char **argv, bool disable)
{
	static const struct option opts[] = { { "pg", required_argument, NULL, 'p' },
					      { "username", required_argument, NULL, 'u' },
					      { NULL, 0, NULL, 0 } };
	const char *pg = config_get()->pg, *user = NULL;
	int o;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (o == 'p')
			pg = optarg;
		else if (o == 'u')
			user = optarg;
		else
			return bad("cách dùng: motcua-server user %s --pg CONNINFO --username U",
				   disable ? "disable" : "enable");
	}
	if (optind != argc || !user)
		return bad("cách dùng: motcua-server user %s --pg CONNINFO --username U",
			   disable ? "disable" : "enable");
	struct strbuf err = STRBUF_INIT;
	PGconn *c = open_db(pg, &err);
	if (!c)
		return fault(&err);
	const char *p[] = { user, disable ? "true" : "false" };
	int rc = 1;
	if (db_exec(c, "BEGIN", &err))
		goto fail;
	PGresult *res = db_query(c, "UPDATE users SET disabled = $2 WHERE username = $1"
				    " RETURNING username", 2, p);
	bool ok = db_ok(res), found = ok && PQntuples(res) == 1;
	PQclear(res);
	if (!ok) {
		strbuf_addstr(&err, "không cập nhật được tài khoản");
		goto fail;
	}
	if (!found) {
		db_exec(c, "ROLLBACK", NULL);
		rc = bad("không có tài khoản %s", user);
		goto out;
	}
	if ((disable && db_execp(c, "UPDATE tokens SET revoked_at = now() WHERE username = $1"
				    " AND revoked_at IS NULL", 1, p, &err)) ||
	    admin_user_change(c, user, &err) || db_exec(c, "COMMIT", &err))
		goto fail;
	printf("{\"username\":\"%s\",\"disabled\":%s}\n", user, disable ? "true" : "false");
	rc = 0;
	goto out;
fail:
	db_exec(c, "ROLLBACK", NULL);
	rc = fault(&err);
out:
	strbuf_release(&err);
	PQfinish(c);
	return rc;
}

int cmd_user(int argc, char **argv)
{
	if (argc < 2)
		return bad("cách dùng: motcua-server user add|disable|enable ...");
	if (!strcmp(argv[1], "add"))
		return user_add(argc - 1, argv + 1);
	if (!strcmp(argv[1], "disable"))
		return user_set_disabled(argc - 1, argv + 1, true);
	if (!strcmp(argv[1], "enable"))
		return user_set_disabled(argc - 1, argv + 1, false);
	return bad("lệnh user không rõ: %s (add, disable, enable)", argv[1]);
}

/* ---- tokens ------------------------------------------------------------------------ */

int cmd_token(int argc, char **argv)
{
	static const char usage[] = "cách dùng: motcua-server token revoke --pg CONNINFO"
				    " (--device MÃ_THIẾT_BỊ | --username U)";
	static const struct option opts[] = { { "pg", required_argument, NULL, 'p' },
					      { "device", required_argument, NULL, 'd' },
					      { "username", required_argument, NULL, 'u' },
					      { NULL, 0, NULL, 0 } };
	if (argc < 2 || strcmp(argv[1], "revoke"))
		return bad("%s", usage);
	argc--;
	argv++;
	const char *pg = config_get()->pg, *dev = NULL, *user = NULL;
	int o;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (o == 'p')
			pg = optarg;
		else if (o == 'd')
			dev = optarg;
		else if (o == 'u')
			user = optarg;
		else
			return bad("%s", usage);
	}
	if (optind != argc || (!dev) == (!user))
		return bad("%s", usage);
	struct strbuf err = STRBUF_INIT;
	PGconn *c = open_db(pg, &err);
	if (!c)
		return fault(&err);
	const char *p[] = { dev ? dev : user };
	PGresult *res = db_query(c, dev ? "UPDATE tokens SET revoked_at = now() WHERE device_id = $1"
					  " AND revoked_at IS NULL"
					: "UPDATE tokens SET revoked_at = now() WHERE username = $1"
					  " AND revoked_at IS NULL", 1, p);
	int rc = 0;
	if (!db_ok(res)) {
		strbuf_addf(&err, "không thu hồi được: %s", PQresultErrorMessage(res));
		rc = fault(&err);
	} else {
		printf("{\"revoked\":%s}\n", PQcmdTuples(res));
	}
	PQclear(res);
	PQfinish(c);
	strbuf_release(&err);
	return rc;
}

/* ---- stats ----------------------------------------------------------------------------- */

int cmd_stats(int argc, char **argv)
{
	static const struct option opts[] = { { "pg", required_argument, NULL, 'p' },
					      { NULL, 0, NULL, 0 } };
	const char *pg = config_get()->pg;
	int o;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (o != 'p')
			return bad("cách dùng: motcua-server stats --pg CONNINFO");
		pg = optarg;
	}
	if (optind != argc || !pg)
		return bad("cách dùng: motcua-server stats --pg CONNINFO");
	struct strbuf err = STRBUF_INIT;
	PGconn *c = open_db(pg, &err);
	if (!c)
		return fault(&err);
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
		strbuf_addf(&err, "không đọc được số liệu: %s", PQresultErrorMessage(res));
		rc = fault(&err);
	} else {
		printf("%s\n", PQgetvalue(res, 0, 0));
	}
	PQclear(res);
	PQfinish(c);
	strbuf_release(&err);
	return rc;
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

int cmd_leases(int argc, char **argv)
{
	static const char usage[] = "cách dùng: motcua-server leases --pg CONNINFO --unit MÃ_ĐƠN_VỊ"
				    " [--reset]";
	static const struct option opts[] = { { "pg", required_argument, NULL, 'p' },
					      { "unit", required_argument, NULL, 'u' },
					      { "reset", no_argument, NULL, 'r' },
					      { NULL, 0, NULL, 0 } };
	const char *pg = NULL, *unit = NULL;
	bool reset = false;
	int o;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (o == 'p')
			pg = optarg;
		else if (o == 'u')
			unit = optarg;
		else if (o == 'r')
			reset = true;
		else
			return bad("%s", usage);
	}
	if (optind != argc || !unit || !pg)
		return bad("%s", usage);
	struct strbuf err = STRBUF_INIT;
	PGconn *c = open_db(pg, &err);
	if (!c)
		return fault(&err);
	int rc = 1;
	const char *p[] = { unit };
	if (db_exec(c, "BEGIN", &err))
		goto fail;
	PGresult *res = db_query(c, LEASES_INFO, 1, p);
	if (!db_ok(res)) {
		strbuf_addf(&err, "không đọc được bộ đếm: %s", PQresultErrorMessage(res));
		PQclear(res);
		goto fail;
	}
	if (PQntuples(res) != 1) {
		PQclear(res);
		db_exec(c, "ROLLBACK", NULL);
		rc = bad("không có đơn vị mã %s", unit);
		goto out;
	}
	if (!reset) {
		printf("%s\n", PQgetvalue(res, 0, 0));
		PQclear(res);
		db_exec(c, "ROLLBACK", NULL);
		rc = 0;
		goto out;
	}
	/* The counter goes back to the highest number in use: the codes held and
	 * the blocks leased below the fallback range; blocks inside that range
	 * (which no server grants any more) are dropped. */
	const char *rp[] = { PQgetvalue(res, 0, 1), PQgetvalue(res, 0, 2) };
	fprintf(stderr, SERVER_NAME ": leases: %s before the reset: %s\n", unit, PQgetvalue(res, 0, 0));
	if (db_execp(c, "DELETE FROM leases WHERE unit_ident = $1 AND last >= 900000000", 1, rp, &err) ||
	    db_execp(c, "INSERT INTO lease_counters(unit_ident, last) VALUES ($1, $2)"
			" ON CONFLICT (unit_ident) DO UPDATE SET last = excluded.last", 2, rp, &err)) {
		PQclear(res);
		goto fail;
	}
	PQclear(res);
	res = db_query(c, LEASES_INFO, 1, p);
	if (!db_ok(res) || PQntuples(res) != 1) {
		strbuf_addstr(&err, "không đọc được bộ đếm sau khi đặt lại");
		PQclear(res);
		goto fail;
	}
	printf("%s\n", PQgetvalue(res, 0, 0));
	PQclear(res);
	if (db_exec(c, "COMMIT", &err))
		goto fail;
	rc = 0;
	goto out;
fail:
	db_exec(c, "ROLLBACK", NULL);
	rc = fault(&err);
out:
	strbuf_release(&err);
	PQfinish(c);
	return rc;
}

/* ---- devices -------------------------------------------------------------------------- */

/* motcua-server device release --device ID: the device belongs to no one
 * until its next login (bound then to that user's unit); its tokens go. */
int cmd_device(int argc, char **argv)
{
	static const char usage[] = "cách dùng: motcua-server device release --pg CONNINFO"
				    " --device MÃ_THIẾT_BỊ";
	static const struct option opts[] = { { "pg", required_argument, NULL, 'p' },
					      { "device", required_argument, NULL, 'd' },
					      { NULL, 0, NULL, 0 } };
	if (argc < 2 || strcmp(argv[1], "release"))
		return bad("%s", usage);
	argc--;
	argv++;
	const char *pg = NULL, *dev = NULL;
	int o;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (o == 'p')
			pg = optarg;
		else if (o == 'd')
			dev = optarg;
		else
			return bad("%s", usage);
	}
	if (optind != argc || !dev || !pg)
		return bad("%s", usage);
	struct strbuf err = STRBUF_INIT;
	PGconn *c = open_db(pg, &err);
	if (!c)
		return fault(&err);
	const char *p[] = { dev };
	int rc = 1;
	if (db_exec(c, "BEGIN", &err))
		goto fail;
	PGresult *res = db_query(c, "UPDATE devices SET released_at = now() WHERE device_id = $1"
				    " RETURNING username", 1, p);
	bool ok = db_ok(res), found = ok && PQntuples(res) == 1;
	char *was = found ? xstrdup(PQgetvalue(res, 0, 0)) : NULL;
	PQclear(res);
	if (!ok) {
		strbuf_addstr(&err, "không cập nhật được thiết bị");
		goto fail;
	}
	if (!found) {
		db_exec(c, "ROLLBACK", NULL);
		rc = bad("không có thiết bị %s", dev);
		goto out;
	}
	if (db_execp(c, "UPDATE tokens SET revoked_at = now() WHERE device_id = $1"
			" AND revoked_at IS NULL", 1, p, &err) || db_exec(c, "COMMIT", &err)) {
		free(was);
		goto fail;
	}
	printf("{\"device_id\":\"%s\",\"released_from\":\"%s\"}\n", dev, was);
	free(was);
	rc = 0;
	goto out;
fail:
	db_exec(c, "ROLLBACK", NULL);
	rc = fault(&err);
out:
	strbuf_release(&err);
	PQfinish(c);
	return rc;
}
