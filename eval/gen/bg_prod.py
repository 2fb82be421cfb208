"""Prod account (111122223333) machine background: applications, agents and scheduled jobs.

- ``app-api-role`` (ECS, us-east-1): database secret hourly, KMS decrypts, parameters, S3
  object reads/writes through a VPC endpoint.
- ``app-worker-role`` (ECS, eu-central-1): envelope-encrypted Parquet exports.
- ``order-reconciler`` Lambda, hourly.
- AWS Config service-linked role: Describe*/GetBucket* every 30 minutes.
- SSM agent on 24 instances (instance-profile sessions from private addresses).
- Nightly patching: maintenance-window role runs ``AWS-RunPatchBaseline`` (SendCommand,
  ``invokedBy: ssm.amazonaws.com``) on the whole fleet; instances report compliance.
- AWS Backup daily plan: EBS/RDS snapshots, copy to us-west-2, cross-account copy to the
  organization's backup-vault account (snapshot sharing by ``backup.amazonaws.com``) and
  retention clean-up (snapshot deletion).
- KMS automatic key rotation.
"""
from __future__ import annotations

import datetime as dt

from . import common as c
from .common import PROD, Role, at, ct, g, s3_object, service_assume, spread, trunc

ACCT = PROD
VPCE_S3 = "vpce-0a1b2c3d4e5f60718"
VPCE_KMS = "vpce-0b2c3d4e5f6071829"
VPCE_SM = "vpce-0c3d4e5f607182930"
DATA_BUCKET = "examplecorp-app-data-prod"
EXPORT_BUCKET = "examplecorp-exports-prod-euc1"
KMS_APP = f"arn:aws:kms:us-east-1:{ACCT}:key/7d3f1e2a-5b6c-4d8e-9f01-2a3b4c5d6e7f"
KMS_EXPORT = f"arn:aws:kms:eu-central-1:{ACCT}:key/0e9d8c7b-6a5f-4e3d-2c1b-0a9f8e7d6c5b"
SECRET = f"arn:aws:secretsmanager:us-east-1:{ACCT}:secret:prod/app-api/db-credentials-Qx7TzA"

# the fleet: (instance id, name, private ip)
FLEET = [(f"i-0{n:02d}a4c6e8f0b2d4{n:02d}", name, f"10.30.{sub}.{10 + n}")
         for n, (name, sub) in enumerate(
             [("web", 1)] * 10 + [("worker", 2)] * 8 + [("batch", 3)] * 4 + [("bastion", 0)] * 2)]
VOLUMES = [f"vol-0{n:02d}9e8d7c6b5a4f3{n:02d}" for n in range(8)]
DBS = ["orders-prod", "billing-prod"]

# hourly traffic shape, UTC (EU mornings + US afternoons)
BUSY = [0.35, 0.3, 0.25, 0.25, 0.3, 0.4, 0.55, 0.75, 0.9, 0.95, 0.95, 0.9,
        0.9, 1.0, 1.0, 1.0, 1.0, 0.95, 0.9, 0.85, 0.75, 0.6, 0.5, 0.4]


ROLES: dict[str, Role] = {}   # shared with the stories (same role ids and sessions)


