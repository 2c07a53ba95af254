# SPDX-License-Identifier: GPL-3.0-or-later
# motcua online: the online dossiers of the workstation's unit (they come
# down from the server; here a store of unit 00004 gets them written as the
# feed writes them): list and show, accept (the code from the unit's
# numbering, the appointment from now), supplement (status 5, then
# accepted), refuse (a reason required); every refusal with status 2 and
# nothing changed.
dir="$T/store"
db="$dir/motcua.db"
q() { sqlite3 "$db" "$1"; }
state() { q "SELECT (SELECT count(*) FROM events) || ' ' || (SELECT count(*) FROM outbox) || ' ' ||
	(SELECT group_concat(code || ':' || status, ',') FROM dossiers WHERE channel = 2)"; }
on() { MOTCUA_NOW=${NOW:-2025-09-15T10:00} expect_status "${WANT:-0}" "$MOTCUA" online "$@" --db "$db"; }
refused() {
	msg=$1; shift
	before=$(state)
	WANT=2 on "$@"
	expect_grep "$T/err" "$msg"
	[ -s "$T/out" ] && fail "refused $*: stdout $(cat "$T/out")"
	expect_eq "store after refused $*" "$(state)" "$before"
}

MOTCUA_NOW=2025-09-15T10:00 "$MOTCUA" init --db "$db" --unit 00004 >/dev/null 2>"$T/init.err" ||
	fail "init: $(cat "$T/init.err")"
printf 'motcua\n' | "$MOTCUA" clerk add canbo --name "Nguyễn Thị Lan" --unit 00004 --db "$db" \
	>/dev/null 2>"$T/clerk.err" || fail "clerk add: $(cat "$T/clerk.err")"
q "CREATE TEMP TABLE o(code, name, submitted);
INSERT INTO o VALUES ('000.00.00.G22-250914-0001', 'Lê Văn Một', '2025-09-14T20:00'),
	('000.00.00.G22-250915-0002', 'Phạm Thị Hai', '2025-09-15T08:30'),
	('000.00.00.G22-250915-0003', 'Đỗ Văn Ba', '2025-09-15T09:00');
INSERT INTO dossiers(id, code, procedure_code, procedure_name, unit_code, clerk, channel, status,
	received_at, appointment, applicant_name, applicant_fold, id_number, updated_at)
SELECT 'on-' || substr(code, 15), code, '1.001193', 'Thủ tục đăng ký khai sinh', '00004', '', 2, 1,
	'', '', name, name, '001090054321', submitted FROM o;
INSERT INTO events(id, dossier_id, kind, status_to, actor, unit_code, device_time)
SELECT 'ev-' || substr(code, 15), 'on-' || substr(code, 15), 'online-submit', 1, 'dvcqg', '00004',
	submitted FROM o;
INSERT INTO documents(id, kind, title, sha256, bytes, created_at)
	VALUES ('doc-1', 'online', 'Tờ khai', 'ab$(printf '%062d' 0)', 1000, '2025-09-14T20:00');
INSERT INTO dossier_components(dossier_id, seq, name, kind, mandatory, originals_required,
	copies_required, originals, copies, document_id)
	VALUES ('on-250914-0001', 1, 'Tờ khai', 'submit', 1, 0, 0, 0, 1, 'doc-1');" ||
	fail "could not write the online dossiers"

# bad input
WANT=2 on
refused "lệnh online không rõ" frobnicate
refused "thiếu mã hồ sơ trực tuyến" show
refused "không có hồ sơ trực tuyến mã" show 000.00.00.G22-250914-0009
refused "online refuse cần --reason" refuse 000.00.00.G22-250914-0001
refused "online supplement cần --papers" supplement 000.00.00.G22-250914-0001
refused "--reason chỉ dùng với" accept 000.00.00.G22-250914-0001 --reason x
refused "--papers chỉ dùng với" refuse 000.00.00.G22-250914-0001 --reason x --papers y
refused "Lý do từ chối: cần ít nhất một mục" refuse 000.00.00.G22-250914-0001 --reason " ; "
refused "Không có hồ sơ trực tuyến mã" accept H01.00004-250915-0001
on --help
expect_grep "$T/out" "  list \[--all-units\]"

# list, show
on list
expect_eq "waiting" "$(wc -l <"$T/out")" 3
expect_grep "$T/out" '"code":"000.00.00.G22-250914-0001","procedure_code":"1.001193"'
expect_grep "$T/out" '"waiting":"14 giờ 0 phút"'
expect_grep "$T/out" '"papers":1,"papers_here":0'
on show 000.00.00.g22-250914-0001
expect_grep "$T/out" '"paper_list":\[{"seq":1,"name":"Tờ khai","sha256":"ab0000'
expect_grep "$T/out" '"path":null'

# accept: the unit's numbering and the procedure's time from now
on accept 000.00.00.G22-250914-0001 --user canbo
expect_eq "accepted" "$(cat "$T/out")" \
	'{"code":"H01.00004-250915-0001","portal_code":"000.00.00.G22-250914-0001","status":2,"status_name":"Đã tiếp nhận","received_at":"2025-09-15T10:00","appointment":"2025-09-16T10:00","code_review":false}'
expect_eq "its row" "$(q "SELECT code || ' ' || status || ' ' || received_at || ' ' || clerk || ' ' || rev
	FROM dossiers WHERE id = 'on-250914-0001'")" "H01.00004-250915-0001 2 2025-09-15T10:00 canbo 2"
expect_eq "its outbox row" "$(q "SELECT op || ' ' || base_rev || ' ' || json_extract(payload, '$.code') || ' ' ||
	json_extract(payload, '$.event.kind') FROM outbox")" "accept 1 H01.00004-250915-0001 accept"
expect_eq "its ledger number" "$(q "SELECT no FROM ledger_numbers WHERE dossier_id = 'on-250914-0001'")" 1
refused "Không có hồ sơ trực tuyến mã" accept 000.00.00.G22-250914-0001

# supplement, then refused from 5, then accepted from 5
on supplement 000.00.00.G22-250915-0002 --papers "Bản sao giấy chứng sinh; Ảnh" --reason "Ảnh mờ"
expect_eq "supplement" "$(cat "$T/out")" \
	'{"code":"000.00.00.G22-250915-0002","portal_code":"000.00.00.G22-250915-0002","status":5,"status_name":"Chờ bổ sung"}'
expect_eq "no ledger number while waiting" "$(q "SELECT count(*) FROM ledger_numbers WHERE dossier_id = 'on-250915-0002'")" 0
refused "Không thể từ chối tiếp nhận" refuse 000.00.00.G22-250915-0002 --reason "Quá hạn bổ sung"
NOW=2025-09-16T08:00 on accept 000.00.00.G22-250915-0002
expect_grep "$T/out" '"code":"H01.00004-250916-0001"'
expect_eq "numbered when accepted" "$(q "SELECT no FROM ledger_numbers WHERE dossier_id = 'on-250915-0002'")" 2

# refuse
on refuse 000.00.00.G22-250915-0003 --reason "Không thuộc thẩm quyền; Thiếu tờ khai"
expect_eq "refused" "$(q "SELECT status || ' ' || (finished_at IS NOT NULL) || ' ' || json_extract(payload, '$.reasons[1]')
	FROM dossiers d JOIN events e ON e.dossier_id = d.id AND e.kind = 'refuse'
	WHERE d.id = 'on-250915-0003'")" "3 1 Thiếu tờ khai"
on list
expect_eq "none waiting" "$(wc -l <"$T/out")" 0
expect_eq "outbox" "$(q "SELECT group_concat(op, ' ') FROM (SELECT op FROM outbox ORDER BY rowid)")" \
	"accept online-supplement accept refuse"
