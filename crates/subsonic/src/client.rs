//! The REST calls, on the shared HTTP layer: every call carries the
//! credentials of the account's method (a fresh salt per request), asks
//! for JSON, and reads the envelope. A server that refuses tokens is asked
//! again once with the password (nothing was applied when auth failed). A
//! server that cannot be reached is remembered for the rest of the run, so
//! a command whose server went away ends at once instead of retrying every
//! song. No message ever quotes a request URL: it carries the credentials.

use crate::auth::{self, AuthMethod};
use crate::error::{classify, envelope, to_error};
use musync_core::{ErrorKind, Secret, ServiceError};
use musync_http::Client;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use url::Url;

/// The client id musync sends as `c` (never a name servers special-case,
/// such as Navidrome's `DSub`/`SubMusic`).
pub(crate) const CLIENT_NAME: &str = "musync";
/// The protocol version musync speaks (OpenSubsonic's base).
pub(crate) const API_VERSION: &str = "1.16.1";

/// Whether a call may be sent twice.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Effect {
    /// A read: retried on temporary failures.
    Read,
    /// A change: sent once unless it surely never arrived.
    Write,
}

/// The REST client of one account.
pub(crate) struct SubsonicClient {
    http: Client,
    rest: Url,
    pub user: String,
    secret: Secret,
    method: Mutex<AuthMethod>,
    form_post: AtomicBool,
    down: Mutex<Option<ServiceError>>,
    /// `Subsonic server HOST:PORT`, in every error.
    pub name: String,
    /// The command that signs this account in again, for hints.
    pub sign_in: String,
}

/// `scheme://host[:port]/path/rest/` from what a person typed; a URL that
/// already ends in `/rest` is taken as is.
pub(crate) fn rest_url(base: &str) -> Result<Url, String> {
    let trimmed = base.trim();
    let mut url = Url::parse(trimmed).map_err(|e| {
        format!("--url {trimmed:?} is not an address ({e}); give e.g. https://music.example.org")
    })?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(format!(
            "--url must be an http:// or https:// address, not {trimmed:?}"
        ));
    }
    // Credentials in the address would end up in logs; musync sends its own.
    let _ = url.set_username("");
    let _ = url.set_password(None);
    url.set_query(None);
    url.set_fragment(None);
    let mut path = url.path().trim_end_matches('/').to_owned();
    for suffix in ["/rest/ping.view", "/rest/ping", "/rest"] {
        if let Some(p) = path.strip_suffix(suffix) {
            path = p.to_owned();
            break;
        }
    }
    url.set_path(&format!("{path}/rest/"));
    Ok(url)
}

/// `host[:port]` of an address, for names and messages.
pub(crate) fn host_port(url: &Url) -> String {
    match (url.host_str(), url.port()) {
        (Some(h), Some(p)) => format!("{h}:{p}"),
        (Some(h), None) => h.to_owned(),
        _ => "?".to_owned(),
    }
}

/// How patient the client is (tests use milliseconds).
#[derive(Clone, Copy, Debug)]
pub struct Timing {
    /// Per-request timeout.
    pub timeout: Duration,
    /// First backoff delay.
    pub backoff: Duration,
    /// Attempts for a temporary failure of a read.
    pub attempts: u32,
}

impl Default for Timing {
    fn default() -> Self {
        // A server that hangs costs at most 3 × 15 s + 1.5 s of backoff:
        // the run ends within a minute.
        Timing {
            timeout: Duration::from_secs(15),
            backoff: Duration::from_millis(500),
            attempts: 3,
        }
    }
}

impl SubsonicClient {
    pub fn new(
        rest: Url,
        user: &str,
        secret: Secret,
        method: AuthMethod,
        form_post: bool,
        timing: Timing,
    ) -> Result<SubsonicClient, ServiceError> {
        let name = format!("Subsonic server {}", host_port(&rest));
        let mut base = rest.clone();
        base.set_path(rest.path().trim_end_matches('/').trim_end_matches("rest"));
        let base = base.as_str().trim_end_matches('/').to_owned();
        let http = Client::builder(name.clone())
            .classify(classify)
            .timeout(timing.timeout)
            .base_backoff(timing.backoff)
            .max_backoff(timing.backoff * 8)
            .max_attempts(timing.attempts)
            .build()?;
        Ok(SubsonicClient {
            http,
            rest,
            user: user.to_owned(),
            secret,
            method: Mutex::new(method),
            form_post: AtomicBool::new(form_post),
            down: Mutex::new(None),
            sign_in: format!(
                "musync accounts add subsonic --url {base} --user {user} --password-stdin"
            ),
            name,
        })
    }

