/* SPDX-License-Identifier: GPL-3.0-or-later */
/* synctool: a small client-side helper for the sync tests, built on the same
 * codec the client uses (core/syncproto.h).
 *
 *   synctool batch key=value...   a push request of receive operations
 *       device=ID unit=CODE ident=IDENT count=N [start=1] [prefix=p]
 *       [day=251027] [name=NAME] [form=compact]
 *     op i (0-based) has op_id PREFIX-op-<start+i>, dossier id
 *     PREFIX-d-<start+i> and code IDENT-DAY-<start+i>; name changes the
 *     applicant's name (same ids, another payload hash); form=compact
 *     sends each dossier in the compact form (core/dossier_doc.h).
 *   synctool action key=value...  a push request of one status change, as the
 *       client writes it: device=ID dossier=ID op=OPID event=EVID action=NAME
 *       base_rev=N [status_to=N] [from=N] [code=CODE] [appointment=DT]
 *   synctool actions key=value... a push request of one status change for
 *       each of count dossiers PREFIX-d-<start+i> (as batch makes them):
 *       device=ID prefix=P count=N [start=1] action=NAME base_rev=N
 *       [status_to=N] [tag=T]: op ids PREFIX-T-op-<i>, event ids PREFIX-T-ev-<i>
 *   synctool get PATH < json      prints the value at PATH (a.b.0.c; "#" is an
 *                                 array's length); strings raw, others compact
 *   synctool change ID < page    the data of the last change of entity ID in
 *                                 a page of the feed (compact JSON); exit 1
 *                                 when the page has none
 *   synctool hash < json          the payload hash of the JSON on stdin (the
 *                                 SHA-256 of its compact text, member order)
 *   synctool slot DEVICE          the device's fallback slot (core/dcode.h)
 *   synctool expand PROCFILE < request   the request with its compact
 *                                 dossiers made whole from the procedure in
 *                                 PROCFILE (its JSON) and every payload_hash again
 *   synctool set PATH=JSON... < request   a push request with values set (a
 *                                 path as for get; the last member is created
 *                                 when missing, an index one past an array's
 *                                 end appends) and every payload_hash again
 *   synctool mutate seed=N count=N dir=DIR url=URL token=T < requests
 *       count push requests mutated from the valid ones on stdin (one a
 *       line), deterministically from seed, into DIR/mNNNNN; prints a curl
 *       config (curl -K) that posts each and writes "STATUS mNNNNN" a line.
 *       Mutations: bytes (flipped, set, cut, inserted, doubled, truncated:
 *       broken JSON and UTF-8) or fields (a member or element replaced by an
 *       absurd value, removed, doubled), most with fresh op ids and their
 *       payload_hash made again, so that they reach the server's checks.
 */
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/dcode.h"
#include "core/dossier_doc.h"
#include "core/syncproto.h"

static const char *arg(int argc, char **argv, const char *key, const char *def)
{
	size_t n = strlen(key);
	for (int i = 2; i < argc; i++)
		if (!strncmp(argv[i], key, n) && argv[i][n] == '=')
			return argv[i] + n + 1;
	if (!def) {
		fprintf(stderr, "synctool: missing %s=\n", key);
		exit(2);
	}
	return def;
}

/* A dossier exactly as client/services/reception.c writes it into its outbox row. */
static json_t *dossier(const char *id, const char *code, const char *unit, const char *ident,
		       const char *name, const char *evid)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:i, s:s, s:s,"
			 " s:{s:i, s:s, s:s, s:s, s:s, s:s, s:n, s:s, s:s}, s:n, s:i, s:s,"
			 " s:[{s:i, s:s, s:s, s:b, s:i, s:i, s:i, s:i, s:n}],"
			 " s:{s:s, s:s, s:s, s:i, s:i, s:s, s:s, s:s, s:{s:s, s:[]}}}",
			 "id", id, "code", code, "procedure_code", "1.001193",
			 "procedure_name", "Thủ tục đăng ký khai sinh", "unit_code", unit,
			 "unit_ident", ident, "clerk", "canbo", "channel", 1, "status", 2,
			 "received_at", "2025-10-27T09:32", "appointment", "2025-11-03T09:32",
			 "applicant", "kind", 1, "full_name", name, "id_number", "001090012345",
			 "birth_date", "1990-05-01", "sex", "F", "phone", "0912345678", "email",
			 "address", "12 Phố Điện Biên Phủ", "commune", unit,
			 "note", "rev", 1, "updated_at", "2025-10-27T09:32",
			 "components", "seq", 1, "name", "Tờ khai đăng ký khai sinh", "kind", "submit",
			 "mandatory", 1, "originals_required", 1, "copies_required", 0,
			 "originals", 1, "copies", 0, "override_reason",
			 "event", "id", evid, "dossier_id", id, "kind", "receive", "status_from", 1,
			 "status_to", 2, "actor", "canbo", "unit_code", unit,
			 "device_time", "2025-10-27T09:32", "payload", "code", code, "overrides");
}

