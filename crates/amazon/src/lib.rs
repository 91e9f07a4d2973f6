//! Amazon Music, read-only, through its web player's private API.
//!
//! Amazon Music has no public API for a customer's own playlists. musync
//! reads them as the web player does (research notes: amazon-api.md):
//!
//! - **Auth.** The user signs in in a real browser window
//!   ([`sign_in_with_browser`]); musync never sees the password. It captures
//!   the session cookies (HttpOnly ones over the DevTools protocol), the
//!   session config (`/config.json`: csrf triple, customer and device ids,
//!   region) and the market host (music.amazon.co.uk, .de …). Headless
//!   machines import a Netscape cookies.txt instead
//!   ([`sign_in_with_cookies`]). Cookies and config are secrets; the host,
//!   region, territory and marketplace are plain settings.
//! - **API.** Two surfaces behind one reader (`reader.rs`), which remembers
//!   per account which one works and falls back on 404 or a refusal that
//!   is not an expired session:
//!   - the 2026 player's Firefly GraphQL (`graphql.rs`, research §7), the
//!     only one with ISRCs: `AmznMusic` authorization from the config, the
//!     `x-api-key` found in the player's page, cursor paging;
//!   - the legacy JSON-RPC ("Coral", `Content-Encoding: amz-1.0`,
//!     `X-Amz-Target`) on `{host}/{NA|EU|FE}/api/…`, with the csrf triple
//!     as headers and identity fields in the body: `getOwnedPlaylistsInLibrary`,
//!     `getPlaylistsByIdV2`, Cirrus v3 `getTracks` (My Music).
//!
//!   Only these reads exist in this crate; it has no way to send a write.
//! - **Limits.** None published: one request in flight, a short gap between
//!   requests, 429/5xx retried by the shared layer honouring `Retry-After`.
//! - **Quirks.** An expired session answers 401, 400 or 403: musync re-reads
//!   the config once with the stored cookies, then asks the user to sign in
//!   again. HTTP 200 can carry `errors`. Numbers and booleans arrive as
//!   strings; "Unknown Artist"/"Unknown Album" are placeholders; uploads have
//!   an `objectId` and no ASIN. Any shape change is reported as such
//!   ([`ErrorKind::Protocol`]), never as an empty list.
//! - **Transports** (`MUSYNC_AMAZON_TRANSPORT`). Calls go through
//!   [`Transport`]: direct (reqwest via `musync-http`), in-browser (`fetch()`
//!   inside a headless Chromium page of the music host, `browser.rs`), or
//!   auto (direct, switching to the browser when Amazon refuses direct
//!   requests, `auto.rs`).
//! - **Markets.** The market comes from the cookies' name suffixes
//!   (`at-acbde` …) and domains (`market.rs`); it picks the music host, the
//!   `/{REGION}/api` prefix and the GraphQL host.
//!
//! `MUSYNC_AMAZON_URL` and `MUSYNC_AMAZON_GRAPHQL_URL` point the client at
//! other hosts (a proxy, tests).
#![warn(missing_docs)]
// `ServiceError` (core) is large by design: one rich error per failed call.

mod auto;
mod browser;
mod client;
mod convert;
mod cookies;
mod error;
mod graphql;
mod market;
mod model;
mod reader;
mod registry;
mod signin;
mod transport;

pub use cookies::{Cookie, market_host, parse_cookies_txt};
pub use graphql::GqlOp;
pub use registry::{CAPABILITIES, INFO, KIND};
pub use signin::{BrowserSignIn, find_browser, sign_in_with_browser, sign_in_with_cookies};
pub use transport::{
    Call, ClientOptions, ReadTarget, Session, Surface, TRANSPORT_ENV, Transport, TransportMode,
};

use async_trait::async_trait;
use musync_core::{
    Account, Capabilities, ErrorKind, Playlist, PlaylistId, Progress, Secret, SecretStore, Service,
    ServiceError, ServiceKind, Track,
};
use reader::Reader;
use std::sync::Arc;
use transport::DirectTransport;

/// The id of the library pseudo-playlist.
pub const MY_MUSIC: &str = "my-music";

/// The environment variable that overrides the stored music host.
pub const URL_ENV: &str = "MUSYNC_AMAZON_URL";

/// The environment variable that overrides the GraphQL endpoint.
pub const GRAPHQL_URL_ENV: &str = "MUSYNC_AMAZON_GRAPHQL_URL";

/// One Amazon Music account, read-only.
pub struct AmazonService {
    reader: Reader,
}

const OPEN_OP: &str = "opening the account";

fn secret(secrets: &dyn SecretStore, account: &Account, key: &str) -> Result<Secret, ServiceError> {
    match secrets.get(&account.id, key) {
        Ok(Some(s)) => Ok(s),
        Ok(None) => Err(ServiceError::new(
            ErrorKind::AuthExpired,
            error::SERVICE,
            OPEN_OP,
            format!(
                "no stored Amazon Music sign-in ({key}) for {}: run `musync accounts add amazon` to sign in again",
                account.id
            ),
        )
        .with_hint(error::SIGN_IN_HINT)),
        Err(e) => Err(ServiceError::new(
            ErrorKind::Io,
            error::SERVICE,
            OPEN_OP,
            format!("could not read the stored sign-in of {}", account.id),
        )
        .with_source(e)),
    }
}

/// The host to talk to: the override when set, else the stored one.
fn resolve_host(env_override: Option<String>, stored: Option<&str>) -> Option<String> {
    env_override
        .filter(|v| !v.trim().is_empty())
        .or_else(|| stored.map(str::to_owned))
        .map(|h| h.trim().trim_end_matches('/').to_owned())
        .filter(|h| !h.is_empty())
}

