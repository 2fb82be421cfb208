//! `warden serve` end to end: the real binary on a free port over a store
//! of the sample day, tokens made with `warden tokens`, and plain HTTP/1.1
//! requests — authentication, roles, bad and oversized input, the rate
//! limit, every documented route, metrics.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};

use serde_json::Value;

mod common;
use common::{aws_env, http_stand_in, moto, Moto, Seen};

fn warden() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_warden"));
    c.env_remove("WARDEN_STORE")
        .env_remove("SLACK_SIGNING_SECRET")
        .env_remove("SLACK_BOT_TOKEN")
        .env_remove("WARDEN_SLACK_API_URL")
        .env("NO_COLOR", "1");
    c
}

fn samples() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples/data")
}

fn token(store: &Path, name: &str, role: &str) -> String {
    let o = warden()
        .args(["tokens", "create", "--store"])
        .arg(store)
        .args(["--name", name, "--role", role])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap().trim().to_string()
}

struct Server {
    child: Child,
    addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(store: &Path, extra: &[&str]) -> Server {
    start_with(store, extra, &[])
}

fn start_with(store: &Path, extra: &[&str], envs: &[(&str, &str)]) -> Server {
    // Wrapped at once, so the process is reaped even if a check fails.
    let mut server = Server {
        child: warden()
            .args(["serve", "--listen", "127.0.0.1:0", "--store"])
            .arg(store)
            .args(extra)
            .envs(envs.iter().copied())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
        addr: String::new(),
    };
    let mut err = BufReader::new(server.child.stderr.take().unwrap());
    let mut line = String::new();
    loop {
        line.clear();
        assert!(err.read_line(&mut line).unwrap() > 0, "server exited");
        if let Some(a) = line.trim().strip_prefix("warden: listening on http://") {
            server.addr = a.to_string();
            std::thread::spawn(move || std::io::copy(&mut err, &mut std::io::sink()));
            return server;
        }
    }
}

struct Resp {
    status: u16,
    /// Lower-cased, for matching names and fixed values.
    headers: String,
    /// As sent (cookie values are case-sensitive).
    raw_headers: String,
    body: String,
}

impl Resp {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

fn request(
    addr: &str,
    method: &str,
    path: &str,
    token: Option<&str>,
    ctype: &str,
    body: &[u8],
) -> Resp {
    request_h(addr, method, path, token, ctype, body, &[])
}

fn request_h(
    addr: &str,
    method: &str,
    path: &str,
    token: Option<&str>,
    ctype: &str,
    body: &[u8],
    headers: &[(&str, String)],
) -> Resp {
    let mut s = TcpStream::connect(addr).unwrap();
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    if let Some(t) = token {
        head.push_str(&format!("Authorization: Bearer {t}\r\n"));
    }
    if !body.is_empty() || method == "POST" {
        head.push_str(&format!(
            "Content-Type: {ctype}\r\nContent-Length: {}\r\n",
            body.len()
        ));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes()).unwrap();
    let _ = s.write_all(body);
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    let raw = String::from_utf8_lossy(&raw).to_string();
    let (h, b) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    let status = h
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    Resp {
        status,
        headers: h.to_ascii_lowercase(),
        raw_headers: h.to_string(),
        body: b.to_string(),
    }
}

fn get(addr: &str, path: &str, token: Option<&str>) -> Resp {
    request(addr, "GET", path, token, "", b"")
}

fn post(addr: &str, path: &str, token: Option<&str>, body: &str) -> Resp {
    request(
        addr,
        "POST",
        path,
        token,
        "application/json",
        body.as_bytes(),
    )
}

fn sample_store() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    let o = warden()
        .args(["ingest", "--store"])
        .arg(d.path())
        .arg(samples())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    d
}

#[test]
fn api_authenticates_checks_roles_and_answers() {
    let d = sample_store();
    let viewer = token(d.path(), "viewer-1", "viewer");
    let analyst = token(d.path(), "analyst-1", "analyst");
    let revoked = token(d.path(), "gone", "admin");
    let o = warden()
        .args(["tokens", "revoke", "gone", "--store"])
        .arg(d.path())
        .output()
        .unwrap();
    assert!(o.status.success());
    let list = warden()
        .args(["tokens", "list", "--store"])
        .arg(d.path())
        .output()
        .unwrap();
    let list = String::from_utf8_lossy(&list.stdout).to_string();
    assert!(
        list.contains("viewer-1") && list.contains("revoked") && !list.contains("wdn_"),
        "{list}"
    );
    let s = start(d.path(), &["--max-body", "4096"]);
    let a = s.addr.as_str();

    // Health needs no token; everything else does.
    assert_eq!(get(a, "/health", None).status, 200);
    let r = get(a, "/api/incidents", None);
    assert_eq!(r.status, 401);
    assert!(
        r.headers.contains("www-authenticate: bearer"),
        "{}",
        r.headers
    );
    assert!(r.json()["error"]
        .as_str()
        .unwrap()
        .contains("warden tokens create"));
    assert_eq!(get(a, "/api/incidents", Some("wdn_guessed")).status, 401);
    assert_eq!(
        get(a, "/api/incidents", Some(&revoked)).status,
        401,
        "revoked"
    );
    let r = request(a, "GET", "/api/incidents", None, "", b"");
    assert_eq!(r.status, 401);

    // Incidents, one incident in full, events, one raw event.
    let r = get(a, "/api/incidents?min_level=high", Some(&viewer));
    assert_eq!(r.status, 200, "{}", r.body);
    let incs = r.json()["incidents"].as_array().unwrap().clone();
    assert!(!incs.is_empty());
    assert!(incs.iter().all(|i| i["level_rank"].as_i64().unwrap() >= 3));
    let id = incs[0]["id"].as_str().unwrap();
    let r = get(a, &format!("/api/incidents/{id}"), Some(&viewer));
    assert_eq!(r.status, 200);
    let inc = r.json();
    assert_eq!(inc["incident"]["id"], id);
    assert!(!inc["incident"]["evidence"].as_array().unwrap().is_empty());
    assert_eq!(inc["detail"]["id"], id, "the full triage record");
    let r = get(
        a,
        "/api/events?event_name=StopLogging&limit=5",
        Some(&viewer),
    );
    let ev = r.json();
    assert!(ev["total"].as_u64().unwrap() >= 1, "{}", r.body);
    let uid = ev["events"][0]["uid"].as_str().unwrap().to_string();
    let r = get(a, &format!("/api/events/{uid}"), Some(&viewer));
    assert_eq!(r.json()["event"]["eventName"], "StopLogging");
    assert_eq!(
        get(a, "/api/events/cloudtrail:nope", Some(&viewer)).status,
        404
    );
    assert_eq!(get(a, "/api/incidents/INC-none", Some(&viewer)).status, 404);

    // Bad parameters name themselves.
    let r = get(a, "/api/incidents?since=yesterdayish", Some(&viewer));
    assert_eq!(r.status, 400);
    assert!(r.body.contains("since"), "{}", r.body);
    let r = get(a, "/api/incidents?min_level=urgent", Some(&viewer));
    assert_eq!(r.status, 400);
    let r = get(a, "/api/events?limit=-3", Some(&viewer));
    assert_eq!(r.status, 400, "{}", r.body);
    assert_eq!(get(a, "/nowhere", Some(&viewer)).status, 404);

    // Ask: analysts only; a viewer's attempt changes nothing.
    let q = r#"{"question": "who deleted the trail yesterday?", "thread": "t1"}"#;
    let r = post(a, "/api/ask", Some(&viewer), q);
    assert_eq!(r.status, 403);
    assert!(r.body.contains("analyst"), "{}", r.body);
    let r = post(a, "/api/ask", Some(&analyst), q);
    assert_eq!(r.status, 200, "{}", r.body);
    let ans = r.json();
    assert!(ans["text"].as_str().unwrap().contains("ci-deployer"));
    assert!(!ans["citations"].as_array().unwrap().is_empty());
    let r = post(
        a,
        "/api/ask",
        Some(&analyst),
        r#"{"question": "and the day before?", "thread": "t1"}"#,
    );
    assert_eq!(
        r.json()["plan"]["window"]["said"],
        "the day before",
        "{}",
        r.body
    );
    // Streamed: server-sent events in order, citations as data.
    let r = request_h(
        a,
        "POST",
        "/api/ask",
        Some(&analyst),
        "application/json",
        br#"{"question": "which IPs failed console login?"}"#,
        &[("Accept", "text/event-stream".into())],
    );
    assert_eq!(r.status, 200);
    assert!(
        r.headers.contains("content-type: text/event-stream"),
        "{}",
        r.headers
    );
    let names: Vec<&str> = r
        .body
        .lines()
        .filter_map(|l| l.strip_prefix("event: "))
        .collect();
    assert_eq!(names.first(), Some(&"plan"), "{}", r.body);
    assert!(names.contains(&"sentence"));
    assert_eq!(&names[names.len() - 2..], &["citations", "done"]);
    let cites = r
        .body
        .lines()
        .skip_while(|l| *l != "event: citations")
        .nth(1)
        .and_then(|l| l.strip_prefix("data: "))
        .unwrap();
    let cites: Value = serde_json::from_str(cites).unwrap();
    assert!(cites[0]["id"].as_str().unwrap().starts_with("cloudtrail:"));
    for bad in ["{", r#"{"question": 7}"#, r#"{"question": "   "}"#, "[]"] {
        assert_eq!(
            post(a, "/api/ask", Some(&analyst), bad).status,
            400,
            "{bad}"
        );
    }
    let r = request(
        a,
        "POST",
        "/api/ask",
        Some(&analyst),
        "text/plain",
        q.as_bytes(),
    );
    assert_eq!(r.status, 415);
    let big = format!(r#"{{"question": "{}"}}"#, "a".repeat(10_000));
    assert_eq!(post(a, "/api/ask", Some(&analyst), &big).status, 413);
    let wrong = [0xffu8, 0xfe, b'{', b'}'];
    let r = request(
        a,
        "POST",
        "/api/ask",
        Some(&analyst),
        "application/json",
        &wrong,
    );
    assert_eq!(r.status, 400);

    // Policy check: the analyzer, as `warden policy check`.
    let policy = r#"{"policy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"], "Resource": "*"}]}}"#;
    let r = post(a, "/api/policy/check", Some(&viewer), policy);
    assert_eq!(r.status, 200, "{}", r.body);
    let rep = r.json();
    let score = rep["score"].as_u64().unwrap();
    assert!((1..=4).contains(&score), "{score}");
    assert!(rep["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["code"] == "PASS_ROLE_ON_ALL_ROLES"));
    let r = post(
        a,
        "/api/policy/check",
        Some(&viewer),
        r#"{"policy": "{not json"}"#,
    );
    assert_eq!(r.status, 200);
    assert!(r.body.contains("INVALID_JSON"), "{}", r.body);
    assert_eq!(
        post(a, "/api/policy/check", Some(&viewer), r#"{"policy": 3}"#).status,
        400
    );

    // Every documented route answers (none falls through to 404).
    let doc = get(a, "/openapi.json", Some(&viewer)).json();
    let paths = doc["paths"].as_object().unwrap();
    assert!(paths.len() >= 9);
    for (p, item) in paths {
        let path = p.replace("{id}", id).replace("{uid}", &uid);
        for (method, _) in item.as_object().unwrap() {
            let r = match method.as_str() {
                "get" => get(a, &path, Some(&analyst)),
                _ => post(a, &path, Some(&analyst), "{}"),
            };
            assert!(
                !r.body.contains("no such endpoint"),
                "{method} {p} is documented but not served"
            );
        }
    }
    let m = get(a, "/metrics", Some(&viewer));
    assert!(m.headers.contains("text/plain"));
    assert!(
        m.body
            .contains("warden_http_requests_total{route=\"/api/ask\",status=\"403\"} 1"),
        "{}",
        m.body
    );
    assert!(m.body.contains("route=\"/api/incidents\",status=\"401\""));
}

#[test]
fn rate_limit_per_token() {
    let d = tempfile::tempdir().unwrap();
    let t1 = token(d.path(), "busy", "viewer");
    let t2 = token(d.path(), "quiet", "viewer");
    let s = start(d.path(), &["--rate-limit", "1"]);
    let codes: Vec<u16> = (0..6)
        .map(|_| get(&s.addr, "/api/incidents", Some(&t1)).status)
        .collect();
    assert_eq!(
        &codes[..4],
        &[200, 200, 200, 200],
        "a burst of 4× is allowed"
    );
    let r = get(&s.addr, "/api/incidents", Some(&t1));
    assert_eq!(r.status, 429);
    assert!(r.headers.contains("retry-after: 1"), "{}", r.headers);
    assert_eq!(
        get(&s.addr, "/api/incidents", Some(&t2)).status,
        200,
        "per token"
    );
}

#[test]
fn demo_starts_on_the_sample_day_with_a_one_time_token() {
    let mut server = Server {
        child: warden()
            .args(["serve", "--demo", "--listen", "127.0.0.1:0"])
            .arg("--demo-data")
            .arg(samples())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
        addr: String::new(),
    };
    let mut err = BufReader::new(server.child.stderr.take().unwrap());
    let (mut tok, mut addr, mut dir) = (String::new(), String::new(), String::new());
    let mut line = String::new();
    while addr.is_empty() {
        line.clear();
        assert!(err.read_line(&mut line).unwrap() > 0, "server exited");
        let l = line.trim();
        if let Some(t) = l.strip_prefix("warden: one-time admin token: ") {
            tok = t.to_string();
        } else if let Some(a) = l.strip_prefix("warden: listening on http://") {
            addr = a.to_string();
        } else if let Some(d) = l.strip_prefix("warden: demo store ") {
            dir = d.split(" (").next().unwrap().to_string();
        }
    }
    let r = get(&addr, "/api/incidents", Some(&tok));
    assert_eq!(r.status, 200);
    assert!(
        r.json()["incidents"].as_array().unwrap().len() >= 5,
        "{}",
        r.body
    );
    assert!(Path::new(&dir).is_dir());
    // SIGTERM: a clean stop that removes the temporary store.
    let _ = Command::new("kill")
        .arg(server.child.id().to_string())
        .status();
    let _ = server.child.wait();
    assert!(!Path::new(&dir).exists(), "{dir} left behind");
}

/// A stand-in for Slack's side: records every request (path, headers,
/// body) and answers `{"ok": true}`.
fn slack_stand_in() -> (String, Seen) {
    slack_stand_in_with(None)
}

/// A stand-in for Slack's Web API and webhooks: records every request and
/// answers `{"ok":true}`; `apps.connections.open` gives `socket`.
fn slack_stand_in_with(socket: Option<String>) -> (String, Seen) {
    http_stand_in(
        move |path| match (&socket, path.ends_with("/apps.connections.open")) {
            (Some(url), true) => (
                "200 OK",
                serde_json::json!({"ok": true, "url": url}).to_string(),
            ),
            _ => ("200 OK", "{\"ok\":true}".to_string()),
        },
    )
}

fn wait_for(seen: &Seen, n: usize) -> Vec<(String, String, String)> {
    for _ in 0..100 {
        if seen.lock().unwrap().len() >= n {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    seen.lock().unwrap().clone()
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

fn slack_post(
    addr: &str,
    path: &str,
    secret: &str,
    ts: i64,
    ctype: &str,
    body: &str,
    retry: bool,
) -> Resp {
    let ts = ts.to_string();
    let sig = warden_server::slack::sign(secret, &ts, body.as_bytes());
    let mut h = vec![
        ("X-Slack-Request-Timestamp", ts),
        ("X-Slack-Signature", sig),
    ];
    if retry {
        h.push(("X-Slack-Retry-Num", "1".into()));
    }
    request_h(addr, "POST", path, None, ctype, body.as_bytes(), &h)
}

#[test]
fn slack_commands_and_mentions_are_signed_acknowledged_and_escaped() {
    // A store whose log content tries to ping the channel and plant a link.
    let d = tempfile::tempdir().unwrap();
    let logs = d.path().join("logs");
    std::fs::create_dir_all(&logs).unwrap();
    let ev = |id: &str, t: &str, name: &str, key: &str| {
        serde_json::json!({"eventVersion": "1.09", "eventID": id, "eventTime": t, "eventSource": "s3.amazonaws.com",
            "eventName": name, "awsRegion": "us-east-1", "sourceIPAddress": "203.0.113.9",
            "userAgent": "aws-cli/2", "recipientAccountId": "123456789012",
            "userIdentity": {"type": "IAMUser", "userName": "mallory", "accountId": "123456789012",
                "arn": "arn:aws:iam::123456789012:user/mallory", "accessKeyId": "AKIAEXAMPLEKEY000001"},
            "requestParameters": {"bucketName": "evidence", "key": key}})
    };
    let body = [
        ev(
            "11111111-0000-4000-8000-000000000001",
            "2026-11-01T10:00:00Z",
            "GetObject",
            "a/<!channel> <https://evil.example|click>.jpg",
        ),
        ev(
            "11111111-0000-4000-8000-000000000002",
            "2026-11-01T11:00:00Z",
            "PutObject",
            "b/&amp;<@U999>.jpg",
        ),
    ]
    .iter()
    .map(|e| e.to_string())
    .collect::<Vec<_>>()
    .join("\n");
    std::fs::write(logs.join("ct.json"), body).unwrap();
    let store = d.path().join("store");
    let o = warden()
        .args(["ingest", "--store"])
        .arg(&store)
        .arg(&logs)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));

    let (slack, seen) = slack_stand_in();
    let api = format!("http://{slack}/api");
    let secret = "test-signing-secret";
    let s = start_with(
        &store,
        &[],
        &[
            ("SLACK_SIGNING_SECRET", secret),
            ("SLACK_BOT_TOKEN", "xoxb-test"),
            ("WARDEN_SLACK_API_URL", &api),
        ],
    );
    let a = s.addr.as_str();
    let form = "application/x-www-form-urlencoded";
    let cmd = format!(
        "token=x&team_id=T1&user_id=U1&command=%2Fask-aws&text=what+did+mallory+do%3F&response_url=http%3A%2F%2F{}%2Fresp",
        slack.replace(':', "%3A")
    );

    // Refused: no signature, a wrong one, a replayed timestamp — nothing sent.
    assert_eq!(
        request(a, "POST", "/slack/commands", None, form, cmd.as_bytes()).status,
        401
    );
    assert_eq!(
        slack_post(
            a,
            "/slack/commands",
            "wrong-secret",
            now(),
            form,
            &cmd,
            false
        )
        .status,
        401
    );
    assert_eq!(
        slack_post(a, "/slack/commands", secret, now() - 301, form, &cmd, false).status,
        401
    );
    assert_eq!(
        slack_post(a, "/slack/commands", secret, now(), form, "%%%", false).status,
        400
    );
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert!(seen.lock().unwrap().is_empty(), "no side effect");

    // Accepted: acknowledged at once, the answer follows on response_url.
    let t = std::time::Instant::now();
    let r = slack_post(a, "/slack/commands", secret, now(), form, &cmd, false);
    let ack = t.elapsed();
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(ack < std::time::Duration::from_secs(1), "{ack:?}");
    assert!(r.json()["text"]
        .as_str()
        .unwrap()
        .starts_with("Looking into"));
    let got = wait_for(&seen, 1);
    assert_eq!(got.len(), 1);
    let (path, _, body) = &got[0];
    assert_eq!(path, "/resp");
    let msg: Value = serde_json::from_str(body).unwrap();
    assert_eq!(msg["unfurl_links"], false);
    let text = msg["blocks"][0]["text"]["text"].as_str().unwrap();
    assert!(text.contains("mallory"), "{text}");
    assert!(
        text.contains("&lt;!channel&gt;") && text.contains("&lt;https://evil.example|click&gt;"),
        "{text}"
    );
    assert!(
        !text.contains("<!channel>") && !text.contains("<@U999>") && !text.contains("<https"),
        "{text}"
    );

    // Events: the URL check, then a mention answered once despite a retry.
    let r = slack_post(
        a,
        "/slack/events",
        secret,
        now(),
        "application/json",
        r#"{"type": "url_verification", "challenge": "ch4ll3nge"}"#,
        false,
    );
    assert_eq!(r.json()["challenge"], "ch4ll3nge");
    let mention = r#"{"type": "event_callback", "event_id": "Ev42", "event": {"type": "app_mention", "user": "U1", "text": "<@UWARDEN> what did mallory do?", "channel": "C9", "ts": "1793000000.000100"}}"#;
    assert_eq!(
        slack_post(
            a,
            "/slack/events",
            secret,
            now(),
            "application/json",
            mention,
            false
        )
        .status,
        200
    );
    let r = slack_post(
        a,
        "/slack/events",
        secret,
        now(),
        "application/json",
        mention,
        true,
    );
    assert_eq!(r.json()["duplicate"], true);
    let got = wait_for(&seen, 2);
    std::thread::sleep(std::time::Duration::from_millis(300));
    let posts: Vec<_> = seen
        .lock()
        .unwrap()
        .iter()
        .filter(|(p, _, _)| p == "/api/chat.postMessage")
        .cloned()
        .collect();
    assert_eq!(posts.len(), 1, "{got:?}");
    assert!(posts[0].1.contains("authorization: bearer xoxb-test"));
    let m: Value = serde_json::from_str(&posts[0].2).unwrap();
    assert_eq!(
        (m["channel"].as_str(), m["thread_ts"].as_str()),
        (Some("C9"), Some("1793000000.000100"))
    );
    assert!(m["blocks"][0]["text"]["text"]
        .as_str()
        .unwrap()
        .contains("mallory"));
}

fn users_add(store: &Path, name: &str, role: &str, password: Option<&str>) -> std::process::Output {
    let mut c = warden();
    c.args(["users", "add", name, "--role", role, "--store"])
        .arg(store)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if password.is_some() {
        c.arg("--password-stdin");
    }
    let mut child = c.spawn().unwrap();
    if let Some(p) = password {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(format!("{p}\n").as_bytes())
            .unwrap();
    }
    child.wait_with_output().unwrap()
}

/// Sign in; the session cookie and the CSRF token.
fn login(addr: &str, user: &str, password: &str) -> (String, String) {
    let r = post(
        addr,
        "/api/login",
        None,
        &serde_json::json!({"user": user, "password": password}).to_string(),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let cookie_line = r
        .raw_headers
        .lines()
        .find(|l| l.to_ascii_lowercase().starts_with("set-cookie:"))
        .expect("a session cookie")
        .to_string();
    for flag in [
        "HttpOnly",
        "Secure",
        "SameSite=Strict",
        "Path=/",
        "Max-Age=43200",
    ] {
        assert!(cookie_line.contains(flag), "{flag} in {cookie_line}");
    }
    let value = cookie_line
        .split_once("warden_session=")
        .unwrap()
        .1
        .split(';')
        .next()
        .unwrap()
        .to_string();
    (
        format!("warden_session={value}"),
        r.json()["csrf"].as_str().unwrap().to_string(),
    )
}

fn with_cookie(
    addr: &str,
    method: &str,
    path: &str,
    cookie: &str,
    csrf: Option<&str>,
    origin: Option<&str>,
    body: &str,
) -> Resp {
    let mut h = vec![("Cookie", cookie.to_string())];
    if let Some(c) = csrf {
        h.push(("X-CSRF-Token", c.to_string()));
    }
    if let Some(o) = origin {
        h.push(("Origin", o.to_string()));
    }
    request_h(
        addr,
        method,
        path,
        None,
        "application/json",
        body.as_bytes(),
        &h,
    )
}

#[test]
fn web_ui_sessions_csrf_users_and_policy_tools() {
    let store = sample_store();
    let st = store.path();
    // Users: a chosen password, a random one printed once, bad input.
    let o = users_add(st, "ana", "analyst", Some("correct horse battery"));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(o.stdout.is_empty(), "a chosen password is not echoed");
    let o = users_add(st, "vic", "viewer", None);
    assert!(o.status.success());
    let vic_pw = String::from_utf8(o.stdout).unwrap().trim().to_string();
    assert_eq!(vic_pw.len(), 20, "a random password is printed once");
    let o = users_add(st, "short", "viewer", Some("tooshort"));
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("12 to 1024"));
    let o = users_add(st, "ana", "admin", Some("another long password"));
    assert!(!o.status.success(), "names are unique");
    let o = users_add(st, "x", "root", None);
    assert!(String::from_utf8_lossy(&o.stderr).contains("not one of viewer"));
    let list = warden()
        .args(["users", "list", "--store"])
        .arg(st)
        .output()
        .unwrap();
    let list = String::from_utf8(list.stdout).unwrap();
    assert!(list.contains("ana") && list.contains("analyst") && list.contains("vic"));
    assert!(!list.contains("pbkdf2"), "no hashes listed: {list}");

    let srv = start(st, &[]);
    let a = srv.addr.as_str();

    // The UI shell is public and carries no data; its headers lock it down.
    let page = get(a, "/", None);
    assert_eq!(page.status, 200);
    assert!(page.body.contains("/ui/app.js"));
    assert!(page
        .headers
        .contains("content-security-policy: default-src 'none'; script-src 'self'"));
    assert!(page.headers.contains("x-frame-options: deny"));
    let js = get(a, "/ui/app.js", None);
    assert_eq!(js.status, 200);
    assert!(js.headers.contains("content-type: text/javascript"));
    assert!(
        !js.body.contains("innerHTML"),
        "the UI never writes HTML from data"
    );
    assert_eq!(get(a, "/ui/../Cargo.toml", None).status, 404);
    assert_eq!(get(a, "/ui/nope.js", None).status, 404);

    // Sign-in failures: one message for a wrong password and an unknown
    // name; bad bodies are 400/415; no cookie is set.
    let body = |u: &str, p: &str| serde_json::json!({"user": u, "password": p}).to_string();
    for (u, p) in [("ana", "wrong password!"), ("nobody", "whatever it is")] {
        let r = post(a, "/api/login", None, &body(u, p));
        assert_eq!(r.status, 401, "{}", r.body);
        assert_eq!(r.json()["error"], "wrong user name or password");
        assert!(!r.headers.contains("set-cookie"));
    }
    assert_eq!(post(a, "/api/login", None, "{\"user\": ").status, 400);
    assert_eq!(post(a, "/api/login", None, "{}").status, 400);
    assert_eq!(
        request(a, "POST", "/api/login", None, "text/plain", b"user=ana").status,
        415
    );
    assert_eq!(
        post(a, "/api/login", None, &body(&"u".repeat(500), "x")).status,
        400
    );
    // A login posted from another site is refused before the password check.
    let r = request_h(
        a,
        "POST",
        "/api/login",
        None,
        "application/json",
        body("ana", "correct horse battery").as_bytes(),
        &[("Origin", "https://evil.example".into())],
    );
    assert_eq!(r.status, 403, "{}", r.body);

    let (cookie, csrf) = login(a, "ana", "correct horse battery");
    let me = with_cookie(a, "GET", "/api/session", &cookie, None, None, "");
    assert_eq!(me.status, 200, "{}", me.body);
    let me = me.json();
    assert_eq!(
        (me["user"].as_str(), me["role"].as_str(), me["via"].as_str()),
        (Some("ana"), Some("analyst"), Some("session"))
    );
    assert_eq!(me["csrf"].as_str(), Some(csrf.as_str()));
    let r = with_cookie(
        a,
        "GET",
        "/api/incidents?fields=full",
        &cookie,
        None,
        None,
        "",
    );
    assert_eq!(r.status, 200);
    let rows = r.json()["incidents"].as_array().unwrap().clone();
    assert!(rows
        .iter()
        .any(|i| !i["sources"].as_array().unwrap().is_empty()));
    assert!(
        rows.iter()
            .all(|i| !i["rules"].as_array().unwrap().is_empty()),
        "full rows carry their rules"
    );
    let r = get(a, "/api/incidents?fields=some", Some("x"));
    assert_eq!(r.status, 401, "auth comes before parameters");

    // CSRF: the cookie alone cannot write; a wrong token or another
    // origin cannot either; the right token from this origin can.
    let ask = r#"{"question": "what happened yesterday?"}"#;
    let origin = format!("http://{a}");
    for (tok, org, want) in [
        (None, None, 403),
        (Some("0000"), None, 403),
        (Some(csrf.as_str()), Some("https://evil.example"), 403),
        (Some(csrf.as_str()), Some("null"), 403),
        (Some(csrf.as_str()), Some(origin.as_str()), 200),
        (Some(csrf.as_str()), None, 200),
    ] {
        let r = with_cookie(a, "POST", "/api/ask", &cookie, tok, org, ask);
        assert_eq!(r.status, want, "csrf {tok:?} origin {org:?}: {}", r.body);
    }
    // A viewer's session is held to the viewer role.
    let (vcookie, vcsrf) = login(a, "vic", &vic_pw);
    let r = with_cookie(a, "POST", "/api/ask", &vcookie, Some(&vcsrf), None, ask);
    assert_eq!(r.status, 403);
    assert!(r.json()["error"]
        .as_str()
        .unwrap()
        .contains("user:vic has role viewer"));

    // Policy fix and generate.
    let risky = r#"{"policy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["iam:PassRole", "lambda:CreateFunction", "s3:GetObject", "s3:Get*"], "Resource": "*"}]}}"#;
    let r = with_cookie(
        a,
        "POST",
        "/api/policy/fix",
        &vcookie,
        Some(&vcsrf),
        None,
        risky,
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let fixed = r.json();
    assert!(!fixed["changes"].as_array().unwrap().is_empty(), "{fixed}");
    assert!(
        fixed["text"]
            .as_str()
            .unwrap()
            .contains("iam:PassedToService"),
        "{fixed}"
    );
    assert!(fixed["report"]["score"].as_u64().unwrap() >= fixed["score_before"].as_u64().unwrap());
    let r = post(a, "/api/policy/fix", Some("nope"), risky);
    assert_eq!(r.status, 401);
    let t = token(st, "gen", "viewer");
    let r = post(a, "/api/policy/fix", Some(&t), r#"{"policy": "{not json"}"#);
    assert_eq!(r.status, 400);
    assert!(r.json()["error"]
        .as_str()
        .unwrap()
        .contains("cannot be fixed"));
    let r = post(
        a,
        "/api/policy/generate",
        Some(&t),
        r#"{"description": "read objects in bucket acme-uploads; send messages to queue jobs"}"#,
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let g = r.json();
    let text = g["text"].as_str().unwrap();
    assert!(
        text.contains("s3:GetObject") && text.contains("arn:aws:s3:::acme-uploads/*"),
        "{text}"
    );
    assert!(
        g["report"]["score"].as_u64().unwrap() >= 1,
        "checked before it is returned"
    );
    let r = post(
        a,
        "/api/policy/generate",
        Some(&t),
        r#"{"user": "upload-api-role"}"#,
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let g = r.json();
    assert_eq!(g["source"], "activity");
    let text = g["text"].as_str().unwrap();
    assert!(
        text.contains("s3:PutObject") && text.contains("arn:aws:s3:::customer-uploads-prod/*"),
        "{text}"
    );
    let r = post(
        a,
        "/api/policy/generate",
        Some(&t),
        r#"{"user": "ci-deployer"}"#,
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let notes = r.json()["notes"].to_string();
    assert!(
        notes.contains("Warning: 'ci-deployer' is the principal of"),
        "an attacker's activity is flagged: {notes}"
    );
    for (b, want) in [
        (r#"{"user": "no-such-role"}"#, 404),
        (r#"{"description": "make it secure"}"#, 422),
        (r#"{"description": "x", "user": "y"}"#, 400),
        (r#"{}"#, 400),
        (r#"{"user": "upload-api-role", "since": "yesterday"}"#, 400),
    ] {
        let r = post(a, "/api/policy/generate", Some(&t), b);
        assert_eq!(r.status, want, "{b}: {}", r.body);
    }
    let long = serde_json::json!({"description": "read ".repeat(1000)}).to_string();
    assert_eq!(post(a, "/api/policy/generate", Some(&t), &long).status, 413);

    // Signing out ends the session at once; the old cookie is refused.
    let r = with_cookie(a, "POST", "/api/logout", &cookie, Some(&csrf), None, "");
    assert_eq!(r.status, 204);
    assert!(r.headers.contains("max-age=0"));
    let r = with_cookie(a, "GET", "/api/session", &cookie, None, None, "");
    assert_eq!(r.status, 401);
    assert!(r.json()["error"]
        .as_str()
        .unwrap()
        .contains("sign in again"));

    // Disabling a user ends their sessions and sign-ins.
    let o = warden()
        .args(["users", "disable", "vic", "--store"])
        .arg(st)
        .output()
        .unwrap();
    assert!(o.status.success());
    std::thread::sleep(std::time::Duration::from_millis(5200));
    let r = with_cookie(a, "GET", "/api/session", &vcookie, None, None, "");
    assert_eq!(
        r.status, 401,
        "a disabled user's session ends within the cache time"
    );
    let r = post(a, "/api/login", None, &body("vic", &vic_pw));
    assert_eq!(r.status, 401);

    // Guessing: a few tries per name, then 429 with Retry-After.
    let mut limited = None;
    for _ in 0..8 {
        let r = post(a, "/api/login", None, &body("ana", "guess guess guess"));
        if r.status == 429 {
            limited = Some(r);
            break;
        }
        assert_eq!(r.status, 401);
    }
    let r = limited.expect("sign-in attempts are limited");
    assert!(r.headers.contains("retry-after:"));
}

/// An OpenAI-compatible model that takes `delay` to answer anything, with
/// a plain final answer. Counts the requests.
fn slow_model(
    delay: std::time::Duration,
) -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap();
    let calls = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let n = calls.clone();
    std::thread::spawn(move || {
        for stream in l.incoming() {
            let Ok(stream) = stream else { return };
            let n = n.clone();
            std::thread::spawn(move || {
                let (_, _, body) = common::read_request(&stream);
                n.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let body = String::from_utf8_lossy(&body);
                // Policy requests get a (too broad) policy at once; questions wait.
                let content = if body.contains("You write AWS IAM identity policies") {
                    assert!(body.contains("acme-reports"), "the description is sent");
                    "```json\n{\"Version\": \"2012-10-17\", \"Statement\": [{\"Sid\": \"All\", \"Effect\": \"Allow\", \"Action\": [\"s3:GetObject\", \"iam:PassRole\"], \"Resource\": \"*\"}]}\n```".to_string()
                } else {
                    std::thread::sleep(delay);
                    "The slow model looked: nothing more to add.".to_string()
                };
                let reply = serde_json::json!({"id": "x", "model": "slow", "choices": [{"index": 0, "finish_reason": "stop",
                    "message": {"role": "assistant", "content": content}}],
                    "usage": {"prompt_tokens": 100, "completion_tokens": 10}}).to_string();
                let mut s = stream;
                let _ = write!(s, "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\ncontent-length: {}\r\n\r\n{reply}", reply.len());
            });
        }
    });
    (format!("http://{addr}/v1"), calls)
}

#[test]
fn a_slow_model_still_gets_slack_acknowledged_in_time() {
    let store = sample_store();
    let (model, calls) = slow_model(std::time::Duration::from_secs(10));
    let (slack, seen) = slack_stand_in();
    let secret = "slow-model-secret";
    let s = start_with(
        store.path(),
        &[],
        &[
            ("SLACK_SIGNING_SECRET", secret),
            ("WARDEN_SLACK_API_URL", &format!("http://{slack}/api")),
            ("WARDEN_LLM_PROVIDER", "openai"),
            ("WARDEN_LLM_BASE_URL", &model),
            ("WARDEN_LLM_MODEL", "slow"),
        ],
    );
    let a = s.addr.clone();
    let t = token(store.path(), "asker", "analyst");
    // An API question through the model, in the background.
    let (a2, t2) = (a.clone(), t.clone());
    let api = std::thread::spawn(move || {
        post(
            &a2,
            "/api/ask",
            Some(&t2),
            r#"{"question": "what did upload-api-role do?"}"#,
        )
    });
    std::thread::sleep(std::time::Duration::from_millis(300));
    // A Slack command while the model is busy: acknowledged well within 3 s.
    let cmd = format!(
        "token=x&team_id=T1&user_id=U1&command=%2Fask-aws&text=who+deleted+the+trail%3F&response_url=http%3A%2F%2F{}%2Fresp",
        slack.replace(':', "%3A")
    );
    let started = std::time::Instant::now();
    let r = slack_post(
        &a,
        "/slack/commands",
        secret,
        now(),
        "application/x-www-form-urlencoded",
        &cmd,
        false,
    );
    let ack = started.elapsed();
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        ack < std::time::Duration::from_secs(1),
        "acknowledged in {ack:?}"
    );
    // The rest of the API does not wait for the model either.
    let started = std::time::Instant::now();
    assert_eq!(get(&a, "/api/incidents", Some(&t)).status, 200);
    assert!(started.elapsed() < std::time::Duration::from_secs(1));
    // The answer arrives after the model's 10 s, on response_url.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(40);
    while seen.lock().unwrap().is_empty() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let got = seen.lock().unwrap().clone();
    assert_eq!(got.len(), 1, "one answer delivered");
    assert!(got[0].2.contains("slow model"), "{}", got[0].2);
    let r = api.join().unwrap();
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["answered_by"], "openai/slow", "{}", r.body);
    assert!(calls.load(std::sync::atomic::Ordering::SeqCst) >= 2);
    // "Describe what you need" goes to the model, and what it writes is
    // checked before it is shown: this one is too broad and says so.
    let r = post(
        &a,
        "/api/policy/generate",
        Some(&t),
        r#"{"description": "read reports in bucket acme-reports"}"#,
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let g = r.json();
    assert_eq!(g["source"], "model");
    assert!(g["notes"][0].as_str().unwrap().contains("openai/slow"));
    let report = &g["report"];
    assert!(report["score"].as_u64().unwrap() < 10, "{report}");
    assert!(report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["code"] == "PASS_ROLE_ON_ALL_ROLES"));
}

fn interact(addr: &str, secret: &str, payload: &Value) -> Resp {
    let body = serde_urlencoded_form(&payload.to_string());
    slack_post(
        addr,
        "/slack/interactivity",
        secret,
        now(),
        "application/x-www-form-urlencoded",
        &body,
        false,
    )
}

/// `payload=<url-encoded JSON>`, as Slack posts it.
fn serde_urlencoded_form(json: &str) -> String {
    let mut out = String::from("payload=");
    for b in json.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn wait_for_n(seen: &Seen, n: usize, secs: u64) -> Vec<(String, String, String)> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(secs);
    while seen.lock().unwrap().len() < n && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    seen.lock().unwrap().clone()
}

#[test]
fn slack_shortcut_and_buttons_act_as_the_linked_user() {
    let store = sample_store();
    let st = store.path();
    for (name, role, slack) in [("ana", "analyst", "U0ANA"), ("bo", "approver", "U0BO")] {
        let o = warden()
            .args([
                "users",
                "add",
                name,
                "--role",
                role,
                "--slack-user",
                slack,
                "--store",
            ])
            .arg(st)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let o = warden()
        .args([
            "users",
            "add",
            "eve",
            "--slack-user",
            "U0<!channel>",
            "--store",
        ])
        .arg(st)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&o.stderr).contains("not a Slack member id"));
    let incident = {
        let s = warden_store::Store::open(st).unwrap();
        assert!(s
            .request_approval(
                "Q-1",
                None,
                "quarantine",
                "s3://uploads/passport.png",
                "PII found"
            )
            .unwrap());
        s.incidents(None, None, 4, 1).unwrap()[0].id.clone()
    };
    let (slack, seen) = slack_stand_in();
    let secret = "interactivity-secret";
    let srv = start_with(
        st,
        &[],
        &[
            ("SLACK_SIGNING_SECRET", secret),
            ("WARDEN_SLACK_API_URL", &format!("http://{slack}/api")),
        ],
    );
    let a = srv.addr.as_str();
    let resp = format!("http://{slack}/resp");
    let button = |user: &str, action: &str, value: &str| {
        serde_json::json!({"type": "block_actions", "user": {"id": user}, "response_url": resp,
            "message": {"blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "incident"}},
                                   {"type": "actions", "elements": []}]},
            "actions": [{"action_id": action, "value": value}]})
    };

    // Refused before anything happens: signatures and malformed forms.
    let form = serde_urlencoded_form(&button("U0BO", "remediation_approve", "Q-1").to_string());
    let r = slack_post(
        a,
        "/slack/interactivity",
        "wrong",
        now(),
        "application/x-www-form-urlencoded",
        &form,
        false,
    );
    assert_eq!(r.status, 401);
    for bad in ["nothing=here", "payload=%7Bnot-json", "%%%"] {
        let r = slack_post(
            a,
            "/slack/interactivity",
            secret,
            now(),
            "application/x-www-form-urlencoded",
            bad,
            false,
        );
        assert_eq!(r.status, 400, "{bad}: {}", r.body);
    }
    let mut elsewhere = button("U0BO", "remediation_approve", "Q-1");
    elsewhere["response_url"] = "https://evil.example/hook".into();
    assert_eq!(interact(a, secret, &elsewhere).status, 400);
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert!(seen.lock().unwrap().is_empty(), "no side effect");

    // Acknowledge (analyst): the buttons go, the note names who.
    assert_eq!(
        interact(a, secret, &button("U0ANA", "incident_ack", &incident)).status,
        200
    );
    let got = wait_for_n(&seen, 1, 5);
    let m: Value = serde_json::from_str(&got[0].2).unwrap();
    assert_eq!(m["replace_original"], true);
    let blocks = m["blocks"].as_array().unwrap();
    assert!(
        blocks.iter().all(|b| b["type"] != "actions"),
        "buttons removed"
    );
    assert!(
        got[0].2.contains("acknowledged by <@U0ANA>"),
        "{}",
        got[0].2
    );
    // An analyst cannot approve; an unlinked Slack user cannot either.
    interact(a, secret, &button("U0ANA", "remediation_approve", "Q-1"));
    interact(a, secret, &button("U0NOBODY", "remediation_approve", "Q-1"));
    let got = wait_for_n(&seen, 3, 5);
    assert!(got[1].2.contains("Only approver or above"), "{}", got[1].2);
    assert!(
        got[2].2.contains("not linked to a warden user"),
        "{}",
        got[2].2
    );
    assert!(got[1..]
        .iter()
        .all(|g| g.2.contains("\"replace_original\":false")));
    // The approver approves once; a second press changes nothing.
    interact(a, secret, &button("U0BO", "remediation_approve", "Q-1"));
    let got = wait_for_n(&seen, 4, 5);
    assert!(
        got[3]
            .2
            .contains("quarantine of s3://uploads/passport.png approved by <@U0BO>"),
        "{}",
        got[3].2
    );
    interact(a, secret, &button("U0BO", "remediation_reject", "Q-1"));
    let got = wait_for_n(&seen, 5, 5);
    assert!(
        got[4].2.contains("already approved by user:bo"),
        "{}",
        got[4].2
    );
    let t = token(st, "viewer", "viewer");
    let r = get(a, "/api/approvals?pending=false", Some(&t));
    assert_eq!(r.json()["approvals"][0]["decided_by"], "user:bo");
    let r = get(a, &format!("/api/incidents/{incident}"), Some(&t));
    assert_eq!(r.json()["acknowledged"]["by"], "user:ana");
    let approver = token(st, "approver-token", "approver");
    assert_eq!(
        post(a, "/api/approvals/Q-1/reject", Some(&approver), "").status,
        409
    );
    assert_eq!(
        post(a, "/api/approvals/Q-9/approve", Some(&approver), "").status,
        404
    );
    assert_eq!(
        post(a, "/api/approvals/Q-1/approve", Some(&t), "").status,
        403
    );

    // The shortcut on a message with a CloudTrail event in a code block:
    // detection runs on it; acknowledged at once.
    let event = serde_json::json!({"eventVersion": "1.09", "eventID": "5c1d0c2e-0000-4000-8000-00000000abcd",
        "eventTime": "2026-11-02T03:04:05Z", "eventSource": "cloudtrail.amazonaws.com", "eventName": "StopLogging",
        "awsRegion": "us-east-1", "sourceIPAddress": "198.51.100.23", "userAgent": "aws-cli/2",
        "recipientAccountId": "123456789012", "requestParameters": {"name": "org-trail"},
        "userIdentity": {"type": "IAMUser", "userName": "mallory", "accountId": "123456789012",
            "arn": "arn:aws:iam::123456789012:user/mallory", "accessKeyId": "AKIAEXAMPLEKEY000002"}});
    // Slack escapes & < > in message text; the JSON must survive that.
    let text = format!(
        "is this bad? ```{}```",
        event.to_string().replace('&', "&amp;")
    );
    let shortcut = |text: &str| {
        serde_json::json!({"type": "message_action", "callback_id": "analyze_with_warden",
            "user": {"id": "U0ANA"}, "response_url": resp, "message": {"text": text, "ts": "1.2"}})
    };
    let t0 = std::time::Instant::now();
    let r = interact(a, secret, &shortcut(&text));
    assert_eq!(r.status, 200);
    assert!(t0.elapsed() < std::time::Duration::from_secs(1));
    let got = wait_for_n(&seen, 6, 10);
    let reply = &got[5].2;
    assert!(reply.contains("warden analysed 1 event"), "{reply}");
    assert!(
        reply.contains("StopLogging") || reply.contains("CloudTrail"),
        "{reply}"
    );
    // Without events, the text is answered as a question.
    interact(a, secret, &shortcut("what did upload-api-role do?"));
    let got = wait_for_n(&seen, 7, 10);
    assert!(got[6].2.contains("upload-api-role"), "{}", got[6].2);
}

#[test]
fn slack_socket_mode_receives_acknowledges_and_reconnects() {
    use tungstenite::Message;
    let store = sample_store();
    let ws = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let ws_url = format!("ws://{}/socket", ws.local_addr().unwrap());
    let (slack, seen) = slack_stand_in_with(Some(ws_url));
    let resp = format!("http://{slack}/resp");
    // The socket side of Slack: two connections; envelopes on the first.
    let (acks_tx, acks_rx) = std::sync::mpsc::channel::<Value>();
    let sock = std::thread::spawn(move || {
        let (stream, _) = ws.accept().unwrap();
        stream
            .set_read_timeout(Some(std::time::Duration::from_secs(10)))
            .unwrap();
        let mut s = tungstenite::accept(stream).unwrap();
        let send = |s: &mut tungstenite::WebSocket<std::net::TcpStream>, v: Value| {
            s.send(Message::Text(v.to_string().into())).unwrap()
        };
        send(
            &mut s,
            serde_json::json!({"type": "hello", "num_connections": 1}),
        );
        send(
            &mut s,
            serde_json::json!({"type": "slash_commands", "envelope_id": "e1", "accepts_response_payload": true,
            "payload": {"command": "/ask-aws", "text": "what did upload-api-role do?", "user_id": "U1", "response_url": resp}}),
        );
        send(
            &mut s,
            serde_json::json!({"type": "events_api", "envelope_id": "e2", "retry_attempt": 0,
            "payload": {"type": "event_callback", "event_id": "Ev1",
                "event": {"type": "app_mention", "text": "<@UBOT> who used the root account?", "channel": "C1", "ts": "111.222"}}}),
        );
        send(
            &mut s,
            serde_json::json!({"type": "interactive", "envelope_id": "e3",
            "payload": {"type": "block_actions", "user": {"id": "U0STRANGER"}, "response_url": resp,
                "actions": [{"action_id": "remediation_approve", "value": "Q-1"}]}}),
        );
        send(
            &mut s,
            serde_json::json!({"type": "nonsense-without-envelope"}),
        );
        s.send(Message::Text("not json".into())).unwrap();
        for _ in 0..3 {
            loop {
                match s.read().unwrap() {
                    Message::Text(t) => {
                        acks_tx.send(serde_json::from_str(&t).unwrap()).unwrap();
                        break;
                    }
                    _ => continue,
                }
            }
        }
        // Slack rotates sockets: warden must open a new one.
        send(
            &mut s,
            serde_json::json!({"type": "disconnect", "reason": "refresh_requested"}),
        );
        let (second, _) = ws.accept().unwrap();
        let mut s2 = tungstenite::accept(second).unwrap();
        s2.send(Message::Text(
            serde_json::json!({"type": "hello"}).to_string().into(),
        ))
        .unwrap();
    });
    let srv = start_with(
        store.path(),
        &[],
        &[
            ("SLACK_APP_TOKEN", "xapp-test-token"),
            ("SLACK_BOT_TOKEN", "xoxb-test"),
            ("WARDEN_SLACK_API_URL", &format!("http://{slack}/api")),
        ],
    );
    let mut acks = Vec::new();
    for _ in 0..3 {
        acks.push(
            acks_rx
                .recv_timeout(std::time::Duration::from_secs(10))
                .unwrap(),
        );
    }
    let ids: Vec<&str> = acks
        .iter()
        .map(|a| a["envelope_id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        ["e1", "e2", "e3"],
        "every envelope acknowledged in order"
    );
    assert!(
        acks[0]["payload"]["text"]
            .as_str()
            .unwrap()
            .starts_with("Looking into"),
        "{}",
        acks[0]
    );
    sock.join().unwrap();
    let got = wait_for_n(&seen, 5, 10);
    let paths: Vec<&str> = got.iter().map(|g| g.0.as_str()).collect();
    assert_eq!(
        paths
            .iter()
            .filter(|p| p.ends_with("apps.connections.open"))
            .count(),
        2,
        "{paths:?}"
    );
    let open = got
        .iter()
        .find(|g| g.0.ends_with("apps.connections.open"))
        .unwrap();
    assert!(open.1.contains("authorization: bearer xapp-test-token"));
    let answer = got
        .iter()
        .find(|g| g.0 == "/resp" && g.2.contains("upload-api-role"))
        .expect("the command's answer");
    assert!(answer.2.contains("\"unfurl_links\":false"));
    let post = got
        .iter()
        .find(|g| g.0.ends_with("chat.postMessage"))
        .expect("the mention's answer");
    assert!(
        post.1.contains("authorization: bearer xoxb-test")
            && post.2.contains("\"thread_ts\":\"111.222\"")
    );
    assert!(got
        .iter()
        .any(|g| g.0 == "/resp" && g.2.contains("not linked to a warden user")));
    // Without a signing secret the HTTP endpoints are closed.
    let r = request(
        &srv.addr,
        "POST",
        "/slack/commands",
        None,
        "application/x-www-form-urlencoded",
        b"text=x",
    );
    assert_eq!(r.status, 503);
}

/// One AWS JSON-protocol call to moto (it does not check signatures).
fn aws_json(m: &Moto, target: &str, body: &Value) -> Resp {
    let addr = m.url.trim_start_matches("http://");
    request_h(
        addr,
        "POST",
        "/",
        None,
        "application/x-amz-json-1.1",
        body.to_string().as_bytes(),
        &[
            ("X-Amz-Target", target.to_string()),
            ("Authorization", "AWS4-HMAC-SHA256 Credential=testing/20261205/us-east-1/secretsmanager/aws4_request, SignedHeaders=host, Signature=0".to_string()),
        ],
    )
}

#[test]
fn slack_secrets_come_from_aws_secrets_manager() {
    let m = moto();
    let secret = "from-secrets-manager";
    let r = aws_json(
        &m,
        "secretsmanager.CreateSecret",
        &serde_json::json!({"Name": "warden/slack",
            "SecretString": serde_json::json!({"SLACK_SIGNING_SECRET": secret, "SLACK_BOT_TOKEN": "xoxb-sm"}).to_string()}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    aws_json(
        &m,
        "secretsmanager.CreateSecret",
        &serde_json::json!({"Name": "warden/broken", "SecretString": "hunter2-not-json"}),
    );
    let store = sample_store();
    let mut env = aws_env(&m);
    env.push(("WARDEN_SLACK_SECRET_ID", "warden/slack".into()));
    let envs: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let srv = start_with(store.path(), &[], &envs);
    let cmd = "token=x&user_id=U1&command=%2Fask-aws&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fx";
    let form = "application/x-www-form-urlencoded";
    let r = slack_post(
        &srv.addr,
        "/slack/commands",
        secret,
        now(),
        form,
        cmd,
        false,
    );
    assert_eq!(
        r.status, 200,
        "the signing secret came from Secrets Manager: {}",
        r.body
    );
    let r = slack_post(
        &srv.addr,
        "/slack/commands",
        "wrong",
        now(),
        form,
        cmd,
        false,
    );
    assert_eq!(r.status, 401);
    drop(srv);

    // A missing secret or one that is not JSON stops the start with a
    // message that names the secret and never prints its value.
    for (id, says) in [
        (
            "warden/missing",
            "cannot read the Slack secret 'warden/missing'",
        ),
        ("warden/broken", "is not JSON"),
    ] {
        let mut env = aws_env(&m);
        env.push(("WARDEN_SLACK_SECRET_ID", id.into()));
        let o = warden()
            .args(["serve", "--listen", "127.0.0.1:0", "--store"])
            .arg(store.path())
            .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert!(err.contains(says), "{err}");
        assert!(
            !err.contains("hunter2"),
            "the value is never printed: {err}"
        );
    }
}

#[test]
fn image_upload_is_scanned_and_bad_uploads_refused() {
    let imgs = tempfile::tempdir().unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/images/render.py");
    let o = Command::new("python3")
        .arg(&script)
        .arg(imgs.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let store = sample_store();
    let srv = start(store.path(), &[]);
    let a = srv.addr.as_str();
    let analyst = token(store.path(), "scanner", "analyst");
    let viewer = token(store.path(), "looker", "viewer");
    let img = |f: &str| std::fs::read(imgs.path().join(f)).unwrap();
    let up =
        |t: Option<&str>, ct: &str, body: &[u8]| request(a, "POST", "/api/scan-image", t, ct, body);

    let r = up(Some(&analyst), "image/png", &img("en-contact.png"));
    assert_eq!(r.status, 200, "{}", r.body);
    let v = r.json();
    assert_eq!(v["pii_found"], true);
    assert!(v["entities"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["type"] == "EMAIL"));
    let r = up(
        Some(&analyst),
        "application/octet-stream",
        &img("clean.png"),
    );
    assert_eq!(r.json()["verdict"], "clean");
    // Refusals: who, what and how big.
    assert_eq!(up(None, "image/png", &img("clean.png")).status, 401);
    assert_eq!(
        up(Some(&viewer), "image/png", &img("clean.png")).status,
        403
    );
    assert_eq!(up(Some(&analyst), "application/json", b"{}").status, 415);
    assert_eq!(up(Some(&analyst), "image/png", b"").status, 400);
    let r = up(Some(&analyst), "image/png", &img("not-an-image.png"));
    assert_eq!(r.status, 415);
    assert!(r.json()["error"].as_str().unwrap().contains("not an image"));
    let r = up(Some(&analyst), "image/png", &img("bomb.png"));
    assert_eq!(r.status, 413, "{}", r.body);
    assert_eq!(
        up(Some(&analyst), "image/png", &img("truncated.png")).status,
        422
    );
    let huge = vec![0u8; 26 << 20];
    assert_eq!(up(Some(&analyst), "image/png", &huge).status, 413);
    // The server is fine afterwards.
    assert_eq!(get(a, "/health", None).status, 200);
}
