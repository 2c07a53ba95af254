/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Dossier numbering on a workstation that syncs (sync.md "Identity and
 * numbering", docs/sync-client.md).
 *
 * The server leases each workstation blocks [first, last] of sequence
 * numbers per unit identifier (table sync_leases); every block of an
 * identifier comes from one counter, so blocks of two workstations never
 * meet. A block leased for day "*" is usable on every day: the day's codes
 * take the block's numbers in order, the next one being the smallest leased
 * number above the day's last (code_seq.last).
 *
 * With no leased number left, the code still has to be issued (a citizen is
 * at the counter): the fallback takes the day's k-th number of a range of
 * this workstation, 9SSSSKKKK with SSSS = a hash of the device id (0..9999)
 * and KKKK = k (1..9999): a valid code, unique unless two workstations of
 * one unit hash alike (1 in 10,000 per pair), above any number a server
 * leases in practice, and flagged for review (table code_review, and
 * "code_review": true in the dossier sent to the server, which refuses a
 * duplicate code as a conflict: never silently).
 *
 * A workstation that does not sync (no server configured) keeps the plain
 * local numbering 1, 2, 3... of the day: one counter, one workstation. */
#ifndef MC_SYNC_NUMBERING_H
#define MC_SYNC_NUMBERING_H
#include <stdbool.h>
#include <stddef.h>

#include "client/store/store.h"
#include "core/datetime.h"

#define NUMBERING_FALLBACK_BASE 900000000L
#define NUMBERING_FALLBACK_SLOTS 10000L
#define NUMBERING_FALLBACK_PER_DAY 9999L

/* The next free code of unit identifier ident for the day of d, inside the
 * caller's transaction. Returns 0 with the code and *review (numbered
 * without a lease), or -1 with *sqlrc (SQLITE_RANGE: no number left). */
int numbering_next(struct store *st, const char *ident, const struct mc_dt *d, char *code,
		   size_t n, bool *review, int *sqlrc);

/* Records a code numbered without a lease (code_review), in the caller's
 * transaction. SQLite result code. */
int numbering_flag(struct store *st, const char *dossier_id, const char *code, const char *now);

/* A code numbered without a lease, for a person to check (code_review). */
struct numbering_review {
	char *dossier_id, *code, *reason;
};
long numbering_review_count(struct store *st);
/* Rows first .. first + count - 1 of the codes to check, oldest first;
 * returns how many were filled. */
size_t numbering_reviews(struct store *st, size_t first, size_t count,
			 struct numbering_review *rows);
void numbering_review_release(struct numbering_review *r);

/* The device's fallback slot 0..9999 (FNV-1a of its id). */
long numbering_slot(const char *device_id);

/* Leased numbers still unused for ident on the day date ("YYYY-MM-DD"). */
long numbering_free(struct store *st, const char *ident, const char *date);

/* The highest sequence number of ident this workstation knows to be taken
 * (below the fallback range): its leased blocks, its day counters and the
 * codes of the dossiers it holds, its own or pulled. Sent with every lease
 * request ("floor", docs/api.md) so that a server restored from an older
 * dump never leases those numbers again. 0 when none; -1 on a store fault. */
long numbering_high(struct store *st, const char *ident);

/* Stores a leased block (in the caller's transaction); SQLite result code. */
int numbering_add_lease(struct store *st, const char *ident, const char *day, long first,
			long last, const char *now);

#endif
