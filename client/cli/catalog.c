/* SPDX-License-Identifier: GPL-3.0-or-later */
/* motcua catalog search QUERY [--field F] [--limit N] [--db PATH]
 * motcua catalog show CODE [--db PATH]
 * motcua catalog fields [--db PATH]
 * motcua catalog communes QUERY [--limit N] [--db PATH]
 * JSON lines on stdout (one object for show). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "client/store/catalog.h"
#include "client/cli/cli.h"
#include "client/store/store.h"
#include "core/text.h"

static const char usage_text[] =
	"Cách dùng: motcua catalog search TỪ_KHÓA [--field LĨNH_VỰC] [--limit N] [--db PATH]\n"
	"           motcua catalog show MÃ_THỦ_TỤC [--db PATH]\n"
	"           motcua catalog fields [--db PATH]\n"
	"           motcua catalog communes TỪ_KHÓA [--limit N] [--db PATH]";

static json_t *jstr(const char *s)
{
	return s ? json_string(s) : json_null();
}

struct args {
	const char *db, *field, *arg;
	int limit;
};

/* Options after the subcommand; one positional argument when want_arg. */
static int parse_args(int argc, char **argv, bool want_arg, bool allow_field, struct args *a)
{
	memset(a, 0, sizeof(*a));
	a->limit = 50;
	for (int i = 2; i < argc; i++) {
		const char *o = argv[i];
		if (!strcmp(o, "--db") || !strcmp(o, "--field") || !strcmp(o, "--limit")) {
			if (i + 1 >= argc)
				return cli_bad("thiếu giá trị sau %s", o);
			const char *v = argv[++i];
			if (!strcmp(o, "--db")) {
				a->db = v;
			} else if (!strcmp(o, "--field")) {
				if (!allow_field)
					return cli_bad("--field chỉ dùng với catalog search");
				a->field = v;
			} else {
				char *end;
				errno = 0;
				long n = strtol(v, &end, 10);
				if (errno || *end || end == v || n < 1 || n > 100000)
					return cli_bad("--limit phải là số nguyên từ 1 đến 100000: %s", v);
				a->limit = (int)n;
			}
		} else if (o[0] == '-' && o[1]) {
			return cli_bad("tùy chọn không hợp lệ: %s\n%s", o, usage_text);
		} else if (want_arg && !a->arg) {
			a->arg = o;
		} else {
			return cli_bad("thừa tham số: %s\n%s", o, usage_text);
		}
	}
	if (want_arg && (!a->arg || !*a->arg))
		return cli_bad("thiếu từ khóa hoặc mã\n%s", usage_text);
	if (a->arg && !mc_text_valid(a->arg))
		return cli_bad("tham số không phải UTF-8 hợp lệ");
	return CLI_OK;
}

static int open_store(struct store *st, const char *db)
{
	char *path = cli_db_path(db);
	struct strbuf err = STRBUF_INIT;
	int rc = store_open(st, path, STORE_READONLY, &err) ? cli_fault("%s", err.buf) : CLI_OK;
	strbuf_release(&err);
	free(path);
	return rc;
}

static json_t *proc_json(const struct catalog_proc *p)
{
	json_t *o = json_object();
	json_object_set_new(o, "code", jstr(p->code));
	json_object_set_new(o, "name", jstr(p->name));
	json_object_set_new(o, "field", jstr(p->field));
	char tbuf[64];
	catalog_time_display(p, tbuf, sizeof(tbuf));
	json_object_set_new(o, "time", *tbuf ? json_string(tbuf) : json_null());
	json_object_set_new(o, "fee", jstr(p->fee_text));
	json_object_set_new(o, "needs_review", json_boolean(p->needs_review));
	return o;
}

static int cmd_search(struct store *st, const struct args *a)
{
	char *field = NULL;
	if (a->field) {
		field = catalog_field_lookup(st, a->field);
		if (!field)
			return cli_bad("không có lĩnh vực \"%s\" (xem: motcua catalog fields)", a->field);
	}
	struct catalog_procs r;
	catalog_search(st, a->arg, field, a->limit, &r);
	for (size_t i = 0; i < r.n; i++)
		cli_print_json(proc_json(&r.items[i]));
	catalog_procs_release(&r);
	free(field);
	return CLI_OK;
}

