#!/usr/bin/env python3
"""Write dnsreachd alert entries in journal export format, for
systemd-journal-remote to turn into a journal file:

    python3 mkexport.py < spec | systemd-journal-remote -o F.journal -

Each spec line (blank lines and # comments skipped) is

    REALTIME HOST PID EVENT RESOLVER FIRST AT [FIELD=VALUE ...]

REALTIME, FIRST and AT are seconds after 2026-01-01T00:00:00Z: the
journal's receive time, DNSREACH_FIRST_FAILURE and DNSREACH_EVENT_TIME
(FIRST may be "-": no such field).  EVENT is failing, reminder,
recovered, flapping, updated, slow or slow-recovered.  FIELD=VALUE pairs
add or replace fields (FIELD=- removes one); \\e in a value is ESC.
"""
import datetime
import sys

T0 = 1767225600
MSGID = {
    "failing": "5b2d8a0e4c7f4f7e9a31d6c2b8e0f417",
    "reminder": "5b2d8a0e4c7f4f7e9a31d6c2b8e0f417",
    "recovered": "c41f9e2a7d3b4a56b0e8f1a2d9c7e305",
    "flapping": "0761d1fefbc0431dabca009b1c52785c",
    "updated": "2d8b35f540f2466a8a87e39ae1db5009",
    "slow": "40a33b3f4543463885518cff8ea342ef",
    "slow-recovered": "33b4cec992dc4fd0b641565c7459560a",
}
PRIO = {"recovered": "5", "slow-recovered": "5"}


def iso(s):
    t = datetime.datetime.fromtimestamp(T0 + s, datetime.timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (t.microsecond // 1000)


def entry(words):
    rt, host, pid, ev, res, first, at = words[:7]
    end = ev in ("recovered", "slow-recovered")
    f = {
        "__REALTIME_TIMESTAMP": str(int((T0 + float(rt)) * 1000000)),
        "__MONOTONIC_TIMESTAMP": str(int(float(rt) * 1000000) + 1),
        "_BOOT_ID": "0123456789abcdef0123456789abcdef",
        "_HOSTNAME": host,
        "_PID": pid,
        "SYSLOG_IDENTIFIER": "dnsreachd",
        "PRIORITY": PRIO.get(ev, "4"),
        "MESSAGE": "resolver %s %s" % (res, ev),
        "MESSAGE_ID": MSGID[ev],
        "DNSREACH_EVENT": "failing" if ev == "reminder" else ev,
        "DNSREACH_REMINDER": "1" if ev == "reminder" else "0",
        "DNSREACH_RESOLVER": res,
        "DNSREACH_INTERFACE": "eth1",
        "DNSREACH_QUERIES": "590",
        "DNSREACH_UNREACHABLE": "300",
        "DNSREACH_TIMEOUTS": "0",
        "DNSREACH_TCP_RESETS": "0",
        "DNSREACH_FAILURE_RATE": "0.190" if end else "0.508",
        "DNSREACH_THRESHOLD": "0.500",
        "DNSREACH_WINDOW_SEC": "60",
        "DNSREACH_CAUSE": "none" if end else "service-not-listening",
        "DNSREACH_CLIENTS": "12",
        "DNSREACH_SAMPLE_QNAME": "host0.example.com",
        "DNSREACH_EVENT_TIME": iso(float(at)),
        "DNSREACH_CAPTURE_DROPS": "0",
    }
    if first != "-":
        f["DNSREACH_FIRST_FAILURE"] = iso(float(first))
    for kv in words[7:]:
        k, v = kv.split("=", 1)
        if v == "-":
            f.pop(k, None)
        else:
            f[k] = v.replace("\\e", "\x1b")
    return "".join("%s=%s\n" % kv for kv in f.items()) + "\n"


def main():
    out = []
    for line in sys.stdin:
        line = line.split("#", 1)[0].strip()
        if line:
            out.append(entry(line.split()))
    sys.stdout.write("".join(out))


if __name__ == "__main__":
    main()
