/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A new workstation's first pull from a snapshot: see snapshot.h. */
#include "sync/snapshot.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "client/store/outbox.h"
#include "core/gzip.h"
#include "core/syncproto.h"

/* The largest snapshot inflated (a commune's records are a few tens of MB). */
#define SNAPSHOT_MAX_INFLATED (1u << 30)

static void note(struct sync_summary *s, char *msg)
{
	s->errors = xrealloc(s->errors, (s->nerrors + 1) * sizeof(*s->errors));
	s->errors[s->nerrors++] = msg;
}

/* A cut the download recovers from: said, not an error of the pass. */
static void warn(struct sync_summary *s, char *msg)
{
	s->warnings = xrealloc(s->warnings, (s->nwarnings + 1) * sizeof(*s->warnings));
	s->warnings[s->nwarnings++] = msg;
}

struct partial {
	char *id, *url, *cursor;
	long long size, have;
};

static void partial_release(struct partial *p)
{
	free(p->id);
	free(p->url);
	free(p->cursor);
	memset(p, 0, sizeof(*p));
}

static char *col_text(sqlite3_stmt *q, int i)
{
	const unsigned char *t = sqlite3_column_text(q, i);
	return t ? xstrdup((const char *)t) : NULL;
}

/* Whether the store is new: no cursor, no dossier. */
static bool store_is_new(struct store *st)
{
	sqlite3_stmt *q = store_prepare(st, "SELECT (SELECT cursor IS NULL FROM sync_state WHERE id = 1)"
					    " AND NOT EXISTS (SELECT 1 FROM dossiers)");
	bool yes = sqlite3_step(q) == SQLITE_ROW && sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	return yes;
}

/* The download under way, if any: 1 (p filled), 0 none. */
static int partial_load(struct store *st, struct partial *p)
{
	memset(p, 0, sizeof(*p));
	sqlite3_stmt *q = store_prepare(st, "SELECT snapshot_id, url, cursor, size,"
					    " (SELECT coalesce(sum(length(data)), 0) FROM snapshot_chunks)"
					    " FROM snapshot_download WHERE id = 1");
	int found = sqlite3_step(q) == SQLITE_ROW;
	if (found) {
		p->id = col_text(q, 0);
		p->url = col_text(q, 1);
		p->cursor = col_text(q, 2);
		p->size = sqlite3_column_int64(q, 3);
		p->have = sqlite3_column_int64(q, 4);
	}
	sqlite3_finalize(q);
	return found && p->id && p->url && p->cursor;
}

