/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The sync_state row and what the status bar shows. */
#include "sync/sync.h"
#include "client/store/outbox.h"
#include "sync/numbering.h"
#include "sync/upload.h"

#include "client/store/keyring.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int sync_config_load(struct store *st, struct sync_config *c)
{
	memset(c, 0, sizeof(*c));
	sqlite3_stmt *q = store_prepare(st, "SELECT server_url, device_id, device_name, username,"
					    " token, ca_file, stopped FROM sync_state WHERE id = 1");
	if (sqlite3_step(q) == SQLITE_ROW) {
		c->server_url = store_col_nonempty(q, 0);
		c->device_id = store_col_nonempty(q, 1);
		c->device_name = store_col_nonempty(q, 2);
		c->username = store_col_nonempty(q, 3);
		/* sealed under the store's key when the store is encrypted */
		const unsigned char *t = sqlite3_column_text(q, 4);
		c->token = t && *t ? keyring_open_secret(st->path, (const char *)t) : NULL;
		c->ca_file = store_col_nonempty(q, 5);
		c->stopped = sqlite3_column_int(q, 6) != 0;
	}
	sqlite3_finalize(q);
	return c->server_url && c->device_id && c->token ? 0 : 1;
}

void sync_config_release(struct sync_config *c)
{
	FREE(&c->server_url);
	FREE(&c->device_id);
	FREE(&c->device_name);
	FREE(&c->username);
	if (c->token)
		memset(c->token, 0, strlen(c->token));
	FREE(&c->token);
	FREE(&c->ca_file);
}

int sync_token_reseal(struct store *st)
{
	if (!st->encrypted)
		return 0;
	sqlite3_stmt *q = store_prepare(st, "SELECT token FROM sync_state WHERE id = 1");
	char *token = NULL;
	if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0))
		token = xstrdup((const char *)sqlite3_column_text(q, 0));
	sqlite3_finalize(q);
	if (!token || !*token || !strncmp(token, "sealed1:", 8)) {
		keyring_free_secret(token);
		return 0;
	}
	char *sealed = keyring_seal_secret(st->path, token);
	keyring_free_secret(token);
	q = store_prepare(st, "UPDATE sync_state SET token = ? WHERE id = 1");
	sqlite3_bind_text(q, 1, sealed, -1, SQLITE_STATIC);
	int rc = sqlite3_step(q) == SQLITE_DONE ? 0 : -1;
	sqlite3_finalize(q);
	keyring_free_secret(sealed);
	return rc;
}

bool sync_configured(struct store *st)
{
	sqlite3_stmt *q = store_prepare(st, "SELECT 1 FROM sync_state WHERE id = 1"
					    " AND server_url IS NOT NULL AND device_id IS NOT NULL");
	bool yes = sqlite3_step(q) == SQLITE_ROW;
	sqlite3_finalize(q);
	return yes;
}

char *sync_device_id(struct store *st)
{
	sqlite3_stmt *q = store_prepare(st, "SELECT device_id FROM sync_state WHERE id = 1");
	char *id = sqlite3_step(q) == SQLITE_ROW ? store_col_nonempty(q, 0) : NULL;
	sqlite3_finalize(q);
	if (id)
		return id;
	char uuid[37];
	store_uuid7(uuid);
	q = store_prepare(st, "UPDATE sync_state SET device_id = ? WHERE id = 1 AND device_id IS NULL");
	sqlite3_bind_text(q, 1, uuid, -1, SQLITE_STATIC);
	sqlite3_step(q);
	sqlite3_finalize(q);
	q = store_prepare(st, "SELECT device_id FROM sync_state WHERE id = 1");
	id = sqlite3_step(q) == SQLITE_ROW ? store_col_nonempty(q, 0) : NULL;
	sqlite3_finalize(q);
	return id ? id : xstrdup(uuid);
}

int sync_config_save_login(struct store *st, const char *server_url, const char *username,
			   const char *token, const char *ca_file, const char *device_name,
			   struct strbuf *err)
{
	sqlite3_stmt *q = store_prepare(st, "UPDATE sync_state SET server_url = ?1, username = ?2,"
					    " token = ?3, ca_file = ?4, device_name = ?5,"
					    " stopped = 0, last_error = NULL WHERE id = 1");
	const char *v[] = { server_url, username, token, ca_file, device_name };
	for (int i = 0; i < 5; i++)
		sqlite3_bind_text(q, i + 1, v[i], -1, SQLITE_STATIC); /* NULL binds NULL */
	int rc = sqlite3_step(q);
	sqlite3_finalize(q);
	if (rc == SQLITE_DONE)
		return 0;
	strbuf_addf(err, "không lưu được đăng nhập máy chủ: %s", store_errmsg_vn(rc));
	return -1;
}

/* ---- the status bar -------------------------------------------------------- */

static long count(struct store *st, const char *sql)
{
	sqlite3_stmt *q = store_prepare(st, sql);
	long n = sqlite3_step(q) == SQLITE_ROW ? (long)sqlite3_column_int64(q, 0) : 0;
	sqlite3_finalize(q);
	return n;
}

