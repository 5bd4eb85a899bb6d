#!/bin/sh
# Links that are not Ethernet, tried as a new user would: "dnsreachd -i
# any" (Linux cooked capture, as PPP is captured too), a tun device
# standing in for WireGuard's wg0 (raw IP) and a point-to-point tun like
# a PPP link's ppp0 (raw IP).  Each must start with the default filter
# (whose VLAN part libpcap refuses on these links: it is only for
# Ethernet) and catch an outage; --check-config -i IF must judge a filter
# against the link type IF really has.  The tun "resolvers" are a small
# program that answers every DNS query with ICMP port unreachable.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/netns.sh"

HELPERS=$TESTS_DIR/e2e/helpers.py

netns_setup
daemon_conf
TUN=drt$NS_ID
PPP=drp$NS_ID

# tun_up NAME: a tun device with a program on it, so its carrier is up.
tun_up() {
	ip -n "$NS_GW" tuntap add dev "$1" mode tun || return 1
	: >"$NS_TMP/$1.log"
	ip netns exec "$NS_GW" python3 "$HELPERS" tun-resolver "$1" \
	    2>"$NS_TMP/$1.log" &
	NS_PIDS="$NS_PIDS $!"
	wait_for 5 grep -q ready "$NS_TMP/$1.log"
}
wg_like() {
	tun_up "$TUN" &&
	    ip -n "$NS_GW" addr add 198.51.100.1/24 dev "$TUN" &&
	    ip -n "$NS_GW" link set "$TUN" up
}
ppp_like() {
	tun_up "$PPP" &&
	    ip -n "$NS_GW" addr add 192.0.2.2 peer 192.0.2.1 dev "$PPP" &&
	    ip -n "$NS_GW" link set "$PPP" up &&
	    ip -n "$NS_GW" route add 198.51.100.53/32 dev "$PPP"
}
check "tun device $TUN (like wg0): 198.51.100.1/24" wg_like
check "point-to-point tun $PPP (like ppp0): 192.0.2.2 peer 192.0.2.1" \
    ppp_like

# check_config IFACE LINKTYPE: the default filter passes, a filter with
# a VLAN test is refused for that link type, and named.
check_config() {
	ip netns exec "$NS_GW" "$DNSREACHD" -c "$NS_CONF" -i "$1" \
	    --check-config >"$NS_TMP/cc.out" 2>&1
	check "--check-config -i $1: the default filter is fine ($?)" \
	    grep -qx 'configuration OK' "$NS_TMP/cc.out"
	ip netns exec "$NS_GW" "$DNSREACHD" -c "$NS_CONF" -i "$1" \
	    -o 'filter=udp port 53 or (vlan and udp port 53)' \
	    --check-config >"$NS_TMP/cc.out" 2>&1
	st=$?
	check "--check-config -i $1: a VLAN filter is refused for $2 (exit $st)" \
	    sh -c "[ $st = 2 ] && grep -q 'link type $2' $NS_TMP/cc.out"
}

# outage IFACE RESOLVER: dnsreachd -i IFACE starts and says RESOLVER is
# failing (nothing answers it but ICMP port unreachable).
outage() {
	: >"$NS_TMP/daemon.err"
	if ! daemon_start -i "$1" --alerts stderr; then
		not_ok "dnsreachd -i $1 starts with the default filter: $(grep -v \
		    '^dnsreachd: dnsreachd' "$NS_TMP/daemon.err" | tail -n 2)"
		ns_kill "$DAEMON_PID"
		ns_forget "$DAEMON_PID"
		return
	fi
	ok "dnsreachd -i $1 starts with the default filter"
	load_start "$2" 20
	if wait_for 10 grep -q "dnsreachd\\[$1\\]: resolver $2 failing: .*not listening" \
	    "$NS_TMP/daemon.err"; then
		ok "-i $1: failing alert for $2, service not listening"
	else
		not_ok "-i $1: no failing alert for $2 within 10 s"
	fi
	load_stop
	check "-i $1: SIGTERM, exit 0" daemon_stop
}

check_config any LINUX_SLL
check_config "$TUN" RAW
check_config "$PPP" RAW
# On Ethernet the default filter keeps its VLAN part, and passes.
ip netns exec "$NS_GW" "$DNSREACHD" -c "$NS_CONF" -i "$VETH_GW" \
    -o 'filter=udp port 53 or (vlan and udp port 53)' --check-config \
    >"$NS_TMP/cc.out" 2>&1
check "--check-config -i $VETH_GW: a VLAN filter is fine on Ethernet" \
    grep -qx 'configuration OK' "$NS_TMP/cc.out"

# "any": the resolver namespace, nothing listening there.
outage any "$RES4"
outage "$TUN" 198.51.100.2
outage "$PPP" 198.51.100.53
finish
