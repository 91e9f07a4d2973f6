//! How a legacy JSON-RPC call reaches Amazon: the [`Transport`] trait, and
//! the direct transport over the shared HTTP layer with the signed-in
//! session's cookies and csrf triple.
//!
//! Why a trait: Amazon may refuse non-browser TLS clients (research §3.3),
//! so the same calls may one day have to run as `fetch` inside the signed-in
//! browser page. The client above only knows this trait. Only read
//! operations exist ([`ReadTarget`]): there is no way to name a write.
//!
//! Session renewal: a 400/401/403 makes the shared layer call
//! [`SessionRefresh`] once; ours re-reads `/config.json` with the stored
//! cookies (new csrf values, possibly renewed cookies), stores the result,
//! and the request is rebuilt from the renewed session. A guest answer
//! (empty `customerId`) means the cookies themselves expired.

use crate::cookies::{self, Cookie};
use crate::error::{self, SERVICE, expired, protocol};
use crate::model as wire;
use async_trait::async_trait;
use musync_core::{AccountId, ErrorKind, Secret, SecretStore, ServiceError};
use musync_http::{Client, SessionRefresh};
use reqwest::header::{HeaderMap, HeaderValue};
use std::sync::{Arc, RwLock};
use std::time::Duration;

/// The read operations of the legacy API musync uses; nothing else can be
/// sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReadTarget {
    /// The customer's own playlists, paged by `entryOffset`/`pageSize`.
    OwnedPlaylists,
    /// Playlists' metadata and tracks by id.
    PlaylistsById,
    /// The library ("My Music"), Cirrus v3, paged by `nextToken`.
    LibraryTracks,
}

impl ReadTarget {
    /// The `X-Amz-Target` header value.
    pub fn amz_target(self) -> &'static str {
        match self {
            ReadTarget::OwnedPlaylists => {
                "com.amazon.musicplaylist.model.MusicPlaylistService.getOwnedPlaylistsInLibrary"
            }
            ReadTarget::PlaylistsById => {
                "com.amazon.musicplaylist.model.MusicPlaylistService.getPlaylistsByIdV2"
            }
            ReadTarget::LibraryTracks => {
                "com.amazon.cirrus.libraryservice.v3.CirrusLibraryServiceExternalV3.getTracks"
            }
        }
    }

    /// The service path under `/{REGION}/api/`.
    pub fn api_path(self) -> &'static str {
        match self {
            ReadTarget::OwnedPlaylists | ReadTarget::PlaylistsById => "playlists/",
            ReadTarget::LibraryTracks => "cirrus/v3/",
        }
    }

    /// The operation's short name, for messages.
    pub fn name(self) -> &'static str {
        self.amz_target()
            .rsplit('.')
            .next()
            .expect("targets have a dot")
    }
}

/// Sends read calls of Amazon Music's legacy JSON-RPC API.
#[async_trait]
pub trait Transport: Send + Sync {
    /// Sends `target` with `body` (a JSON object; the transport adds the
    /// session's identity fields) and returns the body of a successful
    /// answer. `op` describes the call for errors and logs.
    async fn call(
        &self,
        target: ReadTarget,
        op: &str,
        body: serde_json::Value,
    ) -> Result<Vec<u8>, ServiceError>;
}

/// Tuning of the direct transport; the defaults suit real Amazon.
#[derive(Clone, Debug)]
pub struct ClientOptions {
    /// Per-request timeout.
    pub timeout: Duration,
    /// Attempts for a temporary failure (429, 5xx, timeout), first included.
    pub max_attempts: u32,
    /// First backoff delay (doubled per retry) when no `Retry-After` is given.
    pub base_backoff: Duration,
    /// Minimum gap between two requests; Amazon publishes no limits, and the
    /// web player itself pages slowly.
    pub min_interval: Duration,
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            timeout: Duration::from_secs(30),
            max_attempts: 5,
            base_backoff: Duration::from_millis(500),
            min_interval: Duration::from_millis(150),
        }
    }
}

