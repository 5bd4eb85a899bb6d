#!/bin/sh
# bench/live.sh [BUILD]: live capture at the highest rate this machine can
# send.  A capture from bench/gen (BENCH_LIVE_PACKETS, default 300000) is
# replayed with tcpreplay onto one end of a veth pair in a network
# namespace of our own and captured on the other end, in a second
# namespace, first by `tcpdump -i IF -w /dev/null`, then (the same trial
# again) by dnsreachd.  Rates are tried from --topspeed down
# (BENCH_LIVE_RATES, packets/s); the first at which tcpdump captured every
# packet with no kernel drop is "the rate", and there dnsreachd must drop
# nothing and count, per resolver, exactly the queries and unreachables
# that were sent (the generator's truth).  If it does not, lower rates are
# tried for dnsreachd alone, for information.
#
# Then CPU at fixed rates (BENCH_CPU_RATES, default 60000 and 100000
# packets/s, BENCH_CPU_RUNS runs each): the same replay captured by
# tcpdump -w /dev/null and by dnsreachd with its defaults, each process's
# CPU seconds side by side; dnsreachd must use no more, and drop nothing
# where tcpdump drops nothing.  BENCH_DNSREACHD measures another binary.
#
# The veth ends have no addresses and IPv6 off, and the frames are for a
# MAC address that is not theirs, so the receiving kernel drops them after
# the capture sockets saw them and answers nothing.  Everything made here
# (namespaces, the veth pair, processes, files) goes on exit.
#
# Prints a Markdown section with a table and PASS/FAIL lines on stdout
# (progress on stderr).  Exit 0 when the target is met or the test was
# skipped (not root, no tcpreplay, no network namespaces), 1 otherwise.
set -eu

BUILD=${1:-build}
cd "$(dirname "$0")/.."
NPKT=${BENCH_LIVE_PACKETS:-300000}
RATES=${BENCH_LIVE_RATES:-"top 200000 150000 100000 50000 20000"}
BUF=${BENCH_LIVE_BUFFER:-64M}
B=$BUILD/bench
# BENCH_DNSREACHD: another binary to measure (e.g. an older build).
D=${BENCH_DNSREACHD:-$BUILD/dnsreachd}

say() {
	printf '%s\n' "$*"
}

log() {
	printf 'bench/live: %s\n' "$*" >&2
}

skip() {
	say "## Live capture"
	say ""
	say "Skipped: $*."
	say ""
	log "skipped: $*"
	exit 0
}

[ "$(id -u)" = 0 ] || skip "network namespaces and packet capture need root"
for t in ip tcpreplay tcpdump python3; do
	command -v "$t" >/dev/null 2>&1 || skip "$t is not installed"
done
[ -x "$D" ] || { log "$D not built (make all)"; exit 1; }
sh bench/build-gen.sh "$BUILD"
D=$(cd "$(dirname "$D")" && pwd)/$(basename "$D")

ID=$$
NS_TX=drbtx-$ID
NS_RX=drbrx-$ID
IF_TX=drbt$ID
IF_RX=drbr$ID
TMP=
PIDS=
MADE=

