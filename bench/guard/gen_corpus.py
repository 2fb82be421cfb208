#!/usr/bin/env python3
"""Deterministic generator for warden's guardrail benchmark corpus.

Writes, next to this file:

  corpus/pii.jsonl        labelled PII / secret spans (code-point offsets)
  corpus/injection.jsonl  prompt-injection / benign texts per source field

and, for line-based scanners (`warden guard scan FILE`), the bare texts one per
line in bench/out/guard/pii.txt and injection.txt (--txt-dir; not committed).
No text contains a newline or carriage return, so line N of a .txt file is
line N of the .jsonl file.

Python 3 standard library only, fixed seed: the same script gives the same
bytes on every run.  Every value is synthetic: numbers are drawn at random and
then given valid (or, for the hard negatives, deliberately invalid) check
digits; names, domains and addresses come from the small lists below (mail
domains are example.* family names).  See corpus/README.md for the labelling
rules.

Usage: gen_corpus.py [--out DIR] [--txt-dir DIR] [--seed N] [--stats]
"""

import argparse
import base64
import json
import os
import random
import re
import string

SEED = 20261110
HERE = os.path.dirname(os.path.abspath(__file__))

UP = string.ascii_uppercase
LOW = string.ascii_lowercase
DIG = string.digits
B32 = UP + "234567"
B64 = string.ascii_letters + DIG + "+/"
B64URL = string.ascii_letters + DIG + "-_"
ALNUM = string.ascii_letters + DIG
HEX = "0123456789abcdef"


# ------------------------------------------------------------ check digits
def luhn_digit(payload):
    """Check digit that makes payload+digit pass Luhn."""
    total = 0
    for i, ch in enumerate(reversed(payload)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def luhn_ok(number):
    d = re.sub(r"\D", "", number)
    return luhn_digit(d[:-1]) == d[-1]


RRN_W = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5]


def rrn_digit(d12):
    s = sum(int(c) * w for c, w in zip(d12, RRN_W))
    return str((11 - s % 11) % 10)


def mynumber_digit(d11):
    """Check digit of Japan's Individual Number (My Number): digits P_n counted
    from the right of the 11-digit base, Q_n = n+1 (n<=6) or n-5 (n>=7)."""
    s = 0
    for n in range(1, 12):
        p = int(d11[11 - n])
        q = n + 1 if n <= 6 else n - 5
        s += p * q
    r = s % 11
    return "0" if r <= 1 else str(11 - r)


def mynumber_ok(d):
    d = re.sub(r"\D", "", d)
    return len(d) == 12 and mynumber_digit(d[:11]) == d[11]


def _iban_int(s):
    return int("".join(str(int(c, 36)) for c in s))


def iban_make(cc, bban):
    chk = 98 - _iban_int(bban + cc + "00") % 97
    return "%s%02d%s" % (cc, chk, bban)


def iban_ok(iban):
    s = iban.replace(" ", "")
    return _iban_int(s[4:] + s[:4]) % 97 == 1


def ssn_ok(s):
    d = re.sub(r"\D", "", s)
    a, g, n = int(d[:3]), int(d[3:5]), int(d[5:])
    return a != 0 and a != 666 and a < 900 and g != 0 and n != 0


# ------------------------------------------------------------ spans
class E:
    """A labelled span: typ is the entity type; ok lists extra types a tool may
    give the same span without being wrong (see README: 'acceptable')."""

    __slots__ = ("typ", "text", "ok")

    def __init__(self, typ, text, ok=()):
        self.typ, self.text, self.ok = typ, text, tuple(ok)


class Seq(list):
    """A value made of several parts, some of them labelled (URL with password)."""


TOKEN = re.compile(r"<<([A-Z0-9_]+)(?:#(\w+))?>>")


def render(tpl, r, slots):
    out, ents, ok = [], [], []
    pos = 0
    memo = {}

    def emit(x):
        nonlocal pos
        if isinstance(x, str):
            out.append(x)
            pos += len(x)
        elif isinstance(x, E):
            s = pos
            out.append(x.text)
            pos += len(x.text)
            ents.append({"type": x.typ, "start": s, "end": pos})
            for t in x.ok:
                ok.append({"type": t, "start": s, "end": pos})
        elif isinstance(x, Seq):
            for p in x:
                emit(p)
        else:
            raise TypeError(x)

    i = 0
    for m in TOKEN.finditer(tpl):
        emit(tpl[i:m.start()])
        key = m.group(0)
        if key not in memo:
            name = m.group(1)
            if name not in slots:
                raise KeyError("unknown slot %s in %r" % (name, tpl))
            memo[key] = slots[name](r)
        emit(memo[key])
        i = m.end()
    emit(tpl[i:])
    return "".join(out), ents, ok


def rs(r, alphabet, n):
    return "".join(r.choice(alphabet) for _ in range(n))


def digits(r, n):
    return rs(r, DIG, n)


def pick(*choices):
    return lambda r: r.choice(choices)


# ------------------------------------------------------------ people and places
EN_NAMES = [("james", "smith"), ("mary", "johnson"), ("robert", "williams"), ("patricia", "brown"),
            ("john", "jones"), ("jennifer", "garcia"), ("michael", "miller"), ("linda", "davis"),
            ("david", "wilson"), ("sarah", "anderson"), ("daniel", "taylor"), ("emily", "thomas"),
            ("kevin", "moore"), ("laura", "martin"), ("brian", "walker"), ("olivia", "hall"),
            ("ethan", "young"), ("chloe", "king"), ("ryan", "wright"), ("grace", "lopez")]
KO_ROMAN = [("minji", "kim"), ("seojun", "lee"), ("jihoon", "park"), ("sua", "choi"), ("haneul", "jung"),
            ("doyun", "kang"), ("yerin", "cho"), ("seoyeon", "yoon"), ("minho", "jang"), ("jiwoo", "lim"),
            ("yujin", "han"), ("sehun", "oh"), ("chaewon", "shin"), ("taemin", "kwon")]
JA_ROMAN = [("taro", "yamada"), ("hanako", "sato"), ("ichiro", "suzuki"), ("misaki", "takahashi"),
            ("kenta", "tanaka"), ("sakura", "ito"), ("sho", "watanabe"), ("hina", "nakamura"),
            ("daisuke", "kobayashi"), ("ai", "kato"), ("yuki", "yoshida"), ("ren", "yamamoto")]
KO_NAMES = ["김민지", "이서준", "박지훈", "최수아", "정하늘", "강도윤", "조예린", "윤서연", "장민호", "임지우",
            "한유진", "오세훈", "신채원", "권태민", "황보라"]
