//! Who may talk to the wizard. It binds 127.0.0.1 only, but any web page
//! the user visits can send requests there too, so every request passes
//! one guard (middleware) before any handler:
//!
//! 1. **Host**: only `127.0.0.1:PORT` or `localhost:PORT` (a DNS-rebinding
//!    page arrives with its own host name).
//! 2. **Token → cookie**: the printed URL carries a random per-run token
//!    (32 bytes, base64url). A request with the right `?token=` gets an
//!    HttpOnly, SameSite=Strict session cookie and a redirect to the same
//!    address without the token (so it leaves the address bar and history).
//!    A request without the cookie gets 403.
//! 3. **CSRF**: anything but GET/HEAD must carry the per-run CSRF token (a
//!    hidden `_csrf` form field or an `X-CSRF-Token` header) and must not
//!    come from another origin (`Origin`, `Sec-Fetch-Site`).
//!
//! Responses also forbid framing and inline scripts, and send no referrer
//! to other sites.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use std::sync::Arc;

/// Largest form body the CSRF check reads.
const MAX_FORM_BYTES: usize = 4 * 1024 * 1024;

/// The per-run secrets of one server.
pub struct Guard {
    token: String,
    session: String,
    csrf: String,
    port: u16,
}

impl std::fmt::Debug for Guard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Guard")
            .field("port", &self.port)
            .finish_non_exhaustive()
    }
}

/// 32 random bytes, base64url without padding.
pub fn random_token() -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>())
}

/// Compares without stopping at the first difference.
fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

impl Guard {
    /// Fresh secrets for a server on `port`.
    pub fn new(port: u16) -> Guard {
        Guard {
            token: random_token(),
            session: random_token(),
            csrf: random_token(),
            port,
        }
    }

    /// The token of the printed URL.
    pub fn token(&self) -> &str {
        &self.token
    }

    /// The CSRF token forms and scripts send back.
    pub fn csrf(&self) -> &str {
        &self.csrf
    }

    /// The port the server listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The session cookie's name; per port, so two wizards on one machine
    /// do not overwrite each other's cookie (cookies ignore ports).
    pub fn cookie_name(&self) -> String {
        format!("musync_{}", self.port)
    }

    /// `name=value` of a valid session cookie (for tests and clients).
    pub fn cookie_pair(&self) -> String {
        format!("{}={}", self.cookie_name(), self.session)
    }

    fn host_ok(&self, host: &str) -> bool {
        let port = self.port.to_string();
        match host.rsplit_once(':') {
            Some((name, p)) => p == port && (name == "127.0.0.1" || name == "localhost"),
            None => false,
        }
    }

    fn origin_ok(&self, origin: &str) -> bool {
        origin
            .strip_prefix("http://")
            .is_some_and(|host| self.host_ok(host))
    }

    fn has_session(&self, headers: &HeaderMap) -> bool {
        let name = self.cookie_name();
        headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .any(|(n, v)| n == name && same(v, &self.session))
    }
}

/// Why a request was refused; the page says what to do.
fn forbidden(why: &str) -> Response {
    let body = format!(
        "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>Forbidden — musync</title>\
         <link rel=\"stylesheet\" href=\"/assets/app.css\">\
         <main class=\"narrow\"><h1>403 Forbidden</h1><p>{why}</p></main></html>"
    );
    (
        StatusCode::FORBIDDEN,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        body,
    )
        .into_response()
}

const NEED_TOKEN: &str = "This page needs the address that <code>musync ui</code> printed \
     (it ends in <code>?token=…</code>). Open that address again; if the wizard was restarted, \
     use the new address it printed.";

