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
 */
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

int main(int argc, char **argv)
{
	if (argc < 2) {
	fputs("usage: synctool batch|action|actions|get|change|hash|slot|set|expand ...\n", stderr);
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
	fputs("usage: synctool batch|action|actions|get|change|hash|slot|set|expand ...\n", stderr);
	return 2;
}
