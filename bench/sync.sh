#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The server's part of make bench: sh bench/sync.sh BUILD_DIR SUMMARY
# (run.sh calls it; BUILD_DIR absolute, with motcua, motcua-server,
# bench/bench_outbox, tests/synctool and tests/slowproxy). A PostgreSQL
# cluster kept in bench/out/server/ (the tests' harness, tests/sync/lib.sh),
# a real motcua-server on 127.0.0.1 and real workstations (motcua init,
# login, sync), then:
#   1. push: BENCH_PUSH_COUNT (5,000) receptions made at the counter
#      (bench_outbox, reception_commit: the outbox rows the client writes)
#      pushed by `motcua sync --once` in the client's batches of 100; the
#      server's time per batch from its access log; then the same rows
#      (dossiers, events, ops, changes) loaded by COPY into an empty copy of
#      the schema, and the ratio: the push at least half as fast
#      (BENCH_PUSH_RATIO=50, in %);
#   2. bytes on the wire per dossier, counted by tests/sync/slowproxy
#      between a workstation and the server (headers included): a fresh
#      workstation's first sync, a push of 200 dossiers, their pull by
#      another workstation; each way of a dossier against 1,500 bytes
#      (BENCH_BYTES_BUDGET);
#   3. pull: a fresh workstation catches up with BENCH_PULL_COUNT (100,000)
#      dossier changes of its unit (the pushed ones and copies of them made
#      in SQL) by `motcua sync --once`, against 60 s for 100,000
#      (BENCH_PULL_MS; in proportion for a smaller count);
#   4. indicators over a province of BENCH_SERVER_COUNT (10,000,000)
#      dossiers made by bench/server_gen.sql (once: about half an hour and
#      some 25 GB, kept in database "province" while its count, the SQL and
#      the migrations stay the same): `motcua-server indicators` and GET
#      /api/v1/indicators as the province's supervisor, BENCH_RUNS times
#      each, against 200 ms.
# BENCH_SYNC=0 skips 1-3, BENCH_SERVER_COUNT=0 skips 4.
# Each measure appends "measure<TAB>value<TAB>budget<TAB>result" to SUMMARY.
# The cluster runs with fsync and synchronous_commit on (the test suite
# turns them off): every pushed operation's commit waits for the disk, as on
# a real server. Exit status 1 when something failed or is over budget.
set -u
B=${1:?usage: sh bench/sync.sh BUILD_DIR SUMMARY}
summary=${2:?usage: sh bench/sync.sh BUILD_DIR SUMMARY}
cd "$(dirname "$0")/.." || exit 1
top=$PWD
W=${BENCH_SERVER_DIR:-$top/bench/out/server}
export W
SERVER=$B/motcua-server MOTCUA=$B/motcua SYNCTOOL=$B/tests/synctool SLOWPROXY=$B/tests/slowproxy
export SERVER MOTCUA SYNCTOOL
. "$top/tests/sync/lib.sh"
push_n=${BENCH_PUSH_COUNT:-5000}
pull_n=${BENCH_PULL_COUNT:-100000}
prov_n=${BENCH_SERVER_COUNT:-10000000}
runs=${BENCH_RUNS:-20}
now_day=2025-11-27
status=0
PROXY_PID=""
PG_OPTS="-c fsync=on -c synchronous_commit=on -c shared_buffers=1GB -c work_mem=64MB
	-c maintenance_work_mem=512MB -c max_wal_size=8GB -c checkpoint_timeout=30min"
export PG_OPTS

bench_cleanup() {
	[ -n "$PROXY_PID" ] && kill -TERM "$PROXY_PID" 2>/dev/null
	for p in $SERVER_PIDS; do
		kill -TERM "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	[ -f "$W/pg/postmaster.pid" ] && as_pg "$PGBIN/pg_ctl" -D "$W/pg" -m fast stop >/dev/null 2>&1
	return 0
}
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

