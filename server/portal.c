/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `motcua-server portal`: the link with the National Public Service Portal
 * (docs/portal.md). This file: the settings, the embedded schemas and the
 * administration (enable, status, retry, drop, codes); portal_run.c: the
 * publisher and the fetcher. Exit status: 0 done, 1 failure (database,
 * portal), 2 bad input (a Vietnamese message on stderr, nothing changed). */
#include "server/portal.h"
#include "server/admincmd.h"
#include "server/keyfile.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/dcode.h"
#include "core/jschema.h"
#include "core/portal.h"
#include "core/text.h"

/* ---- settings --------------------------------------------------------------------- */

#define K(name, type) KEYFILE_KEY(struct portal_config, name, type)
static const struct keyfile_key keys[] = {
	K(url, KF_STR), K(auth_path, KF_STR), K(integration_path, KF_STR), K(username, KF_STR),
	KEYFILE_SECRET(struct portal_config, password), K(madonvi, KF_STR), K(gateway, KF_STR),
	K(gateway_token_url, KF_STR), K(gateway_client_id, KF_STR),
	KEYFILE_SECRET(struct portal_config, gateway_client_secret), K(ca_file, KF_STR),
	K(timeout, KF_LONG), K(connect_timeout, KF_LONG), K(batch, KF_LONG), K(poll, KF_LONG),
	K(fetch, KF_BOOL), K(fetch_every, KF_LONG), K(fetch_max, KF_LONG),
	K(backoff_base, KF_DOUBLE), K(backoff_cap, KF_DOUBLE), K(file_max, KF_SIZE),
};
#undef K
#define NKEYS (sizeof(keys) / sizeof(keys[0]))

void portal_config_init(struct portal_config *c)
{
	memset(c, 0, sizeof(*c));
	c->auth_path = xstrdup("/auth");
	c->integration_path = xstrdup("/integration");
	c->gateway = xstrdup("none");
	c->timeout = 30;
	c->connect_timeout = 10;
	c->batch = 50;
	c->poll = 5;
	c->fetch = true;
	c->fetch_every = 60;
	c->fetch_max = 100;
	c->backoff_base = 1;
	c->backoff_cap = 300;
	c->file_max = 20LL << 20;
}

void portal_config_release(struct portal_config *c)
{
	keyfile_release(keys, NKEYS, c);
}

int portal_config_load(struct portal_config *c, const char *path, struct strbuf *err)
{
	if (keyfile_load(keys, NKEYS, c, path, "MOTCUA_PORTAL_", err))
		return -1;
	if (!c->url || strncmp(c->url, "http", 4)) {
		strbuf_addstr(err, "thiếu 'url' (http:// hoặc https://) của Cổng Dịch vụ công hoặc trục"
				   " liên thông trong cấu hình");
		return -1;
	}
	if (!c->username || !c->password || !c->madonvi) {
		strbuf_addstr(err, "cần 'username', 'password' và 'madonvi' (mã đơn vị của tỉnh trên"
				   " Cổng) trong cấu hình");
		return -1;
	}
	if (!mc_unit_ident_is_qcvn102(c->madonvi)) {
		strbuf_addf(err, "'madonvi' «%s» không phải mã định danh QCVN 102 (NNN.NN.NN.XNN)",
			    c->madonvi);
		return -1;
	}
	if (strcmp(c->gateway, "none") && strcmp(c->gateway, "lgsp")) {
		strbuf_addf(err, "'gateway' phải là none (gọi thẳng Cổng) hoặc lgsp (qua trục liên thông"
				 " của tỉnh), không phải «%s»", c->gateway);
		return -1;
	}
	if (!strcmp(c->gateway, "lgsp") &&
	    (!c->gateway_token_url || !c->gateway_client_id || !c->gateway_client_secret)) {
		strbuf_addstr(err, "gateway = lgsp cần gateway_token_url, gateway_client_id và"
				   " gateway_client_secret");
		return -1;
	}
	if (c->batch < 1 || c->batch > 100) {
		strbuf_addstr(err, "'batch' phải từ 1 đến 100");
		return -1;
	}
	if (c->timeout < 1 || c->fetch_max < 1 || c->fetch_max > 500) {
		strbuf_addstr(err, "'timeout' phải ít nhất 1 giây, 'fetch_max' từ 1 đến 500");
		return -1;
	}
	return 0;
}