cleanup() {
	trap - EXIT INT TERM HUP
	for p in $PIDS; do
		kill -TERM "$p" 2>/dev/null || true
	done
	for p in $PIDS; do
		wait "$p" 2>/dev/null || true
	done
	if [ -n "$MADE" ]; then
		ip netns del "$NS_TX" 2>/dev/null || true
		ip netns del "$NS_RX" 2>/dev/null || true
	fi
	[ -n "$TMP" ] && rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

TMP=$(mktemp -d /tmp/dnsreach-live.XXXXXX)
chmod 755 "$TMP"	# dnsreachd runs as nobody and may re-read its config

forget() {
	l=
	for p in $PIDS; do
		[ "$p" = "$1" ] || l="$l $p"
	done
	PIDS=$l
}

# wait_for SECONDS CMD...: until CMD succeeds, every 0.1 s.
wait_for() {
	n=$(($1 * 10))
	shift
	while ! "$@" 2>/dev/null; do
		n=$((n - 1))
		[ $n -gt 0 ] || return 1
		sleep 0.1
	done
}

# The namespaces and the veth pair between them: no addresses, no IPv6
# (nothing of the kernel's own on the wire), room for tagged full frames.
MADE=1
ip netns add "$NS_TX" 2>"$TMP/err" && ip netns add "$NS_RX" 2>>"$TMP/err" ||
    skip "ip netns add failed ($(head -n 1 "$TMP/err"))"
for ns in "$NS_TX" "$NS_RX"; do
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
	    net.ipv6.conf.default.disable_ipv6=1 >/dev/null
	ip -n "$ns" link set lo up
done
ip -n "$NS_TX" link add "$IF_TX" type veth peer name "$IF_RX" netns "$NS_RX"
ip -n "$NS_TX" link set "$IF_TX" address 02:00:00:00:be:02 mtu 9000 up
ip -n "$NS_RX" link set "$IF_RX" address 02:00:00:00:be:01 mtu 9000 up
wait_for 5 sh -c "ip -n $NS_RX -br link show dev $IF_RX | grep -q ' UP '" ||
    { log "the veth pair did not come up"; exit 1; }

# The capture and what is in it.
PCAP=$TMP/live.pcap
TRUTH=$TMP/live.truth.json
"$B/gen" -n "$NPKT" -o "$PCAP" -t "$TRUTH"
set -- $(python3 -c 'import json, sys
j = json.load(open(sys.argv[1]))
r = j["resolvers"].values()
print(j["packets"], sum(x["queries"] for x in r),
      sum(x["unreachable"] for x in r), len(j["resolvers"]))' "$TRUTH")
SENT=$1 TQ=$2 TU=$3 TR=$4
log "replaying $SENT packets ($(( $(stat -c %s "$PCAP") / 1048576 )) MiB): $TQ queries, $TU unreachables, $TR resolvers"

cat >"$TMP/live.conf" <<EOF
# bench/live.sh: the defaults, with tables and buffer given by -o
EOF
chmod 644 "$TMP/live.conf"

# softnet: packets the kernel dropped from its per-CPU input backlog
# (netdev_max_backlog), before any capture socket could see them.
softnet_drops() {
	python3 -c 'print(sum(int(l.split()[1], 16)
    for l in open("/proc/net/softnet_stat")))'
}

# replay RATE: tcpreplay the capture from the sending namespace; sets
# R_PPS (packets/s tcpreplay reports), R_OK (all sent), R_BACKLOG.
replay() {
	case $1 in
	top)	how=--topspeed ;;
	*)	how=--pps=$1 ;;
	esac
	s0=$(softnet_drops)
	ip netns exec "$NS_TX" tcpreplay -K "$how" -i "$IF_TX" "$PCAP" \
	    >"$TMP/replay.out" 2>&1 || true
	s1=$(softnet_drops)
	R_BACKLOG=$((s1 - s0))
	R_PPS=$(sed -n 's/.*Rated: .* \([0-9.]*\) pps.*/\1/p' "$TMP/replay.out" |
	    head -n 1)
	R_PPS=$(printf '%.0f' "${R_PPS:-0}")
	sent_ok=$(sed -n 's/.*Successful packets: *\([0-9]*\).*/\1/p' "$TMP/replay.out")
	fail=$(sed -n 's/.*Failed packets: *\([0-9]*\).*/\1/p' "$TMP/replay.out")
	if [ "${sent_ok:-0}" = "$SENT" ] && [ "${fail:-1}" = 0 ]; then
		R_OK=1
	else
		R_OK=0
		log "tcpreplay did not send everything:"
		tail -n 12 "$TMP/replay.out" >&2
	fi
}

label() {
	case $1 in
	top)	echo "--topspeed" ;;
	*)	echo "--pps=$1" ;;
	esac
}

