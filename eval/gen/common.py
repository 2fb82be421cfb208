"""Shared constants, the collecting context and identity/event helpers.

Everything reuses the record builders of samples/generate.py (imported as
``g``) so the corpus has the same shapes as the bundled sample day; the
helpers here add what a multi-account, two-day corpus needs (an account on
every record, sessions that span days, SSO / web-identity / instance-role
identities).
"""
from __future__ import annotations

import contextlib
import datetime as dt
import sys
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "samples"))
import generate as g  # noqa: E402  (samples/generate.py)

SEED = 20261109
UTC = dt.timezone.utc
DAY1 = dt.datetime(2026, 11, 9, tzinfo=UTC)   # Monday: benign only
DAY2 = dt.datetime(2026, 11, 10, tzinfo=UTC)  # Tuesday: benign + attacks

ORG_ID = "o-7k2m9x4q1z"
PROD, DEV, ML = "111122223333", "444455556666", "777788889999"
ACCOUNT_NAMES = {PROD: "prod", DEV: "dev", ML: "ml"}
BACKUP_VAULT_ACCOUNT = "222233334444"   # org member: central backup vault (logs not in corpus)
CSPM_VENDOR_ACCOUNT = "012345678901"    # SaaS security scanner's account (trusted, ExternalId)
ATTACKER_ACCOUNT = "999988887777"       # attacker-controlled AWS account
ATTACKER_ACCOUNT_2 = "888877776666"
OKTA_ORG = "examplecorp.okta.com"

DETECTORS = {PROD: "c2b4e6f8a0c2e4f6a8b0c2d4e6f8a0b2", DEV: "d3c5e7f9b1d3f5a7b9c1d3e5f7a9b1c3",
             ML: "e4d6f8a0c2e4a6b8c0d2e4f6a8b0c2d4"}

# Places. Documentation ranges only (RFC 5737) plus RFC 1918 and 198.18/15.
OFFICE_BERLIN = "198.51.100.31"
OFFICE_NYC = "192.0.2.50"
VPN_EGRESS = "192.0.2.60"
HOME_IPS = {"remote1": "198.51.100.142", "remote2": "203.0.113.201", "remote3": "192.0.2.177"}
NAT = {PROD: ["192.0.2.101", "192.0.2.102"], DEV: ["192.0.2.111"], ML: ["192.0.2.121"]}
# GitHub-hosted runners come from a large, ever-changing cloud pool
GH_RUNNER_POOL = [f"198.18.{a}.{b}" for a in (4, 17, 33, 96, 140) for b in (12, 57, 133, 201)]
CSPM_IPS = ["198.19.20.10", "198.19.20.11", "198.19.20.12"]

BERLIN_GEO = dict(city="Berlin", state="Land Berlin", country="Germany", postal="10115", lat=52.52,
                  lon=13.405)
NYC_GEO = dict(city="New York", state="New York", country="United States", postal="10001",
               lat=40.7506, lon=-73.9972)

UA_CHROME_MAC = g.UA_CHROME_MAC
UA_CHROME_WIN = g.UA_CHROME_WIN
UA_EDGE_WIN = g.UA_EDGE_WIN
UA_FIREFOX_LINUX = g.UA_FIREFOX_LINUX
UA_SAFARI_IOS = g.UA_SAFARI_IOS
UA_JAVA = g.UA_JAVA
UA_BOTO_LAMBDA = g.UA_BOTO
UA_BOTO_ECS = g.UA_BOTO.replace("exec-env/AWS_Lambda_python3.12 ", "exec-env/AWS_ECS_FARGATE ")
UA_GO = g.UA_GO
UA_S3_CONSOLE = g.UA_S3_CONSOLE
UA_CLI = ("aws-cli/2.22.4 md/awscrt#0.22.0 ua/2.0 os/linux#6.8.0-1017-azure md/arch#x86_64 "
          "lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe "
          "md/distrib#ubuntu.24 md/prompt#off md/command#{cmd}")