void sync_view_load(struct store *st, struct sync_view *v)
{
	memset(v, 0, sizeof(*v));
	sqlite3_stmt *q = store_prepare(st, "SELECT server_url, device_id, last_sync_at,"
					    " online, last_error, stopped FROM sync_state"
					    " WHERE id = 1");
	if (sqlite3_step(q) == SQLITE_ROW) {
		v->server_url = store_col_nonempty(q, 0);
		v->configured = v->server_url && sqlite3_column_type(q, 1) != SQLITE_NULL;
		v->last_sync_at = store_col_nonempty(q, 2);
		v->online = sqlite3_column_int(q, 3) != 0;
		v->last_error = store_col_nonempty(q, 4);
		v->stopped = sqlite3_column_int(q, 5) != 0;
	}
	sqlite3_finalize(q);
	struct outbox_counts c;
	outbox_counts(st, &c);
	v->pending = c.pending;
	v->problems = c.rejected + c.conflict;
	v->waiting = c.waiting;
	v->review = numbering_review_count(st);
	long long bytes = 0;
	sync_upload_pending(st, &v->pending_files, &bytes);
	v->pending_mb = (double)bytes / 1e6;
	v->failed_files = count(st, "SELECT count(*) FROM file_uploads WHERE state = 'failed'");
}

void sync_view_release(struct sync_view *v)
{
	FREE(&v->last_sync_at);
	FREE(&v->last_error);
	FREE(&v->server_url);
}

char *sync_view_text(const struct sync_view *v, const char *today)
{
	struct strbuf sb = STRBUF_INIT;
	if (!v->configured) {
		strbuf_addstr(&sb, "Ngoại tuyến");
		if (v->pending)
			strbuf_addf(&sb, " · chờ %ld", v->pending);
		return strbuf_detach(&sb);
	}
	strbuf_addstr(&sb, v->stopped ? "Bị từ chối" : v->online ? "Trực tuyến" : "Ngoại tuyến");
	/* files waiting: their megabytes the server still lacks, beside the operations */
	long tenths = (long)(v->pending_mb * 10 + 0.5);
	if (v->pending_files && !tenths)
		tenths = 1; /* a small file still waits: never "0,0" */
	if (v->pending && v->pending_files)
		strbuf_addf(&sb, " · chờ %ld (%ld,%ld MB)", v->pending, tenths / 10, tenths % 10);
	else if (v->pending)
		strbuf_addf(&sb, " · chờ %ld", v->pending);
	else if (v->pending_files)
		strbuf_addf(&sb, " · chờ %ld,%ld MB", tenths / 10, tenths % 10);
	if (v->last_sync_at && strlen(v->last_sync_at) >= 16) {
		/* the time of a sync of today, else its day and month */
		if (today && !strncmp(v->last_sync_at, today, 10))
			strbuf_addf(&sb, " · %.5s", v->last_sync_at + 11);
		else
			strbuf_addf(&sb, " · %.2s/%.2s", v->last_sync_at + 8, v->last_sync_at + 5);
	} else {
		strbuf_addstr(&sb, " · chưa đồng bộ");
	}
	if (v->problems)
		strbuf_addf(&sb, " · %ld lỗi", v->problems);
	else if (v->last_error && !v->stopped)
		strbuf_addstr(&sb, " · lỗi");
	if (v->failed_files)
		strbuf_addf(&sb, " · %ld tệp hỏng", v->failed_files);
	if (v->review)
		strbuf_addf(&sb, " · %ld rà soát", v->review);
	return strbuf_detach(&sb);
}

/* ---- what needs a person ------------------------------------------------------ */

size_t sync_issues(struct store *st, size_t first, size_t count, struct sync_issue *rows)
{
	struct outbox_counts c;
	outbox_counts(st, &c);
	size_t problems = (size_t)(c.rejected + c.conflict), n = 0;
	if (first < problems) {
		struct outbox_problem *p = xcalloc(count ? count : 1, sizeof(*p));
		size_t k = outbox_problems(st, first, count, p);
		for (size_t i = 0; i < k; i++, n++) {
			rows[n] = (struct sync_issue){
				.kind = p[i].conflict ? SYNC_ISSUE_CONFLICT : SYNC_ISSUE_REJECTED,
				.code = p[i].code,
				.op = p[i].op,
				.reason = p[i].error_code ? xasprintf("%s (%s)", p[i].message,
								      p[i].error_code)
							  : xstrdup(p[i].message),
				.op_id = p[i].op_id,
			};
			p[i].code = p[i].op = p[i].op_id = NULL; /* moved */
			outbox_problem_release(&p[i]);
		}
		free(p);
	}
	size_t waiting = (size_t)c.waiting;
	if (n < count && first + n < problems + waiting) {
		struct outbox_problem *p = xcalloc(count - n, sizeof(*p));
		size_t k = outbox_waiting(st, first + n - problems, count - n, p);
		for (size_t i = 0; i < k; i++, n++) {
			rows[n] = (struct sync_issue){
				.kind = SYNC_ISSUE_WAITING,
				.code = p[i].code,
				.op = p[i].op,
				.reason = xasprintf("%s (%s)", p[i].message, p[i].error_code),
				.op_id = p[i].op_id,
			};
			p[i].code = p[i].op = p[i].op_id = NULL; /* moved */
			outbox_problem_release(&p[i]);
		}
		free(p);
	}
	problems += waiting;
	if (n < count) {
		struct numbering_review *r = xcalloc(count - n, sizeof(*r));
		size_t k = numbering_reviews(st, first + n > problems ? first + n - problems : 0,
					     count - n, r);
		for (size_t i = 0; i < k; i++, n++) {
			rows[n] = (struct sync_issue){
				.kind = SYNC_ISSUE_REVIEW,
				.code = r[i].code,
				.op = xstrdup("receive"),
				.reason = r[i].reason,
			};
			free(r[i].dossier_id);
		}
		free(r);
	}
	return n;
}

void sync_issue_release(struct sync_issue *i)
{
	free(i->code);
	free(i->op);
	free(i->reason);
	free(i->op_id);
	memset(i, 0, sizeof(*i));
}
