/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Decision 766 indicators on hand-built data: a real temporary store
 * filled with SQL, expected numerators and denominators worked out by hand
 * (docs/indicators.md has the definitions). The period is October 2025.
 *
 * dossier unit  clerk ch status received     appointment  result-ready      result doc
 * D1      00004 a     2  10     10-02 08:00  10-06 16:00  10-06 10:00 (ok)  yes
 * D2      00004 a     1  9      10-03 08:00  10-08 16:00  10-09 08:00 late  no
 * D3      00004 b     2  10     09-25 08:00  10-01 16:00  10-01 16:00 (ok)  yes
 * D4      00004 b     1  4      10-20 08:00  11-05 16:00  -                 -
 * D5      00008 a     2  10     10-10 08:00  10-15 16:00  11-01 08:00 late  yes
 * D6      00004 a     1  10     08-01 08:00  09-01 16:00  09-01 10:00       no
 * D7      00004 a     1  2      10-31 16:59  11-05 16:00  -                 -
 * D8      00004 b     2  2      11-01 00:00  11-06 16:00  -                 -
 * Components (originals+copies, document, reused): D1 (1, x, 1) (1, y, 0);
 * D2 (1, z, 0); D3 (1, w, 1) (0, -, 0: not handed in); D4 (1, -, 0); D5 (1, v, 0).
 * Transfers: D1, D3, D4. Ratings: D1 1 (10-07), D3 3 (10-02), D5 2 (11-02),
 * D6 2 (10-15). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "client/store/indicators.h"
#include "client/store/store.h"
#include "core/indicators.h"
#include "core/xalloc.h"

static struct store st;
static char dir[] = "/tmp/mc-ind-XXXXXX";
static char path[64];

static const char *const fixture_sql =
	"INSERT INTO dossiers(id, code, procedure_code, procedure_name, unit_code, clerk, channel,"
	" status, received_at, appointment, applicant_name, applicant_fold, updated_at,"
	" result_document_id) VALUES"
	" ('D1', 'H01.00004-251002-0001', 'p', 'P', '00004', 'a', 2, 10, '2025-10-02T08:00',"
	"  '2025-10-06T16:00', 'A', 'a', '2025-10-02T08:00', 'r1'),"
	" ('D2', 'H01.00004-251003-0001', 'p', 'P', '00004', 'a', 1, 9, '2025-10-03T08:00',"
	"  '2025-10-08T16:00', 'A', 'a', '2025-10-03T08:00', NULL),"
	" ('D3', 'H01.00004-250925-0001', 'p', 'P', '00004', 'b', 2, 10, '2025-09-25T08:00',"
	"  '2025-10-01T16:00', 'A', 'a', '2025-09-25T08:00', 'r3'),"
	" ('D4', 'H01.00004-251020-0001', 'p', 'P', '00004', 'b', 1, 4, '2025-10-20T08:00',"
	"  '2025-11-05T16:00', 'A', 'a', '2025-10-20T08:00', NULL),"
	" ('D5', 'H01.00008-251010-0001', 'p', 'P', '00008', 'a', 2, 10, '2025-10-10T08:00',"
	"  '2025-10-15T16:00', 'A', 'a', '2025-10-10T08:00', 'r5'),"
	" ('D6', 'H01.00004-250801-0001', 'p', 'P', '00004', 'a', 1, 10, '2025-08-01T08:00',"
	"  '2025-09-01T16:00', 'A', 'a', '2025-08-01T08:00', NULL),"
	" ('D7', 'H01.00004-251031-0001', 'p', 'P', '00004', 'a', 1, 2, '2025-10-31T16:59',"
	"  '2025-11-05T16:00', 'A', 'a', '2025-10-31T16:59', NULL),"
	" ('D8', 'H01.00004-251101-0001', 'p', 'P', '00004', 'b', 2, 2, '2025-11-01T00:00',"
	"  '2025-11-06T16:00', 'A', 'a', '2025-11-01T00:00', NULL);"
	"INSERT INTO dossier_components(dossier_id, seq, name, kind, mandatory, originals_required,"
	" copies_required, originals, copies, document_id, reused) VALUES"
	" ('D1', 1, 'c', 'submit', 1, 1, 0, 1, 0, 'x', 1),"
	" ('D1', 2, 'c', 'present', 1, 1, 0, 1, 0, 'y', 0),"
	" ('D2', 1, 'c', 'submit', 1, 1, 0, 1, 0, 'z', 0),"
	" ('D3', 1, 'c', 'submit', 1, 1, 0, 0, 1, 'w', 1),"
	" ('D3', 2, 'c', 'submit', 0, 1, 0, 0, 0, NULL, 0),"
	" ('D4', 1, 'c', 'submit', 1, 1, 0, 1, 0, NULL, 0),"
	" ('D5', 1, 'c', 'submit', 1, 1, 0, 1, 0, 'v', 0);"
	"INSERT INTO events(id, dossier_id, kind, status_from, status_to, actor, unit_code,"
	" device_time, payload) VALUES"
	" ('e1', 'D1', 'transfer', 2, 4, 'a', '00004', '2025-10-02T09:00', NULL),"
	" ('e2', 'D1', 'result-ready', 4, 9, 'a', '00004', '2025-10-06T10:00', NULL),"
	" ('e3', 'D1', 'rate', 10, 10, 'a', '00004', '2025-10-07T09:00', '{\"rating\":1}'),"
	" ('e4', 'D2', 'result-ready', 2, 9, 'a', '00004', '2025-10-09T08:00', NULL),"
	" ('e5', 'D3', 'transfer', 2, 4, 'b', '00004', '2025-09-25T09:00', NULL),"
	" ('e6', 'D3', 'result-ready', 4, 9, 'b', '00004', '2025-10-01T16:00', NULL),"
	" ('e7', 'D3', 'rate', 10, 10, 'b', '00004', '2025-10-02T08:00', '{\"rating\":3}'),"
	" ('e8', 'D4', 'transfer', 2, 4, 'b', '00004', '2025-10-20T09:00', NULL),"
	" ('e9', 'D5', 'result-ready', 2, 9, 'a', '00008', '2025-11-01T08:00', NULL),"
	" ('e10', 'D5', 'rate', 10, 10, 'a', '00008', '2025-11-02T08:00', '{\"rating\":2}'),"
	" ('e11', 'D6', 'result-ready', 2, 9, 'a', '00004', '2025-09-01T10:00', NULL),"
	" ('e12', 'D6', 'rate', 10, 10, 'a', '00004', '2025-10-15T10:00', '{\"rating\":2}');";

