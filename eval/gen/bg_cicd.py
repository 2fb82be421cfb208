"""CI/CD background: GitHub Actions deploying to prod and dev through OIDC.

Each run: ``AssumeRoleWithWebIdentity`` from a GitHub-hosted runner (a different cloud
address almost every run), ``GetCallerIdentity``, ECR login and image push, artifacts to S3,
CloudFormation change set create/describe/execute, CloudFormation's own calls made with the
deploy role's credentials (``invokedBy: cloudformation.amazonaws.com``: Lambda
UpdateFunctionCode, ECS RegisterTaskDefinition with the task role it passes, an occasional
new execution role with CreateRole + AttachRolePolicy + PutRolePolicy), stack-event polling.
Some services are deployed directly (``aws lambda update-function-code``,
``aws ecs update-service --force-new-deployment``). In dev a nightly Terraform plan reads
everything.
"""
from __future__ import annotations

import datetime as dt
import json

from . import common as c
from .common import DEV, PROD, Role, at, ct, g, s3_object, trunc

REPOS = {PROD: ["example-corp/app-api", "example-corp/app-worker", "example-corp/order-reconciler",
                "example-corp/web-frontend"],
         DEV: ["example-corp/app-api", "example-corp/app-worker", "example-corp/order-reconciler",
               "example-corp/web-frontend", "example-corp/ml-gateway", "example-corp/platform-tools"]}
STACK = {"example-corp/app-api": "app-api", "example-corp/app-worker": "app-worker",
         "example-corp/order-reconciler": "order-reconciler", "example-corp/web-frontend": "web-frontend",
         "example-corp/ml-gateway": "ml-gateway", "example-corp/platform-tools": "platform-tools"}
# (day, hour, minute) of deploy runs; dev gets many more
RUNS = {PROD: [(1, 9, 12), (1, 13, 40), (1, 15, 5), (1, 19, 22), (2, 8, 47), (2, 14, 3), (2, 17, 31)],
        DEV: [(d, h, m) for d in (1, 2) for h, m in ((7, 5), (8, 31), (9, 58), (11, 14), (12, 40),
                                                     (13, 22), (14, 51), (15, 36), (16, 9), (17, 48),
                                                     (19, 2), (20, 15))]}


ROLES: dict[str, Role] = {}   # account -> deploy role, shared with the stories


def build(cx: c.Ctx) -> None:
    ids = cx.ids("bg_cicd")
    for acct in (PROD, DEV):
        env = "prod" if acct == PROD else "dev"
        role = Role(ids, acct, "github-actions-deploy", session="GitHubActions", ttl=0.25)
        ROLES[acct] = role
        provider = f"arn:aws:iam::{acct}:oidc-provider/token.actions.githubusercontent.com"
        for n, (day, h, m) in enumerate(RUNS[acct]):
            repo = REPOS[acct][(n * 7 + day) % len(REPOS[acct])]
            _deploy(cx, ids, acct, env, role, provider, repo, at(day, h, m, ids.rng.randint(0, 59)), n)
        if acct == DEV:
            for day in (1, 2):
                _terraform_plan(cx, ids, acct, role, provider, at(day, 1, 30, ids.rng.randint(0, 59)))
            # pull-request preview environments: created on push, torn down when the PR merges
            for day, (h, m), pr in ((1, (10, 12), 4812), (1, (15, 47), 4815), (2, (9, 3), 4809), (2, (16, 20), 4821)):
                _preview_env(cx, ids, acct, role, provider, at(day, h, m, ids.rng.randint(0, 59)), pr,
                             teardown=(day, h, m) in ((1, 15, 47), (2, 16, 20)) or pr == 4809)


def assume(cx, ids, acct, role: Role, provider: str, repo: str, t, ip, ref="refs/heads/main", sub=None):
    sub = sub or f"repo:{repo}:ref:{ref}"
    sess, key, _ = role.session(t)
    resp = g.sts_credentials(ids, t, role.sts_arn(sess), role.role_id, sess)
    resp["credentials"]["accessKeyId"] = key
    resp.update({"subjectFromWebIdentityToken": sub, "provider": provider,
                 "audience": "sts.amazonaws.com"})
    ident = {"type": "WebIdentityUser", "principalId": f"{provider}:sts.amazonaws.com:{sub}",
             "userName": sub, "identityProvider": provider}
    cx.add_ct(ct(ids, t, "sts.amazonaws.com", "AssumeRoleWithWebIdentity", ident, account=acct, ip=ip,
                 ua=c.UA_GH_ACTION, read_only=True,
                 req={"roleArn": role.arn, "roleSessionName": "GitHubActions", "durationSeconds": 3600},
                 resp=resp, resources=[{"accountId": acct, "type": "AWS::IAM::Role", "ARN": role.arn}],
                 shared_event_id=False))


