/* SPDX-License-Identifier: GPL-3.0-or-later */
/* motcua-server import: units (provinces and communes), procedures and the
 * holiday calendar from the files the client imports (data/). One
 * transaction; only what changed goes into the change log, so importing the
 * same files again sends nothing to the clients. Rows gone from the files are
 * deleted (procedures, holidays) and announced as {"deleted": true}; units
 * are never deleted (dossiers and users refer to them). */
#include "server/server.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "core/datetime.h"
#include "core/procparse.h"
#include "core/text.h"

#ifndef MOTCUA_DATADIR
#define MOTCUA_DATADIR "data"
#endif

/* Set when a data file is missing or malformed: exit status 2, not 1. */
static bool input_fault;

struct import_stats {
	long units, units_changed;
	long procedures, procedures_changed, procedures_deleted;
	long holidays, holidays_changed, holidays_deleted;
	long warnings;
};

static void warn(struct import_stats *st, const char *file, int line, const char *msg)
{
	st->warnings++;
	fprintf(stderr, "%s:%d: %s\n", file, line, msg);
}

/* ---- CSV ------------------------------------------------------------------- */

/* Splits a CSV line in place (double quotes, "" inside them); returns the
 * number of fields, at most max (more: max + 1). */
static int csv_split(char *line, char **f, int max)
{
	int n = 0;
	char *p = line;
	for (;;) {
		if (n == max)
			return max + 1;
		if (*p == '"') {
			char *w = ++p;
			f[n++] = p;
			while (*p && !(*p == '"' && p[1] != '"')) {
				if (*p == '"')
					p++;
				*w++ = *p++;
			}
			if (*p == '"')
				p++;
			char next = *p;
			*w = '\0';
			if (next != ',')
				return n;
			p++;
			continue;
		}
		f[n++] = p;
		char *c = strchr(p, ',');
		if (!c)
			return n;
		*c = '\0';
		p = c + 1;
	}
}

static FILE *open_data(const char *dir, const char *name, const char *header, struct strbuf *err)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *fp = fopen(path, "r");
	if (!fp) {
		strbuf_addf(err, "không mở được tệp dữ liệu %s: %s", path, strerror(errno));
		input_fault = true;
		free(path);
		return NULL;
	}
	free(path);
	char *line = NULL;
	size_t cap = 0;
	ssize_t n = getline(&line, &cap, fp);
	const char *h = n > 0 ? line : "";
	if (n > 0)
		line[strcspn(line, "\r\n")] = '\0';
	if (!strncmp(h, "\xEF\xBB\xBF", 3))
		h += 3;
	if (strcmp(h, header)) {
		strbuf_addf(err, "%s:1: dòng tiêu đề phải là \"%s\"", name, header);
		input_fault = true;
		fclose(fp);
		fp = NULL;
	}
	free(line);
	return fp;
}

static const char unit_upsert[] =
	"WITH up AS (INSERT INTO units(code, name, ident, kind, parent_code)"
	" VALUES ($1, $2, $3, $4, $5) ON CONFLICT (code) DO UPDATE SET name = excluded.name,"
	" ident = excluded.ident, kind = excluded.kind, parent_code = excluded.parent_code"
	" WHERE (units.name, units.ident, units.kind, units.parent_code) IS DISTINCT FROM"
	" (excluded.name, excluded.ident, excluded.kind, excluded.parent_code)"
	" RETURNING code, name, ident, kind, parent_code)"
	" INSERT INTO changes(entity, entity_id, rev, unit_code, data) SELECT 'unit', code, 1, NULL,"
	" jsonb_build_object('code', code, 'name', name, 'ident', ident, 'kind', kind,"
	" 'parent_code', parent_code) FROM up";

static int upsert(PGconn *c, const char *sql, int n, const char *const *p, long *changed,
		  struct strbuf *err)
{
	PGresult *res = db_query(c, sql, n, p);
	int rc = db_ok(res) ? 0 : -1;
	if (rc)
		strbuf_addf(err, "lỗi cơ sở dữ liệu: %s", PQresultErrorMessage(res));
	else
		*changed += atol(PQcmdTuples(res));
	PQclear(res);
	return rc;
}

