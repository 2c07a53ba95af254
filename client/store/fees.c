/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The fees recorded at the counter: see fees.h. */
#include "client/store/fees.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

int fees_put(struct store *st, const char *dossier_id, enum mc_fee_status status,
	     long long amount, const char *reason)
{
	sqlite3_stmt *q = store_prepare(st,
		"INSERT OR REPLACE INTO dossier_fees(dossier_id, status, amount, reason)"
		" VALUES (?, ?, ?, ?)");
	sqlite3_bind_text(q, 1, dossier_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, mc_fee_status_id(status), -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 3, amount);
	if (reason)
		sqlite3_bind_text(q, 4, reason, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(q, 4);
	int rc = sqlite3_step(q);
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

int fees_get(struct store *st, const char *dossier_id, struct fee_record *out)
{
	memset(out, 0, sizeof(*out));
	sqlite3_stmt *q = store_prepare(st,
		"SELECT status, amount, reason FROM dossier_fees WHERE dossier_id = ?");
	sqlite3_bind_text(q, 1, dossier_id, -1, SQLITE_STATIC);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		out->status = mc_fee_status_from_id((const char *)sqlite3_column_text(q, 0));
		out->amount = sqlite3_column_int64(q, 1);
		out->reason = store_col_text(q, 2);
	}
	sqlite3_finalize(q);
	return rc;
}

void fee_record_release(struct fee_record *r)
{
	free(r->reason);
	memset(r, 0, sizeof(*r));
}

int fees_closing(struct store *st, const char *day, const char *clerk, struct closing *out)
{
	memset(out, 0, sizeof(*out));
	snprintf(out->day, sizeof out->day, "%s", day);
	sqlite3_stmt *q = store_prepare(st,
		"SELECT d.unit_code, u.name, d.clerk, cl.full_name, count(*),"
		" coalesce(sum(f.status = 'collected'), 0), coalesce(sum(f.status = 'exempt'), 0),"
		" coalesce(sum(f.status = 'later'), 0), coalesce(sum(f.status IS NULL), 0),"
		" coalesce(sum(CASE WHEN f.status = 'collected' THEN f.amount END), 0),"
		" coalesce(sum(CASE WHEN f.status = 'later' THEN f.amount END), 0)"
		" FROM dossiers d LEFT JOIN dossier_fees f ON f.dossier_id = d.id"
		" LEFT JOIN units u ON u.code = d.unit_code"
		" LEFT JOIN clerks cl ON cl.username = d.clerk"
		" WHERE d.received_at >= ?1 || 'T' AND d.received_at < ?1 || 'U'"
		" AND (?2 IS NULL OR d.clerk = ?2)"
		" GROUP BY d.unit_code, d.clerk ORDER BY d.unit_code, d.clerk");
	sqlite3_bind_text(q, 1, day, -1, SQLITE_STATIC);
	if (clerk)
		sqlite3_bind_text(q, 2, clerk, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(q, 2);
	size_t alloc = 0;
	int step;
	struct closing_row *t = &out->total;
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		if (out->n == alloc) {
			alloc = alloc ? 2 * alloc : 8;
			out->rows = xrealloc(out->rows, alloc * sizeof(*out->rows));
		}
		struct closing_row *r = &out->rows[out->n++];
		r->unit_code = store_col_text(q, 0);
		r->unit_name = store_col_text(q, 1);
		r->clerk = store_col_text(q, 2);
		r->clerk_name = store_col_text(q, 3);
		r->received = (long)sqlite3_column_int64(q, 4);
		r->collected = (long)sqlite3_column_int64(q, 5);
		r->exempt = (long)sqlite3_column_int64(q, 6);
		r->later = (long)sqlite3_column_int64(q, 7);
		r->unrecorded = (long)sqlite3_column_int64(q, 8);
		r->collected_amount = sqlite3_column_int64(q, 9);
		r->later_amount = sqlite3_column_int64(q, 10);
		t->received += r->received;
		t->collected += r->collected;
		t->exempt += r->exempt;
		t->later += r->later;
		t->unrecorded += r->unrecorded;
		t->collected_amount += r->collected_amount;
		t->later_amount += r->later_amount;
	}
	sqlite3_finalize(q);
	if (step != SQLITE_DONE) {
		closing_release(out);
		return step;
	}
	return SQLITE_OK;
}

void closing_release(struct closing *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->rows[i].unit_code);
		free(c->rows[i].unit_name);
		free(c->rows[i].clerk);
		free(c->rows[i].clerk_name);
	}
	free(c->rows);
	memset(c, 0, sizeof(*c));
}
