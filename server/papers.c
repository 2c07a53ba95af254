/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A citizen's signed papers, seen from the counter of any unit (docs/reuse.md
 * "Across units", docs/api.md "Papers"):
 *
 *   GET /api/v1/papers?id_number=N&dossier=CODE   the list
 *   GET /api/v1/papers/{id}?dossier=CODE          one paper's file
 *
 * The scope rule: the caller serves (user_scope) the receiving or the
 * handling unit of dossier CODE, and that dossier's applicant is citizen N
 * (for a file: the paper's owner). A clerk sees the papers of the citizen
 * standing at the counter, for the dossier being received, and nobody
 * else's. Listed: papers held with their file, signed (the workstation
 * recorded a signer), not expired by the server's date. Every look-up, the
 * refused ones too, is a row of paper_lookups (migration 0012) with the
 * token's user, unit and device and the server's clock. */
#include "server/api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/syncproto.h"

#define ARG_MAX 40 /* characters of id_number and dossier */

/* 1..ARG_MAX of A-Z a-z 0-9 . - (ID numbers, passport numbers, dossier codes) */
static bool arg_valid(const char *s)
{
	if (!s || !*s || strlen(s) > ARG_MAX)
		return false;
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		      *s == '.' || *s == '-'))
			return false;
	return true;
}

/* The id of dossier code, when it is citizen id_number's and in the user's
 * scope: 1 (*id malloc'd), 0 (not), -1 (the database). */
static int dossier_in_scope(PGconn *c, const char *code, const char *id_number, const char *user,
			    char **id)
{
	const char *p[] = { code, id_number, user };
	PGresult *res = db_query(c, "SELECT x.id FROM dossiers x WHERE x.code = $1"
				    " AND x.data->'applicant'->>'id_number' = $2"
				    " AND (x.unit_code IN (SELECT unit_code FROM user_scope($3))"
				    " OR x.data->>'handling_unit' IN (SELECT unit_code FROM user_scope($3)))",
				 3, p);
	if (!db_ok(res)) {
		PQclear(res);
		return -1;
	}
	int found = PQntuples(res) == 1;
	*id = found ? xstrdup(PQgetvalue(res, 0, 0)) : NULL;
	PQclear(res);
	return found;
}

/* The look-up's row; 0, or -1 (the database: nothing is answered then). */
static int log_lookup(PGconn *c, const struct req *r, const char *code, const char *dossier_id,
		      const char *id_number, const char *doc_id, unsigned status, int papers)
{
	char st[16], n[16];
	snprintf(st, sizeof st, "%u", status);
	snprintf(n, sizeof n, "%d", papers);
	const char *p[] = { r->s.username, r->s.unit_code, r->s.device_id, code, dossier_id,
			    id_number, doc_id, st, n };
	struct strbuf err = STRBUF_INIT;
	int rc = db_execp(c, "INSERT INTO paper_lookups(username, unit_code, device_id, dossier_code,"
			     " dossier_id, id_number, document_id, status, papers)"
			     " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)", 9, p, &err);
	if (rc)
		server_log(LOG_ERR, SERVER_NAME ": papers: %s", err.buf);
	strbuf_release(&err);
	return rc;
}

/* The refusal of a look-up out of scope, logged first. */
static void refuse_scope(struct req *r, PGconn *c, const char *code, const char *id_number,
			 const char *doc_id)
{
	if (log_lookup(c, r, code, NULL, id_number, doc_id, 403, 0)) {
		respond_db_down(r);
		return;
	}
	respond_error(r, MC_ERR_PAPER_SCOPE, "Tài khoản %s không tiếp nhận hồ sơ %s của công dân có"
		      " số định danh này: không xem được giấy tờ của họ", r->s.username, code);
}

/* One paper of the list: the stored metadata's fields that describe it. */
static json_t *paper_json(PGresult *res, int i)
{
	json_t *meta = json_loads(PQgetvalue(res, i, 4), 0, NULL);
	json_t *o = json_object();
	json_object_set_new(o, "id", json_string(PQgetvalue(res, i, 0)));
	json_object_set_new(o, "sha256", json_string(PQgetvalue(res, i, 1)));
	json_object_set_new(o, "kind", json_string(PQgetvalue(res, i, 2)));
	json_object_set_new(o, "bytes", json_integer(atoll(PQgetvalue(res, i, 3))));
	json_object_set_new(o, "unit_code", json_string(PQgetvalue(res, i, 5)));
	static const char *const keys[] = { "title", "paper_type", "number", "issuer", "issued_on",
					    "expires_on", "signer", "signed_at" };
	for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
		json_t *v = json_object_get(meta, keys[k]);
		json_object_set(o, keys[k], json_is_string(v) ? v : json_null());
	}
	json_object_set_new(o, "pages", json_integer(json_integer_value(json_object_get(meta, "pages"))));
	json_object_set_new(o, "is_result", json_boolean(json_is_true(json_object_get(meta, "is_result"))));
	json_decref(meta);
	return o;
}

