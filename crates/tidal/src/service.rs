//! [`TidalService`]: one signed-in TIDAL account behind musync's
//! [`Service`] trait — own playlists and favourite tracks, read through
//! every cursor page and written 1–50 at a time; search by ISRC in batches,
//! then by text; new playlists; removal by per-occurrence item id.
//!
//! Two things a caller may not expect, both from TIDAL's answers:
//! - An add reports an error naming every song TIDAL did not add (listed in
//!   `meta.skipped`, or missing from the answer's `data`), with kind
//!   `NotFound`; the others of that call *were* added. Such songs are never
//!   reported as added, and the next run's diff finds the ones that were.
//! - Adding a favourite that already exists fails TIDAL's whole call (409),
//!   so favourites are read first (once per service) and only missing ones
//!   are sent; on a 409 anyway (a change elsewhere) they are read again and
//!   the rest sent once more.

use crate::client::{TidalClient, WRITE_MAX};
use crate::convert::{self, Included, TRACK_PREFIX};
use crate::error::classify_api;
use crate::isrc::Batcher;
use crate::model as wire;
use crate::{DEFAULT_API_URL, DEFAULT_AUTH_URL, LIKED_ID, LIKED_NAME};
use async_trait::async_trait;
use musync_core::{
    Account, Capabilities, ErrorKind, NoProgress, Playlist, PlaylistEntry, PlaylistId, Progress,
    SecretStore, Service, ServiceError, ServiceKind, Track,
};
use musync_oauth::Tokens;
use serde_json::json;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// ISRCs per look-up request (TIDAL takes at most 100 filter values).
pub const ISRC_BATCH: usize = 50;
/// Relationship paths read with playlist items and favourites.
const ITEM_INCLUDES: &str = "items,items.artists,items.albums";
const FAVOURITES_PATH: &str = "/userCollectionTracks/me/relationships/items";

/// Retry and batching settings; the defaults suit the real service, tests
/// shorten the waits.
#[derive(Clone, Debug)]
pub struct Tuning {
    /// First backoff delay of a retry without `Retry-After`.
    pub base_backoff: Duration,
    /// Attempts per request, the first included.
    pub max_attempts: u32,
    /// How long a search waits for others' ISRCs to share a look-up.
    pub isrc_window: Duration,
}

impl Default for Tuning {
    fn default() -> Self {
        Tuning {
            base_backoff: Duration::from_millis(500),
            max_attempts: 6,
            isrc_window: Duration::from_millis(25),
        }
    }
}

/// One TIDAL account, ready to use.
pub struct TidalService {
    client: TidalClient,
    account: Account,
    user_id: String,
    batcher: Batcher,
    favourites: tokio::sync::Mutex<Option<HashSet<String>>>,
    search_by_path: AtomicBool,
}

impl fmt::Debug for TidalService {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TidalService")
            .field("account", &self.account.id)
            .field("user_id", &self.user_id)
            .field("country", &self.client.country)
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

fn io_err(op: &str, message: String) -> ServiceError {
    ServiceError::new(ErrorKind::Io, "TIDAL", op, message)
}

impl TidalService {
    /// Opens a stored account. Settings: `{"user_id", "client_id",
    /// "country", "api_url"?, "auth_url"?}`; secrets `access_token`,
    /// `refresh_token`, `expires_at`. Endpoints come from
    /// `MUSYNC_TIDAL_API_URL` / `MUSYNC_TIDAL_AUTH_URL`, else the
    /// settings, else the real service.
    pub fn open(account: &Account, secrets: Arc<dyn SecretStore>) -> Result<Self, ServiceError> {
        Self::open_tuned(account, secrets, Tuning::default())
    }

