/* SPDX-License-Identifier: GPL-3.0-or-later */
/* motcua login --server URL --username U [--db PATH] [--device-name NAME]
 *              [--ca-file FILE]
 *
 * Logs this workstation in to motcua-server (POST /api/v1/auth/login) and
 * keeps the revocable device token in the store (sync_state), so that
 * `motcua sync` and the TUI's worker can sync. The password is read from the
 * terminal without echo, or as one line from standard input when it is not
 * a terminal. The clerk is also written to the local store with an Argon2id
 * hash of the password the server accepted (offline login), and the
 * workstation's receiving unit is set from the user's unit when none is set.
 * The server must be https://, or http:// on this very machine. On an
 * encrypted store the token is kept sealed under the store's key, and the
 * password opens the store when it is the clerk's local one; a store made
 * by `motcua init` is encrypted at its first login (docs/security.md).
 *
 * A new workstation needs nothing else: when the store does not exist, login
 * makes it (the reference data of the installed data folder, as motcua init
 * does) before asking the server, takes the unit the server says the user
 * serves, and after the login runs a first sync pass (clerks, procedures,
 * dossiers of the unit). A refused login leaves no store behind.
 *
 * Prints {"server", "username", "full_name", "unit_code", "role",
 * "device_id", "units", "store_created"} and, after a first sync, "sync"
 * (the summary of motcua sync); never the token. Bad credentials or
 * options: exit 2; no answer from the server, a store fault or a first sync
 * that did not finish (the login is kept: run motcua sync): exit 1. */
#include "client/cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "client/base/datadir.h"
#include "client/store/auth.h"
#include "client/store/import.h"
#include "client/store/keyring.h"
#include "client/store/store.h"
#include "client/store/units.h"
#include "core/syncproto.h"
#include "core/text.h"
#include "sync/http.h"
#include "sync/sync.h"

struct login_opts {
	const char *server, *username, *db, *device_name, *ca_file;
};

static const char login_usage[] =
	"Cách dùng: motcua login --server URL --username TÊN [--db ĐƯỜNG_DẪN]\n"
	"                        [--device-name TÊN_MÁY] [--ca-file TỆP_CA]\n"
	"Đăng nhập máy chủ đồng bộ; mật khẩu gõ không hiện (hoặc một dòng từ đầu vào chuẩn).\n";

static int parse(int argc, char **argv, struct login_opts *o)
{
	memset(o, 0, sizeof(*o));
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		static const char *const names[] = { "--server", "--username", "--db", "--device-name",
						     "--ca-file" };
		const char **slots[] = { &o->server, &o->username, &o->db, &o->device_name,
					 &o->ca_file };
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			fputs(login_usage, stdout);
			return -1;
		}
		bool found = false;
		for (size_t k = 0; k < sizeof(names) / sizeof(names[0]) && !found; k++) {
			size_t n = strlen(names[k]);
			if (strncmp(a, names[k], n) || (a[n] && a[n] != '='))
				continue;
			found = true;
			if (a[n] == '=') {
				*slots[k] = a + n + 1;
			} else if (i + 1 < argc) {
				*slots[k] = argv[++i];
			} else {
				return cli_bad("thiếu giá trị sau %s", names[k]);
			}
		}
		if (!found)
			return cli_bad("tùy chọn không hợp lệ cho login: %s (xem: motcua login --help)", a);
	}
	if (!o->server || !*o->server)
		return cli_bad("thiếu --server URL (ví dụ: --server https://motcua.hanoi.gov.vn)");
	if (!o->username || !*o->username)
		return cli_bad("thiếu --username TÊN_ĐĂNG_NHẬP");
	if (!auth_username_valid(o->username))
		return cli_bad("tên đăng nhập '%s' không hợp lệ: 1-32 ký tự a-z, 0-9, '.', '_', '-'",
			       o->username);
	if (o->db && !*o->db)
		return cli_bad("đường dẫn --db rỗng");
	if (o->ca_file && access(o->ca_file, R_OK))
		return cli_bad("không đọc được tệp chứng chỉ CA %s", o->ca_file);
	if (o->device_name && (!*o->device_name || !mc_text_valid(o->device_name) ||
			       strlen(o->device_name) > 100))
		return cli_bad("--device-name phải là văn bản UTF-8 từ 1 đến 100 byte");
	return 0;
}