JA_NAMES = ["山田 太郎", "佐藤 花子", "鈴木 一郎", "高橋 美咲", "田中 健太", "伊藤 さくら", "渡辺 翔",
            "中村 陽菜", "小林 大輔", "加藤 愛", "吉田 優希", "山本 蓮"]
KO_ADDR = ["서울특별시 강남구 테헤란로 152", "서울특별시 종로구 세종대로 209", "부산광역시 해운대구 센텀중앙로 79",
           "경기도 성남시 분당구 판교역로 235", "인천광역시 연수구 송도과학로 32", "대구광역시 수성구 달구벌대로 2450",
           "광주광역시 서구 상무중앙로 61"]
JA_ADDR = ["東京都千代田区丸の内1-9-2", "大阪府大阪市北区梅田3-1-3", "神奈川県横浜市西区みなとみらい2-2-1",
           "愛知県名古屋市中村区名駅1-1-4", "福岡県福岡市博多区博多駅中央街1-1", "北海道札幌市中央区北5条西2-5",
           "京都府京都市下京区烏丸通塩小路下ル東塩小路町721-1"]
EN_ADDR = ["1600 Amphitheatre Pkwy, Mountain View, CA 94043", "350 Fifth Avenue, New York, NY 10118",
           "221B Baker Street, London NW1 6XE", "410 Terry Ave N, Seattle, WA 98109",
           "1 Infinite Loop, Cupertino, CA 95014", "77 Massachusetts Ave, Cambridge, MA 02139"]
MAIL_DOMAINS = ["example.com", "example.com", "example.org", "example.net", "mail.example.com",
                "corp.example.com", "example.co.kr", "mail.example.co.kr", "example.kr", "example.ac.kr",
                "example.co.jp", "hr.example.co.jp", "example.jp", "example.ne.jp", "ops.example.net"]
REGIONS = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-northeast-1", "ap-northeast-2",
           "ap-northeast-3", "ap-southeast-1"]
SERVICES = ["billing-api", "auth-svc", "orders", "payments", "kyc-worker", "notifier", "etl-nightly",
            "gateway", "member-api", "reco-engine"]
ROLES = ["AdminRole", "ReadOnly", "DataEngineer", "OrganizationAccountAccessRole", "ci-deploy",
         "AWSReservedSSO_PowerUserAccess_3f1c2a9b7d6e5f40", "lambda-exec-role", "SecurityAudit"]
IAM_USERS = ["deploy-bot", "ci-runner", "backup-svc", "terraform", "etl_user", "admin", "kim.minji",
             "yamada.taro", "j.smith", "ops-oncall", "svc-reporting", "park_jihoon"]
BUCKETS = ["prod-app-uploads", "corp-data-lake-raw", "kyc-documents-apne2", "billing-exports",
           "cf-templates-a1b2c3", "backup-archive-2026", "media-assets-jp", "analytics-athena-results"]


def slot_email(r):
    first, last = r.choice(EN_NAMES + KO_ROMAN + JA_ROMAN)
    style = r.randrange(7)
    if style == 0:
        local = "%s.%s" % (first, last)
    elif style == 1:
        local = first[0] + last
    elif style == 2:
        local = "%s_%s" % (first, last)
    elif style == 3:
        local = "%s.%s+%s" % (first, last, r.choice(["aws", "billing", "test", "alerts", "jp"]))
    elif style == 4:
        local = "%s%s%d" % (last, first[0], r.randint(1, 99))
    elif style == 5:
        local = "%s%d" % (first, r.randint(70, 99))
    else:
        local = r.choice(["security", "it-helpdesk", "noreply", "billing", "hr", "cs-team", "soc"])
    dom = r.choice(MAIL_DOMAINS)
    if r.random() < 0.05:
        local = local.capitalize()
    return E("EMAIL", "%s@%s" % (local, dom))


# ---- phones
US_AREAS = ["212", "415", "646", "312", "206", "617", "512", "303", "404", "702", "213", "808", "917", "650"]


def _us_parts(r):
    a = r.choice(US_AREAS)
    if r.random() < 0.5:
        ex, ln = "555", "01%02d" % r.randint(0, 99)
    else:
        ex, ln = str(r.randint(2, 9)) + digits(r, 2), digits(r, 4)
    return a, ex, ln


def slot_phone_us(r):
    a, ex, ln = _us_parts(r)
    f = r.randrange(7)
    s = ["(%s) %s-%s", "%s-%s-%s", "%s.%s.%s", "+1 %s-%s-%s", "+1 (%s) %s-%s", "+1 %s %s %s", "1-%s-%s-%s"][f]
    return E("PHONE", s % (a, ex, ln))


def slot_phone_uk(r):
    f = r.randrange(6)
    mob = "7%s%02d" % (r.choice("45789"), r.randint(0, 99))
    if f == 0:
        s = "020 7946 0%s" % digits(r, 3)
    elif f == 1:
        s = "+44 20 7946 0%s" % digits(r, 3)
    elif f == 2:
        s = "0%s %s" % (mob, digits(r, 6))
    elif f == 3:
        s = "+44 %s %s" % (mob, digits(r, 6))
    elif f == 4:
        s = "0161 496 0%s" % digits(r, 3)
    else:
        s = "+44%s%s" % (mob, digits(r, 6))
    return E("PHONE", s)


def slot_phone_kr(r):
    f = r.randrange(12)
    mid4, last4 = str(r.randint(2, 9)) + digits(r, 3), digits(r, 4)
    if f in (0, 1, 2):
        s = "010-%s-%s" % (mid4, last4)
    elif f == 3:
        s = "010 %s %s" % (mid4, last4)
    elif f == 4:
        s = "02-%s-%s" % (str(r.randint(2, 9)) + digits(r, 2), last4)
    elif f == 5:
        s = "02-%s-%s" % (mid4, last4)
    elif f == 6:
        s = "%s-%s-%s" % (r.choice(["031", "032", "051", "053", "062", "064", "042"]),
                          str(r.randint(2, 9)) + digits(r, 2 + r.randrange(2)), last4)
    elif f == 7:
        s = "070-%s-%s" % (mid4, last4)
    elif f == 8:
        s = "+82 10-%s-%s" % (mid4, last4)
    elif f == 9:
        s = "+82-10-%s-%s" % (mid4, last4)
    elif f == 10:
        s = "+82 2-%s-%s" % (mid4, last4)
    else:
        s = "+8210%s%s" % (mid4, last4)
    return E("PHONE", s)


