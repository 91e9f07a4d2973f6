//! The one error type of the state store. Every error names the file it
//! touched and says what the user can do about it, because a broken or busy
//! state database is something only the user can fix.

use rusqlite::ErrorCode;
use std::fmt;
use std::path::{Path, PathBuf};

/// What went wrong, named by the user's next move.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StoreErrorKind {
    /// Another process holds the database: wait and retry.
    Busy,
    /// The file is not a musync database, or it is damaged.
    NotMusyncDatabase,
    /// The database was written by a newer musync (its schema is unknown here).
    TooNew,
    /// The file or its directory cannot be read or written.
    Permission,
    /// A row holds data this musync cannot read (damaged or hand-edited).
    BadData,
    /// A referenced record (a run, a saved pair) does not exist.
    NotFound,
    /// A record with that name exists already (a saved pair).
    Exists,
    /// Any other I/O or SQLite failure.
    Io,
}

/// An error of the state store: the path it touched, what happened and what
/// to do. `Display` is one line: `/home/a/.local/share/musync/musync.db: …`.
#[derive(Debug, thiserror::Error)]
#[error("{}: {message}", path.display())]
pub struct StoreError {
    /// What kind of failure this is.
    pub kind: StoreErrorKind,
    /// The file or directory involved (`:memory:` for an in-memory store).
    pub path: PathBuf,
    /// What happened and what to do; never contains a secret.
    pub message: String,
    /// A command or action for the CLI's `hint:` line, when there is one.
    pub hint: Option<String>,
    #[source]
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl StoreError {
    /// A new error about `path`.
    pub fn new(kind: StoreErrorKind, path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        StoreError {
            kind,
            path: path.into(),
            message: message.into(),
            hint: None,
            source: None,
        }
    }

    /// Attaches a remedy for the CLI's `hint:` line.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Attaches the underlying error.
    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.source = Some(Box::new(source));
        self
    }

    /// An I/O error on `path` while `doing` something.
    pub(crate) fn io(path: &Path, doing: &str, err: std::io::Error) -> Self {
        let kind = if err.kind() == std::io::ErrorKind::PermissionDenied {
            StoreErrorKind::Permission
        } else {
            StoreErrorKind::Io
        };
        let remedy = if kind == StoreErrorKind::Permission {
            "; check the permissions of the file and its directory, or pass --data-dir"
        } else {
            ""
        };
        StoreError::new(kind, path, format!("cannot {doing}: {err}{remedy}")).with_source(err)
    }

    /// A SQLite error on the database at `path` while `doing` something,
    /// translated into what the user can do.
    pub(crate) fn sqlite(path: &Path, doing: &str, err: rusqlite::Error) -> Self {
        let (kind, message, hint) = match err.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => (
                StoreErrorKind::Busy,
                format!(
                    "the database is locked while {doing}: another musync is using it; \
                     wait for it to finish and try again"
                ),
                None,
            ),
            Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => (
                StoreErrorKind::NotMusyncDatabase,
                format!(
                    "the file is not a musync database or is damaged ({err}); \
                     move it aside to start with a fresh one, or pass --data-dir"
                ),
                Some(format!("mv '{0}' '{0}.broken'", path.display())),
            ),
            Some(
                ErrorCode::ReadOnly
                | ErrorCode::CannotOpen
                | ErrorCode::PermissionDenied
                | ErrorCode::AuthorizationForStatementDenied,
            ) => (
                StoreErrorKind::Permission,
                format!(
                    "cannot open or write the database while {doing} ({err}); check the \
                     permissions of the file and its directory, or pass --data-dir"
                ),
                None,
            ),
            Some(ErrorCode::DiskFull) => (
                StoreErrorKind::Io,
                format!("the disk is full while {doing}; free some space and try again"),
                None,
            ),
            _ => (
                StoreErrorKind::Io,
                format!("database error while {doing}: {err}"),
                None,
            ),
        };
        let mut e = StoreError::new(kind, path, message).with_source(err);
        e.hint = hint;
        e
    }
}

impl fmt::Display for StoreErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            StoreErrorKind::Busy => "busy",
            StoreErrorKind::NotMusyncDatabase => "not a musync database",
            StoreErrorKind::TooNew => "made by a newer musync",
            StoreErrorKind::Permission => "permission denied",
            StoreErrorKind::BadData => "bad data",
            StoreErrorKind::NotFound => "not found",
            StoreErrorKind::Exists => "already exists",
            StoreErrorKind::Io => "I/O error",
        })
    }
}

/// For code that reports every failure as a [`musync_core::ServiceError`]
/// (the engine, the web UI): keeps the path, the message and the hint.
impl From<StoreError> for musync_core::ServiceError {
    fn from(e: StoreError) -> Self {
        use musync_core::ErrorKind;
        let kind = match e.kind {
            StoreErrorKind::Busy => ErrorKind::Unavailable,
            StoreErrorKind::NotFound => ErrorKind::NotFound,
            _ => ErrorKind::Io,
        };
        let message = format!("{}: {}", e.path.display(), e.message);
        let hint = e.hint.clone();
        // Not temporary: the busy timeout already waited.
        let mut out = musync_core::ServiceError::new(kind, "musync state", "", message)
            .with_temporary(false)
            .with_source(e);
        out.hint = hint;
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_to_a_service_error_keeping_path_message_and_hint() {
        let e = StoreError::new(
            StoreErrorKind::NotMusyncDatabase,
            "/data/musync.db",
            "the file is not a musync database",
        )
        .with_hint("mv a b");
        let s: musync_core::ServiceError = e.into();
        assert_eq!(s.kind, musync_core::ErrorKind::Io);
        assert_eq!(
            s.to_string(),
            "musync state: /data/musync.db: the file is not a musync database"
        );
        assert_eq!(s.hint.as_deref(), Some("mv a b"));
        let busy: musync_core::ServiceError =
            StoreError::new(StoreErrorKind::Busy, "/d", "locked").into();
        assert_eq!(busy.kind, musync_core::ErrorKind::Unavailable);
        assert!(!busy.temporary);
    }
}
