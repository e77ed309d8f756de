# SPDX-License-Identifier: MIT
# Helpers for the broker lockdown tests (acl_*.sh): register devices with the
# real siteboard-server, generate passwd/acl with mqtt-acl, and run a private
# Mosquitto that uses them. Sourced after lib.sh, not run.

# acl_server_ini: a server config for site barton-hill with one mapped Zigbee sensor.
acl_server_ini() {
	cat >"$WORK/server.ini" <<INI
[server]
db = $WORK/server.db
[site]
id = barton-hill
name = Barton Hill
[zigbee2mqtt]
gate-1 = door-z1
INI
}

# device_add NAME ARGS...: register a device, keep its password in $WORK/NAME.pw
device_add() {
	local name=$1
	shift
	"$BIN/siteboard-server" --config "$WORK/server.ini" device add "$@" \
		>"$WORK/dev-$name.ini" 2>>"$WORK/server.log" || fail "device add $*"
	sed -n "s/^password = //p" "$WORK/dev-$name.ini" >"$WORK/$name.pw"
	[ -s "$WORK/$name.pw" ] || fail "device add $* printed no password"
}
pw() { cat "$WORK/$1.pw"; }

gen_acl() {
	mkdir -p "$WORK/acl"
	"$BIN/siteboard-server" --config "$WORK/server.ini" mqtt-acl "$WORK/acl" \
		>>"$WORK/server.log" 2>&1 || fail "mqtt-acl"
}

# start_locked_broker [EXTRA_LISTENER_LINES]: Mosquitto with the generated files,
# anonymous refused. Sets MQTT_PORT, MQTT_PID.
start_locked_broker() {
	local extra=${1:-}
	MQTT_PORT=$(free_port)
	cat >"$WORK/mosquitto.conf" <<CONF
per_listener_settings false
allow_anonymous false
password_file $WORK/acl/passwd
acl_file $WORK/acl/acl
set_tcp_nodelay true
user $(id -un)
log_dest stderr
log_type all
listener $MQTT_PORT 127.0.0.1
$extra
CONF
	mosquitto -c "$WORK/mosquitto.conf" >>"$WORK/mosquitto.log" 2>&1 &
	MQTT_PID=$!
	PIDS+=("$MQTT_PID")
	wait_for 10 "mosquitto on $MQTT_PORT" port_open "$MQTT_PORT"
}
