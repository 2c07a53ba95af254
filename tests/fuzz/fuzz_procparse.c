/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The importer of the procedure catalog (core/procparse.h), as
 * client/store/import.c feeds it data/procedures.jsonl: each line that is
 * valid UTF-8, in NFC, parsed into a procedure; its free-text pieces
 * (channels, components, legal documents) parsed again from the input as
 * raw text, as the catalog's review does with edited text. */
#include "tests/fuzz/fuzz.h"

#include "core/procparse.h"
#include "core/text.h"

/* What the importer stores (and the catalog screens show) is text. */
static void is_text(const char *s)
{
	FUZZ_CHECK(!s || mc_text_valid(s));
}

static void check(const struct mc_procedure *p)
{
	FUZZ_CHECK(p->code && p->name);
	const char *fields[] = { p->code, p->name, p->field, p->level, p->kind, p->decision,
				 p->applicants, p->agency, p->steps, p->conditions, p->result,
				 p->url, p->legal_text, p->time_text, p->fee_text, p->notes.buf };
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		is_text(fields[i]);
	for (size_t i = 0; i < p->ncomponents; i++) {
		const struct mc_component *c = &p->components[i];
		FUZZ_CHECK(c->name);
		is_text(c->grp);
		is_text(c->name);
		is_text(c->form);
		is_text(c->raw);
	}
	for (size_t i = 0; i < p->nchannels; i++) {
		FUZZ_CHECK(p->channels[i].channel);
		is_text(p->channels[i].time_text);
		is_text(p->channels[i].fee_text);
		is_text(p->channels[i].description);
	}
	for (size_t i = 0; i < p->nlegal; i++) {
		is_text(p->legal[i].name);
		is_text(p->legal[i].number);
	}
	FUZZ_CHECK(!p->time_unit || p->time_value == p->time_value); /* not NaN */
}

static void line(const char *s)
{
	if (!mc_text_valid(s))
		return;
	char *nfc = mc_text_nfc(s);
	struct mc_procedure p;
	struct strbuf err = STRBUF_INIT;
	mc_procedure_init(&p);
	if (!mc_procedure_parse(nfc, &p, &err)) {
		check(&p);
		mc_procedure_release(&p);
	} else {
		FUZZ_CHECK(err.len);
	}
	strbuf_release(&err);
	free(nfc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_string(data, size);
	char *save = NULL;
	char *copy = xstrdup(text);
	for (char *l = strtok_r(copy, "\r\n", &save); l; l = strtok_r(NULL, "\r\n", &save))
		line(l);
	free(copy);
	if (mc_text_valid(text)) {
		struct mc_procedure p;
		mc_procedure_init(&p);
		mc_parse_channels(&p, text, text);
		mc_parse_components(&p, text);
		mc_parse_legal(&p, text);
		p.code = xstrdup("x");
		p.name = xstrdup("x");
		check(&p);
		mc_component_mandatory(NULL, text);
		mc_component_kind_of(text, text);
		mc_procedure_release(&p);
	}
	if (mc_text_valid(text)) {
		char *clean = mc_clean_text(text, strlen(text));
		FUZZ_CHECK(mc_text_valid(clean));
		free(clean);
	}
	free(text);
	return 0;
}
