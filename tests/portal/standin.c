/* SPDX-License-Identifier: GPL-3.0-or-later */
/* standin: a stand-in for the National Public Service Portal (and, with
 * --gateway, the province's data-sharing gateway in front of it) for the
 * sync tests. It speaks the exchange format of docs/portal.md and enforces
 * its schemas (docs/portal/NAME.schema.json, read with core/jschema.h): a
 * message that does not validate is refused and counted.
 *
 *   standin --schemas DIR --state FILE [--port N] [--user U --password P]
 *           [--gateway --client-id ID --client-secret S] [--session-uses N]
 *
 * Listens on 127.0.0.1 (port 0: a free one, said on stderr as "standin:
 * listening on http://127.0.0.1:PORT"). Everything it accepts is appended
 * to the state file (JSON lines, flushed and fsynced before the answer) and
 * read again at start: killed and restarted, it remembers what it
 * acknowledged, but its session tokens are new.
 *
 * The portal:
 *   POST /auth         {"username","password"} -> {"error_code":0,"session"}
 *   POST /integration  {"session","madonvi","service",...}: DongBoHoSoMC,
 *                      CapNhatTienDoHoSoMC (per item: acknowledged, or
 *                      refused with a reason), LayHoSoTrucTuyen (the
 *                      online dossiers not confirmed yet),
 *                      XacNhanHoSoTrucTuyen. An unknown or expired session:
 *                      401 {"error_code":"401"}.
 *   GET /files/ID      a paper of an online dossier (header "session").
 * A message is identified by MaHoSo and SoThuTu: the same one again is a
 * duplicate (acknowledged again, counted once); the same identity with
 * another content is refused. SoThuTu must grow along a dossier (its chain
 * is MaHoSoDVCQG when given, else MaHoSo): one smaller than the last
 * accepted is refused as out of order.
 * With --gateway, POST /token (HTTP Basic client id:secret,
 * grant_type=client_credentials) gives a bearer token every other portal
 * path then requires.
 *
 * The tests' controls (no authentication):
 *   POST /admin/mode   {"fail500":N, "timeout":N, "timeout_ms":MS, "drop_ack":N,
 *                       "double":true|false, "expire_sessions":true}
 *                      the next N portal requests answer 500 / answer after
 *                      MS milliseconds (processed first) / are processed and
 *                      their connection closed without an answer; double
 *                      offers every online dossier twice in each answer and
 *                      again once after it was confirmed.
 *   POST /admin/online {"dossier": an online dossier without TaiLieuNop's
 *                       links, "files": [{"id","name","text"}]} -> {"MaHoSo"}
 *   GET /admin/stats   counts: received, duplicates, refused, requests...
 *   GET /admin/dossier/KEY  what it holds of a dossier (KEY: MaHoSo or
 *                       MaHoSoDVCQG): latest MaHoSo, TrangThaiHoSo,
 *                       NoiDungXuLy, last SoThuTu, messages.
 *   GET /admin/log     the accepted messages in order, one JSON line each:
 *                      {"chain","MaHoSo","SoThuTu","service","TrangThai"}.
 *   GET /admin/refusals the refusals, one JSON line each. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <jansson.h>
#include <microhttpd.h>
#include <sodium.h>

#include "core/jschema.h"
#include "core/xalloc.h"

#define MAX_BODY (8u << 20)

static const char *schemas_dir, *state_path;
static const char *user = "motcua", *password = "matkhau-cong";
static const char *client_id = "tinh", *client_secret = "bimat";
static bool gateway;
static int session_uses; /* 0: a session never expires */
static int port;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

/* schemas by service */
static json_t *schema_dossier, *schema_progress, *schema_fetch, *schema_confirm;

/* ---- state --------------------------------------------------------------------- */

struct chain {
	char *key;
	char *code;      /* latest MaHoSo */
	char *status;    /* latest TrangThaiHoSo / TrangThai */
	char *content;   /* latest NoiDungXuLy */
	long last_seq;
	int messages;
};

