/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A signing key on a PKCS#11 token (the USB tokens of Vietnamese CAs;
 * SoftHSM2 in the tests), through the module the token's driver installs:
 * the module is loaded with dlopen and spoken to through its function list
 * (C_Initialize, C_Login with the PIN, C_FindObjects, C_Sign). The key
 * never leaves the token; the PIN is not kept after C_Login (nor after the
 * context login of a key that asks for the PIN at every signature, which
 * needs it once more and is given it at open).
 *
 * Statuses are MC_EXIT_OK, MC_EXIT_BADINPUT (a module, token or key that
 * is not there, a wrong or locked PIN: err says which) and MC_EXIT_FAULT
 * (the token failed). */
#ifndef MC_SIGN_PKCS11_H
#define MC_SIGN_PKCS11_H
#include <stddef.h>

#include "core/xalloc.h"

struct p11;

/* token: the token's label (NULL: the only token present); key: the
 * private key's label (NULL: the only private key on the token). pin, or
 * when it is NULL what ask(ctx, prompt) returns once the token is found
 * (malloc'd; wiped and freed here; NULL: none given). */
int p11_open(struct p11 **out, const char *module, const char *token, const char *key,
	     const char *pin, char *(*ask)(void *ctx, const char *prompt), void *ctx,
	     struct strbuf *err);
void p11_close(struct p11 *t);

/* The key's certificate (DER) and the token's other certificates (the CA
 * certificates vendors store next to it), for the chain. */
const unsigned char *p11_cert(const struct p11 *t, size_t *len);
size_t p11_other_certs(const struct p11 *t);
const unsigned char *p11_other_cert(const struct p11 *t, size_t i, size_t *len);

/* A signature by the key over tbs with SHA-256: RSA PKCS#1 v1.5
 * (CKM_SHA256_RSA_PKCS, or CKM_RSA_PKCS over a DigestInfo when the token
 * lacks it) or ECDSA (CKM_ECDSA over the digest; returned DER-encoded as
 * CMS wants it). *sig is malloc'd. */
int p11_sign(struct p11 *t, const unsigned char *tbs, size_t n, unsigned char **sig, size_t *siglen,
	     struct strbuf *err);

#endif
