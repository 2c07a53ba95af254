/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The lifecycle: every (status, action) pair against an expected matrix
 * written out by hand, independently of the table in core/lifecycle.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "tests/unit/fixtures.h"

#include <string.h>

#include "core/lifecycle.h"

/* expected[status][action]: the new status, 0 when the action is refused.
 * Columns in enum order: receive, transfer, request-supplement,
 * supplement-received, refuse, apologize, request-payment, paid,
 * result-ready, return, withdraw, stop, rate, then the online dossier's
 * accept and online-supplement (docs/portal.md). */
static const int expected[MC_STATUS_MAX + 1][MC_ACTION_COUNT] = {
	/*        rcv tra rsu sup ref apo rpa pai res ret wdr stp rat acc osu */
	[1] = { 2, 0, 0, 0, 3, 0, 0, 0, 0, 0, 7, 0, 0, 2, 5 },
	[2] = { 0, 4, 5, 0, 0, 2, 0, 0, 9, 0, 7, 8, 0, 0, 0 },
	[3] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	[4] = { 0, 4, 5, 0, 0, 4, 6, 0, 9, 0, 7, 8, 0, 0, 0 },
	[5] = { 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 7, 8, 0, 2, 0 },
	[6] = { 0, 0, 0, 0, 0, 6, 0, 4, 0, 0, 7, 8, 0, 0, 0 },
	[7] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	[8] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	[9] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0 },
	[10] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 10, 0, 0 },
};

static void test_action_order(void **state)
{
	/* The matrix columns above assume this order. */
	static const char *const ids[] = { "receive", "transfer", "request-supplement",
					   "supplement-received", "refuse", "apologize",
					   "request-payment", "paid", "result-ready", "return",
					   "withdraw", "stop", "rate", "accept", "online-supplement" };
	assert_int_equal(MC_ACTION_COUNT, sizeof(ids) / sizeof(ids[0]));
	for (int a = 0; a < MC_ACTION_COUNT; a++) {
		assert_string_equal(mc_action_id(a), ids[a]);
		assert_int_equal(mc_action_from_id(ids[a]), a);
		assert_non_null(mc_action_label(a));
	}
	assert_int_equal(mc_action_from_id("approve"), -1);
	assert_string_equal(mc_action_label(MC_ACT_RETURN), "Trả kết quả");
}

static void test_statuses(void **state)
{
	assert_string_equal(mc_status_name(MC_ST_RECEIVED), "Đã tiếp nhận");
	assert_string_equal(mc_status_name(10), "Đã trả kết quả");
	assert_int_equal(MC_ST_NEW, 1);
	assert_int_equal(MC_ST_RETURNED, 10);
	for (int s = 1; s <= 10; s++) {
		assert_true(mc_status_valid(s));
		assert_non_null(mc_status_name(s));
	}
	assert_false(mc_status_valid(0));
	assert_false(mc_status_valid(11));
	assert_null(mc_status_name(0));
	assert_null(mc_status_name(11));
}

static void test_every_pair(void **state)
{
	int allowed = 0;
	for (int s = MC_STATUS_MIN; s <= MC_STATUS_MAX; s++) {
		for (int a = 0; a < MC_ACTION_COUNT; a++) {
			struct strbuf err = STRBUF_INIT;
			enum mc_status to = 0;
			int rc = mc_lifecycle_apply(s, a, &to, &err);
			int want = expected[s][a];
			if (want) {
				allowed++;
				if (rc != 0 || (int)to != want)
					fail_msg("%s in %d: rc %d to %d, want %d", mc_action_id(a), s, rc,
						 to, want);
				assert_true(mc_lifecycle_allowed(s, a));
				assert_int_equal(err.len, 0);
			} else {
				if (rc != -1)
					fail_msg("%s in %d allowed, want refused", mc_action_id(a), s);
				assert_false(mc_lifecycle_allowed(s, a));
				/* A Vietnamese reason that names the current status. */
				assert_true(err.len > 0);
				assert_non_null(strstr(err.buf, mc_status_name(s)));
				/* NULL err is allowed. */
				assert_int_equal(mc_lifecycle_apply(s, a, &to, NULL), -1);
			}
			strbuf_release(&err);
		}
	}
	size_t n;
	const struct mc_transition *t = mc_lifecycle_table(&n);
	assert_int_equal(n, allowed);
	/* The table holds each pair once and only what the matrix allows. */
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(expected[t[i].from][t[i].action], t[i].to);
		for (size_t j = i + 1; j < n; j++)
			assert_false(t[i].from == t[j].from && t[i].action == t[j].action);
	}
}

