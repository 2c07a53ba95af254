# SPDX-License-Identifier: GPL-3.0-or-later
# Fees at reception: `motcua receive` with each fee kind (collected, exempt
# with a reason, later, the catalogue's default) records it with the dossier
# and in its outbox row, the receipt prints it; bad fee input is refused with
# status 2 and nothing written; `motcua closing` (PDF and CSV) has the totals
# the ledger and the recorded fees give, counted here independently.
dir="$T/store"
db="$dir/motcua.db"
q() { sqlite3 "$db" "$1"; }
rows() { sqlite3 "$db" "SELECT (SELECT count(*) FROM dossiers) || ' ' ||
	(SELECT count(*) FROM dossier_fees) || ' ' || (SELECT count(*) FROM events) || ' ' ||
	(SELECT count(*) FROM outbox) || ' ' || (SELECT coalesce(sum(last), 0) FROM code_seq)"; }

demo_init
export MOTCUA_NOW=2025-10-27T10:00

app='{"full_name": "Nguyễn Văn An", "id_number": "001090012345", "birth_date": "1990-05-17",
	"sex": "M", "commune": "00004"}'
comps='[{"id": 5, "originals": 1}, {"id": 7, "originals": 1}, {"id": 11, "originals": 1},
	{"id": 32, "originals": 1}]'
