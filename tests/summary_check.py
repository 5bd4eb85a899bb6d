#!/usr/bin/env python3
"""Compare dnsreachd's JSON summary with mkpcap's truth, field by field.

usage: summary_check.py SUMMARY.json TRUTH.json
Exit 0 when every counted field is equal; otherwise print the differences.
"""
import json
import sys


def main():
    with open(sys.argv[1]) as f:
        summary = json.load(f)
    with open(sys.argv[2]) as f:
        truth = json.load(f)
    bad = []

    def eq(what, got, want):
        if got != want:
            bad.append(f"{what}: got {got!r}, want {want!r}")

    eq("packets", summary.get("packets"), truth["packets"])
    eq("decode.truncated", summary["decode"]["truncated"], 0)
    eq("decode.malformed", summary["decode"]["malformed"], 0)
    res = [r for r in summary["resolvers"] if r["resolver"] == truth["resolver"]]
    if len(res) != 1:
        bad.append(f"resolver {truth['resolver']} not in summary: "
                   f"{[r['resolver'] for r in summary['resolvers']]}")
    else:
        r = res[0]
        for k in ("queries", "responses", "unreachable", "unmatched",
                  "timeouts", "tcp_resets"):
            eq(k, r[k], truth[k])
        eq("unreachable_by_code", r["unreachable_by_code"],
           truth["unreachable_by_code"])
        eq("rcodes.NOERROR", r["rcodes"]["NOERROR"], truth["noerror"])
        eq("rcodes.SERVFAIL", r["rcodes"]["SERVFAIL"], truth["servfail"])
        # Every query has exactly one final outcome.
        eq("outcomes", r["queries"],
           r["responses"] - r["unmatched_responses"]
           + (r["unreachable"] - r["unmatched"]) + r["timeouts"]
           + r["evicted"])
    for b in bad:
        print("  " + b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
