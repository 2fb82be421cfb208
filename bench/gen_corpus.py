#!/usr/bin/env python3
"""Generate a realistic, deterministic CloudTrail corpus for warden's benchmark.

Writes CloudTrail delivery files -- one gzipped line `{"Records":[...]}` each,
500-5000 records per file -- under OUT/AWSLogs/<account>/CloudTrail/<region>/
YYYY/MM/DD/, the layout CloudTrail uses in S3, plus OUT/MANIFEST.json with the
totals (files, events, uncompressed and compressed bytes, event-name counts).

The event mix imitates a busy AWS organisation: S3 data events dominate, then
KMS, STS, read-only Describe*/List*/Get* calls; writes to IAM, trail tampering
and other security-relevant calls are rare, as are errors and root use. Record
sizes vary from ~300 B to several KB (average ~1.1 KB).

Python 3 standard library only. Deterministic for a given --seed and --events
(file i is generated from its own RNG seeded by (seed, i)), whatever --jobs is.

    python3 bench/gen_corpus.py                      # >= 1M events, >= 1 GiB
    python3 bench/gen_corpus.py --events 20000 --out /tmp/c
"""

import argparse
import collections
import datetime as dt
import gzip
import hashlib
import json
import multiprocessing as mp
import os
import random
import shutil
import sys
import time

DEFAULT_EVENTS = 1_000_000
GIB = 1 << 30

# --------------------------------------------------------------------------
# The world: accounts, regions, principals, buckets, keys, addresses, agents.
# --------------------------------------------------------------------------

ACCOUNTS = ["111122223333", "444455556666", "777788889999"]
ACCOUNT_WEIGHTS = [6, 3, 1]
REGIONS = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2", "ap-northeast-1"]
REGION_WEIGHTS = [45, 20, 15, 10, 6, 4]
ORG_ID = "o-a1b2c3d4e5"
EXTERNAL_ACCOUNT = "999988887777"

ALNUM_UP = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
HEX = "0123456789abcdef"
B64 = ALNUM + "+/"

IAM_USERS = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi",
             "ci-deploy", "terraform", "backup-svc", "legacy-etl", "jenkins",
             "datadog-integration", "break-glass-admin", "mallory"]
APP_ROLES = ["app-backend", "app-frontend", "orders-service", "payments-service",
             "etl-glue-job", "lambda-image-resizer", "lambda-thumbnailer",
             "eks-node-group", "ecs-task-execution", "data-science-notebook",
             "bedrock-chatbot", "ingest-pipeline"]
HUMAN_ROLES = ["AWSReservedSSO_AdministratorAccess_3c1a2b4d5e6f7a8b",
               "AWSReservedSSO_ReadOnlyAccess_9f8e7d6c5b4a3c2d",
               "AWSReservedSSO_PowerUserAccess_0a1b2c3d4e5f6a7b",
               "OrganizationAccountAccessRole", "SecurityAudit",
               "GitHubActionsDeploy", "TerraformApply"]
SSO_USERS = ["alice@example.com", "bob@example.com", "carol@example.com",
             "dave@example.com", "erin@example.com", "oncall@example.com"]
SERVICES_INVOKING = ["ec2.amazonaws.com", "lambda.amazonaws.com", "cloudformation.amazonaws.com",
                     "autoscaling.amazonaws.com", "elasticloadbalancing.amazonaws.com",
                     "s3.amazonaws.com", "config.amazonaws.com", "ssm.amazonaws.com",
                     "ecs-tasks.amazonaws.com", "backup.amazonaws.com", "logs.amazonaws.com"]
BUCKETS = ["acme-data-lake", "acme-prod-assets", "acme-user-uploads", "acme-logs-archive",
           "acme-backups", "acme-ml-training", "acme-static-web", "acme-terraform-state",
           "acme-cloudtrail-org", "acme-reports"]
BUCKET_WEIGHTS = [30, 20, 15, 10, 5, 8, 6, 2, 1, 3]
KEY_PREFIXES = ["raw/2024/05/14/", "processed/daily/", "uploads/users/", "images/avatars/",
                "exports/finance/", "models/checkpoints/", "static/js/", "static/css/",
                "backups/postgres/", "reports/q2/", "tmp/", "logs/app/"]
KEY_EXT = [".json", ".parquet", ".csv", ".jpg", ".png", ".gz", ".txt", ".pdf", ".js", ".css",
           ".heic", ".zip", ".tar.gz", ".log"]
KEY_EXT_WEIGHTS = [15, 20, 10, 10, 6, 12, 5, 3, 4, 3, 2, 3, 3, 4]

USER_AGENTS = [
    ("aws-cli/2.15.30 Python/3.11.8 Linux/5.10.210-201.852.amzn2.x86_64 exe/x86_64.amzn.2 prompt/off command/s3.cp", 8),
    ("aws-cli/2.13.25 Python/3.11.6 Darwin/23.4.0 exe/x86_64 prompt/off command/sts.get-caller-identity", 4),
    ("Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux#5.10.210-201.852.amzn2.x86_64 md/arch#x86_64 lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.69", 6),
    ("Boto3/1.28.57 md/Botocore#1.31.57 ua/2.0 os/linux#4.14.336-257.562.amzn2.x86_64 md/arch#x86_64 lang/python#3.9.18 md/pyimpl#CPython exec-env/AWS_Lambda_python3.9 cfg/retry-mode#legacy Botocore/1.31.57", 4),
    ("aws-sdk-go-v2/1.25.2 os/linux lang/go#1.22.1 md/GOOS#linux md/GOARCH#amd64 api/s3#1.51.3", 10),
    ("aws-sdk-java/2.20.162 Linux/5.10.205-195.807.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/17.0.8+7-LTS Java/17.0.8 vendor/Amazon.com_Inc. exec-env/AWS_ECS_FARGATE io/sync http/Apache cfg/retry-mode/standard", 4),
    ("aws-sdk-nodejs/2.1550.0 linux/v18.19.0 exec-env/AWS_Lambda_nodejs18.x promise", 6),
    ("aws-sdk-js/3.540.0 ua/2.0 os/linux#5.10.210 lang/js md/nodejs#20.11.1 api/dynamodb#3.540.0", 5),
    ("Terraform/1.7.4 (+https://www.terraform.io) terraform-provider-aws/5.40.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.25.2 os/linux lang/go#1.22.0 md/GOOS#linux md/GOARCH#amd64 api/ec2#1.150.0", 4),
    ("console.amazonaws.com", 3),
    ("AWS Internal", 3),
    ("[S3Console/0.4, aws-internal/3 aws-sdk-java/1.12.488 Linux/5.10.215-181.850.amzn2int.x86_64 OpenJDK_64-Bit_Server_VM/25.372-b08 java/1.8.0_372 vendor/Oracle_Corporation cfg/retry-mode/standard]", 2),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36", 2),
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15", 1),
    ("Datadog/1.0 aws-sdk-go/1.44.327 (go1.21.5; linux; amd64)", 2),
    ("aws-sdk-go/1.44.327 (go1.21.5; linux; amd64)", 14),
    ("aws-sdk-java/1.12.630 Linux/5.10 OpenJDK_64-Bit_Server_VM/11.0.21+9-LTS java/11.0.21", 8),
    ("aws-internal/3 aws-sdk-java/1.12.595", 10),
    ("Boto3/1.34.69 Python/3.11.8 Linux/5.10 Botocore/1.34.69", 14),
    ("aws-cli/2.15.30", 6),
    ("python-requests/2.31.0", 0.05),
    ("Boto3/1.26.0 Python/3.11.2 Linux/6.5.0-kali3-amd64 Botocore/1.29.0", 0.02),
    ("aws-cli/1.18.69 Python/3.8.10 Linux/5.4.0-1029-aws botocore/1.16.19 Pacu", 0.01),
]
UA_LIST = [u for u, _ in USER_AGENTS]
UA_WEIGHTS = [w for _, w in USER_AGENTS]

PUBLIC_IPS = ["203.0.113.%d" % i for i in range(10, 60)] + \
             ["198.51.100.%d" % i for i in range(1, 40)] + \
             ["192.0.2.%d" % i for i in range(100, 120)] + \
             ["52.94.%d.%d" % (i, i * 7 % 250) for i in range(20)] + \
             ["2001:db8:85a3::8a2e:370:%x" % i for i in range(10)]
SUSPICIOUS_IPS = ["185.220.101.%d" % i for i in range(1, 12)] + ["45.155.205.%d" % i for i in range(2, 8)]

CIPHERS = [("TLSv1.3", "TLS_AES_128_GCM_SHA256"), ("TLSv1.2", "ECDHE-RSA-AES128-GCM-SHA256"),
           ("TLSv1.3", "TLS_AES_256_GCM_SHA384")]

INSTANCE_TYPES = ["t3.micro", "t3.medium", "m6i.large", "m6i.xlarge", "c6g.2xlarge", "r6i.large", "g5.xlarge"]
AMIS = ["ami-0c55b159cbfafe1f0", "ami-0abcdef1234567890", "ami-08d4ac5b634553e16", "ami-0e001c9271cf7f3b9"]
SECRETS = ["prod/db/postgres", "prod/api/stripe", "prod/api/twilio", "staging/db/mysql",
           "ci/github-token", "prod/oauth/okta-client", "shared/datadog-api-key"]
PARAMS = ["/app/prod/db_host", "/app/prod/feature_flags", "/app/prod/log_level",
          "/app/staging/db_host", "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
          "/cwagent/config", "/app/prod/api_base_url"]
MODELS = ["anthropic.claude-3-5-sonnet-20240620-v1:0", "anthropic.claude-3-haiku-20240307-v1:0",
          "amazon.titan-embed-text-v2:0", "meta.llama3-70b-instruct-v1:0", "cohere.embed-english-v3"]
TABLES = ["orders", "sessions", "users", "inventory", "audit-log", "feature-flags"]
FUNCTIONS = ["image-resizer", "thumbnailer", "orders-api", "payments-webhook", "etl-trigger",
             "slack-bot-handler", "cleanup-cron"]
LOG_GROUPS = ["/aws/lambda/image-resizer", "/aws/lambda/orders-api", "/ecs/payments-service",
              "/aws/eks/prod/cluster", "/aws/rds/instance/prod-db/postgresql", "/app/frontend"]
CLUSTERS = ["prod", "staging", "data"]
STACKS = ["network-core", "orders-service", "data-lake", "observability", "iam-baseline"]
POLICIES_MANAGED = ["arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
                    "arn:aws:iam::aws:policy/CloudWatchLogsFullAccess",
                    "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
                    "arn:aws:iam::aws:policy/AdministratorAccess", "arn:aws:iam::aws:policy/IAMFullAccess",
                    "arn:aws:iam::aws:policy/PowerUserAccess"]
POLICIES_WEIGHTS = [20, 20, 10, 15, 3, 1, 2]


def rstr(rng, alphabet, n):
    return "".join(rng.choices(alphabet, k=n))


def uuid4(rng):
    h = "%032x" % rng.getrandbits(128)
    return "%s-%s-4%s-%s-%s" % (h[:8], h[8:12], h[13:16], "89ab"[int(h[16], 16) & 3] + h[17:20], h[20:32])


def req_id(rng):
    return rstr(rng, ALNUM_UP, 16)


def b64(rng, n):
    return rstr(rng, B64, n)


class Ctx:
    """Per-file generation context: RNG, account, region, clock, principals."""

    def __init__(self, rng, account, region, t0):
        self.rng = rng
        self.account = account
        self.region = region
        self.t = t0
        rng2 = random.Random(hash_seed(account))  # stable per-account ids
        self.user_ids = {u: "AIDA" + rstr(rng2, ALNUM_UP, 17) for u in IAM_USERS}
        self.user_keys = {u: "AKIA" + rstr(rng2, ALNUM_UP, 16) for u in IAM_USERS}
        self.role_ids = {r: "AROA" + rstr(rng2, ALNUM_UP, 17) for r in APP_ROLES + HUMAN_ROLES}
        self.vpce = "vpce-" + rstr(rng2, HEX, 17)
        self.kms_keys = [uuid4(rng2) for _ in range(6)]
        self.instances = ["i-" + rstr(rng2, HEX, 17) for _ in range(40)]
        self.sgs = ["sg-" + rstr(rng2, HEX, 17) for _ in range(15)]
        self.subnets = ["subnet-" + rstr(rng2, HEX, 17) for _ in range(9)]
        self.vpcs = ["vpc-" + rstr(rng2, HEX, 17) for _ in range(3)]


def hash_seed(s):
    h = 1469598103934665603
    for ch in s.encode():
        h = ((h ^ ch) * 1099511628211) & 0xFFFFFFFFFFFFFFFF
    return h


# --------------------------------------------------------------------------
# Identities
# --------------------------------------------------------------------------

def ident_user(c, user=None):
    rng = c.rng
    user = user or rng.choice(IAM_USERS)
    ui = {"type": "IAMUser", "principalId": c.user_ids[user],
          "arn": "arn:aws:iam::%s:user/%s" % (c.account, user),
          "accountId": c.account, "accessKeyId": c.user_keys[user], "userName": user}
    if rng.random() < 0.3:
        ui["accessKeyId"] = "ASIA" + rstr(rng, ALNUM_UP, 16)
        ui["sessionContext"] = {"attributes": {"creationDate": c.iso(-rng.randint(60, 40000)),
                                               "mfaAuthenticated": "true" if rng.random() < 0.6 else "false"}}
    return ui, user


