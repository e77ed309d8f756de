#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Browser tests of the web pages in Debian's headless Chromium: starts a
# private Mosquitto and the server (the integration tests' lib.sh), makes a
# block, a manager and a caretaker, renders the kiosk's board to read the
# complaint URL from its QR code, registers a door and a noise sensor (the
# test publishes their events with mosquitto_pub), runs web.test.js (playwright-core + axe-core
# from SITEBOARD_NODE_DIR/node_modules), then checks with OCR that the notice
# the caretaker posted in the browser is on the kiosk's screen.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../integration/lib.sh"
NODE_DIR=${SITEBOARD_NODE_DIR:?set SITEBOARD_NODE_DIR to the folder holding node_modules}
[ -x /usr/bin/chromium ] || fail "/usr/bin/chromium is missing (Debian package chromium)"
[ -d "$NODE_DIR/node_modules/playwright-core" ] || fail "run npm_ci.sh $NODE_DIR first"
it_setup
start_broker
HTTP_PORT=$(free_port)
server_config
# the QR code must lead to this server
sed -i "s|^public_url = .*|public_url = http://127.0.0.1:$HTTP_PORT|" "$WORK/server.ini"
# no regular hours, so a door opened now is out of hours whenever the test runs;
# the manager adds today's exception in the browser (the day view's shading)
cat >>"$WORK/server.ini" <<CONF
[hours]
weekly = none
[sensors]
heartbeat_s = 0
CONF
start_server
expect_status 201 POST /api/v1/blocks '{"id":"tower-a","name":"Tower A","address":"Tower A, Barton Hill, Bristol"}' >/dev/null
expect_status 201 POST /api/v1/blocks/tower-a/contacts '{"role":"Out of hours emergency","phone":"0117 496 0999","hours":"24 hours"}' >/dev/null
expect_status 201 POST /api/v1/sensors '{"id":"gate","block":"tower-a","kind":"door","role":"site_access","location":"Main gate"}' >/dev/null
expect_status 201 POST /api/v1/sensors '{"id":"mic","block":"tower-a","kind":"noise","role":"noise","location":"Scaffold, level 3"}' >/dev/null
printf 'manager password 1\n' | "$BIN/siteboard-server" --config "$WORK/server.ini" user add anna --role manager
printf 'caretaker password 1\n' | "$BIN/siteboard-server" --config "$WORK/server.ini" user add bob --role caretaker --blocks tower-a

log "the kiosk's QR code gives the tenants' URL"
ini=$(kiosk_config tower-a "$WORK/kiosk-cache.db")
screenshot "$ini" "$WORK/before.png" 1080 1920 || fail "kiosk screenshot failed"
url=$(qr "$WORK/before.png")
[ "$url" = "$API/c/tower-a" ] || fail "QR decoded to '$url'"

SHOTS=${SITEBOARD_SHOTS:-$WORK/shots}
mkdir -p "$SHOTS"
log "headless Chromium: tenant, manager, caretaker, manager's site pages"
NODE_PATH="$NODE_DIR/node_modules" BASE="$API" MQTT_PORT="$MQTT_PORT" QR_URL="$url" SHOTS="$SHOTS" PROFILE="$WORK/chromium" \
	node "$here/web.test.js" >"$WORK/node.log" 2>&1 || { cat "$WORK/node.log" >&2; fail "web.test.js failed"; }
cat "$WORK/node.log" >&2

log "the notice posted in the browser is on the kiosk's screen"
screenshot "$ini" "$WORK/after.png" 1080 1920 || fail "kiosk screenshot failed"
expect_ocr "$WORK/after.png" "Water off Thursday"
cp "$WORK/after.png" "$SHOTS/kiosk-after.png"
echo "PASS: $TEST_NAME"
