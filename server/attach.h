/* The 'attach' operation of a push (entity "dossier"): a digitized paper
 * filling one component of a dossier (docs/api.md "Operation dossier /
 * attach"). Called by push.c inside the operation's transaction, after the
 * op_id was recorded; the caller commits on ATTACH_APPLIED, rolls back
 * otherwise. */
#ifndef MC_SERVER_ATTACH_H
#define MC_SERVER_ATTACH_H
#include "core/syncproto.h"
#include "server/server.h"

enum attach_rc {
	ATTACH_APPLIED,
	ATTACH_REJECTED,  /* code and message set */
	ATTACH_CONFLICT,  /* code and message set */
	ATTACH_DB_FAILED, /* the database failed: 503 for the request */
	ATTACH_RETRY      /* a race lost to another server: run the operation again */
};

struct attach_answer {
	long long rev;     /* the dossier's revision (an attach does not change it) */
	char code[48];
	char message[512];
};

/* Pure checks of the payload (no database): 0, or -1 with a->code
 * "bad_payload" and a Vietnamese message. */
int attach_check(const struct sync_op *op, struct attach_answer *a);

/* Checks the scope and the component, records the document, the component's
 * link and the event, updates the stored dossier (components[].document_id,
 * reused, events; same revision) and writes a 'document' change. */
enum attach_rc attach_apply(PGconn *c, const struct session *s, const struct sync_op *op,
			    struct attach_answer *a);

#endif
