#!/bin/sh
# make bench: sh bench/run.sh BUILD_DIR (absolute; the Makefile passes it).
# Builds the benchmark store if it is missing, then runs each benchmark in
# turn; each prints its own table against the budgets. Exit status 1 when
# any benchmark failed or went over budget. To add a benchmark, add a step
# at the end. BENCH_COUNT=N makes a store of N dossiers instead of 1,000,000
# (the store is made again when the count differs); BENCH_RUNS=N sets how
# many times each case runs (default 20).
set -u
B=${1:?usage: sh bench/run.sh BUILD_DIR}
cd "$(dirname "$0")/.." || exit 1
export LC_ALL=C.UTF-8 TZ=Asia/Ho_Chi_Minh
unset MOTCUA_DB MOTCUA_NOW
out=bench/out
db=$out/bench.db
count=${BENCH_COUNT:-1000000}
runs=${BENCH_RUNS:-20}
status=0
mkdir -p "$out" || exit 1

# 1. The store: made once, kept in bench/out/ (gitignored).
have=$(sqlite3 "$db" "SELECT value FROM settings WHERE key = 'bench.count'" 2>/dev/null)
if [ "$have" != "$count" ]; then
	echo "bench: making a store of $count dossiers (once; bench/out/ keeps it)"
	rm -f "$db" "$db-wal" "$db-shm"
	"$B/bench/gen_store" --db "$db" --count "$count" || exit 1
fi
echo "bench: store $db: $(du -h "$db" | cut -f1), $count dossiers"
echo

# 2. Dossier queries: search, list pages, counts, detail.
"$B/bench/bench_query" --db "$db" --runs "$runs" || status=1
echo

exit $status