void api_papers(struct req *r)
{
	const char *idn = req_arg(r, "id_number"), *code = req_arg(r, "dossier");
	if (!arg_valid(idn) || !arg_valid(code)) {
		respond_error(r, MC_ERR_BAD_REQUEST, "Cần \"id_number\" (số định danh của công dân) và"
			      " \"dossier\" (mã hồ sơ đang tiếp nhận), mỗi trường 1 đến %d ký tự"
			      " A-Z a-z 0-9 . -", ARG_MAX);
		return;
	}
	PGconn *c = db_thread_conn();
	if (!c) {
		respond_db_down(r);
		return;
	}
	char *dossier_id = NULL;
	int in = dossier_in_scope(c, code, idn, r->s.username, &dossier_id);
	if (in < 0) {
		respond_db_down(r);
		return;
	}
	if (!in) {
		refuse_scope(r, c, code, idn, NULL);
		return;
	}
	const char *p[] = { idn };
	PGresult *res = db_query(c, "SELECT d.id, d.sha256, d.kind, b.size, d.meta::text, d.unit_code"
				    " FROM documents d JOIN blobs b ON b.sha256 = d.sha256"
				    " WHERE d.owner_id_number = $1 AND coalesce(d.meta->>'signer', '') <> ''"
				    " AND (coalesce(d.meta->>'expires_on', '') = ''"
				    " OR d.meta->>'expires_on' >= to_char(current_date, 'YYYY-MM-DD'))"
				    " ORDER BY d.created_at DESC, d.id DESC LIMIT 200", 1, p);
	if (!db_ok(res)) {
		PQclear(res);
		free(dossier_id);
		respond_db_down(r);
		return;
	}
	json_t *list = json_array();
	for (int i = 0; i < PQntuples(res); i++)
		json_array_append_new(list, paper_json(res, i));
	PQclear(res);
	if (log_lookup(c, r, code, dossier_id, idn, NULL, 200, (int)json_array_size(list))) {
		json_decref(list);
		free(dossier_id);
		respond_db_down(r);
		return;
	}
	free(dossier_id);
	respond_json(r, 200, json_pack("{s:s, s:s, s:o}", "id_number", idn, "dossier", code,
				       "papers", list));
}

void api_paper_get(struct req *r)
{
	const char *id = req_param(r), *code = req_arg(r, "dossier");
	if (!sync_id_valid(id) || !arg_valid(code)) {
		respond_error(r, MC_ERR_BAD_REQUEST, "Cần mã giấy tờ hợp lệ và \"dossier\" (mã hồ sơ đang"
			      " tiếp nhận)");
		return;
	}
	PGconn *c = db_thread_conn();
	if (!c) {
		respond_db_down(r);
		return;
	}
	const char *p[] = { id };
	PGresult *res = db_query(c, "SELECT d.sha256, coalesce(d.owner_id_number, ''),"
				    " coalesce(d.meta->>'signer', ''), coalesce(d.meta->>'expires_on', ''),"
				    " b.size, coalesce(d.meta->>'expires_on', '') <> ''"
				    " AND d.meta->>'expires_on' < to_char(current_date, 'YYYY-MM-DD')"
				    " FROM documents d JOIN blobs b ON b.sha256 = d.sha256 WHERE d.id = $1",
				 1, p);
	if (!db_ok(res)) {
		PQclear(res);
		respond_db_down(r);
		return;
	}
	if (PQntuples(res) != 1) {
		PQclear(res);
		respond_error(r, MC_ERR_NOT_FOUND, "Máy chủ không có giấy tờ %s (hoặc chưa có tệp của nó)",
			      id);
		return;
	}
	char *sha = xstrdup(PQgetvalue(res, 0, 0)), *owner = xstrdup(PQgetvalue(res, 0, 1));
	char *expires = xstrdup(PQgetvalue(res, 0, 3));
	bool signed_ = *PQgetvalue(res, 0, 2), expired = PQgetvalue(res, 0, 5)[0] == 't';
	long long size = atoll(PQgetvalue(res, 0, 4));
	PQclear(res);
	char *dossier_id = NULL;
	int in = *owner ? dossier_in_scope(c, code, owner, r->s.username, &dossier_id) : 0;
	if (in < 0)
		respond_db_down(r);
	else if (!in)
		refuse_scope(r, c, code, owner, id);
	else if (!signed_ || expired) {
		unsigned st = (unsigned)mc_err_status(signed_ ? MC_ERR_PAPER_EXPIRED : MC_ERR_PAPER_UNSIGNED);
		if (log_lookup(c, r, code, dossier_id, owner, id, st, 0))
			respond_db_down(r);
		else if (!signed_)
			respond_error(r, MC_ERR_PAPER_UNSIGNED, "Giấy tờ %s chưa được ký số: không dùng lại"
				      " được từ máy chủ", id);
		else
			respond_error(r, MC_ERR_PAPER_EXPIRED, "Giấy tờ %s đã hết hạn ngày %s: không dùng"
				      " lại được", id, expires);
	} else if (log_lookup(c, r, code, dossier_id, owner, id, 200, 1))
		respond_db_down(r);
	else
		respond_blob(r, c, sha, size);
	free(dossier_id);
	free(expires);
	free(owner);
	free(sha);
}
