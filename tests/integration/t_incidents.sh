#!/bin/sh
# dnsreachd --incidents: alerts written to a real journald (replayed
# captures, logger) and to journal files (systemd-journal-remote), paired
# into incidents; --since/--until; -D and --file; the three formats; bad
# input.  Every run's entries carry a marker of their own (the
# temporary directory's name in DNSREACH_INTERFACE), so runs side by side
# do not see each other's.
. "$(dirname "$0")/../lib.sh"

tmp=$(mktemp -d /tmp/dnsreach-inc.XXXXXX)
chmod 755 "$tmp"
trap 'rm -rf "$tmp"; stop_journald' EXIT
marker=$(basename "$tmp")
JREMOTE=${JREMOTE:-/lib/systemd/systemd-journal-remote}

if [ "$(id -u)" != 0 ]; then
	skip "$(basename "$0"): needs root (journald, journal files)"
	finish
	exit 0
fi
if ! ensure_journald; then
	not_ok "no systemd-journald could be started"
	finish
	exit 1
fi
if [ ! -x "$JREMOTE" ]; then
	not_ok "$JREMOTE missing (package systemd-journal-remote)"
	finish
	exit 1
fi

# expect_exit CODE DESC CMD...: CMD's exit code must be CODE; stdout in
# $tmp/out, stderr in $tmp/err.
expect_exit() {
	want=$1 desc=$2
	shift 2
	"$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	if [ "$got" = "$want" ]; then
		ok "$desc (exit $got)"
	else
		not_ok "$desc: exit $got, want $want; stderr: $(head -n 3 "$tmp/err")"
	fi
}

# summary [IFACE-PREFIX] < json: one line per incident (on interfaces
# starting with IFACE-PREFIX, when given): gateway resolver kind status
# start end duration cause peak clients reminders flaps updates partial.
summary() {
	python3 -c '
import json, sys
d = json.load(sys.stdin)
for i in d["incidents"]:
    if len(sys.argv) > 1 and not i["interface"].startswith(sys.argv[1]):
        continue
    print(*(i[k] for k in ("gateway", "resolver", "kind", "status",
        "start", "end", "duration_sec", "cause", "peak_failure_rate",
        "clients", "reminders", "flaps", "updates", "partial")))
' "$@"
}

# same DESC FILE EXPECTED-TEXT: FILE holds exactly EXPECTED-TEXT.
same() {
	printf '%s\n' "$3" >"$tmp/want"
	if diff -u "$tmp/want" "$2" >"$tmp/diff"; then
		ok "$1"
	else
		not_ok "$1"
		sed 's/^/#   /' "$tmp/diff"
	fi
}

# jlog EVENT RESOLVER FIRST AT [FIELD=VALUE...]: one entry sent to the
# journal by logger (a process of its own each time), with the fields
# mkexport.py gives, packet times as there.
jlog() {
	echo "0 - 0 $*" | python3 "$TESTS_DIR/mkexport.py" |
	    grep -v '^_' | grep -v '^$' >"$tmp/entry"
	logger --journald="$tmp/entry"
}

# mkjournal FILE < spec: a journal file written by systemd-journal-remote.
mkjournal() {
	python3 "$TESTS_DIR/mkexport.py" >"$tmp/export" &&
	    "$JREMOTE" --output="$1" - <"$tmp/export" >/dev/null 2>&1
}

host=$(hostname)

# ---- 1. two outages of two resolvers, caught by dnsreachd ----
# (Writing them: main.c's option strings from --alerts are not freed at
# exit, which LeakSanitizer would fail under make asan-check; this test
# is about reading them back.)
cap=$tmp/$marker.pcap
"$MKPCAP" -o "$cap" -c 20 answer:60 icmp3:30 answer:60 >/dev/null &&
    ASAN_OPTIONS=detect_leaks=0 "$DNSREACHD" --read "$cap" \
    --alerts journal >/dev/null 2>&1 &&
    "$MKPCAP" -6 -o "$cap" -c 20 answer:30 icmp3:60 answer:90 >/dev/null &&
    ASAN_OPTIONS=detect_leaks=0 "$DNSREACHD" --read "$cap" \
    --alerts journal >/dev/null 2>&1