def slot_phone_jp(r):
    f = r.randrange(12)
    m4, l4 = str(r.randint(1, 9)) + digits(r, 3), digits(r, 4)
    if f in (0, 1):
        s = "%s-%s-%s" % (r.choice(["090", "080", "070"]), m4, l4)
    elif f == 2:
        s = "03-%s-%s" % (m4, l4)
    elif f == 3:
        s = "06-%s-%s" % (m4, l4)
    elif f == 4:
        s = "%s-%s-%s" % (r.choice(["045", "052", "011", "092", "075", "022"]), str(r.randint(2, 9)) + digits(r, 2), l4)
    elif f == 5:
        s = "0120-%s-%s" % (digits(r, 3), digits(r, 3))
    elif f == 6:
        s = "050-%s-%s" % (m4, l4)
    elif f == 7:
        s = "+81 90-%s-%s" % (m4, l4)
    elif f == 8:
        s = "+81-3-%s-%s" % (m4, l4)
    elif f == 9:
        s = "+81%s%s%s" % (r.choice(["90", "80"]), m4, l4)
    elif f == 10:
        s = "(03) %s-%s" % (m4, l4)
    else:
        s = "%s %s %s" % (r.choice(["090", "080"]), m4, l4)
    return E("PHONE", s)


FW = {c: chr(ord(c) + 0xFEE0) for c in "0123456789+"}
FW["-"] = "－"


def slot_phone_jp_fullwidth(r):
    """Full-width digits as Japanese forms and OCR output write them."""
    s = "%s-%s-%s" % (r.choice(["090", "080", "03"]), str(r.randint(1, 9)) + digits(r, 3), digits(r, 4))
    return E("PHONE", "".join(FW.get(c, c) for c in s))


def slot_phone_e164(r):
    f = r.randrange(4)
    if f == 0:
        a, ex, ln = _us_parts(r)
        s = "+1%s%s%s" % (a, ex, ln)
    elif f == 1:
        s = "+8210%s%s" % (str(r.randint(2, 9)) + digits(r, 3), digits(r, 4))
    elif f == 2:
        s = "+81%s%s%s" % (r.choice(["90", "80", "70"]), str(r.randint(1, 9)) + digits(r, 3), digits(r, 4))
    else:
        s = "+447%s%02d%s" % (r.choice("45789"), r.randint(0, 99), digits(r, 6))
    return E("PHONE", s)


def slot_phone_any(r):
    return r.choice([slot_phone_us, slot_phone_uk, slot_phone_kr, slot_phone_jp, slot_phone_e164])(r)


# ---- cards
def _card_digits(r, brand):
    if brand == "visa":
        p = "4" + digits(r, 14)
    elif brand == "mc":
        if r.random() < 0.7:
            p = "5" + str(r.randint(1, 5)) + digits(r, 13)
        else:
            p = str(r.randint(2221, 2720)) + digits(r, 11)
    elif brand == "amex":
        p = r.choice(["34", "37"]) + digits(r, 12)
    else:  # jcb
        p = str(r.randint(3528, 3589)) + digits(r, 11)
    return p + luhn_digit(p)


def _fmt_card(r, d, sep=None):
    if sep is None:
        sep = r.choice([" ", " ", "-", ""])
    if len(d) == 15:
        return sep.join([d[:4], d[4:10], d[10:]])
    return sep.join(d[i:i + 4] for i in range(0, 16, 4))


def slot_cc(r):
    brand = r.choice(["visa", "visa", "mc", "mc", "amex", "jcb"])
    return E("CREDIT_CARD", _fmt_card(r, _card_digits(r, brand)))


def slot_cc_brand(brand):
    return lambda r: E("CREDIT_CARD", _fmt_card(r, _card_digits(r, brand)))


def slot_cc_bare(r):
    brand = r.choice(["visa", "mc", "amex", "jcb"])
    return E("CREDIT_CARD", _card_digits(r, brand))


# ---- SSN
def _ssn_digits(r):
    while True:
        a = r.randint(1, 899)
        if a != 666:
            break
    return "%03d" % a, "%02d" % r.randint(1, 99), "%04d" % r.randint(1, 9999)


def slot_ssn(r):
    a, g, s = _ssn_digits(r)
    sep = "-" if r.random() < 0.85 else " "
    return E("US_SSN", sep.join([a, g, s]))


def slot_ssn_bare(r):
    return E("US_SSN", "".join(_ssn_digits(r)))


def slot_ssn_bad(r):
    f = r.randrange(5)
    if f == 0:
        return "000-%02d-%04d" % (r.randint(1, 99), r.randint(1, 9999))
    if f == 1:
        return "666-%02d-%04d" % (r.randint(1, 99), r.randint(1, 9999))
    if f == 2:
        return "9%02d-%02d-%04d" % (r.randint(0, 99), r.randint(1, 99), r.randint(1, 9999))
    if f == 3:
        return "%03d-00-%04d" % (r.randint(1, 665), r.randint(1, 9999))
    return "%03d-%02d-0000" % (r.randint(1, 665), r.randint(1, 99))


# ---- Korean RRN
def _birth(r, lo=1950, hi=2019):
    y = r.randint(lo, hi)
    m = r.randint(1, 12)
    d = r.randint(1, [31, 29 if y % 4 == 0 else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1])
    return y, m, d


def _rrn12(r, foreign=False):
    """YYMMDD + G + 5 digits.  G: 1/2 (born 1900-1999), 3/4 (2000-); foreign
    residents' registration numbers use 5/6 and 7/8 in the same format."""
    y, m, d = _birth(r)
    if y < 2000:
        g = r.choice("56") if foreign else r.choice("12")
    else:
        g = r.choice("78") if foreign else r.choice("34")
    return "%02d%02d%02d" % (y % 100, m, d) + g + digits(r, 5)


def slot_rrn(r):
    d12 = _rrn12(r)
    d = d12 + rrn_digit(d12)
    return E("KR_RRN", d[:6] + "-" + d[6:])


def slot_frn(r):
    """Foreigner registration number: same format and check digit, G in 5-8."""
    d12 = _rrn12(r, foreign=True)
    d = d12 + rrn_digit(d12)
    return E("KR_RRN", d[:6] + "-" + d[6:])


def slot_rrn_bare(r):
    d12 = _rrn12(r)
    return E("KR_RRN", d12 + rrn_digit(d12))


def slot_rrn_bad(r):
    d12 = _rrn12(r)
    good = int(rrn_digit(d12))
    bad = str((good + r.randint(1, 9)) % 10)
    d = d12 + bad
    return d[:6] + "-" + d[6:]


