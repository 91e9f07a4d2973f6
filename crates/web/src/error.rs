//! Errors: [`WebError`] for starting and running the server (the CLI wraps
//! it in anyhow), and [`PageError`], the one `IntoResponse` for failures
//! inside a handler, rendered as a readable page that says what to do.
//!
//! Which HTTP status an error gets is decided here only: [`status_of`] for
//! a service error's kind, [`store_status`] for the state database's. Pages
//! and the JSON API both use them.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::html;
use musync_core::{ErrorKind, ServiceError};
use musync_store::{StoreError, StoreErrorKind};

/// The HTTP status of a failure of kind `kind`: the person's input (400),
/// something gone (404), and for a service's own trouble the gateway
/// statuses, since the wizard stands between the page and the service.
pub fn status_of(kind: ErrorKind) -> StatusCode {
    match kind {
        ErrorKind::NotFound => StatusCode::NOT_FOUND,
        ErrorKind::InvalidInput => StatusCode::BAD_REQUEST,
        ErrorKind::AuthExpired | ErrorKind::PermissionDenied => StatusCode::FORBIDDEN,
        ErrorKind::RateLimited => StatusCode::TOO_MANY_REQUESTS,
        ErrorKind::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        ErrorKind::Protocol => StatusCode::BAD_GATEWAY,
        ErrorKind::Unsupported | ErrorKind::Io => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// The HTTP status of a state-database failure.
pub fn store_status(kind: StoreErrorKind) -> StatusCode {
    match kind {
        StoreErrorKind::NotFound => StatusCode::NOT_FOUND,
        StoreErrorKind::Exists => StatusCode::CONFLICT,
        StoreErrorKind::Busy => StatusCode::SERVICE_UNAVAILABLE,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// Why the wizard could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// The port is taken or not allowed. The socket error is said once, in
    /// this message, and is not also this error's `source` (which a cause
    /// chain such as anyhow's `{:#}` would print a second time).
    #[error("could not listen on 127.0.0.1:{port}: {}; choose another port with --port", bind_reason(.reason))]
    Bind {
        /// The port asked for.
        port: u16,
        /// The socket error.
        reason: std::io::Error,
    },
    /// The state database failed to open.
    #[error(transparent)]
    Store(#[from] musync_store::StoreError),
    /// Demo mode could not set up its fake services.
    #[error("demo mode could not start: {0}")]
    Demo(String),
    /// The server stopped with an error.
    #[error("the web server failed: {0}")]
    Serve(std::io::Error),
}

/// "port 8080 is in use" rather than the OS's "Address already in use (os
/// error 98)".
fn bind_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::AddrInUse => "another program uses that port".to_owned(),
        std::io::ErrorKind::PermissionDenied => "that port needs privileges".to_owned(),
        _ => e.to_string(),
    }
}

/// A failure inside a handler.
#[derive(Debug)]
pub struct PageError {
    /// HTTP status.
    pub status: StatusCode,
    /// One line on what went wrong.
    pub message: String,
    /// What to do about it.
    pub hint: Option<String>,
}

impl PageError {
    /// A 400 with `message`.
    pub fn bad_request(message: impl Into<String>) -> Self {
        PageError {
            status: StatusCode::BAD_REQUEST,
            message: message.into(),
            hint: None,
        }
    }

    /// A 404 with `message`.
    pub fn not_found(message: impl Into<String>) -> Self {
        PageError {
            status: StatusCode::NOT_FOUND,
            message: message.into(),
            hint: None,
        }
    }

    /// A 500: something inside musync failed (writing a report …).
    pub fn internal(message: impl Into<String>) -> Self {
        PageError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message: message.into(),
            hint: None,
        }
    }

    /// The JSON answer of the API routes: `{"error", "hint"}` with the
    /// same status a page would get.
    pub fn into_json(self) -> Response {
        tracing::warn!(target: "musync_web", status = self.status.as_u16(), error = %self.message, "request failed");
        let body = serde_json::json!({ "error": self.message, "hint": self.hint });
        (self.status, axum::Json(body)).into_response()
    }
}

impl From<ServiceError> for PageError {
    fn from(e: ServiceError) -> Self {
        PageError {
            status: status_of(e.kind),
            message: e.to_string(),
            hint: e.hint.clone(),
        }
    }
}

impl From<StoreError> for PageError {
    fn from(e: StoreError) -> Self {
        PageError {
            status: store_status(e.kind),
            message: e.to_string(),
            hint: e.hint.clone(),
        }
    }
}

impl From<musync_services::RegistryError> for PageError {
    fn from(e: musync_services::RegistryError) -> Self {
        match e {
            musync_services::RegistryError::Store(e) => e.into(),
            other => PageError::internal(other.to_string()),
        }
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        tracing::warn!(target: "musync_web", status = self.status.as_u16(), error = %self.message, "request failed");
        let page = html! {
            (maud::DOCTYPE)
            html lang="en" {
                head {
                    meta charset="utf-8";
                    meta name="viewport" content="width=device-width, initial-scale=1";
                    title { "Something went wrong — musync" }
                    link rel="stylesheet" href="/assets/app.css";
                }
                body {
                    main.narrow #main {
                        h1 { "Something went wrong" }
                        div.alert.error role="alert" {
                            p { (self.message) }
                            @if let Some(hint) = &self.hint { p.hint { "What to do: " (hint) } }
                        }
                        p { a.button href="/compare" { "Back to the wizard" } " " a href="/accounts" { "Accounts" } " " a href="/logs" { "Logs" } }
                    }
                }
            }
        };
        (self.status, page).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_kind_has_one_status_for_pages_and_the_api() {
        let cases = [
            (ErrorKind::NotFound, 404),
            (ErrorKind::InvalidInput, 400),
            (ErrorKind::AuthExpired, 403),
            (ErrorKind::PermissionDenied, 403),
            (ErrorKind::RateLimited, 429),
            (ErrorKind::Unavailable, 503),
            (ErrorKind::Protocol, 502),
            (ErrorKind::Unsupported, 500),
            (ErrorKind::Io, 500),
        ];
        for (kind, want) in cases {
            let e = ServiceError::new(kind, "Spotify", "listing playlists", "it broke")
                .with_hint("sign in again");
            let page = PageError::from(e);
            assert_eq!(page.status.as_u16(), want, "{kind:?}");
            assert_eq!(page.hint.as_deref(), Some("sign in again"));
            assert_eq!(page.into_json().status().as_u16(), want, "{kind:?} as JSON");
        }
    }

    #[test]
    fn store_failures_keep_their_hint_and_a_fitting_status() {
        let e = StoreError::new(
            StoreErrorKind::Busy,
            "/tmp/musync.db",
            "the database is busy",
        )
        .with_hint("wait for the other musync to finish");
        let page = PageError::from(e);
        assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(page.message.contains("busy"), "{}", page.message);
        assert_eq!(
            page.hint.as_deref(),
            Some("wait for the other musync to finish")
        );
        let missing = StoreError::new(StoreErrorKind::NotFound, "/tmp/musync.db", "no pair");
        assert_eq!(PageError::from(missing).status, StatusCode::NOT_FOUND);
    }
}