    /// [`TidalService::open`] with other retry and batching settings.
    pub fn open_tuned(
        account: &Account,
        secrets: Arc<dyn SecretStore>,
        tuning: Tuning,
    ) -> Result<Self, ServiceError> {
        let op = "opening the account";
        let Some(client_id) = setting(account, "client_id") else {
            return Err(ServiceError::new(
                ErrorKind::InvalidInput,
                "TIDAL",
                op,
                format!(
                    "the account {} has no client id in its settings",
                    account.id
                ),
            )
            .with_hint(crate::error::SIGN_IN_HINT));
        };
        let user_id = setting(account, "user_id")
            .or_else(|| account.id.as_str().strip_prefix("tidal-"))
            .unwrap_or_default()
            .to_owned();
        let country = setting(account, "country").unwrap_or("US").to_owned();
        let api_url = musync_http::endpoint(
            "MUSYNC_TIDAL_API_URL",
            setting(account, "api_url").unwrap_or(DEFAULT_API_URL),
        );
        let auth_url = musync_http::endpoint(
            "MUSYNC_TIDAL_AUTH_URL",
            setting(account, "auth_url").unwrap_or(DEFAULT_AUTH_URL),
        );
        let base = url::Url::parse(api_url.trim_end_matches('/'))
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https"))
            .ok_or_else(|| {
                ServiceError::new(
                    ErrorKind::InvalidInput,
                    "TIDAL",
                    op,
                    format!("the TIDAL API URL {api_url:?} is not an http(s) URL"),
                )
            })?;
        let tokens = Arc::new(Tokens::open(
            crate::token::endpoint(&auth_url, client_id)?,
            &account.id,
            secrets,
            op,
        )?);
        let http = musync_http::Client::builder("TIDAL")
            .classify(classify_api)
            .session_refresh(tokens.session_refresh())
            .base_backoff(tuning.base_backoff)
            .max_attempts(tuning.max_attempts)
            .max_in_flight(2)
            .build()?;
        Ok(TidalService {
            client: TidalClient::new(http, base, tokens, country),
            account: account.clone(),
            user_id,
            batcher: Batcher::new(tuning.isrc_window),
            favourites: tokio::sync::Mutex::new(None),
            search_by_path: AtomicBool::new(false),
        })
    }

    /// The TIDAL user id of this account.
    pub fn user_id(&self) -> &str {
        &self.user_id
    }

    /// The account's country, sent as `countryCode` on catalogue reads.
    pub fn country(&self) -> &str {
        &self.client.country
    }

    fn country_q(&self) -> (&'static str, &str) {
        ("countryCode", self.client.country.as_str())
    }

    /// The tracks TIDAL has for each of `isrcs` (upper-cased), looked up
    /// [`ISRC_BATCH`] at a time with several `filter[isrc]` per request.
    /// An ISRC TIDAL does not know is absent from the map.
    pub async fn lookup_isrcs(
        &self,
        isrcs: &[String],
    ) -> Result<HashMap<String, Vec<Track>>, ServiceError> {
        let op = "looking up ISRCs";
        let mut wanted: Vec<String> = Vec::new();
        for i in isrcs {
            let clean: String = i
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .map(|c| c.to_ascii_uppercase())
                .collect();
            if !clean.is_empty() && !wanted.contains(&clean) {
                wanted.push(clean);
            }
        }
        let mut out: HashMap<String, Vec<Track>> = HashMap::new();
        for chunk in wanted.chunks(ISRC_BATCH) {
            let mut q: Vec<(&str, &str)> =
                chunk.iter().map(|i| ("filter[isrc]", i.as_str())).collect();
            q.push(("include", "artists,albums"));
            q.push(self.country_q());
            let url = self.client.url("/tracks", &q);
            // One ISRC may have several releases, paged; several ISRCs
            // answer one track each, unpaged.
            let (data, included) = if chunk.len() == 1 {
                self.client
                    .all_pages::<wire::Resource>(op, url, &NoProgress)
                    .await?
            } else {
                let doc: wire::Document<Vec<wire::Resource>> =
                    self.client.get_json(op, &url).await?;
                (doc.data, doc.included)
            };
            let inc = Included::new(&included);
            for r in &data {
                if let Some(t) = convert::track(r, &inc)
                    && let Some(isrc) = t.isrc.as_deref().map(str::to_owned)
                {
                    out.entry(isrc).or_default().push(t);
                }
            }
        }
        Ok(out)
    }

