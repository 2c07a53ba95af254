/* SPDX-License-Identifier: GPL-3.0-or-later */
/* motcua attach: a paper of a dossier component, scanned files or a paper
 * already in the citizen's document store (docs/documents.md).
 *
 *   motcua attach CODE --component ID FILE... [--kind K] [--title T]
 *                 [--number N] [--issuer I] [--issued YYYY-MM-DD]
 *                 [--expires YYYY-MM-DD] [--no-ocr] [--user CLERK] [--db PATH]
 *                 [--type PAPER_TYPE] [(--pkcs12 FILE | --pkcs11 MODULE
 *                 [--token LABEL] [--key LABEL]) [--chain CA.pem]]
 *   motcua attach CODE --component ID --reuse DOC_ID [--ca CA.pem]
 *                 [--user CLERK] [--db PATH]
 *   motcua attach CODE --component ID --reuse-server DOC_ID [--ca CA.pem]
 *                 [--user CLERK] [--db PATH]
 *
 * With a key (--pkcs12 or --pkcs11, the PIN or password from MOTCUA_PIN or
 * standard input) the digitized copy is signed (PAdES, client/sign/sign.h)
 * before it is filed, and the store records the signer and the time; the
 * sha256 is the signed file's. --type records the paper's type
 * (core/papertype.h). A reused paper that was filed signed is verified again
 * first (--ca, else MOTCUA_CA: the CA certificates trusted): changed, or
 * signed by an untrusted certificate, it is refused with the reason
 * (docs/reuse.md).
 *
 * --reuse-server takes a paper of the applicant held on the server (`motcua
 * papers --online`, docs/reuse.md "Across units"): its file is fetched for
 * this dossier (the server checks the scope and logs the look-up), checked
 * against its SHA-256 and verified like --reuse before its row is filed
 * here under the server's id; then it is reused as above, so that the
 * component points at the same document and no new file is made.
 *
 * The files (PDF, JPEG, PNG, TIFF) become one compact PDF (fileimport,
 * docpdf), filed once under documents/<sha256>.pdf; the document row, the
 * component's document_id, the 'attach' event and the outbox row are one
 * transaction. OCR runs before the command returns (unless --no-ocr). JSON
 * on stdout:
 *   {"code","component","document_id","sha256","pages","bytes","reused","ocr_state"}
 * Exit 2 for bad input (nothing written), 1 for a fault of the disk or store. */
#include "client/base/files.h"
#include "client/cli/cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "client/base/clock.h"
#include "client/scan/docpdf.h"
#include "client/store/docstore.h"
#include "client/scan/fileimport.h"
#include "client/scan/ocrworker.h"
#include "client/scan/pagestore.h"
#include "client/sign/sign.h"
#include "client/store/store.h"
#include "core/datetime.h"
#include "sync/papers.h"
#include "core/papertype.h"
#include "core/xalloc.h"

struct opts {
	const char *db, *user, *code, *reuse, *reuse_server;
	const char *p12, *module, *token, *key, *chain, *ca;
	int component;
	bool no_ocr;
	struct doc_meta meta;
	const char **files;
	size_t nfiles;
};

