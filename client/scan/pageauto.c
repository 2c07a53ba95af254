/* The automatic scan mode's judgement of a page; see pageauto.h. */
#include "client/scan/pageauto.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

#define BLOCK 8
/* a pixel has colour when its channels differ by this much (scanner noise
 * and the tint of paper stay well below it) */
#define COLOR_MIN 40
/* a block is colour when this many of its 64 pixels are, tone when this
 * many are between ink and paper */
#define BLOCK_COLOR 16
#define BLOCK_TONE 48
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

/* Otsu's threshold of a histogram of n values. */
static int otsu(const long hist[256], long n)
{
	double sum = 0;
	for (int i = 0; i < 256; i++)
		sum += (double)i * (double)hist[i];
	double sum_b = 0, best = -1;
	long w_b = 0;
	int t = 128;
	for (int i = 0; i < 256; i++) {
		w_b += hist[i];
		if (!w_b)
			continue;
		long w_f = n - w_b;
		if (!w_f)
			break;
		sum_b += (double)i * (double)hist[i];
		double m_b = sum_b / (double)w_b, m_f = (sum - sum_b) / (double)w_f;
		double between = (double)w_b * (double)w_f * (m_b - m_f) * (m_b - m_f);
		if (between > best) {
			best = between;
			t = i + 1; /* values below t are the dark class */
		}
	}
	return t;
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
	st.paper = paper_level(hist);
	st.threshold = otsu(hist, (long)w * h);
	if (st.threshold > st.paper - 40) /* a blank page: only real marks are ink */
		st.threshold = st.paper - 40;
	if (st.threshold < 32)
		st.threshold = 32;

	/* the blocks: colour, tone, or neither */
	int bw = (w + BLOCK - 1) / BLOCK, bh = (h + BLOCK - 1) / BLOCK;
	unsigned char *pict = xcalloc((size_t)bw * (size_t)bh, 1);
	int *ncolor = xcalloc((size_t)bw, sizeof(int)), *ntone = xcalloc((size_t)bw, sizeof(int));
	for (int by = 0; by < bh; by++) {
		memset(ncolor, 0, (size_t)bw * sizeof(int));
		memset(ntone, 0, (size_t)bw * sizeof(int));
		for (int y = by * BLOCK; y < h && y < (by + 1) * BLOCK; y++) {
			const unsigned char *row = img->data + (size_t)y * img->stride;
			for (int x = 0; x < w; x++) {
				int l, c;
				pixel(img, x, row, &l, &c);
				if (c >= COLOR_MIN && l < st.paper - TONE_BELOW_PAPER / 2)
					ncolor[x / BLOCK]++;
				else if (c < COLOR_MIN && l >= st.threshold &&
					 l <= st.paper - TONE_BELOW_PAPER)
					ntone[x / BLOCK]++;
			}
		}
		for (int bx = 0; bx < bw; bx++) {
			unsigned char *b = &pict[(size_t)by * (size_t)bw + (size_t)bx];
			if (ncolor[bx] >= BLOCK_COLOR) {
				*b = 2;
				st.color_blocks++;
			} else if (ntone[bx] >= BLOCK_TONE) {
				*b = 1;
				st.tone_blocks++;
			}
		}
	}
	free(ncolor);
	free(ntone);
	st.blocks = (long)bw * bh;
	if (stats)
		*stats = st;

	/* scanner noise makes a few blocks of either on a page of text */
	long noise = st.blocks / 5000 > 4 ? st.blocks / 5000 : 4;
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
			for (int bx = 0; bx < bw; bx++) {
				if (!pict[(size_t)by * (size_t)bw + (size_t)bx])
					continue;
				for (int dy = -1; dy <= 1; dy++)
					for (int dx = -1; dx <= 1; dx++) {
						int y = by + dy, x = bx + dx;
						if (y >= 0 && y < bh && x >= 0 && x < bw)
							keep[(size_t)y * (size_t)bw + (size_t)x] = 1;
					}
			}
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
