# SPDX-License-Identifier: GPL-3.0-or-later
# A damaged or foreign store: the TUI and the commands say so in Vietnamese
# and exit with status 1 (never an abort, never a silent empty answer), and
# write nothing. The files are real: random bytes, a store cut short, a store
# whose page 2 (the settings table) is overwritten, a store whose dossiers
# table is damaged, and an SQLite file of another program.
export MOTCUA_NOW=2025-08-05T09:30
good="$T/good.db"
expect_status 0 "$MOTCUA" init --db "$good" --demo
sqlite3 "$good" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null || fail "sqlite3 checkpoint"
pages=$(sqlite3 "$good" "PRAGMA page_count")
psize=$(sqlite3 "$good" "PRAGMA page_size")
[ "$pages" -gt 100 ] || fail "the demo store has only $pages pages"

# overwrite FILE PAGE: the page (numbered from 1) filled with 0xff bytes
overwrite() {
	head -c "$psize" /dev/zero | tr '\0' '\377' |
		dd of="$1" bs="$psize" seek=$(($2 - 1)) count=1 conv=notrunc 2>/dev/null
}

head -c 200000 /dev/urandom >"$T/random.db"
head -c $((psize * pages / 2)) "$good" >"$T/cut.db"
cp "$good" "$T/page2.db"
expect_eq "page 2 is the settings table" \
	"$(sqlite3 "$good" "SELECT name FROM sqlite_schema WHERE rootpage = 2")" settings
overwrite "$T/page2.db" 2
# the dossiers table: a store with dossiers, the table's root page damaged
cp "$good" "$T/dossiers.db"
sqlite3 "$T/dossiers.db" "INSERT INTO dossiers(id, code, procedure_code, procedure_name,
  unit_code, clerk, status, received_at, appointment, applicant_name, applicant_fold,
  updated_at) VALUES ('d1', 'H01.00004-250701-0001', '1.001193', 'Thủ tục đăng ký khai sinh',
  '00004', 'canbo', 2, '2025-07-01T09:00', '2025-07-02T09:00', 'Nguyễn Văn An',
  'nguyen van an', '2025-07-01T09:00'); PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null ||
	fail "sqlite3 could not add a dossier"
overwrite "$T/dossiers.db" "$(sqlite3 "$good" "SELECT rootpage FROM sqlite_schema WHERE name = 'dossiers'")"
# an SQLite file of another program, at this build's schema version
sqlite3 "$T/foreign.db" "CREATE TABLE t(x); PRAGMA user_version = $(sqlite3 "$good" 'PRAGMA user_version')"

printf ':save-display x.screen\n' >"$T/ok.keys"
for f in random cut page2 dossiers foreign; do
	db="$T/$f.db"
	sum=$(md5sum <"$db")
	MOTCUA_SCRIPT="$T/ok.keys" expect_status 1 "$MOTCUA" --db "$db"
	case $f in
	foreign) expect_grep "$T/err" "tệp $db không phải kho dữ liệu motcua" ;;
	*) expect_grep "$T/err" "kho dữ liệu $db đã hỏng hoặc không đọc được" ;;
	esac
	expect_eq "$f: TUI: one line" "$(wc -l <"$T/err")" 1
	for cmd in "search an" "queue overdue" "clerk list" "indicators --from 2025-07-01 --to 2025-07-31" \
		"documents --applicant 001090012345" "sync --once" "receipt H01.00004-250701-0001 --out $T/r.pdf"; do
		# shellcheck disable=SC2086 # the command's words
		expect_status 1 "$MOTCUA" $cmd --db "$db"
		expect_grep "$T/err" "^motcua: .*$db"
		[ -s "$T/out" ] && fail "$f: $cmd printed $(head -c 200 "$T/out")"
		grep -q 'Aborted\|internal SQL error' "$T/err" && fail "$f: $cmd: $(cat "$T/err")"
	done
	[ -e "$T/r.pdf" ] && fail "$f: a receipt was written"
	expect_eq "$f: the file is untouched" "$(md5sum <"$db")" "$sum"
done

# A reception on the damaged store changes nothing: no dossier, no outbox row.
cat >"$T/in.json" <<'EOF'
{"procedure": "1.001193", "received_at": "2025-08-05T09:30",
 "applicant": {"full_name": "Trần Văn Bình", "id_number": "001090012345"},
 "components": [{"id": 5, "originals": 1, "copies": 0}]}
EOF
cp "$T/page2.db" "$T/recv.db"
expect_status 1 "$MOTCUA" receive --json "$T/in.json" --user canbo --db "$T/recv.db"
expect_grep "$T/err" "đã hỏng hoặc không đọc được"
cmp -s "$T/recv.db" "$T/page2.db" || fail "receive wrote to a damaged store"

# The good store still answers.
expect_status 0 "$MOTCUA" clerk list --db "$good"
expect_grep "$T/out" canbo
