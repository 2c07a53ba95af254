/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The exit statuses of the program, for the CLI and the TUI alike. */
#ifndef MC_EXITCODE_H
#define MC_EXITCODE_H

enum mc_exit {
	MC_EXIT_OK = 0,
	MC_EXIT_FAULT = 1,   /* the environment failed: disk, permissions, lock, a corrupt store */
	MC_EXIT_BADINPUT = 2 /* the user's input was refused; nothing changed */
};

#endif