    /// One text search; tracks in TIDAL's order.
    async fn search_text(&self, query: &str) -> Result<Vec<Track>, ServiceError> {
        let op = "searching";
        let include = "tracks,tracks.artists,tracks.albums";
        let by_filter = self.client.url(
            "/searchResults",
            &[
                ("filter[query]", query),
                ("include", include),
                self.country_q(),
            ],
        );
        let doc: wire::Document<wire::Resource> = if self.search_by_path.load(Ordering::Relaxed) {
            self.search_path(query, include).await?
        } else {
            match self.client.get_json(op, &by_filter).await {
                Err(e) if e.kind == ErrorKind::NotFound => {
                    // Before spec 1.10.97 the query was a path segment.
                    tracing::debug!("searchResults by filter not found; using the path form");
                    self.search_by_path.store(true, Ordering::Relaxed);
                    self.search_path(query, include).await?
                }
                other => other?,
            }
        };
        let inc = Included::new(&doc.included);
        let ids = doc
            .data
            .relationships
            .get("tracks")
            .and_then(|r| r.data.as_ref())
            .map(|l| {
                l.ids()
                    .into_iter()
                    .map(|i| i.id.clone())
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default();
        Ok(ids
            .iter()
            .filter_map(|id| inc.get("tracks", id))
            .filter_map(|r| convert::track(r, &inc))
            .collect())
    }

    async fn search_path(
        &self,
        query: &str,
        include: &str,
    ) -> Result<wire::Document<wire::Resource>, ServiceError> {
        let mut url = self.client.url("/searchResults", &[]);
        url.path_segments_mut()
            .map_err(|_| io_err("searching", "the API URL cannot take a path".into()))?
            .push(query);
        url.query_pairs_mut()
            .append_pair("include", include)
            .append_pair("countryCode", &self.client.country);
        self.client.get_json("searching", &url).await
    }

    /// Every favourite track id (identifiers only: cheap pages).
    async fn favourite_ids(&self) -> Result<HashSet<String>, ServiceError> {
        let url = self.client.url(FAVOURITES_PATH, &[self.country_q()]);
        let (ids, _) = self
            .client
            .all_pages::<wire::Identifier>("reading favourite tracks", url, &NoProgress)
            .await?;
        Ok(ids
            .into_iter()
            .filter(|i| i.kind == "tracks")
            .map(|i| i.id)
            .collect())
    }

    /// Sends one add of ≤ 50 ids and returns the ids TIDAL did not add,
    /// with its reason.
    async fn post_items(
        &self,
        op: &str,
        path: &str,
        ids: &[String],
    ) -> Result<Vec<(String, String)>, ServiceError> {
        let url = self.client.url(path, &[]);
        let data: Vec<_> = ids
            .iter()
            .map(|id| json!({"type": "tracks", "id": id}))
            .collect();
        let resp = self
            .client
            .write(op, reqwest::Method::POST, &url, &json!({ "data": data }))
            .await?;
        if resp.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(Vec::new()); // no answer body: nothing said skipped
        }
        let answer: wire::WriteAnswer = resp.json("TIDAL", op)?;
        let mut missing: Vec<(String, String)> = answer
            .meta
            .unwrap_or_default()
            .skipped
            .into_iter()
            .map(|s| (s.id, s.reason.unwrap_or_else(|| "skipped".into())))
            .collect();
        if !answer.data.is_empty() {
            let added: HashSet<&str> = answer.data.iter().map(|d| d.id.as_str()).collect();
            for id in ids {
                if !added.contains(id.as_str()) && !missing.iter().any(|(m, _)| m == id) {
                    missing.push((id.clone(), "not in TIDAL's answer".into()));
                }
            }
        }
        Ok(missing)
    }

    async fn add_favourites(&self, ids: &[String]) -> Result<Vec<(String, String)>, ServiceError> {
        let op = "adding favourite tracks";
        let mut cache = self.favourites.lock().await;
        if cache.is_none() {
            *cache = Some(self.favourite_ids().await?);
        }
        let mut missing = Vec::new();
        let mut wanted: Vec<String> = Vec::new();
        for id in ids {
            let have = cache.as_ref().is_some_and(|s| s.contains(id));
            if !have && !wanted.contains(id) {
                wanted.push(id.clone());
            }
        }
        for chunk in wanted.chunks(WRITE_MAX) {
            let result = match self.post_items(op, FAVOURITES_PATH, chunk).await {
                Err(e) if e.status == Some(409) => {
                    // Added elsewhere meanwhile: read again, send the rest.
                    tracing::info!(
                        "TIDAL says a favourite already exists; reading favourites again"
                    );
                    let fresh = self.favourite_ids().await?;
                    let rest: Vec<String> = chunk
                        .iter()
                        .filter(|i| !fresh.contains(*i))
                        .cloned()
                        .collect();
                    *cache = Some(fresh);
                    if rest.is_empty() {
                        continue;
                    }
                    let r = self.post_items(op, FAVOURITES_PATH, &rest).await?;
                    (rest, r)
                }
                other => (chunk.to_vec(), other?),
            };
            let (sent, skipped) = result;
            if let Some(set) = cache.as_mut() {
                for id in &sent {
                    if !skipped.iter().any(|(s, _)| s == id) {
                        set.insert(id.clone());
                    }
                }
            }
            missing.extend(skipped);
        }
        Ok(missing)
    }
}

/// TIDAL's playlist id in a reference: the bare id or a link to it.
fn playlist_id(p: &PlaylistId, op: &str) -> Result<String, ServiceError> {
    let raw = p.as_str().trim();
    let id = crate::playlist_id_from_link(raw).unwrap_or_else(|| raw.to_owned());
    if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err(ServiceError::new(
            ErrorKind::InvalidInput,
            "TIDAL",
            op,
            format!("{raw:?} is not a TIDAL playlist id; `musync playlists ACCOUNT` lists them"),
        ));
    }
    Ok(id)
}

fn is_liked(p: &PlaylistId) -> bool {
    p.as_str() == LIKED_ID
}

/// TIDAL track ids of `tracks`, or an error naming the first without one.
fn track_ids(tracks: &[Track], op: &str) -> Result<Vec<String>, ServiceError> {
    tracks
        .iter()
        .map(|t| match t.id.as_ref().and_then(|i| i.as_str().strip_prefix(TRACK_PREFIX)) {
            Some(id) if !id.is_empty() => Ok(id.to_owned()),
            _ => Err(ServiceError::new(
                ErrorKind::InvalidInput,
                "TIDAL",
                op,
                format!(
                    "\"{}\" has no TIDAL track id; only songs found by searching TIDAL can be added",
                    t.label()
                ),
            )),
        })
        .collect()
}

/// The error for songs TIDAL did not add, naming each.
fn not_added(
    op: &str,
    tracks: &[Track],
    ids: &[String],
    missing: &[(String, String)],
) -> ServiceError {
    let names: Vec<String> = missing
        .iter()
        .map(|(id, reason)| {
            let label = ids
                .iter()
                .position(|i| i == id)
                .map_or_else(|| format!("track {id}"), |n| tracks[n].label());
            format!("{label} ({reason})")
        })
        .collect();
    let added = ids.len().saturating_sub(missing.len());
    ServiceError::new(
        ErrorKind::NotFound,
        "TIDAL",
        op,
        format!(
            "TIDAL did not add {} of {} songs: {}; the other {added} were added",
            missing.len(),
            ids.len(),
            names.join(", ")
        ),
    )
    .with_hint(
        "the skipped songs are no longer in TIDAL's catalogue in your country; search again later",
    )
}

/// Search text for `t`: the title without a bracketed "feat." part and
/// the main artist, at most 256 characters.
pub(crate) fn search_text(t: &Track) -> (String, String) {
    let clean = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let title = musync_core::title_without_featuring(&t.title);
    let artist = clean(t.artists.first().map(|a| a.as_str()).unwrap_or(&t.artist));
    let cap = |s: String| s.chars().take(256).collect::<String>();
    let full = if artist.is_empty() {
        title.clone()
    } else {
        format!("{title} {artist}")
    };
    (cap(full), cap(title))
}

#[async_trait]
impl Service for TidalService {
    fn kind(&self) -> ServiceKind {
        crate::KIND
    }

