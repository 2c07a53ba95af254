# SPDX-License-Identifier: GPL-3.0-or-later
# Shared helpers for CLI tests (sourced). $MOTCUA is the binary, $T a fresh temp dir.
set -u
export LC_ALL=C.UTF-8 TZ=Asia/Ho_Chi_Minh
export HOME="$T/home"; mkdir -p "$HOME"
unset MOTCUA_DB MOTCUA_NOW XDG_DATA_HOME XDG_CONFIG_HOME MOTCUA_USER MOTCUA_PASSWORD
# Test stores are plain (read with sqlite3); tests of encryption unset it.
export MOTCUA_NO_ENCRYPT=1
fails=0
fail() { echo "  FAIL: $*"; fails=$((fails+1)); }
ok() { :; }
# expect_eq WHAT GOT WANT
expect_eq() { [ "$2" = "$3" ] || fail "$1: got [$2], want [$3]"; }
# expect_status WANT CMD...: runs CMD, stdout to $T/out, stderr to $T/err
expect_status() {
	want=$1; shift
	"$@" >"$T/out" 2>"$T/err"; got=$?
	[ "$got" = "$want" ] || fail "exit $got (want $want): $* -- stderr: $(head -c 300 "$T/err")"
}
expect_grep() { grep -q -- "$2" "$1" || fail "$1 lacks [$2]: $(head -c 300 "$1")"; }
# jq-less JSON field read through python3 is not available on every machine; use
# the store itself (sqlite3) or grep on our own compact JSON output.
# demo_init: the demo store in $db, made on 15/09/2025 (its demo dossiers
# received weeks before the tests' days).
demo_init() {
	MOTCUA_NOW=2025-09-15T10:00 "$MOTCUA" init --db "$db" --demo >/dev/null 2>"$T/init.err" ||
		fail "init: $(cat "$T/init.err")"
}
finish() { return $fails; }
