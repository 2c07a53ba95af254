/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One paper's pages (pagestore.h) as ONE compact multi-page PDF, with its
 * size and SHA-256: what a digitized dossier component keeps.
 *
 * Colour and grey pages go in as the JPEG files the pagestore holds
 * (cairo's CAIRO_MIME_TYPE_JPEG: the PDF embeds them as DCTDecode images,
 * never decoded or re-compressed); black-and-white pages as 1-bit stencil
 * images in CCITT G4 (g4.h); a mixed page (pageauto.h) as its JPEG
 * background with its text's G4 stencil painted over it, in black. Each
 * PDF page is the size of its image at its resolution,
 * rounded up to a whole point (a 1654 x 2339 scan at 200 dpi is an A4
 * page), the image at its top left corner.
 *
 * Output is all or nothing: PATH.tmp is written (hashed as it is written),
 * fsynced and renamed over PATH; on any failure (a full disk...) PATH.tmp is
 * removed, PATH is left as it was and the pages stay in the pagestore. */
#ifndef MC_DOCPDF_H
#define MC_DOCPDF_H
#include "client/scan/pagestore.h"
#include "core/xalloc.h"

struct docpdf_info {
	int pages;
	long long bytes;            /* the PDF file */
	long long bytes_per_page;   /* bytes / pages, rounded */
	char sha256[65];            /* lower-case hex */
};

/* Writes the pagestore's pages, in order, to path. title (may be NULL) and
 * date ("YYYY-MM-DDTHH:MM" or NULL) go into the PDF's metadata. -1 with a
 * Vietnamese message (no pages, a damaged page file, a full disk). */
int docpdf_write(const struct pagestore *ps, const char *path, const char *title,
		 const char *date, struct docpdf_info *info, struct strbuf *err);


#endif
