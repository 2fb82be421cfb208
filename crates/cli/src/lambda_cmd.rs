//! `warden lambda`: the same binary as an AWS Lambda function (custom
//! runtime, `lambda_runtime`). One handler takes every event the
//! deployment sends it, through the same code as `warden run` and
//! `warden serve`:
//!
//! - SQS batches (S3 notifications, EventBridge events): each message's
//!   work; failed ones are reported in `batchItemFailures`, so SQS retries
//!   only those and, after `maxReceiveCount`, moves them to the DLQ;
//! - S3 event notifications and EventBridge events invoked directly (an
//!   error makes Lambda retry the invocation);
//! - API Gateway HTTP API (payload 2.0) and REST (1.0) requests: answered
//!   by the `warden serve` router, so Slack's signature check and
//!   handlers are the server's own.
//!
//! The store lives in `WARDEN_STORE` (default `/tmp/warden-store`).

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use base64::Engine as _;
use lambda_runtime::{service_fn, LambdaEvent};
use serde_json::{json, Value};
use tower::ServiceExt;

use crate::live::Processor;
use crate::Fatal;

/// What kind of event arrived.
#[derive(Debug, PartialEq, Eq)]
pub enum Kind {
    Sqs,
    S3,
    EventBridge,
    Http,
    Unknown,
}

pub fn kind(v: &Value) -> Kind {
    if v.get("requestContext").is_some()
        && (v.get("rawPath").is_some() || v.get("httpMethod").is_some())
    {
        return Kind::Http;
    }
    if v.get("detail-type").is_some() {
        return Kind::EventBridge;
    }
    match v.pointer("/Records/0/eventSource").and_then(Value::as_str) {
        Some("aws:sqs") => Kind::Sqs,
        Some("aws:s3") => Kind::S3,
        _ => Kind::Unknown,
    }
}

struct Handler {
    processor: Processor,
    router: axum::Router,
}

pub fn run(
    cfg: &crate::config::FileConfig,
    snippets: warden_server::SnippetAnalyzer,
) -> Result<ExitCode, Fatal> {
    let started = std::time::Instant::now();
    for var in ["AWS_LAMBDA_RUNTIME_API", "AWS_LAMBDA_FUNCTION_NAME"] {
        if std::env::var_os(var).is_none_or(|v| v.is_empty()) {
            return Err(Fatal(format!(
                "warden lambda runs inside AWS Lambda ({var} is not set); to watch queues and buckets from here use `warden run` (see docs/lambda.md)"
            )));
        }
    }
    let store_dir = std::env::var_os("WARDEN_STORE")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/tmp/warden-store"));
    let sel = crate::RuleSel {
        rules: Vec::new(),
        no_builtin: false,
    };
    let files = crate::rule_files(&sel, cfg, true);
    let engine = crate::load_rules(&files, true)?.engine;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Fatal(format!("cannot start the async runtime: {e}")))?;
    rt.block_on(async {
        let processor = Processor::new(engine, &store_dir, cfg, true).await?;
        let mut opts =
            warden_server::ServeOptions::new(([127, 0, 0, 1], 0).into(), store_dir.clone());
        opts.snippets = Some(snippets);
        opts.slack = warden_server::secrets::slack_config()
            .await
            .map_err(Fatal)?;
        let router = warden_server::router(&opts).map_err(|e| Fatal(e.to_string()))?;
        let h = Arc::new(Handler { processor, router });
        tracing::info!(
            init_ms = started.elapsed().as_millis() as u64,
            "warden lambda ready"
        );
        eprintln!(
            "warden: lambda handler ready in {} ms",
            started.elapsed().as_millis()
        );
        lambda_runtime::run(service_fn(move |ev: LambdaEvent<Value>| {
            let h = h.clone();
            async move { handle(&h, ev.payload).await }
        }))
        .await
        .map_err(|e| Fatal(format!("the Lambda runtime stopped: {e}")))
    })?;
    Ok(ExitCode::SUCCESS)
}

async fn handle(h: &Handler, v: Value) -> Result<Value, lambda_runtime::Error> {
    let out = match kind(&v) {
        Kind::Sqs => sqs_batch(h, &v).await,
        Kind::S3 | Kind::EventBridge => {
            let work = warden_live::envelope::parse_value(&v, 0).map_err(|e| e.0)?;
            for w in &work {
                h.processor.work(w).await.map_err(|e| e.message)?;
            }
            Ok(json!({"done": work.len()}))
        }
        Kind::Http => http(h, &v).await,
        Kind::Unknown => {
            Err("the event is not SQS, S3, EventBridge or API Gateway; nothing to do".to_string())
        }
    };
    // Remediations approved since the last event (web or Slack).
    h.processor.execute_approved().await;
    out.map_err(lambda_runtime::Error::from)
}

