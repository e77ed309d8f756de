#!/bin/sh
# SPDX-License-Identifier: MIT
# systemd-analyze verify on every unit in packaging/systemd (ExecStart pointed
# at this build's programs, since verify checks that they exist), failing on
# any warning; then print each unit's systemd-analyze security exposure.
# Works without systemd as PID 1. Usage: units_verify.sh SRC BIN WORKDIR
set -eu
src=$1 bin=$2 dir=$3
rm -rf "$dir"
mkdir -p "$dir"
status=0
for unit in "$src"/packaging/systemd/*.service; do
	name=$(basename "$unit")
	sed "s|/usr/bin/|$bin/|g" "$unit" >"$dir/$name"
	out=$(cd "$dir" && systemd-analyze verify "./$name" 2>&1) || status=1
	if [ -n "$out" ]; then
		echo "FAIL: $name:" >&2
		echo "$out" >&2
		status=1
	else
		echo "ok: $name"
	fi
	(cd "$dir" && systemd-analyze security --offline=true "./$name" 2>/dev/null | tail -n 1) || true
done
exit $status
