/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "client/store/import.h"
#include "client/store/auth.h"
#include "core/dcode.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "core/csv.h"
#include "core/procparse.h"
#include "core/text.h"

static const char *const data_files[] = { IMPORT_PROVINCES, IMPORT_COMMUNES, IMPORT_MERGES,
					  IMPORT_PROCEDURES };

int import_check_files(const char *dir, struct strbuf *err)
{
	for (size_t i = 0; i < sizeof(data_files) / sizeof(data_files[0]); i++) {
		char *path = xasprintf("%s/%s", dir, data_files[i]);
		int ok = access(path, R_OK) == 0;
		if (!ok)
			strbuf_addf(err, "không đọc được tệp dữ liệu %s: %s (đặt biến MOTCUA_DATA"
				    " trỏ tới thư mục dữ liệu)", path, strerror(errno));
		free(path);
		if (!ok)
			return -1;
	}
	return 0;
}

/* ---- CSV: comma-separated, optional double quotes, first line a header ---- */

#define CSV_MAX 8

struct csv {
	FILE *fp;
	const char *name;
	int lineno;
	char *line;
	size_t cap;
};

static int csv_open(struct csv *c, const char *dir, const char *name, const char *header,
		    struct strbuf *err)
{
	char *path = xasprintf("%s/%s", dir, name);
	c->fp = fopen(path, "r");
	c->name = name;
	c->lineno = 0;
	c->line = NULL;
	c->cap = 0;
	if (!c->fp) {
		strbuf_addf(err, "không mở được tệp dữ liệu %s: %s", path, strerror(errno));
		free(path);
		return -1;
	}
	free(path);
	ssize_t n = getline(&c->line, &c->cap, c->fp);
	c->lineno = 1;
	if (n > 0)
		c->line[strcspn(c->line, "\r\n")] = '\0';
	/* a UTF-8 byte order mark is tolerated */
	const char *h = n > 0 ? c->line : "";
	if (!strncmp(h, "\xEF\xBB\xBF", 3))
		h += 3;
	if (strcmp(h, header)) {
		strbuf_addf(err, "%s:1: dòng tiêu đề phải là \"%s\"", name, header);
		fclose(c->fp);
		free(c->line);
		return -1;
	}
	return 0;
}

/* Next data line split into fields; returns the count, 0 at the end. Blank
 * lines are skipped. */
static int csv_next(struct csv *c, char **f)
{
	for (;;) {
		ssize_t n = getline(&c->line, &c->cap, c->fp);
		if (n < 0)
			return 0;
		c->lineno++;
		c->line[strcspn(c->line, "\r\n")] = '\0';
		if (!*c->line)
			continue;
		return mc_csv_split(c->line, f, CSV_MAX);
	}
}

static void csv_close(struct csv *c)
{
	fclose(c->fp);
	free(c->line);
}

