/* SPDX-License-Identifier: GPL-3.0-or-later */
/* UTF-8 text: display width, clipping by columns, NFC, Vietnamese folding.
 * One display-width helper for the whole program: never strlen for columns;
 * invalid bytes count (and show) as U+FFFD. Pure, no I/O. */
#ifndef MC_TEXT_H
#define MC_TEXT_H
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/xalloc.h"

/* Decodes one code point at s (at most len bytes). Returns the bytes used
 * (>= 1); an invalid or truncated sequence yields U+FFFD and 1 byte. */
size_t mc_utf8_next(const char *s, size_t len, int32_t *cp);
/* Appends cp as UTF-8 to out (>= 4 bytes); returns bytes written. */
size_t mc_utf8_put(int32_t cp, char *out);

/* Display columns of s (combining marks 0, CJK wide 2, invalid bytes 1). */
int mc_text_width(const char *s);
/* How many bytes of s fit in cols columns, never splitting a character or
 * separating a base from its combining marks. */
size_t mc_text_clip(const char *s, int cols);
/* s fitted into cols columns (malloc'd): unchanged when it fits, else its
 * start and its end around a middle "…" ("Phường Ba … tỉnh Tây Ninh"), so
 * that clipped text says so and keeps both ends. cols < 1 gives "". */
char *mc_text_ellipsize(const char *s, int cols);
/* Copy of s with invalid bytes replaced by U+FFFD (malloc'd). */
char *mc_text_sanitize(const char *s);
/* NFC-normalised copy (malloc'd); invalid bytes become U+FFFD first. */
char *mc_text_nfc(const char *s);
/* Search key: NFC, lower case, diacritics removed, đ/Đ -> d, runs of
 * white space and punctuation collapsed to one space, trimmed (malloc'd).
 * "Thủ tục Đăng ký  khai sinh" -> "thu tuc dang ky khai sinh". */
char *mc_text_fold(const char *s);
/* True when s is valid UTF-8. */
bool mc_text_valid(const char *s);
/* s (valid UTF-8 once, then cut to a byte count: snprintf into a fixed
 * buffer) without the character its cut left half: the bytes of a last
 * multi-byte sequence that lacks its end are removed. */
void mc_text_cut_whole(char *s);
/* True when s is NULL or only spaces, tabs and line ends. */
bool mc_text_blank(const char *s);
/* Free text as stored: NFC, runs of white space collapsed to one space,
 * trimmed (malloc'd). */
char *mc_text_squeeze(const char *s);
/* Code points in s (valid UTF-8). */
size_t mc_text_chars(const char *s);
/* Free text as a form takes it (a reason, a comment, a paper): blank (or
 * NULL) gives *out NULL; else it must be valid UTF-8 with no control
 * characters and at most max characters once squeezed (mc_text_squeeze),
 * and *out is the squeezed text (malloc'd). 0, or -1 with the Vietnamese
 * reason, naming what, added to err. */
int mc_text_form(const char *s, const char *what, size_t max, char **out, struct strbuf *err);

/* Appends s (NULL: empty) to sb as one quoted CSV field (RFC 4180: quotes
 * doubled), then "," or, for the last field of a row, CRLF. */
void mc_csv_field(struct strbuf *sb, const char *s, bool last);
/* s in place without its leading spaces and tabs and its trailing spaces,
 * tabs and line ends; returns the new start. */
char *mc_text_trim(char *s);
/* One line of a "key = value" settings file, cut in place: key and value
 * trimmed, one pair of double quotes around the value removed. 0 for a
 * blank line or a comment (#), 1 with *key and *value set, -1 when the
 * line has no '='. */
int mc_text_setting(char *line, char **key, char **value);

#endif
