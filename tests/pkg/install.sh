#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# `make install` into a throwaway PREFIX (make test-install does it), then
# the installed programs run with no build tree: they find PREFIX's data and
# PREFIX/etc/motcua/server.conf, and nothing of the build tree is compiled in.
#
#   sh tests/pkg/install.sh PREFIX BUILD_DATA_DIR       after make install
#   sh tests/pkg/install.sh --uninstalled PREFIX        after make uninstall
export LC_ALL=C.UTF-8 TZ=Asia/Ho_Chi_Minh
unset MOTCUA_DATA MOTCUA_DB MOTCUA_CONFIG MOTCUA_NOW XDG_DATA_HOME XDG_CONFIG_HOME
pass=0 failn=0
# check WHAT CMD...: one counted check
check() {
	what=$1
	shift
	if "$@" >"$W/c.out" 2>"$W/c.err"; then
		pass=$((pass+1))
	else
		failn=$((failn+1))
		echo "  FAIL: $what: $(head -c 400 "$W/c.err") $(head -c 200 "$W/c.out")"
	fi
	cp "$W/c.out" "$W/out"  # for the checks that read it
}
W=$(mktemp -d /tmp/motcua-install.XXXXXX)
trap 'rm -rf "$W"' EXIT

if [ "$1" = --uninstalled ]; then
	P=$2
	# what is left: the settings (the admin's) and no other file
	find "$P" -type f | sort >"$W/left"
	check "uninstall leaves only the settings" \
		test "$(cat "$W/left")" = "$P/etc/motcua/server.conf"
	echo "uninstall: $pass passed, $failn failed"
	[ "$failn" = 0 ]
	exit
fi

P=$1 DATA=$2
cd "$W" || exit 1   # nowhere near the build tree
export HOME="$W/home"
mkdir -p "$HOME"

for f in bin/motcua sbin/motcua-server share/motcua/provinces-2025.csv \
	share/motcua/communes-2025.csv share/motcua/commune-merges-2025.csv \
	share/motcua/procedures.jsonl share/motcua/holidays.txt share/man/man1/motcua.1 \
	share/man/man8/motcua-server.8 share/doc/motcua/README.md share/doc/motcua/deploy.md \
	share/doc/motcua/openapi.yaml share/doc/motcua/examples/default.keys \
	share/doc/motcua/examples/server.conf lib/systemd/system/motcua-server.service \
	etc/motcua/server.conf; do
	check "installed: $f" test -s "$P/$f"
done
check "programs executable" test -x "$P/bin/motcua" -a -x "$P/sbin/motcua-server"
check "settings not world-readable" test "$(stat -c %a "$P/etc/motcua/server.conf")" = 640
# no path of the build tree in the installed programs
check "no build-tree path in motcua" sh -c "! grep -a -q -F '$DATA' '$P/bin/motcua'"
check "no build-tree path in motcua-server" sh -c "! grep -a -q -F '$DATA' '$P/sbin/motcua-server'"
check "PREFIX's data compiled in" grep -a -q -F "$P/share/motcua" "$P/bin/motcua"

check "motcua --version" "$P/bin/motcua" --version
check "motcua --version says motcua" grep -q '^motcua [0-9]' "$W/out"
check "motcua init from the installed tree" "$P/bin/motcua" init --db "$W/w.db" --unit 00004
check "catalog read from the installed data" "$P/bin/motcua" catalog search "khai sinh" --db "$W/w.db"
check "catalog answers" grep -q '"code"' "$W/out"
# the data moved away: init names the folder it looked in, PREFIX's
mv "$P/share/motcua" "$P/share/motcua.away"
"$P/bin/motcua" init --db "$W/w2.db" --unit 00004 >"$W/out2" 2>"$W/err2"
rc=$?
mv "$P/share/motcua.away" "$P/share/motcua"
check "init without data fails" test "$rc" != 0
check "init names PREFIX's data folder" grep -q -F "$P/share/motcua" "$W/err2"

check "motcua-server version" "$P/sbin/motcua-server" version
# the installed server reads PREFIX/etc/motcua/server.conf by itself
conf=$P/etc/motcua/server.conf
cp "$conf" "$W/conf.saved"
echo "no_such_key = 1" >>"$conf"
"$P/sbin/motcua-server" stats >"$W/out" 2>"$W/stats.err"
rc=$?
cp "$W/conf.saved" "$conf"
check "a bad line in server.conf: exit 2" test "$rc" = 2
check "the message names the file and line" grep -q -F "$conf:" "$W/stats.err"
# the unit runs the installed program with the installed settings
unit=$P/lib/systemd/system/motcua-server.service
check "unit's ExecStart" grep -q -F "ExecStart=$P/sbin/motcua-server --config $conf serve" "$unit"
check "unit sandboxed" grep -q '^ProtectSystem=strict' "$unit"
if command -v systemd-analyze >/dev/null; then
	check "systemd-analyze verify" env MANPATH="$P/share/man" systemd-analyze verify "$unit"
else
	echo "  (systemd-analyze not found: the unit is not verified)"
fi
if command -v hardening-check >/dev/null; then
	# Control flow protection is left out: our objects carry IBT/SHSTK, but
	# Debian 12's C start files do not, so no program of Debian 12 has it.
	# Under ASan (SAN=1) _FORTIFY_SOURCE is left out on purpose (Makefile).
	nofortify=""
	grep -a -q __asan_init "$P/bin/motcua" && nofortify=--nofortify
	check "hardening-check motcua" hardening-check --nocfprotection $nofortify "$P/bin/motcua"
	check "hardening-check motcua-server" hardening-check --nocfprotection $nofortify \
		"$P/sbin/motcua-server"
else
	echo "  (hardening-check not found: apt-get install devscripts)"
	failn=$((failn+1))
fi
echo "install: $pass passed, $failn failed"
[ "$failn" = 0 ]
