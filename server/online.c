/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Online dossiers (docs/portal.md "Online dossiers"): one fetched from the
 * portal is stored as a dossier with status 1 and channel 2, its papers as
 * documents whose files are blobs (content-addressed, like uploads), and
 * put in its unit's feed; a clerk accepts it with the operation 'accept'
 * (its code from the workstation's numbering, its appointment counted from
 * the acceptance), asks for a supplement ('online-supplement') or refuses
 * it ('refuse'): the last two are plain lifecycle actions of push.c. */
#include "server/portal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "core/datetime.h"
#include "core/dcode.h"
#include "core/lifecycle.h"
#include "core/portal.h"
#include "core/syncproto.h"
#include "core/text.h"
#include "server/ops.h"

#define BLOB_CHUNK (256 * 1024)
#define PORTAL_ACTOR "dvcqg" /* the actor of what the portal did */

static const char *jstr(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* "PREFIX-" and 32 hex digits of SHA-256 of the parts joined by '|': ids
 * that the same portal dossier (and paper) always gets. */
static void stable_id(char *out, size_t n, const char *prefix, const char *a, const char *b,
		      const char *c)
{
	char *text = xasprintf("%s|%s|%s", a ? a : "", b ? b : "", c ? c : "");
	unsigned char h[crypto_hash_sha256_BYTES];
	char hex[2 * crypto_hash_sha256_BYTES + 1];
	crypto_hash_sha256(h, (const unsigned char *)text, strlen(text));
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	snprintf(out, n, "%s-%.32s", prefix, hex);
	free(text);
}

int blob_put(PGconn *c, const char *sha256, const char *data, long long n, struct strbuf *err)
{
	char size[24];
	snprintf(size, sizeof size, "%lld", n);
	const char *p[] = { sha256, size };
	PGresult *res = db_query(c, "INSERT INTO blobs(sha256, size) VALUES ($1, $2::bigint)"
				    " ON CONFLICT (sha256) DO NOTHING RETURNING sha256", 2, p);
	if (!db_ok(res)) {
		strbuf_addf(err, "lỗi cơ sở dữ liệu: %s", PQresultErrorMessage(res));
		PQclear(res);
		return -1;
	}
	bool fresh = PQntuples(res) == 1;
	PQclear(res);
	for (long long pos = 0; fresh && pos < n; pos += BLOB_CHUNK) {
		long long len = n - pos < BLOB_CHUNK ? n - pos : BLOB_CHUNK;
		char spos[24];
		snprintf(spos, sizeof spos, "%lld", pos);
		const char *vals[] = { sha256, spos, data + pos };
		int lens[] = { 0, 0, (int)len };
		int fmts[] = { 0, 0, 1 };
		res = PQexecParams(c, "INSERT INTO blob_chunks(sha256, pos, data) VALUES ($1, $2::bigint, $3)",
				   3, NULL, vals, lens, fmts, 0);
		if (!db_ok(res)) {
			strbuf_addf(err, "lỗi cơ sở dữ liệu: %s", PQresultErrorMessage(res));
			PQclear(res);
			return -1;
		}
		PQclear(res);
	}
	return 0;
}

/* ---- storing an online dossier ------------------------------------------------------- */

/* The papers as components (one per paper: seq 1, 2...) and as documents
 * (rows, blobs, 'document' changes); fills comps and online_papers. */
static int put_papers(PGconn *c, const char *dossier_id, const char *code, const char *portal_code,
		      const char *unit, const char *owner, const char *at, struct online_paper *papers,
		      size_t n, json_t *comps, json_t *online_papers, json_t *changes,
		      struct strbuf *err)
{
	for (size_t i = 0; i < n; i++) {
		const json_t *f = papers[i].item;
		char doc_id[48], seq[24], bytes[24];
		stable_id(doc_id, sizeof doc_id, "onlinedoc", portal_code, jstr(f, "TepDinhKemId"),
			  papers[i].sha256);
		snprintf(seq, sizeof seq, "%zu", i + 1);
		snprintf(bytes, sizeof bytes, "%lld", papers[i].bytes);
		const char *name = jstr(f, "TenTepDinhKem");
		if (blob_put(c, papers[i].sha256, papers[i].data, papers[i].bytes, err))
			return -1;
		json_t *meta = json_pack("{s:s, s:s, s:s, s:s, s:i, s:I, s:s?, s:s?, s:s}", "id", doc_id,
					 "sha256", papers[i].sha256, "kind", "online", "title", name,
					 "pages", 0, "bytes", (json_int_t)papers[i].bytes,
					 "owner_id_number", owner && *owner ? owner : NULL,
					 "portal_component", jstr(f, "MaThanhPhanHoSo"), "portal_file",
					 jstr(f, "TepDinhKemId"));
		char *mtext = sync_canonical_json(meta);
		const char *dp[] = { doc_id, papers[i].sha256, bytes, owner && *owner ? owner : NULL, mtext,
				     unit };
		int rc = db_execp(c, "INSERT INTO documents(id, sha256, kind, pages, bytes, owner_id_number,"
				     " meta, unit_code, device_id, username) VALUES ($1, $2, 'online', 0,"
				     " $3::bigint, $4, $5::jsonb, $6, 'portal', '" PORTAL_ACTOR "')"
				     " ON CONFLICT (id) DO NOTHING", 6, dp, err);
		free(mtext);
		if (rc) {
			json_decref(meta);
			return -1;
		}
		json_array_append_new(comps, json_pack("{s:I, s:s, s:s, s:i, s:i, s:i, s:i, s:i, s:n, s:s,"
						       " s:b}", "seq", (json_int_t)(i + 1), "name", name,
						       "kind", "submit", "mandatory", 1,
						       "originals_required", 0, "copies_required", 0,
						       "originals", 0, "copies", 1, "override_reason",
						       "document_id", doc_id, "reused", 0));
		json_array_append_new(online_papers,
				      json_pack("{s:s, s:s, s:s?, s:s, s:I, s:s}", "id",
						jstr(f, "TepDinhKemId"), "name", name, "component",
						jstr(f, "MaThanhPhanHoSo"), "sha256", papers[i].sha256,
						"bytes", (json_int_t)papers[i].bytes, "document_id", doc_id));
		/* the 'document' change, as attach.c writes it */
		json_t *ch = json_deep_copy(meta);
		json_object_set_new(ch, "dossier_id", json_string(dossier_id));
		json_object_set_new(ch, "code", json_string(code));
		json_object_set_new(ch, "component", json_integer((json_int_t)(i + 1)));
		json_object_set_new(ch, "reused", json_false());
		json_object_set_new(ch, "attached_at", json_string(at));
		json_object_set_new(ch, "attached_by", json_string(PORTAL_ACTOR));
		json_array_append_new(changes, ch);
		json_decref(meta);
	}
	return 0;
}

/* Which paper fills which component (dossier_documents), once the dossier
 * row is there. */
static int link_papers(PGconn *c, const char *dossier_id, const json_t *comps, struct strbuf *err)
{
	size_t i;
	const json_t *comp;
	json_array_foreach(comps, i, comp) {
		char seq[24];
		snprintf(seq, sizeof seq, "%lld", (long long)json_integer_value(json_object_get(comp, "seq")));
		const char *p[] = { dossier_id, seq, jstr(comp, "document_id") };
		if (db_execp(c, "INSERT INTO dossier_documents(dossier_id, component, document_id, reused,"
				" op_id) VALUES ($1, $2::integer, $3, false, 'portal:' || $1)"
				" ON CONFLICT (dossier_id, component) DO UPDATE SET"
				" document_id = excluded.document_id, attached_at = now()", 3, p, err))
			return -1;
	}
	return 0;
}

/* The applicant of an online dossier, as a reception writes one. */
static json_t *applicant(const json_t *item, int kind)
{
	const char *idn = kind == 2 && jstr(item, "MaSoThue") ? jstr(item, "MaSoThue")
							    : jstr(item, "MaDoiTuong");
	json_t *a = json_pack("{s:i, s:s, s:s?}", "kind", kind, "full_name", jstr(item, "ChuHoSo"),
			      "id_number", idn);
	char birth[16] = "";
	const char *b = jstr(item, "NgaySinh");
	if (b && strlen(b) == 8) {
		snprintf(birth, sizeof birth, "%.4s-%.2s-%.2s", b + 4, b + 2, b);
		struct mc_date d;
		if (!mc_parse_date(birth, &d))
			json_object_set_new(a, "birth_date", json_string(birth));
	}
	static const char *const pairs[][2] = { { "phone", "SoDienThoai" }, { "email", "Email" },
						{ "address", "DiaChi" } };
	for (size_t i = 0; i < 3; i++) {
		const char *v = jstr(item, pairs[i][1]);
		json_object_set_new(a, pairs[i][0], v && *v ? json_string(v) : json_null());
	}
	return a;
}

static int add_changes(PGconn *c, const char *dossier_id, long long rev, const char *unit,
		       const char *dtext, const json_t *docs, struct strbuf *err)
{
	if (db_lock_changes(c, err) || db_add_change(c, "dossier", dossier_id, rev, unit, dtext, err))
		return -1;
	size_t i;
	const json_t *ch;
	json_array_foreach(docs, i, ch) {
		char *t = sync_canonical_json(ch);
		int rc = db_add_change(c, "document", jstr(ch, "id"), 1, unit, t, err);
		free(t);
		if (rc)
			return -1;
	}
	return 0;
}

static int store_new(PGconn *c, const json_t *item, const char *unit, const char *hash,
		     struct online_paper *papers, size_t n, struct strbuf *err)
{
	const char *code = jstr(item, "MaHoSo");
	char id[48], ev_id[64], at[17];
	stable_id(id, sizeof id, "online", "dvcqg", code, NULL);
	snprintf(ev_id, sizeof ev_id, "%s-1", id);
	portal_time_parse(jstr(item, "NgayNopHoSo"), at);
	int kind = atoi(jstr(item, "LoaiDoiTuong"));
	/* our procedure code, when the portal's differs */
	const char *pp[] = { jstr(item, "MaTTHC") };
	PGresult *res = db_query(c, "SELECT coalesce((SELECT ours FROM portal_codes WHERE kind = 'procedure'"
				    " AND theirs = $1), $1)", 1, pp);
	if (!db_ok(res)) {
		strbuf_addf(err, "lỗi cơ sở dữ liệu: %s", PQresultErrorMessage(res));
		PQclear(res);
		return -1;
	}
	char *proc = xstrdup(PQgetvalue(res, 0, 0));
	PQclear(res);
	json_t *comps = json_array(), *online_papers = json_array(), *docs = json_array();
	json_t *app = applicant(item, kind);
	const char *owner = jstr(app, "id_number");
	int rc = put_papers(c, id, code, code, unit, owner, at, papers, n, comps, online_papers, docs, err);
	json_t *event = json_pack("{s:s, s:s, s:s, s:n, s:i, s:s, s:s, s:s, s:{s:s, s:s}}", "id", ev_id,
				  "dossier_id", id, "kind", "online-submit", "status_from", "status_to",
				  1, "actor", PORTAL_ACTOR, "unit_code", unit, "device_time", at,
				  "payload", "portal_code", code, "procedure_code", jstr(item, "MaTTHC"));
	json_t *fees = json_object_get(item, "DanhSachLePhi");
	json_t *online = json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:o}", "portal_code", code,
				   "submitted_at", at, "portal_procedure", jstr(item, "MaTTHC"),
				   "portal_unit", jstr(item, "DonViXuLy"), "content_hash", hash, "papers",
				   online_papers, "fees",
				   json_is_array(fees) ? json_deep_copy(fees) : json_array());
	json_t *d = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:i, s:i, s:s, s:s, s:o, s:s?,"
			      " s:i, s:s, s:o, s:o, s:o}",
			      "id", id, "code", code, "procedure_code", proc, "procedure_name",
			      jstr(item, "TenTTHC"), "unit_code", unit, "clerk", "", "channel", 2,
			      "applicant_kind", kind, "status", 1, "received_at", "", "appointment", "",
			      "applicant", app, "note", jstr(item, "TrichYeuHoSo"), "rev", 1,
			      "updated_at", at, "components", comps, "event", event, "online", online);
	char *text = sync_canonical_json(d);
	const char *dp[] = { id, code, unit, proc, jstr(item, "TenTTHC"), text };
	if (!rc)
		rc = db_execp(c, "INSERT INTO dossiers(id, code, unit_code, procedure_code, procedure_name,"
				 " status, received_at, appointment, rev, data)"
				 " VALUES ($1, $2, $3, $4, $5, 1, '', '', 1, $6::jsonb)", 6, dp, err);
	char *ptext = sync_canonical_json(json_object_get(event, "payload"));
	const char *ep[] = { ev_id, id, unit, at, ptext };
	if (!rc)
		rc = db_execp(c, "INSERT INTO events(id, dossier_id, kind, status_to, actor, unit_code,"
				 " device_time, payload) VALUES ($1, $2, 'online-submit', 1, '" PORTAL_ACTOR
				 "', $3, $4, $5::jsonb)", 5, ep, err);
	free(ptext);
	if (!rc)
		rc = link_papers(c, id, comps, err);
	if (!rc)
		rc = add_changes(c, id, 1, unit, text, docs, err);
	char *itext = json_dumps(item, JSON_COMPACT);
	const char *ip[] = { code, id, hash, itext };
	if (!rc)
		rc = db_execp(c, "INSERT INTO portal_inbox(portal_code, dossier_id, state, content_hash, item,"
				 " stored_at) VALUES ($1, $2, 'stored', $3, $4::jsonb, now())"
				 " ON CONFLICT (portal_code) DO UPDATE SET dossier_id = $2, state = 'stored',"
				 " content_hash = $3, item = $4::jsonb, reason = NULL, stored_at = now(),"
				 " offers = portal_inbox.offers + 1", 4, ip, err);
	free(itext);
	free(text);
	free(proc);
	json_decref(d);
	json_decref(docs);
	return rc;
}

