//! [`YtMusicService`]: one signed-in YouTube Music account behind musync's
//! [`Service`] trait — own playlists (writable), saved ones (read-only),
//! Liked Music as `liked`, search with the songs filter, adds through
//! `edit_playlist` without duplicates, likes through `like/like`, removal
//! by set-video id, and paced playlist creation.

use crate::client::{ClientOptions, Repeat, YtClient};
use crate::error::SERVICE;
use crate::parse::{self, Row};
use crate::session::{COOKIES_KEY, Session, from_stored};
use async_trait::async_trait;
use musync_core::{
    Account, AccountId, Capabilities, ErrorKind, Playlist, PlaylistEntry, PlaylistId, Progress,
    SecretStore, Service, ServiceError, ServiceKind, Track,
};
use serde_json::{Value, json};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// musync's id of Liked Music.
pub const LIKED_ID: &str = "liked";
/// The name Liked Music is shown with.
pub const LIKED_NAME: &str = "Liked Music";
/// Most items a playlist holds.
pub const PLAYLIST_MAX: usize = 5000;
/// Most songs one `add` (one `edit_playlist`) carries.
pub const ADD_MAX_BATCH: usize = 100;

/// What the service knows of a playlist it read or wrote in this run.
#[derive(Clone, Default)]
struct Known {
    owned: bool,
    videos: HashSet<String>,
    len: usize,
}

/// Which list a playlist id names.
#[derive(Debug, PartialEq, Eq)]
enum Target {
    Liked,
    Playlist(String),
}

fn target(p: &PlaylistId, op: &str) -> Result<Target, ServiceError> {
    let raw = p.as_str().trim();
    let id = crate::playlist_id_from_link(raw).unwrap_or_else(|| raw.to_owned());
    let id = id.strip_prefix("VL").unwrap_or(&id).to_owned();
    if id == LIKED_ID || id == "LM" {
        return Ok(Target::Liked);
    }
    if id.is_empty()
        || !id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(ServiceError::new(
            ErrorKind::InvalidInput,
            SERVICE,
            op,
            format!(
                "{raw:?} is not a YouTube Music playlist id; `musync playlists ACCOUNT` lists them"
            ),
        ));
    }
    Ok(Target::Playlist(id))
}

fn video_id<'a>(t: &'a Track, op: &str) -> Result<&'a str, ServiceError> {
    match t.id.as_ref().map(|i| i.as_str()) {
        Some(v)
            if !v.is_empty()
                && v.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') =>
        {
            Ok(v)
        }
        _ => Err(ServiceError::new(
            ErrorKind::InvalidInput,
            SERVICE,
            op,
            format!(
                "\"{}\" has no YouTube Music video id; only songs found by searching YouTube Music can be added",
                t.label()
            ),
        )),
    }
}

/// A row as musync's track: `id` is the video id, no ISRC exists, videos
/// have no album, every artist is kept.
pub(crate) fn track(row: &Row) -> Track {
    let mut t = Track::new(row.title.clone(), "")
        .with_artists(row.artists.clone())
        .with_id(row.video_id.clone());
    if let Some(a) = &row.album {
        t = t.with_album(a.clone());
    }
    t.duration_s = row.duration_s;
    t
}

