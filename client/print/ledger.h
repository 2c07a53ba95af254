/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The ledger (sổ theo dõi hồ sơ, form 06) printed: the rows that
 * client/store/ledger_query.h loads, as an A4 landscape PDF (the table's
 * header repeated on every page) or a CSV with the same columns. */
#ifndef MC_LEDGER_H
#define MC_LEDGER_H
#include <stddef.h>

#include "client/print/forms.h"
#include "client/store/ledger_query.h"

/* A4 landscape PDF / CSV (UTF-8 with a BOM, comma-separated, every field
 * quoted, CRLF), written atomically (path.tmp, fsync, rename). Return 0, or
 * -1 with a Vietnamese message and path untouched. */
int ledger_write_pdf(const struct ledger *lg, const char *path, struct strbuf *err);
int ledger_write_csv(const struct ledger *lg, const char *path, struct strbuf *err);

#endif
