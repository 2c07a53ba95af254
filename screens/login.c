/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Login: username and password (masked), Enter to log in. The username is
 * prefilled with the last clerk who logged in on this workstation, or else
 * with the only enabled clerk of the store; the focus then starts on the
 * password, so the clerk types only the password and Enter. Both are the
 * shared text field (client/tui/field.h); the password's buffer is wiped.
 *
 * On an encrypted store that is still locked (the program just started),
 * the password opens the store (app_unlock): the username is prefilled with
 * the only clerk who can open it. A store waiting for its first clerk is
 * encrypted at that clerk's login (app_encrypt_pending). */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "client/store/keyring.h"
#include "client/tui/app.h"
#include "client/tui/field.h"
#include "core/text.h"
#include "screens/screens.h"

#define USER_MAX 64   /* characters */
#define PASS_MAX 128
#define BOX_W 52
#define BOX_H 8
#define FIELD_W 26

struct login {
	struct field user, pass;
	int focus; /* 0 username, 1 password */
	bool no_clerks;
};

/* Zeroes the password's whole buffer, then empties the field. */
static void wipe(struct field *f)
{
	if (f->text.buf)
		sodium_memzero(f->text.buf, f->text.alloc);
	field_clear(f);
}

static int login_open(struct app *app, void *priv, const void *arg)
{
	struct login *s = priv;
	field_init(&s->user, USER_MAX, FIELD_NO_TELEX);
	field_init(&s->pass, PASS_MAX, FIELD_MASK);
	/* room for the longest password up front: the buffer never moves, so
	 * no copy of the password is left behind in freed memory by a resize */
	static const char room[PASS_MAX * 4 + 8];
	strbuf_add(&s->pass.text, room, sizeof(room));
	strbuf_reset(&s->pass.text);

	const char *user = arg;
	char *last = NULL, *only = NULL;
	if (app_locked(app)) {
		/* nothing of the store reads before a password opens it */
		char **users = keyring_users(app->store.path);
		if ((!user || !*user) && users && users[0] && !users[1])
			user = only = xstrdup(users[0]);
		keyring_users_free(users);
	} else {
		if (!user || !*user)
			user = last = store_get_setting(&app->store, "last_user");
		if (!user || !*user)
			user = only = auth_sole_clerk(&app->store);
	}
	if (user)
		field_set_text(&s->user, user);
	free(last);
	free(only);
	s->focus = field_empty(&s->user) ? 0 : 1;
	if (!app_locked(app))
		s->no_clerks = auth_clerk_count(&app->store) == 0;
	return 0;
}

/* Draws a field of FIELD_W columns; the cursor goes in it when focused. */
static void draw_field(struct app *app, WINDOW *win, int y, int x, struct field *f, bool focus)
{
	wattrset(win, term_style(focus ? STYLE_FOCUS : STYLE_FIELD));
	field_draw(f, win, y, x, FIELD_W, focus);
	wattrset(win, term_style(STYLE_NORMAL));
	if (focus)
		app_set_cursor(app, y, x + field_layout(f, FIELD_W));
}

static void draw_box(WINDOW *win, const struct rect *r, const char *title)
{
	wattrset(win, term_style(STYLE_NORMAL));
	mvwaddch(win, r->y, r->x, ACS_ULCORNER);
	mvwhline(win, r->y, r->x + 1, ACS_HLINE, r->w - 2);
	mvwaddch(win, r->y, r->x + r->w - 1, ACS_URCORNER);
	mvwvline(win, r->y + 1, r->x, ACS_VLINE, r->h - 2);
	mvwvline(win, r->y + 1, r->x + r->w - 1, ACS_VLINE, r->h - 2);
	mvwaddch(win, r->y + r->h - 1, r->x, ACS_LLCORNER);
	mvwhline(win, r->y + r->h - 1, r->x + 1, ACS_HLINE, r->w - 2);
	mvwaddch(win, r->y + r->h - 1, r->x + r->w - 1, ACS_LRCORNER);
	wattrset(win, term_style(STYLE_HEADER));
	term_text(win, r->y, r->x + 2, r->w - 4, title);
	wattrset(win, term_style(STYLE_NORMAL));
}

