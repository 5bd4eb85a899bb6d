#!/bin/sh
# The Prometheus endpoint, scraped for real: a live daemon on loopback,
# queries to a port 53 where nothing listens (the kernel answers ICMP port
# unreachable), and the counters read back over HTTP; then a reload that
# moves the endpoint.
. "$(dirname "$0")/../lib.sh"

tmp=$(mktemp -d)
pid=
cleanup() {
	[ -n "${KEEP:-}" ] && cat "$tmp/err"
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

if [ "$(id -u)" != 0 ]; then
	skip "metrics test needs root to capture"
	
# A file only root can read: the reload says why it failed, and goes on.
chmod 600 "$tmp/conf"
kill -HUP "$pid"
check "unreadable config on reload: says to make it readable" \
    wait_for 5 grep -q "make the file readable to it" "$tmp/err"
check "unreadable config on reload: still serving" \
    sh -c "python3 -c 'import urllib.request as u; u.urlopen(\"http://127.0.0.1:$port2/metrics\", timeout=2)'"
finish
	exit 0
fi

# The daemon reads it again as nobody on reload.
chmod 755 "$tmp"
port1=$((20000 + $$ % 20000))
port2=$((port1 + 1))
printf 'metrics_listen = 127.0.0.1:%s\nwindow = 10s\nfilter = "udp port 53 or icmp"\n' \
    "$port1" >"$tmp/conf"
"$DNSREACHD" -c "$tmp/conf" -i lo --foreground --alerts stderr \
    2>"$tmp/err" &
pid=$!
check "daemon serves metrics" \
    wait_for 5 grep -q "serving metrics at http://127.0.0.1:$port1/metrics" \
    "$tmp/err"

# fetch URL [METHOD]: prints "STATUS" then the body.
fetch() {
	python3 - "$1" "${2:-GET}" <<'PY'
import sys, urllib.request, urllib.error
req = urllib.request.Request(sys.argv[1], method=sys.argv[2])
try:
    with urllib.request.urlopen(req, timeout=5) as r:
        print(r.status)
        print(r.headers.get("Content-Type"))
        sys.stdout.write(r.read().decode())
except urllib.error.HTTPError as e:
    print(e.code)
PY
}

"$BUILD/tools/dnsload" -s 127.0.0.1 -r 50 -d 2 2>/dev/null
sleep 1.5
fetch "http://127.0.0.1:$port1/metrics" >"$tmp/m1"
check "GET /metrics: 200" [ "$(head -n 1 "$tmp/m1")" = 200 ]
check "Prometheus text content type" \
    grep -q '^text/plain; version=0.0.4' "$tmp/m1"
value() {
	awk -v k="$1" '$1 == k { print $2 }' "$tmp/m1"
}
q=$(value 'dnsreach_resolver_queries_total{resolver="127.0.0.1"}')
u=$(value 'dnsreach_resolver_unreachable_total{resolver="127.0.0.1"}')
check "queries to 127.0.0.1 counted (${q:-none})" [ "${q:-0}" -ge 50 ]
check "ICMP port unreachables counted (${u:-none})" [ "${u:-0}" -ge 50 ]
check "failing gauge is 1" \
    [ "$(value 'dnsreach_resolver_failing{resolver="127.0.0.1"}')" = 1 ]
check "capture is up" [ "$(value dnsreach_capture_up)" = 1 ]
check "every sample line parses" python3 -c '
import re, sys
for l in open(sys.argv[1]).read().splitlines()[2:]:
    if l.startswith("#"):
        continue
    assert re.match(r"^[a-z_]+(\{[a-z_]+=\"[^\"]*\"\})? [0-9.]+$", l), l
' "$tmp/m1"
check "other paths: 404" \
    [ "$(fetch "http://127.0.0.1:$port1/" | head -n 1)" = 404 ]
printf 'metrics_listen = 127.0.0.1:%s\nwindow = 10s\nfilter = "udp port 53 or icmp"\n' \
    "$port2" >"$tmp/conf"
kill -HUP "$pid"
check "reload moves the endpoint" \
    wait_for 5 sh -c "python3 -c 'import urllib.request as u; u.urlopen(\"http://127.0.0.1:$port2/metrics\", timeout=2)' 2>/dev/null"
check "the old endpoint is closed" \
    sh -c "! python3 -c 'import urllib.request as u; u.urlopen(\"http://127.0.0.1:$port1/metrics\", timeout=2)' 2>/dev/null"

# A file only root can read: the reload says why it failed, and goes on.
chmod 600 "$tmp/conf"
kill -HUP "$pid"
check "unreadable config on reload: says to make it readable" \
    wait_for 5 grep -q "make the file readable to it" "$tmp/err"
check "unreadable config on reload: still serving" \
    sh -c "python3 -c 'import urllib.request as u; u.urlopen(\"http://127.0.0.1:$port2/metrics\", timeout=2)'"
finish
