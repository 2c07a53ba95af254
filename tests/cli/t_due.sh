# SPDX-License-Identifier: GPL-3.0-or-later
# motcua due: appointments from a holidays file, the store, or computed holidays;
# bad input is refused with status 2 and nothing on stdout.
data="$(dirname "$MOTCUA")/../data"

# The domain example (a provincial system): 09:32 Friday 27/10/2023 + 5 working days.
expect_status 0 "$MOTCUA" due --from 2023-10-27T09:32 --days 5
expect_eq "domain example" "$(cat "$T/out")" "2023-11-03T09:32"
# No store: computed statutory calendar, and stderr says so.
expect_grep "$T/err" "Bộ luật Lao động"
expect_status 0 "$MOTCUA" due --from=2023-10-27T09:32 --days=5
expect_eq "--opt=value" "$(cat "$T/out")" "2023-11-03T09:32"
# Tết 2024 computed from the lunar calendar: 09/02-15/02 off.
expect_status 0 "$MOTCUA" due --from 2024-02-08T10:00 --days 1
expect_eq "computed Tết 2024" "$(cat "$T/out")" "2024-02-16T10:00"

# A holidays file: Tết 2025, 30/4-2/5 and the swapped Saturday 17/05.
cat >"$T/holidays.txt" <<'EOF'
# Lịch nghỉ 2025
2025-01-27 off Tết Nguyên đán
2025-01-28 off Tết Nguyên đán
2025-01-29 off Tết Nguyên đán   # mùng 1
2025-01-30 off Tết Nguyên đán
2025-01-31 off Tết Nguyên đán

2025-04-30 off Ngày Chiến thắng
2025-05-01 off Quốc tế Lao động
2025-05-02 off Nghỉ hoán đổi
2025-05-17 work Làm bù
EOF
expect_status 0 "$MOTCUA" due --from 2025-01-24T14:00 --days 2 --holidays "$T/holidays.txt"
expect_eq "Tết 2025 from file" "$(cat "$T/out")" "2025-02-04T14:00"
[ -s "$T/err" ] && fail "stderr not empty with --holidays: $(cat "$T/err")"
expect_status 0 "$MOTCUA" due --from 2025-04-29T08:15 --days 3 --holidays "$T/holidays.txt"
expect_eq "30/4-2/5 from file" "$(cat "$T/out")" "2025-05-07T08:15"
expect_status 0 "$MOTCUA" due --from 2025-05-15T09:00 --days 2 --holidays "$T/holidays.txt"
expect_eq "swapped Saturday" "$(cat "$T/out")" "2025-05-17T09:00"
# Received on Sunday, at lunch, after closing.
expect_status 0 "$MOTCUA" due --from 2025-05-18T10:00 --days 1 --holidays "$T/holidays.txt"
expect_eq "Sunday" "$(cat "$T/out")" "2025-05-20T07:00"
expect_status 0 "$MOTCUA" due --from 2025-05-19T11:45 --days 1 --holidays "$T/holidays.txt"
expect_eq "lunch" "$(cat "$T/out")" "2025-05-20T13:30"
expect_status 0 "$MOTCUA" due --from 2025-05-19T16:59 --days 1 --holidays "$T/holidays.txt"
expect_eq "16:59" "$(cat "$T/out")" "2025-05-20T16:59"
# In the day (cutoff 15:00) and working hours.
expect_status 0 "$MOTCUA" due --from 2025-05-16T15:30 --days 0 --holidays "$T/holidays.txt"
expect_eq "in the day after cutoff" "$(cat "$T/out")" "2025-05-17T17:00"
expect_status 0 "$MOTCUA" due --from 2025-05-16T15:30 --days 0 --holidays "$T/holidays.txt" --cutoff 16:00
expect_eq "in the day, cutoff 16:00" "$(cat "$T/out")" "2025-05-16T17:00"
expect_status 0 "$MOTCUA" due --from 2025-01-24T16:00 --hours 4 --holidays "$T/holidays.txt"
expect_eq "hours across Tết" "$(cat "$T/out")" "2025-02-03T10:00"
expect_status 0 "$MOTCUA" due --from 2025-05-19T12:30 --days 1 --holidays "$T/holidays.txt" \
	--office-hours 08:00-12:00,13:00-17:00
expect_eq "office hours" "$(cat "$T/out")" "2025-05-20T13:00"
# The shipped official calendar.
expect_status 0 "$MOTCUA" due --from 2026-02-13T09:00 --days 1 --holidays "$data/holidays.txt"
expect_eq "shipped Tết 2026" "$(cat "$T/out")" "2026-02-23T09:00"

