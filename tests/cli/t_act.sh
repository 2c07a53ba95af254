# SPDX-License-Identifier: GPL-3.0-or-later
# motcua act: every action from the CLI on the demo store, the JSON printed,
# the rows written; every refusal (forbidden now, bad input) with status 2
# and the store unchanged; a store locked by another instance with status 1.
# Office hours 07:00-11:30 and 13:30-17:00; the clock is MOTCUA_NOW.
dir="$T/store"
db="$dir/motcua.db"
q() { sqlite3 "$db" "$1"; }
rows() { sqlite3 "$db" "SELECT (SELECT count(*) FROM events) || ' ' ||
	(SELECT count(*) FROM outbox) || ' ' || (SELECT group_concat(status || rev || appointment ||
	coalesce(handling_unit, '') || coalesce(finished_at, ''), ',') FROM dossiers)"; }
# act NOW ARGS...: motcua act at NOW on the store
act() { now=$1; shift; MOTCUA_NOW=$now expect_status "${WANT:-0}" "$MOTCUA" act --db "$db" "$@"; }
# refused NOW MESSAGE ARGS...: status 2, the message on stderr, nothing changed
refused() {
	now=$1 msg=$2; shift 2
	before=$(rows)
	WANT=2 act "$now" "$@"
	expect_grep "$T/err" "$msg"
	[ -s "$T/out" ] && fail "refused $*: stdout $(cat "$T/out")"
	expect_eq "rows after refused $*" "$(rows)" "$before"
}
out_is() { expect_eq "output of act" "$(cat "$T/out")" "$1"; }
receive() { # receive AT: the issue's birth registration received at AT
	sed "s/@AT@/$1/" "$T/in.json" >"$T/in1.json"
	MOTCUA_NOW=$1 "$MOTCUA" receive --json "$T/in1.json" --db "$db" >"$T/rcv" 2>"$T/rcv.err" ||
		fail "receive: $(cat "$T/rcv.err")"
	sed -n 's/^{"code":"\([^"]*\)".*/\1/p' "$T/rcv"
}

demo_init
reception_json "$T/in.json" "@AT@" "Nguyễn Văn An" 001090012345 1990-05-17 M

# ---- A: transfer, supplement across a weekend, result, return, rating -------
a=$(receive 2025-10-24T09:32) # Friday; due Monday 27/10 09:32
expect_eq "code A" "$a" H01.00004-251024-0001
act 2025-10-24T10:30 "$a" transfer --to 00008 --reason "Chuyển công chức tư pháp - hộ tịch"
out_is "{\"code\":\"$a\",\"status\":4,\"status_name\":\"Đang xử lý\",\"appointment\":\"2025-10-27T09:32\"}"
expect_eq "handling unit" "$(q "SELECT handling_unit FROM dossiers WHERE code = '$a'")" 00008
act 2025-10-24T15:00 "$(echo "$a" | tr 'A-Z' 'a-z')" request-supplement \
	--papers "Giấy chứng sinh (bản chính); Tờ khai có chữ ký" --reason "Giấy chứng sinh là bản chụp"
out_is "{\"code\":\"$a\",\"status\":5,\"status_name\":\"Chờ bổ sung\",\"appointment\":\"2025-10-27T09:32\"}"
# Paused Fri 15:00 to Tue 09:00: 120 + 480 + 120 = 720 working minutes; Mon
# 09:32 + 720 = 118 + 210 (Mon) + 270 + 122 (Tue) -> Tue 28/10 15:32.
act 2025-10-28T09:00 "$a" supplement-received
out_is "{\"code\":\"$a\",\"status\":4,\"status_name\":\"Đang xử lý\",\"appointment\":\"2025-10-28T15:32\"}"
expect_eq "paused minutes" "$(q "SELECT json_extract(payload, '\$.paused_minutes') FROM events
	WHERE kind = 'supplement-received'")" 720
# The apology came too late (the last day was Monday 27/10); no result to return yet.
refused 2025-10-28T09:05 "Đã quá thời hạn xin lỗi, hẹn lại: phải thực hiện chậm nhất 1 ngày làm việc trước ngày hẹn trả 28/10/2025, tức là đến hết ngày 27/10/2025" \
	"$a" apologize --days 1 --reason "Chờ xác minh"
refused 2025-10-28T09:05 "Không thể trả kết quả khi hồ sơ chưa có kết quả (trạng thái hiện tại: Đang xử lý)" \
	"$a" return
refused 2025-10-28T09:05 "Chỉ đánh giá được hồ sơ đã trả kết quả" "$a" rate --rating 1
printf '%%PDF-1.4 kết quả\n' >"$T/ket-qua.pdf"
act 2025-10-28T14:00 "$a" result-ready --result-code "Số 123/2025/GKS" --file "$T/ket-qua.pdf"
out_is "{\"code\":\"$a\",\"status\":9,\"status_name\":\"Đã có kết quả\",\"appointment\":\"2025-10-28T15:32\"}"
expect_eq "result file" "$(q "SELECT json_extract(payload, '\$.file.name') || ' ' ||
	json_extract(payload, '\$.file.sha256') || ' ' || json_extract(payload, '\$.on_time')
	FROM events WHERE kind = 'result-ready' AND dossier_id = (SELECT id FROM dossiers
	WHERE code = '$a')")" \
	"ket-qua.pdf $(sha256sum "$T/ket-qua.pdf" | cut -c1-64) 1"
act 2025-10-28T15:00 "$a" return --method post --recipient "Trần Thị Bình"
out_is "{\"code\":\"$a\",\"status\":10,\"status_name\":\"Đã trả kết quả\",\"appointment\":\"2025-10-28T15:32\"}"
expect_eq "finished" "$(q "SELECT finished_at FROM dossiers WHERE code = '$a'")" 2025-10-28T14:00
act 2025-10-28T15:01 "$a" rate --rating 1 --comment "Nhanh, chu đáo"
out_is "{\"code\":\"$a\",\"status\":10,\"status_name\":\"Đã trả kết quả\",\"appointment\":\"2025-10-28T15:32\"}"
refused 2025-10-28T15:02 "đã được đánh giá (Rất hài lòng): mỗi hồ sơ chỉ đánh giá một lần" \
	"$a" rate --rating 2
# The events and outbox rows of A: one each per action, in order.
id=$(q "SELECT id FROM dossiers WHERE code = '$a'")
expect_eq "events of A" "$(q "SELECT group_concat(kind || ':' || status_from || '>' || status_to, ' ')
	FROM (SELECT * FROM events WHERE dossier_id = '$id' ORDER BY rowid)")" \
	"receive:1>2 transfer:2>4 request-supplement:4>5 supplement-received:5>4 result-ready:4>9 return:9>10 rate:10>10"
expect_eq "outbox of A" "$(q "SELECT group_concat(op || ':' || base_rev, ' ')
	FROM (SELECT * FROM outbox WHERE entity_id = '$id' ORDER BY rowid)")" \
	"receive:0 transfer:1 request-supplement:2 supplement-received:3 result-ready:4 return:5 rate:6"
expect_eq "outbox hashes" "$(q "SELECT count(*) FROM outbox WHERE entity_id = '$id'
	AND length(payload_hash) = 64")" 7
# Each payload's hash is the SHA-256 of its text, as the server checks it.
q "SELECT payload_hash || ' ' || hex(payload) FROM outbox WHERE entity_id = '$id' AND op = 'rate'" \
	>"$T/rate.hex"
hash=$(cut -d' ' -f1 "$T/rate.hex")
text_hash=$(cut -d' ' -f2 "$T/rate.hex" | xxd -r -p | sha256sum | cut -c1-64)
expect_eq "rate payload hash" "$hash" "$text_hash"
expect_eq "rate payload" "$(q "SELECT json_extract(payload, '\$.event.payload.rating_name') || '|' ||
	json_extract(payload, '\$.event.payload.comment') || '|' || json_extract(payload, '\$.rev')
	FROM outbox WHERE entity_id = '$id' AND op = 'rate'")" "Rất hài lòng|Nhanh, chu đáo|7"

# ---- B: an apology in time, once; then withdrawn ------------------------------
b=$(receive 2025-10-28T08:00) # Tuesday; due Wednesday 29/10 08:00
act 2025-10-28T10:00 "$b" apologize --days 2 --reason "Chờ kết quả xác minh nơi cư trú"
out_is "{\"code\":\"$b\",\"status\":2,\"status_name\":\"Đã tiếp nhận\",\"appointment\":\"2025-10-31T08:00\"}"
refused 2025-10-28T10:05 "đã được xin lỗi, hẹn lại một lần (lúc 10:00 28/10/2025): không được hẹn lại lần nữa" \
	"$b" apologize --date 2025-11-05 --reason "Lần nữa"
act 2025-10-28T10:10 "$b" withdraw --reason "Công dân xin rút hồ sơ"
out_is "{\"code\":\"$b\",\"status\":7,\"status_name\":\"Đã rút theo yêu cầu của người nộp\",\"appointment\":\"2025-10-31T08:00\"}"
refused 2025-10-28T10:15 "Hồ sơ đã kết thúc (Đã rút theo yêu cầu của người nộp), không thể thực hiện «Dừng xử lý»" \
	"$b" stop --reason "x"

# ---- C: stopped; D: refused while still new ----------------------------------
c=$(receive 2025-10-28T08:10)
act 2025-10-28T11:00 "$c" stop --reason "Người yêu cầu không đủ điều kiện"
out_is "{\"code\":\"$c\",\"status\":8,\"status_name\":\"Dừng xử lý\",\"appointment\":\"2025-10-29T08:10\"}"
d=$(receive 2025-10-28T08:20)
refused 2025-10-28T11:00 "Không thể từ chối tiếp nhận hồ sơ đã được tiếp nhận" "$d" refuse --reason "x"
q "UPDATE dossiers SET status = 1 WHERE code = '$d'"
act 2025-10-28T11:00 "$d" refuse --reason "Không thuộc thẩm quyền; Hồ sơ không hợp lệ"
out_is "{\"code\":\"$d\",\"status\":3,\"status_name\":\"Không được tiếp nhận\",\"appointment\":\"2025-10-29T08:20\"}"
expect_eq "reasons" "$(q "SELECT json_extract(payload, '\$.reasons[1]') FROM events WHERE kind = 'refuse'")" \
	"Hồ sơ không hợp lệ"

# ---- bad input: status 2, nothing written -------------------------------------
e=$(receive 2025-10-28T08:30)
refused 2025-10-28T11:00 "thiếu thao tác: một trong transfer, request-supplement, supplement-received, refuse, apologize, result-ready, return, withdraw, stop, rate" "$e"
refused 2025-10-28T11:00 "thiếu mã hồ sơ" --reason x
refused 2025-10-28T11:00 "thao tác không hợp lệ «approve»" "$e" approve
refused 2025-10-28T11:00 "thao tác không hợp lệ «receive»" "$e" receive
refused 2025-10-28T11:00 "thao tác không hợp lệ «paid»" "$e" paid
refused 2025-10-28T11:00 "--rating cần một số nguyên từ 1 đến 3 (gặp «5»)" "$e" rate --rating 5
refused 2025-10-28T11:00 "--days cần một số nguyên từ 1 đến 365 (gặp «hai»)" "$e" apologize --days hai --reason x
refused 2025-10-28T11:00 "tùy chọn không hợp lệ cho act: --unit" "$e" transfer --unit 00008
refused 2025-10-28T11:00 "tùy chọn --reason được cho hai lần" "$e" stop --reason a --reason b
refused 2025-10-28T11:00 "tùy chọn --rating được cho hai lần" "$e" rate --rating 1 --rating=2
refused 2025-10-28T11:00 "Không có đơn vị hoặc xã, phường mã «đơn vị rất dài không…» trong danh mục" "$e" transfer --to "đơn vị rất dài không có thật"
refused 2025-10-28T11:00 "thừa tham số «now»" "$e" stop now --reason a
refused 2025-10-28T11:00 "tùy chọn --to cần một giá trị" "$e" transfer --to
refused 2025-10-28T11:00 "Thao tác «Dừng xử lý» không dùng đơn vị nhận hồ sơ (--to)" "$e" stop --reason a --to 00008
refused 2025-10-28T11:00 "Lý do: thao tác «Rút hồ sơ» cần lý do (--reason)" "$e" withdraw
refused 2025-10-28T11:00 "Không có đơn vị hoặc xã, phường mã «77777» trong danh mục" "$e" transfer --to=77777
refused 2025-10-28T11:00 "Không có hồ sơ mã «H01.00004-251028-9999»" H01.00004-251028-9999 stop --reason a
refused 2025-10-28T11:00 "Không có cán bộ «khach»" "$e" stop --reason a --user khach
refused 2025-10-28T11:00 "Hình thức trả kết quả «tay» không hợp lệ" "$e" return --method tay
refused "hôm nay" "MOTCUA_NOW «hôm nay» không hợp lệ" "$e" stop --reason a
MOTCUA_NOW=2025-10-28T11:00 expect_status 0 "$MOTCUA" act --help
expect_grep "$T/out" "Cách dùng: motcua act MÃ_HỒ_SƠ THAO_TÁC"

# ---- a store held by another instance: status 1, nothing written ------------------
before=$(rows)
MOTCUA_NOW=2025-10-28T11:00 flock "$db.lock" "$MOTCUA" act "$e" stop --reason a --db "$db" \
	>"$T/out" 2>"$T/err"
expect_eq "locked: status" "$?" 1
expect_grep "$T/err" "đang được một phiên motcua khác sử dụng"
expect_eq "locked: rows" "$(rows)" "$before"
