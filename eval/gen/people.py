"""The people of Example Corp: Okta identities, offices, AWS access (IAM Identity Center).

Shared by the AWS console background (bg_people), the Okta background (bg_okta) and the
stories that need a victim.
"""
from __future__ import annotations

from .common import BERLIN_GEO, DEV, HOME_IPS, ML, NYC_GEO, OFFICE_BERLIN, OFFICE_NYC, PROD

SITES = {
    "berlin": dict(ip=OFFICE_BERLIN, asn=64506, as_org="example broadband gmbh", isp="Example Broadband",
                   domain="example-broadband.de", **BERLIN_GEO),
    "nyc": dict(ip=OFFICE_NYC, asn=64500, as_org="example fiber llc", isp="Example Fiber",
                domain="examplefiber.net", **NYC_GEO),
    "remote1": dict(ip=HOME_IPS["remote1"], asn=64507, as_org="example cable", isp="Example Cable",
                    domain="examplecable.de", city="Hamburg", state="Hamburg", country="Germany",
                    postal="20095", lat=53.5511, lon=9.9937),
    "remote2": dict(ip=HOME_IPS["remote2"], asn=64508, as_org="example telekom", isp="Example Telekom",
                    domain="example-telekom.pl", city="Warsaw", state="Mazowieckie", country="Poland",
                    postal="00-001", lat=52.2297, lon=21.0122),
    "remote3": dict(ip=HOME_IPS["remote3"], asn=64501, as_org="example wireless", isp="Example Wireless",
                    domain="examplewireless.com", city="Boston", state="Massachusetts",
                    country="United States", postal="02108", lat=42.3601, lon=-71.0589),
}

# working hours in UTC per site (start, end)
HOURS = {"berlin": (7, 16), "nyc": (14, 22), "remote1": (8, 17), "remote2": (7, 15), "remote3": (13, 21)}

# Permission-set role names differ per account (the suffix is a hash AWS picks per account)
PERMSETS = {
    PROD: {"Admin": "AWSReservedSSO_AdministratorAccess_3f1a9c2e7b5d4e60",
           "Power": "AWSReservedSSO_PowerUserAccess_8c2d6e4f1a3b5c7d",
           "ReadOnly": "AWSReservedSSO_ReadOnlyAccess_5e7f9a1b3c5d7e9f",
           "Security": "AWSReservedSSO_SecurityAudit_0b2d4f6a8c0e2a4c",
           "Billing": "AWSReservedSSO_Billing_6c8e0a2c4e6a8c0e"},
    DEV: {"Admin": "AWSReservedSSO_AdministratorAccess_a1c3e5a7c9e1a3c5",
          "Power": "AWSReservedSSO_PowerUserAccess_b2d4f6b8d0f2b4d6",
          "ReadOnly": "AWSReservedSSO_ReadOnlyAccess_c3e5a7c9e1a3c5e7",
          "Security": "AWSReservedSSO_SecurityAudit_d4f6b8d0f2b4d6f8"},
    ML: {"Power": "AWSReservedSSO_PowerUserAccess_e5a7c9e1a3c5e7a9",
         "DataScientist": "AWSReservedSSO_DataScientist_f6b8d0f2b4d6f8b0",
         "ReadOnly": "AWSReservedSSO_ReadOnlyAccess_a7c9e1a3c5e7a9c1",
         "Security": "AWSReservedSSO_SecurityAudit_b8d0f2b4d6f8b0d2"},
}

