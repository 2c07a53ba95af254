# SPDX-License-Identifier: GPL-3.0-or-later
# Protocol 2 (docs/api.md, "Versions"): the compact dossier document on the
# push and the feed, the version said in Motcua-Protocol both ways, and a
# client the server no longer speaks to answered with a stable code.

# api_v VERSION METHOD URL [FILE] [TOKEN]: api with Motcua-Protocol: VERSION.
api_v() {
	v=$1; shift
	method=$1 url=$2 file=${3:-} token=${4:-}
	set -- -sS -o "$W/body" -D "$W/headers" -w '%{http_code}' -X "$method" --max-time 60 \
		-H "Motcua-Protocol: $v"
	[ -n "$file" ] && set -- "$@" -H 'Content-Type: application/json' --data-binary "@$file"
	[ -n "$token" ] && set -- "$@" -H "Authorization: Bearer $token"
	curl "$@" "$url" 2>"$W/curl.err" || true
}

# feed_doc VERSION ID: the feed's data of dossier ID (from the start) into $W/doc.
feed_doc() {
	cursor=
	: >"$W/doc"
	while :; do
		st=$(api_v "$1" GET "$URL_s1/api/v1/sync/changes?since=$cursor&limit=1000" "" "$TOK_A")
		[ "$st" = 200 ] || { fail "feed v$1: $st $(cat "$W/body")"; return 1; }
		"$SYNCTOOL" change "$2" <"$W/body" >"$W/doc.page" && mv "$W/doc.page" "$W/doc"
		cursor=$(jget next)
		[ "$(jget remaining)" = 0 ] && break
	done
	[ -s "$W/doc" ] || fail "dossier $2 not in the feed v$1"
}