    fn capabilities(&self) -> Capabilities {
        crate::CAPABILITIES
    }

    /// Favourite tracks first, then every playlist the user owns.
    async fn playlists(&self) -> Result<Vec<Playlist>, ServiceError> {
        let url = self.client.url(
            "/playlists",
            &[("filter[owners.id]", "me"), self.country_q()],
        );
        let (data, _) = self
            .client
            .all_pages::<wire::Resource>("listing playlists", url, &NoProgress)
            .await?;
        let mut out = vec![Playlist {
            id: PlaylistId::new(LIKED_ID),
            name: LIKED_NAME.to_owned(),
            writable: true,
            track_count: None,
            owned: true,
        }];
        let mut seen = HashSet::new();
        for r in data.iter().filter(|r| r.kind == "playlists") {
            if seen.insert(r.id.clone()) {
                out.push(convert::playlist(r));
            }
        }
        Ok(out)
    }

    async fn tracks(
        &self,
        playlist: &PlaylistId,
        progress: &dyn Progress,
    ) -> Result<Vec<Track>, ServiceError> {
        let (path, op) = if is_liked(playlist) {
            (FAVOURITES_PATH.to_owned(), "reading favourite tracks")
        } else {
            let id = playlist_id(playlist, "reading a playlist")?;
            (
                format!("/playlists/{id}/relationships/items"),
                "reading a playlist",
            )
        };
        let url = self
            .client
            .url(&path, &[("include", ITEM_INCLUDES), self.country_q()]);
        let (ids, included) = self
            .client
            .all_pages::<wire::Identifier>(op, url, progress)
            .await?;
        let inc = Included::new(&included);
        let mut out = Vec::with_capacity(ids.len());
        for i in ids.iter().filter(|i| i.kind == "tracks") {
            match inc
                .get("tracks", &i.id)
                .and_then(|r| convert::track(r, &inc))
            {
                Some(t) => out.push(t),
                None => {
                    tracing::debug!(track = %i.id, "a track TIDAL did not include was left out")
                }
            }
        }
        Ok(out)
    }

