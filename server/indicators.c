/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Decision 766 indicators on PostgreSQL, the same definitions as
 * client/store/indicators.c (docs/indicators.md) over the stored dossier JSON and
 * the events table, read from the per-day counts that migration 0005 keeps:
 * GET /api/v1/indicators and `motcua-server indicators`.
 * $1, $2: the period's [lo, hi); $3 unit, $4 clerk (NULL: any); $5 the user
 * whose scope bounds the units (NULL: every unit, the command line). Times are
 * "YYYY-MM-DDTHH:MM" text compared byte-wise (COLLATE "C"). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/indicators.h"
#include "server/api.h"

/* The counts per unit, clerk and day that migration 0005 keeps with triggers
 * (server/migrations/0005_indicator_indexes.sql): the same numbers as the
 * direct count over dossiers and events, summed over days, not dossiers. */
static const char *const counts_sql =
	"SELECT coalesce(sum(received), 0), coalesce(sum(online), 0), coalesce(sum(reused), 0),"
	" coalesce(sum(transferred), 0), coalesce(sum(resolved), 0), coalesce(sum(on_time), 0),"
	" coalesce(sum(digitized), 0), coalesce(sum(rated), 0), coalesce(sum(satisfied), 0)"
	" FROM indicator_counts d WHERE d.day >= $1 AND d.day < $2"
	" AND ($3::text IS NULL OR d.unit_code = $3) AND ($4::text IS NULL OR d.clerk = $4)"
	" AND ($5::text IS NULL OR d.unit_code IN (SELECT unit_code FROM user_scope($5)))";

/* The visits that ended at the counter without a received dossier
 * (migration 0009), with the same bounds. */
static const char *const visits_sql =
	"SELECT coalesce(sum((kind = 'refuse')::int), 0), coalesce(sum((kind = 'guide')::int), 0)"
	" FROM visits d WHERE d.at COLLATE \"C\" >= $1 AND d.at COLLATE \"C\" < $2"
	" AND ($3::text IS NULL OR d.unit_code = $3) AND ($4::text IS NULL OR d.clerk = $4)"
	" AND ($5::text IS NULL OR d.unit_code IN (SELECT unit_code FROM user_scope($5)))";

static int run(PGconn *c, const char *sql, const char *const p[5], long long *cols, int n,
	       struct strbuf *err)
{
	PGresult *res = db_query(c, sql, 5, p);
	int rc = 0;
	if (!db_ok(res) || PQntuples(res) != 1) {
		strbuf_addf(err, "không đọc được chỉ số: %s", PQresultErrorMessage(res));
		rc = -1;
	} else {
		for (int i = 0; i < n; i++)
			cols[i] = strtoll(PQgetvalue(res, 0, i), NULL, 10);
	}
	PQclear(res);
	return rc;
}

static int compute(PGconn *c, const struct mc_ind_period *per, const char *unit,
		   const char *clerk, const char *scope_user,
		   struct mc_indicator_value v[MC_IND_COUNT], long long visits[2], struct strbuf *err)
{
	const char *p[5] = { per->lo, per->hi, unit, clerk, scope_user };
	long long n[9];
	if (run(c, counts_sql, p, n, 9, err) || run(c, visits_sql, p, visits, 2, err))
		return -1;
	v[MC_IND_online] = (struct mc_indicator_value){ n[1], n[0] };
	v[MC_IND_reused] = (struct mc_indicator_value){ n[2], n[0] };
	v[MC_IND_transferred] = (struct mc_indicator_value){ n[3], n[0] };
	v[MC_IND_on_time] = (struct mc_indicator_value){ n[5], n[4] };
	v[MC_IND_digitized] = (struct mc_indicator_value){ n[6], n[4] };
	v[MC_IND_satisfaction] = (struct mc_indicator_value){ n[8], n[7] };
	return 0;
}

