/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `motcua clerk`: local clerk accounts.
 *
 *   motcua clerk add USER --name "Họ và tên" --unit MÃ [--role clerk|supervisor|admin]
 *   motcua clerk passwd USER
 *   motcua clerk list
 *   motcua clerk disable USER | enable USER
 *
 * Every form takes --db PATH. add and passwd read the password as one line
 * from standard input (without echo on a terminal). JSON on stdout: one
 * compact object per clerk and line; no password hash ever leaves the store.
 *
 * On an encrypted store (docs/security.md) the command first needs a
 * clerk's password to open it (MOTCUA_USER and MOTCUA_PASSWORD, or asked on
 * the terminal); add and passwd wrap the store's key for the clerk's
 * password, disable removes the clerk's wrap. The first clerk added to a
 * store made by `motcua init` encrypts it (a store add creates is made the
 * same way; MOTCUA_NO_ENCRYPT=1 keeps it plain). */
#include "client/cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "client/store/auth.h"
#include "client/store/keyring.h"
#include "client/store/store.h"
#include "core/xalloc.h"

struct clerk_opts {
	const char *sub;
	const char *user;
	const char *name;
	const char *unit;
	const char *role;
	const char *db;
};

static const char clerk_usage[] =
	"cách dùng: motcua clerk add TÊN --name \"Họ và tên\" --unit MÃ [--role clerk|supervisor|admin]\n"
	"           motcua clerk passwd TÊN | list | disable TÊN | enable TÊN   [--db ĐƯỜNG_DẪN]";

static int parse(int argc, char **argv, struct clerk_opts *o)
{
	memset(o, 0, sizeof(*o));
	if (argc < 2)
		return cli_bad("thiếu lệnh con\n%s", clerk_usage);
	o->sub = argv[1];
	static const char *const names[] = { "--name", "--unit", "--role", "--db" };
	const char **slots[] = { &o->name, &o->unit, &o->role, &o->db };
	for (int i = 2; i < argc; i++) {
		const char *v = NULL;
		size_t k = 0;
		int r = 0;
		while (k < sizeof names / sizeof names[0] && !(r = cli_option(argc, argv, &i, names[k], &v)))
			k++;
		if (r > 0)
			*slots[k] = v;
		else if (r < 0)
			return cli_bad("thiếu giá trị cho %s", argv[i]);
		else if (argv[i][0] == '-' && argv[i][1])
			return cli_bad("tùy chọn không hợp lệ '%s'\n%s", argv[i], clerk_usage);
		else if (!o->user)
			o->user = argv[i];
		else
			return cli_bad("thừa tham số '%s'\n%s", argv[i], clerk_usage);
	}
	return CLI_OK;
}

static void print_clerk(const struct clerk *c)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:b}", "username", c->username, "full_name",
			      c->full_name, "unit_code", c->unit_code, "role", c->role, "disabled",
			      c->disabled);
	char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	puts(s);
	free(s);
	json_decref(o);
}

/* The result of a writer: 0, or the CLI status for its error. */
static int write_status(struct store *st, int rc, struct strbuf *err)
{
	if (rc == 0 && store_commit(st, err))
		rc = AUTH_FAULT;
	if (rc)
		store_rollback(st);
	if (rc == AUTH_FAULT)
		return cli_fault("%s", err->buf);
	if (rc)
		return cli_bad("%s", err->buf);
	return CLI_OK;
}

static int print_one(struct store *st, const char *user)
{
	struct clerk c;
	if (auth_load_clerk(st, user, &c))
		return cli_fault("không đọc lại được tài khoản '%s'", user);
	print_clerk(&c);
	clerk_release(&c);
	return CLI_OK;
}

static struct clerk new_clerk(const struct clerk_opts *o)
{
	return (struct clerk){
		.username = (char *)o->user,
		.full_name = (char *)o->name,
		.unit_code = (char *)o->unit,
		.role = (char *)(o->role ? o->role : "clerk"),
	};
}

static int do_add(struct store *st, const struct clerk_opts *o, const char *pw,
		  struct strbuf *err)
{
	struct clerk c = new_clerk(o);
	int rc = store_begin(st, err) ? AUTH_FAULT : auth_add_clerk(st, &c, pw, err);
	rc = write_status(st, rc, err);
	return rc ? rc : print_one(st, o->user);
}

