/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Telex: a word is decoded into letters (ASCII base, vowel mark, case) plus
 * one tone for the syllable; a key changes that model; the tone is placed
 * again; the word is encoded back to NFC. A word that does not parse as a
 * Vietnamese syllable is never touched: keys are appended as typed. */
#include "core/telex.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "core/text.h"
#include "core/xalloc.h"

#define TL_MAX 16 /* letters in a word the engine handles */

enum tl_mod { MOD_NONE, MOD_HAT, MOD_BREVE, MOD_HORN, MOD_STROKE };

struct tl_letter {
	char base; /* 'a'..'z' */
	unsigned char mod;
	bool upper;
};

struct tl_word {
	struct tl_letter l[TL_MAX];
	int n;
	int tone;     /* enum telex_tone */
	int tone_pos; /* letter carrying the tone, -1 without one */
};

/* A syllable: [0, ini) initial consonant, [ini, ini + vlen) vowels, the rest
 * the final consonant. */
struct tl_syl {
	int ini, vlen;
};

static const int32_t tone_marks[] = { 0, 0x0301, 0x0300, 0x0309, 0x0303, 0x0323 };

/* Initial consonants, longest first; '#' stands for đ. "q" alone is a
 * prefix of "qu" and only valid at the end of the word. */
static const char *const initials[] = {
	"ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "th", "tr", "qu",
	"#", "b", "c", "d", "g", "h", "k", "l", "m", "n", "p", "q", "r", "s", "t", "v", "x",
};

static const char *const finals[] = { "", "c", "ch", "m", "n", "ng", "nh", "p", "t" };

/* Vowel clusters by base letters, marks removed; prefixes of longer ones are
 * included so that a syllable being typed stays valid ("ie" of "iê"). */
static const char *const clusters[] = {
	"a", "e", "i", "o", "u", "y",
	"ai", "ao", "au", "ay", "eo", "eu", "ia", "ie", "iu", "oa", "oe", "oi",
	"ua", "ue", "ui", "uo", "uu", "uy", "ye",
	"ieu", "oai", "oao", "oay", "oeo", "uay", "uoi", "uou", "uya", "uye", "uyu", "yeu",
};

static bool in_list(const char *const *list, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(list[i], s))
			return true;
	return false;
}

static bool is_vowel(char c)
{
	return c && strchr("aeiouy", c);
}

static int tone_of_mark(int32_t m)
{
	for (int t = 1; t <= TELEX_TONE_NANG; t++)
		if (tone_marks[t] == m)
			return t;
	return -1;
}

/* One code point as a letter (and maybe a tone). False when it is not a
 * letter of the Vietnamese alphabet. */
static bool decode_cp(int32_t cp, struct tl_letter *l, int *tone)
{
	*tone = 0;
	if (cp == 0x0110 || cp == 0x0111) {
		l->base = 'd';
		l->mod = MOD_STROKE;
		l->upper = cp == 0x0110;
		return true;
	}
	utf8proc_int32_t d[4];
	int last = 0;
	utf8proc_ssize_t n = utf8proc_decompose_char(cp, d, 4, UTF8PROC_DECOMPOSE, &last);
	if (n < 1 || n > 3 || d[0] > 0x7f)
		return false;
	char c = (char)d[0];
	if (c >= 'A' && c <= 'Z') {
		l->upper = true;
		c = (char)(c - 'A' + 'a');
	} else if (c >= 'a' && c <= 'z') {
		l->upper = false;
	} else {
		return false;
	}
	l->base = c;
	l->mod = MOD_NONE;
	for (utf8proc_ssize_t i = 1; i < n; i++) {
		int t = tone_of_mark(d[i]);
		if (t > 0 && !*tone && is_vowel(c)) {
			*tone = t;
		} else if (d[i] == 0x0302 && l->mod == MOD_NONE && strchr("aeo", c)) {
			l->mod = MOD_HAT;
		} else if (d[i] == 0x0306 && l->mod == MOD_NONE && c == 'a') {
			l->mod = MOD_BREVE;
		} else if (d[i] == 0x031B && l->mod == MOD_NONE && strchr("ou", c)) {
			l->mod = MOD_HORN;
		} else {
			return false;
		}
	}
	return true;
}

