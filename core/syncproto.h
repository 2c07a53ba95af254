/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The sync protocol's JSON, shared by the client (sync/) and motcua-server:
 * push request and response, operations, changes, error bodies, and the
 * payload hash. Pure code (Jansson, libsodium's SHA-256), no I/O. The
 * contract is docs/api.md; this module is its one encoder and decoder.
 *
 * Operations (entity "dossier"):
 *  - op "receive": payload is the dossier document as written at the
 *    counter (core/dossier_doc.h: its fields, applicant, components and its
 *    one "event"), what client/services/reception.c puts in its outbox row;
 *    the server checks it with dossier_doc_check_new. base_rev is 0 (or
 *    absent); the server's revision becomes 1.
 *  - op "<action>" (an id of MC_ACTIONS but "receive": "transfer", "return"...):
 *    a status change of an existing dossier, as the client writes it:
 *      { "id", "status": new status, "rev": base_rev + 1, "updated_at",
 *        "appointment"?, "handling_unit"?, "note"?,
 *        "event": { "id", "dossier_id", "kind": the action, "status_from",
 *                   "status_to", "actor", "unit_code", "device_time", "payload"? } }
 *    base_rev is the revision the workstation changed; a stale one is a
 *    conflict, never a silent overwrite.
 * payload_hash is the hex SHA-256 of the payload's text as written and sent:
 * compact JSON, members in their order (Jansson's json_dumps(JSON_COMPACT),
 * sync_payload_text). The outbox stores that very text and its hash
 * (client/store/outbox.c); the server parses the payload, writes it again
 * the same way and refuses any other hash (sync_payload_hash_matches). */
#ifndef MC_SYNCPROTO_H
#define MC_SYNCPROTO_H
#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "core/errors.h"
#include "core/xalloc.h"

/* The version of the sync protocol this code speaks, said in a request
 * header and in every answer of the server (docs/api.md, "Versions"):
 * 1, the first, when a request says none; 2 adds the compact dossier
 * document (core/dossier_doc.h) on the push and the feed. */
#define SYNC_PROTOCOL 2
#define SYNC_PROTOCOL_HEADER "Motcua-Protocol"

#define SYNC_MAX_OPS 100         /* per push; more is answered 413 */
#define SYNC_MAX_CHANGES 1000    /* per page of changes */
#define SYNC_DEFAULT_CHANGES 500
#define SYNC_ID_MAX 64           /* op ids, entity ids, device ids */
#define SYNC_HASH_HEX 64

/* Result of one operation. */
#define SYNC_STATUSES(X) \
	X(SYNC_APPLIED, "applied") \
	X(SYNC_DUPLICATE, "duplicate") \
	X(SYNC_CONFLICT, "conflict") \
	X(SYNC_REJECTED, "rejected")

#define SYNC_STATUS_ENUM(name, id) name,
enum sync_status { SYNC_STATUSES(SYNC_STATUS_ENUM) SYNC_STATUS_COUNT };
#undef SYNC_STATUS_ENUM

const char *sync_status_id(enum sync_status s);
int sync_status_from_id(const char *id); /* -1 if unknown */

/* An error: a stable code (core/errors.h) and a Vietnamese message. code
 * is the wire name as received: branch on mc_err_from_wire(code) (an enum;
 * MC_ERR_UNKNOWN for a name this build does not know), show code and
 * message. */
struct sync_error {
	char code[48];
	char message[256];
};
void sync_error_set(struct sync_error *e, enum mc_err err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

struct sync_op {
	char *op_id;
	char *entity;
	char *entity_id;
	long long base_rev; /* 0 when absent */
	char *op;
	json_t *payload;    /* an object; owned */
	char *payload_hash; /* 64 lower-case hex digits */
};

struct sync_push {
	char *device_id;
	char *device_clock; /* as sent; may be NULL */
	struct sync_op *ops;
	size_t nops;
};

struct sync_result {
	char *op_id;
	enum sync_status status;
	long long rev;      /* applied / duplicate: the server revision; 0 = none */
	char *err_code;     /* conflict / rejected: the wire name (mc_err_from_wire) */
	char *err_message;
};

struct sync_push_response {
	char *server_clock;
	struct sync_result *results;
	size_t nresults, alloc;
	char *last_applied_op; /* NULL when the device never had one applied */
	/* files (SHA-256) of documents the device attached that the server does
	 * not hold (a restore from an older backup lost them): sent again */
	char **missing_files;
	size_t nmissing;
};

struct sync_change {
	long long seq;
	char *entity;
	char *entity_id;
	long long rev;
	json_t *data; /* owned */
};

struct sync_changes {
	struct sync_change *changes;
	size_t nchanges, alloc;
	char *next;          /* the cursor to send next */
	long long remaining; /* changes after this page */
};

void sync_op_release(struct sync_op *op);
void sync_push_init(struct sync_push *p);
void sync_push_release(struct sync_push *p);
void sync_push_response_init(struct sync_push_response *r);
void sync_push_response_release(struct sync_push_response *r);
/* Appends a result (strings copied; err_* may be NULL). */
void sync_push_response_add(struct sync_push_response *r, const char *op_id, enum sync_status st,
			    long long rev, const char *err_code, const char *err_message);
/* Appends a file the server lacks (copied). */
void sync_push_response_add_missing(struct sync_push_response *r, const char *sha256);
void sync_changes_init(struct sync_changes *c);
void sync_changes_release(struct sync_changes *c);

/* Whether s is a usable identifier: 1..SYNC_ID_MAX of [A-Za-z0-9._:-]. */
bool sync_id_valid(const char *s);
/* Whether s is 64 lower-case hex digits. */
bool sync_hash_valid(const char *s);

/* Canonical JSON of a value (compact, keys sorted); malloc'd. */
char *sync_canonical_json(const json_t *v);
/* hex SHA-256 of the canonical JSON of payload into out (65 bytes). Not the
 * payload hash of the protocol (see above): that one keeps member order. */
void sync_payload_hash(const json_t *payload, char out[SYNC_HASH_HEX + 1]);

/* The payload's text: compact JSON, members in their order; malloc'd. */
char *sync_payload_text(const json_t *payload);
/* hex SHA-256 of a text (the payload as the outbox stores it) into out. */
void sync_payload_hash_text(const char *text, char out[SYNC_HASH_HEX + 1]);
/* Whether hash is the payload's: the SHA-256 of sync_payload_text(payload).
 * The one check of the protocol (the server's push). */
bool sync_payload_hash_matches(const json_t *payload, const char *hash);
/* Whether hash is the SHA-256 of payload's compact text in member order or
 * of its canonical text (sync_payload_hash). Not the protocol's check: the
 * server takes one text only (sync_payload_hash_matches). */
bool sync_payload_hash_ok(const json_t *payload, const char *hash);

/* Decodes a push request. Returns 0, or -1 with e filled: code "bad_json"
 * (not JSON), "too_many_ops" (more than SYNC_MAX_OPS) or "bad_request" (a
 * missing or mistyped field, with the field named in the message). Only the
 * envelope is checked here; the server validates each payload. */
int sync_push_decode(const char *buf, size_t len, struct sync_push *p, struct sync_error *e);
/* Encodes a push request (the client); malloc'd JSON text. */
char *sync_push_encode(const struct sync_push *p);

char *sync_push_response_encode(const struct sync_push_response *r);
int sync_push_response_decode(const char *buf, size_t len, struct sync_push_response *r,
			      struct sync_error *e);

/* Appends a change (strings copied, data reference taken: json_incref). */
void sync_changes_add(struct sync_changes *c, long long seq, const char *entity,
		      const char *entity_id, long long rev, json_t *data);
char *sync_changes_encode(const struct sync_changes *c);
int sync_changes_decode(const char *buf, size_t len, struct sync_changes *c, struct sync_error *e);

/* {"error": {"code": code, "message": message}}; malloc'd. */
char *sync_error_body(const char *code, const char *message);
/* Reads an error body; returns 0 when buf is one (with a code that is not
 * empty). */
int sync_error_decode(const char *buf, size_t len, struct sync_error *e);

#endif
