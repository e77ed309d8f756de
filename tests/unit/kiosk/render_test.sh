#!/bin/sh
# SPDX-License-Identifier: MIT
# Render test: seed a kiosk cache with a board fixture, run the real
# siteboard-kiosk headless (SDL offscreen, no broker reachable) with
# --screenshot, and read the PNG back with tools that are not ours:
# zbarimg must decode the QR to exactly the complaint URL, tesseract must
# read the out-of-hours emergency number and the urgent notice title.
# Usage: render_test.sh KIOSK SEED_TOOL BOARD.json WxH WORKDIR
# $RUN, if set, prefixes our programs (a cross build: "qemu-aarch64-static -L /").
set -eu
RUN=${RUN:-}

kiosk=$1 seed=$2 fixture=$3 size=$4 dir=$5
w=${size%x*} h=${size#*x}
url="https://example.org/c/tower-a"
phone="0117 496 0999"
urgent="Water off Thursday 9-12"

fail() { echo "FAIL ($size): $*" >&2; exit 1; }

rm -rf "$dir"
mkdir -p "$dir"
cat >"$dir/kiosk.ini" <<INI
[mqtt]
# nothing listens on port 9: the kiosk must fall back to its cache
host = 127.0.0.1
port = 9
[kiosk]
id = render-test
site = barton-hill
block = tower-a
cache = $dir/cache.sqlite
INI
$RUN "$seed" "$dir/cache.sqlite" "$fixture" || fail "cannot seed the cache"

SDL_VIDEODRIVER=offscreen $RUN "$kiosk" --config "$dir/kiosk.ini" --now 2026-11-25T14:05:00Z \
	--width "$w" --height "$h" --screenshot "$dir/board.png" 2>"$dir/kiosk.log" ||
	{ cat "$dir/kiosk.log" >&2; fail "kiosk exited non-zero"; }
[ -s "$dir/board.png" ] || fail "no screenshot written"

got=$(zbarimg -q --raw "$dir/board.png" 2>/dev/null || true)
[ "$got" = "$url" ] || fail "QR decodes to '$got', expected '$url'"

tesseract "$dir/board.png" "$dir/ocr" >/dev/null 2>&1 || fail "tesseract failed"
grep -qF "$phone" "$dir/ocr.txt" || fail "emergency number '$phone' not read by OCR"
grep -qF "$urgent" "$dir/ocr.txt" || fail "urgent notice '$urgent' not read by OCR"
# expired and not-yet-active notices must not be on screen
if grep -qE "Expired notice|Future notice" "$dir/ocr.txt"; then
	fail "an inactive notice is shown"
fi

# a broken cache file must not stop the kiosk: no board, so the screenshot fails cleanly
printf 'this is not a database' >"$dir/cache.sqlite"
rm -f "$dir/cache.sqlite-wal" "$dir/cache.sqlite-shm"
if [ "$size" = 800x480 ]; then
	if SDL_VIDEODRIVER=offscreen timeout 60 $RUN "$kiosk" --config "$dir/kiosk.ini" \
		--screenshot "$dir/none.png" 2>"$dir/none.log"; then
		fail "screenshot without any board succeeded"
	fi
	grep -q "no board received within 20 s and none cached" "$dir/none.log" ||
		fail "missing 'no board' message"
fi
echo "ok ($size)"
