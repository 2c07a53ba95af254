# SPDX-License-Identifier: GPL-3.0-or-later
# motcua config: the settings table (list, get, set, the docs' copy), every
# value checked (refused with status 2 and the settings unchanged), the
# receipt following the settings (lookup_url in the next receipt's QR code as
# zbarimg reads it, the unit's phone and address), and the printer: refused
# when CUPS does not run, and against a real private cupsd an unknown printer
# refused, a known one kept, the test page printed through it.
ROOT=$(cd "$(dirname "$MOTCUA")/.." && pwd)
. "$ROOT/tests/cli/cups.sh"
dir="$T/store"
db="$dir/motcua.db"
export MOTCUA_DB="$db"
MOTCUA_NOW=2025-09-15T10:00 "$MOTCUA" init --demo >/dev/null 2>"$T/init.err" ||
	fail "init: $(cat "$T/init.err")"
export MOTCUA_NOW=2025-10-27T10:00
settings() { sqlite3 "$db" "SELECT key || '=' || value FROM settings ORDER BY key"; }
val() { sed -n 's/.*"value":"\([^"]*\)".*/\1/p' "$T/out"; }
unset CUPS_SERVER
export CUPS_SERVER="$T/no-cups.sock" # no scheduler there: CUPS does not run

# ---- the table: list, get, the docs' copy --------------------------------------
expect_status 0 "$MOTCUA" config list
for k in unit_code unit_ident unit_address unit_phone receipt_parent_name receipt_unit_name \
	place_name return_place lookup_url printer office_hours cutoff scan_device \
	sync_lease_low sync_lease_block server; do
	expect_grep "$T/out" "{\"name\":\"$k\","
done
expect_grep "$T/out" '{"name":"lookup_url","value":"http://127.0.0.1:8080/api/v1/lookup/","default":true,'
expect_grep "$T/out" '{"name":"unit_code","value":"00004","default":false,'
expect_status 0 "$MOTCUA" config get cutoff
expect_grep "$T/out" '^{"name":"cutoff","value":"15:00","default":false,"label":"Giờ chốt nhận",'
# docs/reception.md holds the table as the program prints it
expect_status 0 "$MOTCUA" config markdown
docs=$ROOT/docs/reception.md
sed -n '/<!-- settings:begin -->/,/<!-- settings:end -->/p' "$docs" | sed '1d;$d' >"$T/docs.md"
cmp -s "$T/out" "$T/docs.md" ||
	fail "docs/reception.md's settings table differs from motcua config markdown: $(diff "$T/out" "$T/docs.md" | head -5)"
expect_eq "docs rows" "$(grep -c '^| `' "$T/docs.md")" 16

# ---- refused: status 2, a reason, nothing written ---------------------------------
before=$(settings)
refuse() {
	what=$1 msg=$2; shift 2
	expect_status 2 "$MOTCUA" config "$@"
	expect_grep "$T/err" "$msg"
	expect_eq "$what: settings unchanged" "$(settings)" "$before"
}
refuse "unknown" "không có cài đặt «colour»; các cài đặt: unit_code, " set colour red
refuse "no value" "cách dùng: motcua config set TÊN GIÁ_TRỊ" set printer
refuse "ftp" "phải bắt đầu bằng http:// hoặc https://" set lookup_url ftp://tra-cuu.example.vn/
refuse "no host" "thiếu tên máy sau ://" set lookup_url "https:///tra-cuu"
refuse "space" "có khoảng trắng" set lookup_url "https://tra cuu.vn/"
refuse "fragment" "không được có phần #" set lookup_url "https://tra-cuu.example.vn/#ma="
refuse "overlap" "buổi làm việc «11:00-17:00» trùng" set office_hours "08:00-12:00,11:00-17:00"
refuse "hours" "giờ làm việc «8h-17h» không hợp lệ" set office_hours 8h-17h
refuse "cutoff outside" "giờ chốt nhận 18:00 nằm ngoài giờ làm việc (07:00-11:30,13:30-17:00)" set cutoff 18:00
refuse "cutoff form" "cần dạng HH:MM" set cutoff 25:00
refuse "unit" "không có đơn vị hoặc xã, phường mã «99999»" set unit_code 99999
refuse "unit empty" "unit_code không được để trống" set unit_code ""
refuse "ident" "mã định danh đơn vị «h01 0004» không hợp lệ" set unit_ident "h01 0004"
refuse "phone letters" "chỉ gồm chữ số" set unit_phone "024-ABC-1234"
refuse "phone short" "cần từ 8 đến 15 chữ số" set unit_phone "1234"
refuse "number" "sync_lease_low phải là số nguyên từ 1 đến 1000" set sync_lease_low 0
refuse "server" "chỉ đổi bằng: motcua login" set server https://motcua.example.vn
refuse "no cups" "dịch vụ in CUPS không chạy" set printer Quay1
refuse "printer name" "tên máy in không hợp lệ" set printer "a/b"
refuse "two lines" "một dòng" set receipt_unit_name "$(printf 'a\nb')"

