/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `motcua-server portal run`: the publisher and the fetcher (docs/portal.md).
 *
 * A pass: when the portal is not in backoff, fetch the online dossiers (at
 * most every fetch_every seconds), then send one batch: the first waiting
 * or sent message of each dossier whose earlier messages are all
 * acknowledged or dropped (in order per dossier; a dossier with a message
 * in error waits for an admin), of one service, at most `batch` of them.
 * A message is marked 'sent' and committed before it goes out, so that a
 * crash after sending leaves it 'sent', sent again (the same message: the
 * portal recognises MaHoSo + SoThuTu). It is acknowledged only by the
 * portal's answer. When the portal does not answer, answers 5xx or
 * something unreadable, nothing is lost: the batch stays 'sent' and the
 * next attempt waits min(backoff_cap, backoff_base * 2^(n-1)) seconds after
 * the n-th consecutive failure (portal_state.retry_at). A refusal of the
 * portal puts the message in 'error' with its reason.
 *
 * --once runs passes until nothing is due (or the portal failed) and says
 * what it did as one JSON line; --now T replaces the clock of the backoff
 * (T as YYYY-MM-DDTHH:MM:SS local time), so that a test can walk through an
 * hour of failures without waiting for it. Without --once it runs until
 * SIGTERM or SIGINT. One publisher per database: a second one exits. */
#include "server/portal.h"

#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <sodium.h>

#include "core/jschema.h"
#include "core/portal.h"
#include "core/syncproto.h"
#include "core/text.h"

#define LOCK_PUBLISHER "7100"
#define USER_AGENT "motcua-server-portal"

struct run_stats {
	long sent, acknowledged, errors, failures;
	long offered, stored, held, confirmed;
};

struct run {
	struct portal_config cfg;
	PGconn *c;
	CURL *curl;
	char *session;
	char *bearer;
	time_t bearer_until;
	bool once;
	bool virtual_clock;
	time_t vnow;
	struct run_stats st;
	char origin[256]; /* scheme://host[:port] of cfg.url */
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static time_t now_of(const struct run *r)
{
	return r->virtual_clock ? r->vnow : time(NULL);
}

static void logf_(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void logf_(const char *fmt, ...)
{
	char clock[40];
	server_clock(clock, sizeof clock);
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "%s portal: ", clock);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

/* ---- HTTP ---------------------------------------------------------------------------- */

struct answer {
	long status;          /* 0: no answer */
	struct strbuf body;
	char error[CURL_ERROR_SIZE];
	long long max;        /* bytes accepted in body */
	bool too_large;
};

static size_t on_data(char *p, size_t size, size_t n, void *arg)
{
	struct answer *a = arg;
	size_t len = size * n;
	if (a->max && (long long)(a->body.len + len) > a->max) {
		a->too_large = true;
		return 0;
	}
	strbuf_add(&a->body, p, len);
	return len;
}

static void answer_release(struct answer *a)
{
	strbuf_release(&a->body);
}

/* One request: POST json (NULL: GET; form: a urlencoded body) to url, with
 * the headers given; the answer in a (its status 0 when none came). */
static void request(struct run *r, const char *url, const char *json, const char *form,
		    struct curl_slist *extra, const char *basic_user, const char *basic_pass,
		    struct answer *a)
{
	CURL *h = r->curl;
	curl_easy_reset(h);
	memset(a, 0, sizeof(*a));
	strbuf_init(&a->body);
	a->max = r->cfg.file_max + 4096;
	struct curl_slist *hdrs = NULL;
	for (struct curl_slist *x = extra; x; x = x->next)
		hdrs = curl_slist_append(hdrs, x->data);
	if (json)
		hdrs = curl_slist_append(hdrs, "Content-Type: application/json; charset=utf-8");
	hdrs = curl_slist_append(hdrs, "Accept: application/json");
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_USERAGENT, USER_AGENT);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, r->cfg.timeout);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, r->cfg.connect_timeout);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, a->error);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, a);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)a->max);
	if (r->cfg.ca_file)
		curl_easy_setopt(h, CURLOPT_CAINFO, r->cfg.ca_file);
	if (basic_user) {
		curl_easy_setopt(h, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
		curl_easy_setopt(h, CURLOPT_USERNAME, basic_user);
		curl_easy_setopt(h, CURLOPT_PASSWORD, basic_pass);
	}
	if (json) {
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, json);
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)strlen(json));
	} else if (form) {
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, form);
	}
	CURLcode rc = curl_easy_perform(h);
	if (rc == CURLE_OK)
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &a->status);
	else if (!a->error[0])
		snprintf(a->error, sizeof a->error, "%s", curl_easy_strerror(rc));
	curl_slist_free_all(hdrs);
}

/* The gateway's bearer token (LGSP: OAuth 2 client credentials), renewed a
 * minute before it expires. 0, or -1 with why. */
static int gateway_token(struct run *r, struct strbuf *why)
{
	if (strcmp(r->cfg.gateway, "lgsp"))
		return 0;
	if (r->bearer && time(NULL) < r->bearer_until)
		return 0;
	FREE(&r->bearer);
	struct answer a;
	request(r, r->cfg.gateway_token_url, NULL, "grant_type=client_credentials", NULL,
		r->cfg.gateway_client_id, r->cfg.gateway_client_secret, &a);
	json_t *j = a.status == 200 ? json_loadb(a.body.buf ? a.body.buf : "", a.body.len, 0, NULL) : NULL;
	const char *tok = json_string_value(json_object_get(j, "access_token"));
	if (tok && *tok && strlen(tok) < 4096) {
		r->bearer = xstrdup(tok);
		json_int_t ttl = json_integer_value(json_object_get(j, "expires_in"));
		r->bearer_until = time(NULL) + (ttl > 120 ? ttl - 60 : 60);
	} else if (a.status) {
		strbuf_addf(why, "trục liên thông không cấp mã truy cập (HTTP %ld)", a.status);
	} else {
		strbuf_addf(why, "không kết nối được trục liên thông: %s", a.error);
	}
	json_decref(j);
	answer_release(&a);
	return r->bearer ? 0 : -1;
}

