# SPDX-License-Identifier: GPL-3.0-or-later
# Personal data at rest on the workstation (docs/security.md): the store, its
# -wal and -shm, its keys and its folders are their owner's only from the
# start (after init, receive, attach); a store made by init is encrypted at
# its first clerk and then opens only with a clerk's password (a wrong or
# missing one exits 2); a copy of the store, its keys and its folders holds
# none of the citizens' names (as typed, decomposed, without diacritics) or
# ID numbers, not even the OCR text of the paper that carries them, while a
# plain store shows them (the check sees what it looks for); the name
# search, the OCR search, the receipt and the paper still work; an older
# plain store is converted by `motcua encrypt` with nothing lost; the sync
# server must be https:// except on this machine; a killed reception's
# temporary receipt goes at the next one, a writer's stays.
unset MOTCUA_NO_ENCRYPT
export MOTCUA_NOW=2025-10-27T10:00
mode() { stat -c %a "$1"; }
expect_mode() { [ -e "$2" ] && expect_eq "mode of $2" "$(mode "$2")" "$1"; }

# Two citizens of distinctive names; the forms a disk search would try.
N1="Lò Thị Khánh Xuân"
N1_NFD=$(printf 'Lo\314\200 Thi\314\243 Kha\314\201nh Xua\314\202n')
N1_FOLD="lo thi khanh xuan"
ID1=040190012377
N2="Vừ Quỳnh Nguyệt Hằng"
N2_NFD=$(printf 'Vu\314\233\314\200 Quy\314\200nh Nguye\314\202\314\243t Ha\314\206\314\200ng')
N2_FOLD="vu quynh nguyet hang"
ID2=011185007788
PHONE=0987123456

# no_trace WHAT FILE...: none of the names, ID numbers or the phone in the
# files' raw bytes, nor in what `strings` makes of them (whole names and
# numbers: a word of four letters turns up by chance in megabytes of
# ciphertext)
no_trace() {
	what=$1; shift
	for f in "$@"; do
		[ -f "$f" ] || continue
		for s in "$N1" "$N1_NFD" "$N2" "$N2_NFD" "$ID1" "$ID2" "$PHONE" "Khánh" "Nguyệt"; do
			grep -a -q -F -- "$s" "$f" && fail "$what: «$s» in $f"
		done
		for s in "$N1_FOLD" "$N2_FOLD" "$ID1" "$ID2" "$PHONE" "khanh xuan" "nguyet hang"; do
			strings -a "$f" | grep -q -i -F -- "$s" && fail "$what: strings finds «$s» in $f"
		done
	done
	:
}
# m ARGS...: motcua with the password in $PW (none when empty)
m() { MOTCUA_PASSWORD="${PW:-}" "$MOTCUA" "$@"; }
receive() { # receive DB NAME ID BIRTH: the code in $T/code
	cat >"$T/in.json" <<JSON
{"procedure": "1.001193", "received_at": "2025-10-27T09:32",
 "applicant": {"full_name": "$2", "id_number": "$3", "birth_date": "$4", "sex": "F",
   "phone": "$PHONE", "address": "Số 7 ngõ Xuân Diệu", "commune": "00004"},
 "components": [{"id": 5, "originals": 1}, {"id": 7, "originals": 1}, {"id": 11, "originals": 1},
   {"id": 32, "originals": 1}]}
JSON
	m receive --json "$T/in.json" --db "$1" >"$T/rcv" 2>"$T/rcv.err" ||
		fail "receive $2: $(cat "$T/rcv.err")"
	sed -n 's/^{"code":"\([^"]*\)".*/\1/p' "$T/rcv" >"$T/code"
}

# ---- a new store: modes from the start, encrypted at its first clerk ---------
dir="$T/s/store"
db="$dir/motcua.db"
expect_status 0 "$MOTCUA" init --db "$db" --unit 00004
expect_grep "$T/out" '"encryption":"pending"'
expect_mode 700 "$dir"
expect_mode 600 "$db"
expect_mode 600 "$db.lock"
head -c 16 "$db" | grep -q "SQLite format 3" || fail "a store with no clerk is plain"
echo "mật khẩu 1" | "$MOTCUA" clerk add canbo --name "Trần Văn Bình" --unit 00004 --db "$db" \
	>"$T/out" 2>"$T/err" || fail "clerk add: $(cat "$T/err")"