double portal_backoff(const struct portal_config *c, int n)
{
	if (n < 1)
		return 0;
	double d = c->backoff_base * pow(2, n > 60 ? 60 : n - 1);
	return d < c->backoff_cap ? d : c->backoff_cap;
}

/* ---- embedded schemas --------------------------------------------------------- */

extern const char portal_schema_dongbohosomc[], portal_schema_capnhattiendohosomc[],
	portal_schema_layhosotructuyen[], portal_schema_xacnhanhosotructuyen[];

static const struct {
	const char *service;
	const char *text;
} schema_texts[] = {
	{ PORTAL_SERVICE_DOSSIER, portal_schema_dongbohosomc },
	{ PORTAL_SERVICE_PROGRESS, portal_schema_capnhattiendohosomc },
	{ PORTAL_SERVICE_FETCH, portal_schema_layhosotructuyen },
	{ PORTAL_SERVICE_CONFIRM, portal_schema_xacnhanhosotructuyen },
};
#define NSCHEMAS (sizeof(schema_texts) / sizeof(schema_texts[0]))
static json_t *schemas[NSCHEMAS];
static pthread_once_t schemas_once = PTHREAD_ONCE_INIT;

static void schemas_load(void)
{
	for (size_t i = 0; i < NSCHEMAS; i++) {
		json_error_t e;
		schemas[i] = json_loads(schema_texts[i].text, 0, &e);
		if (!schemas[i]) {
			fprintf(stderr, SERVER_NAME ": lược đồ %s: %s\n", schema_texts[i].service, e.text);
			abort(); /* the build embedded a broken file */
		}
	}
}

const json_t *portal_schema(const char *service)
{
	pthread_once(&schemas_once, schemas_load);
	for (size_t i = 0; i < NSCHEMAS; i++)
		if (!strcmp(schema_texts[i].service, service))
			return schemas[i];
	return NULL;
}

/* ---- /metrics ------------------------------------------------------------------- */

char *portal_metrics(PGconn *c)
{
	PGresult *res = PQexec(c, "SELECT s.state, (SELECT count(*) FROM portal_queue q WHERE q.state = s.state)"
				  " FROM unnest(ARRAY['waiting', 'sent', 'acknowledged', 'error', 'dropped']) s(state)"
				  " UNION ALL SELECT 'failures', failures FROM portal_state"
				  " UNION ALL SELECT 'enabled', enabled::integer FROM portal_state"
				  " UNION ALL SELECT 'online_' || st, (SELECT count(*) FROM portal_inbox i"
				  "  WHERE i.state = st) FROM unnest(ARRAY['stored', 'held']) st");
	if (!db_ok(res) || PQntuples(res) != 9) {
		PQclear(res);
		return NULL;
	}
	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, "# HELP motcua_portal_messages Messages for the National Public Service Portal"
			   " by state.\n# TYPE motcua_portal_messages gauge\n");
	for (int i = 0; i < 5; i++)
		strbuf_addf(&sb, "motcua_portal_messages{state=\"%s\"} %s\n", PQgetvalue(res, i, 0),
			    PQgetvalue(res, i, 1));
	strbuf_addf(&sb, "# HELP motcua_portal_failures Consecutive failures of the portal (0: it"
			 " answers).\n# TYPE motcua_portal_failures gauge\nmotcua_portal_failures %s\n"
			 "# HELP motcua_portal_enabled Whether changes are queued for the portal.\n"
			 "# TYPE motcua_portal_enabled gauge\nmotcua_portal_enabled %s\n"
			 "# HELP motcua_portal_online_dossiers Online dossiers fetched from the portal:"
			 " stored, or held with a reason.\n# TYPE motcua_portal_online_dossiers gauge\n"
			 "motcua_portal_online_dossiers{state=\"stored\"} %s\n"
			 "motcua_portal_online_dossiers{state=\"held\"} %s\n",
		    PQgetvalue(res, 5, 1), PQgetvalue(res, 6, 1), PQgetvalue(res, 7, 1),
		    PQgetvalue(res, 8, 1));
	PQclear(res);
	return strbuf_detach(&sb);
}