fn fold(s: &str) -> String {
    deunicode::deunicode(s)
        .to_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Search rows best first as far as YouTube Music can tell: available
/// rows only, artists' audio tracks before videos, and a video dropped
/// when an audio track of the same recording (title and first artist) is
/// there.
pub(crate) fn rank(rows: Vec<Row>) -> Vec<Row> {
    let key = |r: &Row| {
        (
            fold(&r.title),
            r.artists.first().map(|a| fold(a)).unwrap_or_default(),
        )
    };
    let songs: HashSet<(String, String)> = rows.iter().filter(|r| r.is_song()).map(key).collect();
    let mut seen = HashSet::new();
    let (mut first, mut rest): (Vec<Row>, Vec<Row>) = rows
        .into_iter()
        .filter(|r| r.available && seen.insert(r.video_id.clone()))
        .partition(Row::is_song);
    rest.retain(|r| !songs.contains(&key(r)));
    first.extend(rest);
    first
}

/// The search text for a track: its title and first artist, quotes out.
pub(crate) fn query(t: &Track) -> String {
    let artist = t.artists.first().map(|a| a.as_str()).unwrap_or(&t.artist);
    format!("{} {}", t.title, artist)
        .replace('"', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// One YouTube Music account.
pub struct YtMusicService {
    client: YtClient,
    account: AccountId,
    known: Mutex<HashMap<String, Known>>,
    last_create: tokio::sync::Mutex<Option<Instant>>,
    create_gap: std::time::Duration,
}

impl std::fmt::Debug for YtMusicService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("YtMusicService")
            .field("account", &self.account)
            .field("origin", &self.client.session.origin())
            .finish_non_exhaustive()
    }
}

fn setting<'a>(account: &'a Account, key: &str) -> Option<&'a str> {
    account
        .settings
        .get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
}

impl YtMusicService {
    /// Opens a stored account: the `cookies` secret, settings `auth_user`
    /// and `url`. The host is `MUSYNC_YTMUSIC_URL`, else the stored `url`,
    /// else music.youtube.com. Cookies the server renews are saved back.
    pub fn open(account: &Account, secrets: Arc<dyn SecretStore>) -> Result<Self, ServiceError> {
        Self::open_with(account, secrets, ClientOptions::default())
    }

    /// [`YtMusicService::open`] with explicit retries and pacing.
    pub fn open_with(
        account: &Account,
        secrets: Arc<dyn SecretStore>,
        options: ClientOptions,
    ) -> Result<Self, ServiceError> {
        let op = "opening the account";
        let base = musync_http::endpoint(
            crate::URL_ENV,
            setting(account, "url").unwrap_or(crate::DEFAULT_URL),
        );
        let stored = secrets.get(&account.id, COOKIES_KEY).map_err(|e| {
            ServiceError::new(
                ErrorKind::Io,
                SERVICE,
                op,
                format!(
                    "could not read the saved sign-in of {} from the {} secret store: {e}",
                    account.id,
                    secrets.backend()
                ),
            )
        })?;
        let Some(stored) = stored else {
            return Err(ServiceError::new(
                ErrorKind::AuthExpired,
                SERVICE,
                op,
                format!("no saved YouTube Music sign-in for {}", account.id),
            )
            .with_hint(crate::error::SIGN_IN_HINT));
        };
        let cookies = from_stored(&stored)?;
        let auth_user = setting(account, "auth_user").unwrap_or("0").to_owned();
        Self::connect(
            &base,
            auth_user,
            cookies,
            Some((secrets, account.id.clone())),
            account.id.clone(),
            options,
        )
    }

    pub(crate) fn connect(
        base: &str,
        auth_user: String,
        cookies: Vec<musync_browser::Cookie>,
        persist: Option<crate::session::Persist>,
        account: AccountId,
        options: ClientOptions,
    ) -> Result<Self, ServiceError> {
        let origin = crate::origin_of(base)?;
        let session = Arc::new(Session::new(origin, auth_user, cookies, persist)?);
        Ok(YtMusicService {
            client: YtClient::new(base, session, &options)?,
            account,
            known: Mutex::new(HashMap::new()),
            last_create: tokio::sync::Mutex::new(None),
            create_gap: options.create_gap,
        })
    }

    /// The session's cookies now (rotations included); for sign-in.
    pub(crate) fn cookies(&self) -> Vec<musync_browser::Cookie> {
        self.client.session.cookies()
    }

    /// The account's name and `@handle` (also the session check of
    /// sign-in: a signed-out session fails here).
    pub(crate) async fn whoami(&self) -> Result<(String, Option<String>), ServiceError> {
        let op = "checking the session";
        let v = self
            .client
            .call("account/account_menu", &[], json!({}), op, Repeat::Safe)
            .await?;
        parse::account(&v, op)
    }

