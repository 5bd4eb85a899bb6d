#!/bin/sh
# metrics_listen with a literal address binds it, whatever else the host
# has (issue 10.16).  getaddrinfo with AI_ADDRCONFIG, which evhttp used,
# refuses 127.0.0.1 on a host whose only non-loopback address is IPv6,
# and [::1] on one that has only IPv4.  Three network namespaces: only
# lo up; lo and an IPv6-only link; lo and an IPv4-only link.  In each
# the daemon captures on lo and serves both loopback addresses; an
# address the host does not have fails at start with the reason.
. "$(dirname "$0")/../lib.sh"

if [ "$(id -u)" != 0 ]; then
	skip "$(basename "$0"): network namespaces need root"
	finish
	exit 0
fi

ID=$$
NS_LO=drblo-$ID
NS_V6=drb6-$ID
NS_V4=drb4-$ID
PORT=9754
tmp=
pid=
cleanup() {
	trap - EXIT INT TERM
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	for n in "$NS_LO" "$NS_V6" "$NS_V4"; do
		ip netns del "$n" 2>/dev/null
	done
	[ -n "$tmp" ] && rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
tmp=$(mktemp -d)
chmod 755 "$tmp"
DNSREACHD=$(cd "$(dirname "$DNSREACHD")" && pwd)/$(basename "$DNSREACHD")

for n in "$NS_LO" "$NS_V6" "$NS_V4"; do
	if ! ip netns add "$n" 2>"$tmp/netns.err"; then
		skip "$(basename "$0"): ip netns add failed" \
		    "($(head -n 1 "$tmp/netns.err"))"
		finish
		exit 0
	fi
	ip -n "$n" link set lo up
done
# A veth pair inside the namespace, one end with the one address.
ip -n "$NS_V6" link add v0 type veth peer name v1 &&
    ip -n "$NS_V6" link set v0 up && ip -n "$NS_V6" link set v1 up &&
    ip -n "$NS_V6" addr add 2001:db8::5/64 dev v0 nodad
check "an IPv6-only namespace" sh -c "! ip -n $NS_V6 -4 addr show |
    grep -v ' 127\\.' | grep -q inet && ip -n $NS_V6 -6 addr show |
    grep -q 2001:db8::5"
ip -n "$NS_V4" link add v0 type veth peer name v1 &&
    ip -n "$NS_V4" link set v0 up && ip -n "$NS_V4" link set v1 up &&
    ip -n "$NS_V4" addr add 192.0.2.5/24 dev v0
ip netns exec "$NS_V4" sysctl -qw net.ipv6.conf.v0.disable_ipv6=1 \
    net.ipv6.conf.v1.disable_ipv6=1
check "an IPv4-only namespace" sh -c "! ip -n $NS_V4 -6 addr show |
    grep -v ' ::1/' | grep -q inet6 && ip -n $NS_V4 -4 addr show |
    grep -q 192.0.2.5"

# serve NS LISTEN URL: the daemon in NS serves URL.
serve() {
	printf 'metrics_listen = %s\nuser = nobody\n' "$2" >"$tmp/conf"
	chmod 644 "$tmp/conf"
	: >"$tmp/err"
	ip netns exec "$1" "$DNSREACHD" -c "$tmp/conf" -i lo --foreground \
	    --alerts stderr 2>"$tmp/err" &
	pid=$!
	_r=1
	if wait_for 5 grep -q "watching DNS on" "$tmp/err" &&
	    ip netns exec "$1" curl -sf -m 5 -o "$tmp/body" "$3" &&
	    grep -q '^dnsreach_capture_up 1$' "$tmp/body"; then
		_r=0
	fi
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	pid=
	[ $_r = 0 ] || sed 's/^/# /' "$tmp/err"
	return $_r
}

check "only lo: 127.0.0.1 binds and serves" \
    serve "$NS_LO" "127.0.0.1:$PORT" "http://127.0.0.1:$PORT/metrics"
check "only lo: [::1] binds and serves" \
    serve "$NS_LO" "[::1]:$PORT" "http://[::1]:$PORT/metrics"
check "IPv6 only: 127.0.0.1 binds and serves" \
    serve "$NS_V6" "127.0.0.1:$PORT" "http://127.0.0.1:$PORT/metrics"
check "IPv4 only: [::1] binds and serves" \
    serve "$NS_V4" "[::1]:$PORT" "http://[::1]:$PORT/metrics"
check "IPv6 only: its own address binds and serves" \
    serve "$NS_V6" "[2001:db8::5]:$PORT" "http://[2001:db8::5]:$PORT/metrics"
# [::] is IPv6 only, as written: 127.0.0.1 is not served by it.
printf 'metrics_listen = [::]:%s\nuser = nobody\n' "$PORT" >"$tmp/conf"
ip netns exec "$NS_LO" "$DNSREACHD" -c "$tmp/conf" -i lo --foreground \
    --alerts stderr 2>"$tmp/err" &
pid=$!
wait_for 5 grep -q "watching DNS on" "$tmp/err"
check "[::] serves ::1" ip netns exec "$NS_LO" curl -sf -m 5 -o /dev/null \
    "http://[::1]:$PORT/metrics"
check "[::] does not take IPv4" sh -c "! ip netns exec $NS_LO curl -sf \
    -m 2 -o /dev/null http://127.0.0.1:$PORT/metrics"
kill "$pid"
wait "$pid" 2>/dev/null
pid=

# An address the host does not have: exit 1, saying why.
printf 'metrics_listen = 192.0.2.99:%s\nuser = nobody\n' "$PORT" \
    >"$tmp/conf"
ip netns exec "$NS_LO" "$DNSREACHD" -c "$tmp/conf" -i lo --foreground \
    --alerts stderr 2>"$tmp/err"
st=$?
check "an address not on the host: exit status 1 ($st)" [ "$st" = 1 ]
check "an address not on the host: the reason named" \
    grep -q "cannot listen on 192.0.2.99:$PORT: Cannot assign requested address" \
    "$tmp/err"
finish
