/* SPDX-License-Identifier: GPL-3.0-or-later */
/* "key = value" settings driven by a table of keys: see keyfile.h. */
#include "server/keyfile.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/text.h"

static int set_value(const struct keyfile_key *k, void *slot, const char *value)
{
	char *end = NULL;
	errno = 0;
	switch (k->type) {
	case KF_STR:
		free(*(char **)slot);
		*(char **)slot = xstrdup(value);
		return 0;
	case KF_LONG: {
		long v = strtol(value, &end, 10);
		if (errno || *end || end == value || v < 0 || v > 86400L * 365)
			return -1;
		*(long *)slot = v;
		return 0;
	}
	case KF_SIZE: {
		long long v = strtoll(value, &end, 10);
		if (errno || *end || end == value || v <= 0)
			return -1;
		*(long long *)slot = v;
		return 0;
	}
	case KF_DOUBLE: {
		double v = strtod(value, &end);
		if (errno || *end || end == value || !(v > 0) || v > 86400)
			return -1;
		*(double *)slot = v;
		return 0;
	}
	case KF_BOOL:
		if (!strcmp(value, "yes") || !strcmp(value, "true") || !strcmp(value, "1"))
			*(bool *)slot = true;
		else if (!strcmp(value, "no") || !strcmp(value, "false") || !strcmp(value, "0"))
			*(bool *)slot = false;
		else
			return -1;
		return 0;
	}
	return -1;
}

static const struct keyfile_key *find(const struct keyfile_key *keys, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(keys[i].name, name))
			return &keys[i];
	return NULL;
}

static int set_key(const struct keyfile_key *k, void *settings, const char *name,
		   const char *value, const char *where, struct strbuf *err)
{
	if (!k) {
		strbuf_addf(err, "%s: khoá không rõ '%s'", where, name);
		return -1;
	}
	if (set_value(k, (char *)settings + k->off, value)) {
		strbuf_addf(err, "%s: giá trị «%s» của '%s' không hợp lệ", where, value, name);
		return -1;
	}
	return 0;
}

static int read_file(const struct keyfile_key *keys, size_t n, void *settings, const char *path,
		     struct strbuf *err)
{
	FILE *fp = fopen(path, "r");
	if (!fp) {
		strbuf_addf(err, "không đọc được tệp cấu hình %s: %s", path, strerror(errno));
		return -1;
	}
	struct stat st;
	bool world = fstat(fileno(fp), &st) == 0 && (st.st_mode & S_IROTH);
	char line[4096];
	int lineno = 0, rc = 0;
	while (!rc && fgets(line, sizeof line, fp)) {
		lineno++;
		char where[600];
		snprintf(where, sizeof where, "%s:%d", path, lineno);
		char *name, *val;
		int kind = mc_text_setting(line, &name, &val);
		if (kind == 0)
			continue;
		if (kind < 0) {
			strbuf_addf(err, "%s: cần dạng 'khoá = giá trị'", where);
			rc = -1;
			break;
		}
		const struct keyfile_key *k = find(keys, n, name);
		if (world && k && k->secret) {
			strbuf_addf(err, "%s: tệp chứa mật khẩu nhưng ai cũng đọc được; hãy chmod 600 %s",
				    where, path);
			rc = -1;
			break;
		}
		rc = set_key(k, settings, name, val, where, err);
	}
	fclose(fp);
	return rc;
}

int keyfile_load(const struct keyfile_key *keys, size_t n, void *settings, const char *path,
		 const char *env_prefix, struct strbuf *err)
{
	if (path && read_file(keys, n, settings, path, err))
		return -1;
	for (size_t i = 0; i < n; i++) {
		char env[96];
		size_t len = (size_t)snprintf(env, sizeof env, "%s", env_prefix);
		for (const char *p = keys[i].name; *p && len + 1 < sizeof env; p++)
			env[len++] = (char)toupper((unsigned char)*p);
		env[len] = '\0';
		const char *v = getenv(env);
		if (v && set_key(&keys[i], settings, keys[i].name, v, env, err))
			return -1;
	}
	return 0;
}

void keyfile_release(const struct keyfile_key *keys, size_t n, void *settings)
{
	for (size_t i = 0; i < n; i++)
		if (keys[i].type == KF_STR)
			FREE((char **)((char *)settings + keys[i].off));
}
