/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "core/syncproto.h"
#include "core/text.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#define SYNC_STATUS_NAME(name, id) id,
static const char *const status_ids[] = { SYNC_STATUSES(SYNC_STATUS_NAME) };
#undef SYNC_STATUS_NAME

const char *sync_status_id(enum sync_status s)
{
	return (unsigned)s < SYNC_STATUS_COUNT ? status_ids[s] : "?";
}

int sync_status_from_id(const char *id)
{
	for (int i = 0; i < SYNC_STATUS_COUNT; i++)
		if (id && !strcmp(id, status_ids[i]))
			return i;
	return -1;
}

void sync_error_set(struct sync_error *e, enum mc_err err, const char *fmt, ...)
{
	if (!e)
		return;
	snprintf(e->code, sizeof(e->code), "%s", mc_err_wire(err));
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->message, sizeof(e->message), fmt, ap);
	va_end(ap);
	/* a long message cut inside a character would not be text any more:
	 * the server's error body (JSON) could not carry it */
	mc_text_cut_whole(e->message);
}

/* ---- lifetimes ------------------------------------------------------------ */

void sync_op_release(struct sync_op *op)
{
	FREE(&op->op_id);
	FREE(&op->entity);
	FREE(&op->entity_id);
	FREE(&op->op);
	FREE(&op->payload_hash);
	json_decref(op->payload);
	op->payload = NULL;
}

void sync_push_init(struct sync_push *p)
{
	memset(p, 0, sizeof(*p));
}

void sync_push_release(struct sync_push *p)
{
	for (size_t i = 0; i < p->nops; i++)
		sync_op_release(&p->ops[i]);
	free(p->ops);
	free(p->device_id);
	free(p->device_clock);
	sync_push_init(p);
}

void sync_push_response_init(struct sync_push_response *r)
{
	memset(r, 0, sizeof(*r));
}

void sync_push_response_release(struct sync_push_response *r)
{
	for (size_t i = 0; i < r->nresults; i++) {
		free(r->results[i].op_id);
		free(r->results[i].err_code);
		free(r->results[i].err_message);
	}
	free(r->results);
	for (size_t i = 0; i < r->nmissing; i++)
		free(r->missing_files[i]);
	free(r->missing_files);
	free(r->server_clock);
	free(r->last_applied_op);
	sync_push_response_init(r);
}

void sync_push_response_add_missing(struct sync_push_response *r, const char *sha256)
{
	r->missing_files = xrealloc(r->missing_files, (r->nmissing + 1) * sizeof(*r->missing_files));
	r->missing_files[r->nmissing++] = xstrdup(sha256);
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

void sync_push_response_add(struct sync_push_response *r, const char *op_id, enum sync_status st,
			    long long rev, const char *err_code, const char *err_message)
{
	if (r->nresults == r->alloc) {
		r->alloc = r->alloc ? 2 * r->alloc : 16;
		r->results = xrealloc(r->results, r->alloc * sizeof(*r->results));
	}
	struct sync_result *res = &r->results[r->nresults++];
	res->op_id = xstrdup(op_id);
	res->status = st;
	res->rev = rev;
	res->err_code = dup_or_null(err_code);
	res->err_message = dup_or_null(err_message);
}

void sync_changes_init(struct sync_changes *c)
{
	memset(c, 0, sizeof(*c));
}

void sync_changes_release(struct sync_changes *c)
{
	for (size_t i = 0; i < c->nchanges; i++) {
		free(c->changes[i].entity);
		free(c->changes[i].entity_id);
		json_decref(c->changes[i].data);
	}
	free(c->changes);
	free(c->next);
	sync_changes_init(c);
}

void sync_changes_add(struct sync_changes *c, long long seq, const char *entity,
		      const char *entity_id, long long rev, json_t *data)
{
	if (c->nchanges == c->alloc) {
		c->alloc = c->alloc ? 2 * c->alloc : 64;
		c->changes = xrealloc(c->changes, c->alloc * sizeof(*c->changes));
	}
	struct sync_change *ch = &c->changes[c->nchanges++];
	ch->seq = seq;
	ch->entity = xstrdup(entity);
	ch->entity_id = xstrdup(entity_id);
	ch->rev = rev;
	ch->data = json_incref(data);
}

/* ---- small checks ------------------------------------------------------------ */

bool sync_id_valid(const char *s)
{
	if (!s)
		return false;
	size_t n = strlen(s);
	if (n == 0 || n > SYNC_ID_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			  c == '.' || c == '_' || c == ':' || c == '-';
		if (!ok)
			return false;
	}
	return true;
}

bool sync_hash_valid(const char *s)
{
	if (!s || strlen(s) != SYNC_HASH_HEX)
		return false;
	for (const char *p = s; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return false;
	return true;
}

char *sync_canonical_json(const json_t *v)
{
	char *s = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
	if (!s)
		abort(); /* only on out of memory */
	return s;
}

void sync_payload_hash_text(const char *text, char out[SYNC_HASH_HEX + 1])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)text, strlen(text));
	sodium_bin2hex(out, SYNC_HASH_HEX + 1, h, sizeof(h));
}