# trial_tcpdump RATE: returns 0 when tcpdump captured every packet, with
# no kernel drop; appends a table row.
trial_tcpdump() {
	: >"$TMP/td.err"
	ip netns exec "$NS_RX" tcpdump -i "$IF_RX" -w /dev/null \
	    2>"$TMP/td.err" &
	tp=$!
	PIDS="$PIDS $tp"
	wait_for 5 grep -q 'listening on' "$TMP/td.err" ||
	    { log "tcpdump did not start"; cat "$TMP/td.err" >&2; exit 1; }
	replay "$1"
	sleep 1
	kill -INT "$tp"
	wait "$tp" || true
	forget "$tp"
	cap=$(sed -n 's/^\([0-9]*\) packets captured.*/\1/p' "$TMP/td.err")
	drop=$(sed -n 's/^\([0-9]*\) packets dropped by kernel.*/\1/p' "$TMP/td.err")
	say "| tcpdump | $(label "$1") | $R_PPS | $SENT | ${cap:-?} | ${drop:-?} | - | $R_BACKLOG | - | - | - |"
	log "tcpdump at $(label "$1") ($R_PPS pps): captured ${cap:-?}, dropped ${drop:-?}"
	[ "$R_OK" = 1 ] && [ "${cap:-0}" = "$SENT" ] && [ "${drop:-1}" = 0 ]
}

# stats_field SED_RE: from the daemon's last "statistics:" or "stopping:" line.
stats_field() {
	grep -E 'dnsreachd: (statistics|stopping): ' "$TMP/d.err" | tail -n 1 |
	    sed -n "s/.*$1.*/\\1/p"
}

# drained: the daemon's packet count stood still for 0.5 s.
drained() {
	kill -USR1 "$dp"
	sleep 0.5
	p1=$(stats_field ': \([0-9]*\) packets (')
	[ -n "$p1" ] && [ "$p1" = "${p0:-x}" ] && return 0
	p0=$p1
	return 1
}

# trial_dnsreachd RATE: returns 0 when dnsreachd dropped nothing and its
# per-resolver queries and unreachables equal the truth; appends a row.
trial_dnsreachd() {
	: >"$TMP/d.err"
	ip netns exec "$NS_RX" "$D" -i "$IF_RX" --foreground --alerts stderr \
	    -c "$TMP/live.conf" -o buffer_size="$BUF" -o max_resolvers=4096 \
	    -o max_pending=262144 -o user=nobody >/dev/null 2>"$TMP/d.err" &
	dp=$!
	PIDS="$PIDS $dp"
	wait_for 5 grep -q 'watching DNS on' "$TMP/d.err" ||
	    { log "dnsreachd did not start"; cat "$TMP/d.err" >&2; exit 1; }
	replay "$1"
	sleep 0.5
	p0=
	wait_for 30 drained || log "dnsreachd still busy after 30 s"
	kill -TERM "$dp"
	wait "$dp" || log "dnsreachd exited with status $?"
	forget "$dp"
	cp "$TMP/d.err" "$TMP/d.err.$1"
	st=$(grep 'dnsreachd: stopping: ' "$TMP/d.err" | tail -n 1)
	pk=$(printf '%s' "$st" | sed -n 's/.*: \([0-9]*\) packets (.*/\1/p')
	rcv=$(printf '%s' "$st" | sed -n 's/.*capture received \([0-9]*\),.*/\1/p')
	drop=$(printf '%s' "$st" | sed -n 's/.*, dropped \([0-9]*\),.*/\1/p')
	ifd=$(printf '%s' "$st" | sed -n 's/.*interface dropped \([0-9]*\);.*/\1/p')
	set -- "$1" $(python3 - "$TMP/d.err" "$TRUTH" <<-'EOF'
	import json, re, sys
	truth = json.load(open(sys.argv[2]))["resolvers"]
	got = {}
	for line in open(sys.argv[1]):
	    # A client's resend is one query retried to dnsreachd; the
	    # generator counts every packet sent.
	    m = re.search(r"resolver (\S+): (\d+) queries, \d+ responses, "
	                  r"(\d+) unreachable.* (\d+) retransmissions", line)
	    if m:
	        got[m.group(1)] = (int(m.group(2)) + int(m.group(4)),
	                           int(m.group(3)))
	bad = [a for a in set(truth) | set(got)
	       if got.get(a, (0, 0)) != (truth.get(a, {}).get("queries", 0),
	                                  truth.get(a, {}).get("unreachable", 0))]
	for a in sorted(bad):
	    print("bench/live: %s: sent %s queries, %s unreachable; dnsreachd "
	          "%s" % (a, truth.get(a, {}).get("queries", 0),
	                  truth.get(a, {}).get("unreachable", 0),
	                  got.get(a, "nothing")), file=sys.stderr)
	print(sum(q for q, u in got.values()), sum(u for q, u in got.values()),
	      len(bad))
	EOF
	)
	q=$2 u=$3 bad=$4
	say "| dnsreachd | $(label "$1") | $R_PPS | $SENT | ${pk:-?} of ${rcv:-?} | ${drop:-?} | ${ifd:-?} | $R_BACKLOG | $q / $TQ | $u / $TU | $bad of $TR |"
	log "dnsreachd at $(label "$1") ($R_PPS pps): ${pk:-?} packets, dropped ${drop:-?}, interface dropped ${ifd:-?}, queries $q/$TQ, unreachable $u/$TU, $bad resolvers differ"
	[ "$R_OK" = 1 ] && [ "${drop:-1}" = 0 ] && [ "${ifd:-1}" = 0 ] &&
	    [ "$bad" = 0 ] && [ "${pk:-0}" = "${rcv:-x}" ]
}

