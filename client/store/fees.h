/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The fees recorded at the counter (table dossier_fees, core/fee.h): written
 * in the reception's transaction (client/services/reception.c) and by the
 * change feed (sync/apply.c), read by the receipt and the closing report.
 * Every statement on dossier_fees is here. */
#ifndef MC_FEES_H
#define MC_FEES_H
#include <stddef.h>

#include "client/store/store.h"
#include "core/fee.h"

struct fee_record {
	enum mc_fee_status status;
	long long amount; /* đồng */
	char *reason;     /* malloc'd; an exemption's, else NULL */
};

/* Records (or replaces) the fee of a dossier, inside the caller's
 * transaction; the values were checked (mc_fee_check). SQLite result code. */
int fees_put(struct store *st, const char *dossier_id, enum mc_fee_status status,
	     long long amount, const char *reason);

/* The fee of a dossier: SQLITE_ROW with out filled, SQLITE_DONE when none
 * was recorded (out->status MC_FEE_NONE), or the SQLite error. */
int fees_get(struct store *st, const char *dossier_id, struct fee_record *out);
void fee_record_release(struct fee_record *r);

/* One line of the closing report: the dossiers one clerk received for one
 * unit on the day, and their fees. */
struct closing_row {
	char *unit_code, *unit_name, *clerk, *clerk_name; /* malloc'd; names may be NULL */
	long received;                 /* dossiers received */
	long collected, exempt, later; /* dossiers by fee status */
	long unrecorded;               /* received without a recorded fee */
	long long collected_amount, later_amount; /* đồng */
};

struct closing {
	char day[11]; /* YYYY-MM-DD */
	struct closing_row *rows; /* by unit, then clerk */
	size_t n;
	struct closing_row total; /* the sums of the rows (names NULL) */
};

/* The closing report of day (YYYY-MM-DD: dossiers whose reception time is
 * on that day), of every clerk or only of clerk (NULL: all). SQLITE_OK, or
 * the SQLite error (out is then empty). */
int fees_closing(struct store *st, const char *day, const char *clerk, struct closing *out);
void closing_release(struct closing *c);

#endif
