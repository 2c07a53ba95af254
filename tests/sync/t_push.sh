# SPDX-License-Identifier: GPL-3.0-or-later
# Login, push, pull: idempotence, conflicts, lifecycle.

t_login() {
	printf '{"username":"clerk_a","password":"sai-mat-khau","device_id":"dev-x"}' >"$W/in"
	st=$(api POST "$URL_s1/api/v1/auth/login" "$W/in")
	expect_error "wrong password" "$st" 401 bad_credentials
	printf '{"username":"nobody","password":"matkhau123","device_id":"dev-x"}' >"$W/in"
	st=$(api POST "$URL_s1/api/v1/auth/login" "$W/in")
	expect_error "unknown user" "$st" 401 bad_credentials
	printf '{"username":"clerk_a","password":"matkhau123","device_id":"../etc"}' >"$W/in"
	st=$(api POST "$URL_s1/api/v1/auth/login" "$W/in")
	expect_error "bad device id" "$st" 400 bad_request
	printf '{"username":"clerk_a","password":"matkhau123","device_id":"dev-x","device_name":"Quầy 1"}' >"$W/in"
	st=$(api POST "$URL_s1/api/v1/auth/login" "$W/in")
	expect_eq "login" "$st" 200
	expect_eq "user" "$(jget user.username)" clerk_a
	expect_eq "full name" "$(jget user.full_name)" "Nguyễn Thị Lan"
	expect_eq "role" "$(jget user.role)" clerk
	expect_eq "units" "$(jget units.#)" 1
	expect_eq "unit ident" "$(jget units.0.ident)" H01.00004
	tok=$(jget token)
	expect_eq "token stored hashed" "$(sql "SELECT count(*) FROM tokens WHERE token_hash::text LIKE '%$tok%'")" 0
	st=$(api GET "$URL_s1/api/v1/auth/me" "" "$tok")
	expect_eq "me" "$st" 200
	expect_eq "me device" "$(jget device_id)" dev-x
	# supervisor of the province serves the province and its communes
	st=$(api POST "$URL_s1/api/v1/auth/login" "$W/in")
	printf '{"username":"sup01","password":"matkhau123","device_id":"dev-s"}' >"$W/in"
	st=$(api POST "$URL_s1/api/v1/auth/login" "$W/in")
	expect_eq "supervisor login" "$st" 200
	[ "$(jget units.#)" -gt 100 ] || fail "supervisor units: $(jget units.#)"
}

t_push_pull_roundtrip() {
	"$SYNCTOOL" batch device=dev-a unit=00004 ident=H01.00004 count=3 prefix=rt >"$W/batch"
	st=$(api POST "$URL_s1/api/v1/sync/push" "$W/batch" "$TOK_A")
	expect_eq "push" "$st" 200
	expect_eq "results" "$(jget results.#)" 3
	for i in 0 1 2; do
		expect_eq "op $i" "$(jget results.$i.status)" applied
		expect_eq "rev $i" "$(jget results.$i.rev)" 1
	done
	expect_eq "last applied" "$(jget last_applied_op)" rt-op-000003
	jget server_clock | grep -q '^20[0-9-]*T[0-9:]*+07:00$' || fail "server clock $(jget server_clock)"
	expect_eq "stored" "$(sql "SELECT count(*) FROM dossiers WHERE id LIKE 'rt-%'")" 3
	expect_eq "events" "$(sql "SELECT count(*) FROM events WHERE dossier_id LIKE 'rt-%'")" 3
	expect_eq "device" "$(sql "SELECT last_applied_op FROM devices WHERE device_id = 'dev-a'")" rt-op-000003
	# pull everything, page by page
	cursor="" n=0 seen=0
	while :; do
		st=$(api GET "$URL_s1/api/v1/sync/changes?since=$cursor&limit=1000" "" "$TOK_A")
		[ "$st" = 200 ] || { fail "changes: $st $(cat "$W/body")"; break; }
		cursor=$(jget next)
		seen=$((seen + $(grep -o '"entity_id":"rt-d-' "$W/body" | wc -l)))
		n=$((n+1))
		[ "$(jget remaining)" = 0 ] && break
		[ $n -lt 50 ] || { fail "too many pages"; break; }
	done
	expect_eq "dossiers pulled" "$seen" 3
	grep -q '"entity":"procedure"' "$W/body" || [ $n -gt 1 ] || fail "no reference data"
	# the last page holds the dossier as written, with its revision
	expect_grep "$W/body" '"full_name":"Nguyễn Văn An"'
	# from the cursor on, nothing new
	st=$(api GET "$URL_s1/api/v1/sync/changes?since=$cursor" "" "$TOK_A")
	expect_eq "caught up" "$(jget changes.#)" 0
	expect_eq "same cursor" "$(jget next)" "$cursor"
	# one more dossier: exactly one change after the cursor
	"$SYNCTOOL" batch device=dev-a unit=00004 ident=H01.00004 count=1 start=4 prefix=rt >"$W/batch"
	api POST "$URL_s1/api/v1/sync/push" "$W/batch" "$TOK_A" >/dev/null
	st=$(api GET "$URL_s1/api/v1/sync/changes?since=$cursor" "" "$TOK_A")
	expect_eq "one change" "$(jget changes.#)" 1
	expect_eq "its id" "$(jget changes.0.entity_id)" rt-d-000004
	expect_eq "its code" "$(jget changes.0.data.code)" H01.00004-251027-0004
	# paging with a small limit
	st=$(api GET "$URL_s1/api/v1/sync/changes?limit=2" "" "$TOK_A")
	expect_eq "page size" "$(jget changes.#)" 2
	[ "$(jget remaining)" -gt 0 ] || fail "remaining after a page"
}