say "## Live capture: $SENT packets replayed onto a veth"
say ""
say "\`tcpreplay -K\` from one network namespace onto a veth pair, captured on"
say "the other end (another namespace) by \`tcpdump -i IF -w /dev/null\`"
say "(default buffer), then, the same replay again, by \`dnsreachd -i IF"
say "--foreground -o buffer_size=$BUF -o max_resolvers=4096 -o"
say "max_pending=262144 -o user=nobody\`.  The capture: \`gen -n $NPKT\`,"
say "$TQ queries and $TU unreachables to $TR resolvers.  \"backlog\" is"
say "what the kernel dropped from its input queues (/proc/net/softnet_stat)"
say "during the replay; dnsreachd's \"captured\" is packets it processed of"
say "those its filter passed."
say ""
say "| capture | replay | sent packets/s | sent | captured | kernel dropped | interface dropped | backlog | queries (dnsreachd / sent) | unreachable (dnsreachd / sent) | resolvers differing |"
say "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"

rate= rate_pps= extra=
rest=
for r in $RATES; do
	if [ -n "$rate" ]; then
		rest="$rest $r"
		continue
	fi
	if trial_tcpdump "$r"; then
		rate=$r rate_pps=$R_PPS
	fi
done
if [ -z "$rate" ]; then
	say ""
	say "- FAIL: tcpdump lost packets at every rate tried ($RATES)"
	exit 1
fi
if trial_dnsreachd "$rate"; then
	ok=1
	own=$rate own_pps=$R_PPS
	# At --topspeed the sender may go slower with dnsreachd listening
	# than with tcpdump: ask for tcpdump's rate explicitly too (for
	# information; tcpreplay sends as fast as it can when it cannot).
	if [ "$rate" = top ] && [ "$own_pps" -lt "$rate_pps" ]; then
		trial_dnsreachd "$rate_pps" || extra=FAIL
	fi
else
	ok=0
	own= own_pps=
	for r in $rest; do
		if trial_dnsreachd "$r"; then
			own=$r own_pps=$R_PPS
			break
		fi
	done
