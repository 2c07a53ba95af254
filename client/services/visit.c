/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A counter visit without a received dossier (visit.h). */
#include "client/services/visit.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <sys/stat.h>

#include <jansson.h>
#include <sodium.h>

#include "client/print/forms.h"
#include "client/print/print.h"
#include "client/services/reception_receipt.h"
#include "core/text.h"
#include "core/xalloc.h"

static int refuse(struct reception_error *err, enum reception_field field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int refuse(struct reception_error *err, enum reception_field field, const char *fmt, ...)
{
	err->field = field;
	err->component = 0;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
	return -1;
}

static const char *what_of(enum visit_kind kind)
{
	return kind == VISIT_REFUSE ? "Lý do từ chối" : "Giấy tờ cần bổ sung";
}

/* "a; b;; c" (or one a line) -> ["a", "b", "c"]: each valid UTF-8, no
 * control character, at most RECEPTION_TEXT_MAX characters; at least one. */
static int split_items(const char *text, enum visit_kind kind, json_t **out,
		       struct reception_error *err)
{
	const char *what = what_of(kind);
	*out = NULL;
	if (text && !mc_text_valid(text))
		return refuse(err, RF_ITEMS, "%s chứa byte không phải UTF-8", what);
	json_t *list = json_array();
	for (const char *p = text ? text : ""; *p;) {
		size_t n = strcspn(p, ";\n");
		char *part = xstrndup(p, n);
		char *t = mc_text_squeeze(part);
		free(part);
		size_t len = strlen(t);
		int rc = 0;
		for (size_t i = 0; i < len && !rc;) {
			int32_t cp;
			i += mc_utf8_next(t + i, len - i, &cp);
			if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
				rc = refuse(err, RF_ITEMS, "%s chứa ký tự điều khiển không hợp lệ", what);
		}
		size_t chars = mc_text_chars(t);
		if (!rc && chars > RECEPTION_TEXT_MAX)
			rc = refuse(err, RF_ITEMS, "%s: mục %zu dài quá %d ký tự (%zu ký tự)", what,
				    json_array_size(list) + 1, RECEPTION_TEXT_MAX, chars);
		if (!rc && *t && json_array_size(list) == VISIT_ITEMS_MAX)
			rc = refuse(err, RF_ITEMS, "%s: nhiều hơn %d mục", what, VISIT_ITEMS_MAX);
		if (!rc && *t)
			json_array_append_new(list, json_string(t));
		free(t);
		if (rc) {
			json_decref(list);
			return -1;
		}
		p += n;
		if (*p)
			p++;
	}
	if (!json_array_size(list)) {
		json_decref(list);
		return refuse(err, RF_ITEMS, "%s: cần ít nhất một mục (các mục cách nhau bởi dấu ;)",
			      what);
	}
	*out = list;
	return 0;
}

int visit_record(struct store *st, const struct reception_input *in, enum visit_kind kind,
		 const char *items, const char *clerk, const struct mc_dt *now,
		 struct visit_result *res, struct reception_error *err)
{
	memset(res, 0, sizeof(*res));
	memset(err, 0, sizeof(*err));
	if (kind != VISIT_REFUSE && kind != VISIT_GUIDE)
		return refuse(err, RF_NONE, "Kết quả lượt tiếp không hợp lệ");
	struct reception_person p;
	if (reception_check_visit(st, in, clerk, now, &p, err))
		return -1;
	json_t *list;
	if (split_items(items, kind, &list, err)) {
		reception_person_release(&p);
		return -1;
	}
	if (sodium_init() < 0) {
		json_decref(list);
		reception_person_release(&p);
		return refuse(err, RF_STORE, "Không khởi tạo được thư viện mật mã (libsodium)");
	}
	char sex[2] = { p.sex, '\0' };
	struct visit v = {
		.kind = kind,
		.procedure_code = p.procedure_code,
		.procedure_name = p.procedure_name,
		.unit_code = p.unit_code,
		.clerk = (char *)clerk,
		.applicant_name = p.full_name,
		.id_number = p.id_number,
		.birth_date = p.birth_date,
		.sex = sex,
		.phone = p.phone,
		.email = p.email,
		.address = p.address,
		.commune_code = p.commune,
		.items = list,
		.note = p.note,
	};
	store_uuid7(v.id);
	mc_format_dt(v.at, sizeof v.at, now);
	char event_id[37], op_id[37];
	store_uuid7(event_id);
	store_uuid7(op_id);
	int rc = visit_insert(st, &v, event_id, op_id);
	if (rc == SQLITE_OK) {
		memcpy(res->id, v.id, sizeof res->id);
		res->seq = v.seq;
		memcpy(res->at, v.at, sizeof res->at);
		res->kind = kind;
	} else {
		refuse(err, RF_STORE, "Không lưu được lượt tiếp công dân: %s; chưa có gì được ghi"
		       " vào kho", store_errmsg_vn(rc));
	}
	json_decref(list);
	reception_person_release(&p);
	return rc == SQLITE_OK ? 0 : -1;
}

void visit_form_prepare(struct store *st, const struct visit_result *res, unsigned steps,
			struct visit_form *f)
{
	memset(f, 0, sizeof(*f));
	f->steps = steps;
	f->dir = reception_receipt_dir(st);
	f->path = xasprintf("%s/visit-%lld-0%d.pdf", f->dir, res->seq,
			    res->kind == VISIT_REFUSE ? FORM_REFUSAL : FORM_SUPPLEMENT);
	if (steps & VISIT_FORM_PRINT) {
		f->printer = store_get_setting(st, "printer");
		if (mc_text_blank(f->printer))
			FREE(&f->printer);
	}
	if (steps & VISIT_FORM_WRITE) {
		struct strbuf err = STRBUF_INIT;
		f->content = form_visit_load(st, res->id, &err);
		if (!f->content)
			f->error = strbuf_detach(&err);
		strbuf_release(&err);
	}
}

void visit_form_write(struct visit_form *f)
{
	if (!(f->steps & VISIT_FORM_WRITE) || f->error)
		return;
	if (mkdir(f->dir, 0700) && errno != EEXIST) {
		f->error = xasprintf("không tạo được thư mục %s: %s", f->dir, strerror(errno));
	} else {
		struct strbuf err = STRBUF_INIT;
		if (form_visit_render(f->content, f->path, &err))
			f->error = strbuf_detach(&err);
		else
			f->written = true;
		strbuf_release(&err);
	}
	form_visit_free(f->content);
	f->content = NULL;
}

void visit_form_print(struct visit_form *f)
{
	if (!(f->steps & VISIT_FORM_PRINT) || !f->printer)
		return;
	if ((f->steps & VISIT_FORM_WRITE) && !f->written)
		return;
	struct strbuf err = STRBUF_INIT;
	if (print_pdf(f->printer, f->path, &err)) {
		free(f->print_error);
		f->print_error = strbuf_detach(&err);
	} else {
		f->printed = true;
	}
	strbuf_release(&err);
}

void visit_form_release(struct visit_form *f)
{
	form_visit_free(f->content);
	free(f->dir);
	free(f->path);
	free(f->printer);
	free(f->error);
	free(f->print_error);
	memset(f, 0, sizeof(*f));
}
