"""People in the AWS console (IAM Identity Center sessions) in all three accounts.

Each person signs in through Okta -> IAM Identity Center (ConsoleLogin of an
``AWSReservedSSO_*`` role, which CloudTrail reports with ``MFAUsed: No`` because MFA happened
at the IdP), browses (Describe/List/Get), and now and then changes something. A few
ordinary AccessDenied errors come from read-only people clicking on pages they lack.
The benign writes below are deliberate near misses for detections.
"""
from __future__ import annotations

import datetime as dt
import json

from . import common as c
from .common import DEV, ML, PROD, at, ct, g, trunc
from .people import HOURS, PEOPLE, PERMSETS, SITES

READS = {
    "common": [("ec2", "DescribeInstances"), ("ec2", "DescribeSecurityGroups"), ("ec2", "DescribeVpcs"),
               ("ec2", "DescribeSubnets"), ("ec2", "DescribeVolumes"), ("monitoring", "DescribeAlarms"),
               ("monitoring", "GetMetricData"), ("logs", "DescribeLogGroups"), ("logs", "FilterLogEvents"),
               ("logs", "GetLogEvents"), ("lambda", "ListFunctions20150331"), ("lambda", "GetFunction20150331v2"),
               ("cloudformation", "DescribeStacks"), ("cloudformation", "ListStacks"),
               ("cloudformation", "DescribeStackEvents"), ("ecs", "ListClusters"), ("ecs", "DescribeServices"),
               ("ecs", "ListTasks"), ("ecs", "DescribeTasks"), ("rds", "DescribeDBInstances"),
               ("s3", "ListBuckets"), ("iam", "ListRoles"), ("iam", "GetRole"), ("health", "DescribeEventAggregates"),
               ("elasticloadbalancing", "DescribeLoadBalancers"), ("elasticloadbalancing", "DescribeTargetHealth"),
               ("sqs", "ListQueues"), ("dynamodb", "ListTables"), ("dynamodb", "DescribeTable"),
               ("cloudtrail", "LookupEvents"), ("servicecatalog-appregistry", "ListApplications"),
               ("notifications", "ListNotificationHubs"), ("ssm", "DescribeInstanceInformation")],
    "security": [("guardduty", "ListDetectors"), ("guardduty", "ListFindings"), ("guardduty", "GetFindings"),
                 ("guardduty", "GetFindingsStatistics"), ("cloudtrail", "DescribeTrails"),
                 ("cloudtrail", "GetTrailStatus"), ("config", "DescribeConfigurationRecorderStatus"),
                 ("securityhub", "GetFindings"), ("access-analyzer", "ListFindings"),
                 ("iam", "GetAccountSummary"), ("iam", "ListUsers"), ("iam", "GetCredentialReport")],
    "ml": [("sagemaker", "ListNotebookInstances"), ("sagemaker", "DescribeNotebookInstance"),
           ("sagemaker", "ListTrainingJobs"), ("sagemaker", "DescribeTrainingJob"),
           ("bedrock", "ListFoundationModels"), ("bedrock", "GetFoundationModelAvailability"),
           ("bedrock", "ListGuardrails"), ("bedrock", "ListInferenceProfiles"),
           ("glue", "GetJobRuns"), ("glue", "GetTables"), ("athena", "ListWorkGroups"),
           ("athena", "GetQueryExecution"), ("s3", "ListBuckets")],
    "billing": [("ce", "GetCostAndUsage"), ("ce", "GetCostForecast"), ("budgets", "DescribeBudgets"),
                ("billingconductor", "ListBillingGroups"), ("cur", "DescribeReportDefinitions")],
}
GLOBAL = ("iam", "health", "ce", "budgets", "billingconductor", "cur")


ROLE_IDS: dict[tuple, str] = {}   # one role id per permission-set role and account


