#!/bin/sh
# A firewall that drops DNS without a word: no ICMP at all, only
# queries that never get an answer.  The alert says so (timeouts, cause
# silent-drop) and claims no ICMP error that never came, and it comes
# with a 5 s window and a 3 s query_timeout, where queries still waiting
# for their answer once kept the rate under any threshold.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/netns.sh"

netns_setup journal
if ! have_nft; then
	skip "$(basename "$0"): no nftables in the resolver namespace"
	finish
	exit 0
fi
daemon_conf window=5s query_timeout=3s
check "responder answers on $RES4" resp_start
check "dnsreachd watches $VETH_GW" daemon_start
load_start "$RES4" 20
sleep 3

t0=$(now_ms)
check "nft rule: drop udp dport 53" res_firewall drop
# query_timeout + fast_window + a tick of slack.
if wait_for 7 seen failing "$RES4"; then
	ok "$RES4 failing alert $(($(now_ms) - t0)) ms after the rule went in"
else
	not_ok "$RES4 failing alert within query_timeout + 4 s"
fi
alerts failing >"$NS_TMP/f.json"
jcheck "cause silent-drop by timeouts, no ICMP claimed, every contract field" \
    failing 1 DNSREACH_RESOLVER="$RES4" DNSREACH_CAUSE=silent-drop \
    DNSREACH_UNREACHABLE=0 DNSREACH_TIMEOUTS_MIN=5 DNSREACH_CLIENTS_MIN=1 \
    'MESSAGE=^resolver 203\.0\.113\.2 failing: [0-9]+ of [0-9]+ DNS queries in the last [0-9.]+ s got no answer at all \([0-9]+%\)(, e\.g\. q[0-9]+\.t[0-9]+\.example\.com)? .* silent drop \(server down or firewall dropping\)$' \
    <"$NS_TMP/f.json"
# Names come from the query an ICMP error quotes; a timeout has none, so
# the sample may be empty here, but never a name nobody asked.
q=$(jfield DNSREACH_SAMPLE_QNAME <"$NS_TMP/f.json")
check "sample qname \"$q\" is empty or a name the client asked" \
    sh -c "echo '$q' | grep -Eqx '(q[0-9]+\\.$QNAME_SUFFIX)?'"
finish
