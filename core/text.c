/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "core/text.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "core/xalloc.h"

size_t mc_utf8_next(const char *s, size_t len, int32_t *cp)
{
	utf8proc_int32_t c;
	utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &c);
	if (n < 1) {
		*cp = 0xFFFD;
		return 1;
	}
	*cp = c;
	return (size_t)n;
}

size_t mc_utf8_put(int32_t cp, char *out)
{
	return (size_t)utf8proc_encode_char(cp, (utf8proc_uint8_t *)out);
}

void mc_text_cut_whole(char *s)
{
	size_t n = strlen(s), i = n;
	/* back over at most three continuation bytes to the sequence's lead */
	while (i > 0 && n - i < 3 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
		i--;
	if (i == 0)
		return;
	unsigned char lead = (unsigned char)s[i - 1];
	size_t need = (lead & 0xE0) == 0xC0 ? 2 : (lead & 0xF0) == 0xE0 ? 3 : (lead & 0xF8) == 0xF0 ? 4 : 1;
	if (n - (i - 1) < need)
		s[i - 1] = '\0';
}

bool mc_text_valid(const char *s)
{
	size_t len = strlen(s);
	while (len) {
		utf8proc_int32_t c;
		utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &c);
		if (n < 1)
			return false;
		s += n;
		len -= (size_t)n;
	}
	return true;
}

char *mc_text_sanitize(const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	size_t len = strlen(s);
	while (len) {
		int32_t cp;
		char enc[4];
		size_t n = mc_utf8_next(s, len, &cp);
		strbuf_add(&sb, enc, mc_utf8_put(cp, enc));
		s += n;
		len -= n;
	}
	return strbuf_detach(&sb);
}

char *mc_text_nfc(const char *s)
{
	char *clean = mc_text_sanitize(s);
	utf8proc_uint8_t *out = utf8proc_NFC((const utf8proc_uint8_t *)clean);
	free(clean);
	if (!out)
		return xstrdup("");
	char *r = xstrdup((const char *)out);
	free(out);
	return r;
}

int mc_text_width(const char *s)
{
	int w = 0;
	size_t len = strlen(s);
	while (len) {
		int32_t cp;
		size_t n = mc_utf8_next(s, len, &cp);
		int cw = utf8proc_charwidth(cp);
		w += cw < 0 ? 1 : cw;
		s += n;
		len -= n;
	}
	return w;
}

size_t mc_text_clip(const char *s, int cols)
{
	size_t len = strlen(s), used = 0;
	int w = 0;
	while (used < len) {
		int32_t cp;
		size_t n = mc_utf8_next(s + used, len - used, &cp);
		int cw = utf8proc_charwidth(cp);
		if (cw < 0)
			cw = 1;
		if (w + cw > cols)
			break;
		w += cw;
		used += n;
	}
	return used;
}

char *mc_text_ellipsize(const char *s, int cols)
{
	if (cols < 1)
		return xstrdup("");
	if (mc_text_width(s) <= cols)
		return xstrdup(s);
	int room = cols - 1; /* the ellipsis takes one column */
	int head_cols = (room + 1) / 2, tail_cols = room - head_cols;
	size_t head = mc_text_clip(s, head_cols);
	/* the tail: the first character boundary (not a combining mark) from
	 * which the rest fits in tail_cols */
	size_t len = strlen(s), tail = len;
	for (size_t i = head; i < len;) {
		int32_t cp;
		size_t n = mc_utf8_next(s + i, len - i, &cp);
		if (utf8proc_charwidth(cp) != 0 && mc_text_width(s + i) <= tail_cols) {
			tail = i;
			break;
		}
		i += n;
	}
	struct strbuf sb = STRBUF_INIT;
	strbuf_add(&sb, s, head);
	strbuf_addstr(&sb, "…");
	strbuf_addstr(&sb, s + tail);
	return strbuf_detach(&sb);
}

