# SPDX-License-Identifier: GPL-3.0-or-later
# docs/openapi.yaml matches the server: every operation it lists answers (no
# 404/405) with a status it documents, and every route of the server's table
# is listed, with its authentication, there and in docs/api.md; the error
# codes of core/errors.h are the ones both documents list.

t_openapi_matches() {
	spec=$DOCS/openapi.yaml
	# a dossier for the lookup
	"$SYNCTOOL" batch device=dev-a unit=00004 ident=H01.00004 count=1 prefix=oa day=251108 >"$W/batch"
	api POST "$URL_s1/api/v1/sync/push" "$W/batch" "$TOK_A" >/dev/null
	# a file (the empty one: done at creation) and an upload under way
	empty=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
	md="sha256 $(printf %s "$empty" | base64 -w0)"
	curl -sS -o /dev/null -X POST -H "Authorization: Bearer $TOK_A" -H 'Tus-Resumable: 1.0.0' \
		-H 'Upload-Length: 0' -H "Upload-Metadata: $md" "$URL_s1/api/v1/uploads"
	md="sha256 $(printf %064d 0 | base64 -w0)"
	upload=$(curl -sS -o /dev/null -D - -X POST -H "Authorization: Bearer $TOK_A" \
		-H 'Tus-Resumable: 1.0.0' -H 'Upload-Length: 10' -H "Upload-Metadata: $md" \
		"$URL_s1/api/v1/uploads" | tr -d '\r' | sed -n 's|^Location: /api/v1/uploads/||Ip')
	[ -n "$upload" ] || fail "no upload for the spec test"
	awk '
		/^paths:/ { inpaths = 1; next }
		inpaths && /^  \/[^ ]*:$/ { path = $1; sub(/:$/, "", path); next }
		inpaths && /^    (get|post|put|patch|delete|head|options):$/ { m = $1; sub(/:$/, "", m); ops[++n] = m " " path; next }
		inpaths && /^        .[0-9][0-9][0-9].:/ { s = $1; gsub(/[^0-9]/, "", s); st[n] = st[n] " " s }
		END { for (i = 1; i <= n; i++) print ops[i] " |" st[i] " |" }
	' "$spec" >"$W/ops"
	[ "$(wc -l <"$W/ops")" -ge 15 ] || fail "too few operations in openapi.yaml: $(cat "$W/ops")"
	while read -r method path rest; do
		statuses=${rest#|}
		url=$(echo "$path" | sed -e 's/{code}/H01.00004-251108-0001/' -e "s/{sha256}/$empty/" \
			-e "s/{id}/$upload/")
		tok=$(login "$URL_s1" clerk_a dev-openapi)
		M=$(echo "$method" | tr a-z A-Z)
		case $M in
		POST|PATCH)
			printf '{}' >"$W/in"
			st=$(curl -sS -o "$W/body" -w '%{http_code}' -X "$M" -H "Authorization: Bearer $tok" \
				-H 'Tus-Resumable: 1.0.0' -H 'Content-Type: application/json' \
				--data-binary "@$W/in" "$URL_s1$url") ;;
		HEAD)
			st=$(curl -sS -o "$W/body" -w '%{http_code}' -I -H "Authorization: Bearer $tok" \
				-H 'Tus-Resumable: 1.0.0' "$URL_s1$url") ;;
		*)
			st=$(curl -sS -o "$W/body" -w '%{http_code}' -X "$M" -H "Authorization: Bearer $tok" \
				-H 'Tus-Resumable: 1.0.0' "$URL_s1$url") ;;
		esac
		case $st in
		404|405|000) fail "$M $path answers $st" ;;
		esac
		case "$statuses " in
		*" $st "*) ;;
		*) fail "$M $path answered $st, not documented (documented:$statuses)" ;;
		esac
	done <"$W/ops"
	# every route of the server's table (server/routes.c, as `motcua-server
	# routes` prints it) is in the spec, with its authentication
	"$SERVER" routes >"$W/routes" || fail "motcua-server routes failed"
	[ "$(wc -l <"$W/routes")" -ge 15 ] || fail "route table too short: $(cat "$W/routes")"
	while read -r method path auth name; do
		p=$path
		grep -q "^  $p:\$" "$spec" || fail "route $method $path missing from openapi.yaml"
		m=$(echo "$method" | tr A-Z a-z)
		awk -v p="  $p:" -v m="    $m:" '$0 == p { f = 1; next } f && /^  [^ ]/ { f = 0 } f && $0 == m { found = 1 } END { exit !found }' \
			"$spec" || fail "route $method $path: method missing from openapi.yaml"
		# the operation's block says security: [{bearer: []}] exactly when a token is needed
		sec=$(awk -v p="  $p:" -v m="    $m:" '$0 == p { f = 1; next } f && /^  [^ ]/ { f = 0 }
			f && /^    [a-z]+:$/ { op = ($0 == m) } f && op && /^      security: \[\{bearer: \[\]\}\]$/ { s = 1 }
			END { print s ? "token" : "-" }' "$spec")
		expect_eq "openapi.yaml security of $method $path" "$sec" "$auth"
		# docs/api.md's route table: the same path, the method, the same auth
		row=$(grep -F "| \`$path\` |" "$DOCS/api.md" | grep -E "^\| ([A-Z]+, )*$method(, [A-Z]+)* \|" | head -1)
		[ -n "$row" ] || fail "route $method $path missing from the table of docs/api.md"
		case $auth in
		token) case $row in *"| token |"*) ;; *) fail "docs/api.md: $method $path needs a token: $row" ;; esac ;;
		*) case $row in *"| — |"*) ;; *) fail "docs/api.md: $method $path needs no token: $row" ;; esac ;;
		esac
		[ -n "$name" ] || fail "route $method $path has no name"
	done <"$W/routes"
	# and every route is in docs/api.md
	for p in /healthz /metrics /api/v1/auth/login /api/v1/auth/logout /api/v1/auth/me \
		/api/v1/sync/push /api/v1/sync/changes /api/v1/leases '/api/v1/lookup/{code}' \
		'/api/v1/blobs/{sha256}' /api/v1/uploads '/api/v1/uploads/{id}'; do
		grep -q "\`$p\`" "$DOCS/api.md" || fail "$p missing from docs/api.md"
	done
}

