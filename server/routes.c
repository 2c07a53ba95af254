/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The route table: every route of the API, {name, method, path, auth,
 * handler}, handed to the HTTP engine by `motcua-server serve`.
 * docs/openapi.yaml and docs/api.md list the same routes;
 * tests/sync/t_openapi.sh compares them with `motcua-server routes`.
 * Adding a route: one row here, its handler in server/api.h, its lines in
 * both documents. */
#include "server/api.h"

#include <stdio.h>

static const struct route routes[] = {
	{ "healthz", "GET", "/healthz", ROUTE_PUBLIC, api_healthz, NULL },
	{ "metrics", "GET", "/metrics", ROUTE_PUBLIC, api_metrics, NULL },
	{ "login", "POST", "/api/v1/auth/login", ROUTE_PUBLIC, api_login, NULL },
	{ "logout", "POST", "/api/v1/auth/logout", ROUTE_TOKEN, api_logout, NULL },
	{ "refresh", "POST", "/api/v1/auth/refresh", ROUTE_TOKEN, api_refresh, NULL },
	{ "me", "GET", "/api/v1/auth/me", ROUTE_TOKEN, api_me, NULL },
	{ "push", "POST", "/api/v1/sync/push", ROUTE_TOKEN, api_push, NULL },
	{ "changes", "GET", "/api/v1/sync/changes", ROUTE_TOKEN, api_changes, NULL },
	{ "snapshot", "GET", "/api/v1/snapshot", ROUTE_TOKEN, api_snapshot, NULL },
	{ "snapshot_get", "GET", "/api/v1/snapshots/{id}", ROUTE_TOKEN, api_snapshot_get, NULL },
	{ "leases", "POST", "/api/v1/leases", ROUTE_TOKEN, api_leases, NULL },
	{ "lookup", "GET", "/api/v1/lookup/{code}", ROUTE_PUBLIC, api_lookup, NULL },
	{ "indicators", "GET", "/api/v1/indicators", ROUTE_TOKEN, api_indicators, NULL },
	{ "blob_head", "HEAD", "/api/v1/blobs/{sha256}", ROUTE_TOKEN, api_blob_head, NULL },
	{ "blob_get", "GET", "/api/v1/blobs/{sha256}", ROUTE_TOKEN, api_blob_get, NULL },
	{ "papers", "GET", "/api/v1/papers", ROUTE_TOKEN, api_papers, NULL },
	{ "paper_get", "GET", "/api/v1/papers/{id}", ROUTE_TOKEN, api_paper_get, NULL },
	{ "upload_options", "OPTIONS", "/api/v1/uploads", ROUTE_PUBLIC, api_upload_options, NULL },
	{ "upload_create", "POST", "/api/v1/uploads", ROUTE_TOKEN, api_upload_create, NULL },
	{ "upload_head", "HEAD", "/api/v1/uploads/{id}", ROUTE_TOKEN, api_upload_head, NULL },
	{ "upload_patch", "PATCH", "/api/v1/uploads/{id}", ROUTE_TOKEN, NULL, &upload_patch },
	{ "upload_delete", "DELETE", "/api/v1/uploads/{id}", ROUTE_TOKEN, api_upload_delete, NULL },
};
#define NROUTES (sizeof(routes) / sizeof(routes[0]))

const struct route *server_routes(size_t *n)
{
	*n = NROUTES;
	return routes;
}

int cmd_serve(int argc, char **argv)
{
	return http_serve(argc, argv, routes, NROUTES);
}

/* `motcua-server routes`: "METHOD PATH AUTH NAME", one line a route, AUTH
 * being "token" or "-" (as docs/api.md's table writes it). */
int cmd_routes(int argc, char **argv)
{
	if (argc > 1) {
		fputs("Cách dùng: motcua-server routes\n", stderr);
		return 2;
	}
	(void)argv;
	for (size_t i = 0; i < NROUTES; i++)
		printf("%s %s %s %s\n", routes[i].method, routes[i].path,
		       routes[i].auth == ROUTE_TOKEN ? "token" : "-", routes[i].name);
	return 0;
}