static json_t *messages;   /* "MaHoSo#SoThuTu" -> the item as accepted */
static json_t *log_lines;  /* array of log objects */
static json_t *refusals;   /* array of {service, MaHoSo, SoThuTu, reason} */
static json_t *online;     /* array of {item, files:[{id,name,text}], confirmed, offered_after} */
static struct chain *chains;
static size_t nchains;
static long n_received, n_duplicates, n_requests, n_sessions, n_offered, n_confirmed, n_gateway;
static char session_prefix[24];
static long session_next;
static json_t *sessions; /* token -> uses */
static json_t *bearers;  /* gateway tokens */

/* modes */
static int mode_fail500, mode_timeout, mode_drop_ack, mode_timeout_ms = 3000;
static bool mode_double;

static FILE *state_fp;
static bool unsynced;

/* Appends a line (taking the reference); sync_state makes it durable
 * before the answer goes out. */
static void persist(json_t *line)
{
	if (!state_fp) {
		json_decref(line);
		return;
	}
	char *text = json_dumps(line, JSON_COMPACT);
	fprintf(state_fp, "%s\n", text);
	free(text);
	json_decref(line);
	unsynced = true;
}

static void sync_state(void)
{
	if (!unsynced || !state_fp)
		return;
	fflush(state_fp);
	fdatasync(fileno(state_fp));
	unsynced = false;
}

static struct chain *chain_of(const char *key)
{
	for (size_t i = 0; i < nchains; i++)
		if (!strcmp(chains[i].key, key))
			return &chains[i];
	chains = xrealloc(chains, (nchains + 1) * sizeof(*chains));
	struct chain *c = &chains[nchains++];
	memset(c, 0, sizeof(*c));
	c->key = xstrdup(key);
	return c;
}

static void set_str(char **slot, const char *v)
{
	if (!v)
		return;
	free(*slot);
	*slot = xstrdup(v);
}

