/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The 'attach' operation of a push (entity "dossier"): a digitized paper
 * filling one component of a dossier; its check and apply (server/ops.h),
 * docs/api.md "Operation dossier / attach".
 *
 * The file and the operation travel on separate queues (records before
 * scans): the operation is accepted whether or not the server holds the
 * blob yet; the blob's presence is a join with blobs when someone asks
 * (stats, HEAD /api/v1/blobs/{sha256}). */
#include "server/ops.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/datetime.h"

#define META_MAX 1024 /* bytes of one metadata string */
#define ATTACH_MAX_PAGES 100000          /* pages of one paper */
#define ATTACH_MAX_BYTES (1LL << 40)     /* bytes of one paper's file */

/* A refusal (set_outcome) that returns -1. */
#define refuse(o, ...) (set_outcome(o, __VA_ARGS__), -1)

static const char *jstr(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static bool opt_str(const json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return !v || json_is_null(v) || (json_is_string(v) && json_string_length(v) <= META_MAX);
}

static bool opt_date(const json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	struct mc_date d;
	return !v || json_is_null(v) || (json_is_string(v) && !mc_parse_date(json_string_value(v), &d));
}

/* Whether member key is an integer in 0..max (checked here, never by the
 * database: a number beyond its column is the payload's fault). */
static bool int_in(const json_t *o, const char *key, json_int_t max)
{
	json_t *v = json_object_get(o, key);
	return json_is_integer(v) && json_integer_value(v) >= 0 && json_integer_value(v) <= max;
}

/* ---- pure checks ------------------------------------------------------------ */

int attach_check_document(const json_t *d, struct outcome *o)
{
	if (!json_is_object(d))
		return refuse(o, MC_ERR_BAD_PAYLOAD, "Thao tác attach cần \"document\" (một đối tượng)");
	if (!sync_id_valid(jstr(d, "id")))
		return refuse(o, MC_ERR_BAD_PAYLOAD, "\"document.id\" phải là một mã định danh hợp lệ");
	if (!sync_hash_valid(jstr(d, "sha256")))
		return refuse(o, MC_ERR_BAD_PAYLOAD, "\"document.sha256\" phải là 64 chữ số hex thường");
	const char *kind = jstr(d, "kind");
	if (!kind || !*kind || strlen(kind) > 64)
		return refuse(o, MC_ERR_BAD_PAYLOAD, "\"document.kind\" (loại giấy tờ) là bắt buộc");
	if (!int_in(d, "pages", ATTACH_MAX_PAGES) || !int_in(d, "bytes", ATTACH_MAX_BYTES))
		return refuse(o, MC_ERR_BAD_PAYLOAD, "\"document.pages\" (0 đến %d) và \"document.bytes\""
			      " (0 đến %lld) phải là số nguyên", ATTACH_MAX_PAGES,
			      (long long)ATTACH_MAX_BYTES);
	static const char *const texts[] = { "title", "number", "issuer", "owner_id_number" };
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		if (!opt_str(d, texts[i]))
			return refuse(o, MC_ERR_BAD_PAYLOAD, "\"document.%s\" phải là chuỗi", texts[i]);
	if (!opt_date(d, "issued_on") || !opt_date(d, "expires_on"))
		return refuse(o, MC_ERR_BAD_PAYLOAD, "\"document.issued_on\" và \"document.expires_on\" phải"
			      " có dạng YYYY-MM-DD");
	return 0;
}

int attach_check(const struct sync_op *op, struct outcome *o)
{
	const json_t *p = op->payload;
	json_t *comp = json_object_get(p, "component");
	json_t *reused = json_object_get(p, "reused");
	json_t *e = json_object_get(p, "event");
	if (jstr(p, "id") && strcmp(jstr(p, "id"), op->entity_id))
		return refuse(o, MC_ERR_BAD_PAYLOAD, "\"id\" của hồ sơ phải bằng entity_id");
	if (!json_is_integer(comp) || json_integer_value(comp) < 1 ||
	    json_integer_value(comp) > 1000000)
		return refuse(o, MC_ERR_BAD_PAYLOAD, "\"component\" phải là số thứ tự thành phần hồ sơ (≥ 1)");
	if (reused && !json_is_boolean(reused))
		return refuse(o, MC_ERR_BAD_PAYLOAD, "\"reused\" phải là true hoặc false");
	if (attach_check_document(json_object_get(p, "document"), o))
		return -1;
	if (!json_is_object(e) || !sync_id_valid(jstr(e, "id")) || !jstr(e, "actor") ||
	    !*jstr(e, "actor") || strlen(jstr(e, "actor")) > 64 || !jstr(e, "device_time") ||
	    strlen(jstr(e, "device_time")) > 64 ||
	    (jstr(e, "kind") && strcmp(jstr(e, "kind"), "attach")) || !opt_str(e, "unit_code") ||
	    (json_object_get(e, "payload") && !json_is_object(json_object_get(e, "payload"))))
		return refuse(o, MC_ERR_BAD_PAYLOAD, "Thao tác attach cần \"event\" với id, kind = attach,"
			      " actor, device_time");
	return 0;
}

/* ---- in the database ----------------------------------------------------------- */

/* A failed statement: recorded in o, the result cleared; -1. */
static int db_failed(struct outcome *o, PGresult *res)
{
	set_db_failure(o, res);
	PQclear(res);
	return -1;
}

/* Runs a statement; 0, or -1 with the failure in o. */
static int exec(PGconn *c, struct outcome *o, const char *sql, int n, const char *const *p)
{
	PGresult *res = db_query(c, sql, n, p);
	if (!db_ok(res))
		return db_failed(o, res);
	PQclear(res);
	return 0;
}

/* The dossier's receiving unit or its current handling unit (docs/api.md,
 * Scope): 0 when the user serves one, -1 with the outcome set (out of
 * scope, or the database failed). */
static int check_scope(PGconn *c, struct outcome *o, const char *user, const char *unit,
		       const json_t *data)
{
	const json_t *h = json_object_get(data, "handling_unit");
	const char *handling = json_is_string(h) && *json_string_value(h) ? json_string_value(h) : unit;
	const char *p[] = { user, unit, handling };
	PGresult *res = db_query(c, "SELECT 1 FROM user_scope($1) WHERE unit_code IN ($2, $3)"
				    " LIMIT 1", 3, p);
	if (!db_ok(res))
		return db_failed(o, res);
	bool mine = PQntuples(res) == 1;
	PQclear(res);
	if (!mine)
		return refuse(o, MC_ERR_OUT_OF_SCOPE, "Tài khoản %s không được ghi hồ sơ của đơn vị %s",
			      user, unit);
	return 0;
}

/* The index of component seq in the stored dossier's components, or -1. */
static long find_component(const json_t *data, long long seq)
{
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(data, "components"), i, c) {
		json_t *v = json_object_get(c, "seq");
		if (json_is_integer(v) && json_integer_value(v) == seq)
			return (long)i;
	}
	return -1;
}

