/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the reception receipt (form 01) of a dossier is printed from, read
 * from the store alone so that a reprint is the same form: the dossier with
 * its applicant's commune, the receiving clerk, the procedure's time and fee,
 * and the components the receipt lists. client/services/reception_receipt.c
 * turns it into the form (client/print/receipt.h). */
#ifndef MC_DOSSIER_RECEIPT_H
#define MC_DOSSIER_RECEIPT_H
#include <stdbool.h>
#include <stddef.h>

#include "client/store/catalog.h"
#include "client/store/store.h"

struct dossier_receipt_component {
	char *name, *kind; /* kind: "submit" | "present" */
	int originals_required, copies_required, originals, copies;
	char *override_reason; /* NULL when none */
	bool reused;           /* a stored paper stands for it */
};

/* Every string malloc'd; NULL when the store has none. */
struct dossier_receipt {
	char *id, *code, *procedure_code, *procedure_name, *unit_code;
	char *received_at, *appointment;
	char *applicant_name, *id_number, *phone, *email, *address;
	char *commune_name, *province_name; /* of the applicant's commune */
	char *clerk, *clerk_name;           /* username; full name (NULL: unknown clerk) */
	/* the procedure's time and fee (time_text .. has_fee_amount only) */
	struct catalog_proc proc;
	/* the components presented, overridden, reused or asked for, by seq */
	struct dossier_receipt_component *components;
	size_t n_components;
};

/* Reads the receipt of the dossier with this code (exact). Returns
 * SQLITE_ROW with out filled, SQLITE_DONE when there is no such dossier, or
 * the SQLite error (out is then empty). */
int dossier_receipt_load(struct store *st, const char *code, struct dossier_receipt *out);
void dossier_receipt_release(struct dossier_receipt *r);

#endif
