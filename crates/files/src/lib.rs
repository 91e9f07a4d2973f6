//! Local playlist files (M3U/M3U8, XSPF, CSV with Exportify's columns, and
//! musync's own JSON) as a musync service, plus the read/render/write
//! functions `musync export` and the engine use directly.
//!
//! A file is one playlist whose id is its path. It accepts any track, so a
//! "search" offers the source track itself, and writing appends: existing
//! entries keep their order and bytes, and what musync does not understand
//! (M3U directives, extra CSV columns, XSPF extensions, unknown JSON members)
//! stays in the file. Every write is atomic (temp file + fsync + rename), and
//! a file that fails to parse is never written.
//!
//! Layout follows the service crates: `model.rs` holds each format's shape,
//! `convert.rs` maps it to `musync_core::Track`, one module per format parses
//! and renders, `service.rs` is the [`musync_core::Service`] impl.
#![warn(missing_docs)]
// `ServiceError` (core) is the contract's error type and is large; boxing it
// here alone would only add conversions at every call site.

mod atomic;
mod convert;
mod csv;
mod csv_header;
mod error;
mod folder;
mod formula;
mod input;
mod json;
mod m3u;
mod model;
mod registry;
mod service;
mod text;
mod xspf;

pub use folder::{FOLDER_CAPABILITIES, FOLDER_KIND, FolderService, safe_file_stem};
pub use formula::spreadsheet_safe;
pub use input::MAX_FILE_BYTES;
pub use registry::{CAPABILITIES, INFO, KIND};
pub use service::FileService;

use error::Malformed;
use musync_core::{ErrorKind, ServiceError, Track};
use std::borrow::Borrow;
use std::path::Path;

const OP_READ: &str = "reading the playlist";

/// A playlist file format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// Extended M3U in UTF-8 (`.m3u8`; `.m3u` reads the same, Latin-1 too).
    M3u8,
    /// XML Shareable Playlist Format (`.xspf`).
    Xspf,
    /// CSV with Exportify's column names (`.csv`).
    Csv,
    /// musync's JSON: `{"name", "tracks": [TRACK]}` (`.json`).
    Json,
}

impl Format {
    /// Every format, in the order help texts list them.
    pub const ALL: [Format; 4] = [Format::M3u8, Format::Xspf, Format::Csv, Format::Json];

    /// The format a file name's extension names (case-insensitive):
    /// `.m3u`, `.m3u8`, `.xspf`, `.csv`, `.json`.
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?;
        Format::parse(&ext.to_ascii_lowercase())
    }

    /// The format a `--format` value names: `m3u8`, `m3u`, `xspf`, `csv`, `json`.
    pub fn parse(name: &str) -> Option<Format> {
        match name {
            "m3u8" | "m3u" => Some(Format::M3u8),
            "xspf" => Some(Format::Xspf),
            "csv" => Some(Format::Csv),
            "json" => Some(Format::Json),
            _ => None,
        }
    }

    /// The extension musync writes, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::M3u8 => "m3u8",
            Format::Xspf => "xspf",
            Format::Csv => "csv",
            Format::Json => "json",
        }
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.extension())
    }
}

/// The error for a path whose extension names no format.
pub(crate) fn unknown_format(path: &Path, op: &str) -> ServiceError {
    let ext = path
        .extension()
        .map(|e| format!("'.{}'", e.to_string_lossy()))
        .unwrap_or_else(|| "no extension".to_owned());
    ServiceError::new(
        ErrorKind::InvalidInput,
        error::service_name(),
        op,
        format!(
            "{}: {ext} is not a playlist file type musync knows",
            path.display()
        ),
    )
    .with_hint("use a file ending in .m3u, .m3u8, .xspf, .csv or .json")
}

/// A parsed playlist file.
pub(crate) struct Parsed {
    /// The file's own title.
    pub name: Option<String>,
    /// Tracks in file order.
    pub tracks: Vec<Track>,
    /// Set when the file has content but no track: why, for a warning.
    pub empty_reason: Option<&'static str>,
}

/// Why a non-blank file of `format` can hold no track.
fn empty_reason(format: Format) -> &'static str {
    match format {
        Format::M3u8 => {
            "it has only comments and directives (lines starting with #), no path lines"
        }
        Format::Xspf => "its <trackList> has no <track>",
        Format::Csv => "it has a header row but no song rows",
        Format::Json => "its tracks array is empty",
    }
}

/// Decodes a file's bytes and applies the limits every format shares.
fn decode(format: Format, bytes: &[u8]) -> Result<text::Text<'_>, Malformed> {
    let decoded = text::decode(bytes, format == Format::M3u8)?;
    if matches!(format, Format::M3u8 | Format::Csv) {
        text::check_line_lengths(decoded.text())?;
    }
    Ok(decoded)
}