class Session:
    def __init__(self, cx, ids, acct, permset_key, person, start, region):
        self.cx, self.ids, self.acct = cx, ids, acct
        self.login, self.site = person[1], SITES[person[3]]
        self.ip = self.site["ip"]
        self.ua = c.UA_CHROME_MAC if person[3] in ("berlin", "remote3") else c.UA_EDGE_WIN
        self.permset = PERMSETS[acct][permset_key]
        self.role_id = ROLE_IDS.setdefault((acct, self.permset), ids.principal("AROA"))
        self.region = region
        self.start = start
        self.ident = c.sso_ident(acct, self.permset, self.login, self.role_id, ids.access_key("ASIA"), start)
        cx.add_ct(c.console_login(ids, start, c.sso_ident(acct, self.permset, self.login, self.role_id, "", start),
                                  account=acct, ip=self.ip, ua=self.ua, mfa_used=False))

    def call(self, t, svc, name, *, req=None, resp=None, ro=True, error=None, region=None):
        if svc == "s3" and name != "ListBuckets":
            bucket = (req or {}).get("bucketName", "examplecorp-app-data")
            return self.cx.add_ct(c.s3_bucket(self.ids, t, name, self.ident, bucket, account=self.acct,
                                              ip=self.ip, ua=c.UA_S3_CONSOLE, read_only=ro, console=True,
                                              extra_req={k: v for k, v in (req or {}).items() if k != "bucketName"},
                                              resp=resp, error=error))
        reg = "us-east-1" if svc in GLOBAL else (region or self.region)
        ua = c.UA_CONSOLE if self.ids.rng.random() < 0.6 else self.ua
        return self.cx.add_ct(ct(self.ids, t, f"{svc}.amazonaws.com", name, self.ident, account=self.acct,
                                 ip=self.ip, ua=ua, region=reg, req=req, resp=resp, read_only=ro,
                                 console=True, error=error))

    def browse(self, end, n, kinds=("common",), deny_rate=0.0, deny_pool=()):
        rng = self.ids.rng
        pool = [r for k in kinds for r in READS[k]]
        for t in c.spread(rng, self.start + dt.timedelta(seconds=20), end, n):
            if deny_pool and rng.random() < deny_rate:
                svc, name, action = rng.choice(deny_pool)
                self.call(t, svc, name, error=("AccessDenied" if svc != "ec2" else "Client.UnauthorizedOperation",
                                               c.denied_msg(self.ident["arn"], action)))
                continue
            svc, name = rng.choice(pool)
            self.call(t, svc, name, region=self.region if rng.random() < 0.8 else "us-west-2")


READONLY_DENIES = [("ce", "GetCostAndUsage", "ce:GetCostAndUsage"),
                   ("secretsmanager", "GetSecretValue", "secretsmanager:GetSecretValue"),
                   ("kms", "Decrypt", "kms:Decrypt"), ("iam", "GetAccountAuthorizationDetails",
                                                       "iam:GetAccountAuthorizationDetails")]
POWER_DENIES = [("iam", "CreateRole", "iam:CreateRole"), ("iam", "ListUsers", "iam:ListUsers"),
                ("organizations", "DescribeOrganization", "organizations:DescribeOrganization")]


def build(cx: c.Ctx) -> None:
    ids = cx.ids("bg_people")
    rng = ids.rng
    sessions: dict[tuple, Session] = {}
    for day in (1, 2):
        for person in PEOPLE:
            login, site, access = person[1], person[3], person[4]
            h0, h1 = HOURS[site]
            for acct, key in access.items():
                daily = key in ("Admin", "Power", "DataScientist", "Security") or rng.random() < 0.5
                if not daily:
                    continue
                start = trunc(at(day, h0 + rng.randint(0, 2), rng.randint(0, 59), rng.randint(0, 59)))
                end = min(start + dt.timedelta(hours=rng.uniform(1.5, 6)), at(day, h1, 59))
                region = "eu-central-1" if acct == PROD and site == "berlin" and rng.random() < 0.4 else "us-east-1"
                s = Session(cx, ids, acct, key, person, start, region)
                sessions[(day, login, acct)] = s
                kinds = {"Security": ("common", "security"), "DataScientist": ("ml",), "Billing": ("billing",)}.get(
                    key, ("common", "ml") if acct == ML else ("common",))
                denies = READONLY_DENIES if key in ("ReadOnly", "Security", "DataScientist") else POWER_DENIES
                s.browse(end, rng.randint(25, 90), kinds, deny_rate=0.02 if key != "Admin" else 0,
                         deny_pool=denies if key not in ("Admin", "Billing") else ())
    _benign_writes(cx, ids, sessions)


