/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `motcua-server notify`: the notices to citizens who agreed to them at the
 * counter (docs/notices.md). The rows are made by the database, in the
 * transaction that writes a dossier (server/migrations/0013_notices.sql);
 * this file sends them (run), by e-mail (SMTP, libcurl) and SMS (an HTTP
 * gateway, JSON), and administers them (status, list, retry, templates,
 * template). One sender per database (an advisory lock). A notice is
 * claimed ('sending', committed) before it is sent and marked after: a
 * sender stopped in between leaves it 'unknown' at its next start, never
 * sent twice by itself. Exit status: 0 done, 1 failure, 2 bad input. */
#include "server/admincmd.h"
#include "server/keyfile.h"
#include "server/server.h"

#include <curl/curl.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <time.h>
#include <unistd.h>

#include "core/text.h"

#define LOCK_NOTIFIER "7101"

/* ---- settings ---------------------------------------------------------------------- */

struct notify_config {
	char *smtp_url;      /* smtp://host:port or smtps://host:port */
	char *smtp_from;     /* the sender's address */
	char *smtp_username, *smtp_password;
	char *sms_url;       /* the gateway: POST {"id", "to", "text"} */
	char *sms_token;     /* Authorization: Bearer */
	char *ca_file;
	long timeout;        /* seconds one sending may take */
	long poll;           /* seconds between passes with nothing to send */
	long max_attempts;   /* a notice failing this often is given up */
	double backoff_base; /* seconds after the first failure */
	double backoff_cap;
};

#define K(name, type) KEYFILE_KEY(struct notify_config, name, type)
static const struct keyfile_key keys[] = {
	K(smtp_url, KF_STR), K(smtp_from, KF_STR), K(smtp_username, KF_STR),
	KEYFILE_SECRET(struct notify_config, smtp_password), K(sms_url, KF_STR),
	KEYFILE_SECRET(struct notify_config, sms_token), K(ca_file, KF_STR), K(timeout, KF_LONG),
	K(poll, KF_LONG), K(max_attempts, KF_LONG), K(backoff_base, KF_DOUBLE),
	K(backoff_cap, KF_DOUBLE),
};
#undef K
#define NKEYS (sizeof(keys) / sizeof(keys[0]))

static void config_init(struct notify_config *c)
{
	memset(c, 0, sizeof(*c));
	c->timeout = 30;
	c->poll = 5;
	c->max_attempts = 10;
	c->backoff_base = 30;
	c->backoff_cap = 3600;
}

/* True for a URL whose host is this machine (plain text allowed there). */
static bool loopback_url(const char *url)
{
	const char *h = strstr(url, "://");
	if (!h)
		return false;
	h += 3;
	static const char *const hosts[] = { "127.", "localhost:", "localhost/", "[::1]" };
	for (size_t i = 0; i < sizeof hosts / sizeof hosts[0]; i++)
		if (!strncmp(h, hosts[i], strlen(hosts[i])))
			return true;
	return !strcmp(h, "localhost");
}

static int config_check(const struct notify_config *c, struct strbuf *err)
{
	if (!c->smtp_url && !c->sms_url) {
		strbuf_addstr(err, "cần ít nhất 'smtp_url' (thư điện tử) hoặc 'sms_url' (cổng tin nhắn)"
				   " trong cấu hình");
		return -1;
	}
	if (c->smtp_url && strncmp(c->smtp_url, "smtp://", 7) && strncmp(c->smtp_url, "smtps://", 8)) {
		strbuf_addf(err, "'smtp_url' phải bắt đầu bằng smtp:// hoặc smtps:// (nhận «%s»)",
			    c->smtp_url);
		return -1;
	}
	if (c->smtp_url && (!c->smtp_from || !strchr(c->smtp_from, '@') ||
			    strpbrk(c->smtp_from, "<>\r\n ,;"))) {
		strbuf_addstr(err, "'smtp_from' phải là một địa chỉ thư (ten@mien.vn)");
		return -1;
	}
	if (c->sms_url && strncmp(c->sms_url, "https://", 8) &&
	    !(strncmp(c->sms_url, "http://", 7) == 0 && loopback_url(c->sms_url))) {
		strbuf_addstr(err, "'sms_url' phải là https:// (http:// chỉ tới chính máy này)");
		return -1;
	}
	if (c->timeout < 1 || c->max_attempts < 1 || c->max_attempts > 1000) {
		strbuf_addstr(err, "'timeout' ít nhất 1 giây, 'max_attempts' từ 1 đến 1000");
		return -1;
	}
	return 0;
}

