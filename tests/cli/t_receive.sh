# SPDX-License-Identifier: GPL-3.0-or-later
# motcua receive: the issue's JSON, output, receipt PDF and rows; every bad
# input refused with status 2 and the store unchanged; store faults (read-only,
# locked by another instance, full disk) with status 1 and nothing half-written.
dir="$T/store"
db="$dir/motcua.db"
q() { sqlite3 "$db" "$1"; }
rows() { sqlite3 "${1:-$db}" "SELECT (SELECT count(*) FROM dossiers) || ' ' ||
	(SELECT count(*) FROM dossier_components) || ' ' || (SELECT count(*) FROM events) || ' ' ||
	(SELECT count(*) FROM outbox) || ' ' || (SELECT coalesce(sum(last), 0) FROM code_seq)"; }

# The demo store, its demo dossiers received weeks before "now".
demo_init
export MOTCUA_NOW=2025-10-27T10:00

cat >"$T/in.json" <<'EOF'
{"procedure": "1.001193", "received_at": "2025-10-27T09:32",
 "applicant": {"full_name": "Nguyễn Văn An", "id_number": "001090012345",
   "birth_date": "1990-05-17", "sex": "M", "phone": "0912 345 678",
   "email": "an.nguyen@example.vn", "address": "Số 12 ngõ 45 phố Đội Cấn",
   "commune": "00004"},
 "components": [{"id": 5, "originals": 1, "copies": 0}, {"id": 7, "originals": 1, "copies": 0},
   {"id": 11, "originals": 1, "copies": 0}, {"id": 32, "originals": 1, "copies": 0}]}
EOF

# ---- the happy path -----------------------------------------------------------
before=$(rows)
expect_status 0 "$MOTCUA" receive --json "$T/in.json" --db "$db"
code=H01.00004-251027-0001
pdf="$dir/receipts/$code.pdf"
expect_grep "$T/out" "^{\"code\":\"$code\",\"appointment\":\"2025-10-28T09:32\",\"receipt\":\"$pdf\","
expect_grep "$T/out" '"received_at":"2025-10-27T09:32"'
expect_grep "$T/out" '"printed":false'
grep -q "^motcua:" "$T/err" && fail "message on success: $(cat "$T/err")"
[ -f "$pdf" ] || fail "no receipt at $pdf"
pdftotext "$pdf" "$T/receipt.txt" || fail "pdftotext"
expect_grep "$T/receipt.txt" "Mã hồ sơ: $code"
expect_grep "$T/receipt.txt" "Ông/Bà: Nguyễn Văn An"
expect_grep "$T/receipt.txt" "UBND PHƯỜNG BA ĐÌNH"
ncomp=$(q "SELECT count(*) FROM components WHERE procedure_code = '1.001193'")
set -- $before
expect_eq "rows after one reception" "$(rows)" \
	"$(($1 + 1)) $(($2 + ncomp)) $(($3 + 1)) $(($4 + 1)) $(($5 + 1))"
expect_eq "dossier" "$(q "SELECT status || '|' || applicant_name || '|' || applicant_fold || '|' ||
	clerk || '|' || appointment FROM dossiers WHERE code = '$code'")" \
	"2|Nguyễn Văn An|nguyen van an|canbo|2025-10-28T09:32"
expect_eq "event" "$(q "SELECT e.kind || ' ' || e.status_from || '->' || e.status_to || ' ' || e.device_time
	FROM events e JOIN dossiers d ON d.id = e.dossier_id WHERE d.code = '$code'")" \
	"receive 1->2 2025-10-27T10:00"
expect_eq "outbox" "$(q "SELECT o.op || ' ' || o.state || ' ' || length(o.payload_hash)
	FROM outbox o JOIN dossiers d ON d.id = o.entity_id WHERE d.code = '$code'")" "receive pending 64"
expect_eq "payload hash" "$(q "SELECT o.payload FROM outbox o JOIN dossiers d ON d.id = o.entity_id
	WHERE d.code = '$code'" | tr -d '\n' | sha256sum | cut -d' ' -f1)" \
	"$(q "SELECT o.payload_hash FROM outbox o JOIN dossiers d ON d.id = o.entity_id WHERE d.code = '$code'")"

# From stdin, received now (no received_at): the day's next number.
printf '{"procedure": "1.001193", "applicant": %s, "components": %s}\n' \
	'{"full_name": "Trần Thị Bình", "id_number": "001185012345", "birth_date": "1985-01-02", "sex": "F", "commune": "00008"}' \
	'[{"id": 5, "originals": 1}, {"id": 7, "originals": 1}, {"id": 11, "originals": 1}, {"id": 32, "originals": 1}]' \
	>"$T/now.json"
"$MOTCUA" receive --json - --db "$db" <"$T/now.json" >"$T/out" 2>"$T/err" || fail "stdin: $(cat "$T/err")"
expect_grep "$T/out" '"code":"H01.00004-251027-0002","appointment":"2025-10-28T10:00"'

# A missing mandatory paper with a reason is received.
sed 's/{"id": 5, "originals": 1, "copies": 0}/{"id": 5, "originals": 0, "copies": 0, "override_reason": "Cam kết bổ sung Giấy chứng sinh"}/' \
	"$T/in.json" >"$T/override.json"
expect_status 0 "$MOTCUA" receive --json "$T/override.json" --db "$db"
expect_grep "$T/out" '"code":"H01.00004-251027-0003"'
expect_eq "override kept" "$(q "SELECT c.override_reason FROM dossier_components c JOIN dossiers d
	ON d.id = c.dossier_id WHERE d.code = 'H01.00004-251027-0003' AND c.seq = 5")" \
	"Cam kết bổ sung Giấy chứng sinh"
pdftotext "$dir/receipts/H01.00004-251027-0003.pdf" - | tr '\n' ' ' >"$T/override.txt"
expect_grep "$T/override.txt" "Cam kết bổ sung"

# ---- bad input: status 2, a message, the store unchanged -------------------------
# refuse NAME EXPECTED-STDERR-PART [receive args...] < JSON from $T/bad.json
refuse() {
	name=$1 msg=$2; shift 2
	before=$(rows)
	"$MOTCUA" receive --db "$db" "$@" >"$T/out" 2>"$T/err"; st=$?
	[ "$st" = 2 ] || fail "$name: exit $st (want 2): $(cat "$T/err")"
	grep -qF -- "$msg" "$T/err" || fail "$name: stderr [$(cat "$T/err")] lacks [$msg]"
	[ -s "$T/out" ] && fail "$name: stdout not empty: $(cat "$T/out")"
	expect_eq "$name: rows" "$(rows)" "$before"
}
# bad NAME EXPECTED SED-EXPRESSION: the issue's JSON edited by sed
bad() {
	sed "$3" "$T/in.json" >"$T/bad.json"
	refuse "$1" "$2" --json "$T/bad.json"
}
bad "malformed JSON" "JSON không hợp lệ ($T/bad.json, dòng 4, cột 10): '}' expected near" '3s/,$//'
bad "wrong type" "JSON: components[0].originals phải là số nguyên" 's/"originals": 1, "copies": 0}, {"id": 7/"originals": "1", "copies": 0}, {"id": 7/'
bad "count as float" "JSON: components[0].originals phải là số nguyên" 's/{"id": 5, "originals": 1,/{"id": 5, "originals": 1.0,/'
bad "unknown key" "JSON: applicant: «fullname» không phải khóa hợp lệ" 's/"full_name"/"fullname"/'
bad "unknown top key" "JSON: «procedures» không phải khóa hợp lệ" 's/"procedure"/"procedures"/'
bad "duplicate key" "JSON không hợp lệ" 's/"sex": "M"/"sex": "M", "sex": "F"/'
bad "unknown procedure" "procedure: Không có thủ tục mã «1.999999» trong danh mục" 's/1.001193/1.999999/'
bad "unknown commune" "applicant.commune: Không có xã, phường mã «99999»" 's/"00004"/"99999"/'
bad "id vs year" "applicant.id_number: Số CCCD không khớp với năm sinh đã nhập: số 001090012345 ghi năm sinh 1990, ngày sinh đã nhập năm 1991" 's/1990-05-17/1991-05-17/'
bad "id vs sex" "applicant.id_number: Số CCCD không khớp với giới tính đã nhập" 's/"sex": "M"/"sex": "F"/'
bad "id length" "applicant.id_number: Số CCCD phải gồm đúng 12 chữ số" 's/001090012345/00109001234/'
bad "impossible date" "applicant.birth_date: Ngày sinh «1990-02-30» không hợp lệ" 's/1990-05-17/1990-02-30/'
bad "sex word" "applicant.sex: Giới tính phải là M (nam) hoặc F (nữ)" 's/"sex": "M"/"sex": "Nam"/'
bad "phone" "applicant.phone: Số điện thoại «12345» không hợp lệ" 's/0912 345 678/12345/'
bad "email" "applicant.email: Địa chỉ email «an.nguyen» không hợp lệ" 's/an.nguyen@example.vn/an.nguyen/'
bad "name digits" "applicant.full_name: Họ tên chỉ được có chữ cái" 's/Nguyễn Văn An/Nguyễn Văn 4n/'
bad "missing mandatory" "components: Thiếu giấy tờ bắt buộc số 5 «Giấy chứng sinh" 's/{"id": 5, "originals": 1, "copies": 0}, //'
bad "unknown component" "components: Thủ tục 1.001193 không có thành phần hồ sơ số 77" 's/{"id": 5,/{"id": 77, "originals": 1}, {"id": 5,/'
bad "negative count" "components: Số bản chính, bản sao của thành phần hồ sơ số 7 phải từ 0 đến 99" 's/{"id": 7, "originals": 1,/{"id": 7, "originals": -3,/'
bad "huge id" "JSON: components[0].id quá lớn (99999999999)" 's/{"id": 5,/{"id": 99999999999,/'
bad "received later than now" "received_at: Thời điểm tiếp nhận muộn hơn hiện tại (2025-10-27T10:00)" 's/2025-10-27T09:32/2025-10-27T10:01/'
bad "received malformed" "received_at: Thời điểm tiếp nhận «2025-10-27 25:00» không hợp lệ" 's/2025-10-27T09:32/2025-10-27 25:00/'
bad "appointment typed" "appointment: Ngày hẹn trả được tính theo thời hạn của thủ tục (1 ngày làm việc), không nhập tay" 's/"received_at"/"appointment": "2025-11-01T09:00", "received_at"/'
printf '[1, 2]' >"$T/bad.json"
refuse "not an object" "JSON phải là một đối tượng" --json "$T/bad.json"
printf '{"procedure": "1.001193"}' >"$T/bad.json"
refuse "no applicant" "thiếu applicant" --json "$T/bad.json"
: >"$T/bad.json"
refuse "empty file" "JSON không hợp lệ" --json "$T/bad.json"
refuse "missing file" "không mở được tệp JSON $T/nothing.json" --json "$T/nothing.json"
refuse "no --json" "thiếu --json"
refuse "unknown option" "tùy chọn không hợp lệ cho receive: --bogus" --json "$T/in.json" --bogus
refuse "unknown clerk" "Không có cán bộ «nobody» trong kho dữ liệu" --json "$T/in.json" --user nobody
MOTCUA_NOW=2025-10-27 refuse "bad MOTCUA_NOW" "MOTCUA_NOW «2025-10-27» không hợp lệ" --json "$T/in.json"

# The workstation without a unit: a clear message, nothing written.
cp "$db" "$T/nounit.db"
sqlite3 "$T/nounit.db" "DELETE FROM settings WHERE key = 'unit_code'"
before=$(rows "$T/nounit.db")
expect_status 2 "$MOTCUA" receive --json "$T/in.json" --db "$T/nounit.db"
expect_grep "$T/err" "Máy trạm chưa được gán đơn vị tiếp nhận; chạy motcua init --demo hoặc cấu hình đơn vị"
expect_eq "no unit: rows" "$(rows "$T/nounit.db")" "$before"
# A store without clerks (init without --demo): the clerk cannot be guessed.
"$MOTCUA" init --db "$T/bare.db" >/dev/null 2>&1 || fail "bare init"
expect_status 2 "$MOTCUA" receive --json "$T/in.json" --db "$T/bare.db"
expect_grep "$T/err" "chưa rõ cán bộ tiếp nhận: dùng --user"
expect_eq "bare: no dossier" "$(sqlite3 "$T/bare.db" 'SELECT count(*) FROM dossiers')" 0

# ---- store faults: status 1, nothing half-written --------------------------------
# Another instance (the TUI) holds the store's lock.
before=$(rows)
flock "$db.lock" "$MOTCUA" receive --json "$T/in.json" --db "$db" >"$T/out" 2>"$T/err"
expect_eq "locked: status" "$?" 1
expect_grep "$T/err" "đang được một phiên motcua khác sử dụng"
expect_eq "locked: rows" "$(rows)" "$before"

# A read-only store file (as an unprivileged user: root writes anyway).
as_user() {
	if [ "$(id -u)" != 0 ]; then
		"$@"
	elif command -v setpriv >/dev/null 2>&1; then
		setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
	else
		return 99
	fi
}
chmod 755 "$T"
mkdir -p "$T/ro" && chmod 777 "$T/ro"
cp "$db" "$T/ro/motcua.db" && chmod 444 "$T/ro/motcua.db"
before=$(rows "$T/ro/motcua.db")
as_user "$MOTCUA" receive --json "$T/in.json" --db "$T/ro/motcua.db" >"$T/out" 2>"$T/err"; st=$?
if [ "$st" != 99 ]; then
	expect_eq "read-only: status" "$st" 1
	expect_grep "$T/err" "chỉ đọc"
	[ -s "$T/out" ] && fail "read-only: stdout $(cat "$T/out")"
	[ -e "$T/ro/receipts" ] && fail "read-only: receipts folder created"
fi
expect_eq "read-only: rows" "$(rows "$T/ro/motcua.db")" "$before"

# A full disk: the store on a small tmpfs filled up, in a private mount
# namespace (root only); without mount rights, a file size limit instead.
cat >"$T/full.sh" <<'EOF'
rows() { sqlite3 "$1" "SELECT (SELECT count(*) FROM dossiers) || ' ' ||
	(SELECT count(*) FROM dossier_components) || ' ' || (SELECT count(*) FROM events) || ' ' ||
	(SELECT count(*) FROM outbox) || ' ' || (SELECT coalesce(sum(last), 0) FROM code_seq)"; }
mnt="$T/full"
mkdir -p "$mnt"
size=$(( $(stat -c %s "$db") / 1024 + 4096 ))
mount -t tmpfs -o size=${size}k tmpfs "$mnt" || exit 99
cp "$db" "$mnt/motcua.db"
rows "$mnt/motcua.db" >"$T/full.before"
dd if=/dev/zero of="$mnt/fill" bs=4k 2>/dev/null
rm "$mnt/fill"
free=$(df -k "$mnt" | awk 'NR == 2 { print $4 }')
# room for the WAL index (32 KiB), not for the reception's pages
dd if=/dev/zero of="$mnt/fill" bs=1k count=$((free - 48)) 2>/dev/null
"$MOTCUA" receive --json "$T/in.json" --db "$mnt/motcua.db" >"$T/full.out" 2>"$T/full.err"
echo $? >"$T/full.status"
rows "$mnt/motcua.db" >"$T/full.after"
ls "$mnt" >"$T/full.ls"
rm "$mnt/fill"
"$MOTCUA" receive --json "$T/in.json" --db "$mnt/motcua.db" >"$T/full.out2" 2>&1
echo $? >"$T/full.status2"
umount "$mnt"
EOF
if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null 2>&1; then
	db="$db" unshare -m sh "$T/full.sh" 2>"$T/unshare.err"
fi
if [ -s "$T/full.status" ]; then
	expect_eq "full disk: status" "$(cat "$T/full.status")" 1
	expect_grep "$T/full.err" "ổ đĩa đã đầy"
	expect_eq "full disk: rows" "$(cat "$T/full.after")" "$(cat "$T/full.before")"
	[ -s "$T/full.out" ] && fail "full disk: stdout $(cat "$T/full.out")"
	grep -q receipts "$T/full.ls" && fail "full disk: receipts written"
	# Space again: the same reception gets the number the failed one did not use.
	expect_eq "full disk, then space: status" "$(cat "$T/full.status2")" 0
	expect_grep "$T/full.out2" '"code":"H01.00004-251027-0004"'
else
	echo "  note: no tmpfs mount here ($(cat "$T/unshare.err" 2>/dev/null)); using ulimit -f"
	# The store's writes fail past 40 KiB (dash counts 512-byte blocks): the
	# WAL index fits, the reception's pages do not.
	cp "$db" "$T/limit.db"
	before=$(rows "$T/limit.db")
	(trap '' XFSZ; ulimit -f 80; "$MOTCUA" receive --json "$T/in.json" --db "$T/limit.db") \
		>"$T/out" 2>"$T/err"
	expect_eq "file size limit: status" "$?" 1
	expect_grep "$T/err" "chưa có gì được ghi vào kho"
	expect_eq "file size limit: rows" "$(rows "$T/limit.db")" "$before"
fi
