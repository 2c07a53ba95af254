# SPDX-License-Identifier: GPL-3.0-or-later
# motcua form and motcua ledger on the demo store (Phường Ba Đình, 30
# dossiers from 03/10 to 27/10/2025, numbered 1-30 in the 2025 book):
# forms 02-05 after `motcua act`, their text with diacritics, page sizes and
# renders; the ledger as PDF (A4 landscape) and CSV, numbered on across days
# and runs; refusals with status 2 and nothing written.
dir="$T/store"
db="$dir/motcua.db"
q() { sqlite3 "$db" "$1"; }
MOTCUA_NOW=2025-10-27T10:00 "$MOTCUA" init --db "$db" --demo >/dev/null 2>"$T/init.err" ||
	fail "init: $(cat "$T/init.err")"
act() { now=$1; shift; MOTCUA_NOW=$now "$MOTCUA" act --db "$db" "$@" >/dev/null 2>"$T/act.err" ||
	fail "act $*: $(cat "$T/act.err")"; }
form() { expect_status "$1" "$MOTCUA" form --db "$db" "$2" "$3" --out "$4"; }
text() { pdftotext -enc UTF-8 "$1" - | tr '\n' ' ' | tr -s ' '; }
size() { pdfinfo "$1" | sed -n 's/^Page size: *\([0-9.]*\) x \([0-9.]*\) pts.*/\1x\2/p'; }
pages() { pdfinfo "$1" | sed -n 's/^Pages: *//p'; }
renders() { pdftoppm -r 60 -png -f 1 -l 1 "$1" "$T/png" && [ -s "$T/png-1.png" ] ||
	fail "$1 does not render"; rm -f "$T"/png-*.png; }

a=H01.00004-251024-0002 # processing, due 27/10 09:40
b=H01.00004-251027-0001 # received, due 28/10 07:40
c=H01.00004-251027-0003 # received, made an online dossier not yet received
act 2025-10-27T10:00 "$a" request-supplement \
	--papers "Bản sao Giấy chứng nhận kết hôn của cha, mẹ; Tờ khai có chữ ký của người đi đăng ký" \
	--reason "Tờ khai chưa ghi đủ thông tin về người mẹ"
act 2025-10-29T09:00 "$a" supplement-received
act 2025-10-27T10:05 "$b" apologize --days 2 --reason "Chờ Công an phường Ngọc Hà xác minh nơi cư trú"
act 2025-10-27T10:10 "$b" transfer --to 00008 --reason "Liên thông"
q "UPDATE dossiers SET status = 1 WHERE code = '$c'"
act 2025-10-27T10:15 "$c" refuse --reason "Hồ sơ không thuộc thẩm quyền của phường; Thiếu giấy tờ tùy thân"

# ---- forms -------------------------------------------------------------------
form 0 "$a" 02 "$T/02.pdf"
expect_eq "form output" "$(cat "$T/out")" "{\"code\":\"$a\",\"form\":\"02\",\"out\":\"$T/02.pdf\"}"
expect_eq "02 size" "$(size "$T/02.pdf")" "419.528x595.276"
text "$T/02.pdf" >"$T/02.txt"
for s in "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" "Mã hồ sơ: $a" "UBND PHƯỜNG BA ĐÌNH" \
	"1. Bản sao Giấy chứng nhận kết hôn của cha, mẹ" "2. Tờ khai có chữ ký của người đi đăng ký" \
	"Lý do: Tờ khai chưa ghi đủ thông tin về người mẹ" "Ba Đình, ngày 27 tháng 10 năm 2025" \
	"tạm dừng từ 10 giờ 00 phút, ngày 27 tháng 10 năm 2025" "NGƯỜI HƯỚNG DẪN" "Nguyễn Thị Lan"; do
	expect_grep "$T/02.txt" "$s"
done
renders "$T/02.pdf"

