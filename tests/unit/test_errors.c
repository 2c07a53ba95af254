/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The error table (core/errors.h): every code's wire name maps back to it,
 * names are unique, statuses are HTTP error statuses (0 only for the
 * client's own codes), the sentences are there; the push answers' conflicts
 * are the ones docs/api.md lists, written out here by hand. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "tests/unit/fixtures.h"

#include <string.h>

#include "core/errors.h"

static void test_round_trip(void **state)
{
	(void)state;
	for (int e = MC_ERR_NONE + 1; e < MC_ERR_UNKNOWN; e++) {
		const char *w = mc_err_wire(e);
		assert_true(w && *w);
		assert_int_equal(mc_err_from_wire(w), e);
		for (const char *p = w; *p; p++)
			assert_true((*p >= 'a' && *p <= 'z') || *p == '_');
		for (int f = e + 1; f < MC_ERR_UNKNOWN; f++)
			assert_string_not_equal(w, mc_err_wire(f));
		int st = mc_err_status(e);
		assert_true(st == 0 || (st >= 400 && st <= 599));
		assert_true(strlen(mc_err_text(e)) > 10);
	}
}

static void test_lookup_edges(void **state)
{
	(void)state;
	assert_int_equal(mc_err_from_wire(NULL), MC_ERR_NONE);
	assert_int_equal(mc_err_from_wire(""), MC_ERR_NONE);
	assert_int_equal(mc_err_from_wire("no_such_code"), MC_ERR_UNKNOWN);
	assert_int_equal(mc_err_from_wire("STALE_REV"), MC_ERR_UNKNOWN); /* names are exact */
	assert_int_equal(mc_err_from_wire("unknown"), MC_ERR_UNKNOWN);
	assert_string_equal(mc_err_wire(MC_ERR_UNKNOWN), "unknown");
	assert_string_equal(mc_err_wire((enum mc_err)1000), "unknown");
	assert_int_equal(mc_err_status(MC_ERR_NONE), 0);
}

static void test_known_codes(void **state)
{
	(void)state;
	assert_int_equal(mc_err_from_wire("stale_rev"), MC_ERR_STALE_REV);
	assert_int_equal(mc_err_from_wire("code_taken"), MC_ERR_CODE_TAKEN);
	assert_int_equal(mc_err_from_wire("out_of_scope"), MC_ERR_OUT_OF_SCOPE);
	assert_int_equal(mc_err_from_wire("leases_exhausted"), MC_ERR_LEASES_EXHAUSTED);
	assert_int_equal(mc_err_status(MC_ERR_DB_UNAVAILABLE), 503);
	assert_int_equal(mc_err_status(MC_ERR_TOO_MANY_OPS), 413);
	assert_int_equal(mc_err_status(MC_ERR_CURSOR_EXPIRED), 410);
	assert_int_equal(mc_err_status(MC_ERR_HTTP), 0);
}

static void test_conflicts(void **state)
{
	(void)state;
	static const char *const conflicts[] = { "op_id_reused", "code_taken", "dossier_exists",
						 "stale_rev", "event_exists", "document_mismatch" };
	static const char *const rejections[] = { "bad_hash", "bad_payload", "unknown_op",
						  "out_of_scope", "unknown_dossier",
						  "unknown_component", "invalid_transition",
						  "status_mismatch", "forbidden", "bad_clerk" };
	for (size_t i = 0; i < sizeof(conflicts) / sizeof(conflicts[0]); i++)
		assert_true(mc_err_conflict(mc_err_from_wire(conflicts[i])));
	for (size_t i = 0; i < sizeof(rejections) / sizeof(rejections[0]); i++) {
		enum mc_err e = mc_err_from_wire(rejections[i]);
		assert_int_not_equal(e, MC_ERR_UNKNOWN);
		assert_false(mc_err_conflict(e));
	}
}

TESTS_MAIN(test_round_trip, test_lookup_edges, test_known_codes, test_conflicts)
