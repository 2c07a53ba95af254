/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Files: content-addressed blobs (HEAD /api/v1/blobs/{sha256}) and tus 1.0
 * resumable uploads (core protocol + creation + termination) under
 * /api/v1/uploads. Everything lives in PostgreSQL (tables blobs, blob_chunks,
 * uploads, upload_chunks), so any server of a pair continues an upload
 * another began. A PATCH body is written in chunks as it arrives, each in
 * its own transaction: after a cut, HEAD tells the offset of the last chunk
 * stored and the client sends only the rest. When the last byte is in, the
 * SHA-256 announced at creation is checked; a mismatch deletes the upload
 * (422 hash_mismatch) and the client sends the file again. */
#include "server/api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/syncproto.h"
#include "core/text.h"

#define TUS_VERSION "1.0.0"
#define CHUNK (256 * 1024)

static const long long upload_max = (long long)UPLOAD_MAX_DEFAULT;

struct upload_stream {
	char id[40];
	char sha256[SYNC_HASH_HEX + 1];
	long long length;
	long long received; /* stored in the database */
	struct strbuf buf;  /* arrived, not yet stored */
	bool failed;
	enum mc_err fail_code;
	char fail_msg[256];
};

static void tus_headers(struct req *r)
{
	req_add_header(r, "Tus-Resumable", TUS_VERSION);
}

static void add_offset(struct req *r, long long off)
{
	char s[24];
	snprintf(s, sizeof(s), "%lld", off);
	req_add_header(r, "Upload-Offset", s);
}

/* tus requires Tus-Resumable on every request but OPTIONS. */
static int check_tus(struct req *r)
{
	const char *v = req_header(r, "Tus-Resumable");
	if (v && !strcmp(v, TUS_VERSION))
		return 0;
	req_add_header(r, "Tus-Version", TUS_VERSION);
	respond_error(r, MC_ERR_TUS_VERSION, "Cần tiêu đề Tus-Resumable: " TUS_VERSION);
	return -1;
}

