/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the benchmarks share: their clock, the sort of their times and, for
 * those that receive dossiers, a reception's input. Each file of bench/ is a
 * program of its own, so these are static inline. */
#ifndef MC_BENCH_H
#define MC_BENCH_H
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "client/services/reception.h"
#include "client/store/store.h"
#include "core/xalloc.h"

/* Milliseconds since t0 (CLOCK_MONOTONIC). */
static inline double bench_ms_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

/* Milliseconds of the process's CPU time (user + sys, every thread) since
 * c0 (CLOCK_PROCESS_CPUTIME_ID): what a loaded machine does not inflate. */
static inline double bench_cpu_ms_since(const struct timespec *c0)
{
	struct timespec c1;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
	return (double)(c1.tv_sec - c0->tv_sec) * 1e3 + (double)(c1.tv_nsec - c0->tv_nsec) / 1e6;
}

/* qsort's comparison of doubles, smallest first. */
static inline int bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* in: reception i of procedure proc, every mandatory component presented
 * (an original when the catalog asks for none), one of five applicants with
 * a CCCD number of their own. Returns the number of components: 0 when the
 * store has no reference data for proc. */
static inline size_t bench_reception_input(struct store *st, struct reception_input *in,
					   const char *proc, int i)
{
	static const char *const names[] = { "Nguyễn Văn Bình", "Trần Thị Thu Hà", "Lê Đức Anh",
					     "Phạm Thị Ngọc Lan", "Đặng Quốc Việt" };
	reception_input_init(in);
	in->procedure = xstrdup(proc);
	in->applicant.full_name = xstrdup(names[i % 5]);
	in->applicant.sex = (i % 5) % 2 ? 'F' : 'M';
	/* CCCD: province 001, century and sex digit, year 90, six digits */
	in->applicant.id_number = xasprintf("001%c90%06d", in->applicant.sex == 'F' ? '1' : '0',
					    (100000 + i) % 1000000);
	in->applicant.birth_date = xstrdup("1990-01-20");
	in->applicant.phone = xstrdup("0912345678");
	in->applicant.address = xstrdup("Số 12 ngõ 5 phố Đội Cấn");
	in->applicant.commune = xstrdup("00004");
	sqlite3_stmt *q = store_prepare(st, "SELECT seq, originals, copies FROM components"
					    " WHERE procedure_code = ? AND mandatory = 1 ORDER BY seq");
	sqlite3_bind_text(q, 1, proc, -1, SQLITE_STATIC);
	while (sqlite3_step(q) == SQLITE_ROW) {
		in->components = xrealloc(in->components,
					  (in->n_components + 1) * sizeof(*in->components));
		struct reception_component *c = &in->components[in->n_components++];
		memset(c, 0, sizeof(*c));
		c->id = sqlite3_column_int(q, 0);
		c->originals = sqlite3_column_int(q, 1);
		c->copies = sqlite3_column_int(q, 2);
		if (!c->originals && !c->copies)
			c->originals = 1;
	}
	sqlite3_finalize(q);
	return in->n_components;
}

#endif
