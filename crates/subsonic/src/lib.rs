//! Subsonic and OpenSubsonic servers for musync (Navidrome, Gonic,
//! Airsonic, Supysonic, Ampache, LMS, Nextcloud Music …): the user's
//! playlists (others' public ones read-only) and starred songs, read and
//! write; songs found with `search3`; new playlists; removals by index.
//!
//! What the real servers force (see README.md):
//! - `--url` is the server's base address; musync adds `/rest/`.
//! - Credentials: the md5 token with a fresh salt first, the hex password
//!   (`p=enc:`) where the server refuses tokens (Supysonic answers error
//!   10, LDAP/hashed-password servers 41 or 42), or an OpenSubsonic API key
//!   sent without `u`. What worked is kept per account.
//! - `createPlaylist` may answer without the new playlist (API < 1.14):
//!   the list is read again to find it.
//! - Starring a song that is already starred fails on Supysonic: the
//!   starred songs are read first and only new ones are sent.
//! - Searches send the title alone, in its original case, without version
//!   suffixes; a miss reads the library once and compares folded titles.
//! - Writes are sent once; a server that cannot be reached ends the run
//!   with one clear error, never a URL (it carries the credentials).
#![warn(missing_docs)]

mod auth;
mod client;
mod convert;
mod error;
mod model;
mod registry;
mod search;
mod service;

pub use auth::{AuthMethod, token};
pub use client::Timing;
pub use registry::{CAPABILITIES, INFO, KIND, SubsonicSignIn, sign_in};
pub use service::{Connection, SubsonicService};

/// The id of the starred songs (the library playlist).
pub const STARRED_ID: &str = "starred";
/// The name musync shows for them.
pub const STARRED_NAME: &str = "Starred";
/// Most songs one add or removal sends (long GET addresses fail on some
/// servers around 1,600 ids; 200 is what Navidrome inserts per chunk).
pub const MAX_BATCH: usize = 200;

/// The playlist id in an address a person pastes: Navidrome's web player
/// (`…/app/#/playlist/ID/show`), Supysonic's (`…/playlist/ID`), or a REST
/// call (`…/rest/getPlaylist?id=ID`).
pub fn playlist_id_from_link(text: &str) -> Option<String> {
    let text = text.trim();
    let url = url::Url::parse(text).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    let valid = |id: &str| {
        let id = id.trim();
        (!id.is_empty() && !id.contains([':', '/', ' '])).then(|| id.to_owned())
    };
    if url
        .path()
        .trim_end_matches(".view")
        .ends_with("/rest/getPlaylist")
    {
        return url
            .query_pairs()
            .find(|(k, _)| k == "id")
            .and_then(|(_, v)| valid(&v));
    }
    let after = |path: &str| -> Option<String> {
        let mut parts = path.split('/').filter(|p| !p.is_empty());
        while let Some(p) = parts.next() {
            if p == "playlist" || p == "playlists" {
                return parts.next().and_then(valid);
            }
        }
        None
    };
    url.fragment().and_then(after).or_else(|| after(url.path()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_people_paste_give_the_playlist_id() {
        assert_eq!(
            playlist_id_from_link("https://nd.example/app/#/playlist/4Hc2x9Pq/show").as_deref(),
            Some("4Hc2x9Pq")
        );
        assert_eq!(
            playlist_id_from_link(
                "http://127.0.0.1:5000/playlist/217e6cdf-8e2d-4a6e-9b3c-6a1b2c3d4e5f"
            )
            .as_deref(),
            Some("217e6cdf-8e2d-4a6e-9b3c-6a1b2c3d4e5f")
        );
        assert_eq!(
            playlist_id_from_link("https://h/rest/getPlaylist.view?id=pl-abc&u=x").as_deref(),
            Some("pl-abc")
        );
        assert_eq!(
            playlist_id_from_link("https://open.spotify.com/album/x"),
            None
        );
        assert_eq!(playlist_id_from_link("not a link"), None);
    }
}
