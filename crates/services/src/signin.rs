//! Sign-in flows that create accounts, with endpoints taken from the
//! environment (`MUSYNC_*_URL`) or the real services' defaults.

use musync_core::{NewAccount, Secret, ServiceError};
use musync_http::endpoint;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Called with the URL a person must open; it is always printed, and a
/// browser is opened too unless disabled.
pub type OnUrl = Box<dyn Fn(&str) + Send + Sync>;

/// The Amazon Music web host: `MUSYNC_AMAZON_URL`, else the US host (the
/// sign-in then follows Amazon to the account's own market host).
pub fn amazon_start_host() -> String {
    endpoint("MUSYNC_AMAZON_URL", "https://music.amazon.com")
}

/// Amazon Music through a real browser window.
pub async fn amazon_browser(timeout: Duration) -> Result<NewAccount, ServiceError> {
    let browser = std::env::var_os("MUSYNC_BROWSER").map(PathBuf::from);
    musync_amazon::sign_in_with_browser(musync_amazon::BrowserSignIn {
        browser,
        timeout,
        ..musync_amazon::BrowserSignIn::for_host(&amazon_start_host())
    })
    .await
}

/// Amazon Music from a Netscape cookies.txt.
pub async fn amazon_cookies(path: &Path) -> Result<NewAccount, ServiceError> {
    let host = std::env::var("MUSYNC_AMAZON_URL")
        .ok()
        .filter(|v| !v.trim().is_empty());
    musync_amazon::sign_in_with_cookies(path, host).await
}

/// Last.fm desktop authorisation.
pub async fn lastfm(
    api_key: String,
    api_secret: Secret,
    open_browser: bool,
    on_url: OnUrl,
) -> Result<NewAccount, ServiceError> {
    musync_lastfm::sign_in(musync_lastfm::LastfmSignIn {
        api_key,
        api_secret,
        api_url: endpoint("MUSYNC_LASTFM_API_URL", musync_lastfm::DEFAULT_API_URL),
        auth_url: endpoint("MUSYNC_LASTFM_AUTH_URL", musync_lastfm::DEFAULT_AUTH_URL),
        poll_interval: Duration::from_secs(3),
        timeout: Duration::from_secs(600),
        open_browser,
        on_url,
    })
    .await
}

/// Spotify authorization code with PKCE and a loopback redirect.
pub async fn spotify(
    client_id: String,
    port: Option<u16>,
    open_browser: bool,
    on_url: OnUrl,
) -> Result<NewAccount, ServiceError> {
    musync_spotify::sign_in(musync_spotify::SpotifySignIn {
        client_id,
        port: port.unwrap_or(musync_spotify::DEFAULT_PORT),
        open_browser,
        api_url: endpoint("MUSYNC_SPOTIFY_API_URL", musync_spotify::DEFAULT_API_URL),
        accounts_url: endpoint(
            "MUSYNC_SPOTIFY_ACCOUNTS_URL",
            musync_spotify::DEFAULT_ACCOUNTS_URL,
        ),
        timeout: Duration::from_secs(600),
        on_url,
    })
    .await
}