    fn remember(&self, id: &str, known: Known) {
        self.known
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(id.to_owned(), known);
    }

    fn cached(&self, id: &str) -> Option<Known> {
        self.known
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(id)
            .cloned()
    }

    /// Every row of a playlist (`LM` for liked), following continuations;
    /// greyed-out rows are kept in place and reported one by one.
    async fn read(
        &self,
        browse_id: &str,
        progress: &dyn Progress,
    ) -> Result<(bool, Vec<Row>), ServiceError> {
        let op = "reading a playlist";
        let v = self
            .client
            .call(
                "browse",
                &[],
                json!({"browseId": format!("VL{browse_id}")}),
                op,
                Repeat::Safe,
            )
            .await?;
        let first = parse::playlist_first(&v, op)?;
        let owned = first.owned;
        let mut rows = first.page.rows;
        progress.advance(rows.len() as u64);
        let mut next = first.page.next;
        let mut tokens = HashSet::new();
        while let Some(token) = next {
            if !tokens.insert(token.clone()) || tokens.len() > 1000 {
                return Err(ServiceError::new(
                    ErrorKind::Protocol,
                    SERVICE,
                    op,
                    "the playlist's pages do not end (a continuation repeats); update musync",
                ));
            }
            let v = self
                .client
                .call(
                    "browse",
                    &[],
                    json!({"continuation": token}),
                    op,
                    Repeat::Safe,
                )
                .await?;
            let page = parse::playlist_next(&v, op)?;
            progress.advance(page.rows.len() as u64);
            progress.message(&format!("{} songs", rows.len() + page.rows.len()));
            rows.extend(page.rows);
            next = page.next;
        }
        for r in rows.iter().filter(|r| !r.available) {
            tracing::warn!(
                playlist = browse_id,
                "unavailable on YouTube Music (greyed out): {}",
                track(r).label()
            );
        }
        let known = Known {
            owned: owned && browse_id != "LM",
            videos: rows.iter().map(|r| r.video_id.clone()).collect(),
            len: rows.len(),
        };
        self.remember(browse_id, known);
        Ok((owned, rows))
    }

    async fn known(&self, id: &str) -> Result<Known, ServiceError> {
        match self.cached(id) {
            Some(k) => Ok(k),
            None => {
                self.read(id, &musync_core::NoProgress).await?;
                Ok(self.cached(id).unwrap_or_default())
            }
        }
    }

    fn not_owned(op: &str) -> ServiceError {
        ServiceError::new(
            ErrorKind::PermissionDenied,
            SERVICE,
            op,
            "this playlist is saved from someone else; only your own YouTube Music playlists can be changed",
        )
    }

    async fn edit(
        &self,
        id: &str,
        actions: Vec<Value>,
        op: &str,
    ) -> Result<Result<Value, String>, ServiceError> {
        let v = self
            .client
            .call(
                "browse/edit_playlist",
                &[],
                json!({"playlistId": id, "actions": actions}),
                op,
                Repeat::Once,
            )
            .await?;
        if v["status"] == "STATUS_SUCCEEDED" {
            return Ok(Ok(v));
        }
        let said = v
            .pointer("/actions/0/addToToastAction/item/notificationActionRenderer/responseText/runs/0/text")
            .and_then(Value::as_str)
            .unwrap_or("no reason given");
        Ok(Err(format!(
            "{} ({said})",
            v["status"].as_str().unwrap_or("no status")
        )))
    }

    async fn like_all(&self, tracks: &[Track]) -> Result<(), ServiceError> {
        let op = "liking songs";
        let mut known = self.cached("LM");
        for t in tracks {
            let v = video_id(t, op)?.to_owned();
            if known.as_ref().is_some_and(|k| k.videos.contains(&v)) {
                continue;
            }
            // Liking twice is harmless, so a like may be retried.
            self.client
                .call(
                    "like/like",
                    &[],
                    json!({"target": {"videoId": v}}),
                    op,
                    Repeat::Safe,
                )
                .await?;
            if let Some(k) = known.as_mut() {
                k.videos.insert(v);
                k.len += 1;
            }
        }
        if let Some(k) = known {
            self.remember("LM", k);
        }
        Ok(())
    }
}

