/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The visible stamp of a signature: a few lines of Vietnamese text in a
 * frame, drawn with pango into an RGB image (any glyph the system's fonts
 * have, without embedding a font in the signed file) and compressed for a
 * PDF image XObject (FlateDecode). */
#ifndef MC_SIGN_STAMP_H
#define MC_SIGN_STAMP_H
#include <stddef.h>

#include "core/xalloc.h"

struct stamp_image {
	unsigned char *data;  /* zlib-compressed RGB samples, 8 bits each */
	size_t len;
	int w, h;             /* pixels */
};

/* n lines (UTF-8) in a box of w x h points, at 3 pixels a point. The text
 * is made smaller until it fits. 0, or -1 with err. */
int stamp_render(const char *const *lines, size_t n, double w, double h, struct stamp_image *img,
		 struct strbuf *err);
void stamp_image_release(struct stamp_image *img);

/* Where a w x h stamp covers nothing on page (0-based) of the PDF: the
 * page is rendered (poppler) and searched from the bottom right, then
 * upwards, for a blank place with a little room around it. rect gets
 * llx lly urx ury in the page's coordinates (box is its crop box, rotate
 * its /Rotate). -1 when there is none (or the page is rotated): the
 * caller decides. */
int stamp_place(const unsigned char *pdf, size_t len, int page, const double box[4], int rotate,
		double w, double h, double rect[4]);

#endif
