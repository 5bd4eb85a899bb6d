#!/usr/bin/env python3
"""Check dnsreachd's journal entries (journalctl -o json lines on stdin).

usage: journal_check.py EVENT COUNT [FIELD=VALUE ...]
There must be exactly COUNT entries with DNSREACH_EVENT=EVENT, and each must
carry every contract field and the given values.
"""
import json
import re
import sys

CONTRACT = ["MESSAGE", "PRIORITY", "MESSAGE_ID", "SYSLOG_IDENTIFIER",
            "DNSREACH_EVENT", "DNSREACH_RESOLVER", "DNSREACH_INTERFACE",
            "DNSREACH_QUERIES", "DNSREACH_UNREACHABLE",
            "DNSREACH_FAILURE_RATE", "DNSREACH_THRESHOLD",
            "DNSREACH_WINDOW_SEC", "DNSREACH_CAUSE", "DNSREACH_CLIENTS",
            "DNSREACH_SAMPLE_QNAME", "DNSREACH_TIMEOUTS",
            "DNSREACH_TCP_RESETS", "DNSREACH_FIRST_FAILURE",
            "DNSREACH_EVENT_TIME", "DNSREACH_CAPTURE_DROPS",
            "DNSREACH_REMINDER", "DNSREACH_DETECTOR"]
MSGID = {"failing": "5b2d8a0e4c7f4f7e9a31d6c2b8e0f417",
         "recovered": "c41f9e2a7d3b4a56b0e8f1a2d9c7e305",
         "flapping": "0761d1fefbc0431dabca009b1c52785c",
         "updated": "2d8b35f540f2466a8a87e39ae1db5009",
         "slow": "40a33b3f4543463885518cff8ea342ef",
         "slow-recovered": "33b4cec992dc4fd0b641565c7459560a"}
PRIO = {"failing": "4", "recovered": "5", "flapping": "4", "updated": "4",
        "slow": "4", "slow-recovered": "5"}


def main():
    event, count = sys.argv[1], int(sys.argv[2])
    want = dict(a.split("=", 1) for a in sys.argv[3:])
    entries = [json.loads(l) for l in sys.stdin if l.strip()]
    entries = [e for e in entries if e.get("DNSREACH_EVENT") == event]
    bad = []
    if len(entries) != count:
        bad.append(f"{len(entries)} {event} entries, want {count}")
    for e in entries:
        for f in CONTRACT:
            if f not in e:
                bad.append(f"missing {f}")
        if e.get("MESSAGE_ID") != MSGID[event]:
            bad.append(f"MESSAGE_ID {e.get('MESSAGE_ID')}")
        if e.get("PRIORITY") != PRIO[event]:
            bad.append(f"PRIORITY {e.get('PRIORITY')}")
        if e.get("SYSLOG_IDENTIFIER") != "dnsreachd":
            bad.append("SYSLOG_IDENTIFIER")
        rate = float(e.get("DNSREACH_FAILURE_RATE", "-1"))
        q = int(e.get("DNSREACH_QUERIES", "0"))
        if not 0.0 <= rate <= 1.0:
            bad.append(f"rate {rate}")
        if int(e.get("DNSREACH_UNREACHABLE", "0")) > q:
            bad.append("more unreachable than queries")
        for k, v in want.items():
            got = e.get(k)
            if k == "MESSAGE":
                if not re.search(v, got or ""):
                    bad.append(f"MESSAGE {got!r} !~ {v!r}")
            elif k.endswith("_MIN"):
                if int(e.get(k[:-4], "0")) < int(v):
                    bad.append(f"{k[:-4]}={e.get(k[:-4])} < {v}")
            elif got != v:
                bad.append(f"{k}={got!r}, want {v!r}")
    for b in sorted(set(bad)):
        print("  " + b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
