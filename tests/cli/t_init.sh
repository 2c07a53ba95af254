# SPDX-License-Identifier: GPL-3.0-or-later
# motcua init: a fresh store with the reference data, idempotent, with a demo
# unit and clerk; bad options and unwritable places refused without leftovers.
db="$T/store/motcua.db"
q() { sqlite3 "$db" "$1"; }

expect_status 0 "$MOTCUA" init --db "$db"
expect_grep "$T/out" '"provinces":34'
expect_grep "$T/out" '"communes":3321'
expect_grep "$T/out" '"procedures":588'
expect_grep "$T/out" '"needs_review":'
expect_grep "$T/out" '"errors":0'
expect_eq "provinces" "$(q 'SELECT count(*) FROM provinces')" 34
expect_eq "communes" "$(q 'SELECT count(*) FROM communes')" 3321
expect_eq "procedures" "$(q 'SELECT count(*) FROM procedures')" 588
ncomp=$(q 'SELECT count(*) FROM components')
[ "$ncomp" -gt 3000 ] || fail "only $ncomp components"
expect_grep "$T/out" "\"components\":$ncomp"
expect_eq "flagged procedures have notes" \
	"$(q "SELECT count(*) FROM procedures WHERE needs_review = 1 AND (review_notes IS NULL OR review_notes = '')")" 0
expect_eq "commune fold" "$(q "SELECT fold FROM communes WHERE code = '00004'")" "phuong ba dinh thanh pho ha noi"
expect_eq "merge fold" "$(q "SELECT fold FROM commune_merges WHERE old_name = 'Phường Trúc Bạch'")" "phuong truc bach"
expect_eq "procedure fold" "$(q "SELECT fold FROM procedures WHERE code = '1.001193'")" "1.001193 thu tuc dang ky khai sinh"
expect_eq "no demo clerk without --demo" "$(q 'SELECT count(*) FROM clerks')" 0

# A dossier survives a second init (reference data replaced, dossiers kept).
q "INSERT INTO dossiers(id, code, procedure_code, procedure_name, unit_code, clerk, status,
   received_at, appointment, applicant_name, applicant_fold, updated_at)
   VALUES ('d1', 'H01.00004-250701-0001', '1.001193', 'Thủ tục đăng ký khai sinh', '00004',
   'canbo', 2, '2025-07-01T09:00', '2025-07-02T09:00', 'Nguyễn Văn An', 'nguyen van an',
   '2025-07-01T09:00');
   INSERT INTO outbox(op_id, entity, entity_id, op, payload, payload_hash, created_at)
   VALUES ('o1', 'dossier', 'd1', 'create', '{}', 'h', '2025-07-01T09:00');"
expect_status 0 "$MOTCUA" init --db "$db" --demo
expect_grep "$T/out" '"procedures":588'
expect_eq "procedures after re-init" "$(q 'SELECT count(*) FROM procedures')" 588
expect_eq "components after re-init" "$(q 'SELECT count(*) FROM components')" "$ncomp"
expect_eq "dossier kept" "$(q 'SELECT applicant_name FROM dossiers')" "Nguyễn Văn An"
expect_eq "outbox kept" "$(q 'SELECT count(*) FROM outbox')" 1

# --demo: unit, settings and the clerk with an Argon2id hash.
expect_eq "demo unit" "$(q "SELECT name || '|' || ident || '|' || parent_code FROM units")" \
	"Phường Ba Đình|H01.00004|01"
expect_eq "unit_code" "$(q "SELECT value FROM settings WHERE key = 'unit_code'")" 00004
expect_eq "unit_ident" "$(q "SELECT value FROM settings WHERE key = 'unit_ident'")" H01.00004
expect_eq "office_hours" "$(q "SELECT value FROM settings WHERE key = 'office_hours'")" \
	"07:00-11:30,13:30-17:00"
expect_eq "cutoff" "$(q "SELECT value FROM settings WHERE key = 'cutoff'")" "15:00"
expect_eq "clerk" "$(q "SELECT full_name || '|' || role || '|' || unit_code FROM clerks WHERE username = 'canbo'")" \
	"Nguyễn Thị Lan|clerk|00004"
case "$(q "SELECT pw_hash FROM clerks WHERE username = 'canbo'")" in
'$argon2id$'*) ;;
*) fail "demo clerk password is not an Argon2id hash" ;;
esac
expect_status 0 "$MOTCUA" init --db "$db" --demo
expect_eq "one demo clerk" "$(q 'SELECT count(*) FROM clerks')" 1

# Bad input: unknown option, missing --db value.
expect_status 2 "$MOTCUA" init --bogus
expect_grep "$T/err" "tùy chọn không hợp lệ"
expect_status 2 "$MOTCUA" init --db
expect_grep "$T/err" "thiếu đường dẫn"

