#!/bin/sh
# The Prometheus endpoint, scraped for real: a live daemon on loopback,
# queries to a port 53 where nothing listens (the kernel answers ICMP port
# unreachable), and the counters read back over HTTP and through
# promtool's own checks; the HTTP corners; a reload that moves the
# endpoint; and a daemon out of file descriptors that pauses accepting
# instead of spinning.
. "$(dirname "$0")/../lib.sh"

tmp=$(mktemp -d)
pid=
cleanup() {
	[ -n "${KEEP:-}" ] && cat "$tmp/err" "$tmp/err2" 2>/dev/null
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ "$(id -u)" != 0 ]; then
	skip "metrics test needs root to capture"
	finish
	exit 0
fi
if ! command -v promtool >/dev/null 2>&1; then
	not_ok "promtool is not installed (make check installs prometheus)"
	finish
	exit 1
fi
HOSTILE="python3 $TESTS_DIR/http_hostile.py"

# The daemon reads it again as nobody on reload.
chmod 755 "$tmp"
port1=$((20000 + $$ % 20000))
port2=$((port1 + 1))
conf() {
	printf 'metrics_listen = 127.0.0.1:%s\nwindow = 10s\nfilter = "udp port 53 or icmp"\n' \
	    "$1" >"$tmp/conf"
}
conf "$port1"
"$DNSREACHD" -c "$tmp/conf" -i lo --foreground --alerts stderr \
    2>"$tmp/err" &
pid=$!
check "daemon serves metrics" \
    wait_for 5 grep -q "serving metrics at http://127.0.0.1:$port1/metrics" \
    "$tmp/err"

# fetch URL [METHOD]: prints "STATUS", the content type, then the body.
fetch() {
	curl -s -m 5 -X "${2:-GET}" -o "$tmp/body" \
	    -w '%{http_code}\n%{content_type}\n' "$1"
	cat "$tmp/body" 2>/dev/null
	rm -f "$tmp/body"
}
# up URL: a scrape is answered.
up() {
	curl -sf -m 2 -o /dev/null "$1"
}

"$BUILD/tools/dnsload" -s 127.0.0.1 -r 50 -d 2 2>/dev/null
sleep 1.5
fetch "http://127.0.0.1:$port1/metrics" >"$tmp/m1"
check "GET /metrics: 200" [ "$(head -n 1 "$tmp/m1")" = 200 ]
check "Prometheus text content type" \
    grep -q '^text/plain; version=0.0.4' "$tmp/m1"
sed 1,2d "$tmp/m1" >"$tmp/scrape"
value() {
	awk -v k="$1" '$1 == k { print $2 }' "$tmp/scrape"
}
q=$(value 'dnsreach_resolver_queries_total{resolver="127.0.0.1"}')
u=$(value 'dnsreach_resolver_unreachable_total{resolver="127.0.0.1",code="3"}')
check "queries to 127.0.0.1 counted (${q:-none})" [ "${q:-0}" -ge 50 ]
check "ICMP port unreachables counted under code 3 (${u:-none})" \
    [ "${u:-0}" -ge 50 ]
check "failing gauge is 1" \
    [ "$(value 'dnsreach_resolver_failing{resolver="127.0.0.1"}')" = 1 ]
check "failure ratio is 1" \
    [ "$(value 'dnsreach_resolver_failure_ratio{resolver="127.0.0.1"}')" = 1.000000 ]
check "one failing alert counted" \
    [ "$(value 'dnsreach_alerts_total{kind="failing"}')" = 1 ]
check "capture is up" [ "$(value dnsreach_capture_up)" = 1 ]
check "build_info names the versions" \
    grep -Eq '^dnsreach_build_info\{version="[0-9.]+",libpcap="[0-9][^"]*",libevent="2\.[^"]*"\} 1$' \
    "$tmp/scrape"
st=$(value process_start_time_seconds)
now=$(date +%s)
check "process_start_time_seconds is the start ($st)" \
    [ $((now - ${st%.*})) -ge 0 -a $((now - ${st%.*})) -lt 60 ]
check "no failure_rate any more: failure_ratio" \
    sh -c "! grep -q failure_rate '$tmp/scrape'"
# promtool's parser and its lint (counter names, units, HELP) both pass.
promtool check metrics <"$tmp/scrape" >"$tmp/lint" 2>&1
st=$?
check "promtool check metrics: clean (status $st)" \
    sh -c "[ $st = 0 ] && [ ! -s '$tmp/lint' ]"