def build(cx: c.Ctx) -> None:
    ids = cx.ids("bg_prod")
    rng = ids.rng
    sess = lambda ids_: ids_.hex(32)  # ECS task ids
    api = Role(ids, ACCT, "app-api-role", ttl=6, session_fn=sess)
    worker = Role(ids, ACCT, "app-worker-role", ttl=6, session_fn=sess)
    recon = Role(ids, ACCT, "order-reconciler-role", session="order-reconciler")
    config = Role(ids, ACCT, "AWSServiceRoleForConfig", ttl=24, session="AWSConfig-Describe",
                  path="/aws-service-role/config.amazonaws.com/")
    ssm_role = Role(ids, ACCT, "prod-ec2-ssm-role", ttl=6)
    mw = Role(ids, ACCT, "ssm-maintenance-window-role", ttl=24, session_fn=lambda i: i.uuid())
    backup = Role(ids, ACCT, "AWSBackupDefaultServiceRole", ttl=24, path="/service-role/",
                  session="AWSBackup-AWSBackupDefaultServiceRole")
    ROLES.update({"app-api-role": api, "prod-ec2-ssm-role": ssm_role, "ssm-maintenance-window-role": mw})
    api_ips = ["10.30.11.23", "10.30.12.87", "10.30.13.140"]
    worker_ips = ["10.30.21.14", "10.30.22.201"]
    add = cx.add_ct

    for day in (1, 2):
        for h in range(24):
            busy = BUSY[h]
            # ECS task credential refresh
            if h % 6 == 0:
                for role in (api, worker):
                    add(service_assume(ids, at(day, h, 0, rng.randint(1, 50)), role, "ecs-tasks.amazonaws.com"))
            # api: secret once an hour (+ the Decrypt Secrets Manager makes on its behalf)
            t0 = trunc(at(day, h, rng.randint(0, 3), rng.randint(0, 59)))
            add(ct(ids, t0, "secretsmanager.amazonaws.com", "GetSecretValue", api.ident(t0), account=ACCT,
                   ip=rng.choice(api_ips), ua=c.UA_JAVA, read_only=True, vpce=VPCE_SM,
                   req={"secretId": SECRET}, host="secretsmanager.us-east-1.amazonaws.com"))
            add(ct(ids, t0 + dt.timedelta(milliseconds=170), "kms.amazonaws.com", "Decrypt",
                   api.ident(t0, invoked_by="secretsmanager.amazonaws.com"), account=ACCT,
                   ip="secretsmanager.amazonaws.com", ua="secretsmanager.amazonaws.com", read_only=True,
                   req={"encryptionContext": {"SecretARN": SECRET,
                                              "SecretVersionId": "b7e1c9d2-4f3a-4e6b-8d2c-1a0f9e8d7c6b"},
                        "encryptionAlgorithm": "SYMMETRIC_DEFAULT"},
                   resources=[{"accountId": ACCT, "type": "AWS::KMS::Key", "ARN": KMS_APP}]))
            for t in spread(rng, at(day, h), at(day, h, 59, 59), int(24 * busy) + rng.randint(0, 4)):
                add(ct(ids, t, "kms.amazonaws.com", "Decrypt", api.ident(t), account=ACCT,
                       ip=rng.choice(api_ips), ua=c.UA_JAVA, read_only=True, vpce=VPCE_KMS,
                       req={"encryptionContext": {"service": "app-api", "purpose": "session-token"},
                            "encryptionAlgorithm": "SYMMETRIC_DEFAULT"},
                       resources=[{"accountId": ACCT, "type": "AWS::KMS::Key", "ARN": KMS_APP}]))
            for t in spread(rng, at(day, h), at(day, h, 59, 59), 2):
                add(ct(ids, t, "ssm.amazonaws.com", "GetParameters", api.ident(t), account=ACCT,
                       ip=rng.choice(api_ips), ua=c.UA_JAVA, read_only=True,
                       req={"names": ["/prod/app-api/feature-flags", "/prod/app-api/rate-limits"],
                            "withDecryption": False}))
            if h == 9 and day == 2:   # a new code path asks for a parameter it was never granted
                t = at(day, h, 41, 7)
                arn = api.arn_at(t)
                add(ct(ids, t, "ssm.amazonaws.com", "GetParameter", api.ident(t), account=ACCT,
                       ip=api_ips[0], ua=c.UA_JAVA, read_only=True,
                       req={"name": "/prod/app-api/partner-webhook-token", "withDecryption": True},
                       error=("AccessDeniedException", c.denied_msg(
                           arn, "ssm:GetParameter",
                           f"arn:aws:ssm:us-east-1:{ACCT}:parameter/prod/app-api/partner-webhook-token"))))
            ymd = at(day, 0).strftime("%Y/%m/%d")
            for t in spread(rng, at(day, h), at(day, h, 59, 59), int(60 * busy) + rng.randint(0, 6)):
                key = f"tenants/t-{rng.randint(1000, 1199)}/orders/{ymd}/{ids.hex(12)}.json"
                op = "GetObject" if rng.random() < 0.64 else "PutObject"
                add(s3_object(ids, t, op, api.ident(t), DATA_BUCKET, key, account=ACCT,
                              ip=rng.choice(api_ips), ua=c.UA_JAVA, size=rng.randint(900, 48000),
                              vpce=VPCE_S3, sse="KMS"))
            # worker: exports in eu-central-1
            for t in spread(rng, at(day, h), at(day, h, 59, 59), int(22 * busy) + rng.randint(0, 3)):
                r = rng.random()
                if r < 0.3:
                    add(ct(ids, t, "kms.amazonaws.com", "GenerateDataKey", worker.ident(t), account=ACCT,
                           ip=rng.choice(worker_ips), ua=c.UA_BOTO_ECS, region="eu-central-1",
                           read_only=True, req={"keyId": "alias/exports", "keySpec": "AES_256",
                                                "encryptionContext": {"job": "export"}},
                           resources=[{"accountId": ACCT, "type": "AWS::KMS::Key", "ARN": KMS_EXPORT}]))
                else:
                    key = f"exports/{ymd}/{h:02d}/part-{rng.randint(0, 63):05d}-{ids.hex(8)}.parquet"
                    add(s3_object(ids, t, "PutObject" if r < 0.8 else "GetObject", worker.ident(t),
                                  EXPORT_BUCKET, key, account=ACCT, ip=rng.choice(worker_ips),
                                  ua=c.UA_BOTO_ECS, region="eu-central-1",
                                  size=rng.randint(200_000, 9_000_000), sse="KMS"))
            # hourly reconciler lambda
            t = trunc(at(day, h, 5, rng.randint(0, 20)))
            add(service_assume(ids, t, recon, "lambda.amazonaws.com"))
            t += dt.timedelta(seconds=2, milliseconds=340)
            add(ct(ids, t, "dynamodb.amazonaws.com", "DescribeTable", recon.ident(t), account=ACCT,
                   ip="10.30.31.77", ua=c.UA_BOTO_LAMBDA, read_only=True, req={"tableName": "orders"}))
            for k in range(rng.randint(3, 6)):
                t += dt.timedelta(seconds=rng.randint(1, 9))
                add(s3_object(ids, t, "GetObject", recon.ident(t), DATA_BUCKET,
                              f"reconcile/{ymd}/{h:02d}/batch-{k}.json", account=ACCT, ip="10.30.31.77",
                              ua=c.UA_BOTO_LAMBDA, size=rng.randint(4000, 90000), vpce=VPCE_S3, sse="KMS"))
            # SSM agents: UpdateInstanceInformation every 20 minutes per instance
            for inst, name, ip in FLEET:
                for m in (0, 20, 40):
                    t = trunc(at(day, h, m + rng.randint(0, 4), rng.randint(0, 59)))
                    sname, key, created = ssm_role.session(t)
                    ident = c.instance_ident(ssm_role.name, ssm_role.role_id, inst, key, created, ACCT)
                    add(ct(ids, t, "ssm.amazonaws.com", "UpdateInstanceInformation", ident, account=ACCT,
                           ip=ip, ua=c.UA_SSM_AGENT,
                           req={"instanceId": inst, "agentVersion": "3.3.1142.0", "agentStatus": "Active",
                                "platformType": "Linux", "platformName": "Amazon Linux",
                                "platformVersion": "2023", "iPAddress": ip, "computerName":
                                    f"ip-{ip.replace('.', '-')}.ec2.internal", "agentName": "amazon-ssm-agent",
                                "availabilityZone": "us-east-1a", "availabilityZoneId": "use1-az4"}))
        _partner_sync(cx, ids, day)
        _config_role(cx, ids, day, config)
        _patching(cx, ids, day, mw, ssm_role)
        _backup(cx, ids, day, backup)
    add(ct(ids, at(1, 3, 17, 44), "kms.amazonaws.com", "RotateKey",
           {"accountId": ACCT, "invokedBy": "kms.amazonaws.com"}, account=ACCT, ip="kms.amazonaws.com",
           ua="kms.amazonaws.com", event_type="AwsServiceEvent", request_id=None,
           resources=[{"accountId": ACCT, "type": "AWS::KMS::Key", "ARN": KMS_APP}],
           service_event_details={"keyId": KMS_APP.rsplit("/", 1)[1]}))


