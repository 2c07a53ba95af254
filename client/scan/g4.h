/* SPDX-License-Identifier: GPL-3.0-or-later */
/* CCITT Group 4 (ITU-T T.6) coding of a black-and-white page, the fax
 * coding that PDF decodes natively (CCITTFaxDecode, K -1): a page of text
 * at 200 dpi is some 30 KB instead of the 480 KB of its bits. The coding is
 * libtiff's (a TIFF made in memory, its one strip taken out), so the bytes
 * are the very ones `tiffcp -c g4` writes. No I/O; any thread. */
#ifndef MC_G4_H
#define MC_G4_H
#include <stddef.h>
#include "client/scan/pagestore.h"

/* The G4 data of img (PAGE_LINEART, 1 = black) in a malloc'd buffer; its
 * rows decode with BlackIs1 true. -1 when libtiff fails (out of memory). */
int g4_encode(const struct page_image *img, unsigned char **out, size_t *n);

/* The bytes of img's bits through Deflate at zlib's default level (what
 * cairo writes for a 1-bit image without G4 data, FlateDecode). G4 codes
 * runs of a line against the line above: it wins on text by a third, but
 * fine regular patterns (a test chart, a halftone) can cost it several
 * times what Deflate needs. -1 when libtiff fails. */
int g4_flate_size(const struct page_image *img, size_t *n);

/* The CCITTFaxDecode parameters of such data, as cairo's
 * CAIRO_MIME_TYPE_CCITT_FAX_PARAMS wants them (malloc'd). */
char *g4_pdf_params(int width, int height);

#endif
