//! Sign-in flows that create accounts. Each service crate resolves its own
//! endpoints (`MUSYNC_*_URL` or the real services); these add what the
//! person chose (browser or not, port, how long to wait).

use musync_core::{NewAccount, Secret, ServiceError};
use std::path::Path;
use std::time::Duration;

/// Called with the URL a person must open; it is always printed, and a
/// browser is opened too unless disabled.
pub type OnUrl = Box<dyn Fn(&str) + Send + Sync>;

/// Amazon Music through a real browser window. The browser
/// (`MUSYNC_BROWSER` or detected) and the start host (`MUSYNC_AMAZON_URL`
/// or music.amazon.com) are resolved by the Amazon crate.
pub async fn amazon_browser(timeout: Duration) -> Result<NewAccount, ServiceError> {
    musync_amazon::sign_in_with_browser(musync_amazon::BrowserSignIn {
        timeout,
        ..Default::default()
    })
    .await
}

/// Amazon Music from a Netscape cookies.txt; the market host comes from
/// `MUSYNC_AMAZON_URL` or the cookie domains.
pub async fn amazon_cookies(path: &Path) -> Result<NewAccount, ServiceError> {
    musync_amazon::sign_in_with_cookies(path, None).await
}

/// Last.fm desktop authorisation (endpoints from `MUSYNC_LASTFM_*_URL`).
pub async fn lastfm(
    api_key: String,
    api_secret: Secret,
    open_browser: bool,
    on_url: OnUrl,
) -> Result<NewAccount, ServiceError> {
    musync_lastfm::sign_in(musync_lastfm::LastfmSignIn {
        open_browser,
        on_url,
        ..musync_lastfm::LastfmSignIn::new(api_key, api_secret)
    })
    .await
}

/// Spotify authorization code with PKCE and a loopback redirect
/// (endpoints from `MUSYNC_SPOTIFY_*_URL`).
pub async fn spotify(
    client_id: String,
    port: Option<u16>,
    open_browser: bool,
    on_url: OnUrl,
) -> Result<NewAccount, ServiceError> {
    let defaults = musync_spotify::SpotifySignIn::new(client_id);
    musync_spotify::sign_in(musync_spotify::SpotifySignIn {
        port: port.unwrap_or(defaults.port),
        open_browser,
        // As long as Last.fm's: time to register the redirect URI if needed.
        timeout: Duration::from_secs(600),
        on_url,
        ..defaults
    })
    .await
}
