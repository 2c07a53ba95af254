/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The fee of a dossier (core/fee.h): the statuses' names both ways, the
 * rules of a recorded fee at their edges, amounts in Vietnamese form and the
 * receipt's text. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "tests/unit/fixtures.h"

#include <stdlib.h>
#include <string.h>

#include "core/fee.h"

static void test_ids(void **state)
{
	(void)state;
	for (int s = MC_FEE_COLLECTED; s <= MC_FEE_LATER; s++)
		assert_int_equal(mc_fee_status_from_id(mc_fee_status_id((enum mc_fee_status)s)), s);
	assert_string_equal(mc_fee_status_id(MC_FEE_EXEMPT), "exempt");
	assert_string_equal(mc_fee_status_id(MC_FEE_NONE), "");
	assert_int_equal(mc_fee_status_from_id(NULL), MC_FEE_NONE);
	assert_int_equal(mc_fee_status_from_id(""), MC_FEE_NONE);
	assert_int_equal(mc_fee_status_from_id("Collected"), MC_FEE_NONE);
	assert_string_equal(mc_fee_status_name(MC_FEE_LATER), "Nộp sau");
}

static void want_check(enum mc_fee_status s, long long amount, const char *reason,
			 const char *field)
{
	char msg[256] = "";
	const char *f = "unset";
	int rc = mc_fee_check(s, amount, reason, msg, sizeof msg, &f);
	if (!field) {
		if (rc)
			fail_msg("refused: %s", msg);
		assert_null(f);
		return;
	}
	assert_int_equal(rc, -1);
	assert_non_null(f);
	assert_string_equal(f, field);
	assert_true(strlen(msg) > 10);
}

static void test_check(void **state)
{
	(void)state;
	want_check(MC_FEE_COLLECTED, 0, NULL, NULL);
	want_check(MC_FEE_COLLECTED, MC_FEE_MAX, NULL, NULL);
	want_check(MC_FEE_COLLECTED, MC_FEE_MAX + 1, NULL, "amount");
	want_check(MC_FEE_LATER, -1, NULL, "amount");
	want_check(MC_FEE_NONE, 5, NULL, "status");
	want_check((enum mc_fee_status)9, 5, NULL, "status");
	want_check(MC_FEE_EXEMPT, 0, "Hộ nghèo", NULL);
	want_check(MC_FEE_EXEMPT, 0, NULL, "reason");
	want_check(MC_FEE_EXEMPT, 0, " \t", "reason");
	want_check(MC_FEE_LATER, 5, "x", "reason");
	want_check(MC_FEE_LATER, 5, "", NULL); /* a blank reason is none */
	want_check(MC_FEE_EXEMPT, 0, "\xc3", "reason");
	want_check(MC_FEE_EXEMPT, 0, "a\nb", "reason");
	/* 500 characters (1,500 bytes) pass, 501 do not */
	char big[3 * MC_FEE_REASON_MAX + 8] = "";
	for (int i = 0; i < MC_FEE_REASON_MAX; i++)
		strcat(big, "ồ");
	want_check(MC_FEE_EXEMPT, 0, big, NULL);
	strcat(big, "a");
	want_check(MC_FEE_EXEMPT, 0, big, "reason");
	/* no field asked: the result alone */
	char msg[64];
	assert_int_equal(mc_fee_check(MC_FEE_COLLECTED, -5, NULL, msg, sizeof msg, NULL), -1);
}

static void test_format(void **state)
{
	(void)state;
	char b[48];
	mc_fee_format_vnd(0, b, sizeof b);
	assert_string_equal(b, "0 đồng");
	mc_fee_format_vnd(999, b, sizeof b);
	assert_string_equal(b, "999 đồng");
	mc_fee_format_vnd(1000, b, sizeof b);
	assert_string_equal(b, "1.000 đồng");
	mc_fee_format_vnd(50000, b, sizeof b);
	assert_string_equal(b, "50.000 đồng");
	mc_fee_format_vnd(1234567, b, sizeof b);
	assert_string_equal(b, "1.234.567 đồng");
	mc_fee_format_vnd(MC_FEE_MAX, b, sizeof b);
	assert_string_equal(b, "1.000.000.000 đồng");
	mc_fee_format_vnd(-2500, b, sizeof b);
	assert_string_equal(b, "-2.500 đồng");
	char s[8];
	mc_fee_format_vnd(1234567, s, sizeof s); /* cut, never overrun */
	assert_int_equal(strlen(s), 7);
}

static void test_receipt_text(void **state)
{
	(void)state;
	char *t = mc_fee_receipt_text(MC_FEE_COLLECTED, 50000, NULL);
	assert_string_equal(t, "50.000 đồng (đã thu)");
	free(t);
	t = mc_fee_receipt_text(MC_FEE_EXEMPT, 0, "Người có công");
	assert_string_equal(t, "Miễn phí: Người có công");
	free(t);
	t = mc_fee_receipt_text(MC_FEE_LATER, 8000, NULL);
	assert_string_equal(t, "Nộp sau (8.000 đồng)");
	free(t);
}

TESTS_MAIN(test_ids, test_check, test_format, test_receipt_text)
