# SPDX-License-Identifier: GPL-3.0-or-later
# motcua search: JSON lines for dossiers found by name (without diacritics),
# code or ID number; bad input refused with status 2.
#
# The store: every command opens an existing file through store_open, which
# migrates it to the current schema, so the first search on an empty file
# makes it a store (and finds nothing). The dossiers are then written with
# the sqlite3 shell, applicant_fold folded by hand as mc_text_fold would
# (the FTS triggers of the schema index them). No `motcua init` is needed.
db="$T/s.db"
: > "$db"
expect_status 0 "$MOTCUA" search nguyen --db "$db"
expect_eq "search on a new store" "$(cat "$T/out")" ""
sqlite3 "$db" "
INSERT INTO dossiers(id, code, procedure_code, procedure_name, unit_code, clerk, status,
  received_at, appointment, applicant_name, applicant_fold, id_number, updated_at) VALUES
 ('d1', 'H01.00004-251120-0001', '1.001193', 'Thủ tục đăng ký khai sinh', '00004', 'cb', 10,
  '2025-11-20T08:00', '2025-11-21T16:00', 'Nguyễn Văn An', 'nguyen van an', '001090000001', 'x'),
 ('d2', 'H01.00004-251121-0001', '1.000894', 'Thủ tục đăng ký kết hôn', '00004', 'cb', 2,
  '2025-11-21T09:00', '2025-11-26T16:00', 'Đặng Thị Đào', 'dang thi dao', '001190000002', 'x'),
 ('d3', 'H01.00004-251124-0001', '1.001193', 'Thủ tục đăng ký khai sinh', '00004', 'cb', 4,
  '2025-11-24T10:00', '2025-11-27T16:00', 'Trần Đức Anh', 'tran duc anh', '036080000003', 'x'),
 ('d4', 'H01.00004-251125-0001', '1.001193', 'Thủ tục đăng ký khai sinh', '00004', 'cb', 5,
  '2025-11-25T08:30', '2025-11-28T16:00', 'Nguyễn Thị Ánh', 'nguyen thi anh', NULL, 'x');
" || fail "sqlite3 could not fill the store"

codes() { sed 's/^{"code":"\([^"]*\)".*/\1/' "$T/out" | tr '\n' ' '; }

# by name, with or without diacritics; newest received first
expect_status 0 "$MOTCUA" search nguyen --db "$db"
expect_eq "nguyen" "$(codes)" "H01.00004-251125-0001 H01.00004-251120-0001 "
expect_status 0 "$MOTCUA" search "Nguyễn Văn" --db "$db"
expect_eq "Nguyễn Văn" "$(codes)" "H01.00004-251120-0001 "
expect_status 0 "$MOTCUA" search nguyen van an --db "$db"
expect_eq "words as arguments" "$(codes)" "H01.00004-251120-0001 "
expect_status 0 "$MOTCUA" search dang thi dao --db "$db"
expect_eq "đ -> d" "$(codes)" "H01.00004-251121-0001 "
# one line, compact, UTF-8 as is
expect_eq "JSON line" "$(cat "$T/out")" \
'{"code":"H01.00004-251121-0001","applicant":"Đặng Thị Đào","id_number":"001190000002","procedure":"1.000894","procedure_name":"Thủ tục đăng ký kết hôn","status":2,"received_at":"2025-11-21T09:00","appointment":"2025-11-26T16:00"}'
expect_status 0 "$MOTCUA" search ĐÀO --db "$db"
expect_eq "ĐÀO" "$(codes)" "H01.00004-251121-0001 "
expect_status 0 "$MOTCUA" search "ng th a" --db "$db"
expect_eq "prefixes" "$(codes)" "H01.00004-251125-0001 "
expect_status 0 "$MOTCUA" search anh --db "$db"
expect_grep "$T/out" '"id_number":null'