static void add_op(json_t *ops, const char *op_id, const char *entity_id, long long base_rev,
		   const char *op, json_t *payload)
{
	char hash[SYNC_HASH_HEX + 1];
	char *text = sync_payload_text(payload);
	sync_payload_hash_text(text, hash);
	free(text);
	json_array_append_new(ops, json_pack("{s:s, s:s, s:s, s:I, s:s, s:o, s:s}", "op_id", op_id,
					     "entity", "dossier", "entity_id", entity_id,
					     "base_rev", (json_int_t)base_rev, "op", op,
					     "payload", payload, "payload_hash", hash));
}

static int print_request(const char *device, json_t *ops)
{
	json_t *root = json_pack("{s:s, s:s, s:o}", "device_id", device, "device_clock",
				 "2025-10-27T09:40:00+07:00", "ops", ops);
	char *s = json_dumps(root, JSON_COMPACT);
	puts(s);
	free(s);
	json_decref(root);
	return 0;
}

static int cmd_batch(int argc, char **argv)
{
	const char *device = arg(argc, argv, "device", NULL);
	const char *unit = arg(argc, argv, "unit", NULL);
	const char *ident = arg(argc, argv, "ident", NULL);
	long count = atol(arg(argc, argv, "count", NULL));
	long start = atol(arg(argc, argv, "start", "1"));
	const char *prefix = arg(argc, argv, "prefix", "p");
	const char *day = arg(argc, argv, "day", "251027");
	const char *name = arg(argc, argv, "name", "Nguyễn Văn An");
	bool compact = !strcmp(arg(argc, argv, "form", "full"), "compact");
	json_t *ops = json_array();
	for (long i = 0; i < count; i++) {
		char op_id[80], id[80], code[96], ev[80];
		snprintf(op_id, sizeof(op_id), "%s-op-%06ld", prefix, start + i);
		snprintf(id, sizeof(id), "%s-d-%06ld", prefix, start + i);
		snprintf(ev, sizeof(ev), "%s-ev-%06ld", prefix, start + i);
		snprintf(code, sizeof(code), "%s-%s-%04ld", ident, day, start + i);
		json_t *doc = dossier(id, code, unit, ident, name, ev);
		if (compact) {
			json_t *c = dossier_doc_compact_json(doc);
			json_decref(doc);
			doc = c;
		}
		add_op(ops, op_id, id, 0, "receive", doc);
	}
	return print_request(device, ops);
}

/* A status change exactly as the client writes it (client/services/demo.c advance):
 * op = the action, payload {id, status, rev, updated_at, event{...}}. */
static int cmd_action(int argc, char **argv)
{
	const char *device = arg(argc, argv, "device", NULL);
	const char *id = arg(argc, argv, "dossier", NULL);
	const char *action = arg(argc, argv, "action", NULL);
	long long base = atoll(arg(argc, argv, "base_rev", "1"));
	int to = atoi(arg(argc, argv, "status_to", "0"));
	int from = atoi(arg(argc, argv, "from", "0"));
	json_t *event = json_pack("{s:s, s:s, s:s}", "id", arg(argc, argv, "event", NULL),
				  "dossier_id", id, "kind", action);
	if (from)
		json_object_set_new(event, "status_from", json_integer(from));
	if (to)
		json_object_set_new(event, "status_to", json_integer(to));
	json_object_set_new(event, "actor", json_string("canbo"));
	json_object_set_new(event, "unit_code", json_string("00004"));
	json_object_set_new(event, "device_time", json_string("2025-10-28T10:00"));
	json_object_set_new(event, "payload", json_pack("{s:s}", "code", arg(argc, argv, "code", "?")));
	json_t *payload = json_pack("{s:s}", "id", id);
	if (to)
		json_object_set_new(payload, "status", json_integer(to));
	json_object_set_new(payload, "rev", json_integer(base + 1));
	json_object_set_new(payload, "updated_at", json_string("2025-10-28T10:00"));
	const char *app = arg(argc, argv, "appointment", "");
	if (*app)
		json_object_set_new(payload, "appointment", json_string(app));
	json_object_set_new(payload, "event", event);
	json_t *ops = json_array();
	add_op(ops, arg(argc, argv, "op", NULL), id, base, action, payload);
	return print_request(device, ops);
}