void sync_payload_hash(const json_t *payload, char out[SYNC_HASH_HEX + 1])
{
	char *s = sync_canonical_json(payload);
	sync_payload_hash_text(s, out);
	free(s);
}

char *sync_payload_text(const json_t *payload)
{
	char *s = json_dumps(payload, JSON_COMPACT | JSON_ENCODE_ANY);
	if (!s)
		abort(); /* only on out of memory */
	return s;
}

bool sync_payload_hash_matches(const json_t *payload, const char *hash)
{
	char h[SYNC_HASH_HEX + 1];
	char *s = sync_payload_text(payload);
	sync_payload_hash_text(s, h);
	free(s);
	return hash && !strcmp(h, hash);
}

bool sync_payload_hash_ok(const json_t *payload, const char *hash)
{
	if (sync_payload_hash_matches(payload, hash))
		return true;
	char h[SYNC_HASH_HEX + 1];
	sync_payload_hash(payload, h);
	return !strcmp(h, hash);
}

/* ---- decoding helpers ------------------------------------------------------------ */

static json_t *load(const char *buf, size_t len, struct sync_error *e)
{
	json_error_t je;
	json_t *root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		sync_error_set(e, MC_ERR_BAD_JSON, "Nội dung không phải JSON hợp lệ (dòng %d, cột %d): %s",
			       je.line, je.column, je.text);
		return NULL;
	}
	if (!json_is_object(root)) {
		json_decref(root);
		sync_error_set(e, MC_ERR_BAD_JSON, "Nội dung JSON phải là một đối tượng {...}");
		return NULL;
	}
	return root;
}

/* A required string member (copied into *out), or an error naming it. */
static int get_str(const json_t *o, const char *key, bool required, char **out,
		   struct sync_error *e, const char *where)
{
	json_t *v = json_object_get(o, key);
	*out = NULL;
	if (!v || json_is_null(v)) {
		if (!required)
			return 0;
		sync_error_set(e, MC_ERR_BAD_REQUEST, "Thiếu trường \"%s\"%s", key, where);
		return -1;
	}
	if (!json_is_string(v)) {
		sync_error_set(e, MC_ERR_BAD_REQUEST, "Trường \"%s\"%s phải là chuỗi", key, where);
		return -1;
	}
	*out = xstrdup(json_string_value(v));
	return 0;
}

static int get_int(const json_t *o, const char *key, bool required, long long *out,
		   struct sync_error *e, const char *where)
{
	json_t *v = json_object_get(o, key);
	*out = 0;
	if (!v || json_is_null(v)) {
		if (!required)
			return 0;
		sync_error_set(e, MC_ERR_BAD_REQUEST, "Thiếu trường \"%s\"%s", key, where);
		return -1;
	}
	if (!json_is_integer(v)) {
		sync_error_set(e, MC_ERR_BAD_REQUEST, "Trường \"%s\"%s phải là số nguyên", key, where);
		return -1;
	}
	*out = json_integer_value(v);
	return 0;
}

static int decode_op(const json_t *o, size_t i, struct sync_op *op, struct sync_error *e)
{
	char where[48];
	snprintf(where, sizeof(where), " của thao tác thứ %zu", i + 1);
	memset(op, 0, sizeof(*op));
	if (!json_is_object(o)) {
		sync_error_set(e, MC_ERR_BAD_REQUEST, "Thao tác thứ %zu phải là một đối tượng", i + 1);
		return -1;
	}
	if (get_str(o, "op_id", true, &op->op_id, e, where) ||
	    get_str(o, "entity", true, &op->entity, e, where) ||
	    get_str(o, "entity_id", true, &op->entity_id, e, where) ||
	    get_str(o, "op", true, &op->op, e, where) ||
	    get_str(o, "payload_hash", true, &op->payload_hash, e, where) ||
	    get_int(o, "base_rev", false, &op->base_rev, e, where))
		return -1;
	if (!sync_id_valid(op->op_id) || !sync_id_valid(op->entity_id)) {
		sync_error_set(e, MC_ERR_BAD_REQUEST, "op_id và entity_id%s phải gồm 1 đến %d ký tự"
			       " A-Z a-z 0-9 . _ : -", where, SYNC_ID_MAX);
		return -1;
	}
	if (op->base_rev < 0) {
		sync_error_set(e, MC_ERR_BAD_REQUEST, "base_rev%s không được âm", where);
		return -1;
	}
	json_t *payload = json_object_get(o, "payload");
	if (!json_is_object(payload)) {
		sync_error_set(e, MC_ERR_BAD_REQUEST, "Trường \"payload\"%s phải là một đối tượng", where);
		return -1;
	}
	op->payload = json_incref(payload);
	return 0;
}

