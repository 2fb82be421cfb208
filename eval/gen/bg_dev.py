"""Dev account (444455556666) background.

- Jenkins on EC2 (``jenkins-ci-role`` instance profile, session name = instance id) builds
  and tests all day; its calls leave through the NAT gateway (no VPC endpoints in dev).
- ``svc-reporting``: a legacy IAM user whose long-term key runs an on-prem inventory report
  every hour from the office VPN egress.
- ``dev-reaper`` Lambda: every night terminates test instances past their ``ttl`` tag and
  deletes their old snapshots.
- An IAM administrator with an IAM user (console, MFA) creates a user for a new hire, adds
  him to ``developers`` and sets a first password; the new hire signs in (first sign-in
  before his MFA device exists), changes the password, enrols MFA and makes his own key.
- SSM agents on six instances; a small dev copy of the API.
"""
from __future__ import annotations

import datetime as dt

from . import common as c
from .common import DEV, Role, at, ct, g, s3_object, service_assume, spread, trunc

ACCT = DEV
NAT_IP = c.NAT[DEV][0]
JENKINS = ("i-0f3e5d7c9b1a2e4d6", "10.40.1.25")
REPORTING_USER = ("svc-reporting", "AIDAWDEVRPT7K2M4N6Q8", "AKIAWDEVRPT5X7Z9B3D5")
DEV_FLEET = [(f"i-0d{n}e4c6a8f0b2d4e{n}", f"10.40.2.{20 + n}") for n in range(6)]


ROLES: dict[str, Role] = {}   # shared with the stories (same role ids and sessions)


def build(cx: c.Ctx) -> None:
    ids = cx.ids("bg_dev")
    rng = ids.rng
    add = cx.add_ct
    jenkins = Role(ids, ACCT, "jenkins-ci-role", ttl=6, session=JENKINS[0])
    ssm_role = Role(ids, ACCT, "dev-ec2-ssm-role", ttl=6)
    api = Role(ids, ACCT, "app-api-role", ttl=6, session_fn=lambda i: i.hex(32))
    reaper = Role(ids, ACCT, "dev-reaper-role", session="dev-reaper")
    ROLES.update({"jenkins-ci-role": jenkins, "dev-ec2-ssm-role": ssm_role})
    rpt_name, rpt_pid, rpt_key = REPORTING_USER
    rpt = g.iam_user(rpt_name, rpt_pid, rpt_key, account=ACCT)

    for day in (1, 2):
        for h in range(24):
            # jenkins: builds in working hours, nightly full suite at 01:00
            busy = 1.0 if 6 <= h <= 20 else (0.8 if h == 1 else 0.1)
            for t in spread(rng, at(day, h), at(day, h, 59, 59), int(26 * busy)):
                _, key, created = jenkins.session(t)
                ident = c.instance_ident(jenkins.name, jenkins.role_id, JENKINS[0], key, created, ACCT)
                r = rng.random()
                if r < 0.45:
                    op = "GetObject" if rng.random() < 0.6 else "PutObject"
                    add(s3_object(ids, t, op, ident, "examplecorp-build-cache-dev",
                                  f"cache/{rng.choice(['maven', 'npm', 'pip'])}/{ids.hex(16)}.tar.zst",
                                  account=ACCT, ip=NAT_IP, ua=c.UA_CLI.format(cmd="s3.cp"),
                                  size=rng.randint(20_000, 80_000_000)))
                elif r < 0.75:
                    add(ct(ids, t, "ecr.amazonaws.com", rng.choice(["BatchGetImage", "GetDownloadUrlForLayer",
                                                                    "GetAuthorizationToken"]), ident,
                           account=ACCT, ip=NAT_IP, ua="docker/27.3.1 go/go1.22.7 git-commit/41ca978 "
                           "kernel/6.1.112-124.190.amzn2023.x86_64 os/linux arch/amd64 "
                           "UpstreamClient(Docker-Client/27.3.1 \\(linux\\))",
                           read_only=True, req={"repositoryName": rng.choice(["app-api", "app-worker", "base-images"]),
                                                "registryId": ACCT}))
                elif r < 0.9:
                    add(ct(ids, t, "ec2.amazonaws.com", "DescribeInstances", ident, account=ACCT, ip=NAT_IP,
                           ua=c.UA_JAVA.replace("AWS_ECS_FARGATE", "jenkins"), read_only=True,
                           req={"filterSet": {"items": [{"name": "tag:jenkins-agent", "valueSet": {
                               "items": [{"value": "true"}]}}]}, "instancesSet": {}}))
                else:
                    add(ct(ids, t, "ssm.amazonaws.com", "GetParameter", ident, account=ACCT, ip=NAT_IP,
                           ua=c.UA_JAVA.replace("AWS_ECS_FARGATE", "jenkins"), read_only=True,
                           req={"name": "/dev/jenkins/sonar-token", "withDecryption": True}))
            # svc-reporting from the office VPN egress, hourly in working hours
            if 6 <= h <= 18:
                t = trunc(at(day, h, 2, rng.randint(0, 59)))
                for src, name, req in (("ec2.amazonaws.com", "DescribeInstances", {"instancesSet": {}, "filterSet": {}}),
                                       ("ec2.amazonaws.com", "DescribeVolumes", {"volumeSet": {}, "filterSet": {}}),
                                       ("rds.amazonaws.com", "DescribeDBInstances", None),
                                       ("iam.amazonaws.com", "ListUsers", None),
                                       ("iam.amazonaws.com", "GenerateCredentialReport", None)):
                    add(ct(ids, t, src, name, rpt, account=ACCT, ip=c.VPN_EGRESS,
                           ua=c.UA_BOTO_LAMBDA.replace("exec-env/AWS_Lambda_python3.12 ", ""), read_only=True, req=req))
                    t += dt.timedelta(milliseconds=rng.randint(150, 900))
                add(s3_object(ids, t, "PutObject", rpt, "examplecorp-reports-dev",
                              f"inventory/{at(day, h):%Y-%m-%d}/{h:02d}00.csv", account=ACCT, ip=c.VPN_EGRESS,
                              ua=c.UA_BOTO_LAMBDA.replace("exec-env/AWS_Lambda_python3.12 ", ""),
                              size=rng.randint(30_000, 60_000)))
            # small dev API
            if h % 6 == 0:
                add(service_assume(ids, at(day, h, 1, rng.randint(0, 50)), api, "ecs-tasks.amazonaws.com"))
            for t in spread(rng, at(day, h), at(day, h, 59, 59), rng.randint(4, 10)):
                add(s3_object(ids, t, rng.choice(["GetObject", "PutObject"]), api.ident(t), "examplecorp-app-data-dev",
                              f"tenants/t-test/orders/{ids.hex(12)}.json", account=ACCT, ip="10.40.11.9",
                              ua=c.UA_JAVA, size=rng.randint(500, 9000)))
            # SSM agents every 30 min
            for inst, ip in DEV_FLEET:
                for m in (0, 30):
                    t = trunc(at(day, h, m + rng.randint(0, 5), rng.randint(0, 59)))
                    _, key, created = ssm_role.session(t)
                    add(ct(ids, t, "ssm.amazonaws.com", "UpdateInstanceInformation",
                           c.instance_ident(ssm_role.name, ssm_role.role_id, inst, key, created, ACCT),
                           account=ACCT, ip=ip, ua=c.UA_SSM_AGENT,
                           req={"instanceId": inst, "agentVersion": "3.3.1142.0", "agentStatus": "Active",
                                "platformType": "Linux"}))
        _reaper(cx, ids, day, reaper)
    _new_hire(cx, ids)


