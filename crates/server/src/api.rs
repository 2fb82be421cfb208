//! The HTTP routes and their handlers. Every route but `/health`
//! authenticates; the minimum role is named at the top of each handler.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, MatchedPath, Path, Query, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use warden_store::Filter;

use crate::{ApiError, AppState, Role, ServeOptions};

type S = State<Arc<AppState>>;

/// Longest question `/api/ask` takes (as `warden ask`).
pub(crate) const MAX_QUESTION_CHARS: usize = 8_000;

pub(crate) fn routes(state: Arc<AppState>, opts: &ServeOptions) -> Router {
    Router::new()
        .route("/", get(crate::ui::index))
        .route("/ui/{file}", get(crate::ui::asset))
        .route("/health", get(health))
        .route("/api/login", post(crate::session::login))
        .route("/api/logout", post(crate::session::logout))
        .route("/api/session", get(crate::session::session))
        .route("/metrics", get(metrics))
        .route("/openapi.json", get(openapi))
        .route("/api/incidents", get(incidents))
        .route("/api/incidents/{id}", get(incident))
        .route("/api/incidents/{id}/ack", post(incident_ack))
        .route("/api/approvals", get(approvals))
        .route("/api/approvals/{id}/{decision}", post(decide))
        .route("/api/events", get(events))
        .route("/api/events/{uid}", get(event))
        .route("/api/ask", post(ask))
        .route(
            "/api/scan-image",
            post(scan_image).layer(DefaultBodyLimit::max(opts.image_limit)),
        )
        .route("/api/policy/check", post(policy_check))
        .route("/api/policy/fix", post(policy_fix))
        .route("/api/policy/generate", post(policy_generate))
        .route("/slack/commands", post(crate::slack::commands))
        .route("/slack/events", post(crate::slack::events))
        .route(
            "/slack/interactivity",
            post(crate::slack_actions::interactivity),
        )
        .fallback(not_found)
        .layer(axum::middleware::from_fn(crate::session::csrf_guard))
        .layer(axum::middleware::from_fn(crate::ui::security_headers))
        .layer(axum::middleware::from_fn_with_state(state.clone(), record))
        .layer(DefaultBodyLimit::max(opts.body_limit))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            opts.timeout,
        ))
        .with_state(state)
}

/// Count every answer by route and status, and its latency.
async fn record(State(st): S, req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_string())
        .unwrap_or_else(|| "unmatched".into());
    let t = Instant::now();
    let r = next.run(req).await;
    st.metrics
        .record(&route, r.status().as_u16(), t.elapsed().as_secs_f64());
    r
}

async fn not_found() -> ApiError {
    ApiError::not_found("no such endpoint; see /openapi.json")
}

async fn health() -> Json<Value> {
    Json(json!({"status": "ok"}))
}

async fn metrics(State(st): S, h: HeaderMap) -> Result<Response, ApiError> {
    st.authorize(&h, Role::Viewer).await?;
    let body = st.metrics.render(st.started.elapsed().as_secs_f64());
    Ok((
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        body,
    )
        .into_response())
}

async fn openapi(State(st): S, h: HeaderMap) -> Result<Json<Value>, ApiError> {
    st.authorize(&h, Role::Viewer).await?;
    Ok(Json(crate::openapi::document()))
}

fn query<T>(q: Result<Query<T>, QueryRejection>) -> Result<T, ApiError> {
    q.map(|Query(v)| v)
        .map_err(|e| ApiError::bad_request(format!("bad query string: {}", e.body_text())))
}

pub(crate) fn body<T>(b: Result<Json<T>, JsonRejection>) -> Result<T, ApiError> {
    b.map(|Json(v)| v).map_err(|e| {
        let status = match e {
            JsonRejection::MissingJsonContentType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            JsonRejection::BytesRejection(_) => StatusCode::PAYLOAD_TOO_LARGE,
            _ => StatusCode::BAD_REQUEST,
        };
        ApiError::new(status, format!("bad request body: {}", e.body_text()))
    })
}

