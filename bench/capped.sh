#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# sh bench/capped.sh COMMAND ARGS...: runs COMMAND in a cgroup whose CPU is
# capped at one third of one core (33.3 ms of every 100 ms), as an old office
# PC's share of a core feels under load. cgroup v2 (cpu.max) when the cpu
# controller is there, else cgroup v1 (cpu.cfs_quota_us); both need root.
# Exit status 3, with the reason on stderr, when neither is available: the
# caller says the capped figures were not measured.
set -u
name=motcua-bench-$$
v2=/sys/fs/cgroup
v1=/sys/fs/cgroup/cpu
if [ -f "$v2/cgroup.controllers" ] && grep -qw cpu "$v2/cgroup.controllers" &&
	mkdir "$v2/$name" 2>/dev/null; then
	dir=$v2/$name
	echo "33333 100000" >"$dir/cpu.max" || { rmdir "$dir"; exit 3; }
	how="cgroup v2 cpu.max 33333 100000"
elif [ -w "$v1/cpu.cfs_quota_us" ] || mkdir "$v1/$name" 2>/dev/null; then
	dir=$v1/$name
	[ -d "$dir" ] || mkdir "$dir" || exit 3
	echo 100000 >"$dir/cpu.cfs_period_us" && echo 33333 >"$dir/cpu.cfs_quota_us" ||
		{ rmdir "$dir"; exit 3; }
	how="cgroup v1 cpu.cfs_quota_us 33333 of 100000 (no cpu controller in cgroup v2 here)"
else
	echo "capped: no cgroup cpu controller we may use (cgroup v2 cpu.max or v1 cpu.cfs_quota_us, as root)" >&2
	exit 3
fi
echo "capped: $how" >&2
sh -c 'echo $$ >"$1/cgroup.procs" && shift && exec "$@"' capped "$dir" "$@"
rc=$?
rmdir "$dir" 2>/dev/null
exit $rc
