//! The client: one per service host, cheap to clone.

use crate::classify::{Classify, classify_status};
use crate::pacing::Pacer;
use crate::redact::{redact_header_value, redact_url};
use async_trait::async_trait;
use musync_core::{ErrorKind, ServiceError};
use reqwest::header::HeaderMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;

/// Renews an expired sign-in (refresh an OAuth token, re-read Amazon's
/// session config). Called at most once per request, when the classifier
/// reports [`ErrorKind::AuthExpired`]; the request is then rebuilt and sent
/// again, so builders must read credentials when called, not capture them.
#[async_trait]
pub trait SessionRefresh: Send + Sync {
    /// Renew the session; an error means the user must sign in again.
    async fn refresh(&self) -> Result<(), ServiceError>;
}

/// A whole response: status, headers and body, already read.
#[derive(Clone, Debug)]
pub struct HttpResponse {
    /// HTTP status code.
    pub status: u16,
    /// Response headers.
    pub headers: HeaderMap,
    /// Response body.
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// A response with no headers, e.g. to test a service's classifier.
    pub fn new(status: u16, body: impl Into<Vec<u8>>) -> HttpResponse {
        HttpResponse {
            status,
            headers: HeaderMap::new(),
            body: body.into(),
        }
    }

    /// The body as text (lossy UTF-8).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The first 200 characters of the body, for error messages.
    pub fn snippet(&self) -> String {
        let text = self.text();
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return "(empty body)".to_owned();
        }
        let mut s: String = trimmed.chars().take(200).collect();
        if trimmed.chars().count() > 200 {
            s.push('…');
        }
        s.replace('\n', " ")
    }

    /// Decodes a JSON body; a body that does not fit `T` is a
    /// [`ErrorKind::Protocol`] error naming the service, the operation and
    /// the field serde stumbled on.
    pub fn json<T: serde::de::DeserializeOwned>(
        &self,
        service: &str,
        op: &str,
    ) -> Result<T, ServiceError> {
        serde_json::from_slice(&self.body).map_err(|e| {
            ServiceError::new(
                ErrorKind::Protocol,
                service,
                op,
                format!("the response was not in the expected format ({e})"),
            )
            .with_status(self.status)
        })
    }

    /// `Retry-After` in whole seconds, when the header holds a number.
    pub fn retry_after_s(&self) -> Option<u64> {
        self.headers
            .get(reqwest::header::RETRY_AFTER)?
            .to_str()
            .ok()?
            .trim()
            .parse()
            .ok()
    }
}

/// Settings of a [`Client`]; start from [`Client::builder`].
pub struct ClientBuilder {
    service: String,
    timeout: Duration,
    max_attempts: u32,
    base_backoff: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
    min_interval: Duration,
    max_in_flight: usize,
    classify: Option<Classify>,
    refresh: Option<Arc<dyn SessionRefresh>>,
    user_agent: String,
    cookie_store: bool,
}

