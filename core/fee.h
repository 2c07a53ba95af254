/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The fee of a dossier as recorded at the counter: collected (the amount
 * paid), exempt (with the reason) or later (to be paid when the result is
 * returned). The one set of rules, used by the reception (client), the
 * dossier document's check (core/dossier_doc.c, so the server applies the
 * same) and the receipt and closing report (the amount in Vietnamese form).
 * Pure code, no I/O. */
#ifndef MC_FEE_H
#define MC_FEE_H
#include <stdbool.h>
#include <stddef.h>

/* The largest amount one dossier may record, in VND (one billion đồng): a
 * typing slip (an extra zero or three) is refused, not booked. */
#define MC_FEE_MAX 1000000000LL
/* Characters of an exemption's reason. */
#define MC_FEE_REASON_MAX 500

enum mc_fee_status {
	MC_FEE_NONE,      /* not recorded (a dossier received before fees were) */
	MC_FEE_COLLECTED, /* "collected": paid at the counter */
	MC_FEE_EXEMPT,    /* "exempt": not due, for the reason given */
	MC_FEE_LATER      /* "later": due, paid when the result is returned */
};

/* "collected", "exempt", "later"; "" for MC_FEE_NONE. */
const char *mc_fee_status_id(enum mc_fee_status s);
/* The status of an id, or MC_FEE_NONE for NULL or an unknown one. */
enum mc_fee_status mc_fee_status_from_id(const char *id);
/* The Vietnamese word: "Đã thu", "Miễn", "Nộp sau". */
const char *mc_fee_status_name(enum mc_fee_status s);

/* The rules of a recorded fee: a known status; an amount from 0 to
 * MC_FEE_MAX; an exemption has a reason (1..MC_FEE_REASON_MAX characters of
 * valid UTF-8, not blank); a reason is only for an exemption. Returns 0, or
 * -1 with a Vietnamese sentence in msg and *field set to "status", "amount"
 * or "reason". */
int mc_fee_check(enum mc_fee_status s, long long amount, const char *reason, char *msg,
		 size_t n, const char **field);

/* "50.000 đồng", "0 đồng" (dots between thousands). */
void mc_fee_format_vnd(long long amount, char *buf, size_t n);

/* What the receipt prints: "50.000 đồng (đã thu)", "Miễn phí: <reason>",
 * "Nộp sau (50.000 đồng)" (malloc'd). */
char *mc_fee_receipt_text(enum mc_fee_status s, long long amount, const char *reason);

#endif
