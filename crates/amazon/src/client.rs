//! The legacy surface's three reads, with their paging rules, over any
//! [`Transport`]:
//!
//! - own playlists: `getOwnedPlaylistsInLibrary`, `entryOffset` advanced by
//!   the page length until a page shorter than `pageSize` (research §4.1);
//! - one playlist's tracks: `getPlaylistsByIdV2` (no paging is known);
//! - My Music: Cirrus v3 `getTracks`, status `AVAILABLE`, sorted by an
//!   allowed key (others get HTTP 400), paged by `nextToken` until none.
//!
//! Paging is defensive: a `nextToken` seen before, or a playlist listed
//! twice, stops the read with an error instead of looping or duplicating.
//! An answer without the expected list is an error, never an empty result.

use crate::convert;
use crate::error::protocol;
use crate::model as wire;
use crate::transport::{Call, ReadTarget, Transport};
use musync_core::{Playlist, PlaylistId, Progress, ServiceError, Track};
use serde_json::json;
use std::collections::HashSet;
use std::sync::Arc;

/// Playlists asked per page.
const PLAYLIST_PAGE: usize = 100;
/// Library tracks asked per page.
const TRACK_PAGE: usize = 100;
/// A hard stop for paging, far above any real library (in pages).
const MAX_PAGES: usize = 5_000;
/// Empty pages in a row tolerated before giving up.
const MAX_EMPTY_PAGES: usize = 10;

/// The track fields asked for, both for playlists and for My Music.
const TRACK_FIELDS: &[&str] = &[
    "asin",
    "objectId",
    "title",
    "artistName",
    "albumName",
    "albumArtistName",
    "duration",
    "trackNum",
    "discNum",
    "albumAsin",
    "artistAsin",
    "status",
    "purchased",
];

/// Reads an Amazon Music account through a transport.
#[derive(Clone)]
pub(crate) struct AmazonClient {
    transport: Arc<dyn Transport>,
}

fn op_name(what: &str, target: ReadTarget) -> String {
    format!("{what} ({})", target.name())
}

fn decode<T: serde::de::DeserializeOwned>(op: &str, body: &[u8]) -> Result<T, ServiceError> {
    serde_json::from_slice(body).map_err(|e| {
        // serde's message may quote input; keep only where it stumbled.
        protocol(
            op,
            format!(
                "the answer was not the expected JSON (line {}, column {})",
                e.line(),
                e.column()
            ),
        )
    })
}

impl AmazonClient {
    pub fn new(transport: Arc<dyn Transport>) -> Self {
        AmazonClient { transport }
    }

    /// Every playlist the customer owns, in Amazon's order.
    pub async fn owned_playlists(&self) -> Result<Vec<Playlist>, ServiceError> {
        let target = ReadTarget::OwnedPlaylists;
        let op = op_name("listing playlists", target);
        let mut out: Vec<Playlist> = Vec::new();
        let mut seen = HashSet::new();
        let mut offset = 0;
        for page in 0.. {
            if page >= MAX_PAGES {
                return Err(protocol(&op, "the playlist list never ended"));
            }
            let body = json!({ "pageSize": PLAYLIST_PAGE, "entryOffset": offset });
            let bytes = self
                .transport
                .call(&Call::Legacy(target, body), &op)
                .await?;
            let answer: wire::OwnedPlaylists = decode(&op, &bytes)?;
            let items = answer
                .playlists
                .ok_or_else(|| protocol(&op, "the answer has no `playlists` list"))?;
            let n = items.len();
            for item in &items {
                let p = convert::playlist(item, &op)?;
                if !seen.insert(p.id.clone()) {
                    return Err(protocol(
                        &op,
                        format!(
                            "playlist {} was listed twice: paging did not advance at offset {offset}",
                            p.id
                        ),
                    ));
                }
                out.push(p);
            }
            tracing::debug!(offset, n, "owned playlists page");
            if n < PLAYLIST_PAGE {
                break;
            }
            offset += n;
        }
        Ok(out)
    }

