/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "sync/http.h"

#include <arpa/inet.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <curl/curl.h>

#include "core/gzip.h"
#include "core/syncproto.h"
#include "core/version.h"
/* last: they rename the library functions above (client/base/lazylib.h) */
#include "client/base/lazy_curl.h"

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void curl_start(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

void sync_http_init(struct sync_http *h, const char *base, const char *token, const char *ca_file)
{
	pthread_once(&curl_once, curl_start);
	memset(h, 0, sizeof(*h));
	h->curl = curl_easy_init();
	if (!h->curl)
		abort(); /* out of memory */
	h->base = xstrdup(base);
	h->token = token ? xstrdup(token) : NULL;
	h->ca_file = ca_file && *ca_file ? xstrdup(ca_file) : NULL;
	h->low_speed_time = SYNC_LOW_SPEED_TIME;
}

void sync_http_release(struct sync_http *h)
{
	if (h->curl)
		curl_easy_cleanup(h->curl);
	h->curl = NULL;
	FREE(&h->base);
	if (h->token)
		memset(h->token, 0, strlen(h->token));
	FREE(&h->token);
	FREE(&h->ca_file);
}

void sync_reply_release(struct sync_reply *r)
{
	strbuf_release(&r->body);
	strbuf_release(&r->headers);
}

static size_t on_header(char *ptr, size_t size, size_t n, void *arg)
{
	struct strbuf *sb = arg;
	size_t len = size * n;
	if (sb->len + len > 64 * 1024)
		return 0;
	/* a new response (after a redirect or 100): only the last one's headers */
	if (len >= 5 && !strncmp(ptr, "HTTP/", 5))
		strbuf_reset(sb);
	strbuf_add(sb, ptr, len);
	return len;
}

static size_t on_read(char *buf, size_t size, size_t n, void *arg)
{
	struct sync_file_body *f = arg;
	size_t want = size * n;
	if ((long long)want > f->len)
		want = (size_t)f->len;
	if (!want)
		return 0;
	ssize_t got = pread(f->fd, buf, want, (off_t)f->offset);
	if (got <= 0)
		return CURL_READFUNC_ABORT; /* the file shrank or cannot be read */
	f->offset += got;
	f->len -= got;
	return (size_t)got;
}

char *sync_reply_header(const struct sync_reply *r, const char *name)
{
	size_t n = strlen(name);
	const char *p = r->headers.buf;
	while (p && *p) {
		const char *end = strchr(p, '\n');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len > n && !strncasecmp(p, name, n) && p[n] == ':') {
			const char *v = p + n + 1;
			const char *stop = p + len;
			while (v < stop && (*v == ' ' || *v == '\t'))
				v++;
			while (stop > v && (stop[-1] == '\r' || stop[-1] == ' '))
				stop--;
			return xstrndup(v, (size_t)(stop - v));
		}
		p = end ? end + 1 : NULL;
	}
	return NULL;
}

static size_t on_data(char *ptr, size_t size, size_t n, void *arg)
{
	struct strbuf *sb = arg;
	size_t len = size * n;
	if (sb->len + len > SYNC_MAX_REPLY)
		return 0; /* cut: CURLE_WRITE_ERROR */
	strbuf_add(sb, ptr, len);
	return len;
}

static int on_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
		       curl_off_t ulnow)
{
	const struct sync_http *h = arg;
	return h->cancel && atomic_load(h->cancel) ? 1 : 0;
}

/* Why there was no answer, in words a clerk understands. */
static const char *curl_reason(CURLcode cc)
{
	switch (cc) {
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
		return "không tìm thấy máy chủ (kiểm tra địa chỉ và mạng)";
	case CURLE_COULDNT_CONNECT:
		return "không kết nối được máy chủ (mất mạng hoặc máy chủ đang tắt)";
	case CURLE_OPERATION_TIMEDOUT:
		return "đường truyền quá chậm hoặc bị ngắt (hết thời gian chờ)";
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
		return "kết nối bị ngắt giữa chừng";
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_SSL_CERTPROBLEM:
		return "không xác minh được chứng chỉ của máy chủ (kết nối không an toàn, đã dừng)";
	case CURLE_WRITE_ERROR:
		return "câu trả lời của máy chủ quá lớn";
	case CURLE_ABORTED_BY_CALLBACK:
		return "đã dừng theo yêu cầu";
	case CURLE_UNSUPPORTED_PROTOCOL:
	case CURLE_URL_MALFORMAT:
		return "địa chỉ máy chủ không hợp lệ";
	default:
		return "lỗi kết nối mạng";
	}
}

