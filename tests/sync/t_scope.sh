# SPDX-License-Identifier: GPL-3.0-or-later
# Authorization: a clerk of one commune neither reads nor changes another's.

t_scope_other_commune() {
	# clerk_a's dossiers (unit 00004) exist from earlier tests; clerk_b serves 00008
	"$SYNCTOOL" batch device=dev-b unit=00008 ident=H01.00008 count=2 prefix=sb >"$W/batch"
	st=$(api POST "$URL_s1/api/v1/sync/push" "$W/batch" "$TOK_B")
	expect_eq "b's own dossiers" "$(jget results.0.status)/$(jget results.1.status)" applied/applied
	# b pushes a dossier of a's commune: rejected, nothing stored
	"$SYNCTOOL" batch device=dev-b unit=00004 ident=H01.00004 count=1 prefix=sx day=251101 >"$W/batch"
	api POST "$URL_s1/api/v1/sync/push" "$W/batch" "$TOK_B" >/dev/null
	expect_eq "write other commune" "$(jget results.0.status)/$(jget results.0.error.code)" \
		rejected/out_of_scope
	expect_eq "not stored" "$(sql "SELECT count(*) FROM dossiers WHERE id LIKE 'sx-%'")" 0
	# b acts on a's dossier: rejected, dossier unchanged
	before=$(sql "SELECT rev || '/' || status FROM dossiers WHERE id = 'rt-d-000001'")
	"$SYNCTOOL" action device=dev-b dossier=rt-d-000001 op=sx-op-act event=sx-ev-act action=transfer \
		base_rev=1 >"$W/act"
	api POST "$URL_s1/api/v1/sync/push" "$W/act" "$TOK_B" >/dev/null
	expect_eq "change other commune" "$(jget results.0.status)/$(jget results.0.error.code)" \
		rejected/out_of_scope
	expect_eq "unchanged" "$(sql "SELECT rev || '/' || status FROM dossiers WHERE id = 'rt-d-000001'")" "$before"
	# b pulls: its own dossiers, none of a's
	cursor=""
	: >"$W/all"
	while :; do
		st=$(api GET "$URL_s1/api/v1/sync/changes?since=$cursor&limit=1000" "" "$TOK_B")
		[ "$st" = 200 ] || { fail "pull: $st"; break; }
		cat "$W/body" >>"$W/all"
		cursor=$(jget next)
		[ "$(jget remaining)" = 0 ] && break
	done
	expect_grep "$W/all" '"entity_id":"sb-d-000001"'
	expect_nogrep "$W/all" '"entity_id":"rt-d-'
	# (holds because t_scope.sh runs before t_transfer.sh, which hands 00004 dossiers to 00008)
	expect_nogrep "$W/all" '"unit_code":"00004"'
	expect_nogrep "$W/all" '"entity_id":"clerk_a"'
	expect_grep "$W/all" '"entity":"user","entity_id":"clerk_b"'
	# and a's pull does not hold b's
	st=$(api GET "$URL_s1/api/v1/sync/changes?limit=1000" "" "$TOK_A")
	while [ "$(jget remaining)" != 0 ]; do
		cat "$W/body" >>"$W/alla"
		st=$(api GET "$URL_s1/api/v1/sync/changes?limit=1000&since=$(jget next)" "" "$TOK_A")
	done
	cat "$W/body" >>"$W/alla"
	expect_nogrep "$W/alla" '"entity_id":"sb-d-'
	# b cannot lease numbers of a's commune
	printf '{"unit_ident":"H01.00004","count":10}' >"$W/in"
	st=$(api POST "$URL_s1/api/v1/leases" "$W/in" "$TOK_B")
	expect_error "lease other commune" "$st" 403 out_of_scope
	# a cursor of a is no cursor of b
	st=$(api GET "$URL_s1/api/v1/sync/changes?limit=1" "" "$TOK_A")
	st=$(api GET "$URL_s1/api/v1/sync/changes?since=$(jget next)" "" "$TOK_B")
	expect_error "foreign cursor" "$st" 410 cursor_expired
	# a supervisor of the province sees both communes' dossiers
	tok=$(login "$URL_s1" sup01 dev-s)
	cursor="" ; : >"$W/alls"
	while :; do
		st=$(api GET "$URL_s1/api/v1/sync/changes?since=$cursor&limit=1000" "" "$tok")
		cat "$W/body" >>"$W/alls"
		cursor=$(jget next)
		[ "$(jget remaining)" = 0 ] && break
	done
	expect_grep "$W/alls" '"entity_id":"sb-d-000001"'
	expect_grep "$W/alls" '"entity_id":"rt-d-000001"'
}

t_lookup_public() {
	code=H01.00004-251027-0001
	st=$(api GET "$URL_s1/api/v1/lookup/$code")
	expect_eq "lookup" "$st" 200
	expect_eq "code" "$(jget code)" "$code"
	expect_eq "status" "$(jget status)" 2
	expect_eq "status name" "$(jget status_name)" "Đã tiếp nhận"
	expect_eq "appointment" "$(jget appointment)" 2025-11-03T09:32
	expect_eq "procedure" "$(jget procedure.name)" "Thủ tục đăng ký khai sinh"
	expect_eq "unit" "$(jget unit.name)" "Phường Ba Đình"
	# nothing personal, with or without a token of another commune
	for tok in "" "$TOK_B"; do
		api GET "$URL_s1/api/v1/lookup/$code" "" "$tok" >/dev/null
		for secret in "Nguyễn Văn An" 001090012345 0912345678 "Điện Biên Phủ" 1990-05-01 applicant \
			canbo components events; do
			expect_nogrep "$W/body" "$secret"
		done
	done
	# lower case is the same code
	st=$(api GET "$URL_s1/api/v1/lookup/h01.00004-251027-0001")
	expect_eq "lower case" "$st" 200
	st=$(api GET "$URL_s1/api/v1/lookup/H01.00004-251027-9999")
	expect_error "unknown code" "$st" 404 not_found
	st=$(api GET "$URL_s1/api/v1/lookup/not-a-code")
	expect_error "malformed code" "$st" 404 not_found
}

