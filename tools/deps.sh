#!/bin/sh
# deps.sh: check the Debian packages motcua needs; install the missing ones when
# running as root, otherwise say exactly what to install.
PKGS="build-essential pkg-config libncursesw5-dev libsqlite3-dev sqlite3 libcurl4-openssl-dev
libjansson-dev libcairo2-dev libpango1.0-dev libqrencode-dev libsodium-dev libutf8proc-dev
libcmocka-dev libsane-dev sane-utils libjpeg62-turbo-dev libtiff-dev libpoppler-glib-dev poppler-utils
zbar-tools tesseract-ocr tesseract-ocr-vie fonts-dejavu-core fonts-noto-core tmux locales postgresql libmicrohttpd-dev libpq-dev curl openssl zlib1g-dev"
missing=""
for p in $PKGS; do
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
