//! `warden ask` with a language model: a tool-using loop over the same
//! store queries the offline planner uses. The model sees only what the
//! tools return — pseudonymised, screened for prompt injection and fenced
//! as data — within a step limit and the session's token budget. Its
//! answer must cite `[ev:<uid>]` / `[inc:<id>]`; any id the tools did not
//! return is removed and its sentence flagged, and a sentence that states
//! something without a valid citation is flagged too.

use std::collections::BTreeSet;

use serde_json::{json, Value};
use warden_guard::{fence, inject, output, redact};
use warden_llm::session::Session;
use warden_llm::{Block, LlmError, Message, Provider, Request, Role, Tool};
use warden_store::{Column, Filter, Store, StoreError};

use crate::answer::{describe, Answer, Citation, Sentence};
use crate::plan::{Intent, Plan};

/// Most model calls per question.
pub const MAX_STEPS: usize = 6;
/// Largest policy `check_policy` reviews (IAM's own limit for a managed
/// policy is 6,144 characters; inline and SCP documents are smaller).
const MAX_POLICY_BYTES: usize = 64 * 1024;

/// Rows a tool returns at most.
const MAX_ROWS: usize = 50;

#[derive(Debug, thiserror::Error)]
pub enum AgentError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Llm(#[from] LlmError),
    #[error("the model did not finish within {0} steps")]
    Steps(usize),
    #[error("{0}")]
    Refused(String),
}

fn filter_schema() -> Value {
    json!({
        "since": {"type": "string", "description": "RFC 3339 start (inclusive)"},
        "until": {"type": "string", "description": "RFC 3339 end (exclusive)"},
        "sources": {"type": "array", "items": {"type": "string", "enum": ["cloudtrail", "guardduty", "bedrock", "okta"]}},
        "principal": {"type": "string", "description": "user name, role or ARN fragment"},
        "source_ip": {"type": "string"},
        "access_key": {"type": "string"},
        "event_names": {"type": "array", "items": {"type": "string"}},
        "failed_only": {"type": "boolean"},
        "text": {"type": "string", "description": "full-text words"}
    })
}

pub fn tools() -> Vec<Tool> {
    let obj = |props: Value, required: &[&str]| json!({"type": "object", "properties": props, "required": required, "additionalProperties": false});
    let with_filter = |extra: Value| {
        let mut p = filter_schema();
        if let (Some(p), Some(e)) = (p.as_object_mut(), extra.as_object()) {
            for (k, v) in e {
                p.insert(k.clone(), v.clone());
            }
        }
        p
    };
    vec![
        Tool {
            name: "search_events".into(),
            description: "Stored events matching a filter, newest first, with the total count."
                .into(),
            input_schema: obj(
                with_filter(json!({"limit": {"type": "integer", "maximum": MAX_ROWS}})),
                &[],
            ),
        },
        Tool {
            name: "count_by".into(),
            description:
                "Top values of one field among matching events, each with an example event id."
                    .into(),
            input_schema: obj(
                with_filter(
                    json!({"field": {"type": "string", "enum": ["principal", "user_name", "source_ip", "event_name", "account", "region", "source", "error_code", "title", "access_key"]}, "top": {"type": "integer", "maximum": MAX_ROWS}}),
                ),
                &["field"],
            ),
        },
        Tool {
            name: "timeline".into(),
            description: "Counts of matching events per hour or day.".into(),
            input_schema: obj(
                with_filter(json!({"bucket": {"type": "string", "enum": ["hour", "day"]}})),
                &[],
            ),
        },
        Tool {
            name: "list_incidents".into(),
            description: "Incidents overlapping a time range, most severe first.".into(),
            input_schema: obj(
                json!({"since": {"type": "string"}, "until": {"type": "string"}, "min_level": {"type": "string", "enum": ["low", "medium", "high", "critical"]}, "limit": {"type": "integer", "maximum": 20}}),
                &[],
            ),
        },
        Tool {
            name: "get_incident".into(),
            description: "One incident: level, title, summary, rules and evidence event ids."
                .into(),
            input_schema: obj(json!({"id": {"type": "string"}}), &["id"]),
        },
        Tool {
            name: "check_policy".into(),
            description: "Review an IAM policy document (JSON) for least privilege: score 1-10, findings, privilege-escalation paths and suggested fixes."
                .into(),
            input_schema: obj(json!({"policy": {"type": "string", "description": "the policy JSON"}}), &["policy"]),
        },
        Tool {
            name: "explain_rule".into(),
            description: "What a detection rule looks for and which stored incidents it fired in."
                .into(),
            input_schema: obj(json!({"rule_id": {"type": "string"}}), &["rule_id"]),
        },
    ]
}

