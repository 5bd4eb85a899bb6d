#!/bin/sh
# make install into a DESTDIR: every file in its place, the unit verified
# and hardened, the man pages render, and the message catalog explains a
# real alert (journalctl -x) without touching the system's catalog.
. "$(dirname "$0")/../lib.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
root=$tmp/root

make -s install DESTDIR="$root" PREFIX=/usr BUILD="$BUILD" \
    >"$tmp/install.log" 2>&1
check "make install DESTDIR=... PREFIX=/usr" [ $? = 0 ]
for f in /usr/sbin/dnsreachd /etc/dnsreach/dnsreach.conf \
    /lib/systemd/system/dnsreachd.service \
    /usr/lib/systemd/catalog/dnsreach.catalog \
    /usr/share/man/man8/dnsreachd.8 /usr/share/man/man5/dnsreach.conf.5; do
	check "installed $f" [ -s "$root$f" ]
done
check "installed binary runs" "$root/usr/sbin/dnsreachd" --version
check "installed config checks" "$root/usr/sbin/dnsreachd" \
    -c "$root/etc/dnsreach/dnsreach.conf" --check-config
check "unit points at the installed binary" \
    grep -q '^ExecStart=/usr/sbin/dnsreachd' \
    "$root/lib/systemd/system/dnsreachd.service"

# The unit as it would be, with the binary that exists here.
sed "s|@SBINDIR@|$(cd "$BUILD" && pwd)|" systemd/dnsreachd.service.in \
    >"$tmp/dnsreachd.service"
if systemd-analyze --help 2>/dev/null | grep -q -- --offline; then
	check "systemd-analyze verify is clean" \
	    sh -c "systemd-analyze verify --man=no $tmp/dnsreachd.service \
	    >$tmp/verify.log 2>&1 && ! [ -s $tmp/verify.log ]"
	exposure=$(systemd-analyze security --offline=true \
	    "$tmp/dnsreachd.service" 2>/dev/null |
	    sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
	check "systemd-analyze security exposure ${exposure:-?} <= 2.0" \
	    awk -v e="${exposure:-99}" 'BEGIN { exit !(e <= 2.0) }'
else
	skip "systemd-analyze too old for --offline"
fi

for m in docs/dnsreachd.8 docs/dnsreach.conf.5; do
	check "$m renders without warnings" \
	    sh -c "groff -mandoc -Tutf8 -ww $m 2>&1 >/dev/null | \
	    (! grep -q .)"
done

check "catalog compiles" journalctl --root="$root" --update-catalog
# Every event kind has its entry, every cause token its explanation, and
# the failing entry shows every count field.
for id in 5b2d8a0e4c7f4f7e9a31d6c2b8e0f417 c41f9e2a7d3b4a56b0e8f1a2d9c7e305 \
    0761d1fefbc0431dabca009b1c52785c 2d8b35f540f2466a8a87e39ae1db5009 \
    40a33b3f4543463885518cff8ea342ef 33b4cec992dc4fd0b641565c7459560a
do
	check "catalog has an entry for $id" \
	    sh -c "journalctl --root=$root --dump-catalog $id | grep -q Subject"
done
journalctl --root="$root" --dump-catalog 5b2d8a0e4c7f4f7e9a31d6c2b8e0f417 \
    >"$tmp/cat.txt" 2>&1
for c in service-not-listening blocked-by-firewall host-down \
    unreachable-other silent-drop servfail refused error-rcode; do
	check "catalog explains cause $c" grep -q "^  $c: " "$tmp/cat.txt"
done
for f in QUERIES UNREACHABLE TCP_RESETS TIMEOUTS SERVFAIL REFUSED \
    FAILURE_RATE THRESHOLD DETECTOR; do
	check "catalog failing entry shows DNSREACH_$f" \
	    grep -q "@DNSREACH_$f@" "$tmp/cat.txt"
done

# journalctl -x on a real alert, with the installed catalog, in a mount
# namespace of its own so the system's catalog database stays as it was.
if ensure_journald && unshare -m true 2>/dev/null; then
	"$MKPCAP" -o "$tmp/x.pcap" answer:10 icmp3:30 >/dev/null
	"$DNSREACHD" --read "$tmp/x.pcap" --alerts journal >/dev/null 2>&1
	journalctl --sync 2>/dev/null
	mkdir -p /var/lib/systemd/catalog
	unshare -m sh -c "
	    mount -t tmpfs none /var/lib/systemd/catalog &&
	    mount --bind $root/usr/lib/systemd/catalog /usr/lib/systemd/catalog &&
	    journalctl --update-catalog &&
	    journalctl --no-pager -x MESSAGE_ID=5b2d8a0e4c7f4f7e9a31d6c2b8e0f417 \
	        DNSREACH_INTERFACE=$tmp/x.pcap" >"$tmp/x.txt" 2>&1
	check "journalctl -x explains the alert" \
	    grep -q "Subject: DNS resolver 203.0.113.2 is failing (service-not-listening)" "$tmp/x.txt"
	check "journalctl -x says what to check" \
	    grep -q "Check the DNS service on that host" "$tmp/x.txt"
else
	skip "journalctl -x: no journald or no mount namespaces"
fi
finish
