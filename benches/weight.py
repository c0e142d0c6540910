#!/usr/bin/env python3
"""Bytes and files per kind of output file, for a quorum site and (optionally) Hugo's.

    python3 benches/weight.py QUORUM_OUT [HUGO_OUT] [--json FILE]

Kinds are told by path: a quorum meeting page is groups/G/DATE/index.html, an item page
actions/ID/index.html, a person page people/P/index.html; Hugo's twin (gen-corpus --hugo)
has meeting pages G/YEAR/DATE/index.html, section pages G/index.html and owners/P/index.html.
Bytes are file sizes (du --apparent-size), not blocks.
"""
import json
import os
import re
import sys

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def quorum_kind(rel):
    parts = rel.split("/")
    name = parts[-1]
    if name.endswith(".json"):
        return "json"
    if name.endswith(".ics"):
        return "calendar"
    if name == "feed.xml":
        return "feed"
    if name.startswith("sitemap"):
        return "sitemap"
    if name.endswith((".css", ".js")) or parts[0] == "pagefind":
        return "static"
    if not name.endswith(".html"):
        return "other"
    if parts[0] == "groups" and len(parts) == 4 and DATE.match(parts[2]):
        return "meeting"
    if parts[0] == "groups" and len(parts) == 3:
        return "group"
    if parts[0] == "people" and len(parts) == 3:
        return "person"
    if parts[0] == "actions" and (len(parts) == 2 or parts[1] == "_page"):
        return "actions"
    if parts[0] == "actions" and len(parts) == 3:
        return "item"
    return "other page"


def hugo_kind(rel):
    parts = rel.split("/")
    name = parts[-1]
    if not name.endswith(".html"):
        return "static" if name.endswith((".css", ".js")) else "other"
    if parts[0] == "owners" and len(parts) == 3:
        return "person"
    if len(parts) == 4 and DATE.match(parts[2]):
        return "meeting"
    if len(parts) == 2 and parts[0] not in ("owners",):
        return "group"
    return "other page"


def tally(root, kind_of):
    kinds = {}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d != ".quorum-cache"]
        for f in filenames:
            path = os.path.join(dirpath, f)
            rel = os.path.relpath(path, root)
            if rel == ".quorum":
                continue
            k = kind_of(rel)
            n, b = kinds.get(k, (0, 0))
            kinds[k] = (n + 1, b + os.path.getsize(path))
    return kinds


def mb(b):
    return f"{b / 1e6:.1f} MB" if b >= 1e5 else f"{b / 1e3:.1f} KB"


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    out_json = None
    if "--json" in sys.argv:
        out_json = sys.argv[sys.argv.index("--json") + 1]
        args.remove(out_json)
    q = tally(args[0], quorum_kind)
    h = tally(args[1], hugo_kind) if len(args) > 1 else {}
    order = sorted(q, key=lambda k: -q[k][1])
    print(f"{'kind':<11} {'quorum files':>12} {'bytes':>10} {'avg':>9}   {'hugo files':>10} {'bytes':>9} {'avg':>9}")
    for k in order + [k for k in h if k not in q]:
        qn, qb = q.get(k, (0, 0))
        hn, hb = h.get(k, (0, 0))
        qa = mb(qb / qn) if qn else "-"
        ha = mb(hb / hn) if hn else "-"
        hs = f"{hn:>10} {mb(hb):>9} {ha:>9}" if h else ""
        print(f"{k:<11} {qn:>12} {mb(qb):>10} {qa:>9}   {hs}")
    qt = sum(b for _, b in q.values())
    qf = sum(n for n, _ in q.values())
    line = f"{'total':<11} {qf:>12} {mb(qt):>10}"
    if h:
        ht = sum(b for _, b in h.values())
        hf = sum(n for n, _ in h.values())
        line += f"   {'':>9} {hf:>10} {mb(ht):>9}\nquorum/hugo bytes {qt / ht:.2f}x, files {qf / hf:.2f}x"
    print(line)
    if out_json:
        with open(out_json, "w") as f:
            json.dump({"quorum": q, "hugo": h}, f, indent=1)


if __name__ == "__main__":
    main()
