/* The rows a new dossier is written as, and the plain status step of the
 * demo data: the store's side of the reception (client/services/reception.c)
 * and of `motcua init --demo` (client/services/demo.c). The use cases check
 * everything first; these only write, inside the caller's transaction
 * (dossier_tx_begin, client/store/dossier_tx.h), and return an SQLite result
 * code (SQLITE_OK on success). */
#ifndef MC_DOSSIER_WRITE_H
#define MC_DOSSIER_WRITE_H
#include <stdbool.h>
#include <stddef.h>

#include "client/store/store.h"
#include "core/dcode.h"

/* A dossier received at the counter (channel 1, a citizen: applicant_kind 1,
 * rev 1). Borrowed strings; phone, email, address and note may be NULL. */
struct dossier_new {
	const char *id, *code, *procedure_code, *procedure_name, *unit_code, *clerk;
	int status;
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

/* What a change of a dossier is made on. */
struct dossier_head {
	int status;
	long long rev;
	char code[MC_DCODE_MAX];
};

/* The head of the dossier with this id: SQLITE_ROW, SQLITE_DONE when there
 * is none, or the SQLite error. */
int dossier_head_get(struct store *st, const char *id, struct dossier_head *h);

/* Sets the status of dossier id at time at ("YYYY-MM-DDTHH:MM"): rev + 1,
 * updated_at = at, and finished_at = at when the status is 9 (the result is
 * ready: the processing time stops there). */
int dossier_set_status(struct store *st, const char *id, int status, const char *at);

/* How many dossiers the store holds, or -1 when it cannot say. */
long dossier_total(struct store *st);

#endif
