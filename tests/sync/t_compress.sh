# SPDX-License-Identifier: GPL-3.0-or-later
# Compression both ways: push bodies gzipped (Content-Encoding: gzip), the
# feed gzipped to a client that accepts it (Accept-Encoding), the body limit
# applied to the inflated size (a zip bomb is refused with 413), and the
# client (motcua sync) sending and receiving gzip.

# api_gz METHOD URL FILE TOKEN: like api, the body file sent as it is with
# Content-Encoding: gzip.
api_gz() {
	curl -sS -o "$W/body" -w '%{http_code}' -X "$1" --max-time 60 -H 'Content-Type: application/json' \
		-H 'Content-Encoding: gzip' --data-binary "@$3" -H "Authorization: Bearer $4" "$2" \
		2>"$W/curl.err" || true
}

t_gzip_push_and_feed() {
	u=$URL_s1
	"$SYNCTOOL" batch device=dev-a unit=00004 ident=H01.00004 count=5 prefix=gz day=260105 >"$W/gz.json"
	gzip -c "$W/gz.json" >"$W/gz.json.gz"
	[ "$(stat -c %s "$W/gz.json.gz")" -lt "$(stat -c %s "$W/gz.json")" ] || fail "gzip did not shrink the batch"
	st=$(api_gz POST "$u/api/v1/sync/push" "$W/gz.json.gz" "$TOK_A")
	expect_eq "gzipped push" "$st" 200
	expect_eq "5 applied" "$(jget results.# )/$(jget results.0.status)/$(jget results.4.status)" 5/applied/applied
	expect_eq "stored" "$(sql "SELECT count(*) FROM dossiers WHERE id LIKE 'gz-%'")" 5
	expect_grep "$W/s1.log" "POST /api/v1/sync/push 200 .* in=gzip"
	# the same again, plain: the same op ids and hashes, so duplicates
	st=$(api POST "$u/api/v1/sync/push" "$W/gz.json" "$TOK_A")
	expect_eq "plain resend" "$st/$(jget results.0.status)" 200/duplicate
	# a gzip stream of several members is one body
	head -c 100 "$W/gz.json" | gzip -c >"$W/gz2.gz"
	tail -c +101 "$W/gz.json" | gzip -c >>"$W/gz2.gz"
	st=$(api_gz POST "$u/api/v1/sync/push" "$W/gz2.gz" "$TOK_A")
	expect_eq "two members" "$st/$(jget results.0.status)" 200/duplicate

	# the feed: gzipped when asked, plain otherwise, the same JSON
	curl -sS -D "$W/h1" -o "$W/f.gz" -H 'Accept-Encoding: gzip' -H "Authorization: Bearer $TOK_A" \
		"$u/api/v1/sync/changes?limit=50" || fail "feed gzip"
	expect_grep "$W/h1" "^Content-Encoding: gzip"
	expect_grep "$W/h1" "^Vary: Accept-Encoding"
	expect_grep "$W/h1" "^Accept-Encoding: gzip"
	gzip -dc "$W/f.gz" >"$W/f.json" || fail "feed is not gzip"
	curl -sS -D "$W/h2" -o "$W/f2.json" -H "Authorization: Bearer $TOK_A" \
		"$u/api/v1/sync/changes?limit=50" || fail "feed plain"
	expect_nogrep "$W/h2" "^Content-Encoding"
	cmp -s "$W/f.json" "$W/f2.json" || fail "gzipped feed differs from the plain one"
	expect_eq "50 changes" "$(jget changes.# "$W/f.json")" 50
	[ "$(stat -c %s "$W/f.gz")" -lt "$(($(stat -c %s "$W/f.json") / 3))" ] ||
		fail "feed gzip: $(stat -c %s "$W/f.gz") of $(stat -c %s "$W/f.json") bytes"
	# q=0 refuses gzip
	curl -sS -D "$W/h3" -o /dev/null -H 'Accept-Encoding: gzip;q=0' -H "Authorization: Bearer $TOK_A" \
		"$u/api/v1/sync/changes?limit=50" || fail "feed q=0"
	expect_nogrep "$W/h3" "^Content-Encoding"
}

