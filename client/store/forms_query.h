/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The unit a printed form speaks for (the forms 02-05 of
 * client/print/forms.h and the ledger of client/store/ledger_query.h): its
 * header as the store knows it, from the settings and the units and
 * communes tables (docs/forms.md). */
#ifndef MC_FORMS_QUERY_H
#define MC_FORMS_QUERY_H
#include "client/store/store.h"

/* The header of a form: the body above the unit and the unit, the place on
 * the date line, where results are returned. Read like the receipt's
 * (docs/forms.md): settings receipt_parent_name, receipt_unit_name,
 * place_name and return_place first; a commune gives "UBND <commune>" and
 * "Trung tâm Phục vụ hành chính công <commune>". Every field is owned, NULL
 * when unknown. */
struct form_unit {
	char *code, *parent_name, *name, *place, *address, *phone, *return_place;
};
void form_unit_load(struct store *st, const char *unit_code, struct form_unit *u);
void form_unit_release(struct form_unit *u);

#endif
