/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The receipt's data of one dossier: see dossier_receipt.h. */
#include "client/store/dossier_receipt.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

static int load_components(struct store *st, struct dossier_receipt *r)
{
	sqlite3_stmt *q = store_prepare(st,
		"SELECT name, kind, originals_required, copies_required, originals, copies,"
		" override_reason, reused FROM dossier_components WHERE dossier_id = ?"
		" AND (originals > 0 OR copies > 0 OR override_reason IS NOT NULL OR reused"
		"      OR (mandatory AND originals_required + copies_required > 0))"
		" ORDER BY seq");
	sqlite3_bind_text(q, 1, r->id, -1, SQLITE_STATIC);
	size_t alloc = 0;
	int step;
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		if (r->n_components == alloc) {
			alloc = alloc ? 2 * alloc : 16;
			r->components = xrealloc(r->components, alloc * sizeof(*r->components));
		}
		struct dossier_receipt_component *c = &r->components[r->n_components++];
		const unsigned char *name = sqlite3_column_text(q, 0);
		c->name = xstrdup(name ? (const char *)name : "");
		c->kind = store_col_text(q, 1);
		c->originals_required = sqlite3_column_int(q, 2);
		c->copies_required = sqlite3_column_int(q, 3);
		c->originals = sqlite3_column_int(q, 4);
		c->copies = sqlite3_column_int(q, 5);
		c->override_reason = store_col_text(q, 6);
		c->reused = sqlite3_column_int(q, 7) != 0;
	}
	sqlite3_finalize(q);
	return step == SQLITE_DONE ? SQLITE_ROW : step;
}

int dossier_receipt_load(struct store *st, const char *code, struct dossier_receipt *out)
{
	memset(out, 0, sizeof(*out));
	sqlite3_stmt *q = store_prepare(st,
		"SELECT d.id, d.code, d.procedure_code, d.procedure_name, d.unit_code, d.received_at,"
		" d.appointment, d.applicant_name, d.id_number, d.phone, d.email, d.address,"
		" c.name, c.province_name, cl.full_name, d.clerk,"
		" p.time_text, p.time_value, p.time_unit, p.fee_text, p.fee_amount"
		" FROM dossiers d LEFT JOIN communes c ON c.code = d.commune_code"
		" LEFT JOIN clerks cl ON cl.username = d.clerk"
		" LEFT JOIN procedures p ON p.code = d.procedure_code WHERE d.code = ?");
	sqlite3_bind_text(q, 1, code, -1, SQLITE_STATIC);
	int rc = sqlite3_step(q);
	if (rc != SQLITE_ROW) {
		sqlite3_finalize(q);
		return rc;
	}
	out->id = store_col_text(q, 0);
	out->code = store_col_text(q, 1);
	out->procedure_code = store_col_text(q, 2);
	out->procedure_name = store_col_text(q, 3);
	out->unit_code = store_col_text(q, 4);
	out->received_at = store_col_text(q, 5);
	out->appointment = store_col_text(q, 6);
	out->applicant_name = store_col_text(q, 7);
	out->id_number = store_col_text(q, 8);
	out->phone = store_col_text(q, 9);
	out->email = store_col_text(q, 10);
	out->address = store_col_text(q, 11);
	out->commune_name = store_col_text(q, 12);
	out->province_name = store_col_text(q, 13);
	out->clerk_name = store_col_text(q, 14);
	out->clerk = store_col_text(q, 15);
	out->proc.time_text = store_col_text(q, 16);
	out->proc.time_value = sqlite3_column_double(q, 17);
	out->proc.time_unit = store_col_text(q, 18);
	out->proc.fee_text = store_col_text(q, 19);
	out->proc.has_fee_amount = sqlite3_column_type(q, 20) != SQLITE_NULL;
	out->proc.fee_amount = sqlite3_column_int64(q, 20);
	sqlite3_finalize(q);
	rc = load_components(st, out);
	if (rc != SQLITE_ROW)
		dossier_receipt_release(out);
	return rc;
}

void dossier_receipt_release(struct dossier_receipt *r)
{
	char **strings[] = { &r->id, &r->code, &r->procedure_code, &r->procedure_name,
			     &r->unit_code, &r->received_at, &r->appointment, &r->applicant_name,
			     &r->id_number, &r->phone, &r->email, &r->address, &r->commune_name,
			     &r->province_name, &r->clerk, &r->clerk_name, &r->proc.time_text,
			     &r->proc.time_unit, &r->proc.fee_text };
	for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++)
		free(*strings[i]);
	for (size_t i = 0; i < r->n_components; i++) {
		free(r->components[i].name);
		free(r->components[i].kind);
		free(r->components[i].override_reason);
	}
	free(r->components);
	memset(r, 0, sizeof(*r));
}
