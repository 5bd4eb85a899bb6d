#!/bin/sh
# A firewall in front of the resolver rejects DNS with ICMP (and ICMPv6)
# "administratively prohibited" while the service itself runs: the
# alerts blame the firewall, not the service; the rule goes, the alerts
# clear.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/netns.sh"

netns_setup journal
if ! have_nft; then
	skip "$(basename "$0"): no nftables in the resolver namespace"
	finish
	exit 0
fi
daemon_conf
check "responder answers on $RES4 and $RES6" resp_start
check "dnsreachd watches $VETH_GW" daemon_start
load_start "$RES4" 20
load_start "$RES6" 20
sleep 3

t0=$(now_ms)
check "nft rule: reject udp dport 53 with admin-prohibited" res_firewall reject
if wait_for 12 seen failing "$RES4"; then
	ok "$RES4 failing alert $(($(now_ms) - t0)) ms after the rule went in"
else
	not_ok "$RES4 failing alert within window + 2 s"
fi
check "$RES6 failing alert within window + 2 s" \
    wait_for $((13 - ($(now_ms) - t0) / 1000)) seen failing "$RES6"
alerts failing DNSREACH_RESOLVER="$RES4" >"$NS_TMP/f4.json"
jcheck "IPv4: cause blocked-by-firewall, every contract field" \
    failing 1 DNSREACH_RESOLVER="$RES4" DNSREACH_CAUSE=blocked-by-firewall \
    DNSREACH_UNREACHABLE_MIN=1 DNSREACH_CLIENTS_MIN=1 \
    'MESSAGE=^resolver 203\.0\.113\.2 failing: .*(got ICMP administratively prohibited|ICMP unreachable).* blocked by a firewall on [0-9a-f.:]+ itself \(its own firewall rejects port 53\)$' \
    <"$NS_TMP/f4.json"
alerts failing DNSREACH_RESOLVER="$RES6" >"$NS_TMP/f6.json"
jcheck "IPv6: cause blocked-by-firewall, every contract field" \
    failing 1 DNSREACH_RESOLVER="$RES6" DNSREACH_CAUSE=blocked-by-firewall \
    DNSREACH_UNREACHABLE_MIN=1 DNSREACH_CLIENTS_MIN=1 \
    'MESSAGE=^resolver 2001:db8::2 failing: .* blocked by a firewall on [0-9a-f.:]+ itself \(its own firewall rejects port 53\)$' \
    <"$NS_TMP/f6.json"

t0=$(now_ms)
check "nft rule removed" res_firewall none
if wait_for 14 seen recovered "$RES4"; then
	ok "$RES4 recovered alert $(($(now_ms) - t0)) ms after the rule went"
else
	not_ok "$RES4 recovered alert within window + 4 s"
fi
check "$RES6 recovered alert" wait_for 4 seen recovered "$RES6"
alerts recovered >"$NS_TMP/r.json"
jcheck "recovered alerts: every contract field" recovered 2 \
    DNSREACH_CAUSE=none <"$NS_TMP/r.json"
finish
