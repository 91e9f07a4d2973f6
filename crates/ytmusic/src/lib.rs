//! YouTube Music for musync: own playlists (read and write), saved ones
//! (read-only), Liked Music as `liked`, search, adds, likes, removals and
//! new playlists, through InnerTube — the private API of the web app at
//! music.youtube.com (research: services-wave2.md §1).
//!
//! - **Sign-in.** There is no public API and OAuth no longer works for
//!   these endpoints, so musync holds a browser session: a window at
//!   music.youtube.com ([`sign_in_with_browser`], via `musync-browser`) or a
//!   Netscape cookies.txt ([`sign_in_with_cookies`]). The session is checked
//!   before anything is stored. Only youtube.com cookies are kept.
//! - **Requests.** `POST {MUSYNC_YTMUSIC_URL}/youtubei/v1/<endpoint>` with a
//!   `WEB_REMIX` context dated `1.YYYYMMDD.01.00`, every session cookie,
//!   `Authorization: SAPISIDHASH <ts>_<sha1("ts SAPISID origin")>` (from
//!   `SAPISID`, else `__Secure-3PAPISID`), the same origin in
//!   `Origin`/`X-Origin`, and `X-Goog-AuthUser`.
//! - **Sessions die.** Google rotates cookies through `Set-Cookie`: each is
//!   taken at once and saved. A dead session answers 200 signed out; that is
//!   "sign in again", never an empty library.
//! - **Writes.** `edit_playlist` refuses a whole batch holding a song the
//!   playlist has, so adds send only what it lacks; likes are one
//!   `like/like` per song; Liked Music is never edited as a playlist;
//!   removals use each occurrence's set-video id; creation is paced and
//!   "too many playlists" stops at once. Playlists hold at most 5,000.
#![warn(missing_docs)]

mod client;
mod error;
mod parse;
mod registry;
mod service;
mod session;
mod signin;

pub use client::ClientOptions;
pub use registry::{CAPABILITIES, INFO, KIND};
pub use service::{ADD_MAX_BATCH, LIKED_ID, LIKED_NAME, PLAYLIST_MAX, YtMusicService};
pub use signin::{sign_in_with_browser, sign_in_with_cookies};

use musync_core::{ErrorKind, ServiceError};

/// The environment variable naming the web host.
pub const URL_ENV: &str = "MUSYNC_YTMUSIC_URL";
/// The real web host.
pub const DEFAULT_URL: &str = "https://music.youtube.com";
/// `search`'s `params` for the songs filter.
pub const SONGS_FILTER: &str = "EgWKAQIIAWoMEA4QChADEAQQCRAF";

/// `scheme://host[:port]` of a base URL, which requests name as their
/// origin.
pub(crate) fn origin_of(base: &str) -> Result<String, ServiceError> {
    url::Url::parse(base)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
        .map(|u| u.origin().ascii_serialization())
        .ok_or_else(|| {
            ServiceError::new(
                ErrorKind::InvalidInput,
                error::SERVICE,
                "opening the account",
                format!("{base:?} is not an http(s) address; check {URL_ENV}"),
            )
        })
}

/// The playlist id in a link a person pastes: `music.youtube.com` or
/// `youtube.com` addresses with `list=ID` (`playlist?list=`, `watch?…&list=`)
/// or `/browse/VLID`; `LM` is `liked`. `None` for anything else.
pub fn playlist_id_from_link(text: &str) -> Option<String> {
    let u = url::Url::parse(text.trim()).ok()?;
    let host = u.host_str()?.to_ascii_lowercase();
    if !(host == "youtube.com" || host.ends_with(".youtube.com") || host == "youtu.be") {
        return None;
    }
    let id = u
        .query_pairs()
        .find(|(k, _)| k == "list")
        .map(|(_, v)| v.into_owned())
        .or_else(|| {
            let path = u.path();
            path.strip_prefix("/browse/")
                .map(|rest| rest.trim_end_matches('/').to_owned())
        })?;
    let id = id.strip_prefix("VL").map(str::to_owned).unwrap_or(id);
    if id.is_empty()
        || !id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return None;
    }
    Some(if id == "LM" {
        service::LIKED_ID.to_owned()
    } else {
        id
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_give_playlist_ids() {
        let id = |s: &str| playlist_id_from_link(s);
        assert_eq!(
            id("https://music.youtube.com/playlist?list=PLabc_-1").as_deref(),
            Some("PLabc_-1")
        );
        assert_eq!(
            id("https://www.youtube.com/watch?v=x&list=PLq").as_deref(),
            Some("PLq")
        );
        assert_eq!(
            id("https://music.youtube.com/browse/VLPLz").as_deref(),
            Some("PLz")
        );
        assert_eq!(
            id("https://music.youtube.com/playlist?list=LM").as_deref(),
            Some("liked")
        );
        assert_eq!(id("https://open.spotify.com/playlist/x"), None);
        assert_eq!(id("PLabc"), None);
        assert_eq!(id("https://music.youtube.com/watch?v=x"), None);
    }

    #[test]
    fn origins_drop_paths() {
        assert_eq!(
            origin_of("http://127.0.0.1:8080/x/").unwrap(),
            "http://127.0.0.1:8080"
        );
        assert_eq!(
            origin_of("https://music.youtube.com").unwrap(),
            "https://music.youtube.com"
        );
        assert!(origin_of("music.youtube.com").is_err());
    }
}
