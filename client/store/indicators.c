/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Decision 766 indicators on SQLite, summed from the counts per unit,
 * clerk and day that the store's triggers keep (client/store/store.c, migration
 * 9 -> 10; the definitions in docs/indicators.md). ?1, ?2: the period's
 * [lo, hi) as days; ?3 unit, ?4 clerk (NULL: any). */
#include "client/store/indicators.h"

#include <sqlite3.h>
#include <string.h>

#include "client/store/calendar_store.h"
#include "core/calendar.h"
#include "core/xalloc.h"

static const char *const counts_sql =
	"SELECT coalesce(sum(received), 0), coalesce(sum(online), 0), coalesce(sum(reused), 0),"
	" coalesce(sum(transferred), 0), coalesce(sum(resolved), 0), coalesce(sum(on_time), 0),"
	" coalesce(sum(digitized), 0), coalesce(sum(rated), 0), coalesce(sum(satisfied), 0)"
	" FROM indicator_counts WHERE day >= ?1 AND day < ?2"
	" AND (?3 IS NULL OR unit_code = ?3) AND (?4 IS NULL OR clerk = ?4)";

int indicators_compute(struct store *st, const struct mc_ind_period *p, const char *unit,
		       const char *clerk, struct mc_indicator_value out[MC_IND_COUNT],
		       struct strbuf *err)
{
	memset(out, 0, sizeof(*out) * MC_IND_COUNT);
	sqlite3_stmt *q = store_prepare(st, counts_sql);
	if (!q) {
		if (err)
			strbuf_addf(err, "không đọc được chỉ số: %s", sqlite3_errmsg(st->db));
		return -1;
	}
	sqlite3_bind_text(q, 1, p->lo, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, p->hi, -1, SQLITE_STATIC);
	if (unit)
		sqlite3_bind_text(q, 3, unit, -1, SQLITE_STATIC);
	if (clerk)
		sqlite3_bind_text(q, 4, clerk, -1, SQLITE_STATIC);
	int rc = sqlite3_step(q);
	long long n[9];
	if (rc == SQLITE_ROW) {
		for (int i = 0; i < 9; i++)
			n[i] = sqlite3_column_int64(q, i);
	} else if (err) {
		strbuf_addf(err, "không đọc được chỉ số: %s", sqlite3_errmsg(st->db));
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_ROW)
		return -1;
	out[MC_IND_online] = (struct mc_indicator_value){ n[1], n[0] };
	out[MC_IND_reused] = (struct mc_indicator_value){ n[2], n[0] };
	out[MC_IND_transferred] = (struct mc_indicator_value){ n[3], n[0] };
	out[MC_IND_on_time] = (struct mc_indicator_value){ n[5], n[4] };
	out[MC_IND_digitized] = (struct mc_indicator_value){ n[6], n[4] };
	out[MC_IND_satisfaction] = (struct mc_indicator_value){ n[8], n[7] };
	return 0;
}

static const char *const queue_names[] = {
#define SQ_NAME(id, name) name,
	SUPERVISOR_QUEUES(SQ_NAME)
#undef SQ_NAME
};
static const char *const queue_args[] = { "overdue", "due-today", "due-soon", "waiting", "ready" };

const char *supervisor_queue_name(enum supervisor_queue q)
{
	return (unsigned)q < SQ_COUNT ? queue_names[q] : NULL;
}

enum supervisor_queue supervisor_queue_from_arg(const char *arg)
{
	for (int i = 0; i < SQ_COUNT; i++)
		if (arg && !strcmp(arg, queue_args[i]))
			return (enum supervisor_queue)i;
	return SQ_COUNT;
}

/* Calendar days from today to the end of the n-th working day after it. */
static int working_days_ahead(struct store *st, const struct mc_dt *now, int n, int *days,
			      struct strbuf *err)
{
	struct mc_calendar cal;
	mc_calendar_init(&cal);
	int rc = calendar_load_store(st, &cal, err);
	if (!rc) {
		long today = mc_days_from_civil(now->y, now->m, now->d), day = today;
		for (int i = 0; i < n && day >= 0; i++)
			day = mc_next_working_day(&cal, day);
		if (day < 0) {
			strbuf_addstr(err, "lịch không có ngày làm việc nào");
			rc = -1;
		} else {
			*days = (int)(day - today);
		}
	}
	mc_calendar_release(&cal);
	return rc;
}

int supervisor_queue_filter(struct store *st, enum supervisor_queue q, const struct mc_dt *now,
			    struct dossier_filter *f, struct strbuf *err)
{
	f->now = *now;
	f->order = DQ_BY_APPOINTMENT;
	switch (q) {
	case SQ_overdue:
		f->due = DQ_DUE_OVERDUE;
		break;
	case SQ_due_today:
		f->due = DQ_DUE_TODAY;
		break;
	case SQ_due_soon:
		f->due = DQ_DUE_SOON;
		return working_days_ahead(st, now, 2, &f->days, err);
	case SQ_waiting:
		f->due = DQ_DUE_ANY;
		f->status_mask = DQ_STATUS(5);
		break;
	case SQ_ready:
		f->due = DQ_DUE_ANY;
		f->status_mask = DQ_STATUS(9);
		break;
	default:
		strbuf_addstr(err, "không có hàng đợi này");
		return -1;
	}
	return 0;
}
