//! [`LastfmService`]: one Last.fm account seen through musync's
//! [`Service`] trait.
//!
//! An account has two playlists: `loved` (the user's loved tracks, which
//! musync can add to with `track.love`) and `recent` (the latest scrobbles,
//! read-only, without the track playing right now). Both are listed newest
//! first, as Last.fm shows them. Last.fm accepts loves for songs it has never
//! heard of, hence `add_unlisted`; whether to offer that is the engine's
//! call, never an automatic pick.

use crate::client::{LastfmClient, LastfmTuning, SERVICE};
use crate::convert;
use crate::error::SIGN_IN_HINT;
use crate::{API_URL_ENV, DEFAULT_API_URL};
use async_trait::async_trait;
use musync_core::{
    Account, Capabilities, ErrorKind, Playlist, PlaylistEntry, PlaylistId, Progress, Secret,
    SecretStore, Service, ServiceError, ServiceKind, Track,
};
use serde::Deserialize;
use std::collections::HashSet;
use std::fmt;
use std::sync::Arc;

/// Id of the loved tracks playlist.
pub const LOVED: &str = "loved";
/// Id of the recent tracks playlist.
pub const RECENT: &str = "recent";

/// Loved tracks per page: the most `user.getLovedTracks` hands out.
const LOVED_PAGE: u64 = 1000;
/// Scrobbles per page: the documented maximum of `user.getRecentTracks`.
const RECENT_PAGE: u64 = 200;
/// How many of the latest scrobbles make up `recent` unless the account's
/// settings say otherwise: a long history holds hundreds of thousands.
pub const DEFAULT_RECENT_LIMIT: u64 = 1000;
/// Candidates asked of `track.search`.
const SEARCH_LIMIT: u64 = 20;

/// The account's non-secret settings, as stored with it.
#[derive(Deserialize)]
struct Settings {
    username: String,
    #[serde(default)]
    api_url: Option<String>,
    #[serde(default)]
    recent_limit: Option<u64>,
}

/// One Last.fm account: read loved and recent tracks, search, love.
pub struct LastfmService {
    client: LastfmClient,
    username: String,
    api_url: String,
    session_key: Secret,
    recent_limit: u64,
}

impl fmt::Debug for LastfmService {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LastfmService")
            .field("username", &self.username)
            .field("api_url", &self.api_url)
            .field("recent_limit", &self.recent_limit)
            .finish_non_exhaustive()
    }
}

fn missing_secret(account: &Account, key: &str) -> ServiceError {
    ServiceError::new(
        ErrorKind::AuthExpired,
        SERVICE,
        "opening the account",
        format!("the Last.fm {key} of {} is not stored", account.id),
    )
    .with_hint(SIGN_IN_HINT)
}

impl LastfmService {
    /// Opens `account` with its secrets `api_key`, `api_secret` and
    /// `session_key`. Settings: `{"username": …, "api_url"?: …,
    /// "recent_limit"?: …}`. The API root is `MUSYNC_LASTFM_API_URL` when
    /// set, else the settings' `api_url`, else [`DEFAULT_API_URL`].
    pub fn open(account: &Account, secrets: Arc<dyn SecretStore>) -> Result<Self, ServiceError> {
        Self::open_with(account, secrets, LastfmTuning::default())
    }

