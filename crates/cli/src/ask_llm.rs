//! Choosing how `warden ask` answers: the offline planner, or the
//! configured model's tool loop (falling back to the offline answer, with
//! a note, when the model fails).

use warden_assistant::{agent, answer, plan, Answer};
use warden_llm::any::ProviderSettings;
use warden_store::Store;

use crate::ask_cmd::AskArgs;
use crate::config::FileConfig;
use crate::{narrate, Fatal};

fn store_err(e: warden_store::StoreError) -> Fatal {
    Fatal(e.to_string())
}

pub fn answer(
    store: &Store,
    a: &AskArgs,
    cfg: &FileConfig,
    now: Option<i64>,
    quiet: bool,
) -> Result<Answer, Fatal> {
    let anchor = warden_assistant::anchor(store, now).map_err(store_err)?;
    let previous =
        warden_assistant::previous_plan(store, a.thread.as_deref()).map_err(store_err)?;
    let plan = plan::plan(store, &a.question, anchor, previous.as_ref()).map_err(store_err)?;
    let setup = narrate::setup(&cfg.llm)?;
    let offline = a.offline || matches!(setup.provider, ProviderSettings::Offline);
    let result = if offline {
        answer::answer(store, &a.question, &plan, anchor).map_err(store_err)?
    } else {
        let policy = cfg.guard.policy().map_err(Fatal)?;
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Fatal(format!("cannot start the async runtime: {e}")))?;
        let mut session = narrate::session(&setup, &rt)?;
        let context =
            warden_assistant::thread_context(store, a.thread.as_deref()).map_err(store_err)?;
        match rt.block_on(agent::ask(
            &mut session,
            store,
            &a.question,
            plan.clone(),
            anchor,
            &policy,
            context.as_deref(),
        )) {
            Ok(ans) => ans,
            Err(e) => {
                if !quiet {
                    eprintln!(
                        "warden: the language model could not answer ({e}); answering offline"
                    );
                }
                answer::answer(store, &a.question, &plan, anchor).map_err(store_err)?
            }
        }
    };
    if let Some(t) = &a.thread {
        store
            .add_turn(t, "user", &a.question, "{}")
            .map_err(store_err)?;
        store
            .add_turn(
                t,
                "assistant",
                &result.text,
                &serde_json::to_string(&result.plan).unwrap_or_default(),
            )
            .map_err(store_err)?;
    }
    Ok(result)
}
