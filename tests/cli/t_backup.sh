# SPDX-License-Identifier: GPL-3.0-or-later
# motcua backup / restore. A backup taken while a TUI session holds the store
# (its lock file) is a store of its own that opens, passes quick_check, is
# 0600 and holds every dossier; it never overwrites. restore refuses a copy of
# another unit, a damaged copy, a store the TUI holds, and (without --force)
# a store whose unsent operations the copy lacks; it keeps the store as it
# was beside it, carries the dossier numbering over (no code given twice),
# and brings back what the copy holds.
dir="$T/store"
db="$dir/motcua.db"
export MOTCUA_DB="$db"
MOTCUA_NOW=2025-09-15T10:00 "$MOTCUA" init --demo >/dev/null 2>"$T/init.err" ||
	fail "init: $(cat "$T/init.err")"
export MOTCUA_NOW=2025-10-27T10:00 XDG_CONFIG_HOME="$HOME/.config"
codes() { sqlite3 "$1" "SELECT code || ' ' || status || ' ' || rev FROM dossiers ORDER BY code"; }
reception_json "$T/in.json" "2025-10-27T09:32" "Nguyễn Văn An" 001090012345 1990-05-17 M

# ---- backup while the TUI runs --------------------------------------------------------
# The TUI reads its keys from a FIFO: it logs in and then waits for the next
# key, the store's lock held, while the backup runs.
mkfifo "$T/keys"
mkdir -p "$T/screen"
(cd "$T/screen" && MOTCUA_SCRIPT="$T/keys" "$MOTCUA" --user canbo >"$T/tui.out" 2>"$T/tui.err") &
tui=$!
exec 3>"$T/keys"
printf ':type motcua\n<Enter>\n:save-display home.screen\n' >&3
i=0
until [ -s "$T/screen/home.screen" ]; do
	i=$((i+1)); [ $i -gt 1200 ] && break
	sleep 0.05
done
expect_grep "$T/screen/home.screen" "Xin chào, Nguyễn Thị Lan"
# the session holds the store: a second writer is refused
expect_status 1 "$MOTCUA" receive --json "$T/in.json"
expect_grep "$T/err" "đang được một phiên motcua khác sử dụng"
MOTCUA_PROGRESS=json expect_status 0 "$MOTCUA" backup "$T/copy.db"
expect_grep "$T/out" "^{\"db\":\"$db\",\"backup\":\"$T/copy.db\",\"dossiers\":30,\"bytes\":"
expect_grep "$T/err" '^{"progress":"backup","done":0,"total":0}$'
expect_grep "$T/err" '^{"progress":"backup","done":[1-9][0-9]*,"total":[1-9][0-9]*,"end":true}$'
printf '<F10>\n' >&3
exec 3>&-
wait $tui || fail "the TUI ended with $?: $(cat "$T/tui.err")"
expect_eq "mode" "$(stat -c %a "$T/copy.db")" 600
[ -e "$T/copy.db-wal" ] && fail "a -wal beside the copy"
[ -e "$T/copy.db.tmp" ] && fail "a temporary file left"
expect_eq "quick_check" "$(sqlite3 "$T/copy.db" 'PRAGMA quick_check')" ok
expect_eq "every dossier" "$(codes "$T/copy.db")" "$(codes "$db")"
expect_eq "outbox" "$(sqlite3 "$T/copy.db" 'SELECT count(*) FROM outbox')" \
	"$(sqlite3 "$db" 'SELECT count(*) FROM outbox')"
# the copy is a store the program opens
expect_status 0 "$MOTCUA" search "Nguyễn" --db "$T/copy.db"
# never over a file
expect_status 2 "$MOTCUA" backup "$T/copy.db"
expect_grep "$T/err" "đã có"
expect_status 2 "$MOTCUA" backup
expect_status 1 "$MOTCUA" backup "$T/no-such-dir/x.db"

# ---- restore -----------------------------------------------------------------------------
# the store goes on: two receptions after the copy, not sent anywhere
expect_status 0 "$MOTCUA" receive --json "$T/in.json"
after1=$(sed -n 's/^{"code":"\([^"]*\)".*/\1/p' "$T/out")
expect_status 0 "$MOTCUA" receive --json "$T/in.json"
seq_before=$(sqlite3 "$db" "SELECT last FROM code_seq WHERE day = '251027'")
# unsent operations the copy lacks: refused, nothing changed
expect_status 2 "$MOTCUA" restore "$T/copy.db"
expect_grep "$T/err" "còn 2 thao tác chưa gửi lên máy chủ mà bản sao lưu không có"
expect_eq "nothing restored" "$(sqlite3 "$db" 'SELECT count(*) FROM dossiers')" 32
ls "$dir" | grep -q before-restore && fail "a file kept although nothing was restored"
# another unit's copy: refused
cp "$T/copy.db" "$T/other.db"
sqlite3 "$T/other.db" "UPDATE settings SET value = '00008' WHERE key = 'unit_code'"
expect_status 2 "$MOTCUA" restore "$T/other.db" --force
expect_grep "$T/err" "là của đơn vị 00008, kho $db của đơn vị 00004"
# a damaged copy: refused
cp "$T/copy.db" "$T/bad.db"
pages=$(( $(stat -c %s "$T/bad.db") / 4096 ))
dd if=/dev/urandom of="$T/bad.db" bs=4096 seek=$((pages / 2)) count=20 conv=notrunc 2>/dev/null
expect_status 2 "$MOTCUA" restore "$T/bad.db" --force
expect_grep "$T/err" "bị hỏng"
echo "text" >"$T/text.db"
expect_status 2 "$MOTCUA" restore "$T/text.db"
expect_grep "$T/err" "không phải kho dữ liệu motcua"
# --force: restored; the store as it was kept beside, the numbering carried over
expect_status 0 "$MOTCUA" restore "$T/copy.db" --force
expect_grep "$T/out" "\"restored_from\":\"$T/copy.db\",\"dossiers\":30,\"unit_code\":\"00004\",\"previous\":\"$db.before-restore-"
expect_grep "$T/err" "2 thao tác chưa gửi của kho cũ nằm trong $db.before-restore-"
prev=$(ls "$db".before-restore-* | head -n 1)
expect_eq "kept store" "$(sqlite3 "$prev" 'SELECT count(*) FROM dossiers')" 32
expect_eq "kept store mode" "$(stat -c %a "$prev")" 600
expect_eq "restored" "$(codes "$db")" "$(codes "$T/copy.db")"
expect_eq "numbering kept" "$(sqlite3 "$db" "SELECT last FROM code_seq WHERE day = '251027'")" "$seq_before"
expect_eq "journal" "$(sqlite3 "$db" 'PRAGMA journal_mode')" wal
# the next reception takes a new number, not one of the two above
expect_status 0 "$MOTCUA" receive --json "$T/in.json"
next=$(sed -n 's/^{"code":"\([^"]*\)".*/\1/p' "$T/out")
[ "$next" = "$after1" ] && fail "code $next given twice"
expect_eq "next number" "${next##*-}" "$(printf '%04d' $((seq_before + 1)))"
# the same copy again, nothing unsent missing from it: no --force needed
sqlite3 "$db" "UPDATE outbox SET state = 'done' WHERE state = 'pending'"
expect_status 0 "$MOTCUA" restore "$T/copy.db"
