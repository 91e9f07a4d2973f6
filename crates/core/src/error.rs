//! One error type for every service call (OpenDAL's error, named by what the
//! caller can do next).

use std::fmt;

/// What went wrong, named by the caller's next move.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The playlist, track or account does not exist.
    NotFound,
    /// The sign-in expired or was revoked: the user must sign in again.
    AuthExpired,
    /// Signed in, but not allowed (someone else's playlist, missing scope).
    PermissionDenied,
    /// The service asked us to slow down.
    RateLimited,
    /// The service is down or unreachable (5xx, timeout, connection refused).
    Unavailable,
    /// The operation lies outside the service's declared capabilities. A bug.
    Unsupported,
    /// The request or the user's input was wrong (bad file, bad reference).
    InvalidInput,
    /// The response did not have the shape the client knows: the (private)
    /// API changed, or a server sent garbage.
    Protocol,
    /// Local I/O failed (a file could not be read or written).
    Io,
}

/// An error from a service call: which service, which operation, what kind,
/// and a message that tells the user what to do.
///
/// `Display` is one line: `Last.fm: invalid session key (while loving a track)`.
#[derive(Debug)]
pub struct ServiceError {
    /// What the caller can do about it.
    pub kind: ErrorKind,
    /// Service display name, e.g. `Amazon Music`.
    pub service: String,
    /// The operation, e.g. `listing playlists`.
    pub op: String,
    /// Human message; never contains a secret.
    pub message: String,
    /// HTTP status, when one was received.
    pub status: Option<u16>,
    /// Retrying later may succeed (set by the HTTP layer's classifier).
    pub temporary: bool,
    /// Seconds the service asked us to wait (Retry-After), when given.
    pub retry_after_s: Option<u64>,
    /// A command or action that fixes it, for the CLI's `hint:` line.
    pub hint: Option<String>,
    /// The underlying error, if any.
    pub source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl ServiceError {
    /// A new error of `kind` from `service` while doing `op`.
    pub fn new(
        kind: ErrorKind,
        service: impl Into<String>,
        op: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        ServiceError {
            kind,
            service: service.into(),
            op: op.into(),
            message: message.into(),
            status: None,
            temporary: matches!(kind, ErrorKind::RateLimited | ErrorKind::Unavailable),
            retry_after_s: None,
            hint: None,
            source: None,
        }
    }

    /// Attaches the HTTP status.
    pub fn with_status(mut self, status: u16) -> Self {
        self.status = Some(status);
        self
    }

    /// Marks whether a retry may succeed.
    pub fn with_temporary(mut self, temporary: bool) -> Self {
        self.temporary = temporary;
        self
    }

    /// Attaches the Retry-After delay in seconds.
    pub fn with_retry_after(mut self, seconds: u64) -> Self {
        self.retry_after_s = Some(seconds);
        self
    }

    /// Attaches a remedy (a command to run) for the CLI's `hint:` line.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Attaches the underlying error.
    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.source = Some(Box::new(source));
        self
    }

    /// Whether this error would make every following call fail too, so a
    /// sync must stop instead of recording one failed song and going on.
    pub fn is_fatal_for_run(&self) -> bool {
        matches!(
            self.kind,
            ErrorKind::AuthExpired | ErrorKind::PermissionDenied
        ) || (self.kind == ErrorKind::RateLimited && !self.temporary)
    }
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.service, self.message)?;
        match (self.op.is_empty(), self.status) {
            (false, Some(status)) => write!(f, " (HTTP {status} while {})", self.op),
            (false, None) => write!(f, " (while {})", self.op),
            (true, Some(status)) => write!(f, " (HTTP {status})"),
            (true, None) => Ok(()),
        }
    }
}

impl std::error::Error for ServiceError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_is_one_line_with_service_op_and_status() {
        let e = ServiceError::new(
            ErrorKind::AuthExpired,
            "Amazon Music",
            "listing playlists",
            "session expired",
        )
        .with_status(401);
        assert_eq!(
            e.to_string(),
            "Amazon Music: session expired (HTTP 401 while listing playlists)"
        );
        assert!(e.is_fatal_for_run());
        assert!(!e.temporary);
    }

    #[test]
    fn rate_limits_are_temporary_until_marked_persistent() {
        let e = ServiceError::new(ErrorKind::RateLimited, "Last.fm", "", "slow down");
        assert!(e.temporary && !e.is_fatal_for_run());
        assert!(e.with_temporary(false).is_fatal_for_run());
    }
}
