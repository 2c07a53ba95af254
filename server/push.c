/* SPDX-License-Identifier: GPL-3.0-or-later */
/* POST /api/v1/sync/push: each operation in its own transaction (committed
 * without waiting for the disk; the batch's last commit waits for them all
 * before the answer leaves), idempotent by op_id (UNIQUE in table ops), one
 * answer per operation:
 *   applied    the change is stored, with its new revision;
 *   duplicate  the same op_id with the same payload hash was applied before:
 *              the same answer again, nothing written;
 *   conflict   the same op_id with another hash, a dossier code already used
 *              by another dossier, a stale base revision: kept in op_problems
 *              for a person to look at;
 *   rejected   invalid (bad payload, out of the user's scope, a transition the
 *              lifecycle forbids): a stable code and a Vietnamese message.
 * A database failure answers 503 for the whole request: the client sends the
 * batch again and what was applied comes back as duplicate. */
#include "server/api.h"
#include "server/ops.h"
#include "server/portal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/datetime.h"
#include "core/dcode.h"
#include "core/dossier_doc.h"
#include "core/lifecycle.h"
#include "core/syncproto.h"
#include "core/text.h"

void set_outcome(struct outcome *o, enum mc_err code, const char *fmt, ...)
{
	o->status = mc_err_conflict(code) ? SYNC_CONFLICT : SYNC_REJECTED;
	o->code = code;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(o->message, sizeof(o->message), fmt, ap);
	va_end(ap);
	mc_text_cut_whole(o->message); /* the answer's JSON carries text only */
}

void set_db_failure(struct outcome *o, const PGresult *res)
{
	const char *st = res ? db_state(res) : "";
	/* A value the database refuses (class 22: out of range, bad encoding;
	 * 23: a check, a missing reference) is the payload's fault, not the
	 * database's: rejected, so that it neither answers 503 nor holds up the
	 * workstation's later operations. Every field is checked before SQL;
	 * this is the net under those checks. */
	if (!strncmp(st, "22", 2) || (!strncmp(st, "23", 2) && strcmp(st, "23505"))) {
		server_log(LOG_WARNING, SERVER_NAME ": push: refused by the database (%s): %s", st,
			PQresultErrorMessage(res));
		set_outcome(o, MC_ERR_BAD_PAYLOAD, "Một giá trị của thao tác nằm ngoài"
			    " miền của nó (mã %s)", st);
		return;
	}
	/* unique violation, serialization failure, deadlock: another server won a race */
	if (!strcmp(st, "23505") || !strcmp(st, "40001") || !strcmp(st, "40P01"))
		o->retry = true;
	else
		o->db_failed = true;
	if (res && o->db_failed)
		server_log(LOG_ERR, SERVER_NAME ": push: %s", PQresultErrorMessage(res));
}

/* Runs a statement; on failure records it in o and returns -1. */
static int run(PGconn *c, struct outcome *o, const char *sql, int n, const char *const *p)
{
	PGresult *res = db_query(c, sql, n, p);
	int rc = db_ok(res) ? 0 : -1;
	if (rc)
		set_db_failure(o, res);
	PQclear(res);
	return rc;
}

