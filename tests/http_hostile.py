#!/usr/bin/env python3
"""Clients the metrics endpoint must shrug off (tests only).

    http_hostile.py slow HOST PORT [INTERVAL [LIMIT]]
        Send a request head one byte every INTERVAL s (default 4); print
        the seconds until the server closed, or "open" after LIMIT s.
    http_hostile.py many HOST PORT N SECONDS
        Open N connections at once, send nothing, hold them SECONDS;
        print how many the kernel completed.
    http_hostile.py huge HOST PORT MBYTES
        Send a request head of MBYTES megabytes as fast as the server
        takes it; print the status line that came back and the bytes
        the server took before it closed.
    http_hostile.py get HOST PORT [PATH]
        One plain request; print the status code and the body length.
"""
import errno
import resource
import select
import socket
import sys
import time


def connect(host, port, timeout=5):
    fam = socket.AF_INET6 if ":" in host else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.connect((host, port))
    return s


def slow(host, port, interval=4.0, limit=30.0):
    s = connect(host, port)
    head = b"GET /metrics HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 200
    t0 = time.monotonic()
    i = 0
    while time.monotonic() - t0 < limit:
        try:
            s.send(head[i % len(head):i % len(head) + 1])
        except OSError:
            break
        i += 1
        # Wait for the next byte's turn, or for the server to close.
        r, _, _ = select.select([s], [], [], interval)
        if r:
            try:
                if s.recv(4096) == b"":
                    break
            except OSError:
                break
    else:
        print("open")
        return
    print("%.1f" % (time.monotonic() - t0))


def many(host, port, n, seconds):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = min(hard, n + 64)
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
    fam = socket.AF_INET6 if ":" in host else socket.AF_INET
    socks = []
    for _ in range(n):
        s = socket.socket(fam, socket.SOCK_STREAM)
        s.setblocking(False)
        err = s.connect_ex((host, port))
        if err not in (0, errno.EINPROGRESS):
            s.close()
            continue
        socks.append(s)
    time.sleep(seconds)
    done = 0
    for s in socks:
        if s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0:
            try:
                s.getpeername()
                done += 1
            except OSError:
                pass
        s.close()
    print(done)


def huge(host, port, mbytes):
    s = connect(host, port)
    s.setblocking(False)
    total = mbytes * 1024 * 1024
    chunk = b"GET /metrics HTTP/1.1\r\n" + b"X-Junk: " + b"j" * 65500
    sent = 0
    got = b""
    t0 = time.monotonic()
    closed = False
    while sent < total and time.monotonic() - t0 < 20:
        r, w, _ = select.select([s], [s], [], 1.0)
        if r:
            try:
                d = s.recv(4096)
            except OSError:
                closed = True
                break
            if d == b"":
                closed = True
                break
            got += d
        if w:
            try:
                sent += s.send(chunk)
            except OSError:
                closed = True
                break
    # Whatever the server said before it closed.
    s.setblocking(True)
    s.settimeout(2)
    try:
        while True:
            d = s.recv(4096)
            if not d:
                break
            got += d
    except OSError:
        pass
    status = got.split(b"\r\n", 1)[0].decode("latin-1") or "none"
    print("%s|%d|%s" % (status, sent, "closed" if closed else "open"))


def get(host, port, path="/metrics"):
    s = connect(host, port, timeout=15)
    s.sendall(("GET %s HTTP/1.1\r\nHost: x\r\n\r\n" % path).encode())
    data = b""
    while True:
        d = s.recv(65536)
        if not d:
            break
        data += d
    head, _, body = data.partition(b"\r\n\r\n")
    print(head.split(b" ")[1].decode() if head else "none", len(body))


def main():
    a = sys.argv[1:]
    if len(a) < 3:
        sys.exit(__doc__)
    host, port = a[1], int(a[2])
    if a[0] == "slow":
        slow(host, port, *[float(x) for x in a[3:5]])
    elif a[0] == "many":
        many(host, port, int(a[3]), float(a[4]))
    elif a[0] == "huge":
        huge(host, port, int(a[3]))
    elif a[0] == "get":
        get(host, port, *a[3:4])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
