/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The parties of a dossier beside its applicant row: when the applicant is
 * an organisation, the organisation (its name, its tax code) and the person
 * who represents it; the second party of a procedure that has two (marriage
 * registration). Written in the reception's transaction, read by the
 * receipt. Table dossier_parties (store migration 15 -> 16). */
#ifndef MC_STORE_PARTIES_H
#define MC_STORE_PARTIES_H
#include "client/store/store.h"

enum party_role { PARTY_ORGANISATION, PARTY_REPRESENTATIVE, PARTY_SECOND, PARTY_N };

/* One party; borrowed strings in party_put, owned in party_get's. */
struct party {
	char *full_name;  /* a person's name, or the organisation's */
	char *id_number;  /* a CCCD, or the organisation's tax code */
	char *birth_date; /* YYYY-MM-DD */
	char sex;         /* 'M', 'F' or 0 */
	char *address;
	char *title;      /* a representative's role ("Giám đốc") */
};

/* "organisation", "representative", "second" */
const char *party_role_id(enum party_role r);

/* Writes (or replaces) the dossier's party of role r: SQLITE_OK or an error. */
int parties_put(struct store *st, const char *dossier_id, enum party_role r,
		const struct party *p);

/* Every party of the dossier: out[r] filled for each role it has (full_name
 * NULL for the others). SQLITE_OK or an error; release with
 * parties_release. */
int parties_get(struct store *st, const char *dossier_id, struct party out[PARTY_N]);
void parties_release(struct party p[PARTY_N]);

#endif
