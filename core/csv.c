/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "core/csv.h"

#include <string.h>

int mc_csv_split(char *line, char **f, int max)
{
	int n = 0;
	char *p = line;
	for (;;) {
		if (n == max)
			return n + 1; /* too many */
		if (*p == '"') {
			char *w = ++p, *start = p;
			while (*p && !(*p == '"' && p[1] != '"')) {
				if (*p == '"')
					p++;
				*w++ = *p++;
			}
			if (*p == '"')
				p++;
			f[n++] = start;
			char *after = p;
			*w = '\0';
			p = after;
			if (*p == ',') {
				p++;
				continue;
			}
			return n;
		}
		f[n++] = p;
		char *c = strchr(p, ',');
		if (!c)
			return n;
		*c = '\0';
		p = c + 1;
	}
}
