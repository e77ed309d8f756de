# SPDX-License-Identifier: MIT
# Helpers for the web page tests (sourced after lib.sh): staff accounts,
# sign-in with a cookie jar, CSRF tokens read from pages, form posts.

# add_user NAME ROLE PASSWORD [BLOCKS]
add_user() {
	local args=(--config "$WORK/server.ini" user add "$1" --role "$2")
	[ -z "${4-}" ] || args+=(--blocks "$4")
	printf '%s\n' "$3" | "$BIN/siteboard-server" "${args[@]}" || fail "user add $1 failed"
}

# page JAR PATH: GET with the jar; sets STATUS, page in $WORK/page.
page() {
	STATUS=$(curl -sS -b "$1" -c "$1" -o "$WORK/page" -D "$WORK/headers" -w '%{http_code}' "$API$2") || STATUS=000
}

# csrf_of: the first CSRF token in $WORK/page.
csrf_of() {
	grep -o 'name="csrf" value="[^"]*"' "$WORK/page" | head -1 | sed 's/.*value="//; s/"$//'
}

# post JAR PATH [curl data args...]: form POST; sets STATUS, page in $WORK/page.
post() {
	local jar=$1 path=$2
	shift 2
	STATUS=$(curl -sS -b "$jar" -c "$jar" -o "$WORK/page" -D "$WORK/headers" -w '%{http_code}' \
		"$@" "$API$path") || STATUS=000
}

# login JAR NAME PASSWORD: sign in (expects 303 to /staff/).
login() {
	page "$1" /login
	local csrf
	csrf=$(csrf_of)
	[ -n "$csrf" ] || fail "no CSRF token on /login"
	post "$1" /login --data-urlencode "csrf=$csrf" --data-urlencode "username=$2" \
		--data-urlencode "password=$3"
	[ "$STATUS" = 303 ] || fail "sign-in of $2 gave $STATUS"
}

# expect_page CODE: the last page's status.
expect_page() {
	[ "$STATUS" = "$1" ] || fail "expected $1, got $STATUS: $(head -c 600 "$WORK/page")"
}

# page_has TEXT...: every TEXT is in the last page (fixed strings).
page_has() {
	local t
	for t in "$@"; do
		grep -qF -- "$t" "$WORK/page" || fail "page lacks '$t': $(head -c 1500 "$WORK/page")"
	done
}

page_lacks() {
	local t
	for t in "$@"; do
		! grep -qF -- "$t" "$WORK/page" || fail "page has '$t' but must not"
	done
}
