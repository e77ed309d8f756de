#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# kill -9 of the server during a QoS 1 burst loses nothing acknowledged:
# sb-loadgen records every (sensor, seq) the broker acknowledged; the server
# is killed mid-burst (and once more while it replays its backlog), started
# again, and every recorded pair must then be stored exactly once.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/ingest_lib.sh"
it_setup

N=${SB_KILL_MESSAGES:-60000}
start_shipped_broker
server_config
start_server
expect_status 201 POST /api/v1/blocks '{"id":"tower-a","name":"Tower A"}' >/dev/null
register_sensors tower-a 100 20
wait_for 10 "server subscribed" grep -q "connected to" "$WORK/server.log"
sleep 0.5

"$BIN/sb-loadgen" --port "$MQTT_PORT" --sensors 100 --noise 20 --messages "$N" \
	--inflight 2000 --acked "$WORK/acked.txt" >"$WORK/loadgen.out" 2>&1 &
LG=$!
PIDS+=("$LG")
wait_for 20 "the first events stored" stored_is 1
kill -9 "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null || true
log "killed the server with $(db_count) events stored"
start_server
sleep 0.3
kill -9 "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null || true
log "killed it again with $(db_count) events stored"
start_server
wait "$LG" || fail "loadgen: $(cat "$WORK/loadgen.out")"
cat "$WORK/loadgen.out"
acked=$(wc -l <"$WORK/acked.txt")
[ "$acked" = "$N" ] || fail "the broker acknowledged $acked of $N"
wait_for 120 "$N events stored" stored_is "$N"

missing=$(sqlite3 "$WORK/server.db" <<SQL | tail -n 1
PRAGMA busy_timeout=5000;
CREATE TEMP TABLE acked (sensor TEXT, seq INTEGER);
.separator " "
.import $WORK/acked.txt acked
SELECT COUNT(*) FROM acked a LEFT JOIN sensor_events e ON e.sensor = a.sensor AND e.seq = a.seq
 WHERE e.seq IS NULL;
SQL
)
[ "$missing" = 0 ] || fail "$missing acknowledged messages not stored"
[ "$(db_count)" = "$N" ] || fail "database holds $(db_count) events, not $N"
api GET /api/v1/sensors
[ "$(jq '[.sensors[].seq_gaps] | add' "$WORK/body")" = 0 ] || fail "seq gaps reported"
grep -h "replayed\|torn" "$WORK/server.log" >&2 || true
log "all $N acknowledged messages stored once; duplicates skipped: $(counter duplicate)"
echo "PASS: $TEST_NAME"
