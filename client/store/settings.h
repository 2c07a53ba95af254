/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The store's side of the workstation's settings (table settings, and the
 * unit rows they point at). Which settings exist, their checks and defaults
 * are client/services/settings.h's table; this file only reads and writes. */
#ifndef MC_STORE_SETTINGS_H
#define MC_STORE_SETTINGS_H
#include <stdbool.h>

#include "client/store/store.h"

/* A receiving unit as the settings see it. */
struct settings_unit {
	char *code, *name, *ident;
	bool in_units;  /* a row of units; false: a commune of the catalog only */
};
/* 0 when code is a unit, or a commune of the catalog (which can become one),
 * 1 when neither. */
int settings_unit_load(struct store *st, const char *code, struct settings_unit *out);
void settings_unit_release(struct settings_unit *u);

/* Writes key = value (value NULL or "": removes the row, the default
 * applies again). 0 or -1 with err. */
int settings_write(struct store *st, const char *key, const char *value, struct strbuf *err);

#endif
