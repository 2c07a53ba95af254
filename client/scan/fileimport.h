/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Papers that arrive as files (from the disk or a USB stick) instead of
 * through the scanner: PDF, JPEG, PNG and TIFF become pages of a pagestore,
 * next to scanned ones.
 *
 * The type comes from the file's first bytes, not its name. A JPEG that
 * decodes cleanly goes in as it is (no second compression); PNG and TIFF
 * pages become JPEG pages (grey when every pixel is grey) or 1-bit pages
 * when every pixel is black or white; PDF pages are rendered (poppler) at
 * the resolution asked and then treated as a PNG would be. A multi-page TIFF
 * or PDF gives one page per page.
 *
 * A missing, unreadable, truncated or damaged file is refused with a
 * Vietnamese message and the pagestore is left as it was: the pages are
 * checked and made one by one, and what a refused file had added is removed
 * again. */
#ifndef MC_FILEIMPORT_H
#define MC_FILEIMPORT_H
#include <stddef.h>
#include "client/scan/pagestore.h"
#include "core/xalloc.h"

enum import_type {
	IMPORT_UNKNOWN,
	IMPORT_PDF,
	IMPORT_JPEG,
	IMPORT_PNG,
	IMPORT_TIFF
};

/* The type of a file from its first bytes (n >= 8 to tell them all). */
enum import_type fileimport_sniff(const unsigned char *head, size_t n);

/* Resolution PDF pages are rendered at when the caller gives 0. */
#define FILEIMPORT_PDF_DPI 150

/* Appends every page of the file at path to ps. pdf_dpi: the resolution
 * for PDF pages (0: FILEIMPORT_PDF_DPI). Returns 0 with *added pages (may
 * be NULL); 1 when the file cannot be used (err says why; ps unchanged);
 * -1 when the pagestore could not keep a page (full disk: err; ps
 * unchanged). */
int fileimport_file(struct pagestore *ps, const char *path, int pdf_dpi, size_t *added,
		    struct strbuf *err);

#endif
