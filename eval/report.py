#!/usr/bin/env python3
"""Per-rule and per-story quality report of warden on the labelled corpus.

    python3 eval/report.py [--corpus eval/corpus] [--out FILE] [--check] [--keep DIR]

Runs ``$WARDEN detect -f ndjson --dedupe 0 --state <tmp>`` and ``$WARDEN triage -f json
--state <tmp2>`` over the corpus (its sub-directories, never labels.json), joins the alerts
and incidents with ``labels.json`` and prints markdown:

- per rule: level, alerts on attack events, alerts on benign events (split by day);
  a correlation alert counts as attack if any of its related events is an attack event;
- per story: detected (an incident whose evidence holds story events reaches the story's
  ``min_level``), the best incident level, the rules that fired on its events;
- summary: benign alerts at high/critical (target 0), benign incidents by level, stories
  detected / total.

``--check`` exits 1 when a benign alert is high/critical or a story is missed.
WARDEN defaults to target/release/warden. Python 3 standard library only.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LEVELS = ["informational", "low", "medium", "high", "critical"]
RANK = {lvl: i for i, lvl in enumerate(LEVELS)}
DAY1 = "2026-11-09"


def run(cmd: list[str]) -> tuple[str, str]:
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode not in (0, 1):
        sys.exit(f"report: {' '.join(cmd[:3])} ... failed ({p.returncode}):\n{p.stderr[-2000:]}")
    return p.stdout, p.stderr


def supports_dedupe(warden: str) -> bool:
    out, _ = run([warden, "detect", "--help"])
    return "--dedupe" in out


def rule_catalog(warden: str) -> dict[str, dict]:
    out, _ = run([warden, "rules", "list", "-f", "json"])
    cat = {}
    for r in json.loads(out):
        name = Path(r["source"].split(":", 1)[-1]).stem
        cat[r["id"]] = {"name": name, "title": r["title"], "level": r["level"], "correlation": r["correlation"]}
    return cat


def md_table(headers: list[str], rows: list[list]) -> str:
    out = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" if i == 0 else "---:" if isinstance(rows[0][i] if rows else "", int) else "---" for i in range(len(headers))) + "|"]
    for r in rows:
        out.append("| " + " | ".join(str(x).replace("|", "\\|") for x in r) + " |")
    return "\n".join(out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=ROOT / "eval" / "corpus")
    ap.add_argument("--out", type=Path, help="also write the markdown to this file")
    ap.add_argument("--check", action="store_true", help="exit 1 on a benign high/critical alert or a missed story")
    ap.add_argument("--keep", type=Path, help="keep warden's raw outputs (alerts.ndjson, triage.json) here")
    args = ap.parse_args()

    warden = os.environ.get("WARDEN", str(ROOT / "target" / "release" / "warden"))
    labels_doc = json.loads((args.corpus / "labels.json").read_text())
    labels: dict[str, str] = labels_doc["events"]
    stories = labels_doc["stories"]
    inputs = sorted(str(p) for p in args.corpus.iterdir() if p.is_dir() and not p.name.startswith("."))
    if not inputs:
        sys.exit(f"report: no input folders in {args.corpus}")

    cat = rule_catalog(warden)
    with tempfile.TemporaryDirectory() as tmp:
        det_cmd = [warden, "detect", "-f", "ndjson", "--state", f"{tmp}/detect-state.json"]
        dedupe_note = "--dedupe 0"
        if supports_dedupe(warden):
            det_cmd[4:4] = ["--dedupe", "0"]
        else:
            dedupe_note = "(this warden has no --dedupe: every alert is kept anyway)"
        det_out, det_err = run(det_cmd + inputs)
        tri_out, tri_err = run([warden, "triage", "-f", "json", "--state", f"{tmp}/triage-state.json"] + inputs)
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        (args.keep / "alerts.ndjson").write_text(det_out)
        (args.keep / "triage.json").write_text(tri_out)
    alerts = [json.loads(line) for line in det_out.splitlines() if line.strip()]
    triage = json.loads(tri_out)
    incidents = triage["incidents"]

    def alert_story(a) -> str | None:
        for eid in [a.get("event_id")] + list(a.get("related_events") or []):
            if eid in labels:
                return labels[eid]
        return None

    # ---- per rule ---------------------------------------------------------------------
    per_rule: dict[str, dict] = defaultdict(lambda: {"attack": 0, "benign_d1": 0, "benign_d2": 0, "stories": set()})
    benign_hi = []
    for a in alerts:
        r = per_rule[a["rule_id"]]
        sid = alert_story(a)
        if sid:
            r["attack"] += 1
            r["stories"].add(sid)
        else:
            r["benign_d1" if a.get("event_time", "").startswith(DAY1) else "benign_d2"] += 1
            if RANK.get(a["level"], 0) >= RANK["high"]:
                benign_hi.append(a)

    # ---- incidents ---------------------------------------------------------------------
    inc_story: list[tuple[dict, Counter]] = []
    for inc in incidents:
        cnt = Counter(labels[e] for e in inc.get("evidence", []) if e in labels)
        inc_story.append((inc, cnt))
    benign_inc = Counter(inc["threat_level"] for inc, cnt in inc_story if not cnt)
    benign_inc_hi = [inc for inc, cnt in inc_story if not cnt and RANK[inc["threat_level"]] >= RANK["high"]]

    # ---- per story ---------------------------------------------------------------------
    story_rows, missed = [], []
    for s in stories:
        sid = s["id"]
        incs = [(inc, cnt[sid]) for inc, cnt in inc_story if cnt.get(sid)]
        best = max((inc["threat_level"] for inc, _ in incs), key=lambda lvl: RANK[lvl], default=None)
        detected = best is not None and RANK[best] >= RANK[s["min_level"]]
        if not detected:
            missed.append(sid)
        fired = sorted({cat.get(a["rule_id"], {}).get("name", a["rule_title"]) for a in alerts if alert_story(a) == sid})
        n_events = sum(1 for v in labels.values() if v == sid)
        covered = len({e for inc, _ in incs for e in inc.get("evidence", []) if labels.get(e) == sid})
        mixed = len({e for inc, _ in incs for e in inc.get("evidence", []) if e not in labels})
        story_rows.append([sid, s["title"], s["account"], s["min_level"], "yes" if detected else "**NO**",
                           best or "-", len(incs), f"{covered}/{n_events}", mixed, ", ".join(fired) or "-"])

    # ---- markdown ----------------------------------------------------------------------
    n_events = triage["summary"].get("events")
    md = ["# warden on the labelled corpus", "",
          f"warden: `{warden}`; corpus: `{args.corpus}` ({n_events} events, {len(labels)} attack events, "
          f"{len(stories)} stories); detect {dedupe_note}, fresh `--state` for each run.", "",
          "## Summary", "",
          f"- **benign alerts at high/critical: {len(benign_hi)}** (target 0)",
          f"- benign alerts, all levels: {sum(r['benign_d1'] + r['benign_d2'] for r in per_rule.values())}; "
          f"attack alerts: {sum(r['attack'] for r in per_rule.values())}",
          f"- incidents: {len(incidents)}; benign incidents by level: "
          + (", ".join(f"{lvl} {benign_inc[lvl]}" for lvl in reversed(LEVELS) if benign_inc[lvl]) or "none"),
          f"- **stories detected: {len(stories) - len(missed)}/{len(stories)}**"
          + (f" (missed: {', '.join(missed)})" if missed else ""), ""]
    if benign_hi:
        md += ["### Benign alerts at high/critical", "",
               md_table(["rule", "level", "time", "event", "principal", "source ip", "event id"],
                        [[cat.get(a["rule_id"], {}).get("name", a["rule_title"]), a["level"], a.get("event_time", ""),
                          a.get("event_name", ""), a.get("principal", ""), a.get("source_ip", ""), a.get("event_id", "")]
                         for a in sorted(benign_hi, key=lambda a: a.get("event_time", ""))]), ""]
    if benign_inc_hi:
        md += ["### Benign incidents at high/critical", "",
               md_table(["incident", "level", "title", "rules"],
                        [[i["id"], i["threat_level"], i["title"], ", ".join(i.get("rules", []))] for i in benign_inc_hi]), ""]
    md += ["## Stories", "",
           md_table(["story", "title", "account", "min level", "detected", "incident level", "incidents",
                     "story events in evidence", "benign events in those incidents", "rules fired on its events"],
                    story_rows), "",
           "A story is detected when an incident whose evidence holds at least one of its events reaches "
           "the story's minimum level. Evidence lists at most 100 events per incident.", ""]
    rows = []
    for rid, r in sorted(per_rule.items(), key=lambda kv: (-RANK.get(cat.get(kv[0], {}).get("level", "low"), 0),
                                                           cat.get(kv[0], {}).get("name", kv[0]))):
        info = cat.get(rid, {"name": rid, "title": "?", "level": "?", "correlation": False})
        rows.append([info["name"] + (" (corr.)" if info["correlation"] else ""), info["title"], info["level"],
                     r["attack"], r["benign_d1"] + r["benign_d2"], r["benign_d1"], r["benign_d2"],
                     ", ".join(sorted(r["stories"])) or "-"])
    md += ["## Rules that fired", "",
           md_table(["rule", "title", "level", "attack alerts", "benign alerts", "benign day 1", "benign day 2",
                     "stories"], rows), "",
           f"{len(cat) - len(per_rule)} of {len(cat)} loaded rules raised nothing on this corpus.", ""]
    text = "\n".join(md)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")
    if args.check and (benign_hi or missed):
        print(f"check failed: {len(benign_hi)} benign high/critical alerts, {len(missed)} stories missed",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
