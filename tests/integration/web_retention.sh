#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Retention of tenants' contact details: with [privacy]
# complaint_retention_days = 0, a closed complaint's contact details are
# erased at the next purge (at start-up, then daily); the complaint, its
# responses and open complaints' details stay; the audit log says so.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/web_lib.sh"
it_setup
start_broker
server_config
printf '[privacy]\ncomplaint_retention_days = 0\n' >>"$WORK/server.ini"
start_server
expect_status 201 POST /api/v1/blocks '{"id":"tower-a","name":"Tower A","address":"Tower A, Barton Hill, Bristol"}' >/dev/null
for who in "Jo Bloggs" "Sam Smith"; do
	code=$(curl -sS -o /dev/null -w '%{http_code}' -d category=noise --data-urlencode "description=Radio, says $who" \
		--data-urlencode "name=$who" -d flat=12 --data-urlencode 'phone=0117 496 0001' \
		--data-urlencode 'email=t@example.org' -d contact_pref=email "$API/c/tower-a")
	[ "$code" = 201 ] || fail "complaint gave $code"
done
expect_status 201 POST /api/v1/complaints/1/responses '{"text":"Radio removed","channel":"email"}' >/dev/null
expect_status 200 PUT /api/v1/complaints/1 '{"status":"closed"}' >/dev/null
one=$(expect_status 200 GET /api/v1/complaints/1)
jq -e '.contact.name=="Jo Bloggs" and .anonymised==false' <<<"$one" >/dev/null || fail "before purge: $one"

log "restart: the start-up purge erases the closed complaint's contact details only"
kill "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null || true
start_server
one=$(expect_status 200 GET /api/v1/complaints/1)
jq -e '.anonymised==true and .contact.name==null and .contact.phone==null and .contact.email==null and .contact.flat==null
	and .description=="Radio, says Jo Bloggs" and .status=="closed" and (.responses|length)==1' <<<"$one" >/dev/null ||
	fail "after purge: $one"
two=$(expect_status 200 GET /api/v1/complaints/2)
jq -e '.anonymised==false and .contact.name=="Sam Smith"' <<<"$two" >/dev/null || fail "open complaint purged: $two"
grep -q 'contact details of 1 closed complaints erased' "$WORK/server.log" || fail "no purge line in the log"
add_user anna manager 'manager password 1'
login "$WORK/jar" anna 'manager password 1'
page "$WORK/jar" /staff/complaints/1
page_has 'Erased under the retention policy'
page "$WORK/jar" /staff/audit
page_has 'complaints.purge' '1 complaints anonymised'
echo "PASS: $TEST_NAME"