/* The document row: inserted when new; a known id must name the same file.
 * *meta gets the stored metadata (a new reference). */
static int record_document(PGconn *c, const struct session *s, const json_t *doc,
			   const char *unit, json_t **meta, struct outcome *o)
{
	const char *id = jstr(doc, "id"), *sha = jstr(doc, "sha256");
	const char *p[] = { id };
	PGresult *res = db_query(c, "SELECT sha256, meta::text FROM documents WHERE id = $1", 1, p);
	if (!db_ok(res))
		return db_failed(o, res);
	if (PQntuples(res) == 1) {
		bool same = !strcmp(PQgetvalue(res, 0, 0), sha);
		*meta = json_loads(PQgetvalue(res, 0, 1), 0, NULL);
		PQclear(res);
		if (!same)
			return refuse(o, MC_ERR_DOCUMENT_MISMATCH, "Giấy tờ %s đã có trên máy chủ với một"
				      " tệp khác (mã băm SHA-256 khác)", id);
		if (!*meta)
			return db_failed(o, NULL);
		return 0;
	}
	PQclear(res);
	char pages[24], bytes[24];
	snprintf(pages, sizeof(pages), "%lld", (long long)json_integer_value(json_object_get(doc, "pages")));
	snprintf(bytes, sizeof(bytes), "%lld", (long long)json_integer_value(json_object_get(doc, "bytes")));
	char *text = sync_canonical_json(doc);
	const char *ip[] = { id, sha, jstr(doc, "kind"), pages, bytes, jstr(doc, "owner_id_number"),
			     text, unit, s->device_id, s->username };
	int rc = exec(c, o, "INSERT INTO documents(id, sha256, kind, pages, bytes,"
			    " owner_id_number, meta, unit_code, device_id, username)"
			    " VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10)", 10, ip);
	free(text);
	if (!rc)
		*meta = json_deep_copy(doc);
	return rc;
}

