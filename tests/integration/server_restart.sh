#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# kill -9 of the server loses nothing it acknowledged, and on restart it
# republishes every board; a restarted broker gets every board again too.
. "$(dirname "$0")/lib.sh"
it_setup
start_broker
server_config
start_server
expect_status 201 POST /api/v1/blocks '{"id":"tower-a","name":"Tower A"}' >/dev/null
expect_status 201 POST /api/v1/blocks '{"id":"tower-b","name":"Tower B"}' >/dev/null

log "post notices while the server is killed -9 part way through"
acked=()
for i in $(seq 1 60); do
	api POST /api/v1/blocks/tower-a/notices "{\"title\":\"Notice $i\"}" 2>/dev/null
	if [ "$STATUS" = 201 ]; then
		acked+=("$(jq -r .id "$WORK/body")")
	fi
	if [ "$i" = 40 ]; then
		kill -9 "$SERVER_PID"
		wait "$SERVER_PID" 2>/dev/null || true
		start_server
	fi
done
[ ${#acked[@]} -ge 59 ] || fail "only ${#acked[@]} of 60 posts were acknowledged"

mosquitto_sub -h 127.0.0.1 -p "$MQTT_PORT" -t 'siteboard/barton-hill/+/board' -v >"$WORK/sub.txt" 2>&1 &
sub=$!
PIDS+=("$sub")
sleep 1
log "kill -9 again and restart: every acknowledged notice is stored and published"
kill -9 "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null || true
: >"$WORK/sub.txt"
start_server
wait_for 10 "both boards republished" bash -c "grep -c '^siteboard/barton-hill/tower-[ab]/board ' '$WORK/sub.txt' | grep -q '^[2-9]'"
grep -q '^siteboard/barton-hill/tower-b/board ' "$WORK/sub.txt" || fail "tower-b not republished"
list=$(expect_status 200 GET /api/v1/blocks/tower-a/notices)
board=$(retained_board tower-a)
for id in "${acked[@]}"; do
	jq -e --arg id "$id" '.notices|map(.id)|index($id) != null' <<<"$list" >/dev/null || fail "acknowledged notice $id lost from the store"
	jq -e --arg id "$id" '.notices|map(.id)|index($id) != null' <<<"$board" >/dev/null || fail "acknowledged notice $id missing from the board"
done
log "${#acked[@]} acknowledged notices survived two kill -9"

log "the broker restarts without persistence of boards: the server republishes on reconnect"
v=$(jq .version <<<"$board")
stop_broker
rm -f "$WORK"/mosquitto.db
start_broker
wait_for 30 "board republished after broker restart" bash -c "mosquitto_sub -h 127.0.0.1 -p $MQTT_PORT -t siteboard/barton-hill/tower-a/board -C 1 -W 2 | grep -q '\"version\":$v'"

log "SIGTERM is a clean exit"
kill -TERM "$SERVER_PID"
rc=0
wait "$SERVER_PID" || rc=$?
[ $rc -eq 0 ] || fail "server exited $rc on SIGTERM"
echo "PASS: $TEST_NAME"
