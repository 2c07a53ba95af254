/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Digital signatures (ký số) of PDF files: PAdES baseline B-B signatures
 * (SubFilter ETSI.CAdES.detached, SHA-256, the signing time in /M, the
 * signer's certificate and chain and the ESS signing-certificate-v2
 * attribute in the CMS), added by an incremental update so that earlier
 * signatures stay valid; and their verification (docs/signatures.md).
 *
 * The key is on a PKCS#11 token (client/sign/pkcs11.h) or in a PKCS#12
 * file. The PDF structure is core/pdfsig.h's; the CMS is OpenSSL's.
 *
 * A caller that signs many files opens a signer once (one PIN, one token
 * session) and signs each file with it; sign_pdf_file does all three for
 * one file. Every status is MC_EXIT_OK, MC_EXIT_BADINPUT (the user's input
 * was refused: no such file, not a PDF, a wrong PIN or password, an
 * expired certificate; nothing written) or MC_EXIT_FAULT (the disk or the
 * token failed), with a Vietnamese message in err. */
#ifndef MC_SIGN_H
#define MC_SIGN_H
#include <stdbool.h>
#include <stddef.h>

#include "core/pdfsig.h"
#include "core/xalloc.h"

enum sign_key_kind {
	SIGN_KEY_PKCS12,
	SIGN_KEY_PKCS11
};

struct sign_key {
	enum sign_key_kind kind;
	const char *file;     /* the .p12/.pfx file, or the token's PKCS#11 module (.so) */
	const char *token;    /* PKCS#11: the token's label (NULL: the only token) */
	const char *key;      /* PKCS#11: the private key's label (NULL: the only key) */
	const char *secret;   /* the password or PIN: used to open, never kept */
	/* When secret is NULL: asked once the token or file is found. Returns
	 * a malloc'd string (wiped and freed by the signer), NULL for none. */
	char *(*ask)(void *ctx, const char *prompt);
	void *ask_ctx;
	const char *chain;    /* a PEM file of CA certificates to carry too (NULL: none) */
};

struct signer;

int signer_open(struct signer **out, const struct sign_key *key, struct strbuf *err);
void signer_free(struct signer *s);
/* The signer's name: the certificate's common name (UTF-8). */
const char *signer_name(const struct signer *s);

struct sign_opts {
	const char *reason;   /* /Reason (NULL: none) */
	const char *location; /* /Location (NULL: none) */
	bool stamp;           /* a visible stamp; else an invisible signature */
	int page;             /* 1-based page of the field; 0: the first; -1: the last */
	double rect[4];       /* the stamp in points (llx lly urx ury); all 0: bottom right */
};

struct sign_result {
	char *field;          /* the new signature field's name */
	char *signer;         /* the certificate's common name */
	char signed_at[32];   /* "YYYY-MM-DDTHH:MM:SS+07:00" */
	size_t bytes;         /* the signed file's size */
	char sha256[65];      /* ... and its SHA-256 */
};
void sign_result_release(struct sign_result *r);

/* Signs in and writes out (a temporary file renamed into place: out may be
 * in). res may be NULL. */
int signer_sign_file(struct signer *s, const char *in, const char *out, const struct sign_opts *o,
		     struct sign_result *res, struct strbuf *err);
/* The same on a buffer: *signed_pdf gets the new file (malloc'd). */
int signer_sign_buffer(struct signer *s, const unsigned char *pdf, size_t len, const struct sign_opts *o,
		       unsigned char **signed_pdf, size_t *signed_len, struct sign_result *res,
		       struct strbuf *err);
int sign_pdf_file(const char *in, const char *out, const struct sign_key *key, const struct sign_opts *o,
		  struct sign_result *res, struct strbuf *err);

/* ---- verification ---------------------------------------------------- */

struct verify_sig {
	char *field;          /* the signature field's name */
	char *signer;         /* the signer certificate's common name (NULL: unknown) */
	char *subject, *issuer, *serial; /* of that certificate (RFC 2253; hex) */
	char *not_after;      /* "YYYY-MM-DDTHH:MM:SSZ" */
	char signed_at[32];   /* /M, else the CMS signing time; "" when neither */
	char *subfilter;      /* e.g. "ETSI.CAdES.detached" */
	char *digest;         /* e.g. "SHA256" */
	char *reason, *location;
	bool intact;          /* the CMS signature holds over exactly its byte range */
	bool covers_whole_file;
	enum pdf_later later; /* what later revisions changed */
	bool trusted;         /* the certificate chains to a trusted CA, valid now */
	char *problem;        /* why it does not pass (Vietnamese), or NULL */
	long long range[4];
};

struct verify_report {
	struct verify_sig *sigs;
	size_t n;
	bool ok;              /* at least one signature, each intact, trusted, and
			       * covering the file or followed by signatures only */
};

/* Every signature of the PDF at path, checked against the CA certificates
 * of ca_file (PEM; NULL: none is trusted). BADINPUT: no such file, not a
 * PDF, a damaged one, an unreadable CA file. */
int verify_pdf_file(const char *path, const char *ca_file, struct verify_report *r, struct strbuf *err);
int verify_pdf_buffer(const unsigned char *pdf, size_t len, const char *ca_file, struct verify_report *r,
		      struct strbuf *err);
void verify_report_release(struct verify_report *r);
/* Whether the stored paper at path may be reused: each signature intact,
 * nothing but signatures added after it, and, when ca_file is not NULL,
 * trusted. why is left empty when it may, else says why not (Vietnamese).
 * Returns MC_EXIT_OK, or as verify_pdf_file (the file cannot be read). */
int verify_for_reuse(const char *path, const char *ca_file, struct strbuf *why, struct strbuf *err);
/* "none", "signatures" or "other". */
const char *verify_later_name(enum pdf_later l);

#endif