check "two outages replayed into the journal" [ $? = 0 ]
journal_json DNSREACH_INTERFACE="$cap" >"$tmp/alerts.json"
expect_exit 0 "--incidents --json on the local journal" \
    "$DNSREACHD" --incidents --json --since -1h
cp "$tmp/out" "$tmp/local.json"
summary "$cap" <"$tmp/local.json" >"$tmp/two"
check "exactly two incidents for the two outages" \
    [ "$(wc -l <"$tmp/two")" = 2 ]
# Start and end are the alerts' own times; the outage of 60 s lasts
# longer than the one of 30 s, and each at least as long as the outage.
check "start, end, duration, peak and gateway from the alerts" \
    python3 - "$tmp/alerts.json" "$tmp/local.json" "$cap" "$host" <<'EOF'
import json, sys
from datetime import datetime
alerts = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
inc = [i for i in json.load(open(sys.argv[2]))["incidents"]
       if i["interface"] == sys.argv[3]]
def t(s):
    return datetime.strptime(s, "%Y-%m-%dT%H:%M:%S.%fZ").timestamp()
bad = []
durations = {}
for res, outage in (("203.0.113.2", 30), ("2001:db8::2", 60)):
    fail = [a for a in alerts if a["DNSREACH_RESOLVER"] == res and
            a["DNSREACH_EVENT"] == "failing"]
    rec = [a for a in alerts if a["DNSREACH_RESOLVER"] == res and
           a["DNSREACH_EVENT"] == "recovered"]
    mine = [i for i in inc if i["resolver"] == res]
    if len(mine) != 1 or not fail or not rec:
        bad.append(f"{res}: {len(mine)} incidents, {len(fail)} failing, "
                   f"{len(rec)} recovered")
        continue
    i = mine[0]
    want = {"start": fail[0]["DNSREACH_FIRST_FAILURE"],
            "end": rec[-1]["DNSREACH_EVENT_TIME"], "status": "ended",
            "kind": "failing", "gateway": sys.argv[4], "partial": False,
            "cause": fail[0]["DNSREACH_CAUSE"],
            "peak_failure_rate": max(float(a["DNSREACH_FAILURE_RATE"])
                                     for a in fail),
            "clients": max(int(a["DNSREACH_CLIENTS"]) for a in fail),
            "sample_qname": fail[0]["DNSREACH_SAMPLE_QNAME"]}
    for k, v in want.items():
        if i[k] != v:
            bad.append(f"{res}: {k}={i[k]!r}, want {v!r}")
    d = t(i["end"]) - t(i["start"])
    if abs(i["duration_sec"] - d) > 0.001 or not outage <= d <= outage + 70:
        bad.append(f"{res}: duration {i['duration_sec']} ({d})")
    durations[res] = d
if len(durations) == 2 and not durations["2001:db8::2"] > durations["203.0.113.2"]:
    bad.append(f"durations {durations}")
for b in bad:
    print("#   " + b)
sys.exit(1 if bad else 0)
EOF
"$DNSREACHD" --incidents --since -1h >"$tmp/local.txt" 2>&1
check "text table: a header and a row for each resolver" \
    sh -c "head -n 1 $tmp/local.txt | grep -q '^GATEWAY  *INTERFACE  *RESOLVER' &&
    grep -F '$cap' $tmp/local.txt | grep -q ' 203\.0\.113\.2  *failing .* service-not-listening ' &&
    grep -F '$cap' $tmp/local.txt | grep -q ' 2001:db8::2  *failing '"
check "text table: a closing count" \
    grep -Eq '^[0-9]+ incidents? between .* and now, from [0-9]+ journal entries$' \
    "$tmp/local.txt"

