#!/usr/bin/env python3
"""Edit-to-reload latency of `quorum serve`, and an optional load test.

Copies SITE to a temporary folder, starts `quorum serve` on it (port 0,
loopback), listens to its server-sent events like a page does, then edits
one meeting note N times (a task's text), timing each from the return of
write() to the arrival of the `reload` event. Prints the median and the
spread, and the server's own rebuild timings.

With --wrk SECONDS it then runs wrk (Debian's package) against a meeting
page with 50 connections for SECONDS (at most 30) while the note is edited
once a second, and reports requests per second, the 99th percentile latency
and every error wrk counted.

    benches/serve-latency.py --site /work/bench/g1k [--edits 20] [--wrk 30]
"""

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import queue


def start_server(binary, root, today):
    proc = subprocess.Popen(
        [binary, "serve", "--port", "0", "--today", today, "--root", root],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    log = queue.Queue()
    addr = None
    deadline = time.time() + 600
    while time.time() < deadline:
        line = proc.stderr.readline()
        if not line:
            sys.exit("quorum serve stopped before serving")
        sys.stderr.write("  serve: " + line)
        m = re.search(r"serving the site at http://([\d.]+):(\d+)/", line)
        if m:
            addr = (m.group(1), int(m.group(2)))
            break
    if addr is None:
        sys.exit("quorum serve did not start")

    def pump():
        for line in proc.stderr:
            log.put(line.rstrip("\n"))

    threading.Thread(target=pump, daemon=True).start()
    return proc, addr, log


def listen_events(addr):
    """Yields (arrival time, event, data) from the event stream, via a queue."""
    events = queue.Queue()
    s = socket.create_connection(addr)
    s.sendall(
        b"GET /__quorum/events HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n"
    )

    def read():
        buf = b""
        name = ""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                return
            now = time.perf_counter()
            buf += chunk
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                line = line.decode("utf-8", "replace").rstrip("\r")
                if line.startswith("event: "):
                    name = line[7:]
                elif line.startswith("data: "):
                    events.put((now, name, line[6:]))

    threading.Thread(target=read, daemon=True).start()
    return events


def next_event(events, name, timeout=60):
    deadline = time.time() + timeout
    while True:
        left = deadline - time.time()
        if left <= 0:
            raise TimeoutError(f"no {name} event")
        at, ev, data = events.get(timeout=left)
        if ev == name:
            return at, data
        if ev == "build-error":
            raise RuntimeError(f"the edit broke the site: {data}")


def pick_note(root):
    """A meeting note with a task line to edit."""
    for dirpath, _, files in sorted(os.walk(os.path.join(root, "content"))):
        for f in sorted(files):
            if not f.endswith(".md") or f.startswith("_"):
                continue
            p = os.path.join(dirpath, f)
            with open(p, encoding="utf-8") as fh:
                text = fh.read()
            if re.search(r'^\s+task: "[^"\n]+"$', text, re.M):
                return p, text
    sys.exit("no note with a task line")


def edit(path, text, i):
    """Rewrites the note with its first task's text changed; returns when write() returned."""
    new = re.sub(
        r'^(\s+task: ")([^"\n]+?)( \(edit \d+\))?(")$',
        lambda m: f"{m.group(1)}{m.group(2)} (edit {i}){m.group(4)}",
        text,
        count=1,
        flags=re.M,
    )
    data = new.encode("utf-8")
    fd = os.open(path, os.O_WRONLY | os.O_TRUNC)
    try:
        os.write(fd, data)
        t = time.perf_counter()
    finally:
        os.close(fd)
    return t


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--site", required=True, help="site folder (copied, never edited)")
    ap.add_argument("--edits", type=int, default=20)
    ap.add_argument("--today", default="2026-06-01")
    ap.add_argument("--wrk", type=int, default=0, help="seconds of wrk load (max 30)")
    here = os.path.dirname(os.path.abspath(__file__))
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(here, "..", "target"))
    ap.add_argument("--binary", default=os.path.join(target, "release", "quorum"))
    args = ap.parse_args()

    tmp = tempfile.mkdtemp(prefix="quorum-serve-bench-")
    root = os.path.join(tmp, "site")
    try:
        shutil.copytree(args.site, root, ignore=shutil.ignore_patterns("public", ".git"))
        proc, addr, log = start_server(args.binary, root, args.today)
        try:
            run(args, root, addr, log)
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def run(args, root, addr, log):
    events = listen_events(addr)
    next_event(events, "reload")  # the current generation
    path, text = pick_note(root)
    rel = os.path.relpath(path, root)
    print(f"editing {rel}, {args.edits} times")
    latencies = []
    for i in range(1, args.edits + 1):
        t0 = edit(path, text, i)
        at, _ = next_event(events, "reload")
        latencies.append((at - t0) * 1000)
        time.sleep(0.2)
    rebuilds = []
    while not log.empty():
        line = log.get()
        m = re.match(r"rebuilt in (\d+) ms .*\((.*)\)$", line)
        if m:
            rebuilds.append(line)
    lat = sorted(latencies)
    print(
        "write() to reload event: median {:.1f} ms, min {:.1f}, p90 {:.1f}, max {:.1f} ms ({} edits)".format(
            statistics.median(lat), lat[0], lat[int(0.9 * (len(lat) - 1))], lat[-1], len(lat)
        )
    )
    if rebuilds:
        print("last rebuild as the server saw it: " + rebuilds[-1])
        if os.environ.get("SERVE_LOG"):
            print("\n".join(rebuilds))

    if args.wrk:
        load(args, root, addr, path, text)


def meeting_url(root, addr):
    import json
    import urllib.request

    with urllib.request.urlopen(f"http://{addr[0]}:{addr[1]}/meetings.json") as r:
        data = json.load(r)
    meetings = data["meetings"] if isinstance(data, dict) else data
    url = meetings[len(meetings) // 2]["url"]
    return url if url.startswith("http") else f"http://{addr[0]}:{addr[1]}/{url.lstrip('/')}"


def load(args, root, addr, path, text):
    seconds = min(args.wrk, 30)
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (apt-get install wrk)")
    url = meeting_url(root, addr)
    print(f"wrk: {seconds} s, 50 connections, on {url}, editing a note every second")
    w = subprocess.Popen(
        ["wrk", "-t2", "-c50", f"-d{seconds}s", "--timeout", "5s", "--latency", url],
        stdout=subprocess.PIPE,
        text=True,
    )
    i = 1000
    while w.poll() is None:
        i += 1
        edit(path, text, i)
        time.sleep(1)
    out = w.stdout.read()
    print(out)
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    p99 = re.search(r"99%\s+([\d.]+\w+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    print(
        "load: {} requests/s, p99 {}, socket errors: {}, non-2xx/3xx: {}".format(
            rps.group(1) if rps else "?",
            p99.group(1) if p99 else "?",
            errors.group(1) if errors else "none",
            non2xx.group(1) if non2xx else 0,
        )
    )


if __name__ == "__main__":
    main()
