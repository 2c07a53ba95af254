/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Snapshots for new workstations (docs/api.md "Snapshot"): what the change
 * feed would give a scope of units from the beginning, one change per
 * entity (its last) instead of every change, the events of each dossier
 * gathered on it, in the compact form of protocol 2, gzipped, with the feed
 * cursor that follows it. A workstation with an empty store downloads it
 * (resumably, HTTP Range), applies it in one transaction and then follows
 * the feed from that cursor.
 *
 * Built by `motcua-server snapshot --unit U...` or on demand by GET
 * /api/v1/snapshot, kept in the table snapshots (0011_snapshots.sql) and
 * served again while younger than snapshot_max_age. The build reads one
 * REPEATABLE READ view of the log: writers take a seq under the changes
 * lock and hold it to their commit, so the changes a view sees are all
 * those up to its last seq, and the cursor after that seq is exact. */
#include "server/api.h"
#include "server/admincmd.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/gzip.h"
#include "core/syncproto.h"

/* The scope's units as PostgreSQL's text form of a sorted text[]. */
#define USER_UNITS "(SELECT coalesce(array_agg(unit_code ORDER BY unit_code), '{}') FROM user_scope($1))"

/* The last change of every entity a scope sees up to a seq, dossiers
 * carrying every event of their changes ("events"), reference data first,
 * then dossiers, then documents (which name a dossier's component), each
 * in log order. $1 the units (text[]), $2 the last seq. */
static const char snapshot_sql[] =
	"WITH s AS (SELECT seq, entity, entity_id, rev, data FROM changes"
	"  WHERE seq <= $2 AND (unit_code IS NULL OR unit_code = ANY($1::text[])"
	"  OR units && $1::text[])),"
	" last AS (SELECT DISTINCT ON (entity, entity_id) seq, entity, entity_id, rev, data FROM s"
	"  ORDER BY entity, entity_id, seq DESC),"
	" ev AS (SELECT entity_id, jsonb_agg(e ORDER BY seq, n) AS events FROM ("
	"  SELECT seq, entity_id, 0::bigint AS n, data->'event' AS e FROM s"
	"   WHERE entity = 'dossier' AND jsonb_typeof(data->'event') = 'object'"
	"  UNION ALL SELECT s.seq, s.entity_id, x.n, x.e FROM s,"
	"   jsonb_array_elements(CASE WHEN jsonb_typeof(s.data->'events') = 'array'"
	"   THEN s.data->'events' ELSE '[]'::jsonb END) WITH ORDINALITY x(e, n)"
	"   WHERE s.entity = 'dossier') y GROUP BY entity_id)"
	" SELECT last.seq, last.entity, last.entity_id, last.rev,"
	"  (CASE WHEN ev.events IS NOT NULL"
	"   THEN (last.data - 'event' - 'events') || jsonb_build_object('events', ev.events)"
	"   ELSE last.data END)::text"
	" FROM last LEFT JOIN ev ON last.entity = 'dossier' AND ev.entity_id = last.entity_id"
	" ORDER BY CASE last.entity WHEN 'dossier' THEN 1 WHEN 'document' THEN 2 ELSE 0 END,"
	"  last.seq";

struct snapshot_info {
	char id[65];
	char cursor[80];
	long long size, changes, seq;
	char created_at[40];
};

static void info_from_row(PGresult *res, int row, struct snapshot_info *si)
{
	snprintf(si->id, sizeof(si->id), "%s", PQgetvalue(res, row, 0));
	snprintf(si->cursor, sizeof(si->cursor), "%s", PQgetvalue(res, row, 1));
	si->size = atoll(PQgetvalue(res, row, 2));
	si->changes = atoll(PQgetvalue(res, row, 3));
	si->seq = atoll(PQgetvalue(res, row, 4));
	snprintf(si->created_at, sizeof(si->created_at), "%s", PQgetvalue(res, row, 5));
}

#define INFO_COLS "id, cursor, size, changes, seq," \
		  " to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

/* Builds the snapshot of units (text[] form, sorted) and stores it, in its
 * own transaction; 0 (si filled), -1 (err). */
