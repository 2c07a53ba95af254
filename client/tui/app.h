/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The clerk's terminal application: the store, the logged-in clerk, the
 * keymaps, the screen stack, the status line and the main loop (htop's
 * ScreenManager: only the loop acts on what handlers return, one place
 * handles KEY_RESIZE). Only the main thread touches curses or calls app_*
 * functions, except app_post_event() which any thread may call. */
#ifndef MC_APP_H
#define MC_APP_H
#include <stdbool.h>
#include <stddef.h>

#include "client/store/auth.h"
#include "client/tui/keymap.h"
#include "client/tui/layout.h"
#include "client/tui/screen.h"
#include "client/store/store.h"
#include "client/tui/term.h"

struct sync_worker;
struct ocr_worker;

/* A global action that opens a screen (the home menu's numbers, F-keys). */
struct app_opener {
	enum action action;
	const struct screen_ops *ops;
};

/* The screens the framework opens by itself, given by the program
 * (client/main.c): the framework knows no screen by name. */
struct app_screens {
	const struct screen_ops *login;  /* arg: the username to prefill, or NULL */
	const struct screen_ops *home;   /* after login, ACTION_OPEN_HOME */
	const struct screen_ops *help;   /* ACTION_HELP; arg: the screen it explains */
	const struct app_opener *openers;
	size_t nopeners;
};

struct app_screen {
	const struct screen_ops *ops;
	void *priv;
	enum keymap_id keymap;
};

enum status_kind {
	STATUS_NONE,
	STATUS_INFO,
	STATUS_ERROR
};

/* Runs on the main thread with the data given to app_post_event. */
typedef void app_event_fn(struct app *app, void *data);

struct app_event {
	app_event_fn *fn;
	void *data;
};

struct app {
	struct store store;
	bool logged_in;
	struct clerk clerk;  /* valid when logged_in */
	char *unit_code;     /* the unit this workstation receives for */
	char *unit_name;     /* its name, or the code when unknown */
	struct keymap keymap;
	char *keys_path;     /* the user's keymap file, as shown (~/...) */

	struct app_screen *stack;
	size_t depth, stack_alloc;
	struct app_screen *dead; /* closed during a dispatch, freed after it */
	size_t ndead, dead_alloc;

	enum status_kind status_kind;
	char *status;            /* the status message, until the next key */
	const char *sync_state;  /* the status bar's sync words: "Ngoại tuyến", or sync_text */
	struct sync_worker *sync; /* running when a server is configured (sync/worker.h) */
	char *sync_text;         /* sync_view_text of the store's sync state */
	long sync_pending;       /* operations waiting, as last shown */
	struct ocr_worker *ocr;  /* reads the text of stored papers (client/scan/ocrworker.h) */
	bool telex;              /* the built-in Telex for text fields (TOGGLE_TELEX) */

	struct term term;
	struct layout layout;
	int cursor_y, cursor_x;  /* set by app_set_cursor during draw */
	bool cursor_shown;

	int event_pipe[2];       /* workers write struct app_event, the loop reads */
	unsigned busy;           /* workers running (headless tests wait for them) */
	unsigned jobs;           /* jobs running (client/tui/job.h) */

	char *preselect_user;    /* --user */
	const struct app_screens *screens;
	bool quit;
};

/* Events: the whole thread-safe part of the app. app_events_init opens the
 * self-pipe; app_post_event (any thread) queues fn(app, data) to run on the
 * main thread and wakes the loop; app_run_events (main thread) runs what is
 * queued and returns how many ran. */
int app_events_init(struct app *app);
void app_events_release(struct app *app);
int app_post_event(struct app *app, app_event_fn *fn, void *data);
int app_run_events(struct app *app);
/* A worker started / finished (main thread). While any is running, headless
 * mode waits for its events before reading the next scripted key. */
void app_busy_begin(struct app *app);
void app_busy_end(struct app *app);

/* Asks the OCR worker for a pass over the papers waiting for it (after a
 * paper is saved). Counted as busy work until the pass is done. */
void app_ocr_wake(struct app *app);

/* The screen stack. push opens ops with arg on top and returns 0, or -1 if
 * its open refused; set_root closes every screen and opens ops. A screen may
 * call push/set_root from its handle (its own priv stays valid until handle
 * returns); to close itself it returns SCR_BACK. */
int app_push_screen(struct app *app, const struct screen_ops *ops, const void *arg);
int app_set_root_screen(struct app *app, const struct screen_ops *ops, const void *arg);
/* The top screen, or NULL. */
const struct app_screen *app_top(const struct app *app);

/* Applies the global meaning of an action (what the loop does when the
 * screen ignores it): quit, help, back, open-*, logout, sync-now, refresh.
 * Returns SCR_* flags (SCR_IGNORED when the action has none). */
int app_do_action(struct app *app, enum action act);

/* The status message shown on the bottom line until the next key. */
void app_info(struct app *app, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void app_error(struct app *app, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void app_clear_status(struct app *app);

/* Shows the text cursor at (y, x) after this draw (call from draw). */
void app_set_cursor(struct app *app, int y, int x);

/* Logs clerk in (takes ownership of *c) and opens the home screen. */
void app_login(struct app *app, struct clerk *c);

/* Whether the store is encrypted and not unlocked yet: the login screen
 * then checks the password against the store's keys (app_unlock). */
bool app_locked(const struct app *app);
/* Opens the encrypted store with username's password (client/store/
 * keyring.h) and reads the clerk into *out: 0, or AUTH_REFUSED (a wrong
 * username or password, a disabled clerk) or AUTH_FAULT with err. */
int app_unlock(struct app *app, const char *username, const char *password, struct clerk *out,
	       struct strbuf *err);
/* A store made by `motcua init` that waits for its first clerk is
 * encrypted at that clerk's first login (the workers stop meanwhile).
 * 0 (done, or nothing to do), or -1 with err. */
int app_encrypt_pending(struct app *app, const char *username, const char *password,
			struct strbuf *err);
/* Forgets the clerk and goes back to the login screen. */
void app_logout(struct app *app);

/* Runs the TUI on the store at path until the clerk quits: the login screen
 * first (user prefilled when not NULL). Returns the process exit status
 * (client/base/exitcode.h); a fault is said on stderr. */
int app_main(const struct app_screens *screens, const char *path, const char *user);

#endif
