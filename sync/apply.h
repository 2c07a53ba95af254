/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Applying the server's change feed to the local store (docs/api.md
 * "Changes"): dossiers of the units this clerk serves, and reference data:
 * units, procedures, holidays, users (clerks, without passwords).
 *
 * Rules: a dossier with a local operation the server has not accepted yet
 * (outbox state other than 'done') is never overwritten; an older revision
 * never replaces a newer one; a dossier whose code belongs to another local
 * dossier is not applied (the conflict shows on the sync screen). */
#ifndef MC_SYNC_APPLY_H
#define MC_SYNC_APPLY_H
#include "client/store/store.h"
#include "core/dossier_doc.h"
#include "core/syncproto.h"

struct apply_stats {
	long applied;      /* changes written (or already there) */
	long kept_local;   /* dossiers kept: a local change is pending */
	long skipped;      /* malformed or unknown changes, code clashes */
	struct strbuf notes; /* one Vietnamese line per skipped change (capped) */
};

void apply_stats_init(struct apply_stats *s);
void apply_stats_release(struct apply_stats *s);

/* Around the changes of a page (inside its transaction, before it ends):
 * the statements and catalogs of the appliers are prepared once and kept
 * until sync_apply_end, which must come before the store is closed. */
void sync_apply_begin(struct store *st);
void sync_apply_end(void);
/* Whether, between the two, the outbox holds no operation that is not done
 * (checked once at sync_apply_begin). */
bool sync_apply_outbox_idle(struct store *st);

/* Applies one change inside the caller's transaction. Returns SQLITE_OK,
 * or the SQLite error that should roll the page back. */
int sync_apply_change(struct store *st, const struct sync_change *ch, struct apply_stats *s);

/* A procedure's catalog of components in this store (table components),
 * sorted by seq, for the compact dossier (core/dossier_doc.h): empty when
 * the store does not know the procedure. */
struct sync_catalog {
	struct dossier_doc_component *c;
	size_t n;
	char **strs; /* the names and kinds c points at */
};
void sync_catalog_load(struct store *st, const char *procedure_code, struct sync_catalog *k);
void sync_catalog_release(struct sync_catalog *k);

#endif