t_push_twice_no_duplicates() {
	"$SYNCTOOL" batch device=dev-a unit=00004 ident=H01.00004 count=50 prefix=tw day=251030 >"$W/batch"
	st=$(api POST "$URL_s1/api/v1/sync/push" "$W/batch" "$TOK_A")
	expect_eq "first push" "$st" 200
	cp "$W/body" "$W/first"
	st=$(api POST "$URL_s1/api/v1/sync/push" "$W/batch" "$TOK_A")
	expect_eq "second push" "$st" 200
	dup=$(grep -o '"status":"duplicate"' "$W/body" | wc -l)
	expect_eq "all duplicate" "$dup" 50
	expect_eq "same revs" "$(jget results.49.rev)" "$(jget results.49.rev "$W/first")"
	expect_eq "stored once" "$(sql "SELECT count(*) FROM dossiers WHERE id LIKE 'tw-%'")" 50
	expect_eq "ops once" "$(sql "SELECT count(*) FROM ops WHERE op_id LIKE 'tw-%'")" 50
	expect_eq "changes once" "$(sql "SELECT count(*) FROM changes WHERE entity_id LIKE 'tw-%'")" 50
	expect_eq "events once" "$(sql "SELECT count(*) FROM events WHERE dossier_id LIKE 'tw-%'")" 50
}

t_same_op_other_hash_conflict() {
	"$SYNCTOOL" batch device=dev-a unit=00004 ident=H01.00004 count=1 prefix=cf day=251031 >"$W/batch"
	api POST "$URL_s1/api/v1/sync/push" "$W/batch" "$TOK_A" >/dev/null
	expect_eq "applied" "$(jget results.0.status)" applied
	"$SYNCTOOL" batch device=dev-a unit=00004 ident=H01.00004 count=1 prefix=cf day=251031 \
		name="Trần Văn Bình" >"$W/batch2"
	st=$(api POST "$URL_s1/api/v1/sync/push" "$W/batch2" "$TOK_A")
	expect_eq "push" "$st" 200
	expect_eq "conflict" "$(jget results.0.status)" conflict
	expect_eq "code" "$(jget results.0.error.code)" op_id_reused
	[ -n "$(jget results.0.error.message)" ] || fail "no message"
	expect_eq "kept for review" "$(sql "SELECT count(*) FROM op_problems WHERE op_id = 'cf-op-000001'")" 1
	expect_eq "not overwritten" "$(sql "SELECT data->'applicant'->>'full_name' FROM dossiers WHERE id = 'cf-d-000001'")" "Nguyễn Văn An"
	# a payload whose hash does not match is refused
	sed 's/"payload_hash":"[0-9a-f]*"/"payload_hash":"0000000000000000000000000000000000000000000000000000000000000000"/' \
		"$W/batch" | sed 's/cf-op-000001/cf-op-hash/' >"$W/batch3"
	api POST "$URL_s1/api/v1/sync/push" "$W/batch3" "$TOK_A" >/dev/null
	expect_eq "bad hash" "$(jget results.0.error.code)" bad_hash
	expect_eq "bad hash status" "$(jget results.0.status)" rejected
	# another dossier id with a code already used: conflict, never renumbered
	sed -e 's/cf-op-000001/cf-op-other/' -e 's/cf-d-000001/cf-d-other/g' "$W/batch" >"$W/in"
	"$SYNCTOOL" get ops.0.payload <"$W/in" >"$W/payload"
	hash=$("$SYNCTOOL" hash <"$W/payload")
	sed "s/\"payload_hash\":\"[0-9a-f]*\"/\"payload_hash\":\"$hash\"/" "$W/in" >"$W/batch4"
	api POST "$URL_s1/api/v1/sync/push" "$W/batch4" "$TOK_A" >/dev/null
	expect_eq "code taken" "$(jget results.0.status)/$(jget results.0.error.code)" conflict/code_taken
	expect_eq "one dossier with the code" "$(sql "SELECT count(*) FROM dossiers WHERE code = 'H01.00004-251031-0001'")" 1
}

