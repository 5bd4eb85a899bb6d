#!/bin/sh
# Many gateways, one journal: an outage caught live by dnsreachd is sent
# by systemd-journal-upload to a systemd-journal-remote over HTTP on
# loopback, arrives in the central directory with every field intact,
# journalctl -D finds it and dnsreachd --incidents -D lists it.  The
# receiver and uploader lines are taken from docs/operations.md ("Trying
# it on one host") and run as written there, with this run's port and
# directory, so the guide and the test cannot drift apart.  A journald of
# the test's own (private mount namespace) holds only this run's entries.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/netns.sh"

DOC=$TESTS_DIR/../docs/operations.md
JREMOTE=/lib/systemd/systemd-journal-remote
JUPLOAD=/lib/systemd/systemd-journal-upload

for _x in "$JREMOTE" "$JUPLOAD"; do
	if [ ! -x "$_x" ]; then
		not_ok "$(basename "$0"): $_x missing (package" \
		    "systemd-journal-remote)"
		finish
		exit 1
	fi
done

netns_setup own-journal
FLEET=$NS_TMP/fleet

# doc_line PATTERN: the guide's line holding PATTERN, with this run's
# port and directory and without a trailing " &".
doc_line() {
	grep '^    [^ ]' "$DOC" | grep -F -- "$1" | head -n 1 |
	    sed -e 's/^ *//' -e 's/ &$//' \
	    -e "s|/var/tmp/fleet|$FLEET|g" -e "s|19532|$PORT|g"
}

# remote_start: the receiver as the guide starts it, on a free port.
remote_start() {
	_try=0
	PORT=$((20000 + $$ % 20000))
	while [ $_try -lt 20 ]; do
		PORT=$((PORT + 1))
		_try=$((_try + 1))
		ss -Htln "sport = :$PORT" 2>/dev/null | grep -q . && continue
		REMOTE_CMD=$(doc_line 'systemd-journal-remote --listen-http=127.')
		# shellcheck disable=SC2086
		set -- $REMOTE_CMD
		: >"$NS_TMP/remote.log"
		[ "$1" = "$JREMOTE" ] || return 1
		"$@" >>"$NS_TMP/remote.log" 2>&1 &
		REMOTE_PID=$!
		NS_PIDS="$NS_PIDS $REMOTE_PID"
		if wait_for 5 sh -c "ss -Htln 'sport = :$PORT' | grep -q ." &&
		    kill -0 "$REMOTE_PID" 2>/dev/null; then
			return 0
		fi
		ns_kill "$REMOTE_PID"
		ns_forget "$REMOTE_PID"
	done
	return 1
}

# upload: the uploader as the guide runs it; its exit status.
upload() {
	UPLOAD_CMD=$(doc_line 'systemd-journal-upload --url=')
	# shellcheck disable=SC2086
	set -- $UPLOAD_CMD
	[ "$1" = "$JUPLOAD" ] || return 1
	timeout 60 "$@" >>"$NS_TMP/upload.log" 2>&1
}

# central FIELD=VALUE...: matching entries in the central directory.
central() {
	journalctl --no-pager -o json -D "$FLEET" "$@" 2>/dev/null
}

# ---- the guide has the lines this test runs ----
check "the guide creates the central directory" \
    grep -qx "    mkdir -p /var/tmp/fleet" "$DOC"
check "the guide starts systemd-journal-remote on loopback, one file a host" \
    grep -qxF "    $JREMOTE --listen-http=127.0.0.1:19532 --output=/var/tmp/fleet/ --split-mode=host &" \
    "$DOC"
check "the guide uploads with --save-state and --follow=no" \
    grep -qxF "    $JUPLOAD --url=http://127.0.0.1:19532 --save-state=/var/tmp/fleet.state --follow=no" \
    "$DOC"
check "the guide reads the alerts back with journalctl -D" \
    grep -qxF "    journalctl -D /var/tmp/fleet MESSAGE_ID=$MSGID_FAILING" "$DOC"
