#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The notice path end to end: API → server → retained board on a real
# Mosquitto → kiosk screenshot, read back by zbarimg (QR) and tesseract (OCR).
. "$(dirname "$0")/lib.sh"
it_setup
start_broker
server_config
start_server

expect_status 201 POST /api/v1/blocks '{"id":"tower-a","name":"Tower A","address":"Tower A, Barton Hill, Bristol"}' >/dev/null
expect_status 201 POST /api/v1/blocks/tower-a/contacts '{"role":"Resident liaison officer","name":"Sam Patel","phone":"0117 496 0000","hours":"Mon-Fri 8-5"}' >/dev/null
expect_status 201 POST /api/v1/blocks/tower-a/contacts '{"role":"Out of hours emergency","phone":"0117 496 0999","hours":"24 hours"}' >/dev/null
monday=$(date -u -d "monday" +%F)
expect_status 201 POST /api/v1/blocks/tower-a/works "{\"from\":\"$(date -u +%F)\",\"to\":\"$monday\",\"what\":\"Scaffold erection\",\"where\":\"East side\",\"noisy\":true}" >/dev/null
notice=$(expect_status 201 POST /api/v1/blocks/tower-a/notices '{"title":"Water off Thursday","body":"Taps off from 9 until 12","priority":"urgent"}')
nid=$(jq -r .id <<<"$notice")
[ -n "$nid" ] && [ "$nid" != null ] || fail "notice has no id: $notice"

log "the retained board carries the notice"
board=$(retained_board tower-a)
jq -e --arg id "$nid" '.schema=="siteboard.board/1" and (.notices|map(.id)|index($id)) != null' <<<"$board" >/dev/null ||
	fail "retained board lacks notice $nid: $board"
[ "$(jq -r .complaint_url <<<"$board")" = "https://homes.example.org/c/tower-a" ] || fail "complaint_url wrong: $board"
v1=$(jq .version <<<"$board")
[ "$v1" -ge 4 ] || fail "version $v1 did not rise with each change"
api_board=$(expect_status 200 GET /api/v1/blocks/tower-a/board)
[ "$(jq .version <<<"$api_board")" = "$v1" ] || fail "API board version differs from the retained one"

log "the kiosk draws it; machines that are not ours read it back"
ini=$(kiosk_config tower-a "$WORK/kiosk-cache.db")
for size in "1080 1920" "1920 1080" "800 480"; do
	set -- $size
	png="$WORK/board-$1x$2.png"
	screenshot "$ini" "$png" "$1" "$2" || fail "kiosk --screenshot failed at $1x$2"
	got=$(qr "$png")
	[ "$got" = "https://homes.example.org/c/tower-a" ] || fail "QR at $1x$2 decoded to '$got'"
	expect_ocr "$png" "Water off Thursday" "0117 496 0999"
done

log "a change reaches the board with version +1"
expect_status 200 PUT "/api/v1/notices/$nid" '{"title":"Water off Friday"}' >/dev/null
board=$(retained_board tower-a)
[ "$(jq .version <<<"$board")" = $((v1 + 1)) ] || fail "version after PUT is not $((v1 + 1))"
jq -e '.notices[0].title=="Water off Friday" and .notices[0].body=="Taps off from 9 until 12"' <<<"$board" >/dev/null ||
	fail "PUT did not merge: $board"
screenshot "$ini" "$WORK/after.png" 1080 1920 || fail "second screenshot failed"
expect_ocr "$WORK/after.png" "Water off Friday"

log "delete removes it from the board"
expect_status 204 DELETE "/api/v1/notices/$nid" >/dev/null
board=$(retained_board tower-a)
jq -e '.notices|length==0' <<<"$board" >/dev/null || fail "deleted notice still on the board"
echo "PASS: $TEST_NAME"
