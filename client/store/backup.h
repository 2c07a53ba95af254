/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copies of the store: an online backup through SQLite's backup API (the
 * TUI may go on working meanwhile), its check, and a restore that keeps what
 * the workstation must never step back on (its dossier numbering and its
 * identity towards the server). */
#ifndef MC_STORE_BACKUP_H
#define MC_STORE_BACKUP_H
#include <stdbool.h>

#include "client/base/progress.h"
#include "client/store/store.h"

/* What a store file holds, read without changing it (no migration). */
struct store_probe {
	int schema;        /* PRAGMA user_version */
	bool intact;       /* PRAGMA quick_check said ok */
	char *problem;     /* quick_check's first lines when not intact */
	char *unit_code;   /* setting unit_code, or NULL */
	char *unit_ident;
	long dossiers;     /* -1 when unreadable */
	long unsent;       /* outbox operations not yet sent (pending or sending) */
};
/* Reads path read-only. 0, or -1 with err when it is not a motcua store
 * (missing, not SQLite, no settings table, a newer schema than this build). */
int store_probe_file(const char *path, struct store_probe *out, struct strbuf *err);
void store_probe_release(struct store_probe *p);

/* PRAGMA quick_check on an open store: 0 when ok, -1 with its first lines. */
int store_quick_check(struct store *st, struct strbuf *err);
/* Dossiers and unsent outbox operations of an open store (-1 on a fault). */
long store_count_dossiers(struct store *st);
long store_count_unsent(struct store *st);
/* Of st's unsent operations, how many the store file copy_path does not
 * hold at all (what a restore of that copy would lose); -1 on a fault. */
long store_count_unsent_missing(struct store *st, const char *copy_path);

/* Writes a copy of st to path (which must not exist; made 0600) from one
 * read snapshot, page by page (progress counts pages, may be NULL), as a
 * file with a rollback journal (self-contained), then opens the copy and
 * checks it (quick_check, the same dossier count) before it takes the name
 * path. *dossiers gets the count. -1 with err; nothing left at path then. */
int store_backup(struct store *st, const char *path, struct progress *progress, long *dossiers,
		 struct strbuf *err);

/* Replaces the contents of st (opened STORE_EXCLUSIVE) with the store file
 * src, then carries over from what st held: the day counters of dossier
 * numbers, the codes numbered without a lease and the leased blocks (a
 * number once given is never given again), and the workstation's identity
 * towards the server (device id and name, server, user, token, CA). An older
 * copy is migrated first. -1 with err. */
int store_restore(struct store *st, const char *src, struct progress *progress,
		  struct strbuf *err);

#endif
