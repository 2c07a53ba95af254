/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fixtures shared by the unit tests that work on real stores (cmocka): one
 * template store per group with the real reference data (import_reference),
 * the demo unit (00004 Phường Ba Đình) and its clerk and the official
 * holidays; every test works on its own copy. Linked into every unit test
 * (tests/unit/fixtures.c, from an archive: only what a test uses).
 *
 *	static int group_setup(void **state)
 *	{
 *		return fixture_group_setup("forms");
 *	}
 *	...
 *		cmocka_unit_test_setup_teardown(test_x, fixture_setup, fixture_teardown),
 *	...
 *	return cmocka_run_group_tests(tests, group_setup, fixture_group_teardown);
 *
 * Include it after <cmocka.h>. */
#ifndef MC_TESTS_FIXTURES_H
#define MC_TESTS_FIXTURES_H
#include <stdbool.h>
#include <wchar.h>

#include "client/store/store.h"
#include "client/tui/screen.h"
#include "core/datetime.h"

struct fixture {
	char *dir, *path; /* the test's own directory and its copy of the template */
	struct store st;  /* that copy, open */
	struct mc_dt now; /* the test's clock, where it keeps one (zero) */
};

/* Makes the directory /tmp/motcua-NAME-XXXXXX and the template store in it.
 * 0, or -1 with a message on stderr. */
int fixture_group_setup(const char *name);
/* Removes that directory and all in it. */
int fixture_group_teardown(void **state);

/* *state gets a new struct fixture: a directory of its own (tN under the
 * group's), a copy of the template there, opened. */
int fixture_setup(void **state);
int fixture_teardown(void **state);

/* A dossier of the birth registration (procedure 1.001193, its four
 * mandatory papers presented) received at `at` by the demo clerk, without a
 * receipt; phone and address may be NULL. Returns its code (malloc'd). */
char *fixture_receive(struct fixture *f, const char *at, const char *name, const char *phone,
		      const char *address);
/* What fixture_receive receives, in *in (reception_input_release frees it):
 * the caller may change it before reception_commit. */
struct reception_input;
void fixture_reception_input(struct reception_input *in, const char *at, const char *name,
			     const char *phone, const char *address);

/* The main of a test file: runs the test functions named, in that order,
 * each reported under its own name. FIXTURE_MAIN: each on a fixture of its
 * own (fixture_setup, fixture_teardown), the template made once as group
 * `group` (fixture_group_setup); TESTS_MAIN: plain tests, no fixture.
 *
 *	FIXTURE_MAIN("forms", test_a, test_b, test_c)
 */
#define FIXTURE_MAIN(group, ...) TESTS_MAIN_(group, true, __VA_ARGS__)
#define TESTS_MAIN(...) TESTS_MAIN_("tests", false, __VA_ARGS__)
#define TESTS_MAIN_(group, fixture, ...)                                                     \
	int main(void)                                                                      \
	{                                                                                   \
		static const CMUnitTestFunction tests_[] = { __VA_ARGS__ };                  \
		return fixture_run_tests(group, fixture, #__VA_ARGS__, tests_,              \
					 sizeof tests_ / sizeof tests_[0]);                 \
	}
/* What TESTS_MAIN_ calls: names is the list of the n functions' names, as
 * the preprocessor writes it ("test_a, test_b"). */
int fixture_run_tests(const char *group, bool fixture, const char *names,
		      const CMUnitTestFunction *tests, size_t n);

/* Copies a file; fails the test when it cannot. */
void copy_file(const char *from, const char *to);

/* Runs the SQL made from fmt; fails the test when the store refuses it. */
void exec_ok(struct store *st, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Runs the command made from fmt through the shell and returns its stdout
 * (malloc'd); fails the test when the command fails. */
char *run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "YYYY-MM-DDTHH:MM"; fails the test on a bad one. */
struct mc_dt dt(const char *s);

/* A key press as the TUI loop hands it to a screen using the generic
 * keymap (client/tui/app.c): ch and fn as get_wch gives them, normalised,
 * looked up in the compiled-in keymaps (keymaps/default.keys): action, and
 * edit as a text field with the cursor gets it. Widgets take ev.edit and
 * key_event_char(&ev). */
struct key_event fixture_key(wint_t ch, bool fn);

#endif
