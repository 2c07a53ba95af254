/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reuse at reception: the applicant's stored papers still valid,
 * and which of them fit a component of the procedure, for the reception
 * wizard's checklist (screens/reception.c). Attaching one is done by
 * reception_commit through docstore_attach_reuse, in the transaction that
 * writes the dossier (client/services/reception.h, client/store/docstore.h).
 *
 * A paper fits a component (docs/documents.md, "Reuse at reception") when,
 * compared folded (mc_text_fold: lower case, no diacritics, đ -> d; every
 * other character than a letter or a digit read as a space):
 *   1. it is attached to a component of an earlier dossier with the same
 *      name (the same paper asked again: procedures share their wording), or
 *   2. its title ("Giấy chứng sinh"), or its kind ("giay-chung-sinh") when
 *      it has no title, of two words or more, is a run of whole words of the
 *      component's name ("Giấy chứng sinh; trường hợp không có ..."), or
 *   3. the component's own name up to its first ';', ',' or '(' ("Giấy khai
 *      sinh"), of two words or more, is a run of whole words of the paper's
 *      title ("Giấy khai sinh của Nguyễn Văn An").
 * A kind or title of one word ("other", "cccd") matches by rule 1 only.
 *
 * Before the rules, the paper's type (core/papertype.h): a paper of a known
 * type and a component that names types fit exactly when the paper's type
 * is one of them ("Một trong các giấy tờ sau: Căn cước điện tử; ... Hộ
 * chiếu ..." takes a stored CCCD or passport, never a birth certificate);
 * the rules above decide only when either has no type. */
#ifndef MC_REUSE_H
#define MC_REUSE_H
#include <stdbool.h>
#include <stddef.h>

#include "client/store/store.h"
#include "core/datetime.h"
#include "core/xalloc.h"

struct reuse_paper {
	char *id, *kind, *title, *number, *issuer; /* title .. issuer may be NULL */
	char *issued_on, *expires_on;              /* "YYYY-MM-DD" or NULL */
	int pages;
	char *paper_type;                          /* a code of core/papertype.h, or NULL */
	char *signer, *signed_at;                  /* the signature motcua added, or NULL */
	bool is_result;                            /* a dossier's result */
	char *kind_fold, *title_fold;              /* normalized as above ("" when none) */
	char **used;                               /* normalized names of the components */
	size_t n_used;                             /* that use it */
};

struct reuse_papers {
	char *owner;              /* the ID number they were read for */
	struct reuse_paper *items; /* newest first */
	size_t n;
};

/* The papers of ID number owner still valid on today (no expiry, or
 * expiring today or later), newest first: the set docstore_list_valid
 * gives. Returns 0, or -1 with a Vietnamese message (the store failed). */
int reuse_load(struct store *st, const char *owner, const struct mc_date *today,
	       struct reuse_papers *out, struct strbuf *err);
void reuse_papers_release(struct reuse_papers *p);

/* The owner (ID number) and expiry ("YYYY-MM-DD", NULL: none) of the stored
 * paper id, as the reception checks a paper reused before its transaction
 * (malloc'd). Returns SQLITE_ROW, SQLITE_DONE when there is no such paper,
 * or the SQLite error; *owner and *expires_on are NULL but for SQLITE_ROW. */
int reuse_paper_owner(struct store *st, const char *id, char **owner, char **expires_on);

/* Whether paper p fits the component named component_name (rules above). */
bool reuse_matches(const struct reuse_paper *p, const char *component_name);

/* The paper in one line for the clerk: "[CCCD] Giấy chứng sinh · số 0123 ·
 * cấp 24/10/2025 · hạn đến 24/10/2030 · ký số: Nguyễn Văn An" (malloc'd);
 * the type's code first when it has one, the title, else the kind. */
char *reuse_label(const struct reuse_paper *p);

/* s folded and normalized as the rules compare (malloc'd); exposed for the
 * tests. */
char *reuse_normalize(const char *s);

#endif