def ident_role(c, human=False, role=None):
    rng = c.rng
    if role is None:
        role = rng.choice(HUMAN_ROLES if human else APP_ROLES)
    if role.startswith("AWSReservedSSO"):
        session = rng.choice(SSO_USERS)
        path = "aws-reserved/sso.amazonaws.com/"
    elif role in ("GitHubActionsDeploy", "TerraformApply"):
        session = "GitHubActions-" + str(rng.randint(1000000000, 9999999999))
        path = ""
    elif role.startswith("lambda-"):
        session = "image-resizer" if "resizer" in role else "thumbnailer"
        path = ""
    else:
        session = rstr(rng, HEX, rng.choice((8, 12, 16))) if rng.random() < 0.7 else "i-" + rstr(rng, HEX, 17)
        path = ""
    rid = c.role_ids[role]
    ui = {"type": "AssumedRole", "principalId": "%s:%s" % (rid, session),
          "arn": "arn:aws:sts::%s:assumed-role/%s/%s" % (c.account, role, session),
          "accountId": c.account, "accessKeyId": "ASIA" + rstr(rng, ALNUM_UP, 16),
          "sessionContext": {"sessionIssuer": {"type": "Role", "principalId": rid,
                                               "arn": "arn:aws:iam::%s:role/%s%s" % (c.account, path, role),
                                               "accountId": c.account, "userName": role},
                             "attributes": {"creationDate": c.iso(-rng.randint(30, 3500)),
                                            "mfaAuthenticated": "false"}}}
    if role.startswith("eks-"):
        ui["sessionContext"]["ec2RoleDelivery"] = "2.0"
    if human and rng.random() < 0.4:
        ui["sessionContext"]["sourceIdentity"] = rng.choice(SSO_USERS)
    return ui, session


def ident_service(c, svc=None):
    svc = svc or c.rng.choice(SERVICES_INVOKING)
    return {"type": "AWSService", "invokedBy": svc}, svc


def ident_root(c):
    return {"type": "Root", "principalId": c.account, "arn": "arn:aws:iam::%s:root" % c.account,
            "accountId": c.account, "accessKeyId": "ASIA" + rstr(c.rng, ALNUM_UP, 16) if c.rng.random() < 0.5 else ""}, "root"


def pick_identity(c, profile):
    """profile: 'app' (workloads), 'human', 'svc', 'mixed'."""
    r = c.rng.random()
    if r < 0.0006:
        return ident_root(c)
    if profile == "app":
        if r < 0.72:
            return ident_role(c)
        if r < 0.95:
            return ident_user(c)
        return ident_role(c, human=True)
    if profile == "human":
        if r < 0.65:
            return ident_role(c, human=True)
        return ident_user(c)
    if profile == "user":
        return ident_user(c)
    if profile == "svc":
        if r < 0.6:
            return ident_service(c)
        return ident_role(c)
    # mixed
    if r < 0.55:
        return ident_role(c)
    if r < 0.8:
        return ident_role(c, human=True)
    if r < 0.93:
        return ident_user(c)
    return ident_service(c)


def source_ip(c, ui):
    rng = c.rng
    if ui["type"] == "AWSService":
        return ui["invokedBy"], ui["invokedBy"]
    r = rng.random()
    if r < 0.0015:
        return rng.choice(SUSPICIOUS_IPS), None
    if r < 0.2:
        return "10.%d.%d.%d" % (rng.randint(0, 3), rng.randint(0, 255), rng.randint(1, 254)), "vpce"
    return rng.choice(PUBLIC_IPS), None


# --------------------------------------------------------------------------
# Per-API request/response builders: each returns a dict of record fields.
# --------------------------------------------------------------------------

def s3_key(c):
    rng = c.rng
    ext = rng.choices(KEY_EXT, weights=KEY_EXT_WEIGHTS)[0]
    depth = rng.choice((0, 0, 1, 1, 2, 3))
    mid = "".join("%s/" % rstr(rng, "abcdefghijklmnopqrstuvwxyz0123456789-", rng.randint(3, 14)) for _ in range(depth))
    return rng.choice(KEY_PREFIXES) + mid + rstr(rng, ALNUM + "-_", rng.randint(4, 24)) + ext


def s3_addl(c, out_bytes=0, in_bytes=0):
    rng = c.rng
    return {"SignatureVersion": "SigV4", "CipherSuite": "TLS_AES_128_GCM_SHA256",
            "bytesTransferredIn": in_bytes, "AuthenticationMethod": "AuthHeader",
            "x-amz-id-2": b64(c.rng, 76) + "=", "bytesTransferredOut": out_bytes} \
        if rng.random() < 0.97 else {"SignatureVersion": "SigV4", "bytesTransferredIn": in_bytes,
                                      "bytesTransferredOut": out_bytes, "AuthenticationMethod": "QueryString",
                                      "x-amz-id-2": b64(c.rng, 76) + "="}


def s3_object_event(name):
    def build(c):
        rng = c.rng
        bucket = rng.choices(BUCKETS, weights=BUCKET_WEIGHTS)[0]
        key = s3_key(c)
        rp = {"bucketName": bucket, "Host": "%s.s3.%s.amazonaws.com" % (bucket, c.region), "key": key}
        out_b = in_b = 0
        re = None
        if name in ("GetObject",):
            out_b = rng.randint(200, 80_000_000)
            if rng.random() < 0.1:
                rp["versionId"] = rstr(rng, ALNUM + "._", 32)
        elif name == "PutObject":
            in_b = rng.randint(200, 50_000_000)
            if rng.random() < 0.3:
                rp["x-amz-server-side-encryption"] = "aws:kms"
                rp["x-amz-server-side-encryption-aws-kms-key-id"] = "arn:aws:kms:%s:%s:key/%s" % (c.region, c.account, rng.choice(c.kms_keys))
            if key.endswith((".jpg", ".png", ".heic")) and rng.random() < 0.5:
                rp["Content-Type"] = "image/jpeg" if key.endswith(".jpg") else "image/" + key.rsplit(".", 1)[1]
            re = {"x-amz-server-side-encryption": rp.get("x-amz-server-side-encryption", "AES256"),
                  "x-amz-version-id": rstr(rng, ALNUM + "._", 32)} if rng.random() < 0.6 else None
        elif name == "CopyObject":
            rp["x-amz-copy-source"] = "%s/%s" % (rng.choice(BUCKETS), s3_key(c))
            re = {"x-amz-server-side-encryption": "AES256", "CopyObjectResult": {"eTag": rstr(rng, HEX, 32), "lastModified": c.iso(0)}}
        elif name == "UploadPart":
            in_b = rng.randint(5_242_880, 16_777_216)
            rp["partNumber"] = str(rng.randint(1, 200))
            rp["uploadId"] = rstr(rng, ALNUM + "._-", 90)
        elif name in ("CreateMultipartUpload", "CompleteMultipartUpload"):
            rp["uploads" if name.startswith("Create") else "uploadId"] = "" if name.startswith("Create") else rstr(rng, ALNUM + "._-", 90)
            re = {"bucketName": bucket, "key": key, "uploadId": rstr(rng, ALNUM + "._-", 90)}
        elif name == "GetObjectTagging":
            rp["tagging"] = ""
        res = [{"type": "AWS::S3::Object", "ARN": "arn:aws:s3:::%s/%s" % (bucket, key)},
               {"accountId": c.account, "type": "AWS::S3::Bucket", "ARN": "arn:aws:s3:::%s" % bucket}]
        return {"requestParameters": rp, "responseElements": re, "additionalEventData": s3_addl(c, out_b, in_b),
                "resources": res, "readOnly": name in ("GetObject", "HeadObject", "GetObjectTagging"),
                "data": True, "tls_host": rp["Host"]}
    return build


def s3_list_objects(c):
    rng = c.rng
    bucket = rng.choices(BUCKETS, weights=BUCKET_WEIGHTS)[0]
    rp = {"bucketName": bucket, "Host": "%s.s3.%s.amazonaws.com" % (bucket, c.region),
          "list-type": "2", "prefix": rng.choice(KEY_PREFIXES), "encoding-type": "url",
          "max-keys": str(rng.choice([100, 1000]))}
    if rng.random() < 0.3:
        rp["continuation-token"] = b64(c.rng, 120) + "=="
    return {"requestParameters": rp, "responseElements": None, "additionalEventData": s3_addl(c, rng.randint(300, 400_000)),
            "resources": [{"type": "AWS::S3::Object", "ARNPrefix": "arn:aws:s3:::%s/%s" % (bucket, rp["prefix"])},
                          {"accountId": c.account, "type": "AWS::S3::Bucket", "ARN": "arn:aws:s3:::%s" % bucket}],
            "readOnly": True, "data": True, "tls_host": rp["Host"]}


def s3_bucket_mgmt(name):
    def build(c):
        rng = c.rng
        bucket = rng.choices(BUCKETS, weights=BUCKET_WEIGHTS)[0]
        q = {"GetBucketLocation": "location", "GetBucketAcl": "acl", "GetBucketPolicy": "policy",
             "GetBucketVersioning": "versioning", "GetBucketEncryption": "encryption",
             "GetBucketPublicAccessBlock": "publicAccessBlock", "GetBucketLogging": "logging",
             "DeleteBucketPolicy": "policy", "PutBucketLogging": "logging", "DeleteBucket": None,
             "CreateBucket": None}.get(name)
        rp = {"bucketName": bucket, "Host": "%s.s3.%s.amazonaws.com" % (bucket, c.region) if rng.random() < 0.5 else "s3.amazonaws.com"}
        if q:
            rp[q] = ""
        if name == "PutBucketLogging":
            rp["BucketLoggingStatus"] = {"xmlns": "http://s3.amazonaws.com/doc/2006-03-01/"} if rng.random() < 0.5 else {
                "xmlns": "http://s3.amazonaws.com/doc/2006-03-01/",
                "LoggingEnabled": {"TargetBucket": "acme-logs-archive", "TargetPrefix": "s3/%s/" % bucket}}
        if name == "CreateBucket":
            rp["CreateBucketConfiguration"] = {"LocationConstraint": c.region, "xmlns": "http://s3.amazonaws.com/doc/2006-03-01/"}
            rp["bucketName"] = "acme-%s-%s" % (rstr(rng, "abcdefghijklmnopqrstuvwxyz", 6), rstr(rng, HEX, 6))
        return {"requestParameters": rp, "responseElements": None,
                "additionalEventData": {"SignatureVersion": "SigV4", "CipherSuite": "TLS_AES_128_GCM_SHA256",
                                        "bytesTransferredIn": 0, "AuthenticationMethod": "AuthHeader",
                                        "x-amz-id-2": b64(c.rng, 76) + "=", "bytesTransferredOut": rng.randint(0, 2000)},
                "resources": [{"accountId": c.account, "type": "AWS::S3::Bucket", "ARN": "arn:aws:s3:::%s" % rp["bucketName"]}],
                "readOnly": name.startswith("Get") or name.startswith("List"), "tls_host": rp["Host"]}
    return build


def s3_list_buckets(c):
    return {"requestParameters": {"Host": "s3.amazonaws.com"}, "responseElements": None,
            "additionalEventData": {"SignatureVersion": "SigV4", "CipherSuite": "TLS_AES_128_GCM_SHA256",
                                    "bytesTransferredIn": 0, "AuthenticationMethod": "AuthHeader",
                                    "x-amz-id-2": b64(c.rng, 76) + "=", "bytesTransferredOut": c.rng.randint(500, 9000)},
            "readOnly": True, "tls_host": "s3.amazonaws.com"}


def policy_doc(c, public=False, statements=None):
    rng = c.rng
    stmts = []
    n = statements or rng.randint(1, 6)
    for i in range(n):
        actions = rng.sample(["s3:GetObject", "s3:PutObject", "s3:ListBucket", "s3:DeleteObject",
                              "kms:Decrypt", "kms:GenerateDataKey", "logs:PutLogEvents", "logs:CreateLogStream",
                              "dynamodb:GetItem", "dynamodb:Query", "sqs:SendMessage", "ssm:GetParameter",
                              "secretsmanager:GetSecretValue", "ec2:DescribeInstances"], rng.randint(1, 6))
        st = {"Sid": "Stmt%d%d" % (rng.randint(1000000000, 9999999999), i), "Effect": "Allow",
              "Action": actions if len(actions) > 1 else actions[0],
              "Resource": ["arn:aws:s3:::%s/*" % rng.choice(BUCKETS), "arn:aws:s3:::%s" % rng.choice(BUCKETS)]}
        if public and i == 0:
            st["Principal"] = "*"
            st["Action"] = "s3:GetObject"
        elif "Principal" not in st and rng.random() < 0.5:
            st["Principal"] = {"AWS": "arn:aws:iam::%s:role/%s" % (c.account, rng.choice(APP_ROLES))}
        if rng.random() < 0.3:
            st["Condition"] = {"StringEquals": {"aws:PrincipalOrgID": ORG_ID}}
        stmts.append(st)
    return {"Version": "2012-10-17", "Statement": stmts}


def s3_put_bucket_policy(c):
    rng = c.rng
    bucket = rng.choice(BUCKETS)
    pol = policy_doc(c, public=rng.random() < 0.2)
    return {"requestParameters": {"bucketName": bucket, "Host": "%s.s3.amazonaws.com" % bucket, "policy": "",
                                  "bucketPolicy": pol},
            "responseElements": None, "resources": [{"accountId": c.account, "type": "AWS::S3::Bucket", "ARN": "arn:aws:s3:::%s" % bucket}],
            "readOnly": False}


def s3_put_bucket_acl(c):
    rng = c.rng
    bucket = rng.choice(BUCKETS)
    grants = [{"Grantee": {"xsi:type": "CanonicalUser", "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
                           "ID": rstr(rng, HEX, 64)}, "Permission": "FULL_CONTROL"}]
    if rng.random() < 0.3:
        grants.append({"Grantee": {"xsi:type": "Group", "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
                                   "URI": "http://acs.amazonaws.com/groups/global/AllUsers"}, "Permission": "READ"})
    return {"requestParameters": {"bucketName": bucket, "Host": "%s.s3.amazonaws.com" % bucket, "acl": "",
                                  "AccessControlPolicy": {"AccessControlList": {"Grant": grants},
                                                          "xmlns": "http://s3.amazonaws.com/doc/2006-03-01/",
                                                          "Owner": {"ID": rstr(rng, HEX, 64)}}},
            "responseElements": None, "readOnly": False}


