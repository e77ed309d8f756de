#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `./siteboard demo` as a newcomer uses it with no display: the sample board is
# drawn headless, and a notice posted with the printed siteboardctl line shows up.
. "$(dirname "$0")/lib.sh"
it_setup
unset DISPLAY WAYLAND_DISPLAY
# Yesterday's simulated day: every door event and noise period is already in the past.
SITEBOARD_DEMO_DAY=$(TZ=Europe/London date -d yesterday +%F) \
SITEBOARD_DEMO_SECONDS=120 SITEBOARD_DEMO_DIR="$WORK/demo" \
	"$SRC/packaging/demo/run" "$(dirname "$BIN")" >"$WORK/demo.log" 2>&1 &
PIDS+=($!)
wait_for 60 "the demo's instructions" grep -q "Stop the demo with Ctrl-C" "$WORK/demo.log"
grep -q "siteboardctl notices add --block tower-a" "$WORK/demo.log" || fail "demo printed no siteboardctl line"
[ -s "$WORK/demo/kiosk.png" ] || fail "no headless screenshot"
expect_ocr "$WORK/demo/kiosk.png" "Tower A" "Scaffold erection" "0117 496 0999"
[ "$(qr "$WORK/demo/kiosk.png")" = "$(. "$WORK/demo/env"; echo "$SITEBOARD_SERVER")/c/tower-a" ] || fail "demo QR is not the complaint URL"

log "run the printed command"
cmd=$(grep -m1 "siteboardctl notices add --block tower-a" "$WORK/demo.log")
before=$(stat -c %y "$WORK/demo/kiosk.png")
(. "$WORK/demo/env" && eval "$cmd") >/dev/null || fail "the printed command failed: $cmd"
wait_for 10 "the kiosk to redraw" bash -c "[ \"\$(stat -c %y '$WORK/demo/kiosk.png')\" != '$before' ]"
sleep 0.3
expect_ocr "$WORK/demo/kiosk.png" "Lift out of service"
log "the printed staff account signs in"
pw=$(sed -n 's/.*user: manager   password: \([0-9a-f]*\).*/\1/p' "$WORK/demo.log")
[ -n "$pw" ] || fail "the demo printed no staff password"
. "$(dirname "$0")/web_lib.sh"
API=$(. "$WORK/demo/env" && echo "$SITEBOARD_SERVER")
page "$WORK/jar" /c/tower-a
expect_page 200
grep -q "Tower A, Barton Hill, Bristol BS5\. Works by Acme Build Ltd" "$WORK/page" ||
	fail "the complaint form does not name the block's address once"
login "$WORK/jar" manager "$pw"
page "$WORK/jar" /staff/breaches
expect_page 200

log "the simulated day's sensors cause breaches, as the demo says"
breaches() { (. "$WORK/demo/env" && curl -sS -H "Authorization: Bearer $SITEBOARD_TOKEN" "$SITEBOARD_SERVER/api/v1/breaches"); }
wait_for 60 "an out_of_hours_access breach from the gate opened at 07:40" \
	bash -c "$(declare -f breaches); WORK=$WORK; breaches | jq -e '.breaches|map(.rule)|index(\"out_of_hours_access\") != null'"
wait_for 60 "an out_of_hours_noise breach from the early noise" \
	bash -c "$(declare -f breaches); WORK=$WORK; breaches | jq -e '.breaches|map(.rule)|index(\"out_of_hours_noise\") != null'"
echo "PASS: $TEST_NAME"
