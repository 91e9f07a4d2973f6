//! [`SubsonicService`]: one account on a Subsonic/OpenSubsonic server
//! behind musync's [`Service`] trait — the user's playlists and starred
//! songs, read and write, `search3`, new playlists, removals by index.

use crate::auth::AuthMethod;
use crate::client::{Effect, SubsonicClient, Timing, rest_url};
use crate::search::{fold, query_title, title_may_match};
use crate::{STARRED_ID, STARRED_NAME, convert, model};
use async_trait::async_trait;
use musync_core::{
    Account, Capabilities, ErrorKind, Playlist, PlaylistEntry, PlaylistId, Progress, Secret,
    SecretStore, Service, ServiceError, ServiceKind, Track,
};
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::{Arc, Mutex};
use tokio::sync::OnceCell;

/// Songs per `search3` answer.
const SEARCH_COUNT: usize = 50;
/// Songs per page when reading the whole library for the fallback.
const LIBRARY_PAGE: usize = 500;
/// The fallback gives up on libraries larger than this.
const LIBRARY_MAX: usize = 20_000;
/// Most candidates the fallback returns.
const FALLBACK_MAX: usize = 20;

/// What opens a connection: where, who, how.
#[derive(Clone)]
pub struct Connection {
    /// The server's base address (musync adds `/rest/`).
    pub url: String,
    /// The user name.
    pub user: String,
    /// The password or API key.
    pub secret: Secret,
    /// How to send it.
    pub method: AuthMethod,
    /// The server lists OpenSubsonic `formPost`.
    pub form_post: bool,
    /// Timeouts and retries.
    pub timing: Timing,
}

impl fmt::Debug for Connection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Connection")
            .field("url", &self.url)
            .field("user", &self.user)
            .field("method", &self.method)
            .finish_non_exhaustive()
    }
}

/// One account on a Subsonic server.
pub struct SubsonicService {
    client: SubsonicClient,
    library: OnceCell<Vec<Track>>,
    writable: Mutex<HashMap<String, bool>>,
}

impl fmt::Debug for SubsonicService {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SubsonicService")
            .field("server", &self.client.name)
            .field("user", &self.client.user)
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

impl SubsonicService {
    /// Connects with explicit settings (sign-in and tests).
    pub fn connect(c: Connection) -> Result<SubsonicService, ServiceError> {
        let rest = rest_url(&c.url)
            .map_err(|m| ServiceError::new(ErrorKind::InvalidInput, "Subsonic", "connecting", m))?;
        Ok(SubsonicService {
            client: SubsonicClient::new(rest, &c.user, c.secret, c.method, c.form_post, c.timing)?,
            library: OnceCell::new(),
            writable: Mutex::new(HashMap::new()),
        })
    }

    /// Opens a stored account. Settings: `{"url", "user", "auth":
    /// "token"|"password"|"api_key", "extensions": [..]}`; the secret is
    /// `password` or `api_key`.
    pub fn open(account: &Account, secrets: Arc<dyn SecretStore>) -> Result<Self, ServiceError> {
        let op = "opening the account";
        let bad = |what: &str| {
            ServiceError::new(
                ErrorKind::InvalidInput,
                "Subsonic",
                op,
                format!("the account {} has no {what} in its settings", account.id),
            )
            .with_hint("sign in again: musync accounts add subsonic --url URL --user NAME")
        };
        let url = setting(account, "url").ok_or_else(|| bad("server address"))?;
        let user = setting(account, "user").ok_or_else(|| bad("user name"))?;
        let method = setting(account, "auth")
            .and_then(AuthMethod::parse)
            .unwrap_or(AuthMethod::Token);
        let key = if method == AuthMethod::ApiKey {
            "api_key"
        } else {
            "password"
        };
        let secret = secrets
            .get(&account.id, key)
            .map_err(|e| {
                ServiceError::new(
                    ErrorKind::Io,
                    "Subsonic",
                    op,
                    format!(
                        "could not read the saved sign-in from the {} secret store: {e}",
                        secrets.backend()
                    ),
                )
            })?
            .ok_or_else(|| {
                ServiceError::new(
                    ErrorKind::AuthExpired,
                    "Subsonic",
                    op,
                    format!("no saved {key} for {}", account.id),
                )
                .with_hint(format!(
                    "sign in again: musync accounts add subsonic --url {url} --user {user} --password-stdin"
                ))
            })?;
        let form_post = account
            .settings
            .get("extensions")
            .and_then(|v| v.as_array())
            .is_some_and(|a| a.iter().any(|e| e.as_str() == Some("formPost")));
        SubsonicService::connect(Connection {
            url: url.to_owned(),
            user: user.to_owned(),
            secret,
            method,
            form_post,
            timing: Timing::default(),
        })
    }

