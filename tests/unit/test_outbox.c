/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The outbox (client/store/outbox.h) on a real store: what a reception
 * queues and its hash (also a row as older versions wrote it), the batch
 * the push sends, the server's answers, the queue again after a server
 * restored from a backup, a retry from the sync screen, the counts, the
 * guard of the change feed, and the sync screen's list (sync_issues). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>
#include <sodium.h>

#include "client/store/dossier_tx.h"
#include "client/store/outbox.h"
#include "client/store/store.h"
#include "core/syncproto.h"
#include "core/xalloc.h"
#include "sync/numbering.h"
#include "sync/sync.h"
#include "fixtures.h"

static char *text(struct store *st, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static char *text(struct store *st, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *sql = xvasprintf(fmt, ap);
	va_end(ap);
	sqlite3_stmt *q = store_prepare(st, sql);
	free(sql);
	char *s = NULL;
	if (sqlite3_step(q) == SQLITE_ROW)
		s = xstrdup(sqlite3_column_text(q, 0) ? (const char *)sqlite3_column_text(q, 0) : "");
	sqlite3_finalize(q);
	return s ? s : xstrdup("(no row)");
}

#define assert_text(st, want, ...) do { \
	char *got_ = text((st), __VA_ARGS__); \
	assert_string_equal(got_, (want)); \
	free(got_); \
} while (0)

/* Queues op_id on dossier id with a small payload, in a transaction. */
static void add(struct fixture *f, const char *op_id, const char *id, long long base_rev)
{
	json_t *p = json_pack("{s:s, s:I, s:{s:s, s:s}}", "id", id, "rev", (json_int_t)base_rev + 1,
			      "event", "id", op_id, "kind", "transfer");
	exec_ok(&f->st, "BEGIN IMMEDIATE");
	assert_int_equal(outbox_add(&f->st, op_id, id, base_rev, "transfer", p, "2025-10-27T10:00"),
			 SQLITE_OK);
	exec_ok(&f->st, "COMMIT");
	json_decref(p);
}

static void release_ops(struct sync_op *ops, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sync_op_release(&ops[i]);
}

/* The row a reception queues: its text and the SHA-256 of that very text,
 * the hash the server checks; a row written by older versions (text and
 * hash made by hand) is the same. */
static void test_add_and_hash(void **state)
{
	struct fixture *f = *state;
	char *code = fixture_receive(f, "2025-10-27T09:32", "Nguyễn Văn An", NULL, NULL);
	assert_text(&f->st, "receive|dossier|0|pending|2025-10-27T09:32",
		    "SELECT op || '|' || entity || '|' || base_rev || '|' || state || '|' || created_at"
		    " FROM outbox");
	char *payload = text(&f->st, "SELECT payload FROM outbox");
	char *hash = text(&f->st, "SELECT payload_hash FROM outbox");
	json_t *j = json_loads(payload, 0, NULL);
	assert_non_null(j);
	char *again = sync_payload_text(j);
	assert_string_equal(again, payload); /* the server writes it again the same */
	assert_true(sync_payload_hash_matches(j, hash));
	assert_string_equal(json_string_value(json_object_get(j, "code")), code);
	free(again);
	json_decref(j);

	/* as dossier_tx.c and demo.c wrote rows before: compact text, its SHA-256 */
	json_t *old = json_pack("{s:s, s:i, s:i, s:s, s:{s:s, s:s, s:s}}", "id", "d-old", "status", 4,
				"rev", 2, "updated_at", "2025-10-01T08:00", "event", "id", "ev-old",
				"kind", "transfer", "actor", "Trần Văn Bình");
	char *otext = json_dumps(old, JSON_COMPACT);
	unsigned char h[crypto_hash_sha256_BYTES];
	char hex[crypto_hash_sha256_BYTES * 2 + 1];
	crypto_hash_sha256(h, (const unsigned char *)otext, strlen(otext));
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	exec_ok(&f->st, "INSERT INTO outbox(op_id, entity, entity_id, base_rev, op, payload,"
			" payload_hash, state, created_at) VALUES ('op-old', 'dossier', 'd-old', 1,"
			" 'transfer', '%s', '%s', 'pending', '2025-10-01T08:00')", otext, hex);
	struct sync_op ops[4];
	assert_int_equal(outbox_next_batch(&f->st, 4, ops), 2);
	assert_string_equal(ops[1].op_id, "op-old");
	assert_string_equal(ops[1].payload_hash, hex);
	assert_true(sync_payload_hash_matches(ops[1].payload, ops[1].payload_hash));
	assert_true(sync_payload_hash_matches(ops[0].payload, ops[0].payload_hash));
	/* the other text, keys sorted, is not the payload's hash */
	char sorted[SYNC_HASH_HEX + 1];
	sync_payload_hash(ops[1].payload, sorted);
	assert_string_not_equal(sorted, hex);
	assert_false(sync_payload_hash_matches(ops[1].payload, sorted));
	release_ops(ops, 2);
	json_decref(old);
	free(otext);
	free(payload);
	free(hash);
	free(code);
}