/* s (NFC) as letters; false when some character is not a Vietnamese letter,
 * the word is too long or it carries two tones. */
static bool decode_word(const char *s, struct tl_word *w)
{
	size_t len = strlen(s);
	w->n = 0;
	w->tone = 0;
	w->tone_pos = -1;
	while (len) {
		int32_t cp;
		size_t k = mc_utf8_next(s, len, &cp);
		int t;
		if (w->n == TL_MAX || !decode_cp(cp, &w->l[w->n], &t))
			return false;
		if (t) {
			if (w->tone)
				return false;
			w->tone = t;
			w->tone_pos = w->n;
		}
		w->n++;
		s += k;
		len -= k;
	}
	return true;
}

static void put_cp(struct strbuf *sb, int32_t cp)
{
	char enc[4];
	strbuf_add(sb, enc, mc_utf8_put(cp, enc));
}

static char *encode_word(const struct tl_word *w)
{
	static const int32_t mod_marks[] = { 0, 0x0302, 0x0306, 0x031B, 0 };
	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, "");
	for (int i = 0; i < w->n; i++) {
		const struct tl_letter *l = &w->l[i];
		if (l->mod == MOD_STROKE) {
			put_cp(&sb, l->upper ? 0x0110 : 0x0111);
			continue;
		}
		strbuf_addch(&sb, (char)(l->upper ? l->base - 'a' + 'A' : l->base));
		if (mod_marks[l->mod])
			put_cp(&sb, mod_marks[l->mod]);
		if (w->tone && i == w->tone_pos)
			put_cp(&sb, tone_marks[w->tone]);
	}
	char *r = mc_text_nfc(sb.buf);
	strbuf_release(&sb);
	return r;
}

/* Letters [from, to) as bases, đ written '#'; false if one of them has a
 * vowel mark (consonants never do). */
static bool bases(const struct tl_word *w, int from, int to, char *out, bool marks_ok)
{
	for (int i = from; i < to; i++) {
		const struct tl_letter *l = &w->l[i];
		if (l->mod == MOD_STROKE)
			out[i - from] = '#';
		else if (l->mod != MOD_NONE && !marks_ok)
			return false;
		else
			out[i - from] = l->base;
	}
	out[to - from] = '\0';
	return true;
}

static int match_initial(const struct tl_word *w)
{
	char b[TL_MAX + 1];
	int n = w->n < 3 ? w->n : 3;
	for (size_t i = 0; i < sizeof(initials) / sizeof(initials[0]); i++) {
		int k = (int)strlen(initials[i]);
		if (k > n || !bases(w, 0, k, b, false) || strcmp(b, initials[i]))
			continue;
		/* "gi" followed by no vowel is g + i ("gìn"); "q" needs its u. */
		if (k == 2 && !strcmp(b, "gi") && (w->n == 2 || !is_vowel(w->l[2].base)))
			return 1;
		if (k == 1 && b[0] == 'q' && w->n > 1)
			return -1;
		return k;
	}
	return 0;
}

/* The word as a Vietnamese syllable (possibly still being typed). */
static bool parse_syllable(const struct tl_word *w, struct tl_syl *s)
{
	char b[TL_MAX + 1];
	if (w->n == 0) {
		s->ini = s->vlen = 0;
		return true;
	}
	s->ini = match_initial(w);
	if (s->ini < 0)
		return false;
	int v = s->ini;
	while (v < w->n && is_vowel(w->l[v].base) && w->l[v].mod != MOD_STROKE)
		v++;
	s->vlen = v - s->ini;
	if (s->vlen > 3)
		return false;
	if (s->vlen) {
		bases(w, s->ini, v, b, true);
		if (!in_list(clusters, sizeof(clusters) / sizeof(clusters[0]), b))
			return false;
	} else if (v < w->n) {
		return false;
	}
	if (!bases(w, v, w->n, b, false))
		return false;
	return in_list(finals, sizeof(finals) / sizeof(finals[0]), b);
}