static const char *jstr(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static const char *chain_key(const json_t *item)
{
	const char *k = jstr(item, "MaHoSoDVCQG");
	return k && *k ? k : jstr(item, "MaHoSo");
}

/* Records an accepted message (at start, from the state file, too). */
static void accept_message(const char *service, const json_t *item, bool save)
{
	char key[160];
	snprintf(key, sizeof key, "%s#%s", jstr(item, "MaHoSo"), jstr(item, "SoThuTu"));
	json_object_set_new(messages, key, json_deep_copy(item));
	struct chain *c = chain_of(chain_key(item));
	long seq = strtol(jstr(item, "SoThuTu"), NULL, 10);
	if (seq > c->last_seq)
		c->last_seq = seq;
	c->messages++;
	set_str(&c->code, jstr(item, "MaHoSo"));
	set_str(&c->status, jstr(item, !strcmp(service, "DongBoHoSoMC") ? "TrangThaiHoSo" : "TrangThai"));
	set_str(&c->content, jstr(item, "NoiDungXuLy"));
	n_received++;
	json_array_append_new(log_lines, json_pack("{s:s, s:s, s:s, s:s, s:s}", "chain", c->key,
						   "MaHoSo", jstr(item, "MaHoSo"), "SoThuTu",
						   jstr(item, "SoThuTu"), "service", service, "TrangThai",
						   c->status ? c->status : ""));
	if (save)
		persist(json_pack("{s:s, s:s, s:O}", "t", "msg", "service", service, "item", item));
}

static void refuse_message(const char *service, const json_t *item, const char *reason, bool save)
{
	json_t *r = json_pack("{s:s, s:s, s:s, s:s}", "service", service, "MaHoSo",
			      jstr(item, "MaHoSo") ? jstr(item, "MaHoSo") : "", "SoThuTu",
			      jstr(item, "SoThuTu") ? jstr(item, "SoThuTu") : "", "reason", reason);
	json_array_append(refusals, r);
	if (save) {
		json_object_set_new(r, "t", json_string("refused"));
		persist(json_incref(r));
	}
	json_decref(r);
}

static void load_state(void)
{
	FILE *fp = fopen(state_path, "r");
	if (fp) {
		char *line = NULL;
		size_t cap = 0;
		while (getline(&line, &cap, fp) > 0) {
			json_t *j = json_loads(line, 0, NULL);
			if (!j)
				continue; /* a line cut by a kill */
			const char *t = jstr(j, "t");
			if (!strcmp(t, "msg"))
				accept_message(jstr(j, "service"), json_object_get(j, "item"), false);
			else if (!strcmp(t, "refused"))
				json_array_append(refusals, j);
			else if (!strcmp(t, "dup"))
				n_duplicates++;
			else if (!strcmp(t, "online"))
				json_array_append(online, json_object_get(j, "entry"));
			else if (!strcmp(t, "confirm")) {
				size_t i;
				json_t *o;
				json_array_foreach(online, i, o)
					if (!strcmp(jstr(json_object_get(o, "item"), "MaHoSo"), jstr(j, "MaHoSo"))) {
						json_object_set_new(o, "confirmed", json_true());
						n_confirmed++;
					}
			}
			json_decref(j);
		}
		free(line);
		fclose(fp);
	}
	state_fp = fopen(state_path, "a");
	if (!state_fp) {
		fprintf(stderr, "standin: %s: %s\n", state_path, strerror(errno));
		exit(1);
	}
}

/* ---- requests ---------------------------------------------------------------------- */

struct req {
	struct strbuf body;
	bool too_large;
};

static enum MHD_Result send_json(struct MHD_Connection *c, unsigned status, json_t *v)
{
	char *text = json_dumps(v, JSON_COMPACT);
	json_decref(v);
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(text), text,
								  MHD_RESPMEM_MUST_FREE);
	MHD_add_response_header(r, "Content-Type", "application/json; charset=utf-8");
	enum MHD_Result rc = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return rc;
}

static enum MHD_Result send_text(struct MHD_Connection *c, unsigned status, const char *ctype,
				 char *text, size_t n)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(n, text, MHD_RESPMEM_MUST_FREE);
	MHD_add_response_header(r, "Content-Type", ctype);
	enum MHD_Result rc = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return rc;
}

static enum MHD_Result error(struct MHD_Connection *c, unsigned status, const char *code,
			     const char *msg)
{
	return send_json(c, status, json_pack("{s:s, s:s}", "error_code", code, "message", msg));
}

static bool session_ok(const char *token)
{
	if (!token)
		return false;
	json_t *uses = json_object_get(sessions, token);
	if (!uses)
		return false;
	long n = (long)json_integer_value(uses) + 1;
	if (session_uses && n > session_uses) {
		json_object_del(sessions, token);
		return false;
	}
	json_object_set_new(sessions, token, json_integer(n));
	return true;
}

static bool bearer_ok(struct MHD_Connection *c)
{
	if (!gateway)
		return true;
	const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
	return h && !strncmp(h, "Bearer ", 7) && json_object_get(bearers, h + 7);
}

/* Validates item against the schema's $defs entry; 0 or -1 with the reason. */
static int check_item(const json_t *schema, const char *def, const json_t *item, struct strbuf *why)
{
	const json_t *s = json_object_get(json_object_get(schema, "$defs"), def);
	return mc_jschema_validate(s, schema, item, why);
}