t_protocol_compact_push_and_feed() {
	u=$URL_s1
	ncat=$(sql "SELECT jsonb_array_length(data->'components') FROM procedures WHERE code = '1.001193'")
	[ "$ncat" -gt 10 ] || fail "catalog of 1.001193: $ncat components"
	name1=$(sql "SELECT c->>'name' FROM procedures, jsonb_array_elements(data->'components') c WHERE code = '1.001193' AND (c->>'seq')::int = 1")
	"$SYNCTOOL" batch device=dev-a unit=00004 ident=H01.00004 count=2 prefix=cp day=260107 form=compact >"$W/cp.json"
	grep -q '"compact":true' "$W/cp.json" || fail "synctool did not compact"
	"$SYNCTOOL" batch device=dev-a unit=00004 ident=H01.00004 count=2 prefix=cp day=260107 >"$W/cpfull.json"
	[ "$(stat -c %s "$W/cp.json")" -lt "$(stat -c %s "$W/cpfull.json")" ] || fail "compact not smaller"
	st=$(api_v 2 POST "$u/api/v1/sync/push" "$W/cp.json" "$TOK_A")
	expect_eq "compact push" "$st/$(jget results.0.status)/$(jget results.1.status)" 200/applied/applied
	expect_grep "$W/headers" "^Motcua-Protocol: 2"
	# stored whole: every component of the catalog, named, the counts handed in
	expect_eq "stored whole" "$(sql "SELECT jsonb_array_length(data->'components') || ' ' || (data ? 'compact') FROM dossiers WHERE id = 'cp-d-000001'")" "$ncat false"
	expect_eq "component 1" "$(sql "SELECT c->>'name' || '|' || (c->>'originals') || '|' || (c->>'originals_required') FROM dossiers, jsonb_array_elements(data->'components') c WHERE id = 'cp-d-000001' AND (c->>'seq')::int = 1")" \
		"$name1|1|$(sql "SELECT c->>'originals' FROM procedures, jsonb_array_elements(data->'components') c WHERE code = '1.001193' AND (c->>'seq')::int = 1")"
	expect_eq "nothing else handed in" "$(sql "SELECT sum((c->>'originals')::int + (c->>'copies')::int) FROM dossiers, jsonb_array_elements(data->'components') c WHERE id = 'cp-d-000001'")" 1
	# the same batch again: duplicate (the compact text hashes the same)
	st=$(api_v 2 POST "$u/api/v1/sync/push" "$W/cp.json" "$TOK_A")
	expect_eq "resend" "$st/$(jget results.0.status)" 200/duplicate
	# the same op ids with another dossier (one component, not the catalog's):
	# another document, so a conflict (as ever)
	st=$(api_v 2 POST "$u/api/v1/sync/push" "$W/cpfull.json" "$TOK_A")
	expect_eq "another dossier, same op" "$st/$(jget results.0.status)" 200/conflict
	# the whole document the compact one stands for: the same operation (one
	# hash, the whole document's), so duplicate
	sql "SELECT data::text FROM procedures WHERE code = '1.001193'" >"$W/proc.json"
	"$SYNCTOOL" expand "$W/proc.json" <"$W/cp.json" >"$W/cpwhole.json"
	grep -q '"compact"' "$W/cpwhole.json" && fail "not made whole"
	st=$(api_v 2 POST "$u/api/v1/sync/push" "$W/cpwhole.json" "$TOK_A")
	expect_eq "whole form, same op" "$st/$(jget results.0.status)/$(jget results.1.status)" 200/duplicate/duplicate
	expect_eq "known by the whole hash" "$(sql "SELECT payload_hash FROM ops WHERE op_id = 'cp-op-000001'")" \
		"$("$SYNCTOOL" get ops.0.payload_hash <"$W/cpwhole.json")"

	# the feed: version 1 (no header) sends the full form, version 2 the compact
	feed_doc 1 cp-d-000001 || return
	expect_eq "v1 components" "$(jget components.# "$W/doc")" "$ncat"
	expect_eq "v1 name" "$(jget components.0.name "$W/doc")" "$name1"
	feed_doc 2 cp-d-000001 || return
	expect_eq "v2 compact" "$(jget compact "$W/doc")" true
	expect_eq "v2 components" "$(jget components.# "$W/doc")" 1
	expect_eq "v2 component" "$(jget components.0 "$W/doc")" '{"seq":1,"originals":1}'
	expect_eq "v2 keeps the rest" "$(jget applicant.full_name "$W/doc")/$(jget event.kind "$W/doc")" "Nguyễn Văn An/receive"
	# a full-form push of a dossier with the catalog's components comes out
	# compact on a v2 feed too
	"$SYNCTOOL" batch device=dev-a unit=00004 ident=H01.00004 count=1 prefix=cq day=251212 form=compact |
		"$SYNCTOOL" expand "$W/proc.json" >"$W/cq.json"
	api POST "$u/api/v1/sync/push" "$W/cq.json" "$TOK_A" >/dev/null
	feed_doc 2 cq-d-000001 || return
	expect_eq "full in, compact out" "$(jget compact "$W/doc")/$(jget components.# "$W/doc")" true/1
	# one whose components are not the catalog's (here only one, named as
	# the catalog does not) goes whole: compacted, it would not come back
	"$SYNCTOOL" batch device=dev-a unit=00004 ident=H01.00004 count=1 prefix=cr day=251212 start=2 >"$W/cr.json"
	api POST "$u/api/v1/sync/push" "$W/cr.json" "$TOK_A" >/dev/null
	feed_doc 2 cr-d-000002 || return
	expect_eq "not the catalog's, whole" "$(jget compact "$W/doc")/$(jget components.# "$W/doc")" /1
}

# A reception sent whole (a workstation that did not know the server's
# protocol yet) whose answer was lost, sent again compact: one operation,
# answered duplicate; nothing stored twice.
t_protocol_whole_then_compact() {
	u=$URL_s1
	"$SYNCTOOL" batch device=dev-a unit=00004 ident=H01.00004 count=2 prefix=wc day=251214 form=compact >"$W/wc.json"
	sql "SELECT data::text FROM procedures WHERE code = '1.001193'" >"$W/proc.json"
	"$SYNCTOOL" expand "$W/proc.json" <"$W/wc.json" >"$W/wcwhole.json"
	st=$(api POST "$u/api/v1/sync/push" "$W/wcwhole.json" "$TOK_A")
	expect_eq "whole" "$st/$(jget results.0.status)/$(jget results.1.status)" 200/applied/applied
	st=$(api_v 2 POST "$u/api/v1/sync/push" "$W/wc.json" "$TOK_A")
	expect_eq "compact again" "$st/$(jget results.0.status)/$(jget results.1.status)" 200/duplicate/duplicate
	expect_eq "one dossier each" "$(sql "SELECT count(*) FROM dossiers WHERE id LIKE 'wc-d-%'")" 2
	expect_eq "stored whole" "$(sql "SELECT count(*) FROM dossiers WHERE id LIKE 'wc-d-%' AND NOT data ? 'compact'")" 2
}

