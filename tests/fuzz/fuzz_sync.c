/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The sync protocol's decoders (core/syncproto.h): a push (what the server
 * reads from a workstation), a push's answer and a page of changes (what
 * the workstation reads from the server), an error body. The first byte
 * picks the decoder; the rest is the body. What decodes must encode and
 * decode again to the same counts (the encoder writes what the decoder
 * reads). */
#include "tests/fuzz/fuzz.h"

#include "core/syncproto.h"
#include "core/text.h"

/* An error as the server answers it (server/http.c's respond_error): its
 * message must be text that JSON can carry. */
static void error_sendable(const struct sync_error *e)
{
	FUZZ_CHECK(e->code[0] && mc_text_valid(e->code) && mc_text_valid(e->message));
	char *body = sync_error_body(e->code, e->message);
	free(body);
}

static void push(const char *buf, size_t len)
{
	struct sync_push p;
	struct sync_error e;
	if (sync_push_decode(buf, len, &p, &e)) {
		error_sendable(&e);
		return;
	}
	for (size_t i = 0; i < p.nops; i++) {
		FUZZ_CHECK(sync_id_valid(p.ops[i].op_id));
		sync_payload_hash_ok(p.ops[i].payload, p.ops[i].payload_hash);
	}
	char *text = sync_push_encode(&p);
	struct sync_push again;
	FUZZ_CHECK(!sync_push_decode(text, strlen(text), &again, &e));
	FUZZ_CHECK(again.nops == p.nops);
	for (size_t i = 0; i < p.nops; i++)
		FUZZ_CHECK(!strcmp(again.ops[i].payload_hash, p.ops[i].payload_hash));
	sync_push_release(&again);
	free(text);
	sync_push_release(&p);
}

static void response(const char *buf, size_t len)
{
	struct sync_push_response r;
	struct sync_error e;
	if (sync_push_response_decode(buf, len, &r, &e)) {
		error_sendable(&e);
		return;
	}
	char *text = sync_push_response_encode(&r);
	struct sync_push_response again;
	FUZZ_CHECK(!sync_push_response_decode(text, strlen(text), &again, &e));
	FUZZ_CHECK(again.nresults == r.nresults && again.nmissing == r.nmissing);
	sync_push_response_release(&again);
	free(text);
	sync_push_response_release(&r);
}

static void changes(const char *buf, size_t len)
{
	struct sync_changes c;
	struct sync_error e;
	if (sync_changes_decode(buf, len, &c, &e)) {
		error_sendable(&e);
		return;
	}
	char *text = sync_changes_encode(&c);
	struct sync_changes again;
	FUZZ_CHECK(!sync_changes_decode(text, strlen(text), &again, &e));
	FUZZ_CHECK(again.nchanges == c.nchanges);
	sync_changes_release(&again);
	free(text);
	sync_changes_release(&c);
}

static void error_body(const char *buf, size_t len)
{
	struct sync_error e;
	if (sync_error_decode(buf, len, &e))
		return;
	error_sendable(&e);
	char *text = sync_error_body(e.code, e.message);
	struct sync_error again;
	FUZZ_CHECK(!sync_error_decode(text, strlen(text), &again));
	FUZZ_CHECK(!strcmp(again.code, e.code));
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	const char *buf = (const char *)data + 1;
	size_t len = size - 1;
	switch (data[0] % 4) {
	case 0: push(buf, len); break;
	case 1: response(buf, len); break;
	case 2: changes(buf, len); break;
	default: error_body(buf, len); break;
	}
	return 0;
}
