#!/usr/bin/env python3
"""Generate warden's labelled evaluation corpus.

Three AWS accounts of one organization (prod 111122223333, dev 444455556666,
ml 777788889999) and the Okta org, two days: 2026-11-09 (benign only) and
2026-11-10 (benign plus ten attack stories). See eval/README.md.

    python3 eval/gen_labelled.py              # writes eval/corpus/
    python3 eval/gen_labelled.py --out DIR

Python 3 standard library only; deterministic (fixed seeds, gzip without
timestamps). ``labels.json`` at the top of the output maps every attack event
id (CloudTrail eventID, GuardDuty finding id, Bedrock requestId, Okta uuid) to
its story; unlisted events are benign. Keep labels.json out of warden's input:
pass ``<out>/AWSLogs`` and ``<out>/okta``.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gen import common, writer  # noqa: E402
from gen import MODULES  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "corpus")
    args = ap.parse_args()
    started = time.time()
    out: Path = args.out
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)

    cx = common.Ctx()
    for mod in MODULES:
        mod.build(cx)

    # story windows from their labelled events
    times: dict[str, list[str]] = {}
    for key, tkey, recs in (("eventID", "eventTime", cx.cloudtrail), ("id", "updatedAt", cx.guardduty),
                            ("requestId", "timestamp", cx.bedrock), ("uuid", "published", cx.okta)):
        for r in recs:
            sid = cx.labels.get(r[key])
            if sid:
                times.setdefault(sid, []).append(r[tkey][:19] + "Z")
                if tkey == "updatedAt":   # a finding covers activity from eventFirstSeen
                    times[sid].append(r["service"]["eventFirstSeen"][:19] + "Z")
    for s in cx.stories:
        ts = sorted(times.get(s["id"], []))
        s["start"], s["end"] = (ts[0], ts[-1]) if ts else (None, None)
        s["events"] = len([k for k, v in cx.labels.items() if v == s["id"]])

    ids = cx.ids("writer")
    n_ct = writer.write_cloudtrail(ids, out, cx.cloudtrail)
    n_gd = writer.write_guardduty(ids, out, cx.guardduty)
    n_br = writer.write_bedrock(ids, out, cx.bedrock)
    writer.write_okta(out, cx.okta)
    writer.write_labels(out, cx.stories, cx.labels)

    # sanity: ids unique, every label points at a real event
    seen: set[str] = set()
    for key, recs in (("eventID", cx.cloudtrail), ("id", cx.guardduty), ("requestId", cx.bedrock),
                      ("uuid", cx.okta)):
        for r in recs:
            if r[key] in seen:
                raise SystemExit(f"duplicate event id {r[key]}")
            seen.add(r[key])
    missing = [k for k in cx.labels if k not in seen]
    if missing:
        raise SystemExit(f"{len(missing)} labels point at no event, e.g. {missing[0]}")

    total = len(cx.cloudtrail) + len(cx.guardduty) + len(cx.bedrock) + len(cx.okta)
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    per_acct: dict[str, int] = {}
    for e in cx.cloudtrail:
        per_acct[e["recipientAccountId"]] = per_acct.get(e["recipientAccountId"], 0) + 1
    print(f"wrote {out}: {total} events — cloudtrail {len(cx.cloudtrail)} in {n_ct} files "
          f"({', '.join(f'{common.ACCOUNT_NAMES.get(a, a)} {n}' for a, n in sorted(per_acct.items()))}), "
          f"guardduty {len(cx.guardduty)} ({n_gd} files), bedrock {len(cx.bedrock)} ({n_br} files), "
          f"okta {len(cx.okta)}; {len(cx.stories)} stories, {len(cx.labels)} attack events; "
          f"{size / 1e6:.1f} MB in {time.time() - started:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
