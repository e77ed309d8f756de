#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Staff pages over HTTP: sign-in and its cookies, CSRF on every form, roles
# on pages and API routes (caretaker: own blocks, no complaints), notices
# through the pages reaching the board, complaint responses, status and
# CSV export (contact details only when asked), the audit log, sign-out and
# sign-in throttling.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/web_lib.sh"
it_setup
start_broker
server_config
start_server
expect_status 201 POST /api/v1/blocks '{"id":"tower-a","name":"Tower A","address":"Tower A, Barton Hill, Bristol"}' >/dev/null
expect_status 201 POST /api/v1/blocks '{"id":"tower-b","name":"Tower B"}' >/dev/null
add_user anna manager 'manager password 1'
add_user bob caretaker 'caretaker password 1' tower-a
add_user root-admin admin 'admin password 1'
M=$WORK/manager.jar C=$WORK/caretaker.jar X=$WORK/anon.jar

log "accounts: bad arguments and duplicates are refused with one line"
rc=0; printf 'x\n' | "$BIN/siteboard-server" --config "$WORK/server.ini" user add eve --role caretaker --blocks tower-a 2>"$WORK/err" || rc=$?
[ $rc -ne 0 ] && [ "$(wc -l <"$WORK/err")" = 1 ] || fail "short password accepted or unclear: $(cat "$WORK/err")"
rc=0; printf 'long enough pw\n' | "$BIN/siteboard-server" --config "$WORK/server.ini" user add anna --role manager 2>"$WORK/err" || rc=$?
[ $rc -ne 0 ] && grep -q "already exists" "$WORK/err" || fail "duplicate user: $(cat "$WORK/err")"
rc=0; printf 'long enough pw\n' | "$BIN/siteboard-server" --config "$WORK/server.ini" user add eve --role king 2>"$WORK/err" || rc=$?
[ $rc = 2 ] || fail "bad role gave $rc"
printf 'another password\n' | "$BIN/siteboard-server" --config "$WORK/server.ini" user add gone --role manager
"$BIN/siteboard-server" --config "$WORK/server.ini" user remove gone || fail "user remove failed"

log "not signed in: staff pages send you to /login; a POST is refused"
page "$X" /staff/
expect_page 303
grep -qi '^location: /login' "$WORK/headers" || fail "no redirect to /login"
post "$X" /staff/blocks/tower-a/notices -d csrf=x -d title=Hi
expect_page 403

log "sign-in: CSRF, wrong password, then cookies HttpOnly SameSite=Strict Secure"
page "$X" /login
expect_page 200
page_has '<label for="username"' '<label for="password"' 'name="csrf"'
post "$X" /login -d username=anna --data-urlencode 'password=manager password 1'
expect_page 403
csrf=$(grep -o 'name="csrf" value="[^"]*"' "$WORK/page" | head -1 | sed 's/.*value="//; s/"$//')
post "$X" /login --data-urlencode "csrf=$csrf" -d username=anna -d password=wrong-password
expect_page 401
page_has "not right"
login "$M" anna 'manager password 1'
grep -i '^set-cookie: sb_session=' "$WORK/headers" | grep -i 'HttpOnly' | grep -i 'SameSite=Strict' | grep -i 'Secure' | grep -qi 'Max-Age=' ||
	fail "session cookie attributes: $(grep -i set-cookie "$WORK/headers")"
login "$C" bob 'caretaker password 1'

log "caretaker: own block only, no complaints, export, audit"
page "$C" /staff/
expect_page 200
page_has 'Tower A'
page_lacks 'Tower B' '/staff/complaints'
for p in /staff/complaints /staff/complaints/1 /staff/export /staff/audit /staff/blocks/tower-b; do
	page "$C" "$p"
	expect_page 403
done
page "$C" /staff/blocks/tower-a
expect_page 200
page_has 'Add a notice' 'Add a work' 'Add a delay' 'preview.png'
ccsrf=$(csrf_of)

log "CSRF: a form post without the token, or with another's, is refused"
post "$C" /staff/blocks/tower-a/notices --data-urlencode 'title=No token'
expect_page 403
post "$C" /staff/blocks/tower-a/notices -d csrf=forged-token-value --data-urlencode 'title=Forged'
expect_page 403
page "$M" /staff/
mcsrf=$(csrf_of)
post "$C" /staff/blocks/tower-a/notices --data-urlencode "csrf=$mcsrf" --data-urlencode 'title=Other session token'
expect_page 403
expect_status 200 GET /api/v1/blocks/tower-a/notices >"$WORK/n"
[ "$(jq '.notices|length' "$WORK/n")" = 0 ] || fail "a refused post stored a notice"

log "caretaker posts, edits and expires a notice; the board carries it"
post "$C" /staff/blocks/tower-a/notices --data-urlencode "csrf=$ccsrf" --data-urlencode 'title=Lift <b>out</b> of service' \
	--data-urlencode 'body=Engineer due at 2pm' -d priority=urgent
expect_page 303
board=$(retained_board tower-a)
nid=$(jq -r '.notices[0].id' <<<"$board")
jq -e '.notices[0].title=="Lift <b>out</b> of service" and .notices[0].priority=="urgent"' <<<"$board" >/dev/null || fail "board: $board"
page "$C" /staff/blocks/tower-a
page_has 'Lift &lt;b&gt;out&lt;/b&gt; of service'
post "$C" /staff/blocks/tower-a/notices --data-urlencode "csrf=$ccsrf" -d title=Bad -d from=2026-13-01T10:00
expect_page 422
page_has 'There is a problem'
post "$C" /staff/blocks/tower-b/notices --data-urlencode "csrf=$ccsrf" -d title=Elsewhere
expect_page 403
post "$C" "/staff/notices/$nid" --data-urlencode "csrf=$ccsrf" -d action=save --data-urlencode 'title=Lift back on Friday' -d priority=important
expect_page 303
jq -e '.notices[0].title=="Lift back on Friday" and .notices[0].body==""' <<<"$(retained_board tower-a)" >/dev/null ||
	fail "edit not on the board: $(retained_board tower-a)"
