# SPDX-License-Identifier: GPL-3.0-or-later
# motcua sign / motcua verify with a key on a PKCS#11 token (SoftHSM2): a
# receipt made by `motcua receipt` and a paper scanned through SANE's test
# backend, signed (RSA with a visible stamp, ECDSA invisible), checked by
# poppler's pdfsig (valid, document unmodified, the CA trusted through an
# NSS database) and by motcua verify --ca; one byte changed inside the
# signed range makes both say invalid; a second signature keeps the first
# valid; the signed receipt still renders and its code still reads.
here="$(dirname "$MOTCUA")/../tests/cli"
[ -f "$here/sign_pki.sh" ] || here=tests/cli
. "$here/sign_pki.sh"

# ---- the papers: a receipt from a store, a scanned page ----
dir="$T/store"
db="$dir/motcua.db"
demo_init
cat >"$T/in.json" <<'JSON'
{"procedure": "1.001193", "received_at": "2025-10-27T09:32",
 "applicant": {"full_name": "Lê Thị Hồng Nhung", "id_number": "036195012345",
   "birth_date": "1995-03-08", "sex": "F", "phone": "+84 983 111 222",
   "address": "Số 3 ngõ 6 phố Vĩnh Phúc", "commune": "00008"},
 "components": [{"id": 5, "originals": 1}, {"id": 7, "originals": 1}, {"id": 11, "originals": 1},
   {"id": 32, "originals": 1}]}
JSON
MOTCUA_NOW=2025-10-27T10:00 expect_status 0 "$MOTCUA" receive --json "$T/in.json" --db "$db"
code=H01.00004-251027-0001
expect_status 0 "$MOTCUA" receipt "$code" --out "$T/receipt.pdf" --db "$db"

mkdir -p "$T/sane"
echo test >"$T/sane/dll.conf"
SANE_CONFIG_DIR="$T/sane" expect_status 0 "$MOTCUA" scan --device test:0 --dpi 75 --mode gray \
	--out "$T/paper.pdf"

# ---- the clerk signs the receipt on the token, with a stamp ----
sign_token() { # sign_token IN OUT KEY [options]: the PIN on standard input
	in=$1 out=$2 key=$3; shift 3
	echo "$PIN" | expect_status 0 "$MOTCUA" sign "$in" --out "$out" --pkcs11 "$MODULE" \
		--token "$TOKEN" --key "$key" "$@"
}
sign_token "$T/receipt.pdf" "$T/receipt.signed.pdf" "An ký số" --stamp --reason "Tiếp nhận hồ sơ $code"
expect_grep "$T/out" '"field":"Signature1"'
expect_grep "$T/out" '"signer":"Nguyễn Văn An"'
expect_eq "bytes" "$(jfield bytes "$T/out")" "$(stat -c %s "$T/receipt.signed.pdf")"
expect_eq "sha256" "$(jfield sha256 "$T/out")" "$(sha256sum "$T/receipt.signed.pdf" | cut -d' ' -f1)"
# the original bytes come first, untouched: an incremental update
size=$(stat -c %s "$T/receipt.pdf")
cmp -s -n "$size" "$T/receipt.pdf" "$T/receipt.signed.pdf" || fail "the original bytes changed"

# the CMS, as openssl reads it: the clerk's certificate and the CA's the
# token holds; content-type, message-digest and signing-certificate-v2
# signed, no signing-time (PAdES puts the time in /M)
sed -n 's|^/Contents <\([0-9a-f]*\)>$|\1|p' "$T/receipt.signed.pdf" | tr a-f A-F | basenc --base16 -d >"$T/cms.der"
openssl cms -cmsout -print -inform DER -in "$T/cms.der" >"$T/cms.txt" 2>&1 || fail "openssl cms: $(head -3 "$T/cms.txt")"
expect_eq "certificates in the CMS" "$(grep -c 'cert_info:' "$T/cms.txt")" 2
expect_grep "$T/cms.txt" "object: contentType"
expect_grep "$T/cms.txt" "object: messageDigest"
expect_grep "$T/cms.txt" "object: id-smime-aa-signingCertificateV2"
expect_grep "$T/cms.txt" "algorithm: sha256"
grep -q "signingTime" "$T/cms.txt" && fail "a signing-time attribute in a PAdES signature"

