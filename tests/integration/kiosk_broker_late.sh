#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The broker starts after the kiosk and the server: both keep trying from
# their very first failed connect, so once it is up the server republishes
# the board and the kiosk connects, shows it and reports online with that
# board's version. The kiosk is given the name localhost, not an address.
. "$(dirname "$0")/lib.sh"
it_setup
MQTT_PORT=$(free_port)
server_config
start_server
wait_for 20 "server failed its first connect" grep -q "cannot reach" "$WORK/server.log"
expect_status 201 POST /api/v1/blocks '{"id":"tower-a","name":"Tower A"}' >/dev/null
expect_status 201 POST /api/v1/blocks/tower-a/contacts '{"role":"Out of hours emergency","phone":"0117 496 0999"}' >/dev/null

ini=$(kiosk_config tower-a "$WORK/cache.db")
sed -i 's/^host = 127.0.0.1$/host = localhost/' "$ini"
SDL_VIDEODRIVER=offscreen "$BIN/siteboard-kiosk" --config "$ini" --width 1080 --height 1920 \
	>>"$WORK/kiosk.log" 2>&1 &
kiosk=$!
PIDS+=("$kiosk")
wait_for 20 "kiosk failed its first connect" grep -q "cannot reach" "$WORK/kiosk.log"
kill -0 "$kiosk" || fail "kiosk exited while the broker was down"

log "broker up"
start_broker
v=$(jq .version <<<"$(retained_board tower-a)")
[ "$v" -ge 2 ] || fail "server did not republish the board: version '$v'"
status() { mosquitto_sub -h 127.0.0.1 -p "$MQTT_PORT" -t siteboard/barton-hill/tower-a/kiosk/lobby-1/status -C 1 -W 3; }
wait_for 30 "kiosk online with board version $v" bash -c "$(declare -f status); MQTT_PORT=$MQTT_PORT; status | jq -e '.state==\"online\" and .board_version==$v'"

kill -TERM "$kiosk"
wait "$kiosk" 2>/dev/null || true
s=$(status)
jq -e '.state=="offline"' <<<"$s" >/dev/null || fail "kiosk status after exit: $s"
echo "PASS: $TEST_NAME"
