#!/usr/bin/env python3
"""Score PII/secret and prompt-injection predictions against the guard corpus.

  evaluate.py --pred presidio=bench/out/guard/presidio.ndjson \\
              --pred warden=bench/out/guard/warden-pii.ndjson \\
              --pred warden=bench/out/guard/warden-injection.ndjson

Prediction files are ndjson, one object per line:

  {"id": "...", "pii": [{"type","start","end","score"}], "secrets": [...],
   "injection": {"detected": bool, ...} | bool}

"id" is optional: a file without ids is matched to a corpus by line order
(its line count must equal pii.jsonl's or injection.jsonl's; this is what
`warden guard scan --format ndjson` prints for corpus/pii.txt or
corpus/injection.txt).  "secrets" entries count exactly like "pii" entries.
A line {"meta": {...}} is skipped by the line count; meta.supports (a list of
entity types) says which types the tool claims to detect.  The same name may be
given several times (one file per corpus).

Offsets are Unicode code points (Python str indices), end exclusive, unless
--byte-offsets NAME says that tool reports UTF-8 byte offsets.

Matching (per line, per entity type):
  overlap  a prediction is a true positive if it overlaps a gold span of the
           same type; a gold span is found if a prediction of its type overlaps
           it.  Spans listed under "acceptable" for that type (e.g. a JWT that
           is also the bearer token) count neither for nor against.
  exact    the same, but start and end must be equal.
Recall is reported only for types the tool supports (meta.supports, or
--supports NAME=T1,T2, or else every type); others show n/a.  Predicted types
outside the corpus's 15 types are ignored.
"""

import argparse
import json
import os
import sys
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
TYPES = ["EMAIL", "PHONE", "CREDIT_CARD", "US_SSN", "KR_RRN", "JP_MY_NUMBER", "PASSPORT", "IP_ADDRESS",
         "AWS_ACCESS_KEY", "AWS_SECRET_KEY", "PRIVATE_KEY", "JWT", "BEARER_TOKEN", "URL_PASSWORD", "IBAN"]


def load_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(l) for l in f if l.strip()]


class Tool:
    def __init__(self, name):
        self.name = name
        self.pii = {}        # id -> list of (type, start, end, score)
        self.inj = {}        # id -> bool
        self.supports = None
        self.has_pii = False
        self.has_inj = False
        self.byte_offsets = False
        self.min_score = None


def read_pred(tool, path, pii_rows, inj_rows):
    lines = []
    with open(path, encoding="utf-8") as f:
        for n, l in enumerate(f, 1):
            if not l.strip():
                continue
            try:
                o = json.loads(l)
            except json.JSONDecodeError as e:
                sys.exit("%s:%d: %s" % (path, n, e))
            if "meta" in o:
                sup = o["meta"].get("supports")
                if sup is not None:
                    tool.supports = set(sup) & set(TYPES)
                continue
            lines.append(o)
    if not lines:
        sys.exit("%s: no predictions" % path)
    if "id" in lines[0]:
        ids = [o.get("id") for o in lines]
        if any(i is None for i in ids):
            sys.exit("%s: some lines have an id and some do not" % path)
    else:
        if len(lines) == len(pii_rows):
            ids = [r["id"] for r in pii_rows]
        elif len(lines) == len(inj_rows):
            ids = [r["id"] for r in inj_rows]
        else:
            sys.exit("%s: %d lines without ids match neither pii.jsonl (%d) nor injection.jsonl (%d)" % (
                path, len(lines), len(pii_rows), len(inj_rows)))
    text = {r["id"]: r["text"] for r in pii_rows}
    text.update({r["id"]: r["text"] for r in inj_rows})
    for i, o in zip(ids, lines):
        if "error" in o:
            print("warning: %s: %s: %s" % (path, i, o["error"]), file=sys.stderr)
        spans = []
        for key in ("pii", "secrets"):
            for e in o.get(key) or []:
                s, t = e["start"], e["end"]
                if tool.byte_offsets and i in text:
                    b = text[i].encode("utf-8")
                    s, t = len(b[:s].decode("utf-8", "replace")), len(b[:t].decode("utf-8", "replace"))
                spans.append((e["type"], s, t, e.get("score", 1.0)))
        if i.startswith("pii-"):
            tool.pii.setdefault(i, []).extend(spans)
            tool.has_pii = True
        inj = o.get("injection")
        if inj is not None and i.startswith("inj-"):
            tool.inj[i] = bool(inj["detected"] if isinstance(inj, dict) else inj)
            tool.has_inj = True