/* The portal offers a stored dossier again with other content: before it
 * is received, its papers follow (a citizen's supplement, or a
 * correction); after, the content is the dossier's own and nothing
 * changes. */
static int store_again(PGconn *c, const json_t *item, const char *dossier_id, const char *hash,
		       struct online_paper *papers, size_t n, struct strbuf *err)
{
	const char *code = jstr(item, "MaHoSo");
	const char *p[] = { dossier_id };
	PGresult *res = db_query(c, "SELECT status, rev, unit_code, code, received_at, data::text"
				    " FROM dossiers WHERE id = $1 FOR UPDATE", 1, p);
	if (!db_ok(res) || PQntuples(res) != 1) {
		strbuf_addf(err, "không đọc được hồ sơ %s", dossier_id);
		PQclear(res);
		return -1;
	}
	int status = atoi(PQgetvalue(res, 0, 0));
	long long rev = atoll(PQgetvalue(res, 0, 1));
	char *unit = xstrdup(PQgetvalue(res, 0, 2)), *dcode = xstrdup(PQgetvalue(res, 0, 3));
	bool open = (status == MC_ST_NEW || status == MC_ST_SUPPLEMENT) && !*PQgetvalue(res, 0, 4);
	json_t *d = json_loads(PQgetvalue(res, 0, 5), 0, NULL);
	PQclear(res);
	int rc = 0;
	char *itext = json_dumps(item, JSON_COMPACT);
	const char *ip[] = { code, hash, itext };
	if (!open || !d) {
		rc = db_execp(c, "UPDATE portal_inbox SET offers = offers + 1 WHERE portal_code = $1", 1, ip,
			      err);
		goto out;
	}
	/* the papers came now: the update is dated by the server's clock */
	char at[20], ev_id[64];
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	strftime(at, sizeof at, "%Y-%m-%dT%H:%M", &tm);
	json_t *comps = json_array(), *online_papers = json_array(), *docs = json_array();
	json_t *app = applicant(item, atoi(jstr(item, "LoaiDoiTuong")));
	rc = put_papers(c, dossier_id, dcode, code, unit, jstr(app, "id_number"), at, papers, n, comps,
			online_papers, docs, err);
	/* components beyond the new papers' no longer hold one */
	char nn[24];
	snprintf(nn, sizeof nn, "%zu", n);
	const char *dd[] = { dossier_id, nn };
	if (!rc)
		rc = link_papers(c, dossier_id, comps, err);
	if (!rc)
		rc = db_execp(c, "DELETE FROM dossier_documents WHERE dossier_id = $1"
				 " AND component > $2::integer", 2, dd, err);
	snprintf(ev_id, sizeof ev_id, "%s-%.16s", dossier_id, hash);
	json_t *event = json_pack("{s:s, s:s, s:s, s:i, s:i, s:s, s:s, s:s, s:{s:s, s:I}}", "id", ev_id,
				  "dossier_id", dossier_id, "kind", "online-update", "status_from",
				  status, "status_to", status, "actor", PORTAL_ACTOR, "unit_code", unit,
				  "device_time", at, "payload", "portal_code", code, "papers",
				  (json_int_t)n);
	json_object_set_new(d, "components", comps);
	json_object_set_new(d, "applicant", app);
	json_object_set_new(d, "rev", json_integer(rev + 1));
	json_t *online = json_object_get(d, "online");
	if (json_is_object(online)) {
		json_object_set_new(online, "papers", online_papers);
		json_object_set_new(online, "content_hash", json_string(hash));
	} else {
		json_decref(online_papers);
	}
	json_t *events = json_object_get(d, "events");
	if (!json_is_array(events)) {
		events = json_array();
		json_object_set_new(d, "events", events);
	}
	json_array_append(events, event);
	char *text = sync_canonical_json(d);
	char revs[24];
	snprintf(revs, sizeof revs, "%lld", rev + 1);
	char *ptext = sync_canonical_json(json_object_get(event, "payload"));
	char sts[8];
	snprintf(sts, sizeof sts, "%d", status);
	const char *ep[] = { ev_id, dossier_id, unit, at, ptext, sts };
	const char *up[] = { dossier_id, revs, text };
	if (!rc)
		rc = db_execp(c, "INSERT INTO events(id, dossier_id, kind, status_from, status_to, actor,"
				 " unit_code, device_time, payload) VALUES ($1, $2, 'online-update',"
				 " $6::integer, $6::integer, '" PORTAL_ACTOR "', $3, $4, $5::jsonb)"
				 " ON CONFLICT (id) DO NOTHING", 6, ep, err) ||
		     db_execp(c, "UPDATE dossiers SET rev = $2::integer, data = $3::jsonb, updated_at = now()"
				 " WHERE id = $1", 3, up, err) ||
		     add_changes(c, dossier_id, rev + 1, unit, text, docs, err) ||
		     db_execp(c, "UPDATE portal_inbox SET content_hash = $2, item = $3::jsonb,"
				 " offers = offers + 1 WHERE portal_code = $1", 3, ip, err);
	free(ptext);
	free(text);
	json_decref(event);
	json_decref(docs);
out:
	free(itext);
	free(unit);
	free(dcode);
	json_decref(d);
	return rc;
}

