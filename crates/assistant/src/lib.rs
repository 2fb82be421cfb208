//! warden-assistant: `warden ask`. A question in English, Korean or
//! Japanese is planned into store queries ([`plan`]), run, and answered in
//! the question's language with citations to the stored events and
//! incidents behind every sentence ([`answer`]). Offline by default; with a
//! language model configured, [`agent`] runs a tool-using loop over the same
//! queries, and its citations are checked against what the tools returned.
//!
//! Conversations: a thread id keeps the last plan so follow-ups ("and the
//! day before?", "그 사용자는 다른 것도 했어?") inherit the subject and window.

pub mod agent;
pub mod answer;
pub mod model;
pub mod plan;
pub mod when;

use warden_store::{Store, StoreError};

pub use answer::{Answer, Citation, Sentence};
pub use plan::{Intent, Plan};

/// Turns of a thread kept for context.
pub const THREAD_TURNS: usize = 8;

/// What relative times mean: now, or — when the newest stored event is
/// more than a day old (an imported dump, the bundled sample) — the end of
/// the newest event's day, so "yesterday" and "last 24 hours" fall on
/// the data. `now_ms` overrides.
pub fn anchor(store: &Store, now_ms: Option<i64>) -> Result<i64, StoreError> {
    if let Some(n) = now_ms {
        return Ok(n);
    }
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0);
    let newest = store.newest()?;
    Ok(match newest {
        Some(n) if n + when::DAY < now => (n.div_euclid(when::DAY) + 1) * when::DAY,
        _ => now,
    })
}

/// The thread's last plan, for follow-ups.
pub fn previous_plan(store: &Store, thread: Option<&str>) -> Result<Option<Plan>, StoreError> {
    let Some(t) = thread else { return Ok(None) };
    Ok(store
        .thread(t, THREAD_TURNS)?
        .into_iter()
        .rev()
        .find(|(role, _, _)| role == "assistant")
        .and_then(|(_, _, plan)| serde_json::from_str(&plan).ok()))
}

/// The thread so far for a model, bounded: the last [`THREAD_TURNS`]
/// turns, each cut to its first 300 characters (an answer's lead sentence
/// carries its subject and figures), and how many older turns were left
/// out. The offline planner needs only the last plan.
pub fn thread_context(store: &Store, thread: Option<&str>) -> Result<Option<String>, StoreError> {
    const TURN_CHARS: usize = 300;
    let Some(t) = thread else { return Ok(None) };
    let turns = store.thread(t, THREAD_TURNS)?;
    if turns.is_empty() {
        return Ok(None);
    }
    let total = store.thread_len(t)?;
    let mut out = String::new();
    if total > turns.len() {
        out.push_str(&format!(
            "({} earlier turns not shown)\n",
            total - turns.len()
        ));
    }
    for (role, text, _) in turns {
        let line: String = text
            .lines()
            .next()
            .unwrap_or("")
            .chars()
            .take(TURN_CHARS)
            .collect();
        out.push_str(&format!("{role}: {line}\n"));
    }
    Ok(Some(out))
}

/// Answer offline: plan, run, write; the turn is saved when `thread` is set.
pub fn ask_offline(
    store: &Store,
    question: &str,
    thread: Option<&str>,
    now_ms: Option<i64>,
) -> Result<Answer, StoreError> {
    let anchor_ms = anchor(store, now_ms)?;
    let previous = previous_plan(store, thread)?;
    let plan = plan::plan(store, question, anchor_ms, previous.as_ref())?;
    let a = answer::answer(store, question, &plan, anchor_ms)?;
    if let Some(t) = thread {
        store.add_turn(t, "user", question, "{}")?;
        store.add_turn(
            t,
            "assistant",
            &a.text,
            &serde_json::to_string(&a.plan).unwrap_or_default(),
        )?;
    }
    Ok(a)
}
