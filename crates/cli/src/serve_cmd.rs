//! `warden serve` and `warden tokens`: the HTTP API over the store, and
//! the API tokens that open it.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand};
use warden_server::{new_token, Role, ServeOptions};

use crate::{store_cmd, Fatal};

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Address to listen on (port 0: any free port, printed at start).
    #[arg(long, default_value = "127.0.0.1:8080", env = "WARDEN_LISTEN")]
    pub listen: SocketAddr,
    /// The store directory (default: WARDEN_STORE, else ~/.local/share/warden/store).
    #[arg(long, value_name = "DIR")]
    pub store: Option<PathBuf>,
    /// Start on the bundled sample day in a temporary store, with a
    /// one-time admin token printed at start.
    #[arg(long)]
    pub demo: bool,
    /// Logs for --demo (default: samples/data of this checkout).
    #[arg(long, value_name = "DIR", requires = "demo")]
    pub demo_data: Option<PathBuf>,
    /// Requests per second allowed per token (a burst of 4× is allowed).
    #[arg(long, default_value_t = 50.0, env = "WARDEN_RATE_LIMIT")]
    pub rate_limit: f64,
    /// Largest request body, in bytes.
    #[arg(long, default_value_t = 1 << 20)]
    pub max_body: usize,
}

#[derive(Args, Debug)]
pub struct TokensArgs {
    #[command(subcommand)]
    pub action: TokensAction,
    /// The store directory (default: WARDEN_STORE, else ~/.local/share/warden/store).
    #[arg(long, value_name = "DIR", global = true)]
    pub store: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum TokensAction {
    /// Create a token; it is printed once and only its hash is stored.
    Create {
        /// A name for the token (who or what uses it).
        #[arg(long)]
        name: String,
        /// viewer, analyst, approver or admin.
        #[arg(long, default_value = "viewer")]
        role: String,
    },
    /// List tokens (names, roles, dates; never the secrets).
    List,
    /// Revoke a token by name; the server stops accepting it within 5 s.
    Revoke { name: String },
}

fn who() -> String {
    format!(
        "cli:{}",
        std::env::var("USER").unwrap_or_else(|_| "unknown".into())
    )
}

pub fn tokens(a: TokensArgs) -> Result<ExitCode, Fatal> {
    let dir = store_cmd::store_dir(a.store.as_deref())?;
    let store = store_cmd::open(&dir)?;
    let e = |e: warden_store::StoreError| Fatal(e.to_string());
    match a.action {
        TokensAction::Create { name, role } => {
            let r = Role::parse(&role).ok_or_else(|| {
                Fatal(format!(
                    "--role '{role}' is not one of viewer, analyst, approver, admin"
                ))
            })?;
            if name.trim().is_empty() || name.len() > 100 {
                return Err(Fatal("--name must be 1 to 100 characters".into()));
            }
            let (token, hash) = new_token();
            if !store.add_token(&name, &hash, r.as_str()).map_err(e)? {
                return Err(Fatal(format!(
                    "a token named '{name}' exists; revoke it or choose another name"
                )));
            }
            store
                .audit(&who(), "token.create", &name, r.as_str())
                .map_err(e)?;
            eprintln!(
                "warden: token '{name}' ({}) created; it is shown only now:",
                r.as_str()
            );
            println!("{token}");
        }
        TokensAction::List => {
            for t in store.tokens().map_err(e)? {
                let created = warden_core::Timestamp(t.created_ms).to_rfc3339();
                let state = match t.revoked_ms {
                    Some(ms) => format!("revoked {}", warden_core::Timestamp(ms).to_rfc3339()),
                    None => "active".into(),
                };
                println!("{:<24} {:<9} created {created}  {state}", t.name, t.role);
            }
        }
        TokensAction::Revoke { name } => {
            if !store.revoke_token(&name).map_err(e)? {
                return Err(Fatal(format!("no active token named '{name}'")));
            }
            store.audit(&who(), "token.revoke", &name, "").map_err(e)?;
            eprintln!("warden: token '{name}' revoked");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The sample day for `--demo`: the given folder, `samples/data` here, or
/// the checkout this binary was built from.
fn demo_data(flag: Option<&Path>) -> Result<PathBuf, Fatal> {
    if let Some(p) = flag {
        return Ok(p.to_path_buf());
    }
    let built = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../samples/data"));
    [PathBuf::from("samples/data"), built]
        .into_iter()
        .find(|p| p.is_dir())
        .ok_or_else(|| Fatal("no sample data found: pass --demo-data DIR".into()))
}

/// Run the server; `ingest` loads the demo data into a store directory.
pub fn serve(
    a: ServeArgs,
    quiet: bool,
    ingest: impl FnOnce(&Path, &Path) -> Result<(), Fatal>,
) -> Result<ExitCode, Fatal> {
    let mut demo_dir = None;
    let dir = if a.demo {
        let data = demo_data(a.demo_data.as_deref())?;
        let tmp = std::env::temp_dir().join(format!("warden-demo-{}", std::process::id()));
        ingest(&tmp, &data)?;
        demo_dir = Some(tmp.clone());
        tmp
    } else {
        store_cmd::store_dir(a.store.as_deref())?
    };
    let store = store_cmd::open(&dir)?;
    if a.demo {
        let (token, hash) = new_token();
        let name = format!("demo-admin-{}", std::process::id());
        store
            .add_token(&name, &hash, Role::Admin.as_str())
            .map_err(|e| Fatal(e.to_string()))?;
        eprintln!("warden: demo store {} (deleted on exit)", dir.display());
        eprintln!("warden: one-time admin token: {token}");
    }
    drop(store);
    let mut opts = ServeOptions::new(a.listen, dir);
    opts.rate_per_sec = a.rate_limit.max(0.1);
    opts.rate_burst = (a.rate_limit * 4.0).max(1.0);
    opts.body_limit = a.max_body;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Fatal(format!("cannot start the async runtime: {e}")))?;
    let r = rt.block_on(warden_server::serve(opts, |addr| {
        if !quiet {
            eprintln!("warden: listening on http://{addr}");
        }
    }));
    if let Some(d) = demo_dir {
        let _ = std::fs::remove_dir_all(d);
    }
    r.map_err(|e| Fatal(e.to_string()))?;
    Ok(ExitCode::SUCCESS)
}
