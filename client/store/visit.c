/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Counter visits without a received dossier (visit.h). */
#include "client/store/visit.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/store/dossier_tx.h"
#include "client/store/outbox.h"
#include "core/xalloc.h"

const char *visit_kind_id(enum visit_kind k)
{
	switch (k) {
	case VISIT_REFUSE: return "refuse";
	case VISIT_GUIDE: return "guide";
	default: return NULL;
	}
}

enum visit_kind visit_kind_from_id(const char *id)
{
	if (id && !strcmp(id, "refuse"))
		return VISIT_REFUSE;
	if (id && !strcmp(id, "guide"))
		return VISIT_GUIDE;
	return 0;
}

void visit_release(struct visit *v)
{
	free(v->procedure_code);
	free(v->procedure_name);
	free(v->unit_code);
	free(v->clerk);
	free(v->applicant_name);
	free(v->id_number);
	free(v->birth_date);
	free(v->sex);
	free(v->phone);
	free(v->email);
	free(v->address);
	free(v->commune_code);
	free(v->note);
	json_decref(v->items);
	memset(v, 0, sizeof(*v));
}

json_t *visit_encode(const struct visit *v)
{
	json_t *a = json_pack("{s:s, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?}", "full_name",
			      v->applicant_name, "id_number", v->id_number, "birth_date",
			      v->birth_date, "sex", v->sex, "phone", v->phone, "email", v->email,
			      "address", v->address, "commune", v->commune_code);
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:O, s:s?}", "id", v->id, "kind",
			 visit_kind_id(v->kind), "procedure_code", v->procedure_code,
			 "procedure_name", v->procedure_name, "unit_code", v->unit_code, "clerk",
			 v->clerk, "at", v->at, "applicant", a, "items", v->items, "note", v->note);
}

