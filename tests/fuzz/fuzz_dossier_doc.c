/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The dossier document (core/dossier_doc.h), as the server reads it from a
 * push and a workstation from the feed: decoded, checked as a new
 * reception, encoded and decoded again. A member "x_procedure" of the input
 * (ignored by the decoder, as any unknown member) is taken as the
 * procedure whose catalog makes the compact form: what compact_exact
 * shortens must expand back to the same document. */
#include "tests/fuzz/fuzz.h"

#include <jansson.h>

#include "core/dossier_doc.h"

static void roundtrip(const struct dossier_doc *d)
{
	json_t *enc = dossier_doc_encode(d);
	FUZZ_CHECK(enc);
	struct dossier_doc again;
	struct dossier_doc_error e;
	dossier_doc_init(&again);
	FUZZ_CHECK(!dossier_doc_decode(enc, &again, &e));
	FUZZ_CHECK(again.ncomponents == d->ncomponents && again.nevents == d->nevents);
	FUZZ_CHECK(again.status == d->status);
	dossier_doc_release(&again);
	json_decref(enc);
	if (d->event) {
		json_t *ev = dossier_doc_event_encode(d->event);
		FUZZ_CHECK(ev);
		json_decref(ev);
	}
}

static void compact(json_t *root)
{
	json_t *c = dossier_doc_compact_json(root);
	json_decref(c);
	size_t n = 0;
	struct dossier_doc_component *cat =
		dossier_doc_catalog(json_object_get(root, "x_procedure"), &n);
	json_t *exact = dossier_doc_compact_exact(root, cat, n);
	if (exact && exact != root) {
		size_t unknown = 0;
		json_t *whole = dossier_doc_expand_json(exact, cat, n, &unknown);
		FUZZ_CHECK(whole && unknown == 0);
		FUZZ_CHECK(json_equal(whole, root));
		json_decref(whole);
	}
	json_decref(exact);
	json_t *expanded = dossier_doc_expand_json(root, cat, n, NULL);
	json_decref(expanded);
	free(cat);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_error_t je;
	json_t *root = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &je);
	if (!root)
		return 0;
	struct dossier_doc d;
	struct dossier_doc_error e;
	dossier_doc_init(&d);
	if (!dossier_doc_decode(root, &d, &e)) {
		dossier_doc_check_new(&d, &e);
		roundtrip(&d);
	} else {
		FUZZ_CHECK(e.message[0]);
	}
	dossier_doc_release(&d);
	compact(root);
	json_decref(root);
	return 0;
}