# The store's calendar. An empty file is migrated into an empty store.
: >"$T/store.db"
expect_status 0 "$MOTCUA" due --db "$T/store.db" --from 2023-10-27T09:32 --days 5
expect_eq "empty store" "$(cat "$T/out")" "2023-11-03T09:32"
sqlite3 "$T/store.db" "INSERT INTO holidays VALUES ('2023-10-30', 'off', 'Nghỉ'),"\
" ('2023-11-04', 'work', 'Làm bù');"\
" INSERT INTO settings VALUES ('office_hours', '08:00-12:00,13:00-17:00'), ('cutoff', '16:00');"
expect_status 0 "$MOTCUA" due --db "$T/store.db" --from 2023-10-27T09:32 --days 5
expect_eq "store holidays" "$(cat "$T/out")" "2023-11-04T09:32"
expect_status 0 "$MOTCUA" due --db "$T/store.db" --from 2023-10-27T07:30 --days 1
expect_eq "store office hours" "$(cat "$T/out")" "2023-10-31T08:00"
expect_status 0 "$MOTCUA" due --db "$T/store.db" --from 2023-10-31T15:30 --days 0
expect_eq "store cutoff" "$(cat "$T/out")" "2023-10-31T17:00"
expect_status 0 env MOTCUA_DB="$T/store.db" "$MOTCUA" due --from 2023-10-27T09:32 --days 5
expect_eq "MOTCUA_DB" "$(cat "$T/out")" "2023-11-04T09:32"
# A broken setting in the store is a fault (1), not the user's input.
sqlite3 "$T/store.db" "UPDATE settings SET value = '17:00-08:00' WHERE key = 'office_hours'"
expect_status 1 "$MOTCUA" due --db "$T/store.db" --from 2023-10-27T09:32 --days 5
expect_grep "$T/err" "office_hours"
# Not a store at all.
echo "not a database, just text" >"$T/junk.db"
expect_status 1 "$MOTCUA" due --db "$T/junk.db" --from 2023-10-27T09:32 --days 5

# Bad input: status 2, a Vietnamese message, nothing on stdout.
bad() {
	expect_status 2 "$MOTCUA" due "$@"
	[ -s "$T/out" ] && fail "stdout not empty for: $*"
	[ -s "$T/err" ] || fail "no message for: $*"
}
bad --from 2023-10-27 --days 5
expect_grep "$T/err" "không hợp lệ"
bad --from "2023-10-27T9:32" --days 5
bad --from 2023-02-29T09:00 --days 5
expect_grep "$T/err" "2023-02-29T09:00"
bad --from 2023-10-27T24:00 --days 5
bad --from 2023-13-01T09:00 --days 5
bad --from 1999-12-31T09:00 --days 5
expect_grep "$T/err" "ngoài phạm vi"
bad --from 2023-10-27T09:32 --days -1
expect_grep "$T/err" "số ngày"
bad --from 2023-10-27T09:32 --days abc
bad --from 2023-10-27T09:32 --days 1.5
bad --from 2023-10-27T09:32 --days 99999
bad --from 2023-10-27T09:32 --hours -2
bad --from 2023-10-27T09:32
expect_grep "$T/err" "thiếu --days"
bad --days 5
expect_grep "$T/err" "thiếu --from"
bad --from 2023-10-27T09:32 --days 5 --hours 2
bad --from 2023-10-27T09:32 --days
expect_grep "$T/err" "cần một giá trị"
bad --from 2023-10-27T09:32 --days 5 --frobnicate
expect_grep "$T/err" "không hiểu tùy chọn"
bad --from 2023-10-27T09:32 --days 5 --office-hours 17:00-08:00
bad --from 2023-10-27T09:32 --days 5 --cutoff 3pm
bad --from 2023-10-27T09:32 --days 5 --holidays "$T/no-such-file.txt"
expect_grep "$T/err" "không đọc được tệp lịch nghỉ"
# A bad line in the holidays file: file:line: message, and nothing computed.
printf '2025-01-01 off Tết Dương lịch\n2025-02-30 off Sai ngày\n2025-03-03 nghỉ\n' >"$T/bad.txt"
bad --from 2025-01-24T14:00 --days 2 --holidays "$T/bad.txt"
expect_grep "$T/err" "bad.txt:2: ngày không hợp lệ «2025-02-30»"
expect_grep "$T/err" "bad.txt:3: loại ngày «nghỉ» không hợp lệ"
expect_grep "$T/err" "2 dòng sai"

# Help.
expect_status 0 "$MOTCUA" due --help
expect_grep "$T/out" "Cách dùng: motcua due"
