//! `warden serve` and `warden tokens`: the HTTP API over the store, and
//! the API tokens that open it.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand};
use warden_server::{hash_password, new_password, new_token, Role, ServeOptions};

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
    /// Answer with the offline analyst even when a model is configured.
    #[arg(long)]
    pub offline: bool,
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

#[derive(Args, Debug)]
pub struct UsersArgs {
    #[command(subcommand)]
    pub action: UsersAction,
    /// The store directory (default: WARDEN_STORE, else ~/.local/share/warden/store).
    #[arg(long, value_name = "DIR", global = true)]
    pub store: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum UsersAction {
    /// Add a user who signs in to the web UI. Without --password-stdin a
    /// random password is made and printed once.
    Add {
        name: String,
        /// viewer, analyst, approver or admin.
        #[arg(long, default_value = "viewer")]
        role: String,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
        /// The user's Slack member id (U…), so Slack buttons they press
        /// act with this user's role.
        #[arg(long, value_name = "ID")]
        slack_user: Option<String>,
    },
    /// List users (names, roles, Slack ids, dates; never passwords).
    List,
    /// Set a new password (random and printed, or from stdin); ends the
    /// user's sessions.
    Passwd {
        name: String,
        #[arg(long)]
        password_stdin: bool,
    },
    /// Disable a user and end their sessions.
    Disable { name: String },
}

/// The password for `users add|passwd`: stdin's first line, or a new
/// random one (printed once).
fn password(from_stdin: bool) -> Result<(String, bool), Fatal> {
    if !from_stdin {
        return Ok((new_password(), true));
    }
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .map_err(|e| Fatal(format!("cannot read the password from stdin: {e}")))?;
    let p = line.trim_end_matches(['\r', '\n']).to_string();
    if p.chars().count() < 12 || p.len() > 1024 {
        return Err(Fatal(
            "the password must be 12 to 1024 characters (or leave out --password-stdin for a random one)".into(),
        ));
    }
    Ok((p, false))
}

fn parse_role(role: &str) -> Result<Role, Fatal> {
    Role::parse(role).ok_or_else(|| {
        Fatal(format!(
            "--role '{role}' is not one of viewer, analyst, approver, admin"
        ))
    })
}

pub fn users(a: UsersArgs) -> Result<ExitCode, Fatal> {
    let dir = store_cmd::store_dir(a.store.as_deref())?;
    let store = store_cmd::open(&dir)?;
    let e = |e: warden_store::StoreError| Fatal(e.to_string());
    match a.action {
        UsersAction::Add {
            name,
            role,
            password_stdin,
            slack_user,
        } => {
            let r = parse_role(&role)?;
            if name.trim().is_empty()
                || name.chars().count() > 100
                || name.chars().any(|c| c.is_control() || c == ':')
            {
                return Err(Fatal(
                    "the user name must be 1 to 100 characters, without ':' or control characters"
                        .into(),
                ));
            }
            if let Some(id) = &slack_user {
                if !id.starts_with(['U', 'W']) || !id.chars().all(|c| c.is_ascii_alphanumeric()) {
                    return Err(Fatal(format!(
                        "--slack-user '{id}' is not a Slack member id (U… or W…; in Slack: profile → ⋮ → Copy member ID)"
                    )));
                }
            }
            let (pw, generated) = password(password_stdin)?;
            if !store
                .add_user(
                    &name,
                    r.as_str(),
                    &hash_password(&pw),
                    slack_user.as_deref(),
                )
                .map_err(e)?
            {
                return Err(Fatal(format!(
                    "a user named '{name}' (or with that Slack id) exists; choose another name or 'warden users disable' it"
                )));
            }
            store
                .audit(&who(), "user.add", &name, r.as_str())
                .map_err(e)?;
            eprintln!("warden: user '{name}' ({}) added", r.as_str());
            if generated {
                eprintln!("warden: password (shown only now):");
                println!("{pw}");
            }
        }
        UsersAction::List => {
            for u in store.users().map_err(e)? {
                let created = warden_core::Timestamp(u.created_ms).to_rfc3339();
                let state = match u.disabled_ms {
                    Some(ms) => format!("disabled {}", warden_core::Timestamp(ms).to_rfc3339()),
                    None => "active".into(),
                };
                println!(
                    "{:<24} {:<9} slack {:<12} created {created}  {state}",
                    u.name,
                    u.role,
                    u.slack_user.as_deref().unwrap_or("-")
                );
            }
        }
        UsersAction::Passwd {
            name,
            password_stdin,
        } => {
            let (pw, generated) = password(password_stdin)?;
            if !store.set_password(&name, &hash_password(&pw)).map_err(e)? {
                return Err(Fatal(format!("no active user named '{name}'")));
            }
            store.audit(&who(), "user.passwd", &name, "").map_err(e)?;
            eprintln!("warden: password of '{name}' changed; their sessions ended");
            if generated {
                println!("{pw}");
            }
        }
        UsersAction::Disable { name } => {
            if !store.disable_user(&name).map_err(e)? {
                return Err(Fatal(format!("no active user named '{name}'")));
            }
            store.audit(&who(), "user.disable", &name, "").map_err(e)?;
            eprintln!("warden: user '{name}' disabled; their sessions ended");
        }
    }
    Ok(ExitCode::SUCCESS)
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
    cfg: &crate::config::FileConfig,
    snippets: warden_server::SnippetAnalyzer,
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
        let pw = new_password();
        store
            .add_user("demo", Role::Admin.as_str(), &hash_password(&pw), None)
            .map_err(|e| Fatal(e.to_string()))?;
        eprintln!("warden: demo store {} (deleted on exit)", dir.display());
        eprintln!("warden: one-time admin token: {token}");
        eprintln!("warden: web UI login: user 'demo', password '{pw}'");
    }
    drop(store);
    let mut opts = ServeOptions::new(a.listen, dir);
    opts.rate_per_sec = a.rate_limit.max(0.1);
    opts.rate_burst = (a.rate_limit * 4.0).max(1.0);
    opts.body_limit = a.max_body;
    opts.snippets = Some(snippets);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Fatal(format!("cannot start the async runtime: {e}")))?;
    opts.slack = rt
        .block_on(warden_server::secrets::slack_config())
        .map_err(Fatal)?;
    if !a.offline {
        if let Some(m) = crate::ask_llm::connect(cfg, &rt)? {
            // A model's tool loop takes longer than the offline analyst.
            opts.timeout = opts.timeout.max(std::time::Duration::from_secs(120));
            opts.model = Some(std::sync::Arc::new(m));
        }
    }
    if !quiet {
        if let Some(s) = &opts.slack {
            eprintln!(
                "warden: Slack app on ({})",
                match (s.signing_secret.is_some(), s.app_token.is_some()) {
                    (true, true) => "HTTP endpoints and Socket Mode",
                    (false, true) => "Socket Mode",
                    _ => "HTTP endpoints",
                }
            );
        }
        match &opts.model {
            Some(m) => {
                use warden_llm::Provider;
                eprintln!(
                    "warden: answers by {}/{}, at most {} at once",
                    m.provider.name(),
                    m.provider.model(),
                    opts.model_slots
                )
            }
            None => eprintln!("warden: answers by the offline analyst"),
        }
    }
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
