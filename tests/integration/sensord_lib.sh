# SPDX-License-Identifier: MIT
# Helpers shared by the sensord_*.sh integration tests (sourced after lib.sh):
# a sensord config, starting sensord with a given stdin, a subscriber that
# records the sensor topics, and checks on the seqs it saw.

# sensord_config [EXTRA_SECTIONS]: writes $WORK/sensord.ini (door gate-1, script input).
sensord_config() {
	cat >"$WORK/sensord.ini" <<CONF
[mqtt]
host = 127.0.0.1
port = $MQTT_PORT
[sensord]
site = barton-hill
block = tower-a
id = gw-test
queue = $WORK/sensord-queue.db
log_level = debug
[door:gate-1]
input = script
${1-}
CONF
}

# start_sensord STDIN_FILE: sets SENSORD_PID.
start_sensord() {
	"$BIN/siteboard-sensord" --config "$WORK/sensord.ini" <"$1" >>"$WORK/sensord.log" 2>&1 &
	SENSORD_PID=$!
	PIDS+=("$SENSORD_PID")
}

stop_sensord() {
	kill -TERM "$SENSORD_PID" 2>/dev/null || true
	wait "$SENSORD_PID" 2>/dev/null || true
}

# start_sub TOPIC FILE: a persistent QoS 1 subscriber (survives broker restarts).
start_sub() {
	mosquitto_sub -h 127.0.0.1 -p "$MQTT_PORT" -q 1 -c -i "sbtest-$TEST_NAME" -t "$1" -v \
		>>"$2" 2>>"$WORK/sub.log" &
	PIDS+=($!)
	sleep 0.5
}

# seqs FILE: the seq of every message recorded, in arrival order.
seqs() { sed -n 's/.*"seq":\([0-9]*\).*/\1/p' "$1"; }

# distinct_count FILE
distinct_count() { seqs "$1" | sort -un | wc -l; }

# expect_in_order FILE N: seqs 1..N all present, first arrivals in order, nothing else.
expect_in_order() {
	local first
	first=$(seqs "$1" | awk '!seen[$0]++' | tr '\n' ' ')
	[ "$first" = "$(seq -s ' ' 1 "$2") " ] || fail "expected seqs 1..$2 in order, first arrivals were: $first"
}

# The server's events API answers for a sensor (the server side may not exist yet).
server_events() {
	api GET "/api/v1/events?sensor=$1&limit=1000"
}
