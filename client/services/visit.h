/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A counter visit that ends without a received dossier (docs/reception.md
 * "Từ chối, hướng dẫn tại quầy"): the clerk refuses the request, with the
 * reasons (form 03), or guides the citizen, with the papers to add (form
 * 02). The one piece of code behind the reception wizard's keys
 * (screens/reception.c) and `motcua refuse` / `motcua guide`
 * (client/cli/visit.c). The input is the reception's (the procedure and the
 * applicant, checked as a reception checks them; the papers are not); the
 * visit is ONE transaction (client/store/visit.h): its row, its event and
 * its outbox row, no dossier code, no ledger number. The form is written
 * after the commit, like the receipt: visit_form_write here and now (the
 * CLI), or form_visit_load / form_visit_render in a job (the TUI). */
#ifndef MC_SERVICES_VISIT_H
#define MC_SERVICES_VISIT_H

#include "client/services/reception.h"
#include "client/store/store.h"
#include "client/store/visit.h"
#include "core/datetime.h"

#define VISIT_ITEMS_MAX 30 /* reasons or papers */

struct visit_result {
	char id[37];
	char at[20];
	enum visit_kind kind;
};

/* items: the reasons (refuse) or the papers to add (guide), "a; b; c" or
 * one a line, at least one, each at most RECEPTION_TEXT_MAX characters.
 * Returns 0 with res; -1 with err (RF_STORE: a store fault, nothing
 * written either way). */
int visit_record(struct store *st, const struct reception_input *in, enum visit_kind kind,
		 const char *items, const char *clerk, const struct mc_dt *now,
		 struct visit_result *res, struct reception_error *err);

/* Where the visit's form is kept: <dir of the store>/receipts/
 * visit-<id>-0<form>.pdf (malloc'd). */
char *visit_form_path(struct store *st, const struct visit_result *res);

/* Writes the visit's form at path. 0, or -1 with err. */
int visit_form_write(struct store *st, const char *id, const char *path, struct strbuf *err);

#endif
