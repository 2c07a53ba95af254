/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Decision 766 indicators over the local store (SQLite). The definitions
 * are in docs/indicators.md and must stay the same as server/indicators.c. */
#ifndef MC_CLIENT_INDICATORS_H
#define MC_CLIENT_INDICATORS_H

#include "client/store/store.h"
#include "client/store/dossier_query.h"
#include "core/indicators.h"

/* Counts every indicator over the period for the dossiers received by unit
 * (NULL: every unit) and clerk (NULL: every clerk). Returns 0, or -1 with a
 * Vietnamese message in err. */
int indicators_compute(struct store *st, const struct mc_ind_period *p, const char *unit,
		       const char *clerk, struct mc_indicator_value out[MC_IND_COUNT],
		       struct strbuf *err);

/* The supervisor's queues, each a dossier list filter. */
#define SUPERVISOR_QUEUES(X) \
	X(overdue, "Quá hạn") \
	X(due_today, "Đến hạn hôm nay") \
	X(due_soon, "Đến hạn trong 2 ngày làm việc") \
	X(waiting, "Chờ bổ sung") \
	X(ready, "Có kết quả, chưa trả")

enum supervisor_queue {
#define SQ_ENUM(id, name) SQ_##id,
	SUPERVISOR_QUEUES(SQ_ENUM)
#undef SQ_ENUM
	SQ_COUNT
};
const char *supervisor_queue_name(enum supervisor_queue q);
/* "overdue", "due-today", "due-soon", "waiting", "ready"; SQ_COUNT if unknown. */
enum supervisor_queue supervisor_queue_from_arg(const char *arg);

/* Sets f (dossier_filter_init first) to the queue at now: overdue, due today,
 * due by the end of the 2nd working day after today (the calendar of the
 * store: holidays, worked Saturdays), waiting for a supplement (5), result
 * ready and not returned (9). Returns 0, or -1 with err. */
int supervisor_queue_filter(struct store *st, enum supervisor_queue q, const struct mc_dt *now,
			    struct dossier_filter *f, struct strbuf *err);

#endif
