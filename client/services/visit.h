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
#include <stdbool.h>

#include "client/services/reception.h"
#include "client/store/store.h"
#include "client/store/visit.h"
#include "core/datetime.h"

#define VISIT_ITEMS_MAX 30 /* reasons or papers */

struct visit_result {
	char id[37];
	long long seq; /* the visit's number in this store (its form's file name) */
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

/* The visit's form after the commit, as the receipt's
 * (client/services/reception_receipt.h): prepared from the store on its
 * thread, then written and printed anywhere without it (a TUI job).
 *
 *	struct visit_form f;
 *	visit_form_prepare(st, &res, VISIT_FORM_WRITE | VISIT_FORM_PRINT, &f);
 *	visit_form_write(&f);   (any thread)
 *	visit_form_print(&f);   (any thread)
 *	... f.written, f.error, f.printed, f.print_error
 *	visit_form_release(&f);
 *
 * The file: <dir of the store>/receipts/visit-<seq>-03.pdf (02 for a
 * guidance). */
enum { VISIT_FORM_WRITE = 1 << 0, VISIT_FORM_PRINT = 1 << 1 };
struct form_visit;
struct visit_form {
	unsigned steps;
	char *dir, *path;
	char *printer;               /* NULL: none set */
	struct form_visit *content;  /* VISIT_FORM_WRITE */
	bool written;
	char *error;                 /* why it was not written */
	bool printed;
	char *print_error;
};
void visit_form_prepare(struct store *st, const struct visit_result *res, unsigned steps,
			struct visit_form *f);
void visit_form_write(struct visit_form *f);
void visit_form_print(struct visit_form *f);
void visit_form_release(struct visit_form *f);

#endif
