/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "client/base/clock.h"

#include <stdlib.h>
#include <time.h>

bool clock_is_fixed(void)
{
	const char *s = getenv("MOTCUA_NOW");
	return s && *s;
}

int clock_now(struct mc_dt *out)
{
	const char *s = getenv("MOTCUA_NOW");
	if (s && *s)
		return mc_parse_dt(s, out);
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	out->y = tm.tm_year + 1900;
	out->m = tm.tm_mon + 1;
	out->d = tm.tm_mday;
	out->hh = tm.tm_hour;
	out->mi = tm.tm_min;
	return 0;
}