lower=$(echo "$b" | tr 'A-Z' 'a-z')
form 0 "$lower" 4 "$T/04.pdf"
text "$T/04.pdf" >"$T/04.txt"
for s in "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" "Mã hồ sơ: $b" \
	"Thời gian hẹn trả kết quả giải quyết hồ sơ: 07 giờ 40 phút, ngày 28 tháng 10 năm 2025" \
	"Lý do: Chờ Công an phường Ngọc Hà xác minh nơi cư trú" \
	"vào: 07 giờ 40 phút, ngày 30 tháng 10 năm 2025" "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ"; do
	expect_grep "$T/04.txt" "$s"
done
renders "$T/04.pdf"

form 0 "$c" 03 "$T/03.pdf"
text "$T/03.pdf" >"$T/03.txt"
for s in "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" "1. Hồ sơ không thuộc thẩm quyền của phường" \
	"2. Thiếu giấy tờ tùy thân" "NGƯỜI TIẾP NHẬN HỒ SƠ"; do
	expect_grep "$T/03.txt" "$s"
done
renders "$T/03.pdf"

form 0 "$b" 05 "$T/05.pdf"
expect_eq "05 size (A4 portrait)" "$(size "$T/05.pdf")" "595.276x841.89"
text "$T/05.pdf" >"$T/05.txt"
for s in "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" "Nhận: Phường Ngọc Hà, Thành phố Hà Nội" \
	"10 giờ 10 phút ngày 27/10/2025" "Trước hạn" "(hẹn 07:40 30/10/2025)" \
	"Xin lỗi, hẹn lại ngày trả kết quả: 07:40 30/10/2025" \
	"Cơ quan (bộ phận) giải quyết hồ sơ: Phường Ngọc Hà"; do
	expect_grep "$T/05.txt" "$s"
done
# the supplement was asked after the appointment of the demo (27/10 09:40)
form 0 "$a" 05 "$T/05a.pdf"
text "$T/05a.pdf" >"$T/05a.txt"
expect_grep "$T/05a.txt" "Quá hạn"
expect_grep "$T/05a.txt" "(hẹn 09:40 27/10/2025)"
expect_grep "$T/05a.txt" "hẹn trả mới: 08:40 29/10/2025"
renders "$T/05.pdf"

# refusals: status 2, a sentence, nothing written
form 2 "$a" 04 "$T/no.pdf"
expect_grep "$T/err" "chưa được xin lỗi, hẹn lại: không có phiếu xin lỗi và hẹn lại ngày trả kết quả (mẫu 04)"
form 2 "$b" 03 "$T/no.pdf"
expect_grep "$T/err" "không bị từ chối tiếp nhận"
form 2 "$b" 02 "$T/no.pdf"
expect_grep "$T/err" "chưa có yêu cầu bổ sung"
form 2 H01.00004-251027-9999 05 "$T/no.pdf"
expect_grep "$T/err" "không có hồ sơ mã H01.00004-251027-9999"
for k in 01 06 1 abc 002; do
	form 2 "$a" "$k" "$T/no.pdf"
	expect_grep "$T/err" "không có mẫu số"
done
[ -e "$T/no.pdf" ] && fail "a PDF written for a refused form"
[ -e "$T/no.pdf.tmp" ] && fail "a temporary file left behind"
expect_status 2 "$MOTCUA" form "$a" 02 --db "$db"
expect_grep "$T/err" "thiếu --out"
expect_status 2 "$MOTCUA" form "$a" --out "$T/no.pdf" --db "$db"
expect_grep "$T/err" "thiếu số mẫu"
expect_status 2 "$MOTCUA" form --out "$T/no.pdf" --db "$db"
expect_grep "$T/err" "thiếu mã hồ sơ"
expect_status 2 "$MOTCUA" form "$a" 02 extra --out "$T/no.pdf" --db "$db"
expect_grep "$T/err" "thừa tham số «extra»"
expect_status 2 "$MOTCUA" form "$a" 02 --out "$T/no.pdf" --out "$T/x.pdf" --db "$db"
expect_grep "$T/err" "chỉ được dùng một lần"
expect_status 2 "$MOTCUA" form "$a" 02 --bogus --out "$T/no.pdf" --db "$db"
expect_grep "$T/err" "tùy chọn không hợp lệ cho form: --bogus"
# an unwritable place: status 1
form 1 "$a" 02 "$T/none/02.pdf"
expect_grep "$T/err" "thư mục không tồn tại"
expect_status 0 "$MOTCUA" form --help
expect_grep "$T/out" "Phiếu kiểm soát quá trình giải quyết hồ sơ"

