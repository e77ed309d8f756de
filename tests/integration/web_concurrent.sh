#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Requests of every kind at once against the real server (it answers each
# connection on its own thread): sign-ins of several accounts, API writes,
# lobby-screen previews and complaints, all in flight together. Every answer
# must be the right one: each account signed in as itself, every notice
# stored once with its own id and on the board, every complaint with its own
# reference, every preview a PNG; and the limits hold exactly when the
# attempts come together (5 failed sign-ins per name, 5 complaints per
# address). A race shows as a wrong answer here, or as a sanitizer report in
# the ASan/TSan builds. Not a timing test: nothing here is timed.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/web_lib.sh"
it_setup
start_broker
server_config
start_server
expect_status 201 POST /api/v1/blocks '{"id":"tower-a","name":"Tower A","address":"Tower A, Barton Hill, Bristol"}' >/dev/null
USERS=8
for i in $(seq 1 $USERS); do add_user "staff-$i" manager "password number $i" 2>>"$WORK/users.log"; done
add_user target manager 'the right password' 2>>"$WORK/users.log"
add_user viewer caretaker 'viewer password 1' tower-a 2>>"$WORK/users.log"
V=$WORK/viewer.jar
login "$V" viewer 'viewer password 1'

# sign_in I: in a job of its own, from its own loopback address, then the home page.
sign_in() {
	local i=$1 jar=$WORK/s$1.jar out=$WORK/s$1 csrf code
	curl -sS --interface "127.0.0.$((20 + i))" -c "$jar" -o "$out.form" "$API/login" || { echo "000" >"$out.code"; return; }
	csrf=$(grep -o 'name="csrf" value="[^"]*"' "$out.form" | head -1 | sed 's/.*value="//; s/"$//')
	code=$(curl -sS --interface "127.0.0.$((20 + i))" -b "$jar" -c "$jar" -o /dev/null -w '%{http_code}' \
		--data-urlencode "csrf=$csrf" --data-urlencode "username=staff-$i" \
		--data-urlencode "password=password number $i" "$API/login") || code=000
	echo "$code" >"$out.code"
	curl -sS -b "$jar" -o "$out.home" "$API/staff/" || true
}
notice() {
	curl -sS -o "$WORK/n$1.json" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" \
		-H 'Content-Type: application/json' \
		--data-binary "{\"title\":\"Concurrent notice $1\",\"body\":\"number $1\"}" \
		"$API/api/v1/blocks/tower-a/notices" >"$WORK/n$1.code" || echo 000 >"$WORK/n$1.code"
}
preview() {
	curl -sS -b "$V" -o "$WORK/p$1.png" -w '%{http_code}' "$API/staff/blocks/tower-a/preview.png" \
		>"$WORK/p$1.code" || echo 000 >"$WORK/p$1.code"
}
wrong_guess() {
	curl -sS -c "$WORK/g$1.jar" -o "$WORK/g$1.form" "$API/login" || true
	local csrf
	csrf=$(grep -o 'name="csrf" value="[^"]*"' "$WORK/g$1.form" | head -1 | sed 's/.*value="//; s/"$//')
	curl -sS --interface "127.0.0.$((60 + $1))" -b "$WORK/g$1.jar" -o /dev/null -w '%{http_code}' \
		--data-urlencode "csrf=$csrf" -d username=target -d "password=wrong guess $1" \
		"$API/login" >"$WORK/g$1.code" || echo 000 >"$WORK/g$1.code"
}
# count CODE FILES...: how many of the files hold CODE (curl -w writes no newline).
count() {
	local code=$1 f n=0
	shift
	for f in "$@"; do [ "$(cat "$f")" != "$code" ] || n=$((n + 1)); done
	echo "$n"
}
complaint() {
	curl -sS --interface 127.0.0.99 -o "$WORK/c$1.html" -w '%{http_code}' -d category=noise \
		--data-urlencode "description=drilling at night, number $1" "$API/c/tower-a" \
		>"$WORK/c$1.code" || echo 000 >"$WORK/c$1.code"
}

log "all at once: $USERS sign-ins, 8 notices, 4 previews, 10 wrong guesses at one name, 8 complaints from one address"
jobs_=()
for i in $(seq 1 $USERS); do sign_in "$i" & jobs_+=($!); done
for i in $(seq 1 8); do notice "$i" & jobs_+=($!); done
for i in $(seq 1 4); do preview "$i" & jobs_+=($!); done
for i in $(seq 1 10); do wrong_guess "$i" & jobs_+=($!); done
for i in $(seq 1 8); do complaint "$i" & jobs_+=($!); done
for j in "${jobs_[@]}"; do wait "$j"; done

log "each account signed in as itself"
for i in $(seq 1 $USERS); do
	[ "$(cat "$WORK/s$i.code")" = 303 ] || fail "sign-in of staff-$i gave $(cat "$WORK/s$i.code")"
	grep -qF "Hello, staff-$i</h1>" "$WORK/s$i.home" || fail "staff-$i's home page: $(head -c 400 "$WORK/s$i.home")"
done

log "every notice stored once, with its own id, and on the retained board"
ids=()
for i in $(seq 1 8); do
	[ "$(cat "$WORK/n$i.code")" = 201 ] || fail "notice $i gave $(cat "$WORK/n$i.code"): $(cat "$WORK/n$i.json")"
	ids+=("$(jq -r .id "$WORK/n$i.json")")
done
[ "$(printf '%s\n' "${ids[@]}" | sort -u | wc -l)" = 8 ] || fail "notice ids not distinct: ${ids[*]}"
expect_status 200 GET /api/v1/blocks/tower-a/notices >"$WORK/list"
[ "$(jq '.notices|length' "$WORK/list")" = 8 ] || fail "stored notices: $(cat "$WORK/list")"
board=$(retained_board tower-a)
for i in $(seq 1 8); do
	jq -e --arg t "Concurrent notice $i" '[.notices[].title]|index($t) != null' <<<"$board" >/dev/null ||
		fail "the board lacks notice $i: $board"
done
expect_status 200 GET /api/v1/blocks/tower-a >"$WORK/block"
[ "$(jq .board_version "$WORK/block")" = "$(jq .version <<<"$board")" ] ||
	fail "board version $(jq .version <<<"$board") is not the block's $(jq .board_version "$WORK/block")"

log "every preview a PNG"
for i in $(seq 1 4); do
	[ "$(cat "$WORK/p$i.code")" = 200 ] || fail "preview $i gave $(cat "$WORK/p$i.code")"
	[ "$(head -c 8 "$WORK/p$i.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] || fail "preview $i is not a PNG"
done

log "10 wrong guesses at one name together: 5 judged (401), 5 refused (429)"
n401=$(count 401 "$WORK"/g*.code)
n429=$(count 429 "$WORK"/g*.code)
[ "$n401" = 5 ] && [ "$n429" = 5 ] || fail "wrong guesses: $n401 × 401, $n429 × 429: $(cat "$WORK"/g*.code)"
page "$WORK/t.jar" /login
csrf=$(csrf_of)
post "$WORK/t.jar" /login --data-urlencode "csrf=$csrf" -d username=target --data-urlencode 'password=the right password'
expect_page 429

log "8 complaints from one address together: 5 stored with distinct references, 3 refused"
n201=$(count 201 "$WORK"/c*.code)
n429=$(count 429 "$WORK"/c*.code)
[ "$n201" = 5 ] && [ "$n429" = 3 ] || fail "complaints: $n201 × 201, $n429 × 429: $(cat "$WORK"/c*.code)"
refs=$(cat "$WORK"/c*.html | grep -o 'WC-[0-9]\{4\}-[0-9]\{4\}' | sort -u)
[ "$(wc -l <<<"$refs")" = 5 ] || fail "complaint references: $refs"
expect_status 200 GET /api/v1/complaints >"$WORK/cl"
[ "$(jq '.complaints|length' "$WORK/cl")" = 5 ] || fail "stored complaints: $(cat "$WORK/cl")"
[ "$(jq -r '.complaints[].ref' "$WORK/cl" | sort)" = "$refs" ] || fail "stored references differ from the answers"

log "the server is still well and logged no error"
expect_status 200 GET /api/v1/blocks >/dev/null
! grep -q ' error: ' "$WORK/server.log" || fail "server logged errors: $(grep ' error: ' "$WORK/server.log" | head -5)"
kill "$SERVER_PID"
rc=0
wait "$SERVER_PID" || rc=$?
[ $rc = 0 ] || fail "the server exited $rc after SIGTERM"
! grep -qiE 'Sanitizer|runtime error' "$WORK/server.log" || fail "sanitizer report in the server log"
log "ok"
