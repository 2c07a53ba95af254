/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The dossier document's JSON: see dossier_doc.h. One table of members per
 * object (dossier, applicant, component, event) drives the decoder and the
 * encoder alike, in the order the members are written. */
#include "core/dossier_doc.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/datetime.h"
#include "core/dcode.h"
#include "core/fee.h"
#include "core/idnum.h"
#include "core/lifecycle.h"
#include "core/syncproto.h"
#include "core/xalloc.h"

enum type {
	T_STR,        /* const char * */
	T_INT,        /* int */
	T_LL,         /* long long */
	T_BOOL,       /* bool: true/false, or an integer (0 is false) */
	T_OBJECT,     /* const json_t *: an object */
	T_APPLICANT,  /* the dossier's applicant */
	T_FEE,        /* the dossier's fee */
	T_PARTY,      /* struct dossier_doc_party: a representative, a second party */
	T_COMPONENTS, /* the dossier's components */
	T_EVENT,      /* the dossier's "event" */
	T_EVENTS      /* the dossier's "events" */
};

/* How a member without value (NULL, 0, false) is written. */
enum empty { E_OMIT, E_NULL, E_WRITE };

struct field {
	const char *name;
	unsigned char type, empty;
	bool required; /* a dossier has it (decoding) */
	int dflt;      /* an int or flag not said */
	size_t off;
};

#define F(st, m, t, e, req, dflt) { #m, t, e, req, dflt, offsetof(st, m) }
#define S(st, m, e) F(st, m, T_STR, e, false, 0)

static const struct field dossier_fields[] = {
	S(struct dossier_doc, id, E_OMIT),
	F(struct dossier_doc, code, T_STR, E_OMIT, true, 0),
	F(struct dossier_doc, procedure_code, T_STR, E_OMIT, true, 0),
	F(struct dossier_doc, procedure_name, T_STR, E_OMIT, true, 0),
	F(struct dossier_doc, unit_code, T_STR, E_OMIT, true, 0),
	S(struct dossier_doc, unit_ident, E_OMIT),
	S(struct dossier_doc, handling_unit, E_OMIT),
	F(struct dossier_doc, clerk, T_STR, E_OMIT, true, 0),
	S(struct dossier_doc, assigned_clerk, E_OMIT),
	F(struct dossier_doc, channel, T_INT, E_WRITE, false, 1),
	F(struct dossier_doc, applicant_kind, T_INT, E_OMIT, false, 0),
	F(struct dossier_doc, status, T_INT, E_WRITE, true, 0),
	F(struct dossier_doc, received_at, T_STR, E_OMIT, true, 0),
	F(struct dossier_doc, appointment, T_STR, E_OMIT, true, 0),
	S(struct dossier_doc, finished_at, E_OMIT),
	F(struct dossier_doc, applicant, T_APPLICANT, E_WRITE, true, 0),
	F(struct dossier_doc, fee, T_FEE, E_OMIT, false, 0),
	F(struct dossier_doc, second_party, T_PARTY, E_OMIT, false, 0),
	S(struct dossier_doc, note, E_NULL),
	F(struct dossier_doc, rev, T_LL, E_OMIT, false, 0),
	S(struct dossier_doc, updated_at, E_OMIT),
	F(struct dossier_doc, code_review, T_BOOL, E_OMIT, false, 0),
	F(struct dossier_doc, compact, T_BOOL, E_OMIT, false, 0),
	F(struct dossier_doc, components, T_COMPONENTS, E_OMIT, false, 0),
	F(struct dossier_doc, event, T_EVENT, E_OMIT, false, 0),
	F(struct dossier_doc, events, T_EVENTS, E_OMIT, false, 0),
};