# A component the server's catalog lacks (or a procedure it does not
# know): kept as it came, still compact, nothing lost.
t_protocol_unknown_component() {
	u=$URL_s1
	"$SYNCTOOL" batch device=dev-a unit=00004 ident=H01.00004 count=1 prefix=cu day=251213 form=compact |
		"$SYNCTOOL" get ops.0.payload | sed 's/"components":\[{"seq":1,"originals":1}\]/"components":[{"seq":1,"originals":1},{"seq":999,"copies":2}]/' >"$W/p"
	grep -q '"seq":999' "$W/p" || fail "payload not edited: $(cat "$W/p")"
	h=$("$SYNCTOOL" hash <"$W/p")
	printf '{"device_id":"dev-a","ops":[{"op_id":"cu-op-1","entity":"dossier","entity_id":"cu-d-000001","base_rev":0,"op":"receive","payload":%s,"payload_hash":"%s"}]}' \
		"$(cat "$W/p")" "$h" >"$W/in"
	st=$(api_v 2 POST "$u/api/v1/sync/push" "$W/in" "$TOK_A")
	expect_eq "applied" "$st/$(jget results.0.status)" 200/applied
	ncat=$(sql "SELECT jsonb_array_length(data->'components') FROM procedures WHERE code = '1.001193'")
	expect_eq "kept" "$(sql "SELECT jsonb_array_length(data->'components') || ' ' || (data->>'compact') FROM dossiers WHERE id = 'cu-d-000001'")" "$((ncat + 1)) true"
	expect_eq "the unknown one as it came" "$(sql "SELECT c::text FROM dossiers, jsonb_array_elements(data->'components') c WHERE id = 'cu-d-000001' AND (c->>'seq')::int = 999")" '{"seq": 999, "copies": 2}'
}

t_protocol_versions() {
	u=$URL_s1
	printf '{"device_id":"dev-a","ops":[]}' >"$W/empty"
	st=$(api_v 3 POST "$u/api/v1/sync/push" "$W/empty" "$TOK_A")
	expect_error "newer client" "$st" 400 protocol_unsupported
	grep -q 'cập nhật máy chủ' "$W/body" || fail "message: $(cat "$W/body")"
	st=$(api_v 3 GET "$u/api/v1/sync/changes?limit=1" "" "$TOK_A")
	expect_error "newer client, feed" "$st" 400 protocol_unsupported
	st=$(api_v abc POST "$u/api/v1/sync/push" "$W/empty" "$TOK_A")
	expect_error "not a number" "$st" 400 bad_request
	st=$(api_v 0 GET "$u/api/v1/sync/changes?limit=1" "" "$TOK_A")
	expect_error "zero" "$st" 400 bad_request
	st=$(api_v 2 POST "$u/api/v1/sync/push" "$W/empty" "$TOK_A")
	expect_eq "v2" "$st" 200
	st=$(api POST "$u/api/v1/sync/push" "$W/empty" "$TOK_A")
	expect_eq "v1 (no header)" "$st" 200
	# a server that no longer speaks version 1: an old client is told to update
	start_server s2 --min-protocol 2 || { fail "server s2"; return; }
	st=$(api POST "$URL_s2/api/v1/sync/push" "$W/empty" "$TOK_A")
	expect_error "old client, push" "$st" 400 protocol_outdated
	grep -q 'hãy cập nhật motcua' "$W/body" || fail "message: $(cat "$W/body")"
	st=$(api GET "$URL_s2/api/v1/sync/changes?limit=1" "" "$TOK_A")
	expect_error "old client, feed" "$st" 400 protocol_outdated
	st=$(api_v 1 GET "$URL_s2/api/v1/sync/changes?limit=1" "" "$TOK_A")
	expect_error "old client said 1" "$st" 400 protocol_outdated
	st=$(api_v 2 GET "$URL_s2/api/v1/sync/changes?limit=1" "" "$TOK_A")
	expect_eq "current client" "$st" 200
	st=$(curl -sS -o /dev/null -w '%{http_code}' "$URL_s2/healthz")
	expect_eq "healthz needs no version" "$st" 200
	stop_server s2
	"$SERVER" serve --pg "$PG" --listen 127.0.0.1:0 --min-protocol 9 2>"$W/s3.err"
	expect_eq "bad --min-protocol" $? 2
}

