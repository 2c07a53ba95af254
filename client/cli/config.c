/* SPDX-License-Identifier: GPL-3.0-or-later */
/* motcua config list | get NAME | set NAME VALUE | test-printer | markdown
 *
 * The workstation's settings (client/services/settings.h: one table of
 * names, checks, defaults and words). list and get read the store read-only
 * (they work while the TUI runs); set checks the value (a printer CUPS
 * knows, an address that parses, hours that make sense, a unit that
 * exists...) and writes it in one transaction, or refuses it with exit 2
 * and nothing changed. An empty VALUE brings back the default.
 * test-printer writes a one-page PDF (the unit's header, Vietnamese text, a
 * QR code of the lookup address) and sends it to the printer set (or
 * --printer NAME); --out FILE keeps the PDF there. markdown prints the
 * table that docs/reception.md holds. */
#include "client/cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "client/base/clock.h"
#include "client/services/reception.h"
#include "client/services/settings.h"
#include "client/store/store.h"
#include "core/text.h"

static const char config_usage[] =
	"Cách dùng: motcua config list [--db ĐƯỜNG_DẪN]\n"
	"           motcua config get TÊN [--db ĐƯỜNG_DẪN]\n"
	"           motcua config set TÊN GIÁ_TRỊ [--db ĐƯỜNG_DẪN]   (GIÁ_TRỊ rỗng: về mặc định)\n"
	"           motcua config test-printer [--printer MÁY_IN] [--out TỆP.pdf] [--db ĐƯỜNG_DẪN]\n"
	"           motcua config markdown\n"
	"Xem và đổi cài đặt của máy trạm; mỗi giá trị được kiểm tra trước khi ghi.\n";

struct config_opts {
	const char *db, *printer, *out;
	const char *args[3];
	int nargs;
};

static int parse(int argc, char **argv, struct config_opts *o)
{
	memset(o, 0, sizeof(*o));
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char **slot = NULL;
		const char *name = NULL;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			fputs(config_usage, stdout);
			return -1;
		}
		if (!strncmp(a, "--db", 4) && (!a[4] || a[4] == '='))
			slot = &o->db, name = "--db";
		else if (!strncmp(a, "--printer", 9) && (!a[9] || a[9] == '='))
			slot = &o->printer, name = "--printer";
		else if (!strncmp(a, "--out", 5) && (!a[5] || a[5] == '='))
			slot = &o->out, name = "--out";
		if (slot) {
			size_t n = strlen(name);
			if (a[n] == '=')
				*slot = a + n + 1;
			else if (i + 1 < argc)
				*slot = argv[++i];
			else
				return cli_bad("thiếu giá trị sau %s", name);
			if (!**slot)
				return cli_bad("giá trị sau %s rỗng", name);
			continue;
		}
		if (a[0] == '-' && a[1] == '-')
			return cli_bad("tùy chọn không hợp lệ cho config: %s (xem: motcua config --help)", a);
		if (o->nargs == 3)
			return cli_bad("thừa tham số '%s' (xem: motcua config --help)", a);
		o->args[o->nargs++] = a;
	}
	if (!o->nargs)
		return cli_bad("thiếu lệnh con: list, get, set, test-printer hoặc markdown\n%s",
			       config_usage);
	return 0;
}

static json_t *setting_json(struct store *st, const struct setting_def *d)
{
	bool dflt;
	char *v = settings_value(st, d, &dflt);
	json_t *o = json_pack("{s:s, s:s, s:b, s:s, s:s}", "name", d->name, "value", v, "default",
			      dflt, "label", d->label, "description", d->description);
	free(v);
	return o;
}

static int open_store(const struct config_opts *o, unsigned flags, struct store *st, char **path)
{
	*path = cli_db_path(o->db);
	struct strbuf err = STRBUF_INIT;
	if (store_open(st, *path, flags, &err)) {
		int rc = cli_fault("%s", err.buf);
		strbuf_release(&err);
		FREE(path);
		return rc;
	}
	strbuf_release(&err);
	return 0;
}

static int do_list(const struct config_opts *o)
{
	if (o->nargs != 1)
		return cli_bad("cách dùng: motcua config list");
	struct store st;
	char *path;
	int rc = open_store(o, STORE_READONLY, &st, &path);
	if (rc)
		return rc;
	size_t n;
	const struct setting_def *defs = settings_defs(&n);
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, setting_json(&st, &defs[i]));
	cli_print_json(json_pack("{s:s, s:o}", "db", path, "settings", arr));
	store_close(&st);
	free(path);
	return CLI_OK;
}