# ---- 2. the newer kinds, and a restart, through logger ----
k=$marker-kinds
jlog failing 203.0.113.2 60 90 DNSREACH_INTERFACE="$k" \
    DNSREACH_FAILURE_RATE=0.600
jlog recovered 203.0.113.2 60 138 DNSREACH_INTERFACE="$k"
jlog flapping 203.0.113.2 150 160 DNSREACH_INTERFACE="$k" \
    DNSREACH_FAILURE_RATE=0.800 DNSREACH_DETECTOR=fast
jlog updated 203.0.113.2 150 200 DNSREACH_INTERFACE="$k" \
    DNSREACH_CAUSE=blocked-by-firewall \
    DNSREACH_PREVIOUS_CAUSE=service-not-listening
jlog recovered 203.0.113.2 150 260 DNSREACH_INTERFACE="$k"
jlog slow 203.0.113.2 300 330 DNSREACH_INTERFACE="$k" DNSREACH_P95_MS=900 \
    DNSREACH_CAUSE=none DNSREACH_DETECTOR=slow DNSREACH_FAILURE_RATE=-
jlog slow-recovered 203.0.113.2 300 400 DNSREACH_INTERFACE="$k" \
    DNSREACH_P95_MS=120
r=$marker-restart
jlog failing 198.51.100.53 60 90 DNSREACH_INTERFACE="$r"
jlog reminder 198.51.100.53 60 690 DNSREACH_INTERFACE="$r"
jlog failing 198.51.100.53 800 830 DNSREACH_INTERFACE="$r"
journalctl --sync
"$DNSREACHD" --incidents --json --since -1h >"$tmp/kinds.json"
summary "$k" <"$tmp/kinds.json" >"$tmp/got"
same "flapping and updated: one incident, the last cause; slow apart" \
    "$tmp/got" "\
$host 203.0.113.2 failing ended 2026-01-01T00:01:00.000Z 2026-01-01T00:04:20.000Z 200.0 blocked-by-firewall 0.8 12 0 1 1 False
$host 203.0.113.2 slow ended 2026-01-01T00:05:00.000Z 2026-01-01T00:06:40.000Z 100.0 None None 12 0 0 0 False"
check "slow: the peak p95 (not the end's)" \
    grep -q '"kind": "slow".*"peak_p95_ms": 900.0' "$tmp/kinds.json"
summary "$r" <"$tmp/kinds.json" >"$tmp/got"
same "an onset from a new process: the old incident has no end" \
    "$tmp/got" "\
$host 198.51.100.53 failing no-end 2026-01-01T00:01:00.000Z None None service-not-listening 0.508 12 1 0 0 False
$host 198.51.100.53 failing ongoing 2026-01-01T00:13:20.000Z None None service-not-listening 0.508 12 0 0 0 False"
check "restarts counted in the JSON" \
    python3 -c 'import json, sys; sys.exit(json.load(sys.stdin)["restarts"] < 1)' \
    <"$tmp/kinds.json"

# ---- 3. --since and --until on journal time ----
s=$marker-since
jlog failing 192.0.2.53 60 90 DNSREACH_INTERFACE="$s"
sleep 1.1
mid=$(date +%s)
sleep 1.1
jlog recovered 192.0.2.53 60 140 DNSREACH_INTERFACE="$s"
journalctl --sync
midtime=$(date -d "@$mid" '+%Y-%m-%d %H:%M:%S')
"$DNSREACHD" --incidents --json --since "$midtime" | summary "$s" >"$tmp/got"
same "--since \"$midtime\": the end only, its start from the entry" \
    "$tmp/got" "\
$host 192.0.2.53 failing ended 2026-01-01T00:01:00.000Z 2026-01-01T00:02:20.000Z 80.0 None None None 0 0 0 True"
"$DNSREACHD" --incidents --json --until "@$mid" | summary "$s" >"$tmp/got"
same "--until @$mid: the onset only, ongoing" "$tmp/got" "\
$host 192.0.2.53 failing ongoing 2026-01-01T00:01:00.000Z None None service-not-listening 0.508 12 0 0 0 False"
for since in -2h "2 hours ago" "1h 30min ago" today yesterday \
    "$(date '+%Y-%m-%d')"; do
	"$DNSREACHD" --incidents --json --since "$since" --until now |
	    summary "$s" >"$tmp/got"
	same "--since \"$since\" --until now: the whole incident" "$tmp/got" "\
$host 192.0.2.53 failing ended 2026-01-01T00:01:00.000Z 2026-01-01T00:02:20.000Z 80.0 service-not-listening 0.508 12 0 0 0 False"
done
expect_exit 0 "--since tomorrow: nothing, and exit 0" \
    "$DNSREACHD" --incidents --since tomorrow
