# SPDX-License-Identifier: GPL-3.0-or-later
# Sourced by tests/cli/run.sh and tests/ui/run.sh: each_test SUITE FILE...
# runs each test file in a shell of its own, with T a fresh temporary folder,
# after the libraries in $LIBS (". 'a.sh'; . 'b.sh';"), and ends with
# finish. ONLY="name ..." runs only those files (while developing). Prints
# "SUITE: N passed, M failed" and the log of each that failed; returns 1
# when any failed.
each_test() {
	suite=$1; shift
	pass=0; failn=0
	for t in "$@"; do
		[ -e "$t" ] || continue
		if [ -n "${ONLY:-}" ]; then
			case " $ONLY " in *" $(basename "$t" | sed 's/\.[a-z]*$//') "*) ;; *) continue ;; esac
		fi
		T=$(mktemp -d); export T
		if sh -c "$LIBS . '$t'; finish" >"$T.log" 2>&1; then
			pass=$((pass+1))
		else
			failn=$((failn+1)); echo "FAILED: $t"; cat "$T.log"
		fi
		rm -rf "$T" "$T.log"
	done
	echo "$suite: $pass passed, $failn failed"
	[ "$failn" = 0 ]
}
