#!/bin/sh
# A NAT gateway: clients in their own namespace reach the resolvers
# through the gateway namespace, which forwards (IPv4 and IPv6) and
# masquerades (nftables, NAT66 too) out of its WAN side.
#
#   drcl-<id> 192.0.2.10 2001:db8:c::10 == drl<id> | drgw-<id> | drg<id> == resolver
#
# The daemon runs on the gateway, capturing on "any", on both interfaces,
# on the LAN side alone and on the WAN side alone.  Whatever it captures
# on, each resolver's queries, responses and ICMP unreachables must equal
# what the clients sent and got: a forwarded packet seen on both sides
# (before and after NAT) is one packet.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/netns.sh"

netns_setup
if ! have_nft; then
	skip "$(basename "$0"): no nftables"
	finish
	exit 0
fi
NS_CL=drcl-$NS_ID
LAN_GW=drl$NS_ID
LAN_CL=drc$NS_ID
NS_MORE=$NS_CL
ip netns add "$NS_CL" || { not_ok "cannot add $NS_CL"; finish; exit 1; }
ip -n "$NS_CL" link set lo up
ip -n "$NS_GW" link add "$LAN_GW" type veth peer name "$LAN_CL" \
    netns "$NS_CL"
ip -n "$NS_GW" addr add 192.0.2.1/24 dev "$LAN_GW"
ip -n "$NS_GW" addr add 2001:db8:c::1/64 dev "$LAN_GW" nodad
ip -n "$NS_CL" addr add 192.0.2.10/24 dev "$LAN_CL"
ip -n "$NS_CL" addr add 2001:db8:c::10/64 dev "$LAN_CL" nodad
ip -n "$NS_GW" link set "$LAN_GW" up
ip -n "$NS_CL" link set "$LAN_CL" up
ip -n "$NS_CL" route add default via 192.0.2.1
ip -n "$NS_CL" -6 route add default via 2001:db8:c::1
ns_gw sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 \
    >/dev/null
ns_gw nft -f - <<EOT
table inet drgw {
	chain post {
		type nat hook postrouting priority srcnat; policy accept;
		oifname "$VETH_GW" masquerade
	}
}
EOT
check "gateway: forwarding, masquerade out of $VETH_GW" \
    sh -c "ip netns exec $NS_GW nft list table inet drgw | grep -q masquerade"
wait_for 5 link_up "$NS_CL" "$LAN_CL"
daemon_conf query_timeout=1s

# client RESOLVER QPS SECONDS: dnsload from the clients' namespace; sets
# SENT and ANSWERED.
client() {
	ip netns exec "$NS_CL" "$DNSLOAD" -s "$1" -r "$2" -d "$3" \
	    -n "$QNAME_SUFFIX" 2>"$NS_TMP/cl-$1.log"
}
client_counts() {
	sed -n 's/.*sent \([0-9]*\) answered \([0-9]*\).*/\1 \2/p' \
	    "$NS_TMP/cl-$1.log"
}

# counts RESOLVER: "queries responses unreachable" from the last
# statistics the daemon logged.
counts() {
	awk -v r="resolver $1:" 'index($0, r) { l = $0 } END { print l }' \
	    "$NS_TMP/daemon.err" | sed -n \
	    's/.*: \([0-9]*\) queries, \([0-9]*\) responses, \([0-9]*\) unreachable .*/\1 \2 \3/p'
}
stats() {
	_n=$(grep -c 'dnsreachd: statistics: ' "$NS_TMP/daemon.err")
	kill -USR1 "$DAEMON_PID"
	wait_for 5 sh -c "[ \$(grep -c 'dnsreachd: statistics: ' \
	    $NS_TMP/daemon.err) -gt $_n ]"
	sleep 0.3
}
twice() {
	grep 'dnsreachd: statistics: ' "$NS_TMP/daemon.err" | tail -n 1 |
	    sed -n 's/.* \([0-9]*\) seen twice).*/\1/p'
}

# trial LABEL IFACES: the daemon on IFACES; answered, then refused.
trial() {
	label=$1 mode=$3
	: >"$NS_TMP/daemon.err"
	resp_start "$RES4" "$RES6" || { not_ok "$label: responder"; return; }
	if ! daemon_start -i "$2"; then
		not_ok "$label: dnsreachd -i $2 did not start: $(tail -n 2 \
		    "$NS_TMP/daemon.err")"
		resp_stop
		return
	fi
	# Answered: queries and responses.
	client "$RES4" 40 3 &
	c4=$!
	client "$RES6" 40 3
	wait "$c4"
	set -- $(client_counts "$RES4") $(client_counts "$RES6")
	s4=$1 a4=$2 s6=$3 a6=$4
	sleep 1
	stats
	set -- $(counts "$RES4")
	check "$label: IPv4 queries $1 = sent $s4, responses $2 = answered $a4" \
	    [ "$1" = "$s4" ] && [ "$2" = "$a4" ] && [ "$s4" -gt 0 ]
	set -- $(counts "$RES6")
	check "$label: IPv6 queries $1 = sent $s6, responses $2 = answered $a6" \
	    [ "$1" = "$s6" ] && [ "$2" = "$a6" ] && [ "$s6" -gt 0 ]
	# Refused: nothing listens, every query gets ICMP port unreachable.
	resp_stop
	client "$RES4" 40 2 &
	c4=$!
	client "$RES6" 40 2
	wait "$c4"
	set -- $(client_counts "$RES4") $(client_counts "$RES6")
	u4=$1 u6=$3
	sleep 1.5
	stats
	set -- $(counts "$RES4")
	check "$label: IPv4 queries $1 = sent $((s4 + u4)), unreachable $3 = $u4" \
	    [ "$1" = "$((s4 + u4))" ] && [ "$3" = "$u4" ]
	set -- $(counts "$RES6")
	check "$label: IPv6 queries $1 = sent $((s6 + u6)), unreachable $3 = $u6" \
	    [ "$1" = "$((s6 + u6))" ] && [ "$3" = "$u6" ]
	t=$(twice)
	case $mode in
	twice)	check "$label: copies were seen and dropped ($t)" \
		    [ "${t:-0}" -gt 0 ] ;;
	*)	check "$label: nothing is seen twice on one interface ($t)" \
		    [ "${t:-x}" = 0 ] ;;
	esac
	daemon_stop
}

trial "any" any twice
trial "both interfaces" "$LAN_GW,$VETH_GW" twice
trial "LAN side" "$LAN_GW" once
trial "WAN side" "$VETH_GW" once

# The control: without the dedup table every forwarded packet counts
# twice on "any", so the counts above do say it works.
: >"$NS_TMP/daemon.err"
resp_start "$RES4"
if daemon_start -i any -o dedup_window=0; then
	client "$RES4" 40 2
	set -- $(client_counts "$RES4")
	s4=$1 a4=$2
	sleep 1
	stats
	set -- $(counts "$RES4")
	check "control, any with dedup_window = 0: queries $1 = 2 x $s4, responses $2 = 2 x $a4" \
	    [ "$1" = "$((2 * s4))" ] && [ "$2" = "$((2 * a4))" ]
	daemon_stop
else
	not_ok "control: dnsreachd -i any did not start"
fi
finish
