//! Spotify's JSON, shaped exactly like the Web API and accounts service
//! answer it. Everything the API may omit or null is an `Option` or
//! defaulted, and unknown fields are ignored, so Spotify adding or removing
//! fields (as it did in February 2026) does not break decoding. Only
//! `convert.rs` turns these into musync's types.

use serde::Deserialize;

/// A paging object: one page of `items` plus where the next one is.
#[derive(Debug, Deserialize)]
pub(crate) struct Paging<T> {
    /// Always present in a paging object (empty at the end); a 200 without
    /// it is not a page, never read as an empty playlist.
    pub items: Vec<Option<T>>,
    #[serde(default)]
    pub next: Option<String>,
    #[serde(default)]
    pub total: Option<u64>,
    #[serde(default)]
    pub offset: Option<u64>,
}

/// `GET /me`.
#[derive(Debug, Deserialize)]
pub(crate) struct User {
    pub id: String,
    #[serde(default)]
    pub display_name: Option<String>,
}

/// A playlist's `{href, total}` summary.
#[derive(Debug, Deserialize)]
pub(crate) struct ItemsSummary {
    #[serde(default)]
    pub total: Option<u64>,
}

/// The playlist owner.
#[derive(Debug, Deserialize)]
pub(crate) struct Owner {
    #[serde(default)]
    pub id: Option<String>,
}

/// A simplified playlist, as `GET /me/playlists` and `POST /me/playlists`
/// answer. Since February 2026 the summary is `items`; before, `tracks`.
#[derive(Debug, Deserialize)]
pub(crate) struct Playlist {
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub owner: Option<Owner>,
    #[serde(default)]
    pub collaborative: bool,
    #[serde(default)]
    pub items: Option<ItemsSummary>,
    #[serde(default)]
    pub tracks: Option<ItemsSummary>,
}

/// One entry of a playlist: `item` since February 2026, `track` before.
#[derive(Debug, Deserialize)]
pub(crate) struct PlaylistItem {
    #[serde(default)]
    pub is_local: bool,
    #[serde(default)]
    pub item: Option<Playable>,
    #[serde(default)]
    pub track: Option<Playable>,
}

/// One entry of Liked Songs (`GET /me/tracks`).
#[derive(Debug, Deserialize)]
pub(crate) struct SavedTrack {
    #[serde(default)]
    pub track: Option<Playable>,
    #[serde(default)]
    pub item: Option<Playable>,
}

/// A track or an episode; `type` tells which.
#[derive(Debug, Deserialize)]
pub(crate) struct Playable {
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub uri: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub artists: Vec<Artist>,
    #[serde(default)]
    pub album: Option<Album>,
    #[serde(default)]
    pub duration_ms: Option<u64>,
    #[serde(default)]
    pub external_ids: Option<ExternalIds>,
    #[serde(default)]
    pub is_local: bool,
}

/// A simplified artist.
#[derive(Debug, Deserialize)]
pub(crate) struct Artist {
    #[serde(default)]
    pub name: Option<String>,
}

/// A simplified album.
#[derive(Debug, Deserialize)]
pub(crate) struct Album {
    #[serde(default)]
    pub name: Option<String>,
}

/// `external_ids`: the ISRC is all we read.
#[derive(Debug, Deserialize)]
pub(crate) struct ExternalIds {
    #[serde(default)]
    pub isrc: Option<String>,
}

/// `GET /search?type=track`.
#[derive(Debug, Deserialize)]
pub(crate) struct SearchResult {
    #[serde(default)]
    pub tracks: Option<Paging<Playable>>,
}

/// The accounts service's OAuth error (`{"error", "error_description"}`).
#[derive(Debug, Deserialize)]
pub(crate) struct OAuthError {
    pub error: String,
    #[serde(default)]
    pub error_description: Option<String>,
}

/// The Web API's error object (`{"error": {"status", "message"}}`). Some
/// endpoints answer 400 with the inner object alone, so both are accepted.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(crate) enum ApiError {
    Wrapped { error: ApiErrorBody },
    Bare(ApiErrorBody),
}

/// The inner error object.
#[derive(Debug, Deserialize)]
pub(crate) struct ApiErrorBody {
    #[serde(default)]
    pub message: Option<String>,
}

impl ApiError {
    pub fn message(&self) -> Option<&str> {
        match self {
            ApiError::Wrapped { error } | ApiError::Bare(error) => error.message.as_deref(),
        }
    }
}
