/* SPDX-License-Identifier: GPL-3.0-or-later */
/* GLib and GObject, for poppler-glib's objects, through client/base/lazylib.h (loaded on first use).
 * Include after the library's headers; one line per function the client calls. */
#ifndef MC_LAZY_GLIB_H
#define MC_LAZY_GLIB_H
#include "client/base/lazylib.h"

#define g_bytes_new_static LAZYLIB_FN(LAZY_GLIB, g_bytes_new_static)
#define g_bytes_unref LAZYLIB_FN(LAZY_GLIB, g_bytes_unref)
#define g_clear_error LAZYLIB_FN(LAZY_GLIB, g_clear_error)
#define g_error_free LAZYLIB_FN(LAZY_GLIB, g_error_free)
#define g_log_remove_handler LAZYLIB_FN(LAZY_GLIB, g_log_remove_handler)
#define g_log_set_handler LAZYLIB_FN(LAZY_GLIB, g_log_set_handler)
#define g_object_unref LAZYLIB_FN(LAZY_GOBJECT, g_object_unref)

#endif
