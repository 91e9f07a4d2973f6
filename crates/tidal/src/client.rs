//! The API calls musync makes, on the shared HTTP layer: every request
//! carries `Accept` and (with a body) `Content-Type` of exactly
//! `application/vnd.api+json`, the token read when the request is sent (so
//! a renewed one is used on a retry) and, for catalogue reads, the
//! account's `countryCode`. Listings follow cursors to the end: `links.next`
//! is relative to the API base, `links.meta.nextCursor` the bare cursor.
//! Writes carry an `Idempotency-Key` made once per write and reused on
//! every retry, so a 5xx after TIDAL applied it is never applied twice.
//! After each answer, TIDAL's token-bucket headers pace the next request.

use crate::model as wire;
use musync_core::{ErrorKind, Progress, ServiceError};
use musync_http::{Client, HttpResponse};
use musync_oauth::Tokens;
use rand::distr::{Alphanumeric, SampleString};
use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderMap};
use serde::de::DeserializeOwned;
use std::sync::Arc;
use std::time::{Duration, Instant};
use url::Url;

/// TIDAL's media type, both ways; exactly this, no parameters.
pub(crate) const MEDIA_TYPE: &str = "application/vnd.api+json";
/// Most resources one write may carry.
pub(crate) const WRITE_MAX: usize = 50;
/// Most pages one listing is followed through (a loop guard: 20k items
/// at TIDAL's 20 per page).
const MAX_PAGES: usize = 1000;

/// The API client of one account.
pub(crate) struct TidalClient {
    pub http: Client,
    /// The API base without a trailing slash (includes `/v2`).
    pub base: Url,
    pub tokens: Arc<Tokens>,
    /// The account's country, sent as `countryCode`.
    pub country: String,
    not_before: tokio::sync::Mutex<Instant>,
}

fn protocol(op: &str, message: impl Into<String>) -> ServiceError {
    ServiceError::new(ErrorKind::Protocol, "TIDAL", op, message)
}

fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme()
        && a.host_str() == b.host_str()
        && a.port_or_known_default() == b.port_or_known_default()
}

fn header_f64(h: &HeaderMap, name: &str) -> Option<f64> {
    h.get(name)?.to_str().ok()?.trim().parse().ok()
}

impl TidalClient {
    pub fn new(http: Client, base: Url, tokens: Arc<Tokens>, country: String) -> Self {
        TidalClient {
            http,
            base,
            tokens,
            country,
            not_before: tokio::sync::Mutex::new(Instant::now()),
        }
    }

    /// `base` + `path` (with a leading slash) + query.
    pub fn url(&self, path: &str, query: &[(&str, &str)]) -> Url {
        let mut u = self.base.clone();
        let joined = format!("{}{path}", self.base.path().trim_end_matches('/'));
        u.set_path(&joined);
        u.set_query(None);
        if !query.is_empty() {
            u.query_pairs_mut().extend_pairs(query);
        }
        u
    }

    /// The address of a `links.next`: relative to the API base (also
    /// accepted: a path that already holds the base's path, or an absolute
    /// link on the API's own origin; anything else is never sent a token).
    fn next_url(&self, next: &str) -> Option<Url> {
        if next.starts_with("http://") || next.starts_with("https://") {
            return Url::parse(next).ok().filter(|u| same_origin(u, &self.base));
        }
        let base_path = self.base.path().trim_end_matches('/');
        let (path, query) = next.split_once('?').unwrap_or((next, ""));
        let path = if !base_path.is_empty() && path.starts_with(&format!("{base_path}/")) {
            path.to_owned()
        } else {
            format!("{base_path}/{}", path.trim_start_matches('/'))
        };
        let mut u = self.base.clone();
        u.set_path(&path);
        u.set_query((!query.is_empty()).then_some(query));
        Some(u)
    }

    /// Waits as long as the last answer's token-bucket headers ask.
    async fn pace(&self) {
        let until = *self.not_before.lock().await;
        let now = Instant::now();
        if until > now {
            tokio::time::sleep(until - now).await;
        }
    }

    /// Reads `x-ratelimit-remaining` / `-requested-tokens` /
    /// `-replenish-rate`: when the bucket cannot pay for another request,
    /// the next one waits until it can (instead of drawing a 429).
    async fn note_bucket(&self, h: &HeaderMap) {
        let (Some(remaining), Some(rate)) = (
            header_f64(h, "x-ratelimit-remaining"),
            header_f64(h, "x-ratelimit-replenish-rate"),
        ) else {
            return;
        };
        let cost = header_f64(h, "x-ratelimit-requested-tokens").unwrap_or(1.0);
        if remaining >= cost || rate <= 0.0 {
            return;
        }
        let wait = Duration::from_secs_f64(((cost - remaining) / rate).min(60.0));
        tracing::debug!(
            wait_ms = wait.as_millis() as u64,
            "TIDAL rate bucket empty; pacing"
        );
        let mut nb = self.not_before.lock().await;
        *nb = (*nb).max(Instant::now() + wait);
    }

