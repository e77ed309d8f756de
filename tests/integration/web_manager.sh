#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Managers' pages over HTTP: a caretaker gets 403 on every one; an
# out-of-hours door event published with mosquitto_pub is an open breach on
# the live list (its script allowed by hash in the CSP); acknowledging needs
# the CSRF token, the note is shown escaped and the trail names the user;
# hours exceptions are added and removed with who agreed them and why; the
# day view's SVG has the permitted hours shaded and the breach marked; the
# breaches CSV for a date range; a kiosk's retained status published with
# mosquitto_pub -r is listed, flagged while it lags its block's board.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/web_lib.sh"
it_setup
start_broker
server_config
cat >>"$WORK/server.ini" <<CONF
[hours]
weekly = none
[sensors]
heartbeat_s = 0
CONF
start_server
wait_for 10 "server subscribed" grep -q "connected to" "$WORK/server.log"
expect_status 201 POST /api/v1/blocks '{"id":"tower-a","name":"Tower A"}' >/dev/null
expect_status 201 POST /api/v1/blocks '{"id":"tower-b","name":"Tower B"}' >/dev/null
expect_status 201 POST /api/v1/sensors '{"id":"gate","block":"tower-a","kind":"door","role":"site_access","location":"Main gate"}' >/dev/null
expect_status 201 POST /api/v1/sensors '{"id":"mic","block":"tower-a","kind":"noise","role":"noise"}' >/dev/null
add_user anna manager 'manager password 1'
add_user bob caretaker 'caretaker password 1' tower-a
M=$WORK/manager.jar C=$WORK/caretaker.jar
login "$M" anna 'manager password 1'
login "$C" bob 'caretaker password 1'
today=$(date +%F)
iso() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%S.000Z; }
pubq() { mosquitto_pub -h 127.0.0.1 -p "$MQTT_PORT" -q 1 "$@"; }

log "an out-of-hours door opening and loud noise become open breaches"
now=$(date +%s)
for i in 1 2 3; do
	pubq -t siteboard/barton-hill/tower-a/sensor/mic/noise \
		-m "{\"seq\":$i,\"ts\":\"$(iso $((now - 240 + 60 * i)))\",\"period_s\":60,\"laeq\":6$i.5,\"lafmax\":8$i.0,\"la90\":40.0}"
done
pubq -t siteboard/barton-hill/tower-a/sensor/gate/door -m "{\"seq\":1,\"ts\":\"$(iso "$now")\",\"state\":\"open\"}"
wait_for 20 "the door breach" bash -c \
	"curl -s -H 'Authorization: Bearer $TOKEN' '$API/api/v1/breaches?rule=out_of_hours_access&state=open' | jq -e '.breaches|length == 1'"
bid=$(curl -s -H "Authorization: Bearer $TOKEN" "$API/api/v1/breaches?rule=out_of_hours_access" | jq -r '.breaches[0].id')

log "caretaker: 403 on every manager page and action"
page "$C" /staff/
ccsrf=$(csrf_of)
page_lacks '/staff/breaches' '/staff/kiosks'
for p in /staff/breaches "/staff/breaches/$bid" /staff/hours /staff/kiosks /staff/day "/staff/day?block=tower-a&date=$today"; do
	page "$C" "$p"
	expect_page 403
	page_has 'Not for your role'
done
post "$C" "/staff/breaches/$bid/ack" --data-urlencode "csrf=$ccsrf" -d note=mine
expect_page 403
post "$C" /staff/hours --data-urlencode "csrf=$ccsrf" -d date=2030-01-02 -d closed=on -d reason=x -d agreed_by=y
expect_page 403
post "$C" /staff/export --data-urlencode "csrf=$ccsrf" -d what=breaches -d from=$today -d to=$today
expect_page 403

log "manager: the live list shows the open breach; its script is allowed by hash"
page "$M" /staff/breaches
expect_page 200
page_has 'Site door opened out of hours' 'Noise out of hours' 'Open' 'id="live"' \
	'Reload the list' "/staff/breaches/$bid"