#define STR_(x) #x
#define STR(x) STR_(x)

static int perform(struct sync_http *h, const char *method, const char *path, const char *body,
		   size_t body_len, bool gzipped, const char *const *extra,
		   const struct sync_file_body *file, struct sync_reply *r)
{
	memset(r, 0, sizeof(*r));
	struct sync_file_body fb = file ? *file : (struct sync_file_body){ -1, 0, 0 };
	CURL *c = h->curl;
	curl_easy_reset(c);
	char *url = xasprintf("%s%s", h->base, path);
	struct curl_slist *headers = NULL;
	headers = curl_slist_append(headers, "Accept: application/json");
	headers = curl_slist_append(headers, "Expect:");
	headers = curl_slist_append(headers, SYNC_PROTOCOL_HEADER ": " STR(SYNC_PROTOCOL));
	char *auth = NULL;
	if (h->token) {
		auth = xasprintf("Authorization: Bearer %s", h->token);
		headers = curl_slist_append(headers, auth);
	}
	if (body)
		headers = curl_slist_append(headers, "Content-Type: application/json");
	if (body && gzipped)
		headers = curl_slist_append(headers, "Content-Encoding: gzip");
	for (size_t i = 0; extra && extra[i]; i++)
		headers = curl_slist_append(headers, extra[i]);
	char ua[64];
	snprintf(ua, sizeof(ua), "motcua/%s", MOTCUA_VERSION);

	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(c, CURLOPT_USERAGENT, ua);
	curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "gzip");
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	if (h->ca_file)
		curl_easy_setopt(c, CURLOPT_CAINFO, h->ca_file);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, (long)SYNC_CONNECT_TIMEOUT);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, (long)SYNC_LOW_SPEED);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, h->low_speed_time);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &r->body);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &r->headers);
	curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(c, CURLOPT_XFERINFODATA, h);
	if (body) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_len);
	} else if (file) {
		curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
		curl_easy_setopt(c, CURLOPT_READFUNCTION, on_read);
		curl_easy_setopt(c, CURLOPT_READDATA, &fb);
		curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)fb.len);
	} else if (!strcmp(method, "POST")) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, "");
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)0);
	}
	/* the method curl uses unless told otherwise */
	const char *dflt = file ? "PUT" : body || !strcmp(method, "POST") ? "POST" : "GET";
	if (strcmp(method, dflt))
		curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	if (!strcmp(method, "HEAD"))
		curl_easy_setopt(c, CURLOPT_NOBODY, 1L);

	CURLcode cc = curl_easy_perform(c);
	curl_off_t up = 0, down = 0;
	curl_easy_getinfo(c, CURLINFO_SIZE_UPLOAD_T, &up);
	curl_easy_getinfo(c, CURLINFO_SIZE_DOWNLOAD_T, &down);
	curl_easy_getinfo(c, CURLINFO_TOTAL_TIME, &r->seconds);
	h->bytes_up += (unsigned long long)up;
	h->bytes_down += (unsigned long long)down;
	r->sent = (long long)up;
	int rc = 0;
	if (cc == CURLE_OK) {
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
		char *proto = sync_reply_header(r, SYNC_PROTOCOL_HEADER);
		/* a server without the header speaks the first version */
		h->server_protocol = proto ? atoi(proto) : 1;
		free(proto);
		if (!r->body.buf)
			strbuf_addstr(&r->body, "");
	} else {
		r->status = 0;
		r->cancelled = cc == CURLE_ABORTED_BY_CALLBACK;
		r->cut = cc == CURLE_OPERATION_TIMEDOUT || cc == CURLE_SEND_ERROR ||
			 cc == CURLE_RECV_ERROR || cc == CURLE_GOT_NOTHING || cc == CURLE_PARTIAL_FILE;
		r->timed_out = cc == CURLE_OPERATION_TIMEDOUT;
		snprintf(r->error, sizeof(r->error), "%s", curl_reason(cc));
		rc = -1;
	}
	curl_slist_free_all(headers);
	if (auth) {
		memset(auth, 0, strlen(auth));
		free(auth);
	}
	free(url);
	return rc;
}

