/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "sync/numbering.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dcode.h"
#include "sync/sync.h"

long numbering_slot(const char *device_id)
{
	return mc_dcode_fallback_slot(device_id); /* the server checks the same range */
}

/* The device id when this workstation syncs, else NULL. */
static char *syncing_device(struct store *st)
{
	sqlite3_stmt *q = store_prepare(st, "SELECT device_id FROM sync_state WHERE id = 1"
					    " AND server_url IS NOT NULL AND device_id IS NOT NULL");
	char *id = NULL;
	if (sqlite3_step(q) == SQLITE_ROW)
		id = xstrdup((const char *)sqlite3_column_text(q, 0));
	sqlite3_finalize(q);
	return id;
}

/* Runs an UPSERT ... RETURNING of one integer; SQLITE_ROW/DONE handled. */
static int step_value(sqlite3_stmt *q, long *out)
{
	int step = sqlite3_step(q);
	if (step != SQLITE_ROW) {
		sqlite3_reset(q);
		return step == SQLITE_DONE ? SQLITE_ERROR : step;
	}
	*out = (long)sqlite3_column_int64(q, 0);
	step = sqlite3_step(q);
	sqlite3_reset(q);
	return step == SQLITE_DONE ? SQLITE_OK : step;
}

/* 0 when code is free, 1 when a dossier has it, -1 with *sqlrc. */
static int code_taken(sqlite3_stmt *taken, const char *code, int *sqlrc)
{
	sqlite3_bind_text(taken, 1, code, -1, SQLITE_STATIC);
	int step = sqlite3_step(taken);
	sqlite3_reset(taken);
	if (step == SQLITE_DONE)
		return 0;
	if (step == SQLITE_ROW)
		return 1;
	*sqlrc = step;
	return -1;
}

/* Today's plain numbering: the day's counter, one workstation. */
static int next_local(struct store *st, const char *ident, const struct mc_dt *d,
		      const char *day, char *code, size_t n, int *sqlrc)
{
	sqlite3_stmt *bump = store_prepare(st, "INSERT INTO code_seq(unit_ident, day, last)"
					       " VALUES (?, ?, 1) ON CONFLICT(unit_ident, day)"
					       " DO UPDATE SET last = last + 1 RETURNING last");
	sqlite3_stmt *taken = store_prepare(st, "SELECT 1 FROM dossiers WHERE code = ?");
	int rc = -1;
	for (;;) {
		long seq = 0; /* set by step_value when it says SQLITE_OK */
		sqlite3_bind_text(bump, 1, ident, -1, SQLITE_STATIC);
		sqlite3_bind_text(bump, 2, day, -1, SQLITE_STATIC);
		int step = step_value(bump, &seq);
		if (step != SQLITE_OK) {
			*sqlrc = step;
			break;
		}
		if (mc_dcode_format(code, n, ident, d->y, d->m, d->d, seq) < 0) {
			*sqlrc = SQLITE_RANGE;
			break;
		}
		int t = code_taken(taken, code, sqlrc);
		if (t <= 0) {
			rc = t;
			break;
		}
	}
	sqlite3_finalize(bump);
	sqlite3_finalize(taken);
	return rc;
}

/* The smallest leased number above the day's last one; 0 when none. */
static int next_leased(struct store *st, const char *ident, const char *day, const char *date,
		       long *seq)
{
	sqlite3_stmt *q = store_prepare(st,
		"SELECT max(l.first, coalesce((SELECT last FROM code_seq WHERE unit_ident = ?1"
		" AND day = ?2), 0) + 1) FROM sync_leases l WHERE l.unit_ident = ?1"
		" AND (l.day = '*' OR l.day = ?3) AND l.last > coalesce((SELECT last FROM code_seq"
		" WHERE unit_ident = ?1 AND day = ?2), 0) AND l.first < ?4 ORDER BY l.first LIMIT 1");
	sqlite3_bind_text(q, 1, ident, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, day, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, date, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 4, NUMBERING_FALLBACK_BASE);
	int step = sqlite3_step(q);
	*seq = step == SQLITE_ROW ? (long)sqlite3_column_int64(q, 0) : 0;
	sqlite3_finalize(q);
	return step == SQLITE_ROW || step == SQLITE_DONE ? SQLITE_OK : step;
}

