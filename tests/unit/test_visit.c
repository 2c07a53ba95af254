/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A visit that ends at the counter without a received dossier
 * (client/services/visit.h, client/store/visit.h) on real stores: the visit,
 * its event and its outbox row in one transaction, nothing else (no dossier,
 * no code, no ledger number); every refusal and a failing outbox row leave
 * the store unchanged; the form read back from the store. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <jansson.h>

#include "client/services/visit.h"
#include "client/store/store.h"
#include "client/store/visit.h"
#include "core/xalloc.h"
#include "tests/unit/fixtures.h"

#define NOW "2025-10-27T10:05"

static char *counts(struct store *st)
{
	sqlite3_stmt *q = store_prepare(
		st, "SELECT (SELECT count(*) FROM dossiers) || ' ' || (SELECT count(*) FROM visits)"
		    " || ' ' || (SELECT count(*) FROM events) || ' ' || (SELECT count(*) FROM outbox)"
		    " || ' ' || (SELECT count(*) FROM ledger_numbers)"
		    " || ' ' || (SELECT coalesce(sum(last), 0) FROM code_seq)");
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	char *s = xstrdup((const char *)sqlite3_column_text(q, 0));
	sqlite3_finalize(q);
	return s;
}

static void input(struct reception_input *in)
{
	reception_input_init(in);
	in->procedure = xstrdup("1.001193");
	in->applicant.full_name = xstrdup("Trần Thị Bình");
	in->applicant.id_number = xstrdup("001190012346");
	in->applicant.birth_date = xstrdup("1990-05-17");
	in->applicant.sex = 'F';
	in->applicant.phone = xstrdup("0912 345 678");
	in->applicant.commune = xstrdup("00004");
}

static void test_refuse(void **state)
{
	struct fixture *f = *state;
	struct reception_input in;
	input(&in);
	struct mc_dt now = dt(NOW);
	struct visit_result res;
	struct reception_error err;
	char *before = counts(&f->st);
	assert_int_equal(visit_record(&f->st, &in, VISIT_REFUSE, " Lý do một ;; Lý do hai\n", "canbo",
				      &now, &res, &err), 0);
	char *after = counts(&f->st);
	long d, v, e, o, l, s;
	assert_int_equal(sscanf(before, "%ld %ld %ld %ld %ld %ld", &d, &v, &e, &o, &l, &s), 6);
	char *want = xasprintf("%ld %ld %ld %ld %ld %ld", d, v + 1, e + 1, o + 1, l, s);
	assert_string_equal(after, want);
	assert_int_equal(res.kind, VISIT_REFUSE);
	assert_int_equal(res.seq, 1);
	assert_string_equal(res.at, NOW);

	struct visit got;
	assert_int_equal(visit_get(&f->st, res.id, &got), 1);
	assert_string_equal(got.applicant_name, "Trần Thị Bình");
	assert_string_equal(got.phone, "0912 345 678"); /* as a reception keeps it */
	assert_string_equal(got.unit_code, "00004");
	assert_string_equal(got.clerk, "canbo");
	assert_int_equal(json_array_size(got.items), 2);
	assert_string_equal(json_string_value(json_array_get(got.items, 0)), "Lý do một");
	assert_string_equal(json_string_value(json_array_get(got.items, 1)), "Lý do hai");
	visit_release(&got);

	/* its event and outbox row name the visit */
	sqlite3_stmt *q = store_prepare(&f->st, "SELECT e.kind, o.entity, o.op, o.base_rev,"
				   " json_extract(o.payload, '$.items[1]') FROM events e"
				   " JOIN outbox o ON o.entity_id = e.dossier_id WHERE e.dossier_id = ?");
	sqlite3_bind_text(q, 1, res.id, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(q, 0), "visit-refuse");
	assert_string_equal((const char *)sqlite3_column_text(q, 1), "visit");
	assert_string_equal((const char *)sqlite3_column_text(q, 2), "record");
	assert_int_equal(sqlite3_column_int(q, 3), 0);
	assert_string_equal((const char *)sqlite3_column_text(q, 4), "Lý do hai");
	sqlite3_finalize(q);

	/* the form, written from the store */
	struct visit_form form;
	visit_form_prepare(&f->st, &res, VISIT_FORM_WRITE, &form);
	visit_form_write(&form);
	assert_true(form.written);
	assert_non_null(strstr(form.path, "/receipts/visit-1-03.pdf"));
	char *text = run("pdftotext '%s' - | tr '\\n' ' '", form.path);
	assert_non_null(strstr(text, "Ông/Bà: Trần Thị Bình"));
	assert_non_null(strstr(text, "2. Lý do hai"));
	free(text);
	visit_form_release(&form);
	free(want);
	free(before);
	free(after);
	reception_input_release(&in);
}

