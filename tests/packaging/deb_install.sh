#!/bin/sh
# SPDX-License-Identifier: MIT
# Build the .deb packages of this build folder with CPack, install them with
# dpkg -i on this machine, run the server unit's ExecStart as the packaged
# user with the packaged config (no systemd here: setpriv), check that it
# answers HTTP, then purge everything and check nothing is left. Changes the
# machine, so it needs root and cleans up after itself (also after a failed
# run); skipped (77) when not root.
# Usage: deb_install.sh SRC BUILD_DIR WORKDIR
set -eu
src=$1 build=$2 dir=$3
pkgs="siteboard-server siteboard-kiosk siteboard-sensord siteboard-tools"
pid=""

[ "$(id -u)" -eq 0 ] || { echo "SKIP: needs root"; exit 77; }
command -v dpkg-shlibdeps >/dev/null || { echo "FAIL: dpkg-dev missing" >&2; exit 1; }

purge() {
	# shellcheck disable=SC2086
	dpkg --purge $pkgs >"$dir/purge.log" 2>&1 || { cat "$dir/purge.log" >&2; return 1; }
}
cleanup() {
	rc=$?
	[ -z "$pid" ] || kill "$pid" 2>/dev/null || true
	purge || true
	exit $rc
}
fail() { echo "FAIL: $*" >&2; exit 1; }

rm -rf "$dir"
mkdir -p "$dir"
purge # a previous run that died half-way
trap cleanup EXIT INT TERM

(cd "$build" && cpack -G DEB -B "$dir/out" >"$dir/cpack.log" 2>&1) ||
	{ cat "$dir/cpack.log" >&2; fail "cpack"; }
for p in $pkgs; do
	deb=$(ls "$dir"/out/"$p"_*.deb 2>/dev/null | head -n 1)
	[ -n "$deb" ] || fail "no package $p"
	dpkg-deb -f "$deb" Depends | grep -q libc6 || fail "$p: no shlibdeps Depends"
done
dpkg-deb -f "$dir"/out/siteboard-server_*.deb Depends | grep -q libmosquitto1 ||
	fail "server package does not depend on libmosquitto1"
dpkg -i "$dir"/out/*.deb >"$dir/install.log" 2>&1 || { cat "$dir/install.log" >&2; fail "dpkg -i"; }

getent passwd siteboard >/dev/null || fail "no siteboard user"
[ "$(stat -c %U:%a /var/lib/siteboard)" = siteboard:750 ] || fail "state folder owner/mode"
[ "$(stat -c %U:%G:%a /etc/siteboard/server.ini)" = root:siteboard:640 ] ||
	fail "server.ini owner/mode: $(stat -c %U:%G:%a /etc/siteboard/server.ini)"
dpkg-query -W -f='${Conffiles}\n' siteboard-server | grep -q /etc/siteboard/server.ini ||
	fail "server.ini is not a conffile"
# the broker's settings as a conffile drop-in, exactly as shipped, and the
# (empty) password file and ACL they name, readable by the broker
cmp -s /etc/mosquitto/conf.d/siteboard.conf "$src/packaging/mosquitto.conf" ||
	fail "/etc/mosquitto/conf.d/siteboard.conf is not packaging/mosquitto.conf"
dpkg-query -W -f='${Conffiles}\n' siteboard-server | grep -q /etc/mosquitto/conf.d/siteboard.conf ||
	fail "conf.d/siteboard.conf is not a conffile"
for f in passwd acl; do
	grep -q "^password_file /etc/mosquitto/siteboard/passwd\$" /etc/mosquitto/conf.d/siteboard.conf ||
		fail "drop-in does not name /etc/mosquitto/siteboard/passwd"
	[ -f /etc/mosquitto/siteboard/$f ] || fail "no /etc/mosquitto/siteboard/$f"
	[ "$(stat -c %U:%a /etc/mosquitto/siteboard/$f)" = siteboard:640 ] ||
		fail "/etc/mosquitto/siteboard/$f owner/mode: $(stat -c %U:%a /etc/mosquitto/siteboard/$f)"
done
for f in /lib/systemd/system/siteboard-server.service /lib/systemd/system/siteboard-kiosk.service \
	/lib/systemd/system/siteboard-sensord.service /usr/bin/siteboardctl /usr/bin/siteboard-noise; do
	[ -e "$f" ] || fail "missing $f"
done

# the admin's edit: a port of our own, so that parallel tests do not collide
port=$((20000 + $$ % 9000))
sed -i "s|^#http = .*|http = 127.0.0.1:$port|" /etc/siteboard/server.ini
exec_start=$(sed -n 's/^ExecStart=//p' /lib/systemd/system/siteboard-server.service)
# shellcheck disable=SC2086
setpriv --reuid=siteboard --regid=siteboard --init-groups --no-new-privs \
	sh -c "cd /var/lib/siteboard && exec $exec_start" >"$dir/server.log" 2>&1 &
pid=$!
ok=""
for _ in $(seq 1 100); do
	code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/v1/blocks" || true)
	if [ "$code" = 401 ]; then ok=1; break; fi
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.1
done
[ -n "$ok" ] || { cat "$dir/server.log" >&2; fail "the packaged server did not answer (last: $code)"; }
[ "$(stat -c %U /var/lib/siteboard/server.db)" = siteboard ] || fail "database not owned by siteboard"
kill "$pid"
wait "$pid" || fail "server did not exit 0 on SIGTERM"
pid=""

trap - EXIT INT TERM
purge || fail "purge"
getent passwd siteboard >/dev/null && fail "user left after purge"
[ ! -e /var/lib/siteboard ] || fail "/var/lib/siteboard left after purge"
[ ! -e /etc/siteboard ] || fail "/etc/siteboard left after purge"
[ ! -e /etc/mosquitto/siteboard ] || fail "/etc/mosquitto/siteboard left after purge"
[ ! -e /etc/mosquitto/conf.d/siteboard.conf ] || fail "conf.d/siteboard.conf left after purge"
echo "ok"
