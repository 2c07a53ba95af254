/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The rows a new dossier is written as: the store's side of the reception
 * (client/services/reception.c) and of `motcua init --demo`
 * (client/services/demo.c, whose lifecycle steps use action_store.h). The use cases check
 * everything first; these only write, inside the caller's transaction
 * (dossier_tx_begin, client/store/dossier_tx.h), and return an SQLite result
 * code (SQLITE_OK on success). */
#ifndef MC_DOSSIER_WRITE_H
#define MC_DOSSIER_WRITE_H
#include <stdbool.h>
#include <stddef.h>

#include "client/store/store.h"

/* A dossier received at the counter (channel 1, a citizen: applicant_kind 1,
 * rev 1). Borrowed strings; phone, email, address and note may be NULL. */
struct dossier_new {
	const char *id, *code, *procedure_code, *procedure_name, *unit_code, *clerk;
	int status;
	int applicant_kind; /* 0 or 1: a citizen; 2: an organisation (dossier_doc.h) */
	const char *received_at, *appointment;
	const char *applicant_name, *applicant_fold, *id_number, *birth_date;
	char sex; /* 'M' | 'F' */
	const char *phone, *email, *address, *commune_code, *note;
	const char *updated_at;
};

int dossier_insert(struct store *st, const struct dossier_new *d);

/* One component of the dossier as the procedure asks for it and as
 * presented; override_reason may be NULL. */
struct dossier_new_component {
	int seq;
	const char *name, *kind; /* kind: "submit" | "present" */
	bool mandatory;
	int originals_required, copies_required, originals, copies;
	const char *override_reason;
};

/* Inserts the n components of dossier_id, in order; stops at the first
 * failure. */
int dossier_insert_components(struct store *st, const char *dossier_id,
			      const struct dossier_new_component *c, size_t n);

/* How many dossiers the store holds, or -1 when it cannot say. */
long dossier_total(struct store *st);

#endif
