#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# TLS: a CA and a server certificate made here with openssl, a Mosquitto TLS
# listener with the generated passwd/acl, the server's credentials publish a
# board over TLS, and the real kiosk (cafile, its own credentials) receives it
# and renders it; the QR code must decode to the complaint URL. A client that
# does not trust the CA is refused.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/acl_lib.sh"
it_setup

acl_server_ini
device_add server server main
device_add k1 kiosk lobby-1 --block tower-a
gen_acl

log "certificates"
T=$WORK/tls
mkdir -p "$T"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=siteboard test CA" \
	-keyout "$T/ca.key" -out "$T/ca.crt" >>"$WORK/openssl.log" 2>&1 || fail "CA"
openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout "$T/server.key" \
	-out "$T/server.csr" >>"$WORK/openssl.log" 2>&1 || fail "server key"
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' >"$T/san.ext"
openssl x509 -req -in "$T/server.csr" -CA "$T/ca.crt" -CAkey "$T/ca.key" -CAcreateserial \
	-days 2 -extfile "$T/san.ext" -out "$T/server.crt" >>"$WORK/openssl.log" 2>&1 || fail "sign"
# the key is read by the broker, which runs as this user here
chmod 600 "$T/server.key"

start_locked_broker "cafile $T/ca.crt
certfile $T/server.crt
keyfile $T/server.key
tls_version tlsv1.2"

log "publish the board over TLS with the server's credentials"
mosquitto_pub -p "$MQTT_PORT" --cafile "$T/ca.crt" -u server-main -P "$(pw server)" -q 1 -r \
	-t siteboard/barton-hill/tower-a/board -f "$SRC/tests/fixtures/board-tower-a.json" \
	2>>"$WORK/clients.log" || fail "server credentials cannot publish over TLS"

log "a client without the CA is refused"
if mosquitto_pub -p "$MQTT_PORT" --capath /nonexistent-ca-dir -u server-main -P "$(pw server)" \
	-t x -m x 2>>"$WORK/clients.log"; then
	fail "a client that does not trust the CA got through"
fi

log "the kiosk gets its board over TLS"
cat >"$WORK/kiosk.ini" <<INI
[mqtt]
host = localhost
port = $MQTT_PORT
username = kiosk-lobby-1
password = $(pw k1)
cafile = $T/ca.crt
[kiosk]
id = lobby-1
site = barton-hill
block = tower-a
cache = $WORK/kiosk-cache.sqlite
INI
SDL_VIDEODRIVER=offscreen timeout 60 "$BIN/siteboard-kiosk" --config "$WORK/kiosk.ini" \
	--now 2026-11-25T14:05:00Z --width 1080 --height 1920 --screenshot "$WORK/board.png" \
	2>"$WORK/kiosk.log" || fail "kiosk --screenshot over TLS failed"
grep -q "received" "$WORK/kiosk.log" || fail "the board did not come from the broker"
got=$(zbarimg -q --raw "$WORK/board.png" 2>/dev/null || true)
[ "$got" = "https://example.org/c/tower-a" ] || fail "QR decodes to '$got'"
echo "ok"
