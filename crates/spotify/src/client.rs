//! The Web API calls musync makes, built on the shared HTTP layer: each
//! builds its request (reading the access token when the request is sent,
//! so a renewed token is used on a retry), sends it, and decodes the wire
//! types. Paging follows `next` links while they stay on the API's own
//! origin; a link elsewhere is never sent the token, and the next page is
//! asked for by offset instead.

use crate::model as wire;
use musync_core::{ErrorKind, Progress, ServiceError};
use musync_http::{Client, HttpResponse};
use musync_oauth::Tokens;
use serde::de::DeserializeOwned;
use std::sync::Arc;
use url::Url;

/// Largest page Spotify serves for playlists, playlist items and Liked Songs.
pub(crate) const PAGE_LIMIT: usize = 50;
/// Largest search page in development mode since February 2026.
pub(crate) const SEARCH_LIMIT: usize = 10;
/// Most URIs one `POST /playlists/{id}/items` may carry.
pub(crate) const PLAYLIST_ADD_MAX: usize = 100;
/// Most URIs one `PUT /me/library` may carry.
pub(crate) const LIBRARY_SAVE_MAX: usize = 40;

/// The Web API client of one account.
pub(crate) struct SpotifyClient {
    pub http: Client,
    pub base: Url,
    pub tokens: Arc<Tokens>,
}

fn protocol(op: &str, message: impl Into<String>) -> ServiceError {
    ServiceError::new(ErrorKind::Protocol, "Spotify", op, message)
}

fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme()
        && a.host_str() == b.host_str()
        && a.port_or_known_default() == b.port_or_known_default()
}

impl SpotifyClient {
    /// `base` + `path` (path without leading slash) + query.
    pub fn url(&self, path: &str, query: &[(&str, &str)]) -> Url {
        let mut u = self.base.clone();
        {
            let mut segs = u
                .path_segments_mut()
                .expect("an http(s) base URL has a path");
            segs.pop_if_empty();
            for s in path.split('/') {
                segs.push(s);
            }
        }
        if !query.is_empty() {
            u.query_pairs_mut().extend_pairs(query);
        }
        u
    }

    /// A repeatable GET.
    pub async fn get(&self, op: &str, url: &Url) -> Result<HttpResponse, ServiceError> {
        self.tokens.ensure_fresh().await?;
        let tokens = &self.tokens;
        self.http
            .send(op, |c| {
                c.get(url.clone()).bearer_auth(tokens.access().expose())
            })
            .await
    }

    /// A repeatable GET decoded as JSON.
    pub async fn get_json<T: DeserializeOwned>(
        &self,
        op: &str,
        url: &Url,
    ) -> Result<T, ServiceError> {
        self.get(op, url).await?.json("Spotify", op)
    }

    /// Every item of a paged listing, starting at `first`. `progress` gets
    /// the total from the first page and each page's item count.
    pub async fn all_pages<T: DeserializeOwned>(
        &self,
        op: &str,
        first: Url,
        progress: &dyn Progress,
    ) -> Result<Vec<Option<T>>, ServiceError> {
        let mut out = Vec::new();
        let mut url = first;
        let mut fetched = 0u64;
        let mut total_known = false;
        loop {
            let page: wire::Paging<T> = self.get_json(op, &url).await?;
            if !total_known && let Some(total) = page.total {
                progress.set_total(total);
                total_known = true;
            }
            let n = page.items.len() as u64;
            fetched += n;
            progress.advance(n);
            out.extend(page.items);
            let Some(next) = page.next.filter(|n| !n.is_empty()) else {
                break;
            };
            if n == 0 {
                // A `next` link with an empty page would loop forever.
                return Err(protocol(
                    op,
                    format!("Spotify sent an empty page before the end ({fetched} items read)"),
                ));
            }
            url = match Url::parse(&next) {
                Ok(n) if same_origin(&n, &self.base) => n,
                _ => {
                    tracing::debug!(op, "next page link points elsewhere; asking by offset");
                    let offset = page.offset.unwrap_or(fetched - n) + n;
                    let mut u = url.clone();
                    let kept: Vec<(String, String)> = u
                        .query_pairs()
                        .filter(|(k, _)| k != "offset")
                        .map(|(k, v)| (k.into_owned(), v.into_owned()))
                        .collect();
                    u.query_pairs_mut()
                        .clear()
                        .extend_pairs(kept)
                        .append_pair("offset", &offset.to_string());
                    u
                }
            };
        }
        Ok(out)
    }

    /// Every playlist in the user's library (`GET /me/playlists`).
    pub async fn my_playlists(&self) -> Result<Vec<wire::Playlist>, ServiceError> {
        let limit = PAGE_LIMIT.to_string();
        let url = self.url("me/playlists", &[("limit", &limit)]);
        let all = self
            .all_pages::<wire::Playlist>("listing playlists", url, &musync_core::NoProgress)
            .await?;
        Ok(all.into_iter().flatten().collect())
    }

    /// Every entry of a playlist (`GET /playlists/{id}/items`).
    pub async fn playlist_items(
        &self,
        id: &str,
        progress: &dyn Progress,
    ) -> Result<Vec<Option<wire::PlaylistItem>>, ServiceError> {
        let limit = PAGE_LIMIT.to_string();
        let url = self.url(
            &format!("playlists/{id}/items"),
            &[("limit", &limit), ("additional_types", "track")],
        );
        self.all_pages("reading a playlist", url, progress).await
    }

