/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One sync pass: push, leases, pull (see sync/sync.h). */
#include "sync/sync.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "client/base/clock.h"
#include "client/store/outbox.h"
#include "core/dossier_doc.h"
#include "core/gzip.h"
#include "core/syncproto.h"
#include "sync/apply.h"
#include "sync/http.h"
#include "sync/numbering.h"
#include "sync/download.h"
#include "sync/snapshot.h"
#include "sync/upload.h"

#define SKEW_WARN_S 300  /* warn when the clocks differ by more than 5 minutes */
#define LEASE_TRIES 5    /* lease requests per pass at most */
#define PULL_RESTARTS 2  /* 410 answers per pass at most */

struct pass {
	struct store *st;
	const struct sync_options *opt;
	struct sync_summary *sum;
	struct sync_config cfg;
	struct sync_http http;
	char now[20];        /* device clock, YYYY-MM-DDTHH:MM */
	char today[11];      /* YYYY-MM-DD */
	char clock[64];      /* device clock sent to the server, with seconds and offset */
	long long device_epoch;
	bool requeued_once;
	long woken;          /* operations the pull found their dossier for */
	long push_budget;    /* bytes of the next batch on the wire (gzipped) */
	int push_fails;      /* batches cut or timed out in a row */
	long push_wire;      /* bytes of the batch being sent, gzipped */
	struct sync_progress progress; /* what the last report said */
};

static void report(struct pass *p, const char *phase, long done, long total)
{
	if (!p->opt->progress)
		return;
	p->progress.phase = phase;
	p->progress.items_done = done;
	p->progress.items_total = total;
	p->progress.bytes = p->http.bytes_up + p->http.bytes_down;
	p->opt->progress(p->opt->progress_arg, &p->progress);
}

/* ---- summary ------------------------------------------------------------------- */

static void push_str(char ***v, size_t *n, char *s)
{
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] = s;
}