# ---- My Number
def _mn(r, valid=True):
    base = digits(r, 11)
    c = mynumber_digit(base)
    if not valid:
        c = str((int(c) + r.randint(1, 9)) % 10)
    return base + c


def _fmt12(r, d):
    sep = r.choice([" ", " ", "-", ""])
    return sep.join([d[:4], d[4:8], d[8:]])


def slot_mynum(r):
    return E("JP_MY_NUMBER", _fmt12(r, _mn(r)))


def slot_mynum_bad(r):
    return _fmt12(r, _mn(r, valid=False))


def slot_acct(r):
    """A 12-digit AWS account id (never a My Number: no My Number context)."""
    return str(r.randint(1, 9)) + digits(r, 11)


def slot_acct_mnvalid(r):
    """An AWS account id that happens to pass the My Number check digit."""
    while True:
        d = _mn(r)
        if d[0] != "0":
            return d


# ---- passports
def slot_pp_us(r):
    if r.random() < 0.5:
        return E("PASSPORT", str(r.randint(1, 9)) + digits(r, 8))
    return E("PASSPORT", r.choice("ACEFGHJKLMNPRSTUVWXYZ") + digits(r, 8))


def slot_pp_kr(r):
    if r.random() < 0.7:
        return E("PASSPORT", r.choice("MMMSR") + digits(r, 8))
    return E("PASSPORT", "M" + digits(r, 3) + r.choice("ABCDEFGHJKLMN") + digits(r, 4))


def slot_pp_jp(r):
    return E("PASSPORT", r.choice(["TK", "TR", "TZ", "TS", "MU", "MZ", "TH", "RE"]) + digits(r, 7))


def slot_pp_uk(r):
    return E("PASSPORT", str(r.randint(1, 9)) + digits(r, 8))


def slot_pp_shape(r):
    """Passport-shaped id used where nothing says passport (a negative)."""
    f = r.randrange(3)
    if f == 0:
        return r.choice("MSR") + digits(r, 8)
    if f == 1:
        return r.choice(["TK", "TR", "MU"]) + digits(r, 7)
    return r.choice("ACEFGH") + digits(r, 8)


# ---- IP addresses
def _ip4(r):
    f = r.randrange(8)
    if f == 0:
        return "10.%d.%d.%d" % (r.randint(0, 255), r.randint(0, 255), r.randint(1, 254))
    if f == 1:
        return "192.168.%d.%d" % (r.randint(0, 255), r.randint(1, 254))
    if f == 2:
        return "172.%d.%d.%d" % (r.randint(16, 31), r.randint(0, 255), r.randint(1, 254))
    if f == 3:
        return r.choice(["192.0.2", "198.51.100", "203.0.113"]) + ".%d" % r.randint(1, 254)
    return "%d.%d.%d.%d" % (r.choice([3, 13, 18, 34, 35, 44, 52, 54, 58, 61, 101, 106, 110, 121, 126, 133, 175, 211, 218, 221]),
                            r.randint(0, 255), r.randint(0, 255), r.randint(1, 254))


def slot_ip4(r):
    return E("IP_ADDRESS", _ip4(r))


def _ip6(r):
    f = r.randrange(7)
    g = lambda: "%x" % r.randint(0, 0xFFFF)
    if f == 0:
        return "2001:db8:%s:%s::%s" % (g(), g(), g())
    if f == 1:
        return ":".join([r.choice(["2406:da14", "2406:da18", "2600:1f18", "2a05:d018", "240b:10"])] +
                        [g() for _ in range(6)])
    if f == 2:
        return "fe80::%s:%s:%s:%s" % (g(), g(), g(), g())
    if f == 3:
        return "2001:0db8:" + ":".join("%04x" % r.randint(0, 0xFFFF) for _ in range(6))
    if f == 4:
        return "::ffff:" + _ip4(r)
    if f == 5:
        return "2404:6800:4004:%s::%s" % (g(), g())
    return "2001:db8::%s" % g()


def slot_ip6(r):
    return E("IP_ADDRESS", _ip6(r))


def slot_ip_any(r):
    return slot_ip6(r) if r.random() < 0.3 else slot_ip4(r)


# ---- AWS keys
def slot_akid(r):
    return E("AWS_ACCESS_KEY", "AKIA" + rs(r, B32, 16))


def slot_asia(r):
    return E("AWS_ACCESS_KEY", "ASIA" + rs(r, B32, 16))


def slot_anykey(r):
    return slot_akid(r) if r.random() < 0.6 else slot_asia(r)


def _secret40(r):
    while True:
        s = rs(r, B64, 40)
        if any(c in LOW for c in s) and any(c in UP for c in s) and any(c in DIG for c in s):
            return s


def slot_ask(r):
    return E("AWS_SECRET_KEY", _secret40(r))


def slot_nonce40(r):
    """40 base64-ish characters with no secret-key hint (a negative)."""
    return _secret40(r)


def slot_unique_id(r, prefix):
    return prefix + rs(r, B32, 17)


# ---- PEM
PEM_KINDS = ["RSA PRIVATE KEY", "RSA PRIVATE KEY", "PRIVATE KEY", "EC PRIVATE KEY", "OPENSSH PRIVATE KEY",
             "ENCRYPTED PRIVATE KEY", "DSA PRIVATE KEY"]


def _pem_body(r, kind, nbytes):
    if kind == "OPENSSH PRIVATE KEY":
        raw = b"openssh-key-v1\x00" + bytes(r.randrange(256) for _ in range(nbytes))
        width = 70
    else:
        raw = b"\x30\x82" + bytes(r.randrange(256) for _ in range(nbytes))
        width = 64
    b = base64.b64encode(raw).decode()
    return [b[i:i + width] for i in range(0, len(b), width)]


def _pem(r, sep, kind=None, nbytes=None):
    kind = kind or r.choice(PEM_KINDS)
    nbytes = nbytes or r.choice([120, 180, 240, 300])
    lines = ["-----BEGIN %s-----" % kind] + _pem_body(r, kind, nbytes) + ["-----END %s-----" % kind]
    return sep.join(lines)


def slot_pem_esc(r):
    """PEM block as it appears inside a JSON string or an env var: literal \\n."""
    return E("PRIVATE_KEY", _pem(r, "\\n"))


def slot_pem_sp(r):
    """PEM block pasted into chat and flattened to one line with spaces."""
    return E("PRIVATE_KEY", _pem(r, " "))