def overlaps(a, b):
    return a[0] < b[1] and b[0] < a[1]


def fmt(num, den):
    return "%.3f" % (num / den) if den else "-"


def score_pii(tool, rows, only=None):
    """Counters per type: tp_p (predictions matched), fp, n_pred, found (gold), support, exact variants."""
    c = defaultdict(lambda: defaultdict(int))
    for row in rows:
        if only and not only(row):
            continue
        gold = defaultdict(list)
        for e in row["entities"]:
            gold[e["type"]].append((e["start"], e["end"]))
        ok = defaultdict(list)
        for e in row.get("acceptable", []):
            ok[e["type"]].append((e["start"], e["end"]))
        preds = defaultdict(set)
        for t, s, e, sc in tool.pii.get(row["id"], []):
            if t in TYPES and (tool.min_score is None or sc >= tool.min_score):
                preds[t].add((s, e))
        for t in TYPES:
            g, p = gold[t], sorted(preds[t])
            c[t]["support"] += len(g)
            for sp in p:
                hit = any(overlaps(sp, x) for x in g)
                if hit:
                    c[t]["tp"] += 1
                elif any(overlaps(sp, x) for x in ok[t]):
                    c[t]["ignored"] += 1
                    continue
                else:
                    c[t]["fp"] += 1
                c[t]["pred"] += 1
                if sp in g:
                    c[t]["tp_exact"] += 1
            for x in g:
                if any(overlaps(sp, x) for sp in p):
                    c[t]["found"] += 1
                if x in p:
                    c[t]["found_exact"] += 1
    return c


def supported(tool, t):
    return tool.supports is None or t in tool.supports


