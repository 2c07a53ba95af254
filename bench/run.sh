#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# make bench: sh bench/run.sh BUILD_DIR (absolute; the Makefile passes it).
# Builds the benchmark store if it is missing, then runs each benchmark in
# turn; each prints its own table against the budgets, and the last step
# prints them all as one table (measure, value, budget, result). Exit status
# 1 when any benchmark failed or went over budget. To add a benchmark, add a
# step before the summary and let it append "measure<TAB>value<TAB>budget<TAB>
# ok|OVER|-" lines to $summary.
#
# BENCH_COUNT=N    a store of N dossiers instead of 1,000,000 (made again when
#                  the count differs)
# BENCH_RUNS=N     runs of each bench_query case (default 20)
# BENCH_TUI_RUNS=N TUI sessions of the keystroke script (default 20)
# BENCH_VALGRIND=0 skips the memcheck step (it needs valgrind; about 10 s)
# BENCH_COLD=1     also one session after dropping the OS page cache (root
#                  only; slows every program on the machine for a while)
# BENCH_SERVER=0   skips the server's part (bench/sync.sh: PostgreSQL, sync,
#                  the province's indicators; its own variables are there)
# BENCH_ENCRYPTED=1 also the same measures on an encrypted copy of the store
#                  (docs/security.md; made once, about another 1.5 GB)
set -u
B=${1:?usage: sh bench/run.sh BUILD_DIR}
cd "$(dirname "$0")/.." || exit 1
export LC_ALL=C.UTF-8 TZ=Asia/Ho_Chi_Minh
unset MOTCUA_DB MOTCUA_NOW MOTCUA_SIZE MOTCUA_SCRIPT MOTCUA_BENCH_LOG NO_COLOR
out=bench/out
db=$out/bench.db
count=${BENCH_COUNT:-1000000}
runs=${BENCH_RUNS:-20}
tui_runs=${BENCH_TUI_RUNS:-20}
status=0
mkdir -p "$out" || exit 1
# the user's own keymap and settings stay out of the measures
export HOME="$PWD/$out/home" XDG_CONFIG_HOME="$PWD/$out/home/.config"
unset XDG_DATA_HOME
mkdir -p "$HOME" || exit 1
summary=$out/summary.tsv
: >"$summary"

# 1. The store: made once, kept in bench/out/ (gitignored).
have=$(sqlite3 "$db" "SELECT value FROM settings WHERE key = 'bench.count'" 2>/dev/null)
version=$(sqlite3 "$db" "SELECT value FROM settings WHERE key = 'bench.version'" 2>/dev/null)
if [ "$have" != "$count" ] || [ "$version" != 2 ]; then
	echo "bench: making a store of $count dossiers (once; bench/out/ keeps it)"
	rm -f "$db" "$db-wal" "$db-shm"
	"$B/bench/gen_store" --db "$db" --count "$count" || exit 1
fi
# The reference data, the demo unit H01.00004 (gen_store's main unit) and
# the demo clerk canbo / motcua, as `motcua init --demo` makes them; init
# adds no dossier to a store that has some.
if [ -z "$(sqlite3 "$db" "SELECT 1 FROM clerks WHERE username = 'canbo'" 2>/dev/null)" ]; then
	echo "bench: motcua init --demo on the store (reference data, unit, clerk)"
	"$B/motcua" init --db "$db" --demo >/dev/null || exit 1
fi
# A second clerk, bench / motcua, whose Argon2id hash has libsodium's minimum
# limits (8 KiB, one pass): logging in as bench measures everything the login
# does but the deliberate password hashing, which step 5 times on its own.
sqlite3 "$db" "INSERT OR REPLACE INTO clerks(username, full_name, unit_code, role, pw_hash,
	disabled) VALUES ('bench', 'Cán bộ đo thử', '00004', 'clerk',
	'\$argon2id\$v=19\$m=8,t=1,p=1\$gPMV68X7r8wqjZrt5qAepw\$N+SK0Yjs7696ZUsFYcTiXSY5oEfeYp8UXecbw2B2cTw',
	0)" || exit 1
# A supervisor of the unit, giamsat / motcua (the same minimal hash), for the
# supervisor's screen and queues (bench/keys/supervisor.keys).
sqlite3 "$db" "INSERT OR REPLACE INTO clerks(username, full_name, unit_code, role, pw_hash,
	disabled) SELECT 'giamsat', 'Giám sát đo thử', '00004', 'supervisor', pw_hash, 0
	FROM clerks WHERE username = 'bench'" || exit 1
