/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The parties of a dossier beside its applicant: see parties.h. */
#include "client/store/parties.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

static const char *const role_ids[PARTY_N] = { "organisation", "representative", "second" };

const char *party_role_id(enum party_role r)
{
	return (unsigned)r < PARTY_N ? role_ids[r] : "";
}

int parties_put(struct store *st, const char *dossier_id, enum party_role r,
		const struct party *p)
{
	sqlite3_stmt *q = store_prepare(st,
		"INSERT OR REPLACE INTO dossier_parties(dossier_id, role, full_name, id_number,"
		" birth_date, sex, address, title) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
	char sex[2] = { p->sex, '\0' };
	sqlite3_bind_text(q, 1, dossier_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, party_role_id(r), -1, SQLITE_STATIC);
	store_bind_text(q, 3, p->full_name);
	store_bind_text(q, 4, p->id_number);
	store_bind_text(q, 5, p->birth_date);
	store_bind_text(q, 6, p->sex ? sex : NULL);
	store_bind_text(q, 7, p->address);
	store_bind_text(q, 8, p->title);
	int rc = sqlite3_step(q);
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

int parties_get(struct store *st, const char *dossier_id, struct party out[PARTY_N])
{
	memset(out, 0, sizeof(struct party) * PARTY_N);
	sqlite3_stmt *q = store_prepare(st,
		"SELECT role, full_name, id_number, birth_date, sex, address, title"
		" FROM dossier_parties WHERE dossier_id = ?");
	sqlite3_bind_text(q, 1, dossier_id, -1, SQLITE_STATIC);
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *role = (const char *)sqlite3_column_text(q, 0);
		for (int r = 0; r < PARTY_N; r++) {
			if (!role || strcmp(role, role_ids[r]) || out[r].full_name)
				continue;
			struct party *p = &out[r];
			p->full_name = store_col_text(q, 1);
			p->id_number = store_col_text(q, 2);
			p->birth_date = store_col_text(q, 3);
			const unsigned char *s = sqlite3_column_text(q, 4);
			p->sex = s && (*s == 'M' || *s == 'F') ? (char)*s : 0;
			p->address = store_col_text(q, 5);
			p->title = store_col_text(q, 6);
		}
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE) {
		parties_release(out);
		return rc;
	}
	return SQLITE_OK;
}

void parties_release(struct party p[PARTY_N])
{
	for (int r = 0; r < PARTY_N; r++) {
		free(p[r].full_name);
		free(p[r].id_number);
		free(p[r].birth_date);
		free(p[r].address);
		free(p[r].title);
	}
	memset(p, 0, sizeof(struct party) * PARTY_N);
}
