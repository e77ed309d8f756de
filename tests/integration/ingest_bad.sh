#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Bad sensor messages are counted per reason and logged with it, nothing of
# them is stored, and the server stays up and keeps storing good ones:
# malformed JSON, a missing field, an oversized payload, an event from the
# future (clock fault), an unknown sensor, the wrong block, the wrong kind;
# plus a seq gap, reported as a fault on the sensor.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/ingest_lib.sh"
it_setup

start_shipped_broker
server_config
start_server
expect_status 201 POST /api/v1/blocks '{"id":"tower-a","name":"Tower A"}' >/dev/null
expect_status 201 POST /api/v1/blocks '{"id":"tower-b","name":"Tower B"}' >/dev/null
register_sensors tower-a 2 1 # lg-0 noise, lg-1 door
wait_for 10 "server subscribed" grep -q "connected to" "$WORK/server.log"

T=siteboard/barton-hill
now=$(date -u +%Y-%m-%dT%H:%M:%S.000Z)
future=$(date -u -d '+10 minutes' +%Y-%m-%dT%H:%M:%S.000Z)
pub() { mosquitto_pub -p "$MQTT_PORT" -q 1 -t "$1" -m "$2"; }
pub $T/tower-a/sensor/lg-1/door '{"seq":1,"ts":"'"$now"'","state":"open"'
pub $T/tower-a/sensor/lg-1/door '{"seq":2,"state":"open"}'
pub $T/tower-a/sensor/lg-1/door "$(head -c 5000 /dev/zero | tr '\0' ' '){}"
pub $T/tower-a/sensor/lg-1/door '{"seq":3,"ts":"'"$future"'","state":"open"}'
pub $T/tower-a/sensor/nobody/door '{"seq":1,"ts":"'"$now"'","state":"open"}'
pub $T/tower-b/sensor/lg-1/door '{"seq":4,"ts":"'"$now"'","state":"open"}'
pub $T/tower-a/sensor/lg-0/door '{"seq":5,"ts":"'"$now"'","state":"open"}'
pub $T/tower-a/sensor/lg-1/status 'not json'
# good ones, with a gap (seq 7 and 8 never sent) and a duplicate
pub $T/tower-a/sensor/lg-1/door '{"seq":6,"ts":"'"$now"'","state":"open"}'
pub $T/tower-a/sensor/lg-1/door '{"seq":9,"ts":"'"$now"'","state":"closed"}'
pub $T/tower-a/sensor/lg-1/door '{"seq":9,"ts":"'"$now"'","state":"closed"}'

counter_is() { [ "$(counter "$1")" = "$2" ]; }
wait_for 10 "two events stored" counter_is stored 2
wait_for 10 "the duplicate counted" counter_is duplicate 1
api GET /api/v1/ingest
cat "$WORK/body" >&2
for c in bad_payload:4 clock_fault:1 unknown_sensor:1 wrong_block:1 wrong_kind:1; do
	[ "$(counter "rejected.${c%%:*}")" = "${c#*:}" ] || fail "rejected.${c%%:*}: $(cat "$WORK/body")"
done
for reason in "bad_payload: $T/tower-a/sensor/lg-1/door" clock_fault unknown_sensor wrong_block \
	wrong_kind "seq_gap: sensor lg-1: seq 7 to 8 missing"; do
	grep -q "$reason" "$WORK/server.log" || fail "no log line with '$reason'"
done
[ "$(db_count)" = 2 ] || fail "$(db_count) events stored"
expect_status 200 GET /api/v1/sensors/lg-1 >/dev/null
[ "$(jq -c '[.seq_gaps,.last_seq,.events]' "$WORK/body")" = '[2,9,2]' ] || fail "$(cat "$WORK/body")"
kill -0 "$SERVER_PID" || fail "the server died"
echo "PASS: $TEST_NAME"
