/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The outbox table: see outbox.h. */
#include "client/store/outbox.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

/* The states an operation still waiting for the server is in. */
#define PENDING "('pending', 'sending')"

/* Runs and finalizes a statement that returns no row. */
static int step_done(sqlite3_stmt *q)
{
	int rc = sqlite3_step(q);
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

int outbox_add(struct store *st, const char *op_id, const char *dossier_id, long long base_rev,
	       const char *op, const json_t *payload, const char *now)
{
	return outbox_add_entity(st, "dossier", op_id, dossier_id, base_rev, op, payload, now);
}

int outbox_add_entity(struct store *st, const char *entity, const char *op_id,
		      const char *entity_id, long long base_rev, const char *op,
		      const json_t *payload, const char *now)
{
	char *text = sync_payload_text(payload);
	char hash[SYNC_HASH_HEX + 1];
	sync_payload_hash_text(text, hash);
	sqlite3_stmt *q = store_prepare(st,
		"INSERT INTO outbox(op_id, entity, entity_id, base_rev, op, payload, payload_hash,"
		" state, created_at) VALUES (?1, ?8, ?2, ?3, ?4, ?5, ?6, 'pending', ?7)");
	sqlite3_bind_text(q, 1, op_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, entity_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 3, base_rev);
	sqlite3_bind_text(q, 4, op, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 5, text, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 6, hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 7, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 8, entity, -1, SQLITE_STATIC);
	int rc = step_done(q);
	free(text);
	return rc;
}

size_t outbox_next_batch(struct store *st, size_t max, struct sync_op *ops)
{
	return outbox_next_batch_at(st, max, ops, NULL);
}

size_t outbox_next_batch_at(struct store *st, size_t max, struct sync_op *ops, const char *now)
{
	/* a waiting operation not due holds its dossier's later ones (their
	 * order is the dossier's history); the index outbox_entity finds them */
	sqlite3_stmt *q = store_prepare(st, "SELECT op_id, entity, entity_id, base_rev, op,"
					    " payload, payload_hash FROM outbox o"
					    " WHERE state IN " PENDING " AND (?2 IS NULL OR NOT EXISTS"
					    " (SELECT 1 FROM outbox w WHERE w.entity_id = o.entity_id"
					    " AND w.state IN " PENDING " AND w.rowid <= o.rowid"
					    " AND w.next_attempt_at > ?2))"
					    " ORDER BY rowid LIMIT ?1");
	sqlite3_bind_int64(q, 1, (sqlite3_int64)max);
	if (now)
		sqlite3_bind_text(q, 2, now, -1, SQLITE_STATIC);
	size_t n = 0;
	while (n < max && sqlite3_step(q) == SQLITE_ROW) {
		const char *text = (const char *)sqlite3_column_text(q, 5);
		json_error_t je;
		json_t *payload = json_loads(text ? text : "", 0, &je);
		if (!json_is_object(payload)) {
			json_decref(payload);
			payload = json_object(); /* the server refuses it: visible as rejected */
		}
		struct sync_op *op = &ops[n++];
		memset(op, 0, sizeof(*op));
		op->op_id = store_col_text(q, 0);
		op->entity = store_col_text(q, 1);
		op->entity_id = store_col_text(q, 2);
		op->base_rev = sqlite3_column_int64(q, 3);
		op->op = store_col_text(q, 4);
		op->payload = payload;
		op->payload_hash = store_col_text(q, 6);
	}
	sqlite3_finalize(q);
	return n;
}

/* Refused unknown_dossier: pending again after a delay growing with its
 * answers, rejected after OUTBOX_WAIT_MAX of them (outbox.h). */
static int mark_waiting(struct store *st, const char *op_id, const char *message, const char *now)
{
	sqlite3_stmt *q = store_prepare(st,
		"UPDATE outbox SET state = CASE WHEN attempts + 1 >= ?4 THEN 'rejected' ELSE 'pending' END,"
		" error_code = '" OUTBOX_WAIT_CODE "', last_error = ?2, attempts = attempts + 1,"
		" answered_at = ?3, done_seq = NULL, server_rev = NULL,"
		" next_attempt_at = CASE WHEN attempts + 1 >= ?4 THEN NULL"
		" ELSE strftime('%Y-%m-%dT%H:%M', ?3, '+' || min(?5 << min(attempts, 16), ?6) || ' minutes') END"
		" WHERE op_id = ?1 AND state IN " PENDING " RETURNING state = 'pending'");
	sqlite3_bind_text(q, 1, op_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, message ? message : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, now, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 4, OUTBOX_WAIT_MAX);
	sqlite3_bind_int(q, 5, OUTBOX_WAIT_FIRST_MIN);
	sqlite3_bind_int(q, 6, OUTBOX_WAIT_CAP_MIN);
	int rc = sqlite3_step(q);
	int n = rc == SQLITE_ROW ? (sqlite3_column_int(q, 0) ? 2 : 1) : 0;
	if (rc == SQLITE_ROW)
		rc = sqlite3_step(q);
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? n : -1;
}

long outbox_dossier_known(struct store *st, const char *entity_id)
{
	sqlite3_stmt *q = store_prepare(st, "UPDATE outbox SET state = 'pending', next_attempt_at = NULL"
					    " WHERE entity_id = ? AND state IN ('pending', 'sending', 'rejected')"
					    " AND error_code = '" OUTBOX_WAIT_CODE "'"
					    " AND (state = 'rejected' OR next_attempt_at IS NOT NULL)");
	sqlite3_bind_text(q, 1, entity_id, -1, SQLITE_STATIC);
	if (step_done(q) != SQLITE_OK)
		return -1;
	return sqlite3_changes(st->db);
}

int outbox_mark(struct store *st, const char *op_id, enum sync_status status, long long rev,
		const char *code, const char *message, const char *now)
{
	bool done = status == SYNC_APPLIED || status == SYNC_DUPLICATE;
	if (status == SYNC_REJECTED && code && !strcmp(code, OUTBOX_WAIT_CODE))
		return mark_waiting(st, op_id, message, now);
	/* done_seq: after every operation acknowledged before; "IS NOT NULL"
	 * lets the partial index outbox_done give the largest at once (without
	 * it, max() reads the whole table) */
	sqlite3_stmt *q = store_prepare(st,
		"UPDATE outbox SET state = ?2, server_rev = ?3, error_code = ?4, last_error = ?5,"
		" attempts = attempts + 1, answered_at = ?6, next_attempt_at = NULL,"
		" done_seq = CASE WHEN ?2 = 'done' THEN (SELECT coalesce(max(done_seq), 0) + 1"
		" FROM outbox WHERE done_seq IS NOT NULL) END WHERE op_id = ?1 AND state IN " PENDING);
	sqlite3_bind_text(q, 1, op_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, done ? "done" : status == SYNC_CONFLICT ? "conflict" : "rejected", -1,
			  SQLITE_STATIC);
	if (done && rev > 0)
		sqlite3_bind_int64(q, 3, rev);
	if (!done) {
		sqlite3_bind_text(q, 4, code ? code : "unknown", -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 5, message ? message : "", -1, SQLITE_STATIC);
	}
	sqlite3_bind_text(q, 6, now, -1, SQLITE_STATIC);
	if (step_done(q) != SQLITE_OK)
		return -1;
	return sqlite3_changes(st->db) > 0;
}

long outbox_requeue_after(struct store *st, const char *after_op)
{
	sqlite3_stmt *q;
	if (after_op) {
		q = store_prepare(st, "SELECT 1 FROM outbox WHERE op_id = ? AND state = 'done'"
				      " AND done_seq IS NOT NULL");
		sqlite3_bind_text(q, 1, after_op, -1, SQLITE_STATIC);
		bool done = sqlite3_step(q) == SQLITE_ROW;
		sqlite3_finalize(q);
		if (!done)
			return 0;
		q = store_prepare(st, "UPDATE outbox SET state = 'pending', done_seq = NULL,"
				      " server_rev = NULL WHERE state = 'done'"
				      " AND done_seq > (SELECT done_seq FROM outbox WHERE op_id = ?1)");
		sqlite3_bind_text(q, 1, after_op, -1, SQLITE_STATIC);
	} else {
		q = store_prepare(st, "UPDATE outbox SET state = 'pending', done_seq = NULL,"
				      " server_rev = NULL WHERE state = 'done'");
	}
	if (step_done(q) != SQLITE_OK)
		return -1;
	return sqlite3_changes(st->db);
}

int outbox_retry(struct store *st, const char *op_id)
{
	sqlite3_stmt *q = store_prepare(st, "UPDATE outbox SET state = 'pending', next_attempt_at = NULL"
					    " WHERE op_id = ? AND (state IN ('rejected', 'conflict')"
					    " OR (state IN " PENDING " AND error_code = '" OUTBOX_WAIT_CODE "'))");
	sqlite3_bind_text(q, 1, op_id, -1, SQLITE_STATIC);
	return step_done(q);
}

bool outbox_unaccepted(struct store *st, const char *entity_id)
{
	sqlite3_stmt *q = store_prepare(st, "SELECT 1 FROM outbox WHERE entity_id = ?"
					    " AND state <> 'done' LIMIT 1");
	sqlite3_bind_text(q, 1, entity_id, -1, SQLITE_STATIC);
	bool yes = sqlite3_step(q) == SQLITE_ROW;
	sqlite3_finalize(q);
	return yes;
}

void outbox_counts(struct store *st, struct outbox_counts *c)
{
	memset(c, 0, sizeof(*c));
	/* the index outbox_state: never a walk of the done operations */
	sqlite3_stmt *q = store_prepare(st, "SELECT state, count(*) FROM outbox WHERE state IN"
					    " ('pending', 'sending', 'rejected', 'conflict')"
					    " GROUP BY state");
	while (sqlite3_step(q) == SQLITE_ROW) {
		const char *state = (const char *)sqlite3_column_text(q, 0);
		long n = (long)sqlite3_column_int64(q, 1);
		if (!strcmp(state, "rejected"))
			c->rejected += n;
		else if (!strcmp(state, "conflict"))
			c->conflict += n;
		else
			c->pending += n;
	}
	sqlite3_finalize(q);
	q = store_prepare(st, "SELECT count(*) FROM outbox WHERE state IN " PENDING
			      " AND error_code = '" OUTBOX_WAIT_CODE "'");
	if (sqlite3_step(q) == SQLITE_ROW)
		c->waiting = (long)sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
}

size_t outbox_problems(struct store *st, size_t first, size_t count, struct outbox_problem *rows)
{
	sqlite3_stmt *q = store_prepare(st,
		"SELECT o.op_id, coalesce(d.code, o.entity_id), o.op, o.state = 'conflict',"
		" o.error_code, coalesce(o.last_error, '')"
		" FROM outbox o LEFT JOIN dossiers d ON d.id = o.entity_id"
		" WHERE o.state IN ('rejected', 'conflict') ORDER BY o.rowid LIMIT ? OFFSET ?");
	sqlite3_bind_int64(q, 1, (sqlite3_int64)count);
	sqlite3_bind_int64(q, 2, (sqlite3_int64)first);
	size_t n = 0;
	while (n < count && sqlite3_step(q) == SQLITE_ROW) {
		struct outbox_problem *p = &rows[n++];
		p->op_id = store_col_text(q, 0);
		p->code = store_col_text(q, 1);
		p->op = store_col_text(q, 2);
		p->conflict = sqlite3_column_int(q, 3) != 0;
		p->error_code = store_col_text(q, 4);
		p->message = store_col_text(q, 5);
	}
	sqlite3_finalize(q);
	return n;
}

size_t outbox_waiting(struct store *st, size_t first, size_t count, struct outbox_problem *rows)
{
	sqlite3_stmt *q = store_prepare(st,
		"SELECT o.op_id, coalesce(d.code, o.entity_id), o.op, o.error_code,"
		" coalesce(o.last_error, '') || coalesce(' Thử lại lúc ' || substr(o.next_attempt_at, 12, 5)"
		" || ' ngày ' || substr(o.next_attempt_at, 9, 2) || '/' || substr(o.next_attempt_at, 6, 2)"
		" || ' hoặc khi máy chủ có hồ sơ.', '')"
		" FROM outbox o LEFT JOIN dossiers d ON d.id = o.entity_id"
		" WHERE o.state IN " PENDING " AND o.error_code = '" OUTBOX_WAIT_CODE "'"
		" ORDER BY o.rowid LIMIT ? OFFSET ?");
	sqlite3_bind_int64(q, 1, (sqlite3_int64)count);
	sqlite3_bind_int64(q, 2, (sqlite3_int64)first);
	size_t n = 0;
	while (n < count && sqlite3_step(q) == SQLITE_ROW) {
		struct outbox_problem *p = &rows[n++];
		p->op_id = store_col_text(q, 0);
		p->code = store_col_text(q, 1);
		p->op = store_col_text(q, 2);
		p->conflict = false;
		p->error_code = store_col_text(q, 3);
		p->message = store_col_text(q, 4);
	}
	sqlite3_finalize(q);
	return n;
}

void outbox_problem_release(struct outbox_problem *p)
{
	free(p->op_id);
	free(p->code);
	free(p->op);
	free(p->error_code);
	free(p->message);
	memset(p, 0, sizeof(*p));
}
