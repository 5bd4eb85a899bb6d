#!/bin/sh
# dnsreachd's per-resolver counts on a generated gateway capture (IPv4 and
# IPv6, DNS over UDP and TCP, VLAN tags, ICMP errors of several codes,
# traffic to ignore) equal tshark's and the generator's truth: the small
# version of the check "make bench" runs on 2M packets (bench/oracle.py).
. "$(dirname "$0")/../lib.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
root=$(cd "$TESTS_DIR/.." && pwd)
GEN=$BUILD/bench/gen

if ! command -v tshark >/dev/null 2>&1; then
	sh "$root/.ci/deps" test >/dev/null 2>&1 || true
fi
if ! command -v tshark >/dev/null 2>&1; then
	skip "tshark is not installed and cannot be (apt-get install tshark)"
	finish
	exit $?
fi

if sh "$root/bench/build-gen.sh" "$BUILD" >"$tmp/build.log" 2>&1; then
	ok "bench/gen builds with the project's warnings"
else
	not_ok "bench/gen does not build: $(head -n 5 "$tmp/build.log")"
	finish
	exit 1
fi

# oracle NAME GEN-ARGS...: generate, read, compare with tshark and truth.
oracle() {
	name=$1
	shift
	if ! "$GEN" -o "$tmp/$name.pcap" -t "$tmp/$name.truth" "$@"; then
		not_ok "$name: gen $*"
		return
	fi
	"$DNSREACHD" --read "$tmp/$name.pcap" --json >"$tmp/$name.json" \
	    2>"$tmp/$name.err"
	rc=$?
	if [ $rc != 0 ]; then
		not_ok "$name: dnsreachd exit $rc: $(head -n 3 "$tmp/$name.err")"
		return
	fi
	if python3 "$root/bench/oracle.py" "$tmp/$name.pcap" \
	    "$tmp/$name.json" "$tmp/$name.truth" >"$tmp/$name.out" 2>&1; then
		ok "$name: $(tail -n 1 "$tmp/$name.out")"
	else
		not_ok "$name: counts differ from tshark or the truth"
		sed 's/^/# /' "$tmp/$name.out"
	fi
}

oracle mix -n 5000 -T 60
oracle resolvers -n 5000 -T 20 -R 300 -s 7
oracle pending -n 5000 -T 20 -P 500 -s 11

# Same arguments, same bytes: the benchmark's capture is reproducible.
"$GEN" -n 3000 -o "$tmp/a.pcap" -t "$tmp/a.truth" &&
    "$GEN" -n 3000 -o "$tmp/b.pcap" -t "$tmp/b.truth"
check "gen is deterministic" cmp -s "$tmp/a.pcap" "$tmp/b.pcap"
"$GEN" -n 3000 -s 2 -o "$tmp/c.pcap" -t "$tmp/c.truth"
check "another seed, another capture" sh -c "! cmp -s $tmp/a.pcap $tmp/c.pcap"
finish