t_leases_disjoint() {
	tok2=$(login "$URL_s1" clerk_a2 dev-a2)
	printf '{"unit_ident":"H01.00004","count":100}' >"$W/in"
	st=$(api POST "$URL_s1/api/v1/leases" "$W/in" "$TOK_A")
	expect_eq "lease a" "$st" 200
	a1=$(jget first) a2=$(jget last)
	expect_eq "day default" "$(jget day)" "*"
	printf '{"unit_ident":"H01.00004","day":"2025-10-27","count":50}' >"$W/in"
	st=$(api POST "$URL_s1/api/v1/leases" "$W/in" "$tok2")
	expect_eq "lease a2" "$st" 200
	b1=$(jget first) b2=$(jget last)
	expect_eq "size a" $((a2 - a1 + 1)) 100
	expect_eq "size a2" $((b2 - b1 + 1)) 50
	[ "$b1" -gt "$a2" ] || [ "$b2" -lt "$a1" ] || fail "blocks overlap: $a1-$a2 and $b1-$b2"
	# a retried request with the same request_id gets the same block
	printf '{"unit_ident":"H01.00004","count":20,"request_id":"req-1"}' >"$W/in"
	api POST "$URL_s1/api/v1/leases" "$W/in" "$TOK_A" >/dev/null
	r1=$(jget first)
	api POST "$URL_s1/api/v1/leases" "$W/in" "$TOK_A" >/dev/null
	expect_eq "idempotent lease" "$(jget first)" "$r1"
	for body in '{"unit_ident":"H01.00004","count":0}' '{"unit_ident":"H01.00004","count":5000}' \
		'{"unit_ident":"??","count":5}' '{"unit_ident":"H01.00004","count":5,"day":"2025-13-01"}'; do
		printf '%s' "$body" >"$W/in"
		st=$(api POST "$URL_s1/api/v1/leases" "$W/in" "$TOK_A")
		expect_error "lease $body" "$st" 400 bad_request
	done
	# many concurrent leases from two devices: no number twice
	pids=""
	for i in 1 2 3 4 5 6 7 8 9 10; do
		printf '{"unit_ident":"H01.00004","count":7}' >"$W/in$i"
		tk=$TOK_A; [ $((i % 2)) = 0 ] && tk=$tok2
		curl -s -X POST -H "Authorization: Bearer $tk" --data-binary "@$W/in$i" \
			"$URL_s1/api/v1/leases" >"$W/lease$i" &
		pids="$pids $!"
	done
	wait $pids
	for i in 1 2 3 4 5 6 7 8 9 10; do
		f=$(jget first "$W/lease$i") l=$(jget last "$W/lease$i")
		seq "$f" "$l"
	done | sort -n | uniq -d >"$W/dups"
	[ -s "$W/dups" ] && fail "numbers leased twice: $(head -3 "$W/dups")"
	expect_eq "leased rows" "$(sql "SELECT sum(last - first + 1) FROM leases WHERE unit_ident = 'H01.00004'
		AND coalesce(request_id, '') NOT LIKE 'fixture-%'")" 240
}

t_tokens_revoked() {
	tok=$(login "$URL_s1" clerk_a2 dev-r)
	st=$(api GET "$URL_s1/api/v1/auth/me" "" "$tok")
	expect_eq "fresh token" "$st" 200
	st=$(api POST "$URL_s1/api/v1/auth/logout" "" "$tok")
	expect_eq "logout" "$st" 200
	st=$(api GET "$URL_s1/api/v1/auth/me" "" "$tok")
	expect_error "after logout" "$st" 401 unauthorized
	tok=$(login "$URL_s1" clerk_a2 dev-r2)
	"$SERVER" token revoke --pg "$PG" --device dev-r2 >"$W/out"
	expect_eq "revoked" "$(jget revoked "$W/out")" 1
	"$SYNCTOOL" batch device=dev-r2 unit=00004 ident=H01.00004 count=1 prefix=rv day=251102 >"$W/batch"
	st=$(api POST "$URL_s1/api/v1/sync/push" "$W/batch" "$tok")
	expect_error "push after revoke" "$st" 401 unauthorized
	# a disabled user can neither log in nor use its tokens
	tok=$(login "$URL_s1" clerk_a2 dev-r3)
	"$SERVER" user disable --pg "$PG" --username clerk_a2 >/dev/null || fail "disable"
	st=$(api GET "$URL_s1/api/v1/auth/me" "" "$tok")
	expect_error "disabled user's token" "$st" 401 unauthorized
	printf '{"username":"clerk_a2","password":"matkhau123","device_id":"dev-r4"}' >"$W/in"
	st=$(api POST "$URL_s1/api/v1/auth/login" "$W/in")
	expect_error "disabled login" "$st" 403 user_disabled
	"$SERVER" user enable --pg "$PG" --username clerk_a2 >/dev/null || fail "enable"
	st=$(api POST "$URL_s1/api/v1/auth/login" "$W/in")
	expect_eq "enabled again" "$st" 200
	# the token of another device cannot push as this one
	"$SYNCTOOL" batch device=dev-b unit=00004 ident=H01.00004 count=1 prefix=wd day=251102 >"$W/batch"
	st=$(api POST "$URL_s1/api/v1/sync/push" "$W/batch" "$TOK_A")
	expect_error "wrong device" "$st" 403 wrong_device
}
