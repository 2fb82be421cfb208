//! warden-server: `warden serve`, the HTTP API over the store — incidents,
//! events, grounded answers and IAM policy checks — with token
//! authentication, roles, a rate limit per token, request size limits and
//! timeouts, Prometheus metrics and an OpenAPI document.
//!
//! Why axum on tokio with a small pool of SQLite connections: handlers are
//! short, database work runs on the blocking pool, and the policy checker
//! (pure CPU) never waits for the database.

mod api;
pub mod auth;
mod metrics;
mod openapi;
pub mod secrets;
pub mod session;
pub mod slack;
pub mod slack_actions;
mod slack_socket;
mod ui;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use warden_assistant::model::{Asked, Model};
use warden_store::{Store, StoreError};

pub use auth::{hash_password, hash_token, new_password, new_token, Caller, Role};

/// What detection found in a log snippet (a message sent to the "Analyze
/// with warden" shortcut).
#[derive(Debug, Default)]
pub struct Snippet {
    pub events: u64,
    /// The first few parts that could not be read.
    pub errors: Vec<String>,
    pub incidents: Vec<warden_core::Incident>,
}

/// Detection and triage over bytes in memory. The CLI builds it around
/// its rule engine (this crate does not load rules).
#[derive(Clone)]
pub struct SnippetAnalyzer(pub Arc<AnalyzeFn>);

/// The function behind a [`SnippetAnalyzer`].
pub type AnalyzeFn = dyn Fn(&[u8]) -> Snippet + Send + Sync;

impl std::fmt::Debug for SnippetAnalyzer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SnippetAnalyzer")
    }
}

/// How `warden serve` runs.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub listen: SocketAddr,
    pub store_dir: PathBuf,
    /// Requests per second per token, and the burst allowed above it.
    pub rate_per_sec: f64,
    pub rate_burst: f64,
    /// Largest request body, bytes.
    pub body_limit: usize,
    /// Largest image for `/api/scan-image`, bytes.
    pub image_limit: usize,
    /// Longest a request may take.
    pub timeout: Duration,
    /// Database connections (reads run in parallel, writes queue).
    pub connections: usize,
    /// The Slack app, when `SLACK_SIGNING_SECRET` is set.
    pub slack: Option<slack::SlackConfig>,
    /// The configured model for answers; `None`: the offline analyst.
    pub model: Option<Arc<Model>>,
    /// Most answers a model writes at once (each holds a store connection
    /// of its own); more wait their turn.
    pub model_slots: usize,
    /// Detection for pasted log snippets (Slack shortcut).
    pub snippets: Option<SnippetAnalyzer>,
}

impl ServeOptions {
    pub fn new(listen: SocketAddr, store_dir: PathBuf) -> ServeOptions {
        ServeOptions {
            listen,
            store_dir,
            rate_per_sec: 50.0,
            rate_burst: 200.0,
            body_limit: 1 << 20,
            image_limit: 25 << 20,
            timeout: Duration::from_secs(30),
            connections: 4,
            slack: slack::SlackConfig::from_env(),
            model: None,
            model_slots: 4,
            snippets: None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("cannot listen on {addr}: {source}; choose another address with --listen")]
    Bind {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error("the server stopped: {0}")]
    Io(#[from] std::io::Error),
}

/// A few store connections shared by the handlers.
pub(crate) struct Pool {
    conns: Vec<Mutex<Store>>,
    next: AtomicUsize,
}

impl Pool {
    fn open(dir: &Path, n: usize) -> Result<Pool, StoreError> {
        let conns = (0..n.max(1))
            .map(|_| Store::open(dir).map(Mutex::new))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Pool {
            conns,
            next: AtomicUsize::new(0),
        })
    }

    /// Run `f` with a connection on the blocking pool.
    pub(crate) async fn run<T, F>(self: &Arc<Self>, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&Store) -> Result<T, StoreError> + Send + 'static,
    {
        let pool = self.clone();
        tokio::task::spawn_blocking(move || {
            let i = pool.next.fetch_add(1, Ordering::Relaxed) % pool.conns.len();
            let store = pool.conns[i].lock().unwrap_or_else(|p| p.into_inner());
            f(&store)
        })
        .await
        .map_err(|_| ApiError::internal("a database task failed"))?
        .map_err(|e| {
            tracing::error!(error = %e, "store error");
            ApiError::internal("the store could not answer; see the server log")
        })
    }
}

pub(crate) struct AppState {
    pub pool: Arc<Pool>,
    pub tokens: auth::TokenCache,
    pub limiter: auth::RateLimiter,
    /// Sign-in attempts per user name.
    pub login_limiter: auth::RateLimiter,
    pub metrics: metrics::Metrics,
    pub started: Instant,
    pub slack: Option<slack::SlackConfig>,
    pub slack_seen: slack::SeenEvents,
    pub slack_jobs: slack::Jobs,
    /// Outbound calls (Slack).
    pub http: reqwest::Client,
    pub model: Option<Arc<Model>>,
    /// Connections for model answers, which hold one for the whole tool
    /// loop; separate so slow models never starve the rest of the API.
    pub model_pool: Option<Arc<Pool>>,
    pub model_slots: tokio::sync::Semaphore,
    pub snippets: Option<SnippetAnalyzer>,
    /// Images OCR'd at once (one per core).
    pub ocr_slots: tokio::sync::Semaphore,
}

/// Answer a question (the API and Slack): with the configured model on
/// its own connections, at most `model_slots` at once, else offline.
pub(crate) async fn ask(
    st: &Arc<AppState>,
    question: String,
    thread: Option<String>,
) -> Result<Asked, ApiError> {
    let (Some(m), Some(pool)) = (st.model.clone(), st.model_pool.clone()) else {
        return st
            .pool
            .run(move |s| warden_assistant::model::ask(s, &question, thread.as_deref(), None, None))
            .await;
    };
    let _slot = st
        .model_slots
        .acquire()
        .await
        .map_err(|_| ApiError::internal("the server is stopping"))?;
    let handle = tokio::runtime::Handle::current();
    pool.run(move |s| {
        warden_assistant::model::ask(s, &question, thread.as_deref(), None, Some((&m, &handle)))
    })
    .await
}

/// An error answer: a status and a message, as `{"error": "..."}`.
#[derive(Debug)]
pub(crate) struct ApiError {
    pub status: StatusCode,
    pub message: String,
    pub retry_after: Option<u64>,
}

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            message: message.into(),
            retry_after: None,
        }
    }
    pub fn bad_request(m: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, m)
    }
    pub fn not_found(m: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, m)
    }
    pub fn internal(m: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, m)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut r = (
            self.status,
            axum::Json(serde_json::json!({"error": self.message})),
        )
            .into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            r.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer realm=\"warden\""),
            );
        }
        if let Some(s) = self.retry_after {
            if let Ok(v) = axum::http::HeaderValue::from_str(&s.to_string()) {
                r.headers_mut().insert(axum::http::header::RETRY_AFTER, v);
            }
        }
        r
    }
}

