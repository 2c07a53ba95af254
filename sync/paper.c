/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Papers on demand: see paper.h. */
#include "sync/paper.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "client/base/sealed.h"
#include "client/store/docstore.h"
#include "core/syncproto.h"
#include "sync/http.h"
#include "sync/sync.h"

#define NOW_SQL "strftime('%Y-%m-%dT%H:%M:%f', 'now')"

void sync_paper_release(struct sync_paper *p)
{
	free(p->path);
	memset(p, 0, sizeof(*p));
}

static int step_done(sqlite3_stmt *q)
{
	int rc = sqlite3_step(q);
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Bytes of sha256 kept so far. */
static long long chunks_have(struct store *st, const char *sha)
{
	sqlite3_stmt *q = store_prepare(st, "SELECT coalesce(sum(length(data)), 0) FROM paper_chunks"
					    " WHERE sha256 = ?");
	sqlite3_bind_text(q, 1, sha, -1, SQLITE_STATIC);
	long long n = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
	sqlite3_finalize(q);
	return n;
}

static int chunks_drop(struct store *st, const char *sha)
{
	sqlite3_stmt *q = store_prepare(st, "DELETE FROM paper_chunks WHERE sha256 = ?");
	sqlite3_bind_text(q, 1, sha, -1, SQLITE_STATIC);
	return step_done(q);
}

static int chunk_add(struct store *st, const char *sha, long long at, const char *b, size_t n)
{
	if (at == 0)
		chunks_drop(st, sha);
	sqlite3_stmt *q = store_prepare(st, "INSERT OR REPLACE INTO paper_chunks(sha256, pos, data)"
					    " VALUES (?, ?, ?)");
	sqlite3_bind_text(q, 1, sha, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, at);
	sqlite3_bind_blob64(q, 3, b ? b : "", n, SQLITE_STATIC);
	return step_done(q);
}

/* The whole file from its parts (in order, without holes) into out. */
static bool chunks_join(struct store *st, const char *sha, struct strbuf *out)
{
	sqlite3_stmt *q = store_prepare(st, "SELECT pos, data FROM paper_chunks WHERE sha256 = ?"
					    " ORDER BY pos");
	sqlite3_bind_text(q, 1, sha, -1, SQLITE_STATIC);
	bool ok = true;
	while (sqlite3_step(q) == SQLITE_ROW) {
		if (sqlite3_column_int64(q, 0) != (long long)out->len)
			ok = false;
		const void *b = sqlite3_column_blob(q, 1);
		if (b)
			strbuf_add(out, b, (size_t)sqlite3_column_bytes(q, 1));
	}
	sqlite3_finalize(q);
	return ok;
}

/* Total size from "Content-Range: bytes A-B/TOTAL"; -1 when absent. */
static long long range_total(const struct sync_reply *r, long long *start)
{
	char *cr = sync_reply_header(r, "Content-Range");
	long long total = -1;
	*start = -1;
	if (cr && !strncmp(cr, "bytes ", 6)) {
		*start = strtoll(cr + 6, NULL, 10);
		const char *slash = strchr(cr, '/');
		if (slash)
			total = strtoll(slash + 1, NULL, 10);
	}
	free(cr);
	return total;
}

/* Evicts the least recently used papers of the cache beyond the limit,
 * never keep (the one just asked for). */
static long evict(struct store *st, const char *keep)
{
	char *v = store_get_setting(st, SYNC_PAPER_CACHE_SETTING);
	double mb = v && *v ? strtod(v, NULL) : SYNC_PAPER_CACHE_MB_DEFAULT;
	free(v);
	long long limit = mb > 0 ? (long long)(mb * 1024 * 1024) : 0;
	long n = 0;
	for (;;) {
		sqlite3_stmt *q = store_prepare(st, "SELECT (SELECT sum(bytes) FROM paper_cache),"
						    " (SELECT sha256 FROM paper_cache WHERE sha256 <> ?1"
						    "  ORDER BY used_at LIMIT 1)");
		sqlite3_bind_text(q, 1, keep, -1, SQLITE_STATIC);
		char *victim = NULL;
		if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_int64(q, 0) > limit &&
		    sqlite3_column_text(q, 1))
			victim = xstrdup((const char *)sqlite3_column_text(q, 1));
		sqlite3_finalize(q);
		if (!victim)
			break;
		q = store_prepare(st, "DELETE FROM paper_cache WHERE sha256 = ?");
		sqlite3_bind_text(q, 1, victim, -1, SQLITE_STATIC);
		int rc = step_done(q);
		char *file = docstore_file(st->path, victim);
		if (rc == SQLITE_OK)
			unlink(file);
		free(file);
		free(victim);
		if (rc != SQLITE_OK)
			break;
		n++;
	}
	return n;
}

