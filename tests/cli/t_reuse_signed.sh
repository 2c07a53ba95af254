# SPDX-License-Identifier: GPL-3.0-or-later
# Papers recorded as reusable (docs/reuse.md): a CCCD digitized with
# `motcua attach --type cccd` and signed on a SoftHSM2 token as it is
# filed; the stored file verifies with poppler's pdfsig and motcua verify,
# and the store records its type and signer. A later reception of
# procedure 2.000908 reuses it for "Một trong các giấy tờ sau: Căn cước
# điện tử; ..." (no new file, no new document, counted in the reuse
# indicator); a birth certificate is never taken there; a paper signed by a
# certificate the configured CA did not issue, and one changed by one byte
# after it was signed, are refused with the reason; an expired one too.
here="$(dirname "$MOTCUA")/../tests/cli"
[ -f "$here/sign_pki.sh" ] || here=tests/cli
. "$here/sign_pki.sh"

# The certificates are made now, valid from now for a year: everything
# after init runs on the real clock (no MOTCUA_NOW), as a counter does.
day=$(date +%F) yesterday=$(date -d yesterday +%F) now=$(date +%FT%H:%M)
dir="$T/store"
db="$dir/motcua.db"
q() { sqlite3 "$db" "$1"; }
demo_init
# birth registration (1.001193): 5 birth certificate, 7 residence, 11 identity, 32 form
reception_json "$T/a.json" "NOW" "Nguyễn Văn An" 001090012345 1990-05-17 M
sed -i "s/NOW/$now/" "$T/a.json"
expect_status 0 "$MOTCUA" receive --json "$T/a.json" --db "$db"
a=$(sed -n 's/^{"code":"\([^"]*\)".*/\1/p' "$T/out")
"$MOTCUA" receipt "$a" --db "$db" --out "$T/paper.pdf" >/dev/null 2>&1 || fail "receipt"

# attach NAME COMPONENT [options]: the document id in $T/NAME.id
attach() {
	n=$1 c=$2; shift 2
	expect_status 0 "$MOTCUA" attach "$a" --component "$c" \
		"$T/paper.pdf" --no-ocr --db "$db" "$@"
	sed -n 's/.*"document_id":"\([^"]*\)".*/\1/p' "$T/out" >"$T/$n.id"
	sed -n 's/.*"sha256":"\([^"]*\)".*/\1/p' "$T/out" >"$T/$n.sha"
	[ -s "$T/$n.id" ] || fail "attach $n: $(cat "$T/out" "$T/err")"
}
# the CCCD, signed on the token (the PIN on standard input)
echo "$PIN" >"$T/pin"
attach cccd 11 --type cccd --kind cccd --title "Thẻ căn cước công dân" \
	--number 001090012345 --issued 2021-04-10 --expires 2030-05-17 \
	--pkcs11 "$MODULE" --token "$TOKEN" --key "An ký số" <"$T/pin"
cccd=$(cat "$T/cccd.id") sha=$(cat "$T/cccd.sha")
expect_eq "the paper recorded" "$(q "SELECT d.kind, p.paper_type, p.signer, length(p.signed_at) > 18,
	d.sha256 FROM documents d JOIN document_papers p ON p.document_id = d.id WHERE d.id = '$cccd'")" \
	"cccd|cccd|Nguyễn Văn An|1|$sha"
stored="$dir/documents/$sha.pdf"
expect_eq "the stored file is the signed one" "$(sha256sum <"$stored" | cut -c1-64)" "$sha"
pdfsig -nssdir "$NSSDB" "$stored" >"$T/pdfsig" 2>&1 || fail "pdfsig: $(cat "$T/pdfsig")"
expect_grep "$T/pdfsig" "Signature Validation: Signature is Valid."
expect_grep "$T/pdfsig" "Signer Certificate Common Name: Nguyễn Văn An"
expect_status 0 "$MOTCUA" verify "$stored" --ca "$CA"
# a birth certificate, typed, unsigned; a CCCD signed by a stranger's key;
# a copy to spoil later; an expired passport
attach birth 5 --type birth --title "Giấy khai sinh"
echo "khác" >"$T/rogue.pin"
attach rogue 11 --type cccd --title "CCCD" --pkcs12 "$ROGUE_P12" <"$T/rogue.pin"
attach old 11 --type passport --title "Hộ chiếu" --expires "$yesterday"
expect_eq "list: types and signer" "$("$MOTCUA" documents \
	--applicant 001090012345 --db "$db" 2>&1 | jq -r '.[] | "\(.paper_type) \(.signer)"' | LC_ALL=C sort | tr '\n' ,)" \
	"birth null,cccd Nguyễn Văn An,cccd Người ký lạ,"