static int cmd_actions(int argc, char **argv)
{
	const char *device = arg(argc, argv, "device", NULL);
	const char *prefix = arg(argc, argv, "prefix", "p");
	const char *action = arg(argc, argv, "action", NULL);
	const char *tag = arg(argc, argv, "tag", action);
	long count = atol(arg(argc, argv, "count", NULL));
	long start = atol(arg(argc, argv, "start", "1"));
	long long base = atoll(arg(argc, argv, "base_rev", "1"));
	int to = atoi(arg(argc, argv, "status_to", "0"));
	json_t *ops = json_array();
	for (long i = 0; i < count; i++) {
		char id[80], op[96], ev[96];
		snprintf(id, sizeof id, "%s-d-%06ld", prefix, start + i);
		snprintf(op, sizeof op, "%s-%s-op-%06ld", prefix, tag, start + i);
		snprintf(ev, sizeof ev, "%s-%s-ev-%06ld", prefix, tag, start + i);
		json_t *event = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:{s:n}}", "id", ev, "dossier_id",
					  id, "kind", action, "actor", "canbo", "unit_code", "00004",
					  "device_time", "2025-10-28T10:00", "payload", "reason");
		if (to)
			json_object_set_new(event, "status_to", json_integer(to));
		json_t *payload = json_pack("{s:s, s:I, s:s, s:o}", "id", id, "rev", (json_int_t)(base + 1),
					    "updated_at", "2025-10-28T10:00", "event", event);
		if (to)
			json_object_set_new(payload, "status", json_integer(to));
		add_op(ops, op, id, base, action, payload);
	}
	return print_request(device, ops);
}

static json_t *read_stdin(void)
{
	json_error_t je;
	json_t *v = json_loadf(stdin, JSON_DECODE_ANY, &je);
	if (!v) {
		fprintf(stderr, "synctool: stdin is not JSON: %s\n", je.text);
		exit(1);
	}
	return v;
}

static int cmd_get(const char *path)
{
	json_t *root = read_stdin();
	json_t *v = root;
	char *copy = strdup(path);
	for (char *tok = strtok(copy, "."); tok && v; tok = strtok(NULL, ".")) {
		if (!strcmp(tok, "#") && json_is_array(v)) {
			printf("%zu\n", json_array_size(v));
			v = NULL;
			goto done;
		}
		v = json_is_array(v) ? json_array_get(v, strtoul(tok, NULL, 10)) : json_object_get(v, tok);
	}
	if (!v) {
		puts("");
		free(copy);
		json_decref(root);
		return 1;
	}
	if (json_is_string(v)) {
		puts(json_string_value(v));
	} else {
		char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		puts(s);
		free(s);
	}
done:
	free(copy);
	json_decref(root);
	return 0;
}

/* Prints the request with every payload_hash made again; frees root. */
static int print_rehashed(json_t *root)
{
	size_t i;
	json_t *op;
	json_array_foreach(json_object_get(root, "ops"), i, op) {
		char h[SYNC_HASH_HEX + 1];
		char *text = sync_payload_text(json_object_get(op, "payload"));
		sync_payload_hash_text(text, h);
		free(text);
		json_object_set_new(op, "payload_hash", json_string(h));
	}
	char *s = json_dumps(root, JSON_COMPACT);
	puts(s);
	free(s);
	json_decref(root);
	return 0;
}

/* The request on stdin with each PATH=JSON of argv set, each operation's
 * payload_hash made again: forged or absurd fields with a true hash. */