post "$C" "/staff/notices/$nid" --data-urlencode "csrf=$ccsrf" -d action=expire
expect_page 303
jq -e '.notices[0].until != null' <<<"$(retained_board tower-a)" >/dev/null || fail "expire did not set until"
post "$C" /staff/blocks/tower-a/works --data-urlencode "csrf=$ccsrf" -d what=Scaffold -d from=2026-12-01 -d to=2026-12-04 -d noisy=on
expect_page 303
jq -e '.works[0].noisy==true' <<<"$(retained_board tower-a)" >/dev/null || fail "work not on the board"
page "$C" /staff/blocks/tower-a/preview.png
expect_page 200
[ "$(head -c 4 "$WORK/page" | tail -c 3)" = PNG ] || fail "preview is not a PNG"
page "$C" /staff/blocks/tower-b/preview.png
expect_page 403

log "block scope: the caretaker of tower-a cannot change tower-b's items by id either"
bnote=$(expect_status 201 POST /api/v1/blocks/tower-b/notices '{"title":"Tower B only"}')
bid=$(jq -r .id <<<"$bnote")
page "$C" "/staff/notices/$bid"
expect_page 403
for action in save expire delete; do
	post "$C" "/staff/notices/$bid" --data-urlencode "csrf=$ccsrf" -d "action=$action" -d title=Hijacked
	expect_page 403
done
jq -e '.title=="Tower B only" and .until==null' <<<"$(expect_status 200 GET "/api/v1/notices/$bid")" >/dev/null ||
	fail "tower-b's notice changed by tower-a's caretaker"

log "API roles: a caretaker token gets 403 on complaints"
ctok=$("$BIN/siteboard-server" --config "$WORK/server.ini" token new --role caretaker)
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $ctok" "$API/api/v1/complaints")
[ "$code" = 403 ] || fail "caretaker token on complaints gave $code"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $ctok" -d '{"text":"x"}' "$API/api/v1/complaints/1/responses")
[ "$code" = 403 ] || fail "caretaker token responding gave $code"

log "manager: inbox, response, status, CSV with and without contact details"
curl -sS -o /dev/null --data-urlencode 'category=working_hours' --data-urlencode 'description=Drilling at 6am, "again"' \
	--data-urlencode 'name=Jo Bloggs' --data-urlencode 'phone=0117 496 0001' -d contact_pref=phone "$API/c/tower-a"
page "$M" /staff/complaints
expect_page 200
page_has "WC-$(date -u +%Y)-0001" 'Working hours' 'Open'
page "$M" /staff/complaints/1
page_has 'Jo Bloggs' '0117 496 0001' 'Add a response'
mcsrf=$(csrf_of)
post "$M" /staff/complaints/1/responses -d channel=phone --data-urlencode 'text=Phoned Jo; crew told to start at 8'
expect_page 403
post "$M" /staff/complaints/1/responses --data-urlencode "csrf=$mcsrf" -d channel=phone --data-urlencode 'text=Phoned Jo; crew told to start at 8'
expect_page 303
post "$M" /staff/complaints/1/status --data-urlencode "csrf=$mcsrf" -d status=closed
expect_page 303
page "$M" /staff/complaints/1
page_has 'Phoned Jo; crew told to start at 8' 'anna' 'Closed'
today=$(date +%F)
post "$M" /staff/export --data-urlencode "csrf=$mcsrf" -d what=complaints -d from=$today -d to=$today
expect_page 200
grep -qi '^content-type: text/csv' "$WORK/headers" || fail "export is not CSV"
grep -qi '^content-disposition: attachment' "$WORK/headers" || fail "export is not an attachment"
page_has '"Drilling at 6am, ""again"""' 'anna (phone): Phoned Jo' '"closed"'
page_lacks 'Jo Bloggs' '0117 496 0001'
post "$M" /staff/export --data-urlencode "csrf=$mcsrf" -d what=complaints -d from=$today -d to=$today -d contact=on
page_has ',name,flat,phone,email,contact_pref' '"Jo Bloggs"' '"0117 496 0001"'
post "$M" /staff/export -d what=complaints -d from=$today -d to=$today
expect_page 403
page "$M" /staff/audit
page_has 'complaint.respond' 'complaint.status' 'export' 'with contact details' 'notices'
page_lacks 'Jo Bloggs'

log "sign-out ends the session"
post "$M" /logout --data-urlencode "csrf=$mcsrf"
expect_page 303
page "$M" /staff/
expect_page 303

log "sign-in throttling: after 5 failures (one was above), 429"
for i in 1 2 3 4; do
	page "$X" /login
	csrf=$(csrf_of)
	post "$X" /login --data-urlencode "csrf=$csrf" -d username=anna -d password=wrong-$i
	expect_page 401
done
page "$X" /login
csrf=$(csrf_of)
post "$X" /login --data-urlencode "csrf=$csrf" -d username=anna --data-urlencode 'password=manager password 1'
expect_page 429
kill -0 "$SERVER_PID" || fail "server died"
! grep -qiE 'AddressSanitizer|runtime error' "$WORK/server.log" || fail "sanitizer report"
echo "PASS: $TEST_NAME"
