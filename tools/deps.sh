#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# deps.sh: check the Debian 12 packages motcua needs; install the missing ones
# when running as root, otherwise say exactly what to install.
#
#   sh tools/deps.sh [SET...]      SET: runtime, server, build, test, all
#
#   runtime  a clerk's PC running motcua: the libraries, lp (cups-client), the
#            scanner tools, Vietnamese OCR, fonts; no database server, no compiler
#   server   a server running motcua-server: its libraries (PostgreSQL may be
#            on another host)
#   build    compiling both programs (make)
#   test     make check and make test-pkg: PostgreSQL, nginx, the PDF and
#            barcode readers, tmux, man, the Debian packaging tools, clang
#            (libFuzzer: make fuzz, and make check's short fuzzing run)
#   all      everything (the default: what CI needs)
RUNTIME="libncursesw6 libsqlite3-0 libcurl4 libjansson4 libcairo2 libpango-1.0-0 libpangocairo-1.0-0
libqrencode4 libsodium23 libutf8proc2 libssl3 zlib1g libp11-kit0 libsane1 libjpeg62-turbo libtiff6 libpoppler-glib8
cups-client sane-utils poppler-utils tesseract-ocr tesseract-ocr-vie fonts-noto-core"
SERVER="libmicrohttpd12 libpq5 libjansson4 libsodium23 libutf8proc2 zlib1g"
BUILD="build-essential pkg-config libncurses-dev libsqlite3-dev libcurl4-openssl-dev libjansson-dev
libcairo2-dev libpango1.0-dev libqrencode-dev libsodium-dev libutf8proc-dev libsane-dev
libjpeg62-turbo-dev libtiff-dev libpoppler-glib-dev libmicrohttpd-dev libpq-dev
libssl-dev zlib1g-dev libp11-kit-dev"
TEST="libcmocka-dev sqlite3 zbar-tools poppler-utils sane-utils tesseract-ocr tesseract-ocr-vie
fonts-dejavu-core fonts-noto-core tmux locales postgresql curl openssl nginx man-db cups-daemon libtiff-tools
dpkg-dev debhelper lintian devscripts debootstrap softhsm2 opensc libnss3-tools clang"

PKGS=""
[ $# = 0 ] && set -- all
for set in "$@"; do
	case $set in
	runtime) PKGS="$PKGS $RUNTIME" ;;
	server) PKGS="$PKGS $SERVER" ;;
	build) PKGS="$PKGS $BUILD" ;;
	test) PKGS="$PKGS $TEST" ;;
	all) PKGS="$PKGS $RUNTIME $SERVER $BUILD $TEST" ;;
	*) echo "deps: unknown set '$set' (runtime, server, build, test, all)" >&2; exit 2 ;;
	esac
done
missing=""
for p in $(echo $PKGS | tr ' ' '\n' | sort -u); do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
		echo "deps: installing:$missing"
		apt-get update -qq && apt-get install -y -qq $missing >/dev/null || exit 1
	else
		echo "deps: missing Debian packages. Install them with:" >&2
		echo "  sudo apt-get install$missing" >&2
		exit 1
	fi
fi
# A UTF-8 locale is needed for Vietnamese in the terminal; C.UTF-8 ships with libc.
if ! locale -a 2>/dev/null | grep -qi '^c\.utf-\?8$'; then
	echo "deps: no C.UTF-8 locale; install the 'locales' package" >&2
	exit 1
fi
exit 0
