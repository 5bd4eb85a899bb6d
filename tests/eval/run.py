#!/usr/bin/env python3
"""Detection-quality suite: replay scenarios with known truth, score alerts.

usage: run.py [--build DIR] [--scenario NAME]... [--keep DIR] [--markdown]
              [--pcapng] [--jobs N] [--seed N|A-B|A,B] [--captures DIR]
              [--verbose]
       run.py --self-test
       run.py --describe [--build DIR]

Each scenario's capture and truth come from evalgen (tests/eval/evalgen.c).
Every capture is replayed with the built-in defaults,
    dnsreachd --read FILE --json -c /dev/null
and the alerts are read from the JSON summary's "events" array.  The
truth says which alerts must come, by when, with which cause, which are
tolerated, and that anything else is a false alert.  The rules are in
docs/detection.md; score() below is their only implementation.

Exit status: 0 when every goal is met, 1 when one is missed, 2 on a usage
or set-up error.
"""
import argparse
import concurrent.futures
import datetime
import ipaddress
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
EPS = 1e-6
ALERT_KINDS = ("failing", "recovered", "flapping", "slow", "slow-recovered")
OPENERS = ("failing", "flapping", "slow")


# ---- events -------------------------------------------------------------

def norm_addr(a):
    try:
        return str(ipaddress.ip_address(a))
    except ValueError:
        return a


# Words of the cause in MESSAGE (dr_cause_text), for summaries without an
# "events" array: a dnsreachd older than the events array wrote alerts to
# stderr only.
CAUSE_TEXT = {
    "DNS service not listening": "service-not-listening",
    "blocked by a firewall": "blocked-by-firewall",
    "host or network down": "host-down",
    "destination unreachable": "unreachable-other",
    "silent drop (server down or firewall dropping)": "silent-drop",
}
LEGACY_LINE = re.compile(
    r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+)Z dnsreachd\[[^\]]*\]: "
    r"resolver (\S+) (still failing|failing|recovered):")


def legacy_events(stderr):
    """Alerts from the stderr lines of a dnsreachd without "events"."""
    out = []
    for line in stderr.splitlines():
        m = LEGACY_LINE.match(line)
        if not m:
            continue
        when = datetime.datetime.fromisoformat(m.group(1)).replace(
            tzinfo=datetime.timezone.utc).timestamp()
        kind = m.group(3)
        cause = None
        if kind != "recovered" and " \u2014 " in line:
            words = line.rsplit(" \u2014 ", 1)[1]
            words = re.sub(r" \(capture lost \d+ packets in the window\)$",
                           "", words)
            cause = CAUSE_TEXT.get(words, words)
        out.append({"ts": when, "event": "failing" if kind != "recovered"
                    else "recovered", "resolver": m.group(2),
                    "cause": cause, "reminder": kind == "still failing"})
    return out


def event_ts(e):
    """Packet time of an event: its "ts", else its ISO "time"."""
    if e.get("ts") is not None:
        return float(e["ts"])
    t = e["time"].rstrip("Z")
    return datetime.datetime.fromisoformat(t).replace(
        tzinfo=datetime.timezone.utc).timestamp()


def events_of(summary, stderr):
    """(events, legacy): the summary's events, or those parsed from stderr."""
    if isinstance(summary, dict) and isinstance(summary.get("events"), list):
        return summary["events"], False
    return legacy_events(stderr or ""), True


# ---- scoring ------------------------------------------------------------