PARTNER_USER = ("partner-exchange-sync", "AIDARPRODPXS4L6N8Q0S", "AKIARPRODPXS7T9V1X3Z")
PARTNER_IP = "198.51.100.180"
PARTNER_BUCKET = "examplecorp-partner-exchange-prod"


def _partner_sync(cx, ids, day) -> None:
    """A logistics partner's SFTP bridge syncs files with a legacy IAM user key every 30 minutes."""
    rng = ids.rng
    user = g.iam_user(PARTNER_USER[0], PARTNER_USER[1], PARTNER_USER[2], account=ACCT)
    ua = "rclone/v1.68.1"
    for i in range(48):
        t = trunc(at(day, 0) + dt.timedelta(minutes=30 * i, seconds=rng.randint(3, 40)))
        for prefix in ("outbound/", "inbound/"):
            cx.add_ct(c.s3_bucket(ids, t, "ListObjects", user, PARTNER_BUCKET, account=ACCT, ip=PARTNER_IP, ua=ua,
                                  extra_req={"list-type": "2", "prefix": prefix, "delimiter": "/"}, read_only=True,
                                  data=True))
            t += dt.timedelta(milliseconds=rng.randint(200, 900))
        for _ in range(rng.randint(0, 3)):
            t = trunc(t + dt.timedelta(seconds=rng.uniform(0.3, 3)))
            op = rng.choice(["GetObject", "PutObject"])
            key = (f"outbound/manifests/{ids.hex(10)}.xml" if op == "GetObject"
                   else f"inbound/pod/{at(day, 0):%Y%m%d}-{ids.hex(8)}.pdf")
            cx.add_ct(s3_object(ids, t, op, user, PARTNER_BUCKET, key, account=ACCT, ip=PARTNER_IP, ua=ua,
                                size=rng.randint(2_000, 900_000)))