def pii_report(tools, rows, out):
    tools = [t for t in tools if t.has_pii]
    if not tools:
        return
    full = {t.name: score_pii(t, rows) for t in tools}
    logs = {t.name: score_pii(t, rows, only=lambda r: r["context"] == "log") for t in tools}
    w = out.append
    w("## PII and secrets (overlap match)\n")
    w("%d lines, %d of them log lines; %d gold spans.\n" % (
        len(rows), sum(r["context"] == "log" for r in rows), sum(len(r["entities"]) for r in rows)))
    head = "| entity | support |" + "".join(" %s P | %s R | %s P(log) |" % ((t.name,) * 3) for t in tools)
    w(head)
    w("|---|---:|" + "---:|---:|---:|" * len(tools))
    tot = {t.name: defaultdict(int) for t in tools}
    totlog = {t.name: defaultdict(int) for t in tools}
    for ty in TYPES:
        sup = full[tools[0].name][ty]["support"]
        cells = []
        for t in tools:
            c, cl = full[t.name][ty], logs[t.name][ty]
            if not supported(t, ty):
                cells += ["n/a", "n/a", "n/a"]
                continue
            for k in ("tp", "pred", "found", "support", "tp_exact", "found_exact"):
                tot[t.name][k] += c[k]
                totlog[t.name][k] += cl[k]
            cells += [fmt(c["tp"], c["pred"]), fmt(c["found"], c["support"]), fmt(cl["tp"], cl["pred"])]
        w("| %s | %d | %s |" % (ty, sup, " | ".join(cells)))
    cells = []
    for t in tools:
        a, al = tot[t.name], totlog[t.name]
        cells += ["**%s**" % fmt(a["tp"], a["pred"]), "**%s**" % fmt(a["found"], a["support"]),
                  "**%s**" % fmt(al["tp"], al["pred"])]
    w("| **overall (supported types)** | | %s |" % " | ".join(cells))
    w("")
    w("Support counts gold spans; P = matched predictions / predictions; R = found gold spans / support;"
      " P(log) = precision on `context == log` lines only. Overall is micro-averaged over the types each tool supports.\n")

    w("### False positives per entity (overlap)\n")
    w("| entity |" + "".join(" %s FP (all) | %s FP (log) |" % (t.name, t.name) for t in tools))
    w("|---|" + "---:|---:|" * len(tools))
    for ty in TYPES:
        cells = []
        for t in tools:
            if not supported(t, ty) and not full[t.name][ty]["pred"]:
                cells += ["n/a", "n/a"]
            else:
                cells += [str(full[t.name][ty]["fp"]), str(logs[t.name][ty]["fp"])]
        w("| %s | %s |" % (ty, " | ".join(cells)))
    w("")

    w("### Exact-span match\n")
    w("| entity | support |" + "".join(" %s P | %s R |" % (t.name, t.name) for t in tools))
    w("|---|---:|" + "---:|---:|" * len(tools))
    for ty in TYPES:
        cells = []
        for t in tools:
            c = full[t.name][ty]
            if not supported(t, ty):
                cells += ["n/a", "n/a"]
            else:
                cells += [fmt(c["tp_exact"], c["pred"]), fmt(c["found_exact"], c["support"])]
        w("| %s | %d | %s |" % (ty, full[tools[0].name][ty]["support"], " | ".join(cells)))
    cells = []
    for t in tools:
        a = tot[t.name]
        cells += ["**%s**" % fmt(a["tp_exact"], a["pred"]), "**%s**" % fmt(a["found_exact"], a["support"])]
    w("| **overall** | | %s |" % " | ".join(cells))
    w("")

    w("### Recall by language (overlap, supported types)\n")
    w("| tool | en R | ko R | ja R | en P | ko P | ja P |")
    w("|---|---:|---:|---:|---:|---:|---:|")
    for t in tools:
        rs, ps = [], []
        for lang in ("en", "ko", "ja"):
            c = score_pii(t, rows, only=lambda r, l=lang: r["lang"] == l)
            f = sum(c[ty]["found"] for ty in TYPES if supported(t, ty))
            s = sum(c[ty]["support"] for ty in TYPES if supported(t, ty))
            tp = sum(c[ty]["tp"] for ty in TYPES if supported(t, ty))
            pr = sum(c[ty]["pred"] for ty in TYPES if supported(t, ty))
            rs.append(fmt(f, s))
            ps.append(fmt(tp, pr))
        w("| %s | %s |" % (t.name, " | ".join(rs + ps)))
    w("")


def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else None
    r = tp / (tp + fn) if tp + fn else None
    f = 2 * p * r / (p + r) if p is not None and r is not None and p + r else None
    return ["%.3f" % x if x is not None else "-" for x in (p, r, f)]