# The clerks whose dossiers gen_store wrote (canbo1..6), for the supervisor's
# workload table.
sqlite3 "$db" "INSERT OR IGNORE INTO clerks(username, full_name, unit_code, role, pw_hash,
	disabled) VALUES ('canbo1', 'Cán bộ 1', '00004', 'clerk', '', 0),
	('canbo2', 'Cán bộ 2', '00004', 'clerk', '', 0), ('canbo3', 'Cán bộ 3', '00004', 'clerk', '', 0),
	('canbo4', 'Cán bộ 4', '00004', 'clerk', '', 0), ('canbo5', 'Cán bộ 5', '00004', 'clerk', '', 0),
	('canbo6', 'Cán bộ 6', '00004', 'clerk', '', 0)" ||
	exit 1
MOTCUA_NOW=$(sqlite3 "$db" "SELECT value FROM settings WHERE key = 'bench.now'")
export MOTCUA_NOW
# The store's schema brought up to date by a command that opens it for
# writing: a new migration runs here, once (the indicator counts of
# migration 8 take about a minute on a million dossiers).
echo "bench: the store's schema up to date (once after an upgrade: may take a minute)"
"$B/motcua" clerk list --db "$db" >/dev/null || exit 1
echo "bench: store $db: $(du -h "$db" | cut -f1), $count dossiers, now $MOTCUA_NOW"
echo

# 2. Dossier queries: search, list pages, counts, detail.
"$B/bench/bench_query" --db "$db" --runs "$runs" --summary "$summary" || status=1
echo

# 3. The program itself: first screen and every key of a session on the
# dossier list, logged in as bench (Argon2id left out); peak RSS.
echo "bench_tui: $tui_runs sessions of bench/keys/list.keys on $db (times in ms, RSS in MB)"
echo
"$B/bench/bench_tui" --runs "$tui_runs" --summary "$summary" --title "TUI: " \
	--script bench/keys/list.keys -- "$B/motcua" --db "$db" --user bench || status=1
echo

# 4. The real login (canbo, interactive Argon2id limits): its time and the
# peak RSS with the password hashing's memory in it.
echo "bench_tui: 5 logins of the demo clerk (bench/keys/login.keys)"
echo
"$B/bench/bench_tui" --runs 5 --summary "$summary" --title "TUI, real login: " \
	--script bench/keys/login.keys -- "$B/motcua" --db "$db" --user canbo || status=1
echo

# 4b. The real login then the screens that load the heavy libraries on first
# use (a receipt printed: cairo, pango; the scanner chooser: SANE's test
# backend): the peak RSS of a day's session, which the 30 MB budget is about.
echo "bench_tui: 3 sessions of bench/keys/screens.keys as the demo clerk"
echo
mkdir -p "$out/sane" && echo test >"$out/sane/dll.conf"
SANE_CONFIG_DIR="$PWD/$out/sane" \
"$B/bench/bench_tui" --runs 3 --summary "$summary" --title "TUI, every screen: " \
	--script bench/keys/screens.keys -- "$B/motcua" --db "$db" --user canbo || status=1
echo

# 5. The CLI search (a whole process: exec, open, search, JSON out).
echo "bench_tui: motcua search \"nguyen van an\" --db $db, 10 times"
echo
"$B/bench/bench_tui" --runs 10 --summary "$summary" --title "CLI search: " \
	-- "$B/motcua" search "nguyen van an" --db "$db" || status=1
echo

# 5b. The supervisor's screen (queues, workload, indicators of unit 00004)
# and `motcua indicators` for a month and a year: 200 ms each.
echo "bench_tui: 10 sessions of bench/keys/supervisor.keys on $db"
echo
"$B/bench/bench_tui" --runs 10 --summary "$summary" --title "TUI, supervisor: " \
	--script bench/keys/supervisor.keys -- "$B/motcua" --db "$db" --user giamsat || status=1
echo
# 5c. The same supervisor's session with the CPU capped at one third of a
# core (bench/capped.sh: a cgroup, root only), and `motcua queue overdue`:
# what a clerk's old PC under load feels. The CPU times are those of 5b.
echo "bench_tui: 3 sessions of bench/keys/supervisor.keys, CPU capped at 1/3 of a core"
echo
sh bench/capped.sh "$B/bench/bench_tui" --runs 3 --summary "$summary" \
	--title "TUI, supervisor, CPU capped at 1/3 core: " \
	--script bench/keys/supervisor.keys -- "$B/motcua" --db "$db" --user giamsat
