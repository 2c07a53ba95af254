# SPDX-License-Identifier: GPL-3.0-or-later
# motcua receipt: the receipt of an existing dossier written again from the
# store, the same form as at reception; unknown code 2, unwritable output 1.
dir="$T/store"
db="$dir/motcua.db"
demo_init
export MOTCUA_NOW=2025-10-27T10:00
cat >"$T/in.json" <<'JSON'
{"procedure": "1.001193", "received_at": "2025-10-27T09:32",
 "applicant": {"full_name": "Lê Thị Hồng Nhung", "id_number": "036195012345",
   "birth_date": "1995-03-08", "sex": "F", "phone": "+84 983 111 222",
   "address": "Số 3 ngõ 6 phố Vĩnh Phúc", "commune": "00008"},
 "components": [{"id": 5, "originals": 0, "override_reason": "Bổ sung Giấy chứng sinh sau"},
   {"id": 7, "originals": 1}, {"id": 11, "originals": 1}, {"id": 32, "originals": 1}]}
JSON
expect_status 0 "$MOTCUA" receive --json "$T/in.json" --db "$db"
code=H01.00004-251027-0001
first="$dir/receipts/$code.pdf"
[ -f "$first" ] || fail "no receipt from receive"

# The same form again.
expect_status 0 "$MOTCUA" receipt "$code" --out "$T/again.pdf" --db "$db"
expect_eq "output" "$(cat "$T/out")" "{\"code\":\"$code\",\"receipt\":\"$T/again.pdf\"}"
pdftotext -layout "$first" "$T/first.txt" && pdftotext -layout "$T/again.pdf" "$T/again.txt" ||
	fail "pdftotext"
cmp -s "$T/first.txt" "$T/again.txt" || fail "reprint differs: $(diff "$T/first.txt" "$T/again.txt" | head -5)"
expect_grep "$T/again.txt" "Mã hồ sơ: $code"
expect_grep "$T/again.txt" "Ông/Bà: Lê Thị Hồng Nhung"
expect_grep "$T/again.txt" "Số điện thoại: +84 983 111 222"
expect_grep "$T/again.txt" "Bổ sung Giấy chứng sinh sau"
expect_grep "$T/again.txt" "Địa chỉ: Số 3 ngõ 6 phố Vĩnh Phúc, Phường Ngọc Hà, Thành phố Hà Nội"
tr "\n" " " <"$T/again.txt" | tr -s " " >"$T/again.line"
expect_grep "$T/again.line" "5. Thời gian trả kết quả giải quyết hồ sơ: 09 giờ 32 phút, ngày 28 tháng 10 năm 2025"
expect_grep "$T/again.txt" "Tra cứu hồ sơ: http://127.0.0.1:8080/api/v1/lookup/$code"
# The ledger line carries the number the ledger gave the dossier (the demo
# numbered its own dossiers of 2025 first).
no=$(sqlite3 "$db" "SELECT l.no FROM ledger_numbers l JOIN dossiers d ON d.id = l.dossier_id
	WHERE d.code = '$code'")
[ -n "$no" ] || fail "no ledger number for $code"
expect_grep "$T/again.line" "Vào Sổ theo dõi hồ sơ, Quyển số: 01/2025, Số thứ tự: $(printf %04d "$no")"
grep -q "Quyển số: \.\.\." "$T/again.txt" && fail "the ledger line is still blank"
# The barcode holds the code (rendered, then decoded).
pdftoppm -r 150 -png -f 1 -l 1 "$T/again.pdf" "$T/page"
zbarimg -q --raw "$T"/page-*.png >"$T/codes" 2>/dev/null
expect_grep "$T/codes" "^$code\$"

# A lower-case code, a demo dossier already returned, the lookup URL setting.
sqlite3 "$db" "INSERT INTO settings VALUES ('lookup_url', 'https://dichvucong.hanoi.gov.vn/tra-cuu?ma=')"
lower=$(echo "$code" | tr 'A-Z' 'a-z')
expect_status 0 "$MOTCUA" receipt "$lower" --out "$T/lower.pdf" --db "$db"
pdftotext "$T/lower.pdf" - | tr '\n' ' ' >"$T/lower.txt"
expect_grep "$T/lower.txt" "https://dichvucong.hanoi.gov.vn/tra-cuu?ma=$code"
demo=$(sqlite3 "$db" "SELECT code FROM dossiers WHERE status = 10 ORDER BY received_at LIMIT 1")
expect_status 0 "$MOTCUA" receipt "$demo" --out "$T/demo.pdf" --db "$db"
pdftotext "$T/demo.pdf" "$T/demo.txt"
expect_grep "$T/demo.txt" "Mã hồ sơ: $demo"

# Bad input: status 2, nothing written.
expect_status 2 "$MOTCUA" receipt H01.00004-251027-9999 --out "$T/none.pdf" --db "$db"
expect_grep "$T/err" "không có hồ sơ mã H01.00004-251027-9999"
[ -e "$T/none.pdf" ] && fail "a PDF for an unknown code"
expect_status 2 "$MOTCUA" receipt "$code" --db "$db"
expect_grep "$T/err" "thiếu --out"
expect_status 2 "$MOTCUA" receipt --out "$T/x.pdf" --db "$db"
expect_grep "$T/err" "thiếu mã hồ sơ"
expect_status 2 "$MOTCUA" receipt "$code" other --out "$T/x.pdf" --db "$db"
expect_grep "$T/err" "chỉ nhận một mã hồ sơ"
expect_status 2 "$MOTCUA" receipt "$code" --out "$T/x.pdf" --db "$db" --bogus
expect_grep "$T/err" "tùy chọn không hợp lệ cho receipt"
# A place that cannot be written: status 1, the message says why.
expect_status 1 "$MOTCUA" receipt "$code" --out "$T/no/such/dir/x.pdf" --db "$db"
expect_grep "$T/err" "không ghi được giấy tiếp nhận"
# No store.
expect_status 1 "$MOTCUA" receipt "$code" --out "$T/x.pdf" --db "$T/missing.db"
expect_grep "$T/err" "chưa có kho dữ liệu"
