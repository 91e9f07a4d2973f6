//! A playlist as a service lists it.

use crate::PlaylistId;
use serde::{Deserialize, Serialize};

/// One playlist of an account. Serialises to the CLI contract's
/// `{"id", "name", "writable", "track_count"}` plus `owned`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Playlist {
    /// Id inside the account (`my-music`, `loved`, a UUID, a file path).
    pub id: PlaylistId,
    /// Name shown to the user.
    pub name: String,
    /// Whether musync may add songs to it (false for read-only services and
    /// for other people's playlists).
    pub writable: bool,
    /// Number of tracks, when the service says without reading them all.
    pub track_count: Option<u64>,
    /// The account owns it (a library playlist counts as owned); followed
    /// and collaborative playlists of others are not, and are left out of
    /// whole-library transfers.
    #[serde(default = "owned_by_default")]
    pub owned: bool,
}

fn owned_by_default() -> bool {
    true
}

/// One occurrence of a track in a playlist, as [`crate::Service::tracks`]
/// read it: for removals, which must remove this occurrence and no other.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlaylistEntry {
    /// Position in the playlist as read (0-based).
    pub position: usize,
    /// The track at that position.
    pub track: crate::Track,
}
