/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The automatic scan mode's judgement of a page; see pageauto.h. */
#include "client/scan/pageauto.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

/* the blocks' side: 2 mm at any resolution (16 pixels at 200 dpi), wider
 * than a stroke of any letter and shorter than a line's height */
#define BLOCK_MM 2.0
/* a pixel has colour when its channels differ by this much (scanner noise,
 * the tint of paper and the colour fringes a scanner leaves at the edges
 * of black letters stay below it; red and blue inks are far above) */
#define COLOR_MIN 60
/* a block is colour when an eighth of its pixels are; tone when a quarter
 * are between ink and paper and at most a tenth paper (a block of text is
 * mostly paper, even where its letters' soft edges are between the two; a
 * photo has little paper, dark parts or not) */
#define BLOCK_COLOR_PART 8
#define BLOCK_TONE_PART 4
#define BLOCK_PAPER_PART 10
/* tone: darker than the paper by this much at least */
#define TONE_BELOW_PAPER 32
/* a photo: picture blocks over this per cent of the page */
#define PHOTO_PERCENT 30

static inline int luma_rgb(const unsigned char *p)
{
	return (77 * p[0] + 150 * p[1] + 29 * p[2]) >> 8;
}

static inline int chroma_rgb(const unsigned char *p)
{
	int mx = p[0], mn = p[0];
	if (p[1] > mx)
		mx = p[1];
	if (p[1] < mn)
		mn = p[1];
	if (p[2] > mx)
		mx = p[2];
	if (p[2] < mn)
		mn = p[2];
	return mx - mn;
}

static inline void pixel(const struct page_image *img, int x, const unsigned char *row, int *y,
			 int *c)
{
	if (img->kind == PAGE_COLOR) {
		*y = luma_rgb(row + 3 * x);
		*c = chroma_rgb(row + 3 * x);
	} else {
		*y = row[x];
		*c = 0;
	}
}

/* The ink: the luma of the darkest half per cent of the page. */
static int ink_level(const long hist[256], long n)
{
	long want = n / 200, sum = 0;
	for (int i = 0; i < 256; i++) {
		sum += hist[i];
		if (sum > want)
			return i;
	}
	return 255;
}

/* The paper: the brightest peak of the histogram (the mode of its upper
 * half; a page that is mostly dark still has a paper somewhere). */
static int paper_level(const long hist[256])
{
	int best = 255;
	for (int i = 255; i >= 128; i--)
		if (hist[i] > hist[best])
			best = i;
	return best;
}

static inline bool bit(const struct page_image *m, int x, int y)
{
	return m->data[(size_t)y * m->stride + (size_t)x / 8] >> (7 - x % 8) & 1;
}

static inline void set_bit(struct page_image *m, int x, int y)
{
	m->data[(size_t)y * m->stride + (size_t)x / 8] |= (unsigned char)(0x80 >> (x % 8));
}

/* The page in 1 bit: luma under t is black (colour or not: the page has
 * no colour worth keeping). */
static void to_lineart(struct page_image *img, int t)
{
	struct page_image out;
	page_image_alloc(&out, PAGE_LINEART, img->width, img->height, img->dpi);
	for (int y = 0; y < img->height; y++) {
		const unsigned char *row = img->data + (size_t)y * img->stride;
		for (int x = 0; x < img->width; x++) {
			int l, c;
			pixel(img, x, row, &l, &c);
			if (l < t)
				set_bit(&out, x, y);
		}
	}
	page_image_release(img);
	*img = out;
}

/* A colour page without colour: its luma, in place. */
static void to_gray(struct page_image *img)
{
	if (img->kind != PAGE_COLOR)
		return;
	size_t stride = page_image_row_bytes(PAGE_GRAY, img->width);
	for (int y = 0; y < img->height; y++) {
		const unsigned char *src = img->data + (size_t)y * img->stride;
		unsigned char *dst = img->data + (size_t)y * stride;
		for (int x = 0; x < img->width; x++)
			dst[x] = (unsigned char)luma_rgb(src + 3 * x);
	}
	img->kind = PAGE_GRAY;
	img->stride = stride;
}

static inline void set_white(struct page_image *img, unsigned char *row, int x)
{
	if (img->kind == PAGE_COLOR)
		memset(row + 3 * x, 255, 3);
	else
		row[x] = 255;
}

/* A photo page: what is paper becomes plain white (JPEG spends nothing on
 * it then), the rest is kept. */
static void whiten_paper(struct page_image *img, int paper)
{
	for (int y = 0; y < img->height; y++) {
		unsigned char *row = img->data + (size_t)y * img->stride;
		for (int x = 0; x < img->width; x++) {
			int l, c;
			pixel(img, x, row, &l, &c);
			if (l >= paper - TONE_BELOW_PAPER / 2 && c < COLOR_MIN)
				set_white(img, row, x);
		}
	}
}

/* Marks block (bx, by) and its eight neighbours. */
static void keep_around(unsigned char *keep, int bw, int bh, int bx, int by)
{
	for (int y = by - 1; y <= by + 1; y++)
		for (int x = bx - 1; x <= bx + 1; x++)
			if (y >= 0 && y < bh && x >= 0 && x < bw)
				keep[(size_t)y * (size_t)bw + (size_t)x] = 1;
}

enum page_kind page_auto(struct page_image *img, struct page_image *mask,
			 struct page_auto_stats *stats)
{
	struct page_auto_stats st = { 0 };
	if (stats)
		*stats = st;
	if (img->kind != PAGE_COLOR && img->kind != PAGE_GRAY)
		return img->kind;
	int w = img->width, h = img->height;