/// A time parameter: RFC 3339 or epoch milliseconds.
fn time(v: Option<&str>, name: &str) -> Result<Option<i64>, ApiError> {
    match v {
        None | Some("") => Ok(None),
        Some(s) => s
            .parse::<i64>()
            .ok()
            .or_else(|| warden_core::Timestamp::parse(s).map(|t| t.millis()))
            .map(Some)
            .ok_or_else(|| {
                ApiError::bad_request(format!(
                    "'{name}' is not a time: use RFC 3339 (2026-11-01T00:00:00Z) or epoch milliseconds"
                ))
            }),
    }
}

#[derive(Deserialize)]
struct IncidentsQuery {
    since: Option<String>,
    until: Option<String>,
    min_level: Option<String>,
    limit: Option<usize>,
    /// `full`: add each incident's sources, techniques, tactics and alert
    /// count from its triage record (the dashboard's breakdowns).
    fields: Option<String>,
}

async fn incidents(
    State(st): S,
    h: HeaderMap,
    q: Result<Query<IncidentsQuery>, QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    st.authorize(&h, Role::Viewer).await?;
    let q = query(q)?;
    let since = time(q.since.as_deref(), "since")?;
    let until = time(q.until.as_deref(), "until")?;
    let min_rank = match q
        .min_level
        .as_deref()
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        None | Some("") | Some("low") => 1,
        Some("medium") => 2,
        Some("high") => 3,
        Some("critical") => 4,
        Some(o) => {
            return Err(ApiError::bad_request(format!(
                "min_level '{o}' is not one of low, medium, high, critical"
            )))
        }
    };
    let limit = q.limit.unwrap_or(100).min(1000);
    let full = match q.fields.as_deref() {
        None | Some("") => false,
        Some("full") => true,
        Some(o) => return Err(ApiError::bad_request(format!("fields '{o}' is not 'full'"))),
    };
    let rows = st
        .pool
        .run(move |s| {
            let rows = s.incidents(since, until, min_rank, limit)?;
            let mut out = Vec::with_capacity(rows.len());
            for r in rows {
                let mut v = serde_json::to_value(&r).unwrap_or(Value::Null);
                if full {
                    let detail: Value = s
                        .incident_json(&r.id)?
                        .and_then(|j| serde_json::from_str(&j).ok())
                        .unwrap_or(Value::Null);
                    for k in ["sources", "techniques", "tactics", "alert_count"] {
                        v[k] = detail.get(k).cloned().unwrap_or(Value::Null);
                    }
                    let ids = detail["rule_ids"].as_array().cloned().unwrap_or_default();
                    let titles = detail["rules"].as_array().cloned().unwrap_or_default();
                    v["rules"] = Value::Array(
                        ids.into_iter()
                            .zip(titles)
                            .map(|(i, t)| Value::Array(vec![i, t]))
                            .collect(),
                    );
                } else if let Some(o) = v.as_object_mut() {
                    // The list query does not gather these; the detail does.
                    o.remove("rules");
                    o.remove("evidence");
                }
                out.push(v);
            }
            Ok(out)
        })
        .await?;
    Ok(Json(json!({"incidents": rows})))
}

async fn incident(
    State(st): S,
    h: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    st.authorize(&h, Role::Viewer).await?;
    let id2 = id.clone();
    let (row, full) = st
        .pool
        .run(move |s| {
            let row = s.incident(&id2)?;
            let full = match &row {
                Some(r) => s.incident_json(&r.id)?,
                None => None,
            };
            Ok((row, full))
        })
        .await?;
    let row = row.ok_or_else(|| ApiError::not_found(format!("no stored incident '{id}'")))?;
    let detail: Value = full
        .and_then(|j| serde_json::from_str(&j).ok())
        .unwrap_or(Value::Null);
    let rid = row.id.clone();
    let ack = st.pool.run(move |s| s.incident_ack(&rid)).await?;
    let ack = ack.map(|(by, ms)| json!({"by": by, "time_ms": ms}));
    Ok(Json(
        json!({"incident": row, "detail": detail, "acknowledged": ack}),
    ))
}