# Permissions: run as an unprivileged user (root writes everywhere). The
# build tree's data may sit in a folder that user cannot enter (a clone under
# /root, or in a 0700 temporary folder): it reads a copy in $T.
as_user() {
	if [ "$(id -u)" != 0 ]; then
		"$@"
	elif command -v setpriv >/dev/null 2>&1; then
		[ -d "$T/data" ] || cp -R "$(dirname "$MOTCUA")/../data" "$T/data"
		MOTCUA_DATA="$T/data" setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
	else
		return 99
	fi
}
chmod 755 "$T"
mkdir -p "$T/perm" && chmod 777 "$T/perm"
mkdir -p "$T/perm/ro" && chmod 555 "$T/perm/ro"
cp "$db" "$T/perm/ro.db" && chmod 444 "$T/perm/ro.db"
before=$(sqlite3 "$T/perm/ro.db" 'SELECT count(*) FROM dossiers; SELECT count(*) FROM procedures')
as_user "$MOTCUA" init --db "$T/perm/ro/sub/m.db" >"$T/out" 2>"$T/err"; st=$?
if [ "$st" != 99 ]; then
	expect_eq "unwritable folder status" "$st" 1
	expect_grep "$T/err" "không tạo được thư mục"
	[ ! -e "$T/perm/ro/sub" ] || fail "folder created in a read-only place"
	as_user "$MOTCUA" init --db "$T/perm/ro.db" >"$T/out" 2>"$T/err"; st=$?
	expect_eq "read-only store status" "$st" 1
	expect_grep "$T/err" "chỉ đọc"
	[ ! -s "$T/out" ] || fail "summary printed for a failed init"
fi
expect_eq "read-only store untouched" \
	"$(sqlite3 "$T/perm/ro.db" 'SELECT count(*) FROM dossiers; SELECT count(*) FROM procedures')" "$before"
: > "$T/file"
expect_status 1 "$MOTCUA" init --db "$T/file/m.db"
expect_grep "$T/err" "motcua:"
[ ! -e "$T/file/m.db" ] || fail "store created under a file"

# Missing data files: nothing created.
MOTCUA_DATA="$T/nodata" expect_status 1 "$MOTCUA" init --db "$T/new.db"
expect_grep "$T/err" "không đọc được tệp dữ liệu"
[ ! -e "$T/new.db" ] || fail "store created without data"

# A malformed line is reported file:line and counted; the rest is imported.
mkdir -p "$T/data"
cp "$(dirname "$MOTCUA")/../data/"*.csv "$T/data/" 2>/dev/null || cp data/*.csv "$T/data/"
grep -e '"ma_thu_tuc": *"1.001193"' -e '"ma_thu_tuc":"1.001193"' \
	"$(dirname "$MOTCUA")/../data/procedures.jsonl" > "$T/data/procedures.jsonl"
printf '{"ma_thu_tuc": "9.9", broken\n' >> "$T/data/procedures.jsonl"
printf '01,Trùng\n' >> "$T/data/provinces-2025.csv"
MOTCUA_DATA="$T/data" expect_status 0 "$MOTCUA" init --db "$T/small.db"
expect_grep "$T/out" '"procedures":1,'
expect_grep "$T/out" '"errors":2'
expect_grep "$T/err" "procedures.jsonl:2: "
expect_grep "$T/err" "provinces-2025.csv:36: "

# --unit makes a commune this workstation's receiving unit, with the default
# identifier H<province>.<code> or the one given; a bad one changes nothing.
expect_status 0 "$MOTCUA" init --db "$T/own.db" --unit 07682
expect_eq "own unit" "$(sqlite3 "$T/own.db" "SELECT value FROM settings WHERE key='unit_code'")|$(sqlite3 "$T/own.db" "SELECT ident FROM units WHERE code='07682'")" "07682|H24.07682"
expect_status 2 "$MOTCUA" init --db "$T/own.db" --unit 99999
expect_grep "$T/err" "không có xã, phường mã 99999"
expect_eq "unit kept" "$(sqlite3 "$T/own.db" "SELECT value FROM settings WHERE key='unit_code'")" "07682"
expect_status 0 "$MOTCUA" init --db "$T/own.db" --unit 00004 --ident 000.00.06.H56
expect_eq "own ident" "$(sqlite3 "$T/own.db" "SELECT value FROM settings WHERE key='unit_ident'")" "000.00.06.H56"
expect_status 2 "$MOTCUA" init --db "$T/own2.db" --unit 00004 --ident "bad ident"
[ ! -e "$T/own2.db" ] || fail "a refused init left a store behind"
expect_status 2 "$MOTCUA" init --db "$T/own2.db" --ident H01.X
expect_status 2 "$MOTCUA" init --db "$T/own2.db" --demo --unit 00004