static struct curl_slist *auth_headers(struct run *r, bool with_session)
{
	struct curl_slist *h = NULL;
	if (r->bearer) {
		char *v = xasprintf("Authorization: Bearer %s", r->bearer);
		h = curl_slist_append(h, v);
		free(v);
	}
	if (with_session && r->session) {
		char *v = xasprintf("session: %s", r->session);
		h = curl_slist_append(h, v);
		free(v);
	}
	return h;
}

/* The portal's session token (its auth service, through the gateway when
 * there is one). 0, or -1 with why. */
static int ensure_session(struct run *r, struct strbuf *why)
{
	if (gateway_token(r, why))
		return -1;
	if (r->session)
		return 0;
	json_t *in = json_pack("{s:s, s:s}", "username", r->cfg.username, "password", r->cfg.password);
	char *body = json_dumps(in, JSON_COMPACT);
	json_decref(in);
	char *url = xasprintf("%s%s", r->cfg.url, r->cfg.auth_path);
	struct curl_slist *h = auth_headers(r, false);
	struct answer a;
	request(r, url, body, NULL, h, NULL, NULL, &a);
	curl_slist_free_all(h);
	free(url);
	free(body);
	json_t *j = a.status == 200 ? json_loadb(a.body.buf ? a.body.buf : "", a.body.len, 0, NULL) : NULL;
	const char *s = json_string_value(json_object_get(j, "session"));
	json_t *code = json_object_get(j, "error_code");
	bool ok = s && *s && strlen(s) < 512 &&
		  ((json_is_integer(code) && !json_integer_value(code)) ||
		   (json_is_string(code) && strspn(json_string_value(code), "0") ==
						    strlen(json_string_value(code))));
	if (ok)
		r->session = xstrdup(s);
	else if (a.status == 401 && r->bearer)
		FREE(&r->bearer); /* the gateway forgot us: a new token next time */
	if (!ok && a.status == 200)
		strbuf_addf(why, "Cổng không cấp phiên làm việc: %s",
			    json_string_value(json_object_get(j, "message"))
				    ? json_string_value(json_object_get(j, "message")) : "sai tài khoản?");
	else if (!ok && a.status)
		strbuf_addf(why, "Cổng trả lời HTTP %ld khi xin phiên làm việc", a.status);
	else if (!ok)
		strbuf_addf(why, "không kết nối được Cổng: %s", a.error);
	json_decref(j);
	answer_release(&a);
	return ok ? 0 : -1;
}

/* POSTs a service request (the session and madonvi added): the answer in
 * a. A 401 renews the session (and the gateway's token) and sends again,
 * once. 0 when an answer came (whatever its status), -1 with why when the
 * session could not be had. */
static int call(struct run *r, json_t *req, struct answer *a, struct strbuf *why)
{
	for (int attempt = 0; attempt < 2; attempt++) {
		if (ensure_session(r, why))
			return -1;
		json_object_set_new(req, "session", json_string(r->session));
		json_object_set_new(req, "madonvi", json_string(r->cfg.madonvi));
		char *body = json_dumps(req, JSON_COMPACT);
		char *url = xasprintf("%s%s", r->cfg.url, r->cfg.integration_path);
		struct curl_slist *h = auth_headers(r, false);
		request(r, url, body, NULL, h, NULL, NULL, a);
		curl_slist_free_all(h);
		free(url);
		free(body);
		if (a->status != 401 || attempt)
			return 0;
		answer_release(a);
		FREE(&r->session);
		FREE(&r->bearer);
	}
	return 0;
}

/* The answer as a JSON object when it is one with a success code. */
static json_t *answer_ok(const struct answer *a)
{
	if (a->status != 200)
		return NULL;
	json_t *j = json_loadb(a->body.buf ? a->body.buf : "", a->body.len, 0, NULL);
	json_t *code = json_object_get(j, "error_code");
	bool ok = (json_is_string(code) && (!strcmp(json_string_value(code), "0") ||
					    !strcmp(json_string_value(code), "00"))) ||
		  (json_is_integer(code) && json_integer_value(code) == 0);
	if (!json_is_object(j) || !ok) {
		json_decref(j);
		return NULL;
	}
	return j;
}

/* Why an answer is not a success, in Vietnamese. */
static void answer_why(const struct answer *a, struct strbuf *why)
{
	if (!a->status) {
		strbuf_addf(why, "Cổng không trả lời: %s", a->error);
		return;
	}
	json_t *j = json_loadb(a->body.buf ? a->body.buf : "", a->body.len, 0, NULL);
	const char *m = json_string_value(json_object_get(j, "message"));
	strbuf_addf(why, "Cổng trả lời HTTP %ld", a->status);
	if (m && mc_text_valid(m))
		strbuf_addf(why, ": %.300s", m);
	json_decref(j);
}

/* Whether the answer is a fault of the portal or of the link (tried again
 * later), rather than a refusal. */