#[async_trait]
impl Service for YtMusicService {
    fn kind(&self) -> ServiceKind {
        crate::KIND
    }

    fn capabilities(&self) -> Capabilities {
        crate::CAPABILITIES
    }

    /// Liked Music first, then the library's playlists: own ones writable,
    /// saved ones read-only.
    async fn playlists(&self) -> Result<Vec<Playlist>, ServiceError> {
        let op = "listing playlists";
        let v = self
            .client
            .call(
                "browse",
                &[],
                json!({"browseId": "FEmusic_liked_playlists"}),
                op,
                Repeat::Safe,
            )
            .await?;
        let mut page = parse::library_first(&v, op)?;
        let mut tiles = std::mem::take(&mut page.tiles);
        let mut tokens = HashSet::new();
        while let Some(token) = page.next.take() {
            if !tokens.insert(token.clone()) || tokens.len() > 1000 {
                return Err(ServiceError::new(
                    ErrorKind::Protocol,
                    SERVICE,
                    op,
                    "the library's pages do not end; update musync",
                ));
            }
            let query = [
                ("ctoken", token.as_str()),
                ("continuation", token.as_str()),
                ("type", "next"),
            ];
            let v = self
                .client
                .call("browse", &query, json!({}), op, Repeat::Safe)
                .await?;
            page = parse::library_next(&v, op)?;
            tiles.append(&mut page.tiles);
        }
        let mut out = vec![Playlist {
            id: PlaylistId::new(LIKED_ID),
            name: LIKED_NAME.to_owned(),
            writable: true,
            track_count: None,
            owned: true,
        }];
        let mut seen = HashSet::new();
        for t in tiles {
            if t.id == "LM" || !seen.insert(t.id.clone()) {
                continue;
            }
            out.push(Playlist {
                id: PlaylistId::new(t.id),
                name: t.title,
                writable: t.owned,
                track_count: t.count,
                owned: t.owned,
            });
        }
        Ok(out)
    }

    async fn tracks(
        &self,
        playlist: &PlaylistId,
        progress: &dyn Progress,
    ) -> Result<Vec<Track>, ServiceError> {
        let id = match target(playlist, "reading a playlist")? {
            Target::Liked => "LM".to_owned(),
            Target::Playlist(id) => id,
        };
        let (_, rows) = self.read(&id, progress).await?;
        Ok(rows.iter().map(track).collect())
    }

    /// One songs-filtered search for title and first artist; audio tracks
    /// first, videos of the same recording dropped. YouTube Music has no
    /// ISRC, so the matching engine ranks by title, artist and duration.
    async fn search(&self, t: &Track) -> Result<Vec<Track>, ServiceError> {
        let op = "searching";
        let q = query(t);
        if q.is_empty() {
            return Ok(Vec::new());
        }
        let v = self
            .client
            .call(
                "search",
                &[],
                json!({"query": q, "params": crate::SONGS_FILTER}),
                op,
                Repeat::Safe,
            )
            .await?;
        Ok(rank(parse::search_rows(&v, op)?)
            .iter()
            .map(track)
            .collect())
    }

