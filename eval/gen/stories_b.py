"""Attack stories 6-10 (all on 2026-11-10)."""
from __future__ import annotations

import datetime as dt
import json

from . import bg_ml, bg_okta_gd, bg_people, bg_prod
from . import common as c
from .attack import UA_ATTACK_CLI, UA_PY_REQUESTS, Caller, story
from .common import ATTACKER_ACCOUNT, DEV, ML, PROD, at, g, trunc
from .people import OKTA_ONLY, PEOPLE, PERMSETS, SITES


def build(cx: c.Ctx) -> None:
    ids = cx.ids("stories_b")
    s6_trust_backdoor(cx, ids)
    s7_okta_takeover(cx, ids)
    s8_guardduty_gpu(cx, ids)
    s9_defenses_then_destruction(cx, ids)
    s10_ssm_and_user_data(cx, ids)


def stolen_sso(ids, acct, key, login, created):
    """An IAM Identity Center session minted from a stolen SSO token (new key, same role and name)."""
    permset = PERMSETS[acct][key]
    role_id = bg_people.ROLE_IDS.setdefault((acct, permset), ids.principal("AROA"))
    return c.sso_ident(acct, permset, login, role_id, ids.access_key("ASIA"), created)


# --------------------------------------------------------------------------

def s6_trust_backdoor(cx, ids) -> None:
    rng = ids.rng
    login = "anna.schmidt@example.com"
    t0 = at(2, 16, 2, 14)
    ident = stolen_sso(ids, PROD, "Admin", login, t0 - dt.timedelta(seconds=40))
    role, role_id = "ops-break-glass", ids.principal("AROA")
    role_arn = f"arn:aws:iam::{PROD}:role/{role}"
    session = "maint-7731"
    meta = story("S6", "Stolen admin SSO session backdoors a break-glass role's trust policy; the outside account "
                 "assumes it and reads secrets and customer data", PROD,
                 [ident["arn"], f"arn:aws:sts::{PROD}:assumed-role/{role}/{session}",
                  f"arn:aws:iam::{ATTACKER_ACCOUNT}:root"], "high",
                 ["T1550.001", "T1078.004", "T1098.003", "T1484.002", "T1555.006", "T1530"],
                 "An infostealer took the platform admin's cached IAM Identity Center token; role credentials "
                 "minted from it are used from a VPS to add the attacker's AWS account to the trust policy of "
                 "ops-break-glass (AdministratorAccess). Twenty minutes later the attacker's account assumes "
                 "the role and reads secrets and customer documents.")
    with cx.story(meta):
        a = Caller(cx, ids, PROD, ident, "203.0.113.88", t0)
        a.call("sts.amazonaws.com", "GetCallerIdentity", "sts.get-caller-identity", gap=(0, 0))
        a.call("iam.amazonaws.com", "ListRoles", "iam.list-roles")
        a.call("iam.amazonaws.com", "ListAttachedRolePolicies", "iam.list-attached-role-policies", req={"roleName": role})
        a.call("iam.amazonaws.com", "GetRole", "iam.get-role", req={"roleName": role})
        policy = {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{PROD}:root"}, "Action": "sts:AssumeRole",
             "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}},
            {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ATTACKER_ACCOUNT}:root"}, "Action": "sts:AssumeRole"}]}
        a.call("iam.amazonaws.com", "UpdateAssumeRolePolicy", "iam.update-assume-role-policy", gap=(40, 90),
               req={"roleName": role, "policyDocument": json.dumps(policy)})
        # from the attacker's own account
        t1 = at(2, 16, 24, 51)
        sess_key = ids.access_key("ASIA")
        caller = {"type": "AWSAccount", "principalId": "AIDA6ATTACKR2X4Z6B8D0", "accountId": ATTACKER_ACCOUNT}
        sts_arn = f"arn:aws:sts::{PROD}:assumed-role/{role}/{session}"
        resp = g.sts_credentials(ids, t1, sts_arn, role_id, session)
        resp["credentials"]["accessKeyId"] = sess_key
        cx.add_ct(c.ct(ids, t1, "sts.amazonaws.com", "AssumeRole", caller, account=PROD, ip="203.0.113.89",
                       ua=UA_ATTACK_CLI.format(cmd="sts.assume-role"), read_only=True,
                       req={"roleArn": role_arn, "roleSessionName": session, "durationSeconds": 3600},
                       resp=resp, resources=[{"accountId": PROD, "type": "AWS::IAM::Role", "ARN": role_arn}],
                       shared_event_id=True))
        b = Caller(cx, ids, PROD, g.assumed_role(role, session, role_id, sess_key, t1, account=PROD),
                   "203.0.113.89", t1)
        b.call("sts.amazonaws.com", "GetCallerIdentity", "sts.get-caller-identity")
        b.call("secretsmanager.amazonaws.com", "ListSecrets", "secretsmanager.list-secrets")
        for sec in ("prod/app-api/db-credentials-Qx7TzA", "prod/stripe/api-key-Lm3P0q", "prod/okta/scim-token-Zt8W1v"):
            b.call("secretsmanager.amazonaws.com", "GetSecretValue", "secretsmanager.get-secret-value", gap=(5, 30),
                   req={"secretId": f"arn:aws:secretsmanager:us-east-1:{PROD}:secret:{sec}"})
        b.call("s3.amazonaws.com", "ListBuckets", "s3.ls", req={"Host": "s3.amazonaws.com"}, additional=c.s3_extra(ids))
        b.s3("ListObjects", "examplecorp-customer-docs-prod", extra_req={"list-type": "2", "prefix": "customers/"})
        for _ in range(25):
            b.s3("GetObject", "examplecorp-customer-docs-prod",
                 f"customers/{rng.randint(10000, 99999)}/contract-{ids.hex(6)}.pdf", size=rng.randint(80_000, 2_000_000),
                 gap=(0.5, 6))


# --------------------------------------------------------------------------

def s7_okta_takeover(cx, ids) -> None:
    rng = ids.rng
    victim_id, victim, vname, _ = OKTA_ONLY[3]          # maximilian.koch: IT lead, Okta super administrator
    spray_ips = ["203.0.113.45", "203.0.113.46", "203.0.113.47"]
    geo = dict(city="Frankfurt am Main", state="Hesse", country="Germany", postal="60313", lat=50.1109, lon=8.6821)
    sec = dict(asn=64510, as_org="example hosting gmbh", isp="Example Hosting", domain="example-hosting.de",
               is_proxy=True)
    meta = story("S7", "Okta password spray, MFA push fatigue on the IT lead, factor swap, backdoor super admin "
                 "and API token", "okta:" + c.OKTA_ORG, [victim, "svc-okta-backup@example.com"], "high",
                 ["T1110.003", "T1621", "T1556.006", "T1136.003", "T1098.003", "T1098.001"],
                 "One password per user against the whole directory from three hosting addresses; the IT "
                 "lead's password works. Push notifications until he accepts one late at night, then from the "
                 "same session: admin console, the attacker's phone enrolled and the victim's Okta Verify "
                 "removed, a new user made super administrator, an API token created.")
    logins = [p[1] for p in PEOPLE] + [p[1] for p in OKTA_ONLY] + [
        "admin@example.com", "it@example.com", "test@example.com", "m.koch@example.com", "finance@example.com"]
    rng.shuffle(logins)
    with cx.story(meta):
        t = at(2, 21, 4, 12)
        for i, login in enumerate(logins):
            t = trunc(t + dt.timedelta(seconds=rng.uniform(3, 15)))
            ip = spray_ips[i % 3]
            client = g.okta_client(ip, ua=c.UA_CHROME_WIN, os_name="Windows 10", browser="CHROME", **geo)
            known = next((p for p in PEOPLE + OKTA_ONLY if p[1] == login), None)
            actor = (g.okta_user(known[0], login, known[2]) if known else
                     {"id": "unknown", "type": "User", "alternateId": login, "displayName": "unknown", "detailEntry": None})
            ok = login == victim
            if ok:
                session = "102" + ids.chars(22, c.ALNUM)
                cx.add_okta(g.okta_event(ids, t, "user.session.start", actor, client, display="User login to Okta",
                                         legacy="core.user_auth.login_success", credential="PASSWORD",
                                         session_id=session, **sec))
                v_actor, v_client = actor, client
                continue
            cx.add_okta(g.okta_event(ids, t, "user.session.start", actor, client, display="User login to Okta",
                                     result="FAILURE", reason="INVALID_CREDENTIALS" if known else "UNKNOWN_USER",
                                     severity="WARN", legacy="core.user_auth.login_failed", credential="PASSWORD",
                                     threat=i > 20, **sec))
        # push fatigue: the attacker retries the sign-in flow until the victim accepts
        verify = {"id": "opf4mk2v9XqP7wT3s697", "type": "AuthenticatorEnrollment", "alternateId": "unknown",
                  "displayName": "Okta Verify", "detailEntry": None}
        t = at(2, 21, 19, 5)
        for k in range(8):
            t = trunc(t + dt.timedelta(seconds=rng.uniform(35, 90)))
            cx.add_okta(g.okta_event(ids, t, "system.push.send_factor_verify_push", v_actor, v_client,
                                     display="Push notification sent for verification", session_id=session,
                                     targets=[verify], request_uri="/idp/idx/authenticators/poll",
                                     debug={"factor": "OKTA_VERIFY_PUSH"}, **sec))
            if k < 7:
                t = trunc(t + dt.timedelta(seconds=rng.uniform(5, 40)))
                if k % 3 == 2:   # no answer: the push times out
                    cx.add_okta(g.okta_event(ids, t, "user.authentication.auth_via_mfa", v_actor, v_client,
                                             display="Authentication of user via MFA", result="FAILURE",
                                             reason="Verify timeout", session_id=session, targets=[verify],
                                             debug={"factor": "OKTA_VERIFY_PUSH"}, severity="WARN", **sec))
                else:
                    cx.add_okta(g.okta_event(ids, t, "user.mfa.okta_verify.deny_push", v_actor, v_client,
                                             display="User rejected Okta push verify", result="FAILURE",
                                             session_id=session, targets=[verify], severity="WARN",
                                             request_uri="/idp/idx/authenticators/poll",
                                             debug={"factor": "OKTA_VERIFY_PUSH"}, **sec))
        t = trunc(t + dt.timedelta(seconds=24))
        cx.add_okta(g.okta_event(ids, t, "user.authentication.auth_via_mfa", v_actor, v_client,
                                 display="Authentication of user via MFA", session_id=session, targets=[verify],
                                 debug={"factor": "OKTA_VERIFY_PUSH"}, **sec))

        def admin(dt_s, etype, display, targets, legacy, uri, debug=None):
            cx.add_okta(g.okta_event(ids, t + dt.timedelta(seconds=dt_s), etype, v_actor, v_client, display=display,
                                     session_id=session, targets=targets, legacy=legacy, request_uri=uri,
                                     debug=debug, **sec))
        me = {"id": victim_id, "type": "User", "alternateId": victim, "displayName": vname, "detailEntry": None}
        admin_app = {"id": "0oa0admin1b2c3d4e697", "type": "AppInstance", "alternateId": "Okta Admin Console",
                     "displayName": "Okta Admin Console", "detailEntry": None}
        admin(40, "user.session.access_admin_app", "User accessing Okta admin app", [admin_app], None, "/admin/sso/callback")
        admin(130, "user.mfa.factor.activate", "Activate factor or authenticator",
              [me, {"id": "opf8pq1z5RsT9vU2w697", "type": "AuthenticatorEnrollment", "alternateId": "unknown",
                    "displayName": "Phone", "detailEntry": None}], "core.user.factor.activate",
              "/idp/idx/challenge/answer", {"factor": "SMS_FACTOR"})
        admin(190, "user.mfa.factor.deactivate", "Reset factor for user", [me, verify], "core.user.factor.reset",
              f"/api/v1/users/{victim_id}/factors/{verify['id']}", {"factor": "OKTA_VERIFY_PUSH"})
        backdoor = {"id": "00uzb9k3Wq7Rt1Yp5697", "type": "User", "alternateId": "svc-okta-backup@example.com",
                    "displayName": "Okta Backup Service", "detailEntry": None}
        admin(420, "user.lifecycle.create", "Create okta user", [backdoor], "core.user.config.user_creation.success",
              "/api/v1/users")
        admin(445, "user.lifecycle.activate", "Activate Okta user", [backdoor], "core.user.config.user_activated",
              "/api/v1/users")
        admin(530, "user.account.privilege.grant", "Grant user privilege", [backdoor],
              "core.user.admin_privilege.granted", f"/api/v1/users/{backdoor['id']}/roles",
              {"privilegeGranted": "Super administrator"})
        admin(710, "system.api_token.create", "Create API token",
              [{"id": "00T9x3w1v7u5t2s0r697", "type": "Token", "alternateId": "unknown", "displayName": "backup-sync",
                "detailEntry": None}], "api.token.create", "/api/internal/tokens")


# --------------------------------------------------------------------------

def s8_guardduty_gpu(cx, ids) -> None:
    inst, priv, name = bg_ml.GPU_INSTANCE
    role = bg_ml.ROLES["ml-training-ec2-role"]
    t_use = at(2, 7, 41, 9)
    _, key, created = role.session(t_use)
    res = bg_okta_gd.instance_resource(ML, inst, name, priv, "192.0.2.221", "ml-train-sg", profile="ml-training-ec2-profile",
                                       itype="g5.12xlarge")
    meta = story("S8", "GPU training instance compromised: crypto-mining and its role credentials used outside AWS "
                 "(GuardDuty high findings)", ML, [role.sts_arn(inst), inst], "high",
                 ["T1190", "T1496.001", "T1552.005", "T1078.004"],
                 "A Jupyter server left open on the training instance runs a miner: GuardDuty reports Bitcoin "
                 "tool DNS lookups and pool connections; the instance role's credentials are then used from the "
                 "attacker's host to try to start more GPU instances (denied).")
    pool = g.remote_ip("203.0.113.230", country="Netherlands", city="Amsterdam", lat=52.37, lon=4.89, asn="64511",
                       org="Example Hosting B.V.")
    ext = g.remote_ip("203.0.113.150", country="Singapore", city="Singapore", lat=1.29, lon=103.85, asn="64512",
                      org="Example VPS Pte")
    with cx.story(meta):
        cx.add_gd(bg_okta_gd.finding(
            ids, ML, type_="CryptoCurrency:EC2/BitcoinTool.B!DNS", severity=8.0,
            title=f"EC2 instance {inst} is querying a domain name that is associated with Bitcoin-related activity.",
            description=f"EC2 instance {inst} is querying a domain name that is associated with Bitcoin-related "
                        "activity. This could indicate that the instance is compromised or is mining cryptocurrency.",
            resource=res, action={"actionType": "DNS_REQUEST", "dnsRequestAction": {
                "domain": "pool.supportxmr.com", "protocol": "UDP", "blocked": False}},
            first_seen=at(2, 6, 2, 41), last_seen=at(2, 8, 27, 3), created=at(2, 6, 14, 2, 118),
            updated=at(2, 8, 33, 40, 902), count=412))
        cx.add_gd(bg_okta_gd.finding(
            ids, ML, type_="CryptoCurrency:EC2/BitcoinTool.B", severity=8.0,
            title=f"EC2 instance {inst} is communicating with Bitcoin-related IP address 203.0.113.230.",
            description=f"EC2 instance {inst} is communicating with IP address 203.0.113.230 that is associated with "
                        "cryptocurrency-related activity.",
            resource=res, action={"actionType": "NETWORK_CONNECTION", "networkConnectionAction": {
                "connectionDirection": "OUTBOUND", "remoteIpDetails": pool,
                "remotePortDetails": {"port": 3333, "portName": "Unknown"},
                "localPortDetails": {"port": 51522, "portName": "Unknown"}, "protocol": "TCP", "blocked": False,
                "localIpDetails": {"ipAddressV4": priv}}},
            first_seen=at(2, 6, 3, 5), last_seen=at(2, 8, 29, 44), created=at(2, 6, 19, 37, 455),
            updated=at(2, 8, 35, 1, 213), count=1893))
        key_res = g.access_key_resource(key, f"{role.role_id}:{inst}", role.name, user_type="AssumedRole")
        cx.add_gd(bg_okta_gd.finding(
            ids, ML, type_="UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS", severity=8.0,
            title=f"Credentials for instance role {role.name} used from external IP address.",
            description=f"Credentials that were created exclusively for an EC2 instance using instance role "
                        f"{role.name} have been used from external IP address 203.0.113.150.",
            resource=key_res, action=g.api_call_action("RunInstances", "ec2.amazonaws.com", ext,
                                                       error_code="Client.UnauthorizedOperation",
                                                       user_agent=UA_PY_REQUESTS),
            first_seen=t_use, last_seen=at(2, 7, 44, 30), created=at(2, 7, 58, 12, 640),
            updated=at(2, 8, 3, 55, 71), count=9, resource_role="ACTOR"))
        ident = c.instance_ident(role.name, role.role_id, inst, key, created, ML)
        a = Caller(cx, ids, ML, ident, "203.0.113.150", t_use, ua=UA_PY_REQUESTS)
        a.call("sts.amazonaws.com", "GetCallerIdentity", gap=(0, 0))
        a.denied("ec2.amazonaws.com", "DescribeInstances", "ec2:DescribeInstances")
        for region in ("us-east-1", "us-west-2", "eu-west-1"):
            a.denied("ec2.amazonaws.com", "RunInstances", "ec2:RunInstances", region=region, gap=(10, 40),
                     req={"instancesSet": {"items": [{"imageId": "ami-0dlami0a1b2c3d4e5", "minCount": 4,
                                                      "maxCount": 4}]}, "instanceType": "p4d.24xlarge"})
        a.denied("iam.amazonaws.com", "ListAttachedRolePolicies", "iam:ListAttachedRolePolicies",
                 req={"roleName": role.name})
        a.denied("servicequotas.amazonaws.com", "GetServiceQuota", "servicequotas:GetServiceQuota",
                 code="AccessDeniedException", req={"serviceCode": "ec2", "quotaCode": "L-417A185B"})


# --------------------------------------------------------------------------

def s9_defenses_then_destruction(cx, ids) -> None:
    rng = ids.rng
    login = "tom.becker@example.com"
    t0 = at(2, 22, 5, 31)
    ident = stolen_sso(ids, DEV, "Power", login, t0 - dt.timedelta(minutes=2))
    meta = story("S9", "Stolen developer session disables GuardDuty and AWS Config, then terminates the dev fleet "
                 "and deletes snapshots and a database", DEV, [ident["arn"]], "high",
                 ["T1550.001", "T1562.001", "T1562.008", "T1485", "T1490", "T1529"],
                 "A remote developer's IAM Identity Center session (token stolen from his laptop) is used late "
                 "at night from a VPS: GuardDuty detector deleted, the Config recorder stopped, termination "
                 "protection removed, every instance in two regions terminated, snapshots and the dev database "
                 "deleted without a final snapshot.")
    det = c.DETECTORS[DEV]
    with cx.story(meta):
        a = Caller(cx, ids, DEV, ident, "198.51.100.200", t0)
        a.call("sts.amazonaws.com", "GetCallerIdentity", "sts.get-caller-identity", gap=(0, 0))
        a.call("guardduty.amazonaws.com", "ListDetectors", "guardduty.list-detectors")
        a.call("guardduty.amazonaws.com", "GetDetector", "guardduty.get-detector", req={"detectorId": det})
        a.call("guardduty.amazonaws.com", "DeleteDetector", "guardduty.delete-detector", req={"detectorId": det},
               gap=(10, 30))
        a.call("config.amazonaws.com", "DescribeConfigurationRecorders", "configservice.describe-configuration-recorders")
        a.call("config.amazonaws.com", "StopConfigurationRecorder", "configservice.stop-configuration-recorder",
               req={"configurationRecorderName": "default"}, gap=(5, 20))
        for region in ("us-east-1", "us-west-2"):
            a.call("ec2.amazonaws.com", "DescribeInstances", "ec2.describe-instances", region=region,
                   req={"instancesSet": {}, "filterSet": {}})
            fleet = [f"i-0{ids.hex(16)}" for _ in range(rng.randint(12, 18))]
            for inst in fleet[:2]:
                a.call("ec2.amazonaws.com", "ModifyInstanceAttribute", "ec2.modify-instance-attribute", region=region,
                       req={"instanceId": inst, "disableApiTermination": {"value": False}})
            for i in range(0, len(fleet), 6):
                chunk = fleet[i:i + 6]
                a.call("ec2.amazonaws.com", "TerminateInstances", "ec2.terminate-instances", region=region,
                       req={"instancesSet": {"items": [{"instanceId": x} for x in chunk]}},
                       resp={"requestId": ids.uuid(), "instancesSet": {"items": [
                           {"instanceId": x, "currentState": {"code": 32, "name": "shutting-down"},
                            "previousState": {"code": 16, "name": "running"}} for x in chunk]}})
        a.call("ec2.amazonaws.com", "DescribeSnapshots", "ec2.describe-snapshots",
               req={"ownersSet": {"items": [{"owner": "self"}]}, "snapshotSet": {}})
        for _ in range(rng.randint(10, 16)):
            a.call("ec2.amazonaws.com", "DeleteSnapshot", "ec2.delete-snapshot", gap=(0.3, 1.5),
                   req={"snapshotId": "snap-0" + ids.hex(16)}, resp={"requestId": ids.uuid(), "_return": True})
        a.call("rds.amazonaws.com", "DeleteDBInstance", "rds.delete-db-instance",
               req={"dBInstanceIdentifier": "app-dev", "skipFinalSnapshot": True, "deleteAutomatedBackups": True})


# --------------------------------------------------------------------------

def s10_ssm_and_user_data(cx, ids) -> None:
    rng = ids.rng
    login = "david.chen@example.com"
    t0 = at(2, 9, 15, 48)
    ident = stolen_sso(ids, PROD, "Power", login, t0 - dt.timedelta(minutes=1))
    meta = story("S10", "Stolen SRE session runs shell commands on the whole prod fleet with SSM and plants a "
                 "user-data backdoor", PROD, [ident["arn"]], "high",
                 ["T1550.001", "T1651", "T1059.004", "T1552.005", "T1578.005", "T1037"],
                 "An SRE's IAM Identity Center session (token stolen from his laptop) is used at 04:15 New York "
                 "time from a VPS: Run Command with AWS-RunShellScript on every managed instance in three "
                 "batches, command output read back, then two worker instances stopped, their user data "
                 "replaced with a script that runs at every boot, and started again.")
    from .bg_prod import FLEET
    with cx.story(meta):
        a = Caller(cx, ids, PROD, ident, "203.0.113.66", t0)
        a.call("sts.amazonaws.com", "GetCallerIdentity", "sts.get-caller-identity", gap=(0, 0))
        for _ in range(2):
            a.call("ssm.amazonaws.com", "DescribeInstanceInformation", "ssm.describe-instance-information",
                   req={"maxResults": 50})
        a.call("ec2.amazonaws.com", "DescribeInstances", "ec2.describe-instances", req={"instancesSet": {}, "filterSet": {}})
        insts = [i for i, _, _ in FLEET]
        cmds = []
        for i in range(0, len(insts), 10):
            batch = insts[i:i + 10]
            cid = ids.uuid()
            cmds.append((cid, batch))
            a.call("ssm.amazonaws.com", "SendCommand", "ssm.send-command", gap=(20, 60),
                   req={"instanceIds": batch, "documentName": "AWS-RunShellScript",
                        "parameters": "HIDDEN_DUE_TO_SECURITY_REASONS", "timeoutSeconds": 60, "interactive": False},
                   resp={"command": {"commandId": cid, "documentName": "AWS-RunShellScript", "instanceIds": batch,
                                     "status": "Pending", "targetCount": len(batch),
                                     "requestedDateTime": g.aws_legacy_date(a.t)}})
        for cid, batch in cmds:
            for inst in rng.sample(batch, min(4, len(batch))):
                a.call("ssm.amazonaws.com", "GetCommandInvocation", "ssm.get-command-invocation", gap=(1, 4),
                       req={"commandId": cid, "instanceId": inst})
        for inst in [i for i, n, _ in FLEET if n == "worker"][:2]:
            a.call("ec2.amazonaws.com", "DescribeInstanceAttribute", "ec2.describe-instance-attribute",
                   req={"instanceId": inst, "attribute": "userData"}, gap=(10, 30))
            a.call("ec2.amazonaws.com", "StopInstances", "ec2.stop-instances",
                   req={"instancesSet": {"items": [{"instanceId": inst}]}, "force": False})
            a.call("ec2.amazonaws.com", "ModifyInstanceAttribute", "ec2.modify-instance-attribute", gap=(60, 90),
                   req={"instanceId": inst, "userData": "<sensitiveDataRemoved>"})
            a.call("ec2.amazonaws.com", "StartInstances", "ec2.start-instances",
                   req={"instancesSet": {"items": [{"instanceId": inst}]}})
