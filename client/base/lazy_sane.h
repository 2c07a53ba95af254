/* SPDX-License-Identifier: GPL-3.0-or-later */
/* SANE through client/base/lazylib.h (loaded on first use).
 * Include after the library's headers; one line per function the client calls. */
#ifndef MC_LAZY_SANE_H
#define MC_LAZY_SANE_H
#include "client/base/lazylib.h"

#define sane_cancel LAZYLIB_FN(LAZY_SANE, sane_cancel)
#define sane_close LAZYLIB_FN(LAZY_SANE, sane_close)
#define sane_control_option LAZYLIB_FN(LAZY_SANE, sane_control_option)
#define sane_exit LAZYLIB_FN(LAZY_SANE, sane_exit)
#define sane_get_devices LAZYLIB_FN(LAZY_SANE, sane_get_devices)
#define sane_get_option_descriptor LAZYLIB_FN(LAZY_SANE, sane_get_option_descriptor)
#define sane_get_parameters LAZYLIB_FN(LAZY_SANE, sane_get_parameters)
#define sane_init LAZYLIB_FN(LAZY_SANE, sane_init)
#define sane_open LAZYLIB_FN(LAZY_SANE, sane_open)
#define sane_read LAZYLIB_FN(LAZY_SANE, sane_read)
#define sane_start LAZYLIB_FN(LAZY_SANE, sane_start)
#define sane_strstatus LAZYLIB_FN(LAZY_SANE, sane_strstatus)

#endif
