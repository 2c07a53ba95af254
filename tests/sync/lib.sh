# SPDX-License-Identifier: GPL-3.0-or-later
# Sync test harness (sourced by tests/sync/run.sh): a throwaway PostgreSQL
# cluster in a temp dir (unix socket only, no TCP port), motcua-server on free
# 127.0.0.1 ports, curl. Everything started here is stopped by cleanup (trap
# EXIT in run.sh). Needs: SERVER (motcua-server), SYNCTOOL, W (work dir).

export LC_ALL=C.UTF-8 TZ=Asia/Ho_Chi_Minh
# Test stores are plain (read with sqlite3); tests of encryption unset it.
export MOTCUA_NO_ENCRYPT=1
unset MOTCUA_USER MOTCUA_PASSWORD

PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
SERVER_PIDS=""

# Runs a PostgreSQL tool as the postgres user when we are root (initdb and
# postgres refuse to run as root), as ourselves otherwise.
as_pg() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

# pg_init: a new cluster in $W/pg (initdb as postgres when we are root).
pg_init() {
	[ -x "$PGBIN/initdb" ] || { echo "sync: PostgreSQL not found (apt-get install postgresql)"; return 1; }
	mkdir -p "$W/pg" "$W/sock"
	chmod 755 "$W"
	[ "$(id -u)" = 0 ] && chown postgres "$W/pg" "$W/sock"
	as_pg "$PGBIN/initdb" -D "$W/pg" -A trust -U postgres -E UTF8 --locale=C.UTF-8 --no-sync \
		>"$W/initdb.log" 2>&1 || { cat "$W/initdb.log"; return 1; }
}

# pg_run: starts the cluster of $W/pg on a unix socket in $W/sock (no TCP);
# PG_OPTS adds server options (-c name=value ...). Sets PG to database motcua.
pg_run() {
	mkdir -p "$W/sock"
	[ "$(id -u)" = 0 ] && chown postgres "$W/sock"
	as_pg "$PGBIN/pg_ctl" -D "$W/pg" -w -t 60 -l "$W/pg/log" \
		-o "-k $W/sock -c listen_addresses= -c fsync=off -c synchronous_commit=off -c max_connections=60 ${PG_OPTS:-}" \
		start >"$W/pg_ctl.log" 2>&1 || { cat "$W/pg_ctl.log" "$W/pg/log"; return 1; }
	PG="host=$W/sock dbname=motcua user=postgres"
	export PG
}

pg_start() {
	pg_init || return 1
	pg_run || return 1
	as_pg "$PGBIN/createdb" -h "$W/sock" -U postgres motcua || return 1
}

pg_stop() {
	[ -f "$W/pg/postmaster.pid" ] && as_pg "$PGBIN/pg_ctl" -D "$W/pg" -m immediate stop >/dev/null 2>&1
	return 0
}

# pg_template NAME: copies database motcua, just migrated and imported, to the
# template NAME that fresh_db copies (run.sh's setup, before any user).
pg_template() {
	as_pg "$PGBIN/createdb" -h "$W/sock" -U postgres -T motcua "$1" || return 1
	PG_TEMPLATE=$1
}

