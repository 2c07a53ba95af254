# SPDX-License-Identifier: GPL-3.0-or-later
# motcua act CODE reassign --to-clerk USER (docs/lifecycle.md): a supervisor
# hands a dossier to another clerk of its unit; the event, the outbox op,
# the clerk in charge (dossier_assignments) and the unchanged status and
# receiver; every refusal with status 2 and nothing written. Then motcua
# queue's clerk, order and word filters, and motcua indicators --csv with
# the weekly trend, on the same demo store (now Tuesday 2025-08-05 09:30).
db="$T/r.db"
export MOTCUA_NOW=2025-08-05T09:30
"$MOTCUA" init --db "$db" --demo >/dev/null 2>"$T/init.err" || fail "init: $(cat "$T/init.err")"
sqlite3 "$db" "
INSERT INTO clerks(username, full_name, unit_code, role, pw_hash, disabled) VALUES
 ('sup', 'Đào Thị Giám', '00004', 'supervisor', 'x', 0),
 ('an', 'Trần Văn An', '00004', 'clerk', 'x', 0),
 ('cu', 'Hồ Văn Cũ', '00004', 'clerk', 'x', 1),
 ('khac', 'Ngô Văn Khác', '00008', 'clerk', 'x', 0);" || fail "sqlite3 could not add clerks"
