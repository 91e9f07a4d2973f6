//! [`MpdService`]: MPD's stored playlists behind musync's [`Service`]
//! trait. Songs are files in MPD's database, found by their tags; their id
//! is the file's URI. MPD has no library playlist.

use crate::client::{Effect, MpdClient, Pairs};
use crate::protocol::{self, filter, quote};
use async_trait::async_trait;
use deunicode::deunicode;
use musync_core::{
    Account, Capabilities, ErrorKind, Playlist, PlaylistEntry, PlaylistId, Progress, Secret,
    SecretStore, Service, ServiceError, ServiceKind, Track,
};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::OnceCell;

/// Candidates one search returns.
const SEARCH_WINDOW: usize = 50;
/// Most candidates the folded fallback returns.
const FALLBACK_MAX: usize = 20;

/// One MPD server.
pub struct MpdService {
    client: MpdClient,
    library: OnceCell<Vec<Track>>,
}

impl fmt::Debug for MpdService {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MpdService")
            .field("server", &self.client.name)
            .finish_non_exhaustive()
    }
}

/// The title to search for: no version suffix (" - Live", "(Remix)"),
/// which the matcher judges instead.
fn query_title(title: &str) -> String {
    let plain: String = {
        let mut depth = 0usize;
        title
            .chars()
            .filter(|c| match c {
                '(' | '[' => {
                    depth += 1;
                    false
                }
                ')' | ']' => {
                    depth = depth.saturating_sub(1);
                    false
                }
                _ => depth == 0,
            })
            .collect()
    };
    let head = plain.split(" - ").next().unwrap_or("").trim().to_owned();
    if head.is_empty() {
        title.trim().to_owned()
    } else {
        head
    }
}

