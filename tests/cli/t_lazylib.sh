# SPDX-License-Identifier: GPL-3.0-or-later
# The heavy libraries are opened on first use (client/base/lazylib.h): the
# program is not linked with cairo, pango, poppler, SANE, libjpeg, libtiff,
# libqrencode, libcurl nor libcrypto; a command that needs none of them
# leaves them unmapped; one that prints a receipt maps cairo and pango at
# that moment and writes a real PDF.
needed=$(readelf -d "$MOTCUA" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
[ -n "$needed" ] || fail "readelf found no NEEDED entry in $MOTCUA"
for lib in cairo pango poppler sane jpeg tiff qrencode curl crypto ssl glib; do
	echo "$needed" | grep -q "lib$lib" && fail "motcua is linked with lib$lib"
done
dir="$T/store"
db="$dir/motcua.db"
MOTCUA_NOW=2025-09-15T10:00 "$MOTCUA" init --db "$db" --demo >/dev/null 2>"$T/init.err" ||
	fail "init: $(cat "$T/init.err")"
export MOTCUA_NOW=2025-10-27T10:00
# LD_DEBUG=files names every object the loader opens, dlopen's included.
LD_DEBUG=files "$MOTCUA" search "nguyen" --db "$db" >/dev/null 2>"$T/search.ld"
grep -q "libcairo\|libpango\|libsane\|libpoppler\|libcurl" "$T/search.ld" &&
	fail "a search mapped a heavy library: $(grep -o 'lib[a-z]*cairo[^ ]*\|libpango[^ ]*\|libsane[^ ]*' "$T/search.ld" | head -3)"
cat >"$T/in.json" <<'JSON'
{"procedure": "1.001193", "received_at": "2025-10-27T09:32",
 "applicant": {"full_name": "Lê Thị Hồng Nhung", "id_number": "036195012345",
   "birth_date": "1995-03-08", "sex": "F", "phone": "+84 983 111 222",
   "address": "Số 3 ngõ 6 phố Vĩnh Phúc", "commune": "00008"},
 "components": [{"id": 5, "originals": 1}, {"id": 7, "originals": 1},
   {"id": 11, "originals": 1}, {"id": 32, "originals": 1}]}
JSON
LD_DEBUG=files "$MOTCUA" receive --json "$T/in.json" --db "$db" >"$T/receive.out" 2>"$T/receive.ld" ||
	fail "receive: $(grep -v '^ *[0-9]*:' "$T/receive.ld" | head -3)"
grep -q "file=libcairo.so" "$T/receive.ld" || fail "printing a receipt did not open libcairo"
grep -q "file=libpangocairo" "$T/receive.ld" || fail "printing a receipt did not open libpangocairo"
receipt="$dir/receipts/H01.00004-251027-0001.pdf"
[ -s "$receipt" ] || fail "no receipt at $receipt"
pdftotext -layout "$receipt" "$T/receipt.txt" || fail "pdftotext"
expect_grep "$T/receipt.txt" "Ông/Bà: Lê Thị Hồng Nhung"