/* ---- the commands -------------------------------------------------------------- */

static const char usage_text[] =
	"cách dùng: motcua-server portal LỆNH --pg CONNINFO ...\n"
	"  enable | disable              bắt đầu / thôi đưa các thay đổi vào hàng đợi công bố\n"
	"  run [--config TỆP] [--once] [--now YYYY-MM-DDTHH:MM:SS]\n"
	"                                gửi hàng đợi lên Cổng, nhận hồ sơ trực tuyến\n"
	"  status                        số thông điệp theo trạng thái (JSON)\n"
	"  list [--state TRẠNG_THÁI] [--limit N]   các thông điệp (JSON, mỗi dòng một)\n"
	"  retry (ID | --all)            gửi lại thông điệp bị lỗi\n"
	"  drop ID --reason LÝ_DO [--by TÊN]       bỏ thông điệp bị lỗi\n"
	"  codes import TỆP.csv          mã của Cổng: loại,mã của ta,mã của Cổng[,tên]\n"
	"  codes list                    (JSON, mỗi dòng một)\n";

static int usage(void)
{
	fputs(usage_text, stderr);
	return 2;
}

/* --pg and the rest of the arguments, getopt-style; *pg from --pg. */
static int take_pg(int *argc, char **argv, const char **pg)
{
	int out = 0;
	for (int i = 0; i < *argc; i++) {
		if (!strcmp(argv[i], "--pg") && i + 1 < *argc) {
			*pg = argv[++i];
			continue;
		}
		if (!strncmp(argv[i], "--pg=", 5)) {
			*pg = argv[i] + 5;
			continue;
		}
		argv[out++] = argv[i];
	}
	*argc = out;
	return *pg ? 0 : -1;
}

/* PostgreSQL's message on stderr; clears res; returns 1. */
static int query_fault(PGresult *res)
{
	fprintf(stderr, SERVER_NAME ": %s", PQresultErrorMessage(res));
	PQclear(res);
	return 1;
}

static int cmd_enable(PGconn *c, bool on)
{
	struct strbuf err = STRBUF_INIT;
	if (db_exec(c, on ? "UPDATE portal_state SET enabled = true, enabled_at ="
			    " coalesce(CASE WHEN enabled THEN enabled_at END, now())"
			  : "UPDATE portal_state SET enabled = false", &err))
		return admin_fault(&err);
	printf("{\"enabled\":%s}\n", on ? "true" : "false");
	return 0;
}

/* Prints a JSON text of PostgreSQL compact, on one line. */
static void print_json(const char *text)
{
	json_t *j = json_loads(text, 0, NULL);
	char *out = j ? json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	printf("%s\n", out ? out : text);
	free(out);
	json_decref(j);
}

