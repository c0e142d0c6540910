#!/usr/bin/env python3
"""Compare `quorum actions --status all --format json` with gen-corpus's corpus.json.

    benches/exactness.py QUORUM_BINARY SITE [--today YYYY-MM-DD]
"""
import collections, json, subprocess, sys

quorum, site = sys.argv[1], sys.argv[2]
extra = sys.argv[3:]
want = json.load(open(f"{site}/corpus.json"))
out = subprocess.run([quorum, "actions", "--root", site, "--status", "all", "--format", "json", *extra],
                     capture_output=True, text=True)
items = json.loads(out.stdout)
closed = [i for i in items if i["status"] in ("done", "dropped")]
opened = [i for i in items if i["status"] not in ("done", "dropped")]
by_owner = collections.Counter(o for i in opened for o in i["owners"])
got = {"actions_opened": len(items), "actions_closed": len(closed), "actions_open": len(opened),
       "open_by_owner": dict(by_owner)}
ok = True
for k, v in got.items():
    if want.get(k) != v:
        ok = False
        if k == "open_by_owner":
            w = want.get(k, {})
            diff = {o: (w.get(o), v.get(o)) for o in set(w) | set(v) if w.get(o) != v.get(o)}
            print(f"MISMATCH {k}: (want, got) {diff}")
        else:
            print(f"MISMATCH {k}: want {want.get(k)} got {v}")
    else:
        print(f"ok {k}" + ("" if k == "open_by_owner" else f" = {v}"))
sys.exit(0 if ok else 1)