int attach_record_result(PGconn *c, const struct session *s, const json_t *doc, const char *unit,
			 const json_t *dossier, struct outcome *o)
{
	json_t *d = json_deep_copy(doc);
	const char *owner = json_string_value(json_object_get(json_object_get(dossier, "applicant"),
							      "id_number"));
	json_object_set_new(d, "owner_id_number", owner && *owner ? json_string(owner) : json_null());
	json_object_set_new(d, "is_result", json_true());
	json_t *meta = NULL;
	int rc = record_document(c, s, d, unit, &meta, o);
	json_decref(meta);
	json_decref(d);
	return rc;
}

static int record_event(PGconn *c, const struct session *s, const char *dossier_id,
			const json_t *e, const char *unit, struct outcome *o)
{
	json_t *payload = json_object_get(e, "payload");
	char *ptext = payload ? sync_canonical_json(payload) : NULL;
	const char *p[] = { jstr(e, "id"), dossier_id, jstr(e, "actor"), unit,
			    jstr(e, "device_time"), s->device_id, ptext };
	PGresult *res = db_query(c, "INSERT INTO events(id, dossier_id, kind, actor, unit_code,"
				    " device_time, device_id, payload)"
				    " VALUES ($1, $2, 'attach', $3, $4, $5, $6, $7::jsonb)"
				    " ON CONFLICT (id) DO NOTHING RETURNING id", 7, p);
	free(ptext);
	if (!db_ok(res))
		return db_failed(o, res);
	bool inserted = PQntuples(res) == 1;
	PQclear(res);
	if (!inserted)
		return refuse(o, MC_ERR_EVENT_EXISTS, "Sự kiện %s đã có trên máy chủ", jstr(e, "id"));
	return 0;
}

/* The stored dossier follows: the component names its paper, the event is
 * appended; the revision stays (an attach changes none of the dossier's
 * fields, so a workstation's next action still holds base_rev). */
static int update_dossier(PGconn *c, struct outcome *o, const char *id, json_t *data,
			  long comp_index, const char *doc_id, bool reused, const json_t *e)
{
	json_t *comp = json_array_get(json_object_get(data, "components"), (size_t)comp_index);
	json_object_set_new(comp, "document_id", json_string(doc_id));
	json_object_set_new(comp, "reused", json_boolean(reused));
	json_t *events = json_object_get(data, "events");
	if (!json_is_array(events)) {
		events = json_array();
		json_object_set_new(data, "events", events);
	}
	json_t *ev = json_deep_copy(e);
	json_object_set_new(ev, "dossier_id", json_string(id));
	json_object_set_new(ev, "kind", json_string("attach"));
	json_array_append_new(events, ev);
	char *text = sync_canonical_json(data);
	const char *p[] = { id, text };
	int rc = exec(c, o, "UPDATE dossiers SET data = $2::jsonb, updated_at = now()"
			    " WHERE id = $1", 2, p);
	free(text);
	return rc;
}

/* The 'document' change: the paper's metadata and the component it fills,
 * for the workstations of the dossier's unit. */