/* Oldest first, at most max; 'sending' is pending; a damaged payload goes
 * as {} (to be refused and shown). */
static void test_next_batch(void **state)
{
	struct fixture *f = *state;
	struct sync_op ops[8];
	assert_int_equal(outbox_next_batch(&f->st, 8, ops), 0);
	add(f, "op-1", "d-1", 1);
	add(f, "op-2", "d-2", 3);
	add(f, "op-3", "d-1", 2);
	exec_ok(&f->st, "UPDATE outbox SET state = 'sending' WHERE op_id = 'op-2'");
	exec_ok(&f->st, "UPDATE outbox SET state = 'done' WHERE op_id = 'op-1'");
	assert_int_equal(outbox_next_batch(&f->st, 8, ops), 2);
	assert_string_equal(ops[0].op_id, "op-2");
	assert_string_equal(ops[0].entity, "dossier");
	assert_string_equal(ops[0].entity_id, "d-2");
	assert_int_equal(ops[0].base_rev, 3);
	assert_string_equal(ops[0].op, "transfer");
	assert_int_equal(json_integer_value(json_object_get(ops[0].payload, "rev")), 4);
	assert_true(sync_hash_valid(ops[0].payload_hash));
	assert_string_equal(ops[1].op_id, "op-3");
	release_ops(ops, 2);
	assert_int_equal(outbox_next_batch(&f->st, 1, ops), 1);
	assert_string_equal(ops[0].op_id, "op-2");
	release_ops(ops, 1);
	exec_ok(&f->st, "UPDATE outbox SET payload = 'not json' WHERE op_id = 'op-2'");
	assert_int_equal(outbox_next_batch(&f->st, 1, ops), 1);
	assert_true(json_is_object(ops[0].payload));
	assert_int_equal(json_object_size(ops[0].payload), 0);
	release_ops(ops, 1);
}

/* The server's answers; done operations numbered in the order answered;
 * a second answer to the same operation changes nothing. */
static void test_mark(void **state)
{
	struct fixture *f = *state;
	add(f, "op-1", "d-1", 1);
	add(f, "op-2", "d-2", 1);
	add(f, "op-3", "d-3", 1);
	add(f, "op-4", "d-4", 1);
	const char *now = "2025-10-27T11:00";
	assert_int_equal(outbox_mark(&f->st, "op-2", SYNC_APPLIED, 2, NULL, NULL, now), 1);
	assert_int_equal(outbox_mark(&f->st, "op-1", SYNC_DUPLICATE, 0, NULL, NULL, now), 1);
	assert_int_equal(outbox_mark(&f->st, "op-3", SYNC_REJECTED, 0, "bad_payload", "Thiếu", now), 1);
	assert_int_equal(outbox_mark(&f->st, "op-4", SYNC_CONFLICT, 0, "stale_rev", NULL, now), 1);
	assert_text(&f->st, "op-2:done:2:1:: op-1:done::2:: op-3:rejected:::bad_payload:Thiếu"
		    " op-4:conflict:::stale_rev:",
		    "SELECT group_concat(op_id || ':' || state || ':' || coalesce(server_rev, '') || ':'"
		    " || coalesce(done_seq, '') || ':' || coalesce(error_code, '') || ':' ||"
		    " coalesce(last_error, ''), ' ') FROM (SELECT * FROM outbox ORDER BY"
		    " coalesce(done_seq, 9), rowid)");
	assert_text(&f->st, "1|1|1|1|2025-10-27T11:00",
		    "SELECT min(attempts) || '|' || max(attempts) || '|' || count(DISTINCT answered_at)"
		    " || '|' || (next_attempt_at IS NULL) || '|' || answered_at FROM outbox");
	assert_int_equal(outbox_mark(&f->st, "op-2", SYNC_CONFLICT, 0, "x", "y", now), 0);
	assert_int_equal(outbox_mark(&f->st, "op-9", SYNC_APPLIED, 1, NULL, NULL, now), 0);
	assert_text(&f->st, "done", "SELECT state FROM outbox WHERE op_id = 'op-2'");
	/* no code from the server: still a code */
	add(f, "op-5", "d-5", 1);
	assert_int_equal(outbox_mark(&f->st, "op-5", SYNC_REJECTED, 0, NULL, NULL, now), 1);
	assert_text(&f->st, "unknown|", "SELECT error_code || '|' || last_error FROM outbox"
		    " WHERE op_id = 'op-5'");
}