static bool upload_id_valid(const char *id)
{
	if (strlen(id) != 32)
		return false;
	for (const char *p = id; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return false;
	return true;
}

/* The connection of a handler (the route's token already checked), or NULL
 * with 503 answered. */
static PGconn *conn_or_503(struct req *r)
{
	PGconn *c = db_thread_conn();
	if (!c)
		respond_db_down(r);
	return c;
}

/* ---- HEAD /api/v1/blobs/{sha256} ------------------------------------------------ */

/* Whether document d ($1: the file, $2: the user) is one the user's
 * workstation may see: of a unit it serves, or attached to a dossier
 * received or handled by one (the papers of an online dossier, fetched from
 * the portal, docs/portal.md). */
#define DOC_IN_SCOPE \
	"EXISTS (SELECT 1 FROM documents d" \
	" LEFT JOIN dossier_documents dd ON dd.document_id = d.id" \
	" LEFT JOIN dossiers x ON x.id = dd.dossier_id" \
	" WHERE d.sha256 = $1 AND (d.unit_code IN (SELECT unit_code FROM user_scope($2))" \
	" OR x.unit_code IN (SELECT unit_code FROM user_scope($2))" \
	" OR x.data->>'handling_unit' IN (SELECT unit_code FROM user_scope($2))))"

/* Whether the server holds file sha for this user: held, and a paper of
 * its scope or a file the user sent. A file only another commune's papers
 * use reads as not held (HEAD 404, a tus creation from offset 0): the
 * answer never tells a clerk what another commune holds; a workstation
 * that has the file proves it by sending its bytes (stored once).
 * 1 held (*size set), 0 not, -1 database failure. */
static int blob_held(PGconn *c, const char *sha, const char *username, long long *size)
{
	const char *p[] = { sha, username };
	PGresult *res = db_query(c, "SELECT b.size FROM blobs b WHERE b.sha256 = $1 AND (" DOC_IN_SCOPE
				    " OR EXISTS (SELECT 1 FROM uploads u WHERE u.sha256 = $1"
				    " AND u.username = $2 AND u.done))", 2, p);
	if (!db_ok(res)) {
		PQclear(res);
		return -1;
	}
	int held = PQntuples(res) == 1;
	if (held && size)
		*size = atoll(PQgetvalue(res, 0, 0));
	PQclear(res);
	return held;
}

/* The connection and the SHA-256 named by a request for a blob; NULL when
 * answered already (503 without a database, 400 for a malformed hash). */
static const char *blob_request(struct req *r, PGconn **c)
{
	*c = conn_or_503(r);
	if (!*c)
		return NULL;
	const char *sha = req_param(r);
	if (!sync_hash_valid(sha)) {
		respond_error(r, MC_ERR_BAD_REQUEST, "Mã băm SHA-256 phải là 64 chữ số hex thường");
		return NULL;
	}
	return sha;
}

/* True when the user may see the file (blob_held), its size in *size;
 * otherwise it has answered: 404 (absent, or held only for others: the same
 * answer, which tells no clerk what another commune holds) or 503. */
static bool blob_visible(struct req *r, PGconn *c, const char *sha, long long *size)
{
	int held = blob_held(c, sha, r->s.username, size);
	if (held < 0)
		respond_db_down(r);
	else if (!held)
		respond_error(r, MC_ERR_NOT_FOUND, "Máy chủ chưa có tệp này");
	return held > 0;
}

void api_blob_head(struct req *r)
{
	PGconn *c;
	const char *sha = blob_request(r, &c);
	if (!sha)
		return;
	long long size = 0;
	if (!blob_visible(r, c, sha, &size))
		return;
	char s[24];
	snprintf(s, sizeof(s), "%lld", size);
	req_add_header(r, "X-Blob-Size", s);
	respond_empty(r, 200);
}

/* ---- GET /api/v1/blobs/{sha256} -------------------------------------------------- */

/* A file the user's workstation may see: held for the user as HEAD says
 * (blob_held): one of a document of a unit it serves, or attached to a
 * dossier received or handled by one (the papers of an online dossier,
 * fetched from the portal, docs/portal.md), or one the user sent. A file
 * only another commune's papers use answers 404 as HEAD does, never 403:
 * the two methods tell the same, and neither tells a clerk what another
 * commune holds. */
void api_blob_get(struct req *r)
{
	PGconn *c;
	const char *sha = blob_request(r, &c);
	if (!sha)
		return;
	long long size = 0;
	if (!blob_visible(r, c, sha, &size))
		return;
	respond_blob(r, c, sha, size);
}

void respond_blob(struct req *r, PGconn *c, const char *sha, long long size)
{
	if (size > (long long)upload_max) {
		respond_error(r, MC_ERR_PAYLOAD_TOO_LARGE, "Tệp quá lớn để tải một lần");
		return;
	}
	/* a range (Range: bytes=FROM-[TO]) resumes a download the link cut */
	long long from, to;
	int ranged = req_range(r, size, &from, &to);
	if (ranged < 0)
		return;
	const char *p[] = { sha };
	PGresult *res = PQexecParams(c, "SELECT data FROM blob_chunks WHERE sha256 = $1 ORDER BY pos", 1, NULL, p,
			   NULL, NULL, 1);
	if (!db_ok(res)) {
		PQclear(res);
		respond_db_down(r);
		return;
	}
	struct strbuf body = STRBUF_INIT;
	for (int i = 0; i < PQntuples(res); i++)
		strbuf_add(&body, PQgetvalue(res, i, 0), (size_t)PQgetlength(res, i, 0));
	PQclear(res);
	if ((long long)body.len != size) {
		strbuf_release(&body);
		respond_error(r, MC_ERR_INTERNAL, "Tệp trên máy chủ không đủ các phần");
		return;
	}
	size_t n = (size_t)(to - from + 1);
	char *bytes = xmalloc(n ? n : 1);
	if (n)
		memcpy(bytes, body.buf + from, n);
	strbuf_release(&body);
	respond_range(r, ranged, from, to, size, "application/octet-stream", bytes, n);
}

/* ---- OPTIONS, POST (creation), HEAD, DELETE (termination) ---------------------------- */

void api_upload_options(struct req *r)
{
	char max[24];
	snprintf(max, sizeof(max), "%lld", upload_max);
	tus_headers(r);
	req_add_header(r, "Tus-Version", TUS_VERSION);
	req_add_header(r, "Tus-Extension", "creation,termination");
	req_add_header(r, "Tus-Max-Size", max);
	respond_empty(r, 204);
}

/* Upload-Metadata: "key base64,key base64"; the decoded value of key into
 * out (NUL-terminated), 0 when present. */
/* Whether a file name is valid UTF-8 without control bytes: checked here,
 * not left to the database (whose encoding error would read as a fault). */
static bool name_sane(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return false;
	return mc_text_valid(s);
}

int tus_metadata_get(const char *md, const char *key, char *out, size_t n)
{
	size_t klen = strlen(key);
	for (const char *p = md; p && *p;) {
		while (*p == ' ' || *p == ',')
			p++;
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len > klen && !strncmp(p, key, klen) && p[klen] == ' ') {
			size_t bin = 0;
			const char *b64 = p + klen + 1;
			if (sodium_base642bin((unsigned char *)out, n - 1, b64, len - klen - 1, NULL, &bin,
					      NULL, sodium_base64_VARIANT_ORIGINAL))
				return -1;
			out[bin] = '\0';
			return strlen(out) == bin ? 0 : -1;
		}
		p = end;
	}
	return -1;
}