UA_CLI_MAC = ("aws-cli/2.21.3 md/awscrt#0.22.0 ua/2.0 os/macos#24.1.0 md/arch#arm64 lang/python#3.12.6 "
              "md/pyimpl#CPython cfg/retry-mode#standard md/installer#source md/prompt#off "
              "md/command#{cmd}")
UA_GH_ACTION = ("aws-sdk-js/3.699.0 ua/2.1 os/linux#6.5.0-1025-azure lang/js md/nodejs#20.18.0 "
                "api/sts#3.699.0 m/E,N")
UA_TERRAFORM = ("APN/1.0 HashiCorp/1.0 Terraform/1.9.8 (+https://www.terraform.io) "
                "terraform-provider-aws/5.76.0 (+https://registry.terraform.io/providers/hashicorp/aws) "
                "aws-sdk-go-v2/1.32.4 ua/2.1 os/linux lang/go#1.23.2 md/GOOS#linux md/GOARCH#amd64 "
                "api/{api}")
UA_SSM_AGENT = "aws-sdk-go/1.55.5 (go1.22.8; linux; amd64) amazon-ssm-agent/3.3.1142.0"
UA_CONSOLE = "AWS Internal"
UA_PROWLER = ("Boto3/1.35.54 md/Botocore#1.35.54 ua/2.0 os/linux#6.1.112 md/arch#x86_64 "
              "lang/python#3.12.7 md/pyimpl#CPython cfg/retry-mode#standard Botocore/1.35.54 "
              "scanner/cspm-agent-4.12.0")

SSO_PATH = "/aws-reserved/sso.amazonaws.com/"

ALNUM = g.ALNUM
iso = g.iso
iso_ms = g.iso_ms


def sub_seed(name: str) -> int:
    """An independent seed per module so editing one module leaves the others' output alone."""
    return SEED ^ zlib.crc32(name.encode())


def at(day: int, h: int, m: int = 0, s: int = 0, ms: int = 0) -> dt.datetime:
    base = DAY1 if day == 1 else DAY2
    return base + dt.timedelta(hours=h, minutes=m, seconds=s, milliseconds=ms)


