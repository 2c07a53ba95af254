/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "client/tui/keymap.h"

#include <curses.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/text.h"
#include "core/xalloc.h"

/* Actions */

static const char *const action_names[] = {
	"none",
#define ACTION_NAME(id, name, help) name,
	ACTIONS(ACTION_NAME)
#undef ACTION_NAME
};

static const char *const action_helps[] = {
	"",
#define ACTION_HELP(id, name, help) help,
	ACTIONS(ACTION_HELP)
#undef ACTION_HELP
};

const char *action_name(enum action a)
{
	return (unsigned)a < ACTION__COUNT ? action_names[a] : NULL;
}

const char *action_help(enum action a)
{
	return (unsigned)a < ACTION__COUNT ? action_helps[a] : NULL;
}

int action_from_name(const char *name)
{
	for (int i = 0; i < ACTION__COUNT; i++)
		if (!strcmp(action_names[i], name))
			return i;
	return -1;
}

/* Keymap names */

static const char *const keymap_names[] = {
#define KEYMAP_NAME(id, name) name,
	KEYMAPS(KEYMAP_NAME)
#undef KEYMAP_NAME
};

const char *keymap_name(enum keymap_id id)
{
	return (unsigned)id < KEYMAP__COUNT ? keymap_names[id] : NULL;
}

int keymap_from_name(const char *name)
{
	for (int i = 0; i < KEYMAP__COUNT; i++)
		if (!strcmp(keymap_names[i], name))
			return i;
	return -1;
}

/* Keys */

/* Named keys; the first name of a key is the one key_format prints. */
static const struct {
	const char *name;
	bool fn;
	wint_t ch;
} key_names[] = {
	{ "Enter", true, KEY_ENTER },
	{ "Esc", false, 27 },
	{ "Escape", false, 27 },
	{ "Tab", false, '\t' },
	{ "S-Tab", true, KEY_BTAB },
	{ "BackTab", true, KEY_BTAB },
	{ "Up", true, KEY_UP },
	{ "Down", true, KEY_DOWN },
	{ "Left", true, KEY_LEFT },
	{ "Right", true, KEY_RIGHT },
	{ "PgUp", true, KEY_PPAGE },
	{ "PageUp", true, KEY_PPAGE },
	{ "PgDown", true, KEY_NPAGE },
	{ "PageDown", true, KEY_NPAGE },
	{ "Home", true, KEY_HOME },
	{ "End", true, KEY_END },
	{ "Backspace", true, KEY_BACKSPACE },
	{ "Delete", true, KEY_DC },
	{ "Del", true, KEY_DC },
	{ "Insert", true, KEY_IC },
	{ "Ins", true, KEY_IC },
	{ "Space", false, ' ' },
	{ "Hash", false, '#' },
};

#define N_KEY_NAMES (sizeof(key_names) / sizeof(key_names[0]))
#define N_FKEYS 12

void key_normalize(struct key *k)
{
	if (k->fn)
		return;
	if (k->ch == '\r' || k->ch == '\n') {
		k->fn = true;
		k->ch = KEY_ENTER;
	} else if (k->ch == 127 || k->ch == 8) {
		k->fn = true;
		k->ch = KEY_BACKSPACE;
	}
}

/* <C-x>: a letter, either case. */
static int parse_ctrl(const char *s, size_t len, struct key *out)
{
	if (len != 3 || (s[0] != 'C' && s[0] != 'c') || s[1] != '-')
		return -1;
	char c = s[2];
	if (c >= 'A' && c <= 'Z')
		c = (char)(c - 'A' + 'a');
	if (c < 'a' || c > 'z')
		return -1;
	out->fn = false;
	out->ch = (wint_t)(c - 'a' + 1);
	return 0;
}

static int parse_fkey(const char *s, size_t len, struct key *out)
{
	if (len < 2 || len > 3 || (s[0] != 'F' && s[0] != 'f'))
		return -1;
	int n = 0;
	for (size_t i = 1; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		n = n * 10 + (s[i] - '0');
	}
	if (s[1] == '0' || n < 1 || n > N_FKEYS)
		return -1;
	out->fn = true;
	out->ch = (wint_t)KEY_F(n);
	return 0;
}

static int parse_named(const char *name, struct key *out)
{
	size_t len = strlen(name);
	if (len < 3 || name[len - 1] != '>')
		return -1;
	const char *s = name + 1;
	len -= 2;
	for (size_t i = 0; i < N_KEY_NAMES; i++) {
		if (strlen(key_names[i].name) == len && !strncasecmp(key_names[i].name, s, len)) {
			out->fn = key_names[i].fn;
			out->ch = key_names[i].ch;
			return 0;
		}
	}
	if (!parse_ctrl(s, len, out) || !parse_fkey(s, len, out)) {
		key_normalize(out);
		return 0;
	}
	return -1;
}

