/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The ledger's rows (sổ theo dõi hồ sơ, form 06 of the forms; Mẫu số 06 of
 * Circular 01/2018/TT-VPCP, 07 of Circular 03/2025/TT-VPCP): the dossiers a
 * unit received in a day, a month or a year, each with the dates and the
 * note its events give. client/print/ledger.h prints them as a PDF or a CSV.
 *
 * Numbering: one book per receiving unit and year. A dossier gets the next
 * number of its book when it is written as received (a trigger of store
 * migration 3 -> 4, table ledger_numbers), so numbers run on across days and
 * restarts and never change once printed (docs/forms.md). */
#ifndef MC_LEDGER_QUERY_H
#define MC_LEDGER_QUERY_H
#include <stddef.h>

#include "client/store/forms_query.h"
#include "client/store/store.h"

struct ledger_row {
	int no;                       /* number in the year's book */
	char *code, *procedure, *applicant, *address_phone;
	char *handling;               /* the unit handling it (cơ quan chủ trì) */
	int n_sets;                   /* số lượng hồ sơ (bộ) */
	char received_at[17], appointment[17]; /* "YYYY-MM-DDTHH:MM" */
	char transferred_at[17], result_at[17], returned_at[17]; /* "" when none */
	char *recipient;              /* who received the result; NULL when none */
	char *note;                   /* ghi chú; NULL when none */
};

struct ledger {
	char *unit_code;
	int year;
	char from[11], to[11];        /* "YYYY-MM-DD", both included */
	struct form_unit unit;
	struct ledger_row *rows;      /* by number */
	size_t n;
	/* visits of the unit in the range that ended without a received dossier
	 * (client/store/visit.h): no row, no number; counted under the book */
	long refused, guided;
};

/* Reads a range: FROM and TO are "YYYY-MM-DD", "YYYY-MM" or "YYYY"; FROM
 * starts at its first day, TO ends at its last; TO NULL or "" means FROM's
 * own period (a day, a month, a year). Both in one year (the book is yearly)
 * and FROM <= TO. Returns 0, or -1 with a Vietnamese message. */
int ledger_parse_range(const char *from, const char *to, char out_from[11], char out_to[11],
		       struct strbuf *err);

/* Loads the ledger of unit_code (NULL: the workstation's, setting unit_code)
 * for dossiers received from..to (as ledger_parse_range reads them). Returns
 * 0; 1 for bad input (range, unknown unit: err says why, the CLI exits 2);
 * -1 when the store failed. */
int ledger_load(struct store *st, const char *unit_code, const char *from, const char *to,
		struct ledger *lg, struct strbuf *err);
void ledger_release(struct ledger *lg);

/* The book and number of a dossier for the receipt's "Vào Sổ theo dõi hồ
 * sơ, Quyển số: 01/2025, Số thứ tự: 0361": book "01/YYYY", number "%04d".
 * Returns 1 found, 0 when the dossier has no number (not received), -1 on
 * a store failure. */
int ledger_number_of(struct store *st, const char *code, char book[16], char number[16]);

#endif
