#!/usr/bin/env python3
"""Writes a git fast-import stream that turns a generated site into a repository
with one commit per meeting (in date order) plus EDITS commits that each change
one line of an earlier note.

    make_history_repo.py SITE [EDITS] | git -C REPO fast-import --quiet

The first commit holds everything that is not a meeting note (quorum.toml,
people.yaml, _group.md files). Authors rotate through a few names, dates grow
by one hour per commit, so the result is the same on every run.
"""
import os
import random
import sys

site = sys.argv[1]
edits = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
out = sys.stdout.buffer
authors = [
    ("Ana Costa", "ana@example.org"),
    ("Bo Lindqvist", "bo@example.org"),
    ("Chidi Okafor", "chidi@example.org"),
    ("Dana Whitfield", "dana@example.org"),
]
t0 = 1546300800  # 2019-01-01
n = 0
mark = 0


def commit(files, message):
    """files: list of (path, bytes)."""
    global n, mark
    name, email = authors[n % len(authors)]
    when = t0 + n * 3600
    n += 1
    mark += 1
    msg = message.encode()
    out.write(b"commit refs/heads/main\n")
    out.write(b"mark :%d\n" % mark)
    out.write(b"author %s <%s> %d +0000\n" % (name.encode(), email.encode(), when))
    out.write(b"committer %s <%s> %d +0000\n" % (name.encode(), email.encode(), when))
    out.write(b"data %d\n%s\n" % (len(msg), msg))
    if mark > 1:
        out.write(b"from :%d\n" % (mark - 1))
    for path, data in files:
        out.write(b"M 100644 inline %s\n" % path.encode())
        out.write(b"data %d\n" % len(data))
        out.write(data)
        out.write(b"\n")


notes, other = [], []
for dirpath, dirnames, filenames in os.walk(site):
    dirnames.sort()
    for f in sorted(filenames):
        full = os.path.join(dirpath, f)
        rel = os.path.relpath(full, site).replace(os.sep, "/")
        if rel == "corpus.json":
            continue
        if rel.startswith("content/") and f.endswith(".md") and not f.startswith("_"):
            notes.append(rel)
        else:
            other.append(rel)


def read(rel):
    with open(os.path.join(site, rel), "rb") as fh:
        return fh.read()


commit([(p, read(p)) for p in other], "Site configuration, people and groups")
# One commit per meeting, oldest first (the file name starts with the date).
notes.sort(key=lambda p: (os.path.basename(p), p))
current = {}
for p in notes:
    current[p] = read(p)
    commit([(p, current[p])], "Notes of " + p)


def editable(lines):
    """Indexes of plain paragraph lines in the body (after the front matter)."""
    start = 0
    if lines and lines[0].strip() == b"---":
        for i in range(1, len(lines)):
            if lines[i].strip() == b"---":
                start = i + 1
                break
    return [
        i
        for i in range(start, len(lines))
        if len(lines[i]) > 40 and lines[i][:1].isalpha()
    ]


rng = random.Random(1)
done = 0
while done < edits:
    p = rng.choice(notes)
    lines = current[p].split(b"\n")
    cands = editable(lines)
    if not cands:
        continue
    i = rng.choice(cands)
    lines[i] = lines[i] + b" Edited %d." % done
    current[p] = b"\n".join(lines)
    commit([(p, current[p])], "Edit %s" % p)
    done += 1
out.write(b"done\n")
