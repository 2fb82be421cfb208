//! Who is calling: API tokens (stored as SHA-256 hashes), roles, and a
//! rate limit per token.
//!
//! A token is `wdn_` + 32 random bytes, base64url. Its hash is looked up
//! in the store and the answer kept for a few seconds, so a busy endpoint
//! does not read the database per request, and a revoked token stops
//! working within [`CACHE_TTL`].

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use base64::Engine;
use sha2::{Digest, Sha256};

/// How long a token lookup is trusted.
pub const CACHE_TTL: Duration = Duration::from_secs(5);

/// What a caller may do; each role includes the ones before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Read incidents, events and metrics; check policies.
    Viewer,
    /// Also ask questions (which may spend model tokens).
    Analyst,
    /// Also approve or reject remediations.
    Approver,
    /// Also manage tokens and users.
    Admin,
}

impl Role {
    pub fn parse(s: &str) -> Option<Role> {
        match s.to_ascii_lowercase().as_str() {
            "viewer" => Some(Role::Viewer),
            "analyst" => Some(Role::Analyst),
            "approver" => Some(Role::Approver),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Analyst => "analyst",
            Role::Approver => "approver",
            Role::Admin => "admin",
        }
    }
}

/// A new token and the hash to store.
pub fn new_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    aws_lc_rs::rand::fill(&mut bytes).expect("the system random generator failed");
    let token = format!(
        "wdn_{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    );
    let hash = hash_token(&token);
    (token, hash)
}

/// SHA-256 of a token, hex.
pub fn hash_token(token: &str) -> String {
    let d = Sha256::digest(token.as_bytes());
    d.iter().map(|b| format!("{b:02x}")).collect()
}

/// PBKDF2-HMAC-SHA256 rounds for stored passwords (OWASP's 2023 figure).
const PASSWORD_ROUNDS: u32 = 600_000;

/// A salted hash of a password to store:
/// `pbkdf2-sha256$ROUNDS$SALT$HASH` (base64url).
pub fn hash_password(password: &str) -> String {
    hash_password_with(password, PASSWORD_ROUNDS)
}

fn hash_password_with(password: &str, rounds: u32) -> String {
    let mut salt = [0u8; 16];
    aws_lc_rs::rand::fill(&mut salt).expect("the system random generator failed");
    let mut out = [0u8; 32];
    aws_lc_rs::pbkdf2::derive(
        aws_lc_rs::pbkdf2::PBKDF2_HMAC_SHA256,
        std::num::NonZeroU32::new(rounds.max(1)).unwrap(),
        &salt,
        password.as_bytes(),
        &mut out,
    );
    let b = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    format!(
        "pbkdf2-sha256${rounds}${}${}",
        b.encode(salt),
        b.encode(out)
    )
}

/// Whether `password` matches a stored hash (constant-time compare).
pub fn verify_password(password: &str, stored: &str) -> bool {
    let b = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let mut parts = stored.split('$');
    let (Some("pbkdf2-sha256"), Some(rounds), Some(salt), Some(hash), None) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return false;
    };
    let (Ok(rounds), Ok(salt), Ok(hash)) = (rounds.parse::<u32>(), b.decode(salt), b.decode(hash))
    else {
        return false;
    };
    let Some(rounds) = std::num::NonZeroU32::new(rounds) else {
        return false;
    };
    aws_lc_rs::pbkdf2::verify(
        aws_lc_rs::pbkdf2::PBKDF2_HMAC_SHA256,
        rounds,
        &salt,
        password.as_bytes(),
        &hash,
    )
    .is_ok()
}

/// Spend the time a real check takes, for names that do not exist, so
/// the answer's timing does not tell which user names are real.
pub fn verify_password_decoy(password: &str) {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let stored = DECOY.get_or_init(|| hash_password("warden-decoy"));
    let _ = verify_password(password, stored);
}