static int next_synced(struct store *st, const char *device, const char *ident,
		       const struct mc_dt *d, const char *day, char *code, size_t n, bool *review,
		       int *sqlrc)
{
	char date[11];
	mc_format_date(date, sizeof date, d->y, d->m, d->d);
	sqlite3_stmt *set = store_prepare(st, "INSERT INTO code_seq(unit_ident, day, last)"
					      " VALUES (?1, ?2, ?3) ON CONFLICT(unit_ident, day)"
					      " DO UPDATE SET last = ?3");
	sqlite3_stmt *fallback = store_prepare(st, "INSERT INTO code_fallback(unit_ident, day, last)"
						   " VALUES (?, ?, 1) ON CONFLICT(unit_ident, day)"
						   " DO UPDATE SET last = last + 1 RETURNING last");
	sqlite3_stmt *taken = store_prepare(st, "SELECT 1 FROM dossiers WHERE code = ?");
	long slot = numbering_slot(device);
	int rc = -1;
	for (;;) {
		long seq;
		int step = next_leased(st, ident, day, date, &seq);
		if (step != SQLITE_OK) {
			*sqlrc = step;
			break;
		}
		*review = seq == 0;
		if (seq) {
			sqlite3_bind_text(set, 1, ident, -1, SQLITE_STATIC);
			sqlite3_bind_text(set, 2, day, -1, SQLITE_STATIC);
			sqlite3_bind_int64(set, 3, seq);
			step = sqlite3_step(set);
			sqlite3_reset(set);
			step = step == SQLITE_DONE ? SQLITE_OK : step;
		} else {
			long k = 0;
			sqlite3_bind_text(fallback, 1, ident, -1, SQLITE_STATIC);
			sqlite3_bind_text(fallback, 2, day, -1, SQLITE_STATIC);
			step = step_value(fallback, &k);
			if (step == SQLITE_OK && k > NUMBERING_FALLBACK_PER_DAY)
				step = SQLITE_RANGE;
			seq = NUMBERING_FALLBACK_BASE + slot * (NUMBERING_FALLBACK_PER_DAY + 1) + k;
		}
		if (step != SQLITE_OK) {
			*sqlrc = step;
			break;
		}
		if (mc_dcode_format(code, n, ident, d->y, d->m, d->d, seq) < 0) {
			*sqlrc = SQLITE_RANGE;
			break;
		}
		int t = code_taken(taken, code, sqlrc);
		if (t <= 0) {
			rc = t;
			break;
		}
	}
	sqlite3_finalize(set);
	sqlite3_finalize(fallback);
	sqlite3_finalize(taken);
	return rc;
}

int numbering_next(struct store *st, const char *ident, const struct mc_dt *d, char *code,
		   size_t n, bool *review, int *sqlrc)
{
	char day[8];
	snprintf(day, sizeof day, "%02d%02d%02d", d->y % 100, d->m, d->d);
	*review = false;
	char *device = syncing_device(st);
	int rc = device ? next_synced(st, device, ident, d, day, code, n, review, sqlrc)
			: next_local(st, ident, d, day, code, n, sqlrc);
	free(device);
	return rc;
}

