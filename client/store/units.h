/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The units the store knows (receiving and handling units: communes and
 * agencies, table units) and the names the screens show for them. */
#ifndef MC_UNITS_H
#define MC_UNITS_H
#include "client/store/store.h"
#include "core/xalloc.h"

/* The name of unit code (malloc'd), or NULL when the store has no such unit
 * (client/store/lookup.h names communes too). */
char *units_name(struct store *st, const char *code);

/* A unit as the server describes it; kind and parent_code may be NULL. */
struct unit_info {
	const char *code, *name, *ident, *kind, *parent_code;
};
/* Adds the unit or updates the stored one (a NULL kind keeps the stored
 * kind; a new unit is a 'commune'). 0, or -1 with a Vietnamese err. */
int units_save(struct store *st, const struct unit_info *u, struct strbuf *err);

/* The units a supervisor steps through: home (the workstation's unit; may
 * be NULL) first, then every other unit that has dossiers in the store, by
 * code. Returns the one after cur, or the first when cur is the last or not
 * among them (malloc'd); NULL when there is none. */
char *units_next_with_dossiers(struct store *st, const char *home, const char *cur);

#endif
