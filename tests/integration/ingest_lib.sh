# SPDX-License-Identifier: MIT
# Helpers of the sensor ingest tests (sourced after lib.sh): the broker as
# the server package installs it (packaging/mosquitto.conf as
# conf.d/siteboard.conf, included from Debian's own mosquitto.conf; only the
# port, the folders and authentication replaced), sensor registration and
# the ingest counters.

start_shipped_broker() {
	local main=/etc/mosquitto/mosquitto.conf
	MQTT_PORT=${MQTT_PORT:-$(free_port)}
	[ -f "$main" ] || fail "$main missing (Debian's mosquitto package)"
	mkdir -p "$WORK/conf.d"
	sed -e "/^pid_file /d" \
	    -e "s|^persistence_location .*|persistence_location $WORK/|" \
	    -e "s|^log_dest .*|log_dest stderr|" \
	    -e "s|^include_dir .*|include_dir $WORK/conf.d|" \
	    "$main" >"$WORK/mosquitto.conf"
	grep -q "^include_dir $WORK/conf.d" "$WORK/mosquitto.conf" || fail "$main has no include_dir"
	echo "user $(id -un)" >>"$WORK/mosquitto.conf"
	sed -e "s|^listener 1883 127.0.0.1\$|listener $MQTT_PORT 127.0.0.1|" \
	    -e "s|^allow_anonymous false|allow_anonymous true|" \
	    -e "/^password_file /d" -e "/^acl_file /d" \
	    -e "/^log_dest syslog/d" \
	    "$SRC/packaging/mosquitto.conf" >"$WORK/conf.d/siteboard.conf"
	grep -q "^listener $MQTT_PORT 127.0.0.1" "$WORK/conf.d/siteboard.conf" ||
		fail "shipped config changed (listener)"
	grep -q "^max_queued_messages 1000000" "$WORK/conf.d/siteboard.conf" ||
		fail "shipped config changed (queue)"
	mosquitto -c "$WORK/mosquitto.conf" >>"$WORK/mosquitto.log" 2>&1 &
	MQTT_PID=$!
	PIDS+=("$MQTT_PID")
	wait_for 10 "mosquitto on port $MQTT_PORT" port_open "$MQTT_PORT"
}

# register_sensors BLOCK N NOISE: lg-0 .. lg-(N-1), the first NOISE of them noise
register_sensors() {
	local block=$1 n=$2 noise=$3 i
	for ((i = 0; i < n; i++)); do
		if [ "$i" -lt "$noise" ]; then
			expect_status 201 POST /api/v1/sensors \
				"{\"id\":\"lg-$i\",\"block\":\"$block\",\"kind\":\"noise\",\"role\":\"noise\"}" >/dev/null
		else
			expect_status 201 POST /api/v1/sensors \
				"{\"id\":\"lg-$i\",\"block\":\"$block\",\"kind\":\"door\",\"role\":\"site_access\"}" >/dev/null
		fi
	done
}

# counter NAME: the ingest counter (0 if absent)
counter() {
	api GET /api/v1/ingest
	[ "$STATUS" = 200 ] || { echo 0; return; }
	jq -r --arg n "$1" '.counters[$n] // 0' "$WORK/body"
}

stored_is() { [ "$(counter stored)" -ge "$1" ]; }

db_count() {
	sqlite3 "$WORK/server.db" "PRAGMA busy_timeout=5000; SELECT COUNT(*) FROM sensor_events;" | tail -n 1
}