static int snapshot_build(PGconn *c, const char *units, struct snapshot_info *si,
			  struct strbuf *err)
{
	if (db_exec(c, "BEGIN ISOLATION LEVEL REPEATABLE READ", err))
		return -1;
	int rc = -1;
	struct sync_changes ch;
	sync_changes_init(&ch);
	struct strbuf z = STRBUF_INIT;
	char *body = NULL;
	const char *p1[] = { units };
	PGresult *res = db_query(c, "SELECT (SELECT epoch FROM server_meta),"
				    " substr(md5(array_to_string($1::text[], ',')), 1, 8), m.seq,"
				    " coalesce((SELECT " CURSOR_MARK " FROM changes WHERE seq = m.seq), '0')"
				    " FROM (SELECT coalesce(max(seq), 0) AS seq FROM changes) m", 1, p1);
	if (!db_ok(res) || PQntuples(res) != 1) {
		strbuf_addf(err, "không đọc được nhật ký thay đổi: %s", PQerrorMessage(c));
		PQclear(res);
		goto out;
	}
	long long seq = atoll(PQgetvalue(res, 0, 2));
	ch.next = xasprintf("%s.%lld.%s.%s", PQgetvalue(res, 0, 0), seq, PQgetvalue(res, 0, 1),
			    PQgetvalue(res, 0, 3));
	PQclear(res);
	char seqs[24];
	snprintf(seqs, sizeof(seqs), "%lld", seq);
	const char *p2[] = { units, seqs };
	res = db_query(c, snapshot_sql, 2, p2);
	if (!db_ok(res)) {
		strbuf_addf(err, "không đọc được thay đổi: %s", PQerrorMessage(c));
		PQclear(res);
		goto out;
	}
	for (int i = 0; i < PQntuples(res); i++) {
		json_t *data = json_loads(PQgetvalue(res, i, 4), 0, NULL);
		sync_changes_add(&ch, atoll(PQgetvalue(res, i, 0)), PQgetvalue(res, i, 1),
				 PQgetvalue(res, i, 2), atoll(PQgetvalue(res, i, 3)),
				 data ? data : json_null());
		json_decref(data);
	}
	PQclear(res);
	if (compact_feed(c, &ch)) {
		strbuf_addf(err, "không đọc được danh mục thủ tục: %s", PQerrorMessage(c));
		goto out;
	}
	ch.remaining = 0;
	body = sync_changes_encode(&ch);
	mc_gzip(body, strlen(body), &z);
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)z.buf, z.len);
	sodium_bin2hex(si->id, sizeof(si->id), h, sizeof(h));
	char changes[24], size[24];
	snprintf(changes, sizeof(changes), "%zu", ch.nchanges);
	snprintf(size, sizeof(size), "%zu", z.len);
	const char *p3[] = { si->id, units, seqs, ch.next, changes, size, z.buf };
	int lens[] = { 0, 0, 0, 0, 0, 0, (int)z.len };
	int fmts[] = { 0, 0, 0, 0, 0, 0, 1 };
	res = PQexecParams(c, "INSERT INTO snapshots(id, units, seq, cursor, changes, size, data)"
			      " VALUES ($1, $2::text[], $3, $4, $5, $6, $7)"
			      " ON CONFLICT(id) DO UPDATE SET created_at = now()"
			      " RETURNING " INFO_COLS, 7, NULL, p3, lens, fmts, 0);
	if (!db_ok(res) || PQntuples(res) != 1) {
		strbuf_addf(err, "không lưu được bản chụp: %s", PQerrorMessage(c));
		PQclear(res);
		goto out;
	}
	info_from_row(res, 0, si);
	PQclear(res);
	/* the older ones of the scope are served no more */
	const char *p4[] = { units, si->id };
	if (db_execp(c, "DELETE FROM snapshots WHERE units = $1::text[] AND id <> $2", 2, p4, err))
		goto out;
	rc = db_exec(c, "COMMIT", err);
out:
	if (rc)
		db_exec(c, "ROLLBACK", NULL);
	free(body);
	strbuf_release(&z);
	sync_changes_release(&ch);
	return rc;
}

static json_t *info_json(const struct snapshot_info *si)
{
	char *url = xasprintf("/api/v1/snapshots/%s", si->id);
	json_t *o = json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:s}", "id", si->id, "url", url,
			      "cursor", si->cursor, "bytes", (json_int_t)si->size, "changes",
			      (json_int_t)si->changes, "seq", (json_int_t)si->seq, "created_at",
			      si->created_at);
	free(url);
	return o;
}

/* ---- GET /api/v1/snapshot ------------------------------------------------------------ */