check "--since tomorrow: says there were no incidents, and when" \
    grep -Eq '^no incidents between [0-9]{4}-[0-9]{2}-[0-9]{2} 00:00:00 .* and now$' \
    "$tmp/out"

# ---- 4. journal files from systemd-journal-remote: many gateways ----
mkdir -p "$tmp/d1"
mkjournal "$tmp/d1/gateways.journal" <<'EOF'
# gw-a: an outage of 203.0.113.2 with a reminder
90   gw-a 100 failing   203.0.113.2 60 90
690  gw-a 100 reminder  203.0.113.2 60 690 DNSREACH_FAILURE_RATE=0.750 DNSREACH_CLIENTS=30
738  gw-a 100 recovered 203.0.113.2 60 738
# gw-b: the same resolver at the same time; then its daemon restarted
95   gw-b 200 failing   203.0.113.2 65 95
900  gw-b 201 failing   203.0.113.2 870 900 DNSREACH_CAUSE=silent-drop
960  gw-b 201 recovered 203.0.113.2 870 960
# gw-c: the end of an outage whose onset is not in the journal
1000 gw-c 300 recovered 198.51.100.53 940 1000
# gw-d: names with a terminal escape and Markdown in them
1100 gw-d 400 failing 192.0.2.53 1090 1100 DNSREACH_INTERFACE=eth\e[2J|0 DNSREACH_SAMPLE_QNAME=x\e]0;owned
# gw-a's entries sent twice (an upload repeated): nothing new
90   gw-a 100 failing   203.0.113.2 60 90
738  gw-a 100 recovered 203.0.113.2 60 738
EOF
check "journal file written by systemd-journal-remote" \
    [ -s "$tmp/d1/gateways.journal" ]
expect_exit 0 "--incidents --file on it" \
    "$DNSREACHD" --incidents --json --file "$tmp/d1/gateways.journal"
summary <"$tmp/out" >"$tmp/got"
same "one incident per gateway and outage; restart, repeats, end only" \
    "$tmp/got" "\
gw-a 203.0.113.2 failing ended 2026-01-01T00:01:00.000Z 2026-01-01T00:12:18.000Z 678.0 service-not-listening 0.75 30 1 0 0 False
gw-b 203.0.113.2 failing no-end 2026-01-01T00:01:05.000Z None None service-not-listening 0.508 12 0 0 0 False
gw-b 203.0.113.2 failing ended 2026-01-01T00:14:30.000Z 2026-01-01T00:16:00.000Z 90.0 silent-drop 0.508 12 0 0 0 False
gw-c 198.51.100.53 failing ended 2026-01-01T00:15:40.000Z 2026-01-01T00:16:40.000Z 60.0 None None None 0 0 0 True
gw-d 192.0.2.53 failing ongoing 2026-01-01T00:18:10.000Z None None service-not-listening 0.508 12 0 0 0 False"
check "repeated entries counted as duplicates" \
    python3 -c 'import json, sys; sys.exit(json.load(sys.stdin)["duplicates"] != 2)' \
    <"$tmp/out"
check "JSON keeps the escape byte, escaped" \
    grep -q '"interface": "eth\\u001b\[2J|0"' "$tmp/out"