    /// The tracks of one playlist, in playlist order.
    pub async fn playlist_tracks(
        &self,
        id: &PlaylistId,
        progress: &dyn Progress,
    ) -> Result<Vec<Track>, ServiceError> {
        let target = ReadTarget::PlaylistsById;
        let op = op_name("reading a playlist", target);
        let body = json!({ "playlistIds": [id.as_str()], "requestedMetadata": TRACK_FIELDS });
        let bytes = self
            .transport
            .call(&Call::Legacy(target, body), &op)
            .await?;
        let answer: wire::PlaylistsById = decode(&op, &bytes)?;
        // The direct transport's classifier already refuses answers with
        // `errors`; other transports may not.
        if let Some(errors) = answer.errors.as_ref().filter(|e| !e.is_empty()) {
            let first = errors[0].to_string().chars().take(160).collect::<String>();
            return Err(protocol(
                &op,
                format!("Amazon Music answered with errors: {first}"),
            ));
        }
        let playlists = answer
            .playlists
            .ok_or_else(|| protocol(&op, "the answer has no `playlists` list"))?;
        let playlist = match playlists.as_slice() {
            [one] => one,
            [] => {
                return Err(protocol(
                    &op,
                    format!("Amazon Music returned no playlist for id {id}"),
                ));
            }
            many => many
                .iter()
                .find(|p| {
                    p.metadata
                        .as_ref()
                        .and_then(|m| m.playlist_id.text())
                        .is_some_and(|pid| pid == id.as_str())
                })
                .ok_or_else(|| protocol(&op, format!("none of the returned playlists is {id}")))?,
        };
        if let Some(pid) = playlist
            .metadata
            .as_ref()
            .and_then(|m| m.playlist_id.text())
            && pid != id.as_str()
        {
            return Err(protocol(&op, format!("asked for playlist {id}, got {pid}")));
        }
        let entries = playlist
            .tracks
            .as_ref()
            .ok_or_else(|| protocol(&op, "the playlist has no `tracks` list"))?;
        progress.set_total(entries.len() as u64);
        let mut tracks = Vec::with_capacity(entries.len());
        for (i, entry) in entries.iter().enumerate() {
            let meta = entry
                .metadata
                .as_ref()
                .and_then(|m| m.requested_metadata.as_ref())
                .ok_or_else(|| {
                    protocol(
                        &op,
                        format!("track {} has no `metadata.requestedMetadata`", i + 1),
                    )
                })?;
            tracks.push(convert::track(meta, i, &op)?);
        }
        progress.advance(tracks.len() as u64);
        Ok(tracks)
    }

    /// Every available track of the library ("My Music").
    pub async fn my_music(&self, progress: &dyn Progress) -> Result<Vec<Track>, ServiceError> {
        let target = ReadTarget::LibraryTracks;
        let op = op_name("reading My Music", target);
        let mut tracks: Vec<Track> = Vec::new();
        let mut seen_tokens: HashSet<String> = HashSet::new();
        let mut token: Option<String> = None;
        let mut total: Option<u64> = None;
        let mut empty_in_a_row = 0;
        for page in 0.. {
            if page >= MAX_PAGES {
                return Err(protocol(&op, "the library never ended"));
            }
            let mut body = json!({
                "filterList": [{"attributeName": "status", "comparisonType": "EQUALS",
                                "attributeValue": "AVAILABLE"}],
                "attributeList": TRACK_FIELDS,
                "sortOrder": {"sort": "title", "order": "ASC"},
                "maxResults": TRACK_PAGE,
            });
            if let Some(t) = &token {
                body["nextToken"] = json!(t);
            }
            let bytes = self
                .transport
                .call(&Call::Legacy(target, body), &op)
                .await?;
            let answer: wire::LibraryTracks = decode(&op, &bytes)?;
            let items = answer
                .result_list
                .ok_or_else(|| protocol(&op, "the answer has no `resultList`"))?;
            if total.is_none()
                && let Some(n) = answer.total_count.number().filter(|n| *n >= 0.0)
            {
                total = Some(n as u64);
                progress.set_total(n as u64);
            }
            for item in &items {
                let meta = item.metadata.as_ref().ok_or_else(|| {
                    protocol(&op, format!("track {} has no `metadata`", tracks.len() + 1))
                })?;
                let position = tracks.len();
                tracks.push(convert::track(meta, position, &op)?);
            }
            progress.advance(items.len() as u64);
            empty_in_a_row = if items.is_empty() {
                empty_in_a_row + 1
            } else {
                0
            };
            tracing::debug!(
                page,
                n = items.len(),
                fetched = tracks.len(),
                "My Music page"
            );
            let Some(next) = answer.next_token.text() else {
                break;
            };
            if !seen_tokens.insert(next.clone()) {
                return Err(protocol(
                    &op,
                    format!(
                        "Amazon Music sent the same page token twice after {} tracks; \
                         stopped instead of reading the same pages forever",
                        tracks.len()
                    ),
                ));
            }
            if empty_in_a_row > MAX_EMPTY_PAGES {
                return Err(protocol(
                    &op,
                    format!(
                        "{empty_in_a_row} empty pages in a row after {} tracks",
                        tracks.len()
                    ),
                ));
            }
            token = Some(next);
        }
        if let Some(total) = total
            && total != tracks.len() as u64
        {
            tracing::warn!(
                total,
                fetched = tracks.len(),
                "Amazon Music's track count differs from the tracks it listed"
            );
        }
        Ok(tracks)
    }
}