/* The stored file is checked and becomes a blob (shared by every upload of
 * the same content). Returns 0, 1 for a hash mismatch (upload deleted), -1
 * for a database failure. */
static int finish_upload(PGconn *c, const char *id, const char *sha, long long length)
{
	const char *p[] = { id };
	if (!PQsendQueryParams(c, "SELECT data FROM upload_chunks WHERE upload_id = $1 ORDER BY pos",
			       1, NULL, p, NULL, NULL, 1) || !PQsetSingleRowMode(c))
		return -1;
	crypto_hash_sha256_state st;
	crypto_hash_sha256_init(&st);
	long long total = 0;
	bool ok = true;
	PGresult *res;
	while ((res = PQgetResult(c))) {
		ExecStatusType s = PQresultStatus(res);
		if (s == PGRES_SINGLE_TUPLE) {
			int n = PQgetlength(res, 0, 0);
			crypto_hash_sha256_update(&st, (const unsigned char *)PQgetvalue(res, 0, 0),
						  (unsigned long long)n);
			total += n;
		} else if (s != PGRES_TUPLES_OK) {
			ok = false;
		}
		PQclear(res);
	}
	if (!ok)
		return -1;
	unsigned char h[crypto_hash_sha256_BYTES];
	char hex[SYNC_HASH_HEX + 1];
	crypto_hash_sha256_final(&st, h);
	sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
	if (total != length || strcmp(hex, sha)) {
		if (db_execp(c, "DELETE FROM uploads WHERE id = $1", 1, p, NULL))
			return -1;
		return 1;
	}
	char len[24];
	snprintf(len, sizeof(len), "%lld", length);
	const char *bp[] = { sha, len, id };
	if (db_exec(c, "BEGIN", NULL) ||
	    db_execp(c, "WITH b AS (INSERT INTO blobs(sha256, size) VALUES ($1, $2)"
			" ON CONFLICT (sha256) DO NOTHING RETURNING sha256)"
			" INSERT INTO blob_chunks(sha256, pos, data) SELECT b.sha256, u.pos, u.data"
			" FROM b, upload_chunks u WHERE u.upload_id = $3", 3, bp, NULL) ||
	    db_execp(c, "DELETE FROM upload_chunks WHERE upload_id = $1", 1, p, NULL) ||
	    db_execp(c, "UPDATE uploads SET done = true, updated_at = now() WHERE id = $1", 1, p, NULL) ||
	    db_exec(c, "COMMIT", NULL)) {
		db_exec(c, "ROLLBACK", NULL);
		return -1;
	}
	return 0;
}

/* Uploads left unfinished and untouched for UPLOAD_ABANDONED (a cut link
 * never resumed, a workstation gone) are removed with their chunks; run at
 * each creation (the partial index uploads_stale finds them at once), so
 * staging never grows without bound. Their workstation, if it comes back,
 * finds its upload gone (404) and begins anew. Returns how many, -1 on a
 * database failure. */