static int cmd_status(PGconn *c)
{
	PGresult *res = PQexec(c,
		"SELECT json_build_object("
		" 'enabled', s.enabled,"
		" 'waiting', (SELECT count(*) FROM portal_queue WHERE state = 'waiting'),"
		" 'sent', (SELECT count(*) FROM portal_queue WHERE state = 'sent'),"
		" 'acknowledged', (SELECT count(*) FROM portal_queue WHERE state = 'acknowledged'),"
		" 'error', (SELECT count(*) FROM portal_queue WHERE state = 'error'),"
		" 'dropped', (SELECT count(*) FROM portal_queue WHERE state = 'dropped'),"
		" 'oldest_waiting', (SELECT to_char(min(created_at), 'YYYY-MM-DD\"T\"HH24:MI:SS')"
		"   FROM portal_queue WHERE state IN ('waiting', 'sent')),"
		" 'failures', s.failures,"
		" 'retry_at', to_char(s.retry_at, 'YYYY-MM-DD\"T\"HH24:MI:SS'),"
		" 'last_error', s.last_error,"
		" 'last_error_at', to_char(s.last_error_at, 'YYYY-MM-DD\"T\"HH24:MI:SS'),"
		" 'last_success_at', to_char(s.last_success_at, 'YYYY-MM-DD\"T\"HH24:MI:SS'),"
		" 'online', json_build_object("
		"   'stored', (SELECT count(*) FROM portal_inbox WHERE state = 'stored'),"
		"   'held', (SELECT count(*) FROM portal_inbox WHERE state = 'held'),"
		"   'last_fetch_at', to_char(s.last_fetch_at, 'YYYY-MM-DD\"T\"HH24:MI:SS')))::text"
		" FROM portal_state s");
	if (!db_ok(res) || PQntuples(res) != 1)
		return query_fault(res);
	print_json(PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

static const char *const states[] = { "waiting", "sent", "acknowledged", "error", "dropped" };

static int cmd_list(PGconn *c, int argc, char **argv)
{
	const char *state = NULL, *limit = "100";
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--state") && i + 1 < argc)
			state = argv[++i];
		else if (!strcmp(argv[i], "--limit") && i + 1 < argc)
			limit = argv[++i];
		else
			return usage();
	}
	bool known = !state;
	for (size_t i = 0; state && i < sizeof states / sizeof states[0]; i++)
		known = known || !strcmp(states[i], state);
	char *end;
	long n = strtol(limit, &end, 10);
	if (!known || *end || n < 1 || n > 100000)
		return admin_bad("--state là một trong waiting, sent, acknowledged, error, dropped; --limit"
				 " từ 1 đến 100000");
	const char *p[] = { state, limit };
	PGresult *res = db_query(c, "SELECT json_build_object('id', q.id, 'dossier_id', q.dossier_id,"
				    " 'code', q.dossier->>'code', 'seq', q.seq, 'service', q.service,"
				    " 'event', q.event->>'kind', 'state', q.state, 'attempts', q.attempts,"
				    " 'last_error', q.last_error, 'dropped_reason', q.dropped_reason,"
				    " 'created_at', to_char(q.created_at, 'YYYY-MM-DD\"T\"HH24:MI:SS'))::text"
				    " FROM portal_queue q WHERE $1::text IS NULL OR q.state = $1"
				    " ORDER BY q.id LIMIT $2::integer", 2, p);
	if (!db_ok(res))
		return query_fault(res);
	for (int i = 0; i < PQntuples(res); i++)
		print_json(PQgetvalue(res, i, 0));
	PQclear(res);
	return 0;
}

static bool is_id(const char *s)
{
	if (!*s || strlen(s) > 18)
		return false;
	for (const char *p = s; *p; p++)
		if (!isdigit((unsigned char)*p))
			return false;
	return true;
}

/* An UPDATE ... RETURNING: the rows it changed, or -1 after PostgreSQL's
 * message on stderr. */
static int rows_changed(PGconn *c, const char *sql, int n, const char *const *params)
{
	PGresult *res = db_query(c, sql, n, params);
	if (!db_ok(res))
		return -query_fault(res);
	int rows = PQntuples(res);
	PQclear(res);
	return rows;
}

static int cmd_retry(PGconn *c, int argc, char **argv)
{
	if (argc != 2 || (strcmp(argv[1], "--all") && !is_id(argv[1])))
		return admin_bad("cách dùng: motcua-server portal retry --pg CONNINFO (ID | --all)");
	bool all = !strcmp(argv[1], "--all");
	const char *p[] = { all ? NULL : argv[1] };
	int n = rows_changed(c, "UPDATE portal_queue SET state = 'waiting', last_error = NULL,"
			     " error_at = NULL WHERE state = 'error'"
			     " AND ($1::bigint IS NULL OR id = $1::bigint) RETURNING id", 1, p);
	if (n < 0)
		return 1;
	if (!all && n == 0)
		return admin_bad("không có thông điệp lỗi số %s (xem: motcua-server portal list --state error)",
				 argv[1]);
	printf("{\"retried\":%d}\n", n);
	return 0;
}

static int cmd_drop(PGconn *c, int argc, char **argv)
{
	const char *id = NULL, *reason = NULL, *by = getenv("USER");
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--reason") && i + 1 < argc)
			reason = argv[++i];
		else if (!strcmp(argv[i], "--by") && i + 1 < argc)
			by = argv[++i];
		else if (!id && is_id(argv[i]))
			id = argv[i];
		else if (!strcmp(argv[i], "--reason") || !strcmp(argv[i], "--by"))
			return admin_bad("%s cần một giá trị", argv[i]);
		else
			return admin_bad("cách dùng: motcua-server portal drop --pg CONNINFO ID --reason LÝ_DO");
	}
	if (!id)
		return admin_bad("cách dùng: motcua-server portal drop --pg CONNINFO ID --reason LÝ_DO");
	if (mc_text_blank(reason) || !mc_text_valid(reason) || mc_text_chars(reason) > 500)
		return admin_bad("bỏ một thông điệp cần lý do (--reason, tối đa 500 ký tự)");
	const char *p[] = { id, reason, by ? by : "" };
	int n = rows_changed(c, "UPDATE portal_queue SET state = 'dropped', dropped_reason = $2,"
			     " dropped_by = nullif($3, '') WHERE id = $1::bigint AND state = 'error'"
			     " RETURNING id", 3, p);
	if (n < 0)
		return 1;
	if (!n)
		return admin_bad("không có thông điệp lỗi số %s: chỉ bỏ được thông điệp ở trạng thái error", id);
	printf("{\"dropped\":%s}\n", id);
	return 0;
}

