/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The supervisor's pure pieces: which statuses may be reassigned (by hand,
 * independently of core/lifecycle.c), the queue's filters and orders on
 * hand-built rows, the sparkline. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "tests/unit/fixtures.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/store/supervision.h"
#include "core/lifecycle.h"
#include "core/text.h"
#include "core/xalloc.h"

static void test_reassign_statuses(void **state)
{
	(void)state;
	static const int open[MC_STATUS_MAX + 1] = { [1] = 1, [2] = 1, [4] = 1, [5] = 1, [6] = 1,
						     [9] = 1 };
	for (int st = 0; st <= MC_STATUS_MAX + 1; st++) {
		struct strbuf err = STRBUF_INIT;
		bool want = st <= MC_STATUS_MAX && open[st];
		assert_int_equal(mc_reassign_allowed(st), want);
		assert_int_equal(mc_reassign_check(st, &err), want ? 0 : -1);
		if (!want)
			assert_non_null(err.buf);
		strbuf_release(&err);
	}
	struct strbuf err = STRBUF_INIT;
	mc_reassign_check(10, &err);
	assert_string_equal(err.buf, "Chỉ giao lại được hồ sơ chưa kết thúc (trạng thái hiện tại:"
				     " Đã trả kết quả)");
	strbuf_release(&err);
}

static void item(struct queue_items *q, const char *code, const char *applicant,
		 const char *proc, const char *unit, const char *clerk, const char *name,
		 const char *received, const char *due)
{
	q->v = xrealloc(q->v, (q->n + 1) * sizeof(*q->v));
	struct queue_item *it = &q->v[q->n++];
	memset(it, 0, sizeof(*it));
	it->row.code = xstrdup(code);
	it->row.applicant_name = xstrdup(applicant);
	it->row.id_number = xstrdup("");
	it->row.procedure_code = xstrdup(proc);
	it->row.procedure_name = xstrdup("Thủ tục");
	it->row.unit_code = xstrdup(unit);
	snprintf(it->row.received_at, sizeof(it->row.received_at), "%s", received);
	snprintf(it->row.appointment, sizeof(it->row.appointment), "%s", due);
	it->clerk = xstrdup(clerk);
	it->clerk_name = xstrdup(name);
	char *all = xasprintf("%s %s %s %s %s", code, applicant, proc, clerk, name);
	it->fold = mc_text_fold(all);
	free(all);
}

/* The codes' last digit of the selection, as a string: "312". */
static void expect(const struct queue_items *q, const struct queue_view_filter *f,
		   enum queue_sort s, const char *want)
{
	size_t *idx;
	size_t n = queue_select(q, f, s, &idx);
	char got[16] = "";
	for (size_t i = 0; i < n && i < sizeof(got) - 1; i++)
		got[i] = q->v[idx[i]].row.code[strlen(q->v[idx[i]].row.code) - 1];
	free(idx);
	assert_string_equal(got, want);
}

static void test_queue_select(void **state)
{
	(void)state;
	struct queue_items q = { 0 };
	item(&q, "H-1", "Nguyễn Văn An", "1.002", "00004", "lan", "Trần Thị Lan",
	     "2025-08-04T08:00", "2025-08-06T08:00");
	item(&q, "H-2", "Đặng Thị Bích", "1.001", "00008", "an", "Lê Văn An",
	     "2025-08-01T08:00", "2025-08-05T08:00");
	item(&q, "H-3", "Phạm Đức", "1.001", "00004", "lan", "Trần Thị Lan",
	     "2025-08-02T08:00", "2025-08-07T08:00");
	struct queue_view_filter all = { NULL, NULL, NULL };
	expect(&q, &all, QS_due, "213");
	expect(&q, &all, QS_received, "231");
	expect(&q, &all, QS_clerk, "213");     /* Lê Văn An before Trần Thị Lan */
	expect(&q, &all, QS_procedure, "231"); /* 1.001 (by due: 2, 3), then 1.002 */
	struct queue_view_filter lan = { "lan", NULL, NULL };
	expect(&q, &lan, QS_due, "13");
	struct queue_view_filter unit = { NULL, "00004", "" };
	expect(&q, &unit, QS_received, "31");
	struct queue_view_filter words = { NULL, NULL, "DANG bich" }; /* đ folds to d */
	expect(&q, &words, QS_due, "2");
	struct queue_view_filter none = { "an", "00004", NULL };
	expect(&q, &none, QS_due, "");
	queue_items_release(&q);
}

static void test_sparkline(void **state)
{
	(void)state;
	struct mc_indicator_value v[] = { { 0, 0 }, { 0, 4 }, { 1, 2 }, { 3, 4 }, { 4, 4 } };
	char buf[64];
	indicators_sparkline(buf, sizeof(buf), v, 5);
	assert_string_equal(buf, "·▁▅▆█");
}

TESTS_MAIN(test_reassign_statuses, test_queue_select, test_sparkline)