#define UPLOAD_ABANDONED "1 day"
static long sweep_uploads(PGconn *c)
{
	PGresult *res = db_query(c, "DELETE FROM uploads WHERE NOT done AND updated_at < now()"
				    " - interval '" UPLOAD_ABANDONED "' RETURNING id", 0, NULL);
	long n = db_ok(res) ? PQntuples(res) : -1;
	PQclear(res);
	if (n > 0)
		server_log(LOG_INFO, SERVER_NAME ": removed %ld upload(s) abandoned for "
			   UPLOAD_ABANDONED, n);
	return n;
}

void api_upload_create(struct req *r)
{
	PGconn *c = conn_or_503(r);
	if (!c || check_tus(r))
		return;
	const char *len = req_header(r, "Upload-Length");
	const char *md = req_header(r, "Upload-Metadata");
	char *end;
	long long length = len && *len ? strtoll(len, &end, 10) : -1;
	if (!len || !*len || *end || length < 0) { /* end is set only when len is not empty */
		respond_error(r, MC_ERR_BAD_REQUEST, "Cần tiêu đề Upload-Length (số byte của tệp)");
		return;
	}
	if (length > upload_max) {
		respond_error(r, MC_ERR_PAYLOAD_TOO_LARGE, "Tệp quá lớn (tối đa %lld byte)", upload_max);
		return;
	}
	char sha[SYNC_HASH_HEX + 8], name[512];
	if (!md || tus_metadata_get(md, "sha256", sha, sizeof(sha)) || !sync_hash_valid(sha)) {
		respond_error(r, MC_ERR_BAD_REQUEST, "Upload-Metadata cần \"sha256\" (64 chữ số hex"
			      " thường, mã hóa base64)");
		return;
	}
	bool has_name = !tus_metadata_get(md, "filename", name, sizeof(name));
	if (has_name && !name_sane(name)) {
		respond_error(r, MC_ERR_BAD_REQUEST, "Tên tệp trong Upload-Metadata phải là UTF-8"
			      " hợp lệ, không có ký tự điều khiển");
		return;
	}
	if (sweep_uploads(c) < 0) {
		respond_db_down(r);
		return;
	}
	unsigned char raw[16];
	char id[33];
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(id, sizeof(id), raw, sizeof(raw));
	/* The server may have the content already (for this user: blob_held):
	 * the upload is done at once. */
	int held = blob_held(c, sha, r->s.username, NULL);
	bool have = held > 0, ok = held >= 0;
	char lens[24];
	snprintf(lens, sizeof(lens), "%lld", length);
	const char *ip[] = { id, sha, lens, have ? lens : "0", have ? "true" : "false",
			     has_name ? name : NULL, r->s.device_id, r->s.username };
	if (!ok || db_execp(c, "INSERT INTO uploads(id, sha256, length, received, done, filename,"
			       " device_id, username) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
			    8, ip, NULL)) {
		respond_db_down(r);
		return;
	}
	if (length == 0 && !have) {
		int f = finish_upload(c, id, sha, 0);
		if (f < 0) {
			respond_db_down(r);
			return;
		}
		if (f > 0) {
			respond_error(r, MC_ERR_HASH_MISMATCH, "Mã băm SHA-256 không khớp với nội dung tệp;"
				      " hãy gửi lại");
			return;
		}
	}
	char *loc = xasprintf("/api/v1/uploads/%s", id);
	tus_headers(r);
	req_add_header(r, "Location", loc);
	add_offset(r, have ? length : 0);
	free(loc);
	respond_empty(r, 201);
}

/* The upload row of the caller: 1 found (fields filled), 0 not (answered:
 * 404, or 503 when the database fails). */