# motcua pushes receptions in the compact form to a server that speaks
# protocol 2 (learned at login), the server keeps them whole, and another
# workstation makes them whole again from its catalog.
t_client_compact() {
	c_setup || return
	c_input
	db=$(c_store cpa)
	c_login "$db" cl_a || { fail "login: $(cat "$W/c/err")"; return; }
	expect_eq "protocol learned" "$(lq "$db" "SELECT value FROM settings WHERE key = 'sync_server_protocol'")" 2
	c_sync "$db" || fail "first sync: $(cat "$W/c/err")"
	: >"$W/c/cp.codes"
	c_receive "$db" cl_a 2 "$W/c/cp.codes" || return
	c_sync "$db" || fail "sync: $(cat "$W/c/err")"
	expect_eq "pushed" "$(sum pushed)" 2
	ncat=$(csql "SELECT jsonb_array_length(data->'components') FROM procedures WHERE code = '1.001193'")
	for code in $(cat "$W/c/cp.codes"); do
		expect_eq "whole on the server $code" "$(csql "SELECT jsonb_array_length(data->'components') || ' ' || (data ? 'compact') FROM dossiers WHERE code = '$code'")" "$ncat false"
		id=$(lq "$db" "SELECT id FROM dossiers WHERE code = '$code'")
		# the server knows the operation by the hash of the whole document,
		# the outbox's: one hash whichever form went
		expect_eq "one hash $code" "$(csql "SELECT payload_hash FROM ops WHERE entity_id = '$id'")" \
			"$(lq "$db" "SELECT payload_hash FROM outbox WHERE entity_id = '$id'")"
	done
	# the compact form went (the access log counts the compact dossiers)
	grep -q 'POST /api/v1/sync/push 200 .* ops=2/0/0/0 compact=2' "$W/sc1.log" ||
		fail "no compact push in the log: $(grep 'sync/push' "$W/sc1.log" | tail -n 3)"
	db2=$(c_store cpb)
	c_login "$db2" cl_a2 || { fail "login 2"; return; }
	c_sync "$db2" || fail "sync 2: $(cat "$W/c/err")"
	for code in $(cat "$W/c/cp.codes"); do
		expect_eq "whole on the second workstation $code" \
			"$(lq "$db2" "SELECT count(*) || ' ' || count(name) || ' ' || sum(originals) FROM dossier_components c JOIN dossiers d ON d.id = c.dossier_id WHERE d.code = '$code'")" \
			"$ncat $ncat 4"
		expect_eq "same components as the first $code" \
			"$(lq "$db2" "SELECT group_concat(seq || name || kind || mandatory || originals_required || copies_required || originals || copies, ';') FROM (SELECT c.* FROM dossier_components c JOIN dossiers d ON d.id = c.dossier_id WHERE d.code = '$code' ORDER BY seq)")" \
			"$(lq "$db" "SELECT group_concat(seq || name || kind || mandatory || originals_required || copies_required || originals || copies, ';') FROM (SELECT c.* FROM dossier_components c JOIN dossiers d ON d.id = c.dossier_id WHERE d.code = '$code' ORDER BY seq)")"
	done
}
