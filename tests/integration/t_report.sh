#!/bin/sh
# dnsreachd --report: golden Markdown reports for captures written by
# checked-in generators, the HTML checked by a parser and its SVG
# rendered by rsvg-convert, evidence lines found verbatim in tcpdump's
# output, and clear messages and exit codes for bad input.
#
# DR_UPDATE_GOLDEN=1 rewrites tests/golden/report-*.md from this run
# (then read the diff before committing it).
. "$(dirname "$0")/../lib.sh"

MKINCIDENT=${MKINCIDENT:-$BUILD/tools/mkincident}
PKTLINES=${PKTLINES:-$BUILD/tools/pktlines}
GOLDEN=$TESTS_DIR/golden
abs() {
	echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
}
DNSREACHD=$(abs "$DNSREACHD")
MKPCAP=$(abs "$MKPCAP")
MKINCIDENT=$(abs "$MKINCIDENT")
PKTLINES=$(abs "$PKTLINES")

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Reports name the capture as given: run from $tmp with relative names.
cd "$tmp" || exit 1
for s in seed multi healthy nodns evil zoo; do
	"$MKINCIDENT" $s $s.pcap || not_ok "mkincident $s"
done
"$MKPCAP" -T 61 -r 5 -c 4 -o router.pcap answer:10 icmp13:40 answer:40 \
    icmp1:40 >/dev/null || not_ok "mkpcap router"

# golden NAME: the Markdown report of NAME.pcap, byte for byte.
golden() {
	"$DNSREACHD" --report $1.pcap >$1.md 2>$1.err
	rc=$?
	if [ $rc != 0 ]; then
		not_ok "$1: exit $rc: $(head -n 3 $1.err)"
		return
	fi
	if [ -n "${DR_UPDATE_GOLDEN:-}" ]; then
		cp $1.md "$GOLDEN/report-$1.md"
		skip "$1: golden rewritten"
		return
	fi
	if cmp -s $1.md "$GOLDEN/report-$1.md"; then
		ok "$1: the report equals tests/golden/report-$1.md"
	else
		not_ok "$1: the report differs from tests/golden/report-$1.md"
		diff -u "$GOLDEN/report-$1.md" $1.md | head -n 40
	fi
}

for s in seed router multi healthy nodns; do
	golden $s
done

# flat FILE: the report's prose with lines joined, for phrases that
# wrapping may break.
flat() {
	tr '\n' ' ' <"$1" | tr -s ' '
}
says() {
	flat "$1" | grep -qF -- "$2"
}

# The seed: what the analyst had to find by hand, in plain words.
check "seed: names the resolver and the cause" \
    says seed.md "### 203.0.113.2: DNS service not listening"
check "seed: the resolver itself sent udp port 53 unreachable" \
    says seed.md '203.0.113.2 itself answered the lookups with "udp port 53 unreachable"'
check "seed: the first failure, with its date, in UTC" \
    says seed.md "From 13:24:32 UTC on 2026-01-14"
check "seed: the name that failed" \
    says seed.md '`yummyrecipesforme.com` (3 failed lookups)'
check "seed: the checklist for a service not listening" \
    says seed.md "\`ss -lunp 'sport = :53'\` must list it"
check "seed: still failing at the end" \
    grep -q '| 2026-01-14 13:29:16 | 203.0.113.2 | Still failing at the end of the capture |' seed.md

# A router that filters, then cannot reach: named, with its distance.
check "router: the firewall's router and its hop distance" \
    says router.md 'the router 198.51.100.1, 3 hops from where the capture was taken, answered 200 lookups with the ICMP error "administratively prohibited"'
check "router: host unreachable from the same router" \
    says router.md 'answered 200 lookups with the ICMP error "host unreachable"'
check "router: its checklist starts there" \
    says router.md "The errors came from 198.51.100.1, 3 hops from the capture point: check its firewall rules"

# Several resolvers: each told, the still-failing one first.
check "multi: three of four resolvers failed, one still failing" \
    says multi.md "3 of the 4 DNS resolvers seen had incidents (4 in all), and one was still failing when the capture ended."
check "multi: the still-failing resolver comes first" \
    sh -c "grep '^### ' multi.md | head -n 1 | grep -q '2001:db8::53: blocked by a firewall'"
check "multi: the silent drop is told as such" \
    says multi.md "240 lookups got no reply at all, neither an answer nor an error message"
check "multi: the healthy resolver is listed apart" \
    grep -q '^| 203.0.113.3 | 600 | 600 | 0 |' multi.md
check "healthy: all answered" \
    says healthy.md "**No DNS failures in this capture: 180 queries to 2 resolvers, all answered.**"
check "nodns: says there is no DNS" \
    says nodns.md "**No DNS traffic in this capture: 120 packets"

# The same report every run (hash seeds differ).
"$DNSREACHD" --report multi.pcap >multi2.md 2>/dev/null
check "multi: the same report twice" cmp -s multi.md multi2.md