void api_snapshot(struct req *r)
{
	PGconn *c = db_thread_conn();
	if (!c) {
		respond_db_down(r);
		return;
	}
	int protocol = req_protocol(r);
	if (protocol < 0)
		return;
	if (protocol < 2) {
		respond_error(r, MC_ERR_PROTOCOL_OUTDATED, "Bản chụp dùng giao thức đồng bộ 2:"
			      " hãy cập nhật phần mềm máy trạm");
		return;
	}
	const struct server_config *cfg = config_get();
	char minc[24], age[24];
	snprintf(minc, sizeof(minc), "%lld", cfg->snapshot_min_changes);
	snprintf(age, sizeof(age), "%lld", cfg->snapshot_max_age);
	const char *p[] = { r->s.username, minc, age };
	/* the scope, whether its feed is long enough, and its fresh snapshot */
	PGresult *res = db_query(c, "WITH u AS (SELECT " USER_UNITS " AS units)"
				    " SELECT u.units::text, (SELECT count(*) >= $2::bigint FROM"
				    "  (SELECT 1 FROM changes WHERE changes.unit_code IS NULL OR"
				    "   changes.unit_code = ANY(u.units) OR changes.units && u.units"
				    "   LIMIT $2::bigint) x),"
				    " (SELECT id FROM snapshots WHERE units = u.units AND"
				    "  created_at > now() - make_interval(secs => $3::double precision)"
				    "  ORDER BY created_at DESC LIMIT 1) FROM u", 3, p);
	if (!db_ok(res) || PQntuples(res) != 1) {
		PQclear(res);
		respond_db_down(r);
		return;
	}
	char *units = xstrdup(PQgetvalue(res, 0, 0));
	bool enough = PQgetvalue(res, 0, 1)[0] == 't';
	char *fresh = PQgetisnull(res, 0, 2) ? NULL : xstrdup(PQgetvalue(res, 0, 2));
	PQclear(res);
	struct snapshot_info si;
	if (!enough) {
		respond_error(r, MC_ERR_NO_SNAPSHOT, "Dữ liệu của các đơn vị còn ít (dưới %lld thay đổi):"
			      " hãy nhận thay đổi từ đầu (GET /api/v1/sync/changes)",
			      cfg->snapshot_min_changes);
	} else if (fresh) {
		const char *q[] = { fresh };
		res = db_query(c, "SELECT " INFO_COLS " FROM snapshots WHERE id = $1", 1, q);
		if (db_ok(res) && PQntuples(res) == 1) {
			info_from_row(res, 0, &si);
			respond_json(r, 200, info_json(&si));
		} else {
			respond_db_down(r);
		}
		PQclear(res);
	} else {
		struct strbuf err = STRBUF_INIT;
		if (snapshot_build(c, units, &si, &err)) {
			server_log(LOG_ERR, "snapshot %s: %s", units, err.buf);
			respond_db_down(r);
		} else {
			server_log(LOG_INFO, "snapshot %s: %lld changes, %lld bytes", units, si.changes,
				   si.size);
			respond_json(r, 200, info_json(&si));
		}
		strbuf_release(&err);
	}
	free(fresh);
	free(units);
}

/* ---- GET /api/v1/snapshots/{id} ------------------------------------------------------- */

int req_range(struct req *r, long long size, long long *from, long long *to)
{
	const char *h = req_header(r, "Range");
	*from = 0;
	*to = size - 1;
	if (!h || strncmp(h, "bytes=", 6))
		return 0; /* none, or a unit we do not serve ranges in: the whole */
	const char *s = h + 6;
	char *end;
	if (!isdigit((unsigned char)*s))
		return 0; /* a suffix range or a list: the whole (RFC 9110 lets us) */
	long long a = strtoll(s, &end, 10), b = size - 1;
	if (*end != '-')
		return 0;
	if (isdigit((unsigned char)end[1])) {
		b = strtoll(end + 1, &end, 10);
		if (*end || b < a)
			return 0;
		if (b > size - 1)
			b = size - 1;
	} else if (end[1]) {
		return 0;
	}
	if (a >= size) {
		char cr[48];
		snprintf(cr, sizeof(cr), "bytes */%lld", size);
		req_add_header(r, "Content-Range", cr);
		respond_error(r, MC_ERR_RANGE_NOT_SATISFIABLE, "Đoạn từ byte %lld nằm ngoài tệp %lld"
			      " byte", a, size);
		return -1;
	}
	*from = a;
	*to = b;
	return 1;
}

void respond_range(struct req *r, int ranged, long long from, long long to, long long size,
		   const char *ctype, char *bytes, size_t n)
{
	req_add_header(r, "Accept-Ranges", "bytes");
	if (ranged) {
		char cr[80];
		snprintf(cr, sizeof(cr), "bytes %lld-%lld/%lld", from, to, size);
		req_add_header(r, "Content-Range", cr);
	}
	respond_bytes(r, ranged ? 206 : 200, ctype, bytes, n);
}