/// Parses a file's bytes in `format`.
pub(crate) fn parse_bytes(format: Format, bytes: &[u8]) -> Result<Parsed, Malformed> {
    let decoded = decode(format, bytes)?;
    if text::is_blank(decoded.text()) {
        return Ok(Parsed {
            name: None,
            tracks: Vec::new(),
            empty_reason: None,
        });
    }
    let text = decoded.text();
    let (name, mut tracks) = match format {
        Format::M3u8 => m3u::read(text)?,
        Format::Xspf => xspf::read(text)?,
        Format::Csv => csv::read(text)?,
        Format::Json => json::read(text)?,
    };
    // A reader's `collect` may reuse the buffer of larger rows it parsed
    // first (CSV: ~190-byte rows for ~150-byte tracks) and round up: the
    // list lives through the whole run, so it is trimmed to its length.
    tracks.shrink_to_fit();
    let empty_reason = tracks.is_empty().then(|| empty_reason(format));
    Ok(Parsed {
        name,
        tracks,
        empty_reason,
    })
}

/// What appending writes: the new file is `original` followed by a tail
/// (CSV and M3U rows go at the end), or a whole new file (XSPF and JSON
/// entries go inside the document, and a blank file is written afresh).
pub(crate) enum Appended {
    /// Bytes that follow the file's own bytes, which stay as they are and
    /// are written straight from the read buffer: a large playlist is
    /// never copied in memory.
    Tail(Vec<u8>),
    /// The whole new file.
    Whole(Vec<u8>),
}

/// `original` with `tracks` appended in `format`, in the file's own
/// encoding; `name` titles a file that was blank. Fails, writing nothing,
/// when `original` does not parse.
pub(crate) fn append_bytes(
    format: Format,
    original: &[u8],
    name: &str,
    tracks: &[impl Borrow<Track>],
) -> Result<Appended, Malformed> {
    let decoded = decode(format, original)?;
    if text::is_blank(decoded.text()) {
        let fresh = render_text(format, name, tracks);
        return Ok(Appended::Whole(decoded.encoding.encode(fresh)));
    }
    if decoded.encoding == text::Encoding::Latin1 {
        return Err(Malformed::whole(
            "is not UTF-8 (musync read it as Latin-1) and adding UTF-8 entries would mix two encodings",
            "convert it to UTF-8 first (e.g. `iconv -f latin1 -t utf-8 old.m3u > new.m3u8`)",
        ));
    }
    let encoding = decoded.encoding;
    Ok(match format {
        Format::M3u8 => Appended::Tail(encoding.encode_tail(m3u::append(&decoded, tracks)?)),
        Format::Csv => Appended::Tail(encoding.encode_tail(csv::append(&decoded, tracks)?)),
        Format::Xspf => Appended::Whole(encoding.encode(xspf::append(&decoded, tracks)?)),
        Format::Json => Appended::Whole(encoding.encode(json::append(&decoded, tracks)?)),
    })
}

/// `original` without the entries at `positions` (0-based, in file order),
/// in the file's own encoding, the rest in order. Every format loses
/// exactly the bytes of those entries and keeps all others, so the file's
/// own style survives: M3U the entry's path line and the track directives
/// right before it, XSPF the `<track>` elements (with their lines), CSV the
/// rows, JSON the elements of the tracks array (joined as the file joins
/// them, pretty or compact). Fails, writing nothing, when `original` does
/// not parse or a position is not in it.
pub(crate) fn remove_bytes(
    format: Format,
    original: &[u8],
    positions: &[usize],
) -> Result<Vec<u8>, Malformed> {
    let parsed = parse_bytes(format, original)?;
    if let Some(&bad) = positions.iter().find(|&&p| p >= parsed.tracks.len()) {
        return Err(Malformed::whole(
            format!(
                "has {} songs, so there is no song {} to remove",
                parsed.tracks.len(),
                bad + 1
            ),
            "it changed since musync read it; run again",
        ));
    }
    let decoded = decode(format, original)?;
    if decoded.encoding == text::Encoding::Latin1 {
        return Err(Malformed::whole(
            "is not UTF-8 (musync read it as Latin-1) and rewriting it would change its encoding",
            "convert it to UTF-8 first (e.g. `iconv -f latin1 -t utf-8 old.m3u > new.m3u8`)",
        ));
    }
    let changed = match format {
        Format::M3u8 => m3u::remove(&decoded.raw, positions),
        Format::Xspf => xspf::remove(&decoded, positions)?,
        Format::Csv => csv::remove(&decoded, positions)?,
        Format::Json => json::remove(&decoded, positions)?,
    };
    Ok(decoded.encoding.encode(changed))
}

/// Logs why a file with content read as no tracks (the CLI shows warnings).
pub(crate) fn warn_if_empty(path: &Path, parsed: &Parsed) {
    if let Some(reason) = parsed.empty_reason {
        tracing::warn!(
            "{}: the file is not empty but holds no songs: {reason}",
            path.display()
        );
    }
}