grep -i '^content-security-policy:' "$WORK/headers" | grep -q "script-src 'sha256-" ||
	fail "no script hash in the CSP: $(grep -i content-security "$WORK/headers")"
script=$(sed -n 's/.*<script>\(.*\)<\/script>.*/\1/p' "$WORK/page")
want=$(printf '%s' "$script" | openssl dgst -sha256 -binary | base64)
grep -i '^content-security-policy:' "$WORK/headers" | grep -qF "'sha256-$want'" || fail "the CSP hash is not the script's"
page "$M" '/staff/breaches?state=bogus'
expect_page 400
page "$M" '/staff/breaches?state=closed'
expect_page 200
page_lacks "/staff/breaches/$bid\""
page "$M" "/staff/breaches/$bid"
expect_page 200
page_has 'Acknowledge' 'name="note"' 'the sensors'
mcsrf=$(csrf_of)

log "CSRF: an acknowledgement without the token, or with another session's, is refused"
post "$M" "/staff/breaches/$bid/ack" -d note=no-token
expect_page 403
post "$M" "/staff/breaches/$bid/ack" --data-urlencode "csrf=$ccsrf" -d note=other-token
expect_page 403
expect_status 200 GET "/api/v1/breaches/$bid" | jq -e '.state == "open"' >/dev/null || fail "a refused post acknowledged"

log "acknowledge with a note: shown as text, the trail names the user"
post "$M" "/staff/breaches/$bid/ack" --data-urlencode "csrf=$mcsrf" --data-urlencode 'note=   '
expect_page 422
page_has 'There is a problem'
post "$M" "/staff/breaches/$bid/ack" --data-urlencode "csrf=$mcsrf" \
	--data-urlencode 'note=<script>alert(1)</script> Guard told, gate shut'
expect_page 303
expect_status 200 GET "/api/v1/breaches/$bid" >"$WORK/b.json"
jq -e '.state == "acknowledged" and (.audit | map(select(.state == "acknowledged" and .who == "anna")) | length == 1)' "$WORK/b.json" >/dev/null ||
	fail "not acknowledged by anna: $(cat "$WORK/b.json")"
page "$M" "/staff/breaches/$bid"
page_has '&lt;script&gt;alert(1)&lt;/script&gt; Guard told, gate shut' 'Acknowledged, by anna' 'Add a note' 'Tower A'
page_lacks '<script>alert(1)</script>'
page "$M" /staff/breaches
page_has 'Acknowledged'

log "hours exceptions: added with who and why, escaped, removed"
if [ "$(date +%H)" -ge 2 ]; then win=(00:00 01:00); else win=(22:00 23:00); fi
post "$M" /staff/hours --data-urlencode "csrf=$mcsrf" -d "date=$today" -d "from=${win[0]}" -d "to=${win[1]}" \
	--data-urlencode 'reason=Crane <b>delivery</b>' --data-urlencode 'agreed_by=Resident panel, 1 Dec meeting'
expect_page 303
post "$M" /staff/hours --data-urlencode "csrf=$mcsrf" -d date=2030-01-02 -d closed=on \
	--data-urlencode 'reason=Bank holiday swap' --data-urlencode 'agreed_by=Council'
expect_page 303
post "$M" /staff/hours --data-urlencode "csrf=$mcsrf" -d date=2030-01-02 -d closed=on -d reason=Again -d agreed_by=Me
expect_page 422
page_has 'already has an exception'
post "$M" /staff/hours --data-urlencode "csrf=$mcsrf" -d date=2030-01-03 -d reason=Again -d agreed_by=Me
expect_page 422
page "$M" /staff/hours
expect_page 200
page_has 'Crane &lt;b&gt;delivery&lt;/b&gt;' 'Resident panel, 1 Dec meeting' "${win[0]} to ${win[1]}" 'No work' 'Council'
xid=$(expect_status 200 GET '/api/v1/hours/exceptions?from=2030-01-01' | jq -r '.exceptions[0].id')
post "$M" "/staff/hours/$xid" --data-urlencode "csrf=$mcsrf" -d action=delete
expect_page 303
page "$M" /staff/hours
page_lacks 'Council'