impl AmazonService {
    /// Opens a stored account: `account.settings` holds the non-secret
    /// `host` (and `siteRegion`, `musicTerritory`, `marketplaceId`,
    /// `userAgent`); the secrets `cookies` (musync's JSON or a cookies.txt)
    /// and `config` (the app config JSON) come from `secrets`. The host is
    /// `MUSYNC_AMAZON_URL` when set. Renewed sessions are written back.
    pub fn open(account: &Account, secrets: Arc<dyn SecretStore>) -> Result<Self, ServiceError> {
        Self::open_with(account, secrets, ClientOptions::default())
    }

    /// [`AmazonService::open`] with explicit timeouts, retries and pacing.
    pub fn open_with(
        account: &Account,
        secrets: Arc<dyn SecretStore>,
        options: ClientOptions,
    ) -> Result<Self, ServiceError> {
        let setting = |k: &str| account.settings.get(k).and_then(|v| v.as_str());
        let env = std::env::var(URL_ENV).ok();
        let host = resolve_host(env, setting("host")).ok_or_else(|| {
            ServiceError::new(
                ErrorKind::InvalidInput,
                error::SERVICE,
                OPEN_OP,
                format!("{} has no music host stored; sign in again", account.id),
            )
            .with_hint(error::SIGN_IN_HINT)
        })?;
        let cookies = cookies::parse_stored(secret(&*secrets, account, "cookies")?.expose())?;
        let config_text = secret(&*secrets, account, "config")?;
        let config: model::AppConfig = serde_json::from_str(config_text.expose()).map_err(|_| {
            ServiceError::new(
                ErrorKind::AuthExpired,
                error::SERVICE,
                OPEN_OP,
                "the stored Amazon Music session config is unreadable: run `musync accounts add amazon` to sign in again",
            )
            .with_hint(error::SIGN_IN_HINT)
        })?;
        // The environment wins; an account may pin its own (the wizard's
        // demo account, whose fake needs no browser, pins `direct`).
        let mode = match options.transport {
            Some(m) => m,
            None => TransportMode::parse(
                std::env::var(TRANSPORT_ENV)
                    .ok()
                    .as_deref()
                    .or(setting("transport")),
            )?,
        };
        let mut session = transport::Session::new(
            &host,
            setting("userAgent").map(str::to_owned),
            cookies,
            config,
            Some((secrets, account.id.clone())),
        )?;
        let graphql_url = options
            .graphql_url
            .clone()
            .or_else(|| std::env::var(GRAPHQL_URL_ENV).ok())
            .filter(|u| !u.trim().is_empty());
        if let Some(url) = graphql_url {
            session = session.with_graphql_url(url.trim().to_owned());
        }
        let session = Arc::new(session);
        let transport: Arc<dyn Transport> = match mode {
            TransportMode::Direct => Arc::new(DirectTransport::new(session, &options)?),
            TransportMode::Browser => {
                Arc::new(browser::BrowserTransport::new(session, options.clone()))
            }
            TransportMode::Auto => Arc::new(auto::AutoTransport::new(
                DirectTransport::new(session.clone(), &options)?,
                browser::BrowserTransport::new(session, options.clone()),
            )),
        };
        Ok(AmazonService {
            reader: Reader::new(transport, options.surface),
        })
    }

    /// A service reading through any transport.
    pub fn with_transport(transport: Arc<dyn Transport>) -> Self {
        AmazonService {
            reader: Reader::new(transport, None),
        }
    }
}

#[async_trait]
impl Service for AmazonService {
    fn kind(&self) -> ServiceKind {
        crate::KIND
    }

    fn capabilities(&self) -> Capabilities {
        crate::CAPABILITIES
    }

    /// "My Music" first, then every owned playlist; none writable.
    async fn playlists(&self) -> Result<Vec<Playlist>, ServiceError> {
        let mut out = vec![Playlist {
            id: PlaylistId::new(MY_MUSIC),
            name: "My Music".to_owned(),
            writable: false,
            track_count: None,
            owned: true,
        }];
        out.extend(self.reader.owned_playlists().await?);
        Ok(out)
    }

    async fn tracks(
        &self,
        playlist: &PlaylistId,
        progress: &dyn Progress,
    ) -> Result<Vec<Track>, ServiceError> {
        if playlist.as_str() == MY_MUSIC {
            self.reader.my_music(progress).await
        } else {
            self.reader.playlist_tracks(playlist, progress).await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_env_override_wins_over_the_stored_host() {
        assert_eq!(
            resolve_host(
                Some("http://127.0.0.1:9/".into()),
                Some("https://music.amazon.de")
            )
            .as_deref(),
            Some("http://127.0.0.1:9")
        );
        assert_eq!(
            resolve_host(Some("  ".into()), Some("https://music.amazon.de")).as_deref(),
            Some("https://music.amazon.de")
        );
        assert_eq!(resolve_host(None, None), None);
    }

    #[test]
    fn amazon_is_read_only() {
        struct Never;
        #[async_trait]
        impl Transport for Never {
            async fn call(&self, _: &Call, _: &str) -> Result<Vec<u8>, ServiceError> {
                unreachable!("no call in this test")
            }
        }
        let caps = AmazonService::with_transport(Arc::new(Never)).capabilities();
        assert!(caps.read_only() && caps.read_playlists && caps.read_tracks);
        assert!(caps.track_isrc && !caps.search);
    }
}
