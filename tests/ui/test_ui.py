#!/usr/bin/env python3
"""End-to-end test of warden's web UI in headless Chromium (Debian's
`chromium`, driven by Playwright): sign in, the incidents dashboard, an
incident with its evidence JSON, a streamed answer with clickable
citations, the IAM policy portal (check, fix, generate), the language
switch, a phone-sized screen, keyboard-only sign-in, CSRF refusal, and
that text from logs or questions never becomes markup.

Screenshots of each page are kept in target/ui-screenshots/.

Usage: python3 tests/ui/test_ui.py [path/to/warden]
"""
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright, expect

ROOT = Path(__file__).resolve().parents[2]
WARDEN = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "target/debug/warden")
SHOTS = ROOT / "target/ui-screenshots"
CHROMIUM = os.environ.get("WARDEN_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]

RISKY_POLICY = """{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "Deploy",
      "Effect": "Allow",
      "Action": ["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"],
      "Resource": "*"
    },
    {
      "Sid": "Data",
      "Effect": "Allow",
      "Action": ["s3:GetObject", "s3:Get*", "s3:PutObject"],
      "Resource": "arn:aws:s3:::acme-uploads/*"
    }
  ]
}"""


DEMO_STORE = []


def start_demo():
    proc = subprocess.Popen(
        [str(WARDEN), "serve", "--demo", "--listen", "127.0.0.1:0"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    password = addr = None
    deadline = time.time() + 120
    lines = []
    while time.time() < deadline and not addr:
        line = proc.stderr.readline()
        if not line:
            if proc.poll() is not None:
                break
            continue
        lines.append(line)
        m = re.search(r"demo store (\S+)", line)
        if m:
            DEMO_STORE.append(m.group(1))
        m = re.search(r"password '([^']+)'", line)
        if m:
            password = m.group(1)
        m = re.search(r"listening on (http://\S+)", line)
        if m:
            addr = m.group(1)
    if not (addr and password):
        proc.kill()
        raise SystemExit("warden serve --demo did not start:\n" + "".join(lines))
    addr = addr.replace("127.0.0.1", "localhost")
    return proc, addr, password


def check(cond, what):
    if not cond:
        raise AssertionError(what)
    print("  ok:", what)


def main():
    SHOTS.mkdir(parents=True, exist_ok=True)
    for old in SHOTS.glob("*.png"):
        old.unlink()
    proc, base, password = start_demo()
    problems = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
            ctx = browser.new_context(viewport={"width": 1366, "height": 900}, locale="en-US")
            page = ctx.new_page()
            # 401 before sign-in, after a wrong password and after sign-out,
            # and the CSRF test's 403, are expected; anything else is not.
            expected = re.compile(r"Failed to load resource: .* status of (401|403)")
            page.on("console", lambda m: m.type == "error" and not expected.search(m.text)
                    and problems.append(m.text))
            page.on("pageerror", lambda e: problems.append(str(e)))
            page.on("dialog", lambda d: problems.append("a script dialog opened: " + d.message))

            print("sign in")
            page.goto(base + "/")
            expect(page.locator("#login-user")).to_be_visible()
            check(page.evaluate("document.activeElement.id") == "login-user",
                  "the user name field has the focus")
            first = page.evaluate("""() => [...document.querySelectorAll('a[href], button, input, select, textarea')]
                .find(e => e.offsetParent !== null || e.className === 'skip').className""")
            check(first == "skip", "'Skip to content' is the first stop in the tab order")
            page.focus(".skip")
            check(page.locator(".skip").bounding_box()["x"] >= 0, "the skip link shows when focused")
            page.fill("#login-user", "demo")
            page.fill("#login-password", "not-the-password")
            page.click("form button[type=submit]")
            expect(page.locator(".login .error")).to_contain_text("Wrong user name or password")
            check(True, "a wrong password is refused with a clear message")
            page.screenshot(path=str(SHOTS / "01-login.png"))
            # Keyboard only: type into the focused fields and press Enter.
            page.fill("#login-password", "")
            page.focus("#login-user")
            page.keyboard.press("Control+A")
            page.keyboard.type("demo")
            page.keyboard.press("Tab")
            page.keyboard.type(password)
            page.keyboard.press("Enter")
            expect(page.locator("#who")).to_contain_text("demo (admin)")
            check(True, "signed in with the keyboard alone")
            cookies = ctx.cookies()
            sess = [c for c in cookies if c["name"] == "warden_session"]
            check(sess and sess[0]["httpOnly"] and sess[0]["secure"] and sess[0]["sameSite"] == "Strict",
                  "the session cookie is HttpOnly, Secure and SameSite=Strict")
            check(page.evaluate("document.cookie").find("warden_session") < 0,
                  "scripts cannot read the session cookie")

            print("incidents dashboard")
            expect(page.locator("table tbody tr").first).to_be_visible()
            rows = page.locator("table tbody tr").count()
            check(rows >= 5, f"the sample day lists incidents ({rows})")
            check(page.locator("figure.chart svg rect").count() >= 1, "the chart draws bars by threat level")
            crit = int(page.locator(".card.critical .n").inner_text())
            check(crit >= 1, f"critical incidents are counted ({crit})")
            check(page.locator(".top-list li").count() >= 3, "top principals, sources and rules are listed")
            page.screenshot(path=str(SHOTS / "02-incidents.png"), full_page=True)
            page.select_option("#f-level", "critical")
            page.click(".filters button[type=submit]")
            expect(page.locator("table tbody tr")).to_have_count(crit)
            levels = page.locator("table tbody .badge").all_inner_texts()
            check(all(x == "Critical" for x in levels), "the level filter keeps only critical incidents")

            print("incident page")
            page.locator("table tbody tr a").first.click()
            expect(page.locator(".timeline li").first).to_be_visible()
            check(page.locator(".timeline li").count() >= 2, "the timeline lists the alerts in order")
            check(page.locator(".chips a.chip").count() >= 1, "ATT&CK techniques are shown")
            check(page.locator("section ol li").count() >= 1, "recommended actions are shown")
            page.click("#ack")
            expect(page.locator("#ack-state")).to_contain_text("Acknowledged by user:demo")
            check(True, "an incident is acknowledged from its page, and says by whom")
            page.locator(".timeline button").first.click()
            expect(page.locator("#viewer")).to_be_visible()
            expect(page.locator("#viewer-body .k").first).to_be_visible()
            body = page.locator("#viewer-body").inner_text()
            check("eventTime" in body or "eventName" in body or "detail" in body or "type" in body,
                  "the evidence event opens as JSON")
            page.screenshot(path=str(SHOTS / "03-incident.png"), full_page=False)
            page.keyboard.press("Escape")
            expect(page.locator("#viewer")).to_be_hidden()
            check(True, "Escape closes the event viewer")

            print("chat")
            page.click("#nav a[href='#/chat']")
            page.fill("#question", "What did upload-api-role do?")
            page.keyboard.press("Enter")
            expect(page.locator(".msg.a .cite").first).to_be_visible(timeout=30000)
            check(page.locator(".msg.a ol.sources li").count() >= 1, "the answer lists its sources")
            page.locator(".msg.a .cite").first.click()
            expect(page.locator("#viewer-body .k").first).to_be_visible()
            check(True, "a citation opens the cited event")
            page.keyboard.press("Escape")
            page.screenshot(path=str(SHOTS / "04-chat.png"), full_page=True)
            page.fill("#question", "어제 가장 심각한 위협은?")
            page.click(".ask-form button")
            expect(page.locator(".msg.a").nth(1)).to_have_attribute("lang", "ko", timeout=30000)
            check(True, "a Korean question gets an answer marked lang=ko")
            hostile = "<img src=x onerror=alert(1)> what happened to <b>bucket</b>?"
            page.fill("#question", hostile)
            page.click(".ask-form button")
            expect(page.locator(".msg.q").nth(2)).to_have_text(hostile)
            expect(page.locator(".msg.a")).to_have_count(3, timeout=30000)
            expect(page.locator("form.ask-form button")).to_be_enabled(timeout=30000)
            check(page.locator(".messages img, .messages b").count() == 0,
                  "markup in a question is shown as text, never run")
            page.reload()
            expect(page.locator(".msg.q")).to_have_count(3)
            check(True, "the thread's history survives a reload")

            print("IAM policy portal")
            page.click("#nav a[href='#/policy']")
            page.fill("#policy-text", RISKY_POLICY)
            page.click("#policy-check")
            expect(page.locator(".gauge")).to_be_visible()
            score = page.locator(".gauge .score").inner_text()
            check(re.match(r"^\d+ ", score) and int(score.split()[0]) <= 5, f"a PassRole policy scores low ({score})")
            check(page.locator(".findings li").count() >= 2, "findings are listed")
            check(page.locator(".code .line.hit").count() >= 1, "findings are highlighted on the policy's lines")
            page.screenshot(path=str(SHOTS / "05-policy.png"), full_page=True)
            page.click("#policy-fix")
            expect(page.locator(".code.diff")).to_be_visible()
            check(page.locator(".code.diff .line.del, .code.diff .line.add").count() >= 1, "the fix is shown as a diff")
            ctx.grant_permissions(["clipboard-read", "clipboard-write"])
            page.locator("button", has_text="Copy").first.click()
            copied = page.evaluate("navigator.clipboard.readText()")
            check(json.loads(copied)["Statement"], "Copy puts the fixed policy JSON on the clipboard")
            page.screenshot(path=str(SHOTS / "06-policy-fix.png"), full_page=True)
            page.fill("#policy-describe", "read objects in bucket acme-uploads and send messages to queue jobs")
            page.click("#policy-generate")
            expect(page.locator("text=Generated policy")).to_be_visible()
            gen = page.locator("section:has-text('Generated policy') .code").inner_text()
            check("s3:GetObject" in gen and "sqs:SendMessage" in gen and "acme-uploads" in gen,
                  "a described policy is generated with exact actions and resources")
            check(page.locator("section:has-text('Generated policy') .gauge").count() == 1,
                  "the generated policy is scored before it is shown")
            page.screenshot(path=str(SHOTS / "07-policy-generate.png"), full_page=True)

            print("approvals")
            # A remediation waiting for a decision, as the image guard
            # records it (the demo data has none).
            import sqlite3
            db = sqlite3.connect(str(Path(DEMO_STORE[0]) / "warden.db"), timeout=10)
            db.execute("INSERT INTO approvals (id, incident_id, action, target, reason, requested_ms) VALUES (?, NULL, ?, ?, ?, ?)",
                       ("Q-ui00000000000001", "quarantine", "s3://uploads/u/7/<img src=x onerror=alert(1)>.png",
                        "personal data in an image: EMAIL×1", int(time.time() * 1000)))
            db.commit()
            db.close()
            page.click("#nav a[href='#/approvals']")
            expect(page.locator("h1")).to_have_text("Approvals")
            row = page.locator("tr", has_text="Q-ui00000000000001")
            expect(row).to_contain_text("<img src=x onerror=alert(1)>.png")
            check(page.locator("main img").count() == 0, "an object key is shown as text, never markup")
            page.screenshot(path=str(SHOTS / "12-approvals.png"), full_page=True)
            row.get_by_role("button", name="Approve").click()
            expect(page.locator("#apr-none")).to_be_visible()
            decided = page.locator("tr", has_text="Q-ui00000000000001")
            expect(decided).to_contain_text("approved by")
            expect(decided).to_contain_text("demo")

            print("CSRF")
            status = page.evaluate("""async () => (await fetch('/api/policy/check', {method: 'POST',
                headers: {'Content-Type': 'application/json'}, body: JSON.stringify({policy: '{}'})})).status""")
            check(status == 403, f"a write with the cookie but no CSRF token is refused ({status})")

            print("languages")
            page.click("#nav a[href='#/incidents']")
            page.select_option("#lang", "ko")
            expect(page.locator("#nav a[href='#/incidents']")).to_have_text("인시던트")
            expect(page.locator("h1")).to_have_text("인시던트")
            page.screenshot(path=str(SHOTS / "08-incidents-ko.png"), full_page=False)
            page.select_option("#lang", "ja")
            page.click("#nav a[href='#/policy']")
            expect(page.locator("h1")).to_have_text("IAM ポリシーのレビュー")
            page.screenshot(path=str(SHOTS / "09-policy-ja.png"), full_page=False)
            check(page.evaluate("document.documentElement.lang") == "ja", "the page's lang follows the choice")
            page.select_option("#lang", "en")

            print("sign out")
            page.click("#logout")
            expect(page.locator("#login-user")).to_be_visible()
            page.goto(base + "/#/incidents")
            expect(page.locator("#login-user")).to_be_visible()
            check(True, "after signing out the data pages ask for sign-in")

            print("phone")
            phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                        has_touch=True, device_scale_factor=2)
            p2 = phone.new_page()
            p2.on("pageerror", lambda e: problems.append(str(e)))
            p2.goto(base + "/")
            p2.fill("#login-user", "demo")
            p2.fill("#login-password", password)
            p2.click("form button[type=submit]")
            expect(p2.locator("table tbody tr").first).to_be_visible()
            overflow = p2.evaluate("document.documentElement.scrollWidth")
            check(overflow <= 392, f"the dashboard fits a phone's width ({overflow}px)")
            p2.screenshot(path=str(SHOTS / "10-phone-incidents.png"), full_page=False)
            p2.goto(base + "/#/chat")
            expect(p2.locator("#question")).to_be_visible()
            overflow = p2.evaluate("document.documentElement.scrollWidth")
            check(overflow <= 392, f"the chat fits a phone's width ({overflow}px)")
            p2.screenshot(path=str(SHOTS / "11-phone-chat.png"), full_page=False)
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    check(not problems, "no script errors, CSP violations or dialogs: " + "; ".join(problems))
    shots = sorted(p.name for p in SHOTS.glob("*.png"))
    print(f"UI test passed; {len(shots)} screenshots in {SHOTS.relative_to(ROOT)}: {', '.join(shots)}")


if __name__ == "__main__":
    main()