int sync_push_decode(const char *buf, size_t len, struct sync_push *p, struct sync_error *e)
{
	sync_push_init(p);
	json_t *root = load(buf, len, e);
	if (!root)
		return -1;
	json_t *ops = json_object_get(root, "ops");
	int rc = -1;
	if (get_str(root, "device_id", true, &p->device_id, e, "") ||
	    get_str(root, "device_clock", false, &p->device_clock, e, ""))
		goto out;
	if (!json_is_array(ops)) {
		sync_error_set(e, MC_ERR_BAD_REQUEST, "Trường \"ops\" phải là một mảng");
		goto out;
	}
	if (json_array_size(ops) > SYNC_MAX_OPS) {
		sync_error_set(e, MC_ERR_TOO_MANY_OPS, "Mỗi lần gửi tối đa %d thao tác (nhận %zu);"
			       " hãy chia nhỏ", SYNC_MAX_OPS, json_array_size(ops));
		goto out;
	}
	p->ops = xcalloc(json_array_size(ops) + 1, sizeof(*p->ops));
	for (size_t i = 0; i < json_array_size(ops); i++) {
		if (decode_op(json_array_get(ops, i), i, &p->ops[i], e)) {
			sync_op_release(&p->ops[i]);
			goto out;
		}
		p->nops++;
	}
	rc = 0;
out:
	json_decref(root);
	if (rc)
		sync_push_release(p);
	return rc;
}

static char *dump(json_t *root)
{
	char *s = json_dumps(root, JSON_COMPACT);
	json_decref(root);
	if (!s)
		abort();
	return s;
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

char *sync_push_encode(const struct sync_push *p)
{
	json_t *ops = json_array();
	for (size_t i = 0; i < p->nops; i++) {
		const struct sync_op *op = &p->ops[i];
		json_array_append_new(ops, json_pack("{s:s, s:s, s:s, s:I, s:s, s:O, s:s}",
						     "op_id", op->op_id, "entity", op->entity,
						     "entity_id", op->entity_id,
						     "base_rev", (json_int_t)op->base_rev,
						     "op", op->op, "payload", op->payload,
						     "payload_hash", op->payload_hash));
	}
	json_t *root = json_pack("{s:s, s:o, s:o}", "device_id", p->device_id,
				 "device_clock", str_or_null(p->device_clock), "ops", ops);
	return dump(root);
}

char *sync_push_response_encode(const struct sync_push_response *r)
{
	json_t *results = json_array();
	for (size_t i = 0; i < r->nresults; i++) {
		const struct sync_result *res = &r->results[i];
		json_t *o = json_pack("{s:s, s:s}", "op_id", res->op_id, "status",
				      sync_status_id(res->status));
		if (res->rev > 0)
			json_object_set_new(o, "rev", json_integer(res->rev));
		if (res->err_code)
			json_object_set_new(o, "error", json_pack("{s:s, s:s}", "code", res->err_code,
								  "message", res->err_message ? res->err_message : ""));
		json_array_append_new(results, o);
	}
	json_t *root = json_pack("{s:o, s:o, s:o}", "server_clock", str_or_null(r->server_clock),
				 "results", results, "last_applied_op",
				 str_or_null(r->last_applied_op));
	json_t *missing = json_array();
	for (size_t i = 0; i < r->nmissing; i++)
		json_array_append_new(missing, json_string(r->missing_files[i]));
	json_object_set_new(root, "missing_files", missing);
	return dump(root);
}

int sync_push_response_decode(const char *buf, size_t len, struct sync_push_response *r,
			      struct sync_error *e)
{
	sync_push_response_init(r);
	json_t *root = load(buf, len, e);
	if (!root)
		return -1;
	int rc = -1;
	json_t *results = json_object_get(root, "results");
	if (get_str(root, "server_clock", false, &r->server_clock, e, "") ||
	    get_str(root, "last_applied_op", false, &r->last_applied_op, e, ""))
		goto out;
	if (!json_is_array(results)) {
		sync_error_set(e, MC_ERR_BAD_RESPONSE, "Trường \"results\" phải là một mảng");
		goto out;
	}
	/* optional (a server before it sends none); a malformed name is skipped */
	json_t *missing = json_object_get(root, "missing_files");
	for (size_t i = 0; json_is_array(missing) && i < json_array_size(missing); i++) {
		const char *sha = json_string_value(json_array_get(missing, i));
		if (sha && sync_hash_valid(sha))
			sync_push_response_add_missing(r, sha);
	}
	for (size_t i = 0; i < json_array_size(results); i++) {
		json_t *o = json_array_get(results, i);
		char *op_id = NULL, *status = NULL, *code = NULL, *msg = NULL;
		long long rev = 0;
		json_t *err = json_object_get(o, "error");
		int bad = !json_is_object(o) || get_str(o, "op_id", true, &op_id, e, "") ||
			  get_str(o, "status", true, &status, e, "") ||
			  get_int(o, "rev", false, &rev, e, "");
		if (!bad && json_is_object(err))
			bad = get_str(err, "code", true, &code, e, "") ||
			      get_str(err, "message", false, &msg, e, "");
		int st = bad ? -1 : sync_status_from_id(status);
		if (!bad && st < 0)
			sync_error_set(e, MC_ERR_BAD_RESPONSE, "Trạng thái thao tác không rõ: %s", status);
		if (st >= 0)
			sync_push_response_add(r, op_id, (enum sync_status)st, rev, code, msg);
		free(op_id);
		free(status);
		free(code);
		free(msg);
		if (st < 0)
			goto out;
	}
	rc = 0;
out:
	json_decref(root);
	if (rc)
		sync_push_response_release(r);
	return rc;
}

char *sync_changes_encode(const struct sync_changes *c)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < c->nchanges; i++) {
		const struct sync_change *ch = &c->changes[i];
		json_array_append_new(arr, json_pack("{s:I, s:s, s:s, s:I, s:O}",
						     "seq", (json_int_t)ch->seq, "entity", ch->entity,
						     "entity_id", ch->entity_id, "rev", (json_int_t)ch->rev,
						     "data", ch->data));
	}
	json_t *root = json_pack("{s:o, s:o, s:I}", "changes", arr, "next", str_or_null(c->next),
				 "remaining", (json_int_t)c->remaining);
	return dump(root);
}