fn folded(text: &str) -> String {
    deunicode(text)
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

fn to_track(s: &protocol::Song) -> Track {
    let title = s.title.clone().unwrap_or_else(|| {
        let name = s.file.rsplit('/').next().unwrap_or(&s.file);
        name.rsplit_once('.')
            .map_or(name, |(stem, _)| stem)
            .to_owned()
    });
    let mut t = Track::new(title, "").with_artists(s.artists.clone());
    if let Some(a) = &s.album {
        t = t.with_album(a);
    }
    if let Some(d) = s.duration.filter(|d| d.is_finite() && *d >= 0.0) {
        t = t.with_duration_s(d.round() as u32);
    }
    t.with_id(s.file.clone())
}

impl MpdService {
    /// Connects to `host:port` (nothing is sent until the first call).
    pub fn connect(
        host: &str,
        port: u16,
        password: Option<Secret>,
        timeout: Duration,
    ) -> MpdService {
        MpdService {
            client: MpdClient::new(host, port, password, timeout),
            library: OnceCell::new(),
        }
    }

    /// Opens a stored account: settings `{"host", "port"}`, secret
    /// `password` when MPD wants one.
    pub fn open(account: &Account, secrets: Arc<dyn SecretStore>) -> Result<Self, ServiceError> {
        let host = account
            .settings
            .get("host")
            .and_then(|v| v.as_str())
            .unwrap_or(crate::DEFAULT_HOST);
        let port = account
            .settings
            .get("port")
            .and_then(|v| v.as_u64())
            .and_then(|p| u16::try_from(p).ok())
            .unwrap_or(crate::DEFAULT_PORT);
        let password = secrets.get(&account.id, "password").map_err(|e| {
            ServiceError::new(
                ErrorKind::Io,
                "MPD",
                "opening the account",
                format!(
                    "could not read the saved password from the {} secret store: {e}",
                    secrets.backend()
                ),
            )
        })?;
        Ok(MpdService::connect(
            host,
            port,
            password,
            Duration::from_secs(20),
        ))
    }

    async fn run(&self, op: &str, command: String, effect: Effect) -> Result<Pairs, ServiceError> {
        self.client.call(op, &[command], effect).await
    }

    /// Checks the connection and the password (`listplaylists` needs the
    /// read permission).
    pub async fn check(&self) -> Result<(), ServiceError> {
        self.run("signing in", "listplaylists".into(), Effect::Read)
            .await
            .map(drop)
    }

    async fn names(&self, op: &str) -> Result<Vec<String>, ServiceError> {
        let pairs = self.run(op, "listplaylists".into(), Effect::Read).await?;
        Ok(pairs
            .into_iter()
            .filter(|(k, _)| k == "playlist")
            .map(|(_, v)| v)
            .collect())
    }

    async fn library(&self) -> Result<&Vec<Track>, ServiceError> {
        self.library
            .get_or_try_init(|| async {
                let pairs = self
                    .run("searching", "listallinfo".into(), Effect::Read)
                    .await?;
                Ok(protocol::songs(&pairs).iter().map(to_track).collect())
            })
            .await
    }

    /// The URI of some song in the database: descends `lsinfo` from the
    /// root until a file shows up.
    async fn any_song(&self, op: &str) -> Result<Option<String>, ServiceError> {
        let mut dir = String::new();
        for _ in 0..16 {
            let cmd = if dir.is_empty() {
                "lsinfo".to_owned()
            } else {
                format!("lsinfo {}", quote(&dir))
            };
            let pairs = self.run(op, cmd, Effect::Read).await?;
            if let Some((_, f)) = pairs.iter().find(|(k, _)| k == "file") {
                return Ok(Some(f.clone()));
            }
            match pairs.into_iter().find(|(k, _)| k == "directory") {
                Some((_, d)) => dir = d,
                None => return Ok(None),
            }
        }
        Ok(None)
    }

    fn writable(id: &PlaylistId, name: String) -> Playlist {
        Playlist {
            id: id.clone(),
            name,
            writable: true,
            track_count: None,
            owned: true,
        }
    }
}

#[async_trait]
impl Service for MpdService {
    fn kind(&self) -> ServiceKind {
        crate::KIND
    }

    fn capabilities(&self) -> Capabilities {
        crate::CAPABILITIES
    }

    async fn playlists(&self) -> Result<Vec<Playlist>, ServiceError> {
        Ok(self
            .names("listing playlists")
            .await?
            .into_iter()
            .map(|n| MpdService::writable(&PlaylistId::new(n.clone()), n))
            .collect())
    }

    async fn tracks(
        &self,
        playlist: &PlaylistId,
        progress: &dyn Progress,
    ) -> Result<Vec<Track>, ServiceError> {
        let pairs = self
            .run(
                "reading a playlist",
                format!("listplaylistinfo {}", quote(playlist.as_str())),
                Effect::Read,
            )
            .await?;
        let tracks: Vec<Track> = protocol::songs(&pairs).iter().map(to_track).collect();
        progress.set_total(tracks.len() as u64);
        progress.advance(tracks.len() as u64);
        Ok(tracks)
    }

    async fn search(&self, track: &Track) -> Result<Vec<Track>, ServiceError> {
        let title = query_title(&track.title);
        // MPD's `contains` ignores case, also beyond ASCII.
        let cmd = format!(
            "search {} window 0:{SEARCH_WINDOW}",
            filter("title", "contains", &title)
        );
        let found = protocol::songs(&self.run("searching", cmd, Effect::Read).await?);
        if !found.is_empty() {
            return Ok(found.iter().map(to_track).collect());
        }
        // Accents spelled differently: compare folded titles.
        let wanted = folded(&title);
        if wanted.is_empty() {
            return Ok(Vec::new());
        }
        Ok(self
            .library()
            .await?
            .iter()
            .filter(|t| {
                let c = folded(&query_title(&t.title));
                !c.is_empty() && (c.contains(&wanted) || wanted.contains(&c))
            })
            .take(FALLBACK_MAX)
            .cloned()
            .collect())
    }

    async fn add(&self, playlist: &PlaylistId, tracks: &[Track]) -> Result<(), ServiceError> {
        let op = "adding songs to a playlist";
        if tracks.len() > crate::MAX_BATCH {
            return Err(ServiceError::new(
                ErrorKind::Unsupported,
                &self.client.name,
                op,
                format!(
                    "{} songs in one call; at most {} are sent at once",
                    tracks.len(),
                    crate::MAX_BATCH
                ),
            ));
        }
        let mut commands = Vec::with_capacity(tracks.len());
        for t in tracks {
            let Some(uri) = &t.id else {
                return Err(ServiceError::new(
                    ErrorKind::InvalidInput,
                    &self.client.name,
                    op,
                    format!(
                        "{} is not a file in MPD's database; search for it first",
                        t.label()
                    ),
                ));
            };
            commands.push(format!(
                "playlistadd {} {}",
                quote(playlist.as_str()),
                quote(uri.as_str())
            ));
        }
        if commands.is_empty() {
            return Ok(());
        }
        self.client
            .call(op, &commands, Effect::Write)
            .await
            .map(drop)
    }

    async fn remove(
        &self,
        playlist: &PlaylistId,
        entries: &[PlaylistEntry],
    ) -> Result<(), ServiceError> {
        let op = "removing songs from a playlist";
        if entries.is_empty() {
            return Ok(());
        }
        let pairs = self
            .run(
                op,
                format!("listplaylist {}", quote(playlist.as_str())),
                Effect::Read,
            )
            .await?;
        let now: Vec<&str> = pairs
            .iter()
            .filter(|(k, _)| k == "file")
            .map(|(_, v)| v.as_str())
            .collect();
        let mut positions = Vec::new();
        for e in entries {
            let same = now.get(e.position).is_some_and(|uri| match &e.track.id {
                Some(id) => id.as_str() == *uri,
                None => false,
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
            positions.push(e.position);
        }
        // From the end, so earlier positions stay valid.
        positions.sort_unstable_by(|a, b| b.cmp(a));
        positions.dedup();
        let commands: Vec<String> = positions
            .iter()
            .map(|p| format!("playlistdelete {} {p}", quote(playlist.as_str())))
            .collect();
        self.client
            .call(op, &commands, Effect::Write)
            .await
            .map(drop)
    }

    async fn create_playlist(&self, name: &str) -> Result<Playlist, ServiceError> {
        let op = "creating a playlist";
        if name.contains(['/', '\n', '\r']) || name.trim().is_empty() {
            return Err(ServiceError::new(
                ErrorKind::InvalidInput,
                &self.client.name,
                op,
                format!("MPD playlist names cannot be empty or hold `/` or line breaks: {name:?}"),
            ));
        }
        if self.names(op).await?.iter().any(|n| n == name) {
            return Err(ServiceError::new(
                ErrorKind::InvalidInput,
                &self.client.name,
                op,
                format!("a stored playlist named \"{name}\" already exists"),
            )
            .with_hint("sync into it by name, or choose another name"));
        }
        // MPD has no "create empty": add a song and take it out again in
        // one command list, which leaves the empty playlist file listed.
        let q = quote(name);
        match self.any_song(op).await? {
            Some(uri) => {
                let commands = [
                    format!("playlistadd {q} {}", quote(&uri)),
                    format!("playlistdelete {q} 0"),
                ];
                self.client.call(op, &commands, Effect::Write).await?;
            }
            None => {
                return Err(ServiceError::new(
                    ErrorKind::InvalidInput,
                    &self.client.name,
                    op,
                    "MPD's database holds no songs, so there is nothing a playlist could hold",
                )
                .with_hint("add music to MPD's music_directory and run `mpc update`"));
            }
        }
        Ok(MpdService::writable(
            &PlaylistId::new(name),
            name.to_owned(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_titles_drop_versions() {
        assert_eq!(query_title("Karma Police - Live"), "Karma Police");
        assert_eq!(query_title("Halo (Remix)"), "Halo");
        assert_eq!(query_title("(Intro)"), "(Intro)");
        assert_eq!(folded("Hoppípolla"), "hoppipolla");
    }

    #[test]
    fn a_song_without_tags_is_named_by_its_file() {
        let t = to_track(&protocol::Song {
            file: "a/b/Song Name.flac".into(),
            ..Default::default()
        });
        assert_eq!(t.title, "Song Name");
        assert_eq!(t.id.unwrap().as_str(), "a/b/Song Name.flac");
    }
}
