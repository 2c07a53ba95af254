/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Paper types: see papertype.h and docs/reuse.md. */
#include "core/papertype.h"

#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "core/xalloc.h"

static const char *const codes[] = {
#define MC_PT_CODE(id, name) #id,
	MC_PAPER_TYPES(MC_PT_CODE)
#undef MC_PT_CODE
};
static const char *const names[] = {
#define MC_PT_NAME(id, name) name,
	MC_PAPER_TYPES(MC_PT_NAME)
#undef MC_PT_NAME
};

/* The phrases that name each type in the catalog's wording, normalized.
 * Kept to phrases that name one kind of paper: "giấy tờ tùy thân" or "giấy
 * tờ chứng minh nhân thân" name a family and map to no type. */
static const struct {
	enum mc_paper_type type;
	const char *phrase;
} phrases[] = {
	{ MC_PT_cccd, "can cuoc cong dan" },
	{ MC_PT_cccd, "the can cuoc" },
	{ MC_PT_cccd, "can cuoc dien tu" },
	{ MC_PT_cccd, "giay chung nhan can cuoc" },
	{ MC_PT_cccd, "cccd" },
	{ MC_PT_cmnd, "chung minh nhan dan" },
	{ MC_PT_cmnd, "cmnd" },
	{ MC_PT_passport, "ho chieu" },
	{ MC_PT_birth, "giay khai sinh" },
	{ MC_PT_birth, "trich luc khai sinh" },
	{ MC_PT_marriage, "giay chung nhan ket hon" },
	{ MC_PT_marriage, "giay dang ky ket hon" },
	{ MC_PT_marriage, "trich luc ket hon" },
	{ MC_PT_marital, "xac nhan tinh trang hon nhan" },
	{ MC_PT_death, "giay chung tu" },
	{ MC_PT_death, "trich luc khai tu" },
	{ MC_PT_residence, "xac nhan thong tin ve cu tru" },
	{ MC_PT_residence, "giay xac nhan cu tru" },
	{ MC_PT_land, "giay chung nhan quyen su dung dat" },
};

const char *mc_paper_type_code(enum mc_paper_type t)
{
	return (unsigned)t < MC_PT_COUNT ? codes[t] : NULL;
}

const char *mc_paper_type_name(enum mc_paper_type t)
{
	return (unsigned)t < MC_PT_COUNT ? names[t] : NULL;
}

enum mc_paper_type mc_paper_type_from_code(const char *code)
{
	for (int i = 0; code && i < MC_PT_COUNT; i++)
		if (!strcmp(code, codes[i]))
			return (enum mc_paper_type)i;
	return MC_PT_COUNT;
}

char *mc_paper_normalize(const char *s)
{
	char *f = mc_text_fold(s ? s : "");
	/* ASCII after folding but for letters folding keeps (other scripts):
	 * those bytes stay, as parts of words */
	size_t o = 0;
	bool space = true;
	for (size_t i = 0; f[i]; i++) {
		unsigned char c = (unsigned char)f[i];
		bool word = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
		if (word) {
			f[o++] = (char)c;
			space = false;
		} else if (!space) {
			f[o++] = ' ';
			space = true;
		}
	}
	if (o && f[o - 1] == ' ')
		o--;
	f[o] = '\0';
	return f;
}

bool mc_paper_has_phrase(const char *text, const char *phrase)
{
	size_t n = strlen(phrase);
	if (!n)
		return false;
	for (const char *p = text; (p = strstr(p, phrase)); p++) {
		bool start = p == text || p[-1] == ' ';
		bool end = p[n] == '\0' || p[n] == ' ';
		if (start && end)
			return true;
	}
	return false;
}

unsigned mc_paper_types_accepted(const char *name)
{
	/* the name without what is in parentheses (nested ones too) */
	const char *s = name ? name : "";
	char *outside = xmalloc(strlen(s) + 1);
	size_t o = 0;
	int depth = 0;
	for (; *s; s++) {
		/* each byte gives at most one: a parenthesis becomes a space */
		if (*s == '(') {
			depth++;
			outside[o++] = ' ';
		} else if (*s == ')') {
			depth -= depth > 0;
			outside[o++] = ' ';
		} else if (!depth) {
			outside[o++] = *s;
		}
	}
	outside[o] = '\0';
	char *text = mc_paper_normalize(outside);
	free(outside);
	unsigned set = 0;
	for (size_t i = 0; i < sizeof(phrases) / sizeof(phrases[0]); i++)
		if (mc_paper_has_phrase(text, phrases[i].phrase))
			set |= 1u << phrases[i].type;
	free(text);
	return set;
}
