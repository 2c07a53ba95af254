/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The rows of a new dossier: see dossier_write.h. */
#include "client/store/dossier_write.h"

/* Runs and finalizes a statement that returns no row. */
static int step_done(sqlite3_stmt *q)
{
	int rc = sqlite3_step(q);
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

int dossier_insert(struct store *st, const struct dossier_new *d)
{
	sqlite3_stmt *q = store_prepare(st,
		"INSERT INTO dossiers(id, code, procedure_code, procedure_name, unit_code, clerk,"
		" channel, applicant_kind, status, received_at, appointment, applicant_name,"
		" applicant_fold, id_number, birth_date, sex, phone, email, address, commune_code,"
		" note, rev, updated_at)"
		" VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)");
	int i = 1;
	char sex[2] = { d->sex, '\0' };
	sqlite3_bind_text(q, i++, d->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, i++, d->code, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, i++, d->procedure_code, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, i++, d->procedure_name, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, i++, d->unit_code, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, i++, d->clerk, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, i++, d->applicant_kind ? d->applicant_kind : 1);
	sqlite3_bind_int(q, i++, d->status);
	sqlite3_bind_text(q, i++, d->received_at, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, i++, d->appointment, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, i++, d->applicant_name, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, i++, d->applicant_fold, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, i++, d->id_number, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, i++, d->birth_date, -1, SQLITE_STATIC);
	if (d->sex)
		sqlite3_bind_text(q, i++, sex, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(q, i++);
	store_bind_text(q, i++, d->phone);
	store_bind_text(q, i++, d->email);
	store_bind_text(q, i++, d->address);
	sqlite3_bind_text(q, i++, d->commune_code, -1, SQLITE_STATIC);
	store_bind_text(q, i++, d->note);
	sqlite3_bind_text(q, i++, d->updated_at, -1, SQLITE_STATIC);
	return step_done(q);
}

int dossier_insert_components(struct store *st, const char *dossier_id,
			      const struct dossier_new_component *c, size_t n)
{
	sqlite3_stmt *q = store_prepare(st,
		"INSERT INTO dossier_components(dossier_id, seq, name, kind, mandatory,"
		" originals_required, copies_required, originals, copies, override_reason)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	int rc = SQLITE_OK;
	for (size_t i = 0; i < n; i++) {
		sqlite3_bind_text(q, 1, dossier_id, -1, SQLITE_STATIC);
		sqlite3_bind_int(q, 2, c[i].seq);
		sqlite3_bind_text(q, 3, c[i].name ? c[i].name : "", -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 4, c[i].kind, -1, SQLITE_STATIC);
		sqlite3_bind_int(q, 5, c[i].mandatory);
		sqlite3_bind_int(q, 6, c[i].originals_required);
		sqlite3_bind_int(q, 7, c[i].copies_required);
		sqlite3_bind_int(q, 8, c[i].originals);
		sqlite3_bind_int(q, 9, c[i].copies);
		store_bind_text(q, 10, c[i].override_reason);
		int step = sqlite3_step(q);
		sqlite3_reset(q);
		if (step != SQLITE_DONE) {
			rc = step;
			break;
		}
	}
	sqlite3_finalize(q);
	return rc;
}

long dossier_total(struct store *st)
{
	sqlite3_stmt *q = store_prepare(st, "SELECT count(*) FROM dossiers");
	long n = sqlite3_step(q) == SQLITE_ROW ? (long)sqlite3_column_int64(q, 0) : -1;
	sqlite3_finalize(q);
	return n;
}
