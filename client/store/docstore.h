/* The citizen's document store (issue 4, docs/documents.md): every digitized
 * paper is one PDF, content-addressed under the store's folder
 * (documents/<sha256>.pdf: the same file is kept once), and one row of the
 * documents table (schema 4 -> 5 in client/store/store.c) with its metadata, its
 * owner's ID number (the dossier applicant's) and its OCR text.
 *
 * Attaching a document to a dossier component sets
 * dossier_components.document_id, and reused = 1 when the document came from
 * the store instead of a new scan; the dossier gets an 'attach' event and an
 * outbox row in the same transaction (client/store/dossier_tx.h, outbox.h).
 * The dossier's rev is not changed: the paper is not one of the dossier's
 * fields.
 *
 * Every function that can fail returns DOCSTORE_REFUSED (the input was
 * refused: unknown dossier, component or document, an expired paper or
 * another person's) or DOCSTORE_FAULT (the disk or the store failed) with a
 * Vietnamese message in err, and changes nothing. */
#ifndef MC_DOCSTORE_H
#define MC_DOCSTORE_H
#include <stdbool.h>

#include <jansson.h>

#include "client/store/store.h"
#include "core/datetime.h"
#include "core/xalloc.h"

enum {
	DOCSTORE_OK = 0,
	DOCSTORE_REFUSED = 1,
	DOCSTORE_NONE = 2, /* nothing to read (docstore_next_ocr_pending) */
	DOCSTORE_FAULT = -1
};

/* A paper's metadata; any field may be NULL. Dates are "YYYY-MM-DD". */
struct doc_meta {
	const char *kind, *title, *number, *issuer, *issued_on, *expires_on;
};

/* "<folder of db_path>/documents" and ".../documents/<sha256>.pdf" (malloc'd). */
char *docstore_dir(const char *db_path);
char *docstore_file(const char *db_path, const char *sha256);

/* Files the finished PDF at tmp_pdf (written in docstore_dir, fsynced) as
 * documents/<sha256>.pdf: renamed there, or removed when that file is
 * already stored. *created tells which (the caller removes a file it created
 * when the row cannot be written). */
int docstore_file_in(const char *db_path, const char *tmp_pdf, const char *sha256,
		     bool *created, struct strbuf *err);

/* Checks that dossier code has component seq; fills dossier_id (37 bytes)
 * when not NULL. */
int docstore_check_component(struct store *st, const char *code, int seq, char dossier_id[37],
			     struct strbuf *err);

/* Inserts a documents row for a PDF already filed (sha256, pages, bytes),
 * owned by the dossier's applicant, with ocr_state 'pending', and attaches
 * it to the component; doc_id gets its id. One transaction. */
int docstore_attach_new(struct store *st, const char *code, int seq, const struct doc_meta *m,
			const char *sha256, int pages, long long bytes, const char *clerk,
			const struct mc_dt *now, char doc_id[37], struct strbuf *err);

/* Attaches the stored document doc_id to the component, reused = 1. Refused
 * when the document is unknown, expired (expires_on before now's date) or
 * not the dossier applicant's. No file is written. */
int docstore_attach_reuse(struct store *st, const char *code, int seq, const char *doc_id,
			  const char *clerk, const struct mc_dt *now, struct strbuf *err);

/* Stores OCR text (made NFC; folded with mc_text_fold for the search) and
 * ocr_state 'done', or ocr_state 'failed' when text is NULL. */
int docstore_set_ocr(struct store *st, const char *doc_id, const char *text, struct strbuf *err);

/* The sha256 of document doc_id (65 bytes). */
int docstore_sha256(struct store *st, const char *doc_id, char sha256[65], struct strbuf *err);

/* The oldest paper whose text is still to be read (ocr_state 'pending',
 * by created_at then id): its id and sha256. DOCSTORE_OK, DOCSTORE_NONE
 * when no paper waits, or DOCSTORE_FAULT. */
int docstore_next_ocr_pending(struct store *st, char id[37], char sha256[65], struct strbuf *err);

/* The dossier whose id, or whose code (any case), is key: its id (37 bytes)
 * and code (malloc'd). DOCSTORE_OK, DOCSTORE_REFUSED when there is none, or
 * DOCSTORE_FAULT. */
int docstore_dossier(struct store *st, const char *key, char id[37], char **code,
		     struct strbuf *err);

/* One component of a dossier with the paper attached to it, if any. */
struct docstore_component {
	int seq;
	char *name;
	bool wanted;    /* mandatory, brought (originals or copies) or digitized */
	bool digitized; /* a paper is attached */
	char *doc_kind, *doc_sha256; /* the paper's; NULL when none (or unknown) */
	int doc_pages;
	long long doc_bytes;
};
struct docstore_components {
	struct docstore_component *v;
	size_t n;
};
void docstore_components_release(struct docstore_components *c);
/* Appends the components of dossier_id, by number. DOCSTORE_OK or
 * DOCSTORE_FAULT (the components read before it stay in out). */
int docstore_components_load(struct store *st, const char *dossier_id,
			     struct docstore_components *out, struct strbuf *err);

/* The documents of ID number owner still valid on today's date (no expiry,
 * or expiring today or later), newest first, as a JSON array of objects:
 * id, kind, title, number, issuer, issued_on, expires_on, sha256, pages,
 * bytes, ocr_state, dossiers: [{code, component, reused}] (the dossiers
 * that use it). *out is a new reference. */
int docstore_list_valid(struct store *st, const char *owner, const struct mc_date *today,
			json_t **out, struct strbuf *err);

#endif