/// A new random password for `warden users add` and the demo.
pub fn new_password() -> String {
    let mut bytes = [0u8; 15];
    aws_lc_rs::rand::fill(&mut bytes).expect("the system random generator failed");
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// A new browser session: the cookie value and the hash to store.
pub fn new_session() -> (String, String) {
    let mut bytes = [0u8; 32];
    aws_lc_rs::rand::fill(&mut bytes).expect("the system random generator failed");
    let s = format!(
        "wds_{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    );
    let h = hash_token(&s);
    (s, h)
}

/// The CSRF token of a session: derived from the cookie (which scripts
/// cannot read: it is HttpOnly), so a page on another site cannot know
/// it, and the server needs no lookup to check it.
pub fn csrf_token(session: &str) -> String {
    let d = Sha256::digest(format!("warden-csrf\0{session}").as_bytes());
    d.iter().take(20).map(|b| format!("{b:02x}")).collect()
}

/// An authenticated caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// The token's name, or the signed-in user's name.
    pub name: String,
    pub role: Role,
    /// Signed in through the web UI (a session cookie), not a token.
    pub session: bool,
}

impl Caller {
    /// Who did it, for audit records and per-caller limits and threads:
    /// `token:NAME` or `user:NAME`.
    pub fn actor(&self) -> String {
        let kind = if self.session { "user" } else { "token" };
        format!("{kind}:{}", self.name)
    }
}

/// Token lookups, cached for [`CACHE_TTL`].
#[derive(Default)]
pub struct TokenCache {
    entries: Mutex<HashMap<String, (Instant, Option<Caller>)>>,
}

impl TokenCache {
    pub fn get(&self, hash: &str) -> Option<Option<Caller>> {
        let map = self.entries.lock().unwrap();
        map.get(hash)
            .filter(|(at, _)| at.elapsed() < CACHE_TTL)
            .map(|(_, c)| c.clone())
    }

    /// Drop a cached answer (logout), so it ends at once.
    pub fn forget(&self, hash: &str) {
        self.entries.lock().unwrap().remove(hash);
    }

    pub fn put(&self, hash: String, caller: Option<Caller>) {
        let mut map = self.entries.lock().unwrap();
        if map.len() > 10_000 {
            // Guessed tokens must not grow this without bound.
            map.retain(|_, (at, _)| at.elapsed() < CACHE_TTL);
        }
        map.insert(hash, (Instant::now(), caller));
    }
}

/// Requests per second per caller, with a burst: a token bucket.
pub struct RateLimiter {
    per_sec: f64,
    burst: f64,
    buckets: Mutex<HashMap<String, (f64, Instant)>>,
}

impl RateLimiter {
    pub fn new(per_sec: f64, burst: f64) -> RateLimiter {
        RateLimiter {
            per_sec,
            burst,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Take one request for `who`; `Err(seconds to wait)` when over.
    pub fn take(&self, who: &str) -> Result<(), f64> {
        let now = Instant::now();
        let mut map = self.buckets.lock().unwrap();
        let (tokens, at) = map.entry(who.to_string()).or_insert((self.burst, now));
        *tokens = (*tokens + at.elapsed().as_secs_f64() * self.per_sec).min(self.burst);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            Err((1.0 - *tokens) / self.per_sec)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_hashed() {
        let (a, ha) = new_token();
        let (b, hb) = new_token();
        assert_ne!(a, b);
        assert!(a.starts_with("wdn_") && a.len() == 47, "{a}");
        assert_eq!(ha, hash_token(&a));
        assert_ne!(ha, hb);
        assert_eq!(ha.len(), 64);
    }

    #[test]
    fn passwords_are_salted_and_verified() {
        let a = hash_password_with("correct horse", 1000);
        let b = hash_password_with("correct horse", 1000);
        assert_ne!(a, b, "salted");
        assert!(a.starts_with("pbkdf2-sha256$1000$"), "{a}");
        assert!(verify_password("correct horse", &a));
        assert!(!verify_password("correct hors", &a));
        for bad in [
            "",
            "plain",
            "pbkdf2-sha256$x$y$z",
            "pbkdf2-sha256$0$AA$AA",
            "md5$1$AA$AA",
        ] {
            assert!(!verify_password("correct horse", bad), "{bad}");
        }
    }

    #[test]
    fn sessions_and_csrf_tokens() {
        let (s1, h1) = new_session();
        let (s2, _) = new_session();
        assert!(s1.starts_with("wds_") && s1 != s2);
        assert_eq!(h1, hash_token(&s1));
        assert_eq!(csrf_token(&s1), csrf_token(&s1));
        assert_ne!(csrf_token(&s1), csrf_token(&s2));
        assert_eq!(csrf_token(&s1).len(), 40);
        assert_eq!(new_password().len(), 20);
    }

    #[test]
    fn roles_order_and_parse() {
        assert!(Role::Admin > Role::Approver && Role::Approver > Role::Analyst);
        assert!(Role::Analyst > Role::Viewer);
        assert_eq!(Role::parse("Analyst"), Some(Role::Analyst));
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn rate_limit_allows_the_burst_then_refuses() {
        let r = RateLimiter::new(1.0, 3.0);
        for _ in 0..3 {
            r.take("t").unwrap();
        }
        let wait = r.take("t").unwrap_err();
        assert!(wait > 0.0 && wait <= 1.0, "{wait}");
        r.take("other").unwrap();
    }
}
