/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench_outbox: a workstation's day-to-day receptions, for the sync benchmark.
 *
 *   bench_outbox --db PATH --count N --user CLERK [--start YYYY-MM-DD] [--per-day K]
 *
 * Receives N dossiers into a store made by `motcua init --unit ...` (and
 * logged in, so that codes come from the server's leases) through
 * reception_commit, the code behind the wizard and `motcua receive`: each
 * writes its dossier, components, event and the outbox row the sync pushes,
 * exactly as at the counter (no receipt PDF). K a day (default 200) on the
 * working days from --start (default 2025-10-01), 07:30 onwards, one every
 * two minutes: a leased block of numbers serves each day again. Five kinds
 * of applicants and procedures' mandatory components, as bench_reception.
 * Prints the count and the time per reception, checks that the outbox
 * (client/store/outbox.h) holds one more pending operation per reception,
 * and times the push's read of its first batch with all of them waiting
 * (outbox_next_batch of SYNC_MAX_OPS operations). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench/bench.h"
#include "client/services/reception.h"
#include "client/store/outbox.h"
#include "client/store/store.h"
#include "core/datetime.h"
#include "core/xalloc.h"

static const char *const procedures[] = { "1.001193", "1.000894", "1.001022" };

static void die(const char *what, const char *msg)
{
	fprintf(stderr, "bench_outbox: %s: %s\n", what, msg ? msg : "?");
	exit(1);
}

static void make_input(struct store *st, struct reception_input *in, int i)
{
	if (!bench_reception_input(st, in, procedures[i % 3], i))
		die(procedures[i % 3], "no mandatory component (reference data missing?)");
}

/* The push's first batch, read as sync/engine.c reads it before a request
 * (nothing marked). */
static void read_queue(struct store *st, long pending)
{
	struct sync_op *ops = xcalloc(SYNC_MAX_OPS, sizeof(*ops));
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	size_t n = outbox_next_batch(st, SYNC_MAX_OPS, ops);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	for (size_t i = 0; i < n; i++)
		sync_op_release(&ops[i]);
	free(ops);
	double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	printf("bench_outbox: %ld operations waiting; the first batch of %zu read in %.2f ms\n",
	       pending, n, ms);
}

int main(int argc, char **argv)
{
	const char *db = NULL, *user = NULL, *start = "2025-10-01";
	long count = 0, per_day = 200;
	for (int i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--db"))
			db = argv[i + 1];
		else if (!strcmp(argv[i], "--count"))
			count = atol(argv[i + 1]);
		else if (!strcmp(argv[i], "--user"))
			user = argv[i + 1];
		else if (!strcmp(argv[i], "--start"))
			start = argv[i + 1];
		else if (!strcmp(argv[i], "--per-day"))
			per_day = atol(argv[i + 1]);
		else
			count = -1;
	}
	struct mc_date d0;
	if (argc % 2 == 0 || !db || !user || count < 1 || per_day < 1 || per_day > 250 ||
	    mc_parse_date(start, &d0)) {
		fputs("usage: bench_outbox --db PATH --count N --user CLERK [--start YYYY-MM-DD]"
		      " [--per-day K (1..250)]\n", stderr);
		return 2;
	}
	struct store st;
	struct strbuf err = STRBUF_INIT;
	if (store_open(&st, db, 0, &err))
		die(db, err.buf);
	struct outbox_counts before, after;
	outbox_counts(&st, &before);
	long day = mc_days_from_civil(d0.y, d0.m, d0.d), done_today = 0;
	while (mc_weekday(day) == 0 || mc_weekday(day) == 6)
		day++;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (long i = 0; i < count; i++) {
		if (done_today == per_day) {
			done_today = 0;
			do
				day++;
			while (mc_weekday(day) == 0 || mc_weekday(day) == 6);
		}
		struct mc_dt now;
		mc_dt_from_minutes((long long)day * 1440 + 7 * 60 + 30 + 2 * done_today, &now);
		done_today++;
		struct reception_input in;
		struct reception_result res;
		struct reception_error rerr;
		make_input(&st, &in, (int)i);
		reception_result_init(&res);
		if (reception_commit_flags(&st, &in, user, &now, RECEPTION_NO_RECEIPT, &res, &rerr))
			die("reception_commit", rerr.msg);
		reception_result_release(&res);
		reception_input_release(&in);
		if ((i + 1) % 1000 == 0) {
			printf("bench_outbox: %ld receptions\r", i + 1);
			fflush(stdout);
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("bench_outbox: %ld receptions into %s in %.1f s (%.2f ms each)\n", count, db, s,
	       s * 1e3 / (double)count);
	outbox_counts(&st, &after);
	if (after.pending - before.pending != count)
		die("outbox", "not one pending operation per reception");
	read_queue(&st, after.pending);
	store_close(&st);
	strbuf_release(&err);
	return 0;
}