/// A User-Agent like the web player's browsers send, for sessions that did
/// not record their browser's own.
pub(crate) const BROWSER_UA: &str = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 \
     (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36";

/// A signed-in session: where, with which cookies and config.
pub(crate) struct Session {
    /// Base URL of the music host, no trailing slash.
    pub host: String,
    /// Host name alone, for cookie matching.
    host_name: String,
    pub user_agent: String,
    pub cookies: RwLock<Vec<Cookie>>,
    pub config: RwLock<Arc<wire::AppConfig>>,
    /// Where renewed cookies and config are written back, if anywhere.
    pub store: Option<(Arc<dyn SecretStore>, AccountId)>,
}

impl Session {
    pub fn new(
        host: &str,
        user_agent: Option<String>,
        cookies: Vec<Cookie>,
        config: wire::AppConfig,
        store: Option<(Arc<dyn SecretStore>, AccountId)>,
    ) -> Result<Session, ServiceError> {
        let host = host.trim_end_matches('/').to_owned();
        let host_name = url::Url::parse(&host)
            .ok()
            .and_then(|u| u.host_str().map(str::to_owned))
            .ok_or_else(|| {
                ServiceError::new(
                    ErrorKind::InvalidInput,
                    SERVICE,
                    "opening the account",
                    format!("{host:?} is not a web address like https://music.amazon.co.uk"),
                )
            })?;
        Ok(Session {
            host,
            host_name,
            user_agent: user_agent.unwrap_or_else(|| BROWSER_UA.to_owned()),
            cookies: RwLock::new(cookies),
            config: RwLock::new(Arc::new(config)),
            store,
        })
    }

    fn cookie_header(&self) -> Secret {
        cookies::header_for(&self.cookies.read().expect("cookie lock"), &self.host_name)
    }

    fn config(&self) -> Arc<wire::AppConfig> {
        self.config.read().expect("config lock").clone()
    }
}

/// `NA`, `EU` or `FE` for a music host, when the config does not say.
fn region_for_host(host: &str) -> &'static str {
    const EU: &[&str] = &[".co.uk", ".de", ".fr", ".it", ".es", ".in", ".sa", ".ae"];
    const FE: &[&str] = &[".co.jp", ".com.au"];
    let host = host.trim_end_matches('/');
    if EU.iter().any(|s| host.ends_with(s)) {
        "EU"
    } else if FE.iter().any(|s| host.ends_with(s)) {
        "FE"
    } else {
        "NA"
    }
}

fn sensitive(value: &str) -> Result<HeaderValue, ServiceError> {
    let mut v = HeaderValue::from_str(value).map_err(|_| {
        ServiceError::new(
            ErrorKind::InvalidInput,
            SERVICE,
            "building a request",
            "a stored cookie or token holds characters a header cannot carry; sign in again",
        )
        .with_hint(error::SIGN_IN_HINT)
    })?;
    v.set_sensitive(true);
    Ok(v)
}

/// Browser-like headers every request carries.
fn browser_headers(session: &Session) -> Result<HeaderMap, ServiceError> {
    let mut h = HeaderMap::new();
    h.insert("cookie", sensitive(session.cookie_header().expose())?);
    h.insert(
        "user-agent",
        HeaderValue::from_str(&session.user_agent)
            .unwrap_or_else(|_| HeaderValue::from_static(BROWSER_UA)),
    );
    h.insert(
        "accept-language",
        HeaderValue::from_static("en-GB,en;q=0.9"),
    );
    if let Ok(origin) = HeaderValue::from_str(&session.host) {
        h.insert("origin", origin);
    }
    if let Ok(referer) = HeaderValue::from_str(&format!("{}/", session.host)) {
        h.insert("referer", referer);
    }
    Ok(h)
}

