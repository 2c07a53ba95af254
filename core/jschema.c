/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "core/jschema.h"

#include <pthread.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"

#define MAX_ERRORS 5
#define MAX_DEPTH 64

/* ---- the schema itself ------------------------------------------------------ */

static const char *const annotations[] = { "$schema", "$id", "title", "description", "$comment",
					   "examples", "default", "format", "$defs", "definitions" };

static bool is_annotation(const char *k)
{
	for (size_t i = 0; i < sizeof(annotations) / sizeof(annotations[0]); i++)
		if (!strcmp(annotations[i], k))
			return true;
	return false;
}

static const char *const type_names[] = { "object", "array", "string", "integer", "number",
					  "boolean", "null" };

static bool type_name_valid(const json_t *t)
{
	if (!json_is_string(t))
		return false;
	for (size_t i = 0; i < sizeof(type_names) / sizeof(type_names[0]); i++)
		if (!strcmp(type_names[i], json_string_value(t)))
			return true;
	return false;
}

/* The schema a "$ref" names in root, or NULL. */
static const json_t *resolve(const json_t *root, const char *ref)
{
	static const char *const prefixes[] = { "#/$defs/", "#/definitions/" };
	for (size_t i = 0; i < 2; i++) {
		size_t n = strlen(prefixes[i]);
		if (!strncmp(ref, prefixes[i], n)) {
			const json_t *defs = json_object_get(root, i == 0 ? "$defs" : "definitions");
			const json_t *s = json_object_get(defs, ref + n);
			return json_is_object(s) || json_is_boolean(s) ? s : NULL;
		}
	}
	return NULL;
}

static bool nonneg_int(const json_t *v)
{
	return json_is_integer(v) && json_integer_value(v) >= 0;
}

static int check_at(const json_t *root, const json_t *s, const char *where, int depth,
		    struct strbuf *err);

static int check_sub(const json_t *root, const json_t *s, const char *where, const char *key,
		     int depth, struct strbuf *err)
{
	char *w = xasprintf("%s/%s", where, key);
	int rc = check_at(root, s, w, depth + 1, err);
	free(w);
	return rc;
}

static int bad(struct strbuf *err, const char *where, const char *what)
{
	strbuf_addf(err, "%s: %s", where, what);
	return -1;
}

