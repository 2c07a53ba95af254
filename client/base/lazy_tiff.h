/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libtiff through client/base/lazylib.h (loaded on first use).
 * Include after the library's headers; one line per function the client calls. */
#ifndef MC_LAZY_TIFF_H
#define MC_LAZY_TIFF_H
#include "client/base/lazylib.h"

#define TIFFClientOpenExt LAZYLIB_FN(LAZY_TIFF, TIFFClientOpenExt)
#define TIFFClose LAZYLIB_FN(LAZY_TIFF, TIFFClose)
#define TIFFGetField LAZYLIB_FN(LAZY_TIFF, TIFFGetField)
#define TIFFGetFieldDefaulted LAZYLIB_FN(LAZY_TIFF, TIFFGetFieldDefaulted)
#define TIFFOpenOptionsAlloc LAZYLIB_FN(LAZY_TIFF, TIFFOpenOptionsAlloc)
#define TIFFOpenOptionsFree LAZYLIB_FN(LAZY_TIFF, TIFFOpenOptionsFree)
#define TIFFOpenOptionsSetErrorHandlerExtR LAZYLIB_FN(LAZY_TIFF, TIFFOpenOptionsSetErrorHandlerExtR)
#define TIFFOpenOptionsSetWarningHandlerExtR LAZYLIB_FN(LAZY_TIFF, TIFFOpenOptionsSetWarningHandlerExtR)
#define TIFFRawStripSize LAZYLIB_FN(LAZY_TIFF, TIFFRawStripSize)
#define TIFFReadDirectory LAZYLIB_FN(LAZY_TIFF, TIFFReadDirectory)
#define TIFFReadRGBAImageOriented LAZYLIB_FN(LAZY_TIFF, TIFFReadRGBAImageOriented)
#define TIFFReadRawStrip LAZYLIB_FN(LAZY_TIFF, TIFFReadRawStrip)
#define TIFFSetField LAZYLIB_FN(LAZY_TIFF, TIFFSetField)
#define TIFFWriteDirectory LAZYLIB_FN(LAZY_TIFF, TIFFWriteDirectory)
#define TIFFWriteScanline LAZYLIB_FN(LAZY_TIFF, TIFFWriteScanline)

#endif