# mkin PROCEDURE FEE-JSON: the reception's JSON in $T/in.json
mkin() {
	printf '{"procedure": "%s", "received_at": "2025-10-27T09:30", "applicant": %s,
	 "components": %s, "fee": %s}\n' "$1" "$app" "$comps" "$2" >"$T/in.json"
}
# fee_of CODE: status|amount|reason as stored
fee_of() { q "SELECT f.status || '|' || f.amount || '|' || coalesce(f.reason, '')
	FROM dossier_fees f JOIN dossiers d ON d.id = f.dossier_id WHERE d.code = '$1'"; }
# receipt_fee CODE: the receipt's fee line
receipt_fee() {
	pdftotext "$dir/receipts/$1.pdf" - | tr '\n' ' ' | sed 's/.*Phí, lệ phí: //; s/ *Thành phần.*//'
}
# sent_fee CODE: the fee of the outbox row's payload (compact JSON)
sent_fee() { q "SELECT o.payload FROM outbox o JOIN dossiers d ON d.id = o.entity_id
	WHERE d.code = '$1' AND o.op = 'receive'" | grep -o '"fee":{[^}]*}'; }

# ---- each kind ------------------------------------------------------------------
mkin 1.001193 '{"status": "collected", "amount": 50000}'
expect_status 0 "$MOTCUA" receive --json "$T/in.json" --db "$db"
c1=H01.00004-251027-0001
expect_eq "collected" "$(fee_of $c1)" "collected|50000|"
expect_eq "collected sent" "$(sent_fee $c1)" '"fee":{"status":"collected","amount":50000}'
receipt_fee $c1 >"$T/r1"
expect_grep "$T/r1" "^50.000 đồng (đã thu)"

mkin 1.001193 '{"status": "exempt", "reason": "Hộ nghèo  (sổ số 12)"}'
expect_status 0 "$MOTCUA" receive --json "$T/in.json" --db "$db"
c2=H01.00004-251027-0002
expect_eq "exempt" "$(fee_of $c2)" "exempt|0|Hộ nghèo (sổ số 12)"
expect_eq "exempt sent" "$(sent_fee $c2)" \
	'"fee":{"status":"exempt","amount":0,"reason":"Hộ nghèo (sổ số 12)"}'
receipt_fee $c2 >"$T/r2"
expect_grep "$T/r2" "^Miễn phí: Hộ nghèo (sổ số 12)"

mkin 1.001193 '{"status": "later", "amount": 1234567}'
expect_status 0 "$MOTCUA" receive --json "$T/in.json" --db "$db"
c3=H01.00004-251027-0003
expect_eq "later" "$(fee_of $c3)" "later|1234567|"
receipt_fee $c3 >"$T/r3"
expect_grep "$T/r3" "^Nộp sau (1.234.567 đồng)"

# No fee: the catalogue's amount, collected (1.000034 has a 20,000 đồng fee
# and no mandatory paper).
expect_eq "catalogue fee" "$(q "SELECT fee_amount FROM procedures WHERE code = '1.000034'")" 20000
printf '{"procedure": "1.000034", "received_at": "2025-10-27T09:40", "applicant": %s}\n' \
	"$app" >"$T/in.json"
expect_status 0 "$MOTCUA" receive --json "$T/in.json" --db "$db"
c4=H01.00004-251027-0004
expect_eq "default" "$(fee_of $c4)" "collected|20000|"
receipt_fee $c4 >"$T/r4"
expect_grep "$T/r4" "^20.000 đồng (đã thu)"
# "later" without an amount takes the catalogue's too
printf '{"procedure": "1.000034", "received_at": "2025-10-27T09:45", "applicant": %s,
	"fee": {"status": "later"}}\n' "$app" >"$T/in.json"
expect_status 0 "$MOTCUA" receive --json "$T/in.json" --db "$db"
c5=H01.00004-251027-0005
expect_eq "later default" "$(fee_of $c5)" "later|20000|"
# A free procedure (1.001193: 0 đồng) prints "Miễn phí" as before
mkin 1.001193 null
expect_status 0 "$MOTCUA" receive --json "$T/in.json" --db "$db"
c6=H01.00004-251027-0006
expect_eq "free" "$(fee_of $c6)" "collected|0|"
receipt_fee $c6 >"$T/r6"
expect_grep "$T/r6" "^Miễn phí"

# ---- bad fee input: status 2, a message, nothing written ---------------------------
# refuse NAME FEE-JSON STDERR-PART
refuse() {
	before=$(rows)
	mkin 1.001193 "$2"
	expect_status 2 "$MOTCUA" receive --json "$T/in.json" --db "$db"
	expect_grep "$T/err" "$3"
	expect_eq "$1: nothing written" "$(rows)" "$before"
	[ -s "$T/out" ] && fail "$1: output on refusal: $(cat "$T/out")"
}
refuse "exempt without reason" '{"status": "exempt"}' "fee: Miễn phí, lệ phí cần ghi lý do miễn"
refuse "exempt blank reason" '{"status": "exempt", "reason": "   "}' "cần ghi lý do miễn"
refuse "unknown status" '{"status": "paid", "amount": 1}' "fee: Tình trạng phí, lệ phí «paid» không hợp lệ"
refuse "negative" '{"status": "collected", "amount": -5}' "từ 0 đến 1.000.000.000 đồng"
refuse "too large" '{"status": "later", "amount": 1000000001}' "từ 0 đến 1.000.000.000 đồng"
refuse "huge" '{"status": "collected", "amount": 99999999999999999}' "từ 0 đến 1.000.000.000 đồng"
refuse "fraction" '{"status": "collected", "amount": 5.5}' "fee.amount phải là số nguyên đồng"
refuse "string amount" '{"status": "collected", "amount": "50000"}' "fee.amount phải là số nguyên đồng"
refuse "reason not exempt" '{"status": "later", "amount": 5, "reason": "x"}' "Lý do chỉ ghi khi miễn"
refuse "no status" '{"amount": 5}' "Chưa chọn tình trạng phí"
refuse "unknown key" '{"status": "later", "amont": 5}' "«amont» không phải khóa hợp lệ"
refuse "not an object" '"collected"' "fee phải là một đối tượng JSON"
long=$(printf 'x%.0s' $(seq 1 501))
refuse "long reason" "{\"status\": \"exempt\", \"reason\": \"$long\"}" "quá 500 ký tự"
# no catalogue amount and none typed
q "UPDATE procedures SET fee_amount = NULL WHERE code = '1.000034'"
before=$(rows)
printf '{"procedure": "1.000034", "applicant": %s, "fee": {"status": "collected"}}\n' \
	"$app" >"$T/in.json"
expect_status 2 "$MOTCUA" receive --json "$T/in.json" --db "$db"
expect_grep "$T/err" "Danh mục không có mức phí, lệ phí của thủ tục này: hãy nhập số tiền"
expect_eq "no amount: nothing written" "$(rows)" "$before"
# ... and without a fee at all, nothing is recorded (the receipt keeps the catalogue's text)
printf '{"procedure": "1.000034", "received_at": "2025-10-27T09:50", "applicant": %s}\n' \
	"$app" >"$T/in.json"
expect_status 0 "$MOTCUA" receive --json "$T/in.json" --db "$db"
c7=H01.00004-251027-0007
expect_eq "no fee recorded" "$(fee_of $c7)" ""
expect_eq "none sent" "$(sent_fee $c7)" ""

# ---- the closing report against the ledger ----------------------------------------
expect_status 0 "$MOTCUA" ledger --from 2025-10-27 --out "$T/ledger.csv" --db "$db"
# the ledger's count: its numbered rows
ledger_n=$(tr -d '\r' <"$T/ledger.csv" | grep -c '^"[0-9]')
expect_eq "ledger rows" "$ledger_n" 7
# the recorded fees of the ledger's dossiers, summed by the store itself
codes=$(tr -d '\r' <"$T/ledger.csv" | grep '^"[0-9]' | cut -d, -f2 | tr -d '"' | sed "s/.*/'&'/" |
	paste -sd, -)
sums() { q "SELECT count(*), coalesce(sum(f.status = 'collected'), 0),
	coalesce(sum(CASE WHEN f.status = 'collected' THEN f.amount END), 0),
	coalesce(sum(f.status = 'exempt'), 0), coalesce(sum(f.status = 'later'), 0),
	coalesce(sum(CASE WHEN f.status = 'later' THEN f.amount END), 0), coalesce(sum(f.status IS NULL), 0)
	FROM dossiers d LEFT JOIN dossier_fees f ON f.dossier_id = d.id WHERE d.code IN ($codes)" |
	tr '|' ,; }
expect_eq "the ledger's fees" "$(sums)" "7,3,70000,1,2,1254567,1"

expect_status 0 "$MOTCUA" closing --date 2025-10-27 --out "$T/closing.csv" --db "$db"
expect_eq "closing json" "$(cat "$T/out")" \
	"{\"date\":\"2025-10-27\",\"clerk\":null,\"received\":7,\"collected\":3,\"collected_amount\":70000,\"exempt\":1,\"later\":2,\"later_amount\":1254567,\"unrecorded\":1,\"out\":\"$T/closing.csv\"}"
head -c 3 "$T/closing.csv" | od -An -tx1 | tr -d ' ' >"$T/bom"
expect_eq "BOM" "$(cat "$T/bom")" efbbbf
tr -d '\r' <"$T/closing.csv" | sed '1s/^\xef\xbb\xbf//' >"$T/closing.txt"
expect_eq "csv header" "$(head -1 "$T/closing.txt")" \
	'"Ngày","Mã đơn vị","Tên đơn vị","Cán bộ","Họ tên cán bộ","Số hồ sơ tiếp nhận","Số hồ sơ đã thu phí","Số tiền đã thu (đồng)","Số hồ sơ miễn phí","Số hồ sơ nộp sau","Số tiền nộp sau (đồng)","Số hồ sơ chưa ghi phí"'
expect_eq "csv total = ledger" "$(grep '"Tổng cộng"' "$T/closing.txt" | cut -d, -f6- | tr -d '"')" \
	"$(sums)"
expect_eq "csv rows" "$(sed 1d "$T/closing.txt" | grep -vc '"Tổng cộng"')" 1
expect_grep "$T/closing.txt" '^"2025-10-27","00004","Phường Ba Đình","canbo","Nguyễn Thị Lan","7",'

expect_status 0 "$MOTCUA" closing --date 2025-10-27 --out "$T/closing.pdf" --db "$db"
pdfinfo "$T/closing.pdf" >"$T/info" 2>&1 || fail "pdfinfo: $(cat "$T/info")"
expect_grep "$T/info" "Title: *Báo cáo cuối ngày"
pdftotext -layout "$T/closing.pdf" - | tr -s ' ' >"$T/closing.pdf.txt"
expect_grep "$T/closing.pdf.txt" "BÁO CÁO CUỐI NGÀY"
expect_grep "$T/closing.pdf.txt" "ngày 27/10/2025"
expect_grep "$T/closing.pdf.txt" " Tổng cộng 7 3 70.000 1 2 1$"
expect_grep "$T/closing.pdf.txt" "Phí, lệ phí đã thu: 70.000 đồng (3 hồ sơ); miễn: 1 hồ sơ; nộp sau: 2 hồ sơ,"

# one clerk; another day has none; a demo day counts what the demo received
expect_status 0 "$MOTCUA" closing --date 2025-10-27 --clerk canbo --out "$T/c.csv" --db "$db"
expect_grep "$T/out" '"clerk":"canbo","received":7,'
expect_status 0 "$MOTCUA" closing --date 2025-10-28 --out "$T/e.csv" --db "$db"
expect_grep "$T/out" '"received":0,"collected":0,"collected_amount":0,'
expect_status 0 "$MOTCUA" ledger --from 2025-09-15 --out "$T/l2.csv" --db "$db"
n2=$(tr -d '\r' <"$T/l2.csv" | grep -c '^"[0-9]')
expect_status 0 "$MOTCUA" closing --date 2025-09-15 --out "$T/d.csv" --db "$db"
expect_grep "$T/out" "\"received\":$n2,"

# bad input: status 2, no file
for args in "--date 2025-02-30 --out $T/x.csv" "--date 27/10/2025 --out $T/x.csv" \
	"--date 2025-10-27 --out $T/x.txt" "--date 2025-10-27" "--out $T/x.csv" \
	"--date 2025-10-27 --out $T/x.csv --clerk nobody" "--date 2025-10-27 --out $T/x.csv --bad 1"; do
	# shellcheck disable=SC2086
	expect_status 2 "$MOTCUA" closing $args --db "$db"
	[ -e "$T/x.csv" ] || [ -e "$T/x.txt" ] && fail "closing $args wrote a file"
done
expect_status 1 "$MOTCUA" closing --date 2025-10-27 --out "$T/no/such/dir/x.csv" --db "$db"
expect_status 0 "$MOTCUA" closing --help
expect_grep "$T/out" "Báo cáo cuối ngày"
