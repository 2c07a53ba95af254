/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Each clerk's workload, as the supervisor's screen shows it: for every
 * enabled clerk of a unit, the dossiers open and late in their charge
 * (after any reassignment) and those they received today and this week. */
#ifndef MC_WORKLOAD_H
#define MC_WORKLOAD_H
#include <stddef.h>

#include "client/store/store.h"
#include "core/datetime.h"

struct clerk_workload {
	char *name, *username; /* the clerk's full name and username */
	long open;  /* not finished (new, received, processing, waiting, fees,
		       result ready), in the clerk's charge */
	long late;  /* being handled (received, processing) past the
		       appointment, in the clerk's charge */
	long today; /* received by the clerk today */
	long week;  /* received by the clerk this week (since Monday) */
};

struct clerk_workloads {
	struct clerk_workload *v;
	size_t n;
};
void clerk_workloads_release(struct clerk_workloads *w);

/* Appends the workload of every enabled clerk of unit at now, by full name
 * then username. 0, or -1 with a Vietnamese err (the rows read before it
 * stay in out). */
int clerk_workload_load(struct store *st, const char *unit, const struct mc_dt *now,
			struct clerk_workloads *out, struct strbuf *err);

#endif
