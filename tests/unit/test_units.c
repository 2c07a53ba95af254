/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Units (client/store/units.h) on a real store with the reference data:
 * a unit's name, a unit saved as the server describes it, and the units the
 * supervisor steps through. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/store/lookup.h"
#include "client/store/units.h"
#include "core/xalloc.h"
#include "tests/unit/fixtures.h"

static void expect_str(char *got, const char *want)
{
	if (want)
		assert_string_equal(got, want);
	else
		assert_null(got);
	free(got);
}

static char *text(struct store *st, const char *sql)
{
	sqlite3_stmt *q = store_prepare(st, sql);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	const unsigned char *t = sqlite3_column_text(q, 0);
	char *s = xstrdup(t ? (const char *)t : "(null)");
	sqlite3_finalize(q);
	return s;
}

static void test_names(void **state)
{
	struct fixture *f = *state;
	/* the demo unit is in units; 00008 is only a commune of the catalogue */
	char *ba_dinh = text(&f->st, "SELECT name FROM communes WHERE code = '00004'");
	char *ngoc_ha = text(&f->st, "SELECT name FROM communes WHERE code = '00008'");
	expect_str(units_name(&f->st, "00004"), ba_dinh);
	expect_str(units_name(&f->st, "00008"), NULL);
	expect_str(lookup_unit_name(&f->st, "00008"), ngoc_ha); /* what the supervisor shows */
	expect_str(units_name(&f->st, "99999"), NULL);
	/* a unit's own name, not the commune's */
	exec_ok(&f->st, "UPDATE units SET name = 'UBND phường Ba Đình' WHERE code = '00004'");
	expect_str(units_name(&f->st, "00004"), "UBND phường Ba Đình");
	free(ba_dinh);
	free(ngoc_ha);
}

static void test_save(void **state)
{
	struct fixture *f = *state;
	struct strbuf err = STRBUF_INIT;
	struct unit_info u = { "H01.99", "Sở Tư pháp", "H01.99", NULL, NULL };
	assert_int_equal(units_save(&f->st, &u, &err), 0);
	expect_str(text(&f->st, "SELECT name || '|' || ident || '|' || kind || '|' ||"
				" coalesce(parent_code, '-') FROM units WHERE code = 'H01.99'"),
		   "Sở Tư pháp|H01.99|commune|-");
	struct unit_info agency = { "H01.99", "Sở Tư pháp Hà Nội", "H01.99.1", "agency", "01" };
	assert_int_equal(units_save(&f->st, &agency, &err), 0);
	expect_str(text(&f->st, "SELECT name || '|' || ident || '|' || kind || '|' ||"
				" coalesce(parent_code, '-') FROM units WHERE code = 'H01.99'"),
		   "Sở Tư pháp Hà Nội|H01.99.1|agency|01");
	/* no kind: the stored one stays */
	assert_int_equal(units_save(&f->st, &u, &err), 0);
	expect_str(text(&f->st, "SELECT name || '|' || ident || '|' || kind || '|' ||"
				" coalesce(parent_code, '-') FROM units WHERE code = 'H01.99'"),
		   "Sở Tư pháp|H01.99|agency|-");
	/* a unit without a name is refused by the store, with a message */
	struct unit_info bad = { "H01.98", NULL, "H01.98", NULL, NULL };
	assert_int_equal(units_save(&f->st, &bad, &err), -1);
	assert_non_null(strstr(err.buf, "không lưu được đơn vị H01.98"));
	expect_str(text(&f->st, "SELECT count(*) FROM units WHERE code = 'H01.98'"), "0");
	strbuf_release(&err);
}

static void add_dossier(struct store *st, int n, const char *unit)
{
	exec_ok(st, "INSERT INTO dossiers(id, code, procedure_code, procedure_name, unit_code,"
		    " clerk, status, received_at, appointment, applicant_name, applicant_fold,"
		    " updated_at) VALUES ('u%d', 'U-%d', '1.001193', 'Thủ tục', '%s', 'canbo', 2,"
		    " '2025-11-27T08:00', '2025-11-28T08:00', 'Người nộp', 'nguoi nop',"
		    " '2025-11-27T08:00')", n, n, unit);
}

static void test_next_with_dossiers(void **state)
{
	struct fixture *f = *state;
	struct store *st = &f->st;
	/* no dossier: the home unit alone, or nothing */
	expect_str(units_next_with_dossiers(st, "00004", NULL), "00004");
	expect_str(units_next_with_dossiers(st, "00004", "00004"), "00004");
	expect_str(units_next_with_dossiers(st, NULL, NULL), NULL);
	add_dossier(st, 1, "00025");
	add_dossier(st, 2, "00008");
	add_dossier(st, 3, "00025");
	add_dossier(st, 4, "00070");
	exec_ok(st, "DELETE FROM dossiers WHERE unit_code = '00070'"); /* none left there */
	/* home first, then by code, round and round */
	expect_str(units_next_with_dossiers(st, "00004", NULL), "00004");
	expect_str(units_next_with_dossiers(st, "00004", "00004"), "00008");
	expect_str(units_next_with_dossiers(st, "00004", "00008"), "00025");
	expect_str(units_next_with_dossiers(st, "00004", "00025"), "00004");
	expect_str(units_next_with_dossiers(st, "00004", "00070"), "00004"); /* not among them */
	/* a home unit with dossiers is listed once, first */
	expect_str(units_next_with_dossiers(st, "00025", NULL), "00025");
	expect_str(units_next_with_dossiers(st, "00025", "00025"), "00008");
	expect_str(units_next_with_dossiers(st, "00025", "00008"), "00025");
	/* no home unit */
	expect_str(units_next_with_dossiers(st, NULL, NULL), "00008");
	expect_str(units_next_with_dossiers(st, NULL, "00008"), "00025");
}

FIXTURE_MAIN("units", test_names, test_save, test_next_with_dossiers)
