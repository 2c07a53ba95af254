# SPDX-License-Identifier: GPL-3.0-or-later
# motcua receive with "reuse": a component met by one of the applicant's
# stored papers (filed by `motcua attach` on an earlier dossier) instead of a
# paper brought again. The dossier and the attach are one transaction: the
# component points at the same document with reused = 1, an 'attach' event
# and outbox row are written, no file and no document row are added, and the
# receipt says the paper was reused. An unknown, expired or another person's
# paper, or a blank id: exit 2 and nothing written.
dir="$T/store"
db="$dir/motcua.db"
q() { sqlite3 "$db" "$1"; }
# dossiers, documents rows, files, attach events, attach outbox rows, reused components
rows() {
	echo "$(q "SELECT count(*) FROM dossiers") $(q "SELECT count(*) FROM documents")" \
		"$(ls "$dir/documents" | wc -l)" \
		"$(q "SELECT count(*) FROM events WHERE kind = 'attach'") $(q "SELECT count(*) FROM outbox WHERE op = 'attach'")" \
		"$(q "SELECT count(*) FROM dossier_components WHERE reused = 1")"
}
# input NAME ID_NUMBER AT COMPONENT5_JSON
input() {
	cat >"$T/in.json" <<JSON
{"procedure": "1.001193", "received_at": "$3",
 "applicant": {"full_name": "$1", "id_number": "$2", "birth_date": "1990-05-17", "sex": "M",
   "commune": "00004"},
 "components": [$4, {"id": 7, "originals": 1}, {"id": 11, "originals": 1},
   {"id": 32, "originals": 1}]}
JSON
}
receive() { MOTCUA_NOW=${NOW:-2025-10-27T10:00} expect_status "$1" "$MOTCUA" receive --json "$T/in.json" --db "$db"; }

demo_init
demo=$(q "SELECT count(*) FROM dossiers")

# An earlier dossier, and its birth certificate filed in the store (a PDF
# made afresh from the file is another file: two files).
input "Nguyễn Văn An" 001090012345 2025-10-24T09:32 '{"id": 5, "originals": 1}'
NOW=2025-10-24T10:00 receive 0
a=$(sed -n 's/^{"code":"\([^"]*\)".*/\1/p' "$T/out")
"$MOTCUA" receipt "$a" --db "$db" --out "$T/paper.pdf" >/dev/null 2>&1 || fail "receipt"
MOTCUA_NOW=2025-10-24T10:05 expect_status 0 "$MOTCUA" attach "$a" --component 5 "$T/paper.pdf" \
	--kind giay-chung-sinh --title "Giấy chứng sinh" --number 123/2025 --no-ocr --db "$db"
doc=$(sed -n 's/.*"document_id":"\([^"]*\)".*/\1/p' "$T/out")
sha=$(sed -n 's/.*"sha256":"\([^"]*\)".*/\1/p' "$T/out")
[ -n "$doc" ] || fail "no document id: $(cat "$T/out")"
# ... and a paper that expires on 2025-10-26.
MOTCUA_NOW=2025-10-24T10:06 expect_status 0 "$MOTCUA" attach "$a" --component 11 "$T/paper.pdf" \
	--kind giay-xac-nhan-cu-tru --expires 2025-10-26 --no-ocr --db "$db"
old=$(sed -n 's/.*"document_id":"\([^"]*\)".*/\1/p' "$T/out")
expect_eq "the store before" "$(rows)" "$((demo + 1)) 2 2 2 2 0"

# ---- bad input: exit 2, nothing written -----------------------------------
refused() { # refused MESSAGE COMPONENT5_JSON [NAME ID]
	before=$(rows)
	input "${3:-Nguyễn Văn An}" "${4:-001090012345}" 2025-10-27T09:40 "$2"
	receive 2
	expect_grep "$T/err" "$1"
	[ -s "$T/out" ] && fail "refused $2: stdout $(cat "$T/out")"
	expect_eq "rows after refused $2" "$(rows)" "$before"
}
refused "Không có giấy tờ mã «nope» trong kho" '{"id": 5, "reuse": "nope"}'
refused "Mã giấy tờ dùng lại của thành phần hồ sơ số 5 không hợp lệ" '{"id": 5, "reuse": " "}'
refused "không phải của người nộp (số định danh 036090099999)" \
	"{\"id\": 5, \"reuse\": \"$doc\"}" "Trần Thị Bình" 036090099999
refused "đã hết hạn ngày 2025-10-26" "{\"id\": 5, \"reuse\": \"$old\"}"
refused "components\[0\].reuse" '{"id": 5, "reuse": 7}'

# ---- the reception that reuses the birth certificate -------------------------
before=$(ls -l --time-style=full-iso "$dir/documents")
input "Nguyễn Văn An" 001090012345 2025-10-27T09:40 "{\"id\": 5, \"reuse\": \"$doc\"}"
receive 0
b=$(sed -n 's/^{"code":"\([^"]*\)".*/\1/p' "$T/out")
expect_eq "code" "$b" "H01.00004-251027-0001"
expect_eq "one dossier more, one attach more, no document, no file" "$(rows)" "$((demo + 2)) 2 2 3 3 1"
expect_eq "documents folder unchanged" "$(ls -l --time-style=full-iso "$dir/documents")" "$before"
expect_eq "component" "$(q "SELECT c.originals, c.copies, c.document_id, c.reused FROM dossier_components c
	JOIN dossiers d ON d.id = c.dossier_id WHERE d.code = '$b' AND c.seq = 5")" "0|0|$doc|1"
expect_eq "event" "$(q "SELECT e.actor || json_extract(e.payload, '\$.document_id') || json_extract(e.payload, '\$.reused')
	FROM events e JOIN dossiers d ON d.id = e.dossier_id WHERE d.code = '$b' AND e.kind = 'attach'")" \
	"canbo${doc}1"
# the receive op first, then the attach, both for the new dossier
expect_eq "outbox order" "$(q "SELECT group_concat(op, ' ') FROM (SELECT o.op FROM outbox o
	JOIN dossiers d ON d.id = o.entity_id WHERE d.code = '$b' ORDER BY o.rowid)")" "receive attach"
expect_eq "outbox document" "$(q "SELECT json_extract(o.payload, '\$.document.sha256') FROM outbox o
	JOIN dossiers d ON d.id = o.entity_id WHERE d.code = '$b' AND o.op = 'attach'")" "$sha"
# The person's papers list the two dossiers that use it.
expect_status 0 "$MOTCUA" documents --applicant 001090012345 --db "$db"
expect_grep "$T/out" "\"dossiers\":\[{\"code\":\"$a\",\"component\":5,\"reused\":false},{\"code\":\"$b\",\"component\":5,\"reused\":true}\]"
# The receipt names the paper and says it was reused; the ledger line is filled.
pdftotext "$dir/receipts/$b.pdf" - | tr '\n' ' ' | tr -s ' ' >"$T/receipt.txt" || fail "pdftotext"
expect_grep "$T/receipt.txt" "Giấy chứng sinh"
expect_grep "$T/receipt.txt" "dùng lại bản điện tử đã lưu, không phải nộp lại"
expect_grep "$T/receipt.txt" "Quyển số: 01/2025, Số thứ tự: "
