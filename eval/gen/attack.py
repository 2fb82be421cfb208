"""Helpers shared by the attack stories: a clocked caller and story metadata."""
from __future__ import annotations

import datetime as dt

from . import common as c
from .common import ct, trunc

UA_ATTACK_CLI = ("aws-cli/2.15.30 Python/3.11.8 Linux/6.1.0-18-amd64 exe/x86_64.debian.12 "
                 "prompt/off command/{cmd}")
UA_PACU = ("Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux#6.5.0-kali3-amd64 md/arch#x86_64 "
           "lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.69")
UA_PY_REQUESTS = ("Boto3/1.35.36 md/Botocore#1.35.36 ua/2.0 os/linux#5.15.0-122-generic md/arch#x86_64 "
                  "lang/python#3.10.12 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.35.36")


S3_CMD = {"CopyObject": "s3.cp", "PutObject": "s3.cp", "GetObject": "s3.cp", "DeleteObjects": "s3.rm",
          "DeleteObject": "s3.rm", "ListObjects": "s3.ls", "ListBuckets": "s3.ls"}


def geo(ip, country, city, lat, lon, asn, org):
    return dict(ip=ip, country=country, city=city, lat=lat, lon=lon, asn=asn, org=org)


class Caller:
    """Makes CloudTrail calls as one identity from one address, advancing its own clock."""

    def __init__(self, cx, ids, account, ident, ip, t, *, ua=UA_ATTACK_CLI, region="us-east-1"):
        self.cx, self.ids, self.account, self.ident, self.ip, self.t = cx, ids, account, ident, ip, t
        self.ua, self.region = ua, region

    @property
    def arn(self) -> str:
        return self.ident["arn"]

    def wait(self, lo: float, hi: float | None = None) -> dt.datetime:
        self.t = trunc(self.t + dt.timedelta(seconds=self.ids.rng.uniform(lo, hi if hi is not None else lo)))
        return self.t

    def at(self, t) -> "Caller":
        self.t = t
        return self

    def call(self, source, name, cmd="", *, req=None, resp=None, ro=None, error=None, region=None,
             gap=(0.6, 4.0), ua=None, **kw) -> dict:
        self.wait(*gap)
        if ro is None:
            ro = name.startswith(("Get", "List", "Describe", "Lookup"))
        svc = source.split(".")[0]
        return self.cx.add_ct(ct(self.ids, self.t, source, name, self.ident, account=self.account, ip=self.ip,
                                 ua=ua or self.ua.format(cmd=cmd or f"{svc}.{name}"), region=region or self.region,
                                 req=req, resp=resp, read_only=ro, error=error, **kw))

    def denied(self, source, name, action, resource="*", *, code="AccessDenied", **kw) -> dict:
        if source == "ec2.amazonaws.com":
            return self.call(source, name, error=c.ec2_denied(self.arn, action.split(":")[1]), **kw)
        return self.call(source, name, error=(code, c.denied_msg(self.arn, action, resource)), **kw)

    def s3(self, name, bucket, key=None, *, size=0, extra_req=None, resp=None, sse=None, error=None,
           gap=(0.3, 2.0), data=None) -> dict:
        self.wait(*gap)
        ua = self.ua.format(cmd=S3_CMD.get(name, "s3api." + "".join(
            "-" + ch.lower() if ch.isupper() else ch for ch in name).lstrip("-")))
        if key is not None:
            return self.cx.add_ct(c.s3_object(self.ids, self.t, name, self.ident, bucket, key, account=self.account,
                                              ip=self.ip, ua=ua, size=size, region=self.region,
                                              extra_req=extra_req, resp=resp, sse=sse, error=error))
        if data is None:
            data = name in ("ListObjects", "ListObjectVersions", "DeleteObjects")
        return self.cx.add_ct(c.s3_bucket(self.ids, self.t, name, self.ident, bucket, account=self.account,
                                          ip=self.ip, ua=ua, extra_req=extra_req, resp=resp, region=self.region,
                                          read_only=name.startswith(("Get", "List")), error=error, data=data))


def story(sid, title, account, principals, min_level, techniques, description) -> dict:
    """Metadata; start/end are filled in from the labelled events after generation."""
    return {"id": sid, "title": title, "account": account, "principals": principals, "start": None, "end": None,
            "min_level": min_level, "techniques": techniques, "description": description}
