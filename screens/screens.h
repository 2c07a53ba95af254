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
/* The procedure catalog: fields, procedures, search. arg: unused. */
extern const struct screen_ops catalog_screen;
/* One procedure in full. arg: its code (const char *); refused (with an
 * error on the status line) when there is no such procedure. */
extern const struct screen_ops procedure_screen;

struct app;
/* Starts a reception with the procedure code preselected (from the catalog
 * and the procedure screens). Returns SCR_* flags. Until the reception
 * screen exists it only says so; then it pushes that screen with code. */
int catalog_start_reception(struct app *app, const char *code);
/* The reception wizard. arg: the code of a procedure to start with
 * (const char *, from catalog_start_reception), or NULL to choose it first. */
extern const struct screen_ops reception_screen;

#endif