def _deploy(cx, ids, acct, env, role: Role, provider, repo, t, n) -> None:
    rng = ids.rng
    ip = rng.choice(c.GH_RUNNER_POOL)
    stack = STACK[repo]
    sha = ids.hex(40)
    region = "us-east-1"
    assume(cx, ids, acct, role, provider, repo, t, ip)
    base = c.web_identity_session(role, t, provider)   # one session for the whole run
    ident = lambda tt: base
    clock = [t]

    def step(source, name, cmd, *, req=None, resp=None, ro=False, gap=(1, 5), error=None):
        clock[0] = trunc(clock[0] + dt.timedelta(seconds=rng.uniform(*gap)))
        return cx.add_ct(ct(ids, clock[0], source, name, ident(clock[0]), account=acct, ip=ip,
                            ua=c.UA_CLI.format(cmd=cmd).replace("os/linux#6.8.0-1017-azure", "os/linux#6.5.0-1025-azure"),
                            region=region, req=req, resp=resp, read_only=ro, error=error))

    step("sts.amazonaws.com", "GetCallerIdentity", "sts.get-caller-identity", ro=True)
    registry = f"{acct}.dkr.ecr.{region}.amazonaws.com"
    if stack not in ("order-reconciler", "web-frontend"):
        step("ecr.amazonaws.com", "GetAuthorizationToken", "ecr.get-login-password", ro=True,
             req={"registryIds": [acct]})
        clock[0] += dt.timedelta(seconds=rng.randint(60, 200))   # docker build
        step("ecr.amazonaws.com", "BatchCheckLayerAvailability", "ecr.docker-push", ro=True,
             req={"repositoryName": stack, "registryId": acct,
                  "layerDigests": [f"sha256:{ids.hex(64)}" for _ in range(4)]})
        for _ in range(rng.randint(1, 3)):
            up = ids.uuid()
            step("ecr.amazonaws.com", "InitiateLayerUpload", "ecr.docker-push",
                 req={"repositoryName": stack, "registryId": acct},
                 resp={"uploadId": up, "partSize": 20971520})
            for _ in range(rng.randint(1, 3)):
                step("ecr.amazonaws.com", "UploadLayerPart", "ecr.docker-push",
                     req={"repositoryName": stack, "registryId": acct, "uploadId": up,
                          "partFirstByte": 0, "partLastByte": rng.randint(10_000, 20_971_519)})
            step("ecr.amazonaws.com", "CompleteLayerUpload", "ecr.docker-push",
                 req={"repositoryName": stack, "registryId": acct, "uploadId": up,
                      "layerDigests": [f"sha256:{ids.hex(64)}"]})
        step("ecr.amazonaws.com", "PutImage", "ecr.docker-push",
             req={"repositoryName": stack, "registryId": acct, "imageTag": sha[:12],
                  "imageManifestMediaType": "application/vnd.docker.distribution.manifest.v2+json"},
             resp={"image": {"registryId": acct, "repositoryName": stack,
                             "imageId": {"imageDigest": f"sha256:{ids.hex(64)}", "imageTag": sha[:12]}}})
    bucket = f"examplecorp-deploy-artifacts-{env}"
    for obj in ("template.yaml", "package.zip"):
        clock[0] = trunc(clock[0] + dt.timedelta(seconds=rng.uniform(1, 6)))
        cx.add_ct(s3_object(ids, clock[0], "PutObject", ident(clock[0]), bucket, f"{stack}/{sha}/{obj}",
                            account=acct, ip=ip, ua=c.UA_CLI.format(cmd="s3.cp"),
                            size=rng.randint(3_000, 30_000_000)))
    stack_arn = f"arn:aws:cloudformation:{region}:{acct}:stack/{stack}/{ids.uuid()}"
    cs_name = f"deploy-{sha[:12]}"
    cs = f"arn:aws:cloudformation:{region}:{acct}:changeSet/{cs_name}/{ids.uuid()}"
    step("cloudformation.amazonaws.com", "CreateChangeSet", "cloudformation.deploy",
         req={"stackName": stack, "templateURL": f"https://{bucket}.s3.amazonaws.com/{stack}/{sha}/template.yaml",
              "capabilities": ["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"], "changeSetName": cs_name,
              "changeSetType": "UPDATE",
              "parameters": [{"parameterKey": "ImageTag", "parameterValue": sha[:12]},
                             {"parameterKey": "Environment", "parameterValue": env}]},
         resp={"id": cs, "stackId": stack_arn})
    for _ in range(rng.randint(2, 4)):
        step("cloudformation.amazonaws.com", "DescribeChangeSet", "cloudformation.deploy", ro=True,
             req={"changeSetName": cs, "stackName": stack}, gap=(2, 6))
    step("cloudformation.amazonaws.com", "ExecuteChangeSet", "cloudformation.deploy",
         req={"changeSetName": cs, "stackName": stack})
    # CloudFormation acting with the deploy role's credentials
    t_cfn = clock[0]
    cfn_base = dict(base, invokedBy="cloudformation.amazonaws.com")
    cfn_ident = lambda tt: cfn_base
    calls = []
    if stack in ("order-reconciler", "platform-tools", "ml-gateway"):
        fn = f"arn:aws:lambda:{region}:{acct}:function:{stack}"
        calls += [("lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
                   {"functionName": fn, "s3Bucket": bucket, "s3Key": f"{stack}/{sha}/package.zip",
                    "publish": False}),
                  ("lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
                   {"functionName": fn, "role": f"arn:aws:iam::{acct}:role/{stack}-exec",
                    "memorySize": 512, "timeout": 60, "environment": {}}),
                  ("lambda.amazonaws.com", "GetFunction20150331v2", {"functionName": fn})]
    elif stack == "web-frontend":
        calls += [("s3.amazonaws.com", "PutBucketWebsite", {"bucketName": f"examplecorp-web-{env}",
                                                            "website": ""}),
                  ("cloudfront.amazonaws.com", "UpdateDistribution", {"id": "E2QWRUHAPOMQZL"})]
    else:
        calls += [("ecs.amazonaws.com", "RegisterTaskDefinition",
                   {"family": f"{stack}-{env}", "taskRoleArn": f"arn:aws:iam::{acct}:role/{stack}-role",
                    "executionRoleArn": f"arn:aws:iam::{acct}:role/ecsTaskExecutionRole",
                    "networkMode": "awsvpc", "requiresCompatibilities": ["FARGATE"], "cpu": "1024",
                    "memory": "2048",
                    "containerDefinitions": [{"name": stack, "image": f"{registry}/{stack}:{sha[:12]}",
                                              "essential": True}]}),
                  ("ecs.amazonaws.com", "UpdateService",
                   {"cluster": env, "service": stack, "taskDefinition": f"{stack}-{env}",
                    "forceNewDeployment": False}),
                  ("ecs.amazonaws.com", "DescribeServices", {"cluster": env, "services": [stack]})]
    if n % 3 == 1:   # the change adds a policy to the service role (IAM via CloudFormation)
        calls += [("iam.amazonaws.com", "GetRole", {"roleName": f"{stack}-role"}),
                  ("iam.amazonaws.com", "PutRolePolicy",
                   {"roleName": f"{stack}-role", "policyName": f"{stack}-queue-access",
                    "policyDocument": json.dumps({"Version": "2012-10-17", "Statement": [
                        {"Effect": "Allow", "Action": ["sqs:SendMessage", "sqs:ReceiveMessage",
                                                       "sqs:DeleteMessage"],
                         "Resource": f"arn:aws:sqs:{region}:{acct}:{stack}-*"}]})})]
    if n % 5 == 2:   # a new scheduled function with its own execution role
        newrole = f"{stack}-cleanup-exec"
        calls += [("iam.amazonaws.com", "CreateRole",
                   {"roleName": newrole, "path": "/", "assumeRolePolicyDocument": json.dumps(
                       {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {
                           "Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}),
                    "tags": [{"key": "aws:cloudformation:stack-name", "value": stack}]}),
                  ("iam.amazonaws.com", "AttachRolePolicy",
                   {"roleName": newrole,
                    "policyArn": "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"}),
                  ("lambda.amazonaws.com", "CreateFunction20150331",
                   {"functionName": f"{stack}-cleanup", "runtime": "python3.12",
                    "role": f"arn:aws:iam::{acct}:role/{newrole}", "handler": "app.handler",
                    "code": {"s3Bucket": bucket, "s3Key": f"{stack}/{sha}/package.zip"}}),
                  ("events.amazonaws.com", "PutRule",
                   {"name": f"{stack}-cleanup-nightly", "scheduleExpression": "cron(30 2 * * ? *)",
                    "state": "ENABLED"})]
    for source, name, req in calls:
        t_cfn = trunc(t_cfn + dt.timedelta(seconds=rng.uniform(2, 20)))
        cx.add_ct(ct(ids, t_cfn, source, name, cfn_ident(t_cfn), account=acct,
                     ip="cloudformation.amazonaws.com", ua="cloudformation.amazonaws.com", region=region,
                     req=req, read_only=name.startswith(("Get", "Describe"))))
    for _ in range(rng.randint(4, 9)):
        step("cloudformation.amazonaws.com", "DescribeStackEvents", "cloudformation.deploy", ro=True,
             req={"stackName": stack}, gap=(5, 15))
    step("cloudformation.amazonaws.com", "DescribeStacks", "cloudformation.deploy", ro=True,
         req={"stackName": stack})
    # a few services are rolled directly, outside CloudFormation
    if stack == "order-reconciler":
        fn = f"{stack}-backfill"
        step("lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "lambda.update-function-code",
             req={"functionName": fn, "s3Bucket": bucket, "s3Key": f"{stack}/{sha}/package.zip",
                  "publish": True},
             resp={"functionName": fn, "functionArn": f"arn:aws:lambda:{region}:{acct}:function:{fn}",
                   "runtime": "python3.12", "version": str(40 + n), "codeSha256": ids.chars(43, c.ALNUM) + "="})
    if stack == "app-worker":
        step("ecs.amazonaws.com", "UpdateService", "ecs.update-service",
             req={"cluster": env, "service": "app-worker-scheduler", "forceNewDeployment": True})


def _terraform_plan(cx, ids, acct, role: Role, provider, t) -> None:
    """Nightly drift check: terraform plan refreshes every managed resource (reads only)."""
    rng = ids.rng
    ip = rng.choice(c.GH_RUNNER_POOL)
    assume(cx, ids, acct, role, provider, "example-corp/infrastructure", t, ip)
    reads = [("ec2", "DescribeVpcs"), ("ec2", "DescribeSubnets"), ("ec2", "DescribeSecurityGroups"),
             ("ec2", "DescribeRouteTables"), ("ec2", "DescribeInstances"), ("ec2", "DescribeLaunchTemplates"),
             ("iam", "GetRole"), ("iam", "ListRolePolicies"), ("iam", "ListAttachedRolePolicies"),
             ("iam", "GetPolicy"), ("iam", "GetPolicyVersion"), ("iam", "GetOpenIDConnectProvider"),
             ("s3", "GetBucketPolicy"), ("s3", "GetBucketVersioning"), ("s3", "GetBucketEncryption"),
             ("s3", "GetBucketTagging"), ("s3", "GetBucketLogging"), ("rds", "DescribeDBInstances"),
             ("ecs", "DescribeClusters"), ("ecs", "DescribeServices"), ("lambda", "GetFunction20150331v2"),
             ("kms", "DescribeKey"), ("kms", "GetKeyPolicy"), ("logs", "DescribeLogGroups"),
             ("sns", "GetTopicAttributes"), ("sqs", "GetQueueAttributes"), ("route53", "ListResourceRecordSets"),
             ("elasticloadbalancing", "DescribeLoadBalancers"), ("elasticloadbalancing", "DescribeTargetGroups")]
    for _ in range(rng.randint(140, 200)):
        svc, name = rng.choice(reads)
        t = trunc(t + dt.timedelta(milliseconds=rng.randint(30, 900)))
        region = "us-east-1" if svc in ("iam", "route53") or rng.random() < 0.7 else "us-west-2"
        src = f"{svc}.amazonaws.com"
        if svc == "s3":
            cx.add_ct(c.s3_bucket(ids, t, name, c.web_identity_session(role, t, provider),
                                  rng.choice(["examplecorp-app-data-dev", "examplecorp-deploy-artifacts-dev",
                                              "examplecorp-tfstate-dev"]), account=acct, ip=ip,
                                  ua=c.UA_TERRAFORM.format(api="s3#1.67.0"), read_only=True,
                                  extra_req={name[9:].lower(): ""}))
            continue
        cx.add_ct(ct(ids, t, src, name, c.web_identity_session(role, t, provider), account=acct, ip=ip,
                     ua=c.UA_TERRAFORM.format(api=f"{svc}#1.50.0"), region=region, read_only=True))


def _preview_env(cx, ids, acct, role: Role, provider, t, pr: int, teardown: bool) -> None:
    """A per-pull-request stack (function, log group, key, bucket, role) created or deleted by CloudFormation."""
    rng = ids.rng
    ip = rng.choice(c.GH_RUNNER_POOL)
    region = "us-east-1"
    stack = f"preview-pr-{pr}"
    assume(cx, ids, acct, role, provider, "example-corp/app-api", t, ip,
           sub=f"repo:example-corp/app-api:environment:preview")
    ua = c.UA_CLI.format(cmd="cloudformation.delete-stack" if teardown else "cloudformation.deploy")
    t = trunc(t + dt.timedelta(seconds=rng.uniform(2, 6)))
    cx.add_ct(ct(ids, t, "cloudformation.amazonaws.com", "DeleteStack" if teardown else "CreateStack",
                 c.web_identity_session(role, t, provider), account=acct, ip=ip, ua=ua, region=region,
                 req={"stackName": stack} if teardown else
                 {"stackName": stack, "templateURL": f"https://examplecorp-deploy-artifacts-dev.s3.amazonaws.com/preview/{pr}/template.yaml",
                  "capabilities": ["CAPABILITY_IAM"]}))
    key_arn = f"arn:aws:kms:{region}:{acct}:key/{ids.uuid()}"
    if teardown:
        calls = [("lambda.amazonaws.com", "DeleteFunction20150331", {"functionName": f"{stack}-api"}),
                 ("logs.amazonaws.com", "DeleteLogGroup", {"logGroupName": f"/aws/lambda/{stack}-api"}),
                 ("s3.amazonaws.com", "DeleteBucket", {"bucketName": f"examplecorp-{stack}-uploads",
                                                       "Host": f"examplecorp-{stack}-uploads.s3.amazonaws.com"}),
                 ("iam.amazonaws.com", "DetachRolePolicy", {"roleName": f"{stack}-exec", "policyArn":
                                                            "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"}),
                 ("iam.amazonaws.com", "DeleteRolePolicy", {"roleName": f"{stack}-exec", "policyName": "uploads"}),
                 ("iam.amazonaws.com", "DeleteRole", {"roleName": f"{stack}-exec"}),
                 ("kms.amazonaws.com", "ScheduleKeyDeletion", {"keyId": key_arn, "pendingWindowInDays": 7})]
    else:
        calls = [("kms.amazonaws.com", "CreateKey", {"description": f"{stack} uploads", "keyUsage": "ENCRYPT_DECRYPT"}),
                 ("iam.amazonaws.com", "CreateRole", {"roleName": f"{stack}-exec", "assumeRolePolicyDocument": json.dumps(
                     {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {
                         "Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]})}),
                 ("iam.amazonaws.com", "AttachRolePolicy", {"roleName": f"{stack}-exec", "policyArn":
                                                            "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"}),
                 ("s3.amazonaws.com", "CreateBucket", {"bucketName": f"examplecorp-{stack}-uploads",
                                                       "Host": f"examplecorp-{stack}-uploads.s3.amazonaws.com"}),
                 ("logs.amazonaws.com", "CreateLogGroup", {"logGroupName": f"/aws/lambda/{stack}-api"}),
                 ("lambda.amazonaws.com", "CreateFunction20150331", {"functionName": f"{stack}-api", "runtime": "python3.12",
                                                                     "role": f"arn:aws:iam::{acct}:role/{stack}-exec"})]
    for source, name, req in calls:
        t = trunc(t + dt.timedelta(seconds=rng.uniform(2, 25)))
        cx.add_ct(ct(ids, t, source, name, role.ident(t, invoked_by="cloudformation.amazonaws.com"), account=acct,
                     ip="cloudformation.amazonaws.com", ua="cloudformation.amazonaws.com", region=region, req=req))
    for _ in range(rng.randint(3, 6)):
        t = trunc(t + dt.timedelta(seconds=rng.uniform(5, 15)))
        cx.add_ct(ct(ids, t, "cloudformation.amazonaws.com", "DescribeStackEvents", c.web_identity_session(role, t, provider),
                     account=acct, ip=ip, ua=ua, region=region, read_only=True, req={"stackName": stack}))