def s3_put_pab(c):
    rng = c.rng
    bucket = rng.choice(BUCKETS)
    off = rng.random() < 0.3
    v = "false" if off else "true"
    return {"requestParameters": {"bucketName": bucket, "Host": "%s.s3.amazonaws.com" % bucket, "publicAccessBlock": "",
                                  "PublicAccessBlockConfiguration": {"xmlns": "http://s3.amazonaws.com/doc/2006-03-01/",
                                                                     "RestrictPublicBuckets": v == "true", "BlockPublicPolicy": v == "true",
                                                                     "BlockPublicAcls": v == "true", "IgnorePublicAcls": v == "true"}},
            "responseElements": None, "readOnly": False}


def sts_assume_role(c):
    rng = c.rng
    role = rng.choice(APP_ROLES + HUMAN_ROLES)
    session = rstr(rng, HEX, 16) if rng.random() < 0.6 else "botocore-session-%d" % rng.randint(1700000000, 1720000000)
    acct = c.account if rng.random() < 0.9 else rng.choice(ACCOUNTS)
    rp = {"roleArn": "arn:aws:iam::%s:role/%s" % (acct, role), "roleSessionName": session}
    if rng.random() < 0.4:
        rp["durationSeconds"] = rng.choice([900, 3600, 43200])
    if rng.random() < 0.2:
        rp["externalId"] = rstr(rng, ALNUM, 24)
    if rng.random() < 0.04:
        rp["policy"] = json.dumps(policy_doc(c, statements=rng.randint(2, 8)))
    if rng.random() < 0.1:
        rp["tags"] = [{"key": "Project", "value": rng.choice(["orders", "data", "ml"])}, {"key": "CostCenter", "value": str(rng.randint(1000, 9999))}]
    resp = {"credentials": {"accessKeyId": "ASIA" + rstr(rng, ALNUM_UP, 16), "sessionToken": b64(rng, rng.choice([244, 300, 356])),
                            "expiration": "May 14, 2024, 2:%02d:%02d AM" % (rng.randint(0, 59), rng.randint(0, 59))},
            "assumedRoleUser": {"assumedRoleId": "%s:%s" % (c.role_ids[role], session),
                                "arn": "arn:aws:sts::%s:assumed-role/%s/%s" % (acct, role, session)}}
    return {"requestParameters": rp, "responseElements": resp, "readOnly": True,
            "resources": [{"accountId": acct, "type": "AWS::IAM::Role", "ARN": rp["roleArn"]}],
            "sharedEventID": uuid4(rng) if acct != c.account else None}


def sts_web_identity(c):
    rng = c.rng
    role = rng.choice(["eks-node-group", "GitHubActionsDeploy", "ingest-pipeline"])
    session = "botocore-session-%d" % rng.randint(1700000000, 1720000000)
    gh = role == "GitHubActionsDeploy"
    ui = {"type": "WebIdentityUser",
          "principalId": ("token.actions.githubusercontent.com:sts.amazonaws.com:repo:acme/%s:ref:refs/heads/main" % rng.choice(["orders", "infra", "web"])) if gh
          else "arn:aws:iam::%s:oidc-provider/oidc.eks.%s.amazonaws.com/id/%s:sts.amazonaws.com:system:serviceaccount:%s" % (c.account, c.region, rstr(rng, HEX.upper(), 32), rng.choice(["kube-system:aws-node", "prod:orders", "prod:ingest"])),
          "userName": "repo:acme/infra:ref:refs/heads/main" if gh else "system:serviceaccount:prod:orders",
          "identityProvider": "token.actions.githubusercontent.com" if gh else "oidc.eks.%s.amazonaws.com/id/%s" % (c.region, rstr(rng, HEX.upper(), 32))}
    resp = {"credentials": {"accessKeyId": "ASIA" + rstr(rng, ALNUM_UP, 16), "sessionToken": b64(rng, 300),
                            "expiration": "May 14, 2024, 3:%02d:%02d AM" % (rng.randint(0, 59), rng.randint(0, 59))},
            "subjectFromWebIdentityToken": ui["userName"],
            "assumedRoleUser": {"assumedRoleId": "%s:%s" % (c.role_ids[role], session),
                                "arn": "arn:aws:sts::%s:assumed-role/%s/%s" % (c.account, role, session)},
            "provider": "arn:aws:iam::%s:oidc-provider/%s" % (c.account, ui["identityProvider"]),
            "audience": "sts.amazonaws.com"}
    return {"identity": ui, "requestParameters": {"roleArn": "arn:aws:iam::%s:role/%s" % (c.account, role), "roleSessionName": session},
            "responseElements": resp, "readOnly": True}


def sts_saml(c):
    rng = c.rng
    role = rng.choice(HUMAN_ROLES[:3])
    user = rng.choice(SSO_USERS)
    ui = {"type": "SAMLUser", "principalId": "Ez7Wq1yBLIw9Y8s0Yt3NIjPt3j8=:%s" % user, "userName": user,
          "identityProvider": "Ez7Wq1yBLIw9Y8s0Yt3NIjPt3j8="}
    return {"identity": ui, "requestParameters": {"sAMLAssertionID": "_" + rstr(rng, HEX, 40), "roleSessionName": user,
                                                  "principalTags": {"Department": rng.choice(["Engineering", "Finance", "Security"])},
                                                  "roleArn": "arn:aws:iam::%s:role/%s" % (c.account, role),
                                                  "principalArn": "arn:aws:iam::%s:saml-provider/Okta" % c.account,
                                                  "durationSeconds": 3600},
            "responseElements": {"subjectType": "persistent", "issuer": "http://www.okta.com/" + rstr(rng, ALNUM, 20),
                                 "credentials": {"accessKeyId": "ASIA" + rstr(rng, ALNUM_UP, 16), "sessionToken": b64(rng, 300),
                                                 "expiration": "May 14, 2024, 5:00:00 AM"},
                                 "nameQualifier": b64(rng, 28), "audience": "https://signin.aws.amazon.com/saml",
                                 "subject": user,
                                 "assumedRoleUser": {"assumedRoleId": "%s:%s" % (c.role_ids[role], user),
                                                     "arn": "arn:aws:sts::%s:assumed-role/%s/%s" % (c.account, role, user)}},
            "readOnly": True}


def nothing(c):
    return {"requestParameters": None, "responseElements": None, "readOnly": True}


def sts_session_token(c):
    rng = c.rng
    rp = {"durationSeconds": 43200}
    if rng.random() < 0.5:
        rp["serialNumber"] = "arn:aws:iam::%s:mfa/%s" % (c.account, rng.choice(IAM_USERS))
        rp["tokenCode"] = "HIDDEN_DUE_TO_SECURITY_REASONS"
    return {"requestParameters": rp, "responseElements": {"credentials": {"accessKeyId": "ASIA" + rstr(rng, ALNUM_UP, 16),
                                                                          "sessionToken": b64(rng, 420), "expiration": "May 15, 2024, 12:00:00 AM"}},
            "readOnly": True, "profile": "user"}


def kms_crypto(name):
    def build(c):
        rng = c.rng
        key = rng.choice(c.kms_keys)
        ctx_kind = rng.random()
        if ctx_kind < 0.5:
            enc = {"aws:s3:arn": "arn:aws:s3:::%s/%s" % (rng.choice(BUCKETS), s3_key(c))}
        elif ctx_kind < 0.7:
            enc = {"aws:lambda:FunctionArn": "arn:aws:lambda:%s:%s:function:%s" % (c.region, c.account, rng.choice(FUNCTIONS))}
        elif ctx_kind < 0.85:
            enc = {"SecretARN": "arn:aws:secretsmanager:%s:%s:secret:%s-%s" % (c.region, c.account, rng.choice(SECRETS), rstr(rng, ALNUM, 6)),
                   "SecretVersionId": uuid4(rng)}
        else:
            enc = {"aws:ebs:id": "vol-" + rstr(rng, HEX, 17)}
        rp = {"encryptionContext": enc, "encryptionAlgorithm": "SYMMETRIC_DEFAULT"}
        if name == "GenerateDataKey":
            rp = {"keyId": "arn:aws:kms:%s:%s:key/%s" % (c.region, c.account, key), "encryptionContext": enc, "keySpec": "AES_256"}
        elif name == "Encrypt":
            rp["keyId"] = "alias/%s" % rng.choice(["app-data", "s3-default", "secrets"])
        return {"requestParameters": rp, "responseElements": None, "readOnly": name != "Encrypt" and name != "GenerateDataKey",
                "resources": [{"accountId": c.account, "type": "AWS::KMS::Key",
                               "ARN": "arn:aws:kms:%s:%s:key/%s" % (c.region, c.account, key)}],
                "profile": "svc", "kms": True}
    return build


def kms_mgmt(name):
    def build(c):
        rng = c.rng
        key = rng.choice(c.kms_keys)
        rp = {"keyId": key}
        re = None
        if name == "ScheduleKeyDeletion":
            rp["pendingWindowInDays"] = rng.choice([7, 30])
            re = {"keyId": "arn:aws:kms:%s:%s:key/%s" % (c.region, c.account, key), "keyState": "PendingDeletion",
                  "deletionDate": "Jun 13, 2024, 12:00:00 AM", "pendingWindowInDays": rp["pendingWindowInDays"]}
        elif name == "PutKeyPolicy":
            rp["policyName"] = "default"
            rp["policy"] = json.dumps(policy_doc(c, statements=rng.randint(2, 5)), indent=2)
            rp["bypassPolicyLockoutSafetyCheck"] = False
        elif name == "CreateKey":
            rp = {"description": "key for %s" % rng.choice(["orders", "payments", "backups"]), "keyUsage": "ENCRYPT_DECRYPT",
                  "keySpec": "SYMMETRIC_DEFAULT", "origin": "AWS_KMS", "multiRegion": False}
            re = {"keyMetadata": {"aWSAccountId": c.account, "keyId": key, "arn": "arn:aws:kms:%s:%s:key/%s" % (c.region, c.account, key),
                                  "creationDate": "May 14, 2024, 12:00:00 AM", "enabled": True, "keyUsage": "ENCRYPT_DECRYPT",
                                  "keyState": "Enabled", "origin": "AWS_KMS", "keyManager": "CUSTOMER",
                                  "customerMasterKeySpec": "SYMMETRIC_DEFAULT", "keySpec": "SYMMETRIC_DEFAULT",
                                  "encryptionAlgorithms": ["SYMMETRIC_DEFAULT"], "multiRegion": False}}
        elif name == "ListAliases":
            rp = {"limit": 100} if rng.random() < 0.5 else None
        return {"requestParameters": rp, "responseElements": re, "readOnly": name in ("DescribeKey", "ListAliases"),
                "resources": [{"accountId": c.account, "type": "AWS::KMS::Key",
                               "ARN": "arn:aws:kms:%s:%s:key/%s" % (c.region, c.account, key)}]}
    return build


def ec2_describe(name):
    def build(c):
        rng = c.rng
        rp = {}
        r = rng.random()
        if name == "DescribeInstances":
            if r < 0.4:
                rp = {"instancesSet": {"items": [{"instanceId": i} for i in rng.sample(c.instances, rng.randint(1, 8))]},
                      "filterSet": {}}
            elif r < 0.8:
                rp = {"instancesSet": {}, "filterSet": {"items": [
                    {"name": "tag:%s" % rng.choice(["Name", "Environment", "aws:autoscaling:groupName"]),
                     "valueSet": {"items": [{"value": rng.choice(["prod", "staging", "orders-asg", "web"])}]}},
                    {"name": "instance-state-name", "valueSet": {"items": [{"value": "running"}, {"value": "pending"}]}}]}}
            else:
                rp = {"maxResults": 1000, "instancesSet": {}, "filterSet": {}}
        elif name == "DescribeSecurityGroups":
            rp = {"securityGroupSet": {"items": [{"groupId": g} for g in rng.sample(c.sgs, rng.randint(1, 5))]}, "securityGroupIdSet": {}, "filterSet": {}}
        elif name in ("DescribeSubnets", "DescribeVpcs", "DescribeNetworkInterfaces"):
            rp = {"filterSet": {"items": [{"name": "vpc-id", "valueSet": {"items": [{"value": rng.choice(c.vpcs)}]}}]}}
            if name == "DescribeNetworkInterfaces" and r < 0.5:
                rp["networkInterfaceIdSet"] = {"items": [{"networkInterfaceId": "eni-" + rstr(rng, HEX, 17)}]}
        elif name == "DescribeVolumes":
            rp = {"volumeSet": {}, "filterSet": {"items": [{"name": "attachment.instance-id", "valueSet": {"items": [{"value": rng.choice(c.instances)}]}}]}}
        elif name == "DescribeImages":
            rp = {"executableBySet": {}, "imagesSet": {"items": [{"imageId": rng.choice(AMIS)}]}, "ownersSet": {"items": [{"owner": "amazon"}]}, "filterSet": {}}
        elif name == "DescribeSnapshots":
            rp = {"snapshotSet": {}, "ownersSet": {"items": [{"owner": "self"}]}, "sharedUsersSet": {}, "filterSet": {}}
        elif name == "DescribeRegions":
            rp = {"regionSet": {}, "allRegions": rng.random() < 0.3}
        elif name == "DescribeTags":
            rp = {"filterSet": {"items": [{"name": "resource-id", "valueSet": {"items": [{"value": rng.choice(c.instances)}]}}]}}
        return {"requestParameters": rp, "responseElements": None, "readOnly": True, "ec2": True}
    return build