/* CSV "kind,ours,theirs[,name]"; a first line "kind,..." is a header. */
static int codes_import(PGconn *c, const char *path)
{
	FILE *fp = fopen(path, "r");
	if (!fp)
		return admin_bad("không đọc được %s: %s", path, strerror(errno));
	struct strbuf err = STRBUF_INIT;
	char line[2048];
	int lineno = 0, n = 0, rc = 0;
	if (db_exec(c, "BEGIN", &err)) {
		fclose(fp);
		return admin_fault(&err);
	}
	while (!rc && fgets(line, sizeof line, fp)) {
		lineno++;
		char *s = mc_text_trim(line);
		if (!*s || *s == '#' || (lineno == 1 && !strncmp(s, "kind,", 5)))
			continue;
		char *f[4] = { NULL, NULL, NULL, NULL };
		int nf = 0;
		for (char *p = s; nf < 4 && p;) {
			f[nf++] = p;
			p = strchr(p, ',');
			if (p)
				*p++ = '\0';
		}
		for (int i = 0; i < nf; i++)
			f[i] = mc_text_trim(f[i]);
		if (nf < 3 || (strcmp(f[0], "unit") && strcmp(f[0], "procedure") && strcmp(f[0], "field")) ||
		    !*f[1] || !*f[2] || !mc_text_valid(f[1]) || !mc_text_valid(f[2]) ||
		    (nf == 4 && !mc_text_valid(f[3]))) {
			rc = admin_bad("%s:%d: cần «loại,mã của ta,mã của Cổng[,tên]», loại là unit, procedure"
				       " hoặc field", path, lineno);
			break;
		}
		if (!strcmp(f[0], "unit") && !mc_unit_ident_is_qcvn102(f[2])) {
			rc = admin_bad("%s:%d: mã đơn vị của Cổng «%s» không theo QCVN 102 (NNN.NN.NN.XNN)", path,
				       lineno, f[2]);
			break;
		}
		const char *p[] = { f[0], f[1], f[2], nf == 4 ? f[3] : NULL };
		if (!strcmp(f[0], "unit")) {
			PGresult *res = db_query(c, "SELECT 1 FROM units WHERE code = $1", 1, p + 1);
			bool known = db_ok(res) && PQntuples(res) == 1;
			PQclear(res);
			if (!known) {
				rc = admin_bad("%s:%d: không có đơn vị mã «%s» (motcua-server import trước)", path,
					       lineno, f[1]);
				break;
			}
		}
		if (db_execp(c, "INSERT INTO portal_codes(kind, ours, theirs, name) VALUES ($1, $2, $3, $4)"
			     " ON CONFLICT (kind, ours) DO UPDATE SET theirs = excluded.theirs,"
			     " name = coalesce(excluded.name, portal_codes.name)", 4, p, &err)) {
			strbuf_addf(&err, " (%s:%d)", path, lineno);
			rc = 1;
			break;
		}
		n++;
	}
	fclose(fp);
	if (rc || db_exec(c, "COMMIT", &err)) {
		db_exec(c, "ROLLBACK", NULL);
		return rc == 2 ? 2 : admin_fault(&err);
	}
	strbuf_release(&err);
	printf("{\"imported\":%d}\n", n);
	return 0;
}

