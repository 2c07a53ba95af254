/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The citizen known by their ID number: what the store already holds about
 * a person who applied here before, so the reception wizard fills the
 * applicant page from the CCCD alone (screens/reception.c) and shows their
 * earlier dossiers. Read only; the latest dossier of that number wins. */
#ifndef MC_PERSON_H
#define MC_PERSON_H
#include <stddef.h>

#include "client/store/store.h"

struct person {
	char *id_number;
	char *full_name, *birth_date, *sex; /* birth_date "YYYY-MM-DD", sex "M" | "F" */
	char *phone, *email, *address, *commune_code; /* NULL when never given */
	int dossiers;                 /* how many dossiers of this number the store holds */
	char last_received[17];       /* "YYYY-MM-DDTHH:MM" of the latest one */
};

void person_release(struct person *p);

/* Fills p from the latest dossier whose id_number is id. Returns 1 when
 * found, 0 when the store has none (p zeroed), -1 on a store fault. */
int person_lookup(struct store *st, const char *id, struct person *p);

#endif
