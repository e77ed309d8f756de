#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A 20,000-message QoS 1 burst (sb-loadgen: 100 sensors, doors and noise)
# through Mosquitto configured as shipped is stored completely: every event
# in the database, none rejected, no seq gap; prints the ingest rate measured
# from the first to the last stored event.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/ingest_lib.sh"
it_setup

N=${SB_BURST_MESSAGES:-20000}
start_shipped_broker
server_config
start_server
expect_status 201 POST /api/v1/blocks '{"id":"tower-a","name":"Tower A"}' >/dev/null
register_sensors tower-a 100 20
wait_for 10 "server subscribed" grep -q "connected to" "$WORK/server.log"
sleep 0.5

t0=$(date +%s%N)
"$BIN/sb-loadgen" --port "$MQTT_PORT" --sensors 100 --noise 20 --messages "$N" \
	--inflight 2000 | tee "$WORK/loadgen.out"
wait_for 60 "$N events stored" stored_is "$N"
t1=$(date +%s%N)

[ "$(db_count)" = "$N" ] || fail "database holds $(db_count) events, not $N"
expect_status 200 GET "/api/v1/events?sensor=lg-7&limit=1000" >/dev/null
[ "$(jq .total "$WORK/body")" = $((N / 100)) ] || fail "lg-7 has $(jq .total "$WORK/body") events"
api GET /api/v1/sensors
[ "$(jq '[.sensors[].seq_gaps] | add' "$WORK/body")" = 0 ] || fail "seq gaps reported"
[ "$(counter duplicate)" = 0 ] || fail "duplicates counted"
api GET /api/v1/ingest
jq -e '[.counters | to_entries[] | select(.key | startswith("rejected"))] | length == 0' \
	"$WORK/body" >/dev/null || fail "rejects: $(cat "$WORK/body")"
# whole numbers, in the shell itself (no calculator package needed)
rate=$((N * 1000000000 / (t1 - t0 > 0 ? t1 - t0 : 1)))
log "stored $N of $N; end to end (publish to stored) $rate msg/s"
echo "PASS: $TEST_NAME"
