//! The one trait in front of every music service.

use crate::{Capabilities, ErrorKind, Playlist, PlaylistId, Progress, ServiceError, Track};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Which service an account or a playlist belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ServiceKind {
    /// Amazon Music, through its web player's private API (read-only).
    Amazon,
    /// Last.fm loved and recent tracks.
    Lastfm,
    /// Spotify playlists and Liked Songs.
    Spotify,
    /// A local playlist file (M3U8, XSPF, CSV, JSON).
    File,
}

impl ServiceKind {
    /// Every kind, in the order menus list them.
    pub const ALL: [ServiceKind; 4] = [
        ServiceKind::Amazon,
        ServiceKind::Lastfm,
        ServiceKind::Spotify,
        ServiceKind::File,
    ];

    /// Short name used in account ids and on the command line (`amazon`).
    pub fn as_str(self) -> &'static str {
        match self {
            ServiceKind::Amazon => "amazon",
            ServiceKind::Lastfm => "lastfm",
            ServiceKind::Spotify => "spotify",
            ServiceKind::File => "file",
        }
    }

    /// Name shown to people (`Amazon Music`).
    pub fn display_name(self) -> &'static str {
        match self {
            ServiceKind::Amazon => "Amazon Music",
            ServiceKind::Lastfm => "Last.fm",
            ServiceKind::Spotify => "Spotify",
            ServiceKind::File => "Playlist file",
        }
    }

    /// What people are told when asked to write into this service while it
    /// is read-only in musync.
    pub fn read_only_message(self) -> String {
        format!("{} is read-only in musync", self.display_name())
    }

    /// Parses the short name.
    pub fn parse(s: &str) -> Option<ServiceKind> {
        ServiceKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

impl fmt::Display for ServiceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.display_name())
    }
}

/// A music service seen through one account.
///
/// Implementors declare [`Capabilities`] and implement the methods those
/// capabilities promise; the rest keep their defaults, which fail with
/// [`ErrorKind::Unsupported`]. Callers hold services as `Arc<dyn Service>`,
/// usually wrapped in [`crate::Checked`] so a call outside the declared set
/// fails in one place with one message.
#[async_trait]
pub trait Service: Send + Sync {
    /// Which service this is.
    fn kind(&self) -> ServiceKind;

    /// What this service can do. Must not change during the object's life.
    fn capabilities(&self) -> Capabilities;

    /// Every playlist of the account. Requires `read_playlists`.
    async fn playlists(&self) -> Result<Vec<Playlist>, ServiceError>;

    /// The tracks of one playlist, in playlist order. Requires `read_tracks`.
    async fn tracks(
        &self,
        playlist: &PlaylistId,
        progress: &dyn Progress,
    ) -> Result<Vec<Track>, ServiceError>;

    /// Candidates in this service for a track from elsewhere, best first as
    /// far as the service knows; the matching engine ranks them. An empty
    /// list means "not found". Requires `search`.
    async fn search(&self, _track: &Track) -> Result<Vec<Track>, ServiceError> {
        Err(unsupported(self.kind(), "searching"))
    }

    /// Appends `tracks` to the end of `playlist`, in order, never touching
    /// what is there. At most `add_max_batch` tracks per call. Requires
    /// `add_tracks`.
    async fn add(&self, _playlist: &PlaylistId, _tracks: &[Track]) -> Result<(), ServiceError> {
        Err(write_refused(
            self.kind(),
            self.capabilities(),
            "adding tracks",
        ))
    }

    /// Creates an empty playlist. Requires `create_playlist`.
    async fn create_playlist(&self, _name: &str) -> Result<Playlist, ServiceError> {
        Err(write_refused(
            self.kind(),
            self.capabilities(),
            "creating a playlist",
        ))
    }
}

/// The uniform error for a call outside a service's capabilities.
pub(crate) fn unsupported(kind: ServiceKind, op: &str) -> ServiceError {
    ServiceError::new(
        ErrorKind::Unsupported,
        kind.display_name(),
        op,
        format!("{kind} cannot do this in musync"),
    )
}

/// The error for a write the service does not offer; a read-only service
/// says so in the words the rest of musync uses.
pub(crate) fn write_refused(kind: ServiceKind, caps: Capabilities, op: &str) -> ServiceError {
    if caps.read_only() {
        ServiceError::new(
            ErrorKind::Unsupported,
            kind.display_name(),
            op,
            kind.read_only_message(),
        )
    } else {
        unsupported(kind, op)
    }
}