static int codes_list(PGconn *c)
{
	PGresult *res = PQexec(c, "SELECT json_build_object('kind', kind, 'ours', ours, 'theirs', theirs,"
				  " 'name', name)::text FROM portal_codes ORDER BY kind, ours");
	if (!db_ok(res)) {
		PQclear(res);
		return 1;
	}
	for (int i = 0; i < PQntuples(res); i++)
		print_json(PQgetvalue(res, i, 0));
	PQclear(res);
	return 0;
}

int cmd_portal(int argc, char **argv)
{
	/* argv[0] is "portal" */
	if (argc < 2)
		return usage();
	const char *sub = argv[1];
	if (!strcmp(sub, "run"))
		return portal_run(argc - 1, argv + 1);
	if (!strcmp(sub, "--help") || !strcmp(sub, "help")) {
		fputs(usage_text, stdout);
		return 0;
	}
	int n = argc - 1;
	char **args = argv + 1;
	const char *pg = NULL;
	if (take_pg(&n, args, &pg))
		return admin_bad("thiếu --pg CONNINFO");
	struct strbuf err = STRBUF_INIT;
	PGconn *c = admin_connect(pg, &err);
	if (!c)
		return admin_fault(&err);
	int rc;
	if (!strcmp(sub, "enable") && n == 1)
		rc = cmd_enable(c, true);
	else if (!strcmp(sub, "disable") && n == 1)
		rc = cmd_enable(c, false);
	else if (!strcmp(sub, "status") && n == 1)
		rc = cmd_status(c);
	else if (!strcmp(sub, "list"))
		rc = cmd_list(c, n, args);
	else if (!strcmp(sub, "retry"))
		rc = cmd_retry(c, n, args);
	else if (!strcmp(sub, "drop"))
		rc = cmd_drop(c, n, args);
	else if (!strcmp(sub, "codes") && n == 3 && !strcmp(args[1], "import"))
		rc = codes_import(c, args[2]);
	else if (!strcmp(sub, "codes") && n == 2 && !strcmp(args[1], "list"))
		rc = codes_list(c);
	else
		rc = usage();
	PQfinish(c);
	return rc;
}
