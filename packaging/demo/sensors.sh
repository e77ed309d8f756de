#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The demo's sensors: siteboard-sensord with a simulated working day at
# barton-hill/tower-a, called by packaging/demo/run once broker and server are up.
#   - gate-1 (site_access): opened at 07:40, before hours; in and out all day
#   - store-1 (secure_store): opened at 08:15 and left open after 17:00
#   - noise-1: a WAV of site noise replayed as fast as possible from 07:00,
#     loud (~67 dB) until 07:05, before hours, then quiet
# Times are today in Europe/London (SITEBOARD_DEMO_DAY=YYYY-MM-DD for another
# day). Events already past are sent at once, so breaches appear immediately;
# later ones are sent when their time comes.
# Registers the sensors with the server when SITEBOARD_SERVER and
# SITEBOARD_TOKEN are set. Runs sensord in the foreground (exec): kill this
# script's pid to stop it.
#
# usage: sensors.sh MQTT_PORT DEMO_DIR BIN_DIR
set -euo pipefail

port=${1:?usage: sensors.sh MQTT_PORT DEMO_DIR BIN_DIR}
dir=${2:?usage: sensors.sh MQTT_PORT DEMO_DIR BIN_DIR}
bin=${3:?usage: sensors.sh MQTT_PORT DEMO_DIR BIN_DIR}
day=${SITEBOARD_DEMO_DAY:-$(TZ=Europe/London date +%F)}
mkdir -p "$dir"

# UTC RFC 3339 of a London wall-clock time on the demo day.
at() { date -u -d "@$(TZ=Europe/London date -d "$day $1" +%s)" +%FT%TZ; }

if [ -n "${SITEBOARD_SERVER:-}" ] && [ -n "${SITEBOARD_TOKEN:-}" ]; then
	reg() {
		curl -sS -o /dev/null -X POST -H "Authorization: Bearer $SITEBOARD_TOKEN" \
			-H 'Content-Type: application/json' --data-binary "$1" \
			"$SITEBOARD_SERVER/api/v1/sensors" || true
	}
	reg '{"id":"gate-1","block":"tower-a","kind":"door","role":"site_access","location":"Site gate, rear car park"}'
	reg '{"id":"store-1","block":"tower-a","kind":"door","role":"secure_store","location":"Bulky waste store"}'
	reg '{"id":"noise-1","block":"tower-a","kind":"noise","role":"noise","location":"Ground floor lobby"}'
fi

# Ten minutes of site noise at 16 kHz (about 19 MB): loud, then quiet.
wav=$dir/site-noise.wav
"$bin/sensord_gen_wav" "$wav" 16000 300:-53:noise 300:-76:noise

cat >"$dir/sensord.ini" <<CONF
[mqtt]
host = 127.0.0.1
port = $port
client_id = siteboard-demo-sensord
[sensord]
site = barton-hill
block = tower-a
id = gw-demo
queue = $dir/sensord-queue.db
[door:gate-1]
input = script
[door:store-1]
input = script
[noise:noise-1]
input = wav
file = $wav
realtime = false
start = $(at 07:00)
period_s = 60
cal_db = 120
CONF

# The day's door events, in time order: past ones at once, future ones on time.
events=(
	"07:40 gate-1 open" "07:44 gate-1 closed"
	"08:02 gate-1 open" "08:15 store-1 open" "08:20 gate-1 closed"
	"12:30 gate-1 open" "12:34 gate-1 closed"
	"13:05 gate-1 open" "16:55 gate-1 closed"
)
now=$(date +%s)
prev=$now
for e in "${events[@]}"; do
	read -r hhmm sensor state <<<"$e"
	t=$(TZ=Europe/London date -d "$day $hhmm" +%s)
	if [ "$t" -gt "$prev" ]; then
		printf '{"sleep_ms":%d}\n' $(((t - prev) * 1000))
		prev=$t
	fi
	printf '{"sensor":"%s","state":"%s","ts":"%s"}\n' "$sensor" "$state" "$(at "$hhmm")"
done >"$dir/door-events.jsonl"

exec "$bin/siteboard-sensord" --config "$dir/sensord.ini" <"$dir/door-events.jsonl"
