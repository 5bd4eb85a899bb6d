# The end-to-end topology (sourced after tests/lib.sh, not run).
#
#   drgw-<id>                                   drres-<id>
#   dnsload, dnsreachd -i drg<id>               dnsresp, nftables rules
#   drg<id> 203.0.113.1/24 2001:db8::1/64 ===== drr<id> 203.0.113.2/24
#                                               2001:db8::2/64
#
# <id> is the test's PID, so runs side by side do not collide, and the
# gateway veth's name is the marker that finds this run's alerts in the
# journal (DNSREACH_INTERFACE).  With nothing on port 53 in drres-<id>
# the kernel answers each query with ICMP port unreachable: the incident.
#
# netns_setup builds it all and sets a trap that kills every process
# started here and deletes both namespaces (and so the veth pair) on any
# exit, failure and Ctrl-C included.  Not root, or no network namespaces:
# one "SKIP - ..." line and the test ends.

DNSRESP=${DNSRESP:-$BUILD/tools/dnsresp}
DNSLOAD=${DNSLOAD:-$BUILD/tools/dnsload}

MSGID_FAILING=5b2d8a0e4c7f4f7e9a31d6c2b8e0f417
MSGID_RECOVERED=c41f9e2a7d3b4a56b0e8f1a2d9c7e305

NS_ID=$$
NS_RES=drres-$NS_ID
NS_GW=drgw-$NS_ID
VETH_GW=drg$NS_ID
VETH_RES=drr$NS_ID
RES4=203.0.113.2
GW4=203.0.113.1
RES6=2001:db8::2
GW6=2001:db8::1
# Names the clients ask: q<N>.$QNAME_SUFFIX, unique to this run.
QNAME_SUFFIX=t$NS_ID.example.com

NS_TMP=
NS_CONF=
NS_PIDS=
NS_MADE=
NS_MORE=	# namespaces a test adds; deleted with the others
RESP_PID=
LOAD_PID=
DAEMON_PID=

ns_res() {
	ip netns exec "$NS_RES" "$@"
}

ns_gw() {
	ip netns exec "$NS_GW" "$@"
}

now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

# Stop one process we started: TERM, then KILL after 3 s.
ns_kill() {
	[ -n "$1" ] || return 0
	kill -TERM "$1" 2>/dev/null || { wait "$1" 2>/dev/null; return 0; }
	_i=0
	while kill -0 "$1" 2>/dev/null && [ $_i -lt 30 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	kill -KILL "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	return 0
}

ns_forget() {
	_l=
	for _p in $NS_PIDS; do
		[ "$_p" = "$1" ] || _l="$_l $_p"
	done
	NS_PIDS=$_l
}

netns_cleanup() {
	trap - EXIT INT TERM HUP PIPE
	for _p in $NS_PIDS; do
		kill -TERM "$_p" 2>/dev/null
	done
	for _p in $NS_PIDS; do
		ns_kill "$_p"
	done
	NS_PIDS=
	if [ -n "$NS_MADE" ]; then
		ip netns del "$NS_GW" 2>/dev/null
		ip netns del "$NS_RES" 2>/dev/null
		for _n in $NS_MORE; do
			ip netns del "$_n" 2>/dev/null
		done
	fi
	if [ -n "$NS_TMP" ] && [ -n "${DR_KEEP_TMP:-}" ]; then
		echo "# kept $NS_TMP"
	elif [ -n "$NS_TMP" ]; then
		rm -rf "$NS_TMP"
	fi
	stop_journald
}

# The veth pair, with both ends' addresses; again after a delete.
netns_link() {
	ip -n "$NS_GW" link add "$VETH_GW" type veth peer name "$VETH_RES" \
	    netns "$NS_RES" || return 1
	ip -n "$NS_GW" addr add "$GW4/24" dev "$VETH_GW" &&
	    ip -n "$NS_GW" addr add "$GW6/64" dev "$VETH_GW" nodad &&
	    ip -n "$NS_RES" addr add "$RES4/24" dev "$VETH_RES" &&
	    ip -n "$NS_RES" addr add "$RES6/64" dev "$VETH_RES" nodad &&
	    ip -n "$NS_GW" link set "$VETH_GW" up &&
	    ip -n "$NS_RES" link set "$VETH_RES" up
}

link_up() {
	ip -n "$1" -br link show dev "$2" 2>/dev/null | grep -q ' UP '
}

# Wait until both ends of the veth pair are up.
netns_wait_link() {
	wait_for 5 link_up "$NS_GW" "$VETH_GW" &&
	    wait_for 5 link_up "$NS_RES" "$VETH_RES"
}

# ---- the journal ----

JOURNAL_SOCKET=/run/systemd/journal/socket
JOURNALD=${JOURNALD:-/lib/systemd/systemd-journald}

# journal_probe: one entry sent now is read back.
journal_probe() {
	_m=probe-$$-$(date +%s%N)
	python3 -c 'import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.sendto(("MESSAGE=dnsreach e2e journal probe\nPRIORITY=7\n"
    "SYSLOG_IDENTIFIER=dnsreach-e2e\nDNSREACH_PROBE=%s\n" %
    sys.argv[2]).encode(), sys.argv[1])' "$JOURNAL_SOCKET" "$_m" \
	    2>/dev/null || return 1
	journalctl --sync 2>/dev/null || sleep 0.3
	journalctl --no-pager -o cat DNSREACH_PROBE="$_m" 2>/dev/null |
	    grep -q probe
}