/// What `/config.json` answered.
pub(crate) struct FetchedConfig {
    /// The JSON text as received (stored as the "config" secret).
    pub raw: Secret,
    pub config: wire::AppConfig,
    /// `Set-Cookie` header values of the answer.
    pub set_cookies: Vec<String>,
}

/// `GET {host}/config.json?skipToken=false` with the session's cookies.
pub(crate) async fn fetch_config(
    client: &Client,
    session: &Arc<Session>,
    op: &str,
) -> Result<FetchedConfig, ServiceError> {
    let url = format!("{}/config.json?skipToken=false", session.host);
    let resp = client
        .send(op, |c| {
            let mut req = c
                .get(&url)
                .header("accept", "application/json, text/plain, */*");
            match browser_headers(session) {
                Ok(h) => req = req.headers(h),
                // An unusable cookie shows as a refused request.
                Err(_) => tracing::warn!("stored cookies cannot be sent as a header"),
            }
            req
        })
        .await?;
    let raw = String::from_utf8_lossy(&resp.body).into_owned();
    let config: wire::AppConfig = serde_json::from_str(&raw).map_err(|e| {
        protocol(
            op,
            format!(
                "config.json was not the expected JSON ({})",
                e.classify_name()
            ),
        )
        .with_status(resp.status)
    })?;
    let set_cookies = resp
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok().map(str::to_owned))
        .collect();
    Ok(FetchedConfig {
        raw: Secret::new(raw),
        config,
        set_cookies,
    })
}

/// Names the serde error category without its text, which may quote the
/// (secret-bearing) input.
trait ClassifyName {
    fn classify_name(&self) -> &'static str;
}

impl ClassifyName for serde_json::Error {
    fn classify_name(&self) -> &'static str {
        match self.classify() {
            serde_json::error::Category::Io => "read error",
            serde_json::error::Category::Syntax => "not JSON",
            serde_json::error::Category::Data => "unexpected fields",
            serde_json::error::Category::Eof => "cut off",
        }
    }
}

/// A client for `config.json`: no session refresh (it *is* the refresh).
pub(crate) fn config_client(options: &ClientOptions) -> Result<Client, ServiceError> {
    Client::builder(SERVICE)
        .timeout(options.timeout)
        .max_attempts(options.max_attempts)
        .base_backoff(options.base_backoff)
        .max_in_flight(1)
        .classify(error::classify)
        .build()
}

struct Refresher {
    session: Arc<Session>,
    client: Client,
}

#[async_trait]
impl SessionRefresh for Refresher {
    async fn refresh(&self) -> Result<(), ServiceError> {
        let op = "renewing the session (config.json)";
        let fetched = fetch_config(&self.client, &self.session, op).await?;
        let old = self.session.config();
        let customer = fetched.config.customer_id.text();
        if customer.is_none() || customer != old.customer_id.text() {
            tracing::info!("Amazon Music answered with a signed-out session; sign-in needed");
            return Err(expired(op));
        }
        *self.session.config.write().expect("config lock") = Arc::new(fetched.config);
        let cookies_changed = {
            let mut cookies = self.session.cookies.write().expect("cookie lock");
            cookies::apply_set_cookies(&mut cookies, &self.session.host_name, &fetched.set_cookies)
        };
        tracing::info!(cookies_changed, "Amazon Music session renewed");
        if let Some((store, account)) = &self.session.store {
            let mut result = store.set(account, "config", &fetched.raw);
            if cookies_changed && result.is_ok() {
                let stored = cookies::to_stored(&self.session.cookies.read().expect("cookie lock"));
                result = store.set(account, "cookies", &stored);
            }
            if let Err(e) = result {
                // The renewed session still works for this run.
                tracing::warn!(error = %e, "could not store the renewed Amazon Music session");
            }
        }
        Ok(())
    }
}

/// Calls over HTTP with the shared layer (retries, pacing, renewal).
pub(crate) struct DirectTransport {
    session: Arc<Session>,
    client: Client,
}