expect_exit 0 "-D on the directory" \
    "$DNSREACHD" --incidents --json -D "$tmp/d1"
summary <"$tmp/out" >"$tmp/got.d"
check "-D gives what --file gives" cmp -s "$tmp/got" "$tmp/got.d"
expect_exit 0 "text table from -D" "$DNSREACHD" --incidents -D "$tmp/d1"
check "text: no raw control bytes reach the terminal" \
    sh -c "! LC_ALL=C grep -q '[[:cntrl:]]' $tmp/out"
check "text: the escape shown as \\x1b" \
    grep -qF 'eth\x1b[2J|0' "$tmp/out"
check "text: ongoing, unknown end and the notes" \
    sh -c "grep '^gw-d ' $tmp/out | grep -q ' ongoing ' &&
    grep '^gw-b ' $tmp/out | grep -q ' unknown .*no end recorded' &&
    grep '^gw-c ' $tmp/out | grep -q 'onset not read'"
check "text: 5 incidents between the start of the journal and now" \
    grep -q '^5 incidents between the start of the journal and now, from 10 journal entries$' \
    "$tmp/out"
expect_exit 0 "--report-format=markdown" \
    "$DNSREACHD" --incidents --report-format=markdown -D "$tmp/d1"
check "markdown: title, summary, both tables" \
    sh -c "grep -q '^# DNS incidents' $tmp/out &&
    grep -q '^\*\*5 incidents\*\* (5 failing, 0 slow; 1 still ongoing)' $tmp/out &&
    grep -q '^## By resolver' $tmp/out && grep -q '^## Incidents' $tmp/out &&
    [ \$(grep -c '^| gw-' $tmp/out) = 9 ]"
check "markdown: gw-b's two incidents in one row by resolver" \
    grep -q '^| gw-b | 203.0.113.2 | failing | 2 | 0 | 1m30s | 1m30s | service-not-listening, silent-drop |$' \
    "$tmp/out"
check "markdown: | and the escape cannot break a cell" \
    grep -qF '| eth\x1b\[2J\|0 |' "$tmp/out"

# ---- 5. --since and --until on a file of known times ----
mkdir -p "$tmp/d2"
mkjournal "$tmp/d2/times.journal" <<'EOF'
100 gw-a 100 failing   203.0.113.2 60 90
200 gw-a 100 recovered 203.0.113.2 60 190
300 gw-a 100 failing   203.0.113.2 280 290
400 gw-a 100 recovered 203.0.113.2 280 390
EOF
f2=$tmp/d2/times.journal
TZ=UTC "$DNSREACHD" --incidents --json --file "$f2" \
    --since "2026-01-01 00:02:30" | summary >"$tmp/got"
same "--since a date and time: the end of the first, all the second" \
    "$tmp/got" "\
gw-a 203.0.113.2 failing ended 2026-01-01T00:01:00.000Z 2026-01-01T00:03:10.000Z 130.0 None None None 0 0 0 True
gw-a 203.0.113.2 failing ended 2026-01-01T00:04:40.000Z 2026-01-01T00:06:30.000Z 110.0 service-not-listening 0.508 12 0 0 0 False"
TZ=UTC "$DNSREACHD" --incidents --json --file "$f2" \
    --since "2026-01-01 00:02:30" --until "2026-01-01 00:05:30" |
    summary >"$tmp/got"
same "--since and --until: the end of one, the start of the other" \
    "$tmp/got" "\
gw-a 203.0.113.2 failing ended 2026-01-01T00:01:00.000Z 2026-01-01T00:03:10.000Z 130.0 None None None 0 0 0 True
gw-a 203.0.113.2 failing ongoing 2026-01-01T00:04:40.000Z None None service-not-listening 0.508 12 0 0 0 False"
# The same bounds in another time zone, and as epoch seconds.
TZ=CET-1 "$DNSREACHD" --incidents --json --file "$f2" \
    --since "2026-01-01 01:02:30" --until "@1767225930" |
    summary >"$tmp/got.tz"
