# SPDX-License-Identifier: GPL-3.0-or-later
# motcua sign with a .p12 file and the ways signing and checking are
# refused: a signer whose CA is not the one configured (untrusted, exit 1,
# while the signature itself is intact), a certificate expired by the time
# of checking, a wrong password or PIN, a token or key that is not there,
# a file that is not a PDF or not there (exit 2, nothing written), a file
# with no signature (exit 1), a place that cannot be written (exit 1).
here="$(dirname "$MOTCUA")/../tests/cli"
[ -f "$here/sign_pki.sh" ] || here=tests/cli
. "$here/sign_pki.sh"

mkdir -p "$T/sane"
echo test >"$T/sane/dll.conf"
SANE_CONFIG_DIR="$T/sane" expect_status 0 "$MOTCUA" scan --device test:0 --dpi 75 --mode lineart \
	--out "$T/paper.pdf"

# ---- a .p12 file: the password from MOTCUA_PIN or standard input ----
MOTCUA_PIN="mật khẩu p12" expect_status 0 "$MOTCUA" sign "$T/paper.pdf" --out "$T/p12.pdf" \
	--pkcs12 "$P12" --location "Phường Ngọc Hà"
expect_grep "$T/out" '"signer":"Nguyễn Văn An"'
expect_status 0 "$MOTCUA" verify "$T/p12.pdf" --ca "$CA"
expect_grep "$T/out" '"intact":true,"covers_whole_file":true,"later_changes":"none","trusted":true'
expect_grep "$T/out" '"location":"Phường Ngọc Hà"'
pdfsig_check "$T/p12.pdf"
expect_grep "$T/pdfsig" "Signature Validation: Signature is Valid."
expect_grep "$T/pdfsig" "Certificate Validation: Certificate is Trusted."
echo "mật khẩu p12" | expect_status 0 "$MOTCUA" sign "$T/paper.pdf" --out "$T/p12b.pdf" --pkcs12 "$P12"
expect_status 0 "$MOTCUA" verify "$T/p12b.pdf" --ca "$CA"
# a .p12 as older tools export it (RC2, 3DES)
MOTCUA_PIN="cũ" expect_status 0 "$MOTCUA" sign "$T/paper.pdf" --out "$T/legacy.pdf" --pkcs12 "$LEGACY_P12"
expect_status 0 "$MOTCUA" verify "$T/legacy.pdf" --ca "$CA"

# ---- a signer from another CA: intact, untrusted ----
MOTCUA_PIN="khác" expect_status 0 "$MOTCUA" sign "$T/paper.pdf" --out "$T/rogue.pdf" --pkcs12 "$ROGUE_P12"
expect_status 1 "$MOTCUA" verify "$T/rogue.pdf" --ca "$CA"
expect_grep "$T/out" '"valid":false'
expect_grep "$T/out" '"signer":"Người ký lạ","signed_at":"[^"]*","intact":true,"covers_whole_file":true,"later_changes":"none","trusted":false'
expect_grep "$T/out" '"problem":"chứng thư số không do tổ chức chứng thực tin cậy cấp"'
pdfsig_check "$T/rogue.pdf"
expect_grep "$T/pdfsig" "Signature Validation: Signature is Valid."
expect_grep "$T/pdfsig" "Certificate Validation: Certificate issuer isn't Trusted."
# trusted when its own CA is the one configured
expect_status 0 "$MOTCUA" verify "$T/rogue.pdf" --ca "$OTHER_CA"
# no CA configured at all: nothing is trusted
expect_status 1 "$MOTCUA" verify "$T/p12.pdf"
expect_grep "$T/out" '"trusted":false'
expect_grep "$T/out" 'chưa có chứng thư gốc tin cậy'

# ---- time: the clerk's certificate (one year) has expired by 2040 ----
MOTCUA_NOW=2040-01-01T09:00 expect_status 1 "$MOTCUA" verify "$T/p12.pdf" --ca "$CA"
expect_grep "$T/out" '"intact":true'
expect_grep "$T/out" '"trusted":false'
expect_grep "$T/out" '"problem":"chứng thư số đã hết hạn"'
MOTCUA_NOW=2040-01-01T09:00 MOTCUA_PIN="mật khẩu p12" expect_status 2 "$MOTCUA" sign "$T/paper.pdf" \
	--out "$T/late.pdf" --pkcs12 "$P12"
expect_grep "$T/err" "chứng thư số đã hết hạn ngày"
[ -e "$T/late.pdf" ] && fail "signed with an expired certificate"