static int cmd_set(int argc, char **argv)
{
	json_t *root = read_stdin();
	for (int i = 2; i < argc; i++) {
		char *copy = strdup(argv[i]);
		char *eq = strchr(copy, '=');
		if (!eq) {
			fprintf(stderr, "synctool: set PATH=JSON, not %s\n", argv[i]);
			return 2;
		}
		*eq = '\0';
		json_error_t je;
		json_t *val = json_loads(eq + 1, JSON_DECODE_ANY, &je);
		if (!val) {
			fprintf(stderr, "synctool: %s is not JSON: %s\n", eq + 1, je.text);
			return 2;
		}
		char *last = strrchr(copy, '.');
		json_t *v = root;
		if (last) {
			*last++ = '\0';
			for (char *tok = strtok(copy, "."); tok && v; tok = strtok(NULL, "."))
				v = json_is_array(v) ? json_array_get(v, strtoul(tok, NULL, 10))
						     : json_object_get(v, tok);
		} else {
			last = copy;
		}
		if (json_is_array(v) && strtoul(last, NULL, 10) == json_array_size(v))
			json_array_append_new(v, val);
		else if (json_is_array(v))
			json_array_set_new(v, strtoul(last, NULL, 10), val);
		else if (json_is_object(v))
			json_object_set_new(v, last, val);
		else {
			fprintf(stderr, "synctool: no such path %s\n", argv[i]);
			return 2;
		}
		free(copy);
	}
	return print_rehashed(root);
}

/* The request on stdin with its compact dossiers made whole from the
 * procedure in the file (its JSON as the server keeps it), as a workstation
 * that knew that catalog wrote them into its outbox. */
static int cmd_expand(const char *procfile)
{
	json_error_t je;
	json_t *proc = json_load_file(procfile, 0, &je);
	if (!proc) {
		fprintf(stderr, "synctool: %s: %s\n", procfile, je.text);
		return 2;
	}
	size_t n;
	struct dossier_doc_component *cat = dossier_doc_catalog(proc, &n);
	json_t *root = read_stdin();
	size_t i;
	json_t *op;
	json_array_foreach(json_object_get(root, "ops"), i, op)
		json_object_set_new(op, "payload",
				    dossier_doc_expand_json(json_object_get(op, "payload"), cat, n, NULL));
	free(cat);
	json_decref(proc);
	return print_rehashed(root);
}

/* ---- mutate ---------------------------------------------------------------- */

static uint64_t rng_state;

static uint64_t rnd(void)
{
	/* xorshift64*: the same sequence for the same seed, everywhere */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1DULL;
}

static size_t below(size_t n)
{
	return n ? (size_t)(rnd() % n) : 0;
}

/* A value no field expects. */
static json_t *absurd(void)
{
	static const char *const strs[] = {
		"", "x", "'; DROP TABLE dossiers; --", "H01.00004-251207-0999", "H01.00008-251201-0001",
		"99999", "00008", "9999-99-99T99:99", "2020-01-01T00:00", "-1", "1e999", "null",
		"receive", "result-ready", "../../etc/passwd", "\\u0000", "Nguyễn Văn An",
		"000000000000000000000000000000000000000000000000000000000000000g",
	};
	static const long long ints[] = { 0, -1, 1, 2, 10, 11, 255, 65536, 2147483647LL, 2147483648LL,
					  3000000000LL, 899999999LL, 999998999LL, 1LL << 53,
					  -(1LL << 53), 9223372036854775807LL };
	switch (below(10)) {
	case 0: case 1: case 2:
		return json_integer(ints[below(sizeof ints / sizeof *ints)]);
	case 3: case 4: case 5:
		return json_string(strs[below(sizeof strs / sizeof *strs)]);
	case 6: {
		size_t n = 1 + below(20000);
		char *b = malloc(n + 1);
		memset(b, 'a' + (int)below(26), n);
		b[n] = '\0';
		json_t *v = json_string(b);
		free(b);
		return v;
	}
	case 7: {
		/* a NUL inside a string: valid JSON, no database text holds it */
		return json_stringn("ab\0cd", 5);
	}
	case 8: {
		json_t *v = json_array(), *cur = v;
		size_t depth = below(64);
		for (size_t i = 0; i < depth; i++) {
			json_t *in = json_array();
			json_array_append_new(cur, in);
			cur = in;
		}
		return v;
	}
	default:
		switch (below(5)) {
		case 0: return json_null();
		case 1: return json_true();
		case 2: return json_object();
		case 3: return json_real(1e308);
		default: return json_real(-0.5);
		}
	}
}