static int load_upload(PGconn *c, struct req *r, char *sha, long long *length, long long *received,
		       bool *done)
{
	const char *id = req_param(r);
	if (!upload_id_valid(id)) {
		respond_error(r, MC_ERR_NOT_FOUND, "Không có lượt tải lên này");
		return 0;
	}
	const char *p[] = { id, r->s.username };
	PGresult *res = query_row(r, c, "SELECT sha256, length, received, done FROM uploads"
				    " WHERE id = $1 AND username = $2", 2, p, MC_ERR_NOT_FOUND,
				  "Không có lượt tải lên này");
	if (!res)
		return 0;
	snprintf(sha, SYNC_HASH_HEX + 1, "%s", PQgetvalue(res, 0, 0));
	*length = atoll(PQgetvalue(res, 0, 1));
	*received = atoll(PQgetvalue(res, 0, 2));
	*done = !strcmp(PQgetvalue(res, 0, 3), "t");
	PQclear(res);
	return 1;
}

void api_upload_head(struct req *r)
{
	PGconn *c = conn_or_503(r);
	if (!c || check_tus(r))
		return;
	char sha[SYNC_HASH_HEX + 1];
	long long length, received;
	bool done;
	if (load_upload(c, r, sha, &length, &received, &done) != 1)
		return;
	char s[24];
	snprintf(s, sizeof(s), "%lld", length);
	tus_headers(r);
	add_offset(r, received);
	req_add_header(r, "Upload-Length", s);
	respond_empty(r, 200);
}

void api_upload_delete(struct req *r)
{
	PGconn *c = conn_or_503(r);
	if (!c || check_tus(r))
		return;
	const char *p[] = { req_param(r), r->s.username };
	PGresult *res = db_query(c, "DELETE FROM uploads WHERE id = $1 AND username = $2"
				    " AND NOT done RETURNING id", 2, p);
	bool ok = db_ok(res), found = ok && PQntuples(res) == 1;
	PQclear(res);
	if (!ok) {
		respond_db_down(r);
		return;
	}
	if (!found) {
		respond_error(r, MC_ERR_NOT_FOUND, "Không có lượt tải lên này");
		return;
	}
	tus_headers(r);
	respond_empty(r, 204);
}

/* ---- PATCH: the streamed body ------------------------------------------------------------ */

static void stream_fail(struct upload_stream *u, enum mc_err code, const char *msg)
{
	if (u->failed)
		return;
	u->failed = true;
	u->fail_code = code;
	snprintf(u->fail_msg, sizeof(u->fail_msg), "%s", msg);
}

/* Stores the buffered bytes as one chunk, in one transaction that also moves
 * the upload's offset (only from the offset this stream expects). */
static void flush(struct upload_stream *u)
{
	if (u->failed || !u->buf.len)
		return;
	PGconn *c = db_thread_conn();
	if (!c) {
		stream_fail(u, MC_ERR_DB_UNAVAILABLE, "Máy chủ tạm thời không truy cập được cơ sở dữ liệu");
		return;
	}
	char pos[24], n[24];
	snprintf(pos, sizeof(pos), "%lld", u->received);
	snprintf(n, sizeof(n), "%zu", u->buf.len);
	const char *up[] = { u->id, pos, n };
	if (db_exec(c, "BEGIN", NULL)) {
		stream_fail(u, MC_ERR_DB_UNAVAILABLE, "Máy chủ tạm thời không truy cập được cơ sở dữ liệu");
		return;
	}
	PGresult *res = db_query(c, "UPDATE uploads SET received = received + $3, updated_at = now()"
				    " WHERE id = $1 AND received = $2 AND NOT done RETURNING id", 3, up);
	bool ok = db_ok(res), moved = ok && PQntuples(res) == 1;
	PQclear(res);
	if (moved) {
		const char *cp[] = { u->id, pos, u->buf.buf };
		int lens[] = { 0, 0, (int)u->buf.len };
		int fmts[] = { 0, 0, 1 };
		res = PQexecParams(c, "INSERT INTO upload_chunks(upload_id, pos, data) VALUES ($1, $2, $3)",
				   3, NULL, cp, lens, fmts, 0);
		ok = db_ok(res);
		PQclear(res);
	}
	if (!ok || !moved || db_exec(c, "COMMIT", NULL)) {
		db_exec(c, "ROLLBACK", NULL);
		if (ok && !moved)
			stream_fail(u, MC_ERR_OFFSET_MISMATCH, "Lượt tải lên đã tiến triển ở kết nối khác;"
				    " hãy hỏi lại vị trí (HEAD)");
		else
			stream_fail(u, MC_ERR_DB_UNAVAILABLE, "Máy chủ tạm thời không ghi được dữ liệu");
		return;
	}
	u->received += (long long)u->buf.len;
	strbuf_reset(&u->buf);
}