    /// [`LastfmService::open`] with explicit pacing and retry settings.
    pub fn open_with(
        account: &Account,
        secrets: Arc<dyn SecretStore>,
        tuning: LastfmTuning,
    ) -> Result<Self, ServiceError> {
        let op = "opening the account";
        if account.service != crate::KIND {
            return Err(ServiceError::new(
                ErrorKind::InvalidInput,
                SERVICE,
                op,
                format!("{} is a {} account", account.id, account.service),
            ));
        }
        let settings: Settings = serde_json::from_value(account.settings.clone()).map_err(|e| {
            ServiceError::new(
                ErrorKind::InvalidInput,
                SERVICE,
                op,
                format!("the settings of {} are unreadable ({e})", account.id),
            )
            .with_hint(SIGN_IN_HINT)
        })?;
        let read = |key: &str| -> Result<Secret, ServiceError> {
            match secrets.get(&account.id, key) {
                Ok(Some(s)) if !s.expose().is_empty() => Ok(s),
                Ok(_) => Err(missing_secret(account, key)),
                Err(e) => Err(ServiceError::new(
                    ErrorKind::Io,
                    SERVICE,
                    op,
                    format!(
                        "could not read the {key} of {} from the {} secret store",
                        account.id,
                        secrets.backend()
                    ),
                )
                .with_source(e)),
            }
        };
        let api_key = read("api_key")?;
        let api_secret = read("api_secret")?;
        let session_key = read("session_key")?;
        let api_url = resolve_api_url(std::env::var(API_URL_ENV).ok(), settings.api_url.as_deref());
        let client = LastfmClient::new(api_url.clone(), api_key, api_secret, tuning)?;
        Ok(LastfmService {
            client,
            username: settings.username,
            api_url,
            session_key,
            recent_limit: settings.recent_limit.unwrap_or(DEFAULT_RECENT_LIMIT).max(1),
        })
    }

    /// The Last.fm user name of the account.
    pub fn username(&self) -> &str {
        &self.username
    }

    async fn read_loved(&self, progress: &dyn Progress) -> Result<Vec<Track>, ServiceError> {
        let mut out = Vec::new();
        // Last.fm treats loves as a set; a love arriving while we page
        // shifts the pages, so the same track may show up twice.
        let mut seen = HashSet::new();
        let mut page = 1;
        let mut last_page = 1;
        while page <= last_page {
            let p = self
                .client
                .loved_page(&self.username, page, LOVED_PAGE)
                .await?;
            if page == 1 {
                last_page = p.attr.total_pages;
                progress.set_total(p.attr.total);
            }
            let tracks = p.track.into_vec();
            progress.message(&format!("page {page} of {}", last_page.max(page)));
            progress.advance(tracks.len() as u64);
            if tracks.is_empty() {
                break;
            }
            for t in tracks.into_iter().map(convert::loved) {
                if seen.insert((t.artist.to_lowercase(), t.title.to_lowercase())) {
                    out.push(t);
                }
            }
            page += 1;
        }
        Ok(out)
    }

    async fn read_recent(&self, progress: &dyn Progress) -> Result<Vec<Track>, ServiceError> {
        let mut out = Vec::new();
        let mut page = 1;
        let mut last_page = 1;
        let per_page = RECENT_PAGE.min(self.recent_limit);
        while page <= last_page && (out.len() as u64) < self.recent_limit {
            let p = self
                .client
                .recent_page(&self.username, page, per_page)
                .await?;
            if page == 1 {
                last_page = p.attr.total_pages;
                progress.set_total(p.attr.total.min(self.recent_limit));
            }
            let room = (self.recent_limit - out.len() as u64) as usize;
            let tracks: Vec<Track> = p
                .track
                .into_vec()
                .into_iter()
                .filter_map(convert::recent)
                .take(room)
                .collect();
            progress.message(&format!("page {page} of {}", last_page.max(page)));
            progress.advance(tracks.len() as u64);
            if tracks.is_empty() {
                break;
            }
            out.extend(tracks);
            page += 1;
        }
        Ok(out)
    }
}

/// The API root: the environment's value when set, else the account's
/// `api_url` setting, else the real Last.fm; blanks count as unset.
fn resolve_api_url(env: Option<String>, settings: Option<&str>) -> String {
    let given = |v: &str| Some(v.trim().to_owned()).filter(|v| !v.is_empty());
    env.as_deref()
        .and_then(given)
        .or_else(|| settings.and_then(given))
        .unwrap_or_else(|| DEFAULT_API_URL.to_owned())
}