int online_store(PGconn *c, const json_t *item, const char *unit, const char *hash,
		 struct online_paper *papers, size_t npapers, struct strbuf *err)
{
	const char *code = jstr(item, "MaHoSo");
	if (db_exec(c, "BEGIN", err))
		return -1;
	const char *p[] = { code };
	PGresult *res = db_query(c, "SELECT state, dossier_id FROM portal_inbox WHERE portal_code = $1"
				    " FOR UPDATE", 1, p);
	PGresult *res2 = db_ok(res) ? db_query(c, "SELECT id FROM dossiers WHERE code = $1", 1, p) : NULL;
	if (!db_ok(res) || !db_ok(res2)) {
		strbuf_addf(err, "lỗi cơ sở dữ liệu: %s", PQresultErrorMessage(db_ok(res) ? res2 : res));
		PQclear(res);
		PQclear(res2);
		db_exec(c, "ROLLBACK", NULL);
		return -1;
	}
	bool found = PQntuples(res) == 1;
	bool stored = found && !strcmp(PQgetvalue(res, 0, 0), "stored");
	char *dossier_id = found && !PQgetisnull(res, 0, 1) ? xstrdup(PQgetvalue(res, 0, 1)) : NULL;
	bool code_used = PQntuples(res2) > 0;
	PQclear(res);
	PQclear(res2);
	int rc;
	if (stored && dossier_id)
		rc = store_again(c, item, dossier_id, hash, papers, npapers, err);
	else if (code_used) {
		strbuf_addf(err, "mã hồ sơ %s của Cổng trùng một hồ sơ đã có", code);
		rc = -1;
	} else
		rc = store_new(c, item, unit, hash, papers, npapers, err);
	free(dossier_id);
	if (rc || db_exec(c, "COMMIT", err)) {
		db_exec(c, "ROLLBACK", NULL);
		return -1;
	}
	return 0;
}

