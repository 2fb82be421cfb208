"""Okta System Log and GuardDuty background.

Okta: every employee signs in once or twice a day from their office or home (password +
Okta Verify push), then SSO into Slack, Jira, GitHub, Google Workspace and AWS IAM Identity
Center. Typos happen; one person denies a push by accident and accepts the next one. The
helpdesk creates the new hire, resets a password and resets the MFA of someone with a new
phone (who then enrols a new factor). A remote developer signs in from a conference abroad
on day 2.

GuardDuty: low-severity findings every account collects — port probes of public
instances, SSH brute force against the bastion.
"""
from __future__ import annotations

import datetime as dt

from . import common as c
from .common import DEV, ML, PROD, at, g, trunc
from .people import HELPDESK, HOURS, OKTA_ONLY, PEOPLE, SITES

APPS = [("0oa1slack2b3c4d5e6697", "Slack", "slack"), ("0oa2github3c4d5e6f697", "GitHub Enterprise Cloud", "githubcloud"),
        ("0oa3awssso4d5e6f7g697", "AWS IAM Identity Center", "amazon_aws_sso"),
        ("0oa4jira5e6f7g8h9i697", "Jira Software Cloud", "atlassian_jira_cloud"),
        ("0oa5gsuite6f7g8h9i697", "Google Workspace", "google")]
LISBON = dict(ip="198.51.100.77", city="Lisbon", state="Lisbon", country="Portugal", postal="1000-001",
              lat=38.7223, lon=-9.1393, asn=64509, as_org="example conference wifi", isp="Example Venue Networks",
              domain="example-venue.pt")


def _ua(rng):
    return rng.choice([(c.UA_CHROME_MAC, "Mac OS X", "CHROME"), (c.UA_CHROME_WIN, "Windows 10", "CHROME"),
                       (c.UA_EDGE_WIN, "Windows 10", "EDGE_CHROMIUM")])


def build(cx: c.Ctx) -> None:
    ids = cx.ids("bg_okta_gd")
    _okta(cx, ids)
    _guardduty(cx, ids)


def _okta(cx, ids) -> None:
    rng = ids.rng
    everyone = [(p[0], p[1], p[2], p[3]) for p in PEOPLE] + list(OKTA_ONLY)
    for day in (1, 2):
        for uid, login, name, site_name in everyone:
            site = SITES[site_name]
            if day == 2 and login == "tom.becker@example.com":
                site = LISBON
            actor = g.okta_user(uid, login, name)
            h0, h1 = HOURS[site_name]
            starts = [at(day, h0, rng.randint(0, 50), rng.randint(0, 59))]
            if rng.random() < 0.6:
                starts.append(at(day, rng.randint(h0 + 3, h1), rng.randint(0, 59), rng.randint(0, 59)))
            for i, start in enumerate(starts):
                ua, os_name, browser = _ua(rng)
                if i == 1 and rng.random() < 0.3:
                    ua, os_name, browser = c.UA_SAFARI_IOS, "iOS", "MOBILE_SAFARI"
                client = g._okta_client_for(site, ua, os_name, browser)
                if ua == c.UA_SAFARI_IOS:
                    client["device"] = "Mobile"
                failures = 1 if rng.random() < 0.07 else 0
                if login == "felix.wagner@example.com" and day == 1 and i == 0:
                    failures = 3   # after a password change
                for e in g.okta_sign_in(ids, trunc(start), actor, client, g._okta_sec(site), apps=APPS,
                                        failures=failures):
                    cx.add_okta(e)
    _accidental_deny(cx, ids)
    _helpdesk(cx, ids)


def _accidental_deny(cx, ids) -> None:
    uid, login, name, site_name = OKTA_ONLY[7][:4]
    site = SITES[site_name]
    actor = g.okta_user(uid, login, name)
    client = g._okta_client_for(site, c.UA_CHROME_WIN, "Windows 10", "CHROME")
    sec = g._okta_sec(site)
    session = "102" + ids.chars(22, c.ALNUM)
    verify = {"id": "opf" + ids.chars(17, c.ALNUM), "type": "AuthenticatorEnrollment", "alternateId": "unknown",
              "displayName": "Okta Verify", "detailEntry": None}
    t = at(2, 15, 12, 9)
    cx.add_okta(g.okta_event(ids, t, "user.session.start", actor, client, display="User login to Okta",
                             legacy="core.user_auth.login_success", credential="PASSWORD", session_id=session, **sec))
    for dtm, etype, disp, res in ((8, "system.push.send_factor_verify_push", "Push notification sent for verification", "SUCCESS"),
                                  (19, "user.mfa.okta_verify.deny_push", "User rejected Okta push verify", "FAILURE"),
                                  (31, "system.push.send_factor_verify_push", "Push notification sent for verification", "SUCCESS"),
                                  (40, "user.authentication.auth_via_mfa", "Authentication of user via MFA", "SUCCESS")):
        cx.add_okta(g.okta_event(ids, t + dt.timedelta(seconds=dtm), etype, actor, client, display=disp, result=res,
                                 session_id=session, targets=[verify], request_uri="/idp/idx/authenticators/poll",
                                 debug={"factor": "OKTA_VERIFY_PUSH"}, **sec))


