/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A citizen's signed papers held on the server, for the counter of any unit
 * (docs/reuse.md "Across units", docs/api.md "Papers"):
 *
 *	json_t *list;
 *	sync_papers_list(st, "001090012345", "H01.00009-251110-0001", &list, &err);
 *	... pick one; then file it here, same id, to reuse it:
 *	sync_papers_fetch(st, doc_id, "H01.00009-251110-0001", "001090012345", &err);
 *
 * The server decides who may look (the clerk's units receive or handle
 * that dossier of that citizen) and logs each look-up. */
#ifndef MC_SYNC_PAPERS_H
#define MC_SYNC_PAPERS_H
#include <jansson.h>

#include "client/store/store.h"
#include "core/xalloc.h"

enum sync_papers_rc {
	SYNC_PAPERS_OK = 0,
	SYNC_PAPERS_REFUSED = 1, /* the server said no (err: its reason, *code: its wire code) */
	SYNC_PAPERS_OFFLINE = 2, /* no server configured, or no answer: cannot be seen now */
	SYNC_PAPERS_FAULT = -1   /* the store, the disk, or a server fault (5xx, a bad answer) */
};

/* The sentence the counter shows when the server's papers cannot be seen. */
#define SYNC_PAPERS_OFFLINE_TEXT "Không xem được giấy tờ lưu trên máy chủ lúc này (đang ngoại tuyến)"

/* GET /api/v1/papers: the answer's "papers" (a new reference) in *out.
 * code (may be NULL) gets a refusal's wire code (malloc'd). */
int sync_papers_list(struct store *st, const char *id_number, const char *dossier, json_t **out,
		     char **code, struct strbuf *err);

/* GET /api/v1/papers/{doc_id}: the file, checked against the SHA-256 the
 * list gives for it, filed as documents/<sha256>.pdf with the server's id
 * and metadata (docstore_add_remote), owned by id_number. Nothing is
 * stored when the server refuses (expired, unsigned, out of scope) or the
 * bytes are not the listed ones. check (may be NULL) is asked about the
 * filed file before its row is written (the signature's verification, a
 * layer above): non-zero refuses it (err says why, its return is returned),
 * and a file filed by this call is removed again. *code as for
 * sync_papers_list. */
typedef int sync_papers_check_fn(const char *file, void *arg, struct strbuf *err);
int sync_papers_fetch(struct store *st, const char *doc_id, const char *dossier,
		      const char *id_number, sync_papers_check_fn *check, void *arg, char **code,
		      struct strbuf *err);

#endif
