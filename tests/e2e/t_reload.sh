#!/bin/sh
# SIGHUP while running: a lower threshold applies at once to the window
# already counted (a 60% partial outage that 90% let pass now alerts,
# with the counts from before the reload), and the log says reloaded.
# A broken file on SIGHUP: an error naming file:line in the journal,
# and the daemon runs on with the configuration it had.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/netns.sh"

netns_setup journal
if ! have_nft; then
	skip "$(basename "$0"): no nftables in the resolver namespace"
	finish
	exit 0
fi
daemon_conf threshold=90%
check "responder answers on $RES4" resp_start
check "nft rule: 3 queries in 5 get ICMP port unreachable" \
    res_firewall partial
check "dnsreachd watches $VETH_GW (threshold 90%)" daemon_start
load_start "$RES4" 20

# Six seconds of a 60% failure rate: under 90%, no alert.
sleep 6
n=$(alerts failing | grep -c .)
check "partial outage under a 90% threshold: no alert ($n)" [ "$n" = 0 ]

# ---- SIGHUP with threshold 40% ----
daemon_conf threshold=40%
t0=$(now_ms)
kill -HUP "$DAEMON_PID"
check "SIGHUP: the log says reloaded, window state kept" \
    wait_for 5 grep -Eq 'configuration reloaded from [^;]*$' \
    "$NS_TMP/daemon.err"
if wait_for 3 seen failing "$RES4"; then
	ok "failing alert $(($(now_ms) - t0)) ms after SIGHUP"
else
	not_ok "failing alert within 3 s of SIGHUP"
fi
alerts failing >"$NS_TMP/f.json"
# 100+ queries in the window a second after the reload: the counts from
# before it were kept (a restarted window would hold ~20-40).
jcheck "alert carries the new threshold and the window counted before" \
    failing 1 DNSREACH_THRESHOLD=0.400 DNSREACH_QUERIES_MIN=100 \
    DNSREACH_CAUSE=service-not-listening <"$NS_TMP/f.json"
daemon_log >"$NS_TMP/log.json"
check "journal: \"configuration reloaded\" (PRIORITY 5)" \
    sh -c "grep '\"MESSAGE\":\"configuration reloaded from $NS_CONF\"' \
    $NS_TMP/log.json | grep -q '\"PRIORITY\":\"5\"'"

# ---- SIGHUP with a broken file ----
daemon_conf threshold=70% treshold=30%
line=$(grep -n '^treshold' "$NS_CONF" | cut -d: -f1)
kill -HUP "$DAEMON_PID"
check "broken config: an error naming $NS_CONF:$line in the journal" \
    wait_for 5 sh -c "journalctl --sync 2>/dev/null; journalctl --no-pager \
    -o cat -p err SYSLOG_IDENTIFIER=dnsreachd _PID=$DAEMON_PID \
    2>/dev/null | grep -q '^$NS_CONF:$line: '"
daemon_log PRIORITY=3 >"$NS_TMP/err.json"
check "broken config: PRIORITY 3, SYSLOG_IDENTIFIER dnsreachd" \
    sh -c "grep '\"MESSAGE\":\"$NS_CONF:$line: ' $NS_TMP/err.json |
    grep '\"SYSLOG_IDENTIFIER\":\"dnsreachd\"' | grep -q '\"PRIORITY\":\"3\"'"
check "broken config: \"configuration not reloaded\" in the journal" \
    grep -q 'configuration not reloaded, the running one stays' \
    "$NS_TMP/err.json"
sleep 1
check "broken config: the daemon keeps running" daemon_alive

# The old configuration still holds: the recovery says 40%, not 70%.
res_firewall none
check "recovered alert after the outage ends" \
    wait_for 14 seen recovered "$RES4"
alerts recovered >"$NS_TMP/r.json"
jcheck "recovered alert: still threshold 0.400 (the old configuration)" \
    recovered 1 DNSREACH_THRESHOLD=0.400 <"$NS_TMP/r.json"
check "SIGTERM after all that: exit 0" daemon_stop
finish
