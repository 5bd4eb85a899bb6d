#!/bin/sh
# The incident, live, over IPv4 and IPv6 at once: healthy traffic gives
# no alert; the DNS service stops and the kernel answers every query
# with ICMP port unreachable -> a failing alert per resolver within
# seconds (fast path: fast_window, 2 s, plus slack for the journal),
# every contract field right; the service returns -> a recovered alert
# within seconds too.  SIGUSR1 logs statistics, SIGTERM stops promptly with
# a final "stopping:" entry, all read back from a real journald.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/netns.sh"

netns_setup journal
daemon_conf
check "responder answers on $RES4 and $RES6" resp_start
check "dnsreachd watches $VETH_GW" daemon_start
load_start "$RES4" 20
load_start "$RES6" 20

# ---- healthy: 20 queries a second to each, all answered ----
sleep 5
kill -USR1 "$DAEMON_PID"
check "SIGUSR1: a statistics entry in the journal" \
    wait_for 5 sh -c "journalctl --sync 2>/dev/null; journalctl --no-pager \
    -o cat SYSLOG_IDENTIFIER=dnsreachd _PID=$DAEMON_PID 2>/dev/null |
    grep -q '^statistics: '"
daemon_log >"$NS_TMP/stats.json"
jfield MESSAGE <"$NS_TMP/stats.json" >"$NS_TMP/stats.txt"
check "SIGUSR1: $RES4 counted with answers" \
    grep -Eq "^resolver $RES4: [1-9][0-9]* queries, [1-9][0-9]* responses, 0 unreachable" \
    "$NS_TMP/stats.txt"
check "SIGUSR1: $RES6 counted with answers" \
    grep -Eq "^resolver $RES6: [1-9][0-9]* queries, [1-9][0-9]* responses, 0 unreachable" \
    "$NS_TMP/stats.txt"
check "SIGUSR1: answer times p50/p95/p99 in the resolver's line" \
    grep -Eq "^resolver $RES4: .* answers p50/p95/p99 [0-9.]+/[0-9.]+/[0-9.]+ ms, [0-9]+ alerts" \
    "$NS_TMP/stats.txt"
sleep 4
n=$(alerts failing | grep -c .)
check "healthy traffic for 9 s: no alert ($n)" [ "$n" = 0 ]

# ---- outage: nothing listens on port 53 any more ----
t0=$(now_ms)
resp_stop
if wait_for 5 seen failing "$RES4"; then
	ok "$RES4 failing alert $(($(now_ms) - t0)) ms after the outage began"
else
	not_ok "$RES4 failing alert within 5 s"
fi
check "$RES6 failing alert within 5 s" \
    wait_for $((6 - ($(now_ms) - t0) / 1000)) seen failing "$RES6"

# A query in the responder's socket buffer when it stopped gets no answer
# and no ICMP error: a timeout or two may join the ICMP port unreachables.
MSG_TAIL='failing: [0-9]+ of [0-9]+ DNS queries in the last [0-9.]+ s (got ICMP port unreachable \([0-9]+%\)|failed \([0-9]+%\): port unreachable \([0-9]+\), no answer \([0-9]\)), e\.g\. q[0-9]+\.t[0-9]+\.example\.com .* DNS service not listening on [0-9a-f.:]+ \(the host is up and says port 53 is closed\)$'
alerts failing DNSREACH_RESOLVER="$RES4" >"$NS_TMP/f4.json"
jcheck "IPv4 failing alert: every contract field, cause service-not-listening" \
    failing 1 DNSREACH_RESOLVER="$RES4" DNSREACH_INTERFACE="$VETH_GW" \
    DNSREACH_CAUSE=service-not-listening DNSREACH_THRESHOLD=0.900 \
    DNSREACH_DETECTOR=fast DNSREACH_CLIENTS_MIN=1 \
    DNSREACH_ICMP_FROM=203.0.113.2 DNSREACH_ICMP_HOPS=0 \
    DNSREACH_UNREACHABLE_MIN=1 "MESSAGE=^resolver 203\\.0\\.113\\.2 $MSG_TAIL" \
    <"$NS_TMP/f4.json"
q=$(jfield DNSREACH_SAMPLE_QNAME <"$NS_TMP/f4.json")
check "IPv4 sample qname \"$q\" is a name the client asked" \
    sh -c "echo '$q' | grep -Eqx 'q[0-9]+\\.$QNAME_SUFFIX'"

alerts failing DNSREACH_RESOLVER="$RES6" >"$NS_TMP/f6.json"
jcheck "IPv6 failing alert: every contract field, cause service-not-listening" \
    failing 1 DNSREACH_RESOLVER=2001:db8::2 DNSREACH_INTERFACE="$VETH_GW" \
    DNSREACH_CAUSE=service-not-listening DNSREACH_CLIENTS_MIN=1 \
    DNSREACH_UNREACHABLE_MIN=1 \
    "MESSAGE=^resolver 2001:db8::2 $MSG_TAIL" \
    <"$NS_TMP/f6.json"
q=$(jfield DNSREACH_SAMPLE_QNAME <"$NS_TMP/f6.json")
check "IPv6 sample qname \"$q\" is a name the client asked" \
    sh -c "echo '$q' | grep -Eqx 'q[0-9]+\\.$QNAME_SUFFIX'"

# ---- recovery: the service is back ----
resp_start
t0=$(now_ms)
if wait_for 8 seen recovered "$RES4"; then
	ok "$RES4 recovered alert $(($(now_ms) - t0)) ms after the service returned"
else
	not_ok "$RES4 recovered alert within 8 s"
fi
check "$RES6 recovered alert" wait_for 4 seen recovered "$RES6"
alerts recovered >"$NS_TMP/r.json"
jcheck "recovered alerts: every contract field, one per resolver" \
    recovered 2 DNSREACH_INTERFACE="$VETH_GW" DNSREACH_CAUSE=none \
    'MESSAGE=^resolver (203\.0\.113\.2|2001:db8::2) recovered: ' \
    <"$NS_TMP/r.json"
n=$(alerts failing | grep -c .)
check "one failing alert per resolver, no flapping ($n)" [ "$n" = 2 ]

# ---- SIGTERM: a prompt, clean exit with the final statistics ----
t0=$(now_ms)
daemon_stop
st=$?
dt=$(($(now_ms) - t0))
check "SIGTERM: exit status 0 ($st)" [ "$st" = 0 ]
check "SIGTERM: gone within 2 s ($dt ms)" [ "$dt" -lt 2000 ]
daemon_log >"$NS_TMP/stop.json"
check "SIGTERM: a final \"stopping:\" entry in the journal" \
    grep -q '"MESSAGE":"stopping: [0-9]* packets' "$NS_TMP/stop.json"
jfield MESSAGE <"$NS_TMP/stop.json" | sed -n '/^stopping: /,$p' \
    >"$NS_TMP/stop.txt"
check "SIGTERM: the final statistics name both resolvers and their alerts" \
    sh -c "grep -q '^resolver $RES4: .* 1 alerts$' $NS_TMP/stop.txt &&
    grep -q '^resolver $RES6: .* 1 alerts$' $NS_TMP/stop.txt"
finish
