# SPDX-License-Identifier: GPL-3.0-or-later
# A paper signed as it is filed in an encrypted store (docs/reuse.md,
# docs/security.md): the stored file is sealed on the disk like every paper
# of such a store, recorded with its type and signer, and it is
# verified through the store when a later reception reuses it; one signed
# by a stranger's key is refused for its signature.
unset MOTCUA_NO_ENCRYPT
here="$(dirname "$MOTCUA")/../tests/cli"
[ -f "$here/sign_pki.sh" ] || here=tests/cli
. "$here/sign_pki.sh"

day=$(date +%F) now=$(date +%FT%H:%M)
dir="$T/store"
db="$dir/motcua.db"
export MOTCUA_PASSWORD="mật khẩu 1"
expect_status 0 "$MOTCUA" init --db "$db" --unit 00004
echo "$MOTCUA_PASSWORD" | "$MOTCUA" clerk add canbo --name "Trần Văn Bình" --unit 00004 \
	--db "$db" >"$T/out" 2>"$T/err" || fail "clerk add: $(cat "$T/err")"
[ "$(head -c 8 "$db")" = MCSTORE1 ] || fail "the store is not encrypted"
reception_json "$T/a.json" "$now" "Nguyễn Văn An" 001090012345 1990-05-17 M
expect_status 0 "$MOTCUA" receive --json "$T/a.json" --db "$db"
a=$(sed -n 's/^{"code":"\([^"]*\)".*/\1/p' "$T/out")
"$MOTCUA" receipt "$a" --db "$db" --out "$T/paper.pdf" >/dev/null 2>&1 || fail "receipt"

# the CCCD, signed with the clerk's .p12 as it is filed
MOTCUA_PIN="mật khẩu p12" expect_status 0 "$MOTCUA" attach "$a" --component 11 "$T/paper.pdf" \
	--no-ocr --type cccd --title "Thẻ căn cước công dân" --pkcs12 "$P12" --db "$db"
cccd=$(sed -n 's/.*"document_id":"\([^"]*\)".*/\1/p' "$T/out")
sha=$(sed -n 's/.*"sha256":"\([^"]*\)".*/\1/p' "$T/out")
[ -n "$cccd" ] && [ -n "$sha" ] || fail "attach: $(cat "$T/out" "$T/err")"
stored="$dir/documents/$sha.pdf"
[ "$(head -c 8 "$stored")" = MCSEAL01 ] || fail "the signed paper is not sealed"
[ -z "$(ls -A "$dir/documents" | grep '^\.')" ] || fail "a temporary file left: $(ls -A "$dir/documents")"
expect_status 0 "$MOTCUA" documents --applicant 001090012345 --db "$db"
expect_eq "type and signer" "$(jq -r '.[] | "\(.paper_type) \(.signer) \(.sha256)"' "$T/out")" \
	"cccd Nguyễn Văn An $sha"
# outside the store, with no key, the sealed file is not read
expect_status 1 env -u MOTCUA_PASSWORD "$MOTCUA" verify "$stored" --ca "$CA"
expect_grep "$T/err" "đã được mã hóa"

# a paper signed by a stranger's key, sealed too: refused for its signature
MOTCUA_PIN="khác" expect_status 0 "$MOTCUA" attach "$a" --component 11 "$T/paper.pdf" \
	--no-ocr --type cccd --title "CCCD" --pkcs12 "$ROGUE_P12" --db "$db"
rogue=$(sed -n 's/.*"document_id":"\([^"]*\)".*/\1/p' "$T/out")
rsha=$(sed -n 's/.*"sha256":"\([^"]*\)".*/\1/p' "$T/out")
[ "$(head -c 8 "$dir/documents/$rsha.pdf")" = MCSEAL01 ] || fail "the rogue paper is not sealed"
expect_status 2 "$MOTCUA" attach "$a" --component 11 --reuse "$rogue" --ca "$CA" --db "$db"
expect_grep "$T/err" "ký số: Người ký lạ"
expect_grep "$T/err" "không được tin cậy"

# a later reception reuses it: the store's key reads it, its signature holds
cat >"$T/b.json" <<JSON
{"procedure": "2.000908", "received_at": "$now",
 "applicant": {"full_name": "Nguyễn Văn An", "id_number": "001090012345",
   "birth_date": "1990-05-17", "sex": "M", "commune": "00004"},
 "components": [{"id": 1, "reuse": "$cccd"}]}
JSON
MOTCUA_CA="$CA" expect_status 0 "$MOTCUA" receive --json "$T/b.json" --db "$db"
b=$(sed -n 's/^{"code":"\([^"]*\)".*/\1/p' "$T/out")
expect_status 0 "$MOTCUA" attach "$b" --component 1 --reuse "$cccd" --ca "$CA" --db "$db"
expect_grep "$T/out" '"reused":true'

# results filed in the store, signed (dossier a) or not (dossier b): sealed
# too, listed under the hash of what was filed
"$MOTCUA" receipt "$a" --db "$db" --out "$T/result.pdf" >/dev/null 2>&1 || fail "result pdf"
rsha=$(sha256sum <"$T/result.pdf" | cut -c1-64)
expect_status 0 "$MOTCUA" act "$a" transfer --to 00004 --db "$db"
MOTCUA_PIN="mật khẩu p12" expect_status 0 "$MOTCUA" act "$a" result-ready \
	--result-code "Số 12/GKS" --file "$T/result.pdf" --type birth --pkcs12 "$P12" --db "$db"
expect_status 0 "$MOTCUA" act "$b" transfer --to 00004 --db "$db"
expect_status 0 "$MOTCUA" act "$b" result-ready --result-code "Số 13/GKS" \
	--file "$T/result.pdf" --db "$db"
n=0
for f in "$dir"/documents/*.pdf; do
	[ "$(head -c 8 "$f")" = MCSEAL01 ] || fail "not sealed: $f"
	n=$((n + 1))
done
expect_eq "papers filed: two CCCDs, the signed result, the plain one" "$n" 4
[ -f "$dir/documents/$rsha.pdf" ] || fail "the unsigned result is not filed by its hash: $(ls "$dir/documents")"
[ -z "$(ls -A "$dir/documents" | grep '^\.')" ] || fail "a temporary file left: $(ls -A "$dir/documents")"
:
