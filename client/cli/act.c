/* SPDX-License-Identifier: GPL-3.0-or-later */
/* motcua act CODE ACTION [options]: one action on a dossier after its
 * reception, with exactly the detail screen's rules (client/services/dossier_action.h,
 * docs/lifecycle.md). Prints {"code", "status", "status_name", "appointment"}.
 * Bad input or an action the dossier does not allow now: exit 2, nothing
 * written; a store fault: exit 1, nothing written.
 *
 * result-ready --file files the result in the citizen's document store
 * (reusable, docs/reuse.md), signed first with --pkcs11 MODULE [--token
 * LABEL] [--key LABEL] or --pkcs12 FILE (the PIN or password from MOTCUA_PIN
 * or standard input); --type and --expires record its paper type and
 * validity; the dossier's result_document_id names it. */
#include "client/cli/cli.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "client/base/clock.h"
#include "client/services/dossier_action.h"
#include "client/store/store.h"
#include "core/lifecycle.h"
#include "core/xalloc.h"

static int usage(void)
{
	fputs("Cách dùng: motcua act MÃ_HỒ_SƠ THAO_TÁC [tùy chọn] [--db ĐƯỜNG_DẪN] [--user CÁN_BỘ]\n"
	      "Thao tác (xem docs/lifecycle.md):\n"
	      "  transfer --to MÃ_ĐƠN_VỊ [--reason GHI_CHÚ]      chuyển xử lý\n"
	      "  request-supplement --papers \"giấy 1; giấy 2\" [--reason LÝ_DO]\n"
	      "                                                 yêu cầu bổ sung (mẫu 02)\n"
	      "  supplement-received [--reason GHI_CHÚ]          nhận hồ sơ bổ sung\n"
	      "  refuse --reason \"lý do 1; lý do 2\"              từ chối tiếp nhận (mẫu 03)\n"
	      "  apologize (--days N | --date YYYY-MM-DD[THH:MM]) --reason LÝ_DO\n"
	      "                                                 xin lỗi, hẹn lại (mẫu 04)\n"
	      "  result-ready --result-code SỐ [--file TỆP [--type LOẠI] [--expires YYYY-MM-DD]\n"
	      "               [--pkcs11 MÔ_ĐUN.so [--token TÊN_THẺ] [--key TÊN_KHÓA] |\n"
	      "                --pkcs12 TỆP.p12]]              có kết quả (tệp kết quả được\n"
	      "                                                 ký số và lưu vào kho giấy tờ)\n"
	      "  return [--method counter|post|online] [--recipient TÊN]\n"
	      "                                                 trả kết quả\n"
	      "  rate --rating 1|2|3 [--comment Ý_KIẾN]          đánh giá: 1 rất hài lòng,\n"
	      "                                                 2 hài lòng, 3 không hài lòng\n"
	      "  withdraw --reason LÝ_DO                         rút hồ sơ\n"
	      "  stop --reason LÝ_DO                             dừng xử lý\n"
	      "  reassign --to-clerk TÊN_ĐĂNG_NHẬP [--reason LÝ_DO]\n"
	      "                                                 giao cho cán bộ khác của đơn vị\n"
	      "                                                 (cán bộ giám sát)\n"
	      "In ra {\"code\", \"status\", \"status_name\", \"appointment\"}.\n",
	      stdout);
	return CLI_OK;
}

/* The actions `act` runs, for messages. */
static void list_actions(struct strbuf *sb)
{
	for (int a = 0; a < MC_ACTION_COUNT; a++) {
		if (!dossier_action_supported((enum mc_action)a))
			continue;
		if (sb->len)
			strbuf_addstr(sb, ", ");
		strbuf_addstr(sb, mc_action_id((enum mc_action)a));
	}
	strbuf_addstr(sb, ", " MC_REASSIGN_ID);
}

/* A whole decimal integer in [lo, hi], or -1 with a message. */
static int parse_int(const char *flag, const char *s, int lo, int hi, int *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (!*s || *end || errno || v < lo || v > hi)
		return cli_bad("%s cần một số nguyên từ %d đến %d (gặp «%.20s»)", flag, lo, hi, s);
	*out = (int)v;
	return CLI_OK;
}

static void print_result(const struct dossier_action_result *res)
{
	json_t *o = json_object();
	json_object_set_new(o, "code", json_string(res->code));
	json_object_set_new(o, "status", json_integer(res->status));
	json_object_set_new(o, "status_name", json_string(mc_status_name(res->status)));
	json_object_set_new(o, "appointment", json_string(res->appointment));
	cli_print_json(o);
}

static int act(const char *db_opt, const char *user, const char *code,
	       const struct dossier_action_input *in, const char *to_clerk)
{
	struct mc_dt now;
	struct store st;
	int rc = cli_now(&now);
	if (rc || (rc = cli_open_store(&st, db_opt, STORE_EXCLUSIVE, false)))
		return rc;
	struct strbuf err = STRBUF_INIT;
	char *clerk = cli_pick_clerk(&st, user);
	struct dossier_action_result res;
	if (!clerk) {
		rc = cli_bad("chưa rõ cán bộ thực hiện: dùng --user TÊN_ĐĂNG_NHẬP (kho có không hoặc"
			     " nhiều cán bộ)");
	} else {
		int r = to_clerk ? dossier_reassign_commit(&st, code, to_clerk, in->reason, clerk, &now,
							   &res, &err)
				 : dossier_action_commit(&st, code, in, clerk, &now, &res, &err);
		if (r == DOSSIER_ACTION_FAULT)
			rc = cli_fault("%s", err.buf);
		else if (r)
			rc = cli_bad("%s", err.buf);
		else
			print_result(&res);
	}
	free(clerk);
	store_close(&st);
	strbuf_release(&err);
	return rc;
}

