/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the services share: how an action says it was refused or failed, and
 * the one transaction every change of a dossier runs in (the entity, its
 * event and its outbox row, committed together or not at all). */
#ifndef MOTCUA_SERVICES_SERVICE_H
#define MOTCUA_SERVICES_SERVICE_H

#include "client/store/store.h"
#include "core/xalloc.h"

/* The outcome of a service call: done, refused (err: the Vietnamese reason,
 * nothing changed), or failed (err: what failed, nothing changed). The
 * services' own enums (DOSSIER_ACTION_*, ONLINE_*, SETTINGS_*) have these
 * values. */
enum { SERVICE_OK = 0, SERVICE_REFUSED = -1, SERVICE_FAULT = -2 };

/* The reason added to err; returns SERVICE_REFUSED. */
int service_refuse(struct strbuf *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "what: the store's reason; nothing written" added to err; returns
 * SERVICE_FAULT. */
int service_fault(struct strbuf *err, int sqlrc, const char *what);
/* 0 when libsodium is ready (the ids of events and ops), else refused. */
int service_crypto_ready(struct strbuf *err);

/* "a; b;; c" -> ["a", "b", "c"] (*out, a new JSON array), each item free
 * text of at most max_chars characters (mc_text_form), blank ones dropped,
 * at most max_items of them; text NULL gives none. SERVICE_OK or refused. */
struct json_t;
int service_split_list(const char *text, const char *what, size_t max_chars, size_t max_items,
		       struct json_t **out, struct strbuf *err);

/* The work of one change inside its transaction: SERVICE_OK to commit,
 * else refused or failed (err says why) and rolled back. */
typedef int service_work_fn(struct store *st, void *arg, struct strbuf *err);

/* Runs work in one transaction of the store (client/store/dossier_tx.h):
 * committed when it returns SERVICE_OK, rolled back otherwise. Returns
 * work's outcome, or the fault of a transaction SQLite did not begin or
 * commit. */
int service_transaction(struct store *st, service_work_fn *work, void *arg, struct strbuf *err);

#endif