pdfsig_check "$T/receipt.signed.pdf"
expect_grep "$T/pdfsig" "Signature Field Name: Signature1"
expect_grep "$T/pdfsig" "Signer Certificate Common Name: Nguyễn Văn An"
expect_grep "$T/pdfsig" "Signature Type: ETSI.CAdES.detached"
expect_grep "$T/pdfsig" "Signing Hash Algorithm: SHA-256"
expect_grep "$T/pdfsig" "Total document signed"
expect_grep "$T/pdfsig" "Signature Validation: Signature is Valid."
expect_grep "$T/pdfsig" "Certificate Validation: Certificate is Trusted."

expect_status 0 "$MOTCUA" verify "$T/receipt.signed.pdf" --ca "$CA"
expect_grep "$T/out" '"valid":true'
expect_grep "$T/out" '"signer":"Nguyễn Văn An","signed_at":"20[0-9-]*T[0-9:]*+07:00","intact":true,"covers_whole_file":true,"later_changes":"none","trusted":true,"subfilter":"ETSI.CAdES.detached","digest":"SHA256"'
expect_grep "$T/out" "\"reason\":\"Tiếp nhận hồ sơ $code\""
expect_eq "signatures" "$(grep -o '"intact"' "$T/out" | wc -l)" 1
# MOTCUA_CA stands for --ca
MOTCUA_CA="$CA" expect_status 0 "$MOTCUA" verify "$T/receipt.signed.pdf"

# the signed receipt renders, reads the same, and its barcode still decodes
pdftotext -layout "$T/receipt.pdf" "$T/a.txt" && pdftotext -layout "$T/receipt.signed.pdf" "$T/b.txt" ||
	fail "pdftotext"
cmp -s "$T/a.txt" "$T/b.txt" || fail "signed text differs: $(diff "$T/a.txt" "$T/b.txt" | head -5)"
pdftoppm -r 150 -png "$T/receipt.signed.pdf" "$T/page" 2>"$T/render.err" || fail "pdftoppm: $(cat "$T/render.err")"
[ -s "$T/render.err" ] && fail "pdftoppm complains: $(cat "$T/render.err")"
zbarimg -q --raw "$T"/page-1.png >"$T/codes" 2>/dev/null
expect_grep "$T/codes" "^$code\$"
# the stamp is on the page, and only where the receipt was blank: every
# pixel that changed was white (255, octal 377) before
pdftoppm -r 36 -gray -f 1 -l 1 "$T/receipt.pdf" "$T/blank"
pdftoppm -r 36 -gray -f 1 -l 1 "$T/receipt.signed.pdf" "$T/stamped"
changed=$(cmp -l "$T/blank-1.pgm" "$T/stamped-1.pgm" | wc -l)
[ "$changed" -gt 200 ] || fail "no visible stamp ($changed pixels changed)"
expect_eq "receipt pixels under the stamp" \
	"$(cmp -l "$T/blank-1.pgm" "$T/stamped-1.pgm" | awk '$2 != 377' | wc -l)" 0
pdfinfo "$T/receipt.signed.pdf" >"$T/info" 2>&1 || fail "pdfinfo: $(cat "$T/info")"
expect_grep "$T/info" "^Pages: *1$"

# ---- the scanned paper, signed by the unit's ECDSA key, invisibly ----
sign_token "$T/paper.pdf" "$T/paper.signed.pdf" "Đơn vị" --reason "Số hóa từ bản chính"
expect_grep "$T/out" '"signer":"UBND Phường Ngọc Hà"'
pdfsig_check "$T/paper.signed.pdf"
expect_grep "$T/pdfsig" "Signature Validation: Signature is Valid."
expect_grep "$T/pdfsig" "Certificate Validation: Certificate is Trusted."
expect_status 0 "$MOTCUA" verify "$T/paper.signed.pdf" --ca "$CA"
expect_grep "$T/out" '"intact":true,"covers_whole_file":true,"later_changes":"none","trusted":true'
pdftoppm -r 20 -png "$T/paper.signed.pdf" "$T/paper" 2>"$T/render.err" || fail "paper: pdftoppm"
expect_eq "paper pages" "$(ls "$T"/paper-*.png | wc -l)" 1

