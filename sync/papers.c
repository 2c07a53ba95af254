/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A citizen's papers held on the server: see papers.h. */
#include "sync/papers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client/store/docstore.h"
#include "client/base/clock.h"
#include "core/datetime.h"
#include "sync/download.h"
#include "sync/http.h"
#include "sync/sync.h"
#include "sync/upload.h"

/* One GET with the device token; the reply in *r. */
static int get(struct store *st, const char *path, struct sync_reply *r, struct strbuf *err)
{
	struct sync_config c;
	if (sync_config_load(st, &c) || c.stopped) {
		sync_config_release(&c);
		strbuf_addf(err, "%s: máy trạm chưa đăng nhập máy chủ", SYNC_PAPERS_OFFLINE_TEXT);
		memset(r, 0, sizeof *r);
		return SYNC_PAPERS_OFFLINE;
	}
	struct sync_http h;
	sync_http_init(&h, c.server_url, c.token, c.ca_file);
	int sent = sync_http_request(&h, "GET", path, NULL, r);
	sync_http_release(&h);
	sync_config_release(&c);
	if (sent) {
		strbuf_addf(err, "%s: %s", SYNC_PAPERS_OFFLINE_TEXT, r->error);
		return SYNC_PAPERS_OFFLINE;
	}
	return SYNC_PAPERS_OK;
}

/* A refusal or a fault from a status other than 200: the server's message. */
static int answer_error(const struct sync_reply *r, char **code, struct strbuf *err)
{
	json_t *o = json_loadb(r->body.buf ? r->body.buf : "", r->body.len, 0, NULL);
	json_t *e = json_object_get(o, "error");
	const char *msg = json_string_value(json_object_get(e, "message"));
	const char *wire = json_string_value(json_object_get(e, "code"));
	if (code && wire)
		*code = xstrdup(wire);
	strbuf_addf(err, "%s", msg ? msg : "máy chủ trả lời không kèm lý do");
	if (!msg)
		strbuf_addf(err, " (mã %ld)", r->status);
	json_decref(o);
	return r->status >= 400 && r->status < 500 && r->status != 401 ? SYNC_PAPERS_REFUSED
									: SYNC_PAPERS_FAULT;
}

int sync_papers_list(struct store *st, const char *id_number, const char *dossier, json_t **out,
		     char **code, struct strbuf *err)
{
	*out = NULL;
	if (code)
		*code = NULL;
	char *idn = sync_url_escape(id_number), *dc = sync_url_escape(dossier);
	char *path = xasprintf("/api/v1/papers?id_number=%s&dossier=%s", idn, dc);
	free(idn);
	free(dc);
	struct sync_reply r;
	int rc = get(st, path, &r, err);
	free(path);
	if (rc) {
		sync_reply_release(&r);
		return rc;
	}
	if (r.status != 200) {
		rc = answer_error(&r, code, err);
		sync_reply_release(&r);
		return rc;
	}
	json_t *o = json_loadb(r.body.buf ? r.body.buf : "", r.body.len, 0, NULL);
	sync_reply_release(&r);
	json_t *papers = json_object_get(o, "papers");
	if (!json_is_array(papers)) {
		json_decref(o);
		strbuf_addf(err, "Câu trả lời của máy chủ không hợp lệ (thiếu \"papers\")");
		return SYNC_PAPERS_FAULT;
	}
	*out = json_incref(papers);
	json_decref(o);
	return SYNC_PAPERS_OK;
}

/* The paper doc_id of the list, or NULL. */
static const json_t *find(const json_t *list, const char *doc_id)
{
	size_t i;
	json_t *p;
	json_array_foreach(list, i, p) {
		const char *id = json_string_value(json_object_get(p, "id"));
		if (id && !strcmp(id, doc_id))
			return p;
	}
	return NULL;
}

int sync_papers_fetch(struct store *st, const char *doc_id, const char *dossier,
		      const char *id_number, sync_papers_check_fn *check, void *arg, char **code,
		      struct strbuf *err)
{
	if (code)
		*code = NULL;
	/* the file first: a refusal (expired, unsigned, out of scope) says why */
	char *id = sync_url_escape(doc_id), *dc = sync_url_escape(dossier);
	char *path = xasprintf("/api/v1/papers/%s?dossier=%s", id, dc);
	free(id);
	free(dc);
	struct sync_reply r;
	int rc = get(st, path, &r, err);
	free(path);
	if (!rc && r.status != 200)
		rc = answer_error(&r, code, err);
	json_t *list = NULL;
	if (!rc)
		rc = sync_papers_list(st, id_number, dossier, &list, code, err);
	const json_t *p = rc ? NULL : find(list, doc_id);
	const char *sha = json_string_value(json_object_get(p, "sha256"));
	if (!rc && !sha)
		rc = (strbuf_addf(err, "Giấy tờ %s không có trong danh sách giấy tờ còn hiệu lực, đã ký"
				  " số của công dân trên máy chủ", doc_id), SYNC_PAPERS_REFUSED);
	bool created = false;
	if (!rc) {
		int f = sync_file_in(st, sha, &r, &created, err);
		if (f > 0)
			strbuf_addf(err, "Tệp máy chủ gửi cho giấy tờ %s không khớp mã băm SHA-256", doc_id);
		rc = f ? SYNC_PAPERS_FAULT : SYNC_PAPERS_OK;
	}
	char *file = rc ? NULL : docstore_file(st->path, sha);
	if (!rc && check)
		rc = check(file, arg, err);
	if (!rc) {
		struct mc_dt now;
		if (clock_now(&now))
			memset(&now, 0, sizeof now);
		char at[32];
		mc_format_dt(at, sizeof at, &now);
		int d = docstore_add_remote(st, p, id_number, at, err);
		rc = d == DOCSTORE_OK ? SYNC_PAPERS_OK
				      : d == DOCSTORE_REFUSED ? SYNC_PAPERS_REFUSED : SYNC_PAPERS_FAULT;
		/* the server holds the file: nothing for the file queue to send (were
		 * this lost, the queue's HEAD would find it held, once the attach is
		 * pushed, or send its bytes, stored once) */
		if (!rc)
			(void)sync_upload_held(st, sha, at);
	}
	if (rc && created)
		unlink(file);
	free(file);
	json_decref(list);
	sync_reply_release(&r);
	return rc;
}