static const struct field applicant_fields[] = {
	F(struct dossier_doc_applicant, kind, T_INT, E_OMIT, false, 0),
	F(struct dossier_doc_applicant, full_name, T_STR, E_OMIT, true, 0),
	S(struct dossier_doc_applicant, id_number, E_OMIT),
	S(struct dossier_doc_applicant, birth_date, E_OMIT),
	S(struct dossier_doc_applicant, sex, E_OMIT),
	S(struct dossier_doc_applicant, phone, E_NULL),
	S(struct dossier_doc_applicant, email, E_NULL),
	S(struct dossier_doc_applicant, address, E_NULL),
	S(struct dossier_doc_applicant, commune, E_OMIT),
	F(struct dossier_doc_applicant, consent_sms, T_BOOL, E_OMIT, false, 0),
	F(struct dossier_doc_applicant, consent_email, T_BOOL, E_OMIT, false, 0),
	S(struct dossier_doc_applicant, tax_code, E_OMIT),
	F(struct dossier_doc_applicant, representative, T_PARTY, E_OMIT, false, 0),
};

static const struct field party_fields[] = {
	F(struct dossier_doc_party, full_name, T_STR, E_OMIT, true, 0),
	S(struct dossier_doc_party, id_number, E_OMIT),
	S(struct dossier_doc_party, birth_date, E_OMIT),
	S(struct dossier_doc_party, sex, E_OMIT),
	S(struct dossier_doc_party, address, E_OMIT),
	S(struct dossier_doc_party, role, E_OMIT),
};

static const struct field fee_fields[] = {
	S(struct dossier_doc_fee, status, E_OMIT),
	F(struct dossier_doc_fee, amount, T_LL, E_WRITE, false, 0),
	S(struct dossier_doc_fee, reason, E_OMIT),
};

static const struct field component_fields[] = {
	F(struct dossier_doc_component, seq, T_INT, E_WRITE, false, 0),
	S(struct dossier_doc_component, name, E_OMIT),
	S(struct dossier_doc_component, kind, E_OMIT),
	F(struct dossier_doc_component, mandatory, T_BOOL, E_WRITE, false, 1),
	F(struct dossier_doc_component, originals_required, T_INT, E_WRITE, false, 0),
	F(struct dossier_doc_component, copies_required, T_INT, E_WRITE, false, 0),
	F(struct dossier_doc_component, originals, T_INT, E_WRITE, false, 0),
	F(struct dossier_doc_component, copies, T_INT, E_WRITE, false, 0),
	S(struct dossier_doc_component, override_reason, E_NULL),
	S(struct dossier_doc_component, document_id, E_OMIT),
	F(struct dossier_doc_component, reused, T_BOOL, E_OMIT, false, 0),
};

static const struct field event_fields[] = {
	S(struct dossier_doc_event, id, E_OMIT),
	S(struct dossier_doc_event, dossier_id, E_OMIT),
	S(struct dossier_doc_event, kind, E_OMIT),
	F(struct dossier_doc_event, status_from, T_INT, E_NULL, false, 0),
	F(struct dossier_doc_event, status_to, T_INT, E_NULL, false, 0),
	S(struct dossier_doc_event, actor, E_OMIT),
	S(struct dossier_doc_event, unit_code, E_OMIT),
	S(struct dossier_doc_event, device_time, E_OMIT),
	S(struct dossier_doc_event, server_time, E_OMIT),
	F(struct dossier_doc_event, payload, T_OBJECT, E_NULL, false, 0),
};

#undef S
#undef F
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

#define AT(base, f, t) ((t *)((char *)(base) + (f)->off))
#define CAT(base, f, t) ((const t *)((const char *)(base) + (f)->off))

