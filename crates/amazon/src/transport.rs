//! How a read reaches Amazon: the [`Transport`] trait, the signed-in
//! [`Session`], the surface-neutral request each [`Call`] becomes
//! ([`WireRequest`]), and the direct transport over the shared HTTP layer.
//!
//! Why a trait: Amazon may refuse non-browser TLS clients (research §3.3),
//! so the same calls can run as `fetch` inside the signed-in browser page
//! (`browser.rs`). The readers above only know this trait. Only read
//! operations exist ([`ReadTarget`], [`GqlOp`], GETs of the player's page):
//! there is no way to name a write.
//!
//! Session renewal: a 400/401/403 makes the shared layer call
//! [`SessionRefresh`] once; ours re-reads `/config.json` with the stored
//! cookies (new csrf values, possibly renewed cookies), stores the result,
//! and the request is rebuilt from the renewed session. A guest answer
//! (empty `customerId`) means the cookies themselves expired.

use crate::cookies::{self, Cookie};
use crate::error::{self, SERVICE, expired, protocol};
use crate::graphql::GqlOp;
use crate::model as wire;
use async_trait::async_trait;
use base64::Engine;
use musync_core::{AccountId, ErrorKind, Secret, SecretStore, ServiceError};
use musync_http::{Client, SessionRefresh};
use reqwest::header::{HeaderMap, HeaderValue};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

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

/// One read: a legacy operation, a GraphQL query, or a GET of the player's
/// own files (to find the web client's GraphQL key).
#[derive(Clone, Debug)]
pub enum Call {
    /// A legacy JSON-RPC read with its body (a JSON object; the transport
    /// adds the session's identity fields).
    Legacy(ReadTarget, serde_json::Value),
    /// A GraphQL query with its variables.
    Graphql(GqlOp, serde_json::Value),
    /// `GET {music host}{path}` (the player page or one of its scripts).
    Page(String),
}

impl Call {
    /// The surface, for messages: `legacy`, `GraphQL` or `page`.
    pub fn surface(&self) -> &'static str {
        match self {
            Call::Legacy(..) => "legacy",
            Call::Graphql(..) => "GraphQL",
            Call::Page(_) => "page",
        }
    }
}

/// Sends read calls to Amazon Music.
#[async_trait]
pub trait Transport: Send + Sync {
    /// Sends `call` and returns the body of a successful answer. `op`
    /// describes the call for errors and logs.
    async fn call(&self, call: &Call, op: &str) -> Result<Vec<u8>, ServiceError>;

    /// The signed-in session behind this transport, when it has one (the
    /// GraphQL reader needs its access token and remembers the API key
    /// there).
    fn session(&self) -> Option<Arc<Session>> {
        None
    }
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
    /// How requests travel; `None`: `MUSYNC_AMAZON_TRANSPORT`, else `auto`.
    pub transport: Option<TransportMode>,
    /// The GraphQL endpoint; `None`: `MUSYNC_AMAZON_GRAPHQL_URL`, else the
    /// market's.
    pub graphql_url: Option<String>,
    /// Pins one API surface; `None`: the account's remembered one, GraphQL
    /// first for a new account, each falling back to the other.
    pub surface: Option<Surface>,
    /// Access tokens are renewed from the stored cookies once this old
    /// (they live about an hour), and before the first GraphQL call of a
    /// run, since a stored token's age is unknown.
    pub renew_after: Duration,
    /// The browser of the in-browser transport; `None`: `MUSYNC_BROWSER`,
    /// else the first Chromium-family browser found.
    pub browser: Option<std::path::PathBuf>,
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            timeout: Duration::from_secs(30),
            max_attempts: 5,
            base_backoff: Duration::from_millis(500),
            min_interval: Duration::from_millis(150),
            transport: None,
            graphql_url: None,
            surface: None,
            renew_after: Duration::from_secs(45 * 60),
            browser: None,
        }
    }
}