static int check_at(const json_t *root, const json_t *s, const char *where, int depth,
		    struct strbuf *err)
{
	if (depth > MAX_DEPTH)
		return bad(err, where, "lược đồ lồng nhau quá sâu");
	if (json_is_boolean(s))
		return 0;
	if (!json_is_object(s))
		return bad(err, where, "một lược đồ phải là đối tượng hoặc true/false");
	const char *k;
	const json_t *v;
	json_object_foreach((json_t *)s, k, v) {
		if (is_annotation(k))
			continue;
		if (!strcmp(k, "type")) {
			bool ok = type_name_valid(v);
			if (json_is_array(v)) {
				size_t i;
				const json_t *t;
				ok = json_array_size(v) > 0;
				json_array_foreach(v, i, t) ok = ok && type_name_valid(t);
			}
			if (!ok)
				return bad(err, where, "\"type\" không hợp lệ");
		} else if (!strcmp(k, "properties")) {
			if (!json_is_object(v))
				return bad(err, where, "\"properties\" phải là đối tượng");
			const char *pk;
			const json_t *pv;
			json_object_foreach((json_t *)v, pk, pv)
				if (check_sub(root, pv, where, pk, depth, err))
					return -1;
		} else if (!strcmp(k, "required")) {
			size_t i;
			const json_t *r;
			if (!json_is_array(v))
				return bad(err, where, "\"required\" phải là mảng tên");
			json_array_foreach(v, i, r) if (!json_is_string(r))
				return bad(err, where, "\"required\" phải là mảng tên");
		} else if (!strcmp(k, "additionalProperties")) {
			if (!json_is_boolean(v))
				return bad(err, where, "chỉ hỗ trợ \"additionalProperties\": true/false");
		} else if (!strcmp(k, "items") || !strcmp(k, "if") || !strcmp(k, "then") ||
			   !strcmp(k, "else")) {
			if (check_sub(root, v, where, k, depth, err))
				return -1;
		} else if (!strcmp(k, "allOf")) {
			size_t i;
			const json_t *x;
			if (!json_is_array(v) || !json_array_size(v))
				return bad(err, where, "\"allOf\" phải là mảng lược đồ");
			json_array_foreach(v, i, x) if (check_sub(root, x, where, "allOf", depth, err))
				return -1;
		} else if (!strcmp(k, "enum")) {
			if (!json_is_array(v) || !json_array_size(v))
				return bad(err, where, "\"enum\" phải là mảng khác rỗng");
		} else if (!strcmp(k, "const")) {
			/* any value */
		} else if (!strcmp(k, "pattern")) {
			regex_t re;
			if (!json_is_string(v) || regcomp(&re, json_string_value(v), REG_EXTENDED | REG_NOSUB))
				return bad(err, where, "\"pattern\" không phải biểu thức chính quy POSIX hợp lệ");
			regfree(&re);
		} else if (!strcmp(k, "minLength") || !strcmp(k, "maxLength") ||
			   !strcmp(k, "minItems") || !strcmp(k, "maxItems")) {
			if (!nonneg_int(v))
				return bad(err, where, "độ dài, số phần tử phải là số nguyên không âm");
		} else if (!strcmp(k, "minimum") || !strcmp(k, "maximum")) {
			if (!json_is_number(v))
				return bad(err, where, "\"minimum\", \"maximum\" phải là số");
		} else if (!strcmp(k, "$ref")) {
			if (!json_is_string(v) || !resolve(root, json_string_value(v)))
				return bad(err, where, "\"$ref\" không trỏ tới một lược đồ trong $defs");
		} else {
			char *m = xasprintf("từ khóa «%s» không được hỗ trợ", k);
			bad(err, where, m);
			free(m);
			return -1;
		}
	}
	const json_t *defs[] = { json_object_get(s, "$defs"), json_object_get(s, "definitions") };
	for (size_t i = 0; i < 2; i++) {
		if (!defs[i])
			continue;
		if (!json_is_object(defs[i]))
			return bad(err, where, "\"$defs\" phải là đối tượng");
		const char *dk;
		const json_t *dv;
		json_object_foreach((json_t *)defs[i], dk, dv)
			if (check_sub(root, dv, where, dk, depth, err))
				return -1;
	}
	return 0;
}

int mc_jschema_check(const json_t *schema, struct strbuf *err)
{
	return check_at(schema, schema, "#", 0, err);
}

/* ---- validation --------------------------------------------------------------- */

/* Compiled patterns, kept for the life of the process: a schema has a few
 * dozen and is used for every message. */
#define PATTERN_CACHE 128
static struct {
	char *text;
	regex_t re;
	bool ok;
} patterns[PATTERN_CACHE];
static int npatterns;
static pthread_mutex_t patterns_lock = PTHREAD_MUTEX_INITIALIZER;

/* Whether text matches pattern; -1 when pattern does not compile. */
static int pattern_match(const char *pattern, const char *text)
{
	pthread_mutex_lock(&patterns_lock);
	int i;
	for (i = 0; i < npatterns; i++)
		if (!strcmp(patterns[i].text, pattern))
			break;
	if (i == npatterns && npatterns < PATTERN_CACHE) {
		patterns[i].text = xstrdup(pattern);
		patterns[i].ok = !regcomp(&patterns[i].re, pattern, REG_EXTENDED | REG_NOSUB);
		npatterns++;
	}
	pthread_mutex_unlock(&patterns_lock);
	if (i < PATTERN_CACHE) {
		if (!patterns[i].ok)
			return -1;
		return !regexec(&patterns[i].re, text, 0, NULL, 0);
	}
	/* the cache is full (a schema of many patterns): compiled each time */
	regex_t re;
	if (regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB))
		return -1;
	int m = !regexec(&re, text, 0, NULL, 0);
	regfree(&re);
	return m;
}

struct vstate {
	const json_t *root;
	struct strbuf *err;
	int errors;
	bool quiet; /* inside "if": only whether it holds */
};

