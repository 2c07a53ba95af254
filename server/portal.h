/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The link with the National Public Service Portal (docs/portal.md):
 * `motcua-server portal`, its own process, one per province.
 *   portal.c       the command: enable, status, retry, drop, codes, and
 *                  the settings (a key = value file);
 *   portal_run.c   the publisher (the queue of 0006_portal.sql, sent in
 *                  order per dossier, with backoff) and the fetcher of
 *                  online dossiers, over HTTP (libcurl), directly or
 *                  through the province's gateway (LGSP);
 *   online.c       an online dossier stored (status 1, channel 2, its
 *                  papers in the blob store, in its unit's feed) and the
 *                  'accept' operation of a push. */
#ifndef MC_SERVER_PORTAL_H
#define MC_SERVER_PORTAL_H
#include <stdbool.h>

#include "server/ops.h"
#include "server/server.h"

/* The settings (docs/portal.md "Configuration"). Strings are owned. */
struct portal_config {
	char *url;              /* the portal, or the gateway in front of it */
	char *auth_path;        /* "/auth": the session token */
	char *integration_path; /* "/integration": every service */
	char *username, *password;
	char *madonvi;          /* the province's code at the portal (QCVN 102) */
	char *gateway;          /* "none" or "lgsp" */
	char *gateway_token_url, *gateway_client_id, *gateway_client_secret;
	char *ca_file;
	long timeout;           /* seconds a request may take */
	long connect_timeout;
	long batch;             /* messages per request (1..100) */
	long poll;              /* seconds between passes with nothing to send */
	bool fetch;             /* fetch the online dossiers */
	long fetch_every;       /* seconds between two fetches */
	long fetch_max;         /* dossiers asked for at once */
	double backoff_base;    /* seconds after the first failure */
	double backoff_cap;     /* at most this many seconds between attempts */
	long long file_max;     /* bytes of one paper of an online dossier */
};

void portal_config_init(struct portal_config *c);
void portal_config_release(struct portal_config *c);
/* Reads the file (NULL: none; a password in a file others may read is
 * refused), then MOTCUA_PORTAL_<KEY> from the environment. 0, or -1 with a
 * Vietnamese message ("FILE:LINE: ...") in err. */
int portal_config_load(struct portal_config *c, const char *path, struct strbuf *err);

/* Seconds to wait after the n-th consecutive failure (n >= 1):
 * min(cap, base * 2^(n-1)). */
double portal_backoff(const struct portal_config *c, int n);

/* portal_run.c: `portal run [--once] [--now T]`. */
int portal_run(int argc, char **argv);

/* The embedded schemas (docs/portal/NAME.schema.json, compiled in): the
 * document of a service, NULL for an unknown one. */
const json_t *portal_schema(const char *service);

/* ---- online.c ------------------------------------------------------------------- */

/* A paper of an online dossier, fetched and checked. */
struct online_paper {
	const json_t *item;   /* its TaiLieuNop entry */
	char sha256[65];
	long long bytes;
	char *data;           /* the file */
};

/* Stores the online dossier item (valid, its papers fetched) for unit,
 * in one transaction: the dossier (status 1, channel 2), its event, its
 * papers as documents and blobs, its changes, its portal_inbox row. The
 * same dossier offered again changes nothing; offered with new papers
 * before it is accepted, its papers follow. hash: SHA-256 of the item.
 * 0 (stored or already there), or -1 with err (database). */
int online_store(PGconn *c, const json_t *item, const char *unit, const char *hash,
		 struct online_paper *papers, size_t npapers, struct strbuf *err);

/* The 'accept' operation (entity "dossier"): an online dossier received by
 * a clerk, with its code and appointment (docs/api.md); a row of push.c's
 * table (server/ops.h). */
op_check_fn online_accept_check;
op_apply_fn online_accept_apply;

/* Stores a blob (content-addressed) in the caller's transaction: 0, or -1. */
int blob_put(PGconn *c, const char *sha256, const char *data, long long n, struct strbuf *err);

#endif
