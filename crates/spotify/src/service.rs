//! [`SpotifyService`]: one signed-in Spotify account behind musync's
//! [`Service`] trait — playlists and Liked Songs, read and write, search,
//! new playlists.
//!
//! Limits it works within (development mode, February 2026): pages of 50,
//! searches of at most 10 results, at most 100 songs per playlist add and
//! 40 per Liked Songs save (split here, so callers only see the one
//! `add_max_batch` of 100), and track listings only for playlists the user
//! owns or collaborates on.

use crate::client::{LIBRARY_SAVE_MAX, PLAYLIST_ADD_MAX, SpotifyClient};
use crate::convert;
use crate::error::classify_api;
use crate::{DEFAULT_ACCOUNTS_URL, DEFAULT_API_URL};
use async_trait::async_trait;
use musync_core::{
    Account, Capabilities, ErrorKind, Playlist, PlaylistEntry, PlaylistId, Progress, SecretStore,
    Service, ServiceError, ServiceKind, Track,
};
use musync_oauth::Tokens;
use std::collections::HashSet;
use std::fmt;
use std::sync::Arc;

/// The playlist id of Liked Songs.
pub const LIKED_ID: &str = "liked";
/// The name musync shows for Liked Songs.
pub const LIKED_NAME: &str = "Liked Songs";

/// One Spotify account, ready to use.
pub struct SpotifyService {
    client: SpotifyClient,
    account: Account,
    user_id: String,
}

impl fmt::Debug for SpotifyService {
    // Tokens stay out of Debug output.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SpotifyService")
            .field("account", &self.account.id)
            .field("user_id", &self.user_id)
            .field("api", &self.client.base.as_str())
            .finish_non_exhaustive()
    }
}

fn setting<'a>(account: &'a Account, key: &str) -> Option<&'a str> {
    account
        .settings
        .get(key)
        .and_then(|v| v.as_str())
        .filter(|s| !s.trim().is_empty())
}

impl SpotifyService {
    /// Opens a stored account. Settings: `{"user_id", "client_id",
    /// "api_url"?, "accounts_url"?}`; secrets `access_token`,
    /// `refresh_token`, `expires_at` (Unix seconds). Endpoints come from
    /// `MUSYNC_SPOTIFY_API_URL` / `MUSYNC_SPOTIFY_ACCOUNTS_URL`, else the
    /// settings, else the real service.
    pub fn open(account: &Account, secrets: Arc<dyn SecretStore>) -> Result<Self, ServiceError> {
        let op = "opening the account";
        let Some(client_id) = setting(account, "client_id") else {
            return Err(ServiceError::new(
                ErrorKind::InvalidInput,
                "Spotify",
                op,
                format!(
                    "the account {} has no client id in its settings",
                    account.id
                ),
            )
            .with_hint(crate::error::SIGN_IN_HINT));
        };
        let user_id = setting(account, "user_id")
            .map(str::to_owned)
            .or_else(|| {
                account
                    .id
                    .as_str()
                    .strip_prefix("spotify-")
                    .map(str::to_owned)
            })
            .unwrap_or_default();
        let api_url = musync_http::endpoint(
            "MUSYNC_SPOTIFY_API_URL",
            setting(account, "api_url").unwrap_or(DEFAULT_API_URL),
        );
        let accounts_url = musync_http::endpoint(
            "MUSYNC_SPOTIFY_ACCOUNTS_URL",
            setting(account, "accounts_url").unwrap_or(DEFAULT_ACCOUNTS_URL),
        );
        let base = url::Url::parse(&api_url)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https"))
            .ok_or_else(|| {
                ServiceError::new(
                    ErrorKind::InvalidInput,
                    "Spotify",
                    op,
                    format!("the Spotify API URL {api_url:?} is not an http(s) URL"),
                )
            })?;

        let tokens = Arc::new(Tokens::open(
            crate::token::endpoint(&accounts_url, client_id)?,
            &account.id,
            secrets,
            op,
        )?);
        let http = musync_http::Client::builder("Spotify")
            .classify(classify_api)
            .session_refresh(tokens.session_refresh())
            .build()?;
        Ok(SpotifyService {
            client: SpotifyClient { http, base, tokens },
            account: account.clone(),
            user_id,
        })
    }

    /// The Spotify user id of this account.
    pub fn user_id(&self) -> &str {
        &self.user_id
    }
}

/// A Spotify playlist id from what a user may paste: the bare id, a
/// `spotify:playlist:` URI or an `open.spotify.com/playlist/` link.
fn playlist_id(p: &PlaylistId, op: &str) -> Result<String, ServiceError> {
    let raw = p.as_str().trim();
    let id = raw
        .strip_prefix("spotify:playlist:")
        .or_else(|| {
            raw.split_once("open.spotify.com/playlist/")
                .map(|(_, rest)| rest.split(['?', '/', '#']).next().unwrap_or(""))
        })
        .unwrap_or(raw);
    if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(ServiceError::new(
            ErrorKind::InvalidInput,
            "Spotify",
            op,
            format!("{raw:?} is not a Spotify playlist id; `musync playlists ACCOUNT` lists them"),
        ));
    }
    Ok(id.to_owned())
}

