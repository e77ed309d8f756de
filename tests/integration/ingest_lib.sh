# SPDX-License-Identifier: MIT
# Helpers of the sensor ingest tests (sourced after lib.sh): the broker with
# packaging/mosquitto.conf as shipped (only port, persistence folder and
# authentication replaced), sensor registration and the ingest counters.

start_shipped_broker() {
	MQTT_PORT=${MQTT_PORT:-$(free_port)}
	sed -e "s|^listener 1883\$|listener $MQTT_PORT 127.0.0.1|" \
	    -e "s|^persistence_location .*|persistence_location $WORK/|" \
	    -e "s|^allow_anonymous false|allow_anonymous true|" \
	    -e "/^password_file /d" -e "/^acl_file /d" \
	    -e "s|^log_dest syslog|log_dest stderr|" \
	    "$SRC/packaging/mosquitto.conf" >"$WORK/mosquitto.conf"
	echo "user $(id -un)" >>"$WORK/mosquitto.conf"
	grep -q "^max_queued_messages 1000000" "$WORK/mosquitto.conf" || fail "shipped config changed"
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