    /// The credential method in use now.
    pub fn auth_method(&self) -> AuthMethod {
        self.client.method()
    }

    /// `ping`: checks the address and the credentials.
    pub async fn ping(&self) -> Result<(), ServiceError> {
        self.client
            .call("signing in", "ping", &[], Effect::Read)
            .await
            .map(drop)
    }

    /// The OpenSubsonic extensions the server lists (none on a plain
    /// Subsonic server, which does not know the call).
    pub async fn extensions(&self) -> Result<Vec<String>, ServiceError> {
        let op = "reading the server's extensions";
        match self
            .client
            .get::<Vec<model::Extension>>(
                op,
                "getOpenSubsonicExtensions",
                &[],
                "openSubsonicExtensions",
            )
            .await
        {
            Ok(list) => {
                let names: Vec<String> = list.into_iter().map(|e| e.name).collect();
                self.client
                    .set_form_post(names.iter().any(|n| n == "formPost"));
                Ok(names)
            }
            Err(e) if matches!(e.kind, ErrorKind::Unavailable | ErrorKind::AuthExpired) => Err(e),
            Err(_) => Ok(Vec::new()),
        }
    }

    /// The user name an API key belongs to (OpenSubsonic `tokenInfo`).
    pub async fn key_owner(&self) -> Result<String, ServiceError> {
        let info: Option<model::TokenInfo> = self
            .client
            .get("signing in", "tokenInfo", &[], "tokenInfo")
            .await?;
        info.map(|i| i.username).ok_or_else(|| {
            ServiceError::new(
                ErrorKind::Protocol,
                &self.client.name,
                "signing in",
                "the server did not say whose API key this is",
            )
        })
    }

    async fn starred(&self, op: &str) -> Result<Vec<model::Child>, ServiceError> {
        let s: model::Songs = self.client.get(op, "getStarred2", &[], "starred2").await?;
        Ok(s.song)
    }

    async fn list(&self, op: &str) -> Result<Vec<model::Playlist>, ServiceError> {
        let p: model::Playlists = self
            .client
            .get(op, "getPlaylists", &[], "playlists")
            .await?;
        Ok(p.playlist)
    }

    async fn playlist(&self, op: &str, id: &str) -> Result<model::Playlist, ServiceError> {
        let p: Option<model::Playlist> = self
            .client
            .get(op, "getPlaylist", &[("id", id.to_owned())], "playlist")
            .await?;
        p.ok_or_else(|| {
            ServiceError::new(
                ErrorKind::Protocol,
                &self.client.name,
                op,
                "the server sent no playlist",
            )
        })
    }

    async fn search3(
        &self,
        query: &str,
        count: usize,
        offset: usize,
    ) -> Result<Vec<model::Child>, ServiceError> {
        let params = [
            ("query", query.to_owned()),
            ("songCount", count.to_string()),
            ("songOffset", offset.to_string()),
            ("artistCount", "0".to_owned()),
            ("albumCount", "0".to_owned()),
        ];
        let r: model::Songs = self
            .client
            .get("searching", "search3", &params, "searchResult3")
            .await?;
        Ok(r.song.into_iter().filter(|c| !c.is_dir).collect())
    }

    /// Every song of the library, read once per run (paged `search3` with
    /// an empty query; `""` for servers that want it), or nothing for very
    /// large libraries.
    async fn library(&self) -> Result<&Vec<Track>, ServiceError> {
        self.library
            .get_or_try_init(|| async {
                let mut out = Vec::new();
                for query in ["", "\"\""] {
                    loop {
                        let page = self.search3(query, LIBRARY_PAGE, out.len()).await?;
                        let n = page.len();
                        out.extend(page.iter().map(convert::track));
                        if n < LIBRARY_PAGE || out.len() >= LIBRARY_MAX {
                            break;
                        }
                    }
                    if !out.is_empty() {
                        break;
                    }
                }
                if out.len() >= LIBRARY_MAX {
                    tracing::info!(server = %self.client.name, "library too large to read for the search fallback");
                    out.clear();
                }
                Ok(out)
            })
            .await
    }