def _reaper(cx, ids, day, reaper: Role) -> None:
    rng = ids.rng
    t = at(day, 2, 30, rng.randint(1, 9))
    cx.add_ct(service_assume(ids, t, reaper, "lambda.amazonaws.com"))
    ident = lambda tt: reaper.ident(tt)
    ua = c.UA_BOTO_LAMBDA
    t = trunc(t + dt.timedelta(seconds=1.4))
    cx.add_ct(ct(ids, t, "ec2.amazonaws.com", "DescribeInstances", ident(t), account=ACCT, ip="10.40.31.5", ua=ua,
                 read_only=True, req={"filterSet": {"items": [{"name": "tag-key", "valueSet": {"items": [{"value": "ttl"}]}}]},
                                      "instancesSet": {}}))
    stale = [f"i-0{ids.hex(16)}" for _ in range(rng.randint(9, 14))]
    for chunk in (stale[:5], stale[5:10], stale[10:]):
        if not chunk:
            continue
        t = trunc(t + dt.timedelta(seconds=rng.uniform(0.5, 2)))
        cx.add_ct(ct(ids, t, "ec2.amazonaws.com", "TerminateInstances", ident(t), account=ACCT, ip="10.40.31.5",
                     ua=ua, req={"instancesSet": {"items": [{"instanceId": i} for i in chunk]}},
                     resp={"requestId": ids.uuid(), "instancesSet": {"items": [
                         {"instanceId": i, "currentState": {"code": 32, "name": "shutting-down"},
                          "previousState": {"code": 16, "name": "running"}} for i in chunk]}}))
    t = trunc(t + dt.timedelta(seconds=2))
    cx.add_ct(ct(ids, t, "ec2.amazonaws.com", "DescribeSnapshots", ident(t), account=ACCT, ip="10.40.31.5", ua=ua,
                 read_only=True, req={"ownersSet": {"items": [{"owner": "self"}]}, "snapshotSet": {}}))
    for _ in range(rng.randint(5, 9)):
        t = trunc(t + dt.timedelta(seconds=rng.uniform(0.2, 1.2)))
        cx.add_ct(ct(ids, t, "ec2.amazonaws.com", "DeleteSnapshot", ident(t), account=ACCT, ip="10.40.31.5", ua=ua,
                     req={"snapshotId": "snap-0" + ids.hex(16)}, resp={"requestId": ids.uuid(), "_return": True}))


