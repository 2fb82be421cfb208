"""ML account (777788889999) background.

- ``rag-api-role`` (ECS): the support assistant. Titan embeddings + Claude via Converse /
  InvokeModel with normal token counts; both the CloudTrail event and the model-invocation
  log record (same request id).
- ``bedrock-eval-svc``: IAM user whose long-term key runs the data-science team's model
  evaluation harness from the Berlin office. Day 1 the owner looks up model ids with
  ``aws bedrock list-foundation-models``, smoke-tests one, and runs a batch later.
- Glue ETL hourly (EventBridge Scheduler starts it), a nightly crawler, Athena reports by a
  Lambda every 15 minutes (Athena reads S3 and the Glue catalog ``invokedBy`` athena).
- ``ml-gpu-train-01`` training instance reading datasets and writing checkpoints.
- Data scientists in the Bedrock console playground.
"""
from __future__ import annotations

import datetime as dt

from . import common as c
from .common import ML, Role, at, ct, g, s3_object, service_assume, spread, trunc

ACCT = ML
GPU_INSTANCE = ("i-0b7e9c1d3f5a7b9c1", "10.50.4.17", "ml-gpu-train-01")
EVAL_USER = ("bedrock-eval-svc", "AIDAWMLEVAL3K5M7P9R1", "AKIAWMLEVAL4Q6S8U0W2")
RAG_MODEL = "us.anthropic.claude-3-5-haiku-20241022-v1:0"
EMBED_MODEL = "amazon.titan-embed-text-v2:0"
SUPPORT_SYSTEM = ("You are Example Corp's support assistant. Answer only from the provided documents. "
                  "If the answer is not in them, say so and offer to open a ticket.")
QUESTIONS = [
    ("How do I export my invoices as CSV?", "Go to Billing > Invoices, select the period and choose Export CSV."),
    ("Why was my card declined when renewing?", "Declines usually come from the bank; check the card's expiry "
     "and that online payments are enabled, then retry from Billing > Payment methods."),
    ("Can I add a second admin to our workspace?", "Yes. Workspace owners can invite admins from Settings > Members."),
    ("Wie ändere ich die Rechnungsadresse?", "Unter Abrechnung > Rechnungsdaten können Sie die Adresse ändern."),
    ("The API returns 429, what are the limits?", "The default limit is 100 requests per minute per token; "
     "the Retry-After header says when to try again."),
    ("Do you support SAML single sign-on?", "Yes, on the Business plan: Settings > Security > SSO."),
    ("¿Cómo cancelo mi suscripción?", "Puede cancelarla en Facturación > Plan > Cancelar suscripción."),
]
EVAL_PROMPTS = [
    "Classify the sentiment of this review as positive, negative or neutral: 'Setup took five minutes and it just works.'",
    "Extract the order number from: 'Hi, my order EX-20931 arrived damaged, box crushed.'",
    "Summarise in one sentence: The quarterly sync covered hiring, the Q1 roadmap and the on-call rotation change.",
    "Answer yes or no: does this message ask for a refund? 'I'd like my money back for the duplicate charge.'",
]


def _bedrock_pair(cx, ids, t, ident_ct, identity_arn, model, prompt, answer, tin, tout, *, op, ip, ua,
                  system=None, region="us-east-1", console=False, vpce=None):
    """The CloudTrail event and the invocation-log record of one model call (same request id)."""
    rid = ids.uuid()
    add = {"inferenceRegion": region} if model.startswith("us.") else None
    cx.add_ct(ct(ids, t, "bedrock.amazonaws.com", op, ident_ct, account=ACCT, ip=ip, ua=ua, region=region,
                 req={"modelId": model}, read_only=True, request_id=rid, additional=add, console=console,
                 vpce=vpce, host=f"bedrock-runtime.{region}.amazonaws.com"))
    rec = g.bedrock_log(ids, trunc(t + dt.timedelta(milliseconds=300 + tout * 9)).replace(microsecond=0),
                        identity_arn, model, prompt, answer, tin, tout, operation=op, system=system,
                        region=region, account=ACCT, request_id=rid)
    cx.add_bedrock(rec)
    return rid