static int usage(void)
{
	fputs("Cách dùng:\n"
	      "  motcua attach MÃ_HỒ_SƠ --component SỐ TỆP... [--kind LOẠI] [--title TÊN]\n"
	      "                [--number SỐ] [--issuer NƠI_CẤP] [--issued YYYY-MM-DD]\n"
	      "                [--expires YYYY-MM-DD] [--no-ocr] [--user CÁN_BỘ] [--db ĐƯỜNG_DẪN]\n"
	      "                [--type LOẠI_GIẤY_TỜ] [(--pkcs12 TỆP.p12 | --pkcs11 MÔ_ĐUN.so\n"
	      "                [--token TÊN_THẺ] [--key TÊN_KHÓA]) [--chain CA.pem]]\n"
	      "  motcua attach MÃ_HỒ_SƠ --component SỐ --reuse MÃ_GIẤY_TỜ [--ca CA.pem]\n"
	      "                [--user CÁN_BỘ]\n"
	      "  motcua attach MÃ_HỒ_SƠ --component SỐ --reuse-server MÃ_GIẤY_TỜ [--ca CA.pem]\n"
	      "Gắn giấy tờ đã số hóa (PDF, JPEG, PNG, TIFF) vào một thành phần hồ sơ, hoặc dùng\n"
	      "lại giấy tờ còn hạn của người nộp đã có trong kho (--reuse) hoặc lưu trên máy chủ\n"
	      "(--reuse-server, xem motcua papers --online).\n"
	      "Có khóa (--pkcs12 hoặc --pkcs11; mã PIN từ MOTCUA_PIN hoặc đầu vào chuẩn) thì bản\n"
	      "số hóa được ký số trước khi lưu. Giấy tờ đã ký được kiểm tra lại chữ ký khi dùng\n"
	      "lại (--ca hoặc MOTCUA_CA: chứng thư CA được tin cậy).\n"
	      "Loại giấy tờ (--type): cccd, cmnd, passport, birth, marriage, marital, death,\n"
	      "residence, land.\n",
	      stdout);
	return CLI_OK;
}

static int check_date(const char *opt, const char *v)
{
	struct mc_date d;
	if (mc_parse_date(v, &d))
		return cli_bad("%s cần một ngày dạng YYYY-MM-DD (nhận «%s»)", opt, v);
	return CLI_OK;
}