def _new_hire(cx, ids) -> None:
    """Day 1: IAM admin j.mueller (IAM user, console with MFA) onboards p.novak."""
    rng = ids.rng
    admin_pid, admin = "AIDAWDEVADM2J4K6L8N0", "j.mueller"
    start = at(1, 8, 12, 40)
    cx.add_ct(c.console_login(ids, start, g.iam_user(admin, admin_pid, "", account=ACCT), account=ACCT,
                              ip=c.OFFICE_BERLIN, ua=c.UA_CHROME_MAC, mfa_used=True,
                              mfa_arn=f"arn:aws:iam::{ACCT}:mfa/{admin}"))
    ident = g.iam_user(admin, admin_pid, ids.access_key("ASIA"), account=ACCT, session_created=start, mfa=True)
    t = start
    def call(name, req=None, resp=None, ro=False, gap=(4, 40)):
        nonlocal t
        t = trunc(t + dt.timedelta(seconds=rng.uniform(*gap)))
        cx.add_ct(ct(ids, t, "iam.amazonaws.com", name, ident, account=ACCT, ip=c.OFFICE_BERLIN, ua=c.UA_CONSOLE,
                     req=req, resp=resp, read_only=ro, console=True))
    for name in ("ListUsers", "ListGroups", "GetAccountPasswordPolicy"):
        call(name, ro=True)
    new_pid = "AIDAWDEVNEW3P5R7T9V1"
    call("CreateUser", {"userName": "p.novak", "tags": [{"key": "team", "value": "checkout"}]},
         {"user": {"path": "/", "userName": "p.novak", "userId": new_pid,
                   "arn": f"arn:aws:iam::{ACCT}:user/p.novak", "createDate": g.aws_legacy_date(t)}})
    call("AddUserToGroup", {"groupName": "developers", "userName": "p.novak"})
    call("CreateLoginProfile", {"userName": "p.novak", "passwordResetRequired": True},
         {"loginProfile": {"userName": "p.novak", "createDate": g.aws_legacy_date(t), "passwordResetRequired": True}})
    call("ListGroupsForUser", {"userName": "p.novak"}, ro=True)
    # the new hire's first sign-in (no MFA device yet), password change, MFA enrolment, own key
    t0 = at(1, 9, 3, 11)
    cx.add_ct(c.console_login(ids, t0, g.iam_user("p.novak", new_pid, "", account=ACCT), account=ACCT,
                              ip=c.OFFICE_BERLIN, ua=c.UA_FIREFOX_LINUX, mfa_used=False))
    me = g.iam_user("p.novak", new_pid, ids.access_key("ASIA"), account=ACCT, session_created=t0, mfa=False)
    t = t0
    for name, req, resp in (
            ("ChangePassword", None, None),
            ("CreateVirtualMFADevice", {"virtualMFADeviceName": "p.novak", "path": "/"},
             {"virtualMFADevice": {"serialNumber": f"arn:aws:iam::{ACCT}:mfa/p.novak"}}),
            ("EnableMFADevice", {"userName": "p.novak", "serialNumber": f"arn:aws:iam::{ACCT}:mfa/p.novak"}, None)):
        t = trunc(t + dt.timedelta(seconds=rng.uniform(20, 90)))
        cx.add_ct(ct(ids, t, "iam.amazonaws.com", name, me, account=ACCT, ip=c.OFFICE_BERLIN, ua=c.UA_CONSOLE,
                     req=req, resp=resp, console=True))
    t1 = at(1, 9, 21, 40)
    cx.add_ct(c.console_login(ids, t1, g.iam_user("p.novak", new_pid, "", account=ACCT), account=ACCT,
                              ip=c.OFFICE_BERLIN, ua=c.UA_FIREFOX_LINUX, mfa_used=True,
                              mfa_arn=f"arn:aws:iam::{ACCT}:mfa/p.novak"))
    me = g.iam_user("p.novak", new_pid, ids.access_key("ASIA"), account=ACCT, session_created=t1, mfa=True)
    t = trunc(t1 + dt.timedelta(minutes=6))
    cx.add_ct(ct(ids, t, "iam.amazonaws.com", "CreateAccessKey", me, account=ACCT, ip=c.OFFICE_BERLIN,
                 ua=c.UA_CONSOLE, req={"userName": "p.novak"}, console=True,
                 resp={"accessKey": {"userName": "p.novak", "accessKeyId": "AKIAWDEVNEW6H8J0K2M4", "status": "Active",
                                     "createDate": g.aws_legacy_date(t)}}))
    key = g.iam_user("p.novak", new_pid, "AKIAWDEVNEW6H8J0K2M4", account=ACCT)
    for k, (src, name) in enumerate((("sts.amazonaws.com", "GetCallerIdentity"), ("s3.amazonaws.com", "ListBuckets"),
                                     ("ecs.amazonaws.com", "ListClusters"), ("logs.amazonaws.com", "DescribeLogGroups"))):
        tk = trunc(t + dt.timedelta(minutes=14, seconds=k * 7))
        cx.add_ct(ct(ids, tk, src, name, key, account=ACCT, ip=c.OFFICE_BERLIN,
                     ua=c.UA_CLI_MAC.format(cmd=name.lower()), read_only=True))
