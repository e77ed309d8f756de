#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# siteboardctl against the real server: add, list, show, update, remove for
# every resource, and the board it produces.
. "$(dirname "$0")/lib.sh"
it_setup
start_broker
server_config
start_server
ctl() { "$BIN/siteboardctl" "$@"; }

ctl blocks add --id tower-a --name "Tower A" --address "Tower A, Barton Hill" >/dev/null
ctl blocks list | grep -q "tower-a" || fail "blocks list lacks tower-a"
wid=$(ctl -q works add --block tower-a --from 2026-11-30 --to 2026-12-04 --what "Scaffold erection" --noisy yes)
[ -n "$wid" ] || fail "works add -q printed no id"
ctl delays add --block tower-a --works "$wid" --reason "High winds" --new_from 2026-12-07 --new_to 2026-12-11 >/dev/null
nid=$(ctl -q notices add --block tower-a --title "Lift out of service" --priority urgent)
ctl events add --block tower-a --title "Coffee morning" --when 2026-12-02T10:00:00Z --where "Community room" >/dev/null
cid=$(ctl -q contacts add --block tower-a --role "Out of hours emergency" --phone "0117 496 0999")
ctl notices update "$nid" --body "Engineer booked" >/dev/null
ctl notices show "$nid" | grep -q "Engineer booked" || fail "update not shown"
ctl notices list --block tower-a | grep -q "Lift out of service" || fail "notices list"

board=$(ctl board tower-a)
jq -e --arg w "$wid" '.works[0].id==$w and .works[0].noisy==true and .delays[0].works==$w and
  .notices[0].priority=="urgent" and .notices[0].body=="Engineer booked" and
  .events[0].where=="Community room" and .contacts[0].phone=="0117 496 0999"' <<<"$board" >/dev/null ||
	fail "board does not carry what siteboardctl added: $board"

ctl contacts remove "$cid" >/dev/null
[ "$(ctl --json contacts list --block tower-a | jq '.contacts|length')" = 0 ] || fail "contact not removed"

log "errors: exit 1 with the server's reason; usage errors exit 2"
rc=0
ctl notices add --block tower-a --title "x" --from 2026-12-01T00:00:00Z --until 2026-11-01T00:00:00Z 2>"$WORK/err" || rc=$?
[ $rc = 1 ] && grep -q "422" "$WORK/err" || fail "until before from: rc $rc: $(cat "$WORK/err")"
rc=0
ctl notices add --block tower-a --colour red 2>"$WORK/err" || rc=$?
[ $rc = 2 ] || fail "unknown field: rc $rc"
rc=0
SITEBOARD_TOKEN=sbt_nope ctl blocks list 2>"$WORK/err" || rc=$?
[ $rc = 1 ] && grep -q 401 "$WORK/err" || fail "bad token: rc $rc: $(cat "$WORK/err")"
rc=0
ctl --server "http://127.0.0.1:$(free_port)" blocks list 2>"$WORK/err" || rc=$?
[ $rc = 1 ] && grep -q "cannot reach" "$WORK/err" || fail "unreachable server: rc $rc: $(cat "$WORK/err")"
echo "PASS: $TEST_NAME"
