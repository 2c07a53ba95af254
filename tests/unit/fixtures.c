/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fixtures shared by the unit tests: see fixtures.h. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "client/base/datadir.h"
#include "client/services/demo.h"
#include "client/store/import.h"
#include "client/services/reception.h"
#include "client/tui/keymap.h"
#include "core/xalloc.h"
#include "tests/unit/fixtures.h"

static char tmpdir[64];
static char *template_path;
static int serial;

void copy_file(const char *from, const char *to)
{
	FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
	assert_non_null(in);
	assert_non_null(out);
	char buf[65536];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		assert_int_equal(fwrite(buf, 1, n, out), n);
	fclose(in);
	assert_int_equal(fclose(out), 0);
}

void exec_ok(struct store *st, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *sql = xvasprintf(fmt, ap);
	va_end(ap);
	struct strbuf err = STRBUF_INIT;
	if (store_exec(st, sql, &err))
		fail_msg("%s: %s", sql, err.buf);
	strbuf_release(&err);
	free(sql);
}

char *run(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *cmd = xvasprintf(fmt, ap);
	va_end(ap);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	struct strbuf sb = STRBUF_INIT;
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, p)) > 0)
		strbuf_add(&sb, buf, n);
	int st = pclose(p);
	if (st != 0)
		fail_msg("command failed (%d): %s", st, cmd);
	free(cmd);
	return strbuf_detach(&sb);
}

struct mc_dt dt(const char *s)
{
	struct mc_dt t;
	if (mc_parse_dt(s, &t))
		fail_msg("bad date-time in a test: %s", s);
	return t;
}

int fixture_group_setup(const char *name)
{
	snprintf(tmpdir, sizeof tmpdir, "/tmp/motcua-%s-XXXXXX", name);
	if (!mkdtemp(tmpdir))
		return -1;
	template_path = xasprintf("%s/template.db", tmpdir);
	struct store st;
	struct strbuf err = STRBUF_INIT, warnings = STRBUF_INIT;
	struct import_counts c;
	int rc = store_open(&st, template_path, STORE_CREATE, &err);
	if (!rc)
		rc = store_begin(&st, &err);
	if (!rc)
		rc = import_reference_tx(&st, datadir(), &c, &warnings, &err);
	if (!rc)
		rc = demo_seed(&st, &err);
	if (!rc)
		rc = demo_seed_calendar(&st, &err);
	if (!rc)
		rc = store_commit(&st, &err);
	if (rc)
		fprintf(stderr, "template store: %s\n", err.buf);
	store_close(&st);
	strbuf_release(&err);
	strbuf_release(&warnings);
	return rc;
}

int fixture_group_teardown(void **state)
{
	char *cmd = xasprintf("rm -rf '%s'", tmpdir);
	int rc = system(cmd);
	free(cmd);
	free(template_path);
	return rc ? -1 : 0;
}

static const char *group_name;

static int group_setup(void **state)
{
	(void)state;
	return fixture_group_setup(group_name);
}

int fixture_run_tests(const char *group, bool fixture, const char *names,
		      const CMUnitTestFunction *fns, size_t n)
{
	struct CMUnitTest *tests = xcalloc(n, sizeof(*tests));
	char *list = xstrdup(names), *save = NULL;
	char *name = strtok_r(list, ", \t\n", &save);
	for (size_t i = 0; i < n; i++) {
		if (!name) {
			fprintf(stderr, "%s: fewer names than tests\n", group);
			abort();
		}
		tests[i].name = name;
		tests[i].test_func = fns[i];
		if (fixture) {
			tests[i].setup_func = fixture_setup;
			tests[i].teardown_func = fixture_teardown;
		}
		name = strtok_r(NULL, ", \t\n", &save);
	}
	group_name = group;
	int rc = _cmocka_run_group_tests(group, tests, n, fixture ? group_setup : NULL,
					 fixture ? fixture_group_teardown : NULL);
	free(tests);
	free(list);
	return rc;
}

int fixture_setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof(*f));
	f->dir = xasprintf("%s/t%d", tmpdir, ++serial);
	if (mkdir(f->dir, 0700))
		return -1;
	f->path = xasprintf("%s/motcua.db", f->dir);
	copy_file(template_path, f->path);
	struct strbuf err = STRBUF_INIT;
	if (store_open(&f->st, f->path, 0, &err)) {
		fprintf(stderr, "%s\n", err.buf);
		return -1;
	}
	strbuf_release(&err);
	*state = f;
	return 0;
}

int fixture_teardown(void **state)
{
	struct fixture *f = *state;
	store_close(&f->st);
	free(f->dir);
	free(f->path);
	free(f);
	/* A statement that did not prepare (a bug: store_prepare no longer
	 * aborts) or a damaged store fails the test. */
	struct strbuf err = STRBUF_INIT;
	int rc = store_damaged(&err);
	if (rc)
		fprintf(stderr, "store fault: %s\n", err.buf);
	strbuf_release(&err);
	return rc;
}

void fixture_reception_input(struct reception_input *in, const char *at, const char *name,
			     const char *phone, const char *address)
{
	reception_input_init(in);
	in->procedure = xstrdup("1.001193");
	in->received_at = xstrdup(at);
	in->applicant.full_name = xstrdup(name);
	in->applicant.id_number = xstrdup("001090012345");
	in->applicant.birth_date = xstrdup("1990-05-17");
	in->applicant.sex = 'M';
	if (phone)
		in->applicant.phone = xstrdup(phone);
	if (address)
		in->applicant.address = xstrdup(address);
	in->applicant.commune = xstrdup("00004");
	int ids[] = { 5, 7, 11, 32 };
	in->components = xcalloc(4, sizeof(*in->components));
	for (int i = 0; i < 4; i++)
		in->components[i] = (struct reception_component){ .id = ids[i], .originals = 1 };
	in->n_components = 4;
}

char *fixture_receive(struct fixture *f, const char *at, const char *name, const char *phone,
		      const char *address)
{
	struct reception_input in;
	fixture_reception_input(&in, at, name, phone, address);
	struct reception_result res;
	struct reception_error err;
	struct mc_dt now = dt(at);
	if (reception_commit_flags(&f->st, &in, "canbo", &now, RECEPTION_NO_RECEIPT, &res, &err))
		fail_msg("reception refused: %s", err.msg);
	char *code = xstrdup(res.code);
	reception_result_release(&res);
	reception_input_release(&in);
	return code;
}

struct key_event fixture_key(wint_t ch, bool fn)
{
	static struct keymap km; /* loaded once, kept to the end */
	static bool loaded;
	if (!loaded) {
		keymap_init(&km);
		if (keymap_load_defaults(&km))
			fail_msg("default.keys: %s", km.warnings[0]);
		loaded = true;
	}
	struct key_event ev = { ACTION_NONE, ACTION_NONE, { ch, fn } };
	key_normalize(&ev.key);
	ev.action = keymap_lookup(&km, KEYMAP_GENERIC, &ev.key);
	ev.edit = keymap_lookup_field(&km, KEYMAP_GENERIC, &ev.key);
	return ev;
}
