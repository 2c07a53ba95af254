/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The dossier lifecycle: the national status codes (TrangThaiHoSo, as
 * exchanged with the National Public Service Portal), the actions a clerk or
 * citizen takes, and ONE table of allowed transitions (core/lifecycle.c) used
 * by the screens, the CLI and the server's validation alike. Pure code.
 *
 * A dossier received at the counter is created NEW and received in the same
 * transaction (an event 1 -> 2); an online dossier waits in NEW until a
 * clerk accepts it (it then gets its code and appointment: 1 -> 2), asks
 * the citizen through the portal for a supplement (1 -> 5; accepted from 5
 * once the supplement is in) or refuses it (1 -> 3). docs/portal.md. */
#ifndef MC_LIFECYCLE_H
#define MC_LIFECYCLE_H
#include <stdbool.h>
#include <stddef.h>

#include "core/xalloc.h"

/* enum name, national code, Vietnamese name */
#define MC_STATUSES(X) \
	X(MC_ST_NEW, 1, "Mới, chưa tiếp nhận") \
	X(MC_ST_RECEIVED, 2, "Đã tiếp nhận") \
	X(MC_ST_REFUSED, 3, "Không được tiếp nhận") \
	X(MC_ST_PROCESSING, 4, "Đang xử lý") \
	X(MC_ST_SUPPLEMENT, 5, "Chờ bổ sung") \
	X(MC_ST_FINANCE, 6, "Chờ thực hiện nghĩa vụ tài chính") \
	X(MC_ST_WITHDRAWN, 7, "Đã rút theo yêu cầu của người nộp") \
	X(MC_ST_STOPPED, 8, "Dừng xử lý") \
	X(MC_ST_RESULT, 9, "Đã có kết quả") \
	X(MC_ST_RETURNED, 10, "Đã trả kết quả")

#define MC_STATUS_ENUM(name, code, label) name = code,
enum mc_status { MC_STATUSES(MC_STATUS_ENUM) };
#undef MC_STATUS_ENUM
#define MC_STATUS_MIN 1
#define MC_STATUS_MAX 10

/* enum name, name in the CLI/keymaps/events, Vietnamese label, and what the
 * action needs (the message when it is not allowed). */
#define MC_ACTIONS(X) \
	X(MC_ACT_RECEIVE, "receive", "Tiếp nhận", \
	  "Không thể tiếp nhận: hồ sơ đã được tiếp nhận") \
	X(MC_ACT_TRANSFER, "transfer", "Chuyển xử lý", \
	  "Chỉ chuyển xử lý được hồ sơ đã tiếp nhận hoặc đang xử lý") \
	X(MC_ACT_REQUEST_SUPPLEMENT, "request-supplement", "Yêu cầu bổ sung", \
	  "Chỉ yêu cầu bổ sung được hồ sơ đã tiếp nhận hoặc đang xử lý") \
	X(MC_ACT_SUPPLEMENT_RECEIVED, "supplement-received", "Nhận hồ sơ bổ sung", \
	  "Không thể nhận hồ sơ bổ sung khi hồ sơ không chờ bổ sung") \
	X(MC_ACT_REFUSE, "refuse", "Từ chối tiếp nhận", \
	  "Không thể từ chối tiếp nhận hồ sơ đã được tiếp nhận") \
	X(MC_ACT_APOLOGIZE, "apologize", "Xin lỗi, hẹn lại", \
	  "Chỉ xin lỗi, hẹn lại được hồ sơ đang giải quyết, chưa có kết quả") \
	X(MC_ACT_REQUEST_PAYMENT, "request-payment", "Yêu cầu thực hiện nghĩa vụ tài chính", \
	  "Chỉ yêu cầu thực hiện nghĩa vụ tài chính được hồ sơ đang xử lý") \
	X(MC_ACT_PAID, "paid", "Đã thực hiện nghĩa vụ tài chính", \
	  "Không thể ghi nhận nghĩa vụ tài chính khi hồ sơ không chờ nghĩa vụ tài chính") \
	X(MC_ACT_RESULT_READY, "result-ready", "Có kết quả", \
	  "Chỉ ghi nhận có kết quả được cho hồ sơ đã tiếp nhận hoặc đang xử lý") \
	X(MC_ACT_RETURN, "return", "Trả kết quả", \
	  "Không thể trả kết quả khi hồ sơ chưa có kết quả") \
	X(MC_ACT_WITHDRAW, "withdraw", "Rút hồ sơ", \
	  "Không thể rút hồ sơ đã có kết quả") \
	X(MC_ACT_STOP, "stop", "Dừng xử lý", \
	  "Chỉ dừng xử lý được hồ sơ đang giải quyết, chưa có kết quả") \
	X(MC_ACT_RATE, "rate", "Đánh giá mức độ hài lòng", \
	  "Chỉ đánh giá được hồ sơ đã trả kết quả") \
	X(MC_ACT_ACCEPT, "accept", "Tiếp nhận hồ sơ trực tuyến", \
	  "Chỉ tiếp nhận được hồ sơ trực tuyến chưa tiếp nhận (mới hoặc đã yêu cầu bổ sung)") \
	X(MC_ACT_ONLINE_SUPPLEMENT, "online-supplement", "Yêu cầu bổ sung hồ sơ trực tuyến", \
	  "Chỉ yêu cầu bổ sung trực tuyến được hồ sơ trực tuyến mới, chưa tiếp nhận")

#define MC_ACTION_ENUM(name, id, label, needs) name,
enum mc_action { MC_ACTIONS(MC_ACTION_ENUM) MC_ACTION_COUNT };
#undef MC_ACTION_ENUM

struct mc_transition {
	enum mc_status from;
	enum mc_action action;
	enum mc_status to;
};

/* The table itself, for screens that list what can be done. */
const struct mc_transition *mc_lifecycle_table(size_t *n);

bool mc_status_valid(int code);
/* Vietnamese name of a status code, or NULL for an unknown code. */
const char *mc_status_name(int code);
/* "receive" ..., the Vietnamese label, the action for a name (-1 if none). */
const char *mc_action_id(enum mc_action a);
const char *mc_action_label(enum mc_action a);
int mc_action_from_id(const char *id);

/* Whether action a is allowed in status `from`. */
bool mc_lifecycle_allowed(int from, enum mc_action a);
/* Applies action a to a dossier in status `from`. Returns 0 and the new status
 * in *to, or -1 with a Vietnamese message in err (when err is not NULL), e.g.
 * "Không thể trả kết quả khi hồ sơ chưa có kết quả (trạng thái hiện tại:
 * Đang xử lý)". */
int mc_lifecycle_apply(int from, enum mc_action a, enum mc_status *to, struct strbuf *err);

/* Reassignment: a supervisor hands a dossier to another clerk of its unit
 * (op and event kind "reassign"). It changes no status, so it is not in the
 * table above: it is allowed while the dossier is not finished (1 new,
 * 2 received, 4 processing, 5 supplement, 6 finance, 9 result ready). */
#define MC_REASSIGN_ID "reassign"
#define MC_REASSIGN_LABEL "Giao cho cán bộ khác"
bool mc_reassign_allowed(int status);
/* 0, or -1 with a Vietnamese message in err (when not NULL). */
int mc_reassign_check(int status, struct strbuf *err);

#endif
