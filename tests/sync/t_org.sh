# SPDX-License-Identifier: GPL-3.0-or-later
# An organisation applying and a second party reach the server: a real
# workstation receives both and syncs; the server stores the tax code, the
# representative and the second party in the dossier, another workstation of
# the unit gets them down the feed. A push whose tax code is wrong (or an
# organisation without representative) is rejected bad_tax_code with nothing
# stored. (Helpers c_* are tests/sync/t_client_sync.sh's.)

# org_receive DB FILE: one reception from FILE; its code on stdout
org_receive() {
	MOTCUA_NOW=$C_NOW "$MOTCUA" receive --json "$2" --db "$1" --user cl_a \
		>"$W/c/org.out" 2>"$W/c/org.err" || { fail "receive: $(cat "$W/c/org.err")"; return 1; }
	sed 's/^{"code":"\([^"]*\)".*/\1/' "$W/c/org.out"
}

t_org_reaches_server() {
	c_setup || return
	db=$(c_store org)
	c_login "$db" cl_a || { fail "login: $(cat "$W/c/err")"; return; }
	c_sync "$db" || { fail "first sync: $(cat "$W/c/err")"; return; }
	cat >"$W/c/org.json" <<'JSON'
{"procedure": "1.001193", "received_at": "2025-10-27T09:34",
 "applicant": {"kind": "organisation", "name": "Công ty TNHH Hoa Sen", "tax_code": "0100109106",
  "commune": "00004", "representative": {"full_name": "Trần Thị Bình",
  "id_number": "001190012345", "role": "Giám đốc"}},
 "components": [{"id": 5, "originals": 1}, {"id": 7, "originals": 1},
  {"id": 11, "originals": 1}, {"id": 32, "originals": 1}]}
JSON
	cat >"$W/c/two.json" <<'JSON'
{"procedure": "1.000894", "received_at": "2025-10-27T09:36",
 "applicant": {"full_name": "Nguyễn Văn An", "id_number": "001090012345",
  "birth_date": "1990-05-17", "sex": "M", "commune": "00004"},
 "second_party": {"full_name": "Lê Thị Cúc", "id_number": "001192054321", "sex": "F"},
 "components": [{"id": 1, "originals": 1}, {"id": 5, "originals": 1}, {"id": 23, "originals": 1}]}
JSON
	c1=$(org_receive "$db" "$W/c/org.json") || return
	c2=$(org_receive "$db" "$W/c/two.json") || return
	c_sync "$db" || fail "sync: $(cat "$W/c/err")"
	expect_eq "pushed" "$(sum pushed)" 2
	expect_eq "errors" "$(sum errors.#)" 0
	expect_eq "organisation stored" "$(csql "SELECT concat_ws('|', data->'applicant'->>'kind',
		data->'applicant'->>'full_name', data->'applicant'->>'tax_code',
		data->'applicant'->'representative'->>'full_name',
		data->'applicant'->'representative'->>'role') FROM dossiers WHERE code = '$c1'")" \
		"2|Công ty TNHH Hoa Sen|0100109106|Trần Thị Bình|Giám đốc"
	expect_eq "second party stored" "$(csql "SELECT concat_ws('|', data->'second_party'->>'full_name',
		data->'second_party'->>'id_number') FROM dossiers WHERE code = '$c2'")" \
		"Lê Thị Cúc|001192054321"

	# another workstation of the unit gets the parties down the feed
	db2=$(c_store org2)
	c_login "$db2" cl_a2 || { fail "login 2: $(cat "$W/c/err")"; return; }
	c_sync "$db2" || fail "sync 2: $(cat "$W/c/err")"
	expect_eq "parties down the feed" "$(lq "$db2" "SELECT group_concat(s, ' ') FROM (SELECT
		p.role || ':' || coalesce(p.id_number, '') s FROM dossier_parties p JOIN dossiers d
		ON d.id = p.dossier_id WHERE d.code IN ('$c1', '$c2') ORDER BY d.code, p.role)")" \
		"organisation:0100109106 representative:001190012345 second:001192054321"
	expect_eq "kind down the feed" "$(lq "$db2" "SELECT applicant_kind FROM dossiers WHERE code = '$c1'")" 2
}

# org_push APPLICANT-PREFIX N: a synthetic reception whose applicant starts
# with those members, pushed; the answer in $W/body
org_push() {
	"$SYNCTOOL" batch device=dev-a unit=00004 ident=H01.00004 count=1 start="$2" prefix=org \
		day=251216 >"$W/org.batch"
	grep -q '"applicant":{' "$W/org.batch" || { fail "no applicant in the synthetic payload"; return 1; }
	sed "s/\"applicant\":{/\"applicant\":{$1/" "$W/org.batch" >"$W/org.in"
	"$SYNCTOOL" get ops.0.payload <"$W/org.in" >"$W/org.payload"
	hash=$("$SYNCTOOL" hash <"$W/org.payload")
	sed "s/\"payload_hash\":\"[0-9a-f]*\"/\"payload_hash\":\"$hash\"/" "$W/org.in" >"$W/org.push"
	st=$(api POST "$URL_s1/api/v1/sync/push" "$W/org.push" "$TOK_A")
	expect_eq "push" "$st" 200
}

t_org_rejected() {
	rep='"representative":{"full_name":"Trần Thị Bình","id_number":"001190012345"},'
	n=0
	for tc in '"tax_code":"0100109107",' '"tax_code":"0100109106-000",' '"tax_code":"12345",' \
		'"tax_code":"0100109106",'; do
		n=$((n+1))
		# the last has no representative
		case $n in 4) pre=$tc ;; *) pre=$tc$rep ;; esac
		org_push "$pre" "$n" || return
		expect_eq "$pre" "$(jget results.0.status)/$(jget results.0.error.code)" rejected/bad_tax_code
		[ -n "$(jget results.0.error.message)" ] || fail "$pre: no message"
	done
	expect_eq "nothing stored" "$(sql "SELECT count(*) FROM dossiers WHERE id LIKE 'org-d-%'")" 0
	# a good one is applied
	org_push "\"tax_code\":\"0100109106-001\",$rep" 10 || return
	expect_eq "good tax code" "$(jget results.0.status)" applied
	expect_eq "stored" "$(sql "SELECT data->'applicant'->>'tax_code' FROM dossiers WHERE id = 'org-d-000010'")" \
		0100109106-001
}