static void report(struct vstate *st, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void report(struct vstate *st, const char *path, const char *fmt, ...)
{
	st->errors++;
	if (st->quiet || st->errors > MAX_ERRORS)
		return;
	va_list ap;
	va_start(ap, fmt);
	char *m = xvasprintf(fmt, ap);
	va_end(ap);
	if (st->err->len)
		strbuf_addstr(st->err, "; ");
	strbuf_addf(st->err, "%s: %s", path, m);
	free(m);
}

static bool has_type(const json_t *v, const char *t)
{
	if (!strcmp(t, "object"))
		return json_is_object(v);
	if (!strcmp(t, "array"))
		return json_is_array(v);
	if (!strcmp(t, "string"))
		return json_is_string(v);
	if (!strcmp(t, "integer"))
		return json_is_integer(v);
	if (!strcmp(t, "number"))
		return json_is_number(v);
	if (!strcmp(t, "boolean"))
		return json_is_boolean(v);
	if (!strcmp(t, "null"))
		return json_is_null(v);
	return false;
}

static const char *type_vn(const char *t)
{
	static const char *const vn[][2] = {
		{ "object", "đối tượng" }, { "array", "mảng" },	       { "string", "chuỗi" },
		{ "integer", "số nguyên" }, { "number", "số" },	       { "boolean", "true/false" },
		{ "null", "null" },
	};
	for (size_t i = 0; i < sizeof(vn) / sizeof(vn[0]); i++)
		if (!strcmp(vn[i][0], t))
			return vn[i][1];
	return t;
}

static void validate(struct vstate *st, const json_t *s, const json_t *v, const char *path,
		     int depth);

static void validate_type(struct vstate *st, const json_t *t, const json_t *v, const char *path)
{
	if (json_is_string(t)) {
		if (!has_type(v, json_string_value(t)))
			report(st, path, "phải là %s", type_vn(json_string_value(t)));
		return;
	}
	size_t i;
	const json_t *x;
	json_array_foreach(t, i, x) if (has_type(v, json_string_value(x))) return;
	report(st, path, "có kiểu không được phép");
}

static void validate_string(struct vstate *st, const json_t *s, const json_t *v, const char *path)
{
	const char *text = json_string_value(v);
	const json_t *mn = json_object_get(s, "minLength"), *mx = json_object_get(s, "maxLength");
	const json_t *pat = json_object_get(s, "pattern");
	if (mn || mx) {
		size_t n = mc_text_valid(text) ? mc_text_chars(text) : strlen(text);
		if (mn && n < (size_t)json_integer_value(mn))
			report(st, path, "cần ít nhất %lld ký tự", (long long)json_integer_value(mn));
		if (mx && n > (size_t)json_integer_value(mx))
			report(st, path, "dài quá %lld ký tự (%zu ký tự)", (long long)json_integer_value(mx),
			       n);
	}
	if (json_is_string(pat)) {
		int m = pattern_match(json_string_value(pat), text);
		if (m < 0)
			report(st, path, "mẫu «%s» không dùng được", json_string_value(pat));
		/* a NUL inside the text would hide the rest from regexec */
		else if (strlen(text) != json_string_length(v) || !m)
			report(st, path, "«%.60s» không đúng mẫu %s", mc_text_valid(text) ? text : "?",
			       json_string_value(pat));
	}
}

static void validate_object(struct vstate *st, const json_t *s, const json_t *v, const char *path,
			    int depth)
{
	const json_t *props = json_object_get(s, "properties");
	const json_t *req = json_object_get(s, "required");
	size_t i;
	const json_t *r;
	json_array_foreach(req, i, r) {
		if (!json_object_get(v, json_string_value(r)))
			report(st, path, "thiếu trường bắt buộc «%s»", json_string_value(r));
	}
	const char *k;
	const json_t *x;
	bool closed = json_is_false(json_object_get(s, "additionalProperties"));
	json_object_foreach((json_t *)v, k, x) {
		const json_t *ps = json_object_get(props, k);
		char *sub = xasprintf("%s.%s", path, k);
		if (ps)
			validate(st, ps, x, sub, depth + 1);
		else if (closed)
			report(st, path, "trường «%s» không có trong lược đồ", k);
		free(sub);
	}
}

static void validate_array(struct vstate *st, const json_t *s, const json_t *v, const char *path,
			   int depth)
{
	const json_t *mn = json_object_get(s, "minItems"), *mx = json_object_get(s, "maxItems");
	size_t n = json_array_size(v);
	if (mn && n < (size_t)json_integer_value(mn))
		report(st, path, "cần ít nhất %lld phần tử", (long long)json_integer_value(mn));
	if (mx && n > (size_t)json_integer_value(mx))
		report(st, path, "nhiều hơn %lld phần tử (%zu)", (long long)json_integer_value(mx), n);
	const json_t *items = json_object_get(s, "items");
	if (!items)
		return;
	size_t i;
	const json_t *x;
	json_array_foreach(v, i, x) {
		char *sub = xasprintf("%s[%zu]", path, i);
		validate(st, items, x, sub, depth + 1);
		free(sub);
	}
}

/* Whether v satisfies s, without reporting. */
static bool holds(struct vstate *st, const json_t *s, const json_t *v, const char *path, int depth)
{
	struct vstate q = { st->root, st->err, 0, true };
	validate(&q, s, v, path, depth);
	return q.errors == 0;
}

static void validate(struct vstate *st, const json_t *s, const json_t *v, const char *path,
		     int depth)
{
	if (depth > MAX_DEPTH) {
		report(st, path, "lồng nhau quá sâu");
		return;
	}
	if (json_is_true(s))
		return;
	if (json_is_false(s)) {
		report(st, path, "không được phép");
		return;
	}
	const json_t *ref = json_object_get(s, "$ref");
	if (json_is_string(ref)) {
		const json_t *t = resolve(st->root, json_string_value(ref));
		if (!t)
			report(st, path, "lược đồ không có %s", json_string_value(ref));
		else
			validate(st, t, v, path, depth + 1);
	}
	const json_t *type = json_object_get(s, "type");
	if (type) {
		int before = st->errors;
		validate_type(st, type, v, path);
		if (st->errors != before)
			return; /* the other keywords would only repeat it */
	}
	const json_t *en = json_object_get(s, "enum");
	if (json_is_array(en)) {
		size_t i;
		const json_t *x;
		bool found = false;
		json_array_foreach(en, i, x) found = found || json_equal((json_t *)x, (json_t *)v);
		if (!found) {
			char *text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
			char *allowed = json_dumps(en, JSON_COMPACT);
			report(st, path, "giá trị %.40s không thuộc %s", text ? text : "?",
			       allowed ? allowed : "?");
			free(text);
			free(allowed);
		}
	}
	const json_t *cst = json_object_get(s, "const");
	if (cst && !json_equal((json_t *)cst, (json_t *)v)) {
		char *want = json_dumps(cst, JSON_COMPACT | JSON_ENCODE_ANY);
		report(st, path, "phải bằng %s", want ? want : "?");
		free(want);
	}
	if (json_is_string(v))
		validate_string(st, s, v, path);
	if (json_is_object(v))
		validate_object(st, s, v, path, depth);
	if (json_is_array(v))
		validate_array(st, s, v, path, depth);
	if (json_is_number(v)) {
		const json_t *mn = json_object_get(s, "minimum"), *mx = json_object_get(s, "maximum");
		double x = json_number_value(v);
		if (mn && x < json_number_value(mn))
			report(st, path, "nhỏ hơn %g", json_number_value(mn));
		if (mx && x > json_number_value(mx))
			report(st, path, "lớn hơn %g", json_number_value(mx));
	}
	const json_t *all = json_object_get(s, "allOf");
	size_t i;
	const json_t *x;
	json_array_foreach(all, i, x) validate(st, x, v, path, depth + 1);
	const json_t *iff = json_object_get(s, "if");
	if (iff) {
		const json_t *branch = holds(st, iff, v, path, depth + 1) ? json_object_get(s, "then")
									    : json_object_get(s, "else");
		if (branch)
			validate(st, branch, v, path, depth + 1);
	}
}

int mc_jschema_validate(const json_t *schema, const json_t *root, const json_t *v,
			struct strbuf *err)
{
	struct vstate st = { root ? root : schema, err, 0, false };
	validate(&st, schema, v, "$", 0);
	if (st.errors > MAX_ERRORS)
		strbuf_addf(err, "; và %d lỗi khác", st.errors - MAX_ERRORS);
	return st.errors ? -1 : 0;
}
