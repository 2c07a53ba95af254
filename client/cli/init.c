/* SPDX-License-Identifier: GPL-3.0-or-later */
/* motcua init [--db PATH] [--demo] [--no-encrypt]: create (or refresh) a store
 * and import the reference data; with --demo also a demo unit and clerk. All
 * in one transaction: on any failure nothing is written, and a store this run
 * created is removed again.
 *
 * A new store is encrypted as soon as it has its first clerk (clerk add,
 * login: client/store/keyring.h), before it can hold anyone's data: its
 * "encryption" setting is "pending". --no-encrypt (or MOTCUA_NO_ENCRYPT=1,
 * for test and training stores) and --demo (whose clerk's password is
 * public) make it "off": a plain store. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "client/cli/cli.h"
#include "client/base/datadir.h"
#include "client/services/demo.h"
#include "client/store/import.h"
#include "client/store/store.h"

void cli_remove_store(const char *path)
{
	static const char *const suffixes[] = { "", "-wal", "-shm", "-journal", ".lock" };
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		char *p = xasprintf("%s%s", path, suffixes[i]);
		unlink(p);
		free(p);
	}
}

static void print_summary(const char *db, const struct import_counts *c, int demo,
			  const char *encryption)
{
	json_t *o = json_object();
	json_object_set_new(o, "db", json_string(db));
	if (encryption)
		json_object_set_new(o, "encryption", json_string(encryption));
	json_object_set_new(o, "provinces", json_integer(c->provinces));
	json_object_set_new(o, "communes", json_integer(c->communes));
	json_object_set_new(o, "merges", json_integer(c->merges));
	json_object_set_new(o, "procedures", json_integer(c->procedures));
	json_object_set_new(o, "channels", json_integer(c->channels));
	json_object_set_new(o, "components", json_integer(c->components));
	json_object_set_new(o, "needs_review", json_integer(c->needs_review));
	json_object_set_new(o, "components_review", json_integer(c->components_review));
	json_object_set_new(o, "errors", json_integer(c->errors));
	if (demo) {
		json_object_set_new(o, "demo_unit", json_string(DEMO_UNIT_IDENT));
		json_object_set_new(o, "demo_clerk", json_string(DEMO_CLERK));
	}
	cli_print_json(o);
}

int cli_import_reference(struct store *st, struct import_counts *counts,
			 struct strbuf *warnings, struct strbuf *err)
{
	struct progress p;
	progress_begin(&p, "import", "Nhập danh mục", 0, PROGRESS_BYTES);
	int rc = import_reference_progress(st, datadir(), counts, warnings, &p, err);
	if (!rc)
		rc = demo_seed_calendar(st, err);
	progress_end(&p);
	return rc;
}

int cli_init(int argc, char **argv)
{
	const char *db_opt = NULL, *unit = NULL, *ident = NULL;
	int demo = 0, plain = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--db")) {
			if (++i >= argc)
				return cli_bad("thiếu đường dẫn sau --db");
			db_opt = argv[i];
		} else if (!strncmp(argv[i], "--db=", 5)) {
			db_opt = argv[i] + 5;
		} else if (!strcmp(argv[i], "--demo")) {
			demo = 1;
		} else if (!strcmp(argv[i], "--no-encrypt")) {
			plain = 1;
		} else if (!strcmp(argv[i], "--unit") || !strcmp(argv[i], "--ident")) {
			if (i + 1 >= argc || !*argv[i + 1])
				return cli_bad("thiếu giá trị sau %s", argv[i]);
			if (!strcmp(argv[i], "--unit"))
				unit = argv[++i];
			else
				ident = argv[++i];
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			puts("Cách dùng: motcua init [--db PATH] [--demo] [--unit MÃ_XÃ [--ident MÃ_ĐỊNH_DANH]]"
			     " [--no-encrypt]");
			return CLI_OK;
		} else {
			return cli_bad("tùy chọn không hợp lệ cho init: %s", argv[i]);
		}
	}
	if (db_opt && !*db_opt)
		return cli_bad("đường dẫn --db rỗng");
	if (ident && !unit)
		return cli_bad("--ident đi cùng --unit MÃ_XÃ");
	if (unit && demo)
		return cli_bad("--demo đã gán đơn vị mẫu; không dùng cùng --unit");

	struct strbuf err = STRBUF_INIT;
	const char *dir = datadir();
	if (import_check_files(dir, &err)) {
		int rc = cli_fault("%s", err.buf);
		strbuf_release(&err);
		return rc;
	}

	char *path = cli_db_path(db_opt);
	struct stat sb;
	int existed = stat(path, &sb) == 0;
	if (existed && !S_ISREG(sb.st_mode)) {
		int rc = cli_bad("%s không phải là tệp kho dữ liệu", path);
		free(path);
		return rc;
	}

	struct store st;
	if (store_open(&st, path, STORE_CREATE | STORE_EXCLUSIVE, &err)) {
		int rc = cli_fault("%s", err.buf);
		if (!existed)
			cli_remove_store(path);
		strbuf_release(&err);
		free(path);
		return rc;
	}

	const char *env = getenv("MOTCUA_NO_ENCRYPT");
	plain |= env && !strcmp(env, "1");
	/* a new store's encryption; an existing store keeps its own */
	const char *encryption = existed ? NULL : demo || plain ? "off" : "pending";
	struct import_counts counts;
	struct strbuf warnings = STRBUF_INIT;
	int rc = store_begin(&st, &err);
	if (!rc && encryption && store_set_setting(&st, STORE_ENCRYPTION_KEY, encryption, NULL)) {
		strbuf_addstr(&err, store_errmsg_vn(SQLITE_IOERR));
		rc = -1;
	}
	if (!rc)
		rc = cli_import_reference(&st, &counts, &warnings, &err);
	int bad_unit = 0;
	if (!rc && unit)
		bad_unit = rc = import_set_unit(&st, unit, ident, &err);
	if (!rc && demo)
		rc = demo_seed(&st, &err);
	if (!rc && demo)
		rc = demo_seed_dossiers(&st, DEMO_CLERK, NULL, &err) < 0 ? -1 : 0;
	if (!rc)
		rc = store_commit(&st, &err);
	else
		store_rollback(&st);
	store_close(&st);

	if (warnings.len)
		fputs(warnings.buf, stderr);
	strbuf_release(&warnings);
	if (rc) {
		if (!existed)
			cli_remove_store(path);
		if (bad_unit)
			rc = cli_bad("không khởi tạo được kho dữ liệu %s: %s", path, err.buf);
		else
			rc = cli_fault("không khởi tạo được kho dữ liệu %s: %s", path, err.buf);
	} else {
		print_summary(path, &counts, demo, encryption);
	}
	strbuf_release(&err);
	free(path);
	return rc;
}