/* DongBoHoSoMC and CapNhatTienDoHoSoMC. */
static json_t *publish(const char *service, const json_t *schema, const char *def, json_t *in)
{
	json_t *results = json_array();
	size_t i;
	json_t *item;
	json_array_foreach(json_object_get(in, "data"), i, item) {
		struct strbuf why = STRBUF_INIT;
		const char *code = jstr(item, "MaHoSo"), *seq = jstr(item, "SoThuTu");
		char key[160];
		snprintf(key, sizeof key, "%s#%s", code ? code : "", seq ? seq : "");
		const json_t *seen = json_object_get(messages, key);
		int rc = check_item(schema, def, item, &why);
		if (!rc && seen && !json_equal((json_t *)seen, item)) {
			strbuf_addstr(&why, "cùng MaHoSo và SoThuTu với một thông điệp đã nhận nhưng nội"
					    " dung khác");
			rc = -1;
		}
		if (!rc && !seen) {
			struct chain *c = chain_of(chain_key(item));
			if (strtol(seq, NULL, 10) <= c->last_seq) {
				strbuf_addf(&why, "sai thứ tự: SoThuTu %s sau %ld của hồ sơ %s", seq,
					    c->last_seq, c->key);
				rc = -1;
			}
		}
		json_t *r = json_pack("{s:s, s:s}", "MaHoSo", code ? code : "", "SoThuTu", seq ? seq : "");
		if (rc) {
			refuse_message(service, item, why.buf, true);
			json_object_set_new(r, "error_code", json_string("1"));
			json_object_set_new(r, "message", json_string(why.buf));
		} else {
			if (seen) {
				n_duplicates++;
				persist(json_pack("{s:s, s:s}", "t", "dup", "key", key));
			} else {
				accept_message(service, item, true);
			}
			json_object_set_new(r, "error_code", json_string("0"));
			json_object_set_new(r, "message", json_string(seen ? "Đã nhận trước đó" : "Thành công"));
		}
		json_array_append_new(results, r);
		strbuf_release(&why);
	}
	return json_pack("{s:s, s:s, s:o}", "error_code", "0", "message", "Thành công", "result", results);
}

static json_t *online_item_out(json_t *entry)
{
	json_t *item = json_deep_copy(json_object_get(entry, "item"));
	json_t *papers = json_array();
	size_t i;
	json_t *f;
	json_array_foreach(json_object_get(entry, "files"), i, f) {
		const char *text = jstr(f, "text");
		unsigned char h[crypto_hash_sha256_BYTES];
		char hex[2 * crypto_hash_sha256_BYTES + 1], size[24];
		crypto_hash_sha256(h, (const unsigned char *)text, strlen(text));
		sodium_bin2hex(hex, sizeof hex, h, sizeof h);
		snprintf(size, sizeof size, "%zu", strlen(text));
		char *url = xasprintf("http://127.0.0.1:%d/files/%s", port, jstr(f, "id"));
		json_t *p = json_pack("{s:s, s:s, s:s, s:s, s:s}", "TepDinhKemId", jstr(f, "id"),
				      "TenTepDinhKem", jstr(f, "name"), "DuongDanTaiTepTin", url,
				      "KichThuoc", size, "MaBam", hex);
		if (jstr(f, "component"))
			json_object_set_new(p, "MaThanhPhanHoSo", json_string(jstr(f, "component")));
		json_array_append_new(papers, p);
		free(url);
	}
	json_object_set_new(item, "TaiLieuNop", papers);
	return item;
}

static json_t *fetch(json_t *in)
{
	json_t *result = json_array();
	size_t i;
	json_t *o;
	json_array_foreach(online, i, o) {
		bool confirmed = json_is_true(json_object_get(o, "confirmed"));
		bool again = mode_double && confirmed && !json_is_true(json_object_get(o, "offered_again"));
		if (confirmed && !again)
			continue;
		if (again)
			json_object_set_new(o, "offered_again", json_true());
		int times = mode_double && !again ? 2 : 1;
		for (int k = 0; k < times; k++) {
			json_array_append_new(result, online_item_out(o));
			n_offered++;
		}
	}
	(void)in;
	return json_pack("{s:s, s:s, s:o}", "error_code", "0", "message", "Thành công", "result", result);
}