# ---- one byte changed inside the signed range: both say invalid ----
# (the byte after "%PDF-1.5\n%", in the binary comment: the structure stays)
cp "$T/receipt.signed.pdf" "$T/tampered.pdf"
printf 'X' | dd of="$T/tampered.pdf" bs=1 seek=10 conv=notrunc 2>/dev/null
cmp -s "$T/tampered.pdf" "$T/receipt.signed.pdf" && fail "tampering did nothing"
pdfsig_check "$T/tampered.pdf"
expect_grep "$T/pdfsig" "Signature Validation: Digest Mismatch."
grep -q "Signature is Valid" "$T/pdfsig" && fail "pdfsig still says valid"
expect_status 1 "$MOTCUA" verify "$T/tampered.pdf" --ca "$CA"
expect_grep "$T/out" '"valid":false'
expect_grep "$T/out" '"intact":false'
expect_grep "$T/out" 'nội dung đã bị sửa sau khi ký'
# ... and a byte of the update itself (the stamp's image, in the second range)
img=$(grep -boa '/Subtype /Image' "$T/receipt.signed.pdf" | tail -1 | cut -d: -f1)
at=$(grep -boa 'stream' "$T/receipt.signed.pdf" | awk -F: -v i="$img" '$1 > i { print $1 + 200; exit }')
cp "$T/receipt.signed.pdf" "$T/tampered2.pdf"
printf '\001' | dd of="$T/tampered2.pdf" bs=1 seek="$at" conv=notrunc 2>/dev/null
cmp -s "$T/tampered2.pdf" "$T/receipt.signed.pdf" && fail "tampering (update) did nothing"
pdfsig_check "$T/tampered2.pdf"
expect_grep "$T/pdfsig" "Signature Validation: Digest Mismatch."
expect_status 1 "$MOTCUA" verify "$T/tampered2.pdf" --ca "$CA"
expect_grep "$T/out" '"intact":false'

# ---- a second signature (the unit's) keeps the clerk's valid ----
sign_token "$T/receipt.signed.pdf" "$T/twice.pdf" "Đơn vị" --stamp --rect 40,40,240,96
expect_grep "$T/out" '"field":"Signature2"'
size=$(stat -c %s "$T/receipt.signed.pdf")
cmp -s -n "$size" "$T/receipt.signed.pdf" "$T/twice.pdf" || fail "the first signed revision changed"
pdfsig_check "$T/twice.pdf"
expect_eq "pdfsig: valid signatures" "$(grep -c 'Signature Validation: Signature is Valid.' "$T/pdfsig")" 2
expect_eq "pdfsig: trusted" "$(grep -c 'Certificate Validation: Certificate is Trusted.' "$T/pdfsig")" 2
expect_eq "pdfsig: whole document" "$(grep -c 'Total document signed' "$T/pdfsig")" 1
expect_status 0 "$MOTCUA" verify "$T/twice.pdf" --ca "$CA"
expect_grep "$T/out" '"valid":true'
expect_grep "$T/out" '"field":"Signature1","signer":"Nguyễn Văn An","signed_at":"[^"]*","intact":true,"covers_whole_file":false,"later_changes":"signatures","trusted":true'
expect_grep "$T/out" '"field":"Signature2","signer":"UBND Phường Ngọc Hà","signed_at":"[^"]*","intact":true,"covers_whole_file":true,"later_changes":"none","trusted":true'
pdftoppm -r 150 -png "$T/twice.pdf" "$T/twice" 2>/dev/null || fail "twice: pdftoppm"
zbarimg -q --raw "$T"/twice-1.png >"$T/codes" 2>/dev/null
expect_grep "$T/codes" "^$code\$"
# a change after both that is not a signature: an incremental update that
# gives the page other content
end=$(stat -c %s "$T/twice.pdf")
prev=$(tail -c 40 "$T/twice.pdf" | grep -a -A1 startxref | tail -1)
root=$(grep -ao '/Root [0-9]* [0-9]* R' "$T/twice.pdf" | tail -1)
pageobj=$(grep -ao '/P [0-9]* 0 R' "$T/twice.pdf" | head -1 | cut -d' ' -f2)
printf '%s 0 obj\n<< /Type /Page /MediaBox [0 0 100 100] >>\nendobj\n' "$pageobj" >"$T/newpage"
cat "$T/twice.pdf" "$T/newpage" >"$T/changed.pdf"
printf 'xref\n%s 1\n%010d 00000 n\r\ntrailer\n<< /Size 999 %s /Prev %s >>\nstartxref\n%s\n%%%%EOF\n' \
	"$pageobj" "$end" "$root" "$prev" "$((end + $(wc -c <"$T/newpage")))" >>"$T/changed.pdf"
expect_status 1 "$MOTCUA" verify "$T/changed.pdf" --ca "$CA"
expect_grep "$T/out" '"valid":false'
expect_grep "$T/out" '"later_changes":"other"'
expect_grep "$T/out" "tệp bị sửa sau khi ký: đối tượng $pageobj"