/* Adds the clerk; a store waiting for its first clerk is encrypted then. */
static int add_first(struct store *st, const struct clerk_opts *o, const char *pw,
		     struct strbuf *err)
{
	int rc = do_add(st, o, pw, err);
	if (!rc && keyring_encrypt_pending(st, o->user, pw, err) < 0)
		rc = cli_fault("đã thêm cán bộ '%s' nhưng chưa mã hóa được kho dữ liệu: %s", o->user,
			       err->buf);
	return rc;
}

static int do_passwd(struct store *st, const struct clerk_opts *o, const char *pw,
		     struct strbuf *err)
{
	int rc = store_begin(st, err) ? AUTH_FAULT : auth_set_password(st, o->user, pw, err);
	rc = write_status(st, rc, err);
	return rc ? rc : print_one(st, o->user);
}

static int do_disable(struct store *st, const struct clerk_opts *o, bool disabled,
		      struct strbuf *err)
{
	int rc = store_begin(st, err) ? AUTH_FAULT
				       : auth_set_disabled(st, o->user, disabled, err);
	rc = write_status(st, rc, err);
	return rc ? rc : print_one(st, o->user);
}

static int do_list(struct store *st, struct strbuf *err)
{
	struct clerk_list all = { 0 };
	int rc = auth_list_clerks(st, &all, err);
	for (size_t i = 0; i < all.n; i++)
		print_clerk(&all.v[i]);
	clerk_list_release(&all);
	return rc ? cli_fault("%s", err->buf) : CLI_OK;
}

int cli_clerk(int argc, char **argv)
{
	struct clerk_opts o;
	int rc = parse(argc, argv, &o);
	if (rc)
		return rc;
	bool list = !strcmp(o.sub, "list");
	bool known = list || !strcmp(o.sub, "add") || !strcmp(o.sub, "passwd") ||
		     !strcmp(o.sub, "disable") || !strcmp(o.sub, "enable");
	if (!known)
		return cli_bad("không có lệnh 'clerk %s'\n%s", o.sub, clerk_usage);
	if (list && o.user)
		return cli_bad("thừa tham số '%s'\n%s", o.user, clerk_usage);
	if (!list && !o.user)
		return cli_bad("thiếu tên đăng nhập của cán bộ\n%s", clerk_usage);
	if (strcmp(o.sub, "add") && (o.name || o.unit || o.role))
		return cli_bad("--name, --unit và --role chỉ dùng với 'clerk add'");

	bool add = !strcmp(o.sub, "add");
	struct strbuf err = STRBUF_INIT;
	if (add) {
		struct clerk c = new_clerk(&o);
		if (auth_validate(&c, &err)) {
			rc = cli_bad("%s", err.buf);
			strbuf_release(&err);
			return rc;
		}
	}
	if (auth_init(&err)) {
		rc = cli_fault("%s", err.buf);
		strbuf_release(&err);
		return rc;
	}
	/* Everything is checked before the store is opened (or created). */
	char *pw = NULL;
	if (add || !strcmp(o.sub, "passwd")) {
		pw = cli_read_password();
		if (!pw || !*pw) {
			cli_free_secret(pw);
			strbuf_release(&err);
			return cli_bad("mật khẩu trống: hãy nhập mật khẩu (một dòng) vào đầu vào chuẩn");
		}
	}
	char *path = cli_db_path(o.db);
	struct store st;
	bool created = add && access(path, F_OK);
	if (store_open(&st, path, add ? STORE_CREATE : 0, &err)) {
		rc = cli_fault("%s", err.buf);
	} else {
		const char *plain = getenv("MOTCUA_NO_ENCRYPT");
		if (created && store_set_setting(&st, STORE_ENCRYPTION_KEY,
						 plain && !strcmp(plain, "1") ? "off" : "pending", NULL))
			rc = cli_fault("không ghi được thiết lập của kho dữ liệu %s", path);
		else if (list)
			rc = do_list(&st, &err);
		else if (add)
			rc = add_first(&st, &o, pw, &err);
		else if (!strcmp(o.sub, "passwd"))
			rc = do_passwd(&st, &o, pw, &err);
		else
			rc = do_disable(&st, &o, !strcmp(o.sub, "disable"), &err);
		store_close(&st);
	}
	cli_free_secret(pw);
	free(path);
	strbuf_release(&err);
	return rc;
}
