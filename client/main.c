/* motcua: the one-stop clerk client. Without a subcommand it opens the TUI;
 * with one it runs headless (JSON on stdout, see client/cli.h). */
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "client/cli.h"
#include "client/tui.h"

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

int main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	if (argc > 1 && argv[1][0] != '-') {
		for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
			if (!strcmp(argv[1], commands[i].name))
				return commands[i].run(argc - 1, argv + 1);
		fprintf(stderr, "motcua: không có lệnh '%s'\n", argv[1]);
		return usage(stderr);
	}
	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")))
		return usage(stdout);
	return tui_main(argc, argv);
}
