#!/usr/bin/env python3
"""Which privilege-escalation paths do cloudsplaining and parliament report, per policy file?

    peer_escalation.py DIR [--tool cloudsplaining|parliament|both] [--out FILE]

Reads every *.json policy document under DIR (sorted, recursively) and prints one
JSON line per file and tool:

    {"file": "IAMFullAccess.json", "tool": "cloudsplaining", "escalations": ["AddUserToGroup", ...]}

`escalations` are the tools' own method names, sorted and de-duplicated:
  * cloudsplaining: the `type` of each item in scan_policy(...)["PrivilegeEscalation"]["findings"],
    with the default exclusions, exactly as `cloudsplaining scan-policy-file` computes them.
    It only counts actions allowed without resource constraints (Resource "*", no
    Condition) -- the scan-policy-file default; --flag-all-risky-actions counts all.
  * parliament: the `location.type` of each PRIVILEGE_ESCALATION finding. That check is a
    *community auditor*, so it runs with include_community_auditors=True (the CLI's
    --include-community-auditors); without it parliament never reports the finding.
    It looks at allowed actions only, ignoring Resource and Condition.

A tool that fails on a file gets {"error": "..."} in its line instead of a silent skip
(parliament 1.6.4 raises "Unknown data format: ArrayOfARN" on some policies, and in
its own --directory mode that one exception aborts the whole run with no output).

Both tools run in-process, one file after another, so the timings on stderr are the
tools' analysis cost without a Python start-up per file. Run it with the venv that
has the tools (bench/policy/peers.sh makes one).
"""

import argparse
import json
import os
import sys
import time


def policy_files(root):
    if os.path.isfile(root):
        return [root]
    out = []
    for d, _, files in os.walk(root):
        out += [os.path.join(d, f) for f in files if f.endswith(".json")]
    return sorted(out)


def cloudsplaining_runner(flag_all):
    from cloudsplaining.command.scan_policy_file import scan_policy
    from cloudsplaining.shared.constants import DEFAULT_EXCLUSIONS_CONFIG

    def run(text):
        results = scan_policy(
            json.loads(text),
            DEFAULT_EXCLUSIONS_CONFIG,
            flag_conditional_statements=flag_all,
            flag_resource_arn_statements=flag_all,
        )
        pe = (results or {}).get("PrivilegeEscalation") or {}
        return sorted({f["type"] for f in pe.get("findings", [])})

    return run


def parliament_runner():
    import logging

    from parliament import analyze_policy_string

    logging.getLogger("parliament").setLevel(logging.CRITICAL)

    def run(text, path):
        policy = analyze_policy_string(text, path, include_community_auditors=True)
        return sorted({f.location.get("type", "?") for f in policy.findings if f.issue == "PRIVILEGE_ESCALATION"})

    return run


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dir", help="directory of policy JSON files (or one file)")
    ap.add_argument("--tool", choices=("cloudsplaining", "parliament", "both"), default="both")
    ap.add_argument("--out", help="write JSON lines here instead of stdout")
    ap.add_argument("--flag-all-risky-actions", action="store_true",
                    help="cloudsplaining: also count actions that have resource ARNs or conditions")
    args = ap.parse_args(argv)

    files = policy_files(args.dir)
    if not files:
        raise SystemExit(f"error: no *.json under {args.dir}")
    base = args.dir if os.path.isdir(args.dir) else os.path.dirname(args.dir)
    tools = ("cloudsplaining", "parliament") if args.tool == "both" else (args.tool,)
    out = open(args.out, "w", encoding="utf-8") if args.out else sys.stdout

    for tool in tools:
        t0 = time.perf_counter()
        if tool == "cloudsplaining":
            cs = cloudsplaining_runner(args.flag_all_risky_actions)
            analyze = lambda text, path: cs(text)  # noqa: E731
        else:
            analyze = parliament_runner()
        setup = time.perf_counter() - t0
        n_files = n_paths = n_hit = n_err = 0
        t1 = time.perf_counter()
        for path in files:
            with open(path, encoding="utf-8") as f:
                text = f.read()
            rec = {"file": os.path.relpath(path, base), "tool": tool}
            try:
                rec["escalations"] = analyze(text, path)
                n_paths += len(rec["escalations"])
                n_hit += bool(rec["escalations"])
            except Exception as e:  # noqa: BLE001 - a peer's crash is a result too
                rec["escalations"] = []
                rec["error"] = f"{type(e).__name__}: {e}"
                n_err += 1
            n_files += 1
            out.write(json.dumps(rec) + "\n")
        elapsed = time.perf_counter() - t1
        print(
            f"{tool}: {n_files} files in {elapsed:.2f} s (+{setup:.2f} s import), "
            f"{n_hit} files with escalation, {n_paths} escalation paths, {n_err} errors",
            file=sys.stderr,
        )
    if args.out:
        out.close()


if __name__ == "__main__":
    main()