#[derive(Deserialize)]
struct EventsQuery {
    q: Option<String>,
    since: Option<String>,
    until: Option<String>,
    source: Option<String>,
    principal: Option<String>,
    user: Option<String>,
    source_ip: Option<String>,
    event_name: Option<String>,
    failed: Option<bool>,
    limit: Option<usize>,
}

async fn events(
    State(st): S,
    h: HeaderMap,
    q: Result<Query<EventsQuery>, QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    st.authorize(&h, Role::Viewer).await?;
    let q = query(q)?;
    let one = |v: Option<String>| v.filter(|s| !s.is_empty()).into_iter().collect::<Vec<_>>();
    let f = Filter {
        since_ms: time(q.since.as_deref(), "since")?,
        until_ms: time(q.until.as_deref(), "until")?,
        kinds: one(q.source),
        principals: one(q.principal),
        user_names: one(q.user),
        source_ips: one(q.source_ip),
        event_names: one(q.event_name),
        failed_only: q.failed.unwrap_or(false),
        text: q.q.filter(|s| !s.is_empty()),
        ..Filter::default()
    };
    let limit = q.limit.unwrap_or(50).min(500);
    let (total, hits) = st.pool.run(move |s| s.events(&f, limit)).await?;
    Ok(Json(json!({"total": total, "events": hits})))
}

async fn event(
    State(st): S,
    h: HeaderMap,
    Path(uid): Path<String>,
) -> Result<Json<Value>, ApiError> {
    st.authorize(&h, Role::Viewer).await?;
    let u = uid.clone();
    let raw = st.pool.run(move |s| s.raw_event(&u)).await?;
    let raw = raw.ok_or_else(|| ApiError::not_found(format!("no stored event '{uid}'")))?;
    let v: Value = serde_json::from_str(&raw).unwrap_or(Value::String(raw));
    Ok(Json(json!({"uid": uid, "event": v})))
}

#[derive(Deserialize)]
struct AskBody {
    question: String,
    thread: Option<String>,
}

async fn ask(
    State(st): S,
    h: HeaderMap,
    b: Result<Json<AskBody>, JsonRejection>,
) -> Result<Response, ApiError> {
    let caller = st.authorize(&h, Role::Analyst).await?;
    let b = body(b)?;
    let question = b.question.trim().to_string();
    if question.is_empty() {
        return Err(ApiError::bad_request("'question' is empty"));
    }
    if question.chars().count() > MAX_QUESTION_CHARS {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("the question is over {MAX_QUESTION_CHARS} characters"),
        ));
    }
    // Threads are per caller: one token cannot read another's thread.
    let thread = b
        .thread
        .filter(|t| !t.is_empty())
        .map(|t| format!("{}/{t}", caller.actor()));
    let a = crate::ask(&st, question, thread).await?.answer;
    let wants_stream = h
        .get(axum::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/event-stream"));
    if wants_stream {
        return Ok(stream_answer(&a).into_response());
    }
    Ok(Json(serde_json::to_value(a).unwrap_or(Value::Null)).into_response())
}

/// An answer as server-sent events: `plan`, one `sentence` per sentence
/// (text and citation labels), `citations` (label → event or incident,
/// as structured data), then `done`.
fn stream_answer(
    a: &warden_assistant::Answer,
) -> axum::response::sse::Sse<
    impl futures_util::Stream<Item = Result<axum::response::sse::Event, std::convert::Infallible>>,
> {
    use axum::response::sse::Event;
    let ev = |name: &str, v: Value| Ok(Event::default().event(name).data(v.to_string()));
    let mut events = vec![ev(
        "plan",
        serde_json::to_value(&a.plan).unwrap_or(Value::Null),
    )];
    for s in &a.sentences {
        events.push(ev("sentence", json!({"text": s.text, "cites": s.cites})));
    }
    events.push(ev(
        "citations",
        serde_json::to_value(&a.citations).unwrap_or(Value::Null),
    ));
    events.push(ev(
        "done",
        json!({"found": a.found, "language": a.language, "time_anchor": a.time_anchor}),
    ));
    axum::response::sse::Sse::new(futures_util::stream::iter(events))
}