void api_snapshot_get(struct req *r)
{
	PGconn *c = db_thread_conn();
	if (!c) {
		respond_db_down(r);
		return;
	}
	const char *id = req_param(r);
	if (!sync_hash_valid(id)) {
		respond_error(r, MC_ERR_BAD_REQUEST, "Mã bản chụp phải là 64 chữ số hex thường");
		return;
	}
	const char *p[] = { r->s.username, id };
	PGresult *res = db_query(c, "SELECT size, units <@ " USER_UNITS " FROM snapshots WHERE id = $2",
				 2, p);
	if (!db_ok(res)) {
		PQclear(res);
		respond_db_down(r);
		return;
	}
	if (PQntuples(res) != 1) {
		PQclear(res);
		respond_error(r, MC_ERR_NOT_FOUND, "Không có bản chụp này (bản mới hơn đã thay nó):"
			      " hãy hỏi lại GET /api/v1/snapshot");
		return;
	}
	long long size = atoll(PQgetvalue(res, 0, 0));
	bool mine = PQgetvalue(res, 0, 1)[0] == 't';
	PQclear(res);
	if (!mine) {
		respond_error(r, MC_ERR_OUT_OF_SCOPE, "Bản chụp này có dữ liệu của đơn vị mà tài khoản %s"
			      " không phục vụ", r->s.username);
		return;
	}
	long long from, to;
	int ranged = req_range(r, size, &from, &to);
	if (ranged < 0)
		return;
	char froms[24], lens[24];
	snprintf(froms, sizeof(froms), "%lld", from + 1);
	snprintf(lens, sizeof(lens), "%lld", to - from + 1);
	const char *q[] = { id, froms, lens };
	res = PQexecParams(c, "SELECT substring(data FROM $2::int FOR $3::int) FROM snapshots"
			      " WHERE id = $1", 3, NULL, q, NULL, NULL, 1);
	if (!db_ok(res) || PQntuples(res) != 1) {
		PQclear(res);
		respond_error(r, MC_ERR_NOT_FOUND, "Bản chụp vừa được thay: hãy hỏi lại"
			      " GET /api/v1/snapshot");
		return;
	}
	size_t n = (size_t)PQgetlength(res, 0, 0);
	char *bytes = xmalloc(n ? n : 1);
	memcpy(bytes, PQgetvalue(res, 0, 0), n);
	PQclear(res);
	req_add_header(r, "ETag", id);
	respond_range(r, ranged, from, to, size, "application/gzip", bytes, n);
}

/* ---- motcua-server snapshot ------------------------------------------------------------ */

struct snapshot_cmd {
	const char **units;
	size_t nunits;
};

static int snapshot_work(PGconn *c, void *arg, struct strbuf *err)
{
	struct snapshot_cmd *a = arg;
	json_t *list = json_array();
	for (size_t i = 0; i < a->nunits; i++)
		json_array_append_new(list, json_string(a->units[i]));
	char *text = json_dumps(list, JSON_COMPACT);
	json_decref(list);
	const char *p[] = { text };
	/* the units, known and sorted, as a text[] */
	PGresult *res = db_query(c, "SELECT array_agg(code ORDER BY code)::text, count(*),"
				    " (SELECT count(DISTINCT x) FROM jsonb_array_elements_text($1::jsonb) x)"
				    " FROM units WHERE code IN (SELECT jsonb_array_elements_text($1::jsonb))",
				 1, p);
	free(text);
	if (!db_ok(res)) {
		strbuf_addf(err, "không đọc được đơn vị: %s", PQerrorMessage(c));
		PQclear(res);
		return -1;
	}
	if (strcmp(PQgetvalue(res, 0, 1), PQgetvalue(res, 0, 2))) {
		PQclear(res);
		return admin_bad("có đơn vị không có trên máy chủ trong --unit");
	}
	char *units = xstrdup(PQgetvalue(res, 0, 0));
	PQclear(res);
	struct snapshot_info si;
	int rc = snapshot_build(c, units, &si, err);
	free(units);
	if (!rc) {
		json_t *o = info_json(&si);
		char *s = json_dumps(o, JSON_COMPACT);
		printf("%s\n", s);
		free(s);
		json_decref(o);
	}
	return rc;
}

int cmd_snapshot(int argc, char **argv)
{
	static const char usage[] = "cách dùng: motcua-server snapshot --pg CONNINFO --unit MÃ_ĐƠN_VỊ"
				    " [--unit MÃ_ĐƠN_VỊ]...";
	const char *units[64];
	struct snapshot_cmd a = { units, 0 };
	const char *pg = NULL;
	const struct admin_opt opts[] = { { .name = "pg", .value = &pg },
					  { .name = "unit", .value = units, .count = &a.nunits,
					    .max = 64 },
					  { .name = NULL } };
	if (admin_options(argc, argv, opts, usage))
		return 2;
	if (!pg)
		pg = config_get()->pg;
	if (!a.nunits || !pg)
		return admin_bad("%s", usage);
	return admin_run(pg, false, snapshot_work, &a);
}