static json_t *confirm(json_t *in)
{
	size_t i, k;
	json_t *d, *o;
	json_array_foreach(json_object_get(in, "data"), i, d) {
		json_array_foreach(online, k, o) {
			if (strcmp(jstr(json_object_get(o, "item"), "MaHoSo"), jstr(d, "MaHoSo")))
				continue;
			if (!json_is_true(json_object_get(o, "confirmed"))) {
				json_object_set_new(o, "confirmed", json_true());
				n_confirmed++;
				persist(json_pack("{s:s, s:s}", "t", "confirm", "MaHoSo", jstr(d, "MaHoSo")));
			}
		}
	}
	return json_pack("{s:s, s:s}", "error_code", "0", "message", "Thành công");
}

/* What a portal request does; *drop: close without an answer. */
static enum MHD_Result integration(struct MHD_Connection *c, json_t *in, bool *drop)
{
	const char *service = jstr(in, "service");
	const json_t *schema = !service ? NULL
			       : !strcmp(service, "DongBoHoSoMC") ? schema_dossier
			       : !strcmp(service, "CapNhatTienDoHoSoMC") ? schema_progress
			       : !strcmp(service, "LayHoSoTrucTuyen") ? schema_fetch
			       : !strcmp(service, "XacNhanHoSoTrucTuyen") ? schema_confirm
									  : NULL;
	if (!schema)
		return error(c, 400, "400", "service không rõ");
	if (!session_ok(jstr(in, "session")))
		return error(c, 401, "401", "session không hợp lệ hoặc đã hết hạn");
	/* the envelope: validated without its items, which are answered one by one */
	struct strbuf why = STRBUF_INIT;
	json_t *env = json_deep_copy(in);
	bool items = json_object_get(in, "data") && (schema == schema_dossier || schema == schema_progress);
	if (items)
		json_object_set_new(env, "data", json_array());
	json_t *s = json_deep_copy(schema);
	if (items) /* an empty list stands for the items here */
		json_object_set_new(json_object_get(json_object_get(s, "properties"), "data"), "minItems",
				    json_integer(0));
	int rc = mc_jschema_validate(s, NULL, env, &why);
	json_decref(s);
	json_decref(env);
	if (rc) {
		size_t i;
		json_t *item;
		json_array_foreach(json_object_get(in, "data"), i, item)
			refuse_message(service, item, why.buf, true);
		if (!json_array_size(json_object_get(in, "data")))
			refuse_message(service, in, why.buf, true);
		enum MHD_Result r = error(c, 400, "400", why.buf);
		strbuf_release(&why);
		return r;
	}
	strbuf_release(&why);
	json_t *out = schema == schema_dossier ? publish(service, schema, "HoSo", in)
		      : schema == schema_progress ? publish(service, schema, "TienDo", in)
		      : schema == schema_fetch	  ? fetch(in)
						  : confirm(in);
	if (mode_drop_ack > 0) {
		mode_drop_ack--;
		json_decref(out);
		*drop = true;
		return MHD_NO;
	}
	return send_json(c, 200, out);
}

