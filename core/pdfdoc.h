/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The structure of a PDF file, read from a buffer: objects, the
 * cross-reference sections (tables and streams, along their /Prev chain),
 * object streams, the page tree. Enough to sign a file by an incremental
 * update and to check its signatures (core/pdfsig.h); content streams are
 * never interpreted.
 *
 * Pure: no I/O. Decompression (FlateDecode) is the caller's, through a
 * callback, so that core needs no zlib; without one, files whose
 * cross-reference or objects are compressed are refused with a message.
 * Every error is a Vietnamese message in err. */
#ifndef MC_PDFDOC_H
#define MC_PDFDOC_H
#include <stdbool.h>
#include <stddef.h>

#include "core/xalloc.h"

enum pdf_kind {
	PDF_NULL,
	PDF_BOOL,
	PDF_INT,
	PDF_REAL,
	PDF_STRING,
	PDF_NAME,
	PDF_ARRAY,
	PDF_DICT,
	PDF_REF
};

/* One value. Strings and names are decoded (escapes, hex digits, #xx) and
 * NUL-terminated; raw/rawlen are the bytes the value was parsed from (in
 * the file, or in a decompressed object stream), `at` their offset in the
 * file ((size_t)-1 inside an object stream). */
struct pdf_obj {
	enum pdf_kind kind;
	long long i;              /* BOOL (0/1), INT, REF: the object number */
	int gen;                  /* REF: the generation */
	double r;                 /* REAL, and INT as a double */
	char *s;                  /* STRING, NAME: the bytes, NUL-terminated */
	size_t n;                 /* STRING, NAME: bytes; ARRAY: values; DICT: pairs */
	struct pdf_obj *items;    /* ARRAY: n values; DICT: key, value, key... (2n) */
	const unsigned char *raw;
	size_t rawlen;
	size_t at;
};
#define PDF_OBJ_INIT { PDF_NULL, 0, 0, 0, NULL, 0, NULL, NULL, 0, (size_t)-1 }

void pdf_obj_release(struct pdf_obj *o);

/* Parses one value at buf[*pos] (whitespace and comments first); *pos moves
 * past it. base: the file offset of buf[0], or (size_t)-1. 0, or -1 with err. */
int pdf_parse_value(const unsigned char *buf, size_t len, size_t *pos, size_t base,
		    struct pdf_obj *out, struct strbuf *err);

/* A dictionary's value for key (a name without its slash), or NULL. */
const struct pdf_obj *pdf_dict_get(const struct pdf_obj *dict, const char *key);
/* Whether o is the name given (without its slash). */
bool pdf_is_name(const struct pdf_obj *o, const char *name);
/* Whether two values are the same value (references by number and
 * generation, numbers by value, dictionaries whatever their key order). */
bool pdf_obj_equal(const struct pdf_obj *a, const struct pdf_obj *b);

/* Inflates n bytes (zlib format) into out. 0, or -1 with err. */
typedef int (*pdf_inflate_fn)(const unsigned char *in, size_t n, struct strbuf *out,
			      struct strbuf *err);

struct pdf_xref_entry {
	unsigned char type;       /* 0 free, 1 at an offset, 2 in an object stream */
	unsigned char set;        /* a newer section already said where it is */
	unsigned int gen;         /* type 2: the index in the object stream */
	size_t off;               /* type 1: the offset; type 2: the stream's number */
};

struct pdf_objstm;

struct pdfdoc {
	const unsigned char *buf; /* the caller's, kept while the doc lives */
	size_t len;
	pdf_inflate_fn inflate;
	struct pdf_xref_entry *xref; /* by object number */
	size_t nxref;
	size_t startxref;         /* the newest cross-reference section */
	bool xref_stream;         /* ... is a cross-reference stream */
	int sections;             /* along the /Prev chain */
	long long size;           /* the newest trailer's /Size */
	int root, root_gen;       /* the catalog */
	int info, info_gen;       /* the document information (0: none) */
	struct pdf_obj id;        /* the trailer's /ID, PDF_NULL when none */
	bool encrypted;
	struct pdf_objstm *stms;  /* decompressed object streams, kept */
	size_t nstms, stms_alloc;
};

/* Reads the cross-reference sections of buf[0..len) from the last
 * startxref back. 0, or -1 with err (not a PDF, damaged, or compressed
 * without an inflate callback). Release d with pdfdoc_release either way. */
int pdfdoc_open(struct pdfdoc *d, const unsigned char *buf, size_t len, pdf_inflate_fn inflate,
	     struct strbuf *err);
void pdfdoc_release(struct pdfdoc *d);

/* The stream that follows an object, as stored (still encoded). */
struct pdf_stream {
	const unsigned char *data;
	size_t len;
	bool present;
};

/* Object num (owned by out: pdf_obj_release), and when stm is given its
 * stream. gen (may be NULL) gets the generation. 0, or -1 with err. */
int pdfdoc_get(struct pdfdoc *d, int num, int *gen, struct pdf_obj *out, struct pdf_stream *stm,
	    struct strbuf *err);
/* o, or when o is a reference the object it names, loaded into *tmp (which
 * the caller releases in every case). NULL with err when it cannot be
 * loaded. */
const struct pdf_obj *pdfdoc_resolve(struct pdfdoc *d, const struct pdf_obj *o, struct pdf_obj *tmp,
				  struct strbuf *err);
/* A stream's data decoded: no filter or FlateDecode (with PNG predictors). */
int pdfdoc_decode(struct pdfdoc *d, const struct pdf_obj *dict, const struct pdf_stream *s,
	       struct strbuf *out, struct strbuf *err);

/* The page of 0-based index: its object number and generation, its box
 * (the inherited CropBox, else MediaBox: llx lly urx ury) and the number of
 * pages. index -1 only counts. 0, or -1 with err. */
struct pdfdoc_page {
	int num, gen;
	double box[4];
	int rotate;
	int count;
};
int pdfdoc_page(struct pdfdoc *d, int index, struct pdfdoc_page *pg, struct strbuf *err);

#endif