    /// A repeatable GET.
    pub async fn get(&self, op: &str, url: &Url) -> Result<HttpResponse, ServiceError> {
        self.tokens.ensure_fresh().await?;
        self.pace().await;
        let tokens = &self.tokens;
        let resp = self
            .http
            .send(op, |c| {
                c.get(url.clone())
                    .bearer_auth(tokens.access().expose())
                    .header(ACCEPT, MEDIA_TYPE)
            })
            .await?;
        self.note_bucket(&resp.headers).await;
        Ok(resp)
    }

    /// A repeatable GET decoded as `T`.
    pub async fn get_json<T: DeserializeOwned>(
        &self,
        op: &str,
        url: &Url,
    ) -> Result<T, ServiceError> {
        self.get(op, url).await?.json("TIDAL", op)
    }

    /// Every page of a listing whose data is `T`s, from `first` to the
    /// last cursor: the data of all pages and everything they included.
    pub async fn all_pages<T: DeserializeOwned>(
        &self,
        op: &str,
        first: Url,
        progress: &dyn Progress,
    ) -> Result<(Vec<T>, Vec<wire::Resource>), ServiceError> {
        let mut data = Vec::new();
        let mut included = Vec::new();
        let mut url = first.clone();
        let mut seen_cursors = std::collections::HashSet::new();
        for _ in 0..MAX_PAGES {
            let page: wire::Document<Vec<T>> = self.get_json(op, &url).await?;
            let n = page.data.len();
            progress.advance(n as u64);
            data.extend(page.data);
            included.extend(page.included);
            let links = page.links.unwrap_or_default();
            let cursor = links
                .meta
                .and_then(|m| m.next_cursor)
                .filter(|c| !c.is_empty());
            let next = links.next.filter(|n| !n.is_empty());
            if next.is_none() && cursor.is_none() {
                return Ok((data, included));
            }
            if n == 0 {
                return Err(protocol(
                    op,
                    format!(
                        "TIDAL sent an empty page before the end ({} items read)",
                        data.len()
                    ),
                ));
            }
            url = match (next.as_deref().and_then(|n| self.next_url(n)), cursor) {
                (Some(u), _) => u,
                (None, Some(c)) => {
                    let mut u = first.clone();
                    u.query_pairs_mut().append_pair("page[cursor]", &c);
                    u
                }
                (None, None) => {
                    return Err(protocol(
                        op,
                        "TIDAL sent a next-page link musync cannot follow",
                    ));
                }
            };
            if !seen_cursors.insert(url.to_string()) {
                return Err(protocol(op, "TIDAL sent the same page link twice"));
            }
        }
        Err(protocol(
            op,
            format!("more than {MAX_PAGES} pages; stopped"),
        ))
    }

    /// A write (`POST`/`DELETE`/`PATCH`) of a JSON:API body, with one
    /// `Idempotency-Key` for all its attempts, so it may be retried on 5xx
    /// and on a lost answer without being applied twice.
    pub async fn write(
        &self,
        op: &str,
        method: reqwest::Method,
        url: &Url,
        body: &serde_json::Value,
    ) -> Result<HttpResponse, ServiceError> {
        self.tokens.ensure_fresh().await?;
        self.pace().await;
        let key = Alphanumeric.sample_string(&mut rand::rng(), 40);
        let text = body.to_string();
        let tokens = &self.tokens;
        let resp = self
            .http
            .send(op, |c| {
                c.request(method.clone(), url.clone())
                    .bearer_auth(tokens.access().expose())
                    .header(ACCEPT, MEDIA_TYPE)
                    .header(CONTENT_TYPE, MEDIA_TYPE)
                    .header("Idempotency-Key", key.as_str())
                    .body(text.clone())
            })
            .await?;
        self.note_bucket(&resp.headers).await;
        Ok(resp)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(base: &str) -> TidalClient {
        let endpoint = crate::token::endpoint("http://auth", "c").unwrap();
        let tokens = Tokens::new(
            musync_oauth::TokenSet {
                access: musync_core::Secret::new("a"),
                refresh: musync_core::Secret::new("r"),
                expires_at: u64::MAX / 2,
                lifetime_s: None,
            },
            endpoint,
            musync_core::AccountId::new("tidal-1"),
            Arc::new(musync_core::MemorySecretStore::new()),
        );
        TidalClient::new(
            Client::builder("TIDAL").build().unwrap(),
            Url::parse(base).unwrap(),
            Arc::new(tokens),
            "GB".into(),
        )
    }

    #[test]
    fn next_links_resolve_against_the_api_base() {
        let c = client("https://openapi.tidal.com/v2");
        let n = c
            .next_url("/playlists/p/relationships/items?page%5Bcursor%5D=abc&countryCode=GB")
            .unwrap();
        assert_eq!(
            n.as_str(),
            "https://openapi.tidal.com/v2/playlists/p/relationships/items?page%5Bcursor%5D=abc&countryCode=GB"
        );
        let n = c.next_url("/v2/playlists?page[cursor]=x").unwrap();
        assert_eq!(n.path(), "/v2/playlists");
        assert!(c.next_url("https://evil.example/v2/playlists").is_none());
        assert_eq!(
            c.url("/tracks", &[("filter[isrc]", "A")]).as_str(),
            "https://openapi.tidal.com/v2/tracks?filter%5Bisrc%5D=A"
        );
    }
}
