/* Where the reference data files (provinces, communes, merges, procedures) are
 * at run time: $MOTCUA_DATA when set, else the folder compiled in as
 * MOTCUA_DATADIR (the Makefile points it at the project's data/) when it
 * exists, else /usr/local/share/motcua (what `make install` fills). */
#ifndef MC_DATADIR_H
#define MC_DATADIR_H

#define DATADIR_INSTALLED "/usr/local/share/motcua"

/* The folder; a static string or the environment's, never freed. */
const char *datadir(void);
/* "<datadir>/<name>", malloc'd. */
char *datadir_file(const char *name);

#endif