/* ---- the 'accept' operation ------------------------------------------------------------------ */

static bool is_dt(const json_t *o, const char *k)
{
	struct mc_dt t;
	return jstr(o, k) && !mc_parse_dt(jstr(o, k), &t);
}

static bool text_ok(const json_t *o, const char *k, size_t max)
{
	const char *s = jstr(o, k);
	return s && *s && mc_text_valid(s) && strlen(s) <= max;
}

/*   {"id", "code", "status": 2, "rev": base_rev + 1, "received_at", "appointment",
 *    "clerk", "updated_at",
 *    "event": {"id", "kind": "accept", "actor", "unit_code"?, "device_time",
 *              "payload": {"code", "appointment", ...}}} */
int online_accept_check(const struct sync_op *op, struct outcome *o)
{
	const json_t *d = op->payload, *e = json_object_get(d, "event");
	struct mc_dcode dc;
	const char *why = NULL;
	if (jstr(d, "id") && strcmp(jstr(d, "id"), op->entity_id)) {
		set_outcome(o, MC_ERR_BAD_PAYLOAD, "\"id\" của hồ sơ phải bằng entity_id");
		return -1;
	}
	if (!jstr(d, "code") || mc_dcode_parse(jstr(d, "code"), &dc, &why)) {
		set_outcome(o, MC_ERR_BAD_PAYLOAD, "Mã hồ sơ không hợp lệ: %s", why ? why : "thiếu \"code\"");
		return -1;
	}
	if (!is_dt(d, "received_at") || !is_dt(d, "appointment")) {
		set_outcome(o, MC_ERR_BAD_PAYLOAD, "\"received_at\" và \"appointment\" phải có dạng YYYY-MM-DDTHH:MM");
		return -1;
	}
	if (!text_ok(d, "clerk", 64) || !json_is_object(e) || !sync_id_valid(jstr(e, "id")) ||
	    !text_ok(e, "actor", 64) || !is_dt(e, "device_time") ||
	    (jstr(e, "kind") && strcmp(jstr(e, "kind"), "accept")) ||
	    (json_object_get(e, "payload") && !json_is_object(json_object_get(e, "payload")))) {
		set_outcome(o, MC_ERR_BAD_PAYLOAD, "Thao tác accept cần \"clerk\" và \"event\" với id, kind = accept,"
		       " actor, device_time");
		return -1;
	}
	const json_t *st = json_object_get(d, "status"), *rev = json_object_get(d, "rev");
	if ((st && !json_is_null(st) && (!json_is_integer(st) || json_integer_value(st) != MC_ST_RECEIVED)) ||
	    (rev && !json_is_null(rev) && (!json_is_integer(rev) || !rev_follows(rev, op->base_rev)))) {
		set_outcome(o, MC_ERR_BAD_PAYLOAD, "\"status\" phải là 2, \"rev\" bằng base_rev + 1");
		return -1;
	}
	return 0;
}

