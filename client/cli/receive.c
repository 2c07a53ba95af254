/* SPDX-License-Identifier: GPL-3.0-or-later */
/* motcua receive --json FILE|- [--db PATH] [--user USER]: one reception from
 * JSON with exactly the wizard's checks (client/services/reception.h). Input and output
 * formats: docs/reception.md. Bad input: exit 2, nothing written; a store
 * fault (read-only, full disk, locked by another instance): exit 1, nothing
 * written. */
#include "client/cli/cli.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "client/base/clock.h"
#include "client/services/reception.h"
#include "client/store/store.h"
#include "core/xalloc.h"

static int usage(void)
{
	fputs("Cách dùng: motcua receive --json TỆP|- [--db ĐƯỜNG_DẪN] [--user CÁN_BỘ]\n"
	      "Tiếp nhận một hồ sơ từ JSON (xem docs/reception.md):\n"
	      "  {\"procedure\": \"1.001193\", \"received_at\": \"YYYY-MM-DDTHH:MM\" (tùy chọn),\n"
	      "   \"applicant\": {\"full_name\", \"id_number\", \"birth_date\", \"sex\": \"M\"|\"F\",\n"
	      "                 \"phone\", \"email\", \"address\", \"commune\": \"<mã xã 5 số>\",\n"
	      "                 \"consent_sms\", \"consent_email\": true|false (đồng ý nhận thông báo)}\n"
	      "   hoặc tổ chức: {\"kind\": \"organisation\", \"name\", \"tax_code\", \"phone\",\n"
	      "                 \"email\", \"address\", \"commune\", \"representative\":\n"
	      "                 {\"full_name\", \"id_number\", \"role\"}, \"consent_sms\", \"consent_email\"},\n"
	      "   \"second_party\": {\"full_name\", \"id_number\", \"birth_date\", \"sex\","
	      " \"address\"} (tùy chọn),\n"
	      "   \"components\": [{\"id\", \"originals\", \"copies\", \"override_reason\", \"reuse\",\n"
	      "                   \"original_for_copy\": true (bản chính đối chiếu)}],\n"
	      "   \"fee\": {\"status\": \"collected\"|\"exempt\"|\"later\", \"amount\": <đồng>,"
	      " \"reason\"} (tùy chọn)}\n"
	      "In ra {\"code\", \"appointment\", \"receipt\"}.\n",
	      stdout);
	return CLI_OK;
}

/* ---- JSON -> struct reception_input ---------------------------------------- */

struct reader {
	char msg[512];
};

static int bad(struct reader *rd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int bad(struct reader *rd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(rd->msg, sizeof rd->msg, fmt, ap);
	va_end(ap);
	return -1;
}

/* Refuses keys of obj that are not in known (NULL-terminated). */
static int only_keys(struct reader *rd, json_t *obj, const char *where, const char *const *known)
{
	const char *key;
	json_t *v;
	json_object_foreach(obj, key, v) {
		bool ok = false;
		for (const char *const *k = known; *k && !ok; k++)
			ok = !strcmp(*k, key);
		if (!ok)
			return bad(rd, "%s%s«%s» không phải khóa hợp lệ (gõ sai tên khóa?)", where,
				   *where ? ": " : "", key);
	}
	return 0;
}

/* An optional string (absent or null: NULL). */
static int get_string(struct reader *rd, json_t *obj, const char *key, const char *where,
		      char **out)
{
	json_t *v = json_object_get(obj, key);
	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return bad(rd, "%s%s phải là chuỗi ký tự", where, key);
	if (strlen(json_string_value(v)) != json_string_length(v))
		return bad(rd, "%s%s chứa ký tự NUL", where, key);
	*out = xstrdup(json_string_value(v));
	return 0;
}

/* An optional flag (absent or null: false). */
static int get_bool(struct reader *rd, json_t *obj, const char *key, const char *where, bool *out)
{
	json_t *v = json_object_get(obj, key);
	*out = false;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_boolean(v))
		return bad(rd, "%s%s phải là true hoặc false", where, key);
	*out = json_is_true(v);
	return 0;
}