def ec2_run_instances(c):
    rng = c.rng
    n = rng.choice([1, 1, 1, 2, 3, 4])
    itype = rng.choice(INSTANCE_TYPES)
    rp = {"instancesSet": {"items": [{"imageId": rng.choice(AMIS), "minCount": n, "maxCount": n}]},
          "instanceType": itype, "blockDeviceMapping": {"items": [{"deviceName": "/dev/xvda", "ebs": {"volumeSize": rng.choice([8, 20, 100]), "deleteOnTermination": True, "volumeType": "gp3", "encrypted": True}}]},
          "tenancy": "default", "monitoring": {"enabled": False}, "disableApiTermination": False,
          "disableApiStop": False, "clientToken": uuid4(rng),
          "networkInterfaceSet": {"items": [{"deviceIndex": 0, "subnetId": rng.choice(c.subnets), "groupSet": {"items": [{"groupId": rng.choice(c.sgs)}]}}]},
          "iamInstanceProfile": {"arn": "arn:aws:iam::%s:instance-profile/%s" % (c.account, rng.choice(APP_ROLES))},
          "metadataOptions": {"httpTokens": "required" if rng.random() < 0.8 else "optional", "httpPutResponseHopLimit": 2},
          "tagSpecificationSet": {"items": [{"resourceType": "instance", "tags": [{"key": "Name", "value": rng.choice(["web", "worker", "bastion", "gpu-train"])}, {"key": "Environment", "value": "prod"}]}]}}
    items = []
    for _ in range(n):
        iid = "i-" + rstr(rng, HEX, 17)
        ip = "10.%d.%d.%d" % (rng.randint(0, 3), rng.randint(0, 255), rng.randint(1, 254))
        items.append({"instanceId": iid, "imageId": rp["instancesSet"]["items"][0]["imageId"], "currentInstanceBootMode": "uefi",
                      "instanceState": {"code": 0, "name": "pending"}, "privateDnsName": "ip-%s.ec2.internal" % ip.replace(".", "-"),
                      "amiLaunchIndex": 0, "productCodes": {}, "instanceType": itype, "launchTime": c.epoch_ms(),
                      "placement": {"availabilityZone": c.region + rng.choice("abc"), "tenancy": "default"},
                      "monitoring": {"state": "disabled"}, "subnetId": rng.choice(c.subnets), "vpcId": rng.choice(c.vpcs),
                      "privateIpAddress": ip, "stateReason": {"code": "pending", "message": "pending"}, "architecture": "x86_64",
                      "rootDeviceType": "ebs", "rootDeviceName": "/dev/xvda", "blockDeviceMapping": {}, "virtualizationType": "hvm",
                      "hypervisor": "xen", "tagSet": {"items": rp["tagSpecificationSet"]["items"][0]["tags"]},
                      "clientToken": rp["clientToken"], "groupSet": {"items": [{"groupId": rng.choice(c.sgs), "groupName": "default"}]},
                      "sourceDestCheck": True, "networkInterfaceSet": {"items": [{"networkInterfaceId": "eni-" + rstr(rng, HEX, 17), "subnetId": rng.choice(c.subnets),
                                                                                   "vpcId": rng.choice(c.vpcs), "ownerId": c.account, "status": "in-use",
                                                                                   "macAddress": ":".join(rstr(rng, HEX, 2) for _ in range(6)),
                                                                                   "privateIpAddress": ip, "sourceDestCheck": True, "interfaceType": "interface",
                                                                                   "attachment": {"attachmentId": "eni-attach-" + rstr(rng, HEX, 17), "deviceIndex": 0,
                                                                                                  "networkCardIndex": 0, "status": "attaching", "attachTime": c.epoch_ms(),
                                                                                                  "deleteOnTermination": True}}]},
                      "ebsOptimized": False, "enaSupport": True, "cpuOptions": {"coreCount": 1, "threadsPerCore": 2},
                      "capacityReservationSpecification": {"capacityReservationPreference": "open"},
                      "enclaveOptions": {"enabled": False}, "metadataOptions": {"state": "pending", "httpTokens": rp["metadataOptions"]["httpTokens"],
                                                                                  "httpPutResponseHopLimit": 2, "httpEndpoint": "enabled"},
                      "maintenanceOptions": {"autoRecovery": "default"}, "privateDnsNameOptions": {"hostnameType": "ip-name"}})
    re = {"requestId": uuid4(rng), "reservationId": "r-" + rstr(rng, HEX, 17), "ownerId": c.account, "groupSet": {},
          "instancesSet": {"items": items}}
    return {"requestParameters": rp, "responseElements": re, "readOnly": False, "ec2": True}


def ec2_instance_state(name):
    def build(c):
        rng = c.rng
        ids = rng.sample(c.instances, rng.randint(1, 3))
        states = {"StartInstances": ("stopped", "pending"), "StopInstances": ("running", "stopping"),
                  "TerminateInstances": ("running", "shutting-down")}[name]
        return {"requestParameters": {"instancesSet": {"items": [{"instanceId": i} for i in ids]}, **({"force": False} if name == "StopInstances" else {})},
                "responseElements": {"requestId": uuid4(rng), "instancesSet": {"items": [
                    {"instanceId": i, "currentState": {"code": 0, "name": states[1]}, "previousState": {"code": 16, "name": states[0]}} for i in ids]}},
                "readOnly": False, "ec2": True}
    return build


def ec2_create_tags(c):
    rng = c.rng
    return {"requestParameters": {"resourcesSet": {"items": [{"resourceId": rng.choice(c.instances)}]},
                                  "tagSet": {"items": [{"key": k, "value": v} for k, v in rng.sample(
                                      [("Name", "web"), ("Owner", "platform"), ("CostCenter", "1234"), ("Environment", "prod"), ("Backup", "daily")], rng.randint(1, 4))]}},
            "responseElements": {"requestId": uuid4(rng), "_return": True}, "readOnly": False, "ec2": True}


def ec2_sg_ingress(name):
    def build(c):
        rng = c.rng
        sg = rng.choice(c.sgs)
        port = rng.choice([22, 443, 80, 5432, 3389, 8080, 6379])
        cidr = "0.0.0.0/0" if rng.random() < 0.25 else "10.%d.0.0/16" % rng.randint(0, 3)
        perms = {"items": [{"ipProtocol": "tcp", "fromPort": port, "toPort": port, "groups": {},
                            "ipRanges": {"items": [{"cidrIp": cidr, "description": rng.choice(["", "temp access", "office vpn"])}]},
                            "ipv6Ranges": {}, "prefixListIds": {}}]}
        re = {"requestId": uuid4(rng), "_return": True}
        if name == "AuthorizeSecurityGroupIngress":
            re["securityGroupRuleSet"] = {"items": [{"groupOwnerId": c.account, "groupId": sg, "securityGroupRuleId": "sgr-" + rstr(rng, HEX, 17),
                                                     "isEgress": False, "ipProtocol": "tcp", "fromPort": port, "toPort": port, "cidrIpv4": cidr}]}
        return {"requestParameters": {"groupId": sg, "ipPermissions": perms}, "responseElements": re, "readOnly": False, "ec2": True}
    return build


def ec2_create_sg(c):
    rng = c.rng
    name = "%s-%s" % (rng.choice(["web", "db", "lambda", "tmp"]), rstr(rng, HEX, 6))
    return {"requestParameters": {"groupName": name, "groupDescription": "Managed by Terraform", "vpcId": rng.choice(c.vpcs)},
            "responseElements": {"requestId": uuid4(rng), "_return": True, "groupId": "sg-" + rstr(rng, HEX, 17)}, "readOnly": False, "ec2": True}


def ec2_modify_snapshot(c):
    rng = c.rng
    public = rng.random() < 0.3
    add = {"items": [{"group": "all"}]} if public else {"items": [{"userId": EXTERNAL_ACCOUNT}]}
    return {"requestParameters": {"snapshotId": "snap-" + rstr(rng, HEX, 17), "createVolumePermission": {"add": add},
                                  "attributeType": "CREATE_VOLUME_PERMISSION"},
            "responseElements": {"requestId": uuid4(rng), "_return": True}, "readOnly": False, "ec2": True}


def ec2_modify_image(c):
    rng = c.rng
    return {"requestParameters": {"imageId": rng.choice(AMIS), "launchPermission": {"add": {"items": [{"group": "all"}]}}, "attributeType": "launchPermission"},
            "responseElements": {"requestId": uuid4(rng), "_return": True}, "readOnly": False, "ec2": True}


def ec2_delete_flow_logs(c):
    rng = c.rng
    return {"requestParameters": {"DeleteFlowLogsRequest": {"FlowLogId": {"tag": 1, "content": "fl-" + rstr(rng, HEX, 17)}}},
            "responseElements": {"DeleteFlowLogsResponse": {"xmlns": "http://ec2.amazonaws.com/doc/2016-11-15/", "requestId": uuid4(rng), "unsuccessful": ""}},
            "readOnly": False, "ec2": True}


def ec2_key_pair(c):
    rng = c.rng
    name = rng.choice(["bastion", "debug", "tmp-key", "admin"]) + "-" + rstr(rng, HEX, 4)
    return {"requestParameters": {"keyName": name, "keyType": "rsa", "keyFormat": "pem"},
            "responseElements": {"requestId": uuid4(rng), "keyName": name, "keyFingerprint": ":".join(rstr(rng, HEX, 2) for _ in range(20)),
                                 "keyPairId": "key-" + rstr(rng, HEX, 17), "keyMaterial": "<sensitiveDataRemoved>"}, "readOnly": False, "ec2": True}


def ec2_password_data(c):
    return {"requestParameters": {"instanceId": c.rng.choice(c.instances)}, "responseElements": None, "readOnly": True, "ec2": True}


def iam_read(name):
    def build(c):
        rng = c.rng
        if name in ("GetRole", "ListAttachedRolePolicies", "ListRolePolicies"):
            rp = {"roleName": rng.choice(APP_ROLES + HUMAN_ROLES)}
        elif name in ("GetUser", "ListAccessKeys", "ListAttachedUserPolicies", "ListMFADevices", "ListGroupsForUser"):
            rp = {"userName": rng.choice(IAM_USERS)}
        elif name in ("GetPolicy",):
            rp = {"policyArn": rng.choices(POLICIES_MANAGED, weights=POLICIES_WEIGHTS)[0]}
        elif name == "GetPolicyVersion":
            rp = {"policyArn": rng.choices(POLICIES_MANAGED, weights=POLICIES_WEIGHTS)[0], "versionId": "v%d" % rng.randint(1, 12)}
        elif name in ("ListRoles", "ListUsers", "ListPolicies"):
            rp = {"maxItems": 1000} if rng.random() < 0.5 else ({"marker": b64(rng, 200)} if rng.random() < 0.5 else None)
        else:
            rp = None
        return {"requestParameters": rp, "responseElements": None, "readOnly": True, "global": True, "profile": "mixed"}
    return build


def iam_write(name):
    def build(c):
        rng = c.rng
        user = rng.choice(IAM_USERS + ["svc-%s" % rstr(rng, "abcdefghijklmnopqrstuvwxyz", 5)])
        role = rng.choice(APP_ROLES + HUMAN_ROLES)
        re = None
        if name == "CreateUser":
            rp = {"userName": user, "tags": []}
            re = {"user": {"path": "/", "userName": user, "userId": "AIDA" + rstr(rng, ALNUM_UP, 17),
                           "arn": "arn:aws:iam::%s:user/%s" % (c.account, user), "createDate": "May 14, 2024, 1:02:03 AM"}}
        elif name == "CreateAccessKey":
            rp = {"userName": user}
            re = {"accessKey": {"userName": user, "accessKeyId": "AKIA" + rstr(rng, ALNUM_UP, 16), "status": "Active",
                                "createDate": "May 14, 2024, 1:02:03 AM"}}
        elif name in ("AttachUserPolicy", "DetachUserPolicy"):
            rp = {"userName": user, "policyArn": rng.choices(POLICIES_MANAGED, weights=POLICIES_WEIGHTS)[0]}
        elif name in ("AttachRolePolicy", "DetachRolePolicy"):
            rp = {"roleName": role, "policyArn": rng.choices(POLICIES_MANAGED, weights=POLICIES_WEIGHTS)[0]}
        elif name == "PutUserPolicy":
            rp = {"userName": user, "policyName": "inline-" + rstr(rng, HEX, 6), "policyDocument": json.dumps(policy_doc(c))}
        elif name == "PutRolePolicy":
            rp = {"roleName": role, "policyName": "inline-" + rstr(rng, HEX, 6), "policyDocument": json.dumps(policy_doc(c))}
        elif name == "CreatePolicyVersion":
            rp = {"policyArn": "arn:aws:iam::%s:policy/%s-policy" % (c.account, rng.choice(APP_ROLES)),
                  "policyDocument": json.dumps(policy_doc(c)), "setAsDefault": True}
            re = {"policyVersion": {"versionId": "v%d" % rng.randint(2, 5), "isDefaultVersion": True, "createDate": "May 14, 2024, 1:02:03 AM"}}
        elif name == "CreateRole":
            trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"} if rng.random() < 0.7 else {"AWS": "arn:aws:iam::%s:root" % EXTERNAL_ACCOUNT},
                                                             "Action": "sts:AssumeRole"}]}
            rname = "role-" + rstr(rng, HEX, 8)
            rp = {"roleName": rname, "assumeRolePolicyDocument": json.dumps(trust), "description": "created by terraform", "maxSessionDuration": 3600}
            re = {"role": {"path": "/", "roleName": rname, "roleId": "AROA" + rstr(rng, ALNUM_UP, 17),
                           "arn": "arn:aws:iam::%s:role/%s" % (c.account, rname), "createDate": "May 14, 2024, 1:02:03 AM",
                           "assumeRolePolicyDocument": trust}}
        elif name == "UpdateAssumeRolePolicy":
            trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::%s:root" % rng.choice([EXTERNAL_ACCOUNT, c.account])},
                                                             "Action": "sts:AssumeRole"}]}
            rp = {"roleName": role, "policyDocument": json.dumps(trust)}
        elif name in ("CreateLoginProfile", "UpdateLoginProfile"):
            rp = {"userName": user, "passwordResetRequired": rng.random() < 0.5}
        elif name == "DeactivateMFADevice":
            rp = {"userName": user, "serialNumber": "arn:aws:iam::%s:mfa/%s" % (c.account, user)}
        elif name == "AddUserToGroup":
            rp = {"groupName": rng.choice(["Admins", "Developers", "ReadOnly"]), "userName": user}
        elif name == "DeleteUser":
            rp = {"userName": user}
        else:
            rp = {"userName": user}
        return {"requestParameters": rp, "responseElements": re, "readOnly": False, "global": True, "profile": "human"}
    return build


