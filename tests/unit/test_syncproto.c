/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The sync protocol codec (core/syncproto.h): round trips, payload hashes,
 * and the stable error codes of malformed requests. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "tests/unit/fixtures.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/syncproto.h"

static void test_ids_and_hashes(void **state)
{
	(void)state;
	assert_true(sync_id_valid("0192f3c5-7a1b-7c2d-8e3f-123456789abc"));
	assert_true(sync_id_valid("dev_1:a.b"));
	assert_false(sync_id_valid(""));
	assert_false(sync_id_valid(NULL));
	assert_false(sync_id_valid("../etc"));
	assert_false(sync_id_valid("a b"));
	char big[80];
	memset(big, 'a', 65);
	big[65] = '\0';
	assert_false(sync_id_valid(big));
	big[64] = '\0';
	assert_true(sync_id_valid(big));

	/* the canonical text sorts keys; the outbox text keeps member order */
	json_t *p = json_pack("{s:s, s:i, s:s}", "z", "Nguyễn", "a", 1, "m", "x/y");
	char *canon = sync_canonical_json(p);
	assert_string_equal(canon, "{\"a\":1,\"m\":\"x/y\",\"z\":\"Nguyễn\"}");
	char h1[SYNC_HASH_HEX + 1], h2[SYNC_HASH_HEX + 1];
	sync_payload_hash(p, h1);
	sync_payload_hash_text(canon, h2);
	assert_string_equal(h1, h2);
	assert_true(sync_hash_valid(h1));
	assert_true(sync_payload_hash_ok(p, h1));
	char *ordered = json_dumps(p, JSON_COMPACT);
	assert_string_equal(ordered, "{\"z\":\"Nguyễn\",\"a\":1,\"m\":\"x/y\"}");
	sync_payload_hash_text(ordered, h2);
	assert_string_not_equal(h1, h2);
	assert_true(sync_payload_hash_ok(p, h2));
	/* SHA-256 of "abc" */
	sync_payload_hash_text("abc", h2);
	assert_string_equal(h2, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	assert_false(sync_payload_hash_ok(p, h2));
	assert_false(sync_hash_valid("BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD"));
	assert_false(sync_hash_valid("abc"));
	free(canon);
	free(ordered);
	json_decref(p);
}

static void test_push_round_trip(void **state)
{
	(void)state;
	struct sync_push in;
	sync_push_init(&in);
	in.device_id = xstrdup("dev-1");
	in.device_clock = xstrdup("2025-10-27T09:40:00+07:00");
	in.ops = xcalloc(2, sizeof(*in.ops));
	for (int i = 0; i < 2; i++) {
		struct sync_op *op = &in.ops[i];
		op->op_id = xasprintf("op-%d", i);
		op->entity = xstrdup("dossier");
		op->entity_id = xasprintf("d-%d", i);
		op->base_rev = i;
		op->op = xstrdup(i ? "action" : "receive");
		op->payload = json_pack("{s:s}", "id", op->entity_id);
		op->payload_hash = xmalloc(SYNC_HASH_HEX + 1);
		sync_payload_hash(op->payload, op->payload_hash);
		in.nops++;
	}
	char *text = sync_push_encode(&in);
	struct sync_push out;
	struct sync_error e;
	assert_int_equal(sync_push_decode(text, strlen(text), &out, &e), 0);
	assert_string_equal(out.device_id, "dev-1");
	assert_string_equal(out.device_clock, "2025-10-27T09:40:00+07:00");
	assert_int_equal(out.nops, 2);
	assert_string_equal(out.ops[1].op_id, "op-1");
	assert_string_equal(out.ops[1].op, "action");
	assert_int_equal(out.ops[1].base_rev, 1);
	assert_true(sync_payload_hash_ok(out.ops[1].payload, in.ops[1].payload_hash));
	free(text);
	sync_push_release(&in);
	sync_push_release(&out);
}

static void expect_push_error(const char *text, const char *code)
{
	struct sync_push p;
	struct sync_error e = { "", "" };
	assert_int_equal(sync_push_decode(text, strlen(text), &p, &e), -1);
	assert_string_equal(e.code, code);
	assert_true(strlen(e.message) > 0);
	assert_int_equal(p.nops, 0);
	assert_null(p.ops);
}

static void test_push_errors(void **state)
{
	(void)state;
	expect_push_error("", "bad_json");
	expect_push_error("{\"device_id\":", "bad_json");
	expect_push_error("[]", "bad_json");
	expect_push_error("{\"device_id\":\"d\",\"device_id\":\"e\",\"ops\":[]}", "bad_json");
	expect_push_error("{\"ops\":[]}", "bad_request");
	expect_push_error("{\"device_id\":5,\"ops\":[]}", "bad_request");
	expect_push_error("{\"device_id\":\"d\",\"ops\":{}}", "bad_request");
	expect_push_error("{\"device_id\":\"d\",\"ops\":[1]}", "bad_request");
	expect_push_error("{\"device_id\":\"d\",\"ops\":[{\"op_id\":\"a\",\"entity\":\"dossier\","
			  "\"entity_id\":\"x\",\"op\":\"receive\",\"payload_hash\":\"h\",\"payload\":[]}]}",
			  "bad_request");
	expect_push_error("{\"device_id\":\"d\",\"ops\":[{\"op_id\":\"a b\",\"entity\":\"dossier\","
			  "\"entity_id\":\"x\",\"op\":\"receive\",\"payload_hash\":\"h\",\"payload\":{}}]}",
			  "bad_request");
	expect_push_error("{\"device_id\":\"d\",\"ops\":[{\"op_id\":\"a\",\"entity\":\"dossier\","
			  "\"entity_id\":\"x\",\"op\":\"receive\",\"base_rev\":-1,\"payload_hash\":\"h\","
			  "\"payload\":{}}]}", "bad_request");
	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, "{\"device_id\":\"d\",\"ops\":[");
	for (int i = 0; i <= SYNC_MAX_OPS; i++)
		strbuf_addstr(&sb, i ? ",{}" : "{}");
	strbuf_addstr(&sb, "]}");
	expect_push_error(sb.buf, "too_many_ops");
	strbuf_release(&sb);
}