/* A server restored from a backup: what it lost goes again. */
static void test_requeue(void **state)
{
	struct fixture *f = *state;
	const char *now = "2025-10-27T11:00";
	for (int i = 1; i <= 4; i++) {
		char op[16], id[16];
		snprintf(op, sizeof op, "op-%d", i);
		snprintf(id, sizeof id, "d-%d", i);
		add(f, op, id, 1);
		assert_int_equal(outbox_mark(&f->st, op, SYNC_APPLIED, 2, NULL, NULL, now), 1);
	}
	/* the server knows op-2: op-3 and op-4 are pending again */
	assert_int_equal(outbox_requeue_after(&f->st, "op-2"), 2);
	assert_text(&f->st, "op-1:done:1 op-2:done:2 op-3:pending: op-4:pending:",
		    "SELECT group_concat(op_id || ':' || state || ':' || coalesce(done_seq, ''), ' ')"
		    " FROM outbox");
	assert_text(&f->st, "0", "SELECT count(*) FROM outbox WHERE state = 'pending'"
		    " AND server_rev IS NOT NULL");
	/* answered again: after the others */
	assert_int_equal(outbox_mark(&f->st, "op-4", SYNC_DUPLICATE, 2, NULL, NULL, now), 1);
	assert_int_equal(outbox_mark(&f->st, "op-3", SYNC_APPLIED, 2, NULL, NULL, now), 1);
	assert_text(&f->st, "op-1:1 op-2:2 op-4:3 op-3:4",
		    "SELECT group_concat(op_id || ':' || done_seq, ' ') FROM (SELECT * FROM outbox"
		    " ORDER BY done_seq)");
	/* an operation not done here, or unknown: nothing */
	add(f, "op-5", "d-5", 1);
	assert_int_equal(outbox_requeue_after(&f->st, "op-5"), 0);
	assert_int_equal(outbox_requeue_after(&f->st, "op-x"), 0);
	assert_int_equal(outbox_requeue_after(&f->st, "op-3"), 0); /* the last one */
	/* a server with none: every done operation */
	assert_int_equal(outbox_requeue_after(&f->st, NULL), 4);
	struct outbox_counts c;
	outbox_counts(&f->st, &c);
	assert_int_equal(c.pending, 5);
}