def score(truth, summary, stderr="", exit_code=0):
    """Score one replay against its truth.  Pure: used by the self-test.

    Returns a dict: expectations (each with got, latency, cause_got, ok),
    events (each with status tp, allowed, follow-up or false), misses
    (goal lines, empty when the scenario passes), false (count), legacy.
    """
    start = truth["start"]
    misses = []
    res = {"scenario": truth["scenario"], "misses": misses, "false": 0,
           "expectations": [], "events": [], "legacy": False,
           "tp": 0, "expected": len(truth["expect"])}
    if exit_code != 0 or not isinstance(summary, dict):
        misses.append(f"dnsreachd failed (exit {exit_code}): "
                      f"{(stderr or '').strip()[:200]}")
        for x in truth["expect"]:
            res["expectations"].append(dict(x, got=None, latency=None,
                                            cause_got=None, ok=False))
        return res
    raw, legacy = events_of(summary, stderr)
    res["legacy"] = legacy
    evs = []
    for i, e in enumerate(raw):
        try:
            ts = event_ts(e)
        except (KeyError, TypeError, ValueError):
            misses.append(f"event without a usable ts or time: {e!r}"[:200])
            continue
        evs.append({"i": i, "rel": ts - start,
                    "event": e.get("event"),
                    "resolver": norm_addr(e.get("resolver", "")),
                    "cause": e.get("cause"),
                    "reminder": bool(e.get("reminder", False)),
                    "detector": e.get("detector"), "status": None})
    evs.sort(key=lambda e: (e["rel"], e["i"]))
    res["events"] = evs

    # 1. Each expected alert: the first of its kinds, for its resolver,
    #    at or after the time it is measured from.
    for x in truth["expect"]:
        r = norm_addr(x["resolver"])
        got = next((e for e in evs if e["status"] is None
                    and e["resolver"] == r and e["event"] in x["events"]
                    and not e["reminder"] and e["rel"] >= x["at"] - EPS),
                   None)
        xr = dict(x, got=got, latency=None, cause_got=None, ok=True)
        res["expectations"].append(xr)
        kinds = "|".join(x["events"])
        if got is None:
            xr["ok"] = False
            when = (f"within {x['deadline']:g}s of" if x["deadline"]
                    else "after")
            misses.append(f"{kinds} {r}: missing (expected {when} "
                          f"t={x['at']:g}s)")
            continue
        got["status"] = "tp"
        res["tp"] += 1
        xr["latency"] = got["rel"] - x["at"]
        if x["deadline"] is not None and xr["latency"] > x["deadline"] + EPS:
            xr["ok"] = False
            misses.append(f"{kinds} {r}: {xr['latency']:.1f}s after "
                          f"t={x['at']:g}s, goal {x['deadline']:g}s")

    # 2. Final cause: the expected alert's own, or that of the last
    #    "updated" (or reminder) before the resolver's next recovered.
    for xr in res["expectations"]:
        got = xr["got"]
        if got is None or xr["cause"] is None:
            continue
        final = got["cause"]
        for e in evs:
            if e["rel"] < got["rel"] or e is got or \
                    e["resolver"] != got["resolver"]:
                continue
            if e["event"] == "recovered":
                break
            if (e["event"] == "updated" or e["reminder"]) and e["cause"]:
                final = e["cause"]
        xr["cause_got"] = final
        if final != xr["cause"]:
            xr["ok"] = False
            misses.append(f"{'|'.join(xr['events'])} {got['resolver']}: "
                          f"cause {final}, expected {xr['cause']}")

    # 3. Tolerated spans: alerts of the kinds named, up to max in all
    #    (the expected ones count too).
    for a in truth.get("allow", []):
        r = norm_addr(a["resolver"])
        inside = [e for e in evs if e["resolver"] == r
                  and e["event"] in a["events"] and not e["reminder"]
                  and a["from"] - EPS <= e["rel"] <= a["to"] + EPS]
        extra = [e for e in inside if e["status"] is None]
        for e in extra:
            e["status"] = "allowed"
        if len(inside) > a["max"]:
            misses.append(f"{len(inside)} {'|'.join(a['events'])} alerts "
                          f"for {r} between t={a['from']:g}s and "
                          f"t={a['to']:g}s, at most {a['max']}")
            over = min(len(extra), len(inside) - a["max"])
            for e in extra[len(extra) - over:]:
                e["status"] = None

    # 4. Follow-ups ("updated", reminders) of an alert that was right.
    last = {}
    for e in evs:
        if e["event"] == "updated" or e["reminder"]:
            if e["status"] is None:
                p = last.get(e["resolver"])
                if p is not None and p["status"] in ("tp", "allowed") \
                        and p["event"] in OPENERS:
                    e["status"] = "follow-up"
        else:
            last[e["resolver"]] = e

    # 5. Everything else is a false alert.
    for e in evs:
        if e["status"] is None:
            e["status"] = "false"
            res["false"] += 1
    if res["false"]:
        falses = [e for e in evs if e["status"] == "false"]
        desc = ", ".join(f"{e['event']}"
                         f"{' (reminder)' if e['reminder'] else ''}"
                         f" {e['resolver']} t={e['rel']:.1f}s"
                         f"{' ' + e['cause'] if e['cause'] else ''}"
                         for e in falses[:4])
        more = f" and {len(falses) - 4} more" if len(falses) > 4 else ""
        misses.append(f"{res['false']} false alert(s): {desc}{more}")

    # 6. The whole capture was read, and exact counts where the truth
    #    asks for them.
    if "packets" in truth and summary.get("packets") != truth["packets"]:
        misses.append(f"read {summary.get('packets')} packets of "
                      f"{truth['packets']}")
    if truth.get("check_counts"):
        byaddr = {norm_addr(r.get("resolver", "")): r
                  for r in summary.get("resolvers", [])}
        for tr in truth["resolvers"]:
            r = norm_addr(tr["resolver"])
            got = byaddr.get(r)
            for k in ("queries", "retransmissions", "timeouts"):
                have = None if got is None else got.get(k)
                if have != tr[k]:
                    misses.append(f"{r}: {k} {have}, expected {tr[k]}")
    return res


