/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Signatures in PDF files (ISO 32000-1 12.8, PAdES / ETSI EN 319 142-1),
 * the part without cryptography and without I/O: where a file's signatures
 * are and what their /ByteRange covers, what later revisions changed, and
 * the incremental update that adds a signature (a signature dictionary with
 * a /ByteRange and a /Contents placeholder, a signature field that is also
 * its widget annotation on a page, the AcroForm with /SigFlags 3), appended
 * after the original bytes so that earlier signatures stay valid.
 *
 * Signing is: pdf_sig_prepare, then the SHA-256 of the two ranges of
 * layout.range, a CMS signature over it (the caller's, OpenSSL), then
 * pdf_sig_fill. Checking is: pdf_sig_list, then the CMS over the ranges.
 * The server can use this file as it is; the CMS part lives with OpenSSL
 * in the client (client/sign/). */
#ifndef MC_PDFSIG_H
#define MC_PDFSIG_H
#include <stdbool.h>
#include <stddef.h>

#include "core/pdfdoc.h"
#include "core/xalloc.h"

/* What the revisions after a signature's own changed. */
enum pdf_later {
	PDF_LATER_NONE,       /* nothing: the signature covers the whole file */
	PDF_LATER_SIGNATURES, /* only signatures were added (fields, widgets,
			       * their appearances, the AcroForm, metadata) */
	PDF_LATER_OTHER       /* anything else: content, pages, objects removed */
};

struct pdf_sig {
	char *field;              /* the field's full name (UTF-8) */
	int obj;                  /* the signature dictionary's object number */
	long long range[4];       /* /ByteRange */
	bool range_ok;            /* four numbers, from 0, around exactly /Contents */
	const char *range_problem; /* why not (Vietnamese), else NULL */
	unsigned char *contents;  /* /Contents decoded: the CMS (DER, zero-padded) */
	size_t contents_len;
	char *filter, *subfilter; /* names without the slash, or NULL */
	char *m;                  /* /M as written ("D:2025..."), or NULL */
	char *name, *reason, *location; /* text strings as UTF-8, or NULL */
	bool covers_whole_file;   /* the second range ends at the end of the file */
	size_t revision_end;      /* where the signed revision ends */
	enum pdf_later later;
	char *later_detail;       /* PDF_LATER_OTHER: what changed (Vietnamese) */
	bool doc_timestamp;       /* a /DocTimeStamp, not a signature */
};

/* Every signed signature field of d (signature fields without a value are
 * left out), oldest revision first. 0, or -1 with err (a damaged form). */
int pdf_sig_list(struct pdfdoc *d, struct pdf_sig **sigs, size_t *n, struct strbuf *err);
void pdf_sig_list_free(struct pdf_sig *sigs, size_t n);

/* What the bytes after buf[0..end) changed compared with the revision that
 * ends there. detail (may be NULL) gets the first change that is not a
 * signature's. */
enum pdf_later pdf_sig_later_changes(struct pdfdoc *whole, size_t end, struct strbuf *detail);

/* A new signature. Text is UTF-8 (written as PDF text strings). */
struct pdf_sig_request {
	int page;                 /* 0-based page of the widget */
	double rect[4];           /* llx lly urx ury on that page; all 0: invisible */
	const char *name, *reason, *location, *contact; /* NULL: left out */
	const char *m;            /* the signing time, "D:YYYYMMDDHHmmSS+HH'mm'" */
	size_t contents_max;      /* bytes kept for the CMS (written as 2x hex) */
	const unsigned char *new_id; /* 16 bytes: the second /ID (and the first when none) */
	/* The visible appearance (rect not empty): an image drawn over rect. */
	const unsigned char *image; /* the image's samples, as stored */
	size_t image_len;
	int image_w, image_h, image_components; /* 1 grey, 3 RGB; 8 bits each */
	bool image_flate;         /* the samples are FlateDecode'd */
};

/* Where the placeholder is in the prepared file. */
struct pdf_sig_layout {
	long long range[4];       /* as written in /ByteRange */
	size_t contents_at;       /* offset of the first hex digit (after '<') */
	size_t contents_hexlen;   /* 2 * contents_max */
	char *field;              /* the new field's name (owned; pdf_sig_layout_release) */
};
void pdf_sig_layout_release(struct pdf_sig_layout *lay);

/* out: the original bytes of d and the incremental update that adds the
 * signature (placeholder /Contents of zeros, /ByteRange filled in). 0, or -1
 * with err: encrypted, a page that is not there, a damaged catalog or form,
 * a form that forbids changes (DocMDP P=1). */
int pdf_sig_prepare(struct pdfdoc *d, const struct pdf_sig_request *rq, struct strbuf *out,
		    struct pdf_sig_layout *lay, struct strbuf *err);
/* Writes the CMS (n bytes, DER) into the placeholder of file (as hex).
 * -1 with err when it does not fit. */
int pdf_sig_fill(unsigned char *file, size_t len, const struct pdf_sig_layout *lay,
		 const unsigned char *cms, size_t n, struct strbuf *err);

/* A PDF text string as UTF-8 (UTF-16BE with its BOM, UTF-8 with its BOM,
 * or PDFDocEncoding, read as Latin-1). Returns a malloc'd string. */
char *pdf_text_to_utf8(const char *s, size_t n);
/* A PDF date "D:YYYYMMDDHHmmSS+HH'mm'" as "YYYY-MM-DDTHH:MM:SS+HH:MM" (buf
 * >= 26 bytes; missing parts are taken as the start of the period, a
 * missing zone as local "Z"-less time). -1 when it is not a date. */
int pdf_date_iso(const char *pdfdate, char *buf, size_t n);

#endif
