/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Code 128 barcodes, code set B (ASCII 32..126), as a module pattern. Pure, no
 * I/O: drawing is the caller's business (client/print/pdf.h draws the pattern).
 *
 * A symbol is: start B, one value per character (byte - 32), the checksum
 * (start value + sum of position * value, modulo 103), stop. Every value is
 * 11 modules (3 bars, 3 spaces); the stop is 13. A quiet zone of at least 10
 * modules must be left blank on both sides; it is not part of the pattern. */
#ifndef MC_BARCODE_H
#define MC_BARCODE_H
#include <stddef.h>

enum {
	CODE128_START_A = 103,
	CODE128_START_B = 104,
	CODE128_START_C = 105,
	CODE128_STOP = 106,
	CODE128_QUIET = 10 /* modules of blank each side, at least */
};

/* Bar/space widths of symbol value v (0..106), e.g. "212222" for 0 and
 * "2331112" for the stop; NULL when v is out of range. */
const char *code128_widths(int v);

/* Symbol values for text in code set B: start, data, checksum, stop. Writes
 * at most max values into out and returns how many the symbol has (so a
 * call with max = 0 measures); returns 0 when text is empty or holds a byte
 * outside 32..126. */
size_t code128b_values(const char *text, int *out, size_t max);

/* Module pattern of text: a malloc'd string of '1' (bar) and '0' (space),
 * 11 * (strlen(text) + 3) + 2 long, without quiet zones. NULL when text
 * cannot be encoded in code set B (see code128b_values). */
char *code128b_encode(const char *text);

#endif
