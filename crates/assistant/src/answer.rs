//! Running a plan against the store and writing the answer in the
//! question's language. Every sentence that states a fact carries the
//! labels of the stored events or incidents it rests on ([E1], [I1]); the
//! labels map to ids in [`Answer::citations`]. When the data is not there
//! the answer says so instead of guessing.

use std::collections::BTreeSet;

use serde::Serialize;
use warden_store::{Column, EventHit, IncidentRow, Store, StoreError};

use crate::plan::{Intent, Plan};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Citation {
    /// `E1`, `I1`… as written in the text.
    pub label: String,
    /// Event uid (`cloudtrail:<eventID>`) or incident id.
    pub id: String,
    /// `event` or `incident`.
    pub kind: String,
    /// One line: when, what, who, from where.
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sentence {
    pub text: String,
    pub cites: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Answer {
    pub question: String,
    pub language: String,
    pub text: String,
    pub sentences: Vec<Sentence>,
    pub citations: Vec<Citation>,
    /// False when nothing in the store answers the question.
    pub found: bool,
    pub plan: Plan,
    /// What relative times were measured from.
    pub time_anchor: String,
    /// Model tool calls (LLM mode); empty offline.
    pub tool_calls: Vec<serde_json::Value>,
    pub usage: warden_llm::Usage,
    /// Sentences whose citations were removed as not retrieved (LLM mode).
    pub flagged: Vec<String>,
    pub answered_by: String,
}

/// Pick the sentence for the language.
pub fn tr<'a>(lang: &str, en: &'a str, ko: &'a str, ja: &'a str) -> &'a str {
    match lang {
        "ko" => ko,
        "ja" => ja,
        _ => en,
    }
}

pub fn fmt_time(ms: i64) -> String {
    let s = warden_core::Timestamp(ms).to_rfc3339();
    format!("{} {}", &s[..10], &s[11..19])
}

fn level_word(lang: &str, level: &str) -> String {
    match (lang, level) {
        ("ko", "critical") => "치명적".into(),
        ("ko", "high") => "높음".into(),
        ("ko", "medium") => "중간".into(),
        ("ko", "low") => "낮음".into(),
        ("ja", "critical") => "重大".into(),
        ("ja", "high") => "高".into(),
        ("ja", "medium") => "中".into(),
        ("ja", "low") => "低".into(),
        (_, l) => l.to_string(),
    }
}

/// `arn:…:user/ci-deployer` → `ci-deployer`; sessions keep role/session.
pub fn short_principal(p: &str) -> String {
    if p.ends_with(":root") {
        return "root".into();
    }
    if let Some(rest) = p.split(":assumed-role/").nth(1) {
        return rest.to_string();
    }
    p.rsplit('/').next().unwrap_or(p).to_string()
}

pub fn describe(h: &EventHit) -> String {
    let mut s = format!(
        "{} UTC {} {}",
        fmt_time(h.time_ms),
        h.kind,
        h.event_name
            .as_deref()
            .or(h.title.as_deref())
            .unwrap_or("event")
    );
    if let Some(p) = h.principal.as_deref() {
        s.push_str(&format!(" by {}", short_principal(p)));
    }
    if let Some(ip) = &h.source_ip {
        s.push_str(&format!(" from {ip}"));
    }
    if let Some(e) = &h.error_code {
        s.push_str(&format!(" ({e})"));
    }
    if h.kind == "guardduty" {
        if let (Some(t), Some(sev)) = (&h.title, h.severity) {
            s = format!(
                "{} UTC guardduty finding \"{t}\" severity {sev}",
                fmt_time(h.time_ms)
            );
        }
    }
    if let (Some(b), Some(k)) = (&h.s3_bucket, &h.s3_key) {
        s.push_str(&format!(" s3://{b}/{k}"));
    }
    s
}

/// Collects sentences and citations while an answer is written.
pub struct Writer<'s> {
    pub store: &'s Store,
    pub lang: String,
    pub sentences: Vec<Sentence>,
    pub citations: Vec<Citation>,
}

impl<'s> Writer<'s> {
    pub fn new(store: &'s Store, lang: &str) -> Self {
        Writer {
            store,
            lang: lang.to_string(),
            sentences: Vec::new(),
            citations: Vec::new(),
        }
    }

