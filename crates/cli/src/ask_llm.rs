//! Choosing how `warden ask` (and `warden serve`) answers: the offline
//! planner, or the configured model's tool loop (falling back to the
//! offline answer, with a note, when the model fails).

use std::sync::Arc;

use warden_assistant::model::{self, Model};
use warden_assistant::Answer;
use warden_llm::any::{AnyProvider, ProviderSettings};
use warden_store::Store;

use crate::ask_cmd::AskArgs;
use crate::config::FileConfig;
use crate::{narrate, Fatal};

/// A runtime for model calls: multi-threaded (one worker), so its handle
/// can drive calls from the thread that holds the store.
pub fn runtime() -> Result<tokio::runtime::Runtime, Fatal> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .map_err(|e| Fatal(format!("cannot start the async runtime: {e}")))
}

/// The configured model, connected on `rt`; `None` for the offline analyst.
pub fn connect(cfg: &FileConfig, rt: &tokio::runtime::Runtime) -> Result<Option<Model>, Fatal> {
    let setup = narrate::setup(&cfg.llm)?;
    if matches!(setup.provider, ProviderSettings::Offline) {
        return Ok(None);
    }
    let policy = cfg.guard.policy().map_err(Fatal)?;
    let provider = rt
        .block_on(AnyProvider::connect(setup.provider.clone()))
        .map_err(|e| Fatal(format!("cannot set up the language model: {e}")))?;
    Ok(Some(Model {
        provider: Arc::new(provider),
        budget: setup.budget,
        daily_budget: setup.daily_budget,
        state: setup.state,
        audit: setup.audit,
        audit_key: setup.audit_key,
        policy,
    }))
}

pub fn answer(
    store: &Store,
    a: &AskArgs,
    cfg: &FileConfig,
    now: Option<i64>,
    quiet: bool,
) -> Result<Answer, Fatal> {
    let rt = runtime()?;
    let m = if a.offline { None } else { connect(cfg, &rt)? };
    let asked = model::ask(
        store,
        &a.question,
        a.thread.as_deref(),
        now,
        m.as_ref().map(|m| (m, rt.handle())),
    )
    .map_err(|e| Fatal(e.to_string()))?;
    if let (Some(why), false) = (&asked.fell_back, quiet) {
        eprintln!("warden: the language model could not answer ({why}); answering offline");
    }
    Ok(asked.answer)
}
