//! Last.fm for musync: loved tracks (read and write) and recent tracks (read).
//!
//! - [`sign_in`] runs Last.fm's desktop authorisation and returns the
//!   account `lastfm-<username>` with its secrets (`api_key`, `api_secret`,
//!   `session_key`).
//! - [`LastfmService::open`] turns a stored account back into a
//!   [`musync_core::Service`] with two playlists, `loved` (writable) and
//!   `recent` (read-only).
//!
//! Every request goes through the shared [`musync_http::Client`]: paced to
//! stay under Last.fm's limit of about five requests a second, retried with
//! backoff on rate limits and outages, logged with the key, signature,
//! token and session key redacted. Errors are read from Last.fm's JSON
//! bodies in [`error`](crate::lastfm_code).
//!
//! Endpoints can be redirected (self-hosted proxies, the fake in tests) with
//! `MUSYNC_LASTFM_API_URL` and `MUSYNC_LASTFM_AUTH_URL`.
#![warn(missing_docs)]
// `ServiceError` (core) is the error of every service call by design; its
// size is core's decision, not something to box per crate.

mod auth;
mod client;
mod convert;
mod error;
mod model;
mod registry;
mod service;
mod sign;

pub use auth::{LastfmSignIn, sign_in};
pub use client::LastfmTuning;
pub use error::{LastfmApiError, lastfm_code};
pub use registry::{CAPABILITIES, INFO, KIND};
pub use service::{DEFAULT_RECENT_LIMIT, LOVED, LastfmService, RECENT};

/// The real Last.fm API root.
pub const DEFAULT_API_URL: &str = "https://ws.audioscrobbler.com/2.0/";
/// The real Last.fm approval page.
pub const DEFAULT_AUTH_URL: &str = "https://www.last.fm/api/auth/";
/// Environment variable overriding the API root.
pub const API_URL_ENV: &str = "MUSYNC_LASTFM_API_URL";
/// Environment variable overriding the approval page.
pub const AUTH_URL_ENV: &str = "MUSYNC_LASTFM_AUTH_URL";