# journal_works: the journal takes entries, within 3 s (a journald just
# started may not have bound its socket yet).  A journald whose socket
# file was replaced (another one started and stopped meanwhile) still
# runs but hears nothing: that is not a journal.
journal_works() {
	wait_for 3 journal_probe
}

# journald_start: our own journald, in our own mount namespace.
journald_start() {
	rm -f "$JOURNAL_SOCKET"
	"$JOURNALD" >/dev/null 2>&1 &
	DR_STARTED_JOURNALD=$!
	wait_for 5 test -S "$JOURNAL_SOCKET"
}

# netns_journal journal|own-journal: a working systemd-journald.
#
# "journal": the running one, or one lib.sh's ensure_journald starts.
# When that one does not work, or with "own-journal" (a test that kills
# and restarts journald must never touch the system's), the test runs
# again in a private mount namespace with tmpfs over the journal's
# directories and a journald of its own; the network namespaces, the
# daemon and journalctl all see that one.  No way to get either: skip.
netns_journal() {
	if [ -n "${DR_E2E_PRIVATE_JOURNAL:-}" ]; then
		mkdir -p /run/systemd/journal /run/log/journal
		for _d in /run/systemd/journal /run/log/journal \
		    /var/log/journal; do
			[ -d "$_d" ] || continue
			mount -t tmpfs -o mode=755 tmpfs "$_d" || {
				skip "$(basename "$0"): cannot mount a" \
				    "tmpfs on $_d"
				finish
				exit 0
			}
		done
		if journald_start && journal_works; then
			return 0
		fi
		stop_journald
		skip "$(basename "$0"): a journald of our own did not work"
		finish
		exit 0
	fi
	if [ "$1" = journal ] && ensure_journald && journal_works; then
		return 0
	fi
	stop_journald
	if [ ! -x "$JOURNALD" ] || ! command -v unshare >/dev/null 2>&1 ||
	    ! unshare -m true 2>/dev/null; then
		if [ "$1" = journal ]; then
			skip "$(basename "$0"): no working systemd-journald" \
			    "and none could be started"
		else
			skip "$(basename "$0"): journald is running and was not" \
			    "started by this test, and no private mount" \
			    "namespace for one of its own (unshare -m)"
		fi
		finish
		exit 0
	fi
	[ "$1" = journal ] &&
	    echo "# the running journald does not work: using one of our own"
	exec unshare -m --propagation private env DR_E2E_PRIVATE_JOURNAL=1 \
	    sh "$0"
}

