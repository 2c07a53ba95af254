/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libcurl through client/base/lazylib.h (loaded on first use).
 * Include after the library's headers; one line per function the client calls. */
#ifndef MC_LAZY_CURL_H
#define MC_LAZY_CURL_H
#include "client/base/lazylib.h"

#define curl_easy_cleanup LAZYLIB_FN(LAZY_CURL, curl_easy_cleanup)
#undef curl_easy_getinfo /* curl.h's type-checking macro (gcc) */
#define curl_easy_getinfo LAZYLIB_FN(LAZY_CURL, curl_easy_getinfo)
#define curl_easy_init LAZYLIB_FN(LAZY_CURL, curl_easy_init)
#define curl_easy_perform LAZYLIB_FN(LAZY_CURL, curl_easy_perform)
#define curl_easy_reset LAZYLIB_FN(LAZY_CURL, curl_easy_reset)
#undef curl_easy_setopt /* curl.h's type-checking macro (gcc) */
#define curl_easy_setopt LAZYLIB_FN(LAZY_CURL, curl_easy_setopt)
#define curl_free LAZYLIB_FN(LAZY_CURL, curl_free)
#define curl_global_init LAZYLIB_FN(LAZY_CURL, curl_global_init)
#define curl_slist_append LAZYLIB_FN(LAZY_CURL, curl_slist_append)
#define curl_slist_free_all LAZYLIB_FN(LAZY_CURL, curl_slist_free_all)
#define curl_url LAZYLIB_FN(LAZY_CURL, curl_url)
#define curl_url_cleanup LAZYLIB_FN(LAZY_CURL, curl_url_cleanup)
#define curl_url_get LAZYLIB_FN(LAZY_CURL, curl_url_get)
#define curl_url_set LAZYLIB_FN(LAZY_CURL, curl_url_set)

#endif
