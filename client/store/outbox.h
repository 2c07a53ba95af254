/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The outbox: the operations this workstation queued for the server, one
 * row each, written in the very transaction of the change it carries (the
 * dossier, its event, its outbox row: ../shared/design/sync.md) and pushed
 * by the sync (sync/engine.c). Every statement on the outbox table is here;
 * the schema is client/store/store.c's.
 *
 * A row's state: pending (to send), done (the server applied it, now or
 * before), rejected or conflict (kept with the server's code and message
 * for a person: the sync screen sends it again on demand). 'sending' is
 * never written any more and counts as pending. done_seq numbers the done
 * operations in the order the server acknowledged them, so that the
 * operations a server restored from an older backup has lost can be queued
 * again (outbox_requeue_after). */
#ifndef MC_STORE_OUTBOX_H
#define MC_STORE_OUTBOX_H
#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "client/store/store.h"
#include "core/syncproto.h"

/* Queues an operation on dossier dossier_id, inside the caller's
 * transaction: op_id, base_rev (the revision the change was made on; 0 for
 * a new dossier), op (the lifecycle action, "attach", "reassign"...), the
 * payload's text (sync_payload_text: compact, members in their order) and
 * its hash (the SHA-256 of that very text, the one the server checks),
 * pending since now. Returns an SQLite result code. */
int outbox_add(struct store *st, const char *op_id, const char *dossier_id, long long base_rev,
	       const char *op, const json_t *payload, const char *now);
/* The same for an operation on another entity ("visit": client/store/visit.h). */
int outbox_add_entity(struct store *st, const char *entity, const char *op_id,
		      const char *entity_id, long long base_rev, const char *op,
		      const json_t *payload, const char *now);

/* An operation the server refused because it does not know its dossier
 * yet (unknown_dossier: after a restore from an older backup, the
 * workstation that received it has not sent it again) waits for it: it
 * stays pending, error_code 'unknown_dossier', next_attempt_at set with a
 * growing delay (OUTBOX_WAIT_FIRST_MIN doubled, at most OUTBOX_WAIT_CAP_MIN),
 * and it and the later operations of its dossier are held until then. The
 * dossier arriving through the change feed wakes it (outbox_dossier_known).
 * After OUTBOX_WAIT_MAX answers it is rejected (a person sends it again),
 * and still woken if the dossier ever arrives. */
#define OUTBOX_WAIT_CODE "unknown_dossier"
#define OUTBOX_WAIT_FIRST_MIN 1
#define OUTBOX_WAIT_CAP_MIN 360
#define OUTBOX_WAIT_MAX 20

/* The oldest pending operations, at most max, into ops (room for max):
 * their strings and payloads belong to ops (sync_op_release). A stored
 * payload that is not a JSON object goes as {} (the server refuses it, and
 * the refusal shows). Returns how many. */
size_t outbox_next_batch(struct store *st, size_t max, struct sync_op *ops);
/* The same, leaving out the operations waiting for their dossier whose
 * next_attempt_at is after now ("YYYY-MM-DDTHH:MM", the device clock) and
 * every later operation of the same dossier. */
size_t outbox_next_batch_at(struct store *st, size_t max, struct sync_op *ops, const char *now);

/* The server now knows dossier entity_id (the change feed brought it): its
 * operations waiting for it, or rejected unknown_dossier, go at the next
 * push. Returns how many, -1 on a store fault. */
long outbox_dossier_known(struct store *st, const char *entity_id);

/* The server's answer to a pending operation, inside the caller's
 * transaction: applied or duplicate make it done (with the server's
 * revision rev when > 0, and the next done_seq), conflict and rejected
 * keep code and message; rejected unknown_dossier waits (above). attempts
 * + 1, answered at now. Returns 1 when the row changed (2: it waits for its
 * dossier), 0 when it was not pending (answered meanwhile), -1 on a store
 * fault. */
int outbox_mark(struct store *st, const char *op_id, enum sync_status status, long long rev,
		const char *code, const char *message, const char *now);

/* The server lost operations it had applied (restored from a backup): the
 * operations done here after after_op, or all done ones when after_op is
 * NULL, are pending again. Nothing when after_op is not done here (the
 * server is ahead: an answer was lost; or the operation is not this
 * store's). Returns how many, -1 on a store fault. */
long outbox_requeue_after(struct store *st, const char *after_op);

/* A rejected or conflicting operation goes again at the next push (the
 * server judges it anew; its last error stays until the answer). Returns
 * an SQLite result code (SQLITE_OK also when op_id is not such a row). */
int outbox_retry(struct store *st, const char *op_id);

/* Whether dossier entity_id has an operation the server has not accepted
 * (pending, rejected or conflict): the change feed must not overwrite it. */
bool outbox_unaccepted(struct store *st, const char *entity_id);

struct outbox_counts {
	long pending;  /* waiting to be sent */
	long rejected; /* refused by the server */
	long conflict; /* in conflict with the server's data */
	long waiting;  /* of pending: waiting for their dossier (unknown_dossier) */
};
void outbox_counts(struct store *st, struct outbox_counts *c);

/* A rejected or conflicting operation, as the sync screen lists it. */
struct outbox_problem {
	char *op_id;
	char *code;    /* its dossier's code; the dossier id when not here */
	char *op;
	bool conflict; /* else rejected */
	char *error_code; /* the server's code, or NULL */
	char *message;    /* the server's message ("" when none) */
};
/* Rows first .. first + count - 1 of the problems, oldest first; returns
 * how many were filled. */
size_t outbox_problems(struct store *st, size_t first, size_t count, struct outbox_problem *rows);
/* The same for the operations waiting for their dossier (conflict false;
 * message: the server's, with the time of the next try). */
size_t outbox_waiting(struct store *st, size_t first, size_t count, struct outbox_problem *rows);
void outbox_problem_release(struct outbox_problem *p);

#endif