# Every evidence line is a line of tcpdump's, verbatim.
if command -v tcpdump >/dev/null 2>&1; then
	for s in seed router multi; do
		TZ=UTC tcpdump -n -r $s.pcap >$s.td 2>/dev/null
		grep -E '^    [0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6} ' $s.md |
		    sed 's/^    //' >$s.ev
		n=$(wc -l <$s.ev)
		missing=$(grep -vxFf $s.td $s.ev | head -n 3)
		if [ "$n" -gt 0 ] && [ -z "$missing" ]; then
			ok "$s: all $n evidence lines are tcpdump's"
		else
			not_ok "$s: evidence lines not in tcpdump's output: $missing"
		fi
	done
	# Every packet of the zoo (and more) as tcpdump prints it; TCP
	# lines leave out what tcpdump puts between the flags and length.
	for s in zoo seed multi router; do
		"$PKTLINES" $s.pcap >$s.pl
		TZ=UTC tcpdump -n -r $s.pcap >$s.td 2>/dev/null
		if python3 - $s.pl $s.td <<'EOF'
import re, sys
mine = open(sys.argv[1]).read().splitlines()
theirs = open(sys.argv[2]).read().splitlines()
bad = 0
if not theirs or len(mine) != len(theirs):
    print("# %d lines, tcpdump %d" % (len(mine), len(theirs)))
    bad = 1
for m, t in zip(mine, theirs):
    if m == "-":
        continue
    if " Flags [" in m:
        t = re.sub(r", seq [0-9:]+(, ack [0-9]+)?, win [0-9]+"
                   r"(, options \[[^]]*\])?", "", t)
        t = re.sub(r"(Flags \[[^]]*\]), length 0$", r"\1", t)
    if m != t:
        print("# ours:    " + m)
        print("# tcpdump: " + t)
        bad = 1
sys.exit(bad)
EOF
		then
			ok "$s: every DNS packet reads as tcpdump prints it"
		else
			not_ok "$s: lines differ from tcpdump's"
		fi
	done
else
	skip "tcpdump is not installed: evidence lines unchecked"
fi

# HTML: one self-contained page, well formed, nothing to run or fetch.
for s in seed multi router evil healthy nodns; do
	"$DNSREACHD" --report $s.pcap --report-format=html >$s.html \
	    2>/dev/null
	case $s in
	healthy|nodns) svg= ;;
	*) svg=$s-svg ;;
	esac
	if out=$(python3 "$TESTS_DIR/report_check.py" $s.html $svg); then
		ok "$s: the HTML is well formed and self-contained"
	else
		not_ok "$s: HTML: $out"
	fi
done
inert() {
	"$DNSREACHD" --report evil.pcap >evil.md 2>/dev/null &&
	    grep -qF '`a\124b.example.com`' evil.md &&
	    grep -qF '`\060script\062alert' evil.md &&
	    ! grep -qF -e '<script' -e '`x`' -e 'a|b.example' evil.md evil.html
}
check "evil: no markup from the wire, in either form" inert
check "multi: one chart per failing resolver" \
    sh -c '[ "$(grep -c "<svg " multi.html)" = 3 ]'
if command -v rsvg-convert >/dev/null 2>&1; then
	for f in *-svg-*.svg; do
		if rsvg-convert -o ${f%.svg}.png $f 2>$f.err &&
		    [ -s ${f%.svg}.png ] && [ ! -s $f.err ]; then
			ok "$f renders with rsvg-convert"
		else
			not_ok "$f: rsvg-convert: $(head -n 3 $f.err)"
		fi
	done
else
	skip "rsvg-convert is not installed (librsvg2-bin): charts unrendered"
fi

# Bad input: a message naming the file, the documented exit code, and
# no half report on stdout.
"$DNSREACHD" --report nosuch.pcap >out 2>err
check "missing file: exit 1, the file named, nothing on stdout" \
    sh -c "[ $? = 1 ] && grep -q 'nosuch.pcap: No such file' err && [ ! -s out ]"
echo "not a capture" >junk.pcap
"$DNSREACHD" --report junk.pcap >out 2>err
check "not a capture: exit 1 with a message, nothing on stdout" \
    sh -c "[ $? = 1 ] && grep -q 'junk.pcap' err && [ ! -s out ]"
head -c 3000 multi.pcap >cut.pcap
"$DNSREACHD" --report cut.pcap >cut.md 2>err
rc=$?
check "truncated capture: exit 0, a warning, and the report says so" \
    sh -c "[ $rc = 0 ] && grep -q 'cut.pcap: truncated dump file' err &&
    tr '\n' ' ' <cut.md | grep -q 'The capture file ends early'"
"$DNSREACHD" --report nodns.pcap >out 2>err
rc=$?
check "no DNS: exit 0, and stderr says so too" \
    sh -c "[ $rc = 0 ] && grep -q 'no DNS traffic in this capture' err"
head -c 24 seed.pcap >empty.pcap
"$DNSREACHD" --report empty.pcap >out 2>err
rc=$?
check "no packets: exit 0 and the report says so" \
    sh -c "[ $rc = 0 ] && grep -q 'The capture holds no packets' out"
"$DNSREACHD" --report seed.pcap >/dev/full 2>err
rc=$?
check "a report that cannot be written: exit 1 with a message" \
    sh -c "[ $rc = 1 ] && grep -q 'cannot write the report' err"
for args in "--report seed.pcap --report-format=pdf" \
    "--report-format=html" "--report seed.pcap --read seed.pcap" \
    "--report seed.pcap --json" "--report"; do
	"$DNSREACHD" $args >out 2>err
	rc=$?
	check "usage: dnsreachd $args: exit 2 with a message" \
	    sh -c "[ $rc = 2 ] && [ -s err ] && [ ! -s out ]"
done
finish