def _benign_writes(cx, ids, S) -> None:
    rng = ids.rng

    def when(s: Session, minutes: int) -> dt.datetime:
        return trunc(s.start + dt.timedelta(minutes=minutes, seconds=rng.randint(0, 59)))

    # prod, day 1: platform admin opens HTTPS on the new public ALB's security group
    s = S[(1, "anna.schmidt@example.com", PROD)]
    t = when(s, 35)
    s.call(t, "ec2", "CreateSecurityGroup", ro=False,
           req={"groupName": "alb-public-checkout", "groupDescription": "public ALB for checkout",
                "vpcId": "vpc-0prod1234abcd5678"}, resp={"_return": True, "groupId": "sg-0c4e6a8b0d2f4a6c8"})
    s.call(t + dt.timedelta(seconds=41), "ec2", "AuthorizeSecurityGroupIngress", ro=False,
           req={"groupId": "sg-0c4e6a8b0d2f4a6c8", "ipPermissions": {"items": [
               {"ipProtocol": "tcp", "fromPort": 443, "toPort": 443, "groups": {},
                "ipRanges": {"items": [{"cidrIp": "0.0.0.0/0", "description": "public HTTPS"}]},
                "ipv6Ranges": {"items": [{"cidrIpv6": "::/0", "description": "public HTTPS"}]},
                "prefixListIds": {}}]}},
           resp={"_return": True, "securityGroupRuleSet": {"items": [
               {"groupOwnerId": c.PROD, "groupId": "sg-0c4e6a8b0d2f4a6c8", "securityGroupRuleId": "sgr-0a9b8c7d6e5f40312",
                "isEgress": False, "ipProtocol": "tcp", "fromPort": 443, "toPort": 443, "cidrIpv4": "0.0.0.0/0"}]}})
    s.call(t + dt.timedelta(minutes=3), "monitoring", "PutMetricAlarm", ro=False,
           req={"alarmName": "checkout-alb-5xx", "metricName": "HTTPCode_ELB_5XX_Count", "namespace": "AWS/ApplicationELB",
                "statistic": "Sum", "period": 300, "evaluationPeriods": 3, "threshold": 20.0,
                "comparisonOperator": "GreaterThanThreshold",
                "alarmActions": [f"arn:aws:sns:us-east-1:{c.PROD}:ops-alerts"]})
    # prod, day 2: admin onboards the reporting vendor: role trusting their account with ExternalId
    s = S[(2, "anna.schmidt@example.com", PROD)]
    t = when(s, 50)
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {
        "AWS": "arn:aws:iam::555566667777:root"}, "Action": "sts:AssumeRole",
        "Condition": {"StringEquals": {"sts:ExternalId": "exc-7f3a9c1e-reporting"}}}]}
    s.call(t, "iam", "CreateRole", ro=False,
           req={"roleName": "vendor-cost-reporting", "assumeRolePolicyDocument": json.dumps(trust),
                "description": "Cost reporting SaaS (ticket OPS-2291)", "maxSessionDuration": 3600},
           resp={"role": {"path": "/", "roleName": "vendor-cost-reporting", "roleId": ids.principal("AROA"),
                          "arn": f"arn:aws:iam::{c.PROD}:role/vendor-cost-reporting",
                          "createDate": g.aws_legacy_date(t), "assumeRolePolicyDocument": json.dumps(trust)}})
    s.call(t + dt.timedelta(seconds=52), "iam", "AttachRolePolicy", ro=False,
           req={"roleName": "vendor-cost-reporting",
                "policyArn": "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"})
    # prod, day 1: SRE fixes log rotation on the web tier with Run Command from the console
    s = S[(1, "jonas.weber@example.com", PROD)]
    t = when(s, 70)
    from .bg_prod import FLEET
    web = [i for i, n, _ in FLEET if n == "web"][:6]
    s.call(t, "ssm", "SendCommand", ro=False,
           req={"instanceIds": web, "documentName": "AWS-RunShellScript",
                "parameters": "HIDDEN_DUE_TO_SECURITY_REASONS", "comment": "OPS-2274 fix logrotate for nginx",
                "timeoutSeconds": 600, "maxConcurrency": "50", "maxErrors": "0", "interactive": False},
           resp={"command": {"commandId": ids.uuid(), "documentName": "AWS-RunShellScript",
                             "instanceIds": web, "status": "Pending", "targetCount": len(web)}})
    for k in range(3):
        s.call(t + dt.timedelta(seconds=20 + 15 * k), "ssm", "ListCommandInvocations")
    # prod, day 2: SRE opens a Session Manager shell on a web host, reboots a replica
    s = S[(2, "jonas.weber@example.com", PROD)]
    t = when(s, 25)
    s.call(t, "ssm", "StartSession", ro=False, req={"target": web[2]},
           resp={"sessionId": f"jonas.weber@example.com-{ids.hex(17)}",
                 "streamUrl": "wss://ssmmessages.us-east-1.amazonaws.com/v1/data-channel/...", "tokenValue": "Value hidden due to security reasons."})
    # prod, day 1: on-call SRE (NYC) reads the DB secret in the console during an incident
    s = S[(1, "david.chen@example.com", PROD)]
    t = when(s, 40)
    s.call(t, "secretsmanager", "DescribeSecret",
           req={"secretId": f"arn:aws:secretsmanager:us-east-1:{c.PROD}:secret:prod/app-api/db-credentials-Qx7TzA"})
    s.call(t + dt.timedelta(seconds=12), "secretsmanager", "GetSecretValue",
           req={"secretId": f"arn:aws:secretsmanager:us-east-1:{c.PROD}:secret:prod/app-api/db-credentials-Qx7TzA"})
    s.call(t + dt.timedelta(minutes=9), "rds", "RebootDBInstance", ro=False,
           req={"dBInstanceIdentifier": "orders-prod-replica-1", "forceFailover": False})
    # dev: developers launch and clean up their own test instances, make buckets
    for day, login in ((1, "lena.fischer@example.com"), (2, "lena.fischer@example.com"),
                       (1, "tom.becker@example.com"), (2, "emily.johnson@example.com")):
        s = S[(day, login, DEV)]
        t = when(s, 15)
        iids = [f"i-0{ids.hex(16)}" for _ in range(2)]
        s.call(t, "ec2", "RunInstances", ro=False,
               req={"instancesSet": {"items": [{"imageId": "ami-0abcdef1234567890", "minCount": 2, "maxCount": 2}]},
                    "instanceType": "t3.medium", "subnetId": "subnet-0dev1a2b3c4d5e6f7",
                    "iamInstanceProfile": {"name": "dev-ec2-ssm-profile"},
                    "tagSpecificationSet": {"items": [{"resourceType": "instance", "tags": [
                        {"key": "owner", "value": login}, {"key": "ttl", "value": "24h"}]}]}},
               resp={"instancesSet": {"items": [{"instanceId": i, "instanceType": "t3.medium"} for i in iids]}})
        s.call(t + dt.timedelta(hours=1, minutes=rng.randint(0, 50)), "ec2", "TerminateInstances", ro=False,
               req={"instancesSet": {"items": [{"instanceId": i} for i in iids]}})
    s = S[(1, "marco.rossi@example.com", DEV)]
    t = when(s, 30)
    s.call(t, "s3", "CreateBucket", ro=False, req={"bucketName": "examplecorp-marco-scratch-dev",
                                                   "x-amz-acl": "private"})
    s.call(t + dt.timedelta(seconds=30), "s3", "PutBucketVersioning", ro=False,
           req={"bucketName": "examplecorp-marco-scratch-dev",
                "VersioningConfiguration": {"Status": "Enabled", "xmlns": "http://s3.amazonaws.com/doc/2006-03-01/"},
                "versioning": ""})
    s.call(t + dt.timedelta(minutes=12), "lambda", "UpdateFunctionCode20150331v2", ro=False,
           req={"functionName": "marco-webhook-test", "zipFile": "<sensitiveDataRemoved>", "publish": False})
    s = S[(2, "marco.rossi@example.com", DEV)]
    t = when(s, 60)
    # cleaning up a scratch bucket he no longer needs (versioning off, empty it, delete it)
    s.call(t, "s3", "PutBucketVersioning", ro=False,
           req={"bucketName": "examplecorp-marco-scratch-dev",
                "VersioningConfiguration": {"Status": "Suspended", "xmlns": "http://s3.amazonaws.com/doc/2006-03-01/"},
                "versioning": ""})
    for k in range(2):
        cx.add_ct(c.s3_bucket(ids, t + dt.timedelta(seconds=40 + k * 3), "DeleteObjects", s.ident,
                              "examplecorp-marco-scratch-dev", account=DEV, ip=s.ip, ua=c.UA_S3_CONSOLE,
                              extra_req={"delete": ""}, console=True, data=True))
    s.call(t + dt.timedelta(seconds=70), "s3", "DeleteBucket", ro=False,
           req={"bucketName": "examplecorp-marco-scratch-dev"})
    # ml, day 1: the ML engineer tightens the app's guardrail
    s = S[(1, "ravi.patel@example.com", ML)]
    t = when(s, 45)
    s.call(t, "bedrock", "UpdateGuardrail", ro=False,
           req={"guardrailIdentifier": "gr-7h2k9m4x1q3z", "name": "support-rag-guardrail",
                "blockedInputMessaging": "Sorry, I can't help with that.",
                "contentPolicyConfig": {"filtersConfig": [{"type": "PROMPT_ATTACK", "inputStrength": "HIGH",
                                                           "outputStrength": "NONE"}]}})
    # dev, day 1: security engineer checks logging configuration everywhere (reads)
    for acct in (PROD, DEV, ML):
        s = S.get((1, "sarah.miller@example.com", acct))
        if s:
            t = when(s, 20)
            s.call(t, "cloudtrail", "GetEventSelectors", req={"trailName": "org-trail"})
            s.call(t + dt.timedelta(seconds=5), "bedrock" if acct == ML else "config",
                   "GetModelInvocationLoggingConfiguration" if acct == ML else "DescribeConfigurationRecorders")
