/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Code 128 (code set B): the symbol table, values and checksums worked out by
 * hand, the module pattern, refusals; then every printable character and
 * every checksum value the encoder can emit, drawn with cairo and decoded
 * back by zbarimg (a dependency, see tools/deps.sh: missing, the test fails). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "tests/unit/fixtures.h"
#include <cairo.h>

#include "core/barcode.h"
#include "core/xalloc.h"

static void test_table(void **state)
{
	for (int v = 0; v <= CODE128_STOP; v++) {
		const char *w = code128_widths(v);
		assert_non_null(w);
		size_t n = strlen(w);
		assert_int_equal(n, v == CODE128_STOP ? 7 : 6);
		int sum = 0;
		for (size_t i = 0; i < n; i++) {
			assert_true(w[i] >= '1' && w[i] <= '4');
			sum += w[i] - '0';
		}
		assert_int_equal(sum, v == CODE128_STOP ? 13 : 11);
		for (int u = 0; u < v; u++)
			assert_string_not_equal(code128_widths(u), w);
	}
	assert_null(code128_widths(-1));
	assert_null(code128_widths(107));
	/* a few entries of the published table */
	assert_string_equal(code128_widths(0), "212222");    /* space */
	assert_string_equal(code128_widths(33), "111323");   /* A */
	assert_string_equal(code128_widths(104), "211214");  /* start B */
	assert_string_equal(code128_widths(106), "2331112"); /* stop */
}

static void test_values(void **state)
{
	int v[16];

	/* "AB": 104 + 33*1 + 34*2 = 205; 205 mod 103 = 102 */
	assert_int_equal(code128b_values("AB", v, 16), 5);
	int ab[] = { 104, 33, 34, 102, 106 };
	assert_memory_equal(v, ab, sizeof(ab));

	/* "0361": 104 + 16*1 + 19*2 + 22*3 + 17*4 = 292; 292 mod 103 = 86 */
	assert_int_equal(code128b_values("0361", v, 16), 7);
	int c[] = { 104, 16, 19, 22, 17, 86, 106 };
	assert_memory_equal(v, c, sizeof(c));

	/* measuring without writing, and a short buffer never overflows */
	assert_int_equal(code128b_values("000.00.06.H56-231027-0361", NULL, 0), 28);
	v[3] = -7;
	assert_int_equal(code128b_values("0361", v, 3), 7);
	assert_int_equal(v[2], 19);
	assert_int_equal(v[3], -7);

	/* outside code set B */
	assert_int_equal(code128b_values("", v, 16), 0);
	assert_int_equal(code128b_values(NULL, v, 16), 0);
	assert_int_equal(code128b_values("MÃ", v, 16), 0);
	assert_int_equal(code128b_values("a\tb", v, 16), 0);
	assert_int_equal(code128b_values("\x7f", v, 16), 0);
	assert_null(code128b_encode("Đ"));
	assert_null(code128b_encode(""));
}

static void test_pattern(void **state)
{
	char *m = code128b_encode("AB");
	assert_non_null(m);
	/* start B, A, B, checksum 102, stop */
	assert_string_equal(m, "11010010000"
			       "10100011000"
			       "10001011000"
			       "11110101110"
			       "1100011101011");
	free(m);

	const char *code = "000.00.06.H56-231027-0361";
	m = code128b_encode(code);
	assert_int_equal(strlen(m), 11 * (strlen(code) + 3) + 2);
	assert_int_equal(m[0], '1');
	assert_int_equal(m[strlen(m) - 1], '1');
	assert_int_equal(strspn(m, "01"), strlen(m));
	free(m);
}

/* Draws text's barcode (3 px per module, quiet zones of 15 modules) into a
 * PNG and returns what zbarimg reads from it, restricted to Code 128. */
static char *zbar_read(const char *text)
{
	static int seq;
	char *m = code128b_encode(text);
	assert_non_null(m);
	int px = 3, quiet = 15, n = (int)strlen(m);
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (n + 2 * quiet) * px, 80);
	cairo_t *cr = cairo_create(s);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);
	for (int i = 0; i < n; i++)
		if (m[i] == '1')
			cairo_rectangle(cr, (quiet + i) * px, 10, px, 60);
	cairo_fill(cr);
	char *png = xasprintf("/tmp/motcua-barcode-%d-%d.png", (int)getpid(), seq++);
	assert_int_equal(cairo_surface_write_to_png(s, png), CAIRO_STATUS_SUCCESS);
	cairo_destroy(cr);
	cairo_surface_destroy(s);
	free(m);

	char *cmd = xasprintf("zbarimg -Sdisable -Scode128.enable --raw -q '%s' 2>/dev/null", png);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	struct strbuf sb = STRBUF_INIT;
	char buf[512];
	size_t got;
	while ((got = fread(buf, 1, sizeof(buf), p)) > 0)
		strbuf_add(&sb, buf, got);
	int st = pclose(p);
	unlink(png);
	free(png);
	free(cmd);
	if (st != 0)
		fail_msg("zbarimg failed (%d) on [%s]", st, text);
	return strbuf_detach(&sb);
}

static void check_roundtrip(const char *text)
{
	char *got = zbar_read(text);
	char *want = xasprintf("%s\n", text);
	if (strcmp(got, want))
		fail_msg("zbarimg read [%s] for [%s]", got, text);
	free(got);
	free(want);
}

static void test_zbar_roundtrip(void **state)
{
	if (system("command -v zbarimg >/dev/null 2>&1") != 0)
		fail_msg("zbarimg is missing: install zbar-tools (tools/deps.sh)");

	check_roundtrip("000.00.06.H56-231027-0361");
	check_roundtrip("H22.40.19-251103-0007");

	/* every character of code set B, 19 at a time */
	char all[96];
	for (int i = 0; i < 95; i++)
		all[i] = (char)(32 + i);
	all[95] = '\0';
	for (int i = 0; i < 95; i += 19) {
		char chunk[20];
		memcpy(chunk, all + i, 19);
		chunk[19] = '\0';
		if (chunk[0] == ' ') { /* keep the space inside, not at the edge */
			chunk[0] = chunk[1];
			chunk[1] = ' ';
		}
		check_roundtrip(chunk);
	}

	/* checksum values 95..102, which no data character uses: "Kx" with
	 * 104 + 43 + 2 * (x - 32) = v (mod 103) */
	for (int v = 95; v <= 102; v++) {
		char s[3] = { 'K', 0, 0 };
		for (int x = 33; x < 127; x++) {
			if ((104 + 43 + 2 * (x - 32)) % 103 == v) {
				s[1] = (char)x;
				break;
			}
		}
		assert_int_not_equal(s[1], 0);
		int vals[8];
		assert_int_equal(code128b_values(s, vals, 8), 5);
		assert_int_equal(vals[3], v);
		check_roundtrip(s);
	}
}

TESTS_MAIN(test_table, test_values, test_pattern, test_zbar_roundtrip)
