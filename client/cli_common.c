#include "client/cli.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/xalloc.h"
#include "client/version.h"

static void vmsg(const char *fmt, va_list ap)
{
	fputs("motcua: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

int cli_bad(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
	return CLI_BADINPUT;
}

int cli_fault(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
	return CLI_FAULT;
}

char *cli_db_path(const char *opt)
{
	if (opt && *opt)
		return xstrdup(opt);
	const char *env = getenv("MOTCUA_DB");
	if (env && *env)
		return xstrdup(env);
	const char *xdg = getenv("XDG_DATA_HOME");
	if (xdg && *xdg)
		return xasprintf("%s/motcua/motcua.db", xdg);
	const char *home = getenv("HOME");
	return xasprintf("%s/.local/share/motcua/motcua.db", home ? home : ".");
}

int cli_version(int argc, char **argv)
{
	printf("{\"version\": \"%s\"}\n", MOTCUA_VERSION);
	return CLI_OK;
}
