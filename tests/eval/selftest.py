"""run.py --self-test: score() against the hand-written cases of
selftest.json, so the judge is itself checked before it judges."""
import json
import os


def close(a, b):
    if a is None or b is None:
        return a is b
    return abs(a - b) < 1e-6


def check(case, truth, score):
    r = score(truth, case.get("summary"), case.get("stderr", ""),
              case.get("exit", 0))
    want = case["want"]
    bad = []
    if (not r["misses"]) != want["pass"]:
        bad.append(f"pass {not r['misses']}, want {want['pass']}")
    if r["false"] != want.get("false", 0):
        bad.append(f"false {r['false']}, want {want.get('false', 0)}")
    for what in ("detect", "clear"):
        if what not in want:
            continue
        got = [x["latency"] for x in r["expectations"] if x["what"] == what]
        if len(got) != len(want[what]) or \
                not all(close(a, b) for a, b in zip(got, want[what])):
            bad.append(f"{what} {got}, want {want[what]}")
    if "causes" in want:
        got = [x["cause_got"] for x in r["expectations"]]
        if got != want["causes"]:
            bad.append(f"causes {got}, want {want['causes']}")
    for m in want.get("misses", []):
        if m not in r["misses"]:
            bad.append(f"no miss {m!r} in {r['misses']}")
    if r["legacy"] != want.get("legacy", False):
        bad.append(f"legacy {r['legacy']}")
    return bad


def run(score, out):
    with open(os.path.join(os.path.dirname(__file__), "selftest.json")) as f:
        fx = json.load(f)
    failed = 0
    for case in fx["cases"]:
        bad = check(case, fx["truths"][case["truth"]], score)
        out.write(f"{'not ok' if bad else 'ok'} - {case['name']}\n")
        for b in bad:
            out.write(f"    {b}\n")
        failed += bool(bad)
    out.write(f"self-test: {len(fx['cases']) - failed} of "
              f"{len(fx['cases'])} cases right\n")
    return 1 if failed else 0
