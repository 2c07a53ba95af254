# SPDX-License-Identifier: GPL-3.0-or-later
# motcua clerk: add / passwd / list / disable / enable, with Argon2id hashes;
# bad input exits 2 with a Vietnamese message and changes nothing.
DB="$T/store/motcua.db"

# add creates the store; JSON on stdout, never the hash
printf 'motcua\n' | expect_status 0 "$MOTCUA" clerk add canbo --name "Nguyễn Thị Lan" --unit 27280 --db "$DB"
expect_eq "add json" "$(cat "$T/out")" \
	'{"username":"canbo","full_name":"Nguyễn Thị Lan","unit_code":"27280","role":"clerk","disabled":false}'
hash=$(sqlite3 "$DB" "SELECT pw_hash FROM clerks WHERE username = 'canbo'")
case $hash in
'$argon2id$v=19$m=16384,t=3,p=1$'*) ok ;;
*) fail "not an Argon2id hash with motcua's costs (16 MiB, 3 passes): $hash" ;;
esac
grep -q 'argon2' "$T/out" && fail "the hash leaked to stdout"

# --opt=value, a role, a decomposed name stored as NFC
printf 'bí mật\n' | expect_status 0 "$MOTCUA" clerk add lanh.dao --name="$(printf 'Tra\314\202\314\200n Văn B')" --unit=27280 --role supervisor --db "$DB"
expect_grep "$T/out" '"role":"supervisor"'
expect_eq "nfc name" "$(sqlite3 "$DB" "SELECT full_name FROM clerks WHERE username = 'lanh.dao'")" "Trần Văn B"

# MOTCUA_DB works like --db
export MOTCUA_DB="$DB"
expect_status 0 "$MOTCUA" clerk list
expect_eq "list" "$(cat "$T/out")" \
'{"username":"canbo","full_name":"Nguyễn Thị Lan","unit_code":"27280","role":"clerk","disabled":false}
{"username":"lanh.dao","full_name":"Trần Văn B","unit_code":"27280","role":"supervisor","disabled":false}'

# disable / enable
expect_status 0 "$MOTCUA" clerk disable lanh.dao
expect_grep "$T/out" '"username":"lanh.dao".*"disabled":true'
expect_eq "disabled" "$(sqlite3 "$DB" "SELECT disabled FROM clerks WHERE username = 'lanh.dao'")" 1
expect_status 0 "$MOTCUA" clerk enable lanh.dao
expect_grep "$T/out" '"disabled":false'

# passwd changes the hash (Argon2id salts: never the same string twice)
printf 'mới\n' | expect_status 0 "$MOTCUA" clerk passwd canbo
expect_grep "$T/out" '"username":"canbo"'
hash2=$(sqlite3 "$DB" "SELECT pw_hash FROM clerks WHERE username = 'canbo'")
[ "$hash" != "$hash2" ] || fail "passwd did not change the hash"

# Bad input: status 2, a message, nothing changed.
before=$(sqlite3 "$DB" "SELECT username, full_name, unit_code, role, pw_hash, disabled FROM clerks ORDER BY 1")
printf 'x\n' | expect_status 2 "$MOTCUA" clerk add canbo --name "Ai Đó" --unit 27280
expect_grep "$T/err" "đã có cán bộ 'canbo'"
printf 'x\n' | expect_status 2 "$MOTCUA" clerk add "Cán Bộ" --name "Ai Đó" --unit 27280
expect_grep "$T/err" "tên đăng nhập 'Cán Bộ' không hợp lệ"
printf 'x\n' | expect_status 2 "$MOTCUA" clerk add -x --name "Ai Đó" --unit 27280
expect_grep "$T/err" "tùy chọn không hợp lệ '-x'"
printf 'x\n' | expect_status 2 "$MOTCUA" clerk add ai --unit 27280
expect_grep "$T/err" "thiếu họ tên cán bộ"
printf 'x\n' | expect_status 2 "$MOTCUA" clerk add ai --name "Ai Đó"
expect_grep "$T/err" "thiếu mã đơn vị"
printf 'x\n' | expect_status 2 "$MOTCUA" clerk add ai --name "$(printf 'Ai\tĐó')" --unit 27280
expect_grep "$T/err" "ký tự không hợp lệ"
printf 'x\n' | expect_status 2 "$MOTCUA" clerk add ai --name "$(printf 'Ai \377')" --unit 27280
expect_grep "$T/err" "ký tự không hợp lệ"
printf 'x\n' | expect_status 2 "$MOTCUA" clerk add ai --name "Ai Đó" --unit 27280 --role boss
expect_grep "$T/err" "vai trò 'boss' không hợp lệ"
printf '\n' | expect_status 2 "$MOTCUA" clerk add ai --name "Ai Đó" --unit 27280
expect_grep "$T/err" "mật khẩu trống"
expect_status 2 "$MOTCUA" clerk add ai --name "Ai Đó" --unit 27280 </dev/null
expect_grep "$T/err" "mật khẩu trống"
printf '\n' | expect_status 2 "$MOTCUA" clerk passwd canbo
expect_grep "$T/err" "mật khẩu trống"
printf 'x\n' | expect_status 2 "$MOTCUA" clerk passwd khongco
expect_grep "$T/err" "không có cán bộ 'khongco'"
expect_status 2 "$MOTCUA" clerk disable khongco
expect_grep "$T/err" "không có cán bộ 'khongco'"
expect_status 2 "$MOTCUA" clerk disable
expect_grep "$T/err" "thiếu tên đăng nhập"
expect_status 2 "$MOTCUA" clerk list extra
expect_grep "$T/err" "thừa tham số 'extra'"
expect_status 2 "$MOTCUA" clerk disable canbo --name "X"
expect_grep "$T/err" "chỉ dùng với 'clerk add'"
expect_status 2 "$MOTCUA" clerk
expect_grep "$T/err" "thiếu lệnh con"
expect_status 2 "$MOTCUA" clerk fire canbo
expect_grep "$T/err" "không có lệnh 'clerk fire'"
expect_status 2 "$MOTCUA" clerk add ai --name
expect_grep "$T/err" "thiếu giá trị cho --name"
after=$(sqlite3 "$DB" "SELECT username, full_name, unit_code, role, pw_hash, disabled FROM clerks ORDER BY 1")
expect_eq "nothing changed" "$after" "$before"

# A refused add does not create a store either.
printf 'x\n' | expect_status 2 "$MOTCUA" clerk add "BAD NAME" --name "Ai" --unit 1 --db "$T/new/none.db"
[ -e "$T/new/none.db" ] && fail "a refused add created a store"
# list on a missing store is a fault (1), not created
expect_status 1 "$MOTCUA" clerk list --db "$T/none.db"
expect_grep "$T/err" "chưa có kho dữ liệu"
[ -e "$T/none.db" ] && fail "list created a store"

# A read-only store: the write is refused with status 1 and a clear message.
if [ "$(id -u)" != 0 ]; then
	chmod a-w "$T/store" "$DB"
	expect_status 1 "$MOTCUA" clerk disable canbo
	expect_grep "$T/err" "chỉ đọc"
	chmod u+w "$T/store" "$DB"
fi
