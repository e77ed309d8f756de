#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The kiosk keeps the last good board: with the broker gone it shows the cached
# board and its "Updated" time; a malformed board never replaces a good one.
. "$(dirname "$0")/lib.sh"
it_setup
start_broker
server_config
start_server
expect_status 201 POST /api/v1/blocks '{"id":"tower-b","name":"Tower B"}' >/dev/null
expect_status 201 POST /api/v1/blocks/tower-b/contacts '{"role":"Out of hours emergency","phone":"0117 496 0999","hours":"24 hours"}' >/dev/null
expect_status 201 POST /api/v1/blocks/tower-b/notices '{"title":"Lift out of service","priority":"urgent"}' >/dev/null
ini=$(kiosk_config tower-b "$WORK/cache.db")
screenshot "$ini" "$WORK/live.png" 1080 1920 || fail "first screenshot failed"
expect_ocr "$WORK/live.png" "Lift out of service"

log "a malformed retained board is refused with a reason; the good one stays"
for bad in 'not json at all' '{"schema":"siteboard.board/2","version":99}' \
	'{"schema":"siteboard.board/1","version":99,"generated_at":"2026-11-25T10:32:00Z","site":{"id":"barton-hill","name":"S"},"block":{"id":"tower-b","name":"Hacked"},"complaint_url":"u","notices":[{"id":"x","title":"Bogus notice","priority":"shouting"}]}'; do
	mosquitto_pub -h 127.0.0.1 -p "$MQTT_PORT" -t siteboard/barton-hill/tower-b/board -r -q 1 -m "$bad"
	: >"$WORK/kiosk.log"
	screenshot "$ini" "$WORK/bad.png" 1080 1920 || fail "kiosk gave up after a malformed board"
	grep -qiE 'reject|invalid|ignor' "$WORK/kiosk.log" || fail "kiosk did not log why it refused '$bad'"
	expect_ocr "$WORK/bad.png" "Lift out of service"
	! ocr "$WORK/bad.png" | grep -qi "bogus" || fail "malformed board's notice was drawn"
done

log "a clock that is clearly unset is said so, not trusted"
screenshot "$ini" "$WORK/noclock.png" 1080 1920 --now 2020-01-01T00:00:00Z || fail "screenshot with an unset clock failed"
expect_ocr "$WORK/noclock.png" "Clock not set" "Lift out of service"

log "a running kiosk that loses the broker says its board may be out of date"
printf 'stale_after = 10\n' >>"$ini"
SDL_VIDEODRIVER=offscreen "$BIN/siteboard-kiosk" --config "$ini" --width 1080 --height 1920 \
	--watch-screenshot "$WORK/watch.png" >>"$WORK/kiosk.log" 2>&1 &
PIDS+=($!)
wait_for 20 "the running kiosk's first frame" test -s "$WORK/watch.png"
expect_ocr "$WORK/watch.png" "Lift out of service"
! ocr "$WORK/watch.png" | grep -q "may be out of date" || fail "stale warning while connected"
stop_broker
sleep 12
expect_ocr "$WORK/watch.png" "may be out of date" "Lift out of service"

log "broker stopped: a restarted kiosk still shows the cached board and when it was updated"
screenshot "$ini" "$WORK/offline.png" 1080 1920 || fail "kiosk could not show the cached board offline"
expect_ocr "$WORK/offline.png" "Lift out of service" "Updated" "0117 496 0999"

log "no broker and no cache: one clear line and a non-zero exit"
ini2=$(kiosk_config tower-c "$WORK/empty-cache.db")
start=$SECONDS
if SDL_VIDEODRIVER=offscreen "$BIN/siteboard-kiosk" --config "$ini2" --screenshot "$WORK/none.png" \
	2>"$WORK/none.err"; then
	fail "kiosk exited 0 with no board"
fi
grep -q "no board received" "$WORK/none.err" || fail "no clear line: $(cat "$WORK/none.err")"
[ ! -e "$WORK/none.png" ] || fail "a PNG was written with no board"
log "gave up after $((SECONDS - start)) s"
echo "PASS: $TEST_NAME"
