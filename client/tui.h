/* The clerk's terminal UI. */
#ifndef MC_TUI_H
#define MC_TUI_H
/* Runs the TUI: `motcua [--db PATH]`. Returns the process exit status. */
int tui_main(int argc, char **argv);
#endif