# ---- bad input -------------------------------------------------------------
expect_status 2 "$MOTCUA" attach "$a" --component 11 "$T/paper.pdf" --type hochieu --db "$db"
expect_grep "$T/err" "loại giấy tờ «hochieu» không có"
echo "sai" >"$T/bad.pin"
expect_status 2 "$MOTCUA" attach "$a" --component 11 "$T/paper.pdf" --no-ocr \
	--pkcs11 "$MODULE" --token "$TOKEN" --key "An ký số" --db "$db" <"$T/bad.pin"
expect_eq "nothing written after refusals" "$(q "SELECT count(*) FROM documents")" 4

# ---- a later reception of 2.000908 that reuses the CCCD ---------------------
input() { # input REUSE_ID
	cat >"$T/b.json" <<JSON
{"procedure": "2.000908", "received_at": "$now",
 "applicant": {"full_name": "Nguyễn Văn An", "id_number": "001090012345",
   "birth_date": "1990-05-17", "sex": "M", "commune": "00004"},
 "components": [{"id": 1, "reuse": "$1"}]}
JSON
}
count() { echo "$(q "SELECT count(*) FROM dossiers") $(q "SELECT count(*) FROM documents") $(ls "$dir/documents" | wc -l)"; }
before=$(count)
export MOTCUA_CA="$CA"
refused() { # refused ID MESSAGE
	input "$1"
	expect_status 2 "$MOTCUA" receive --json "$T/b.json" --db "$db"
	expect_grep "$T/err" "$2"
	expect_eq "nothing written after $1" "$(count)" "$before"
}
refused "$(cat "$T/birth.id")" "là Giấy khai sinh: không phải loại giấy tờ thành phần số 1"
refused "$(cat "$T/rogue.id")" "không được tin cậy"
refused "$(cat "$T/old.id")" "đã hết hạn ngày $yesterday"
input "$cccd"
expect_status 0 "$MOTCUA" receive --json "$T/b.json" --db "$db"
b=$(sed -n 's/^{"code":"\([^"]*\)".*/\1/p' "$T/out")
set -- $before
expect_eq "one dossier more, no document, no file" "$(count)" "$(($1 + 1)) $2 $3"
expect_eq "the component points at the CCCD" "$(q "SELECT c.document_id, c.reused FROM dossier_components c
	JOIN dossiers d ON d.id = c.dossier_id WHERE d.code = '$b' AND c.seq = 1")" "$cccd|1"
"$MOTCUA" indicators --from "$day" --to "$day" --db "$db" >"$T/ind" ||
	fail "indicators"
expect_eq "reuse counted" "$(jq -c '.indicators[] | select(.id == "reused") | [.numerator, .denominator]' "$T/ind")" "[1,2]"
# attach --reuse checks the same: the birth certificate never fits
# component 1; the CCCD does
expect_status 2 "$MOTCUA" attach "$b" --component 1 --reuse "$(cat "$T/birth.id")" --db "$db"
expect_grep "$T/err" "không phải loại giấy tờ thành phần số 1"
expect_status 2 "$MOTCUA" attach "$b" --component 1 --reuse "$(cat "$T/rogue.id")" --ca "$CA" --db "$db"
expect_grep "$T/err" "ký số: Người ký lạ"
expect_grep "$T/err" "không được tin cậy"

# ---- one byte changed in the stored CCCD: refused, and pdfsig agrees --------
off=$(grep -abo 'Thẻ căn cước\|/Producer' "$stored" | head -1 | cut -d: -f1)
[ -n "$off" ] || off=200
printf 'X' | dd of="$stored" bs=1 seek="$off" conv=notrunc 2>/dev/null
pdfsig -nssdir "$NSSDB" "$stored" >"$T/pdfsig" 2>&1
expect_grep "$T/pdfsig" "Signature is Invalid\|Digest Mismatch"
expect_status 1 "$MOTCUA" verify "$stored" --ca "$CA"
before=$(count)
refused "$cccd" "không còn nguyên vẹn: tệp đã bị sửa sau khi ký"

