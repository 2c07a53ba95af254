# SPDX-License-Identifier: GPL-3.0-or-later
# A test PKI for the signature tests (sourced by t_sign*.sh), made with the
# real tools: OpenSSL makes a CA, a clerk (RSA) and a unit (ECDSA P-256)
# certificate it issued, and another CA with a signer of its own; a .p12
# file holds the clerk's key; a SoftHSM2 token (a real PKCS#11
# implementation) holds the clerk's and the unit's keys with their
# certificates and the CA's, loaded with pkcs11-tool; an NSS database
# trusts the CA for pdfsig. Everything lives in $T/pki.
#
# Sets: PKI, CA, OTHER_CA, P12 (password "mật khẩu p12"), LEGACY_P12 (the
# same, RC2/3DES, password "cũ"), ROGUE_P12 (password "khác"), MODULE,
# TOKEN, PIN, NSSDB; SOFTHSM2_CONF is exported.
PKI="$T/pki"
mkdir -p "$PKI/tokens"
CA="$PKI/ca.pem" OTHER_CA="$PKI/other-ca.pem"
P12="$PKI/clerk.p12" ROGUE_P12="$PKI/rogue.p12"
TOKEN="Thẻ của An" PIN=246810 NSSDB="$PKI/nss"
MODULE=
for m in /usr/lib/softhsm/libsofthsm2.so /usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so \
	/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so; do
	[ -f "$m" ] && MODULE=$m && break
done
[ -n "$MODULE" ] || fail "no SoftHSM2 module (apt-get install softhsm2; see tools/deps.sh)"

pki() { "$@" >>"$PKI/log" 2>&1 || fail "pki: $* -- $(tail -3 "$PKI/log")"; }
printf 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n' >"$PKI/ca.ext"
printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\n' >"$PKI/leaf.ext"
# ca NAME SUBJECT: a self-signed CA, 10 years
ca() {
	pki openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 -utf8 \
		-keyout "$PKI/$1.key" -out "$PKI/$1.pem" -subj "$2" -addext basicConstraints=critical,CA:TRUE \
		-addext keyUsage=critical,keyCertSign,cRLSign
}
# leaf NAME CA KEYSPEC SUBJECT: a signing certificate issued by CA, 1 year
leaf() {
	pki openssl req -newkey "$3" -nodes -utf8 -keyout "$PKI/$1.key" -out "$PKI/$1.csr" -subj "$4"
	pki openssl x509 -req -in "$PKI/$1.csr" -CA "$PKI/$2.pem" -CAkey "$PKI/$2.key" -CAcreateserial \
		-days 365 -extfile "$PKI/leaf.ext" -out "$PKI/$1.pem"
	pki openssl pkcs8 -topk8 -nocrypt -in "$PKI/$1.key" -outform DER -out "$PKI/$1.key.der"
	pki openssl x509 -in "$PKI/$1.pem" -outform DER -out "$PKI/$1.der"
}
ca ca "/C=VN/O=Tổ chức chứng thực thử nghiệm/CN=CA thử nghiệm motcua"
ca other-ca "/C=VN/O=Một tổ chức khác/CN=CA không được tin cậy"
leaf clerk ca rsa:2048 "/C=VN/O=UBND Phường Ngọc Hà/CN=Nguyễn Văn An"
leaf unit ca "ec:$PKI/ca.pem" "/C=VN/O=UBND Phường Ngọc Hà/CN=UBND Phường Ngọc Hà"
leaf rogue other-ca "ec:$PKI/other-ca.pem" "/C=VN/CN=Người ký lạ"
pki openssl pkcs12 -export -inkey "$PKI/clerk.key" -in "$PKI/clerk.pem" -certfile "$CA" \
	-out "$P12" -passout "pass:mật khẩu p12"
pki openssl pkcs12 -export -inkey "$PKI/rogue.key" -in "$PKI/rogue.pem" -certfile "$OTHER_CA" \
	-out "$ROGUE_P12" -passout "pass:khác"
# the same key as older tools export it (RC2 and 3DES: OpenSSL's legacy provider)
LEGACY_P12="$PKI/legacy.p12"
pki openssl pkcs12 -export -legacy -inkey "$PKI/clerk.key" -in "$PKI/clerk.pem" -certfile "$CA" \
	-out "$LEGACY_P12" -passout "pass:cũ"
pki openssl x509 -in "$CA" -outform DER -out "$PKI/ca.der"

# The token: the clerk's RSA key (id 01), the unit's ECDSA key (id 02), the CA.
printf 'directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\n' \
	"$PKI/tokens" >"$PKI/softhsm2.conf"
export SOFTHSM2_CONF="$PKI/softhsm2.conf"
pki softhsm2-util --init-token --free --label "$TOKEN" --pin "$PIN" --so-pin 13579135
p11() { pki pkcs11-tool --module "$MODULE" --token-label "$TOKEN" --login --pin "$PIN" "$@"; }
p11 --write-object "$PKI/clerk.key.der" --type privkey --id 01 --label "An ký số"
p11 --write-object "$PKI/clerk.der" --type cert --id 01 --label "An ký số"
p11 --write-object "$PKI/unit.key.der" --type privkey --id 02 --label "Đơn vị"
p11 --write-object "$PKI/unit.der" --type cert --id 02 --label "Đơn vị"
p11 --write-object "$PKI/ca.der" --type cert --id 10 --label "CA"

# pdfsig trusts the CA for signatures (S/MIME trust: "C" in the second place).
mkdir -p "$NSSDB"
pki certutil -N -d "sql:$NSSDB" --empty-password
pki certutil -A -d "sql:$NSSDB" -n "CA thử nghiệm" -t "CT,C,C" -i "$CA"
# pdfsig_check FILE: its report in $T/pdfsig
# (not -no-ocsp: with it, poppler 22.12 reports "Unknown issue" for a good
# chain; the test certificates name no OCSP responder anyway)
pdfsig_check() { pdfsig -nssdir "sql:$NSSDB" "$1" >"$T/pdfsig" 2>&1; }
# jfield NAME FILE [N]: the Nth (1st) value of a field of our compact JSON
jfield() { grep -o "\"$1\":[^,}]*" "$2" | sed -n "${3:-1}p" | sed "s/^\"$1\"://; s/^\"//; s/\"\$//"; }