def slot_cert_esc(r):
    return _pem(r, "\\n", kind="CERTIFICATE")


def slot_pubkey_sp(r):
    return _pem(r, " ", kind="PUBLIC KEY", nbytes=120)


# ---- JWT
def b64url(b):
    return base64.urlsafe_b64encode(b).decode().rstrip("=")


def _jwt(r, with_alg=True):
    alg = r.choice(["HS256", "RS256", "ES256", "RS256", "HS512"])
    if with_alg:
        hdr = r.choice(['{"alg":"%s","typ":"JWT"}' % alg, '{"typ":"JWT","alg":"%s"}' % alg,
                        '{"alg":"%s","kid":"%s"}' % (alg, rs(r, ALNUM, 12))])
    else:
        hdr = r.choice(['{"typ":"JWT"}', '{"typ":"JWT","cty":"json"}', '{"kid":"%s"}' % rs(r, ALNUM, 10)])
    iat = 1762700000 + r.randint(0, 999999)
    first, last = r.choice(EN_NAMES + KO_ROMAN + JA_ROMAN)
    pl = r.choice([
        '{"sub":"%s","iat":%d,"exp":%d}' % (digits(r, 10), iat, iat + 3600),
        '{"sub":"%s","name":"%s %s","iat":%d}' % (rs(r, HEX, 24), first.title(), last.title(), iat),
        '{"iss":"https://auth.example.com/","aud":"api","scope":"read:orders","exp":%d}' % (iat + 900),
        '{"user_id":%d,"role":"member","iat":%d,"exp":%d}' % (r.randint(1000, 99999), iat, iat + 86400),
    ])
    siglen = {"HS256": 32, "HS512": 64, "ES256": 64, "RS256": 256}[alg]
    return "%s.%s.%s" % (b64url(hdr.encode()), b64url(pl.encode()), b64url(bytes(r.randrange(256) for _ in range(siglen))))


def slot_jwt(r):
    return E("JWT", _jwt(r))


def slot_jwt_noalg(r):
    return _jwt(r, with_alg=False)


def slot_b64json(r):
    """Base64 of a JSON object, no dots: starts with eyJ but is not a JWT."""
    obj = r.choice(['{"page":%d,"size":50}' % r.randint(1, 90),
                    '{"cursor":"%s","dir":"next"}' % rs(r, ALNUM, 12),
                    '{"v":2,"sid":"%s"}' % rs(r, HEX, 16)])
    return base64.b64encode(obj.encode()).decode()


# ---- bearer tokens
def _opaque(r):
    f = r.randrange(5)
    if f == 0:
        return rs(r, ALNUM, r.choice([32, 40, 48, 64]))
    if f == 1:
        return "ya29." + rs(r, B64URL, 120)
    if f == 2:
        return "gho_" + rs(r, ALNUM, 36)
    if f == 3:
        return "xoxb-%s-%s-%s" % (digits(r, 12), digits(r, 13), rs(r, ALNUM, 24))
    return rs(r, ALNUM + "-._~", 43)


def slot_bearer(r):
    if r.random() < 0.3:
        return E("BEARER_TOKEN", _jwt(r), ok=("JWT",))
    return E("BEARER_TOKEN", _opaque(r))


# ---- URL passwords
def _pw(r):
    f = r.randrange(4)
    if f == 0:
        return rs(r, ALNUM, r.randint(10, 24))
    if f == 1:
        return rs(r, LOW, 5) + r.choice(["!", "-", "_", "."]) + digits(r, 4) + rs(r, UP, 2)
    if f == 2:
        return rs(r, ALNUM, 8) + "%40" + rs(r, ALNUM, 6)
    return r.choice(["Summer", "Winter", "Hunter", "Dragon", "Tokyo", "Seoul"]) + digits(r, 4) + r.choice(["!", "#", "~"])


DB_HOSTS = ["db.internal", "prod-db.cluster-c1xyzabc2def.ap-northeast-2.rds.amazonaws.com", "mysql-01.corp.example.com",
            "redis.cache.internal", "mq.example.net", "mongo-0.mongo.svc.cluster.local", "ftp.example.org",
            "smtp.example.com", "pg-replica.example.co.jp", "cluster0.ab1cd.mongodb.net"]


def slot_urlpw(r):
    scheme = r.choice(["postgres", "postgresql", "mysql", "mongodb", "mongodb+srv", "redis", "rediss", "amqp",
                       "https", "ftp", "smtp", "sftp"])
    user = "" if scheme.startswith("redis") and r.random() < 0.5 else r.choice(
        ["app", "admin", "svc_etl", "readonly", "root", "deploy", "reporter", "guest", "batch"])
    if r.random() < 0.25:
        host = E("IP_ADDRESS", _ip4(r))
    else:
        host = r.choice(DB_HOSTS)
    port = {"postgres": ":5432", "postgresql": ":5432", "mysql": ":3306", "redis": ":6379", "rediss": ":6380",
            "amqp": ":5672", "mongodb": ":27017", "ftp": "", "smtp": ":587", "sftp": ":22", "https": "",
            "mongodb+srv": ""}[scheme]
    path = r.choice(["/app", "/orders", "/0", "/", "/prod?sslmode=require", "", "/vhost"])
    return Seq([scheme + "://" + user + ":", E("URL_PASSWORD", _pw(r)), "@", host, port + path])


def slot_url_nopw(r):
    f = r.randrange(7)
    h = r.choice(["api.example.com", "console.example.co.kr", "status.example.jp", "s3.amazonaws.com",
                  "grafana.ops.example.net"])
    if f == 0:
        return "https://%s/v1/orders?page=%d&sort=desc" % (h, r.randint(1, 9))
    if f == 1:
        return "https://deploy@%s/repo.git" % h
    if f == 2:
        return "ssh://git@%s:22/team/infra.git" % h
    if f == 3:
        return "https://%s:8443/login?next=%%2Fdashboard" % h
    if f == 4:
        return "postgres://%s:5432/app" % r.choice(DB_HOSTS)
    if f == 5:
        return "redis://%s:6379/0" % r.choice(DB_HOSTS)
    return "http://%s/health" % h


def slot_url_masked(r):
    return "%s://%s:%s@%s" % (r.choice(["postgres", "mysql", "amqp"]), r.choice(["app", "admin"]),
                              r.choice(["****", "${DB_PASSWORD}", "<password>", "[REDACTED]", "%s"]),
                              r.choice(DB_HOSTS))