def signin_console_login(c):
    rng = c.rng
    r = rng.random()
    fail = rng.random() < 0.08
    if r < 0.02:
        ui, _ = ident_root(c)
        ui.pop("accessKeyId", None)
    elif r < 0.55:
        ui, _ = ident_user(c)
        ui.pop("accessKeyId", None)
        ui.pop("sessionContext", None)
    else:
        ui, _ = ident_role(c, human=True)
    mfa = "Yes" if rng.random() < 0.75 else "No"
    add = {"LoginTo": "https://console.aws.amazon.com/console/home?hashArgs=%23&isauthcode=true&state=hashArgsFromTB_us-east-1_" + rstr(rng, HEX, 16),
           "MobileVersion": "No", "MFAUsed": mfa}
    if mfa == "Yes":
        add["MFAIdentifier"] = "arn:aws:iam::%s:mfa/%s" % (c.account, rng.choice(IAM_USERS))
    out = {"identity": ui, "requestParameters": None,
           "responseElements": {"ConsoleLogin": "Failure" if fail else "Success"},
           "additionalEventData": add, "readOnly": False, "eventType": "AwsConsoleSignIn", "global": True,
           "agent": rng.choice([UA_LIST[12], UA_LIST[13]]), "management": True}
    if fail:
        out["errorMessage"] = "Failed authentication"
    return out


def signin_switch_role(c):
    ui, _ = ident_role(c, human=True)
    return {"identity": ui, "requestParameters": None, "responseElements": {"SwitchRole": "Success"},
            "additionalEventData": {"SwitchFrom": ui["arn"], "RedirectTo": "https://console.aws.amazon.com/s3/home"},
            "readOnly": False, "eventType": "AwsConsoleSignIn", "global": True, "agent": UA_LIST[12]}


def cloudtrail_api(name):
    def build(c):
        rng = c.rng
        trail = "arn:aws:cloudtrail:us-east-1:%s:trail/%s" % (c.account, rng.choice(["org-trail", "management-events", "data-events"]))
        if name == "LookupEvents":
            rp = {"lookupAttributes": [{"attributeKey": "EventName", "attributeValue": rng.choice(["ConsoleLogin", "RunInstances", "DeleteBucket"])}],
                  "maxResults": 50} if rng.random() < 0.5 else {"startTime": "May 13, 2024, 12:00:00 AM", "endTime": "May 14, 2024, 12:00:00 AM"}
            return {"requestParameters": rp, "responseElements": None, "readOnly": True}
        if name == "DescribeTrails":
            return {"requestParameters": {"trailNameList": [], "includeShadowTrails": True}, "responseElements": None, "readOnly": True}
        if name == "GetTrailStatus":
            return {"requestParameters": {"name": trail}, "responseElements": None, "readOnly": True}
        if name in ("StopLogging", "DeleteTrail"):
            return {"requestParameters": {"name": trail}, "responseElements": None, "readOnly": False,
                    "resources": [{"accountId": c.account, "type": "AWS::CloudTrail::Trail", "ARN": trail}], "profile": "human"}
        if name == "UpdateTrail":
            return {"requestParameters": {"name": trail, "s3BucketName": "acme-cloudtrail-org", "isMultiRegionTrail": rng.random() < 0.8,
                                          "includeGlobalServiceEvents": True, "enableLogFileValidation": rng.random() < 0.7},
                    "responseElements": {"name": trail.rsplit("/", 1)[1], "s3BucketName": "acme-cloudtrail-org", "trailARN": trail,
                                         "logFileValidationEnabled": True, "isMultiRegionTrail": True, "includeGlobalServiceEvents": True,
                                         "isOrganizationTrail": True}, "readOnly": False, "profile": "human"}
        if name == "PutEventSelectors":
            return {"requestParameters": {"trailName": trail, "eventSelectors": [{"readWriteType": "WriteOnly", "includeManagementEvents": True,
                                                                                  "dataResources": [], "excludeManagementEventSources": []}]},
                    "responseElements": {"trailARN": trail, "eventSelectors": [{"readWriteType": "WriteOnly", "includeManagementEvents": True,
                                                                                "dataResources": [], "excludeManagementEventSources": []}]},
                    "readOnly": False, "profile": "human"}
        return nothing(c)
    return build


def lambda_api(name):
    def build(c):
        rng = c.rng
        fn = rng.choice(FUNCTIONS)
        arn = "arn:aws:lambda:%s:%s:function:%s" % (c.region, c.account, fn)
        if name == "Invoke":
            return {"requestParameters": {"functionName": arn, "invocationType": rng.choice(["RequestResponse", "Event"]), "logType": "None"},
                    "responseElements": None, "additionalEventData": {"functionVersion": arn + ":$LATEST"}, "readOnly": False, "data": True,
                    "resources": [{"accountId": c.account, "type": "AWS::Lambda::Function", "ARN": arn}], "profile": "svc"}
        if name == "GetFunction20150331v2":
            return {"requestParameters": {"functionName": fn}, "responseElements": None, "readOnly": True}
        if name == "ListFunctions20150331":
            return {"requestParameters": {"functionVersion": "ALL"} if rng.random() < 0.3 else None, "responseElements": None, "readOnly": True}
        env = {"variables": {"LOG_LEVEL": "info", "TABLE_NAME": rng.choice(TABLES), "BUCKET": rng.choice(BUCKETS)}}
        cfg = {"functionName": fn, "functionArn": arn, "runtime": rng.choice(["python3.12", "nodejs20.x", "java17"]),
               "role": "arn:aws:iam::%s:role/%s" % (c.account, rng.choice(APP_ROLES)), "handler": "app.handler",
               "codeSize": rng.randint(1000, 50_000_000), "description": "", "timeout": rng.choice([3, 30, 900]), "memorySize": rng.choice([128, 512, 1024]),
               "lastModified": "2024-05-14T00:00:00.000+0000", "codeSha256": b64(rng, 43) + "=", "version": "$LATEST",
               "environment": env, "tracingConfig": {"mode": "PassThrough"}, "revisionId": uuid4(rng), "state": "Active",
               "lastUpdateStatus": "InProgress", "packageType": "Zip", "architectures": ["x86_64"], "ephemeralStorage": {"size": 512},
               "snapStart": {"applyOn": "None", "optimizationStatus": "Off"}, "loggingConfig": {"logFormat": "Text", "logGroup": "/aws/lambda/" + fn}}
        if name == "UpdateFunctionConfiguration20150331v2":
            return {"requestParameters": {"functionName": fn, "environment": env, "timeout": cfg["timeout"]}, "responseElements": cfg, "readOnly": False}
        if name == "UpdateFunctionCode20150331v2":
            return {"requestParameters": {"functionName": fn, "publish": False, "dryRun": False, "s3Bucket": "acme-prod-assets", "s3Key": "lambda/%s/%s.zip" % (fn, rstr(rng, HEX, 12))},
                    "responseElements": cfg, "readOnly": False}
        if name == "CreateFunction20150331":
            return {"requestParameters": {"functionName": fn + "-" + rstr(rng, HEX, 4), "runtime": cfg["runtime"], "role": cfg["role"], "handler": "app.handler",
                                          "code": {"s3Bucket": "acme-prod-assets", "s3Key": "lambda/x.zip"}, "timeout": 30, "memorySize": 256,
                                          "publish": True, "environment": env},
                    "responseElements": cfg, "readOnly": False}
        if name == "AddPermission20150331v2":
            return {"requestParameters": {"functionName": fn, "statementId": "stmt-" + rstr(rng, HEX, 8), "action": "lambda:InvokeFunction",
                                          "principal": rng.choice(["s3.amazonaws.com", "apigateway.amazonaws.com", "*"]),
                                          "sourceArn": "arn:aws:s3:::%s" % rng.choice(BUCKETS)},
                    "responseElements": {"statement": json.dumps({"Sid": "stmt", "Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"},
                                                                  "Action": "lambda:InvokeFunction", "Resource": arn})}, "readOnly": False}
        return nothing(c)
    return build


def logs_api(name):
    def build(c):
        rng = c.rng
        lg = rng.choice(LOG_GROUPS)
        if name == "CreateLogStream":
            return {"requestParameters": {"logGroupName": lg, "logStreamName": "2024/05/14/[$LATEST]" + rstr(rng, HEX, 32)}, "responseElements": None,
                    "readOnly": False, "profile": "app"}
        if name in ("DescribeLogGroups", "DescribeLogStreams"):
            rp = {"logGroupNamePrefix": lg.rsplit("/", 1)[0]} if name == "DescribeLogGroups" else {"logGroupName": lg, "orderBy": "LastEventTime", "descending": True, "limit": 50}
            return {"requestParameters": rp, "responseElements": None, "readOnly": True}
        if name == "PutRetentionPolicy":
            return {"requestParameters": {"logGroupName": lg, "retentionInDays": rng.choice([1, 7, 30, 365])}, "responseElements": None, "readOnly": False}
        if name == "DeleteLogGroup":
            return {"requestParameters": {"logGroupName": lg}, "responseElements": None, "readOnly": False}
        return nothing(c)
    return build


def secrets_api(name):
    def build(c):
        rng = c.rng
        s = rng.choice(SECRETS)
        sid = "arn:aws:secretsmanager:%s:%s:secret:%s-%s" % (c.region, c.account, s, rstr(rng, ALNUM, 6)) if rng.random() < 0.5 else s
        if name == "ListSecrets":
            return {"requestParameters": {"maxResults": 100} if rng.random() < 0.5 else None, "responseElements": None, "readOnly": True}
        rp = {"secretId": sid}
        re = None
        if name == "PutSecretValue":
            rp["clientRequestToken"] = uuid4(rng)
            re = {"aRN": sid, "name": s, "versionId": rp["clientRequestToken"], "versionStages": ["AWSCURRENT"]}
        elif name == "GetSecretValue" and rng.random() < 0.3:
            rp["versionStage"] = "AWSCURRENT"
        return {"requestParameters": rp, "responseElements": re, "readOnly": name != "PutSecretValue" and name != "DeleteSecret",
                "resources": [{"accountId": c.account, "type": "AWS::SecretsManager::Secret", "ARN": sid}] if sid.startswith("arn") else None,
                "profile": "app"}
    return build


def ssm_api(name):
    def build(c):
        rng = c.rng
        if name == "GetParameter":
            rp = {"name": rng.choice(PARAMS), "withDecryption": rng.random() < 0.6}
        elif name == "GetParameters":
            rp = {"names": rng.sample(PARAMS, rng.randint(1, 4)), "withDecryption": True}
        elif name == "GetParametersByPath":
            rp = {"path": "/app/prod/", "recursive": True, "withDecryption": True}
        elif name == "DescribeInstanceInformation":
            rp = {"maxResults": 50} if rng.random() < 0.5 else None
        elif name == "StartSession":
            tgt = rng.choice(c.instances)
            return {"requestParameters": {"target": tgt}, "responseElements": {"sessionId": "%s-%s" % (rng.choice(SSO_USERS).split("@")[0], rstr(rng, HEX, 17)),
                                                                                "tokenValue": "Value hidden due to security reasons.",
                                                                                "streamUrl": "wss://ssmmessages.%s.amazonaws.com/v1/data-channel/%s?role=publish_subscribe" % (c.region, rstr(rng, HEX, 20))},
                    "readOnly": False, "profile": "human"}
        elif name == "SendCommand":
            return {"requestParameters": {"instanceIds": rng.sample(c.instances, rng.randint(1, 5)), "documentName": rng.choice(["AWS-RunShellScript", "AWS-RunPatchBaseline"]),
                                          "parameters": "HIDDEN_DUE_TO_SECURITY_REASONS", "interactive": False},
                    "responseElements": {"command": {"commandId": uuid4(rng), "documentName": "AWS-RunShellScript", "documentVersion": "$DEFAULT",
                                                     "comment": "", "expiresAfter": "May 14, 2024, 3:00:00 AM", "parameters": "HIDDEN_DUE_TO_SECURITY_REASONS",
                                                     "instanceIds": [], "targets": [], "requestedDateTime": "May 14, 2024, 1:00:00 AM", "status": "Pending",
                                                     "statusDetails": "Pending", "outputS3Region": c.region, "maxConcurrency": "50", "maxErrors": "0",
                                                     "targetCount": 1, "completedCount": 0, "errorCount": 0, "deliveryTimedOutCount": 0,
                                                     "serviceRole": "", "notificationConfig": {"notificationArn": "", "notificationEvents": [], "notificationType": ""},
                                                     "cloudWatchOutputConfig": {"cloudWatchLogGroupName": "", "cloudWatchOutputEnabled": False}, "timeoutSeconds": 3600,
                                                     "alarmConfiguration": {"ignorePollAlarmFailure": False, "alarms": []}, "triggeredAlarms": []}},
                    "readOnly": False, "profile": "human"}
        else:
            rp = None
        return {"requestParameters": rp, "responseElements": None, "readOnly": True, "profile": "app"}
    return build


def dynamodb_api(name):
    def build(c):
        rng = c.rng
        t = rng.choice(TABLES)
        arn = "arn:aws:dynamodb:%s:%s:table/%s" % (c.region, c.account, t)
        if name in ("GetItem", "PutItem", "Query", "UpdateItem"):
            rp = {"tableName": t, "key": {"pk": "HIDDEN_DUE_TO_SECURITY_REASONS"}, "consistentRead": rng.random() < 0.2}
            if name == "Query":
                rp = {"tableName": t, "keyConditionExpression": "#pk = :pk", "expressionAttributeNames": {"#pk": "pk"}, "limit": rng.choice([25, 100]),
                      "indexName": rng.choice(["gsi1", "byUser"]) if rng.random() < 0.3 else None}
            return {"requestParameters": rp, "responseElements": None, "readOnly": name in ("GetItem", "Query"), "data": True,
                    "resources": [{"accountId": c.account, "type": "AWS::DynamoDB::Table", "ARN": arn}], "profile": "app"}
        if name == "DescribeTable":
            return {"requestParameters": {"tableName": t}, "responseElements": None, "readOnly": True, "profile": "app"}
        return {"requestParameters": None, "responseElements": None, "readOnly": True}
    return build


