# SPDX-License-Identifier: GPL-3.0-or-later
# Organisations and second parties at reception: `motcua receive` with an
# organisation applying (tax code checked, representative) records it with
# its parties, prints them on the receipt and sends them in the outbox row; a
# bad tax code or a missing representative is refused with status 2 and
# nothing written; a second party (marriage registration) is recorded and
# printed; an original compared ("bản chính đối chiếu") stands for the copy a
# procedure asks for, and without the mark the same papers are refused.
dir="$T/store"
db="$dir/motcua.db"
q() { sqlite3 "$db" "$1"; }
rows() { sqlite3 "$db" "SELECT (SELECT count(*) FROM dossiers) || ' ' ||
	(SELECT count(*) FROM dossier_parties) || ' ' || (SELECT count(*) FROM events) || ' ' ||
	(SELECT count(*) FROM outbox)"; }

MOTCUA_NOW=2025-09-15T10:00 "$MOTCUA" init --db "$db" --demo >/dev/null 2>"$T/init.err" ||
	fail "init: $(cat "$T/init.err")"
export MOTCUA_NOW=2025-10-27T10:00
comps='[{"id": 5, "originals": 1}, {"id": 7, "originals": 1}, {"id": 11, "originals": 1},
	{"id": 32, "originals": 1}]'
rep='{"full_name": "Trần Thị Bình", "id_number": "001190012345", "role": "Giám đốc"}'
# org TAX-CODE [REP]: an organisation's reception in $T/in.json
org() {
	printf '{"procedure": "1.001193", "received_at": "2025-10-27T09:30",
	 "applicant": {"kind": "organisation", "name": "Công ty TNHH Hoa Sen",
	  "tax_code": "%s", "address": "12 Lý Thường Kiệt", "commune": "00004",
	  "phone": "0912 345 678"%s}, "components": %s}\n' \
		"$1" "${2:+, \"representative\": $2}" "$comps" >"$T/in.json"
}
text() { pdftotext "$dir/receipts/$1.pdf" - | tr '\n' ' '; }

# ---- an organisation ------------------------------------------------------------
org "0100109106-001" "$rep"
expect_status 0 "$MOTCUA" receive --json "$T/in.json" --db "$db"
c1=H01.00004-251027-0001
expect_eq "dossier row" "$(q "SELECT applicant_kind || '|' || applicant_name || '|' ||
	coalesce(id_number, '-') || '|' || coalesce(birth_date, '-') FROM dossiers WHERE code = '$c1'")" \
	"2|Công ty TNHH Hoa Sen|-|-"
expect_eq "parties" "$(q "SELECT group_concat(role || ':' || full_name || ':' ||
	coalesce(id_number, '') || ':' || coalesce(title, ''), ';') FROM (SELECT p.* FROM
	dossier_parties p JOIN dossiers d ON d.id = p.dossier_id WHERE d.code = '$c1' ORDER BY role)")" \
	"organisation:Công ty TNHH Hoa Sen:0100109106-001:;representative:Trần Thị Bình:001190012345:Giám đốc"
