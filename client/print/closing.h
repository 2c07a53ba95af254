/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The end-of-day closing report (báo cáo cuối ngày) printed: per unit and
 * clerk, the dossiers received on the day and their fees (collected with the
 * amount, exempt, to be paid later with the amount, not recorded), and the
 * totals (client/store/fees.h loads them). An A4 portrait PDF the clerk signs
 * and hands over, or a CSV with the same columns. */
#ifndef MC_CLOSING_H
#define MC_CLOSING_H
#include "client/store/fees.h"
#include "client/store/forms_query.h"
#include "core/xalloc.h"

/* PDF: the unit's header (u), the title and day, the table with a total row,
 * the signatures. CSV: UTF-8 with a BOM, a header row, comma-separated,
 * every field quoted, CRLF, amounts as plain integers of đồng, a last row
 * "Tổng cộng". Both written atomically (path.tmp, fsync, rename). Return 0,
 * or -1 with a Vietnamese message and path untouched. */
int closing_write_pdf(const struct closing *c, const struct form_unit *u, const char *path,
		      struct strbuf *err);
int closing_write_csv(const struct closing *c, const char *path, struct strbuf *err);

#endif
