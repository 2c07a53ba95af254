/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The client's HTTP transport (libcurl): JSON requests to motcua-server with
 * the device token, certificate verification on (a CA file may be given),
 * timeouts by progress rather than total time, and a cancel flag that aborts
 * a transfer at once (the TUI's worker when the program quits).
 *
 *	struct sync_http h;
 *	sync_http_init(&h, "https://motcua.example.vn", token, NULL);
 *	struct sync_reply r;
 *	sync_http_request(&h, "POST", "/api/v1/sync/push", body, &r);
 *	... r.status (0: no answer, r.error says why), r.body ...
 *	sync_reply_release(&r);
 *	sync_http_release(&h);
 */
#ifndef MC_SYNC_HTTP_H
#define MC_SYNC_HTTP_H
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/xalloc.h"

/* Progress-based timeouts: a transfer slower than SYNC_LOW_SPEED bytes/s for
 * SYNC_LOW_SPEED_TIME seconds is cut, however long it runs in total. */
#define SYNC_CONNECT_TIMEOUT 20
#define SYNC_LOW_SPEED 1
#define SYNC_LOW_SPEED_TIME 30
#define SYNC_MAX_REPLY (64u << 20) /* bytes of one answer */

struct sync_http {
	void *curl;             /* CURL * */
	char *base;             /* "https://host:port", no trailing slash */
	char *token;            /* NULL: no Authorization header */
	char *ca_file;          /* NULL: the system's CAs */
	const atomic_int *cancel; /* when set and non-zero, transfers stop */
	long low_speed_time;    /* seconds; SYNC_LOW_SPEED_TIME unless changed */
	unsigned long long bytes_up, bytes_down; /* totals of this handle */
	bool plain_bodies;      /* the server took no gzipped body: send them plain */
	int server_protocol;    /* the sync protocol the server said it speaks
				 * (core/syncproto.h; 0: not known yet) */
};

/* Request bodies at least this long go gzipped (Content-Encoding: gzip);
 * answers are asked for gzipped (Accept-Encoding) and inflated by curl. A
 * server that refuses a gzipped body (400 bad_json, 415: one older than
 * compression) gets it again plain, and every later one plain. */
#define SYNC_GZIP_FROM 256

struct sync_reply {
	long status;      /* HTTP status; 0 when there was no answer */
	struct strbuf body;
	struct strbuf headers; /* the answer's header lines ("Name: value\r\n") */
	long long sent;   /* request body bytes that left (a cut one: those before the cut) */
	bool cancelled;   /* stopped by the cancel flag */
	bool cut;         /* no answer: the link was cut mid-way or timed out
			   * (not a refused connection, not a bad address) */
	bool timed_out;   /* of those, the stall timeout (nothing moved) */
	double seconds;   /* the whole exchange, answered or not */
	char error[256];  /* no answer: why, in Vietnamese */
};

void sync_http_init(struct sync_http *h, const char *base, const char *token, const char *ca_file);
void sync_http_release(struct sync_http *h);

/* One request; body (JSON) may be NULL. Returns 0 when the server answered
 * (any status, r->status), -1 when it did not (r->error). r is initialised
 * here; release it with sync_reply_release. */
int sync_http_request(struct sync_http *h, const char *method, const char *path,
		      const char *body, struct sync_reply *r);
void sync_reply_release(struct sync_reply *r);

/* The body of a file upload: len bytes of the open file fd from offset. */
struct sync_file_body {
	int fd;
	long long offset, len;
};

/* Like sync_http_request, with extra request headers (NULL-terminated
 * "Name: value" strings, may be NULL) and, when file is not NULL, a body
 * read from the file (Content-Type given in headers). For tus (PATCH, HEAD
 * on uploads). */
int sync_http_send(struct sync_http *h, const char *method, const char *path,
		   const char *const *headers, const struct sync_file_body *file,
		   struct sync_reply *r);

/* The value of the answer's header name (any letter case), or NULL. malloc'd. */
char *sync_reply_header(const struct sync_reply *r, const char *name);

/* The query-string form of s (RFC 3986 unreserved characters kept). */
char *sync_url_escape(const char *s);

/* Whether url is https://, or http:// to this machine (127.0.0.0/8, ::1,
 * localhost), with a host, and nothing after the path but an optional
 * trailing slash; the normalised form (no trailing slash) in *out
 * (malloc'd). */
bool sync_url_valid(const char *url, char **out);
/* Whether url's host is this machine (127.0.0.0/8, [::1], localhost). */
bool sync_url_loopback(const char *url);
/* Whether url is https://, or http:// to this machine: nothing else carries
 * a token or a citizen's data. */
bool sync_url_secure(const char *url);

#endif
