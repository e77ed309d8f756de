#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The tenants' complaint form over HTTP: the page, unknown blocks, bad and
# over-long input, escaping of what was typed, the honeypot, the rate limit
# and the alert on MQTT that carries no personal data.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/web_lib.sh"
it_setup
start_broker
server_config
start_server
expect_status 201 POST /api/v1/blocks '{"id":"tower-a","name":"Tower A","address":"Tower A, Barton Hill, Bristol"}' >/dev/null
JAR=$WORK/jar
mosquitto_sub -h 127.0.0.1 -p "$MQTT_PORT" -t 'siteboard/barton-hill/alerts' -v >"$WORK/alerts" 2>&1 &
PIDS+=("$!")
sleep 0.5

log "the form names the block and site, labels every field, and says how data is kept"
page "$JAR" /c/tower-a
expect_page 200
page_has "Tower A" "Barton Hill window replacement" 'lang="en-GB"' '<label for="description"' \
	'<label for="name"' '<label for="flat"' '<label for="phone"' '<label for="email"' \
	'How should we contact you?' 'What is your complaint about?' 'erase them 365 days' \
	'name="website"' 'Working hours' 'Access or damage' 'Mess or waste' 'Staff behaviour' \
	'Through someone else' 'In person' 'Letter'
page_lacks '<script' 'http://' 'https://'
grep -qi '^content-security-policy:.*default-src' "$WORK/headers" || fail "no CSP header"

log "unknown blocks are 404"
page "$JAR" /c/no-such-block
expect_page 404
page "$JAR" "/c/Tower%20A"
expect_page 404
post "$JAR" /c/no-such-block -d category=noise -d description=x
expect_page 404

log "bad input gets the form back with a clear message, never a 500"
post "$JAR" /c/tower-a -d category=noise
expect_page 422
page_has "Describe the problem" '<form' 'aria-invalid="true"'
post "$JAR" /c/tower-a -d category=shouting -d description=loud
expect_page 422
page_has "Choose what your complaint is about"
long=$(head -c 4001 /dev/zero | tr '\0' 'a')
post "$JAR" /c/tower-a -d category=noise --data-urlencode "description=$long"
expect_page 422
page_has "4000 characters or fewer"
post "$JAR" /c/tower-a -d category=noise -d description=loud --data-urlencode "name=$(head -c 101 /dev/zero | tr '\0' 'n')"
expect_page 422
page_has "100 characters or fewer" 'loud'
post "$JAR" /c/tower-a -d category=noise -d description=loud -d contact_pref=phone
expect_page 422
page_has "Enter a phone number"
post "$JAR" /c/tower-a -d category=noise -d 'description=%ZZ'
expect_page 400
post "$JAR" /c/tower-a -d category=noise -d 'description=a%00b'
expect_page 400
head -c 70000 /dev/zero | tr '\0' 'a' | sed 's/^/category=noise\&description=/' >"$WORK/big"
post "$JAR" /c/tower-a --data-binary @"$WORK/big"
expect_page 413
STATUS=$(curl -sS -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -d '{"category":"noise"}' "$API/c/tower-a")
[ "$STATUS" = 415 ] || fail "JSON body to the form gave $STATUS"

log "a complaint is stored and answered with a reference; what was typed is never echoed as markup"
post "$JAR" /c/tower-a -d category=noise --data-urlencode 'description=<script>alert(1)</script> radio at 7am' \
	--data-urlencode 'name=Jo Bloggs' -d flat=12 --data-urlencode 'phone=0117 496 0001' \
	--data-urlencode 'email=jo@example.org' -d contact_pref=phone
expect_page 201
ref=$(grep -o 'WC-[0-9]\{4\}-[0-9]\{4\}' "$WORK/page" | head -1)
[ "$ref" = "WC-$(date -u +%Y)-0001" ] || fail "reference '$ref'"
page_has "What happens next" "Phone"
page_lacks "<script>alert"
list=$(expect_status 200 GET /api/v1/complaints)
jq -e --arg r "$ref" '.complaints[0].ref==$r and .complaints[0].address=="Tower A, Barton Hill, Bristol" and (.complaints[0].received_at|test("Z$")) and (.complaints[0]|has("contact")|not)' <<<"$list" >/dev/null ||
	fail "stored complaint wrong, or contact details in a list: $list"
add_user anna manager 'manager password 1'
login "$JAR" anna 'manager password 1'
page "$JAR" /staff/complaints/1
expect_page 200
page_has '&lt;script&gt;alert(1)&lt;/script&gt; radio at 7am' 'Jo Bloggs' '0117 496 0001' 'jo@example.org'
page_lacks '<script>alert(1)'

log "the honeypot field: answered kindly, nothing stored"
post "$JAR" /c/tower-a -d category=noise -d description=spam -d website=http://spam.example
expect_page 200
page_lacks 'WC-'
list=$(expect_status 200 GET /api/v1/complaints)
[ "$(jq '.complaints|length' <<<"$list")" = 1 ] || fail "honeypot complaint stored: $list"

log "rate limit: 5 complaints per address in 10 minutes, then 429"
for i in 3 4 5; do
	post "$JAR" /c/tower-a -d category=other -d "description=number $i"
	expect_page 201
done
post "$JAR" /c/tower-a -d category=other -d "description=number 6"
expect_page 429
page_has "Please wait ten minutes"
list=$(expect_status 200 GET /api/v1/complaints)
[ "$(jq '.complaints|length' <<<"$list")" = 4 ] || fail "expected 4 complaints: $list"

log "each complaint is announced on the alerts topic, without personal data"
sleep 1
n=$(grep -c '"complaint":"WC-' "$WORK/alerts" || true)
[ "$n" = 4 ] || fail "expected 4 complaint alerts, got $n: $(cat "$WORK/alerts")"
grep -F "\"complaint\":\"$ref\"" "$WORK/alerts" | grep -qF '"block":"tower-a"' || fail "alert lacks ref/block"
for pii in 'Jo Bloggs' '0117 496 0001' 'jo@example.org' 'radio at 7am' 'number 3' '"flat"'; do
	! grep -qF -- "$pii" "$WORK/alerts" || fail "alert carries '$pii': $(cat "$WORK/alerts")"
done
! grep -qE 'Jo Bloggs|0117 496 0001|jo@example.org|radio at 7am' "$WORK/server.log" || fail "personal data in the log"
echo "PASS: $TEST_NAME"