static const char *jstr(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* Whether key is absent/null or a string (of at most max bytes). */
static bool opt_str(const json_t *o, const char *key, size_t max)
{
	json_t *v = json_object_get(o, key);
	return !v || json_is_null(v) || (json_is_string(v) && json_string_length(v) <= max);
}

static bool req_str(const json_t *o, const char *key, size_t max)
{
	json_t *v = json_object_get(o, key);
	return json_is_string(v) && json_string_length(v) > 0 && json_string_length(v) <= max;
}

static bool is_dt(const json_t *o, const char *key)
{
	struct mc_dt t;
	const char *s = jstr(o, key);
	return s && !mc_parse_dt(s, &t);
}

/* Whether the user serves the dossier's receiving unit or its handling unit
 * (NULL: none, the receiving unit handles it); rejected out_of_scope if not.
 * acting (may be NULL, >= 32 bytes) receives the unit the user acts for:
 * the handling unit when the user serves it, else the receiving unit. */
static bool in_dossier_scope_as(PGconn *c, struct outcome *o, const char *user, const char *unit,
				const char *handling, char *acting)
{
	const char *p[] = { user, unit, handling };
	PGresult *res = db_query(c, "SELECT unit_code FROM user_scope($1) WHERE unit_code IN ($2, $3)"
				    " ORDER BY unit_code = $3 DESC LIMIT 1", 3, p);
	bool ok = db_ok(res);
	bool mine = ok && PQntuples(res) == 1;
	if (!ok)
		set_db_failure(o, res);
	if (mine && acting)
		snprintf(acting, 32, "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	if (ok && !mine && handling)
		set_outcome(o, MC_ERR_OUT_OF_SCOPE, "Tài khoản %s không được ghi hồ sơ của"
			    " đơn vị %s (đang xử lý tại %s)", user, unit, handling);
	else if (ok && !mine)
		set_outcome(o, MC_ERR_OUT_OF_SCOPE,
			    "Tài khoản %s không được ghi hồ sơ của đơn vị %s", user, unit);
	return mine;
}

static bool in_dossier_scope(PGconn *c, struct outcome *o, const char *user, const char *unit,
			     const char *handling)
{
	return in_dossier_scope_as(c, o, user, unit, handling, NULL);
}

static bool in_scope(PGconn *c, struct outcome *o, const char *user, const char *unit)
{
	return in_dossier_scope(c, o, user, unit, NULL);
}

/* Whether unit is a unit the server knows; rejected unknown_unit if not. */
static bool unit_exists(PGconn *c, struct outcome *o, const char *what, const char *unit)
{
	const char *p[] = { unit };
	PGresult *res = db_query(c, "SELECT 1 FROM units WHERE code = $1", 1, p);
	bool ok = db_ok(res), found = ok && PQntuples(res) == 1;
	if (!ok)
		set_db_failure(o, res);
	else if (!found)
		set_outcome(o, MC_ERR_UNKNOWN_UNIT, "Không có đơn vị mã %.32s (%s)", unit, what);
	PQclear(res);
	return found;
}

/* ---- events: the server's facts, the device's claims ---------------------------- */

/* Whether kind is one the lifecycle knows: receive, an action, reassign. */
static bool event_kind_known(const char *kind)
{
	return kind && (mc_action_from_id(kind) >= 0 || !strcmp(kind, MC_REASSIGN_ID));
}

/* Whether member key of e is absent, null or a status of the lifecycle. */
static bool opt_status(const json_t *e, const char *key)
{
	const json_t *v = json_object_get(e, key);
	return !v || json_is_null(v) ||
	       (json_is_integer(v) && json_integer_value(v) >= MC_STATUS_MIN &&
		json_integer_value(v) <= MC_STATUS_MAX);
}

/* Pure checks of an event as a workstation writes it: a known kind,
 * statuses of the lifecycle, short strings for the device's claims (its
 * time is kept as sent). Rejected bad_event if not. */
static int check_event(const json_t *e, struct outcome *o)
{
	const char *kind = jstr(e, "kind");
	if (!event_kind_known(kind)) {
		set_outcome(o, MC_ERR_BAD_EVENT, "Loại sự kiện \"%.64s\" không có trong quy"
			    " trình", kind ? kind : "");
		return -1;
	}
	if (!opt_status(e, "status_from") || !opt_status(e, "status_to")) {
		set_outcome(o, MC_ERR_BAD_EVENT, "\"status_from\", \"status_to\" của sự kiện"
			    " phải là mã trạng thái %d đến %d", MC_STATUS_MIN, MC_STATUS_MAX);
		return -1;
	}
	if (!opt_str(e, "device_time", 64) || !opt_str(e, "actor", 64) ||
	    !opt_str(e, "unit_code", 32) ||
	    (json_object_get(e, "payload") && !json_is_null(json_object_get(e, "payload")) &&
	     !json_is_object(json_object_get(e, "payload")))) {
		set_outcome(o, MC_ERR_BAD_EVENT, "\"device_time\", \"actor\", \"unit_code\""
			    " của sự kiện phải là chuỗi ngắn, \"payload\" một đối tượng");
		return -1;
	}
	return 0;
}

/* The facts the server knows, written over what the workstation said: the
 * actor is the token's user, the unit the one the user acts for, the
 * server_time the server's clock (events.server_time too). The device's
 * time stays beside it: the device's claim. */
static void stamp_event(json_t *e, const struct session *s, const char *unit)
{
	char clock[40];
	server_clock(clock, sizeof(clock));
	json_object_set_new(e, "actor", json_string(s->username));
	json_object_set_new(e, "unit_code", json_string(unit));
	json_object_set_new(e, "server_time", json_string(clock));
}

/* ---- op "receive" ------------------------------------------------------------ */

/* The events a dossier payload carries: "event" (one object, as the
 * reception writes it) and/or "events" (an array). A new array. */
static json_t *dossier_events(const json_t *d)
{
	json_t *all = json_array();
	json_t *one = json_object_get(d, "event");
	if (json_is_object(one))
		json_array_append(all, one);
	json_t *many = json_object_get(d, "events");
	if (json_is_array(many))
		json_array_extend(all, many);
	return all;
}

/* Pure checks of a dossier payload (core/dossier_doc.h). */
static int check_dossier(const struct sync_op *op, struct outcome *o)
{
	struct dossier_doc d;
	struct dossier_doc_error e;
	if (dossier_doc_decode(op->payload, &d, &e) || dossier_doc_check_new(&d, &e)) {
		dossier_doc_release(&d);
		/* the fee and an organisation's tax code have codes of their
		 * own: the clerk typed them, the workstation did not make them
		 * wrong */
		enum mc_err code = !strncmp(e.field, "fee", 3) ? MC_ERR_BAD_FEE
				   : !strcmp(e.field, "applicant.tax_code") ||
						   !strcmp(e.field, "applicant.representative")
					   ? MC_ERR_BAD_TAX_CODE
					   : MC_ERR_BAD_PAYLOAD;
		set_outcome(o, code, "%s", e.message);
		return -1;
	}
	bool same_id = d.id && !strcmp(d.id, op->entity_id);
	dossier_doc_release(&d);
	json_t *all = dossier_events(op->payload);
	size_t i;
	json_t *ev;
	int bad = 0;
	json_array_foreach(all, i, ev)
		if (!bad && check_event(ev, o))
			bad = -1;
	json_decref(all);
	if (bad)
		return -1;
	if (!same_id) {
		set_outcome(o, MC_ERR_BAD_PAYLOAD, "\"id\" của hồ sơ phải bằng entity_id");
		return -1;
	}
	if (op->base_rev != 0) {
		set_outcome(o, MC_ERR_BAD_PAYLOAD, "Tiếp nhận hồ sơ mới phải có base_rev 0");
		return -1;
	}
	return 0;
}

static const char *int_or_null(const json_t *v, char *buf, size_t n)
{
	if (!json_is_integer(v))
		return NULL;
	snprintf(buf, n, "%lld", (long long)json_integer_value(v));
	return buf;
}

/* Inserts event e (checked by check_event, stamped by stamp_event); def_time
 * is the device's time when the event does not say it. */
static int insert_event(PGconn *c, struct outcome *o, const char *dossier_id, const json_t *e,
			const char *def_time, const char *device_id, bool *inserted)
{
	char from[24], to[24];
	json_t *payload = json_object_get(e, "payload");
	char *ptext = payload ? sync_canonical_json(payload) : NULL;
	const char *t = jstr(e, "device_time");
	const char *p[] = {
		jstr(e, "id"), dossier_id, jstr(e, "kind"),
		int_or_null(json_object_get(e, "status_from"), from, sizeof(from)),
		int_or_null(json_object_get(e, "status_to"), to, sizeof(to)),
		jstr(e, "actor"), jstr(e, "unit_code"), t ? t : def_time,
		device_id, ptext,
	};
	PGresult *res = db_query(c, "INSERT INTO events(id, dossier_id, kind, status_from, status_to,"
				    " actor, unit_code, device_time, device_id, payload)"
				    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb)"
				    " ON CONFLICT (id) DO NOTHING RETURNING id", 10, p);
	free(ptext);
	int rc = db_ok(res) ? 0 : -1;
	if (rc)
		set_db_failure(o, res);
	else
		*inserted = PQntuples(res) == 1;
	PQclear(res);
	return rc;
}

/* Whether the dossier's code is one this device may give: the unit
 * identifier of the dossier's unit (which the user serves), a sequence
 * number inside a block leased to this device (for the code's day or any
 * day) or inside the device's own fallback range. Rejected
 * code_out_of_scope if not: a clerk cannot take another commune's codes,
 * nor numbers leased to another workstation, nor push a number that would
 * drag the unit's counter (0001_init.sql, api.c lease_take). */
static bool code_in_scope(PGconn *c, const struct session *s, const struct dossier_doc *d,
			  struct outcome *o)
{
	struct mc_dcode dc;
	if (mc_dcode_parse(d->code, &dc, NULL)) { /* checked by check_dossier */
		set_outcome(o, MC_ERR_BAD_PAYLOAD, "Mã hồ sơ không hợp lệ");
		return false;
	}
	char seq[24], day[16];
	snprintf(seq, sizeof(seq), "%ld", dc.seq);
	snprintf(day, sizeof(day), "%04d-%02d-%02d", dc.y, dc.m, dc.d);
	const char *p[] = { d->unit_code, dc.ident, s->device_id, seq, day };
	PGresult *res = db_query(c, "SELECT ident = $2, EXISTS (SELECT 1 FROM leases WHERE"
				    " unit_ident = $2 AND device_id = $3 AND $4::bigint BETWEEN first AND last"
				    " AND day IN ('*', $5)) FROM units WHERE code = $1", 5, p);
	if (!db_ok(res)) {
		set_db_failure(o, res);
		PQclear(res);
		return false;
	}
	bool unit_ok = PQntuples(res) == 1 && !strcmp(PQgetvalue(res, 0, 0), "t");
	bool leased = unit_ok && !strcmp(PQgetvalue(res, 0, 1), "t");
	PQclear(res);
	if (!unit_ok)
		set_outcome(o, MC_ERR_CODE_OUT_OF_SCOPE, "Mã hồ sơ %s không mang mã định danh"
			    " của đơn vị %s", d->code, d->unit_code);
	else if (!leased && !mc_dcode_fallback_of(s->device_id, dc.seq))
		set_outcome(o, MC_ERR_CODE_OUT_OF_SCOPE, "Số %ld của mã hồ sơ %s không thuộc"
			    " khối số đã cấp cho thiết bị %s, cũng không thuộc dải số dự phòng của nó",
			    dc.seq, d->code, s->device_id);
	return unit_ok && (leased || mc_dcode_fallback_of(s->device_id, dc.seq));
}

static int insert_dossier(PGconn *c, const struct session *s, const struct sync_op *op,
			  const json_t *doc, const struct dossier_doc *d, struct outcome *o)
{
	const char *id = op->entity_id, *code = d->code, *unit = d->unit_code;
	if (!in_scope(c, o, s->username, unit))
		return -1;
	const char *p[] = { id, code };
	PGresult *res = db_query(c, "SELECT id, code FROM dossiers WHERE id = $1 OR code = $2", 2, p);
	if (!db_ok(res)) {
		set_db_failure(o, res);
		PQclear(res);
		return -1;
	}
	bool same_id = false, same_code = false;
	for (int i = 0; i < PQntuples(res); i++) {
		same_id |= !strcmp(PQgetvalue(res, i, 0), id);
		same_code |= strcmp(PQgetvalue(res, i, 0), id) && !strcmp(PQgetvalue(res, i, 1), code);
	}
	PQclear(res);
	if (same_id) {
		set_outcome(o, MC_ERR_DOSSIER_EXISTS,
			    "Hồ sơ %s đã có trên máy chủ (tiếp nhận bằng một thao tác khác)", id);
		return -1;
	}
	if (same_code) {
		set_outcome(o, MC_ERR_CODE_TAKEN,
			    "Mã hồ sơ %s đã được dùng cho một hồ sơ khác trên máy chủ", code);
		return -1;
	}
	if (!code_in_scope(c, s, d, o))
		return -1;

	if (d->handling_unit && *d->handling_unit &&
	    !unit_exists(c, o, "handling_unit", d->handling_unit))
		return -1;
	json_t *data = json_deep_copy(doc);
	json_object_set_new(data, "rev", json_integer(1));
	size_t i;
	json_t *e;
	json_t *all = dossier_events(data); /* the copy's own events: stamped in place */
	json_array_foreach(all, i, e)
		stamp_event(e, s, unit);
	char *text = sync_canonical_json(data);
	json_decref(data);
	char st[16], amount[24];
	snprintf(st, sizeof(st), "%d", d->status);
	snprintf(amount, sizeof(amount), "%lld", d->fee.amount);
	const char *ip[] = { id, code, unit, d->procedure_code, d->procedure_name,
			     st, d->received_at, d->appointment, text,
			     d->has_fee ? d->fee.status : NULL, d->has_fee ? amount : NULL };
	int rc = run(c, o, "INSERT INTO dossiers(id, code, unit_code, procedure_code, procedure_name,"
			   " status, received_at, appointment, rev, data, fee_status, fee_amount)"
			   " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9::jsonb, $10, $11::bigint)",
		     11, ip);
	json_array_foreach(all, i, e) {
		bool inserted;
		if (rc || insert_event(c, o, id, e, d->received_at, s->device_id, &inserted))
			rc = -1;
		else if (!inserted) {
			set_outcome(o, MC_ERR_EVENT_EXISTS, "Sự kiện %s đã có trên máy chủ",
				    jstr(e, "id"));
			rc = -1;
		}
	}
	json_decref(all);
	struct strbuf err = STRBUF_INIT;
	if (!rc && (db_lock_changes(c, &err) || db_add_change(c, "dossier", id, 1, unit, text, &err))) {
		o->db_failed = true;
		server_log(LOG_ERR, SERVER_NAME ": push: %s", err.buf);
		rc = -1;
	}
	strbuf_release(&err);
	free(text);
	o->rev = 1;
	return rc;
}

/* The document as stored: a compact one (core/dossier_doc.h) made whole
 * from the procedure's catalog, so that the server keeps and serves every
 * dossier in the full form. A procedure or component the server does not
 * know: stored as it came, still compact (nothing of it is lost; a
 * workstation makes it whole from its own catalog). NULL when the database
 * failed (o set). */
/* The procedures a batch's compact dossiers name, read once a batch (a
 * batch is one transaction: they are the same for all its operations). */
#define BATCH_PROCEDURES 16
static _Thread_local struct {
	bool on;
	size_t n;
	struct {
		char *code;
		json_t *proc; /* NULL: the server does not know it */
	} v[BATCH_PROCEDURES];
} batch_procs;

static void batch_procs_end(void)
{
	for (size_t i = 0; i < batch_procs.n; i++) {
		free(batch_procs.v[i].code);
		json_decref(batch_procs.v[i].proc);
	}
	memset(&batch_procs, 0, sizeof(batch_procs));
}

/* The procedure's stored document (a new reference; NULL when unknown), or
 * -1 when the database failed (o set). */
static int procedure_doc(PGconn *c, const char *code, json_t **out, struct outcome *o)
{
	*out = NULL;
	for (size_t i = 0; code && batch_procs.on && i < batch_procs.n; i++)
		if (!strcmp(batch_procs.v[i].code, code)) {
			*out = json_incref(batch_procs.v[i].proc);
			return 0;
		}
	const char *p[] = { code };
	PGresult *res = db_query(c, "SELECT data::text FROM procedures WHERE code = $1", 1, p);
	if (!db_ok(res)) {
		set_db_failure(o, res);
		PQclear(res);
		return -1;
	}
	*out = PQntuples(res) == 1 ? json_loads(PQgetvalue(res, 0, 0), 0, NULL) : NULL;
	PQclear(res);
	if (code && batch_procs.on && batch_procs.n < BATCH_PROCEDURES) {
		batch_procs.v[batch_procs.n].code = xstrdup(code);
		batch_procs.v[batch_procs.n++].proc = json_incref(*out);
	}
	return 0;
}

static json_t *whole_document(PGconn *c, const json_t *payload, struct outcome *o)
{
	if (!json_is_true(json_object_get(payload, "compact")))
		return json_incref((json_t *)payload);
	json_t *proc;
	if (procedure_doc(c, jstr(payload, "procedure_code"), &proc, o))
		return NULL;
	size_t n = 0;
	struct dossier_doc_component *cat = dossier_doc_catalog(proc, &n);
	json_t *doc = dossier_doc_expand_json(payload, cat, n, NULL);
	free(cat);
	json_decref(proc);
	return doc;
}

static int apply_receive(PGconn *c, const struct session *s, const struct sync_op *op,
			 struct outcome *o)
{
	json_t *doc = whole_document(c, op->payload, o);
	if (!doc)
		return -1;
	struct dossier_doc d;
	struct dossier_doc_error e;
	if (dossier_doc_decode(doc, &d, &e)) { /* checked by check_dossier */
		set_outcome(o, MC_ERR_BAD_PAYLOAD, "%s", e.message);
		json_decref(doc);
		return -1;
	}
	int rc = insert_dossier(c, s, op, doc, &d, o);
	dossier_doc_release(&d);
	json_decref(doc);
	return rc;
}

/* ---- ops named after a lifecycle action ("transfer", "return", ...) ---------- */

/* Pure checks of a status change as the workstation writes it:
 *   {"id", "status": new status, "rev": base_rev + 1, "updated_at",
 *    "appointment"?, "handling_unit"?, "note"?,
 *    "event": {"id", "dossier_id", "kind": the action, "status_from",
 *              "status_to", "actor", "unit_code", "device_time", "payload"?}} */
static int check_action(const struct sync_op *op, struct outcome *o)
{
	const json_t *d = op->payload;
	const json_t *e = json_object_get(d, "event");
	int a = mc_action_from_id(op->op);
	if (a < 0 || a == MC_ACT_RECEIVE) {
		set_outcome(o, MC_ERR_UNKNOWN_OP, "Không hỗ trợ thao tác %s trên hồ sơ", op->op);
		return -1;
	}
	if (jstr(d, "id") && strcmp(jstr(d, "id"), op->entity_id)) {
		set_outcome(o, MC_ERR_BAD_PAYLOAD, "\"id\" của hồ sơ phải bằng entity_id");
		return -1;
	}
	if (!json_is_object(e) || !sync_id_valid(jstr(e, "id")) || !req_str(e, "actor", 64) ||
	    !req_str(e, "device_time", 64) || !opt_str(e, "unit_code", 32) ||
	    (jstr(e, "kind") && strcmp(jstr(e, "kind"), op->op)) ||
	    (json_object_get(e, "payload") && !json_is_object(json_object_get(e, "payload")))) {
		set_outcome(o, MC_ERR_BAD_PAYLOAD, "Thao tác cần \"event\" với id, kind = %s,"
			    " actor, device_time", op->op);
		return -1;
	}
	json_t *rdoc = json_object_get(d, "result_document_id");
	if (rdoc && !json_is_null(rdoc) &&
	    (a != MC_ACT_RESULT_READY || !sync_id_valid(json_string_value(rdoc)))) {
		set_outcome(o, MC_ERR_BAD_PAYLOAD, "\"result_document_id\" chỉ đi cùng"
			    " result-ready và phải là một mã định danh hợp lệ");
		return -1;
	}
	/* the result's paper as the workstation filed it (docs/api.md): its
	 * documents row, so that another unit's counter can reuse it */
	json_t *rd = json_object_get(d, "result_document");
	if (rd && !json_is_null(rd)) {
		if (!json_is_string(rdoc) || !json_is_object(rd) || !jstr(rd, "id") ||
		    strcmp(jstr(rd, "id"), json_string_value(rdoc))) {
			set_outcome(o, MC_ERR_BAD_PAYLOAD, "\"result_document\" đi cùng"
				    " \"result_document_id\" và có cùng \"id\"");
			return -1;
		}
		if (attach_check_document(rd, o))
			return -1;
	}
	if (!opt_str(d, "note", 4096) || !opt_str(d, "handling_unit", 32) ||
	    !opt_str(d, "updated_at", 64)) {
		set_outcome(o, MC_ERR_BAD_PAYLOAD, "\"note\", \"handling_unit\", \"updated_at\""
			    " phải là chuỗi");
		return -1;
	}
	json_t *app = json_object_get(d, "appointment");
	if (app && !json_is_null(app) && !is_dt(d, "appointment")) {
		set_outcome(o, MC_ERR_BAD_PAYLOAD, "\"appointment\" phải có dạng YYYY-MM-DDTHH:MM");
		return -1;
	}
	static const char *const ints[] = { "status", "rev" };
	for (size_t i = 0; i < 2; i++) {
		json_t *v = json_object_get(d, ints[i]);
		if (v && !json_is_null(v) && !json_is_integer(v)) {
			set_outcome(o, MC_ERR_BAD_PAYLOAD, "\"%s\" phải là số nguyên", ints[i]);
			return -1;
		}
	}
	json_t *rev = json_object_get(d, "rev");
	if (json_is_integer(rev) && !rev_follows(rev, op->base_rev)) {
		set_outcome(o, MC_ERR_BAD_PAYLOAD, "\"rev\" phải bằng base_rev + 1");
		return -1;
	}
	return 0;
}

/* Whether the status the workstation computed (payload.status and
 * event.status_to, when given) is the one the lifecycle gives. */
static int check_status(const json_t *d, enum mc_action act, enum mc_status to,
			struct outcome *o)
{
	const json_t *vals[] = { json_object_get(d, "status"),
				 json_object_get(json_object_get(d, "event"), "status_to") };
	for (size_t i = 0; i < 2; i++)
		if (json_is_integer(vals[i]) && json_integer_value(vals[i]) != (json_int_t)to) {
			set_outcome(o, MC_ERR_STATUS_MISMATCH, "Thao tác %s đưa hồ sơ sang"
				    " trạng thái %d, không phải %lld", mc_action_id(act), (int)to,
				    (long long)json_integer_value(vals[i]));
			return -1;
		}
	return 0;
}

/* The stored dossier, locked for the operation's transaction. */
struct locked {
	int status;
	long long rev;
	char *unit;     /* receiving unit */
	char *handling; /* current handling unit; NULL when none */
	json_t *data;   /* NULL if the stored JSON could not be read */
};

static void locked_release(struct locked *l)
{
	free(l->unit);
	free(l->handling);
	json_decref(l->data);
	memset(l, 0, sizeof(*l));
}

/* 0 with *l filled, or -1 with the outcome set (unknown dossier, database). */
static int lock_dossier(PGconn *c, const char *id, struct outcome *o, struct locked *l)
{
	const char *p[] = { id };
	PGresult *res = db_query(c, "SELECT status, rev, unit_code, data::text,"
				    " nullif(data->>'handling_unit', '') FROM dossiers"
				    " WHERE id = $1 FOR UPDATE", 1, p);
	if (!db_ok(res)) {
		set_db_failure(o, res);
		PQclear(res);
		return -1;
	}
	if (PQntuples(res) != 1) {
		PQclear(res);
		set_outcome(o, MC_ERR_UNKNOWN_DOSSIER,
			    "Máy chủ chưa có hồ sơ %s (hãy gửi thao tác tiếp nhận trước)", id);
		return -1;
	}
	l->status = atoi(PQgetvalue(res, 0, 0));
	l->rev = atoll(PQgetvalue(res, 0, 1));
	l->unit = xstrdup(PQgetvalue(res, 0, 2));
	l->data = json_loads(PQgetvalue(res, 0, 3), 0, NULL);
	l->handling = PQgetisnull(res, 0, 4) ? NULL : xstrdup(PQgetvalue(res, 0, 4));
	PQclear(res);
	return 0;
}

static int apply_action(PGconn *c, const struct session *s, const struct sync_op *op,
			struct outcome *o)
{
	enum mc_action act = (enum mc_action)mc_action_from_id(op->op); /* check_action knew it */
	const json_t *d = op->payload;
	const json_t *ev = json_object_get(d, "event");
	struct locked l;
	if (lock_dossier(c, op->entity_id, o, &l))
		return -1;
	int from = l.status;
	long long rev = l.rev;
	const char *unit = l.unit, *handling = l.handling;
	json_t *data = l.data;
	int rc = -1;
	enum mc_status to;
	char acting[32];
	struct strbuf err = STRBUF_INIT;
	if (!data) {
		o->db_failed = true;
		goto out;
	}
	if (!in_dossier_scope_as(c, o, s->username, unit, handling, acting))
		goto out;
	if (jstr(d, "handling_unit") && *jstr(d, "handling_unit") &&
	    !unit_exists(c, o, "handling_unit", jstr(d, "handling_unit")))
		goto out;
	if (op->base_rev != rev) {
		set_outcome(o, MC_ERR_STALE_REV, "Hồ sơ đã được thay đổi trên máy chủ"
			    " (phiên bản %lld; thao tác dựa trên phiên bản %lld)", rev, op->base_rev);
		goto out;
	}
	if (mc_lifecycle_apply(from, act, &to, &err)) {
		set_outcome(o, MC_ERR_INVALID_TRANSITION, "%s", err.buf);
		goto out;
	}
	if (check_status(d, act, to, o))
		goto out;
	if (json_is_object(json_object_get(d, "result_document")) &&
	    attach_record_result(c, s, json_object_get(d, "result_document"), unit, data, o))
		goto out;
	long long nrev = rev + 1;
	/* the event as recorded: the workstation's, with the server's view of the
	 * transition and the dossier's unit */
	json_t *event = json_deep_copy(ev);
	json_object_set_new(event, "dossier_id", json_string(op->entity_id));
	json_object_set_new(event, "kind", json_string(mc_action_id(act)));
	json_object_set_new(event, "status_from", json_integer(from));
	json_object_set_new(event, "status_to", json_integer(to));
	stamp_event(event, s, acting);
	bool inserted = false;
	if (insert_event(c, o, op->entity_id, event, NULL, s->device_id, &inserted)) {
		json_decref(event);
		goto out;
	}
	if (!inserted) {
		set_outcome(o, MC_ERR_EVENT_EXISTS, "Sự kiện %s đã có trên máy chủ",
			    jstr(ev, "id"));
		json_decref(event);
		goto out;
	}
	/* The stored dossier follows: status, rev, fields the change carries, its event. */
	json_object_set_new(data, "status", json_integer(to));
	json_object_set_new(data, "rev", json_integer(nrev));
	static const char *const fields[] = { "appointment", "handling_unit", "note", "updated_at",
					      "result_document_id" };
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (jstr(d, fields[i]))
			json_object_set(data, fields[i], json_object_get(d, fields[i]));
	json_t *events = json_object_get(data, "events");
	if (!json_is_array(events)) {
		events = json_array();
		json_object_set_new(data, "events", events);
	}
	json_array_append_new(events, event);
	char *text = sync_canonical_json(data);
	char sts[16], revs[24];
	snprintf(sts, sizeof(sts), "%d", (int)to);
	snprintf(revs, sizeof(revs), "%lld", nrev);
	const char *up[] = { op->entity_id, sts, revs, jstr(d, "appointment"), text };
	if (run(c, o, "UPDATE dossiers SET status = $2, rev = $3,"
		      " appointment = coalesce($4, appointment), data = $5::jsonb, updated_at = now()"
		      " WHERE id = $1", 5, up) == 0) {
		if (db_lock_changes(c, &err) ||
		    db_add_change(c, "dossier", op->entity_id, nrev, unit, text, &err)) {
			o->db_failed = true;
			server_log(LOG_ERR, SERVER_NAME ": push: %s", err.buf);
		} else {
			o->rev = nrev;
			rc = 0;
		}
	}
	free(text);
out:
	strbuf_release(&err);
	locked_release(&l);
	return rc;
}

/* ---- op "reassign" ------------------------------------------------------------------ */

/* A supervisor hands a dossier to another clerk of its unit (docs/lifecycle.md):
 *   {"id", "status": unchanged, "rev": base_rev + 1, "updated_at",
 *    "assigned_clerk": username,
 *    "event": {"id", "kind": "reassign", "actor", "device_time", "unit_code"?,
 *              "payload": {"to_clerk": username, ...}}}
 * Checked here: the pusher is a supervisor or an admin with the dossier's
 * unit in scope, the dossier is not finished, the clerk is active and serves
 * the dossier's unit (users.unit_code or user_units). The stored dossier
 * gets "assigned_clerk"; the change goes down the feed with its event. */
static int check_reassign(const struct sync_op *op, struct outcome *o)
{
	const json_t *d = op->payload, *e = json_object_get(d, "event");
	const json_t *p = json_object_get(e, "payload");
	if (jstr(d, "id") && strcmp(jstr(d, "id"), op->entity_id)) {
		set_outcome(o, MC_ERR_BAD_PAYLOAD, "\"id\" của hồ sơ phải bằng entity_id");
		return -1;
	}
	if (!req_str(d, "assigned_clerk", 64) || !json_is_object(e) || !sync_id_valid(jstr(e, "id")) ||
	    !req_str(e, "actor", 64) || !req_str(e, "device_time", 64) || !opt_str(e, "unit_code", 32) ||
	    (jstr(e, "kind") && strcmp(jstr(e, "kind"), MC_REASSIGN_ID)) ||
	    (p && !json_is_object(p)) || (p && jstr(p, "to_clerk") &&
					  strcmp(jstr(p, "to_clerk"), jstr(d, "assigned_clerk"))) ||
	    !opt_str(d, "updated_at", 64)) {
		set_outcome(o, MC_ERR_BAD_PAYLOAD, "Thao tác reassign cần \"assigned_clerk\" và"
			    " \"event\" với id, kind = reassign, actor, device_time (payload.to_clerk"
			    " bằng assigned_clerk)");
		return -1;
	}
	json_t *rev = json_object_get(d, "rev"), *st = json_object_get(d, "status");
	if ((rev && !json_is_null(rev) && (!json_is_integer(rev) ||
					   !rev_follows(rev, op->base_rev))) ||
	    (st && !json_is_null(st) && !json_is_integer(st))) {
		set_outcome(o, MC_ERR_BAD_PAYLOAD, "\"rev\" phải bằng base_rev + 1, \"status\""
			    " là số nguyên");
		return -1;
	}
	return 0;
}

/* One row: whether sql with params p returns a row (-1: the database failed). */
static int exists(PGconn *c, struct outcome *o, const char *sql, int n, const char *const *p)
{
	PGresult *res = db_query(c, sql, n, p);
	int rc = db_ok(res) ? PQntuples(res) > 0 : -1;
	if (rc < 0)
		set_db_failure(o, res);
	PQclear(res);
	return rc;
}

static int apply_reassign(PGconn *c, const struct session *s, const struct sync_op *op,
			  struct outcome *o)
{
	const json_t *d = op->payload;
	const char *to = jstr(d, "assigned_clerk");
	struct locked l;
	if (lock_dossier(c, op->entity_id, o, &l))
		return -1;
	int status = l.status;
	long long rev = l.rev;
	const char *unit = l.unit, *handling = l.handling;
	json_t *data = l.data;
	int rc = -1, k;
	char acting[32];
	struct strbuf err = STRBUF_INIT;
	const char *who[] = { s->username };
	const char *target[] = { to, unit, handling ? handling : unit };
	if (!data) {
		o->db_failed = true;
		goto out;
	}
	if (!in_dossier_scope_as(c, o, s->username, unit, handling, acting))
		goto out;
	k = exists(c, o, "SELECT 1 FROM users WHERE username = $1 AND role IN ('supervisor', 'admin')",
		   1, who);
	if (k <= 0) {
		if (k == 0)
			set_outcome(o, MC_ERR_FORBIDDEN, "Tài khoản %s không phải cán bộ giám sát:"
				    " không được giao hồ sơ cho cán bộ khác", s->username);
		goto out;
	}
	if (op->base_rev != rev) {
		set_outcome(o, MC_ERR_STALE_REV, "Hồ sơ đã được thay đổi trên máy chủ"
			    " (phiên bản %lld; thao tác dựa trên phiên bản %lld)", rev, op->base_rev);
		goto out;
	}
	if (mc_reassign_check(status, &err)) {
		set_outcome(o, MC_ERR_INVALID_TRANSITION, "%s", err.buf);
		goto out;
	}
	const json_t *st = json_object_get(d, "status");
	if (json_is_integer(st) && json_integer_value(st) != status) {
		set_outcome(o, MC_ERR_STATUS_MISMATCH, "Giao lại hồ sơ không đổi trạng thái %d"
			    " (thao tác ghi %lld)", status, (long long)json_integer_value(st));
		goto out;
	}
	k = exists(c, o, "SELECT 1 FROM users u WHERE u.username = $1 AND NOT u.disabled"
			 " AND (u.unit_code IN ($2, $3) OR EXISTS (SELECT 1 FROM user_units uu"
			 " WHERE uu.username = u.username AND uu.unit_code IN ($2, $3)))", 3, target);
	if (k <= 0) {
		if (k == 0)
			set_outcome(o, MC_ERR_BAD_CLERK, "Cán bộ %s không có, đã bị khóa hoặc"
				    " không làm việc tại đơn vị %s của hồ sơ", to, unit);
		goto out;
	}
	json_t *event = json_deep_copy(json_object_get(d, "event"));
	json_object_set_new(event, "dossier_id", json_string(op->entity_id));
	json_object_set_new(event, "kind", json_string(MC_REASSIGN_ID));
	json_object_set_new(event, "status_from", json_integer(status));
	json_object_set_new(event, "status_to", json_integer(status));
	stamp_event(event, s, acting);
	bool inserted = false;
	if (insert_event(c, o, op->entity_id, event, NULL, s->device_id, &inserted)) {
		json_decref(event);
		goto out;
	}
	if (!inserted) {
		set_outcome(o, MC_ERR_EVENT_EXISTS, "Sự kiện %s đã có trên máy chủ",
			    jstr(event, "id"));
		json_decref(event);
		goto out;
	}
	long long nrev = rev + 1;
	json_object_set_new(data, "rev", json_integer(nrev));
	json_object_set_new(data, "assigned_clerk", json_string(to));
	if (jstr(d, "updated_at"))
		json_object_set(data, "updated_at", json_object_get(d, "updated_at"));
	json_t *events = json_object_get(data, "events");
	if (!json_is_array(events)) {
		events = json_array();
		json_object_set_new(data, "events", events);
	}
	json_array_append_new(events, event);
	char *text = sync_canonical_json(data);
	char revs[24];
	snprintf(revs, sizeof(revs), "%lld", nrev);
	const char *up[] = { op->entity_id, revs, text };
	if (run(c, o, "UPDATE dossiers SET rev = $2, data = $3::jsonb, updated_at = now()"
		      " WHERE id = $1", 3, up) == 0) {
		if (db_lock_changes(c, &err) ||
		    db_add_change(c, "dossier", op->entity_id, nrev, unit, text, &err)) {
			o->db_failed = true;
			server_log(LOG_ERR, SERVER_NAME ": push: %s", err.buf);
		} else {
			o->rev = nrev;
			rc = 0;
		}
	}
	free(text);
out:
	strbuf_release(&err);
	locked_release(&l);
	return rc;
}

/* ---- one operation ------------------------------------------------------------------- */

/* The kinds of operation, {entity, op, check, apply} (server/ops.h); the
 * first row naming the pair wins. */
struct op_kind {
	const char *entity;
	const char *op;
	op_check_fn *check;
	op_apply_fn *apply;
};

#define ACTION_OP(name, id, label, needs) { "dossier", id, check_action, apply_action },
static const struct op_kind op_kinds[] = {
	{ "dossier", "receive", check_dossier, apply_receive },
	{ "dossier", MC_REASSIGN_ID, check_reassign, apply_reassign },
	{ "dossier", "attach", attach_check, attach_apply },
	{ "visit", "record", visit_check, visit_apply },
	/* an online dossier received (server/online.c); before the lifecycle's
	 * rows, which name "accept" too */
	{ "dossier", "accept", online_accept_check, online_accept_apply },
	/* every action of the lifecycle (core/lifecycle.h): "transfer", "return"...;
	 * its "receive" is the row above */
	MC_ACTIONS(ACTION_OP)
};
#undef ACTION_OP

static const struct op_kind *find_kind(const struct sync_op *op)
{
	for (size_t i = 0; i < sizeof(op_kinds) / sizeof(op_kinds[0]); i++)
		if (!strcmp(op->entity, op_kinds[i].entity) && !strcmp(op->op, op_kinds[i].op))
			return &op_kinds[i];
	return NULL;
}

/* Whether every real number of v is within ±2^53 (an integer fits: Jansson
 * read it as a 64-bit one): a payload's values end up in the stored dossier
 * (jsonb), whose text the server reads back with Jansson; jsonb writes
 * numbers without exponent, so 1e308 would come back as a 309-digit
 * integer that no later operation on the dossier could read. The fields
 * the server reads are checked against their own ranges elsewhere. */
static bool numbers_sane(const json_t *v, int depth)
{
	const double lim = 9007199254740992.0; /* 2^53 */
	if (depth > 64)
		return false;
	if (json_is_real(v))
		return json_real_value(v) >= -lim && json_real_value(v) <= lim;
	const char *k;
	const json_t *c;
	size_t i;
	if (json_is_object(v)) {
		json_object_foreach((json_t *)v, k, c)
			if (!numbers_sane(c, depth + 1))
				return false;
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, c)
			if (!numbers_sane(c, depth + 1))
				return false;
	}
	return true;
}

