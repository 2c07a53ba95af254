/* The Decision 766 indicators on SQLite: three statements, one per
 * denominator (dossiers received, dossiers resolved, ratings given in the
 * period). ?1, ?2: the period's [lo, hi); ?3 unit, ?4 clerk (NULL: any). */
#include "client/indicators.h"

#include <sqlite3.h>
#include <string.h>

#include "client/calendar_store.h"
#include "core/calendar.h"
#include "core/xalloc.h"

#define SEL " (?3 IS NULL OR d.unit_code = ?3) AND (?4 IS NULL OR d.clerk = ?4)"

static const char *const received_sql =
	"SELECT count(*), coalesce(sum(d.channel = 2), 0),"
	" coalesce(sum(EXISTS(SELECT 1 FROM dossier_components c WHERE c.dossier_id = d.id"
	"  AND c.reused = 1)), 0),"
	" coalesce(sum(EXISTS(SELECT 1 FROM events t WHERE t.dossier_id = d.id"
	"  AND t.kind = 'transfer')), 0)"
	" FROM dossiers d WHERE d.received_at >= ?1 AND d.received_at < ?2 AND" SEL;

static const char *const resolved_sql =
	"SELECT count(*), coalesce(sum(e.device_time <= d.appointment), 0),"
	" coalesce(sum(d.result_document_id IS NOT NULL AND NOT EXISTS(SELECT 1"
	"  FROM dossier_components c WHERE c.dossier_id = d.id"
	"  AND c.originals + c.copies > 0 AND c.document_id IS NULL)), 0)"
	" FROM events e JOIN dossiers d ON d.id = e.dossier_id"
	" WHERE e.kind = 'result-ready' AND e.device_time >= ?1 AND e.device_time < ?2 AND" SEL;

static const char *const rated_sql =
	"SELECT count(*), coalesce(sum(json_extract(e.payload, '$.rating') IN (1, 2)), 0)"
	" FROM events e JOIN dossiers d ON d.id = e.dossier_id"
	" WHERE e.kind = 'rate' AND e.device_time >= ?1 AND e.device_time < ?2 AND" SEL;

/* Runs sql and stores its columns in cols[0..n-1]. */
static int run(struct store *st, const char *sql, const struct mc_ind_period *p, const char *unit,
	       const char *clerk, long long *cols, int n, struct strbuf *err)
{
	sqlite3_stmt *q = store_prepare(st, sql);
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
	if (rc == SQLITE_ROW) {
		for (int i = 0; i < n; i++)
			cols[i] = sqlite3_column_int64(q, i);
	} else if (err) {
		strbuf_addf(err, "không đọc được chỉ số: %s", sqlite3_errmsg(st->db));
	}
	sqlite3_finalize(q);
	return rc == SQLITE_ROW ? 0 : -1;
}

int indicators_compute(struct store *st, const struct mc_ind_period *p, const char *unit,
		       const char *clerk, struct mc_indicator_value out[MC_IND_COUNT],
		       struct strbuf *err)
{
	long long r[4], f[3], s[2];
	memset(out, 0, sizeof(*out) * MC_IND_COUNT);
	if (run(st, received_sql, p, unit, clerk, r, 4, err) ||
	    run(st, resolved_sql, p, unit, clerk, f, 3, err) ||
	    run(st, rated_sql, p, unit, clerk, s, 2, err))
		return -1;
	out[MC_IND_online] = (struct mc_indicator_value){ r[1], r[0] };
	out[MC_IND_reused] = (struct mc_indicator_value){ r[2], r[0] };
	out[MC_IND_transferred] = (struct mc_indicator_value){ r[3], r[0] };
	out[MC_IND_on_time] = (struct mc_indicator_value){ f[1], f[0] };
	out[MC_IND_digitized] = (struct mc_indicator_value){ f[2], f[0] };
	out[MC_IND_satisfaction] = (struct mc_indicator_value){ s[1], s[0] };
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