static int import_units(PGconn *c, const char *dir, struct import_stats *st, struct strbuf *err)
{
	static const char *const files[] = { "provinces-2025.csv", "communes-2025.csv" };
	static const char *const headers[] = { "code,name", "code,name,kind,province_code,province_name" };
	for (int k = 0; k < 2; k++) {
		FILE *fp = open_data(dir, files[k], headers[k], err);
		if (!fp)
			return -1;
		char *line = NULL, *f[6];
		size_t cap = 0;
		int lineno = 1, rc = 0;
		int want = k == 0 ? 2 : 5;
		while (getline(&line, &cap, fp) >= 0) {
			lineno++;
			line[strcspn(line, "\r\n")] = '\0';
			if (!*line)
				continue;
			int n = csv_split(line, f, 5);
			bool ok = n == want && mc_text_valid(line);
			for (int i = 0; ok && i < n; i++)
				ok = *f[i] && mc_text_valid(f[i]);
			if (!ok) {
				warn(st, files[k], lineno, k == 0 ? "cần 2 cột code,name không rỗng"
					 : "cần 5 cột code,name,kind,province_code,province_name không rỗng");
				continue;
			}
			char *name = mc_text_nfc(f[1]);
			char *ident = k == 0 ? xasprintf("H%s", f[0]) : xasprintf("H%s.%s", f[3], f[0]);
			const char *p[] = { f[0], name, ident, k == 0 ? "province" : "commune",
					    k == 0 ? NULL : f[3] };
			rc = upsert(c, unit_upsert, 5, p, &st->units_changed, err);
			free(name);
			free(ident);
			if (rc) {
				strbuf_addf(err, " (%s:%d)", files[k], lineno);
				break;
			}
			st->units++;
		}
		free(line);
		fclose(fp);
		if (rc)
			return -1;
	}
	return 0;
}

/* ---- procedures ----------------------------------------------------------------- */

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

/* The procedure as clients receive it (the columns of the client's store). */
static json_t *procedure_json(const struct mc_procedure *p)
{
	json_t *o = json_object();
	json_object_set_new(o, "code", json_string(p->code));
	json_object_set_new(o, "name", json_string(p->name));
	json_object_set_new(o, "field", str_or_null(p->field));
	json_object_set_new(o, "level", str_or_null(p->level));
	json_object_set_new(o, "kind", str_or_null(p->kind));
	json_object_set_new(o, "decision", str_or_null(p->decision));
	json_object_set_new(o, "applicants", str_or_null(p->applicants));
	json_object_set_new(o, "agency", str_or_null(p->agency));
	json_object_set_new(o, "steps", str_or_null(p->steps));
	json_object_set_new(o, "conditions", str_or_null(p->conditions));
	json_object_set_new(o, "legal_basis", str_or_null(p->legal_text));
	json_object_set_new(o, "result", str_or_null(p->result));
	json_object_set_new(o, "url", str_or_null(p->url));
	json_object_set_new(o, "time_text", str_or_null(p->time_text));
	json_object_set_new(o, "time_value", p->time_unit ? json_real(p->time_value) : json_null());
	json_object_set_new(o, "time_unit", str_or_null(p->time_unit));
	json_object_set_new(o, "fee_text", str_or_null(p->fee_text));
	json_object_set_new(o, "fee_amount", p->has_fee_amount ? json_integer(p->fee_amount)
								 : json_null());
	json_object_set_new(o, "needs_review", json_boolean(p->needs_review));
	json_object_set_new(o, "review_notes", str_or_null(p->notes.len ? p->notes.buf : NULL));
	json_t *chans = json_array();
	for (size_t i = 0; i < p->nchannels; i++) {
		const struct mc_channel *ch = &p->channels[i];
		json_t *x = json_object();
		json_object_set_new(x, "seq", json_integer((json_int_t)i + 1));
		json_object_set_new(x, "channel", str_or_null(ch->channel));
		json_object_set_new(x, "time_text", str_or_null(ch->time_text));
		json_object_set_new(x, "fee_text", str_or_null(ch->fee_text));
		json_object_set_new(x, "description", str_or_null(ch->description));
		json_array_append_new(chans, x);
	}
	json_object_set_new(o, "channels", chans);
	json_t *comps = json_array();
	for (size_t i = 0; i < p->ncomponents; i++) {
		const struct mc_component *cm = &p->components[i];
		json_t *x = json_object();
		json_object_set_new(x, "seq", json_integer((json_int_t)i + 1));
		json_object_set_new(x, "grp", str_or_null(cm->grp));
		json_object_set_new(x, "name", json_string(cm->name));
		json_object_set_new(x, "form", str_or_null(cm->form));
		json_object_set_new(x, "originals", json_integer(cm->originals));
		json_object_set_new(x, "copies", json_integer(cm->copies));
		json_object_set_new(x, "kind", json_string(cm->kind == MC_COMPONENT_PRESENT ? "present"
											: "submit"));
		json_object_set_new(x, "mandatory", json_boolean(cm->mandatory));
		json_object_set_new(x, "needs_review", json_boolean(cm->needs_review));
		json_object_set_new(x, "raw", str_or_null(cm->raw));
		json_array_append_new(comps, x);
	}
	json_object_set_new(o, "components", comps);
	return o;
}