/* Pure checks that do not need the database: the hash, the kind, the
 * kind's own checks. The kind, or NULL with the outcome set. */
static const struct op_kind *check_op(const struct sync_op *op, struct outcome *o)
{
	if (!sync_hash_valid(op->payload_hash)) {
		set_outcome(o, MC_ERR_BAD_HASH, "payload_hash phải là 64 chữ số hex thường");
		return NULL;
	}
	if (!sync_payload_hash_matches(op->payload, op->payload_hash)) {
		set_outcome(o, MC_ERR_BAD_HASH, "payload_hash không khớp với nội dung payload");
		return NULL;
	}
	if (!numbers_sane(op->payload, 0)) {
		set_outcome(o, MC_ERR_BAD_PAYLOAD, "Payload có một số thực ngoài miền (tối đa ±2^53)"
			    " hoặc lồng quá 64 mức");
		return NULL;
	}
	const struct op_kind *k = find_kind(op);
	if (!k) {
		set_outcome(o, MC_ERR_UNKNOWN_OP, "Không hỗ trợ thao tác %s trên %s",
			    op->op, op->entity);
		return NULL;
	}
	return k->check(op, o) ? NULL : k;
}

bool push_op_check(const struct sync_op *op, struct outcome *o)
{
	memset(o, 0, sizeof(*o));
	return check_op(op, o) != NULL;
}

