"""A SaaS cloud-security-posture scanner enumerating all three accounts every six hours.

The vendor's workers assume ``examplecorp-cspm-readonly`` (SecurityAudit + ViewOnlyAccess)
from the vendor's own AWS account with an ExternalId — so every scan starts with an
``AssumeRole`` whose caller is another AWS account — and then make a few hundred
Describe/List/Get calls across services and regions, including reads detections often
watch (EC2 user data, Lambda configuration, snapshot attributes, bucket policies, Bedrock
logging configuration, the credential report). Some reads fail: key policies that do not
delegate to IAM, buckets with an explicit deny, resources that have no policy.
"""
from __future__ import annotations

import datetime as dt

from . import common as c
from .common import DEV, ML, PROD, Role, at, ct, g, trunc

READS = [
    ("iam", "GetAccountSummary"), ("iam", "GetAccountPasswordPolicy"), ("iam", "GenerateCredentialReport"),
    ("iam", "GetCredentialReport"), ("iam", "ListUsers"), ("iam", "ListRoles"), ("iam", "ListPolicies"),
    ("iam", "ListAccessKeys"), ("iam", "ListMFADevices"), ("iam", "GetAccountAuthorizationDetails"),
    ("iam", "ListServerCertificates"), ("iam", "ListVirtualMFADevices"), ("iam", "ListSAMLProviders"),
    ("iam", "ListOpenIDConnectProviders"),
    ("ec2", "DescribeInstances"), ("ec2", "DescribeSecurityGroups"), ("ec2", "DescribeVpcs"),
    ("ec2", "DescribeSnapshots"), ("ec2", "DescribeImages"), ("ec2", "DescribeVolumes"),
    ("ec2", "DescribeFlowLogs"), ("ec2", "DescribeNetworkAcls"), ("ec2", "GetEbsEncryptionByDefault"),
    ("ec2", "DescribeRegions"), ("ec2", "DescribeKeyPairs"), ("ec2", "DescribeLaunchTemplates"),
    ("s3", "ListBuckets"), ("s3", "GetBucketPolicy"), ("s3", "GetBucketAcl"), ("s3", "GetBucketVersioning"),
    ("s3", "GetBucketEncryption"), ("s3", "GetBucketLogging"), ("s3", "GetBucketPublicAccessBlock"),
    ("cloudtrail", "DescribeTrails"), ("cloudtrail", "GetTrailStatus"), ("cloudtrail", "GetEventSelectors"),
    ("config", "DescribeConfigurationRecorders"), ("config", "DescribeConfigurationRecorderStatus"),
    ("guardduty", "ListDetectors"), ("guardduty", "GetDetector"), ("securityhub", "DescribeHub"),
    ("kms", "ListKeys"), ("kms", "DescribeKey"), ("kms", "GetKeyRotationStatus"), ("kms", "GetKeyPolicy"),
    ("lambda", "ListFunctions20150331"), ("lambda", "GetFunctionConfiguration20150331v2"),
    ("lambda", "GetPolicy20150331v2"), ("rds", "DescribeDBInstances"), ("rds", "DescribeDBSnapshots"),
    ("rds", "DescribeDBClusters"), ("secretsmanager", "ListSecrets"), ("ssm", "DescribeParameters"),
    ("logs", "DescribeLogGroups"), ("logs", "DescribeMetricFilters"), ("sns", "ListTopics"),
    ("sqs", "ListQueues"), ("ecr", "DescribeRepositories"), ("ecs", "ListClusters"), ("eks", "ListClusters"),
    ("elasticloadbalancing", "DescribeLoadBalancers"), ("acm", "ListCertificates"),
    ("cloudfront", "ListDistributions"), ("route53", "ListHostedZones"), ("organizations", "DescribeOrganization"),
    ("access-analyzer", "ListAnalyzers"), ("bedrock", "GetModelInvocationLoggingConfiguration"),
    ("bedrock", "ListGuardrails"), ("sagemaker", "ListNotebookInstances"), ("backup", "ListBackupVaults"),
]
REGIONS = ["us-east-1", "us-west-2", "eu-central-1", "eu-west-1", "ap-northeast-1"]
GLOBAL = ("iam", "s3", "cloudfront", "route53", "organizations")


def build(cx: c.Ctx) -> None:
    ids = cx.ids("bg_scanner")
    rng = ids.rng
    for acct in (PROD, DEV, ML):
        role = Role(ids, acct, "examplecorp-cspm-readonly", ttl=1,
                    session_fn=lambda i: f"cspm-scan-{i.hex(12)}")
        for day in (1, 2):
            for h in (0, 6, 12, 18):
                start = trunc(at(day, h, rng.randint(3, 40), rng.randint(0, 59)))
                _scan(cx, ids, acct, role, start)


