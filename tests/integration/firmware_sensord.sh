#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The node ELF in QEMU, its UART connected to siteboard-sensord (serial =
# tcp:...), sensord to a real Mosquitto: HELLO seen, the node's LAeq of a
# 94 dB tone published within 0.2 dB, door stimulus -> door events, and
# sensord killed for 20 s while the door moves, then restarted: every door
# event arrives once, with its original time (now - age on the node).
# Needs sensord's `input = serial` (docs/firmware.md, "sensord side").
. "$(dirname "$0")/lib.sh"
it_setup
ELF=$BIN/siteboard-node-test.elf
[ -f "$ELF" ] || fail "$ELF not built (is arm-none-eabi-gcc installed? ./siteboard deps)"
start_broker

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

log "HELLO"
wait_for 20 "HELLO in sensord's log" grep -q 'node 1: HELLO firmware 0.1.0' "$WORK/sensord.log"

log "94.00 dB tone -> noise published within 0.2 dB"
"$BIN/sblink-frame" tone 9400 >&4
wait_for 40 "a noise period at the tone's level" bash -c \
	"grep '/gate-1-noise/noise ' '$WORK/mqtt.log' | sed 's/^[^ ]* //' | jq -e 'select(.laeq != null and (.laeq - 94) * (.laeq - 94) < 0.04)' >/dev/null"
laeq=$(grep '/gate-1-noise/noise ' "$WORK/mqtt.log" | sed 's/^[^ ]* //' | jq -r 'select(.laeq != null) | .laeq' | tail -1)
log "published LAeq $laeq for a 94.00 dB tone"

door() {
	"$BIN/sblink-frame" door "$1" >&4
	date -u +%s%3N >>"$WORK/door-times.txt"
	sleep 0.3
}
log "door open/closed while sensord runs"
door open
door closed
wait_for 10 "two door events" bash -c "[ \$(grep -c '/gate-1/door ' '$WORK/mqtt.log') -ge 2 ]"

log "sensord killed for 20 s while the door moves; then restarted"
kill -9 "$SENSORD_PID"
wait "$SENSORD_PID" 2>/dev/null || true
for _ in 1 2 3; do
	door open
	sleep 3
	door closed
	sleep 3
done
sleep 2
start_sensord
wait_for 30 "eight door events" bash -c "[ \$(grep -c '/gate-1/door ' '$WORK/mqtt.log') -ge 8 ]"
sleep 3
doors=$(grep '/gate-1/door ' "$WORK/mqtt.log" | sed 's/^[^ ]* //')
[ "$(jq -s 'length' <<<"$doors")" -eq 8 ] || fail "expected 8 door events, got: $doors"
[ "$(jq -s 'map(.seq) | unique | length' <<<"$doors")" -eq 8 ] || fail "a door event came twice: $doors"
# each published time is within 0.5 s of when the stimulus was sent
i=0
while read -r sent; do
	i=$((i + 1))
	ts=$(jq -rs ".[$((i - 1))].ts" <<<"$doors")
	ms=$(date -u -d "$ts" +%s%3N)
	d=$((ms > sent ? ms - sent : sent - ms))
	[ "$d" -le 500 ] || fail "door event $i stamped $ts, $d ms from when it happened"
done <"$WORK/door-times.txt"
exec 4>&-
echo "PASS: $TEST_NAME"
