# SPDX-License-Identifier: GPL-3.0-or-later
# motcua attach: a paper from files (PDF, PNG) filed once under
# documents/<sha256>.pdf with its row, the component, the event and the
# outbox row; OCR before returning, and `motcua search` finding the dossier
# by the paper's words without diacritics; reuse of a stored paper writes no
# file and marks the component reused; bad input (unknown code, component
# or document, a truncated PNG, an expired or another person's paper) exits
# 2 with nothing written.
dir="$T/store"
db="$dir/motcua.db"
q() { sqlite3 "$db" "$1"; }
# rows: documents, files, events, outbox, components with a document, reused
rows() {
	echo "$(q "SELECT count(*) FROM documents") $(ls "$dir/documents" 2>/dev/null | wc -l)" \
		"$(q "SELECT count(*) FROM events WHERE kind = 'attach'") $(q "SELECT count(*) FROM outbox WHERE op = 'attach'")" \
		"$(q "SELECT count(*) FROM dossier_components WHERE document_id IS NOT NULL")" \
		"$(q "SELECT count(*) FROM dossier_components WHERE reused = 1")"
}
attach() { MOTCUA_NOW=${NOW:-2025-10-27T10:00} expect_status "${WANT:-0}" "$MOTCUA" attach --db "$db" "$@"; }
refused() { # refused MESSAGE ARGS...
	msg=$1; shift
	before=$(rows)
	WANT=2 attach "$@"
	expect_grep "$T/err" "$msg"
	[ -s "$T/out" ] && fail "refused $*: stdout $(cat "$T/out")"
	expect_eq "rows after refused $*" "$(rows)" "$before"
	[ -z "$(ls -A "$dir/scans" 2>/dev/null)" ] || fail "pages left in scans: $(ls -R "$dir/scans")"
	ls "$dir/documents" 2>/dev/null | grep -q incoming && fail "a half-written file in documents"
}
receive() { # receive NAME ID_NUMBER AT
	reception_json "$T/in.json" "$3" "$1" "$2" 1990-05-17 M
	MOTCUA_NOW=$3 "$MOTCUA" receive --json "$T/in.json" --db "$db" >"$T/rcv" 2>"$T/rcv.err" ||
		fail "receive: $(cat "$T/rcv.err")"
	sed -n 's/^{"code":"\([^"]*\)".*/\1/p' "$T/rcv"
}

demo_init
a=$(receive "Nguyễn Văn An" 001090012345 2025-10-24T09:32)
b=$(receive "Nguyễn Văn An" 001090012345 2025-10-27T09:40)
c=$(receive "Trần Thị Bình" 036090099999 2025-10-27T09:45)
expect_eq "codes" "$a $b $c" "H01.00004-251024-0001 H01.00004-251027-0001 H01.00004-251027-0002"

# A paper to attach: dossier A's receipt, as a PDF and as a PNG page.
"$MOTCUA" receipt "$a" --db "$db" --out "$T/paper.pdf" >/dev/null 2>&1 || fail "receipt"
pdftoppm -r 100 -png -singlefile "$T/paper.pdf" "$T/paper" || fail "pdftoppm"
head -c 3000 "$T/paper.png" >"$T/cut.png"

# ---- bad input: nothing written -------------------------------------------
expect_eq "nothing yet" "$(rows)" "0 0 0 0 0 0"
refused "Không có hồ sơ mã «H01.00004-251024-0099»" H01.00004-251024-0099 --component 5 "$T/paper.pdf"
refused "không có thành phần số 99" "$a" --component 99 "$T/paper.pdf"
refused "thiếu --component" "$a" "$T/paper.pdf"
refused "thiếu tệp giấy tờ" "$a" --component 5
refused "YYYY-MM-DD" "$a" --component 5 "$T/paper.pdf" --expires 2030-02-30
refused "bị hỏng hoặc không đầy đủ; chưa ghi gì" "$a" --component 5 "$T/cut.png"
refused "không có tệp" "$a" --component 5 "$T/nothing.png"
refused "Không có giấy tờ mã «nope»" "$a" --component 5 --reuse nope

# ---- attach with OCR ------------------------------------------------------
attach "$a" --component 5 "$T/paper.pdf" --kind giay-tiep-nhan --number 0001 \
	--issuer "UBND phường Ba Đình" --issued 2025-10-24 --expires 2030-10-24
