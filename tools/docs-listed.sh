#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# docs-listed.sh: every document in docs/ is either shipped by a package
# (debian/motcua.docs, debian/motcua-server.docs) or named in
# debian/not-installed, so that a new document never fails dh_missing
# at the end of a package build. Lists the ones that are neither; exit 1.
cd "$(dirname "$0")/.." || exit 2
missing=0
for f in $(git ls-files 'docs/*.md' 'docs/*.yaml'); do
	case "$f" in docs/*/*) continue ;; esac
	name=${f#docs/}
	if ! grep -qs "/doc/motcua[^/]*/$name\$" debian/motcua.docs debian/motcua-server.docs \
		debian/not-installed; then
		echo "$f: not in debian/motcua.docs, debian/motcua-server.docs nor debian/not-installed" >&2
		missing=1
	fi
done
exit $missing