# fresh_db VAR NAME [USER:UNIT[:FULL NAME]]...: a database NAME of its own, with
# the schema and the reference data (a copy of PG_TEMPLATE where run.sh made
# one, else migrated and imported here) and those clerks (password
# matkhau123); its connection string in VAR. On failure: fail, and 1.
fresh_db() {
	_fd_var=$1 _fd_name=$2
	shift 2
	_fd_pg="host=$W/sock dbname=$_fd_name user=postgres"
	if [ -n "${PG_TEMPLATE:-}" ]; then
		as_pg "$PGBIN/createdb" -h "$W/sock" -U postgres -T "$PG_TEMPLATE" "$_fd_name" ||
			{ fail "createdb $_fd_name"; return 1; }
	else
		as_pg "$PGBIN/createdb" -h "$W/sock" -U postgres "$_fd_name" || { fail "createdb $_fd_name"; return 1; }
		"$SERVER" migrate --pg "$_fd_pg" >/dev/null || { fail "migrate $_fd_name"; return 1; }
		"$SERVER" import --pg "$_fd_pg" --data "$DATA" >/dev/null 2>"$W/$_fd_name.import.err" ||
			{ fail "import: $(cat "$W/$_fd_name.import.err")"; return 1; }
	fi
	for _fd_u in "$@"; do
		_fd_user=${_fd_u%%:*} _fd_rest=${_fd_u#*:}
		_fd_unit=${_fd_rest%%:*} _fd_full=
		[ "$_fd_rest" = "$_fd_unit" ] || _fd_full=${_fd_rest#*:}
		echo matkhau123 | "$SERVER" user add --pg "$_fd_pg" --username "$_fd_user" --unit "$_fd_unit" \
			--role clerk ${_fd_full:+--full-name "$_fd_full"} >/dev/null || { fail "user $_fd_user"; return 1; }
	done
	eval "$_fd_var=\$_fd_pg"
}

# sql QUERY: one value, unaligned
sql() {
	"$PGBIN/psql" -X -q -A -t -h "$W/sock" -U postgres -d motcua -c "$1"
}

# start_server NAME [SERVE OPTIONS...]: starts motcua-server on a free port;
# sets PORT_<NAME>, PID_<NAME>, URL_<NAME>. The server picks the port
# (--listen 127.0.0.1:0) and says it on stderr. The public lookup is not
# rate-limited (tests look up hundreds of codes from one address) unless
# LOOKUP_RATE gives serve's option (LOOKUP_RATE="--lookup-per-minute 5").
start_server() {
	name=$1
	shift
	: >"$W/$name.log"
	"$SERVER" serve --pg "$PG" --listen 127.0.0.1:0 --threads 4 ${LOOKUP_RATE:---lookup-per-minute 0} \
		"$@" 2>>"$W/$name.log" &
	pid=$!
	SERVER_PIDS="$SERVER_PIDS $pid"
	i=0
	while ! grep -q "listening on" "$W/$name.log"; do
		i=$((i+1))
		if [ $i -gt 1200 ] || ! kill -0 $pid 2>/dev/null; then
			echo "server $name did not start:"; cat "$W/$name.log"; return 1
		fi
		sleep 0.05
	done
	port=$(sed -n 's/.*listening on https*:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$W/$name.log" | tail -n 1)
	scheme=http
	grep -q "listening on https:" "$W/$name.log" && scheme=https
	eval "PORT_$name=$port PID_$name=$pid URL_$name=$scheme://127.0.0.1:$port"
}

# stop_server NAME [SIGNAL]
stop_server() {
	eval "pid=\$PID_$1"
	kill -"${2:-TERM}" "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	rc=$?
	SERVER_PIDS=$(echo "$SERVER_PIDS" | sed "s/ $pid\b//")
	return $rc
}

cleanup() {
	for p in $SERVER_PIDS; do
		kill -TERM "$p" 2>/dev/null
	done
	for p in $SERVER_PIDS; do
		wait "$p" 2>/dev/null
	done
	pg_stop
	rm -rf "$W"
}

# api METHOD URL [BODY_FILE] [TOKEN]: body of the answer in $W/body, status
# printed ("000" when no answer).
api() {
	method=$1 url=$2 file=${3:-} token=${4:-}
	set -- -sS -o "$W/body" -w '%{http_code}' -X "$method" --max-time 60
	[ -n "$file" ] && set -- "$@" -H 'Content-Type: application/json' --data-binary "@$file"
	[ -n "$token" ] && set -- "$@" -H "Authorization: Bearer $token"
	curl "$@" "$url" 2>"$W/curl.err" || true
}

# fixture_lease DEVICE IDENT: numbers 1..9999 of IDENT held by DEVICE, as an
# admin would record them (no counter moved): the synthetic batches of the
# tests number from 1 on every day (request_id fixture-*, left out of the
# sums of leases the tests count).
fixture_lease() {
	sql "INSERT INTO leases(request_id, unit_ident, day, first, last, device_id, username)
		VALUES ('fixture-$1-$2', '$2', '*', 1, 9999, '$1', 'fixture')
		ON CONFLICT (request_id) DO NOTHING" >/dev/null
}

jget() { "$SYNCTOOL" get "$1" <"${2:-$W/body}"; }

# login URL USER DEVICE: prints the token
login() {
	printf '{"username":"%s","password":"matkhau123","device_id":"%s","device_name":"Máy %s"}' \
		"$2" "$3" "$3" >"$W/login.json"
	st=$(api POST "$1/api/v1/auth/login" "$W/login.json")
	[ "$st" = 200 ] || { echo "login $2 failed: $st $(cat "$W/body")" >&2; return 1; }
	jget token
}

# ---- assertions: each test function counts its own failures ----
fails=0
fail() { echo "    FAIL: $*"; fails=$((fails+1)); }
expect_eq() { [ "$2" = "$3" ] || fail "$1: got [$2], want [$3]"; }
# expect_error WHAT STATUS WANT_STATUS WANT_CODE: a JSON error body with that code
expect_error() {
	expect_eq "$1 status" "$2" "$3"
	expect_eq "$1 code" "$(jget error.code)" "$4"
	msg=$(jget error.message)
	[ -n "$msg" ] || fail "$1: no error message in $(head -c 200 "$W/body")"
}
expect_grep() { grep -q -- "$2" "$1" || fail "$1 lacks [$2]: $(head -c 300 "$1")"; }
expect_nogrep() { ! grep -q -- "$2" "$1" || fail "$1 has [$2]"; }
