/* Printing through CUPS: `lp -d PRINTER -- FILE`. The printer name comes from
 * the store setting "printer"; an empty setting means no printing, and the
 * caller does not call print_pdf at all. */
#ifndef MC_PRINT_H
#define MC_PRINT_H
#include "core/xalloc.h"

/* Sends path to printer with lp (fork + execvp, no shell; lp's own output is
 * discarded). Returns 0 once lp accepted the job, or -1 with a Vietnamese
 * message in err: bad printer name, lp not installed, lp refused (its error
 * is quoted). */
int print_pdf(const char *printer, const char *path, struct strbuf *err);

#endif