    /// Liked Songs, newest first (`GET /me/tracks`, still the read endpoint
    /// of the saved-tracks library after February 2026).
    pub async fn saved_tracks(
        &self,
        progress: &dyn Progress,
    ) -> Result<Vec<Option<wire::SavedTrack>>, ServiceError> {
        let limit = PAGE_LIMIT.to_string();
        let url = self.url("me/tracks", &[("limit", &limit)]);
        self.all_pages("reading Liked Songs", url, progress).await
    }

    /// How many Liked Songs there are (one small request).
    pub async fn saved_total(&self) -> Result<Option<u64>, ServiceError> {
        let url = self.url("me/tracks", &[("limit", "1")]);
        let page: wire::Paging<serde_json::Value> =
            self.get_json("counting Liked Songs", &url).await?;
        Ok(page.total)
    }

    /// One search page of tracks.
    pub async fn search_tracks(&self, q: &str) -> Result<Vec<wire::Playable>, ServiceError> {
        let limit = SEARCH_LIMIT.to_string();
        let url = self.url("search", &[("q", q), ("type", "track"), ("limit", &limit)]);
        let result: wire::SearchResult = self.get_json("searching", &url).await?;
        Ok(result
            .tracks
            .map(|p| p.items.into_iter().flatten().collect())
            .unwrap_or_default())
    }

    /// Appends up to [`PLAYLIST_ADD_MAX`] URIs (`POST /playlists/{id}/items`).
    /// Sent once: a blind resend could add the songs twice.
    pub async fn add_items(&self, id: &str, uris: &[String]) -> Result<(), ServiceError> {
        debug_assert!(uris.len() <= PLAYLIST_ADD_MAX);
        self.tokens.ensure_fresh().await?;
        let url = self.url(&format!("playlists/{id}/items"), &[]);
        let body = serde_json::json!({ "uris": uris });
        let tokens = &self.tokens;
        self.http
            .send_once("adding songs to a playlist", |c| {
                c.post(url.clone())
                    .bearer_auth(tokens.access().expose())
                    .json(&body)
            })
            .await?;
        Ok(())
    }

    /// Saves up to [`LIBRARY_SAVE_MAX`] URIs to Liked Songs
    /// (`PUT /me/library?uris=`). Saving is idempotent, so it may be retried.
    pub async fn save_to_library(&self, uris: &[String]) -> Result<(), ServiceError> {
        debug_assert!(uris.len() <= LIBRARY_SAVE_MAX);
        self.tokens.ensure_fresh().await?;
        let joined = uris.join(",");
        let url = self.url("me/library", &[("uris", &joined)]);
        let tokens = &self.tokens;
        self.http
            .send("adding songs to Liked Songs", |c| {
                // An explicit empty body, so a Content-Length is sent.
                c.put(url.clone())
                    .bearer_auth(tokens.access().expose())
                    .body("")
            })
            .await?;
        Ok(())
    }

    /// Removes the occurrences at the given positions
    /// (`DELETE /playlists/{id}/items`, body `{"items": [{"uri", "positions"}]}`),
    /// positions as the playlist is before the call, at most
    /// [`PLAYLIST_ADD_MAX`] items. Spotify checks each URI is at its
    /// positions and refuses otherwise. Sent once: a resend after a lost
    /// answer could remove what moved into those positions.
    pub async fn remove_items(
        &self,
        id: &str,
        items: &[(String, Vec<usize>)],
    ) -> Result<(), ServiceError> {
        debug_assert!(items.len() <= PLAYLIST_ADD_MAX);
        self.tokens.ensure_fresh().await?;
        let url = self.url(&format!("playlists/{id}/items"), &[]);
        let body = serde_json::json!({
            "items": items
                .iter()
                .map(|(uri, positions)| serde_json::json!({"uri": uri, "positions": positions}))
                .collect::<Vec<_>>(),
        });
        let tokens = &self.tokens;
        self.http
            .send_once("removing songs from a playlist", |c| {
                c.delete(url.clone())
                    .bearer_auth(tokens.access().expose())
                    .json(&body)
            })
            .await?;
        Ok(())
    }

    /// Removes up to [`LIBRARY_SAVE_MAX`] URIs from Liked Songs
    /// (`DELETE /me/library?uris=`). Idempotent, so it may be retried.
    pub async fn remove_from_library(&self, uris: &[String]) -> Result<(), ServiceError> {
        debug_assert!(uris.len() <= LIBRARY_SAVE_MAX);
        self.tokens.ensure_fresh().await?;
        let joined = uris.join(",");
        let url = self.url("me/library", &[("uris", &joined)]);
        let tokens = &self.tokens;
        self.http
            .send("removing songs from Liked Songs", |c| {
                c.delete(url.clone())
                    .bearer_auth(tokens.access().expose())
                    .body("")
            })
            .await?;
        Ok(())
    }

    /// Creates a private playlist (`POST /me/playlists`). Sent once: a
    /// resend could create two.
    pub async fn create_playlist(&self, name: &str) -> Result<wire::Playlist, ServiceError> {
        let op = "creating a playlist";
        self.tokens.ensure_fresh().await?;
        let url = self.url("me/playlists", &[]);
        let body = serde_json::json!({
            "name": name,
            "public": false,
            "description": "Created by musync",
        });
        let tokens = &self.tokens;
        let resp = self
            .http
            .send_once(op, |c| {
                c.post(url.clone())
                    .bearer_auth(tokens.access().expose())
                    .json(&body)
            })
            .await?;
        resp.json("Spotify", op)
    }
}