def _config_role(cx, ids, day, config: Role) -> None:
    rng = ids.rng
    for region in ("us-east-1", "eu-central-1"):
        for i in range(48):
            t = trunc(at(day, 0) + dt.timedelta(minutes=30 * i + rng.randint(0, 9), seconds=rng.randint(0, 59)))
            ident = config.ident(t, invoked_by="config.amazonaws.com")
            for name in ("DescribeSecurityGroups", "DescribeInstances", "DescribeVpcs", "DescribeSubnets",
                         "DescribeNetworkInterfaces"):
                if rng.random() < 0.5:
                    cx.add_ct(ct(ids, t, "ec2.amazonaws.com", name, ident, account=ACCT,
                                 ip="config.amazonaws.com", ua="config.amazonaws.com", region=region,
                                 read_only=True, req={"maxResults": 1000}))
                t += dt.timedelta(milliseconds=rng.randint(40, 300))
            if region == "us-east-1" and i % 6 == 0:
                for bucket in (DATA_BUCKET, "examplecorp-deploy-artifacts-prod"):
                    for name, arg in (("GetBucketPolicy", "policy"), ("GetBucketAcl", "acl"),
                                      ("GetBucketVersioning", "versioning")):
                        cx.add_ct(c.s3_bucket(ids, t, name, ident, bucket, account=ACCT,
                                              ip="config.amazonaws.com", ua="config.amazonaws.com",
                                              extra_req={arg: ""}, read_only=True))
                        t += dt.timedelta(milliseconds=rng.randint(40, 200))


def _patching(cx, ids, day, mw: Role, ssm_role: Role) -> None:
    """Nightly patch window 03:00 UTC: three target groups, then compliance reports."""
    rng = ids.rng
    t = at(day, 3, 0, rng.randint(2, 20))
    window = "mw-0c1d2e3f4a5b6c7d8"
    groups = {"web": [], "worker": [], "batch": [], "bastion": []}
    for inst, name, ip in FLEET:
        groups[name].append((inst, ip))
    for gname, members in groups.items():
        cmd_id = ids.uuid()
        inst_ids = [i for i, _ in members]
        req = {"instanceIds": inst_ids, "documentName": "AWS-RunPatchBaseline",
               "parameters": "HIDDEN_DUE_TO_SECURITY_REASONS", "maxConcurrency": "25%",
               "maxErrors": "1", "serviceRoleArn": mw.arn,
               "outputS3BucketName": "examplecorp-ssm-output-prod",
               "comment": f"Maintenance window {window} task patch-{gname}", "interactive": False}
        resp = {"command": {"commandId": cmd_id, "documentName": "AWS-RunPatchBaseline",
                            "documentVersion": "$DEFAULT", "instanceIds": inst_ids, "targets": [],
                            "status": "Pending", "targetCount": len(inst_ids), "maxConcurrency": "25%",
                            "maxErrors": "1", "requestedDateTime": g.aws_legacy_date(t),
                            "comment": req["comment"], "timeoutSeconds": 3600}}
        cx.add_ct(ct(ids, t, "ssm.amazonaws.com", "SendCommand", mw.ident(t, invoked_by="ssm.amazonaws.com"),
                     account=ACCT, ip="ssm.amazonaws.com", ua="ssm.amazonaws.com", req=req, resp=resp))
        for k in range(3):
            tp = t + dt.timedelta(minutes=3 * (k + 1), seconds=rng.randint(0, 30))
            cx.add_ct(ct(ids, tp, "ssm.amazonaws.com", "ListCommandInvocations",
                         mw.ident(tp, invoked_by="ssm.amazonaws.com"), account=ACCT, ip="ssm.amazonaws.com",
                         ua="ssm.amazonaws.com", read_only=True, req={"commandId": cmd_id, "details": False}))
        for inst, ip in members:
            tc = trunc(t + dt.timedelta(minutes=rng.randint(4, 25), seconds=rng.randint(0, 59)))
            sname, key, created = ssm_role.session(tc)
            ident = c.instance_ident(ssm_role.name, ssm_role.role_id, inst, key, created, ACCT)
            cx.add_ct(ct(ids, tc, "ssm.amazonaws.com", "PutComplianceItems", ident, account=ACCT, ip=ip,
                         ua=c.UA_SSM_AGENT, req={"resourceId": inst, "resourceType": "ManagedInstance",
                                                 "complianceType": "Patch", "itemContentHash": ids.hex(64),
                                                 "uploadType": "COMPLETE"}))
        t += dt.timedelta(minutes=rng.randint(6, 14), seconds=rng.randint(0, 59))