# ---- the ledger --------------------------------------------------------------
ledger() { want=$1; shift; expect_status "$want" "$MOTCUA" ledger --db "$db" "$@"; }
ledger 0 --from 2025-10-27 --out "$T/day1.pdf"
expect_eq "day 1" "$(cat "$T/out")" \
	"{\"unit\":\"00004\",\"year\":2025,\"from\":\"2025-10-27\",\"to\":\"2025-10-27\",\"count\":3,\"first\":28,\"last\":30,\"out\":\"$T/day1.pdf\"}"
expect_eq "ledger size (A4 landscape)" "$(size "$T/day1.pdf")" "841.89x595.276"
text "$T/day1.pdf" >"$T/day1.txt"
for s in "SỔ THEO DÕI HỒ SƠ" "Quyển số: 01/2025 — từ ngày 27/10/2025 đến ngày 27/10/2025" \
	"Ngày, tháng, năm" "Lê Quang Huy" "Trần Thị Mai" "Nguyễn Văn Hùng" \
	"Tổng số: 3 hồ sơ (số thứ tự từ 28 đến 30)." "Không được tiếp nhận"; do
	expect_grep "$T/day1.txt" "$s"
done
renders "$T/day1.pdf"

# the next day, in other runs of the program: numbers go on from 31
cat >"$T/in.json" <<'JSON'
{"procedure": "1.001193", "received_at": "@AT@",
 "applicant": {"full_name": "Trương Thị Phượng Quỳnh", "id_number": "001190012345",
   "birth_date": "1990-05-17", "sex": "F", "phone": "0983 111 222",
   "address": "Số 3 \"ngõ\" 6, phố Vĩnh Phúc", "commune": "00008"},
 "components": [{"id": 5, "originals": 1}, {"id": 7, "originals": 1},
   {"id": 11, "originals": 1}, {"id": 32, "originals": 1}]}
JSON
for at in 2025-10-28T08:00 2025-10-28T09:30; do
	sed "s/@AT@/$at/" "$T/in.json" >"$T/in1.json"
	MOTCUA_NOW=$at "$MOTCUA" receive --json "$T/in1.json" --db "$db" >/dev/null 2>"$T/rcv.err" ||
		fail "receive: $(cat "$T/rcv.err")"
done
ledger 0 --from 2025-10-28 --out "$T/day2.csv"
expect_grep "$T/out" "\"count\":2,\"first\":31,\"last\":32,"
ledger 0 --from 2025-10-27 --out "$T/day1.csv"
expect_grep "$T/out" "\"count\":3,\"first\":28,\"last\":30,"
ledger 0 --from 2025-10 --out "$T/month.pdf"
expect_grep "$T/out" "\"from\":\"2025-10-01\",\"to\":\"2025-10-31\",\"count\":32,\"first\":1,\"last\":32,"
[ "$(pages "$T/month.pdf")" -ge 3 ] || fail "the month's ledger should take several pages"
for p in 2 3; do
	pdftotext -f $p -l $p -enc UTF-8 "$T/month.pdf" - | tr '\n' ' ' >"$T/page.txt"
	expect_grep "$T/page.txt" "(tiếp theo, trang $p)"
	expect_grep "$T/page.txt" "Mã hồ sơ"
	expect_grep "$T/page.txt" "Ngày, tháng, năm"
done
ledger 0 --from 2025 --out "$T/year.csv"
expect_grep "$T/out" "\"from\":\"2025-01-01\",\"to\":\"2025-12-31\",\"count\":32,"
ledger 0 --from 2025-10-27 --to 2025-10-28 --out "$T/two.csv"
expect_grep "$T/out" "\"count\":5,\"first\":28,\"last\":32,"
ledger 0 --from 2025-11-01 --out "$T/empty.pdf"
expect_grep "$T/out" "\"count\":0,\"first\":null,\"last\":null,"
text "$T/empty.pdf" >"$T/empty.txt"
expect_grep "$T/empty.txt" "Không có hồ sơ nào được tiếp nhận trong thời gian này."