impl DirectTransport {
    pub fn new(session: Arc<Session>, options: &ClientOptions) -> Result<Self, ServiceError> {
        let refresher = Refresher {
            session: session.clone(),
            client: config_client(options)?,
        };
        let client = Client::builder(SERVICE)
            .timeout(options.timeout)
            .max_attempts(options.max_attempts)
            .base_backoff(options.base_backoff)
            .min_interval(options.min_interval)
            .max_in_flight(1)
            .classify(error::classify)
            .session_refresh(Arc::new(refresher))
            .build()?;
        Ok(DirectTransport { session, client })
    }
}

/// The request, built from the session as it is now (it may have been
/// renewed since the last attempt).
fn build(
    session: &Session,
    c: &reqwest::Client,
    target: ReadTarget,
    body: &serde_json::Value,
) -> reqwest::RequestBuilder {
    let cfg = session.config();
    let region = cfg
        .site_region
        .text()
        .unwrap_or_else(|| region_for_host(&session.host).to_owned());
    let url = format!("{}/{region}/api/{}", session.host, target.api_path());
    let mut body = body.clone();
    if let Some(obj) = body.as_object_mut() {
        for (key, value) in [
            ("customerId", &cfg.customer_id),
            ("deviceId", &cfg.device_id),
            ("deviceType", &cfg.device_type),
            ("musicTerritory", &cfg.music_territory),
        ] {
            obj.insert(key.into(), value.text().unwrap_or_default().into());
        }
    }
    let csrf = cfg.csrf.clone().unwrap_or_default();
    let mut req = c
        .post(url)
        .header("content-type", "application/json")
        .header("content-encoding", "amz-1.0")
        .header("x-amz-target", target.amz_target())
        .header("x-requested-with", "XMLHttpRequest")
        .header("accept", "application/json, text/javascript, */*; q=0.01")
        .header("x-amzn-requestid", request_id());
    for (name, value) in [
        ("csrf-token", &csrf.token),
        ("csrf-rnd", &csrf.rnd),
        ("csrf-ts", &csrf.ts),
    ] {
        match sensitive(value.expose()) {
            Ok(v) => req = req.header(name, v),
            Err(_) => tracing::warn!(header = name, "stored csrf value is not header-safe"),
        }
    }
    match browser_headers(session) {
        Ok(h) => req = req.headers(h),
        Err(_) => tracing::warn!("stored cookies cannot be sent as a header"),
    }
    req.body(body.to_string())
}

/// A random request id in UUID form, as the web player sends.
fn request_id() -> String {
    let a: u128 = rand::random();
    let h = format!("{a:032x}");
    format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    )
}

#[async_trait]
impl Transport for DirectTransport {
    async fn call(
        &self,
        target: ReadTarget,
        op: &str,
        body: serde_json::Value,
    ) -> Result<Vec<u8>, ServiceError> {
        let resp = self
            .client
            .send(op, |c| build(&self.session, c, target, &body))
            .await?;
        Ok(resp.body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_are_the_three_reads() {
        assert_eq!(
            ReadTarget::OwnedPlaylists.name(),
            "getOwnedPlaylistsInLibrary"
        );
        assert_eq!(ReadTarget::PlaylistsById.name(), "getPlaylistsByIdV2");
        assert_eq!(ReadTarget::LibraryTracks.name(), "getTracks");
        assert_eq!(ReadTarget::LibraryTracks.api_path(), "cirrus/v3/");
    }

    #[test]
    fn regions_default_by_market_host() {
        assert_eq!(region_for_host("https://music.amazon.co.uk"), "EU");
        assert_eq!(region_for_host("https://music.amazon.co.jp/"), "FE");
        assert_eq!(region_for_host("https://music.amazon.com"), "NA");
    }

    #[test]
    fn request_ids_look_like_uuids() {
        let id = request_id();
        assert_eq!(id.len(), 36);
        assert_eq!(id.matches('-').count(), 4);
        assert_ne!(id, request_id());
    }
}