static const char *jstr(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* The answer of a successful login, checked. */
struct login_answer {
	json_t *root;
	const char *token, *username, *full_name, *unit_code, *role;
	const json_t *units;
};

static int read_answer(const struct sync_reply *r, struct login_answer *a)
{
	json_error_t je;
	memset(a, 0, sizeof(*a));
	a->root = json_loadb(r->body.buf, r->body.len, 0, &je);
	const json_t *user = json_object_get(a->root, "user");
	a->token = jstr(a->root, "token");
	a->username = jstr(user, "username");
	a->full_name = jstr(user, "full_name");
	a->unit_code = jstr(user, "unit_code");
	a->role = jstr(user, "role");
	a->units = json_object_get(a->root, "units");
	if (!a->token || !*a->token || !a->username || !auth_username_valid(a->username) ||
	    !a->unit_code || !*a->unit_code || !json_is_array(a->units))
		return -1;
	if (!a->role || !auth_role_valid(a->role))
		a->role = "clerk";
	if (!a->full_name || !*a->full_name || !mc_text_valid(a->full_name))
		a->full_name = a->username;
	return 0;
}

/* The units the user serves, as the server knows them. */
static int save_units(struct store *st, const json_t *units, struct strbuf *err)
{
	size_t i;
	const json_t *u;
	json_array_foreach(units, i, u) {
		struct unit_info info = { jstr(u, "code"), jstr(u, "name"), jstr(u, "ident"),
					  jstr(u, "kind"), jstr(u, "parent_code") };
		if (!info.code || !info.name || !info.ident)
			continue;
		if (units_save(st, &info, err))
			return -1;
	}
	return 0;
}

/* The clerk, with the password the server just accepted (offline login). */
static int save_clerk(struct store *st, const struct login_answer *a, const char *password,
		      struct strbuf *err)
{
	struct clerk c = { (char *)a->username, (char *)a->full_name, (char *)a->unit_code,
			   (char *)a->role, false };
	struct clerk old;
	if (auth_load_clerk(st, a->username, &old)) {
		int rc = auth_add_clerk(st, &c, password, err);
		return rc == AUTH_REFUSED ? 0 : rc; /* a name we cannot keep: no local login */
	}
	clerk_release(&old);
	if (auth_update_clerk(st, &c, err))
		return -1;
	return auth_set_password(st, a->username, password, err) == AUTH_FAULT ? -1 : 0;
}

/* The workstation's receiving unit, when none is set: the user's own. */
static int default_unit(struct store *st, const struct login_answer *a)
{
	char *unit = store_get_setting(st, "unit_code");
	bool set = unit && *unit;
	free(unit);
	if (set)
		return 0;
	size_t i;
	const json_t *u;
	json_array_foreach(a->units, i, u) {
		const char *code = jstr(u, "code"), *ident = jstr(u, "ident");
		if (code && ident && !strcmp(code, a->unit_code))
			return store_set_setting(st, "unit_code", code, NULL) ||
			       store_set_setting(st, "unit_ident", ident, NULL);
	}
	return 0;
}

static int save_login(struct store *st, const struct login_opts *o, const char *url,
		      const char *device_name, const struct login_answer *a, const char *password,
		      struct strbuf *err)
{
	if (store_begin(st, err))
		return -1;
	/* the cursor stays: a server that did not give it answers 410 and the
	 * feed starts again from the beginning; the token is kept sealed under
	 * an encrypted store's key */
	char *token = keyring_seal_secret(st->path, a->token);
	int rc = sync_config_save_login(st, url, a->username, token, o->ca_file, device_name,
					err);
	keyring_free_secret(token);
	if (!rc)
		rc = save_units(st, a->units, err);
	if (!rc)
		rc = save_clerk(st, a, password, err);
	if (!rc)
		rc = default_unit(st, a);
	if (rc) {
		if (!err->len)
			strbuf_addstr(err, store_last_errmsg_vn(st));
		store_rollback(st);
		return -1;
	}
	return store_commit(st, err);
}

static void print_result(const char *url, const char *device_id, const struct login_answer *a,
			 bool created, json_t *sync)
{
	json_t *units = json_array();
	size_t i;
	const json_t *u;
	json_array_foreach(a->units, i, u)
		if (jstr(u, "code"))
			json_array_append_new(units, json_string(jstr(u, "code")));
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:o}", "server", url, "username",
			      a->username, "full_name", a->full_name, "unit_code", a->unit_code,
			      "role", a->role, "device_id", device_id, "units", units);
	json_object_set_new(o, "store_created", json_boolean(created));
	if (sync)
		json_object_set_new(o, "sync", sync);
	cli_print_json(o);
}

/* A store made by `motcua init` is encrypted at its first clerk's login,
 * its token then sealed. 0, or -1 with err. */
