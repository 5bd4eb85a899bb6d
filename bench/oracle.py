#!/usr/bin/env python3
"""Count DNS per resolver with tshark, independently of dnsreachd, and
compare three sources: tshark (the oracle), dnsreachd's JSON summary and
the generator's truth.

usage: oracle.py [-k KEEP.tsv] CAPTURE DNSREACHD.json TRUTH.json|-

What tshark counts (one pass, -n, TCP reassembly on), per resolver:
  queries      DNS messages with QR=0 that are not inside an ICMP error
               ('dns.flags.response == 0 && !icmp && !icmpv6'), UDP and
               TCP, by ip.dst / ipv6.dst
  responses    the same with QR=1, by ip.src / ipv6.src; and their rcodes
  unreachable  'icmp.type == 3 && udp.dstport == 53' and
               'icmpv6.type == 1 && udp.dstport == 53', by the destination
               of the *quoted* packet (the last ip.dst / ipv6.dst), and
               unreachable_by_code by icmp.code / icmpv6.code
The filter is tshark's 'dns' protocol, not just 'dns.flags.response == 0':
mDNS (5353) and LLMNR (5355) carry dns.* fields too, but they are not
queries to a resolver.  Addresses come from the innermost IP layer, so a
query inside a tunnel (IPIP, 6in4, DS-Lite) counts for its real resolver.
With TRUTH "-" only tshark and dnsreachd are compared.
Exit 0 and "oracle: N resolvers, all counts equal" when the three agree on
every field for every resolver; otherwise a diff and exit 1 (2 when tshark
cannot run).
"""
import argparse
import collections
import ipaddress
import json
import subprocess
import sys

FIELDS = ["frame.number", "frame.protocols", "ip.src", "ip.dst", "ipv6.src", "ipv6.dst",
          "icmp.type", "icmp.code", "icmpv6.type", "icmpv6.code",
          "udp.dstport", "tcp.dstport", "tcp.srcport", "vlan.id",
          "ieee8021ad.id",
          "dns.flags.response", "dns.flags.rcode"]
FILTER = "dns || icmp.type == 3 || icmpv6.type == 1"
RCODES = {0: "NOERROR", 3: "NXDOMAIN", 2: "SERVFAIL", 5: "REFUSED"}
COMPARED = ("queries", "responses", "unreachable", "unreachable_by_code",
            "rcodes")


def norm(addr):
    return str(ipaddress.ip_address(addr))


def inner_family(protocols, lst):
    """"ip" or "ipv6", whichever is the innermost IP layer."""
    layers = protocols.split(":")
    for p in reversed(layers):
        if p in ("ip", "ipv6") and lst[p + ".dst"]:
            return p
    return "ip" if lst["ip.dst"] else "ipv6"


def blank():
    return {"queries": 0, "responses": 0, "unreachable": 0,
            "unreachable_by_code": {}, "rcodes": {}}


def tshark_counts(capture, keep):
    cmd = ["tshark", "-n", "-r", capture,
           "-o", "tcp.desegment_tcp_streams:TRUE",
           "-o", "dns.desegment_dns_messages:TRUE",
           "-Y", FILTER, "-T", "fields",
           "-E", "separator=/t", "-E", "occurrence=a",
           "-E", "aggregator=,"]
    for f in FIELDS:
        cmd += ["-e", f]
    try:
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    except OSError as e:
        print(f"oracle: cannot run tshark: {e}", file=sys.stderr)
        sys.exit(2)
    res = collections.defaultdict(blank)
    seen = collections.Counter()
    out = open(keep, "w") if keep else None
    for line in p.stdout:
        if out:
            out.write(line)
        v = dict(zip(FIELDS, line.rstrip("\n").split("\t")))
        lst = {k: (x.split(",") if x else []) for k, x in v.items()}
        icmp4 = bool(lst["icmp.type"])
        icmp6 = bool(lst["icmpv6.type"])
        if icmp4 or icmp6:
            t = lst["icmp.type" if icmp4 else "icmpv6.type"][0]
            if (t != ("3" if icmp4 else "1") or
                    "53" not in lst["udp.dstport"]):
                seen["icmp-other"] += 1
                continue
            dst = lst["ip.dst" if icmp4 else "ipv6.dst"][-1]
            code = lst["icmp.code" if icmp4 else "icmpv6.code"][0]
            r = res[norm(dst)]
            r["unreachable"] += 1
            by = r["unreachable_by_code"]
            by[code] = by.get(code, 0) + 1
            seen["unreachable"] += 1
            continue
        fam = inner_family(v["frame.protocols"], lst)
        src = lst[fam + ".src"][-1]
        dst = lst[fam + ".dst"][-1]
        rcodes = lst["dns.flags.rcode"]
        for i, qr in enumerate(lst["dns.flags.response"]):
            if qr in ("0", "False"):
                res[norm(dst)]["queries"] += 1
                seen["query"] += 1
                if lst["tcp.dstport"]:
                    seen["query/tcp"] += 1
                if lst["vlan.id"]:
                    seen["query/vlan"] += 1
                if lst["ieee8021ad.id"]:
                    seen["query/qinq"] += 1
            else:
                r = res[norm(src)]
                r["responses"] += 1
                rc = int(rcodes[i]) if i < len(rcodes) else 0
                name = RCODES.get(rc, "OTHER")
                r["rcodes"][name] = r["rcodes"].get(name, 0) + 1
                seen["response"] += 1
                if lst["tcp.srcport"]:
                    seen["response/tcp"] += 1
    err = p.stderr.read()
    if p.wait() != 0:
        print(f"oracle: tshark failed: {err.strip()}", file=sys.stderr)
        sys.exit(2)
    if out:
        out.close()
    return res, seen