static bool transient(const struct answer *a)
{
	if (!a->status || a->status >= 500 || a->status == 408 || a->status == 429 ||
	    a->status == 401)
		return true;
	if (a->status != 200)
		return false;
	json_t *j = json_loadb(a->body.buf ? a->body.buf : "", a->body.len, 0, NULL);
	bool obj = json_is_object(j);
	json_decref(j);
	return !obj; /* 200 with something unreadable */
}

/* ---- the portal's state (backoff) ------------------------------------------------------ */

static int state_read(struct run *r, bool *enabled, int *failures, double *retry_at)
{
	PGresult *res = PQexec(r->c, "SELECT enabled, failures, coalesce(extract(epoch FROM retry_at), 0)"
				     " FROM portal_state");
	int rc = db_ok(res) && PQntuples(res) == 1 ? 0 : -1;
	if (!rc) {
		*enabled = PQgetvalue(res, 0, 0)[0] == 't';
		*failures = atoi(PQgetvalue(res, 0, 1));
		*retry_at = atof(PQgetvalue(res, 0, 2));
	}
	PQclear(res);
	return rc;
}

/* A failure of the portal or the link: the next attempt after the backoff. */
static int state_failed(struct run *r, const char *why)
{
	bool en;
	int n;
	double at;
	if (state_read(r, &en, &n, &at))
		return -1;
	n++;
	double wait = portal_backoff(&r->cfg, n);
	char when[48], nn[16];
	snprintf(when, sizeof when, "%.3f", (double)now_of(r) + wait);
	snprintf(nn, sizeof nn, "%d", n);
	const char *p[] = { nn, when, why };
	r->st.failures++;
	logf_("lần lỗi thứ %d, thử lại sau %.0f giây: %s", n, wait, why);
	return db_execp(r->c, "UPDATE portal_state SET failures = $1::integer, retry_at ="
			      " to_timestamp($2::double precision), last_error = $3, last_error_at = now()",
			3, p, NULL);
}

static int state_answered(struct run *r)
{
	return db_exec(r->c, "UPDATE portal_state SET failures = 0, retry_at = NULL,"
			     " last_success_at = now()", NULL);
}

/* ---- publishing --------------------------------------------------------------------------- */

struct row {
	char *id;
	long seq;
	json_t *dossier, *event;
	json_t *item; /* the message */
	char key[160];
};

static void rows_release(struct row *rows, int n)
{
	for (int i = 0; i < n; i++) {
		free(rows[i].id);
		json_decref(rows[i].dossier);
		json_decref(rows[i].event);
		json_decref(rows[i].item);
	}
	free(rows);
}