/// The searches to try for a track, most specific first: the title with
/// the whole artist string, with only the first artist (Last.fm files
/// "A feat. B" under A), and the title without a bracketed or dashed
/// qualifier ("Song (feat. X)", "Song - 2011 Remaster"). Stops at the first
/// that finds anything.
fn search_queries(track: &Track) -> Vec<(String, Option<String>)> {
    let title = track.title.trim().to_owned();
    let display = Some(track.artist.trim().to_owned()).filter(|a| !a.is_empty());
    let first = track
        .artists
        .first()
        .map(|a| a.trim().to_owned())
        .filter(|a| !a.is_empty())
        .or_else(|| display.clone());
    let base = base_title(&title);
    let mut queries = vec![(title.clone(), display.clone())];
    queries.push((title.clone(), first.clone()));
    if !base.is_empty() && base != title {
        queries.push((base, first));
    }
    let mut unique = Vec::new();
    for q in queries {
        if !q.0.is_empty() && !unique.contains(&q) {
            unique.push(q);
        }
    }
    unique
}

/// The title without a trailing `(…)`, `[…]` or ` - …` qualifier.
fn base_title(title: &str) -> String {
    let mut cut = title.len();
    for marker in [" (", " [", " - "] {
        if let Some(i) = title.find(marker) {
            cut = cut.min(i);
        }
    }
    title[..cut].trim().to_owned()
}

#[async_trait]
impl Service for LastfmService {
    fn kind(&self) -> ServiceKind {
        crate::KIND
    }

    fn capabilities(&self) -> Capabilities {
        crate::CAPABILITIES
    }

    async fn playlists(&self) -> Result<Vec<Playlist>, ServiceError> {
        // One-item pages just to read the totals.
        let loved = self.client.loved_page(&self.username, 1, 1).await?;
        let recent = self.client.recent_page(&self.username, 1, 1).await?;
        Ok(vec![
            Playlist {
                id: PlaylistId::new(LOVED),
                name: "Loved tracks".to_owned(),
                writable: true,
                track_count: Some(loved.attr.total),
                owned: true,
            },
            Playlist {
                id: PlaylistId::new(RECENT),
                name: "Recent tracks".to_owned(),
                writable: false,
                track_count: Some(recent.attr.total.min(self.recent_limit)),
                // A listening history, not a playlist anyone made.
                owned: false,
            },
        ])
    }

    async fn tracks(
        &self,
        playlist: &PlaylistId,
        progress: &dyn Progress,
    ) -> Result<Vec<Track>, ServiceError> {
        match playlist.as_str() {
            LOVED => self.read_loved(progress).await,
            RECENT => self.read_recent(progress).await,
            other => Err(no_such_playlist(other, "reading tracks")),
        }
    }

    async fn search(&self, track: &Track) -> Result<Vec<Track>, ServiceError> {
        for (title, artist) in search_queries(track) {
            let hits = self
                .client
                .search(&title, artist.as_deref(), SEARCH_LIMIT)
                .await?;
            if !hits.is_empty() {
                return Ok(hits.into_iter().map(convert::search_hit).collect());
            }
        }
        Ok(Vec::new())
    }

    async fn add(&self, playlist: &PlaylistId, tracks: &[Track]) -> Result<(), ServiceError> {
        let op = "loving a track";
        match playlist.as_str() {
            LOVED => {}
            RECENT => {
                return Err(ServiceError::new(
                    ErrorKind::PermissionDenied,
                    SERVICE,
                    op,
                    "recent tracks are the listening history and cannot be added to; sync into `loved` instead",
                ));
            }
            other => return Err(no_such_playlist(other, op)),
        }
        // Check every track before loving any, so bad input writes nothing.
        let mut loves = Vec::with_capacity(tracks.len());
        for t in tracks {
            let artist = if t.artist.trim().is_empty() {
                t.artists.join(", ")
            } else {
                t.artist.to_string()
            };
            let (artist, title) = (artist.trim().to_owned(), t.title.trim().to_owned());
            if artist.is_empty() || title.is_empty() {
                return Err(ServiceError::new(
                    ErrorKind::InvalidInput,
                    SERVICE,
                    op,
                    format!(
                        "cannot love {} - {}: Last.fm needs both an artist and a title",
                        if artist.is_empty() {
                            "(no artist)"
                        } else {
                            &artist
                        },
                        if title.is_empty() {
                            "(no title)"
                        } else {
                            &title
                        },
                    ),
                ));
            }
            loves.push((artist, title));
        }
        for (artist, title) in loves {
            tracing::debug!(artist, title, "loving on Last.fm");
            self.client.love(&self.session_key, &artist, &title).await?;
        }
        Ok(())
    }

