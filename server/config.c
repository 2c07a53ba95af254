/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The server's settings: a "key = value" file (/etc/motcua/server.conf for
 * the installed program; --config FILE or $MOTCUA_CONFIG for any), then the
 * environment (MOTCUA_<KEY> for each key), then the command line, each
 * overriding the one before. The database is a libpq connection string
 * ("pg") and/or its parts (pg_host, pg_dbname...); libpq's own PG* variables
 * and ~/.pgpass or pg_passfile apply as usual, so that no password needs the
 * command line. A password in the file is refused when the file is readable
 * by everyone. See motcua-server(8) and docs/deploy.md. */
#include "server/server.h"

#include "core/text.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum key {
	K_PG, K_PG_HOST, K_PG_PORT, K_PG_DBNAME, K_PG_USER, K_PG_PASSWORD, K_PG_PASSFILE,
	K_PG_SSLMODE, K_LISTEN, K_METRICS_LISTEN, K_THREADS, K_MAX_BODY, K_TLS_CERT, K_TLS_KEY,
	K_DATA, K_SNAPSHOT_MIN_CHANGES, K_SNAPSHOT_MAX_AGE, K_COUNT
};

static const char *const key_names[K_COUNT] = {
	"pg", "pg_host", "pg_port", "pg_dbname", "pg_user", "pg_password", "pg_passfile",
	"pg_sslmode", "listen", "metrics_listen", "threads", "max_body", "tls_cert", "tls_key",
	"data", "snapshot_min_changes", "snapshot_max_age",
};

/* The libpq keyword of each pg_* key, in key order from K_PG_HOST. */
static const char *const pg_words[] = { "host", "port", "dbname", "user", "password",
					"passfile", "sslmode" };

struct value {
	char *text;       /* NULL: not set */
	char where[320];  /* "FILE:LINE" or "MOTCUA_X", for messages */
};

static struct value values[K_COUNT];
static struct server_config cfg;
static char *file_used;

const struct server_config *config_get(void)
{
	if (!cfg.listen) { /* config_load not called: the defaults */
		cfg.listen = "127.0.0.1:8080";
		cfg.threads = 8;
		cfg.max_body = MAX_BODY_DEFAULT;
		cfg.snapshot_min_changes = SNAPSHOT_MIN_CHANGES_DEFAULT;
		cfg.snapshot_max_age = SNAPSHOT_MAX_AGE_DEFAULT;
	}
	return &cfg;
}

static int key_of(const char *name)
{
	for (int k = 0; k < K_COUNT; k++)
		if (!strcmp(key_names[k], name))
			return k;
	return -1;
}

static int read_file(const char *path, bool must_exist, struct strbuf *err)
{
	FILE *fp = fopen(path, "r");
	if (!fp) {
		if (errno == ENOENT && !must_exist)
			return 0;
		strbuf_addf(err, "không đọc được tệp cấu hình %s: %s", path, strerror(errno));
		return -1;
	}
	struct stat st;
	bool world_readable = fstat(fileno(fp), &st) == 0 && (st.st_mode & S_IROTH);
	file_used = xstrdup(path);
	char line[4096];
	int lineno = 0, rc = 0;
	while (rc == 0 && fgets(line, sizeof(line), fp)) {
		lineno++;
		size_t len = strlen(line);
		if (len == sizeof(line) - 1 && line[len - 1] != '\n') {
			strbuf_addf(err, "%s:%d: dòng quá dài", path, lineno);
			rc = -1;
			break;
		}
		char *name, *val;
		int kind = mc_text_setting(line, &name, &val);
		if (kind == 0)
			continue;
		if (kind < 0) {
			strbuf_addf(err, "%s:%d: cần dạng 'khoá = giá trị'", path, lineno);
			rc = -1;
			break;
		}
		int k = key_of(name);
		if (k < 0) {
			strbuf_addf(err, "%s:%d: khoá không rõ '%s'", path, lineno, name);
			rc = -1;
		} else if (values[k].text) {
			strbuf_addf(err, "%s:%d: khoá '%s' đã có ở %s", path, lineno, name, values[k].where);
			rc = -1;
		} else if ((k == K_PG_PASSWORD || (k == K_PG && strstr(val, "password"))) &&
			   world_readable) {
			strbuf_addf(err, "%s:%d: tệp có mật khẩu nhưng ai cũng đọc được;"
				    " hãy chạy: chmod o-rwx %s", path, lineno, path);
			rc = -1;
		} else {
			values[k].text = xstrdup(val);
			snprintf(values[k].where, sizeof(values[k].where), "%s:%d", path, lineno);
		}
	}
	fclose(fp);
	return rc;
}

