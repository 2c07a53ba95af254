#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The sync suite: motcua-server on a real PostgreSQL, real HTTP on 127.0.0.1.
#   sh tests/sync/run.sh /abs/motcua-server /abs/synctool [/abs/motcua]
# One throwaway cluster and database for the whole suite (set up once: migrate,
# import, users), then each t_* function of tests/sync/t_*.sh in order.
SERVER=$1 SYNCTOOL=$2 MOTCUA=${3:-}
export SERVER SYNCTOOL MOTCUA
dir=$(cd "$(dirname "$0")" && pwd)
W=$(mktemp -d /tmp/motcua-sync.XXXXXX)
export W
. "$dir/lib.sh"
. "$dir/../fixtures.sh"
trap cleanup EXIT
trap 'exit 130' INT TERM

ROOT=$(cd "$dir/../.." && pwd)
DATA=$ROOT/data
DOCS=$ROOT/docs

setup() {
	pg_start || return 1
	"$SERVER" migrate --pg "$PG" >"$W/migrate.out" || return 1
	"$SERVER" import --pg "$PG" --data "$DATA" >"$W/import.out" 2>"$W/import.err" || {
		cat "$W/import.err"; return 1; }
	# the template of the databases that tests make for servers of their own
	pg_template motcua_tpl || return 1
	# two communes of Hà Nội and their province
	echo matkhau123 | "$SERVER" user add --pg "$PG" --username clerk_a --unit 00004 --role clerk \
		--full-name "Nguyễn Thị Lan" >/dev/null || return 1
	echo matkhau123 | "$SERVER" user add --pg "$PG" --username clerk_a2 --unit 00004 --role clerk \
		>/dev/null || return 1
	echo matkhau123 | "$SERVER" user add --pg "$PG" --username clerk_b --unit 00008 --role clerk \
		>/dev/null || return 1
	echo matkhau123 | "$SERVER" user add --pg "$PG" --username sup01 --unit 01 --role supervisor \
		>/dev/null || return 1
	start_server s1 || return 1
	TOK_A=$(login "$URL_s1" clerk_a dev-a) || return 1
	TOK_B=$(login "$URL_s1" clerk_b dev-b) || return 1
	export TOK_A TOK_B
	# the devices that push the tests' synthetic dossiers hold their numbers
	for d in dev-a dev-two dev-kill dev-demo; do
		fixture_lease $d H01.00004 || return 1
	done
	fixture_lease dev-b H01.00008 || return 1
}

pass=0 failn=0
if ! setup; then
	echo "sync: setup failed"
	echo "sync: 0 passed, 1 failed"
	exit 1
fi

for f in "$dir"/t_*.sh; do
	. "$f"
done
tests=$(grep -h '^t_[a-z0-9_]*()' "$dir"/t_*.sh | sed 's/().*//')
# ONLY="t_a t_b": run only these test functions (while developing)
if [ -n "${ONLY:-}" ]; then
	tests=$(for t in $tests; do case " $ONLY " in *" $t "*) echo "$t" ;; esac; done)
fi
for t in $tests; do
	fails=0
	run_t0=$(date +%s)
	"$t" >"$W/$t.out" 2>&1
	# the server must still answer after every test
	st=$(curl -s -o /dev/null -w '%{http_code}' --max-time 20 "$URL_s1/healthz")
	[ "$st" = 200 ] || { echo "    FAIL: /healthz answers $st after $t" >>"$W/$t.out"; fails=$((fails+1)); }
	if [ "$fails" = 0 ]; then
		pass=$((pass+1))
		echo "  ok   $t ($(($(date +%s) - run_t0)) s)"
	else
		failn=$((failn+1))
		echo "  FAIL $t ($(($(date +%s) - run_t0)) s)"
		cat "$W/$t.out"
	fi
done
# A clean stop: exit status 0, and no sanitizer report in any server log
# (the portal tests' servers, publishers and stand-ins included).
fails=0
stop_server s1 || fail "server did not stop cleanly (exit $?)"
for log in "$W"/s*.log "$W"/tls.log "$W"/portal/*.log; do
	[ -e "$log" ] || continue
	! grep -q "Sanitizer\|runtime error" "$log" || { fail "sanitizer report in $log"; cat "$log" | grep -A30 "Sanitizer\|runtime error" | head -60; }
done
if [ "$fails" = 0 ]; then pass=$((pass+1)); echo "  ok   clean shutdown"; else failn=$((failn+1)); echo "  FAIL clean shutdown"; fi
if [ "$failn" != 0 ]; then
	echo "--- server log (tail) ---"
	tail -n 30 "$W/s1.log"
fi
echo "sync: $pass passed, $failn failed"
[ "$failn" = 0 ]
