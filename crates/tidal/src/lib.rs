//! TIDAL for musync, on TIDAL's official developer API (JSON:API v2, spec
//! 1.10.104): own playlists and favourite tracks (read and write), search
//! by ISRC in batches and by text, new playlists, removal by item id, and
//! sign-in with OAuth 2.1 authorization code + PKCE through a loopback
//! redirect or a pasted address.
//!
//! Every musync user registers their own TIDAL developer app (peers that
//! borrow client ids of TIDAL's own apps get them revoked). Facts this
//! crate relies on: the API base includes `/v2`; authorize is
//! `{login}/authorize`, the token endpoint `{auth}/v1/oauth2/token`;
//! cursor paging with `links.next` relative to the API base; request
//! bodies exactly `application/vnd.api+json`; 1–50 items per write; at
//! most 100 filter values; `include=tracks` for search results;
//! `countryCode` = the account's country on catalogue reads; a favourite
//! that already exists fails the whole add (409); `Idempotency-Key` makes
//! writes safe to retry.
//!
//! Cross-cutting HTTP behaviour (retries honouring `Retry-After`, backoff,
//! redacted logs, one token renewal on a 401) is the shared `musync-http`
//! layer's; this crate describes requests, paces by TIDAL's token-bucket
//! headers and reads TIDAL's errors.
#![warn(missing_docs)]

mod auth;
mod client;
mod convert;
mod error;
mod isrc;
mod model;
mod registry;
mod service;
mod token;

pub use auth::{TidalSignIn, sign_in};
pub use registry::{CAPABILITIES, INFO, KIND};
pub use service::{ISRC_BATCH, TidalService, Tuning};

/// Default loopback port of the sign-in redirect: register
/// `http://127.0.0.1:8898/callback` as a redirect URI of your TIDAL app.
pub const DEFAULT_PORT: u16 = 8898;
/// The real API (its base includes `/v2`).
pub const DEFAULT_API_URL: &str = "https://openapi.tidal.com/v2";
/// The real login host (authorize page).
pub const DEFAULT_LOGIN_URL: &str = "https://login.tidal.com";
/// The real auth host (token endpoint).
pub const DEFAULT_AUTH_URL: &str = "https://auth.tidal.com";
/// The scopes musync asks for, all of TIDAL's third-party tier.
pub const SCOPES: &str =
    "collection.read collection.write playlists.read playlists.write search.read user.read";
/// Most songs one `add` call takes (one request).
pub const ADD_MAX_BATCH: usize = client::WRITE_MAX;
/// The playlist id of the favourite tracks.
pub const LIKED_ID: &str = "liked";
/// The name musync shows for the favourite tracks.
pub const LIKED_NAME: &str = "Favourite tracks";

/// The playlist id in a TIDAL share link or URI a person pastes:
/// `https://tidal.com/playlist/ID`, `https://tidal.com/browse/playlist/ID`,
/// `https://listen.tidal.com/playlist/ID`, `tidal://playlist/ID` (with or
/// without the scheme, with a query or fragment). `None` for anything else.
pub fn playlist_id_from_link(text: &str) -> Option<String> {
    let t = text.trim();
    let rest = t
        .strip_prefix("https://")
        .or_else(|| t.strip_prefix("http://"))
        .unwrap_or(t);
    let path = if let Some(p) = rest.strip_prefix("tidal://") {
        p
    } else {
        let (host, path) = rest.split_once('/')?;
        let host = host.to_ascii_lowercase();
        if !matches!(
            host.as_str(),
            "tidal.com" | "www.tidal.com" | "listen.tidal.com"
        ) {
            return None;
        }
        path
    };
    let path = path.split(['?', '#']).next().unwrap_or("");
    let path = path.strip_prefix("browse/").unwrap_or(path);
    let id = path.strip_prefix("playlist/")?.trim_end_matches('/');
    (!id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        .then(|| id.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn playlist_links_and_uris() {
        let id = "0b7a3d36-0d1c-4a5c-9e0b-3c7f1f2b7a10";
        for link in [
            format!("https://tidal.com/playlist/{id}"),
            format!("https://tidal.com/browse/playlist/{id}?u"),
            format!("http://listen.tidal.com/playlist/{id}/"),
            format!("tidal.com/browse/playlist/{id}#x"),
            format!("tidal://playlist/{id}"),
            format!("  https://www.tidal.com/playlist/{id}  "),
        ] {
            assert_eq!(playlist_id_from_link(&link).as_deref(), Some(id), "{link}");
        }
        for other in [
            id.to_owned(),
            format!("https://tidal.com/album/{id}"),
            format!("https://evil.example/playlist/{id}"),
            "https://tidal.com/playlist/".to_owned(),
            "https://tidal.com/playlist/a%2Fb".to_owned(),
            "spotify:playlist:abc".to_owned(),
        ] {
            assert_eq!(playlist_id_from_link(&other), None, "{other}");
        }
    }
}
