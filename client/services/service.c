/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "client/services/service.h"

#include <sodium.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "client/store/dossier_tx.h"
#include "core/text.h"

int service_refuse(struct strbuf *err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(err, fmt, ap);
	va_end(ap);
	return SERVICE_REFUSED;
}

int service_fault(struct strbuf *err, int sqlrc, const char *what)
{
	strbuf_addf(err, "%s: %s; chưa có gì được ghi vào kho", what, store_errmsg_vn(sqlrc));
	return SERVICE_FAULT;
}

int service_crypto_ready(struct strbuf *err)
{
	if (sodium_init() < 0)
		return service_refuse(err, "Không khởi tạo được thư viện mật mã (libsodium)");
	return SERVICE_OK;
}

int service_split_list(const char *text, const char *what, size_t max_chars, size_t max_items,
		       json_t **out, struct strbuf *err)
{
	json_t *list = json_array();
	for (const char *p = text ? text : ""; *p;) {
		size_t n = strcspn(p, ";\n");
		char *part = xstrndup(p, n), *clean;
		int rc = mc_text_form(part, what, max_chars, &clean, err);
		free(part);
		if (rc) {
			json_decref(list);
			return SERVICE_REFUSED;
		}
		if (clean) {
			if (json_array_size(list) == max_items) {
				free(clean);
				json_decref(list);
				return service_refuse(err, "%s: nhiều hơn %zu mục", what, max_items);
			}
			json_array_append_new(list, json_string(clean));
			free(clean);
		}
		p += n;
		if (*p)
			p++;
	}
	*out = list;
	return SERVICE_OK;
}

int service_transaction(struct store *st, service_work_fn *work, void *arg, struct strbuf *err)
{
	struct dossier_tx t;
	int sqlrc = dossier_tx_begin(&t, st);
	if (sqlrc != SQLITE_OK)
		return service_fault(err, sqlrc, "Không bắt đầu ghi được vào kho dữ liệu");
	int rc = work(st, arg, err);
	if (rc) {
		dossier_tx_rollback(&t);
		return rc;
	}
	sqlrc = dossier_tx_commit(&t);
	return sqlrc == SQLITE_OK ? SERVICE_OK : service_fault(err, sqlrc, "Không lưu được thao tác");
}
