/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "core/lifecycle.h"

#include <string.h>

/*
 * THE table of allowed transitions: (status, action) -> new status. Anything
 * not listed is refused. Keep it the single source of truth.
 */
static const struct mc_transition transitions[] = {
	/* 1 new: an online dossier, or a counter dossier being entered */
	{ MC_ST_NEW, MC_ACT_RECEIVE, MC_ST_RECEIVED },
	{ MC_ST_NEW, MC_ACT_REFUSE, MC_ST_REFUSED },
	{ MC_ST_NEW, MC_ACT_WITHDRAW, MC_ST_WITHDRAWN },
	{ MC_ST_NEW, MC_ACT_ACCEPT, MC_ST_RECEIVED },
	{ MC_ST_NEW, MC_ACT_ONLINE_SUPPLEMENT, MC_ST_SUPPLEMENT },
	/* 2 received */
	{ MC_ST_RECEIVED, MC_ACT_TRANSFER, MC_ST_PROCESSING },
	{ MC_ST_RECEIVED, MC_ACT_REQUEST_SUPPLEMENT, MC_ST_SUPPLEMENT },
	{ MC_ST_RECEIVED, MC_ACT_APOLOGIZE, MC_ST_RECEIVED },
	{ MC_ST_RECEIVED, MC_ACT_RESULT_READY, MC_ST_RESULT }, /* settled at the counter */
	{ MC_ST_RECEIVED, MC_ACT_WITHDRAW, MC_ST_WITHDRAWN },
	{ MC_ST_RECEIVED, MC_ACT_STOP, MC_ST_STOPPED },
	/* 4 processing: also hand-overs between agencies (liên thông) */
	{ MC_ST_PROCESSING, MC_ACT_TRANSFER, MC_ST_PROCESSING },
	{ MC_ST_PROCESSING, MC_ACT_REQUEST_SUPPLEMENT, MC_ST_SUPPLEMENT },
	{ MC_ST_PROCESSING, MC_ACT_REQUEST_PAYMENT, MC_ST_FINANCE },
	{ MC_ST_PROCESSING, MC_ACT_APOLOGIZE, MC_ST_PROCESSING },
	{ MC_ST_PROCESSING, MC_ACT_RESULT_READY, MC_ST_RESULT },
	{ MC_ST_PROCESSING, MC_ACT_WITHDRAW, MC_ST_WITHDRAWN },
	{ MC_ST_PROCESSING, MC_ACT_STOP, MC_ST_STOPPED },
	/* 5 waiting for supplement: the clock is paused, so no apology */
	{ MC_ST_SUPPLEMENT, MC_ACT_SUPPLEMENT_RECEIVED, MC_ST_PROCESSING },
	{ MC_ST_SUPPLEMENT, MC_ACT_WITHDRAW, MC_ST_WITHDRAWN },
	{ MC_ST_SUPPLEMENT, MC_ACT_STOP, MC_ST_STOPPED },
	{ MC_ST_SUPPLEMENT, MC_ACT_ACCEPT, MC_ST_RECEIVED }, /* an online dossier, supplemented */
	/* 6 waiting for the financial obligation (fees, taxes) */
	{ MC_ST_FINANCE, MC_ACT_PAID, MC_ST_PROCESSING },
	{ MC_ST_FINANCE, MC_ACT_APOLOGIZE, MC_ST_FINANCE },
	{ MC_ST_FINANCE, MC_ACT_WITHDRAW, MC_ST_WITHDRAWN },
	{ MC_ST_FINANCE, MC_ACT_STOP, MC_ST_STOPPED },
	/* 9 result ready */
	{ MC_ST_RESULT, MC_ACT_RETURN, MC_ST_RETURNED },
	/* 10 result returned: the citizen rates the service */
	{ MC_ST_RETURNED, MC_ACT_RATE, MC_ST_RETURNED },
	/* 3 refused, 7 withdrawn, 8 stopped: final */
};

#define N_TRANSITIONS (sizeof(transitions) / sizeof(transitions[0]))