say() { echo "bench: $*"; }
# q DB SQL...: psql, unaligned, stop at the first error
q() {
	db=$1
	shift
	"$PGBIN/psql" -X -q -A -t -v ON_ERROR_STOP=1 -h "$W/sock" -U postgres -d "$db" "$@"
}
ms_now() { date +%s%N | cut -c1-13; }
# row MEASURE VALUE BUDGET RESULT
row() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >>"$summary"; }
# budget VALUE MAX: ok or OVER
budget() {
	if [ "$1" -le "$2" ]; then echo ok; else echo OVER; fi
}
# stats FILE: "median p95 max" of the numbers in FILE, one a line
stats() {
	sort -g "$1" | awk '{ v[NR] = $1 } END { if (!NR) { print "- - -"; exit }
		p = int((NR * 95 + 99) / 100); printf "%.1f %.1f %.1f\n", v[int((NR + 1) / 2)], v[p], v[NR] }'
}
conninfo() { echo "host=$W/sock dbname=$1 user=postgres"; }
migrations() { for f in "$top"/server/migrations/*.sql; do basename "$f"; done | tr '\n' ' '; }

# proxy_start [PORT]: a slowproxy without limits to the server s1; PROXY_URL
proxy_start() {
	: >"$W/proxy.log"
	"$SLOWPROXY" --target "127.0.0.1:${PROXY_TARGET:-$PORT_s1}" --listen "${1:-0}" 2>>"$W/proxy.log" &
	PROXY_PID=$!
	i=0
	while ! grep -q "listening on 127\.0\.0\.1:[0-9]" "$W/proxy.log"; do
		i=$((i+1))
		[ $i -lt 200 ] || { echo "slowproxy did not start"; cat "$W/proxy.log"; return 1; }
		sleep 0.05
	done
	PROXY_PORT=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$W/proxy.log")
	PROXY_URL=http://127.0.0.1:$PROXY_PORT
}
# proxy_stop: stops it; UP and DOWN are the bytes it forwarded each way
proxy_stop() {
	kill -TERM "$PROXY_PID" 2>/dev/null
	wait "$PROXY_PID" 2>/dev/null
	PROXY_PID=""
	UP=$(sed -n 's/^slowproxy: [0-9]* cuts, \([0-9]*\) bytes up$/\1/p' "$W/proxy.log")
	DOWN=$(sed -n 's/^slowproxy: \([0-9]*\) bytes down$/\1/p' "$W/proxy.log")
}

# ws_sync DB OUT: one `motcua sync --once` pass; its summary in OUT
ws_sync() {
	MOTCUA_NOW=${now_day}T10:00 "$MOTCUA" sync --once --db "$1" --lease-block 1000 \
		--lease-low 250 >"$2" 2>"$2.err"
}
# ws_new NAME USER URL: a new workstation of commune 00004, logged in
ws_new() {
	rm -f "$W/ws/$1.db"*
	"$MOTCUA" init --db "$W/ws/$1.db" --unit 00004 >/dev/null 2>"$W/ws/$1.err" &&
		echo matkhau123 | "$MOTCUA" login --db "$W/ws/$1.db" --server "$3" --username "$2" \
			--device-name "Máy đo $1" >/dev/null 2>>"$W/ws/$1.err" ||
		{ echo "workstation $1:"; cat "$W/ws/$1.err"; return 1; }
}
# access METHOD PATH_PREFIX FROM_LINE: the times in ms of those requests in
# the server's access log after line FROM_LINE
access() {
	# a line: [level=...] TIME ADDRESS METHOD PATH STATUS BYTES TIMEms ...
	tail -n +"$(($3 + 1))" "$W/s1.log" | awk -v m="$1" -v p="$2" \
		'{ for (k = 1; k < NF; k++) if ($k == m) break }
		 k < NF && index($(k + 1), p) == 1 { for (i = k + 2; i <= NF; i++) if ($i ~ /ms$/) { sub(/ms$/, "", $i); print $i; break } }'
}

mkdir -p "$W/ws" || exit 1

# ---- the cluster --------------------------------------------------------------
if [ -f "$W/pg/postmaster.pid" ]; then
	as_pg "$PGBIN/pg_ctl" -D "$W/pg" -m fast stop >/dev/null 2>&1
fi
if [ ! -f "$W/pg/PG_VERSION" ]; then
	say "a PostgreSQL cluster in $W/pg (kept between runs)"
	rm -rf "$W/pg"
	pg_init || exit 1
fi
pg_run || exit 1
say "PostgreSQL $("$PGBIN/postgres" --version | awk '{ print $3 }') in $W/pg, fsync on"

# ---- the sync database: users, a server -----------------------------------------
q postgres -c "DROP DATABASE IF EXISTS sync" -c "DROP DATABASE IF EXISTS raw" || exit 1
q postgres -c "CREATE DATABASE sync" -c "CREATE DATABASE raw" || exit 1
PG=$(conninfo sync)
for db in sync raw; do
	"$SERVER" migrate --pg "$(conninfo $db)" >/dev/null &&
		"$SERVER" import --pg "$(conninfo $db)" --data "$top/data" >/dev/null 2>"$W/import.err" ||
		{ cat "$W/import.err"; exit 1; }
done
for u in bench_push bench_pull bench_b bench_c bench_snap bench_feed; do
	echo matkhau123 | "$SERVER" user add --pg "$PG" --username $u --unit 00004 --role clerk \
		--full-name "Cán bộ $u" >/dev/null || exit 1
done
# s1 serves the feed only (sections 1 to 3 measure it); s2, on the same
# database, makes snapshots of any scope (section 2b)
MOTCUA_SNAPSHOT_MIN_CHANGES=1000000000000 start_server s1 || exit 1

if [ "${BENCH_SYNC:-1}" != 0 ]; then
# ---- 1. push ---------------------------------------------------------------------
say "push: $push_n receptions at the counter of a workstation (bench_outbox)"
ws_new push bench_push "$URL_s1" || exit 1
ws_sync "$W/ws/push.db" "$W/ws/push0.json" || { cat "$W/ws/push0.json.err"; exit 1; }
"$B/bench/bench_outbox" --db "$W/ws/push.db" --count "$push_n" --user bench_push || exit 1
say "push: motcua sync --once"
from=$(wc -l <"$W/s1.log")
t0=$(ms_now)
ws_sync "$W/ws/push.db" "$W/ws/push.json" || { cat "$W/ws/push.json.err"; status=1; }
t1=$(ms_now)
pushed=$(jget pushed "$W/ws/push.json")
if [ "$pushed" != "$push_n" ]; then
	echo "push: $pushed operations applied of $push_n: $(cat "$W/ws/push.json")"
	status=1
fi
access POST /api/v1/sync/push "$from" >"$W/push.ms"
batches=$(wc -l <"$W/push.ms")
push_ms=$(awk '{ s += $1 } END { printf "%.0f", s }' "$W/push.ms")
pull_back_ms=$(access GET /api/v1/sync/changes "$from" | awk '{ s += $1 } END { printf "%.0f", s }')
set -- $(stats "$W/push.ms")
push_rate=$(awk -v n="$pushed" -v t="$push_ms" 'BEGIN { printf "%.0f", n * 1000 / t }')
pass_rate=$(awk -v n="$pushed" -v t=$((t1 - t0)) 'BEGIN { printf "%.0f", n * 1000 / t }')
echo "  $pushed operations in $batches batches: server time $push_ms ms ($push_rate ops/s);" \
	"a batch: median $1 ms, p95 $2 ms, max $3 ms"
echo "  the whole pass (push, then the $pushed dossiers pulled back: $pull_back_ms ms of server" \
	"time): $((t1 - t0)) ms ($pass_rate ops/s)"
row "sync push: receive ops/s, server time in POST /sync/push" \
	"$push_rate ops/s ($pushed ops, $batches batches: median $1 ms, p95 $2 ms)" - -
row "sync push: ops/s of the whole motcua sync --once pass" \
	"$pass_rate ops/s ($pushed ops in $((t1 - t0)) ms, with their pull back)" - -

# The same rows straight into PostgreSQL: COPY in one transaction.
say "push: the same rows by COPY into an empty schema"
for t in dossiers events ops; do
	q sync -c "\\copy $t TO '$W/raw.$t'" || exit 1
done
q sync -c "\\copy (SELECT entity, entity_id, rev, unit_code, data FROM changes WHERE entity = 'dossier' ORDER BY seq) TO '$W/raw.changes'" || exit 1
cat >"$W/raw.sql" <<EOF
\\copy dossiers FROM '$W/raw.dossiers'
\\copy events FROM '$W/raw.events'
\\copy ops FROM '$W/raw.ops'
\\copy changes(entity, entity_id, rev, unit_code, data) FROM '$W/raw.changes'
EOF
t0=$(ms_now)
q raw -1 -f "$W/raw.sql" || status=1
t1=$(ms_now)
rows=$(q raw -c "SELECT (SELECT count(*) FROM dossiers) || ' ' || (SELECT count(*) FROM events)
	|| ' ' || (SELECT count(*) FROM ops) || ' ' || (SELECT count(*) FROM changes WHERE entity = 'dossier')")
raw_rate=$(awk -v n="$pushed" -v t=$((t1 - t0)) 'BEGIN { printf "%.0f", n * 1000 / t }')
ratio=$(awk -v a="$raw_rate" -v b="$push_rate" 'BEGIN { printf "%.1f", a / b }')
echo "  COPY of $rows rows (dossiers, events, ops, changes): $((t1 - t0)) ms" \
	"($raw_rate dossiers/s): $ratio times the push"
row "sync push: the same rows by COPY (dossiers, events, ops, changes)" \
	"$raw_rate dossiers/s ($((t1 - t0)) ms): push is 1/$ratio of it" - -
# the push against COPY, in this run: at least half (BENCH_PUSH_RATIO, in %)
share=$(awk -v a="$raw_rate" -v b="$push_rate" 'BEGIN { printf "%.2f", b / a }')
share_min=${BENCH_PUSH_RATIO:-50}
r=$(awk -v s="$share" -v m="$share_min" 'BEGIN { print (s * 100 >= m) ? "ok" : "OVER" }')
[ "$r" = ok ] || status=1
share_min=$(awk -v m="$share_min" 'BEGIN { printf "%.2f", m / 100 }')
echo "  push / COPY: $share (at least $share_min: $r)"
row "sync push: push throughput / COPY of the same rows (same run)" "$share" ">= $share_min" "$r"

# ---- 2. bytes on the wire --------------------------------------------------------
k=200
say "bytes on the wire (slowproxy): a first sync, $k dossiers pushed, pulled"
proxy_start || exit 1
port=$PROXY_PORT
ws_new b bench_b "$PROXY_URL" && ws_new c bench_c "$PROXY_URL" || exit 1
proxy_stop
proxy_start "$port" || exit 1
ws_sync "$W/ws/b.db" "$W/ws/b0.json" || { cat "$W/ws/b0.json.err"; status=1; }
proxy_stop
first_up=$UP first_down=$DOWN
echo "  a new workstation's first sync ($(jget pulled "$W/ws/b0.json") changes of reference data" \
	"and dossiers, a lease): $first_up bytes up, $first_down down"
row "sync: a new workstation's first sync (reference data, lease)" \
	"$(awk -v u="$first_up" -v d="$first_down" 'BEGIN { printf "%.0f kB up, %.0f kB down", u / 1000, d / 1000 }')" - -
proxy_start "$port" || exit 1
ws_sync "$W/ws/c.db" "$W/ws/c0.json" || { cat "$W/ws/c0.json.err"; status=1; }
proxy_stop
"$B/bench/bench_outbox" --db "$W/ws/b.db" --count $k --user bench_b --start 2025-11-03 >/dev/null || exit 1
proxy_start "$port" || exit 1
ws_sync "$W/ws/b.db" "$W/ws/b1.json" || { cat "$W/ws/b1.json.err"; status=1; }
proxy_stop
pu=$((UP / k)) pd=$((DOWN / k))
cu=$(($(jget bytes_up "$W/ws/b1.json") / k)) cd=$(($(jget bytes_down "$W/ws/b1.json") / k))
echo "  push of $k dossiers (and their pull back): $pu bytes up and $pd down per dossier" \
	"(curl's body counters: $cu and $cd)"
bytes_max=${BENCH_BYTES_BUDGET:-1500}
r=$(budget "$pu" "$bytes_max")
[ "$r" = ok ] && r=$(budget "$pd" "$bytes_max")
[ "$r" = ok ] || status=1
row "sync: bytes per dossier pushed (its pull back included; headers included)" \
	"$pu up, $pd down (bodies: $cu, $cd)" "<= $bytes_max each way" "$r"
proxy_start "$port" || exit 1
ws_sync "$W/ws/c.db" "$W/ws/c1.json" || { cat "$W/ws/c1.json.err"; status=1; }
proxy_stop
got=$(jget pulled "$W/ws/c1.json")
pu=$((UP / k)) pd=$((DOWN / k))
cu=$(($(jget bytes_up "$W/ws/c1.json") / k)) cd=$(($(jget bytes_down "$W/ws/c1.json") / k))
echo "  pull of the $got dossiers by another workstation: $pd bytes down and $pu up per dossier" \
	"(bodies: $cd and $cu)"
[ "$got" = $k ] || { echo "  pulled $got, not $k"; status=1; }
r=$(budget "$pd" "$bytes_max")
[ "$r" = ok ] || status=1
row "sync: bytes per dossier pulled by another workstation (headers included)" \
	"$pd down, $pu up (bodies: $cd, $cu)" "<= $bytes_max down" "$r"
# one dossier alone: a whole pass for it (push, lease check, pull back)
"$B/bench/bench_outbox" --db "$W/ws/b.db" --count 1 --user bench_b --start 2025-12-15 >/dev/null || exit 1
proxy_start "$port" || exit 1
ws_sync "$W/ws/b.db" "$W/ws/b2.json" || { cat "$W/ws/b2.json.err"; status=1; }
proxy_stop
echo "  one dossier alone (a whole pass: push, lease check, pull back): $UP bytes up, $DOWN down"
row "sync: one dossier alone, a whole pass (headers included)" "$UP up, $DOWN down" - -

# ---- 2b. a new workstation of the commune: the feed, then the snapshot ----------
nd=$(q sync -c "SELECT count(*) FROM dossiers WHERE unit_code = '00004'")
say "a new workstation of commune 00004 ($nd dossiers): the whole feed, then a snapshot"
proxy_start || exit 1
port=$PROXY_PORT
ws_new feed bench_feed "$PROXY_URL" || exit 1
proxy_stop
proxy_start "$port" || exit 1
ws_sync "$W/ws/feed.db" "$W/ws/feed.json" || { cat "$W/ws/feed.json.err"; status=1; }
proxy_stop
feed_down=$DOWN feed_up=$UP
MOTCUA_SNAPSHOT_MIN_CHANGES=1 start_server s2 || exit 1
PROXY_TARGET=$PORT_s2 proxy_start || exit 1
port=$PROXY_PORT
ws_new snap bench_snap "$PROXY_URL" || exit 1
proxy_stop
PROXY_TARGET=$PORT_s2 proxy_start "$port" || exit 1
t0=$(ms_now)
ws_sync "$W/ws/snap.db" "$W/ws/snap.json" || { cat "$W/ws/snap.json.err"; status=1; }
t1=$(ms_now)
proxy_stop
stop_server s2
snap_bytes=$(q sync -c "SELECT size FROM snapshots ORDER BY created_at DESC LIMIT 1")
fd=$(sqlite3 "$W/ws/feed.db" "SELECT count(*) FROM dossiers")
sd=$(sqlite3 "$W/ws/snap.db" "SELECT count(*) FROM dossiers")
[ "$fd" = "$sd" ] && [ "$sd" -ge "$nd" ] || { echo "  dossiers: $fd by the feed, $sd by the snapshot, $nd on the server"; status=1; }
echo "  the whole feed: $feed_up bytes up, $feed_down down; from a snapshot ($snap_bytes bytes" \
	"of it): $UP up, $DOWN down, $((t1 - t0)) ms; $sd dossiers either way"
snap_max=${BENCH_SNAPSHOT_BUDGET:-8000000}
r=$(budget "$DOWN" "$snap_max")
[ "$r" = ok ] || status=1
row "sync: a new workstation of a $nd-dossier commune, from a snapshot (headers included)" \
	"$(awk -v d="$DOWN" -v f="$feed_down" 'BEGIN { printf "%.2f MB down (the whole feed: %.2f MB)", d / 1e6, f / 1e6 }')" \
	"<= $snap_max bytes" "$r"

# ---- 3. pull catch-up ------------------------------------------------------------
have=$(q sync -c "SELECT count(*) FROM changes WHERE entity = 'dossier'")
extra=$((pull_n - have))
say "pull: $pull_n dossier changes of commune 00004 ($extra copies of the pushed ones made in SQL)"
if [ $extra -gt 0 ]; then
	q sync -v extra=$extra >/dev/null <<'EOF' || exit 1
BEGIN;
SELECT pg_advisory_xact_lock(7001);
CREATE TEMP TABLE tpl AS
	SELECT (row_number() OVER (ORDER BY code) - 1)::int AS k, * FROM dossiers;
CREATE TEMP TABLE copies AS
	SELECT md5('pull' || i)::uuid::text AS nid, md5('pull-e' || i)::uuid::text AS eid,
	       substr(t.code, 1, length(t.code) - 4) || (10000 + i)::text AS ncode, t.*
	FROM generate_series(1, :extra) i JOIN tpl t ON t.k = i % (SELECT count(*) FROM tpl);
UPDATE copies SET data = jsonb_set(jsonb_set(jsonb_set(data, '{id}', to_jsonb(nid)),
	'{code}', to_jsonb(ncode)), '{event}', (data->'event') || jsonb_build_object('id', eid,
	'dossier_id', nid, 'payload', jsonb_build_object('code', ncode)));
INSERT INTO dossiers(id, code, unit_code, procedure_code, procedure_name, status, received_at,
		     appointment, rev, data)
	SELECT nid, ncode, unit_code, procedure_code, procedure_name, status, received_at,
	       appointment, rev, data FROM copies;
INSERT INTO changes(entity, entity_id, rev, unit_code, data)
	SELECT 'dossier', nid, rev, unit_code, data FROM copies ORDER BY received_at, ncode;
COMMIT;
EOF
fi
ws_new pull bench_pull "$URL_s1" || exit 1
from=$(wc -l <"$W/s1.log")
t0=$(ms_now)
ws_sync "$W/ws/pull.db" "$W/ws/pull.json" || { cat "$W/ws/pull.json.err"; status=1; }
t1=$(ms_now)
got=$(jget pulled "$W/ws/pull.json")
dossiers=$(sqlite3 "$W/ws/pull.db" "SELECT count(*) FROM dossiers")
pages=$(access GET /api/v1/sync/changes "$from" | wc -l)
srv=$(access GET /api/v1/sync/changes "$from" | awk '{ s += $1 } END { printf "%.0f", s }')
rate=$(awk -v n="$got" -v t=$((t1 - t0)) 'BEGIN { printf "%.0f", n * 1000 / t }')
mb=$(awk -v b="$(jget bytes_down "$W/ws/pull.json")" 'BEGIN { printf "%.1f", b / 1e6 }')
echo "  a fresh workstation: $got changes ($dossiers dossiers) in $((t1 - t0)) ms ($rate changes/s)," \
	"$pages pages of 500, $srv ms of it in the server, $mb MB of bodies"
[ "$dossiers" -ge "$pull_n" ] || { echo "  only $dossiers dossiers of $pull_n"; status=1; }
# 60 s for 100,000 dossiers (BENCH_PULL_MS), in proportion for a smaller N
pull_max=$(awk -v n="$pull_n" -v m="${BENCH_PULL_MS:-60000}" 'BEGIN { printf "%.0f", m * n / 100000 }')
r=$(budget $((t1 - t0)) "$pull_max")
[ "$r" = ok ] || status=1
row "sync pull: a fresh workstation catches up ($dossiers dossiers)" \
	"$((t1 - t0)) ms, $rate changes/s ($got changes, server $srv ms)" "<= $pull_max ms" "$r"
stop_server s1
fi

# ---- 4. indicators over the province ------------------------------------------
[ "$prov_n" = 0 ] && exit $status
PGP=$(conninfo province)
key="$prov_n $(md5sum <"$top/bench/server_gen.sql" | cut -c1-12) $(migrations)"
if [ "$(cat "$W/province.key" 2>/dev/null)" != "$key" ] ||
   [ -z "$(q postgres -c "SELECT 1 FROM pg_database WHERE datname = 'province'")" ]; then
	say "making a province of $prov_n dossiers in database province (once; about 30 minutes"
	say "for 10 million on 2 cores, some 25 GB in $W/pg; BENCH_SERVER_COUNT=N for fewer)"
	rm -f "$W/province.key"
	q postgres -c "DROP DATABASE IF EXISTS province" -c "CREATE DATABASE province" || exit 1
	"$SERVER" migrate --pg "$PGP" >/dev/null &&
		"$SERVER" import --pg "$PGP" --data "$top/data" >/dev/null 2>"$W/import.err" ||
		{ cat "$W/import.err"; exit 1; }
	t0=$(ms_now)
	q province -v n="$prov_n" -v now=$now_day -f "$top/bench/server_gen.sql" >/dev/null || exit 1
	say "province made in $((($(ms_now) - t0) / 1000)) s"
	echo "$key" >"$W/province.key"
fi
if [ -z "$(q province -c "SELECT 1 FROM users WHERE username = 'giamsat'")" ]; then
	echo matkhau123 | "$SERVER" user add --pg "$PGP" --username giamsat --unit 01 \
		--role supervisor --full-name "Giám sát tỉnh" >/dev/null || exit 1
fi
say "indicators over $(q province -c "SELECT count(*) FROM dossiers") dossiers and" \
	"$(q province -c "SELECT count(*) FROM events") events ($(q province -c \
	"SELECT pg_size_pretty(pg_database_size('province'))")), $runs runs each"
PG=$PGP
start_server s1 || exit 1
tok=$(login "$URL_s1" giamsat bench-supervisor) || exit 1
printf '  %-58s %8s %8s %8s %7s\n' case median p95 max budget
for c in "province, this month|2025-11-01|2025-11-30||" \
	 "province, this year|2025-01-01|2025-12-31||" \
	 "province, three years|2023-01-01|2025-12-31||" \
	 "one commune, this year|2025-01-01|2025-12-31|00004|" \
	 "one clerk, this year|2025-01-01|2025-12-31||cb00004_2"; do
	IFS='|' read -r name from to unit clerk <<EOF
$c
EOF
	set -- --pg "$PGP" --from "$from" --to "$to"
	[ -n "$unit" ] && set -- "$@" --unit "$unit"
	[ -n "$clerk" ] && set -- "$@" --clerk "$clerk"
	url="$URL_s1/api/v1/indicators?from=$from&to=$to&unit=$unit&clerk=$clerk"
	: >"$W/cli.ms"
	: >"$W/http.ms"
	i=0
	while [ $i -lt "$runs" ]; do
		t0=$(ms_now)
		"$SERVER" indicators "$@" >"$W/ind.cli" || status=1
		echo $(($(ms_now) - t0)) >>"$W/cli.ms"
		curl -sS -o "$W/ind.http" -w '%{time_total}\n' -H "Authorization: Bearer $tok" "$url" |
			awk '{ printf "%.1f\n", $1 * 1000 }' >>"$W/http.ms"
		i=$((i + 1))
	done
	[ "$(cat "$W/ind.cli")" = "$(cat "$W/ind.http")" ] ||
		{ echo "  $name: the CLI and the API differ"; status=1; }
	for how in cli http; do
		set -- $(stats "$W/$how.ms")
		ok=ok
		awk -v m="$1" 'BEGIN { exit !(m < 200) }' || { ok=OVER; status=1; }
		label="server indicators: $name"
		[ $how = cli ] && label="$label (motcua-server indicators)" || label="$label (GET /api/v1/indicators)"
		printf '  %-58s %8s %8s %8s %7s  %s\n' "${label#server indicators: }" "$1" "$2" "$3" 200 $ok
		row "$label" "$1 ms (median; p95 $2, max $3)" "< 200 ms" $ok
	done
done
echo "  e.g. $(cut -c1-160 "$W/ind.cli")..."
stop_server s1
exit $status