static int add_change(PGconn *c, struct outcome *o, const json_t *meta, const char *dossier_id,
		      const char *code, long long comp, bool reused, const json_t *e,
		      const char *unit)
{
	json_t *ch = json_deep_copy(meta);
	json_object_set_new(ch, "dossier_id", json_string(dossier_id));
	json_object_set_new(ch, "code", json_string(code));
	json_object_set_new(ch, "component", json_integer(comp));
	json_object_set_new(ch, "reused", json_boolean(reused));
	json_object_set_new(ch, "attached_at", json_string(jstr(e, "device_time")));
	json_object_set_new(ch, "attached_by", json_string(jstr(e, "actor")));
	char *text = sync_canonical_json(ch);
	struct strbuf err = STRBUF_INIT;
	int rc = 0;
	if (db_lock_changes(c, &err) ||
	    db_add_change(c, "document", jstr(meta, "id"), 1, unit, text, &err)) {
		server_log(LOG_ERR, SERVER_NAME ": attach: %s", err.buf);
		o->db_failed = true;
		rc = -1;
	}
	strbuf_release(&err);
	free(text);
	json_decref(ch);
	return rc;
}

int attach_apply(PGconn *c, const struct session *s, const struct sync_op *op, struct outcome *o)
{
	const json_t *p = op->payload;
	const json_t *doc = json_object_get(p, "document");
	long long seq = json_integer_value(json_object_get(p, "component"));
	bool reused = json_is_true(json_object_get(p, "reused"));
	const char *ip[] = { op->entity_id };
	PGresult *res = db_query(c, "SELECT rev, unit_code, code, data::text FROM dossiers"
				    " WHERE id = $1 FOR UPDATE", 1, ip);
	if (!db_ok(res))
		return db_failed(o, res);
	if (PQntuples(res) != 1) {
		PQclear(res);
		return refuse(o, MC_ERR_UNKNOWN_DOSSIER, "Máy chủ chưa có hồ sơ %s (hãy gửi thao tác"
			      " tiếp nhận trước)", op->entity_id);
	}
	o->rev = atoll(PQgetvalue(res, 0, 0));
	char *unit = xstrdup(PQgetvalue(res, 0, 1));
	char *code = xstrdup(PQgetvalue(res, 0, 2));
	json_t *data = json_loads(PQgetvalue(res, 0, 3), 0, NULL);
	PQclear(res);
	/* the event as recorded: who and where are the token's, not the payload's */
	json_t *e = json_deep_copy(json_object_get(p, "event"));
	json_object_set_new(e, "actor", json_string(s->username));
	json_object_set_new(e, "unit_code", json_string(unit));
	char clock[40];
	server_clock(clock, sizeof(clock));
	json_object_set_new(e, "server_time", json_string(clock));
	json_t *meta = NULL;
	int rc = -1;
	long idx;
	char comp[24];
	snprintf(comp, sizeof(comp), "%lld", seq);
	const char *lp[] = { op->entity_id, comp, jstr(doc, "id"), reused ? "true" : "false",
			     op->op_id };
	if (!data)
		db_failed(o, NULL);
	else if (check_scope(c, o, s->username, unit, data))
		;
	else if ((idx = find_component(data, seq)) < 0)
		set_outcome(o, MC_ERR_UNKNOWN_COMPONENT, "Hồ sơ %s không có thành phần số %lld", code,
			    seq);
	else if (!record_document(c, s, doc, unit, &meta, o) &&
		 !exec(c, o, "INSERT INTO dossier_documents(dossier_id, component, document_id,"
			     " reused, op_id) VALUES ($1, $2, $3, $4, $5)"
			     " ON CONFLICT (dossier_id, component) DO UPDATE SET"
			     " document_id = excluded.document_id, reused = excluded.reused,"
			     " op_id = excluded.op_id, attached_at = now()", 5, lp) &&
		 !record_event(c, s, op->entity_id, e, unit, o) &&
		 !update_dossier(c, o, op->entity_id, data, idx, jstr(doc, "id"), reused, e))
		rc = add_change(c, o, meta, op->entity_id, code, seq, reused, e, unit);
	json_decref(meta);
	json_decref(e);
	json_decref(data);
	free(code);
	free(unit);
	return rc;
}