/* An optional integer (absent: def) clamped to [lo, hi + 1] so that the
 * reception checks refuse it with their own message. */
static int get_int(struct reader *rd, json_t *obj, const char *key, const char *where, int def,
		   bool required, int *out)
{
	json_t *v = json_object_get(obj, key);
	*out = def;
	if (!v) {
		if (required)
			return bad(rd, "%sthiếu %s", where, key);
		return 0;
	}
	if (!json_is_integer(v))
		return bad(rd, "%s%s phải là số nguyên", where, key);
	json_int_t n = json_integer_value(v);
	if (n < -1)
		n = -1;
	if (n > INT_MAX)
		return bad(rd, "%s%s quá lớn (%lld)", where, key, (long long)n);
	*out = (int)n;
	return 0;
}

static char read_sex(const char *sex)
{
	/* "M" or "F"; anything else is refused by the reception checks. */
	if (!sex || !*sex)
		return 0;
	if (!strcmp(sex, "M") || !strcmp(sex, "F"))
		return sex[0];
	return '?';
}

/* A representative or a second party: {"full_name", "id_number",
 * "birth_date", "sex", "address", "role"}; where is "applicant.representative"
 * or "second_party". */
static int read_party(struct reader *rd, json_t *p, const char *where, bool role,
		      struct reception_party *out)
{
	static const char *const keys[] = { "full_name", "id_number", "birth_date", "sex",
					    "address", "role", NULL };
	static const char *const keys_norole[] = { "full_name", "id_number", "birth_date", "sex",
						   "address", NULL };
	if (!json_is_object(p))
		return bad(rd, "%s phải là một đối tượng JSON {\"full_name\", \"id_number\", ...}",
			   where);
	if (only_keys(rd, p, where, role ? keys : keys_norole))
		return -1;
	char pre[48], *sex = NULL;
	snprintf(pre, sizeof pre, "%s.", where);
	if (get_string(rd, p, "full_name", pre, &out->full_name) ||
	    get_string(rd, p, "id_number", pre, &out->id_number) ||
	    get_string(rd, p, "birth_date", pre, &out->birth_date) ||
	    get_string(rd, p, "sex", pre, &sex) ||
	    get_string(rd, p, "address", pre, &out->address) ||
	    (role && get_string(rd, p, "role", pre, &out->role))) {
		free(sex);
		return -1;
	}
	out->sex = read_sex(sex);
	free(sex);
	return 0;
}

/* An organisation: {"kind": "organisation", "name", "tax_code",
 * "representative": {...}, "phone", "email", "address", "commune"}. */
static int read_organisation(struct reader *rd, json_t *a, struct reception_input *in)
{
	static const char *const keys[] = { "kind", "name", "tax_code", "representative", "phone",
					    "email", "address", "commune", "consent_sms",
					    "consent_email", NULL };
	struct reception_applicant *out = &in->applicant;
	if (only_keys(rd, a, "applicant", keys))
		return -1;
	in->organisation = true;
	if (get_string(rd, a, "name", "applicant.", &out->full_name) ||
	    get_string(rd, a, "tax_code", "applicant.", &in->org.tax_code) ||
	    get_string(rd, a, "phone", "applicant.", &out->phone) ||
	    get_string(rd, a, "email", "applicant.", &out->email) ||
	    get_string(rd, a, "address", "applicant.", &out->address) ||
	    get_string(rd, a, "commune", "applicant.", &out->commune) ||
	    get_bool(rd, a, "consent_sms", "applicant.", &out->consent_sms) ||
	    get_bool(rd, a, "consent_email", "applicant.", &out->consent_email))
		return -1;
	json_t *r = json_object_get(a, "representative");
	if (!r || json_is_null(r))
		return bad(rd, "thiếu applicant.representative (người đại diện của tổ chức:"
			       " full_name, id_number, role)");
	return read_party(rd, r, "applicant.representative", true, &in->org.representative);
}

