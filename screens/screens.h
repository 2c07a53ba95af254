/* The registry of screens: each screens/NAME.c defines one of these. */
#ifndef MC_SCREENS_H
#define MC_SCREENS_H
#include "client/screen.h"

/* Username and password. arg: the username to prefill (const char *), or
 * NULL for the last one that logged in here. */
extern const struct screen_ops login_screen;
/* Today's work and the menu. arg: unused. */
extern const struct screen_ops home_screen;
/* The key bindings of a screen, from the keymaps. arg: the screen_ops of the
 * screen it explains (const struct screen_ops *), or NULL for generic only. */
extern const struct screen_ops help_screen;
/* The reception wizard. arg: the code of a procedure to start with
 * (const char *, e.g. from the catalog), or NULL to choose it first. */
extern const struct screen_ops reception_screen;

#endif