/* The hash an operation is known by in ops: its payload_hash, but for a
 * compact dossier (protocol 2) the hash of the whole document it stands for
 * (whole_document), which is the payload_hash of the same dossier sent
 * whole. A workstation that sent a reception whole (before it knew the
 * server's protocol) and sends it again compact after a lost answer gets
 * duplicate, not op_id_reused: one operation, one hash. *whole receives the
 * whole document of a compact payload (NULL otherwise). -1 when the
 * database failed (o set). */
static int identity_hash(PGconn *c, const struct sync_op *op, json_t **whole,
			 char out[SYNC_HASH_HEX + 1], struct outcome *o)
{
	*whole = NULL;
	if (!json_is_true(json_object_get(op->payload, "compact")) || strcmp(op->op, "receive")) {
		snprintf(out, SYNC_HASH_HEX + 1, "%s", op->payload_hash);
		return 0;
	}
	*whole = whole_document(c, op->payload, o);
	if (!*whole)
		return -1;
	char *text = sync_payload_text(*whole); /* the protocol's hash: member order */
	sync_payload_hash_text(text, out);
	free(text);
	return 0;
}

/* One operation in a transaction of its own, committed without waiting
 * for the disk (synchronous_commit off): the batch's last transaction
 * (api_push) waits for all of them at once, before any answer leaves. Its
 * change rows are written last, just before its commit: the lock that
 * orders the log is held for that insert and the commit, not for the
 * operation's checks. */