    /// Likes for `liked` (one `like/like` per song not yet liked); for a
    /// playlist one `edit_playlist` with only the songs it lacks (YouTube
    /// refuses a whole batch holding a duplicate).
    async fn add(&self, playlist: &PlaylistId, tracks: &[Track]) -> Result<(), ServiceError> {
        let op = "adding songs to a playlist";
        let id = match target(playlist, op)? {
            Target::Liked => return self.like_all(tracks).await,
            Target::Playlist(id) => id,
        };
        let wanted: Vec<String> = tracks
            .iter()
            .map(|t| video_id(t, op).map(str::to_owned))
            .collect::<Result<_, _>>()?;
        let mut known = self.known(&id).await?;
        for attempt in 0..2 {
            if !known.owned {
                return Err(Self::not_owned(op));
            }
            let mut batch = HashSet::new();
            let new: Vec<&String> = wanted
                .iter()
                .filter(|v| !known.videos.contains(*v) && batch.insert(v.as_str()))
                .collect();
            if new.is_empty() {
                return Ok(());
            }
            if known.len + new.len() > PLAYLIST_MAX {
                return Err(ServiceError::new(
                    ErrorKind::InvalidInput,
                    SERVICE,
                    op,
                    format!(
                        "a YouTube Music playlist holds at most {PLAYLIST_MAX} songs; this one has {}",
                        known.len
                    ),
                ));
            }
            let actions = new
                .iter()
                .map(|v| json!({"action": "ACTION_ADD_VIDEO", "addedVideoId": v}))
                .collect();
            match self.edit(&id, actions, op).await? {
                Ok(_) => {
                    known.len += new.len();
                    known.videos.extend(new.into_iter().cloned());
                    self.remember(&id, known);
                    return Ok(());
                }
                Err(why) if attempt == 0 => {
                    // Refused whole, so nothing was applied: someone else
                    // may have added one of these; look again.
                    tracing::info!(playlist = %id, %why, "edit refused; re-reading the playlist");
                    self.read(&id, &musync_core::NoProgress).await?;
                    known = self.cached(&id).unwrap_or_default();
                }
                Err(why) => {
                    return Err(ServiceError::new(
                        ErrorKind::Protocol,
                        SERVICE,
                        op,
                        format!("YouTube Music refused the songs: {why}"),
                    ));
                }
            }
        }
        Ok(())
    }

