/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Where the reference data files (provinces, communes, merges, procedures) are
 * at run time: $MOTCUA_DATA when set, else the folder compiled in as
 * MOTCUA_DATADIR (the Makefile points the build tree's program at the
 * project's data/) when it exists, else DATADIR_INSTALLED, $(DATADIR) of
 * `make install` (PREFIX/share/motcua), the only one the installed program
 * knows. */
#ifndef MC_DATADIR_H
#define MC_DATADIR_H

#ifndef DATADIR_INSTALLED /* the Makefile sets it for the installed program */
#define DATADIR_INSTALLED "/usr/local/share/motcua"
#endif

/* The folder; a static string or the environment's, never freed. */
const char *datadir(void);
/* "<datadir>/<name>", malloc'd. */
char *datadir_file(const char *name);

#endif
