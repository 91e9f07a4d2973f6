//! MPD (Music Player Daemon) stored playlists for musync, over MPD's text
//! protocol on TCP: list and read stored playlists, find songs in MPD's
//! database by their tags, append with `playlistadd`, create (an empty
//! stored playlist that is listed at once), remove by position. An
//! optional password (`password` in mpd.conf). No library playlist: MPD
//! has no "liked" songs.
//!
//! The client is a small one of its own: the sync needs about ten commands,
//! and the MPD crates on crates.io are either synchronous or released
//! rarely (see README.md).
#![warn(missing_docs)]

mod client;
mod protocol;
mod registry;
mod service;

pub use registry::{CAPABILITIES, INFO, KIND, MpdSignIn, sign_in};
pub use service::MpdService;

/// Where MPD listens unless told otherwise.
pub const DEFAULT_HOST: &str = "127.0.0.1";
/// MPD's port unless told otherwise.
pub const DEFAULT_PORT: u16 = 6600;
/// Most songs one add or removal sends (one command list).
pub const MAX_BATCH: usize = 500;

/// MPD has no share links or URIs for stored playlists; a playlist is
/// named by its name (`ACCOUNT:NAME`), and the `.m3u` file in MPD's
/// playlist directory is a local playlist file. Always `None`; here so
/// every service answers the same question.
pub fn playlist_id_from_link(_text: &str) -> Option<String> {
    None
}