impl ClientBuilder {
    /// Per-request timeout (default 30 s).
    pub fn timeout(mut self, t: Duration) -> Self {
        self.timeout = t;
        self
    }
    /// Attempts for a temporary failure, first one included (default 5).
    pub fn max_attempts(mut self, n: u32) -> Self {
        self.max_attempts = n.max(1);
        self
    }
    /// First backoff delay, doubled per retry (default 500 ms).
    pub fn base_backoff(mut self, d: Duration) -> Self {
        self.base_backoff = d;
        self
    }
    /// Longest backoff between attempts (default 30 s).
    pub fn max_backoff(mut self, d: Duration) -> Self {
        self.max_backoff = d;
        self
    }
    /// Longest `Retry-After` honoured; a longer demand fails at once as a
    /// persistent rate limit (default 120 s).
    pub fn max_retry_after(mut self, d: Duration) -> Self {
        self.max_retry_after = d;
        self
    }
    /// Minimum gap between the starts of two requests (default none).
    pub fn min_interval(mut self, d: Duration) -> Self {
        self.min_interval = d;
        self
    }
    /// Requests in flight at once (default 4).
    pub fn max_in_flight(mut self, n: usize) -> Self {
        self.max_in_flight = n.max(1);
        self
    }
    /// The service's own reading of responses, tried before the generic
    /// status rules.
    pub fn classify(mut self, f: Classify) -> Self {
        self.classify = Some(f);
        self
    }
    /// How to renew an expired session.
    pub fn session_refresh(mut self, r: Arc<dyn SessionRefresh>) -> Self {
        self.refresh = Some(r);
        self
    }
    /// The User-Agent header (default `musync/VERSION`).
    pub fn user_agent(mut self, ua: impl Into<String>) -> Self {
        self.user_agent = ua.into();
        self
    }
    /// Keep cookies the server sets between requests (default off).
    pub fn cookie_store(mut self, on: bool) -> Self {
        self.cookie_store = on;
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<Client, ServiceError> {
        let inner = reqwest::Client::builder()
            .timeout(self.timeout)
            .connect_timeout(Duration::from_secs(10))
            .user_agent(self.user_agent.clone())
            .cookie_store(self.cookie_store)
            .build()
            .map_err(|e| {
                ServiceError::new(
                    ErrorKind::Io,
                    self.service.clone(),
                    "starting the HTTP client",
                    e.to_string(),
                )
            })?;
        Ok(Client {
            inner,
            shared: Arc::new(Shared {
                in_flight: Semaphore::new(self.max_in_flight),
                pacer: Pacer::new(self.min_interval),
                cfg: self,
            }),
        })
    }
}

struct Shared {
    cfg: ClientBuilder,
    in_flight: Semaphore,
    pacer: Pacer,
}

/// The HTTP client of one service. Clones share pacing and limits.
#[derive(Clone)]
pub struct Client {
    inner: reqwest::Client,
    shared: Arc<Shared>,
}

impl Client {
    /// Settings for a client of `service` (its display name, used in errors
    /// and logs).
    pub fn builder(service: impl Into<String>) -> ClientBuilder {
        ClientBuilder {
            service: service.into(),
            timeout: Duration::from_secs(30),
            max_attempts: 5,
            base_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
            max_retry_after: Duration::from_secs(120),
            min_interval: Duration::ZERO,
            max_in_flight: 4,
            classify: None,
            refresh: None,
            user_agent: concat!("musync/", env!("CARGO_PKG_VERSION")).to_owned(),
            cookie_store: false,
        }
    }

    /// The service's display name.
    pub fn service(&self) -> &str {
        &self.shared.cfg.service
    }

    /// The underlying reqwest client, to build requests with.
    pub fn reqwest(&self) -> &reqwest::Client {
        &self.inner
    }

    /// Sends a request that may safely be repeated (a read, a search, or an
    /// idempotent write), retrying temporary failures.
    pub async fn send(
        &self,
        op: &str,
        build: impl Fn(&reqwest::Client) -> reqwest::RequestBuilder + Sync,
    ) -> Result<HttpResponse, ServiceError> {
        self.run(op, &build, true).await
    }

    /// Sends a request that must not be applied twice (adding songs). It is
    /// retried only when it surely never took effect: it could not connect,
    /// or the service refused it with 429 before acting.
    pub async fn send_once(
        &self,
        op: &str,
        build: impl Fn(&reqwest::Client) -> reqwest::RequestBuilder + Sync,
    ) -> Result<HttpResponse, ServiceError> {
        self.run(op, &build, false).await
    }

