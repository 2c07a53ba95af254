/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The fee of a dossier: see fee.h. */
#include "core/fee.h"

#include <stdio.h>
#include <string.h>

#include "core/text.h"
#include "core/xalloc.h"

static const char *const ids[] = {
	[MC_FEE_NONE] = "", [MC_FEE_COLLECTED] = "collected", [MC_FEE_EXEMPT] = "exempt",
	[MC_FEE_LATER] = "later",
};

static const char *const names[] = {
	[MC_FEE_NONE] = "Chưa ghi", [MC_FEE_COLLECTED] = "Đã thu", [MC_FEE_EXEMPT] = "Miễn",
	[MC_FEE_LATER] = "Nộp sau",
};

const char *mc_fee_status_id(enum mc_fee_status s)
{
	return (unsigned)s <= MC_FEE_LATER ? ids[s] : "";
}

enum mc_fee_status mc_fee_status_from_id(const char *id)
{
	if (!id)
		return MC_FEE_NONE;
	for (int s = MC_FEE_COLLECTED; s <= MC_FEE_LATER; s++)
		if (!strcmp(id, ids[s]))
			return (enum mc_fee_status)s;
	return MC_FEE_NONE;
}

const char *mc_fee_status_name(enum mc_fee_status s)
{
	return (unsigned)s <= MC_FEE_LATER ? names[s] : names[MC_FEE_NONE];
}

int mc_fee_check(enum mc_fee_status s, long long amount, const char *reason, char *msg,
		 size_t n, const char **field)
{
	const char *f = NULL;
	if (s < MC_FEE_COLLECTED || s > MC_FEE_LATER) {
		f = "status";
		snprintf(msg, n, "Tình trạng phí, lệ phí phải là collected (đã thu), exempt (miễn)"
			 " hoặc later (nộp sau)");
	} else if (amount < 0 || amount > MC_FEE_MAX) {
		char max[48];
		mc_fee_format_vnd(MC_FEE_MAX, max, sizeof max);
		f = "amount";
		snprintf(msg, n, "Số tiền phí, lệ phí phải là số nguyên đồng từ 0 đến %s", max);
	} else if (s == MC_FEE_EXEMPT && mc_text_blank(reason)) {
		f = "reason";
		snprintf(msg, n, "Miễn phí, lệ phí cần ghi lý do miễn");
	} else if (reason && s != MC_FEE_EXEMPT && !mc_text_blank(reason)) {
		f = "reason";
		snprintf(msg, n, "Lý do chỉ ghi khi miễn phí, lệ phí (exempt)");
	} else if (reason && !mc_text_valid(reason)) {
		f = "reason";
		snprintf(msg, n, "Lý do miễn phí chứa byte không phải UTF-8");
	} else if (reason && mc_text_chars(reason) > MC_FEE_REASON_MAX) {
		f = "reason";
		snprintf(msg, n, "Lý do miễn phí dài %zu ký tự, quá %d ký tự cho phép",
			 mc_text_chars(reason), MC_FEE_REASON_MAX);
	} else {
		for (const char *p = reason; p && *p; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f) {
				f = "reason";
				snprintf(msg, n, "Lý do miễn phí chứa ký tự điều khiển");
				break;
			}
	}
	if (field)
		*field = f;
	return f ? -1 : 0;
}

void mc_fee_format_vnd(long long amount, char *buf, size_t n)
{
	char digits[32], out[48];
	bool neg = amount < 0;
	snprintf(digits, sizeof digits, "%llu",
		 neg ? 0ULL - (unsigned long long)amount : (unsigned long long)amount);
	size_t len = strlen(digits), o = 0;
	if (neg)
		out[o++] = '-';
	for (size_t i = 0; i < len; i++) {
		if (i && (len - i) % 3 == 0)
			out[o++] = '.';
		out[o++] = digits[i];
	}
	out[o] = '\0';
	snprintf(buf, n, "%s đồng", out);
}

char *mc_fee_receipt_text(enum mc_fee_status s, long long amount, const char *reason)
{
	char vnd[48];
	mc_fee_format_vnd(amount, vnd, sizeof vnd);
	switch (s) {
	case MC_FEE_COLLECTED:
		return xasprintf("%s (đã thu)", vnd);
	case MC_FEE_EXEMPT:
		return xasprintf("Miễn phí: %s", reason ? reason : "");
	case MC_FEE_LATER:
		return xasprintf("Nộp sau (%s)", vnd);
	default:
		return xstrdup(vnd);
	}
}