static void test_messages(void **state)
{
	struct strbuf err = STRBUF_INIT;
	enum mc_status to;
	assert_int_equal(mc_lifecycle_apply(MC_ST_PROCESSING, MC_ACT_RETURN, &to, &err), -1);
	assert_string_equal(err.buf, "Không thể trả kết quả khi hồ sơ chưa có kết quả"
				     " (trạng thái hiện tại: Đang xử lý)");
	strbuf_reset(&err);
	assert_int_equal(mc_lifecycle_apply(MC_ST_WITHDRAWN, MC_ACT_TRANSFER, &to, &err), -1);
	assert_string_equal(err.buf, "Hồ sơ đã kết thúc (Đã rút theo yêu cầu của người nộp),"
				     " không thể thực hiện «Chuyển xử lý»");
	strbuf_reset(&err);
	assert_int_equal(mc_lifecycle_apply(MC_ST_RETURNED, MC_ACT_RETURN, &to, &err), -1);
	assert_non_null(strstr(err.buf, "đã kết thúc"));
	strbuf_reset(&err);
	assert_int_equal(mc_lifecycle_apply(MC_ST_STOPPED, MC_ACT_RATE, &to, &err), -1);
	assert_non_null(strstr(err.buf, "Chỉ đánh giá được hồ sơ đã trả kết quả"));
	strbuf_reset(&err);
	assert_int_equal(mc_lifecycle_apply(MC_ST_RECEIVED, MC_ACT_SUPPLEMENT_RECEIVED, &to, &err), -1);
	assert_non_null(strstr(err.buf, "không chờ bổ sung"));
	strbuf_reset(&err);
	assert_int_equal(mc_lifecycle_apply(0, MC_ACT_RECEIVE, &to, &err), -1);
	assert_non_null(strstr(err.buf, "không hợp lệ"));
	strbuf_reset(&err);
	assert_int_equal(mc_lifecycle_apply(11, MC_ACT_RECEIVE, &to, &err), -1);
	strbuf_reset(&err);
	assert_int_equal(mc_lifecycle_apply(2, MC_ACTION_COUNT, &to, &err), -1);
	assert_non_null(strstr(err.buf, "không hợp lệ"));
	strbuf_release(&err);
}

/* A counter dossier's usual life, one step at a time. */
static void test_a_whole_life(void **state)
{
	static const enum mc_action steps[] = {
		MC_ACT_RECEIVE, MC_ACT_TRANSFER, MC_ACT_REQUEST_SUPPLEMENT,
		MC_ACT_SUPPLEMENT_RECEIVED, MC_ACT_TRANSFER, MC_ACT_REQUEST_PAYMENT,
		MC_ACT_PAID, MC_ACT_APOLOGIZE, MC_ACT_RESULT_READY, MC_ACT_RETURN, MC_ACT_RATE,
	};
	static const int after[] = { 2, 4, 5, 4, 4, 6, 4, 4, 9, 10, 10 };
	enum mc_status s = MC_ST_NEW;
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		enum mc_status to;
		assert_int_equal(mc_lifecycle_apply(s, steps[i], &to, NULL), 0);
		assert_int_equal(to, after[i]);
		s = to;
	}
}

TESTS_MAIN(test_action_order, test_statuses, test_every_pair, test_messages, test_a_whole_life)
