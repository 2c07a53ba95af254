/* SPDX-License-Identifier: GPL-3.0-or-later */
/* poppler-glib through client/base/lazylib.h (loaded on first use).
 * Include after the library's headers; one line per function the client calls. */
#ifndef MC_LAZY_POPPLER_H
#define MC_LAZY_POPPLER_H
#include "client/base/lazylib.h"

#define poppler_document_get_n_pages LAZYLIB_FN(LAZY_POPPLER, poppler_document_get_n_pages)
#define poppler_document_get_page LAZYLIB_FN(LAZY_POPPLER, poppler_document_get_page)
#define poppler_document_new_from_bytes LAZYLIB_FN(LAZY_POPPLER, poppler_document_new_from_bytes)
#define poppler_error_quark LAZYLIB_FN(LAZY_POPPLER, poppler_error_quark)
#define poppler_page_get_size LAZYLIB_FN(LAZY_POPPLER, poppler_page_get_size)
#define poppler_page_render LAZYLIB_FN(LAZY_POPPLER, poppler_page_render)
#define poppler_page_render_for_printing LAZYLIB_FN(LAZY_POPPLER, poppler_page_render_for_printing)

#endif