/// How requests reach Amazon (`MUSYNC_AMAZON_TRANSPORT`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransportMode {
    /// From musync itself; switches to `Browser` when Amazon answers a
    /// signed-in session as a guest or refuses the client.
    Auto,
    /// From musync itself only.
    Direct,
    /// From inside a headless browser page of the music host.
    Browser,
}

/// The environment variable choosing the transport.
pub const TRANSPORT_ENV: &str = "MUSYNC_AMAZON_TRANSPORT";

impl TransportMode {
    /// The mode `value` names (`auto`, `direct`, `browser`); unset or blank
    /// means `auto`, anything else is an error naming the variable.
    pub fn parse(value: Option<&str>) -> Result<Self, ServiceError> {
        match value.map(|v| v.trim().to_ascii_lowercase()).as_deref() {
            None | Some("") | Some("auto") => Ok(TransportMode::Auto),
            Some("direct") => Ok(TransportMode::Direct),
            Some("browser") => Ok(TransportMode::Browser),
            Some(other) => Err(ServiceError::new(
                ErrorKind::InvalidInput,
                SERVICE,
                "opening the account",
                format!("{TRANSPORT_ENV}={other:?} is not one of auto, direct, browser"),
            )
            .with_hint(format!(
                "unset {TRANSPORT_ENV}, or set it to auto, direct or browser"
            ))),
        }
    }
}

/// One of Amazon Music's two private API surfaces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Surface {
    /// The 2026 web player's Firefly GraphQL (ISRCs).
    Graphql,
    /// The legacy JSON-RPC ("Coral") surface.
    Legacy,
}

impl Surface {
    /// The name stored in the account's memory.
    pub fn as_str(self) -> &'static str {
        match self {
            Surface::Graphql => "graphql",
            Surface::Legacy => "legacy",
        }
    }

    /// The other surface.
    pub fn other(self) -> Surface {
        match self {
            Surface::Graphql => Surface::Legacy,
            Surface::Legacy => Surface::Graphql,
        }
    }
}