# ---- accepted -------------------------------------------------------------------
expect_status 0 "$MOTCUA" config set office_hours " 07:30-11:30,13:00-16:30 "
expect_eq "hours trimmed" "$(val)" "07:30-11:30,13:00-16:30"
expect_status 0 "$MOTCUA" config set office_hours "07:00-11:30,13:30-17:00"
expect_status 0 "$MOTCUA" config set cutoff 16:00
expect_eq "cutoff" "$(sqlite3 "$db" "SELECT value FROM settings WHERE key = 'cutoff'")" "16:00"
# hours that leave the cutoff out are kept, with a warning
expect_status 0 "$MOTCUA" config set office_hours "07:00-11:30"
expect_grep "$T/err" "giờ chốt nhận 16:00 nằm ngoài giờ làm việc mới"
expect_status 0 "$MOTCUA" config set office_hours "07:00-11:30,13:30-17:00"
expect_status 0 "$MOTCUA" config set sync_lease_low 50
# another commune of the catalog becomes the unit, with its identifier
expect_status 0 "$MOTCUA" config set unit_code 00008
expect_eq "ident follows" "$(sqlite3 "$db" "SELECT value FROM settings WHERE key = 'unit_ident'")" "H01.00008"
expect_status 0 "$MOTCUA" config set unit_code 00004
expect_eq "ident back" "$(sqlite3 "$db" "SELECT value FROM settings WHERE key = 'unit_ident'")" "H01.00004"
# an empty value brings the default back
expect_status 0 "$MOTCUA" config set sync_lease_low ""
expect_grep "$T/out" '"value":"100","default":true'

# ---- the receipt follows the settings -------------------------------------------
reception_json "$T/in.json" "2025-10-27T09:32" "Nguyễn Văn An" 001090012345 1990-05-17 M
# qr PDF: what the first page's QR code says (rendered, then read by zbarimg)
qr() {
	rm -f "$T"/qr-*.png
	pdftoppm -r 150 -png -f 1 -l 1 "$1" "$T/qr" 2>/dev/null
	zbarimg -q --raw "$T"/qr-*.png 2>/dev/null | grep '^http'
}
code_of() { sed -n 's/^{"code":"\([^"]*\)".*/\1/p' "$T/out"; }
expect_status 0 "$MOTCUA" receive --json "$T/in.json"
c1=$(code_of)
expect_eq "QR by default" "$(qr "$dir/receipts/$c1.pdf")" "http://127.0.0.1:8080/api/v1/lookup/$c1"
expect_status 0 "$MOTCUA" config set lookup_url "https://dichvucong.hanoi.gov.vn/tra-cuu?ma="
expect_status 0 "$MOTCUA" config set unit_phone "024 3823 1234"
expect_status 0 "$MOTCUA" config set unit_address "Số 1 phố Đội Cấn, phường Ba Đình, Hà Nội"
expect_status 0 "$MOTCUA" receive --json "$T/in.json"
c2=$(code_of)
[ "$c1" != "$c2" ] || fail "the same code twice"
expect_eq "QR after lookup_url" "$(qr "$dir/receipts/$c2.pdf")" "https://dichvucong.hanoi.gov.vn/tra-cuu?ma=$c2"
pdftotext "$dir/receipts/$c2.pdf" - | tr '\n' ' ' | tr -s ' ' >"$T/r2.txt"
expect_grep "$T/r2.txt" "024 3823 1234"
expect_grep "$T/r2.txt" "Số 1 phố Đội Cấn, phường Ba Đình, Hà Nội"

# ---- the test page without a printer: the PDF is made --------------------------
expect_status 0 "$MOTCUA" config test-printer --out "$T/page.pdf"
expect_grep "$T/out" "\"pdf\":\"$T/page.pdf\""
expect_grep "$T/out" '"printed":false'
expect_grep "$T/err" "chưa đặt máy in"
pdfinfo "$T/page.pdf" >"$T/page.info" 2>&1 || fail "pdfinfo: $(cat "$T/page.info")"
expect_grep "$T/page.info" "^Pages: *1$"
pdftotext "$T/page.pdf" - | tr '\n' ' ' >"$T/page.txt"
expect_grep "$T/page.txt" "TRANG IN THỬ"
expect_grep "$T/page.txt" "PHƯỜNG BA ĐÌNH"
expect_grep "$T/page.txt" "ưừứửữự"
expect_grep "$T/page.txt" "024 3823 1234"
expect_eq "test page QR" "$(qr "$T/page.pdf")" "https://dichvucong.hanoi.gov.vn/tra-cuu?ma="
expect_status 2 "$MOTCUA" config test-printer extra
expect_status 2 "$MOTCUA" config frobnicate

# ---- a real CUPS: the printer exists or is refused; the test page printed -------
if cups_start; then
	cups_printer Quay1 || fail "lpadmin: $(cat "$C/lpadmin.err")"
	before=$(settings)
	refuse "unknown printer" 'CUPS không có máy in "Quay2"; các máy in hiện có: Quay1' set printer Quay2
	expect_status 0 "$MOTCUA" config set printer Quay1
	expect_eq "printer" "$(sqlite3 "$db" "SELECT value FROM settings WHERE key = 'printer'")" "Quay1"
	expect_status 0 "$MOTCUA" config test-printer
	expect_grep "$T/out" '"printer":"Quay1","printed":true'
	cups_wait Quay1 || fail "no job reached the printer"
	pdftotext "$C/out/Quay1.pdf" - 2>/dev/null | tr '\n' ' ' >"$T/printed.txt"
	expect_grep "$T/printed.txt" "TRANG IN THỬ"
	expect_grep "$T/printed.txt" "Máy in: Quay1"
	# the receipt of a reception goes to the printer too
	rm -f "$C/out/Quay1.pdf"
	expect_status 0 "$MOTCUA" receive --json "$T/in.json"
	expect_grep "$T/out" '"printed":true'
	c3=$(code_of)
	cups_wait Quay1 || fail "the receipt did not reach the printer"
	expect_eq "printed receipt QR" "$(qr "$C/out/Quay1.pdf")" "https://dichvucong.hanoi.gov.vn/tra-cuu?ma=$c3"
	# the printer gone from CUPS: doctor names it
	lpadmin -x Quay1
	expect_status 1 "$MOTCUA" doctor
	expect_grep "$T/out" 'LỖI \] printer: Máy in «Quay1»: CUPS không có máy in "Quay1"'
	cups_stop
fi