impl AppState {
    /// The caller behind `Authorization: Bearer …` (an API token) or the
    /// session cookie (the web UI), if it holds at least `min`, within its
    /// rate limit.
    pub(crate) async fn authorize(
        &self,
        headers: &HeaderMap,
        min: Role,
    ) -> Result<Caller, ApiError> {
        let bearer = headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty());
        let (secret, session) = match (bearer, session::session_cookie(headers)) {
            (Some(t), _) => (t, false),
            (None, Some(c)) => (c, true),
            (None, None) => {
                return Err(ApiError::new(
                    StatusCode::UNAUTHORIZED,
                    "not signed in: send 'Authorization: Bearer <token>' (create one with 'warden tokens create') or sign in at /",
                ))
            }
        };
        let hash = hash_token(secret);
        let key = if session {
            format!("s:{hash}")
        } else {
            hash.clone()
        };
        let caller = match self.tokens.get(&key) {
            Some(c) => c,
            None => {
                let found = self
                    .pool
                    .run(move |s| {
                        if session {
                            s.session_user(&hash)
                        } else {
                            s.token_by_hash(&hash)
                        }
                    })
                    .await?;
                let c = found.and_then(|(name, role)| {
                    Role::parse(&role).map(|role| Caller {
                        name,
                        role,
                        session,
                    })
                });
                self.tokens.put(key, c.clone());
                c
            }
        };
        let caller = caller.ok_or_else(|| {
            ApiError::new(
                StatusCode::UNAUTHORIZED,
                if session {
                    "the session has ended; sign in again"
                } else {
                    "unknown or revoked token"
                },
            )
        })?;
        if let Err(wait) = self.limiter.take(&caller.actor()) {
            let mut e = ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                format!("rate limit for {} reached; retry later", caller.actor()),
            );
            e.retry_after = Some(wait.ceil().max(1.0) as u64);
            return Err(e);
        }
        if caller.role < min {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                format!(
                    "{} has role {}; this needs {} or above",
                    caller.actor(),
                    caller.role.as_str(),
                    min.as_str()
                ),
            ));
        }
        Ok(caller)
    }
}

/// The router over an opened store (tests use it directly).
pub fn router(opts: &ServeOptions) -> Result<axum::Router, ServeError> {
    build(opts).map(|(r, _)| r)
}

fn build(opts: &ServeOptions) -> Result<(axum::Router, Arc<AppState>), ServeError> {
    let pool = Arc::new(Pool::open(&opts.store_dir, opts.connections)?);
    let model_pool = match &opts.model {
        Some(_) => Some(Arc::new(Pool::open(&opts.store_dir, opts.model_slots)?)),
        None => None,
    };
    let state = Arc::new(AppState {
        pool,
        tokens: auth::TokenCache::default(),
        limiter: auth::RateLimiter::new(opts.rate_per_sec, opts.rate_burst),
        login_limiter: auth::RateLimiter::new(0.2, 5.0),
        metrics: metrics::Metrics::default(),
        started: Instant::now(),
        slack: opts.slack.clone(),
        slack_seen: slack::SeenEvents::default(),
        slack_jobs: slack::Jobs::default(),
        http: reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| ServeError::Io(std::io::Error::other(e)))?,
        model: opts.model.clone(),
        model_pool,
        model_slots: tokio::sync::Semaphore::new(opts.model_slots.max(1)),
        snippets: opts.snippets.clone(),
        ocr_slots: tokio::sync::Semaphore::new(
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1),
        ),
    });
    Ok((api::routes(state.clone(), opts), state))
}

/// Serve until Ctrl-C (or SIGTERM); `ready` gets the bound address (the
/// port is chosen by the OS when `--listen` names port 0).
pub async fn serve(opts: ServeOptions, ready: impl FnOnce(SocketAddr)) -> Result<(), ServeError> {
    let (app, state) = build(&opts)?;
    if let Some(cfg) = opts.slack.clone().filter(|c| c.app_token.is_some()) {
        // Two TLS back ends are linked (AWS SDK, reqwest); name the one the
        // Slack socket uses. An error means one is installed already.
        let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
        tokio::spawn(slack_socket::run(state, cfg));
    }
    let listener = tokio::net::TcpListener::bind(opts.listen)
        .await
        .map_err(|source| ServeError::Bind {
            addr: opts.listen,
            source,
        })?;
    ready(listener.local_addr()?);
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown())
        .await?;
    Ok(())
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}
