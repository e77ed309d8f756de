#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# kill -9 of sensord in the middle of a stream: after a restart every event
# that reached the queue (its seq counter says how many) is delivered.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/sensord_lib.sh"
it_setup
start_broker
sensord_config
start_sub 'siteboard/barton-hill/+/sensor/gate-1/door' "$WORK/sub.txt"
for i in $(seq 1 400); do
	[ $((i % 2)) -eq 1 ] && st=open || st=closed
	printf '{"sensor":"gate-1","state":"%s"}\n{"sleep_ms":5}\n' "$st"
done >"$WORK/stream.jsonl"
start_sensord "$WORK/stream.jsonl"
wait_for 20 "some events queued" grep -q 'seq 100$' "$WORK/sensord.log"
kill -9 "$SENSORD_PID"
wait "$SENSORD_PID" 2>/dev/null || true
enqueued=$(sqlite3 "$WORK/sensord-queue.db" "SELECT next - 1 FROM seqs WHERE sensor = 'gate-1'")
left=$(sqlite3 "$WORK/sensord-queue.db" "SELECT count(*) FROM outbox")
log "killed with $enqueued events enqueued, $left not yet acknowledged"
[ "$enqueued" -ge 100 ] || fail "only $enqueued enqueued"
start_sensord /dev/null
wait_for 30 "$enqueued distinct events" bash -c "[ \$(sed -n 's/.*\"seq\":\([0-9]*\).*/\1/p' '$WORK/sub.txt' | sort -un | wc -l) -ge $enqueued ]"
expect_in_order "$WORK/sub.txt" "$enqueued"
wait_for 10 "an empty queue" bash -c "[ \$(sqlite3 '$WORK/sensord-queue.db' 'SELECT count(*) FROM outbox') = 0 ]"
stop_sensord
log "nothing enqueued was lost"