static int parse(int argc, char **argv, struct opts *o)
{
	memset(o, 0, sizeof *o);
	o->files = xcalloc((size_t)argc, sizeof *o->files);
	struct {
		const char *name;
		const char **dst;
	} vals[] = {
		{ "--db", &o->db }, { "--user", &o->user }, { "--reuse", &o->reuse },
		{ "--reuse-server", &o->reuse_server },
		{ "--kind", &o->meta.kind }, { "--title", &o->meta.title },
		{ "--number", &o->meta.number }, { "--issuer", &o->meta.issuer },
		{ "--issued", &o->meta.issued_on }, { "--expires", &o->meta.expires_on },
		{ "--type", &o->meta.paper_type }, { "--pkcs12", &o->p12 },
		{ "--pkcs11", &o->module }, { "--token", &o->token }, { "--key", &o->key },
		{ "--chain", &o->chain }, { "--ca", &o->ca },
		{ "--component", NULL },
	};
	const char *component = NULL;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--help") || !strcmp(a, "-h"))
			return -1;
		if (!strcmp(a, "--no-ocr")) {
			o->no_ocr = true;
			continue;
		}
		bool known = false;
		for (size_t k = 0; k < sizeof vals / sizeof vals[0] && !known; k++) {
			const char *v = NULL;
			int r = cli_option(argc, argv, &i, vals[k].name, &v);
			if (r < 0)
				return cli_bad("tùy chọn %s cần một giá trị", a);
			if (!r)
				continue;
			known = true;
			const char **dst = vals[k].dst ? vals[k].dst : &component;
			if (*dst)
				return cli_bad("tùy chọn %s chỉ được dùng một lần", vals[k].name);
			*dst = v;
		}
		if (known)
			continue;
		if (a[0] == '-' && a[1])
			return cli_bad("tùy chọn không hợp lệ cho attach: %s (xem: motcua attach --help)", a);
		if (!o->code)
			o->code = a;
		else
			o->files[o->nfiles++] = a;
	}
	if (!o->code || !*o->code)
		return cli_bad("thiếu mã hồ sơ (xem: motcua attach --help)");
	if (!component)
		return cli_bad("thiếu --component SỐ: thành phần hồ sơ cần gắn giấy tờ");
	char *end;
	errno = 0;
	long c = strtol(component, &end, 10);
	if (!*component || *end || errno || c < 1 || c > 100000)
		return cli_bad("--component cần số thứ tự của thành phần hồ sơ (nhận «%s»)", component);
	o->component = (int)c;
	if (o->reuse && o->reuse_server)
		return cli_bad("chọn một trong hai: --reuse (giấy tờ trong kho) hoặc --reuse-server"
			       " (giấy tờ trên máy chủ)");
	if (o->reuse_server) {
		if (!*o->reuse_server)
			return cli_bad("--reuse-server rỗng");
		o->reuse = o->reuse_server;
	}
	if (o->reuse && o->nfiles)
		return cli_bad("chọn một trong hai: tệp giấy tờ mới hoặc --reuse MÃ_GIẤY_TỜ");
	if (o->reuse && (o->meta.kind || o->meta.title || o->meta.number || o->meta.issuer ||
			 o->meta.issued_on || o->meta.expires_on || o->meta.paper_type || o->p12 ||
			 o->module))
		return cli_bad("--reuse dùng lại giấy tờ như đã lưu: không kèm --kind, --number...");
	if (!o->reuse && !o->nfiles)
		return cli_bad("thiếu tệp giấy tờ (PDF, JPEG, PNG, TIFF) hoặc --reuse MÃ_GIẤY_TỜ");
	if (o->reuse && !*o->reuse)
		return cli_bad("--reuse rỗng");
	if (o->ca && !o->reuse)
		return cli_bad("--ca chỉ dùng cùng --reuse (kiểm tra chữ ký của giấy tờ dùng lại)");
	if (o->p12 && o->module)
		return cli_bad("cần đúng một khóa: --pkcs12 TỆP.p12 hoặc --pkcs11 MÔ_ĐUN.so");
	if ((o->token || o->key) && !o->module)
		return cli_bad("--token và --key chỉ dùng với --pkcs11");
	if (o->chain && !o->p12 && !o->module)
		return cli_bad("--chain chỉ dùng cùng một khóa ký (--pkcs12 hoặc --pkcs11)");
	if (o->meta.paper_type && mc_paper_type_from_code(o->meta.paper_type) == MC_PT_COUNT)
		return cli_bad("loại giấy tờ «%.20s» không có: cccd, cmnd, passport, birth, marriage,"
			       " marital, death, residence, land", o->meta.paper_type);
	int rc = CLI_OK;
	if (o->meta.issued_on)
		rc = check_date("--issued", o->meta.issued_on);
	if (!rc && o->meta.expires_on)
		rc = check_date("--expires", o->meta.expires_on);
	if (!rc && o->meta.issued_on && o->meta.expires_on &&
	    strcmp(o->meta.expires_on, o->meta.issued_on) < 0)
		rc = cli_bad("ngày hết hạn %s trước ngày cấp %s", o->meta.expires_on, o->meta.issued_on);
	return rc;
}

static int from_docstore(int r, struct strbuf *err)
{
	if (r == DOCSTORE_REFUSED)
		return cli_bad("%s", err->buf);
	if (r)
		return cli_fault("%s", err->buf);
	return CLI_OK;
}

static void print_result(const char *code, int component, const char *doc_id, const char *sha,
			 int pages, long long bytes, bool reused, const char *ocr_state)
{
	json_t *o = json_object();
	json_object_set_new(o, "code", json_string(code));
	json_object_set_new(o, "component", json_integer(component));
	json_object_set_new(o, "document_id", json_string(doc_id));
	json_object_set_new(o, "sha256", json_string(sha));
	if (pages >= 0) {
		json_object_set_new(o, "pages", json_integer(pages));
		json_object_set_new(o, "bytes", json_integer(bytes));
	}
	json_object_set_new(o, "reused", json_boolean(reused));
	if (ocr_state)
		json_object_set_new(o, "ocr_state", json_string(ocr_state));
	char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	puts(s);
	free(s);
	json_decref(o);
}

