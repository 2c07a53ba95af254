/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "sync/apply.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client/store/auth.h"
#include "client/store/docstore.h"
#include "client/store/fees.h"
#include "client/store/parties.h"
#include "client/store/outbox.h"
#include "core/datetime.h"
#include "core/dossier_doc.h"
#include "core/idnum.h"
#include "core/text.h"

#define NOTES_MAX 20 /* lines kept in apply_stats.notes */

void apply_stats_init(struct apply_stats *s)
{
	memset(s, 0, sizeof(*s));
	strbuf_init(&s->notes);
}

void apply_stats_release(struct apply_stats *s)
{
	strbuf_release(&s->notes);
}

static void note(struct apply_stats *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(struct apply_stats *s, const char *fmt, ...)
{
	s->skipped++;
	if (s->skipped > NOTES_MAX)
		return;
	va_list ap;
	va_start(ap, fmt);
	char *line = xvasprintf(fmt, ap);
	va_end(ap);
	strbuf_addstr(&s->notes, line);
	strbuf_addch(&s->notes, '\n');
	free(line);
}

/* ---- statements kept for a page ----------------------------------------------------- */

/* Between sync_apply_begin and sync_apply_end, the statements of this file
 * are prepared once and reset after each use, by their text's address
 * (literals): preparing an INSERT compiles the triggers of its table (the
 * search index, the counts), more work than running it. The catalogs of
 * the procedures met are kept too. Outside, each statement is prepared and
 * finalized as it comes. */
#define CACHED_MAX 32
#define CATALOGS_MAX 16
static _Thread_local struct {
	struct store *st; /* NULL: nothing kept */
	struct {
		const char *sql;
		sqlite3_stmt *q;
	} stmt[CACHED_MAX];
	size_t nstmt;
	struct {
		char *code;
		struct sync_catalog k;
	} cat[CATALOGS_MAX];
	size_t ncat;
	bool outbox_idle; /* no operation waits in the outbox */
} kept;

static void catalogs_release(void)
{
	for (size_t i = 0; i < kept.ncat; i++) {
		free(kept.cat[i].code);
		sync_catalog_release(&kept.cat[i].k);
	}
	kept.ncat = 0;
}

void sync_apply_begin(struct store *st)
{
	sync_apply_end();
	kept.st = st;
	/* Inside the page's write transaction nothing else adds to the outbox:
	 * when nothing waits there, no dossier of the page has a local change
	 * to keep nor an operation to wake (one query, not two per dossier). */
	sqlite3_stmt *q = store_prepare(st, "SELECT NOT EXISTS(SELECT 1 FROM outbox"
					    " WHERE state <> 'done')");
	kept.outbox_idle = q && sqlite3_step(q) == SQLITE_ROW && sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
}

bool sync_apply_outbox_idle(struct store *st)
{
	return kept.st == st && kept.outbox_idle;
}

void sync_apply_end(void)
{
	for (size_t i = 0; i < kept.nstmt; i++)
		sqlite3_finalize(kept.stmt[i].q);
	kept.nstmt = 0;
	catalogs_release();
	kept.st = NULL;
	kept.outbox_idle = false;
}

static sqlite3_stmt *prep(struct store *st, const char *sql)
{
	if (!kept.st || st != kept.st)
		return store_prepare(st, sql);
	for (size_t i = 0; i < kept.nstmt; i++)
		if (kept.stmt[i].sql == sql)
			return kept.stmt[i].q;
	sqlite3_stmt *q = store_prepare(st, sql);
	if (q && kept.nstmt < CACHED_MAX) {
		kept.stmt[kept.nstmt].sql = sql;
		kept.stmt[kept.nstmt++].q = q;
	}
	return q;
}

/* Finalizes q, or resets a kept one for its next use. */
static void unprep(sqlite3_stmt *q)
{
	for (size_t i = 0; kept.st && i < kept.nstmt; i++)
		if (kept.stmt[i].q == q) {
			sqlite3_reset(q);
			sqlite3_clear_bindings(q);
			return;
		}
	sqlite3_finalize(q);
}

/* ---- JSON helpers ----------------------------------------------------------- */

static const char *str(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static long long num(const json_t *o, const char *key, long long dflt)
{
	const json_t *v = json_object_get(o, key);
	if (json_is_integer(v))
		return json_integer_value(v);
	if (json_is_boolean(v))
		return json_is_true(v);
	return dflt;
}

static void bind_json_str(sqlite3_stmt *q, int i, const json_t *o, const char *key)
{
	store_bind_text(q, i, str(o, key));
}

/* Steps and finalizes; SQLITE_OK or the error. */
static int run(sqlite3_stmt *q)
{
	int rc = sqlite3_step(q);
	unprep(q);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? SQLITE_OK : rc;
}

static bool deleted(const json_t *data)
{
	return json_is_true(json_object_get(data, "deleted"));
}

/* ---- dossiers --------------------------------------------------------------------- */

/* The local revision of a dossier: -1 when absent. */
static long long local_rev(struct store *st, const char *id)
{
	sqlite3_stmt *q = prep(st, "SELECT rev FROM dossiers WHERE id = ?");
	sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
	long long rev = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int64(q, 0) : -1;
	unprep(q);
	return rev;
}

static bool code_elsewhere(struct store *st, const char *code, const char *id)
{
	sqlite3_stmt *q = prep(st, "SELECT 1 FROM dossiers WHERE code = ? AND id <> ?");
	sqlite3_bind_text(q, 1, code, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, id, -1, SQLITE_STATIC);
	bool yes = sqlite3_step(q) == SQLITE_ROW;
	unprep(q);
	return yes;
}

static int upsert_dossier(struct store *st, const char *id, long long rev,
			  const struct dossier_doc *d)
{
	const struct dossier_doc_applicant *a = &d->applicant;
	char *fold = mc_text_fold(a->full_name);
	const char *updated = d->updated_at ? d->updated_at : d->received_at;
	int applicant_kind = d->applicant_kind ? d->applicant_kind : a->kind ? a->kind : 1;
	sqlite3_stmt *q = prep(st,
		"INSERT INTO dossiers(id, code, procedure_code, procedure_name, unit_code,"
		" handling_unit, clerk, channel, applicant_kind, status, received_at, appointment,"
		" finished_at, applicant_name, applicant_fold, id_number, birth_date, sex, phone, email,"
		" address, commune_code, note, rev, updated_at)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,"
		" ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25)"
		" ON CONFLICT(id) DO UPDATE SET code = ?2, procedure_code = ?3, procedure_name = ?4,"
		" unit_code = ?5, handling_unit = ?6, clerk = ?7, channel = ?8, applicant_kind = ?9,"
		" status = ?10, received_at = ?11, appointment = ?12,"
		" finished_at = coalesce(?13, finished_at), applicant_name = ?14, applicant_fold = ?15,"
		" id_number = ?16, birth_date = ?17, sex = ?18, phone = ?19, email = ?20, address = ?21,"
		" commune_code = ?22, note = ?23, rev = ?24, updated_at = ?25");
	sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
	store_bind_text(q, 2, d->code);
	store_bind_text(q, 3, d->procedure_code);
	store_bind_text(q, 4, d->procedure_name);
	store_bind_text(q, 5, d->unit_code);
	store_bind_text(q, 6, d->handling_unit);
	store_bind_text(q, 7, d->clerk);
	sqlite3_bind_int64(q, 8, d->channel);
	sqlite3_bind_int64(q, 9, applicant_kind);
	sqlite3_bind_int64(q, 10, d->status);
	store_bind_text(q, 11, d->received_at);
	store_bind_text(q, 12, d->appointment);
	store_bind_text(q, 13, d->finished_at);
	store_bind_text(q, 14, a->full_name);
	sqlite3_bind_text(q, 15, fold, -1, SQLITE_STATIC);
	store_bind_text(q, 16, a->id_number);
	store_bind_text(q, 17, a->birth_date);
	store_bind_text(q, 18, a->sex);
	store_bind_text(q, 19, a->phone);
	store_bind_text(q, 20, a->email);
	store_bind_text(q, 21, a->address);
	store_bind_text(q, 22, a->commune);
	store_bind_text(q, 23, d->note);
	sqlite3_bind_int64(q, 24, rev);
	store_bind_text(q, 25, updated);
	int rc = run(q);
	free(fold);
	return rc;
}

static int replace_components(struct store *st, const char *id, const struct dossier_doc *d)
{
	if (!d->has_components)
		return SQLITE_OK; /* not sent: keep what we have */
	sqlite3_stmt *q = prep(st, "DELETE FROM dossier_components WHERE dossier_id = ?");
	sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
	int rc = run(q);
	q = prep(st, "INSERT OR REPLACE INTO dossier_components(dossier_id, seq, name, kind,"
			      " mandatory, originals_required, copies_required, originals, copies,"
			      " override_reason, document_id, reused)"
			      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	for (size_t i = 0; i < d->ncomponents && rc == SQLITE_OK; i++) {
		const struct dossier_doc_component *c = &d->components[i];
		if (!c->name)
			continue;
		sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
		sqlite3_bind_int64(q, 2, c->seq);
		store_bind_text(q, 3, c->name);
		store_bind_text(q, 4, c->kind ? c->kind : "submit");
		sqlite3_bind_int64(q, 5, c->mandatory);
		sqlite3_bind_int64(q, 6, c->originals_required);
		sqlite3_bind_int64(q, 7, c->copies_required);
		sqlite3_bind_int64(q, 8, c->originals);
		sqlite3_bind_int64(q, 9, c->copies);
		store_bind_text(q, 10, c->override_reason);
		store_bind_text(q, 11, c->document_id); /* the paper attached (server/attach.c) */
		sqlite3_bind_int64(q, 12, c->reused);
		int step = sqlite3_step(q);
		sqlite3_reset(q);
		if (step != SQLITE_DONE)
			rc = step;
	}
	unprep(q);
	return rc;
}

static int insert_event(struct store *st, const char *id, const struct dossier_doc *d,
			const struct dossier_doc_event *e)
{
	if (!e->id || !e->kind)
		return SQLITE_OK;
	char *text = e->payload ? json_dumps(e->payload, JSON_COMPACT) : NULL;
	sqlite3_stmt *q = prep(st, "INSERT INTO events(id, dossier_id, kind, status_from,"
					    " status_to, actor, unit_code, device_time, server_time,"
					    " payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
					    " ON CONFLICT(id) DO NOTHING");
	store_bind_text(q, 1, e->id);
	sqlite3_bind_text(q, 2, id, -1, SQLITE_STATIC);
	store_bind_text(q, 3, e->kind);
	if (e->status_from)
		sqlite3_bind_int64(q, 4, e->status_from);
	if (e->status_to)
		sqlite3_bind_int64(q, 5, e->status_to);
	store_bind_text(q, 6, e->actor ? e->actor : "?");
	store_bind_text(q, 7, e->unit_code ? e->unit_code : d->unit_code);
	store_bind_text(q, 8, e->device_time ? e->device_time : d->received_at);
	store_bind_text(q, 9, e->server_time);
	store_bind_text(q, 10, text);
	int rc = run(q);
	free(text);
	return rc;
}

void sync_catalog_load(struct store *st, const char *procedure_code, struct sync_catalog *k)
{
	memset(k, 0, sizeof(*k));
	sqlite3_stmt *q = prep(st, "SELECT seq, name, kind, mandatory, originals, copies"
					    " FROM components WHERE procedure_code = ? ORDER BY seq");
	store_bind_text(q, 1, procedure_code);
	while (sqlite3_step(q) == SQLITE_ROW) {
		size_t n = k->n;
		k->c = xrealloc(k->c, (n + 1) * sizeof(*k->c));
		k->strs = xrealloc(k->strs, (2 * n + 2) * sizeof(*k->strs));
		k->strs[2 * n] = xstrdup((const char *)sqlite3_column_text(q, 1));
		k->strs[2 * n + 1] = xstrdup(sqlite3_column_text(q, 2)
						     ? (const char *)sqlite3_column_text(q, 2)
						     : "submit");
		k->c[n] = (struct dossier_doc_component){
			.seq = sqlite3_column_int(q, 0),
			.name = k->strs[2 * n],
			.kind = k->strs[2 * n + 1],
			.mandatory = sqlite3_column_int(q, 3) != 0,
			.originals_required = sqlite3_column_int(q, 4),
			.copies_required = sqlite3_column_int(q, 5),
		};
		k->n++;
	}
	unprep(q);
}

void sync_catalog_release(struct sync_catalog *k)
{
	for (size_t i = 0; i < 2 * k->n; i++)
		free(k->strs[i]);
	free(k->strs);
	free(k->c);
	memset(k, 0, sizeof(*k));
}

/* A compact dossier (core/dossier_doc.h) made whole from this store's
 * catalog of its procedure (a new reference); *unknown: its components the
 * catalog lacks (kept without a name, so not stored). */
static json_t *whole_document(struct store *st, const json_t *doc, size_t *unknown)
{
	*unknown = 0;
	if (!json_is_true(json_object_get(doc, "compact")))
		return json_incref((json_t *)doc);
	const char *code = json_string_value(json_object_get(doc, "procedure_code"));
	if (kept.st == st && code) {
		for (size_t i = 0; i < kept.ncat; i++)
			if (!strcmp(kept.cat[i].code, code))
				return dossier_doc_expand_json(doc, kept.cat[i].k.c, kept.cat[i].k.n,
							       unknown);
		if (kept.ncat < CATALOGS_MAX) {
			size_t i = kept.ncat++;
			kept.cat[i].code = xstrdup(code);
			sync_catalog_load(st, code, &kept.cat[i].k);
			return dossier_doc_expand_json(doc, kept.cat[i].k.c, kept.cat[i].k.n, unknown);
		}
	}
	struct sync_catalog k;
	sync_catalog_load(st, code, &k);
	json_t *whole = dossier_doc_expand_json(doc, k.c, k.n, unknown);
	sync_catalog_release(&k);
	return whole;
}

static struct party feed_party(const struct dossier_doc_party *p)
{
	return (struct party){
		.full_name = (char *)p->full_name,
		.id_number = (char *)p->id_number,
		.birth_date = (char *)p->birth_date,
		.sex = p->sex && (p->sex[0] == 'M' || p->sex[0] == 'F') && !p->sex[1] ? p->sex[0] : 0,
		.address = (char *)p->address,
		.title = (char *)p->role,
	};
}

/* The parties beside the applicant (client/store/parties.h) that the
 * dossier names: an organisation with a valid tax code and its
 * representative, a second party (a feed is data, checked like a push). */
static int apply_parties(struct store *st, const char *id, const struct dossier_doc *d)
{
	int rc = SQLITE_OK;
	const struct dossier_doc_applicant *a = &d->applicant;
	if (a->tax_code && a->full_name && mc_taxcode_check(a->tax_code, NULL, 0) == MC_TAXCODE_OK) {
		struct party org = { .full_name = (char *)a->full_name,
				     .id_number = (char *)a->tax_code,
				     .address = (char *)a->address };
		rc = parties_put(st, id, PARTY_ORGANISATION, &org);
		if (rc == SQLITE_OK && a->representative.present && a->representative.full_name) {
			struct party r = feed_party(&a->representative);
			rc = parties_put(st, id, PARTY_REPRESENTATIVE, &r);
		}
	}
	if (rc == SQLITE_OK && d->second_party.present && d->second_party.full_name) {
		struct party p = feed_party(&d->second_party);
		rc = parties_put(st, id, PARTY_SECOND, &p);
	}
	return rc;
}

static int apply_dossier(struct store *st, const struct sync_change *ch, struct apply_stats *s)
{
	const char *id = ch->entity_id;
	struct dossier_doc d;
	struct dossier_doc_error e;
	size_t unknown;
	json_t *whole = whole_document(st, ch->data, &unknown);
	int bad = dossier_doc_decode(whole, &d, &e);
	json_decref(whole); /* d holds its own reference */
	if (bad) {
		note(s, "Hồ sơ %s từ máy chủ bị bỏ qua: %s", id, e.message);
		return SQLITE_OK;
	}
	if (unknown)
		note(s, "Hồ sơ %s: %zu thành phần không có trong danh mục thủ tục %s trên máy này",
		     d.code, unknown, d.procedure_code);
	int rc = SQLITE_OK;
	if (!sync_apply_outbox_idle(st) && outbox_unaccepted(st, id)) {
		s->kept_local++;
		goto out;
	}
	long long rev = ch->rev > 0 ? ch->rev : d.rev ? d.rev : 1;
	if (local_rev(st, id) >= rev) {
		s->applied++; /* already here */
		goto out;
	}
	if (code_elsewhere(st, d.code, id)) {
		note(s, "Hồ sơ %s trên máy chủ trùng mã với một hồ sơ khác trên máy này: chưa nhận về",
		     d.code);
		goto out;
	}
	rc = upsert_dossier(st, id, rev, &d);
	if (rc == SQLITE_OK)
		rc = replace_components(st, id, &d);
	/* the fee recorded where it was received, when it is one (a feed is
	 * data, checked like a push) */
	if (rc == SQLITE_OK && d.has_fee &&
	    !mc_fee_check(mc_fee_status_from_id(d.fee.status), d.fee.amount, d.fee.reason, e.message,
			  sizeof(e.message), NULL))
		rc = fees_put(st, id, mc_fee_status_from_id(d.fee.status), d.fee.amount, d.fee.reason);
	if (rc == SQLITE_OK)
		rc = apply_parties(st, id, &d);
	if (rc == SQLITE_OK && d.event)
		rc = insert_event(st, id, &d, d.event);
	for (size_t i = 0; i < d.nevents && rc == SQLITE_OK; i++)
		rc = insert_event(st, id, &d, &d.events[i]);
	if (rc == SQLITE_OK)
		s->applied++;
out:
	dossier_doc_release(&d);
	return rc;
}

/* ---- reference data ---------------------------------------------------------------- */

static int apply_unit(struct store *st, const struct sync_change *ch, struct apply_stats *s)
{
	const json_t *d = ch->data;
	const char *code = str(d, "code") ? str(d, "code") : ch->entity_id;
	if (!str(d, "name") || !str(d, "ident")) {
		note(s, "Đơn vị %s từ máy chủ thiếu tên hoặc mã định danh: bỏ qua", code);
		return SQLITE_OK;
	}
	sqlite3_stmt *q = prep(st, "INSERT INTO units(code, name, ident, kind, parent_code)"
					    " VALUES (?1, ?2, ?3, coalesce(?4, 'commune'), ?5)"
					    " ON CONFLICT(code) DO UPDATE SET name = ?2, ident = ?3,"
					    " kind = coalesce(?4, kind), parent_code = ?5");
	store_bind_text(q, 1, code);
	bind_json_str(q, 2, d, "name");
	bind_json_str(q, 3, d, "ident");
	bind_json_str(q, 4, d, "kind");
	bind_json_str(q, 5, d, "parent_code");
	int rc = run(q);
	if (rc == SQLITE_OK)
		s->applied++;
	return rc;
}

static int delete_procedure(struct store *st, const char *code)
{
	static const char *const sql[] = {
		"DELETE FROM procedure_channels WHERE procedure_code = ?",
		"DELETE FROM components WHERE procedure_code = ?",
		"DELETE FROM procedures WHERE code = ?",
	};
	int rc = SQLITE_OK;
	for (size_t i = 0; i < 3 && rc == SQLITE_OK; i++) {
		sqlite3_stmt *q = prep(st, sql[i]);
		sqlite3_bind_text(q, 1, code, -1, SQLITE_STATIC);
		rc = run(q);
	}
	return rc;
}

static int insert_procedure_row(struct store *st, const char *code, const json_t *d)
{
	char *both = xasprintf("%s %s", code, str(d, "name"));
	char *fold = mc_text_fold(both);
	free(both);
	sqlite3_stmt *q = prep(st,
		"INSERT INTO procedures(code, name, field, level, kind, decision, applicants, agency,"
		" steps, conditions, legal_basis, result, url, time_text, time_value, time_unit,"
		" fee_text, fee_amount, needs_review, review_notes, fold)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	static const char *const texts[] = { "level", "kind", "decision", "applicants", "agency",
					     "steps", "conditions", "legal_basis", "result", "url",
					     "time_text" };
	int i = 1;
	sqlite3_bind_text(q, i++, code, -1, SQLITE_STATIC);
	bind_json_str(q, i++, d, "name");
	store_bind_text(q, i++, str(d, "field") ? str(d, "field") : "Chưa phân loại");
	for (size_t k = 0; k < sizeof(texts) / sizeof(texts[0]); k++)
		bind_json_str(q, i++, d, texts[k]);
	const json_t *tv = json_object_get(d, "time_value");
	if (json_is_number(tv) && str(d, "time_unit"))
		sqlite3_bind_double(q, i++, json_number_value(tv));
	else
		sqlite3_bind_null(q, i++);
	bind_json_str(q, i++, d, "time_unit");
	bind_json_str(q, i++, d, "fee_text");
	if (json_is_integer(json_object_get(d, "fee_amount")))
		sqlite3_bind_int64(q, i++, num(d, "fee_amount", 0));
	else
		sqlite3_bind_null(q, i++);
	sqlite3_bind_int64(q, i++, num(d, "needs_review", 0) != 0);
	bind_json_str(q, i++, d, "review_notes");
	sqlite3_bind_text(q, i++, fold, -1, SQLITE_STATIC);
	int rc = run(q);
	free(fold);
	return rc;
}

static int insert_procedure_parts(struct store *st, const char *code, const json_t *d)
{
	sqlite3_stmt *ch = prep(st, "INSERT OR REPLACE INTO procedure_channels(procedure_code,"
					     " seq, channel, time_text, fee_text, description)"
					     " VALUES (?, ?, ?, ?, ?, ?)");
	sqlite3_stmt *co = prep(st, "INSERT OR REPLACE INTO components(procedure_code, seq,"
					     " grp, name, form, originals, copies, kind, mandatory,"
					     " needs_review, raw) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	int rc = SQLITE_OK;
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(d, "channels"), i, x) {
		if (rc != SQLITE_OK || !json_is_object(x))
			continue;
		sqlite3_bind_text(ch, 1, code, -1, SQLITE_STATIC);
		sqlite3_bind_int64(ch, 2, num(x, "seq", (long long)i + 1));
		store_bind_text(ch, 3, str(x, "channel") ? str(x, "channel") : "");
		bind_json_str(ch, 4, x, "time_text");
		bind_json_str(ch, 5, x, "fee_text");
		bind_json_str(ch, 6, x, "description");
		int step = sqlite3_step(ch);
		sqlite3_reset(ch);
		if (step != SQLITE_DONE)
			rc = step;
	}
	json_array_foreach(json_object_get(d, "components"), i, x) {
		if (rc != SQLITE_OK || !json_is_object(x) || !str(x, "name"))
			continue;
		sqlite3_bind_text(co, 1, code, -1, SQLITE_STATIC);
		sqlite3_bind_int64(co, 2, num(x, "seq", (long long)i + 1));
		bind_json_str(co, 3, x, "grp");
		bind_json_str(co, 4, x, "name");
		bind_json_str(co, 5, x, "form");
		sqlite3_bind_int64(co, 6, num(x, "originals", 0));
		sqlite3_bind_int64(co, 7, num(x, "copies", 0));
		store_bind_text(co, 8, str(x, "kind") ? str(x, "kind") : "submit");
		sqlite3_bind_int64(co, 9, num(x, "mandatory", 1) != 0);
		sqlite3_bind_int64(co, 10, num(x, "needs_review", 0) != 0);
		bind_json_str(co, 11, x, "raw");
		int step = sqlite3_step(co);
		sqlite3_reset(co);
		if (step != SQLITE_DONE)
			rc = step;
	}
	unprep(ch);
	unprep(co);
	return rc;
}

static int apply_procedure(struct store *st, const struct sync_change *ch, struct apply_stats *s)
{
	const json_t *d = ch->data;
	const char *code = str(d, "code") ? str(d, "code") : ch->entity_id;
	catalogs_release(); /* a catalog kept for the page may change here */
	int rc = delete_procedure(st, code);
	if (rc != SQLITE_OK || deleted(d)) {
		if (rc == SQLITE_OK)
			s->applied++;
		return rc;
	}
	if (!str(d, "name")) {
		note(s, "Thủ tục %s từ máy chủ thiếu tên: bỏ qua", code);
		return SQLITE_OK;
	}
	rc = insert_procedure_row(st, code, d);
	if (rc == SQLITE_OK)
		rc = insert_procedure_parts(st, code, d);
	if (rc == SQLITE_OK)
		s->applied++;
	return rc;
}

static int apply_holiday(struct store *st, const struct sync_change *ch, struct apply_stats *s)
{
	const json_t *d = ch->data;
	const char *date = str(d, "date") ? str(d, "date") : ch->entity_id;
	struct mc_date dd;
	if (mc_parse_date(date, &dd)) {
		note(s, "Ngày nghỉ «%s» từ máy chủ không hợp lệ: bỏ qua", date);
		return SQLITE_OK;
	}
	sqlite3_stmt *q;
	if (deleted(d)) {
		q = prep(st, "DELETE FROM holidays WHERE date = ?");
		sqlite3_bind_text(q, 1, date, -1, SQLITE_STATIC);
	} else {
		const char *kind = str(d, "kind");
		if (!kind || (strcmp(kind, "off") && strcmp(kind, "work"))) {
			note(s, "Ngày nghỉ %s từ máy chủ có loại không rõ: bỏ qua", date);
			return SQLITE_OK;
		}
		q = prep(st, "INSERT INTO holidays(date, kind, name) VALUES (?1, ?2, ?3)"
				      " ON CONFLICT(date) DO UPDATE SET kind = ?2, name = ?3");
		sqlite3_bind_text(q, 1, date, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 2, kind, -1, SQLITE_STATIC);
		bind_json_str(q, 3, d, "name");
	}
	int rc = run(q);
	if (rc == SQLITE_OK)
		s->applied++;
	return rc;
}

/* A clerk of the units this user serves. No password comes down: a new
 * clerk gets an empty hash (no local login until that clerk logs in with
 * `motcua login` here), an existing one keeps its own. */
static int apply_user(struct store *st, const struct sync_change *ch, struct apply_stats *s)
{
	const json_t *d = ch->data;
	const char *user = str(d, "username") ? str(d, "username") : ch->entity_id;
	const char *role = str(d, "role") ? str(d, "role") : "clerk";
	if (!auth_username_valid(user) || !str(d, "unit_code") || !auth_role_valid(role)) {
		note(s, "Tài khoản «%s» từ máy chủ không hợp lệ: bỏ qua", user);
		return SQLITE_OK;
	}
	const char *name = str(d, "full_name") && *str(d, "full_name") ? str(d, "full_name") : user;
	sqlite3_stmt *q = prep(st, "INSERT INTO clerks(username, full_name, unit_code, role,"
					    " pw_hash, disabled) VALUES (?1, ?2, ?3, ?4, '', ?5)"
					    " ON CONFLICT(username) DO UPDATE SET full_name = ?2,"
					    " unit_code = ?3, role = ?4, disabled = ?5");
	sqlite3_bind_text(q, 1, user, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, name, -1, SQLITE_STATIC);
	bind_json_str(q, 3, d, "unit_code");
	sqlite3_bind_text(q, 4, role, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 5, num(d, "disabled", 0) != 0);
	int rc = run(q);
	if (rc == SQLITE_OK)
		s->applied++;
	return rc;
}

/* ---- documents ------------------------------------------------------------------- */

/* A paper attached to a dossier component on some workstation of the units
 * this clerk serves (server/attach.c): its metadata, and the component's
 * link unless the dossier has a local change not yet accepted. The file
 * stays on the server: file_uploads marks it 'remote' (nothing to send)
 * unless this workstation has that file of its own (documents/<sha256>.pdf). */
static int apply_document(struct store *st, const struct sync_change *ch, struct apply_stats *s)
{
	const json_t *d = ch->data;
	const char *id = str(d, "id") ? str(d, "id") : ch->entity_id;
	const char *sha = str(d, "sha256"), *dossier = str(d, "dossier_id");
	if (!sha || strlen(sha) != 64 || !str(d, "kind")) {
		note(s, "Giấy tờ %s từ máy chủ thiếu mã băm hoặc loại: bỏ qua", id);
		return SQLITE_OK;
	}
	const char *at = str(d, "attached_at") ? str(d, "attached_at") : "";
	sqlite3_stmt *q = prep(st, "INSERT INTO documents(id, owner_id_number, kind, title, number, issuer,"
			      " issued_on, expires_on, sha256, pages, bytes, created_at, created_by)"
			      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING");
	sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
	static const char *const texts[] = { "owner_id_number", "kind", "title", "number", "issuer",
					     "issued_on", "expires_on", "sha256" };
	for (int i = 0; i < 8; i++)
		bind_json_str(q, i + 2, d, texts[i]);
	sqlite3_bind_int64(q, 10, num(d, "pages", 0));
	sqlite3_bind_int64(q, 11, num(d, "bytes", 0));
	sqlite3_bind_text(q, 12, at, -1, SQLITE_STATIC);
	bind_json_str(q, 13, d, "attached_by");
	int rc = run(q);
	if (rc != SQLITE_OK)
		return rc;
	/* the documents trigger queued its file: not ours to send unless it is here */
	char *file = docstore_file(st->path, sha);
	bool here = !access(file, F_OK);
	free(file);
	if (!here) {
		q = prep(st, "UPDATE file_uploads SET state = 'remote' WHERE sha256 = ?"
				      " AND state = 'pending' AND upload_url IS NULL");
		sqlite3_bind_text(q, 1, sha, -1, SQLITE_STATIC);
		rc = run(q);
		if (rc != SQLITE_OK)
			return rc;
	}
	if (dossier && json_is_integer(json_object_get(d, "component"))) {
		if (!sync_apply_outbox_idle(st) && outbox_unaccepted(st, dossier)) {
			s->kept_local++;
			return SQLITE_OK;
		}
		q = prep(st, "UPDATE dossier_components SET document_id = ?, reused = ?"
				      " WHERE dossier_id = ? AND seq = ?");
		sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
		sqlite3_bind_int(q, 2, num(d, "reused", 0) != 0);
		sqlite3_bind_text(q, 3, dossier, -1, SQLITE_STATIC);
		sqlite3_bind_int64(q, 4, num(d, "component", 0));
		rc = run(q);
	}
	if (rc == SQLITE_OK)
		s->applied++;
	return rc;
}

int sync_apply_change(struct store *st, const struct sync_change *ch, struct apply_stats *s)
{
	static const struct {
		const char *entity;
		int (*fn)(struct store *, const struct sync_change *, struct apply_stats *);
	} appliers[] = {
		{ "dossier", apply_dossier },	  { "unit", apply_unit },
		{ "procedure", apply_procedure }, { "holiday", apply_holiday },
		{ "user", apply_user },		  { "document", apply_document },
	};
	if (!json_is_object(ch->data)) {
		note(s, "Thay đổi %lld không có dữ liệu: bỏ qua", ch->seq);
		return SQLITE_OK;
	}
	for (size_t i = 0; i < sizeof(appliers) / sizeof(appliers[0]); i++)
		if (!strcmp(ch->entity, appliers[i].entity))
			return appliers[i].fn(st, ch, s);
	s->skipped++; /* an entity of a newer server: not ours to keep */
	return SQLITE_OK;
}
