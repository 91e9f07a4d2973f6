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
mod error;
mod json;
mod m3u;
mod model;
mod registry;
mod service;
mod text;
mod xspf;

pub use registry::{CAPABILITIES, INFO, KIND};
pub use service::FileService;

use error::Malformed;
use musync_core::{ErrorKind, ServiceError, Track};
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

/// Parses a file's bytes in `format` into (playlist name, tracks).
pub(crate) fn parse_bytes(
    format: Format,
    bytes: &[u8],
) -> Result<(Option<String>, Vec<Track>), Malformed> {
    match format {
        Format::M3u8 => m3u::read(bytes),
        Format::Xspf => xspf::read(bytes),
        Format::Csv => csv::read(bytes),
        Format::Json => json::read(bytes),
    }
}

/// `original` with `tracks` appended in `format`; `name` titles a file that
/// was blank. Fails, writing nothing, when `original` does not parse.
pub(crate) fn append_bytes(
    format: Format,
    original: &[u8],
    name: &str,
    tracks: &[Track],
) -> Result<Vec<u8>, Malformed> {
    match format {
        Format::M3u8 => m3u::append(original, name, tracks),
        Format::Xspf => xspf::append(original, name, tracks),
        Format::Csv => csv::append(original, tracks),
        Format::Json => json::append(original, name, tracks),
    }
}

/// Reads a playlist file: its own title (XSPF `<title>`, JSON `name`, M3U
/// `#PLAYLIST:`; CSV has none) and its tracks in file order.
///
/// Errors: unknown extension or malformed content → `InvalidInput` with
/// `"{path}:{line}: …"`; a missing file → `NotFound`; else `Io`.
pub fn read(path: &Path) -> Result<(Option<String>, Vec<Track>), ServiceError> {
    let format = Format::from_path(path).ok_or_else(|| unknown_format(path, OP_READ))?;
    let bytes = std::fs::read(path).map_err(|e| error::io_error(path, OP_READ, e))?;
    parse_bytes(format, &bytes).map_err(|m| m.into_error(path, OP_READ))
}

/// A whole playlist file in `format`, titled `name`.
pub fn render(format: Format, name: &str, tracks: &[Track]) -> Result<String, ServiceError> {
    Ok(match format {
        Format::M3u8 => m3u::render(name, tracks),
        Format::Xspf => xspf::render(name, tracks),
        Format::Csv => csv::render(tracks),
        Format::Json => json::render(name, tracks),
    })
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
    fn unknown_extension_is_invalid_input_naming_it() {
        let e = read(Path::new("notes.txt")).unwrap_err();
        assert_eq!(e.kind, ErrorKind::InvalidInput);
        assert_eq!(
            e.message,
            "notes.txt: '.txt' is not a playlist file type musync knows"
        );
    }
}
