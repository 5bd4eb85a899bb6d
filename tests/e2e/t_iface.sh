#!/bin/sh
# The capture interface is deleted under the running daemon and created
# again (same name, same addresses): the daemon says it lost the
# capture, does not spin on the dead handle, reopens by itself on its
# back-off, and alerts on the next outage.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/netns.sh"

netns_setup journal
daemon_conf
check "responder answers on $RES4" resp_start "$RES4"
check "dnsreachd watches $VETH_GW" daemon_start
load_start "$RES4" 20
sleep 2

ip -n "$NS_GW" link del "$VETH_GW"
check "interface deleted: the daemon logs the loss" \
    wait_for 3 grep -q "capture on $VETH_GW lost: " "$NS_TMP/daemon.err"
hz=$(getconf CLK_TCK 2>/dev/null || echo 100)
c0=$(daemon_cpu_ticks)
sleep 3
c1=$(daemon_cpu_ticks)
check "interface gone: CPU time over 3 s stays under 0.5 s ($((c1 - c0)) of $hz ticks/s)" \
    [ $((c1 - c0)) -lt $((hz / 2)) ]
check "interface gone: the daemon keeps running" daemon_alive

t0=$(now_ms)
check "interface created again, same name and addresses" netns_link
netns_wait_link
if wait_for 10 grep -q "capture on $VETH_GW is back" "$NS_TMP/daemon.err"
then
	ok "capture reopened by itself $(($(now_ms) - t0)) ms after the interface came back"
else
	not_ok "capture reopened by itself within 10 s"
fi
daemon_log >"$NS_TMP/log.json"
check "journal: the loss, as a warning" \
    sh -c "grep '\"MESSAGE\":\"capture on $VETH_GW lost: ' $NS_TMP/log.json |
    grep -q '\"PRIORITY\":\"4\"'"
check "journal: the capture is back" \
    grep -q "\"MESSAGE\":\"capture on $VETH_GW is back\"" "$NS_TMP/log.json"
n=$(alerts failing | grep -c .)
check "no alert from the capture gap itself ($n)" [ "$n" = 0 ]

# An outage after the reopen is seen.
t0=$(now_ms)
resp_stop
if wait_for 12 seen failing "$RES4"; then
	ok "failing alert $(($(now_ms) - t0)) ms after an outage on the reopened capture"
else
	not_ok "failing alert within window + 2 s on the reopened capture"
fi
alerts failing >"$NS_TMP/f.json"
jcheck "failing alert after the reopen: every contract field" \
    failing 1 DNSREACH_RESOLVER="$RES4" DNSREACH_CAUSE=service-not-listening \
    <"$NS_TMP/f.json"
finish
