/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "client/store/settings.h"

#include <stdlib.h>
#include <string.h>

void settings_unit_release(struct settings_unit *u)
{
	FREE(&u->code);
	FREE(&u->name);
	FREE(&u->ident);
}

int settings_unit_load(struct store *st, const char *code, struct settings_unit *out)
{
	memset(out, 0, sizeof(*out));
	sqlite3_stmt *q = store_prepare(st, "SELECT code, name, ident, 1 FROM units WHERE code = ?1"
					    " UNION ALL SELECT code, name, NULL, 0 FROM communes"
					    " WHERE code = ?1 LIMIT 1");
	sqlite3_bind_text(q, 1, code, -1, SQLITE_STATIC);
	int rc = 1;
	if (sqlite3_step(q) == SQLITE_ROW) {
		out->code = store_col_text(q, 0);
		out->name = store_col_text(q, 1);
		out->ident = store_col_text(q, 2);
		out->in_units = sqlite3_column_int(q, 3) != 0;
		rc = 0;
	}
	sqlite3_finalize(q);
	return rc;
}

int settings_write(struct store *st, const char *key, const char *value, struct strbuf *err)
{
	sqlite3_stmt *q;
	if (!value || !*value) {
		q = store_prepare(st, "DELETE FROM settings WHERE key = ?");
		sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
	} else {
		q = store_prepare(st, "INSERT INTO settings(key, value) VALUES (?, ?)"
				      " ON CONFLICT(key) DO UPDATE SET value = excluded.value");
		sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 2, value, -1, SQLITE_STATIC);
	}
	int rc = sqlite3_step(q);
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE) {
		strbuf_addf(err, "không ghi được cài đặt %s: %s", key, store_errmsg_vn(rc));
		return -1;
	}
	return 0;
}