int numbering_flag(struct store *st, const char *dossier_id, const char *code, const char *now)
{
	sqlite3_stmt *q = store_prepare(st, "INSERT INTO code_review(dossier_id, code, reason,"
					    " created_at) VALUES (?, ?, ?, ?)");
	sqlite3_bind_text(q, 1, dossier_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, code, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, "Cấp mã khi máy trạm không còn số được máy chủ cấp trước"
			  " (ngoại tuyến): cần kiểm tra trùng mã", -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, now, -1, SQLITE_STATIC);
	int rc = sqlite3_step(q);
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

long numbering_review_count(struct store *st)
{
	sqlite3_stmt *q = store_prepare(st, "SELECT count(*) FROM code_review");
	long n = sqlite3_step(q) == SQLITE_ROW ? (long)sqlite3_column_int64(q, 0) : 0;
	sqlite3_finalize(q);
	return n;
}

size_t numbering_reviews(struct store *st, size_t first, size_t count,
			 struct numbering_review *rows)
{
	sqlite3_stmt *q = store_prepare(st, "SELECT dossier_id, code, reason FROM code_review"
					    " ORDER BY rowid LIMIT ? OFFSET ?");
	sqlite3_bind_int64(q, 1, (sqlite3_int64)count);
	sqlite3_bind_int64(q, 2, (sqlite3_int64)first);
	size_t n = 0;
	while (n < count && sqlite3_step(q) == SQLITE_ROW) {
		struct numbering_review *r = &rows[n++];
		r->dossier_id = xstrdup((const char *)sqlite3_column_text(q, 0));
		r->code = xstrdup((const char *)sqlite3_column_text(q, 1));
		r->reason = xstrdup((const char *)sqlite3_column_text(q, 2));
	}
	sqlite3_finalize(q);
	return n;
}

void numbering_review_release(struct numbering_review *r)
{
	free(r->dossier_id);
	free(r->code);
	free(r->reason);
	memset(r, 0, sizeof(*r));
}

long numbering_free(struct store *st, const char *ident, const char *date)
{
	struct mc_date dd;
	if (mc_parse_date(date, &dd))
		return 0;
	char day[8];
	snprintf(day, sizeof day, "%02d%02d%02d", dd.y % 100, dd.m, dd.d);
	sqlite3_stmt *q = store_prepare(st,
		"SELECT coalesce(sum(min(l.last, ?4 - 1) - max(l.first, u.last + 1) + 1), 0)"
		" FROM sync_leases l, (SELECT coalesce((SELECT last FROM code_seq WHERE unit_ident = ?1"
		" AND day = ?2), 0) AS last) u WHERE l.unit_ident = ?1 AND (l.day = '*' OR l.day = ?3)"
		" AND l.last > u.last AND l.first < ?4");
	sqlite3_bind_text(q, 1, ident, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, day, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, date, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 4, NUMBERING_FALLBACK_BASE);
	long n = sqlite3_step(q) == SQLITE_ROW ? (long)sqlite3_column_int64(q, 0) : 0;
	sqlite3_finalize(q);
	return n;
}

long numbering_high(struct store *st, const char *ident)
{
	/* a code is IDENT-YYMMDD-N: N begins length(IDENT) + 9 */
	sqlite3_stmt *q = store_prepare(st,
		"SELECT max(coalesce((SELECT max(last) FROM sync_leases WHERE unit_ident = ?1"
		" AND last < ?2), 0), coalesce((SELECT max(last) FROM code_seq WHERE unit_ident = ?1"
		" AND last < ?2), 0), coalesce((SELECT max(n) FROM (SELECT CAST(substr(code,"
		" length(?1) + 9) AS INTEGER) AS n FROM dossiers WHERE code >= ?1 || '-'"
		" AND code < ?1 || '.') WHERE n < ?2), 0))");
	sqlite3_bind_text(q, 1, ident, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, NUMBERING_FALLBACK_BASE);
	int step = sqlite3_step(q);
	long n = step == SQLITE_ROW ? (long)sqlite3_column_int64(q, 0) : -1;
	sqlite3_finalize(q);
	return n;
}

int numbering_add_lease(struct store *st, const char *ident, const char *day, long first,
			long last, const char *now)
{
	sqlite3_stmt *q = store_prepare(st, "INSERT INTO sync_leases(unit_ident, day, first, last,"
					    " obtained_at) VALUES (?, ?, ?, ?, ?)"
					    " ON CONFLICT(unit_ident, first) DO NOTHING");
	sqlite3_bind_text(q, 1, ident, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, day, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 3, first);
	sqlite3_bind_int64(q, 4, last);
	sqlite3_bind_text(q, 5, now, -1, SQLITE_STATIC);
	int rc = sqlite3_step(q);
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}
