#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# run.sh: the fuzz targets of tests/fuzz/ (docs/hacking.md).
#
#   sh tests/fuzz/run.sh have CC            whether CC builds libFuzzer programs
#   sh tests/fuzz/run.sh replay BINDIR      each plain program over its corpus
#   sh tests/fuzz/run.sh fuzz BINDIR SECS   each libFuzzer program for SECS seconds
#
# ONLY="sync keymap" runs some targets. The checked-in corpus of a target
# (tests/fuzz/corpus/NAME/) is only read: libFuzzer writes what it finds
# into BINDIR/corpus/NAME/, and a crash's input into BINDIR/artifacts/NAME/
# (then the run fails, naming it; add the input to the corpus with its fix).
# tests/fuzz/NAME.dict, when there, is the target's libFuzzer dictionary.
here=$(cd "$(dirname "$0")" && pwd)
mode=${1:-}
targets=${ONLY:-$(cd "$here" && ls fuzz_*.c | sed 's/^fuzz_//; s/\.c$//')}
case $mode in
have)
	cc=${2:-clang}
	command -v "$cc" >/dev/null 2>&1 || exit 1
	t=$(mktemp -d) || exit 1
	printf '#include <stddef.h>\n#include <stdint.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { return (int)(n && !d); }\n' >"$t/t.c"
	"$cc" -fsanitize=fuzzer,address,undefined "$t/t.c" -o "$t/t" >/dev/null 2>&1
	rc=$?
	rm -rf "$t"
	exit $rc
	;;
replay)
	bin=$2 fail=0 n=0
	for t in $targets; do
		n=$((n+1))
		if ! LC_ALL=C.UTF-8 "$bin/fuzz_$t" "$here/corpus/$t" >"$bin/replay_$t.log" 2>&1; then
			cat "$bin/replay_$t.log"
			echo "FAILED: fuzz_$t over tests/fuzz/corpus/$t"
			fail=$((fail+1))
		else
			echo "  $(cat "$bin/replay_$t.log")"
		fi
	done
	echo "fuzz corpora: $((n-fail)) passed, $fail failed"
	[ "$fail" = 0 ]
	;;
fuzz)
	bin=$2 secs=${3:-10} fail=0 n=0
	start=$(date +%s)
	for t in $targets; do
		n=$((n+1))
		mkdir -p "$bin/corpus/$t" "$bin/artifacts/$t"
		log=$bin/fuzz_$t.log
		dict=
		[ -f "$here/$t.dict" ] && dict=-dict=$here/$t.dict
		# -detect_leaks: a leak is a finding like a crash
		if LC_ALL=C.UTF-8 "$bin/fuzz_$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
			-max_len=65536 -detect_leaks=1 -print_final_stats=1 \
			-artifact_prefix="$bin/artifacts/$t/" $dict \
			"$bin/corpus/$t" "$here/corpus/$t" >"$log" 2>&1; then
			last=$(grep -E '^#[0-9]+.*(DONE|pulse|NEW|REDUCE)' "$log" | tail -1)
			runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
			speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
			cov=$(echo "$last" | sed -n 's/.*cov: \([0-9]*\).*/\1/p')
			ft=$(echo "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
			echo "  fuzz_$t: ${runs:-?} runs, ${speed:-?} exec/s, cov ${cov:-?} ft ${ft:-?}," \
				"corpus $(ls "$bin/corpus/$t" | wc -l)"
		else
			tail -40 "$log"
			echo "FAILED: fuzz_$t (input in $bin/artifacts/$t/; log $log)"
			fail=$((fail+1))
		fi
	done
	echo "fuzz: $((n-fail)) passed, $fail failed ($(( $(date +%s) - start )) s)"
	[ "$fail" = 0 ]
	;;
*)
	echo "usage: run.sh have CC | replay BINDIR | fuzz BINDIR SECONDS" >&2
	exit 2
	;;
esac
