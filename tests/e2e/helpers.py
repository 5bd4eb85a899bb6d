#!/usr/bin/env python3
"""Small helpers for the end-to-end tests (run by the shell scripts).

  helpers.py notify-listen SOCKET LOG
      Bind an AF_UNIX datagram socket (sd_notify's NOTIFY_SOCKET) and
      append "EPOCH_SECONDS MESSAGE" to LOG for every datagram, one line
      per assignment ("READY=1", "WATCHDOG=1", ...).  Runs until killed.

  helpers.py notify-gaps LOG FROM TO
      The longest gap (seconds) between WATCHDOG=1 pings in LOG over the
      interval [FROM, TO] (epoch seconds), counting the edges; and their
      number.  Prints "GAP COUNT".

  helpers.py journal-fill SOCKET
      Send datagrams to journald's socket without blocking until one
      would block (EAGAIN): its queue is full.  Prints how many went.
      Exit 1 when the queue never filled.

  helpers.py line-delay FILE REGEX TIMEOUT
      Wait up to TIMEOUT seconds for a line of FILE matching REGEX that
      starts with an ISO time ("2026-01-01T00:00:00.250Z dnsreachd[...]:
      ..."): print how long after that time the line was first seen, in
      ms.  Says "line-delay: watching" on stderr once it watches.  Exit 1
      when none came.

  helpers.py one-query RESOLVER QNAME
      Send one DNS query over UDP to RESOLVER port 53 and print the epoch
      time just before the send.

  helpers.py journal-stream IDENTIFIER COMMAND [ARG...]
      Run COMMAND with its stderr connected to journald's stdout stream
      under IDENTIFIER and JOURNAL_STREAM naming it, as systemd does for
      a service with StandardError=journal.

  helpers.py tun-resolver IFACE
      Attach to the tun device IFACE and act as a host whose DNS service
      is down: answer each UDP query to port 53 with ICMP port
      unreachable quoting it (IPv4).  Prints "ready" on stderr.
"""
import datetime
import errno
import fcntl
import os
import re
import socket
import struct
import sys
import time


def notify_listen(path, log):
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(path)
    os.chmod(path, 0o666)   # the daemon sends as an unprivileged user
    with open(log, "a", buffering=1) as f:
        f.write("%.6f LISTENING\n" % time.time())
        while True:
            data = s.recv(65536)
            now = time.time()
            for line in data.decode(errors="replace").split("\n"):
                if line:
                    f.write("%.6f %s\n" % (now, line))


def notify_gaps(log, t0, t1):
    t0, t1 = float(t0), float(t1)
    pings = []
    for line in open(log):
        ts, _, msg = line.rstrip("\n").partition(" ")
        if msg == "WATCHDOG=1" and t0 <= float(ts) <= t1:
            pings.append(float(ts))
    edges = [t0] + pings + [t1]
    gap = max(b - a for a, b in zip(edges, edges[1:]))
    print("%.3f %d" % (gap, len(pings)))


def journal_fill(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.setblocking(False)
    msg = (b"MESSAGE=dnsreach e2e filler\nPRIORITY=7\n"
           b"SYSLOG_IDENTIFIER=dnsreach-e2e-filler\n")
    n = 0
    while n < 1000000:
        try:
            s.sendto(msg, path)
        except BlockingIOError:
            print(n)
            return 0
        except OSError as e:
            if e.errno == errno.EAGAIN:
                print(n)
                return 0
            raise
        n += 1
    print(n)
    return 1


ISO = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?)Z ")


def line_delay(path, regex, timeout):
    pat = re.compile(regex)
    end = time.time() + float(timeout)
    polls = 0
    sys.stderr.write("line-delay: watching\n")
    sys.stderr.flush()
    while time.time() < end:
        now = time.time()
        polls += 1
        try:
            lines = open(path, errors="replace").read().splitlines()
        except FileNotFoundError:
            lines = []
        for line in lines:
            if not pat.search(line):
                continue
            m = ISO.match(line)
            if not m:
                continue
            t = datetime.datetime.strptime(m.group(1)[:23],
                                           "%Y-%m-%dT%H:%M:%S.%f")
            t = t.replace(tzinfo=datetime.timezone.utc).timestamp()
            print("%d" % round((now - t) * 1000))
            if os.environ.get("DR_DEBUG_DELAY"):
                sys.stderr.write("line-delay: seen %.3f, stamped %.3f, "
                                 "polls %d\n" % (now, t, polls))
            return 0
        time.sleep(0.02)
    return 1


def one_query(resolver, qname):
    fam = socket.AF_INET6 if ":" in resolver else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM)
    q = struct.pack(">HHHHHH", os.getpid() & 0xffff, 0x0100, 1, 0, 0, 0)
    for label in qname.split("."):
        q += bytes([len(label)]) + label.encode()
    q += b"\0" + struct.pack(">HH", 1, 1)
    t = time.time()
    s.sendto(q, (resolver, 53))
    print("%.6f" % t)


def journal_stream(ident, *argv):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect("/run/systemd/journal/stdout")
    # identifier, unit, priority, level prefix, syslog, kmsg, console
    s.sendall(("%s\n\n6\n1\n0\n0\n0\n" % ident).encode())
    st = os.fstat(s.fileno())
    os.environ["JOURNAL_STREAM"] = "%d:%d" % (st.st_dev, st.st_ino)
    os.dup2(s.fileno(), 2)
    os.execv(argv[0], list(argv))


def cksum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def tun_resolver(name):
    TUNSETIFF = 0x400454ca
    IFF_TUN, IFF_NO_PI = 0x0001, 0x1000
    fd = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(fd, TUNSETIFF,
                struct.pack("16sH", name.encode(), IFF_TUN | IFF_NO_PI))
    sys.stderr.write("ready\n")
    sys.stderr.flush()
    while True:
        pkt = os.read(fd, 65535)
        if len(pkt) < 28 or pkt[0] >> 4 != 4 or pkt[9] != 17:
            continue
        ihl = (pkt[0] & 15) * 4
        dport = struct.unpack("!H", pkt[ihl + 2:ihl + 4])[0]
        if dport != 53:
            continue
        quote = pkt[:548]
        icmp = struct.pack("!BBHI", 3, 3, 0, 0) + quote
        icmp = icmp[:2] + struct.pack("!H", cksum(icmp)) + icmp[4:]
        src, dst = pkt[16:20], pkt[12:16]
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(icmp), 0, 0,
                         64, 1, 0, src, dst)
        ip = ip[:10] + struct.pack("!H", cksum(ip)) + ip[12:]
        os.write(fd, ip + icmp)


def main(argv):
    cmd, args = argv[1], argv[2:]
    if cmd == "notify-listen":
        notify_listen(*args)
    elif cmd == "notify-gaps":
        notify_gaps(*args)
    elif cmd == "journal-fill":
        return journal_fill(*args)
    elif cmd == "line-delay":
        return line_delay(*args)
    elif cmd == "one-query":
        one_query(*args)
    elif cmd == "journal-stream":
        journal_stream(*args)
    elif cmd == "tun-resolver":
        tun_resolver(*args)
    else:
        sys.exit("helpers.py: unknown command %s" % cmd)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
