/* SPDX-License-Identifier: GPL-3.0-or-later */
/* "Now" for the CLI and the TUI alike. MOTCUA_NOW=YYYY-MM-DDTHH:MM fixes it
 * (tests, training, reproducing a case); otherwise the local wall clock. */
#ifndef MC_CLOCK_H
#define MC_CLOCK_H
#include <stdbool.h>

#include "core/datetime.h"

/* Returns 0, or -1 when MOTCUA_NOW is set but malformed (the caller says
 * so). */
int clock_now(struct mc_dt *out);
/* Whether MOTCUA_NOW fixes the clock. */
bool clock_is_fixed(void);

#endif
