#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A running kiosk picks up a posted notice and redraws; it reports what it
# shows in its retained status, and offline through its last will.
. "$(dirname "$0")/lib.sh"
it_setup
start_broker
server_config
start_server
expect_status 201 POST /api/v1/blocks '{"id":"tower-a","name":"Tower A"}' >/dev/null
expect_status 201 POST /api/v1/blocks/tower-a/contacts '{"role":"Out of hours emergency","phone":"0117 496 0999"}' >/dev/null
ini=$(kiosk_config tower-a "$WORK/cache.db")
SDL_VIDEODRIVER=offscreen "$BIN/siteboard-kiosk" --config "$ini" --width 1080 --height 1920 \
	--watch-screenshot "$WORK/live.png" >>"$WORK/kiosk.log" 2>&1 &
kiosk=$!
PIDS+=("$kiosk")
status() { mosquitto_sub -h 127.0.0.1 -p "$MQTT_PORT" -t siteboard/barton-hill/tower-a/kiosk/lobby-1/status -C 1 -W 3; }
wait_for 20 "kiosk online with board version 2" bash -c "$(declare -f status); MQTT_PORT=$MQTT_PORT; status | jq -e '.state==\"online\" and .board_version==2'"

body=$(expect_status 201 POST /api/v1/blocks/tower-a/notices '{"title":"Bins moved to the rear yard","priority":"important"}')
v=$(jq .version <<<"$(retained_board tower-a)")
wait_for 10 "kiosk shows version $v" bash -c "$(declare -f status); MQTT_PORT=$MQTT_PORT; status | jq -e '.board_version==$v and (.shown_at|type==\"string\")'"
sleep 0.5
expect_ocr "$WORK/live.png" "Bins moved to the rear yard"

kill -TERM "$kiosk"
wait "$kiosk" 2>/dev/null || true
s=$(status)
jq -e '.state=="offline"' <<<"$s" >/dev/null || fail "kiosk status after exit: $s"
echo "PASS: $TEST_NAME"
