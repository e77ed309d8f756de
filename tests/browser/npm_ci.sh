#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Install the browser tests' npm packages (package-lock.json, exact versions)
# into DIR/node_modules unless they are there already at the locked versions.
# Usage: npm_ci.sh DIR
set -euo pipefail
src=$(cd "$(dirname "$0")" && pwd)
dir=${1:?usage: npm_ci.sh DIR}
mkdir -p "$dir"
if [ -d "$dir/node_modules" ] && cmp -s "$src/package-lock.json" "$dir/package-lock.json"; then
	echo "node_modules up to date in $dir"
	exit 0
fi
command -v npm >/dev/null || { echo "npm is missing: ./siteboard deps installs nodejs and npm" >&2; exit 1; }
cp "$src/package.json" "$src/package-lock.json" "$dir/"
cd "$dir"
npm ci --ignore-scripts --no-audit --no-fund