/* Each refusal names its field and changes nothing. */
static void test_refused_input(void **state)
{
	struct fixture *f = *state;
	struct mc_dt now = dt(NOW);
	struct visit_result res;
	struct reception_error err;
	char *before = counts(&f->st);
	struct reception_input in;

	input(&in);
	assert_int_equal(visit_record(&f->st, &in, VISIT_GUIDE, " ; ;", "canbo", &now, &res, &err), -1);
	assert_int_equal(err.field, RF_ITEMS);
	assert_non_null(strstr(err.msg, "cần ít nhất một mục"));
	assert_int_equal(visit_record(&f->st, &in, VISIT_GUIDE, "a\x01" "b", "canbo", &now, &res, &err),
			 -1);
	assert_int_equal(err.field, RF_ITEMS);
	struct strbuf many = STRBUF_INIT;
	for (int i = 0; i < VISIT_ITEMS_MAX + 1; i++)
		strbuf_addf(&many, "giấy %d;", i);
	assert_int_equal(visit_record(&f->st, &in, VISIT_GUIDE, many.buf, "canbo", &now, &res, &err),
			 -1);
	assert_non_null(strstr(err.msg, "nhiều hơn 30 mục"));
	strbuf_release(&many);
	assert_int_equal(visit_record(&f->st, &in, VISIT_GUIDE, "x", "nobody", &now, &res, &err), -1);
	assert_int_equal(err.field, RF_CLERK);
	reception_input_release(&in);

	input(&in);
	free(in.applicant.birth_date);
	in.applicant.birth_date = xstrdup("1990-02-30");
	assert_int_equal(visit_record(&f->st, &in, VISIT_REFUSE, "x", "canbo", &now, &res, &err), -1);
	assert_int_equal(err.field, RF_BIRTH_DATE);
	reception_input_release(&in);

	input(&in);
	free(in.procedure);
	in.procedure = xstrdup("9.999999");
	assert_int_equal(visit_record(&f->st, &in, VISIT_REFUSE, "x", "canbo", &now, &res, &err), -1);
	assert_int_equal(err.field, RF_PROCEDURE);
	reception_input_release(&in);

	char *after = counts(&f->st);
	assert_string_equal(after, before);
	free(before);
	free(after);
}

/* The outbox row cannot be written: neither the visit nor its event stays. */
static void test_atomic(void **state)
{
	struct fixture *f = *state;
	exec_ok(&f->st, "CREATE TRIGGER no_visit_ops BEFORE INSERT ON outbox WHEN new.entity = 'visit'"
			" BEGIN SELECT RAISE(ABORT, 'outbox full'); END");
	struct reception_input in;
	input(&in);
	struct mc_dt now = dt(NOW);
	struct visit_result res;
	struct reception_error err;
	char *before = counts(&f->st);
	assert_int_equal(visit_record(&f->st, &in, VISIT_REFUSE, "x", "canbo", &now, &res, &err), -1);
	assert_int_equal(err.field, RF_STORE);
	char *after = counts(&f->st);
	assert_string_equal(after, before);
	free(before);
	free(after);
	reception_input_release(&in);
}

/* The ledger's book counts no visit; visit_count does, by unit and day. */
static void test_count(void **state)
{
	struct fixture *f = *state;
	struct reception_input in;
	input(&in);
	struct mc_dt now = dt(NOW);
	struct visit_result res;
	struct reception_error err;
	assert_int_equal(visit_record(&f->st, &in, VISIT_REFUSE, "x", "canbo", &now, &res, &err), 0);
	assert_int_equal(visit_record(&f->st, &in, VISIT_GUIDE, "y", "canbo", &now, &res, &err), 0);
	assert_int_equal(visit_record(&f->st, &in, VISIT_GUIDE, "z", "canbo", &now, &res, &err), 0);
	assert_int_equal(res.seq, 3);
	struct visit_counts c;
	assert_int_equal(visit_count(&f->st, "00004", "2025-10-27", "2025-10-28", &c), 0);
	assert_int_equal(c.refused, 1);
	assert_int_equal(c.guided, 2);
	assert_int_equal(visit_count(&f->st, "00004", "2025-10-28", NULL, &c), 0);
	assert_int_equal(c.refused + c.guided, 0);
	assert_int_equal(visit_count(&f->st, "00008", NULL, NULL, &c), 0);
	assert_int_equal(c.refused + c.guided, 0);
	reception_input_release(&in);
}

FIXTURE_MAIN("visit", test_refuse, test_refused_input, test_atomic, test_count)
