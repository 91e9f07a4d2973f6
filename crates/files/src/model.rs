//! The shapes of the four playlist file formats, as their parsers read them.
//!
//! These are the files' own vocabulary (an `#EXTINF` display string, an XSPF
//! `<creator>`, an Exportify column index), kept apart from
//! `musync_core::Track` so each format's quirks stay here and in `convert.rs`.
//! Besides the tracks, each parsed file remembers where new entries go, so
//! `add` can splice them in and leave every existing byte as it was.

use musync_core::Track;
use serde::Deserialize;

/// One M3U/M3U8 entry: an optional `#EXTINF` line and its path/URI line.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct M3uEntry {
    /// `#EXTINF` seconds; `None` when absent or negative (`-1` = unknown).
    pub duration_s: Option<f64>,
    /// The `#EXTINF` display text after the comma (`Artist - Title`).
    pub display: Option<String>,
    /// The path or URI line.
    pub location: String,
    /// `#EXTALB:` before the path line.
    pub album: Option<String>,
    /// `#EXTISRC:` before the path line.
    pub isrc: Option<String>,
    /// `#EXTARTIST:` before the path line: the artists, `;` between them.
    pub artist: Option<String>,
}

/// A parsed M3U/M3U8 file.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct M3u {
    /// `#PLAYLIST:` title.
    pub name: Option<String>,
    /// Entries in file order.
    pub entries: Vec<M3uEntry>,
}

/// One XSPF `<track>`.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct XspfTrack {
    /// First `<location>`.
    pub location: Option<String>,
    /// Every `<identifier>`, in order (`isrc:…`, service URIs).
    pub identifiers: Vec<String>,
    /// `<title>`.
    pub title: Option<String>,
    /// `<creator>`: the display artist.
    pub creator: Option<String>,
    /// `<album>`.
    pub album: Option<String>,
    /// `<duration>` in milliseconds.
    pub duration_ms: Option<u64>,
}

/// Where `add` puts new `<track>` elements into an existing XSPF document
/// (byte offsets into the text after any BOM).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum XspfInsert {
    /// Before `</trackList>`, which starts at `offset`; `indent` is the
    /// whitespace in front of that closing tag on its line.
    BeforeTrackListEnd { offset: usize, indent: String },
    /// Replace an empty `<trackList/>` spanning `start..end`.
    ReplaceEmptyTrackList { start: usize, end: usize },
    /// The document has no `<trackList>`: add one before `</playlist>` at `offset`.
    BeforePlaylistEnd { offset: usize },
    /// The whole playlist is an empty `<playlist/>` spanning `start..end`.
    EmptyPlaylist { start: usize, end: usize },
}

/// A parsed XSPF document.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Xspf {
    /// The playlist's `<title>`.
    pub title: Option<String>,
    /// Tracks in document order.
    pub tracks: Vec<XspfTrack>,
    /// The byte range of each track's `<track>` element, in the same order.
    pub spans: Vec<(usize, usize)>,
    /// Where new tracks go.
    pub insert: XspfInsert,
}

/// Which column holds what in a CSV (0-based indices); see `csv_header.rs`
/// for the names each field is recognised by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CsvColumns {
    /// `Track URI` (any id: a Spotify URI, a path, a URL).
    pub uri: Option<usize>,
    /// A bare Spotify track id (`Spotify ID`, TuneMyMusic's `Spotify - id`).
    pub spotify_id: Option<usize>,
    /// `Track Name` (required).
    pub name: usize,
    /// `Artist Name(s)` (required).
    pub artists: usize,
    /// `Artist URI(s)`: how many artists a row has.
    pub artist_ids: Option<usize>,
    /// `Album Name`.
    pub album: Option<usize>,
    /// `Duration (ms)` or older Exportify's `Track Duration (ms)`.
    pub duration_ms: Option<usize>,
    /// `ISRC`.
    pub isrc: Option<usize>,
    /// Number of columns in the header.
    pub width: usize,
}

/// How a CSV file separates the artists in one cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ArtistSeparator {
    /// `A;B` (Exportify today); a comma is part of a name.
    Semicolon,
    /// `A,B` or `A, B` (older exports); `\,` is a comma inside a name.
    Comma,
}

/// Column names musync writes in a new CSV, in this order.
pub(crate) const CSV_HEADER: [&str; 6] = [
    "Track URI",
    "Track Name",
    "Artist Name(s)",
    "Album Name",
    "Duration (ms)",
    "ISRC",
];

/// How an existing CSV is written, so appended rows look like the rest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CsvDialect {
    /// Field delimiter (`,` for Exportify; `;` and tab are detected too).
    pub delimiter: u8,
    /// Rows end with this (`\n`, `\r\n`, or an old Mac's `\r`).
    pub eol: &'static str,
    /// Every field is quoted (Exportify does this).
    pub quote_all: bool,
}

/// A parsed CSV file.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Csv {
    /// The header's meaning.
    pub columns: CsvColumns,
    /// How it is written.
    pub dialect: CsvDialect,
    /// How its artist cells separate names.
    pub separator: ArtistSeparator,
    /// Tracks in row order.
    pub tracks: Vec<Track>,
    /// The byte offset where each track's row starts, in the same order.
    pub row_starts: Vec<usize>,
}

/// musync's JSON playlist: `{"name": …, "tracks": [TRACK, …]}`. The TRACK
/// object is the CLI contract's, which core's `Track` (de)serialises.
#[derive(Debug, Deserialize)]
pub(crate) struct JsonPlaylist {
    /// Playlist name.
    #[serde(default)]
    pub name: Option<String>,
    /// Tracks in order.
    #[serde(default)]
    pub tracks: Vec<Track>,
}

/// Where `add` puts new tracks into an existing JSON document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum JsonInsert {
    /// Into the tracks array whose `]` is at `close`; `last_end` is the byte
    /// after its last element (`None` when the array is empty).
    IntoArray {
        open: usize,
        close: usize,
        last_end: Option<usize>,
    },
    /// The object has no `tracks` key: add one before the `}` at `close`;
    /// `last_end` is the byte after its last member (`None` for `{}`).
    NewKey {
        close: usize,
        last_end: Option<usize>,
    },
}

/// A parsed JSON document.
#[derive(Debug)]
pub(crate) struct Json {
    /// The `name` member.
    pub name: Option<String>,
    /// The tracks.
    pub tracks: Vec<Track>,
}
