# SPDX-License-Identifier: GPL-3.0-or-later
# Snapshots for new workstations (server/snapshot.c, sync/snapshot.c): a new
# store that starts from the snapshot of its unit and follows the feed from
# its cursor holds the same records as one that pulled the whole feed; a
# snapshot download cut by the link resumes where it stopped (HTTP Range,
# through tests/sync/slowproxy.c); another unit's token is refused; Range on
# GET /api/v1/snapshots/{id} and on GET /api/v1/blobs/{sha256}.
# Uses the client tests' helpers (t_client_sync.sh) and a second server on
# their database that makes snapshots of any size (snapshot_min_changes 1).

# snap_serve: that server; SNAP_URL.
snap_serve() {
	[ -n "${SNAP_URL:-}" ] && return 0
	save_pg=$PG
	PG=$PGC
	MOTCUA_SNAPSHOT_MIN_CHANGES=1 start_server snap || { PG=$save_pg; return 1; }
	PG=$save_pg
	SNAP_URL=$URL_snap
}

# snap_dump DB: the records of a store that must agree, one line each.
snap_dump() {
	sqlite3 "$1" "SELECT id, code, procedure_code, unit_code, status, received_at, appointment,
		applicant_name, id_number, rev FROM dossiers ORDER BY id;
		SELECT dossier_id, seq, name, originals, copies FROM dossier_components
		ORDER BY dossier_id, seq;
		SELECT id, dossier_id, kind, status_from, status_to FROM events ORDER BY id;
		SELECT dossier_id, status, amount FROM dossier_fees ORDER BY dossier_id;
		SELECT count(*) FROM procedures; SELECT count(*) FROM components;
		SELECT count(*) FROM units; SELECT count(*) FROM holidays;"
}

t_snapshot_same_as_feed() {
	c_setup || return
	c_input
	snap_serve || { fail "snapshot server"; return; }
	old=$(c_store snap_first)
	c_login "$old" cl_a2 || { fail "login: $(cat "$W/c/err")"; return; }
	: >"$W/c/snap.codes"
	c_receive "$old" cl_a2 3 "$W/c/snap.codes" || return
	c_sync "$old" || { fail "sync of the first workstation: $(cat "$W/c/err")"; return; }
	# one of them moves on (a second change of the same dossier)
	code=$(head -n 1 "$W/c/snap.codes")
	MOTCUA_NOW=$C_NOW "$MOTCUA" act "$code" result-ready --result-code KQ-S --db "$old" \
		--user cl_a2 >/dev/null 2>"$W/c/act.err" || fail "act: $(cat "$W/c/act.err")"
	c_sync "$old" || { fail "second sync: $(cat "$W/c/err")"; return; }

	# the whole feed (the usual server: too few changes for a snapshot)
	feed=$(c_store snap_feed)
	c_login "$feed" cl_a || { fail "login feed: $(cat "$W/c/err")"; return; }
	c_sync "$feed" || { fail "feed sync: $(cat "$W/c/err")"; return; }
	# from the snapshot
	snap=$(c_store snap_snap)
	c_login "$snap" cl_a3 "$SNAP_URL" || { fail "login snap: $(cat "$W/c/err")"; return; }
	c_sync "$snap" || { fail "snapshot sync: $(cat "$W/c/err")"; return; }
	expect_eq "snapshot taken" "$("$PGBIN/psql" -X -q -A -t -h "$W/sock" -U postgres -d motcua_c \
		-c "SELECT count(*) FROM snapshots")" 1
	expect_eq "download row gone" "$(lq "$snap" "SELECT count(*) FROM snapshot_download")" 0
	[ -n "$(lq "$snap" "SELECT cursor FROM sync_state")" ] || fail "no cursor after the snapshot"
	snap_dump "$feed" >"$W/c/dump.feed"
	snap_dump "$snap" >"$W/c/dump.snap"
	[ "$(wc -l <"$W/c/dump.feed")" -gt 20 ] || fail "feed store nearly empty: $(cat "$W/c/dump.feed")"
	cmp -s "$W/c/dump.feed" "$W/c/dump.snap" ||
		fail "snapshot store differs from the feed's: $(diff "$W/c/dump.feed" "$W/c/dump.snap" | head -20)"
	# the feed goes on from the snapshot's cursor
	c_receive "$old" cl_a2 1 "$W/c/snap.codes" || return
	c_sync "$old" || { fail "third sync: $(cat "$W/c/err")"; return; }
	c_sync "$feed" || fail "feed sync 2: $(cat "$W/c/err")"
	c_sync "$snap" || fail "snapshot store sync 2: $(cat "$W/c/err")"
	expect_eq "pulled after the snapshot" "$(sum pulled)" 1
	snap_dump "$feed" >"$W/c/dump.feed"
	snap_dump "$snap" >"$W/c/dump.snap"
	cmp -s "$W/c/dump.feed" "$W/c/dump.snap" ||
		fail "after the feed went on: $(diff "$W/c/dump.feed" "$W/c/dump.snap" | head -20)"
	while read -r code; do
		expect_eq "dossier $code" "$(lq "$snap" "SELECT count(*) FROM dossiers WHERE code = '$code'")" 1
	done <"$W/c/snap.codes"
}

