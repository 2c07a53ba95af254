# SPDX-License-Identifier: GPL-3.0-or-later
# The fee recorded at the counter reaches the server: a real workstation
# receives with each kind of fee and syncs; the server keeps it in its
# columns and in the stored dossier, another workstation of the unit gets it
# down the feed. A push whose fee breaks the rules is rejected bad_fee with
# nothing stored. (Helpers c_* are tests/sync/t_client_sync.sh's.)

# fee_receive DB FEE-JSON: one reception; its code on stdout
fee_receive() {
	reception_json "$W/c/fee.json" 2025-10-27T09:32 "Nguyễn Văn An" 001090012345 1990-05-17 M 00004 \
		"\"fee\": $2"
	MOTCUA_NOW=$C_NOW "$MOTCUA" receive --json "$W/c/fee.json" --db "$1" --user cl_a \
		>"$W/c/fee.out" 2>"$W/c/fee.err" || { fail "receive: $(cat "$W/c/fee.err")"; return 1; }
	sed 's/^{"code":"\([^"]*\)".*/\1/' "$W/c/fee.out"
}

t_fee_reaches_server() {
	c_setup || return
	db=$(c_store fees)
	c_login "$db" cl_a || { fail "login: $(cat "$W/c/err")"; return; }
	c_sync "$db" || { fail "first sync: $(cat "$W/c/err")"; return; }
	c1=$(fee_receive "$db" '{"status": "collected", "amount": 50000}') || return
	c2=$(fee_receive "$db" '{"status": "exempt", "reason": "Người có công với cách mạng"}') || return
	c3=$(fee_receive "$db" '{"status": "later", "amount": 8000}') || return
	c_sync "$db" || fail "sync: $(cat "$W/c/err")"
	expect_eq "pushed" "$(sum pushed)" 3
	expect_eq "errors" "$(sum errors.#)" 0
	expect_eq "server columns" "$(csql "SELECT string_agg(fee_status || ':' || fee_amount, ' ' ORDER BY code)
		FROM dossiers WHERE code IN ('$c1', '$c2', '$c3')")" "collected:50000 exempt:0 later:8000"
	expect_eq "stored reason" "$(csql "SELECT data->'fee'->>'reason' FROM dossiers WHERE code = '$c2'")" \
		"Người có công với cách mạng"
	# what the server stored is what the workstation recorded
	expect_eq "same as the store" "$(csql "SELECT string_agg(fee_status || ':' || fee_amount, ' ' ORDER BY code)
		FROM dossiers WHERE code IN ('$c1', '$c2', '$c3')")" \
		"$(lq "$db" "SELECT group_concat(s, ' ') FROM (SELECT f.status || ':' || f.amount s FROM dossier_fees f
			JOIN dossiers d ON d.id = f.dossier_id WHERE d.code IN ('$c1', '$c2', '$c3') ORDER BY d.code)")"

	# another workstation of the unit gets the fees down the feed
	db2=$(c_store fees2)
	c_login "$db2" cl_a2 || { fail "login 2: $(cat "$W/c/err")"; return; }
	c_sync "$db2" || fail "sync 2: $(cat "$W/c/err")"
	expect_eq "fees down the feed" "$(lq "$db2" "SELECT group_concat(s, ' ') FROM (SELECT f.status || ':' ||
		f.amount || ':' || coalesce(f.reason, '') s FROM dossier_fees f JOIN dossiers d ON d.id = f.dossier_id
		WHERE d.code IN ('$c1', '$c2', '$c3') ORDER BY d.code)")" \
		"collected:50000: exempt:0:Người có công với cách mạng later:8000:"
}

# fee_push FEE-JSON N: a synthetic reception carrying that fee, pushed;
# the answer in $W/body
fee_push() {
	"$SYNCTOOL" batch device=dev-a unit=00004 ident=H01.00004 count=1 start="$2" prefix=fee \
		day=251102 >"$W/fee.batch"
	grep -q '"note":null' "$W/fee.batch" || { fail "no note in the synthetic payload"; return 1; }
	sed "s/\"note\":null/\"fee\":$1,\"note\":null/" "$W/fee.batch" >"$W/fee.in"
	"$SYNCTOOL" get ops.0.payload <"$W/fee.in" >"$W/fee.payload"
	hash=$("$SYNCTOOL" hash <"$W/fee.payload")
	sed "s/\"payload_hash\":\"[0-9a-f]*\"/\"payload_hash\":\"$hash\"/" "$W/fee.in" >"$W/fee.push"
	st=$(api POST "$URL_s1/api/v1/sync/push" "$W/fee.push" "$TOK_A")
	expect_eq "push" "$st" 200
}

t_fee_rejected() {
	n=0
	for fee in '{"status":"paid","amount":1}' '{"status":"collected","amount":-1}' \
		'{"status":"later","amount":1000000001}' '{"status":"exempt","amount":0}' \
		'{"status":"collected","amount":5,"reason":"x"}' '{"amount":5}'; do
		n=$((n+1))
		fee_push "$fee" "$n" || return
		expect_eq "$fee" "$(jget results.0.status)/$(jget results.0.error.code)" rejected/bad_fee
		[ -n "$(jget results.0.error.message)" ] || fail "$fee: no message"
	done
	expect_eq "nothing stored" "$(sql "SELECT count(*) FROM dossiers WHERE id LIKE 'fee-d-%'")" 0
	# a member of the fee of the wrong type, or a fee that is not an object
	fee_push '{"status":"collected","amount":"5"}' 20 || return
	expect_eq "wrong type" "$(jget results.0.status)/$(jget results.0.error.code)" rejected/bad_fee
	fee_push '"collected"' 21 || return
	expect_eq "not an object" "$(jget results.0.status)/$(jget results.0.error.code)" rejected/bad_fee
	# a good one is applied, in the columns
	fee_push '{"status":"exempt","amount":0,"reason":"Trẻ em dưới 6 tuổi"}' 30 || return
	expect_eq "good fee" "$(jget results.0.status)" applied
	expect_eq "columns" "$(sql "SELECT fee_status || ':' || fee_amount || ':' || (data->'fee'->>'reason')
		FROM dossiers WHERE id = 'fee-d-000030'")" "exempt:0:Trẻ em dưới 6 tuổi"
	# a dossier without fee (an older workstation) has none
	fee_push null 31 || return
	expect_eq "no fee" "$(jget results.0.status)" applied
	expect_eq "null columns" "$(sql "SELECT coalesce(fee_status, '-') FROM dossiers WHERE id = 'fee-d-000031'")" "-"
}