/// A User-Agent like the web player's browsers send, for sessions that did
/// not record their browser's own.
pub(crate) const BROWSER_UA: &str = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 \
     (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36";

/// A signed-in session: where, with which cookies and config.
pub struct Session {
    /// Base URL of the music host, no trailing slash.
    pub(crate) host: String,
    /// Host name alone, for cookie matching.
    pub(crate) host_name: String,
    pub(crate) user_agent: String,
    pub(crate) cookies: RwLock<Vec<Cookie>>,
    pub(crate) config: RwLock<Arc<wire::AppConfig>>,
    /// Where renewed cookies and config are written back, if anywhere.
    pub(crate) store: Option<(Arc<dyn SecretStore>, AccountId)>,
    /// The GraphQL endpoint; `None` for a music host that is not Amazon's
    /// (a proxy or a test host) unless one was given: its GraphQL address
    /// cannot be guessed, so only the legacy surface is used there.
    pub(crate) graphql_url: Option<String>,
    /// The web client's GraphQL API key, once found.
    pub(crate) api_key: RwLock<Option<String>>,
    /// When the config (and its access token) was last fetched in this
    /// run; `None` until then (a stored token's age is unknown).
    pub(crate) renewed_at: Mutex<Option<Instant>>,
}

impl Session {
    pub(crate) fn new(
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
        let graphql_url = host_name
            .starts_with("music.amazon.")
            .then(|| crate::market::graphql_for_host(&host).to_owned());
        Ok(Session {
            host,
            host_name,
            user_agent: user_agent.unwrap_or_else(|| BROWSER_UA.to_owned()),
            cookies: RwLock::new(cookies),
            config: RwLock::new(Arc::new(config)),
            store,
            graphql_url,
            api_key: RwLock::new(None),
            renewed_at: Mutex::new(None),
        })
    }

    /// The same session with another GraphQL endpoint.
    pub(crate) fn with_graphql_url(mut self, url: String) -> Self {
        self.graphql_url = Some(url);
        self
    }

    pub(crate) fn cookie_header(&self) -> Secret {
        cookies::header_for(&self.cookies.read().expect("cookie lock"), &self.host_name)
    }

    pub(crate) fn config(&self) -> Arc<wire::AppConfig> {
        self.config.read().expect("config lock").clone()
    }

    /// Whether the access token should be renewed before a GraphQL call.
    pub(crate) fn token_is_old(&self, renew_after: Duration) -> bool {
        self.renewed_at
            .lock()
            .expect("renewal lock")
            .is_none_or(|at| at.elapsed() >= renew_after)
    }

    /// Takes a freshly fetched signed-in config: checks it is the same
    /// customer's, keeps it, and writes it (and changed cookies) back.
    pub(crate) fn accept_renewal(
        &self,
        op: &str,
        fetched: FetchedConfig,
    ) -> Result<(), ServiceError> {
        let old = self.config();
        let customer = fetched.config.customer_id.text();
        if customer.is_none() || customer != old.customer_id.text() {
            tracing::info!("Amazon Music answered with a signed-out session; sign-in needed");
            return Err(expired(op));
        }
        *self.config.write().expect("config lock") = Arc::new(fetched.config);
        *self.renewed_at.lock().expect("renewal lock") = Some(Instant::now());
        let cookies_changed = {
            let mut cookies = self.cookies.write().expect("cookie lock");
            cookies::apply_set_cookies(&mut cookies, &self.host_name, &fetched.set_cookies)
        };
        tracing::info!(cookies_changed, "Amazon Music session renewed");
        if let Some((store, account)) = &self.store {
            let mut result = store.set(account, "config", &fetched.raw);
            if cookies_changed && result.is_ok() {
                let stored = cookies::to_stored(&self.cookies.read().expect("cookie lock"));
                result = store.set(account, "cookies", &stored);
            }
            if let Err(e) = result {
                // The renewed session still works for this run.
                tracing::warn!(error = %e, "could not store the renewed Amazon Music session");
            }
        }
        Ok(())
    }

    /// Remembers a per-account value (a secret; failures only logged).
    pub(crate) fn remember(&self, key: &str, value: &str) {
        if let Some((store, account)) = &self.store
            && let Err(e) = store.set(account, key, &Secret::new(value))
        {
            tracing::warn!(error = %e, key, "could not store Amazon Music's surface memory");
        }
    }

    /// A per-account value remembered earlier.
    pub(crate) fn recall(&self, key: &str) -> Option<String> {
        let (store, account) = self.store.as_ref()?;
        store
            .get(account, key)
            .ok()
            .flatten()
            .map(|s| s.expose().to_owned())
    }
}

use crate::market::region_for_host;

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
        self.session.accept_renewal(op, fetched)
    }
}