# The link cut while the snapshot comes down: the bytes that came are kept
# and the rest is asked for with Range; nothing comes twice.
t_snapshot_resume_after_cut() {
	c_setup || return
	snap_serve || { fail "snapshot server"; return; }
	port=${URL_snap##*:}
	: >"$W/c/proxy.log"
	"$SLOWPROXY" --target "127.0.0.1:$port" --rate-down 400000 --cut-prob 0.01 --max-cuts 3 \
		--seed 7 2>>"$W/c/proxy.log" &
	PROXY_PID=$!
	SERVER_PIDS="$SERVER_PIDS $PROXY_PID"
	i=0
	while ! grep -q "listening on 127\.0\.0\.1:[0-9][0-9]*$" "$W/c/proxy.log"; do
		i=$((i+1)); [ $i -lt 200 ] || { fail "proxy did not start"; return; }
		sleep 0.05
	done
	purl=http://127.0.0.1:$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$W/c/proxy.log")
	db=$(c_store snap_cut)
	c_login "$db" cl_a3 "$SNAP_URL" || { fail "login: $(cat "$W/c/err")"; return; }
	lq "$db" "UPDATE sync_state SET server_url = '$purl' WHERE id = 1"
	n=0
	: >"$W/c/cut.log"
	until c_sync "$db"; do
		cat "$W/c/sum" "$W/c/err" >>"$W/c/cut.log"
		n=$((n+1))
		[ $n -lt 8 ] || { fail "no complete pass through the cut link: $(cat "$W/c/err")"; break; }
	done
	cat "$W/c/sum" >>"$W/c/cut.log"
	c_proxy_stop
	grep -q "slowproxy: cut" "$W/c/proxy.log" || fail "the link was never cut: $(cat "$W/c/proxy.log")"
	# a cut mid-snapshot is said with how far it got, and resumed from there
	grep -q 'Tải bản chụp dữ liệu bị ngắt ([1-9][0-9]*/[0-9]* byte)' "$W/c/cut.log" ||
		fail "no resumed cut in the summaries: $(head -c 900 "$W/c/cut.log")"
	size=$("$PGBIN/psql" -X -q -A -t -h "$W/sock" -U postgres -d motcua_c \
		-c "SELECT size FROM snapshots ORDER BY created_at DESC LIMIT 1")
	down=$(sed -n 's/^slowproxy: \([0-9]*\) bytes down$/\1/p' "$W/c/proxy.log")
	# resumed, not started again: the snapshot and the other answers come
	# down once, with room for the headers and the bytes lost in the cuts
	[ "$down" -lt $((size + size / 2)) ] || fail "$down bytes down for a snapshot of $size"
	expect_eq "procedures after a cut download" \
		"$(lq "$db" "SELECT count(*) FROM procedures")" \
		"$("$PGBIN/psql" -X -q -A -t -h "$W/sock" -U postgres -d motcua_c -c "SELECT count(*) FROM procedures")"
	expect_eq "download row gone" "$(lq "$db" "SELECT count(*) FROM snapshot_download")" 0
}

# The API: the snapshot of one's units, Range, another unit's token refused
# with a stable code, a short scope answered no_snapshot on the usual server.
t_snapshot_api_scope_range() {
	c_setup || return
	snap_serve || { fail "snapshot server"; return; }
	ta=$(login "$SNAP_URL" cl_a dev-snap-a) || { fail "login cl_a"; return; }
	tb=$(login "$SNAP_URL" cl_b dev-snap-b) || { fail "login cl_b"; return; }
	hdr="Motcua-Protocol: 2"
	st=$(curl -sS -o "$W/body" -w '%{http_code}' -H "$hdr" -H "Authorization: Bearer $ta" \
		"$SNAP_URL/api/v1/snapshot")
	expect_eq "snapshot" "$st" 200
	id=$(jget id) url=$(jget url) size=$(jget bytes)
	[ ${#id} = 64 ] || fail "snapshot id: $(cat "$W/body")"
	# without a token
	st=$(api GET "$SNAP_URL$url")
	expect_eq "no token" "$st" 401
	# the whole, then the same in two ranges
	st=$(curl -sS -o "$W/whole" -w '%{http_code}' -H "Authorization: Bearer $ta" "$SNAP_URL$url")
	expect_eq "whole" "$st" 200
	expect_eq "whole size" "$(stat -c %s "$W/whole")" "$size"
	expect_eq "whole hash" "$(sha256sum <"$W/whole" | cut -c1-64)" "$id"
	half=$((size / 2))
	curl -sS -o "$W/p1" -H "Authorization: Bearer $ta" -r "0-$((half - 1))" "$SNAP_URL$url"
	st=$(curl -sS -o "$W/p2" -D "$W/h2" -w '%{http_code}' -H "Authorization: Bearer $ta" \
		-r "$half-" "$SNAP_URL$url")
	expect_eq "range" "$st" 206
	grep -qi "^content-range: bytes $half-$((size - 1))/$size" "$W/h2" ||
		fail "content-range: $(cat "$W/h2")"
	cat "$W/p1" "$W/p2" | cmp -s - "$W/whole" || fail "two ranges are not the whole"
	st=$(curl -sS -o "$W/body" -w '%{http_code}' -H "Authorization: Bearer $ta" \
		-r "$size-" "$SNAP_URL$url")
	expect_error "past the end" "$st" 416 range_not_satisfiable
	# another unit's clerk: its own snapshot is another one, and ours is refused
	st=$(curl -sS -o "$W/body" -w '%{http_code}' -H "Authorization: Bearer $tb" "$SNAP_URL$url")
	expect_error "another unit" "$st" 403 out_of_scope
	st=$(curl -sS -o "$W/body" -w '%{http_code}' -H "$hdr" -H "Authorization: Bearer $tb" \
		"$SNAP_URL/api/v1/snapshot")
	expect_eq "cl_b's snapshot" "$st" 200
	[ "$(jget id)" != "$id" ] || fail "cl_b got cl_a's snapshot"
	st=$(curl -sS -o "$W/body" -w '%{http_code}' -H "Authorization: Bearer $ta" \
		"$SNAP_URL/api/v1/snapshots/$(printf '%064d' 0)")
	expect_error "unknown snapshot" "$st" 404 not_found
	# a protocol 1 client, and the usual server with few changes
	st=$(curl -sS -o "$W/body" -w '%{http_code}' -H "Motcua-Protocol: 1" \
		-H "Authorization: Bearer $ta" "$SNAP_URL/api/v1/snapshot")
	expect_error "protocol 1" "$st" 400 protocol_outdated
	tc=$(login "$C_URL" cl_a dev-snap-c) || { fail "login on the usual server"; return; }
	st=$(curl -sS -o "$W/body" -w '%{http_code}' -H "$hdr" -H "Authorization: Bearer $tc" \
		"$C_URL/api/v1/snapshot")
	expect_error "few changes" "$st" 404 no_snapshot
	# motcua-server snapshot: a unit it does not know is bad input
	"$SERVER" snapshot --pg "$PGC" --unit 00004 >"$W/snapcmd" 2>"$W/snapcmd.err"
	expect_eq "snapshot command" "$?" 0
	grep -q '"cursor":"' "$W/snapcmd" || fail "snapshot command said: $(cat "$W/snapcmd")"
	"$SERVER" snapshot --pg "$PGC" --unit nope >/dev/null 2>"$W/snapcmd.err"
	expect_eq "unknown unit" "$?" 2
}

# GET /api/v1/blobs/{sha256} with Range: a paper's download the link cut
# goes on from its last byte (the parts make the whole file), a range past
# the end is 416 range_not_satisfiable, and another commune's clerk is still
# refused (404 not_found, as HEAD answers: it tells no clerk what another
# commune holds).
t_blob_range() {
	u=$URL_s1
	mkdir -p "$W/f"
	head -c 120000 /dev/urandom >"$W/br"
	sha=$(sha256sum "$W/br" | cut -d' ' -f1)
	md="sha256 $(printf %s "$sha" | base64 -w0)"
	st=$(tus POST "$u/api/v1/uploads" -H 'Upload-Length: 120000' -H "Upload-Metadata: $md")
	loc=$(hdr Location)
	st=$(tus PATCH "$u$loc" -H 'Content-Type: application/offset+octet-stream' \
		-H 'Upload-Offset: 0' --data-binary "@$W/br")
	expect_eq "sent" "$st" 204
	"$SYNCTOOL" batch device=dev-a unit=00004 ident=H01.00004 count=1 prefix=fbr day=251123 >"$W/f/batch"
	st=$(api POST "$u/api/v1/sync/push" "$W/f/batch" "$TOK_A")
	expect_eq "reception" "$st $(jget results.0.status)" "200 applied"
	expect_eq "a paper of 00004" "$(f_attach_op "$TOK_A" dev-a fbr-a1 fbr-d-000001 1 fbr-doc-1 "$sha" fbr-e1)" applied
	st=$(curl -sS -o "$W/br1" -D "$W/brh1" -w '%{http_code}' -H "Authorization: Bearer $TOK_A" \
		-r 0-49999 "$u/api/v1/blobs/$sha")
	expect_eq "first part" "$st $(stat -c %s "$W/br1")" "206 50000"
	grep -qi '^content-range: bytes 0-49999/120000' "$W/brh1" || fail "content-range: $(cat "$W/brh1")"
	st=$(curl -sS -o "$W/br2" -w '%{http_code}' -H "Authorization: Bearer $TOK_A" \
		-r 50000- "$u/api/v1/blobs/$sha")
	expect_eq "the rest" "$st $(stat -c %s "$W/br2")" "206 70000"
	cat "$W/br1" "$W/br2" | cmp -s - "$W/br" || fail "the parts are not the file"
	st=$(curl -sS -o "$W/body" -D "$W/brh3" -w '%{http_code}' -H "Authorization: Bearer $TOK_A" \
		-r 120000- "$u/api/v1/blobs/$sha")
	expect_error "past the end" "$st" 416 range_not_satisfiable
	grep -qi '^content-range: bytes \*/120000' "$W/brh3" || fail "416 content-range: $(cat "$W/brh3")"
	st=$(curl -sS -o "$W/body" -w '%{http_code}' -H "Authorization: Bearer $TOK_B" \
		-r 50000- "$u/api/v1/blobs/$sha")
	expect_error "another commune" "$st" 404 not_found
	st=$(curl -sS -o "$W/br0" -w '%{http_code}' -H "Authorization: Bearer $TOK_A" "$u/api/v1/blobs/$sha")
	expect_eq "whole without Range" "$st" 200
	cmp -s "$W/br0" "$W/br" || fail "the whole file differs"
}

# motcua paper: a paper stored on the server only is fetched when it is
# opened (sync/paper.c); offline the clerk is told so in Vietnamese (exit 1,
# nothing kept); the parts a cut link brought are kept and only the rest
# comes (Range, counted by a slowproxy); fetched papers are a cache under
# paper_cache_mb, the least recently used evicted.
t_paper_on_demand() {
	u=$URL_s1
	mkdir -p "$W/f" "$W/pod"
	MOTCUA=${MOTCUA:-$(dirname "$SERVER")/motcua}
	SLOWPROXY=${SLOWPROXY:-$(dirname "$SERVER")/tests/slowproxy}
	"$SYNCTOOL" batch device=dev-a unit=00004 ident=H01.00004 count=2 prefix=fpod day=251124 >"$W/f/batch"
	st=$(api POST "$u/api/v1/sync/push" "$W/f/batch" "$TOK_A")
	expect_eq "receptions" "$st $(jget results.1.status)" "200 applied"
	for k in 1 2; do
		head -c 120000 /dev/urandom >"$W/pod/p$k"
		sha=$(sha256sum "$W/pod/p$k" | cut -d' ' -f1)
		eval "sha$k=$sha"
		md="sha256 $(printf %s "$sha" | base64 -w0)"
		st=$(tus POST "$u/api/v1/uploads" -H 'Upload-Length: 120000' -H "Upload-Metadata: $md")
		loc=$(hdr Location)
		st=$(tus PATCH "$u$loc" -H 'Content-Type: application/offset+octet-stream' \
			-H 'Upload-Offset: 0' --data-binary "@$W/pod/p$k")
		expect_eq "paper $k sent" "$st" 204
		expect_eq "paper $k attached" "$(f_attach_op "$TOK_A" dev-a fpod-a$k fpod-d-00000$k 1 \
			fpod-doc-$k "$sha" fpod-e$k)" applied
	done
	db=$W/pod/ws.db
	"$MOTCUA" init --db "$db" --unit 00004 >/dev/null 2>"$W/pod/err" || { fail "init: $(cat "$W/pod/err")"; return; }
	echo matkhau123 | "$MOTCUA" login --db "$db" --server "$u" --username clerk_a2 \
		--device-name "Máy pod" >/dev/null 2>"$W/pod/err" || { fail "login: $(cat "$W/pod/err")"; return; }
	# offline: said, exit 1, nothing kept
	sqlite3 "$db" "UPDATE sync_state SET server_url = 'http://127.0.0.1:1' WHERE id = 1"
	"$MOTCUA" paper "$sha1" --db "$db" >"$W/pod/out" 2>"$W/pod/err"
	expect_eq "offline" "$?" 1
	grep -q "Giấy tờ này chỉ có trên máy chủ và máy trạm đang mất kết nối" "$W/pod/err" ||
		fail "offline message: $(cat "$W/pod/err")"
	[ -e "$W/pod/documents/$sha1.pdf" ] && fail "a file kept offline"
	"$MOTCUA" paper nothex --db "$db" >/dev/null 2>&1
	expect_eq "bad hash" "$?" 2
	# a cut left the first 50,000 bytes: only the rest comes
	head -c 50000 "$W/pod/p1" >"$W/pod/p1a"
	sqlite3 "$db" "INSERT INTO paper_chunks(sha256, pos, data) VALUES ('$sha1', 0, readfile('$W/pod/p1a'))"
	: >"$W/pod/proxy.log"
	"$SLOWPROXY" --target "127.0.0.1:${u##*:}" 2>>"$W/pod/proxy.log" &
	ppid=$!
	SERVER_PIDS="$SERVER_PIDS $ppid"
	i=0
	while ! grep -q "listening on 127\.0\.0\.1:[0-9][0-9]*$" "$W/pod/proxy.log"; do
		i=$((i+1)); [ $i -lt 200 ] || { fail "proxy did not start"; return; }
		sleep 0.05
	done
	pport=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$W/pod/proxy.log")
	sqlite3 "$db" "UPDATE sync_state SET server_url = 'http://127.0.0.1:$pport' WHERE id = 1"
	"$MOTCUA" paper "$sha1" --db "$db" >"$W/pod/out" 2>"$W/pod/err"
	expect_eq "fetched" "$?" 0
	grep -q '"fetched":true' "$W/pod/out" || fail "paper 1: $(cat "$W/pod/out") $(cat "$W/pod/err")"
	kill -TERM $ppid 2>/dev/null
	wait $ppid 2>/dev/null
	SERVER_PIDS=$(echo "$SERVER_PIDS" | sed "s/ $ppid\b//")
	down=$(sed -n 's/^slowproxy: \([0-9]*\) bytes down$/\1/p' "$W/pod/proxy.log")
	[ "$down" -ge 70000 ] && [ "$down" -lt 80000 ] || fail "$down bytes down for the 70,000 missing"
	cmp -s "$W/pod/documents/$sha1.pdf" "$W/pod/p1" || fail "paper 1 is not the file"
	expect_eq "parts gone" "$(sqlite3 "$db" "SELECT count(*) FROM paper_chunks")" 0
	# the cache holds 150 kB: the second paper evicts the first
	sqlite3 "$db" "UPDATE sync_state SET server_url = '$u' WHERE id = 1;
		INSERT OR REPLACE INTO settings(key, value) VALUES ('paper_cache_mb', '0.15')"
	"$MOTCUA" paper "$sha2" --db "$db" >"$W/pod/out" 2>"$W/pod/err" || fail "paper 2: $(cat "$W/pod/err")"
	grep -q '"fetched":true,"evicted":1' "$W/pod/out" || fail "paper 2: $(cat "$W/pod/out")"
	[ -e "$W/pod/documents/$sha1.pdf" ] && fail "paper 1 not evicted"
	cmp -s "$W/pod/documents/$sha2.pdf" "$W/pod/p2" || fail "paper 2 is not the file"
	expect_eq "cache" "$(sqlite3 "$db" "SELECT sha256 FROM paper_cache")" "$sha2"
	"$MOTCUA" paper "$sha2" --db "$db" >"$W/pod/out" 2>"$W/pod/err" || fail "paper 2 again: $(cat "$W/pod/err")"
	grep -q '"fetched":false' "$W/pod/out" || fail "paper 2 again: $(cat "$W/pod/out")"
}