def ecr_api(name):
    def build(c):
        rng = c.rng
        repo = rng.choice(["orders-api", "web", "ingest", "base/python"])
        if name == "GetAuthorizationToken":
            return {"requestParameters": {"registryIds": [c.account]} if rng.random() < 0.3 else None, "responseElements": None, "readOnly": True, "profile": "app"}
        if name == "BatchGetImage":
            return {"requestParameters": {"imageIds": [{"imageTag": rng.choice(["latest", "v1.4.2", "sha-" + rstr(rng, HEX, 7)])}], "registryId": c.account, "repositoryName": repo,
                                          "acceptedMediaTypes": ["application/vnd.docker.distribution.manifest.v1+json", "application/vnd.docker.distribution.manifest.v2+json",
                                                                 "application/vnd.oci.image.manifest.v1+json", "application/vnd.oci.image.index.v1+json"]},
                    "responseElements": None, "readOnly": True, "profile": "app",
                    "resources": [{"accountId": c.account, "ARN": "arn:aws:ecr:%s:%s:repository/%s" % (c.region, c.account, repo)}]}
        return {"requestParameters": {"registryId": c.account, "repositoryName": repo, "layerDigest": "sha256:" + rstr(rng, HEX, 64)},
                "responseElements": None, "readOnly": True, "profile": "app",
                "resources": [{"accountId": c.account, "ARN": "arn:aws:ecr:%s:%s:repository/%s" % (c.region, c.account, repo)}]}
    return build


def guardduty_api(name):
    def build(c):
        rng = c.rng
        det = rstr(rng, HEX, 32)
        if name == "GetFindings":
            return {"requestParameters": {"detectorId": det, "findingIds": [rstr(rng, HEX, 32) for _ in range(rng.randint(1, 10))]}, "responseElements": None, "readOnly": True}
        if name == "ListFindings":
            return {"requestParameters": {"detectorId": det, "findingCriteria": {"criterion": {"service.archived": {"eq": ["false"]}, "severity": {"gte": 4}}}, "maxResults": 50},
                    "responseElements": None, "readOnly": True}
        if name in ("DeleteDetector", "UpdateDetector"):
            rp = {"detectorId": det}
            if name == "UpdateDetector":
                rp["enable"] = rng.random() < 0.5
            return {"requestParameters": rp, "responseElements": None, "readOnly": False, "profile": "human"}
        if name == "CreateFilter":
            return {"requestParameters": {"detectorId": det, "name": "suppress-" + rstr(rng, HEX, 4), "action": "ARCHIVE", "rank": 1,
                                          "findingCriteria": {"criterion": {"type": {"eq": ["Recon:EC2/PortProbeUnprotectedPort"]}}}},
                    "responseElements": {"name": "suppress"}, "readOnly": False, "profile": "human"}
        return {"requestParameters": None, "responseElements": None, "readOnly": True}
    return build


def bedrock_api(name):
    def build(c):
        rng = c.rng
        model = rng.choice(MODELS)
        marn = "arn:aws:bedrock:%s::foundation-model/%s" % (c.region, model)
        if name in ("InvokeModel", "InvokeModelWithResponseStream", "Converse", "ConverseStream"):
            return {"requestParameters": {"modelId": model}, "responseElements": None,
                    "additionalEventData": {"inputTokenCount": rng.randint(10, 8000), "outputTokenCount": rng.randint(1, 2000)},
                    "resources": [{"accountId": c.account, "type": "AWS::Bedrock::Model", "ARN": marn}], "readOnly": True, "profile": "app",
                    "role": "bedrock-chatbot"}
        if name == "ListFoundationModels":
            return {"requestParameters": {"byOutputModality": "TEXT"} if rng.random() < 0.5 else None, "responseElements": None, "readOnly": True}
        if name == "GetModelInvocationLoggingConfiguration":
            return {"requestParameters": None, "responseElements": None, "readOnly": True}
        if name == "PutModelInvocationLoggingConfiguration":
            return {"requestParameters": {"loggingConfig": {"cloudWatchConfig": {"logGroupName": "/aws/bedrock/invocations", "roleArn": "arn:aws:iam::%s:role/bedrock-logging" % c.account,
                                                                                 "largeDataDeliveryS3Config": {"bucketName": "acme-logs-archive", "keyPrefix": "bedrock/"}},
                                                            "textDataDeliveryEnabled": rng.random() < 0.5, "imageDataDeliveryEnabled": False, "embeddingDataDeliveryEnabled": False}},
                    "responseElements": None, "readOnly": False, "profile": "human"}
        if name in ("DeleteModelInvocationLoggingConfiguration",):
            return {"requestParameters": None, "responseElements": None, "readOnly": False, "profile": "human"}
        if name == "CreateGuardrail":
            return {"requestParameters": {"name": "chatbot-guardrail", "description": "***", "blockedInputMessaging": "***", "blockedOutputsMessaging": "***",
                                          "contentPolicyConfig": {"filtersConfig": [{"type": t, "inputStrength": "HIGH", "outputStrength": "HIGH"} for t in ("SEXUAL", "VIOLENCE", "HATE", "INSULTS", "MISCONDUCT", "PROMPT_ATTACK")]},
                                          "clientRequestToken": uuid4(rng)},
                    "responseElements": {"guardrailId": rstr(rng, HEX, 12), "guardrailArn": "arn:aws:bedrock:%s:%s:guardrail/%s" % (c.region, c.account, rstr(rng, HEX, 12)), "version": "DRAFT", "createdAt": c.iso(0)},
                    "readOnly": False, "profile": "human"}
        if name == "DeleteGuardrail":
            return {"requestParameters": {"guardrailIdentifier": rstr(rng, HEX, 12)}, "responseElements": None, "readOnly": False, "profile": "human"}
        return {"requestParameters": None, "responseElements": None, "readOnly": True}
    return build


def bedrock_agent_api(name):
    def build(c):
        rng = c.rng
        kb = rstr(rng, ALNUM_UP, 10)
        if name == "Retrieve":
            return {"requestParameters": {"knowledgeBaseId": kb, "retrievalQuery": "***", "retrievalConfiguration": {"vectorSearchConfiguration": {"numberOfResults": 5}}},
                    "responseElements": None, "readOnly": True, "profile": "app", "role": "bedrock-chatbot"}
        if name == "InvokeAgent":
            return {"requestParameters": {"agentId": rstr(rng, ALNUM_UP, 10), "agentAliasId": "TSTALIASID", "sessionId": uuid4(rng), "inputText": "***"},
                    "responseElements": None, "readOnly": False, "profile": "app", "role": "bedrock-chatbot"}
        if name == "CreateKnowledgeBase":
            return {"requestParameters": {"name": "kb-" + rstr(rng, HEX, 6), "roleArn": "arn:aws:iam::%s:role/bedrock-kb" % c.account,
                                          "knowledgeBaseConfiguration": {"type": "VECTOR", "vectorKnowledgeBaseConfiguration": {"embeddingModelArn": "arn:aws:bedrock:%s::foundation-model/amazon.titan-embed-text-v2:0" % c.region}},
                                          "storageConfiguration": {"type": "OPENSEARCH_SERVERLESS", "opensearchServerlessConfiguration": {"collectionArn": "arn:aws:aoss:%s:%s:collection/%s" % (c.region, c.account, rstr(rng, HEX, 20)),
                                                                                                                                          "vectorIndexName": "bedrock-kb-index", "fieldMapping": {"vectorField": "v", "textField": "t", "metadataField": "m"}}}},
                    "responseElements": None, "readOnly": False, "profile": "human"}
        return {"requestParameters": None, "responseElements": None, "readOnly": True}
    return build


def cfn_api(name):
    def build(c):
        rng = c.rng
        st = rng.choice(STACKS)
        sid = "arn:aws:cloudformation:%s:%s:stack/%s/%s" % (c.region, c.account, st, uuid4(rng))
        if name == "DescribeStacks":
            return {"requestParameters": {"stackName": st} if rng.random() < 0.7 else None, "responseElements": None, "readOnly": True}
        params = [{"parameterKey": k, "parameterValue": v} for k, v in [("Environment", "prod"), ("VpcId", rng.choice(c.vpcs)), ("InstanceType", rng.choice(INSTANCE_TYPES)),
                                                                         ("DesiredCount", str(rng.randint(1, 10)))]]
        if name in ("CreateStack", "UpdateStack"):
            return {"requestParameters": {"stackName": st, "templateURL": "https://acme-prod-assets.s3.amazonaws.com/cfn/%s-%s.yaml" % (st, rstr(rng, HEX, 8)),
                                          "parameters": params, "capabilities": ["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"],
                                          "tags": [{"key": "Owner", "value": "platform"}], "clientRequestToken": uuid4(rng)},
                    "responseElements": {"stackId": sid}, "readOnly": False, "profile": "human"}
        return {"requestParameters": {"stackName": st}, "responseElements": None, "readOnly": False, "profile": "human"}
    return build


def org_api(name):
    def build(c):
        if name == "LeaveOrganization":
            return {"requestParameters": None, "responseElements": None, "readOnly": False, "profile": "human", "global": True}
        return {"requestParameters": {"maxResults": 20} if name == "ListAccounts" else None, "responseElements": None, "readOnly": True, "global": True}
    return build


def config_api(name):
    def build(c):
        if name == "StopConfigurationRecorder":
            return {"requestParameters": {"configurationRecorderName": "default"}, "responseElements": None, "readOnly": False, "profile": "human"}
        return {"requestParameters": {"configRuleNames": ["s3-bucket-public-read-prohibited"]} if c.rng.random() < 0.3 else None, "responseElements": None, "readOnly": True, "profile": "svc"}
    return build


def eks_api(name):
    def build(c):
        return {"requestParameters": {"name": c.rng.choice(CLUSTERS)} if name == "DescribeCluster" else None, "responseElements": None, "readOnly": True}
    return build


def sns_api(name):
    def build(c):
        rng = c.rng
        topic = "arn:aws:sns:%s:%s:%s" % (c.region, c.account, rng.choice(["alerts", "orders-events", "security-findings"]))
        if name == "Publish":
            return {"requestParameters": {"topicArn": topic, "message": "HIDDEN_DUE_TO_SECURITY_REASONS", "subject": "HIDDEN_DUE_TO_SECURITY_REASONS"},
                    "responseElements": {"messageId": uuid4(rng)}, "readOnly": False, "data": True, "profile": "app",
                    "resources": [{"accountId": c.account, "type": "AWS::SNS::Topic", "ARN": topic}]}
        return {"requestParameters": None, "responseElements": None, "readOnly": True}
    return build


def service_compact(c):
    """An AWS-service-invoked call with a short record (~350-600 B)."""
    return {"requestParameters": None, "responseElements": None, "readOnly": True, "profile": "svc", "compact": True}