def _helpdesk(cx, ids) -> None:
    uid, login, name, site_name = HELPDESK
    site = SITES[site_name]
    admin = g.okta_user(uid, login, name)
    client = g._okta_client_for(site, c.UA_CHROME_WIN, "Windows 10", "CHROME")
    sec = g._okta_sec(site)

    def ev(t, etype, display, targets, legacy, uri="/api/v1/users", debug=None):
        cx.add_okta(g.okta_event(ids, t, etype, admin, client, display=display, targets=targets, legacy=legacy,
                                 request_uri=uri, debug=debug, **sec))

    newbie = {"id": "00uvn6g0Ip1Kd2Ye697", "type": "User", "alternateId": "petr.novak@example.com",
              "displayName": "Petr Novak", "detailEntry": None}
    t = at(1, 7, 48, 20)
    ev(t, "user.lifecycle.create", "Create okta user", [newbie], "core.user.config.user_creation.success")
    ev(t + dt.timedelta(seconds=25), "user.lifecycle.activate", "Activate Okta user", [newbie],
       "core.user.config.user_activated")
    for k, grp in enumerate(("Engineering", "AWS-dev-PowerUser")):
        ev(t + dt.timedelta(seconds=60 + k * 14), "group.user_membership.add", "Add user to group membership",
           [newbie, {"id": f"00g{k}eng2b3c4d5e6f697", "type": "UserGroup", "alternateId": "unknown",
                     "displayName": grp, "detailEntry": None}], "core.user_group_member.user_add", "/api/v1/groups")
    # day 1: the IT lead makes the new IT support hire a help-desk administrator (ticket IT-1187)
    lead = OKTA_ONLY[3]
    lead_actor = g.okta_user(lead[0], lead[1], lead[2])
    paul = {"id": OKTA_ONLY[5][0], "type": "User", "alternateId": OKTA_ONLY[5][1], "displayName": OKTA_ONLY[5][2],
            "detailEntry": None}
    lc = g._okta_client_for(SITES[lead[3]], c.UA_CHROME_MAC, "Mac OS X", "CHROME")
    cx.add_okta(g.okta_event(ids, at(1, 9, 37, 12), "user.account.privilege.grant", lead_actor, lc,
                             display="Grant user privilege", targets=[paul], legacy="core.user.admin_privilege.granted",
                             request_uri=f"/api/v1/users/{paul['id']}/roles",
                             debug={"privilegeGranted": "Help Desk administrator"}, **g._okta_sec(SITES[lead[3]])))
    # day 2: password reset for a locked-out user, MFA reset for a new phone
    julia = {"id": OKTA_ONLY[0][0], "type": "User", "alternateId": OKTA_ONLY[0][1], "displayName": OKTA_ONLY[0][2],
             "detailEntry": None}
    t = at(2, 8, 4, 51)
    ev(t, "user.account.unlock", "Unlock user account", [julia], "core.user.config.user_unlocked")
    ev(t + dt.timedelta(seconds=30), "user.account.reset_password", "Reset password", [julia],
       "core.user.config.password_reset")
    laura = {"id": OKTA_ONLY[2][0], "type": "User", "alternateId": OKTA_ONLY[2][1], "displayName": OKTA_ONLY[2][2],
             "detailEntry": None}
    t = at(2, 10, 31, 5)
    ev(t, "user.mfa.factor.reset_all", "Reset all factors for user", [laura], "core.user.factor.reset_all",
       f"/api/v1/users/{laura['id']}/lifecycle/reset_factors")
    actor = g.okta_user(laura["id"], laura["alternateId"], laura["displayName"])
    uclient = g._okta_client_for(site, c.UA_SAFARI_IOS, "iOS", "MOBILE_SAFARI")
    uclient["device"] = "Mobile"
    cx.add_okta(g.okta_event(ids, t + dt.timedelta(minutes=7), "user.mfa.factor.activate", actor, uclient,
                             display="Activate factor or authenticator", targets=[laura, {
                                 "id": "opf" + ids.chars(17, c.ALNUM), "type": "AuthenticatorEnrollment",
                                 "alternateId": "unknown", "displayName": "Okta Verify", "detailEntry": None}],
                             legacy="core.user.factor.activate", request_uri="/idp/idx/challenge/answer",
                             debug={"factor": "OKTA_VERIFY_PUSH"}, **sec))


