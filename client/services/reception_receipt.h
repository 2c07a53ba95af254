/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The reception receipt (form 01) of a dossier: built from the store alone,
 * so that a reprint is the same form, written as a PDF next to the store and
 * sent to the configured printer.
 *
 * Writing and printing are slow side effects (pango lays the form out, `lp`
 * may wait for CUPS), so they never run inside the reception's transaction,
 * and the TUI runs them off the main thread (docs/hacking.md, "Side effects
 * and workers"):
 *
 *	struct reception_receipt r;
 *	reception_receipt_prepare(st, code, RECEIPT_WRITE | RECEIPT_PRINT, &r);
 *	... on any thread, the store untouched:
 *	reception_receipt_write(&r);
 *	reception_receipt_print(&r);
 *	... r.written, r.error, r.printed, r.print_error say what happened
 *	reception_receipt_release(&r);
 */
#ifndef MC_RECEPTION_RECEIPT_H
#define MC_RECEPTION_RECEIPT_H
#include <stdbool.h>

#include "client/store/store.h"
#include "core/dcode.h"

enum reception_receipt_steps {
	RECEIPT_WRITE = 1 << 0, /* write the PDF at path */
	RECEIPT_PRINT = 1 << 1  /* send path to the printer, when one is set */
};

struct receipt_content;

struct reception_receipt {
	char code[MC_DCODE_MAX];
	unsigned steps;
	char *dir;     /* the receipts folder next to the store */
	char *path;    /* <dir>/<code>.pdf */
	char *printer; /* the setting "printer"; NULL when blank (no printing) */
	struct receipt_content *content; /* what the form says (RECEIPT_WRITE) */

	/* what happened: set by write and print */
	bool written;      /* path holds the receipt */
	char *error;       /* why it was not written (nothing is printed then) */
	bool printed;      /* lp accepted it */
	char *print_error; /* why the printer refused */
};

/* Reads everything the steps need for the dossier with this code: the form's
 * content (RECEIPT_WRITE), the path and the printer. Runs where the store may
 * be used (the main thread); fast, writes nothing. A dossier that cannot be
 * read is not an error yet: write reports it. */
void reception_receipt_prepare(struct store *st, const char *code, unsigned steps,
			       struct reception_receipt *r);
/* RECEIPT_WRITE: creates the folder and writes the PDF (atomically). No
 * store; any thread. */
void reception_receipt_write(struct reception_receipt *r);
/* RECEIPT_PRINT with a printer set: `lp` (client/print/print.h), once the PDF
 * is written when RECEIPT_WRITE was asked too. No store; any thread. */
void reception_receipt_print(struct reception_receipt *r);
void reception_receipt_release(struct reception_receipt *r);

/* Writes the receipt PDF of an existing dossier at path, here and now.
 * Returns 0, 1 when there is no dossier with that code (err says so), or -1
 * with err when the PDF could not be written. */
int reception_write_receipt(struct store *st, const char *code, const char *path,
			    struct strbuf *err);

/* The folder for receipts next to the store: <dir of db>/receipts (malloc'd). */
char *reception_receipt_dir(struct store *st);

/* The QR code's lookup URL of a dossier: setting lookup_url (default
 * RECEPTION_LOOKUP_URL) followed by the code (malloc'd). */
#define RECEPTION_LOOKUP_URL "http://127.0.0.1:8080/api/v1/lookup/"
char *reception_lookup_url(struct store *st, const char *code);

#endif
