# SPDX-License-Identifier: GPL-3.0-or-later
# motcua catalog: search with and without diacritics, by code, by field; show
# with components; fields; communes by current and old names; bad input.
db="$T/m.db"
"$MOTCUA" init --db "$db" >/dev/null 2>"$T/init.err" || fail "init: $(cat "$T/init.err")"
cat_() { "$MOTCUA" catalog "$@" --db "$db"; }

expect_status 0 "$MOTCUA" catalog search "dang ky khai sinh" --db "$db" --limit 3
head -n 1 "$T/out" > "$T/first"
expect_grep "$T/first" '^{"code":"1.001193","name":"Thủ tục đăng ký khai sinh",'
expect_eq "limit" "$(wc -l < "$T/out")" 3
expect_status 0 "$MOTCUA" catalog search "đăng ký khai sinh" --db "$db" --limit 1
expect_grep "$T/out" '"code":"1.001193"'
expect_grep "$T/out" '"field":"Hộ tịch"'
expect_grep "$T/out" '"fee":"Miễn phí"'
expect_grep "$T/out" '"time":"1 ngày làm việc"'
expect_status 0 "$MOTCUA" catalog search "ĐĂNG KÝ KHAI SINH" --db "$db" --limit 1
expect_grep "$T/out" '"code":"1.001193"'
# đ folds to d: "dang ky ket hon" finds "Thủ tục đăng ký kết hôn"
expect_status 0 "$MOTCUA" catalog search "dang ky ket hon" --db "$db"
expect_grep "$T/out" '"name":"Thủ tục đăng ký kết hôn"'
# every word must match
expect_status 0 "$MOTCUA" catalog search "khai sinh xyzzy" --db "$db"
expect_eq "no match" "$(wc -c < "$T/out")" 0
# by code: exact first, prefix
expect_status 0 "$MOTCUA" catalog search 1.001193 --db "$db"
head -n 1 "$T/out" > "$T/first"
expect_grep "$T/first" '^{"code":"1.001193",'
expect_status 0 "$MOTCUA" catalog search 1.0011 --db "$db"
expect_grep "$T/out" '"code":"1.001193"'
expect_status 0 "$MOTCUA" catalog search 1.001 --db "$db" --limit 1000
expect_eq "code prefix" "$(wc -l < "$T/out")" "$(sqlite3 "$db" "SELECT count(*) FROM procedures WHERE code LIKE '1.001%'")"
[ "$(grep -vc '"code":"1.001' "$T/out")" = 0 ] || fail "code prefix matched other codes"
# narrowed to a field, typed without diacritics
expect_status 0 "$MOTCUA" catalog search "dang ky" --field "ho tich" --db "$db" --limit 1000
[ "$(grep -vc '"field":"Hộ tịch"' "$T/out")" = 0 ] || fail "--field leaked other fields"
expect_status 2 "$MOTCUA" catalog search "dang ky" --field "không có" --db "$db"
expect_grep "$T/err" "không có lĩnh vực"

# show: components with ids, kinds, counts, mandatory; channels; legal basis
expect_status 0 "$MOTCUA" catalog show 1.001193 --db "$db"
expect_eq "one object" "$(wc -l < "$T/out")" 1
expect_grep "$T/out" '"components":\[{"id":1,'
expect_grep "$T/out" '"name":"Giấy chứng sinh; trường hợp không có Giấy chứng sinh[^"]*","form":null,"originals":1,"copies":0,"kind":"submit","mandatory":true'
expect_grep "$T/out" '"name":"Trường hợp trẻ em bị bỏ rơi[^"]*","form":null,"originals":1,"copies":0,"kind":"submit","mandatory":false'
expect_grep "$T/out" '"name":"Trường hợp khai sinh cho trẻ em sinh ra do mang thai hộ[^"]*","form":null,"originals":1,"copies":0,"kind":"submit","mandatory":false'
expect_grep "$T/out" '"name":"Hộ chiếu/Thẻ căn cước công dân[^"]*","form":null,"originals":1,"copies":0,"kind":"present","mandatory":true'
expect_grep "$T/out" '"name":"Tờ khai đăng ký khai sinh theo mẫu[^"]*","form":null,"originals":1,"copies":0,"kind":"submit","mandatory":true'
expect_grep "$T/out" '"channel":"Trực tiếp"'
expect_grep "$T/out" '"fee_amount":0'
expect_grep "$T/out" '"number":"123/2015/NĐ-CP"'
expect_grep "$T/out" '"result":"Giấy khai sinh (Mã: KQ.G15.000031)"'
# the ids are the store's seq
expect_eq "component ids" "$(sqlite3 "$db" "SELECT seq FROM components WHERE procedure_code = '1.001193' AND name LIKE 'Giấy chứng sinh%'")" \
	"$(sed 's/.*"id":\([0-9]*\),"group":"Giấy tờ phải nộp","name":"Giấy chứng sinh.*/\1/' "$T/out")"
expect_status 2 "$MOTCUA" catalog show 9.999999 --db "$db"
expect_grep "$T/err" "không có thủ tục mã"
[ ! -s "$T/out" ] || fail "output for an unknown code"

# fields
expect_status 0 "$MOTCUA" catalog fields --db "$db"
expect_grep "$T/out" '{"field":"Hộ tịch","count":41}'
total=0
for c in $(sed 's/.*"count":\([0-9]*\).*/\1/' "$T/out"); do total=$((total + c)); done
expect_eq "fields add up" "$total" 588

# communes: current names, old merged names
expect_status 0 "$MOTCUA" catalog communes "ba dinh ha noi" --db "$db"
expect_grep "$T/out" '"code":"00004","name":"Phường Ba Đình","kind":"Phường","province_code":"01","province_name":"Thành phố Hà Nội","via_old_name":null'
expect_status 0 "$MOTCUA" catalog communes "Phường Trúc Bạch" --db "$db"
expect_grep "$T/out" '"code":"00004","name":"Phường Ba Đình".*"via_old_name":"Phường Trúc Bạch"'
expect_status 0 "$MOTCUA" catalog communes "truc bach" --db "$db" --limit 1
expect_eq "one commune" "$(wc -l < "$T/out")" 1

# bad input: nothing printed on stdout, status 2
expect_status 2 "$MOTCUA" catalog
expect_status 2 "$MOTCUA" catalog frobnicate --db "$db"
expect_grep "$T/err" "lệnh con không hợp lệ"
expect_status 2 "$MOTCUA" catalog search --db "$db"
expect_grep "$T/err" "thiếu từ khóa"
expect_status 2 "$MOTCUA" catalog search x --limit 0 --db "$db"
expect_grep "$T/err" "--limit"
expect_status 2 "$MOTCUA" catalog search x --limit abc --db "$db"
expect_status 2 "$MOTCUA" catalog show --db "$db"
expect_status 2 "$MOTCUA" catalog fields extra --db "$db"
expect_status 1 "$MOTCUA" catalog search x --db "$T/none.db"
expect_grep "$T/err" "chưa có kho dữ liệu"
[ ! -e "$T/none.db" ] || fail "catalog created a store"

# Ranking: the exact title before "Đăng ký lại …" (a leading "Thủ tục" does
# not make a name longer); then, within a rank, what this unit receives most.
expect_status 0 "$MOTCUA" catalog search "khai tu" --db "$db" --limit 2
expect_eq "khai tu: the title first" "$(sed 's/^{"code":"\([^"]*\)".*/\1/' "$T/out" | tr '\n' ' ')" \
	"1.000656 1.005461 "
sqlite3 "$db" "INSERT INTO units(code, name, ident) VALUES ('27280', 'UBND xã Tân An', '000.00.06.H56');
	INSERT OR REPLACE INTO settings(key, value) VALUES ('unit_code', '27280'), ('unit_ident', '000.00.06.H56');" ||
	fail "sqlite3 unit"
cat >"$T/relai.json" <<'JSON'
{"procedure": "1.005461", "received_at": "2025-07-21T09:00",
 "applicant": {"full_name": "Hồ Văn Lâm", "id_number": "001090012345", "birth_date": "1990-03-05",
   "sex": "M", "commune": "00004"},
 "components": [{"id": 1, "originals": 1}, {"id": 2, "originals": 1}, {"id": 7, "copies": 1},
   {"id": 9, "originals": 1}, {"id": 10, "originals": 1}]}
JSON
printf 'motcua\n' | "$MOTCUA" clerk add canbo --name "Nguyễn Thị Lan" --unit 27280 --db "$db" >/dev/null 2>&1
MOTCUA_NOW=2025-07-21T09:30 "$MOTCUA" receive --json "$T/relai.json" --db "$db" --user canbo \
	>"$T/rcv" 2>"$T/rcv.err" || fail "receive: $(cat "$T/rcv.err")"
expect_status 0 "$MOTCUA" catalog search "khai tu" --db "$db" --limit 2
expect_eq "khai tu: what this unit receives first" \
	"$(sed 's/^{"code":"\([^"]*\)".*/\1/' "$T/out" | tr '\n' ' ')" "1.005461 1.000656 "