/* Whether the answer refuses the gzipped body itself: an older server
 * (415, or a body it could not read as JSON). */
static bool gzip_refused(const struct sync_reply *r)
{
	if (r->status == 415)
		return true;
	struct sync_error e;
	if (r->status != 400 || !r->body.buf || sync_error_decode(r->body.buf, r->body.len, &e))
		return false;
	enum mc_err code = mc_err_from_wire(e.code);
	return code == MC_ERR_BAD_JSON || code == MC_ERR_BAD_ENCODING;
}

int sync_http_request(struct sync_http *h, const char *method, const char *path,
		      const char *body, struct sync_reply *r)
{
	size_t n = body ? strlen(body) : 0;
	if (!body || n < SYNC_GZIP_FROM || h->plain_bodies)
		return perform(h, method, path, body, n, false, NULL, NULL, r);
	struct strbuf z = STRBUF_INIT;
	mc_gzip(body, n, &z);
	int rc = perform(h, method, path, z.buf, z.len, true, NULL, NULL, r);
	strbuf_release(&z);
	if (!rc && gzip_refused(r)) {
		h->plain_bodies = true;
		sync_reply_release(r);
		rc = perform(h, method, path, body, n, false, NULL, NULL, r);
	}
	return rc;
}

int sync_http_send(struct sync_http *h, const char *method, const char *path,
		   const char *const *headers, const struct sync_file_body *file,
		   struct sync_reply *r)
{
	return perform(h, method, path, NULL, 0, false, headers, file, r);
}

char *sync_url_escape(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, "");
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    *p == '-' || *p == '.' || *p == '_' || *p == '~') {
			strbuf_addch(&sb, (char)*p);
		} else {
			strbuf_addch(&sb, '%');
			strbuf_addch(&sb, hex[*p >> 4]);
			strbuf_addch(&sb, hex[*p & 15]);
		}
	}
	return strbuf_detach(&sb);
}

bool sync_url_loopback(const char *url)
{
	size_t skip = !strncmp(url, "http://", 7) ? 7 : !strncmp(url, "https://", 8) ? 8 : 0;
	if (!skip)
		return false;
	char *host = xstrndup(url + skip, strcspn(url + skip, "/"));
	bool yes = false;
	if (strchr(host, '@')) {
		/* user@host: not ours to guess */
	} else if (host[0] == '[') {
		char *end = strchr(host, ']');
		if (end) {
			*end = '\0';
			yes = !strcmp(host + 1, "::1");
		}
	} else {
		char *colon = strchr(host, ':');
		if (colon)
			*colon = '\0';
		unsigned char a[4];
		yes = !strcasecmp(host, "localhost") ||
		      (inet_pton(AF_INET, host, a) == 1 && a[0] == 127);
	}
	free(host);
	return yes;
}

bool sync_url_secure(const char *url)
{
	return url && (!strncmp(url, "https://", 8) || sync_url_loopback(url));
}

bool sync_url_valid(const char *url, char **out)
{
	*out = NULL;
	if (!url)
		return false;
	size_t skip = !strncmp(url, "http://", 7) ? 7 : !strncmp(url, "https://", 8) ? 8 : 0;
	if (!skip || !url[skip] || url[skip] == '/' || url[skip] == ':')
		return false;
	if (!sync_url_secure(url))
		return false; /* the token and the citizens' data never go in clear */
	for (const unsigned char *p = (const unsigned char *)url; *p; p++)
		if (*p <= ' ' || *p >= 0x7f || *p == '?' || *p == '#' || *p == '\\')
			return false;
	size_t n = strlen(url);
	while (n > skip && url[n - 1] == '/')
		n--;
	*out = xstrndup(url, n);
	return true;
}