def _creds(ids, t, role: Role, sess: str) -> dict:
    resp = g.sts_credentials(ids, t, role.sts_arn(sess), role.role_id, sess)
    resp["credentials"]["accessKeyId"] = role.session(t)[1]
    return resp


def _scan(cx, ids, acct, role: Role, t) -> None:
    rng = ids.rng
    ip = rng.choice(c.CSPM_IPS)
    sess, _, _ = role.session(t)
    caller = {"type": "AWSAccount", "principalId": f"AROAVENDOR7CSPM2WORKR:{ids.hex(8)}",
              "accountId": c.CSPM_VENDOR_ACCOUNT}
    cx.add_ct(ct(ids, t, "sts.amazonaws.com", "AssumeRole", caller, account=acct, ip=ip, ua=c.UA_PROWLER,
                 read_only=True, req={"roleArn": role.arn, "roleSessionName": sess,
                                      "externalId": "cspm-ext-5b1d9f0e2a", "durationSeconds": 3600},
                 resp=_creds(ids, t, role, sess),
                 resources=[{"accountId": acct, "type": "AWS::IAM::Role", "ARN": role.arn}], shared_event_id=True))
    ident = role.ident(t)
    arn = ident["arn"]
    instances = [f"i-0{ids.hex(16)}" for _ in range(3)]
    for _ in range(rng.randint(160, 260)):
        t = trunc(t + dt.timedelta(milliseconds=rng.randint(40, 1600)))
        svc, name = rng.choice(READS)
        region = "us-east-1" if svc in GLOBAL else rng.choice(REGIONS)
        error, req, resp = None, None, None
        if svc == "s3" and name != "ListBuckets":
            bucket = rng.choice(["examplecorp-app-data", "examplecorp-deploy-artifacts", "examplecorp-logs",
                                 "examplecorp-tfstate", "examplecorp-datalake-raw"]) + "-" + c.ACCOUNT_NAMES[acct]
            if name == "GetBucketPolicy" and rng.random() < 0.5:
                error = ("NoSuchBucketPolicy", "The bucket policy does not exist")
            elif bucket.endswith(("tfstate-dev", "tfstate-prod")) and rng.random() < 0.5:
                error = ("AccessDenied", "Access Denied")
            cx.add_ct(c.s3_bucket(ids, t, name, ident, bucket, account=acct, ip=ip, ua=c.UA_PROWLER, read_only=True,
                                  extra_req={name[9:].lower() or "policy": ""}, error=error))
            continue
        if name == "GetKeyPolicy" and rng.random() < 0.4:
            key = f"arn:aws:kms:{region}:{acct}:key/{ids.uuid()}"
            error = ("AccessDeniedException", c.denied_msg(arn, "kms:GetKeyPolicy", key)
                     .replace("because no identity-based policy allows", "because no resource-based policy allows"))
            req = {"keyId": key, "policyName": "default"}
        elif name == "GetAccountPasswordPolicy":
            error = ("NoSuchEntityException",
                     f"The Password Policy with domain name {acct} cannot be found.")
        elif name == "GetPolicy20150331v2" and rng.random() < 0.7:
            error = ("ResourceNotFoundException", "The resource you requested does not exist.")
        elif svc == "organizations":
            error = ("AccessDeniedException", "You don't have permissions to access this resource.")
        elif name == "DescribeInstances":
            req = {"instancesSet": {}, "filterSet": {}, "maxResults": 1000}
        cx.add_ct(ct(ids, t, f"{svc}.amazonaws.com", name, ident, account=acct, ip=ip, ua=c.UA_PROWLER,
                     region=region, read_only=True, req=req, resp=resp, error=error))
        if name == "DescribeInstances" and rng.random() < 0.6:
            for inst in instances:   # secrets-in-user-data check
                for attr in ("userData", "disableApiTermination"):
                    t = trunc(t + dt.timedelta(milliseconds=rng.randint(40, 300)))
                    cx.add_ct(ct(ids, t, "ec2.amazonaws.com", "DescribeInstanceAttribute", ident, account=acct,
                                 ip=ip, ua=c.UA_PROWLER, region=region, read_only=True,
                                 req={"instanceId": inst, "attribute": attr}))
        if name == "DescribeSnapshots" and rng.random() < 0.5:
            t = trunc(t + dt.timedelta(milliseconds=rng.randint(40, 300)))
            cx.add_ct(ct(ids, t, "ec2.amazonaws.com", "DescribeSnapshotAttribute", ident, account=acct, ip=ip,
                         ua=c.UA_PROWLER, region=region, read_only=True,
                         req={"snapshotId": "snap-0" + ids.hex(16), "attribute": "createVolumePermission"}))
