# SPDX-License-Identifier: GPL-3.0-or-later
# motcua indicators and motcua queue: JSON on a small hand-filled store;
# bad input refused with status 2 and nothing changed.
db="$T/i.db"
: > "$db"
expect_status 0 "$MOTCUA" search x --db "$db"   # makes the empty file a store
sqlite3 "$db" "
INSERT INTO dossiers(id, code, procedure_code, procedure_name, unit_code, clerk, channel, status,
  received_at, appointment, applicant_name, applicant_fold, updated_at, result_document_id) VALUES
 ('d1', 'H01.00004-251002-0001', 'p', 'P', '00004', 'a', 2, 10, '2025-10-02T08:00',
  '2025-10-06T16:00', 'Nguyễn Văn An', 'nguyen van an', 'x', 'r1'),
 ('d2', 'H01.00004-251003-0001', 'p', 'P', '00004', 'b', 1, 9, '2025-10-03T08:00',
  '2025-10-08T16:00', 'Lê Thị Hoa', 'le thi hoa', 'x', NULL),
 ('d3', 'H01.00004-251124-0001', 'p', 'P', '00004', 'a', 1, 4, '2025-11-24T08:00',
  '2025-11-26T16:00', 'Trần Văn Bình', 'tran van binh', 'x', NULL),
 ('d4', 'H01.00004-251125-0001', 'p', 'P', '00004', 'a', 1, 4, '2025-11-25T08:00',
  '2025-11-28T16:00', 'Phạm Thị Mai', 'pham thi mai', 'x', NULL),
 ('d5', 'H01.00004-251126-0001', 'p', 'P', '00004', 'a', 1, 5, '2025-11-26T08:00',
  '2025-11-20T16:00', 'Đỗ Văn Cường', 'do van cuong', 'x', NULL);
INSERT INTO dossier_components(dossier_id, seq, name, kind, mandatory, originals_required,
  copies_required, originals, copies, document_id, reused) VALUES
 ('d1', 1, 'c', 'submit', 1, 1, 0, 1, 0, 'doc1', 1);
INSERT INTO events(id, dossier_id, kind, actor, unit_code, device_time, payload) VALUES
 ('e1', 'd1', 'result-ready', 'a', '00004', '2025-10-06T10:00', NULL),
 ('e2', 'd2', 'result-ready', 'b', '00004', '2025-10-09T08:00', NULL),
 ('e3', 'd1', 'rate', 'a', '00004', '2025-10-07T08:00', '{\"rating\":2}');
" || fail "sqlite3 could not fill the store"

expect_status 0 "$MOTCUA" indicators --from 2025-10-01 --to 2025-10-31 --unit 00004 --db "$db"
expect_eq "indicators October" "$(cat "$T/out")" \
'{"from":"2025-10-01","to":"2025-10-31","unit":"00004","clerk":null,"indicators":[{"id":"on_time","name":"Giải quyết đúng hạn","numerator":1,"denominator":2,"percent":50.0},{"id":"online","name":"Tiếp nhận trực tuyến","numerator":1,"denominator":2,"percent":50.0},{"id":"digitized","name":"Số hóa hồ sơ và kết quả","numerator":1,"denominator":2,"percent":50.0},{"id":"reused","name":"Tái sử dụng giấy tờ đã số hóa","numerator":1,"denominator":2,"percent":50.0},{"id":"transferred","name":"Luân chuyển điện tử","numerator":0,"denominator":2,"percent":0.0},{"id":"satisfaction","name":"Mức độ hài lòng","numerator":1,"denominator":1,"percent":100.0}]}'
expect_status 0 "$MOTCUA" indicators --from=2025-10-01 --to=2025-10-31 --clerk b --db "$db"
expect_grep "$T/out" '"clerk":"b","indicators":\[{"id":"on_time","name":"Giải quyết đúng hạn","numerator":0,"denominator":1,"percent":0.0}'
expect_status 0 "$MOTCUA" indicators --from 2025-12-01 --to 2025-12-31 --db "$db"
expect_grep "$T/out" '"numerator":0,"denominator":0,"percent":null'

before=$(sqlite3 "$db" "SELECT count(*) FROM dossiers")
expect_status 2 "$MOTCUA" indicators --to 2025-10-31 --db "$db"
expect_grep "$T/err" "cần --from"
expect_status 2 "$MOTCUA" indicators --from 2025-10-32 --to 2025-10-31 --db "$db"
expect_grep "$T/err" "không hợp lệ"
expect_status 2 "$MOTCUA" indicators --from 2025-11-01 --to 2025-10-31 --db "$db"
expect_grep "$T/err" "sau ngày kết thúc"
expect_status 2 "$MOTCUA" indicators --from 2025-10-01 --to 2025-10-31 --unit "x'y" --db "$db"
expect_grep "$T/err" "mã đơn vị"
expect_status 2 "$MOTCUA" indicators --from 2025-10-01 --to 2025-10-31 --clerk --db "$db"
expect_status 2 "$MOTCUA" indicators --from 2025-10-01 --to 2025-10-31 --bogus --db "$db"
expect_status 2 "$MOTCUA" indicators --from 2025-10-01 --to 2025-10-31 --db "$T/missing.db"
[ -e "$T/missing.db" ] && fail "a missing store was created"
expect_eq "nothing changed" "$(sqlite3 "$db" "SELECT count(*) FROM dossiers")" "$before"

# Queues at Thu 2025-11-27 10:00: d5 waits (status 5, never overdue);
# d3 is overdue; d4 is due on Fri 28/11, within 2 working days.
export MOTCUA_NOW=2025-11-27T10:00
codes() { sed 's/^{"code":"\([^"]*\)".*/\1/' "$T/out" | tr '\n' ' '; }
expect_status 0 "$MOTCUA" queue overdue --db "$db"
expect_eq "overdue" "$(codes)" "H01.00004-251124-0001 "
expect_status 0 "$MOTCUA" queue due-today --db "$db"
expect_eq "due today" "$(codes)" ""
expect_status 0 "$MOTCUA" queue due-soon --db "$db"
expect_eq "due soon" "$(codes)" "H01.00004-251125-0001 "
expect_status 0 "$MOTCUA" queue waiting --db "$db"
expect_eq "waiting" "$(codes)" "H01.00004-251126-0001 "
expect_status 0 "$MOTCUA" queue ready --unit 00004 --db "$db"
expect_eq "ready" "$(codes)" "H01.00004-251003-0001 "
expect_grep "$T/out" '"status":9,"received_at":"2025-10-03T08:00"'
expect_status 0 "$MOTCUA" queue ready --unit 00008 --db "$db"
expect_eq "ready elsewhere" "$(codes)" ""
expect_status 2 "$MOTCUA" queue --db "$db"
expect_grep "$T/err" "cần tên hàng đợi"
expect_status 2 "$MOTCUA" queue late --db "$db"
expect_grep "$T/err" "không có hàng đợi «late»"
expect_status 2 "$MOTCUA" queue overdue ready --db "$db"
expect_status 2 "$MOTCUA" queue overdue --db
expect_status 2 "$MOTCUA" queue overdue --unit "a b" --db "$db"
unset MOTCUA_NOW