fn is_liked(p: &PlaylistId) -> bool {
    p.as_str() == LIKED_ID
}

/// Search queries for `t`, most precise first: its ISRC (when known), then
/// title and main artist as field filters, then plain text.
pub(crate) fn search_queries(t: &Track) -> Vec<String> {
    let clean = |s: &str| {
        s.replace('"', " ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let title = clean(&musync_core::title_without_featuring(&t.title));
    let artist = clean(t.artists.first().map(|a| a.as_str()).unwrap_or(&t.artist));
    let mut qs = Vec::new();
    if let Some(isrc) = &t.isrc {
        qs.push(format!("isrc:{isrc}"));
    }
    if !title.is_empty() {
        qs.push(if artist.is_empty() {
            format!("track:\"{title}\"")
        } else {
            format!("track:\"{title}\" artist:\"{artist}\"")
        });
        let plain = clean(&format!("{} {}", t.title, artist));
        qs.push(plain);
    }
    qs
}

/// The `spotify:track:` URIs of `tracks`, or an error naming the first
/// track without one (nothing is sent then).
fn track_uris(tracks: &[Track], op: &str) -> Result<Vec<String>, ServiceError> {
    tracks
        .iter()
        .map(|t| match t.id.as_ref().map(|i| i.as_str()) {
            Some(uri) if uri.starts_with("spotify:track:") && uri.len() > 14 => Ok(uri.to_owned()),
            _ => Err(ServiceError::new(
                ErrorKind::InvalidInput,
                "Spotify",
                op,
                format!(
                    "\"{}\" has no Spotify track id; only songs found by searching Spotify can be added",
                    t.label()
                ),
            )),
        })
        .collect()
}

#[async_trait]
impl Service for SpotifyService {
    fn kind(&self) -> ServiceKind {
        crate::KIND
    }

    fn capabilities(&self) -> Capabilities {
        crate::CAPABILITIES
    }

    /// Liked Songs first, then every playlist in the user's library.
    async fn playlists(&self) -> Result<Vec<Playlist>, ServiceError> {
        let liked_total = self.client.saved_total().await?;
        let mut out = vec![Playlist {
            id: PlaylistId::new(LIKED_ID),
            name: LIKED_NAME.to_owned(),
            writable: true,
            track_count: liked_total,
            owned: true,
        }];
        let mut seen = HashSet::new();
        for p in self.client.my_playlists().await? {
            if seen.insert(p.id.clone()) {
                out.push(convert::playlist(p, &self.user_id));
            }
        }
        Ok(out)
    }

    async fn tracks(
        &self,
        playlist: &PlaylistId,
        progress: &dyn Progress,
    ) -> Result<Vec<Track>, ServiceError> {
        if is_liked(playlist) {
            let items = self.client.saved_tracks(progress).await?;
            return Ok(items
                .into_iter()
                .flatten()
                .filter_map(convert::saved_track)
                .collect());
        }
        let id = playlist_id(playlist, "reading a playlist")?;
        let items = self
            .client
            .playlist_items(&id, progress)
            .await
            .map_err(|mut e| {
                if e.kind == ErrorKind::PermissionDenied
                    && e.message != crate::error::NOT_REGISTERED
                {
                    e.message = "Spotify lists the songs only of playlists you own or \
                                 collaborate on (development-mode apps, since February 2026); \
                                 to sync this one, copy it into a playlist of your own in the \
                                 Spotify app"
                        .to_owned();
                }
                e
            })?;
        Ok(items
            .into_iter()
            .flatten()
            .filter_map(convert::playlist_item)
            .collect())
    }

    /// Candidates for `track`: an ISRC query first when the track has one
    /// (an exact hit ends the search), then title and artist as field
    /// filters, then plain text; unique, in that order. A miss by ISRC is
    /// never "not found": reissues carry other ISRCs.
    async fn search(&self, track: &Track) -> Result<Vec<Track>, ServiceError> {
        let mut out: Vec<Track> = Vec::new();
        let mut seen = HashSet::new();
        for q in search_queries(track) {
            let is_isrc = q.starts_with("isrc:");
            for hit in self.client.search_tracks(&q).await? {
                if let Some(t) = convert::track(hit)
                    && seen.insert(t.id.clone())
                {
                    out.push(t);
                }
            }
            if is_isrc && out.iter().any(|c| c.isrc.is_some() && c.isrc == track.isrc) {
                break;
            }
        }
        Ok(out)
    }

    /// Appends in order: playlists by `POST /playlists/{id}/items` in
    /// batches of 100; Liked Songs by `PUT /me/library` in batches of 40.
    async fn add(&self, playlist: &PlaylistId, tracks: &[Track]) -> Result<(), ServiceError> {
        if is_liked(playlist) {
            let uris = track_uris(tracks, "adding songs to Liked Songs")?;
            for chunk in uris.chunks(LIBRARY_SAVE_MAX) {
                self.client.save_to_library(chunk).await?;
            }
            return Ok(());
        }
        let id = playlist_id(playlist, "adding songs to a playlist")?;
        let uris = track_uris(tracks, "adding songs to a playlist")?;
        for chunk in uris.chunks(PLAYLIST_ADD_MAX) {
            self.client.add_items(&id, chunk).await?;
        }
        Ok(())
    }

    /// Liked Songs by `DELETE /me/library` (a song is liked once); a
    /// playlist by URI and position, from the end, so each position is
    /// still the one read, in batches of 100.
    async fn remove(
        &self,
        playlist: &PlaylistId,
        entries: &[PlaylistEntry],
    ) -> Result<(), ServiceError> {
        let tracks: Vec<Track> = entries.iter().map(|e| e.track.clone()).collect();
        if is_liked(playlist) {
            let uris = track_uris(&tracks, "removing songs from Liked Songs")?;
            for chunk in uris.chunks(LIBRARY_SAVE_MAX) {
                self.client.remove_from_library(chunk).await?;
            }
            return Ok(());
        }
        let id = playlist_id(playlist, "removing songs from a playlist")?;
        let uris = track_uris(&tracks, "removing songs from a playlist")?;
        let mut items: Vec<(String, usize)> = uris
            .into_iter()
            .zip(entries.iter().map(|e| e.position))
            .collect();
        items.sort_by_key(|(_, p)| std::cmp::Reverse(*p));
        for chunk in items.chunks(PLAYLIST_ADD_MAX) {
            let batch: Vec<(String, Vec<usize>)> =
                chunk.iter().map(|(u, p)| (u.clone(), vec![*p])).collect();
            self.client.remove_items(&id, &batch).await?;
        }
        Ok(())
    }

    async fn create_playlist(&self, name: &str) -> Result<Playlist, ServiceError> {
        if name.trim().is_empty() {
            return Err(ServiceError::new(
                ErrorKind::InvalidInput,
                "Spotify",
                "creating a playlist",
                "a playlist needs a name",
            ));
        }
        let created = self.client.create_playlist(name.trim()).await?;
        let mut p = convert::playlist(created, &self.user_id);
        p.writable = true; // the user just created it
        p.track_count = p.track_count.or(Some(0));
        Ok(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_go_from_isrc_to_fields_to_text() {
        let t = Track::new(
            "Get Lucky (feat. Pharrell Williams)",
            "Daft Punk, Pharrell Williams",
        )
        .with_isrc("USQX91300108");
        assert_eq!(
            search_queries(&t),
            vec![
                "isrc:USQX91300108".to_owned(),
                "track:\"Get Lucky\" artist:\"Daft Punk\"".to_owned(),
                "Get Lucky (feat. Pharrell Williams) Daft Punk".to_owned(),
            ]
        );
        let t = Track::new("Say \"Hello\" [Live]", "");
        assert_eq!(
            search_queries(&t),
            vec![
                "track:\"Say Hello [Live]\"".to_owned(),
                "Say Hello [Live]".to_owned()
            ]
        );
    }

    #[test]
    fn playlist_ids_from_uris_and_links() {
        let op = "x";
        assert_eq!(
            playlist_id(&PlaylistId::new("37i9dQZF1DXcBWIGoYBM5M"), op).unwrap(),
            "37i9dQZF1DXcBWIGoYBM5M"
        );
        assert_eq!(
            playlist_id(&PlaylistId::new("spotify:playlist:abc123"), op).unwrap(),
            "abc123"
        );
        assert_eq!(
            playlist_id(
                &PlaylistId::new("https://open.spotify.com/playlist/abc123?si=xyz"),
                op
            )
            .unwrap(),
            "abc123"
        );
        let e = playlist_id(&PlaylistId::new("../me/tracks"), op).unwrap_err();
        assert_eq!(e.kind, ErrorKind::InvalidInput);
        assert!(e.message.contains("not a Spotify playlist id"));
    }

    #[test]
    fn adds_refuse_tracks_without_spotify_ids() {
        let ok = Track::new("a", "b").with_id("spotify:track:1");
        let bad = Track::new("Song", "Artist").with_id("/music/song.mp3");
        let e = track_uris(&[ok.clone(), bad], "adding").unwrap_err();
        assert!(e.message.contains("Artist - Song"), "{}", e.message);
        assert_eq!(
            track_uris(&[ok], "adding").unwrap(),
            vec!["spotify:track:1"]
        );
    }
}
