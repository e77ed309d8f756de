#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Broker lockdown: devices registered with "siteboard-server device add", the
# broker's passwd/acl written by "mqtt-acl", a real Mosquitto using them.
# Anonymous clients are refused; a kiosk cannot publish a board, read another
# block's board or write another kiosk's status; a sensor cannot publish as
# another sensor; a removed device is refused once the files are regenerated.
# An observer with the server's credentials sees what got through.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/acl_lib.sh"
it_setup

S=siteboard/barton-hill
acl_server_ini
device_add server server main
device_add k1 kiosk k1 --block tower-a
device_add k2 kiosk k2 --block tower-b
device_add s1 sensor s1 --block tower-a
device_add s2 sensor s2 --block tower-a
device_add gw sensord gw1 --block tower-a --sensors s3,s4
device_add z2m bridge z2m --prefix zigbee2mqtt
gen_acl
grep -q '^kiosk-k1:\$7\$101\$' "$WORK/acl/passwd" || fail "passwd is not in Mosquitto's \$7\$ format"
start_locked_broker

pub() { # USER PW TOPIC PAYLOAD [retain]
	mosquitto_pub -p "$MQTT_PORT" -u "$1" -P "$2" -q 1 -t "$3" -m "$4" ${5:+-r} 2>>"$WORK/clients.log"
}
sub1() { # USER PW TOPIC: the first message within 2 s, or nothing
	mosquitto_sub -p "$MQTT_PORT" -u "$1" -P "$2" -q 1 -t "$3" -C 1 -W 2 2>>"$WORK/clients.log" || true
}

log "anonymous is refused"
if mosquitto_pub -p "$MQTT_PORT" -t "$S/tower-a/board" -m x 2>>"$WORK/clients.log"; then
	fail "anonymous publish accepted"
fi
if mosquitto_pub -p "$MQTT_PORT" -u kiosk-k1 -P wrong -t x -m x 2>>"$WORK/clients.log"; then
	fail "wrong password accepted"
fi

log "the server publishes boards (its hash, written by us, is accepted)"
pub server-main "$(pw server)" "$S/tower-a/board" board-a retain || fail "server cannot publish"
pub server-main "$(pw server)" "$S/tower-b/board" board-b retain || fail "server cannot publish"
[ "$(sub1 kiosk-k1 "$(pw k1)" "$S/tower-a/board")" = board-a ] || fail "k1 cannot read its board"

log "a kiosk cannot read another block's board"
[ -z "$(sub1 kiosk-k1 "$(pw k1)" "$S/tower-b/board")" ] || fail "k1 read tower-b's board"
[ -z "$(sub1 kiosk-k1 "$(pw k1)" "$S/tower-b/#")" ] || fail "k1 read through a wildcard"

log "observer with the server's credentials"
mosquitto_sub -p "$MQTT_PORT" -u server-main -P "$(pw server)" -q 1 -v \
	-t "$S/#" -t 'zigbee2mqtt/#' >"$WORK/seen.txt" 2>>"$WORK/clients.log" &
PIDS+=($!)
sleep 0.5

log "a kiosk cannot publish a board"
pub kiosk-k1 "$(pw k1)" "$S/tower-a/board" forged retain || true
[ "$(sub1 kiosk-k1 "$(pw k1)" "$S/tower-a/board")" = board-a ] || fail "k1 replaced the board"

log "a kiosk writes its own status, not another kiosk's"
pub kiosk-k1 "$(pw k1)" "$S/tower-a/kiosk/k1/status" k1-own || fail "k1 cannot write its status"
pub kiosk-k1 "$(pw k1)" "$S/tower-b/kiosk/k2/status" k1-as-k2 || true
pub kiosk-k1 "$(pw k1)" "$S/alerts" k1-alert || true

log "a sensor publishes as itself, not as another"
pub sensor-s1 "$(pw s1)" "$S/tower-a/sensor/s1/door" s1-own || fail "s1 cannot publish"
pub sensor-s1 "$(pw s1)" "$S/tower-a/sensor/s2/door" s1-as-s2 || true
pub sensord-gw1 "$(pw gw)" "$S/tower-b/sensor/s3/door" gw-s3 || fail "gw1 cannot publish for s3"
pub sensord-gw1 "$(pw gw)" "$S/tower-a/sensor/s1/door" gw-as-s1 || true
pub bridge-z2m "$(pw z2m)" zigbee2mqtt/gate-1 z2m-gate || fail "bridge cannot publish"
pub bridge-z2m "$(pw z2m)" "$S/tower-a/sensor/door-z1/door" z2m-native || true
sleep 1

for want in k1-own s1-own gw-s3 z2m-gate; do
	grep -q " $want\$" "$WORK/seen.txt" || fail "allowed message '$want' not delivered"
done
for bad in forged k1-as-k2 k1-alert s1-as-s2 gw-as-s1 z2m-native; do
	if grep -q " $bad\$" "$WORK/seen.txt"; then
		fail "denied message '$bad' got through"
	fi
done

log "a removed device is refused after regenerating"
"$BIN/siteboard-server" --config "$WORK/server.ini" device remove k1 >>"$WORK/server.log" 2>&1 ||
	fail "device remove"
gen_acl
grep -q kiosk-k1 "$WORK/acl/passwd" && fail "k1 still in passwd"
kill -HUP "$MQTT_PID"
sleep 0.5
if mosquitto_pub -p "$MQTT_PORT" -u kiosk-k1 -P "$(pw k1)" -t "$S/tower-a/kiosk/k1/status" -m x \
	2>>"$WORK/clients.log"; then
	fail "removed kiosk still connects"
fi
[ "$(sub1 kiosk-k2 "$(pw k2)" "$S/tower-b/board")" = board-b ] || fail "k2 lost access"
echo "ok"