# (okta id, login, display name, site, AWS access {account: permission set key}, role)
PEOPLE = [
    ("00u1as9k2Lm3Nb4Vc697", "anna.schmidt@example.com", "Anna Schmidt", "berlin",
     {PROD: "Admin", DEV: "Admin"}, "platform-admin"),
    ("00u2jw8h3Kn4Mc5Xd697", "jonas.weber@example.com", "Jonas Weber", "berlin",
     {PROD: "Power", DEV: "Power"}, "sre"),
    ("00u3lf7g4Jp5Ld6Ye697", "lena.fischer@example.com", "Lena Fischer", "berlin",
     {DEV: "Power", PROD: "ReadOnly"}, "developer"),
    ("00u4mr6f5Hq6Ke7Zf697", "marco.rossi@example.com", "Marco Rossi", "berlin",
     {DEV: "Power"}, "developer"),
    ("00u5sg5e6Gr7Jf8Ag697", "sofia.garcia@example.com", "Sofia Garcia", "berlin",
     {ML: "DataScientist"}, "data-scientist"),
    ("00u6dc4d7Fs8Hg9Bh697", "david.chen@example.com", "David Chen", "nyc",
     {PROD: "Power", DEV: "Power"}, "sre"),
    ("00u7ej3c8Et9Gh0Ci697", "emily.johnson@example.com", "Emily Johnson", "nyc",
     {DEV: "Power", PROD: "ReadOnly"}, "developer"),
    ("00u8rp2b9Du0Fi1Dj697", "ravi.patel@example.com", "Ravi Patel", "nyc",
     {ML: "Power"}, "ml-engineer"),
    ("00u9sm1a0Cv1Ej2Ek697", "sarah.miller@example.com", "Sarah Miller", "nyc",
     {PROD: "Security", DEV: "Security", ML: "Security"}, "security"),
    ("00uamb0z1Bw2Dk3Fl697", "michael.brown@example.com", "Michael Brown", "nyc",
     {PROD: "Billing"}, "finance"),
    ("00ubtb9y2Ax3Cl4Gm697", "tom.becker@example.com", "Tom Becker", "remote1",
     {DEV: "Power"}, "developer"),
    ("00ucnk8x3Zy4Bm5Hn697", "nina.kowalski@example.com", "Nina Kowalski", "remote2",
     {ML: "DataScientist"}, "data-engineer"),
    ("00udkl7w4Yz5An6Io697", "kevin.lee@example.com", "Kevin Lee", "remote3",
     {DEV: "Power", ML: "ReadOnly"}, "developer"),
]
# Okta-only staff (no AWS access): they still sign in to Slack, Jira, Google Workspace ...
OKTA_ONLY = [
    ("00uex1v5Xa6Zo7Jp697", "julia.hoffmann@example.com", "Julia Hoffmann", "berlin"),
    ("00ufy2u6Wb7Yp8Kq697", "felix.wagner@example.com", "Felix Wagner", "berlin"),
    ("00ugz3t7Vc8Xq9Lr697", "laura.schulz@example.com", "Laura Schulz", "berlin"),
    ("00uha4s8Ud9Wr0Ms697", "maximilian.koch@example.com", "Maximilian Koch", "berlin"),
    ("00uib5r9Te0Vs1Nt697", "hannah.richter@example.com", "Hannah Richter", "berlin"),
    ("00ujc6q0Sf1Ut2Ou697", "paul.klein@example.com", "Paul Klein", "berlin"),
    ("00ukd7p1Rg2Tu3Pv697", "olivia.wilson@example.com", "Olivia Wilson", "nyc"),
    ("00ule8o2Qh3Sv4Qw697", "james.taylor@example.com", "James Taylor", "nyc"),
    ("00umf9n3Pi4Rw5Rx697", "ava.martinez@example.com", "Ava Martinez", "nyc"),
    ("00ung0m4Oj5Qx6Sy697", "noah.anderson@example.com", "Noah Anderson", "nyc"),
    ("00uoh1l5Nk6Py7Tz697", "mia.thomas@example.com", "Mia Thomas", "nyc"),
    ("00upi2k6Ml7Oz8Ua697", "liam.jackson@example.com", "Liam Jackson", "nyc"),
    ("00uqj3j7Lm8Na9Vb697", "emma.white@example.com", "Emma White", "remote3"),
    ("00urk4i8Kn9Mb0Wc697", "lucas.harris@example.com", "Lucas Harris", "remote1"),
    ("00usl5h9Jo0Lc1Xd697", "helpdesk.admin@example.com", "IT Helpdesk", "berlin"),
]
HELPDESK = OKTA_ONLY[-1]


def person(login: str):
    for p in PEOPLE:
        if p[1] == login:
            return p
    raise KeyError(login)
