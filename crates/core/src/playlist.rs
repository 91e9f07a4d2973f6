//! A playlist as a service lists it.

use crate::PlaylistId;
use serde::{Deserialize, Serialize};

/// One playlist of an account. Serialises to the CLI contract's
/// `{"id", "name", "writable", "track_count"}`.
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
}