static int fail(struct dossier_doc_error *e, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail(struct dossier_doc_error *e, const char *field, const char *fmt, ...)
{
	if (e) {
		snprintf(e->field, sizeof(e->field), "%s", field);
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(e->message, sizeof(e->message), fmt, ap);
		va_end(ap);
	}
	return -1;
}

void dossier_doc_init(struct dossier_doc *d)
{
	memset(d, 0, sizeof(*d));
}

void dossier_doc_release(struct dossier_doc *d)
{
	json_decref(d->json_);
	free(d->components_);
	free(d->events_);
	dossier_doc_init(d);
}

/* ---- decoding ----------------------------------------------------------------- */

static int decode_fields(const struct field *fs, size_t n, const json_t *o, void *base,
			 const char *where, struct dossier_doc *d, struct dossier_doc_error *e);

static const char *type_name(enum type t)
{
	switch (t) {
	case T_STR: return "một chuỗi";
	case T_INT:
	case T_LL: return "một số nguyên";
	case T_BOOL: return "true hoặc false";
	case T_COMPONENTS:
	case T_EVENTS: return "một danh sách [...]";
	default: return "một đối tượng {...}";
	}
}

static int decode_components(const json_t *v, struct dossier_doc *d, struct dossier_doc_error *e)
{
	size_t n = json_array_size(v);
	d->components_ = xcalloc(n ? n : 1, sizeof(*d->components_));
	for (size_t i = 0; i < n; i++) {
		const json_t *o = json_array_get(v, i);
		char where[48];
		snprintf(where, sizeof(where), "components[%zu].", i + 1);
		if (!json_is_object(o))
			return fail(e, "components", "Thành phần thứ %zu của hồ sơ phải là một đối"
				    " tượng {...}", i + 1);
		struct dossier_doc_component *c = &d->components_[i];
		if (decode_fields(component_fields, COUNT(component_fields), o, c, where, d, e))
			return -1;
		if (!json_is_integer(json_object_get(o, "seq")))
			c->seq = (int)i + 1; /* not said: its place in the list */
	}
	d->components = d->components_;
	d->ncomponents = n;
	d->has_components = true;
	return 0;
}

static int decode_event(const json_t *o, struct dossier_doc_event *ev, const char *where,
			struct dossier_doc *d, struct dossier_doc_error *e)
{
	if (!json_is_object(o))
		return fail(e, where, "Sự kiện \"%.*s\" của hồ sơ phải là một đối tượng {...}",
			    (int)strlen(where) - 1, where);
	return decode_fields(event_fields, COUNT(event_fields), o, ev, where, d, e);
}

static int decode_value(const struct field *f, const json_t *v, void *base, const char *path,
			struct dossier_doc *d, struct dossier_doc_error *e)
{
	switch ((enum type)f->type) {
	case T_STR:
		if (!json_is_string(v))
			break;
		*AT(base, f, const char *) = json_string_value(v);
		return 0;
	case T_INT:
		if (!json_is_integer(v) || json_integer_value(v) < INT_MIN ||
		    json_integer_value(v) > INT_MAX)
			break;
		*AT(base, f, int) = (int)json_integer_value(v);
		return 0;
	case T_LL:
		if (!json_is_integer(v))
			break;
		*AT(base, f, long long) = json_integer_value(v);
		return 0;
	case T_BOOL:
		if (json_is_boolean(v))
			*AT(base, f, bool) = json_is_true(v);
		else if (json_is_integer(v))
			*AT(base, f, bool) = json_integer_value(v) != 0;
		else
			break;
		return 0;
	case T_OBJECT:
		if (!json_is_object(v))
			break;
		*AT(base, f, const json_t *) = v;
		return 0;
	case T_APPLICANT:
		if (!json_is_object(v))
			break;
		return decode_fields(applicant_fields, COUNT(applicant_fields), v, &d->applicant,
				     "applicant.", d, e);
	case T_FEE:
		if (!json_is_object(v))
			break;
		d->has_fee = true;
		return decode_fields(fee_fields, COUNT(fee_fields), v, &d->fee, "fee.", d, e);
	case T_PARTY: {
		if (!json_is_object(v))
			break;
		struct dossier_doc_party *p = AT(base, f, struct dossier_doc_party);
		p->present = true;
		char where[72];
		snprintf(where, sizeof(where), "%s.", path);
		return decode_fields(party_fields, COUNT(party_fields), v, p, where, d, e);
	}
	case T_COMPONENTS:
		if (!json_is_array(v))
			break;
		return decode_components(v, d, e);
	case T_EVENT:
		if (!json_is_object(v))
			break;
		d->event = &d->events_[0];
		return decode_event(v, &d->events_[0], "event.", d, e);
	case T_EVENTS: {
		if (!json_is_array(v))
			break;
		struct dossier_doc_event *evs = d->events_ + (d->event ? 1 : 0);
		for (size_t i = 0; i < json_array_size(v); i++) {
			char where[48];
			snprintf(where, sizeof(where), "events[%zu].", i + 1);
			if (decode_event(json_array_get(v, i), &evs[i], where, d, e))
				return -1;
		}
		d->events = evs;
		d->nevents = json_array_size(v);
		return 0;
	}
	}
	return fail(e, path, "Trường \"%s\" của hồ sơ phải là %s", path, type_name(f->type));
}

static int decode_fields(const struct field *fs, size_t n, const json_t *o, void *base,
			 const char *where, struct dossier_doc *d, struct dossier_doc_error *e)
{
	for (size_t i = 0; i < n; i++) {
		const struct field *f = &fs[i];
		char path[64];
		snprintf(path, sizeof(path), "%s%s", where, f->name);
		if (f->type == T_INT)
			*AT(base, f, int) = f->dflt;
		else if (f->type == T_BOOL)
			*AT(base, f, bool) = f->dflt != 0;
		const json_t *v = json_object_get(o, f->name);
		if (!v || json_is_null(v)) {
			if (f->required)
				return fail(e, path, "Thiếu trường \"%s\" của hồ sơ", path);
			continue;
		}
		if (decode_value(f, v, base, path, d, e))
			return -1;
	}
	return 0;
}

int dossier_doc_decode(const json_t *json, struct dossier_doc *d, struct dossier_doc_error *e)
{
	dossier_doc_init(d);
	if (!json_is_object(json))
		return fail(e, "", "Hồ sơ phải là một đối tượng JSON {...}");
	d->json_ = json_incref((json_t *)json);
	/* room for the "event" and the "events" */
	const json_t *one = json_object_get(json, "event"), *many = json_object_get(json, "events");
	size_t nev = (json_is_object(one) ? 1 : 0) + json_array_size(many);
	d->events_ = xcalloc(nev ? nev : 1, sizeof(*d->events_));
	if (decode_fields(dossier_fields, COUNT(dossier_fields), json, d, "", d, e)) {
		dossier_doc_release(d);
		return -1;
	}
	return 0;
}

/* ---- checking -------------------------------------------------------------------- */

static bool text_ok(const char *s, size_t min, size_t max)
{
	size_t n = s ? strlen(s) : 0;
	return s ? n >= min && n <= max : min == 0;
}

static bool is_dt(const char *s)
{
	struct mc_dt t;
	return s && !mc_parse_dt(s, &t);
}

static bool event_ok(const struct dossier_doc_event *ev)
{
	return sync_id_valid(ev->id) && text_ok(ev->kind, 1, 64) && text_ok(ev->actor, 0, 64) &&
	       text_ok(ev->unit_code, 0, 32) && text_ok(ev->device_time, 0, 64);
}

int dossier_doc_check_new(const struct dossier_doc *d, struct dossier_doc_error *e)
{
	struct mc_dcode dc;
	const char *why = NULL;
	if (!d->code || mc_dcode_parse(d->code, &dc, &why))
		return fail(e, "code", "Mã hồ sơ không hợp lệ: %s", why ? why : "thiếu \"code\"");
	const struct {
		const char *name, *value;
	} required[] = {
		{ "procedure_code", d->procedure_code },
		{ "procedure_name", d->procedure_name },
		{ "unit_code", d->unit_code },
		{ "clerk", d->clerk },
	};
	for (size_t i = 0; i < COUNT(required); i++)
		if (!text_ok(required[i].value, 1, 1024))
			return fail(e, required[i].name, "Thiếu trường \"%s\" của hồ sơ", required[i].name);
	if (!mc_status_valid(d->status))
		return fail(e, "status", "\"status\" phải là mã trạng thái %d đến %d", MC_STATUS_MIN,
			    MC_STATUS_MAX);
	if (!is_dt(d->received_at) || !is_dt(d->appointment))
		return fail(e, is_dt(d->received_at) ? "appointment" : "received_at",
			    "\"received_at\" và \"appointment\" phải có dạng YYYY-MM-DDTHH:MM");
	if (!text_ok(d->applicant.full_name, 1, 256))
		return fail(e, "applicant.full_name", "Thiếu họ tên người nộp (applicant.full_name)");
	if (d->applicant.kind == DOSSIER_DOC_ORGANISATION || d->applicant.tax_code) {
		enum mc_taxcode_result t = d->applicant.tax_code
						   ? mc_taxcode_check(d->applicant.tax_code, NULL, 0)
						   : MC_TAXCODE_FORMAT;
		if (t != MC_TAXCODE_OK)
			return fail(e, "applicant.tax_code", "%s (applicant.tax_code)",
				    mc_taxcode_message(t));
		if (!d->applicant.representative.present ||
		    !text_ok(d->applicant.representative.full_name, 1, 256))
			return fail(e, "applicant.representative",
				    "Thiếu người đại diện của tổ chức (applicant.representative.full_name)");
	}
	if (d->second_party.present && !text_ok(d->second_party.full_name, 1, 256))
		return fail(e, "second_party", "Thiếu họ tên bên thứ hai (second_party.full_name)");
	if (d->applicant.consent_sms && !text_ok(d->applicant.phone, 1, 32))
		return fail(e, "applicant.phone",
			    "Người nộp đồng ý nhận tin nhắn nhưng thiếu số điện thoại (applicant.phone)");
	if (d->applicant.consent_email && !text_ok(d->applicant.email, 3, 254))
		return fail(e, "applicant.email",
			    "Người nộp đồng ý nhận thư điện tử nhưng thiếu địa chỉ (applicant.email)");
	if (d->has_fee) {
		char msg[sizeof(e->message)];
		const char *f = NULL;
		if (mc_fee_check(mc_fee_status_from_id(d->fee.status), d->fee.amount, d->fee.reason,
				 msg, sizeof(msg), &f)) {
			char path[32];
			snprintf(path, sizeof(path), "fee.%s", f);
			return fail(e, path, "%s", msg);
		}
	}
	size_t k = 0;
	if (d->event && !event_ok(d->event))
		return fail(e, "event", "Sự kiện thứ 1 của hồ sơ không hợp lệ (cần id, kind)");
	k += d->event ? 1 : 0;
	for (size_t i = 0; i < d->nevents; i++)
		if (!event_ok(&d->events[i]))
			return fail(e, "events", "Sự kiện thứ %zu của hồ sơ không hợp lệ (cần id, kind)",
				    k + i + 1);
	return 0;
}

/* ---- encoding -------------------------------------------------------------------- */

static void encode_fields(const struct field *fs, size_t n, const void *base, json_t *o);

static json_t *encode_component(const struct dossier_doc_component *c)
{
	json_t *o = json_object();
	encode_fields(component_fields, COUNT(component_fields), c, o);
	return o;
}

json_t *dossier_doc_event_encode(const struct dossier_doc_event *ev)
{
	json_t *o = json_object();
	encode_fields(event_fields, COUNT(event_fields), ev, o);
	return o;
}

/* The member's JSON, or NULL when it has no value. */
static json_t *encode_value(const struct field *f, const void *base)
{
	switch ((enum type)f->type) {
	case T_STR: {
		const char *s = *CAT(base, f, char *);
		return s ? json_string(s) : NULL;
	}
	case T_INT: {
		int v = *CAT(base, f, int);
		return v || f->empty == E_WRITE ? json_integer(v) : NULL;
	}
	case T_LL: {
		long long v = *CAT(base, f, long long);
		return v || f->empty == E_WRITE ? json_integer(v) : NULL;
	}
	case T_BOOL: {
		bool v = *CAT(base, f, bool);
		return v || f->empty == E_WRITE ? json_boolean(v) : NULL;
	}
	case T_OBJECT: {
		const json_t *v = *CAT(base, f, json_t *);
		return v ? json_deep_copy(v) : NULL;
	}
	case T_APPLICANT: {
		json_t *o = json_object();
		encode_fields(applicant_fields, COUNT(applicant_fields),
			      &((const struct dossier_doc *)base)->applicant, o);
		return o;
	}
	case T_FEE: {
		const struct dossier_doc *d = base;
		if (!d->has_fee)
			return NULL;
		json_t *o = json_object();
		encode_fields(fee_fields, COUNT(fee_fields), &d->fee, o);
		return o;
	}
	case T_PARTY: {
		const struct dossier_doc_party *p = CAT(base, f, struct dossier_doc_party);
		if (!p->present)
			return NULL;
		json_t *o = json_object();
		encode_fields(party_fields, COUNT(party_fields), p, o);
		return o;
	}
	case T_COMPONENTS: {
		const struct dossier_doc *d = base;
		if (!d->has_components)
			return NULL;
		json_t *a = json_array();
		for (size_t i = 0; i < d->ncomponents; i++)
			json_array_append_new(a, encode_component(&d->components[i]));
		return a;
	}
	case T_EVENT: {
		const struct dossier_doc *d = base;
		return d->event ? dossier_doc_event_encode(d->event) : NULL;
	}
	case T_EVENTS: {
		const struct dossier_doc *d = base;
		if (!d->nevents)
			return NULL;
		json_t *a = json_array();
		for (size_t i = 0; i < d->nevents; i++)
			json_array_append_new(a, dossier_doc_event_encode(&d->events[i]));
		return a;
	}
	}
	return NULL;
}

static void encode_fields(const struct field *fs, size_t n, const void *base, json_t *o)
{
	for (size_t i = 0; i < n; i++) {
		json_t *v = encode_value(&fs[i], base);
		if (v)
			json_object_set_new(o, fs[i].name, v);
		else if (fs[i].empty == E_NULL)
			json_object_set_new(o, fs[i].name, json_null());
	}
}

json_t *dossier_doc_encode(const struct dossier_doc *d)
{
	json_t *o = json_object();
	encode_fields(dossier_fields, COUNT(dossier_fields), d, o);
	return o;
}

/* ---- the compact form -------------------------------------------------------------- */

/* Whether a component carries something of the dossier's own. */
static bool component_own(const json_t *c)
{
	const json_t *reason = json_object_get(c, "override_reason");
	const json_t *doc = json_object_get(c, "document_id");
	return json_integer_value(json_object_get(c, "originals")) > 0 ||
	       json_integer_value(json_object_get(c, "copies")) > 0 ||
	       (json_is_string(reason) && json_string_length(reason) > 0) || json_is_string(doc);
}

/* The members of a component that are the dossier's own, in this order. */
static const char *const own_members[] = { "originals", "copies", "override_reason",
					   "document_id", "reused" };

static bool member_said(const json_t *v)
{
	if (!v || json_is_null(v) || json_is_false(v))
		return false;
	if (json_is_integer(v))
		return json_integer_value(v) != 0;
	return true;
}

json_t *dossier_doc_compact_json(const json_t *doc)
{
	const json_t *comps = json_object_get(doc, "components");
	if (!json_is_object(doc) || !json_is_array(comps) || json_is_true(json_object_get(doc, "compact")))
		return json_incref((json_t *)doc);
	json_t *out = json_object();
	const char *key;
	json_t *v;
	json_object_foreach((json_t *)doc, key, v) {
		if (!strcmp(key, "compact"))
			continue;
		if (strcmp(key, "components")) {
			json_object_set(out, key, v);
			continue;
		}
		json_t *a = json_array();
		size_t i;
		json_t *c;
		json_array_foreach(comps, i, c) {
			if (!json_is_object(c) || !component_own(c))
				continue;
			json_t *o = json_object();
			json_t *seq = json_object_get(c, "seq");
			json_object_set_new(o, "seq", json_is_integer(seq) ? json_incref(seq)
								: json_integer((json_int_t)i + 1));
			for (size_t k = 0; k < COUNT(own_members); k++) {
				json_t *m = json_object_get(c, own_members[k]);
				if (member_said(m))
					json_object_set(o, own_members[k], m);
			}
			json_array_append_new(a, o);
		}
		json_object_set_new(out, "components", a);
		json_object_set_new(out, "compact", json_true());
	}
	return out;
}

static int by_seq(const void *a, const void *b)
{
	const struct dossier_doc_component *x = a, *y = b;
	return (x->seq > y->seq) - (x->seq < y->seq);
}

struct dossier_doc_component *dossier_doc_catalog(const json_t *procedure, size_t *n)
{
	const json_t *comps = json_object_get(procedure, "components");
	size_t m = json_array_size(comps), k = 0;
	struct dossier_doc_component *cat = xcalloc(m ? m : 1, sizeof(*cat));
	for (size_t i = 0; i < m; i++) {
		const json_t *c = json_array_get(comps, i);
		const char *name = json_string_value(json_object_get(c, "name"));
		if (!json_is_object(c) || !name)
			continue;
		const json_t *seq = json_object_get(c, "seq"), *mand = json_object_get(c, "mandatory");
		const char *kind = json_string_value(json_object_get(c, "kind"));
		cat[k++] = (struct dossier_doc_component){
			.seq = json_is_integer(seq) ? (int)json_integer_value(seq) : (int)i + 1,
			.name = name,
			.kind = kind ? kind : "submit",
			.mandatory = mand ? json_is_true(mand) || json_integer_value(mand) != 0 : true,
			.originals_required = (int)json_integer_value(json_object_get(c, "originals")),
			.copies_required = (int)json_integer_value(json_object_get(c, "copies")),
		};
	}
	qsort(cat, k, sizeof(*cat), by_seq);
	*n = k;
	return cat;
}

/* The compact entry of seq in comps, or NULL. */
static const json_t *entry_of(const json_t *comps, int seq)
{
	size_t i;
	const json_t *c;
	json_array_foreach(comps, i, c)
		if (json_integer_value(json_object_get(c, "seq")) == seq)
			return c;
	return NULL;
}

json_t *dossier_doc_expand_json(const json_t *doc, const struct dossier_doc_component *catalog,
				size_t n, size_t *unknown)
{
	if (unknown)
		*unknown = 0;
	const json_t *comps = json_object_get(doc, "components");
	if (!json_is_object(doc) || !json_is_true(json_object_get(doc, "compact")))
		return json_incref((json_t *)doc);
	json_t *full = json_array();
	for (size_t i = 0; i < n; i++) {
		struct dossier_doc_component c = catalog[i];
		const json_t *own = entry_of(comps, c.seq);
		if (own) {
			c.originals = (int)json_integer_value(json_object_get(own, "originals"));
			c.copies = (int)json_integer_value(json_object_get(own, "copies"));
			c.override_reason = json_string_value(json_object_get(own, "override_reason"));
			c.document_id = json_string_value(json_object_get(own, "document_id"));
			const json_t *re = json_object_get(own, "reused");
			c.reused = json_is_true(re) || json_integer_value(re) != 0;
		}
		json_array_append_new(full, encode_component(&c));
	}
	size_t lost = 0;
	size_t i;
	json_t *c;
	json_array_foreach(comps, i, c) {
		struct dossier_doc_component key = { .seq = (int)json_integer_value(json_object_get(c, "seq")) };
		if (n && bsearch(&key, catalog, n, sizeof(*catalog), by_seq))
			continue;
		json_array_append(full, c);
		lost++;
	}
	json_t *out = json_object();
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)doc, k, v) {
		if (!strcmp(k, "compact")) {
			if (lost)
				json_object_set(out, k, v);
		} else if (!strcmp(k, "components")) {
			json_object_set(out, k, full);
		} else {
			json_object_set(out, k, v);
		}
	}
	if (!json_object_get(out, "components"))
		json_object_set(out, "components", full);
	json_decref(full);
	if (unknown)
		*unknown = lost;
	return out;
}

json_t *dossier_doc_compact_exact(const json_t *doc, const struct dossier_doc_component *catalog,
				  size_t n)
{
	json_t *compact = dossier_doc_compact_json(doc);
	if (compact == doc)
		return compact;
	json_t *back = dossier_doc_expand_json(compact, catalog, n, NULL);
	bool exact = json_equal(back, (json_t *)doc);
	json_decref(back);
	if (exact)
		return compact;
	json_decref(compact);
	return json_incref((json_t *)doc);
}
