/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libjpeg through client/base/lazylib.h (loaded on first use).
 * Include after the library's headers; one line per function the client calls. */
#ifndef MC_LAZY_JPEG_H
#define MC_LAZY_JPEG_H
#include "client/base/lazylib.h"

#define jpeg_CreateCompress LAZYLIB_FN(LAZY_JPEG, jpeg_CreateCompress)
#define jpeg_CreateDecompress LAZYLIB_FN(LAZY_JPEG, jpeg_CreateDecompress)
#define jpeg_destroy_compress LAZYLIB_FN(LAZY_JPEG, jpeg_destroy_compress)
#define jpeg_destroy_decompress LAZYLIB_FN(LAZY_JPEG, jpeg_destroy_decompress)
#define jpeg_finish_compress LAZYLIB_FN(LAZY_JPEG, jpeg_finish_compress)
#define jpeg_finish_decompress LAZYLIB_FN(LAZY_JPEG, jpeg_finish_decompress)
#define jpeg_mem_dest LAZYLIB_FN(LAZY_JPEG, jpeg_mem_dest)
#define jpeg_mem_src LAZYLIB_FN(LAZY_JPEG, jpeg_mem_src)
#define jpeg_read_header LAZYLIB_FN(LAZY_JPEG, jpeg_read_header)
#define jpeg_read_scanlines LAZYLIB_FN(LAZY_JPEG, jpeg_read_scanlines)
#define jpeg_set_defaults LAZYLIB_FN(LAZY_JPEG, jpeg_set_defaults)
#define jpeg_set_quality LAZYLIB_FN(LAZY_JPEG, jpeg_set_quality)
#define jpeg_start_compress LAZYLIB_FN(LAZY_JPEG, jpeg_start_compress)
#define jpeg_start_decompress LAZYLIB_FN(LAZY_JPEG, jpeg_start_decompress)
#define jpeg_std_error LAZYLIB_FN(LAZY_JPEG, jpeg_std_error)
#define jpeg_write_scanlines LAZYLIB_FN(LAZY_JPEG, jpeg_write_scanlines)

#endif
