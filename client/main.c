/* SPDX-License-Identifier: GPL-3.0-or-later */
/* motcua: the one-stop clerk client. Without a subcommand it opens the TUI;
 * with one it runs headless (JSON on stdout, see client/cli/cli.h). */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "client/base/clock.h"
#include "client/cli/cli.h"
#include "client/store/store.h"
#include "client/tui/app.h"
#include "core/version.h"
#include "screens/screens.h"

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *help;
};

#define CLI_ENTRY(n, fn, h) { #n, fn, h },
static const struct command commands[] = { CLI_COMMANDS(CLI_ENTRY) };
#undef CLI_ENTRY

static int usage(FILE *out)
{
	fputs("Cách dùng: motcua [--db PATH]            mở giao diện một cửa\n"
	      "           motcua LỆNH [tùy chọn]         chạy không giao diện (JSON)\n\nCác lệnh:\n",
	      out);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].help);
	return out == stdout ? CLI_OK : CLI_BADINPUT;
}

/* The one table that wires screen-opening actions to screens. */
static const struct app_opener openers[] = {
	{ ACTION_OPEN_RECEPTION, &reception_screen },
	{ ACTION_OPEN_CATALOG, &catalog_screen },
	{ ACTION_OPEN_DOSSIERS, &dossiers_screen },
	{ ACTION_OPEN_SYNC, &syncissues_screen },
	{ ACTION_OPEN_SUPERVISOR, &supervisor_screen },
	{ ACTION_OPEN_ONLINE, &online_screen },
	{ ACTION_OPEN_SETTINGS, &settings_screen },
};

static const struct app_screens screens = {
	.login = &login_screen,
	.home = &home_screen,
	.help = &help_screen,
	.openers = openers,
	.nopeners = sizeof(openers) / sizeof(openers[0]),
};

static const char tui_usage[] = "cách dùng: motcua [--db ĐƯỜNG_DẪN] [--user TÊN]";

static int parse_args(int argc, char **argv, const char **db, const char **user)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char **slot = NULL;
		size_t n = 0;
		if (!strncmp(a, "--db", 4)) {
			slot = db;
			n = 4;
		} else if (!strncmp(a, "--user", 6)) {
			slot = user;
			n = 6;
		}
		if (slot && a[n] == '=') {
			*slot = a + n + 1;
		} else if (slot && !a[n]) {
			if (i + 1 >= argc)
				return cli_bad("thiếu giá trị cho %s\n%s", a, tui_usage);
			*slot = argv[++i];
		} else {
			return cli_bad("tùy chọn không hợp lệ '%s'\n%s", a, tui_usage);
		}
	}
	return CLI_OK;
}

/* `motcua [--db PATH] [--user NAME]`: the TUI. */
static int tui_main(int argc, char **argv)
{
	const char *db = NULL, *user = NULL;
	int rc = parse_args(argc, argv, &db, &user);
	if (rc)
		return rc;
	struct mc_dt now;
	if (clock_now(&now))
		return cli_bad("MOTCUA_NOW '%s' không hợp lệ (cần dạng YYYY-MM-DDTHH:MM)",
			       getenv("MOTCUA_NOW"));
	char *path = cli_db_path(db);
	rc = app_main(&screens, path, user);
	free(path);
	return rc;
}

int main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	/* Every file the program makes (the store, its -wal and -shm, papers,
	 * scans, receipts, forms) is its owner's only, from the start. */
	umask(077);
	if (argc > 1 && argv[1][0] != '-') {
		store_set_unlock_hook(cli_unlock_store);
		for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
			if (!strcmp(argv[1], commands[i].name))
				return cli_exit(commands[i].run(argc - 1, argv + 1));
		fprintf(stderr, "motcua: không có lệnh '%s'\n", argv[1]);
		return usage(stderr);
	}
	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")))
		return usage(stdout);
	if (argc == 2 && !strcmp(argv[1], "--version"))
		return puts("motcua " MOTCUA_VERSION) == EOF ? CLI_FAULT : CLI_OK;
	return tui_main(argc, argv);
}
