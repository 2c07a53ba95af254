/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The server's request layer without a database (server/http.c, files.c,
 * push.c): a request as text,
 *
 *   METHOD PATH\n  Name: value\n ...  \n  body
 *
 * goes through what the server does before it asks PostgreSQL: the path's
 * sanity and its route in the served table (the query's from and to as
 * the indicators read them; an error answer quoting the request's bytes), a gzipped body inflated
 * (Content-Encoding: gzip), a tus Upload-Metadata header read, and a push
 * body decoded with each operation through the checks that need no
 * database (hash, kind, the kind's own checks: every unit, status, number
 * and date of a receive, an action, a reassignment, an attachment, a
 * visit, an online acceptance). Whatever is refused is refused with a
 * stable code that answers 4xx, never 5xx. */
#include "tests/fuzz/fuzz.h"

#include <strings.h>

#include "core/errors.h"
#include "core/gzip.h"
#include "core/indicators.h"
#include "core/syncproto.h"
#include "core/text.h"
#include "core/xalloc.h"
#include "server/api.h"
#include "server/ops.h"

#define BODY_MAX (8u << 20)

/* An error answer made of msg must be JSON (server/http.c aborts on one
 * it cannot write, which would stop the server). */
static void error_answer(enum mc_err code, const char *msg)
{
	json_t *v = http_error_json(code, msg);
	FUZZ_CHECK(v);
	char *s = json_dumps(v, JSON_COMPACT);
	FUZZ_CHECK(s);
	free(s);
	json_decref(v);
}

/* %XX decoded in place, as MHD gives query arguments to the handlers. */
static void unescape(char *s)
{
	char *w = s;
	for (char *p = s; *p; p++) {
		unsigned v;
		if (*p == '%' && sscanf(p + 1, "%2x", &v) == 1 && p[1] && p[2] && p[1] != ' ' &&
		    p[1] != '+' && p[1] != '-') {
			*w++ = (char)v;
			p += 2;
		} else {
			*w++ = *p;
		}
	}
	*w = '\0';
}

/* The query's from and to, as GET /api/v1/indicators reads them: a refusal
 * quotes them in its message. */
static void query(char *q)
{
	const char *from = NULL, *to = NULL;
	for (char *save = NULL, *kv = strtok_r(q, "&", &save); kv; kv = strtok_r(NULL, "&", &save)) {
		char *eq = strchr(kv, '=');
		if (!eq)
			continue;
		*eq = '\0';
		unescape(eq + 1);
		if (!strcmp(kv, "from"))
			from = eq + 1;
		else if (!strcmp(kv, "to"))
			to = eq + 1;
	}
	struct mc_ind_period per;
	struct strbuf err = STRBUF_INIT;
	if (mc_ind_period_parse(&per, from, to, &err)) {
		char *msg = xasprintf("\"from\", \"to\": %s", err.buf ? err.buf : "");
		error_answer(MC_ERR_BAD_REQUEST, msg);
		free(msg);
	}
	strbuf_release(&err);
}

static void route(const char *method, const char *path)
{
	if (!http_path_sane(path))
		return;
	FUZZ_CHECK(path[0] == '/' && !strstr(path, "//") && !strstr(path, "/../"));
	size_t n;
	const struct route *table = server_routes(&n);
	char allow[64];
	bool known;
	const struct route *rt = http_route_find(table, n, method, path, allow, sizeof(allow), &known);
	if (rt) {
		FUZZ_CHECK(!strcmp(rt->method, method) ||
			   (!strcmp(method, "HEAD") && !strcmp(rt->method, "GET")));
		FUZZ_CHECK(rt->fn || rt->stream);
	} else if (known) {
		FUZZ_CHECK(allow[0]);
		char *msg = xasprintf("Phương thức %s không dùng được cho đường dẫn này", method);
		error_answer(MC_ERR_METHOD_NOT_ALLOWED, msg);
		free(msg);
	}
}

static void metadata(const char *md)
{
	char sha[SYNC_HASH_HEX + 2], name[256];
	if (!tus_metadata_get(md, "sha256", sha, sizeof(sha)))
		FUZZ_CHECK(strlen(sha) < sizeof(sha));
	if (!tus_metadata_get(md, "filename", name, sizeof(name)))
		FUZZ_CHECK(strlen(name) < sizeof(name));
}

static void op_checked(const struct sync_op *op)
{
	struct outcome o;
	if (push_op_check(op, &o))
		return;
	FUZZ_CHECK(o.status == SYNC_REJECTED || o.status == SYNC_CONFLICT);
	FUZZ_CHECK(o.code != MC_ERR_INTERNAL && !o.db_failed);
	FUZZ_CHECK(mc_err_wire(o.code) && o.message[0]);
	/* the message goes into the push's answer as a JSON string */
	FUZZ_CHECK(mc_text_valid(o.message));
	int st = mc_err_status(o.code);
	FUZZ_CHECK(st >= 400 && st < 500);
}

static void push(const char *body, size_t len)
{
	struct sync_push p;
	struct sync_error e;
	if (sync_push_decode(body, len, &p, &e)) {
		int st = mc_err_status(mc_err_from_wire(e.code));
		FUZZ_CHECK(st >= 400 && st < 500);
		/* answered by respond_error, as a JSON string */
		FUZZ_CHECK(mc_text_valid(e.message));
		return;
	}
	for (size_t i = 0; i < p.nops; i++) {
		struct sync_op *op = &p.ops[i];
		op_checked(op);
		/* again with its hash made right: the kind's own checks are reached
		 * by every mutation of the payload, not only by the rare one that
		 * keeps its hash */
		char hash[SYNC_HASH_HEX + 1];
		sync_payload_hash(op->payload, hash);
		if (strcmp(hash, op->payload_hash)) {
			free(op->payload_hash);
			op->payload_hash = xstrdup(hash);
			op_checked(op);
		}
	}
	sync_push_release(&p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_string(data, size);
	char *end = memchr(text, '\n', size);
	if (!end) {
		free(text);
		return 0;
	}
	*end = '\0';
	char *sp = strchr(text, ' ');
	const char *method = text;
	char *path = sp ? sp + 1 : text + strlen(text);
	if (sp)
		*sp = '\0';
	char *q = strchr(path, '?');
	if (q) { /* MHD gives the path without its query */
		*q = '\0';
		query(q + 1);
	}
	route(method, path);
	bool gzipped = false;
	char *p = end + 1;
	const char *rest_end = text + size;
	while (p < rest_end) {
		char *nl = memchr(p, '\n', (size_t)(rest_end - p));
		if (!nl || nl == p) { /* the empty line: the body follows */
			p = nl ? nl + 1 : p;
			break;
		}
		*nl = '\0';
		if (!strncasecmp(p, "Upload-Metadata: ", 17))
			metadata(p + 17);
		else if (!strcasecmp(p, "Content-Encoding: gzip"))
			gzipped = true;
		p = nl + 1;
	}
	const char *body = p < rest_end ? p : "";
	size_t len = p < rest_end ? (size_t)(rest_end - p) : 0;
	struct strbuf plain = STRBUF_INIT;
	if (gzipped) {
		enum mc_gunzip_rc rc = mc_gunzip(body, len, BODY_MAX, &plain);
		if (rc != MC_GUNZIP_OK) {
			FUZZ_CHECK(rc == MC_GUNZIP_TOO_LARGE || rc == MC_GUNZIP_BAD);
			strbuf_release(&plain);
			free(text);
			return 0;
		}
		FUZZ_CHECK(plain.len <= BODY_MAX);
		body = plain.buf ? plain.buf : "";
		len = plain.len;
	}
	push(body, len);
	strbuf_release(&plain);
	free(text);
	return 0;
}
