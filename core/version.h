/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef MC_VERSION_H
#define MC_VERSION_H
#define MOTCUA_VERSION "0.1.0"
#endif