# netns_setup [journal|own-journal]: the namespaces, the link, the trap;
# with an argument, a working systemd-journald too (see netns_journal).
netns_setup() {
	if [ "$(id -u)" != 0 ]; then
		skip "$(basename "$0"): network namespaces need root"
		finish
		exit 0
	fi
	if ! command -v ip >/dev/null 2>&1; then
		skip "$(basename "$0"): no ip(8) (iproute2)"
		finish
		exit 0
	fi
	for _t in "$DNSREACHD" "$DNSRESP" "$DNSLOAD"; do
		if [ ! -x "$_t" ]; then
			not_ok "$(basename "$0"): $_t is not built (make)"
			finish
			exit 1
		fi
	done
	# Absolute paths: the daemon re-reads its config as another user.
	DNSREACHD=$(cd "$(dirname "$DNSREACHD")" && pwd)/$(basename "$DNSREACHD")
	DNSRESP=$(cd "$(dirname "$DNSRESP")" && pwd)/$(basename "$DNSRESP")
	DNSLOAD=$(cd "$(dirname "$DNSLOAD")" && pwd)/$(basename "$DNSLOAD")

	case ${1:-} in
	journal|own-journal)
		netns_journal "$1"
		;;
	esac

	trap netns_cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	trap 'exit 129' HUP
	trap 'exit 141' PIPE
	NS_TMP=$(mktemp -d /tmp/dnsreach-e2e.XXXXXX) || exit 1
	chmod 755 "$NS_TMP"	# the daemon runs as nobody
	NS_CONF=$NS_TMP/dnsreach.conf
	NS_MADE=1	# a failed add may leave its file: delete both anyway
	if ! ip netns add "$NS_RES" 2>"$NS_TMP/netns.err"; then
		skip "$(basename "$0"): ip netns add failed" \
		    "($(head -n 1 "$NS_TMP/netns.err")); no network namespaces" \
		    "here"
		finish
		exit 0
	fi
	if ! ip netns add "$NS_GW" 2>>"$NS_TMP/netns.err"; then
		skip "$(basename "$0"): ip netns add failed" \
		    "($(tail -n 1 "$NS_TMP/netns.err"))"
		finish
		exit 0
	fi
	ip -n "$NS_RES" link set lo up
	ip -n "$NS_GW" link set lo up
	# Every query gets its ICMP error: counts are exact.
	ns_res sysctl -qw net.ipv4.icmp_ratelimit=0 \
	    net.ipv6.icmp.ratelimit=0 >/dev/null
	if ! netns_link || ! netns_wait_link; then
		not_ok "$(basename "$0"): cannot set up the veth pair"
		finish
		exit 1
	fi
}

# resp_start [ADDR...]: the DNS responder in the resolver namespace, on
# both resolver addresses unless told otherwise.
resp_start() {
	[ $# -gt 0 ] || set -- "$RES4" "$RES6"
	_a=
	for _x in "$@"; do
		_a="$_a -a $_x"
	done
	: >"$NS_TMP/resp.log"
	# Not through ns_res: a function in the background is a subshell,
	# and $! must be the process itself (ip netns exec execs it).
	# shellcheck disable=SC2086
	ip netns exec "$NS_RES" "$DNSRESP" -A $_a 2>>"$NS_TMP/resp.log" &
	RESP_PID=$!
	NS_PIDS="$NS_PIDS $RESP_PID"
	wait_for 5 grep -q 'dnsresp: ready' "$NS_TMP/resp.log"
}

resp_stop() {
	ns_kill "$RESP_PID"
	ns_forget "$RESP_PID"
	RESP_PID=
}

# load_start RESOLVER [QPS [more dnsload options]]: a client in the
# gateway namespace; its summary lands in $NS_TMP/load-<resolver>.log.
load_start() {
	_s=$1
	_r=${2:-20}
	shift
	[ $# -gt 0 ] && shift
	ip netns exec "$NS_GW" "$DNSLOAD" -s "$_s" -r "$_r" \
	    -n "$QNAME_SUFFIX" "$@" 2>"$NS_TMP/load-$_s.log" &
	LOAD_PID=$!
	NS_PIDS="$NS_PIDS $LOAD_PID"
}

# load_stop [PID]: the last client started, or the one given.
load_stop() {
	_p=${1:-$LOAD_PID}
	ns_kill "$_p"
	ns_forget "$_p"
	[ "$_p" = "$LOAD_PID" ] && LOAD_PID=
	return 0
}

# daemon_conf [KEY=VALUE...]: the test configuration, a short window,
# with any key replaced.
daemon_conf() {
	cat >"$NS_CONF" <<-EOF
	# dnsreach e2e test $NS_ID
	window = 10s
	bucket = 1s
	min_queries = 5
	threshold = 50%
	clear_threshold = 20%
	query_timeout = 1s
	match_window = 10s
	user = nobody
	EOF
	for _kv in "$@"; do
		_k=${_kv%%=*}
		sed -i "/^$_k = /d" "$NS_CONF"
		echo "$_k = ${_kv#*=}" >>"$NS_CONF"
	done
	chmod 644 "$NS_CONF"
}

# daemon_start [dnsreachd options]: dnsreachd in the gateway namespace,
# capturing on the gateway veth, alerts to the journal and stderr
# ($NS_TMP/daemon.err).  Returns once it watches.
daemon_start() {
	[ -f "$NS_CONF" ] || daemon_conf
	: >"$NS_TMP/daemon.err"
	ip netns exec "$NS_GW" "$DNSREACHD" -i "$VETH_GW" --foreground \
	    --alerts both -c "$NS_CONF" "$@" >"$NS_TMP/daemon.out" \
	    2>>"$NS_TMP/daemon.err" &
	DAEMON_PID=$!
	NS_PIDS="$NS_PIDS $DAEMON_PID"
	wait_for 5 grep -q 'watching DNS on' "$NS_TMP/daemon.err" &&
	    [ "$(cat "/proc/$DAEMON_PID/comm" 2>/dev/null)" = dnsreachd ]
}

# daemon_stop: SIGTERM; returns the daemon's exit status.
daemon_stop() {
	kill -TERM "$DAEMON_PID" 2>/dev/null
	wait "$DAEMON_PID"
	_st=$?
	ns_forget "$DAEMON_PID"
	return $_st
}

# daemon_alive: still running (and not a zombie).
daemon_alive() {
	[ -n "$DAEMON_PID" ] && kill -0 "$DAEMON_PID" 2>/dev/null &&
	    ! grep -q '^State:.*Z' "/proc/$DAEMON_PID/status" 2>/dev/null
}

# daemon_cpu_ticks: user + system CPU time of the daemon, in clock ticks.
daemon_cpu_ticks() {
	awk '{ print $14 + $15 }' "/proc/$DAEMON_PID/stat"
}

# ---- reading alerts back ----

# seen EVENT RESOLVER: the daemon said it on stderr (it writes the
# journal first, so the journal has it too).
seen() {
	grep -q "dnsreachd\[$VETH_GW\]: resolver $2 $1" "$NS_TMP/daemon.err"
}

# alerts EVENT [FIELD=VALUE...]: this run's alerts of one kind from the
# journal, as JSON lines, by MESSAGE_ID and the veth marker.
alerts() {
	case $1 in
	failing)	_id=$MSGID_FAILING ;;
	*)		_id=$MSGID_RECOVERED ;;
	esac
	shift
	journal_json MESSAGE_ID="$_id" DNSREACH_INTERFACE="$VETH_GW" "$@"
}