expect_grep "$T/out" "\"code\":\"$a\",\"component\":5,\"document_id\":\""
expect_grep "$T/out" '"pages":1,'
expect_grep "$T/out" '"reused":false,"ocr_state":"done"}'
doc=$(sed -n 's/.*"document_id":"\([^"]*\)".*/\1/p' "$T/out")
sha=$(sed -n 's/.*"sha256":"\([^"]*\)".*/\1/p' "$T/out")
expect_eq "file by its sha256" "$(sha256sum "$dir/documents/$sha.pdf" | cut -c1-64)" "$sha"
expect_eq "rows after attach" "$(rows)" "1 1 1 1 1 0"
expect_eq "document row" "$(q "SELECT owner_id_number, kind, number, issuer, issued_on, expires_on,
	pages, bytes = $(stat -c %s "$dir/documents/$sha.pdf"), created_by IS NOT NULL FROM documents")" \
	"001090012345|giay-tiep-nhan|0001|UBND phường Ba Đình|2025-10-24|2030-10-24|1|1|1"
expect_eq "component" "$(q "SELECT c.document_id, c.reused FROM dossier_components c
	JOIN dossiers d ON d.id = c.dossier_id WHERE d.code = '$a' AND c.seq = 5")" "$doc|0"
expect_eq "event" "$(q "SELECT json_extract(payload, '\$.component') || json_extract(payload, '\$.document_id')
	FROM events WHERE kind = 'attach'")" "5$doc"
expect_eq "outbox" "$(q "SELECT op || json_extract(payload, '\$.document.sha256') FROM outbox WHERE op = 'attach'")" "attach$sha"
q "SELECT ocr_fold FROM documents" | grep -q "giay tiep nhan ho so" || fail "ocr_fold: $(q "SELECT ocr_fold FROM documents")"
[ -z "$(ls -A "$dir/scans" 2>/dev/null)" ] || fail "pages left in scans"

# The search finds dossier A by the paper's words, without diacritics (no
# applicant is called so), and not B or C.
expect_status 0 "$MOTCUA" search --db "$db" giay tiep nhan
expect_eq "search by OCR" "$(sed -n 's/^{"code":"\([^"]*\)".*/\1/p' "$T/out")" "$a"
expect_status 0 "$MOTCUA" search --db "$db" "hẹn trả kết quả"
expect_eq "search by OCR with diacritics" "$(sed -n 's/^{"code":"\([^"]*\)".*/\1/p' "$T/out")" "$a"
expect_status 0 "$MOTCUA" search --db "$db" giay tiep nhan --status 4
expect_eq "status filter" "$(cat "$T/out")" ""

# ---- the same paper again (a PNG of it here is another file) --------------
attach "$b" --component 7 "$T/paper.pdf" --no-ocr
expect_grep "$T/out" '"reused":false,"ocr_state":"pending"}'
expect_eq "same file stored once" "$(rows)" "2 1 2 2 2 0"

# ---- reuse ----------------------------------------------------------------
before=$(ls -l --time-style=full-iso "$dir/documents")
attach "$b" --component 5 --reuse "$doc"
expect_eq "reuse output" "$(cat "$T/out")" \
	"{\"code\":\"$b\",\"component\":5,\"document_id\":\"$doc\",\"sha256\":\"$sha\",\"reused\":true}"
expect_eq "reuse: no new file, no new document" "$(rows)" "2 1 3 3 3 1"
expect_eq "documents folder unchanged" "$(ls -l --time-style=full-iso "$dir/documents")" "$before"
expect_eq "component reused" "$(q "SELECT c.document_id, c.reused FROM dossier_components c
	JOIN dossiers d ON d.id = c.dossier_id WHERE d.code = '$b' AND c.seq = 5")" "$doc|1"
refused "không phải của người nộp hồ sơ $c" "$c" --component 5 --reuse "$doc"
refused "chọn một trong hai" "$b" --component 11 --reuse "$doc" "$T/paper.pdf"

# An expired paper cannot be reused.
attach "$a" --component 11 "$T/paper.png" --no-ocr --expires 2025-10-26
old=$(sed -n 's/.*"document_id":"\([^"]*\)".*/\1/p' "$T/out")
expect_eq "png attached" "$(rows)" "3 2 4 4 4 1"
refused "đã hết hạn ngày 2025-10-26" "$b" --component 11 --reuse "$old"
# ... but one expiring today can.
NOW=2025-10-26T16:00 attach "$b" --component 11 --reuse "$old"
expect_eq "reused on its last day" "$(rows)" "3 2 5 5 5 2"
