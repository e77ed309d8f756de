#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The node ELF in QEMU, its UART connected to siteboard-sensord (serial =
# tcp:...), sensord to a real Mosquitto, and siteboard-server storing what
# arrives: HELLO seen; the node's LAeq of a 94 dB tone stored by the server
# within 0.2 dB; door stimulus -> door events -> an out_of_hours_access
# breach (the server has no permitted hours); sensord killed -9 for 20 s
# while the door moves -> its last will makes the server open sensor_offline
# for both of its sensors; restarted -> those close, and every door event
# and noise period is stored once, with its original time (now - age on the
# node), the ones stored before the kill unchanged.
. "$(dirname "$0")/lib.sh"
it_setup
ELF=$BIN/siteboard-node-test.elf
[ -f "$ELF" ] || fail "$ELF not built (is arm-none-eabi-gcc installed? ./siteboard deps)"
start_broker
server_config
# No permitted hours (so now is out of hours whenever the test runs); no
# silence timer: only the last will makes a sensor offline here.
cat >>"$WORK/server.ini" <<CONF
[hours]
weekly = none
[sensors]
heartbeat_s = 0
CONF
start_server
expect_status 201 POST /api/v1/blocks '{"id":"tower-a","name":"Tower A"}' >/dev/null
expect_status 201 POST /api/v1/sensors \
	'{"id":"gate-1","block":"tower-a","kind":"door","role":"site_access"}' >/dev/null
expect_status 201 POST /api/v1/sensors \
	'{"id":"gate-1-noise","block":"tower-a","kind":"noise","role":"noise"}' >/dev/null

LINK=$(free_port)
STIM=$(free_port)
qemu-system-arm -M mps2-an386 -display none -monitor none -kernel "$ELF" \
	-serial "tcp:127.0.0.1:$LINK,server,nowait" -serial "tcp:127.0.0.1:$STIM,server,nowait" \
	>>"$WORK/qemu.log" 2>&1 &
PIDS+=("$!")
wait_for 20 "QEMU's link UART" port_open "$LINK"
exec 4<>"/dev/tcp/127.0.0.1/$STIM"

cat >"$WORK/sensord.ini" <<CONF
[mqtt]
host = 127.0.0.1
port = $MQTT_PORT
[sensord]
site = barton-hill
block = tower-a
id = gw-1
queue = $WORK/sensord.db
log_level = debug
[door:gate-1]
input = serial
serial = tcp:127.0.0.1:$LINK
node = 1
[noise:gate-1-noise]
input = serial
serial = tcp:127.0.0.1:$LINK
node = 1
CONF
start_sensord() {
	"$BIN/siteboard-sensord" --config "$WORK/sensord.ini" >>"$WORK/sensord.log" 2>&1 &
	SENSORD_PID=$!
	PIDS+=("$SENSORD_PID")
}
mosquitto_sub -h 127.0.0.1 -p "$MQTT_PORT" -q 1 -v -t 'siteboard/barton-hill/tower-a/sensor/#' \
	>"$WORK/mqtt.log" 2>&1 &
PIDS+=("$!")
start_sensord

# events SENSOR: the server's stored events of SENSOR, one JSON array
events() {
	api GET "/api/v1/events?sensor=$1&limit=1000"
	[ "$STATUS" = 200 ] || return 1
	jq -c '.events' "$WORK/body"
}
# breaches QUERY: the server's breaches as [{rule, sensor, state, ended_at}]
breaches() {
	api GET "/api/v1/breaches?limit=1000&$1"
	[ "$STATUS" = 200 ] || return 1
	jq -c '[.breaches[] | {rule, sensor, state, ended_at}]' "$WORK/body"
}
tone_stored() {
	events gate-1-noise | jq -e 'map(select(.laeq != null and (.laeq - 94 | fabs) < 0.2)) | length > 0'
}
door_count() { [ "$(events gate-1 | jq length)" -ge "$1" ]; }
offline_breaches() { [ "$(breaches "rule=sensor_offline&$1" | jq length)" -eq "$2" ]; }

log "HELLO"
wait_for 20 "HELLO in sensord's log" grep -q 'node 1: HELLO firmware 0.1.0' "$WORK/sensord.log"

log "94.00 dB tone -> the node's LAeq stored by the server within 0.2 dB"
# (sent again every 6 s: a STIMULUS frame is idempotent, and one was seen lost
# once when it went out right after the node's boot)
for try in 1 2 3 4 5 6 7; do
	"$BIN/sblink-frame" tone 9400 >&4
	tone_stored >/dev/null 2>&1 && break
	[ "$try" -lt 7 ] || fail "no noise period at the tone's level on the server: $(events gate-1-noise)"
	sleep 6
done
laeq=$(events gate-1-noise | jq -r 'map(select(.laeq != null and (.laeq - 94 | fabs) < 0.2)) | .[-1].laeq')
log "server stored LAeq $laeq for a 94.00 dB tone (error $(jq -n "$laeq - 94 | fabs * 1000 | round / 1000") dB)"

door() {
	"$BIN/sblink-frame" door "$1" >&4
	date -u +%s%3N >>"$WORK/door-times.txt"
	sleep 0.3
}
log "door open/closed while sensord runs -> out_of_hours_access"
door open
door closed
wait_for 15 "two door events on the server" door_count 2
wait_for 10 "an out_of_hours_access breach for gate-1" bash -c \
	"[ \"\$(curl -s -H 'Authorization: Bearer $TOKEN' '$API/api/v1/breaches?rule=out_of_hours_access' | jq '[.breaches[] | select(.sensor == \"gate-1\")] | length')\" -ge 1 ]"