void api_indicators(struct req *r)
{
	PGconn *c = db_thread_conn();
	if (!c) {
		respond_db_down(r);
		return;
	}
	const char *unit = req_arg(r, "unit"), *clerk = req_arg(r, "clerk");
	if (unit && !*unit)
		unit = NULL;
	if (clerk && !*clerk)
		clerk = NULL;
	struct strbuf err = STRBUF_INIT;
	struct mc_ind_period per;
	if (mc_ind_period_parse(&per, req_arg(r, "from"), req_arg(r, "to"), &err)) {
		respond_error(r, MC_ERR_BAD_REQUEST, "\"from\", \"to\": %s", err.buf);
		goto out;
	}
	if ((unit && !mc_indicator_key_valid(unit)) || (clerk && !mc_indicator_key_valid(clerk))) {
		respond_error(r, MC_ERR_BAD_REQUEST, "\"unit\" và \"clerk\" gồm 1 đến 32 ký tự"
			      " A-Z a-z 0-9 . _ -");
		goto out;
	}
	if (unit) {
		const char *sp[] = { unit, r->s.username };
		PGresult *res = db_query(c, "SELECT 1 FROM user_scope($2) WHERE unit_code = $1", 2, sp);
		if (!db_ok(res)) {
			PQclear(res);
			respond_db_down(r);
			goto out;
		}
		int mine = PQntuples(res) == 1;
		PQclear(res);
		if (!mine) {
			respond_error(r, MC_ERR_OUT_OF_SCOPE,
				      "Đơn vị %s không thuộc phạm vi của tài khoản %s", unit,
				      r->s.username);
			goto out;
		}
	}
	struct mc_indicator_value v[MC_IND_COUNT];
	long long visits[2];
	if (compute(c, &per, unit, clerk, r->s.username, v, visits, &err)) {
		server_log(LOG_ERR, SERVER_NAME ": %s", err.buf);
		respond_db_down(r);
		goto out;
	}
	struct strbuf body = STRBUF_INIT;
	mc_indicators_json_visits(&body, &per, unit, clerk, v, visits[0], visits[1]);
	respond_text(r, 200, "application/json", strbuf_detach(&body));
out:
	strbuf_release(&err);
}

static int usage_bad(const char *msg)
{
	fprintf(stderr, SERVER_NAME ": %s\ncách dùng: motcua-server indicators --pg CONNINFO"
		" --from YYYY-MM-DD --to YYYY-MM-DD [--unit MÃ] [--clerk CÁN_BỘ]\n", msg);
	return 2;
}

int cmd_indicators(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "pg", required_argument, NULL, 'p' },   { "unit", required_argument, NULL, 'u' },
		{ "clerk", required_argument, NULL, 'c' }, { "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },    { NULL, 0, NULL, 0 }
	};
	const char *pg = config_get()->pg, *unit = NULL, *clerk = NULL, *from = NULL, *to = NULL;
	int o;
	opterr = 0;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'p': pg = optarg; break;
		case 'u': unit = optarg; break;
		case 'c': clerk = optarg; break;
		case 'f': from = optarg; break;
		case 't': to = optarg; break;
		default: return usage_bad("tùy chọn không hợp lệ");
		}
	}
	if (optind != argc || !pg)
		return usage_bad("thiếu --pg CONNINFO hoặc thừa đối số");
	if (!from || !to)
		return usage_bad("cần --from và --to");
	if ((unit && !mc_indicator_key_valid(unit)) || (clerk && !mc_indicator_key_valid(clerk)))
		return usage_bad("mã đơn vị hoặc tên cán bộ không hợp lệ");
	struct strbuf err = STRBUF_INIT;
	struct mc_ind_period per;
	if (mc_ind_period_parse(&per, from, to, &err)) {
		int rc = usage_bad(err.buf);
		strbuf_release(&err);
		return rc;
	}
	PGconn *c = db_connect(pg, &err);
	int rc = 0;
	struct mc_indicator_value v[MC_IND_COUNT];
	long long visits[2];
	if (!c || compute(c, &per, unit, clerk, NULL, v, visits, &err)) {
		fprintf(stderr, SERVER_NAME ": %s\n", err.buf);
		rc = 1;
	} else {
		struct strbuf out = STRBUF_INIT;
		mc_indicators_json_visits(&out, &per, unit, clerk, v, visits[0], visits[1]);
		printf("%s\n", out.buf);
		strbuf_release(&out);
	}
	if (c)
		PQfinish(c);
	strbuf_release(&err);
	return rc;
}
