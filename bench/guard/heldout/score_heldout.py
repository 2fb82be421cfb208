#!/usr/bin/env python3
"""Score injection verdicts on the held-out set.

  python3 bench/guard/heldout/score_heldout.py PRED.ndjson [--corpus injection.jsonl] [--errors]

PRED is what `warden guard scan --format ndjson` prints for the corpus texts
(one line per corpus line, in order, no ids), or the same with an "id" field.
Prints markdown: P/R/F1 overall, per language, per field, per technique, and
(with --errors) the false negatives and false positives.
"""

import argparse
import json
import os
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))


def load(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(l) for l in f if l.strip()]


def verdict(o):
    inj = o.get("injection")
    return bool(inj["detected"] if isinstance(inj, dict) else inj)


def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else None
    r = tp / (tp + fn) if tp + fn else None
    f = 2 * p * r / (p + r) if p and r else (0.0 if p is not None and r is not None else None)
    return ["%.3f" % x if x is not None else "-" for x in (p, r, f)]


def short(t, n=110):
    t = t.replace("|", "\\|")
    vis = "".join(c if c.isprintable() else "<U+%04X>" % ord(c) for c in t)
    return vis if len(vis) <= n else vis[:n - 1] + "…"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("pred")
    ap.add_argument("--corpus", default=os.path.join(HERE, "injection.jsonl"))
    ap.add_argument("--errors", action="store_true")
    a = ap.parse_args()
    rows = load(a.corpus)
    preds = [o for o in load(a.pred) if "meta" not in o]
    if preds and "id" in preds[0]:
        by = {o["id"]: o for o in preds}
        preds = [by[r["id"]] for r in rows]
    assert len(preds) == len(rows), (len(preds), len(rows))
    for r, o in zip(rows, preds):
        r["pred"] = verdict(o)
        r["score"] = (o.get("injection") or {}).get("score") if isinstance(o.get("injection"), dict) else None
        r["reasons"] = (o.get("injection") or {}).get("reasons") if isinstance(o.get("injection"), dict) else None

    def table(title, key, order=None):
        g = defaultdict(lambda: [0, 0, 0, 0, 0])  # n, inj, tp, fp, fn
        for r in rows:
            for k in ([key(r)] if key else ["all"]):
                c = g[k]
                c[0] += 1
                c[1] += r["injection"]
                c[2] += r["injection"] and r["pred"]
                c[3] += (not r["injection"]) and r["pred"]
                c[4] += r["injection"] and not r["pred"]
        print("| %s | lines | inj | TP | FP | FN | P | R | F1 |" % title)
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        for k in (order or sorted(g)):
            if k not in g:
                continue
            n, ni, tp, fp, fn = g[k]
            print("| %s | %d | %d | %d | %d | %d | %s |" % ((k, n, ni, tp, fp, fn, " | ".join(prf(tp, fp, fn)))))
        print()

    table("slice", None)
    table("lang", lambda r: r["lang"], ["en", "ko", "ja"])
    table("field", lambda r: r["field"],
          ["question", "userAgent", "s3Key", "requestParameters", "errorMessage", "userName", "ocr"])

    # technique: injections -> detection rate, benign -> flag rate
    g = defaultdict(lambda: [0, 0])
    for r in rows:
        g[r["technique"]][0] += 1
        g[r["technique"]][1] += r["pred"]
    print("| technique | lines | flagged | share |")
    print("|---|---:|---:|---:|")
    for k in sorted(g, key=lambda k: (k.startswith("benign"), k)):
        n, d = g[k]
        print("| %s | %d | %d | %.2f |" % (k, n, d, d / n))
    print()
    if a.errors:
        print("False negatives (injections not flagged):\n")
        for r in rows:
            if r["injection"] and not r["pred"]:
                print("- `%s` (%s, %s) %s" % (r["id"], r["lang"], r["technique"], short(r["text"])))
        print("\nFalse positives (benign lines flagged):\n")
        for r in rows:
            if not r["injection"] and r["pred"]:
                print("- `%s` (%s, %s, score %s, %s) %s" % (r["id"], r["lang"], r["technique"], r["score"],
                                                       ",".join(r["reasons"] or []), short(r["text"])))


if __name__ == "__main__":
    main()