#[derive(Deserialize)]
struct PolicyBody {
    policy: Value,
    name: Option<String>,
}

async fn policy_check(
    State(st): S,
    h: HeaderMap,
    b: Result<Json<PolicyBody>, JsonRejection>,
) -> Result<Json<Value>, ApiError> {
    st.authorize(&h, Role::Viewer).await?;
    let b = body(b)?;
    let text = policy_text(b.policy)?;
    let name = b.name.unwrap_or_else(|| "policy".into());
    let report = warden_policy::review_text(&name, &text)
        .ok_or_else(|| ApiError::bad_request("no policy found in 'policy'"))?;
    Ok(Json(serde_json::to_value(report).unwrap_or(Value::Null)))
}

/// The policy text of a request body: an object, or a string of JSON.
fn policy_text(v: Value) -> Result<String, ApiError> {
    match v {
        Value::String(s) => Ok(s),
        v @ Value::Object(_) => Ok(v.to_string()),
        _ => Err(ApiError::bad_request(
            "'policy' must be the policy JSON, as an object or a string",
        )),
    }
}

async fn policy_fix(
    State(st): S,
    h: HeaderMap,
    b: Result<Json<PolicyBody>, JsonRejection>,
) -> Result<Json<Value>, ApiError> {
    st.authorize(&h, Role::Viewer).await?;
    let b = body(b)?;
    let text = policy_text(b.policy)?;
    let name = b.name.unwrap_or_else(|| "policy".into());
    let c = warden_policy::Catalog::embedded();
    let checked = warden_policy::check_document(
        c,
        &warden_policy::Document {
            name: name.clone(),
            bytes: text.as_bytes().to_vec(),
        },
    );
    let Some(p) = &checked.policy else {
        let why = checked
            .findings
            .first()
            .map(|f| f.message.clone())
            .unwrap_or_else(|| "unreadable".into());
        return Err(ApiError::bad_request(format!(
            "the policy cannot be fixed: {why}"
        )));
    };
    let fixed = warden_policy::fix::fix(c, p);
    let fixed_text = serde_json::to_string_pretty(&fixed.policy).unwrap_or_default();
    let before = warden_policy::review_text(&name, &text).map(|r| r.score);
    let after = warden_policy::review_text(&name, &fixed_text);
    Ok(Json(json!({
        "policy": fixed.policy,
        "text": fixed_text,
        "changes": fixed.changes,
        "score_before": before,
        "report": after,
    })))
}

#[derive(Deserialize)]
struct GenerateBody {
    /// What the policy is for, in words.
    description: Option<String>,
    /// Or: the user or role whose stored activity it should allow.
    user: Option<String>,
    since: Option<String>,
    until: Option<String>,
}

/// Longest description `/api/policy/generate` takes.
const MAX_DESCRIPTION_CHARS: usize = 4_000;