static int cmd_show(struct store *st, const struct args *a)
{
	struct catalog_detail d;
	if (catalog_get(st, a->arg, &d))
		return cli_bad("không có thủ tục mã \"%s\" (tìm bằng: motcua catalog search)", a->arg);
	json_t *o = proc_json(&d.proc);
	json_t *t = json_object();
	json_object_set_new(t, "text", jstr(d.proc.time_text));
	json_object_set_new(t, "value", d.proc.time_unit ? json_real(d.proc.time_value) : json_null());
	json_object_set_new(t, "unit", jstr(d.proc.time_unit));
	json_object_set_new(o, "time_limit", t);
	json_object_set_new(o, "fee_amount", d.proc.has_fee_amount ? json_integer(d.proc.fee_amount)
								    : json_null());
	json_object_set_new(o, "level", jstr(d.level));
	json_object_set_new(o, "kind", jstr(d.kind));
	json_object_set_new(o, "decision", jstr(d.decision));
	json_object_set_new(o, "applicants", jstr(d.applicants));
	json_object_set_new(o, "agency", jstr(d.agency));
	json_object_set_new(o, "result", jstr(d.result));
	json_object_set_new(o, "conditions", jstr(d.conditions));
	json_object_set_new(o, "steps", jstr(d.steps));
	json_object_set_new(o, "url", jstr(d.url));
	json_object_set_new(o, "review_notes", jstr(d.review_notes));

	json_t *legal = json_array();
	for (size_t i = 0; i < d.nlegal; i++) {
		json_t *l = json_object();
		json_object_set_new(l, "number", jstr(d.legal[i].number));
		json_object_set_new(l, "name", jstr(d.legal[i].name));
		json_array_append_new(legal, l);
	}
	json_object_set_new(o, "legal_basis", legal);

	json_t *chans = json_array();
	for (size_t i = 0; i < d.nchannels; i++) {
		json_t *c = json_object();
		json_object_set_new(c, "channel", jstr(d.channels[i].channel));
		json_object_set_new(c, "time", jstr(d.channels[i].time_text));
		json_object_set_new(c, "fee", jstr(d.channels[i].fee_text));
		json_object_set_new(c, "description", jstr(d.channels[i].description));
		json_array_append_new(chans, c);
	}
	json_object_set_new(o, "channels", chans);

	json_t *comps = json_array();
	for (size_t i = 0; i < d.ncomponents; i++) {
		const struct catalog_component *k = &d.components[i];
		json_t *c = json_object();
		json_object_set_new(c, "id", json_integer(k->id));
		json_object_set_new(c, "group", jstr(k->grp));
		json_object_set_new(c, "name", jstr(k->name));
		json_object_set_new(c, "form", jstr(k->form));
		json_object_set_new(c, "originals", json_integer(k->originals));
		json_object_set_new(c, "copies", json_integer(k->copies));
		json_object_set_new(c, "kind", json_string(k->present ? "present" : "submit"));
		json_object_set_new(c, "mandatory", json_boolean(k->mandatory));
		json_object_set_new(c, "needs_review", json_boolean(k->needs_review));
		json_array_append_new(comps, c);
	}
	json_object_set_new(o, "components", comps);
	cli_print_json(o);
	catalog_detail_release(&d);
	return CLI_OK;
}

static int cmd_fields(struct store *st)
{
	struct catalog_fields f;
	catalog_fields(st, &f);
	for (size_t i = 0; i < f.n; i++) {
		json_t *o = json_object();
		json_object_set_new(o, "field", jstr(f.items[i].field));
		json_object_set_new(o, "count", json_integer(f.items[i].count));
		cli_print_json(o);
	}
	catalog_fields_release(&f);
	return CLI_OK;
}

static int cmd_communes(struct store *st, const struct args *a)
{
	struct catalog_communes r;
	catalog_commune_search(st, a->arg, a->limit, &r);
	for (size_t i = 0; i < r.n; i++) {
		const struct catalog_commune *c = &r.items[i];
		json_t *o = json_object();
		json_object_set_new(o, "code", jstr(c->code));
		json_object_set_new(o, "name", jstr(c->name));
		json_object_set_new(o, "kind", jstr(c->kind));
		json_object_set_new(o, "province_code", jstr(c->province_code));
		json_object_set_new(o, "province_name", jstr(c->province_name));
		json_object_set_new(o, "via_old_name", jstr(c->via_old_name));
		cli_print_json(o);
	}
	catalog_communes_release(&r);
	return CLI_OK;
}

int cli_catalog(int argc, char **argv)
{
	if (argc < 2)
		return cli_bad("thiếu lệnh con\n%s", usage_text);
	const char *sub = argv[1];
	if (!strcmp(sub, "--help") || !strcmp(sub, "-h")) {
		puts(usage_text);
		return CLI_OK;
	}
	bool search = !strcmp(sub, "search"), show = !strcmp(sub, "show");
	bool fields = !strcmp(sub, "fields"), communes = !strcmp(sub, "communes");
	if (!search && !show && !fields && !communes)
		return cli_bad("lệnh con không hợp lệ: %s\n%s", sub, usage_text);
	struct args a;
	int rc = parse_args(argc, argv, !fields, search, &a);
	if (rc)
		return rc;
	struct store st;
	if ((rc = open_store(&st, a.db)))
		return rc;
	if (search)
		rc = cmd_search(&st, &a);
	else if (show)
		rc = cmd_show(&st, &a);
	else if (fields)
		rc = cmd_fields(&st);
	else
		rc = cmd_communes(&st, &a);
	store_close(&st);
	return rc;
}