PUBLIC = {PROD: [("i-0c1d2e3f4a5b6c7d8", "alb-bastion-1", "10.30.0.12", "192.0.2.200", "bastion-sg")],
          DEV: [("i-0d9e8f7a6b5c4d3e2", "jenkins-agent-public", "10.40.0.21", "192.0.2.210", "jenkins-agent-sg")],
          ML: [("i-0e1f2a3b4c5d6e7f8", "jupyterhub", "10.50.0.9", "192.0.2.220", "jupyterhub-sg")]}
SCANNERS = [
    ("198.51.100.250", dict(country="United States", city="Ashburn", lat=39.0437, lon=-77.4875, asn="64500", org="Example Cloud Scanning")),
    ("203.0.113.5", dict(country="China", city="Shanghai", lat=31.2222, lon=121.4581, asn="64502", org="Example Telecom")),
    ("203.0.113.160", dict(country="Brazil", city="Sao Paulo", lat=-23.5475, lon=-46.6361, asn="64503", org="Example Broadband")),
    ("192.0.2.240", dict(country="Russia", city="Moscow", lat=55.7558, lon=37.6173, asn="64510", org="Example Hosting")),
]


def instance_resource(acct, inst, name, priv, pub, sg, profile=None, itype="t3.medium"):
    res = g.instance_resource(inst, name, priv, pub, sg=(sg, "sg-0" + inst[3:19]), subnet="subnet-0" + inst[4:20],
                              vpc="vpc-0" + inst[5:21], itype=itype)
    if profile:
        res["instanceDetails"]["iamInstanceProfile"] = {
            "arn": f"arn:aws:iam::{acct}:instance-profile/{profile}", "id": "AIPA" + inst[3:20].upper()}
    return res


def finding(ids, acct, **kw):
    f = g.gd_finding(ids, account=acct, **kw)
    det = c.DETECTORS[acct]
    f["service"]["detectorId"] = det
    f["arn"] = f"arn:aws:guardduty:{f['region']}:{acct}:detector/{det}/finding/{f['id']}"
    return f


def _guardduty(cx, ids) -> None:
    rng = ids.rng
    for acct, hosts in PUBLIC.items():
        for inst, name, priv, pub, sg in hosts:
            res = instance_resource(acct, inst, name, priv, pub, sg)
            for day in (1, 2):
                for n in range(rng.randint(2, 3)):
                    ip, geo = rng.choice(SCANNERS)
                    port, pname = rng.choice([(22, "SSH"), (3389, "RDP"), (8080, "HTTP"), (5432, "POSTGRESQL")])
                    first = trunc(at(day, rng.randint(0, 20), rng.randint(0, 59), rng.randint(0, 59)))
                    last = first + dt.timedelta(hours=rng.randint(1, 3))
                    cx.add_gd(finding(
                        ids, acct, type_="Recon:EC2/PortProbeUnprotectedPort", severity=2.0,
                        title=f"Unprotected port on EC2 instance {inst} is being probed.",
                        description=f"EC2 instance has an unprotected port which is being probed by a known malicious host.",
                        resource=res, action={"actionType": "PORT_PROBE", "portProbeAction": {"blocked": False, "portProbeDetails": [
                            {"localPortDetails": {"port": port, "portName": pname}, "localIpDetails": {"ipAddressV4": priv},
                             "remoteIpDetails": g.remote_ip(ip, **geo)}]}},
                        first_seen=first, last_seen=last, created=first + dt.timedelta(minutes=rng.randint(5, 15)),
                        updated=last + dt.timedelta(minutes=6), count=rng.randint(3, 40)))
            if acct == PROD:
                ip, geo = SCANNERS[1]
                first = trunc(at(2, 4, 12, 40))
                cx.add_gd(finding(
                    ids, acct, type_="UnauthorizedAccess:EC2/SSHBruteForce", severity=2.0,
                    title=f"{ip} is performing SSH brute force attacks against {inst}.",
                    description=f"{ip} is performing SSH brute force attacks against {inst}. Brute force attacks are "
                                "used to gain unauthorized access to your instance by guessing the SSH password.",
                    resource=res, action={"actionType": "NETWORK_CONNECTION", "networkConnectionAction": {
                        "connectionDirection": "INBOUND", "remoteIpDetails": g.remote_ip(ip, **geo),
                        "remotePortDetails": {"port": 40622, "portName": "Unknown"},
                        "localPortDetails": {"port": 22, "portName": "SSH"}, "protocol": "TCP", "blocked": False,
                        "localIpDetails": {"ipAddressV4": priv}}},
                    first_seen=first, last_seen=first + dt.timedelta(hours=5), created=first + dt.timedelta(minutes=9),
                    updated=first + dt.timedelta(hours=5, minutes=4), count=212))
