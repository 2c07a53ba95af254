/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What happens to a dossier after its reception: transfer, supplement
 * request and receipt, refusal, apology with a new appointment, result
 * ready, return, rating, withdrawal, stop. The one piece of code behind the
 * detail screen's action menu (screens/dossier.c) and `motcua act`
 * (client/cli/act.c): both apply exactly the same rules (docs/lifecycle.md).
 *
 * An action is ONE SQLite transaction: the dossier (status, rev + 1,
 * updated_at and what the action changes), one event (kind = the action id,
 * with a JSON payload that the forms 02-05 and the ledger are printed from)
 * and one outbox row in the shape the server accepts (docs/api.md). A
 * refused action changes nothing.
 *
 * Beyond the lifecycle table (core/lifecycle.h) an action obeys the rules of
 * the dossier itself: an apology once, and at the latest on the working day
 * before the appointment; a rating once; a transfer to another unit than the
 * one handling the dossier. */
#ifndef MC_DOSSIER_ACTION_H
#define MC_DOSSIER_ACTION_H
#include <stdbool.h>
#include <stddef.h>

#include "client/sign/sign.h"
#include "client/store/store.h"
#include "core/calendar.h"
#include "core/datetime.h"
#include "core/dcode.h"
#include "core/lifecycle.h"

#define DOSSIER_ACTION_TEXT_MAX 500   /* characters of a reason, comment, paper */
#define DOSSIER_ACTION_NAME_MAX 100   /* characters of a recipient's name */
#define DOSSIER_ACTION_CODE_MAX 100   /* characters of a result code */
#define DOSSIER_ACTION_PAPERS_MAX 30  /* papers of one supplement request */
#define DOSSIER_ACTION_DAYS_MAX 365   /* working days an apology may add */

/* What the clerk gives; NULL / 0 for what was not given. Every string is
 * owned (released by dossier_action_input_release). An option the action
 * does not use is refused, so that a mistyped command changes nothing. */
struct dossier_action_input {
	enum mc_action action;
	char *reason;          /* refuse, withdraw, stop, apologize: required;
				  transfer, request-supplement, supplement-received:
				  optional. refuse: several reasons separated by ';' */
	char *to_unit;         /* transfer: a code of the units or communes table */
	int days;              /* apologize: working days after the current appointment */
	char *date;            /* apologize: the new appointment instead of days,
				  "YYYY-MM-DD" (same time of day) or "YYYY-MM-DDTHH:MM" */
	int rating;            /* rate: 1 rất hài lòng, 2 hài lòng, 3 không hài lòng */
	char *comment;         /* rate: optional */
	char *result_code;     /* result-ready: required */
	char *result_file;     /* result-ready: the digitized result, optional; filed
				  in the citizen's document store as a paper (is_result,
				  numbered result_code, the dossier's result_document_id) */
	char *result_type;     /* result-ready with a file: its paper type (core/papertype.h) */
	char *result_expires;  /* result-ready with a file: valid until, "YYYY-MM-DD" */
	const struct sign_key *result_key; /* result-ready with a PDF: signed before it is
				  filed (borrowed; NULL: filed as it is) */
	char *method;          /* return: "counter" (default), "post", "online" */
	char *recipient;       /* return: who received it (default: the applicant) */
	char *papers;          /* request-supplement: the missing papers, "a; b; c" */
};

void dossier_action_input_init(struct dossier_action_input *in, enum mc_action action);
void dossier_action_input_release(struct dossier_action_input *in);

struct dossier_action_result {
	char id[37], code[MC_DCODE_MAX];
	int status_from, status;          /* national codes 1..10 */
	char appointment[20];             /* after the action, YYYY-MM-DDTHH:MM */
	char appointment_before[20];
	long long rev;                    /* the dossier's new local revision */
	long long paused_minutes;         /* supplement-received: working minutes waited */
	char event_id[37], op_id[37];
	char result_document_id[37];      /* result-ready with a file: the result's paper */
};