    /// Whether the account may change `id`: known from the last listing,
    /// else asked (Gonic answers OK to others' updates without applying them).
    async fn check_writable(&self, op: &str, id: &str) -> Result<(), ServiceError> {
        let known = self
            .writable
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(id)
            .copied();
        let writable = match known {
            Some(w) => w,
            None => {
                let p = self.playlist(op, id).await?;
                let w = convert::playlist(&p, &self.client.user).writable;
                self.writable
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(id.to_owned(), w);
                w
            }
        };
        if writable {
            Ok(())
        } else {
            Err(ServiceError::new(
                ErrorKind::PermissionDenied,
                &self.client.name,
                op,
                format!("the playlist {id} belongs to someone else or is read-only on the server"),
            )
            .with_hint("pick one of your own playlists (`musync playlists ACCOUNT`) or create one"))
        }
    }

    fn ids<'a>(&self, op: &str, tracks: &'a [Track]) -> Result<Vec<&'a str>, ServiceError> {
        tracks
            .iter()
            .map(|t| {
                t.id.as_ref().map(|i| i.as_str()).ok_or_else(|| {
                    ServiceError::new(
                        ErrorKind::InvalidInput,
                        &self.client.name,
                        op,
                        format!(
                            "{} has no id on this server; search for it first",
                            t.label()
                        ),
                    )
                })
            })
            .collect()
    }

    fn too_many(&self, op: &str, n: usize) -> Option<ServiceError> {
        (n > crate::MAX_BATCH).then(|| {
            ServiceError::new(
                ErrorKind::Unsupported,
                &self.client.name,
                op,
                format!(
                    "{n} songs in one call; at most {} are sent at once",
                    crate::MAX_BATCH
                ),
            )
        })
    }
}

#[async_trait]
impl Service for SubsonicService {
    fn kind(&self) -> ServiceKind {
        crate::KIND
    }

    fn capabilities(&self) -> Capabilities {
        crate::CAPABILITIES
    }

    async fn playlists(&self) -> Result<Vec<Playlist>, ServiceError> {
        let op = "listing playlists";
        let mut out = vec![Playlist {
            id: PlaylistId::new(STARRED_ID),
            name: STARRED_NAME.to_owned(),
            writable: true,
            track_count: None,
            owned: true,
        }];
        let list = self.list(op).await?;
        let mut cache = self.writable.lock().unwrap_or_else(|e| e.into_inner());
        for p in &list {
            let p = convert::playlist(p, &self.client.user);
            cache.insert(p.id.0.clone(), p.writable);
            out.push(p);
        }
        Ok(out)
    }

    async fn tracks(
        &self,
        playlist: &PlaylistId,
        progress: &dyn Progress,
    ) -> Result<Vec<Track>, ServiceError> {
        let songs = if playlist.as_str() == STARRED_ID {
            self.starred("reading starred songs").await?
        } else {
            self.playlist("reading a playlist", playlist.as_str())
                .await?
                .entry
        };
        let tracks: Vec<Track> = songs
            .iter()
            .filter(|c| !c.is_dir)
            .map(convert::track)
            .collect();
        progress.set_total(tracks.len() as u64);
        progress.advance(tracks.len() as u64);
        Ok(tracks)
    }

    async fn search(&self, track: &Track) -> Result<Vec<Track>, ServiceError> {
        let title = query_title(&track.title);
        let mut found = self.search3(&title, SEARCH_COUNT, 0).await?;
        if found.is_empty() && title != track.title.trim() {
            found = self.search3(track.title.trim(), SEARCH_COUNT, 0).await?;
        }
        if !found.is_empty() {
            return Ok(found.iter().map(convert::track).collect());
        }
        // Accents or non-ASCII case spelled differently: compare folded.
        let wanted = fold(&title);
        Ok(self
            .library()
            .await?
            .iter()
            .filter(|t| title_may_match(&wanted, &t.title))
            .take(FALLBACK_MAX)
            .cloned()
            .collect())
    }

