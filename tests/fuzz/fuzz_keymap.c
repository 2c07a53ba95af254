/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The keymap language (client/tui/keymap.h): a user's ~/.config/motcua/keys
 * loaded over the defaults; then every binding made is formatted and parsed
 * back to the same key, and looked up. */
#include "tests/fuzz/fuzz.h"

#include "client/tui/keymap.h"
#include "core/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_string(data, size);
	struct keymap km;
	keymap_init(&km);
	int warned = keymap_load_string(&km, text, "keys");
	/* every warning counted, and text the screen can show */
	FUZZ_CHECK(warned >= 0 && (size_t)warned == km.nwarnings);
	for (size_t i = 0; i < km.nwarnings; i++)
		FUZZ_CHECK(mc_text_valid(km.warnings[i]));
	for (int id = 0; id < KEYMAP__COUNT; id++) {
		for (size_t i = 0; i < km.count[id]; i++) {
			const struct binding *b = &km.bindings[id][i];
			char name[64], label[64];
			key_format(&b->key, name, sizeof(name));
			key_label(&b->key, label, sizeof(label));
			struct key back;
			FUZZ_CHECK(!key_parse(name, &back));
			FUZZ_CHECK(keymap_lookup(&km, (enum keymap_id)id, &back) == b->action ||
				   b->action == ACTION_NONE);
			keymap_lookup_field(&km, (enum keymap_id)id, &b->key);
		}
	}
	/* each line's first word as a key name */
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		struct key k;
		char *sp = strpbrk(line, " \t");
		if (sp)
			*sp = '\0';
		if (!key_parse(line, &k)) {
			char name[64];
			key_format(&k, name, sizeof(name));
		}
	}
	keymap_release(&km);
	free(text);
	return 0;
}