# (eventSource, eventName, weight, builder)  -- weights are per 100,000 events
CATALOG = [
    # S3 data events
    ("s3.amazonaws.com", "GetObject", 15000, s3_object_event("GetObject")),
    ("s3.amazonaws.com", "PutObject", 6000, s3_object_event("PutObject")),
    ("s3.amazonaws.com", "HeadObject", 3000, s3_object_event("HeadObject")),
    ("s3.amazonaws.com", "ListObjects", 1500, s3_list_objects),
    ("s3.amazonaws.com", "ListObjectsV2", 2000, s3_list_objects),
    ("s3.amazonaws.com", "DeleteObject", 800, s3_object_event("DeleteObject")),
    ("s3.amazonaws.com", "CopyObject", 400, s3_object_event("CopyObject")),
    ("s3.amazonaws.com", "CreateMultipartUpload", 200, s3_object_event("CreateMultipartUpload")),
    ("s3.amazonaws.com", "UploadPart", 600, s3_object_event("UploadPart")),
    ("s3.amazonaws.com", "CompleteMultipartUpload", 200, s3_object_event("CompleteMultipartUpload")),
    ("s3.amazonaws.com", "GetObjectTagging", 300, s3_object_event("GetObjectTagging")),
    # S3 management
    ("s3.amazonaws.com", "GetBucketLocation", 1500, s3_bucket_mgmt("GetBucketLocation")),
    ("s3.amazonaws.com", "GetBucketAcl", 1000, s3_bucket_mgmt("GetBucketAcl")),
    ("s3.amazonaws.com", "GetBucketPolicy", 400, s3_bucket_mgmt("GetBucketPolicy")),
    ("s3.amazonaws.com", "GetBucketVersioning", 300, s3_bucket_mgmt("GetBucketVersioning")),
    ("s3.amazonaws.com", "GetBucketEncryption", 300, s3_bucket_mgmt("GetBucketEncryption")),
    ("s3.amazonaws.com", "GetBucketPublicAccessBlock", 200, s3_bucket_mgmt("GetBucketPublicAccessBlock")),
    ("s3.amazonaws.com", "ListBuckets", 400, s3_list_buckets),
    ("s3.amazonaws.com", "PutBucketPolicy", 15, s3_put_bucket_policy),
    ("s3.amazonaws.com", "PutBucketAcl", 8, s3_put_bucket_acl),
    ("s3.amazonaws.com", "DeleteBucketPolicy", 4, s3_bucket_mgmt("DeleteBucketPolicy")),
    ("s3.amazonaws.com", "PutBucketPublicAccessBlock", 8, s3_put_pab),
    ("s3.amazonaws.com", "PutBucketLogging", 4, s3_bucket_mgmt("PutBucketLogging")),
    ("s3.amazonaws.com", "CreateBucket", 8, s3_bucket_mgmt("CreateBucket")),
    ("s3.amazonaws.com", "DeleteBucket", 3, s3_bucket_mgmt("DeleteBucket")),
    # STS
    ("sts.amazonaws.com", "AssumeRole", 7000, sts_assume_role),
    ("sts.amazonaws.com", "GetCallerIdentity", 2500, nothing),
    ("sts.amazonaws.com", "AssumeRoleWithWebIdentity", 1000, sts_web_identity),
    ("sts.amazonaws.com", "AssumeRoleWithSAML", 200, sts_saml),
    ("sts.amazonaws.com", "GetSessionToken", 100, sts_session_token),
    # KMS
    ("kms.amazonaws.com", "Decrypt", 9000, kms_crypto("Decrypt")),
    ("kms.amazonaws.com", "GenerateDataKey", 4000, kms_crypto("GenerateDataKey")),
    ("kms.amazonaws.com", "Encrypt", 800, kms_crypto("Encrypt")),
    ("kms.amazonaws.com", "DescribeKey", 800, kms_mgmt("DescribeKey")),
    ("kms.amazonaws.com", "ListAliases", 200, kms_mgmt("ListAliases")),
    ("kms.amazonaws.com", "CreateKey", 5, kms_mgmt("CreateKey")),
    ("kms.amazonaws.com", "PutKeyPolicy", 3, kms_mgmt("PutKeyPolicy")),
    ("kms.amazonaws.com", "DisableKey", 3, kms_mgmt("DisableKey")),
    ("kms.amazonaws.com", "ScheduleKeyDeletion", 2, kms_mgmt("ScheduleKeyDeletion")),
    # EC2
    ("ec2.amazonaws.com", "DescribeInstances", 3000, ec2_describe("DescribeInstances")),
    ("ec2.amazonaws.com", "DescribeSecurityGroups", 1200, ec2_describe("DescribeSecurityGroups")),
    ("ec2.amazonaws.com", "DescribeVpcs", 600, ec2_describe("DescribeVpcs")),
    ("ec2.amazonaws.com", "DescribeSubnets", 800, ec2_describe("DescribeSubnets")),
    ("ec2.amazonaws.com", "DescribeVolumes", 600, ec2_describe("DescribeVolumes")),
    ("ec2.amazonaws.com", "DescribeNetworkInterfaces", 800, ec2_describe("DescribeNetworkInterfaces")),
    ("ec2.amazonaws.com", "DescribeImages", 400, ec2_describe("DescribeImages")),
    ("ec2.amazonaws.com", "DescribeSnapshots", 300, ec2_describe("DescribeSnapshots")),
    ("ec2.amazonaws.com", "DescribeRegions", 300, ec2_describe("DescribeRegions")),
    ("ec2.amazonaws.com", "DescribeTags", 300, ec2_describe("DescribeTags")),
    ("ec2.amazonaws.com", "RunInstances", 50, ec2_run_instances),
    ("ec2.amazonaws.com", "StartInstances", 30, ec2_instance_state("StartInstances")),
    ("ec2.amazonaws.com", "StopInstances", 30, ec2_instance_state("StopInstances")),
    ("ec2.amazonaws.com", "TerminateInstances", 30, ec2_instance_state("TerminateInstances")),
    ("ec2.amazonaws.com", "CreateTags", 200, ec2_create_tags),
    ("ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", 20, ec2_sg_ingress("AuthorizeSecurityGroupIngress")),
    ("ec2.amazonaws.com", "RevokeSecurityGroupIngress", 10, ec2_sg_ingress("RevokeSecurityGroupIngress")),
    ("ec2.amazonaws.com", "CreateSecurityGroup", 10, ec2_create_sg),
    ("ec2.amazonaws.com", "ModifySnapshotAttribute", 2, ec2_modify_snapshot),
    ("ec2.amazonaws.com", "ModifyImageAttribute", 1, ec2_modify_image),
    ("ec2.amazonaws.com", "DeleteFlowLogs", 1, ec2_delete_flow_logs),
    ("ec2.amazonaws.com", "CreateKeyPair", 3, ec2_key_pair),
    ("ec2.amazonaws.com", "GetPasswordData", 1, ec2_password_data),
    # IAM (global, us-east-1)
    ("iam.amazonaws.com", "GetRole", 600, iam_read("GetRole")),
    ("iam.amazonaws.com", "GetUser", 300, iam_read("GetUser")),
    ("iam.amazonaws.com", "ListRoles", 400, iam_read("ListRoles")),
    ("iam.amazonaws.com", "ListUsers", 200, iam_read("ListUsers")),
    ("iam.amazonaws.com", "ListAttachedRolePolicies", 400, iam_read("ListAttachedRolePolicies")),
    ("iam.amazonaws.com", "ListRolePolicies", 200, iam_read("ListRolePolicies")),
    ("iam.amazonaws.com", "GetPolicy", 300, iam_read("GetPolicy")),
    ("iam.amazonaws.com", "GetPolicyVersion", 300, iam_read("GetPolicyVersion")),
    ("iam.amazonaws.com", "ListAccessKeys", 150, iam_read("ListAccessKeys")),
    ("iam.amazonaws.com", "ListMFADevices", 60, iam_read("ListMFADevices")),
    ("iam.amazonaws.com", "GenerateCredentialReport", 20, iam_read("GenerateCredentialReport")),
    ("iam.amazonaws.com", "CreateUser", 3, iam_write("CreateUser")),
    ("iam.amazonaws.com", "CreateAccessKey", 5, iam_write("CreateAccessKey")),
    ("iam.amazonaws.com", "AttachUserPolicy", 3, iam_write("AttachUserPolicy")),
    ("iam.amazonaws.com", "AttachRolePolicy", 5, iam_write("AttachRolePolicy")),
    ("iam.amazonaws.com", "DetachRolePolicy", 2, iam_write("DetachRolePolicy")),
    ("iam.amazonaws.com", "PutUserPolicy", 1, iam_write("PutUserPolicy")),
    ("iam.amazonaws.com", "PutRolePolicy", 3, iam_write("PutRolePolicy")),
    ("iam.amazonaws.com", "CreatePolicyVersion", 2, iam_write("CreatePolicyVersion")),
    ("iam.amazonaws.com", "CreateRole", 5, iam_write("CreateRole")),
    ("iam.amazonaws.com", "UpdateAssumeRolePolicy", 2, iam_write("UpdateAssumeRolePolicy")),
    ("iam.amazonaws.com", "CreateLoginProfile", 1, iam_write("CreateLoginProfile")),
    ("iam.amazonaws.com", "UpdateLoginProfile", 1, iam_write("UpdateLoginProfile")),
    ("iam.amazonaws.com", "DeactivateMFADevice", 0.5, iam_write("DeactivateMFADevice")),
    ("iam.amazonaws.com", "AddUserToGroup", 2, iam_write("AddUserToGroup")),
    ("iam.amazonaws.com", "DeleteUser", 1, iam_write("DeleteUser")),
    # Console sign-in
    ("signin.amazonaws.com", "ConsoleLogin", 150, signin_console_login),
    ("signin.amazonaws.com", "SwitchRole", 20, signin_switch_role),
    # CloudTrail
    ("cloudtrail.amazonaws.com", "LookupEvents", 200, cloudtrail_api("LookupEvents")),
    ("cloudtrail.amazonaws.com", "DescribeTrails", 150, cloudtrail_api("DescribeTrails")),
    ("cloudtrail.amazonaws.com", "GetTrailStatus", 150, cloudtrail_api("GetTrailStatus")),
    ("cloudtrail.amazonaws.com", "UpdateTrail", 1, cloudtrail_api("UpdateTrail")),
    ("cloudtrail.amazonaws.com", "PutEventSelectors", 0.5, cloudtrail_api("PutEventSelectors")),
    ("cloudtrail.amazonaws.com", "StopLogging", 0.5, cloudtrail_api("StopLogging")),
    ("cloudtrail.amazonaws.com", "DeleteTrail", 0.3, cloudtrail_api("DeleteTrail")),
    # Lambda
    ("lambda.amazonaws.com", "Invoke", 2000, lambda_api("Invoke")),
    ("lambda.amazonaws.com", "GetFunction20150331v2", 300, lambda_api("GetFunction20150331v2")),
    ("lambda.amazonaws.com", "ListFunctions20150331", 200, lambda_api("ListFunctions20150331")),
    ("lambda.amazonaws.com", "UpdateFunctionCode20150331v2", 20, lambda_api("UpdateFunctionCode20150331v2")),
    ("lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", 10, lambda_api("UpdateFunctionConfiguration20150331v2")),
    ("lambda.amazonaws.com", "CreateFunction20150331", 5, lambda_api("CreateFunction20150331")),
    ("lambda.amazonaws.com", "AddPermission20150331v2", 3, lambda_api("AddPermission20150331v2")),
    # CloudWatch Logs
    ("logs.amazonaws.com", "CreateLogStream", 1500, logs_api("CreateLogStream")),
    ("logs.amazonaws.com", "DescribeLogGroups", 500, logs_api("DescribeLogGroups")),
    ("logs.amazonaws.com", "DescribeLogStreams", 400, logs_api("DescribeLogStreams")),
    ("logs.amazonaws.com", "PutRetentionPolicy", 10, logs_api("PutRetentionPolicy")),
    ("logs.amazonaws.com", "DeleteLogGroup", 2, logs_api("DeleteLogGroup")),
    # Secrets Manager / SSM
    ("secretsmanager.amazonaws.com", "GetSecretValue", 1200, secrets_api("GetSecretValue")),
    ("secretsmanager.amazonaws.com", "DescribeSecret", 200, secrets_api("DescribeSecret")),
    ("secretsmanager.amazonaws.com", "ListSecrets", 100, secrets_api("ListSecrets")),
    ("secretsmanager.amazonaws.com", "PutSecretValue", 10, secrets_api("PutSecretValue")),
    ("secretsmanager.amazonaws.com", "DeleteSecret", 1, secrets_api("DeleteSecret")),
    ("ssm.amazonaws.com", "GetParameter", 1500, ssm_api("GetParameter")),
    ("ssm.amazonaws.com", "GetParameters", 800, ssm_api("GetParameters")),
    ("ssm.amazonaws.com", "GetParametersByPath", 400, ssm_api("GetParametersByPath")),
    ("ssm.amazonaws.com", "DescribeInstanceInformation", 300, ssm_api("DescribeInstanceInformation")),
    ("ssm.amazonaws.com", "StartSession", 10, ssm_api("StartSession")),
    ("ssm.amazonaws.com", "SendCommand", 20, ssm_api("SendCommand")),
    # DynamoDB
    ("dynamodb.amazonaws.com", "GetItem", 1500, dynamodb_api("GetItem")),
    ("dynamodb.amazonaws.com", "Query", 1000, dynamodb_api("Query")),
    ("dynamodb.amazonaws.com", "PutItem", 800, dynamodb_api("PutItem")),
    ("dynamodb.amazonaws.com", "DescribeTable", 600, dynamodb_api("DescribeTable")),
    ("dynamodb.amazonaws.com", "ListTables", 200, dynamodb_api("ListTables")),
    # ECR
    ("ecr.amazonaws.com", "GetAuthorizationToken", 600, ecr_api("GetAuthorizationToken")),
    ("ecr.amazonaws.com", "BatchGetImage", 400, ecr_api("BatchGetImage")),
    ("ecr.amazonaws.com", "GetDownloadUrlForLayer", 800, ecr_api("GetDownloadUrlForLayer")),
    # GuardDuty / Config / EKS / Organizations / CloudFormation / SNS
    ("guardduty.amazonaws.com", "ListDetectors", 100, guardduty_api("ListDetectors")),
    ("guardduty.amazonaws.com", "GetFindings", 100, guardduty_api("GetFindings")),
    ("guardduty.amazonaws.com", "ListFindings", 100, guardduty_api("ListFindings")),
    ("guardduty.amazonaws.com", "UpdateDetector", 0.5, guardduty_api("UpdateDetector")),
    ("guardduty.amazonaws.com", "DeleteDetector", 0.2, guardduty_api("DeleteDetector")),
    ("guardduty.amazonaws.com", "CreateFilter", 0.5, guardduty_api("CreateFilter")),
    ("config.amazonaws.com", "DescribeConfigRules", 100, config_api("DescribeConfigRules")),
    ("config.amazonaws.com", "StopConfigurationRecorder", 0.3, config_api("StopConfigurationRecorder")),
    ("eks.amazonaws.com", "DescribeCluster", 300, eks_api("DescribeCluster")),
    ("eks.amazonaws.com", "ListClusters", 100, eks_api("ListClusters")),
    ("organizations.amazonaws.com", "DescribeOrganization", 100, org_api("DescribeOrganization")),
    ("organizations.amazonaws.com", "ListAccounts", 50, org_api("ListAccounts")),
    ("organizations.amazonaws.com", "LeaveOrganization", 0.05, org_api("LeaveOrganization")),
    ("cloudformation.amazonaws.com", "DescribeStacks", 400, cfn_api("DescribeStacks")),
    ("cloudformation.amazonaws.com", "CreateStack", 5, cfn_api("CreateStack")),
    ("cloudformation.amazonaws.com", "UpdateStack", 10, cfn_api("UpdateStack")),
    ("cloudformation.amazonaws.com", "DeleteStack", 3, cfn_api("DeleteStack")),
    ("sns.amazonaws.com", "Publish", 500, sns_api("Publish")),
    ("sns.amazonaws.com", "ListTopics", 50, sns_api("ListTopics")),
    # Bedrock
    ("bedrock.amazonaws.com", "InvokeModel", 400, bedrock_api("InvokeModel")),
    ("bedrock.amazonaws.com", "InvokeModelWithResponseStream", 150, bedrock_api("InvokeModelWithResponseStream")),
    ("bedrock.amazonaws.com", "Converse", 150, bedrock_api("Converse")),
    ("bedrock.amazonaws.com", "ListFoundationModels", 50, bedrock_api("ListFoundationModels")),
    ("bedrock.amazonaws.com", "GetModelInvocationLoggingConfiguration", 20, bedrock_api("GetModelInvocationLoggingConfiguration")),
    ("bedrock.amazonaws.com", "PutModelInvocationLoggingConfiguration", 0.5, bedrock_api("PutModelInvocationLoggingConfiguration")),
    ("bedrock.amazonaws.com", "DeleteModelInvocationLoggingConfiguration", 0.2, bedrock_api("DeleteModelInvocationLoggingConfiguration")),
    ("bedrock.amazonaws.com", "CreateGuardrail", 0.5, bedrock_api("CreateGuardrail")),
    ("bedrock.amazonaws.com", "DeleteGuardrail", 0.2, bedrock_api("DeleteGuardrail")),
    ("bedrock.amazonaws.com", "Retrieve", 50, bedrock_agent_api("Retrieve")),
    ("bedrock.amazonaws.com", "InvokeAgent", 30, bedrock_agent_api("InvokeAgent")),
    ("bedrock.amazonaws.com", "CreateKnowledgeBase", 1, bedrock_agent_api("CreateKnowledgeBase")),
    # short AWS-service-invoked records
    ("kms.amazonaws.com", "GenerateDataKeyWithoutPlaintext", 5000, service_compact),
    ("kms.amazonaws.com", "Decrypt", 15000, service_compact),
    ("kms.amazonaws.com", "GenerateDataKey", 6000, service_compact),
    ("sts.amazonaws.com", "AssumeRole", 6000, service_compact),
    ("logs.amazonaws.com", "CreateLogStream", 3000, service_compact),
    ("ec2.amazonaws.com", "DescribeInstanceStatus", 2000, service_compact),
    ("sts.amazonaws.com", "GetAccessKeyInfo", 3, nothing),
]

