//! What a service can do, declared up front (OpenDAL's `Capability`,
//! rclone's `Features`), so the planner and the UI ask instead of
//! discovering "not supported" at run time.

use serde::Serialize;

/// Flat set of abilities; anything a service does not state is off.
///
/// Naming follows `<op>`, `<op>_<variant>`, `<op>_max_<limit>`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Capabilities {
    /// Can list the account's playlists.
    pub read_playlists: bool,
    /// Can read the tracks of a playlist.
    pub read_tracks: bool,
    /// Can search its catalogue for a track.
    pub search: bool,
    /// Search understands ISRC queries.
    pub search_isrc: bool,
    /// Tracks it returns usually carry an ISRC.
    pub track_isrc: bool,
    /// Can append tracks to a playlist.
    pub add_tracks: bool,
    /// Accepts tracks that are not in its catalogue (Last.fm loves any
    /// artist/title; a file takes anything): the review may offer "add with
    /// the source's exact name". Never picked automatically.
    pub add_unlisted: bool,
    /// Can create a new empty playlist.
    pub create_playlist: bool,
    /// Most tracks one `add` call may carry.
    pub add_max_batch: Option<usize>,
    /// Can remove single occurrences of tracks from a playlist (saved syncs
    /// that propagate removals).
    pub remove_tracks: bool,
    /// Most tracks one `remove` call may carry.
    pub remove_max_batch: Option<usize>,
    /// Most tracks a playlist may hold (a longer one is split by transfers).
    pub playlist_max_tracks: Option<usize>,
    /// The id of the account's library playlist (`liked`, `loved`,
    /// `my-music`, `starred`), when the service has one.
    pub library_playlist: Option<&'static str>,
}

impl Capabilities {
    /// True when nothing can be written: no adds, no removals, no new
    /// playlists.
    pub fn read_only(&self) -> bool {
        !self.add_tracks && !self.create_playlist && !self.remove_tracks
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unstated_abilities_are_off_and_read_only_is_derived() {
        let caps = Capabilities {
            read_playlists: true,
            read_tracks: true,
            ..Default::default()
        };
        assert!(caps.read_only());
        assert!(
            !Capabilities {
                add_tracks: true,
                ..caps
            }
            .read_only()
        );
    }
}
