#!/bin/sh
# Alerts read back from a real systemd-journald, by MESSAGE_ID and a
# per-test marker (the savefile's path is DNSREACH_INTERFACE), with every
# contract field; and no alert lost when journald is not there.
. "$(dirname "$0")/../lib.sh"

tmp=$(mktemp -d /tmp/dnsreach-jt.XXXXXX)
trap 'rm -rf "$tmp"; stop_journald' EXIT

if ! ensure_journald; then
	skip "no systemd-journald could be started (needs root)"
	finish
	exit 0
fi

pcap=$tmp/incident.pcap
"$MKPCAP" -o "$pcap" -c 40 answer:30 icmp3:60 answer:90 >/dev/null
"$DNSREACHD" --read "$pcap" --alerts journal >/dev/null 2>"$tmp/err"
check "--read with --alerts journal exits 0" [ $? = 0 ]
check "nothing on stderr when the journal takes the alerts" \
    sh -c "! grep -q 'resolver' $tmp/err"

journal_json MESSAGE_ID=5b2d8a0e4c7f4f7e9a31d6c2b8e0f417 \
    DNSREACH_INTERFACE="$pcap" >"$tmp/failing.json"
journal_json MESSAGE_ID=c41f9e2a7d3b4a56b0e8f1a2d9c7e305 \
    DNSREACH_INTERFACE="$pcap" >"$tmp/recovered.json"
check "failing alert in the journal with every contract field" \
    python3 "$TESTS_DIR/journal_check.py" failing 1 \
    DNSREACH_RESOLVER=203.0.113.2 DNSREACH_CAUSE=service-not-listening \
    DNSREACH_DETECTOR=fast DNSREACH_THRESHOLD=0.900 \
    DNSREACH_CLIENTS_MIN=10 DNSREACH_ICMP_FROM=203.0.113.2 \
    DNSREACH_ICMP_HOPS=0 \
    'MESSAGE=^resolver 203\.0\.113\.2 failing: [0-9]+ of [0-9]+ DNS queries in the last [0-9.]+ s got ICMP port unreachable \([0-9]+%\).* DNS service not listening on 203\.0\.113\.2 ' \
    <"$tmp/failing.json"
check "sample qname is a name that was queried" \
    grep -q '"DNSREACH_SAMPLE_QNAME":"host[0-9]*\.example\.com"' \
    "$tmp/failing.json"
check "recovered alert in the journal with every contract field" \
    python3 "$TESTS_DIR/journal_check.py" recovered 1 \
    DNSREACH_RESOLVER=203.0.113.2 DNSREACH_CAUSE=none \
    'MESSAGE=^resolver 203\.0\.113\.2 recovered' <"$tmp/recovered.json"
check "journalctl can filter by DNSREACH_RESOLVER" \
    sh -c "journalctl --no-pager -o cat DNSREACH_RESOLVER=203.0.113.2 \
    DNSREACH_INTERFACE=$pcap | grep -c resolver | grep -qx 2"
check "journalctl -p warning shows the failing alert only" \
    sh -c "journalctl --no-pager -o cat -p warning \
    DNSREACH_INTERFACE=$pcap | grep -c resolver | grep -qx 1"

# --alerts both: the journal and stderr.
"$DNSREACHD" --read "$pcap" --alerts both >/dev/null 2>"$tmp/both.err"
check "--alerts both: failing alert on stderr too" \
    grep -q 'resolver 203.0.113.2 failing' "$tmp/both.err"

# --alerts both under systemd: stderr is journald's stream already
# (JOURNAL_STREAM names it), so the alert goes once, as the full entry.
ident=dnsreach-both-$$
cp "$pcap" "$tmp/stream.pcap"
python3 "$TESTS_DIR/e2e/helpers.py" journal-stream "$ident" \
    "$DNSREACHD" --read "$tmp/stream.pcap" --alerts both >/dev/null
check "--alerts both, stderr is the journal: exits 0" [ $? = 0 ]
journal_json MESSAGE_ID=5b2d8a0e4c7f4f7e9a31d6c2b8e0f417 \
    DNSREACH_INTERFACE="$tmp/stream.pcap" >"$tmp/both.json"
journal_json SYSLOG_IDENTIFIER="$ident" >"$tmp/stream.json"
check "--alerts both, stderr is the journal: the entry with its fields" \
    python3 "$TESTS_DIR/journal_check.py" failing 1 \
    DNSREACH_RESOLVER=203.0.113.2 <"$tmp/both.json"
check "--alerts both, stderr is the journal: no second copy by the stream" \
    sh -c "! grep -q 'resolver 203.0.113.2 failing' $tmp/stream.json"

# No journald socket: the alert must reach stderr, not vanish.
if command -v unshare >/dev/null 2>&1 &&
    unshare -m true 2>/dev/null; then
	unshare -m sh -c "mount -t tmpfs none /run/systemd/journal &&
	    exec $DNSREACHD --read $pcap --alerts journal" \
	    >/dev/null 2>"$tmp/nojournal.err"
	check "journal missing: the alerts go to stderr" \
	    sh -c "grep -q 'resolver 203.0.113.2 failing' $tmp/nojournal.err &&
	    grep -q 'resolver 203.0.113.2 recovered' $tmp/nojournal.err"
	check "journal missing: said once" \
	    sh -c "[ \$(grep -c 'journal unavailable' $tmp/nojournal.err) = 1 ]"
else
	skip "journal missing (no mount namespaces)"
fi
finish
