/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The 'record' operation of a push (entity "visit"): a counter visit that
 * ended without a received dossier, a refusal (form 03: the reasons) or a
 * guidance (form 02: the papers to add); its check and apply (server/ops.h),
 * docs/api.md "Operation visit / record". Stored in the visits table
 * (migration 0009) as the workstation wrote it: no code, no event row. */
#include "server/ops.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/datetime.h"
#include "core/text.h"

#define TEXT_MAX 500   /* characters of one reason or paper, of the note, of an address */
#define SHORT_MAX 200  /* characters of a name, a code, a phone... */
#define ITEMS_MAX 30

#define refuse(o, ...) (set_outcome(o, __VA_ARGS__), -1)

static const char *jstr(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* A string of at most max characters, valid UTF-8, not blank (required) or
 * absent / null (optional). */
static bool text_ok(const json_t *o, const char *key, size_t max, bool required)
{
	json_t *v = json_object_get(o, key);
	if (!v || json_is_null(v))
		return !required;
	if (!json_is_string(v))
		return false;
	const char *s = json_string_value(v);
	if (strlen(s) != json_string_length(v) || !mc_text_valid(s))
		return false;
	if (required && mc_text_blank(s))
		return false;
	return mc_text_chars(s) <= max;
}

static bool only_keys(const json_t *o, const char *const *known)
{
	const char *key;
	json_t *v;
	json_object_foreach((json_t *)o, key, v) {
		bool ok = false;
		for (const char *const *k = known; *k && !ok; k++)
			ok = !strcmp(*k, key);
		if (!ok)
			return false;
	}
	return true;
}

int visit_check(const struct sync_op *op, struct outcome *o)
{
	static const char *const keys[] = { "id", "kind", "procedure_code", "procedure_name",
					    "unit_code", "clerk", "at", "applicant", "items", "note",
					    NULL };
	static const char *const akeys[] = { "full_name", "id_number", "birth_date", "sex", "phone",
					     "email", "address", "commune", NULL };
	const json_t *p = op->payload;
	if (!only_keys(p, keys))
		return refuse(o, MC_ERR_BAD_PAYLOAD, "Lượt tiếp công dân có trường không hợp lệ");
	if (!jstr(p, "id") || strcmp(jstr(p, "id"), op->entity_id) || !sync_id_valid(op->entity_id))
		return refuse(o, MC_ERR_BAD_PAYLOAD, "\"id\" của lượt tiếp phải bằng entity_id");
	const char *kind = jstr(p, "kind");
	if (!kind || (strcmp(kind, "refuse") && strcmp(kind, "guide")))
		return refuse(o, MC_ERR_BAD_PAYLOAD, "\"kind\" phải là \"refuse\" hoặc \"guide\"");
	if (op->base_rev)
		return refuse(o, MC_ERR_BAD_PAYLOAD, "base_rev của một lượt tiếp mới phải là 0");
	static const char *const shorts[] = { "procedure_code", "unit_code", "clerk" };
	for (size_t i = 0; i < sizeof shorts / sizeof shorts[0]; i++)
		if (!text_ok(p, shorts[i], SHORT_MAX, true))
			return refuse(o, MC_ERR_BAD_PAYLOAD, "\"%s\" phải là một chuỗi ngắn, không rỗng",
				      shorts[i]);
	if (!text_ok(p, "procedure_name", TEXT_MAX * 4, true) || !text_ok(p, "note", TEXT_MAX, false))
		return refuse(o, MC_ERR_BAD_PAYLOAD, "\"procedure_name\" hoặc \"note\" không hợp lệ");
	struct mc_dt t;
	if (!jstr(p, "at") || mc_parse_dt(jstr(p, "at"), &t))
		return refuse(o, MC_ERR_BAD_PAYLOAD, "\"at\" phải có dạng YYYY-MM-DDTHH:MM");
	const json_t *a = json_object_get(p, "applicant");
	if (!json_is_object(a) || !only_keys(a, akeys))
		return refuse(o, MC_ERR_BAD_PAYLOAD, "\"applicant\" phải là một đối tượng với các trường"
			      " của người nộp hồ sơ");
	if (!text_ok(a, "full_name", SHORT_MAX, true))
		return refuse(o, MC_ERR_BAD_PAYLOAD, "\"applicant.full_name\" là bắt buộc");
	static const char *const aopt[] = { "id_number", "birth_date", "sex", "phone", "email",
					     "commune" };
	for (size_t i = 0; i < sizeof aopt / sizeof aopt[0]; i++)
		if (!text_ok(a, aopt[i], SHORT_MAX, false))
			return refuse(o, MC_ERR_BAD_PAYLOAD, "\"applicant.%s\" không hợp lệ", aopt[i]);
	if (!text_ok(a, "address", TEXT_MAX, false))
		return refuse(o, MC_ERR_BAD_PAYLOAD, "\"applicant.address\" không hợp lệ");
	const json_t *items = json_object_get(p, "items");
	if (!json_is_array(items) || !json_array_size(items) || json_array_size(items) > ITEMS_MAX)
		return refuse(o, MC_ERR_BAD_PAYLOAD, "\"items\" phải là một mảng từ 1 đến %d mục",
			      ITEMS_MAX);
	size_t i;
	json_t *v;
	json_array_foreach(items, i, v) {
		const char *s = json_string_value(v);
		if (!s || strlen(s) != json_string_length(v) || !mc_text_valid(s) || mc_text_blank(s) ||
		    mc_text_chars(s) > TEXT_MAX)
			return refuse(o, MC_ERR_BAD_PAYLOAD, "\"items[%zu]\" phải là một chuỗi không rỗng,"
				      " tối đa %d ký tự", i, TEXT_MAX);
	}
	return 0;
}

int visit_apply(PGconn *c, const struct session *s, const struct sync_op *op, struct outcome *o)
{
	const json_t *p = op->payload;
	const char *unit = jstr(p, "unit_code");
	const char *sp[] = { s->username, unit };
	PGresult *res = db_query(c, "SELECT 1 FROM user_scope($1) WHERE unit_code = $2", 2, sp);
	if (!db_ok(res)) {
		set_db_failure(o, res);
		PQclear(res);
		return -1;
	}
	bool mine = PQntuples(res) == 1;
	PQclear(res);
	if (!mine)
		return refuse(o, MC_ERR_OUT_OF_SCOPE, "Tài khoản %s không được ghi lượt tiếp công dân"
			      " của đơn vị %s", s->username, unit);
	char *text = sync_canonical_json(p);
	const char *ip[] = { op->entity_id, jstr(p, "kind"), unit, jstr(p, "procedure_code"),
			     jstr(p, "clerk"), jstr(p, "at"), text, s->device_id, s->username };
	res = db_query(c, "INSERT INTO visits(id, kind, unit_code, procedure_code, clerk, at, data,"
			  " device_id, username) VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9)"
			  " ON CONFLICT (id) DO NOTHING RETURNING id", 9, ip);
	free(text);
	if (!db_ok(res)) {
		set_db_failure(o, res);
		PQclear(res);
		return -1;
	}
	bool fresh = PQntuples(res) == 1;
	PQclear(res);
	if (!fresh)
		return refuse(o, MC_ERR_VISIT_EXISTS, "Lượt tiếp công dân %s đã có trên máy chủ (ghi"
			      " bằng một thao tác khác)", op->entity_id);
	o->rev = 1;
	return 0;
}
