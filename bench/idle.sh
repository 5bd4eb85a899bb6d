#!/bin/sh
# bench/idle.sh [BUILD]: what dnsreachd costs when nothing happens.  It
# captures for BENCH_IDLE_SECONDS (default 10) on a veth with no traffic
# (both ends in a network namespace of our own, no addresses, IPv6 off),
# and the kernel's counters for it are read at the start and at the end:
# voluntary + nonvoluntary context switches of all its threads
# (/proc/PID/task/*/status): wakeups; utime + stime (/proc/PID/stat, in
# clock ticks) and the scheduler's run time (/proc/PID/task/*/schedstat,
# ns): CPU.  Targets: at most 2 wakeups/s on average, and no measurable
# CPU (not one clock tick).
#
# Prints a Markdown section with a table and PASS/FAIL lines on stdout.
# Exit 0 when both targets are met or the test was skipped (not root, no
# network namespaces), 1 otherwise.  Everything made here goes on exit.
set -eu

BUILD=${1:-build}
cd "$(dirname "$0")/.."
SECS=${BENCH_IDLE_SECONDS:-10}
D=$BUILD/dnsreachd

say() {
	printf '%s\n' "$*"
}

log() {
	printf 'bench/idle: %s\n' "$*" >&2
}

skip() {
	say "## Idle"
	say ""
	say "Skipped: $*."
	say ""
	log "skipped: $*"
	exit 0
}

[ "$(id -u)" = 0 ] || skip "network namespaces and packet capture need root"
command -v ip >/dev/null 2>&1 || skip "no ip(8) (iproute2)"
[ -x "$D" ] || { log "$D not built (make all)"; exit 1; }
D=$(cd "$(dirname "$D")" && pwd)/$(basename "$D")

NS=drbidle-$$
IF_A=drbi$$
IF_B=drbj$$
TMP=
DP=
MADE=

cleanup() {
	trap - EXIT INT TERM HUP
	if [ -n "$DP" ]; then
		kill -TERM "$DP" 2>/dev/null || true
		wait "$DP" 2>/dev/null || true
	fi
	[ -n "$MADE" ] && { ip netns del "$NS" 2>/dev/null || true; }
	[ -n "$TMP" ] && rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

TMP=$(mktemp -d /tmp/dnsreach-idle.XXXXXX)
chmod 755 "$TMP"
printf '# bench/idle.sh: the defaults\n' >"$TMP/idle.conf"
chmod 644 "$TMP/idle.conf"

MADE=1
ip netns add "$NS" 2>"$TMP/err" ||
    skip "ip netns add failed ($(head -n 1 "$TMP/err"))"
ip netns exec "$NS" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
    net.ipv6.conf.default.disable_ipv6=1 >/dev/null
ip -n "$NS" link set lo up
ip -n "$NS" link add "$IF_A" type veth peer name "$IF_B"
ip -n "$NS" link set "$IF_A" up
ip -n "$NS" link set "$IF_B" up

ip netns exec "$NS" "$D" -i "$IF_A" --foreground --alerts journal \
    -c "$TMP/idle.conf" -o user=nobody >/dev/null 2>"$TMP/d.err" &
DP=$!
n=50
until grep -q 'watching DNS on' "$TMP/d.err"; do
	n=$((n - 1))
	[ $n -gt 0 ] && kill -0 "$DP" 2>/dev/null ||
	    { log "dnsreachd did not start"; cat "$TMP/d.err" >&2; exit 1; }
	sleep 0.1
done
sleep 1		# past start-up

# sample: "context_switches cpu_ticks run_ns threads" of the daemon now.
sample() {
	cs=0 ns=0 th=0
	for t in /proc/"$DP"/task/*; do
		set -- $(sed -n 's/^\(non\)\{0,1\}voluntary_ctxt_switches:[[:space:]]*//p' "$t/status")
		cs=$((cs + $1 + $2))
		set -- $(cat "$t/schedstat")
		ns=$((ns + $1))
		th=$((th + 1))
	done
	# utime and stime: fields 14 and 15, after the "(comm)" field.
	set -- $(sed 's/^.*) //' "/proc/$DP/stat")
	echo "$cs $(( ${12} + ${13} )) $ns $th"
}

set -- $(sample)
cs0=$1 tk0=$2 ns0=$3
t0=$(date +%s%N)
sleep "$SECS"
set -- $(sample)
cs1=$1 tk1=$2 ns1=$3 threads=$4
t1=$(date +%s%N)
kill -TERM "$DP"
wait "$DP" || true
DP=
hz=$(getconf CLK_TCK)
el=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')
wk=$((cs1 - cs0))
tk=$((tk1 - tk0))
run=$((ns1 - ns0))
wps=$(awk -v w="$wk" -v e="$el" 'BEGIN { printf "%.2f", w / e }')
cpu_ms=$(awk -v t="$tk" -v h="$hz" 'BEGIN { printf "%.0f", t * 1000 / h }')
run_us=$(awk -v r="$run" 'BEGIN { printf "%.0f", r / 1000 }')
pct=$(awk -v r="$run" -v e="$el" 'BEGIN { printf "%.4f", r / 1e9 / e * 100 }')
log "$wk context switches in $el s, $tk ticks, $run_us us on CPU"

say "## Idle: dnsreachd on a quiet veth for $el s"
say ""
say "\`dnsreachd -i IF --foreground -o user=nobody\` with the default"
say "configuration (bucket 1 s), on a veth with no traffic; counters read"
say "1 s after start-up and $SECS s later."
say ""
say "| threads | context switches | wakeups/s | CPU (utime+stime) | on CPU (schedstat) | CPU share |"
say "|---:|---:|---:|---:|---:|---:|"
say "| $threads | $wk | $wps | $tk ticks ($cpu_ms ms) | $run_us us | $pct% |"
say ""
ok=0
if awk -v w="$wps" 'BEGIN { exit !(w <= 2) }'; then
	say "- PASS: idle wakeups at most 2/s on average ($wps/s)"
else
	say "- FAIL: idle wakeups at most 2/s on average ($wps/s)"
	ok=1
fi
# Clock ticks come in 10 ms steps: a few hundred microseconds that
# happen to cross a tick read as 10 ms.  schedstat counts nanoseconds:
# judge by it when there is one, by the ticks otherwise.
if [ "$run" -gt 0 ]; then
	idle_ok=$(awk -v p="$pct" 'BEGIN { print (p < 0.1) }')
else
	idle_ok=$([ "$tk" = 0 ] && echo 1 || echo 0)
fi
if [ "$idle_ok" = 1 ]; then
	say "- PASS: no measurable CPU when idle (under 0.1%: $run_us us on CPU by schedstat in $el s, $pct%; $tk clock ticks)"
else
	say "- FAIL: no measurable CPU when idle ($run_us us on CPU by schedstat in $el s, $pct%; $tk clock ticks, $cpu_ms ms)"
	ok=1
fi
exit $ok
