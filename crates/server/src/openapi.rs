//! The OpenAPI 3.1 document served at `/openapi.json`, built from the
//! same list the tests walk to check that every documented route answers.

use serde_json::{json, Map, Value};

/// (method, path, minimum role, summary, query parameters, request body)
pub(crate) type Route = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
    Option<&'static str>,
);

pub(crate) const ROUTES: &[Route] = &[
    ("get", "/health", "none", "Liveness: always {\"status\":\"ok\"}; no token (load balancers cannot send one) and no data.", &[], None),
    ("get", "/metrics", "viewer", "Prometheus metrics: requests by route and status, latency histograms, uptime.", &[], None),
    ("get", "/openapi.json", "viewer", "This document.", &[], None),
    ("get", "/", "none", "The web UI (incidents, chat, IAM policy portal). The page holds no data; it signs in and reads the API.", &[], None),
    ("post", "/api/login", "none", "Sign in to the web UI: sets an HttpOnly, Secure, SameSite=Strict session cookie and returns the CSRF token to send as X-CSRF-Token on writes. Attempts are limited per user name.", &[], Some("{\"user\": string, \"password\": string}")),
    ("get", "/api/session", "viewer", "Who is signed in (user, role, via session or token) and the session's CSRF token.", &[], None),
    ("post", "/api/logout", "viewer", "End the browser session.", &[], None),
    ("get", "/api/incidents", "viewer", "Stored incidents overlapping a time range, most severe first. fields=full adds sources, techniques, tactics and alert_count.", &["since", "until", "min_level", "limit", "fields"], None),
    ("get", "/api/incidents/{id}", "viewer", "One incident: its row (rules, evidence event ids) and the full triage JSON (timeline, techniques, narrative, actions).", &[], None),
    ("post", "/api/incidents/{id}/ack", "analyst", "Acknowledge an incident (the first acknowledgement stands; audited).", &[], None),
    ("get", "/api/approvals", "viewer", "Remediations waiting for a decision (pending=false: all, newest first).", &["pending", "limit"], None),
    ("post", "/api/approvals/{id}/approve", "approver", "Approve a pending remediation (once; audited; 409 when already decided).", &[], None),
    ("post", "/api/approvals/{id}/reject", "approver", "Reject a pending remediation (once; audited; 409 when already decided).", &[], None),
    ("get", "/api/events", "viewer", "Stored events matching a filter, newest first, with the total.", &["q", "since", "until", "source", "principal", "user", "source_ip", "event_name", "failed", "limit"], None),
    ("get", "/api/events/{uid}", "viewer", "The raw JSON of one stored event.", &[], None),
    ("post", "/api/ask", "analyst", "A grounded answer with citations (offline analyst). Threads are per token. With Accept: text/event-stream the answer is streamed as server-sent events: plan, sentence…, citations, done.", &[], Some("{\"question\": string, \"thread\"?: string}")),
    ("post", "/slack/commands", "slack-signature", "Slack slash command (/ask-aws): form body signed by Slack; acknowledged at once, the answer follows on response_url.", &[], Some("application/x-www-form-urlencoded, as Slack sends it")),
    ("post", "/slack/events", "slack-signature", "Slack Events API: url_verification, app_mention (answered in the thread). Retries are handled once per event_id.", &[], Some("Slack event JSON")),
    ("post", "/slack/interactivity", "slack-signature", "Slack interactivity: the 'Analyze with warden' message shortcut (detection on log snippets, else an answer) and incident buttons (acknowledge: analyst; approve/reject a remediation: approver), acting as the warden user linked to the Slack member id.", &[], Some("application/x-www-form-urlencoded payload=<JSON>, as Slack sends it")),
    ("post", "/api/scan-image", "analyst", "Personal data in an image: OCR (Tesseract: English, Korean, Japanese) and the PII recognisers; the verdict with entity types, counts, masked values and boxes. The image is not stored.", &[], Some("the image bytes; Content-Type image/* or application/octet-stream; at most 25 MiB and 40 megapixels")),
    ("post", "/api/policy/fix", "viewer", "A mechanical least-privilege fix of an IAM policy: the fixed policy (object and pretty text), what changed, the score before and the full report after.", &[], Some("{\"policy\": object | string, \"name\"?: string}")),
    ("post", "/api/policy/generate", "viewer", "Generate a policy from a description (offline, verb and resource words) or from a user's or role's stored activity; the result is checked by the analyzer before it is returned.", &[], Some("{\"description\": string} | {\"user\": string, \"since\"?: time, \"until\"?: time}")),
    ("post", "/api/policy/check", "viewer", "Least-privilege review of an IAM policy: score 1-10, findings with JSON paths, escalation paths, suggestions.", &[], Some("{\"policy\": object | string, \"name\"?: string}")),
];

pub(crate) fn document() -> Value {
    let mut paths = Map::new();
    for (method, path, role, summary, params, body) in ROUTES {
        let mut op = json!({
            "summary": summary,
            "x-warden-min-role": role,
            "responses": {
                "200": {"description": "OK"},
                "400": {"description": "Bad request: the message names the parameter"},
                "401": {"description": "Missing, unknown or revoked token"},
                "403": {"description": "The token's role is below the minimum"},
                "413": {"description": "Request body too large"},
                "429": {"description": "Rate limit for this token; see Retry-After"}
            }
        });
        if *role == "none" || *role == "slack-signature" {
            op["security"] = json!([]);
        }
        let mut ps: Vec<Value> = params
            .iter()
            .map(|p| json!({"name": p, "in": "query", "required": false, "schema": {"type": "string"}}))
            .collect();
        for seg in path.split('/') {
            if let Some(name) = seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                ps.push(json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}));
            }
        }
        if !ps.is_empty() {
            op["parameters"] = Value::Array(ps);
        }
        if let Some(b) = body {
            op["requestBody"] = json!({
                "required": true,
                "description": b,
                "content": {"application/json": {"schema": {"type": "object"}}}
            });
        }
        paths
            .entry(path.to_string())
            .or_insert_with(|| json!({}))
            .as_object_mut()
            .expect("a path item is an object")
            .insert(method.to_string(), op);
    }
    json!({
        "openapi": "3.1.0",
        "info": {"title": "warden", "version": env!("CARGO_PKG_VERSION"),
                 "description": "AI-assisted security operations for AWS: incidents, events, grounded answers, IAM policy review."},
        "components": {"securitySchemes": {"token": {"type": "http", "scheme": "bearer",
            "description": "An API token from 'warden tokens create'"}}},
        "security": [{"token": []}],
        "paths": paths
    })
}