static void attempt(PGconn *c, const struct session *s, const struct sync_op *op,
		    const char *device_id, struct outcome *o)
{
	memset(o, 0, sizeof(*o));
	json_t *whole = NULL;
	db_changes_truncate(0);
	PGresult *begin = PQexec(c, "BEGIN; SET LOCAL synchronous_commit TO off");
	if (!begin)
		abort(); /* out of memory */
	if (!db_ok(begin)) {
		set_db_failure(o, begin);
		PQclear(begin);
		db_exec(c, "ROLLBACK", NULL);
		return;
	}
	PQclear(begin);
	char ident[SYNC_HASH_HEX + 1];
	if (identity_hash(c, op, &whole, ident, o))
		goto rollback;
	const char *ip[] = { op->op_id, device_id, s->username, op->entity, op->entity_id,
			     op->op, ident };
	PGresult *res = db_query(c, "INSERT INTO ops(op_id, device_id, username, entity, entity_id,"
				    " op, payload_hash) VALUES ($1, $2, $3, $4, $5, $6, $7)"
				    " ON CONFLICT (op_id) DO NOTHING RETURNING op_id", 7, ip);
	if (!db_ok(res)) {
		set_db_failure(o, res);
		PQclear(res);
		goto rollback;
	}
	bool fresh = PQntuples(res) == 1;
	PQclear(res);
	if (!fresh) {
		/* Seen before: the same answer for the same payload. */
		const char *p[] = { op->op_id };
		res = db_query(c, "SELECT payload_hash, rev FROM ops WHERE op_id = $1", 1, p);
		if (!db_ok(res) || PQntuples(res) != 1) {
			set_db_failure(o, res);
			PQclear(res);
			goto rollback;
		}
		if (!strcmp(PQgetvalue(res, 0, 0), ident)) {
			o->status = SYNC_DUPLICATE;
			o->rev = atoll(PQgetvalue(res, 0, 1));
		} else {
			set_outcome(o, MC_ERR_OP_ID_REUSED, "Mã thao tác %s đã được dùng cho"
				    " một nội dung khác", op->op_id);
		}
		PQclear(res);
		goto rollback;
	}
	const struct op_kind *kind = check_op(op, o);
	/* a compact dossier is applied as the whole document made above */
	struct sync_op applied = *op;
	if (whole)
		applied.payload = whole;
	if (!kind || kind->apply(c, s, &applied, o))
		goto rollback;
	char revs[24];
	snprintf(revs, sizeof(revs), "%lld", o->rev);
	const char *up[] = { op->op_id, revs };
	if (run(c, o, "UPDATE ops SET rev = $2 WHERE op_id = $1", 2, up))
		goto rollback;
	struct strbuf err = STRBUF_INIT;
	if (db_changes_flush(c, &err)) {
		o->db_failed = true;
		server_log(LOG_ERR, SERVER_NAME ": push: %s", err.buf);
		strbuf_release(&err);
		goto rollback;
	}
	strbuf_release(&err);
	if (run(c, o, "COMMIT", 0, NULL))
		goto rollback;
	db_changes_truncate(0);
	o->status = SYNC_APPLIED;
	json_decref(whole);
	return;
rollback:
	db_exec(c, "ROLLBACK", NULL);
	db_changes_truncate(0);
	json_decref(whole);
}

