/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The pages of one paper (one dossier component) while the clerk scans or
 * imports it: add, re-scan (replace), delete, reorder, then docpdf.h makes
 * them one PDF. Everything lives on disk in a folder of its own (under the
 * store's folder, see pagestore_dir_for), so a crash or a scanner that goes
 * away loses no page already scanned.
 *
 * The folder holds one file per page and a manifest, "pages":
 *
 *     motcua-pages 1
 *     p000003.jpg gray 1240 1754 150
 *     p000001.pbm lineart 2480 3508 300
 *
 * one line per page in reading order: file, kind, width and height in
 * pixels, resolution in dots per inch. Colour and grey pages are JPEG files
 * (they go into the PDF as they are), black-and-white pages are raw PBM
 * (P4, 1 = black). A mixed page (pageauto.h) is two files of one name: the
 * PBM of its text, which the manifest lists, and the JPEG of the rest
 * ("p000004.pbm mixed ..." and p000004.jpg, pagestore_background_path).
 * Every change writes the page file first, then a new
 * manifest (temporary file, fsync, rename), so the manifest always names
 * complete pages. A page file the manifest does not name (a crash between
 * the two writes) is removed when the folder is opened again.
 *
 * One process at a time uses a folder; nothing here touches curses or the
 * SQLite store, so a worker thread may use it. */
#ifndef MC_PAGESTORE_H
#define MC_PAGESTORE_H
#include <stdbool.h>
#include <stddef.h>
#include "core/xalloc.h"

enum page_kind {
	PAGE_COLOR,   /* 8-bit RGB */
	PAGE_GRAY,    /* 8-bit grey */
	PAGE_LINEART, /* 1 bit per pixel, black and white */
	PAGE_MIXED    /* a stored page only (pagestore_add_mixed): text as a
	               * 1-bit mask over a colour or grey JPEG background */
};

/* "color", "gray", "lineart", "mixed" and back; -1 for an unknown name. */
const char *page_kind_name(enum page_kind k);
int page_kind_parse(const char *name);

/* An image in memory. Rows are stride bytes apart, top row first. COLOR:
 * R, G, B per pixel; GRAY: one byte per pixel, 0 black; LINEART: 8 pixels a
 * byte, the leftmost in the most significant bit, 1 = black (as SANE and
 * PBM). dpi 0 means unknown. */
struct page_image {
	enum page_kind kind;
	int width, height;
	int dpi;
	size_t stride;
	unsigned char *data;
};

/* Allocates data for width x height of kind (rows zeroed: white for
 * LINEART, black otherwise). */
void page_image_alloc(struct page_image *img, enum page_kind kind, int width, int height, int dpi);
void page_image_release(struct page_image *img);
/* Bytes a row of kind needs. */
size_t page_image_row_bytes(enum page_kind kind, int width);

struct page_info {
	char *file;          /* name inside the folder */
	enum page_kind kind;
	int width, height, dpi;
	long long bytes;     /* size of the page file (of both, for a mixed page) */
};

struct pagestore {
	char *dir;
	struct page_info *pages;
	size_t n, alloc;
	unsigned next_id;
	int jpeg_quality;    /* 1..100, default 75 */
};

/* Default JPEG quality for colour and grey pages. */
#define PAGESTORE_JPEG_QUALITY 75

/* The folder for a component's pages under the store at db_path:
 * "<folder of db_path>/scans/<key>" (key: letters, digits, '-', '_', '.'). */
char *pagestore_dir_for(const char *db_path, const char *key);

/* Opens the folder dir, creating it (and its parents) when missing, and
 * reads its manifest. Returns -1 with a Vietnamese message in err. */
int pagestore_open(struct pagestore *ps, const char *dir, struct strbuf *err);
void pagestore_release(struct pagestore *ps);
/* Removes every page, the manifest and the folder itself (once the paper is
 * filed), and releases ps. Returns -1 with err when the folder stays. */
int pagestore_remove(struct pagestore *ps, struct strbuf *err);

/* Appends a page (JPEG-encoded for colour and grey). -1 with err (disk
 * full...): the store is as before. */
int pagestore_add(struct pagestore *ps, const struct page_image *img, struct strbuf *err);
/* Appends a mixed page: mask (PAGE_LINEART) is its text, background
 * (PAGE_GRAY or PAGE_COLOR, same size) the rest, JPEG-encoded. */
int pagestore_add_mixed(struct pagestore *ps, const struct page_image *background,
			const struct page_image *mask, struct strbuf *err);
/* Appends img as the automatic mode keeps it (pageauto.h: black and white,
 * mixed, grey or colour, chosen for this page); img's pixels are changed. */
int pagestore_add_auto(struct pagestore *ps, struct page_image *img, struct strbuf *err);
/* Appends a page from JPEG data as it is (an imported photo): width, height
 * and components (1 grey, 3 colour) from the caller, who checked it decodes. */
int pagestore_add_jpeg(struct pagestore *ps, const void *jpeg, size_t n, int width, int height,
		       int components, int dpi, struct strbuf *err);
/* Re-scan: page i becomes img. */
int pagestore_replace(struct pagestore *ps, size_t i, const struct page_image *img,
		      struct strbuf *err);
/* Re-scan in the automatic mode: page i becomes img as pagestore_add_auto
 * keeps it. */
int pagestore_replace_auto(struct pagestore *ps, size_t i, struct page_image *img,
			   struct strbuf *err);
/* Deletes page i. */
int pagestore_delete(struct pagestore *ps, size_t i, struct strbuf *err);
/* Moves page from to position to (the others keep their order). */
int pagestore_move(struct pagestore *ps, size_t from, size_t to, struct strbuf *err);
/* Keeps the first n pages (drops what a failed import added). */
int pagestore_truncate(struct pagestore *ps, size_t n, struct strbuf *err);

/* Full path of page i's file (malloc'd). */
char *pagestore_path(const struct pagestore *ps, size_t i);
/* Reads page i's file whole (malloc'd in *data). -1 with err. */
int pagestore_read(const struct pagestore *ps, size_t i, unsigned char **data, size_t *n,
		   struct strbuf *err);
/* Full path of the JPEG background of page i, a PAGE_MIXED page (malloc'd). */
char *pagestore_background_path(const struct pagestore *ps, size_t i);
/* Reads that background whole (malloc'd in *data). -1 with err. */
int pagestore_read_background(const struct pagestore *ps, size_t i, unsigned char **data,
			      size_t *n, struct strbuf *err);
/* Decodes a LINEART page's file, or a MIXED page's mask, into img. -1 with err. */
int pagestore_load_lineart(const struct pagestore *ps, size_t i, struct page_image *img,
			   struct strbuf *err);

/* Page i in 8-bit grey, whatever its kind (a mixed page: its text over its
 * background), for reading it (OCR). -1 with err (a damaged file). */
int pagestore_load_gray(const struct pagestore *ps, size_t i, struct page_image *img,
			struct strbuf *err);

/* Writes data to path atomically: path.tmp, fsync, rename, fsync of the
 * folder. -1 with a Vietnamese message naming what (e.g. "trang 3"). */
int pagestore_write_file(const char *path, const void *data, size_t n, const char *what,
			 struct strbuf *err);

#endif