static const struct setting_def *known(const char *name)
{
	const struct setting_def *d = settings_find(name);
	if (!d) {
		size_t n;
		const struct setting_def *defs = settings_defs(&n);
		struct strbuf names = STRBUF_INIT;
		for (size_t i = 0; i < n; i++)
			strbuf_addf(&names, "%s%s", i ? ", " : "", defs[i].name);
		cli_say("không có cài đặt «%s»; các cài đặt: %s", name, names.buf);
		strbuf_release(&names);
	}
	return d;
}

static int do_get(const struct config_opts *o)
{
	if (o->nargs != 2)
		return cli_bad("cách dùng: motcua config get TÊN");
	const struct setting_def *d = known(o->args[1]);
	if (!d)
		return CLI_BADINPUT;
	struct store st;
	char *path;
	int rc = open_store(o, STORE_READONLY, &st, &path);
	if (rc)
		return rc;
	cli_print_json(setting_json(&st, d));
	store_close(&st);
	free(path);
	return CLI_OK;
}

static int do_set(const struct config_opts *o)
{
	if (o->nargs != 3)
		return cli_bad("cách dùng: motcua config set TÊN GIÁ_TRỊ (GIÁ_TRỊ \"\": về mặc định)");
	const struct setting_def *d = known(o->args[1]);
	if (!d)
		return CLI_BADINPUT;
	struct store st;
	char *path;
	int rc = open_store(o, 0, &st, &path);
	if (rc)
		return rc;
	struct strbuf warn = STRBUF_INIT, err = STRBUF_INIT;
	rc = settings_set(&st, d, o->args[2], &warn, &err);
	if (rc == SETTINGS_REFUSED)
		rc = cli_bad("%s", err.buf);
	else if (rc)
		rc = cli_fault("không ghi được cài đặt: %s", err.buf);
	else
		cli_print_json(setting_json(&st, d));
	if (!rc && warn.len)
		fprintf(stderr, "motcua: cảnh báo: %s\n", warn.buf);
	strbuf_release(&warn);
	strbuf_release(&err);
	store_close(&st);
	free(path);
	return rc;
}

static int do_markdown(const struct config_opts *o)
{
	struct strbuf md = STRBUF_INIT;
	settings_markdown(&md);
	fputs(md.buf, stdout);
	strbuf_release(&md);
	return CLI_OK;
}

static int do_test_printer(const struct config_opts *o)
{
	if (o->nargs != 1)
		return cli_bad("cách dùng: motcua config test-printer [--printer MÁY_IN] [--out TỆP.pdf]");
	struct mc_dt now;
	if (clock_now(&now))
		return cli_bad("MOTCUA_NOW '%s' không hợp lệ", getenv("MOTCUA_NOW"));
	struct store st;
	char *path;
	int rc = open_store(o, STORE_READONLY, &st, &path);
	if (rc)
		return rc;
	char *printer = o->printer ? xstrdup(o->printer) : store_get_setting(&st, "printer");
	char *qr = reception_lookup_url(&st, "");
	char *pdf = NULL;
	bool printed = false;
	struct strbuf err = STRBUF_INIT;
	int r = settings_test_page(&st, printer ? printer : "", o->out, &now, &pdf, &printed, &err);
	store_close(&st);
	if (r == -1)
		rc = cli_fault("không tạo được trang in thử %s: %s", pdf, err.buf);
	else if (r)
		rc = cli_fault("đã tạo %s nhưng không in được: %s", pdf, err.buf);
	else
		cli_print_json(json_pack("{s:s, s:s?, s:b, s:s}", "pdf", pdf, "printer",
					 mc_text_blank(printer) ? NULL : printer, "printed", printed,
					 "qr", qr));
	if (!rc && !printed)
		fputs("motcua: chưa đặt máy in (motcua config set printer TÊN): chỉ tạo tệp PDF\n",
		      stderr);
	strbuf_release(&err);
	free(pdf);
	free(qr);
	free(printer);
	free(path);
	return rc;
}

int cli_config(int argc, char **argv)
{
	struct config_opts o;
	int rc = parse(argc, argv, &o);
	if (rc)
		return rc < 0 ? CLI_OK : rc;
	const char *cmd = o.args[0];
	if (!strcmp(cmd, "list"))
		return do_list(&o);
	if (!strcmp(cmd, "get"))
		return do_get(&o);
	if (!strcmp(cmd, "set"))
		return do_set(&o);
	if (!strcmp(cmd, "test-printer"))
		return do_test_printer(&o);
	if (!strcmp(cmd, "markdown"))
		return do_markdown(&o);
	return cli_bad("lệnh con không hợp lệ cho config: %s (list, get, set, test-printer, markdown)",
		       cmd);
}
