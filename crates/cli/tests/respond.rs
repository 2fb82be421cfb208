//! `warden triage --notify` end to end: incidents of the sample day routed
//! by threat level to a signed webhook (first answer 500: retried), a
//! Slack webhook (with the incident buttons), one that refuses (400: no
//! retry, dead-lettered), Amazon SNS (moto; read back through an SQS
//! subscription), rate-limited and per-level files.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

mod common;
use common::{auth, aws_call, aws_env, http_stand_in, moto, Seen};

/// `/hook` fails once with 500; `/slack-bad` always answers 400.
fn stand_in() -> (String, Seen) {
    let mut hook_calls = 0;
    http_stand_in(move |path| match path {
        "/hook" => {
            hook_calls += 1;
            if hook_calls == 1 {
                ("500 Internal Server Error", "busy".into())
            } else {
                ("200 OK", "ok".into())
            }
        }
        "/slack-bad" => ("400 Bad Request", "invalid_payload".into()),
        _ => ("200 OK", "ok".into()),
    })
}

fn tag<'a>(xml: &'a str, name: &str) -> &'a str {
    let open = format!("<{name}>");
    let s = xml.find(&open).map(|i| i + open.len()).unwrap_or(0);
    let e = xml[s..]
        .find(&format!("</{name}>"))
        .map(|i| s + i)
        .unwrap_or(s);
    &xml[s..e]
}

