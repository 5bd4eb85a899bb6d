#!/bin/sh
# journald dies under the running daemon and comes back.  The daemon
# survives; an alert due while the journal is gone goes to stderr (said
# once, not lost); the next alert lands in the new journald, and the log
# says the journal is back.  The journald killed is one this test
# started, in a mount namespace of its own: never the system's.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/netns.sh"

netns_setup own-journal
daemon_conf
check "responder answers on $RES4" resp_start "$RES4"
check "dnsreachd watches $VETH_GW" daemon_start
load_start "$RES4" 20
sleep 2

old=$DR_STARTED_JOURNALD
kill -KILL "$old"
wait "$old" 2>/dev/null
DR_STARTED_JOURNALD=
check "journald (pid $old) killed" sh -c "! kill -0 $old 2>/dev/null"

# An outage while there is no journal: the alert must not vanish.
resp_stop
check "failing alert while journald is down: on stderr" \
    wait_for 12 seen failing "$RES4"
# The loop learns it from the writer's queue within a second, not from
# a send it waited for.
check "journal down: said on stderr within a second" \
    wait_for 1 grep -q 'journal unavailable' "$NS_TMP/daemon.err"
sleep 1
check "journal down: said once on stderr" \
    sh -c "[ \$(grep -c 'journal unavailable' $NS_TMP/daemon.err) = 1 ]"
check "journald down: the daemon keeps running" daemon_alive

check "journald started again" journald_start
check "the new journald works" journal_works
check "journald back: the daemon keeps running" daemon_alive

# The next alert: the recovery, in the new journald.
resp_start "$RES4"
check "recovered alert after the service returns" \
    wait_for 14 seen recovered "$RES4"
alerts recovered >"$NS_TMP/r.json"
jcheck "the recovered alert is in the new journald, every contract field" \
    recovered 1 DNSREACH_RESOLVER="$RES4" <"$NS_TMP/r.json"
check "the log says the journal is back" \
    grep -q 'journal is back; alerts go there again' "$NS_TMP/daemon.err"
daemon_log >"$NS_TMP/log.json"
check "... in the new journald too" \
    grep -q '"MESSAGE":"journal is back; alerts go there again"' \
    "$NS_TMP/log.json"
check "SIGTERM: exit 0" daemon_stop
finish