/* Old-style placement: the last vowel with a mark, else the middle of
 * three, else the first of two in an open syllable and the second when a
 * consonant follows, else the only vowel. */
static int tone_position(const struct tl_word *w, const struct tl_syl *s)
{
	int v = s->ini, e = s->ini + s->vlen;
	if (!s->vlen)
		return -1;
	for (int i = e - 1; i >= v; i--)
		if (w->l[i].mod != MOD_NONE)
			return i;
	if (s->vlen == 3)
		return v + 1;
	if (s->vlen == 2)
		return e < w->n ? v + 1 : v;
	return v;
}

static bool push(struct tl_word *w, char base, unsigned char mod, bool upper)
{
	if (w->n == TL_MAX)
		return false;
	w->l[w->n].base = base;
	w->l[w->n].mod = mod;
	w->l[w->n].upper = upper;
	w->n++;
	return true;
}

static int tone_of_key(char k)
{
	static const char keys[] = "zsfrxj";
	const char *p = strchr(keys, k);
	return p ? (int)(p - keys) : -1;
}

/* The vowel(s) a 'w' changes: ươ for u+o, else the first u, the a of oa,
 * the first o, the first a. Returns how many (0, 1 or 2) from *at. */
static int w_targets(const struct tl_word *w, const struct tl_syl *s, int *at)
{
	int v = s->ini, e = s->ini + s->vlen;
	for (int i = v; i + 1 < e; i++)
		if (w->l[i].base == 'u' && w->l[i + 1].base == 'o') {
			*at = i;
			return 2;
		}
	static const char order[] = "u#oa";
	for (const char *c = order; *c; c++)
		for (int i = v; i < e; i++) {
			if (*c == '#') { /* the a of oa */
				if (i + 1 < e && w->l[i].base == 'o' && w->l[i + 1].base == 'a') {
					*at = i + 1;
					return 1;
				}
			} else if (w->l[i].base == *c) {
				*at = i;
				return 1;
			}
		}
	return 0;
}

/* th, kh, h + uơ ending the word: "thuở", "huơ" keep a plain u. */
static bool keeps_plain_u(const struct tl_word *w, const struct tl_syl *s, int at)
{
	char b[4];
	return at + 2 == w->n && s->ini >= 1 && s->ini <= 2 && bases(w, 0, s->ini, b, false) &&
	       (!strcmp(b, "th") || !strcmp(b, "kh") || !strcmp(b, "h"));
}

static bool key_w(struct tl_word *w, const struct tl_syl *s, bool upper)
{
	int at, n = w_targets(w, s, &at);
	if (n == 2 && w->l[at + 1].mod != MOD_HORN && keeps_plain_u(w, s, at)) {
		w->l[at + 1].mod = MOD_HORN;
		return true;
	}
	if (n) {
		bool all = true;
		for (int i = at; i < at + n; i++) {
			unsigned char want = w->l[i].base == 'a' ? MOD_BREVE : MOD_HORN;
			all = all && w->l[i].mod == want;
			w->l[i].mod = want;
		}
		if (!all)
			return true;
		if (w->n == 1 && w->l[0].base == 'u') { /* "ww": the ư of a lone w is undone */
			w->n = 0;
			return push(w, 'w', MOD_NONE, upper);
		}
		for (int i = at; i < at + n; i++) /* typed twice: undo */
			w->l[i].mod = MOD_NONE;
		return push(w, 'w', MOD_NONE, upper);
	}
	/* no vowel to change: w is ư when that still makes a syllable */
	struct tl_syl t;
	if (push(w, 'u', MOD_HORN, upper) && parse_syllable(w, &t))
		return true;
	w->n--;
	return push(w, 'w', MOD_NONE, upper);
}

/* The hat of aa, ee, oo: on the last such vowel; typed twice it undoes. */
static bool key_hat(struct tl_word *w, const struct tl_syl *s, char k, bool upper)
{
	for (int i = s->ini + s->vlen - 1; i >= s->ini; i--) {
		if (w->l[i].base != k)
			continue;
		if (w->l[i].mod == MOD_HAT) {
			w->l[i].mod = MOD_NONE;
			return push(w, k, MOD_NONE, upper);
		}
		w->l[i].mod = MOD_HAT;
		if (k == 'o' && i > s->ini && w->l[i - 1].base == 'u') /* ươ -> uô */
			w->l[i - 1].mod = MOD_NONE;
		return true;
	}
	return push(w, k, MOD_NONE, upper);
}