fn lines(p: &Path) -> Vec<Value> {
    std::fs::read_to_string(p)
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn incidents_are_routed_by_level_retried_signed_and_never_dropped() {
    let m = moto();
    // SNS topic with an SQS queue subscribed, to read what was published.
    let form = "application/x-www-form-urlencoded";
    let (st, xml) = aws_call(
        &m,
        form,
        &[("Authorization", &auth("sns"))],
        "Action=CreateTopic&Name=security-critical&Version=2010-03-31",
    );
    assert_eq!(st, 200, "{xml}");
    let topic = tag(&xml, "TopicArn").to_string();
    let sqs = |target: &str, body: Value| {
        aws_call(
            &m,
            "application/x-amz-json-1.0",
            &[("X-Amz-Target", target), ("Authorization", &auth("sqs"))],
            &body.to_string(),
        )
    };
    let (st, q) = sqs(
        "AmazonSQS.CreateQueue",
        serde_json::json!({"QueueName": "sns-copy"}),
    );
    assert_eq!(st, 200, "{q}");
    let queue_url = serde_json::from_str::<Value>(&q).unwrap()["QueueUrl"]
        .as_str()
        .unwrap()
        .to_string();
    let sub = format!(
        "Action=Subscribe&TopicArn={}&Protocol=sqs&Endpoint=arn%3Aaws%3Asqs%3Aus-east-1%3A123456789012%3Asns-copy&Version=2010-03-31",
        topic.replace(':', "%3A")
    );
    let (st, x) = aws_call(&m, form, &[("Authorization", &auth("sns"))], &sub);
    assert_eq!(st, 200, "{x}");

    let (web, seen) = stand_in();
    let d = tempfile::tempdir().unwrap();
    let (dl, low, crit) = (
        d.path().join("dead.jsonl"),
        d.path().join("low.jsonl"),
        d.path().join("crit.jsonl"),
    );
    let cfg = d.path().join("warden.toml");
    std::fs::write(
        &cfg,
        format!(
            r#"
[respond]
base_url = "https://warden.example.com"
dead_letter = "{dl}"
base_delay = "50ms"

[[respond.route]]
min_level = "critical"
to = ["siem", "sns", "slack", "broken-slack", "crit-file"]

[[respond.route]]
min_level = "low"
max_level = "low"
to = ["low-file"]

[respond.destinations.siem]
kind = "webhook"
url = "http://{web}/hook"
secret_env = "TEST_WEBHOOK_SECRET"

[respond.destinations.sns]
kind = "sns"
topic_arn = "{topic}"

[respond.destinations.slack]
kind = "slack_webhook"
url_env = "TEST_SLACK_WEBHOOK"

[respond.destinations.broken-slack]
kind = "slack_webhook"
url = "http://{web}/slack-bad"

[respond.destinations.crit-file]
kind = "file"
path = "{crit}"
rate_per_minute = 2

[respond.destinations.low-file]
kind = "file"
path = "{low}"
"#,
            dl = dl.display(),
            crit = crit.display(),
            low = low.display()
        ),
    )
    .unwrap();
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples/data");
    let o = Command::new(env!("CARGO_BIN_EXE_warden"))
        .arg("--config")
        .arg(&cfg)
        .args(["triage", "--notify", "--format", "json"])
        .arg(&samples)
        .envs(aws_env(&m).iter().map(|(k, v)| (*k, v.as_str())))
        .env("TEST_WEBHOOK_SECRET", "webhook-key")
        .env("TEST_SLACK_WEBHOOK", format!("http://{web}/slack"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    let levels = &doc["summary"]["incidents_by_level"];
    let (n_crit, n_low) = (
        levels["critical"].as_u64().unwrap() as usize,
        levels["low"].as_u64().unwrap() as usize,
    );
    assert!(n_crit >= 3 && n_low >= 3, "{levels}");

    let got = seen.lock().unwrap().clone();
    let at = |p: &str| got.iter().filter(|g| g.0 == p).cloned().collect::<Vec<_>>();
    // The webhook: every critical incident, one retried after a 500; signed.
    let hook = at("/hook");
    assert_eq!(hook.len(), n_crit + 1, "one retry");
    for (_, headers, body) in &hook {
        let sig = headers
            .lines()
            .find_map(|l| l.strip_prefix("x-warden-signature: "))
            .expect("signed")
            .trim();
        let t: i64 = sig
            .split(',')
            .next()
            .unwrap()
            .trim_start_matches("t=")
            .parse()
            .unwrap();
        assert_eq!(
            sig,
            warden_respond::deliver::webhook_signature(b"webhook-key", t, body.as_bytes())
        );
        let v: Value = serde_json::from_str(body).unwrap();
        assert_eq!(v["level"], "critical");
        assert!(v["link"]
            .as_str()
            .unwrap()
            .starts_with("https://warden.example.com/#/incident/INC-"));
        assert!(!v["evidence"].as_array().unwrap().is_empty());
    }
    // Slack: the incident buttons, log text escaped, no unfurling.
    let slack = at("/slack");
    assert_eq!(slack.len(), n_crit);
    for (_, _, body) in &slack {
        let v: Value = serde_json::from_str(body).unwrap();
        assert_eq!(v["unfurl_links"], false);
        let actions = &v["blocks"].as_array().unwrap().last().unwrap()["elements"];
        assert_eq!(actions[0]["action_id"], "incident_ack");
        assert!(actions[0]["value"].as_str().unwrap().starts_with("INC-"));
    }
    // A 400 is not retried; each message goes to the dead-letter file.
    assert_eq!(at("/slack-bad").len(), n_crit, "no retry on 400");
    let dead = lines(&dl);
    let bad: Vec<&Value> = dead
        .iter()
        .filter(|r| r["destination"] == "broken-slack")
        .collect();
    assert_eq!(bad.len(), n_crit);
    assert!(bad[0]["error"].as_str().unwrap().contains("400"));
    assert_eq!(bad[0]["attempts"], 1);
    assert!(bad[0]["notification"]["incident_id"]
        .as_str()
        .unwrap()
        .starts_with("INC-"));
    // Over the rate limit: kept, not dropped.
    assert_eq!(lines(&crit).len(), 2);
    let limited = dead
        .iter()
        .filter(|r| r["destination"] == "crit-file")
        .count();
    assert_eq!(limited, n_crit - 2);
    assert!(dead
        .iter()
        .any(|r| r["error"].as_str().unwrap().contains("rate limit")));
    // Low incidents only to the low file.
    let lows = lines(&low);
    assert_eq!(lows.len(), n_low);
    assert!(lows.iter().all(|l| l["level"] == "low"));
    // SNS: one message per critical incident, read back from the queue.
    let mut bodies = Vec::new();
    for _ in 0..10 {
        let (_, r) = sqs(
            "AmazonSQS.ReceiveMessage",
            serde_json::json!({"QueueUrl": queue_url, "MaxNumberOfMessages": 10}),
        );
        let v: Value = serde_json::from_str(&r).unwrap_or(Value::Null);
        for msg in v["Messages"].as_array().into_iter().flatten() {
            bodies.push(msg["Body"].as_str().unwrap().to_string());
            sqs(
                "AmazonSQS.DeleteMessage",
                serde_json::json!({"QueueUrl": queue_url, "ReceiptHandle": msg["ReceiptHandle"]}),
            );
        }
        if bodies.len() >= n_crit {
            break;
        }
    }
    assert_eq!(bodies.len(), n_crit, "{bodies:?}");
    let envelope: Value = serde_json::from_str(&bodies[0]).unwrap();
    assert!(
        envelope["Subject"]
            .as_str()
            .unwrap()
            .starts_with("[warden CRITICAL]"),
        "{envelope}"
    );
    assert!(envelope["Message"]
        .as_str()
        .unwrap()
        .contains("\"level\":\"critical\""));
    assert!(
        err.contains(&format!("{} undelivered", n_crit + n_crit - 2)),
        "{err}"
    );
    assert!(err.contains("dead.jsonl"), "{err}");
}

#[test]
fn notification_settings_are_checked_before_anything_is_sent() {
    let d = tempfile::tempdir().unwrap();
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples/data");
    for (toml, says) in [
        (
            "[[respond.route]]\nmin_level = \"high\"\nto = [\"nowhere\"]\n",
            "no destination named 'nowhere'",
        ),
        (
            "[[respond.route]]\nmin_level = \"severe\"\nto = []\n",
            "level 'severe'",
        ),
        (
            "[respond.destinations.s]\nkind = \"slack_webhook\"\nurl_env = \"NOT_SET_ANYWHERE\"\n",
            "NOT_SET_ANYWHERE is not set",
        ),
        (
            "[respond.destinations.w]\nkind = \"webhook\"\nurl = \"http://example.com/hook\"\n",
            "must be https://",
        ),
        (
            "[respond.destinations.x]\nkind = \"pager\"\n",
            "kind 'pager' is not one of",
        ),
        ("", "--notify needs at least one [[respond.route]]"),
    ] {
        let cfg = d.path().join("w.toml");
        std::fs::write(&cfg, toml).unwrap();
        let o = Command::new(env!("CARGO_BIN_EXE_warden"))
            .arg("--config")
            .arg(&cfg)
            .args(["triage", "--notify"])
            .arg(&samples)
            .env_remove("NOT_SET_ANYWHERE")
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{toml}: {err}");
        assert!(err.contains(says), "{toml}: {err}");
    }
}