char *mc_text_fold(const char *s)
{
	char *clean = mc_text_sanitize(s);
	utf8proc_uint8_t *dec = NULL;
	utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)clean, 0, &dec,
					  UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_DECOMPOSE |
						  UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD);
	free(clean);
	struct strbuf sb = STRBUF_INIT;
	int pending_space = 0;
	for (utf8proc_ssize_t i = 0; n > 0 && i < n;) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate(dec + i, n - i, &cp);
		if (k < 1)
			break;
		i += k;
		if (cp == 0x0111 || cp == 0x0110) /* đ Đ: not a mark, fold by hand */
			cp = 'd';
		utf8proc_category_t cat = utf8proc_category(cp);
		int is_word = (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
			      (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO) ||
			      cp == '.' || cp == '-' || cp == '/';
		if (!is_word) {
			pending_space = sb.len > 0;
			continue;
		}
		if (pending_space)
			strbuf_addch(&sb, ' ');
		pending_space = 0;
		char enc[4];
		strbuf_add(&sb, enc, mc_utf8_put(cp, enc));
	}
	free(dec);
	return strbuf_detach(&sb);
}

bool mc_text_blank(const char *s)
{
	if (!s)
		return true;
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return false;
	return true;
}

char *mc_text_squeeze(const char *s)
{
	char *nfc = mc_text_nfc(s);
	struct strbuf sb = STRBUF_INIT;
	bool space = false;
	for (const char *p = nfc; *p; p++) {
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
			space = sb.len > 0;
			continue;
		}
		if (space)
			strbuf_addch(&sb, ' ');
		space = false;
		strbuf_addch(&sb, *p);
	}
	free(nfc);
	return strbuf_detach(&sb);
}

size_t mc_text_chars(const char *s)
{
	size_t n = 0, len = strlen(s);
	while (len) {
		int32_t cp;
		size_t k = mc_utf8_next(s, len, &cp);
		s += k;
		len -= k;
		n++;
	}
	return n;
}

char *mc_text_trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
		s[--n] = '\0';
	return s;
}

int mc_text_setting(char *line, char **key, char **value)
{
	char *s = mc_text_trim(line);
	if (!*s || *s == '#')
		return 0;
	char *eq = strchr(s, '=');
	if (!eq)
		return -1;
	*eq = '\0';
	char *val = mc_text_trim(eq + 1);
	size_t vn = strlen(val);
	if (vn >= 2 && val[0] == '"' && val[vn - 1] == '"') {
		val[vn - 1] = '\0';
		val++;
	}
	*key = mc_text_trim(s);
	*value = val;
	return 1;
}

int mc_text_form(const char *s, const char *what, size_t max, char **out, struct strbuf *err)
{
	*out = NULL;
	if (mc_text_blank(s))
		return 0;
	if (!mc_text_valid(s)) {
		strbuf_addf(err, "%s chứa byte không phải UTF-8", what);
		return -1;
	}
	char *t = mc_text_squeeze(s);
	size_t len = strlen(t);
	for (size_t i = 0; i < len;) {
		int32_t cp;
		i += mc_utf8_next(t + i, len - i, &cp);
		if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) {
			free(t);
			strbuf_addf(err, "%s chứa ký tự điều khiển không hợp lệ", what);
			return -1;
		}
	}
	size_t n = mc_text_chars(t);
	if (n > max) {
		free(t);
		strbuf_addf(err, "%s dài quá %zu ký tự (%zu ký tự)", what, max, n);
		return -1;
	}
	*out = t;
	return 0;
}

void mc_csv_field(struct strbuf *sb, const char *s, bool last)
{
	strbuf_addch(sb, '"');
	for (const char *p = s ? s : ""; *p; p++) {
		if (*p == '"')
			strbuf_addch(sb, '"');
		strbuf_addch(sb, *p);
	}
	strbuf_addstr(sb, last ? "\"\r\n" : "\",");
}