# by code, whole or from the date on, any case; by ID number
expect_status 0 "$MOTCUA" search h01.00004-251124-0001 --db "$db"
expect_eq "code" "$(codes)" "H01.00004-251124-0001 "
expect_status 0 "$MOTCUA" search 251121-0001 --db "$db"
expect_eq "code tail" "$(codes)" "H01.00004-251121-0001 "
expect_status 0 "$MOTCUA" search H01.00004-2511 --db "$db"
expect_eq "code prefix" "$(codes)" "H01.00004-251125-0001 H01.00004-251124-0001 H01.00004-251121-0001 H01.00004-251120-0001 "
expect_status 0 "$MOTCUA" search 036080000003 --db "$db"
expect_eq "ID" "$(codes)" "H01.00004-251124-0001 "
expect_status 0 "$MOTCUA" search 0010900 --db "$db"
expect_eq "7 digits are no ID" "$(codes)" ""

# --status and --limit, in either form and place
expect_status 0 "$MOTCUA" search --status 5 nguyen --db "$db"
expect_eq "status" "$(codes)" "H01.00004-251125-0001 "
expect_status 0 "$MOTCUA" search nguyen --status=2,4,10 --db="$db"
expect_eq "statuses" "$(codes)" "H01.00004-251120-0001 "
expect_status 0 "$MOTCUA" search H01.00004 --limit 2 --db "$db"
expect_eq "limit" "$(codes)" "H01.00004-251125-0001 H01.00004-251124-0001 "
expect_status 0 env MOTCUA_DB="$db" "$MOTCUA" search tran
expect_eq "MOTCUA_DB" "$(codes)" "H01.00004-251124-0001 "

# no match: nothing, status 0
expect_status 0 "$MOTCUA" search "nguyen thi dao" --db "$db"
expect_eq "no match" "$(cat "$T/out")" ""
# search syntax and SQL are just text
for q in 'nguyen" OR "*' 'nguyen*' '(nguyen' 'NEAR(nguyen van)' "x' OR 1=1 --" \
	'nguyen AND' "'; DROP TABLE dossiers; --"; do
	"$MOTCUA" search "$q" --db "$db" >"$T/out" 2>"$T/err"
	st=$?
	[ "$st" = 0 ] || fail "search [$q]: exit $st: $(cat "$T/err")"
done
expect_status 0 "$MOTCUA" search 'nguyen"*' --db "$db"
expect_eq "quote and star ignored" "$(codes)" "H01.00004-251125-0001 H01.00004-251120-0001 "
expect_eq "store intact" "$(sqlite3 "$db" 'SELECT count(*) FROM dossiers')" 4

# a store of schema 1 (before the search indexes) is upgraded on opening,
# its names indexed again
old="$T/old.db"
sqlite3 "$db" ".backup '$old'" || fail "sqlite3 .backup"
sqlite3 "$old" "DROP TRIGGER indicator_dossiers_ai; DROP TRIGGER indicator_dossiers_bd;
DROP TRIGGER indicator_dossiers_bu; DROP TRIGGER indicator_dossiers_au;
DROP TRIGGER indicator_components_bi; DROP TRIGGER indicator_components_ai;
DROP TRIGGER indicator_components_bd; DROP TRIGGER indicator_components_ad;
DROP TRIGGER indicator_components_bu; DROP TRIGGER indicator_components_au;
DROP TRIGGER indicator_events_ai; DROP TRIGGER indicator_events_ad;
DROP TRIGGER indicator_events_bu; DROP TRIGGER indicator_events_au;
DROP TABLE indicator_counts; DROP INDEX dossiers_unit_status_clerk;
DROP INDEX dossiers_code_tail; DROP INDEX dossiers_status_received;
DROP INDEX dossiers_unit_status; DROP TABLE dossier_fts;
CREATE VIRTUAL TABLE dossier_fts USING fts5(applicant_fold, content='dossiers',
  content_rowid='rowid', prefix='1 2 3');
