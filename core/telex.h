/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Built-in Telex input method for Vietnamese (for the Linux console and
 * terminals without an input method). Pure: no I/O, no state beyond the word.
 *
 * The engine works on the current word (the letters just before the cursor)
 * and one new key, and returns what the word becomes:
 *   aa â  aw ă  ee ê  oo ô  ow ơ  uw ư  uow ươ  w (no vowel yet) ư  dd đ
 *   s sắc  f huyền  r hỏi  x ngã  j nặng  z removes the tone
 * Modifiers and tones may come late ("tuanas" -> "tuấn", "dangd" -> "đang",
 * "hoafn" -> "hoàn"); typing a modifier again undoes it and types the key
 * ("ass" -> "as", "aaa" -> "aa", "ddd" -> "dd", "ww" -> "w"). The tone is a
 * property of the syllable and is placed again after every key, old style
 * (as in most government documents): "hòa", "thủy", "khỏe", "mùa" when the
 * syllable ends on the vowels, "hoàn", "thuyết", "Huỳnh" when a consonant
 * follows; a vowel with a mark (â ă ê ô ơ ư; ơ in ươ) takes the tone; three
 * vowels put it on the middle one ("khoái", "khuỷu").
 * A word that cannot be Vietnamese ("class", "UBND", "as" after an undo) is
 * left alone: keys are then appended as typed. Case is kept per letter
 * ("NGUYEENX" -> "NGUYỄN", "DDawngj" -> "Đặng"). Results are NFC. */
#ifndef MC_TELEX_H
#define MC_TELEX_H
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

/* Tones, in Telex key order; TELEX_TONE_NONE is "ngang". */
enum telex_tone {
	TELEX_TONE_NONE,
	TELEX_TONE_SAC,   /* s  á */
	TELEX_TONE_HUYEN, /* f  à */
	TELEX_TONE_HOI,   /* r  ả */
	TELEX_TONE_NGA,   /* x  ã */
	TELEX_TONE_NANG,  /* j  ạ */
};

/* The word (UTF-8, any normalisation) after typing key (a code point).
 * Keys other than ASCII letters are simply appended. Returns a malloc'd NFC
 * string. */
char *telex_apply(const char *word, int32_t key);

/* True when key may change the word before it (an ASCII letter). */
bool telex_is_key(int32_t key);

/* True when cp belongs to a word for Telex: a letter or a combining mark. */
bool telex_is_word_char(int32_t cp);

/* Byte offset where the word ending at byte offset end of s begins: the run
 * of word characters just before end (end itself when there is none). */
size_t telex_word_start(const char *s, size_t end);

/* A whole string typed key by key; anything that is not a word character
 * ends the word. telex_convert("Nguyeenx Vawn Aan") is "Nguyễn Văn Ân".
 * Returns a malloc'd NFC string. */
char *telex_convert(const char *s);

#endif
