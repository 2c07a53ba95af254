/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gzip in memory (core/gzip.h): round trips, the inflated-size limit (a
 * small stream that inflates far beyond it stops at the limit), broken and
 * cut streams, several members, and what Accept-Encoding values accept. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "tests/unit/fixtures.h"

#include <stdlib.h>
#include <string.h>

#include "core/gzip.h"

static void test_round_trip(void **state)
{
	(void)state;
	const char *sizes_text[] = { "", "a", "{\"ops\":[]}" };
	for (size_t i = 0; i < 3; i++) {
		struct strbuf z = STRBUF_INIT, back = STRBUF_INIT;
		mc_gzip(sizes_text[i], strlen(sizes_text[i]), &z);
		assert_true(z.len >= 18); /* header and trailer */
		assert_int_equal((unsigned char)z.buf[0], 0x1f);
		assert_int_equal((unsigned char)z.buf[1], 0x8b);
		assert_int_equal(mc_gunzip(z.buf, z.len, 100, &back), MC_GUNZIP_OK);
		assert_int_equal(back.len, strlen(sizes_text[i]));
		assert_memory_equal(back.buf ? back.buf : "", sizes_text[i], back.len);
		strbuf_release(&z);
		strbuf_release(&back);
	}
	/* 1 MB of repeated JSON: much smaller, the same bytes back */
	size_t n = 1u << 20;
	char *big = malloc(n);
	for (size_t i = 0; i < n; i++)
		big[i] = "{\"name\":\"Giấy khai sinh\",\"seq\":12},"[i % 36];
	struct strbuf z = STRBUF_INIT, back = STRBUF_INIT;
	mc_gzip(big, n, &z);
	assert_true(z.len < n / 50);
	assert_int_equal(mc_gunzip(z.buf, z.len, n, &back), MC_GUNZIP_OK);
	assert_int_equal(back.len, n);
	assert_memory_equal(back.buf, big, n);
	/* one byte less room: refused, and nothing beyond the limit was kept */
	strbuf_release(&back);
	assert_int_equal(mc_gunzip(z.buf, z.len, n - 1, &back), MC_GUNZIP_TOO_LARGE);
	assert_true(back.len <= n - 1);
	strbuf_release(&back);
	strbuf_release(&z);
	free(big);
}

static void test_bomb(void **state)
{
	(void)state;
	/* 64 MB of zeros: a stream of some 64 kB, refused at a 4 MiB limit */
	size_t n = 64u << 20;
	char *zeros = calloc(1, n);
	struct strbuf z = STRBUF_INIT, back = STRBUF_INIT;
	mc_gzip(zeros, n, &z);
	free(zeros);
	assert_true(z.len < 100000);
	assert_int_equal(mc_gunzip(z.buf, z.len, 4u << 20, &back), MC_GUNZIP_TOO_LARGE);
	assert_true(back.len <= 4u << 20);
	strbuf_release(&back);
	strbuf_release(&z);
}

static void test_broken(void **state)
{
	(void)state;
	struct strbuf z = STRBUF_INIT, back = STRBUF_INIT;
	const char *text = "{\"device_id\":\"dev-a\",\"ops\":[]} and some more text to compress";
	mc_gzip(text, strlen(text), &z);
	for (size_t cut = 1; cut < z.len; cut++) {
		assert_int_equal(mc_gunzip(z.buf, cut, 1000, &back), MC_GUNZIP_BAD);
		strbuf_reset(&back);
	}
	z.buf[z.len - 5] ^= 0x55; /* the length in the trailer */
	assert_int_equal(mc_gunzip(z.buf, z.len, 1000, &back), MC_GUNZIP_BAD);
	strbuf_reset(&back);
	assert_int_equal(mc_gunzip("plain text", 10, 1000, &back), MC_GUNZIP_BAD);
	assert_int_equal(mc_gunzip("", 0, 1000, &back), MC_GUNZIP_BAD);
	strbuf_release(&back);
	strbuf_release(&z);
}

static void test_members(void **state)
{
	(void)state;
	struct strbuf z = STRBUF_INIT, back = STRBUF_INIT;
	mc_gzip("hello, ", 7, &z);
	mc_gzip("world", 5, &z);
	assert_int_equal(mc_gunzip(z.buf, z.len, 100, &back), MC_GUNZIP_OK);
	assert_int_equal(back.len, 12);
	assert_memory_equal(back.buf, "hello, world", 12);
	strbuf_reset(&back);
	/* the limit counts both members */
	assert_int_equal(mc_gunzip(z.buf, z.len, 11, &back), MC_GUNZIP_TOO_LARGE);
	strbuf_release(&back);
	strbuf_release(&z);
}

static void test_accepts(void **state)
{
	(void)state;
	assert_true(mc_accepts_gzip("gzip"));
	assert_true(mc_accepts_gzip("deflate, gzip, br, zstd"));
	assert_true(mc_accepts_gzip("GZIP;q=0.5"));
	assert_true(mc_accepts_gzip("*"));
	assert_true(mc_accepts_gzip("br;q=1.0, x-gzip"));
	assert_false(mc_accepts_gzip(NULL));
	assert_false(mc_accepts_gzip(""));
	assert_false(mc_accepts_gzip("identity"));
	assert_false(mc_accepts_gzip("br, deflate"));
	assert_false(mc_accepts_gzip("gzip;q=0"));
	assert_false(mc_accepts_gzip("gzip; q=0.000"));
	assert_false(mc_accepts_gzip("gzipx"));
}

TESTS_MAIN(test_round_trip, test_bomb, test_broken, test_members, test_accepts)