    async fn add(&self, playlist: &PlaylistId, tracks: &[Track]) -> Result<(), ServiceError> {
        if tracks.is_empty() {
            return Ok(());
        }
        if playlist.as_str() == STARRED_ID {
            let op = "starring songs";
            if let Some(e) = self.too_many(op, tracks.len()) {
                return Err(e);
            }
            let ids = self.ids(op, tracks)?;
            // Supysonic fails on a song that is already starred.
            let already: HashSet<String> =
                self.starred(op).await?.into_iter().map(|c| c.id).collect();
            let mut seen = HashSet::new();
            let params: Vec<(&str, String)> = ids
                .into_iter()
                .filter(|id| !already.contains(*id) && seen.insert(*id))
                .map(|id| ("id", id.to_owned()))
                .collect();
            if params.is_empty() {
                return Ok(());
            }
            return self
                .client
                .call(op, "star", &params, Effect::Write)
                .await
                .map(drop);
        }
        let op = "adding songs to a playlist";
        if let Some(e) = self.too_many(op, tracks.len()) {
            return Err(e);
        }
        let ids = self.ids(op, tracks)?;
        self.check_writable(op, playlist.as_str()).await?;
        let mut params = vec![("playlistId", playlist.0.clone())];
        params.extend(ids.into_iter().map(|id| ("songIdToAdd", id.to_owned())));
        self.client
            .call(op, "updatePlaylist", &params, Effect::Write)
            .await
            .map(drop)
    }

    async fn remove(
        &self,
        playlist: &PlaylistId,
        entries: &[PlaylistEntry],
    ) -> Result<(), ServiceError> {
        if entries.is_empty() {
            return Ok(());
        }
        if playlist.as_str() == STARRED_ID {
            let op = "unstarring songs";
            let tracks: Vec<Track> = entries.iter().map(|e| e.track.clone()).collect();
            let params: Vec<(&str, String)> = self
                .ids(op, &tracks)?
                .into_iter()
                .map(|id| ("id", id.to_owned()))
                .collect();
            return self
                .client
                .call(op, "unstar", &params, Effect::Write)
                .await
                .map(drop);
        }
        let op = "removing songs from a playlist";
        if let Some(e) = self.too_many(op, entries.len()) {
            return Err(e);
        }
        self.check_writable(op, playlist.as_str()).await?;
        // Indexes refer to the list as it is now: check it still holds the
        // songs that were read, never remove a different one.
        let now = self.playlist(op, playlist.as_str()).await?.entry;
        let mut params = vec![("playlistId", playlist.0.clone())];
        for e in entries {
            let there = now.get(e.position);
            let same = there.is_some_and(|c| match &e.track.id {
                Some(id) => id.as_str() == c.id,
                None => c.title == e.track.title,
            });
            if !same {
                return Err(ServiceError::new(
                    ErrorKind::InvalidInput,
                    &self.client.name,
                    op,
                    format!(
                        "the playlist changed since it was read ({} is no longer at position {}); nothing was removed",
                        e.track.label(),
                        e.position + 1
                    ),
                )
                .with_hint("run the sync again"));
            }
            params.push(("songIndexToRemove", e.position.to_string()));
        }
        self.client
            .call(op, "updatePlaylist", &params, Effect::Write)
            .await
            .map(drop)
    }

    async fn create_playlist(&self, name: &str) -> Result<Playlist, ServiceError> {
        let op = "creating a playlist";
        let before: HashSet<String> = self.list(op).await?.into_iter().map(|p| p.id).collect();
        let answer = self
            .client
            .call(
                op,
                "createPlaylist",
                &[("name", name.to_owned())],
                Effect::Write,
            )
            .await?;
        // API 1.14+ answers with the playlist; older servers (Supysonic)
        // with nothing, so the new one is found by reading the list again.
        let made: Option<model::Playlist> =
            self.client.decode(op, answer, "playlist").ok().flatten();
        let made = match made {
            Some(p) => p,
            None => self
                .list(op)
                .await?
                .into_iter()
                .rfind(|p| p.name == name && !before.contains(&p.id))
                .ok_or_else(|| {
                    ServiceError::new(
                        ErrorKind::Protocol,
                        &self.client.name,
                        op,
                        format!("the server said it created \"{name}\" but does not list it"),
                    )
                })?,
        };
        let mut p = convert::playlist(&made, &self.client.user);
        // Servers may prefix or rename; keep what the server lists but
        // never report someone else's playlist as ours.
        p.owned = true;
        p.writable = !made.readonly;
        self.writable
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(p.id.0.clone(), p.writable);
        Ok(p)
    }
}