int cli_act(int argc, char **argv)
{
	const char *db = NULL, *user = NULL, *code = NULL, *action = NULL;
	const char *days = NULL, *rating = NULL, *to_clerk = NULL;
	const char *module = NULL, *p12 = NULL, *token = NULL, *key_label = NULL;
	struct dossier_action_input in;
	dossier_action_input_init(&in, MC_ACTION_COUNT);
	struct {
		const char *flag;
		char **text;
		const char **raw;
	} opts[] = {
		{ "--reason", &in.reason, NULL }, { "--to", &in.to_unit, NULL },
		{ "--date", &in.date, NULL }, { "--comment", &in.comment, NULL },
		{ "--result-code", &in.result_code, NULL }, { "--file", &in.result_file, NULL },
		{ "--method", &in.method, NULL }, { "--recipient", &in.recipient, NULL },
		{ "--papers", &in.papers, NULL }, { "--days", NULL, &days },
		{ "--rating", NULL, &rating }, { "--db", NULL, &db }, { "--user", NULL, &user },
		{ "--to-clerk", NULL, &to_clerk },
		{ "--type", &in.result_type, NULL }, { "--expires", &in.result_expires, NULL },
		{ "--pkcs11", NULL, &module }, { "--pkcs12", NULL, &p12 },
		{ "--token", NULL, &token }, { "--key", NULL, &key_label },
	};
	const size_t nopts = sizeof opts / sizeof opts[0];
	int rc = CLI_OK;
	for (int i = 1; i < argc && !rc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			dossier_action_input_release(&in);
			return usage();
		}
		if (a[0] != '-' || !a[1]) {
			if (!code)
				code = a;
			else if (!action)
				action = a;
			else
				rc = cli_bad("thừa tham số «%.40s»: chỉ nhận MÃ_HỒ_SƠ và THAO_TÁC", a);
			continue;
		}
		size_t k = 0;
		const char *value = NULL;
		int r = 0;
		while (k < nopts && !(r = cli_option(argc, argv, &i, opts[k].flag, &value)))
			k++;
		if (k == nopts) {
			rc = cli_bad("tùy chọn không hợp lệ cho act: %s (xem: motcua act --help)", a);
			break;
		}
		if (r < 0) {
			rc = cli_bad("tùy chọn %s cần một giá trị", a);
			break;
		}
		if ((opts[k].text && *opts[k].text) || (opts[k].raw && *opts[k].raw))
			rc = cli_bad("tùy chọn %s được cho hai lần", opts[k].flag);
		else if (opts[k].text)
			*opts[k].text = xstrdup(value);
		else
			*opts[k].raw = value;
	}
	if (!rc && !code)
		rc = cli_bad("thiếu mã hồ sơ (xem: motcua act --help)");
	if (!rc && !action) {
		struct strbuf sb = STRBUF_INIT;
		list_actions(&sb);
		rc = cli_bad("thiếu thao tác: một trong %s", sb.buf);
		strbuf_release(&sb);
	}
	bool reassign = !rc && !strcmp(action, MC_REASSIGN_ID);
	if (reassign) {
		/* every option but --reason, --to-clerk, --db and --user is refused */
		for (size_t k = 0; k < nopts && !rc; k++) {
			bool given = opts[k].text ? *opts[k].text != NULL : *opts[k].raw != NULL;
			const char *f = opts[k].flag;
			if (given && strcmp(f, "--reason") && strcmp(f, "--to-clerk") && strcmp(f, "--db") &&
			    strcmp(f, "--user"))
				rc = cli_bad("Thao tác «%s» không dùng %s", MC_REASSIGN_LABEL, f);
		}
		if (!rc && !to_clerk)
			rc = cli_bad("Cán bộ nhận hồ sơ: thao tác «%s» cần --to-clerk TÊN_ĐĂNG_NHẬP",
				     MC_REASSIGN_LABEL);
	} else if (!rc && to_clerk) {
		rc = cli_bad("--to-clerk chỉ dùng với thao tác reassign (giao cho cán bộ khác)");
	}
	if (!rc && !reassign) {
		int a = mc_action_from_id(action);
		if (a < 0 || !dossier_action_supported((enum mc_action)a)) {
			struct strbuf sb = STRBUF_INIT;
			list_actions(&sb);
			rc = cli_bad("thao tác không hợp lệ «%.40s»: một trong %s", action, sb.buf);
			strbuf_release(&sb);
		} else {
			in.action = (enum mc_action)a;
		}
	}
	if (!rc && days)
		rc = parse_int("--days", days, 1, DOSSIER_ACTION_DAYS_MAX, &in.days);
	if (!rc && rating)
		rc = parse_int("--rating", rating, 1, 3, &in.rating);
	if (!rc && db && !*db)
		rc = cli_bad("đường dẫn --db rỗng");
	if (!rc && module && p12)
		rc = cli_bad("cần đúng một khóa: --pkcs12 TỆP.p12 hoặc --pkcs11 MÔ_ĐUN.so");
	if (!rc && (token || key_label) && !module)
		rc = cli_bad("--token và --key chỉ dùng với --pkcs11");
	struct sign_key key = {
		.kind = module ? SIGN_KEY_PKCS11 : SIGN_KEY_PKCS12,
		.file = module ? module : p12, .token = token, .key = key_label,
		.secret = getenv("MOTCUA_PIN"), .ask = cli_ask_secret,
	};
	if (module || p12)
		in.result_key = &key;
	if (!rc)
		rc = act(db, user, code, &in, reassign ? to_clerk : NULL);
	dossier_action_input_release(&in);
	return rc;
}
