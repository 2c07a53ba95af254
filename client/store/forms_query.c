/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The unit a form speaks for: see forms_query.h. */
#include "client/store/forms_query.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "core/text.h"
#include "core/xalloc.h"

/* "Phường Ba Đình" -> "phường Ba Đình" (the first letter lower-cased). */
static char *lower_first(const char *s)
{
	int32_t cp;
	size_t len = strlen(s), k = mc_utf8_next(s, len, &cp);
	char buf[8];
	size_t n = mc_utf8_put(utf8proc_tolower(cp), buf);
	return xasprintf("%.*s%s", (int)n, buf, s + k);
}

static char *setting(struct store *st, const char *key)
{
	char *v = store_get_setting(st, key);
	if (v && !*v)
		FREE(&v);
	return v;
}

void form_unit_load(struct store *st, const char *unit_code, struct form_unit *u)
{
	memset(u, 0, sizeof(*u));
	u->code = unit_code ? xstrdup(unit_code) : NULL;
	sqlite3_stmt *q = store_prepare(st,
		"SELECT u.name, u.kind, u.address, u.phone, c.kind,"
		" (SELECT name FROM units WHERE code = u.parent_code),"
		" (SELECT name FROM provinces WHERE code = u.parent_code)"
		" FROM units u LEFT JOIN communes c ON c.code = u.code WHERE u.code = ?");
	sqlite3_bind_text(q, 1, unit_code ? unit_code : "", -1, SQLITE_STATIC);
	char *name = NULL, *kind = NULL, *commune_kind = NULL, *parent = NULL, *province = NULL;
	if (sqlite3_step(q) == SQLITE_ROW) {
		name = store_col_nonempty(q, 0);
		kind = store_col_nonempty(q, 1);
		u->address = store_col_nonempty(q, 2);
		u->phone = store_col_nonempty(q, 3);
		commune_kind = store_col_nonempty(q, 4);
		parent = store_col_nonempty(q, 5);
		province = store_col_nonempty(q, 6);
	}
	sqlite3_finalize(q);
	/* the unit's own address and phone, when the workstation sets them */
	char *set_address = setting(st, "unit_address"), *set_phone = setting(st, "unit_phone");
	if (set_address) {
		free(u->address);
		u->address = set_address;
	}
	if (set_phone) {
		free(u->phone);
		u->phone = set_phone;
	}
	bool commune = name && kind && !strcmp(kind, "commune");

	u->name = setting(st, "receipt_unit_name");
	if (!u->name && commune) {
		char *low = lower_first(name);
		u->name = xasprintf("Trung tâm Phục vụ hành chính công %s", low);
		free(low);
	} else if (!u->name) {
		u->name = xstrdup(name ? name : unit_code ? unit_code : "");
	}

	u->parent_name = setting(st, "receipt_parent_name");
	if (!u->parent_name && commune)
		u->parent_name = xasprintf("UBND %s", name);
	else if (!u->parent_name && parent)
		u->parent_name = xstrdup(parent);
	else if (!u->parent_name && province)
		u->parent_name = xasprintf("UBND %s", province);

	u->place = setting(st, "place_name");
	if (!u->place && commune) {
		size_t k = commune_kind ? strlen(commune_kind) : 0;
		const char *rest = k && !strncmp(name, commune_kind, k) && name[k] == ' ' ? name + k + 1
											 : name;
		u->place = xstrdup(rest);
	}
	u->return_place = setting(st, "return_place");
	if (!u->return_place)
		u->return_place = xstrdup(u->name);
	free(name);
	free(kind);
	free(commune_kind);
	free(parent);
	free(province);
}

void form_unit_release(struct form_unit *u)
{
	FREE(&u->code);
	FREE(&u->parent_name);
	FREE(&u->name);
	FREE(&u->place);
	FREE(&u->address);
	FREE(&u->phone);
	FREE(&u->return_place);
}
