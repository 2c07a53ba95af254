/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The standard forms printed after reception, from the stored dossier and
 * its events (docs/forms.md, payloads in docs/lifecycle.md), numbered as
 * Circular 01/2018/TT-VPCP numbers them:
 *   02 Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ      (request-supplement)
 *   03 Phiếu từ chối tiếp nhận giải quyết hồ sơ      (refuse)
 *   04 Phiếu xin lỗi và hẹn lại ngày trả kết quả      (apologize)
 *   05 Phiếu kiểm soát quá trình giải quyết hồ sơ    (every event)
 * 02, 03 and 04 are A5 portrait like the receipt (form 01); 05 is A4
 * portrait. Also the unit header every form shares (the ledger's too). */
#ifndef MC_FORMS_H
#define MC_FORMS_H
#include <stdbool.h>
#include <stddef.h>

#include "client/print/pdf.h"
#include "client/store/dossier_query.h"
#include "client/store/forms_query.h"
#include "client/store/store.h"
#include "core/datetime.h"

enum form_kind {
	FORM_RECEIPT = 1,    /* 01, client/print/receipt.h: listed here for menus */
	FORM_SUPPLEMENT = 2,
	FORM_REFUSAL = 3,
	FORM_APOLOGY = 4,
	FORM_CONTROL = 5
};
#define FORM_MASK(k) (1u << (k))

/* "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ", ...; NULL for another number. */
const char *form_title(int kind);

/* The name of a unit or commune code for a sentence ("Phường Ngọc Hà",
 * "Sở Tư pháp"); the code itself when unknown (malloc'd). */
char *form_unit_name(struct store *st, const char *code);

/* Draws the two-column header at d->y: the issuing body and unit (upper
 * case, bold unit, a short rule) at the left, the national motto and, when
 * date is not NULL, "<place>, ngày .. tháng .. năm .." at the right
 * (left_frac: the left column's share of the text width). Moves d->y below
 * it. */
void form_draw_header(struct pdf_doc *d, const struct form_unit *u, const struct mc_dt *date,
		      double left_frac);

/* Early, on time or late (docs/forms.md): a hand-over at `at` against the
 * appointment in force then. EARLY: on a day before the appointment's day;
 * ON_TIME: on the appointment's day, at or before its time; LATE: after it. */
enum form_timing { FORM_TIMING_NONE, FORM_EARLY, FORM_ON_TIME, FORM_LATE };
enum form_timing form_timing(const struct mc_dt *at, const struct mc_dt *appointment);
const char *form_timing_name(enum form_timing t); /* "Trước hạn", ...; NULL for NONE */

/* One row of the control slip (05), built from one event. */
struct form_control_row {
	char *kind;               /* the event's kind */
	char *from, *to;          /* "Ông/Bà ...", a unit's name */
	char when[17];            /* the event's device time */
	char *actor;              /* the clerk's full name (or user name) */
	enum form_timing timing;  /* NONE when the row is not judged */
	char in_force[17];        /* the appointment it was judged against, "" if none */
	char *note;               /* NULL when none */
};
/* The rows of the control slip of d, oldest event first ("rate" events are
 * not hand-overs and give none). in_force is the appointment before each
 * event: walking back from the dossier's appointment, an event whose
 * payload has appointment_before moved it. Returns the row count; *rows is
 * malloc'd (free with form_control_rows_free). */
size_t form_control_rows(struct store *st, const struct dossier_detail *d,
			 struct form_control_row **rows);
void form_control_rows_free(struct form_control_row *rows, size_t n);

/* Which forms the dossier has events for, as FORM_MASK bits (the screen's
 * F9 menu): 01 always, 02 with a request-supplement event, 03 with a refuse
 * event, 04 with an apologize event, 05 with an event after the reception
 * (form_write prints 05 for any dossier with an event, even the reception
 * alone). */
unsigned form_available(const struct dossier_detail *d);

/* Writes form kind (2..5) of the dossier with this code (case and blanks
 * ignored) as a PDF at path, atomically (path.tmp, fsync, rename). 02 prints
 * the latest supplement request. Returns 0; 1 when it cannot exist (no such
 * dossier, no event for that form, a kind other than 2..5: err says so in
 * Vietnamese, nothing written: the CLI exits 2); -1 when the store or the
 * file failed (err says why; path untouched). */
int form_write(struct store *st, const char *code, int kind, const char *path, struct strbuf *err);

/* Form 03 (a refusal) or 02 (a guidance) of a counter visit that ended
 * without a received dossier (client/store/visit.h): the same forms without
 * a dossier code; 02 asks for the papers to add before the dossier can be
 * received. Loaded from the store on its thread (NULL with err when there
 * is no such visit), rendered anywhere without the store (a TUI job):
 * 0, or -1 with err (path untouched). form_write_visit does both: 0, 1 (no
 * such visit), -1. */
struct form_visit;
struct form_visit *form_visit_load(struct store *st, const char *id, struct strbuf *err);
int form_visit_render(struct form_visit *fv, const char *path, struct strbuf *err);
void form_visit_free(struct form_visit *fv);
int form_write_visit(struct store *st, const char *id, const char *path, struct strbuf *err);

#endif
