"""Write the collected records in the layouts the services deliver them in.

- CloudTrail: ``AWSLogs/<acct>/CloudTrail/<region>/YYYY/MM/DD/<acct>_CloudTrail_<region>_
  YYYYMMDDTHHMMZ_<16 chars>.json.gz``, ``{"Records": [...]}``, one file per account, region
  and 15-minute window, records only roughly in time order (as real files).
- GuardDuty (S3 export): ``AWSLogs/<acct>/GuardDuty/<region>/YYYY/MM/DD/<uuid>.jsonl.gz``.
- Bedrock model-invocation logs (S3 delivery): ``AWSLogs/<acct>/BedrockModelInvocationLogs/
  <region>/YYYY/MM/DD/HH/<stamp>_<id>.json.gz``, one JSON record per line.
- Okta System Log: ``okta/systemlog-YYYY-MM-DD.json``, a JSON array in ``published`` order
  (what the System Log API returns page after page).
"""
from __future__ import annotations

import datetime as dt
import gzip
import json
from pathlib import Path

from .common import ALNUM, UTC


def _dumps(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def _gz(text: str) -> bytes:
    return gzip.compress(text.encode(), compresslevel=6, mtime=0)


def _parse(ts: str) -> dt.datetime:
    ts = ts.rstrip("Z")
    fmt = "%Y-%m-%dT%H:%M:%S.%f" if "." in ts else "%Y-%m-%dT%H:%M:%S"
    return dt.datetime.strptime(ts, fmt).replace(tzinfo=UTC)


def write_cloudtrail(ids, out: Path, records: list[dict]) -> int:
    groups: dict[tuple, list[dict]] = {}
    for ev in records:
        t = _parse(ev["eventTime"])
        window = t.replace(minute=(t.minute // 15) * 15, second=0, microsecond=0)
        groups.setdefault((ev["recipientAccountId"], ev["awsRegion"], window), []).append(ev)
    n = 0
    for (acct, region, window) in sorted(groups):
        recs = sorted(groups[(acct, region, window)], key=lambda e: e["eventTime"])
        for i in range(0, len(recs) - 1, 5):   # delivery files are only roughly ordered
            if ids.rng.random() < 0.4:
                recs[i], recs[i + 1] = recs[i + 1], recs[i]
        stamp = window + dt.timedelta(minutes=15 + ids.rng.randint(1, 6))
        folder = (out / "AWSLogs" / acct / "CloudTrail" / region / stamp.strftime("%Y") /
                  stamp.strftime("%m") / stamp.strftime("%d"))
        folder.mkdir(parents=True, exist_ok=True)
        name = f"{acct}_CloudTrail_{region}_{stamp.strftime('%Y%m%dT%H%MZ')}_{ids.chars(16, ALNUM)}.json.gz"
        (folder / name).write_bytes(_gz(_dumps({"Records": recs})))
        n += 1
    return n


def write_guardduty(ids, out: Path, findings: list[dict]) -> int:
    groups: dict[tuple, list[dict]] = {}
    for f in findings:
        t = _parse(f["updatedAt"])
        groups.setdefault((f["accountId"], f["region"], t.replace(minute=0, second=0, microsecond=0)),
                          []).append(f)
    for (acct, region, hour), fs in sorted(groups.items()):
        folder = (out / "AWSLogs" / acct / "GuardDuty" / region / hour.strftime("%Y/%m/%d"))
        folder.mkdir(parents=True, exist_ok=True)
        fs.sort(key=lambda f: f["updatedAt"])
        (folder / f"{ids.uuid()}.jsonl.gz").write_bytes(_gz("".join(_dumps(f) + "\n" for f in fs)))
    return len(groups)


def write_bedrock(ids, out: Path, logs: list[dict]) -> int:
    groups: dict[tuple, list[dict]] = {}
    for r in logs:
        t = _parse(r["timestamp"])
        window = t.replace(minute=(t.minute // 10) * 10, second=0, microsecond=0)
        groups.setdefault((r["accountId"], r["region"], window), []).append(r)
    for (acct, region, window), rs in sorted(groups.items()):
        folder = (out / "AWSLogs" / acct / "BedrockModelInvocationLogs" / region /
                  window.strftime("%Y/%m/%d/%H"))
        folder.mkdir(parents=True, exist_ok=True)
        rs.sort(key=lambda r: r["timestamp"])
        name = f"{window.strftime('%Y%m%dT%H%M%S')}{ids.chars(3, '0123456789')}Z_{ids.hex(16)}.json.gz"
        (folder / name).write_bytes(_gz("".join(_dumps(r) + "\n" for r in rs)))
    return len(groups)


def write_okta(out: Path, events: list[dict]) -> int:
    days: dict[str, list[dict]] = {}
    for e in events:
        days.setdefault(e["published"][:10], []).append(e)
    folder = out / "okta"
    folder.mkdir(parents=True, exist_ok=True)
    for day, es in sorted(days.items()):
        es.sort(key=lambda e: e["published"])
        (folder / f"systemlog-{day}.json").write_text(
            "[\n" + ",\n".join(_dumps(e) for e in es) + "\n]\n", encoding="utf-8")
    return len(days)


def write_labels(out: Path, stories: list[dict], labels: dict[str, str]) -> None:
    doc = {"stories": stories, "events": dict(sorted(labels.items()))}
    (out / "labels.json").write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n",
                                     encoding="utf-8")