fn time_arg(v: &Value, k: &str) -> Option<i64> {
    v.get(k)
        .and_then(Value::as_str)
        .and_then(warden_core::Timestamp::parse)
        .map(|t| t.millis())
}

fn strings(v: &Value, k: &str) -> Vec<String> {
    v.get(k)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn filter_from(store: &Store, v: &Value) -> Result<Filter, StoreError> {
    let mut f = Filter {
        since_ms: time_arg(v, "since"),
        until_ms: time_arg(v, "until"),
        kinds: strings(v, "sources"),
        event_names: strings(v, "event_names"),
        failed_only: v
            .get("failed_only")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        text: v.get("text").and_then(Value::as_str).map(str::to_string),
        ..Filter::default()
    };
    if let Some(p) = v.get("principal").and_then(Value::as_str) {
        match crate::plan::resolve_actor(store, p)? {
            crate::plan::Actor::Names(n) => f.user_names = n,
            crate::plan::Actor::Principals(v) => f.principals = v,
        }
        if f.principals.is_empty() && f.user_names.is_empty() {
            // Nothing matches: keep the filter impossible rather than open.
            f.principals.push(p.to_string());
        }
    }
    if let Some(ip) = v.get("source_ip").and_then(Value::as_str) {
        f.source_ips.push(ip.to_string());
    }
    if let Some(k) = v.get("access_key").and_then(Value::as_str) {
        f.access_keys.push(k.to_string());
    }
    Ok(f)
}

/// Run one tool; ids it returns are added to `retrieved`.
pub fn run_tool(
    store: &Store,
    name: &str,
    input: &Value,
    retrieved: &mut BTreeSet<String>,
) -> Result<Value, StoreError> {
    let limit = |k: &str, d: usize| {
        input
            .get(k)
            .and_then(Value::as_u64)
            .map(|n| (n as usize).min(MAX_ROWS))
            .unwrap_or(d)
    };
    Ok(match name {
        "search_events" => {
            let f = filter_from(store, input)?;
            let (total, hits) = store.events(&f, limit("limit", 20))?;
            for h in &hits {
                retrieved.insert(h.uid.clone());
            }
            json!({"total": total, "events": hits.iter().map(|h| json!({"id": h.uid, "summary": describe(h)})).collect::<Vec<_>>()})
        }
        "count_by" => {
            let f = filter_from(store, input)?;
            let field = input
                .get("field")
                .and_then(Value::as_str)
                .unwrap_or("event_name");
            let Some(col) = Column::parse(field) else {
                return Ok(json!({"error": format!("unknown field '{field}'")}));
            };
            let rows = store.count_by(&f, col, limit("top", 10))?;
            for r in &rows {
                retrieved.insert(r.example_uid.clone());
            }
            json!({"field": field, "rows": rows.iter().map(|r| json!({"value": r.value, "count": r.count, "example_event": r.example_uid})).collect::<Vec<_>>()})
        }
        "timeline" => {
            let f = filter_from(store, input)?;
            let bucket = if input.get("bucket").and_then(Value::as_str) == Some("day") {
                86_400_000
            } else {
                3_600_000
            };
            let rows = store.timeline(&f, bucket)?;
            json!({"buckets": rows.iter().map(|b| json!({"start": warden_core::Timestamp(b.start_ms).to_rfc3339(), "count": b.count})).collect::<Vec<_>>()})
        }
        "list_incidents" => {
            let min = match input.get("min_level").and_then(Value::as_str) {
                Some("critical") => 4,
                Some("high") => 3,
                Some("medium") => 2,
                _ => 1,
            };
            let rows = store.incidents(
                time_arg(input, "since"),
                time_arg(input, "until"),
                min,
                limit("limit", 10).min(20),
            )?;
            for r in &rows {
                retrieved.insert(r.id.clone());
            }
            json!({"incidents": rows.iter().map(|i| json!({"id": i.id, "level": i.threat_level, "title": i.title, "principal": i.principal,
                "first_seen": i.first_ms.map(|t| warden_core::Timestamp(t).to_rfc3339()), "last_seen": i.last_ms.map(|t| warden_core::Timestamp(t).to_rfc3339())})).collect::<Vec<_>>()})
        }
        "get_incident" => {
            let id = input.get("id").and_then(Value::as_str).unwrap_or("");
            match store.incident(id)? {
                None => json!({"error": format!("no incident '{id}'")}),
                Some(i) => {
                    retrieved.insert(i.id.clone());
                    for e in i.evidence.iter().take(MAX_ROWS) {
                        retrieved.insert(e.clone());
                    }
                    json!({"id": i.id, "level": i.threat_level, "title": i.title, "summary": i.summary,
                        "rules": i.rules.iter().map(|(id, t)| json!({"id": id, "title": t})).collect::<Vec<_>>(),
                        "evidence": i.evidence.iter().take(MAX_ROWS).collect::<Vec<_>>()})
                }
            }
        }
        "explain_rule" => {
            let rule = input.get("rule_id").and_then(Value::as_str).unwrap_or("");
            let (title, ids) = store.incidents_for_rule(rule, 10)?;
            let mut incs = Vec::new();
            for id in ids {
                if let Some(i) = store.incident(&id)? {
                    retrieved.insert(i.id.clone());
                    incs.push(json!({"id": i.id, "level": i.threat_level, "title": i.title}));
                }
            }
            json!({"rule_id": rule, "title": title, "fired_in": incs})
        }
        "check_policy" => check_policy(input),
        other => json!({"error": format!("unknown tool '{other}'")}),
    })
}

/// The policy analyzer on a document the model passes (as a string or an
/// object), trimmed to what a model needs.
fn check_policy(input: &Value) -> Value {
    let text = match input.get("policy") {
        Some(Value::String(s)) => s.clone(),
        Some(v @ Value::Object(_)) => v.to_string(),
        _ => return json!({"error": "pass the policy JSON as 'policy'"}),
    };
    if text.len() > MAX_POLICY_BYTES {
        return json!({"error": format!("the policy is over {MAX_POLICY_BYTES} bytes")});
    }
    let Some(r) = warden_policy::review_text("policy", &text) else {
        return json!({"error": "no policy found in the input"});
    };
    let findings: Vec<Value> = r
        .findings
        .iter()
        .take(MAX_ROWS)
        .map(|f| json!({"code": f.code, "severity": f.severity, "message": f.message, "path": f.path}))
        .collect();
    json!({
        "score": r.score,
        "findings": findings,
        "findings_total": r.findings.len(),
        "escalation_paths": r.escalation_paths,
        "suggestions": r.suggestions,
    })
}

/// Screen every string in a tool result; flagged values are replaced.
fn screen_strings(v: &mut Value, flagged: &mut Vec<String>) {
    match v {
        Value::String(s) => {
            let verdict = inject::screen(s, inject::Origin::LogField);
            if verdict.detected {
                flagged.push(format!(
                    "{}: {}",
                    s.chars().take(60).collect::<String>(),
                    verdict.reasons.join(", ")
                ));
                *s = format!(
                    "[withheld: looks like a prompt injection ({})]",
                    verdict.reasons.join(", ")
                );
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|x| screen_strings(x, flagged)),
        Value::Object(o) => o.values_mut().for_each(|x| screen_strings(x, flagged)),
        _ => {}
    }
}

fn system_prompt(lang: &str, anchor: &str, boundary: &str) -> String {
    let language = match lang {
        "ko" => "Korean",
        "ja" => "Japanese",
        _ => "English",
    };
    format!(
        "You are warden's security assistant. Answer the analyst's question about their AWS and Okta logs using only what the tools return. \
Relative times are measured from {anchor}. Use the tools to look things up; never guess. \
Write the answer in {language}, one fact per sentence, each sentence ending with the ids it rests on in the form [ev:<event id>] or [inc:<incident id>], \
using only ids that a tool returned. If the tools return nothing relevant, say you don't know. Values such as <EMAIL_1> are placeholders: keep them as they are.\n{}",
        fence::system_rules(boundary)
    )
}

/// Ask with a model. `plan` is the offline plan of the same question, kept
/// in the answer for reference.
pub async fn ask<P: Provider>(
    session: &mut Session<P>,
    store: &Store,
    question: &str,
    plan: Plan,
    anchor_ms: i64,
    policy: &redact::Policy,
    context: Option<&str>,
) -> Result<Answer, AgentError> {
    let lang = plan.language.clone();
    let boundary = fence::boundary();
    let anchor = warden_core::Timestamp(anchor_ms).to_rfc3339();
    let system = system_prompt(&lang, &anchor, &boundary);
    let mut pseudo = redact::Pseudonymiser::new();
    let q = pseudo
        .redact(question, policy)
        .map_err(|e| AgentError::Refused(format!("the question is not sent to the model: {e}")))?;
    // Earlier turns of the thread, as data: they quote log content.
    let first = match context {
        Some(c) => {
            let c = pseudo.redact(c, policy).map_err(|e| {
                AgentError::Refused(format!("the thread is not sent to the model: {e}"))
            })?;
            format!(
                "{}\n\nQuestion: {q}",
                fence::fence("earlier_turns", &c, &boundary)
            )
        }
        None => q,
    };
    let mut messages = vec![Message::user(first)];
    let mut retrieved = BTreeSet::new();
    let mut calls = Vec::new();
    let mut flagged_inputs = Vec::new();
    let mut usage = warden_llm::Usage::default();
    let mut final_text = None;
    for _ in 0..MAX_STEPS {
        let req = Request {
            system: system.clone(),
            messages: messages.clone(),
            tools: tools(),
            max_tokens: 1200,
            temperature: Some(0.0),
            purpose: "ask".into(),
        };
        let r = session.call(&req, pseudo.replaced).await?;
        usage.input_tokens += r.usage.input_tokens;
        usage.output_tokens += r.usage.output_tokens;
        let tool_calls: Vec<(String, String, Value)> = r
            .tool_calls()
            .map(|(id, n, i)| (id.to_string(), n.to_string(), i.clone()))
            .collect();
        messages.push(Message {
            role: Role::Assistant,
            content: r.content.clone(),
        });
        if tool_calls.is_empty() {
            final_text = Some(r.text());
            break;
        }
        let mut results = Vec::new();
        for (id, name, input) in tool_calls {
            // Placeholders the model echoes back are restored before querying.
            let input: Value =
                serde_json::from_str(&pseudo.restore(&input.to_string())).unwrap_or(input);
            let mut out = run_tool(store, &name, &input, &mut retrieved)?;
            screen_strings(&mut out, &mut flagged_inputs);
            calls.push(json!({"tool": name, "input": input, "rows": out.as_object().map(|o| o.len()).unwrap_or(0)}));
            let text = pseudo
                .redact(&out.to_string(), policy)
                .unwrap_or_else(|e| format!("{{\"error\": \"withheld: {e}\"}}"));
            results.push(Block::ToolResult {
                id,
                content: fence::fence("tool_result", &text, &boundary),
                is_error: out.get("error").is_some(),
            });
        }
        messages.push(Message {
            role: Role::User,
            content: results,
        });
    }
    let Some(text) = final_text else {
        return Err(AgentError::Steps(MAX_STEPS));
    };
    if output::leaks_prompt(&text, &system, 12) {
        return Err(AgentError::Refused(
            "the model's answer repeats its instructions; not shown".into(),
        ));
    }
    let text = pseudo.restore(&text);
    let mut a = validate(store, question, &text, &retrieved, plan, anchor)?;
    a.tool_calls = calls;
    a.usage = usage;
    a.answered_by = format!("{}/{}", session.provider.name(), session.provider.model());
    a.flagged.extend(
        flagged_inputs
            .into_iter()
            .map(|f| format!("tool data withheld: {f}")),
    );
    if output::language(&a.text) != a.language && a.found {
        a.flagged.push(format!(
            "the answer is not in the question's language ({})",
            a.language
        ));
    }
    Ok(a)
}

/// Check the model's citations against what the tools returned and turn
/// them into labelled citations.
pub fn validate(
    store: &Store,
    question: &str,
    text: &str,
    retrieved: &BTreeSet<String>,
    plan: Plan,
    anchor: String,
) -> Result<Answer, StoreError> {
    let re = regex::Regex::new(r"\[(ev|inc):([^\]\s]+)\]").expect("compiles");
    let mut citations: Vec<Citation> = Vec::new();
    let mut sentences = Vec::new();
    let mut flagged = Vec::new();
    for raw in split_sentences(text) {
        let mut cites = Vec::new();
        let mut clean = raw.clone();
        for c in re.captures_iter(&raw) {
            let (kind, id) = (&c[1], c[2].to_string());
            let whole = c[0].to_string();
            if !retrieved.contains(&id) {
                clean = clean.replace(&whole, "");
                flagged.push(format!(
                    "removed citation {whole}: not returned by any tool — \"{}\"",
                    raw.trim()
                ));
                continue;
            }
            let label = match citations.iter().find(|x| x.id == id) {
                Some(x) => x.label.clone(),
                None => {
                    let (k, description) = if kind == "inc" {
                        let d = store
                            .incident(&id)?
                            .map(|i| format!("{} [{}] {}", i.id, i.threat_level, i.title))
                            .unwrap_or_default();
                        ("incident", d)
                    } else {
                        let d = store
                            .events_by_uid(std::slice::from_ref(&id))?
                            .first()
                            .map(describe)
                            .unwrap_or_default();
                        ("event", d)
                    };
                    let n = citations.iter().filter(|x| x.kind == k).count() + 1;
                    let label = format!("{}{n}", if k == "incident" { "I" } else { "E" });
                    citations.push(Citation {
                        label: label.clone(),
                        id: id.clone(),
                        kind: k.into(),
                        description,
                    });
                    label
                }
            };
            clean = clean.replace(&whole, &format!("[{label}]"));
            cites.push(label);
        }
        let clean = clean.split_whitespace().collect::<Vec<_>>().join(" ");
        let factual = clean.chars().any(|c| c.is_ascii_digit()) || clean.contains("ev:");
        if cites.is_empty() && factual && !is_dont_know(&clean) {
            flagged.push(format!("no valid citation: \"{clean}\""));
        }
        if !clean.is_empty() {
            sentences.push(Sentence { text: clean, cites });
        }
    }
    let text = sentences
        .iter()
        .map(|s| s.text.clone())
        .collect::<Vec<_>>()
        .join("\n");
    let found = !citations.is_empty();
    Ok(Answer {
        question: question.to_string(),
        language: plan.language.clone(),
        text,
        sentences,
        citations,
        found,
        plan: Plan {
            intent: if found { plan.intent } else { Intent::Search },
            ..plan
        },
        time_anchor: anchor,
        tool_calls: Vec::new(),
        usage: Default::default(),
        flagged,
        answered_by: String::new(),
    })
}

fn is_dont_know(s: &str) -> bool {
    let l = s.to_lowercase();
    [
        "don't know",
        "do not know",
        "no stored",
        "not found",
        "알 수 없",
        "없습니다",
        "わかりません",
        "ありません",
    ]
    .iter()
    .any(|w| l.contains(w))
}

/// Sentences: lines, then `. ` / `。` / `? ` ends, keeping citations with
/// the sentence before them.
fn split_sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let mut cur = String::new();
        let chars: Vec<char> = line.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            cur.push(chars[i]);
            let end = matches!(chars[i], '。' | '？' | '！')
                || (matches!(chars[i], '.' | '?' | '!')
                    && chars.get(i + 1).is_none_or(|c| c.is_whitespace()));
            if end {
                // Citations right after the full stop belong to this sentence.
                let mut j = i + 1;
                loop {
                    while j < chars.len() && chars[j] == ' ' {
                        j += 1;
                    }
                    if j < chars.len() && chars[j] == '[' {
                        if let Some(k) = chars[j..].iter().position(|&c| c == ']') {
                            cur.push(' ');
                            cur.extend(&chars[j..=j + k]);
                            j += k + 1;
                            continue;
                        }
                    }
                    break;
                }
                i = j;
                out.push(std::mem::take(&mut cur));
                continue;
            }
            i += 1;
        }
        if !cur.trim().is_empty() {
            out.push(cur);
        }
    }
    out.into_iter().filter(|s| !s.trim().is_empty()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_keep_their_citations() {
        let s = split_sentences(
            "Root signed in. [ev:a] It made a key. [ev:b][ev:c]\n次です。[inc:X] end",
        );
        assert_eq!(
            s,
            vec![
                "Root signed in. [ev:a]",
                "It made a key. [ev:b] [ev:c]",
                "次です。 [inc:X]",
                "end"
            ]
        );
    }
}