static void login_draw(struct app *app, void *priv, WINDOW *win, const struct rect *body)
{
	struct login *s = priv;
	struct rect box = rect_center(body, BOX_W, BOX_H);
	box.y = body->y + (body->h - BOX_H) / 3;

	wattrset(win, term_style(STYLE_HEADER));
	const char *unit = app->unit_name ? app->unit_name : "Bộ phận một cửa";
	int uw = mc_text_width(unit);
	term_text(win, box.y - 2, body->x + (body->w - uw) / 2, body->w, unit);
	wattrset(win, term_style(STYLE_NORMAL));

	draw_box(win, &box, " Đăng nhập ");
	int lx = box.x + 3, fx = box.x + 20;
	term_text(win, box.y + 2, lx, 16, "Tên đăng nhập:");
	term_text(win, box.y + 4, lx, 16, "Mật khẩu:");
	draw_field(app, win, box.y + 2, fx, &s->user, s->focus == 0);
	draw_field(app, win, box.y + 4, fx, &s->pass, s->focus == 1);

	if (s->no_clerks) {
		int y = box.y + box.h + 1;
		wattrset(win, term_style(STYLE_INFO));
		term_text(win, y, body->x + 2, body->w - 4,
			  "Chưa có tài khoản cán bộ nào. Người quản trị tạo tài khoản bằng lệnh:");
		wattrset(win, term_style(STYLE_NORMAL));
		term_text(win, y + 1, body->x + 4, body->w - 6,
			  "motcua clerk add TÊN --name \"Họ và tên\" --unit MÃ_ĐƠN_VỊ");
	}
}

/* "CanBo " -> "canbo": usernames are lower-case ASCII. */
static void normalize_user(struct field *f)
{
	const char *t = field_text(f);
	size_t a = strspn(t, " "), b = strlen(t);
	while (b > a && t[b - 1] == ' ')
		b--;
	char *u = xstrndup(t + a, b - a);
	for (char *c = u; *c; c++)
		if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c - 'A' + 'a');
	field_set_text(f, u);
	free(u);
}

static void try_login(struct app *app, struct login *s)
{
	normalize_user(&s->user);
	if (field_empty(&s->user)) {
		s->focus = 0;
		app_error(app, "Hãy nhập tên đăng nhập");
		return;
	}
	if (field_empty(&s->pass)) {
		s->focus = 1;
		app_error(app, "Hãy nhập mật khẩu");
		return;
	}
	struct clerk c;
	struct strbuf err = STRBUF_INIT;
	const char *user = field_text(&s->user), *pass = field_text(&s->pass);
	int rc = app_locked(app) ? app_unlock(app, user, pass, &c, &err)
				 : auth_check(&app->store, user, pass, &c, &err);
	if (!rc && app_encrypt_pending(app, user, pass, &err)) {
		clerk_release(&c);
		rc = AUTH_FAULT;
	}
	wipe(&s->pass);
	if (rc) {
		s->focus = 1;
		app_error(app, "%s", err.buf);
	} else {
		store_set_setting(&app->store, "last_user", c.username, NULL);
		app_login(app, &c); /* replaces this screen */
	}
	strbuf_release(&err);
}

static int login_handle(struct app *app, void *priv, enum action act, const struct key_event *ev)
{
	struct login *s = priv;
	struct field *field = s->focus ? &s->pass : &s->user;
	wint_t c = key_event_char(ev);
	if (c) {
		field_insert_char(field, c);
		return SCR_HANDLED;
	}
	if (field_edits(ev->edit)) {
		field_key(field, ev->edit, 0);
		return SCR_HANDLED;
	}
	switch (ev->edit) {
	case ACTION_NEXT_FIELD:
	case ACTION_PREV_FIELD:
	case ACTION_MOVE_UP:
	case ACTION_MOVE_DOWN:
		s->focus = !s->focus;
		return SCR_HANDLED;
	case ACTION_CONFIRM:
		if (s->focus == 0 && !field_empty(&s->user) && field_empty(&s->pass))
			s->focus = 1;
		else
			try_login(app, s);
		return SCR_HANDLED;
	case ACTION_TOGGLE_TELEX:
		app_info(app, "Ô đăng nhập không dùng Telex: hãy gõ đúng như khi tạo mật khẩu");
		return SCR_HANDLED;
	default:
		return SCR_IGNORED;
	}
}

static void login_done(struct app *app, void *priv)
{
	struct login *s = priv;
	(void)app;
	wipe(&s->pass);
	field_release(&s->pass);
	field_release(&s->user);
}

static const enum action login_hints[] = { ACTION_CONFIRM, ACTION_NEXT_FIELD, ACTION_NONE };

const struct screen_ops login_screen = {
	.name = "login",
	.title = "Đăng nhập",
	.keymap = "login",
	.fields = true,
	.private_size = sizeof(struct login),
	.hints = login_hints,
	.open = login_open,
	.draw = login_draw,
	.handle = login_handle,
	.done = login_done,
};
