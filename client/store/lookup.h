/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Names of the codes a dossier carries, read from the reference tables
 * (units, communes) and the clerks: what the dossier screen, the forms and
 * the dossier actions show for a unit, a commune or a clerk. Every string
 * returned is malloc'd. */
#ifndef MC_LOOKUP_H
#define MC_LOOKUP_H
#include <stdbool.h>
#include <stddef.h>

#include "client/store/store.h"

/* A unit's name, else a commune's "name, province" ("Phường Ngọc Hà, Thành
 * phố Hà Nội"). Returns SQLITE_ROW with *name set, SQLITE_DONE when code is
 * neither (*name untouched), or the SQLite error. */
int lookup_place(struct store *st, const char *code, char **name);

/* A unit's name, else a commune's name alone; NULL when code is neither
 * (or the name is empty). */
char *lookup_unit_name(struct store *st, const char *code);

/* Whether the units table has code (a unit that may receive dossiers). */
bool lookup_unit_exists(struct store *st, const char *code);

/* A commune's name and its province's name. Returns 1 with both set, 0 when
 * there is no such commune (or the store failed). */
int lookup_commune(struct store *st, const char *code, char **name, char **province);

/* A clerk's full name as stored; NULL when there is no such clerk. */
char *lookup_clerk_name(struct store *st, const char *username);

/* A unit of the units table (agencies and communes with a counter). */
struct lookup_unit {
	char *code, *name;
};
/* Fills out with up to max units, by name, whose folded name
 * (mc_text_fold) or code contains the folded text (every unit for ""
 * or NULL). Returns how many; each owns its strings (lookup_units_release). */
size_t lookup_units_matching(struct store *st, const char *text, struct lookup_unit *out,
			     size_t max);
void lookup_units_release(struct lookup_unit *units, size_t n);

#endif
