#!/bin/sh
# --read on savefiles written by mkpcap: exact counts against the
# generator's truth, and the right alerts with the right cause, for every
# link type, VLAN tags, IPv6, pcapng, and each kind of failure.
. "$(dirname "$0")/../lib.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# scenario NAME EXPECT_FAILING_CAUSE EXPECT_RECOVERED MKPCAP-ARGS...
#   EXPECT_FAILING_CAUSE: the cause words in MESSAGE, or "-" for no alert.
scenario() {
	name=$1 cause=$2 recovered=$3
	shift 3
	if ! "$MKPCAP" -o "$tmp/$name.pcap" "$@" >"$tmp/$name.truth"; then
		not_ok "$name: mkpcap $*"
		return
	fi
	"$DNSREACHD" --read "$tmp/$name.pcap" --json -o window=20s \
	    >"$tmp/$name.json" 2>"$tmp/$name.err"
	rc=$?
	if [ $rc != 0 ]; then
		not_ok "$name: exit $rc: $(head -n 3 "$tmp/$name.err")"
		return
	fi
	if python3 "$TESTS_DIR/summary_check.py" "$tmp/$name.json" \
	    "$tmp/$name.truth" >"$tmp/$name.diff"; then
		ok "$name: counts equal the generator's truth"
	else
		not_ok "$name: counts differ"
		cat "$tmp/$name.diff"
	fi
	nfail=$(grep -c ' failing: ' "$tmp/$name.err")
	nrec=$(grep -c ' recovered: ' "$tmp/$name.err")
	if [ "$cause" = - ]; then
		check "$name: no alert" [ "$nfail" = 0 ]
	else
		check "$name: one failing alert" [ "$nfail" = 1 ]
		check "$name: cause \"$cause\"" grep -q -- "— $cause" \
		    "$tmp/$name.err"
	fi
	if [ "$recovered" = yes ]; then
		check "$name: one recovered alert" [ "$nrec" = 1 ]
	else
		check "$name: no recovered alert" [ "$nrec" = 0 ]
	fi
}

scenario healthy - no answer:60
scenario incident "DNS service not listening" yes answer:30 icmp3:60 answer:60
scenario incident-v6 "DNS service not listening" yes -6 answer:30 icmp4:60 answer:60
scenario admin13 "blocked by a firewall" no answer:10 icmp13:40
scenario admin9 "blocked by a firewall" no answer:10 icmp9:40
scenario admin-v6 "blocked by a firewall" no -6 answer:10 icmp1:40
scenario host1 "host or network down" no answer:10 icmp1:40
scenario net0-v6 "host or network down" no -6 answer:10 icmp3:40
scenario silent "silent drop" yes answer:10 drop:40 answer:60
scenario quote8 "DNS service not listening" no answer:10 quote83:40
scenario tcprst "DNS service not listening" no tcprst:30
scenario forged - no forged:60
scenario servfail "the resolver answers SERVFAIL" no servfail:30
scenario vlan1 "DNS service not listening" no -t 1 answer:10 icmp3:30
scenario vlan2 "DNS service not listening" no -t 2 answer:10 icmp3:30
scenario vlan2-v6 "DNS service not listening" no -6 -t 2 answer:10 icmp4:30
scenario sll "DNS service not listening" no -l 113 answer:10 icmp3:30
scenario sll2-v6 "DNS service not listening" no -6 -l 276 answer:10 icmp4:30
scenario raw12 "DNS service not listening" no -l 12 answer:10 icmp3:30
scenario raw12-v6 "DNS service not listening" no -6 -l 12 answer:10 icmp4:30
scenario ipv4-228 "DNS service not listening" no -l 228 answer:10 icmp3:30
scenario ipv6-229 "DNS service not listening" no -6 -l 229 answer:10 icmp4:30
scenario null "DNS service not listening" no -l 0 answer:10 icmp3:30
scenario loop-v6 "DNS service not listening" no -6 -l 108 answer:10 icmp4:30
scenario pcapng "DNS service not listening" yes -n answer:10 icmp3:30 answer:60
scenario noise "DNS service not listening" no -u 5 answer:10 icmp3:30

# The text summary names the resolver and says it is failing.
"$MKPCAP" -o "$tmp/t.pcap" icmp3:20 >/dev/null
"$DNSREACHD" --read "$tmp/t.pcap" >"$tmp/t.txt" 2>/dev/null
check "text summary lists the failing resolver" \
    grep -q '^203.0.113.2 .* FAILING$' "$tmp/t.txt"

# A truncated file still gives a summary of what was read.
"$MKPCAP" -o "$tmp/full.pcap" icmp3:20 >/dev/null
head -c 3000 "$tmp/full.pcap" >"$tmp/cut.pcap"
"$DNSREACHD" --read "$tmp/cut.pcap" --json >"$tmp/cut.json" 2>"$tmp/cut.err"
rc=$?
check "truncated savefile: exit 0 and a summary" \
    sh -c "[ $rc = 0 ] && python3 -c 'import json,sys; json.load(open(sys.argv[1]))' $tmp/cut.json"

# Not a capture file at all.
echo "not a pcap" >"$tmp/junk"
"$DNSREACHD" --read "$tmp/junk" >/dev/null 2>"$tmp/junk.err"
check "junk savefile: exit 1 with a message" \
    sh -c "[ $? = 1 ] && [ -s $tmp/junk.err ]"
finish