int sync_changes_decode(const char *buf, size_t len, struct sync_changes *c, struct sync_error *e)
{
	sync_changes_init(c);
	json_t *root = load(buf, len, e);
	if (!root)
		return -1;
	int rc = -1;
	json_t *arr = json_object_get(root, "changes");
	if (get_str(root, "next", true, &c->next, e, "") ||
	    get_int(root, "remaining", true, &c->remaining, e, ""))
		goto out;
	if (!json_is_array(arr)) {
		sync_error_set(e, MC_ERR_BAD_RESPONSE, "Trường \"changes\" phải là một mảng");
		goto out;
	}
	for (size_t i = 0; i < json_array_size(arr); i++) {
		json_t *o = json_array_get(arr, i);
		char *entity = NULL, *id = NULL;
		long long seq = 0, rev = 0;
		json_t *data = json_object_get(o, "data");
		int bad = !json_is_object(o) || get_int(o, "seq", true, &seq, e, "") ||
			  get_str(o, "entity", true, &entity, e, "") ||
			  get_str(o, "entity_id", true, &id, e, "") ||
			  get_int(o, "rev", true, &rev, e, "") || !data;
		if (!bad)
			sync_changes_add(c, seq, entity, id, rev, data);
		else if (!json_is_object(o) || !data)
			sync_error_set(e, MC_ERR_BAD_RESPONSE, "Thay đổi thứ %zu không hợp lệ", i + 1);
		free(entity);
		free(id);
		if (bad)
			goto out;
	}
	rc = 0;
out:
	json_decref(root);
	if (rc)
		sync_changes_release(c);
	return rc;
}

char *sync_error_body(const char *code, const char *message)
{
	return dump(json_pack("{s:{s:s, s:s}}", "error", "code", code, "message",
			      message ? message : ""));
}

int sync_error_decode(const char *buf, size_t len, struct sync_error *e)
{
	json_error_t je;
	json_t *root = json_loadb(buf, len, 0, &je);
	json_t *err = json_object_get(root, "error");
	const char *code = json_string_value(json_object_get(err, "code"));
	const char *msg = json_string_value(json_object_get(err, "message"));
	int rc = -1;
	if (code && *code) { /* an empty code is no error the server sent */
		snprintf(e->code, sizeof(e->code), "%s", code);
		snprintf(e->message, sizeof(e->message), "%s", msg ? msg : "");
		mc_text_cut_whole(e->code);
		mc_text_cut_whole(e->message);
		rc = 0;
	}
	json_decref(root);
	return rc;
}
