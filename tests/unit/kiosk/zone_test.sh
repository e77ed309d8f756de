#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The kiosk's time zone, with the real binary, a real Mosquitto and TZ=UTC in
# its environment: started without a cache, the first board (Europe/London)
# makes it restart its MQTT client to apply the zone (no process restart),
# and the clock reads 13:00 at 12:00Z in July (BST); started again with that
# board cached, the zone is set at start and no restart is needed.
. "${SITEBOARD_SRC:?}/tests/integration/lib.sh"
it_setup
start_broker
fixture="$SRC/tests/fixtures/board-tower-a.json"
v=$(jq .version "$fixture")
mosquitto_pub -h 127.0.0.1 -p "$MQTT_PORT" -q 1 -r -t siteboard/barton-hill/tower-a/board -f "$fixture"
ini=$(kiosk_config tower-a "$WORK/cache.db")
status() { mosquitto_sub -h 127.0.0.1 -p "$MQTT_PORT" -t siteboard/barton-hill/tower-a/kiosk/lobby-1/status -C 1 -W 3; }
restart_line="the board's time zone is Europe/London: restarting the MQTT client to apply it"

run_kiosk() { # LOG PNG
	TZ=UTC SDL_VIDEODRIVER=offscreen "$BIN/siteboard-kiosk" --config "$ini" --width 1080 --height 1920 \
		--now 2026-07-15T12:00:00Z --watch-screenshot "$2" >>"$1" 2>&1 &
	kiosk=$!
	PIDS+=("$kiosk")
	wait_for 45 "kiosk online with board version $v" bash -c "$(declare -f status); MQTT_PORT=$MQTT_PORT; status | jq -e '.state==\"online\" and .board_version==$v'"
}
stop_kiosk() {
	kill -TERM "$kiosk"
	wait "$kiosk" || fail "kiosk exited with status $?"
}

log "no cache: the first board brings the zone"
run_kiosk "$WORK/kiosk1.log" "$WORK/first.png"
grep -qF "$restart_line" "$WORK/kiosk1.log" || fail "no zone change logged"
[ "$(grep -cF "$restart_line" "$WORK/kiosk1.log")" = 1 ] || fail "zone applied more than once"
expect_ocr "$WORK/first.png" "13:00"
stop_kiosk

log "cached board: the zone is set at start"
run_kiosk "$WORK/kiosk2.log" "$WORK/second.png"
grep -qF "board version $v loaded from the cache" "$WORK/kiosk2.log" || fail "cache not used"
! grep -qF "restarting the MQTT client" "$WORK/kiosk2.log" || fail "zone change on a cached board's zone"
expect_ocr "$WORK/second.png" "13:00"
stop_kiosk
echo "PASS: $TEST_NAME"