    /// Unloves each entry's song (`track.unlove`); a song is loved once, so
    /// the one occurrence is the song. Only `loved` can lose songs.
    async fn remove(
        &self,
        playlist: &PlaylistId,
        entries: &[PlaylistEntry],
    ) -> Result<(), ServiceError> {
        let op = "unloving a track";
        match playlist.as_str() {
            LOVED => {}
            RECENT => {
                return Err(ServiceError::new(
                    ErrorKind::PermissionDenied,
                    SERVICE,
                    op,
                    "recent tracks are the listening history; nothing can be removed from it",
                ));
            }
            other => return Err(no_such_playlist(other, op)),
        }
        for e in entries {
            let t = &e.track;
            let artist = if t.artist.trim().is_empty() {
                t.artists.join(", ")
            } else {
                t.artist.to_string()
            };
            tracing::debug!(artist, title = t.title.as_str(), "unloving on Last.fm");
            self.client
                .unlove(&self.session_key, artist.trim(), t.title.trim())
                .await?;
        }
        Ok(())
    }
}

fn no_such_playlist(id: &str, op: &str) -> ServiceError {
    ServiceError::new(
        ErrorKind::NotFound,
        SERVICE,
        op,
        format!("Last.fm has no playlist {id:?}; its playlists are `{LOVED}` and `{RECENT}`"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_tries_display_artist_first_artist_then_bare_title() {
        let t = Track::new(
            "Get Lucky (feat. Pharrell Williams)",
            "Daft Punk, Pharrell Williams",
        );
        let q = search_queries(&t);
        assert_eq!(
            q,
            vec![
                (
                    "Get Lucky (feat. Pharrell Williams)".to_owned(),
                    Some("Daft Punk, Pharrell Williams".to_owned())
                ),
                (
                    "Get Lucky (feat. Pharrell Williams)".to_owned(),
                    Some("Daft Punk".to_owned())
                ),
                ("Get Lucky".to_owned(), Some("Daft Punk".to_owned())),
            ]
        );
        let plain = search_queries(&Track::new("Hurt", "Johnny Cash"));
        assert_eq!(
            plain,
            vec![("Hurt".to_owned(), Some("Johnny Cash".to_owned()))]
        );
        assert!(search_queries(&Track::new("  ", "X")).is_empty());
    }

    #[test]
    fn api_url_comes_from_env_then_settings_then_default() {
        let proxy = Some("http://proxy/2.0/".to_owned());
        assert_eq!(
            resolve_api_url(proxy.clone(), Some("http://saved/2.0/")),
            "http://proxy/2.0/"
        );
        assert_eq!(
            resolve_api_url(Some("  ".to_owned()), Some("http://saved/2.0/")),
            "http://saved/2.0/"
        );
        assert_eq!(resolve_api_url(None, Some("")), DEFAULT_API_URL);
        assert_eq!(resolve_api_url(None, None), DEFAULT_API_URL);
    }

    #[test]
    fn base_title_cuts_the_first_qualifier() {
        assert_eq!(base_title("Dreams - 2004 Remaster"), "Dreams");
        assert_eq!(base_title("Halo [Live] (Remix)"), "Halo");
        assert_eq!(base_title("Don't Stop Believin'"), "Don't Stop Believin'");
    }
}
