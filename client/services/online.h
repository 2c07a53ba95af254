/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What a clerk does with an online dossier (docs/portal.md "At the
 * counter"): accept it, ask for a supplement or refuse it. The one piece of
 * code behind the "Hồ sơ trực tuyến" screen (screens/online.c) and
 * `motcua online` (client/cli/online.c). Each is ONE SQLite transaction:
 * the dossier, an event and an outbox row (ops "accept", "online-supplement",
 * "refuse": docs/api.md), so it works offline once the dossier was pulled
 * and syncs like any other action; the server then tells the portal.
 *   accept      1 or 5 -> 2: the dossier gets its code from the
 *               workstation's numbering (sync/numbering.h) and its
 *               appointment counted from now by the procedure's time and
 *               the calendar, as a reception does.
 *   supplement  1 -> 5: the papers to supplement and the reason (form 02's
 *               content), sent to the citizen through the portal.
 *   refuse      1 -> 3: the reasons (form 03's content), at least one. */
#ifndef MC_SERVICES_ONLINE_H
#define MC_SERVICES_ONLINE_H
#include <stdbool.h>

#include "client/store/online.h"
#include "client/store/store.h"
#include "core/datetime.h"
#include "core/dcode.h"

enum { ONLINE_OK = 0, ONLINE_REFUSED = -1, ONLINE_FAULT = -2 };

struct online_result {
	char id[72];
	char code[MC_DCODE_MAX];        /* the dossier's code after the action */
	char portal_code[MC_DCODE_MAX]; /* its code at the portal */
	int status_from, status;
	char received_at[20], appointment[20]; /* accept */
	bool code_review;               /* accept: numbered without a lease */
	char event_id[37], op_id[37];
};

/* Each runs for clerk at now on the online dossier with this code (blanks
 * around and letter case ignored). ONLINE_OK with res filled;
 * ONLINE_REFUSED with a Vietnamese sentence in err (nothing written: the
 * CLI exits 2); ONLINE_FAULT (the store failed: exit 1). */
int online_accept(struct store *st, const char *code, const char *clerk, const struct mc_dt *now,
		  struct online_result *res, struct strbuf *err);
/* papers: "a; b; c" (required), reason: optional. */
int online_supplement(struct store *st, const char *code, const char *papers, const char *reason,
		      const char *clerk, const struct mc_dt *now, struct online_result *res,
		      struct strbuf *err);
/* reasons: "a; b" (at least one). */
int online_refuse(struct store *st, const char *code, const char *reasons, const char *clerk,
		  const struct mc_dt *now, struct online_result *res, struct strbuf *err);

/* How long a dossier submitted at submitted ("YYYY-MM-DDTHH:MM") has been
 * waiting at now, in Vietnamese: "45 phút", "3 giờ 5 phút", "2 ngày 4 giờ";
 * "" when submitted is not a time. */
void online_waiting_text(const char *submitted, const struct mc_dt *now, char *buf, size_t n);

#endif