INSERT INTO dossier_fts(dossier_fts) VALUES ('rebuild');
DROP TRIGGER dossier_status_counts_ai; DROP TRIGGER dossier_status_counts_ad;
DROP TRIGGER dossier_status_counts_au; DROP TABLE dossier_status_counts;
DROP TABLE sync_state; DROP TABLE sync_leases; DROP TABLE code_fallback; DROP TABLE code_review;
DROP INDEX outbox_entity; DROP INDEX outbox_done; ALTER TABLE outbox DROP COLUMN error_code;
ALTER TABLE outbox DROP COLUMN server_rev; ALTER TABLE outbox DROP COLUMN done_seq;
ALTER TABLE outbox DROP COLUMN answered_at;
DROP INDEX dossier_components_document; ALTER TABLE dossier_components DROP COLUMN document_id;
ALTER TABLE dossier_components DROP COLUMN reused; ALTER TABLE dossiers DROP COLUMN result_document_id;
DROP TABLE document_fts; DROP TABLE documents; PRAGMA user_version = 1;" ||
	fail "could not make a schema 1 store"
# a command that only reads (queue) upgrades a writable old store first
cp "$old" "$T/old-ro.db"
expect_status 0 "$MOTCUA" queue overdue --db "$T/old-ro.db"
expect_eq "read-only command upgraded" "$(sqlite3 "$T/old-ro.db" 'PRAGMA user_version')" \
	"$(sqlite3 "$db" 'PRAGMA user_version')"
# ... and refuses, saying why, when the file cannot be written
cp "$old" "$T/old-locked.db"; chmod a-w "$T/old-locked.db"
if [ "$(id -u)" != 0 ]; then
	expect_status 1 "$MOTCUA" queue overdue --db "$T/old-locked.db"
	expect_grep "$T/err" "chỉ đọc"
fi
expect_status 0 "$MOTCUA" search nguyen --db "$old"
expect_eq "upgraded store" "$(codes)" "H01.00004-251125-0001 H01.00004-251120-0001 "
expect_eq "schema" "$(sqlite3 "$old" 'PRAGMA user_version')" "$(sqlite3 "$db" 'PRAGMA user_version')"
expect_grep "$T/out" "Nguyễn Thị Ánh"
sqlite3 "$old" "SELECT sql FROM sqlite_master WHERE name = 'dossier_fts'" >"$T/fts"
expect_grep "$T/fts" "prefix='1 2 3 4 5 6'"
expect_status 0 "$MOTCUA" search 251124-0001 --db "$old"
expect_eq "upgraded store, code tail" "$(codes)" "H01.00004-251124-0001 "

# bad input: a Vietnamese message, status 2, nothing on stdout
for args in "" "   " '"' '*' "nguyen --limit 0" "nguyen --limit abc" "nguyen --limit 1001" \
	"nguyen --limit" "nguyen --status 0" "nguyen --status 11" "nguyen --status x" \
	"nguyen --status 2,,x" "nguyen --bogus"; do
	# shellcheck disable=SC2086
	set -f; "$MOTCUA" search $args --db "$db" >"$T/out" 2>"$T/err"; st=$?; set +f
	[ "$st" = 2 ] || fail "search [$args]: exit $st (want 2)"
	[ -s "$T/out" ] && fail "search [$args]: printed $(cat "$T/out")"
	grep -q '^motcua: ' "$T/err" || fail "search [$args]: no message"
done
expect_status 2 "$MOTCUA" search
expect_grep "$T/err" "thiếu nội dung tìm kiếm"
expect_status 2 "$MOTCUA" search nguyen --limit 0 --db "$db"
expect_grep "$T/err" "tùy chọn --limit cần một số từ 1 đến 1000"
expect_status 2 "$MOTCUA" search nguyen --status 12 --db "$db"
expect_grep "$T/err" "mã trạng thái từ 1 đến 10"
expect_status 2 "$MOTCUA" search nguyen --db "$T/none.db"
expect_grep "$T/err" "chưa có kho dữ liệu"
[ -e "$T/none.db" ] && fail "a missing store was created"