    /// The method in use (it may have changed from token to password).
    pub fn method(&self) -> AuthMethod {
        *self.method.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Long updates go as a form body (OpenSubsonic `formPost`).
    pub fn set_form_post(&self, on: bool) {
        self.form_post.store(on, Ordering::Relaxed);
    }

    fn unreachable(&self, e: &ServiceError) -> ServiceError {
        ServiceError::new(ErrorKind::Unavailable, &self.name, &e.op, e.message.clone())
            .with_temporary(false)
            .with_hint(format!(
                "check that the server at {} is running and reachable, then run the command \
                 again (songs already added are not added twice)",
                host_port(&self.rest)
            ))
    }

    /// Calls `endpoint` with `params` and returns the envelope's payload.
    pub async fn call(
        &self,
        op: &str,
        endpoint: &str,
        params: &[(&str, String)],
        effect: Effect,
    ) -> Result<Value, ServiceError> {
        if let Some(e) = self.down.lock().unwrap_or_else(|e| e.into_inner()).as_ref() {
            return Err(self.unreachable(e));
        }
        let url = self.rest.join(endpoint).map_err(|e| {
            ServiceError::new(ErrorKind::InvalidInput, &self.name, op, e.to_string())
        })?;
        let mut fell_back = false;
        loop {
            let method = self.method();
            let post = effect == Effect::Write && self.form_post.load(Ordering::Relaxed);
            let build = |c: &reqwest::Client| {
                let mut all: Vec<(&str, String)> = vec![
                    ("v", API_VERSION.to_owned()),
                    ("c", CLIENT_NAME.to_owned()),
                    ("f", "json".to_owned()),
                ];
                all.extend(auth::params(method, &self.user, &self.secret));
                all.extend(params.iter().cloned());
                if post {
                    c.post(url.clone()).form(&all)
                } else {
                    c.get(url.clone()).query(&all)
                }
            };
            let sent = match effect {
                Effect::Read => self.http.send(op, build).await,
                Effect::Write => self.http.send_once(op, build).await,
            };
            let resp = match sent {
                Ok(r) => r,
                Err(e) if e.kind == ErrorKind::Unavailable && e.status.is_none() => {
                    let err = self.unreachable(&e);
                    *self.down.lock().unwrap_or_else(|p| p.into_inner()) = Some(e);
                    return Err(err);
                }
                Err(e) => return Err(e),
            };
            match envelope(&self.name, op, &resp)? {
                Ok(v) => return Ok(v),
                Err(f) if f.refuses_method() && method == AuthMethod::Token && !fell_back => {
                    // Supysonic answers 10, LDAP and hashed-password
                    // servers 41/42: nothing was done, ask with the password.
                    tracing::info!(server = %self.name, code = f.code, "the server refuses token sign-in; using the password");
                    *self.method.lock().unwrap_or_else(|e| e.into_inner()) = AuthMethod::Password;
                    fell_back = true;
                }
                Err(f) => return Err(to_error(&self.name, op, &f, &self.sign_in)),
            }
        }
    }

    /// [`SubsonicClient::call`] and decode the payload's `field` as `T`; a
    /// missing field is `T::default()` (servers omit empty lists).
    pub async fn get<T: DeserializeOwned + Default>(
        &self,
        op: &str,
        endpoint: &str,
        params: &[(&str, String)],
        field: &str,
    ) -> Result<T, ServiceError> {
        let v = self.call(op, endpoint, params, Effect::Read).await?;
        self.decode(op, v, field)
    }

    /// Decodes `field` of a payload.
    pub fn decode<T: DeserializeOwned + Default>(
        &self,
        op: &str,
        mut v: Value,
        field: &str,
    ) -> Result<T, ServiceError> {
        match v.get_mut(field).map(Value::take) {
            None | Some(Value::Null) => Ok(T::default()),
            Some(inner) => serde_json::from_value(inner).map_err(|e| {
                ServiceError::new(
                    ErrorKind::Protocol,
                    &self.name,
                    op,
                    format!("the server's `{field}` was not in the expected format ({e})"),
                )
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_base_address_gets_rest_added_once() {
        for (typed, rest) in [
            ("http://127.0.0.1:4533", "http://127.0.0.1:4533/rest/"),
            (
                "https://music.example.org/navidrome/",
                "https://music.example.org/navidrome/rest/",
            ),
            ("http://h/rest", "http://h/rest/"),
            ("http://h/rest/ping.view?u=x&p=y", "http://h/rest/"),
            ("http://bob:pw@h:8080", "http://h:8080/rest/"),
        ] {
            assert_eq!(rest_url(typed).unwrap().as_str(), rest, "{typed}");
        }
        assert!(rest_url("music.example.org").is_err());
        assert!(rest_url("ftp://h").unwrap_err().contains("http"));
    }
}
