/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Online dossiers' reads and writes: see online.h. */
#include "client/store/online.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client/store/docstore.h"

/* Waiting: an online dossier not received yet. */
#define WAITING "d.channel = 2 AND d.status IN (1, 5) AND d.received_at = ''"

void online_dossier_release(struct online_dossier *d)
{
	free(d->id);
	free(d->code);
	free(d->procedure_code);
	free(d->procedure_name);
	free(d->unit_code);
	free(d->applicant_name);
	free(d->id_number);
	free(d->phone);
	free(d->email);
	free(d->address);
	for (size_t i = 0; i < d->npapers; i++) {
		free(d->papers[i].name);
		free(d->papers[i].document_id);
		free(d->papers[i].sha256);
		free(d->papers[i].path);
	}
	free(d->papers);
	memset(d, 0, sizeof(*d));
}

void online_list_free(struct online_dossier *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		online_dossier_release(&list[i]);
	free(list);
}

#define COLUMNS \
	"d.id, d.code, d.procedure_code, d.procedure_name, d.unit_code, d.applicant_name," \
	" d.id_number, d.phone, d.email, d.address, d.applicant_kind, d.status, d.rev," \
	" (" WAITING ")," \
	" (SELECT min(device_time) FROM events e WHERE e.dossier_id = d.id AND e.kind = 'online-submit')," \
	" (SELECT max(device_time) FROM events e WHERE e.dossier_id = d.id" \
	"  AND e.kind = 'online-supplement')," \
	" EXISTS (SELECT 1 FROM events u WHERE u.dossier_id = d.id AND u.kind = 'online-update'" \
	"  AND u.device_time >= (SELECT max(device_time) FROM events s WHERE s.dossier_id = d.id" \
	"  AND s.kind = 'online-supplement'))"

static void read_row(sqlite3_stmt *q, struct online_dossier *d)
{
	memset(d, 0, sizeof(*d));
	d->id = store_col_text(q, 0);
	d->code = store_col_text(q, 1);
	d->procedure_code = store_col_text(q, 2);
	d->procedure_name = store_col_text(q, 3);
	d->unit_code = store_col_text(q, 4);
	d->applicant_name = store_col_text(q, 5);
	d->id_number = store_col_text(q, 6);
	d->phone = store_col_text(q, 7);
	d->email = store_col_text(q, 8);
	d->address = store_col_text(q, 9);
	d->applicant_kind = sqlite3_column_int(q, 10);
	d->status = sqlite3_column_int(q, 11);
	d->rev = sqlite3_column_int64(q, 12);
	d->waiting = sqlite3_column_int(q, 13) != 0;
	store_col_copy(q, 14, d->submitted_at, sizeof d->submitted_at);
	store_col_copy(q, 15, d->supplement_at, sizeof d->supplement_at);
	d->supplemented = sqlite3_column_int(q, 16) != 0;
}

/* The papers of d: its components, with their documents and files. */
static int read_papers(struct store *st, struct online_dossier *d)
{
	sqlite3_stmt *q = store_prepare(st,
		"SELECT c.seq, c.name, c.document_id, m.sha256, m.bytes FROM dossier_components c"
		" LEFT JOIN documents m ON m.id = c.document_id WHERE c.dossier_id = ? ORDER BY c.seq");
	sqlite3_bind_text(q, 1, d->id, -1, SQLITE_STATIC);
	int rc;
	size_t alloc = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (d->npapers == alloc) {
			alloc = alloc ? 2 * alloc : 4;
			d->papers = xrealloc(d->papers, alloc * sizeof(*d->papers));
		}
		struct online_paper *p = &d->papers[d->npapers++];
		memset(p, 0, sizeof(*p));
		p->seq = sqlite3_column_int(q, 0);
		p->name = store_col_text(q, 1);
		p->document_id = store_col_text(q, 2);
		p->sha256 = store_col_text(q, 3);
		p->bytes = sqlite3_column_int64(q, 4);
		if (p->sha256) {
			char *file = docstore_file(st->path, p->sha256);
			if (!access(file, R_OK)) {
				p->path = file;
				d->nhere++;
			} else {
				free(file);
			}
		}
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

int online_list(struct store *st, const char *unit, struct online_dossier **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *q = store_prepare(st, "SELECT " COLUMNS " FROM dossiers d WHERE " WAITING
					    " AND (?1 IS NULL OR d.unit_code = ?1)"
					    " ORDER BY 15, d.code");
	if (unit)
		sqlite3_bind_text(q, 1, unit, -1, SQLITE_STATIC);
	size_t alloc = 0;
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (*n == alloc) {
			alloc = alloc ? 2 * alloc : 16;
			*out = xrealloc(*out, alloc * sizeof(**out));
		}
		read_row(q, &(*out)[(*n)++]);
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE) {
		online_list_free(*out, *n);
		*out = NULL;
		*n = 0;
		return rc;
	}
	for (size_t i = 0; i < *n; i++) {
		rc = read_papers(st, &(*out)[i]);
		if (rc != SQLITE_OK) {
			online_list_free(*out, *n);
			*out = NULL;
			*n = 0;
			return rc;
		}
	}
	return SQLITE_OK;
}