log "day view: the SVG shades the permitted hours and marks the breaches; a table below"
page "$M" "/staff/day?block=tower-a&date=$today"
expect_page 200
page_has '<svg class="noisechart"' 'role="img"' '<title id="chart-0-title">' 'class="permitted"' \
	'class="breach"' 'class="laeq"' 'class="lafmax"' 'Noise levels by hour, sensor mic' \
	'Site door opened out of hours' 'Previous day'
page "$M" "/staff/day?block=tower-b"
expect_page 200
page_has 'No noise sensor' 'class="permitted"'
page "$M" "/staff/day?block=tower-a&date=2026-13-45"
expect_page 422
page "$M" "/staff/day?block=nope&date=$today"
expect_page 404
# the clocks go back: a 25-hour day has 25 rows
page "$M" "/staff/day?block=tower-a&date=2026-10-25"
[ "$(grep -o '<th scope="row">' "$WORK/page" | wc -l)" = 25 ] || fail "25-hour day has $(grep -o '<th scope="row">' "$WORK/page" | wc -l) hours"

log "breaches CSV for a date range"
post "$M" /staff/export --data-urlencode "csrf=$mcsrf" -d what=breaches -d from=$today -d to=$today
expect_page 200
grep -qi '^content-type: text/csv' "$WORK/headers" || fail "not CSV"
grep -qi "^content-disposition: attachment; filename=\"breaches-$today-to-$today.csv\"" "$WORK/headers" || fail "no attachment"
head -1 "$WORK/page" | grep -q '^id,rule,block,sensor,started_at,ended_at,state,detail,trail' || fail "header: $(head -1 "$WORK/page")"
page_has '"out_of_hours_access"' '"out_of_hours_noise"' '"acknowledged"' 'anna (acknowledged): <script>alert(1)</script> Guard told' '""opened_at""'
post "$M" /staff/export --data-urlencode "csrf=$mcsrf" -d what=breaches -d from=2020-01-01 -d to=2020-01-02
expect_page 200
[ "$(wc -l <"$WORK/page")" = 1 ] || fail "an empty range exported rows"
post "$M" /staff/export --data-urlencode "csrf=$mcsrf" -d what=breaches -d from=2020-01-05 -d to=2020-01-01
expect_page 422
post "$M" /staff/export -d what=breaches -d from=$today -d to=$today
expect_page 403

log "kiosks and sensors: a retained kiosk status is listed; lagging is flagged"
bv=$(expect_status 200 GET /api/v1/blocks/tower-a | jq -r .board_version)
pubq -r -t siteboard/barton-hill/tower-a/kiosk/lobby-1/status \
	-m "{\"state\":\"online\",\"version\":\"0.1.0\",\"board_version\":$((bv - 1)),\"shown_at\":\"$(iso "$(date +%s)")\",\"display\":\"on\"}"
pubq -t siteboard/barton-hill/tower-a/kiosk/bad-1/status -m '{"state":"dancing"}'
pubq -t siteboard/barton-hill/tower-a/kiosk/bad-2/status -m 'not json'
wait_for 10 "kiosk stored" bash -c "curl -s -b '$M' '$API/staff/kiosks' | grep -q 'lobby-1'"
page "$M" /staff/kiosks
expect_page 200
page_has 'lobby-1' 'Tower A' 'Online' 'Behind' '0.1.0' "$((bv - 1)) of $bv" \
	'gate' 'Main gate' 'mic' 'Last heard'
