#!/bin/sh
# A relative -c and a detached daemon: "dnsreachd -c conf/dnsreach.conf"
# from some directory, without --foreground, goes to the background and
# to "/" (daemon(3)).  SIGHUP must read the same file again, not
# /conf/dnsreach.conf.  Read back from the journal, where a detached
# daemon logs.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/netns.sh"

netns_setup journal
mkdir -p "$NS_TMP/work/conf"
chmod 755 "$NS_TMP/work" "$NS_TMP/work/conf"
NS_CONF=$NS_TMP/work/conf/dnsreach.conf
daemon_conf threshold=90%

(cd "$NS_TMP/work" && ip netns exec "$NS_GW" "$DNSREACHD" \
    -c conf/dnsreach.conf -i "$VETH_GW" --alerts journal \
    >"$NS_TMP/daemon.out" 2>"$NS_TMP/daemon.err")
check "started without --foreground: the parent exits 0" [ $? = 0 ]

# The detached daemon: the only process in the gateway namespace.
find_daemon() {
	for _p in $(ip netns pids "$NS_GW"); do
		if [ "$(cat /proc/$_p/comm 2>/dev/null)" = dnsreachd ]; then
			DAEMON_PID=$_p
			return 0
		fi
	done
	return 1
}
if wait_for 5 find_daemon; then
	NS_PIDS="$NS_PIDS $DAEMON_PID"
	ok "detached daemon is pid $DAEMON_PID"
else
	not_ok "no detached dnsreachd in $NS_GW"
	finish
	exit 1
fi
check "detached: it works in / now" \
    [ "$(readlink /proc/$DAEMON_PID/cwd)" = / ]
check "detached: the journal has its start" \
    wait_for 5 sh -c "journalctl --sync; journalctl --no-pager -o cat \
    _PID=$DAEMON_PID | grep -q 'watching DNS on $VETH_GW'"

daemon_conf threshold=40%
kill -HUP "$DAEMON_PID"
check "SIGHUP: reloaded from the same file, by its full path" \
    wait_for 5 sh -c "journalctl --sync; journalctl --no-pager -o cat \
    _PID=$DAEMON_PID | grep -qx 'configuration reloaded from $NS_CONF'"
journal_json _PID="$DAEMON_PID" PRIORITY=3 >"$NS_TMP/err.json"
check "SIGHUP: no error about the configuration" \
    sh -c "! grep -q 'dnsreach.conf' $NS_TMP/err.json"

kill -TERM "$DAEMON_PID"
check "SIGTERM: the detached daemon exits" \
    wait_for 5 sh -c "! kill -0 $DAEMON_PID 2>/dev/null"
ns_forget "$DAEMON_PID"
finish
