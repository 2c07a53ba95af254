/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The CSV of the reference data (data/NAME.csv, client/store/import.c): one
 * line, comma-separated, a field in double quotes when it holds a comma
 * ("" inside for one quote). Pure code, no I/O. */
#ifndef MC_CSV_H
#define MC_CSV_H

/* Splits line in place into at most max fields, pointers into line stored
 * in f (max entries); returns the count, or max + 1 when there are more. */
int mc_csv_split(char *line, char **f, int max);

#endif