	long hist[256] = { 0 };
	for (int y = 0; y < h; y++) {
		const unsigned char *row = img->data + (size_t)y * img->stride;
		for (int x = 0; x < w; x++) {
			int l, c;
			pixel(img, x, row, &l, &c);
			hist[l]++;
		}
	}
	/* half way between the ink and the paper: a pixel half covered by a
	 * stroke is ink (whatever else the page has, a photo's greys do not
	 * move it, as they would move Otsu's threshold) */
	st.paper = paper_level(hist);
	st.threshold = (ink_level(hist, (long)w * h) + st.paper + 1) / 2;
	if (st.threshold > st.paper - 40) /* a blank page: only real marks are ink */
		st.threshold = st.paper - 40;
	if (st.threshold < 32)
		st.threshold = 32;

	/* the blocks: colour, tone, or neither */
	int dpi = img->dpi > 0 ? img->dpi : 150;
	int BLOCK = (int)(dpi * BLOCK_MM / 25.4 + 0.5);
	if (BLOCK < 4)
		BLOCK = 4;
	int bw = (w + BLOCK - 1) / BLOCK, bh = (h + BLOCK - 1) / BLOCK;
	unsigned char *pict = xcalloc((size_t)bw * (size_t)bh, 1);
	int *ncolor = xcalloc((size_t)bw, sizeof(int)), *ntone = xcalloc((size_t)bw, sizeof(int));
	int *npaper = xcalloc((size_t)bw, sizeof(int));
	for (int by = 0; by < bh; by++) {
		memset(ncolor, 0, (size_t)bw * sizeof(int));
		memset(ntone, 0, (size_t)bw * sizeof(int));
		memset(npaper, 0, (size_t)bw * sizeof(int));
		for (int y = by * BLOCK; y < h && y < (by + 1) * BLOCK; y++) {
			const unsigned char *row = img->data + (size_t)y * img->stride;
			for (int x = 0; x < w; x++) {
				int l, c;
				pixel(img, x, row, &l, &c);
				if (c >= COLOR_MIN && l < st.paper - TONE_BELOW_PAPER / 2)
					ncolor[x / BLOCK]++;
				else if (l > st.paper - TONE_BELOW_PAPER)
					npaper[x / BLOCK]++;
				else if (l >= st.threshold)
					ntone[x / BLOCK]++;
			}
		}
		int rows = h - by * BLOCK < BLOCK ? h - by * BLOCK : BLOCK;
		for (int bx = 0; bx < bw; bx++) {
			unsigned char *b = &pict[(size_t)by * (size_t)bw + (size_t)bx];
			int size = rows * (w - bx * BLOCK < BLOCK ? w - bx * BLOCK : BLOCK);
			if (ncolor[bx] * BLOCK_COLOR_PART >= size) {
				*b = 2;
				st.color_blocks++;
			} else if (ntone[bx] * BLOCK_TONE_PART >= size &&
				   npaper[bx] * BLOCK_PAPER_PART <= size) {
				*b = 1;
				st.tone_blocks++;
			}
		}
	}
	free(ncolor);
	free(ntone);
	free(npaper);
	st.blocks = (long)bw * bh;
	if (stats)
		*stats = st;

	/* scanner noise makes a few blocks of either on a page of text */
	long noise = st.blocks / 1500 > 3 ? st.blocks / 1500 : 3;
	bool color = st.color_blocks > noise;
	long picture = st.color_blocks + st.tone_blocks;
	enum page_kind kind;
	if (picture <= noise) {
		to_lineart(img, st.threshold);
		kind = PAGE_LINEART;
	} else if (picture * 100 > st.blocks * PHOTO_PERCENT) {
		whiten_paper(img, st.paper);
		if (!color)
			to_gray(img);
		kind = img->kind;
	} else {
		/* the picture blocks and their neighbours stay as they are, for
		 * the text that crosses a seal or a photo's edge; elsewhere ink
		 * goes to the mask and the rest is paper */
		unsigned char *keep = xcalloc((size_t)bw * (size_t)bh, 1);
		for (int by = 0; by < bh; by++)
			for (int bx = 0; bx < bw; bx++)
				if (pict[(size_t)by * (size_t)bw + (size_t)bx])
					keep_around(keep, bw, bh, bx, by);
		page_image_alloc(mask, PAGE_LINEART, w, h, img->dpi);
		for (int y = 0; y < h; y++) {
			unsigned char *row = img->data + (size_t)y * img->stride;
			const unsigned char *krow = keep + (size_t)(y / BLOCK) * (size_t)bw;
			for (int x = 0; x < w; x++) {
				if (krow[x / BLOCK])
					continue;
				int l, c;
				pixel(img, x, row, &l, &c);
				if (l < st.threshold && c < COLOR_MIN)
					set_bit(mask, x, y);
			}
		}
		/* then the background: white where the text is (and its soft
		 * edges, one pixel around) and where the paper is */
		for (int y = 0; y < h; y++) {
			unsigned char *row = img->data + (size_t)y * img->stride;
			const unsigned char *krow = keep + (size_t)(y / BLOCK) * (size_t)bw;
			for (int x = 0; x < w; x++) {
				if (krow[x / BLOCK])
					continue;
				bool near = false;
				for (int dy = -1; dy <= 1 && !near; dy++)
					for (int dx = -1; dx <= 1 && !near; dx++) {
						int yy = y + dy, xx = x + dx;
						near = yy >= 0 && yy < h && xx >= 0 && xx < w &&
						       bit(mask, xx, yy);
					}
				int l, c;
				pixel(img, x, row, &l, &c);
				if (near || (c < COLOR_MIN && l >= st.paper - TONE_BELOW_PAPER))
					set_white(img, row, x);
			}
		}
		free(keep);
		if (!color)
			to_gray(img);
		kind = PAGE_MIXED;
	}
	free(pict);
	return kind;
}
