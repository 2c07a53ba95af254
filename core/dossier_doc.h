/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The dossier document: a dossier as it travels between a workstation and
 * the server (docs/api.md). The one encoder and decoder of its JSON, used by
 * the reception (client/services/reception.c writes it into the outbox row
 * of a 'receive' operation), by the server's push (server/push.c checks and
 * stores it) and by the change feed (sync/apply.c writes what comes down
 * into the local store). Pure code (Jansson), no I/O.
 *
 *   { "id", "code", "procedure_code", "procedure_name", "unit_code",
 *     "unit_ident"?, "handling_unit"?, "clerk", "assigned_clerk"?,
 *     "channel": 1..3, "applicant_kind"?, "status": 1..10,
 *     "received_at": "YYYY-MM-DDTHH:MM", "appointment", "finished_at"?,
 *     "applicant": { "kind"?, "full_name", "id_number"?, "birth_date"?,
 *                    "sex"?, "phone"?, "email"?, "address"?, "commune"? },
 *     "fee"?: { "status": "collected"|"exempt"|"later", "amount", "reason"? },
 *     "note"?, "rev"?, "updated_at"?, "code_review"?,
 *     "components": [ { "seq", "name", "kind", "mandatory",
 *         "originals_required", "copies_required", "originals", "copies",
 *         "override_reason"?, "document_id"?, "reused"? } ],
 *     "event": { "id", "dossier_id"?, "kind", "status_from"?, "status_to"?,
 *                "actor", "unit_code", "device_time", "server_time"?,
 *                "payload"? },
 *     "events": [ such objects ] }
 *
 * A reception writes one "event"; the server's stored dossier (and so the
 * feed) also keeps every later event in "events". Members the decoder does
 * not know are ignored (a newer peer's), a known member of the wrong type is
 * an error. Strings and the event payloads are borrowed: a decoded document
 * points into the JSON it was read from (kept alive by a reference until
 * dossier_doc_release); a document filled by hand for dossier_doc_encode
 * points at its builder's strings and arrays and needs no release. */
#ifndef MC_DOSSIER_DOC_H
#define MC_DOSSIER_DOC_H
#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

struct dossier_doc_applicant {
	int kind; /* 1..4; 0: not said */
	const char *full_name, *id_number, *birth_date, *sex, *phone, *email, *address, *commune;
};

/* The fee as recorded at the counter (core/fee.h). */
struct dossier_doc_fee {
	const char *status; /* "collected" | "exempt" | "later" */
	long long amount;   /* VND */
	const char *reason; /* an exemption's */
};

struct dossier_doc_component {
	int seq; /* the procedure's component */
	const char *name;
	const char *kind; /* "submit" (kept) | "present" (shown, handed back) */
	bool mandatory;   /* decoded as true when not said */
	int originals_required, copies_required, originals, copies;
	const char *override_reason; /* a missing mandatory paper accepted: why */
	const char *document_id;     /* the paper attached to it, if any */
	bool reused;                 /* that paper came from the document store */
};

/* An event as the events tables keep it. */
struct dossier_doc_event {
	const char *id, *dossier_id, *kind;
	int status_from, status_to; /* 0: none */
	const char *actor, *unit_code, *device_time, *server_time;
	const json_t *payload; /* an object, or NULL */
};

struct dossier_doc {
	const char *id, *code, *procedure_code, *procedure_name, *unit_code, *unit_ident;
	const char *handling_unit, *clerk, *assigned_clerk;
	int channel;        /* 1 at the counter; decoded as 1 when not said */
	int applicant_kind; /* 0: not said (the applicant's kind tells) */
	int status;
	const char *received_at, *appointment, *finished_at, *note, *updated_at;
	long long rev; /* 0: not said */
	bool code_review; /* numbered without a lease (sync/numbering.h) */
	struct dossier_doc_applicant applicant;
	/* has_fee: "fee" is there (a dossier received before fees were recorded
	 * has none) */
	bool has_fee;
	struct dossier_doc_fee fee;
	/* has_components: "components" is there (an empty list included); a
	 * change without it leaves the components as they are */
	bool has_components;
	const struct dossier_doc_component *components;
	size_t ncomponents;
	const struct dossier_doc_event *event;  /* "event", or NULL */
	const struct dossier_doc_event *events; /* "events" */
	size_t nevents;

	/* what dossier_doc_decode made, freed by dossier_doc_release */
	json_t *json_;
	struct dossier_doc_component *components_;
	struct dossier_doc_event *events_;
};

/* A decoding or checking error: the member at fault (a path such as
 * "applicant.full_name" or "components[2].seq") and a Vietnamese message. */
struct dossier_doc_error {
	char field[64];
	char message[256];
};

void dossier_doc_init(struct dossier_doc *d);
void dossier_doc_release(struct dossier_doc *d);

/* Reads a dossier document. Every known member must have its type (a
 * string or null, an integer, true/false or an integer for a flag, an
 * object, a list), and a dossier has at least its code, procedure_code,
 * procedure_name, unit_code, clerk, status, received_at, appointment and
 * applicant.full_name. Returns 0, or -1 with e filled (d released). */
int dossier_doc_decode(const json_t *json, struct dossier_doc *d, struct dossier_doc_error *e);

/* The rules of a dossier received at a counter (what the server accepts in
 * a 'receive' operation): a valid dossier code (core/dcode.h), non-empty
 * procedure_code, procedure_name, unit_code and clerk, a national status,
 * received_at and appointment as YYYY-MM-DDTHH:MM, the applicant's full
 * name, the fee when there is one (core/fee.h: mc_fee_check; the error's
 * field is then "fee.status", "fee.amount" or "fee.reason"), and each event with an id (1..64 of A-Za-z0-9._:-) and a kind.
 * Returns 0, or -1 with e filled. */
int dossier_doc_check_new(const struct dossier_doc *d, struct dossier_doc_error *e);

/* The document's JSON (a new object), members in the order of the comment
 * above: a string without value is left out, except applicant.phone,
 * .email, .address, note and override_reason, written as null (what a
 * reception has always written); flags are written when true. */
json_t *dossier_doc_encode(const struct dossier_doc *d);

/* One event's JSON (a new object): id, dossier_id, kind, status_from,
 * status_to (null when 0), actor, unit_code, device_time, server_time (when
 * set), payload (null when none). */
json_t *dossier_doc_event_encode(const struct dossier_doc_event *e);

#endif
