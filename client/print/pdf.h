/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Small drawing helpers for the printed forms (01..06): a PDF document in
 * millimetres with cairo + pango, text blocks that wrap and flow onto the next
 * page, table rows, rules, Code 128 barcodes and QR codes.
 *
 * Coordinates are millimetres from the top-left corner of the page. Text is
 * pango markup (<b>, <i>, <span>): append values with pdf_markup_add, which
 * escapes them and normalises to NFC. The font is "Noto Serif", falling back
 * to "DejaVu Serif" (both cover Vietnamese) through fontconfig.
 *
 * Output is all or nothing: pdf_open writes PATH.tmp, pdf_close finishes it,
 * checks every write, fsyncs and renames it over PATH; on any failure PATH.tmp
 * is removed and PATH is left as it was. The file is its owner's only, and
 * sealed when it goes in an encrypted store's folders (a receipt under
 * receipts/: client/base/sealed.h). */
#ifndef MC_PDF_H
#define MC_PDF_H
#include <stdbool.h>
#include <stddef.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include "client/base/sealed.h"
#include "core/datetime.h"
#include "core/xalloc.h"

#define PDF_A5_W 148.0
#define PDF_A5_H 210.0
#define PDF_A4_W 210.0
#define PDF_A4_H 297.0
#define PDF_FONT "Noto Serif,DejaVu Serif,serif"

enum pdf_align { PDF_LEFT, PDF_CENTER, PDF_RIGHT, PDF_JUSTIFY };

struct pdf_style {
	double size;          /* points */
	bool bold, italic;
	enum pdf_align align;
	double spacing;       /* lines (and paragraphs) this factor of the font's
	                       * line height apart; 0 means 1 */
};

struct pdf_doc {
	cairo_surface_t *surface;
	cairo_t *cr;
	PangoContext *pango;
	double w, h;                      /* page size, mm */
	double top, bottom, left, right;  /* margins, mm (pdf_set_margins) */
	double y;                         /* where the next block goes, mm */
	int page;                         /* current page, from 1 */
	/* Called at the top of every page after the first, with y at the top
	 * margin (a continuation header: it may draw and advance y). */
	void (*page_header)(struct pdf_doc *d, void *arg);
	void *page_header_arg;
	/* private */
	double page_start;                /* y where this page's content began */
	char *path, *tmp;
	struct sealed_out out;
	bool open;                        /* out is open */
	int write_errno;
};

/* A table drawn row by row; widths in mm (their sum is the table width). */
struct pdf_table {
	size_t ncols;
	double x;                          /* left edge, mm */
	const double *widths;
	const char *const *header;         /* markup per column, NULL for none */
	const enum pdf_align *align;       /* per column, NULL: all left */
	struct pdf_style style, header_style;
	double pad;                        /* cell padding, mm */
};

/* Creates PATH.tmp and a first page of w x h mm with margins 10 mm (15 mm on
 * the left, for binding). Returns -1 with a Vietnamese message on failure. */
int pdf_open(struct pdf_doc *d, const char *path, double w, double h, struct strbuf *err);
/* Margins in mm, before anything is drawn (y moves to the new top). */
void pdf_set_margins(struct pdf_doc *d, double top, double right, double bottom, double left);
/* PDF metadata (title, creation date as "YYYY-MM-DDTHH:MM" or NULL). */
void pdf_set_metadata(struct pdf_doc *d, const char *title, const char *date);
/* Finishes the PDF and moves it to PATH. Releases d in every case; returns
 * -1 with a Vietnamese message (full disk, I/O error...) and no PATH change. */
int pdf_close(struct pdf_doc *d, struct strbuf *err);
/* Releases d and removes PATH.tmp. */
void pdf_discard(struct pdf_doc *d);

/* Left edge, width and bottom limit of the text area, mm. */
double pdf_x0(const struct pdf_doc *d);
double pdf_text_width(const struct pdf_doc *d);
double pdf_limit(const struct pdf_doc *d);

/* Starts a new page (with the continuation header). */
void pdf_new_page(struct pdf_doc *d);
/* Starts a new page unless h mm still fit below y (or y is where the page's
 * content starts: what is taller than a page is not pushed on forever);
 * true when it broke. */
bool pdf_need(struct pdf_doc *d, double h);

/* Size of markup laid out in width mm (width <= 0: one line, no wrap); the
 * height is the advance to the next block (see pdf_style.spacing). */