/// A request as the surfaces define it, before a transport sends it: the
/// direct transport turns it into reqwest, the browser into `fetch()`.
pub(crate) struct WireRequest {
    /// `GET` or `POST` (nothing else exists).
    pub method: &'static str,
    pub url: String,
    /// Headers; values may be secrets (never logged).
    pub headers: Vec<(&'static str, Secret)>,
    pub body: Option<String>,
    /// Whether the request goes to the music host (cookies, browser
    /// headers) or elsewhere (GraphQL: no cookies).
    pub music_host: bool,
}

/// The request for `call`, built from the session as it is now (it may
/// have been renewed since the last attempt).
pub(crate) fn wire_request(session: &Session, call: &Call) -> WireRequest {
    match call {
        Call::Legacy(target, body) => legacy_request(session, *target, body),
        Call::Graphql(op, variables) => graphql_request(session, *op, variables),
        Call::Page(path) => WireRequest {
            method: "GET",
            url: format!("{}{path}", session.host),
            headers: vec![(
                "accept",
                Secret::new("text/html,application/javascript,*/*;q=0.8"),
            )],
            body: None,
            music_host: true,
        },
    }
}

fn legacy_request(session: &Session, target: ReadTarget, body: &serde_json::Value) -> WireRequest {
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
    let plain = |v: &str| Secret::new(v);
    WireRequest {
        method: "POST",
        url,
        headers: vec![
            ("content-type", plain("application/json")),
            ("content-encoding", plain("amz-1.0")),
            ("x-amz-target", plain(target.amz_target())),
            ("x-requested-with", plain("XMLHttpRequest")),
            (
                "accept",
                plain("application/json, text/javascript, */*; q=0.01"),
            ),
            ("x-amzn-requestid", Secret::new(request_id())),
            ("csrf-token", csrf.token),
            ("csrf-rnd", csrf.rnd),
            ("csrf-ts", csrf.ts),
        ],
        body: Some(body.to_string()),
        music_host: true,
    }
}

/// `AmznMusic <base64 {deviceId, deviceType, access_token}>` (research §7.1).
fn amzn_music_authorization(cfg: &wire::AppConfig) -> Secret {
    let claims = serde_json::json!({
        "deviceId": cfg.device_id.text().unwrap_or_default(),
        "deviceType": cfg.device_type.text().unwrap_or_default(),
        "access_token": cfg.access_token.expose(),
    });
    Secret::new(format!(
        "AmznMusic {}",
        base64::engine::general_purpose::STANDARD.encode(claims.to_string())
    ))
}

fn graphql_request(session: &Session, op: GqlOp, variables: &serde_json::Value) -> WireRequest {
    let cfg = session.config();
    let text = |v: &wire::Loose| Secret::new(v.text().unwrap_or_default());
    let key = session
        .api_key
        .read()
        .expect("api key lock")
        .clone()
        .unwrap_or_default();
    let mut headers = vec![
        ("content-type", Secret::new("application/json")),
        ("accept", Secret::new("application/json")),
        ("authorization", amzn_music_authorization(&cfg)),
        ("x-api-key", Secret::new(key)),
        ("device-id", text(&cfg.device_id)),
        ("device-type", text(&cfg.device_type)),
        ("music-territory", text(&cfg.music_territory)),
        ("x-amzn-session-id", text(&cfg.session_id)),
        ("x-amzn-client-app-version", text(&cfg.version)),
    ];
    headers.retain(|(_, v)| !v.expose().is_empty());
    WireRequest {
        method: "POST",
        url: session.graphql_url.clone().unwrap_or_default(),
        headers,
        body: Some(
            serde_json::json!({
                "operationName": op.name(),
                "query": op.document(),
                "variables": variables,
            })
            .to_string(),
        ),
        music_host: false,
    }
}

/// Calls over HTTP with the shared layer (retries, pacing, renewal).
pub(crate) struct DirectTransport {
    session: Arc<Session>,
    /// Legacy calls (legacy classifier).
    client: Client,
    /// GETs of the player page and its scripts.
    pages: Client,
    /// GraphQL calls (GraphQL classifier).
    graphql: Client,
    /// Renews before GraphQL calls when the token is old.
    refresher: Refresher,
    renew_after: Duration,
}

impl DirectTransport {
    pub fn new(session: Arc<Session>, options: &ClientOptions) -> Result<Self, ServiceError> {
        let refresher = || -> Result<Refresher, ServiceError> {
            Ok(Refresher {
                session: session.clone(),
                client: config_client(options)?,
            })
        };
        let build = |classify: musync_http::Classify| {
            Client::builder(SERVICE)
                .timeout(options.timeout)
                .max_attempts(options.max_attempts)
                .base_backoff(options.base_backoff)
                .min_interval(options.min_interval)
                .max_in_flight(1)
                .classify(classify)
                .session_refresh(Arc::new(refresher()?))
                .build()
        };
        Ok(DirectTransport {
            client: build(error::classify)?,
            pages: build(error::classify_page)?,
            graphql: build(crate::graphql::classify)?,
            refresher: refresher()?,
            renew_after: options.renew_after,
            session,
        })
    }
}

/// The reqwest request for a wire request.
fn to_reqwest(session: &Session, c: &reqwest::Client, w: &WireRequest) -> reqwest::RequestBuilder {
    let mut req = match w.method {
        "GET" => c.get(&w.url),
        _ => c.post(&w.url),
    };
    for (name, value) in &w.headers {
        match sensitive(value.expose()) {
            Ok(v) => req = req.header(*name, v),
            Err(_) => tracing::warn!(header = name, "a stored session value is not header-safe"),
        }
    }
    if w.music_host {
        match browser_headers(session) {
            Ok(h) => req = req.headers(h),
            Err(_) => tracing::warn!("stored cookies cannot be sent as a header"),
        }
    } else {
        req = req.header(
            "user-agent",
            HeaderValue::from_str(&session.user_agent)
                .unwrap_or_else(|_| HeaderValue::from_static(BROWSER_UA)),
        );
        if let Ok(origin) = HeaderValue::from_str(&session.host) {
            req = req.header("origin", origin);
        }
        if let Ok(referer) = HeaderValue::from_str(&format!("{}/", session.host)) {
            req = req.header("referer", referer);
        }
    }
    if let Some(body) = &w.body {
        req = req.body(body.clone());
    }
    req
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
    async fn call(&self, call: &Call, op: &str) -> Result<Vec<u8>, ServiceError> {
        let client = match call {
            Call::Graphql(..) => {
                // Renew before the token runs out rather than after a 401.
                if self.session.token_is_old(self.renew_after) {
                    self.refresher.refresh().await?;
                }
                &self.graphql
            }
            Call::Page(_) => &self.pages,
            Call::Legacy(..) => &self.client,
        };
        let resp = client
            .send(op, |c| {
                to_reqwest(&self.session, c, &wire_request(&self.session, call))
            })
            .await?;
        Ok(resp.body)
    }

    fn session(&self) -> Option<Arc<Session>> {
        Some(self.session.clone())
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
    fn transport_modes_parse_and_bad_values_name_the_variable() {
        assert_eq!(TransportMode::parse(None).unwrap(), TransportMode::Auto);
        assert_eq!(
            TransportMode::parse(Some(" Browser ")).unwrap(),
            TransportMode::Browser
        );
        assert_eq!(
            TransportMode::parse(Some("direct")).unwrap(),
            TransportMode::Direct
        );
        let e = TransportMode::parse(Some("curl")).unwrap_err();
        assert_eq!(e.kind, ErrorKind::InvalidInput);
        assert!(
            e.message.contains("MUSYNC_AMAZON_TRANSPORT=\"curl\""),
            "{}",
            e.message
        );
    }

    #[test]
    fn graphql_authorization_is_base64_json_of_the_config() {
        let cfg: wire::AppConfig = serde_json::from_str(
            r#"{"accessToken":"Atna|t","deviceId":"d1","deviceType":"A16ZV8BU3SN1N3"}"#,
        )
        .unwrap();
        let auth = amzn_music_authorization(&cfg);
        let b64 = auth.expose().strip_prefix("AmznMusic ").unwrap();
        let raw = base64::engine::general_purpose::STANDARD
            .decode(b64)
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&raw).unwrap();
        assert_eq!(v["access_token"], "Atna|t");
        assert_eq!(v["deviceId"], "d1");
        assert_eq!(v["deviceType"], "A16ZV8BU3SN1N3");
    }

    #[test]
    fn request_ids_look_like_uuids() {
        let id = request_id();
        assert_eq!(id.len(), 36);
        assert_eq!(id.matches('-').count(), 4);
        assert_ne!(id, request_id());
    }
}