/* Files the complete paper (checked) as documents/<sha>.pdf and in the
 * cache. 0, 1 (not the file: parts dropped), -1 (err). */
static int file_in(struct store *st, const char *sha, struct sync_paper *p, struct strbuf *err)
{
	struct strbuf all = STRBUF_INIT;
	bool ok = chunks_join(st, sha, &all);
	unsigned char h[crypto_hash_sha256_BYTES];
	char hex[2 * crypto_hash_sha256_BYTES + 1];
	crypto_hash_sha256(h, (const unsigned char *)(all.buf ? all.buf : ""), all.len);
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	if (!ok || strcmp(hex, sha)) {
		strbuf_release(&all);
		chunks_drop(st, sha);
		strbuf_addstr(err, "Giấy tờ tải về không khớp mã băm: đã bỏ, hãy mở lại để tải lại");
		return 1;
	}
	char *dir = docstore_dir(st->path);
	char *tmp = xasprintf("%s/.incoming-paper-%s", dir, sha);
	int rc = -1;
	bool created;
	if (mkdir(dir, 0700) && errno != EEXIST) {
		strbuf_addf(err, "không tạo được thư mục %s: %s", dir, strerror(errno));
	} else if (sealed_write_file(tmp, all.buf ? all.buf : "", all.len)) {
		strbuf_addf(err, "không ghi được %s: %s", tmp, strerror(errno));
	} else if (!docstore_file_in(st->path, tmp, sha, &created, err)) {
		sqlite3_stmt *q = store_prepare(st, "INSERT OR REPLACE INTO paper_cache(sha256, bytes,"
						    " used_at) VALUES (?, ?, " NOW_SQL ")");
		sqlite3_bind_text(q, 1, sha, -1, SQLITE_STATIC);
		sqlite3_bind_int64(q, 2, (long long)all.len);
		int src = step_done(q);
		if (src == SQLITE_OK)
			src = chunks_drop(st, sha);
		if (src != SQLITE_OK) {
			strbuf_addf(err, "%s", store_errmsg_vn(src));
		} else {
			p->bytes = (long long)all.len;
			p->fetched = true;
			rc = 0;
		}
	}
	if (rc)
		unlink(tmp);
	free(tmp);
	free(dir);
	strbuf_release(&all);
	return rc;
}