/* Applies letter key to a word that parsed as s. False when the word is
 * full. */
static bool apply_key(struct tl_word *w, const struct tl_syl *s, int32_t key)
{
	bool upper = key >= 'A' && key <= 'Z';
	char k = (char)(upper ? key - 'A' + 'a' : key);
	int tone = tone_of_key(k);

	if (tone >= 0 && s->vlen && (tone || w->tone)) {
		if (tone && tone == w->tone) { /* typed twice: undo */
			w->tone = 0;
			return push(w, k, MOD_NONE, upper);
		}
		w->tone = tone;
		return true;
	}
	if (k == 'd' && s->ini == 1 && w->l[0].base == 'd') {
		if (w->l[0].mod == MOD_STROKE) {
			w->l[0].mod = MOD_NONE;
			return push(w, 'd', MOD_NONE, upper);
		}
		w->l[0].mod = MOD_STROKE;
		return true;
	}
	if (k == 'w')
		return key_w(w, s, upper);
	if ((k == 'a' || k == 'e' || k == 'o') && s->vlen)
		return key_hat(w, s, k, upper);
	/* uơ followed by anything is ươ: "huơ" + u -> "hươu" */
	int e = s->ini + s->vlen;
	if (s->vlen >= 2 && e == w->n && w->l[e - 2].base == 'u' && w->l[e - 1].base == 'o' &&
	    w->l[e - 1].mod == MOD_HORN)
		w->l[e - 2].mod = MOD_HORN;
	return push(w, k, MOD_NONE, upper);
}

static char *append_raw(char *word, int32_t key)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, word);
	put_cp(&sb, key);
	free(word);
	char *r = mc_text_nfc(sb.buf);
	strbuf_release(&sb);
	return r;
}

bool telex_is_key(int32_t key)
{
	return (key >= 'a' && key <= 'z') || (key >= 'A' && key <= 'Z');
}

char *telex_apply(const char *word, int32_t key)
{
	char *nfc = mc_text_nfc(word);
	struct tl_word w = { 0 };
	struct tl_syl s;
	if (!telex_is_key(key) || !decode_word(nfc, &w) || !parse_syllable(&w, &s))
		return append_raw(nfc, key);
	if (!apply_key(&w, &s, key))
		return append_raw(nfc, key);
	free(nfc);
	if (w.tone && parse_syllable(&w, &s))
		w.tone_pos = tone_position(&w, &s);
	return encode_word(&w);
}

bool telex_is_word_char(int32_t cp)
{
	utf8proc_category_t c = utf8proc_category(cp);
	return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO) ||
	       (c >= UTF8PROC_CATEGORY_MN && c <= UTF8PROC_CATEGORY_ME);
}

size_t telex_word_start(const char *s, size_t end)
{
	size_t pos = 0, start = 0;
	while (pos < end) {
		int32_t cp;
		size_t k = mc_utf8_next(s + pos, end - pos, &cp);
		pos += k;
		if (!telex_is_word_char(cp))
			start = pos;
	}
	return start;
}

char *telex_convert(const char *s)
{
	struct strbuf out = STRBUF_INIT;
	char *word = xstrdup("");
	size_t len = strlen(s);
	strbuf_addstr(&out, "");
	while (len) {
		int32_t cp;
		size_t k = mc_utf8_next(s, len, &cp);
		s += k;
		len -= k;
		if (telex_is_word_char(cp)) {
			char *next = telex_apply(word, cp);
			free(word);
			word = next;
			continue;
		}
		strbuf_addstr(&out, word);
		word[0] = '\0';
		put_cp(&out, cp);
	}
	strbuf_addstr(&out, word);
	free(word);
	char *r = mc_text_nfc(out.buf);
	strbuf_release(&out);
	return r;
}