enum { DOSSIER_ACTION_OK = 0, DOSSIER_ACTION_REFUSED = -1, DOSSIER_ACTION_FAULT = -2 };

/* Runs in->action on the dossier with this code (case and surrounding blanks
 * ignored) for clerk at now. Returns DOSSIER_ACTION_OK with res filled, or
 * DOSSIER_ACTION_REFUSED with a Vietnamese sentence in err (bad input, an
 * action the dossier does not allow now: the CLI exits 2), or
 * DOSSIER_ACTION_FAULT (the store failed: exit 1). Nothing is written unless
 * it returns DOSSIER_ACTION_OK. Inside the caller's transaction it uses a
 * savepoint. */
int dossier_action_commit(struct store *st, const char *code, const struct dossier_action_input *in,
			  const char *clerk, const struct mc_dt *now,
			  struct dossier_action_result *res, struct strbuf *err);

/* The actions the lifecycle allows in the dossier's status (those this
 * module runs, in the order of MC_ACTIONS), each with whether the dossier's
 * own rules allow it now and, when not, why (Vietnamese). */
struct dossier_action_choice {
	enum mc_action action;
	bool ok;
	char why[256];
};
/* Fills up to max choices; returns how many, or -1 with err (no such
 * dossier, store failure). */
int dossier_action_choices(struct store *st, const char *code, const struct mc_dt *now,
			   struct dossier_action_choice *out, size_t max, struct strbuf *err);

/* Whether this module runs action a (receive, request-payment and paid are
 * not dossier actions here). */
bool dossier_action_supported(enum mc_action a);

/* Vietnamese names: rating 1..3 ("Rất hài lòng", ...), return method id
 * ("counter" -> "Trực tiếp tại Bộ phận Một cửa", ...); NULL when unknown. */
const char *dossier_rating_name(int rating);
const char *dossier_return_method_name(const char *method);

/* ---- reassignment ----------------------------------------------------------- */

/* Hands the dossier with this code to the clerk to_clerk (a username of the
 * dossier's unit, active), for actor at now; reason is optional (NULL or
 * blank). Only a supervisor or an admin (clerks.role) reassigns; the
 * dossier must not be finished (mc_reassign_check) and not already be in
 * to_clerk's charge. ONE transaction: the dossier (rev + 1, updated_at), a
 * 'reassign' event {code, from_clerk, to_clerk, to_clerk_name, reason,
 * appointment} (its trigger records the clerk in charge in
 * dossier_assignments) and an outbox op "reassign" {id, status, rev,
 * updated_at, assigned_clerk, event}. Returns as dossier_action_commit;
 * res->status is the unchanged status. */
int dossier_reassign_commit(struct store *st, const char *code, const char *to_clerk,
			    const char *reason, const char *actor, const struct mc_dt *now,
			    struct dossier_action_result *res, struct strbuf *err);

/* ---- the clock (pure, exposed for tests) ------------------------------------ */

/* Working minutes in [from, to): the minutes inside the office periods of
 * working days. 0 when to <= from. */
long long dossier_clock_working_minutes(const struct mc_calendar *cal, const struct mc_dt *from,
					const struct mc_dt *to);
/* The moment `minutes` working minutes after t: counted through the office
 * periods of working days from t (t itself may be outside them); a result
 * that ends a period is that period's closing time. minutes <= 0 gives t.
 * Returns 0, or -1 for a calendar without working days. */
int dossier_clock_add_minutes(const struct mc_calendar *cal, const struct mc_dt *t, long long minutes,
			      struct mc_dt *out);
/* t moved to the n-th working day after its date, same time of day. */
int dossier_clock_add_days(const struct mc_calendar *cal, const struct mc_dt *t, int n,
			   struct mc_dt *out);
/* The last day (days since 1970) an apology may be issued for a dossier
 * due at due: the working day before due's date. -1 if none within ten years. */
long dossier_clock_apology_deadline(const struct mc_calendar *cal, const struct mc_dt *due);

#endif
