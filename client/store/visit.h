/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Counter visits that end without a received dossier (docs/reception.md
 * "Từ chối, hướng dẫn tại quầy"): the clerk refuses the request with form
 * 03 (the reasons) or guides the citizen with form 02 (the papers to add).
 * No dossier code, no ledger number: a row of the visits table (this file
 * owns it; the schema is client/store/store.c's), written in ONE
 * transaction with its event (events.dossier_id is the visit's id, kind
 * "visit-refuse" or "visit-guide") and its outbox row (entity "visit", op
 * "record": docs/api.md). */
#ifndef MC_STORE_VISIT_H
#define MC_STORE_VISIT_H
#include <stddef.h>

#include <jansson.h>

#include "client/store/store.h"

enum visit_kind { VISIT_REFUSE = 1, VISIT_GUIDE = 2 };

/* "refuse" | "guide", and back (0 when unknown). */
const char *visit_kind_id(enum visit_kind k);
enum visit_kind visit_kind_from_id(const char *id);

struct visit {
	char id[37];
	long long seq;                /* the row's number in this store: 1, 2... */
	enum visit_kind kind;
	char *procedure_code, *procedure_name;
	char *unit_code, *clerk;
	char at[20];                  /* "YYYY-MM-DDTHH:MM" (device time) */
	char *applicant_name, *id_number, *birth_date, *sex;
	char *phone, *email, *address, *commune_code; /* NULL when not given */
	json_t *items;                /* the reasons (refuse) or papers (guide): strings */
	char *note;                   /* NULL when none */
};
void visit_release(struct visit *v);

/* The visit document, as the outbox carries it and the server stores it
 * (docs/api.md "Operation visit / record"): id, kind, procedure_code,
 * procedure_name, unit_code, clerk, at, applicant {full_name, id_number,
 * birth_date, sex, phone?, email?, address?, commune?}, items, note?.
 * New reference. */
json_t *visit_encode(const struct visit *v);

/* In one transaction (a savepoint inside the caller's): the visit's row
 * (v->seq set), its event (event_id) and its outbox row (op_id), queued at
 * v->at.
 * Returns an SQLite result code; nothing written unless SQLITE_OK. */
int visit_insert(struct store *st, struct visit *v, const char *event_id, const char *op_id);

/* The visit with this id into v. 1 found, 0 not, -1 on a store fault. */
int visit_get(struct store *st, const char *id, struct visit *v);

/* Visits of unit_code (all units when NULL) whose time falls in
 * [from, to) ("YYYY-MM-DD..." strings compared as text; NULL: unbounded):
 * refused and guided. Returns 0, or -1 on a store fault. */
struct visit_counts {
	long refused, guided;
};
int visit_count(struct store *st, const char *unit_code, const char *from, const char *to,
		struct visit_counts *c);
/* The same for one clerk too (NULL: any). */
int visit_count_clerk(struct store *st, const char *unit_code, const char *clerk,
		      const char *from, const char *to, struct visit_counts *c);

#endif