page_lacks 'bad-1' 'bad-2'
pubq -r -t siteboard/barton-hill/tower-a/kiosk/lobby-1/status \
	-m "{\"state\":\"online\",\"version\":\"0.1.0\",\"board_version\":$bv,\"shown_at\":\"$(iso "$(date +%s)")\"}"
wait_for 10 "kiosk up to date" bash -c "curl -s -b '$M' '$API/staff/kiosks' | grep -q 'up to date'"
pubq -r -t siteboard/barton-hill/tower-a/kiosk/lobby-1/status -m '{"state":"offline"}'
wait_for 10 "kiosk offline" bash -c "curl -s -b '$M' '$API/staff/kiosks' | grep -q 'Offline'"
page "$M" /staff/kiosks
page_has "$bv of $bv"
grep -q "kiosks: bad status on siteboard/barton-hill/tower-a/kiosk/bad-1/status" "$WORK/server.log" || fail "bad status not logged"
grep -q "dancing\|not json" "$WORK/server.log" && fail "a payload reached the log"
log "a restarted server hears the retained status again and keeps last seen"
kill "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null || true
start_server
page "$M" /staff/kiosks
page_has 'lobby-1' 'Offline'
page_lacks 'not since the server started'
# cleared retained status: the kiosk is forgotten
pubq -r -t siteboard/barton-hill/tower-a/kiosk/lobby-1/status -n
wait_for 10 "kiosk forgotten" bash -c "! curl -s -b '$M' '$API/staff/kiosks' | grep -q 'lobby-1'"

log "the CSV range of a 25-hour day is its local midnights; 2026-02-31 is refused"
# 2026-10-25 in London runs from 2026-10-24T23:00Z to 2026-10-26T00:00Z; each
# door is open for a minute, so its breach lies wholly inside or outside.
n=0
for at in 2026-10-24T22:30:00.000Z 2026-10-24T23:30:00.000Z 2026-10-25T23:30:00.000Z 2026-10-26T00:30:00.000Z; do
	n=$((n + 1))
	expect_status 201 POST /api/v1/sensors "{\"id\":\"store$n\",\"block\":\"tower-b\",\"kind\":\"door\",\"role\":\"site_access\"}" >/dev/null
	pubq -t "siteboard/barton-hill/tower-b/sensor/store$n/door" -m "{\"seq\":1,\"ts\":\"$at\",\"state\":\"open\"}"
	pubq -t "siteboard/barton-hill/tower-b/sensor/store$n/door" -m "{\"seq\":2,\"ts\":\"${at/:30:00/:31:00}\",\"state\":\"closed\"}"
done
wait_for 20 "four past door breaches" bash -c \
	"curl -s -H 'Authorization: Bearer $TOKEN' '$API/api/v1/breaches?block=tower-b' | jq -e '[.breaches[].sensor] | unique == [\"store1\",\"store2\",\"store3\",\"store4\"]'"
post "$M" /staff/export --data-urlencode "csrf=$mcsrf" -d what=breaches -d from=2026-10-25 -d to=2026-10-25
expect_page 200
grep -q ',"\?store2"\?,' "$WORK/page" && grep -q ',"\?store3"\?,' "$WORK/page" || fail "the 25-hour day lost a breach"
grep -q ',"\?store[14]"\?,' "$WORK/page" && fail "the 25-hour day took a breach of the day before or after"
post "$M" /staff/export --data-urlencode "csrf=$mcsrf" -d what=breaches -d from=2026-02-31 -d to=2026-03-01
expect_page 422

log "the audit log records acknowledgements, exceptions and exports"
page "$M" /staff/audit
page_has 'breach.ack' 'hours.exception.add' 'hours.exception.remove' 'breaches 2020-01-01 to 2020-01-02'
kill -0 "$SERVER_PID" || fail "server died"
! grep -qiE 'AddressSanitizer|runtime error' "$WORK/server.log" || fail "sanitizer report"
echo "PASS: $TEST_NAME"