static int read_applicant(struct reader *rd, json_t *a, struct reception_input *in)
{
	static const char *const keys[] = { "kind", "full_name", "id_number", "birth_date", "sex",
					    "phone", "email", "address", "commune", "consent_sms",
					    "consent_email", NULL };
	struct reception_applicant *out = &in->applicant;
	if (!a)
		return bad(rd, "thiếu applicant (thông tin người nộp hồ sơ)");
	if (!json_is_object(a))
		return bad(rd, "applicant phải là một đối tượng JSON");
	json_t *kind = json_object_get(a, "kind");
	if (kind && !json_is_null(kind)) {
		const char *k = json_string_value(kind);
		if (k && !strcmp(k, "organisation"))
			return read_organisation(rd, a, in);
		if (!k || strcmp(k, "person"))
			return bad(rd, "applicant.kind phải là \"person\" (cá nhân) hoặc"
				       " \"organisation\" (tổ chức)");
	}
	if (only_keys(rd, a, "applicant", keys))
		return -1;
	char *sex = NULL;
	if (get_string(rd, a, "full_name", "applicant.", &out->full_name) ||
	    get_string(rd, a, "id_number", "applicant.", &out->id_number) ||
	    get_string(rd, a, "birth_date", "applicant.", &out->birth_date) ||
	    get_string(rd, a, "sex", "applicant.", &sex) ||
	    get_string(rd, a, "phone", "applicant.", &out->phone) ||
	    get_string(rd, a, "email", "applicant.", &out->email) ||
	    get_string(rd, a, "address", "applicant.", &out->address) ||
	    get_string(rd, a, "commune", "applicant.", &out->commune) ||
	    get_bool(rd, a, "consent_sms", "applicant.", &out->consent_sms) ||
	    get_bool(rd, a, "consent_email", "applicant.", &out->consent_email)) {
		free(sex);
		return -1;
	}
	out->sex = read_sex(sex);
	free(sex);
	return 0;
}

static int read_components(struct reader *rd, json_t *list, struct reception_input *in)
{
	static const char *const keys[] = { "id", "originals", "copies", "override_reason", "reuse",
					    "original_for_copy", NULL };
	if (!list || json_is_null(list))
		return 0;
	if (!json_is_array(list))
		return bad(rd, "components phải là một mảng JSON");
	size_t n = json_array_size(list);
	in->components = xcalloc(n ? n : 1, sizeof(*in->components));
	for (size_t i = 0; i < n; i++) {
		json_t *c = json_array_get(list, i);
		char where[48];
		snprintf(where, sizeof where, "components[%zu].", i);
		if (!json_is_object(c))
			return bad(rd, "components[%zu] phải là một đối tượng JSON", i);
		where[strlen(where) - 1] = '\0';
		if (only_keys(rd, c, where, keys))
			return -1;
		strcat(where, ".");
		struct reception_component *rc = &in->components[i];
		in->n_components = i + 1;
		if (get_int(rd, c, "id", where, 0, true, &rc->id) ||
		    get_int(rd, c, "originals", where, 0, false, &rc->originals) ||
		    get_int(rd, c, "copies", where, 0, false, &rc->copies) ||
		    get_string(rd, c, "override_reason", where, &rc->override_reason) ||
		    get_string(rd, c, "reuse", where, &rc->reuse))
			return -1;
		json_t *ofc = json_object_get(c, "original_for_copy");
		if (ofc && !json_is_null(ofc)) {
			if (!json_is_boolean(ofc))
				return bad(rd, "%soriginal_for_copy phải là true hoặc false", where);
			rc->original_for_copy = json_is_true(ofc);
		}
	}
	return 0;
}

/* "fee": {"status", "amount", "reason"}; absent or null: the default (the
 * catalogue's amount, collected). The amount must be a JSON integer; its
 * range is the reception's check. */
