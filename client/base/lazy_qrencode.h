/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libqrencode through client/base/lazylib.h (loaded on first use).
 * Include after the library's headers; one line per function the client calls. */
#ifndef MC_LAZY_QRENCODE_H
#define MC_LAZY_QRENCODE_H
#include "client/base/lazylib.h"

#define QRcode_encodeString8bit LAZYLIB_FN(LAZY_QRENCODE, QRcode_encodeString8bit)
#define QRcode_free LAZYLIB_FN(LAZY_QRENCODE, QRcode_free)

#endif