/* Keeps a conflicting or rejected operation for a person to look at. */
static void record_problem(PGconn *c, const struct session *s, const struct sync_op *op,
			   const struct outcome *o)
{
	char *payload = sync_canonical_json(op->payload);
	const char *p[] = { op->op_id, op->payload_hash, s->device_id, s->username,
			    sync_status_id(o->status), mc_err_wire(o->code), o->message, payload };
	db_execp(c, "INSERT INTO op_problems(op_id, payload_hash, device_id, username, status, code,"
		    " message, payload) VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb)"
		    " ON CONFLICT (op_id, payload_hash) DO UPDATE SET status = excluded.status,"
		    " code = excluded.code, message = excluded.message, last_seen_at = now(),"
		    " attempts = op_problems.attempts + 1", 8, p, NULL);
	free(payload);
}

/* The files of the documents this device attached that the server does
 * not hold (flagged: 0008_files_restore.sql), at most 100 a push (a sample
 * drawn anew each time, so that files the workstation can no longer send,
 * damaged there, never hide others):
 * the workstation sends them again (after a restore from an older backup,
 * or a file whose upload never came). The stale flags of files held since
 * are cleared. A failure here leaves the list empty: the next push asks
 * again. */

static void missing_files(PGconn *c, const char *device_id, struct sync_push_response *resp)
{
	const char *p[] = { device_id };
	db_execp(c, "UPDATE documents d SET file_missing = false WHERE d.device_id = $1"
		    " AND d.file_missing AND EXISTS (SELECT 1 FROM blobs b WHERE b.sha256 = d.sha256)",
		 1, p, NULL);
	PGresult *res = db_query(c, "SELECT sha256 FROM (SELECT DISTINCT d.sha256 FROM documents d"
				    " WHERE d.device_id = $1 AND d.file_missing) m ORDER BY random()"
				    " LIMIT 100", 1, p);
	for (int i = 0; db_ok(res) && i < PQntuples(res); i++)
		sync_push_response_add_missing(resp, PQgetvalue(res, i, 0));
	PQclear(res);
}