    fn tr<'a>(&self, en: &'a str, ko: &'a str, ja: &'a str) -> &'a str {
        tr(&self.lang, en, ko, ja)
    }

    pub fn cite_event(&mut self, h: &EventHit) -> String {
        if let Some(c) = self.citations.iter().find(|c| c.id == h.uid) {
            return c.label.clone();
        }
        let n = self.citations.iter().filter(|c| c.kind == "event").count() + 1;
        let label = format!("E{n}");
        self.citations.push(Citation {
            label: label.clone(),
            id: h.uid.clone(),
            kind: "event".into(),
            description: describe(h),
        });
        label
    }

    fn cite_uid(&mut self, uid: &str) -> Result<Option<String>, StoreError> {
        let hits = self.store.events_by_uid(&[uid.to_string()])?;
        Ok(hits.first().map(|h| self.cite_event(h)))
    }

    pub fn cite_incident(&mut self, i: &IncidentRow) -> String {
        if let Some(c) = self.citations.iter().find(|c| c.id == i.id) {
            return c.label.clone();
        }
        let n = self
            .citations
            .iter()
            .filter(|c| c.kind == "incident")
            .count()
            + 1;
        let label = format!("I{n}");
        self.citations.push(Citation {
            label: label.clone(),
            id: i.id.clone(),
            kind: "incident".into(),
            description: format!("{} [{}] {}", i.id, i.threat_level, i.title),
        });
        label
    }

    pub fn say(&mut self, text: String, cites: Vec<String>) {
        self.sentences.push(Sentence { text, cites });
    }

    fn window_phrase(&self, plan: &Plan) -> String {
        match &plan.window {
            Some(w) => {
                let (a, b) = (fmt_time(w.since_ms), fmt_time(w.until_ms.max(w.since_ms)));
                match self.lang.as_str() {
                    "ko" => format!("{a}부터 {b}(UTC)까지"),
                    "ja" => format!("{a}から{b}(UTC)まで"),
                    _ => format!("between {a} and {b} UTC"),
                }
            }
            None => self
                .tr(
                    "in all stored data",
                    "저장된 전체 기간에",
                    "保存されている全期間で",
                )
                .to_string(),
        }
    }

    fn subject(&self, plan: &Plan) -> String {
        let mut s: Vec<String> = plan.actors.clone();
        s.extend(plan.source_ips.iter().cloned());
        s.extend(plan.access_keys.iter().cloned());
        s.join(", ")
    }

    fn topic_phrase(&self, plan: &Plan) -> String {
        let t: Vec<&str> = plan.topics.iter().map(|t| t.name.as_str()).collect();
        if t.is_empty() {
            plan.kinds.join(", ")
        } else {
            t.join(", ")
        }
    }
}

/// Run `plan` and write the answer.
pub fn answer(
    store: &Store,
    question: &str,
    plan: &Plan,
    anchor_ms: i64,
) -> Result<Answer, StoreError> {
    let mut w = Writer::new(store, &plan.language);
    let found = match plan.intent {
        Intent::ExplainIncident => explain_incident(&mut w, plan)?,
        Intent::TopThreats => top_threats(&mut w, plan)?,
        Intent::ActorActivity => actor_activity(&mut w, plan)?,
        Intent::WhoDid => who_did(&mut w, plan)?,
        Intent::Exposure => exposure(&mut w, plan)?,
        Intent::Count => count(&mut w, plan)?,
        Intent::Summarise => summarise(&mut w, plan)?,
        Intent::Search => search(&mut w, plan)?,
    };
    let text = render(&w.sentences);
    Ok(Answer {
        question: question.to_string(),
        language: plan.language.clone(),
        text,
        sentences: w.sentences,
        citations: w.citations,
        found,
        plan: plan.clone(),
        time_anchor: warden_core::Timestamp(anchor_ms).to_rfc3339(),
        tool_calls: Vec::new(),
        usage: Default::default(),
        flagged: Vec::new(),
        answered_by: "offline".into(),
    })
}