# ---- presentation -------------------------------------------------------

def fmt_s(v):
    return "-" if v is None else f"{v:.1f}s"


def expected_text(truth, doc=False):
    """failing:service-not-listening<=3s, or in doc words for --describe."""
    if not truth["expect"]:
        return "silence"
    parts = []
    many = len({y["resolver"] for y in truth["expect"]}) > 1
    for x in truth["expect"]:
        kinds = (" or " if doc else "|").join(x["events"])
        if doc:
            s = f"{kinds} ({x['cause']})" if x["cause"] else kinds
            s += f" of {x['resolver']}" if many else ""
            s += (f" \u2264 {x['deadline']:g} s after t={x['at']:g} s"
                  if x["deadline"] else " at any time")
        else:
            s = f"{kinds}:{x['cause']}" if x["cause"] else kinds
            s += f"<={x['deadline']:g}s" if x["deadline"] else " (any time)"
            s += f"@{x['resolver']}" if many else ""
        parts.append(s)
    return ("; " if doc else ", ").join(parts)


def times_text(res, what):
    out = []
    for xr in res["expectations"]:
        if xr["what"] != what:
            continue
        if xr["got"] is None:
            out.append("MISSING")
        else:
            late = xr["deadline"] is not None and \
                xr["latency"] > xr["deadline"] + EPS
            out.append(fmt_s(xr["latency"]) + (" LATE" if late else ""))
    return " / ".join(out) if out else "-"


def cause_text(res):
    out = []
    for xr in res["expectations"]:
        if xr["cause"] is None:
            continue
        got = xr["cause_got"] or "-"
        out.append(xr["cause"] if got == xr["cause"]
                   else f"{xr['cause']} / GOT {got}")
    return "; ".join(out) if out else "-"


def row(truth, res):
    return [truth["scenario"], expected_text(truth),
            times_text(res, "detect"), times_text(res, "clear"),
            cause_text(res), str(res["false"]),
            "ok" if not res["misses"] else "MISSED"]


HEAD = ["scenario", "expected", "detect", "clear", "cause (expected / got)",
        "false", "result"]


def print_table(rows, markdown, out):
    if markdown:
        out.write("| " + " | ".join(HEAD) + " |\n")
        out.write("|" + "|".join("---" for _ in HEAD) + "|\n")
        for r in rows:
            out.write("| " + " | ".join(c.replace("|", "\\|")
                                        .replace("<=", "\u2264")
                                        for c in r) + " |\n")
        return
    # Long cells wrap after ", " or " / " onto lines of their own.
    def wrap(c, width=52):
        lines, cur = [], ""
        for piece in re.split(r"(?<=, )|(?<= / )", c):
            if cur and len(cur) + len(piece) > width:
                lines.append(cur.rstrip())
                cur = ""
            cur += piece
        return lines + [cur]
    cells = [[wrap(c) for c in r] for r in [HEAD] + rows]
    w = [max(len(line) for r in cells for line in r[i])
         for i in range(len(HEAD))]
    for r in cells:
        for k in range(max(len(c) for c in r)):
            out.write("  ".join((c[k] if k < len(c) else "").ljust(w[i])
                                for i, c in enumerate(r)).rstrip() + "\n")