CAT_WEIGHTS = []
_acc = 0.0
for _e in CATALOG:
    _acc += _e[2]
    CAT_WEIGHTS.append(_acc)
del _acc, _e

ERRORS = {
    "s3.amazonaws.com": [("AccessDenied", "Access Denied", 6), ("NoSuchKey", "The specified key does not exist.", 3),
                         ("NoSuchBucketPolicy", "The bucket policy does not exist", 1)],
    "ec2.amazonaws.com": [("Client.UnauthorizedOperation", "You are not authorized to perform this operation.", 5),
                          ("Client.RequestLimitExceeded", "Request limit exceeded.", 2)],
    "kms.amazonaws.com": [("AccessDenied", None, 3), ("InvalidCiphertextException", None, 1)],
    "*": [("AccessDenied", None, 5), ("AccessDeniedException", None, 3), ("ThrottlingException", "Rate exceeded", 1),
          ("ResourceNotFoundException", "Resource not found", 1)],
}


def error_for(c, source, name, ui):
    rng = c.rng
    opts = ERRORS.get(source, ERRORS["*"])
    code, msg, _ = rng.choices(opts, weights=[o[2] for o in opts])[0]
    if msg is None:
        arn = ui.get("arn", "arn:aws:iam::%s:user/unknown" % c.account)
        svc = source.split(".")[0]
        msg = "User: %s is not authorized to perform: %s:%s on resource: arn:aws:%s:%s:%s:%s because no identity-based policy allows the %s:%s action" % (
            arn, svc, name, svc, c.region, c.account, rng.choice(["*", "key/" + rng.choice(c.kms_keys)]), svc, name)
    return code, msg


# --------------------------------------------------------------------------
# Record assembly
# --------------------------------------------------------------------------

def make_record(c, entry):
    source, name, _, build = entry
    rng = c.rng
    spec = build(c)
    profile = spec.get("profile")
    if profile is None:
        profile = "app" if spec.get("data") else "mixed"
    if "identity" in spec:
        ui = spec["identity"]
    elif spec.get("role"):
        ui, _ = ident_role(c, role=spec["role"])
    else:
        ui, _ = pick_identity(c, profile)
    c.tick()
    region = "us-east-1" if spec.get("global") else c.region
    if spec.get("compact"):
        svc = ui.get("invokedBy") or rng.choice(SERVICES_INVOKING)
        if rng.random() < 0.5:
            return {"eventVersion": "1.05", "userIdentity": {"type": "AWSService", "invokedBy": svc},
                    "eventTime": c.now, "eventSource": source, "eventName": name, "awsRegion": region,
                    "sourceIPAddress": svc, "userAgent": svc, "requestID": req_id(rng), "eventID": uuid4(rng),
                    "eventType": "AwsApiCall", "recipientAccountId": c.account}
        return {"eventVersion": "1.09", "userIdentity": {"type": "AWSService", "invokedBy": svc},
                "eventTime": c.now, "eventSource": source, "eventName": name, "awsRegion": region,
                "sourceIPAddress": svc, "userAgent": svc, "requestParameters": None, "responseElements": None,
                "requestID": uuid4(rng), "eventID": uuid4(rng), "readOnly": True, "eventType": "AwsApiCall",
                "managementEvent": True, "recipientAccountId": c.account, "eventCategory": "Management"}
    ip, via = source_ip(c, ui)
    if "agent" in spec:
        agent = spec["agent"]
    elif ui["type"] == "AWSService":
        agent = ui["invokedBy"]
    else:
        agent = rng.choices(UA_LIST, cum_weights=UA_CUM)[0]
    rp = spec.get("requestParameters")
    re = spec.get("responseElements")
    err = None
    if "errorMessage" in spec:
        err = (None, spec["errorMessage"])  # e.g. a failed ConsoleLogin: message only
    elif rng.random() < 0.025 or (ui.get("userName") == "mallory" and rng.random() < 0.5):
        err = error_for(c, source, name, ui)
        re = None
    rec = {"eventVersion": "1.10" if spec.get("data") else rng.choice(("1.08", "1.09", "1.09", "1.10")),
           "userIdentity": ui, "eventTime": c.now, "eventSource": source, "eventName": name,
           "awsRegion": region, "sourceIPAddress": ip, "userAgent": agent}
    if err is not None:
        if err[0] is not None:
            rec["errorCode"] = err[0]
        rec["errorMessage"] = err[1]
    rec["requestParameters"] = rp
    rec["responseElements"] = re
    if spec.get("additionalEventData") is not None:
        rec["additionalEventData"] = spec["additionalEventData"]
    rec["requestID"] = req_id(rng) if source == "s3.amazonaws.com" else uuid4(rng)
    rec["eventID"] = uuid4(rng)
    rec["readOnly"] = spec.get("readOnly", True)
    if spec.get("resources"):
        rec["resources"] = spec["resources"]
    rec["eventType"] = spec.get("eventType", "AwsApiCall")
    data = bool(spec.get("data"))
    rec["managementEvent"] = not data
    rec["recipientAccountId"] = c.account
    if spec.get("sharedEventID"):
        rec["sharedEventID"] = spec["sharedEventID"]
    if via == "vpce":
        rec["vpcEndpointId"] = c.vpce
        rec["vpcEndpointAccountId"] = c.account
    rec["eventCategory"] = "Data" if data else "Management"
    if ui["type"] != "AWSService" and rec["eventType"] == "AwsApiCall" and rng.random() < 0.65:
        tv, cs = CIPHERS[rng.randrange(3)] if rng.random() < 0.9 else CIPHERS[0]
        rec["tlsDetails"] = {"tlsVersion": tv, "cipherSuite": cs,
                             "clientProvidedHostHeader": spec.get("tls_host") or "%s.%s.amazonaws.com" % (source.split(".")[0], region)}
    if ui["type"] == "AWSService" and rng.random() < 0.5:
        rec["sharedEventID"] = uuid4(rng)
    if rec["eventType"] == "AwsConsoleSignIn":
        rec.pop("requestID", None)
        rec["readOnly"] = False
    return rec


UA_CUM = []
_a = 0.0
for _w in UA_WEIGHTS:
    _a += _w
    UA_CUM.append(_a)
del _a, _w


class FileCtx(Ctx):
    def __init__(self, rng, account, region, t0):
        super().__init__(rng, account, region, t0)
        self.now = ""
        self.tick()

    def tick(self):
        self.t += self.rng.random() * 0.06
        self.now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(self.t))

    def iso(self, delta):
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(self.t + delta))

    def epoch_ms(self):
        return int(self.t * 1000)


T0 = 1715644800  # 2024-05-14T00:00:00Z


def gen_file(task):
    """Generate delivery file `index` with `n` records; returns stats."""
    out_dir, seed, index, n = task
    rng = random.Random((seed << 32) ^ (index * 2654435761))
    account = rng.choices(ACCOUNTS, weights=ACCOUNT_WEIGHTS)[0]
    region = rng.choices(REGIONS, weights=REGION_WEIGHTS)[0]
    # Files are delivered every ~5 minutes per account/region: spread files over time.
    t0 = T0 + index * 37 + rng.random() * 30
    c = FileCtx(rng, account, region, t0)
    entries = rng.choices(CATALOG, cum_weights=CAT_WEIGHTS, k=n)
    records = [make_record(c, e) for e in entries]
    body = json.dumps({"Records": records}, separators=(",", ":")).encode()
    stamp = time.strftime("%Y%m%dT%H%MZ", time.gmtime(c.t))
    day = time.strftime("%Y/%m/%d", time.gmtime(c.t))
    rel = "AWSLogs/%s/CloudTrail/%s/%s/%s_CloudTrail_%s_%s_%s.json.gz" % (
        account, region, day, account, region, stamp, "%06d%s" % (index, rstr(rng, ALNUM, 10)))
    path = os.path.join(out_dir, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    gz = gzip.compress(body, compresslevel=6, mtime=0)
    with open(path, "wb") as f:
        f.write(gz)
    names = collections.Counter(e[1] for e in entries)
    return {"path": rel, "events": n, "bytes": len(body), "gz_bytes": len(gz), "names": names}


def plan_files(seed, start_index, events):
    """Deterministic list of (index, n_records) covering `events` events."""
    rng = random.Random(seed * 7919 + start_index)
    plan = []
    left = events
    i = start_index
    while left > 0:
        # Skewed: many mid-sized files, some small, some large (busy periods).
        r = rng.random()
        if r < 0.2:
            n = rng.randint(500, 1200)
        elif r < 0.85:
            n = rng.randint(1200, 3500)
        else:
            n = rng.randint(3500, 5000)
        n = min(n, left)
        plan.append((i, n))
        left -= n
        i += 1
    # Fold a tiny tail into the previous file when it stays within 5000 records.
    if len(plan) > 1 and plan[-1][1] < 500 and plan[-2][1] + plan[-1][1] <= 5000:
        last = plan.pop()
        plan[-1] = (plan[-1][0], plan[-1][1] + last[1])
    return plan


def generator_sha256():
    with open(os.path.abspath(__file__), "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--events", type=int, default=None,
                    help="number of events (default %d, and then at least --min-bytes of JSON)" % DEFAULT_EVENTS)
    ap.add_argument("--min-bytes", type=int, default=None,
                    help="keep adding files until at least this many uncompressed bytes "
                         "(default 1 GiB when --events is not given, else 0)")
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus"),
                    help="output directory (default bench/corpus)")
    ap.add_argument("--seed", type=int, default=20240514)
    ap.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args(argv)

    events = DEFAULT_EVENTS if args.events is None else args.events
    min_bytes = args.min_bytes if args.min_bytes is not None else (GIB if args.events is None else 0)
    if events <= 0:
        ap.error("--events must be positive")

    out = os.path.abspath(args.out)
    os.makedirs(out, exist_ok=True)
    # Only ever remove what this script writes.
    shutil.rmtree(os.path.join(out, "AWSLogs"), ignore_errors=True)
    try:
        os.remove(os.path.join(out, "MANIFEST.json"))
    except FileNotFoundError:
        pass

    started = time.time()
    totals = {"files": 0, "events": 0, "bytes": 0, "gz_bytes": 0}
    names = collections.Counter()
    rec_sizes = []

    def run(plan):
        tasks = [(out, args.seed, i, n) for i, n in plan]
        if args.jobs > 1:
            with mp.Pool(args.jobs) as pool:
                results = pool.imap_unordered(gen_file, tasks, chunksize=1)
                consume(results)
        else:
            consume(map(gen_file, tasks))

    def consume(results):
        for r in results:
            totals["files"] += 1
            totals["events"] += r["events"]
            totals["bytes"] += r["bytes"]
            totals["gz_bytes"] += r["gz_bytes"]
            names.update(r["names"])
            if not args.quiet and totals["files"] % 50 == 0:
                print("\r  %d files, %d events, %.0f MB ..." % (totals["files"], totals["events"], totals["bytes"] / 1e6),
                      end="", file=sys.stderr, flush=True)

    plan = plan_files(args.seed, 0, events)
    run(plan)
    next_index = plan[-1][0] + 1
    while totals["bytes"] < min_bytes:
        avg = totals["bytes"] / totals["events"]
        more = int((min_bytes - totals["bytes"]) / avg * 1.01) + 500
        extra = plan_files(args.seed, next_index, more)
        run(extra)
        next_index = extra[-1][0] + 1
    if not args.quiet:
        print("", file=sys.stderr)
    elapsed = time.time() - started

    manifest = {
        "generator": "bench/gen_corpus.py",
        "generator_sha256": generator_sha256(),
        "seed": args.seed,
        "requested_events": args.events if args.events is not None else DEFAULT_EVENTS,
        "min_bytes": min_bytes,
        "data_dir": "AWSLogs",
        "files": totals["files"],
        "events": totals["events"],
        "uncompressed_bytes": totals["bytes"],
        "compressed_bytes": totals["gz_bytes"],
        "avg_event_bytes": round(totals["bytes"] / totals["events"], 1),
        "distinct_event_names": len(names),
        "generation_seconds": round(elapsed, 1),
        "event_names": dict(sorted(names.items(), key=lambda kv: (-kv[1], kv[0]))),
    }
    with open(os.path.join(out, "MANIFEST.json"), "w") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")
    print("files=%d events=%d uncompressed_bytes=%d (%.1f MB) compressed_bytes=%d (%.1f MB) "
          "avg_event_bytes=%.0f distinct_event_names=%d seconds=%.1f out=%s" % (
              totals["files"], totals["events"], totals["bytes"], totals["bytes"] / 1e6,
              totals["gz_bytes"], totals["gz_bytes"] / 1e6, totals["bytes"] / totals["events"],
              len(names), elapsed, out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