static void read_env(void)
{
	for (int k = 0; k < K_COUNT; k++) {
		char var[64] = "MOTCUA_";
		for (size_t i = 0; key_names[k][i]; i++)
			var[7 + i] = (char)toupper((unsigned char)key_names[k][i]);
		const char *v = getenv(var);
		if (!v || !*v)
			continue;
		free(values[k].text);
		values[k].text = xstrdup(v);
		snprintf(values[k].where, sizeof(values[k].where), "%s", var);
	}
}

int config_parse_listen(const char *s, struct sockaddr_in *sa)
{
	const char *colon = strrchr(s, ':');
	if (!colon || colon == s || !colon[1])
		return -1;
	char host[64];
	size_t hn = (size_t)(colon - s);
	if (hn >= sizeof(host))
		return -1;
	memcpy(host, s, hn);
	host[hn] = '\0';
	char *end;
	long port = strtol(colon + 1, &end, 10);
	if (*end || port < 0 || port > 65535)
		return -1;
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_port = htons((uint16_t)port);
	if (!strcmp(host, "*"))
		sa->sin_addr.s_addr = htonl(INADDR_ANY);
	else if (inet_pton(AF_INET, host, &sa->sin_addr) != 1)
		return -1;
	return 0;
}

/* A libpq value in single quotes. */
static void add_quoted(struct strbuf *sb, const char *word, const char *v)
{
	strbuf_addf(sb, "%s%s='", sb->len ? " " : "", word);
	for (; *v; v++) {
		if (*v == '\'' || *v == '\\')
			strbuf_addch(sb, '\\');
		strbuf_addch(sb, *v);
	}
	strbuf_addch(sb, '\'');
}

static int check_number(int k, long long lo, long long hi, long long *out, struct strbuf *err)
{
	char *end;
	errno = 0;
	long long v = strtoll(values[k].text, &end, 10);
	if (errno || end == values[k].text || *end || v < lo || v > hi) {
		strbuf_addf(err, "%s: %s phải là số từ %lld đến %lld", values[k].where, key_names[k],
			    lo, hi);
		return -1;
	}
	*out = v;
	return 0;
}