text $c1 >"$T/r1"
expect_grep "$T/r1" "Tổ chức: Công ty TNHH Hoa Sen"
expect_grep "$T/r1" "Mã số thuế: 0100109106-001"
expect_grep "$T/r1" "Người đại diện: Trần Thị Bình (Giám đốc)"
expect_grep "$T/r1" "CCCD: 001190012345"
sent=$(q "SELECT o.payload FROM outbox o JOIN dossiers d ON d.id = o.entity_id
	WHERE d.code = '$c1' AND o.op = 'receive'")
printf '%s' "$sent" >"$T/sent"
expect_grep "$T/sent" '"kind":2'
expect_grep "$T/sent" '"tax_code":"0100109106-001"'
expect_grep "$T/sent" '"representative":{"full_name":"Trần Thị Bình","id_number":"001190012345","role":"Giám đốc"}'

# ---- refused: nothing written ------------------------------------------------------
before=$(rows)
for bad in 0100109107 0100109106-000 12345 ""; do
	org "$bad" "$rep"
	expect_status 2 "$MOTCUA" receive --json "$T/in.json" --db "$db"
	expect_grep "$T/err" "ã số thuế"
done
org 0100109107 "$rep"
"$MOTCUA" receive --json "$T/in.json" --db "$db" >/dev/null 2>"$T/err2"
expect_grep "$T/err2" "Mã số thuế sai chữ số kiểm tra"
org 0100109106
expect_status 2 "$MOTCUA" receive --json "$T/in.json" --db "$db"
expect_grep "$T/err" "representative"
org 0100109106 '{"full_name": "Trần Thị Bình", "id_number": "12"}'
expect_status 2 "$MOTCUA" receive --json "$T/in.json" --db "$db"
expect_grep "$T/err" "Người đại diện: Số CCCD"
expect_eq "nothing written" "$(rows)" "$before"

# ---- a second party ----------------------------------------------------------------
cat >"$T/in.json" <<'JSON'
{"procedure": "1.000894", "received_at": "2025-10-27T09:40",
 "applicant": {"full_name": "Nguyễn Văn An", "id_number": "001090012345",
  "birth_date": "1990-05-17", "sex": "M", "commune": "00004"},
 "second_party": {"full_name": "Lê Thị Cúc", "id_number": "001192054321", "sex": "F"},
 "components": [{"id": 1, "originals": 1}, {"id": 5, "originals": 1}, {"id": 23, "originals": 1}]}
JSON
expect_status 0 "$MOTCUA" receive --json "$T/in.json" --db "$db"
c2=H01.00004-251027-0002
expect_eq "second party" "$(q "SELECT p.full_name || '|' || p.id_number || '|' || p.sex FROM
	dossier_parties p JOIN dossiers d ON d.id = p.dossier_id WHERE d.code = '$c2'
	AND p.role = 'second'")" "Lê Thị Cúc|001192054321|F"
text "$c2" >"$T/r2"
expect_grep "$T/r2" "Ông/Bà: Nguyễn Văn An"
expect_grep "$T/r2" "Bên thứ hai: Lê Thị Cúc, CCCD: 001192054321"
# a second party's CCCD that says male, for a party said female: refused
before=$(rows)
sed -i 's/001192054321/001092054321/' "$T/in.json"
expect_status 2 "$MOTCUA" receive --json "$T/in.json" --db "$db"
expect_grep "$T/err" "Bên thứ hai: Số CCCD không khớp với giới tính"
expect_eq "nothing written (second party)" "$(rows)" "$before"

# ---- an original compared for a copy ------------------------------------------------
mkcopy() {
	printf '{"procedure": "1.004746", "received_at": "2025-10-27T09:50",
	 "applicant": {"full_name": "Nguyễn Văn An", "id_number": "001090012345",
	  "birth_date": "1990-05-17", "sex": "M", "commune": "00004"},
	 "components": [{"id": 1, "originals": 1%s}, {"id": 2, "originals": 1},
	  {"id": 4, "originals": 1}, {"id": 8, "originals": 1}, {"id": 9, "originals": 1}]}\n' \
		"$1" >"$T/in.json"
}
mkcopy ""
expect_status 2 "$MOTCUA" receive --json "$T/in.json" --db "$db"
expect_grep "$T/err" "Thiếu giấy tờ bắt buộc số 1"
mkcopy ', "original_for_copy": true'
expect_status 0 "$MOTCUA" receive --json "$T/in.json" --db "$db"
c3=H01.00004-251027-0003
expect_eq "no paper missing" "$(q "SELECT count(*) FROM dossier_components c JOIN dossiers d
	ON d.id = c.dossier_id WHERE d.code = '$c3' AND c.override_reason IS NOT NULL")" 0
mkcopy ', "original_for_copy": 1'
expect_status 2 "$MOTCUA" receive --json "$T/in.json" --db "$db"
expect_grep "$T/err" "original_for_copy phải là true hoặc false"