static int step_done(sqlite3_stmt *q)
{
	int rc = sqlite3_step(q);
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static int insert_row(struct store *st, const struct visit *v)
{
	char *items = json_dumps(v->items, JSON_COMPACT);
	sqlite3_stmt *q = store_prepare(
		st, "INSERT INTO visits(id, kind, procedure_code, procedure_name, unit_code, clerk, at,"
		    " applicant_name, id_number, birth_date, sex, phone, email, address, commune_code,"
		    " items, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
		    " ?15, ?16, ?17)");
	sqlite3_bind_text(q, 1, v->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, visit_kind_id(v->kind), -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, v->procedure_code, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, v->procedure_name, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 5, v->unit_code, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 6, v->clerk, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 7, v->at, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 8, v->applicant_name, -1, SQLITE_STATIC);
	store_bind_nonempty(q, 9, v->id_number);
	store_bind_nonempty(q, 10, v->birth_date);
	store_bind_nonempty(q, 11, v->sex);
	store_bind_nonempty(q, 12, v->phone);
	store_bind_nonempty(q, 13, v->email);
	store_bind_nonempty(q, 14, v->address);
	store_bind_nonempty(q, 15, v->commune_code);
	sqlite3_bind_text(q, 16, items ? items : "[]", -1, SQLITE_STATIC);
	store_bind_nonempty(q, 17, v->note);
	int rc = step_done(q);
	free(items);
	return rc;
}

int visit_insert(struct store *st, struct visit *v, const char *event_id, const char *op_id)
{
	struct dossier_tx t;
	int rc = dossier_tx_begin(&t, st);
	if (rc != SQLITE_OK)
		return rc;
	rc = insert_row(st, v);
	if (rc == SQLITE_OK)
		v->seq = sqlite3_last_insert_rowid(st->db);
	json_t *payload = json_pack("{s:s, s:O}", "kind", visit_kind_id(v->kind), "items", v->items);
	char kind[24];
	snprintf(kind, sizeof kind, "visit-%s", visit_kind_id(v->kind));
	const struct dossier_doc_event e = { .id = event_id, .dossier_id = v->id, .kind = kind,
					     .actor = v->clerk, .unit_code = v->unit_code,
					     .device_time = v->at, .payload = payload };
	if (rc == SQLITE_OK)
		rc = dossier_tx_event(st, &e, NULL);
	json_decref(payload);
	if (rc == SQLITE_OK) {
		json_t *doc = visit_encode(v);
		rc = outbox_add_entity(st, "visit", op_id, v->id, 0, "record", doc, v->at);
		json_decref(doc);
	}
	if (rc != SQLITE_OK) {
		dossier_tx_rollback(&t);
		return rc;
	}
	return dossier_tx_commit(&t);
}

int visit_get(struct store *st, const char *id, struct visit *v)
{
	memset(v, 0, sizeof(*v));
	sqlite3_stmt *q = store_prepare(
		st, "SELECT id, kind, procedure_code, procedure_name, unit_code, clerk, at,"
		    " applicant_name, id_number, birth_date, sex, phone, email, address, commune_code,"
		    " items, note, rowid FROM visits WHERE id = ?");
	sqlite3_bind_text(q, 1, id ? id : "", -1, SQLITE_STATIC);
	int rc = sqlite3_step(q);
	if (rc != SQLITE_ROW) {
		sqlite3_finalize(q);
		return rc == SQLITE_DONE ? 0 : -1;
	}
	snprintf(v->id, sizeof v->id, "%s", (const char *)sqlite3_column_text(q, 0));
	v->kind = visit_kind_from_id((const char *)sqlite3_column_text(q, 1));
	v->procedure_code = store_col_nonempty(q, 2);
	v->procedure_name = store_col_nonempty(q, 3);
	v->unit_code = store_col_nonempty(q, 4);
	v->clerk = store_col_nonempty(q, 5);
	const unsigned char *at = sqlite3_column_text(q, 6);
	snprintf(v->at, sizeof v->at, "%s", at ? (const char *)at : "");
	v->applicant_name = store_col_nonempty(q, 7);
	v->id_number = store_col_nonempty(q, 8);
	v->birth_date = store_col_nonempty(q, 9);
	v->sex = store_col_nonempty(q, 10);
	v->phone = store_col_nonempty(q, 11);
	v->email = store_col_nonempty(q, 12);
	v->address = store_col_nonempty(q, 13);
	v->commune_code = store_col_nonempty(q, 14);
	const char *items = (const char *)sqlite3_column_text(q, 15);
	v->items = items ? json_loads(items, 0, NULL) : NULL;
	if (!json_is_array(v->items)) {
		json_decref(v->items);
		v->items = json_array();
	}
	v->note = store_col_nonempty(q, 16);
	v->seq = sqlite3_column_int64(q, 17);
	sqlite3_finalize(q);
	return 1;
}

int visit_count(struct store *st, const char *unit_code, const char *from, const char *to,
		struct visit_counts *c)
{
	return visit_count_clerk(st, unit_code, NULL, from, to, c);
}

int visit_count_clerk(struct store *st, const char *unit_code, const char *clerk,
		      const char *from, const char *to, struct visit_counts *c)
{
	memset(c, 0, sizeof(*c));
	sqlite3_stmt *q = store_prepare(
		st, "SELECT coalesce(sum(kind = 'refuse'), 0), coalesce(sum(kind = 'guide'), 0)"
		    " FROM visits WHERE (?1 IS NULL OR unit_code = ?1) AND (?2 IS NULL OR at >= ?2)"
		    " AND (?3 IS NULL OR at < ?3) AND (?4 IS NULL OR clerk = ?4)");
	store_bind_nonempty(q, 1, unit_code);
	store_bind_nonempty(q, 4, clerk);
	store_bind_nonempty(q, 2, from);
	store_bind_nonempty(q, 3, to);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		c->refused = sqlite3_column_int64(q, 0);
		c->guided = sqlite3_column_int64(q, 1);
	}
	sqlite3_finalize(q);
	return rc == SQLITE_ROW ? 0 : -1;
}
