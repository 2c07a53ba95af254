/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The operations of a push (POST /api/v1/sync/push): each kind is one row
 * of the table in server/push.c, {entity, op, check, apply}:
 *   check  pure checks of the payload, no database: 0, or -1 with the
 *          outcome set (a rejection, usually MC_ERR_BAD_PAYLOAD);
 *   apply  inside the operation's transaction, after its op_id was
 *          recorded: 0 with o->rev set (push.c commits), or -1 with the
 *          outcome set (push.c rolls back): a conflict or a rejection from
 *          core/errors.h, or a database failure (set_db_failure).
 * Adding an operation: its two functions (here, in a file of their own
 * when they are long, like attach.c), one row in push.c, its section in
 * docs/api.md. */
#ifndef MC_SERVER_OPS_H
#define MC_SERVER_OPS_H
#include <stdbool.h>

#include "core/errors.h"
#include "core/syncproto.h"
#include "server/http.h"

/* The outcome of one attempt at an operation. */
struct outcome {
	enum sync_status status;
	long long rev;
	enum mc_err code;
	char message[512];
	bool db_failed; /* the database failed: stop the request (503) */
	bool retry;     /* a race lost to another server: try again */
};

/* A conflict (a code of status 409) or a rejection (any other), with a
 * Vietnamese message. */
void set_outcome(struct outcome *o, enum mc_err code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A failed statement (res may be NULL): a lost race (unique violation,
 * serialization failure, deadlock) asks for a retry; anything else fails
 * the request. Does not clear res. */
void set_db_failure(struct outcome *o, const PGresult *res);

typedef int op_check_fn(const struct sync_op *op, struct outcome *o);
typedef int op_apply_fn(PGconn *c, const struct session *s, const struct sync_op *op,
			struct outcome *o);

/* attach.c: a digitized paper filling one component of a dossier
 * (docs/api.md "Operation dossier / attach"). */
op_check_fn attach_check;
op_apply_fn attach_apply;

/* visit.c: a counter visit that ended without a received dossier, a
 * refusal (form 03) or a guidance (form 02) (docs/api.md "Operation visit /
 * record"). */
op_check_fn visit_check;
op_apply_fn visit_apply;

/* Whether the payload's "rev" (an integer) is base + 1, without overflow
 * for any base a request can carry. */
static inline bool rev_follows(const json_t *rev, long long base)
{
	json_int_t r = json_integer_value(rev);
	return r > 0 && r - 1 == base;
}

#endif
