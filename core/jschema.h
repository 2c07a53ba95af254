/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A small JSON Schema validator for the subset the portal's messages use
 * (docs/portal/NAME.schema.json, docs/portal.md): shared by motcua-server (the
 * online dossiers it fetches, the messages it publishes) and the stand-in
 * portal of the tests (tests/portal/standin.c), so that both read the same
 * documents the same way. Pure code (Jansson, POSIX regex), no I/O.
 *
 * Keywords understood: type (a name or a list: object, array, string,
 * integer, number, boolean, null), properties, required,
 * additionalProperties (true/false), items, enum, const, pattern (POSIX
 * extended regular expressions: write patterns in the part of the ECMA
 * syntax they share, e.g. ^[0-9]{14}$), minLength/maxLength (characters of
 * UTF-8 text), minimum/maximum, minItems/maxItems, allOf, if/then/else and
 * $ref to "#/$defs/NAME" (or "#/definitions/NAME"). Annotations ($schema,
 * $id, title, description, $comment, examples, default, format) are read as
 * documentation only. Any other keyword is an error of the schema
 * (mc_jschema_check), so a document never seems to say more than is
 * checked. */
#ifndef MC_JSCHEMA_H
#define MC_JSCHEMA_H
#include <stdbool.h>

#include <jansson.h>

#include "core/xalloc.h"

/* Whether schema uses only the keywords above, correctly typed, with
 * patterns that compile and $refs that resolve. Returns 0, or -1 with a
 * message (where and what) in err. */
int mc_jschema_check(const json_t *schema, struct strbuf *err);

/* Validates v against schema (root is the document $refs resolve in; NULL:
 * schema itself). Returns 0, or -1 with the first errors (at most a few,
 * each "path: Vietnamese message", separated by "; ") in err. */
int mc_jschema_validate(const json_t *schema, const json_t *root, const json_t *v,
			struct strbuf *err);

#endif
