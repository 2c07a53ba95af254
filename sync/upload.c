/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The file queue of a sync pass: see sync/upload.h. */
#include "sync/upload.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "client/base/files.h"
#include "client/base/sealed.h"
#include "client/store/docstore.h"
#include "core/syncproto.h"

#define TUS "Tus-Resumable: 1.0.0"
#define RETRIES 3 /* offset mismatches or vanished uploads per file and pass */

struct queue {
	struct store *st;
	struct sync_http *http;
	const atomic_int *cancel;
	const char *now;
	struct sync_summary *sum;
};

/* One file of the queue. */
struct file {
	char sha[65];
	char *path;     /* documents/<sha256>.pdf */
	char *what;     /* "giấy tờ của hồ sơ CODE (thành phần N)", for messages */
	char *url;      /* the tus upload under way (a path), or NULL */
	long long size, offset;
	int fd;
};

enum step {
	STEP_DONE,    /* this file is finished with (sent, known, failed or skipped) */
	STEP_AGAIN,   /* ask the server again (a vanished upload, another offset) */
	STEP_STOP     /* stop the queue: *outcome says why */
};

static void add_error(struct sync_summary *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add_error(struct sync_summary *s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *m = xvasprintf(fmt, ap);
	va_end(ap);
	s->errors = xrealloc(s->errors, (s->nerrors + 1) * sizeof(*s->errors));
	s->errors[s->nerrors++] = m;
}

/* ---- the table ------------------------------------------------------------------- */

static int exec_row(struct queue *q, const char *sql, const struct file *f, const char *text)
{
	sqlite3_stmt *s = store_prepare(q->st, sql);
	sqlite3_bind_text(s, 1, f->sha, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, q->now, -1, SQLITE_STATIC);
	if (text)
		sqlite3_bind_text(s, 3, text, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 4, f->offset);
	sqlite3_bind_int64(s, 5, f->size);
	int rc = sqlite3_step(s);
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* The upload under way (url may be NULL: none) and the server's offset. */
static int save_progress(struct queue *q, const struct file *f)
{
	return exec_row(q, "UPDATE file_uploads SET upload_url = ?3, server_offset = ?4, bytes = ?5,"
			   " updated_at = ?2 WHERE sha256 = ?1", f, f->url);
}

static int mark_sent(struct queue *q, struct file *f)
{
	f->offset = f->size;
	return exec_row(q, "UPDATE file_uploads SET state = 'sent', upload_url = NULL,"
			   " server_offset = ?4, bytes = ?5, last_error = NULL, updated_at = ?2,"
			   " sent_at = ?2 WHERE sha256 = ?1", f, NULL);
}

/* An error on this file: kept (pending) or for good (failed). */
static int mark_error(struct queue *q, const struct file *f, bool failed, const char *msg)
{
	return exec_row(q, failed ? "UPDATE file_uploads SET state = 'failed', upload_url = NULL,"
				    " server_offset = 0, last_error = ?3, attempts = attempts + 1,"
				    " updated_at = ?2 WHERE sha256 = ?1"
				  : "UPDATE file_uploads SET last_error = ?3, attempts = attempts + 1,"
				    " updated_at = ?2 WHERE sha256 = ?1", f, msg);
}

int sync_upload_held(struct store *st, const char *sha, const char *now)
{
	sqlite3_stmt *q = store_prepare(st, "UPDATE file_uploads SET state = 'sent', upload_url = NULL,"
					    " server_offset = bytes, last_error = NULL, updated_at = ?2,"
					    " sent_at = ?2 WHERE sha256 = ?1 AND state = 'pending'");
	sqlite3_bind_text(q, 1, sha, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, now, -1, SQLITE_STATIC);
	int rc = sqlite3_step(q);
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : -1;
}

long sync_upload_resend(struct store *st, char *const *shas, size_t n)
{
	long count = 0;
	for (size_t i = 0; i < n; i++) {
		sqlite3_stmt *q = store_prepare(st, "UPDATE file_uploads SET state = 'pending',"
						    " upload_url = NULL, server_offset = 0, sent_at = NULL"
						    " WHERE sha256 = ? AND state = 'sent'");
		sqlite3_bind_text(q, 1, shas[i], -1, SQLITE_STATIC);
		int rc = sqlite3_step(q);
		sqlite3_finalize(q);
		if (rc != SQLITE_DONE)
			return -1;
		count += sqlite3_changes(st->db);
	}
	return count;
}

void sync_upload_pending(struct store *st, long *files, long long *bytes)
{
	sqlite3_stmt *q = store_prepare(st, "SELECT count(*), coalesce(sum(max(bytes - server_offset, 0)), 0)"
					    " FROM file_uploads WHERE state = 'pending'");
	*files = 0;
	*bytes = 0;
	if (sqlite3_step(q) == SQLITE_ROW) {
		*files = (long)sqlite3_column_int64(q, 0);
		*bytes = sqlite3_column_int64(q, 1);
	}
	sqlite3_finalize(q);
}

/* What the clerk knows the file as: a dossier and component using it. */
static char *describe(struct store *st, const char *sha)
{
	sqlite3_stmt *q = store_prepare(st, "SELECT d.code, c.seq FROM documents doc"
					    " JOIN dossier_components c ON c.document_id = doc.id"
					    " JOIN dossiers d ON d.id = c.dossier_id"
					    " WHERE doc.sha256 = ? ORDER BY d.received_at LIMIT 1");
	sqlite3_bind_text(q, 1, sha, -1, SQLITE_STATIC);
	char *s = sqlite3_step(q) == SQLITE_ROW
		? xasprintf("giấy tờ của hồ sơ %s (thành phần %d, tệp %.12s…)",
			    (const char *)sqlite3_column_text(q, 0), sqlite3_column_int(q, 1), sha)
		: xasprintf("tệp giấy tờ %.12s…", sha);
	sqlite3_finalize(q);
	return s;
}

/* ---- answers ------------------------------------------------------------------------ */

/* Whether the server answered; records a link failure, a refused token or a
 * server fault in *o and the summary. */
static bool answered(struct queue *q, const struct sync_reply *r, enum sync_outcome *o)
{
	if (r->status == 0) {
		if (r->cancelled) {
			*o = SYNC_CANCELLED;
		} else {
			add_error(q->sum, "Gửi tệp giấy tờ: %s", r->error);
			*o = SYNC_OFFLINE;
		}
		return false;
	}
	q->sum->online = true;
	struct sync_error e;
	if (r->status == 401 || r->status == 403) {
		if (sync_error_decode(r->body.buf, r->body.len, &e))
			sync_error_set(&e, MC_ERR_HTTP, "máy chủ trả lời mã %ld", r->status);
		if (mc_err_from_wire(e.code) == MC_ERR_TOKEN_EXPIRED)
			add_error(q->sum, "Mã truy cập của máy trạm đã hết hạn (%s: %s). Hãy đăng"
				  " nhập lại: motcua login", e.code, e.message);
		else
			add_error(q->sum, "Máy chủ từ chối mã truy cập của máy trạm (%s: %s). Hãy"
				  " đăng nhập lại: motcua login", e.code, e.message);
		*o = SYNC_DENIED;
		return false;
	}
	if (r->status >= 500) {
		if (sync_error_decode(r->body.buf, r->body.len, &e))
			sync_error_set(&e, MC_ERR_HTTP, "máy chủ trả lời mã %ld", r->status);
		add_error(q->sum, "Gửi tệp giấy tờ: máy chủ đang gặp sự cố (%ld %s): %s", r->status,
			  e.code, e.message);
		*o = SYNC_OFFLINE;
		return false;
	}
	return true;
}

static long long header_ll(const struct sync_reply *r, const char *name)
{
	char *v = sync_reply_header(r, name), *end;
	long long n = v && *v ? strtoll(v, &end, 10) : -1;
	if (!v || !*v || *end || n < 0) /* end is set only when v is not empty */
		n = -1;
	free(v);
	return n;
}

/* The server's words for a refusal (4xx) of this file. */
static void refused(struct queue *q, const struct file *f, const struct sync_reply *r, bool failed)
{
	struct sync_error e;
	if (sync_error_decode(r->body.buf, r->body.len, &e))
		sync_error_set(&e, MC_ERR_HTTP, "máy chủ trả lời mã %ld", r->status);
	char *msg = xasprintf("Không gửi được %s: máy chủ trả lời %ld %s: %s", f->what, r->status,
			      e.code, e.message);
	add_error(q->sum, "%s", msg);
	mark_error(q, f, failed, msg);
	if (failed)
		q->sum->files_failed++;
	free(msg);
}

/* ---- the steps of one file -------------------------------------------------------------- */

/* No upload under way: the server may hold the file already; otherwise a
 * new upload, stored before any byte goes. */
static enum step begin(struct queue *q, struct file *f, enum sync_outcome *o)
{
	char *path = xasprintf("/api/v1/blobs/%s", f->sha);
	struct sync_reply r;
	sync_http_request(q->http, "HEAD", path, NULL, &r);
	free(path);
	enum step st = STEP_STOP;
	if (!answered(q, &r, o))
		goto out;
	if (r.status == 200) {
		q->sum->files_known++; /* another workstation sent the same paper */
		st = mark_sent(q, f) ? STEP_STOP : STEP_DONE;
		goto out;
	}
	if (r.status != 404) {
		refused(q, f, &r, false);
		st = STEP_DONE;
		goto out;
	}
	sync_reply_release(&r);
	char *b64sha = xmalloc(sodium_base64_ENCODED_LEN(64, sodium_base64_VARIANT_ORIGINAL));
	sodium_bin2base64(b64sha, sodium_base64_ENCODED_LEN(64, sodium_base64_VARIANT_ORIGINAL),
			  (const unsigned char *)f->sha, 64, sodium_base64_VARIANT_ORIGINAL);
	char name[80];
	snprintf(name, sizeof name, "%s.pdf", f->sha);
	size_t nlen = sodium_base64_ENCODED_LEN(strlen(name), sodium_base64_VARIANT_ORIGINAL);
	char *b64name = xmalloc(nlen);
	sodium_bin2base64(b64name, nlen, (const unsigned char *)name, strlen(name),
			  sodium_base64_VARIANT_ORIGINAL);
	char *len = xasprintf("Upload-Length: %lld", f->size);
	char *md = xasprintf("Upload-Metadata: sha256 %s,filename %s", b64sha, b64name);
	const char *hdrs[] = { TUS, len, md, NULL };
	sync_http_send(q->http, "POST", "/api/v1/uploads", hdrs, NULL, &r);
	free(len);
	free(md);
	free(b64sha);
	free(b64name);
	if (!answered(q, &r, o))
		goto out;
	char *loc = r.status == 201 ? sync_reply_header(&r, "Location") : NULL;
	long long off = header_ll(&r, "Upload-Offset");
	if (!loc || strncmp(loc, "/api/v1/uploads/", 16) || off < 0 || off > f->size) {
		if (r.status == 201) {
			add_error(q->sum, "Gửi %s: câu trả lời tạo lượt tải lên của máy chủ không hợp lệ",
				  f->what);
			*o = SYNC_FAULT;
		} else {
			refused(q, f, &r, r.status == 413);
			st = STEP_DONE;
		}
		free(loc);
		goto out;
	}
	f->url = loc;
	f->offset = off;
	if (off == f->size) {
		q->sum->files_known++; /* the server had the content: nothing to send */
		st = mark_sent(q, f) ? STEP_STOP : STEP_DONE;
	} else {
		st = save_progress(q, f) ? STEP_STOP : STEP_AGAIN;
	}
out:
	if (st == STEP_STOP && *o == SYNC_DONE) {
		add_error(q->sum, "Không ghi được tiến độ gửi tệp vào kho dữ liệu");
		*o = SYNC_FAULT;
	}
	sync_reply_release(&r);
	return st;
}

/* An upload under way: where the server is (tus HEAD). A vanished upload
 * (expired, dropped) starts again. */
static enum step locate(struct queue *q, struct file *f, enum sync_outcome *o)
{
	const char *hdrs[] = { TUS, NULL };
	struct sync_reply r;
	sync_http_send(q->http, "HEAD", f->url, hdrs, NULL, &r);
	enum step st = STEP_STOP;
	if (!answered(q, &r, o))
		goto out;
	long long off = header_ll(&r, "Upload-Offset"), len = header_ll(&r, "Upload-Length");
	if (r.status == 404 || (r.status == 200 && len != f->size)) {
		FREE(&f->url); /* gone, or of another size: a new upload */
		f->offset = 0;
		st = save_progress(q, f) ? STEP_STOP : STEP_AGAIN;
	} else if (r.status == 200 && off >= 0 && off <= f->size) {
		f->offset = off;
		st = save_progress(q, f) ? STEP_STOP : STEP_AGAIN;
	} else {
		refused(q, f, &r, false);
		st = STEP_DONE;
	}
out:
	if (st == STEP_STOP && *o == SYNC_DONE) {
		add_error(q->sum, "Không ghi được tiến độ gửi tệp vào kho dữ liệu");
		*o = SYNC_FAULT;
	}
	sync_reply_release(&r);
	return st;
}

/* The server refused the finished file (hash mismatch) and dropped the
 * upload: damaged here, or on the way? */
static void mismatch(struct queue *q, struct file *f)
{
	char hex[65] = "";
	struct strbuf err = STRBUF_INIT;
	bool damaged = files_sha256(f->path, hex, &err) || strcmp(hex, f->sha);
	strbuf_release(&err);
	FREE(&f->url);
	f->offset = 0;
	save_progress(q, f);
	char *msg = damaged
		? xasprintf("Máy chủ từ chối %s: mã băm SHA-256 không khớp, tệp trên máy đã bị hỏng."
			    " Không gửi lại tệp này; hãy quét hoặc nhập lại giấy tờ", f->what)
		: xasprintf("Máy chủ từ chối %s: mã băm SHA-256 không khớp (tệp hỏng trên đường"
			    " truyền); sẽ gửi lại ở lần đồng bộ sau", f->what);
	add_error(q->sum, "%s", msg);
	mark_error(q, f, damaged, msg);
	if (damaged)
		q->sum->files_failed++;
	free(msg);
}

/* One PATCH of at most UPLOAD_CHUNK bytes from the server's offset. */
static enum step patch(struct queue *q, struct file *f, enum sync_outcome *o)
{
	long long n = f->size - f->offset < UPLOAD_CHUNK ? f->size - f->offset : UPLOAD_CHUNK;
	char *off = xasprintf("Upload-Offset: %lld", f->offset);
	const char *hdrs[] = { TUS, "Content-Type: application/offset+octet-stream", off, NULL };
	struct sync_file_body body = { f->fd, f->offset, n };
	struct sync_reply r;
	sync_http_send(q->http, "PATCH", f->url, hdrs, &body, &r);
	free(off);
	q->sum->bytes_sent += r.sent;
	enum step st = STEP_STOP;
	if (!answered(q, &r, o))
		goto out;
	long long now = header_ll(&r, "Upload-Offset");
	if (r.status == 204 && now > f->offset && now <= f->size) {
		f->offset = now;
		if (now == f->size) { /* checked and stored by the server */
			q->sum->files_sent++;
			st = mark_sent(q, f) ? STEP_STOP : STEP_DONE;
		} else {
			st = save_progress(q, f) ? STEP_STOP : STEP_AGAIN;
		}
	} else if (r.status == 409 || r.status == 404) {
		st = STEP_AGAIN; /* moved on elsewhere, or gone: ask again */
		if (r.status == 404)
			FREE(&f->url);
		else if (now >= 0 && now <= f->size)
			f->offset = now;
		if (save_progress(q, f))
			st = STEP_STOP;
	} else if (r.status == 422) {
		mismatch(q, f);
		st = STEP_DONE;
	} else {
		refused(q, f, &r, r.status == 413);
		st = STEP_DONE;
	}
out:
	if (st == STEP_STOP && *o == SYNC_DONE) {
		add_error(q->sum, "Không ghi được tiến độ gửi tệp vào kho dữ liệu");
		*o = SYNC_FAULT;
	}
	sync_reply_release(&r);
	return st;
}

/* Opens the local file; false (said, and the row marked) when it is not
 * there or cannot be read. */
static bool open_file(struct queue *q, struct file *f)
{
	/* the paper's plaintext: the server keeps what the hash names */
	struct strbuf why = STRBUF_INIT;
	int e = 0;
	f->fd = sealed_open(f->path, &e, &why);
	struct stat sb;
	if (f->fd >= 0 && !fstat(f->fd, &sb)) {
		strbuf_release(&why);
		f->size = (long long)sb.st_size;
		return true;
	}
	if (f->fd >= 0) {
		e = errno;
		close(f->fd);
	}
	strbuf_release(&why);
	f->fd = -1;
	char *msg = xasprintf("Không gửi được %s: không đọc được tệp %s (%s)", f->what, f->path,
			      e == EIO ? "tệp mã hóa bị hỏng" : e == EACCES && sealed_is_sealed(f->path)
			      ? "kho dữ liệu mã hóa chưa được mở" : strerror(e));
	add_error(q->sum, "%s", msg);
	mark_error(q, f, e == ENOENT, msg);
	if (e == ENOENT)
		q->sum->files_failed++;
	free(msg);
	return false;
}

static enum sync_outcome upload_one(struct queue *q, struct file *f)
{
	if (!open_file(q, f))
		return SYNC_DONE;
	enum sync_outcome o = SYNC_DONE;
	enum step st = STEP_AGAIN;
	bool located = !f->url; /* a stored upload is asked where it is first */
	int tries = 0;
	while (st == STEP_AGAIN) {
		if (q->cancel && atomic_load(q->cancel)) {
			o = SYNC_CANCELLED;
			break;
		}
		if (!f->url) {
			if (tries++ > RETRIES) {
				add_error(q->sum, "Không gửi được %s: máy chủ liên tục bỏ lượt tải lên;"
					  " sẽ thử lại ở lần đồng bộ sau", f->what);
				break;
			}
			st = begin(q, f, &o);
			located = true;
		} else if (!located) {
			st = locate(q, f, &o);
			located = true;
		} else {
			long long before = f->offset;
			st = patch(q, f, &o);
			if (st != STEP_AGAIN || !f->url || f->offset > before)
				continue;
			/* no progress: ask the server where it is, a few times at most */
			located = false;
			if (tries++ > RETRIES) {
				add_error(q->sum, "Không gửi được %s: vị trí tải lên trên máy chủ không"
					  " khớp; sẽ thử lại ở lần đồng bộ sau", f->what);
				break;
			}
		}
	}
	close(f->fd);
	return o;
}

/* ---- the queue ----------------------------------------------------------------------- */

enum sync_outcome sync_upload_files(struct store *st, struct sync_http *http,
				    const atomic_int *cancel, const char *now,
				    struct sync_summary *sum)
{
	struct queue q = { st, http, cancel, now, sum };
	/* the files waiting when the pass began; those filed meanwhile wait for the next */
	sqlite3_stmt *s = store_prepare(st, "SELECT sha256, upload_url, server_offset FROM file_uploads"
					    " WHERE state = 'pending' ORDER BY rowid");
	struct file *files = NULL;
	size_t n = 0;
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *sha = (const char *)sqlite3_column_text(s, 0);
		const char *url = (const char *)sqlite3_column_text(s, 1);
		if (!sha || strlen(sha) != 64)
			continue;
		files = xrealloc(files, (n + 1) * sizeof(*files));
		struct file *f = &files[n++];
		memset(f, 0, sizeof(*f));
		snprintf(f->sha, sizeof f->sha, "%s", sha);
		f->url = url && *url ? xstrdup(url) : NULL;
		f->offset = sqlite3_column_int64(s, 2);
		f->fd = -1;
	}
	sqlite3_finalize(s);
	enum sync_outcome o = SYNC_DONE;
	for (size_t i = 0; i < n; i++) {
		struct file *f = &files[i];
		if (o == SYNC_DONE) {
			f->path = docstore_file(st->path, f->sha);
			f->what = describe(st, f->sha);
			o = upload_one(&q, f);
		}
		free(f->path);
		free(f->what);
		free(f->url);
	}
	free(files);
	return o;
}
