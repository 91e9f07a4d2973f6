//! The one trait in front of every music service.

use crate::{
    Capabilities, ErrorKind, Playlist, PlaylistEntry, PlaylistId, Progress, ServiceError, Track,
};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::Arc;

/// Which service an account or a playlist belongs to: its short name (in
/// account ids, on the command line, in the state database) and the name
/// people see. Each service crate declares its own as a `const`, so adding
/// a service never touches this crate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ServiceKind {
    name: &'static str,
    display_name: &'static str,
}

impl ServiceKind {
    /// A kind with its short name (`spotify`) and display name (`Spotify`).
    pub const fn new(name: &'static str, display_name: &'static str) -> Self {
        ServiceKind { name, display_name }
    }

    /// Short name used in account ids and on the command line (`amazon`).
    pub fn as_str(self) -> &'static str {
        self.name
    }

    /// Name shown to people (`Amazon Music`).
    pub fn display_name(self) -> &'static str {
        self.display_name
    }

    /// What people are told when asked to write into this service while it
    /// is read-only in musync.
    pub fn read_only_message(self) -> String {
        format!("{} is read-only in musync", self.display_name())
    }
}

impl fmt::Display for ServiceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.display_name())
    }
}

impl Serialize for ServiceKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name)
    }
}

/// A service's short name as stored with an account (`spotify`). The
/// registry turns it back into the service; an unknown name (an account
/// written by a newer musync) is reported there, not here.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ServiceName(pub String);

impl ServiceName {
    /// The short name as a string slice.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<ServiceKind> for ServiceName {
    fn from(kind: ServiceKind) -> Self {
        ServiceName(kind.as_str().to_owned())
    }
}

impl PartialEq<ServiceKind> for ServiceName {
    fn eq(&self, kind: &ServiceKind) -> bool {
        self.0 == kind.as_str()
    }
}

impl fmt::Display for ServiceName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
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

    /// A token that changes whenever `playlist` changes (for a file, its
    /// length and a hash of its bytes), when the service can tell without
    /// parsing the playlist; `None` when it cannot. A run that read the
    /// playlist and then waited for the right to write it reads it again
    /// only when the token moved, so a million-song file is not parsed twice.
    async fn revision(&self, _playlist: &PlaylistId) -> Option<String> {
        None
    }

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

    /// [`Service::add`] for tracks the caller shares. The default copies
    /// them into one batch; a service that takes a whole sync in one call
    /// (a file) writes from the shared tracks, so a run adding 300,000
    /// songs does not hold them twice.
    async fn add_shared(
        &self,
        playlist: &PlaylistId,
        tracks: &[Arc<Track>],
    ) -> Result<(), ServiceError> {
        let owned: Vec<Track> = tracks.iter().map(|t| Track::clone(t)).collect();
        self.add(playlist, &owned).await
    }

    /// Removes one occurrence of each entry from `playlist`, keeping the
    /// order of the rest. Each entry names the position and the track as
    /// [`Service::tracks`] read them; a service that removes by its own
    /// per-occurrence handle re-reads the playlist and finds the entry
    /// there, and fails rather than removing a different song. Requires
    /// `remove_tracks`.
    async fn remove(
        &self,
        _playlist: &PlaylistId,
        _entries: &[PlaylistEntry],
    ) -> Result<(), ServiceError> {
        Err(write_refused(
            self.kind(),
            self.capabilities(),
            "removing tracks",
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
