/* motcua-server: command dispatch. */
#include "server/server.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "core/version.h"

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
	      "        [--tls-cert TỆP --tls-key TỆP] [--token-days 30] [--lookup-per-minute 60]\n"
	      "  stats --pg CONNINFO                   số hồ sơ, sự kiện, tệp, thiết bị (JSON)\n"
	      "  leases --pg CONNINFO --unit MÃ [--reset]\n"
	      "                                        bộ đếm số hồ sơ của đơn vị; --reset đặt lại\n"
	      "                                        theo số đang dùng (JSON)\n"
	      "  indicators --pg CONNINFO --from NGÀY --to NGÀY [--unit MÃ] [--clerk CÁN_BỘ]\n"
	      "                                        chỉ số phục vụ QĐ 766 (JSON)\n"
	      "  version\n", fp);
}

int main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	if (sodium_init() < 0) {
		fputs(SERVER_NAME ": không khởi tạo được libsodium\n", stderr);
		return 1;
	}
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	const char *cmd = argv[1];
	argc--;
	argv++;
	if (!strcmp(cmd, "migrate"))
		return cmd_migrate(argc, argv);
	if (!strcmp(cmd, "import"))
		return cmd_import(argc, argv);
	if (!strcmp(cmd, "user"))
		return cmd_user(argc, argv);
	if (!strcmp(cmd, "token"))
		return cmd_token(argc, argv);
	if (!strcmp(cmd, "serve"))
		return cmd_serve(argc, argv);
	if (!strcmp(cmd, "indicators"))
		return cmd_indicators(argc, argv);
	if (!strcmp(cmd, "stats"))
		return cmd_stats(argc, argv);
	if (!strcmp(cmd, "leases"))
		return cmd_leases(argc, argv);
	if (!strcmp(cmd, "device"))
		return cmd_device(argc, argv);
	if (!strcmp(cmd, "version") || !strcmp(cmd, "--version")) {
		printf(SERVER_NAME " %s\n", MOTCUA_VERSION);
		return 0;
	}
	if (!strcmp(cmd, "help") || !strcmp(cmd, "--help")) {
		usage(stdout);
		return 0;
	}
	fprintf(stderr, SERVER_NAME ": lệnh không rõ: %s\n", cmd);
	usage(stderr);
	return 2;
}
