#!/bin/sh
# make demo: the incident, live, in under a minute.
#
#   sh tests/e2e/demo.sh [BUILD]
#
# Builds nothing: it runs BUILD/dnsreachd (build by default) in a pair of
# network namespaces of its own, in the foreground, alerts to this
# terminal and to the journal.  A client asks 20 names a second; about
# 10 s healthy, 15 s with the DNS service stopped (the kernel answers
# every query with ICMP port unreachable), 15 s with it back.  Then it
# shows the alerts it caught, the journalctl commands that find them,
# and tears everything down (also on Ctrl-C).  Needs root.
BUILD=${1:-${BUILD:-build}}
export BUILD
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
. tests/e2e/netns.sh

T0=$(now_ms)
say() {
	printf '\n[%3ds] %s\n' $((($(now_ms) - T0) / 1000)) "$*"
}

# phase SECONDS EVENT WHAT: wait the phase out, saying when the alert
# comes; with "short", end 3 s after it.
phase() {
	_start=$(now_ms)
	_end=$((_start + $1 * 1000))
	_seen=
	while [ "$(now_ms)" -lt "$_end" ]; do
		if [ -z "$_seen" ] && seen "$2" "$RES4"; then
			_seen=1
			say "^ the $2 alert, $((($(now_ms) - _start) / 1000)) s" \
			    "after $3"
			if [ "${4:-}" = short ] &&
			    [ $(($(now_ms) + 3000)) -lt "$_end" ]; then
				_end=$(($(now_ms) + 3000))
			fi
		fi
		sleep 0.2
	done
	[ -n "$_seen" ]
}

netns_setup journal
echo "dnsreach demo: a DNS resolver stops answering, dnsreachd says so"
[ -n "${DR_E2E_PRIVATE_JOURNAL:-}" ] &&
    echo "(the running journald does not work: this demo has its own)"
cat <<EOF

  namespace $NS_GW                      namespace $NS_RES
  client: dnsload, 20 queries/s            resolver: dnsresp on port 53
  dnsreachd -i $VETH_GW
  $VETH_GW  $GW4  ================  $VETH_RES  $RES4

EOF
daemon_conf
resp_start "$RES4" || { echo "demo: the responder did not start"; exit 1; }
say "dnsreachd starts on $VETH_GW: window 10 s, threshold 50%," \
    "clear 20%, alerts to this terminal and the journal"
if ! daemon_start; then
	cat "$NS_TMP/daemon.err"
	echo "demo: dnsreachd did not start"
	exit 1
fi
# The daemon's terminal output, as it comes.
tail -n +1 -f "$NS_TMP/daemon.err" &
NS_PIDS="$NS_PIDS $!"
sleep 0.3

say "healthy: the client asks q<N>.$QNAME_SUFFIX, 20 a second," \
    "and every query is answered"
load_start "$RES4" 20
sleep 10

say "OUTAGE: the DNS service stops.  Nothing listens on $RES4 port 53," \
    "so the kernel answers each query with ICMP port unreachable --" \
    "the incident.  Expect an alert within ~6 s."
resp_stop
phase 15 failing "the outage began" ||
    say "(no failing alert?  see above)"

say "RECOVERY: the DNS service is back; the failure rate falls as the" \
    "window slides, and the alert clears below 20%."
resp_start "$RES4"
phase 15 recovered "the service returned" short ||
    say "(no recovered alert yet?  see above)"

load_stop
say "done.  The client: $(cat "$NS_TMP/load-$RES4.log")"
kill -USR1 "$DAEMON_PID"
sleep 0.5

echo
echo "== the alerts in the journal (journalctl -o cat):"
journalctl --sync 2>/dev/null
journalctl --no-pager -o cat DNSREACH_INTERFACE="$VETH_GW" 2>/dev/null |
    sed 's/^/   /'
echo
echo "== the failing alert with every field (journalctl -o verbose):"
journalctl --no-pager -o verbose MESSAGE_ID="$MSGID_FAILING" \
    DNSREACH_INTERFACE="$VETH_GW" 2>/dev/null | sed 's/^/   /'
cat <<EOF

== find them again with:
   journalctl -o verbose MESSAGE_ID=$MSGID_FAILING DNSREACH_INTERFACE=$VETH_GW
   journalctl -o verbose MESSAGE_ID=$MSGID_RECOVERED DNSREACH_INTERFACE=$VETH_GW
   journalctl -o json DNSREACH_RESOLVER=$RES4 DNSREACH_INTERFACE=$VETH_GW
   journalctl -p warning SYSLOG_IDENTIFIER=dnsreachd
EOF
if [ -n "${DR_E2E_PRIVATE_JOURNAL:-}" ]; then
	echo "   (not after this demo: its journald goes with it)"
fi
echo
echo "tearing down: dnsreachd, the client, the responder, $NS_GW, $NS_RES"
daemon_stop
st=$?
# The tail shows the daemon's last words; give it a moment.
sleep 0.3
say "dnsreachd exited with status $st"
