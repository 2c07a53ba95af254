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
 *                    "sex"?, "phone"?, "email"?, "address"?, "commune"?,
 *                    "consent_sms"?, "consent_email"?,
 *                    "tax_code"?, "representative"?: { "full_name",
 *                    "id_number"?, "role"? } (kind 2: an organisation) },
 *     "fee"?: { "status": "collected"|"exempt"|"later", "amount", "reason"? },
 *     "second_party"?: { "full_name", "id_number"?, "birth_date"?, "sex"?,
 *                        "address"? },
 *     "note"?, "rev"?, "updated_at"?, "code_review"?, "compact"?,
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

/* A person beside the applicant: an organisation's representative (with
 * their role) or the second party of a procedure that has two (marriage
 * registration). present: the object is there. */
struct dossier_doc_party {
	bool present;
	const char *full_name, *id_number, *birth_date, *sex, *address, *role;
};

/* applicant.kind of an organisation (its name in full_name, its tax code in
 * tax_code, core/idnum.h; the person who comes in representative). */
#define DOSSIER_DOC_ORGANISATION 2

struct dossier_doc_applicant {
	int kind; /* 1..4; 0: not said; DOSSIER_DOC_ORGANISATION */
	const char *full_name, *id_number, *birth_date, *sex, *phone, *email, *address, *commune;
	const char *tax_code; /* an organisation's */
	struct dossier_doc_party representative;
	/* the citizen agreed at the counter to be told of the dossier's steps
	 * (appointment, supplement, result) by SMS to phone / by e-mail */
	bool consent_sms, consent_email;
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
	bool compact;     /* the compact form: components by the catalog (below) */
	struct dossier_doc_applicant applicant;
	/* has_fee: "fee" is there (a dossier received before fees were recorded
	 * has none) */
	bool has_fee;
	struct dossier_doc_fee fee;
	struct dossier_doc_party second_party; /* present: the procedure's second party */
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
 * name, an organisation's tax code (core/idnum.h; field "applicant.tax_code")
 * and representative, a second party's name, a phone behind consent_sms and
 * an e-mail address behind consent_email, the fee when there is one
 * (core/fee.h: mc_fee_check; the error's
 * field is then "fee.status", "fee.amount" or "fee.reason"), and each event with an id (1..64 of A-Za-z0-9._:-) and a kind.
 * Returns 0, or -1 with e filled. */
int dossier_doc_check_new(const struct dossier_doc *d, struct dossier_doc_error *e);

/* The document's JSON (a new object), members in the order of the comment
 * above: a string without value is left out, except applicant.phone,
 * .email, .address, note and override_reason, written as null (what a
 * reception has always written); flags are written when true. */
json_t *dossier_doc_encode(const struct dossier_doc *d);

/* ---- the compact form (protocol 2, docs/api.md) ---------------------------------
 *
 * The components of a dossier are mostly reference data: the procedure's
 * catalog (its components by seq, with name, kind, mandatory and the
 * numbers of originals and copies required) travels once with the
 * procedure. A compact document says "compact": true and lists only the
 * components that carry something of the dossier's own: handed in
 * (originals or copies above 0), missing with an override reason, or with
 * a paper attached; each as
 *   { "seq", "originals"?, "copies"?, "override_reason"?, "document_id"?,
 *     "reused"? }
 * (a count of 0 and a member without value are left out). A component of
 * the catalog not listed was not handed in. Everything else in the
 * document is as in the full form. */

/* The compact form of a dossier document (a new reference): a copy with its
 * "components" compacted and "compact": true, every other member kept as it
 * is, in its place. A document already compact, or without components, or
 * not an object, comes back as it is (its reference taken). */
json_t *dossier_doc_compact_json(const json_t *doc);

/* The compact form of doc when it is exact: made whole again with the
 * catalog (n entries, sorted by seq) it gives back doc itself (json_equal).
 * Otherwise, for a dossier whose components are not the catalog's (an
 * online dossier's papers, a catalog edited since), doc as it is (its
 * reference taken): it travels whole. */
json_t *dossier_doc_compact_exact(const json_t *doc, const struct dossier_doc_component *catalog,
				  size_t n);

/* A procedure's catalog of components (the "components" of a procedure as
 * the server keeps it and the feed sends it: seq, name, kind, mandatory,
 * originals and copies required), as components with counts of 0, sorted
 * by seq. Strings borrowed from procedure; *n receives the count; free the
 * array. */
struct dossier_doc_component *dossier_doc_catalog(const json_t *procedure, size_t *n);

/* The full form of a compact document (a new reference): "components" made
 * from the catalog (n entries, sorted by seq), each with the dossier's own
 * members of the compact entry of its seq, and "compact" removed. A compact
 * entry whose seq the catalog lacks is kept as it came, after the others,
 * and then "compact" stays (the document is not whole); *unknown (may be
 * NULL) receives how many. A document that is not compact comes back as it
 * is (its reference taken). */
json_t *dossier_doc_expand_json(const json_t *doc, const struct dossier_doc_component *catalog,
				size_t n, size_t *unknown);

/* One event's JSON (a new object): id, dossier_id, kind, status_from,
 * status_to (null when 0), actor, unit_code, device_time, server_time (when
 * set), payload (null when none). */
json_t *dossier_doc_event_encode(const struct dossier_doc_event *e);

#endif