static const char proc_upsert[] =
	"WITH up AS (INSERT INTO procedures(code, name, data) VALUES ($1, $2, $3::jsonb)"
	" ON CONFLICT (code) DO UPDATE SET name = excluded.name, data = excluded.data"
	" WHERE procedures.data IS DISTINCT FROM excluded.data RETURNING code, data)"
	" INSERT INTO changes(entity, entity_id, rev, unit_code, data)"
	" SELECT 'procedure', code, 1, NULL, data FROM up";

static int import_procedures(PGconn *c, const char *dir, struct import_stats *st,
			     struct strbuf *err)
{
	static const char name[] = "procedures.jsonl";
	char *path = xasprintf("%s/%s", dir, name);
	FILE *fp = fopen(path, "r");
	if (!fp) {
		strbuf_addf(err, "không mở được tệp dữ liệu %s: %s", path, strerror(errno));
		input_fault = true;
		free(path);
		return -1;
	}
	free(path);
	if (db_exec(c, "CREATE TEMP TABLE seen_procedures(code text PRIMARY KEY) ON COMMIT DROP", err)) {
		fclose(fp);
		return -1;
	}
	char *line = NULL;
	size_t cap = 0;
	int lineno = 0, rc = 0;
	while (getline(&line, &cap, fp) >= 0) {
		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		if (!*line)
			continue;
		if (!mc_text_valid(line)) {
			warn(st, name, lineno, "dòng không phải UTF-8 hợp lệ");
			continue;
		}
		char *nfc = mc_text_nfc(line);
		struct mc_procedure p;
		struct strbuf perr = STRBUF_INIT;
		mc_procedure_init(&p);
		int pr = mc_procedure_parse(nfc, &p, &perr);
		free(nfc);
		if (pr) {
			warn(st, name, lineno, perr.buf);
			strbuf_release(&perr);
			continue;
		}
		strbuf_release(&perr);
		const char *sp[] = { p.code };
		PGresult *res = db_query(c, "INSERT INTO seen_procedures VALUES ($1) ON CONFLICT DO NOTHING"
					    " RETURNING code", 1, sp);
		bool ok = db_ok(res), fresh = ok && PQntuples(res) == 1;
		PQclear(res);
		if (ok && !fresh) {
			char *msg = xasprintf("mã thủ tục %s bị trùng; dòng này bị bỏ qua", p.code);
			warn(st, name, lineno, msg);
			free(msg);
			mc_procedure_release(&p);
			continue;
		}
		json_t *j = procedure_json(&p);
		char *text = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
		json_decref(j);
		const char *up[] = { p.code, p.name, text };
		rc = ok ? upsert(c, proc_upsert, 3, up, &st->procedures_changed, err) : -1;
		free(text);
		mc_procedure_release(&p);
		if (rc) {
			strbuf_addf(err, " (%s:%d)", name, lineno);
			break;
		}
		st->procedures++;
	}
	free(line);
	fclose(fp);
	if (rc)
		return -1;
	PGresult *res = PQexec(c, "WITH gone AS (DELETE FROM procedures WHERE code NOT IN"
			       " (SELECT code FROM seen_procedures) RETURNING code)"
			       " INSERT INTO changes(entity, entity_id, rev, unit_code, data)"
			       " SELECT 'procedure', code, 1, NULL, jsonb_build_object('code', code,"
			       " 'deleted', true) FROM gone");
	rc = db_ok(res) ? 0 : -1;
	if (rc)
		strbuf_addf(err, "lỗi cơ sở dữ liệu: %s", PQresultErrorMessage(res));
	else
		st->procedures_deleted = atol(PQcmdTuples(res));
	PQclear(res);
	return rc;
}

/* ---- holidays ------------------------------------------------------------------------- */

static const char holiday_upsert[] =
	"WITH up AS (INSERT INTO holidays(day, kind, name) VALUES ($1::date, $2, $3)"
	" ON CONFLICT (day) DO UPDATE SET kind = excluded.kind, name = excluded.name"
	" WHERE (holidays.kind, holidays.name) IS DISTINCT FROM (excluded.kind, excluded.name)"
	" RETURNING day, kind, name)"
	" INSERT INTO changes(entity, entity_id, rev, unit_code, data)"
	" SELECT 'holiday', day::text, 1, NULL, jsonb_build_object('date', day::text, 'kind', kind,"
	" 'name', name) FROM up";