fi
say ""
say "Highest rate without loss for tcpdump: $(label "$rate") ($rate_pps packets/s sent)."
if [ "$ok" = 1 ]; then
	say "dnsreachd at the same replay ($own_pps packets/s): no drops, every resolver's counts exact."
	[ -n "$extra" ] && say "At --pps=$rate_pps (asked for explicitly) dnsreachd lost or miscounted: see the table."
	VERDICT="- PASS: live at $(label "$rate") (~$rate_pps packets/s, the highest rate tried with no tcpdump kernel drops): dnsreachd dropped nothing and counted exactly the queries ($TQ) and unreachables ($TU) sent, per resolver"
else
	if [ -n "$own" ]; then
		say "dnsreachd lost or miscounted there; its own highest clean rate: $(label "$own") ($own_pps packets/s)."
	else
		say "dnsreachd lost or miscounted at every rate tried."
	fi
	VERDICT="- FAIL: live at $(label "$rate") (~$rate_pps packets/s, no tcpdump kernel drops): dnsreachd dropped packets or its per-resolver counts differ from what was sent"
fi

# ---- CPU, side by side with tcpdump, at fixed rates ----
#
# The same replay at each of BENCH_CPU_RATES packets/s, BENCH_CPU_RUNS
# times, captured by `tcpdump -i IF -w /dev/null` (its defaults: 2 MiB
# buffer, 1 s timeout, no filter) and by dnsreachd with its defaults.
# CPU is the capturing process's, all threads, from the moment it
# listens to one second after the replay ended: utime + stime
# (/proc/PID/stat, clock ticks) and the scheduler's run time
# (/proc/PID/task/*/schedstat, ns), the latter used for the ratio.
CPU_RATES=${BENCH_CPU_RATES:-"60000 100000"}
CPU_RUNS=${BENCH_CPU_RUNS:-3}
HZ=$(getconf CLK_TCK)

# cpu_of PID: "ticks ns" the process used so far.
cpu_of() {
	_ns=0
	for _t in /proc/"$1"/task/*; do
		set -- "$1" $(cat "$_t/schedstat")
		_ns=$((_ns + $2))
	done
	set -- $(sed 's/^.*) //' "/proc/$1/stat")
	echo "$(( ${12} + ${13} )) $_ns"
}

# cpu_tcpdump RATE: "ticks ns dropped" of one tcpdump trial.
cpu_tcpdump() {
	rate_=$1
	: >"$TMP/td.err"
	ip netns exec "$NS_RX" tcpdump -i "$IF_RX" -w /dev/null \
	    2>"$TMP/td.err" &
	tp=$!
	PIDS="$PIDS $tp"
	wait_for 5 grep -q 'listening on' "$TMP/td.err" ||
	    { log "tcpdump did not start"; exit 1; }
	set -- $(cpu_of "$tp")
	c0t=$1 c0n=$2
	replay "$rate_"
	sleep 1
	set -- $(cpu_of "$tp")
	c1t=$1 c1n=$2
	kill -INT "$tp"
	wait "$tp" || true
	forget "$tp"
	drop=$(sed -n 's/^\([0-9]*\) packets dropped by kernel.*/\1/p' "$TMP/td.err")
	echo "$((c1t - c0t)) $((c1n - c0n)) ${drop:-?} $R_PPS"
}

# cpu_dnsreachd RATE: "ticks ns dropped" of one dnsreachd trial.
cpu_dnsreachd() {
	rate_=$1
	: >"$TMP/d.err"
	ip netns exec "$NS_RX" "$D" -i "$IF_RX" --foreground --alerts stderr \
	    -c "$TMP/live.conf" -o user=nobody >/dev/null 2>"$TMP/d.err" &
	dp=$!
	PIDS="$PIDS $dp"
	wait_for 5 grep -q 'watching DNS on' "$TMP/d.err" ||
	    { log "dnsreachd did not start"; cat "$TMP/d.err" >&2; exit 1; }
	set -- $(cpu_of "$dp")
	c0t=$1 c0n=$2
	replay "$rate_"
	sleep 1
	set -- $(cpu_of "$dp")
	c1t=$1 c1n=$2
	kill -TERM "$dp"
	wait "$dp" || true
	forget "$dp"
	st=$(grep 'dnsreachd: stopping: ' "$TMP/d.err" | tail -n 1)
	drop=$(printf '%s' "$st" | sed -n 's/.*, dropped \([0-9]*\), interface dropped \([0-9]*\);.*/\1 \2/p')
	set -- $drop
	echo "$((c1t - c0t)) $((c1n - c0n)) $(( ${1:-0} + ${2:-0} )) $R_PPS"
}