# The 4 MiB limit is on what the body inflates to: a zip bomb (a few
# hundred kB that inflate to 200 MB) is refused with 413, and so is a
# small body just over the limit; a broken stream is 400, another encoding 415.
t_gzip_limits() {
	u=$URL_s1
	head -c 200000000 /dev/zero | gzip -9 -c >"$W/bomb.gz"
	[ "$(stat -c %s "$W/bomb.gz")" -lt 400000 ] || fail "bomb of $(stat -c %s "$W/bomb.gz") bytes"
	st=$(api_gz POST "$u/api/v1/sync/push" "$W/bomb.gz" "$TOK_A")
	expect_error "zip bomb" "$st" 413 payload_too_large
	# 4 MiB + 1 of JSON spaces: over the limit once inflated, small gzipped
	{ printf '{"device_id":"dev-a","ops":[]'; head -c 4194300 /dev/zero | tr '\0' ' '; printf '}'; } |
		gzip -c >"$W/over.gz"
	st=$(api_gz POST "$u/api/v1/sync/push" "$W/over.gz" "$TOK_A")
	expect_error "over the limit inflated" "$st" 413 payload_too_large
	# just under it: taken
	{ printf '{"device_id":"dev-a","ops":[]'; head -c 4000000 /dev/zero | tr '\0' ' '; printf '}'; } |
		gzip -c >"$W/under.gz"
	st=$(api_gz POST "$u/api/v1/sync/push" "$W/under.gz" "$TOK_A")
	expect_eq "under the limit inflated" "$st" 200
	# a cut stream, garbage, another encoding
	"$SYNCTOOL" batch device=dev-a unit=00004 ident=H01.00004 count=2 prefix=gzcut day=260106 |
		gzip -c >"$W/cut.gz"
	head -c $(($(stat -c %s "$W/cut.gz") - 10)) "$W/cut.gz" >"$W/cut2.gz"
	st=$(api_gz POST "$u/api/v1/sync/push" "$W/cut2.gz" "$TOK_A")
	expect_error "cut stream" "$st" 400 bad_encoding
	printf 'not gzip at all' >"$W/junk"
	st=$(api_gz POST "$u/api/v1/sync/push" "$W/junk" "$TOK_A")
	expect_error "not gzip" "$st" 400 bad_encoding
	st=$(curl -sS -o "$W/body" -w '%{http_code}' -X POST -H 'Content-Encoding: br' \
		-H "Authorization: Bearer $TOK_A" --data-binary "@$W/junk" "$u/api/v1/sync/push")
	expect_error "brotli" "$st" 415 unsupported_encoding
	expect_eq "nothing stored" "$(sql "SELECT count(*) FROM dossiers WHERE id LIKE 'gzcut-%'")" 0
}

# motcua sync sends its pushes gzipped and asks for a gzipped feed.
t_client_gzip() {
	c_setup || return
	c_input
	db=$(c_store gz)
	c_login "$db" cl_a || { fail "login: $(cat "$W/c/err")"; return; }
	c_sync "$db" || fail "first sync: $(cat "$W/c/err")"
	n0=$(grep -c 'GET /api/v1/sync/changes.* 200 ' "$W/sc1.log")
	c_receive "$db" cl_a 3 || return
	before=$(wc -l <"$W/sc1.log")
	c_sync "$db" || fail "sync: $(cat "$W/c/err")"
	expect_eq "pushed" "$(sum pushed)" 3
	tail -n +"$((before + 1))" "$W/sc1.log" >"$W/c/gz.log"
	expect_grep "$W/c/gz.log" "POST /api/v1/sync/push 200 .* ops=3/0/0/0 compact=3 in=gzip"
	[ "$n0" -ge 1 ] || fail "no feed request logged"
	# the dossiers came back from the gzipped feed into a second workstation
	db2=$(c_store gz2)
	c_login "$db2" cl_a2 || { fail "login 2"; return; }
	curl -sS -D "$W/c/h" -o /dev/null -H 'Accept-Encoding: gzip' -H "Authorization: Bearer $(lq "$db2" "SELECT token FROM sync_state")" \
		"$C_URL/api/v1/sync/changes?limit=500"
	expect_grep "$W/c/h" "^Content-Encoding: gzip"
	c_sync "$db2" || fail "sync 2: $(cat "$W/c/err")"
	for code in $(cat "$W/c/codes" | tail -n 3); do
		expect_eq "pulled $code" "$(lq "$db2" "SELECT count(*) FROM dossiers WHERE code = '$code'")" 1
	done
}