int key_parse(const char *name, struct key *out)
{
	if (!name || !*name)
		return -1;
	if (name[0] == '<' && name[1])
		return parse_named(name, out);
	if (!mc_text_valid(name))
		return -1;
	char *nfc = mc_text_nfc(name);
	int32_t cp;
	size_t used = mc_utf8_next(nfc, strlen(nfc), &cp);
	int rc = -1;
	/* One printable character; control characters have names. */
	if (!nfc[used] && cp > ' ' && cp != 0x7f) {
		out->fn = false;
		out->ch = (wint_t)cp;
		rc = 0;
	}
	free(nfc);
	return rc;
}

static const char *known_name(const struct key *k)
{
	for (size_t i = 0; i < N_KEY_NAMES; i++)
		if (key_names[i].fn == k->fn && key_names[i].ch == k->ch)
			return key_names[i].name;
	return NULL;
}

/* Writes the name without angle brackets into buf; returns true when the
 * full form needs them. */
static bool key_bare(const struct key *k, char *buf, size_t n)
{
	const char *name = known_name(k);
	if (name) {
		snprintf(buf, n, "%s", name);
		return true;
	}
	if (k->fn) {
		for (int i = 1; i <= N_FKEYS; i++) {
			if (k->ch == (wint_t)KEY_F(i)) {
				snprintf(buf, n, "F%d", i);
				return true;
			}
		}
		snprintf(buf, n, "key-%u", (unsigned)k->ch);
		return true;
	}
	if (k->ch >= 1 && k->ch <= 26) {
		snprintf(buf, n, "C-%c", (char)('a' + k->ch - 1));
		return true;
	}
	char utf8[5] = { 0 };
	mc_utf8_put((int32_t)k->ch, utf8);
	snprintf(buf, n, "%s", utf8);
	return false;
}

void key_format(const struct key *k, char *buf, size_t n)
{
	char bare[32];
	if (key_bare(k, bare, sizeof(bare)))
		snprintf(buf, n, "<%s>", bare);
	else
		snprintf(buf, n, "%s", bare);
}

void key_label(const struct key *k, char *buf, size_t n)
{
	key_bare(k, buf, n);
}

/* Keymaps */

void keymap_init(struct keymap *km)
{
	memset(km, 0, sizeof(*km));
}

void keymap_release(struct keymap *km)
{
	for (int i = 0; i < KEYMAP__COUNT; i++)
		free(km->bindings[i]);
	for (size_t i = 0; i < km->nwarnings; i++)
		free(km->warnings[i]);
	free(km->warnings);
	memset(km, 0, sizeof(*km));
}

static bool key_eq(const struct key *a, const struct key *b)
{
	return a->fn == b->fn && a->ch == b->ch;
}

static const struct binding *find_binding(const struct keymap *km, enum keymap_id id,
					  const struct key *k)
{
	for (size_t i = 0; i < km->count[id]; i++)
		if (key_eq(&km->bindings[id][i].key, k))
			return &km->bindings[id][i];
	return NULL;
}

void keymap_bind(struct keymap *km, enum keymap_id id, const struct key *k, enum action a)
{
	struct binding *b = (struct binding *)find_binding(km, id, k);
	if (b) {
		b->action = a;
		return;
	}
	if (km->count[id] == km->alloc[id]) {
		km->alloc[id] = km->alloc[id] ? 2 * km->alloc[id] : 16;
		km->bindings[id] = xrealloc(km->bindings[id], km->alloc[id] * sizeof(struct binding));
	}
	km->bindings[id][km->count[id]++] = (struct binding){ *k, a };
}

enum action keymap_lookup(const struct keymap *km, enum keymap_id id, const struct key *k)
{
	const struct binding *b = NULL;
	if ((unsigned)id < KEYMAP__COUNT)
		b = find_binding(km, id, k);
	if (!b)
		b = find_binding(km, KEYMAP_GENERIC, k);
	return b ? b->action : ACTION_NONE;
}

enum action keymap_lookup_field(const struct keymap *km, enum keymap_id id, const struct key *k)
{
	const struct binding *b = find_binding(km, KEYMAP_FIELD, k);
	return b ? b->action : keymap_lookup(km, id, k);
}

bool keymap_key_for(const struct keymap *km, enum keymap_id id, enum action a, struct key *out)
{
	if (a == ACTION_NONE)
		return false;
	for (int pass = 0; pass < 2; pass++) {
		enum keymap_id table = pass ? KEYMAP_GENERIC : id;
		if ((unsigned)table >= KEYMAP__COUNT || (pass && id == KEYMAP_GENERIC))
			continue;
		for (size_t i = 0; i < km->count[table]; i++) {
			const struct binding *b = &km->bindings[table][i];
			if (b->action == a && keymap_lookup(km, id, &b->key) == a) {
				*out = b->key;
				return true;
			}
		}
	}
	return false;
}