static int setup(void **state)
{
	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/store.db", dir);
	struct strbuf err = STRBUF_INIT;
	assert_int_equal(store_open(&st, path, STORE_CREATE, &err), 0);
	if (store_exec(&st, fixture_sql, &err))
		fail_msg("fixture: %s", err.buf);
	strbuf_release(&err);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	store_close(&st);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd);
}

/* Expected values in MC_INDICATORS order: on_time, online, digitized,
 * reused, transferred, satisfaction, each numerator then denominator. */
static void expect(const char *unit, const char *clerk, const long long want[12])
{
	struct mc_ind_period p;
	struct strbuf err = STRBUF_INIT;
	assert_int_equal(mc_ind_period_parse(&p, "2025-10-01", "2025-10-31", &err), 0);
	struct mc_indicator_value v[MC_IND_COUNT];
	if (indicators_compute(&st, &p, unit, clerk, v, &err))
		fail_msg("%s", err.buf);
	for (int i = 0; i < MC_IND_COUNT; i++) {
		if (v[i].numerator != want[2 * i] || v[i].denominator != want[2 * i + 1])
			fail_msg("unit %s clerk %s %s: %lld/%lld, want %lld/%lld", unit ? unit : "*",
				 clerk ? clerk : "*", mc_indicator_id(i), v[i].numerator,
				 v[i].denominator, want[2 * i], want[2 * i + 1]);
	}
	strbuf_release(&err);
}

static void test_all_units(void **state)
{
	(void)state;
	/* received D1 D2 D4 D5 D7; resolved D1 D2 D3; rated D1 D3 D6 */
	static const long long want[12] = { 2, 3, 2, 5, 2, 3, 1, 5, 2, 5, 2, 3 };
	expect(NULL, NULL, want);
}

static void test_per_unit(void **state)
{
	(void)state;
	static const long long u4[12] = { 2, 3, 1, 4, 2, 3, 1, 4, 2, 4, 2, 3 };
	static const long long u8[12] = { 0, 0, 1, 1, 0, 0, 0, 1, 0, 1, 0, 0 };
	static const long long none[12] = { 0 };
	expect("00004", NULL, u4);
	expect("00008", NULL, u8);
	expect("99999", NULL, none);
}

