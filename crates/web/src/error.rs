//! Errors: [`WebError`] for starting and running the server (the CLI wraps
//! it in anyhow), and [`PageError`], the one `IntoResponse` for failures
//! inside a handler, rendered as a readable page that says what to do.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::html;
use musync_core::{ErrorKind, ServiceError};

/// Why the wizard could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// The port is taken or not allowed.
    #[error("could not listen on 127.0.0.1:{port} ({source}); choose another port with --port")]
    Bind {
        /// The port asked for.
        port: u16,
        /// The socket error.
        source: std::io::Error,
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
}

impl From<ServiceError> for PageError {
    fn from(e: ServiceError) -> Self {
        let status = match e.kind {
            ErrorKind::NotFound => StatusCode::NOT_FOUND,
            ErrorKind::InvalidInput => StatusCode::BAD_REQUEST,
            ErrorKind::Io | ErrorKind::Unsupported => StatusCode::INTERNAL_SERVER_ERROR,
            _ => StatusCode::BAD_GATEWAY,
        };
        PageError {
            status,
            message: e.to_string(),
            hint: e.hint.clone(),
        }
    }
}

impl From<musync_store::StoreError> for PageError {
    fn from(e: musync_store::StoreError) -> Self {
        PageError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message: e.to_string(),
            hint: e.hint.clone(),
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