static enum MHD_Result admin(struct MHD_Connection *c, const char *method, const char *url,
			     json_t *in)
{
	if (!strcmp(url, "/admin/mode") && !strcmp(method, "POST")) {
		json_t *v;
		if ((v = json_object_get(in, "fail500")))
			mode_fail500 = (int)json_integer_value(v);
		if ((v = json_object_get(in, "timeout")))
			mode_timeout = (int)json_integer_value(v);
		if ((v = json_object_get(in, "timeout_ms")))
			mode_timeout_ms = (int)json_integer_value(v);
		if ((v = json_object_get(in, "drop_ack")))
			mode_drop_ack = (int)json_integer_value(v);
		if ((v = json_object_get(in, "double")))
			mode_double = json_is_true(v);
		if (json_is_true(json_object_get(in, "expire_sessions")))
			json_object_clear(sessions);
		return send_json(c, 200, json_pack("{s:i, s:i, s:i, s:b}", "fail500", mode_fail500,
						   "timeout", mode_timeout, "drop_ack", mode_drop_ack,
						   "double", mode_double));
	}
	if (!strcmp(url, "/admin/online") && !strcmp(method, "POST")) {
		json_t *d = json_object_get(in, "dossier"), *files = json_object_get(in, "files");
		if (!json_is_object(d) || !jstr(d, "MaHoSo") || (files && !json_is_array(files)))
			return error(c, 400, "400", "cần {\"dossier\": {...MaHoSo...}, \"files\": [...]}");
		json_t *entry = json_pack("{s:O, s:O, s:b}", "item", d, "files",
					  files ? files : json_array(), "confirmed", 0);
		json_array_append(online, entry);
		persist(json_pack("{s:s, s:o}", "t", "online", "entry", entry));
		return send_json(c, 200, json_pack("{s:s}", "MaHoSo", jstr(d, "MaHoSo")));
	}
	if (!strcmp(url, "/admin/stats")) {
		json_t *per = json_object();
		size_t i;
		json_t *l;
		json_array_foreach(log_lines, i, l) {
			const char *sv = jstr(l, "service");
			json_object_set_new(per, sv, json_integer(json_integer_value(json_object_get(per, sv)) + 1));
		}
		return send_json(c, 200, json_pack("{s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:o}",
						   "received", (int)n_received, "duplicates",
						   (int)n_duplicates, "refused", (int)json_array_size(refusals),
						   "requests", (int)n_requests, "sessions", (int)n_sessions,
						   "online", (int)json_array_size(online), "offered",
						   (int)n_offered, "confirmed", (int)n_confirmed, "gateway_tokens",
						   (int)n_gateway, "services", per));
	}
	if (!strncmp(url, "/admin/dossier/", 15)) {
		const char *key = url + 15;
		for (size_t i = 0; i < nchains; i++) {
			struct chain *ch = &chains[i];
			if (strcmp(ch->key, key) && !(ch->code && !strcmp(ch->code, key)))
				continue;
			return send_json(c, 200, json_pack("{s:s, s:s, s:s, s:s, s:i, s:i}", "chain", ch->key,
							   "MaHoSo", ch->code ? ch->code : "",
							   "TrangThaiHoSo", ch->status ? ch->status : "",
							   "NoiDungXuLy", ch->content ? ch->content : "",
							   "SoThuTu", (int)ch->last_seq, "messages",
							   ch->messages));
		}
		return error(c, 404, "404", "không có hồ sơ này");
	}
	if (!strcmp(url, "/admin/log") || !strcmp(url, "/admin/refusals")) {
		json_t *list = !strcmp(url, "/admin/log") ? log_lines : refusals;
		struct strbuf sb = STRBUF_INIT;
		size_t i;
		json_t *l;
		json_array_foreach(list, i, l) {
			char *t = json_dumps(l, JSON_COMPACT);
			strbuf_addstr(&sb, t);
			strbuf_addch(&sb, '\n');
			free(t);
		}
		size_t n = sb.len;
		return send_text(c, 200, "application/x-ndjson", n ? strbuf_detach(&sb) : xstrdup(""), n);
	}
	return error(c, 404, "404", "không có đường dẫn này");
}

/* A paper of an online dossier. */
static enum MHD_Result file(struct MHD_Connection *c, const char *id)
{
	if (!session_ok(MHD_lookup_connection_value(c, MHD_HEADER_KIND, "session")))
		return error(c, 401, "401", "session không hợp lệ hoặc đã hết hạn");
	size_t i, k;
	json_t *o, *f;
	json_array_foreach(online, i, o) json_array_foreach(json_object_get(o, "files"), k, f) {
		if (!strcmp(jstr(f, "id"), id)) {
			const char *text = jstr(f, "text");
			return send_text(c, 200, "application/pdf", xstrdup(text), strlen(text));
		}
	}
	return error(c, 404, "404", "không có tệp này");
}

