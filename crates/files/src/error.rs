//! Errors of playlist files, shaped for the CLI's `error:` / `hint:` lines.
//!
//! Parsers know the line but not the path; [`Malformed`] carries what they
//! found and becomes a [`ServiceError`] once the caller adds the path, so every
//! message reads `"{path}:{line}: {what went wrong}"` whatever the format.

use musync_core::{ErrorKind, ServiceError};
use std::io;
use std::path::Path;

/// The service name every file error carries (`Playlist file`).
pub(crate) fn service_name() -> &'static str {
    crate::KIND.display_name()
}

/// A problem inside a file's content, found by one format's parser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Malformed {
    /// 1-based line, when the parser knows it.
    pub line: Option<usize>,
    /// 1-based column, when the parser knows it (JSON).
    pub column: Option<usize>,
    /// What is wrong, without the path.
    pub message: String,
    /// What the user should change in the file.
    pub hint: String,
}

impl Malformed {
    /// A problem on `line` (1-based).
    pub fn at(line: usize, message: impl Into<String>, hint: impl Into<String>) -> Self {
        Malformed {
            line: Some(line),
            column: None,
            message: message.into(),
            hint: hint.into(),
        }
    }

    /// A problem with no particular line (e.g. the whole file has the wrong encoding).
    pub fn whole(message: impl Into<String>, hint: impl Into<String>) -> Self {
        Malformed {
            line: None,
            column: None,
            message: message.into(),
            hint: hint.into(),
        }
    }

    /// Adds the column.
    pub fn with_column(mut self, column: usize) -> Self {
        self.column = Some(column);
        self
    }

    /// The user-facing error: `InvalidInput`, message prefixed with the path
    /// and position.
    pub fn into_error(self, path: &Path, op: &str) -> ServiceError {
        let place = match (self.line, self.column) {
            (Some(line), Some(col)) => format!("{}:{line}:{col}", path.display()),
            (Some(line), None) => format!("{}:{line}", path.display()),
            _ => path.display().to_string(),
        };
        ServiceError::new(
            ErrorKind::InvalidInput,
            service_name(),
            op,
            format!("{place}: {}", self.message),
        )
        .with_hint(self.hint)
    }
}

/// 1-based line number of byte `offset` in `text`.
pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// A local I/O failure on `path`: `NotFound` for a missing file, else `Io`.
pub(crate) fn io_error(path: &Path, op: &str, err: io::Error) -> ServiceError {
    let (kind, message, hint) = match err.kind() {
        io::ErrorKind::NotFound => (
            ErrorKind::NotFound,
            format!("{}: no such file", path.display()),
            "check the path; to create a new playlist file, sync or export into it".to_owned(),
        ),
        io::ErrorKind::PermissionDenied => (
            ErrorKind::Io,
            format!("{}: permission denied ({err})", path.display()),
            "check the permissions of the file and its directory".to_owned(),
        ),
        _ => (
            ErrorKind::Io,
            format!("{}: {err}", path.display()),
            "check that the path is a readable, writable file on a working disk".to_owned(),
        ),
    };
    ServiceError::new(kind, service_name(), op, message)
        .with_hint(hint)
        .with_source(err)
}

/// A failed write: the original file is untouched, and the message says so.
pub(crate) fn write_error(path: &Path, err: io::Error) -> ServiceError {
    ServiceError::new(
        ErrorKind::Io,
        service_name(),
        "writing the playlist",
        format!(
            "{}: could not write ({err}); the original file was not changed",
            path.display()
        ),
    )
    .with_hint("check that the directory exists, is writable and has free space")
    .with_source(err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_names_path_line_and_column() {
        let e = Malformed::at(7, "bad thing", "fix it")
            .with_column(3)
            .into_error(Path::new("a/b.json"), "reading the playlist");
        assert_eq!(e.kind, ErrorKind::InvalidInput);
        assert_eq!(e.service, "Playlist file");
        assert_eq!(e.message, "a/b.json:7:3: bad thing");
        assert_eq!(e.hint.as_deref(), Some("fix it"));
        let e = Malformed::whole("not text", "save as UTF-8")
            .into_error(Path::new("x.csv"), "reading the playlist");
        assert_eq!(e.message, "x.csv: not text");
    }

    #[test]
    fn line_of_counts_newlines_before_offset() {
        let text = "a\nbc\nd";
        assert_eq!(line_of(text, 0), 1);
        assert_eq!(line_of(text, 2), 2);
        assert_eq!(line_of(text, 5), 3);
        assert_eq!(line_of(text, 99), 3);
    }

    #[test]
    fn missing_file_is_not_found_naming_the_path() {
        let err = io_error(
            Path::new("/x/y.m3u8"),
            "reading the playlist",
            io::Error::from(io::ErrorKind::NotFound),
        );
        assert_eq!(err.kind, ErrorKind::NotFound);
        assert!(err.message.starts_with("/x/y.m3u8: no such file"));
    }
}
