/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The registry of screens: each screens/NAME.c defines one of these. */
#ifndef MC_SCREENS_H
#define MC_SCREENS_H
#include "client/tui/screen.h"

/* Username and password. arg: the username to prefill (const char *), or
 * NULL for the last one that logged in here. */
extern const struct screen_ops login_screen;
/* Today's work and the menu. arg: unused. */
extern const struct screen_ops home_screen;
/* The key bindings of a screen, from the keymaps. arg: the screen_ops of the
 * screen it explains (const struct screen_ops *), or NULL for generic only. */
extern const struct screen_ops help_screen;
/* The procedure catalog: fields, procedures, search. arg: unused. */
extern const struct screen_ops catalog_screen;
/* One procedure in full. arg: its code (const char *); refused (with an
 * error on the status line) when there is no such procedure. */
extern const struct screen_ops procedure_screen;

struct app;
/* Starts a reception with the procedure code preselected (from the catalog
 * and the procedure screens): pushes the reception screen with code.
 * Returns SCR_* flags. */
int catalog_start_reception(struct app *app, const char *code);
/* The reception wizard. arg: the code of a procedure to start with
 * (const char *, from catalog_start_reception), or NULL to choose it first. */
extern const struct screen_ops reception_screen;

/* The dossier list's filters: the F3 menu and the home screen's counts. */
enum dossiers_filter {
	DOSSIERS_ALL,            /* every dossier, newest received first */
	DOSSIERS_OPEN,           /* not finished: new, received, processing, waiting, result ready */
	DOSSIERS_RECEIVED,       /* status 2 */
	DOSSIERS_PROCESSING,     /* status 4 */
	DOSSIERS_SUPPLEMENT,     /* status 5, waiting for a supplement */
	DOSSIERS_RESULT,         /* status 9, result ready */
	DOSSIERS_RETURNED,       /* status 10 */
	DOSSIERS_CLOSED,         /* finished: refused, withdrawn, stopped, returned */
	DOSSIERS_OVERDUE,        /* open, appointment passed (nearest first) */
	DOSSIERS_DUE_TODAY,      /* open, due from now to the end of today */
	DOSSIERS_DUE_SOON,       /* open, due within 2 working days */
	DOSSIERS_RECEIVED_TODAY, /* received today, any status */
	DOSSIERS__COUNT
};
/* The dossier list: filters (F3), live search (/), Enter opens a dossier.
 * arg: the filter to start with (const enum dossiers_filter *), or NULL for
 * every dossier. */
extern const struct screen_ops dossiers_screen;
/* One dossier: its fields, components and event timeline; F9 reprints the
 * receipt. arg: the dossier's code (const char *). */
extern const struct screen_ops dossier_screen;

/* The online dossiers waiting at this workstation's counter: accept, ask
 * for a supplement, refuse; their papers opened. arg: unused. */
extern const struct screen_ops online_screen;

/* Sync state and the operations the server rejected or found in conflict,
 * with its reasons; dossier codes numbered without a lease. arg: unused. */
extern const struct screen_ops syncissues_screen;

/* The supervisor's view: the queues (Enter lists them), each clerk's
 * workload, the indicators for this week, month or year. arg: unused. */
extern const struct screen_ops supervisor_screen;
/* One supervisor queue with the clerk in charge of each dossier: sort,
 * filters, Enter opens a dossier, r reassigns it. arg: the queue (const
 * enum supervisor_queue *, client/store/indicators.h). */
extern const struct screen_ops superqueue_screen;

/* The workstation's settings (client/services/settings.h's table): Enter
 * edits one (checked as `motcua config set` checks it), Del brings its
 * default back, p prints the test page. For admins and supervisors only:
 * refused (with an error on the status line) for a clerk. arg: unused. */
extern const struct screen_ops settings_screen;

/* Scanning the papers of a dossier, one component at a time: the scanner
 * (chosen once, remembered), flatbed or feeder, resolution, colour / grey /
 * black-and-white, the pages (re-scan, delete, reorder, import files), then
 * the paper's metadata and one PDF per component in the document store.
 * PgUp/PgDn go to the dossier's other components. arg: a struct
 * scan_screen_arg; refused (with an error on the status line) when there is
 * no such dossier or component. */
struct scan_screen_arg {
	const char *dossier; /* the dossier's id or its code */
	int component;       /* dossier_components.seq; 0: the first still to scan */
};
extern const struct screen_ops scan_screen;
/* Pushes the scan screen for a dossier (id or code) at component (its seq,
 * or 0 for the first component not digitized yet): what the reception
 * wizard calls once a dossier is saved. Returns 0, or -1 when refused. */
int scan_screen_open(struct app *app, const char *dossier, int component);

#endif
