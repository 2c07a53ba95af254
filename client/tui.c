/* Placeholder until the TUI framework lands (issue 2); replaced by client/app.c. */
#include <stdio.h>
#include "client/tui.h"
int tui_main(int argc, char **argv)
{
	fputs("motcua: giao diện chưa sẵn sàng\n", stderr);
	return 1;
}