check "the guide lists the incidents with dnsreachd --incidents -D" \
    grep -qxF "    dnsreachd --incidents -D /var/tmp/fleet" "$DOC"

# ---- an outage on this gateway, caught live ----
daemon_conf
check "responder answers on $RES4" resp_start "$RES4"
check "dnsreachd watches $VETH_GW" daemon_start
load_start "$RES4" 20
sleep 3
resp_stop
check "failing alert for $RES4" wait_for 15 seen failing "$RES4"
check "responder back" resp_start "$RES4"
check "recovered alert for $RES4" wait_for 20 seen recovered "$RES4"
load_stop
check "dnsreachd stops cleanly" daemon_stop
alerts failing DNSREACH_RESOLVER="$RES4" >"$NS_TMP/local-failing.json"
alerts recovered DNSREACH_RESOLVER="$RES4" >"$NS_TMP/local-recovered.json"
check "the local journal holds the failing and the recovered alert" \
    sh -c "[ \$(grep -c . $NS_TMP/local-failing.json) = 1 ] &&
    [ \$(grep -c . $NS_TMP/local-recovered.json) = 1 ]"

# ---- to the central directory ----
mkdir -p "$FLEET"
if ! remote_start; then
	not_ok "systemd-journal-remote listens on 127.0.0.1:$PORT:" \
	    "$(tail -n 2 "$NS_TMP/remote.log")"
	finish
	exit 1
fi
ok "systemd-journal-remote listens on 127.0.0.1:$PORT"
check "systemd-journal-upload sends the journal and exits 0" upload
check "  it saved its cursor" grep -q '^LAST_CURSOR=' "$FLEET.state"
check "one journal file for this host in the central directory" \
    sh -c "ls $FLEET | grep -qx 'remote-127.0.0.1.journal'"

central MESSAGE_ID="$MSGID_FAILING" DNSREACH_INTERFACE="$VETH_GW" \
    >"$NS_TMP/central-failing.json"
central MESSAGE_ID="$MSGID_RECOVERED" DNSREACH_INTERFACE="$VETH_GW" \
    >"$NS_TMP/central-recovered.json"
# Every field the gateway wrote, trusted ones (_HOSTNAME, _PID, ...) too,
# with the same value; only the cursor and the like are the receiver's.
check "failing and recovered arrive with every field intact" \
    python3 - "$NS_TMP/local-failing.json" "$NS_TMP/central-failing.json" \
    "$NS_TMP/local-recovered.json" "$NS_TMP/central-recovered.json" <<'EOF'
import json, sys
CONTRACT = ["MESSAGE", "PRIORITY", "MESSAGE_ID", "SYSLOG_IDENTIFIER",
            "DNSREACH_EVENT", "DNSREACH_RESOLVER", "DNSREACH_INTERFACE",
            "DNSREACH_QUERIES", "DNSREACH_UNREACHABLE",
            "DNSREACH_TIMEOUTS", "DNSREACH_TCP_RESETS",
            "DNSREACH_FAILURE_RATE", "DNSREACH_THRESHOLD",
            "DNSREACH_WINDOW_SEC", "DNSREACH_CAUSE", "DNSREACH_CLIENTS",
            "DNSREACH_SAMPLE_QNAME", "DNSREACH_FIRST_FAILURE",
            "DNSREACH_EVENT_TIME", "DNSREACH_CAPTURE_DROPS",
            "DNSREACH_REMINDER", "_HOSTNAME", "_PID", "_BOOT_ID",
            "__REALTIME_TIMESTAMP"]