    /// Candidates for `track`: by ISRC first (shared look-ups, see
    /// [`TidalService::lookup_isrcs`]); an ISRC hit ends the search. Else a
    /// text search of title and main artist, then of the title alone.
    async fn search(&self, track: &Track) -> Result<Vec<Track>, ServiceError> {
        if let Some(isrc) = &track.isrc {
            let hits = self
                .batcher
                .get(isrc, |batch| async move { self.lookup_isrcs(&batch).await })
                .await?;
            if !hits.is_empty() {
                return Ok(hits);
            }
        }
        let (full, title) = search_text(track);
        if full.is_empty() {
            return Ok(Vec::new());
        }
        let hits = self.search_text(&full).await?;
        if !hits.is_empty() || title == full || title.is_empty() {
            return Ok(hits);
        }
        self.search_text(&title).await
    }

    /// Appends in order, 50 per request, each with its own
    /// `Idempotency-Key`; favourites are checked first and only missing
    /// ones sent. Songs TIDAL skipped fail the call by name (see the
    /// module notes).
    async fn add(&self, playlist: &PlaylistId, tracks: &[Track]) -> Result<(), ServiceError> {
        let (op, missing, ids) = if is_liked(playlist) {
            let op = "adding favourite tracks";
            let ids = track_ids(tracks, op)?;
            (op, self.add_favourites(&ids).await?, ids)
        } else {
            let op = "adding songs to a playlist";
            let pid = playlist_id(playlist, op)?;
            let ids = track_ids(tracks, op)?;
            let path = format!("/playlists/{pid}/relationships/items");
            let mut missing = Vec::new();
            for chunk in ids.chunks(WRITE_MAX) {
                missing.extend(self.post_items(op, &path, chunk).await?);
            }
            (op, missing, ids)
        };
        if missing.is_empty() {
            Ok(())
        } else {
            Err(not_added(op, tracks, &ids, &missing))
        }
    }

    /// Removes one occurrence each, by the item id TIDAL gives each
    /// occurrence (read again now); an entry no longer where it was read
    /// is found by its track when that track is there once, else nothing
    /// is removed.
    async fn remove(
        &self,
        playlist: &PlaylistId,
        entries: &[PlaylistEntry],
    ) -> Result<(), ServiceError> {
        let op = "removing songs";
        let wanted: Vec<Track> = entries.iter().map(|e| e.track.clone()).collect();
        let ids = track_ids(&wanted, op)?;
        if is_liked(playlist) {
            let url = self.client.url(FAVOURITES_PATH, &[]);
            for chunk in ids.chunks(WRITE_MAX) {
                let data: Vec<_> = chunk
                    .iter()
                    .map(|id| json!({"type": "tracks", "id": id}))
                    .collect();
                self.client
                    .write(op, reqwest::Method::DELETE, &url, &json!({ "data": data }))
                    .await?;
            }
            if let Some(set) = self.favourites.lock().await.as_mut() {
                for id in &ids {
                    set.remove(id);
                }
            }
            return Ok(());
        }
        let pid = playlist_id(playlist, op)?;
        let path = format!("/playlists/{pid}/relationships/items");
        let (items, _) = self
            .client
            .all_pages::<wire::Identifier>(
                op,
                self.client.url(&path, &[self.country_q()]),
                &NoProgress,
            )
            .await?;
        let item_of = |i: &wire::Identifier| i.meta.as_ref().and_then(|m| m.item_id.clone());
        let mut chosen: Vec<(String, String)> = Vec::new();
        for (entry, id) in entries.iter().zip(&ids) {
            let at = items
                .get(entry.position)
                .filter(|i| i.kind == "tracks" && &i.id == id)
                .and_then(item_of);
            let found = at.or_else(|| {
                let mut same = items.iter().filter(|i| i.kind == "tracks" && &i.id == id);
                match (same.next(), same.next()) {
                    (Some(only), None) => item_of(only),
                    _ => None,
                }
            });
            let Some(item) = found.filter(|it| !chosen.iter().any(|(_, c)| c == it)) else {
                return Err(ServiceError::new(
                    ErrorKind::InvalidInput,
                    "TIDAL",
                    op,
                    format!(
                        "\"{}\" is no longer at position {} of the playlist (it changed since it \
                         was read); nothing was removed: run again",
                        entry.track.label(),
                        entry.position + 1
                    ),
                ));
            };
            chosen.push((id.clone(), item));
        }
        let url = self.client.url(&path, &[]);
        for chunk in chosen.chunks(WRITE_MAX) {
            let data: Vec<_> = chunk
                .iter()
                .map(|(id, item)| json!({"type": "tracks", "id": id, "meta": {"itemId": item}}))
                .collect();
            self.client
                .write(op, reqwest::Method::DELETE, &url, &json!({ "data": data }))
                .await?;
        }
        Ok(())
    }