int online_count(struct store *st, const char *unit, long *n)
{
	sqlite3_stmt *q = store_prepare(st, "SELECT count(*) FROM dossiers d WHERE " WAITING
					    " AND (?1 IS NULL OR d.unit_code = ?1)");
	if (unit)
		sqlite3_bind_text(q, 1, unit, -1, SQLITE_STATIC);
	int rc = sqlite3_step(q);
	*n = rc == SQLITE_ROW ? (long)sqlite3_column_int64(q, 0) : 0;
	sqlite3_finalize(q);
	return rc == SQLITE_ROW ? SQLITE_OK : rc;
}

int online_get(struct store *st, const char *code, struct online_dossier *d)
{
	memset(d, 0, sizeof(*d));
	sqlite3_stmt *q = store_prepare(st, "SELECT " COLUMNS " FROM dossiers d WHERE d.code = ?"
					    " AND d.channel = 2");
	sqlite3_bind_text(q, 1, code, -1, SQLITE_STATIC);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		read_row(q, d);
	sqlite3_finalize(q);
	if (rc == SQLITE_ROW) {
		int r = read_papers(st, d);
		if (r != SQLITE_OK) {
			online_dossier_release(d);
			return r;
		}
	}
	return rc;
}

int online_store_accept(struct store *st, const struct online_accept_row *u)
{
	sqlite3_stmt *q = store_prepare(st,
		"UPDATE dossiers SET code = ?1, status = 2, received_at = ?2, appointment = ?3,"
		" clerk = ?4, rev = rev + 1, updated_at = ?5 WHERE id = ?6 AND rev = ?7");
	sqlite3_bind_text(q, 1, u->code, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, u->received_at, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, u->appointment, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, u->clerk, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 5, u->now, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 6, u->id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 7, u->rev);
	int rc = sqlite3_step(q);
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return rc;
	return sqlite3_changes(st->db) == 1 ? SQLITE_OK : SQLITE_CONSTRAINT;
}

int online_procedure_time(struct store *st, const char *code, char **unit, double *value)
{
	*unit = NULL;
	*value = 0;
	sqlite3_stmt *q = store_prepare(st, "SELECT time_unit, time_value FROM procedures WHERE code = ?");
	sqlite3_bind_text(q, 1, code, -1, SQLITE_STATIC);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		*unit = store_col_text(q, 0);
		*value = sqlite3_column_double(q, 1);
	}
	sqlite3_finalize(q);
	return rc;
}

int online_missing_files(struct store *st, char ***out, size_t *n)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *q = store_prepare(st,
		"SELECT DISTINCT m.sha256 FROM dossiers d JOIN dossier_components c ON c.dossier_id = d.id"
		" JOIN documents m ON m.id = c.document_id WHERE " WAITING " ORDER BY m.sha256");
	size_t alloc = 0;
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *sha = (const char *)sqlite3_column_text(q, 0);
		if (!sha)
			continue;
		char *file = docstore_file(st->path, sha);
		bool here = !access(file, R_OK);
		free(file);
		if (here)
			continue;
		if (*n == alloc) {
			alloc = alloc ? 2 * alloc : 8;
			*out = xrealloc(*out, alloc * sizeof(**out));
		}
		(*out)[(*n)++] = xstrdup(sha);
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}