# ---- IBAN
def _bban(r, cc):
    if cc == "DE":
        return digits(r, 18)
    if cc == "GB":
        return r.choice(["NWBK", "BARC", "LOYD", "HBUK", "MIDL"]) + digits(r, 14)
    if cc == "FR":
        return digits(r, 10) + rs(r, UP + DIG, 11) + digits(r, 2)
    if cc == "ES":
        return digits(r, 20)
    if cc == "IT":
        return r.choice(UP) + digits(r, 10) + rs(r, DIG, 12)
    if cc == "NL":
        return r.choice(["ABNA", "INGB", "RABO", "TRIO"]) + digits(r, 10)
    if cc == "BE":
        return digits(r, 12)
    if cc == "CH":
        return digits(r, 5) + rs(r, DIG, 12)
    if cc == "AT":
        return digits(r, 16)
    return digits(r, 24)  # PL


def _iban(r, valid=True):
    cc = r.choice(["DE", "DE", "GB", "GB", "FR", "ES", "IT", "NL", "BE", "CH", "AT", "PL"])
    v = iban_make(cc, _bban(r, cc))
    if not valid:
        c = (int(v[2:4]) + r.randint(1, 50)) % 97
        c = 2 if c < 2 else c
        v = v[:2] + "%02d" % c + v[4:]
        if iban_ok(v):
            v = v[:2] + "%02d" % ((c + 1) % 97 or 2) + v[4:]
    return v


def _fmt_iban(r, v, spaced=None):
    if spaced is None:
        spaced = r.random() < 0.55
    return " ".join(v[i:i + 4] for i in range(0, len(v), 4)) if spaced else v


def slot_iban(r):
    return E("IBAN", _fmt_iban(r, _iban(r)))


def slot_iban_compact(r):
    return E("IBAN", _fmt_iban(r, _iban(r), spaced=False))


def slot_iban_bad(r):
    return _fmt_iban(r, _iban(r, valid=False))


# ---- neutral fillers and hard negatives
def slot_ts(r):
    return "2026-%02d-%02dT%02d:%02d:%02dZ" % (r.randint(1, 12), r.randint(1, 28), r.randint(0, 23),
                                                r.randint(0, 59), r.randint(0, 59))


def slot_tsl(r):
    return "2026-%02d-%02d %02d:%02d:%02d,%03d" % (r.randint(1, 12), r.randint(1, 28), r.randint(0, 23),
                                                    r.randint(0, 59), r.randint(0, 59), r.randint(0, 999))


def slot_date(r):
    return "2026-%02d-%02d" % (r.randint(1, 12), r.randint(1, 28))


def slot_uuid(r):
    h = rs(r, HEX, 32)
    return "%s-%s-%s-%s-%s" % (h[:8], h[8:12], h[12:16], h[16:20], h[20:])


def slot_reqid(r):
    while True:
        s = rs(r, "0123456789ABCDEF", 16)
        if any(c.isalpha() for c in s):
            return s


def slot_hexn(n):
    return lambda r: rs(r, HEX, n)


def slot_b64blob(r):
    return base64.b64encode(bytes(r.randrange(256) for _ in range(r.choice([33, 48, 57, 76])))).decode()


def slot_order(r):
    f = r.randrange(6)
    if f == 0:
        return "ORD-2026-%06d" % r.randint(0, 999999)
    if f == 1:
        return "#%d" % r.randint(10 ** 9, 10 ** 10 - 1)
    if f == 2:
        return "1Z%s%s" % (rs(r, UP + DIG, 6), digits(r, 10))
    if f == 3:
        return "%s-%s-%s" % (rs(r, UP, 2), digits(r, 6), digits(r, 4))
    if f == 4:
        return "INV%s" % digits(r, 8)
    return "%s%s" % (r.choice(["KR", "JP", "US"]), digits(r, 14))


def slot_luhn_bad(r):
    """16 digits that fail Luhn, grouped like a card sometimes."""
    while True:
        d = r.choice("3456") + digits(r, 15)
        if not luhn_ok(d):
            break
    f = r.randrange(3)
    return d if f == 0 else _fmt_card(r, d, sep=" " if f == 1 else "-")


def slot_serial(r):
    """Phone-shaped numbers that are part of a longer identifier."""
    f = r.randrange(6)
    if f == 0:
        return "SN-%s-%s-%s-%s" % (r.choice(["010", "090", "02"]), digits(r, 4), digits(r, 4), digits(r, 2))
    if f == 1:
        return "%s-%s-%s%s" % (r.choice(["010", "080", "03"]), digits(r, 4), digits(r, 4), r.choice("ABKX"))
    if f == 2:
        return "LOT%s-%s-%s" % (digits(r, 3), digits(r, 4), digits(r, 4))
    if f == 3:
        return "%s-%s-%s-%s" % (digits(r, 4), digits(r, 4), digits(r, 4), digits(r, 2))
    if f == 4:
        return "P/N %s.%s.%s" % (digits(r, 3), digits(r, 3), digits(r, 4))
    return "%s%s" % (r.choice(["TKT", "CS", "REQ"]), digits(r, 11))


def slot_version4(r):
    f = r.randrange(5)
    if f == 0:
        return "10.0.%d.%d" % (r.randint(17763, 26100), r.randint(1, 4000))
    if f == 1:
        return "%d.%d.%d.%d-%s" % (r.randint(1, 9), r.randint(0, 9), r.randint(0, 9), r.randint(0, 9),
                                  r.choice(["alpha", "beta.2", "rc1", "SNAPSHOT"]))
    if f == 2:
        return "v%d.%d.%d" % (r.randint(0, 3), r.randint(0, 40), r.randint(0, 99))
    if f == 3:
        return "%d.%d.%d.%d.%d" % (r.randint(1, 9), r.randint(0, 9), r.randint(0, 9), r.randint(0, 9), r.randint(0, 999))
    return "%d.%d.%d" % (r.randint(1, 20), r.randint(0, 60), r.randint(0, 300))


def slot_oid(r):
    return "1.3.6.1.4.1.%d.%d.%d" % (r.randint(100, 60000), r.randint(1, 20), r.randint(1, 99))


def slot_mac(r):
    return ":".join("%02x" % r.randrange(256) for _ in range(6))


