/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The automatic scan mode: a page scanned in colour is kept in the most
 * compact form that keeps what is on it, chosen page by page.
 *
 * - Text, lines and stamps in black or grey ink only: black and white
 *   (PAGE_LINEART, 1 bit a pixel, G4 in the PDF): about 35 KB for an A4
 *   page of text at 200 dpi, against 430 KB in colour.
 * - Text with a few parts in colour or in continuous tone (a red seal, a
 *   signature in blue ink, a small photo, a shaded box): PAGE_MIXED, the
 *   text as a 1-bit mask (sharp, G4) over a JPEG of the rest, in which the
 *   paper and the text are plain white (so JPEG spends almost nothing on
 *   them): about 90 KB for a page of text with a seal and a signature.
 * - A photo, or a page mostly in colour or grey tones: the whole page as a
 *   JPEG, in colour or, when nothing on it has colour, in grey.
 *
 * How a page is judged: each pixel is paper, ink (dark and without colour),
 * colour (saturated) or tone (between ink and paper, no colour); the
 * paper's level is the brightest peak of the page's luma histogram, the
 * ink's the luma of its darkest half per cent, and a pixel is ink below
 * half way between the two. The page is then read by blocks of 2 x 2 mm
 * (16 x 16 pixels at 200 dpi): a block is colour when an eighth of its
 * pixels are, tone when a quarter are tone and at most a tenth paper (a
 * block of text is mostly paper, soft edges of its letters and all; a
 * photo has little paper, dark parts or not). No block of either (beyond a
 * few, which scanner noise makes): text. Less than 30% of the
 * page: mixed. More: a photo. See docs/scanning.md for the figures. */
#ifndef MC_PAGEAUTO_H
#define MC_PAGEAUTO_H
#include "client/scan/pagestore.h"

/* What the judgement saw (for the tests and the bench). */
struct page_auto_stats {
	int threshold;      /* luma below which a pixel without colour is ink */
	int paper;          /* the paper's luma */
	long blocks;        /* 2 x 2 mm blocks of the page */
	long color_blocks;  /* blocks with colour */
	long tone_blocks;   /* blocks of continuous tone */
};

/* Judges img (PAGE_COLOR or PAGE_GRAY, 8 bits; a PAGE_LINEART page is left
 * as it is) and turns it into what is kept; its pixels are changed:
 * - PAGE_LINEART: img is now the 1-bit page;
 * - PAGE_GRAY or PAGE_COLOR: img is the page with its paper made white
 *   (a colour page without colour becomes PAGE_GRAY);
 * - PAGE_MIXED: img is the background (PAGE_GRAY or PAGE_COLOR, the text
 *   and paper white) and *mask the text (PAGE_LINEART, same size; the
 *   caller releases it).
 * Returns the kind; mask is untouched unless PAGE_MIXED. stats may be NULL. */
enum page_kind page_auto(struct page_image *img, struct page_image *mask,
			 struct page_auto_stats *stats);

#endif