/* The pages are not kept (the paper was not filed). */
static void drop_pages(struct pagestore *ps)
{
	struct strbuf err = STRBUF_INIT;
	pagestore_remove(ps, &err);
	strbuf_release(&err);
}

/* The scans folder, when no other paper is being scanned. */
static void remove_scans(const char *db_path)
{
	char *dir = pagestore_dir_for(db_path, "x");
	*strrchr(dir, '/') = '\0';
	rmdir(dir);
	free(dir);
}

/* The digitized copy signed in place (an invisible signature: the copy is
 * the paper as scanned); info gets the signed file's size and sha256. */
static int sign_digitized(struct signer *signer, const char *tmp, struct docpdf_info *info,
			  struct sign_result *sig, struct strbuf *err)
{
	struct sign_opts so = { .reason = "Bản sao điện tử được số hóa từ giấy tờ gốc" };
	int r = signer_sign_file(signer, tmp, tmp, &so, sig, err);
	if (r == MC_EXIT_BADINPUT)
		return cli_bad("%s; chưa ghi gì", err->buf);
	if (r)
		return cli_fault("%s; chưa ghi gì", err->buf);
	snprintf(info->sha256, sizeof info->sha256, "%s", sig->sha256);
	info->bytes = (long long)sig->bytes;
	return CLI_OK;
}

/* A reused paper that was filed signed: its file verified again. */
static int check_reuse_signature(struct store *st, const char *db_path, const struct opts *o,
				 struct strbuf *err)
{
	char *signer = NULL;
	int rc = from_docstore(docstore_signer(st, o->reuse, &signer, err), err);
	if (rc || !signer)
		return rc;
	char sha[65];
	if ((rc = from_docstore(docstore_sha256(st, o->reuse, sha, err), err))) {
		free(signer);
		return rc;
	}
	char *file = docstore_file(db_path, sha);
	const char *ca = o->ca ? o->ca : getenv("MOTCUA_CA");
	struct strbuf why = STRBUF_INIT;
	int r = verify_for_reuse(file, ca && *ca ? ca : NULL, &why, err);
	if (r == MC_EXIT_BADINPUT)
		rc = cli_bad("giấy tờ «%s» không dùng lại được: %s", o->reuse, err->buf);
	else if (r)
		rc = cli_fault("%s", err->buf);
	else if (why.len)
		rc = cli_bad("giấy tờ «%s» (ký số: %s) không dùng lại được: %s; hãy quét bản mới",
			     o->reuse, signer, why.buf);
	strbuf_release(&why);
	free(file);
	free(signer);
	return rc;
}

/* The fetched file of a server's paper, verified before its row is filed. */
static int check_fetched(const char *file, void *arg, struct strbuf *err)
{
	const struct opts *o = arg;
	const char *ca = o->ca ? o->ca : getenv("MOTCUA_CA");
	struct strbuf why = STRBUF_INIT;
	int rc = SYNC_PAPERS_OK;
	int r = verify_for_reuse(file, ca && *ca ? ca : NULL, &why, err);
	if (r)
		rc = r == MC_EXIT_BADINPUT ? SYNC_PAPERS_REFUSED : SYNC_PAPERS_FAULT;
	else if (why.len)
		rc = (strbuf_addf(err, "chữ ký số: %s", why.buf), SYNC_PAPERS_REFUSED);
	strbuf_release(&why);
	return rc;
}

/* The server's paper o->reuse, fetched and filed here for dossier o->code. */
static int fetch_server_paper(struct store *st, const struct opts *o, struct strbuf *err)
{
	char *idn = NULL, *dcode = NULL, *code = NULL;
	int rc = from_docstore(docstore_applicant(st, o->code, &idn, &dcode, err), err);
	if (rc)
		return rc;
	int r = sync_papers_fetch(st, o->reuse, dcode, idn, check_fetched, (void *)o, &code, err);
	if (r == SYNC_PAPERS_REFUSED)
		rc = cli_bad("giấy tờ «%s» trên máy chủ không dùng lại được: %s%s%s%s", o->reuse,
			     err->buf, code ? " (" : "", code ? code : "", code ? ")" : "");
	else if (r)
		rc = cli_fault("%s", err->buf);
	free(code);
	free(dcode);
	free(idn);
	return rc;
}

