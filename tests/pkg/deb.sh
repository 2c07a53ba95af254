#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The Debian packages (make test-pkg): dpkg-buildpackage -us -uc -b on a copy
# of the tree, their file lists, fields and maintainer scripts, lintian with
# no error, hardening-check on the programs; then the .debs installed in a
# root where the build tree is absent, and run there as a clerk's PC and a
# server would: motcua --version and init from /usr/bin, the system user and
# the settings' mode, a PostgreSQL database, migrate, import and user add as
# motcua, the unit's ExecStart run as its User, a workstation logging in and
# syncing through it, a reinstall that leaves the database alone, a purge.
#
#   sh tests/pkg/deb.sh TREE
#   MOTCUA_PKG_FRESH=1 MOTCUA_PKG_DEBS=DIR sh tests/pkg/deb.sh TREE
#
# The root: by default a copy-on-write view of this machine (overlayfs over /,
# the tree hidden, in a network namespace of its own), quick and needing no
# network; with MOTCUA_PKG_FRESH=1 a fresh Debian 12 made by debootstrap
# (network to a Debian mirror, several minutes; its downloads are kept in
# /var/cache/motcua-test), where apt brings the packages' dependencies.
# Needs root (mount, chroot, unshare).
set -u
TREE=$(cd "$1" && pwd)
export LC_ALL=C.UTF-8 TZ=Asia/Ho_Chi_Minh
W=$(mktemp -d /tmp/motcua-pkg.XXXXXX)
pass=0 failn=0
ok() { pass=$((pass+1)); }
fail() { failn=$((failn+1)); echo "  FAIL: $*"; }
# check WHAT CMD...: one counted check, its output in $W/out
check() {
	what=$1
	shift
	if "$@" >"$W/out" 2>"$W/err"; then ok; else fail "$what: $(head -c 400 "$W/err")"; fi
}
ROOT=$W/root
MOUNTS=""
cleanup() {
	for m in $MOUNTS; do umount -l "$m" 2>/dev/null; done
	rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
finish() {
	echo "pkg: $pass passed, $failn failed"
	[ "$failn" = 0 ]
	exit
}

for t in dpkg-buildpackage dh; do
	command -v $t >/dev/null || { fail "$t not found (apt-get install dpkg-dev debhelper)"; finish; }
done
[ "$(id -u)" = 0 ] || { fail "needs root (mount, chroot)"; finish; }

# ---- build, from a copy of the tree (the packages come out beside it) -------
mkdir -p "$W/src/motcua"
if git -C "$TREE" rev-parse >/dev/null 2>&1; then
	git -C "$TREE" ls-files -co --exclude-standard -z | tr '\0' '\n' | grep -v '^build' |
		tar -C "$TREE" -T - -cf - | tar -xf - -C "$W/src/motcua"
else
	tar -C "$TREE" --exclude='./build*' -cf - . | tar -xf - -C "$W/src/motcua"
fi
# MOTCUA_PKG_DEBS=DIR: packages built before are taken from DIR (while
# working on this test); without them there, the new ones are kept in it
if [ -n "${MOTCUA_PKG_DEBS:-}" ] && ls "$MOTCUA_PKG_DEBS"/motcua_*.changes >/dev/null 2>&1; then
	echo "  the packages of $MOTCUA_PKG_DEBS"
	cp "$MOTCUA_PKG_DEBS"/* "$W/src/"
else
	echo "  building the packages (dpkg-buildpackage -us -uc -b)..."
	(cd "$W/src/motcua" && DEB_BUILD_OPTIONS="nocheck parallel=2" dpkg-buildpackage -us -uc -b) \
		>"$W/build.log" 2>&1
	rc=$?
	if [ $rc != 0 ]; then
		fail "dpkg-buildpackage exit $rc"; tail -n 40 "$W/build.log"; finish
	fi
	if [ -n "${MOTCUA_PKG_DEBS:-}" ]; then
		mkdir -p "$MOTCUA_PKG_DEBS"
		cp "$W/src"/*.deb "$W/src"/*.changes "$W/src"/*.buildinfo "$MOTCUA_PKG_DEBS/"
	fi
fi
ok
DEBS=$W/src
for p in motcua motcua-server motcua-data; do
	set -- "$DEBS/${p}_"*.deb
	[ -f "$1" ] && ok || { fail "no package $p"; finish; }
	eval "DEB_$(echo $p | tr - _)=$1"
done

# ---- what each package holds -------------------------------------------------
list() { dpkg-deb -c "$1" | awk '{ print $1, $2, $6 }' | sed 's|\./|/|'; }
list "$DEB_motcua" >"$W/c.list"
list "$DEB_motcua_server" >"$W/s.list"
list "$DEB_motcua_data" >"$W/d.list"
has() { grep -q -- " $2\$" "$1" && ok || fail "$(basename "$1" .list) lacks $2"; }
for f in /usr/bin/motcua /usr/share/man/man1/motcua.1.gz /usr/share/doc/motcua/copyright \
	/usr/share/doc/motcua/README.md.gz /usr/share/doc/motcua/examples/default.keys; do
	has "$W/c.list" "$f"
done
for f in /usr/sbin/motcua-server /usr/share/man/man8/motcua-server.8.gz /etc/motcua/server.conf \
	/lib/systemd/system/motcua-server.service /usr/share/doc/motcua-server/deploy.md.gz \
	/usr/share/doc/motcua-server/api.md.gz /usr/share/doc/motcua-server/copyright \
	/usr/share/doc/motcua-server/examples/server.conf; do
	has "$W/s.list" "$f"
done
for f in provinces-2025.csv communes-2025.csv commune-merges-2025.csv procedures.jsonl holidays.txt; do
	has "$W/d.list" "/usr/share/motcua/$f"
done
# nothing of one package in another, nothing outside the usual places
sort "$W/c.list" "$W/s.list" "$W/d.list" | awk '$1 !~ /^d/ { print $3 }' | sort | uniq -d >"$W/dup"
[ ! -s "$W/dup" ] && ok || fail "files in two packages: $(cat "$W/dup")"
awk '{ print $3 }' "$W/c.list" "$W/s.list" "$W/d.list" |
	grep -v '^/$\|^/usr/\|^/etc/$\|^/etc/motcua/\|^/lib/$\|^/lib/systemd/' >"$W/odd"
[ ! -s "$W/odd" ] && ok || fail "files in odd places: $(cat "$W/odd")"
# the programs carry no path of the build
mkdir -p "$W/x"
for d in "$DEB_motcua" "$DEB_motcua_server"; do dpkg-deb -x "$d" "$W/x"; done
for b in "$W/x/usr/bin/motcua" "$W/x/usr/sbin/motcua-server"; do
	! grep -a -q -F "$W/src/motcua/data" "$b" && ok || fail "$b holds the build tree's path"
	if command -v hardening-check >/dev/null; then
		# control flow protection left out: Debian 12's C start files lack it
		check "hardening-check $(basename "$b")" hardening-check --nocfprotection "$b"
	else
		fail "hardening-check not found (apt-get install devscripts)"
	fi
done

# ---- fields and maintainer scripts ---------------------------------------------
field() { dpkg-deb -f "$1" "$2"; }
dep=$(field "$DEB_motcua" Depends) rec=$(field "$DEB_motcua" Recommends)
for want in libsqlite3 libncursesw6 libsane1 libcurl4 motcua-data; do
	case $dep in *"$want"*) ok ;; *) fail "motcua does not depend on $want: $dep" ;; esac
done
for want in cups-client sane-utils tesseract-ocr-vie; do
	case $rec in *"$want"*) ok ;; *) fail "motcua does not recommend $want: $rec" ;; esac
done
# a clerk's PC needs no database server nor build tools
case "$dep $rec" in *postgresql*|*-dev*|*build-essential*) fail "motcua pulls in $dep $rec" ;; *) ok ;; esac
sdep=$(field "$DEB_motcua_server" Depends)
case $sdep in *libpq5*) ok ;; *) fail "motcua-server does not depend on libpq5: $sdep" ;; esac
dpkg-deb -e "$DEB_motcua_server" "$W/ctl"
grep -q '^/etc/motcua/server.conf$' "$W/ctl/conffiles" && ok || fail "server.conf is not a conffile"
grep -q 'adduser --system' "$W/ctl/postinst" && ok || fail "postinst adds no system user"
# the postinst never touches a database
grep -v '^[[:space:]]*#' "$W/ctl/postinst" >"$W/postinst.code"
db_tools='psql\|createdb\|dropdb\|pg_dump\|pg_restore\|motcua-server \(migrate\|import\|user\)'
! grep -q "$db_tools" "$W/postinst.code" && ok ||
	fail "postinst touches a database: $(grep "$db_tools" "$W/postinst.code")"

# ---- lintian: no error -------------------------------------------------------------
if command -v lintian >/dev/null; then
	lintian --allow-root "$DEBS"/motcua_*.changes >"$W/lintian" 2>&1
	if grep -q '^E:' "$W/lintian"; then fail "lintian errors:"; grep '^E:' "$W/lintian"; else ok; fi
	grep '^W:' "$W/lintian" | sed 's/^/  lintian: /'
else
	fail "lintian not found (apt-get install lintian)"
fi

# ---- the root ---------------------------------------------------------------------------
mnt() { eval "at=\${$#}"; mount "$@" && MOUNTS="$at $MOUNTS"; }
mkdir -p "$ROOT"
if [ "${MOTCUA_PKG_FRESH:-0}" = 1 ]; then
	command -v debootstrap >/dev/null || { fail "debootstrap not found"; finish; }
	mirror=$(sed -n 's/^URIs: *\(http[^ ]*debian\)$/\1/p' /etc/apt/sources.list.d/debian.sources \
		2>/dev/null | head -n 1)
	mirror=${mirror:-http://deb.debian.org/debian}
	mkdir -p /var/cache/motcua-test/debootstrap
	echo "  debootstrap bookworm from $mirror..."
	debootstrap --variant=minbase --cache-dir=/var/cache/motcua-test/debootstrap bookworm \
		"$ROOT" "$mirror" >"$W/debootstrap.log" 2>&1 ||
		{ fail "debootstrap failed"; tail -n 20 "$W/debootstrap.log"; finish; }
	cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
	# no service starts inside (postgresql's own cluster stays down)
	printf '#!/bin/sh\nexit 101\n' >"$ROOT/usr/sbin/policy-rc.d"
	chmod 755 "$ROOT/usr/sbin/policy-rc.d"
	MODE=fresh
else
	mkdir -p "$W/upper" "$W/work"
	mnt -t overlay overlay -o "lowerdir=/,upperdir=$W/upper,workdir=$W/work" "$ROOT" ||
		{ fail "overlayfs over / could not be mounted"; finish; }
	# no build tree, nothing of this test's files, no host's /tmp
	mnt -t tmpfs tmpfs "$ROOT/tmp"
	mnt -t tmpfs tmpfs "$ROOT$TREE"
	MODE=overlay
fi
mnt -t proc proc "$ROOT/proc"
mnt --bind /dev "$ROOT/dev"
mnt -t tmpfs tmpfs "$ROOT/run"
mkdir -p "$ROOT/tmp/debs"
cp "$DEB_motcua" "$DEB_motcua_server" "$DEB_motcua_data" "$ROOT/tmp/debs/"
chmod 1777 "$ROOT/tmp"
if [ "$MODE" = fresh ]; then
	echo "  apt-get install the packages, postgresql and curl in the fresh root..."
	chroot "$ROOT" sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends /tmp/debs/*.deb postgresql curl' >"$W/apt.log" 2>&1 ||
		{ fail "apt-get install in the fresh root"; tail -n 20 "$W/apt.log"; finish; }
	ok
fi

# the checks inside the root: one "ok WHAT" or "FAIL WHAT" line each
cat >"$ROOT/tmp/inroot.sh" <<'EOF'
set -u
export LC_ALL=C.UTF-8 TZ=Asia/Ho_Chi_Minh PATH=/usr/sbin:/usr/bin:/sbin:/bin
t() { what=$1; shift; if "$@" >/tmp/o 2>/tmp/e; then echo "ok $what"; else echo "FAIL $what: $(head -c 300 /tmp/e) $(head -c 200 /tmp/o)"; fi; }
TREE=$1 MODE=$2
t "no build tree in the root" test ! -e "$TREE/data"
if [ "$MODE" = overlay ]; then
	t "dpkg -i the packages" dpkg -i /tmp/debs/motcua-data_*.deb /tmp/debs/motcua_*.deb /tmp/debs/motcua-server_*.deb
fi
t "motcua is /usr/bin/motcua" test "$(command -v motcua)" = /usr/bin/motcua
t "motcua --version" sh -c 'motcua --version | grep -q "^motcua [0-9]"'
export HOME=/tmp/home
mkdir -p "$HOME"
cd /
t "motcua init" motcua init --unit 00004
t "the store where the guide says" test -s "$HOME/.local/share/motcua/motcua.db"
t "catalog from /usr/share/motcua" sh -c 'motcua catalog search "khai sinh" | grep -q "\"code\""'
t "a clerk" sh -c 'echo matkhau123 | motcua clerk add lan --name "Nguyễn Thị Lan" --unit 00004'
t "man page installed" test -s /usr/share/man/man1/motcua.1.gz
t "system user motcua" sh -c 'getent passwd motcua | grep -q nologin'
t "group motcua" getent group motcua
t "server.conf root:motcua 0640" test "$(stat -c '%U:%G %a' /etc/motcua/server.conf)" = "root:motcua 640"
t "motcua-server version" motcua-server version
unit=/lib/systemd/system/motcua-server.service
if command -v systemd-analyze >/dev/null; then
	t "systemd-analyze verify" systemd-analyze verify "$unit"
fi
t "unit not enabled by the package" test ! -e /etc/systemd/system/multi-user.target.wants/motcua-server.service
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
export pgbin
if [ -z "$pgbin" ]; then
	echo "FAIL no PostgreSQL in the root"
	exit 0
fi
# a local cluster on the default socket, as deploy.md sets it up
mkdir -p /run/postgresql /tmp/pg
chown postgres /run/postgresql /tmp/pg
t "initdb" runuser -u postgres -- "$pgbin/initdb" -D /tmp/pg -A peer -E UTF8 --locale=C.UTF-8 --no-sync
t "postgres start" runuser -u postgres -- "$pgbin/pg_ctl" -D /tmp/pg -w -l /tmp/pg/log \
	-o "-k /run/postgresql -c listen_addresses=localhost -c fsync=off" start
t "createuser motcua" runuser -u postgres -- "$pgbin/createuser" -h /run/postgresql motcua
t "createdb motcua" runuser -u postgres -- "$pgbin/createdb" -h /run/postgresql -O motcua motcua
# the settings as shipped: dbname=motcua, peer authentication, no password
t "migrate as motcua" runuser -u motcua -- motcua-server migrate
t "import from /usr/share/motcua" runuser -u motcua -- motcua-server import
t "user add" sh -c 'echo matkhau123 | runuser -u motcua -- motcua-server user add --username lan --unit 00004 --role clerk'
# the unit's command, as its user
exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
user=$(sed -n 's/^User=//p' "$unit")
t "unit runs as motcua" test "$user" = motcua
# setpriv execs (runuser would stay the parent): $! is the server, as for systemd
setpriv --reuid="$user" --regid="$user" --init-groups -- $exec_start 2>/tmp/server.log &
spid=$!
i=0
while ! grep -q "listening on" /tmp/server.log; do
	i=$((i+1)); [ $i -lt 400 ] && kill -0 $spid 2>/dev/null || break
	sleep 0.05
done
t "server started from the unit's ExecStart" grep -q "listening on http://127.0.0.1:8080" /tmp/server.log
t "healthz" sh -c 'curl -fsS http://127.0.0.1:8080/healthz | grep -q ok'
t "log lines have a level" grep -q "^level=info " /tmp/server.log
t "login" sh -c 'echo matkhau123 | motcua login --server http://127.0.0.1:8080 --username lan'
t "sync" sh -c 'MOTCUA_USER=lan MOTCUA_PASSWORD=matkhau123 motcua sync --once | grep -q "{"'
t "the server has the workstation" sh -c 'runuser -u motcua -- "$pgbin/psql" -X -A -t -d motcua -c "SELECT count(*) FROM devices" | grep -q "^1$"'
# a reinstall runs the postinst again: the database is left as it is
runuser -u motcua -- "$pgbin/psql" -X -A -t -d motcua -c "SELECT count(*) FROM users; SELECT max(version) FROM schema_version" >/tmp/db.before 2>&1
echo "# the admin's line" >>/etc/motcua/server.conf
t "reinstall" dpkg -i /tmp/debs/motcua-server_*.deb
runuser -u motcua -- "$pgbin/psql" -X -A -t -d motcua -c "SELECT count(*) FROM users; SELECT max(version) FROM schema_version" >/tmp/db.after 2>&1
t "the database untouched by the postinst" cmp /tmp/db.before /tmp/db.after
t "the admin's settings kept" grep -q "the admin's line" /etc/motcua/server.conf
t "server.conf still 0640" test "$(stat -c '%U:%G %a' /etc/motcua/server.conf)" = "root:motcua 640"
kill -TERM $spid
wait $spid
t "server stopped cleanly" test $? = 0
t "purge motcua-server" dpkg --purge motcua-server
t "settings gone with the purge" test ! -e /etc/motcua/server.conf
t "motcua stays" motcua --version
runuser -u postgres -- "$pgbin/pg_ctl" -D /tmp/pg -m immediate stop >/dev/null 2>&1
exit 0
EOF
echo "  running the installed packages in the $MODE root..."
unshare -n sh -c "ip link set lo up 2>/dev/null || true; chroot '$ROOT' sh /tmp/inroot.sh '$TREE' $MODE" \
	>"$W/inroot.out" 2>&1
grep -q '^ok \|^FAIL ' "$W/inroot.out" || { fail "nothing ran in the root: $(head -c 600 "$W/inroot.out")"; finish; }
while IFS= read -r line; do
	case $line in
	"ok "*) ok ;;
	"FAIL "*) fail "${line#FAIL }" ;;
	esac
done <"$W/inroot.out"
if [ "$failn" != 0 ]; then
	echo "--- in the root ---"; cat "$W/inroot.out"
	[ -f "$ROOT/tmp/server.log" ] && { echo "--- server log ---"; tail -n 20 "$ROOT/tmp/server.log"; }
fi
finish