rows() { sqlite3 "$db" "SELECT (SELECT count(*) FROM events) || ' ' || (SELECT count(*) FROM outbox)
	|| ' ' || (SELECT count(*) FROM dossier_assignments) || ' ' || (SELECT sum(rev) FROM dossiers)"; }
C=H01.00004-250804-0002  # processing (4), received by canbo
refused() {
	msg=$1; shift
	before=$(rows)
	expect_status 2 "$MOTCUA" act "$@" --db "$db"
	expect_grep "$T/err" "$msg"
	expect_eq "unchanged after $*" "$(rows)" "$before"
}
refused "Chỉ cán bộ giám sát" $C reassign --to-clerk an --user canbo
refused "cần --to-clerk" $C reassign --user sup
refused "cần tên đăng nhập" $C reassign --to-clerk " " --user sup
refused "Không có cán bộ «ai»" $C reassign --to-clerk ai --user sup
refused "đã bị khóa" $C reassign --to-clerk cu --user sup
refused "không thuộc đơn vị 00004" $C reassign --to-clerk khac --user sup
refused "đã do cán bộ Nguyễn Thị Lan (canbo) phụ trách" $C reassign --to-clerk canbo --user sup
refused "không dùng --days" $C reassign --to-clerk an --days 2 --user sup
refused "chỉ dùng với thao tác reassign" $C stop --reason x --to-clerk an --user sup
refused "Không có hồ sơ" H01.00004-250804-9999 reassign --to-clerk an --user sup
refused "Chỉ giao lại được hồ sơ chưa kết thúc" \
	"$(sqlite3 "$db" "SELECT code FROM dossiers WHERE status = 10 LIMIT 1")" reassign --to-clerk an --user sup

expect_status 0 "$MOTCUA" act h01.00004-250804-0002 reassign --to-clerk an --reason "Nghỉ phép" \
	--user sup --db "$db"
expect_eq "output" "$(cat "$T/out")" \
	'{"code":"H01.00004-250804-0002","status":4,"status_name":"Đang xử lý","appointment":"2025-08-05T09:40"}'
q() { sqlite3 "$db" "$1"; }
expect_eq "dossier: status, receiver, rev" "$(q "SELECT status || ' ' || clerk || ' ' || rev || ' ' || updated_at FROM dossiers WHERE code = '$C'")" \
	"4 canbo 3 2025-08-05T09:30"
expect_eq "in charge" "$(q "SELECT da.clerk FROM dossier_assignments da JOIN dossiers d ON d.id = da.dossier_id WHERE d.code = '$C'")" an
expect_eq "event" "$(q "SELECT kind || ' ' || status_from || status_to || ' ' || actor || ' ' || payload FROM events WHERE kind = 'reassign'")" \
	'reassign 44 sup {"code":"H01.00004-250804-0002","from_clerk":"canbo","to_clerk":"an","to_clerk_name":"Trần Văn An","reason":"Nghỉ phép","appointment":"2025-08-05T09:40"}'
expect_eq "outbox" "$(q "SELECT op || ' ' || base_rev || ' ' || json_extract(payload, '$.assigned_clerk') || ' ' || json_extract(payload, '$.rev') || ' ' || json_extract(payload, '$.event.kind') FROM outbox WHERE op = 'reassign'")" \
	"reassign 2 an 3 reassign"
# back to the receiver: the latest reassignment wins
expect_status 0 "$MOTCUA" act $C reassign --to-clerk canbo --user sup --db "$db"
expect_eq "back" "$(q "SELECT da.clerk FROM dossier_assignments da JOIN dossiers d ON d.id = da.dossier_id WHERE d.code = '$C'")" canbo
expect_status 0 "$MOTCUA" act $C reassign --to-clerk an --user sup --db "$db"

# motcua queue: the clerk in charge, its filters and orders
codes() { sed 's/^{"code":"\([^"]*\)".*/\1/' "$T/out" | tr '\n' ' '; }
expect_status 0 "$MOTCUA" queue due-today --db "$db"
expect_eq "due today" "$(codes)" "H01.00004-250804-0002 H01.00004-250804-0003 "
expect_grep "$T/out" '"code":"H01.00004-250804-0002",.*"clerk":"an","clerk_name":"Trần Văn An"}'
expect_status 0 "$MOTCUA" queue due-today --clerk an --db "$db"
expect_eq "by clerk" "$(codes)" "H01.00004-250804-0002 "
expect_status 0 "$MOTCUA" queue due-soon --sort procedure --db "$db"
expect_eq "by procedure" "$(codes)" "H01.00004-250804-0003 H01.00004-250805-0002 H01.00004-250801-0001 H01.00004-250804-0002 H01.00004-250805-0003 H01.00004-250731-0002 H01.00004-250804-0004 H01.00004-250805-0001 "
expect_status 0 "$MOTCUA" queue due-soon --sort received --db "$db"
expect_eq "by received" "$(codes)" "H01.00004-250731-0002 H01.00004-250801-0001 H01.00004-250804-0002 H01.00004-250804-0003 H01.00004-250804-0004 H01.00004-250805-0001 H01.00004-250805-0002 H01.00004-250805-0003 "
expect_status 0 "$MOTCUA" queue due-soon --sort clerk --db "$db"
expect_eq "by clerk name" "$(codes)" "H01.00004-250804-0003 H01.00004-250805-0001 H01.00004-250801-0001 H01.00004-250805-0002 H01.00004-250805-0003 H01.00004-250731-0002 H01.00004-250804-0004 H01.00004-250804-0002 "
expect_status 0 "$MOTCUA" queue due-soon --text "KHAI sinh" --db "$db"
expect_eq "by words" "$(codes)" "H01.00004-250804-0002 H01.00004-250805-0003 "
expect_status 0 "$MOTCUA" queue due-soon --text "tran van an" --db "$db"
expect_eq "by the clerk's name" "$(codes)" "H01.00004-250804-0002 "
expect_status 2 "$MOTCUA" queue due-soon --sort size --db "$db"
expect_grep "$T/err" "không sắp xếp được theo «size»"
expect_status 2 "$MOTCUA" queue due-soon --clerk "a b" --db "$db"
expect_status 2 "$MOTCUA" queue due-soon --text --db "$db"

# motcua indicators --csv: the month, then 2 weeks of trend (28/07-03/08, 04/08-10/08)
expect_status 0 "$MOTCUA" indicators --from 2025-08-01 --to 2025-08-05 --unit 00004 --csv "$T/i.csv" --weeks 2 --db "$db"
expect_eq "csv lines" "$(wc -l <"$T/i.csv")" 19
expect_eq "csv head" "$(head -n 1 "$T/i.csv" | tr -d '\r')" \
	"$(printf '\357\273\277')\"Từ ngày\",\"Đến ngày\",\"Đơn vị\",\"Cán bộ\",\"Mã chỉ tiêu\",\"Chỉ tiêu\",\"Tử số\",\"Mẫu số\",\"Tỷ lệ (%)\""
expect_eq "csv period" "$(sed -n 6p "$T/i.csv" | tr -d '\r')" \
	'"2025-08-01","2025-08-05","00004","","transferred","Luân chuyển điện tử","6","10","60.0"'
expect_eq "csv first week" "$(sed -n 8p "$T/i.csv" | tr -d '\r')" \
	'"2025-07-28","2025-08-03","00004","","on_time","Giải quyết đúng hạn","6","6","100.0"'
expect_eq "csv nothing rated" "$(sed -n 19p "$T/i.csv" | tr -d '\r')" \
	'"2025-08-04","2025-08-10","00004","","satisfaction","Mức độ hài lòng","0","0",""'
expect_status 2 "$MOTCUA" indicators --from 2025-08-01 --to 2025-08-05 --csv "$T/none/i.csv" --db "$db"
expect_grep "$T/err" "không có thư mục"
expect_status 2 "$MOTCUA" indicators --from 2025-08-01 --to 2025-08-05 --weeks 2 --db "$db"
expect_grep "$T/err" "chỉ dùng cùng --csv"
expect_status 2 "$MOTCUA" indicators --from 2025-08-01 --to 2025-08-05 --csv "$T/j.csv" --weeks 99 --db "$db"
[ -e "$T/j.csv" ] && fail "a refused export wrote a file"
unset MOTCUA_NOW