static void warn(struct strbuf *w, struct import_counts *counts, const char *file, int line,
		 const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void warn(struct strbuf *w, struct import_counts *counts, const char *file, int line,
		 const char *fmt, ...)
{
	counts->errors++;
	if (!w)
		return;
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	strbuf_addf(w, "%s:%d: %s\n", file, line, msg);
	free(msg);
}

/* Steps an insert; 1 done, 0 refused by a constraint (duplicate), -1 store error. */
static int step_insert(struct store *st, sqlite3_stmt *q, struct strbuf *err)
{
	int rc = sqlite3_step(q);
	sqlite3_reset(q);
	if (q) /* NULL: a statement that did not prepare (store_fault) */
		sqlite3_clear_bindings(q);
	if (rc == SQLITE_DONE)
		return 1;
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return 0;
	strbuf_addf(err, "%s (%s)", store_errmsg_vn(rc), sqlite3_errmsg(st->db));
	return -1;
}

static bool all_set(char **f, int n)
{
	for (int i = 0; i < n; i++)
		if (!*f[i])
			return false;
	return true;
}

static bool valid_utf8_fields(char **f, int n)
{
	for (int i = 0; i < n; i++)
		if (!mc_text_valid(f[i]))
			return false;
	return true;
}

/* ---- the tables ---------------------------------------------------------- */

static int import_provinces(struct store *st, const char *dir, struct import_counts *counts,
			    struct strbuf *w, struct strbuf *err)
{
	struct csv c;
	if (csv_open(&c, dir, IMPORT_PROVINCES, "code,name", err))
		return -1;
	sqlite3_stmt *q = store_prepare(st, "INSERT INTO provinces(code, name) VALUES (?, ?)");
	char *f[CSV_MAX];
	int n, rc = 0;
	while ((n = csv_next(&c, f))) {
		if (n != 2 || !all_set(f, 2) || !valid_utf8_fields(f, 2)) {
			warn(w, counts, c.name, c.lineno, "cần 2 cột code,name không rỗng (UTF-8)");
			continue;
		}
		char *name = mc_text_nfc(f[1]);
		store_bind_text(q, 1, f[0]);
		store_bind_text(q, 2, name);
		free(name);
		int r = step_insert(st, q, err);
		if (r < 0) {
			rc = -1;
			break;
		}
		if (r == 0)
			warn(w, counts, c.name, c.lineno, "mã tỉnh %s bị trùng", f[0]);
		else
			counts->provinces++;
	}
	sqlite3_finalize(q);
	csv_close(&c);
	return rc;
}

static int import_communes(struct store *st, const char *dir, struct import_counts *counts,
			   struct strbuf *w, struct strbuf *err)
{
	struct csv c;
	if (csv_open(&c, dir, IMPORT_COMMUNES, "code,name,kind,province_code,province_name", err))
		return -1;
	sqlite3_stmt *q = store_prepare(st, "INSERT INTO communes(code, name, kind, province_code,"
					    " province_name, fold) VALUES (?, ?, ?, ?, ?, ?)");
	char *f[CSV_MAX];
	int n, rc = 0;
	while ((n = csv_next(&c, f))) {
		if (n != 5 || !all_set(f, 5) || !valid_utf8_fields(f, 5)) {
			warn(w, counts, c.name, c.lineno,
			     "cần 5 cột code,name,kind,province_code,province_name không rỗng (UTF-8)");
			continue;
		}
		char *name = mc_text_nfc(f[1]), *kind = mc_text_nfc(f[2]), *prov = mc_text_nfc(f[4]);
		char *both = xasprintf("%s %s", name, prov);
		char *fold = mc_text_fold(both);
		store_bind_text(q, 1, f[0]);
		store_bind_text(q, 2, name);
		store_bind_text(q, 3, kind);
		store_bind_text(q, 4, f[3]);
		store_bind_text(q, 5, prov);
		store_bind_text(q, 6, fold);
		free(name);
		free(kind);
		free(prov);
		free(both);
		free(fold);
		int r = step_insert(st, q, err);
		if (r < 0) {
			rc = -1;
			break;
		}
		if (r == 0)
			warn(w, counts, c.name, c.lineno, "mã xã %s bị trùng", f[0]);
		else
			counts->communes++;
	}
	sqlite3_finalize(q);
	csv_close(&c);
	return rc;
}

static int import_merges(struct store *st, const char *dir, struct import_counts *counts,
			 struct strbuf *w, struct strbuf *err)
{
	struct csv c;
	if (csv_open(&c, dir, IMPORT_MERGES, "code,old_code,old_name,merge", err))
		return -1;
	sqlite3_stmt *q = store_prepare(st, "INSERT INTO commune_merges(code, old_code, old_name,"
					    " merge, fold) VALUES (?, ?, ?, ?, ?)");
	sqlite3_stmt *known = store_prepare(st, "SELECT 1 FROM communes WHERE code = ?");
	char *f[CSV_MAX];
	int n, rc = 0;
	while ((n = csv_next(&c, f))) {
		if (n != 4 || !all_set(f, 4) || !valid_utf8_fields(f, 4)) {
			warn(w, counts, c.name, c.lineno, "cần 4 cột code,old_code,old_name,merge không rỗng");
			continue;
		}
		sqlite3_bind_text(known, 1, f[0], -1, SQLITE_TRANSIENT);
		int found = sqlite3_step(known) == SQLITE_ROW;
		sqlite3_reset(known);
		if (!found) {
			warn(w, counts, c.name, c.lineno, "mã xã mới %s không có trong danh sách xã", f[0]);
			continue;
		}
		char *old = mc_text_nfc(f[2]);
		char *fold = mc_text_fold(old);
		store_bind_text(q, 1, f[0]);
		store_bind_text(q, 2, f[1]);
		store_bind_text(q, 3, old);
		store_bind_text(q, 4, f[3]);
		store_bind_text(q, 5, fold);
		free(old);
		free(fold);
		int r = step_insert(st, q, err);
		if (r < 0) {
			rc = -1;
			break;
		}
		if (r == 0)
			warn(w, counts, c.name, c.lineno, "cặp mã %s/%s bị trùng", f[0], f[1]);
		else
			counts->merges++;
	}
	sqlite3_finalize(known);
	sqlite3_finalize(q);
	csv_close(&c);
	return rc;
}

struct proc_stmts {
	sqlite3_stmt *proc, *chan, *comp;
};

static int insert_procedure(struct store *st, struct proc_stmts *s, struct mc_procedure *p,
			    struct import_counts *counts, struct strbuf *err)
{
	sqlite3_stmt *q = s->proc;
	char *both = xasprintf("%s %s", p->code, p->name);
	char *fold = mc_text_fold(both);
	free(both);
	int i = 1;
	store_bind_text(q, i++, p->code);
	store_bind_text(q, i++, p->name);
	store_bind_text(q, i++, p->field);
	store_bind_text(q, i++, p->level);
	store_bind_text(q, i++, p->kind);
	store_bind_text(q, i++, p->decision);
	store_bind_text(q, i++, p->applicants);
	store_bind_text(q, i++, p->agency);
	store_bind_text(q, i++, p->steps);
	store_bind_text(q, i++, p->conditions);
	store_bind_text(q, i++, p->legal_text);
	store_bind_text(q, i++, p->result);
	store_bind_text(q, i++, p->url);
	store_bind_text(q, i++, p->time_text);
	if (p->time_unit)
		sqlite3_bind_double(q, i++, p->time_value);
	else
		sqlite3_bind_null(q, i++);
	store_bind_text(q, i++, p->time_unit);
	store_bind_text(q, i++, p->fee_text);
	if (p->has_fee_amount)
		sqlite3_bind_int64(q, i++, p->fee_amount);
	else
		sqlite3_bind_null(q, i++);
	sqlite3_bind_int(q, i++, p->needs_review);
	store_bind_text(q, i++, p->notes.len ? p->notes.buf : NULL);
	store_bind_text(q, i++, fold);
	free(fold);
	int r = step_insert(st, q, err);
	if (r <= 0)
		return r;

	for (size_t k = 0; k < p->nchannels; k++) {
		struct mc_channel *c = &p->channels[k];
		store_bind_text(s->chan, 1, p->code);
		sqlite3_bind_int(s->chan, 2, (int)k + 1);
		store_bind_text(s->chan, 3, c->channel);
		store_bind_text(s->chan, 4, c->time_text);
		store_bind_text(s->chan, 5, c->fee_text);
		store_bind_text(s->chan, 6, c->description);
		if (step_insert(st, s->chan, err) <= 0)
			return -1;
		counts->channels++;
	}
	for (size_t k = 0; k < p->ncomponents; k++) {
		struct mc_component *c = &p->components[k];
		store_bind_text(s->comp, 1, p->code);
		sqlite3_bind_int(s->comp, 2, (int)k + 1);
		store_bind_text(s->comp, 3, c->grp);
		store_bind_text(s->comp, 4, c->name);
		store_bind_text(s->comp, 5, c->form);
		sqlite3_bind_int(s->comp, 6, c->originals);
		sqlite3_bind_int(s->comp, 7, c->copies);
		store_bind_text(s->comp, 8, c->kind == MC_COMPONENT_PRESENT ? "present" : "submit");
		sqlite3_bind_int(s->comp, 9, c->mandatory);
		sqlite3_bind_int(s->comp, 10, c->needs_review);
		store_bind_text(s->comp, 11, c->raw);
		if (step_insert(st, s->comp, err) <= 0)
			return -1;
		counts->components++;
		counts->components_review += c->needs_review;
	}
	counts->procedures++;
	counts->needs_review += p->needs_review;
	return 1;
}

static int import_procedures(struct store *st, const char *dir, struct import_counts *counts,
			     struct strbuf *w, struct strbuf *err)
{
	char *path = xasprintf("%s/%s", dir, IMPORT_PROCEDURES);
	FILE *fp = fopen(path, "r");
	if (!fp) {
		strbuf_addf(err, "không mở được tệp dữ liệu %s: %s", path, strerror(errno));
		free(path);
		return -1;
	}
	free(path);
	struct proc_stmts s = {
		store_prepare(st, "INSERT INTO procedures(code, name, field, level, kind, decision,"
			      " applicants, agency, steps, conditions, legal_basis, result, url,"
			      " time_text, time_value, time_unit, fee_text, fee_amount, needs_review,"
			      " review_notes, fold) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"),
		store_prepare(st, "INSERT INTO procedure_channels(procedure_code, seq, channel,"
			      " time_text, fee_text, description) VALUES (?,?,?,?,?,?)"),
		store_prepare(st, "INSERT INTO components(procedure_code, seq, grp, name, form,"
			      " originals, copies, kind, mandatory, needs_review, raw)"
			      " VALUES (?,?,?,?,?,?,?,?,?,?,?)"),
	};
	char *line = NULL;
	size_t cap = 0;
	int lineno = 0, rc = 0;
	while (getline(&line, &cap, fp) >= 0) {
		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		if (!*line)
			continue;
		if (!mc_text_valid(line)) {
			warn(w, counts, IMPORT_PROCEDURES, lineno, "dòng không phải UTF-8 hợp lệ");
			continue;
		}
		char *nfc = mc_text_nfc(line);
		struct mc_procedure p;
		struct strbuf perr = STRBUF_INIT;
		mc_procedure_init(&p);
		int pr = mc_procedure_parse(nfc, &p, &perr);
		free(nfc);
		if (pr) {
			warn(w, counts, IMPORT_PROCEDURES, lineno, "%s", perr.buf);
			strbuf_release(&perr);
			continue;
		}
		strbuf_release(&perr);
		int r = insert_procedure(st, &s, &p, counts, err);
		if (r == 0)
			warn(w, counts, IMPORT_PROCEDURES, lineno, "mã thủ tục %s bị trùng", p.code);
		mc_procedure_release(&p);
		if (r < 0) {
			rc = -1;
			break;
		}
	}
	free(line);
	fclose(fp);
	sqlite3_finalize(s.proc);
	sqlite3_finalize(s.chan);
	sqlite3_finalize(s.comp);
	return rc;
}

/* The size of dir/name in bytes (0 when unreadable): the progress's weight. */
static long long file_bytes(const char *dir, const char *name)
{
	char *path = xasprintf("%s/%s", dir, name);
	struct stat sb;
	long long n = stat(path, &sb) ? 0 : (long long)sb.st_size;
	free(path);
	return n;
}

int import_reference_progress(struct store *st, const char *dir, struct import_counts *counts,
			      struct strbuf *warnings, struct progress *progress, struct strbuf *err)
{
	memset(counts, 0, sizeof(*counts));
	if (import_check_files(dir, err))
		return -1;
	/* Reference tables only: dossiers, events and the outbox stay. */
	if (store_exec(st, "DELETE FROM components; DELETE FROM procedure_channels;"
			   " DELETE FROM procedures; DELETE FROM commune_merges;"
			   " DELETE FROM communes; DELETE FROM provinces;", err))
		return -1;
	static const char *const files[] = { IMPORT_PROVINCES, IMPORT_COMMUNES, IMPORT_MERGES,
					     IMPORT_PROCEDURES };
	int (*const steps[])(struct store *, const char *, struct import_counts *, struct strbuf *,
			     struct strbuf *) = { import_provinces, import_communes, import_merges,
						  import_procedures };
	long long total = 0;
	for (size_t i = 0; progress && i < 4; i++)
		total += file_bytes(dir, files[i]);
	if (progress)
		progress_total(progress, total);
	for (size_t i = 0; i < 4; i++) {
		if (steps[i](st, dir, counts, warnings, err))
			return -1;
		if (progress)
			progress_add(progress, file_bytes(dir, files[i]));
	}
	return 0;
}

int import_reference_tx(struct store *st, const char *dir, struct import_counts *counts,
			struct strbuf *warnings, struct strbuf *err)
{
	return import_reference_progress(st, dir, counts, warnings, NULL, err);
}

int import_reference(struct store *st, const char *dir, struct import_counts *counts,
		     struct strbuf *warnings, struct strbuf *err)
{
	if (store_begin(st, err))
		return -1;
	if (import_reference_tx(st, dir, counts, warnings, err)) {
		store_rollback(st);
		return -1;
	}
	return store_commit(st, err);
}

/* ---- demo ---------------------------------------------------------------- */

int import_set_unit(struct store *st, const char *code, const char *ident, struct strbuf *err)
{
	sqlite3_stmt *q = store_prepare(st, "SELECT name, province_code, province_name FROM communes"
					    " WHERE code = ?");
	sqlite3_bind_text(q, 1, code, -1, SQLITE_STATIC);
	if (sqlite3_step(q) != SQLITE_ROW) {
		sqlite3_finalize(q);
		strbuf_addf(err, "không có xã, phường mã %s trong danh mục đơn vị hành chính", code);
		return -1;
	}
	char *name = xstrdup((const char *)sqlite3_column_text(q, 0));
	char *parent = xstrdup((const char *)sqlite3_column_text(q, 1));
	char *address = xasprintf("%s, %s", name, (const char *)sqlite3_column_text(q, 2));
	sqlite3_finalize(q);
	/* Default identifier: Decision 20/2020 form, level 1 (the province) left. */
	char *own_ident = ident ? xstrdup(ident) : xasprintf("H%s.%s", parent, code);
	int rc = -1;
	if (!mc_unit_ident_valid(own_ident)) {
		strbuf_addf(err, "mã định danh đơn vị «%s» không hợp lệ: tối đa 35 ký tự A-Z, 0-9"
			    " theo nhóm cách nhau bởi dấu chấm", own_ident);
		goto out;
	}
	q = store_prepare(st, "INSERT INTO units(code, name, ident, kind, parent_code, address)"
			      " VALUES (?, ?, ?, 'commune', ?, ?) ON CONFLICT(code) DO UPDATE SET"
			      " name = excluded.name, ident = excluded.ident, kind = excluded.kind,"
			      " parent_code = excluded.parent_code, address = excluded.address");
	store_bind_text(q, 1, code);
	store_bind_text(q, 2, name);
	store_bind_text(q, 3, own_ident);
	store_bind_text(q, 4, parent);
	store_bind_text(q, 5, address);
	rc = step_insert(st, q, err) == 1 ? 0 : -1;
	sqlite3_finalize(q);
	if (!rc && (store_set_setting(st, "unit_code", code, err) ||
		    store_set_setting(st, "unit_ident", own_ident, err)))
		rc = -1;
	if (rc && !err->len)
		strbuf_addstr(err, "không ghi được đơn vị tiếp nhận");
out:
	free(own_ident);
	free(name);
	free(parent);
	free(address);
	return rc;
}

static int demo_unit(struct store *st, struct strbuf *err)
{
	return import_set_unit(st, DEMO_UNIT_CODE, DEMO_UNIT_IDENT, err);
}

static int demo_settings(struct store *st, struct strbuf *err)
{
	static const char *const kv[][2] = {
		{ "office_hours", DEMO_OFFICE_HOURS },
		{ "cutoff", DEMO_CUTOFF },
	};
	for (size_t i = 0; i < sizeof(kv) / sizeof(kv[0]); i++)
		if (store_set_setting(st, kv[i][0], kv[i][1], err))
			return -1;
	return 0;
}

static int demo_clerk(struct store *st, struct strbuf *err)
{
	if (sodium_init() < 0) {
		strbuf_addstr(err, "không khởi tạo được thư viện mật mã (libsodium)");
		return -1;
	}
	char hash[crypto_pwhash_STRBYTES];
	if (auth_hash_password(DEMO_PASSWORD, hash, err))
		return -1;
	sqlite3_stmt *q = store_prepare(st, "INSERT INTO clerks(username, full_name, unit_code, role,"
					    " pw_hash, disabled) VALUES (?, ?, ?, 'clerk', ?, 0)"
					    " ON CONFLICT(username) DO UPDATE SET full_name = excluded.full_name,"
					    " unit_code = excluded.unit_code, role = excluded.role,"
					    " pw_hash = excluded.pw_hash, disabled = 0");
	store_bind_text(q, 1, DEMO_CLERK);
	store_bind_text(q, 2, DEMO_CLERK_NAME);
	store_bind_text(q, 3, DEMO_UNIT_CODE);
	store_bind_text(q, 4, hash);
	int rc = step_insert(st, q, err) == 1 ? 0 : -1;
	sqlite3_finalize(q);
	if (rc && !err->len)
		strbuf_addstr(err, "không ghi được cán bộ mẫu");
	return rc;
}

int demo_seed(struct store *st, struct strbuf *err)
{
	if (demo_unit(st, err) || demo_settings(st, err) || demo_clerk(st, err))
		return -1;
	return 0;
}