check "--since in local time (CET), --until @EPOCH: the same" \
    cmp -s "$tmp/got" "$tmp/got.tz"
TZ=UTC "$DNSREACHD" --incidents --file "$f2" --until 2026-01-01 \
    >"$tmp/out" 2>&1
check "nothing in the range: one clear line" \
    grep -qx 'no incidents between the start of the journal and 2026-01-01 00:00:00 UTC' \
    "$tmp/out"
TZ=UTC "$DNSREACHD" --incidents --json --file "$f2" --until 2026-01-01 \
    >"$tmp/out"
check "nothing in the range, JSON: an empty list and the bounds" \
    grep -qx '{"since": null, "until": "2026-01-01T00:00:00.000Z", "entries": 0, "duplicates": 0, "restarts": 0, "evicted": 0, "total": 0, "unlisted": 0, "incidents": \[\]}' \
    "$tmp/out"

# ---- 6. bad input: a message naming it, the documented exit code ----
expect_exit 1 "-D on a missing directory" \
    "$DNSREACHD" --incidents -D "$tmp/none"
check "  the message names it" grep -q "$tmp/none: No such file" "$tmp/err"
mkdir "$tmp/empty"
expect_exit 1 "-D on a directory without journal files" \
    "$DNSREACHD" --incidents -D "$tmp/empty"
check "  the message names it" \
    grep -q "$tmp/empty: no journal files that can be read" "$tmp/err"
expect_exit 1 "-D on a file" "$DNSREACHD" --incidents -D "$f2"
check "  the message says so" grep -q "$f2: not a directory" "$tmp/err"
expect_exit 1 "--file missing" "$DNSREACHD" --incidents --file "$tmp/none"
check "  the message names it" grep -q "$tmp/none: No such file" "$tmp/err"
echo "not a journal" >"$tmp/text"
expect_exit 1 "--file that is not a journal" \
    "$DNSREACHD" --incidents --file "$tmp/text"
check "  the message names it" grep -q "$tmp/text" "$tmp/err"
# A directory the user may not read (the daemon's own user, nobody).
mkdir -p "$tmp/private"
cp "$f2" "$tmp/private/"
chmod 700 "$tmp/private"
expect_exit 1 "-D on a directory nobody cannot read" \
    setpriv --reuid=nobody --regid=nogroup --clear-groups \
    "$DNSREACHD" --incidents -D "$tmp/private"
check "  the message names it" \
    grep -q "$tmp/private: Permission denied" "$tmp/err"
expect_exit 2 "--since that is not a time" \
    "$DNSREACHD" --incidents --since "last tuesday-ish"
check "  the message names the option and the value" \
    grep -q -- '--since: cannot read "last tuesday-ish" as a time' "$tmp/err"
expect_exit 2 "--until that is not a time" \
    "$DNSREACHD" --incidents --until 2026-02-30
expect_exit 2 "--since after --until" \
    "$DNSREACHD" --incidents --since today --until yesterday
expect_exit 2 "--report-format unknown" \
    "$DNSREACHD" --incidents --report-format=pdf
expect_exit 2 "--json with --report-format=markdown" \
    "$DNSREACHD" --incidents --json --report-format=markdown
expect_exit 2 "-D and --file together" \
    "$DNSREACHD" --incidents -D "$tmp/d1" --file "$f2"
expect_exit 2 "--read does not go with --incidents" \
    "$DNSREACHD" --incidents --read "$cap"
expect_exit 2 "an option without its value" "$DNSREACHD" --incidents --since
expect_exit 0 "--incidents --help" "$DNSREACHD" --incidents --help
expect_exit 0 "--help lists --incidents" "$DNSREACHD" --help
check "  with --since and --report-format" \
    sh -c "grep -q -- '--incidents' $tmp/out && grep -q -- '--since' $tmp/out &&
    grep -q -- '--report-format' $tmp/out"
finish
