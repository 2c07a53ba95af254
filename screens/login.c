/* Login: username and password (masked), Enter to log in. The last clerk who
 * logged in on this workstation is prefilled, so usually only the password is
 * typed. The two fields use a minimal private line editor (append and
 * Backspace), to be replaced by the shared text field widget. */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "client/app.h"
#include "core/text.h"
#include "screens/screens.h"

#define LINE_MAX_BYTES 128
#define BOX_W 52
#define BOX_H 8
#define FIELD_W 26

struct line {
	char buf[LINE_MAX_BYTES];
	size_t len;
};

struct login {
	struct line user, pass;
	int focus; /* 0 username, 1 password */
	bool no_clerks;
};

static void line_set(struct line *l, const char *s)
{
	size_t n = strlen(s);
	if (n >= LINE_MAX_BYTES)
		n = 0;
	memcpy(l->buf, s, n);
	l->buf[n] = '\0';
	l->len = n;
}

static void line_insert(struct line *l, wint_t c)
{
	char u[4];
	size_t n = mc_utf8_put((int32_t)c, u);
	if (l->len + n >= LINE_MAX_BYTES)
		return;
	memcpy(l->buf + l->len, u, n);
	l->len += n;
	l->buf[l->len] = '\0';
}

static void line_backspace(struct line *l)
{
	while (l->len > 0) {
		unsigned char c = (unsigned char)l->buf[--l->len];
		if ((c & 0xc0) != 0x80)
			break;
	}
	l->buf[l->len] = '\0';
}

static void line_wipe(struct line *l)
{
	sodium_memzero(l->buf, sizeof(l->buf));
	l->len = 0;
}

static int login_open(struct app *app, void *priv, const void *arg)
{
	struct login *s = priv;
	const char *user = arg;
	char *last = NULL;
	if (!user || !*user)
		user = last = store_get_setting(&app->store, "last_user");
	if (user)
		line_set(&s->user, user);
	free(last);
	s->focus = s->user.len ? 1 : 0;
	sqlite3_stmt *q = store_prepare(&app->store, "SELECT count(*) FROM clerks");
	s->no_clerks = sqlite3_step(q) == SQLITE_ROW && sqlite3_column_int(q, 0) == 0;
	sqlite3_finalize(q);
	return 0;
}

/* Draws a field of FIELD_W columns showing the end of text. Returns the
 * column after the text (where the cursor goes). */
static int draw_field(WINDOW *win, int y, int x, const char *text, bool focus)
{
	const char *shown = text;
	while (mc_text_width(shown) > FIELD_W - 1) {
		int32_t cp;
		shown += mc_utf8_next(shown, strlen(shown), &cp);
	}
	wattrset(win, term_style(focus ? STYLE_FOCUS : STYLE_FIELD));
	term_blank(win, y, x, FIELD_W);
	int w = term_text(win, y, x, FIELD_W, shown);
	wattrset(win, term_style(STYLE_NORMAL));
	return x + w;
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
	int ux = draw_field(win, box.y + 2, fx, s->user.buf, s->focus == 0);

	char stars[LINE_MAX_BYTES];
	size_t n = 0;
	for (size_t i = 0; i < s->pass.len && n < FIELD_W - 1; i++)
		if (((unsigned char)s->pass.buf[i] & 0xc0) != 0x80)
			stars[n++] = '*';
	stars[n] = '\0';
	int px = draw_field(win, box.y + 4, fx, stars, s->focus == 1);
	if (s->focus == 0)
		app_set_cursor(app, box.y + 2, ux);
	else
		app_set_cursor(app, box.y + 4, px);

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
static void normalize_user(struct line *l)
{
	size_t a = 0, b = l->len;
	while (a < b && l->buf[a] == ' ')
		a++;
	while (b > a && l->buf[b - 1] == ' ')
		b--;
	memmove(l->buf, l->buf + a, b - a);
	l->len = b - a;
	l->buf[l->len] = '\0';
	for (size_t i = 0; i < l->len; i++)
		if (l->buf[i] >= 'A' && l->buf[i] <= 'Z')
			l->buf[i] = (char)(l->buf[i] - 'A' + 'a');
}

static void try_login(struct app *app, struct login *s)
{
	normalize_user(&s->user);
	if (!s->user.len) {
		s->focus = 0;
		app_error(app, "Hãy nhập tên đăng nhập");
		return;
	}
	if (!s->pass.len) {
		s->focus = 1;
		app_error(app, "Hãy nhập mật khẩu");
		return;
	}
	struct clerk c;
	struct strbuf err = STRBUF_INIT;
	int rc = auth_check(&app->store, s->user.buf, s->pass.buf, &c, &err);
	line_wipe(&s->pass);
	if (rc) {
		s->focus = 1;
		app_error(app, "%s", err.buf);
	} else {
		store_set_setting(&app->store, "last_user", c.username);
		app_login(app, &c); /* replaces this screen */
	}
	strbuf_release(&err);
}

static int login_handle(struct app *app, void *priv, enum action act, const struct key_event *ev)
{
	struct login *s = priv;
	struct line *field = s->focus ? &s->pass : &s->user;
	wint_t c = key_event_char(ev);
	if (c) {
		line_insert(field, c);
		return SCR_HANDLED;
	}
	if (ev->key.fn && ev->key.ch == KEY_BACKSPACE) {
		line_backspace(field);
		return SCR_HANDLED;
	}
	switch (act) {
	case ACTION_NEXT_FIELD:
	case ACTION_PREV_FIELD:
	case ACTION_MOVE_UP:
	case ACTION_MOVE_DOWN:
		s->focus = !s->focus;
		return SCR_HANDLED;
	case ACTION_CONFIRM:
		if (s->focus == 0 && s->user.len && !s->pass.len)
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
	line_wipe(&s->pass);
}

static const enum action login_hints[] = { ACTION_CONFIRM, ACTION_NEXT_FIELD, ACTION_NONE };

const struct screen_ops login_screen = {
	.name = "login",
	.title = "Đăng nhập",
	.keymap = "login",
	.private_size = sizeof(struct login),
	.hints = login_hints,
	.open = login_open,
	.draw = login_draw,
	.handle = login_handle,
	.done = login_done,
};
