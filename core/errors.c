/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "core/errors.h"

#include <string.h>

struct err_row {
	const char *wire;
	int status;
	const char *text;
};

#define MC_ERR_ROW(name, wire, status, text) [name] = { wire, status, text },
static const struct err_row rows[MC_ERR_COUNT] = {
	[MC_ERR_NONE] = { "", 0, "" },
	MC_ERRORS(MC_ERR_ROW)
	[MC_ERR_UNKNOWN] = { "unknown", 0, "Lỗi không rõ" },
};
#undef MC_ERR_ROW

static const struct err_row *row(enum mc_err e)
{
	return &rows[(unsigned)e < MC_ERR_COUNT ? e : MC_ERR_UNKNOWN];
}

const char *mc_err_wire(enum mc_err e)
{
	return row(e)->wire;
}

int mc_err_status(enum mc_err e)
{
	return row(e)->status;
}

const char *mc_err_text(enum mc_err e)
{
	return row(e)->text;
}

bool mc_err_conflict(enum mc_err e)
{
	return row(e)->status == 409;
}

enum mc_err mc_err_from_wire(const char *wire)
{
	if (!wire || !*wire)
		return MC_ERR_NONE;
	for (int e = MC_ERR_NONE + 1; e < MC_ERR_UNKNOWN; e++)
		if (!strcmp(wire, rows[e].wire))
			return (enum mc_err)e;
	return MC_ERR_UNKNOWN;
}
