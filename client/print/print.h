/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Printing through CUPS: `lp -d PRINTER -- FILE`. The printer name comes from
 * the store setting "printer"; an empty setting means no printing, and the
 * caller does not call print_pdf at all. */
#ifndef MC_PRINT_H
#define MC_PRINT_H
#include "core/datetime.h"
#include "core/xalloc.h"

/* Sends path to printer with lp (fork + execvp, no shell; lp's own output is
 * discarded). Returns 0 once lp accepted the job, or -1 with a Vietnamese
 * message in err: bad printer name, lp not installed, lp refused (its error
 * is quoted). */
int print_pdf(const char *printer, const char *path, struct strbuf *err);

#endif

/* Whether CUPS knows printer, asked with lpstat (LC_ALL=C): 0 it does, 1 it
 * does not (err lists the printers it knows), -1 CUPS cannot be asked (lp
 * tools missing, the scheduler not running), with err. */
int print_printer_check(const char *printer, struct strbuf *err);

/* The printers CUPS knows, one "NAME" per line in out (lpstat -e), or -1
 * with err as for print_printer_check. */
int print_printer_list(struct strbuf *out, struct strbuf *err);

/* The test page: one A4 page with the unit's header, a Vietnamese pangram,
 * the time it was made and a QR code of qr_text; written atomically to
 * path. -1 with err. */
struct print_test_page {
	const char *parent_name, *unit_name; /* the header; NULL: blank */
	const char *place;                   /* on the date line; NULL: blank */
	const char *address, *phone;         /* may be NULL */
	const char *printer;                 /* NULL: none set */
	const char *qr_text;                 /* the lookup address the receipts use */
	const struct mc_dt *when;
};
int print_test_page_pdf(const struct print_test_page *t, const char *path, struct strbuf *err);
