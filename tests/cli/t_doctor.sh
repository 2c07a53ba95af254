# SPDX-License-Identifier: GPL-3.0-or-later
# motcua doctor: a healthy workstation (exit 0, every check ok or skipped or a
# remark), then broken ones, each problem named with how to fix it and exit
# 1: tesseract without its Vietnamese data (TESSDATA_PREFIX at an empty
# folder) or not installed (a PATH without it), the data files missing, an
# unreachable server, a corrupt store, a missing one; all at once.
dir="$T/store"
db="$dir/motcua.db"
export MOTCUA_DB="$db"
MOTCUA_NOW=2025-09-15T10:00 "$MOTCUA" init --demo >/dev/null 2>"$T/init.err" ||
	fail "init: $(cat "$T/init.err")"
sane="$T/sane"
mkdir -p "$sane" "$T/empty"
echo test >"$sane/dll.conf"
export SANE_CONFIG_DIR="$sane" CUPS_SERVER="$T/no-cups.sock"
unset SANE_DEFAULT_DEVICE SANE_NET_HOSTS TESSDATA_PREFIX
# check NAME STATUS: the JSON of the last run has that check with that status
check() { expect_grep "$T/out" "{\"name\":\"$1\",\"status\":\"$2\","; }

# ---- healthy ---------------------------------------------------------------------
expect_status 0 "$MOTCUA" doctor --json
expect_grep "$T/out" '^{"healthy":true,'
check data ok
check store ok
check disk ok
check scanner ok
expect_grep "$T/out" '"message":"Máy quét: test:0'
check ocr ok
check printer skip
check server skip
check clock skip
expect_status 0 "$MOTCUA" doctor
expect_grep "$T/out" "^\[ đạt \] store: Kho dữ liệu nguyên vẹn (30 hồ sơ)$"
expect_grep "$T/out" "^Máy trạm sẵn sàng.$"

# ---- tesseract without Vietnamese ------------------------------------------------------
TESSDATA_PREFIX="$T/empty" expect_status 1 "$MOTCUA" doctor --json
expect_grep "$T/out" '^{"healthy":false,'
check ocr fail
expect_grep "$T/out" '"message":"tesseract thiếu dữ liệu tiếng Việt (vie)","fix":"apt-get install tesseract-ocr-vie'
check store ok
# no tesseract at all: a PATH of the tools the doctor needs but tesseract
mkdir -p "$T/bin"
for tool in pdftoppm lpstat; do
	p=$(command -v "$tool") && ln -sf "$p" "$T/bin/$tool"
done
PATH="$T/bin" expect_status 1 "$MOTCUA" doctor
expect_grep "$T/out" "^\[ LỖI \] ocr: Không có chương trình tesseract"
expect_grep "$T/out" "Cách sửa: apt-get install tesseract-ocr tesseract-ocr-vie"
expect_grep "$T/out" "^Máy trạm có lỗi cần sửa"

# ---- the data files ------------------------------------------------------------------
MOTCUA_DATA="$T/empty" expect_status 1 "$MOTCUA" doctor --json
check data fail
expect_grep "$T/out" '"fix":"Cài lại gói motcua-data'

# ---- an unreachable server -------------------------------------------------------------
cp "$db" "$T/net.db"
sqlite3 "$T/net.db" "UPDATE sync_state SET server_url = 'http://127.0.0.1:9',
	device_id = 'dev-x', token = 'mc1_x' WHERE id = 1"
expect_status 1 "$MOTCUA" doctor --json --db "$T/net.db"
check server fail
expect_grep "$T/out" '"message":"Không kết nối được máy chủ http://127.0.0.1:9: '
check clock skip
check ocr ok

# ---- a corrupt store ---------------------------------------------------------------------
cp "$db" "$T/bad.db"
pages=$(( $(stat -c %s "$T/bad.db") / 4096 ))
# garbage over pages in the middle of the file: SQLite opens it, quick_check does not pass
dd if=/dev/urandom of="$T/bad.db" bs=4096 seek=$((pages / 2)) count=20 conv=notrunc 2>/dev/null
expect_status 1 "$MOTCUA" doctor --json --db "$T/bad.db"
check store fail
expect_grep "$T/out" '"message":"Kho dữ liệu '"$T"'/bad.db bị hỏng: '
expect_grep "$T/out" '"fix":"Đóng motcua rồi khôi phục từ bản sao lưu gần nhất: motcua restore'
# not a store at all
echo "not a database" >"$T/text.db"
expect_status 1 "$MOTCUA" doctor --json --db "$T/text.db"
check store fail
# none yet
expect_status 1 "$MOTCUA" doctor --json --db "$T/none/motcua.db"
check store fail
expect_grep "$T/out" '"fix":"Máy mới: motcua login --server URL --username TÊN'

# ---- everything at once: each problem named ---------------------------------------------
cp "$T/net.db" "$T/all.db"
dd if=/dev/urandom of="$T/all.db" bs=4096 seek=$((pages / 2)) count=20 conv=notrunc 2>/dev/null
TESSDATA_PREFIX="$T/empty" expect_status 1 "$MOTCUA" doctor --json --db "$T/all.db"
check store fail
check ocr fail
# (a corrupt store cannot say which server it syncs with: that check is skipped)
check server skip
TESSDATA_PREFIX="$T/empty" expect_status 1 "$MOTCUA" doctor --db "$T/net.db"
expect_eq "problems named" "$(grep -c '^\[ LỖI \]' "$T/out")" 2
expect_grep "$T/out" "^\[ LỖI \] server: "
expect_grep "$T/out" "^\[ LỖI \] ocr: "

# ---- bad options --------------------------------------------------------------------
expect_status 2 "$MOTCUA" doctor --frob