static const char *jstr(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* The lookups of one batch, by unit, handling unit, procedure and actor:
 * a batch of a unit's dossiers asks the database once or twice. */
struct ctx_cache {
	char **keys;
	PGresult **res;
	size_t n;
};

static void ctx_cache_release(struct ctx_cache *cc)
{
	for (size_t i = 0; i < cc->n; i++) {
		free(cc->keys[i]);
		PQclear(cc->res[i]);
	}
	free(cc->keys);
	free(cc->res);
	memset(cc, 0, sizeof(*cc));
}

/* What the message of a row needs from the database (struct portal_ctx);
 * the strings live in the cache's results. */
static int lookup_ctx(struct run *r, struct ctx_cache *cc, const json_t *d, const json_t *e,
		      struct portal_ctx *ctx)
{
	const char *unit = jstr(d, "unit_code"), *handling = jstr(d, "handling_unit");
	const char *p[] = { unit ? unit : "", handling ? handling : "",
			    jstr(d, "procedure_code") ? jstr(d, "procedure_code") : "",
			    jstr(e, "actor") ? jstr(e, "actor") : "" };
	char *key = xasprintf("%s|%s|%s|%s", p[0], p[1], p[2], p[3]);
	PGresult *q = NULL;
	for (size_t i = 0; i < cc->n && !q; i++)
		if (!strcmp(cc->keys[i], key))
			q = cc->res[i];
	if (q) {
		free(key);
		goto fill;
	}
	q = db_query(r->c,
		"SELECT coalesce((SELECT theirs FROM portal_codes WHERE kind = 'unit' AND ours = nullif($2, '')),"
		"  (SELECT theirs FROM portal_codes WHERE kind = 'unit' AND ours = $1)),"
		" (SELECT name FROM units WHERE code = coalesce(nullif($2, ''), $1)),"
		" (SELECT theirs FROM portal_codes WHERE kind = 'procedure' AND ours = $3),"
		" (SELECT theirs FROM portal_codes WHERE kind = 'field' AND ours = p.data->>'field'),"
		" p.data->>'field', p.data->>'fee_amount', p.data->>'fee_text',"
		" (SELECT full_name FROM users WHERE username = $4)"
		" FROM (SELECT 1) x LEFT JOIN procedures p ON p.code = $3", 4, p);
	if (!db_ok(q) || PQntuples(q) != 1) {
		PQclear(q);
		free(key);
		return -1;
	}
	cc->keys = xrealloc(cc->keys, (cc->n + 1) * sizeof(*cc->keys));
	cc->res = xrealloc(cc->res, (cc->n + 1) * sizeof(*cc->res));
	cc->keys[cc->n] = key;
	cc->res[cc->n++] = q;
fill:
	memset(ctx, 0, sizeof(*ctx));
#define V(i) (PQgetisnull(q, 0, i) ? NULL : PQgetvalue(q, 0, i))
	ctx->unit_code = V(0);
	ctx->unit_name = V(1);
	ctx->procedure_code = V(2);
	ctx->field_code = V(3) ? V(3) : "";
	ctx->field_name = V(4) ? V(4) : "";
	ctx->fee = PQgetisnull(q, 0, 5) ? -1 : atoll(PQgetvalue(q, 0, 5));
	ctx->fee_text = V(6);
	ctx->actor_name = V(7);
#undef V
	return 0;
}

static int mark_error(struct run *r, const char *id, const char *why)
{
	const char *p[] = { id, why };
	r->st.errors++;
	logf_("thông điệp %s lỗi: %s", id, why);
	return db_execp(r->c, "UPDATE portal_queue SET state = 'error', last_error = $2, error_at = now()"
			      " WHERE id = $1::bigint", 2, p, NULL);
}

/* A message to send: waiting or sent, and no earlier message of its
 * dossier still to be sent or in error. */
#define HEAD "q.state IN ('waiting', 'sent') AND NOT EXISTS (SELECT 1 FROM portal_queue b" \
	" WHERE b.dossier_id = q.dossier_id AND b.seq < q.seq AND b.state IN ('waiting', 'sent', 'error'))"

/* The heads of the queues: the oldest, then the oldest of its service
 * (each scan walks the pending messages in queue order). */
static PGresult *heads(struct run *r)
{
	PGresult *first = PQexec(r->c, "SELECT q.service, q.updating FROM portal_queue q WHERE " HEAD
				       " ORDER BY q.id LIMIT 1");
	if (!db_ok(first) || PQntuples(first) != 1)
		return first;
	char lim[16];
	snprintf(lim, sizeof lim, "%ld", r->cfg.batch);
	const char *p[] = { PQgetvalue(first, 0, 0), PQgetvalue(first, 0, 1), lim };
	PGresult *res = db_query(r->c,
		"SELECT q.id, q.seq, q.service, q.updating, q.dossier::text, q.event::text"
		" FROM portal_queue q WHERE " HEAD " AND q.service = $1 AND q.updating = $2::boolean"
		" ORDER BY q.id LIMIT $3::integer", 3, p);
	PQclear(first);
	return res;
}

/* One batch. 1: something was done, 0: nothing to send, -1: the database
 * failed, -2: the portal failed (backoff set). */
static int publish_batch(struct run *r)
{
	PGresult *res = heads(r);
	if (!db_ok(res)) {
		logf_("%s", PQresultErrorMessage(res));
		PQclear(res);
		return -1;
	}
	int n = PQntuples(res);
	if (!n) {
		PQclear(res);
		return 0;
	}
	char service[32];
	snprintf(service, sizeof service, "%s", PQgetvalue(res, 0, 2));
	bool updating = PQgetvalue(res, 0, 3)[0] == 't';
	bool progress = !strcmp(service, PORTAL_SERVICE_PROGRESS);
	const json_t *schema = portal_schema(service);
	const json_t *item_schema = json_object_get(json_object_get(schema, "$defs"),
						    progress ? "TienDo" : "HoSo");
	struct row *rows = xcalloc((size_t)n, sizeof(*rows));
	struct ctx_cache cc = { 0 };
	int m = 0, rc = 1;
	for (int i = 0; i < n; i++) {
		struct row *w = &rows[m];
		w->id = xstrdup(PQgetvalue(res, i, 0));
		w->seq = atol(PQgetvalue(res, i, 1));
		w->dossier = json_loads(PQgetvalue(res, i, 4), 0, NULL);
		w->event = json_loads(PQgetvalue(res, i, 5), 0, NULL);
		m++;
		struct portal_ctx ctx;
		if (!w->dossier || !w->event || lookup_ctx(r, &cc, w->dossier, w->event, &ctx)) {
			rc = -1;
			break;
		}
		w->item = progress ? portal_progress_item(w->dossier, w->event, w->seq, &ctx)
				   : portal_dossier_item(w->dossier, w->seq, &ctx);
		struct strbuf why = STRBUF_INIT;
		if (mc_jschema_validate(item_schema, schema, w->item, &why)) {
			const char *unit = jstr(w->dossier, "handling_unit") ? jstr(w->dossier, "handling_unit")
									    : jstr(w->dossier, "unit_code");
			char *m2 = ctx.unit_code ? xasprintf("thông điệp không đúng lược đồ %s: %s", service,
							    why.buf)
						 : xasprintf("đơn vị %s chưa có mã của Cổng (motcua-server"
							     " portal codes import): %s", unit ? unit : "?",
							     why.buf);
			if (mark_error(r, w->id, m2))
				rc = -1;
			free(m2);
			strbuf_release(&why);
			json_decref(w->item);
			w->item = NULL;
			continue;
		}
		strbuf_release(&why);
		snprintf(w->key, sizeof w->key, "%s#%s", jstr(w->item, "MaHoSo"), jstr(w->item, "SoThuTu"));
	}
	PQclear(res);
	ctx_cache_release(&cc);
	json_t *data = json_array();
	for (int i = 0; i < m; i++)
		if (rows[i].item)
			json_array_append(data, rows[i].item);
	if (rc < 0 || !json_array_size(data)) {
		json_decref(data);
		rows_release(rows, m);
		return rc;
	}
	/* a session first: while the portal cannot give one, nothing is sent */
	struct strbuf why = STRBUF_INIT;
	if (ensure_session(r, &why)) {
		rc = state_failed(r, why.buf) ? -1 : -2;
		strbuf_release(&why);
		json_decref(data);
		rows_release(rows, m);
		return rc;
	}
	/* 'sent' before it goes out: a crash after this point sends it again */
	json_t *marks = json_array();
	for (int i = 0; i < m; i++)
		if (rows[i].item)
			json_array_append_new(marks, json_pack("{s:s, s:O}", "id", rows[i].id, "m",
							       rows[i].item));
	char *mtext = json_dumps(marks, JSON_COMPACT);
	json_decref(marks);
	const char *mp[] = { mtext };
	rc = db_execp(r->c, "UPDATE portal_queue q SET state = 'sent', attempts = q.attempts + 1,"
			    " sent_at = now(), message = e->'m' FROM jsonb_array_elements($1::jsonb) e"
			    " WHERE q.id = (e->>'id')::bigint", 1, mp, NULL) ? -1 : 1;
	free(mtext);
	if (rc < 0) {
		json_decref(data);
		rows_release(rows, m);
		return -1;
	}
	size_t count = json_array_size(data);
	json_t *req = progress ? json_pack("{s:s, s:o}", "service", service, "data", data)
			       : json_pack("{s:s, s:s, s:o}", "service", service, "isUpdating",
					   updating ? "True" : "False", "data", data);
	r->st.sent += (long)count;
	struct answer a;
	if (call(r, req, &a, &why)) {
		rc = state_failed(r, why.buf) ? -1 : -2;
		strbuf_release(&why);
		json_decref(req);
		rows_release(rows, m);
		return rc;
	}
	json_decref(req);
	if (transient(&a)) {
		answer_why(&a, &why);
		rc = state_failed(r, why.buf) ? -1 : -2;
	} else {
		json_t *j = answer_ok(&a);
		if (!j)
			answer_why(&a, &why);
		/* per item: its answer, by MaHoSo#SoThuTu */
		json_t *by_key = json_object();
		size_t k;
		json_t *x;
		json_array_foreach(json_object_get(j, "result"), k, x) {
			char key[160];
			snprintf(key, sizeof key, "%s#%s", jstr(x, "MaHoSo") ? jstr(x, "MaHoSo") : "",
				 jstr(x, "SoThuTu") ? jstr(x, "SoThuTu") : "");
			json_object_set(by_key, key, x);
		}
		rc = db_exec(r->c, "BEGIN", NULL) ? -1 : 1;
		struct strbuf acked = STRBUF_INIT;
		strbuf_addch(&acked, '{');
		for (int i = 0; rc > 0 && i < m; i++) {
			if (!rows[i].item)
				continue;
			const json_t *one = json_object_get(by_key, rows[i].key);
			const char *code = jstr(one, "error_code");
			bool refused = !j || (code && strcmp(code, "0") && strcmp(code, "00"));
			if (refused) {
				const char *msg = j ? jstr(one, "message") : why.buf;
				char *m2 = xasprintf("Cổng từ chối: %s", msg && mc_text_valid(msg) ? msg : "?");
				if (mark_error(r, rows[i].id, m2))
					rc = -1;
				free(m2);
			} else {
				r->st.acknowledged++;
				strbuf_addf(&acked, "%s%s", acked.len > 1 ? "," : "", rows[i].id);
			}
		}
		strbuf_addch(&acked, '}');
		const char *ap[] = { acked.buf };
		if (rc > 0 && db_execp(r->c, "UPDATE portal_queue SET state = 'acknowledged',"
					     " acked_at = now(), last_error = NULL"
					     " WHERE id = ANY($1::bigint[])", 1, ap, NULL))
			rc = -1;
		strbuf_release(&acked);
		if (rc > 0 && (state_answered(r) || db_exec(r->c, "COMMIT", NULL)))
			rc = -1;
		if (rc < 0)
			db_exec(r->c, "ROLLBACK", NULL);
		json_decref(by_key);
		json_decref(j);
	}
	strbuf_release(&why);
	answer_release(&a);
	rows_release(rows, m);
	return rc;
}

/* ---- online dossiers ---------------------------------------------------------------------- */

/* Keeps an online dossier that cannot be stored, with the reason (not
 * confirmed: taken again when the portal offers it again). A stored one
 * stays stored. */
static int hold(struct run *r, const json_t *item, const char *hash, const char *why)
{
	char *text = json_dumps(item, JSON_COMPACT);
	const char *code = jstr(item, "MaHoSo");
	const char *p[] = { code && mc_text_valid(code) ? code : hash, hash, why, text };
	r->st.held++;
	logf_("hồ sơ trực tuyến %s chưa nhận được: %s", p[0], why);
	int rc = db_execp(r->c, "INSERT INTO portal_inbox(portal_code, state, content_hash, reason, item)"
				" VALUES ($1, 'held', $2, $3, $4::jsonb) ON CONFLICT (portal_code) DO UPDATE"
				" SET offers = portal_inbox.offers + 1, reason = excluded.reason,"
				" content_hash = CASE WHEN portal_inbox.state = 'held' THEN excluded.content_hash"
				" ELSE portal_inbox.content_hash END,"
				" item = CASE WHEN portal_inbox.state = 'held' THEN excluded.item"
				" ELSE portal_inbox.item END", 4, p, NULL);
	free(text);
	return rc;
}

/* Whether url is on the portal's own origin (no paper is fetched from
 * anywhere else). */
static bool same_origin(const struct run *r, const char *url)
{
	size_t n = strlen(r->origin);
	return n && !strncmp(url, r->origin, n) && (url[n] == '/' || !url[n]);
}

/* Fetches the papers of an online dossier. 0, 1 (a paper is wrong: *why
 * says which, the dossier is held), -1 (the link failed: tried again at
 * the next fetch). */
static int fetch_papers(struct run *r, const json_t *item, struct online_paper *papers,
			struct strbuf *why)
{
	size_t i;
	const json_t *f;
	json_array_foreach(json_object_get(item, "TaiLieuNop"), i, f) {
		const char *url = jstr(f, "DuongDanTaiTepTin");
		if (!same_origin(r, url)) {
			strbuf_addf(why, "tệp %s không nằm trên Cổng (%s)", jstr(f, "TepDinhKemId"),
				    r->origin);
			return 1;
		}
		struct curl_slist *h = auth_headers(r, true);
		struct answer a;
		request(r, url, NULL, NULL, h, NULL, NULL, &a);
		curl_slist_free_all(h);
		if (a.too_large) {
			strbuf_addf(why, "tệp %s lớn quá %lld byte", jstr(f, "TepDinhKemId"), r->cfg.file_max);
			answer_release(&a);
			return 1;
		}
		if (a.status != 200) {
			answer_why(&a, why);
			if (a.status == 401)
				FREE(&r->session);
			int rc = a.status == 404 ? 1 : -1;
			answer_release(&a);
			return rc;
		}
		unsigned char h32[crypto_hash_sha256_BYTES];
		crypto_hash_sha256(h32, (const unsigned char *)(a.body.buf ? a.body.buf : ""), a.body.len);
		sodium_bin2hex(papers[i].sha256, sizeof papers[i].sha256, h32, sizeof h32);
		const char *want = jstr(f, "MaBam"), *size = jstr(f, "KichThuoc");
		if ((want && strcmp(want, papers[i].sha256)) ||
		    (size && atoll(size) != (long long)a.body.len)) {
			strbuf_addf(why, "tệp %s không khớp mã băm hoặc kích thước Cổng báo",
				    jstr(f, "TepDinhKemId"));
			answer_release(&a);
			return 1;
		}
		papers[i].item = f;
		papers[i].bytes = (long long)a.body.len;
		papers[i].data = strbuf_detach(&a.body);
	}
	return 0;
}

static void papers_free(struct online_paper *papers, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(papers[i].data);
	free(papers);
}

/* One online dossier offered by the portal: stored (its code added to
 * confirm), held, or left for the next fetch. -1: the database failed. */
static int take_online(struct run *r, const json_t *item, json_t *confirm)
{
	char hash[SYNC_HASH_HEX + 1];
	sync_payload_hash(item, hash);
	const json_t *root = portal_schema(PORTAL_SERVICE_FETCH);
	const json_t *schema = json_object_get(json_object_get(root, "$defs"), "HoSoTrucTuyen");
	struct strbuf why = STRBUF_INIT;
	int rc = 0;
	if (mc_jschema_validate(schema, root, item, &why)) {
		char *m = xasprintf("không đúng lược đồ: %s", why.buf);
		rc = hold(r, item, hash, m);
		free(m);
		strbuf_release(&why);
		return rc;
	}
	const char *code = jstr(item, "MaHoSo");
	const char *p[] = { code, jstr(item, "DonViXuLy") };
	PGresult *res = db_query(r->c, "SELECT (SELECT state || ' ' || content_hash FROM portal_inbox"
				       " WHERE portal_code = $1),"
				       " (SELECT ours FROM portal_codes WHERE kind = 'unit' AND theirs = $2)",
				 2, p);
	if (!db_ok(res) || PQntuples(res) != 1) {
		PQclear(res);
		return -1;
	}
	char *have = PQgetisnull(res, 0, 0) ? NULL : xstrdup(PQgetvalue(res, 0, 0));
	char *unit = PQgetisnull(res, 0, 1) ? NULL : xstrdup(PQgetvalue(res, 0, 1));
	PQclear(res);
	char stored_same[80];
	snprintf(stored_same, sizeof stored_same, "stored %s", hash);
	if (have && !strcmp(have, stored_same)) {
		/* offered again: the same dossier, confirmed again */
		json_array_append_new(confirm, json_pack("{s:s}", "MaHoSo", code));
		db_execp(r->c, "UPDATE portal_inbox SET offers = offers + 1 WHERE portal_code = $1", 1, p,
			 NULL);
	} else if (!unit) {
		char *m = xasprintf("Cổng giao cho đơn vị %s, chưa có trong bảng mã (motcua-server portal"
				    " codes import)", jstr(item, "DonViXuLy"));
		rc = hold(r, item, hash, m);
		free(m);
	} else {
		size_t n = json_array_size(json_object_get(item, "TaiLieuNop"));
		struct online_paper *papers = xcalloc(n ? n : 1, sizeof(*papers));
		int f = fetch_papers(r, item, papers, &why);
		if (f > 0) {
			rc = hold(r, item, hash, why.buf);
		} else if (f < 0) {
			logf_("hồ sơ trực tuyến %s: chưa tải được giấy tờ (%s), thử lại lần sau", code,
			      why.buf);
		} else if (online_store(r->c, item, unit, hash, papers, n, &why)) {
			logf_("%s", why.buf);
			rc = -1;
		} else {
			r->st.stored++;
			json_array_append_new(confirm, json_pack("{s:s}", "MaHoSo", code));
		}
		papers_free(papers, n);
	}
	free(have);
	free(unit);
	strbuf_release(&why);
	return rc;
}

/* Fetches the online dossiers. 1 done, 0 not due, -1 database, -2 portal. */
static int fetch_online(struct run *r)
{
	if (!r->cfg.fetch)
		return 0;
	char every[24];
	snprintf(every, sizeof every, "%ld", r->cfg.fetch_every);
	char now[32];
	snprintf(now, sizeof now, "%lld", (long long)now_of(r));
	const char *p[] = { now, every };
	PGresult *res = db_query(r->c, "SELECT last_fetch_at IS NULL OR last_fetch_at <="
				       " to_timestamp($1::double precision) - make_interval(secs => $2::integer)"
				       " FROM portal_state", 2, p);
	bool due = db_ok(res) && PQntuples(res) == 1 && PQgetvalue(res, 0, 0)[0] == 't';
	PQclear(res);
	if (!due && !r->once)
		return 0;
	char max[16];
	snprintf(max, sizeof max, "%ld", r->cfg.fetch_max);
	json_t *req = json_pack("{s:s, s:s}", "service", PORTAL_SERVICE_FETCH, "soluong", max);
	struct answer a;
	struct strbuf why = STRBUF_INIT;
	int rc = 1;
	if (call(r, req, &a, &why)) {
		json_decref(req);
		rc = state_failed(r, why.buf) ? -1 : -2;
		strbuf_release(&why);
		return rc;
	}
	json_decref(req);
	json_t *j = transient(&a) ? NULL : answer_ok(&a);
	const json_t *root = portal_schema(PORTAL_SERVICE_FETCH);
	const json_t *ks = json_object_get(json_object_get(root, "$defs"), "KetQua");
	if (!j || mc_jschema_validate(ks, root, j, &why)) {
		if (!why.len)
			answer_why(&a, &why);
		rc = state_failed(r, why.buf) ? -1 : -2;
		json_decref(j);
		answer_release(&a);
		strbuf_release(&why);
		return rc;
	}
	answer_release(&a);
	json_t *confirm = json_array();
	json_t *seen = json_object();
	size_t i;
	json_t *item;
	json_array_foreach(json_object_get(j, "result"), i, item) {
		r->st.offered++;
		const char *code = jstr(item, "MaHoSo");
		/* the same dossier twice in one answer is one dossier */
		if (code && json_object_get(seen, code))
			continue;
		if (code)
			json_object_set_new(seen, code, json_true());
		if (take_online(r, item, confirm) < 0) {
			rc = -1;
			break;
		}
	}
	json_decref(seen);
	json_decref(j);
	if (rc > 0 && json_array_size(confirm)) {
		json_t *creq = json_pack("{s:s, s:O}", "service", PORTAL_SERVICE_CONFIRM, "data", confirm);
		if (call(r, creq, &a, &why) == 0) {
			json_t *ok = answer_ok(&a);
			if (ok) {
				r->st.confirmed += (long)json_array_size(confirm);
				size_t k;
				json_t *x;
				json_array_foreach(confirm, k, x) {
					const char *cp[] = { jstr(x, "MaHoSo") };
					db_execp(r->c, "UPDATE portal_inbox SET confirmed_at = now()"
						       " WHERE portal_code = $1", 1, cp, NULL);
				}
			} else {
				/* not confirmed: offered again, and recognised */
				answer_why(&a, &why);
				logf_("xác nhận hồ sơ trực tuyến chưa được: %s", why.buf);
			}
			json_decref(ok);
			answer_release(&a);
		}
		json_decref(creq);
	}
	json_decref(confirm);
	strbuf_release(&why);
	const char *fp[] = { now };
	if (rc > 0 && db_execp(r->c, "UPDATE portal_state SET last_fetch_at ="
				     " to_timestamp($1::double precision)", 1, fp, NULL))
		rc = -1;
	return rc;
}

/* ---- the loop ------------------------------------------------------------------------------- */

static double clock_now(void)
{
	struct timeval tv;
	gettimeofday(&tv, NULL);
	return (double)tv.tv_sec + tv.tv_usec / 1e6;
}

/* Waits up to seconds, or until a new message is queued (the trigger's
 * NOTIFY) or a signal asks to stop. */
static void wait_for(struct run *r, double seconds)
{
	double until = clock_now() + seconds;
	int fd = PQsocket(r->c);
	while (!stop) {
		double left = until - clock_now();
		if (left <= 0)
			return;
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int ms = left > 0.2 ? 200 : (int)(left * 1000) + 1;
		if (fd >= 0 && poll(&p, 1, ms) > 0) {
			PQconsumeInput(r->c);
			bool woke = false;
			PGnotify *n;
			while ((n = PQnotifies(r->c))) {
				woke = true;
				PQfreemem(n);
			}
			if (woke)
				return;
		} else if (fd < 0) {
			usleep((useconds_t)ms * 1000);
		}
	}
}

/* One pass. 1 progress, 0 idle, -1 database failure, -2 portal failure
 * or in backoff. */
static int pass(struct run *r, bool *fetched)
{
	bool enabled;
	int failures;
	double retry_at;
	if (state_read(r, &enabled, &failures, &retry_at))
		return -1;
	if (retry_at > (double)now_of(r))
		return -2;
	if (!*fetched || !r->once) {
		int f = fetch_online(r);
		*fetched = true;
		if (f < 0)
			return f;
	}
	return publish_batch(r);
}

static int parse_now(const char *s, time_t *out)
{
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	const char *end = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
	if (!end || *end)
		return -1;
	tm.tm_isdst = -1;
	*out = mktime(&tm);
	return *out == (time_t)-1 ? -1 : 0;
}

static int bad_usage(const char *msg)
{
	fprintf(stderr, SERVER_NAME ": %s\ncách dùng: motcua-server portal run --pg CONNINFO"
			" [--config TỆP] [--once] [--now YYYY-MM-DDTHH:MM:SS]\n", msg);
	return 2;
}

int portal_run(int argc, char **argv)
{
	const char *pg = NULL, *config = getenv("MOTCUA_PORTAL_CONFIG"), *now = NULL;
	struct run r;
	memset(&r, 0, sizeof r);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--once")) {
			r.once = true;
		} else if (i + 1 < argc && !strcmp(a, "--pg")) {
			pg = argv[++i];
		} else if (i + 1 < argc && !strcmp(a, "--config")) {
			config = argv[++i];
		} else if (i + 1 < argc && !strcmp(a, "--now")) {
			now = argv[++i];
		} else {
			return bad_usage("tùy chọn không hợp lệ");
		}
	}
	if (!pg)
		return bad_usage("thiếu --pg CONNINFO");
	if (now && (!r.once || parse_now(now, &r.vnow)))
		return bad_usage("--now YYYY-MM-DDTHH:MM:SS chỉ đi với --once");
	r.virtual_clock = now != NULL;
	portal_config_init(&r.cfg);
	struct strbuf err = STRBUF_INIT;
	if (portal_config_load(&r.cfg, config, &err)) {
		fprintf(stderr, SERVER_NAME ": %s\n", err.buf);
		strbuf_release(&err);
		portal_config_release(&r.cfg);
		return 2;
	}
	/* the origin the papers of online dossiers may come from */
	const char *host = strstr(r.cfg.url, "://");
	size_t olen = host ? (size_t)(strcspn(host + 3, "/") + (size_t)(host + 3 - r.cfg.url)) : 0;
	if (olen < sizeof r.origin)
		snprintf(r.origin, sizeof r.origin, "%.*s", (int)olen, r.cfg.url);
	if (sodium_init() < 0 || curl_global_init(CURL_GLOBAL_DEFAULT)) {
		portal_config_release(&r.cfg);
		return 1;
	}
	r.curl = curl_easy_init();
	int rc = 0;
	r.c = db_connect(pg, &err);
	if (!r.c) {
		fprintf(stderr, SERVER_NAME ": %s\n", err.buf);
		rc = 1;
		goto out;
	}
	PGresult *res = PQexec(r.c, "SELECT pg_try_advisory_lock(" LOCK_PUBLISHER ")");
	bool mine = db_ok(res) && PQgetvalue(res, 0, 0)[0] == 't';
	PQclear(res);
	if (!mine) {
		fprintf(stderr, SERVER_NAME ": một tiến trình portal run khác đang chạy trên cơ sở dữ liệu"
				" này (mỗi tỉnh một tiến trình)\n");
		rc = 1;
		goto out;
	}
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	signal(SIGPIPE, SIG_IGN);
	if (!r.once) {
		res = PQexec(r.c, "LISTEN motcua_portal");
		PQclear(res);
	}
	if (!r.once)
		logf_("bắt đầu: %s (%s)", r.cfg.url, strcmp(r.cfg.gateway, "lgsp") ? "gọi thẳng Cổng"
										: "qua trục LGSP");
	bool fetched = false;
	int last = 0;
	while (!stop) {
		last = pass(&r, &fetched);
		if (last == 1)
			continue;
		if (r.once)
			break;
		if (last == -1) {
			/* the database: a new connection after a while */
			PQfinish(r.c);
			for (int i = 0; i < 50 && !stop; i++)
				usleep(100000);
			strbuf_reset(&err);
			r.c = db_connect(pg, &err);
			while (!r.c && !stop) {
				sleep(1);
				strbuf_reset(&err);
				r.c = db_connect(pg, &err);
			}
			if (r.c) {
				res = PQexec(r.c, "SELECT pg_advisory_lock(" LOCK_PUBLISHER ")");
				PQclear(res);
				res = PQexec(r.c, "LISTEN motcua_portal");
				PQclear(res);
			}
			continue;
		}
		/* idle: the next fetch or a new message; in backoff: its end */
		bool en;
		int nf;
		double at = 0;
		state_read(&r, &en, &nf, &at);
		fetched = false;
		if (last == -2) {
			double left = at - clock_now();
			for (; left > 0 && !stop; left = at - clock_now())
				usleep(left > 0.1 ? 100000 : (useconds_t)(left * 1e6) + 1);
		} else {
			wait_for(&r, (double)r.cfg.poll);
		}
	}
	if (r.once) {
		bool en;
		int nf = 0;
		double at = 0;
		if (r.c && state_read(&r, &en, &nf, &at) == 0) {
			char when[40] = "";
			if (at > 0) {
				time_t t = (time_t)at;
				struct tm tm;
				localtime_r(&t, &tm);
				strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm);
			}
			printf("{\"sent\":%ld,\"acknowledged\":%ld,\"errors\":%ld,\"failures\":%d,"
			       "\"retry_at\":%s%s%s,\"online\":{\"offered\":%ld,\"stored\":%ld,\"held\":%ld,"
			       "\"confirmed\":%ld}}\n", r.st.sent, r.st.acknowledged, r.st.errors, nf,
			       *when ? "\"" : "", *when ? when : "null", *when ? "\"" : "", r.st.offered,
			       r.st.stored, r.st.held, r.st.confirmed);
		}
		rc = last == -1 ? 1 : 0;
	} else {
		logf_("dừng");
	}
out:
	if (r.c)
		PQfinish(r.c);
	curl_easy_cleanup(r.curl);
	curl_global_cleanup();
	free(r.session);
	free(r.bearer);
	portal_config_release(&r.cfg);
	strbuf_release(&err);
	return rc;
}