static int import_holidays(PGconn *c, const char *dir, struct import_stats *st,
			   struct strbuf *err, bool *bad_input)
{
	char *path = xasprintf("%s/holidays.txt", dir);
	FILE *fp = fopen(path, "r");
	if (!fp) {
		strbuf_addf(err, "không mở được tệp dữ liệu %s: %s", path, strerror(errno));
		input_fault = true;
		free(path);
		return -1;
	}
	struct strbuf text = STRBUF_INIT;
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		strbuf_add(&text, buf, n);
	fclose(fp);
	strbuf_addch(&text, '\0');
	struct mc_calendar cal;
	mc_calendar_init(&cal);
	struct strbuf errs = STRBUF_INIT;
	int rc = 0;
	if (mc_calendar_parse(&cal, text.buf, "holidays.txt", &errs)) {
		/* all or nothing: a calendar with a wrong line would give wrong appointments */
		strbuf_addf(err, "tệp ngày nghỉ %s có dòng sai:\n%s", path, errs.buf);
		*bad_input = true;
		rc = -1;
	}
	strbuf_release(&errs);
	strbuf_release(&text);
	free(path);
	if (!rc)
		rc = db_exec(c, "CREATE TEMP TABLE seen_days(day date PRIMARY KEY) ON COMMIT DROP", err);
	for (size_t i = 0; !rc && i < cal.ndays; i++) {
		const struct mc_day_override *d = &cal.days[i];
		int y, m, dd;
		mc_civil_from_days(d->day, &y, &m, &dd);
		char day[16];
		mc_format_date(day, sizeof(day), y, m, dd);
		const char *p[] = { day, d->kind == MC_DAY_OFF ? "off" : "work", d->name };
		rc = upsert(c, holiday_upsert, 3, p, &st->holidays_changed, err) ||
		     db_execp(c, "INSERT INTO seen_days VALUES ($1::date)", 1, p, err);
		st->holidays++;
	}
	mc_calendar_release(&cal);
	if (rc)
		return -1;
	PGresult *res = PQexec(c, "WITH gone AS (DELETE FROM holidays WHERE day NOT IN"
			       " (SELECT day FROM seen_days) RETURNING day)"
			       " INSERT INTO changes(entity, entity_id, rev, unit_code, data)"
			       " SELECT 'holiday', day::text, 1, NULL, jsonb_build_object('date', day::text,"
			       " 'deleted', true) FROM gone");
	rc = db_ok(res) ? 0 : -1;
	if (rc)
		strbuf_addf(err, "lỗi cơ sở dữ liệu: %s", PQresultErrorMessage(res));
	else
		st->holidays_deleted = atol(PQcmdTuples(res));
	PQclear(res);
	return rc;
}

int cmd_import(int argc, char **argv)
{
	static const struct option opts[] = { { "pg", required_argument, NULL, 'p' },
					      { "data", required_argument, NULL, 'd' },
					      { NULL, 0, NULL, 0 } };
	const char *pg = config_get()->pg, *dir = config_get()->data; /* or $MOTCUA_DATA */
	if (!dir || !*dir)
		dir = MOTCUA_DATADIR;
	int o;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (o == 'p')
			pg = optarg;
		else if (o == 'd')
			dir = optarg;
		else
			goto usage;
	}
	if (optind != argc || !pg)
		goto usage;
	struct strbuf err = STRBUF_INIT;
	PGconn *c = db_connect(pg, &err);
	if (!c) {
		fprintf(stderr, SERVER_NAME ": %s\n", err.buf);
		strbuf_release(&err);
		return 1;
	}
	struct import_stats st = { 0 };
	bool bad_input = false;
	int rc = db_exec(c, "BEGIN", &err) || db_lock_changes(c, &err) ||
		 import_units(c, dir, &st, &err) || import_procedures(c, dir, &st, &err) ||
		 import_holidays(c, dir, &st, &err, &bad_input) || db_exec(c, "COMMIT", &err);
	if (rc) {
		db_exec(c, "ROLLBACK", NULL);
		fprintf(stderr, SERVER_NAME ": nhập dữ liệu thất bại, không thay đổi gì: %s\n", err.buf);
	} else {
		printf("{\"units\":%ld,\"units_changed\":%ld,\"procedures\":%ld,"
		       "\"procedures_changed\":%ld,\"procedures_deleted\":%ld,\"holidays\":%ld,"
		       "\"holidays_changed\":%ld,\"holidays_deleted\":%ld,\"warnings\":%ld}\n",
		       st.units, st.units_changed, st.procedures, st.procedures_changed,
		       st.procedures_deleted, st.holidays, st.holidays_changed, st.holidays_deleted,
		       st.warnings);
	}
	strbuf_release(&err);
	PQfinish(c);
	return rc ? (bad_input || input_fault ? 2 : 1) : 0;
usage:
	fprintf(stderr, SERVER_NAME ": cách dùng: motcua-server import --pg CONNINFO [--data THƯ_MỤC]\n");
	return 2;
}