const struct mc_transition *mc_lifecycle_table(size_t *n)
{
	*n = N_TRANSITIONS;
	return transitions;
}

#define STATUS_NAME(name, code, label) [code] = label,
static const char *const status_names[MC_STATUS_MAX + 1] = { MC_STATUSES(STATUS_NAME) };
#undef STATUS_NAME

#define ACTION_FIELDS(name, id, label, needs) [name] = { id, label, needs },
static const struct {
	const char *id, *label, *needs;
} actions[MC_ACTION_COUNT] = { MC_ACTIONS(ACTION_FIELDS) };
#undef ACTION_FIELDS

bool mc_status_valid(int code)
{
	return code >= MC_STATUS_MIN && code <= MC_STATUS_MAX;
}

const char *mc_status_name(int code)
{
	return mc_status_valid(code) ? status_names[code] : NULL;
}

static bool action_valid(enum mc_action a)
{
	return (int)a >= 0 && a < MC_ACTION_COUNT;
}

const char *mc_action_id(enum mc_action a)
{
	return action_valid(a) ? actions[a].id : NULL;
}

const char *mc_action_label(enum mc_action a)
{
	return action_valid(a) ? actions[a].label : NULL;
}

int mc_action_from_id(const char *id)
{
	for (int i = 0; i < MC_ACTION_COUNT; i++)
		if (!strcmp(actions[i].id, id))
			return i;
	return -1;
}

static const struct mc_transition *lookup(int from, enum mc_action a)
{
	for (size_t i = 0; i < N_TRANSITIONS; i++)
		if ((int)transitions[i].from == from && transitions[i].action == a)
			return &transitions[i];
	return NULL;
}

bool mc_lifecycle_allowed(int from, enum mc_action a)
{
	return lookup(from, a) != NULL;
}

/* A status with no way out but rating: the dossier's handling is over. */
static bool is_final(int status)
{
	for (size_t i = 0; i < N_TRANSITIONS; i++)
		if ((int)transitions[i].from == status && transitions[i].action != MC_ACT_RATE)
			return false;
	return true;
}

int mc_lifecycle_apply(int from, enum mc_action a, enum mc_status *to, struct strbuf *err)
{
	if (!mc_status_valid(from)) {
		if (err)
			strbuf_addf(err, "Trạng thái hồ sơ %d không hợp lệ (cần từ %d đến %d)", from,
				    MC_STATUS_MIN, MC_STATUS_MAX);
		return -1;
	}
	if (!action_valid(a)) {
		if (err)
			strbuf_addstr(err, "Thao tác không hợp lệ");
		return -1;
	}
	const struct mc_transition *t = lookup(from, a);
	if (t) {
		*to = t->to;
		return 0;
	}
	if (!err)
		return -1;
	if (is_final(from) && a != MC_ACT_RATE)
		strbuf_addf(err, "Hồ sơ đã kết thúc (%s), không thể thực hiện «%s»",
			    status_names[from], actions[a].label);
	else
		strbuf_addf(err, "%s (trạng thái hiện tại: %s)", actions[a].needs, status_names[from]);
	return -1;
}

bool mc_reassign_allowed(int status)
{
	switch (status) {
	case MC_ST_NEW: case MC_ST_RECEIVED: case MC_ST_PROCESSING: case MC_ST_SUPPLEMENT:
	case MC_ST_FINANCE: case MC_ST_RESULT:
		return true;
	default:
		return false;
	}
}

int mc_reassign_check(int status, struct strbuf *err)
{
	if (mc_reassign_allowed(status))
		return 0;
	if (err) {
		if (mc_status_valid(status))
			strbuf_addf(err, "Chỉ giao lại được hồ sơ chưa kết thúc (trạng thái hiện tại: %s)",
				    status_names[status]);
		else
			strbuf_addf(err, "Trạng thái hồ sơ %d không hợp lệ (cần từ %d đến %d)", status,
				    MC_STATUS_MIN, MC_STATUS_MAX);
	}
	return -1;
}
