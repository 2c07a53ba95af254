# SPDX-License-Identifier: GPL-3.0-or-later
# motcua documents --applicant: a citizen's papers still valid today, with the
# dossiers that use each; expired papers and other people's are left out;
# bad input exits 2.
dir="$T/store"
db="$dir/motcua.db"
export MOTCUA_NOW=2025-10-27T10:00
demo_init
reception_json "$T/in.json" "2025-10-27T09:32" "Lê Thị Hồng Nhung" 036195012345 1995-03-08 F 00008
"$MOTCUA" receive --json "$T/in.json" --db "$db" >"$T/rcv" 2>"$T/rcv.err" || fail "receive: $(cat "$T/rcv.err")"
a=$(sed -n 's/^{"code":"\([^"]*\)".*/\1/p' "$T/rcv")
"$MOTCUA" receipt "$a" --db "$db" --out "$T/paper.pdf" >/dev/null 2>&1 || fail "receipt"

expect_status 0 "$MOTCUA" documents --db "$db" --applicant 036195012345
expect_eq "no papers yet" "$(cat "$T/out")" "[]"

expect_status 0 "$MOTCUA" attach "$a" --db "$db" --component 5 "$T/paper.pdf" --no-ocr --kind cccd \
	--number 036195012345 --issuer "Cục Cảnh sát QLHC về TTXH" --issued 2021-05-01 --expires 2035-03-08
id1=$(sed -n 's/.*"document_id":"\([^"]*\)".*/\1/p' "$T/out")
sha=$(sed -n 's/.*"sha256":"\([^"]*\)".*/\1/p' "$T/out")
expect_status 0 "$MOTCUA" attach "$a" --db "$db" --component 7 "$T/paper.pdf" --no-ocr --expires 2025-10-26
expect_status 0 "$MOTCUA" attach "$a" --db "$db" --component 11 --reuse "$id1"

expect_status 0 "$MOTCUA" documents --db "$db" --applicant=036195012345
expect_eq "valid papers" "$(cat "$T/out")" \
"[{\"id\":\"$id1\",\"kind\":\"cccd\",\"title\":null,\"number\":\"036195012345\",\"issuer\":\"Cục Cảnh sát QLHC về TTXH\",\"issued_on\":\"2021-05-01\",\"expires_on\":\"2035-03-08\",\"sha256\":\"$sha\",\"pages\":1,\"bytes\":$(stat -c %s "$dir/documents/$sha.pdf"),\"ocr_state\":\"pending\",\"dossiers\":[{\"code\":\"$a\",\"component\":5,\"reused\":false},{\"code\":\"$a\",\"component\":11,\"reused\":true}]}]"
expect_status 0 "$MOTCUA" documents --db "$db" --applicant 001090012345
expect_eq "another person" "$(cat "$T/out")" "[]"

expect_status 2 "$MOTCUA" documents --db "$db"
expect_grep "$T/err" "thiếu --applicant"
expect_status 2 "$MOTCUA" documents --db "$db" --applicant 12ab
expect_grep "$T/err" "số định danh gồm 9 đến 12 chữ số"
expect_status 2 "$MOTCUA" documents --db "$db" --applicant 036195012345 --bogus
expect_status 2 "$MOTCUA" documents --db "$T/none.db" --applicant 036195012345
[ -e "$T/none.db" ] && fail "documents created a store"