static int read_fee(struct reader *rd, json_t *f, struct reception_fee *out)
{
	static const char *const keys[] = { "status", "amount", "reason", NULL };
	if (!f || json_is_null(f))
		return 0;
	if (!json_is_object(f))
		return bad(rd, "fee phải là một đối tượng JSON {\"status\", \"amount\", \"reason\"}");
	if (only_keys(rd, f, "fee", keys))
		return -1;
	if (get_string(rd, f, "status", "fee.", &out->status) ||
	    get_string(rd, f, "reason", "fee.", &out->reason))
		return -1;
	json_t *a = json_object_get(f, "amount");
	if (a && !json_is_null(a)) {
		if (!json_is_integer(a))
			return bad(rd, "fee.amount phải là số nguyên đồng (ví dụ 50000)");
		out->amount = json_integer_value(a);
		out->has_amount = true;
	}
	return 0;
}

static int read_input(struct reader *rd, json_t *root, struct reception_input *in)
{
	static const char *const keys[] = { "procedure", "received_at", "appointment", "applicant",
					    "components", "note", "fee", "second_party", NULL };
	if (!json_is_object(root))
		return bad(rd, "JSON phải là một đối tượng {...}");
	if (only_keys(rd, root, "", keys))
		return -1;
	if (get_string(rd, root, "procedure", "", &in->procedure) ||
	    get_string(rd, root, "received_at", "", &in->received_at) ||
	    get_string(rd, root, "appointment", "", &in->appointment) ||
	    get_string(rd, root, "note", "", &in->note))
		return -1;
	if (!json_object_get(root, "procedure"))
		return bad(rd, "thiếu procedure (mã thủ tục, ví dụ \"1.001193\")");
	if (read_applicant(rd, json_object_get(root, "applicant"), in))
		return -1;
	json_t *sp = json_object_get(root, "second_party");
	if (sp && !json_is_null(sp)) {
		in->has_second_party = true;
		if (read_party(rd, sp, "second_party", false, &in->second_party))
			return -1;
	}
	if (read_fee(rd, json_object_get(root, "fee"), &in->fee))
		return -1;
	return read_components(rd, json_object_get(root, "components"), in);
}

/* Reads and parses FILE or stdin; CLI status. */
static int load_json(const char *file, json_t **root)
{
	FILE *f = strcmp(file, "-") ? fopen(file, "rb") : stdin;
	if (!f)
		return cli_bad("không mở được tệp JSON %s: %s", file, strerror(errno));
	json_error_t jerr;
	*root = json_loadf(f, JSON_REJECT_DUPLICATES, &jerr);
	if (f != stdin)
		fclose(f);
	if (!*root)
		return cli_bad("JSON không hợp lệ (%s, dòng %d, cột %d): %s",
			       strcmp(file, "-") ? file : "stdin", jerr.line, jerr.column, jerr.text);
	return CLI_OK;
}

/* ---- the clerk ------------------------------------------------------------- */

static const char *field_key(const struct reception_error *e)
{
	static const char *const keys[] = {
		[RF_PROCEDURE] = "procedure", [RF_RECEIVED_AT] = "received_at",
		[RF_FULL_NAME] = "applicant.full_name", [RF_ID_NUMBER] = "applicant.id_number",
		[RF_BIRTH_DATE] = "applicant.birth_date", [RF_SEX] = "applicant.sex",
		[RF_PHONE] = "applicant.phone", [RF_EMAIL] = "applicant.email",
		[RF_ADDRESS] = "applicant.address", [RF_COMMUNE] = "applicant.commune",
		[RF_COMPONENTS] = "components", [RF_APPOINTMENT] = "appointment",
		[RF_NOTE] = "note", [RF_FEE] = "fee", [RF_TAX_CODE] = "applicant.tax_code",
		[RF_REPRESENTATIVE] = "applicant.representative", [RF_SECOND_PARTY] = "second_party",
	};
	if ((size_t)e->field < sizeof keys / sizeof keys[0] && keys[e->field])
		return keys[e->field];
	return NULL;
}

int cli_read_reception(const char *file, struct reception_input *in)
{
	json_t *root;
	int rc = load_json(file, &root);
	if (rc)
		return rc;
	struct reader rd = { { 0 } };
	if (read_input(&rd, root, in))
		rc = cli_bad("JSON: %s", rd.msg);
	json_decref(root);
	return rc;
}

