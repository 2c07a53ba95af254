/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Names of units, communes and clerks: see lookup.h. */
#include "client/store/lookup.h"

#include <stdlib.h>
#include <string.h>

#include "core/text.h"

int lookup_place(struct store *st, const char *code, char **name)
{
	sqlite3_stmt *q = store_prepare(st,
		"SELECT name FROM units WHERE code = ?1 UNION ALL"
		" SELECT name || ', ' || province_name FROM communes WHERE code = ?1 LIMIT 1");
	sqlite3_bind_text(q, 1, code, -1, SQLITE_STATIC);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		*name = xstrdup((const char *)sqlite3_column_text(q, 0));
	sqlite3_finalize(q);
	return rc;
}

char *lookup_unit_name(struct store *st, const char *code)
{
	sqlite3_stmt *q = store_prepare(st,
		"SELECT name FROM units WHERE code = ?1"
		" UNION ALL SELECT name FROM communes WHERE code = ?1 LIMIT 1");
	sqlite3_bind_text(q, 1, code, -1, SQLITE_STATIC);
	char *name = NULL;
	if (sqlite3_step(q) == SQLITE_ROW)
		name = store_col_text(q, 0);
	sqlite3_finalize(q);
	if (name && !*name)
		FREE(&name);
	return name;
}

bool lookup_unit_exists(struct store *st, const char *code)
{
	sqlite3_stmt *q = store_prepare(st, "SELECT 1 FROM units WHERE code = ?");
	sqlite3_bind_text(q, 1, code, -1, SQLITE_STATIC);
	bool found = sqlite3_step(q) == SQLITE_ROW;
	sqlite3_finalize(q);
	return found;
}

int lookup_commune(struct store *st, const char *code, char **name, char **province)
{
	sqlite3_stmt *q = store_prepare(st, "SELECT name, province_name FROM communes WHERE code = ?");
	sqlite3_bind_text(q, 1, code, -1, SQLITE_STATIC);
	int found = sqlite3_step(q) == SQLITE_ROW;
	if (found) {
		*name = store_col_text(q, 0);
		*province = store_col_text(q, 1);
	}
	sqlite3_finalize(q);
	return found;
}

char *lookup_clerk_name(struct store *st, const char *username)
{
	sqlite3_stmt *q = store_prepare(st, "SELECT full_name FROM clerks WHERE username = ?");
	sqlite3_bind_text(q, 1, username, -1, SQLITE_STATIC);
	char *name = sqlite3_step(q) == SQLITE_ROW ? store_col_text(q, 0) : NULL;
	sqlite3_finalize(q);
	return name;
}

size_t lookup_units_matching(struct store *st, const char *text, struct lookup_unit *out,
			     size_t max)
{
	char *fold = mc_text_fold(text ? text : "");
	size_t n = 0;
	sqlite3_stmt *q = store_prepare(st, "SELECT code, name FROM units ORDER BY name");
	while (n < max && sqlite3_step(q) == SQLITE_ROW) {
		const char *code = (const char *)sqlite3_column_text(q, 0);
		const char *name = (const char *)sqlite3_column_text(q, 1);
		char *nf = mc_text_fold(name ? name : "");
		bool match = !*fold || strstr(nf, fold) || strstr(code, fold);
		free(nf);
		if (!match)
			continue;
		out[n].code = xstrdup(code);
		out[n].name = name ? xstrdup(name) : NULL;
		n++;
	}
	sqlite3_finalize(q);
	free(fold);
	return n;
}

void lookup_units_release(struct lookup_unit *units, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		FREE(&units[i].code);
		FREE(&units[i].name);
	}
}
