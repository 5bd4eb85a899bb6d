#!/bin/sh
# SIGHUP while the capture is down: the daemon tries the capture at once
# and the engine learns it is back at once, not when the retry timer
# fires (after a few losses that timer is 8, 16, ... 60 s away).  Two
# ways: the interface comes back and SIGHUP says "try now"; the
# configuration moves to another interface that is there.  Each time an
# outage right after the SIGHUP must give its alert within the fast
# path's time, which an engine still thinking the capture down (no data,
# no judgement) would not give.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/netns.sh"

netns_setup
check "responder answers on $RES4" resp_start "$RES4"
METRICS=127.0.0.1:9754
daemon_conf "interface=$VETH_GW" "metrics_listen=$METRICS"
# Not daemon_start: its -i would pin the interface over the file's.
start() {
	: >"$NS_TMP/daemon.err"
	ip netns exec "$NS_GW" "$DNSREACHD" --foreground --alerts stderr \
	    -c "$NS_CONF" >/dev/null 2>>"$NS_TMP/daemon.err" &
	DAEMON_PID=$!
	NS_PIDS="$NS_PIDS $DAEMON_PID"
	wait_for 5 grep -q 'watching DNS on' "$NS_TMP/daemon.err"
}
check "dnsreachd watches $VETH_GW" start
load_start "$RES4" 20
sleep 2

capture_up() {
	ip netns exec "$NS_GW" python3 -c '
import sys, urllib.request
t = urllib.request.urlopen("http://%s/metrics" % sys.argv[1], timeout=3).read()
for l in t.decode().splitlines():
    if l.startswith("dnsreach_capture_up "):
        print(l.split()[1])' "$METRICS"
}

# lose: delete the capture interface and wait for the back-off to grow
# past 7 s (retries 1, 3 and 7 s after the loss: the next at 15 s).
lose() {
	ip -n "$NS_GW" link del "$VETH_GW"
	wait_for 3 grep -q "capture on $VETH_GW lost" "$NS_TMP/daemon.err" ||
	    return 1
	sleep 7.5
	[ "$(capture_up)" = 0 ]
}

# ---- 1: the interface is back; SIGHUP, same configuration ----
check "interface deleted: capture lost, capture_up 0, back-off past 7 s" lose
resp_stop		# the outage starts as the capture comes back
netns_link && netns_wait_link
n=$(grep -c "capturing on $VETH_GW" "$NS_TMP/daemon.err")
t0=$(now_ms)
kill -HUP "$DAEMON_PID"
check "SIGHUP: the capture reopens at once" \
    wait_for 2 sh -c "[ \$(grep -c 'capturing on $VETH_GW' \
    $NS_TMP/daemon.err) -gt $n ]"
check "SIGHUP: capture_up reads 1" [ "$(capture_up)" = 1 ]
load_stop
load_start "$RES4" 20
# The fast path needs 2 s of failures; the retry timer was 8 s away.
if wait_for 10 seen failing "$RES4"; then
	dt=$(($(now_ms) - t0))
	check "outage after SIGHUP: failing alert $dt ms after it (want < 4.5 s)" \
	    [ "$dt" -lt 4500 ]
else
	not_ok "outage after SIGHUP: no failing alert within 10 s"
fi
resp_start "$RES4"
check "recovered" wait_for 14 seen recovered "$RES4"
load_stop

# ---- 2: down again; the configuration moves to another interface ----
ALT_GW=drh$NS_ID
ALT_RES=drs$NS_ID
ip -n "$NS_GW" link add "$ALT_GW" type veth peer name "$ALT_RES" \
    netns "$NS_RES"
ip -n "$NS_GW" addr add 198.51.100.1/24 dev "$ALT_GW"
ip -n "$NS_RES" addr add 198.51.100.2/24 dev "$ALT_RES"
ip -n "$NS_GW" link set "$ALT_GW" up
ip -n "$NS_RES" link set "$ALT_RES" up
wait_for 5 link_up "$NS_RES" "$ALT_RES"
load_start "$RES4" 20
sleep 2
check "interface deleted again: lost, capture_up 0" lose
daemon_conf "interface=$ALT_GW" "metrics_listen=$METRICS"
load_stop
# Nothing listens on 198.51.100.2: the outage is there from the start.
load_start 198.51.100.2 20
t0=$(now_ms)
kill -HUP "$DAEMON_PID"
check "SIGHUP to $ALT_GW: capturing on it at once" \
    wait_for 2 grep -q "capturing on $ALT_GW" "$NS_TMP/daemon.err"
check "SIGHUP to $ALT_GW: capture_up reads 1" [ "$(capture_up)" = 1 ]
if wait_for 10 grep -q "dnsreachd\\[$ALT_GW\\]: resolver 198.51.100.2 failing" \
    "$NS_TMP/daemon.err"; then
	dt=$(($(now_ms) - t0))
	check "outage on $ALT_GW: failing alert $dt ms after SIGHUP (want < 4.5 s)" \
	    [ "$dt" -lt 4500 ]
else
	not_ok "outage on $ALT_GW: no failing alert within 10 s of SIGHUP"
fi
check "SIGTERM: exit 0" daemon_stop
finish
