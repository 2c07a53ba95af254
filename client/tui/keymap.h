/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Keys and keymaps (tig's keymap language, see docs/keymap.md).
 *
 *   bind KEYMAP KEY ACTION      # comment
 *
 * The defaults are written in that language (keymaps/default.keys, compiled
 * in) and the user's file ($XDG_CONFIG_HOME/motcua/keys) is read after them by
 * the same parser, so a user line replaces a default binding of the same key.
 * A bad line adds a warning "file:line: message" (Vietnamese) and loading goes
 * on. Lookup falls back from a screen's keymap to the generic one. No curses
 * state is touched here (the KEY_* codes are only constants). */
#ifndef MC_KEYMAP_H
#define MC_KEYMAP_H
#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

#include "client/tui/actions.h"

/* Every keymap, declared once: generic, field (the keys that edit a text
 * field, on every screen) and one per screen. */
#define KEYMAPS(X) \
	X(GENERIC,    "generic") \
	X(FIELD,      "field") \
	X(LOGIN,      "login") \
	X(HOME,       "home") \
	X(HELP,       "help") \
	X(CATALOG,    "catalog") \
	X(RECEPTION,  "reception") \
	X(DOSSIERS,   "dossiers") \
	X(DETAIL,     "detail") \
	X(SCAN,       "scan") \
	X(SYNC,       "sync") \
	X(SUPERVISOR, "supervisor") \
	X(SUPERQUEUE, "superqueue") \
	X(ONLINE,     "online") \
	X(SETTINGS,   "settings")

enum keymap_id {
#define KEYMAP_ENUM(id, name) KEYMAP_##id,
	KEYMAPS(KEYMAP_ENUM)
#undef KEYMAP_ENUM
	KEYMAP__COUNT
};

/* "generic", "home", ...; NULL when out of range. */
const char *keymap_name(enum keymap_id id);
/* The keymap called name; -1 when there is none. */
int keymap_from_name(const char *name);

/* One key press, normalised: either a character (fn false, ch a code point,
 * control keys included: <C-a> is 1, <Tab> 9, <Esc> 27) or a curses function
 * key (fn true, ch a KEY_* code: KEY_F(1), KEY_UP, KEY_ENTER, KEY_BTAB...).
 * Enter (\r, \n, KEY_ENTER) is always KEY_ENTER; Backspace (127, 8,
 * KEY_BACKSPACE) always KEY_BACKSPACE. */
struct key {
	wint_t ch;
	bool fn;
};

/* Brings a raw key from get_wch into the normal form above. */
void key_normalize(struct key *k);
/* Parses a key name: "<F1>", "<C-t>", "<Enter>", "q", "đ" (one character;
 * a decomposed character is composed first). Names in <> ignore case.
 * Returns 0, or -1 when the name means no key. */
int key_parse(const char *name, struct key *out);
/* The key's name in the keymap language ("<F1>", "<C-t>", "q") into buf. */
void key_format(const struct key *k, char *buf, size_t n);
/* The short label for the hint line: "F1", "C-t", "Enter", "q". */
void key_label(const struct key *k, char *buf, size_t n);

struct binding {
	struct key key;
	enum action action; /* ACTION_NONE: unbound here, generic hidden */
};

struct keymap {
	struct binding *bindings[KEYMAP__COUNT]; /* one per key, in binding order */
	size_t count[KEYMAP__COUNT], alloc[KEYMAP__COUNT];
	char **warnings; /* "file:line: message", oldest first */
	size_t nwarnings, warnings_alloc;
};

void keymap_init(struct keymap *km);
void keymap_release(struct keymap *km);

/* Binds key to action in keymap id, replacing an earlier binding of the key. */
void keymap_bind(struct keymap *km, enum keymap_id id, const struct key *k, enum action a);
/* Parses text in the keymap language; source names it in warnings. Returns
 * the number of warnings added. */
int keymap_load_string(struct keymap *km, const char *text, const char *source);
/* Loads a file, named shown in warnings (NULL: path). A missing file is
 * fine (returns 0); an unreadable one adds a warning. Returns the number of
 * warnings added. */
int keymap_load_file(struct keymap *km, const char *path, const char *shown);
/* The compiled-in defaults (keymaps/default.keys). */
int keymap_load_defaults(struct keymap *km);
/* $XDG_CONFIG_HOME/motcua/keys, else ~/.config/motcua/keys (malloc'd). */
char *keymap_user_path(void);
/* path with $HOME written as "~" (malloc'd), for messages. */
char *keymap_shown_path(const char *path);

/* The action bound to k in keymap id, else in generic; ACTION_NONE if none. */
enum action keymap_lookup(const struct keymap *km, enum keymap_id id, const struct key *k);
/* The action of k while a text field on a screen using keymap id has the
 * cursor: bound in the field keymap, else as keymap_lookup gives it. */
enum action keymap_lookup_field(const struct keymap *km, enum keymap_id id, const struct key *k);
/* The first key that triggers action a on a screen using keymap id (its own
 * bindings first, then the generic ones it does not hide). */
bool keymap_key_for(const struct keymap *km, enum keymap_id id, enum action a, struct key *out);

/* The built-in keymap text (generated from keymaps/default.keys). */
extern const char motcua_default_keys[];

#endif