def inj_report(tools, rows, out):
    tools = [t for t in tools if t.has_inj]
    if not tools:
        return
    w = out.append
    w("## Prompt injection (`injection.detected`)\n")
    w("%d lines, %d injections.\n" % (len(rows), sum(r["injection"] for r in rows)))
    for t in tools:
        missing = [r["id"] for r in rows if r["id"] not in t.inj]
        if missing:
            print("warning: %s has no injection verdict for %d lines" % (t.name, len(missing)), file=sys.stderr)

    def counts(t, sel):
        tp = fp = fn = tn = 0
        for r in rows:
            if not sel(r):
                continue
            d = t.inj.get(r["id"], False)
            if r["injection"]:
                tp += d
                fn += not d
            else:
                fp += d
                tn += not d
        return tp, fp, fn, tn

    groups = [("all", lambda r: True)]
    groups += [("field=" + f, lambda r, f=f: r["field"] == f) for f in
               ["question", "userAgent", "s3Key", "requestParameters", "errorMessage", "userName", "ocr"]]
    groups += [("lang=" + l, lambda r, l=l: r["lang"] == l) for l in ("en", "ko", "ja")]
    w("| slice | lines | inj |" + "".join(" %s P | %s R | %s F1 | %s FP |" % ((t.name,) * 4) for t in tools))
    w("|---|---:|---:|" + "---:|---:|---:|---:|" * len(tools))
    for name, sel in groups:
        n = sum(1 for r in rows if sel(r))
        ni = sum(1 for r in rows if sel(r) and r["injection"])
        cells = []
        for t in tools:
            tp, fp, fn, tn = counts(t, sel)
            cells += prf(tp, fp, fn) + [str(fp)]
        w("| %s | %d | %d | %s |" % (name, n, ni, " | ".join(cells)))
    w("")
    techs = sorted({r.get("technique", "?") for r in rows})
    w("### By technique (injections: share detected; benign: share flagged)\n")
    w("| technique | lines |" + "".join(" %s |" % t.name for t in tools))
    w("|---|---:|" + "---:|" * len(tools))
    for te in techs:
        sel = [r for r in rows if r.get("technique", "?") == te]
        cells = [fmt(sum(t.inj.get(r["id"], False) for r in sel), len(sel)) for t in tools]
        w("| %s | %d | %s |" % (te, len(sel), " | ".join(cells)))
    w("")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pii", default=os.path.join(HERE, "corpus", "pii.jsonl"))
    ap.add_argument("--injection", default=os.path.join(HERE, "corpus", "injection.jsonl"))
    ap.add_argument("--pred", action="append", default=[], metavar="NAME=PATH", required=True)
    ap.add_argument("--supports", action="append", default=[], metavar="NAME=T1,T2,...",
                    help="entity types the tool supports (overrides the file's meta)")
    ap.add_argument("--min-score", action="append", default=[], metavar="NAME=X",
                    help="drop that tool's PII predictions scoring below X")
    ap.add_argument("--byte-offsets", action="append", default=[], metavar="NAME",
                    help="that tool reports UTF-8 byte offsets")
    ap.add_argument("--out", help="also write the report (markdown) to this file")
    a = ap.parse_args()
    pii_rows = load_jsonl(a.pii)
    inj_rows = load_jsonl(a.injection)
    tools = {}
    for spec in a.pred:
        name, _, path = spec.partition("=")
        if not path:
            sys.exit("--pred wants NAME=PATH, got %r" % spec)
        t = tools.setdefault(name, Tool(name))
        t.byte_offsets = name in a.byte_offsets
        read_pred(t, path, pii_rows, inj_rows)
    for spec in a.supports:
        name, _, lst = spec.partition("=")
        if name in tools:
            tools[name].supports = {x.strip() for x in lst.split(",") if x.strip()} & set(TYPES)
    for spec in a.min_score:
        name, _, x = spec.partition("=")
        if name in tools:
            tools[name].min_score = float(x)
    out = ["# Guard corpus evaluation\n"]
    for t in tools.values():
        extra = []
        if t.min_score is not None:
            extra.append("min score %.2f" % t.min_score)
        if t.supports is not None:
            extra.append("supports %s" % ", ".join(x for x in TYPES if x in t.supports))
        if extra:
            out.append("- **%s**: %s" % (t.name, "; ".join(extra)))
    out.append("")
    pii_report(list(tools.values()), pii_rows, out)
    inj_report(list(tools.values()), inj_rows, out)
    text = "\n".join(out)
    print(text)
    if a.out:
        with open(a.out, "w", encoding="utf-8") as f:
            f.write(text + "\n")


if __name__ == "__main__":
    main()
