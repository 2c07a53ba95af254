/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "client/tui/layout.h"

#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "core/xalloc.h"

void layout_compute(int cols, int rows, struct layout *out)
{
	memset(out, 0, sizeof(*out));
	out->cols = cols > 0 ? cols : 0;
	out->rows = rows > 0 ? rows : 0;
	if (cols < LAYOUT_MIN_COLS || rows < LAYOUT_MIN_ROWS) {
		out->too_small = true;
		out->body = (struct rect){ 0, 0, out->cols, out->rows };
		return;
	}
	out->title = (struct rect){ 0, 0, cols, 1 };
	out->body = (struct rect){ 0, 1, cols, rows - 3 };
	out->status = (struct rect){ 0, rows - 2, cols, 1 };
	out->hints = (struct rect){ 0, rows - 1, cols, 1 };
}

struct rect rect_center(const struct rect *outer, int w, int h)
{
	if (w > outer->w)
		w = outer->w;
	if (h > outer->h)
		h = outer->h;
	if (w < 0)
		w = 0;
	if (h < 0)
		h = 0;
	return (struct rect){ outer->x + (outer->w - w) / 2, outer->y + (outer->h - h) / 2, w, h };
}

static int span_width(const char *s, size_t n)
{
	char *part = xstrndup(s, n);
	int w = mc_text_width(part);
	free(part);
	return w;
}

int layout_wrap(const char *s, int width, int *start, int *len, int max)
{
	int n = 0;
	const char *p = s;
	while (*p == ' ')
		p++;
	while (*p && n < max) {
		const char *end = p; /* the words taken so far end here */
		for (;;) {
			const char *we = end;
			while (*we == ' ')
				we++;
			if (!*we)
				break;
			while (*we && *we != ' ')
				we++;
			if (end != p && span_width(p, (size_t)(we - p)) > width)
				break;
			end = we;
		}
		start[n] = (int)(p - s);
		len[n] = (int)(end - p);
		n++;
		p = end;
		while (*p == ' ')
			p++;
	}
	return n;
}