/// Reads a playlist file: its own title (XSPF `<title>`, JSON `name`, M3U
/// `#PLAYLIST:`; CSV has none) and its tracks in file order.
///
/// Only regular files of at most [`MAX_FILE_BYTES`] are read. A file with
/// content but no track logs a warning naming the file and the reason.
///
/// Errors: unknown extension or malformed content → `InvalidInput` with
/// `"{path}:{line}: …"`; not a regular file or too large → `InvalidInput`;
/// a missing file → `NotFound`; else `Io`.
pub fn read(path: &Path) -> Result<(Option<String>, Vec<Track>), ServiceError> {
    let format = Format::from_path(path).ok_or_else(|| unknown_format(path, OP_READ))?;
    let bytes = input::read_bounded(path).map_err(|r| r.into_error(path, OP_READ))?;
    let parsed = parse_bytes(format, &bytes).map_err(|m| m.into_error(path, OP_READ))?;
    warn_if_empty(path, &parsed);
    Ok((parsed.name, parsed.tracks))
}

/// A whole file's text.
pub(crate) fn render_text(format: Format, name: &str, tracks: &[impl Borrow<Track>]) -> String {
    match format {
        Format::M3u8 => m3u::render(name, tracks),
        Format::Xspf => xspf::render(name, tracks),
        Format::Csv => csv::render(tracks),
        Format::Json => json::render(name, tracks),
    }
}

/// A whole playlist file in `format`, titled `name`.
pub fn render(format: Format, name: &str, tracks: &[Track]) -> Result<String, ServiceError> {
    Ok(render_text(format, name, tracks))
}

/// Writes a new playlist file at `path` (for `musync export -o`), replacing
/// any file there atomically: on failure the old file is left as it was.
pub fn write_new(
    path: &Path,
    format: Format,
    name: &str,
    tracks: &[Track],
) -> Result<(), ServiceError> {
    let content = render(format, name, tracks)?;
    atomic::replace(path, content.as_bytes()).map_err(|e| error::write_error(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_from_extensions_and_names() {
        assert_eq!(Format::from_path(Path::new("a/b.M3U")), Some(Format::M3u8));
        assert_eq!(Format::from_path(Path::new("b.m3u8")), Some(Format::M3u8));
        assert_eq!(Format::from_path(Path::new("b.XSPF")), Some(Format::Xspf));
        assert_eq!(Format::from_path(Path::new("b.csv")), Some(Format::Csv));
        assert_eq!(Format::from_path(Path::new("b.Json")), Some(Format::Json));
        assert_eq!(Format::from_path(Path::new("b.txt")), None);
        assert_eq!(Format::from_path(Path::new("json")), None);
        for f in Format::ALL {
            assert_eq!(Format::parse(f.extension()), Some(f));
        }
        assert_eq!(Format::parse("m3u"), Some(Format::M3u8));
        assert_eq!(Format::parse("CSV"), None);
    }

    #[test]
    fn content_without_songs_says_why_and_blank_files_do_not() {
        for (format, text, reason) in [
            (
                Format::M3u8,
                "#EXTM3U\n#PLAYLIST:Empty\n",
                Some("no path lines"),
            ),
            (
                Format::Csv,
                "Track Name,Artist Name(s)\n",
                Some("no song rows"),
            ),
            (
                Format::Xspf,
                "<playlist><trackList/></playlist>",
                Some("no <track>"),
            ),
            (Format::Json, "{\"tracks\": []}", Some("array is empty")),
            (Format::M3u8, " \n\n", None),
            (Format::Csv, "", None),
        ] {
            let parsed = parse_bytes(format, text.as_bytes()).unwrap();
            assert!(parsed.tracks.is_empty());
            match (parsed.empty_reason, reason) {
                (Some(got), Some(want)) => assert!(got.contains(want), "{got}"),
                (got, want) => assert_eq!(got, want, "{format} {text:?}"),
            }
        }
        // Old Mac line endings are songs, not an empty playlist.
        let parsed = parse_bytes(Format::M3u8, b"#EXTM3U\r/m/a.mp3\r/m/b.mp3\r").unwrap();
        assert_eq!((parsed.tracks.len(), parsed.empty_reason), (2, None));
    }

    #[test]
    fn read_lists_hold_no_spare_room() {
        // The list lives through the whole run: a reader's rows or
        // rounding must not leave it a larger buffer.
        let mut csv = String::from("Track Name,Artist Name(s)\n");
        for i in 0..1000 {
            csv.push_str(&format!("Song {i},Artist {i}; Guest\n"));
        }
        let parsed = parse_bytes(Format::Csv, csv.as_bytes()).unwrap();
        assert_eq!(parsed.tracks.len(), 1000);
        assert_eq!(parsed.tracks.capacity(), 1000);
        assert!(parsed.tracks.iter().all(|t| t.artists.capacity() == 2));
    }

    #[test]
    fn unknown_extension_is_invalid_input_naming_it() {
        let e = read(Path::new("notes.txt")).unwrap_err();
        assert_eq!(e.kind, ErrorKind::InvalidInput);
        assert_eq!(
            e.message,
            "notes.txt: '.txt' is not a playlist file type musync knows"
        );
    }
}
