# docs/openapi.yaml matches the server: every operation it lists answers (no
# 404/405) with a status it documents, and every route of the server is listed.

t_openapi_matches() {
	spec=$DOCS/openapi.yaml
	# a dossier for the lookup
	"$SYNCTOOL" batch device=dev-a unit=00004 ident=H01.00004 count=1 prefix=oa day=251108 >"$W/batch"
	api POST "$URL_s1/api/v1/sync/push" "$W/batch" "$TOK_A" >/dev/null
	awk '
		/^paths:/ { inpaths = 1; next }
		inpaths && /^  \/[^ ]*:$/ { path = $1; sub(/:$/, "", path); next }
		inpaths && /^    (get|post|put|patch|delete|head):$/ { m = $1; sub(/:$/, "", m); ops[++n] = m " " path; next }
		inpaths && /^        .[0-9][0-9][0-9].:/ { s = $1; gsub(/[^0-9]/, "", s); st[n] = st[n] " " s }
		END { for (i = 1; i <= n; i++) print ops[i] " |" st[i] " |" }
	' "$spec" >"$W/ops"
	[ "$(wc -l <"$W/ops")" -ge 9 ] || fail "too few operations in openapi.yaml: $(cat "$W/ops")"
	while read -r method path rest; do
		statuses=${rest#|}
		url=$(echo "$path" | sed 's/{code}/H01.00004-251108-0001/')
		tok=$(login "$URL_s1" clerk_a dev-openapi)
		M=$(echo "$method" | tr a-z A-Z)
		if [ "$M" = POST ]; then
			printf '{}' >"$W/in"
			st=$(api POST "$URL_s1$url" "$W/in" "$tok")
		else
			st=$(api "$M" "$URL_s1$url" "" "$tok")
		fi
		case $st in
		404|405|000) fail "$M $path answers $st" ;;
		esac
		case "$statuses " in
		*" $st "*) ;;
		*) fail "$M $path answered $st, not documented (documented:$statuses)" ;;
		esac
	done <"$W/ops"
	# every route of the server's table is in the spec
	grep -o '{ "[a-z]*", "[A-Z]*", "/[^"]*"' "$ROOT/server/http.c" | while IFS='"' read -r _ name _ method _ path _; do
		p=$path
		case $p in */) p="${p}{code}" ;; esac
		grep -q "^  $p:\$" "$spec" || fail "route $method $path missing from openapi.yaml"
		m=$(echo "$method" | tr A-Z a-z)
		awk -v p="  $p:" -v m="    $m:" '$0 == p { f = 1; next } f && /^  [^ ]/ { f = 0 } f && $0 == m { found = 1 } END { exit !found }' \
			"$spec" || fail "route $method $path: method missing from openapi.yaml"
	done
	# and every route is in docs/api.md
	for p in /healthz /metrics /api/v1/auth/login /api/v1/auth/logout /api/v1/auth/me \
		/api/v1/sync/push /api/v1/sync/changes /api/v1/leases '/api/v1/lookup/{code}'; do
		grep -q "\`$p\`" "$DOCS/api.md" || fail "$p missing from docs/api.md"
	done
}
