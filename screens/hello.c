/* A greeting: the scratch screen of docs/hacking.md's recipe. */
#include "client/tui/app.h"
#include "client/tui/term.h"
#include "screens/screens.h"

static void hello_draw(struct app *app, void *priv, WINDOW *win, const struct rect *body)
{
	(void)app;
	(void)priv;
	term_text(win, body->y + 1, body->x + 2, body->w - 4, "Xin chào");
}

static int hello_handle(struct app *app, void *priv, enum action act, const struct key_event *ev)
{
	(void)app;
	(void)priv;
	(void)ev;
	return act == ACTION_CONFIRM ? SCR_BACK : SCR_IGNORED;
}

static const enum action hello_hints[] = { ACTION_CONFIRM, ACTION_BACK, ACTION_NONE };

const struct screen_ops hello_screen = {
	.name = "hello",
	.title = "Xin chào",
	.keymap = "hello",
	.hints = hello_hints,
	.draw = hello_draw,
	.handle = hello_handle,
};