# daemon_log [FIELD=VALUE...]: the daemon's own journal entries (not
# alerts), by its PID.
daemon_log() {
	journal_json SYSLOG_IDENTIFIER=dnsreachd _PID="$DAEMON_PID" "$@"
}

# jcheck DESC EVENT COUNT [FIELD=VALUE...] < json: journal_check.py.
jcheck() {
	_d=$1
	shift
	check "$_d" python3 "$TESTS_DIR/journal_check.py" "$@"
}

# jfield FIELD < json: the field's values, one a line.
jfield() {
	python3 -c 'import json, sys
for l in sys.stdin:
    if l.strip():
        print(json.loads(l).get(sys.argv[1], ""))' "$1"
}

# ---- the resolver's firewall ----

have_nft() {
	command -v nft >/dev/null 2>&1 && ns_res nft list ruleset >/dev/null 2>&1
}

# res_firewall reject|drop|partial|none: what the resolver namespace does
# with DNS over UDP: reject with ICMP (ICMPv6) administratively
# prohibited, drop silently, reject 60% with port unreachable, or let it
# through.
res_firewall() {
	ns_res nft delete table inet dnsreach_e2e 2>/dev/null
	case $1 in
	reject)
		_r4='meta nfproto ipv4 udp dport 53 reject with icmp type admin-prohibited'
		_r6='meta nfproto ipv6 udp dport 53 reject with icmpv6 type admin-prohibited'
		;;
	drop)
		_r4='udp dport 53 drop'
		_r6=
		;;
	partial)	# 3 queries in 5 get ICMP port unreachable
		_r4='meta nfproto ipv4 udp dport 53 numgen inc mod 5 < 3 reject with icmp type port-unreachable'
		_r6='meta nfproto ipv6 udp dport 53 numgen inc mod 5 < 3 reject with icmpv6 type port-unreachable'
		;;
	*)
		return 0
		;;
	esac
	ns_res nft -f - <<-EOT
	table inet dnsreach_e2e {
		chain input {
			type filter hook input priority 0; policy accept;
			$_r4
			$_r6
		}
	}
	EOT
}