static void test_response_and_changes(void **state)
{
	(void)state;
	struct sync_push_response r;
	sync_push_response_init(&r);
	r.server_clock = xstrdup("2025-10-27T09:40:02+07:00");
	sync_push_response_add(&r, "a", SYNC_APPLIED, 1, NULL, NULL);
	sync_push_response_add(&r, "b", SYNC_CONFLICT, 0, "code_taken", "Mã hồ sơ đã được dùng");
	char *text = sync_push_response_encode(&r);
	assert_non_null(strstr(text, "\"last_applied_op\":null"));
	struct sync_push_response back;
	struct sync_error e;
	assert_int_equal(sync_push_response_decode(text, strlen(text), &back, &e), 0);
	assert_int_equal(back.nresults, 2);
	assert_int_equal(back.results[0].status, SYNC_APPLIED);
	assert_int_equal(back.results[0].rev, 1);
	assert_null(back.results[0].err_code);
	assert_int_equal(back.results[1].status, SYNC_CONFLICT);
	assert_string_equal(back.results[1].err_code, "code_taken");
	assert_string_equal(back.results[1].err_message, "Mã hồ sơ đã được dùng");
	assert_null(back.last_applied_op);
	free(text);
	sync_push_response_release(&r);
	sync_push_response_release(&back);
	const char *bad = "{\"results\":[{\"op_id\":\"a\",\"status\":\"maybe\"}]}";
	assert_int_equal(sync_push_response_decode(bad, strlen(bad), &back, &e), -1);

	struct sync_changes c;
	sync_changes_init(&c);
	json_t *d = json_pack("{s:s}", "code", "01");
	sync_changes_add(&c, 7, "unit", "01", 1, d);
	json_decref(d);
	c.next = xstrdup("ep.7.sc");
	c.remaining = 3;
	text = sync_changes_encode(&c);
	struct sync_changes cb;
	assert_int_equal(sync_changes_decode(text, strlen(text), &cb, &e), 0);
	assert_int_equal(cb.nchanges, 1);
	assert_int_equal(cb.changes[0].seq, 7);
	assert_string_equal(cb.changes[0].entity, "unit");
	assert_string_equal(json_string_value(json_object_get(cb.changes[0].data, "code")), "01");
	assert_string_equal(cb.next, "ep.7.sc");
	assert_int_equal(cb.remaining, 3);
	free(text);
	sync_changes_release(&c);
	sync_changes_release(&cb);

	char *err = sync_error_body("cursor_expired", "Con trỏ đồng bộ không còn hiệu lực");
	assert_int_equal(sync_error_decode(err, strlen(err), &e), 0);
	assert_string_equal(e.code, "cursor_expired");
	assert_string_equal(e.message, "Con trỏ đồng bộ không còn hiệu lực");
	free(err);
	assert_int_equal(sync_error_decode("{}", 2, &e), -1);
	assert_int_equal(sync_status_from_id("duplicate"), SYNC_DUPLICATE);
	assert_int_equal(sync_status_from_id("nope"), -1);
	assert_string_equal(sync_status_id(SYNC_REJECTED), "rejected");
}

TESTS_MAIN(test_ids_and_hashes, test_push_round_trip, test_push_errors,
	     test_response_and_changes)
