/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Code 128, code set B. The table is the standard one (ISO/IEC 15417): widths
 * of bar, space, bar, space, bar, space for values 0..105, and the stop. */
#include <stdlib.h>
#include <string.h>

#include "core/barcode.h"
#include "core/xalloc.h"

static const char *const widths[107] = {
	"212222", "222122", "222221", "121223", "121322", "131222", "122213", "122312",
	"132212", "221213", "221312", "231212", "112232", "122132", "122231", "113222",
	"123122", "123221", "223211", "221132", "221231", "213212", "223112", "312131",
	"311222", "321122", "321221", "312212", "322112", "322211", "212123", "212321",
	"232121", "111323", "131123", "131321", "112313", "132113", "132311", "211313",
	"231113", "231311", "112133", "112331", "132131", "113123", "113321", "133121",
	"313121", "211331", "231131", "213113", "213311", "213131", "311123", "311321",
	"331121", "312113", "312311", "332111", "314111", "221411", "431111", "111224",
	"111422", "121124", "121421", "141122", "141221", "112214", "112412", "122114",
	"122411", "142112", "142211", "241211", "221114", "413111", "241112", "134111",
	"111242", "121142", "121241", "114212", "124112", "124211", "411212", "421112",
	"421211", "212141", "214121", "412121", "111143", "111341", "131141", "114113",
	"114311", "411113", "411311", "113141", "114131", "311141", "411131", "211412",
	"211214", "211232", "2331112",
};

const char *code128_widths(int v)
{
	if (v < 0 || v > CODE128_STOP)
		return NULL;
	return widths[v];
}

size_t code128b_values(const char *text, int *out, size_t max)
{
	size_t n = text ? strlen(text) : 0, k = 0;
	unsigned long sum = CODE128_START_B;

	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)text[i];
		if (c < 32 || c > 126)
			return 0;
	}
	if (k < max)
		out[k] = CODE128_START_B;
	k++;
	for (size_t i = 0; i < n; i++) {
		int v = (unsigned char)text[i] - 32;
		sum += (unsigned long)(i + 1) * (unsigned long)v;
		if (k < max)
			out[k] = v;
		k++;
	}
	if (k < max)
		out[k] = (int)(sum % 103);
	k++;
	if (k < max)
		out[k] = CODE128_STOP;
	k++;
	return k;
}

char *code128b_encode(const char *text)
{
	size_t n = code128b_values(text, NULL, 0);
	if (n == 0)
		return NULL;

	int *vals = xcalloc(n, sizeof(*vals));
	code128b_values(text, vals, n);

	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < n; i++) {
		const char *w = widths[vals[i]];
		for (int j = 0; w[j]; j++) {
			char m = (j % 2 == 0) ? '1' : '0'; /* bars at even positions */
			for (int r = w[j] - '0'; r > 0; r--)
				strbuf_addch(&sb, m);
		}
	}
	free(vals);
	return strbuf_detach(&sb);
}