int cli_reception_refused(const struct reception_error *e)
{
	const char *key = field_key(e);
	if (e->field == RF_STORE)
		return cli_fault("%s", e->msg);
	if (key)
		return cli_bad("%s: %s", key, e->msg);
	return cli_bad("%s", e->msg);
}

static void print_result(const struct reception_result *res)
{
	char received[20], due[20];
	mc_format_dt(received, sizeof received, &res->received);
	mc_format_dt(due, sizeof due, &res->appointment);
	json_t *o = json_object();
	json_object_set_new(o, "code", json_string(res->code));
	json_object_set_new(o, "appointment", json_string(due));
	char *abs = res->receipt_path ? realpath(res->receipt_path, NULL) : NULL;
	const char *path = abs ? abs : res->receipt_path;
	json_object_set_new(o, "receipt", path ? json_string(path) : json_null());
	free(abs);
	json_object_set_new(o, "id", json_string(res->id));
	json_object_set_new(o, "received_at", json_string(received));
	json_object_set_new(o, "printed", json_boolean(res->printed));
	if (res->receipt_error)
		json_object_set_new(o, "receipt_error", json_string(res->receipt_error));
	if (res->print_error)
		json_object_set_new(o, "print_error", json_string(res->print_error));
	cli_print_json(o);
}

static int receive(const char *db_opt, const char *user, struct reception_input *in)
{
	struct mc_dt now;
	struct store st;
	/* The lock: a TUI (or another receive) on this store refuses us clearly. */
	int rc = cli_now(&now);
	if (rc || (rc = cli_open_store(&st, db_opt, STORE_EXCLUSIVE, false)))
		return rc;
	struct strbuf serr = STRBUF_INIT;
	char *clerk = cli_pick_clerk(&st, user);
	struct reception_result res;
	struct reception_error err;
	reception_result_init(&res);
	if (!clerk) {
		rc = cli_bad("chưa rõ cán bộ tiếp nhận: dùng --user TÊN_ĐĂNG_NHẬP (kho có không hoặc"
			     " nhiều cán bộ)");
	} else if (reception_commit(&st, in, clerk, &now, &res, &err)) {
		rc = cli_reception_refused(&err);
	} else {
		if (res.receipt_error)
			fprintf(stderr, "motcua: đã tiếp nhận hồ sơ %s nhưng chưa ghi được giấy tiếp nhận"
					" (in lại bằng: motcua receipt %s --out TỆP.pdf): %s\n",
				res.code, res.code, res.receipt_error);
		if (res.print_error)
			fprintf(stderr, "motcua: đã tiếp nhận hồ sơ %s nhưng chưa in được: %s\n", res.code,
				res.print_error);
		print_result(&res);
	}
	reception_result_release(&res);
	free(clerk);
	store_close(&st);
	strbuf_release(&serr);
	return rc;
}

int cli_receive(int argc, char **argv)
{
	const char *json = NULL, *db = NULL, *user = NULL;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char **slot = !strcmp(a, "--json") ? &json
				    : !strcmp(a, "--db")   ? &db
				    : !strcmp(a, "--user") ? &user
							   : NULL;
		if (!strcmp(a, "--help") || !strcmp(a, "-h"))
			return usage();
		if (!slot && !strncmp(a, "--json=", 7)) {
			json = a + 7;
		} else if (!slot && !strncmp(a, "--db=", 5)) {
			db = a + 5;
		} else if (!slot && !strncmp(a, "--user=", 7)) {
			user = a + 7;
		} else if (!slot) {
			return cli_bad("tùy chọn không hợp lệ cho receive: %s (xem: motcua receive --help)", a);
		} else {
			if (++i >= argc)
				return cli_bad("tùy chọn %s cần một giá trị", a);
			*slot = argv[i];
		}
	}
	if (!json)
		return cli_bad("thiếu --json TỆP (hoặc --json - để đọc từ đầu vào chuẩn)");
	if (db && !*db)
		return cli_bad("đường dẫn --db rỗng");

	struct reception_input in;
	reception_input_init(&in);
	int rc = cli_read_reception(json, &in);
	if (!rc)
		rc = receive(db, user, &in);
	reception_input_release(&in);
	return rc;
}