def _embed(cx, ids, t, ident, arn, text, ip):
    rid = ids.uuid()
    cx.add_ct(ct(ids, t, "bedrock.amazonaws.com", "InvokeModel", ident, account=ACCT, ip=ip, ua=c.UA_BOTO_ECS,
                 req={"modelId": EMBED_MODEL}, read_only=True, request_id=rid,
                 host="bedrock-runtime.us-east-1.amazonaws.com"))
    n = max(8, len(text) // 4)
    vec = [round(ids.rng.uniform(-0.12, 0.12), 6) for _ in range(256)]
    cx.add_bedrock({
        "schemaType": "ModelInvocationLog", "schemaVersion": "1.0", "timestamp": c.iso(t), "accountId": ACCT,
        "identity": {"arn": arn}, "region": "us-east-1", "requestId": rid, "operation": "InvokeModel",
        "modelId": EMBED_MODEL,
        "input": {"inputContentType": "application/json",
                  "inputBodyJson": {"inputText": text, "dimensions": 256, "normalize": True}, "inputTokenCount": n},
        "output": {"outputContentType": "application/json",
                   "outputBodyJson": {"embedding": vec, "embeddingsByType": {"float": vec}, "inputTextTokenCount": n}},
    })


ROLES: dict[str, Role] = {}   # shared with the stories (same role ids and sessions)


def build(cx: c.Ctx) -> None:
    ids = cx.ids("bg_ml")
    rng = ids.rng
    for name, kw in (("scheduler-glue-etl-role", dict(session_fn=lambda i: i.hex(32))),
                     ("glue-etl-role", dict(session="GlueJobRunnerSession")),
                     ("athena-reports-lambda-role", dict(session="athena-daily-reports")),
                     ("AWSGlueServiceRole-datalake", dict(path="/service-role/", session="AWS-Crawler")),
                     ("ml-training-ec2-role", dict(ttl=6, session=GPU_INSTANCE[0]))):
        ROLES[name] = Role(ids, ACCT, name, **kw)
    rag = Role(ids, ACCT, "rag-api-role", ttl=6, session_fn=lambda i: i.hex(32))
    rag_ips = ["10.50.11.31", "10.50.12.77"]
    for day in (1, 2):
        for h in range(24):
            busy = [0.2, 0.15, 0.1, 0.1, 0.15, 0.25, 0.5, 0.8, 1, 1, 1, 0.9, 0.9, 1, 1, 1, 1, 0.9, 0.8, 0.7,
                    0.6, 0.5, 0.4, 0.3][h]
            if h % 6 == 0:
                cx.add_ct(service_assume(ids, at(day, h, 0, rng.randint(1, 50)), rag, "ecs-tasks.amazonaws.com"))
            for t in spread(rng, at(day, h), at(day, h, 59, 59), int(18 * busy) + rng.randint(0, 2)):
                ip = rng.choice(rag_ips)
                q, a = rng.choice(QUESTIONS)
                if rng.random() < 0.35:
                    _embed(cx, ids, t, rag.ident(t), rag.arn_at(t), q, ip)
                    t = trunc(t + dt.timedelta(milliseconds=rng.randint(80, 200)))
                docs = "\n\n".join(f"<doc id='kb-{rng.randint(100, 999)}'>...</doc>" for _ in range(4))
                _bedrock_pair(cx, ids, t, rag.ident(t), rag.arn_at(t), RAG_MODEL, f"{docs}\n\nQuestion: {q}", a,
                              rng.randint(1400, 6200), rng.randint(60, 650), op="Converse", ip=ip, ua=c.UA_BOTO_ECS,
                              system=SUPPORT_SYSTEM)
        _glue_athena(cx, ids, day)
        _gpu_training(cx, ids, day)
    _eval_harness(cx, ids)
    _playground(cx, ids)


def _eval_harness(cx, ids) -> None:
    rng = ids.rng
    name, pid, key = EVAL_USER
    user = g.iam_user(name, pid, key, account=ACCT)
    arn = user["arn"]
    ua_cli = c.UA_CLI_MAC.format(cmd="bedrock.list-foundation-models")
    ua_py = ("Boto3/1.35.54 md/Botocore#1.35.54 ua/2.0 os/macos#24.1.0 md/arch#arm64 lang/python#3.12.7 "
             "md/pyimpl#CPython cfg/retry-mode#standard Botocore/1.35.54")
    ip = c.OFFICE_BERLIN
    # day 1: owner looks up model ids, smoke test, then the batch
    t = at(1, 10, 2, 17)
    cx.add_ct(ct(ids, t, "bedrock.amazonaws.com", "ListFoundationModels", user, account=ACCT, ip=ip, ua=ua_cli,
                 read_only=True, req={"byOutputModality": "TEXT"}))
    t = at(1, 10, 6, 48)
    _bedrock_pair(cx, ids, t, user, arn, "anthropic.claude-3-5-sonnet-20241022-v2:0", "Say hello.", "Hello!",
                  11, 4, op="Converse", ip=ip, ua=ua_py)
    models = ["anthropic.claude-3-5-sonnet-20241022-v2:0", "anthropic.claude-3-5-haiku-20241022-v1:0",
              "amazon.nova-pro-v1:0"]
    for day, start, n in ((1, at(1, 13, 0, 5), 120), (2, at(2, 9, 30, 12), 60)):
        t = start
        for i in range(n):
            t = trunc(t + dt.timedelta(seconds=rng.uniform(4, 22)))
            p = rng.choice(EVAL_PROMPTS)
            _bedrock_pair(cx, ids, t, user, arn, models[i % 3], p, "neutral" if "sentiment" in p else "EX-20931",
                          rng.randint(40, 120), rng.randint(2, 60), op="Converse", ip=ip, ua=ua_py)


def _playground(cx, ids) -> None:
    """Data scientists try prompts in the Bedrock console playground."""
    rng = ids.rng
    from .people import PERMSETS
    for day, login, start in ((1, "sofia.garcia@example.com", at(1, 11, 20, 3)),
                              (2, "ravi.patel@example.com", at(2, 15, 41, 30))):
        permset = PERMSETS[ACCT]["DataScientist" if "sofia" in login else "Power"]
        ident = c.sso_ident(ACCT, permset, login, "AROAWML" + ids.chars(14, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"),
                            ids.access_key("ASIA"), start - dt.timedelta(minutes=40))
        ip = c.OFFICE_BERLIN if "sofia" in login else c.OFFICE_NYC
        t = start
        for _ in range(rng.randint(6, 12)):
            t = trunc(t + dt.timedelta(seconds=rng.uniform(30, 200)))
            q, a = rng.choice(QUESTIONS)
            _bedrock_pair(cx, ids, t, ident, ident["arn"], rng.choice(["anthropic.claude-3-5-sonnet-20241022-v2:0",
                                                                       "amazon.nova-pro-v1:0"]),
                          q, a, rng.randint(20, 400), rng.randint(30, 500), op="ConverseStream", ip=ip,
                          ua=c.UA_CONSOLE, console=True)


def _glue_athena(cx, ids, day) -> None:
    rng = ids.rng
    sched, glue = ROLES["scheduler-glue-etl-role"], ROLES["glue-etl-role"]
    athena_fn = ROLES["athena-reports-lambda-role"]
    for h in range(24):
        t = trunc(at(day, h, 5, rng.randint(0, 30)))
        cx.add_ct(service_assume(ids, t, sched, "scheduler.amazonaws.com"))
        t = trunc(t + dt.timedelta(seconds=1))
        run = "jr_" + ids.hex(64)
        cx.add_ct(ct(ids, t, "glue.amazonaws.com", "StartJobRun", sched.ident(t), account=ACCT,
                     ip="scheduler.amazonaws.com", ua="scheduler.amazonaws.com",
                     req={"jobName": "sessions-etl"}, resp={"jobRunId": run}))
        t = trunc(t + dt.timedelta(seconds=rng.randint(40, 90)))
        for k in range(rng.randint(6, 12)):
            t = trunc(t + dt.timedelta(seconds=rng.uniform(1, 8)))
            cx.add_ct(s3_object(ids, t, "GetObject", glue.ident(t), "examplecorp-datalake-raw",
                                f"sessions/dt={at(day, h):%Y-%m-%d}/hr={h:02d}/part-{k:04d}.json.gz", account=ACCT,
                                ip="10.50.30.12", ua="aws-glue/5.0 " + c.UA_JAVA, size=rng.randint(1_000_000, 40_000_000)))
        for k in range(rng.randint(2, 4)):
            t = trunc(t + dt.timedelta(seconds=rng.uniform(1, 8)))
            cx.add_ct(s3_object(ids, t, "PutObject", glue.ident(t), "examplecorp-datalake-curated",
                                f"sessions/dt={at(day, h):%Y-%m-%d}/hr={h:02d}/part-{k:04d}.parquet", account=ACCT,
                                ip="10.50.30.12", ua="aws-glue/5.0 " + c.UA_JAVA, size=rng.randint(500_000, 9_000_000)))
        cx.add_ct(ct(ids, t, "glue.amazonaws.com", "BatchCreatePartition", glue.ident(t), account=ACCT,
                     ip="10.50.30.12", ua="aws-glue/5.0 " + c.UA_JAVA,
                     req={"databaseName": "analytics", "tableName": "sessions"}))
        # athena report lambda every 15 min in business hours
        if 6 <= h <= 20:
            for m in (0, 15, 30, 45):
                t = trunc(at(day, h, m, rng.randint(2, 20)))
                ident = athena_fn.ident(t)
                qid = ids.uuid()
                cx.add_ct(ct(ids, t, "athena.amazonaws.com", "StartQueryExecution", ident, account=ACCT,
                             ip="10.50.31.40", ua=c.UA_BOTO_LAMBDA,
                             req={"queryString": "SELECT plan, count(*) FROM analytics.sessions WHERE dt = current_date GROUP BY 1",
                                  "workGroup": "reports", "queryExecutionContext": {"database": "analytics"}},
                             resp={"queryExecutionId": qid}))
                ai = athena_fn.ident(t, invoked_by="athena.amazonaws.com")
                cx.add_ct(ct(ids, t + dt.timedelta(milliseconds=400), "glue.amazonaws.com", "GetTable", ai,
                             account=ACCT, ip="athena.amazonaws.com", ua="athena.amazonaws.com", read_only=True,
                             req={"databaseName": "analytics", "name": "sessions"}))
                for k in range(2):
                    cx.add_ct(s3_object(ids, t + dt.timedelta(seconds=1 + k), "GetObject", ai,
                                        "examplecorp-datalake-curated",
                                        f"sessions/dt={at(day, h):%Y-%m-%d}/hr={max(h - 1, 0):02d}/part-{k:04d}.parquet",
                                        account=ACCT, ip="athena.amazonaws.com", ua="athena.amazonaws.com",
                                        size=rng.randint(500_000, 9_000_000)))
                for name in ("GetQueryExecution", "GetQueryExecution", "GetQueryResults"):
                    t = trunc(t + dt.timedelta(seconds=rng.uniform(1, 3)))
                    cx.add_ct(ct(ids, t, "athena.amazonaws.com", name, ident, account=ACCT, ip="10.50.31.40",
                                 ua=c.UA_BOTO_LAMBDA, read_only=True, req={"queryExecutionId": qid}))
    # nightly crawler
    crawler = ROLES["AWSGlueServiceRole-datalake"]
    t = at(day, 0, 30, rng.randint(0, 50))
    for name in ("GetDatabase", "GetTables", "GetPartitions", "BatchCreatePartition", "UpdateTable"):
        t = trunc(t + dt.timedelta(seconds=rng.uniform(2, 30)))
        cx.add_ct(ct(ids, t, "glue.amazonaws.com", name, crawler.ident(t, invoked_by="glue.amazonaws.com"),
                     account=ACCT, ip="glue.amazonaws.com", ua="glue.amazonaws.com",
                     read_only=name.startswith("Get"), req={"databaseName": "analytics"}))


def _gpu_training(cx, ids, day) -> None:
    rng = ids.rng
    role = ROLES["ml-training-ec2-role"]
    inst, ip, _ = GPU_INSTANCE
    for t in spread(rng, at(day, 0), at(day, 23, 59), 260):
        _, key, created = role.session(t)
        ident = c.instance_ident(role.name, role.role_id, inst, key, created, ACCT)
        if t.minute < 3:
            cx.add_ct(s3_object(ids, t, "PutObject", ident, "examplecorp-ml-checkpoints",
                                f"llm-ft-2026-11/step-{int((t - c.DAY1).total_seconds() // 36)}.safetensors",
                                account=ACCT, ip=ip, ua=c.UA_BOTO_ECS.replace("AWS_ECS_FARGATE", "EC2"),
                                size=rng.randint(400_000_000, 900_000_000), vpce="vpce-0ml1a2b3c4d5e6f70"))
        else:
            cx.add_ct(s3_object(ids, t, "GetObject", ident, "examplecorp-ml-datasets",
                                f"support-ft/v3/shard-{rng.randint(0, 511):05d}.jsonl", account=ACCT, ip=ip,
                                ua=c.UA_BOTO_ECS.replace("AWS_ECS_FARGATE", "EC2"), size=rng.randint(5_000_000, 60_000_000),
                                vpce="vpce-0ml1a2b3c4d5e6f70"))