static void add_error(struct sync_summary *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add_error(struct sync_summary *s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	push_str(&s->errors, &s->nerrors, xvasprintf(fmt, ap));
	va_end(ap);
}

static void add_warning(struct sync_summary *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add_warning(struct sync_summary *s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	push_str(&s->warnings, &s->nwarnings, xvasprintf(fmt, ap));
	va_end(ap);
}

void sync_summary_init(struct sync_summary *s)
{
	memset(s, 0, sizeof(*s));
}

void sync_summary_release(struct sync_summary *s)
{
	for (size_t i = 0; i < s->nerrors; i++)
		free(s->errors[i]);
	for (size_t i = 0; i < s->nwarnings; i++)
		free(s->warnings[i]);
	free(s->errors);
	free(s->warnings);
	memset(s, 0, sizeof(*s));
}

/* A loop repeats the same sentences every pass: each is kept once. */
static void add_unique(char ***v, size_t *n, char *const *from, size_t nfrom)
{
	for (size_t i = 0; i < nfrom; i++) {
		bool seen = false;
		for (size_t k = 0; k < *n && !seen; k++)
			seen = !strcmp((*v)[k], from[i]);
		if (!seen)
			push_str(v, n, xstrdup(from[i]));
	}
}

void sync_summary_add(struct sync_summary *t, const struct sync_summary *p)
{
	t->pushed += p->pushed;
	t->duplicates += p->duplicates;
	t->rejected += p->rejected;
	t->conflicts += p->conflicts;
	t->requeued += p->requeued;
	t->batches += p->batches;
	t->push_retries += p->push_retries;
	t->pulled += p->pulled;
	t->kept_local += p->kept_local;
	t->leased += p->leased;
	t->files_sent += p->files_sent;
	t->files_known += p->files_known;
	t->files_failed += p->files_failed;
	t->files_requeued += p->files_requeued;
	t->files_fetched += p->files_fetched;
	t->bytes_sent += p->bytes_sent;
	t->files_pending = p->files_pending;
	t->bytes_pending = p->bytes_pending;
	t->pending = p->pending;
	t->waiting = p->waiting;
	t->online |= p->online;
	if (p->have_skew) {
		t->have_skew = true;
		t->skew_s = p->skew_s;
	}
	t->bytes_up += p->bytes_up;
	t->bytes_down += p->bytes_down;
	add_unique(&t->errors, &t->nerrors, p->errors, p->nerrors);
	add_unique(&t->warnings, &t->nwarnings, p->warnings, p->nwarnings);
}

static json_t *strings(char **v, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

char *sync_summary_json(const struct sync_summary *s)
{
	json_t *o = json_object();
	json_object_set_new(o, "pushed", json_integer(s->pushed));
	json_object_set_new(o, "duplicates", json_integer(s->duplicates));
	json_object_set_new(o, "rejected", json_integer(s->rejected));
	json_object_set_new(o, "conflicts", json_integer(s->conflicts));
	json_object_set_new(o, "requeued", json_integer(s->requeued));
	json_object_set_new(o, "batches", json_integer(s->batches));
	json_object_set_new(o, "push_retries", json_integer(s->push_retries));
	json_object_set_new(o, "pulled", json_integer(s->pulled));
	json_object_set_new(o, "kept_local", json_integer(s->kept_local));
	json_object_set_new(o, "leased", json_integer(s->leased));
	json_object_set_new(o, "files_sent", json_integer(s->files_sent));
	json_object_set_new(o, "files_known", json_integer(s->files_known));
	json_object_set_new(o, "files_failed", json_integer(s->files_failed));
	json_object_set_new(o, "files_requeued", json_integer(s->files_requeued));
	json_object_set_new(o, "files_fetched", json_integer(s->files_fetched));
	json_object_set_new(o, "bytes_sent", json_integer((json_int_t)s->bytes_sent));
	json_object_set_new(o, "files_pending", json_integer(s->files_pending));
	json_object_set_new(o, "bytes_pending", json_integer((json_int_t)s->bytes_pending));
	/* megabytes of 10^6 bytes, one decimal, as the status bar shows them */
	json_object_set_new(o, "pending_mb", json_real((double)((s->bytes_pending + 50000) / 100000) / 10));
	json_object_set_new(o, "pending", json_integer(s->pending));
	json_object_set_new(o, "waiting", json_integer(s->waiting));
	json_object_set_new(o, "online", json_boolean(s->online));
	json_object_set_new(o, "errors", strings(s->errors, s->nerrors));
	json_object_set_new(o, "warnings", strings(s->warnings, s->nwarnings));
	json_object_set_new(o, "server_clock_skew_s", s->have_skew ? json_integer(s->skew_s)
								   : json_null());
	json_object_set_new(o, "bytes_up", json_integer((json_int_t)s->bytes_up));
	json_object_set_new(o, "bytes_down", json_integer((json_int_t)s->bytes_down));
	char *text = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (!text)
		abort();
	return text;
}

char *sync_outcome_text(enum sync_outcome o, const struct sync_summary *s)
{
	switch (o) {
	case SYNC_DONE:
		if (s->nerrors)
			return xasprintf("Đồng bộ xong nhưng có lỗi: %s", s->errors[0]);
		if (s->rejected + s->conflicts)
			return xasprintf("Đã đồng bộ: gửi %ld, nhận %ld; %ld thao tác bị từ chối hoặc"
					 " xung đột (phím 5 ở màn hình chính để xem)",
					 s->pushed + s->duplicates, s->pulled, s->rejected + s->conflicts);
		return xasprintf("Đã đồng bộ: gửi %ld thao tác, nhận %ld thay đổi",
				 s->pushed + s->duplicates, s->pulled);
	case SYNC_UNCONFIGURED:
		return xstrdup("Chưa cấu hình máy chủ đồng bộ: chạy motcua login --server URL"
			       " --username TÊN");
	case SYNC_CANCELLED:
		return xstrdup("Đã dừng đồng bộ");
	default:
		return xasprintf("Không đồng bộ được: %s", s->nerrors ? s->errors[s->nerrors - 1]
									 : "lỗi không rõ");
	}
}

long sync_backoff_ms(int failures, long cap_ms, unsigned random)
{
	long d = SYNC_BACKOFF_START_MS;
	for (int i = 0; i < failures && d < cap_ms; i++)
		d *= 2;
	if (d > cap_ms)
		d = cap_ms;
	long half = d / 2;
	return half + (half > 0 ? (long)(random % (unsigned long)(half + 1)) : 0);
}

/* ---- clocks ------------------------------------------------------------------------ */

static void read_clock(struct pass *p)
{
	struct mc_dt now;
	if (clock_now(&now)) {
		time_t t = time(NULL);
		struct tm tm;
		localtime_r(&t, &tm);
		now = (struct mc_dt){ tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
				      tm.tm_min };
	}
	mc_format_dt(p->now, sizeof p->now, &now);
	mc_format_date(p->today, sizeof p->today, now.y, now.m, now.d);
	struct tm tm = { 0 };
	int sec = 0;
	if (clock_is_fixed()) {
		tm.tm_year = now.y - 1900;
		tm.tm_mon = now.m - 1;
		tm.tm_mday = now.d;
		tm.tm_hour = now.hh;
		tm.tm_min = now.mi;
		tm.tm_isdst = -1;
		p->device_epoch = (long long)mktime(&tm);
	} else {
		time_t t = time(NULL);
		localtime_r(&t, &tm);
		sec = tm.tm_sec;
		p->device_epoch = (long long)t;
	}
	time_t e = (time_t)p->device_epoch;
	localtime_r(&e, &tm);
	long off = tm.tm_gmtoff / 60;
	snprintf(p->clock, sizeof p->clock, "%.16s:%02d%c%02ld:%02ld", p->now, sec % 60,
		 off < 0 ? '-' : '+',
		 labs(off) / 60, labs(off) % 60);
}

/* Seconds since the epoch of "YYYY-MM-DDTHH:MM:SS+07:00"; -1 if malformed. */
static long long parse_server_clock(const char *s)
{
	int y, mo, d, h, mi, sec, oh, om;
	char sign;
	if (!s || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%c%2d:%2d", &y, &mo, &d, &h, &mi, &sec, &sign, &oh,
			 &om) != 9 || (sign != '+' && sign != '-') || !mc_date_valid(y, mo, d))
		return -1;
	long long off = (oh * 60 + om) * 60LL * (sign == '-' ? -1 : 1);
	return mc_days_from_civil(y, mo, d) * 86400LL + h * 3600 + mi * 60 + sec - off;
}

static void note_skew(struct pass *p, const char *server_clock)
{
	long long srv = parse_server_clock(server_clock);
	if (srv < 0)
		return;
	p->sum->have_skew = true;
	p->sum->skew_s = (long)(srv - p->device_epoch);
}

/* ---- replies --------------------------------------------------------------------- */

static void server_error(const struct sync_reply *r, struct sync_error *e)
{
	if (sync_error_decode(r->body.buf, r->body.len, e))
		sync_error_set(e, MC_ERR_HTTP, "máy chủ trả lời mã %ld", r->status);
}

/* SYNC_DONE for a 2xx answer; otherwise records why and says what to do. */
static enum sync_outcome judge(struct pass *p, const struct sync_reply *r, const char *what)
{
	if (r->status == 0) {
		if (r->cancelled)
			return SYNC_CANCELLED;
		add_error(p->sum, "%s: %s", what, r->error);
		return SYNC_OFFLINE;
	}
	p->sum->online = true;
	if (r->status >= 200 && r->status < 300)
		return SYNC_DONE;
	struct sync_error e;
	server_error(r, &e);
	enum mc_err code = mc_err_from_wire(e.code);
	if (code == MC_ERR_PROTOCOL_OUTDATED || code == MC_ERR_PROTOCOL_UNSUPPORTED) {
		/* one side must be updated: nothing to retry until then */
		add_error(p->sum, "%s: %s", what, e.message);
		return SYNC_FAULT;
	}
	if (code == MC_ERR_TOKEN_EXPIRED) {
		add_error(p->sum, "Mã truy cập của máy trạm đã hết hạn (%s: %s). Hãy đăng nhập"
			  " lại: motcua login --server %s --username %s", e.code, e.message,
			  p->cfg.server_url, p->cfg.username ? p->cfg.username : "TÊN");
		return SYNC_DENIED;
	}
	if (code == MC_ERR_UNAUTHORIZED || r->status == 401 || r->status == 403) {
		add_error(p->sum, "Máy chủ từ chối mã truy cập của máy trạm (%s: %s). Hãy đăng nhập"
			  " lại: motcua login --server %s --username %s", e.code, e.message,
			  p->cfg.server_url, p->cfg.username ? p->cfg.username : "TÊN");
		return SYNC_DENIED;
	}
	if (r->status >= 500) {
		add_error(p->sum, "%s: máy chủ đang gặp sự cố (%ld %s): %s", what, r->status, e.code,
			  e.message);
		return SYNC_OFFLINE;
	}
	add_error(p->sum, "%s: máy chủ trả lời %ld %s: %s", what, r->status, e.code, e.message);
	return SYNC_FAULT;
}

static bool cancelled(const struct pass *p)
{
	return p->opt->cancel && atomic_load(p->opt->cancel);
}

static enum sync_outcome store_failed(struct pass *p, const char *what, struct strbuf *err)
{
	add_error(p->sum, "%s: %s", what, err->buf ? err->buf : "lỗi kho dữ liệu");
	strbuf_release(err);
	return SYNC_FAULT;
}

/* ---- push -------------------------------------------------------------------------- */

/* A receive operation's dossier in the compact form (core/dossier_doc.h),
 * with the hash of that text, for a server that speaks protocol 2, when the
 * form is exact against this store's catalog (a dossier whose components
 * are not the catalog's goes whole). The outbox keeps the full document;
 * the server knows the operation by the hash of the whole one, whichever
 * form went. */
static void compact_op(struct store *st, struct sync_op *op)
{
	if (strcmp(op->op, "receive"))
		return;
	struct sync_catalog k;
	sync_catalog_load(st, json_string_value(json_object_get(op->payload, "procedure_code")), &k);
	json_t *c = dossier_doc_compact_exact(op->payload, k.c, k.n);
	sync_catalog_release(&k);
	if (c == op->payload) {
		json_decref(c);
		return;
	}
	char *text = sync_payload_text(c);
	char hash[SYNC_HASH_HEX + 1];
	sync_payload_hash_text(text, hash);
	free(text);
	json_decref(op->payload);
	op->payload = c;
	free(op->payload_hash);
	op->payload_hash = xstrdup(hash);
}

/* Up to max pending operations, oldest first. */
static void load_ops(struct pass *p, int max, struct sync_push *req)
{
	sync_push_init(req);
	req->device_id = xstrdup(p->cfg.device_id);
	req->device_clock = xstrdup(p->clock);
	req->ops = xcalloc((size_t)max + 1, sizeof(*req->ops));
	req->nops = outbox_next_batch_at(p->st, (size_t)max, req->ops, p->now);
	if (p->http.server_protocol >= 2)
		for (size_t i = 0; i < req->nops; i++)
			compact_op(p->st, &req->ops[i]);
}

static char *state_text(struct store *st, const char *column)
{
	char *sql = xasprintf("SELECT %s FROM sync_state WHERE id = 1", column);
	sqlite3_stmt *q = store_prepare(st, sql);
	free(sql);
	char *v = NULL;
	if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_type(q, 0) != SQLITE_NULL)
		v = xstrdup((const char *)sqlite3_column_text(q, 0));
	sqlite3_finalize(q);
	return v;
}

static int set_state_text(struct store *st, const char *column, const char *value)
{
	char *sql = xasprintf("UPDATE sync_state SET %s = ? WHERE id = 1", column);
	sqlite3_stmt *q = store_prepare(st, sql);
	free(sql);
	if (value)
		sqlite3_bind_text(q, 1, value, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(q);
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* The server's last applied operation against ours: a server restored from
 * an older backup knows an older one (or none); what it lost is queued
 * again. Inside the results' transaction. Returns -1 on a store fault. */
static int check_restore(struct pass *p, const char *server_last)
{
	char *ours = state_text(p->st, "last_applied_op");
	int rc = 0;
	bool same = (!ours && !server_last) || (ours && server_last && !strcmp(ours, server_last));
	if (same)
		goto out;
	/* every operation done when the server has none; else those after its
	 * last, unless that one is not done here (the server is ahead: an answer
	 * was lost; or it is an operation this store, the older one, lacks) */
	long n = outbox_requeue_after(p->st, server_last);
	if (n < 0 || set_state_text(p->st, "last_applied_op", server_last)) {
		rc = -1;
		goto out;
	}
	if (n > 0) {
		p->sum->requeued += n;
		if (!p->requeued_once)
			add_warning(p->sum, "Máy chủ không còn %ld thao tác đã nhận trước đây (có thể đã"
				    " khôi phục từ bản sao lưu cũ): đã gửi lại", n);
		p->requeued_once = true;
	}
out:
	free(ours);
	return rc;
}

/* Applies a push answer in one transaction. Returns the number of
 * operations it changed, or -1 (store fault, err set). */
static long apply_results(struct pass *p, const struct sync_push *req,
			  const struct sync_push_response *resp, struct strbuf *err)
{
	if (store_begin(p->st, err))
		return -1;
	long changed = 0;
	const char *last_applied = NULL;
	for (size_t i = 0; i < resp->nresults; i++) {
		const struct sync_result *r = &resp->results[i];
		bool ours = false;
		for (size_t k = 0; k < req->nops && !ours; k++)
			ours = !strcmp(req->ops[k].op_id, r->op_id);
		if (!ours)
			continue;
		int n = outbox_mark(p->st, r->op_id, r->status, r->rev, r->err_code, r->err_message,
				    p->now);
		if (n < 0)
			goto fail;
		changed += n > 0;
		if (n == 2)
			continue; /* waits for its dossier: counted in waiting */
		switch (r->status) {
		case SYNC_APPLIED:
			p->sum->pushed++;
			last_applied = r->op_id;
			break;
		case SYNC_DUPLICATE: p->sum->duplicates++; break;
		case SYNC_CONFLICT: p->sum->conflicts++; break;
		default: p->sum->rejected++; break;
		}
	}
	if (last_applied && set_state_text(p->st, "last_applied_op", last_applied))
		goto fail;
	if (check_restore(p, resp->last_applied_op))
		goto fail;
	long resend = sync_upload_resend(p->st, resp->missing_files, resp->nmissing);
	if (resend < 0)
		goto fail;
	if (resend > 0) {
		p->sum->files_requeued += resend;
		add_warning(p->sum, "Máy chủ không còn %ld tệp giấy tờ đã gửi trước đây (có thể đã"
			    " khôi phục từ bản sao lưu cũ): sẽ gửi lại", resend);
	}
	if (store_commit(p->st, err))
		return -1;
	return changed;
fail:
	strbuf_addf(err, "%s", store_errmsg_vn(sqlite3_errcode(p->st->db)));
	store_rollback(p->st);
	return -1;
}

/* An operation the server will not take even alone (too large, malformed):
 * rejected here with the server's reason, so the queue moves on. */
static int reject_alone(struct pass *p, const struct sync_op *op, const struct sync_reply *r)
{
	struct sync_error e;
	server_error(r, &e);
	struct strbuf err = STRBUF_INIT;
	if (store_begin(p->st, &err)) {
		store_failed(p, "Không ghi được kết quả gửi", &err);
		return -1;
	}
	if (outbox_mark(p->st, op->op_id, SYNC_REJECTED, 0, e.code, e.message, p->now) < 0) {
		store_rollback(p->st);
		add_error(p->sum, "Không ghi được kết quả gửi");
		return -1;
	}
	if (store_commit(p->st, &err)) {
		store_failed(p, "Không ghi được kết quả gửi", &err);
		return -1;
	}
	p->sum->rejected++;
	return 0;
}

/* Whether the answer has a result for every operation sent. */
static bool answers_all(const struct sync_push *req, const struct sync_push_response *resp)
{
	for (size_t k = 0; k < req->nops; k++) {
		bool found = false;
		for (size_t i = 0; i < resp->nresults && !found; i++)
			found = !strcmp(req->ops[k].op_id, resp->results[i].op_id);
		if (!found)
			return false;
	}
	return true;
}

/* The request body of req, its operations cut down until it fits the byte
 * budget gzipped (one operation always goes, whatever its size). */
static char *fit_batch(struct pass *p, struct sync_push *req)
{
	for (;;) {
		char *body = sync_push_encode(req);
		struct strbuf z = STRBUF_INIT;
		mc_gzip(body, strlen(body), &z);
		size_t wire = z.len;
		strbuf_release(&z);
		p->push_wire = (long)wire;
		if (req->nops <= 1 || (long)wire <= p->push_budget)
			return body;
		free(body);
		/* as many as fit at the batch's bytes per operation, fewer by a tenth */
		size_t n = (size_t)((double)req->nops * (double)p->push_budget / (double)wire * 0.9);
		if (n >= req->nops)
			n = req->nops - 1;
		if (n < 1)
			n = 1;
		for (size_t i = n; i < req->nops; i++)
			sync_op_release(&req->ops[i]);
		req->nops = n;
	}
}

/* Keeps the budget for the next pass (setting sync_push_bytes). */
static void keep_budget(struct pass *p)
{
	char v[24];
	snprintf(v, sizeof(v), "%ld", p->push_budget);
	char *had = store_get_setting(p->st, SYNC_PUSH_BYTES_SETTING);
	if (!had || strcmp(had, v))
		store_set_setting(p->st, SYNC_PUSH_BYTES_SETTING, v, NULL);
	free(had);
}

/* The next batch's budget after one that went through: what the link
 * carried in SYNC_PUSH_SECONDS (at most half the stall timeout) at the rate
 * of this one (bytes up over the whole exchange, latency and the server's
 * time included), at most twice the last budget. */
static void measure_link(struct pass *p, const struct sync_reply *r)
{
	long next = p->push_budget * 2;
	/* well inside the stall timeout, whatever it is */
	double target = SYNC_PUSH_SECONDS;
	if (target > p->http.low_speed_time / 2.0)
		target = p->http.low_speed_time / 2.0;
	if (r->seconds > 0.05 && r->sent > 0) {
		double fits = (double)r->sent / r->seconds * target;
		if (fits < (double)next)
			next = (long)fits;
	}
	if (next < SYNC_PUSH_BYTES_MIN)
		next = SYNC_PUSH_BYTES_MIN;
	if (next > SYNC_PUSH_BYTES_MAX)
		next = SYNC_PUSH_BYTES_MAX;
	p->push_budget = next;
}

/* A batch cut or timed out: the budget falls to a quarter of its size, kept
 * for the next pass too (setting sync_push_bytes). A stall timeout (the
 * link carried nothing for the stall time: the batch was too large for it)
 * is sent again at once, smaller, while fewer than SYNC_PUSH_RETRIES failed
 * in a row; a cut ends the pass with its error, as any network fault, and
 * the next pass (after the backoff) starts from the smaller budget. What
 * the server had applied of the batch comes back as duplicate; what it
 * answered before is done here and never sent again. Returns whether to
 * send again now. */
static bool shrink_after_cut(struct pass *p, const struct sync_push *req,
			     const struct sync_reply *r)
{
	if (r->status != 0 || !r->cut || r->cancelled || cancelled(p))
		return false;
	if (p->push_budget > p->push_wire)
		p->push_budget = p->push_wire;
	p->push_budget /= 4;
	if (p->push_budget < SYNC_PUSH_BYTES_MIN)
		p->push_budget = SYNC_PUSH_BYTES_MIN;
	keep_budget(p);
	if (!r->timed_out || p->push_fails >= SYNC_PUSH_RETRIES)
		return false;
	p->push_fails++;
	p->sum->push_retries++;
	add_warning(p->sum, "Gửi thao tác: %s; gửi lại từng lô nhỏ hơn (%zu thao tác vừa gửi)",
		    r->error, req->nops);
	return true;
}

/* One push of at most *batch operations (none: to learn the server's last
 * applied operation). *more: push again. */
static enum sync_outcome push_once(struct pass *p, int *batch, bool *answered, bool *more)
{
	*more = false;
	struct sync_push req;
	load_ops(p, *batch, &req);
	if (!req.nops && *answered) {
		sync_push_release(&req);
		return SYNC_DONE;
	}
	char *body = fit_batch(p, &req);
	struct sync_reply r;
	sync_http_request(&p->http, "POST", "/api/v1/sync/push", body, &r);
	free(body);
	enum sync_outcome o = SYNC_DONE;
	if (shrink_after_cut(p, &req, &r)) {
		*more = true;
		sync_reply_release(&r);
		sync_push_release(&req);
		return SYNC_DONE;
	}
	struct sync_error pe;
	bool protocol = r.status == 400 && !sync_error_decode(r.body.buf, r.body.len, &pe) &&
			!strncmp(pe.code, "protocol_", 9);
	if (protocol) {
		o = judge(p, &r, "Gửi thao tác");
	} else if ((r.status == 413 || r.status == 400) && req.nops > 1) {
		p->sum->online = true;
		*batch = (int)req.nops / 2; /* smaller batches until one fits */
		*more = true;
	} else if ((r.status == 413 || r.status == 400) && req.nops == 1) {
		p->sum->online = true;
		o = reject_alone(p, &req.ops[0], &r) ? SYNC_FAULT : SYNC_DONE;
		*more = true;
	} else if ((o = judge(p, &r, "Gửi thao tác")) == SYNC_DONE) {
		struct sync_push_response resp;
		struct sync_error e;
		if (sync_push_response_decode(r.body.buf, r.body.len, &resp, &e)) {
			add_error(p->sum, "Câu trả lời của máy chủ không hợp lệ: %s", e.message);
			o = SYNC_FAULT;
		} else if (!answers_all(&req, &resp)) {
			add_error(p->sum, "Máy chủ không trả lời đủ các thao tác đã gửi");
			o = SYNC_FAULT;
			sync_push_response_release(&resp);
		} else {
			note_skew(p, resp.server_clock);
			struct strbuf err = STRBUF_INIT;
			long before = p->sum->requeued;
			if (apply_results(p, &req, &resp, &err) < 0)
				o = store_failed(p, "Không ghi được kết quả gửi", &err);
			*answered = true;
			*more = req.nops > 0 || p->sum->requeued > before;
			p->sum->batches++;
			p->push_fails = 0;
			measure_link(p, &r);
			keep_budget(p);
			sync_push_response_release(&resp);
		}
	}
	sync_reply_release(&r);
	sync_push_release(&req);
	return o;
}

static long pending_ops(struct store *st);

static enum sync_outcome push(struct pass *p)
{
	int batch = SYNC_MAX_OPS;
	char *kept = store_get_setting(p->st, SYNC_PUSH_BYTES_SETTING);
	p->push_budget = p->opt->push_bytes > 0 ? p->opt->push_bytes
			 : kept && atol(kept) >= SYNC_PUSH_BYTES_MIN ? atol(kept) : SYNC_PUSH_BYTES;
	free(kept);
	bool answered = false, more = true;
	enum sync_outcome o = SYNC_DONE;
	long total = p->opt->progress ? pending_ops(p->st) : 0;
	report(p, "push", 0, total);
	while (o == SYNC_DONE && more) {
		if (cancelled(p))
			return SYNC_CANCELLED;
		o = push_once(p, &batch, &answered, &more);
		if (p->opt->progress) {
			long left = pending_ops(p->st);
			report(p, "push", total > left ? total - left : 0, total);
		}
	}
	return o;
}

/* ---- leases ------------------------------------------------------------------------- */

static long setting_long(struct store *st, const char *key, long dflt)
{
	char *v = store_get_setting(st, key);
	long n = v ? strtol(v, NULL, 10) : 0;
	free(v);
	return n > 0 ? n : dflt;
}

static enum sync_outcome lease_once(struct pass *p, const char *ident, long count)
{
	struct strbuf err = STRBUF_INIT;
	char *rid = state_text(p->st, "lease_request");
	if (!rid) {
		/* kept before sending: a lost answer is asked again with the same id */
		char uuid[37];
		store_uuid7(uuid);
		if (set_state_text(p->st, "lease_request", uuid)) {
			add_error(p->sum, "Không ghi được yêu cầu cấp số");
			return SYNC_FAULT;
		}
		rid = xstrdup(uuid);
	}
	long floor = numbering_high(p->st, ident);
	if (floor < 0) {
		free(rid);
		add_error(p->sum, "Không đọc được số hồ sơ đã dùng");
		return SYNC_FAULT;
	}
	/* floor: never a number this workstation holds, even from a server
	 * restored from an older dump */
	json_t *req = json_pack("{s:s, s:s, s:I, s:s, s:I}", "unit_ident", ident, "day", "*", "count",
				(json_int_t)count, "request_id", rid, "floor", (json_int_t)floor);
	char *body = json_dumps(req, JSON_COMPACT);
	json_decref(req);
	free(rid);
	struct sync_reply r;
	sync_http_request(&p->http, "POST", "/api/v1/leases", body, &r);
	free(body);
	enum sync_outcome o;
	struct sync_error e;
	enum mc_err code = MC_ERR_NONE;
	if (r.status >= 400) {
		server_error(&r, &e);
		code = mc_err_from_wire(e.code);
	}
	if (r.status == 409 || code == MC_ERR_OUT_OF_SCOPE) {
		p->sum->online = true;
		if (code == MC_ERR_REQUEST_ID_REUSED) {
			set_state_text(p->st, "lease_request", NULL);
			o = SYNC_DONE; /* asked again next time with a new id */
		} else {
			/* leases_exhausted, out_of_scope */
			add_error(p->sum, "Không xin được số hồ sơ cho đơn vị %s: %s", ident, e.message);
			o = SYNC_FAULT;
		}
		sync_reply_release(&r);
		return o;
	}
	o = judge(p, &r, "Xin cấp số hồ sơ");
	if (o != SYNC_DONE) {
		sync_reply_release(&r);
		return o;
	}
	json_error_t je;
	json_t *ans = json_loadb(r.body.buf, r.body.len, 0, &je);
	json_t *jf = json_object_get(ans, "first"), *jl = json_object_get(ans, "last");
	const char *day = json_string_value(json_object_get(ans, "day"));
	if (!json_is_integer(jf) || !json_is_integer(jl) || json_integer_value(jf) < 1 ||
	    json_integer_value(jl) < json_integer_value(jf)) {
		add_error(p->sum, "Câu trả lời cấp số của máy chủ không hợp lệ");
		o = SYNC_FAULT;
	} else {
		long first = (long)json_integer_value(jf), last = (long)json_integer_value(jl);
		if (store_begin(p->st, &err) ||
		    numbering_add_lease(p->st, ident, day ? day : "*", first, last, p->now) != SQLITE_OK ||
		    set_state_text(p->st, "lease_request", NULL) || store_commit(p->st, &err)) {
			store_rollback(p->st);
			if (!err.len)
				strbuf_addstr(&err, store_errmsg_vn(sqlite3_errcode(p->st->db)));
			o = store_failed(p, "Không lưu được số hồ sơ được cấp", &err);
		} else {
			p->sum->leased += last - first + 1;
		}
	}
	json_decref(ans);
	sync_reply_release(&r);
	strbuf_release(&err);
	return o;
}

static enum sync_outcome leases(struct pass *p)
{
	char *ident = store_get_setting(p->st, "unit_ident");
	if (!ident || !*ident) {
		free(ident);
		return SYNC_DONE; /* no receiving unit: nothing to number */
	}
	long low = p->opt->lease_low > 0 ? p->opt->lease_low
					 : setting_long(p->st, "sync_lease_low", SYNC_LEASE_LOW);
	long block = p->opt->lease_block > 0 ? p->opt->lease_block
					     : setting_long(p->st, "sync_lease_block", SYNC_LEASE_BLOCK);
	if (block > 1000)
		block = 1000;
	enum sync_outcome o = SYNC_DONE;
	for (int i = 0; i < LEASE_TRIES && o == SYNC_DONE; i++) {
		if (numbering_free(p->st, ident, p->today) >= low)
			break;
		if (cancelled(p))
			o = SYNC_CANCELLED;
		else
			o = lease_once(p, ident, block);
	}
	free(ident);
	/* a unit out of scope is said in errors; the pull still runs */
	return o == SYNC_FAULT && p->sum->online ? SYNC_DONE : o;
}

/* ---- pull ---------------------------------------------------------------------------- */

static int apply_page(struct pass *p, const struct sync_changes *page, struct apply_stats *as,
		      struct strbuf *err)
{
	if (store_begin(p->st, err))
		return -1;
	sync_apply_begin(p->st); /* statements prepared once for the page */
	for (size_t i = 0; i < page->nchanges; i++) {
		const struct sync_change *ch = &page->changes[i];
		int rc = sync_apply_change(p->st, ch, as);
		/* the server knows this dossier: what waited for it goes now */
		long woke = rc == SQLITE_OK && !strcmp(ch->entity, "dossier") &&
			    !sync_apply_outbox_idle(p->st)
			? outbox_dossier_known(p->st, ch->entity_id) : 0;
		if (woke < 0)
			rc = sqlite3_errcode(p->st->db);
		if (rc != SQLITE_OK) {
			strbuf_addf(err, "%s", store_errmsg_vn(rc));
			sync_apply_end();
			store_rollback(p->st);
			return -1;
		}
		p->woken += woke;
	}
	sync_apply_end();
	/* the cursor goes with the page it follows */
	if (set_state_text(p->st, "cursor", page->next)) {
		strbuf_addf(err, "%s", store_errmsg_vn(sqlite3_errcode(p->st->db)));
		store_rollback(p->st);
		return -1;
	}
	return store_commit(p->st, err);
}

static enum sync_outcome pull(struct pass *p)
{
	struct apply_stats as;
	apply_stats_init(&as);
	enum sync_outcome o = SYNC_DONE;
	int restarts = 0;
	long pulled = 0;
	report(p, "pull", 0, 0);
	/* a new store starts from the snapshot of its units, when the server has one */
	o = sync_snapshot(p->st, &p->http, p->opt->cancel, &as, &p->woken, p->sum);
	if (o != SYNC_DONE) {
		apply_stats_release(&as);
		return o;
	}
	pulled = as.applied;
	for (;;) {
		if (cancelled(p)) {
			o = SYNC_CANCELLED;
			break;
		}
		char *cursor = state_text(p->st, "cursor");
		char *esc = sync_url_escape(cursor ? cursor : "");
		char *path = xasprintf("/api/v1/sync/changes?since=%s&limit=%d", esc, SYNC_PULL_LIMIT);
		free(esc);
		struct sync_reply r;
		sync_http_request(&p->http, "GET", path, NULL, &r);
		free(path);
		if (r.status == 410 && restarts < PULL_RESTARTS) {
			/* another database, a changed scope: start again from the beginning,
			 * the outbox kept */
			p->sum->online = true;
			restarts++;
			if (cursor)
				add_warning(p->sum, "Máy chủ không nhận con trỏ đồng bộ cũ: tải lại dữ liệu"
					    " từ đầu");
			free(cursor);
			sync_reply_release(&r);
			if (set_state_text(p->st, "cursor", NULL)) {
				add_error(p->sum, "Không ghi được con trỏ đồng bộ");
				o = SYNC_FAULT;
				break;
			}
			continue;
		}
		free(cursor);
		o = judge(p, &r, "Nhận thay đổi");
		if (o != SYNC_DONE) {
			sync_reply_release(&r);
			break;
		}
		struct sync_changes page;
		struct sync_error e;
		if (sync_changes_decode(r.body.buf, r.body.len, &page, &e)) {
			add_error(p->sum, "Trang thay đổi từ máy chủ không hợp lệ: %s", e.message);
			sync_reply_release(&r);
			o = SYNC_FAULT;
			break;
		}
		sync_reply_release(&r);
		struct strbuf err = STRBUF_INIT;
		if (apply_page(p, &page, &as, &err)) {
			o = store_failed(p, "Không ghi được thay đổi nhận về", &err);
			sync_changes_release(&page);
			break;
		}
		strbuf_release(&err);
		pulled += (long)page.nchanges;
		report(p, "pull", pulled, pulled + (page.remaining > 0 ? (long)page.remaining : 0));
		bool more = page.remaining > 0 && page.nchanges > 0;
		sync_changes_release(&page);
		if (!more)
			break;
	}
	p->sum->pulled += as.applied;
	p->sum->kept_local += as.kept_local;
	if (as.notes.len) {
		char *save = NULL;
		for (char *line = strtok_r(as.notes.buf, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save))
			add_warning(p->sum, "%s", line);
	}
	apply_stats_release(&as);
	return o;
}

/* ---- the pass ------------------------------------------------------------------------- */

static long pending_ops(struct store *st)
{
	struct outbox_counts c;
	outbox_counts(st, &c);
	return c.pending;
}

/* Records the pass in sync_state (what the status bar and the CLI show). */
static void record(struct pass *p, enum sync_outcome o)
{
	const char *error = NULL;
	if (o != SYNC_DONE && o != SYNC_CANCELLED && p->sum->nerrors)
		error = p->sum->errors[p->sum->nerrors - 1];
	else if (o == SYNC_DONE && p->sum->nerrors)
		error = p->sum->errors[0];
	sqlite3_stmt *q = store_prepare(p->st,
		"UPDATE sync_state SET last_attempt_at = ?1, online = ?2,"
		" last_error = ?3, last_error_at = CASE WHEN ?3 IS NULL THEN last_error_at ELSE ?1 END,"
		" last_sync_at = CASE WHEN ?4 THEN ?1 ELSE last_sync_at END,"
		" stopped = ?5, clock_skew_s = coalesce(?6, clock_skew_s),"
		" last_device_clock = CASE WHEN ?4 THEN ?1 ELSE last_device_clock END WHERE id = 1");
	sqlite3_bind_text(q, 1, p->now, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 2, p->sum->online && o != SYNC_OFFLINE);
	if (error)
		sqlite3_bind_text(q, 3, error, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 4, o == SYNC_DONE);
	sqlite3_bind_int(q, 5, o == SYNC_DENIED);
	if (p->sum->have_skew)
		sqlite3_bind_int64(q, 6, p->sum->skew_s);
	sqlite3_step(q);
	sqlite3_finalize(q);
}

static void clock_warnings(struct pass *p)
{
	if (p->sum->have_skew && labs(p->sum->skew_s) > SKEW_WARN_S)
		add_warning(p->sum, "Đồng hồ máy trạm lệch %ld phút so với máy chủ: hãy chỉnh lại giờ"
			    " máy (thời điểm tiếp nhận ghi theo giờ máy trạm)", labs(p->sum->skew_s) / 60);
	char *last = state_text(p->st, "last_device_clock");
	if (last && strcmp(p->now, last) < 0)
		add_warning(p->sum, "Đồng hồ máy trạm chạy lùi so với lần đồng bộ trước (%s): hãy"
			    " kiểm tra giờ máy", last);
	free(last);
}

void sync_remember_protocol(struct store *st, int protocol)
{
	if (protocol <= 0)
		return;
	char *known = store_get_setting(st, SYNC_SERVER_PROTOCOL_SETTING);
	if (!known || atoi(known) != protocol) {
		char v[16];
		snprintf(v, sizeof(v), "%d", protocol);
		store_set_setting(st, SYNC_SERVER_PROTOCOL_SETTING, v, NULL);
	}
	free(known);
}

enum sync_outcome sync_run(struct store *st, const struct sync_options *opt,
			   struct sync_summary *sum)
{
	static const struct sync_options defaults = { 0 };
	struct pass p = { .st = st, .opt = opt ? opt : &defaults, .sum = sum };
	read_clock(&p);
	if (sync_config_load(st, &p.cfg)) {
		sync_config_release(&p.cfg);
		add_error(sum, "Chưa đăng nhập máy chủ đồng bộ: chạy motcua login --server URL"
			  " --username TÊN");
		return SYNC_UNCONFIGURED;
	}
	if (!sync_url_secure(p.cfg.server_url)) {
		add_error(sum, "Máy chủ %s dùng http:// không mã hóa: hãy đăng nhập lại bằng địa chỉ"
			  " https:// (motcua login --server https://...)", p.cfg.server_url);
		sync_config_release(&p.cfg);
		return SYNC_UNCONFIGURED;
	}
	sync_http_init(&p.http, p.cfg.server_url, p.cfg.token, p.cfg.ca_file);
	p.http.cancel = p.opt->cancel;
	char *known = store_get_setting(st, SYNC_SERVER_PROTOCOL_SETTING);
	p.http.server_protocol = known ? atoi(known) : 0;
	free(known);
	if (p.opt->low_speed_time > 0)
		p.http.low_speed_time = p.opt->low_speed_time;

	enum sync_outcome o = push(&p);
	if (o == SYNC_DONE)
		o = leases(&p);
	if (o == SYNC_DONE)
		o = pull(&p);
	/* operations that waited for a dossier the pull brought go at once */
	if (o == SYNC_DONE && p.woken > 0)
		o = push(&p);
	/* records before scans: the files follow on their own queue */
	if (o == SYNC_DONE) {
		report(&p, "files", 0, 0);
		o = sync_upload_files(st, &p.http, p.opt->cancel, p.now, sum);
		report(&p, "files", sum->files_sent + sum->files_known, 0);
	}
	/* and the papers of online dossiers come down */
	if (o == SYNC_DONE)
		o = sync_download_files(st, &p.http, p.opt->cancel, sum);
	sum->pending = pending_ops(st); /* queued meanwhile: the next pass */
	struct outbox_counts oc;
	outbox_counts(st, &oc);
	sum->waiting = oc.waiting;
	if (oc.waiting)
		add_warning(sum, "%ld thao tác đang chờ máy chủ có hồ sơ của chúng (máy chủ có thể đã"
			    " khôi phục từ bản sao lưu cũ): sẽ tự gửi lại", oc.waiting);
	sync_upload_pending(st, &sum->files_pending, &sum->bytes_pending);
	clock_warnings(&p);
	record(&p, o);
	sync_remember_protocol(st, p.http.server_protocol);
	sum->bytes_up += p.http.bytes_up;
	sum->bytes_down += p.http.bytes_down;
	sync_http_release(&p.http);
	sync_config_release(&p.cfg);
	return o;
}