/* The sync screen: the problems, a retry, the codes to review after them. */
static void test_problems_retry_counts(void **state)
{
	struct fixture *f = *state;
	const char *now = "2025-10-27T11:00";
	char *code = fixture_receive(f, "2025-10-27T09:32", "Nguyễn Văn An", NULL, NULL);
	char *op_id = text(&f->st, "SELECT op_id FROM outbox");
	char *id = text(&f->st, "SELECT entity_id FROM outbox");
	add(f, "op-2", "d-gone", 1);
	add(f, "op-3", "d-3", 1);
	add(f, "op-4", "d-4", 1);
	struct outbox_counts c;
	outbox_counts(&f->st, &c);
	assert_int_equal(c.pending, 4);
	assert_int_equal(c.rejected + c.conflict, 0);
	assert_true(outbox_unaccepted(&f->st, id));
	assert_false(outbox_unaccepted(&f->st, "d-none"));

	assert_int_equal(outbox_mark(&f->st, op_id, SYNC_CONFLICT, 0, "code_taken", "Mã đã dùng", now), 1);
	assert_int_equal(outbox_mark(&f->st, "op-2", SYNC_REJECTED, 0, "out_of_scope", "Ngoài", now), 1);
	assert_int_equal(outbox_mark(&f->st, "op-3", SYNC_APPLIED, 2, NULL, NULL, now), 1);
	outbox_counts(&f->st, &c);
	assert_int_equal(c.pending, 1);
	assert_int_equal(c.conflict, 1);
	assert_int_equal(c.rejected, 1);
	assert_true(outbox_unaccepted(&f->st, id));      /* in conflict: still ours */
	assert_false(outbox_unaccepted(&f->st, "d-3")); /* accepted */

	struct outbox_problem p[3];
	assert_int_equal(outbox_problems(&f->st, 0, 3, p), 2);
	assert_string_equal(p[0].op_id, op_id);
	assert_string_equal(p[0].code, code); /* the dossier's code */
	assert_string_equal(p[0].op, "receive");
	assert_true(p[0].conflict);
	assert_string_equal(p[0].error_code, "code_taken");
	assert_string_equal(p[0].message, "Mã đã dùng");
	assert_string_equal(p[1].code, "d-gone"); /* no such dossier here: its id */
	assert_false(p[1].conflict);
	outbox_problem_release(&p[0]);
	outbox_problem_release(&p[1]);
	assert_int_equal(outbox_problems(&f->st, 1, 3, p), 1);
	assert_string_equal(p[0].op_id, "op-2");
	outbox_problem_release(&p[0]);

	/* with two codes to review, the screen's list runs on after the problems */
	exec_ok(&f->st, "BEGIN");
	assert_int_equal(numbering_flag(&f->st, "r-1", "H01.00004-251027-900010001", now), SQLITE_OK);
	assert_int_equal(numbering_flag(&f->st, "r-2", "H01.00004-251027-900010002", now), SQLITE_OK);
	exec_ok(&f->st, "COMMIT");
	struct sync_view v;
	sync_view_load(&f->st, &v);
	assert_int_equal(v.problems, 2);
	assert_int_equal(v.review, 2);
	assert_int_equal(v.pending, 1);
	sync_view_release(&v);
	struct sync_issue is[5];
	assert_int_equal(sync_issues(&f->st, 0, 5, is), 4);
	assert_int_equal(is[0].kind, SYNC_ISSUE_CONFLICT);
	assert_string_equal(is[0].reason, "Mã đã dùng (code_taken)");
	assert_string_equal(is[0].op_id, op_id);
	assert_int_equal(is[1].kind, SYNC_ISSUE_REJECTED);
	assert_string_equal(is[1].op, "transfer");
	assert_int_equal(is[2].kind, SYNC_ISSUE_REVIEW);
	assert_string_equal(is[2].code, "H01.00004-251027-900010001");
	assert_string_equal(is[2].op, "receive");
	assert_null(is[2].op_id);
	assert_non_null(strstr(is[2].reason, "kiểm tra trùng mã"));
	assert_string_equal(is[3].code, "H01.00004-251027-900010002");
	for (int i = 0; i < 4; i++)
		sync_issue_release(&is[i]);
	/* a page that starts among the problems and one among the codes */
	assert_int_equal(sync_issues(&f->st, 1, 2, is), 2);
	assert_string_equal(is[0].op_id, "op-2");
	assert_int_equal(is[1].kind, SYNC_ISSUE_REVIEW);
	sync_issue_release(&is[0]);
	sync_issue_release(&is[1]);
	assert_int_equal(sync_issues(&f->st, 3, 5, is), 1);
	assert_string_equal(is[0].code, "H01.00004-251027-900010002");
	sync_issue_release(&is[0]);
	assert_int_equal(sync_issues(&f->st, 4, 5, is), 0);

	/* Enter on the conflict: pending again, its last error kept until the answer */
	assert_int_equal(outbox_retry(&f->st, op_id), SQLITE_OK);
	assert_int_equal(outbox_retry(&f->st, "op-3"), SQLITE_OK); /* done: untouched */
	assert_int_equal(outbox_retry(&f->st, "op-x"), SQLITE_OK);
	assert_text(&f->st, "pending|code_taken", "SELECT state || '|' || error_code FROM outbox"
		    " WHERE op_id = '%s'", op_id);
	assert_text(&f->st, "done", "SELECT state FROM outbox WHERE op_id = 'op-3'");
	outbox_counts(&f->st, &c);
	assert_int_equal(c.pending, 2);
	assert_int_equal(c.conflict, 0);
	free(code);
	free(op_id);
	free(id);
}