static int encrypt_first(struct store *st, const char *username, const char *password,
			 struct strbuf *err)
{
	struct clerk c;
	if (auth_load_clerk(st, username, &c))
		return 0; /* no local clerk (a name we cannot keep): no local login either */
	clerk_release(&c);
	if (keyring_encrypt_pending(st, username, password, err) < 0)
		return -1;
	if (sync_token_reseal(st)) {
		strbuf_addstr(err, "không mã hóa được mã đăng nhập máy chủ");
		return -1;
	}
	return 0;
}

/* The store file holds the token: only its owner reads it. */
static void protect(const char *path)
{
	static const char *const suffixes[] = { "", "-wal", "-shm" };
	for (size_t i = 0; i < 3; i++) {
		char *p = xasprintf("%s%s", path, suffixes[i]);
		chmod(p, 0600);
		free(p);
	}
}

/* A new workstation's store: the schema and the reference data, all in one
 * transaction; removed again on failure. */
static int create_store(struct store *st, const char *path, struct strbuf *err)
{
	if (import_check_files(datadir(), err))
		return -1;
	if (store_open(st, path, STORE_CREATE | STORE_EXCLUSIVE, err)) {
		cli_remove_store(path);
		return -1;
	}
	struct import_counts counts;
	struct strbuf warnings = STRBUF_INIT;
	int rc = store_begin(st, err);
	if (!rc)
		rc = cli_import_reference(st, &counts, &warnings, err);
	if (!rc)
		rc = store_commit(st, err);
	else
		store_rollback(st);
	if (warnings.len)
		fputs(warnings.buf, stderr);
	strbuf_release(&warnings);
	if (rc) {
		store_close(st);
		cli_remove_store(path);
	}
	return rc;
}

/* The first sync pass of a new workstation; its summary as JSON. */
static int first_sync(struct store *st, json_t **summary, struct strbuf *err)
{
	struct cli_sync_bar bar = { 0 };
	struct sync_options opt = { .progress = cli_sync_progress, .progress_arg = &bar };
	struct sync_summary sum;
	sync_summary_init(&sum);
	enum sync_outcome o = sync_run(st, &opt, &sum);
	cli_sync_bar_end(&bar);
	char *json = sync_summary_json(&sum);
	*summary = json_loads(json, 0, NULL);
	free(json);
	int rc = 0;
	if (o != SYNC_DONE || sum.nerrors) {
		strbuf_addstr(err, sum.nerrors ? sum.errors[sum.nerrors - 1] : "lỗi không rõ");
		rc = -1;
	}
	sync_summary_release(&sum);
	return rc;
}

/* The error code of a refused login (MC_ERR_HTTP when the answer has none). */
static enum mc_err login_code(const struct sync_reply *r, struct sync_error *e)
{
	if (sync_error_decode(r->body.buf, r->body.len, e)) {
		sync_error_set(e, MC_ERR_HTTP, "mã trả lời %ld", r->status);
		return MC_ERR_HTTP;
	}
	return mc_err_from_wire(e->code);
}

/* 429: too many failed logins for this name or from this machine; the
 * server's Retry-After says how long to wait. Bad input: exit 2. */
static int refused_throttled(const struct sync_reply *r)
{
	char *v = sync_reply_header(r, "Retry-After"), *end = NULL;
	long secs = v && *v ? strtol(v, &end, 10) : -1;
	if (!v || !*v || *end || secs < 0)
		secs = -1;
	free(v);
	if (secs < 0)
		return cli_bad("đăng nhập sai quá nhiều lần nên tài khoản hoặc máy này tạm bị khóa;"
			       " hãy thử lại sau ít phút");
	if (secs <= 60)
		return cli_bad("đăng nhập sai quá nhiều lần nên tài khoản hoặc máy này tạm bị khóa;"
			       " hãy thử lại sau %ld giây", secs);
	return cli_bad("đăng nhập sai quá nhiều lần nên tài khoản hoặc máy này tạm bị khóa;"
		       " hãy thử lại sau %ld phút %ld giây (%ld giây)", secs / 60, secs % 60, secs);
}