def totals(results):
    tp = sum(r["tp"] for r in results)
    expected = sum(r["expected"] for r in results)
    false = sum(r["false"] for r in results)
    det = [xr["latency"] for r in results for xr in r["expectations"]
           if xr["what"] == "detect" and xr["latency"] is not None]
    clr = [xr["latency"] for r in results for xr in r["expectations"]
           if xr["what"] == "clear" and xr["latency"] is not None]
    return {
        "scenarios": len(results),
        "passed": sum(1 for r in results if not r["misses"]),
        "precision": tp / (tp + false) if tp + false else None,
        "recall": tp / expected if expected else None,
        "tp": tp, "false": false, "expected": expected,
        "detect_median": statistics.median(det) if det else None,
        "detect_worst": max(det) if det else None,
        "clear_median": statistics.median(clr) if clr else None,
        "clear_worst": max(clr) if clr else None,
    }


def print_totals(t, markdown, out):
    pct = (lambda v: "-" if v is None else f"{100 * v:.1f}%")
    lines = [
        f"scenarios passed: {t['passed']} of {t['scenarios']}",
        f"precision: {pct(t['precision'])} ({t['tp']} right alerts, "
        f"{t['false']} false)",
        f"recall: {pct(t['recall'])} ({t['tp']} of {t['expected']} "
        f"expected alerts raised)",
        f"detection: median {fmt_s(t['detect_median'])}, worst "
        f"{fmt_s(t['detect_worst'])}",
        f"clear: median {fmt_s(t['clear_median'])}, worst "
        f"{fmt_s(t['clear_worst'])}",
    ]
    for line in lines:
        out.write(("- " if markdown else "") + line + "\n")


# ---- running ------------------------------------------------------------

def replay(daemon, path, timeout=600):
    p = subprocess.run([daemon, "--read", path, "--json", "-c", "/dev/null"],
                       capture_output=True, text=True, timeout=timeout)
    try:
        summary = json.loads(p.stdout) if p.returncode == 0 else None
    except json.JSONDecodeError as e:
        return None, p.stderr + f"\nsummary is not JSON: {e}", 1
    return summary, p.stderr, p.returncode


def run_one(daemon, capdir, truth, pcapng):
    f = truth["file"]
    if pcapng and truth.get("file_pcapng"):
        f = truth["file_pcapng"]
    summary, stderr, rc = replay(daemon, os.path.join(capdir, f))
    return truth, score(truth, summary, stderr, rc), summary, stderr


def list_scenarios(evalgen):
    p = subprocess.run([evalgen, "-l"], capture_output=True, text=True,
                       check=True)
    return [line.split()[0] for line in p.stdout.splitlines() if line]


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default=os.environ.get("BUILD", "build"))
    ap.add_argument("--scenario", action="append", default=[],
                    help="run only this one (repeat; a trailing * matches "
                    "a prefix)")
    ap.add_argument("--keep", metavar="DIR",
                    help="write the captures and results to DIR and keep "
                    "them")
    ap.add_argument("--captures", metavar="DIR",
                    help="use the captures and truths already in DIR")
    ap.add_argument("--markdown", action="store_true")
    ap.add_argument("--pcapng", action="store_true",
                    help="replay the pcapng form of every capture")
    ap.add_argument("--jobs", "-j", type=int, default=2)
    ap.add_argument("--seed", default="1",
                    help="evalgen seed, or a range (1-5) or list (1,7) to "
                    "run every scenario with each")
    ap.add_argument("--verbose", "-v", action="store_true",
                    help="print every alert of every scenario")
    ap.add_argument("--self-test", action="store_true",
                    help="check the scoring against hand-written cases")
    ap.add_argument("--describe", action="store_true",
                    help="print the scenarios and their truth as Markdown")
    args = ap.parse_args(argv)

    if args.self_test:
        import selftest
        return selftest.run(score, sys.stdout)

    daemon = os.path.join(args.build, "dnsreachd")
    evalgen = os.path.join(args.build, "eval", "evalgen")
    for prog in ([evalgen] if args.captures is None else []) + \
            ([] if args.describe else [daemon]):
        if not os.access(prog, os.X_OK):
            print(f"run.py: {prog} missing: make {prog}", file=sys.stderr)
            return 2

    if args.captures:
        names = sorted(f[:-len(".truth.json")] for f in
                       os.listdir(args.captures) if f.endswith(".truth.json"))
    else:
        names = list_scenarios(evalgen)
    if args.scenario:
        want = []
        for pat in args.scenario:
            m = [n for n in names if n == pat or
                 (pat.endswith("*") and n.startswith(pat[:-1]))]
            if not m:
                print(f"run.py: no scenario {pat}", file=sys.stderr)
                return 2
            want += [n for n in m if n not in want]
        names = [n for n in names if n in want]

    try:
        seeds = parse_seeds(args.seed)
    except ValueError:
        print(f"run.py: bad --seed {args.seed}", file=sys.stderr)
        return 2
    if args.captures:
        seeds = [None]
    tmp = None
    if args.captures:
        top = args.captures
    elif args.keep:
        top = args.keep
        os.makedirs(top, exist_ok=True)
    else:
        top = tmp = tempfile.mkdtemp(prefix="dnsreach-eval.")
    try:
        work = []		# (capture directory, truth)
        for seed in seeds:
            capdir = top
            if len(seeds) > 1:
                capdir = os.path.join(top, f"seed-{seed}")
                os.makedirs(capdir, exist_ok=True)
            if not args.captures:
                cmd = [evalgen, "-s", str(seed), "-o", capdir]
                if args.pcapng:
                    cmd.append("-n")
                subprocess.run(cmd + names, check=True)
            for n in names:
                with open(os.path.join(capdir, n + ".truth.json")) as f:
                    t = json.load(f)
                if len(seeds) > 1:
                    t["scenario"] += f"@{seed}"
                work.append((capdir, t))
        if args.describe:
            describe([t for _, t in work], sys.stdout)
            return 0
        with concurrent.futures.ThreadPoolExecutor(max(1, args.jobs)) as ex:
            done = list(ex.map(lambda w: run_one(daemon, w[0], w[1],
                                                 args.pcapng), work))
        if args.keep:
            for (capdir, _), (truth, _, summary, stderr) in zip(work, done):
                base = os.path.join(capdir, truth["scenario"].split("@")[0])
                with open(base + ".summary.json", "w") as f:
                    json.dump(summary, f, indent=1)
                with open(base + ".stderr", "w") as f:
                    f.write(stderr)
        return report(done, args, sys.stdout)
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