/* A failed statement: recorded in o (a lost race asks for a retry), res
 * cleared; returns -1. */
static int db_failed(struct outcome *o, PGresult *res)
{
	set_db_failure(o, res);
	PQclear(res);
	return -1;
}

int online_accept_apply(PGconn *c, const struct session *s, const struct sync_op *op,
			struct outcome *o)
{
	const json_t *d = op->payload;
	const char *code = jstr(d, "code");
	const char *p[] = { op->entity_id };
	PGresult *res = db_query(c, "SELECT status, rev, unit_code, received_at, data::text,"
				    " (SELECT ident FROM units WHERE code = dossiers.unit_code),"
				    " nullif(data->>'handling_unit', '')"
				    " FROM dossiers WHERE id = $1 FOR UPDATE", 1, p);
	if (!db_ok(res))
		return db_failed(o, res);
	if (PQntuples(res) != 1) {
		PQclear(res);
		set_outcome(o, MC_ERR_UNKNOWN_DOSSIER, "Máy chủ không có hồ sơ %s", op->entity_id);
		return -1;
	}
	int status = atoi(PQgetvalue(res, 0, 0));
	long long rev = atoll(PQgetvalue(res, 0, 1));
	char *unit = xstrdup(PQgetvalue(res, 0, 2));
	bool received = *PQgetvalue(res, 0, 3) != '\0';
	json_t *data = json_loads(PQgetvalue(res, 0, 4), 0, NULL);
	char *ident = xstrdup(PQgetvalue(res, 0, 5));
	char *handling = PQgetisnull(res, 0, 6) ? NULL : xstrdup(PQgetvalue(res, 0, 6));
	PQclear(res);
	o->rev = rev;
	int rc = -1;
	struct strbuf err = STRBUF_INIT;
	enum mc_status to;
	struct mc_dcode dc;
	char *text = NULL;
	if (!data) {
		o->db_failed = true;
		goto out;
	}
	const char *sp[] = { s->username, unit, handling };
	res = db_query(c, "SELECT 1 FROM user_scope($1) WHERE unit_code IN ($2, $3) LIMIT 1", 3, sp);
	if (!db_ok(res)) {
		rc = db_failed(o, res);
		goto out;
	}
	bool mine = PQntuples(res) == 1;
	PQclear(res);
	if (!mine) {
		set_outcome(o, MC_ERR_OUT_OF_SCOPE, "Tài khoản %s không được ghi hồ sơ của đơn vị %s", s->username, unit);
		goto out;
	}
	if (op->base_rev != rev) {
		set_outcome(o, MC_ERR_STALE_REV, "Hồ sơ đã được thay đổi trên máy chủ (phiên bản %lld; thao tác dựa"
		       " trên phiên bản %lld)", rev, op->base_rev);
		goto out;
	}
	if (!json_is_object(json_object_get(data, "online")) || received) {
		set_outcome(o, MC_ERR_INVALID_TRANSITION, "Hồ sơ %s không phải hồ sơ trực tuyến chưa tiếp nhận",
		       op->entity_id);
		goto out;
	}
	if (mc_lifecycle_apply(status, MC_ACT_ACCEPT, &to, &err)) {
		set_outcome(o, MC_ERR_INVALID_TRANSITION, "%s", err.buf);
		goto out;
	}
	mc_dcode_parse(code, &dc, NULL);
	if (strcmp(dc.ident, ident)) {
		set_outcome(o, MC_ERR_BAD_PAYLOAD, "Mã hồ sơ %s không theo mã định danh %s của đơn vị %s", code, ident,
		       unit);
		goto out;
	}
	const char *cp[] = { code, op->entity_id };
	res = db_query(c, "SELECT 1 FROM dossiers WHERE code = $1 AND id <> $2", 2, cp);
	if (!db_ok(res)) {
		rc = db_failed(o, res);
		goto out;
	}
	bool taken = PQntuples(res) > 0;
	PQclear(res);
	if (taken) {
		set_outcome(o, MC_ERR_CODE_TAKEN, "Mã hồ sơ %s đã được dùng cho một hồ sơ khác trên máy chủ", code);
		goto out;
	}
	/* the event as recorded */
	json_t *event = json_deep_copy(json_object_get(d, "event"));
	json_object_set_new(event, "dossier_id", json_string(op->entity_id));
	json_object_set_new(event, "kind", json_string("accept"));
	json_object_set_new(event, "status_from", json_integer(status));
	json_object_set_new(event, "status_to", json_integer(to));
	if (!jstr(event, "unit_code"))
		json_object_set_new(event, "unit_code", json_string(unit));
	json_t *payload = json_object_get(event, "payload");
	char *ptext = payload ? sync_canonical_json(payload) : NULL;
	char sf[8], stt[8];
	snprintf(sf, sizeof sf, "%d", status);
	snprintf(stt, sizeof stt, "%d", (int)to);
	const char *ep[] = { jstr(event, "id"), op->entity_id, sf, stt, jstr(event, "actor"),
			     jstr(event, "unit_code"), jstr(event, "device_time"), s->device_id, ptext };
	res = db_query(c, "INSERT INTO events(id, dossier_id, kind, status_from, status_to, actor,"
			  " unit_code, device_time, device_id, payload) VALUES ($1, $2, 'accept',"
			  " $3::integer, $4::integer, $5, $6, $7, $8, $9::jsonb)"
			  " ON CONFLICT (id) DO NOTHING RETURNING id", 9, ep);
	free(ptext);
	if (!db_ok(res)) {
		json_decref(event);
		rc = db_failed(o, res);
		goto out;
	}
	bool inserted = PQntuples(res) == 1;
	PQclear(res);
	if (!inserted) {
		set_outcome(o, MC_ERR_EVENT_EXISTS, "Sự kiện %s đã có trên máy chủ", jstr(event, "id"));
		json_decref(event);
		goto out;
	}
	long long nrev = rev + 1;
	json_object_set_new(data, "code", json_string(code));
	json_object_set_new(data, "status", json_integer(to));
	json_object_set_new(data, "rev", json_integer(nrev));
	json_object_set(data, "received_at", json_object_get(d, "received_at"));
	json_object_set(data, "appointment", json_object_get(d, "appointment"));
	json_object_set(data, "clerk", json_object_get(d, "clerk"));
	if (jstr(d, "unit_ident"))
		json_object_set(data, "unit_ident", json_object_get(d, "unit_ident"));
	if (jstr(d, "updated_at"))
		json_object_set(data, "updated_at", json_object_get(d, "updated_at"));
	json_t *events = json_object_get(data, "events");
	if (!json_is_array(events)) {
		events = json_array();
		json_object_set_new(data, "events", events);
	}
	json_array_append_new(events, event);
	text = sync_canonical_json(data);
	char revs[24];
	snprintf(revs, sizeof revs, "%lld", nrev);
	const char *up[] = { op->entity_id, code, stt, jstr(d, "received_at"), jstr(d, "appointment"),
			     revs, text };
	res = db_query(c, "UPDATE dossiers SET code = $2, status = $3::integer, received_at = $4,"
			  " appointment = $5, rev = $6::integer, data = $7::jsonb, updated_at = now()"
			  " WHERE id = $1", 7, up);
	if (!db_ok(res)) {
		rc = db_failed(o, res);
		goto out;
	}
	PQclear(res);
	strbuf_reset(&err);
	if (db_lock_changes(c, &err) || db_add_change(c, "dossier", op->entity_id, nrev, unit, text, &err)) {
		fprintf(stderr, SERVER_NAME ": accept: %s\n", err.buf);
		o->db_failed = true;
		goto out;
	}
	o->rev = nrev;
	rc = 0;
out:
	free(text);
	strbuf_release(&err);
	json_decref(data);
	free(unit);
	free(ident);
	free(handling);
	return rc;
}