static void patch_begin(struct req *r)
{
	PGconn *c = conn_or_503(r);
	if (!c || check_tus(r))
		return;
	const char *ct = req_header(r, "Content-Type");
	if (!ct || strncmp(ct, "application/offset+octet-stream", 31)) {
		respond_error(r, MC_ERR_BAD_CONTENT_TYPE,
			      "Nội dung PATCH phải là application/offset+octet-stream");
		return;
	}
	const char *off = req_header(r, "Upload-Offset");
	char *end;
	long long offset = off && *off ? strtoll(off, &end, 10) : -1;
	if (!off || !*off || *end || offset < 0) { /* end is set only when off is not empty */
		respond_error(r, MC_ERR_BAD_REQUEST, "Cần tiêu đề Upload-Offset");
		return;
	}
	char sha[SYNC_HASH_HEX + 1];
	long long length, received;
	bool done;
	if (load_upload(c, r, sha, &length, &received, &done) != 1)
		return;
	if (offset != received || done) {
		tus_headers(r);
		add_offset(r, received);
		respond_error(r, MC_ERR_OFFSET_MISMATCH, "Upload-Offset %lld khác vị trí máy chủ đang có"
			      " (%lld)", offset, received);
		return;
	}
	const char *cl = req_header(r, "Content-Length");
	if (cl && offset + strtoll(cl, NULL, 10) > length) {
		respond_error(r, MC_ERR_PAYLOAD_TOO_LARGE, "Nội dung vượt quá Upload-Length của tệp");
		return;
	}
	struct upload_stream *u = xcalloc(1, sizeof(*u));
	snprintf(u->id, sizeof(u->id), "%s", req_param(r));
	snprintf(u->sha256, sizeof(u->sha256), "%s", sha);
	u->length = length;
	u->received = received;
	strbuf_init(&u->buf);
	r->stream = u;
}

static void patch_data(struct req *r, const char *data, size_t n)
{
	struct upload_stream *u = r->stream;
	if (u->failed)
		return;
	if (u->received + (long long)u->buf.len + (long long)n > u->length) {
		flush(u);
		stream_fail(u, MC_ERR_PAYLOAD_TOO_LARGE, "Nội dung vượt quá Upload-Length của tệp");
		return;
	}
	strbuf_add(&u->buf, data, n);
	if (u->buf.len >= CHUNK)
		flush(u);
}

static void stream_free(struct req *r)
{
	struct upload_stream *u = r->stream;
	strbuf_release(&u->buf);
	FREE(&r->stream);
}

static void patch_end(struct req *r)
{
	struct upload_stream *u = r->stream;
	flush(u);
	tus_headers(r);
	if (u->failed) {
		add_offset(r, u->received);
		respond_error(r, u->fail_code, "%s", u->fail_msg);
		stream_free(r);
		return;
	}
	if (u->received == u->length) {
		PGconn *c = db_thread_conn();
		int f = c ? finish_upload(c, u->id, u->sha256, u->length) : -1;
		if (f < 0) {
			stream_free(r);
			respond_db_down(r);
			return;
		}
		if (f > 0) {
			stream_free(r);
			respond_error(r, MC_ERR_HASH_MISMATCH, "Mã băm SHA-256 không khớp với nội dung tệp;"
				      " lượt tải lên bị hủy, hãy gửi lại tệp");
			return;
		}
	}
	add_offset(r, u->received);
	stream_free(r);
	respond_empty(r, 204);
}

static void patch_abort(struct req *r)
{
	/* The link was cut: keep every byte that arrived. */
	if (!r->responded)
		flush(r->stream);
	stream_free(r);
}

const struct route_stream upload_patch = { patch_begin, patch_data, patch_end, patch_abort };
