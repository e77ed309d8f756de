#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# siteboardctl for operations against the real server and broker: registers a
# sensor, a door event published with mosquitto_pub out of hours opens a
# breach, which siteboardctl lists (filters as a query, a time with "+" in
# it), acknowledges with a note and shows acknowledged; the sensor's events;
# hours exceptions added and removed; a complaint listed and answered.
. "$(dirname "$0")/lib.sh"
it_setup
start_broker
server_config
# nothing here sends heartbeats: no sensor_offline breaches
cat >>"$WORK/server.ini" <<CONF
[sensors]
heartbeat_s = 0
CONF
start_server
wait_for 20 "server subscribed" grep -q "connected to" "$WORK/server.log"
ctl() { "$BIN/siteboardctl" "$@"; }

log "sensors"
ctl blocks add --id tower-a --name "Tower A" >/dev/null
ctl sensors add --id gate-1 --block tower-a --kind door --role site_access \
	--location "Main gate" >"$WORK/out" || fail "sensors add: $(cat "$WORK/out")"
grep -q "^role: site_access" "$WORK/out" || fail "sensors add output: $(cat "$WORK/out")"
ctl sensors list --block tower-a | grep -q "gate-1 .*site_access" || fail "sensors list --block"
ctl sensors update gate-1 --location "Main gate, Lawrence Hill side" >/dev/null
ctl sensors show gate-1 | grep -q "^location: Main gate, Lawrence Hill side" || fail "sensors update"
rc=0
ctl sensors add --id x --block tower-a --kind window --role noise 2>"$WORK/err" || rc=$?
[ $rc = 2 ] && grep -q -- "--kind" "$WORK/err" || fail "bad --kind: rc $rc: $(cat "$WORK/err")"

log "a door opened at 03:00 on a Saturday"
sat=$(date -u -d "last saturday" +%Y-%m-%d)
mosquitto_pub -h 127.0.0.1 -p "$MQTT_PORT" -q 1 -t "siteboard/barton-hill/tower-a/sensor/gate-1/door" \
	-m "{\"seq\":1,\"ts\":\"${sat}T03:00:00Z\",\"state\":\"open\"}"
open_breach() {
	ctl -q breaches list --state open --rule out_of_hours_access --block tower-a --sensor gate-1 \
		--from "${sat}T03:30:00+00:00" --to "${sat}T05:00:00+01:00" | grep -q .
}
wait_for 20 "the out_of_hours_access breach" open_breach
bid=$(ctl -q breaches list --state open --rule out_of_hours_access --sensor gate-1)
[ "$(wc -l <<<"$bid")" = 1 ] || fail "expected one open breach, got: $bid"
ctl breaches list --rule out_of_hours_access | grep -q "^$bid .*open .*out_of_hours_access .*tower-a .*gate-1 .*${sat}T03:00:00" ||
	fail "breaches list table: $(ctl breaches list)"
# the filters reach the server: none before the door opened
[ -z "$(ctl -q breaches list --sensor gate-1 --to "${sat}T02:00:00Z")" ] || fail "--to ignored"

log "acknowledge it"
ctl breaches ack "$bid" --note "Gate checked: contractor's night delivery" >"$WORK/out" ||
	fail "ack: $(cat "$WORK/out")"
grep -q "^state: acknowledged" "$WORK/out" || fail "ack output: $(cat "$WORK/out")"
ctl --json breaches show "$bid" | jq -e '.state == "acknowledged" and
	any(.audit[]; .state == "acknowledged" and .note == "Gate checked: contractor'"'"'s night delivery")' >/dev/null ||
	fail "breach not acknowledged with the note: $(ctl --json breaches show "$bid")"
ctl -q breaches list --state acknowledged | grep -qx "$bid" || fail "not listed as acknowledged"
[ -z "$(ctl -q breaches list --state open --rule out_of_hours_access)" ] || fail "still listed open"
rc=0
ctl breaches ack "$bid" 2>"$WORK/err" || rc=$?
[ $rc = 2 ] && grep -q "needs --note" "$WORK/err" || fail "ack without --note: rc $rc"

log "the sensor's events"
ctl sensor-events list --sensor gate-1 | grep -q "gate-1 .*1 .*${sat}T03:00:00.*door .*open" ||
	fail "sensor-events list: $(ctl sensor-events list --sensor gate-1)"
[ "$(ctl -q sensor-events list --sensor gate-1)" = 1 ] || fail "sensor-events -q"
ctl --json sensor-events list --sensor gate-1 --limit 1 --offset 0 |
	jq -e '.total == 1 and .events[0].state == "open"' >/dev/null || fail "sensor-events --json"

log "hours exceptions"
xid=$(ctl -q hours-exceptions add --date 2030-12-05 --from 08:00 --to 13:00 \
	--reason "Crane delivery" --agreed_by "Resident panel, 1 Dec meeting")
cid=$(ctl -q hours-exceptions add --date 2030-12-06 --closed yes --reason "Community fun day" \
	--agreed_by "Resident panel")
ctl hours-exceptions list | grep -q "^$xid .*2030-12-05 .*no .*08:00 .*13:00" || fail "exceptions list"
ctl hours-exceptions show "$cid" | grep -q "^closed: yes" || fail "closed exception"
[ "$(ctl -q hours-exceptions list --from 2030-12-06 --to 2030-12-31)" = "$cid" ] ||
	fail "exceptions --from/--to"
rc=0
ctl hours-exceptions add --date 2030-12-05 --from 09:00 --to 10:00 --reason r --agreed_by a \
	2>"$WORK/err" || rc=$?
[ $rc = 1 ] && grep -q 409 "$WORK/err" || fail "second exception for a date: rc $rc"
ctl hours-exceptions remove "$xid" | grep -q "removed hours exception $xid" || fail "remove"
ctl hours-exceptions remove "$cid" >/dev/null
[ -z "$(ctl -q hours-exceptions list)" ] || fail "exceptions not removed"

log "complaints"
api POST /api/v1/complaints '{"block":"tower-a","category":"noise","description":"Drilling at 7am"}'
[ "$STATUS" = 201 ] || fail "complaint create: $STATUS $(cat "$WORK/body")"
kid=$(jq -r .id "$WORK/body")
ctl complaints list --status open --block tower-a | grep -q "^$kid .*open .*tower-a .*noise" ||
	fail "complaints list: $(ctl complaints list)"
ctl complaints respond "$kid" --text "Sorry: the crew now starts at 8" --channel phone >"$WORK/out" ||
	fail "respond: $(cat "$WORK/out")"
ctl --json complaints show "$kid" | jq -e '.responses[0].text == "Sorry: the crew now starts at 8"
	and .responses[0].channel == "phone"' >/dev/null || fail "response not recorded"
ctl complaints update "$kid" --status closed | grep -q "^status: closed" || fail "close complaint"
[ -z "$(ctl -q complaints list --status open)" ] || fail "complaint still open"

log "sensors remove"
ctl sensors remove gate-1 | grep -q "removed sensor gate-1" || fail "sensors remove"
echo "PASS: $TEST_NAME"