def from_dnsreachd(path):
    with open(path) as f:
        j = json.load(f)
    res = {}
    for r in j["resolvers"]:
        # A client asking the same question again is one query retried
        # for dnsreachd; tshark counts each packet.
        res[norm(r["resolver"])] = {
            "queries": r["queries"] + r.get("retransmissions", 0),
            "responses": r["responses"],
            "unreachable": r["unreachable"],
            "unreachable_by_code": dict(r["unreachable_by_code"]),
            "rcodes": dict(r["rcodes"])}
    return res, j


def from_truth(path):
    with open(path) as f:
        j = json.load(f)
    res = {}
    for a, r in j["resolvers"].items():
        res[norm(a)] = {k: (dict(r[k]) if isinstance(r[k], dict) else r[k])
                        for k in COMPARED}
    return res, j


def clean(d):
    """Zero counts are the same as absent ones."""
    return {k: v for k, v in d.items() if v}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-k", "--keep", help="save tshark's rows here")
    ap.add_argument("capture")
    ap.add_argument("summary")
    ap.add_argument("truth")
    a = ap.parse_args()

    ts, seen = tshark_counts(a.capture, a.keep)
    dr, drj = from_dnsreachd(a.summary)
    if a.truth == "-":
        tr, trj = None, {}
        sources = (("tshark", ts), ("dnsreachd", dr))
    else:
        tr, trj = from_truth(a.truth)
        sources = (("tshark", ts), ("dnsreachd", dr), ("truth", tr))
    bad = []
    if tr is not None and drj.get("packets") != trj.get("packets"):
        bad.append(f"packets: dnsreachd={drj.get('packets')} "
                   f"truth={trj.get('packets')}")
    addrs = set(ts) | set(dr) | set(tr or ())

    def key(x):
        ip = ipaddress.ip_address(x)
        return (ip.version, ip)
    for addr in sorted(addrs, key=key):
        for field in COMPARED:
            vals = []
            for name, src in sources:
                r = src.get(addr, blank())
                v = r.get(field, 0)
                vals.append(clean(v) if isinstance(v, dict) else v)
            if any(v != vals[0] for v in vals):
                bad.append(f"{addr} {field}: " + "  ".join(
                    f"{n}={v}" for (n, _), v in zip(sources, vals)))
    print("oracle: tshark saw %d queries (%d over TCP, %d VLAN-tagged, "
          "%d of them 802.1ad double-tagged), %d responses (%d over TCP), "
          "%d unreachables about DNS, %d other ICMP errors" % (
              seen["query"], seen["query/tcp"], seen["query/vlan"],
              seen["query/qinq"], seen["response"], seen["response/tcp"],
              seen["unreachable"], seen["icmp-other"]))
    if bad:
        print(f"oracle: {len(bad)} differences:")
        for b in bad:
            print("  " + b)
        return 1
    print(f"oracle: {len(addrs)} resolvers, all counts equal "
          f"({', '.join(n for n, _ in sources)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