    /// Removes each entry by its set-video id, read fresh; an entry no
    /// longer where it was read fails and nothing is removed.
    async fn remove(
        &self,
        playlist: &PlaylistId,
        entries: &[PlaylistEntry],
    ) -> Result<(), ServiceError> {
        let op = "removing songs from a playlist";
        let id = match target(playlist, op)? {
            Target::Liked => {
                for e in entries {
                    let v = video_id(&e.track, op)?;
                    self.client
                        .call(
                            "like/removelike",
                            &[],
                            json!({"target": {"videoId": v}}),
                            op,
                            Repeat::Safe,
                        )
                        .await?;
                }
                self.known
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .remove("LM");
                return Ok(());
            }
            Target::Playlist(id) => id,
        };
        let (owned, rows) = self.read(&id, &musync_core::NoProgress).await?;
        if !owned {
            return Err(Self::not_owned(op));
        }
        let mut used = HashSet::new();
        let mut actions = Vec::new();
        for e in entries {
            let v = video_id(&e.track, op)?;
            let at = rows
                .get(e.position)
                .filter(|r| r.video_id == v && !used.contains(&e.position))
                .map(|_| e.position)
                .or_else(|| {
                    let mut same = rows
                        .iter()
                        .enumerate()
                        .filter(|(i, r)| r.video_id == v && !used.contains(i));
                    match (same.next(), same.next()) {
                        (Some((i, _)), None) => Some(i),
                        _ => None,
                    }
                });
            let Some(at) = at else {
                return Err(ServiceError::new(
                    ErrorKind::NotFound,
                    SERVICE,
                    op,
                    format!(
                        "\"{}\" is no longer where it was read; nothing was removed",
                        e.track.label()
                    ),
                ));
            };
            let Some(set) = rows[at].set_video_id.clone() else {
                return Err(Self::not_owned(op));
            };
            used.insert(at);
            actions.push(
                json!({"action": "ACTION_REMOVE_VIDEO", "setVideoId": set, "removedVideoId": v}),
            );
        }
        if actions.is_empty() {
            return Ok(());
        }
        let outcome = self.edit(&id, actions, op).await?;
        self.known
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&id);
        outcome.map(|_| ()).map_err(|why| {
            ServiceError::new(
                ErrorKind::Protocol,
                SERVICE,
                op,
                format!("YouTube Music refused the removal: {why}"),
            )
        })
    }

    /// A private playlist, never sooner than the creation gap after the
    /// previous one; "too many playlists" stops at once.
    async fn create_playlist(&self, name: &str) -> Result<Playlist, ServiceError> {
        let op = "creating a playlist";
        // `<` and `>` break YouTube Music titles.
        let title = name
            .replace(['<', '>'], " ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if title.is_empty() {
            return Err(ServiceError::new(
                ErrorKind::InvalidInput,
                SERVICE,
                op,
                "a playlist needs a name",
            ));
        }
        let mut last = self.last_create.lock().await;
        if let Some(at) = *last {
            let ready = at + self.create_gap;
            if ready > Instant::now() {
                tokio::time::sleep_until(ready.into()).await;
            }
        }
        let result = self
            .client
            .call(
                "playlist/create",
                &[],
                json!({"title": title, "description": "", "privacyStatus": "PRIVATE"}),
                op,
                Repeat::Once,
            )
            .await;
        *last = Some(Instant::now());
        let v = result?;
        let Some(id) = v["playlistId"].as_str().filter(|s| !s.is_empty()) else {
            if v.pointer("/actions/0/showEngagementPanelEndpoint")
                .is_some()
            {
                return Err(ServiceError::new(
                    ErrorKind::PermissionDenied,
                    SERVICE,
                    op,
                    "YouTube Music did not create the playlist: the account may be temporarily restricted",
                ));
            }
            return Err(ServiceError::new(
                ErrorKind::Protocol,
                SERVICE,
                op,
                "the answer has no playlist id",
            ));
        };
        self.remember(
            id,
            Known {
                owned: true,
                videos: HashSet::new(),
                len: 0,
            },
        );
        Ok(Playlist {
            id: PlaylistId::new(id),
            name: title,
            writable: true,
            track_count: Some(0),
            owned: true,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: &str, title: &str, artist: &str, kind: &str) -> Row {
        Row {
            video_id: id.into(),
            title: title.into(),
            artists: vec![artist.into()],
            video_type: Some(kind.into()),
            available: true,
            ..Row::default()
        }
    }

    #[test]
    fn audio_tracks_come_first_and_their_videos_go() {
        let ranked = rank(vec![
            row("v1", "Halo", "Beyoncé", "MUSIC_VIDEO_TYPE_OMV"),
            row("s1", "Halo", "Beyonce", "MUSIC_VIDEO_TYPE_ATV"),
            row("v2", "Halo (Live)", "Beyoncé", "MUSIC_VIDEO_TYPE_UGC"),
            Row {
                available: false,
                ..row("s2", "Halo", "X", "MUSIC_VIDEO_TYPE_ATV")
            },
        ]);
        let ids: Vec<&str> = ranked.iter().map(|r| r.video_id.as_str()).collect();
        assert_eq!(ids, ["s1", "v2"]);
    }

    #[test]
    fn ids_with_or_without_vl_links_and_liked() {
        let t = |s: &str| target(&PlaylistId::new(s), "x").unwrap();
        assert_eq!(t("VLPLabc"), Target::Playlist("PLabc".into()));
        assert_eq!(t("PLabc"), Target::Playlist("PLabc".into()));
        assert_eq!(t("liked"), Target::Liked);
        assert_eq!(t("LM"), Target::Liked);
        assert_eq!(t("VLLM"), Target::Liked);
        assert_eq!(
            t("https://music.youtube.com/playlist?list=PLabc"),
            Target::Playlist("PLabc".into())
        );
        assert!(target(&PlaylistId::new("spotify:playlist:x"), "x").is_err());
    }

    #[test]
    fn tracks_keep_every_artist_and_have_no_isrc() {
        let mut r = row("v", "Song", "A", "MUSIC_VIDEO_TYPE_OMV");
        r.artists.push("B".into());
        let t = track(&r);
        assert_eq!(t.artist, "A, B");
        assert_eq!(t.isrc, None);
        assert_eq!(t.album, None);
        assert_eq!(t.id.unwrap().as_str(), "v");
    }
}
