#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Off-the-shelf sensors mapped in the server's config: Zigbee2MQTT (1.x and
# 2.x availability), ESPHome, Tasmota and Shelly messages arrive as door
# events of their sensor ids (seq assigned by the server, repeated states
# not stored twice) and update online/battery; a bad mapping line stops the
# server with one clear line.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/ingest_lib.sh"
it_setup

start_shipped_broker
server_config
cat >>"$WORK/server.ini" <<CONF
[zigbee2mqtt]
base_topic = zigbee2mqtt
gate_contact = z-gate
[esphome]
prefix = site-esp
store_door = e-store
[tasmota]
tasmota_ab12 = t-door
[shelly]
shellydw2-1 = s-door
CONF
start_server
expect_status 201 POST /api/v1/blocks '{"id":"tower-a","name":"Tower A"}' >/dev/null
for s in z-gate e-store t-door s-door; do
	expect_status 201 POST /api/v1/sensors \
		"{\"id\":\"$s\",\"block\":\"tower-a\",\"kind\":\"door\",\"role\":\"secure_store\"}" >/dev/null
done
wait_for 10 "server subscribed" grep -q "connected to" "$WORK/server.log"

pub() { mosquitto_pub -p "$MQTT_PORT" -q 1 -t "$1" -m "$2"; }
pub zigbee2mqtt/gate_contact '{"contact":false,"battery":97,"linkquality":120}'
pub zigbee2mqtt/gate_contact '{"contact":true,"battery":96}'
pub zigbee2mqtt/gate_contact '{"contact":true,"battery":96}'
pub zigbee2mqtt/gate_contact/availability '{"state":"offline"}'
pub site-esp/binary_sensor/store_door/state ON
pub site-esp/binary_sensor/store_door/state OFF
pub site-esp/status online
pub tele/tasmota_ab12/SENSOR '{"Time":"2026-11-25T10:00:00","Switch1":"ON"}'
pub tele/tasmota_ab12/LWT Offline
pub shellies/shellydw2-1/sensor/state open
pub shellies/shellydw2-1/sensor/battery 88
pub shellies/shellydw2-1/sensor/state close
pub shellies/shellydw2-1/sensor/state close
pub zigbee2mqtt/gate_contact/availability online

states() {
	api GET "/api/v1/events?sensor=$1"
	jq -r '[.events[] | "\(.seq):\(.kind):\(.state)"] | join(" ")' "$WORK/body"
}
states_are() { [ "$(states "$1")" = "$2" ]; }
wait_for 10 "the shelly close" states_are s-door "1:door:open 2:door:closed"
[ "$(states z-gate)" = "1:door:open 2:door:closed" ] || fail "z-gate: $(states z-gate)"
[ "$(states e-store)" = "1:door:open 2:door:closed" ] || fail "e-store: $(states e-store)"
[ "$(states t-door)" = "1:door:open" ] || fail "t-door: $(states t-door)"
[ "$(counter unchanged)" = 2 ] || fail "unchanged: $(counter unchanged)"

sensor() { api GET "/api/v1/sensors/$1"; jq -c "$2" "$WORK/body"; }
[ "$(sensor z-gate '[.online,.battery_pct]')" = '[true,96]' ] || fail "z-gate $(cat "$WORK/body")"
[ "$(sensor e-store '.online')" = true ] || fail "e-store $(cat "$WORK/body")"
[ "$(sensor t-door '.online')" = false ] || fail "t-door $(cat "$WORK/body")"
[ "$(sensor s-door '.battery_pct')" = 88 ] || fail "s-door $(cat "$WORK/body")"

# a bad payload on a mapped topic is counted, and the server stays up
pub shellies/shellydw2-1/sensor/state ajar
counter_is() { [ "$(counter "$1")" = "$2" ]; }
wait_for 10 "bad payload counted" counter_is rejected.bad_payload 1

# a bad mapping line: one clear line, non-zero exit
printf '[shelly]\nshelly-x = Not_An_Id\n' >>"$WORK/server.ini"
if "$BIN/siteboard-server" --config "$WORK/server.ini" >"$WORK/bad.out" 2>&1; then
	fail "started with a bad mapping"
fi
grep -q "server.ini:[0-9]*: sensor id 'Not_An_Id'" "$WORK/bad.out" || fail "message: $(cat "$WORK/bad.out")"
[ "$(wc -l <"$WORK/bad.out")" = 1 ] || fail "more than one line: $(cat "$WORK/bad.out")"
echo "PASS: $TEST_NAME"