/* The settings' values into cfg, each checked. */
static int settle(struct strbuf *err)
{
	struct sockaddr_in sa;
	static const int addrs[] = { K_LISTEN, K_METRICS_LISTEN };
	for (size_t i = 0; i < 2; i++) {
		int k = addrs[i];
		if (values[k].text && config_parse_listen(values[k].text, &sa)) {
			strbuf_addf(err, "%s: %s không hợp lệ: %s (ví dụ 127.0.0.1:8080)",
				    values[k].where, key_names[k], values[k].text);
			return -1;
		}
	}
	long long n;
	if (values[K_THREADS].text) {
		if (check_number(K_THREADS, 1, 256, &n, err))
			return -1;
		cfg.threads = (long)n;
	}
	if (values[K_MAX_BODY].text) {
		if (check_number(K_MAX_BODY, 1024, 1ll << 30, &n, err))
			return -1;
		cfg.max_body = (size_t)n;
	}
	cfg.snapshot_min_changes = SNAPSHOT_MIN_CHANGES_DEFAULT;
	if (values[K_SNAPSHOT_MIN_CHANGES].text) {
		if (check_number(K_SNAPSHOT_MIN_CHANGES, 1, 1ll << 40, &n, err))
			return -1;
		cfg.snapshot_min_changes = n;
	}
	cfg.snapshot_max_age = SNAPSHOT_MAX_AGE_DEFAULT;
	if (values[K_SNAPSHOT_MAX_AGE].text) {
		if (check_number(K_SNAPSHOT_MAX_AGE, 0, 366ll * 86400, &n, err))
			return -1;
		cfg.snapshot_max_age = n;
	}
	if (!values[K_TLS_CERT].text != !values[K_TLS_KEY].text) {
		int k = values[K_TLS_CERT].text ? K_TLS_CERT : K_TLS_KEY;
		strbuf_addf(err, "%s: tls_cert và tls_key phải có cả hai", values[k].where);
		return -1;
	}
	if (values[K_PG].text) {
		char *msg = NULL;
		PQconninfoOption *o = PQconninfoParse(values[K_PG].text, &msg);
		if (!o) {
			strbuf_addf(err, "%s: pg không phải chuỗi kết nối libpq hợp lệ: %.*s",
				    values[K_PG].where, msg ? (int)strcspn(msg, "\n") : 0, msg ? msg : "");
			PQfreemem(msg);
			return -1;
		}
		PQconninfoFree(o);
	}
	cfg.listen = values[K_LISTEN].text ? values[K_LISTEN].text : "127.0.0.1:8080";
	cfg.metrics_listen = values[K_METRICS_LISTEN].text;
	cfg.tls_cert = values[K_TLS_CERT].text;
	cfg.tls_key = values[K_TLS_KEY].text;
	cfg.data = values[K_DATA].text;
	cfg.file = file_used;

	/* the connection string: "pg", then its parts (a repeated libpq keyword
	 * takes the last value) */
	struct strbuf pg = STRBUF_INIT;
	bool any = false;
	if (values[K_PG].text) {
		strbuf_addstr(&pg, values[K_PG].text);
		any = true;
	}
	for (int k = K_PG_HOST; k <= K_PG_SSLMODE; k++)
		if (values[k].text) {
			add_quoted(&pg, pg_words[k - K_PG_HOST], values[k].text);
			any = true;
		}
	/* libpq's own variables name a database too */
	static const char *const libpq_vars[] = { "PGHOST", "PGDATABASE", "PGSERVICE", "PGHOSTADDR" };
	for (size_t i = 0; i < sizeof(libpq_vars) / sizeof(libpq_vars[0]); i++)
		if (getenv(libpq_vars[i]) && *getenv(libpq_vars[i]))
			any = true;
	if (any)
		cfg.pg = strbuf_detach(&pg); /* "" when only libpq's variables name it */
	strbuf_release(&pg);
	return 0;
}

int config_load(const char *path, struct strbuf *err)
{
	config_release();
	cfg.threads = 8;
	cfg.max_body = MAX_BODY_DEFAULT;
	bool must = true;
	if (!path || !*path)
		path = getenv("MOTCUA_CONFIG");
	if (!path || !*path) {
		must = false;
#ifdef MOTCUA_SERVER_CONF
		path = MOTCUA_SERVER_CONF;
#else
		path = NULL; /* the build tree's program reads no file unless told */
#endif
	}
	if (path && read_file(path, must, err))
		return -1;
	read_env();
	return settle(err);
}

void config_release(void)
{
	for (int k = 0; k < K_COUNT; k++) {
		FREE(&values[k].text);
		values[k].where[0] = '\0';
	}
	free(cfg.pg);
	FREE(&file_used);
	memset(&cfg, 0, sizeof(cfg));
}

void config_warn_password(const char *conninfo)
{
	PQconninfoOption *o = PQconninfoParse(conninfo, NULL);
	if (!o)
		return;
	for (PQconninfoOption *p = o; p->keyword; p++)
		if (!strcmp(p->keyword, "password") && p->val && *p->val)
			fputs(SERVER_NAME ": cảnh báo: mật khẩu trong --pg ai cũng thấy được (ps);"
			      " hãy đặt pg_password trong server.conf hoặc dùng tệp PGPASSFILE\n",
			      stderr);
	PQconninfoFree(o);
}
