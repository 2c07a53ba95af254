# SPDX-License-Identifier: GPL-3.0-or-later
# Indicators (docs/indicators.md): a workstation receives and handles
# dossiers through the real client (motcua receive, motcua act), syncs, and
# `motcua indicators` on its store, the server's GET /api/v1/indicators and
# `motcua-server indicators` give the same JSON for unit 00004 in October
# 2025 (whatever other tests of this suite also sent for that unit: the
# workstation pulls them too). Needs t_client_sync.sh's c_* helpers.

t_indicators_client_server_agree() {
	c_setup || return
	c_input
	db=$(c_store wind)
	c_login "$db" cl_a3 || { fail "login: $(cat "$W/c/err")"; return; }
	c_sync "$db" || fail "first sync: $(cat "$W/c/err")"
	: >"$W/c/codes.ind"
	c_receive "$db" cl_a3 3 "$W/c/codes.ind" || return
	c1=$(sed -n 1p "$W/c/codes.ind"); c2=$(sed -n 2p "$W/c/codes.ind")
	act() { at=$1; shift; MOTCUA_NOW=$at "$MOTCUA" act "$@" --db "$db" --user cl_a3 \
		>"$W/c/act.out" 2>"$W/c/act.err" || fail "act $*: $(cat "$W/c/act.err")"; }
	act 2025-10-27T11:00 "$c1" result-ready --result-code KQ-1
	act 2025-10-27T14:00 "$c1" return
	act 2025-10-27T14:05 "$c1" rate --rating 1
	act 2025-10-27T11:00 "$c2" transfer --to 00008
	act 2025-10-28T09:00 "$c2" result-ready --result-code KQ-2
	c_sync "$db" || fail "sync: $(cat "$W/c/err")"
	c_sync "$db" || fail "second sync: $(cat "$W/c/err")"
	expect_eq "outbox drained" "$(lq "$db" "SELECT count(*) FROM outbox WHERE state <> 'done'")" 0

	"$MOTCUA" indicators --unit 00004 --from 2025-10-01 --to 2025-10-31 --db "$db" \
		>"$W/c/ind.client" 2>"$W/c/err" || fail "client indicators: $(cat "$W/c/err")"
	grep -q '"id":"satisfaction","name":"Mức độ hài lòng","numerator":[1-9]' "$W/c/ind.client" ||
		fail "no rating counted: $(cat "$W/c/ind.client")"
	grep -q '"id":"transferred","name":"Luân chuyển điện tử","numerator":[1-9]' "$W/c/ind.client" ||
		fail "no transfer counted: $(cat "$W/c/ind.client")"
	tok=$(login "$C_URL" cl_a3 dev-ind) || { fail "api login"; return; }
	st=$(api GET "$C_URL/api/v1/indicators?unit=00004&from=2025-10-01&to=2025-10-31" "" "$tok")
	expect_eq "GET indicators" "$st" 200
	expect_eq "server agrees with the client" "$(cat "$W/body")" "$(cat "$W/c/ind.client")"
	"$SERVER" indicators --pg "$PGC" --unit 00004 --from 2025-10-01 --to 2025-10-31 \
		>"$W/c/ind.server" 2>"$W/c/err" || fail "server indicators: $(cat "$W/c/err")"
	expect_eq "server command agrees" "$(cat "$W/c/ind.server")" "$(cat "$W/c/ind.client")"

	# scope and bad input
	st=$(api GET "$C_URL/api/v1/indicators?unit=00008&from=2025-10-01&to=2025-10-31" "" "$tok")
	expect_eq "other unit" "$st" 403
	st=$(api GET "$C_URL/api/v1/indicators?from=2025-10-31&to=2025-10-01" "" "$tok")
	expect_eq "reversed period" "$st" 400
	st=$(api GET "$C_URL/api/v1/indicators?unit=00004&from=2025-10-01&to=2025-10-31" "" "")
	expect_eq "no token" "$st" 401
	"$SERVER" indicators --pg "$PGC" --from 2025-13-01 --to 2025-10-31 >/dev/null 2>&1
	expect_eq "server command bad date" "$?" 2
}

# A result filed with `motcua act result-ready --file` (docs/reuse.md) makes
# its dossier digitized when every paper it holds is digitized: the
# workstation counts it, the server counts it from the op's
# result_document_id, and both give the same JSON.
t_indicators_digitized_agree() {
	c_setup || return
	c_input
	db=$(c_store digit)
	c_login "$db" cl_a2 || { fail "login: $(cat "$W/c/err")"; return; }
	c_sync "$db" || fail "first sync: $(cat "$W/c/err")"
	: >"$W/c/codes.dig"
	c_receive "$db" cl_a2 1 "$W/c/codes.dig" || return
	c1=$(sed -n 1p "$W/c/codes.dig")
	"$MOTCUA" receipt "$c1" --db "$db" --out "$W/c/paper.pdf" >/dev/null 2>&1 || fail "receipt"
	for comp in 5 7 11 32; do
		MOTCUA_NOW=2025-10-27T10:00 "$MOTCUA" attach "$c1" --component $comp "$W/c/paper.pdf" \
			--no-ocr --db "$db" --user cl_a2 >/dev/null 2>"$W/c/err" ||
			fail "attach $comp: $(cat "$W/c/err")"
	done
	MOTCUA_NOW=2025-10-27T11:00 "$MOTCUA" act "$c1" result-ready --result-code KQ-D \
		--file "$W/c/paper.pdf" --type birth --db "$db" --user cl_a2 >/dev/null 2>"$W/c/err" ||
		fail "result-ready: $(cat "$W/c/err")"
	c_sync "$db" || fail "sync: $(cat "$W/c/err")"
	c_sync "$db" || fail "second sync: $(cat "$W/c/err")"
	expect_eq "outbox drained" "$(lq "$db" "SELECT count(*) FROM outbox WHERE state <> 'done'")" 0
	"$MOTCUA" indicators --unit 00004 --from 2025-10-01 --to 2025-10-31 --db "$db" \
		>"$W/c/ind.dig" 2>"$W/c/err" || fail "client indicators: $(cat "$W/c/err")"
	grep -q '"id":"digitized","name":"Số hóa hồ sơ và kết quả","numerator":[1-9]' "$W/c/ind.dig" ||
		fail "no digitized dossier counted: $(cat "$W/c/ind.dig")"
	tok=$(login "$C_URL" cl_a2 dev-dig) || { fail "api login"; return; }
	st=$(api GET "$C_URL/api/v1/indicators?unit=00004&from=2025-10-01&to=2025-10-31" "" "$tok")
	expect_eq "GET indicators" "$st" 200
	expect_eq "server agrees with the client" "$(cat "$W/body")" "$(cat "$W/c/ind.dig")"
}