def slot_ua_tool(r):
    v = lambda a, b: "%d.%d.%d" % (r.randint(1, 2), r.randint(a, b), r.randint(0, 99))
    return r.choice([
        "aws-cli/%s md/awscrt#0.19.19 ua/2.0 os/linux#6.1.72-96.166.amzn2023.x86_64 md/arch#x86_64 lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/prompt#off md/command#s3.cp" % v(10, 22),
        "Boto3/1.34.%d md/Botocore#1.34.%d ua/2.0 os/linux#5.10.213-201.855.amzn2.x86_64 md/arch#x86_64 lang/python#3.12.2 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.%d" % ((r.randint(1, 99),) * 3),
        "aws-sdk-go-v2/1.25.%d os/linux lang/go#1.22.1 md/GOOS#linux md/GOARCH#amd64 api/s3#1.51.3" % r.randint(0, 9),
        "APN/1.0 HashiCorp/1.0 Terraform/1.7.5 (+https://www.terraform.io) terraform-provider-aws/5.42.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.26.0 os/linux lang/go#1.22.1",
        "console.amazonaws.com", "AWS Internal", "cloudformation.amazonaws.com",
        "aws-sdk-java/2.25.%d Linux/5.10.209-198.812.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/17.0.10+7-LTS Java/17.0.10 vendor/Amazon.com_Inc. exec-env/AWS_ECS_FARGATE io/sync http/Apache cfg/retry-mode/legacy" % r.randint(0, 60),
    ])


def slot_ua_browser(r):
    f = r.randrange(4)
    if f == 0:
        return "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/%d.0.0.0 Safari/537.36" % r.randint(118, 131)
    if f == 1:
        return "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15"
    if f == 2:
        return "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/%d.0.%d.%d Safari/537.36 Edg/%d.0.%d.%d" % (
            r.randint(118, 131), r.randint(5000, 6800), r.randint(10, 200), r.randint(118, 131), r.randint(2000, 2900), r.randint(10, 99))
    return "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"


def slot_int(r):
    return str(r.randint(1, 99999))


def slot_name_en(r):
    f, l = r.choice(EN_NAMES)
    return "%s %s" % (f.title(), l.title())


def slot_name_en_up(r):
    f, l = r.choice(EN_NAMES)
    return "%s %s" % (l.upper(), f.upper())


SLOTS = {
    # entities
    "EMAIL": slot_email,
    "PHONE_US": slot_phone_us, "PHONE_UK": slot_phone_uk, "PHONE_KR": slot_phone_kr, "PHONE_JP": slot_phone_jp,
    "PHONE_JP_FW": slot_phone_jp_fullwidth, "PHONE_E164": slot_phone_e164, "PHONE": slot_phone_any,
    "CC": slot_cc, "CC_BARE": slot_cc_bare, "CC_VISA": slot_cc_brand("visa"), "CC_MC": slot_cc_brand("mc"),
    "CC_AMEX": slot_cc_brand("amex"), "CC_JCB": slot_cc_brand("jcb"),
    "SSN": slot_ssn, "SSN_BARE": slot_ssn_bare,
    "RRN": slot_rrn, "RRN_BARE": slot_rrn_bare, "FRN": slot_frn,
    "MYNUM": slot_mynum,
    "PP_US": slot_pp_us, "PP_KR": slot_pp_kr, "PP_JP": slot_pp_jp, "PP_UK": slot_pp_uk,
    "IP4": slot_ip4, "IP6": slot_ip6, "IP": slot_ip_any,
    "AKID": slot_akid, "ASIA": slot_asia, "AWSKEY": slot_anykey, "ASK": slot_ask,
    "PEM_ESC": slot_pem_esc, "PEM_SP": slot_pem_sp,
    "JWT": slot_jwt, "BEARER": slot_bearer, "URLPW": slot_urlpw,
    "IBAN": slot_iban, "IBAN_COMPACT": slot_iban_compact,
    # neutral fillers and hard negatives (never labelled)
    "TS": slot_ts, "TSL": slot_tsl, "DATE": slot_date, "UUID": slot_uuid, "REQID": slot_reqid,
    "ACCT": slot_acct, "ACCT_MN": slot_acct_mnvalid, "REGION": lambda r: r.choice(REGIONS),
    "SVC": lambda r: r.choice(SERVICES), "ROLE": lambda r: r.choice(ROLES), "IAMUSER": lambda r: r.choice(IAM_USERS),
    "BUCKET": lambda r: r.choice(BUCKETS), "SESSION": lambda r: r.choice(["botocore-session-%d" % r.randint(10 ** 9, 10 ** 10 - 1), "i-0%s" % rs(r, HEX, 16), "GitHubActions", "aws-go-sdk-%d" % r.randint(10 ** 12, 10 ** 13)]),
    "AIDA": lambda r: slot_unique_id(r, "AIDA"), "AROA": lambda r: slot_unique_id(r, "AROA"),
    "ANPA": lambda r: slot_unique_id(r, "ANPA"),
    "UA": slot_ua_tool, "UA_BROWSER": slot_ua_browser, "INT": slot_int, "PID": lambda r: str(r.randint(300, 65000)),
    "PORT": lambda r: str(r.randint(1024, 65535)), "HEX16": slot_hexn(16), "SHA1": slot_hexn(40),
    "SHA256": slot_hexn(64), "MD5": slot_hexn(32), "B64BLOB": slot_b64blob, "B64JSON": slot_b64json,
    "JWT_NOALG": slot_jwt_noalg, "NONCE40": slot_nonce40,
    "INSTANCE": lambda r: "i-0" + rs(r, HEX, 16), "SG": lambda r: "sg-0" + rs(r, HEX, 16),
    "AMI": lambda r: "ami-0" + rs(r, HEX, 16), "VPC": lambda r: "vpc-0" + rs(r, HEX, 16),
    "ORDER": slot_order, "LUHN_BAD": slot_luhn_bad, "SSN_BAD": slot_ssn_bad, "RRN_BAD": slot_rrn_bad,
    "MYNUM_BAD": slot_mynum_bad, "IBAN_BAD": slot_iban_bad, "SERIAL": slot_serial, "VERSION4": slot_version4,
    "OID": slot_oid, "MAC": slot_mac, "PP_SHAPE": slot_pp_shape, "URL_NOPW": slot_url_nopw,
    "URL_MASKED": slot_url_masked, "CERT_ESC": slot_cert_esc, "PUBKEY_SP": slot_pubkey_sp,
    "NAME_EN": slot_name_en, "NAME_EN_UP": slot_name_en_up, "NAME_KO": lambda r: r.choice(KO_NAMES),
    "NAME_JA": lambda r: r.choice(JA_NAMES), "ADDR_KO": lambda r: r.choice(KO_ADDR),
    "ADDR_JA": lambda r: r.choice(JA_ADDR), "ADDR_EN": lambda r: r.choice(EN_ADDR),
    "AMOUNT": lambda r: "%d.%02d" % (r.randint(1, 9999), r.randint(0, 99)),
    "SLACKID": lambda r: "U0" + rs(r, UP + DIG, 8),
    "EPOCH": lambda r: str(1762700000 + r.randint(0, 9999999)),
    "EPOCHMS": lambda r: str(1762700000000 + r.randint(0, 9999999999)),
    "KRBRN": lambda r: "%s-%s-%s" % (digits(r, 3), digits(r, 2), digits(r, 5)),
    "POSTJP": lambda r: "〒%s-%s" % (digits(r, 3), digits(r, 4)),
    "HOSTIP": lambda r: "ip-10-%d-%d-%d" % (r.randint(0, 255), r.randint(0, 255), r.randint(1, 254)),
    "CIDR_PFX": lambda r: "/%d" % r.choice([8, 16, 20, 24, 32]),
    "RAND6": lambda r: rs(r, ALNUM, 6), "RAND8": lambda r: rs(r, UP + DIG, 8),
    "RAND9": lambda r: rs(r, ALNUM, 9), "RAND24": lambda r: rs(r, ALNUM, 24),
    "SURNAME": lambda r: r.choice(EN_NAMES + KO_ROMAN)[1].upper(),
    "GIVEN": lambda r: r.choice(EN_NAMES + KO_ROMAN)[0].upper(),
    "SURNAME_JA": lambda r: r.choice(JA_ROMAN)[1].upper(), "GIVEN_JA": lambda r: r.choice(JA_ROMAN)[0].upper(),
    "YEN": lambda r: "{:,}".format(r.randint(100, 999999)),
    "WON": lambda r: "{:,}".format(r.randint(1000, 9999999)),
}