case $? in
0 | 1) ;;
3) echo "bench: no cgroup CPU controller here (needs root and cgroup v2 cpu.max or v1 cpu.cfs_quota_us): capped run not measured"
	printf 'TUI, supervisor, CPU capped at 1/3 core\tnot measured: no cgroup CPU controller\t-\t-\n' >>"$summary" ;;
*) status=1 ;;
esac
echo
echo "bench_tui: motcua queue overdue --db $db, 10 times"
echo
"$B/bench/bench_tui" --runs 10 --summary "$summary" --title "CLI queue overdue (every row): " \
	-- "$B/motcua" queue overdue --db "$db" || status=1
echo
for period in "month:2025-11-01:2025-11-30" "year:2025-01-01:2025-12-31"; do
	IFS=: read -r name from to <<EOF
$period
EOF
	echo "bench_tui: motcua indicators --unit 00004 (this $name) --db $db, 10 times"
	echo
	"$B/bench/bench_tui" --runs 10 --summary "$summary" --wall-budget 200 \
		--title "CLI indicators, unit 00004, this $name: " \
		-- "$B/motcua" indicators --unit 00004 --from "$from" --to "$to" --db "$db" || status=1
	echo
done

# 6. Reception saves (removed again afterwards) and the Argon2id check.
"$B/bench/bench_reception" --db "$db" --summary "$summary" || status=1
echo

# 7. Optional: the first session after the OS page cache was dropped, as
# after a reboot (root only).
if [ "${BENCH_COLD:-0}" = 1 ]; then
	if sync && echo 3 >/proc/sys/vm/drop_caches 2>/dev/null; then
		echo "bench_tui: one session with a cold OS page cache"
		echo
		"$B/bench/bench_tui" --runs 1 --summary "$summary" --title "TUI, cold OS cache: " \
			--script bench/keys/list.keys -- "$B/motcua" --db "$db" --user bench
		echo
	else
		echo "bench: BENCH_COLD=1 needs root (writing /proc/sys/vm/drop_caches); skipped"
	fi
fi

# 8. Memcheck: one TUI session and one `motcua receive` (receipt PDF) on a
# small demo store. Errors and definite or indirect leaks count; the font
# caches fontconfig keeps for the process are suppressed (bench/valgrind.supp).
if [ "${BENCH_VALGRIND:-1}" != 0 ] && command -v valgrind >/dev/null 2>&1; then
	vg=$out/valgrind
	rm -rf "$vg" && mkdir -p "$vg" || exit 1
	now_vg=2025-08-05T09:30
	MOTCUA_NOW=$now_vg "$B/motcua" init --db "$vg/demo.db" --demo >/dev/null || exit 1
	cat >"$vg/receive.json" <<'JSON'
{"procedure": "1.001193", "received_at": "2025-08-05T08:05",
 "applicant": {"full_name": "Đặng Thị Đào", "id_number": "001185012345",
  "birth_date": "1985-03-12", "sex": "F", "phone": "0912345678",
  "address": "Số 12 ngõ 5 phố Đội Cấn", "commune": "00004"},
 "components": [{"id": 32, "originals": 1, "copies": 0},
  {"id": 5, "originals": 1, "copies": 0}, {"id": 7, "originals": 1, "copies": 0},
  {"id": 11, "originals": 1, "copies": 0}]}
JSON
	top=$PWD
	set -- --leak-check=full --errors-for-leak-kinds=definite,indirect \
		--suppressions="$top/bench/valgrind.supp" --error-exitcode=99
	for what in tui receive; do
		if [ $what = tui ]; then
			(cd "$vg" && MOTCUA_NOW=$now_vg MOTCUA_SCRIPT="$top/bench/keys/valgrind.keys" \
				valgrind "$@" --log-file=$what.log "$B/motcua" --db demo.db)
		else
			(cd "$vg" && MOTCUA_NOW=$now_vg valgrind "$@" --log-file=$what.log \
				"$B/motcua" receive --db demo.db --json receive.json >/dev/null)
		fi
		rc=$?
		errors=$(sed -n 's/.*ERROR SUMMARY: \([0-9]*\) errors.*/\1/p' "$vg/$what.log")
		lost=$(sed -n 's/.*definitely lost: \([0-9,]*\) bytes.*/\1/p' "$vg/$what.log")
		name="valgrind memcheck: $what"
		[ $what = tui ] && name="$name session (bench/keys/valgrind.keys)"
		[ $what = receive ] && name="$name (motcua receive, receipt PDF)"
		if [ "$rc" = 0 ] && [ "${errors:-x}" = 0 ]; then
			printf '%s\tclean (0 errors, %s bytes definitely lost)\tclean\tok\n' \
				"$name" "${lost:-0}" >>"$summary"
		else
			printf '%s\texit %s, %s errors: see %s\tclean\tOVER\n' "$name" "$rc" \
				"${errors:-?}" "$vg/$what.log" >>"$summary"
			status=1
		fi
	done
	echo "valgrind: logs in $vg/"
	echo