    async fn create_playlist(&self, name: &str) -> Result<Playlist, ServiceError> {
        let op = "creating a playlist";
        if name.trim().is_empty() {
            return Err(ServiceError::new(
                ErrorKind::InvalidInput,
                "TIDAL",
                op,
                "a playlist needs a name",
            ));
        }
        let body = json!({"data": {"type": "playlists", "attributes": {
            "name": name.trim(), "description": "Created by musync", "accessType": "UNLISTED"}}});
        let url = self.client.url("/playlists", &[]);
        let resp = self
            .client
            .write(op, reqwest::Method::POST, &url, &body)
            .await?;
        let doc: wire::Document<wire::Resource> = resp.json("TIDAL", op)?;
        let mut p = convert::playlist(&doc.data);
        if p.name.is_empty() {
            p.name = name.trim().to_owned();
        }
        p.track_count = p.track_count.or(Some(0));
        Ok(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_text_drops_featuring_and_keeps_the_main_artist() {
        let t = Track::new(
            "Get Lucky (feat. Pharrell Williams) [Radio Edit]",
            "Daft Punk, Pharrell Williams",
        );
        let (full, title) = search_text(&t);
        assert_eq!(full, "Get Lucky [Radio Edit] Daft Punk");
        assert_eq!(title, "Get Lucky [Radio Edit]");
        let long = Track::new("x".repeat(300), "A");
        assert_eq!(search_text(&long).0.chars().count(), 256);
    }

    #[test]
    fn only_tidal_ids_are_sent() {
        let ok = Track::new("a", "b").with_id("tidal:track:12");
        let bad = Track::new("Song", "Artist").with_id("spotify:track:x");
        let e = track_ids(&[ok.clone(), bad], "adding").unwrap_err();
        assert!(e.message.contains("Artist - Song"), "{}", e.message);
        assert_eq!(track_ids(&[ok], "adding").unwrap(), vec!["12"]);
    }

    #[test]
    fn skipped_songs_are_named_and_the_rest_counted() {
        let tracks = vec![
            Track::new("One", "A").with_id("tidal:track:1"),
            Track::new("Two", "B").with_id("tidal:track:2"),
        ];
        let ids = vec!["1".to_owned(), "2".to_owned()];
        let e = not_added("adding", &tracks, &ids, &[("2".into(), "NOT_FOUND".into())]);
        assert_eq!(e.kind, ErrorKind::NotFound);
        assert!(e.message.contains("B - Two (NOT_FOUND)"), "{}", e.message);
        assert!(
            e.message.contains("the other 1 were added"),
            "{}",
            e.message
        );
        assert!(!e.is_fatal_for_run());
    }

    #[test]
    fn playlist_ids_from_links_and_bare_ids() {
        let id = "0b7a3d36-0d1c-4a5c-9e0b-3c7f1f2b7a10";
        assert_eq!(playlist_id(&PlaylistId::new(id), "x").unwrap(), id);
        assert_eq!(
            playlist_id(
                &PlaylistId::new(format!("https://tidal.com/playlist/{id}")),
                "x"
            )
            .unwrap(),
            id
        );
        assert!(playlist_id(&PlaylistId::new("../users/me"), "x").is_err());
    }
}