[ "$(head -c 8 "$db")" = MCSTORE1 ] || fail "not encrypted at its first clerk: $(head -c 16 "$db" | od -c | head -1)"
expect_mode 600 "$db.keys"
expect_mode 600 "$db"
# the store opens only with a clerk's password
expect_status 2 "$MOTCUA" search Xuan --db "$db"
expect_grep "$T/err" "đã được mã hóa: cần tên đăng nhập và mật khẩu"
MOTCUA_PASSWORD=sai expect_status 2 "$MOTCUA" search Xuan --db "$db"
expect_grep "$T/err" "Sai tên đăng nhập hoặc mật khẩu"
MOTCUA_USER=ai MOTCUA_PASSWORD="mật khẩu 1" expect_status 2 "$MOTCUA" search Xuan --db "$db"
PW="mật khẩu 1"
expect_status 0 m search Xuan --db "$db"

# ---- receptions, a paper, its OCR ---------------------------------------------
receive "$db" "$N1" "$ID1" 1990-05-17; c1=$(cat "$T/code")
receive "$db" "$N2" "$ID2" 1985-01-09; c2=$(cat "$T/code")
expect_eq "codes" "$c1 $c2" "H01.00004-251027-0001 H01.00004-251027-0002"
expect_mode 700 "$dir/receipts"
expect_mode 600 "$dir/receipts/$c1.pdf"
# the receipt is sealed on the disk, and written out plain where asked
[ "$(head -c 8 "$dir/receipts/$c1.pdf")" = MCSEAL01 ] || fail "receipt not sealed"
expect_status 0 m receipt "$c1" --db "$db" --out "$T/paper1.pdf"
pdftotext "$T/paper1.pdf" "$T/paper1.txt" || fail "pdftotext"
expect_grep "$T/paper1.txt" "Ông/Bà: $N1"
expect_grep "$T/paper1.txt" "$ID1"
# the paper that carries the name and the ID number, attached with its OCR
expect_status 0 m attach "$c1" --component 5 "$T/paper1.pdf" --db "$db"
expect_grep "$T/out" '"ocr_state":"done"'
sha=$(sed -n 's/.*"sha256":"\([0-9a-f]*\)".*/\1/p' "$T/out")
expect_mode 700 "$dir/documents"
expect_mode 600 "$dir/documents/$sha.pdf"
[ "$(head -c 8 "$dir/documents/$sha.pdf")" = MCSEAL01 ] || fail "paper not sealed"
for f in "$db" "$db-wal" "$db-shm" "$db.keys"; do expect_mode 600 "$f"; done
# still found: by name without diacritics, by ID number, by the paper's words
expect_status 0 m search "khanh xuan" --db "$db"
expect_grep "$T/out" "\"code\":\"$c1\""
expect_status 0 m search "$ID2" --db "$db"
expect_grep "$T/out" "\"code\":\"$c2\""
expect_status 0 m search "giay tiep nhan ho so" --db "$db"
expect_grep "$T/out" "\"code\":\"$c1\""
expect_status 0 m documents --applicant "$ID1" --db "$db"
expect_grep "$T/out" "\"sha256\":\"$sha\""

# ---- the lost laptop: a copy of everything, searched byte by byte --------------
cp -a "$dir" "$T/copy"
n=$(find "$T/copy" -type f | wc -l)
[ "$n" -ge 5 ] || fail "only $n files copied: $(find "$T/copy" -type f)"
no_trace "encrypted store" $(find "$T/copy" -type f)
# the plain store of the same data shows them: the search works
PW=
pdir="$T/p/store"
pdb="$pdir/motcua.db"
MOTCUA_NO_ENCRYPT=1 "$MOTCUA" init --db "$pdb" --unit 00004 >/dev/null || fail "plain init"
echo x | MOTCUA_NO_ENCRYPT=1 "$MOTCUA" clerk add canbo --name "Trần Văn Bình" --unit 00004 \
	--db "$pdb" >/dev/null || fail "plain clerk"
receive "$pdb" "$N1" "$ID1" 1990-05-17
"$MOTCUA" attach "$c1" --component 5 "$T/paper1.pdf" --db "$pdb" >/dev/null 2>&1 || fail "plain attach"
grep -a -q -F "$N1" "$pdb" "$pdb-wal" 2>/dev/null || fail "the plain store does not show the name"
grep -a -q -F "$ID1" "$pdb" "$pdb-wal" 2>/dev/null || fail "the plain store does not show the ID"
strings -a "$pdb" | grep -q -F "$N1_FOLD" || fail "strings does not find the folded name in a plain store"
sqlite3 "$pdb" "SELECT ocr_text FROM documents" | grep -q "$ID1" || fail "OCR did not read the ID"
# the same paper, named by the hash of its plaintext in both stores
expect_eq "the paper's hash" "$(sha256sum "$pdir/documents/$sha.pdf" | cut -d' ' -f1)" "$sha"