/* Refused unknown_dossier: the operation waits (pending, a next try one
 * minute later, doubled at each answer), holds its dossier's later
 * operations but not another dossier's, is woken when the dossier arrives,
 * and is rejected after OUTBOX_WAIT_MAX answers; the sync screen lists it
 * between the problems and the codes. */
static void test_waiting(void **state)
{
	struct fixture *f = *state;
	add(f, "w-1", "d-a", 1);
	add(f, "w-2", "d-a", 2);
	add(f, "w-3", "d-b", 1);
	const char *now = "2025-10-27T10:00";
	exec_ok(&f->st, "BEGIN IMMEDIATE");
	assert_int_equal(outbox_mark(&f->st, "w-1", SYNC_REJECTED, 0, "unknown_dossier",
				     "Máy chủ chưa có hồ sơ d-a", now), 2);
	exec_ok(&f->st, "COMMIT");
	assert_text(&f->st, "pending|unknown_dossier|2025-10-27T10:01|1",
		    "SELECT state || '|' || error_code || '|' || next_attempt_at || '|' || attempts"
		    " FROM outbox WHERE op_id = 'w-1'");
	struct sync_op ops[4];
	/* not due: it and d-a's later operation wait, d-b's goes */
	assert_int_equal(outbox_next_batch_at(&f->st, 4, ops, now), 1);
	assert_string_equal(ops[0].op_id, "w-3");
	release_ops(ops, 1);
	assert_int_equal(outbox_next_batch_at(&f->st, 4, ops, "2025-10-27T10:01"), 3);
	release_ops(ops, 3);
	struct outbox_counts c;
	outbox_counts(&f->st, &c);
	assert_int_equal(c.pending, 3);
	assert_int_equal(c.waiting, 1);
	assert_int_equal(c.rejected, 0);
	struct sync_issue is[3];
	assert_int_equal(sync_issues(&f->st, 0, 3, is), 1);
	assert_int_equal(is[0].kind, SYNC_ISSUE_WAITING);
	assert_string_equal(is[0].op_id, "w-1");
	assert_non_null(strstr(is[0].reason, "Thử lại lúc 10:01 ngày 27/10"));
	sync_issue_release(&is[0]);
	/* the next answer doubles the delay */
	exec_ok(&f->st, "BEGIN IMMEDIATE");
	assert_int_equal(outbox_mark(&f->st, "w-1", SYNC_REJECTED, 0, "unknown_dossier", "x", now), 2);
	exec_ok(&f->st, "COMMIT");
	assert_text(&f->st, "2025-10-27T10:02", "SELECT next_attempt_at FROM outbox WHERE op_id = 'w-1'");
	/* the change feed brings d-a: due now */
	assert_int_equal(outbox_dossier_known(&f->st, "d-b"), 0);
	assert_int_equal(outbox_dossier_known(&f->st, "d-a"), 1);
	assert_int_equal(outbox_next_batch_at(&f->st, 4, ops, now), 3);
	release_ops(ops, 3);
	/* the limit: rejected, still woken by its dossier */
	exec_ok(&f->st, "UPDATE outbox SET attempts = 19 WHERE op_id = 'w-1'");
	exec_ok(&f->st, "BEGIN IMMEDIATE");
	assert_int_equal(outbox_mark(&f->st, "w-1", SYNC_REJECTED, 0, "unknown_dossier", "x", now), 1);
	exec_ok(&f->st, "COMMIT");
	outbox_counts(&f->st, &c);
	assert_int_equal(c.rejected, 1);
	assert_int_equal(c.waiting, 0);
	assert_int_equal(outbox_dossier_known(&f->st, "d-a"), 1);
	assert_text(&f->st, "pending", "SELECT state FROM outbox WHERE op_id = 'w-1'");
	/* applied at last: no error kept */
	exec_ok(&f->st, "BEGIN IMMEDIATE");
	assert_int_equal(outbox_mark(&f->st, "w-1", SYNC_APPLIED, 2, NULL, NULL, now), 1);
	exec_ok(&f->st, "COMMIT");
	assert_text(&f->st, "done|", "SELECT state || '|' || coalesce(error_code, '') FROM outbox"
		    " WHERE op_id = 'w-1'");
}

FIXTURE_MAIN("outbox", test_add_and_hash, test_next_batch, test_mark, test_requeue,
	     test_problems_retry_counts, test_waiting)