# ---- the result: signed by the unit's key, filed, reused at a later reception ----
# every paper of dossier a digitized, so that its result counts as digitized
attach form 32 --title "Tờ khai đăng ký khai sinh"
attach home 7 --type residence --title "Xác nhận thông tin về cư trú"
expect_status 0 "$MOTCUA" act "$a" transfer --to 00004 --db "$db"
"$MOTCUA" receipt "$a" --db "$db" --out "$T/result.pdf" >/dev/null 2>&1 || fail "result pdf"
files=$(ls "$dir/documents" | wc -l)
# bad input first: nothing filed, status unchanged
expect_status 2 "$MOTCUA" act "$a" result-ready --result-code "Số 12/GKS" --type birth --db "$db"
expect_grep "$T/err" "đi cùng tệp kết quả (--file)"
expect_status 2 "$MOTCUA" act "$a" result-ready --result-code "Số 12/GKS" --file "$T/result.pdf" \
	--type khaisinh --db "$db"
expect_grep "$T/err" "Loại giấy tờ «khaisinh» không có"
expect_status 2 "$MOTCUA" act "$a" result-ready --result-code "Số 12/GKS" --file "$T/result.pdf" \
	--pkcs11 "$MODULE" --token "$TOKEN" --key "Đơn vị" --db "$db" <"$T/bad.pin"
expect_eq "nothing filed after refusals" "$(ls "$dir/documents" | wc -l) $(q "SELECT status FROM dossiers
	WHERE code = '$a'") $(q "SELECT count(*) FROM documents WHERE is_result = 1")" "$files 4 0"
expect_status 0 "$MOTCUA" act "$a" result-ready --result-code "Số 12/GKS" --file "$T/result.pdf" \
	--type birth --pkcs11 "$MODULE" --token "$TOKEN" --key "Đơn vị" --db "$db" <"$T/pin"
res=$(q "SELECT result_document_id FROM dossiers WHERE code = '$a'")
[ -n "$res" ] || fail "no result document"
expect_eq "the result recorded" "$(q "SELECT d.is_result, d.kind, d.number, d.owner_id_number,
	p.paper_type, p.signer FROM documents d JOIN document_papers p ON p.document_id = d.id
	WHERE d.id = '$res'")" "1|result|Số 12/GKS|001090012345|birth|UBND Phường Ngọc Hà"
rsha=$(q "SELECT sha256 FROM documents WHERE id = '$res'")
rfile="$dir/documents/$rsha.pdf"
expect_eq "the event names the filed file" "$(q "SELECT json_extract(payload, '\$.file.sha256')
	FROM events e JOIN dossiers d ON d.id = e.dossier_id WHERE e.kind = 'result-ready'
	AND d.code = '$a'")" "$rsha"
pdfsig -nssdir "$NSSDB" "$rfile" >"$T/pdfsig" 2>&1 || fail "pdfsig result: $(cat "$T/pdfsig")"
expect_grep "$T/pdfsig" "Signature Validation: Signature is Valid."
expect_grep "$T/pdfsig" "Signer Certificate Common Name: UBND Phường Ngọc Hà"
expect_status 0 "$MOTCUA" verify "$rfile" --ca "$CA"
# the signed result still renders, with its stamp
pdftoppm -r 40 -png -l 1 "$rfile" "$T/result-page" 2>"$T/ppm.err" || fail "pdftoppm: $(cat "$T/ppm.err")"
[ -s "$T/result-page-1.png" ] || fail "no page rendered"
"$MOTCUA" indicators --from "$day" --to "$day" --db "$db" >"$T/ind" || fail "indicators"
expect_eq "digitized counted" "$(jq -c '.indicators[] | select(.id == "digitized") | [.numerator, .denominator]' "$T/ind")" "[1,1]"

# a later reception (border pass, 1.003133) reuses the result for "01 bản
# sao giấy khai sinh ...": no new file, no new document
cat >"$T/c.json" <<JSON
{"procedure": "1.003133", "received_at": "$(date +%FT%H:%M)",
 "applicant": {"full_name": "Nguyễn Văn An", "id_number": "001090012345",
   "birth_date": "1990-05-17", "sex": "M", "commune": "00004"},
 "components": [{"id": 1, "copies": 1}, {"id": 2, "originals": 1}, {"id": 4, "originals": 2},
   {"id": 5, "reuse": "$res"}]}
JSON
before=$(count)
expect_status 0 "$MOTCUA" receive --json "$T/c.json" --db "$db"
c=$(sed -n 's/^{"code":"\([^"]*\)".*/\1/p' "$T/out")
set -- $before
expect_eq "one dossier more, no document, no file" "$(count)" "$(($1 + 1)) $2 $3"
expect_eq "the component points at the result" "$(q "SELECT c.document_id, c.reused FROM
	dossier_components c JOIN dossiers d ON d.id = c.dossier_id WHERE d.code = '$c' AND c.seq = 5")" \
	"$res|1"