t_lifecycle_actions() {
	"$SYNCTOOL" batch device=dev-a unit=00004 ident=H01.00004 count=1 prefix=lc day=251028 >"$W/batch"
	api POST "$URL_s1/api/v1/sync/push" "$W/batch" "$TOK_A" >/dev/null
	"$SYNCTOOL" action device=dev-a dossier=lc-d-000001 op=lc-op-t event=lc-ev-t action=transfer \
		base_rev=1 status_to=4 >"$W/act"
	st=$(api POST "$URL_s1/api/v1/sync/push" "$W/act" "$TOK_A")
	expect_eq "transfer" "$(jget results.0.status)" applied
	expect_eq "rev 2" "$(jget results.0.rev)" 2
	expect_eq "status" "$(sql "SELECT status FROM dossiers WHERE id = 'lc-d-000001'")" 4
	# a workstation that computed another status than the lifecycle's
	"$SYNCTOOL" action device=dev-a dossier=lc-d-000001 op=lc-op-m event=lc-ev-m action=result-ready \
		base_rev=2 status_to=10 >"$W/act"
	api POST "$URL_s1/api/v1/sync/push" "$W/act" "$TOK_A" >/dev/null
	expect_eq "mismatch" "$(jget results.0.status)/$(jget results.0.error.code)" rejected/status_mismatch
	# returning a result before it exists: the lifecycle refuses
	"$SYNCTOOL" action device=dev-a dossier=lc-d-000001 op=lc-op-r event=lc-ev-r action=return \
		base_rev=2 >"$W/act"
	api POST "$URL_s1/api/v1/sync/push" "$W/act" "$TOK_A" >/dev/null
	expect_eq "invalid" "$(jget results.0.status)/$(jget results.0.error.code)" rejected/invalid_transition
	jget results.0.error.message | grep -q "chưa có kết quả" || fail "message: $(jget results.0.error.message)"
	# a stale base revision is a conflict, not an overwrite
	"$SYNCTOOL" action device=dev-a dossier=lc-d-000001 op=lc-op-s event=lc-ev-s action=result-ready \
		base_rev=1 >"$W/act"
	api POST "$URL_s1/api/v1/sync/push" "$W/act" "$TOK_A" >/dev/null
	expect_eq "stale" "$(jget results.0.status)/$(jget results.0.error.code)" conflict/stale_rev
	"$SYNCTOOL" action device=dev-a dossier=lc-d-000001 op=lc-op-k event=lc-ev-k action=result-ready \
		base_rev=2 >"$W/act"
	api POST "$URL_s1/api/v1/sync/push" "$W/act" "$TOK_A" >/dev/null
	expect_eq "result ready" "$(jget results.0.status)" applied
	expect_eq "status 9" "$(sql "SELECT status FROM dossiers WHERE id = 'lc-d-000001'")" 9
	expect_eq "events" "$(sql "SELECT count(*) FROM events WHERE dossier_id = 'lc-d-000001'")" 3
	# an action on a dossier the server does not have
	"$SYNCTOOL" action device=dev-a dossier=lc-d-none op=lc-op-n event=lc-ev-n action=transfer \
		base_rev=1 >"$W/act"
	api POST "$URL_s1/api/v1/sync/push" "$W/act" "$TOK_A" >/dev/null
	expect_eq "unknown dossier" "$(jget results.0.error.code)" unknown_dossier
	# the change feed carries the new revision and status
	st=$(api GET "$URL_s1/api/v1/sync/changes?limit=1000" "" "$TOK_A")
	while [ "$(jget remaining)" != 0 ]; do
		st=$(api GET "$URL_s1/api/v1/sync/changes?limit=1000&since=$(jget next)" "" "$TOK_A")
	done
	grep -o '"entity_id":"lc-d-000001","rev":[0-9]*' "$W/body" | tail -n 1 >"$W/last"
	expect_grep "$W/last" '"rev":3'
}