before=$(events gate-1)

log "sensord killed -9 for 20 s while the door moves: its will -> sensor_offline for both sensors"
kill -9 "$SENSORD_PID"
wait "$SENSORD_PID" 2>/dev/null || true
wait_for 10 "two open sensor_offline breaches" offline_breaches "state=open" 2
[ "$(breaches "rule=sensor_offline&state=open" | jq -c 'map(.sensor) | sort')" = '["gate-1","gate-1-noise"]' ] ||
	fail "sensor_offline breaches: $(breaches rule=sensor_offline)"
for _ in 1 2 3; do
	door open
	sleep 3
	door closed
	sleep 3
done
sleep 2
restart_ms=$(date -u +%s%3N)
start_sensord
wait_for 30 "eight door events on the server" door_count 8
wait_for 15 "the sensor_offline breaches closed" offline_breaches "state=open" 0
sleep 6 # let the backlog of noise periods drain
doors=$(events gate-1)
[ "$(jq length <<<"$doors")" -eq 8 ] || fail "expected 8 door events, got: $doors"
[ "$(jq 'map(.seq) | unique | length' <<<"$doors")" -eq 8 ] || fail "a door event stored twice: $doors"
[ "$(jq -c '.[0:2] | map({seq, ts, state})' <<<"$doors")" = "$(jq -c '.[0:2] | map({seq, ts, state})' <<<"$before")" ] ||
	fail "events stored before the kill changed: before $before, after $doors"
# The node's clock is QEMU's SysTick interrupt count, which loses ticks when
# the host starves the emulator; measure its rate from the heartbeats
# (uptime against sensord's clock) and allow for it on the backlog's ages.
lag_ppm=$(grep 'debug: node 1: uptime' "$WORK/sensord.log" |
	sed -n 's/^\([^ ]*\) .*uptime \([0-9]*\) ms.*/\1 \2/p' | sed -n '1p;$p' |
	while read -r t u; do echo "$(date -u -d "$t" +%s%3N) $u"; done |
	awk 'NR == 1 { w0 = $1; u0 = $2 } NR == 2 { r = ($2 - u0) / ($1 - w0); l = 1 - r; if (l < 0) l = -l; printf "%d", l * 1e6 }')
log "node clock: ${lag_ppm:-0} ppm from sensord's"
# sensord takes the node's frames in order, so the server stores the events in
# the order they happened, the backlog after the outage included (a door's
# "closed" must never come before its "open")
doors=$(jq -c 'sort_by(.seq)' <<<"$doors")
jq -e 'map(.ts) == (map(.ts) | sort)' <<<"$doors" >/dev/null ||
	fail "door events stored out of time order: $(jq -c 'map([.seq, .ts, .state])' <<<"$doors")"
# each stored time is within 0.5 s of when the stimulus was sent
i=0
while read -r sent; do
	ts=$(jq -r ".[$i].ts" <<<"$doors")
	i=$((i + 1))
	ms=$(date -u -d "$ts" +%s%3N)
	d=$((ms > sent ? ms - sent : sent - ms))
	tol=500
	[ "$sent" -lt "$restart_ms" ] && [ "$i" -gt 2 ] && tol=$((500 + (restart_ms + 2000 - sent) * ${lag_ppm:-0} / 1000000))
	log "door event $i: $ts, $d ms from the stimulus (allowed $tol)"
	[ "$d" -le "$tol" ] || fail "door event $i stamped $ts, $d ms from when it happened"
done <"$WORK/door-times.txt"
[ "$(jq -r 'map(.state) | join(",")' <<<"$doors")" = "open,closed,open,closed,open,closed,open,closed" ] ||
	fail "door states out of order: $doors"
# noise: one period every 5 node seconds (longer when QEMU is starved) through
# the outage, each once, in order, none missing
noise=$(events gate-1-noise)
n=$(jq length <<<"$noise")
[ "$n" -ge 5 ] || fail "only $n noise periods stored"
[ "$(jq 'map(.seq) | unique | length' <<<"$noise")" -eq "$n" ] || fail "a noise period stored twice"
jq -e 'map(.ts) == (sort_by(.seq) | map(.ts))' <<<"$(jq -c 'sort_by(.ts)' <<<"$noise")" >/dev/null ||
	fail "noise periods stored out of time order: $(jq -c 'map([.seq, .ts])' <<<"$noise")"
jq -e '[sort_by(.ts)[].ts | sub("\\.[0-9]+Z$"; "Z") | fromdate] as $t
	| [range(1; $t | length) | $t[.] - $t[. - 1]] | all(. >= 4 and . <= 8)' <<<"$noise" >/dev/null ||
	fail "noise periods not 5 s apart: $(jq -c 'map(.ts)' <<<"$noise")"
api GET /api/v1/sensors/gate-1-noise
[ "$(jq .seq_gaps "$WORK/body")" = 0 ] || fail "noise seq gaps: $(cat "$WORK/body")"
api GET /api/v1/sensors/gate-1
[ "$(jq .seq_gaps "$WORK/body")" = 0 ] || fail "door seq gaps: $(cat "$WORK/body")"
log "8 door events and $n noise periods stored once each; sensor_offline opened and closed"
exec 4>&-
echo "PASS: $TEST_NAME"