/* The files as one PDF in the documents folder, filed by its sha256, signed
 * first when signer is not NULL (sig gets the signature); their pages in a
 * pagestore of their own, ps, open when the result is CLI_OK (the pages are
 * then the OCR's). */
static int make_pdf(const struct opts *o, const char *db_path, struct pagestore *ps,
		    struct docpdf_info *info, bool *created, const struct mc_dt *now,
		    struct signer *signer, struct sign_result *sig)
{
	char key[64], uuid[37];
	store_uuid7(uuid);
	snprintf(key, sizeof key, "attach-%s", uuid);
	char *pages_dir = pagestore_dir_for(db_path, key);
	char *docs = docstore_dir(db_path);
	char *tmp = xasprintf("%s/.incoming-%s.pdf", docs, uuid);
	struct strbuf err = STRBUF_INIT;
	int rc = CLI_OK;
	if (pagestore_open(ps, pages_dir, &err)) {
		rc = cli_fault("%s", err.buf);
		goto out;
	}
	for (size_t i = 0; i < o->nfiles && rc == CLI_OK; i++) {
		int r = fileimport_file(ps, o->files[i], 0, NULL, &err);
		if (r > 0)
			rc = cli_bad("%s; chưa ghi gì", err.buf);
		else if (r < 0)
			rc = cli_fault("%s; chưa ghi gì", err.buf);
	}
	if (rc == CLI_OK) {
		char date[32];
		mc_format_dt(date, sizeof date, now);
		if (mkdir(docs, 0700) && errno != EEXIST)
			rc = cli_fault("không tạo được thư mục %s: %s", docs, files_errno_vn(errno));
		else if (docpdf_write(ps, tmp, o->meta.title, date, info, &err))
			rc = cli_fault("%s; chưa ghi gì", err.buf);
		else if (signer && (rc = sign_digitized(signer, tmp, info, sig, &err)))
			unlink(tmp);
		else if (docstore_file_in(db_path, tmp, info->sha256, created, &err))
			rc = cli_fault("%s; chưa ghi gì", err.buf);
	}
	if (rc != CLI_OK) {
		drop_pages(ps);
		remove_scans(db_path);
	}
out:
	strbuf_release(&err);
	free(tmp);
	free(docs);
	free(pages_dir);
	return rc;
}

/* The paper's text, read now from its pages (ocrworker.h): its state. */
static void run_ocr(struct store *st, const char *db_path, const char *doc_id,
		    const char **state)
{
	int done = 0, failed = 0;
	struct strbuf err = STRBUF_INIT;
	struct progress p;
	progress_begin(&p, "ocr", "Nhận dạng chữ (trang)", 0, PROGRESS_ITEMS);
	int rc = ocr_pending_pass_progress(st, db_path, doc_id, NULL, &p, &done, &failed, &err);
	progress_end(&p);
	if (rc)
		fprintf(stderr, "motcua: %s\n", err.buf);
	else if (failed)
		fprintf(stderr, "motcua: chưa nhận dạng được chữ (OCR) của mọi trang; giấy tờ vẫn"
			" được lưu\n");
	*state = done ? "done" : failed ? "failed" : "pending";
	strbuf_release(&err);
}

