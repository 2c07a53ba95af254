/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The citizen known by their ID number (person.h). */
#include "client/store/person.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

void person_release(struct person *p)
{
	free(p->id_number);
	free(p->full_name);
	free(p->birth_date);
	free(p->sex);
	free(p->phone);
	free(p->email);
	free(p->address);
	free(p->commune_code);
	memset(p, 0, sizeof(*p));
}

int person_lookup(struct store *st, const char *id, struct person *p)
{
	memset(p, 0, sizeof(*p));
	if (!id || !*id)
		return 0;
	sqlite3_stmt *q = store_prepare(
		st, "SELECT applicant_name, birth_date, sex, phone, email, address, commune_code,"
		    " received_at, (SELECT count(*) FROM dossiers WHERE id_number = ?1)"
		    " FROM dossiers INDEXED BY dossiers_idnum WHERE id_number = ?1"
		    " ORDER BY received_at DESC, rowid DESC LIMIT 1");
	sqlite3_bind_text(q, 1, id, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(q);
	int found = 0;
	if (rc == SQLITE_ROW) {
		p->id_number = xstrdup(id);
		p->full_name = store_col_nonempty(q, 0);
		p->birth_date = store_col_nonempty(q, 1);
		p->sex = store_col_nonempty(q, 2);
		p->phone = store_col_nonempty(q, 3);
		p->email = store_col_nonempty(q, 4);
		p->address = store_col_nonempty(q, 5);
		p->commune_code = store_col_nonempty(q, 6);
		const unsigned char *r = sqlite3_column_text(q, 7);
		snprintf(p->last_received, sizeof(p->last_received), "%s", r ? (const char *)r : "");
		p->dossiers = sqlite3_column_int(q, 8);
		found = 1;
	} else if (rc != SQLITE_DONE) {
		found = -1;
	}
	sqlite3_finalize(q);
	return found;
}
