#!/bin/sh
# journald stalls under a live outage: stopped (SIGSTOP) with its socket
# queue full, so that any send to it blocks.  The daemon must not wait
# for it: it keeps capturing (no kernel drops, packets keep being
# counted), keeps pinging the watchdog from its loop, shows the failing
# alert on stderr within a second, and once journald runs again (SIGCONT)
# the alert is in the journal exactly once.  The journald stopped is one
# this test started in a mount namespace of its own, never the system's.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/netns.sh"

HELPERS=$TESTS_DIR/e2e/helpers.py

netns_setup own-journal
# A small ring: were the loop to block for long, the kernel would drop.
daemon_conf buffer_size=1M
check "responder answers on $RES4" resp_start "$RES4"

NOTIFY=$NS_TMP/notify.sock
python3 "$HELPERS" notify-listen "$NOTIFY" "$NS_TMP/notify.log" &
NS_PIDS="$NS_PIDS $!"
wait_for 5 grep -q LISTENING "$NS_TMP/notify.log" 2>/dev/null
# sd_watchdog_enabled() reads these; a ping every 0.5 s is asked for.
NOTIFY_SOCKET=$NOTIFY
WATCHDOG_USEC=1000000
export NOTIFY_SOCKET WATCHDOG_USEC
# Alerts to the journal only: stderr gets them only as the fallback.
check "dnsreachd watches $VETH_GW (alerts to the journal)" \
    daemon_start --alerts journal
unset NOTIFY_SOCKET WATCHDOG_USEC
check "READY=1 on the notify socket" \
    wait_for 5 grep -q ' READY=1$' "$NS_TMP/notify.log"
load_start "$RES4" 400
sleep 3

# stats NAME: SIGUSR1, then the statistics lines go to $NS_TMP/NAME.
stats() {
	_n=$(grep -c 'dnsreachd: statistics: ' "$NS_TMP/daemon.err")
	kill -USR1 "$DAEMON_PID"
	wait_for 5 sh -c "[ \$(grep -c 'dnsreachd: statistics: ' \
	    $NS_TMP/daemon.err) -gt $_n ]" || return 1
	sleep 0.3
	awk -v n="$_n" '/dnsreachd: statistics: / { k++ } k > n' \
	    "$NS_TMP/daemon.err" >"$NS_TMP/$1"
}
packets() {
	sed -n 's/.*statistics: \([0-9]*\) packets (.*/\1/p' "$NS_TMP/$1"
}
dropped() {
	sed -n 's/.*capture received [0-9]*, dropped \([0-9]*\), interface dropped \([0-9]*\);.*/\1 \2/p' \
	    "$NS_TMP/$1"
}

# ---- journald stops, and its queue fills up ----
JPID=$DR_STARTED_JOURNALD
kill -STOP "$JPID"
check "journald (pid $JPID) stopped" \
    wait_for 2 sh -c "grep -q '^State:.*T' /proc/$JPID/status"
if n=$(python3 "$HELPERS" journal-fill "$JOURNAL_SOCKET"); then
	ok "journald's socket queue is full: a send after $n datagrams would block"
else
	not_ok "journald's socket queue did not fill ($n datagrams sent)"
fi
# The daemon has something to say: its next entry cannot go.
stats s0
t_stall=$(date +%s.%N)

# ---- the outage, while journald is stalled ----
# Watching stderr from before the outage: how late after the alert's
# own time does its line appear there?
python3 "$HELPERS" line-delay "$NS_TMP/daemon.err" \
    "dnsreachd\\[$VETH_GW\\]: resolver $RES4 failing" 30 \
    >"$NS_TMP/delay" 2>"$NS_TMP/delay.err" &
watch=$!
NS_PIDS="$NS_PIDS $watch"
wait_for 10 grep -q watching "$NS_TMP/delay.err"
resp_stop
wait "$watch"
d=$(cat "$NS_TMP/delay")
if [ -n "$d" ]; then
	check "failing alert on stderr within a second of the alert ($d ms)" \
	    [ "$d" -le 1000 ]
else
	not_ok "failing alert on stderr within 10 s while journald is stalled"
fi
check "the loop says the journal is unavailable" \
    wait_for 2 grep -q 'journal unavailable (stalled' "$NS_TMP/daemon.err"
sleep 3
check "journald is still stopped" \
    sh -c "grep -q '^State:.*T' /proc/$JPID/status"
check "SIGUSR1 while journald is stalled: statistics on stderr" stats s1
check "the writer waits: entries queued, journald stalled" \
    grep -Eq 'journal: [0-9]+ entries written, [1-9][0-9]* waiting, .*journald stalled or away' \
    "$NS_TMP/s1"
p0=$(packets s0) p1=$(packets s1)
check "packets keep being counted while journald is stalled ($p0 -> $p1)" \
    [ "${p1:-0}" -gt "$((${p0:-0} + 1000))" ]
check "no kernel or interface drops ($(dropped s1))" \
    [ "$(dropped s1)" = "0 0" ]
t_now=$(date +%s.%N)
set -- $(python3 "$HELPERS" notify-gaps "$NS_TMP/notify.log" "$t_stall" \
    "$t_now")
check "watchdog pings throughout the stall: $2 pings, longest gap ${1}s" \
    python3 -c "import sys; sys.exit(not (float('$1') < 1.0 and $2 >= 6))"
check "the daemon keeps running" daemon_alive

# ---- journald runs again ----
kill -CONT "$JPID"
check "the log says the journal is back" \
    wait_for 15 grep -q 'journal is back; alerts go there again' \
    "$NS_TMP/daemon.err"
wait_for 10 sh -c "journalctl --sync; journalctl --no-pager -o cat \
    MESSAGE_ID=$MSGID_FAILING DNSREACH_INTERFACE=$VETH_GW | grep -q ."
alerts failing DNSREACH_RESOLVER="$RES4" >"$NS_TMP/f.json"
jcheck "the failing alert is in the journal exactly once" \
    failing 1 DNSREACH_RESOLVER="$RES4" \
    DNSREACH_CAUSE=service-not-listening <"$NS_TMP/f.json"
check "SIGTERM: exit 0" daemon_stop
finish