void api_push(struct req *r)
{
	PGconn *c = db_thread_conn();
	if (!c) {
		respond_db_down(r);
		return;
	}
	if (req_protocol(r) < 0)
		return;
	/* JSON only: a type browsers send across sites without asking (text/plain,
	 * multipart/form-data) or any other is refused. No type, and curl's
	 * default for --data (application/x-www-form-urlencoded), are read as JSON. */
	const char *ct = req_header(r, "Content-Type");
	size_t ctn = ct ? strcspn(ct, "; ") : 0;
	if (ct && !(ctn == 16 && !strncasecmp(ct, "application/json", 16)) &&
	    !(ctn == 33 && !strncasecmp(ct, "application/x-www-form-urlencoded", 33))) {
		respond_error(r, MC_ERR_BAD_CONTENT_TYPE, "Nội dung phải là JSON"
			      " (Content-Type: application/json)");
		return;
	}
	struct sync_push push;
	struct sync_error e;
	if (sync_push_decode(r->body.buf ? r->body.buf : "", r->body.len, &push, &e)) {
		respond_error(r, mc_err_from_wire(e.code), "%s", e.message);
		return;
	}
	if (strcmp(push.device_id, r->s.device_id)) {
		respond_error(r, MC_ERR_WRONG_DEVICE, "device_id %s không phải thiết bị của mã truy cập này",
			      push.device_id);
		sync_push_release(&push);
		return;
	}
	struct sync_push_response resp;
	sync_push_response_init(&resp);
	/* Each operation in its own transaction (attempt), committed without
	 * waiting for the disk; the device's row last, committed with the
	 * wait: its commit flushes the log with every commit before it, so no
	 * answer leaves before what it says is on disk. */
	bool failed = false;
	const char *last_applied = NULL;
	long applied = 0;
	db_changes_defer();
	batch_procs_end();
	batch_procs.on = true;
	for (size_t i = 0; i < push.nops && !failed; i++) {
		const struct sync_op *op = &push.ops[i];
		struct outcome o;
		for (int k = 0; k < 4; k++) {
			attempt(c, &r->s, op, push.device_id, &o);
			if (!o.retry)
				break;
		}
		if (o.retry || o.db_failed) {
			failed = true;
			break;
		}
		if (o.status == SYNC_APPLIED) {
			last_applied = op->op_id;
			applied++;
		}
		switch (o.status) {
		case SYNC_APPLIED: r->ops_applied++; break;
		case SYNC_DUPLICATE: r->ops_duplicate++; break;
		case SYNC_CONFLICT: r->ops_conflict++; break;
		default: r->ops_rejected++; break;
		}
		if (json_is_true(json_object_get(op->payload, "compact")))
			r->ops_compact++;
		if (o.status == SYNC_CONFLICT || o.status == SYNC_REJECTED)
			record_problem(c, &r->s, op, &o);
		bool err = o.status == SYNC_CONFLICT || o.status == SYNC_REJECTED;
		sync_push_response_add(&resp, op->op_id, o.status, o.rev,
				       err ? mc_err_wire(o.code) : NULL, err ? o.message : NULL);
	}
	if (!failed) {
		char n[24];
		snprintf(n, sizeof(n), "%ld", applied);
		const char *dp[] = { last_applied, push.device_id, n };
		failed = db_execp(c, "UPDATE devices SET last_applied_op = coalesce($1,"
				     " last_applied_op), ops_applied = ops_applied + $3::integer,"
				     " last_seen_at = now() WHERE device_id = $2", 3, dp, NULL) != 0;
	}
	db_changes_end();
	batch_procs_end();
	metrics_ops(r->ops_applied, r->ops_duplicate, r->ops_conflict, r->ops_rejected);
	if (failed) {
		sync_push_response_release(&resp);
		sync_push_release(&push);
		respond_db_down(r);
		return;
	}
	const char *p[] = { push.device_id };
	PGresult *res = db_query(c, "SELECT last_applied_op FROM devices WHERE device_id = $1", 1, p);
	if (db_ok(res) && PQntuples(res) == 1 && !PQgetisnull(res, 0, 0))
		resp.last_applied_op = xstrdup(PQgetvalue(res, 0, 0));
	PQclear(res);
	missing_files(c, push.device_id, &resp);
	char clock[40];
	server_clock(clock, sizeof(clock));
	resp.server_clock = xstrdup(clock);
	char *body = sync_push_response_encode(&resp);
	sync_push_response_release(&resp);
	sync_push_release(&push);
	respond_text(r, 200, "application/json; charset=utf-8", body);
}
