/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "client/base/datadir.h"

#include <stdlib.h>
#include <sys/stat.h>

#include "core/xalloc.h"

#ifdef MOTCUA_DATADIR
static int is_dir(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}
#endif

const char *datadir(void)
{
	const char *env = getenv("MOTCUA_DATA");
	if (env && *env)
		return env;
#ifdef MOTCUA_DATADIR
	if (is_dir(MOTCUA_DATADIR))
		return MOTCUA_DATADIR;
#endif
	return DATADIR_INSTALLED;
}

char *datadir_file(const char *name)
{
	return xasprintf("%s/%s", datadir(), name);
}
