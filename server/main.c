/* SPDX-License-Identifier: GPL-3.0-or-later */
/* motcua-server: command dispatch. */
#include "server/server.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "core/errors.h"
#include "core/version.h"

/* `motcua-server errors`: "STATUS CODE MESSAGE", one line per code the
 * server sends (core/errors.h; docs/api.md lists the same). */
static int cmd_errors(int argc, char **argv)
{
	(void)argv;
	if (argc > 1) {
		fputs("Cách dùng: motcua-server errors\n", stderr);
		return 2;
	}
	for (int e = MC_ERR_NONE + 1; e < MC_ERR_UNKNOWN; e++)
		if (mc_err_status(e))
			printf("%d %s %s\n", mc_err_status(e), mc_err_wire(e), mc_err_text(e));
	return 0;
}

static void usage(FILE *fp)
{
	fputs("Cách dùng: motcua-server LỆNH [TUỲ CHỌN]\n"
	      "  migrate --pg CONNINFO                 tạo hoặc nâng cấp lược đồ cơ sở dữ liệu\n"
	      "  import --pg CONNINFO [--data THƯ_MỤC] nhập đơn vị, thủ tục, ngày nghỉ\n"
	      "  user add --pg CONNINFO --username U --unit MÃ [--unit MÃ...]\n"
	      "           --role clerk|supervisor|admin [--full-name TÊN]   (mật khẩu từ stdin)\n"
	      "  user disable|enable --pg CONNINFO --username U\n"
	      "  token revoke --pg CONNINFO (--device MÃ | --username U)\n"
	      "  device release --pg CONNINFO --device MÃ   gỡ thiết bị khỏi người dùng đầu tiên\n"
	      "  serve --pg CONNINFO [--listen 127.0.0.1:8080] [--threads N] [--max-body BYTE]\n"
	      "        [--min-protocol 1]\n"
	      "        [--tls-cert TỆP --tls-key TỆP] [--token-days 30] [--lookup-per-minute 60]\n"
	      "  stats --pg CONNINFO                   số hồ sơ, sự kiện, tệp, thiết bị (JSON)\n"
	      "  leases --pg CONNINFO --unit MÃ [--reset]\n"
	      "                                        bộ đếm số hồ sơ của đơn vị; --reset đặt lại\n"
	      "                                        theo số đang dùng (JSON)\n"
	      "  snapshot --pg CONNINFO --unit MÃ [--unit MÃ]...\n"
	      "                                        bản chụp dữ liệu cho máy trạm mới (JSON)\n"
	      "  indicators --pg CONNINFO --from NGÀY --to NGÀY [--unit MÃ] [--clerk CÁN_BỘ]\n"
	      "                                        chỉ số phục vụ QĐ 766 (JSON)\n"
	      "  portal (enable|disable|run|status|list|retry|drop|codes) --pg CONNINFO ...\n"
	      "                                        liên thông Cổng Dịch vụ công quốc gia\n"
	      "  notify (run|status|list|retry|templates|template) --pg CONNINFO ...\n"
	      "                                        thông báo cho người dân (email, SMS)\n"
	      "  routes                                các đường dẫn của API, mỗi dòng một\n"
	      "  errors                                các mã lỗi của API, mỗi dòng một\n"
	      "  version\n"
	      "Cơ sở dữ liệu, địa chỉ nghe, TLS, giới hạn: --config TỆP (hoặc MOTCUA_CONFIG),\n"
	      "biến môi trường MOTCUA_PG, MOTCUA_PG_HOST..., MOTCUA_LISTEN... và PG* của libpq;\n"
	      "tùy chọn dòng lệnh được ưu tiên (man 8 motcua-server).\n", fp);
}

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
} commands[] = {
	{ "migrate", cmd_migrate },	  { "import", cmd_import }, { "user", cmd_user },
	{ "token", cmd_token },		  { "serve", cmd_serve },   { "indicators", cmd_indicators },
	{ "stats", cmd_stats },		  { "routes", cmd_routes }, { "errors", cmd_errors },
	{ "portal", cmd_portal },	  { "leases", cmd_leases },	  { "device", cmd_device },
	{ "snapshot", cmd_snapshot },
	{ "notify", cmd_notify },
};

int main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	if (sodium_init() < 0) {
		fputs(SERVER_NAME ": không khởi tạo được libsodium\n", stderr);
		return 1;
	}
	/* --config FILE (or --config=FILE) before the command */
	const char *conf = NULL;
	if (argc > 2 && !strcmp(argv[1], "--config")) {
		conf = argv[2];
		argc -= 2;
		argv += 2;
	} else if (argc > 1 && !strncmp(argv[1], "--config=", 9)) {
		conf = argv[1] + 9;
		argc--;
		argv++;
	}
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	const char *cmd = argv[1];
	argc--;
	argv++;
	if (!strcmp(cmd, "version") || !strcmp(cmd, "--version")) {
		printf(SERVER_NAME " %s\n", MOTCUA_VERSION);
		return 0;
	}
	if (!strcmp(cmd, "help") || !strcmp(cmd, "--help")) {
		usage(stdout);
		return 0;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(cmd, commands[i].name))
			continue;
		struct strbuf err = STRBUF_INIT;
		if (config_load(conf, &err)) {
			fprintf(stderr, SERVER_NAME ": %s\n", err.buf);
			strbuf_release(&err);
			config_release();
			return 2;
		}
		strbuf_release(&err);
		for (int a = 1; a < argc; a++) {
			if (!strcmp(argv[a], "--pg") && a + 1 < argc)
				config_warn_password(argv[a + 1]);
			else if (!strncmp(argv[a], "--pg=", 5))
				config_warn_password(argv[a] + 5);
		}
		int rc = commands[i].run(argc, argv);
		config_release();
		return rc;
	}
	fprintf(stderr, SERVER_NAME ": lệnh không rõ: %s\n", cmd);
	usage(stderr);
	return 2;
}