# median of the numbers on stdin.
median() {
	sort -n | awk '{ v[NR] = $1 }
	    END { if (NR % 2) print v[(NR + 1) / 2]
		else print int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}

say ""
say "### CPU at fixed rates, side by side with tcpdump"
say ""
say "\`tcpreplay --pps=RATE\` of the same $SENT packets; each capturing"
say "process's CPU from the moment it listens to a second after the"
say "replay (utime+stime in clock ticks of 1/$HZ s, and the scheduler's"
say "run time); $CPU_RUNS runs each, medians.  tcpdump: \`-i IF -w"
say "/dev/null\`, its defaults; dnsreachd: its defaults (\`-o user=nobody\`)."
say ""
say "| rate asked | sent packets/s | tcpdump CPU s | tcpdump ticks | tcpdump dropped | dnsreachd CPU s | dnsreachd ticks | dnsreachd dropped | dnsreachd / tcpdump |"
say "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
cpu_ok=1
for r in $CPU_RATES; do
	: >"$TMP/cpu.td"
	: >"$TMP/cpu.dr"
	i=0
	while [ $i -lt "$CPU_RUNS" ]; do
		cpu_tcpdump "$r" >>"$TMP/cpu.td"
		cpu_dnsreachd "$r" >>"$TMP/cpu.dr"
		i=$((i + 1))
	done
	tdt=$(cut -d' ' -f1 "$TMP/cpu.td" | median)
	tdn=$(cut -d' ' -f2 "$TMP/cpu.td" | median)
	tdd=$(cut -d' ' -f3 "$TMP/cpu.td" | sort -n | tail -n 1)
	drt=$(cut -d' ' -f1 "$TMP/cpu.dr" | median)
	drn=$(cut -d' ' -f2 "$TMP/cpu.dr" | median)
	drd=$(cut -d' ' -f3 "$TMP/cpu.dr" | sort -n | tail -n 1)
	pps=$(cut -d' ' -f4 "$TMP/cpu.dr" | median)
	ratio=$(awk -v a="$drn" -v b="$tdn" 'BEGIN { printf "%.2f", b ? a / b : 0 }')
	say "| $r | $pps | $(awk -v n="$tdn" 'BEGIN { printf "%.3f", n / 1e9 }') | $tdt | $tdd | $(awk -v n="$drn" 'BEGIN { printf "%.3f", n / 1e9 }') | $drt | $drd | $ratio |"
	log "CPU at $r pps: tcpdump $tdn ns ($tdt ticks, drops $tdd), dnsreachd $drn ns ($drt ticks, drops $drd)"
	awk -v a="$drn" -v b="$tdn" 'BEGIN { exit !(a <= b) }' || cpu_ok=0
	[ "$tdd" = 0 ] && [ "$drd" != 0 ] && cpu_ok=0
done

say ""
say "$VERDICT"
if [ "$cpu_ok" = 1 ]; then
	say "- PASS: at $CPU_RATES packets/s dnsreachd used no more CPU than tcpdump -w /dev/null, and dropped nothing where tcpdump dropped nothing"
else
	say "- FAIL: at some of $CPU_RATES packets/s dnsreachd used more CPU than tcpdump -w /dev/null, or dropped where tcpdump did not"
fi
case $VERDICT in
"- PASS"*)	[ "$cpu_ok" = 1 ] ;;
*)		false ;;
esac