    async fn run(
        &self,
        op: &str,
        build: &(dyn Fn(&reqwest::Client) -> reqwest::RequestBuilder + Sync),
        idempotent: bool,
    ) -> Result<HttpResponse, ServiceError> {
        let cfg = &self.shared.cfg;
        let mut refreshed = false;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let outcome = self.attempt(op, build).await;
            let err = match outcome {
                Ok(resp) => return Ok(resp),
                Err(Failure {
                    error,
                    surely_unsent,
                }) => {
                    if error.kind == ErrorKind::AuthExpired
                        && !refreshed
                        && let Some(refresh) = &cfg.refresh
                    {
                        refreshed = true;
                        tracing::info!(service = %cfg.service, op, "session expired; renewing it once");
                        musync_core::activity!("{}: the sign-in expired; renewing it", cfg.service);
                        refresh.refresh().await?;
                        attempt -= 1;
                        continue;
                    }
                    let may_retry = error.temporary
                        && (idempotent || surely_unsent || error.kind == ErrorKind::RateLimited);
                    if !may_retry {
                        return Err(if error.temporary && !idempotent {
                            error.with_temporary(false)
                        } else {
                            error
                        });
                    }
                    error
                }
            };
            if let Some(after) = err.retry_after_s
                && Duration::from_secs(after) > cfg.max_retry_after
            {
                tracing::debug!(service = %cfg.service, op, after, "Retry-After longer than we wait; giving up");
                musync_core::activity_warn!(
                    "{} asked musync to wait {} before {op}; giving up (try again later)",
                    cfg.service,
                    spoken_duration(Duration::from_secs(after))
                );
                return Err(err.with_temporary(false));
            }
            if attempt >= cfg.max_attempts {
                tracing::debug!(service = %cfg.service, op, attempt, "giving up after repeated failures");
                musync_core::activity_warn!(
                    "{} kept failing while {op}; gave up after {attempt} attempts",
                    cfg.service
                );
                return Err(err.with_temporary(false));
            }
            if err.kind == ErrorKind::RateLimited
                && let Some(after) = err.retry_after_s
            {
                self.shared.pacer.limited(Duration::from_secs(after)).await;
            }
            let delay = self.backoff(attempt, err.retry_after_s);
            tracing::debug!(
                service = %cfg.service, op, attempt, delay_ms = delay.as_millis() as u64,
                error = %err, "temporary failure; retrying"
            );
            let wait = spoken_duration(delay);
            if err.kind == ErrorKind::RateLimited {
                musync_core::activity_warn!(
                    "{} asked musync to slow down; waiting {wait} before {op} again",
                    cfg.service
                );
            } else {
                musync_core::activity_warn!(
                    "{} did not answer properly while {op}; trying again in {wait} (attempt {} of {})",
                    cfg.service,
                    attempt + 1,
                    cfg.max_attempts
                );
            }
            tokio::time::sleep(delay).await;
        }
    }

    /// Delay before attempt `attempt + 1`: `Retry-After` when given, else
    /// exponential backoff with full jitter in [d/2, d].
    fn backoff(&self, attempt: u32, retry_after_s: Option<u64>) -> Duration {
        let cfg = &self.shared.cfg;
        if let Some(s) = retry_after_s {
            return Duration::from_secs(s).min(cfg.max_retry_after);
        }
        let exp = cfg
            .base_backoff
            .saturating_mul(1u32 << (attempt - 1).min(16));
        let capped = exp.min(cfg.max_backoff);
        let half = capped / 2;
        half + capped.mul_f64(rand::random::<f64>() * 0.5)
    }