# Auth as documented: every operation the spec secures (the root's bearer,
# unless the operation says "security: []") answers 401 unauthorized with a
# Bearer challenge without a token, and documents 401; every public one
# answers without a token; every error code the server gives is in the spec's
# enum.
t_openapi_auth() {
	spec=$DOCS/openapi.yaml
	awk '
		/^security: \[\{bearer: \[\]\}\]/ { root = "bearer" }
		/^paths:/ { inpaths = 1; next }
		inpaths && /^  \/[^ ]*:$/ { path = $1; sub(/:$/, "", path); next }
		inpaths && /^    (get|post|put|patch|delete|head|options):$/ { m = $1; sub(/:$/, "", m); ops[++n] = m " " path; sec[n] = root; next }
		inpaths && /^      security: \[\]/ { sec[n] = "public"; next }
		inpaths && /^      security: \[\{bearer: \[\]\}\]/ { sec[n] = "bearer"; next }
		inpaths && /^        .[0-9][0-9][0-9].:/ { s = $1; gsub(/[^0-9]/, "", s); st[n] = st[n] " " s }
		END { for (i = 1; i <= n; i++) print ops[i] " " sec[i] " |" st[i] " |" }
	' "$spec" >"$W/authops"
	[ "$(wc -l <"$W/authops")" -ge 15 ] || fail "too few operations: $(cat "$W/authops")"
	grep -q "^get /api/v1/indicators bearer " "$W/authops" ||
		fail "/api/v1/indicators not secured in the spec: $(grep indicators "$W/authops")"
	codes=$(sed -n '/enum: \[bad_json/,/\]/p' "$spec" | tr -d '[],' | sed 's/enum://')
	[ "$(echo $codes | wc -w)" -ge 15 ] || fail "error codes not found in the spec"
	empty=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
	public=0 secured=0
	while read -r method path sec rest; do
		statuses=${rest#|}
		url=$(echo "$path" | sed -e 's/{code}/H01.00004-251108-0001/' -e "s/{sha256}/$empty/" \
			-e "s/{id}/0123456789abcdef0123456789abcdef/")
		M=$(echo "$method" | tr a-z A-Z)
		# no Authorization header at all; what tus asks for, and a JSON body
		set -- -sS -o "$W/body" -D "$W/hdrs" -w '%{http_code}' -H 'Tus-Resumable: 1.0.0'
		case $M in
		HEAD) set -- "$@" -I ;;
		POST|PATCH) printf '{}' >"$W/in"; set -- "$@" -X "$M" -H 'Content-Type: application/json' --data-binary "@$W/in" ;;
		*) set -- "$@" -X "$M" ;;
		esac
		st=$(curl "$@" "$URL_s1$url")
		case $sec in
		bearer)
			secured=$((secured+1))
			expect_eq "$M $path without a token" "$st" 401
			grep -qi '^WWW-Authenticate: Bearer' "$W/hdrs" || fail "$M $path: no Bearer challenge"
			case "$statuses " in *" 401 "*) ;; *) fail "$M $path: 401 not documented" ;; esac
			if [ "$M" != HEAD ]; then
				expect_eq "$M $path: code" "$(jget error.code)" unauthorized
			fi ;;
		public)
			public=$((public+1))
			[ "$st" != 401 ] || fail "$M $path is public in the spec but asks for a token"
			case "$statuses " in *" $st "*) ;; *) fail "$M $path answered $st without a token, not documented ($statuses)" ;; esac ;;
		*) fail "$M $path: no security in the spec" ;;
		esac
		# a JSON error's code is one the spec lists
		if [ "$M" != HEAD ] && [ "${st#[45]}" != "$st" ] && grep -q '"error"' "$W/body"; then
			c=$(jget error.code)
			case " $(echo $codes) " in *" $c "*) ;; *) fail "$M $path: error code $c not in the spec" ;; esac
		fi
	done <"$W/authops"
	expect_eq "public operations" "$public" 5
	[ "$secured" -ge 11 ] || fail "only $secured secured operations"
	# a revoked token is refused as documented too
	tok=$(login "$URL_s1" clerk_a dev-auth)
	st=$(api GET "$URL_s1/api/v1/indicators?from=2025-10-01&to=2025-10-31" "" "$tok")
	expect_eq "indicators with a token" "$st" 200
	"$SERVER" token revoke --pg "$PG" --device dev-auth >/dev/null || fail "revoke"
	st=$(api GET "$URL_s1/api/v1/indicators?from=2025-10-01&to=2025-10-31" "" "$tok")
	expect_error "indicators with a revoked token" "$st" 401 unauthorized
}

