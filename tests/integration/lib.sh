# SPDX-License-Identifier: MIT
# Shared helpers for integration tests: real processes on loopback, free ports,
# a private Mosquitto, the server with a fresh SQLite file, and clean-up of
# everything started, whatever way the test ends. Sourced, not run.
#
# A test calls it_setup first; $BIN is the build directory's bin folder,
# $WORK a fresh folder that is removed at exit unless the test failed.

set -euo pipefail

BIN=${SITEBOARD_BIN:?set SITEBOARD_BIN to the folder holding the built programs}
SRC=${SITEBOARD_SRC:?set SITEBOARD_SRC to the source tree}
PIDS=()
TEST_NAME=$(basename "$0" .sh)

fail() {
	echo "FAIL: $TEST_NAME: $*" >&2
	exit 1
}

log() { echo "--- $TEST_NAME: $*" >&2; }

it_cleanup() {
	local rc=$?
	local p
	for p in "${PIDS[@]}"; do
		kill "$p" 2>/dev/null || true
	done
	for p in "${PIDS[@]}"; do
		wait "$p" 2>/dev/null || true
	done
	if [ $rc -ne 0 ]; then
		echo "test work folder kept: $WORK" >&2
		for f in "$WORK"/*.log; do
			[ -f "$f" ] || continue
			echo "===== $f (last 40 lines)" >&2
			tail -n 40 "$f" >&2
		done
	else
		rm -rf "$WORK"
	fi
	exit $rc
}

it_setup() {
	WORK=$(mktemp -d "/tmp/sb-$TEST_NAME-XXXXXX")
	trap it_cleanup EXIT
	trap 'exit 130' INT TERM
}

# A TCP port on 127.0.0.1 that nothing listens on now. Chosen below the
# kernel's ephemeral range (32768 and up), where outgoing connections take
# their local ports, so that a test's listener never collides with them.
free_port() {
	local p
	for _ in $(seq 1 200); do
		p=$((10000 + RANDOM % 22000))
		if ! (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null; then
			echo "$p"
			return 0
		fi
	done
	fail "no free port found"
}

# wait_for SECONDS DESCRIPTION COMMAND...: poll until COMMAND succeeds.
wait_for() {
	local secs=$1 what=$2
	shift 2
	local deadline=$((SECONDS + secs))
	until "$@" >/dev/null 2>&1; do
		[ $SECONDS -lt $deadline ] || fail "timed out after ${secs}s waiting for $what"
		sleep 0.1
	done
}

port_open() { (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null; }

# Start a private Mosquitto on a free loopback port: sets MQTT_PORT, MQTT_PID.
# If another test took the port in the meantime, try another one (unless the
# caller fixed MQTT_PORT, as a broker restart does).
start_broker() {
	local fixed=${MQTT_PORT:-} try
	for try in 1 2 3 4 5; do
		MQTT_PORT=${fixed:-$(free_port)}
		cat >"$WORK/mosquitto.conf" <<CONF
listener $MQTT_PORT 127.0.0.1
allow_anonymous true
# Send each board at once: with Nagle on, a board waits ~40 ms behind the kiosk's delayed ACK.
set_tcp_nodelay true
persistence true
user $(id -un)
persistence_location $WORK/
log_dest stderr
CONF
		mosquitto -c "$WORK/mosquitto.conf" >>"$WORK/mosquitto.log" 2>&1 &
		MQTT_PID=$!
		for _ in $(seq 1 100); do
			port_open "$MQTT_PORT" && break
			kill -0 "$MQTT_PID" 2>/dev/null || break
			sleep 0.1
		done
		if port_open "$MQTT_PORT" && kill -0 "$MQTT_PID" 2>/dev/null; then
			PIDS+=("$MQTT_PID")
			return 0
		fi
		kill "$MQTT_PID" 2>/dev/null || true
		wait "$MQTT_PID" 2>/dev/null || true
		[ -z "$fixed" ] || sleep 1
	done
	fail "mosquitto did not start (port $MQTT_PORT); see mosquitto.log"
}

stop_broker() {
	kill "$MQTT_PID" 2>/dev/null || true
	wait "$MQTT_PID" 2>/dev/null || true
}

# Write the server config and make an admin token: sets HTTP_PORT, API, TOKEN.
server_config() {
	HTTP_PORT=${HTTP_PORT:-$(free_port)}
	API="http://127.0.0.1:$HTTP_PORT"
	cat >"$WORK/server.ini" <<CONF
[server]
db = $WORK/server.db
http = 127.0.0.1:$HTTP_PORT
public_url = https://homes.example.org
[mqtt]
host = 127.0.0.1
port = $MQTT_PORT
[site]
id = barton-hill
name = Barton Hill window replacement
contractor = Acme Build Ltd
timezone = Europe/London
CONF
	TOKEN=$("$BIN/siteboard-server" --config "$WORK/server.ini" token new --role admin)
	[ -n "$TOKEN" ] || fail "token new printed nothing"
	export SITEBOARD_TOKEN=$TOKEN SITEBOARD_SERVER=$API
}

start_server() {
	"$BIN/siteboard-server" --config "$WORK/server.ini" >>"$WORK/server.log" 2>&1 &
	SERVER_PID=$!
	PIDS+=("$SERVER_PID")
	wait_for 20 "siteboard-server on port $HTTP_PORT" port_open "$HTTP_PORT"
}

# api METHOD PATH [JSON]: sets STATUS and leaves the answer in $WORK/body.
# Call it directly, not in $(...), or STATUS is lost with the subshell.
api() {
	local method=$1 path=$2 body=${3-}
	local args=(-sS -o "$WORK/body" -w '%{http_code}' -X "$method" -H "Authorization: Bearer $TOKEN")
	if [ -n "$body" ]; then
		args+=(-H 'Content-Type: application/json' --data-binary "$body")
	fi
	STATUS=$(curl "${args[@]}" "$API$path") || STATUS=000
}

# expect_status CODE METHOD PATH [JSON]
expect_status() {
	local code=$1
	shift
	api "$@"
	[ "$STATUS" = "$code" ] || fail "$1 $2: expected $code, got $STATUS: $(head -c 500 "$WORK/body")"
	cat "$WORK/body"
}

# The retained board of a block, as a fresh subscriber sees it.
retained_board() {
	mosquitto_sub -h 127.0.0.1 -p "$MQTT_PORT" -t "siteboard/barton-hill/$1/board" -C 1 -W 5
}

# A kiosk config for block $1 with cache file $2: prints the path.
kiosk_config() {
	local block=$1 cache=$2 ini="$WORK/kiosk-$1.ini"
	cat >"$ini" <<CONF
[mqtt]
host = 127.0.0.1
port = $MQTT_PORT
[kiosk]
id = lobby-1
site = barton-hill
block = $block
cache = $cache
CONF
	echo "$ini"
}

# screenshot INI PNG [W H] [more kiosk flags]
screenshot() {
	local ini=$1 png=$2 w=${3:-1080} h=${4:-1920}
	shift 4 || shift $#
	SDL_VIDEODRIVER=offscreen "$BIN/siteboard-kiosk" --config "$ini" --screenshot "$png" \
		--width "$w" --height "$h" "$@" 2>>"$WORK/kiosk.log"
}

# OCR text of a PNG, upscaled for tesseract; lower-cased, spaces squeezed.
ocr() {
	tesseract "$1" - --psm 3 2>/dev/null | tr 'A-Z' 'a-z' | tr -s ' \t' ' '
}

# The QR code(s) in a PNG, decoded by zbarimg.
qr() {
	zbarimg -q --raw "$1" 2>/dev/null
}

# expect_ocr PNG TEXT...: every TEXT (case-insensitive) is read from the image.
expect_ocr() {
	local png=$1 text t
	shift
	text=$(ocr "$png")
	for t in "$@"; do
		t=$(printf '%s' "$t" | tr 'A-Z' 'a-z')
		grep -qF -- "$t" <<<"$text" || fail "OCR of $(basename "$png") did not read '$t'; it read: $(tr '\n' '|' <<<"$text" | head -c 1500)"
	done
}