/* Every container of the tree, to pick one from. */
static void containers(json_t *v, json_t ***all, size_t *n)
{
	if (!json_is_object(v) && !json_is_array(v))
		return;
	*all = realloc(*all, (*n + 1) * sizeof(**all));
	(*all)[(*n)++] = v;
	const char *k;
	json_t *c;
	size_t i;
	if (json_is_object(v)) {
		json_object_foreach(v, k, c)
			containers(c, all, n);
	} else {
		json_array_foreach(v, i, c)
			containers(c, all, n);
	}
}

static void mutate_field(json_t *root)
{
	json_t **all = NULL;
	size_t n = 0;
	containers(root, &all, &n);
	json_t *v = all[below(n)];
	free(all);
	size_t size = json_is_object(v) ? json_object_size(v) : json_array_size(v);
	int what = (int)below(10);
	if (json_is_object(v)) {
		const char *key = NULL;
		size_t k = below(size + 1), i = 0;
		const char *kk;
		json_t *c;
		json_object_foreach(v, kk, c) {
			if (i++ == k)
				key = kk;
		}
		if (!key || what == 9) { /* a member nobody expects */
			json_object_set_new(v, key && what == 9 ? "extra" : "status", absurd());
		} else if (what == 8) {
			json_object_del(v, key);
		} else {
			json_object_set_new(v, key, absurd());
		}
	} else {
		size_t k = below(size + 1);
		if (what == 8 && size)
			json_array_remove(v, below(size));
		else if (what == 9 && size)
			json_array_append(v, json_array_get(v, below(size)));
		else if (k < size)
			json_array_set_new(v, k, absurd());
		else
			json_array_append_new(v, absurd());
	}
}

static char *mutate_bytes(const char *text)
{
	size_t len = strlen(text), cap = len * 2 + 64;
	char *b = malloc(cap);
	memcpy(b, text, len);
	for (size_t r = 1 + below(4); r > 0 && len > 0; r--) {
		size_t at = below(len);
		switch (below(6)) {
		case 0: b[at] ^= (char)(1 << below(8)); break;
		case 1: b[at] = (char)(unsigned char)below(256); break;
		case 2: {
			size_t k = 1 + below(len - at < 64 ? len - at : 64);
			memmove(b + at, b + at + k, len - at - k);
			len -= k;
			break;
		}
		case 3: {
			size_t k = 1 + below(8);
			if (len + k >= cap)
				break;
			memmove(b + at + k, b + at, len - at);
			for (size_t i = 0; i < k; i++)
				b[at + i] = (char)(unsigned char)(i % 2 ? 0xff : below(256));
			len += k;
			break;
		}
		case 4: {
			size_t k = 1 + below(len - at < 256 ? len - at : 256);
			if (len + k >= cap)
				break;
			memmove(b + at + k, b + at, len - at);
			len += k;
			break;
		}
		default:
			len = at;
			break;
		}
	}
	b[len] = '\0';
	return b;
}

static void rehash(json_t *root)
{
	size_t i;
	json_t *op;
	json_array_foreach(json_object_get(root, "ops"), i, op) {
		json_t *p = json_object_get(op, "payload");
		if (!json_is_object(p))
			continue;
		char h[SYNC_HASH_HEX + 1];
		char *text = sync_payload_text(p);
		sync_payload_hash_text(text, h);
		free(text);
		json_object_set_new(op, "payload_hash", json_string(h));
	}
}