/* ---- sending ---------------------------------------------------------------------- */

struct notice {
	char id[24], channel[8], event_id[80];
	const char *address, *subject, *body;
	int attempts;
};

enum outcome { SENT, RETRY, GIVE_UP };

struct run {
	struct notify_config cfg;
	CURL *curl;
	PGconn *c;
	bool once;
	char why[512]; /* the last failure */
	char pass[40]; /* the pass's start: a notice put back waits for the next pass */
	long sent, retried, failed;
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* An address that cannot break out of its header or JSON string. */
static bool address_ok(const char *channel, const char *a)
{
	size_t n = strlen(a);
	if (!n || n > 254)
		return false;
	if (!strcmp(channel, "sms")) {
		for (const char *p = a; *p; p++)
			if (!((*p >= '0' && *p <= '9') || *p == '+' || *p == ' '))
				return false;
		return true;
	}
	for (const char *p = a; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f || strchr("<>,;:\"\\()[]", *p))
			return false;
	const char *at = strchr(a, '@');
	return at && at != a && at[1] && !strchr(at + 1, '@');
}

struct upload {
	const char *p;
	size_t left;
};

static size_t read_upload(char *buf, size_t size, size_t n, void *arg)
{
	struct upload *u = arg;
	size_t k = size * n < u->left ? size * n : u->left;
	memcpy(buf, u->p, k);
	u->p += k;
	u->left -= k;
	return k;
}

static size_t discard(char *p, size_t size, size_t n, void *arg)
{
	(void)p;
	(void)arg;
	return size * n;
}

/* The message: headers (the subject in RFC 2047's UTF-8 base64, a
 * Message-ID the notice's own so that a receiver can tell a repeat), then
 * the body with CRLF line ends. */
static char *mail_text(const struct run *r, const struct notice *n)
{
	struct strbuf sb = STRBUF_INIT;
	char date[64];
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S %z", &tm);
	size_t sl = strlen(n->subject);
	char *b64 = xmalloc(sodium_base64_encoded_len(sl, sodium_base64_VARIANT_ORIGINAL));
	sodium_bin2base64(b64, sodium_base64_encoded_len(sl, sodium_base64_VARIANT_ORIGINAL),
			  (const unsigned char *)n->subject, sl, sodium_base64_VARIANT_ORIGINAL);
	strbuf_addf(&sb, "Date: %s\r\nFrom: <%s>\r\nTo: <%s>\r\n"
			 "Message-ID: <notice-%s@motcua>\r\nSubject: =?UTF-8?B?%s?=\r\n"
			 "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
			 "Content-Transfer-Encoding: 8bit\r\n\r\n",
		    date, r->cfg.smtp_from, n->address, n->id, b64);
	free(b64);
	for (const char *p = n->body; *p; p++) {
		if (*p == '\r')
			continue;
		if (*p == '\n')
			strbuf_addstr(&sb, "\r\n");
		else
			strbuf_addch(&sb, *p);
	}
	strbuf_addstr(&sb, "\r\n");
	return strbuf_detach(&sb);
}

static void common_options(struct run *r)
{
	curl_easy_reset(r->curl);
	curl_easy_setopt(r->curl, CURLOPT_TIMEOUT, r->cfg.timeout);
	curl_easy_setopt(r->curl, CURLOPT_CONNECTTIMEOUT, r->cfg.timeout < 10 ? r->cfg.timeout : 10L);
	curl_easy_setopt(r->curl, CURLOPT_NOSIGNAL, 1L);
	if (r->cfg.ca_file)
		curl_easy_setopt(r->curl, CURLOPT_CAINFO, r->cfg.ca_file);
}

static enum outcome send_mail(struct run *r, const struct notice *n)
{
	if (!r->cfg.smtp_url) {
		snprintf(r->why, sizeof r->why, "chưa cấu hình smtp_url");
		return RETRY;
	}
	char *text = mail_text(r, n);
	struct upload u = { text, strlen(text) };
	char from[300], to[300];
	snprintf(from, sizeof from, "<%s>", r->cfg.smtp_from);
	snprintf(to, sizeof to, "<%s>", n->address);
	struct curl_slist *rcpt = curl_slist_append(NULL, to);
	common_options(r);
	curl_easy_setopt(r->curl, CURLOPT_URL, r->cfg.smtp_url);
	curl_easy_setopt(r->curl, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(r->curl, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(r->curl, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(r->curl, CURLOPT_READFUNCTION, read_upload);
	curl_easy_setopt(r->curl, CURLOPT_READDATA, &u);
	if (!loopback_url(r->cfg.smtp_url))
		curl_easy_setopt(r->curl, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	if (r->cfg.smtp_username) {
		curl_easy_setopt(r->curl, CURLOPT_USERNAME, r->cfg.smtp_username);
		curl_easy_setopt(r->curl, CURLOPT_PASSWORD, r->cfg.smtp_password ? r->cfg.smtp_password : "");
	}
	CURLcode cc = curl_easy_perform(r->curl);
	long code = 0;
	curl_easy_getinfo(r->curl, CURLINFO_RESPONSE_CODE, &code);
	curl_slist_free_all(rcpt);
	free(text);
	if (cc == CURLE_OK)
		return SENT;
	snprintf(r->why, sizeof r->why, "SMTP: %s (mã %ld)", curl_easy_strerror(cc), code);
	/* 5xx from the server: the address or the message refused for good */
	return code >= 500 && code < 600 ? GIVE_UP : RETRY;
}

static enum outcome send_sms(struct run *r, const struct notice *n)
{
	if (!r->cfg.sms_url) {
		snprintf(r->why, sizeof r->why, "chưa cấu hình sms_url");
		return RETRY;
	}
	char id[64], to[40];
	snprintf(id, sizeof id, "motcua-notice-%s", n->id);
	size_t k = 0; /* the number as the gateway wants it: digits and +, no spaces */
	for (const char *p = n->address; *p && k + 1 < sizeof to; p++)
		if (*p != ' ')
			to[k++] = *p;
	to[k] = '\0';
	json_t *j = json_pack("{s:s, s:s, s:s}", "id", id, "to", to, "text", n->body);
	char *body = j ? json_dumps(j, JSON_COMPACT) : NULL;
	json_decref(j);
	if (!body) {
		snprintf(r->why, sizeof r->why, "nội dung tin nhắn không hợp lệ");
		return GIVE_UP;
	}
	struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
	char auth[600];
	if (r->cfg.sms_token) {
		snprintf(auth, sizeof auth, "Authorization: Bearer %s", r->cfg.sms_token);
		h = curl_slist_append(h, auth);
	}
	common_options(r);
	curl_easy_setopt(r->curl, CURLOPT_URL, r->cfg.sms_url);
	curl_easy_setopt(r->curl, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(r->curl, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(r->curl, CURLOPT_WRITEFUNCTION, discard);
	CURLcode cc = curl_easy_perform(r->curl);
	long code = 0;
	curl_easy_getinfo(r->curl, CURLINFO_RESPONSE_CODE, &code);
	curl_slist_free_all(h);
	free(body);
	if (cc != CURLE_OK) {
		snprintf(r->why, sizeof r->why, "cổng tin nhắn: %s", curl_easy_strerror(cc));
		return RETRY;
	}
	if (code >= 200 && code < 300)
		return SENT;
	snprintf(r->why, sizeof r->why, "cổng tin nhắn trả lời HTTP %ld", code);
	return code >= 400 && code < 500 && code != 408 && code != 429 ? GIVE_UP : RETRY;
}

/* ---- the queue -------------------------------------------------------------------- */

#define logf_(...) server_log(LOG_INFO, __VA_ARGS__)

static double backoff(const struct notify_config *c, int n)
{
	double d = c->backoff_base * pow(2, n > 30 ? 29 : n - 1);
	return d < c->backoff_cap ? d : c->backoff_cap;
}

/* Marks the claimed notice after its sending. -1: the database failed. */
static int mark(struct run *r, const struct notice *n, enum outcome o)
{
	char delay[32];
	snprintf(delay, sizeof delay, "%.3f", backoff(&r->cfg, n->attempts));
	const char *state = o == SENT ? "sent" : o == GIVE_UP || n->attempts >= r->cfg.max_attempts
							 ? "failed" : "waiting";
	const char *p[] = { n->id, state, o == SENT ? NULL : r->why, delay };
	PGresult *res = db_query(r->c, "UPDATE notices SET state = $2, last_error = $3,"
				       " sent_at = CASE WHEN $2 = 'sent' THEN now() END,"
				       " next_at = now() + make_interval(secs => $4::float8)"
				       " WHERE id = $1::bigint AND state = 'sending'", 4, p);
	bool ok = db_ok(res);
	PQclear(res);
	if (!strcmp(state, "sent")) {
		r->sent++;
		logf_("thông báo %s (%s) đã gửi tới %s", n->id, n->channel, n->address);
	} else if (!strcmp(state, "failed")) {
		r->failed++;
		logf_("thông báo %s (%s) không gửi được, thôi: %s", n->id, n->channel, r->why);
	} else {
		r->retried++;
		logf_("thông báo %s (%s) chưa gửi được, thử lại sau %s giây: %s", n->id, n->channel,
		      delay, r->why);
	}
	return ok ? 0 : -1;
}

/* Claims the next due notice and sends it: 1 one sent (or given up or put
 * back), 0 none due, -1 the database failed. */
static int send_next(struct run *r)
{
	if (!*r->pass) {
		PGresult *t = PQexec(r->c, "SELECT now()::text");
		if (db_ok(t))
			snprintf(r->pass, sizeof r->pass, "%s", PQgetvalue(t, 0, 0));
		PQclear(t);
	}
	const char *p[] = { *r->pass ? r->pass : NULL };
	PGresult *res = db_query(r->c, "UPDATE notices SET state = 'sending', attempts = attempts + 1"
				       " WHERE id = (SELECT id FROM notices WHERE state = 'waiting'"
				       " AND next_at <= coalesce($1::timestamptz, now())"
				       " ORDER BY next_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)"
				       " RETURNING id, channel, event_id, address, subject, body, attempts",
				 1, p);
	if (!db_ok(res)) {
		PQclear(res);
		return -1;
	}
	if (PQntuples(res) == 0) {
		PQclear(res);
		return 0;
	}
	struct notice n = { .address = PQgetvalue(res, 0, 3), .subject = PQgetvalue(res, 0, 4),
			    .body = PQgetvalue(res, 0, 5), .attempts = atoi(PQgetvalue(res, 0, 6)) };
	snprintf(n.id, sizeof n.id, "%s", PQgetvalue(res, 0, 0));
	snprintf(n.channel, sizeof n.channel, "%s", PQgetvalue(res, 0, 1));
	snprintf(n.event_id, sizeof n.event_id, "%s", PQgetvalue(res, 0, 2));
	/* a subject on one line, whatever a name held */
	char *subject = xstrdup(n.subject);
	for (char *q = subject; *q; q++)
		if (*q == '\r' || *q == '\n')
			*q = ' ';
	n.subject = subject;
	enum outcome o;
	if (!address_ok(n.channel, n.address)) {
		snprintf(r->why, sizeof r->why, "địa chỉ «%.80s» không hợp lệ", n.address);
		o = GIVE_UP;
	} else {
		o = !strcmp(n.channel, "sms") ? send_sms(r, &n) : send_mail(r, &n);
	}
	int rc = mark(r, &n, o);
	free(subject);
	PQclear(res);
	return rc ? -1 : 1;
}

static void wait_for(struct run *r, double seconds)
{
	int fd = PQsocket(r->c);
	fd_set set;
	FD_ZERO(&set);
	if (fd >= 0)
		FD_SET(fd, &set);
	struct timeval tv = { (time_t)seconds, (suseconds_t)((seconds - floor(seconds)) * 1e6) };
	if (select(fd + 1, &set, NULL, NULL, &tv) > 0) {
		PQconsumeInput(r->c);
		PGnotify *nt;
		while ((nt = PQnotifies(r->c)))
			PQfreemem(nt);
	}
}

static int run_usage(const char *msg)
{
	fprintf(stderr, SERVER_NAME ": %s\ncách dùng: motcua-server notify run --pg CONNINFO"
			" [--config TỆP] [--once]\n", msg);
	return 2;
}

static int notify_run(int argc, char **argv)
{
	const char *pg = config_get()->pg, *config = getenv("MOTCUA_NOTIFY_CONFIG");
	struct run r;
	memset(&r, 0, sizeof r);
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--once"))
			r.once = true;
		else if (i + 1 < argc && !strcmp(argv[i], "--pg"))
			pg = argv[++i];
		else if (i + 1 < argc && !strcmp(argv[i], "--config"))
			config = argv[++i];
		else
			return run_usage("tùy chọn không hợp lệ");
	}
	if (!pg)
		return run_usage("thiếu --pg CONNINFO");
	config_init(&r.cfg);
	struct strbuf err = STRBUF_INIT;
	int rc = 0;
	if (keyfile_load(keys, NKEYS, &r.cfg, config, "MOTCUA_NOTIFY_", &err) ||
	    config_check(&r.cfg, &err)) {
		fprintf(stderr, SERVER_NAME ": %s\n", err.buf);
		rc = 2;
		goto out;
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT)) {
		rc = 1;
		goto out;
	}
	r.curl = curl_easy_init();
	r.c = db_connect(pg, &err);
	if (!r.c) {
		fprintf(stderr, SERVER_NAME ": %s\n", err.buf);
		rc = 1;
		goto curl_out;
	}
	PGresult *res = PQexec(r.c, "SELECT pg_try_advisory_lock(" LOCK_NOTIFIER ")");
	bool mine = db_ok(res) && PQgetvalue(res, 0, 0)[0] == 't';
	PQclear(res);
	if (!mine) {
		fprintf(stderr, SERVER_NAME ": một tiến trình notify run khác đang chạy trên cơ sở dữ liệu"
				" này\n");
		rc = 1;
		goto curl_out;
	}
	/* a sender stopped between claiming and marking: sent or not, nobody
	 * knows; never sent again by itself */
	res = PQexec(r.c, "UPDATE notices SET state = 'unknown', last_error = 'tiến trình gửi dừng"
			  " giữa chừng: không rõ đã gửi chưa (motcua-server notify retry để gửi lại)'"
			  " WHERE state = 'sending' RETURNING id");
	if (db_ok(res) && PQntuples(res) > 0)
		logf_("%d thông báo không rõ đã gửi chưa (trạng thái unknown)", PQntuples(res));
	PQclear(res);
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	signal(SIGPIPE, SIG_IGN);
	if (!r.once) {
		res = PQexec(r.c, "LISTEN motcua_notices");
		PQclear(res);
		logf_("bắt đầu gửi thông báo (%s%s%s)", r.cfg.smtp_url ? "thư điện tử" : "",
		      r.cfg.smtp_url && r.cfg.sms_url ? ", " : "", r.cfg.sms_url ? "tin nhắn" : "");
	}
	while (!stop) {
		int k = send_next(&r);
		if (k == 1)
			continue;
		if (k < 0) {
			fprintf(stderr, SERVER_NAME ": cơ sở dữ liệu: %s", PQerrorMessage(r.c));
			rc = 1;
			break;
		}
		if (r.once)
			break;
		wait_for(&r, (double)r.cfg.poll);
		r.pass[0] = '\0';
	}
	if (r.once)
		printf("{\"sent\":%ld,\"retry\":%ld,\"failed\":%ld}\n", r.sent, r.retried, r.failed);
curl_out:
	if (r.c)
		PQfinish(r.c);
	curl_easy_cleanup(r.curl);
	curl_global_cleanup();
out:
	keyfile_release(keys, NKEYS, &r.cfg);
	strbuf_release(&err);
	return rc;
}

/* ---- administration --------------------------------------------------------------- */

static int print_rows(PGconn *c, const char *sql, int n, const char *const *p, struct strbuf *err)
{
	PGresult *res = db_query(c, sql, n, p);
	if (!db_ok(res)) {
		strbuf_addf(err, "%s", PQresultErrorMessage(res));
		PQclear(res);
		return -1;
	}
	for (int i = 0; i < PQntuples(res); i++)
		printf("%s\n", PQgetvalue(res, i, 0));
	PQclear(res);
	return 0;
}

static int status_work(PGconn *c, void *arg, struct strbuf *err)
{
	(void)arg;
	return print_rows(c, "SELECT json_build_object("
			     "'waiting', count(*) FILTER (WHERE state = 'waiting'),"
			     "'sending', count(*) FILTER (WHERE state = 'sending'),"
			     "'sent', count(*) FILTER (WHERE state = 'sent'),"
			     "'failed', count(*) FILTER (WHERE state = 'failed'),"
			     "'unknown', count(*) FILTER (WHERE state = 'unknown'))::text FROM notices",
			  0, NULL, err);
}

struct list_args {
	const char *state, *limit;
};

static int list_work(PGconn *c, void *arg, struct strbuf *err)
{
	const struct list_args *a = arg;
	const char *p[] = { a->state, a->limit };
	return print_rows(c, "SELECT json_build_object('id', n.id, 'code', d.code, 'kind', n.kind,"
			     " 'channel', n.channel, 'address', n.address, 'state', n.state,"
			     " 'attempts', n.attempts, 'last_error', n.last_error,"
			     " 'created_at', to_char(n.created_at, 'YYYY-MM-DD\"T\"HH24:MI:SS'),"
			     " 'sent_at', to_char(n.sent_at, 'YYYY-MM-DD\"T\"HH24:MI:SS'))::text"
			     " FROM notices n JOIN dossiers d ON d.id = n.dossier_id"
			     " WHERE $1::text IS NULL OR n.state = $1 ORDER BY n.id LIMIT $2::integer",
			  2, p, err);
}

static bool digits(const char *s, size_t max)
{
	size_t n = strspn(s, "0123456789");
	return n && n <= max && !s[n];
}

static int retry_work(PGconn *c, void *arg, struct strbuf *err)
{
	const char *id = arg;
	const char *p[] = { id };
	PGresult *res = db_query(c, "UPDATE notices SET state = 'waiting', next_at = now(),"
				    " last_error = NULL WHERE id = $1::bigint"
				    " AND state IN ('failed', 'unknown') RETURNING id", 1, p);
	if (!db_ok(res)) {
		strbuf_addf(err, "%s", PQresultErrorMessage(res));
		PQclear(res);
		return -1;
	}
	int n = PQntuples(res);
	PQclear(res);
	if (!n)
		return admin_bad("không có thông báo số %s ở trạng thái failed hoặc unknown", id);
	PQclear(PQexec(c, "NOTIFY motcua_notices"));
	printf("{\"retried\":%s}\n", id);
	return 0;
}

static int templates_work(PGconn *c, void *arg, struct strbuf *err)
{
	(void)arg;
	return print_rows(c, "SELECT json_build_object('kind', kind, 'channel', channel,"
			     " 'subject', subject, 'body', body)::text FROM notice_templates"
			     " ORDER BY kind, channel", 0, NULL, err);
}

struct template_args {
	const char *kind, *channel, *subject, *body, *by;
};

static int template_work(PGconn *c, void *arg, struct strbuf *err)
{
	const struct template_args *t = arg;
	const char *p[] = { t->kind, t->channel, t->subject ? t->subject : "", t->body, t->by };
	PGresult *res = db_query(c, "UPDATE notice_templates SET subject = $3, body = $4,"
				    " updated_at = now(), updated_by = nullif($5, '')"
				    " WHERE kind = $1 AND channel = $2 RETURNING kind", 5, p);
	if (!db_ok(res)) {
		strbuf_addf(err, "%s", PQresultErrorMessage(res));
		PQclear(res);
		return -1;
	}
	PQclear(res);
	printf("{\"kind\":\"%s\",\"channel\":\"%s\"}\n", t->kind, t->channel);
	return 0;
}

/* Every {name} of a template is one the filling knows. */
static const char *unknown_placeholder(const char *s, char *out, size_t size)
{
	static const char *const known[] = { "{ma_ho_so}", "{ho_ten}", "{thu_tuc}", "{ngay_hen}",
					     "{don_vi}" };
	for (const char *p = strchr(s, '{'); p; p = strchr(p + 1, '{')) {
		const char *e = strchr(p, '}');
		size_t n = e ? (size_t)(e - p + 1) : strlen(p);
		bool ok = false;
		for (size_t i = 0; e && i < sizeof known / sizeof known[0]; i++)
			ok = ok || (strlen(known[i]) == n && !strncmp(p, known[i], n));
		if (!ok) {
			snprintf(out, size, "%.*s", (int)(n > 40 ? 40 : n), p);
			return out;
		}
	}
	return NULL;
}

static int cmd_template(int argc, char **argv)
{
	static const char usage[] = "cách dùng: motcua-server notify template --pg CONNINFO"
				    " --kind received|moved|supplement|result --channel sms|email"
				    " --body VĂN_BẢN [--subject TIÊU_ĐỀ]";
	struct template_args t = { .by = getenv("USER") };
	const char *pg = config_get()->pg;
	const struct admin_opt opts[] = {
		{ .name = "pg", .value = &pg },	      { .name = "kind", .value = &t.kind },
		{ .name = "channel", .value = &t.channel }, { .name = "subject", .value = &t.subject },
		{ .name = "body", .value = &t.body },	      { .name = NULL },
	};
	if (admin_options(argc, argv, opts, usage))
		return 2;
	if (!t.kind || !t.channel || !t.body)
		return admin_bad("%s", usage);
	if (strcmp(t.kind, "received") && strcmp(t.kind, "moved") && strcmp(t.kind, "supplement") &&
	    strcmp(t.kind, "result"))
		return admin_bad("--kind là received, moved, supplement hoặc result (nhận «%s»)", t.kind);
	if (strcmp(t.channel, "sms") && strcmp(t.channel, "email"))
		return admin_bad("--channel là sms hoặc email (nhận «%s»)", t.channel);
	if (!mc_text_valid(t.body) || mc_text_blank(t.body) || mc_text_chars(t.body) > 2000 ||
	    (t.subject && (!mc_text_valid(t.subject) || mc_text_chars(t.subject) > 200)))
		return admin_bad("--body từ 1 đến 2000 ký tự, --subject tối đa 200 (UTF-8)");
	char bad[48];
	const char *u = unknown_placeholder(t.body, bad, sizeof bad);
	if (!u && t.subject)
		u = unknown_placeholder(t.subject, bad, sizeof bad);
	if (u)
		return admin_bad("chỗ điền không rõ %s: dùng {ma_ho_so}, {ho_ten}, {thu_tuc}, {ngay_hen},"
				 " {don_vi}", u);
	return admin_run(pg, true, template_work, &t);
}

int cmd_notify(int argc, char **argv)
{
	static const char usage[] =
		"cách dùng: motcua-server notify run|status|list|retry|templates|template --pg CONNINFO ...\n"
		"  run [--config TỆP] [--once]          gửi thông báo (thư điện tử, tin nhắn)\n"
		"  status                               số thông báo theo trạng thái (JSON)\n"
		"  list [--state S] [--limit N]         các thông báo, mỗi dòng một (JSON)\n"
		"  retry --id N                         gửi lại một thông báo failed hoặc unknown\n"
		"  templates                            các mẫu thông báo (JSON)\n"
		"  template --kind K --channel C --body VĂN_BẢN [--subject TIÊU_ĐỀ]";
	if (argc < 2)
		return admin_bad("%s", usage);
	const char *sub = argv[1];
	argc--;
	argv++;
	if (!strcmp(sub, "run"))
		return notify_run(argc, argv);
	if (!strcmp(sub, "template"))
		return cmd_template(argc, argv);
	const char *pg = config_get()->pg, *id = NULL;
	struct list_args la = { .limit = "100" };
	const struct admin_opt opts[] = {
		{ .name = "pg", .value = &pg },		 { .name = "state", .value = &la.state },
		{ .name = "limit", .value = &la.limit }, { .name = "id", .value = &id },
		{ .name = NULL },
	};
	if (admin_options(argc, argv, opts, usage))
		return 2;
	if (!strcmp(sub, "status"))
		return admin_run(pg, false, status_work, NULL);
	if (!strcmp(sub, "templates"))
		return admin_run(pg, false, templates_work, NULL);
	if (!strcmp(sub, "list")) {
		if (la.state && strcmp(la.state, "waiting") && strcmp(la.state, "sending") &&
		    strcmp(la.state, "sent") && strcmp(la.state, "failed") && strcmp(la.state, "unknown"))
			return admin_bad("--state là waiting, sending, sent, failed hoặc unknown");
		if (!digits(la.limit, 6))
			return admin_bad("--limit là một số từ 1 đến 999999");
		return admin_run(pg, false, list_work, &la);
	}
	if (!strcmp(sub, "retry")) {
		if (!id || !digits(id, 18))
			return admin_bad("cách dùng: motcua-server notify retry --pg CONNINFO --id N");
		return admin_run(pg, true, retry_work, (void *)id);
	}
	return admin_bad("%s", usage);
}