static int attach(const struct opts *o)
{
	char *path = cli_db_path(o->db);
	struct store st;
	struct strbuf err = STRBUF_INIT;
	int rc = CLI_OK;
	char *clerk = NULL;
	struct mc_dt now;
	if (store_open(&st, path, 0, &err)) {
		rc = access(path, F_OK) ? cli_bad("%s", err.buf) : cli_fault("%s", err.buf);
		goto out;
	}
	if (clock_now(&now)) {
		rc = cli_fault("không đọc được đồng hồ hệ thống");
		goto close;
	}
	clerk = cli_pick_clerk(&st, o->user);
	if (!clerk) {
		rc = cli_bad("chưa rõ cán bộ thực hiện: dùng --user TÊN_ĐĂNG_NHẬP");
		goto close;
	}
	/* Refuse an unknown dossier or component before any file work. */
	if ((rc = from_docstore(docstore_check_component(&st, o->code, o->component, NULL, &err),
				&err)))
		goto close;
	char doc_id[37];
	if (o->reuse) {
		char sha[65];
		if (o->reuse_server && (rc = fetch_server_paper(&st, o, &err)))
			goto close;
		if ((rc = check_reuse_signature(&st, path, o, &err)))
			goto close;
		rc = from_docstore(docstore_attach_reuse(&st, o->code, o->component, o->reuse, clerk,
							 &now, &err), &err);
		if (!rc && !(rc = from_docstore(docstore_sha256(&st, o->reuse, sha, &err), &err)))
			print_result(o->code, o->component, o->reuse, sha, -1, 0, true, NULL);
		goto close;
	}
	struct docpdf_info info;
	struct pagestore ps;
	bool created = false;
	struct signer *signer = NULL;
	struct sign_result sig;
	memset(&sig, 0, sizeof sig);
	if (o->p12 || o->module) {
		struct sign_key key = {
			.kind = o->module ? SIGN_KEY_PKCS11 : SIGN_KEY_PKCS12,
			.file = o->module ? o->module : o->p12,
			.token = o->token, .key = o->key, .chain = o->chain,
			.secret = getenv("MOTCUA_PIN"), .ask = cli_ask_secret,
		};
		int r = signer_open(&signer, &key, &err);
		if (r) {
			rc = r == MC_EXIT_BADINPUT ? cli_bad("%s", err.buf) : cli_fault("%s", err.buf);
			goto close;
		}
	}
	rc = make_pdf(o, path, &ps, &info, &created, &now, signer, &sig);
	signer_free(signer);
	if (rc) {
		sign_result_release(&sig);
		goto close;
	}
	struct doc_meta meta = o->meta;
	if (sig.signer) {
		meta.signer = sig.signer;
		meta.signed_at = sig.signed_at;
	}
	int r = docstore_attach_new(&st, o->code, o->component, &meta, info.sha256, info.pages,
				    info.bytes, clerk, &now, doc_id, &err);
	sign_result_release(&sig);
	if (r) {
		drop_pages(&ps);
	} else { /* its text is read from them, now or by the TUI's worker */
		struct strbuf ignored = STRBUF_INIT;
		ocr_keep_pages(&ps, path, doc_id, &ignored);
		strbuf_release(&ignored);
	}
	remove_scans(path);
	if (r) {
		if (created) { /* nothing half-written: the file we filed goes too */
			char *file = docstore_file(path, info.sha256);
			unlink(file);
			free(file);
		}
		rc = from_docstore(r, &err);
		goto close;
	}
	const char *state = "pending";
	if (!o->no_ocr)
		run_ocr(&st, path, doc_id, &state);
	print_result(o->code, o->component, doc_id, info.sha256, info.pages, info.bytes, false,
		     state);
close:
	store_close(&st);
out:
	if (rc == CLI_OK && (fflush(stdout) || ferror(stdout)))
		rc = cli_fault("không ghi được kết quả: %s", strerror(errno));
	free(clerk);
	strbuf_release(&err);
	free(path);
	return rc;
}

int cli_attach(int argc, char **argv)
{
	struct opts o;
	int rc = parse(argc, argv, &o);
	if (rc < 0)
		rc = usage();
	else if (rc == CLI_OK)
		rc = attach(&o);
	free(o.files);
	return rc;
}