static enum MHD_Result token(struct MHD_Connection *c)
{
	char *pass = NULL;
	char *u = MHD_basic_auth_get_username_password(c, &pass);
	bool ok = u && pass && !strcmp(u, client_id) && !strcmp(pass, client_secret);
	MHD_free(u);
	MHD_free(pass);
	if (!ok)
		return error(c, 401, "invalid_client", "client id hoặc secret sai");
	char tok[64];
	snprintf(tok, sizeof tok, "gw-%s-%ld", session_prefix, ++n_gateway);
	json_object_set_new(bearers, tok, json_true());
	return send_json(c, 200, json_pack("{s:s, s:s, s:i}", "access_token", tok, "token_type",
					   "Bearer", "expires_in", 3600));
}

static enum MHD_Result dispatch(struct MHD_Connection *c, const char *method, const char *url,
				const char *body, size_t len, bool *drop)
{
	json_t *in = len ? json_loadb(body, len, 0, NULL) : json_object();
	enum MHD_Result rc;
	if (!strncmp(url, "/admin/", 7)) {
		rc = admin(c, method, url, in ? in : json_null());
		json_decref(in);
		return rc;
	}
	n_requests++;
	if (!strcmp(url, "/token") && gateway) {
		json_decref(in);
		return token(c);
	}
	if (!bearer_ok(c)) {
		json_decref(in);
		return error(c, 401, "401", "thiếu hoặc sai mã truy cập của trục liên thông");
	}
	if (mode_fail500 > 0) {
		mode_fail500--;
		json_decref(in);
		return error(c, 500, "500", "lỗi máy chủ (giả lập)");
	}
	if (!strncmp(url, "/files/", 7) && !strcmp(method, "GET")) {
		json_decref(in);
		return file(c, url + 7);
	}
	if (!in || !json_is_object(in)) {
		json_decref(in);
		return error(c, 400, "400", "nội dung không phải JSON");
	}
	if (!strcmp(url, "/auth") && !strcmp(method, "POST")) {
		if (!jstr(in, "username") || !jstr(in, "password") || strcmp(jstr(in, "username"), user) ||
		    strcmp(jstr(in, "password"), password)) {
			json_decref(in);
			return send_json(c, 200, json_pack("{s:i, s:s}", "error_code", 1, "message",
							   "sai tên đăng nhập hoặc mật khẩu"));
		}
		char tok[64];
		snprintf(tok, sizeof tok, "s-%s-%ld", session_prefix, ++session_next);
		json_object_set_new(sessions, tok, json_integer(0));
		n_sessions++;
		json_decref(in);
		return send_json(c, 200, json_pack("{s:i, s:s}", "error_code", 0, "session", tok));
	}
	if (!strcmp(url, "/integration") && !strcmp(method, "POST")) {
		rc = integration(c, in, drop);
		json_decref(in);
		return rc;
	}
	json_decref(in);
	return error(c, 404, "404", "không có đường dẫn này");
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	(void)cls;
	(void)version;
	struct req *r = *con_cls;
	if (!r) {
		r = xcalloc(1, sizeof(*r));
		strbuf_init(&r->body);
		*con_cls = r;
		return MHD_YES;
	}
	if (*upload_size) {
		if (r->body.len + *upload_size > MAX_BODY)
			r->too_large = true;
		else
			strbuf_add(&r->body, upload, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	if (r->too_large)
		return error(c, 413, "413", "quá lớn");
	bool drop = false, slow = false;
	pthread_mutex_lock(&lock);
	if (strncmp(url, "/admin/", 7) && mode_timeout > 0) {
		mode_timeout--;
		slow = true;
	}
	int delay = mode_timeout_ms;
	enum MHD_Result rc;
	if (slow) {
		/* processed now, answered too late: the caller has given up */
		pthread_mutex_unlock(&lock);
		usleep((useconds_t)delay * 1000);
		pthread_mutex_lock(&lock);
	}
	rc = dispatch(c, method, url, r->body.buf ? r->body.buf : "", r->body.len, &drop);
	sync_state();
	pthread_mutex_unlock(&lock);
	return drop ? MHD_NO : rc;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)c;
	(void)toe;
	struct req *r = *con_cls;
	if (r) {
		strbuf_release(&r->body);
		free(r);
	}
	*con_cls = NULL;
}

static json_t *load_schema(const char *name)
{
	char *path = xasprintf("%s/%s", schemas_dir, name);
	json_error_t e;
	json_t *s = json_load_file(path, 0, &e);
	struct strbuf err = STRBUF_INIT;
	if (!s || mc_jschema_check(s, &err)) {
		fprintf(stderr, "standin: %s: %s\n", path, s ? err.buf : e.text);
		exit(1);
	}
	strbuf_release(&err);
	free(path);
	return s;
}

static volatile sig_atomic_t stop;
static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

int main(int argc, char **argv)
{
	int want_port = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--gateway")) {
			gateway = true;
			continue;
		}
		if (!v) {
			fprintf(stderr, "standin: %s needs a value\n", a);
			return 2;
		}
		i++;
		if (!strcmp(a, "--schemas"))
			schemas_dir = v;
		else if (!strcmp(a, "--state"))
			state_path = v;
		else if (!strcmp(a, "--port"))
			want_port = atoi(v);
		else if (!strcmp(a, "--user"))
			user = v;
		else if (!strcmp(a, "--password"))
			password = v;
		else if (!strcmp(a, "--client-id"))
			client_id = v;
		else if (!strcmp(a, "--client-secret"))
			client_secret = v;
		else if (!strcmp(a, "--session-uses"))
			session_uses = atoi(v);
		else {
			fprintf(stderr, "standin: unknown option %s\n", a);
			return 2;
		}
	}
	if (!schemas_dir || !state_path) {
		fputs("usage: standin --schemas DIR --state FILE [--port N] [--gateway]\n", stderr);
		return 2;
	}
	if (sodium_init() < 0)
		return 1;
	randombytes_buf(session_prefix, 8);
	for (int i = 0; i < 8; i++)
		session_prefix[i] = "abcdefghijklmnopqrstuvwxyz012345"[(unsigned char)session_prefix[i] % 32];
	session_prefix[8] = '\0';
	schema_dossier = load_schema("dongbohosomc.schema.json");
	schema_progress = load_schema("capnhattiendohosomc.schema.json");
	schema_fetch = load_schema("layhosotructuyen.schema.json");
	schema_confirm = load_schema("xacnhanhosotructuyen.schema.json");
	messages = json_object();
	log_lines = json_array();
	refusals = json_array();
	online = json_array();
	sessions = json_object();
	bearers = json_object();
	load_state();

	struct MHD_Daemon *d = MHD_start_daemon(
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION | MHD_USE_ERROR_LOG,
		(uint16_t)want_port, NULL, NULL, on_request, NULL, MHD_OPTION_NOTIFY_COMPLETED,
		on_completed, NULL, MHD_OPTION_SOCK_ADDR,
		(struct sockaddr *)&(struct sockaddr_in){ .sin_family = AF_INET,
							  .sin_port = htons((uint16_t)want_port),
							  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) },
		MHD_OPTION_END);
	if (!d) {
		fprintf(stderr, "standin: cannot listen on port %d\n", want_port);
		return 1;
	}
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	port = info ? info->port : want_port;
	fprintf(stderr, "standin: listening on http://127.0.0.1:%d\n", port);
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	while (!stop)
		pause();
	MHD_stop_daemon(d);
	fclose(state_fp);
	return 0;
}
