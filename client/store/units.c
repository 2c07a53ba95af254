/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The units and their names: see client/store/units.h. */
#include "client/store/units.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

char *units_name(struct store *st, const char *code)
{
	sqlite3_stmt *q = store_prepare(st, "SELECT name FROM units WHERE code = ?1");
	sqlite3_bind_text(q, 1, code, -1, SQLITE_STATIC);
	char *name = NULL;
	if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0))
		name = xstrdup((const char *)sqlite3_column_text(q, 0));
	sqlite3_finalize(q);
	return name;
}

int units_save(struct store *st, const struct unit_info *u, struct strbuf *err)
{
	sqlite3_stmt *q = store_prepare(st, "INSERT INTO units(code, name, ident, kind, parent_code)"
					    " VALUES (?1, ?2, ?3, coalesce(?4, 'commune'), ?5)"
					    " ON CONFLICT(code) DO UPDATE SET name = ?2, ident = ?3,"
					    " kind = coalesce(?4, kind), parent_code = ?5");
	const char *v[] = { u->code, u->name, u->ident, u->kind, u->parent_code };
	for (int i = 0; i < 5; i++)
		sqlite3_bind_text(q, i + 1, v[i], -1, SQLITE_STATIC); /* NULL binds NULL */
	int rc = sqlite3_step(q);
	sqlite3_finalize(q);
	if (rc == SQLITE_DONE)
		return 0;
	strbuf_addf(err, "không lưu được đơn vị %s: %s", u->code ? u->code : "",
		    store_errmsg_vn(rc));
	return -1;
}

char *units_next_with_dossiers(struct store *st, const char *home, const char *cur)
{
	sqlite3_stmt *q = store_prepare(st,
		"SELECT u FROM (SELECT ?1 AS u UNION SELECT DISTINCT unit_code FROM"
		" dossier_status_counts WHERE n > 0) WHERE u IS NOT NULL"
		" ORDER BY u <> ?1, u");
	sqlite3_bind_text(q, 1, home, -1, SQLITE_STATIC);
	char *first = NULL, *next = NULL;
	bool after = false;
	while (sqlite3_step(q) == SQLITE_ROW) {
		const char *u = (const char *)sqlite3_column_text(q, 0);
		if (!first)
			first = xstrdup(u);
		if (after) {
			next = xstrdup(u);
			break;
		}
		after = cur && !strcmp(u, cur);
	}
	sqlite3_finalize(q);
	if (!next)
		return first;
	free(first);
	return next;
}