[ -s "$tmp/lint" ] && sed 's/^/# /' "$tmp/lint"
check "every sample line parses" python3 -c '
import re, sys
for l in open(sys.argv[1]).read().splitlines():
    if l.startswith("#"):
        continue
    assert re.match(r"^[a-z_][a-z0-9_]*(\{[a-z_]+=\"[^\"]*\"(,[a-z_]+=\"[^\"]*\")*\})? ([0-9.e+-]+|NaN)$", l), l
' "$tmp/scrape"

# The HTTP corners.
check "other paths: 404" \
    [ "$(fetch "http://127.0.0.1:$port1/" | head -n 1)" = 404 ]
check "a query string is fine" \
    [ "$(fetch "http://127.0.0.1:$port1/metrics?x=1" | head -n 1)" = 200 ]
check "POST: 405" \
    [ "$(fetch "http://127.0.0.1:$port1/metrics" POST | head -n 1)" = 405 ]
check "HEAD: 200, a length, no body" sh -c "python3 -c 'import socket
s = socket.create_connection((\"127.0.0.1\", $port1), timeout=5)
s.sendall(b\"HEAD /metrics HTTP/1.1\r\nHost: x\r\n\r\n\")
d = b\"\"
while True:
    b = s.recv(4096)
    if not b:
        break
    d += b
h, _, body = d.partition(b\"\r\n\r\n\")
assert h.startswith(b\"HTTP/1.1 200 \") and b\"Content-Length: \" in h, h
assert body == b\"\", body'"
check "not HTTP: 400" sh -c "printf 'hello there\r\n\r\n' |
    python3 -c 'import socket, sys
s = socket.create_connection((\"127.0.0.1\", $port1), timeout=5)
s.sendall(sys.stdin.buffer.read())
print(s.recv(100).decode().split(\"\r\n\")[0])' | grep -q '^HTTP/1.1 400 '"
# The server stops reading at 8 KiB: the client can fill the kernel's
# buffers, then sees the connection closed, far short of 64 MB.
r=$($HOSTILE huge 127.0.0.1 "$port1" 64)
check "a head of 64 MB: 431, cut off after ${r#*|} bytes" \
    sh -c "echo '$r' | grep -Eq '^HTTP/1.1 431 .*\|[0-9]{1,8}\|closed$'"
check "bare LF line ends are fine" sh -c "python3 -c 'import socket
s = socket.create_connection((\"127.0.0.1\", $port1), timeout=5)
s.sendall(b\"GET /metrics HTTP/1.0\n\n\")
print(s.recv(100).decode().split(\"\r\n\")[0])' | grep -q '^HTTP/1.1 200 '"

conf "$port2"
kill -HUP "$pid"
check "reload moves the endpoint" \
    wait_for 5 up "http://127.0.0.1:$port2/metrics"
check "the old endpoint is closed" \
    sh -c "! curl -sf -m 2 -o /dev/null http://127.0.0.1:$port1/metrics"

# A file only root can read: the reload says why it failed, and goes on.
chmod 600 "$tmp/conf"
kill -HUP "$pid"
check "unreadable config on reload: says to make it readable" \
    wait_for 5 grep -q "make the file readable to it" "$tmp/err"
check "unreadable config on reload: still serving" \
    up "http://127.0.0.1:$port2/metrics"
kill "$pid"
wait "$pid"
pid=

# Out of descriptors: a daemon allowed 20 runs out long before the
# connection cap (16).  accept() fails; the listener must pause, not
# spin, say so once, and serve again when the connections are gone.
chmod 644 "$tmp/conf"
sh -c 'ulimit -n 20 && exec "$@"' sh "$DNSREACHD" -c "$tmp/conf" -i lo \
    --foreground --alerts stderr 2>"$tmp/err2" &
pid=$!
wait_for 5 grep -q "serving metrics" "$tmp/err2"
cpu0=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
$HOSTILE many 127.0.0.1 "$port2" 200 6 >"$tmp/many"
cpu=$(($(awk '{ print $14 + $15 }' "/proc/$pid/stat") - cpu0))
n=$(grep -c "cannot accept connections" "$tmp/err2")
check "EMFILE: said once, not once per try ($n)" [ "$n" = 1 ]
check "EMFILE: the reason is named" grep -q "Too many open files" "$tmp/err2"
check "EMFILE: no spinning, $cpu ticks of CPU in 6 s" [ "$cpu" -lt 50 ]
# The held connections closed; a scrape is served again.
check "EMFILE: served again once they are gone" wait_for 5 \
    up "http://127.0.0.1:$port2/metrics"
sleep 1		# past the shared text's second
e=$(fetch "http://127.0.0.1:$port2/metrics" |
    awk '$1 == "dnsreach_http_accept_errors_total" { print $2 }')
check "EMFILE: counted (${e:-none})" [ "${e:-0}" -ge 1 ]
finish
