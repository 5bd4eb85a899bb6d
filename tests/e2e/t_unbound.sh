#!/bin/sh
# Real software on both ends, dnsreachd on its default configuration:
# Unbound, as Debian packages it, serves 203.0.113.2 in the resolver
# namespace, and glibc's stub resolver (getent ahosts, which reads
# /etc/netns/NAME/resolv.conf under ip netns exec) asks it from the
# gateway namespace, with its parallel A/AAAA queries and its own retry
# timing.  Healthy: no alert.  Unbound stopped: failing,
# service-not-listening, within seconds; started again: recovered.
# Unbound refusing these clients: failing, cause refused.  Unbound whose
# upstream is unreachable: failing, cause servfail.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/netns.sh"

UNBOUND=${UNBOUND:-/usr/sbin/unbound}
if [ ! -x "$UNBOUND" ]; then
	sh "$TESTS_DIR/../.ci/deps" test >/dev/null 2>&1 || true
fi
if [ ! -x "$UNBOUND" ]; then
	skip "$(basename "$0"): no unbound (apt-get install unbound)"
	finish
	exit 0
fi
netns_setup journal

NETNS_ETC=/etc/netns/$NS_GW
UNBOUND_PID=
STUB_PIDS=

unbound_conf() {
	# $1: allow or refuse
	cat >"$NS_TMP/unbound.conf" <<-EOF
	server:
	    interface: $RES4
	    interface: $RES6
	    port: 53
	    do-daemonize: no
	    username: ""
	    chroot: ""
	    directory: "$NS_TMP"
	    pidfile: ""
	    use-syslog: no
	    logfile: "$NS_TMP/unbound.log"
	    verbosity: 1
	    access-control: 203.0.113.0/24 $1
	    access-control: 2001:db8::/64 $1
	    module-config: "iterator"
	    local-zone: "ok.example.test." static
	    local-data: "www.ok.example.test. A 192.0.2.80"
	    local-data: "www.ok.example.test. AAAA 2001:db8::80"
	    # Anything else goes to an upstream that cannot be reached.
	    infra-host-ttl: 1
	    outbound-msg-retry: 1
	forward-zone:
	    name: "."
	    forward-addr: 198.51.100.53
	remote-control:
	    control-enable: no
	EOF
}

unbound_start() {
	unbound_conf "${1:-allow}"
	: >"$NS_TMP/unbound.log"
	ip netns exec "$NS_RES" "$UNBOUND" -d -c "$NS_TMP/unbound.conf" \
	    >>"$NS_TMP/unbound.out" 2>&1 &
	UNBOUND_PID=$!
	NS_PIDS="$NS_PIDS $UNBOUND_PID"
	# Ready when it answers (refusing, it answers too: REFUSED).
	wait_for 10 sh -c "grep -q 'start of service' $NS_TMP/unbound.log"
}

unbound_stop() {
	ns_kill "$UNBOUND_PID"
	ns_forget "$UNBOUND_PID"
	UNBOUND_PID=
}

# stubs NAME-SUFFIX: three glibc clients asking in a loop.
stubs_start() {
	for _i in 1 2 3; do
		ip netns exec "$NS_GW" sh -c "
		    n=0
		    while :; do
			    n=\$((n + 1))
			    getent ahosts $1 >/dev/null 2>&1
			    sleep 0.1
		    done" &
		STUB_PIDS="$STUB_PIDS $!"
		NS_PIDS="$NS_PIDS $!"
	done
}

stubs_stop() {
	for _p in $STUB_PIDS; do
		pkill -P "$_p" 2>/dev/null
		ns_kill "$_p" 2>/dev/null
		ns_forget "$_p"
	done
	STUB_PIDS=
}

cleanup_etc() {
	rm -rf "$NETNS_ETC"
}
trap 'cleanup_etc; netns_cleanup' EXIT

mkdir -p "$NETNS_ETC"
printf 'nameserver %s\noptions timeout:1 attempts:2\n' "$RES4" \
    >"$NETNS_ETC/resolv.conf"
# The daemon's defaults: only who it runs as is set.
printf 'user = nobody\n' >"$NS_CONF"
chmod 644 "$NS_CONF"

check "unbound answers on $RES4 (getent through glibc)" unbound_start allow
check "dnsreachd watches $VETH_GW on its defaults" daemon_start
stubs_start www.ok.example.test
sleep 8
n=$(alerts failing | grep -c .)
check "healthy glibc clients for 8 s: no alert ($n)" [ "$n" = 0 ]

# ---- unbound stopped: the kernel answers port unreachable ----
t0=$(now_ms)
unbound_stop
if wait_for 6 seen failing "$RES4"; then
	ok "unbound stopped: failing alert $(($(now_ms) - t0)) ms later"
else
	not_ok "unbound stopped: failing alert within 6 s"
fi
alerts failing DNSREACH_RESOLVER="$RES4" >"$NS_TMP/f.json"
jcheck "cause service-not-listening, the ICMP from the resolver itself" \
    failing 1 DNSREACH_RESOLVER="$RES4" \
    DNSREACH_CAUSE=service-not-listening DNSREACH_ICMP_FROM="$RES4" \
    <"$NS_TMP/f.json"

t0=$(now_ms)
check "unbound started again" unbound_start allow
if wait_for 10 seen recovered "$RES4"; then
	ok "unbound back: recovered alert $(($(now_ms) - t0)) ms later"
else
	not_ok "unbound back: recovered alert within 10 s"
fi

# ---- refusing these clients (access-control: refuse) ----
# Each new behaviour with a daemon started afresh once unbound behaves
# so, so that the evidence is that behaviour's alone.
daemon_stop
unbound_stop
check "unbound refusing 203.0.113.0/24" unbound_start refuse
t0=$(now_ms)
check "dnsreachd started again" daemon_start
if wait_for 6 sh -c "grep -q 'resolver $RES4 failing: .*REFUSED' \
    $NS_TMP/daemon.err"; then
	ok "REFUSED storm: failing alert $(($(now_ms) - t0)) ms after start"
else
	not_ok "REFUSED storm: failing alert within 6 s"
	tail -n 3 "$NS_TMP/daemon.err" | sed 's/^/# /'
fi
check "cause refused in the journal" wait_for 3 sh -c "journalctl --sync; \
    journalctl --no-pager -o cat DNSREACH_INTERFACE=$VETH_GW \
    DNSREACH_CAUSE=refused _PID=$DAEMON_PID | grep -q 'failing: '"

# ---- the upstream is unreachable: SERVFAIL for names not local ----
daemon_stop
unbound_stop
stubs_stop
check "unbound allowing again" unbound_start allow
stubs_start "www.t$NS_ID.example.org"
t0=$(now_ms)
check "dnsreachd started again" daemon_start
if wait_for 15 sh -c "grep -q 'resolver $RES4 failing: .*SERVFAIL' \
    $NS_TMP/daemon.err"; then
	ok "upstream unreachable: failing alert $(($(now_ms) - t0)) ms later"
else
	not_ok "upstream unreachable: failing alert (SERVFAIL) within 15 s"
	tail -n 3 "$NS_TMP/daemon.err" | sed 's/^/# /'
fi
check "cause servfail in the journal" wait_for 3 sh -c "journalctl --sync; \
    journalctl --no-pager -o cat DNSREACH_INTERFACE=$VETH_GW \
    DNSREACH_CAUSE=servfail _PID=$DAEMON_PID | grep -q 'failing: '"
stubs_stop
check "SIGTERM: exit 0" daemon_stop
finish
