//! Answering with the configured model, shared by `warden ask`, the HTTP
//! API and the Slack app: the offline plan first, then the model's tool
//! loop, falling back to the offline answer (with the reason) when the
//! model fails; the turn is saved to the thread either way.

use std::path::PathBuf;
use std::sync::Arc;

use warden_guard::redact;
use warden_llm::any::AnyProvider;
use warden_llm::seal::AuditKey;
use warden_llm::session::{Session, StateDir};
use warden_store::{Store, StoreError};

use crate::{agent, answer, plan, Answer};

/// A connected model and the limits every answer made with it obeys.
pub struct Model {
    pub provider: Arc<AnyProvider>,
    /// Most tokens one answer may spend.
    pub budget: Option<u64>,
    /// Most tokens all answers may spend per UTC day (needs `state`).
    pub daily_budget: Option<u64>,
    pub state: Option<StateDir>,
    pub audit: Option<PathBuf>,
    pub audit_key: Option<AuditKey>,
    /// What must not reach the model (secrets, personal data).
    pub policy: redact::Policy,
}

impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use warden_llm::Provider;
        write!(
            f,
            "Model({}/{})",
            self.provider.name(),
            self.provider.model()
        )
    }
}

impl Model {
    /// A session for one answer: its own cache and totals, the shared
    /// budgets, state and audit settings.
    fn session(&self) -> Session<Arc<AnyProvider>> {
        let mut s = Session::new(self.provider.clone());
        s.budget = self.budget;
        s.daily_budget = self.daily_budget;
        s.state = self.state.clone();
        s.audit = self.audit.clone();
        s.audit_key = self.audit_key.clone();
        s
    }
}

/// An answer, and why the model was not used when it was configured.
pub struct Asked {
    pub answer: Answer,
    pub fell_back: Option<String>,
}

/// Answer `question`. With `model`, `rt` runs the model's calls: a handle
/// of a multi-threaded runtime, called from a thread that may block (the
/// future holds the store, which cannot move between threads).
pub fn ask(
    store: &Store,
    question: &str,
    thread: Option<&str>,
    now_ms: Option<i64>,
    model: Option<(&Model, &tokio::runtime::Handle)>,
) -> Result<Asked, StoreError> {
    let anchor = crate::anchor(store, now_ms)?;
    let previous = crate::previous_plan(store, thread)?;
    let plan = plan::plan(store, question, anchor, previous.as_ref())?;
    let mut fell_back = None;
    let answer = match model {
        Some((m, rt)) if !m.provider.is_offline() => {
            let mut session = m.session();
            let context = crate::thread_context(store, thread)?;
            match rt.block_on(agent::ask(
                &mut session,
                store,
                question,
                plan.clone(),
                anchor,
                &m.policy,
                context.as_deref(),
            )) {
                Ok(a) => a,
                Err(e) => {
                    tracing::warn!(error = %e, "the model could not answer; answering offline");
                    fell_back = Some(e.to_string());
                    answer::answer(store, question, &plan, anchor)?
                }
            }
        }
        _ => answer::answer(store, question, &plan, anchor)?,
    };
    if let Some(t) = thread {
        store.add_turn(t, "user", question, "{}")?;
        store.add_turn(
            t,
            "assistant",
            &answer.text,
            &serde_json::to_string(&answer.plan).unwrap_or_default(),
        )?;
    }
    Ok(Asked { answer, fell_back })
}

/// A policy the model wrote for a description, and who wrote it.
pub struct WrittenPolicy {
    pub policy: serde_json::Value,
    pub answered_by: String,
}

/// Ask the model for an IAM policy that does what `description` says.
/// The description is fenced as data and pseudonymised like any other
/// input; the answer must be a policy document, which the caller checks
/// with the analyzer before showing it. `Err` says why (the caller then
/// uses the offline generator).
pub fn write_policy(
    m: &Model,
    rt: &tokio::runtime::Handle,
    description: &str,
) -> Result<WrittenPolicy, String> {
    use warden_guard::fence;
    use warden_llm::{Message, Provider, Request};
    let boundary = fence::boundary();
    let mut pseudo = redact::Pseudonymiser::new();
    let d = pseudo
        .redact(description, &m.policy)
        .map_err(|e| format!("the description is not sent to the model: {e}"))?;
    let system = format!(
        "You write AWS IAM identity policies. Reply with only the policy document as JSON: \
{{\"Version\": \"2012-10-17\", \"Statement\": [...]}}. Grant least privilege: exact actions (no service wildcards), \
the narrowest resource ARNs the description supports (use * for an unknown account or region inside the ARN), \
no iam:PassRole or administrative actions unless the description asks for them, and a Sid for each statement.\n{}",
        fence::system_rules(&boundary)
    );
    let req = Request {
        system,
        messages: vec![Message::user(format!(
            "Write the policy for this need:\n{}",
            fence::fence("description", &d, &boundary)
        ))],
        tools: Vec::new(),
        max_tokens: 1500,
        temperature: Some(0.0),
        purpose: "policy-generate".into(),
    };
    let mut session = m.session();
    let r = rt
        .block_on(session.call(&req, pseudo.replaced))
        .map_err(|e| e.to_string())?;
    let text = pseudo.restore(&r.text());
    let policy: serde_json::Value = warden_llm::structured::parse(&text)
        .map_err(|e| format!("the model's answer is not a policy document: {e}"))?;
    if !policy["Statement"].is_array() && !policy["Statement"].is_object() {
        return Err("the model's answer has no Statement".into());
    }
    Ok(WrittenPolicy {
        policy,
        answered_by: format!("{}/{}", m.provider.name(), m.provider.model()),
    })
}
