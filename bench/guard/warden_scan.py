#!/usr/bin/env python3
"""Run `warden guard scan` over the guard corpus; write ndjson predictions with ids.

  python3 bench/guard/warden_scan.py [--warden target/release/warden] [--out-dir bench/out/guard]

Writes OUT/warden-pii.ndjson (corpus/pii.txt, --origin log) and
OUT/warden-injection.ndjson (corpus/injection.jsonl: `question` lines with
--origin question, every other field with --origin log), each line
{"id", "injection", "pii", "secrets"} as warden printed it plus the id, and a
trailing {"meta": {...}} line with the warden version and wall-clock times.
Builds nothing: give it a warden binary.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def load(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(l) for l in f if l.strip()]


def scan(warden, rows, origin):
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".txt", delete=False) as f:
        for r in rows:
            f.write(r["text"] + "\n")
        path = f.name
    try:
        t0 = time.perf_counter()
        p = subprocess.run([warden, "guard", "scan", path, "--format", "ndjson", "--origin", origin],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
        dt = time.perf_counter() - t0
    finally:
        os.unlink(path)
    if p.returncode not in (0, 1):
        sys.exit("warden exited %d: %s" % (p.returncode, p.stderr.decode(errors="replace")[-2000:]))
    out = [json.loads(l) for l in p.stdout.decode("utf-8").splitlines() if l.strip()]
    if len(out) != len(rows):
        sys.exit("warden printed %d lines for %d inputs" % (len(out), len(rows)))
    return out, dt


def write(path, rows, preds, meta):
    with open(path, "w", encoding="utf-8") as f:
        for r, o in zip(rows, preds):
            f.write(json.dumps(dict({"id": r["id"]}, **o), ensure_ascii=False) + "\n")
        f.write(json.dumps({"meta": meta}) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--warden", default=os.path.join(ROOT, "target", "release", "warden"))
    ap.add_argument("--out-dir", default=os.path.join(ROOT, "bench", "out", "guard"))
    ap.add_argument("--corpus", default=os.path.join(HERE, "corpus"))
    a = ap.parse_args()
    if not os.access(a.warden, os.X_OK):
        sys.exit("no warden binary at %s (build it first)" % a.warden)
    os.makedirs(a.out_dir, exist_ok=True)
    version = subprocess.run([a.warden, "--version"], stdout=subprocess.PIPE, check=False).stdout.decode().strip()

    pii = load(os.path.join(a.corpus, "pii.jsonl"))
    preds, dt = scan(a.warden, pii, "log")
    nbytes = sum(len(r["text"].encode("utf-8")) + 1 for r in pii)
    write(os.path.join(a.out_dir, "warden-pii.ndjson"), pii, preds,
          {"tool": "warden", "version": version, "lines": len(pii), "bytes": nbytes, "wall_s": round(dt, 3)})
    print("warden pii: %d lines, %.1f KB in %.3f s wall (process start included)" % (len(pii), nbytes / 1e3, dt),
          file=sys.stderr)

    inj = load(os.path.join(a.corpus, "injection.jsonl"))
    q = [r for r in inj if r["field"] == "question"]
    lg = [r for r in inj if r["field"] != "question"]
    pq, tq = scan(a.warden, q, "question")
    pl, tl = scan(a.warden, lg, "log")
    by_id = {r["id"]: o for r, o in zip(q + lg, pq + pl)}
    write(os.path.join(a.out_dir, "warden-injection.ndjson"), inj, [by_id[r["id"]] for r in inj],
          {"tool": "warden", "version": version, "lines": len(inj), "wall_s": round(tq + tl, 3)})
    print("warden injection: %d lines in %.3f s wall" % (len(inj), tq + tl), file=sys.stderr)


if __name__ == "__main__":
    main()
