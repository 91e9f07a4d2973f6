//! The shared HTTP layer of every musync service client.
//!
//! One [`Client`] per service and host. From the outside in, a call goes
//! through: request logging (secrets redacted) → retry (only temporary
//! errors, exponential backoff with jitter, `Retry-After` honoured) →
//! session refresh (once, on an expired sign-in) → pacing (a minimum gap
//! between requests, one pause for all after a 429, a gap learned from
//! 429s, and a cap on requests in flight) → timeout → send.
//!
//! Services only describe their requests and how to read their errors
//! ([`Classify`]); none writes its own retry loop.
#![warn(missing_docs)]

mod browser;
mod classify;
mod client;
mod pacing;
mod redact;

pub use browser::open_in_browser;
pub use classify::{Classify, classify_status};
pub use client::{Client, ClientBuilder, HttpResponse, SessionRefresh};
pub use redact::{redact_header_value, redact_url};

/// The base URL for a service: the environment variable `var` when set and
/// not empty (self-hosted proxies, tests), else `default`.
pub fn endpoint(var: &str, default: &str) -> String {
    match std::env::var(var) {
        Ok(v) if !v.trim().is_empty() => v.trim().to_owned(),
        _ => default.to_owned(),
    }
}
