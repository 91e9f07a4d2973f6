//! Turning an HTTP answer into a [`ServiceError`], or not.

use crate::HttpResponse;
use musync_core::{ErrorKind, ServiceError};

/// A service's reading of a response: `Some(error)` when the response is a
/// failure (including HTTP 200 answers whose body says "error"), `None` when
/// it is a success or when the generic status rules should decide.
pub type Classify = fn(service: &str, op: &str, response: &HttpResponse) -> Option<ServiceError>;

/// The generic rules by status, used for any non-2xx response the service's
/// own classifier did not claim: 401 expired sign-in, 403 denied, 404 not
/// found, 429 rate limited (with Retry-After), 5xx unavailable; 408 and 5xx
/// and 429 are temporary.
pub fn classify_status(service: &str, op: &str, response: &HttpResponse) -> Option<ServiceError> {
    let status = response.status;
    if (200..300).contains(&status) {
        return None;
    }
    let (kind, message) = match status {
        401 => (
            ErrorKind::AuthExpired,
            "the sign-in was refused or has expired".to_owned(),
        ),
        403 => (ErrorKind::PermissionDenied, "access denied".to_owned()),
        404 => (ErrorKind::NotFound, "not found".to_owned()),
        408 => (ErrorKind::Unavailable, "the request timed out".to_owned()),
        429 => (ErrorKind::RateLimited, "too many requests".to_owned()),
        500..=599 => (
            ErrorKind::Unavailable,
            "the service is unavailable".to_owned(),
        ),
        _ => (
            ErrorKind::Protocol,
            format!("unexpected answer: {}", response.snippet()),
        ),
    };
    let mut err = ServiceError::new(kind, service, op, message).with_status(status);
    err.temporary = matches!(status, 408 | 429 | 500..=599);
    if let Some(after) = response.retry_after_s() {
        err = err.with_retry_after(after);
    }
    Some(err)
}
