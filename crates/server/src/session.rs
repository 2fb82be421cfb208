//! Browser sign-in for the web UI: `POST /api/login` checks a user's
//! password and sets an HttpOnly, Secure, SameSite=Strict session cookie;
//! `GET /api/session` says who is signed in and gives the CSRF token;
//! `POST /api/logout` ends the session.
//!
//! Requests that carry the cookie and change something must send the
//! session's CSRF token in `X-CSRF-Token` and, when the browser sends an
//! `Origin`, come from this server's own origin ([`csrf_guard`]).
//! Requests with an API token (`Authorization: Bearer`) are not
//! affected: browsers never attach those on their own.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::rejection::JsonRejection;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::json;

use crate::auth::{self, Role};
use crate::{ApiError, AppState};

/// The session cookie's name.
pub const COOKIE: &str = "warden_session";
/// How long a session lasts.
pub const SESSION_TTL: Duration = Duration::from_secs(12 * 3600);

/// The session cookie's value, when the request carries one.
pub(crate) fn session_cookie(h: &HeaderMap) -> Option<&str> {
    h.get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE)
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty() && v.len() < 200)
}

fn forbidden(m: &str) -> Response {
    ApiError::new(StatusCode::FORBIDDEN, m).into_response()
}

/// Refuse cross-site and token-less writes made with the session cookie.
pub(crate) async fn csrf_guard(req: Request, next: Next) -> Response {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let h = req.headers();
    if safe || h.contains_key(header::AUTHORIZATION) {
        return next.run(req).await;
    }
    if let Some(origin) = h.get(header::ORIGIN) {
        let host = h
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let o = origin.to_str().unwrap_or("");
        let same = o
            .strip_prefix("https://")
            .or_else(|| o.strip_prefix("http://"))
            .is_some_and(|rest| !host.is_empty() && rest.eq_ignore_ascii_case(host));
        if !same {
            return forbidden("cross-origin request refused: the Origin is not this server");
        }
    }
    let login = req.uri().path() == "/api/login";
    if let (Some(cookie), false) = (session_cookie(h), login) {
        let want = auth::csrf_token(cookie);
        let sent = h
            .get("x-csrf-token")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let ok =
            aws_lc_rs::constant_time::verify_slices_are_equal(sent.as_bytes(), want.as_bytes())
                .is_ok();
        if !ok {
            return forbidden("missing or wrong X-CSRF-Token for this session; reload the page");
        }
    }
    next.run(req).await
}

#[derive(Deserialize)]
pub(crate) struct LoginBody {
    user: String,
    password: String,
}

fn cookie(value: &str, max_age: u64) -> HeaderValue {
    HeaderValue::from_str(&format!(
        "{COOKIE}={value}; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age={max_age}"
    ))
    .expect("a session cookie is ASCII")
}

pub(crate) async fn login(
    State(st): State<Arc<AppState>>,
    b: Result<Json<LoginBody>, JsonRejection>,
) -> Result<Response, ApiError> {
    let b = crate::api::body(b)?;
    let user = b.user.trim().to_string();
    if user.is_empty() || user.chars().count() > 100 || b.password.len() > 1024 {
        return Err(ApiError::bad_request(
            "'user' must be 1 to 100 characters and 'password' at most 1024 bytes",
        ));
    }
    // Guessing passwords: a few tries, then one every few seconds, per name.
    if let Err(wait) = st.login_limiter.take(&user.to_lowercase()) {
        let mut e = ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            format!("too many sign-in attempts for '{user}'; wait and try again"),
        );
        e.retry_after = Some(wait.ceil().max(1.0) as u64);
        return Err(e);
    }
    let u = user.clone();
    let found = st.pool.run(move |s| s.user_password(&u)).await?;
    let password = b.password;
    let role = tokio::task::spawn_blocking(move || match found {
        Some((hash, role)) => auth::verify_password(&password, &hash).then_some(role),
        None => {
            auth::verify_password_decoy(&password);
            None
        }
    })
    .await
    .map_err(|_| ApiError::internal("the password check failed"))?;
    let Some(role) = role else {
        let u = user.clone();
        st.pool
            .run(move |s| s.audit(&format!("user:{u}"), "login.failed", &u, ""))
            .await?;
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "wrong user name or password",
        ));
    };
    let (session, hash) = auth::new_session();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0);
    let expires = now + SESSION_TTL.as_millis() as i64;
    let u = user.clone();
    st.pool
        .run(move |s| {
            s.add_session(&hash, &u, expires)?;
            s.audit(&format!("user:{u}"), "login", &u, "")
        })
        .await?;
    let mut r = Json(json!({"user": user, "role": role, "csrf": auth::csrf_token(&session)}))
        .into_response();
    r.headers_mut()
        .insert(header::SET_COOKIE, cookie(&session, SESSION_TTL.as_secs()));
    Ok(r)
}

pub(crate) async fn logout(
    State(st): State<Arc<AppState>>,
    h: HeaderMap,
) -> Result<Response, ApiError> {
    let caller = st.authorize(&h, Role::Viewer).await?;
    if let Some(c) = session_cookie(&h) {
        let hash = auth::hash_token(c);
        st.tokens.forget(&format!("s:{hash}"));
        let name = caller.name.clone();
        st.pool
            .run(move |s| {
                s.end_session(&hash)?;
                s.audit(&format!("user:{name}"), "logout", &name, "")
            })
            .await?;
    }
    let mut r = StatusCode::NO_CONTENT.into_response();
    r.headers_mut().insert(header::SET_COOKIE, cookie("", 0));
    Ok(r)
}

pub(crate) async fn session(
    State(st): State<Arc<AppState>>,
    h: HeaderMap,
) -> Result<Json<serde_json::Value>, ApiError> {
    let caller = st.authorize(&h, Role::Viewer).await?;
    let csrf = match (caller.session, session_cookie(&h)) {
        (true, Some(c)) => Some(auth::csrf_token(c)),
        _ => None,
    };
    Ok(Json(json!({
        "user": caller.name,
        "role": caller.role.as_str(),
        "via": if caller.session { "session" } else { "token" },
        "csrf": csrf,
    })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_session_cookie_among_others() {
        let mut h = HeaderMap::new();
        h.append(
            header::COOKIE,
            HeaderValue::from_static("a=1; warden_session=wds_x ; b=2"),
        );
        assert_eq!(session_cookie(&h), Some("wds_x"));
        let mut h = HeaderMap::new();
        h.append(header::COOKIE, HeaderValue::from_static("a=1"));
        h.append(header::COOKIE, HeaderValue::from_static("warden_session="));
        assert_eq!(session_cookie(&h), None);
    }
}