from pii_templates import PII_TEMPLATES  # noqa: E402  (kept in its own file: it is long)
from injection_templates import build_injection  # noqa: E402


# ------------------------------------------------------------ build
def build_pii(r):
    rows, seen = [], set()
    counter = {}
    for lang, ctx, reps, group, tpl in PII_TEMPLATES:
        made, tries = 0, 0
        while made < reps and tries < reps * 20:
            tries += 1
            text, ents, ok = render(tpl, r, SLOTS)
            if text in seen:
                continue
            seen.add(text)
            made += 1
            counter[group] = counter.get(group, 0) + 1
            row = {"id": "pii-%s-%04d" % (group.lower(), counter[group]), "lang": lang, "context": ctx,
                   "text": text, "entities": ents}
            if ok:
                row["acceptable"] = ok
            rows.append(row)
    r.shuffle(rows)
    return rows


VALIDATORS = {
    "CREDIT_CARD": luhn_ok,
    "US_SSN": ssn_ok,
    "KR_RRN": lambda s: rrn_digit(re.sub(r"\D", "", s)[:12]) == re.sub(r"\D", "", s)[12],
    "JP_MY_NUMBER": mynumber_ok,
    "IBAN": iban_ok,
    "AWS_ACCESS_KEY": lambda s: re.fullmatch(r"(AKIA|ASIA)[A-Z2-7]{16}", s) is not None,
    "AWS_SECRET_KEY": lambda s: re.fullmatch(r"[A-Za-z0-9/+]{40}", s) is not None,
    "PRIVATE_KEY": lambda s: s.startswith("-----BEGIN ") and s.endswith("PRIVATE KEY-----"),
    "JWT": lambda s: '"alg"' in base64.urlsafe_b64decode(s.split(".")[0] + "==").decode(),
    "EMAIL": lambda s: re.fullmatch(r"[^@\s]+@[a-z0-9.-]+\.[a-z]+", s, re.I) is not None,
}


def check(rows):
    """Sanity checks on the labels: spans in range, values valid, no newlines."""
    types = set()
    for row in rows:
        t = row["text"]
        assert "\n" not in t and "\r" not in t, row["id"]
        for e in row["entities"]:
            v = t[e["start"]:e["end"]]
            assert v and v == v.strip(), (row["id"], e)
            f = VALIDATORS.get(e["type"])
            if f:
                assert f(v), (row["id"], e["type"], v)
            types.add(e["type"])
    return types


def write_jsonl(path, rows):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


def write_txt(path, rows):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for row in rows:
            f.write(row["text"] + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=os.path.join(HERE, "corpus"))
    ap.add_argument("--txt-dir", default=os.path.join(os.path.dirname(os.path.dirname(HERE)), "bench", "out", "guard"))
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--stats", action="store_true", help="print counts per entity and language")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    r = random.Random(a.seed)
    pii = build_pii(r)
    check(pii)
    inj = build_injection(random.Random(a.seed + 1))
    for row in inj:
        assert "\n" not in row["text"] and "\r" not in row["text"], row["id"]
    write_jsonl(os.path.join(a.out, "pii.jsonl"), pii)
    write_jsonl(os.path.join(a.out, "injection.jsonl"), inj)
    if a.txt_dir:
        os.makedirs(a.txt_dir, exist_ok=True)
        write_txt(os.path.join(a.txt_dir, "pii.txt"), pii)
        write_txt(os.path.join(a.txt_dir, "injection.txt"), inj)
    print("pii.jsonl: %d lines, %d entities; injection.jsonl: %d lines (%d injections)" % (
        len(pii), sum(len(x["entities"]) for x in pii), len(inj), sum(x["injection"] for x in inj)))
    if a.stats:
        stats(pii, inj)


def stats(pii, inj):
    from collections import Counter
    ent = Counter()
    for row in pii:
        for e in row["entities"]:
            ent[(e["type"], row["lang"])] += 1
            ent[(e["type"], "all")] += 1
            ent[(e["type"], row["context"])] += 1
    types = sorted({t for t, _ in ent})
    print("| entity | all | en | ko | ja | log | prose |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for t in types:
        print("| %s | %s |" % (t, " | ".join(str(ent[(t, k)]) for k in ["all", "en", "ko", "ja", "log", "prose"])))
    lines = Counter((row["lang"], row["context"]) for row in pii)
    neg = Counter(row["lang"] for row in pii if not row["entities"])
    print("lines by lang/context:", dict(sorted(lines.items())), "lines without entities:", dict(sorted(neg.items())))
    c = Counter((row["field"], row["injection"]) for row in inj)
    print("injection by field:", dict(sorted(c.items())))
    print("injection by lang:", dict(sorted(Counter((row["lang"], row["injection"]) for row in inj).items())))
    print("injection techniques:", dict(sorted(Counter(row["technique"] for row in inj).items())))


if __name__ == "__main__":
    main()
