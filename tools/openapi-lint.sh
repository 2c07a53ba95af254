#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# openapi-lint.sh: docs/openapi.yaml through a real OpenAPI linter, Redocly's
# (its recommended rules; .redocly.lint-ignore.yaml says what is kept on
# purpose). Needs Node.js and the npm registry; without node it says so and
# passes (make check runs it where node is, as CI does).
#   sh tools/openapi-lint.sh
REDOCLY=@redocly/cli@2.77.0   # the last to run on Node.js 20 (Debian's and CI's)
cd "$(dirname "$0")/.." || exit 2
if ! command -v npx >/dev/null 2>&1; then
	echo "openapi-lint: no node/npx here: docs/openapi.yaml not linted"
	exit 0
fi
out=$(mktemp)
if npx --yes "$REDOCLY" lint --format=stylish docs/openapi.yaml >"$out" 2>&1; then
	echo "openapi-lint: docs/openapi.yaml passes redocly lint"
	rm -f "$out"
	exit 0
fi
grep -v '^\s*$' "$out" | grep -v '║\|╔\|╚'
rm -f "$out"
echo "openapi-lint: docs/openapi.yaml fails redocly lint" >&2
exit 1