fi

# 9. Scanning: pages per minute from the scanner (SANE's test backend) to
# the PDF, and bytes per page of a paper of text (bench/bench_scan.c).
"$B/bench/bench_scan" --summary "$summary" || status=1

# 10. The server (bench/sync.sh): push throughput against COPY, bytes on the
# wire per dossier, a fresh workstation's pull of 100,000 changes, and the
# indicators over a province of 10 million dossiers (made once: about half an
# hour and some 25 GB in bench/out/server/).
if [ "${BENCH_SERVER:-1}" != 0 ]; then
	echo
	sh bench/sync.sh "$B" "$summary" || status=1
	echo
	# 11. The publisher to the national portal against the stand-in
	# (bench/portal.sh; BENCH_PORTAL_DOSSIERS, BENCH_PORTAL_BATCH).
	sh bench/portal.sh "$B" "$summary" || status=1
	echo
fi

# 11. Optional (BENCH_ENCRYPTED=1): the store encrypted (docs/security.md).
# A copy converted once by `motcua encrypt` (its time said), the clerk bench
# given a wrap of the store's key, then the query table, the keystroke
# session (its login now opens the store: the Enter after the password pays
# the key's Argon2id) and the CLI search on it.
if [ "${BENCH_ENCRYPTED:-0}" = 1 ]; then
	edb=$out/bench-enc.db
	if [ ! -f "$edb.keys" ] || [ "$(cat "$edb.count" 2>/dev/null)" != "$count" ]; then
		echo "bench: an encrypted copy of the store (once; bench/out/ keeps it)"
		rm -f "$edb" "$edb-wal" "$edb-shm" "$edb.keys" "$edb.lock" "$edb.count"
		sqlite3 "$db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null || exit 1
		cp "$db" "$edb" || exit 1
		t0=$(date +%s.%N)
		echo motcua | "$B/motcua" encrypt --db "$edb" --user canbo >/dev/null || exit 1
		t1=$(date +%s.%N)
		echo "bench: motcua encrypt took $(echo "$t1 - $t0" | bc) s for $count dossiers"
		echo motcua | MOTCUA_PASSWORD=motcua "$B/motcua" clerk passwd bench --db "$edb" \
			>/dev/null || exit 1
		echo "$count" >"$edb.count"
	fi
	echo "bench: encrypted store $edb: $(du -h "$edb" | cut -f1)"
	echo
	MOTCUA_PASSWORD=motcua "$B/bench/bench_query" --db "$edb" --runs "$runs" || status=1
	echo
	echo "bench_tui: $tui_runs sessions of bench/keys/list.keys on the encrypted store"
	echo
	"$B/bench/bench_tui" --runs "$tui_runs" --title "TUI, encrypted: " \
		--script bench/keys/list.keys -- "$B/motcua" --db "$edb" --user bench || status=1
	echo
	echo "bench_tui: motcua search \"nguyen van an\" on the encrypted store, 10 times"
	echo
	MOTCUA_PASSWORD=motcua "$B/bench/bench_tui" --runs 10 --title "CLI search, encrypted: " \
		-- "$B/motcua" search "nguyen van an" --db "$edb" || status=1
	echo
fi

# The summary: every measure against its budget (DEVELOPERS.md).
echo "make bench: summary (values in ms or MB; p95 over every sample unless said)"
echo
awk -F '\t' 'BEGIN { printf "%-56s %-46s %-8s %s\n", "measure", "value", "budget", "result" }
	{ printf "%-56s %-46s %-8s %s\n", $1, $2, $3, $4 }' "$summary"
echo
[ $status = 0 ] && echo "make bench: every measure within budget" ||
	echo "make bench: some measures are over budget or failed (see above)"
exit $status
