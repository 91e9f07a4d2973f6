//! The two sides of a sync and which way songs may flow.

use musync_core::{PlaylistId, Service};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// One playlist in one service, as a side of a comparison.
#[derive(Clone)]
pub struct Side {
    /// The service (already wrapped in `Checked`).
    pub service: Arc<dyn Service>,
    /// The playlist inside it.
    pub playlist: PlaylistId,
    /// Stable reference for remembered decisions and the journal:
    /// `ACCOUNT:PLAYLIST`, or the absolute path of a file.
    pub reference: String,
    /// Whether this playlist accepts songs (service capability and the
    /// playlist's own `writable`).
    pub writable: bool,
    /// Name shown to people, e.g. `Spotify: Road trip`.
    pub label: String,
    /// A playlist file that does not exist yet: the first add creates it
    /// (front ends say so before that happens).
    pub missing_file: bool,
}

impl Side {
    /// Why nothing can be added to this side, if so.
    pub fn read_only_reason(&self) -> Option<String> {
        let caps = self.service.capabilities();
        if !caps.add_tracks {
            Some(self.service.kind().read_only_message())
        } else if !self.writable {
            Some(format!(
                "{} belongs to someone else: musync cannot add to it",
                self.label
            ))
        } else {
            None
        }
    }
}

/// Which side a song comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SideName {
    /// The first playlist given.
    Left,
    /// The second playlist given.
    Right,
}

/// Which way a sync adds songs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Direction {
    /// Each side gets what it lacks.
    #[default]
    Both,
    /// Only the right side gets songs.
    ToRight,
    /// Only the left side gets songs.
    ToLeft,
}

impl SideName {
    /// The other side.
    pub fn other(self) -> SideName {
        match self {
            SideName::Left => SideName::Right,
            SideName::Right => SideName::Left,
        }
    }
}

impl Direction {
    /// Whether songs from `from` flow to the other side.
    pub fn allows_from(self, from: SideName) -> bool {
        matches!(
            (self, from),
            (Direction::Both, _)
                | (Direction::ToRight, SideName::Left)
                | (Direction::ToLeft, SideName::Right)
        )
    }
}