def _backup(cx, ids, day, backup: Role) -> None:
    """Daily backup plan at 05:00: snapshots, DR copy, cross-account copy, retention."""
    rng = ids.rng
    add = cx.add_ct
    svc = "backup.amazonaws.com"
    t = at(day, 5, 0, rng.randint(5, 40))
    add(service_assume(ids, t, backup, svc))
    new_snaps = []
    for vol in VOLUMES:
        t = trunc(t + dt.timedelta(seconds=rng.uniform(0.5, 6)))
        snap = "snap-0" + ids.hex(16)
        new_snaps.append(snap)
        add(ct(ids, t, "ec2.amazonaws.com", "CreateSnapshot", backup.ident(t, invoked_by=svc), account=ACCT,
               ip=svc, ua=svc, req={"volumeId": vol, "description": "This snapshot is created by the AWS Backup service.",
                                    "tagSpecificationSet": {"items": [{"resourceType": "snapshot", "tags": [
                                        {"key": "aws:backup:source-resource", "value": vol}]}]}},
               resp={"requestId": ids.uuid(), "snapshotId": snap, "volumeId": vol, "status": "pending",
                     "startTime": int(t.timestamp() * 1000), "progress": "", "ownerId": ACCT,
                     "volumeSize": rng.choice([50, 100, 200]), "encrypted": True}))
    for db in DBS:
        t = trunc(t + dt.timedelta(seconds=rng.uniform(1, 8)))
        add(ct(ids, t, "rds.amazonaws.com", "CreateDBSnapshot", backup.ident(t, invoked_by=svc), account=ACCT,
               ip=svc, ua=svc, req={"dBSnapshotIdentifier": f"awsbackup:job-{ids.hex(8)}-{db}",
                                    "dBInstanceIdentifier": db}))
    # DR copy to us-west-2 and cross-account copy to the backup vault account (40 min later)
    t = at(day, 5, 40, rng.randint(0, 50))
    for snap in new_snaps:
        t = trunc(t + dt.timedelta(seconds=rng.uniform(1, 5)))
        add(ct(ids, t, "ec2.amazonaws.com", "CopySnapshot", backup.ident(t, invoked_by=svc), account=ACCT,
               ip=svc, ua=svc, region="us-west-2",
               req={"sourceRegion": "us-east-1", "sourceSnapshotId": snap, "encrypted": True,
                    "kmsKeyId": f"arn:aws:kms:us-west-2:{ACCT}:key/3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f",
                    "description": "This snapshot is created by the AWS Backup service."},
               resp={"requestId": ids.uuid(), "snapshotId": "snap-0" + ids.hex(16)}))
        t = trunc(t + dt.timedelta(seconds=rng.uniform(1, 5)))
        add(ct(ids, t, "ec2.amazonaws.com", "ModifySnapshotAttribute", backup.ident(t, invoked_by=svc),
               account=ACCT, ip=svc, ua=svc,
               req={"snapshotId": snap, "createVolumePermission": {"add": {"items": [
                   {"userId": c.BACKUP_VAULT_ACCOUNT}]}}, "attributeType": "CREATE_VOLUME_PERMISSION"},
               resp={"requestId": ids.uuid(), "_return": True}))
    # retention: yesterday's-minus-35-days recovery points expire
    t = at(day, 6, 10, rng.randint(0, 50))
    for vol in VOLUMES:
        t = trunc(t + dt.timedelta(seconds=rng.uniform(0.5, 3)))
        add(ct(ids, t, "ec2.amazonaws.com", "DeleteSnapshot", backup.ident(t, invoked_by=svc), account=ACCT,
               ip=svc, ua=svc, req={"snapshotId": "snap-0" + ids.hex(16)},
               resp={"requestId": ids.uuid(), "_return": True}))
    for db in DBS:
        t = trunc(t + dt.timedelta(seconds=rng.uniform(1, 4)))
        add(ct(ids, t, "rds.amazonaws.com", "DeleteDBSnapshot", backup.ident(t, invoked_by=svc), account=ACCT,
               ip=svc, ua=svc, req={"dBSnapshotIdentifier": f"awsbackup:job-{ids.hex(8)}-{db}"}))