/// Sentences joined, each followed by its citation labels.
pub fn render(sentences: &[Sentence]) -> String {
    sentences
        .iter()
        .map(|s| {
            let missing: String = s
                .cites
                .iter()
                .map(|c| format!("[{c}]"))
                .filter(|c| !s.text.contains(c.as_str()))
                .collect();
            if missing.is_empty() {
                s.text.clone()
            } else {
                format!("{} {missing}", s.text)
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn explain_incident(w: &mut Writer, plan: &Plan) -> Result<bool, StoreError> {
    let id = plan.incident.clone().unwrap_or_default();
    let Some(i) = w.store.incident(&id)? else {
        let t = match w.lang.as_str() {
            "ko" => format!("인시던트 {id}는 저장소에 없어서 알 수 없습니다."),
            "ja" => format!("インシデント {id} は保存されていないため、わかりません。"),
            _ => format!("I don't know incident {id}: it is not in the store."),
        };
        w.say(t, vec![]);
        return Ok(false);
    };
    let l = w.cite_incident(&i);
    let lvl = level_word(&w.lang, &i.threat_level);
    let t = match w.lang.as_str() {
        "ko" => format!(
            "{}는 위협 수준 '{lvl}'의 인시던트입니다: {}.",
            i.id, i.title
        ),
        "ja" => format!(
            "{} は脅威レベル「{lvl}」のインシデントです: {}。",
            i.id, i.title
        ),
        _ => format!("{} is a {lvl} incident: {}.", i.id, i.title),
    };
    w.say(t, vec![l.clone()]);
    w.say(i.summary.clone(), vec![l.clone()]);
    if !i.rules.is_empty() {
        let rules = i
            .rules
            .iter()
            .map(|(_, t)| t.as_str())
            .collect::<Vec<_>>()
            .join("; ");
        let t = match w.lang.as_str() {
            "ko" => format!("탐지 규칙: {rules}."),
            "ja" => format!("検知ルール: {rules}。"),
            _ => format!("Rules that fired: {rules}."),
        };
        w.say(t, vec![l.clone()]);
    }
    let ev = w.store.events_by_uid(&i.evidence)?;
    if let (Some(first), Some(last)) = (ev.first(), ev.last()) {
        let (a, b) = (w.cite_event(first), w.cite_event(last));
        let t = match w.lang.as_str() {
            "ko" => format!(
                "증거 이벤트 {}건: 처음 {}, 마지막 {}.",
                ev.len(),
                describe(first),
                describe(last)
            ),
            "ja" => format!(
                "証拠イベント {}件: 最初 {}、最後 {}。",
                ev.len(),
                describe(first),
                describe(last)
            ),
            _ => format!(
                "{} evidence events: first {}, last {}.",
                ev.len(),
                describe(first),
                describe(last)
            ),
        };
        w.say(t, if a == b { vec![a] } else { vec![a, b] });
    }
    Ok(true)
}

fn top_threats(w: &mut Writer, plan: &Plan) -> Result<bool, StoreError> {
    let (since, until) = plan
        .window
        .as_ref()
        .map(|x| (Some(x.since_ms), Some(x.until_ms)))
        .unwrap_or((None, None));
    let mut incs = w.store.incidents(since, until, 1, 200)?;
    if !plan.principals.is_empty() || !plan.user_names.is_empty() {
        incs.retain(|i| i.principal.as_deref().is_some_and(|p| plan.is_actor(p)));
    }
    let win = w.window_phrase(plan);
    if incs.is_empty() {
        let t = match w.lang.as_str() {
            "ko" => format!("{win} 저장된 인시던트가 없습니다."),
            "ja" => format!("{win}、保存されたインシデントはありません。"),
            _ => format!("There are no stored incidents {win}."),
        };
        w.say(t, vec![]);
        return Ok(false);
    }
    let n = incs.len();
    let top = &incs[0];
    let l = w.cite_incident(top);
    let lvl = level_word(&w.lang, &top.threat_level);
    let who = top
        .principal
        .as_deref()
        .map(short_principal)
        .unwrap_or_default();
    let t = match w.lang.as_str() {
        "ko" => format!(
            "{win} 인시던트는 {n}건이며, 가장 위험한 것은 {}({lvl}, {who})입니다: {}.",
            top.id, top.title
        ),
        "ja" => format!(
            "{win}のインシデントは{n}件で、最も危険なのは {}({lvl}、{who})です: {}。",
            top.id, top.title
        ),
        _ => format!(
            "{n} incidents {win}; the most dangerous is {} ({lvl}, {who}): {}.",
            top.id, top.title
        ),
    };
    w.say(t, vec![l.clone()]);
    w.say(top.summary.clone(), vec![l]);
    for i in incs.iter().skip(1).take(4) {
        let l = w.cite_incident(i);
        let lvl = level_word(&w.lang, &i.threat_level);
        let who = i
            .principal
            .as_deref()
            .map(short_principal)
            .unwrap_or_default();
        let t = match w.lang.as_str() {
            "ko" => format!("다음: {} ({lvl}, {who}) {}.", i.id, i.title),
            "ja" => format!("次: {}({lvl}、{who}){}。", i.id, i.title),
            _ => format!("Next: {} ({lvl}, {who}) {}.", i.id, i.title),
        };
        w.say(t, vec![l]);
    }
    Ok(true)
}

fn no_subject(w: &mut Writer, plan: &Plan) -> bool {
    if plan.principals.is_empty()
        && plan.user_names.is_empty()
        && plan.source_ips.is_empty()
        && plan.access_keys.is_empty()
    {
        let s = w.subject(plan);
        let t = match w.lang.as_str() {
            "ko" => format!("'{s}'와 일치하는 주체가 저장소에 없어서 알 수 없습니다."),
            "ja" => format!("「{s}」に一致する主体が保存されていないため、わかりません。"),
            _ => format!("I don't know: no stored principal, address or key matches '{s}'."),
        };
        w.say(t, vec![]);
        return true;
    }
    false
}

fn actor_activity(w: &mut Writer, plan: &Plan) -> Result<bool, StoreError> {
    if no_subject(w, plan) {
        return Ok(false);
    }
    let mut f = plan.filter();
    f.event_names.clear();
    let (total, newest) = w.store.events(&f, 1)?;
    let win = w.window_phrase(plan);
    let who = w.subject(plan);
    if total == 0 {
        let t = match w.lang.as_str() {
            "ko" => format!("{win} {who}의 저장된 이벤트가 없습니다."),
            "ja" => format!("{win}、{who} の保存されたイベントはありません。"),
            _ => format!("I found no stored events for {who} {win}."),
        };
        w.say(t, vec![]);
        return Ok(false);
    }
    let last = newest[0].clone();
    let first = w.store.first_event(&f)?.unwrap_or_else(|| last.clone());
    let (a, b) = (w.cite_event(&first), w.cite_event(&last));
    let t = match w.lang.as_str() {
        "ko" => format!(
            "{win} {who}의 이벤트는 {total}건이며, 처음은 {}, 마지막은 {}입니다.",
            describe(&first),
            describe(&last)
        ),
        "ja" => format!(
            "{win}、{who} のイベントは{total}件で、最初は {}、最後は {} です。",
            describe(&first),
            describe(&last)
        ),
        _ => format!(
            "{who} has {total} stored events {win}: first {}, last {}.",
            describe(&first),
            describe(&last)
        ),
    };
    w.say(t, if a == b { vec![a] } else { vec![a, b] });
    let by_name = w.store.count_by(&f, Column::EventName, 8)?;
    let mut parts = Vec::new();
    let mut cites = Vec::new();
    for c in &by_name {
        if let Some(l) = w.cite_uid(&c.example_uid)? {
            parts.push(format!("{} ×{} [{l}]", c.value, c.count));
            cites.push(l);
        }
    }
    if !parts.is_empty() {
        let lead = w.tr("Actions", "작업", "操作");
        w.say(format!("{lead}: {}.", parts.join(", ")), cites);
    }
    let mut ff = f.clone();
    ff.failed_only = true;
    let (failed, fh) = w.store.events(&ff, 3)?;
    if failed > 0 {
        let ls: Vec<String> = fh.iter().map(|h| w.cite_event(h)).collect();
        let t = match w.lang.as_str() {
            "ko" => format!("그중 {failed}건은 실패했습니다(예: {})", describe(&fh[0])),
            "ja" => format!("そのうち{failed}件は失敗しました(例: {})", describe(&fh[0])),
            _ => format!("{failed} of them failed (e.g. {})", describe(&fh[0])),
        };
        w.say(t, ls);
    }
    let ips = w.store.count_by(&f, Column::SourceIp, 4)?;
    if !ips.is_empty() {
        let mut parts = Vec::new();
        let mut cites = Vec::new();
        for c in &ips {
            if let Some(l) = w.cite_uid(&c.example_uid)? {
                parts.push(format!("{} ×{} [{l}]", c.value, c.count));
                cites.push(l);
            }
        }
        let lead = w.tr("Source addresses", "출발지 주소", "送信元アドレス");
        w.say(format!("{lead}: {}.", parts.join(", ")), cites);
    }
    let (since, until) = (f.since_ms, f.until_ms);
    let incs: Vec<IncidentRow> = w
        .store
        .incidents(since, until, 1, 500)?
        .into_iter()
        .filter(|i| i.principal.as_deref().is_some_and(|p| plan.is_actor(p)))
        .take(3)
        .collect();
    for i in incs {
        let l = w.cite_incident(&i);
        let lvl = level_word(&w.lang, &i.threat_level);
        let t = match w.lang.as_str() {
            "ko" => format!("관련 인시던트: {} ({lvl}) {}.", i.id, i.title),
            "ja" => format!("関連インシデント: {}({lvl}){}。", i.id, i.title),
            _ => format!("Related incident: {} ({lvl}) {}.", i.id, i.title),
        };
        w.say(t, vec![l]);
    }
    Ok(true)
}

fn who_did(w: &mut Writer, plan: &Plan) -> Result<bool, StoreError> {
    let f = plan.filter();
    let (total, _) = w.store.events(&f, 0)?;
    let win = w.window_phrase(plan);
    let topic = w.topic_phrase(plan);
    if total == 0 || (plan.topics.is_empty() && plan.kinds.is_empty() && !plan.failed_only) {
        let t = match w.lang.as_str() {
            "ko" => format!("{win} '{topic}'에 해당하는 저장된 이벤트가 없어서 알 수 없습니다."),
            "ja" => format!("{win}、「{topic}」に該当する保存イベントがないため、わかりません。"),
            _ => format!("I don't know: no stored event matches '{topic}' {win}."),
        };
        w.say(t, vec![]);
        return Ok(false);
    }
    let col = if plan.by_ip {
        Column::SourceIp
    } else {
        Column::Principal
    };
    let rows = w.store.count_by(&f, col, 10)?;
    let mut parts = Vec::new();
    let mut cites = Vec::new();
    for c in &rows {
        if let Some(l) = w.cite_uid(&c.example_uid)? {
            let v = if col == Column::Principal {
                short_principal(&c.value)
            } else {
                c.value.clone()
            };
            parts.push(format!("{v} ×{} [{l}]", c.count));
            cites.push(l);
        }
    }
    let by = if plan.by_ip {
        w.tr("address", "주소", "アドレス")
    } else {
        w.tr("principal", "주체", "主体")
    };
    let t = match w.lang.as_str() {
        "ko" => format!(
            "{win} '{topic}' 이벤트는 {total}건입니다. {by}별: {}.",
            parts.join(", ")
        ),
        "ja" => format!(
            "{win}、「{topic}」のイベントは{total}件です。{by}別: {}。",
            parts.join("、")
        ),
        _ => format!(
            "{total} stored events match '{topic}' {win}. By {by}: {}.",
            parts.join(", ")
        ),
    };
    w.say(t, cites);
    Ok(true)
}

fn exposure(w: &mut Writer, plan: &Plan) -> Result<bool, StoreError> {
    let f = plan.filter();
    let win = w.window_phrase(plan);
    let topic = w.topic_phrase(plan);
    let specific = !plan.topics.is_empty()
        || !plan.kinds.is_empty()
        || !plan.principals.is_empty()
        || !plan.user_names.is_empty()
        || plan.failed_only;
    let (total, hits) = if specific {
        w.store.events(&f, 8)?
    } else {
        (0, Vec::new())
    };
    if total == 0 {
        let t = match w.lang.as_str() {
            "ko" => format!("{win} '{topic}'와 관련된 저장된 이벤트를 찾지 못했습니다."),
            "ja" => format!("{win}、「{topic}」に関する保存イベントは見つかりませんでした。"),
            _ => format!("I found no stored events about '{topic}' {win}."),
        };
        w.say(t, vec![]);
        return Ok(false);
    }
    let t = match w.lang.as_str() {
        "ko" => format!("{win} '{topic}'와 관련된 이벤트는 {total}건입니다(최근 순)."),
        "ja" => format!("{win}、「{topic}」に関するイベントは{total}件です(新しい順)。"),
        _ => format!("{total} stored events are about '{topic}' {win} (newest first)."),
    };
    let all: Vec<String> = hits.iter().map(|h| w.cite_event(h)).collect();
    w.say(t, all.clone());
    for (h, l) in hits.iter().zip(all) {
        w.say(format!("- {}", describe(h)), vec![l]);
    }
    Ok(true)
}

fn count(w: &mut Writer, plan: &Plan) -> Result<bool, StoreError> {
    let f = plan.filter();
    let win = w.window_phrase(plan);
    let topic = w.topic_phrase(plan);
    let (total, _) = w.store.events(&f, 0)?;
    if total == 0 {
        let t = match w.lang.as_str() {
            "ko" => format!("{win} '{topic}'에 해당하는 저장된 이벤트는 0건입니다."),
            "ja" => format!("{win}、「{topic}」に該当する保存イベントは0件です。"),
            _ => format!("0 stored events match '{topic}' {win}."),
        };
        w.say(t, vec![]);
        return Ok(false);
    }
    let mut cites = Vec::new();
    let mut parts = Vec::new();
    for c in w.store.count_by(&f, Column::EventName, 5)? {
        if let Some(l) = w.cite_uid(&c.example_uid)? {
            parts.push(format!("{} ×{} [{l}]", c.value, c.count));
            cites.push(l);
        }
    }
    let t = match w.lang.as_str() {
        "ko" => format!(
            "{win} '{topic}'에 해당하는 이벤트는 {total}건입니다: {}.",
            parts.join(", ")
        ),
        "ja" => format!(
            "{win}、「{topic}」に該当するイベントは{total}件です: {}。",
            parts.join("、")
        ),
        _ => format!(
            "{total} stored events match '{topic}' {win}: {}.",
            parts.join(", ")
        ),
    };
    w.say(t, cites);
    let mut cites = Vec::new();
    let mut parts = Vec::new();
    for c in w.store.count_by(&f, Column::Principal, 3)? {
        if let Some(l) = w.cite_uid(&c.example_uid)? {
            parts.push(format!("{} ×{} [{l}]", short_principal(&c.value), c.count));
            cites.push(l);
        }
    }
    if !parts.is_empty() {
        let lead = w.tr("By principal", "주체별", "主体別");
        w.say(format!("{lead}: {}.", parts.join(", ")), cites);
    }
    Ok(true)
}

fn summarise(w: &mut Writer, plan: &Plan) -> Result<bool, StoreError> {
    let f = plan.filter();
    let win = w.window_phrase(plan);
    let (total, _) = w.store.events(&f, 0)?;
    let src = if plan.kinds.is_empty() {
        w.tr("events", "이벤트", "イベント").to_string()
    } else {
        plan.kinds.join(", ")
    };
    if total == 0 {
        let t = match w.lang.as_str() {
            "ko" => format!("{win} 저장된 {src}가 없습니다."),
            "ja" => format!("{win}、保存された{src}はありません。"),
            _ => format!("There are no stored {src} {win}."),
        };
        w.say(t, vec![]);
        return Ok(false);
    }
    if plan.kinds == ["guardduty"] {
        let (_, mut hits) = w.store.events(&f, 500)?;
        hits.sort_by(|a, b| {
            b.severity
                .partial_cmp(&a.severity)
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        let high = hits
            .iter()
            .filter(|h| h.severity.unwrap_or(0.0) >= 7.0)
            .count();
        let medium = hits
            .iter()
            .filter(|h| (4.0..7.0).contains(&h.severity.unwrap_or(0.0)))
            .count();
        let t = match w.lang.as_str() {
            "ko" => format!("{win} GuardDuty 탐지 결과는 {total}건입니다(높음 {high}건, 중간 {medium}건, 나머지 낮음)."),
            "ja" => format!("{win}のGuardDuty検出結果は{total}件です(高 {high}件、中 {medium}件、残りは低)。"),
            _ => format!("{total} GuardDuty findings {win}: {high} high, {medium} medium, the rest low."),
        };
        let labels: Vec<String> = hits.iter().take(5).map(|h| w.cite_event(h)).collect();
        w.say(t, labels.clone());
        for (h, l) in hits.iter().take(5).zip(labels) {
            w.say(format!("- {}", describe(h)), vec![l]);
        }
        return Ok(true);
    }
    let by_kind = w.store.count_by(&f, Column::Kind, 5)?;
    let mut parts = Vec::new();
    let mut cites = Vec::new();
    for c in &by_kind {
        if let Some(l) = w.cite_uid(&c.example_uid)? {
            parts.push(format!("{} ×{} [{l}]", c.value, c.count));
            cites.push(l);
        }
    }
    let t = match w.lang.as_str() {
        "ko" => format!(
            "{win} 저장된 {src}는 {total}건입니다: {}.",
            parts.join(", ")
        ),
        "ja" => format!(
            "{win}、保存された{src}は{total}件です: {}。",
            parts.join("、")
        ),
        _ => format!("{total} stored {src} {win}: {}.", parts.join(", ")),
    };
    w.say(t, cites);
    let mut ff = f.clone();
    ff.failed_only = true;
    let fails = w.store.count_by(&ff, Column::EventName, 3)?;
    if !fails.is_empty() {
        let mut parts = Vec::new();
        let mut cites = Vec::new();
        for c in &fails {
            if let Some(l) = w.cite_uid(&c.example_uid)? {
                parts.push(format!("{} ×{} [{l}]", c.value, c.count));
                cites.push(l);
            }
        }
        let lead = w.tr("Most frequent failures", "가장 많은 실패", "最も多い失敗");
        w.say(format!("{lead}: {}.", parts.join(", ")), cites);
    }
    let (since, until) = (f.since_ms, f.until_ms);
    let mut incs = w.store.incidents(since, until, 1, 50)?;
    if !plan.kinds.is_empty() {
        // Incidents are not per source; show them only for a general summary.
        incs.clear();
    }
    if !incs.is_empty() {
        let n = incs.len();
        let mut parts = Vec::new();
        let mut cites = Vec::new();
        for i in incs.iter().take(3) {
            let l = w.cite_incident(i);
            parts.push(format!(
                "{} ({}) [{l}]",
                i.title,
                level_word(&w.lang, &i.threat_level)
            ));
            cites.push(l);
        }
        let t = match w.lang.as_str() {
            "ko" => format!("인시던트 {n}건, 가장 위험한 순: {}.", parts.join(", ")),
            "ja" => format!("インシデント{n}件、危険な順: {}。", parts.join("、")),
            _ => format!("{n} incidents, most dangerous first: {}.", parts.join(", ")),
        };
        w.say(t, cites);
    }
    Ok(true)
}

fn search(w: &mut Writer, plan: &Plan) -> Result<bool, StoreError> {
    let mut f = plan.filter();
    let words: BTreeSet<&str> = plan.keywords.iter().map(|s| s.as_str()).collect();
    let hits = if words.is_empty() {
        Vec::new()
    } else {
        f.text = Some(words.into_iter().collect::<Vec<_>>().join(" "));
        w.store.latest(&f, 8)?
    };
    if hits.is_empty() {
        let t = w
            .tr(
                "I don't know: nothing in the stored events answers this. Try naming a user, an address, a source (CloudTrail, GuardDuty, Okta, Bedrock) or a time.",
                "알 수 없습니다: 저장된 이벤트에서 답을 찾지 못했습니다. 사용자, 주소, 출처(CloudTrail, GuardDuty, Okta, Bedrock) 또는 기간을 지정해 보세요.",
                "わかりません: 保存されたイベントに答えが見つかりませんでした。ユーザー、アドレス、ソース(CloudTrail、GuardDuty、Okta、Bedrock)、期間を指定してください。",
            )
            .to_string();
        w.say(t, vec![]);
        return Ok(false);
    }
    let lead = w
        .tr(
            "Stored events matching your words",
            "질문의 단어와 일치하는 저장 이벤트",
            "質問の語に一致する保存イベント",
        )
        .to_string();
    w.say(format!("{lead}:"), vec![]);
    for h in &hits {
        let l = w.cite_event(h);
        w.say(format!("- {}", describe(h)), vec![l]);
    }
    Ok(true)
}
