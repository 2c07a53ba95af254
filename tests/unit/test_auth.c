/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Clerk accounts read for the login screen, the CLI and the supervisor's
 * screens (client/store/auth.h): the only enabled clerk, how many there are,
 * the lists, and an account updated as the server knows it. On a real store
 * (the fixture's demo clerk canbo, Nguyễn Thị Lan, unit 00004). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/store/auth.h"
#include "core/xalloc.h"
#include "tests/unit/fixtures.h"

static void add_clerk(struct store *st, const char *user, const char *name, const char *unit,
		      int disabled)
{
	exec_ok(st, "INSERT INTO clerks(username, full_name, unit_code, role, pw_hash, disabled)"
		    " VALUES ('%s', '%s', '%s', 'clerk', 'hash-of-%s', %d)", user, name, unit, user,
		disabled);
}

/* The usernames of l, as "an binh canbo". */
static char *names_of(const struct clerk_list *l)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, "");
	for (size_t i = 0; i < l->n; i++)
		strbuf_addf(&sb, "%s%s", i ? " " : "", l->v[i].username);
	return strbuf_detach(&sb);
}

static void expect_sole(struct store *st, const char *want)
{
	char *got = auth_sole_clerk(st);
	if (want)
		assert_string_equal(got, want);
	else
		assert_null(got);
	free(got);
}

static void test_sole_and_count(void **state)
{
	struct fixture *f = *state;
	struct strbuf err = STRBUF_INIT;
	assert_int_equal(auth_clerk_count(&f->st), 1);
	expect_sole(&f->st, "canbo");
	add_clerk(&f->st, "an", "Trần Văn An", "00004", 0);
	assert_int_equal(auth_clerk_count(&f->st), 2);
	expect_sole(&f->st, NULL); /* two enabled */
	assert_int_equal(auth_set_disabled(&f->st, "canbo", true, &err), 0);
	expect_sole(&f->st, "an");
	add_clerk(&f->st, "binh", "Lê Thị Bình", "00004", 1);
	assert_int_equal(auth_clerk_count(&f->st), 3); /* disabled ones count */
	expect_sole(&f->st, "an");
	assert_int_equal(auth_set_disabled(&f->st, "an", true, &err), 0);
	expect_sole(&f->st, NULL); /* none enabled */
	exec_ok(&f->st, "DELETE FROM clerks");
	assert_int_equal(auth_clerk_count(&f->st), 0);
	expect_sole(&f->st, NULL);
	strbuf_release(&err);
}

static void test_lists(void **state)
{
	struct fixture *f = *state;
	struct strbuf err = STRBUF_INIT;
	add_clerk(&f->st, "an", "Trần Văn An", "00004", 0);
	add_clerk(&f->st, "an2", "Trần Văn An", "00004", 0);
	add_clerk(&f->st, "binh", "Lê Thị Bình", "00004", 1);
	add_clerk(&f->st, "tam", "Đỗ Văn Tám", "00008", 0);

	struct clerk_list l = { 0 };
	assert_int_equal(auth_list_clerks(&f->st, &l, &err), 0);
	char *names = names_of(&l);
	assert_string_equal(names, "an an2 binh canbo tam");
	free(names);
	assert_string_equal(l.v[2].full_name, "Lê Thị Bình");
	assert_string_equal(l.v[2].unit_code, "00004");
	assert_string_equal(l.v[2].role, "clerk");
	assert_true(l.v[2].disabled);
	assert_false(l.v[3].disabled);
	assert_string_equal(l.v[3].full_name, "Nguyễn Thị Lan");
	clerk_list_release(&l);
	assert_int_equal(l.n, 0);

	/* a unit's enabled clerks, by full name then username */
	assert_int_equal(auth_unit_clerks(&f->st, "00004", &l, &err), 0);
	names = names_of(&l);
	assert_string_equal(names, "canbo an an2");
	free(names);
	clerk_list_release(&l);
	assert_int_equal(auth_unit_clerks(&f->st, "00008", &l, &err), 0);
	names = names_of(&l);
	assert_string_equal(names, "tam");
	free(names);
	clerk_list_release(&l);
	assert_int_equal(auth_unit_clerks(&f->st, "99999", &l, &err), 0);
	assert_int_equal(l.n, 0);
	clerk_list_release(&l);
	strbuf_release(&err);
}

static void test_update(void **state)
{
	struct fixture *f = *state;
	struct strbuf err = STRBUF_INIT;
	add_clerk(&f->st, "binh", "Lê Thị Bình", "00004", 1);
	struct clerk c = { "binh", "Lê Thị Bình (phó)", "00008", "supervisor", true };
	assert_int_equal(auth_update_clerk(&f->st, &c, &err), 0);
	struct clerk got;
	assert_int_equal(auth_load_clerk(&f->st, "binh", &got), 0);
	assert_string_equal(got.full_name, "Lê Thị Bình (phó)");
	assert_string_equal(got.unit_code, "00008");
	assert_string_equal(got.role, "supervisor");
	assert_false(got.disabled); /* the server knows the account: enabled */
	clerk_release(&got);
	/* the password stays */
	sqlite3_stmt *q = store_prepare(&f->st, "SELECT pw_hash FROM clerks WHERE username = 'binh'");
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(q, 0), "hash-of-binh");
	sqlite3_finalize(q);
	/* an unknown clerk is refused */
	struct clerk none = { "khong-co", "Không Có", "00004", "clerk", false };
	assert_int_equal(auth_update_clerk(&f->st, &none, &err), AUTH_REFUSED);
	assert_string_equal(err.buf, "không có cán bộ 'khong-co'");
	assert_int_equal(auth_clerk_count(&f->st), 2);
	strbuf_release(&err);
}

FIXTURE_MAIN("auth", test_sole_and_count, test_lists, test_update)