def parse_seeds(text):
    seeds = []
    for part in text.split(","):
        if "-" in part:
            a, b = part.split("-", 1)
            seeds += range(int(a), int(b) + 1)
        else:
            seeds.append(int(part))
    if not seeds or any(s < 0 for s in seeds):
        raise ValueError(text)
    return seeds


def report(done, args, out):
    results = [r for _, r, _, _ in done]
    if any(r["legacy"] for r in results):
        out.write('note: no "events" array in the JSON summary; alerts '
                  "read from dnsreachd's stderr (failing and recovered "
                  "only)\n\n")
    print_table([row(t, r) for t, r, _, _ in done], args.markdown, out)
    out.write("\n")
    t = totals(results)
    print_totals(t, args.markdown, out)
    if args.verbose:
        for truth, r, _, _ in done:
            out.write(f"\n{truth['scenario']}:\n")
            for e in r["events"]:
                rem = " (reminder)" if e["reminder"] else ""
                out.write(f"  t={e['rel']:8.3f}s {e['status']:9} "
                          f"{e['event']}{rem} {e['resolver']} "
                          f"{e['cause'] or ''} {e['detector'] or ''}\n")
    missed = [(tr["scenario"], m) for tr, r, _, _ in done for m in r["misses"]]
    if missed:
        out.write("\n")
        for name, m in missed:
            out.write(f"MISSED {name}: {m}\n")
        return 1
    return 0


def describe(truths, out):
    """The scenarios and their truth, for docs/detection.md."""
    out.write("| scenario | what happens | expected |\n|---|---|---|\n")
    for t in truths:
        what = t["summary"]
        if t.get("note"):
            what += f" *{t['note']}*"
        exp = expected_text(t, doc=True)
        if t.get("allow"):
            exp += "; " + "; ".join(
                f"at most {a['max']} {' or '.join(a['events'])} in "
                f"t={a['from']:g}-{a['to']:g} s" for a in t["allow"])
        if t.get("check_counts"):
            exp += "; queries, retransmissions, timeouts exact"
        if t["expect"]:
            exp += "; no other alert"
        out.write(f"| {t['scenario']} | {what.replace('|', '/')} | "
                  f"{exp} |\n")


if __name__ == "__main__":
    import signal
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)	# run.py | head
    sys.path.insert(0, HERE)
    sys.exit(main(sys.argv[1:]))