# The error codes: the server's table (core/errors.h, as `motcua-server
# errors` prints it) is the one docs/api.md lists (with the same status, a
# push operation's codes as conflict exactly when the status is 409) and the
# one docs/openapi.yaml enumerates.
t_error_codes_documented() {
	"$SERVER" errors >"$W/errors" || fail "motcua-server errors failed"
	[ "$(wc -l <"$W/errors")" -ge 30 ] || fail "error table too short: $(cat "$W/errors")"
	# docs/api.md, section "Error codes": "| 404 | `not_found` |" and "| conflict | `stale_rev` |"
	sed -n '/^### Error codes/,/^## /p' "$DOCS/api.md" |
		sed -n 's/^| \([0-9a-z]*\) | `\([a-z_]*\)` |.*/\1 \2/p' >"$W/doc_codes"
	[ "$(wc -l <"$W/doc_codes")" -ge 30 ] || fail "docs/api.md error tables not found"
	while read -r status code _; do
		grep -q " $code\$" "$W/doc_codes" || fail "$code ($status) missing from docs/api.md"
		grep -q "^[0-9]* $code\$" "$W/doc_codes" && { grep -q "^$status $code\$" "$W/doc_codes" ||
			fail "docs/api.md gives $code another status than $status"; }
		if grep -q "^conflict $code\$" "$W/doc_codes"; then
			[ "$status" = 409 ] || fail "docs/api.md: $code is a conflict but its status is $status"
		elif grep -q "^rejected $code\$" "$W/doc_codes"; then
			[ "$status" != 409 ] || fail "docs/api.md: $code is rejected but its status is 409"
		fi
	done <"$W/errors"
	while read -r status code; do
		grep -q "^[0-9]* $code " "$W/errors" || fail "docs/api.md lists $code ($status), the server has no such code"
	done <"$W/doc_codes"
	# docs/openapi.yaml: the enums of Error.code and OpResult.error.code
	awk '/^ +code:$/ { c = 1; next } c && /^ +type:/ { next } c && /^ +enum: \[/ { e = 1 }
		e { sub(/enum:/, ""); print; if (/\]/) e = 0; next } { c = 0 }' "$DOCS/openapi.yaml" |
		tr -c 'a-z_\n' ' ' | tr ' ' '\n' | grep -v '^$' | sort -u >"$W/yaml_codes"
	[ "$(wc -l <"$W/yaml_codes")" -ge 30 ] || fail "openapi.yaml error enums not found: $(cat "$W/yaml_codes")"
	cut -d' ' -f2 "$W/errors" | sort -u >"$W/server_codes"
	diff "$W/server_codes" "$W/yaml_codes" >"$W/codes.diff" ||
		fail "openapi.yaml's error codes differ from the server's (< server, > yaml): $(cat "$W/codes.diff")"
}