static int exec_sql(struct store *st, const char *sql)
{
	sqlite3_stmt *q = store_prepare(st, sql);
	int rc = sqlite3_step(q);
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Drops the download under way. */
static void partial_drop(struct store *st)
{
	exec_sql(st, "DELETE FROM snapshot_chunks");
	exec_sql(st, "DELETE FROM snapshot_download");
}

static int partial_start(struct store *st, const struct partial *p)
{
	partial_drop(st);
	sqlite3_stmt *q = store_prepare(st, "INSERT INTO snapshot_download(id, snapshot_id, url, cursor,"
					    " size) VALUES (1, ?, ?, ?, ?)");
	sqlite3_bind_text(q, 1, p->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, p->url, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, p->cursor, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 4, p->size);
	int rc = sqlite3_step(q);
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Keeps n bytes at offset at (the end of what came before: the first
 * byte from scratch drops what there was). */
static int partial_append(struct store *st, long long at, const char *bytes, size_t n)
{
	if (at == 0)
		exec_sql(st, "DELETE FROM snapshot_chunks");
	sqlite3_stmt *q = store_prepare(st, "INSERT INTO snapshot_chunks(pos, data) VALUES (?, ?)");
	sqlite3_bind_int64(q, 1, at);
	sqlite3_bind_blob64(q, 2, bytes ? bytes : "", n, SQLITE_STATIC);
	int rc = sqlite3_step(q);
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Asks the server which snapshot to take: SYNC_DONE with p filled, or with
 * p->id NULL when there is none to take. */
static enum sync_outcome ask(struct sync_http *http, struct partial *p, struct sync_summary *sum)
{
	struct sync_reply r;
	sync_http_request(http, "GET", "/api/v1/snapshot", NULL, &r);
	enum sync_outcome o = SYNC_DONE;
	if (r.status == 0) {
		o = r.cancelled ? SYNC_CANCELLED : SYNC_OFFLINE;
		if (!r.cancelled)
			note(sum, xasprintf("Tải bản chụp dữ liệu: %s", r.error));
	} else if (r.status == 401 || r.status == 403) {
		o = SYNC_DENIED;
		note(sum, xasprintf("Máy chủ từ chối mã truy cập của máy trạm khi tải bản chụp (%ld)",
				    r.status));
	} else if (r.status >= 500) {
		o = SYNC_OFFLINE;
		note(sum, xasprintf("Tải bản chụp dữ liệu: máy chủ đang gặp sự cố (%ld)", r.status));
	} else if (r.status == 200) {
		json_t *j = json_loadb(r.body.buf, r.body.len, 0, NULL);
		const char *id = json_string_value(json_object_get(j, "id"));
		const char *url = json_string_value(json_object_get(j, "url"));
		const char *cursor = json_string_value(json_object_get(j, "cursor"));
		json_int_t bytes = json_integer_value(json_object_get(j, "bytes"));
		if (id && sync_hash_valid(id) && url && !strncmp(url, "/api/v1/", 8) && cursor &&
		    bytes > 0) {
			p->id = xstrdup(id);
			p->url = xstrdup(url);
			p->cursor = xstrdup(cursor);
			p->size = bytes;
		}
		json_decref(j);
	}
	/* 404 (a server without snapshots, or few changes), any other 4xx: the
	 * feed does it all */
	sync_reply_release(&r);
	return o;
}

/* Where the answer's body starts in the file: its Content-Range's first
 * byte, 0 for a whole answer (200), -1 when it is neither. */
static long long body_start(const struct sync_reply *r)
{
	char *cr = sync_reply_header(r, "Content-Range");
	long long at = -1;
	if (cr) {
		if (!strncmp(cr, "bytes ", 6))
			at = strtoll(cr + 6, NULL, 10);
		free(cr);
	} else if (!strncmp(r->headers.buf ? r->headers.buf : "", "HTTP/", 5)) {
		const char *sp = strchr(r->headers.buf, ' ');
		if (sp && !strncmp(sp + 1, "200", 3))
			at = 0;
	}
	return at;
}

/* One GET of the rest from p->have on; bytes that came are kept even when
 * the link is cut. SYNC_DONE when the answer came whole (p->have moved),
 * SYNC_OFFLINE on a cut, other outcomes as usual; *gone: the server no
 * longer has it (404). */
static enum sync_outcome fetch_rest(struct store *st, struct sync_http *http, struct partial *p,
				    bool *gone, struct sync_summary *sum)
{
	char range[48];
	snprintf(range, sizeof(range), "Range: bytes=%lld-", p->have);
	const char *headers[] = { range, NULL };
	struct sync_reply r;
	sync_http_send(http, "GET", p->url, headers, NULL, &r);
	enum sync_outcome o = SYNC_DONE;
	*gone = false;
	if (r.status == 404 || r.status == 416) {
		*gone = true;
	} else if (r.status == 401 || r.status == 403) {
		o = SYNC_DENIED;
		note(sum, xasprintf("Máy chủ từ chối tải bản chụp dữ liệu (%ld)", r.status));
	} else if (r.status >= 500) {
		o = SYNC_OFFLINE;
		note(sum, xasprintf("Tải bản chụp dữ liệu: máy chủ đang gặp sự cố (%ld)", r.status));
	} else if (r.status != 0 && r.status != 200 && r.status != 206) {
		o = SYNC_FAULT;
		note(sum, xasprintf("Tải bản chụp dữ liệu: máy chủ trả lời %ld", r.status));
	} else if (r.cancelled) {
		o = SYNC_CANCELLED;
	}
	if (o == SYNC_DONE && !*gone) {
		long long at = body_start(&r);
		if (at == 0 && p->have > 0)
			p->have = 0; /* the whole again: it starts over */
		if (at == p->have && r.body.len) {
			int rc = partial_append(st, at, r.body.buf, r.body.len);
			if (rc != SQLITE_OK) {
				note(sum, xasprintf("Không lưu được bản chụp đang tải: %s", store_errmsg_vn(rc)));
				o = SYNC_FAULT;
			} else {
				p->have += (long long)r.body.len;
			}
		}
		if (o == SYNC_DONE && r.status == 0) {
			o = SYNC_OFFLINE;
			warn(sum, xasprintf("Tải bản chụp dữ liệu bị ngắt (%lld/%lld byte): %s; tải tiếp từ"
					    " chỗ dừng", p->have, p->size, r.error));
		}
	}
	sync_reply_release(&r);
	return o;
}

/* Checks and applies the complete snapshot with its cursor, in one
 * transaction that also drops the download. SYNC_DONE, SYNC_FAULT. */
static enum sync_outcome apply_all(struct store *st, const struct partial *p, struct apply_stats *as,
				   long *woken, struct sync_summary *sum)
{
	sqlite3_stmt *q = store_prepare(st, "SELECT pos, data FROM snapshot_chunks ORDER BY pos");
	struct strbuf z = STRBUF_INIT, json = STRBUF_INIT;
	bool ok = true;
	while (sqlite3_step(q) == SQLITE_ROW) {
		if (sqlite3_column_int64(q, 0) != (long long)z.len)
			ok = false; /* a hole or an overlap: not the file */
		const void *b = sqlite3_column_blob(q, 1);
		if (b)
			strbuf_add(&z, b, (size_t)sqlite3_column_bytes(q, 1));
	}
	sqlite3_finalize(q);
	unsigned char h[crypto_hash_sha256_BYTES];
	char hex[2 * crypto_hash_sha256_BYTES + 1];
	crypto_hash_sha256(h, (const unsigned char *)(z.buf ? z.buf : ""), z.len);
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	ok = ok && !strcmp(hex, p->id) &&
	     mc_gunzip(z.buf ? z.buf : "", z.len, SNAPSHOT_MAX_INFLATED, &json) == MC_GUNZIP_OK;
	strbuf_release(&z);
	if (!ok) {
		partial_drop(st);
		strbuf_release(&json);
		note(sum, xstrdup("Bản chụp dữ liệu tải về không khớp mã băm: bỏ đi, tải lại lần sau"));
		return SYNC_FAULT;
	}
	struct sync_changes all;
	struct sync_error e;
	if (sync_changes_decode(json.buf, json.len, &all, &e)) {
		strbuf_release(&json);
		partial_drop(st);
		note(sum, xasprintf("Bản chụp dữ liệu không hợp lệ: %s", e.message));
		return SYNC_FAULT;
	}
	strbuf_release(&json);
	struct strbuf err = STRBUF_INIT;
	enum sync_outcome o = SYNC_DONE;
	if (store_begin(st, &err)) {
		note(sum, xasprintf("Không ghi được bản chụp dữ liệu: %s", err.buf));
		o = SYNC_FAULT;
		goto out;
	}
	long woke = 0;
	int rc = SQLITE_OK;
	for (size_t i = 0; i < all.nchanges && rc == SQLITE_OK; i++) {
		const struct sync_change *ch = &all.changes[i];
		rc = sync_apply_change(st, ch, as);
		long w = rc == SQLITE_OK && !strcmp(ch->entity, "dossier")
			? outbox_dossier_known(st, ch->entity_id) : 0;
		if (w < 0)
			rc = sqlite3_errcode(st->db);
		else
			woke += w;
	}
	if (rc == SQLITE_OK) {
		q = store_prepare(st, "UPDATE sync_state SET cursor = ? WHERE id = 1");
		sqlite3_bind_text(q, 1, p->cursor, -1, SQLITE_STATIC);
		rc = sqlite3_step(q) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(st->db);
		sqlite3_finalize(q);
	}
	if (rc == SQLITE_OK)
		rc = exec_sql(st, "DELETE FROM snapshot_chunks");
	if (rc == SQLITE_OK)
		rc = exec_sql(st, "DELETE FROM snapshot_download");
	if (rc != SQLITE_OK) {
		store_rollback(st);
		note(sum, xasprintf("Không ghi được bản chụp dữ liệu: %s", store_errmsg_vn(rc)));
		o = SYNC_FAULT;
	} else if (store_commit(st, &err)) {
		note(sum, xasprintf("Không ghi được bản chụp dữ liệu: %s", err.buf));
		o = SYNC_FAULT;
	} else {
		*woken += woke;
	}
out:
	strbuf_release(&err);
	sync_changes_release(&all);
	return o;
}

enum sync_outcome sync_snapshot(struct store *st, struct sync_http *http, const atomic_int *cancel,
				struct apply_stats *as, long *woken, struct sync_summary *sum)
{
	if (!store_is_new(st))
		return SYNC_DONE;
	struct partial p;
	enum sync_outcome o = SYNC_DONE;
	bool asked = false;
	if (!partial_load(st, &p)) {
		partial_release(&p);
		o = ask(http, &p, sum);
		asked = true;
		if (o != SYNC_DONE || !p.id)
			goto out;
		int rc = partial_start(st, &p);
		if (rc != SQLITE_OK) {
			note(sum, xasprintf("Không ghi được bản chụp đang tải: %s", store_errmsg_vn(rc)));
			o = SYNC_FAULT;
			goto out;
		}
	}
	for (int tries = 0; p.have < p.size; tries++) {
		if (cancel && atomic_load(cancel)) {
			o = SYNC_CANCELLED;
			goto out;
		}
		long long before = p.have;
		bool gone;
		o = fetch_rest(st, http, &p, &gone, sum);
		if (o == SYNC_DONE && gone) {
			/* replaced by a newer one: that one, from its first byte */
			partial_drop(st);
			partial_release(&p);
			if (asked)
				goto out; /* twice: the feed does it */
			o = ask(http, &p, sum);
			asked = true;
			if (o != SYNC_DONE || !p.id)
				goto out;
			int rc = partial_start(st, &p);
			if (rc != SQLITE_OK) {
				o = SYNC_FAULT;
				goto out;
			}
			continue;
		}
		/* a cut link that still moved bytes is tried again at once */
		if (o == SYNC_OFFLINE && p.have > before && tries + 1 < SYNC_SNAPSHOT_TRIES)
			continue;
		if (o == SYNC_OFFLINE && p.have > 0)
			note(sum, xasprintf("Tải bản chụp dữ liệu chưa xong (%lld/%lld byte): lần đồng bộ"
					    " sau tải tiếp từ chỗ dừng", p.have, p.size));
		if (o != SYNC_DONE)
			goto out;
		if (p.have == before && p.have < p.size) {
			note(sum, xstrdup("Máy chủ không gửi tiếp bản chụp dữ liệu: lần sau tải lại"));
			o = SYNC_OFFLINE;
			goto out;
		}
	}
	if (p.have > p.size) {
		partial_drop(st);
		note(sum, xstrdup("Bản chụp dữ liệu tải về dài hơn máy chủ báo: bỏ đi, tải lại lần sau"));
		o = SYNC_FAULT;
		goto out;
	}
	o = apply_all(st, &p, as, woken, sum);
out:
	partial_release(&p);
	return o;
}