/* One GET of what is missing. 0 complete, 1 not now (err), -1 fault. */
static int fetch(struct store *st, struct sync_http *http, const char *sha, struct sync_paper *p,
		 struct strbuf *err)
{
	long long have = chunks_have(st, sha);
	char range[48];
	snprintf(range, sizeof(range), "Range: bytes=%lld-", have);
	const char *headers[] = { range, NULL };
	char *path = xasprintf("/api/v1/blobs/%s", sha);
	struct sync_reply r;
	sync_http_send(http, "GET", path, headers, NULL, &r);
	free(path);
	int rc = 1;
	long long start = -1;
	range_total(&r, &start);
	if (r.status == 0 && !r.body.len) {
		strbuf_addf(err, "Giấy tờ này chỉ có trên máy chủ và máy trạm đang mất kết nối (%s):"
			    " hãy mở lại khi có mạng", r.error);
	} else if (r.status == 416) {
		chunks_drop(st, sha); /* more than the file: start again */
		strbuf_addstr(err, "Phần giấy tờ đã tải không khớp với máy chủ: hãy mở lại để tải lại");
	} else if (r.status == 404) {
		strbuf_addstr(err, "Máy chủ chưa có giấy tờ này (máy trạm đã quét có thể chưa gửi lên):"
			      " hãy thử lại sau");
	} else if (r.status == 401 || r.status == 403) {
		strbuf_addstr(err, "Giấy tờ này không thuộc hồ sơ của đơn vị mà tài khoản phục vụ, hoặc"
			      " máy chủ từ chối mã truy cập (hãy đăng nhập lại)");
	} else if (r.status >= 500) {
		strbuf_addf(err, "Máy chủ đang gặp sự cố (%ld): hãy mở lại sau", r.status);
	} else if (r.status != 0 && r.status != 200 && r.status != 206) {
		strbuf_addf(err, "Máy chủ trả lời %ld khi tải giấy tờ", r.status);
	} else {
		/* 200: the whole from byte 0; 206: from start; a cut one keeps what came */
		long long at = start >= 0 ? start : 0;
		int src = SQLITE_OK;
		if ((at == have || at == 0) && r.body.len)
			src = chunk_add(st, sha, at, r.body.buf, r.body.len);
		if (src != SQLITE_OK) {
			strbuf_addf(err, "Không lưu được phần giấy tờ đã tải: %s", store_errmsg_vn(src));
			rc = -1;
		} else if (r.status == 0) {
			strbuf_addf(err, "Mất kết nối khi tải giấy tờ (%lld byte đã có): hãy mở lại để tải"
				    " tiếp từ chỗ dừng", chunks_have(st, sha));
		} else {
			rc = file_in(st, sha, p, err);
		}
	}
	sync_reply_release(&r);
	return rc;
}

int sync_paper_get(struct store *st, const char *sha256, struct sync_paper *p, struct strbuf *err)
{
	memset(p, 0, sizeof(*p));
	if (!sync_hash_valid(sha256)) {
		strbuf_addstr(err, "Mã băm SHA-256 của giấy tờ phải là 64 chữ số hex thường");
		return 1;
	}
	p->path = docstore_file(st->path, sha256);
	struct stat sb;
	if (!stat(p->path, &sb)) {
		p->bytes = sb.st_size;
		sqlite3_stmt *q = store_prepare(st, "UPDATE paper_cache SET used_at = " NOW_SQL
						    " WHERE sha256 = ?");
		sqlite3_bind_text(q, 1, sha256, -1, SQLITE_STATIC);
		step_done(q);
		return 0;
	}
	struct sync_config cfg;
	if (sync_config_load(st, &cfg)) {
		sync_config_release(&cfg);
		strbuf_addstr(err, "Giấy tờ này chỉ có trên máy chủ, và máy trạm chưa đăng nhập máy chủ"
			      " đồng bộ (motcua login)");
		return 1;
	}
	struct sync_http http;
	sync_http_init(&http, cfg.server_url, cfg.token, cfg.ca_file);
	int rc = fetch(st, &http, sha256, p, err);
	/* a cut that still brought bytes: once more at once, from there */
	for (int i = 0; rc == 1 && i < 2 && chunks_have(st, sha256) > 0 && !p->fetched; i++) {
		struct strbuf again = STRBUF_INIT;
		rc = fetch(st, &http, sha256, p, &again);
		if (rc != 1 || again.len) {
			strbuf_reset(err);
			strbuf_addstr(err, again.buf ? again.buf : "");
		}
		strbuf_release(&again);
	}
	sync_http_release(&http);
	sync_config_release(&cfg);
	if (!rc)
		p->evicted = evict(st, sha256);
	return rc;
}
