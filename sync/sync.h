/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Client sync with motcua-server (docs/api.md, docs/sync-client.md).
 *
 * One pass (sync_run) on a store:
 *  1. push: the outbox in batches sized by bytes on the wire (and at most
 *     SYNC_MAX_OPS operations; halved on 413): a first batch of
 *     SYNC_PUSH_BYTES, then what the link carried in SYNC_PUSH_SECONDS at the
 *     rate measured on the last batch (kept for the next pass); a timeout
 *     or a cut shrinks the next batch to a quarter: a stall timeout is sent
 *     again at once (up to SYNC_PUSH_RETRIES in a row in one pass), a cut
 *     ends the pass like any network fault; each operation marked done,
 *     rejected or conflict as the server answers, so that nothing answered
 *     is sent again; an empty push when nothing is pending, to learn the
 *     server's last applied operation: when it is older than the operations
 *     marked done here (a server restored from a backup), those are queued
 *     again and sent (the server's idempotency makes this safe);
 *  2. leases: blocks of dossier sequence numbers while fewer than
 *     lease_low numbers are left for today (sync/numbering.h);
 *  3. pull: the change feed from the stored cursor, each page applied in one
 *     transaction with its cursor; a dossier with a local operation not yet
 *     accepted by the server is never overwritten; reference data
 *     (procedures, units, holidays, clerks) is refreshed.
 * The pass stops at the first fault of the network or the server (to be
 * retried with backoff) or when the server refuses the token (401/403:
 * the queue stops until `motcua login`). Its state (last successful sync,
 * last error) is kept in the store's sync_state row, so that any process
 * (the CLI, the TUI's worker, the status bar) sees the same truth. */
#ifndef MC_SYNC_H
#define MC_SYNC_H
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "client/store/store.h"

/* ---- configuration (the sync_state row) ---------------------------------- */

struct sync_config {
	char *server_url;  /* NULL: not configured */
	char *device_id;
	char *device_name;
	char *username;
	char *token;
	char *ca_file;
	bool stopped;      /* the server refused the token: wait for a login */
};

/* Loads the row; returns 0 when a server is configured (url, device id and
 * token), 1 when not (the fields that exist are still filled). */
int sync_config_load(struct store *st, struct sync_config *c);
void sync_config_release(struct sync_config *c);
/* The token of an encrypted store, kept plain from before, sealed under the
 * store's key (client/store/keyring.h); 0, or -1 when it cannot be written. */
int sync_token_reseal(struct store *st);
/* Whether this workstation syncs with a server (url and device id set). */
bool sync_configured(struct store *st);
/* This workstation's device id, made (UUIDv7) and stored on first use. */
char *sync_device_id(struct store *st);
/* Keeps what a login gave (`motcua login`): the server's url, the user, the
 * device token, the CA file and the device's name (ca_file and device_name
 * may be NULL); the queue runs again (not stopped, no last error). The
 * change feed's cursor stays. 0, or -1 with a Vietnamese err. */
int sync_config_save_login(struct store *st, const char *server_url, const char *username,
			   const char *token, const char *ca_file, const char *device_name,
			   struct strbuf *err);

/* ---- what the status bar shows ------------------------------------------- */

struct sync_view {
	bool configured;
	bool online;         /* the last attempt reached the server */
	bool stopped;        /* token refused */
	long pending;        /* operations waiting to be sent */
	long waiting;        /* of them, waiting for their dossier (unknown_dossier) */
	long problems;       /* rejected or conflicting operations */
	long review;         /* dossier codes numbered without a lease */
	long pending_files;  /* files waiting to be sent */
	long failed_files;   /* files the server refused for good (damaged here) */
	double pending_mb;   /* their megabytes the server does not hold yet */
	char *last_sync_at;  /* YYYY-MM-DDTHH:MM of the last successful sync, or NULL */
	char *last_error;    /* the last error, or NULL after a success */
	char *server_url;
};
void sync_view_load(struct store *st, struct sync_view *v);
void sync_view_release(struct sync_view *v);
/* The status bar's words, e.g. "Trực tuyến · chờ 3 · 09:40" or "Ngoại tuyến
 * · chờ 12 · lỗi", "· 1 rà soát" for codes to review; today is "YYYY-MM-DD" (to show only the time of a sync of
 * today). malloc'd. */
char *sync_view_text(const struct sync_view *v, const char *today);

/* ---- what needs a person (the sync screen) --------------------------------- */

enum sync_issue_kind { SYNC_ISSUE_REJECTED, SYNC_ISSUE_CONFLICT, SYNC_ISSUE_REVIEW,
		       SYNC_ISSUE_WAITING };

struct sync_issue {
	enum sync_issue_kind kind;
	char *code;   /* the dossier's code */
	char *op;     /* the operation; "receive" for a code to review */
	char *reason; /* the server's message and its code, or why the code needs a look */
	char *op_id;  /* the operation, to send again (outbox_retry); NULL for a code */
};
/* Rows first .. first + count - 1 of what needs a person: the operations
 * the server rejected or found in conflict (client/store/outbox.h), oldest
 * first, then those waiting for the server to know their dossier, then the
 * dossier codes numbered without a lease (sync/numbering.h). Returns how
 * many were filled; sync_view's problems + waiting + review count them. */
size_t sync_issues(struct store *st, size_t first, size_t count, struct sync_issue *rows);
void sync_issue_release(struct sync_issue *i);

/* ---- the server's protocol --------------------------------------------------- */

/* The setting keeping the sync protocol the server last said it speaks
 * (core/syncproto.h): receive operations go in the compact form only to a
 * server known to speak protocol 2. */
#define SYNC_SERVER_PROTOCOL_SETTING "sync_server_protocol"
/* Keeps what a server said (protocol > 0; a reply's Motcua-Protocol). */
void sync_remember_protocol(struct store *st, int protocol);

/* ---- one pass -------------------------------------------------------------- */

#define SYNC_LEASE_LOW 100   /* ask for numbers while fewer are left for today */
#define SYNC_LEASE_BLOCK 200 /* numbers per lease request */
#define SYNC_PULL_LIMIT 500  /* changes per page */
#define SYNC_PUSH_BYTES (32 * 1024)      /* bytes of a first batch, gzipped */
#define SYNC_PUSH_BYTES_MIN 1024         /* a batch is never planned smaller (one op may be) */
#define SYNC_PUSH_BYTES_MAX (1024 * 1024)
#define SYNC_PUSH_SECONDS 4  /* a batch should take about this long on the link */
#define SYNC_PUSH_RETRIES 4  /* stall timeouts in a row before a pass gives up */
#define SYNC_PUSH_BYTES_SETTING "sync_push_bytes" /* the budget, kept between passes */

/* Where a pass is, for a progress bar (the CLI) or the status bar (the TUI's
 * worker, which posts it to the main thread). */
struct sync_progress {
	const char *phase;        /* "push", "pull", "files" */
	long items_done;          /* operations answered, changes applied */
	long items_total;         /* of this phase as far as known (0: not known) */
	unsigned long long bytes; /* bytes moved over HTTP in this pass, both ways */
};
typedef void sync_progress_fn(void *arg, const struct sync_progress *p);

struct sync_options {
	const atomic_int *cancel; /* non-zero: stop as soon as possible */
	sync_progress_fn *progress; /* may be NULL; called on the pass's thread */
	void *progress_arg;
	long lease_low;           /* 0: setting sync_lease_low or SYNC_LEASE_LOW */
	long lease_block;         /* 0: setting sync_lease_block or SYNC_LEASE_BLOCK */
	long low_speed_time;      /* 0: SYNC_LOW_SPEED_TIME (sync/http.h) */
	long push_bytes;          /* 0: SYNC_PUSH_BYTES, the first batch's budget */
};

struct sync_summary {
	long pushed, duplicates, rejected, conflicts; /* operations, by the server's answer */
	long requeued;     /* done operations sent again (server restored from a backup) */
	long batches;      /* push requests answered */
	long push_retries; /* batches cut or timed out, sent again smaller */
	long pulled;       /* changes applied */
	long kept_local;   /* pulled dossiers not applied: a local change is pending */
	long leased;       /* sequence numbers leased */
	long files_sent;   /* files uploaded (their last byte accepted by the server) */
	long files_known;  /* files the server held already: nothing sent */
	long files_failed; /* files refused for good (damaged or missing here) */
	long files_requeued; /* files the server said it lacks, sent again */
	long files_fetched; /* papers of online dossiers fetched (sync/download.c) */
	long long bytes_sent; /* file bytes sent (a cut PATCH counts what left) */
	long files_pending;   /* files still to send after the pass */
	long long bytes_pending; /* their bytes the server does not hold yet */
	long pending;      /* operations still waiting after the pass */
	long waiting;      /* of them, waiting for the server to know their dossier */
	bool online;       /* the server answered at least once */
	bool have_skew;
	long skew_s;       /* server clock minus device clock, seconds */
	unsigned long long bytes_up, bytes_down;
	char **errors;     /* Vietnamese sentences */
	size_t nerrors;
	char **warnings;
	size_t nwarnings;
};

enum sync_outcome {
	SYNC_DONE,        /* the pass completed */
	SYNC_OFFLINE,     /* no answer, or a server fault (5xx): retry with backoff */
	SYNC_DENIED,      /* 401/403: the token is refused; the queue stops */
	SYNC_FAULT,       /* the local store failed, or the server broke the protocol */
	SYNC_UNCONFIGURED,/* no server: run motcua login */
	SYNC_CANCELLED    /* the cancel flag was raised */
};

void sync_summary_init(struct sync_summary *s);
void sync_summary_release(struct sync_summary *s);
/* Adds the counts of one pass to a running total (errors appended). */
void sync_summary_add(struct sync_summary *total, const struct sync_summary *pass);
/* {"pushed", "duplicates", "rejected", "conflicts", "pulled", "files_sent",
 *  "errors", "server_clock_skew_s", ...}: compact JSON, malloc'd. */
char *sync_summary_json(const struct sync_summary *s);

enum sync_outcome sync_run(struct store *st, const struct sync_options *opt,
			   struct sync_summary *sum);

/* Retry delays: SYNC_BACKOFF_START_MS doubled after each failure, capped at
 * cap_ms, then jittered: a value in [d/2, d] picked by random (any uniformly
 * random number), so that workstations coming back together spread out. */
#define SYNC_BACKOFF_START_MS 250
#define SYNC_BACKOFF_CAP_MS (5 * 60 * 1000)
long sync_backoff_ms(int failures, long cap_ms, unsigned random);

/* Vietnamese one-line account of a pass, for the status line after F5. */
char *sync_outcome_text(enum sync_outcome o, const struct sync_summary *s);

#endif
