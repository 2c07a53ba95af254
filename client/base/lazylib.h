/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The heavy shared libraries (cairo, pango, poppler, SANE, libjpeg, libtiff,
 * libqrencode, libcurl, OpenSSL's libcrypto), loaded with dlopen the first
 * time a screen or command needs one, so that a session that never prints,
 * scans, signs or syncs never maps them: the program starts with a third of
 * the shared objects and half the memory (docs/PERFORMANCE.md).
 *
 * A source file that calls such a library includes the library's own
 * headers first, then "client/base/lazy_NAME.h", which turns each function
 * it names into a lookup (dlsym, once per call site) in the library loaded
 * on first use. The program is not linked with these libraries (Makefile,
 * LAZY_PKGS): a function missing from the lazy_*.h lists fails the link. */
#ifndef MC_LAZYLIB_H
#define MC_LAZYLIB_H
#include <stdbool.h>

#include "core/xalloc.h"

enum lazylib {
	LAZY_GLIB,
	LAZY_GOBJECT,
	LAZY_CAIRO,
	LAZY_PANGO,
	LAZY_PANGOCAIRO,
	LAZY_POPPLER,
	LAZY_SANE,
	LAZY_JPEG,
	LAZY_TIFF,
	LAZY_QRENCODE,
	LAZY_CURL,
	LAZY_CRYPTO,
	LAZY_N
};

/* Loads lib (and keeps it for the life of the process). Returns 0, or -1
 * with a Vietnamese message in err (the library is not installed). */
int lazylib_load(enum lazylib lib, struct strbuf *err);

/* Whether lib is mapped now (loaded by lazylib_load, or linked in). */
bool lazylib_loaded(enum lazylib lib);

/* The address of function name of lib, cached in *slot. Loads lib when
 * needed; a library or function that cannot be found is an installation
 * fault: said on stderr, then exit(1). */
void *lazylib_sym(enum lazylib lib, const char *name, void **slot);

/* name (a function declared by the library's header) called through lib. */
#define LAZYLIB_FN(lib, name)                                                              \
	(*({                                                                               \
		static void *lazylib_slot_;                                                \
		(__typeof__(&name))lazylib_sym(lib, #name, &lazylib_slot_);               \
	}))

#endif