static void test_per_clerk(void **state)
{
	(void)state;
	static const long long a[12] = { 1, 2, 2, 4, 1, 2, 1, 4, 1, 4, 2, 2 };
	static const long long b[12] = { 1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 0, 1 };
	static const long long b8[12] = { 0 };
	expect(NULL, "a", a);
	expect(NULL, "b", b);
	expect("00008", "b", b8);
}

static void test_arithmetic(void **state)
{
	(void)state;
	struct mc_indicator_value v = { 2, 3 };
	char buf[16];
	assert_int_equal(mc_indicator_permille(&v), 667);
	mc_indicator_format_percent(buf, sizeof(buf), &v);
	assert_string_equal(buf, "66.7");
	v = (struct mc_indicator_value){ 1, 8 }; /* 12.5 exactly */
	assert_int_equal(mc_indicator_permille(&v), 125);
	v = (struct mc_indicator_value){ 1, 4 };
	assert_int_equal(mc_indicator_score(MC_IND_online, &v), 500); /* 25% of 50% */
	assert_int_equal(mc_indicator_score(MC_IND_reused, &v), 312); /* 25% of 80% */
	v = (struct mc_indicator_value){ 3, 4 };
	assert_int_equal(mc_indicator_score(MC_IND_online, &v), 1000); /* capped */
	v = (struct mc_indicator_value){ 0, 0 };
	assert_int_equal(mc_indicator_permille(&v), -1);
	mc_indicator_format_percent(buf, sizeof(buf), &v);
	assert_string_equal(buf, "-");
	assert_int_equal(mc_indicator_full(MC_IND_online), 50);
	assert_int_equal(mc_indicator_full(MC_IND_digitized), 80);
	assert_int_equal(mc_indicator_from_id("satisfaction"), MC_IND_satisfaction);
	assert_int_equal(mc_indicator_from_id("nope"), MC_IND_COUNT);
	assert_string_equal(mc_indicator_name(MC_IND_on_time), "Giải quyết đúng hạn");
}

static void test_period(void **state)
{
	(void)state;
	struct mc_ind_period p;
	struct strbuf err = STRBUF_INIT;
	assert_int_equal(mc_ind_period_parse(&p, "2024-02-01", "2024-02-29", &err), 0);
	assert_string_equal(p.lo, "2024-02-01");
	assert_string_equal(p.hi, "2024-03-01");
	assert_int_equal(mc_ind_period_parse(&p, "2025-12-31", "2025-12-31", &err), 0);
	assert_string_equal(p.hi, "2026-01-01");
	assert_int_equal(mc_ind_period_parse(&p, "2025-02-29", "2025-03-01", &err), -1);
	assert_non_null(strstr(err.buf, "2025-02-29"));
	strbuf_reset(&err);
	assert_int_equal(mc_ind_period_parse(&p, "2025-03-02", "2025-03-01", &err), -1);
	assert_non_null(strstr(err.buf, "sau ngày kết thúc"));
	strbuf_reset(&err);
	assert_int_equal(mc_ind_period_parse(&p, "2025-3-1", "2025-03-01", &err), -1);
	strbuf_release(&err);
	assert_true(mc_indicator_key_valid("00004"));
	assert_true(mc_indicator_key_valid("can.bo_1"));
	assert_false(mc_indicator_key_valid(""));
	assert_false(mc_indicator_key_valid("x' OR 1=1"));
}

static void test_json(void **state)
{
	(void)state;
	struct mc_ind_period p;
	assert_int_equal(mc_ind_period_parse(&p, "2025-10-01", "2025-10-31", NULL), 0);
	struct mc_indicator_value v[MC_IND_COUNT] = { { 2, 3 }, { 0, 0 } };
	struct strbuf out = STRBUF_INIT;
	mc_indicators_json(&out, &p, "00004", NULL, v);
	assert_non_null(strstr(out.buf, "{\"from\":\"2025-10-01\",\"to\":\"2025-10-31\","
					"\"unit\":\"00004\",\"clerk\":null,\"indicators\":[{\"id\":"
					"\"on_time\",\"name\":\"Giải quyết đúng hạn\",\"numerator\":2,"
					"\"denominator\":3,\"percent\":66.7},{\"id\":\"online\""));
	assert_non_null(strstr(out.buf, "\"numerator\":0,\"denominator\":0,\"percent\":null}"));
	strbuf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_units),  cmocka_unit_test(test_per_unit),
		cmocka_unit_test(test_per_clerk),  cmocka_unit_test(test_arithmetic),
		cmocka_unit_test(test_period),     cmocka_unit_test(test_json),
	};
	return cmocka_run_group_tests_name("indicators", tests, setup, teardown);
}