/// Every message of an SQS batch; the failed ones are named so that only
/// they come back (`ReportBatchItemFailures`).
async fn sqs_batch(h: &Handler, v: &Value) -> Result<Value, String> {
    let mut failures = Vec::new();
    for r in v
        .get("Records")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let id = r
            .get("messageId")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let body = r.get("body").and_then(Value::as_str).unwrap_or("");
        let result = match warden_live::envelope::parse(body.as_bytes()) {
            Ok(work) => {
                let mut res = Ok(());
                for w in &work {
                    if let Err(e) = h.processor.work(w).await {
                        res = Err(e.message);
                        break;
                    }
                }
                res
            }
            Err(e) => Err(e.0),
        };
        match result {
            Ok(()) => {
                h.processor.stats.lock().map(|mut s| s.messages += 1).ok();
            }
            Err(e) => {
                tracing::warn!(message = %id, error = %e, "message failed; SQS will deliver it again");
                eprintln!("warden: message {id} failed: {e}");
                failures.push(json!({"itemIdentifier": id}));
            }
        }
    }
    Ok(json!({"batchItemFailures": failures}))
}

/// An API Gateway request answered by the server's router.
async fn http(h: &Handler, v: &Value) -> Result<Value, String> {
    let s = |p: &str| v.pointer(p).and_then(Value::as_str);
    let method = s("/requestContext/http/method")
        .or(s("/httpMethod"))
        .unwrap_or("GET");
    let path = s("/rawPath").or(s("/path")).unwrap_or("/");
    let query = s("/rawQueryString").filter(|q| !q.is_empty());
    let uri = match query {
        Some(q) => format!("{path}?{q}"),
        None => path.to_string(),
    };
    let body = match s("/body") {
        Some(b) if v.get("isBase64Encoded").and_then(Value::as_bool) == Some(true) => {
            base64::engine::general_purpose::STANDARD
                .decode(b)
                .map_err(|e| format!("the request body is not base64: {e}"))?
        }
        Some(b) => b.as_bytes().to_vec(),
        None => Vec::new(),
    };
    let mut req = axum::http::Request::builder().method(method).uri(&uri);
    if let Some(hs) = v.get("headers").and_then(Value::as_object) {
        for (k, val) in hs {
            if let Some(val) = val.as_str() {
                req = req.header(k.as_str(), val);
            }
        }
    }
    if let Some(cookies) = v.get("cookies").and_then(Value::as_array) {
        let c: Vec<&str> = cookies.iter().filter_map(Value::as_str).collect();
        if !c.is_empty() {
            req = req.header("cookie", c.join("; "));
        }
    }
    let req = req
        .body(axum::body::Body::from(body))
        .map_err(|e| format!("cannot build the request: {e}"))?;
    let resp = h
        .router
        .clone()
        .oneshot(req)
        .await
        .map_err(|e| format!("the router failed: {e}"))?;
    let status = resp.status().as_u16();
    let mut headers = serde_json::Map::new();
    for (k, val) in resp.headers() {
        if let Ok(val) = val.to_str() {
            headers.insert(k.as_str().to_string(), json!(val));
        }
    }
    let bytes = axum::body::to_bytes(resp.into_body(), 32 << 20)
        .await
        .map_err(|e| format!("cannot read the response: {e}"))?;
    Ok(match std::str::from_utf8(&bytes) {
        Ok(t) => {
            json!({"statusCode": status, "headers": headers, "body": t, "isBase64Encoded": false})
        }
        Err(_) => json!({"statusCode": status, "headers": headers,
            "body": base64::engine::general_purpose::STANDARD.encode(&bytes), "isBase64Encoded": true}),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_told_apart() {
        assert_eq!(
            kind(&json!({"Records": [{"eventSource": "aws:sqs", "body": "{}"}]})),
            Kind::Sqs
        );
        assert_eq!(
            kind(&json!({"Records": [{"eventSource": "aws:s3"}]})),
            Kind::S3
        );
        assert_eq!(
            kind(&json!({"detail-type": "Object Created", "detail": {}})),
            Kind::EventBridge
        );
        assert_eq!(
            kind(&json!({"version": "2.0", "rawPath": "/slack/commands", "requestContext": {}})),
            Kind::Http
        );
        assert_eq!(
            kind(&json!({"httpMethod": "POST", "path": "/", "requestContext": {}})),
            Kind::Http
        );
        assert_eq!(kind(&json!({"Records": []})), Kind::Unknown);
        assert_eq!(kind(&json!("x")), Kind::Unknown);
    }
}