static int cmd_mutate(int argc, char **argv)
{
	unsigned long long seed = strtoull(arg(argc, argv, "seed", NULL), NULL, 10);
	long count = atol(arg(argc, argv, "count", NULL));
	const char *dir = arg(argc, argv, "dir", NULL);
	const char *url = arg(argc, argv, "url", NULL);
	const char *token = arg(argc, argv, "token", NULL);
	rng_state = seed * 0x9E3779B97F4A7C15ULL + 1;
	char **seeds = NULL;
	size_t nseeds = 0;
	char line[1 << 16];
	while (fgets(line, sizeof line, stdin)) {
		line[strcspn(line, "\n")] = '\0';
		if (!*line)
			continue;
		seeds = realloc(seeds, (nseeds + 1) * sizeof(*seeds));
		seeds[nseeds++] = strdup(line);
	}
	if (!nseeds) {
		fputs("synctool: mutate needs valid requests on stdin\n", stderr);
		return 2;
	}
	for (long m = 0; m < count; m++) {
		const char *from = seeds[below(nseeds)];
		json_t *root = json_loads(from, 0, NULL);
		if (!root) {
			fprintf(stderr, "synctool: a seed is not JSON: %.60s\n", from);
			return 2;
		}
		/* fresh op ids (and event ids) mostly: each reaches the checks */
		size_t i;
		json_t *op;
		json_array_foreach(json_object_get(root, "ops"), i, op) {
			if (below(10) == 0)
				continue;
			char id[96];
			snprintf(id, sizeof id, "mut-%llu-%ld-%zu", seed, m, i);
			json_object_set_new(op, "op_id", json_string(id));
			json_t *ev = json_object_get(json_object_get(op, "payload"), "event");
			if (json_is_object(ev) && below(4)) {
				snprintf(id, sizeof id, "mut-ev-%llu-%ld-%zu", seed, m, i);
				json_object_set_new(ev, "id", json_string(id));
			}
		}
		char *text;
		if (below(10) < 4) {
			rehash(root);
			char *valid = json_dumps(root, JSON_COMPACT);
			text = mutate_bytes(valid);
			free(valid);
		} else {
			for (size_t k = 1 + below(3); k > 0; k--)
				mutate_field(root);
			if (below(4))
				rehash(root);
			text = json_dumps(root, JSON_COMPACT);
		}
		json_decref(root);
		char *path = NULL;
		if (asprintf(&path, "%s/m%05ld", dir, m) < 0)
			return 1;
		FILE *f = fopen(path, "wb");
		if (!f || fwrite(text, 1, strlen(text), f) != strlen(text) || fclose(f)) {
			fprintf(stderr, "synctool: cannot write %s\n", path);
			return 1;
		}
		printf("url = \"%s\"\nheader = \"Authorization: Bearer %s\"\n"
		       "header = \"Content-Type: application/json\"\ndata-binary = \"@%s\"\n"
		       "output = \"/dev/null\"\nmax-time = 60\n"
		       "write-out = \"%%{http_code} m%05ld\\n\"\n%s", url, token, path, m,
		       m + 1 < count ? "next\n" : "");
		free(path);
		free(text);
	}
	for (size_t k = 0; k < nseeds; k++)
		free(seeds[k]);
	free(seeds);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
	fputs("usage: synctool batch|action|actions|get|change|hash|slot|set|expand|mutate ...\n", stderr);
		return 2;
	}
	if (!strcmp(argv[1], "batch"))
		return cmd_batch(argc, argv);
	if (!strcmp(argv[1], "action"))
		return cmd_action(argc, argv);
	if (!strcmp(argv[1], "actions"))
		return cmd_actions(argc, argv);
	if (!strcmp(argv[1], "get") && argc == 3)
		return cmd_get(argv[2]);
	if (!strcmp(argv[1], "change") && argc == 3) {
		json_t *page = read_stdin();
		const json_t *found = NULL;
		size_t i;
		json_t *ch;
		json_array_foreach(json_object_get(page, "changes"), i, ch)
			if (!strcmp(json_string_value(json_object_get(ch, "entity_id")) ?: "", argv[2]))
				found = json_object_get(ch, "data");
		if (found) {
			char *text = json_dumps(found, JSON_COMPACT | JSON_ENCODE_ANY);
			puts(text);
			free(text);
		}
		json_decref(page);
		return found ? 0 : 1;
	}
	if (!strcmp(argv[1], "set"))
		return cmd_set(argc, argv);
	if (!strcmp(argv[1], "mutate"))
		return cmd_mutate(argc, argv);
	if (!strcmp(argv[1], "expand") && argc == 3)
		return cmd_expand(argv[2]);
	if (!strcmp(argv[1], "slot") && argc == 3) {
		printf("%ld\n", mc_dcode_fallback_slot(argv[2]));
		return 0;
	}
	if (!strcmp(argv[1], "hash")) {
		json_t *v = read_stdin();
		char h[SYNC_HASH_HEX + 1];
		char *text = sync_payload_text(v);
		sync_payload_hash_text(text, h);
		free(text);
		puts(h);
		json_decref(v);
		return 0;
	}
	fputs("usage: synctool batch|action|actions|get|change|hash|slot|set|expand|mutate ...\n", stderr);
	return 2;
}