void pdf_measure(struct pdf_doc *d, const char *markup, const struct pdf_style *st,
		 double width, double *w_out, double *h_out);
/* Draws markup at (x, y) in a box width mm wide; no page break. Returns the
 * height used, mm. */
double pdf_draw(struct pdf_doc *d, double x, double y, double width, const char *markup,
		const struct pdf_style *st);
/* A paragraph at the current y: wraps in width mm, continues on the next page
 * between lines when it does not fit (one of at most 3 lines moves whole to
 * the next page), and moves y below it. */
void pdf_para(struct pdf_doc *d, double x, double width, const char *markup,
	      const struct pdf_style *st);
/* Columns side by side at the current y, kept together on one page (after a
 * page break when needed); y moves below the tallest. NULL markups skip. */
void pdf_columns(struct pdf_doc *d, size_t n, const double *x, const double *width,
		 const char *const *markup, const struct pdf_style *const *st);
/* A horizontal line at y, thickness in points. */
void pdf_hrule(struct pdf_doc *d, double x, double y, double width, double thickness);

/* Table: the header row, and one row (breaking the page before it when it
 * does not fit, and repeating the header on the new page). Cells wrap. */
void pdf_table_header(struct pdf_doc *d, const struct pdf_table *t);
void pdf_table_row(struct pdf_doc *d, const struct pdf_table *t, const char *const *cells);

/* A module pattern ('1' bar, '0' space) from core/barcode.h at (x, y), each
 * module m mm wide, h mm tall. The caller leaves the quiet zones blank. */
void pdf_barcode(struct pdf_doc *d, double x, double y, double m, double h, const char *modules);
/* The QR code of text (8-bit, error correction M) in a size x size mm square
 * at (x, y); leave 4 modules of blank around it. Returns the module count per
 * side, or -1 when text cannot be encoded (too long). */
int pdf_qr(struct pdf_doc *d, double x, double y, double size, const char *text);
/* Modules per side of the QR code of text, or -1 (to size it before drawing). */
int pdf_qr_modules(const char *text);

/* Appends text to a markup buffer: NFC, invalid bytes as U+FFFD, markup
 * characters escaped. NULL appends nothing. The _upper variant upper-cases
 * (Vietnamese included: "phường Đồng Xuân" -> "PHƯỜNG ĐỒNG XUÂN"). */
void pdf_markup_add(struct strbuf *sb, const char *text);
void pdf_markup_add_upper(struct strbuf *sb, const char *text);
/* The value, or the printed form's dotted blank when it is NULL or empty. */
#define PDF_BLANK "……………………"
void pdf_markup_add_or_blank(struct strbuf *sb, const char *text);
/* The text with its spaces made no-break (U+00A0), so that "ngày 03 tháng 11
 * năm 2023" or "0203 3835 678" wraps as a whole. */
void pdf_markup_add_nobreak(struct strbuf *sb, const char *text);

/* Vietnamese administrative wording of dates and times, with the leading
 * zeros of Decree 30/2020 (day < 10, months 1 and 2):
 * "ngày 05 tháng 01 năm 2024", "ngày 27 tháng 10 năm 2023", "09 giờ 05 phút". */
void pdf_vn_date(char *buf, size_t n, int y, int m, int d);
void pdf_vn_time(char *buf, size_t n, int hh, int mi);
/* Appends "09 giờ 32 phút, ngày 27 tháng 10 năm 2023", each part unbroken. */
void pdf_markup_add_when(struct strbuf *sb, const struct mc_dt *t);

/* The head of an administrative paper (Decree 30/2020), from d->y: in a left
 * column of left_frac of the text width the parent body (when given) and the
 * issuing body (the blank when empty), upper case, the latter bold and
 * underlined; in the right one the national name and the motto, underlined,
 * then "place, ngày ... tháng ... năm ..." when date is not NULL (the blank
 * for no place). d->y goes gap mm below the taller column. */
void pdf_state_header(struct pdf_doc *d, const char *parent, const char *body, const char *place,
		      const struct mc_dt *date, double left_frac, double gap);

/* One signature column at (x, y), width w: the title (bold), the hint
 * (italic), room mm left blank to sign and the printed name when given.
 * Draws only when draw (measure first, then keep it whole on a page).
 * Returns its height. */
double pdf_signature(struct pdf_doc *d, double x, double w, double y, const char *title,
		     const char *hint, const char *name, double room, bool draw);

#endif