def trunc(t: dt.datetime) -> dt.datetime:
    return t.replace(microsecond=(t.microsecond // 1000) * 1000)


def spread(rng, start: dt.datetime, end: dt.datetime, n: int) -> list[dt.datetime]:
    span = (end - start).total_seconds()
    return sorted(trunc(start + dt.timedelta(seconds=rng.uniform(0, span))) for _ in range(max(n, 0)))


def secs(t: dt.datetime, rng, lo: float = 0.2, hi: float = 4.0) -> dt.datetime:
    return trunc(t + dt.timedelta(seconds=rng.uniform(lo, hi)))


class Ids(g.Ids):
    """samples' Ids with a faster (still deterministic) character generator."""

    def chars(self, n: int, alphabet: str) -> str:
        return "".join(self.rng.choices(alphabet, k=n))


# --------------------------------------------------------------------------
# The collecting context
# --------------------------------------------------------------------------

class Ctx:
    """Collects records per source and labels those emitted inside ``story()``."""

    def __init__(self):
        self.cloudtrail: list[dict] = []
        self.guardduty: list[dict] = []
        self.bedrock: list[dict] = []
        self.okta: list[dict] = []
        self.labels: dict[str, str] = {}
        self.stories: list[dict] = []
        self._story: str | None = None

    def ids(self, module: str) -> Ids:
        return Ids(sub_seed(module))

    @contextlib.contextmanager
    def story(self, meta: dict):
        self.stories.append(meta)
        self._story = meta["id"]
        try:
            yield
        finally:
            self._story = None

    def _label(self, key: str):
        if self._story:
            self.labels[key] = self._story

    def add_ct(self, ev: dict) -> dict:
        self.cloudtrail.append(ev)
        self._label(ev["eventID"])
        return ev

    def add_gd(self, f: dict) -> dict:
        self.guardduty.append(f)
        self._label(f["id"])
        return f

    def add_bedrock(self, r: dict) -> dict:
        self.bedrock.append(r)
        self._label(r["requestId"])
        return r

    def add_okta(self, e: dict) -> dict:
        self.okta.append(e)
        self._label(e["uuid"])
        return e


# --------------------------------------------------------------------------
# CloudTrail helpers (account-aware)
# --------------------------------------------------------------------------

def ct(ids, t, source, name, ident, *, account, ip, ua, **kw) -> dict:
    return g.ct(ids, trunc(t), source, name, ident, ip=ip, ua=ua, account=account, **kw)


def s3_extra(ids) -> dict:
    return {"SignatureVersion": "SigV4", "CipherSuite": "TLS_AES_128_GCM_SHA256",
            "bytesTransferredIn": 0, "AuthenticationMethod": "AuthHeader",
            "x-amz-id-2": ids.amz_id_2(), "bytesTransferredOut": 0}


def s3_object(ids, t, name, ident, bucket, key, *, account, ip, ua, size=0, region="us-east-1",
              vpce=None, error=None, extra_req=None, resp=None, sse=None, owner=None) -> dict:
    """An S3 object-level data event. ``sse`` is 'S3', 'KMS' or 'C'."""
    req = {"bucketName": bucket, "Host": f"{bucket}.s3.{region}.amazonaws.com", "key": key}
    req.update(extra_req or {})
    add = s3_extra(ids)
    if name in ("PutObject", "CopyObject", "UploadPart") and not error:
        add["bytesTransferredIn"] = size
        add["SSEApplied"] = {"C": "SSE_C", "KMS": "SSE_KMS"}.get(sse or "", "Default_SSE_S3")
        if resp is None:
            resp = {"x-amz-server-side-encryption": "aws:kms" if sse == "KMS" else "AES256"}
            if sse == "C":
                resp = {"x-amz-server-side-encryption-customer-algorithm": "AES256"}
    elif name == "GetObject" and not error:
        add["bytesTransferredOut"] = size
    resources = [{"type": "AWS::S3::Object", "ARN": f"arn:aws:s3:::{bucket}/{key}"},
                 {"accountId": owner or account, "type": "AWS::S3::Bucket",
                  "ARN": f"arn:aws:s3:::{bucket}"}]
    return ct(ids, t, "s3.amazonaws.com", name, ident, account=account, ip=ip, ua=ua, region=region,
              req=req, resp=resp, read_only=name in ("GetObject", "HeadObject"), error=error,
              additional=add, resources=resources, data=True, vpce=vpce, host=req["Host"])


def s3_bucket(ids, t, name, ident, bucket, *, account, ip, ua, extra_req=None, resp=None,
              read_only=False, console=False, region="us-east-1", error=None, data=False,
              invoked_by_service=False) -> dict:
    host = f"{bucket}.s3.{region}.amazonaws.com"
    req = {"bucketName": bucket, "Host": host}
    req.update(extra_req or {})
    resources = [{"accountId": account, "type": "AWS::S3::Bucket", "ARN": f"arn:aws:s3:::{bucket}"}]
    return ct(ids, t, "s3.amazonaws.com", name, ident, account=account, ip=ip, ua=ua, region=region,
              req=req, resp=resp, read_only=read_only, additional=s3_extra(ids), resources=resources,
              console=console, host=host, error=error, data=data)


def denied_msg(arn: str, action: str, resource: str = "*") -> str:
    return (f"User: {arn} is not authorized to perform: {action} on resource: {resource} "
            f"because no identity-based policy allows the {action} action")


def ec2_denied(arn: str, action: str) -> tuple[str, str]:
    return ("Client.UnauthorizedOperation",
            f"You are not authorized to perform this operation. User: {arn} is not authorized to "
            f"perform: ec2:{action} because no identity-based policy allows the ec2:{action} action")


# --------------------------------------------------------------------------
# Identities
# --------------------------------------------------------------------------

class Role:
    """An IAM role whose sessions rotate every ``ttl`` hours over both days."""

    def __init__(self, ids, account: str, name: str, *, ttl: float = 1, path: str = "/",
                 session: str | None = None, session_fn=None, invoked_by: str | None = None):
        self.ids, self.account, self.name, self.ttl, self.path = ids, account, name, ttl, path
        self.role_id = ids.principal("AROA")
        self.fixed, self.session_fn, self.invoked_by = session, session_fn, invoked_by
        self._sessions: dict[int, tuple[str, str, dt.datetime]] = {}

    @property
    def arn(self) -> str:
        return f"arn:aws:iam::{self.account}:role{self.path}{self.name}"

    def sts_arn(self, session: str) -> str:
        return f"arn:aws:sts::{self.account}:assumed-role/{self.name}/{session}"

    def session(self, t: dt.datetime) -> tuple[str, str, dt.datetime]:
        slot = int((t - DAY1).total_seconds() // (3600 * self.ttl))
        if slot not in self._sessions:
            if self.fixed:
                name = self.fixed
            elif self.session_fn:
                name = self.session_fn(self.ids)
            else:
                name = self.ids.hex(32)
            created = DAY1 + dt.timedelta(seconds=slot * self.ttl * 3600 + self.ids.rng.randint(5, 200))
            self._sessions[slot] = (name, self.ids.access_key("ASIA"), created)
        return self._sessions[slot]

    def ident(self, t: dt.datetime, invoked_by: str | None = None, mfa: bool = False) -> dict:
        name, key, created = self.session(t)
        ident = g.assumed_role(self.name, name, self.role_id, key, min(created, t), path=self.path,
                               invoked_by=invoked_by or self.invoked_by, mfa=mfa, account=self.account)
        return ident

    def arn_at(self, t: dt.datetime) -> str:
        return self.sts_arn(self.session(t)[0])


def service_assume(ids, t, role: Role, service: str, *, source_identity=None) -> dict:
    """sts:AssumeRole performed by an AWS service for a role (ECS task, Lambda, Backup, ...)."""
    sess, key, _ = role.session(t)
    req = {"roleArn": role.arn, "roleSessionName": sess}
    resp = g.sts_credentials(ids, t, role.sts_arn(sess), role.role_id, sess)
    resp["credentials"]["accessKeyId"] = key
    return ct(ids, t, "sts.amazonaws.com", "AssumeRole", g.aws_service(service), account=role.account,
              ip=service, ua=service, read_only=True, req=req, resp=resp,
              resources=[{"accountId": role.account, "type": "AWS::IAM::Role", "ARN": role.arn}],
              shared_event_id=True)


def sso_ident(account: str, permset: str, user: str, role_id: str, key: str, created: dt.datetime) -> dict:
    """An IAM Identity Center session (AWSReservedSSO_<permission set>_<hash> / <user>)."""
    return g.assumed_role(permset, user, role_id, key, created, path=SSO_PATH, account=account)


def instance_ident(role: str, role_id: str, instance: str, key: str, created, account: str) -> dict:
    ident = g.assumed_role(role, instance, role_id, key, created, account=account)
    ident["sessionContext"]["ec2RoleDelivery"] = "2.0"
    return ident


def web_identity_session(role: Role, t, provider_arn: str) -> dict:
    ident = role.ident(t)
    ident["sessionContext"]["webIdFederationData"] = {"federatedProvider": provider_arn,
                                                      "attributes": {}}
    return ident


class SsoUser:
    """One person's IAM Identity Center session in one account for one sitting."""

    def __init__(self, ids, account: str, permset: str, role_id: str, email: str, ip: str,
                 created: dt.datetime, ua: str):
        self.account, self.permset, self.email, self.ip, self.ua = account, permset, email, ip, ua
        self.ident = sso_ident(account, permset, email, role_id, ids.access_key("ASIA"), created)
        self.arn = self.ident["arn"]


def console_login(ids, t, ident, *, account, ip, ua, success=True, mfa_used=True, mfa_arn=None):
    ev = g.console_login(ids, trunc(t), ident, ip=ip, ua=ua, success=success, mfa_used=mfa_used,
                         mfa_arn=mfa_arn)
    ev["recipientAccountId"] = account
    return ev
