/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Each clerk's workload: see client/store/workload.h. */
#include "client/store/workload.h"

#include <stdlib.h>

#include "core/xalloc.h"

/* Open: not finished (new, received, processing, waiting, fees, result
 * ready); late: being handled (2, 4) past the appointment; both counted for
 * the clerk in charge (after any reassignment). Received today and this
 * week: for the clerk who received. ?1 today, ?2 tomorrow, ?3 Monday of
 * this week, ?4 now, ?5 the unit. Counted per receiving clerk over the index
 * (unit_code, status, clerk, appointment), then moved for the few dossiers
 * reassigned (one from the receiving clerk, one to the clerk in charge): on a
 * million dossiers 17 ms instead of 0.3 to 1 s reading every open dossier's
 * row (docs/PERFORMANCE.md). The week's receptions by the time index. */
#define OPEN "(1, 2, 4, 5, 6, 9)"
#define LATE "sum(d.status IN (2, 4) AND d.appointment < ?4)"
static const char workload_sql[] =
	"SELECT c.full_name, c.username, coalesce(sum(w.open), 0), coalesce(sum(w.today), 0),"
	" coalesce(sum(w.week), 0), coalesce(sum(w.late), 0)"
	" FROM clerks c LEFT JOIN ("
	"  SELECT d.clerk AS who, count(*) AS open, 0 AS today, 0 AS week, " LATE " AS late"
	"  FROM dossiers d WHERE d.unit_code = ?5 AND d.status IN " OPEN " GROUP BY d.clerk"
	"  UNION ALL"
	"  SELECT da.clerk, count(*), 0, 0, " LATE " FROM dossier_assignments da"
	"  CROSS JOIN dossiers d ON d.id = da.dossier_id"
	"  WHERE d.unit_code = ?5 AND d.status IN " OPEN " GROUP BY da.clerk"
	"  UNION ALL"
	"  SELECT d.clerk, -count(*), 0, 0, -" LATE " FROM dossier_assignments da"
	"  CROSS JOIN dossiers d ON d.id = da.dossier_id"
	"  WHERE d.unit_code = ?5 AND d.status IN " OPEN " GROUP BY d.clerk"
	"  UNION ALL"
	"  SELECT d.clerk, 0, sum(d.received_at >= ?1), count(*), 0 FROM dossiers d"
	"  WHERE +d.unit_code = ?5 AND d.received_at >= ?3 AND d.received_at < ?2 GROUP BY d.clerk"
	" ) w ON w.who = c.username"
	" WHERE c.unit_code = ?5 AND c.disabled = 0"
	" GROUP BY c.username ORDER BY c.full_name, c.username";
#undef OPEN
#undef LATE

void clerk_workloads_release(struct clerk_workloads *w)
{
	for (size_t i = 0; i < w->n; i++) {
		free(w->v[i].name);
		free(w->v[i].username);
	}
	FREE(&w->v);
	w->n = 0;
}

static void date_at(long days, char *buf, size_t n)
{
	int y, m, d;
	mc_civil_from_days(days, &y, &m, &d);
	mc_format_date(buf, n, y, m, d);
}

static char *text_dup(sqlite3_stmt *q, int i)
{
	const unsigned char *s = sqlite3_column_text(q, i);
	return xstrdup(s ? (const char *)s : "");
}

int clerk_workload_load(struct store *st, const char *unit, const struct mc_dt *now,
			struct clerk_workloads *out, struct strbuf *err)
{
	long today = mc_days_from_civil(now->y, now->m, now->d);
	long monday = today - (mc_weekday(today) + 6) % 7;
	char d_today[16], d_tomorrow[16], d_monday[16], nowtext[20];
	date_at(today, d_today, sizeof(d_today));
	date_at(today + 1, d_tomorrow, sizeof(d_tomorrow));
	date_at(monday, d_monday, sizeof(d_monday));
	mc_format_dt(nowtext, sizeof(nowtext), now);
	sqlite3_stmt *q = store_prepare(st, workload_sql);
	sqlite3_bind_text(q, 1, d_today, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, d_tomorrow, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, d_monday, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, nowtext, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 5, unit ? unit : "", -1, SQLITE_STATIC);
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		out->v = xrealloc(out->v, (out->n + 1) * sizeof(*out->v));
		struct clerk_workload *c = &out->v[out->n++];
		c->name = text_dup(q, 0);
		c->username = text_dup(q, 1);
		c->open = (long)sqlite3_column_int64(q, 2);
		c->today = (long)sqlite3_column_int64(q, 3);
		c->week = (long)sqlite3_column_int64(q, 4);
		c->late = (long)sqlite3_column_int64(q, 5);
	}
	sqlite3_finalize(q);
	if (rc == SQLITE_DONE)
		return 0;
	strbuf_addf(err, "không đọc được khối lượng công việc của cán bộ: %s",
		    store_errmsg_vn(rc));
	return -1;
}
