#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# bench/portal.sh BUILD_DIR [SUMMARY]: how fast the publisher empties its
# queue against the stand-in portal (tests/portal/standin, schemas checked on
# both sides), on a throwaway PostgreSQL cluster (tests/sync/lib.sh). Prints
# the messages sent and the rate, and appends them to SUMMARY (bench/run.sh's
# table) when given; docs/PERFORMANCE.md ("Portal") keeps the figures. Exit
# status 1 when a message was not acknowledged or the stand-in refused one.
#   BENCH_PORTAL_DOSSIERS=N  receptions queued, each with 2 status changes
#                            (6 messages a dossier; default 1000)
#   BENCH_PORTAL_BATCH=N     messages per request (default 50)
set -u
B=${1:?usage: sh bench/portal.sh BUILD_DIR [SUMMARY]}
summary=${2:-}
[ -z "$summary" ] || summary=$(cd "$(dirname "$summary")" && pwd)/$(basename "$summary")
B=$(cd "$B" && pwd)
cd "$(dirname "$0")/.." || exit 1
SERVER=$B/motcua-server SYNCTOOL=$B/tests/synctool STANDIN=$B/tests/standin
n=${BENCH_PORTAL_DOSSIERS:-1000}
batch=${BENCH_PORTAL_BATCH:-50}
W=$(mktemp -d /tmp/motcua-portal-bench.XXXXXX)
export W
. tests/sync/lib.sh
trap cleanup EXIT
pg_start >/dev/null || exit 1
"$SERVER" migrate --pg "$PG" >/dev/null && "$SERVER" import --pg "$PG" --data data >/dev/null 2>&1 || exit 1
echo matkhau123 | "$SERVER" user add --pg "$PG" --username b1 --unit 00004 --role clerk >/dev/null || exit 1
printf 'unit,00004,000.00.04.H01\n' >"$W/codes.csv"
"$SERVER" portal codes import --pg "$PG" "$W/codes.csv" >/dev/null && "$SERVER" portal enable --pg "$PG" >/dev/null
start_server b || exit 1
tok=$(login "$URL_b" b1 dev-b1) || exit 1
i=0
while [ $i -lt "$n" ]; do
	c=$((n - i < 100 ? n - i : 100))
	for step in batch actions1 actions2; do
		case $step in
		batch) "$SYNCTOOL" batch device=dev-b1 unit=00004 ident=H01.00004 count=$c start=$((i+1)) prefix=pb ;;
		actions1) "$SYNCTOOL" actions device=dev-b1 prefix=pb count=$c start=$((i+1)) action=transfer base_rev=1 status_to=4 ;;
		actions2) "$SYNCTOOL" actions device=dev-b1 prefix=pb count=$c start=$((i+1)) action=result-ready base_rev=2 status_to=9 ;;
		esac >"$W/push"
		api POST "$URL_b/api/v1/sync/push" "$W/push" "$tok" >/dev/null
	done
	i=$((i + c))
done
"$STANDIN" --schemas docs/portal --state "$W/standin.state" 2>"$W/standin.log" &
SERVER_PIDS="$SERVER_PIDS $!"
while ! grep -q "listening on" "$W/standin.log"; do sleep 0.05; done
url=$(sed -n 's/.*listening on \(http[^ ]*\).*/\1/p' "$W/standin.log")
printf 'url = %s\nusername = motcua\npassword = matkhau-cong\nmadonvi = 000.00.00.H01\nfetch = no\nbatch = %s\n' \
	"$url" "$batch" >"$W/portal.conf"
chmod 600 "$W/portal.conf"
queued=$("$SERVER" portal status --pg "$PG" | "$SYNCTOOL" get waiting)
t0=$(date +%s.%N)
"$SERVER" portal run --pg "$PG" --config "$W/portal.conf" --once >"$W/once.json" 2>"$W/once.log" || exit 1
t1=$(date +%s.%N)
acked=$("$SYNCTOOL" get acknowledged <"$W/once.json")
refused=$(curl -s "$url/admin/stats" | "$SYNCTOOL" get refused)
awk -v q="$queued" -v a="$acked" -v r="$refused" -v t0="$t0" -v t1="$t1" -v b="$batch" 'BEGIN {
	s = t1 - t0
	printf "portal: %d messages queued, %d acknowledged, %d refused, in %.1f s: %.0f messages/s (%.0f an hour), batches of %d\n", q, a, r, s, a / s, a / s * 3600, b }'
[ -n "$summary" ] && awk -v q="$queued" -v a="$acked" -v r="$refused" -v t0="$t0" -v t1="$t1" -v b="$batch" 'BEGIN {
	ok = (a == q && r == 0) ? "-" : "FAIL"
	printf "portal: publisher, %d messages in batches of %d\t%.0f messages/s, %d refused\t-\t%s\n", q, b, a / (t1 - t0), r, ok }' >>"$summary"
[ "$acked" = "$queued" ] && [ "$refused" = 0 ]