/// The guard middleware (see the module docs). It holds only the
/// [`Guard`], not the whole application state, so this module depends on
/// nothing else of the wizard.
pub async fn guard(State(guard): State<Arc<Guard>>, req: Request, next: Next) -> Response {
    let guard = guard.as_ref();
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .or_else(|| req.uri().authority().map(|a| a.as_str()))
        .unwrap_or("");
    if !guard.host_ok(host) {
        tracing::warn!(target: "musync_web", host, "refused a request for another host name");
        return forbidden(
            "This server only answers to 127.0.0.1 and localhost. Open the address musync printed.",
        );
    }

    if let Some(query) = req.uri().query() {
        let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
            .into_owned()
            .collect();
        if let Some((_, token)) = pairs.iter().find(|(k, _)| k == "token") {
            if !same(token, guard.token()) {
                return forbidden(
                    "This address's token is not the current one. Open the address that \
                     <code>musync ui</code> printed most recently.",
                );
            }
            let rest: Vec<&(String, String)> = pairs.iter().filter(|(k, _)| k != "token").collect();
            let mut location = req.uri().path().to_owned();
            if !rest.is_empty() {
                let q = url::form_urlencoded::Serializer::new(String::new())
                    .extend_pairs(rest.iter().map(|(k, v)| (k.as_str(), v.as_str())))
                    .finish();
                location = format!("{location}?{q}");
            }
            let cookie = format!("{}; HttpOnly; SameSite=Strict; Path=/", guard.cookie_pair());
            let mut resp = (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response();
            if let Ok(v) = HeaderValue::from_str(&cookie) {
                resp.headers_mut().insert(header::SET_COOKIE, v);
            }
            return with_headers(resp);
        }
    }

    if !guard.has_session(req.headers()) {
        return forbidden(NEED_TOKEN);
    }

    let req = if req.method() == Method::GET || req.method() == Method::HEAD {
        req
    } else {
        match check_csrf(guard, req).await {
            Ok(req) => req,
            Err(resp) => return resp,
        }
    };
    with_headers(next.run(req).await)
}

/// Checks origin and CSRF token of a state-changing request; gives the
/// request back (with its body restored) when it passes.
async fn check_csrf(guard: &Guard, req: Request) -> Result<Request, Response> {
    let headers = req.headers();
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok())
        && !guard.origin_ok(origin)
    {
        tracing::warn!(target: "musync_web", origin, "refused a cross-origin request");
        return Err(forbidden("Requests from other web sites are refused."));
    }
    if let Some(site) = headers.get("sec-fetch-site").and_then(|s| s.to_str().ok())
        && site != "same-origin"
        && site != "none"
    {
        tracing::warn!(target: "musync_web", site, "refused a request from another site");
        return Err(forbidden("Requests from other web sites are refused."));
    }
    if let Some(token) = headers.get("x-csrf-token").and_then(|t| t.to_str().ok()) {
        return if same(token, guard.csrf()) {
            Ok(req)
        } else {
            Err(csrf_failed())
        };
    }
    let is_form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|c| c.to_str().ok())
        .is_some_and(|c| c.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Err(csrf_failed());
    }
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, MAX_FORM_BYTES)
        .await
        .map_err(|_| (StatusCode::PAYLOAD_TOO_LARGE, "form too large").into_response())?;
    let ok =
        url::form_urlencoded::parse(&bytes).any(|(k, v)| k == "_csrf" && same(&v, guard.csrf()));
    if !ok {
        return Err(csrf_failed());
    }
    Ok(Request::from_parts(parts, Body::from(bytes)))
}

fn csrf_failed() -> Response {
    tracing::warn!(target: "musync_web", "refused a request without a valid CSRF token");
    forbidden(
        "The form's security token is missing or out of date (the wizard may have been \
         restarted). Go back, reload the page and try again.",
    )
}

/// Headers every answer carries.
fn with_headers(mut resp: Response) -> Response {
    let h = resp.headers_mut();
    let set = |h: &mut HeaderMap, name: &'static str, value: &'static str| {
        h.insert(name, HeaderValue::from_static(value));
    };
    set(
        h,
        "content-security-policy",
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
         frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    );
    set(h, "x-frame-options", "DENY");
    set(h, "x-content-type-options", "nosniff");
    // Not `no-referrer`: with it browsers send `Origin: null` on same-origin
    // form posts, which the origin check must refuse.
    set(h, "referrer-policy", "same-origin");
    if !h.contains_key(header::CACHE_CONTROL) {
        set(h, "cache-control", "no-store");
    }
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_32_random_bytes_in_base64url() {
        let a = random_token();
        assert_eq!(a.len(), 43);
        assert!(
            a.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        );
        assert_ne!(a, random_token());
    }

    #[test]
    fn only_loopback_names_on_our_port_are_accepted() {
        let g = Guard::new(8123);
        assert!(g.host_ok("127.0.0.1:8123"));
        assert!(g.host_ok("localhost:8123"));
        assert!(!g.host_ok("127.0.0.1:8124"));
        assert!(!g.host_ok("evil.example:8123"));
        assert!(!g.host_ok("127.0.0.1"));
        assert!(!g.host_ok("localhost.evil.example:8123"));
        assert!(g.origin_ok("http://localhost:8123"));
        assert!(!g.origin_ok("https://127.0.0.1:8123"));
        assert!(!g.origin_ok("http://evil.example:8123"));
        assert!(!g.origin_ok("null"));
    }

    #[test]
    fn the_session_cookie_is_found_among_others() {
        let g = Guard::new(9000);
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; musync_9000=wrong"),
        );
        assert!(!g.has_session(&h));
        let good = format!("a=1; {}", g.cookie_pair());
        h.insert(header::COOKIE, HeaderValue::from_str(&good).unwrap());
        assert!(g.has_session(&h));
        assert!(!Guard::new(9000).has_session(&h), "another run's cookie");
    }
}