async fn policy_generate(
    State(st): S,
    h: HeaderMap,
    b: Result<Json<GenerateBody>, JsonRejection>,
) -> Result<Json<Value>, ApiError> {
    st.authorize(&h, Role::Viewer).await?;
    let b = body(b)?;
    let c = warden_policy::Catalog::embedded();
    let description = b.description.filter(|d| !d.trim().is_empty());
    let user = b.user.filter(|u| !u.trim().is_empty());
    let (generated, source) = match (description, user) {
        (Some(d), None) => {
            if d.chars().count() > MAX_DESCRIPTION_CHARS {
                return Err(ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    format!("the description is over {MAX_DESCRIPTION_CHARS} characters"),
                ));
            }
            match write_with_model(&st, d.clone()).await {
                Some(Ok(w)) => {
                    let g = warden_policy::generate::Generated {
                        policy: w.policy,
                        notes: vec![format!(
                            "Written by the model {} from the description; the analyzer's review is below. Check it before use.",
                            w.answered_by
                        )],
                        unmatched: Vec::new(),
                    };
                    (g, "model")
                }
                Some(Err(why)) => {
                    let mut g = warden_policy::generate::from_description(c, &d);
                    g.notes.insert(0, format!("The model could not write it ({why}); generated offline instead."));
                    (g, "description")
                }
                None => (warden_policy::generate::from_description(c, &d), "description"),
            }
        }
        (None, Some(u)) => {
            let since = time(b.since.as_deref(), "since")?;
            let until = time(b.until.as_deref(), "until")?;
            let who = u.trim().to_string();
            let (rows, incidents) = st
                .pool
                .run(move |s| {
                    let rows = s.activity(&who, since, until)?;
                    // Incidents about this principal: its activity may be
                    // an attacker's, which a generated policy must not bless.
                    let tail = format!("/{who}");
                    let inc: Vec<(String, String)> = s
                        .incidents(since, until, 1, 1000)?
                        .into_iter()
                        .filter(|i| {
                            i.principal
                                .as_deref()
                                .is_some_and(|p| p == who || p.ends_with(&tail) || p.contains(&format!("{tail}/")))
                        })
                        .map(|i| (i.id, i.threat_level))
                        .collect();
                    Ok((rows, inc))
                })
                .await?;
            if rows.is_empty() {
                return Err(ApiError::not_found(format!(
                    "no stored calls by '{}' in that time range; check the name (a user or role name, or a principal ARN)",
                    u.trim()
                )));
            }
            let denied: Vec<String> = rows
                .iter()
                .filter(|r| r.failed == r.calls)
                .map(|r| format!("{} ({})", r.event_name, r.event_source))
                .collect();
            let observed: Vec<warden_policy::generate::Observed> = rows
                .iter()
                .filter(|r| r.failed < r.calls)
                .map(|r| warden_policy::generate::Observed {
                    event_source: r.event_source.clone(),
                    event_name: r.event_name.clone(),
                    bucket: r.s3_bucket.clone(),
                    key: None,
                })
                .collect();
            let mut g = warden_policy::generate::from_activity(c, &observed);
            if !incidents.is_empty() {
                g.notes.insert(
                    0,
                    format!(
                        "Warning: '{}' is the principal of {} incident(s) in this range ({}); some of this activity may be an attacker's. Review every action before use.",
                        u.trim(),
                        incidents.len(),
                        incidents
                            .iter()
                            .take(5)
                            .map(|(id, l)| format!("{id} {l}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
            }
            if !denied.is_empty() {
                g.notes.push(format!(
                    "Calls that were always refused are not allowed here: {}.",
                    denied.join(", ")
                ));
            }
            (g, "activity")
        }
        _ => {
            return Err(ApiError::bad_request(
                "send either 'description' (what the policy is for) or 'user' (whose activity to allow), not both",
            ))
        }
    };
    if generated.policy["Statement"]
        .as_array()
        .is_none_or(|s| s.is_empty())
    {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!(
                "nothing maps to an AWS action; name a service, a verb and a resource (\"read objects in bucket my-uploads\"). Not understood: {}",
                generated.unmatched.join("; ")
            ),
        ));
    }
    let text = serde_json::to_string_pretty(&generated.policy).unwrap_or_default();
    // Checked before it is shown: the score and findings come with it.
    let report = warden_policy::review_text("generated", &text);
    Ok(Json(json!({
        "source": source,
        "policy": generated.policy,
        "text": text,
        "notes": generated.notes,
        "unmatched": generated.unmatched,
        "report": report,
    })))
}

/// The configured model's policy for a description; `None` offline.
async fn write_with_model(
    st: &Arc<AppState>,
    description: String,
) -> Option<Result<warden_assistant::model::WrittenPolicy, String>> {
    let m = st.model.clone()?;
    let _slot = st.model_slots.acquire().await.ok()?;
    let handle = tokio::runtime::Handle::current();
    let r = tokio::task::spawn_blocking(move || {
        warden_assistant::model::write_policy(&m, &handle, &description)
    })
    .await
    .unwrap_or_else(|_| Err("the model task failed".into()));
    Some(r)
}

async fn incident_ack(
    State(st): S,
    h: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let caller = st.authorize(&h, Role::Analyst).await?;
    let actor = caller.actor();
    let i = id.clone();
    let by = st.pool.run(move |s| s.ack_incident(&i, &actor)).await?;
    let by = by.ok_or_else(|| ApiError::not_found(format!("no stored incident '{id}'")))?;
    Ok(Json(
        json!({"incident": id, "acknowledged_by": by, "by_you": by == caller.actor()}),
    ))
}

#[derive(Deserialize)]
struct ApprovalsQuery {
    pending: Option<bool>,
    limit: Option<usize>,
}

async fn approvals(
    State(st): S,
    h: HeaderMap,
    q: Result<Query<ApprovalsQuery>, QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    st.authorize(&h, Role::Viewer).await?;
    let q = query(q)?;
    let pending = q.pending.unwrap_or(true);
    let limit = q.limit.unwrap_or(100).min(1000);
    let rows = st.pool.run(move |s| s.approvals(pending, limit)).await?;
    Ok(Json(json!({"approvals": rows})))
}

async fn decide(
    State(st): S,
    h: HeaderMap,
    Path((id, decision)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    let approve = match decision.as_str() {
        "approve" => true,
        "reject" => false,
        _ => {
            return Err(ApiError::not_found(
                "no such endpoint; use .../approve or .../reject",
            ))
        }
    };
    let caller = st.authorize(&h, Role::Approver).await?;
    let actor = caller.actor();
    let i = id.clone();
    match st.pool.run(move |s| s.decide(&i, approve, &actor)).await? {
        warden_store::Decision::Decided(r) => Ok(Json(json!({"approval": r}))),
        warden_store::Decision::Already(r) => Err(ApiError::new(
            StatusCode::CONFLICT,
            format!(
                "'{id}' was already {} by {}",
                r.state,
                r.decided_by.unwrap_or_default()
            ),
        )),
        warden_store::Decision::Unknown => Err(ApiError::not_found(format!(
            "no remediation '{id}' waits for a decision"
        ))),
    }
}

/// OCR and the PII recognisers on an uploaded image (the raw bytes as the
/// body). The image is not stored.
async fn scan_image(
    State(st): S,
    h: HeaderMap,
    body: Result<axum::body::Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Json<Value>, ApiError> {
    st.authorize(&h, Role::Analyst).await?;
    let ct = h
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !(ct.starts_with("image/") || ct.starts_with("application/octet-stream")) {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "send the image's bytes as the body with Content-Type image/png, image/jpeg, … or application/octet-stream",
        ));
    }
    let bytes = body.map_err(|e| {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("bad image body: {}", e.body_text()),
        )
    })?;
    if bytes.is_empty() {
        return Err(ApiError::bad_request(
            "the body is empty; send the image's bytes",
        ));
    }
    let opts = warden_imagescan::ScanOptions::default();
    // Refuse what is not an image, or too large, before waiting for OCR.
    warden_imagescan::check(&bytes, &opts).map_err(scan_error)?;
    let _slot = st
        .ocr_slots
        .acquire()
        .await
        .map_err(|_| ApiError::internal("the server is stopping"))?;
    let v = tokio::task::spawn_blocking(move || warden_imagescan::scan(&bytes, &opts))
        .await
        .map_err(|_| ApiError::internal("the scan task failed"))?
        .map_err(scan_error)?;
    Ok(Json(serde_json::to_value(v).unwrap_or(Value::Null)))
}

fn scan_error(e: warden_imagescan::ScanError) -> ApiError {
    use warden_imagescan::ScanError as E;
    let status = match &e {
        E::NotImage => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        E::TooLarge { .. } | E::TooManyPixels { .. } => StatusCode::PAYLOAD_TOO_LARGE,
        E::Tesseract(_) | E::Convert(_) => StatusCode::UNPROCESSABLE_ENTITY,
        E::Timeout(_) => StatusCode::GATEWAY_TIMEOUT,
        E::NotInstalled(_) | E::ConverterMissing { .. } => StatusCode::SERVICE_UNAVAILABLE,
    };
    ApiError::new(status, e.to_string())
}