static int login(const struct login_opts *o, const char *url, const char *password)
{
	char *path = cli_db_path(o->db);
	struct strbuf err = STRBUF_INIT;
	struct store st;
	struct stat sb;
	bool create = stat(path, &sb) != 0;
	/* the clerk's own password opens an encrypted store; else the unlock
	 * hook asks for one (client/cli/encrypt.c) */
	if (!create && keyring_is_encrypted(path) && !keyring_unlocked(path)) {
		keyring_unlock(path, o->username, password, &err);
		strbuf_reset(&err);
	}
	if (auth_init(&err) ||
	    (create ? create_store(&st, path, &err) : store_open(&st, path, 0, &err))) {
		int rc = cli_fault("%s", err.buf);
		strbuf_release(&err);
		free(path);
		return rc;
	}
	char *device_id = sync_device_id(&st);
	struct sync_config cfg;
	sync_config_load(&st, &cfg);
	char host[256] = "";
	gethostname(host, sizeof(host) - 1);
	const char *name = o->device_name ? o->device_name
			   : cfg.device_name ? cfg.device_name
			   : mc_text_valid(host) && *host ? host : "motcua";
	char *device_name = xstrdup(name);
	sync_config_release(&cfg);

	json_t *req = json_pack("{s:s, s:s, s:s, s:s}", "username", o->username, "password",
				password, "device_id", device_id, "device_name", device_name);
	char *body = json_dumps(req, JSON_COMPACT);
	json_decref(req);
	struct sync_http h;
	sync_http_init(&h, url, NULL, o->ca_file);
	struct sync_reply r;
	int sent = sync_http_request(&h, "POST", "/api/v1/auth/login", body, &r);
	int protocol = h.server_protocol;
	cli_free_secret(body);
	sync_http_release(&h);

	int rc = CLI_OK;
	bool saved = false;
	struct login_answer a = { 0 };
	struct sync_error e;
	if (sent) {
		rc = cli_fault("không đăng nhập được %s: %s", url, r.error);
	} else if (r.status == 429 || login_code(&r, &e) == MC_ERR_TOO_MANY_ATTEMPTS) {
		rc = refused_throttled(&r);
	} else if (r.status == 401 || r.status == 403) {
		if (sync_error_decode(r.body.buf, r.body.len, &e))
			sync_error_set(&e, MC_ERR_BAD_CREDENTIALS, "%s",
				       mc_err_text(MC_ERR_BAD_CREDENTIALS));
		rc = cli_bad("máy chủ từ chối đăng nhập: %s", e.message);
	} else if (r.status != 200) {
		if (sync_error_decode(r.body.buf, r.body.len, &e))
			sync_error_set(&e, MC_ERR_HTTP, "mã trả lời %ld", r.status);
		rc = r.status >= 500 ? cli_fault("máy chủ gặp sự cố: %s", e.message)
				     : cli_bad("máy chủ không nhận yêu cầu đăng nhập (%ld): %s", r.status,
					       e.message);
	} else if (read_answer(&r, &a)) {
		rc = cli_fault("câu trả lời đăng nhập của máy chủ %s không hợp lệ", url);
	} else if (save_login(&st, o, url, device_name, &a, password, &err)) {
		rc = cli_fault("không lưu được đăng nhập vào kho dữ liệu: %s", err.buf);
	} else if (encrypt_first(&st, a.username, password, &err)) {
		rc = cli_fault("đã đăng nhập nhưng chưa mã hóa được kho dữ liệu: %s", err.buf);
	} else {
		sync_remember_protocol(&st, protocol);
		saved = true;
		protect(path);
		json_t *summary = NULL;
		if (create && first_sync(&st, &summary, &err))
			rc = cli_fault("đã đăng nhập và tạo kho %s nhưng lần đồng bộ đầu chưa xong: %s;"
				       " chạy lại: motcua sync --once", path, err.buf);
		print_result(url, device_id, &a, create, summary);
	}
	json_decref(a.root);
	sync_reply_release(&r);
	store_close(&st);
	if (create && !saved) /* a refused login leaves no store behind */
		cli_remove_store(path);
	free(device_id);
	free(device_name);
	free(path);
	strbuf_release(&err);
	return rc;
}

int cli_login(int argc, char **argv)
{
	struct login_opts o;
	int rc = parse(argc, argv, &o);
	if (rc)
		return rc < 0 ? CLI_OK : rc;
	char *url = NULL;
	if (!strncmp(o.server, "http://", 7) && !sync_url_loopback(o.server))
		return cli_bad("địa chỉ máy chủ '%s' không an toàn: cần https:// (mã hóa đường truyền);"
			       " http:// chỉ dùng với máy chủ chạy trên chính máy này (127.0.0.1, ::1,"
			       " localhost)", o.server);
	if (!sync_url_valid(o.server, &url))
		return cli_bad("địa chỉ máy chủ '%s' không hợp lệ: cần http:// hoặc https:// và tên"
			       " máy (ví dụ https://motcua.hanoi.gov.vn)", o.server);
	char *password = cli_read_password();
	if (!password || !*password) {
		cli_free_secret(password);
		free(url);
		return cli_bad("chưa nhập mật khẩu");
	}
	rc = login(&o, url, password);
	cli_free_secret(password);
	free(url);
	return rc;
}