bad = []
for lf, cf in ((sys.argv[1], sys.argv[2]), (sys.argv[3], sys.argv[4])):
    local = [json.loads(l) for l in open(lf) if l.strip()]
    central = [json.loads(l) for l in open(cf) if l.strip()]
    if len(local) != 1 or len(central) != 1:
        bad.append(f"{cf}: {len(central)} entries, local {len(local)}")
        continue
    a, b = local[0], central[0]
    for k in CONTRACT:
        if k not in b:
            bad.append(f"{cf}: no {k}")
    for k, v in a.items():
        if k in ("__CURSOR", "__MONOTONIC_TIMESTAMP", "__SEQNUM",
                 "__SEQNUM_ID"):
            continue
        if b.get(k) != v:
            bad.append(f"{cf}: {k}={b.get(k)!r}, gateway wrote {v!r}")
for x in bad:
    print("#   " + x)
sys.exit(1 if bad else 0)
EOF

JCMD=$(doc_line "journalctl -D /var/tmp/fleet MESSAGE_ID=")
# shellcheck disable=SC2086
$JCMD --no-pager -o cat DNSREACH_INTERFACE="$VETH_GW" \
    >"$NS_TMP/jcmd.out" 2>&1
check "the guide's journalctl -D line finds the failing alert" \
    sh -c "[ \$(grep -c 'resolver $RES4 failing' $NS_TMP/jcmd.out) = 1 ]"

ICMD=$(doc_line "dnsreachd --incidents -D /var/tmp/fleet" |
    sed "s|^dnsreachd |$DNSREACHD |")
# shellcheck disable=SC2086
$ICMD >"$NS_TMP/incidents.txt" 2>&1
check "the guide's dnsreachd --incidents -D line lists the incident" \
    sh -c "grep -F ' $VETH_GW ' $NS_TMP/incidents.txt |
    grep -q '^$(hostname) .* $RES4  *failing  *[0-9-]* [0-9:]*  *[0-9-]* [0-9:]* .* service-not-listening '"
# shellcheck disable=SC2086
$ICMD --json >"$NS_TMP/incidents.json" 2>&1
check "--incidents -D --json: one incident, the alerts' start and end" \
    python3 - "$NS_TMP/incidents.json" "$VETH_GW" "$(hostname)" \
    "$NS_TMP/local-failing.json" "$NS_TMP/local-recovered.json" <<'EOF'
import json, sys
inc = [i for i in json.load(open(sys.argv[1]))["incidents"]
       if i["interface"] == sys.argv[2]]
f = json.loads(open(sys.argv[4]).readline())
r = json.loads(open(sys.argv[5]).readline())
want = {"gateway": sys.argv[3], "resolver": f["DNSREACH_RESOLVER"],
        "kind": "failing", "status": "ended", "partial": False,
        "start": f["DNSREACH_FIRST_FAILURE"],
        "end": r["DNSREACH_EVENT_TIME"], "cause": "service-not-listening"}
bad = [] if len(inc) == 1 else [f"{len(inc)} incidents"]
for k, v in want.items():
    if inc and inc[0][k] != v:
        bad.append(f"{k}={inc[0][k]!r}, want {v!r}")
for x in bad:
    print("#   " + x)
sys.exit(1 if bad else 0)
EOF

# ---- --save-state: run again, only what is new is sent ----
logger --journald <<EOF
MESSAGE=dnsreach fleet test $NS_ID after the first upload
SYSLOG_IDENTIFIER=dnsreach-e2e
DNSREACH_FLEET_PROBE=$NS_ID
EOF
journalctl --sync 2>/dev/null
check "a second upload from the saved state exits 0" upload
check "  the new entry arrives" \
    sh -c "[ \$(journalctl --no-pager -o cat -D $FLEET \
    DNSREACH_FLEET_PROBE=$NS_ID | grep -c .) = 1 ]"
check "  and nothing is sent twice" \
    sh -c "[ \$(journalctl --no-pager -o cat -D $FLEET \
    MESSAGE_ID=$MSGID_FAILING DNSREACH_INTERFACE=$VETH_GW | grep -c .) = 1 ]"
ns_kill "$REMOTE_PID"
ns_forget "$REMOTE_PID"
check "systemd-journal-remote stops on SIGTERM" \
    sh -c "! ss -Htln 'sport = :$PORT' | grep -q ."
finish
