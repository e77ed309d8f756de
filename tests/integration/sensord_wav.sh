#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A WAV input: a generated 1 kHz tone at -20 dBFS with cal_db = 120 must give
# one noise message per period, timestamped from the configured start, at
# 100 dB within 0.2 dB.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/sensord_lib.sh"
it_setup
start_broker
"$BIN/sensord_gen_wav" "$WORK/tone.wav" 48000 5.5:-20 || fail "cannot generate the WAV"
sensord_config "[noise:noise-1]
input = wav
file = $WORK/tone.wav
realtime = false
start = 2026-11-25T07:00:00Z
period_s = 1
cal_db = 120"
start_sub 'siteboard/barton-hill/+/sensor/noise-1/noise' "$WORK/sub.txt"
start_sensord /dev/null
wait_for 20 "5 noise messages" bash -c "[ \$(grep -c noise '$WORK/sub.txt') -ge 5 ]"
sleep 0.5
[ "$(grep -c noise "$WORK/sub.txt")" = 5 ] || fail "expected 5 periods: $(cat "$WORK/sub.txt")"
expect_in_order "$WORK/sub.txt" 5
n=0
while read -r topic json; do
	ts=$(sed -n 's/.*"ts":"\([^"]*\)".*/\1/p' <<<"$json")
	[ "$ts" = "2026-11-25T07:00:0${n}Z" ] || fail "period $n ts: $json"
	grep -qF '"period_s":1' <<<"$json" || fail "period_s: $json"
	for f in laeq lafmax la90; do
		v=$(sed -n "s/.*\"$f\":\([-0-9.]*\).*/\1/p" <<<"$json")
		awk -v v="$v" 'BEGIN { exit !(v >= 99.8 && v <= 100.2) }' || fail "period $n $f = $v, want 100 +- 0.2: $json"
	done
	n=$((n + 1))
done <"$WORK/sub.txt"
grep -q 'less than a period' "$WORK/sensord.log" || fail "partial period not logged"
stop_sensord
log "5 periods of a 100 dB tone"
