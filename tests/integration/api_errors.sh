#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Bad requests get a clear JSON error and the right status, never a 500, and
# leave nothing half-stored; bad config gets one clear line and a non-zero exit.
. "$(dirname "$0")/lib.sh"
it_setup
start_broker
server_config
start_server
expect_status 201 POST /api/v1/blocks '{"id":"tower-a","name":"Tower A"}' >/dev/null

check() { # CODE METHOD PATH [BODY]
	local body
	body=$(expect_status "$@")
	jq -e '.error|type=="string" and length>0' <<<"$body" >/dev/null || fail "$2 $3: no {\"error\":...}: $body"
}
check 400 POST /api/v1/blocks/tower-a/notices '{"title":'
check 400 POST /api/v1/blocks/tower-a/notices '[1,2]'
check 400 POST /api/v1/blocks/tower-a/notices '{"title":42}'
check 422 POST /api/v1/blocks/tower-a/notices '{"body":"no title"}'
check 422 POST /api/v1/blocks/tower-a/notices '{"title":"T","priority":"shouting"}'
check 422 POST /api/v1/blocks/tower-a/notices '{"title":"T","from":"2026-12-01T00:00:00Z","until":"2026-11-01T00:00:00Z"}'
check 422 POST /api/v1/blocks/tower-a/notices '{"title":"T","from":"next tuesday"}'
check 422 POST /api/v1/blocks/tower-a/works '{"from":"2026-02-30","to":"2026-03-01","what":"X"}'
check 422 POST /api/v1/blocks/tower-a/delays '{"works":"no-such-work","reason":"wind"}'
check 404 POST /api/v1/blocks/no-such-block/notices '{"title":"T"}'
check 404 GET /api/v1/notices/no-such-notice
check 404 GET /api/v1/nothing-here
check 422 POST /api/v1/blocks '{"id":"Tower A!","name":"x"}'
check 409 POST /api/v1/blocks '{"id":"tower-a","name":"again"}'

log "no token, wrong token"
code=$(curl -s -o "$WORK/r" -w '%{http_code}' "$API/api/v1/blocks")
[ "$code" = 401 ] || fail "no token gave $code"
code=$(curl -s -o "$WORK/r" -w '%{http_code}' -H "Authorization: Bearer sbt_wrong" "$API/api/v1/blocks")
[ "$code" = 401 ] || fail "wrong token gave $code"
jq -e .error "$WORK/r" >/dev/null || fail "401 without a JSON error"

log "caretaker token may post notices in its blocks, but not blocks or outside its blocks"
ctok=$("$BIN/siteboard-server" --config "$WORK/server.ini" token new --role caretaker --blocks tower-a --name carol)
case "$ctok" in sbt_*) ;; *) fail "token new --blocks --name printed '$ctok'" ;; esac
otok=$("$BIN/siteboard-server" --config "$WORK/server.ini" token new --role caretaker --blocks tower-b --label old)
code=$(curl -s -o "$WORK/r" -w '%{http_code}' -H "Authorization: Bearer $otok" -d '{"title":"Not mine"}' "$API/api/v1/blocks/tower-a/notices")
[ "$code" = 403 ] || fail "caretaker of tower-b posting in tower-a gave $code"
jq -e .error "$WORK/r" >/dev/null || fail "403 without a JSON error"
ntok=$("$BIN/siteboard-server" --config "$WORK/server.ini" token new --role caretaker)
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $ntok" -d '{"title":"No blocks"}' "$API/api/v1/blocks/tower-a/notices")
[ "$code" = 403 ] || fail "caretaker token without blocks posting gave $code"
rc=0
"$BIN/siteboard-server" --config "$WORK/server.ini" token new --role caretaker --blocks 'BAD!' >/dev/null 2>&1 || rc=$?
[ "$rc" = 2 ] || fail "token new --blocks BAD! exited $rc"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $ctok" -d '{"id":"x","name":"X"}' "$API/api/v1/blocks")
[ "$code" = 403 ] || fail "caretaker creating a block gave $code"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $ctok" -d '{"title":"From the caretaker"}' "$API/api/v1/blocks/tower-a/notices")
[ "$code" = 201 ] || fail "caretaker posting a notice gave $code"

log "a body over 1 MiB is refused with 413"
head -c 1100000 /dev/zero | tr '\0' 'a' | sed 's/^/{"title":"/; s/$/"}/' >"$WORK/big.json"
code=$(curl -s -o "$WORK/r" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" --data-binary @"$WORK/big.json" "$API/api/v1/blocks/tower-a/notices")
[ "$code" = 413 ] || fail "oversized body gave $code"

log "nothing half-stored; the server is still up"
list=$(expect_status 200 GET /api/v1/blocks/tower-a/notices)
[ "$(jq '.notices|length' <<<"$list")" = 1 ] || fail "bad requests stored something: $list"
kill -0 "$SERVER_PID" || fail "server died"
! grep -qiE 'AddressSanitizer|runtime error' "$WORK/server.log" || fail "sanitizer report in the server log"

log "bad config: one clear line, non-zero exit, for server and kiosk"
printf '[server]\ndb = %s/x.db\n[mqtt]\nprot = 1\n[site]\nid = s\nname = S\n' "$WORK" >"$WORK/bad.ini"
rc=0
"$BIN/siteboard-server" --config "$WORK/bad.ini" >"$WORK/out" 2>"$WORK/err" || rc=$?
[ $rc -ne 0 ] || fail "server accepted a bad config"
[ "$(wc -l <"$WORK/err")" = 1 ] || fail "server said more than one line: $(cat "$WORK/err")"
grep -q "unknown key 'prot' in \[mqtt\]" "$WORK/err" || fail "server's line is unclear: $(cat "$WORK/err")"
printf '[kiosk]\nid = k\nsite = s\nblok = b\ncache = /tmp/x\n' >"$WORK/badk.ini"
rc=0
"$BIN/siteboard-kiosk" --config "$WORK/badk.ini" --screenshot "$WORK/x.png" >"$WORK/out" 2>"$WORK/err" || rc=$?
[ $rc -ne 0 ] || fail "kiosk accepted a bad config"
[ "$(wc -l <"$WORK/err")" = 1 ] || fail "kiosk said more than one line: $(cat "$WORK/err")"
grep -q "blok" "$WORK/err" || fail "kiosk's line is unclear: $(cat "$WORK/err")"
rc=0
"$BIN/siteboard-server" --config "$WORK/missing.ini" 2>"$WORK/err" || rc=$?
[ $rc -ne 0 ] && [ "$(wc -l <"$WORK/err")" = 1 ] || fail "missing config: rc $rc, $(cat "$WORK/err")"
echo "PASS: $TEST_NAME"