    async fn attempt(
        &self,
        op: &str,
        build: &(dyn Fn(&reqwest::Client) -> reqwest::RequestBuilder + Sync),
    ) -> Result<HttpResponse, Failure> {
        let cfg = &self.shared.cfg;
        let _permit = self
            .shared
            .in_flight
            .acquire()
            .await
            .expect("the semaphore is never closed");
        self.shared.pacer.wait_turn().await;
        let request = build(&self.inner).build().map_err(|e| Failure {
            error: ServiceError::new(
                ErrorKind::InvalidInput,
                &cfg.service,
                op,
                format!("bad request: {e}"),
            ),
            surely_unsent: true,
        })?;
        let shown_url = redact_url(request.url());
        let method = request.method().clone();
        if tracing::enabled!(tracing::Level::TRACE) {
            for (name, value) in request.headers() {
                let value = value.to_str().unwrap_or("(binary)");
                tracing::trace!(header = %name, value = redact_header_value(name.as_str(), value), "request header");
            }
        }
        let started = Instant::now();
        let response = match self.inner.execute(request).await {
            Ok(r) => r,
            Err(e) => {
                let unsent = e.is_connect();
                let (kind, message) = if e.is_timeout() {
                    (
                        ErrorKind::Unavailable,
                        "the service did not answer in time".to_owned(),
                    )
                } else if e.is_connect() {
                    (
                        ErrorKind::Unavailable,
                        format!("could not connect to {}", host_of(&shown_url)),
                    )
                } else {
                    (ErrorKind::Unavailable, "the connection failed".to_owned())
                };
                // reqwest's error quotes the whole URL, secrets included.
                let e = e.without_url();
                tracing::debug!(service = %cfg.service, %method, url = %shown_url, error = %e, "request failed");
                return Err(Failure {
                    error: ServiceError::new(kind, &cfg.service, op, message).with_temporary(true),
                    surely_unsent: unsent,
                });
            }
        };
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = match response.bytes().await {
            Ok(b) => b.to_vec(),
            Err(_) => {
                return Err(Failure {
                    error: ServiceError::new(
                        ErrorKind::Unavailable,
                        &cfg.service,
                        op,
                        "the answer was cut off",
                    )
                    .with_status(status)
                    .with_temporary(true),
                    surely_unsent: false,
                });
            }
        };
        tracing::debug!(
            service = %cfg.service, %method, url = %shown_url, status,
            ms = started.elapsed().as_millis() as u64, bytes = body.len(), "request"
        );
        let resp = HttpResponse {
            status,
            headers,
            body,
        };
        let classified = cfg
            .classify
            .and_then(|f| f(&cfg.service, op, &resp))
            .or_else(|| classify_status(&cfg.service, op, &resp));
        match classified {
            None => Ok(resp),
            Some(mut error) => {
                if error.status.is_none() {
                    error.status = Some(status);
                }
                if error.retry_after_s.is_none() {
                    error.retry_after_s = resp.retry_after_s();
                }
                Err(Failure {
                    surely_unsent: status == 429,
                    error,
                })
            }
        }
    }
}

struct Failure {
    error: ServiceError,
    /// The request certainly had no effect (no connection, or refused as
    /// rate limited), so even a non-idempotent request may be sent again.
    surely_unsent: bool,
}

fn host_of(url: &str) -> String {
    url::Url::parse(url)
        .ok()
        .and_then(|u| {
            u.host_str().map(|h| match u.port() {
                Some(p) => format!("{h}:{p}"),
                None => h.to_owned(),
            })
        })
        .unwrap_or_else(|| url.to_owned())
}

/// `450 ms`, `3 s`, `2 min 5 s`: a wait as people say it.
fn spoken_duration(d: Duration) -> String {
    let ms = d.as_millis();
    if ms < 1000 {
        return format!("{ms} ms");
    }
    let s = d.as_secs_f64().round() as u64;
    match (s / 60, s % 60) {
        (0, s) => format!("{s} s"),
        (m, 0) => format!("{m} min"),
        (m, s) => format!("{m} min {s} s"),
    }
}

#[cfg(test)]
mod tests {
    use super::spoken_duration;
    use std::time::Duration;

    #[test]
    fn waits_are_spoken_in_the_largest_sensible_units() {
        assert_eq!(spoken_duration(Duration::from_millis(450)), "450 ms");
        assert_eq!(spoken_duration(Duration::from_millis(2_400)), "2 s");
        assert_eq!(spoken_duration(Duration::from_secs(120)), "2 min");
        assert_eq!(spoken_duration(Duration::from_secs(3_605)), "60 min 5 s");
    }
}
