# SPDX-License-Identifier: GPL-3.0-or-later
# Bad input: 4xx JSON errors with stable codes; the server stays up.

t_bad_requests() {
	u=$URL_s1
	printf '{"device_id": "dev-a", "ops": [' >"$W/in"
	st=$(api POST "$u/api/v1/sync/push" "$W/in" "$TOK_A")
	expect_error "truncated JSON" "$st" 400 bad_json
	printf '[1,2,3]' >"$W/in"
	st=$(api POST "$u/api/v1/sync/push" "$W/in" "$TOK_A")
	expect_error "not an object" "$st" 400 bad_json
	printf '\377\376garbage' >"$W/in"
	st=$(api POST "$u/api/v1/auth/login" "$W/in")
	expect_error "binary login" "$st" 400 bad_json
	st=$(api POST "$u/api/v1/auth/login")
	expect_error "empty login" "$st" 400 bad_json
	printf '{"device_id":"dev-a","ops":"no"}' >"$W/in"
	st=$(api POST "$u/api/v1/sync/push" "$W/in" "$TOK_A")
	expect_error "ops not an array" "$st" 400 bad_request
	printf '{"device_id":"dev-a","ops":[{"op_id":"x"}]}' >"$W/in"
	st=$(api POST "$u/api/v1/sync/push" "$W/in" "$TOK_A")
	expect_error "op without fields" "$st" 400 bad_request
	# a receive whose payload lacks what a dossier needs: rejected per op
	printf '{"id":"bad-1","code":"H01.00004-251106-0001"}' >"$W/p"
	h=$("$SYNCTOOL" hash <"$W/p")
	printf '{"device_id":"dev-a","ops":[{"op_id":"bad-op-1","entity":"dossier","entity_id":"bad-1","base_rev":0,"op":"receive","payload":%s,"payload_hash":"%s"},{"op_id":"bad-op-2","entity":"spaceship","entity_id":"x","op":"launch","payload":{},"payload_hash":"%s"}]}' \
		"$(cat "$W/p")" "$h" "$("$SYNCTOOL" hash <<X
{}
X
)" >"$W/in"
	st=$(api POST "$u/api/v1/sync/push" "$W/in" "$TOK_A")
	expect_eq "per-op answers" "$st" 200
	expect_eq "bad payload" "$(jget results.0.status)/$(jget results.0.error.code)" rejected/bad_payload
	expect_eq "unknown op" "$(jget results.1.status)/$(jget results.1.error.code)" rejected/unknown_op
	# more than 100 operations: 413 too_many_ops
	"$SYNCTOOL" batch device=dev-a unit=00004 ident=H01.00004 count=101 prefix=big day=251107 >"$W/in"
	st=$(api POST "$u/api/v1/sync/push" "$W/in" "$TOK_A")
	expect_error "101 ops" "$st" 413 too_many_ops
	expect_eq "none stored" "$(sql "SELECT count(*) FROM dossiers WHERE id LIKE 'big-%'")" 0
	# a body over 4 MB: 413 payload_too_large (with and without a length)
	head -c 5000000 /dev/zero | tr '\0' ' ' >"$W/huge"
	st=$(api POST "$u/api/v1/sync/push" "$W/huge" "$TOK_A")
	expect_error "huge body" "$st" 413 payload_too_large
	st=$(curl -sS -o "$W/body" -w '%{http_code}' -X POST -H "Authorization: Bearer $TOK_A" \
		-H 'Transfer-Encoding: chunked' -H 'Expect:' --data-binary "@$W/huge" "$u/api/v1/sync/push")
	expect_error "huge chunked body" "$st" 413 payload_too_large
	# tokens
	"$SYNCTOOL" batch device=dev-a unit=00004 ident=H01.00004 count=1 prefix=tk day=251107 >"$W/in"
	st=$(api POST "$u/api/v1/sync/push" "$W/in")
	expect_error "no token" "$st" 401 unauthorized
	st=$(api POST "$u/api/v1/sync/push" "$W/in" "mc1_0000000000000000000000000000000000000000000000000000000000000000")
	expect_error "bad token" "$st" 401 unauthorized
	st=$(curl -sS -o "$W/body" -w '%{http_code}' -H 'Authorization: Basic YTpi' "$u/api/v1/sync/changes")
	expect_error "basic auth" "$st" 401 unauthorized
	st=$(api GET "$u/api/v1/sync/changes?limit=0" "" "$TOK_A")
	expect_error "limit 0" "$st" 400 bad_request
	for c in garbage 'x.1.y' '99999999999999999999' '%00'; do
		st=$(api GET "$u/api/v1/sync/changes?since=$c" "" "$TOK_A")
		expect_error "cursor $c" "$st" 410 cursor_expired
	done
	# routes and methods
	st=$(api GET "$u/api/v1/nothing")
	expect_error "unknown route" "$st" 404 not_found
	st=$(api GET "$u/api/v1/sync/push")
	expect_error "GET on push" "$st" 405 method_not_allowed
	st=$(api DELETE "$u/healthz")
	expect_error "DELETE healthz" "$st" 405 method_not_allowed
}

t_path_tricks() {
	u=$URL_s1
	for p in '/api/v1/../healthz' '/api/v1/lookup/../../etc/passwd' '/api/v1/lookup/%2e%2e' \
		'/api/v1/lookup/%2e%2e%2f%2e%2e%2fetc%2fpasswd' '//healthz' '/api/v1/lookup/..%5c..%5cwin.ini' \
		'/api/v1/./auth/me' '/api/v1/lookup/a%00b' "/api/v1/lookup/$(head -c 3000 /dev/zero | tr '\0' 'A')"; do
		st=$(curl -sS --path-as-is -o "$W/body" -w '%{http_code}' "$u$p")
		case $st in
		400|404) ;;
		*) fail "path $p answered $st" ;;
		esac
		code=$(jget error.code)
		case $code in
		bad_path|not_found) ;;
		*) fail "path $p: code [$code] body $(head -c 200 "$W/body")" ;;
		esac
	done
	# an overlong request line (beyond what a server should buffer) does not kill it
	st=$(curl -sS --path-as-is -o /dev/null -w '%{http_code}' "$u/$(head -c 100000 /dev/zero | tr '\0' 'a')")
	case $st in 4*) ;; *) fail "huge path answered $st" ;; esac
	# raw garbage on the socket
	printf 'GARBAGE\r\n\r\n' | curl -s --max-time 5 telnet://127.0.0.1:$PORT_s1 >/dev/null 2>&1
	st=$(api GET "$u/healthz")
	expect_eq "still up" "$st" 200
}

# Bytes that are not UTF-8 in a request's parts that an error message
# quotes (a query argument, the method): still a 4xx with a JSON error, and
# the server still up (an error body JSON cannot carry must not stop it).
t_error_not_utf8() {
	u=$URL_s1
	st=$(api GET "$u/api/v1/indicators?from=%ff%fe&to=2025-10-31" "" "$TOK_A")
	expect_error "a date not UTF-8" "$st" 400 bad_request
	expect_grep "$W/body" 'ngày bắt đầu'
	st=$(curl -sS -o "$W/body" -w '%{http_code}' -X "$(printf 'G\351T')" "$u/healthz" 2>/dev/null || true)
	case $st in
	4??) ;;
	*) fail "a method not UTF-8: got [$st], want a 4xx" ;;
	esac
	expect_eq "healthz after" "$(api GET "$u/healthz")" 200
}
