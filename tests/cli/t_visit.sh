# SPDX-License-Identifier: GPL-3.0-or-later
# motcua refuse / motcua guide: a counter visit that ends without a received
# dossier. The form (03 or 02) read back with pdftotext; the store counted: no
# dossier, one visit, its event and one outbox row; every bad input refused
# with status 2 and the store unchanged.
dir="$T/store"
db="$dir/motcua.db"
q() { sqlite3 "$db" "$1"; }
rows() { sqlite3 "$db" "SELECT (SELECT count(*) FROM dossiers) || ' ' ||
	(SELECT count(*) FROM visits) || ' ' || (SELECT count(*) FROM events) || ' ' ||
	(SELECT count(*) FROM outbox) || ' ' || (SELECT count(*) FROM ledger_numbers) || ' ' ||
	(SELECT coalesce(sum(last), 0) FROM code_seq)"; }

demo_init
export MOTCUA_NOW=2025-10-27T10:05

cat >"$T/in.json" <<'JSON'
{"procedure": "1.001193",
 "applicant": {"full_name": "Trần Thị Bình", "id_number": "001190012346",
   "birth_date": "1990-05-17", "sex": "F", "phone": "0912 345 678",
   "address": "Số 12 ngõ 45 phố Đội Cấn", "commune": "00004"},
 "components": [{"id": 5, "originals": 1, "copies": 0}]}
JSON

# ---- refuse ------------------------------------------------------------------------
before=$(rows)
expect_status 0 "$MOTCUA" refuse --json "$T/in.json" --db "$db" \
	--reason "Người yêu cầu không có quyền đăng ký khai sinh cho trẻ; Giấy chứng sinh bị tẩy xóa"
grep -q "^motcua:" "$T/err" && fail "message on success: $(cat "$T/err")"
id=$(q "SELECT id FROM visits WHERE kind = 'refuse'")
[ -n "$id" ] || fail "no refusal recorded"
pdf="$dir/receipts/visit-1-03.pdf"
expect_grep "$T/out" "^{\"form\":\"$pdf\",\"id\":\"$id\",\"at\":\"2025-10-27T10:05\"}$"
[ -f "$pdf" ] || fail "no form 03 at $pdf"
pdftotext "$pdf" - | tr '\n' ' ' | tr -s ' ' >"$T/f03.txt" || fail "pdftotext"
expect_grep "$T/f03.txt" "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ"
expect_grep "$T/f03.txt" "Ông/Bà: Trần Thị Bình"
expect_grep "$T/f03.txt" "1. Người yêu cầu không có quyền đăng ký khai sinh cho trẻ"
expect_grep "$T/f03.txt" "2. Giấy chứng sinh bị tẩy xóa"
expect_grep "$T/f03.txt" "không tiếp nhận, giải quyết"
expect_grep "$T/f03.txt" "UBND PHƯỜNG BA ĐÌNH"
grep -q "Mã hồ sơ" "$T/f03.txt" && fail "form 03 of a visit shows a dossier code"
set -- $before
b_dossiers=$1 b_visits=$2 b_events=$3 b_outbox=$4 b_ledger=$5 b_seq=$6
expect_eq "after refuse" "$(rows)" "$b_dossiers $((b_visits + 1)) $((b_events + 1)) $((b_outbox + 1)) $b_ledger $b_seq"
expect_eq "event" "$(q "SELECT kind || ' ' || actor || ' ' || device_time FROM events WHERE dossier_id = '$id'")" \
	"visit-refuse $(q "SELECT clerk FROM visits WHERE id = '$id'") 2025-10-27T10:05"
expect_eq "outbox" "$(q "SELECT entity || ' ' || op || ' ' || state FROM outbox WHERE entity_id = '$id'")" \
	"visit record pending"
expect_eq "outbox payload" "$(q "SELECT json_extract(payload, '\$.applicant.full_name') || '|' ||
	json_extract(payload, '\$.items[1]') || '|' || json_extract(payload, '\$.kind') FROM outbox WHERE entity_id = '$id'")" \
	"Trần Thị Bình|Giấy chứng sinh bị tẩy xóa|refuse"

# ---- guide ---------------------------------------------------------------------------
before=$(rows)
expect_status 0 "$MOTCUA" guide --json "$T/in.json" --db "$db" \
	--papers "Giấy chứng sinh (bản chính); Giấy chứng nhận kết hôn của cha, mẹ (bản sao)"
gid=$(q "SELECT id FROM visits WHERE kind = 'guide'")
gpdf="$dir/receipts/visit-2-02.pdf"
expect_grep "$T/out" "^{\"form\":\"$gpdf\",\"id\":\"$gid\","
pdftotext "$gpdf" - | tr '\n' ' ' | tr -s ' ' >"$T/f02.txt" || fail "pdftotext 02"
expect_grep "$T/f02.txt" "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ"
expect_grep "$T/f02.txt" "Ông/Bà: Trần Thị Bình"
expect_grep "$T/f02.txt" "1. Giấy chứng sinh (bản chính)"
expect_grep "$T/f02.txt" "2. Giấy chứng nhận kết hôn của cha, mẹ (bản sao)"
expect_grep "$T/f02.txt" "Hồ sơ chưa được tiếp nhận"
grep -q "Mã hồ sơ" "$T/f02.txt" && fail "form 02 of a visit shows a dossier code"
set -- $before
expect_eq "after guide" "$(rows)" "$1 $(($2 + 1)) $(($3 + 1)) $(($4 + 1)) $5 $6"
expect_eq "guide outbox" "$(q "SELECT entity || ' ' || op FROM outbox WHERE entity_id = '$gid'")" "visit record"

# ---- the ledger: no row, no number; counted under the book ---------------------------
expect_status 0 "$MOTCUA" ledger --db "$db" --from 2025-10-27 --out "$T/ledger.pdf"
pdftotext "$T/ledger.pdf" - | tr '\n' ' ' | tr -s ' ' >"$T/ledger.txt"
expect_grep "$T/ledger.txt" "Không tiếp nhận tại quầy (không vào sổ): 1 lượt từ chối (mẫu 03), 1 lượt hướng dẫn bổ sung (mẫu 02)."
expect_status 0 "$MOTCUA" ledger --db "$db" --from 2025-10-26 --out "$T/before.pdf"
pdftotext "$T/before.pdf" - | grep -q "Không tiếp nhận tại quầy" && fail "a day without visits counts some"

# ---- the indicators: the visits beside them, only when there are some ---------------
expect_status 0 "$MOTCUA" indicators --db "$db" --from 2025-10-27 --to 2025-10-27
expect_grep "$T/out" '\],"visits":{"refused":1,"guided":1}}$'
expect_status 0 "$MOTCUA" indicators --db "$db" --from 2025-10-27 --to 2025-10-27 --clerk nobody
grep -q '"visits"' "$T/out" && fail "another clerk's visits counted"
expect_status 0 "$MOTCUA" indicators --db "$db" --from 2025-10-26 --to 2025-10-26
grep -q '"visits"' "$T/out" && fail "a day without visits counts some"

# ---- bad input: status 2, a Vietnamese message, nothing written ------------------------
before=$(rows)
ls "$dir/receipts" >"$T/receipts.before"
bad() {
	expect_status 2 "$@"
	grep -q "^motcua: " "$T/err" || fail "no message: $*"
	[ -s "$T/out" ] && fail "output on refusal: $*"
	expect_eq "unchanged after: $*" "$(rows)" "$before"
}
bad "$MOTCUA" refuse --json "$T/in.json" --db "$db"
expect_grep "$T/err" "thiếu --reason"
bad "$MOTCUA" refuse --json "$T/in.json" --db "$db" --reason " ; ; "
expect_grep "$T/err" "Lý do từ chối: cần ít nhất một mục"
bad "$MOTCUA" guide --json "$T/in.json" --db "$db" --papers ""
expect_grep "$T/err" "Giấy tờ cần bổ sung: cần ít nhất một mục"
bad "$MOTCUA" guide --json "$T/in.json" --db "$db" --reason "x"
long=$(printf 'a%.0s' $(seq 1 501))
bad "$MOTCUA" refuse --json "$T/in.json" --db "$db" --reason "$long"
expect_grep "$T/err" "dài quá 500 ký tự (501 ký tự)"
sed 's/"1.001193"/"9.999999"/' "$T/in.json" >"$T/badproc.json"
bad "$MOTCUA" refuse --json "$T/badproc.json" --db "$db" --reason "x"
expect_grep "$T/err" "procedure: Không có thủ tục mã"
sed 's/"1990-05-17"/"1990-02-30"/' "$T/in.json" >"$T/baddate.json"
bad "$MOTCUA" guide --json "$T/baddate.json" --db "$db" --papers "x"
expect_grep "$T/err" "applicant.birth_date"
printf '{"procedure": "1.001193", "applicant": {"full_name": "A"}, "extra": 1}' >"$T/badkey.json"
bad "$MOTCUA" refuse --json "$T/badkey.json" --db "$db" --reason "x"
expect_grep "$T/err" "«extra» không phải khóa hợp lệ"
printf '{' >"$T/broken.json"
bad "$MOTCUA" refuse --json "$T/broken.json" --db "$db" --reason "x"
expect_grep "$T/err" "JSON không hợp lệ"
bad "$MOTCUA" refuse --json "$T/in.json" --db "$db" --reason "x" --user nobody
expect_grep "$T/err" "Không có cán bộ «nobody»"
ls "$dir/receipts" >"$T/receipts.after"
cmp -s "$T/receipts.before" "$T/receipts.after" || fail "a form was written for bad input"

# ---- help ------------------------------------------------------------------------------
expect_status 0 "$MOTCUA" refuse --help
expect_grep "$T/out" "mẫu 03"
expect_status 0 "$MOTCUA" guide --help
expect_grep "$T/out" "mẫu 02"
finish