# the CSV: a BOM, a header, CRLF, every field quoted, quotes doubled
expect_eq "BOM" "$(head -c 3 "$T/day2.csv" | od -An -tx1 | tr -d ' ')" "efbbbf"
expect_eq "CSV lines" "$(wc -l <"$T/day2.csv" | tr -d ' ')" 3
expect_eq "CRLF" "$(grep -c "$(printf '\r')\$" "$T/day2.csv")" 3
head -1 "$T/day2.csv" | tail -c +4 | tr -d '\r' >"$T/head.csv"
expect_eq "CSV header" "$(cat "$T/head.csv")" \
	'"STT","Mã hồ sơ","Tên TTHC","Số lượng hồ sơ (bộ)","Tên cá nhân, tổ chức","Địa chỉ, số điện thoại","Cơ quan chủ trì giải quyết","Ngày nhận hồ sơ","Ngày hẹn trả kết quả","Ngày chuyển hồ sơ đến cơ quan giải quyết","Ngày có kết quả giải quyết","Ngày trả kết quả","Người nhận kết quả","Ghi chú"'
sed -n 2p "$T/day2.csv" | tr -d '\r' >"$T/row.csv"
expect_eq "CSV row" "$(cat "$T/row.csv")" \
	'"31","H01.00004-251028-0001","Thủ tục đăng ký khai sinh","1","Trương Thị Phượng Quỳnh","Số 3 ""ngõ"" 6, phố Vĩnh Phúc, Phường Ngọc Hà, Thành phố Hà Nội; ĐT: 0983 111 222","Phường Ba Đình","2025-10-28 08:00","2025-10-29 08:00","","","","","Đã tiếp nhận"'
grep -q '"30","H01.00004-251027-0003",.*"Không được tiếp nhận; lý do: Hồ sơ không thuộc thẩm quyền của phường; Thiếu giấy tờ tùy thân"' \
	"$T/day1.csv" || fail "the refused dossier's note: $(cat "$T/day1.csv")"
grep -q '"28","H01.00004-251027-0001",.*"2025-10-30 07:40","2025-10-27 10:10",.*"Đang xử lý; Đã xin lỗi, hẹn lại (hẹn trước: 28/10/2025 07:40)"' \
	"$T/day1.csv" || fail "the apologised dossier's row: $(cat "$T/day1.csv")"

# refusals: status 2, nothing written
for args in "--out $T/no.pdf" "--from 27/10/2025 --out $T/no.pdf" "--from 2025-13 --out $T/no.pdf" \
	"--from 2025-12-31 --to 2026-01-01 --out $T/no.pdf" "--from 2025-10-28 --to 2025-10-27 --out $T/no.pdf" \
	"--from 2025-10-27 --out $T/no.txt" "--from 2025-10-27" "--from 2025-10-27 --out $T/no.pdf --unit 99999" \
	"--from 2025-10-27 --out $T/no.pdf --bogus 1" "--from 2025-10-27 --from 2025-10-28 --out $T/no.pdf" \
	"--from"; do
	# shellcheck disable=SC2086
	"$MOTCUA" ledger --db "$db" $args >"$T/out" 2>"$T/err"; st=$?
	[ "$st" = 2 ] || fail "ledger $args: exit $st, want 2"
	[ -s "$T/err" ] || fail "ledger $args: no message"
	[ -s "$T/out" ] && fail "ledger $args: stdout $(cat "$T/out")"
done
[ -e "$T/no.pdf" ] || [ -e "$T/no.txt" ] && fail "a ledger written for refused input"
ledger 2 --from 2025-12-31 --to 2026-01-01 --out "$T/no.pdf"
expect_grep "$T/err" "sổ theo dõi hồ sơ mở theo năm"
ledger 2 --from 2025-10-27 --out "$T/no.pdf" --unit 99999
expect_grep "$T/err" "không có đơn vị mã «99999»"
ledger 1 --from 2025-10-27 --out "$T/none/l.csv"
expect_grep "$T/err" "thư mục không tồn tại"
