#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Scripted door events through sensord and a real broker: the DESIGN.md
# payload, seq 1..N, and seq continuing across a restart; statuses online and
# offline; the server stores them when its ingest is there.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/sensord_lib.sh"
it_setup
start_broker
sensord_config
start_sub 'siteboard/barton-hill/+/sensor/#' "$WORK/sub.txt"

cat >"$WORK/day1.jsonl" <<'EV'
# morning
{"sensor":"gate-1","state":"open","ts":"2026-11-25T07:40:00Z"}
{"sensor":"gate-1","state":"closed","ts":"2026-11-25T07:41:30.250Z"}
not json at all
{"sleep_ms":50}
{"sensor":"gate-1","state":"open","ts":"2026-11-25T08:05:00Z"}
{"sensor":"gate-1","state":"closed"}
EV
start_sensord "$WORK/day1.jsonl"
door() { grep '/sensor/gate-1/door ' "$WORK/sub.txt" || true; }
wait_for 15 "4 door messages" bash -c "[ \$(grep -c '/gate-1/door ' '$WORK/sub.txt') -ge 4 ]"
line1=$(door | head -1)
[ "$line1" = 'siteboard/barton-hill/tower-a/sensor/gate-1/door {"seq":1,"ts":"2026-11-25T07:40:00Z","state":"open"}' ] ||
	fail "first door message: $line1"
door | sed -n 2p | grep -qF '{"seq":2,"ts":"2026-11-25T07:41:30.250Z","state":"closed"}' || fail "second: $(door | sed -n 2p)"
grep -q 'line 4 skipped: not JSON' "$WORK/sensord.log" || fail "bad line not logged"
grep -qF 'siteboard/barton-hill/tower-a/sensor/gate-1/status {"state":"online","fw":"' "$WORK/sub.txt" || fail "no online status"
grep -qF 'siteboard/barton-hill/tower-a/sensor/gw-test/status {"state":"online"' "$WORK/sub.txt" || fail "no gateway status"
stop_sensord
grep -qF 'gate-1/status {"state":"offline","gateway":"gw-test"}' "$WORK/sub.txt" || fail "no offline status at shutdown"

# restart: seq continues at 5
cat >"$WORK/day2.jsonl" <<'EV'
{"sensor":"gate-1","state":"open","ts":"2026-11-26T07:50:00Z"}
{"sensor":"gate-1","state":"closed","ts":"2026-11-26T17:30:00Z"}
EV
start_sensord "$WORK/day2.jsonl"
wait_for 15 "6 door messages" bash -c "[ \$(grep -c '/gate-1/door ' '$WORK/sub.txt') -ge 6 ]"
door >"$WORK/door.txt"
expect_in_order "$WORK/door.txt" 6
stop_sensord
log "seq 1..6 across a restart"