static void warn(struct keymap *km, const char *source, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void warn(struct keymap *km, const char *source, int line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	if (km->nwarnings == km->warnings_alloc) {
		km->warnings_alloc = km->warnings_alloc ? 2 * km->warnings_alloc : 8;
		km->warnings = xrealloc(km->warnings, km->warnings_alloc * sizeof(char *));
	}
	if (line > 0)
		km->warnings[km->nwarnings++] = xasprintf("%s:%d: %s", source, line, msg);
	else
		km->warnings[km->nwarnings++] = xasprintf("%s: %s", source, msg);
	free(msg);
}

/* Splits line (modified in place) into at most max words; a word starting
 * with '#' ends the line. Returns the word count (max + 1 if there are more). */
static int split_words(char *line, char **words, int max)
{
	int n = 0;
	char *p = line;
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\r')
			p++;
		if (!*p || *p == '#')
			return n;
		if (n == max)
			return max + 1;
		words[n++] = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\r')
			p++;
		if (*p)
			*p++ = '\0';
	}
}

static void parse_line(struct keymap *km, char *line, const char *source, int lineno)
{
	char *w[5];
	bool valid = mc_text_valid(line);
	int n = split_words(line, w, 4);
	if (n == 0)
		return;
	if (!valid) {
		warn(km, source, lineno, "dòng không phải UTF-8 hợp lệ");
		return;
	}
	if (strcmp(w[0], "bind")) {
		warn(km, source, lineno, "lệnh không hợp lệ '%s' (chỉ có lệnh 'bind')", w[0]);
		return;
	}
	if (n < 4) {
		warn(km, source, lineno, "thiếu tham số: cần 'bind BẢNG_PHÍM PHÍM HÀNH_ĐỘNG'");
		return;
	}
	if (n > 4) {
		warn(km, source, lineno, "thừa tham số sau '%s'", w[3]);
		return;
	}
	int id = keymap_from_name(w[1]);
	if (id < 0) {
		warn(km, source, lineno, "không có bảng phím '%s'", w[1]);
		return;
	}
	struct key k;
	if (key_parse(w[2], &k)) {
		warn(km, source, lineno, "tên phím không hợp lệ '%s'", w[2]);
		return;
	}
	int a = action_from_name(w[3]);
	if (a < 0) {
		warn(km, source, lineno, "không có hành động '%s'", w[3]);
		return;
	}
	keymap_bind(km, (enum keymap_id)id, &k, (enum action)a);
}

int keymap_load_string(struct keymap *km, const char *text, const char *source)
{
	size_t before = km->nwarnings;
	int lineno = 0;
	const char *p = text;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char *line = xstrndup(p, len);
		parse_line(km, line, source, ++lineno);
		free(line);
		p += len;
		if (*p == '\n')
			p++;
	}
	return (int)(km->nwarnings - before);
}

int keymap_load_file(struct keymap *km, const char *path, const char *shown)
{
	const char *name = shown ? shown : path;
	FILE *f = fopen(path, "r");
	if (!f) {
		if (errno == ENOENT)
			return 0;
		warn(km, name, 0, "không đọc được tệp phím (%s)",
		     errno == EACCES ? "không có quyền đọc" : strerror(errno));
		return 1;
	}
	struct strbuf sb = STRBUF_INIT;
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_add(&sb, buf, n);
	int err = ferror(f);
	fclose(f);
	int rc;
	if (err) {
		/* e.g. a directory: fopen succeeds, reading fails */
		warn(km, name, 0, "không đọc được tệp phím (%s)",
		     errno == EISDIR ? "đây là một thư mục" : strerror(errno));
		rc = 1;
	} else {
		strbuf_addstr(&sb, ""); /* NUL-terminate an empty file */
		if (memchr(sb.buf, '\0', sb.len)) {
			warn(km, name, 0, "tệp phím chứa byte NUL, bỏ qua cả tệp");
			rc = 1;
		} else {
			rc = keymap_load_string(km, sb.buf, name);
		}
	}
	strbuf_release(&sb);
	return rc;
}

int keymap_load_defaults(struct keymap *km)
{
	return keymap_load_string(km, motcua_default_keys, "default.keys");
}

char *keymap_user_path(void)
{
	const char *xdg = getenv("XDG_CONFIG_HOME");
	if (xdg && *xdg)
		return xasprintf("%s/motcua/keys", xdg);
	const char *home = getenv("HOME");
	return xasprintf("%s/.config/motcua/keys", home && *home ? home : ".");
}

char *keymap_shown_path(const char *path)
{
	const char *home = getenv("HOME");
	size_t n = home ? strlen(home) : 0;
	while (n > 1 && home[n - 1] == '/')
		n--;
	if (n > 1 && !strncmp(path, home, n) && path[n] == '/')
		return xasprintf("~%s", path + n);
	return xstrdup(path);
}