# ---- an older plain store converted, nothing lost ----------------------------
expect_status 2 "$MOTCUA" encrypt --db "$pdb" --user canbo </dev/null
expect_grep "$T/err" "chưa nhập mật khẩu"
echo sai | expect_status 2 "$MOTCUA" encrypt --db "$pdb" --user canbo
expect_grep "$T/err" "Sai tên đăng nhập hoặc mật khẩu"
before=$(sqlite3 "$pdb" "SELECT count(*), group_concat(code) FROM dossiers; SELECT count(*) FROM documents;
	SELECT count(*) FROM outbox; SELECT count(*) FROM events")
echo x | expect_status 0 "$MOTCUA" encrypt --db "$pdb" --user canbo
expect_grep "$T/out" '"encrypted":true,"already":false,"users":\["canbo"\],"files_sealed":2'
no_trace "converted store" "$pdb" "$pdb-wal" "$pdb.keys" "$pdir/documents/$sha.pdf" \
	"$pdir/receipts/$c1.pdf"
# the rows, through the program: the same dossiers, papers and queue
MOTCUA_PASSWORD=x expect_status 0 "$MOTCUA" search "$ID1" --db "$pdb"
expect_grep "$T/out" "\"code\":\"$c1\""
MOTCUA_PASSWORD=x expect_status 0 "$MOTCUA" documents --applicant "$ID1" --db "$pdb"
expect_grep "$T/out" "\"sha256\":\"$sha\""
MOTCUA_PASSWORD=x expect_status 0 "$MOTCUA" encrypt --db "$pdb"
expect_grep "$T/out" '"already":true'
MOTCUA_PASSWORD=x expect_status 0 "$MOTCUA" receipt "$c1" --db "$pdb" --out "$T/again.pdf"
pdftotext "$T/again.pdf" - | grep -q "$N1" || fail "receipt after conversion"
# a clerk whose password changes: the new one opens the store, the old does not
echo "mới" | MOTCUA_PASSWORD=x expect_status 0 "$MOTCUA" clerk passwd canbo --db "$pdb"
MOTCUA_PASSWORD=x expect_status 2 "$MOTCUA" search "$ID1" --db "$pdb"
MOTCUA_PASSWORD="mới" expect_status 0 "$MOTCUA" search "$ID1" --db "$pdb"
# a second clerk opens it; disabled, no more
echo "hai" | MOTCUA_PASSWORD="mới" expect_status 0 "$MOTCUA" clerk add hai --name "Hai" \
	--unit 00004 --db "$pdb"
MOTCUA_USER=hai MOTCUA_PASSWORD=hai expect_status 0 "$MOTCUA" search "$ID1" --db "$pdb"
MOTCUA_USER=canbo MOTCUA_PASSWORD="mới" expect_status 0 "$MOTCUA" clerk disable hai --db "$pdb"
MOTCUA_USER=hai MOTCUA_PASSWORD=hai expect_status 2 "$MOTCUA" search "$ID1" --db "$pdb"

# ---- the sync server: https://, or http:// to this machine only ---------------
PW="mật khẩu 1"
for url in http://motcua.example.vn http://10.0.0.5:8080 "http://127.0.0.1@evil.example"; do
	echo x | expect_status 2 m login --server "$url" --username canbo --db "$db"
	expect_grep "$T/err" "không an toàn: cần https://"
done
for url in http://127.0.0.1:1 "http://[::1]:1" http://localhost:1; do
	echo x | expect_status 1 m login --server "$url" --username canbo --db "$db"
	expect_grep "$T/err" "không đăng nhập được"
done

# ---- a killed reception's temporary receipt --------------------------------------
: >"$dir/receipts/H01.00004-251027-0009.pdf.tmp"
: >"$dir/receipts/H01.00004-251027-0008.pdf.tmp"
# a writer at work on another: it holds the file's lock
flock -o "$dir/receipts/H01.00004-251027-0008.pdf.tmp" sh -c ": >'$T/held'; sleep 60" &
holder=$!
i=0
while [ ! -e "$T/held" ] && [ $i -lt 600 ]; do i=$((i+1)); sleep 0.05; done
[ -e "$T/held" ] || fail "flock did not start"
receive "$db" "Đinh Thị Ba" 001190012399 1990-02-02
[ -e "$dir/receipts/H01.00004-251027-0009.pdf.tmp" ] && fail "stale .pdf.tmp kept"
[ -e "$dir/receipts/H01.00004-251027-0008.pdf.tmp" ] || fail "a writer's .pdf.tmp removed"
kill "$holder" 2>/dev/null
wait "$holder" 2>/dev/null
