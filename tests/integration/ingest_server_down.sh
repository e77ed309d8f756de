#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The broker as installed holds a burst while the server is down: the server
# subscribes once (its persistent session), is stopped, 20,000 QoS 1 events
# are published and acknowledged by the broker, and once the server is
# started again every one of them is stored, once, with no seq gap. With
# Mosquitto's default queue limit (max_queued_messages 1000, the value
# docs/install-server.md once showed) 19,000 of them are dropped silently.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/ingest_lib.sh"
it_setup

N=${SB_DOWN_MESSAGES:-20000}
start_shipped_broker
server_config
start_server
expect_status 201 POST /api/v1/blocks '{"id":"tower-a","name":"Tower A"}' >/dev/null
register_sensors tower-a 100 20
wait_for 10 "server subscribed" grep -q "connected to" "$WORK/server.log"
kill -TERM "$SERVER_PID"
wait "$SERVER_PID" || fail "server did not exit 0 on SIGTERM"
log "server stopped"

"$BIN/sb-loadgen" --port "$MQTT_PORT" --sensors 100 --noise 20 --messages "$N" \
	--inflight 2000 --acked "$WORK/acked.txt" >"$WORK/loadgen.out" 2>&1 ||
	fail "loadgen: $(cat "$WORK/loadgen.out")"
acked=$(wc -l <"$WORK/acked.txt")
[ "$acked" = "$N" ] || fail "the broker acknowledged $acked of $N"
[ "$(db_count)" = 0 ] || fail "events stored while the server was down"

start_server
wait_for 120 "$N events stored" stored_is "$N"
[ "$(db_count)" = "$N" ] || fail "database holds $(db_count) events, not $N"
api GET /api/v1/sensors
[ "$(jq '[.sensors[].seq_gaps] | add' "$WORK/body")" = 0 ] || fail "seq gaps reported"
[ "$(counter duplicate)" = 0 ] || fail "duplicates counted"
log "all $N events published while the server was down stored once"
echo "PASS: $TEST_NAME"
