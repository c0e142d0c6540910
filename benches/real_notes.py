#!/usr/bin/env python3
"""Measures quorum on real notes repositories (run by hand; the corpus is not in CI).

    python3 benches/real_notes.py QUORUM SITES_DIR [EXPECTED_TSV]

SITES_DIR holds one site per folder (quorum.toml + the notes). Prints, per folder: note
files, meetings dated, meetings with attendees, action items with an owner, errors; then,
for the first 10 note files by path of each folder, compares quorum's action items with the
hand-made list EXPECTED_TSV (folder, path, line, owner): an expected item is found when
quorum opened or updated an item with that owner from that line of that file.
"""
import csv, json, os, subprocess, sys, tempfile

NOT_NOTES = {"readme", "index", "license", "codeowners", "contributing", "changelog"}


def is_note(path):
    name = os.path.basename(path)
    if name.startswith(("_", ".")):
        return False
    if name.split(".")[0].lower() in NOT_NOTES:
        return False
    ext = os.path.splitext(name)[1][1:]
    if ext.lower() in ("md", "markdown", "txt"):
        return True
    if ext and " " not in ext and len(ext) <= 8 and not ext.isdigit():
        return False
    with open(path, "rb") as f:
        head = f.read(512)
    if b"\0" in head:
        return False
    try:
        head.decode("utf-8")
        return True
    except UnicodeDecodeError as e:
        return e.start >= len(head) - 3


def group_dirs(site):
    """(key, folder) of each group, read from quorum.toml as the corpus sites write it."""
    import tomllib
    with open(os.path.join(site, "quorum.toml"), "rb") as f:
        cfg = tomllib.load(f)
    content = cfg.get("content", "content")
    out, seen = [], set()
    for key, g in cfg.get("groups", {}).items():
        d = g.get("path", f"{content}/{key}")
        out.append(d)
        seen.add(d)
    cdir = os.path.join(site, content)
    if os.path.isdir(cdir):
        for n in sorted(os.listdir(cdir)):
            d = f"{content}/{n}"
            if os.path.isdir(os.path.join(site, d)) and not n.startswith((".", "_")) and d not in seen:
                out.append(d)
    return out


def note_files(site):
    files = []
    for d in group_dirs(site):
        for root, dirs, names in os.walk(os.path.join(site, d), followlinks=True):
            dirs[:] = [x for x in dirs if not x.startswith((".", "_"))]
            for n in names:
                p = os.path.join(root, n)
                if os.path.isfile(p) and is_note(p):
                    files.append(os.path.relpath(p, site))
    return sorted(files)


def fold(s):
    return " ".join(s.lower().lstrip("@").strip(" .,;:").split())


def main():
    q, sites = sys.argv[1], sys.argv[2]
    expected = {}
    if len(sys.argv) > 3:
        with open(sys.argv[3]) as f:
            for row in csv.reader(f, delimiter="\t"):
                if not row or row[0].startswith("#"):
                    continue
                folder, path, line, owner = row[:4]
                expected.setdefault(folder, []).append((path, int(line), owner))
    print("| folder | note files | meetings dated | with attendees | action items with an owner | errors | first-10 expected | found with the right owner | extra |")
    print("|---|---|---|---|---|---|---|---|---|")
    tot_e = tot_f = 0
    misses = []
    for folder in sorted(os.listdir(sites)):
        site = os.path.join(sites, folder)
        if not os.path.isfile(os.path.join(site, "quorum.toml")):
            continue
        files = note_files(site)
        out = tempfile.mkdtemp(prefix="qreal-")
        chk = subprocess.run([q, "check", "--root", site, "--today", "2026-11-23", "--format", "json"],
                             capture_output=True, text=True)
        try:
            diags = json.loads(chk.stdout)
        except ValueError:
            diags = []
        errors = sum(1 for d in diags if d.get("severity") == "error")
        subprocess.run([q, "build", "--root", site, "--today", "2026-11-23", "--keep-going", "--no-search",
                        "--out", out], capture_output=True)
        meetings = json.load(open(os.path.join(out, "meetings.json")))
        items = json.load(open(os.path.join(out, "actions.json")))
        src = {m["url"]: m.get("source", "") for m in meetings}
        # Every step that opened or updated an item: (file, line) -> owners.
        at = {}
        for it in items:
            owners = it["owners"]
            for s in it["history"]:
                if s["kind"] == "mentioned":
                    continue
                path = src.get(s["meeting"], "")
                at.setdefault((path, s["line"]), []).extend(s.get("owners") or owners)
        first = set(files[:10])
        exp = expected.get(folder, [])
        found = 0
        for path, line, owner in exp:
            got = [fold(o) for o in at.get((path, line), [])]
            if fold(owner) in got or any(fold(owner) in g.split() for g in got):
                found += 1
            else:
                misses.append(f"{folder}: {path}:{line} {owner} (quorum: {at.get((path, line))})")
        exp_keys = {(p, l) for p, l, _ in exp}
        extra = [k for k in at if k[0] in first and k not in exp_keys]
        for k in extra:
            misses.append(f"{folder}: extra {k[0]}:{k[1]} {at[k]}")
        tot_e += len(exp)
        tot_f += found
        print(f"| {folder} | {len(files)} | {len(meetings)} | {sum(1 for m in meetings if m['attendees'])} | "
              f"{len(items)} | {errors} | {len(exp)} | {found} | {len(extra)} |")
    if tot_e:
        print(f"\nfirst 10 note files of each folder: {tot_f}/{tot_e} expected action items found with the right owner ({100.0 * tot_f / tot_e:.1f}%)")
    for m in misses:
        print("  " + m, file=sys.stderr)


if __name__ == "__main__":
    main()
