/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The citizen's document store (docs/documents.md): every digitized
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

/* A paper's metadata; any field may be NULL. Dates are "YYYY-MM-DD".
 * paper_type: a code of core/papertype.h; signer, signed_at: the digital
 * signature motcua added as it filed the paper (client/sign/sign.h), kept
 * in document_papers (docs/reuse.md). */
struct doc_meta {
	const char *kind, *title, *number, *issuer, *issued_on, *expires_on;
	const char *paper_type, *signer, *signed_at;
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

/* The applicant's ID number of dossier code and the code as stored (both
 * malloc'd); refused when the dossier is unknown or has no ID number. */
int docstore_applicant(struct store *st, const char *code, char **id_number, char **dcode,
		       struct strbuf *err);

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
 * when the document is unknown, expired (expires_on before now's date), not
 * the dossier applicant's, or of a paper type the component does not accept
 * (core/papertype.h). No file is written. */
int docstore_attach_reuse(struct store *st, const char *code, int seq, const char *doc_id,
			  const char *clerk, const struct mc_dt *now, struct strbuf *err);

/* A paper fetched from the server for reuse (sync/papers.h): its file is
 * already documents/<sha256>.pdf; its documents row (the server's id and
 * metadata, owned by owner) and document_papers row are written in one
 * transaction (the caller tells the file queue that the server holds it).
 * A row of that id already here is kept when it names the same file
 * (DOCSTORE_OK), refused otherwise. p: the server's paper (docs/api.md). */
int docstore_add_remote(struct store *st, const json_t *p, const char *owner, const char *at,
			struct strbuf *err);

/* Inside the caller's transaction (the 'result-ready' action): a documents
 * row for the result's PDF already filed (is_result = 1, owned by the
 * dossier's applicant, so that it is reused like any paper), its
 * document_papers row, and the dossier's result_document_id. doc_id gets
 * its id. Returns an SQLite code (SQLITE_NOTFOUND: no dossier dossier_id). */
int docstore_add_result(struct store *st, const char *dossier_id, const struct doc_meta *m,
			const char *sha256, int pages, long long bytes, const char *clerk,
			const char *at, char doc_id[37]);

/* Stores OCR text (made NFC; folded with mc_text_fold for the search) and
 * ocr_state 'done', or ocr_state 'failed' when text is NULL. */
int docstore_set_ocr(struct store *st, const char *doc_id, const char *text, struct strbuf *err);

/* The OCR worker, page by page: the text read so far (pages separated by
 * form feeds; made NFC and folded, so the search finds the paper by it at
 * once) and the state, "pending" while pages are still to read, then
 * "done", or "failed" when a page could not be read (text then holds the
 * pages that were). Only a paper still pending is written: another
 * process that read it first is not undone. */
int docstore_set_ocr_progress(struct store *st, const char *doc_id, const char *text,
			      const char *state, struct strbuf *err);

/* A paper waiting for its text. */
struct docstore_ocr_todo {
	char id[37];
	char sha256[65];
};
/* The papers whose text is still to read (ocr_state 'pending'), oldest
 * first (created_at, then id), at most max of them, into out (malloc'd,
 * *n of them; NULL when none). */
int docstore_ocr_pending(struct store *st, size_t max, struct docstore_ocr_todo **out, size_t *n,
			 struct strbuf *err);

/* The sha256 of document doc_id (65 bytes). */
int docstore_sha256(struct store *st, const char *doc_id, char sha256[65], struct strbuf *err);

/* Who signed document doc_id as motcua filed it (*signer malloc'd), or
 * NULL when it was filed unsigned. */
int docstore_signer(struct store *st, const char *doc_id, char **signer, struct strbuf *err);

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
 * bytes, ocr_state, then paper_type, signer, signed_at and is_result (true)
 * when set,
 * dossiers: [{code, component, reused}] (the dossiers
 * that use it). *out is a new reference. */
int docstore_list_valid(struct store *st, const char *owner, const struct mc_date *today,
			json_t **out, struct strbuf *err);

#endif