# ---- refusals: exit 2, nothing written ----
refused() { # refused MESSAGE ARGS...: sign refused with MESSAGE
	msg=$1; shift
	expect_status 2 "$MOTCUA" sign "$@"
	expect_grep "$T/err" "$msg"
	[ -s "$T/out" ] && fail "refused $*: stdout $(cat "$T/out")"
	[ -e "$T/no.pdf" ] && fail "refused $*: wrote a file"
	rm -f "$T/no.pdf"
	ls "$T"/*.tmp 2>/dev/null && fail "refused $*: a temporary file is left"
}
MOTCUA_PIN=sai refused "mật khẩu của tệp khóa .* không đúng" "$T/paper.pdf" --out "$T/no.pdf" --pkcs12 "$P12"
refused "thiếu mật khẩu" "$T/paper.pdf" --out "$T/no.pdf" --pkcs12 "$P12" </dev/null
MOTCUA_PIN=x refused "không phải tệp PKCS#12" "$T/paper.pdf" --out "$T/no.pdf" --pkcs12 "$CA"
MOTCUA_PIN=x refused "không mở được tệp khóa" "$T/paper.pdf" --out "$T/no.pdf" --pkcs12 "$T/none.p12"
MOTCUA_PIN=000000 refused "mã PIN của thẻ ký số không đúng" "$T/paper.pdf" --out "$T/no.pdf" \
	--pkcs11 "$MODULE" --token "$TOKEN" --key "An ký số"
MOTCUA_PIN=$PIN refused "không có thẻ ký số tên «Thẻ khác»; các thẻ đang cắm: «$TOKEN»" "$T/paper.pdf" \
	--out "$T/no.pdf" --pkcs11 "$MODULE" --token "Thẻ khác"
MOTCUA_PIN=$PIN refused "thẻ ký số không có khóa «Không có»; các khóa trên thẻ: «" \
	"$T/paper.pdf" --out "$T/no.pdf" --pkcs11 "$MODULE" --token "$TOKEN" --key "Không có"
expect_grep "$T/err" "«An ký số»"
expect_grep "$T/err" "«Đơn vị»"
MOTCUA_PIN=$PIN refused "thẻ ký số có nhiều khóa" "$T/paper.pdf" --out "$T/no.pdf" --pkcs11 "$MODULE"
MOTCUA_PIN=$PIN refused "không nạp được mô-đun PKCS#11" "$T/paper.pdf" --out "$T/no.pdf" \
	--pkcs11 "$T/none.so"
MOTCUA_PIN=$PIN refused "không phải mô-đun PKCS#11" "$T/paper.pdf" --out "$T/no.pdf" \
	--pkcs11 "$(ldconfig -p | grep -o '/[^ ]*libz\.so\.1$' | head -1)"
# the input is looked at before any PIN is asked
refused "không phải tệp PDF" "$CA" --out "$T/no.pdf" --pkcs12 "$P12" </dev/null
refused "không mở được tệp" "$T/none.pdf" --out "$T/no.pdf" --pkcs12 "$P12" </dev/null
# damaged: a PDF cut short loses its cross-reference table
head -c $(($(stat -c %s "$T/paper.pdf") / 2)) "$T/paper.pdf" >"$T/cut.pdf"
MOTCUA_PIN="mật khẩu p12" refused "startxref" "$T/cut.pdf" --out "$T/no.pdf" --pkcs12 "$P12"
refused "thiếu --out" "$T/paper.pdf" --pkcs12 "$P12"
refused "cần đúng một khóa" "$T/paper.pdf" --out "$T/no.pdf"
refused "cần đúng một khóa" "$T/paper.pdf" --out "$T/no.pdf" --pkcs12 "$P12" --pkcs11 "$MODULE"
refused "--token và --key chỉ dùng với --pkcs11" "$T/paper.pdf" --out "$T/no.pdf" --pkcs12 "$P12" --key k
refused "--page cần số trang" "$T/paper.pdf" --out "$T/no.pdf" --pkcs12 "$P12" --page 0
refused "--rect cần bốn số" "$T/paper.pdf" --out "$T/no.pdf" --pkcs12 "$P12" --rect 1,2,3
refused "chỉ ký một tệp" "$T/paper.pdf" "$T/p12.pdf" --out "$T/no.pdf" --pkcs12 "$P12"
refused "tùy chọn không hợp lệ cho sign" "$T/paper.pdf" --out "$T/no.pdf" --pkcs12 "$P12" --bogus
MOTCUA_PIN="mật khẩu p12" refused "có 1 trang, không có trang 3" "$T/paper.pdf" --out "$T/no.pdf" \
	--pkcs12 "$P12" --page 3

# ---- verify: bad input 2, no signature 1 ----
expect_status 2 "$MOTCUA" verify "$T/none.pdf"
expect_grep "$T/err" "không mở được tệp"
expect_status 2 "$MOTCUA" verify "$CA"
expect_grep "$T/err" "không phải tệp PDF"
expect_status 2 "$MOTCUA" verify "$T/cut.pdf"
expect_status 2 "$MOTCUA" verify "$T/p12.pdf" --ca "$T/paper.pdf"
expect_grep "$T/err" "không đọc được chứng thư gốc tin cậy"
expect_status 2 "$MOTCUA" verify
expect_grep "$T/err" "thiếu tệp PDF"
expect_status 1 "$MOTCUA" verify "$T/paper.pdf" --ca "$CA"
expect_eq "unsigned" "$(cat "$T/out")" "{\"file\":\"$T/paper.pdf\",\"valid\":false,\"signatures\":[]}"
expect_grep "$T/err" "không có chữ ký số"

# ---- a place that cannot be written: exit 1, the original kept ----
MOTCUA_PIN="mật khẩu p12" expect_status 1 "$MOTCUA" sign "$T/paper.pdf" --out "$T/no/such/dir/x.pdf" \
	--pkcs12 "$P12"
expect_grep "$T/err" "không ghi được tệp"
# signing in place replaces the file whole
cp "$T/paper.pdf" "$T/inplace.pdf"
MOTCUA_PIN="mật khẩu p12" expect_status 0 "$MOTCUA" sign "$T/inplace.pdf" --out "$T/inplace.pdf" \
	--pkcs12 "$P12"
expect_status 0 "$MOTCUA" verify "$T/inplace.pdf" --ca "$CA"
